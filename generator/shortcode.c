/*
 * sc: shortcodes.  See shortcode.h for the three steps and what each
 * guarantees, and for the escape; this comment says how.
 *
 * Finding tags (sc_parse).  One pass over the source, a line at a time,
 * keeps just enough of Markdown's block structure to know what is code:
 * fenced blocks (``` or ~~~, also inside quotes and list items), indented
 * blocks (four spaces after a blank line, outside lists) and inline code
 * spans (a backtick run closed by a run of the same length before the
 * paragraph ends).  In code only the escape is undone, as Hugo users
 * write it to show a shortcode in a code sample; elsewhere every "{{<"
 * and "{{%" must be a well-formed tag, or it is an error (write the
 * escape to show one as text).  This is deliberately not cmark: a second
 * Markdown parse per page would double the cost, and the approximation
 * only has to agree with cmark on where code is, which these rules do for
 * everything but contrived input.  Backtick runs that close nothing are
 * found with one scan per paragraph that records, per run length, where
 * the last run is (cmark's trick), so the pass stays linear.
 *
 * Pairing.  An opening tag is pushed on a stack; a closing tag pops up to
 * the nearest open tag of its name.  What it pops over was not paired:
 * fine for a shortcode that may stand alone, an error ("never closed")
 * for one that needs inner content (highlight, pullquote, a template that
 * uses `inner`).  The built-in highlight takes its inner as it is (code):
 * its closing tag is searched for directly and nothing inside is parsed.
 *
 * Expanding (sc_expand) walks the items in source order, copying the
 * text between them.  Inner content is expanded first, in one of two
 * modes: Markdown (the page itself, and the inner of {{% %}}), where a
 * shortcode's HTML becomes a placeholder, or raw (the inner of {{< >}},
 * which Markdown never sees), where it goes in directly.  The placeholder
 * is "HONESC" + 8 hex digits + ":" + N + "z": letters, digits and colons
 * pass through cmark untouched in text, attributes and link destinations
 * (and the colon keeps md's relative-URL rewriting off them).  It ends
 * with a letter, not punctuation, so an autolinked URL right before it
 * takes it whole (GFM leaves trailing punctuation out of a link) and it
 * is still found and replaced there.  The 8
 * digits are a hash of the source, rehashed until the source does not
 * contain them, so the tokens are always ours and the output is the same
 * on every build.  A built-in's HTML never holds a placeholder: Markdown
 * a built-in renders itself (a {{% pullquote %}}'s inner, a caption) has
 * its placeholders replaced at once.
 *
 * Theme shortcodes render with tmpl_render (thread-safe) in an arena of
 * their own; the templates were compiled by sc_env_load_dir, before any
 * thread started.  The built-ins are C, below.
 */
#include "shortcode.h"
#include "esc.h"
#include "fs.h"
#include "hash.h"
#include "highlight.h"
#include "html.h"
#include "utf8.h"

#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define NONE          SIZE_MAX
#define MAX_TMPL_FILE ((size_t)1 << 20)
#define MAX_BACKTICKS 1000 /* longer runs are searched for directly */

/* ---- small helpers ------------------------------------------------- */

