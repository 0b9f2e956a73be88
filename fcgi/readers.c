/*
 * readers: a stack of idle read-only store connections.  See readers.h.
 */
#include "readers.h"

#include <pthread.h>
#include <stdlib.h>

struct readers {
    char *path;
    pthread_mutex_t mu;
    store **idle;
    size_t n, cap;
};

readers *
readers_new(const char *path)
{
    readers *r = xcalloc(1, sizeof(*r));
    r->path = xstrdup(path);
    pthread_mutex_init(&r->mu, NULL);
    return r;
}

void
readers_free(readers *r)
{
    if (!r) return;
    for (size_t i = 0; i < r->n; i++)
        store_close(r->idle[i]);
    free(r->idle);
    pthread_mutex_destroy(&r->mu);
    free(r->path);
    free(r);
}

store *
readers_take(readers *r, buf *err)
{
    store *s = NULL;
    pthread_mutex_lock(&r->mu);
    if (r->n) s = r->idle[--r->n];
    pthread_mutex_unlock(&r->mu);
    if (s) return s;
    /* opened outside the lock: a slow open delays no one else */
    if (store_open(r->path, STORE_READONLY, &s, err) < 0) return NULL;
    return s;
}

void
readers_put(readers *r, store *s, bool ok)
{
    if (!s) return;
    if (!ok) {
        store_close(s);
        return;
    }
    pthread_mutex_lock(&r->mu);
    if (r->n == r->cap) {
        r->cap = r->cap ? r->cap * 2 : 8;
        r->idle = xreallocarray(r->idle, r->cap, sizeof(*r->idle));
    }
    r->idle[r->n++] = s;
    pthread_mutex_unlock(&r->mu);
}
