/*
 * val: the values templates see.
 *
 * A val is a small tagged struct passed by value.  Strings, lists and maps
 * point at memory the val does not own: it lives in an arena (see arena.h)
 * or in the host's own data.  Nothing is reference-counted; whoever owns
 * the arena owns the values, and a render's temporaries die with its arena.
 *
 * Host objects (VAL_OBJ) let a program expose its own structs without
 * copying them into maps: a page of a 10,000-page site is one pointer and
 * a class whose get() computes page.title, page.url ... on demand.  An
 * object whose class has len()/at() also behaves as a list.
 *
 * A string carries a `safe` mark (Django's SafeString): safe text is
 * written as is; other text is HTML-escaped when autoescaping is on.
 */
#ifndef HONE_VAL_H
#define HONE_VAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "arena.h"
#include "buf.h"
#include "dt.h"

typedef enum val_type {
    VAL_NULL = 0,
    VAL_BOOL,
    VAL_INT,
    VAL_FLOAT,
    VAL_STR,
    VAL_TIME,
    VAL_LIST,
    VAL_MAP,
    VAL_OBJ,
} val_type;

typedef struct val val;
typedef struct val_pair val_pair;
typedef struct val_class val_class;

struct val {
    uint8_t type; /* val_type */
    uint8_t safe; /* VAL_STR: already safe HTML */
    union {
        bool b;
        int64_t i;
        double f;
        struct {
            const char *s;
            size_t n;
        } str;
        dt time;
        struct {
            const val *items;
            size_t n;
        } list;
        struct {
            const val_pair *items; /* insertion order kept */
            size_t n;
        } map;
        struct {
            const val_class *cls;
            const void *ptr;
        } obj;
    } u;
};

struct val_pair {
    const char *key;
    size_t keylen;
    val v;
};

/*
 * A host object's behaviour.  Every callback may be NULL.  Callbacks must
 * be safe to call from several threads at once on the same object (they
 * only read the host's data, or allocate in the arena they are given).
 */
struct val_class {
    const char *name;
    /* Field lookup: 1 and *out set when found, 0 when not. */
    int (*get)(const void *obj, const char *key, size_t keylen, arena *a, val *out);
    /* List behaviour. */
    size_t (*len)(const void *obj);
    int (*at)(const void *obj, size_t i, arena *a, val *out);
    /* Truthiness when not a list (default: true). */
    bool (*truthy)(const void *obj);
    /* Text when printed (default: empty). */
    void (*str)(const void *obj, buf *out);
};

/* Constructors. */
static inline val
val_null(void)
{
    val v = {0};
    return v;
}
val val_bool(bool b);
val val_int(int64_t i);
val val_float(double f);
val val_str(const char *s, size_t n); /* points at s, does not copy */
val val_cstr(const char *s);          /* points at s, does not copy */
val val_safe(const char *s, size_t n);
val val_strdup(arena *a, const char *s, size_t n); /* copies into a */
val val_time(dt t);
val val_list(const val *items, size_t n);
val val_map(const val_pair *items, size_t n);
val val_obj(const val_class *cls, const void *ptr);

/* Growable list and map builders that allocate in an arena. */
typedef struct val_list_b {
    val *items;
    size_t n, cap;
} val_list_b;
void val_list_push(val_list_b *l, arena *a, val v);
val val_list_done(const val_list_b *l);

typedef struct val_map_b {
    val_pair *items;
    size_t n, cap;
} val_map_b;
/* Sets key (a later set of the same key replaces the value). Key not copied. */
void val_map_set(val_map_b *m, arena *a, const char *key, size_t keylen, val v);
val val_map_done(const val_map_b *m);

/* Lookups. Each returns 1 and *out when found, 0 otherwise. */
int val_get(val v, const char *key, size_t keylen, arena *a, val *out);
int val_index(val v, int64_t i, arena *a, val *out); /* negative counts from end */
/* Length of a string (in code points), list, map or list-like object; -1 if none. */
int64_t val_len(val v);
bool val_is_seq(val v); /* list or list-like object */

/* Django truthiness: null, false, 0, 0.0, "", [] and {} are false. */
bool val_truthy(val v);

/* Text of a value as Django prints it (not escaped): null is "None",
 * booleans "True"/"False", floats as Python writes them. */
void val_to_buf(val v, buf *out);
/* Appends a decimal integer (without printf). */
void val_put_int(buf *out, int64_t i);
/* The value as text in the arena (a string val is returned as is). */
val val_to_str(val v, arena *a);

/* Equality as Django's == (1 == 1.0, "a" == "a"); order for <, sorting. */
bool val_equal(val a, val b);
/* -1, 0, 1; *ok = 0 when the two are not comparable (e.g. str vs int). */
int val_compare(val a, val b, int *ok);

/* A JSON text for v (the json filter, JSON-LD): "<", ">", "&" and U+2028/9
 * are written as \u escapes so the text is safe inside <script>. */
void val_to_json(val v, buf *out);

const char *val_type_name(val v);

#endif