static bool
is_ws(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

static bool
is_ident_char(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
}

static bool
is_name_char(char c)
{
    return is_ident_char(c) || c == '-' || c == '.';
}

static size_t
skip_ws(const char *s, size_t n, size_t i)
{
    while (i < n && is_ws(s[i]))
        i++;
    return i;
}

/* The first occurrence of needle (m bytes) in s[from, n), or NONE. */
static size_t
find(const char *s, size_t n, size_t from, const char *needle, size_t m)
{
    if (m == 0 || n < m) return NONE;
    for (size_t i = from; i + m <= n;) {
        const char *p = memchr(s + i, needle[0], n - m + 1 - i);
        if (!p) return NONE;
        i = (size_t)(p - s);
        if (memcmp(p, needle, m) == 0) return i;
        i++;
    }
    return NONE;
}

/* The last '/' in s[0, n), or NULL. */
static const char *
last_slash(const char *s, size_t n)
{
    while (n > 0)
        if (s[--n] == '/') return s + n;
    return NULL;
}

static bool
streq(const char *a, size_t n, const char *b)
{
    return strlen(b) == n && memcmp(a, b, n) == 0;
}

static size_t
run(const char *s, size_t n, size_t i, char c)
{
    size_t j = i;
    while (j < n && s[j] == c)
        j++;
    return j - i;
}

static bool
rest_blank(const char *s, size_t i, size_t e)
{
    for (; i < e; i++)
        if (!is_ws(s[i])) return false;
    return true;
}

/* HTML (entities as written) as an attribute's value: tags dropped,
 * quotes and angle brackets as entities; white space collapsed and
 * trimmed when collapse. */
static void
attr_text(buf *out, const char *html, size_t n, bool collapse)
{
    buf t = BUF_INIT;
    html_strip_tags(&t, html, n);
    size_t i = 0, end = t.len;
    if (collapse) {
        while (i < end && is_ws(t.data[i]))
            i++;
        while (end > i && is_ws(t.data[end - 1]))
            end--;
    }
    for (; i < end; i++) {
        char c = t.data[i];
        if (collapse && is_ws(c)) {
            while (i + 1 < end && is_ws(t.data[i + 1]))
                i++;
            buf_putc(out, ' ');
        } else if (c == '"') {
            buf_puts(out, "&quot;");
        } else if (c == '\'') {
            buf_puts(out, "&#x27;");
        } else if (c == '<') {
            buf_puts(out, "&lt;");
        } else if (c == '>') {
            buf_puts(out, "&gt;");
        } else {
            buf_putc(out, c);
        }
    }
    buf_free(&t);
}

/* ---- the shortcodes a site has ------------------------------------- */

enum {
    B_INNER = 1,    /* needs inner content: a closing tag (or self-closing) */
    B_VERBATIM = 2, /* inner is taken as it is: nothing inside is parsed */
    B_NOINNER = 4,  /* takes no inner content: a closing tag is an error */
};

typedef enum builtin_id {
    BI_FIGURE,
    BI_HIGHLIGHT,
    BI_PULLQUOTE,
    BI_REF,
    BI_RELREF,
    BI_YOUTUBE
} builtin_id;

static const struct builtin {
    const char *name;
    builtin_id id;
    unsigned flags;
} builtins[] = {
    {"figure", BI_FIGURE, B_NOINNER},     {"highlight", BI_HIGHLIGHT, B_INNER | B_VERBATIM},
    {"pullquote", BI_PULLQUOTE, B_INNER}, {"ref", BI_REF, B_NOINNER},
    {"relref", BI_RELREF, B_NOINNER},     {"youtube", BI_YOUTUBE, B_NOINNER},
};

typedef struct sc_tmpl {
    char *name;
    const tmpl *t; /* NULL when it did not compile (reported then) */
    bool inner;    /* its text uses `inner` */
} sc_tmpl;

typedef struct sc_tpage {
    char *rel, *url, *permalink;
} sc_tpage;

typedef struct sc_target {
    char *key;
    size_t page;
} sc_target;

struct sc_env {
    sc_tmpl *tmpls;
    size_t ntmpls;
    sc_tpage *pages;
    size_t npages;
    sc_target *exact, *bare; /* sorted by key, then page */
    size_t nexact, nbare;
};

sc_env *
sc_env_new(void)
{
    return xcalloc(1, sizeof(sc_env));
}

void
sc_env_free(sc_env *e)
{
    if (!e) return;
    for (size_t i = 0; i < e->ntmpls; i++)
        free(e->tmpls[i].name);
    free(e->tmpls);
    for (size_t i = 0; i < e->npages; i++) {
        free(e->pages[i].rel);
        free(e->pages[i].url);
        free(e->pages[i].permalink);
    }
    free(e->pages);
    for (size_t i = 0; i < e->nexact; i++)
        free(e->exact[i].key);
    for (size_t i = 0; i < e->nbare; i++)
        free(e->bare[i].key);
    free(e->exact);
    free(e->bare);
    free(e);
}

static const sc_tmpl *
find_tmpl(const sc_env *e, const char *name, size_t n)
{
    for (size_t i = 0; e && i < e->ntmpls; i++)
        if (streq(name, n, e->tmpls[i].name)) return &e->tmpls[i];
    return NULL;
}

static const struct builtin *
find_builtin(const char *name, size_t n)
{
    for (size_t i = 0; i < sizeof(builtins) / sizeof(builtins[0]); i++)
        if (streq(name, n, builtins[i].name)) return &builtins[i];
    return NULL;
}

/* The B_ flags of shortcode name; -1 when there is none. */
static int
name_flags(const sc_env *e, const char *name, size_t n)
{
    const sc_tmpl *t = find_tmpl(e, name, n);
    if (t) return t->inner ? B_INNER : 0;
    const struct builtin *b = find_builtin(name, n);
    return b ? (int)b->flags : -1;
}

bool
sc_known(const sc_env *e, const char *name)
{
    return name_flags(e, name, strlen(name)) >= 0;
}

/* Does a template's text use the variable `inner`?  (Hugo's rule: a
 * shortcode whose template uses .Inner must be closed.) */
static bool
mentions_inner(const char *s, size_t n)
{
    for (size_t i = find(s, n, 0, "inner", 5); i != NONE; i = find(s, n, i + 1, "inner", 5))
        if ((i == 0 || !is_ident_char(s[i - 1])) && (i + 5 == n || !is_ident_char(s[i + 5])))
            return true;
    return false;
}

static void
add_tmpl(sc_env *e, tmpl_env *tenv, const char *path, const char *name, size_t stem, diags *d,
         int *rc)
{
    char *src = NULL;
    size_t srclen = 0;
    int err = fs_read_file(path, MAX_TMPL_FILE, &src, &srclen);
    if (err == EISDIR || err == EINVAL) return; /* a folder named x.html */
    if (err) {
        diag_add(d, DIAG_ERROR, path, 0, 0, "cannot read: %s", strerror(err));
        *rc = -1;
        return;
    }
    tmpl_env_add_string(tenv, path, src, srclen);
    const tmpl *t = tmpl_env_load(tenv, path, d);
    if (!t) *rc = -1;
    e->tmpls = xreallocarray(e->tmpls, e->ntmpls + 1, sizeof(*e->tmpls));
    e->tmpls[e->ntmpls].name = xstrndup(name, stem);
    e->tmpls[e->ntmpls].t = t;
    e->tmpls[e->ntmpls].inner = mentions_inner(src, srclen);
    e->ntmpls++;
    free(src);
}

int
sc_env_load_dir(sc_env *e, tmpl_env *tenv, const char *dir, diags *d)
{
    size_t n;
    int err;
    char **names = fs_list_dir(dir, &n, &err);
    if (!names) {
        if (err == ENOENT || err == ENOTDIR) return 0;
        diag_add(d, DIAG_ERROR, dir, 0, 0, "cannot read the shortcodes folder: %s", strerror(err));
        return -1;
    }
    int rc = 0;
    for (size_t i = 0; i < n; i++) {
        size_t len = strlen(names[i]);
        if (len <= 5 || strcmp(names[i] + len - 5, ".html") != 0) continue;
        size_t stem = len - 5;
        bool ok = is_ident_char(names[i][0]);
        for (size_t k = 0; k < stem; k++)
            ok = ok && is_name_char(names[i][k]);
        buf path = BUF_INIT;
        buf_printf(&path, "%s/%s", dir, names[i]);
        if (!ok)
            diag_add(d, DIAG_WARNING, path.data, 0, 0,
                     "not a shortcode name, so not used; name it with letters, digits, '-', '_' "
                     "and '.'");
        else if (!find_tmpl(e, names[i], stem))
            add_tmpl(e, tenv, path.data, names[i], stem, d, &rc);
        buf_free(&path);
    }
    fs_free_list(names, n);
    return rc;
}

void
sc_env_add_page(sc_env *e, const char *rel, const char *url, const char *permalink)
{
    e->pages = xreallocarray(e->pages, e->npages + 1, sizeof(*e->pages));
    sc_tpage *p = &e->pages[e->npages++];
    p->rel = xstrdup(rel);
    p->url = url ? xstrdup(url) : NULL;
    p->permalink = permalink ? xstrdup(permalink) : NULL;
}

static void
add_target(sc_target **v, size_t *n, const char *key, size_t len, size_t page)
{
    *v = xreallocarray(*v, *n + 1, sizeof(**v));
    (*v)[*n].key = xstrndup(key, len);
    (*v)[*n].page = page;
    (*n)++;
}

static int
cmp_target(const void *a, const void *b)
{
    const sc_target *x = a, *y = b;
    int c = strcmp(x->key, y->key);
    if (c) return c;
    return x->page < y->page ? -1 : x->page > y->page;
}

static size_t
strip_ext(const char *s, size_t n)
{
    if (n > 3 && memcmp(s + n - 3, ".md", 3) == 0) return n - 3;
    if (n > 9 && memcmp(s + n - 9, ".markdown", 9) == 0) return n - 9;
    return n;
}

/*
 * The keys of a page: its path ("posts/x.md"), the same without extension
 * ("posts/x"), and a bundle's or section's folder ("posts/b" for
 * posts/b/index.md); its bare keys are the last part of each ("x.md",
 * "x", "b").
 */
void
sc_env_finish(sc_env *e)
{
    for (size_t i = 0; i < e->npages; i++) {
        const char *rel = e->pages[i].rel;
        size_t n = strlen(rel), stem = strip_ext(rel, n);
        const char *slash = last_slash(rel, n);
        size_t base = slash ? (size_t)(slash - rel) + 1 : 0;
        add_target(&e->exact, &e->nexact, rel, n, i);
        add_target(&e->bare, &e->nbare, rel + base, n - base, i);
        if (stem != n) {
            add_target(&e->exact, &e->nexact, rel, stem, i);
            add_target(&e->bare, &e->nbare, rel + base, stem - base, i);
        }
        if (base > 1 &&
            (streq(rel + base, stem - base, "index") || streq(rel + base, stem - base, "_index"))) {
            const char *ds = last_slash(rel, base - 1);
            size_t dbase = ds ? (size_t)(ds - rel) + 1 : 0;
            add_target(&e->exact, &e->nexact, rel, base - 1, i);
            add_target(&e->bare, &e->nbare, rel + dbase, base - 1 - dbase, i);
        }
    }
    if (e->nexact) qsort(e->exact, e->nexact, sizeof(sc_target), cmp_target);
    if (e->nbare) qsort(e->bare, e->nbare, sizeof(sc_target), cmp_target);
}

/* The targets whose key is key: [*first, *first + return value). */
static size_t
lookup(const sc_target *v, size_t n, const char *key, size_t *first)
{
    size_t lo = 0, hi = n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (strcmp(v[mid].key, key) < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    *first = lo;
    size_t k = lo;
    while (k < n && strcmp(v[k].key, key) == 0)
        k++;
    return k - lo;
}

/* path with "." and ".." segments resolved and no empty segments; NULL
 * when ".." climbs above the top. */
static char *
normalize(const char *path)
{
    size_t n = strlen(path);
    char *out = xmalloc(n + 1);
    size_t o = 0;
    for (size_t i = 0; i <= n;) {
        size_t j = i;
        while (j < n && path[j] != '/')
            j++;
        size_t len = j - i;
        if (len == 2 && path[i] == '.' && path[i + 1] == '.') {
            if (o == 0) {
                free(out);
                return NULL;
            }
            while (o > 0 && out[o - 1] != '/')
                o--;
            if (o > 0) o--;
        } else if (len > 0 && !(len == 1 && path[i] == '.')) {
            if (o) out[o++] = '/';
            memcpy(out + o, path + i, len);
            o += len;
        }
        i = j + 1;
    }
    out[o] = '\0';
    return out;
}

/* ---- parsing ------------------------------------------------------- */

typedef struct parser {
    const sc_env *e;
    const char *s;
    size_t n;
    const char *file;
    int first_line;
    sc_doc *doc;
    diags *d;
    int failed;
    /* where(): the line that lc_off is on */
    size_t lc_off, lc_start;
    long lc_line;
    /* open shortcodes, as indexes into doc */
    size_t *stack;
    size_t nstack, capstack;
    /* the excerpt separator */
    const char *sep;
    size_t seplen;
    bool sep_done;
    /* the backtick runs of the paragraph [bt_from, bt_end): where the last
     * run of each length starts (NONE: there is none) */
    size_t *bt_last;
    size_t bt_from, bt_end;
    size_t *bt_used; /* the lengths set in bt_last, to reset them */
    size_t nbt_used;
} parser;

static void
where(parser *p, size_t off, int *line, int *col)
{
    if (off < p->lc_off) {
        p->lc_off = p->lc_start = 0;
        p->lc_line = 1;
    }
    for (size_t i = p->lc_off; i < off; i++) {
        if (p->s[i] == '\n') {
            p->lc_line++;
            p->lc_start = i + 1;
        }
    }
    p->lc_off = off;
    long l = (long)(p->first_line > 0 ? p->first_line : 1) - 1 + p->lc_line;
    size_t c = off - p->lc_start + 1;
    *line = l > INT_MAX ? INT_MAX : (int)l;
    *col = c > INT_MAX ? INT_MAX : (int)c;
}

static void perr(parser *p, size_t off, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

static void
perr(parser *p, size_t off, const char *fmt, ...)
{
    int line, col;
    where(p, off, &line, &col);
    va_list ap;
    va_start(ap, fmt);
    diag_vadd(p->d, DIAG_ERROR, p->file, line, col, fmt, ap);
    va_end(ap);
    p->failed = 1;
}

static sc_item *
new_item(parser *p, sc_kind kind, size_t off, size_t end)
{
    sc_doc *doc = p->doc;
    if (doc->n == doc->cap) {
        doc->cap = doc->cap ? doc->cap * 2 : 16;
        doc->v = xreallocarray(doc->v, doc->cap, sizeof(*doc->v));
    }
    sc_item *it = &doc->v[doc->n++];
    memset(it, 0, sizeof(*it));
    it->kind = kind;
    it->off = off;
    it->end = it->inner_off = it->inner_end = end;
    where(p, off, &it->line, &it->col);
    return it;
}

static void
free_args(sc_arg *a, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        free(a[i].key);
        free(a[i].val);
    }
    free(a);
}

void
sc_doc_free(sc_doc *doc)
{
    for (size_t i = 0; i < doc->n; i++) {
        free(doc->v[i].name);
        free_args(doc->v[i].args, doc->v[i].nargs);
    }
    free(doc->v);
    memset(doc, 0, sizeof(*doc));
}

static char
closer(char open)
{
    return open == '<' ? '>' : '%';
}

/* ">}}" (or "%}}" after "{{%") at i? */
static bool
at_close(const parser *p, size_t i, char open)
{
    return i + 2 < p->n && p->s[i] == closer(open) && p->s[i + 1] == '}' && p->s[i + 2] == '}';
}

/* Just after the next ">}}" (or "%}}") from i, to go on after a bad tag. */
static size_t
resync(const parser *p, size_t i, size_t fallback, char open)
{
    size_t k = find(p->s, p->n, i, open == '<' ? ">}}" : "%}}", 3);
    return k == NONE ? fallback : k + 3;
}

/* The escape at i ("{{<" and a comment), searched for below limit.  Returns
 * where to go on. */
static size_t
escape(parser *p, size_t i, bool in_code, size_t limit)
{
    char open = p->s[i + 2];
    const char end[] = {'*', '/', closer(open), '}', '}'};
    size_t k = find(p->s, limit, i + 5, end, 5);
    if (k == NONE) {
        if (!in_code)
            perr(p, i, "the comment opened by {{%c/* is never closed: end it with */%c}}", open,
                 closer(open));
        return i + 3;
    }
    sc_item *it = new_item(p, SC_ESCAPE, i, k + 5);
    it->inner_off = i + 5;
    it->inner_end = k;
    it->markdown = open == '%';
    it->in_code = in_code;
    return k + 5;
}

/* The escapes inside code s[a, b). */
static void
code_escapes(parser *p, size_t a, size_t b)
{
    for (size_t i = a; (i = find(p->s, b, i, "{{", 2)) != NONE;) {
        if (i + 4 < b && (p->s[i + 2] == '<' || p->s[i + 2] == '%') && p->s[i + 3] == '/' &&
            p->s[i + 4] == '*')
            i = escape(p, i, true, b);
        else
            i += 2;
    }
}

typedef struct tagd {
    size_t off, end;
    bool closing, self_closing, named;
    size_t name_off, name_len;
    sc_arg *args;
    size_t nargs;
} tagd;

/*
 * One argument value at *i: "quoted" (with \" and \\), `raw`, or a run of
 * other characters (that stops at '=' when it may be a key).
 */
static int
read_value(parser *p, size_t *i, char open, bool key, sc_arg *a)
{
    const char *s = p->s;
    size_t n = p->n, j = *i;
    buf v = BUF_INIT;
    if (s[j] == '"') {
        for (j++;; j++) {
            if (j >= n) {
                perr(p, *i, "unclosed quote in a shortcode argument: end it with \"");
                buf_free(&v);
                return -1;
            }
            if (s[j] == '\\' && j + 1 < n && (s[j + 1] == '"' || s[j + 1] == '\\')) {
                buf_putc(&v, s[++j]);
            } else if (s[j] == '"') {
                j++;
                break;
            } else {
                buf_putc(&v, s[j]);
            }
        }
        a->quoted = true;
    } else if (s[j] == '`') {
        size_t k = find(s, n, j + 1, "`", 1);
        if (k == NONE) {
            perr(p, *i, "unclosed ` in a shortcode argument: end it with `");
            return -1;
        }
        buf_put(&v, s + j + 1, k - j - 1);
        j = k + 1;
        a->quoted = true;
    } else {
        while (j < n && !is_ws(s[j]) && s[j] != '"' && s[j] != '`' && !(key && s[j] == '=') &&
               !at_close(p, j, open) && !(s[j] == '/' && at_close(p, j + 1, open)))
            j++;
        if (j == *i) {
            perr(p, j, "unexpected '%c' in a shortcode tag; quote a value that holds it", s[j]);
            return -1;
        }
        buf_put(&v, s + *i, j - *i);
    }
    a->len = v.len;
    a->val = buf_detach(&v, NULL);
    *i = j;
    return 0;
}

static bool
valid_key(const char *s, size_t n)
{
    if (n == 0 || !is_ident_char(s[0])) return false;
    for (size_t i = 0; i < n; i++)
        if (!is_name_char(s[i])) return false;
    return true;
}

/* The tag at i ("{{<" or "{{%").  Returns 0, or -1 with t->end where to go on. */
static int
parse_tag(parser *p, size_t i, tagd *t)
{
    const char *s = p->s;
    size_t n = p->n;
    char open = s[i + 2];
    bool positional = false;
    memset(t, 0, sizeof(*t));
    t->off = i;
    size_t j = skip_ws(s, n, i + 3);
    if (j < n && s[j] == '/') {
        t->closing = true;
        j = skip_ws(s, n, j + 1);
    }
    size_t ns = j;
    while (j < n && is_name_char(s[j]))
        j++;
    if (j == ns || !is_ident_char(s[ns])) {
        perr(p, i,
             "expected a shortcode name after {{%c; to show {{%c as text, write "
             "{{%c/* ... */%c}} or put it in `code`",
             open, open, open, closer(open));
        t->end = i + 3;
        return -1;
    }
    t->name_off = ns;
    t->name_len = j - ns;
    size_t cap = 0;
    for (;;) {
        size_t k = skip_ws(s, n, j);
        if (k >= n) {
            perr(p, i, "the tag of shortcode '%.*s' opened here is never closed: end it with %c}}",
                 (int)t->name_len, s + ns, closer(open));
            t->end = i + 3;
            return -1;
        }
        if (at_close(p, k, open)) {
            t->end = k + 3;
            break;
        }
        if (s[k] == '/' && at_close(p, k + 1, open)) {
            t->self_closing = true;
            t->end = k + 4;
            break;
        }
        if (k == j) {
            perr(p, k, "unexpected '%c' in shortcode '%.*s'; separate arguments with spaces", s[k],
                 (int)t->name_len, s + ns);
            goto bad;
        }
        sc_arg a = {0};
        size_t start = k;
        if (read_value(p, &k, open, true, &a) < 0) goto bad;
        size_t eq = k;
        while (eq < n && (s[eq] == ' ' || s[eq] == '\t'))
            eq++;
        if (eq < n && s[eq] == '=') {
            if (a.quoted || !valid_key(a.val, a.len)) {
                perr(p, start,
                     "bad argument name in shortcode '%.*s': use letters, digits, '_' and '-', "
                     "like key=\"value\"",
                     (int)t->name_len, s + ns);
                free(a.val);
                goto bad;
            }
            a.key = a.val;
            a.val = NULL;
            size_t v = skip_ws(s, n, eq + 1);
            if (v >= n || at_close(p, v, open) || (s[v] == '/' && at_close(p, v + 1, open))) {
                perr(p, eq, "argument '%s' has no value after '='; write %s=\"value\"", a.key,
                     a.key);
                free(a.key);
                goto bad;
            }
            if (read_value(p, &v, open, false, &a) < 0) {
                free(a.key);
                goto bad;
            }
            k = v;
            t->named = true;
        } else {
            positional = true;
        }
        if (t->named && positional) {
            perr(p, start,
                 "shortcode '%.*s' mixes positional and named arguments; write all of them as "
                 "key=\"value\", or none",
                 (int)t->name_len, s + ns);
            free(a.key);
            free(a.val);
            goto bad;
        }
        if (t->nargs == cap) {
            cap = cap ? cap * 2 : 4;
            t->args = xreallocarray(t->args, cap, sizeof(*t->args));
        }
        t->args[t->nargs++] = a;
        j = k;
    }
    if (t->closing && (t->nargs || t->self_closing)) {
        perr(p, i, "a closing tag takes no arguments: write {{%c /%.*s %c}}", open,
             (int)t->name_len, s + ns, closer(open));
        return -1;
    }
    return 0;
bad:
    t->end = resync(p, j, i + 3, open);
    return -1;
}

/* An open shortcode that turned out not to be paired. */
static void
unclosed(parser *p, size_t idx)
{
    const sc_item *it = &p->doc->v[idx];
    int fl = name_flags(p->e, it->name, strlen(it->name));
    char o = it->markdown ? '%' : '<';
    if (fl >= 0 && (fl & B_INNER))
        perr(p, it->off,
             "shortcode '%s' opened here is never closed: add {{%c /%s %c}} after its content",
             it->name, o, it->name, closer(o));
}

static void
close_tag(parser *p, const tagd *t)
{
    const char *name = p->s + t->name_off;
    char o = p->s[t->off + 2], c = closer(o);
    for (size_t k = p->nstack; k-- > 0;) {
        if (!streq(name, t->name_len, p->doc->v[p->stack[k]].name)) continue;
        for (size_t m = p->nstack; m-- > k + 1;)
            unclosed(p, p->stack[m]);
        sc_item *it = &p->doc->v[p->stack[k]];
        p->nstack = k;
        it->paired = true;
        it->inner_off = it->end;
        it->inner_end = t->off;
        it->end = t->end;
        if (name_flags(p->e, it->name, strlen(it->name)) & B_NOINNER)
            perr(p, t->off, "shortcode '%s' takes no inner content: remove {{%c /%s %c}}", it->name,
                 o, it->name, c);
        return;
    }
    perr(p, t->off,
         "closing {{%c /%.*s %c}} without an opening {{%c %.*s %c}} before it; remove it or add "
         "the opening tag",
         o, (int)t->name_len, name, c, o, (int)t->name_len, name, c);
}

/* The first {{< /name >}} (or {{% /name %}}) from i: its *off and *end. */
static bool
find_closing(const parser *p, size_t i, const char *name, size_t *off, size_t *end)
{
    const char *s = p->s;
    size_t n = p->n, nl = strlen(name);
    for (; (i = find(s, n, i, "{{", 2)) != NONE; i += 2) {
        if (i + 2 >= n || (s[i + 2] != '<' && s[i + 2] != '%')) continue;
        size_t j = skip_ws(s, n, i + 3);
        if (j >= n || s[j] != '/') continue;
        j = skip_ws(s, n, j + 1);
        if (n - j < nl || memcmp(s + j, name, nl) != 0 || (j + nl < n && is_name_char(s[j + nl])))
            continue;
        j = skip_ws(s, n, j + nl);
        if (at_close(p, j, s[i + 2])) {
            *off = i;
            *end = j + 3;
            return true;
        }
    }
    return false;
}

/* The shortcode tag at i.  Returns where to go on. */
static size_t
shortcode(parser *p, size_t i)
{
    if (i + 4 < p->n && p->s[i + 3] == '/' && p->s[i + 4] == '*') return escape(p, i, false, p->n);
    tagd t;
    if (parse_tag(p, i, &t) < 0) {
        free_args(t.args, t.nargs);
        return t.end;
    }
    if (t.closing) {
        close_tag(p, &t);
        return t.end;
    }
    const char *name = p->s + t.name_off;
    int fl = name_flags(p->e, name, t.name_len);
    if (fl < 0) {
        perr(p, i,
             "unknown shortcode '%.*s': not built in (figure, highlight, pullquote, ref, relref, "
             "youtube), and no shortcodes/%.*s.html in the site or its theme",
             (int)t.name_len, name, (int)t.name_len, name);
        free_args(t.args, t.nargs);
        return t.end;
    }
    sc_item *it = new_item(p, SC_CALL, i, t.end);
    size_t idx = p->doc->n - 1;
    it->name = xstrndup(name, t.name_len);
    it->markdown = p->s[i + 2] == '%';
    it->args = t.args;
    it->nargs = t.nargs;
    it->named = t.named;
    if (t.self_closing) return t.end;
    if (fl & B_VERBATIM) {
        size_t off, end;
        if (!find_closing(p, t.end, it->name, &off, &end)) {
            unclosed(p, idx);
            return t.end;
        }
        it->paired = true;
        it->inner_off = t.end;
        it->inner_end = off;
        it->end = end;
        return end;
    }
    if (p->nstack == SC_MAX_DEPTH) {
        perr(p, i, "shortcodes nest deeper than %d levels", SC_MAX_DEPTH);
        return t.end;
    }
    if (p->nstack == p->capstack) {
        p->capstack = p->capstack ? p->capstack * 2 : 8;
        p->stack = xreallocarray(p->stack, p->capstack, sizeof(*p->stack));
    }
    p->stack[p->nstack++] = idx;
    return t.end;
}

/* "{%" (or "{%-") at i, spaces, then word: just after the word, or NONE. */
static size_t
liquid_word(const parser *p, size_t i, const char *word)
{
    const char *s = p->s;
    size_t n = p->n, j = i + 2, m = strlen(word);
    if (j < n && s[j] == '-') j++;
    while (j < n && (s[j] == ' ' || s[j] == '\t'))
        j++;
    if (n - j < m || memcmp(s + j, word, m) != 0) return NONE;
    j += m;
    if (j < n && is_name_char(s[j])) return NONE;
    return j;
}

/* Just after the "%}" that ends a Liquid tag on this line, or NONE. */
static size_t
liquid_end(const parser *p, size_t j)
{
    for (; j + 1 < p->n && p->s[j] != '\n'; j++)
        if (p->s[j] == '%' && p->s[j + 1] == '}') return j + 2;
    return NONE;
}

/* Jekyll's {% highlight lang [linenos] %}...{% endhighlight %} at i.
 * Returns where to go on, or i when this is no highlight tag. */
static size_t
liquid(parser *p, size_t i)
{
    const char *s = p->s;
    size_t j = liquid_word(p, i, "highlight");
    if (j == NONE) return i;
    size_t tag_end = liquid_end(p, j);
    if (tag_end == NONE) return i;
    size_t stop = tag_end - 2;
    if (stop > j && s[stop - 1] == '-') stop--;
    while (j < stop && (s[j] == ' ' || s[j] == '\t'))
        j++;
    size_t ls = j;
    while (j < stop && !is_ws(s[j]))
        j++;
    size_t lang_end = j;
    bool linenos = find(s, stop, j, "linenos", 7) != NONE;
    for (size_t k = tag_end; (k = find(s, p->n, k, "{%", 2)) != NONE; k += 2) {
        size_t w = liquid_word(p, k, "endhighlight");
        size_t e = w == NONE ? NONE : liquid_end(p, w);
        if (e == NONE) continue;
        sc_item *it = new_item(p, SC_LIQUID, i, e);
        it->inner_off = tag_end;
        it->inner_end = k;
        it->name = xstrndup(s + ls, lang_end - ls);
        it->linenos = linenos;
        return e;
    }
    perr(p, i, "{%% highlight %%} opened here is never closed: add {%% endhighlight %%}");
    return tag_end;
}

/* Block structure, as far as code is concerned. */
typedef struct blk {
    bool fence;
    char fch;
    size_t flen;
    bool indented;
    size_t code_from; /* where the open code block's text starts */
    bool may_indent;  /* an indented line here starts a code block */
    bool list;        /* in a list: indented lines are the items' text */
} blk;

static bool
list_marker(const char *s, size_t c, size_t le)
{
    size_t j = c;
    if (j < le && (s[j] == '-' || s[j] == '+' || s[j] == '*')) {
        j++;
    } else {
        while (j < le && j - c < 9 && s[j] >= '0' && s[j] <= '9')
            j++;
        if (j == c || j >= le || (s[j] != '.' && s[j] != ')')) return false;
        j++;
    }
    return j == le || is_ws(s[j]);
}

/* Reads the line [ls, le) into the block state; true when it is code. */
static bool
classify(parser *p, blk *b, size_t ls, size_t le)
{
    const char *s = p->s;
    size_t k = ls;
    for (;;) { /* block quote markers */
        size_t j = k;
        while (j < le && j - k < 3 && s[j] == ' ')
            j++;
        if (j < le && s[j] == '>') {
            k = j + 1;
            if (k < le && (s[k] == ' ' || s[k] == '\t')) k++;
            continue;
        }
        break;
    }
    size_t ind = 0, c = k;
    while (c < le && (s[c] == ' ' || s[c] == '\t')) {
        ind = s[c] == '\t' ? ind + 4 - ind % 4 : ind + 1;
        c++;
    }
    bool blank = rest_blank(s, c, le);
    if (b->fence) {
        size_t r = run(s, le, c, b->fch);
        if (!blank && r >= b->flen && rest_blank(s, c + r, le)) {
            code_escapes(p, b->code_from, ls);
            b->fence = false;
            b->may_indent = true;
        }
        return true;
    }
    if (b->indented) {
        if (blank || ind >= 4) return true;
        code_escapes(p, b->code_from, ls);
        b->indented = false;
    }
    if ((ind <= 3 || b->list) && c < le && (s[c] == '`' || s[c] == '~')) {
        size_t r = run(s, le, c, s[c]);
        if (r >= 3 && (s[c] == '~' || find(s, le, c + r, "`", 1) == NONE)) {
            b->fence = true;
            b->fch = s[c];
            b->flen = r;
            b->code_from = le < p->n ? le + 1 : le;
            return true;
        }
    }
    if (!blank && ind >= 4 && b->may_indent && !b->list) {
        b->indented = true;
        b->code_from = ls;
        return true;
    }
    if (blank) {
        b->may_indent = true;
        return false;
    }
    if (ind <= 3 && list_marker(s, c, le))
        b->list = true;
    else if (ind == 0 && b->may_indent)
        b->list = false;
    size_t h = run(s, le, c, '#');
    b->may_indent = h >= 1 && h <= 6 && (c + h == le || is_ws(s[c + h]));
    return false;
}

/* Where the paragraph holding i ends: at its next blank line, or the end. */
static size_t
para_end(const parser *p, size_t i)
{
    for (size_t j = i; j < p->n; j++) {
        if (p->s[j] != '\n') continue;
        size_t le = j + 1;
        while (le < p->n && p->s[le] != '\n')
            le++;
        if (rest_blank(p->s, j + 1, le)) return j;
    }
    return p->n;
}

/* The backtick run of length r at i: a code span, or literal backticks.
 * Returns where to go on. */
static size_t
code_span(parser *p, size_t i, size_t r)
{
    const char *s = p->s;
    if (r <= MAX_BACKTICKS) {
        if (i < p->bt_from || i >= p->bt_end) {
            /* a new paragraph: one scan records its runs */
            for (size_t k = 0; k < p->nbt_used; k++)
                p->bt_last[p->bt_used[k]] = NONE;
            p->nbt_used = 0;
            p->bt_from = i;
            p->bt_end = para_end(p, i);
            for (size_t j = i; j < p->bt_end;) {
                if (s[j] != '`') {
                    j++;
                    continue;
                }
                size_t q = run(s, p->bt_end, j, '`');
                if (q <= MAX_BACKTICKS) {
                    if (p->bt_last[q] == NONE) p->bt_used[p->nbt_used++] = q;
                    p->bt_last[q] = j;
                }
                j += q;
            }
        }
        if (p->bt_last[r] == NONE || p->bt_last[r] <= i) return i + r;
    }
    size_t end = r <= MAX_BACKTICKS ? p->bt_end : para_end(p, i);
    for (size_t j = i + r; j < end;) {
        if (s[j] != '`') {
            j++;
            continue;
        }
        size_t q = run(s, end, j, '`');
        if (q == r) {
            code_escapes(p, i + r, j);
            return j + q;
        }
        j += q;
    }
    return i + r;
}

/* Insertion sort by offset (escapes in a code block are found when the
 * block ends, after what followed its start; everything else is in order). */
static void
sort_items(sc_doc *doc)
{
    for (size_t k = 1; k < doc->n; k++) {
        sc_item it = doc->v[k];
        size_t m = k;
        while (m > 0 && doc->v[m - 1].off > it.off) {
            doc->v[m] = doc->v[m - 1];
            m--;
        }
        doc->v[m] = it;
    }
}

int
sc_parse(const sc_env *e, const char *src, size_t n, const char *file, int first_line,
         const char *excerpt_sep, sc_doc *doc, diags *d)
{
    memset(doc, 0, sizeof(*doc));
    parser p = {0};
    p.e = e;
    p.s = src ? src : "";
    p.n = src ? n : 0;
    p.file = file;
    p.first_line = first_line;
    p.doc = doc;
    p.d = d;
    p.lc_line = 1;
    p.sep = excerpt_sep;
    p.seplen = excerpt_sep ? strlen(excerpt_sep) : 0;
    p.bt_last = xcalloc(MAX_BACKTICKS + 1, sizeof(size_t));
    p.bt_used = xcalloc(MAX_BACKTICKS + 1, sizeof(size_t));
    for (size_t k = 0; k <= MAX_BACKTICKS; k++)
        p.bt_last[k] = NONE;
    blk b = {.may_indent = true};
    const char *s = p.s;
    n = p.n;
    bool line_start = true;
    for (size_t i = 0; i < n;) {
        if (line_start) {
            line_start = false;
            size_t le = i;
            while (le < n && s[le] != '\n')
                le++;
            if (classify(&p, &b, i, le)) {
                i = le < n ? le + 1 : n;
                line_start = true;
                continue;
            }
        }
        char c = s[i];
        if (p.seplen && !p.sep_done && n - i >= p.seplen && memcmp(s + i, p.sep, p.seplen) == 0) {
            new_item(&p, SC_MORE, i, i + p.seplen);
            p.sep_done = true;
            i += p.seplen;
            line_start = s[i - 1] == '\n';
        } else if (c == '\n') {
            i++;
            line_start = true;
        } else if (c == '\\' && i + 1 < n && s[i + 1] == '`') {
            i += 2;
        } else if (c == '`') {
            i = code_span(&p, i, run(s, n, i, '`'));
        } else if (c == '{' && i + 2 < n && s[i + 1] == '{' &&
                   (s[i + 2] == '<' || s[i + 2] == '%')) {
            i = shortcode(&p, i);
        } else if (c == '{' && i + 1 < n && s[i + 1] == '%') {
            size_t j = liquid(&p, i);
            i = j > i ? j : i + 2;
        } else {
            i++;
        }
    }
    if (b.fence || b.indented) code_escapes(&p, b.code_from, n);
    for (size_t k = 0; k < p.nstack; k++)
        unclosed(&p, p.stack[k]);
    sort_items(doc);
    free(p.stack);
    free(p.bt_last);
    free(p.bt_used);
    return p.failed ? -1 : 0;
}

/* ---- expanding ----------------------------------------------------- */

typedef struct ex {
    const sc_page *pg;
    const sc_doc *doc;
    const char *s;
    size_t n;
    sc_out *out;
    diags *d;
    int failed;
} ex;

static void xerr(ex *x, const sc_item *it, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void
xerr(ex *x, const sc_item *it, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    diag_vadd(x->d, DIAG_ERROR, x->pg->file, it->line, it->col, fmt, ap);
    va_end(ap);
    x->failed = 1;
}

static void xwarn(ex *x, const sc_item *it, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void
xwarn(ex *x, const sc_item *it, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    diag_vadd(x->d, DIAG_WARNING, x->pg->file, it->line, it->col, fmt, ap);
    va_end(ap);
}

/* Keeps html for a placeholder, and writes the placeholder to o. */
static void
placeholder(ex *x, buf *o, buf *html)
{
    sc_out *out = x->out;
    if (out->nhtml == out->caphtml) {
        out->caphtml = out->caphtml ? out->caphtml * 2 : 8;
        out->html = xreallocarray(out->html, out->caphtml, sizeof(char *));
    }
    buf_put(o, out->prefix, out->prefix_len);
    buf_printf(o, "%zuz", out->nhtml);
    out->html[out->nhtml++] = buf_detach(html, NULL);
}

/* The argument named key, or positional number pos (-1: none). */
static const sc_arg *
get_arg(const sc_item *it, const char *key, int pos)
{
    for (size_t i = 0; i < it->nargs; i++) {
        const sc_arg *a = &it->args[i];
        if (a->key ? key && strcmp(a->key, key) == 0 : pos >= 0 && i == (size_t)pos) return a;
    }
    return NULL;
}

/* Warns about the named arguments a built-in does not know (Hugo ignores
 * them, so a Hugo site still builds). */
static void
check_keys(ex *x, const sc_item *it, const char *const *keys)
{
    for (size_t i = 0; i < it->nargs; i++) {
        if (!it->args[i].key) continue;
        bool ok = false;
        for (size_t k = 0; keys[k] && !ok; k++)
            ok = strcmp(keys[k], it->args[i].key) == 0;
        if (!ok) xwarn(x, it, "%s: unknown argument '%s' is ignored", it->name, it->args[i].key);
    }
}

/* What cmark refuses in links when raw HTML is off. */
static bool
dangerous(const char *url)
{
    static const char *const bad[] = {"javascript:", "vbscript:", "file:", "data:"};
    static const char *const ok[] = {"data:image/png", "data:image/gif", "data:image/jpeg",
                                     "data:image/webp"};
    for (size_t i = 0; i < 4; i++) {
        if (strncasecmp(url, bad[i], strlen(bad[i])) != 0) continue;
        for (size_t k = 0; k < 4; k++)
            if (strncasecmp(url, ok[k], strlen(ok[k])) == 0) return false;
        return true;
    }
    return false;
}

/* An attribute holding a URL from an argument: a relative one is made
 * relative to the page's URL, as md does with Markdown's links. */
static void
url_attr(ex *x, buf *o, const char *name, const char *url)
{
    const md_opts *mo = x->pg->md;
    buf_printf(o, " %s=\"", name);
    if (!(mo && mo->unsafe_html) && dangerous(url)) {
        buf_putc(o, '"');
        return;
    }
    if (mo && mo->base && md_is_relative(url)) esc_html(o, mo->base, strlen(mo->base));
    esc_html(o, url, strlen(url));
    buf_putc(o, '"');
}

static void
text_attr(buf *o, const char *name, const char *v)
{
    buf_printf(o, " %s=\"", name);
    esc_html(o, v, strlen(v));
    buf_putc(o, '"');
}

static void subst(const sc_out *o, buf *out, const char *t, size_t n, bool plain);

/* Markdown as HTML, its placeholders replaced at once; inline (the
 * paragraph's content without <p>) when it is one paragraph and inl. */
static int
markdown(ex *x, const sc_item *it, const char *src, size_t n, bool inl, buf *out)
{
    md_opts mo = {false, false, 70, 2, 4, NULL};
    if (x->pg->md) mo = *x->pg->md;
    md_doc doc;
    if (md_render(src, n, &mo, &doc, x->pg->file, it->line, x->d) < 0) {
        x->failed = 1;
        return -1;
    }
    const char *h = doc.html;
    size_t len = doc.html_len;
    if (inl) md_unwrap_paragraph(&h, &len);
    subst(x->out, out, h, len, false);
    md_free(&doc);
    return 0;
}

/* Hugo's figure: an image, maybe linked, with a caption. */
static void
figure(ex *x, const sc_item *it, buf *o)
{
    static const char *const keys[] = {"src",    "alt",      "title",   "caption", "link",
                                       "target", "rel",      "width",   "height",  "class",
                                       "attr",   "attrlink", "loading", NULL};
    if (it->nargs && !it->named) {
        xerr(x, it, "figure takes named arguments: {{< figure src=\"a.png\" alt=\"...\" >}}");
        return;
    }
    check_keys(x, it, keys);
    const sc_arg *src = get_arg(it, "src", -1);
    if (!src || !src->len) {
        xerr(x, it, "figure needs src=\"...\", the image to show");
        return;
    }
    const sc_arg *alt = get_arg(it, "alt", -1), *title = get_arg(it, "title", -1);
    const sc_arg *caption = get_arg(it, "caption", -1), *link = get_arg(it, "link", -1);
    const sc_arg *attr = get_arg(it, "attr", -1), *attrlink = get_arg(it, "attrlink", -1);
    const sc_arg *a;
    buf cap = BUF_INIT, att = BUF_INIT;
    if (caption && markdown(x, it, caption->val, caption->len, true, &cap) < 0) goto out;
    if (attr && markdown(x, it, attr->val, attr->len, true, &att) < 0) goto out;
    buf_puts(o, "<figure");
    if ((a = get_arg(it, "class", -1))) text_attr(o, "class", a->val);
    buf_puts(o, ">\n");
    if (link) {
        buf_puts(o, "<a");
        url_attr(x, o, "href", link->val);
        if ((a = get_arg(it, "target", -1))) text_attr(o, "target", a->val);
        if ((a = get_arg(it, "rel", -1))) text_attr(o, "rel", a->val);
        buf_putc(o, '>');
    }
    buf_puts(o, "<img");
    url_attr(x, o, "src", src->val);
    if (alt) {
        text_attr(o, "alt", alt->val);
    } else { /* the caption's text, as Hugo does; empty marks a decoration */
        buf_puts(o, " alt=\"");
        attr_text(o, cap.data ? cap.data : "", cap.len, true);
        buf_putc(o, '"');
    }
    if ((a = get_arg(it, "width", -1))) text_attr(o, "width", a->val);
    if ((a = get_arg(it, "height", -1))) text_attr(o, "height", a->val);
    a = get_arg(it, "loading", -1);
    text_attr(o, "loading", a ? a->val : "lazy");
    buf_putc(o, '>');
    if (link) buf_puts(o, "</a>");
    buf_putc(o, '\n');
    if (title || caption || attr) {
        buf_puts(o, "<figcaption>");
        if (title) {
            buf_puts(o, "<h4>");
            esc_html(o, title->val, title->len);
            buf_puts(o, "</h4>");
        }
        if (caption || attr) {
            buf_puts(o, "<p>");
            buf_put(o, cap.data, cap.len);
            if (caption && attr) buf_putc(o, ' ');
            if (attrlink) {
                buf_puts(o, "<a");
                url_attr(x, o, "href", attrlink->val);
                buf_putc(o, '>');
            }
            buf_put(o, att.data, att.len);
            if (attrlink) buf_puts(o, "</a>");
            buf_puts(o, "</p>");
        }
        buf_puts(o, "</figcaption>\n");
    }
    buf_puts(o, "</figure>\n");
out:
    buf_free(&cap);
    buf_free(&att);
}

static bool
all_digits(const char *s, size_t n)
{
    if (n == 0 || n > 9) return false;
    for (size_t i = 0; i < n; i++)
        if (s[i] < '0' || s[i] > '9') return false;
    return true;
}

/* A YouTube video from the privacy-enhanced domain. */
static void
youtube(ex *x, const sc_item *it, buf *o)
{
    static const char *const keys[] = {"id", "title", "class", "start", "autoplay", NULL};
    check_keys(x, it, keys);
    const sc_arg *id = get_arg(it, "id", 0);
    if (!id || !id->len) {
        xerr(x, it, "youtube needs the video's id: {{< youtube dQw4w9WgXcQ >}}");
        return;
    }
    if (!it->named && it->nargs > 1) xwarn(x, it, "youtube: arguments after the id are ignored");
    bool ok = id->len <= 64;
    for (size_t i = 0; i < id->len && ok; i++)
        ok = is_ident_char(id->val[i]) || id->val[i] == '-';
    if (!ok) {
        xerr(x, it, "youtube: \"%s\" is not a video id (letters, digits, '-' and '_')", id->val);
        return;
    }
    const sc_arg *start = get_arg(it, "start", -1), *autoplay = get_arg(it, "autoplay", -1);
    if (start && !all_digits(start->val, start->len)) {
        xerr(x, it, "youtube: start=\"%s\" must be a number of seconds", start->val);
        return;
    }
    const sc_arg *title = get_arg(it, "title", -1), *cls = get_arg(it, "class", -1);
    bool play = autoplay && (strcmp(autoplay->val, "true") == 0 || strcmp(autoplay->val, "1") == 0);
    buf_puts(o, "<div class=\"video");
    if (cls) {
        buf_putc(o, ' ');
        esc_html(o, cls->val, cls->len);
    }
    buf_printf(o, "\"><iframe src=\"https://www.youtube-nocookie.com/embed/%s", id->val);
    if (play || start)
        buf_printf(o, "?%s%s%s%s", play ? "autoplay=1" : "", play && start ? "&amp;" : "",
                   start ? "start=" : "", start ? start->val : "");
    buf_putc(o, '"');
    text_attr(o, "title", title ? title->val : "YouTube video");
    buf_puts(o,
             " allow=\"accelerometer; autoplay; clipboard-write; encrypted-media; gyroscope; "
             "picture-in-picture; web-share\" referrerpolicy=\"strict-origin-when-cross-origin\" "
             "allowfullscreen loading=\"lazy\"></iframe></div>\n");
}

/* Hugo's highlight code: the inner without leading and trailing line
 * breaks and without the indentation all its lines share (InnerDeindent),
 * each line ending in a newline as in a fenced block. */
static void
code_text(const char *s, size_t n, buf *out)
{
    while (n > 0 && (s[0] == '\n' || s[0] == '\r'))
        s++, n--;
    while (n > 0 && (s[n - 1] == '\n' || s[n - 1] == '\r'))
        n--;
    size_t indent = NONE;
    for (size_t i = 0; i < n;) {
        size_t e = i;
        while (e < n && s[e] != '\n')
            e++;
        size_t w = i;
        while (w < e && (s[w] == ' ' || s[w] == '\t'))
            w++;
        if (!rest_blank(s, w, e) && w - i < indent) indent = w - i;
        i = e + 1;
    }
    if (indent == NONE) indent = 0;
    for (size_t i = 0; i < n;) {
        size_t e = i;
        while (e < n && s[e] != '\n')
            e++;
        size_t skip = e - i < indent ? e - i : indent;
        buf_put(out, s + i + skip, e - i - skip);
        buf_putc(out, '\n');
        i = e + 1;
    }
}

/* {{< highlight lang "options" >}}code{{< /highlight >}} */
static void
highlight(ex *x, const sc_item *it, buf *o)
{
    if (it->named) {
        xerr(x, it,
             "highlight takes the language and the options as they are: {{< highlight go "
             "\"linenos=table,hl_lines=2 4-5\" >}}");
        return;
    }
    if (it->nargs > 2) xwarn(x, it, "highlight: arguments after the options are ignored");
    const sc_arg *lang = get_arg(it, NULL, 0), *opts = get_arg(it, NULL, 1);
    buf code = BUF_INIT;
    code_text(x->s + it->inner_off, it->inner_end - it->inner_off, &code);
    hl_opts ho = {false, NULL, 0, 0};
    int *hl = NULL;
    buf err = BUF_INIT;
    /* the same reader as a code fence's {linenos=...}, but strict */
    if (opts && hl_parse_opts(opts->val, opts->len, code.data, code.len, &ho, &hl, &err) < 0) {
        xerr(x, it, "highlight: %s", buf_cstr(&err));
        buf_free(&err);
        goto out;
    }
    hl_html(o, lang && lang->len ? lang->val : NULL, code.data ? code.data : "", code.len, &ho);
    buf_putc(o, '\n');
out:
    free(hl);
    buf_free(&code);
}

/* The inner (HTML) in a div that carries its text for a pulled quote. */
static void
pullquote(ex *x, const sc_item *it, const buf *inner, buf *o)
{
    if (it->nargs) xwarn(x, it, "pullquote takes no arguments; they are ignored");
    buf q = BUF_INIT;
    attr_text(&q, inner->data ? inner->data : "", inner->len, true);
    if (q.len == 0) {
        xerr(x, it,
             "pullquote needs the quote as its content: {{< pullquote >}}...{{< /pullquote >}}");
    } else {
        buf_puts(o, "<div class=\"pullquote\" data-pullquote=\"");
        buf_put(o, q.data, q.len);
        buf_puts(o, "\">");
        buf_put(o, inner->data, inner->len);
        buf_puts(o, "</div>\n");
    }
    buf_free(&q);
}

/* A URL put in Markdown as it is: in text, or as a link's destination. */
static void
url_md(buf *o, const char *u)
{
    for (; *u; u++) {
        unsigned char c = (unsigned char)*u;
        if (c <= 0x20 || c == 0x7f || strchr("\"<>\\`()[]*", c))
            buf_printf(o, "%%%02X", c);
        else
            buf_putc(o, (char)c);
    }
}

/* The page a ref names (beside this page first, then from content/, then
 * by a file name that only one page has), or NULL with an error. */
static const sc_tpage *
resolve(ex *x, const sc_item *it, const char *path)
{
    const sc_env *e = x->pg->env;
    size_t first = 0, m = 0;
    const sc_target *v = NULL;
    char *key = NULL;
    if (e && path[0] != '/' && x->pg->rel && strchr(x->pg->rel, '/')) {
        buf b = BUF_INIT;
        const char *rel = x->pg->rel;
        buf_put(&b, rel, (size_t)(strrchr(rel, '/') - rel) + 1);
        buf_puts(&b, path);
        key = normalize(buf_cstr(&b));
        buf_free(&b);
        if (key) m = lookup(e->exact, e->nexact, key, &first);
        v = e->exact;
        free(key);
    }
    if (e && m == 0 && (key = normalize(path))) {
        m = lookup(e->exact, e->nexact, key, &first);
        v = e->exact;
        if (m == 0 && !strchr(key, '/')) {
            m = lookup(e->bare, e->nbare, key, &first);
            v = e->bare;
        }
        free(key);
    }
    if (m == 0) {
        xerr(x, it,
             "%s \"%s\": no page has this path under content/; write the path of a Markdown "
             "file there, like posts/other.md",
             it->name, path);
        return NULL;
    }
    for (size_t k = first + 1; k < first + m; k++) {
        if (v[k].page != v[first].page) {
            xerr(x, it, "%s \"%s\" is ambiguous: %s and %s have that name; write more of the path",
                 it->name, path, e->pages[v[first].page].rel, e->pages[v[k].page].rel);
            return NULL;
        }
    }
    const sc_tpage *tp = &e->pages[v[first].page];
    if (!tp->url) {
        xerr(x, it,
             "%s \"%s\": %s is not in this build (a draft, in the future or expired); link to "
             "another page, or build with --drafts, --future or --expired",
             it->name, path, tp->rel);
        return NULL;
    }
    return tp;
}

/* ref: the page's permalink; relref: its URL (with the site's path). */
static void
ref(ex *x, const sc_item *it, buf *o, bool rel)
{
    static const char *const keys[] = {"path", "lang", "outputFormat", NULL};
    check_keys(x, it, keys);
    const sc_arg *a = get_arg(it, "path", 0);
    if (!a || !a->len) {
        xerr(x, it, "%s needs the path of a page: {{< %s \"posts/other.md\" >}}", it->name,
             it->name);
        return;
    }
    const char *hash = strchr(a->val, '#');
    char *path = xstrndup(a->val, hash ? (size_t)(hash - a->val) : a->len);
    const char *url;
    if (!path[0] && hash) {
        url = rel ? x->pg->url : x->pg->permalink;
        if (!url) xerr(x, it, "%s: this page has no URL", it->name);
    } else {
        const sc_tpage *tp = resolve(x, it, path);
        url = tp ? (rel ? tp->url : tp->permalink) : NULL;
    }
    free(path);
    if (!url) return;
    url_md(o, url);
    if (hash) url_md(o, hash);
}

/* A theme shortcode's argument as a value: unquoted true, false and
 * numbers are typed, as Hugo's .Get gives them. */
static val
arg_val(const sc_arg *a)
{
    if (!a->quoted) {
        if (strcmp(a->val, "true") == 0) return val_bool(true);
        if (strcmp(a->val, "false") == 0) return val_bool(false);
        if ((a->val[0] >= '0' && a->val[0] <= '9') || a->val[0] == '-') {
            char *end;
            errno = 0;
            long long i = strtoll(a->val, &end, 10);
            if (*end == '\0' && errno == 0 && end != a->val) return val_int(i);
            errno = 0;
            double f = strtod(a->val, &end);
            if (*end == '\0' && errno == 0 && end != a->val) return val_float(f);
        }
    }
    return val_str(a->val, a->len);
}

/* A theme shortcode: its template with args, params, inner, name, page
 * and site, without the newline its file ends with. */
static void template(ex *x, const sc_item *it, const sc_tmpl *t, const buf *inner, buf *o)
{
    if (!t->t) { /* the template's own errors were reported when it compiled */
        xerr(x, it, "shortcode '%s' used here failed: its template has errors", it->name);
        return;
    }
    arena a = ARENA_INIT;
    val_list_b args = {0};
    val_map_b params = {0}, ctx = {0};
    for (size_t i = 0; i < it->nargs; i++) {
        const sc_arg *g = &it->args[i];
        if (g->key)
            val_map_set(&params, &a, g->key, strlen(g->key), arg_val(g));
        else
            val_list_push(&args, &a, arg_val(g));
    }
    val_map_set(&ctx, &a, "args", 4, val_list_done(&args));
    val_map_set(&ctx, &a, "params", 6, val_map_done(&params));
    val_map_set(&ctx, &a, "inner", 5, val_safe(inner->data ? inner->data : "", inner->len));
    val_map_set(&ctx, &a, "name", 4, val_cstr(it->name));
    val_map_set(&ctx, &a, "page", 4, x->pg->page);
    val_map_set(&ctx, &a, "site", 4, x->pg->site);
    tmpl_opts opts = {0};
    opts.now = x->pg->now;
    size_t start = o->len;
    if (tmpl_render(t->t, val_map_done(&ctx), o, &a, &opts, x->d) < 0)
        xerr(x, it, "shortcode '%s' used here failed; see the error in its template", it->name);
    /* the newline that ends the template's file is no part of its output
     * (it would put a space after an inline shortcode) */
    if (o->len > start && o->data[o->len - 1] == '\n') o->len--;
    if (o->len > start && o->data[o->len - 1] == '\r') o->len--;
    if (o->data) o->data[o->len] = '\0';
    arena_free(&a);
}

static void emit(ex *x, buf *o, size_t a, size_t b, size_t *k, bool raw);

/* A shortcode: its inner expanded first, then its output into o (raw),
 * or a placeholder for it (Markdown). */
static void
call(ex *x, buf *o, const sc_item *it, size_t *k, bool raw)
{
    const sc_tmpl *t = find_tmpl(x->pg->env, it->name, strlen(it->name));
    const struct builtin *bi = t ? NULL : find_builtin(it->name, strlen(it->name));
    bool md_inner = it->markdown && !raw;
    buf inner = BUF_INIT, html = BUF_INIT;
    if (it->paired && !(bi && (bi->flags & B_VERBATIM))) {
        if (md_inner && bi) { /* a built-in renders its Markdown inner itself */
            buf md = BUF_INIT;
            emit(x, &md, it->inner_off, it->inner_end, k, false);
            markdown(x, it, md.data ? md.data : "", md.len, false, &inner);
            buf_free(&md);
        } else {
            emit(x, &inner, it->inner_off, it->inner_end, k, !md_inner);
        }
    }
    bool direct = raw;
    size_t errors = x->d->errors;
    if (t) {
        template(x, it, t, &inner, &html);
        direct = direct || it->markdown; /* {{% %}}: its output is Markdown */
    } else if (bi) {
        switch (bi->id) {
        case BI_FIGURE: figure(x, it, &html); break;
        case BI_YOUTUBE: youtube(x, it, &html); break;
        case BI_HIGHLIGHT: highlight(x, it, &html); break;
        case BI_PULLQUOTE: pullquote(x, it, &inner, &html); break;
        case BI_REF:
        case BI_RELREF:
            ref(x, it, &html, bi->id == BI_RELREF);
            direct = true; /* a URL, mostly a link's destination */
            break;
        }
    }
    if (x->d->errors == errors) {
        if (direct)
            buf_put(o, html.data, html.len);
        else
            placeholder(x, o, &html);
    }
    buf_free(&html);
    buf_free(&inner);
}

/* Jekyll's highlight block as a fenced code block. */
static void
liquid_out(ex *x, buf *o, const sc_item *it)
{
    const char *s = x->s;
    size_t ls = it->off;
    while (ls > 0 && s[ls - 1] != '\n')
        ls--;
    bool starts_line = true;
    for (size_t i = ls; i < it->off; i++)
        starts_line = starts_line && (s[i] == ' ' || s[i] == '\t');
    if (!starts_line) buf_putc(o, '\n');
    const char *code = s + it->inner_off;
    size_t n = it->inner_end - it->inner_off;
    while (n > 0 && (code[0] == '\n' || code[0] == '\r'))
        code++, n--;
    while (n > 0 && (code[n - 1] == '\n' || code[n - 1] == '\r'))
        n--;
    size_t fence = 3;
    for (size_t i = 0; i < n;) {
        size_t r = run(code, n, i, '`');
        if (r >= fence) fence = r + 1;
        i += r ? r : 1;
    }
    for (size_t i = 0; i < fence; i++)
        buf_putc(o, '`');
    buf_puts(o, it->name);
    if (it->linenos) buf_puts(o, " {linenos=true}");
    buf_putc(o, '\n');
    if (n) {
        buf_put(o, code, n);
        buf_putc(o, '\n');
    }
    if (starts_line) buf_put(o, s + ls, it->off - ls);
    for (size_t i = 0; i < fence; i++)
        buf_putc(o, '`');
    if (it->end < x->n && s[it->end] != '\n' && s[it->end] != '\r') buf_putc(o, '\n');
}

/* The escape: the tag as text (in code, or raw), or a placeholder for the
 * text escaped (in Markdown, where "{{<x>}}" would be raw HTML). */
static void
escape_out(ex *x, buf *o, const sc_item *it, bool raw)
{
    char open = it->markdown ? '%' : '<';
    buf t = BUF_INIT;
    buf_printf(&t, "{{%c", open);
    buf_put(&t, x->s + it->inner_off, it->inner_end - it->inner_off);
    buf_printf(&t, "%c}}", closer(open));
    if (it->in_code || raw) {
        buf_put(o, t.data, t.len);
    } else {
        buf h = BUF_INIT;
        esc_html(&h, t.data, t.len);
        placeholder(x, o, &h);
    }
    buf_free(&t);
}

/* Emits src[a, b) with the items from *k on that lie in it. */
static void
emit(ex *x, buf *o, size_t a, size_t b, size_t *k, bool raw)
{
    while (*k < x->doc->n && x->doc->v[*k].off < b) {
        const sc_item *it = &x->doc->v[(*k)++];
        buf_put(o, x->s + a, it->off - a);
        a = it->end;
        switch (it->kind) {
        case SC_CALL: call(x, o, it, k, raw); break;
        case SC_LIQUID: liquid_out(x, o, it); break;
        case SC_ESCAPE: escape_out(x, o, it, raw); break;
        case SC_MORE:
            /* a separator of whole lines ("\n\n") stays one */
            if (memchr(x->s + it->off, '\n', it->end - it->off))
                buf_puts(o, "\n\n<!--more-->\n\n");
            else
                buf_puts(o, "<!--more-->");
            break;
        }
    }
    buf_put(o, x->s + a, b - a);
}

/* "HONESC" + 8 hex digits of a hash of the source that the source does
 * not contain, + ':'. */
static void
make_prefix(sc_out *out, const char *src, size_t n)
{
    uint64_t h = hash_bytes(src, n);
    for (;;) {
        snprintf(out->prefix, sizeof(out->prefix), "HONESC%08" PRIx32 ":", (uint32_t)h);
        out->prefix_len = 15;
        if (find(src, n, 0, out->prefix, 14) == NONE) return;
        h = hash_more(h, "+", 1);
    }
}

bool
sc_plain(const char *src, size_t n, const char *excerpt_sep)
{
    if (!src) return true;
    size_t seplen = excerpt_sep ? strlen(excerpt_sep) : 0;
    return find(src, n, 0, "{{", 2) == NONE && find(src, n, 0, "{%", 2) == NONE &&
           (!seplen || find(src, n, 0, excerpt_sep, seplen) == NONE);
}

int
sc_expand(const sc_page *pg, const char *src, size_t n, sc_out *out, diags *d)
{
    memset(out, 0, sizeof(*out));
    if (!src) src = "", n = 0;
    size_t seplen = pg->excerpt_sep ? strlen(pg->excerpt_sep) : 0;
    if (sc_plain(src, n, pg->excerpt_sep)) { /* no placeholders: no prefix needed */
        out->md = xstrndup(src, n);
        out->md_len = n;
        return 0;
    }
    make_prefix(out, src, n);
    sc_doc doc;
    int r = sc_parse(pg->env, src, n, pg->file, pg->first_line, seplen ? pg->excerpt_sep : NULL,
                     &doc, d);
    if (r == 0) {
        ex x = {pg, &doc, src, n, out, d, 0};
        buf o = BUF_INIT;
        size_t k = 0;
        emit(&x, &o, 0, n, &k, false);
        out->md = buf_detach(&o, &out->md_len);
        r = x.failed ? -1 : 0;
    }
    sc_doc_free(&doc);
    return r;
}

void
sc_out_free(sc_out *out)
{
    free(out->md);
    for (size_t i = 0; i < out->nhtml; i++)
        free(out->html[i]);
    free(out->html);
    memset(out, 0, sizeof(*out));
}

/* ---- substituting -------------------------------------------------- */

/* The next token in t[from, n): its offset (NONE: none), *idx and *len. */
static size_t
next_token(const sc_out *o, const char *t, size_t n, size_t from, size_t *idx, size_t *len)
{
    for (size_t at = from; (at = find(t, n, at, o->prefix, o->prefix_len)) != NONE; at++) {
        size_t j = at + o->prefix_len, v = 0;
        bool ok = j < n && t[j] >= '0' && t[j] <= '9';
        while (ok && j < n && t[j] >= '0' && t[j] <= '9') {
            v = v * 10 + (size_t)(t[j++] - '0');
            ok = v < o->nhtml;
        }
        if (ok && j < n && t[j] == 'z') {
            *idx = v;
            *len = j + 1 - at;
            return at;
        }
    }
    return NONE;
}

/* Does h start with a block-level element (CommonMark's list for HTML
 * blocks), or is it empty?  Then a paragraph around it goes. */
static bool
block_html(const char *h)
{
    static const char *const names[] = {
        "address", "article",  "aside",      "blockquote", "details", "dialog", "div",
        "dl",      "fieldset", "figcaption", "figure",     "footer",  "form",   "h1",
        "h2",      "h3",       "h4",         "h5",         "h6",      "header", "hr",
        "iframe",  "main",     "nav",        "ol",         "p",       "pre",    "script",
        "section", "style",    "table",      "ul",         NULL};
    while (is_ws(*h))
        h++;
    if (!*h) return true;
    if (h[0] != '<') return false;
    if (strncmp(h, "<!--", 4) == 0) return true;
    size_t n = 0;
    while (is_ident_char(h[1 + n]))
        n++;
    char c = h[1 + n];
    if (!(c == '>' || c == '/' || is_ws(c))) return false;
    for (size_t i = 0; names[i]; i++)
        if (strlen(names[i]) == n && strncasecmp(h + 1, names[i], n) == 0) return true;
    return false;
}

/* The lexer state after t[from, to) from *st: 0 text, 1 in a tag, 2 in a
 * tag's "...", 3 in a tag's '...'. */
static void
tag_state(const char *t, size_t n, size_t from, size_t to, int *st)
{
    for (size_t i = from; i < to; i++) {
        char c = t[i];
        switch (*st) {
        case 0:
            if (c == '<' && i + 1 < n &&
                ((t[i + 1] >= 'a' && t[i + 1] <= 'z') || (t[i + 1] >= 'A' && t[i + 1] <= 'Z') ||
                 t[i + 1] == '/'))
                *st = 1;
            break;
        case 1: *st = c == '"' ? 2 : c == '\'' ? 3 : c == '>' ? 0 : 1; break;
        case 2: *st = c == '"' ? 1 : 2; break;
        default: *st = c == '\'' ? 1 : 3; break;
        }
    }
}

/* HTML as plain text: tags dropped, the entities that esc_html and cmark
 * write (&amp; &lt; &gt; &quot; &#x27; &#39;, numeric ones) decoded. */
static void
plain_text(buf *out, const char *html, size_t n)
{
    static const struct {
        const char *ent;
        char c;
    } named[] = {{"&amp;", '&'}, {"&lt;", '<'}, {"&gt;", '>'}, {"&quot;", '"'}, {"&apos;", '\''}};
    buf t = BUF_INIT;
    html_strip_tags(&t, html, n);
    for (size_t i = 0; i < t.len;) {
        const char *s = t.data + i;
        size_t left = t.len - i, k;
        if (*s != '&') {
            buf_putc(out, *s);
            i++;
            continue;
        }
        for (k = 0; k < sizeof(named) / sizeof(named[0]); k++) {
            size_t m = strlen(named[k].ent);
            if (left >= m && memcmp(s, named[k].ent, m) == 0) {
                buf_putc(out, named[k].c);
                i += m;
                break;
            }
        }
        if (k < sizeof(named) / sizeof(named[0])) continue;
        uint32_t cp = 0;
        size_t j = 2;
        bool hex = left > 2 && s[1] == '#' && (s[2] == 'x' || s[2] == 'X');
        if (left > 1 && s[1] == '#') {
            j += hex;
            size_t d0 = j;
            while (j < left && j - d0 < 7 &&
                   ((s[j] >= '0' && s[j] <= '9') ||
                    (hex && ((s[j] | 32) >= 'a' && (s[j] | 32) <= 'f')))) {
                int dv = s[j] <= '9' ? s[j] - '0' : (s[j] | 32) - 'a' + 10;
                cp = cp * (hex ? 16 : 10) + (uint32_t)dv;
                j++;
            }
            if (j > d0 && j < left && s[j] == ';' && cp > 0 && cp <= 0x10FFFF &&
                !(cp >= 0xD800 && cp <= 0xDFFF)) {
                utf8_encode(out, cp);
                i += j + 1;
                continue;
            }
        }
        buf_putc(out, '&');
        i++;
    }
    buf_free(&t);
}

static void
subst(const sc_out *o, buf *out, const char *t, size_t n, bool plain)
{
    int st = 0;
    size_t i = 0, idx, len, at;
    while (o->nhtml && (at = next_token(o, t, n, i, &idx, &len)) != NONE) {
        tag_state(t, n, i, at, &st);
        const char *h = o->html[idx];
        size_t hn = strlen(h);
        if (plain) {
            buf_put(out, t + i, at - i);
            plain_text(out, h, hn);
        } else if (st != 0) {
            buf_put(out, t + i, at - i);
            attr_text(out, h, hn, true); /* a template's final newline is no part of a URL */
        } else if (at >= i + 3 && memcmp(t + at - 3, "<p>", 3) == 0 && n - at - len >= 4 &&
                   memcmp(t + at + len, "</p>", 4) == 0 && block_html(h)) {
            buf_put(out, t + i, at - 3 - i); /* Hugo drops the paragraph around it */
            buf_put(out, h, hn);
            len += 4;
            if (hn && h[hn - 1] == '\n' && at + len < n && t[at + len] == '\n') len++;
        } else {
            buf_put(out, t + i, at - i);
            buf_put(out, h, hn);
        }
        i = at + len;
    }
    buf_put(out, t + i, n - i);
}

char *
sc_substitute(const sc_out *out, const char *text, size_t n, bool plain, size_t *len)
{
    buf b = BUF_INIT;
    subst(out, &b, text ? text : "", text ? n : 0, plain);
    return buf_detach(&b, len);
}

static void
replace(char **s, size_t *len, const sc_out *o, bool plain)
{
    if (!*s || !o->nhtml || find(*s, *len, 0, o->prefix, o->prefix_len) == NONE) return;
    char *r = sc_substitute(o, *s, *len, plain, len);
    free(*s);
    *s = r;
}

/* Replaces every `from` in *s by `to`. */
static void
replace_str(char **s, size_t *len, const char *from, const char *to)
{
    size_t fl = strlen(from);
    if (!*s || find(*s, *len, 0, from, fl) == NONE) return;
    buf b = BUF_INIT;
    size_t i = 0, at;
    while ((at = find(*s, *len, i, from, fl)) != NONE) {
        buf_put(&b, *s + i, at - i);
        buf_puts(&b, to);
        i = at + fl;
    }
    buf_put(&b, *s + i, *len - i);
    free(*s);
    *s = buf_detach(&b, len);
}

static bool
id_taken(const md_doc *doc, size_t self, const char *id)
{
    for (size_t i = 0; i < doc->nheadings; i++)
        if (i != self && strcmp(doc->headings[i].id, id) == 0) return true;
    return false;
}

/* A heading with a shortcode in it had its id made from the placeholder:
 * give it the id of its real text, and move the links to it. */
static void
fix_heading(const sc_out *o, md_doc *doc, size_t i)
{
    md_heading *h = &doc->headings[i];
    size_t tl = strlen(h->text);
    if (find(h->text, tl, 0, o->prefix, o->prefix_len) == NONE) return;
    replace(&h->text, &tl, o, true);
    buf id = BUF_INIT, try = BUF_INIT, from = BUF_INIT, to = BUF_INIT;
    md_anchorize(&id, h->text, tl);
    if (!id.len) buf_puts(&id, "heading");
    buf_puts(&try, buf_cstr(&id));
    for (int k = 1; id_taken(doc, i, buf_cstr(&try)); k++) {
        buf_reset(&try);
        buf_printf(&try, "%s-%d", buf_cstr(&id), k);
    }
    buf_printf(&from, " id=\"%s\"", h->id);
    buf_printf(&to, " id=\"%s\"", buf_cstr(&try));
    replace_str(&doc->html, &doc->html_len, from.data, to.data);
    replace_str(&doc->summary, &doc->summary_len, from.data, to.data);
    buf_reset(&from);
    buf_reset(&to);
    buf_printf(&from, "href=\"#%s\"", h->id);
    buf_printf(&to, "href=\"#%s\"", buf_cstr(&try));
    replace_str(&doc->toc, &doc->toc_len, from.data, to.data);
    free(h->id);
    h->id = buf_detach(&try, NULL);
    buf_free(&id);
    buf_free(&from);
    buf_free(&to);
}

void
sc_apply(const sc_out *out, md_doc *doc)
{
    if (!out->nhtml) return;
    for (size_t i = 0; i < doc->nheadings; i++)
        fix_heading(out, doc, i);
    replace(&doc->html, &doc->html_len, out, false);
    replace(&doc->summary, &doc->summary_len, out, false);
    replace(&doc->toc, &doc->toc_len, out, false);
    size_t words = html_word_count(doc->html, doc->html_len);
    doc->words = words > INT_MAX ? INT_MAX : (int)words;
}
