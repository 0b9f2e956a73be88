/*
 * val: constructors, lookups, comparison and printing of template values.
 *
 * Lookups follow Django's order for `a.b`: a map key (or a host object's
 * field), then a list index when b is a number.  Maps keep insertion order
 * and are searched linearly: template maps are small (a page's params, a
 * site's menus); big collections are host objects or lists.
 */
#include "val.h"
#include "esc.h"
#include "utf8.h"

#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

val
val_bool(bool b)
{
    val v = {.type = VAL_BOOL};
    v.u.b = b;
    return v;
}

val
val_int(int64_t i)
{
    val v = {.type = VAL_INT};
    v.u.i = i;
    return v;
}

val
val_float(double f)
{
    val v = {.type = VAL_FLOAT};
    v.u.f = f;
    return v;
}

val
val_str(const char *s, size_t n)
{
    val v = {.type = VAL_STR};
    v.u.str.s = s;
    v.u.str.n = n;
    return v;
}

val
val_cstr(const char *s)
{
    return val_str(s, strlen(s));
}

val
val_safe(const char *s, size_t n)
{
    val v = val_str(s, n);
    v.safe = 1;
    return v;
}

val
val_strdup(arena *a, const char *s, size_t n)
{
    return val_str(arena_strndup(a, s, n), n);
}

val
val_time(dt t)
{
    val v = {.type = VAL_TIME};
    v.u.time = t;
    return v;
}

val
val_list(const val *items, size_t n)
{
    val v = {.type = VAL_LIST};
    v.u.list.items = items;
    v.u.list.n = n;
    return v;
}

val
val_map(const val_pair *items, size_t n)
{
    val v = {.type = VAL_MAP};
    v.u.map.items = items;
    v.u.map.n = n;
    return v;
}

val
val_obj(const val_class *cls, const void *ptr)
{
    val v = {.type = VAL_OBJ};
    v.u.obj.cls = cls;
    v.u.obj.ptr = ptr;
    return v;
}

/* Grows an arena array of elem-sized items to hold one more. */
static void *
grow(arena *a, void *items, size_t n, size_t *cap, size_t elem)
{
    if (n < *cap) return items;
    size_t ncap = *cap ? *cap * 2 : 8;
    void *p = arena_calloc(a, ncap, elem);
    if (n) memcpy(p, items, n * elem);
    *cap = ncap;
    return p;
}

void
val_list_push(val_list_b *l, arena *a, val v)
{
    l->items = grow(a, l->items, l->n, &l->cap, sizeof(val));
    l->items[l->n++] = v;
}

val
val_list_done(const val_list_b *l)
{
    return val_list(l->items, l->n);
}

void
val_map_set(val_map_b *m, arena *a, const char *key, size_t keylen, val v)
{
    for (size_t i = 0; i < m->n; i++) {
        if (m->items[i].keylen == keylen && memcmp(m->items[i].key, key, keylen) == 0) {
            m->items[i].v = v;
            return;
        }
    }
    m->items = grow(a, m->items, m->n, &m->cap, sizeof(val_pair));
    m->items[m->n].key = key;
    m->items[m->n].keylen = keylen;
    m->items[m->n].v = v;
    m->n++;
}

val
val_map_done(const val_map_b *m)
{
    return val_map(m->items, m->n);
}

static int
parse_index(const char *key, size_t keylen, int64_t *out)
{
    if (keylen == 0 || keylen > 18) return 0;
    size_t i = key[0] == '-' ? 1 : 0;
    if (i == keylen) return 0;
    int64_t v = 0;
    for (; i < keylen; i++) {
        if (key[i] < '0' || key[i] > '9') return 0;
        v = v * 10 + (key[i] - '0');
    }
    *out = key[0] == '-' ? -v : v;
    return 1;
}

