/*
 * diag: collected diagnostics.  See diag.h.
 */
#include "diag.h"
#include "buf.h"

#include <stdlib.h>
#include <string.h>

void
diags_init(diags *d)
{
    memset(d, 0, sizeof(*d));
}

void
diags_free(diags *d)
{
    for (size_t i = 0; i < d->n; i++) {
        free(d->v[i].file);
        free(d->v[i].msg);
    }
    free(d->v);
    diags_init(d);
}

static void
push(diags *d, diag e)
{
    if (d->n == d->cap) {
        d->cap = d->cap ? d->cap * 2 : 8;
        d->v = xreallocarray(d->v, d->cap, sizeof(*d->v));
    }
    d->v[d->n++] = e;
    if (e.level == DIAG_ERROR) d->errors++;
}

void
diag_vadd(diags *d, diag_level lv, const char *file, int line, int col, const char *fmt, va_list ap)
{
    buf b = BUF_INIT;
    buf_vprintf(&b, fmt, ap);
    diag e = {lv, file ? xstrdup(file) : NULL, line, col, buf_detach(&b, NULL)};
    push(d, e);
}

void
diag_add(diags *d, diag_level lv, const char *file, int line, int col, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    diag_vadd(d, lv, file, line, col, fmt, ap);
    va_end(ap);
}

void
diags_move(diags *dst, diags *src)
{
    for (size_t i = 0; i < src->n; i++)
        push(dst, src->v[i]);
    free(src->v);
    diags_init(src);
}

static int
cmp(const diag *a, const diag *b)
{
    int c = strcmp(a->file ? a->file : "", b->file ? b->file : "");
    if (c) return c;
    if (a->line != b->line) return a->line < b->line ? -1 : 1;
    if (a->col != b->col) return a->col < b->col ? -1 : 1;
    return 0;
}

void
diags_sort(diags *d)
{
    /* insertion sort: stable, and reports are short */
    for (size_t i = 1; i < d->n; i++) {
        diag e = d->v[i];
        size_t j = i;
        while (j > 0 && cmp(&d->v[j - 1], &e) > 0) {
            d->v[j] = d->v[j - 1];
            j--;
        }
        d->v[j] = e;
    }
}

static void
format(const diag *e, buf *b)
{
    if (e->file) {
        buf_puts(b, e->file);
        if (e->line > 0) {
            buf_printf(b, ":%d", e->line);
            if (e->col > 0) buf_printf(b, ":%d", e->col);
        }
        buf_puts(b, ": ");
    }
    buf_puts(b, e->level == DIAG_ERROR ? "error: " : "warning: ");
    buf_puts(b, e->msg);
}

char *
diag_str(const diag *e)
{
    buf b = BUF_INIT;
    format(e, &b);
    return buf_detach(&b, NULL);
}

void
diags_print(const diags *d, FILE *f)
{
    buf b = BUF_INIT;
    for (size_t i = 0; i < d->n; i++) {
        buf_reset(&b);
        format(&d->v[i], &b);
        buf_putc(&b, '\n');
        fwrite(b.data, 1, b.len, f);
    }
    buf_free(&b);
}

void
diag_linecol(const char *text, size_t off, int *line, int *col)
{
    int l = 1;
    size_t start = 0;
    for (size_t i = 0; i < off; i++) {
        if (text[i] == '\n') {
            l++;
            start = i + 1;
        }
    }
    *line = l;
    *col = (int)(off - start) + 1;
}
