/*
 * context: the site as templates see it.
 *
 * Nothing is copied into maps: site, page, term, pager and feed are host
 * objects (val_class) whose get() computes a field when a template asks
 * for it, and lists of pages are views over the site's own arrays.  A
 * template that shows ten titles of a 10,000-page site touches ten pages.
 * Every callback only reads the site (read-only after link) and allocates
 * in the render's arena, so renders on many threads share it safely.
 *
 * The field names are documented in the README ("What templates see").
 */
#include "site.h"

#include <stdlib.h>
#include <string.h>

#define KEY(s) (n == sizeof(s) - 1 && memcmp(key, s, n) == 0)

static const val_class page_class, term_class, tlist_class, pager_class, feed_class, root_class;

val
ctx_page(const page *p)
{
    return p ? val_obj(&page_class, p) : val_null();
}

static val
plist_val(const plist *l)
{
    return val_obj(&ctx_plist_class, l);
}

static val
str_or_null(const char *s)
{
    return s ? val_cstr(s) : val_null();
}

const char *
ctx_abs(const site *s, const char *url, arena *a)
{
    const config *c = &s->cfg;
    size_t origin = strlen(c->base_url) - strlen(c->base_path);
    buf b = BUF_INIT;
    buf_put(&b, c->base_url, origin);
    buf_puts(&b, url);
    const char *r = arena_strndup(a, buf_cstr(&b), b.len);
    buf_free(&b);
    return r;
}

/* ---- lists ----------------------------------------------------------- */

static size_t
plist_len(const void *obj)
{
    return ((const plist *)obj)->n;
}

static int
plist_at(const void *obj, size_t i, arena *a, val *out)
{
    const plist *l = obj;
    if (i >= l->n) return 0;
    *out = ctx_page(l->v[i]);
    return 1;
}

const val_class ctx_plist_class = {"pages", NULL, plist_len, plist_at, NULL, NULL};

typedef struct tlist {
    term *const *v;
    size_t n;
} tlist;

static size_t
tlist_len(const void *obj)
{
    return ((const tlist *)obj)->n;
}

static int
tlist_at(const void *obj, size_t i, arena *a, val *out)
{
    const tlist *l = obj;
    if (i >= l->n) return 0;
    *out = val_obj(&term_class, l->v[i]);
    return 1;
}

static const val_class tlist_class = {"terms", NULL, tlist_len, tlist_at, NULL, NULL};

static val
tlist_val(arena *a, term *const *v, size_t n)
{
    tlist *l = arena_alloc(a, sizeof(*l));
    l->v = v;
    l->n = n;
    return val_obj(&tlist_class, l);
}

static val
strs_val(arena *a, strs s)
{
    val *v = arena_calloc(a, s.n + 1, sizeof(val));
    for (size_t i = 0; i < s.n; i++)
        v[i] = val_cstr(s.v[i]);
    return val_list(v, s.n);
}

/* ---- term ------------------------------------------------------------ */

static int
term_get(const void *obj, const char *key, size_t n, arena *a, val *out)
{
    const term *t = obj;
    if (KEY("name"))
        *out = val_cstr(t->name);
    else if (KEY("slug"))
        *out = val_cstr(t->slug);
    else if (KEY("url"))
        *out = val_cstr(t->list->url);
    else if (KEY("pages"))
        *out = plist_val(&t->pages);
    else if (KEY("count"))
        *out = val_int((int64_t)t->pages.n);
    else if (KEY("taxonomy"))
        *out = val_cstr(t->tax->cfg->plural);
    else if (KEY("page"))
        *out = ctx_page(t->list);
    else
        return 0;
    return 1;
}

static void
term_str(const void *obj, buf *out)
{
    buf_puts(out, ((const term *)obj)->name);
}

static const val_class term_class = {"term", term_get, NULL, NULL, NULL, term_str};

/* ---- page ------------------------------------------------------------ */

static const char *const kind_names[] = {"page", "section", "home", "taxonomy", "term"};

static val
headings_val(const page *p, arena *a)
{
    val *v = arena_calloc(a, p->md.nheadings + 1, sizeof(val));
    for (size_t i = 0; i < p->md.nheadings; i++) {
        val_map_b m = {0};
        val_map_set(&m, a, "level", 5, val_int(p->md.headings[i].level));
        val_map_set(&m, a, "id", 2, val_cstr(p->md.headings[i].id));
        val_map_set(&m, a, "text", 4, val_cstr(p->md.headings[i].text));
        v[i] = val_map_done(&m);
    }
    return val_list(v, p->md.nheadings);
}

/* page.series_parts: per series the page is in, {series, name, url, parts,
 * index, total, prev, next}, for a "part 2 of 5" box. */
