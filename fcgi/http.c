/*
 * http: request parameters, body reading, answers and the log line.
 * See http.h.
 */
#include "http.h"
#include "dt.h"
#include "esc.h"

#include <errno.h>
#include <fastcgi.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/uio.h>
#include <unistd.h>

static const char *
param(http_req *r, const char *name, const char *def)
{
    const char *v = FCGX_GetParam(name, r->fr->envp);
    return v ? v : def;
}

void
http_begin(http_req *r, FCGX_Request *fr)
{
    memset(r, 0, sizeof(*r));
    clock_gettime(CLOCK_MONOTONIC, &r->start);
    r->fr = fr;
    r->method = param(r, "REQUEST_METHOD", "");
    r->path = param(r, "DOCUMENT_URI", NULL);
    if (!r->path) r->path = param(r, "SCRIPT_NAME", "/");
    if (!r->path[0]) r->path = "/";
    r->content_type = param(r, "CONTENT_TYPE", "");
    r->accept = param(r, "HTTP_ACCEPT", "");
    r->origin = param(r, "HTTP_ORIGIN", NULL);
    r->referer = param(r, "HTTP_REFERER", NULL);
    r->cookie = param(r, "HTTP_COOKIE", NULL);
    r->remote_addr = param(r, "REMOTE_ADDR", "");
    r->forwarded_for = param(r, "HTTP_X_FORWARDED_FOR", NULL);
    r->user_agent = param(r, "HTTP_USER_AGENT", "");
    r->client = r->remote_addr;
    r->want_json = strstr(r->accept, "application/json") != NULL;
    const char *cl = param(r, "CONTENT_LENGTH", "");
    r->content_length = -1;
    if (cl[0]) {
        char *end;
        errno = 0;
        long long v = strtoll(cl, &end, 10);
        if (!*end && errno == 0 && v >= 0 && cl[0] >= '0' && cl[0] <= '9') r->content_length = v;
    } else {
        r->content_length = 0;
    }
    buf_init(&r->note);
    r->note.limit = 256;
}

int
http_read_body(http_req *r, size_t max, buf *out)
{
    if (r->content_length < 0) return 400;
    if ((unsigned long long)r->content_length > max) return 413;
    size_t want = (size_t)r->content_length;
    char chunk[4096];
    while (out->len < want) {
        size_t n = want - out->len < sizeof(chunk) ? want - out->len : sizeof(chunk);
        int got = FCGX_GetStr(chunk, (int)n, r->fr->in);
        if (got <= 0) return 400;
        buf_put(out, chunk, (size_t)got);
    }
    /* more bytes than Content-Length said would be a broken gateway */
    return 0;
}

int
http_header(buf *h, const char *name, const char *value)
{
    for (const char *p = value; *p; p++)
        if ((unsigned char)*p < 0x20 || *p == 0x7f) return -1;
    buf_printf(h, "%s: %s\r\n", name, value);
    return 0;
}

const char *
http_reason(int s)
{
    switch (s) {
    case 200: return "OK";
    case 303: return "See Other";
    case 400: return "Bad Request";
    case 403: return "Forbidden";
    case 404: return "Not Found";
    case 405: return "Method Not Allowed";
    case 413: return "Content Too Large";
    case 415: return "Unsupported Media Type";
    case 429: return "Too Many Requests";
    case 500: return "Internal Server Error";
    case 503: return "Service Unavailable";
    default: return "Unknown";
    }
}

/* Does the header block set name?  (Names as http_header writes them.) */
static bool
has_header(const buf *headers, const char *name)
{
    size_t k = strlen(name);
    for (const char *p = headers ? headers->data : NULL; p && *p;) {
        if (strncasecmp(p, name, k) == 0 && p[k] == ':') return true;
        const char *nl = strchr(p, '\n');
        p = nl ? nl + 1 : NULL;
    }
    return false;
}

/*
 * The status line and headers of every answer.  Nothing hone-fcgi says is
 * for a cache to keep (a signup, a member's certificate, an error), so
 * Cache-Control is no-store unless the handler set its own (the home).
 */
static void
put_head(buf *out, http_req *r, int status, const buf *headers, const char *ctype, size_t n)
{
    r->status = status;
    buf_printf(out, "Status: %d %s\r\n", status, http_reason(status));
    if (ctype) buf_printf(out, "Content-Type: %s\r\n", ctype);
    buf_printf(out, "Content-Length: %zu\r\n", n);
    if (!has_header(headers, "Cache-Control")) buf_puts(out, "Cache-Control: no-store\r\n");
    if (headers && headers->len) buf_put(out, headers->data, headers->len);
    buf_puts(out, "\r\n");
}

void
http_answer(http_req *r, int status, const buf *headers, const char *ctype, const char *body,
            size_t n)
{
    buf out = BUF_INIT;
    put_head(&out, r, status, headers, ctype, n);
    if (n && strcmp(r->method, "HEAD") != 0) buf_put(&out, body, n);
    FCGX_PutStr(out.data, (int)out.len, r->fr->out);
    buf_free(&out);
}

