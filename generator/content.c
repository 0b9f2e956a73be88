/*
 * content: content/ into pages.
 *
 * Scanning walks the folder in sorted order (so every later stage sees the
 * same order on every machine), following symbolic links but refusing a
 * folder that is its own ancestor.  Each Markdown file becomes a page; a
 * folder with an index.md is a page bundle whose other files are copied
 * beside the page; _index.md gives a section (or the home) its own front
 * matter and text.  Files that are not Markdown are copied as they are.
 *
 * Parsing a page (one thread per page at a time) reads the file, refuses
 * NUL bytes and invalid UTF-8, splits the front matter off, types every
 * key it knows and keeps the rest as free params.  After link, the
 * Markdown of each page is rendered, its shortcodes expanded around it
 * (shortcode.c).  Every problem becomes a file:line:col diagnostic;
 * parsing goes on so one build reports them all.
 */
#include "fs.h"
#include "site.h"
#include "utf8.h"

#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

enum { MAX_CONTENT_FILE = 16 * 1024 * 1024, MAX_DEPTH = 64 };

/* ---- scan ------------------------------------------------------------ */

typedef struct walk {
    site *s;
    diags *d;
    struct {
        dev_t dev;
        ino_t ino;
    } stack[MAX_DEPTH];
    int depth;
    int failed;
} walk;

static int
ends_with(const char *s, const char *suffix)
{
    size_t n = strlen(s), m = strlen(suffix);
    return n >= m && strcmp(s + n - m, suffix) == 0;
}

static int
is_markdown(const char *name)
{
    return ends_with(name, ".md") || ends_with(name, ".markdown");
}

static char **
list_dir(walk *w, const char *path, size_t *n, unsigned char **types)
{
    int err;
    char **v = fs_list_dir_typed(path, n, types, &err);
    if (!v) {
        diag_add(w->d, DIAG_ERROR, path, 0, 0, "cannot open folder: %s", strerror(err));
        w->failed = 1;
    }
    return v;
}

page *
site_add_page(site *s, enum page_kind kind)
{
    page *p = arena_calloc(&s->mem, 1, sizeof(*p));
    p->kind = kind;
    p->site = s;
    p->section = "";
    if (s->npages == s->cappages) {
        s->cappages = s->cappages ? s->cappages * 2 : 256;
        s->pages = xreallocarray(s->pages, s->cappages, sizeof(*s->pages));
    }
    s->pages[s->npages++] = p;
    return p;
}

static char *
join(arena *a, const char *x, const char *y)
{
    size_t nx = strlen(x), ny = strlen(y);
    if (nx == 0) return arena_strdup(a, y);
    char *r = arena_alloc(a, nx + ny + 2);
    memcpy(r, x, nx);
    r[nx] = '/';
    memcpy(r + nx + 1, y, ny + 1);
    return r;
}

/* The section of a file at rel: its first folder ("_posts" is Jekyll's
 * posts folder and becomes "posts"). */
static const char *
section_of(site *s, const char *rel)
{
    const char *slash = strchr(rel, '/');
    if (!slash) return "";
    if ((size_t)(slash - rel) == 6 && strncmp(rel, "_posts", 6) == 0) return "posts";
    return arena_strndup(&s->mem, rel, (size_t)(slash - rel));
}

static page *
add_content_page(walk *w, const char *rel, const char *dir)
{
    site *s = w->s;
    const char *base = strrchr(rel, '/');
    base = base ? base + 1 : rel;
    page *p;
    if (strcmp(base, "_index.md") == 0 || strcmp(base, "_index.markdown") == 0) {
        p = site_add_page(s, base == rel ? PK_HOME : PK_SECTION);
    } else {
        p = site_add_page(s, PK_PAGE);
    }
    p->rel = arena_strdup(&s->mem, rel);
    p->file = join(&s->mem, s->content_dir, rel);
    p->section = section_of(s, rel);
    p->dir = dir ? arena_strdup(&s->mem, dir) : NULL;
    /* the name a slug defaults to: the file's, or a bundle's folder's */
    const char *name = base;
    size_t n = strlen(name);
    if (dir) {
        const char *ds = strrchr(dir, '/');
        name = ds ? ds + 1 : dir;
        n = strlen(name);
    } else {
        n -= ends_with(name, ".markdown") ? 9 : 3;
    }
    p->filename = arena_strndup(&s->mem, name, n);
    return p;
}

