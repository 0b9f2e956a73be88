/*
 * commit: group commit of signups into the store.
 *
 * An fsync costs about a millisecond here, so one transaction per signup
 * would cap the server near a thousand signups a second.  Instead the
 * worker threads hand their signup to one writer thread and wait; the
 * writer takes everything queued, writes it in one transaction (one
 * COMMIT, one fsync of the WAL), and only then wakes each waiting worker
 * with its own result.  Signups that arrive while a batch is being
 * committed form the next batch, so batches grow with the load and a lone
 * signup is never delayed by a timer.
 *
 * Guarantees: a worker is told "stored" only after COMMIT returned (with
 * synchronous=FULL: on disk).  When the COMMIT fails (disk full, a lock
 * held too long, I/O error) the whole batch is rolled back and every
 * worker in it is told "failed", which the caller answers with 503;
 * nothing is half-stored.  The queue is bounded by the number of worker
 * threads, as each worker waits for its own item.
 */
#ifndef HONE_COMMIT_H
#define HONE_COMMIT_H

#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "store.h"

typedef struct commit commit;

/* One signup waiting for its batch.  Lives on the worker's stack. */
typedef struct commit_item {
    store_signup in;
    int64_t id;   /* out: the member's row id (new or earlier) */
    bool created; /* out: a new row (false: the email was known) */
    size_t batch; /* out: how many signups shared the transaction */
    int status;   /* out: 0 committed, -1 not stored */
    bool done;
    pthread_cond_t woken; /* the writer signals it when done is set */
    struct commit_item *next;
} commit_item;

/* Starts the writer thread on s (which it then owns until commit_stop). */
commit *commit_start(store *s, size_t max_batch);

/* Queues it and waits until its batch is committed or failed; returns
 * it->status.  -1 at once after commit_stop began. */
int commit_submit(commit *c, commit_item *it);

/* Lets the writer finish what is queued, stops it, closes the store. */
void commit_stop(commit *c);

/* Totals since start, for the log: signups and transactions. */
void commit_stats(commit *c, uint64_t *items, uint64_t *batches, uint64_t *failed);

#endif
