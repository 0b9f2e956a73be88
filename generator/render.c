/*
 * render: every output file of the site, through its template.
 *
 * First, single-threaded, the list of outputs is made (each page, each
 * pager page of a long list, each feed, alias redirects, the sitemap,
 * robots.txt, 404.html) and each is given its template by the lookup
 * order below; every template is compiled before any thread starts.
 * Then the outputs are rendered on all cores, each with its own arena and
 * buffer, and written into the staging folder.  Files to copy (static
 * folders, bundle resources, plain files in content/) are copied first,
 * in order, on the calling thread (asset.c has already chosen which file
 * wins a path), and nothing is written twice (check_outputs).
 *
 * Template lookup order, first found wins (site templates/ before the
 * theme's templates/):
 *   page      TYPE/LAYOUT.html SECTION/LAYOUT.html _default/LAYOUT.html
 *             TYPE/single.html SECTION/single.html _default/single.html
 *             (TYPE defaults to the section, "page" at the top; LAYOUT
 *             only when the front matter names one)
 *   home      index.html home.html _default/home.html _default/list.html
 *   section   SECTION/list.html section/SECTION.html _default/section.html
 *             _default/list.html
 *   taxonomy  PLURAL/terms.html _default/terms.html _default/list.html
 *   term      PLURAL/term.html _default/term.html _default/list.html
 *   feeds     SECTION/rss.xml or PLURAL/rss.xml, rss.xml, _default/rss.xml
 *   others    sitemap.xml, robots.txt, 404.html, alias.html
 *   _home/anon/ (with site.yaml landing:) anon/LAYOUT.html, then as a page
 *   _home/users/ users/index.html, then as the home
 * Feeds, sitemap, robots.txt, 404 and alias pages have built-in defaults.
 */
#include "output.h"
#include "pool.h"
#include "site.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

enum out_kind { O_HTML, O_FEED, O_ALIAS, O_SITEMAP, O_OTHER };

typedef struct output {
    enum out_kind kind;
    const page *p;
    pager pg; /* number 0: not paginated */
    const tmpl *t;
    const char *path;     /* under the output folder */
    const char *alias_to; /* O_ALIAS: absolute URL */
} output;

typedef struct copyjob {
    const char *src;
    const char *rel;
} copyjob;

typedef struct plan {
    site *s;
    output *outs;
    size_t nouts, capouts;
    copyjob *copies;
    size_t ncopies, capcopies;
    int root;      /* staging, open: output paths walk from here */
    arena *arenas; /* per thread */
    buf *bufs;
    diags *ds;
    plist all; /* every HTML page, for the sitemap */
} plan;

static const char builtin_rss[] =
    "<?xml version=\"1.0\" encoding=\"utf-8\" standalone=\"yes\"?>\n"
    "<rss version=\"2.0\" xmlns:atom=\"http://www.w3.org/2005/Atom\">\n"
    "  <channel>\n"
    "    <title>{{ feed.title }}</title>\n"
    "    <link>{{ feed.link }}</link>\n"
    "    <description>{{ feed.description }}</description>\n"
    "    <generator>hone</generator>\n"
    "    <language>{{ site.language }}</language>\n"
    "{% if feed.last_build %}    <lastBuildDate>{{ feed.last_build|date:\"r\" }}</lastBuildDate>\n"
    "{% endif %}"
    "    <atom:link href=\"{{ feed.self }}\" rel=\"self\" type=\"application/rss+xml\"/>\n"
    "{% for p in feed.items %}    <item>\n"
    "      <title>{{ p.title }}</title>\n"
    "      <link>{{ p.permalink }}</link>\n"
    "{% if p.date %}      <pubDate>{{ p.date|date:\"r\" }}</pubDate>\n{% endif %}"
    "      <guid>{{ p.permalink }}</guid>\n"
    "      <description>{% if feed.full %}{{ p.content|cdata }}{% else %}"
    "{{ p.summary|cdata }}{% endif %}</description>\n"
    "    </item>\n"
    "{% endfor %}  </channel>\n"
    "</rss>\n";

static const char builtin_sitemap[] =
    "<?xml version=\"1.0\" encoding=\"utf-8\" standalone=\"yes\"?>\n"
    "<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n"
    "{% for p in sitemap %}  <url>\n"
    "    <loc>{{ p.permalink }}</loc>\n"
    "{% if p.lastmod %}    <lastmod>{{ p.lastmod|date:\"c\" }}</lastmod>\n{% endif %}"
    "  </url>\n"
    "{% endfor %}</urlset>\n";