/* Adds every file under bundle folder rel (but index.md) as a resource. */
static void
add_resources(walk *w, page *p, const char *path, const char *rel)
{
    size_t n;
    char **names = list_dir(w, path, &n, NULL);
    for (size_t i = 0; i < n; i++) {
        char *fp = join(&w->s->mem, path, names[i]);
        char *fr = join(&w->s->mem, rel, names[i]);
        struct stat st;
        if (stat(fp, &st) < 0) {
            diag_add(w->d, DIAG_ERROR, fp, 0, 0, "%s", strerror(errno));
            w->failed = 1;
        } else if (S_ISDIR(st.st_mode)) {
            add_resources(w, p, fp, fr);
        } else if (strcmp(fr + strlen(p->dir) + 1, "index.md") != 0 &&
                   strcmp(fr + strlen(p->dir) + 1, "index.markdown") != 0) {
            p->resources.v =
                xreallocarray((void *)p->resources.v, p->resources.n + 1, sizeof(char *));
            p->resources.v[p->resources.n++] = fr;
        }
    }
    fs_free_list(names, n);
}

static void
walk_dir(walk *w, const char *path, const char *rel)
{
    struct stat st;
    if (stat(path, &st) < 0) {
        diag_add(w->d, DIAG_ERROR, path, 0, 0,
                 errno == ELOOP ? "symbolic link loop: the link points back to itself"
                                : "cannot read: %s",
                 strerror(errno));
        w->failed = 1;
        return;
    }
    for (int i = 0; i < w->depth; i++) {
        if (w->stack[i].dev == st.st_dev && w->stack[i].ino == st.st_ino) {
            diag_add(w->d, DIAG_ERROR, path, 0, 0,
                     "symbolic link loop: this folder is one of its own parents; remove the "
                     "link");
            w->failed = 1;
            return;
        }
    }
    if (w->depth == MAX_DEPTH) {
        diag_add(w->d, DIAG_ERROR, path, 0, 0, "folders nest deeper than %d levels", MAX_DEPTH);
        w->failed = 1;
        return;
    }
    w->stack[w->depth].dev = st.st_dev;
    w->stack[w->depth].ino = st.st_ino;
    w->depth++;
    size_t n;
    unsigned char *types = NULL;
    char **names = list_dir(w, path, &n, &types);
    /* a folder with index.md (not the top) is a page bundle */
    for (size_t i = 0; i < n && rel[0]; i++) {
        if (strcmp(names[i], "index.md") == 0 || strcmp(names[i], "index.markdown") == 0) {
            page *p = add_content_page(w, join(&w->s->mem, rel, names[i]), rel);
            add_resources(w, p, path, rel);
            fs_free_list(names, n);
            free(types);
            w->depth--;
            return;
        }
    }
    for (size_t i = 0; i < n; i++) {
        char *fp = join(&w->s->mem, path, names[i]);
        char *fr = join(&w->s->mem, rel, names[i]);
        /* readdir's type spares a stat per file (10,000 in a big blog's
         * posts/); links and unknown types are followed by stat */
        if (types[i] == DT_REG)
            st.st_mode = S_IFREG;
        else if (types[i] == DT_DIR)
            st.st_mode = S_IFDIR; /* walk_dir stats it, for loops */
        else if (stat(fp, &st) < 0) {
            if (errno == ELOOP)
                diag_add(w->d, DIAG_ERROR, fp, 0, 0,
                         "symbolic link loop: the link points back to itself");
            else
                diag_add(w->d, DIAG_ERROR, fp, 0, 0, "cannot read: %s", strerror(errno));
            w->failed = 1;
            continue;
        }
        if (S_ISDIR(st.st_mode)) {
            walk_dir(w, fp, fr);
        } else if (is_markdown(names[i])) {
            add_content_page(w, fr, NULL);
        } else {
            /* a plain file in content/: published at the same path */
            strs *f = &w->s->files;
            f->v = xreallocarray((void *)f->v, f->n + 1, sizeof(char *));
            f->v[f->n++] = fr;
        }
    }
    fs_free_list(names, n);
    free(types);
    w->depth--;
}

