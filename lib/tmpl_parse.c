/*
 * tmpl_parse: the template environment and the compiler.
 *
 * Source text goes through three steps:
 *
 *   lex     splits it into text, {{ var }} and {% tag %} tokens; {# #},
 *           {% comment %} and {% verbatim %} are resolved here, because
 *           their content is not template language;
 *   parse   builds the node tree by recursive descent, one function per
 *           tag; an {% if %} condition goes through a small Pratt parser
 *           with Django's binding powers;
 *   link    loads what the template extends and includes (depth first,
 *           with a "loading" mark to find cycles) and flattens the block
 *           overrides of the whole extends chain into one table, so the
 *           renderer finds the version of a block with one lookup.
 *
 * Every error is reported with the template's path and the line:col of
 * the tag that caused it, and parsing goes on after an error so one run
 * shows them all.  Trees live in the environment's arena and are never
 * changed after tmpl_env_load() returns.
 */
#include "fs.h"
#include "tmpl_int.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

enum { MAX_TEMPLATE_SIZE = 4 * 1024 * 1024 };

/* ---- environment ---------------------------------------------------- */

tmpl_env *
tmpl_env_new(void)
{
    tmpl_env *env = xcalloc(1, sizeof(*env));
    arena_init(&env->mem);
    tmpl_filters_register(env);
    return env;
}

void
tmpl_env_free(tmpl_env *env)
{
    if (!env) return;
    for (size_t i = 0; i < env->ndirs; i++)
        free(env->dirs[i]);
    free(env->dirs);
    for (size_t i = 0; i < env->nstrings; i++) {
        free(env->strings[i].name);
        free(env->strings[i].text);
    }
    free(env->strings);
    for (size_t i = 0; i < env->nfilters; i++)
        free(env->filters[i].name);
    free(env->filters);
    free(env->base_url);
    free(env->tmpls);
    for (size_t i = 0; i < env->nmissing; i++)
        free(env->missing[i]);
    free(env->missing);
    arena_free(&env->mem);
    free(env);
}

void
tmpl_env_add_dir(tmpl_env *env, const char *dir)
{
    env->dirs = xreallocarray(env->dirs, env->ndirs + 1, sizeof(*env->dirs));
    env->dirs[env->ndirs++] = xstrdup(dir);
}

void
tmpl_env_add_string(tmpl_env *env, const char *name, const char *src, size_t len)
{
    for (size_t i = 0; i < env->nstrings; i++) {
        if (strcmp(env->strings[i].name, name) == 0) {
            free(env->strings[i].text);
            env->strings[i].text = xstrndup(src, len);
            env->strings[i].len = len;
            return;
        }
    }
    env->strings = xreallocarray(env->strings, env->nstrings + 1, sizeof(*env->strings));
    env->strings[env->nstrings].name = xstrdup(name);
    env->strings[env->nstrings].text = xstrndup(src, len);
    env->strings[env->nstrings].len = len;
    env->nstrings++;
}

void
tmpl_env_set_base_url(tmpl_env *env, const char *base_url)
{
    free(env->base_url);
    env->base_url = xstrdup(base_url);
}

void
tmpl_env_set_host(tmpl_env *env, const void *host)
{
    env->host = host;
}

const void *
tmpl_env_host(const tmpl_env *env)
{
    return env->host;
}

const char *
tmpl_env_base_url(const tmpl_env *env)
{
    return env->base_url ? env->base_url : "/";
}

void
tmpl_env_add_filter(tmpl_env *env, const char *name, tmpl_filter_fn fn, enum tmpl_filter_arg arg,
                    unsigned flags)
{
    for (size_t i = 0; i < env->nfilters; i++) {
        if (strcmp(env->filters[i].name, name) == 0) {
            env->filters[i].fn = fn;
            env->filters[i].arg = arg;
            env->filters[i].flags = flags;
            return;
        }
    }
    env->filters = xreallocarray(env->filters, env->nfilters + 1, sizeof(*env->filters));
    tfilter f = {xstrdup(name), fn, arg, flags};
    env->filters[env->nfilters++] = f;
}

const tfilter *
tmpl_find_filter(const tmpl_env *env, const char *name, size_t n)
{
    for (size_t i = 0; i < env->nfilters; i++)
        if (strlen(env->filters[i].name) == n && memcmp(env->filters[i].name, name, n) == 0)
            return &env->filters[i];
    return NULL;
}

const tblock_chain *
tmpl_find_block(const tmpl *t, const char *name, size_t n)
{
    for (size_t i = 0; i < t->nblocks; i++)
        if (t->blocks[i].n == n && memcmp(t->blocks[i].name, name, n) == 0) return &t->blocks[i];
    return NULL;
}

const char *
tmpl_name(const tmpl *t)
{
    return t->name;
}

/* A template name must stay inside the template folders. */
static int
name_ok(const char *name)
{
    if (!*name || name[0] == '/') return 0;
    for (const char *p = name; *p;) {
        const char *e = strchr(p, '/');
        size_t n = e ? (size_t)(e - p) : strlen(p);
        if ((n == 2 && p[0] == '.' && p[1] == '.') || n == 0) return 0;
        p += n + (e ? 1 : 0);
    }
    return 1;
}

/* Finds NAME's source: 1 found, 0 absent, -1 unreadable (errno in *err). */
static int
find_source(tmpl_env *env, const char *name, char **src, size_t *len, char **path, int *err)
{
    for (size_t i = 0; i < env->nstrings; i++) {
        if (strcmp(env->strings[i].name, name) == 0) {
            *src = xstrndup(env->strings[i].text, env->strings[i].len);
            *len = env->strings[i].len;
            *path = xstrdup(name);
            return 1;
        }
    }
    if (!name_ok(name)) return 0;
    for (size_t i = 0; i < env->ndirs; i++) {
        buf p = BUF_INIT;
        buf_printf(&p, "%s/%s", env->dirs[i], name);
        int e = fs_read_file(buf_cstr(&p), MAX_TEMPLATE_SIZE, src, len);
        if (e == 0) {
            *path = buf_detach(&p, NULL);
            return 1;
        }
        if (e != ENOENT && e != ENOTDIR) {
            *path = buf_detach(&p, NULL);
            *err = e;
            return -1;
        }
        buf_free(&p);
    }
    return 0;
}

