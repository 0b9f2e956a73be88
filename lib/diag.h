/*
 * diag: error reports that say where and what.
 *
 * hone reports every error it finds, not only the first, so errors are
 * collected into a diags list and printed together as
 *     file:line:col: error: what is wrong; what to do
 * A diags list belongs to one thread; parallel stages keep one each and
 * merge them in a fixed order so the report is deterministic.
 */
#ifndef HONE_DIAG_H
#define HONE_DIAG_H

#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>

typedef enum diag_level { DIAG_ERROR, DIAG_WARNING } diag_level;

typedef struct diag {
    diag_level level;
    char *file; /* may be NULL */
    int line;   /* 1-based; 0 when unknown */
    int col;    /* 1-based; 0 when unknown */
    char *msg;
} diag;

typedef struct diags {
    diag *v;
    size_t n, cap;
    size_t errors;
} diags;

#define DIAGS_INIT                                                                                 \
    {                                                                                              \
        NULL, 0, 0, 0                                                                              \
    }

void diags_init(diags *d);
void diags_free(diags *d);
void diag_add(diags *d, diag_level lv, const char *file, int line, int col, const char *fmt, ...)
    __attribute__((format(printf, 6, 7)));
void diag_vadd(diags *d, diag_level lv, const char *file, int line, int col, const char *fmt,
               va_list ap) __attribute__((format(printf, 6, 0)));
#define diag_err(d, file, line, col, ...)                                                          \
    diag_add((d), DIAG_ERROR, (file), (line), (col), __VA_ARGS__)
/* Moves every entry of src to the end of dst. */
void diags_move(diags *dst, diags *src);
/* Sorts by file, line, col (stable), for a deterministic report. */
void diags_sort(diags *d);
void diags_print(const diags *d, FILE *f);
/* One entry as "file:line:col: error: msg" into a string (caller frees). */
char *diag_str(const diag *e);

/* Line and column (1-based, columns in bytes) of byte offset off in text. */
void diag_linecol(const char *text, size_t off, int *line, int *col);

#endif