int
content_scan(site *s, diags *d)
{
    walk w = {.s = s, .d = d};
    struct stat st;
    if (stat(s->content_dir, &st) < 0 || !S_ISDIR(st.st_mode)) {
        diag_add(d, DIAG_ERROR, s->content_dir, 0, 0,
                 "no content folder: create it and put Markdown files in it");
        return -1;
    }
    walk_dir(&w, s->content_dir, "");
    return w.failed ? -1 : 0;
}

/* ---- parse ----------------------------------------------------------- */

typedef struct fmctx {
    site *s;
    page *p;
    arena *a;
    diags *d;
    int failed;
} fmctx;

static void fm_err(fmctx *c, const char *key, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Reports at the place of key's value (or the file's start). */
static void
fm_err(fmctx *c, const char *key, const char *fmt, ...)
{
    yamlv_loc w = yamlv_where(&c->p->fm, key);
    va_list ap;
    va_start(ap, fmt);
    diag_vadd(c->d, DIAG_ERROR, c->p->file, w.line ? w.line : 1, w.line ? w.col : 1, fmt, ap);
    va_end(ap);
    c->failed = 1;
}

static const char *
fm_str(fmctx *c, const char *key)
{
    val v;
    if (!val_get(c->p->params, key, strlen(key), NULL, &v) || v.type == VAL_NULL) return NULL;
    if (v.type == VAL_INT || v.type == VAL_FLOAT || v.type == VAL_BOOL)
        return val_to_str(v, c->a).u.str.s; /* title: 1984 */
    if (v.type != VAL_STR) {
        fm_err(c, key, "'%s' must be text, not a %s", key, val_type_name(v));
        return NULL;
    }
    return v.u.str.s;
}

static bool
fm_time(fmctx *c, const char *key, dt *out)
{
    val v;
    if (!val_get(c->p->params, key, strlen(key), NULL, &v) || v.type == VAL_NULL) return false;
    if (v.type == VAL_TIME) {
        *out = v.u.time;
        return true;
    }
    if (v.type == VAL_STR) {
        size_t errpos;
        const char *why;
        if (dt_parse(v.u.str.s, v.u.str.n, c->s->cfg.default_offset, out, &errpos, &why) == 0)
            return true;
        fm_err(c, key,
               "'%s': cannot read \"%s\" as a date (%s at character %zu); write it as "
               "2006-01-02 or 2006-01-02T15:04:05+07:00",
               key, v.u.str.s, why, errpos + 1);
        return false;
    }
    fm_err(c, key, "'%s' must be a date like 2006-01-02T15:04:05+07:00, not a %s", key,
           val_type_name(v));
    return false;
}

/* A list of strings; a single string is one item, or several separated
 * by spaces when split (Jekyll's "categories: a b"). */
static strs
fm_strs(fmctx *c, const char *key, bool split)
{
    strs r = {NULL, 0};
    val v;
    if (!val_get(c->p->params, key, strlen(key), NULL, &v) || v.type == VAL_NULL) return r;
    if (v.type == VAL_STR) {
        const char **items = arena_calloc(c->a, v.u.str.n / 2 + 2, sizeof(char *));
        const char *s = v.u.str.s, *e = s + v.u.str.n;
        if (!split) {
            if (v.u.str.n) items[r.n++] = s;
        } else {
            while (s < e) {
                while (s < e && (*s == ' ' || *s == '\t'))
                    s++;
                const char *t = s;
                while (t < e && *t != ' ' && *t != '\t')
                    t++;
                if (t > s) items[r.n++] = arena_strndup(c->a, s, (size_t)(t - s));
                s = t;
            }
        }
        r.v = items;
        return r;
    }
    if (v.type != VAL_LIST) {
        fm_err(c, key, "'%s' must be a list of text, like [a, b], not a %s", key, val_type_name(v));
        return r;
    }
    const char **items = arena_calloc(c->a, v.u.list.n + 1, sizeof(char *));
    for (size_t i = 0; i < v.u.list.n; i++) {
        val e = v.u.list.items[i];
        if (e.type == VAL_INT || e.type == VAL_FLOAT) e = val_to_str(e, c->a);
        if (e.type != VAL_STR || e.u.str.n == 0) {
            fm_err(c, key, "'%s': item %zu must be non-empty text, not a %s", key, i + 1,
                   val_type_name(e));
            continue;
        }
        items[r.n++] = e.u.str.s;
    }
    r.v = items;
    return r;
}

