/*
 * pdf: certificate templates and their stamps.  See pdf.h for the what;
 * this is the how.
 *
 * Reading.  A PDF is read from its end: "startxref" gives the offset of
 * the newest cross-reference section, a classic "xref" table followed by
 * a "trailer" dictionary, or (PDF 1.5) a cross-reference stream whose
 * dictionary is the trailer.  Each section may point at an older one with
 * /Prev, and a classic section may add a stream of entries with /XRefStm
 * (a "hybrid" file).  All entries are collected newest first, then sorted
 * by object number keeping the newest; an object is then found at a byte
 * offset or, compressed, as the k-th object of an object stream.  Streams
 * we must decode (cross-reference and object streams) are FlateDecode
 * with or without PNG predictors, decoded with zlib under a size budget.
 *
 * Every byte comes from the file, so the lexer and parser work on a
 * (pointer, length) pair and check each index; nesting, lookups within
 * lookups, section counts and decoded sizes are all bounded.  Values are
 * not built into trees: a parsed value is a span of the source plus its
 * type, and a dictionary is searched by walking its span again.  That is
 * also what lets a stamp copy the template's entries verbatim.
 *
 * Loading does all the work a stamp needs once: the template's SHA-256,
 * the numbers of the new objects, the old information dictionary's
 * entries, and the first page's entries, contents and resources as text.
 * A stamp is then a few formatted strings and the new cross-reference
 * section, with offsets counted from the template's size.
 *
 * The stamp's tail always starts with "\n" and then its first object, so
 * a verifier finds where the template ended: one byte before the lowest
 * offset the newest section records.
 */
#include "pdf.h"
#include "dt.h"
#include "fs.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <sodium.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#include "utf8.h"

enum {
    MAX_OBJNUM = 8388607, /* the PDF limit */
    MAX_GEN = 65535,
    MAX_NEST = 64,       /* arrays and dictionaries inside each other */
    MAX_LOOKUPS = 16,    /* object lookups within lookups (/Length, object streams) */
    MAX_SECTIONS = 4096, /* cross-reference sections in one /Prev chain */
    MAX_PAGE_NODES = 100000,
    MAX_PAGE_DEPTH = 64,
    ERR_LEN = 400,
};
#define MAX_STREAM  ((size_t)16 << 20)    /* decoded bytes of one stream */
#define MAX_DECODED ((size_t)128 << 20)   /* decoded bytes for one file */
#define MAX_TIME    INT64_C(253402300799) /* 9999-12-31T23:59:59Z */

static const char mac_context[] = "hone-certificate-v1\n";

/* ---------------------------------------------------------------- lexer */

typedef struct src {
    const uint8_t *p;
    size_t n;
} src;

static bool
is_ws(uint8_t c)
{
    return c == 0 || c == 9 || c == 10 || c == 12 || c == 13 || c == 32;
}

static bool
is_delim(uint8_t c)
{
    return c == '(' || c == ')' || c == '<' || c == '>' || c == '[' || c == ']' || c == '{' ||
           c == '}' || c == '/' || c == '%';
}

static bool
is_regular(uint8_t c)
{
    return !is_ws(c) && !is_delim(c);
}

static bool
is_digit(uint8_t c)
{
    return c >= '0' && c <= '9';
}