static val
series_parts_val(const page *p, arena *a)
{
    const site *s = p->site;
    size_t t = 0;
    while (s && t < s->cfg.ntaxonomies && strcmp(s->cfg.taxonomies[t].plural, "series") != 0)
        t++;
    if (!s || t == s->cfg.ntaxonomies || !p->terms) return val_list(NULL, 0);
    val *v = arena_calloc(a, p->nterms[t] + 1, sizeof(val));
    for (size_t k = 0; k < p->nterms[t]; k++) {
        const term *tm = p->terms[t][k];
        const plist *parts = &tm->parts;
        size_t n = parts->n, index = 0;
        for (size_t i = 0; i < n; i++)
            if (parts->v[i] == p) index = i + 1;
        val_map_b m = {0};
        val_map_set(&m, a, "series", 6, val_obj(&term_class, tm));
        val_map_set(&m, a, "name", 4, val_cstr(tm->name));
        val_map_set(&m, a, "url", 3, val_cstr(tm->list ? tm->list->url : ""));
        val_map_set(&m, a, "parts", 5, plist_val(parts));
        val_map_set(&m, a, "index", 5, val_int((int64_t)index));
        val_map_set(&m, a, "total", 5, val_int((int64_t)n));
        val_map_set(&m, a, "prev", 4, index > 1 ? ctx_page(parts->v[index - 2]) : val_null());
        val_map_set(&m, a, "next", 4, index && index < n ? ctx_page(parts->v[index]) : val_null());
        v[k] = val_map_done(&m);
    }
    return val_list(v, p->nterms[t]);
}

/* Before the Markdown stage is over, other pages' bodies are being
 * written (shortcode templates run in it): they read as empty. */
static bool
content_field(const char *key, size_t n)
{
    return KEY("content") || KEY("summary") || KEY("truncated") || KEY("word_count") ||
           KEY("reading_time") || KEY("toc") || KEY("headings");
}

static int
page_get(const void *obj, const char *key, size_t n, arena *a, val *out)
{
    const page *p = obj;
    const site *s = p->site;
    if (s && !s->markdown_done && content_field(key, n)) {
        *out = KEY("content") || KEY("summary") || KEY("toc") ? val_safe("", 0)
               : KEY("headings")                              ? val_list(NULL, 0)
               : KEY("truncated")                             ? val_bool(false)
                                                              : val_int(0);
        return 1;
    }
    if (KEY("title"))
        *out = val_cstr(p->title ? p->title : "");
    else if (KEY("url"))
        *out = val_cstr(p->url ? p->url : "");
    else if (KEY("permalink"))
        *out = val_cstr(p->permalink ? p->permalink : "");
    else if (KEY("content"))
        *out = val_safe(p->md.html ? p->md.html : "", p->md.html_len);
    else if (KEY("summary")) {
        if (p->summary_fm)
            *out = val_cstr(p->summary_fm);
        else
            *out = val_safe(p->md.summary ? p->md.summary : "", p->md.summary_len);
    } else if (KEY("truncated"))
        *out = val_bool(p->summary_fm ? p->md.html_len > 0 : p->md.more || p->md.truncated);
    else if (KEY("description"))
        *out = val_cstr(p->description ? p->description : "");
    else if (KEY("date"))
        *out = p->has_date ? val_time(p->date) : val_null();
    else if (KEY("lastmod"))
        *out = p->has_lastmod ? val_time(p->lastmod) : p->has_date ? val_time(p->date) : val_null();
    else if (KEY("publish_date"))
        *out = p->has_publish ? val_time(p->publish) : val_null();
    else if (KEY("expiry_date"))
        *out = p->has_expiry ? val_time(p->expiry) : val_null();
    else if (KEY("kind"))
        *out = val_cstr(kind_names[p->kind]);
    else if (KEY("is_home"))
        *out = val_bool(p->kind == PK_HOME);
    else if (KEY("is_page"))
        *out = val_bool(p->kind == PK_PAGE);
    else if (KEY("is_list"))
        *out = val_bool(p->kind != PK_PAGE);
    else if (KEY("section"))
        *out = val_cstr(p->section);
    else if (KEY("type"))
        *out = val_cstr(p->type ? p->type : p->section[0] ? p->section : "page");
    else if (KEY("layout"))
        *out = str_or_null(p->layout);
    else if (KEY("slug"))
        *out = val_cstr(p->slug ? p->slug : p->filename ? p->filename : "");
    else if (KEY("file"))
        *out = str_or_null(p->rel);
    else if (KEY("draft"))
        *out = val_bool(p->draft);
    else if (KEY("weight"))
        *out = val_int(p->weight);
    else if (KEY("params"))
        *out = p->params;
    else if (KEY("word_count"))
        *out = val_int(p->md.words);
    else if (KEY("reading_time"))
        *out = val_int(p->md.words ? (p->md.words + 212) / 213 : 0);
    else if (KEY("toc"))
        *out = val_safe(p->md.toc ? p->md.toc : "", p->md.toc_len);
    else if (KEY("headings"))
        *out = headings_val(p, a);
    else if (KEY("series_parts"))
        *out = series_parts_val(p, a);
    else if (KEY("aliases"))
        *out = strs_val(a, p->aliases);
    else if (KEY("images"))
        *out = strs_val(a, p->images);
    else if (KEY("prev"))
        *out = ctx_page(p->prev);
    else if (KEY("next"))
        *out = ctx_page(p->next);
    else if (KEY("related"))
        *out = plist_val(link_related(p));
    else if (KEY("pages"))
        *out = plist_val(&p->pages);
    else if (KEY("feed_url")) {
        if (p->has_feed) {
            buf b = BUF_INIT;
            buf_printf(&b, "%sindex.xml", p->url);
            *out = val_cstr(ctx_abs(s, buf_cstr(&b), a));
            buf_free(&b);
        } else {
            *out = val_null();
        }
    } else if (KEY("term"))
        *out = p->term ? val_obj(&term_class, p->term) : val_null();
    else if (KEY("taxonomy"))
        *out = p->tax ? val_cstr(p->tax->cfg->plural) : val_null();
    else if (KEY("terms"))
        *out = p->tax ? tlist_val(a, p->tax->terms, p->tax->nterms) : val_null();
    else if (KEY("resources")) {
        val *v = arena_calloc(a, p->resources.n + 1, sizeof(val));
        size_t skip = p->dir ? strlen(p->dir) + 1 : 0;
        for (size_t i = 0; i < p->resources.n; i++)
            v[i] = val_cstr(p->resources.v[i] + skip);
        *out = val_list(v, p->resources.n);
    } else {
        /* a taxonomy by its plural name: page.tags, page.series ... */
        for (size_t t = 0; s && t < s->cfg.ntaxonomies; t++) {
            if (strlen(s->cfg.taxonomies[t].plural) == n &&
                memcmp(s->cfg.taxonomies[t].plural, key, n) == 0) {
                *out = p->terms ? tlist_val(a, p->terms[t], p->nterms[t]) : val_list(NULL, 0);
                return 1;
            }
        }
        return 0;
    }
    return 1;
}