static void
read_front_matter(fmctx *c)
{
    page *p = c->p;
    site *s = c->s;
    if (p->params.type != VAL_MAP) {
        p->params = val_map(NULL, 0);
        return;
    }
    p->title = fm_str(c, "title");
    p->slug = fm_str(c, "slug");
    p->url_fm = fm_str(c, "url");
    if (!p->url_fm) p->url_fm = fm_str(c, "permalink"); /* Jekyll */
    p->description = fm_str(c, "description");
    p->summary_fm = fm_str(c, "summary");
    p->layout = fm_str(c, "layout");
    p->type = fm_str(c, "type");
    p->excerpt_sep = fm_str(c, "excerpt_separator"); /* Jekyll */
    if (p->excerpt_sep && !p->excerpt_sep[0]) p->excerpt_sep = NULL;
    p->has_date = fm_time(c, "date", &p->date);
    p->has_lastmod = fm_time(c, "lastmod", &p->lastmod);
    p->has_publish = fm_time(c, "publishDate", &p->publish);
    p->has_expiry = fm_time(c, "expiryDate", &p->expiry);
    val v;
    /* "published": Jekyll's false is a draft; Hugo's is a publishDate */
    if (val_get(p->params, "published", 9, NULL, &v) && v.type != VAL_NULL) {
        if (v.type == VAL_BOOL)
            p->draft = p->draft || !v.u.b;
        else if (!p->has_publish)
            p->has_publish = fm_time(c, "published", &p->publish);
    }
    if (val_get(p->params, "draft", 5, NULL, &v) && v.type != VAL_NULL) {
        if (v.type != VAL_BOOL)
            fm_err(c, "draft", "'draft' must be true or false, not a %s", val_type_name(v));
        else
            p->draft = p->draft || v.u.b;
    }
    if (val_get(p->params, "weight", 6, NULL, &v) && v.type != VAL_NULL) {
        if (v.type != VAL_INT)
            fm_err(c, "weight", "'weight' must be a whole number, not a %s", val_type_name(v));
        else
            p->weight = v.u.i;
    }
    if (p->url_fm && p->url_fm[0] != '/')
        fm_err(c, p->fm.nlocs && yamlv_where(&p->fm, "url").line ? "url" : "permalink",
               "'url' must be a path that starts with '/', like /about/");
    p->aliases = fm_strs(c, "aliases", false);
    for (size_t i = 0; i < p->aliases.n; i++)
        if (p->aliases.v[i][0] != '/')
            fm_err(c, "aliases", "'aliases': \"%s\" must be a path that starts with '/'",
                   p->aliases.v[i]);
    p->images = fm_strs(c, "images", false);
    p->terms_fm = arena_calloc(c->a, s->cfg.ntaxonomies + 1, sizeof(strs));
    for (size_t t = 0; t < s->cfg.ntaxonomies; t++) {
        const char *key = s->cfg.taxonomies[t].plural;
        /* Jekyll writes "categories: a b" as one string of several */
        p->terms_fm[t] = fm_strs(c, key, strcmp(key, "categories") == 0);
    }
    p->landing = p->layout && strcmp(p->layout, "landing") == 0;
}

/* Jekyll names: 2021-04-13-slug.md gives the date and the slug. */
static void
jekyll_name(fmctx *c)
{
    page *p = c->p;
    const char *n = p->filename;
    if (strlen(n) < 12 || n[10] != '-') return;
    dt t;
    size_t errpos;
    const char *why;
    if (dt_parse(n, 10, c->s->cfg.default_offset, &t, &errpos, &why) != 0) return;
    if (!p->has_date) {
        p->date = t;
        p->has_date = true;
    }
    p->filename = n + 11;
}