static const char builtin_robots[] = "User-agent: *\nSitemap: {{ site.base_url }}sitemap.xml\n";

static const char builtin_alias[] =
    "<!DOCTYPE html>\n<html lang=\"{{ site.language }}\">\n<head>\n"
    "<title>{{ alias }}</title>\n<link rel=\"canonical\" href=\"{{ alias }}\">\n"
    "<meta name=\"robots\" content=\"noindex\">\n<meta charset=\"utf-8\">\n"
    "<meta http-equiv=\"refresh\" content=\"0; url={{ alias }}\">\n</head>\n</html>\n";

static const char builtin_404[] =
    "<!DOCTYPE html>\n<html lang=\"{{ site.language }}\">\n<head>\n<meta charset=\"utf-8\">\n"
    "<title>Page not found | {{ site.title }}</title>\n</head>\n<body>\n"
    "<h1>Page not found</h1>\n<p><a href=\"{{ site.base_path }}\">{{ site.title }}</a></p>\n"
    "</body>\n</html>\n";

void
render_add_builtins(tmpl_env *env)
{
    tmpl_env_add_string(env, "_builtin/rss.xml", builtin_rss, sizeof(builtin_rss) - 1);
    tmpl_env_add_string(env, "_builtin/sitemap.xml", builtin_sitemap, sizeof(builtin_sitemap) - 1);
    tmpl_env_add_string(env, "_builtin/robots.txt", builtin_robots, sizeof(builtin_robots) - 1);
    tmpl_env_add_string(env, "_builtin/alias.html", builtin_alias, sizeof(builtin_alias) - 1);
    tmpl_env_add_string(env, "_builtin/404.html", builtin_404, sizeof(builtin_404) - 1);
}

/* ---- template lookup ------------------------------------------------- */

/* Template names to try, in order. */
typedef struct tnames {
    buf v[12];
    size_t n;
} tnames;

/* Adds the name a + b + c (each may be NULL). */
static void
add_name(tnames *ns, const char *a, const char *b, const char *c)
{
    if (ns->n == 12) return;
    buf *t = &ns->v[ns->n++];
    buf_init(t);
    buf_puts(t, a ? a : "");
    buf_puts(t, b ? b : "");
    buf_puts(t, c ? c : "");
}

static void
names_free(tnames *ns)
{
    for (size_t i = 0; i < ns->n; i++)
        buf_free(&ns->v[i]);
}

/* Candidates for a page, in lookup order. */
static void
candidates(const page *p, int feed, tnames *ns)
{
    const char *sec = p->section;
    memset(ns, 0, sizeof(*ns));
    if (feed) {
        if (p->kind == PK_SECTION) add_name(ns, sec, "/rss.xml", NULL);
        if (p->kind == PK_TERM) add_name(ns, p->tax->cfg->plural, "/rss.xml", NULL);
        add_name(ns, "rss.xml", NULL, NULL);
        add_name(ns, "_default/rss.xml", NULL, NULL);
        add_name(ns, "_builtin/rss.xml", NULL, NULL);
        return;
    }
    switch (p->kind) {
    case PK_PAGE: {
        const char *type = p->type ? p->type : sec[0] ? sec : "page";
        int other = sec[0] && strcmp(sec, type) != 0;
        if (p->layout) {
            add_name(ns, type, "/", p->layout);
            if (other) add_name(ns, sec, "/", p->layout);
            add_name(ns, "_default/", p->layout, NULL);
            /* the .html ending */
            for (size_t i = 0; i < ns->n; i++)
                buf_puts(&ns->v[i], ".html");
        }
        add_name(ns, type, "/single.html", NULL);
        if (other) add_name(ns, sec, "/single.html", NULL);
        add_name(ns, "_default/single.html", NULL, NULL);
        break;
    }
    case PK_HOME:
        add_name(ns, "index.html", NULL, NULL);
        add_name(ns, "home.html", NULL, NULL);
        add_name(ns, "_default/home.html", NULL, NULL);
        add_name(ns, "_default/list.html", NULL, NULL);
        break;
    case PK_SECTION:
        add_name(ns, sec, "/list.html", NULL);
        add_name(ns, "section/", sec, ".html");
        add_name(ns, "_default/section.html", NULL, NULL);
        add_name(ns, "_default/list.html", NULL, NULL);
        break;
    case PK_TAXONOMY:
        add_name(ns, p->tax->cfg->plural, "/terms.html", NULL);
        add_name(ns, "_default/terms.html", NULL, NULL);
        add_name(ns, "_default/list.html", NULL, NULL);
        break;
    case PK_TERM:
        add_name(ns, p->tax->cfg->plural, "/term.html", NULL);
        add_name(ns, "_default/term.html", NULL, NULL);
        add_name(ns, "_default/list.html", NULL, NULL);
        break;
    }
}