static void
page_str(const void *obj, buf *out)
{
    const page *p = obj;
    buf_puts(out, p->title ? p->title : "");
}

static const val_class page_class = {"page", page_get, NULL, NULL, NULL, page_str};

/* ---- pager ----------------------------------------------------------- */

/* The URL of page number k of a list: the list's own URL for 1. */
static val
pager_url(const pager *pg, size_t k, arena *a)
{
    if (k == 1) return val_cstr(pg->list->url);
    buf b = BUF_INIT;
    buf_printf(&b, "%spage/%zu/", pg->list->url, k);
    val v = val_strdup(a, buf_cstr(&b), b.len);
    buf_free(&b);
    return v;
}

static int
pager_get(const void *obj, const char *key, size_t n, arena *a, val *out)
{
    const pager *pg = obj;
    if (KEY("items") || KEY("pages"))
        *out = plist_val(&pg->items);
    else if (KEY("number"))
        *out = val_int((int64_t)pg->number);
    else if (KEY("total") || KEY("num_pages"))
        *out = val_int((int64_t)pg->total);
    else if (KEY("total_items"))
        *out = val_int((int64_t)pg->list->pages.n);
    else if (KEY("has_prev"))
        *out = val_bool(pg->number > 1);
    else if (KEY("has_next"))
        *out = val_bool(pg->number < pg->total);
    else if (KEY("prev_url"))
        *out = pg->number > 1 ? pager_url(pg, pg->number - 1, a) : val_null();
    else if (KEY("next_url"))
        *out = pg->number < pg->total ? pager_url(pg, pg->number + 1, a) : val_null();
    else if (KEY("first_url"))
        *out = pager_url(pg, 1, a);
    else if (KEY("last_url"))
        *out = pager_url(pg, pg->total, a);
    else if (KEY("url"))
        *out = pager_url(pg, pg->number, a);
    else
        return 0;
    return 1;
}

static const val_class pager_class = {"paginator", pager_get, NULL, NULL, NULL, NULL};

/* ---- feed ------------------------------------------------------------ */