int
val_get(val v, const char *key, size_t keylen, arena *a, val *out)
{
    int64_t idx;
    switch (v.type) {
    case VAL_MAP:
        for (size_t i = 0; i < v.u.map.n; i++) {
            const val_pair *p = &v.u.map.items[i];
            if (p->keylen == keylen && memcmp(p->key, key, keylen) == 0) {
                *out = p->v;
                return 1;
            }
        }
        return 0;
    case VAL_OBJ:
        if (v.u.obj.cls->get && v.u.obj.cls->get(v.u.obj.ptr, key, keylen, a, out)) return 1;
        if (v.u.obj.cls->at && parse_index(key, keylen, &idx)) return val_index(v, idx, a, out);
        return 0;
    case VAL_LIST:
        if (parse_index(key, keylen, &idx)) return val_index(v, idx, a, out);
        return 0;
    default: return 0;
    }
}

int
val_index(val v, int64_t i, arena *a, val *out)
{
    int64_t n = val_len(v);
    if (n < 0 || !val_is_seq(v)) return 0;
    if (i < 0) i += n;
    if (i < 0 || i >= n) return 0;
    if (v.type == VAL_LIST) {
        *out = v.u.list.items[i];
        return 1;
    }
    return v.u.obj.cls->at(v.u.obj.ptr, (size_t)i, a, out);
}

int64_t
val_len(val v)
{
    switch (v.type) {
    case VAL_STR: return (int64_t)utf8_count(v.u.str.s, v.u.str.n);
    case VAL_LIST: return (int64_t)v.u.list.n;
    case VAL_MAP: return (int64_t)v.u.map.n;
    case VAL_OBJ:
        if (v.u.obj.cls->len) return (int64_t)v.u.obj.cls->len(v.u.obj.ptr);
        return -1;
    default: return -1;
    }
}

bool
val_is_seq(val v)
{
    return v.type == VAL_LIST || (v.type == VAL_OBJ && v.u.obj.cls->len && v.u.obj.cls->at);
}

bool
val_truthy(val v)
{
    switch (v.type) {
    case VAL_NULL: return false;
    case VAL_BOOL: return v.u.b;
    case VAL_INT: return v.u.i != 0;
    case VAL_FLOAT: return v.u.f != 0.0;
    case VAL_STR: return v.u.str.n != 0;
    case VAL_TIME: return true;
    case VAL_LIST: return v.u.list.n != 0;
    case VAL_MAP: return v.u.map.n != 0;
    case VAL_OBJ:
        if (v.u.obj.cls->len) return v.u.obj.cls->len(v.u.obj.ptr) != 0;
        if (v.u.obj.cls->truthy) return v.u.obj.cls->truthy(v.u.obj.ptr);
        return true;
    }
    return false;
}

void
val_put_int(buf *out, int64_t i)
{
    char tmp[24];
    size_t k = sizeof(tmp);
    uint64_t u = i < 0 ? (uint64_t)0 - (uint64_t)i : (uint64_t)i;
    do {
        tmp[--k] = (char)('0' + u % 10);
        u /= 10;
    } while (u);
    if (i < 0) tmp[--k] = '-';
    buf_put(out, tmp + k, sizeof(tmp) - k);
}

/*
 * A float as Django prints it: Python's repr (the shortest digits that read
 * back the same, "2.0" for integral values), except that where repr would
 * use an exponent (below 1e-4, from 1e16) Django writes the digits out in
 * full without ".0".
 */
static void
put_float(buf *out, double f)
{
    if (isnan(f)) {
        buf_puts(out, "nan");
        return;
    }
    if (isinf(f)) {
        buf_puts(out, f < 0 ? "-inf" : "inf");
        return;
    }
    char tmp[64];
    int prec = 1;
    for (; prec <= 17; prec++) {
        snprintf(tmp, sizeof(tmp), "%.*e", prec - 1, f);
        if (strtod(tmp, NULL) == f) break;
    }
    /* tmp is [-]D.DDDDe[+-]XX: collect the digits and the exponent */
    char digits[32];
    int nd = 0, neg = tmp[0] == '-';
    const char *p = tmp + neg;
    for (; *p && *p != 'e'; p++)
        if (*p >= '0' && *p <= '9') digits[nd++] = *p;
    int exp = atoi(p + 1);
    while (nd > 1 && digits[nd - 1] == '0')
        nd--;
    int repr_form = exp >= -4 && exp < 16;
    if (neg) buf_putc(out, '-');
    if (exp + 1 >= nd) {
        buf_put(out, digits, (size_t)nd);
        for (int i = nd; i < exp + 1; i++)
            buf_putc(out, '0');
        if (repr_form) buf_puts(out, ".0");
    } else if (exp < 0) {
        buf_puts(out, "0.");
        for (int i = 0; i < -exp - 1; i++)
            buf_putc(out, '0');
        buf_put(out, digits, (size_t)nd);
    } else {
        buf_put(out, digits, (size_t)exp + 1);
        buf_putc(out, '.');
        buf_put(out, digits + exp + 1, (size_t)(nd - exp - 1));
    }
}