/* The first candidate that exists, compiled; reports when none does. */
static const tmpl *
find_template(site *s, const char *file, tnames *ns, diags *d)
{
    for (size_t i = 0; i < ns->n; i++) {
        const char *name = buf_cstr(&ns->v[i]);
        if (tmpl_env_exists(s->env, name))
            return tmpl_env_load(s->env, name, d); /* reports its own errors */
    }
    buf tried = BUF_INIT;
    for (size_t i = 0; i < ns->n; i++)
        buf_printf(&tried, "%s%s", i ? ", " : "", buf_cstr(&ns->v[i]));
    diag_add(d, DIAG_ERROR, file, 0, 0,
             "no template for this page in the theme's templates/; looked for: %s",
             buf_cstr(&tried));
    buf_free(&tried);
    return NULL;
}

static const tmpl *
named_template(site *s, const char *name, const char *builtin, diags *d)
{
    tnames ns = {0};
    add_name(&ns, name, NULL, NULL);
    add_name(&ns, "_default/", name, NULL);
    if (builtin) add_name(&ns, builtin, NULL, NULL);
    const tmpl *t = find_template(s, s->cfg.path, &ns, d);
    names_free(&ns);
    return t;
}

/* ---- the plan -------------------------------------------------------- */

static output *
add_out(plan *pl, enum out_kind kind, const page *p, const tmpl *t, const char *path)
{
    if (pl->nouts == pl->capouts) {
        pl->capouts = pl->capouts ? pl->capouts * 2 : 1024;
        pl->outs = xreallocarray(pl->outs, pl->capouts, sizeof(output));
    }
    output *o = &pl->outs[pl->nouts++];
    memset(o, 0, sizeof(*o));
    o->kind = kind;
    o->p = p;
    o->t = t;
    o->path = path;
    return o;
}

static void
add_copy(plan *pl, const char *src, const char *rel)
{
    if (pl->ncopies == pl->capcopies) {
        pl->capcopies = pl->capcopies ? pl->capcopies * 2 : 256;
        pl->copies = xreallocarray(pl->copies, pl->capcopies, sizeof(copyjob));
    }
    pl->copies[pl->ncopies].src = src;
    pl->copies[pl->ncopies].rel = rel;
    pl->ncopies++;
}

static const char *
list_dir_of(const page *p, arena *a)
{
    /* "posts/index.html" -> "posts/" ; "index.html" -> "" */
    const char *slash = strrchr(p->out, '/');
    return slash ? arena_strndup(a, p->out, (size_t)(slash - p->out + 1)) : "";
}

static void
add_alias(plan *pl, const page *p, const char *path, const tmpl *t)
{
    site *s = pl->s;
    buf b = BUF_INIT;
    while (*path == '/')
        path++;
    buf_puts(&b, path);
    size_t n = strlen(path);
    if (n == 0 || path[n - 1] == '/')
        buf_puts(&b, "index.html");
    else if (!strchr(strrchr(path, '/') ? strrchr(path, '/') : path, '.'))
        buf_puts(&b, "/index.html");
    output *o = add_out(pl, O_ALIAS, p, t, arena_strndup(&s->mem, buf_cstr(&b), b.len));
    o->alias_to = p->permalink;
    buf_free(&b);
}

static void
add_html(plan *pl, page *p, const tmpl *t)
{
    site *s = pl->s;
    size_t per = (size_t)s->cfg.paginate;
    int paginated = p->kind == PK_HOME || p->kind == PK_SECTION || p->kind == PK_TERM;
    size_t total = paginated && p->pages.n > per ? (p->pages.n + per - 1) / per : 1;
    for (size_t k = 1; k <= total; k++) {
        const char *path = p->out;
        if (k > 1) {
            buf b = BUF_INIT;
            buf_printf(&b, "%spage/%zu/index.html", list_dir_of(p, &s->mem), k);
            path = arena_strndup(&s->mem, buf_cstr(&b), b.len);
            buf_free(&b);
        }
        output *o = add_out(pl, O_HTML, p, t, path);
        if (paginated) {
            o->pg.list = p;
            o->pg.number = k;
            o->pg.total = total;
            size_t from = (k - 1) * per;
            size_t to = from + per < p->pages.n ? from + per : p->pages.n;
            o->pg.items.v = p->pages.v + from;
            o->pg.items.n = to - from;
        }
    }
}

