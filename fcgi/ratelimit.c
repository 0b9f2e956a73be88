/*
 * ratelimit: token buckets in an open-addressed table.  See ratelimit.h.
 */
#include "ratelimit.h"
#include "buf.h"

#include <arpa/inet.h>
#include <math.h>
#include <pthread.h>
#include <sodium.h>
#include <stdlib.h>
#include <string.h>

enum { PROBE = 8 };

typedef struct bucket {
    uint8_t key[16];
    double tokens;
    double last; /* when tokens was computed; 0: empty slot */
} bucket;

struct ratelimit {
    pthread_mutex_t mu;
    bucket *slots;
    size_t mask;
    double rate; /* tokens per second */
    double burst;
    uint8_t hkey[crypto_shorthash_KEYBYTES];
};

ratelimit *
ratelimit_new(size_t slots, double per_minute, double burst)
{
    if (sodium_init() < 0) return NULL;
    size_t n = 16;
    while (n < slots && n < ((size_t)1 << 24))
        n <<= 1;
    ratelimit *r = xcalloc(1, sizeof(*r));
    pthread_mutex_init(&r->mu, NULL);
    r->slots = xcalloc(n, sizeof(bucket));
    r->mask = n - 1;
    r->rate = per_minute / 60.0;
    r->burst = burst < 1 ? 1 : burst;
    randombytes_buf(r->hkey, sizeof(r->hkey));
    return r;
}

void
ratelimit_free(ratelimit *r)
{
    if (!r) return;
    pthread_mutex_destroy(&r->mu);
    free(r->slots);
    free(r);
}

/* The address as 16 bytes: IPv4 mapped into IPv6, IPv6 cut to its /64. */
static void
key_of(const char *addr, uint8_t k[16])
{
    memset(k, 0, 16);
    struct in_addr a4;
    if (addr && inet_pton(AF_INET, addr, &a4) == 1) {
        k[10] = k[11] = 0xff;
        memcpy(k + 12, &a4, 4);
    } else if (addr && inet_pton(AF_INET6, addr, k) == 1) {
        memset(k + 8, 0, 8);
    }
}

static double
refill(const ratelimit *r, const bucket *b, double now)
{
    double t = b->tokens + (now - b->last) * r->rate;
    return t > r->burst ? r->burst : t;
}

long
ratelimit_take(ratelimit *r, const char *addr, double now)
{
    uint8_t k[16], h[crypto_shorthash_BYTES];
    key_of(addr, k);
    crypto_shorthash(h, k, sizeof(k), r->hkey);
    uint64_t hv;
    memcpy(&hv, h, sizeof(hv));
    if (now <= 0) now = 1e-9; /* last == 0 marks an empty slot */
    pthread_mutex_lock(&r->mu);
    bucket *b = NULL, *oldest = NULL;
    for (size_t i = 0; i < PROBE && !b; i++) {
        bucket *s = &r->slots[(hv + i) & r->mask];
        if (s->last != 0 && memcmp(s->key, k, 16) == 0)
            b = s;
        else if (!oldest || s->last < oldest->last)
            oldest = s;
    }
    if (!b) {
        b = oldest;
        memcpy(b->key, k, 16);
        b->tokens = r->burst;
        b->last = now;
    }
    double t = refill(r, b, now);
    long wait = 0;
    if (t >= 1) {
        t -= 1;
    } else {
        wait = (long)ceil((1 - t) / r->rate);
        if (wait < 1) wait = 1;
    }
    b->tokens = t;
    b->last = now;
    pthread_mutex_unlock(&r->mu);
    return wait;
}