void
val_to_buf(val v, buf *out)
{
    switch (v.type) {
    case VAL_NULL: buf_puts(out, "None"); return;
    case VAL_BOOL: buf_puts(out, v.u.b ? "True" : "False"); return;
    case VAL_INT: val_put_int(out, v.u.i); return;
    case VAL_FLOAT: put_float(out, v.u.f); return;
    case VAL_STR: buf_put(out, v.u.str.s, v.u.str.n); return;
    case VAL_TIME: dt_format(out, "N j, Y, P", 10, v.u.time); return;
    case VAL_LIST:
        /* Python-like: ['a', 'b'] */
        buf_putc(out, '[');
        for (size_t i = 0; i < v.u.list.n; i++) {
            if (i) buf_puts(out, ", ");
            val e = v.u.list.items[i];
            if (e.type == VAL_STR) {
                buf_putc(out, '\'');
                val_to_buf(e, out);
                buf_putc(out, '\'');
            } else {
                val_to_buf(e, out);
            }
        }
        buf_putc(out, ']');
        return;
    case VAL_MAP:
        buf_putc(out, '{');
        for (size_t i = 0; i < v.u.map.n; i++) {
            if (i) buf_puts(out, ", ");
            buf_putc(out, '\'');
            buf_put(out, v.u.map.items[i].key, v.u.map.items[i].keylen);
            buf_puts(out, "': ");
            val_to_buf(v.u.map.items[i].v, out);
        }
        buf_putc(out, '}');
        return;
    case VAL_OBJ:
        if (v.u.obj.cls->str) v.u.obj.cls->str(v.u.obj.ptr, out);
        return;
    }
}

val
val_to_str(val v, arena *a)
{
    if (v.type == VAL_STR) return v;
    buf b = BUF_INIT;
    val_to_buf(v, &b);
    val r = val_strdup(a, buf_cstr(&b), b.len);
    buf_free(&b);
    return r;
}

/* A number's value (v is a bool, int or float: see is_num). */
static int64_t
num_int(val v)
{
    return v.type == VAL_INT ? v.u.i : v.u.b;
}

static double
num_float(val v)
{
    return v.type == VAL_FLOAT ? v.u.f : v.type == VAL_INT ? (double)v.u.i : v.u.b;
}

static bool
is_num(val v)
{
    return v.type == VAL_INT || v.type == VAL_FLOAT || v.type == VAL_BOOL;
}

bool
val_equal(val a, val b)
{
    if (is_num(a) && is_num(b)) {
        if (a.type != VAL_FLOAT && b.type != VAL_FLOAT) return num_int(a) == num_int(b);
        return num_float(a) == num_float(b);
    }
    if (a.type != b.type) return false;
    switch (a.type) {
    case VAL_NULL: return true;
    case VAL_STR: return a.u.str.n == b.u.str.n && memcmp(a.u.str.s, b.u.str.s, a.u.str.n) == 0;
    case VAL_TIME: return dt_cmp(a.u.time, b.u.time) == 0;
    case VAL_LIST:
        if (a.u.list.n != b.u.list.n) return false;
        for (size_t i = 0; i < a.u.list.n; i++)
            if (!val_equal(a.u.list.items[i], b.u.list.items[i])) return false;
        return true;
    case VAL_MAP:
        if (a.u.map.n != b.u.map.n) return false;
        for (size_t i = 0; i < a.u.map.n; i++) {
            val other;
            const val_pair *p = &a.u.map.items[i];
            if (!val_get(b, p->key, p->keylen, NULL, &other) || !val_equal(p->v, other))
                return false;
        }
        return true;
    case VAL_OBJ: return a.u.obj.cls == b.u.obj.cls && a.u.obj.ptr == b.u.obj.ptr;
    default: return false;
    }
}