bool
tmpl_env_exists(tmpl_env *env, const char *name)
{
    for (size_t i = 0; i < env->ntmpls; i++)
        if (strcmp(env->tmpls[i]->name, name) == 0) return env->tmpls[i]->state == T_DONE;
    /* a build asks for the same missing names for every page */
    for (size_t i = 0; i < env->nmissing; i++)
        if (strcmp(env->missing[i], name) == 0) return false;
    char *src = NULL, *path = NULL;
    size_t len;
    int err = 0;
    int r = find_source(env, name, &src, &len, &path, &err);
    free(src);
    free(path);
    if (r == 0) {
        env->missing = xreallocarray(env->missing, env->nmissing + 1, sizeof(char *));
        env->missing[env->nmissing++] = xstrdup(name);
    }
    return r == 1;
}

/* ---- lexer ---------------------------------------------------------- */

enum tok_kind { TK_TEXT, TK_VAR, TK_TAG };

typedef struct token {
    enum tok_kind kind;
    const char *s; /* TEXT: the text; VAR/TAG: the inside, trimmed */
    size_t n;
    size_t off; /* offset of the text, or of "{{" / "{%" */
} token;

/* A word of a tag, as Django's smart_split cuts them. */
typedef struct word {
    const char *s;
    size_t n;
} word;

typedef struct parser {
    tmpl_env *env;
    tmpl *t;
    diags *d;
    arena *a;
    struct loading *stack;
    token *toks;
    size_t ntoks, pos;
    tnode **blocks; /* blocks defined in this template */
    size_t nblocks, capblocks;
    tnode **cycles; /* {% cycle ... as name %} seen so far */
    size_t ncycles;
    const char *extends; /* the name after {% extends %} */
    tnode *extends_node;
    size_t extends_off;
    int nontext; /* a tag other than text seen at top level */
} parser;

/* The chain of templates being loaded, for cycle messages. */
struct loading {
    const char *name;
    struct loading *up;
};

static const tmpl *load(tmpl_env *env, const char *name, struct loading *up, diags *d,
                        const tmpl *from, size_t from_off, const char *how);

