/*
 * form: the signup form's body, parsed and checked at the edge.
 *
 * Pure functions over bytes (no FastCGI, no I/O), so the unit tests and
 * the fuzzer drive exactly the code a request goes through.  A body is
 * application/x-www-form-urlencoded; every value is decoded into a
 * length-limited buf, and nothing that fails a check goes further.
 *
 * Fields: email (required), referrer (hidden, filled by the page's
 * script, capped), website (the honeypot: must stay empty), next (a local
 * path to go to instead of the thanks page) and landing (the path of the
 * landing page the form was on).  Other fields are ignored.
 */
#ifndef HONE_FORM_H
#define HONE_FORM_H

#include <stdbool.h>
#include <stddef.h>

#include "buf.h"

enum {
    FORM_EMAIL_MAX = 254,     /* RFC 5321's limit on a forward path */
    FORM_REFERRER_MAX = 1024, /* stored; a longer one is cut */
    FORM_UA_MAX = 512,        /* user agent, stored; cut */
    FORM_PATH_MAX = 512,      /* next and landing */
    FORM_FIELDS_MAX = 64,     /* name=value pairs in one body */
};

typedef struct form_signup {
    buf email, referrer, website, next, landing;
} form_signup;

/* Why a form was refused: a code for JSON and logs, a message for people. */
typedef struct form_error {
    const char *code;    /* "email_invalid" */
    const char *field;   /* "email", or NULL */
    const char *message; /* one sentence, for the visitor */
} form_error;

void form_init(form_signup *f);
void form_free(form_signup *f);

/*
 * Parses a urlencoded body into f.  Returns 0, or -1 with e set when the
 * body is malformed (bad %-escape, a field given twice, too many fields,
 * a value longer than any field may be).
 */
int form_parse(const char *body, size_t n, form_signup *f, form_error *e);

/*
 * Checks the parsed fields: trims blanks around the email, validates it,
 * checks next and landing, cleans the referrer (invalid UTF-8 and control
 * characters replaced, cut to FORM_REFERRER_MAX).  Returns 0, or -1 with
 * e set.  A filled honeypot is reported as code "honeypot".
 */
int form_check(form_signup *f, form_error *e);

/*
 * Is s an email address hone accepts?  Everything accepted here is also
 * accepted by Django's EmailValidator (checked by tests/signup/emails.txt
 * against Django itself); hone is stricter in a few ways on purpose: ASCII
 * only (write an international domain in its xn-- form), no quoted local
 * parts, no IP-literal or bare "localhost" domains, at most 64 bytes before
 * the @ and 254 in all, and no top-level label that starts with '-'.
 */
bool form_email_valid(const char *s, size_t n);

/* A path on this site: starts with one '/', printable ASCII, no '\',
 * at most FORM_PATH_MAX bytes.  strict also refuses '.' and '..'
 * segments and anything outside [A-Za-z0-9._~/-] (landing pages, which
 * become file names). */
bool form_local_path(const char *s, size_t n, bool strict);

/* Appends s cut to at most cap bytes on a character boundary, with
 * invalid UTF-8 and control characters replaced by '?'. */
void form_clean_text(buf *out, const char *s, size_t n, size_t cap);

#endif
