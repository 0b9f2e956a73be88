/*
 * store: the signup store, an SQLite database both programs open.
 *
 * hone-fcgi writes it (through fcgi/commit.c, which batches signups into
 * group commits); `hone signups export` reads it.  The schema is versioned
 * with PRAGMA user_version and upgraded in order by store_open, so an old
 * database is carried forward and a newer one is refused.  Every
 * statement is prepared once, with parameters: no SQL is ever built from
 * text a visitor sent.
 *
 * Durability: WAL with synchronous=FULL, so a COMMIT has reached the disk
 * when it returns.  A store handle belongs to one thread at a time.
 */
#ifndef HONE_STORE_H
#define HONE_STORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "buf.h"

typedef struct store store;

/* One signup, as stored.  Text fields are NUL-terminated. */
typedef struct store_signup {
    int64_t id;
    const char *email;
    const char *created_at; /* "2026-11-26T19:40:12Z" (UTC) */
    const char *ip;
    const char *user_agent;
    const char *referrer;
    const char *landing;
} store_signup;

/* One certificate download (schema 2).  Text fields are NUL-terminated. */
typedef struct store_download {
    int64_t member_id;          /* the signup's row id, from the member cookie */
    const char *certificate;    /* site.yaml's certificate name */
    const char *downloaded_at;  /* "2026-11-26T19:40:12Z", as stamped in the PDF */
    const char *certificate_id; /* the stamp's /HoneCertificateId */
} store_download;

enum {
    STORE_READONLY = 1, /* hone signups export */
    STORE_CREATE = 2,   /* create the file (and upgrade the schema) */
};

/*
 * Opens (and with STORE_CREATE creates and upgrades) the store at path.
 * Returns 0, or -1 with a message in err that names the file.
 */
int store_open(const char *path, int flags, store **out, buf *err);
void store_close(store *s);

/* Transactions for group commit: BEGIN IMMEDIATE ... COMMIT (or ROLLBACK).
 * Each returns 0 or -1 with a message in err. */
int store_begin(store *s, buf *err);
int store_commit(store *s, buf *err);
void store_rollback(store *s);

/*
 * Adds a signup inside a transaction.  A repeat email (compared without
 * case) adds nothing: *created is false and *id is the first signup's.
 * created_at may be NULL for "now".  Returns 0 or -1 with err.
 */
int store_add(store *s, const store_signup *in, int64_t *id, bool *created, buf *err);

/* Records a download inside a transaction; *id is its row.  0, 1 when
 * the member is no longer in the store (nothing recorded), or -1. */
int store_add_download(store *s, const store_download *in, int64_t *id, buf *err);

/* The email of signup id into out; 0 found, 1 no such id, -1 error. */
int store_email_of(store *s, int64_t id, buf *out, buf *err);

/* Calls fn for each signup created at or after since (an ISO 8601 UTC
 * "YYYY-MM-DDTHH:MM:SSZ", or NULL for all), oldest first.  fn returns
 * non-zero to stop.  Returns 0, or -1 with err. */
int store_each(store *s, const char *since, int (*fn)(void *ctx, const store_signup *row),
               void *ctx, buf *err);

/* Number of signups (for tests and the log). */
int64_t store_count(store *s);
/* Number of recorded downloads. */
int64_t store_download_count(store *s);

/* "now" as the store writes it: "2026-11-26T19:40:12Z". */
void store_now(char out[21]);

#endif
