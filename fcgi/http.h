/*
 * http: one FastCGI request as hone-fcgi sees it, and the answers it sends.
 *
 * The request's parameters are read once into plain fields; the body is
 * read only on demand and only up to a cap.  Answers are built whole in a
 * buf and written in one go (but a certificate's body, which is sent from
 * the template's memory), with header values checked so that no byte a
 * visitor sent can start a header of its own.  Every request ends with
 * exactly one log line on stderr:
 *
 *   2026-11-26T19:40:12Z 203.0.113.9 POST /signup 303 412us stored batch=7
 */
#ifndef HONE_HTTP_H
#define HONE_HTTP_H

#include <fcgiapp.h>
#include <stdbool.h>
#include <stddef.h>
#include <time.h>

#include "buf.h"

typedef struct http_req {
    FCGX_Request *fr;
    const char *method;        /* "GET" */
    const char *path;          /* without the query: "/signup" */
    const char *content_type;  /* "" when absent */
    long long content_length;  /* -1 when absent or not a number */
    const char *accept;        /* "" when absent */
    const char *origin;        /* NULL when absent */
    const char *referer;       /* NULL when absent */
    const char *cookie;        /* NULL when absent */
    const char *remote_addr;   /* "" when absent */
    const char *forwarded_for; /* X-Forwarded-For, NULL when absent */
    const char *user_agent;    /* "" when absent */
    bool want_json;            /* Accept names application/json */
    const char *client;        /* the client's address (after trusted proxies) */
    int status;                /* the answer's status, for the log */
    buf note;                  /* what happened, for the log */
    struct timespec start;
} http_req;

void http_begin(http_req *r, FCGX_Request *fr);
/* Writes the log line; frees what begin allocated. */
void http_end(http_req *r);

/*
 * Reads the request body into out (at most max bytes).  Returns 0, 413
 * when the body is larger than max, or 400 when it is shorter than
 * Content-Length said.
 */
int http_read_body(http_req *r, size_t max, buf *out);

/* Adds "Name: value\r\n" to headers; refuses (returns -1, adds nothing)
 * a value with a control character, so nothing can split a header. */
int http_header(buf *headers, const char *name, const char *value);

/* Sends status, the extra headers (from http_header), and a body. */
void http_answer(http_req *r, int status, const buf *headers, const char *content_type,
                 const char *body, size_t n);

/* A piece of an answer's body, sent from where it lies. */
typedef struct http_part {
    const void *data;
    size_t n;
} http_part;

/*
 * Sends status, headers and a body in pieces (a large file and a small
 * tail, say) with Content-Length their sum.  The pieces are written from
 * where they lie, as 64 KB FastCGI records with writev(2), never copied
 * into a buffer (http.c says how).  HEAD gets the same headers and no
 * body.  Returns 0, or -1 when the connection failed before the body was
 * all written.
 */
int http_answer_parts(http_req *r, int status, const buf *headers, const char *content_type,
                      const http_part *parts, size_t nparts);

/*
 * Sends an error: JSON {"ok":false,"error":code,"message":...} when the
 * client asked for JSON, else a small HTML page with the message.
 */
void http_error(http_req *r, int status, const buf *headers, const char *code, const char *message);

/* The reason phrase of a status code. */
const char *http_reason(int status);

#endif
