/*
 * pool: see pool.h.  Threads are created per run: a build has three
 * parallel stages, so pooling threads across them would save nothing
 * measurable and cost a queue.
 */
#include "pool.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

typedef struct run {
    pool_fn fn;
    void *ctx;
    size_t njobs;
    atomic_size_t next;
} run;

typedef struct worker {
    run *r;
    int id;
} worker;

static void *
work(void *arg)
{
    worker *w = arg;
    for (;;) {
        size_t job = atomic_fetch_add(&w->r->next, 1);
        if (job >= w->r->njobs) break;
        w->r->fn(w->r->ctx, job, w->id);
    }
    return NULL;
}

void
pool_run(int nthreads, size_t njobs, pool_fn fn, void *ctx)
{
    run r = {fn, ctx, njobs, 0};
    if (nthreads < 1) nthreads = 1;
    if ((size_t)nthreads > njobs) nthreads = njobs ? (int)njobs : 1;
    pthread_t *th = calloc((size_t)nthreads, sizeof(*th));
    worker *ws = calloc((size_t)nthreads, sizeof(*ws));
    if (!th || !ws) {
        fputs("hone: out of memory\n", stderr);
        abort();
    }
    int started = 1;
    for (int i = 0; i < nthreads; i++) {
        ws[i].r = &r;
        ws[i].id = i;
    }
    for (int i = 1; i < nthreads; i++) {
        if (pthread_create(&th[i], NULL, work, &ws[i]) != 0)
            break; /* fewer threads: the jobs still all run */
        started++;
    }
    work(&ws[0]);
    for (int i = 1; i < started; i++)
        pthread_join(th[i], NULL);
    free(th);
    free(ws);
}

int
pool_cpus(void)
{
    long n = sysconf(_SC_NPROCESSORS_ONLN);
    return n > 0 ? (int)n : 1;
}