static int
cmp_url(const void *a, const void *b)
{
    return strcmp((*(page *const *)a)->url, (*(page *const *)b)->url);
}

/* ---- the two homes (DESIGN.md: the dimorphic home page) -------------- */

/* Candidates for a home: the folder's own name first (anon/LAYOUT.html or
 * users/index.html), then the usual lookup for the page. */
static const tmpl *
home_template(site *s, const page *p, const char *first, diags *d)
{
    tnames ns, rest;
    memset(&ns, 0, sizeof(ns));
    add_name(&ns, first, NULL, NULL);
    candidates(p, 0, &rest);
    for (size_t i = 0; i < rest.n; i++)
        add_name(&ns, buf_cstr(&rest.v[i]), NULL, NULL);
    names_free(&rest);
    const tmpl *t = find_template(s, p->file, &ns, d);
    names_free(&ns);
    return t;
}

/* With `landing:` in site.yaml, hone-fcgi picks one of two homes for "/":
 * _home/anon/ is the landing page, _home/users/ the blog's home (its
 * first page).  nginx serves them only internally. */
static void
add_homes(plan *pl, diags *d)
{
    site *s = pl->s;
    const char *name = s->cfg.landing;
    if (strncmp(name, "content/", 8) == 0) name += 8;
    page *lp = NULL;
    for (size_t i = 0; i < s->regular.n && !lp; i++)
        if (s->regular.v[i]->rel && strcmp(s->regular.v[i]->rel, name) == 0) lp = s->regular.v[i];
    if (!lp || !lp->landing) {
        diag_add(d, DIAG_ERROR, s->cfg.path, 0, 0, "landing: '%s' %s", s->cfg.landing,
                 lp ? "has no 'layout: landing' in its front matter"
                    : "is not a published page: name a file under content/, like landing.md");
        return;
    }
    buf b = BUF_INIT;
    buf_printf(&b, "anon/%s.html", lp->layout);
    const tmpl *t = home_template(s, lp, buf_cstr(&b), d);
    buf_free(&b);
    if (t) add_out(pl, O_HTML, lp, t, "_home/anon/index.html");
    if (!(t = home_template(s, s->home, "users/index.html", d))) return;
    output *o = add_out(pl, O_HTML, s->home, t, "_home/users/index.html");
    size_t per = (size_t)s->cfg.paginate, n = s->home->pages.n;
    o->pg.list = s->home;
    o->pg.number = 1;
    o->pg.total = n > per ? (n + per - 1) / per : 1;
    o->pg.items.v = s->home->pages.v;
    o->pg.items.n = n < per ? n : per;
}

