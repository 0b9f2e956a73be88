/*
 * utf8: decoding and checking UTF-8, the only encoding hone reads.
 */
#ifndef HONE_UTF8_H
#define HONE_UTF8_H

#include <stddef.h>
#include <stdint.h>

#include "buf.h"

/*
 * Decodes one code point at s (n bytes available).  Returns the number of
 * bytes it takes (1..4) and sets *cp; an invalid or truncated sequence
 * (overlong, surrogate, > U+10FFFF) returns 1 with *cp = 0xFFFD.
 */
size_t utf8_decode(const char *s, size_t n, uint32_t *cp);
/* Appends the UTF-8 form of cp. */
void utf8_encode(buf *out, uint32_t cp);
/* Number of code points in s. */
size_t utf8_count(const char *s, size_t n);
/* Byte offset of the first invalid sequence, or n when s is valid UTF-8. */
size_t utf8_check(const char *s, size_t n);
/* Byte offset of code point number i (n when past the end). */
size_t utf8_offset(const char *s, size_t n, size_t i);

#endif
