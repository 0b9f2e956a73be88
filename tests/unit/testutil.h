/*
 * testutil: small helpers shared by the unit tests.
 */
#ifndef HONE_TESTUTIL_H
#define HONE_TESTUTIL_H

#include <stdlib.h>
#include <string.h>

/* An exact-size heap copy of s[0, n) (no NUL after it), so that ASan
 * reports any read past the end; aborts when out of memory. */
static inline char *
test_copy(const char *s, size_t n)
{
    char *p = malloc(n ? n : 1);
    if (!p) abort();
    if (n)
        memcpy(p, s, n);
    else
        p[0] = '\0';
    return p;
}

#endif
