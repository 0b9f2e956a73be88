/*
 * buf: growable byte buffer with an optional hard limit.  See buf.h.
 */
#include "buf.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void
oom(void)
{
    fputs("hone: out of memory\n", stderr);
    abort();
}

void *
xmalloc(size_t n)
{
    void *p = malloc(n ? n : 1);
    if (!p) oom();
    return p;
}

void *
xcalloc(size_t n, size_t size)
{
    void *p = calloc(n ? n : 1, size ? size : 1);
    if (!p) oom();
    return p;
}

void *
xrealloc(void *p, size_t n)
{
    p = realloc(p, n ? n : 1);
    if (!p) oom();
    return p;
}

void *
xreallocarray(void *p, size_t n, size_t size)
{
    if (size && n > SIZE_MAX / size) oom();
    return xrealloc(p, n * size);
}

char *
xstrndup(const char *s, size_t n)
{
    char *p = xmalloc(n + 1);
    memcpy(p, s, n);
    p[n] = '\0';
    return p;
}

char *
xstrdup(const char *s)
{
    return xstrndup(s, strlen(s));
}

void
buf_init(buf *b)
{
    memset(b, 0, sizeof(*b));
}

void
buf_free(buf *b)
{
    free(b->data);
    buf_init(b);
}

void
buf_reset(buf *b)
{
    b->len = 0;
    b->err = 0;
    if (b->data) b->data[0] = '\0';
}

/* Makes room for n more bytes plus a NUL; -1 if the limit forbids it. */
static int
reserve(buf *b, size_t n)
{
    if (n > SIZE_MAX - b->len - 1 || (b->limit && b->len + n > b->limit)) {
        b->err = 1;
        return -1;
    }
    size_t need = b->len + n + 1;
    if (need <= b->cap) return 0;
    size_t cap = b->cap ? b->cap : 64;
    while (cap < need)
        cap = cap > SIZE_MAX / 2 ? need : cap * 2;
    b->data = xrealloc(b->data, cap);
    b->cap = cap;
    return 0;
}

int
buf_put_slow(buf *b, const void *p, size_t n)
{
    if (n == 0) return b->err ? -1 : 0;
    if (b->err || reserve(b, n) < 0) return -1;
    memcpy(b->data + b->len, p, n);
    b->len += n;
    b->data[b->len] = '\0';
    return 0;
}

int
buf_puts(buf *b, const char *s)
{
    return buf_put(b, s, strlen(s));
}

int
buf_vprintf(buf *b, const char *fmt, va_list ap)
{
    va_list ap2;
    va_copy(ap2, ap);
    int n = vsnprintf(NULL, 0, fmt, ap2);
    va_end(ap2);
    if (n < 0 || b->err || reserve(b, (size_t)n) < 0) return -1;
    vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
    b->len += (size_t)n;
    return 0;
}

int
buf_printf(buf *b, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int r = buf_vprintf(b, fmt, ap);
    va_end(ap);
    return r;
}

const char *
buf_cstr(buf *b)
{
    return b->data ? b->data : "";
}

char *
buf_detach(buf *b, size_t *len)
{
    char *p = b->data ? b->data : xstrdup("");
    if (len) *len = b->len;
    buf_init(b);
    return p;
}