static int
feed_get(const void *obj, const char *key, size_t n, arena *a, val *out)
{
    const frame *f = obj;
    const page *p = f->p;
    const site *s = f->s;
    if (KEY("items")) {
        *out = plist_val(&f->feed_items);
    } else if (KEY("title") || KEY("description")) {
        buf b = BUF_INIT;
        if (KEY("description")) buf_puts(&b, "Recent articles");
        if (p->kind == PK_HOME) {
            if (KEY("title"))
                buf_puts(&b, s->cfg.title);
            else
                buf_printf(&b, " on %s", s->cfg.title);
        } else {
            buf_printf(&b, "%s%s on %s", KEY("description") ? " in " : "", p->title, s->cfg.title);
        }
        *out = val_strdup(a, buf_cstr(&b), b.len);
        buf_free(&b);
    } else if (KEY("link")) {
        *out = val_cstr(p->permalink);
    } else if (KEY("self")) {
        buf b = BUF_INIT;
        buf_printf(&b, "%sindex.xml", p->url);
        *out = val_cstr(ctx_abs(s, buf_cstr(&b), a));
        buf_free(&b);
    } else if (KEY("last_build")) {
        /* the newest item's date: the same input gives the same feed */
        dt newest = {0, 0, 0};
        int any = 0;
        for (size_t i = 0; i < f->feed_items.n; i++) {
            const page *q = f->feed_items.v[i];
            dt d = q->has_lastmod ? q->lastmod : q->date;
            if ((q->has_date || q->has_lastmod) && (!any || dt_cmp(d, newest) > 0)) {
                newest = d;
                any = 1;
            }
        }
        *out = any ? val_time(newest) : val_null();
    } else if (KEY("full")) {
        *out = val_bool(s->cfg.feed_full);
    } else {
        return 0;
    }
    return 1;
}

static const val_class feed_class = {"feed", feed_get, NULL, NULL, NULL, NULL};

/* ---- site ------------------------------------------------------------ */

static int
site_get(const void *obj, const char *key, size_t n, arena *a, val *out)
{
    const site *s = obj;
    const config *c = &s->cfg;
    if (KEY("title"))
        *out = val_cstr(c->title);
    else if (KEY("base_url"))
        *out = val_cstr(c->base_url);
    else if (KEY("base_path"))
        *out = val_cstr(c->base_path);
    else if (KEY("description"))
        *out = val_cstr(c->description);
    else if (KEY("language"))
        *out = val_cstr(c->language);
    else if (KEY("author"))
        *out = val_cstr(c->author);
    else if (KEY("copyright"))
        *out = val_cstr(c->copyright);
    else if (KEY("params"))
        *out = c->params;
    else if (KEY("data"))
        *out = c->raw;
    else if (KEY("pages"))
        *out = plist_val(&s->regular);
    else if (KEY("sections"))
        *out = plist_val(&s->sections);
    else if (KEY("home"))
        *out = ctx_page(s->home);
    else if (KEY("taxonomies"))
        *out = s->taxonomies;
    else if (KEY("lastmod"))
        *out = s->lastmod.sec ? val_time(s->lastmod) : val_null();
    else if (KEY("generator"))
        *out = val_cstr("hone");
    else
        return 0;
    return 1;
}

const val_class ctx_site_class = {"site", site_get, NULL, NULL, NULL, NULL};

void
ctx_prepare(site *s)
{
    val_map_b m = {0};
    for (size_t t = 0; t < s->cfg.ntaxonomies; t++) {
        const taxonomy *tx = &s->taxes[t];
        val l = tlist_val(&s->mem, tx->terms, tx->nterms);
        val_map_set(&m, &s->mem, tx->cfg->plural, strlen(tx->cfg->plural), l);
    }
    s->taxonomies = val_map_done(&m);
}

/* ---- root ------------------------------------------------------------ */

static int
root_get(const void *obj, const char *key, size_t n, arena *a, val *out)
{
    const frame *f = obj;
    if (KEY("site"))
        *out = val_obj(&ctx_site_class, f->s);
    else if (KEY("page"))
        *out = ctx_page(f->p);
    else if (KEY("paginator"))
        *out = f->pg ? val_obj(&pager_class, f->pg) : val_null();
    else if (KEY("feed"))
        *out = f->feed ? val_obj(&feed_class, f) : val_null();
    else if (KEY("alias"))
        *out = f->alias_to ? val_cstr(f->alias_to) : val_null();
    else
        return 0;
    return 1;
}

static const val_class root_class = {"context", root_get, NULL, NULL, NULL, NULL};

val
ctx_root(const frame *f)
{
    return val_obj(&root_class, f);
}
