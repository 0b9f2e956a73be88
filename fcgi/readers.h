/*
 * readers: read-only connections to the store for the worker threads.
 *
 * The writer thread (commit.c) owns the one read-write connection; a
 * download looks up its member's email on a connection of its own, taken
 * from this pool and given back.  In WAL mode readers never wait for the
 * writer and see every committed signup.  Connections are opened when
 * first needed, so the pool holds at most one per worker thread.
 */
#ifndef HONE_READERS_H
#define HONE_READERS_H

#include <stdbool.h>

#include "buf.h"
#include "store.h"

typedef struct readers readers;

readers *readers_new(const char *path);
/* Closes every connection; all must have been given back. */
void readers_free(readers *r);

/* A connection for this thread's use, or NULL with a message in err. */
store *readers_take(readers *r, buf *err);
/* Gives it back; ok false closes it instead (it failed). */
void readers_put(readers *r, store *s, bool ok);

#endif
