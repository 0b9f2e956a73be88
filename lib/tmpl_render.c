/*
 * tmpl_render: walks a compiled template tree and writes its output.
 *
 * All mutable state of a render lives in one struct on the caller's
 * stack (rstate): the output buffer, the variable scopes, the cycle
 * counters, the depth.  The tree itself is only read, which is what lets
 * many threads render the same templates at once.
 *
 * Variables are looked up in a stack of names pushed by for, with,
 * include and friends (innermost first), then in the root context value.
 * Values computed while rendering (filter results, loop records) are
 * allocated in the caller's arena.
 *
 * Missing variables follow Django: "" when printed or filtered, None in
 * conditions and loops.  In strict mode, a missing variable that is
 * printed, looped over or bound by with/include is an error; in an {% if %}
 * it is not, since testing for presence is what if is for.
 */
#include "esc.h"
#include "tmpl_int.h"
#include "utf8.h"

#include <stdlib.h>
#include <string.h>

enum { DEFAULT_MAX_OUTPUT = 64 * 1024 * 1024, DEFAULT_MAX_DEPTH = 64 };

typedef struct svar {
    const char *name;
    size_t n;
    val v;
} svar;

typedef struct cyclepos {
    const tnode *node;
    size_t i;
} cyclepos;

typedef struct rstate {
    const tmpl_opts *o;
    arena *a;
    diags *d;
    buf *out;
    val root;
    int use_root; /* 0 inside {% include ... only %} */
    svar *vars;
    size_t nvars, capvars;
    cyclepos *cyc;
    size_t ncyc, capcyc;
    const tmpl *leaf; /* whose block table is in force */
    int depth, max_depth;
    int autoescape;
    int failed;
    dt now;
    buf errmsg;
    size_t at; /* offset of the {{ }} being evaluated, for callback errors */
} rstate;

static void render_list(rstate *st, const tnode *k);