/* Finds the end of front matter: a line "---" (or "..."). */
static int
split_front_matter(fmctx *c, const char *text, size_t len, size_t *fm_start, size_t *fm_end,
                   size_t *body)
{
    size_t i = 0;
    if (len >= 3 && memcmp(text, "\xEF\xBB\xBF", 3) == 0) i = 3; /* a byte order mark */
    *fm_start = *fm_end = *body = i;
    if (!(len - i >= 3 && memcmp(text + i, "---", 3) == 0 &&
          (len - i == 3 || text[i + 3] == '\n' || text[i + 3] == '\r')))
        return 0; /* no front matter: all body */
    size_t line = i + 3;
    while (line < len && text[line] != '\n')
        line++;
    *fm_start = line < len ? line + 1 : len;
    for (size_t p = *fm_start; p < len;) {
        size_t e = p;
        while (e < len && text[e] != '\n')
            e++;
        size_t le = e;
        if (le > p && text[le - 1] == '\r') le--;
        if (le - p == 3 && (memcmp(text + p, "---", 3) == 0 || memcmp(text + p, "...", 3) == 0)) {
            *fm_end = p;
            *body = e < len ? e + 1 : len;
            return 0;
        }
        p = e + 1;
    }
    diag_add(c->d, DIAG_ERROR, c->p->file, 1, 1,
             "front matter opened here is never closed: add a line '---' after it");
    c->failed = 1;
    return -1;
}

static int
count_lines(const char *s, size_t n)
{
    int lines = 0;
    for (size_t i = 0; i < n; i++)
        lines += s[i] == '\n';
    return lines;
}

int
content_parse(site *s, page *p, arena *a, diags *d)
{
    fmctx c = {s, p, a, d, 0};
    char *text = NULL;
    size_t len = 0;
    int err = fs_read_file(p->file, MAX_CONTENT_FILE, &text, &len);
    if (err == EFBIG) {
        diag_add(d, DIAG_ERROR, p->file, 0, 0, "file larger than %d MiB; split it",
                 MAX_CONTENT_FILE >> 20);
        return -1;
    }
    if (err) {
        diag_add(d, DIAG_ERROR, p->file, 0, 0, "cannot read: %s", strerror(err));
        return -1;
    }
    const char *nul = memchr(text, '\0', len);
    size_t bad = utf8_check(text, len);
    if (nul || bad < len) {
        size_t off = nul && (size_t)(nul - text) < bad ? (size_t)(nul - text) : bad;
        int line, col;
        diag_linecol(text, off, &line, &col);
        diag_add(d, DIAG_ERROR, p->file, line, col,
                 nul && (size_t)(nul - text) == off
                     ? "NUL byte in a text file; is this really Markdown?"
                     : "invalid UTF-8; save the file as UTF-8");
        free(text);
        return -1;
    }
    /* kept until the body's Markdown is rendered (content_markdown) */
    char *kept = p->source = text;
    size_t fs, fe, body;
    if (split_front_matter(&c, kept, len, &fs, &fe, &body) < 0) return -1;
    if (fe > fs) {
        int first_line = 1 + count_lines(kept, fs);
        if (yamlv_parse_tz(kept + fs, fe - fs, p->file, first_line, s->cfg.default_offset, a,
                           &p->fm, d) < 0)
            return -1;
        p->params = p->fm.root;
        if (p->params.type != VAL_MAP && p->params.type != VAL_NULL) {
            diag_add(d, DIAG_ERROR, p->file, first_line, 1,
                     "front matter must be a map of keys (title: ...), not a %s",
                     val_type_name(p->params));
            return -1;
        }
    }
    read_front_matter(&c);
    if (p->kind == PK_PAGE) jekyll_name(&c);
    p->body = kept + body;
    p->body_len = len - body;
    p->body_line = 1 + count_lines(kept, body);
    return c.failed ? -1 : 0;
}

