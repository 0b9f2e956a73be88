/*
 * buf: the one growable byte buffer of hone.
 *
 * Every string hone builds (rendered pages, feeds, escaped text, HTTP
 * answers) is appended to a buf.  A buf may carry a size limit: once an
 * append would cross it, the buf refuses the bytes and sets a sticky
 * error flag, so a caller (the template renderer, say) can append freely
 * and check once.  Allocation failure aborts: hone has no sensible way to
 * go on without memory, and a half-written page must never be taken for a
 * whole one.
 *
 * data is always NUL-terminated when len > 0 or after buf_cstr().
 */
#ifndef HONE_BUF_H
#define HONE_BUF_H

#include <stdarg.h>
#include <stddef.h>

typedef struct buf {
    char *data;
    size_t len;
    size_t cap;
    size_t limit; /* 0: no limit */
    int err;      /* set when an append was refused */
} buf;

#define BUF_INIT                                                                                   \
    {                                                                                              \
        NULL, 0, 0, 0, 0                                                                           \
    }

void buf_init(buf *b);
void buf_free(buf *b);
void buf_reset(buf *b); /* len = 0, keeps memory, clears err */

/* Each returns 0, or -1 (and sets b->err) when the limit would be crossed.
 * buf_put and buf_putc are inline when the bytes fit: rendering a page
 * appends thousands of short pieces, and the call was a quarter of it. */
int buf_put_slow(buf *b, const void *p, size_t n);
int buf_puts(buf *b, const char *s);

static inline int
buf_put(buf *b, const void *p, size_t n)
{
    if (b->cap - b->len > n && !b->err && (!b->limit || b->limit - b->len >= n)) {
        if (n) {
            __builtin_memcpy(b->data + b->len, p, n);
            b->len += n;
            b->data[b->len] = '\0';
        }
        return 0;
    }
    return buf_put_slow(b, p, n);
}

static inline int
buf_putc(buf *b, int c)
{
    char ch = (char)c;
    return buf_put(b, &ch, 1);
}
int buf_printf(buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
int buf_vprintf(buf *b, const char *fmt, va_list ap) __attribute__((format(printf, 2, 0)));

/* A NUL-terminated view of the contents ("" when empty). */
const char *buf_cstr(buf *b);

/* Hands the storage to the caller (NUL-terminated, never NULL), empties b. */
char *buf_detach(buf *b, size_t *len);

/* Memory helpers that abort on failure and check multiplication overflow. */
void *xmalloc(size_t n);
void *xcalloc(size_t n, size_t size);
void *xrealloc(void *p, size_t n);
void *xreallocarray(void *p, size_t n, size_t size);
char *xstrndup(const char *s, size_t n);
char *xstrdup(const char *s);

#endif
