/*
 * pool: run N independent jobs on T threads.
 *
 * Workers take the next job number from one atomic counter, so a slow job
 * never holds up the others and no queue is needed.  The calling thread
 * works too (as thread 0).  Each job is told which thread runs it, so it
 * can use that thread's own arena, buffer and diagnostics.
 */
#ifndef HONE_POOL_H
#define HONE_POOL_H

#include <stddef.h>

typedef void (*pool_fn)(void *ctx, size_t job, int thread);

/* Runs fn for job 0..njobs-1 on nthreads threads; returns when all ran. */
void pool_run(int nthreads, size_t njobs, pool_fn fn, void *ctx);

/* The number of online processors (at least 1). */
int pool_cpus(void);

#endif