/*
 * A large body goes to nginx as FastCGI STDOUT records written straight
 * from the caller's memory with writev(2).  libfcgi's stream would copy
 * it through its 8 KB buffer and write 8 KB records: 13 writes for a
 * 100 KB certificate, 640 for 5 MB; here it is one writev per 64 records
 * of 64 KB, and no copy in this process (bench/README.md, Certificates:
 * it halves hone-fcgi's CPU time per 5 MB download).  After FCGX_FFlush
 * the stream holds nothing, so these records follow the headers in order,
 * and FCGX_Finish_r ends STDOUT and the request as it always does; on a
 * connection nginx keeps, the next request's records come after that.  A
 * write that failed may have left half a record: that connection is then
 * closed at the end of the request, never used again.  This
 * uses FCGX_Request's ipcFd and requestId (libfcgi 2.4's public struct)
 * and the record format of the FastCGI specification (fastcgi.h).
 */
enum { RECORD_MAX = 65528, RECORDS_PER_WRITE = 64 }; /* 8-byte aligned, < 65536 */

static int
write_all(int fd, struct iovec *v, int cnt)
{
    while (cnt > 0) {
        ssize_t w = writev(fd, v, cnt);
        if (w < 0 && errno == EINTR) continue;
        if (w <= 0) return -1;
        while (cnt > 0 && (size_t)w >= v->iov_len) {
            w -= (ssize_t)v->iov_len;
            v++;
            cnt--;
        }
        if (cnt > 0) {
            v->iov_base = (char *)v->iov_base + w;
            v->iov_len -= (size_t)w;
        }
    }
    return 0;
}

static int
send_records(http_req *r, const http_part *parts, size_t nparts)
{
    FCGX_Request *fr = r->fr;
    if (FCGX_FFlush(fr->out) < 0 || fr->ipcFd < 0) return -1;
    FCGI_Header hd[RECORDS_PER_WRITE];
    struct iovec iov[2 * RECORDS_PER_WRITE];
    size_t pi = 0, off = 0;
    while (pi < nparts) {
        int k = 0;
        while (k < RECORDS_PER_WRITE && pi < nparts) {
            size_t n = parts[pi].n - off;
            if (n > RECORD_MAX) n = RECORD_MAX;
            if (n) {
                hd[k] = (FCGI_Header){.version = FCGI_VERSION_1,
                                      .type = FCGI_STDOUT,
                                      .requestIdB1 = (unsigned char)(fr->requestId >> 8),
                                      .requestIdB0 = (unsigned char)fr->requestId,
                                      .contentLengthB1 = (unsigned char)(n >> 8),
                                      .contentLengthB0 = (unsigned char)n};
                iov[2 * k] = (struct iovec){&hd[k], sizeof(hd[k])};
                iov[2 * k + 1] = (struct iovec){(char *)parts[pi].data + off, n};
                off += n;
                k++;
            }
            if (off == parts[pi].n) { /* this part is all sent (or empty) */
                pi++;
                off = 0;
            }
        }
        if (k && write_all(fr->ipcFd, iov, 2 * k) < 0) {
            fr->keepConnection = 0;
            return -1;
        }
    }
    return 0;
}

int
http_answer_parts(http_req *r, int status, const buf *headers, const char *ctype,
                  const http_part *parts, size_t nparts)
{
    buf out = BUF_INIT;
    size_t total = 0;
    for (size_t i = 0; i < nparts; i++)
        total += parts[i].n;
    put_head(&out, r, status, headers, ctype, total);
    int rc = FCGX_PutStr(out.data, (int)out.len, r->fr->out) == (int)out.len ? 0 : -1;
    buf_free(&out);
    if (rc < 0 || strcmp(r->method, "HEAD") == 0) return rc;
    return send_records(r, parts, nparts);
}

void
http_error(http_req *r, int status, const buf *headers, const char *code, const char *message)
{
    buf b = BUF_INIT;
    if (r->want_json) {
        buf_puts(&b, "{\"ok\":false,\"error\":");
        esc_json(&b, code, strlen(code));
        buf_puts(&b, ",\"message\":");
        esc_json(&b, message, strlen(message));
        buf_puts(&b, "}\n");
        http_answer(r, status, headers, "application/json", b.data, b.len);
    } else {
        buf_printf(&b,
                   "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
                   "<title>%d %s</title>\n</head>\n<body>\n<h1>%s</h1>\n<p>",
                   status, http_reason(status), http_reason(status));
        esc_html(&b, message, strlen(message));
        buf_puts(&b, "</p>\n</body>\n</html>\n");
        http_answer(r, status, headers, "text/html; charset=utf-8", b.data, b.len);
    }
    if (!r->note.len) buf_puts(&r->note, code);
    buf_free(&b);
}

void
http_end(http_req *r)
{
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    long long us = (long long)(now.tv_sec - r->start.tv_sec) * 1000000 +
                   (now.tv_nsec - r->start.tv_nsec) / 1000;
    char when[21];
    dt_utc_stamp(time(NULL), when);
    buf line = BUF_INIT;
    buf_printf(&line, "%s %s %s ", when, r->client, r->method);
    /* the path is the visitor's: keep the log one line of printable text */
    for (const char *p = r->path; *p && p - r->path < 200; p++)
        buf_putc(&line, (unsigned char)*p > ' ' && *p != 0x7f ? *p : '?');
    buf_printf(&line, " %d %lldus %s\n", r->status, us, r->note.len ? r->note.data : "-");
    /* one write(2): lines of different threads never interleave */
    ssize_t w = write(STDERR_FILENO, line.data, line.len);
    (void)w;
    buf_free(&line);
    buf_free(&r->note);
}
