/*
 * commit: the writer thread and its queue.  See commit.h.
 *
 *   worker:  lock; append item; signal `work`; wait on the item's own
 *            condition until item->done; unlock; answer from item->status
 *   writer:  lock; wait on `work` for items; take up to max_batch; unlock;
 *            BEGIN IMMEDIATE; INSERT each; COMMIT (or ROLLBACK on any
 *            error); lock; set each item's result and done, and wake that
 *            item's worker alone; unlock; repeat
 *
 * One condition per item: a finished batch wakes exactly its own workers,
 * not every worker waiting for the next batch.  A download record from
 * commit_record is a heap copy marked detached: the writer frees it after
 * its batch instead of waking anyone.
 */
#include "commit.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct commit {
    store *s;
    size_t max_batch, max_pending;
    size_t pending; /* detached records queued or being written */
    bool failing;   /* the last batch was not stored */
    pthread_t writer;
    pthread_mutex_t mu;
    pthread_cond_t work;
    commit_item *head, *tail;
    bool stopping;
    uint64_t signups, downloads, batches, failed;
};

/* Writes one batch; returns 0 when it was committed. */
static int
write_batch(commit *c, commit_item *first, size_t n)
{
    buf err = BUF_INIT;
    int rc = store_begin(c->s, &err);
    commit_item *it = first;
    for (size_t i = 0; rc == 0 && i < n; i++, it = it->next) {
        it->status = 0;
        if (it->kind == COMMIT_DOWNLOAD) {
            int r = store_add_download(c->s, &it->dl, &it->id, &err);
            if (r > 0) it->status = 1; /* the member is gone: nothing to record */
            rc = r < 0 ? r : 0;
        } else {
            rc = store_add(c->s, &it->in, &it->id, &it->created, &err);
        }
    }
    if (rc == 0)
        rc = store_commit(c->s, &err);
    else
        store_rollback(c->s);
    if (rc != 0)
        fprintf(stderr, "hone-fcgi: a batch of %zu signups and downloads was not stored: %s\n", n,
                buf_cstr(&err));
    buf_free(&err);
    return rc;
}

static void *
writer(void *arg)
{
    commit *c = arg;
    pthread_mutex_lock(&c->mu);
    for (;;) {
        while (!c->head && !c->stopping)
            pthread_cond_wait(&c->work, &c->mu);
        if (!c->head) break; /* stopping, and nothing left */
        commit_item *first = c->head, *last = first;
        size_t n = 1;
        while (last->next && n < c->max_batch) {
            last = last->next;
            n++;
        }
        c->head = last->next;
        if (!c->head) c->tail = NULL;
        last->next = NULL;
        pthread_mutex_unlock(&c->mu);

        int rc = write_batch(c, first, n);

        pthread_mutex_lock(&c->mu);
        c->batches++;
        if (rc) c->failed += n;
        for (commit_item *it = first, *nx; it; it = nx) {
            nx = it->next; /* it may be gone once its worker wakes */
            if (it->kind == COMMIT_DOWNLOAD)
                c->downloads++;
            else
                c->signups++;
            if (rc) it->status = -1;
            if (it->detached) {
                c->pending--;
                free(it);
                continue;
            }
            it->batch = n;
            it->done = true;
            pthread_cond_signal(&it->woken);
        }
        c->failing = rc != 0;
    }
    pthread_mutex_unlock(&c->mu);
    return NULL;
}

commit *
commit_start(store *s, size_t max_batch, size_t max_pending)
{
    commit *c = xcalloc(1, sizeof(*c));
    c->s = s;
    c->max_batch = max_batch ? max_batch : 1;
    c->max_pending = max_pending;
    pthread_mutex_init(&c->mu, NULL);
    pthread_cond_init(&c->work, NULL);
    if (pthread_create(&c->writer, NULL, writer, c) != 0) {
        fputs("hone-fcgi: cannot start the writer thread\n", stderr);
        abort();
    }
    return c;
}

/* Appends it to the writer's queue and wakes the writer; c->mu is held. */
static void
enqueue(commit *c, commit_item *it)
{
    if (c->tail)
        c->tail->next = it;
    else
        c->head = it;
    c->tail = it;
    pthread_cond_signal(&c->work);
}

int
commit_submit(commit *c, commit_item *it)
{
    it->done = false;
    it->status = -1;
    it->next = NULL;
    pthread_mutex_lock(&c->mu);
    if (c->stopping) {
        pthread_mutex_unlock(&c->mu);
        return -1;
    }
    pthread_cond_init(&it->woken, NULL);
    enqueue(c, it);
    while (!it->done)
        pthread_cond_wait(&it->woken, &c->mu);
    pthread_mutex_unlock(&c->mu);
    pthread_cond_destroy(&it->woken);
    return it->status;
}

/* Appends s to the item's own storage at *p; returns the copy. */
static const char *
keep(char **p, const char *s)
{
    size_t n = strlen(s) + 1;
    memcpy(*p, s, n);
    const char *r = *p;
    *p += n;
    return r;
}

int
commit_record(commit *c, const store_download *d)
{
    pthread_mutex_lock(&c->mu);
    bool wait = c->failing || c->pending >= c->max_pending;
    pthread_mutex_unlock(&c->mu);
    if (wait) {
        commit_item it;
        memset(&it, 0, sizeof(it));
        it.kind = COMMIT_DOWNLOAD;
        it.dl = *d;
        return commit_submit(c, &it);
    }
    /* one allocation: the item, then its three strings */
    size_t n = sizeof(commit_item) + strlen(d->certificate) + strlen(d->downloaded_at) +
               strlen(d->certificate_id) + 3;
    commit_item *it = xcalloc(1, n);
    char *p = (char *)(it + 1);
    it->kind = COMMIT_DOWNLOAD;
    it->detached = true;
    it->dl.member_id = d->member_id;
    it->dl.certificate = keep(&p, d->certificate);
    it->dl.downloaded_at = keep(&p, d->downloaded_at);
    it->dl.certificate_id = keep(&p, d->certificate_id);
    pthread_mutex_lock(&c->mu);
    if (c->stopping) {
        pthread_mutex_unlock(&c->mu);
        free(it);
        return -1;
    }
    c->pending++;
    enqueue(c, it);
    pthread_mutex_unlock(&c->mu);
    return 0;
}

void
commit_stop(commit *c)
{
    if (!c) return;
    pthread_mutex_lock(&c->mu);
    c->stopping = true;
    pthread_cond_signal(&c->work);
    pthread_mutex_unlock(&c->mu);
    pthread_join(c->writer, NULL);
    store_close(c->s);
    pthread_cond_destroy(&c->work);
    pthread_mutex_destroy(&c->mu);
    free(c);
}

void
commit_stats(commit *c, uint64_t *signups, uint64_t *downloads, uint64_t *batches, uint64_t *failed)
{
    pthread_mutex_lock(&c->mu);
    *signups = c->signups;
    *downloads = c->downloads;
    *batches = c->batches;
    *failed = c->failed;
    pthread_mutex_unlock(&c->mu);
}
