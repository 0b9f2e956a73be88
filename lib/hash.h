/*
 * hash: FNV-1a (64 bits), the one string hash of hone's open-addressing
 * tables (heading ids, taxonomy terms) and of the shortcode placeholder
 * prefix.  The keys come from the site's own files, not from visitors,
 * so a hash an attacker could flood does no harm here.
 */
#ifndef HONE_HASH_H
#define HONE_HASH_H

#include <stddef.h>
#include <stdint.h>

#define HASH_SEED ((uint64_t)14695981039346656037u)

/* h with n more bytes of p hashed in (start from HASH_SEED). */
static inline uint64_t
hash_more(uint64_t h, const void *p, size_t n)
{
    const unsigned char *s = p;
    for (size_t i = 0; i < n; i++)
        h = (h ^ s[i]) * 1099511628211u;
    return h;
}

static inline uint64_t
hash_bytes(const void *p, size_t n)
{
    return hash_more(HASH_SEED, p, n);
}

#endif