static int
make_plan(plan *pl, diags *d)
{
    site *s = pl->s;
    const tmpl *alias_t = named_template(s, "alias.html", "_builtin/alias.html", d);
    size_t allcap = 0;
    for (size_t i = 0; i < s->npages; i++) {
        page *p = s->pages[i];
        if (!p->url) continue; /* not published */
        tnames ns;
        candidates(p, 0, &ns);
        const tmpl *t = find_template(s, p->file, &ns, d);
        names_free(&ns);
        if (t) add_html(pl, p, t);
        if (pl->all.n == allcap) {
            allcap = allcap ? allcap * 2 : 256;
            page **v = arena_calloc(&s->mem, allcap, sizeof(page *));
            if (pl->all.n) memcpy(v, pl->all.v, pl->all.n * sizeof(page *));
            pl->all.v = v;
        }
        pl->all.v[pl->all.n++] = p;
        if (p->has_feed) {
            candidates(p, 1, &ns);
            const tmpl *ft = find_template(s, p->file, &ns, d);
            names_free(&ns);
            if (ft) {
                buf b = BUF_INIT;
                buf_printf(&b, "%sindex.xml", list_dir_of(p, &s->mem));
                add_out(pl, O_FEED, p, ft, arena_strndup(&s->mem, buf_cstr(&b), b.len));
                buf_free(&b);
            }
        }
        if (alias_t) {
            for (size_t k = 0; k < p->aliases.n; k++)
                add_alias(pl, p, p->aliases.v[k], alias_t);
            /* Hugo publishes /page/1/ of a list as a redirect to the list */
            if (p->kind != PK_PAGE && p->kind != PK_TAXONOMY && p->pages.n > 0) {
                buf b = BUF_INIT;
                buf_printf(&b, "%spage/1/", p->url + strlen(s->cfg.base_path) - 1);
                add_alias(pl, p, buf_cstr(&b), alias_t);
                buf_free(&b);
            }
        }
        /* bundle resources go beside the page */
        if (p->dir) {
            const char *pdir = list_dir_of(p, &s->mem);
            size_t skip = strlen(p->dir) + 1;
            for (size_t k = 0; k < p->resources.n; k++) {
                buf src = BUF_INIT, rel = BUF_INIT;
                buf_printf(&src, "%s/%s", s->content_dir, p->resources.v[k]);
                buf_printf(&rel, "%s%s", pdir, p->resources.v[k] + skip);
                add_copy(pl, arena_strndup(&s->mem, buf_cstr(&src), src.len),
                         arena_strndup(&s->mem, buf_cstr(&rel), rel.len));
                buf_free(&src);
                buf_free(&rel);
            }
        }
    }
    if (pl->all.n > 1)
        qsort(pl->all.v, pl->all.n, sizeof(page *), cmp_url); /* the sitemap's order */
    const tmpl *t;
    if ((t = named_template(s, "sitemap.xml", "_builtin/sitemap.xml", d)))
        add_out(pl, O_SITEMAP, s->home, t, "sitemap.xml");
    if ((t = named_template(s, "robots.txt", "_builtin/robots.txt", d)))
        add_out(pl, O_OTHER, s->home, t, "robots.txt");
    if ((t = named_template(s, "404.html", "_builtin/404.html", d)))
        add_out(pl, O_OTHER, s->home, t, "404.html");
    if (s->cfg.landing) add_homes(pl, d);
    return d->errors ? -1 : 0;
}

/* One file of the output and what claims it, for check_outputs. */
typedef struct claim {
    const char *path;
    const output *o; /* or NULL: a copy */
    const copyjob *c;
} claim;

static int
cmp_claims(const void *a, const void *b)
{
    const claim *x = a, *y = b;
    int c = strcmp(x->path, y->path);
    if (c) return c;
    return (x->o ? 0 : 1) - (y->o ? 0 : 1); /* rendered before copied */
}

/* Who claims a file, in words, and the file to name in the message. */
static const char *
claimant(const claim *c, buf *b)
{
    buf_reset(b);
    if (!c->o) {
        buf_printf(b, "the file %s", c->c->src);
        return c->c->src;
    }
    const page *p = c->o->p;
    const char *file = p && p->file ? p->file : NULL;
    const char *url = p && p->url ? p->url : "/";
    switch (c->o->kind) {
    case O_ALIAS: buf_printf(b, "an alias of %s", file ? file : url); break;
    case O_FEED: buf_printf(b, "the feed of %s", url); break;
    case O_HTML:
        if (file && !c->o->pg.number)
            buf_printf(b, "%s", file);
        else
            buf_printf(b, "the list %s", url);
        break;
    case O_SITEMAP:
    case O_OTHER: buf_printf(b, "hone's own %s", c->path); break;
    }
    return file;
}

/*
 * Every file of the output is claimed once.  link_site refuses two pages
 * with one URL; this catches the rest: an alias, a feed, a list's later
 * page, the sitemap, robots.txt or 404.html on a path something else
 * writes, and a rendered page over a static or bundle file.  (Copies of
 * one destination are allowed: the site's static/ replaces the theme's.)
 */
static int
check_outputs(plan *pl, diags *d)
{
    size_t n = 0;
    claim *v = xcalloc(pl->nouts + pl->ncopies + 1, sizeof(claim));
    for (size_t i = 0; i < pl->nouts; i++)
        v[n++] = (claim){pl->outs[i].path, &pl->outs[i], NULL};
    for (size_t i = 0; i < pl->ncopies; i++)
        v[n++] = (claim){pl->copies[i].rel, NULL, &pl->copies[i]};
    qsort(v, n, sizeof(claim), cmp_claims);
    buf a = BUF_INIT, b = BUF_INIT;
    int failed = 0;
    for (size_t i = 1; i < n; i++) {
        if (strcmp(v[i - 1].path, v[i].path) != 0 || !v[i - 1].o) continue;
        const char *fa = claimant(&v[i - 1], &a), *fb = claimant(&v[i], &b);
        diag_add(d, DIAG_ERROR,
                 fb   ? fb
                 : fa ? fa
                      : v[i].path,
                 0, 0, "%s is written twice: by %s and by %s; change an alias, a url or a slug",
                 v[i].path, buf_cstr(&a), buf_cstr(&b));
        failed = 1;
    }
    buf_free(&a);
    buf_free(&b);
    free(v);
    return failed ? -1 : 0;
}