static int
hexval(uint8_t c)
{
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

/* Skips white space and comments. */
static size_t
skip_ws(const src *S, size_t i)
{
    while (i < S->n) {
        uint8_t c = S->p[i];
        if (is_ws(c)) {
            i++;
        } else if (c == '%') {
            while (i < S->n && S->p[i] != '\n' && S->p[i] != '\r')
                i++;
        } else {
            break;
        }
    }
    return i;
}

typedef enum tok_type {
    T_EOF,
    T_ERR,
    T_INT,
    T_REAL,
    T_NAME,
    T_STR,
    T_HEX,
    T_DOPEN,
    T_DCLOSE,
    T_AOPEN,
    T_ACLOSE,
    T_KW,
} tok_type;

typedef struct tok {
    tok_type t;
    size_t s, e; /* the token's bytes: [s, e) */
    int64_t i;   /* T_INT's value */
} tok;

/* A run of regular characters: an integer, a real or a keyword. */
static void
lex_word(const src *S, size_t i, tok *t)
{
    size_t j = i;
    while (j < S->n && is_regular(S->p[j]))
        j++;
    t->e = j;
    t->t = T_KW;
    size_t k = i, digits = 0, dots = 0;
    if (k < j && (S->p[k] == '+' || S->p[k] == '-')) k++;
    for (size_t m = k; m < j; m++) {
        if (is_digit(S->p[m]))
            digits++;
        else if (S->p[m] == '.')
            dots++;
        else
            return;
    }
    if (digits == 0 || dots > 1) return;
    if (dots) {
        t->t = T_REAL;
        return;
    }
    int64_t v = 0;
    for (size_t m = k; m < j; m++) {
        int dg = S->p[m] - '0';
        if (v > (INT64_MAX - dg) / 10) {
            t->t = T_REAL; /* too large to be an offset or a count */
            return;
        }
        v = v * 10 + dg;
    }
    t->t = T_INT;
    t->i = S->p[i] == '-' ? -v : v;
}

static void
lex(const src *S, size_t *pos, tok *t)
{
    size_t i = skip_ws(S, *pos);
    t->s = i;
    t->e = i;
    t->i = 0;
    t->t = T_ERR;
    if (i >= S->n) {
        t->t = T_EOF;
        *pos = i;
        return;
    }
    switch (S->p[i]) {
    case '/':
        i++;
        while (i < S->n && is_regular(S->p[i]))
            i++;
        t->t = T_NAME;
        t->e = i;
        break;
    case '(': {
        size_t depth = 1;
        i++;
        while (i < S->n && depth) {
            uint8_t c = S->p[i];
            if (c == '\\')
                i++;
            else if (c == '(')
                depth++;
            else if (c == ')')
                depth--;
            i++;
        }
        if (depth == 0) t->t = T_STR;
        t->e = i < S->n ? i : S->n;
        break;
    }
    case '<':
        if (i + 1 < S->n && S->p[i + 1] == '<') {
            t->t = T_DOPEN;
            t->e = i + 2;
            break;
        }
        i++;
        while (i < S->n && S->p[i] != '>' && (is_ws(S->p[i]) || hexval(S->p[i]) >= 0))
            i++;
        if (i < S->n && S->p[i] == '>') {
            t->t = T_HEX;
            t->e = i + 1;
        } else {
            t->e = i;
        }
        break;
    case '>':
        t->e = i + 1;
        if (i + 1 < S->n && S->p[i + 1] == '>') {
            t->t = T_DCLOSE;
            t->e = i + 2;
        }
        break;
    case '[':
        t->t = T_AOPEN;
        t->e = i + 1;
        break;
    case ']':
        t->t = T_ACLOSE;
        t->e = i + 1;
        break;
    case ')':
    case '{':
    case '}': t->e = i + 1; break;
    default: lex_word(S, i, t); break;
    }
    *pos = t->e;
}

static bool
word_is(const src *S, const tok *t, const char *w)
{
    size_t n = strlen(w);
    return t->t == T_KW && t->e - t->s == n && memcmp(S->p + t->s, w, n) == 0;
}

/* Is the name token at [s, e) (with its "/") the name key, #xx decoded? */
static bool
name_is(const src *S, size_t s, size_t e, const char *key)
{
    size_t k = 0, n = strlen(key);
    for (size_t i = s + 1; i < e; i++, k++) {
        int c = S->p[i];
        if (c == '#' && i + 2 < e && hexval(S->p[i + 1]) >= 0 && hexval(S->p[i + 2]) >= 0) {
            c = hexval(S->p[i + 1]) * 16 + hexval(S->p[i + 2]);
            i += 2;
        }
        if (k >= n || (uint8_t)key[k] != c) return false;
    }
    return k == n;
}

/* --------------------------------------------------------------- values */

typedef enum vtype {
    V_NONE, /* absent */
    V_NULL,
    V_BOOL,
    V_INT,
    V_REAL,
    V_NAME,
    V_STR,
    V_HEX,
    V_ARRAY,
    V_DICT,
    V_REF,
} vtype;

/* A parsed value: its type and its bytes [s, e) in the source it came from. */
typedef struct pval {
    vtype t;
    size_t s, e;
    int64_t i;    /* V_INT, V_BOOL */
    uint32_t num; /* V_REF */
    uint32_t gen;
} pval;

static int parse_value(const src *S, size_t *pos, pval *v, int depth);

static int
parse_from(const src *S, size_t *pos, const tok *t, pval *v, int depth)
{
    memset(v, 0, sizeof(*v));
    v->s = t->s;
    v->e = t->e;
    switch (t->t) {
    case T_INT: {
        v->t = V_INT;
        v->i = t->i;
        if (t->i < 0) return 0;
        size_t save = *pos;
        tok g, r;
        lex(S, pos, &g);
        if (g.t == T_INT && g.i >= 0) {
            lex(S, pos, &r);
            if (word_is(S, &r, "R")) {
                if (t->i > MAX_OBJNUM || g.i > MAX_GEN) return -1;
                v->t = V_REF;
                v->num = (uint32_t)t->i;
                v->gen = (uint32_t)g.i;
                v->e = r.e;
                return 0;
            }
        }
        *pos = save;
        return 0;
    }
    case T_REAL: v->t = V_REAL; return 0;
    case T_NAME: v->t = V_NAME; return 0;
    case T_STR: v->t = V_STR; return 0;
    case T_HEX: v->t = V_HEX; return 0;
    case T_AOPEN:
        if (depth >= MAX_NEST) return -1;
        v->t = V_ARRAY;
        for (;;) {
            tok x;
            pval el;
            lex(S, pos, &x);
            if (x.t == T_ACLOSE) {
                v->e = x.e;
                return 0;
            }
            if (parse_from(S, pos, &x, &el, depth + 1) < 0) return -1;
        }
    case T_DOPEN:
        if (depth >= MAX_NEST) return -1;
        v->t = V_DICT;
        for (;;) {
            tok k;
            pval val;
            lex(S, pos, &k);
            if (k.t == T_DCLOSE) {
                v->e = k.e;
                return 0;
            }
            if (k.t != T_NAME || parse_value(S, pos, &val, depth + 1) < 0) return -1;
        }
    case T_KW:
        if (word_is(S, t, "null")) {
            v->t = V_NULL;
            return 0;
        }
        if (word_is(S, t, "true") || word_is(S, t, "false")) {
            v->t = V_BOOL;
            v->i = S->p[t->s] == 't';
            return 0;
        }
        return -1;
    default: return -1;
    }
}

static int
parse_value(const src *S, size_t *pos, pval *v, int depth)
{
    tok t;
    lex(S, pos, &t);
    return parse_from(S, pos, &t, v, depth);
}

/* Walks a dictionary that parse_value() accepted: *pos starts at 0. */
static bool
dict_next(const src *S, const pval *d, size_t *pos, tok *key, pval *val)
{
    if (d->t != V_DICT) return false;
    if (*pos == 0) *pos = d->s + 2;
    lex(S, pos, key);
    if (key->t != T_NAME || key->e > d->e) return false;
    return parse_value(S, pos, val, 1) == 0;
}

static bool
dict_get(const src *S, const pval *d, const char *name, pval *out)
{
    size_t pos = 0;
    tok k;
    pval v;
    while (dict_next(S, d, &pos, &k, &v)) {
        if (name_is(S, k.s, k.e, name)) {
            *out = v;
            return true;
        }
    }
    out->t = V_NONE;
    return false;
}

/* Walks an array that parse_value() accepted. */
static bool
array_next(const src *S, const pval *a, size_t *pos, pval *el)
{
    if (a->t != V_ARRAY) return false;
    if (*pos == 0) *pos = a->s + 1;
    tok t;
    lex(S, pos, &t);
    if (t.t == T_ACLOSE || t.e > a->e) return false;
    return parse_from(S, pos, &t, el, 1) == 0;
}

static bool
is_name(const src *S, const pval *v, const char *name)
{
    return v->t == V_NAME && name_is(S, v->s, v->e, name);
}

static void
put_raw(buf *b, const src *S, const pval *v)
{
    buf_put(b, S->p + v->s, v->e - v->s);
}

/* --------------------------------------------------------- the document */

typedef struct xent {
    uint32_t num;
    uint8_t type; /* 0 free, 1 at an offset, 2 in an object stream */
    uint32_t gen; /* type 1: generation; type 2: index in the stream */
    uint64_t off; /* type 1: byte offset; type 2: the stream's number */
    size_t order; /* position in reading order (newest first) */
} xent;

typedef struct objstm {
    uint32_t num;
    uint8_t *data;
    size_t n;
    size_t first;
    size_t count;
    uint64_t *pairs; /* count * (number, offset from first) */
} objstm;

typedef struct doc {
    src f; /* the whole file */
    xent *x;
    size_t nx, capx;
    objstm *os;
    size_t nos, capos;
    size_t decoded; /* decoded stream bytes so far */
    int depth;      /* lookups within lookups */
    /* the newest cross-reference section */
    uint64_t startxref;
    bool newest_stream;
    pval trailer;        /* its dictionary, in f */
    uint64_t newest_min; /* the lowest offset it records */
    uint64_t size;       /* largest /Size seen */
    uint32_t maxnum;     /* largest object number with an entry */
    char err[ERR_LEN];
} doc;

/* An object, found: its value and where that value lives. */
typedef struct obj {
    src S;
    pval v;
    bool stream;
    size_t sstart, slen; /* the stream's raw bytes in the file */
} obj;

static void fail(doc *D, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Records the first error only: it is the one that explains the others. */
static void
fail(doc *D, const char *fmt, ...)
{
    if (D->err[0]) return;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(D->err, sizeof(D->err), fmt, ap);
    va_end(ap);
}

static void
doc_init(doc *D, const uint8_t *p, size_t n)
{
    memset(D, 0, sizeof(*D));
    D->f.p = p;
    D->f.n = n;
    D->newest_min = UINT64_MAX;
}

static void
doc_free(doc *D)
{
    for (size_t i = 0; i < D->nos; i++) {
        free(D->os[i].data);
        free(D->os[i].pairs);
    }
    free(D->os);
    free(D->x);
}

static void
add_entry(doc *D, uint32_t num, uint8_t type, uint64_t off, uint32_t gen)
{
    if (D->nx == D->capx) {
        D->capx = D->capx ? D->capx * 2 : 256;
        D->x = xreallocarray(D->x, D->capx, sizeof(*D->x));
    }
    xent *e = &D->x[D->nx];
    e->num = num;
    e->type = type;
    e->off = off;
    e->gen = gen;
    e->order = D->nx++;
    if (num > D->maxnum) D->maxnum = num;
}

static int
xent_cmp(const void *a, const void *b)
{
    const xent *x = a, *y = b;
    if (x->num != y->num) return x->num < y->num ? -1 : 1;
    return x->order < y->order ? -1 : x->order > y->order;
}

/* Sorts by object number and keeps the newest entry of each. */
static void
finish_entries(doc *D)
{
    if (D->nx) qsort(D->x, D->nx, sizeof(*D->x), xent_cmp);
    size_t k = 0;
    for (size_t i = 0; i < D->nx; i++)
        if (k == 0 || D->x[k - 1].num != D->x[i].num) D->x[k++] = D->x[i];
    D->nx = k;
}

static const xent *
find_entry(const doc *D, uint32_t num)
{
    size_t lo = 0, hi = D->nx;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (D->x[mid].num == num) return &D->x[mid];
        if (D->x[mid].num < num)
            lo = mid + 1;
        else
            hi = mid;
    }
    return NULL;
}

static int get_obj(doc *D, uint32_t num, obj *o);

/* memmem(3), which C11 and POSIX lack. */
static const uint8_t *
find_bytes(const uint8_t *p, size_t n, const char *needle, size_t k)
{
    if (k == 0 || n < k) return NULL;
    for (const uint8_t *q = p; (q = memchr(q, needle[0], n - k + 1 - (size_t)(q - p)));) {
        if (memcmp(q, needle, k) == 0) return q;
        if (++q > p + (n - k)) break;
    }
    return NULL;
}

/* Follows a reference (once; a reference to a reference is null, as the
 * standard says an object's value is never itself a reference). */
static int
deref(doc *D, const src *S, const pval *v, obj *o)
{
    if (v->t != V_REF) {
        memset(o, 0, sizeof(*o));
        o->S = *S;
        o->v = *v;
        return 0;
    }
    return get_obj(D, v->num, o);
}

/* An integer that may be given by reference. */
static bool
get_int(doc *D, const src *S, const pval *dict, const char *key, int64_t *out)
{
    pval v;
    obj o;
    if (!dict_get(S, dict, key, &v) || deref(D, S, &v, &o) < 0 || o.v.t != V_INT) return false;
    *out = o.v.i;
    return true;
}

static bool
get_number(doc *D, const src *S, const pval *v, double *out)
{
    obj o;
    if (deref(D, S, v, &o) < 0) return false;
    if (o.v.t == V_INT) {
        *out = (double)o.v.i;
        return true;
    }
    if (o.v.t != V_REAL) return false;
    char tmp[64];
    size_t n = o.v.e - o.v.s;
    if (n >= sizeof(tmp)) return false;
    /* strtod follows the locale; PDF reals never have exponents, so parse by hand */
    double x = 0, scale = 1;
    bool neg = false, frac = false;
    memcpy(tmp, o.S.p + o.v.s, n);
    for (size_t i = 0; i < n; i++) {
        char c = tmp[i];
        if (c == '-') {
            neg = true;
        } else if (c == '.') {
            frac = true;
        } else if (c >= '0' && c <= '9') {
            if (frac) {
                scale /= 10;
                x += (c - '0') * scale;
            } else {
                x = x * 10 + (c - '0');
            }
        }
    }
    *out = neg ? -x : x;
    return true;
}

/* ------------------------------------------------------------- streams */

/* Finds a stream's bytes: after "stream" and its end of line, /Length
 * bytes, then "endstream".  When /Length is wrong (it happens), the data
 * runs to the next "endstream". */
static int
stream_extent(doc *D, size_t after_dict, const pval *dict, bool refs_ok, obj *o)
{
    const src *S = &D->f;
    size_t pos = after_dict;
    tok t;
    lex(S, &pos, &t);
    if (!word_is(S, &t, "stream")) return 0; /* not a stream */
    size_t i = t.e;
    if (i < S->n && S->p[i] == '\r') i++;
    if (i < S->n && S->p[i] == '\n') i++;
    int64_t len = -1;
    pval lv;
    if (dict_get(S, dict, "Length", &lv)) {
        if (lv.t == V_INT) {
            len = lv.i;
        } else if (lv.t == V_REF && refs_ok) {
            obj lo;
            if (get_obj(D, lv.num, &lo) < 0) return -1;
            if (lo.v.t == V_INT) len = lo.v.i;
        }
    }
    if (len >= 0 && (uint64_t)len <= S->n - i) {
        size_t j = i + (size_t)len;
        while (j < S->n && is_ws(S->p[j]))
            j++;
        if (S->n - j >= 9 && memcmp(S->p + j, "endstream", 9) == 0) {
            o->stream = true;
            o->sstart = i;
            o->slen = (size_t)len;
            return 0;
        }
    }
    const uint8_t *end = find_bytes(S->p + i, S->n - i, "endstream", 9);
    if (!end) {
        fail(D, "a stream at byte %zu has no end (the file is truncated or damaged)", i);
        return -1;
    }
    size_t j = (size_t)(end - S->p);
    if (j > i && S->p[j - 1] == '\n') j--;
    if (j > i && S->p[j - 1] == '\r') j--;
    o->stream = true;
    o->sstart = i;
    o->slen = j - i;
    return 0;
}

/* Parses "num gen obj value [stream]" at off. */
static int
parse_indirect(doc *D, uint64_t off, uint32_t num, obj *o)
{
    memset(o, 0, sizeof(*o));
    o->S = D->f;
    if (off >= D->f.n) {
        fail(D,
             "object %u is said to be at byte %llu, past the end of the file (%zu bytes): "
             "the file is truncated or its cross-reference table is wrong",
             num, (unsigned long long)off, D->f.n);
        return -1;
    }
    size_t pos = (size_t)off;
    tok a, b, c;
    lex(&D->f, &pos, &a);
    lex(&D->f, &pos, &b);
    lex(&D->f, &pos, &c);
    if (a.t != T_INT || a.i != num || b.t != T_INT || !word_is(&D->f, &c, "obj")) {
        fail(D, "object %u is not at byte %llu where the cross-reference table says it is", num,
             (unsigned long long)off);
        return -1;
    }
    if (parse_value(&D->f, &pos, &o->v, 0) < 0) {
        fail(D, "object %u (at byte %llu) cannot be read", num, (unsigned long long)off);
        return -1;
    }
    if (o->v.t == V_DICT) return stream_extent(D, pos, &o->v, true, o);
    return 0;
}

static int
inflate_bytes(doc *D, const uint8_t *p, size_t n, uint8_t **out, size_t *outn)
{
    z_stream z;
    memset(&z, 0, sizeof(z));
    if (inflateInit(&z) != Z_OK) {
        fail(D, "zlib cannot start");
        return -1;
    }
    size_t cap = n < 4096 ? 16384 : n * 4, len = 0;
    if (cap > MAX_STREAM) cap = MAX_STREAM;
    uint8_t *o = xmalloc(cap);
    int rc = Z_OK;
    for (;;) {
        if (z.avail_in == 0 && n) {
            z.next_in = (Bytef *)(uintptr_t)p;
            z.avail_in = n > UINT_MAX ? UINT_MAX : (uInt)n;
            p += z.avail_in;
            n -= z.avail_in;
        }
        if (len == cap) {
            if (cap >= MAX_STREAM || D->decoded + cap >= MAX_DECODED) {
                fail(D, "a compressed stream decodes to more than %zu MiB", MAX_STREAM >> 20);
                goto bad;
            }
            cap = cap > MAX_STREAM / 2 ? MAX_STREAM : cap * 2;
            o = xrealloc(o, cap);
        }
        size_t room = cap - len > UINT_MAX ? UINT_MAX : cap - len;
        z.next_out = o + len;
        z.avail_out = (uInt)room;
        rc = inflate(&z, Z_NO_FLUSH);
        len += room - z.avail_out;
        if (rc == Z_STREAM_END) break;
        if (rc == Z_BUF_ERROR && z.avail_in == 0 && n == 0) break; /* input ended early */
        if (rc != Z_OK && rc != Z_BUF_ERROR) {
            fail(D, "a compressed stream is damaged (zlib: %s)", z.msg ? z.msg : "error");
            goto bad;
        }
    }
    inflateEnd(&z);
    D->decoded += len;
    *out = o;
    *outn = len;
    return 0;
bad:
    inflateEnd(&z);
    free(o);
    return -1;
}

static uint8_t
paeth(uint8_t a, uint8_t b, uint8_t c)
{
    int p = a + b - c, pa = abs(p - a), pb = abs(p - b), pc = abs(p - c);
    if (pa <= pb && pa <= pc) return a;
    return pb <= pc ? b : c;
}

/* Undoes PNG (predictor >= 10) or TIFF (2) prediction in place. */
static int
unpredict(doc *D, int64_t pred, int64_t colors, int64_t bpc, int64_t cols, uint8_t *p, size_t *n)
{
    if (pred == 1) return 0;
    if (colors < 1 || colors > 32 || (bpc != 1 && bpc != 2 && bpc != 4 && bpc != 8 && bpc != 16) ||
        cols < 1 || cols > (1 << 24)) {
        fail(D, "a stream has predictor parameters out of range");
        return -1;
    }
    size_t bits = (size_t)colors * (size_t)bpc * (size_t)cols;
    size_t row = (bits + 7) / 8, bpp = (size_t)(colors * bpc + 7) / 8;
    if (pred == 2) {
        if (bpc != 8) {
            fail(D,
                 "a stream uses the TIFF predictor with %d bits per component, which hone "
                 "does not read; re-save the template (qpdf in.pdf out.pdf)",
                 (int)bpc);
            return -1;
        }
        for (size_t r = 0; r + row <= *n; r += row)
            for (size_t i = bpp; i < row; i++)
                p[r + i] = (uint8_t)(p[r + i] + p[r + i - bpp]);
        return 0;
    }
    if (pred < 10 || pred > 15) {
        fail(D, "a stream uses predictor %lld, which is not defined", (long long)pred);
        return -1;
    }
    size_t in = 0, outp = 0;
    uint8_t *prev = NULL;
    while (in + 1 + row <= *n) {
        uint8_t f = p[in];
        uint8_t *cur = p + outp;
        memmove(cur, p + in + 1, row);
        for (size_t i = 0; i < row; i++) {
            uint8_t a = i >= bpp ? cur[i - bpp] : 0, b = prev ? prev[i] : 0,
                    c = prev && i >= bpp ? prev[i - bpp] : 0;
            switch (f) {
            case 0: break;
            case 1: cur[i] = (uint8_t)(cur[i] + a); break;
            case 2: cur[i] = (uint8_t)(cur[i] + b); break;
            case 3: cur[i] = (uint8_t)(cur[i] + (a + b) / 2); break;
            case 4: cur[i] = (uint8_t)(cur[i] + paeth(a, b, c)); break;
            default: fail(D, "a stream has a bad PNG row filter (%u)", f); return -1;
            }
        }
        prev = cur;
        in += 1 + row;
        outp += row;
    }
    *n = outp;
    return 0;
}

/* The decoded bytes of a stream in the file (a malloc'd copy). */
static int
decode_stream(doc *D, const obj *o, uint8_t **out, size_t *outn)
{
    const src *S = &o->S;
    const uint8_t *raw = D->f.p + o->sstart;
    pval f, parms;
    obj fo, po;
    bool flate = false;
    dict_get(S, &o->v, "Filter", &f);
    if (deref(D, S, &f, &fo) < 0) return -1;
    if (fo.v.t == V_ARRAY) {
        size_t pos = 0, count = 0;
        pval el;
        while (array_next(&fo.S, &fo.v, &pos, &el)) {
            count++;
            fo.v = el;
        }
        if (count == 0) fo.v.t = V_NULL;
        if (count > 1) {
            fail(D,
                 "a cross-reference or object stream has %zu filters; hone reads "
                 "FlateDecode only: re-save the template (qpdf in.pdf out.pdf)",
                 count);
            return -1;
        }
    }
    if (is_name(&fo.S, &fo.v, "FlateDecode") || is_name(&fo.S, &fo.v, "Fl")) {
        flate = true;
    } else if (fo.v.t != V_NONE && fo.v.t != V_NULL) {
        fail(D, "a cross-reference or object stream uses a filter other than FlateDecode; "
                "re-save the template (qpdf in.pdf out.pdf)");
        return -1;
    }
    uint8_t *p;
    size_t n;
    if (flate) {
        if (inflate_bytes(D, raw, o->slen, &p, &n) < 0) return -1;
    } else {
        if (D->decoded + o->slen > MAX_DECODED) {
            fail(D, "the file's streams are too large to read");
            return -1;
        }
        p = xmalloc(o->slen);
        memcpy(p, raw, o->slen);
        n = o->slen;
        D->decoded += n;
    }
    dict_get(S, &o->v, "DecodeParms", &parms);
    if (deref(D, S, &parms, &po) < 0) goto bad;
    if (po.v.t == V_ARRAY) {
        size_t pos = 0;
        pval el;
        if (array_next(&po.S, &po.v, &pos, &el)) {
            pval first = el;
            if (deref(D, &po.S, &first, &po) < 0) goto bad;
        }
    }
    if (po.v.t == V_DICT) {
        int64_t pred = 1, colors = 1, bpc = 8, cols = 1;
        get_int(D, &po.S, &po.v, "Predictor", &pred);
        get_int(D, &po.S, &po.v, "Colors", &colors);
        get_int(D, &po.S, &po.v, "BitsPerComponent", &bpc);
        get_int(D, &po.S, &po.v, "Columns", &cols);
        if (unpredict(D, pred, colors, bpc, cols, p, &n) < 0) goto bad;
    }
    *out = p;
    *outn = n;
    return 0;
bad:
    free(p);
    return -1;
}

/* ------------------------------------------------------ object streams */

static objstm *
get_objstm(doc *D, uint32_t num)
{
    for (size_t i = 0; i < D->nos; i++)
        if (D->os[i].num == num) return &D->os[i];
    const xent *x = find_entry(D, num);
    if (!x || x->type != 1) {
        fail(D, "object stream %u is missing", num);
        return NULL;
    }
    obj o;
    if (parse_indirect(D, x->off, num, &o) < 0) return NULL;
    pval ty;
    int64_t cnt, first;
    if (!o.stream || !dict_get(&o.S, &o.v, "Type", &ty) || !is_name(&o.S, &ty, "ObjStm") ||
        !get_int(D, &o.S, &o.v, "N", &cnt) || !get_int(D, &o.S, &o.v, "First", &first) || cnt < 0 ||
        first < 0) {
        fail(D, "object %u is used as an object stream but is not one", num);
        return NULL;
    }
    objstm s;
    memset(&s, 0, sizeof(s));
    s.num = num;
    if (decode_stream(D, &o, &s.data, &s.n) < 0) return NULL;
    if ((uint64_t)first > s.n || (uint64_t)cnt > (uint64_t)first / 2 + 1) {
        fail(D, "object stream %u is shorter than its /N and /First say", num);
        free(s.data);
        return NULL;
    }
    s.first = (size_t)first;
    s.count = (size_t)cnt;
    s.pairs = xreallocarray(NULL, s.count ? s.count * 2 : 1, sizeof(*s.pairs));
    src hs = {s.data, s.first};
    size_t pos = 0;
    for (size_t i = 0; i < s.count; i++) {
        tok a, b;
        lex(&hs, &pos, &a);
        lex(&hs, &pos, &b);
        if (a.t != T_INT || b.t != T_INT || a.i < 0 || a.i > MAX_OBJNUM || b.i < 0 ||
            (uint64_t)b.i > s.n - s.first) {
            fail(D, "object stream %u has a damaged table of contents", num);
            free(s.data);
            free(s.pairs);
            return NULL;
        }
        s.pairs[2 * i] = (uint64_t)a.i;
        s.pairs[2 * i + 1] = (uint64_t)b.i;
    }
    if (D->nos == D->capos) {
        D->capos = D->capos ? D->capos * 2 : 8;
        D->os = xreallocarray(D->os, D->capos, sizeof(*D->os));
    }
    D->os[D->nos] = s;
    return &D->os[D->nos++];
}

static int
get_obj(doc *D, uint32_t num, obj *o)
{
    memset(o, 0, sizeof(*o));
    o->S = D->f;
    o->v.t = V_NULL;
    const xent *x = find_entry(D, num);
    if (!x || x->type == 0) return 0;
    if (D->depth >= MAX_LOOKUPS) {
        fail(D, "objects refer to each other too deeply (at object %u)", num);
        return -1;
    }
    D->depth++;
    int rc = 0;
    if (x->type == 1) {
        rc = parse_indirect(D, x->off, num, o);
    } else if (x->type == 2) {
        uint32_t idx = x->gen;
        objstm *s = x->off <= MAX_OBJNUM ? get_objstm(D, (uint32_t)x->off) : NULL;
        if (!s) {
            fail(D, "object %u is in a missing object stream", num);
            rc = -1;
        } else {
            /* the index should point at the object; search when it does not */
            size_t k = idx < s->count && s->pairs[2 * idx] == num ? idx : s->count;
            for (size_t i = 0; k == s->count && i < s->count; i++)
                if (s->pairs[2 * i] == num) k = i;
            if (k == s->count) {
                fail(D, "object %u is not in object stream %u", num, s->num);
                rc = -1;
            } else {
                o->S.p = s->data;
                o->S.n = s->n;
                size_t pos = s->first + (size_t)s->pairs[2 * k + 1];
                if (parse_value(&o->S, &pos, &o->v, 0) < 0) {
                    fail(D, "object %u in object stream %u cannot be read", num, s->num);
                    rc = -1;
                }
            }
        }
    }
    D->depth--;
    return rc;
}

/* ------------------------------------------------ cross-reference chain */

static uint64_t
be_uint(const uint8_t *p, int64_t w)
{
    uint64_t v = 0;
    for (int64_t i = 0; i < w; i++)
        v = v << 8 | p[i];
    return v;
}

/* A cross-reference stream at pos; its dictionary into *trailer. */
static int
read_xref_stream(doc *D, size_t pos, bool newest, pval *trailer)
{
    const src *S = &D->f;
    size_t at = pos;
    tok a, b, c;
    lex(S, &pos, &a);
    lex(S, &pos, &b);
    lex(S, &pos, &c);
    obj o;
    memset(&o, 0, sizeof(o));
    o.S = *S;
    if (a.t != T_INT || b.t != T_INT || !word_is(S, &c, "obj") ||
        parse_value(S, &pos, &o.v, 0) < 0 || o.v.t != V_DICT) {
        fail(D,
             "no cross-reference section at byte %zu, where startxref or /Prev points: "
             "the file is damaged or truncated",
             at);
        return -1;
    }
    if (stream_extent(D, pos, &o.v, false, &o) < 0) return -1;
    pval ty, w, index;
    int64_t size;
    if (!o.stream || !dict_get(S, &o.v, "Type", &ty) || !is_name(S, &ty, "XRef") ||
        !dict_get(S, &o.v, "W", &w) || w.t != V_ARRAY || !get_int(D, S, &o.v, "Size", &size) ||
        size < 0 || size > MAX_OBJNUM + 1) {
        fail(D, "the cross-reference stream at byte %zu is damaged", at);
        return -1;
    }
    int64_t ws[3];
    size_t k = 0, p2 = 0;
    pval el;
    while (k < 4 && array_next(S, &w, &p2, &el)) {
        if (k < 3) ws[k] = el.t == V_INT ? el.i : -1;
        k++;
    }
    if (k != 3 || ws[0] < 0 || ws[0] > 8 || ws[1] < 0 || ws[1] > 8 || ws[2] < 0 || ws[2] > 8 ||
        ws[0] + ws[1] + ws[2] == 0) {
        fail(D, "the cross-reference stream at byte %zu has a bad /W", at);
        return -1;
    }
    size_t esize = (size_t)(ws[0] + ws[1] + ws[2]);
    uint8_t *data;
    size_t n;
    if (decode_stream(D, &o, &data, &n) < 0) return -1;
    bool has_index = dict_get(S, &o.v, "Index", &index) && index.t == V_ARRAY;
    size_t ip = 0, used = 0;
    int rc = 0;
    for (;;) {
        int64_t start = 0, count = size;
        if (has_index) {
            pval s1, s2;
            if (!array_next(S, &index, &ip, &s1)) break;
            if (!array_next(S, &index, &ip, &s2) || s1.t != V_INT || s2.t != V_INT) {
                fail(D, "the cross-reference stream at byte %zu has a bad /Index", at);
                rc = -1;
                break;
            }
            start = s1.i;
            count = s2.i;
        }
        if (start < 0 || count < 0 || start > MAX_OBJNUM + 1 || count > MAX_OBJNUM + 1 - start ||
            (uint64_t)count > (n - used) / esize) {
            fail(D, "the cross-reference stream at byte %zu is shorter than its /Index says", at);
            rc = -1;
            break;
        }
        for (int64_t i = 0; i < count; i++, used += esize) {
            const uint8_t *e = data + used;
            uint64_t type = ws[0] ? be_uint(e, ws[0]) : 1;
            uint64_t f2 = be_uint(e + ws[0], ws[1]);
            uint64_t f3 = be_uint(e + ws[0] + ws[1], ws[2]);
            uint32_t num = (uint32_t)(start + i);
            if (type == 0) {
                add_entry(D, num, 0, 0, 0);
            } else if (type == 1) {
                add_entry(D, num, 1, f2, (uint32_t)(f3 > MAX_GEN ? MAX_GEN : f3));
                if (newest && f2 < D->newest_min) D->newest_min = f2;
            } else if (type == 2) {
                add_entry(D, num, 2, f2, (uint32_t)(f3 > UINT32_MAX ? UINT32_MAX : f3));
            }
        }
        if (!has_index) break;
    }
    free(data);
    if (newest && at < D->newest_min) D->newest_min = at;
    if ((uint64_t)size > D->size) D->size = (uint64_t)size;
    *trailer = o.v;
    return rc;
}

/* A classic "xref" table at pos; its trailer dictionary into *trailer. */
static int
read_table(doc *D, size_t pos, bool newest, pval *trailer)
{
    const src *S = &D->f;
    size_t at = pos;
    pos += 4;
    xent *freed = NULL;
    size_t nfreed = 0, capfreed = 0;
    int rc = -1;
    for (;;) {
        tok a, b;
        lex(S, &pos, &a);
        if (word_is(S, &a, "trailer")) break;
        lex(S, &pos, &b);
        if (a.t != T_INT || b.t != T_INT || a.i < 0 || b.i < 0 || a.i > MAX_OBJNUM + 1 ||
            b.i > MAX_OBJNUM + 1 - a.i) {
            fail(D, "the cross-reference table at byte %zu is damaged or truncated", at);
            goto out;
        }
        for (int64_t i = 0; i < b.i; i++) {
            tok off, gen, kind;
            lex(S, &pos, &off);
            lex(S, &pos, &gen);
            lex(S, &pos, &kind);
            bool n = word_is(S, &kind, "n"), f = word_is(S, &kind, "f");
            if (off.t != T_INT || off.i < 0 || gen.t != T_INT || gen.i < 0 || gen.i > MAX_GEN ||
                (!n && !f)) {
                fail(D, "the cross-reference table at byte %zu is damaged or truncated", at);
                goto out;
            }
            uint32_t num = (uint32_t)(a.i + i);
            if (n && off.i > 0) {
                add_entry(D, num, 1, (uint64_t)off.i, (uint32_t)gen.i);
                if (newest && (uint64_t)off.i < D->newest_min) D->newest_min = (uint64_t)off.i;
            } else {
                if (nfreed == capfreed) {
                    capfreed = capfreed ? capfreed * 2 : 64;
                    freed = xreallocarray(freed, capfreed, sizeof(*freed));
                }
                freed[nfreed++].num = num;
            }
        }
    }
    if (parse_value(S, &pos, trailer, 0) < 0 || trailer->t != V_DICT) {
        fail(D, "the trailer after the cross-reference table at byte %zu is damaged", at);
        goto out;
    }
    if (newest && at < D->newest_min) D->newest_min = at;
    int64_t size, stm;
    if (get_int(D, S, trailer, "Size", &size) && size > 0 && (uint64_t)size > D->size)
        D->size = (uint64_t)size > MAX_OBJNUM + 1 ? MAX_OBJNUM + 1 : (uint64_t)size;
    /* A hybrid file: the stream's entries come before the older sections,
     * and before this table's free entries, which are there for readers
     * that do not know streams. */
    if (get_int(D, S, trailer, "XRefStm", &stm)) {
        pval ignored;
        if (stm < 0 || (uint64_t)stm >= S->n) {
            fail(D, "the /XRefStm of the trailer at byte %zu points outside the file", at);
            goto out;
        }
        if (read_xref_stream(D, (size_t)stm, false, &ignored) < 0) goto out;
    }
    for (size_t i = 0; i < nfreed; i++)
        add_entry(D, freed[i].num, 0, 0, 0);
    rc = 0;
out:
    free(freed);
    return rc;
}

static const uint8_t *
find_last(const uint8_t *p, size_t n, const char *needle)
{
    size_t k = strlen(needle);
    for (size_t i = n; i >= k; i--)
        if (memcmp(p + i - k, needle, k) == 0) return p + i - k;
    return NULL;
}

static int
read_chain(doc *D)
{
    const src *S = &D->f;
    if (S->n < 8 || memcmp(S->p, "%PDF-", 5) != 0) {
        fail(D, "not a PDF: it does not start with \"%%PDF-\"; give a PDF file");
        return -1;
    }
    const uint8_t *sx = find_last(S->p, S->n, "startxref");
    if (!sx) {
        fail(D, "truncated or damaged PDF: there is no \"startxref\" at its end; "
                "export the PDF again");
        return -1;
    }
    size_t pos = (size_t)(sx - S->p) + 9;
    tok t;
    lex(S, &pos, &t);
    size_t p2 = pos; /* "%%EOF" is a comment to the lexer: look for it by hand */
    while (p2 < S->n && is_ws(S->p[p2]))
        p2++;
    if (t.t != T_INT || t.i < 0 || (uint64_t)t.i >= S->n) {
        fail(D, "truncated or damaged PDF: \"startxref\" at its end does not give an offset "
                "within the file; export the PDF again");
        return -1;
    }
    if (S->n - p2 < 5 || memcmp(S->p + p2, "%%EOF", 5) != 0) {
        fail(D, "truncated PDF: it does not end with \"%%%%EOF\" after startxref; "
                "export the PDF again");
        return -1;
    }
    D->startxref = (uint64_t)t.i;
    uint64_t off = D->startxref;
    uint64_t *seen = NULL;
    size_t nseen = 0;
    int rc = -1;
    for (;;) {
        for (size_t i = 0; i < nseen; i++)
            if (seen[i] == off) {
                fail(D, "damaged PDF: its cross-reference sections point at each other "
                        "in a loop");
                goto out;
            }
        if (nseen == MAX_SECTIONS) {
            fail(D, "the PDF has more than %d cross-reference sections", MAX_SECTIONS);
            goto out;
        }
        seen = xreallocarray(seen, nseen + 1, sizeof(*seen));
        seen[nseen++] = off;
        if (off >= S->n) {
            fail(D,
                 "truncated PDF: a cross-reference section is said to be at byte %llu, past "
                 "its end (%zu bytes)",
                 (unsigned long long)off, S->n);
            goto out;
        }
        size_t at = (size_t)off;
        while (at < S->n && is_ws(S->p[at]))
            at++;
        bool newest = nseen == 1;
        pval trailer;
        if (S->n - at >= 4 && memcmp(S->p + at, "xref", 4) == 0) {
            if (read_table(D, at, newest, &trailer) < 0) goto out;
        } else if (at < S->n && is_digit(S->p[at])) {
            if (read_xref_stream(D, at, newest, &trailer) < 0) goto out;
            if (newest) D->newest_stream = true;
        } else {
            fail(D,
                 "damaged PDF: no cross-reference section at byte %zu, where startxref or "
                 "/Prev points",
                 at);
            goto out;
        }
        if (newest) D->trailer = trailer;
        pval prev;
        if (!dict_get(S, &trailer, "Prev", &prev)) break;
        if (prev.t != V_INT || prev.i < 0) {
            fail(D, "damaged PDF: a trailer's /Prev is not an offset");
            goto out;
        }
        off = (uint64_t)prev.i;
    }
    finish_entries(D);
    rc = 0;
out:
    free(seen);
    return rc;
}

/* --------------------------------------------------------- text strings */

/* The bytes a string value stands for (escapes, hex digits decoded). */
static void
string_bytes(const src *S, const pval *v, buf *out)
{
    const uint8_t *p = S->p;
    if (v->t == V_HEX) {
        int hi = -1;
        for (size_t i = v->s + 1; i + 1 < v->e; i++) {
            int h = hexval(p[i]);
            if (h < 0) continue;
            if (hi < 0) {
                hi = h;
            } else {
                buf_putc(out, hi * 16 + h);
                hi = -1;
            }
        }
        if (hi >= 0) buf_putc(out, hi * 16);
        return;
    }
    if (v->t != V_STR) return;
    for (size_t i = v->s + 1; i + 1 < v->e; i++) {
        uint8_t c = p[i];
        if (c == '\r') {
            if (i + 2 < v->e && p[i + 1] == '\n') i++;
            buf_putc(out, '\n');
            continue;
        }
        if (c != '\\') {
            buf_putc(out, c);
            continue;
        }
        if (++i + 1 > v->e - 1) break;
        c = p[i];
        switch (c) {
        case 'n': buf_putc(out, '\n'); break;
        case 'r': buf_putc(out, '\r'); break;
        case 't': buf_putc(out, '\t'); break;
        case 'b': buf_putc(out, '\b'); break;
        case 'f': buf_putc(out, '\f'); break;
        case '\r':
            if (i + 2 < v->e && p[i + 1] == '\n') i++;
            break;
        case '\n': break;
        default:
            if (c >= '0' && c <= '7') {
                int o = c - '0';
                for (int k = 0; k < 2 && i + 2 < v->e && p[i + 1] >= '0' && p[i + 1] <= '7'; k++)
                    o = o * 8 + (p[++i] - '0');
                buf_putc(out, o & 0xff);
            } else {
                buf_putc(out, c);
            }
        }
    }
}

/* A PDF text string (UTF-16BE with a BOM, UTF-8 with a BOM, or
 * PDFDocEncoding, read here as Latin-1) as UTF-8. */
static char *
text_to_utf8(const src *S, const pval *v, size_t *len)
{
    buf raw = BUF_INIT, out = BUF_INIT;
    string_bytes(S, v, &raw);
    const uint8_t *p = (const uint8_t *)raw.data;
    size_t n = raw.len;
    if (n >= 2 && p[0] == 0xfe && p[1] == 0xff) {
        for (size_t i = 2; i + 1 < n; i += 2) {
            uint32_t u = (uint32_t)p[i] << 8 | p[i + 1];
            if (u >= 0xd800 && u < 0xdc00 && i + 3 < n) {
                uint32_t lo = (uint32_t)p[i + 2] << 8 | p[i + 3];
                if (lo >= 0xdc00 && lo < 0xe000) {
                    u = 0x10000 + ((u - 0xd800) << 10) + (lo - 0xdc00);
                    i += 2;
                } else {
                    u = 0xfffd;
                }
            } else if (u >= 0xd800 && u < 0xe000) {
                u = 0xfffd;
            }
            utf8_encode(&out, u);
        }
    } else if (n >= 3 && p[0] == 0xef && p[1] == 0xbb && p[2] == 0xbf) {
        buf_put(&out, p + 3, n - 3);
    } else {
        for (size_t i = 0; i < n; i++)
            utf8_encode(&out, p[i]);
    }
    buf_free(&raw);
    return buf_detach(&out, len);
}

/* Writes UTF-8 text as a PDF text string: a literal when it is printable
 * ASCII, else UTF-16BE with a byte order mark, in hex. */
static void
put_text_string(buf *b, const char *s, size_t n)
{
    bool ascii = true;
    for (size_t i = 0; i < n; i++)
        if ((uint8_t)s[i] < 0x20 || (uint8_t)s[i] > 0x7e) ascii = false;
    if (ascii) {
        buf_putc(b, '(');
        for (size_t i = 0; i < n; i++) {
            if (s[i] == '(' || s[i] == ')' || s[i] == '\\') buf_putc(b, '\\');
            buf_putc(b, s[i]);
        }
        buf_putc(b, ')');
        return;
    }
    buf_puts(b, "<FEFF");
    for (size_t i = 0; i < n;) {
        uint32_t cp;
        i += utf8_decode(s + i, n - i, &cp);
        if (cp >= 0x10000) {
            cp -= 0x10000;
            buf_printf(b, "%04X%04X", (unsigned)(0xd800 + (cp >> 10)),
                       (unsigned)(0xdc00 + (cp & 0x3ff)));
        } else {
            buf_printf(b, "%04X", (unsigned)cp);
        }
    }
    buf_putc(b, '>');
}

/* ---------------------------------------------------------------- times */

static int64_t
days_from_civil(int64_t y, unsigned m, unsigned d)
{
    y -= m <= 2;
    int64_t era = (y >= 0 ? y : y - 399) / 400;
    unsigned yoe = (unsigned)(y - era * 400);
    unsigned doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
    unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + (int64_t)doe - 719468;
}

typedef struct civil {
    int year, month, day, hour, min, sec;
} civil;

static int
to_civil(int64_t t, civil *c)
{
    if (t < 0 || t > MAX_TIME) return -1;
    int64_t days = t / 86400, rem = t % 86400;
    int64_t z = days + 719468;
    int64_t era = z / 146097;
    unsigned doe = (unsigned)(z - era * 146097);
    unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    unsigned mp = (5 * doy + 2) / 153;
    unsigned d = doy - (153 * mp + 2) / 5 + 1;
    unsigned m = mp < 10 ? mp + 3 : mp - 9;
    c->year = (int)(yoe + era * 400 + (m <= 2));
    c->month = (int)m;
    c->day = (int)d;
    c->hour = (int)(rem / 3600);
    c->min = (int)(rem % 3600 / 60);
    c->sec = (int)(rem % 60);
    return 0;
}

int
pdf_format_time(int64_t time, char out[21])
{
    civil c;
    if (to_civil(time, &c) < 0) return -1; /* out of range */
    dt_utc_stamp(time, out);
    return 0;
}

int
pdf_parse_time(const char *s, int64_t *out)
{
    static const char shape[] = "dddd-dd-ddTdd:dd:ddZ";
    if (strlen(s) != 20) return -1;
    for (int i = 0; i < 20; i++)
        if (shape[i] == 'd' ? !is_digit((uint8_t)s[i]) : s[i] != shape[i]) return -1;
#define NUM2(i) ((s[i] - '0') * 10 + (s[i + 1] - '0'))
    int y = NUM2(0) * 100 + NUM2(2), mo = NUM2(5), d = NUM2(8), h = NUM2(11), mi = NUM2(14),
        se = NUM2(17);
#undef NUM2
    if (y < 1970 || mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || se > 59) return -1;
    int64_t t = days_from_civil(y, (unsigned)mo, (unsigned)d) * 86400 + h * 3600 + mi * 60 + se;
    char back[21];
    if (pdf_format_time(t, back) < 0 || strcmp(back, s) != 0) return -1; /* 31 February */
    *out = t;
    return 0;
}

/* ------------------------------------------------------------- template */

typedef struct copied {
    char *s;
    size_t n;
} copied;

static void
take(buf *b, copied *t)
{
    t->s = buf_detach(b, &t->n);
}

struct pdf_template {
    uint8_t *data;
    size_t n;
    uint8_t digest[32]; /* SHA-256 of data */
    bool xref_stream;   /* write a cross-reference stream, not a table */
    uint64_t prev;      /* the template's startxref: our /Prev */
    uint32_t next;      /* the first free object number: our new objects */
    /* bytes copied from the template: strings in them may hold NULs */
    copied root; /* "1 0 R" */
    copied id0;  /* the first /ID element, as written */
    copied info; /* the old information dictionary's entries, one a line */
    /* the first page */
    uint32_t page_num, page_gen;
    copied page;      /* its entries but /Contents and /Resources */
    copied contents;  /* its content streams: "4 0 R 9 0 R" */
    copied resources; /* its resources' entries but /Font */
    copied fonts;     /* its fonts' entries */
    char font[16];    /* the name our font gets: "HoneF1" */
    double box[4];    /* the visible area: x0 y0 x1 y1 */
    int rotate;       /* 0, 90, 180, 270 */
};

typedef struct inherit {
    obj resources, mediabox, cropbox, rotate;
} inherit;

static void
inherit_from(const obj *node, inherit *in)
{
    pval v;
    if (dict_get(&node->S, &node->v, "Resources", &v) && v.t != V_NULL) {
        in->resources.S = node->S;
        in->resources.v = v;
    }
    if (dict_get(&node->S, &node->v, "MediaBox", &v)) {
        in->mediabox.S = node->S;
        in->mediabox.v = v;
    }
    if (dict_get(&node->S, &node->v, "CropBox", &v)) {
        in->cropbox.S = node->S;
        in->cropbox.v = v;
    }
    if (dict_get(&node->S, &node->v, "Rotate", &v)) {
        in->rotate.S = node->S;
        in->rotate.v = v;
    }
}

/* Depth-first to the first leaf of the page tree.  1 found, 0 none, -1 error. */
static int
first_page(doc *D, const pval *ref, inherit in, int depth, size_t *budget, obj *page,
           pval *page_ref, inherit *page_in)
{
    if (ref->t != V_REF) {
        fail(D, "the page tree has a member that is not an indirect object");
        return -1;
    }
    if (depth > MAX_PAGE_DEPTH || (*budget)-- == 0) {
        fail(D, "the page tree is too deep or too large (or loops)");
        return -1;
    }
    obj node;
    if (get_obj(D, ref->num, &node) < 0) return -1;
    if (node.v.t != V_DICT || node.stream) {
        fail(D, "page tree node %u is not a dictionary", ref->num);
        return -1;
    }
    inherit_from(&node, &in);
    pval ty, kids;
    dict_get(&node.S, &node.v, "Type", &ty);
    bool has_kids = dict_get(&node.S, &node.v, "Kids", &kids);
    if (is_name(&node.S, &ty, "Page") || (!is_name(&node.S, &ty, "Pages") && !has_kids)) {
        *page = node;
        *page_ref = *ref;
        *page_in = in;
        return 1;
    }
    obj ko;
    if (deref(D, &node.S, &kids, &ko) < 0) return -1;
    if (ko.v.t != V_ARRAY) return 0;
    size_t pos = 0;
    pval kid;
    while (array_next(&ko.S, &ko.v, &pos, &kid)) {
        int r = first_page(D, &kid, in, depth + 1, budget, page, page_ref, page_in);
        if (r != 0) return r;
    }
    return 0;
}

/* Appends a dictionary's entries ("/Key value\n"), but those in skip. */
static void
put_entries(buf *b, const src *S, const pval *d, const char *const *skip)
{
    size_t pos = 0;
    tok k;
    pval v;
    while (dict_next(S, d, &pos, &k, &v)) {
        bool drop = false;
        for (size_t i = 0; skip && skip[i]; i++)
            if (name_is(S, k.s, k.e, skip[i])) drop = true;
        if (drop) continue;
        buf_put(b, S->p + k.s, k.e - k.s);
        buf_putc(b, ' ');
        put_raw(b, S, &v);
        buf_putc(b, '\n');
    }
}

static bool
get_box(doc *D, const obj *o, double box[4])
{
    if (o->v.t == V_NONE) return false;
    obj a;
    if (deref(D, &o->S, &o->v, &a) < 0 || a.v.t != V_ARRAY) return false;
    size_t pos = 0, k = 0;
    pval el;
    double v[4];
    while (k < 4 && array_next(&a.S, &a.v, &pos, &el))
        if (!get_number(D, &a.S, &el, &v[k++])) return false;
    if (k != 4) return false;
    box[0] = v[0] < v[2] ? v[0] : v[2];
    box[1] = v[1] < v[3] ? v[1] : v[3];
    box[2] = v[0] < v[2] ? v[2] : v[0];
    box[3] = v[1] < v[3] ? v[3] : v[1];
    return true;
}

static const char *const info_skip[] = {"ModDate", "HoneRecipient", "HoneDownloadedAt",
                                        "HoneCertificateId", NULL};

/* Everything about the first page that a visible line needs. */
static int
prepare_page(doc *D, pdf_template *t, const obj *root)
{
    pval pages;
    if (!dict_get(&root->S, &root->v, "Pages", &pages) || pages.t != V_REF) {
        fail(D, "the document catalog has no page tree; export the PDF again");
        return -1;
    }
    inherit in, pin;
    memset(&in, 0, sizeof(in));
    obj page;
    pval pref;
    size_t budget = MAX_PAGE_NODES;
    int r = first_page(D, &pages, in, 0, &budget, &page, &pref, &pin);
    if (r < 0) return -1;
    if (r == 0) {
        fail(D, "the PDF has no pages; a certificate needs one");
        return -1;
    }
    t->page_num = pref.num;
    const xent *x = find_entry(D, pref.num);
    t->page_gen = x && x->type == 1 ? x->gen : 0;

    static const char *const page_skip[] = {"Contents", "Resources", NULL};
    buf b = BUF_INIT;
    put_entries(&b, &page.S, &page.v, page_skip);
    take(&b, &t->page);

    /* contents: a stream, or an array of streams, maybe by reference */
    pval cv;
    src cs = page.S; /* where cv lives: the page, or the array it refers to */
    if (dict_get(&page.S, &page.v, "Contents", &cv) && cv.t != V_NULL) {
        if (cv.t == V_REF) {
            obj co;
            if (get_obj(D, cv.num, &co) < 0) goto bad;
            if (co.stream) {
                put_raw(&b, &cs, &cv);
            } else if (co.v.t == V_ARRAY) {
                cv = co.v;
                cs = co.S;
            } else if (co.v.t != V_NULL) {
                fail(D, "the first page's /Contents is neither a stream nor an array");
                goto bad;
            }
        }
        if (cv.t == V_ARRAY) {
            size_t pos = 0;
            pval el;
            while (array_next(&cs, &cv, &pos, &el)) {
                if (el.t != V_REF) {
                    fail(D, "the first page's /Contents holds something other than streams");
                    goto bad;
                }
                if (b.len) buf_putc(&b, ' ');
                put_raw(&b, &cs, &el);
            }
        } else if (cv.t != V_REF) {
            fail(D, "the first page's /Contents is neither a stream nor an array");
            goto bad;
        }
    }
    take(&b, &t->contents);

    /* resources, inherited or its own, and the fonts in them */
    obj res, fonts;
    memset(&fonts, 0, sizeof(fonts));
    if (pin.resources.v.t != V_NONE) {
        if (deref(D, &pin.resources.S, &pin.resources.v, &res) < 0) goto bad;
        if (res.v.t == V_DICT && !res.stream) {
            static const char *const font_skip[] = {"Font", NULL};
            put_entries(&b, &res.S, &res.v, font_skip);
            pval fv;
            if (dict_get(&res.S, &res.v, "Font", &fv) && deref(D, &res.S, &fv, &fonts) < 0)
                goto bad;
        }
    }
    take(&b, &t->resources);
    if (fonts.v.t == V_DICT && !fonts.stream) put_entries(&b, &fonts.S, &fonts.v, NULL);
    take(&b, &t->fonts);
    for (int k = 1;; k++) {
        snprintf(t->font, sizeof(t->font), "HoneF%d", k);
        pval ignored;
        if (fonts.v.t != V_DICT || !dict_get(&fonts.S, &fonts.v, t->font, &ignored)) break;
    }

    double media[4] = {0, 0, 612, 792}, crop[4];
    get_box(D, &pin.mediabox, media);
    memcpy(t->box, media, sizeof(media));
    if (get_box(D, &pin.cropbox, crop)) {
        t->box[0] = crop[0] > media[0] ? crop[0] : media[0];
        t->box[1] = crop[1] > media[1] ? crop[1] : media[1];
        t->box[2] = crop[2] < media[2] ? crop[2] : media[2];
        t->box[3] = crop[3] < media[3] ? crop[3] : media[3];
        if (t->box[2] <= t->box[0] || t->box[3] <= t->box[1]) memcpy(t->box, media, sizeof(media));
    }
    obj rot;
    if (pin.rotate.v.t != V_NONE && deref(D, &pin.rotate.S, &pin.rotate.v, &rot) == 0 &&
        rot.v.t == V_INT)
        t->rotate = (int)(((rot.v.i % 360) + 360) % 360 / 90 * 90);
    return 0;
bad:
    buf_free(&b);
    return -1;
}

/* Checks that every object the newest entries name is where they say. */
static int
check_objects(doc *D)
{
    for (size_t i = 0; i < D->nx; i++) {
        const xent *x = &D->x[i];
        if (x->type == 1) {
            if (x->off >= D->f.n) {
                fail(D,
                     "truncated PDF: object %u is said to be at byte %llu, past its end "
                     "(%zu bytes); export the PDF again",
                     x->num, (unsigned long long)x->off, D->f.n);
                return -1;
            }
            size_t pos = (size_t)x->off;
            tok a, b, c;
            lex(&D->f, &pos, &a);
            lex(&D->f, &pos, &b);
            lex(&D->f, &pos, &c);
            if (a.t != T_INT || a.i != x->num || b.t != T_INT || !word_is(&D->f, &c, "obj")) {
                fail(D,
                     "damaged PDF: object %u is not at byte %llu where the cross-reference "
                     "table says it is; repair it (qpdf in.pdf out.pdf)",
                     x->num, (unsigned long long)x->off);
                return -1;
            }
        } else if (x->type == 2) {
            if (x->off > MAX_OBJNUM || !get_objstm(D, (uint32_t)x->off)) {
                fail(D, "damaged PDF: object %u is in object stream %llu, which is missing", x->num,
                     (unsigned long long)x->off);
                return -1;
            }
        }
    }
    return 0;
}

/* Reads the chain, refuses what cannot be stamped, precomputes the rest. */
static int
analyze(doc *D, pdf_template *t)
{
    if (read_chain(D) < 0) return -1;
    const src *S = &D->f;
    pval v;
    if (dict_get(S, &D->trailer, "Encrypt", &v) && v.t != V_NULL) {
        fail(D, "encrypted PDF: hone stamps unencrypted templates only; remove the encryption "
                "(qpdf --decrypt in.pdf out.pdf) and use that file");
        return -1;
    }
    if (check_objects(D) < 0) return -1;
    obj root;
    if (!dict_get(S, &D->trailer, "Root", &v) || v.t != V_REF) {
        fail(D, "damaged PDF: the trailer has no /Root (document catalog)");
        return -1;
    }
    if (get_obj(D, v.num, &root) < 0) return -1;
    if (root.v.t != V_DICT || root.stream) {
        fail(D, "damaged PDF: the document catalog (object %u) is not a dictionary", v.num);
        return -1;
    }
    buf b = BUF_INIT;
    buf_printf(&b, "%u %u R", v.num, v.gen);
    take(&b, &t->root);
    if (prepare_page(D, t, &root) < 0) return -1;

    /* the old information dictionary, without what the stamp sets */
    obj info;
    memset(&info, 0, sizeof(info));
    if (dict_get(S, &D->trailer, "Info", &v) && deref(D, S, &v, &info) < 0) return -1;
    if (info.v.t == V_DICT && !info.stream) put_entries(&b, &info.S, &info.v, info_skip);
    take(&b, &t->info);

    /* the first /ID element is kept; a template without one gets one */
    pval id, id0;
    size_t pos = 0;
    if (dict_get(S, &D->trailer, "ID", &id) && id.t == V_ARRAY && array_next(S, &id, &pos, &id0) &&
        (id0.t == V_STR || id0.t == V_HEX)) {
        put_raw(&b, S, &id0);
    } else {
        buf_putc(&b, '<');
        for (int i = 0; i < 16; i++)
            buf_printf(&b, "%02X", t->digest[i]);
        buf_putc(&b, '>');
    }
    take(&b, &t->id0);

    uint64_t next = D->size;
    if (D->nx && (uint64_t)D->maxnum + 1 > next) next = (uint64_t)D->maxnum + 1;
    if (next == 0) next = 1;
    if (next + 8 > MAX_OBJNUM) {
        fail(D, "the PDF has too many objects to add a stamp");
        return -1;
    }
    t->next = (uint32_t)next;
    t->prev = D->startxref;
    t->xref_stream = D->newest_stream;
    return 0;
}

/* Loads from t->data; the message goes to why (ERR_LEN bytes). */
static int
prepare(pdf_template *t, char *why)
{
    crypto_hash_sha256(t->digest, t->data, t->n);
    doc D;
    doc_init(&D, t->data, t->n);
    int rc = analyze(&D, t);
    if (rc < 0) snprintf(why, ERR_LEN, "%s", D.err[0] ? D.err : "the PDF cannot be read");
    doc_free(&D);
    return rc;
}

void
pdf_free(pdf_template *t)
{
    if (!t) return;
    free(t->data);
    free(t->root.s);
    free(t->id0.s);
    free(t->info.s);
    free(t->page.s);
    free(t->contents.s);
    free(t->resources.s);
    free(t->fonts.s);
    free(t);
}

static pdf_template *
load_owned(uint8_t *data, size_t n, char *why)
{
    pdf_template *t = xcalloc(1, sizeof(*t));
    t->data = data;
    t->n = n;
    if (sodium_init() < 0) {
        snprintf(why, ERR_LEN, "libsodium cannot start");
        pdf_free(t);
        return NULL;
    }
    if (prepare(t, why) < 0) {
        pdf_free(t);
        return NULL;
    }
    return t;
}

pdf_template *
pdf_load_mem(const uint8_t *data, size_t n, const char *name, diags *d)
{
    char why[ERR_LEN];
    if (n > PDF_MAX_TEMPLATE) {
        diag_err(d, name, 0, 0, "the template is larger than %d MiB", PDF_MAX_TEMPLATE >> 20);
        return NULL;
    }
    uint8_t *copy = xmalloc(n);
    if (n) memcpy(copy, data, n);
    pdf_template *t = load_owned(copy, n, why);
    if (!t) {
        diag_err(d, name, 0, 0, "%s", why);
        return NULL;
    }
    return t;
}

pdf_template *
pdf_load(const char *path, diags *d)
{
    char *data;
    size_t n;
    int err = fs_read_file(path, PDF_MAX_TEMPLATE, &data, &n);
    if (err == EFBIG)
        diag_err(d, path, 0, 0, "the certificate template is larger than %d MiB",
                 PDF_MAX_TEMPLATE >> 20);
    else if (err == EISDIR || err == EINVAL)
        diag_err(d, path, 0, 0, "the certificate template is not a regular file");
    else if (err)
        diag_err(d, path, 0, 0, "cannot open the certificate template: %s", strerror(err));
    if (err) return NULL;
    char why[ERR_LEN];
    pdf_template *t = load_owned((uint8_t *)data, n, why);
    if (!t) diag_err(d, path, 0, 0, "%s", why);
    return t;
}

const uint8_t *
pdf_bytes(const pdf_template *t)
{
    return t->data;
}

size_t
pdf_size(const pdf_template *t)
{
    return t->n;
}

bool
pdf_uses_xref_stream(const pdf_template *t)
{
    return t->xref_stream;
}

/* ---------------------------------------------------------------- stamp */

/* Helvetica's advance widths (per 1000) for ASCII 32..126. */
static const short helvetica[95] = {
    278, 278, 355, 556, 556, 889, 667, 191, 333, 333, 389, 584, 278, 333,  278, 278, 556, 556, 556,
    556, 556, 556, 556, 556, 556, 556, 278, 278, 584, 584, 584, 556, 1015, 667, 667, 722, 722, 667,
    611, 778, 722, 278, 500, 667, 556, 833, 722, 778, 667, 778, 722, 667,  611, 722, 667, 944, 667,
    667, 611, 278, 278, 278, 469, 556, 333, 556, 556, 500, 556, 556, 278,  556, 556, 222, 222, 500,
    222, 833, 556, 556, 556, 556, 333, 500, 278, 556, 500, 722, 500, 500,  500, 334, 260, 334, 584};

static const char *const months[12] = {"January",   "February", "March",    "April",
                                       "May",       "June",     "July",     "August",
                                       "September", "October",  "November", "December"};

/* A number with two decimals, whatever the locale. */
static void
put_num(buf *b, double v)
{
    long long c = (long long)(v * 100 + (v < 0 ? -0.5 : 0.5));
    if (c < 0) {
        buf_putc(b, '-');
        c = -c;
    }
    buf_printf(b, "%lld.%02lld", c / 100, c % 100);
}

/* The content stream that draws "Issued to ... on ..." at the foot of the
 * page as it is shown (after /Rotate), in Helvetica (WinAnsiEncoding). */
static void
visible_line(const pdf_template *t, const char *who, size_t wn, const civil *c, buf *out)
{
    buf text = BUF_INIT;
    buf_puts(&text, "Issued to ");
    for (size_t i = 0; i < wn;) {
        uint32_t cp;
        i += utf8_decode(who + i, wn - i, &cp);
        buf_putc(&text, cp < 0x20 || (cp >= 0x7f && cp < 0xa0) || cp > 0xff ? '?' : (int)cp);
    }
    buf_printf(&text, " on %d %s %d at %02d:%02d UTC", c->day, months[c->month - 1], c->year,
               c->hour, c->min);
    double w = t->box[2] - t->box[0], h = t->box[3] - t->box[1];
    double a = 1, bb = 0, cc = 0, d = 1, e = t->box[0], f = t->box[1];
    switch (t->rotate) {
    case 90: a = 0, bb = 1, cc = -1, d = 0, e = t->box[2], f = t->box[1]; break;
    case 180: a = -1, bb = 0, cc = 0, d = -1, e = t->box[2], f = t->box[3]; break;
    case 270: a = 0, bb = -1, cc = 1, d = 0, e = t->box[0], f = t->box[3]; break;
    default: break;
    }
    if (t->rotate == 90 || t->rotate == 270) {
        double tmp = w;
        w = h;
        h = tmp;
    }
    long units = 0;
    for (size_t i = 0; i < text.len; i++) {
        uint8_t ch = (uint8_t)text.data[i];
        units += ch >= 32 && ch <= 126 ? helvetica[ch - 32] : 556;
    }
    double size = 9, margin = 36;
    if (units > 0 && units * size / 1000 > w - 2 * margin) size = (w - 2 * margin) * 1000 / units;
    if (size < 4) size = 4;
    double tw = units * size / 1000, x = (w - tw) / 2, y = h < 100 ? 4 : 18;
    if (x < 2) x = 2;
    buf_puts(out, "\nQ\nq\n"); /* a token boundary, whatever the last stream ended with */
    put_num(out, a);
    buf_putc(out, ' ');
    put_num(out, bb);
    buf_putc(out, ' ');
    put_num(out, cc);
    buf_putc(out, ' ');
    put_num(out, d);
    buf_putc(out, ' ');
    put_num(out, e);
    buf_putc(out, ' ');
    put_num(out, f);
    buf_printf(out, " cm\nBT\n0.35 g\n/%s ", t->font);
    put_num(out, size);
    buf_puts(out, " Tf\n");
    put_num(out, x);
    buf_putc(out, ' ');
    put_num(out, y);
    buf_puts(out, " Td\n(");
    for (size_t i = 0; i < text.len; i++) {
        uint8_t ch = (uint8_t)text.data[i];
        if (ch == '(' || ch == ')' || ch == '\\')
            buf_printf(out, "\\%c", ch);
        else if (ch >= 0x80)
            buf_printf(out, "\\%03o", ch);
        else
            buf_putc(out, ch);
    }
    buf_puts(out, ") Tj\nET\nQ\n");
    buf_free(&text);
}

static bool
recipient_ok(const char *s, size_t n)
{
    if (n == 0 || n > PDF_MAX_RECIPIENT || utf8_check(s, n) != n) return false;
    for (size_t i = 0; i < n; i++)
        if ((uint8_t)s[i] < 0x20 || s[i] == 0x7f) return false;
    return true;
}

/* The message the id signs: context, template digest, recipient, time. */
static void
id_message(const pdf_template *t, const char *who, size_t wn, const char *iso, buf *m)
{
    buf_puts(m, mac_context);
    buf_put(m, t->digest, sizeof(t->digest));
    buf_put(m, who, wn);
    buf_putc(m, '\n');
    buf_puts(m, iso);
}

static void
put_offset(buf *b, uint64_t off, int width)
{
    for (int i = width - 1; i >= 0; i--)
        buf_putc(b, (int)(off >> (8 * i) & 0xff));
}

/* The whole tail, given the MAC; the same inputs give the same bytes. */
static void
write_tail(const pdf_template *t, const char *who, size_t wn, const char *iso, const civil *c,
           const uint8_t mac[MAC_LEN], bool visible, buf *out)
{
    uint64_t base = t->n;
    size_t start = out->len; /* offsets count from the tail's own start */
    uint32_t info = t->next;
    uint64_t offs[5]; /* info, q, line, font, page */
    size_t nobj = visible ? 4 : 1;

    buf_putc(out, '\n');
    offs[0] = base + (out->len - start);
    buf_printf(out, "%u 0 obj\n<<\n", info);
    buf_put(out, t->info.s, t->info.n);
    buf_printf(out, "/ModDate (D:%.4s%.2s%.2s%.2s%.2s%.2sZ)\n/HoneRecipient ", iso, iso + 5,
               iso + 8, iso + 11, iso + 14, iso + 17);
    put_text_string(out, who, wn);
    buf_printf(out, "\n/HoneDownloadedAt (%s)\n/HoneCertificateId (", iso);
    mac_b64url(out, mac, MAC_LEN);
    buf_puts(out, ")\n>>\nendobj\n");
    if (visible) {
        buf line = BUF_INIT;
        visible_line(t, who, wn, c, &line);
        offs[1] = base + (out->len - start);
        buf_printf(out, "%u 0 obj\n<< /Length 2 >>\nstream\nq\n\nendstream\nendobj\n", info + 1);
        offs[2] = base + (out->len - start);
        buf_printf(out, "%u 0 obj\n<< /Length %zu >>\nstream\n", info + 2, line.len);
        buf_put(out, line.data, line.len);
        buf_puts(out, "\nendstream\nendobj\n");
        buf_free(&line);
        offs[3] = base + (out->len - start);
        buf_printf(out,
                   "%u 0 obj\n<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica "
                   "/Encoding /WinAnsiEncoding >>\nendobj\n",
                   info + 3);
        offs[4] = base + (out->len - start);
        buf_printf(out, "%u %u obj\n<<\n", t->page_num, t->page_gen);
        buf_put(out, t->page.s, t->page.n);
        buf_printf(out, "/Contents [%u 0 R ", info + 1);
        buf_put(out, t->contents.s, t->contents.n);
        buf_printf(out, "%s%u 0 R]\n/Resources <<\n", t->contents.n ? " " : "", info + 2);
        buf_put(out, t->resources.s, t->resources.n);
        buf_puts(out, "/Font <<\n");
        buf_put(out, t->fonts.s, t->fonts.n);
        buf_printf(out, "/%s %u 0 R\n>>\n>>\n>>\nendobj\n", t->font, info + 3);
    }
    /* the trailer's entries but /Size, /Index and /Prev, the same in both kinds */
    buf tr = BUF_INIT;
    buf_puts(&tr, "/Root ");
    buf_put(&tr, t->root.s, t->root.n);
    buf_printf(&tr, " /Info %u 0 R /Prev %llu /ID [", info, (unsigned long long)t->prev);
    buf_put(&tr, t->id0.s, t->id0.n);
    buf_puts(&tr, " <");
    for (int i = 0; i < 16; i++)
        buf_printf(&tr, "%02X", mac[i]);
    buf_puts(&tr, ">]");
    uint64_t xref = base + (out->len - start);
    if (!t->xref_stream) {
        buf_puts(out, "xref\n");
        if (visible) {
            buf_printf(out, "%u 1\n%010llu %05u n\r\n", t->page_num, (unsigned long long)offs[4],
                       t->page_gen);
        }
        buf_printf(out, "%u %zu\n", info, nobj);
        for (size_t i = 0; i < nobj; i++)
            buf_printf(out, "%010llu 00000 n\r\n", (unsigned long long)offs[i]);
        buf_printf(out, "trailer\n<< /Size %zu ", (size_t)info + nobj);
        buf_put(out, tr.data, tr.len);
        buf_puts(out, " >>\n");
    } else {
        /* offsets need this many bytes: the tail is far below a megabyte */
        int w = 1;
        while (w < 8 && (base + (1u << 20)) >> (8 * w))
            w++;
        uint32_t self = info + (uint32_t)nobj;
        buf rows = BUF_INIT;
        if (visible) {
            buf_putc(&rows, 1);
            put_offset(&rows, offs[4], w);
            put_offset(&rows, t->page_gen, 2);
        }
        for (size_t i = 0; i < nobj; i++) {
            buf_putc(&rows, 1);
            put_offset(&rows, offs[i], w);
            put_offset(&rows, 0, 2);
        }
        buf_putc(&rows, 1);
        put_offset(&rows, xref, w);
        put_offset(&rows, 0, 2);
        buf_printf(out, "%u 0 obj\n<< /Type /XRef /Size %u /W [1 %d 2] /Index [", self, self + 1,
                   w);
        if (visible) buf_printf(out, "%u 1 ", t->page_num);
        buf_printf(out, "%u %zu] ", info, nobj + 1);
        buf_put(out, tr.data, tr.len);
        buf_printf(out, " /Length %zu >>\nstream\n", rows.len);
        buf_put(out, rows.data, rows.len);
        buf_puts(out, "\nendstream\nendobj\n");
        buf_free(&rows);
    }
    buf_printf(out, "startxref\n%llu\n%%%%EOF\n", (unsigned long long)xref);
    buf_free(&tr);
}

static int
stamp_mac(const pdf_template *t, const pdf_stamp_info *info, char iso[21], civil *c,
          uint8_t mac[MAC_LEN])
{
    if (!info->recipient || !info->key) return -1;
    size_t wn = strlen(info->recipient);
    if (!recipient_ok(info->recipient, wn) || to_civil(info->time, c) < 0 ||
        pdf_format_time(info->time, iso) < 0)
        return -1;
    buf m = BUF_INIT;
    id_message(t, info->recipient, wn, iso, &m);
    mac_sign(info->key, m.data, m.len, mac);
    buf_free(&m);
    return 0;
}

/* id: the MAC in base64url, as the stamp writes it. */
static void
format_id(const uint8_t mac[MAC_LEN], char id[PDF_ID_LEN + 1])
{
    buf b = BUF_INIT;
    mac_b64url(&b, mac, MAC_LEN);
    snprintf(id, PDF_ID_LEN + 1, "%s", buf_cstr(&b));
    buf_free(&b);
}

int
pdf_stamp(const pdf_template *t, const pdf_stamp_info *info, buf *out_tail, pdf_stamp_made *made)
{
    char iso[21];
    civil c;
    uint8_t mac[MAC_LEN];
    if (stamp_mac(t, info, iso, &c, mac) < 0) return -1;
    size_t start = out_tail->len;
    write_tail(t, info->recipient, strlen(info->recipient), iso, &c, mac, info->visible, out_tail);
    if (out_tail->err) { /* nothing appended */
        out_tail->len = start;
        if (out_tail->data) out_tail->data[start] = '\0';
        return -1;
    }
    if (made) {
        format_id(mac, made->id);
        memcpy(made->when, iso, sizeof(made->when));
    }
    return 0;
}

int
pdf_certificate_id(const pdf_template *t, const pdf_stamp_info *info, char id[PDF_ID_LEN + 1])
{
    char iso[21];
    civil c;
    uint8_t mac[MAC_LEN];
    if (stamp_mac(t, info, iso, &c, mac) < 0) return -1;
    format_id(mac, id);
    return 0;
}

/* --------------------------------------------------------------- verify */

static pdf_verdict
verdict(pdf_verify_result *r, pdf_verdict v, const char *why)
{
    r->verdict = v;
    free(r->why);
    r->why = why ? xstrdup(why) : NULL;
    return v;
}

pdf_verdict
pdf_verify(const uint8_t *data, size_t n, const mac_key *key, pdf_verify_result *r)
{
    memset(r, 0, sizeof(*r));
    doc D;
    doc_init(&D, data, n);
    pdf_verdict v;
    char msg[ERR_LEN + 64];
    pdf_template *t = NULL;
    buf m = BUF_INIT, tail = BUF_INIT;
    if (read_chain(&D) < 0) {
        bool keys = n >= 18 && find_bytes(data, n, "/HoneCertificateId", 18);
        snprintf(msg, sizeof(msg), "%s: %s",
                 keys ? "the file carries a stamp but is damaged" : "not a readable PDF", D.err);
        v = verdict(r, keys ? PDF_FORGED : PDF_NOT_STAMPED, msg);
        goto out;
    }
    pval iv, rv, tv, idv;
    obj info;
    memset(&info, 0, sizeof(info));
    if (dict_get(&D.f, &D.trailer, "Info", &iv) && deref(&D, &D.f, &iv, &info) < 0) {
        snprintf(msg, sizeof(msg), "the information dictionary cannot be read: %s", D.err);
        v = verdict(r, PDF_FORGED, msg);
        goto out;
    }
    bool hr = false, ht = false, hi = false;
    obj ro, to, io;
    if (info.v.t == V_DICT && !info.stream) {
        hr = dict_get(&info.S, &info.v, "HoneRecipient", &rv) && deref(&D, &info.S, &rv, &ro) == 0;
        ht = dict_get(&info.S, &info.v, "HoneDownloadedAt", &tv) &&
             deref(&D, &info.S, &tv, &to) == 0;
        hi = dict_get(&info.S, &info.v, "HoneCertificateId", &idv) &&
             deref(&D, &info.S, &idv, &io) == 0;
    }
    if (!hr && !ht && !hi) {
        if (find_bytes(data, n, "/HoneCertificateId", 18))
            v = verdict(r, PDF_FORGED,
                        "the file has a stamp, but its newest revision does not "
                        "use it (it was cut short or edited)");
        else
            v = verdict(r, PDF_NOT_STAMPED, "the document information has no hone stamp");
        goto out;
    }
    size_t rn = 0, tn2 = 0, in = 0;
    if (hr && (ro.v.t == V_STR || ro.v.t == V_HEX)) r->recipient = text_to_utf8(&ro.S, &ro.v, &rn);
    if (ht && (to.v.t == V_STR || to.v.t == V_HEX))
        r->downloaded_at = text_to_utf8(&to.S, &to.v, &tn2);
    if (hi && (io.v.t == V_STR || io.v.t == V_HEX)) r->id = text_to_utf8(&io.S, &io.v, &in);
    if (!r->recipient || !r->downloaded_at || !r->id) {
        v = verdict(r, PDF_FORGED, "the stamp is incomplete: recipient, time or id is missing");
        goto out;
    }
    int64_t when;
    uint8_t mac[MAC_LEN];
    size_t wn = strlen(r->recipient), idn = strlen(r->id);
    if (wn != rn || strlen(r->downloaded_at) != tn2 || idn != in ||
        pdf_parse_time(r->downloaded_at, &when) < 0 || !recipient_ok(r->recipient, wn) ||
        idn != PDF_ID_LEN || mac_b64url_decode(r->id, idn, mac, sizeof(mac)) != MAC_LEN) {
        v = verdict(r, PDF_FORGED, "the stamp's recipient, time or id is malformed");
        goto out;
    }
    /* the stamp is the newest update; the template ends one byte before it */
    if (D.newest_min == UINT64_MAX || D.newest_min < 2 || D.newest_min > n ||
        data[D.newest_min - 1] != '\n') {
        v = verdict(r, PDF_FORGED,
                    "the stamp is not where hone puts it (the file was changed "
                    "after it was served)");
        goto out;
    }
    size_t tn = (size_t)D.newest_min - 1;
    uint8_t *copy = xmalloc(tn);
    memcpy(copy, data, tn);
    char why[ERR_LEN];
    t = load_owned(copy, tn, why);
    if (!t) {
        snprintf(msg, sizeof(msg), "the document before the stamp is not a usable PDF: %s", why);
        v = verdict(r, PDF_FORGED, msg);
        goto out;
    }
    id_message(t, r->recipient, wn, r->downloaded_at, &m);
    if (!mac_verify(key, m.data, m.len, mac)) {
        v = verdict(r, PDF_FORGED,
                    "the id does not match the recipient, the time and the "
                    "document (or it was made with another site's secret)");
        goto out;
    }
    civil c;
    to_civil(when, &c);
    for (int visible = 0; visible < 2; visible++) {
        buf_reset(&tail);
        write_tail(t, r->recipient, wn, r->downloaded_at, &c, mac, visible, &tail);
        if (tail.len == n - tn && memcmp(tail.data, data + tn, tail.len) == 0) {
            v = verdict(r, PDF_GENUINE, NULL);
            goto out;
        }
    }
    v = verdict(r, PDF_FORGED,
                "the id is right, but the stamp's update was changed after the "
                "file was served");
out:
    buf_free(&m);
    buf_free(&tail);
    pdf_free(t);
    doc_free(&D);
    return v;
}

void
pdf_verify_result_free(pdf_verify_result *r)
{
    free(r->recipient);
    free(r->downloaded_at);
    free(r->id);
    free(r->why);
    memset(r, 0, sizeof(*r));
}