static void perr(parser *p, size_t off, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

static void
perr(parser *p, size_t off, const char *fmt, ...)
{
    int line, col;
    diag_linecol(p->t->src, off, &line, &col);
    va_list ap;
    va_start(ap, fmt);
    diag_vadd(p->d, DIAG_ERROR, p->t->path, line, col, fmt, ap);
    va_end(ap);
}

static int
is_space(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

static void
trim(const char **s, size_t *n)
{
    while (*n && is_space(**s))
        (*s)++, (*n)--;
    while (*n && is_space((*s)[*n - 1]))
        (*n)--;
}

/* Finds needle (length 2) in s[from..n); returns its offset or n. */
static size_t
find2(const char *s, size_t n, size_t from, const char *needle)
{
    for (size_t i = from; i + 1 < n; i++)
        if (s[i] == needle[0] && s[i + 1] == needle[1]) return i;
    return n;
}

/* The first word of a tag's inside, and the rest. */
static void
first_word(const char *s, size_t n, const char **w, size_t *wn)
{
    size_t i = 0;
    while (i < n && !is_space(s[i]))
        i++;
    *w = s;
    *wn = i;
}

static int
word_is(const char *s, size_t n, const char *lit)
{
    return strlen(lit) == n && memcmp(s, lit, n) == 0;
}

/*
 * Skips raw text up to the {% END %} (or {% END NAME %}) that closes a
 * verbatim or comment block.  Returns the offset of that "{%", or n.
 */
static size_t
skip_raw(const char *s, size_t n, size_t from, const char *end, const char *name, size_t namen,
         size_t *after)
{
    size_t i = from;
    for (;;) {
        i = find2(s, n, i, "{%");
        if (i == n) return n;
        size_t close = find2(s, n, i + 2, "%}");
        if (close == n) return n;
        const char *in = s + i + 2;
        size_t inn = close - i - 2;
        trim(&in, &inn);
        const char *w;
        size_t wn;
        first_word(in, inn, &w, &wn);
        if (word_is(w, wn, end)) {
            const char *rest = w + wn;
            size_t restn = inn - wn;
            trim(&rest, &restn);
            if ((namen == 0 && restn == 0) || (restn == namen && memcmp(rest, name, namen) == 0)) {
                *after = close + 2;
                return i;
            }
        }
        i = close + 2;
    }
}

static void
push_tok(token **v, size_t *n, size_t *cap, token t)
{
    if (*n == *cap) {
        *cap = *cap ? *cap * 2 : 64;
        *v = xreallocarray(*v, *cap, sizeof(**v));
    }
    (*v)[(*n)++] = t;
}

/* Splits the source into tokens; -1 after reporting when it cannot. */
static int
lex(parser *p)
{
    const char *s = p->t->src;
    size_t n = p->t->srclen, i = 0, cap = 0;
    int ok = 0;
    while (i < n) {
        size_t open = i;
        while (open + 1 < n && !(s[open] == '{' &&
                                 (s[open + 1] == '{' || s[open + 1] == '%' || s[open + 1] == '#')))
            open++;
        if (open + 1 >= n) open = n;
        if (open > i) {
            token t = {TK_TEXT, s + i, open - i, i};
            push_tok(&p->toks, &p->ntoks, &cap, t);
        }
        if (open >= n) break;
        char kind = s[open + 1];
        const char *closer = kind == '{' ? "}}" : kind == '%' ? "%}" : "#}";
        size_t close = find2(s, n, open + 2, closer);
        if (close == n) {
            perr(p, open,
                 "unclosed '%c%c': no '%s' follows; close the tag or write '{%% "
                 "templatetag %%}' text differently",
                 s[open], kind, closer);
            return -1;
        }
        i = close + 2;
        if (kind == '#') continue;
        const char *in = s + open + 2;
        size_t inn = close - open - 2;
        trim(&in, &inn);
        if (kind == '{') {
            token t = {TK_VAR, in, inn, open};
            push_tok(&p->toks, &p->ntoks, &cap, t);
            continue;
        }
        const char *w;
        size_t wn;
        first_word(in, inn, &w, &wn);
        if (word_is(w, wn, "verbatim") || word_is(w, wn, "comment")) {
            int verbatim = w[0] == 'v';
            const char *arg = w + wn;
            size_t argn = inn - wn;
            trim(&arg, &argn);
            size_t after;
            size_t end = skip_raw(s, n, i, verbatim ? "endverbatim" : "endcomment",
                                  verbatim ? arg : "", verbatim ? argn : 0, &after);
            if (end == n) {
                perr(p, open, "unclosed '%s' block: add {%% %s%s%.*s %%}",
                     verbatim ? "verbatim" : "comment", verbatim ? "endverbatim" : "endcomment",
                     argn && verbatim ? " " : "", verbatim ? (int)argn : 0, arg);
                return -1;
            }
            if (verbatim && end > i) {
                token t = {TK_TEXT, s + i, end - i, i};
                push_tok(&p->toks, &p->ntoks, &cap, t);
            }
            i = after;
            continue;
        }
        token t = {TK_TAG, in, inn, open};
        push_tok(&p->toks, &p->ntoks, &cap, t);
    }
    return ok;
}

/* Splits a tag's inside into words; quoted parts (even inside a word,
 * as in x|default:"a b") never split. */
static size_t
split_words(const char *s, size_t n, word **out)
{
    size_t cnt = 0, cap = 0;
    word *v = NULL;
    size_t i = 0;
    while (i < n) {
        while (i < n && is_space(s[i]))
            i++;
        if (i >= n) break;
        size_t start = i;
        while (i < n && !is_space(s[i])) {
            if (s[i] == '"' || s[i] == '\'') {
                char q = s[i++];
                while (i < n && s[i] != q) {
                    if (s[i] == '\\' && i + 1 < n) i++;
                    i++;
                }
                if (i < n) i++;
            } else {
                i++;
            }
        }
        if (cnt == cap) {
            cap = cap ? cap * 2 : 8;
            v = xreallocarray(v, cap, sizeof(*v));
        }
        v[cnt].s = s + start;
        v[cnt].n = i - start;
        cnt++;
    }
    *out = v;
    return cnt;
}

/* ---- expressions ---------------------------------------------------- */

static int
is_ident_byte(unsigned char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
           c >= 0x80;
}

static int
parse_number(const char *s, size_t n, val *out)
{
    size_t i = 0;
    int digits = 0, isfloat = 0;
    if (i < n && (s[i] == '-' || s[i] == '+')) i++;
    while (i < n && s[i] >= '0' && s[i] <= '9')
        i++, digits++;
    if (i < n && s[i] == '.') {
        isfloat = 1;
        i++;
        while (i < n && s[i] >= '0' && s[i] <= '9')
            i++, digits++;
    }
    if (!digits) return 0;
    if (i < n && (s[i] == 'e' || s[i] == 'E')) {
        isfloat = 1;
        i++;
        if (i < n && (s[i] == '-' || s[i] == '+')) i++;
        size_t e0 = i;
        while (i < n && s[i] >= '0' && s[i] <= '9')
            i++;
        if (i == e0) return 0;
    }
    if (i != n || n > 40) return 0;
    char tmp[41];
    memcpy(tmp, s, n);
    tmp[n] = '\0';
    if (isfloat) {
        *out = val_float(strtod(tmp, NULL));
    } else {
        errno = 0;
        long long v = strtoll(tmp, NULL, 10);
        if (errno == ERANGE)
            *out = val_float(strtod(tmp, NULL));
        else
            *out = val_int(v);
    }
    return 1;
}

/* A literal string, a number, True/False/None, or a dotted variable. */
static int
parse_atom(parser *p, const char *s, size_t n, size_t off, tatom *out)
{
    memset(out, 0, sizeof(*out));
    if (n == 0) {
        perr(p, off, "expected a value, found nothing");
        return -1;
    }
    if (s[0] == '"' || s[0] == '\'') {
        size_t close = 1;
        while (close < n && s[close] != s[0])
            close += s[close] == '\\' ? 2 : 1;
        if (close >= n) {
            perr(p, off, "unterminated string literal %.*s", (int)n, s);
            return -1;
        }
        if (close != n - 1) {
            perr(p, off, "unexpected text after the string literal in %.*s", (int)n, s);
            return -1;
        }
        /* Django: literal strings are safe, with \<quote> and \\ unescaped
         * (any other backslash stays: the date format's "\o" needs it). */
        char *lit = arena_alloc(p->a, n);
        size_t k = 0;
        for (size_t i = 1; i + 1 < n; i++) {
            if (s[i] == '\\' && i + 2 < n && (s[i + 1] == s[0] || s[i + 1] == '\\')) i++;
            lit[k++] = s[i];
        }
        lit[k] = '\0';
        out->is_lit = 1;
        out->lit = val_safe(lit, k);
        return 0;
    }
    if (parse_number(s, n, &out->lit)) {
        out->is_lit = 1;
        return 0;
    }
    if (word_is(s, n, "True") || word_is(s, n, "False")) {
        out->is_lit = 1;
        out->lit = val_bool(s[0] == 'T');
        return 0;
    }
    if (word_is(s, n, "None")) {
        out->is_lit = 1;
        out->lit = val_null();
        return 0;
    }
    size_t nseg = 1;
    for (size_t i = 0; i < n; i++) {
        if (s[i] == '.')
            nseg++;
        else if (!is_ident_byte((unsigned char)s[i])) {
            perr(p, off, "'%.*s' is not a variable, a number or a quoted string", (int)n, s);
            return -1;
        }
    }
    out->segs = arena_calloc(p->a, nseg, sizeof(tseg));
    size_t start = 0;
    for (size_t i = 0; i <= n; i++) {
        if (i == n || s[i] == '.') {
            if (i == start) {
                perr(p, off, "'%.*s': empty part in a dotted name", (int)n, s);
                return -1;
            }
            if (s[start] == '_') {
                perr(p, off, "'%.*s': names may not begin with an underscore", (int)n, s);
                return -1;
            }
            out->segs[out->nsegs].s = s + start;
            out->segs[out->nsegs].n = i - start;
            out->nsegs++;
            start = i + 1;
        }
    }
    return 0;
}

/* Next '|' (or ':' ) at top level, outside quotes; n when none. */
static size_t
find_sep(const char *s, size_t n, size_t from, char sep)
{
    for (size_t i = from; i < n; i++) {
        if (s[i] == '"' || s[i] == '\'') {
            char q = s[i++];
            while (i < n && s[i] != q) {
                if (s[i] == '\\' && i + 1 < n) i++;
                i++;
            }
            if (i >= n) return n;
        } else if (s[i] == sep) {
            return i;
        }
    }
    return n;
}

/* value|filter:arg|filter */
static texpr *
parse_fexpr(parser *p, const char *s, size_t n, size_t off)
{
    texpr *e = arena_calloc(p->a, 1, sizeof(*e));
    e->off = off;
    size_t bar = find_sep(s, n, 0, '|');
    const char *b = s;
    size_t bn = bar;
    trim(&b, &bn);
    if (parse_atom(p, b, bn, off, &e->base) < 0) return NULL;
    size_t ncalls = 0;
    for (size_t i = bar; i < n; i = find_sep(s, n, i + 1, '|'))
        ncalls++;
    e->calls = arena_calloc(p->a, ncalls ? ncalls : 1, sizeof(tfcall));
    for (size_t i = bar; i < n;) {
        size_t next = find_sep(s, n, i + 1, '|');
        const char *f = s + i + 1;
        size_t fn = next - i - 1;
        trim(&f, &fn);
        size_t colon = find_sep(f, fn, 0, ':');
        const char *name = f;
        size_t namen = colon;
        trim(&name, &namen);
        for (size_t k = 0; k < namen; k++) {
            if (!is_ident_byte((unsigned char)name[k])) {
                perr(p, off, "bad filter name '%.*s'", (int)namen, name);
                return NULL;
            }
        }
        if (namen == 0) {
            perr(p, off, "missing filter name after '|'");
            return NULL;
        }
        tfcall *c = &e->calls[e->ncalls++];
        c->f = tmpl_find_filter(p->env, name, namen);
        if (!c->f) {
            perr(p, off, "unknown filter '%.*s'", (int)namen, name);
            return NULL;
        }
        if (colon < fn) {
            const char *arg = f + colon + 1;
            size_t argn = fn - colon - 1;
            trim(&arg, &argn);
            if (c->f->arg == TMPL_ARG_NONE) {
                perr(p, off, "filter '%.*s' takes no argument", (int)namen, name);
                return NULL;
            }
            if (parse_atom(p, arg, argn, off, &c->arg) < 0) return NULL;
            c->has_arg = 1;
        } else if (c->f->arg == TMPL_ARG_REQUIRED) {
            perr(p, off, "filter '%.*s' needs an argument: %.*s:ARG", (int)namen, name, (int)namen,
                 name);
            return NULL;
        }
        i = next;
    }
    return e;
}

/* ---- {% if %} conditions: Django's smartif, a Pratt parser ---------- */

typedef struct cparser {
    parser *p;
    word *w;
    size_t n, pos;
    size_t off;
    int failed;
} cparser;

typedef struct cop {
    const char *name;
    enum tcond_op op;
    int bp;
} cop;

static const cop binops[] = {
    {"or", C_OR, 6},  {"and", C_AND, 7},       {"in", C_IN, 9},  {"not in", C_NOTIN, 9},
    {"is", C_IS, 10}, {"is not", C_ISNOT, 10}, {"==", C_EQ, 10}, {"!=", C_NE, 10},
    {"<", C_LT, 10},  {"<=", C_LE, 10},        {">", C_GT, 10},  {">=", C_GE, 10},
};

/* The operator at word i (joining "not in" and "is not"), its width in words. */
static const cop *
op_at(cparser *c, size_t i, size_t *width)
{
    if (i >= c->n) return NULL;
    word w = c->w[i];
    *width = 1;
    if (word_is(w.s, w.n, "not") && i + 1 < c->n && word_is(c->w[i + 1].s, c->w[i + 1].n, "in")) {
        *width = 2;
        return &binops[3];
    }
    if (word_is(w.s, w.n, "is") && i + 1 < c->n && word_is(c->w[i + 1].s, c->w[i + 1].n, "not")) {
        *width = 2;
        return &binops[5];
    }
    for (size_t k = 0; k < sizeof(binops) / sizeof(binops[0]); k++)
        if (word_is(w.s, w.n, binops[k].name)) return &binops[k];
    return NULL;
}

static tcond *cond_expr(cparser *c, int rbp);

static tcond *
cond_nud(cparser *c)
{
    if (c->pos >= c->n) {
        perr(c->p, c->off, "condition ends where a value was expected");
        c->failed = 1;
        return NULL;
    }
    word w = c->w[c->pos];
    size_t width;
    if (word_is(w.s, w.n, "not") &&
        !(c->pos + 1 < c->n && op_at(c, c->pos, &width) && width == 2)) {
        c->pos++;
        tcond *k = arena_calloc(c->p->a, 1, sizeof(*k));
        k->op = C_NOT;
        k->l = cond_expr(c, 8);
        return c->failed ? NULL : k;
    }
    if (op_at(c, c->pos, &width)) {
        perr(c->p, c->off, "'%.*s' where a value was expected in the condition", (int)w.n, w.s);
        c->failed = 1;
        return NULL;
    }
    c->pos++;
    tcond *k = arena_calloc(c->p->a, 1, sizeof(*k));
    k->op = C_EXPR;
    k->e = parse_fexpr(c->p, w.s, w.n, c->off);
    if (!k->e) c->failed = 1;
    return k;
}

static tcond *
cond_expr(cparser *c, int rbp)
{
    tcond *left = cond_nud(c);
    while (!c->failed && c->pos < c->n) {
        size_t width;
        const cop *o = op_at(c, c->pos, &width);
        if (!o) {
            word w = c->w[c->pos];
            perr(c->p, c->off, "unexpected '%.*s' in the condition: an operator was expected",
                 (int)w.n, w.s);
            c->failed = 1;
            return NULL;
        }
        if (o->bp <= rbp) break;
        c->pos += width;
        tcond *k = arena_calloc(c->p->a, 1, sizeof(*k));
        k->op = o->op;
        k->l = left;
        k->r = cond_expr(c, o->bp);
        left = k;
    }
    return c->failed ? NULL : left;
}

static tcond *
parse_cond(parser *p, word *w, size_t n, size_t off)
{
    cparser c = {p, w, n, 0, off, 0};
    if (n == 0) {
        perr(p, off, "'if' needs a condition");
        return NULL;
    }
    tcond *k = cond_expr(&c, 0);
    return c.failed ? NULL : k;
}

/* ---- tags ----------------------------------------------------------- */

/* Where a node list stopped: the end tag's token, or ntoks at the end. */
typedef struct stop {
    size_t tok;
    const char *w;
    size_t wn;
} stop;

static tnode *parse_list(parser *p, const char *const *ends, stop *st);

static tnode *
node_new(parser *p, enum tnode_kind kind, size_t off)
{
    tnode *k = arena_calloc(p->a, 1, sizeof(*k));
    k->kind = kind;
    k->off = off;
    k->owner = p->t;
    return k;
}

/* Reports an unclosed block opened at off and expected to end with END. */
static void
unclosed(parser *p, size_t off, const char *tag, const char *end)
{
    perr(p, off, "unclosed '%s' (opened here): add {%% %s %%}", tag, end);
}

static const char *const ends_if[] = {"elif", "else", "endif", NULL};
static const char *const ends_endif[] = {"endif", NULL};
static const char *const ends_for[] = {"empty", "endfor", NULL};
static const char *const ends_endfor[] = {"endfor", NULL};
static const char *const ends_block[] = {"endblock", NULL};
static const char *const ends_with[] = {"endwith", NULL};
static const char *const ends_autoesc[] = {"endautoescape", NULL};

static int
is_name(const char *s, size_t n)
{
    if (n == 0 || (s[0] >= '0' && s[0] <= '9')) return 0;
    for (size_t i = 0; i < n; i++)
        if (!is_ident_byte((unsigned char)s[i])) return 0;
    return 1;
}

static tnode *
tag_if(parser *p, const token *t, word *w, size_t nw)
{
    tnode *k = node_new(p, N_IF, t->off);
    size_t cap = 2;
    k->u.if_.conds = arena_calloc(p->a, cap, sizeof(tcond *));
    k->u.if_.bodies = arena_calloc(p->a, cap, sizeof(tnode *));
    tcond *cond = parse_cond(p, w + 1, nw - 1, t->off);
    int failed = cond == NULL, seen_else = 0;
    for (;;) {
        stop st;
        tnode *body = parse_list(p, seen_else ? ends_endif : ends_if, &st);
        if (k->u.if_.n == cap) {
            tcond **c2 = arena_calloc(p->a, cap * 2, sizeof(tcond *));
            tnode **b2 = arena_calloc(p->a, cap * 2, sizeof(tnode *));
            memcpy(c2, k->u.if_.conds, cap * sizeof(tcond *));
            memcpy(b2, k->u.if_.bodies, cap * sizeof(tnode *));
            k->u.if_.conds = c2;
            k->u.if_.bodies = b2;
            cap *= 2;
        }
        k->u.if_.conds[k->u.if_.n] = cond;
        k->u.if_.bodies[k->u.if_.n] = body;
        k->u.if_.n++;
        if (st.tok == p->ntoks) {
            unclosed(p, t->off, "if", "endif");
            return NULL;
        }
        const token *et = &p->toks[st.tok];
        if (word_is(st.w, st.wn, "endif")) break;
        word *ew;
        size_t enw = split_words(et->s, et->n, &ew);
        if (word_is(st.w, st.wn, "else")) {
            if (enw != 1) perr(p, et->off, "'else' takes nothing after it"), failed = 1;
            seen_else = 1;
            cond = NULL;
        } else { /* elif */
            cond = parse_cond(p, ew + 1, enw - 1, et->off);
            if (!cond) failed = 1;
        }
        free(ew);
    }
    return failed ? NULL : k;
}

static tnode *
tag_for(parser *p, const token *t, word *w, size_t nw)
{
    tnode *k = node_new(p, N_FOR, t->off);
    int reversed = nw >= 2 && word_is(w[nw - 1].s, w[nw - 1].n, "reversed");
    size_t in = nw - (reversed ? 3 : 2);
    int bad = nw < 4 || (nw == 4 && reversed) || !word_is(w[in].s, w[in].n, "in");
    if (!bad) {
        /* the names between "for" and "in": "k, v" or "k,v" or "x" */
        const char *s = w[1].s;
        size_t n = (size_t)(w[in - 1].s + w[in - 1].n - s);
        size_t nvars = 1;
        for (size_t i = 0; i < n; i++)
            nvars += s[i] == ',';
        k->u.for_.vars = arena_calloc(p->a, nvars, sizeof(tseg));
        size_t start = 0;
        for (size_t i = 0; i <= n && !bad; i++) {
            if (i == n || s[i] == ',') {
                const char *v = s + start;
                size_t vn = i - start;
                trim(&v, &vn);
                if (!is_name(v, vn))
                    bad = 1;
                else
                    k->u.for_.vars[k->u.for_.nvars++] = (tseg){v, vn};
                start = i + 1;
            }
        }
    }
    if (bad) {
        perr(p, t->off,
             "'for' should look like {%% for x in list %%} or "
             "{%% for key, value in map %%}");
        stop st;
        parse_list(p, ends_endfor, &st);
        return NULL;
    }
    k->u.for_.reversed = reversed;
    k->u.for_.seq = parse_fexpr(p, w[in + 1].s, w[in + 1].n, t->off);
    stop st;
    k->u.for_.body = parse_list(p, ends_for, &st);
    if (st.tok < p->ntoks && word_is(st.w, st.wn, "empty"))
        k->u.for_.empty = parse_list(p, ends_endfor, &st);
    if (st.tok == p->ntoks) {
        unclosed(p, t->off, "for", "endfor");
        return NULL;
    }
    return k->u.for_.seq ? k : NULL;
}

/* name=value words into binds; legacy "value as name" when legacy != 0. */
static int
parse_binds(parser *p, const token *t, word *w, size_t nw, int legacy, tbind **out, size_t *nout)
{
    *out = arena_calloc(p->a, nw ? nw : 1, sizeof(tbind));
    *nout = 0;
    if (legacy && nw == 3 && word_is(w[1].s, w[1].n, "as")) {
        if (!is_name(w[2].s, w[2].n)) return -1;
        (*out)[0].name = w[2].s;
        (*out)[0].n = w[2].n;
        (*out)[0].e = parse_fexpr(p, w[0].s, w[0].n, t->off);
        *nout = 1;
        return (*out)[0].e ? 0 : -2;
    }
    for (size_t i = 0; i < nw; i++) {
        size_t eq = find_sep(w[i].s, w[i].n, 0, '=');
        if (eq == w[i].n || !is_name(w[i].s, eq)) return -1;
        tbind *b = &(*out)[(*nout)++];
        b->name = w[i].s;
        b->n = eq;
        b->e = parse_fexpr(p, w[i].s + eq + 1, w[i].n - eq - 1, t->off);
        if (!b->e) return -2;
    }
    return 0;
}

static tnode *
tag_with(parser *p, const token *t, word *w, size_t nw)
{
    tnode *k = node_new(p, N_WITH, t->off);
    int r = nw < 2 ? -1 : parse_binds(p, t, w + 1, nw - 1, 1, &k->u.with.binds, &k->u.with.nbinds);
    if (r == -1)
        perr(p, t->off,
             "'with' should look like {%% with name=value %%} or "
             "{%% with value as name %%}");
    stop st;
    k->u.with.body = parse_list(p, ends_with, &st);
    if (st.tok == p->ntoks) {
        unclosed(p, t->off, "with", "endwith");
        return NULL;
    }
    return r == 0 ? k : NULL;
}

/* A quoted template name: the text inside the quotes, or NULL. */
static char *
quoted_name(parser *p, word w)
{
    if (w.n < 3 || (w.s[0] != '"' && w.s[0] != '\'') || w.s[w.n - 1] != w.s[0]) return NULL;
    return arena_strndup(p->a, w.s + 1, w.n - 2);
}

static tnode *
tag_include(parser *p, const token *t, word *w, size_t nw)
{
    tnode *k = node_new(p, N_INCLUDE, t->off);
    char *name = nw >= 2 ? quoted_name(p, w[1]) : NULL;
    if (!name) {
        perr(p, t->off, "'include' needs a quoted template name: {%% include \"name.html\" %%}");
        return NULL;
    }
    size_t i = 2;
    for (; i < nw; i++) {
        if (word_is(w[i].s, w[i].n, "only")) {
            k->u.include.only = 1;
            continue;
        }
        if (!word_is(w[i].s, w[i].n, "with") || k->u.include.binds) break;
        size_t j = i + 1;
        while (j < nw && !word_is(w[j].s, w[j].n, "only"))
            j++;
        int r =
            parse_binds(p, t, w + i + 1, j - i - 1, 0, &k->u.include.binds, &k->u.include.nbinds);
        if (r < 0 || j == i + 1) {
            if (r != -2) perr(p, t->off, "'include ... with' needs name=value pairs");
            return NULL;
        }
        i = j - 1;
    }
    if (i < nw) {
        perr(p, t->off,
             "unexpected '%.*s' in 'include': only 'with name=value' and 'only' "
             "may follow the name",
             (int)w[i].n, w[i].s);
        return NULL;
    }
    k->u.include.t = load(p->env, name, p->stack, p->d, p->t, t->off, "included");
    return k->u.include.t ? k : NULL;
}

static tnode *
tag_block(parser *p, const token *t, word *w, size_t nw)
{
    tnode *k = node_new(p, N_BLOCK, t->off);
    if (nw != 2 || !is_name(w[1].s, w[1].n)) {
        perr(p, t->off, "'block' needs one name: {%% block content %%}");
        stop st;
        parse_list(p, ends_block, &st);
        return NULL;
    }
    k->u.block.name = w[1].s;
    k->u.block.n = w[1].n;
    for (size_t i = 0; i < p->nblocks; i++) {
        tnode *o = p->blocks[i];
        if (o->u.block.n == w[1].n && memcmp(o->u.block.name, w[1].s, w[1].n) == 0) {
            int line, col;
            diag_linecol(p->t->src, o->off, &line, &col);
            perr(p, t->off, "block '%.*s' is defined twice in this template (first at %d:%d)",
                 (int)w[1].n, w[1].s, line, col);
            stop st;
            parse_list(p, ends_block, &st);
            return NULL;
        }
    }
    if (p->nblocks == p->capblocks) {
        p->capblocks = p->capblocks ? p->capblocks * 2 : 8;
        p->blocks = xreallocarray(p->blocks, p->capblocks, sizeof(*p->blocks));
    }
    p->blocks[p->nblocks++] = k;
    stop st;
    k->u.block.body = parse_list(p, ends_block, &st);
    if (st.tok == p->ntoks) {
        unclosed(p, t->off, "block", "endblock");
        return NULL;
    }
    word *ew;
    size_t enw = split_words(p->toks[st.tok].s, p->toks[st.tok].n, &ew);
    if (enw == 2 && (ew[1].n != k->u.block.n || memcmp(ew[1].s, k->u.block.name, ew[1].n))) {
        perr(p, p->toks[st.tok].off, "'endblock %.*s' closes block '%.*s'", (int)ew[1].n, ew[1].s,
             (int)k->u.block.n, k->u.block.name);
        free(ew);
        return NULL;
    }
    free(ew);
    return k;
}

static tnode *
tag_autoescape(parser *p, const token *t, word *w, size_t nw)
{
    tnode *k = node_new(p, N_AUTOESC, t->off);
    int ok = nw == 2 && (word_is(w[1].s, w[1].n, "on") || word_is(w[1].s, w[1].n, "off"));
    if (!ok)
        perr(p, t->off, "'autoescape' takes 'on' or 'off'");
    else
        k->u.autoesc.on = word_is(w[1].s, w[1].n, "on");
    stop st;
    k->u.autoesc.body = parse_list(p, ends_autoesc, &st);
    if (st.tok == p->ntoks) {
        unclosed(p, t->off, "autoescape", "endautoescape");
        return NULL;
    }
    return ok ? k : NULL;
}

/* Splits off a trailing "as NAME [silent]"; returns the words left. */
static size_t
take_as(parser *p, word *w, size_t nw, const char **as, size_t *asn, int *silent, int allow_silent)
{
    *as = NULL;
    *asn = 0;
    if (silent) *silent = 0;
    if (allow_silent && nw >= 3 && word_is(w[nw - 1].s, w[nw - 1].n, "silent") &&
        word_is(w[nw - 3].s, w[nw - 3].n, "as")) {
        *silent = 1;
        nw--;
    }
    if (nw >= 3 && word_is(w[nw - 2].s, w[nw - 2].n, "as") && is_name(w[nw - 1].s, w[nw - 1].n)) {
        *as = w[nw - 1].s;
        *asn = w[nw - 1].n;
        nw -= 2;
    }
    return nw;
}

static texpr **
parse_list_of_exprs(parser *p, const token *t, word *w, size_t nw)
{
    texpr **v = arena_calloc(p->a, nw ? nw : 1, sizeof(texpr *));
    for (size_t i = 0; i < nw; i++)
        if (!(v[i] = parse_fexpr(p, w[i].s, w[i].n, t->off))) return NULL;
    return v;
}

static tnode *
tag_cycle(parser *p, const token *t, word *w, size_t nw)
{
    tnode *k = node_new(p, N_CYCLE, t->off);
    if (nw == 2) {
        /* {% cycle name %} advances the cycle named earlier with "as name" */
        for (size_t i = p->ncycles; i > 0; i--) {
            const tnode *c = p->cycles[i - 1];
            if (word_is(w[1].s, w[1].n, c->u.cycle.as)) {
                k->u.cycle = c->u.cycle;
                k->u.cycle.ref = c;
                k->u.cycle.silent = 0;
                return k;
            }
        }
    }
    nw = take_as(p, w, nw, &k->u.cycle.as, &k->u.cycle.asn, &k->u.cycle.silent, 1);
    if (nw < 2) {
        perr(p, t->off, "'cycle' needs at least one value: {%% cycle 'odd' 'even' %%}");
        return NULL;
    }
    k->u.cycle.n = nw - 1;
    k->u.cycle.items = parse_list_of_exprs(p, t, w + 1, nw - 1);
    if (k->u.cycle.as) {
        k->u.cycle.as = arena_strndup(p->a, k->u.cycle.as, k->u.cycle.asn);
        p->cycles = xreallocarray(p->cycles, p->ncycles + 1, sizeof(*p->cycles));
        p->cycles[p->ncycles++] = k;
    }
    return k->u.cycle.items ? k : NULL;
}

static tnode *
tag_firstof(parser *p, const token *t, word *w, size_t nw)
{
    tnode *k = node_new(p, N_FIRSTOF, t->off);
    nw = take_as(p, w, nw, &k->u.firstof.as, &k->u.firstof.asn, NULL, 0);
    if (nw < 2) {
        perr(p, t->off, "'firstof' needs at least one value");
        return NULL;
    }
    k->u.firstof.n = nw - 1;
    k->u.firstof.items = parse_list_of_exprs(p, t, w + 1, nw - 1);
    return k->u.firstof.items ? k : NULL;
}

static tnode *
tag_now(parser *p, const token *t, word *w, size_t nw)
{
    tnode *k = node_new(p, N_NOW, t->off);
    nw = take_as(p, w, nw, &k->u.now.as, &k->u.now.asn, NULL, 0);
    if (nw != 2) {
        perr(p, t->off, "'now' needs one format: {%% now \"Y-m-d\" %%}");
        return NULL;
    }
    k->u.now.fmt = parse_fexpr(p, w[1].s, w[1].n, t->off);
    return k->u.now.fmt ? k : NULL;
}

/*
 * As in Django, text before {% extends %} is output, and everything after
 * it only matters for the blocks it defines: the N_EXTENDS node ends the
 * template's own list (see load()).
 */
static tnode *
tag_extends(parser *p, const token *t, word *w, size_t nw, int top)
{
    char *name = nw == 2 ? quoted_name(p, w[1]) : NULL;
    if (!top || p->nontext || p->extends) {
        perr(p, t->off, "'extends' must be the first tag of the template");
        return NULL;
    }
    if (!name) {
        perr(p, t->off, "'extends' needs one quoted template name: {%% extends \"base.html\" %%}");
        return NULL;
    }
    p->extends = name;
    p->extends_off = t->off;
    return p->extends_node = node_new(p, N_EXTENDS, t->off);
}

static int
in_list(const char *w, size_t wn, const char *const *list)
{
    for (; list && *list; list++)
        if (word_is(w, wn, *list)) return 1;
    return 0;
}

static int
is_closer(const char *w, size_t wn)
{
    static const char *const closers[] = {"elif",        "else",       "empty",   "endif",
                                          "endfor",      "endblock",   "endwith", "endautoescape",
                                          "endverbatim", "endcomment", NULL};
    return in_list(w, wn, closers);
}

/*
 * Parses nodes until one of the end tags in ends (NULL: the end of the
 * template).  st tells which end tag stopped it (tok == ntoks: none).
 */
static tnode *
parse_list(parser *p, const char *const *ends, stop *st)
{
    tnode *head = NULL, **tail = &head;
    int top = ends == NULL;
    while (p->pos < p->ntoks) {
        const token *t = &p->toks[p->pos++];
        tnode *k = NULL;
        if (t->kind == TK_TEXT) {
            k = node_new(p, N_TEXT, t->off);
            k->u.text.s = t->s;
            k->u.text.n = t->n;
        } else if (t->kind == TK_VAR) {
            if (t->n == 0) {
                perr(p, t->off, "empty variable tag '{{ }}'");
            } else {
                k = node_new(p, N_VAR, t->off);
                k->u.var = parse_fexpr(p, t->s, t->n, t->off);
                if (!k->u.var) k = NULL;
            }
            if (top) p->nontext = 1;
        } else {
            word *w;
            size_t nw = split_words(t->s, t->n, &w);
            if (nw == 0) {
                perr(p, t->off, "empty tag '{%% %%}'");
                free(w);
                continue;
            }
            if (in_list(w[0].s, w[0].n, ends)) {
                if (nw > 1 && !word_is(w[0].s, w[0].n, "elif") &&
                    !word_is(w[0].s, w[0].n, "endblock"))
                    perr(p, t->off, "'%.*s' takes nothing after it", (int)w[0].n, w[0].s);
                st->tok = (size_t)(t - p->toks);
                st->w = w[0].s;
                st->wn = w[0].n;
                free(w);
                return head;
            }
            const char *tn = w[0].s;
            size_t tnn = w[0].n;
            if (word_is(tn, tnn, "extends"))
                k = tag_extends(p, t, w, nw, top);
            else if (word_is(tn, tnn, "if"))
                k = tag_if(p, t, w, nw);
            else if (word_is(tn, tnn, "for"))
                k = tag_for(p, t, w, nw);
            else if (word_is(tn, tnn, "block"))
                k = tag_block(p, t, w, nw);
            else if (word_is(tn, tnn, "include"))
                k = tag_include(p, t, w, nw);
            else if (word_is(tn, tnn, "with"))
                k = tag_with(p, t, w, nw);
            else if (word_is(tn, tnn, "autoescape"))
                k = tag_autoescape(p, t, w, nw);
            else if (word_is(tn, tnn, "cycle"))
                k = tag_cycle(p, t, w, nw);
            else if (word_is(tn, tnn, "firstof"))
                k = tag_firstof(p, t, w, nw);
            else if (word_is(tn, tnn, "now"))
                k = tag_now(p, t, w, nw);
            else if (is_closer(tn, tnn))
                perr(p, t->off, "'%.*s' without a matching opening tag", (int)tnn, tn);
            else
                perr(p, t->off, "unknown tag '%.*s'", (int)tnn, tn);
            if (top && !word_is(tn, tnn, "extends")) p->nontext = 1;
            free(w);
        }
        if (k) {
            *tail = k;
            tail = &k->next;
        }
    }
    st->tok = p->ntoks;
    st->w = NULL;
    st->wn = 0;
    return head;
}

/* ---- linking: the extends chain's block table ----------------------- */

static void
build_blocks(parser *p)
{
    tmpl *t = p->t;
    const tmpl *par = t->parent;
    size_t cap = (par ? par->nblocks : 0) + p->nblocks;
    t->blocks = arena_calloc(p->a, cap ? cap : 1, sizeof(tblock_chain));
    if (par) {
        for (size_t i = 0; i < par->nblocks; i++)
            t->blocks[t->nblocks++] = par->blocks[i];
    }
    for (size_t i = 0; i < p->nblocks; i++) {
        const tnode *b = p->blocks[i];
        tblock_chain *c = NULL;
        for (size_t k = 0; k < t->nblocks; k++)
            if (t->blocks[k].n == b->u.block.n &&
                memcmp(t->blocks[k].name, b->u.block.name, b->u.block.n) == 0)
                c = &t->blocks[k];
        if (!c) {
            c = &t->blocks[t->nblocks++];
            c->name = b->u.block.name;
            c->n = b->u.block.n;
            c->v = NULL;
            c->nv = 0;
        }
        const tnode **v = arena_calloc(p->a, c->nv + 1, sizeof(*v));
        v[0] = b;
        if (c->nv) memcpy(v + 1, c->v, c->nv * sizeof(*v));
        c->v = v;
        c->nv++;
    }
}

static void
cycle_error(tmpl_env *env, struct loading *up, const char *name, diags *d, const tmpl *from,
            size_t off, const char *how)
{
    buf path = BUF_INIT;
    buf_puts(&path, name);
    for (struct loading *l = up; l; l = l->up) {
        buf_puts(&path, " <- ");
        buf_puts(&path, l->name);
        if (strcmp(l->name, name) == 0) break;
    }
    int line = 0, col = 0;
    if (from) diag_linecol(from->src, off, &line, &col);
    diag_add(d, DIAG_ERROR, from ? from->path : name, line, col,
             "template cycle: '%s' is %s by itself (%s)", name, how, buf_cstr(&path));
    buf_free(&path);
}

static const tmpl *
load(tmpl_env *env, const char *name, struct loading *up, diags *d, const tmpl *from,
     size_t from_off, const char *how)
{
    for (size_t i = 0; i < env->ntmpls; i++) {
        tmpl *t = env->tmpls[i];
        if (strcmp(t->name, name) != 0) continue;
        if (t->state == T_LOADING) {
            cycle_error(env, up, name, d, from, from_off, how);
            return NULL;
        }
        return t->state == T_DONE ? t : NULL;
    }
    char *src = NULL, *path = NULL;
    size_t len = 0;
    int err = 0;
    int found = find_source(env, name, &src, &len, &path, &err);
    if (found <= 0) {
        int line = 0, col = 0;
        if (from) diag_linecol(from->src, from_off, &line, &col);
        if (found == 0)
            diag_add(d, DIAG_ERROR, from ? from->path : name, line, col,
                     "template '%s' not found%s%s", name, from ? "; it is " : "", from ? how : "");
        else
            diag_add(d, DIAG_ERROR, path, 0, 0, "cannot read template: %s", strerror(err));
        free(path);
        return NULL;
    }
    tmpl *t = arena_calloc(&env->mem, 1, sizeof(*t));
    t->name = arena_strdup(&env->mem, name);
    t->path = arena_strdup(&env->mem, path);
    t->src = arena_strndup(&env->mem, src, len);
    t->srclen = len;
    t->env = env;
    t->state = T_LOADING;
    free(src);
    free(path);
    env->tmpls = xreallocarray(env->tmpls, env->ntmpls + 1, sizeof(*env->tmpls));
    env->tmpls[env->ntmpls++] = t;

    struct loading me = {t->name, up};
    parser p = {.env = env, .t = t, .d = d, .a = &env->mem, .stack = &me};
    size_t before = d->errors;
    if (lex(&p) == 0) {
        stop st;
        t->root = parse_list(&p, NULL, &st);
        if (p.extends) {
            t->parent = load(env, p.extends, &me, d, t, p.extends_off, "extended");
            if (!t->parent && d->errors == before)
                perr(&p, p.extends_off, "cannot extend '%s'", p.extends);
            p.extends_node->u.parent = t->parent;
            p.extends_node->next = NULL; /* the rest served only to define blocks */
        }
        build_blocks(&p);
    }
    free(p.toks);
    free(p.blocks);
    free(p.cycles);
    t->state = d->errors == before ? T_DONE : T_FAILED;
    return t->state == T_DONE ? t : NULL;
}

const tmpl *
tmpl_env_load(tmpl_env *env, const char *name, diags *d)
{
    return load(env, name, NULL, d, NULL, 0, "loaded");
}
