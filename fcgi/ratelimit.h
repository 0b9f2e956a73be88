/*
 * ratelimit: a token bucket per client address, in bounded memory.
 *
 * Each address may spend `burst` requests at once and earns per_minute
 * more each minute.  Buckets live in a fixed table (slots, a power of
 * two) found by a keyed hash (SipHash with a random key, so no one can
 * aim collisions); a lookup probes a few neighbouring slots and, when all
 * are taken, reuses the one idle longest.  A bucket idle long enough to be
 * full again is the same as no bucket, so forgetting it loses nothing;
 * only a flood of more addresses than slots can make the limiter forget an
 * address early, and then it errs towards letting a request through.
 *
 * IPv6 clients are limited per /64, the block one subscriber controls.
 */
#ifndef HONE_RATELIMIT_H
#define HONE_RATELIMIT_H

#include <stddef.h>
#include <stdint.h>

typedef struct ratelimit ratelimit;

ratelimit *ratelimit_new(size_t slots, double per_minute, double burst);
void ratelimit_free(ratelimit *r);

/*
 * Takes one token for the address (text, IPv4 or IPv6) at time now
 * (seconds, monotonic).  Returns 0 when allowed, else the whole seconds to
 * wait (at least 1).  An address that does not parse shares one bucket.
 * Thread-safe.
 */
long ratelimit_take(ratelimit *r, const char *addr, double now);

#endif