int
val_compare(val a, val b, int *ok)
{
    *ok = 1;
    if (is_num(a) && is_num(b)) {
        if (a.type != VAL_FLOAT && b.type != VAL_FLOAT) {
            int64_t x = num_int(a), y = num_int(b);
            return (x > y) - (x < y);
        }
        double x = num_float(a), y = num_float(b);
        if (isnan(x) || isnan(y)) {
            *ok = 0;
            return 0;
        }
        return (x > y) - (x < y);
    }
    if (a.type == VAL_STR && b.type == VAL_STR) {
        size_t n = a.u.str.n < b.u.str.n ? a.u.str.n : b.u.str.n;
        int c = memcmp(a.u.str.s, b.u.str.s, n);
        if (c) return c < 0 ? -1 : 1;
        return (a.u.str.n > b.u.str.n) - (a.u.str.n < b.u.str.n);
    }
    if (a.type == VAL_TIME && b.type == VAL_TIME) return dt_cmp(a.u.time, b.u.time);
    if (a.type == VAL_LIST && b.type == VAL_LIST) {
        size_t n = a.u.list.n < b.u.list.n ? a.u.list.n : b.u.list.n;
        for (size_t i = 0; i < n; i++) {
            int c = val_compare(a.u.list.items[i], b.u.list.items[i], ok);
            if (!*ok || c) return c;
        }
        return (a.u.list.n > b.u.list.n) - (a.u.list.n < b.u.list.n);
    }
    *ok = 0;
    return 0;
}

void
val_to_json(val v, buf *out)
{
    switch (v.type) {
    case VAL_NULL: buf_puts(out, "null"); return;
    case VAL_BOOL: buf_puts(out, v.u.b ? "true" : "false"); return;
    case VAL_INT: buf_printf(out, "%" PRId64, v.u.i); return;
    case VAL_FLOAT:
        if (isnan(v.u.f) || isinf(v.u.f))
            buf_puts(out, "null");
        else
            put_float(out, v.u.f);
        return;
    case VAL_STR: esc_json(out, v.u.str.s, v.u.str.n); return;
    case VAL_TIME: {
        buf t = BUF_INIT;
        dt_iso8601(&t, v.u.time);
        esc_json(out, t.data, t.len);
        buf_free(&t);
        return;
    }
    case VAL_LIST:
        buf_putc(out, '[');
        for (size_t i = 0; i < v.u.list.n; i++) {
            if (i) buf_putc(out, ',');
            val_to_json(v.u.list.items[i], out);
        }
        buf_putc(out, ']');
        return;
    case VAL_MAP:
        buf_putc(out, '{');
        for (size_t i = 0; i < v.u.map.n; i++) {
            if (i) buf_putc(out, ',');
            esc_json(out, v.u.map.items[i].key, v.u.map.items[i].keylen);
            buf_putc(out, ':');
            val_to_json(v.u.map.items[i].v, out);
        }
        buf_putc(out, '}');
        return;
    case VAL_OBJ:
        if (val_is_seq(v)) {
            arena tmp = ARENA_INIT;
            buf_putc(out, '[');
            int64_t n = val_len(v);
            for (int64_t i = 0; i < n; i++) {
                val e;
                if (i) buf_putc(out, ',');
                if (val_index(v, i, &tmp, &e))
                    val_to_json(e, out);
                else
                    buf_puts(out, "null");
            }
            buf_putc(out, ']');
            arena_free(&tmp);
        } else {
            buf t = BUF_INIT;
            val_to_buf(v, &t);
            esc_json(out, buf_cstr(&t), t.len);
            buf_free(&t);
        }
        return;
    }
}

const char *
val_type_name(val v)
{
    static const char *const names[] = {"null", "bool", "int", "float", "string",
                                        "time", "list", "map", "object"};
    if (v.type == VAL_OBJ && v.u.obj.cls->name) return v.u.obj.cls->name;
    return v.type <= VAL_OBJ ? names[v.type] : "?";
}