static void rerr(rstate *st, const tnode *k, size_t off, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static void
rerr(rstate *st, const tnode *k, size_t off, const char *fmt, ...)
{
    int line, col;
    diag_linecol(k->owner->src, off, &line, &col);
    va_list ap;
    va_start(ap, fmt);
    diag_vadd(st->d, DIAG_ERROR, k->owner->path, line, col, fmt, ap);
    va_end(ap);
    st->failed = 1;
}

static void
push_var(rstate *st, const char *name, size_t n, val v)
{
    if (st->nvars == st->capvars) {
        st->capvars = st->capvars ? st->capvars * 2 : 16;
        st->vars = xreallocarray(st->vars, st->capvars, sizeof(*st->vars));
    }
    svar s = {name, n, v};
    st->vars[st->nvars++] = s;
}

/* Sets a variable in the innermost scope: replaces it when the scope
 * above mark already has it. */
static void
set_var(rstate *st, size_t mark, const char *name, size_t n, val v)
{
    for (size_t i = st->nvars; i > mark; i--) {
        if (st->vars[i - 1].n == n && memcmp(st->vars[i - 1].name, name, n) == 0) {
            st->vars[i - 1].v = v;
            return;
        }
    }
    push_var(st, name, n, v);
}

static int
lookup_name(rstate *st, const char *name, size_t n, val *out)
{
    for (size_t i = st->nvars; i > 0; i--) {
        const svar *s = &st->vars[i - 1];
        if (s->n == n && memcmp(s->name, name, n) == 0) {
            *out = s->v;
            return 1;
        }
    }
    return st->use_root && val_get(st->root, name, n, st->a, out);
}

/* Map views Django templates reach with .items, .keys and .values. */
static int
map_view(rstate *st, val m, const char *key, size_t n, val *out)
{
    int items = n == 5 && memcmp(key, "items", 5) == 0;
    int keys = n == 4 && memcmp(key, "keys", 4) == 0;
    int values = n == 6 && memcmp(key, "values", 6) == 0;
    if (m.type != VAL_MAP || !(items || keys || values)) return 0;
    val *v = arena_calloc(st->a, m.u.map.n ? m.u.map.n : 1, sizeof(val));
    for (size_t i = 0; i < m.u.map.n; i++) {
        const val_pair *p = &m.u.map.items[i];
        if (keys) {
            v[i] = val_str(p->key, p->keylen);
        } else if (values) {
            v[i] = p->v;
        } else {
            val *pair = arena_calloc(st->a, 2, sizeof(val));
            pair[0] = val_str(p->key, p->keylen);
            pair[1] = p->v;
            v[i] = val_list(pair, 2);
        }
    }
    *out = val_list(v, m.u.map.n);
    return 1;
}

/* Resolves an atom: 1 found, 0 missing. */
static int
resolve(rstate *st, const tatom *at, val *out)
{
    if (at->is_lit) {
        *out = at->lit;
        return 1;
    }
    val cur;
    if (!lookup_name(st, at->segs[0].s, at->segs[0].n, &cur)) return 0;
    for (size_t i = 1; i < at->nsegs; i++) {
        val next;
        const tseg *s = &at->segs[i];
        if (!val_get(cur, s->s, s->n, st->a, &next) && !map_view(st, cur, s->s, s->n, &next))
            return 0;
        cur = next;
    }
    *out = cur;
    return 1;
}

static void
atom_text(const tatom *at, buf *b)
{
    for (size_t i = 0; i < at->nsegs; i++) {
        if (i) buf_putc(b, '.');
        buf_put(b, at->segs[i].s, at->segs[i].n);
    }
}

static int
starts_with_default(const texpr *e)
{
    if (e->ncalls == 0) return 0;
    const char *n = e->calls[0].f->name;
    return strcmp(n, "default") == 0 || strcmp(n, "default_if_none") == 0;
}

/*
 * Evaluates value|filters.  missing_as_none: a missing variable is None
 * (conditions, loops) rather than "" (output).  strict: report a missing
 * variable.  Returns 0, or -1 after reporting an error.
 */
static int
eval(rstate *st, const tnode *k, const texpr *e, int missing_as_none, int strict, val *out)
{
    val v;
    st->at = e->off;
    if (!resolve(st, &e->base, &v)) {
        if (st->failed) return -1;
        if (strict && st->o->strict && !starts_with_default(e)) {
            buf name = BUF_INIT;
            atom_text(&e->base, &name);
            rerr(st, k, e->off, "unknown variable '%s' (strict mode)", buf_cstr(&name));
            buf_free(&name);
            return -1;
        }
        v = missing_as_none ? val_null() : val_str("", 0);
    }
    for (size_t i = 0; i < e->ncalls; i++) {
        const tfcall *c = &e->calls[i];
        val arg, res = val_null();
        if (c->has_arg && !resolve(st, &c->arg, &arg)) {
            /* Django raises here even outside strict mode */
            buf name = BUF_INIT;
            atom_text(&c->arg, &name);
            rerr(st, k, e->off, "unknown variable '%s' as the argument of '%s'", buf_cstr(&name),
                 c->f->name);
            buf_free(&name);
            return -1;
        }
        buf_reset(&st->errmsg);
        tmpl_fctx fc = {st->a, k->owner->env, st->autoescape != 0, &st->errmsg};
        if (c->f->fn(&fc, v, c->has_arg ? &arg : NULL, &res) < 0) {
            rerr(st, k, e->off, "%s", st->errmsg.len ? buf_cstr(&st->errmsg) : c->f->name);
            return -1;
        }
        if ((c->f->flags & TMPL_FILTER_KEEPS_SAFE) && v.type == VAL_STR && v.safe &&
            res.type == VAL_STR)
            res.safe = 1;
        v = res;
    }
    *out = v;
    return 0;
}

/* Writes a value as {{ }} does: escaped unless safe or autoescape is off. */
static void
emit(rstate *st, val v)
{
    if (v.type == VAL_STR) {
        if (v.safe || !st->autoescape)
            buf_put(st->out, v.u.str.s, v.u.str.n);
        else
            esc_html(st->out, v.u.str.s, v.u.str.n);
        return;
    }
    if (v.type == VAL_INT || v.type == VAL_NULL || v.type == VAL_BOOL) {
        val_to_buf(v, st->out);
        return;
    }
    buf tmp = BUF_INIT;
    val_to_buf(v, &tmp);
    if (st->autoescape)
        esc_html(st->out, buf_cstr(&tmp), tmp.len);
    else
        buf_put(st->out, buf_cstr(&tmp), tmp.len);
    buf_free(&tmp);
}

/* ---- conditions ------------------------------------------------------ */

/* 1 or 0; -1 when hay is no container (Python's TypeError: then both
 * "in" and "not in" are false). */
static int
contains(rstate *st, val needle, val hay)
{
    if (hay.type == VAL_STR) {
        if (needle.type != VAL_STR) return -1;
        if (needle.u.str.n == 0) return 1;
        if (needle.u.str.n > hay.u.str.n) return 0;
        for (size_t i = 0; i + needle.u.str.n <= hay.u.str.n; i++)
            if (memcmp(hay.u.str.s + i, needle.u.str.s, needle.u.str.n) == 0) return 1;
        return 0;
    }
    if (hay.type == VAL_MAP) {
        if (needle.type != VAL_STR) return 0;
        val tmp;
        return val_get(hay, needle.u.str.s, needle.u.str.n, st->a, &tmp);
    }
    if (val_is_seq(hay)) {
        int64_t n = val_len(hay);
        for (int64_t i = 0; i < n; i++) {
            val e;
            if (val_index(hay, i, st->a, &e) && val_equal(e, needle)) return 1;
        }
        return 0;
    }
    return -1;
}

static int
same(val a, val b)
{
    if (a.type != b.type) return 0;
    switch (a.type) {
    case VAL_NULL: return 1;
    case VAL_BOOL: return a.u.b == b.u.b;
    case VAL_OBJ: return a.u.obj.ptr == b.u.obj.ptr;
    default: return 0;
    }
}

static int test(rstate *st, const tnode *k, const tcond *c);

/* An operand of a comparison: a value, or the truth of nested logic. */
static int
operand(rstate *st, const tnode *k, const tcond *c, val *v)
{
    if (c->op == C_EXPR) return eval(st, k, c->e, 1, 0, v);
    int r = test(st, k, c);
    *v = val_bool(r == 1);
    return r < 0 ? -1 : 0;
}

/* -1 on error; else 0/1. */
static int
test(rstate *st, const tnode *k, const tcond *c)
{
    val a, b;
    int x, ok;
    switch (c->op) {
    case C_EXPR:
        if (eval(st, k, c->e, 1, 0, &a) < 0) return -1;
        return val_truthy(a);
    case C_NOT: x = test(st, k, c->l); return x < 0 ? -1 : !x;
    case C_OR: x = test(st, k, c->l); return x != 0 ? x : test(st, k, c->r);
    case C_AND: x = test(st, k, c->l); return x <= 0 ? x : test(st, k, c->r);
    default: break;
    }
    if (operand(st, k, c->l, &a) < 0 || operand(st, k, c->r, &b) < 0) return -1;
    switch (c->op) {
    case C_IN: return contains(st, a, b) == 1;
    case C_NOTIN: return contains(st, a, b) == 0;
    case C_IS: return same(a, b);
    case C_ISNOT: return !same(a, b);
    case C_EQ: return val_equal(a, b);
    case C_NE: return !val_equal(a, b);
    default: break;
    }
    if (a.type == VAL_NULL || b.type == VAL_NULL) return 0;
    x = val_compare(a, b, &ok);
    if (!ok) return 0;
    switch (c->op) {
    case C_LT: return x < 0;
    case C_LE: return x <= 0;
    case C_GT: return x > 0;
    case C_GE: return x >= 0;
    default: return 0;
    }
}

/* ---- loops ----------------------------------------------------------- */

typedef struct loopinfo {
    int64_t i, n;
    val parent; /* the enclosing forloop, or an empty map */
} loopinfo;

static int
forloop_get(const void *obj, const char *key, size_t n, arena *a, val *out)
{
    const loopinfo *l = obj;
#define KEY(s) (n == sizeof(s) - 1 && memcmp(key, s, n) == 0)
    if (KEY("counter"))
        *out = val_int(l->i + 1);
    else if (KEY("counter0"))
        *out = val_int(l->i);
    else if (KEY("revcounter"))
        *out = val_int(l->n - l->i);
    else if (KEY("revcounter0"))
        *out = val_int(l->n - l->i - 1);
    else if (KEY("first"))
        *out = val_bool(l->i == 0);
    else if (KEY("last"))
        *out = val_bool(l->i == l->n - 1);
    else if (KEY("length"))
        *out = val_int(l->n);
    else if (KEY("parentloop"))
        *out = l->parent;
    else
        return 0;
#undef KEY
    return 1;
}

static const val_class forloop_class = {"forloop", forloop_get, NULL, NULL, NULL, NULL};

/* The i-th item of what a for loop walks, unpacked into the loop names. */
static int
loop_item(rstate *st, val seq, int64_t i, val *item, val *second)
{
    if (seq.type == VAL_MAP) {
        const val_pair *p = &seq.u.map.items[i];
        *item = val_str(p->key, p->keylen);
        *second = p->v;
        return 1;
    }
    if (seq.type == VAL_STR) {
        size_t a = utf8_offset(seq.u.str.s, seq.u.str.n, (size_t)i);
        size_t b = utf8_offset(seq.u.str.s, seq.u.str.n, (size_t)i + 1);
        *item = val_str(seq.u.str.s + a, b - a);
        item->safe = seq.safe;
        return 1;
    }
    return val_index(seq, i, st->a, item);
}

static void
render_for(rstate *st, const tnode *k)
{
    val seq;
    if (eval(st, k, k->u.for_.seq, 1, 1, &seq) < 0) return;
    int64_t n = 0;
    if (seq.type == VAL_MAP || val_is_seq(seq) || seq.type == VAL_STR) n = val_len(seq);
    if (n <= 0) {
        render_list(st, k->u.for_.empty);
        return;
    }
    val parent;
    if (!lookup_name(st, "forloop", 7, &parent)) parent = val_map(NULL, 0);
    loopinfo li = {0, n, parent};
    size_t mark = st->nvars;
    push_var(st, "forloop", 7, val_obj(&forloop_class, &li));
    const tseg *names = k->u.for_.vars;
    size_t nvars = k->u.for_.nvars;
    for (int64_t j = 0; j < n && !st->failed && !st->out->err; j++) {
        int64_t idx = k->u.for_.reversed ? n - 1 - j : j;
        val item = val_null(), second = val_null();
        li.i = j;
        st->nvars = mark + 1;
        if (!loop_item(st, seq, idx, &item, &second)) item = val_null();
        if (nvars == 1) {
            push_var(st, names[0].s, names[0].n, item);
        } else if (seq.type == VAL_MAP) {
            push_var(st, names[0].s, names[0].n, item);
            push_var(st, names[1].s, names[1].n, second);
            for (size_t v = 2; v < nvars; v++)
                push_var(st, names[v].s, names[v].n, val_null());
        } else {
            /* unpack each item: for a, b, c in list_of_triples */
            if (!val_is_seq(item) || val_len(item) != (int64_t)nvars) {
                rerr(st, k, k->off, "cannot unpack item %lld into %zu names: it has %lld",
                     (long long)idx + 1, nvars, (long long)(val_is_seq(item) ? val_len(item) : 1));
                break;
            }
            for (size_t v = 0; v < nvars; v++) {
                val e = val_null();
                val_index(item, (int64_t)v, st->a, &e);
                push_var(st, names[v].s, names[v].n, e);
            }
        }
        render_list(st, k->u.for_.body);
    }
    st->nvars = mark;
}

/* ---- blocks ---------------------------------------------------------- */

typedef struct superctx {
    rstate *st;
    const tblock_chain *chain;
    size_t i; /* the version being rendered */
} superctx;

static void render_block_at(rstate *st, const tblock_chain *c, size_t i);

static int
block_get(const void *obj, const char *key, size_t n, arena *a, val *out)
{
    const superctx *sc = obj;
    if (n != 5 || memcmp(key, "super", 5) != 0) return 0;
    if (!sc->st->leaf->parent) {
        /* as Django: a template that extends nothing has no super */
        rerr(sc->st, sc->chain->v[sc->i], sc->st->at,
             "{{ block.super }} in a template that extends nothing");
        return 0;
    }
    if (sc->i + 1 >= sc->chain->nv) {
        *out = val_safe("", 0);
        return 1;
    }
    rstate *st = sc->st;
    buf tmp = BUF_INIT;
    buf *saved = st->out;
    tmp.limit = saved->limit ? saved->limit - saved->len : 0;
    st->out = &tmp;
    render_block_at(st, sc->chain, sc->i + 1);
    st->out = saved;
    if (tmp.err) saved->err = 1;
    *out = val_safe(arena_strndup(a, buf_cstr(&tmp), tmp.len), tmp.len);
    buf_free(&tmp);
    return 1;
}

static const val_class block_class = {"block", block_get, NULL, NULL, NULL, NULL};

static int
enter(rstate *st, const tnode *k)
{
    if (st->depth >= st->max_depth) {
        rerr(st, k, k->off, "templates nest deeper than %d levels (include or block recursion?)",
             st->max_depth);
        return -1;
    }
    st->depth++;
    return 0;
}

static void
render_block_at(rstate *st, const tblock_chain *c, size_t i)
{
    const tnode *b = c->v[i];
    if (enter(st, b) < 0) return;
    superctx sc = {st, c, i};
    size_t mark = st->nvars;
    push_var(st, "block", 5, val_obj(&block_class, &sc));
    render_list(st, b->u.block.body);
    st->nvars = mark;
    st->depth--;
}

static void
render_block(rstate *st, const tnode *k)
{
    const tblock_chain *c = tmpl_find_block(st->leaf, k->u.block.name, k->u.block.n);
    if (!c) {
        /* a block of an included template's own tree */
        tblock_chain one = {k->u.block.name, k->u.block.n, &k, 1};
        render_block_at(st, &one, 0);
        return;
    }
    render_block_at(st, c, 0);
}

/* ---- include, with --------------------------------------------------- */

/* Evaluates binds first (in the outer scope), then pushes them. */
static int
bind_all(rstate *st, const tnode *k, const tbind *b, size_t n, val *vals)
{
    for (size_t i = 0; i < n; i++)
        if (eval(st, k, b[i].e, 0, 1, &vals[i]) < 0) return -1;
    return 0;
}

static void
render_include(rstate *st, const tnode *k)
{
    size_t nb = k->u.include.nbinds;
    val *vals = arena_calloc(st->a, nb ? nb : 1, sizeof(val));
    if (bind_all(st, k, k->u.include.binds, nb, vals) < 0 || enter(st, k) < 0) return;
    size_t mark = st->nvars;
    svar *saved_vars = NULL;
    size_t saved_n = 0;
    int saved_root = st->use_root;
    if (k->u.include.only) {
        /* a fresh scope: hide every variable of the includer */
        saved_vars = st->vars;
        saved_n = st->nvars;
        st->vars = NULL;
        st->nvars = st->capvars = 0;
        st->use_root = 0;
    }
    for (size_t i = 0; i < nb; i++)
        push_var(st, k->u.include.binds[i].name, k->u.include.binds[i].n, vals[i]);
    /* as Django's render context: cycles start afresh in each include */
    cyclepos *saved_cyc = st->cyc;
    size_t saved_ncyc = st->ncyc, saved_capcyc = st->capcyc;
    st->cyc = NULL;
    st->ncyc = st->capcyc = 0;
    const tmpl *saved_leaf = st->leaf;
    st->leaf = k->u.include.t;
    render_list(st, k->u.include.t->root);
    st->leaf = saved_leaf;
    free(st->cyc);
    st->cyc = saved_cyc;
    st->ncyc = saved_ncyc;
    st->capcyc = saved_capcyc;
    if (k->u.include.only) {
        free(st->vars);
        st->vars = saved_vars;
        st->nvars = st->capvars = saved_n;
        /* capacity is at least the count; growing again is safe */
        st->use_root = saved_root;
    }
    st->nvars = mark;
    st->depth--;
}

static void
render_with(rstate *st, const tnode *k)
{
    size_t nb = k->u.with.nbinds;
    val *vals = arena_calloc(st->a, nb ? nb : 1, sizeof(val));
    if (bind_all(st, k, k->u.with.binds, nb, vals) < 0) return;
    size_t mark = st->nvars;
    for (size_t i = 0; i < nb; i++)
        push_var(st, k->u.with.binds[i].name, k->u.with.binds[i].n, vals[i]);
    render_list(st, k->u.with.body);
    st->nvars = mark;
}

/* ---- cycle, firstof, now --------------------------------------------- */

static void
render_cycle(rstate *st, const tnode *k)
{
    const tnode *owner = k->u.cycle.ref ? k->u.cycle.ref : k;
    cyclepos *c = NULL;
    for (size_t i = 0; i < st->ncyc; i++)
        if (st->cyc[i].node == owner) c = &st->cyc[i];
    if (!c) {
        if (st->ncyc == st->capcyc) {
            st->capcyc = st->capcyc ? st->capcyc * 2 : 4;
            st->cyc = xreallocarray(st->cyc, st->capcyc, sizeof(*st->cyc));
        }
        c = &st->cyc[st->ncyc++];
        c->node = owner;
        c->i = 0;
    }
    val v;
    if (eval(st, k, k->u.cycle.items[c->i % k->u.cycle.n], 0, 1, &v) < 0) return;
    c->i++;
    if (k->u.cycle.as) set_var(st, 0, k->u.cycle.as, k->u.cycle.asn, v);
    if (!k->u.cycle.silent) emit(st, v);
}

static void
render_firstof(rstate *st, const tnode *k)
{
    val v = val_str("", 0);
    for (size_t i = 0; i < k->u.firstof.n; i++) {
        val x;
        if (eval(st, k, k->u.firstof.items[i], 1, 0, &x) < 0) return;
        if (val_truthy(x)) {
            v = x;
            break;
        }
    }
    if (k->u.firstof.as)
        set_var(st, 0, k->u.firstof.as, k->u.firstof.asn, v);
    else
        emit(st, v);
}

static void
render_now(rstate *st, const tnode *k)
{
    val f;
    if (eval(st, k, k->u.now.fmt, 0, 1, &f) < 0) return;
    f = val_to_str(f, st->a);
    buf tmp = BUF_INIT;
    dt_format(&tmp, f.u.str.s, f.u.str.n, st->now);
    val v = val_strdup(st->a, buf_cstr(&tmp), tmp.len);
    buf_free(&tmp);
    if (k->u.now.as)
        set_var(st, 0, k->u.now.as, k->u.now.asn, v);
    else
        emit(st, v);
}

/* ---- the walk -------------------------------------------------------- */

static void
render_list(rstate *st, const tnode *k)
{
    for (; k && !st->failed && !st->out->err; k = k->next) {
        switch (k->kind) {
        case N_TEXT: buf_put(st->out, k->u.text.s, k->u.text.n); break;
        case N_VAR: {
            val v;
            if (eval(st, k, k->u.var, 0, 1, &v) == 0) emit(st, v);
            break;
        }
        case N_IF:
            for (size_t i = 0; i < k->u.if_.n; i++) {
                const tcond *c = k->u.if_.conds[i];
                int r = c ? test(st, k, c) : 1;
                if (r < 0) return;
                if (r) {
                    render_list(st, k->u.if_.bodies[i]);
                    break;
                }
            }
            break;
        case N_FOR:
            if (enter(st, k) < 0) return;
            render_for(st, k);
            st->depth--;
            break;
        case N_BLOCK: render_block(st, k); break;
        case N_INCLUDE: render_include(st, k); break;
        case N_WITH: render_with(st, k); break;
        case N_AUTOESC: {
            int saved = st->autoescape;
            st->autoescape = k->u.autoesc.on;
            render_list(st, k->u.autoesc.body);
            st->autoescape = saved;
            break;
        }
        case N_CYCLE: render_cycle(st, k); break;
        case N_FIRSTOF: render_firstof(st, k); break;
        case N_NOW: render_now(st, k); break;
        case N_EXTENDS:
            if (enter(st, k) < 0) return;
            render_list(st, k->u.parent->root);
            st->depth--;
            break;
        }
    }
}

int
tmpl_render(const tmpl *t, val ctx, buf *out, arena *a, const tmpl_opts *o, diags *d)
{
    static const tmpl_opts defaults = {0};
    if (!o) o = &defaults;
    rstate st = {0};
    st.o = o;
    st.a = a;
    st.d = d;
    st.out = out;
    st.root = ctx;
    st.use_root = 1;
    st.leaf = t;
    st.autoescape = 1;
    st.max_depth = o->max_depth > 0 ? o->max_depth : DEFAULT_MAX_DEPTH;
    st.now = o->now.sec ? o->now : dt_now();
    buf_init(&st.errmsg);
    size_t saved_limit = out->limit;
    size_t max = o->max_output ? o->max_output : DEFAULT_MAX_OUTPUT;
    out->limit = out->len + max;
    if (saved_limit && saved_limit < out->limit) out->limit = saved_limit;
    render_list(&st, t->root);
    if (out->err && !st.failed) {
        diag_add(d, DIAG_ERROR, t->path, 0, 0,
                 "output larger than %zu bytes; the template may loop or include too much", max);
        st.failed = 1;
    }
    out->limit = saved_limit;
    free(st.vars);
    free(st.cyc);
    buf_free(&st.errmsg);
    return st.failed ? -1 : 0;
}