/* Hugo's markdownify: text rendered as Markdown (with the site's
 * settings), one paragraph without its <p>; a {{< >}} shortcode's
 * template writes {{ inner|markdownify }}. */
static int
f_markdownify(const tmpl_fctx *c, val in, const val *arg, val *out)
{
    const site *s = tmpl_env_host(c->env);
    val t = val_to_str(in, c->a);
    md_opts mo = {s && s->cfg.unsafe_html, s && s->cfg.smart, 70, 2, 4, NULL};
    md_doc doc;
    diags d = DIAGS_INIT;
    if (md_render(t.u.str.s, t.u.str.n, &mo, &doc, "markdownify", 1, &d) < 0) {
        buf_puts(c->err, d.n ? d.v[0].msg : "cannot render the Markdown");
        diags_free(&d);
        return -1;
    }
    const char *h = doc.html;
    size_t n = doc.html_len;
    md_unwrap_paragraph(&h, &n);
    *out = val_safe(arena_strndup(c->a, h, n), n);
    md_free(&doc);
    diags_free(&d);
    return 0;
}

int
content_shortcodes(site *s, diags *d)
{
    int rc = 0;
    tmpl_env_add_filter(s->env, "markdownify", f_markdownify, TMPL_ARG_NONE, 0);
    s->shortcodes = sc_env_new();
    buf dir = BUF_INIT;
    buf_printf(&dir, "%s/shortcodes", s->o->src);
    if (sc_env_load_dir(s->shortcodes, s->env, dir.data, d) < 0) rc = -1;
    if (s->theme_dir) {
        buf_reset(&dir);
        buf_printf(&dir, "%s/shortcodes", s->theme_dir);
        if (sc_env_load_dir(s->shortcodes, s->env, dir.data, d) < 0) rc = -1;
    }
    buf_free(&dir);
    for (size_t i = 0; i < s->npages; i++) {
        const page *p = s->pages[i];
        if (p->rel) sc_env_add_page(s->shortcodes, p->rel, p->url, p->permalink);
    }
    sc_env_finish(s->shortcodes);
    return rc;
}

/* The page's Markdown rendered (or failed): nothing reads its source after. */
static int
drop_source(page *p, int r)
{
    free(p->source);
    p->source = NULL;
    p->body = NULL;
    p->body_len = 0;
    return r;
}

int
content_markdown(site *s, page *p, diags *d)
{
    if (!p->body || !p->url) return 0; /* generated, or not published */
    /* a bundle's relative links point into its folder: keep them working
     * in summaries and feeds shown at other URLs */
    md_opts mo = {s->cfg.unsafe_html, s->cfg.smart, s->cfg.summary_words, 2, 4, p->url};
    if (sc_plain(p->body, p->body_len, p->excerpt_sep)) /* most posts: nothing to expand */
        return drop_source(p,
                           md_render(p->body, p->body_len, &mo, &p->md, p->file, p->body_line, d));
    sc_page sp = {.env = s->shortcodes,
                  .file = p->file,
                  .first_line = p->body_line,
                  .rel = p->rel,
                  .url = p->url,
                  .permalink = p->permalink,
                  .md = &mo,
                  .excerpt_sep = p->excerpt_sep,
                  .page = ctx_page(p),
                  .site = val_obj(&ctx_site_class, s),
                  .now = s->o->now};
    sc_out so;
    int r = sc_expand(&sp, p->body, p->body_len, &so, d);
    if (r == 0) r = md_render(so.md, so.md_len, &mo, &p->md, p->file, p->body_line, d);
    if (r == 0) sc_apply(&so, &p->md);
    sc_out_free(&so);
    return drop_source(p, r);
}

bool
content_published(const site *s, const page *p)
{
    const build_opts *o = s->o;
    if (p->draft && !o->drafts) return false;
    if (!o->future) {
        if (p->has_date && dt_cmp(p->date, o->now) > 0) return false;
        if (p->has_publish && dt_cmp(p->publish, o->now) > 0) return false;
    }
    if (!o->expired && p->has_expiry && dt_cmp(p->expiry, o->now) <= 0) return false;
    return true;
}