/* ---- rendering ------------------------------------------------------- */

static void
render_job(void *ctx, size_t job, int th)
{
    plan *pl = ctx;
    site *s = pl->s;
    diags *d = &pl->ds[th];
    const output *o = &pl->outs[job];
    arena *a = &pl->arenas[th];
    buf *b = &pl->bufs[th];
    buf_reset(b);
    frame f = {s, o->p, o->pg.number ? &o->pg : NULL, o->kind == O_FEED, {NULL, 0}, o->alias_to};
    if (f.feed) {
        f.feed_items = o->p->pages;
        if (s->cfg.feed_limit && f.feed_items.n > (size_t)s->cfg.feed_limit)
            f.feed_items.n = (size_t)s->cfg.feed_limit;
    }
    val root = ctx_root(&f);
    if (o->kind == O_SITEMAP) {
        /* the sitemap walks every page: give it the list as "sitemap" */
        val_map_b m = {0};
        val_map_set(&m, a, "sitemap", 7, val_obj(&ctx_plist_class, &pl->all));
        val_map_set(&m, a, "site", 4, val_obj(&ctx_site_class, s));
        root = val_map_done(&m);
    }
    tmpl_opts opts = {0};
    opts.now = s->o->now;
    if (tmpl_render(o->t, root, b, a, &opts, d) == 0) {
        int err = output_write(pl->root, o->path, b->data ? b->data : "", b->len);
        if (err) diag_add(d, DIAG_ERROR, o->path, 0, 0, "cannot write: %s", strerror(err));
    }
    arena_free(a);
}

int
render_site(site *s, const char *staging, diags *d)
{
    plan pl = {0};
    pl.s = s;
    pl.root = open(staging, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (pl.root < 0) {
        diag_add(d, DIAG_ERROR, staging, 0, 0, "cannot open the staging folder: %s",
                 strerror(errno));
        return -1;
    }
    if (make_plan(&pl, d) < 0) goto out;
    /* static files, under their own and their hashed names */
    for (size_t i = 0; i < s->nassets; i++) {
        add_copy(&pl, s->assets[i].src, s->assets[i].rel);
        add_copy(&pl, s->assets[i].src, s->assets[i].hashed);
    }
    for (size_t i = 0; i < s->files.n; i++) {
        buf src = BUF_INIT;
        buf_printf(&src, "%s/%s", s->content_dir, s->files.v[i]);
        add_copy(&pl, arena_strndup(&s->mem, src.data, src.len), s->files.v[i]);
        buf_free(&src);
    }
    if (check_outputs(&pl, d) < 0) goto out;
    int threads = s->o->jobs > 0 ? s->o->jobs : pool_cpus();
    pl.arenas = xcalloc((size_t)threads, sizeof(arena));
    pl.bufs = xcalloc((size_t)threads, sizeof(buf));
    pl.ds = xcalloc((size_t)threads, sizeof(diags));
    /* copies of one destination must keep their order (site static after
     * the theme's): do them first, in order, on this thread */
    for (size_t i = 0; i < pl.ncopies; i++) {
        int err = output_copy(pl.copies[i].src, pl.root, pl.copies[i].rel);
        if (err) diag_add(d, DIAG_ERROR, pl.copies[i].src, 0, 0, "cannot copy: %s", strerror(err));
    }
    s->n_copied = pl.ncopies;
    pool_run(threads, pl.nouts, render_job, &pl);
    for (int t = 0; t < threads; t++) {
        diags_move(d, &pl.ds[t]);
        buf_free(&pl.bufs[t]);
        arena_free(&pl.arenas[t]);
    }
    for (size_t i = 0; i < pl.nouts; i++) {
        if (pl.outs[i].kind == O_HTML)
            s->n_html++;
        else if (pl.outs[i].kind == O_FEED)
            s->n_feeds++;
        else if (pl.outs[i].kind == O_ALIAS)
            s->n_aliases++;
    }
    free(pl.arenas);
    free(pl.bufs);
    free(pl.ds);
out:
    close(pl.root);
    free(pl.outs);
    free(pl.copies);
    return d->errors ? -1 : 0;
}
