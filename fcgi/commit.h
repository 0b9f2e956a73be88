/*
 * commit: group commit of signups (and certificate downloads) into the
 * store.
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
 *
 * Certificate downloads are recorded by the same writer, but their
 * workers do not wait (commit_record): the record is queued before the
 * first byte of the answer is sent and is in the next group commit,
 * milliseconds later.  Waiting for it would cost a third of the downloads
 * a second (bench/README.md), and a certificate carries its own proof
 * (its MAC) whether or not its record was written.  What can be lost: the
 * records of downloads answered in the moment before hone-fcgi is killed
 * or the machine stops, and those of a batch whose COMMIT fails.  After a
 * failed batch the store is "failing": each download then waits for its
 * own commit, and is answered 503 when that fails, until a commit
 * succeeds again.  Queued records are bounded (max_pending); past that a
 * download waits too.  commit_stop commits everything queued.
 */
#ifndef HONE_COMMIT_H
#define HONE_COMMIT_H

#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "store.h"

typedef struct commit commit;

typedef enum commit_kind {
    COMMIT_SIGNUP = 0,
    COMMIT_DOWNLOAD,
} commit_kind;

/* One signup or download waiting for its batch.  Lives on the worker's
 * stack. */
typedef struct commit_item {
    commit_kind kind;
    store_signup in;   /* COMMIT_SIGNUP */
    store_download dl; /* COMMIT_DOWNLOAD */
    int64_t id;        /* out: the member's row id (new or earlier), or the download's */
    bool created;      /* out: a new row (false: the email was known) */
    size_t batch;      /* out: how many items shared the transaction */
    int status;        /* out: 0 committed, -1 not stored, 1 member gone (downloads) */
    bool done;
    bool detached;        /* commit_record's copy: no one waits, the writer frees it */
    pthread_cond_t woken; /* the writer signals it when done is set */
    struct commit_item *next;
} commit_item;

/* Starts the writer thread on s (which it then owns until commit_stop).
 * At most max_pending download records wait unacknowledged. */
commit *commit_start(store *s, size_t max_batch, size_t max_pending);

/* Queues it and waits until its batch is committed or failed; returns
 * it->status.  -1 at once after commit_stop began. */
int commit_submit(commit *c, commit_item *it);

/*
 * Records a download (copied) for the next batch and returns 0 without
 * waiting, or, while the store is failing or max_pending records are
 * queued, waits for its own commit and returns as commit_submit (0, -1
 * not stored, 1 the member is gone).  -1 at once after commit_stop began.
 */
int commit_record(commit *c, const store_download *d);

/* Lets the writer finish what is queued, stops it, closes the store. */
void commit_stop(commit *c);

/* Totals since start, for the log: signups, downloads, transactions,
 * and items not stored. */
void commit_stats(commit *c, uint64_t *signups, uint64_t *downloads, uint64_t *batches,
                  uint64_t *failed);

#endif
