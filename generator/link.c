/*
 * link: the one single-threaded stage, where pages learn about each other.
 *
 * It decides what is published, sorts (newest first, then by title, then
 * by file, a total order so builds are deterministic), gives every page
 * its URL from the permalink patterns, makes the list pages (home,
 * sections, taxonomies and their terms), links prev/next, and refuses
 * two pages that claim one URL.  After it, the site is read-only, but for
 * related posts, computed once per page when first asked for (below).
 */
#include "hash.h"
#include "pool.h"
#include "site.h"

#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

/* Dated pages first, by date (newest first when newest, else oldest),
 * then weight, title and file: a total order. */
static int
cmp_order(const page *x, const page *y, bool newest)
{
    if (x->has_date != y->has_date) return x->has_date ? -1 : 1;
    if (x->has_date) {
        int c = newest ? dt_cmp(y->date, x->date) : dt_cmp(x->date, y->date);
        if (c) return c;
    }
    if (x->weight != y->weight) return x->weight < y->weight ? -1 : 1;
    int c = strcmp(x->title ? x->title : "", y->title ? y->title : "");
    if (c) return c;
    return strcmp(x->rel ? x->rel : "", y->rel ? y->rel : "");
}

/* Lists: newest first. */
static int
cmp_pages(const void *a, const void *b)
{
    return cmp_order(*(page *const *)a, *(page *const *)b, true);
}

static void
plist_push(arena *a, plist *l, size_t *cap, page *p)
{
    if (l->n == *cap) {
        size_t ncap = *cap ? *cap * 2 : 8;
        page **v = arena_calloc(a, ncap, sizeof(page *));
        if (l->n) memcpy(v, l->v, l->n * sizeof(page *));
        l->v = v;
        *cap = ncap;
    }
    l->v[l->n++] = p;
}

static void
plist_sort(plist *l)
{
    if (l->n > 1) qsort(l->v, l->n, sizeof(page *), cmp_pages);
}

/* A slug for a URL path segment: the slugify filter's rule, so a theme's
 * {{ tag|slugify }} and hone's own term URLs always agree. */
static const char *
slug(arena *a, const char *s)
{
    buf b = BUF_INIT;
    tmpl_slugify(&b, s, strlen(s));
    const char *r = arena_strndup(a, buf_cstr(&b), b.len);
    buf_free(&b);
    return r;
}

/* The path part of a URL as written in a front matter slug or file name:
 * spaces become hyphens, ASCII letters lower case (Hugo's default). */
static const char *
path_segment(arena *a, const char *s)
{
    size_t n = strlen(s);
    char *r = arena_strndup(a, s, n);
    for (size_t i = 0; i < n; i++) {
        if (r[i] == ' ')
            r[i] = '-';
        else if (r[i] >= 'A' && r[i] <= 'Z')
            r[i] = (char)(r[i] - 'A' + 'a');
    }
    return r;
}

/* Sets url and out from a site path like "/posts/x/" or "/about.html". */
static void
set_path(site *s, page *p, const char *path)
{
    buf u = BUF_INIT, o = BUF_INIT;
    while (*path == '/')
        path++;
    buf_puts(&u, s->cfg.base_path);
    buf_puts(&u, path);
    size_t n = strlen(path);
    const char *lastseg = strrchr(path, '/');
    lastseg = lastseg ? lastseg + 1 : path;
    buf_puts(&o, path);
    if (n == 0 || path[n - 1] == '/') {
        buf_puts(&o, "index.html");
    } else if (!strchr(lastseg, '.')) {
        /* "/about" is a folder: publish /about/index.html, link /about/ */
        buf_putc(&u, '/');
        buf_puts(&o, "/index.html");
    }
    p->url = arena_strndup(&s->mem, buf_cstr(&u), u.len);
    p->permalink = ctx_abs(s, p->url, &s->mem);
    p->out = arena_strndup(&s->mem, buf_cstr(&o), o.len);
    buf_free(&u);
    buf_free(&o);
}

static int
expand_permalink(site *s, page *p, diags *d)
{
    const char *pat = config_permalink_for(&s->cfg, p->section);
    buf b = BUF_INIT;
    dt_fields f = {0};
    if (p->has_date) dt_fields_of(p->date, &f);
    for (const char *c = pat; *c;) {
        if (*c != ':') {
            buf_putc(&b, *c++);
            continue;
        }
        const char *name = c + 1;
        size_t n = 0;
        while (name[n] >= 'a' && name[n] <= 'z')
            n++;
        c = name + n;
#define IS(w) (n == sizeof(w) - 1 && strncmp(name, w, n) == 0)
        if (IS("year") || IS("month") || IS("day")) {
            if (!p->has_date) {
                diag_add(d, DIAG_ERROR, p->file, 1, 1,
                         "the permalink pattern %s needs a date: add 'date:' to the front "
                         "matter, or a url:",
                         pat);
                buf_free(&b);
                return -1;
            }
            if (IS("year"))
                buf_printf(&b, "%04d", f.year);
            else
                buf_printf(&b, "%02d", IS("month") ? f.month : f.day);
        } else if (IS("slug")) {
            buf_puts(&b, path_segment(&s->mem, p->slug ? p->slug : p->filename));
        } else if (IS("section")) {
            buf_puts(&b, p->section);
        } else if (IS("title")) {
            buf_puts(&b, slug(&s->mem, p->title ? p->title : p->filename));
        } else if (IS("filename")) {
            buf_puts(&b, path_segment(&s->mem, p->filename));
        }
#undef IS
    }
    /* collapse "//" left by an empty section */
    char *path = arena_strndup(&s->mem, buf_cstr(&b), b.len);
    char *w = path;
    for (const char *r = path; *r; r++)
        if (!(r[0] == '/' && r[1] == '/')) *w++ = *r;
    *w = '\0';
    set_path(s, p, path);
    buf_free(&b);
    return 0;
}

static const char *
titled(arena *a, const char *s)
{
    char *r = arena_strdup(a, s);
    if (r[0] >= 'a' && r[0] <= 'z') r[0] = (char)(r[0] - 'a' + 'A');
    for (char *c = r; *c; c++)
        if (*c == '-' || *c == '_') *c = ' ';
    return r;
}

static page *
find_section(site *s, const char *name)
{
    for (size_t i = 0; i < s->sections.n; i++)
        if (strcmp(s->sections.v[i]->section, name) == 0) return s->sections.v[i];
    return NULL;
}

static void
make_sections(site *s)
{
    size_t cap = 0;
    /* sections written with an _index.md first, then those implied */
    for (size_t i = 0; i < s->npages; i++) {
        page *p = s->pages[i];
        if (p->kind == PK_SECTION && !find_section(s, p->section))
            plist_push(&s->mem, &s->sections, &cap, p);
        if (p->kind == PK_HOME && !s->home) s->home = p;
    }
    for (size_t i = 0; i < s->regular.n; i++) {
        page *p = s->regular.v[i];
        if (p->section[0] && !find_section(s, p->section)) {
            page *sec = site_add_page(s, PK_SECTION);
            sec->section = p->section;
            sec->file = p->file;
            sec->params = val_map(NULL, 0);
            plist_push(&s->mem, &s->sections, &cap, sec);
        }
    }
    if (!s->home) {
        s->home = site_add_page(s, PK_HOME);
        s->home->file = s->content_dir;
        s->home->params = val_map(NULL, 0);
    }
    s->home->title = s->home->title ? s->home->title : s->cfg.title;
    set_path(s, s->home, "/");
    size_t hcap = 0;
    for (size_t i = 0; i < s->regular.n; i++)
        if (s->regular.v[i]->has_date && !s->regular.v[i]->landing)
            plist_push(&s->mem, &s->home->pages, &hcap, s->regular.v[i]);
    s->home->has_feed = true;
    for (size_t k = 0; k < s->sections.n; k++) {
        page *sec = s->sections.v[k];
        if (!sec->title) sec->title = titled(&s->mem, sec->section);
        buf b = BUF_INIT;
        buf_printf(&b, "/%s/", sec->section);
        set_path(s, sec, buf_cstr(&b));
        buf_free(&b);
        size_t pcap = 0;
        for (size_t i = 0; i < s->regular.n; i++)
            if (strcmp(s->regular.v[i]->section, sec->section) == 0 && !s->regular.v[i]->landing)
                plist_push(&s->mem, &sec->pages, &pcap, s->regular.v[i]);
        sec->has_feed = true;
        /* prev (older) and next (newer) within the section */
        for (size_t i = 0; i < sec->pages.n; i++) {
            sec->pages.v[i]->next = i > 0 ? sec->pages.v[i - 1] : NULL;
            sec->pages.v[i]->prev = i + 1 < sec->pages.n ? sec->pages.v[i + 1] : NULL;
        }
    }
}

/* A taxonomy's terms by slug: open addressing, at most half full. */
typedef struct term_index {
    term **v;
    size_t cap; /* a power of two */
} term_index;

/* The slot of slug in ix: its term, or the empty slot to put it in.
 * Grows ix first if a new term (n terms so far) would fill it past half. */
static term **
index_slot(term_index *ix, const char *slug, size_t n)
{
    if ((n + 1) * 2 > ix->cap) {
        term_index g = {NULL, ix->cap ? ix->cap * 2 : 64};
        g.v = xcalloc(g.cap, sizeof(term *));
        for (size_t i = 0; i < ix->cap; i++) {
            if (!ix->v[i]) continue;
            size_t j = (size_t)hash_bytes(ix->v[i]->slug, strlen(ix->v[i]->slug)) & (g.cap - 1);
            while (g.v[j])
                j = (j + 1) & (g.cap - 1);
            g.v[j] = ix->v[i];
        }
        free(ix->v);
        *ix = g;
    }
    size_t j = (size_t)hash_bytes(slug, strlen(slug)) & (ix->cap - 1);
    while (ix->v[j] && strcmp(ix->v[j]->slug, slug) != 0)
        j = (j + 1) & (ix->cap - 1);
    return &ix->v[j];
}

static void
make_taxonomies(site *s)
{
    const config *c = &s->cfg;
    s->taxes = arena_calloc(&s->mem, c->ntaxonomies + 1, sizeof(taxonomy));
    for (size_t i = 0; i < s->regular.n; i++) {
        page *p = s->regular.v[i];
        p->terms = arena_calloc(&s->mem, c->ntaxonomies + 1, sizeof(term **));
        p->nterms = arena_calloc(&s->mem, c->ntaxonomies + 1, sizeof(size_t));
    }
    for (size_t t = 0; t < c->ntaxonomies; t++) {
        taxonomy *tx = &s->taxes[t];
        tx->cfg = &c->taxonomies[t];
        size_t cap = 0;
        term_index ix = {NULL, 0};
        for (size_t i = 0; i < s->regular.n; i++) {
            page *p = s->regular.v[i];
            strs names = p->terms_fm ? p->terms_fm[t] : (strs){NULL, 0};
            p->terms[t] = arena_calloc(&s->mem, names.n + 1, sizeof(term *));
            for (size_t k = 0; k < names.n; k++) {
                const char *sl = slug(&s->mem, names.v[k]);
                if (!sl[0]) continue;
                term **slot = index_slot(&ix, sl, tx->nterms);
                term *found = *slot;
                if (!found) {
                    if (tx->nterms == cap) {
                        cap = cap ? cap * 2 : 16;
                        term **v = arena_calloc(&s->mem, cap, sizeof(term *));
                        if (tx->nterms) memcpy(v, tx->terms, tx->nterms * sizeof(term *));
                        tx->terms = v;
                    }
                    found = arena_calloc(&s->mem, 1, sizeof(term));
                    found->tax = tx;
                    found->name = names.v[k];
                    found->slug = sl;
                    tx->terms[tx->nterms++] = found;
                    *slot = found;
                }
                /* a page names a term once, however often it is written */
                int dup = 0;
                for (size_t j = 0; j < p->nterms[t]; j++)
                    dup |= p->terms[t][j] == found;
                if (!dup) {
                    p->terms[t][p->nterms[t]++] = found;
                    plist_push(&s->mem, &found->pages, &found->cap, p);
                }
            }
        }
        free(ix.v);
    }
}

static int
cmp_terms(const void *a, const void *b)
{
    const term *x = *(term *const *)a, *y = *(term *const *)b;
    return strcmp(x->slug, y->slug);
}

/* List pages for taxonomies (/tags/) and terms (/tags/x/). */
static void
make_term_pages(site *s)
{
    for (size_t t = 0; t < s->cfg.ntaxonomies; t++) {
        taxonomy *tx = &s->taxes[t];
        if (tx->nterms > 1) qsort(tx->terms, tx->nterms, sizeof(term *), cmp_terms);
        page *lp = site_add_page(s, PK_TAXONOMY);
        lp->tax = tx;
        lp->title = titled(&s->mem, tx->cfg->plural);
        lp->file = s->content_dir;
        lp->params = val_map(NULL, 0);
        tx->list = lp;
        buf b = BUF_INIT;
        buf_printf(&b, "/%s/", tx->cfg->plural);
        set_path(s, lp, buf_cstr(&b));
        for (size_t k = 0; k < tx->nterms; k++) {
            term *tm = tx->terms[k];
            plist_sort(&tm->pages);
            page *p = site_add_page(s, PK_TERM);
            p->tax = tx;
            p->term = tm;
            p->title = tm->name;
            p->file = s->content_dir;
            p->params = val_map(NULL, 0);
            p->pages = tm->pages;
            p->has_feed = true;
            tm->list = p;
            buf_reset(&b);
            buf_printf(&b, "/%s/%s/", tx->cfg->plural, tm->slug);
            set_path(s, p, buf_cstr(&b));
        }
        buf_free(&b);
    }
}

/*
 * Related posts: most terms in common (any taxonomy), then newest.
 *
 * Computed when a template first asks for a page's (page.related, through
 * link_related), not while linking: a theme that never shows them costs
 * nothing, and one that does spreads the work over the render threads.
 * A page's candidates are the pages of its terms, so a big category makes
 * the whole quadratic in the number of posts (a third of a 50,000-post
 * build when every page shows them).  The answer only reads the linked
 * site; the page's slots, allocated while linking, are written once, by
 * whichever thread claims them first.
 */
typedef struct score {
    uint32_t at; /* position in regular: newer first */
    int n;       /* terms shared */
} score;

/* Better first: more terms shared, then newer. */
static bool
better(score x, score y)
{
    return x.n != y.n ? x.n > y.n : x.at < y.at;
}

enum { RELATED = 5 };
enum { RELATED_NONE, RELATED_WRITING, RELATED_READY };

/* One thread's scratch space, sized for the site's regular pages. */
typedef struct scratch {
    uint32_t *cand;
    int *hits; /* by position in regular; zero between pages */
    size_t n;
} scratch;

static pthread_key_t scratch_key;
static pthread_once_t scratch_once = PTHREAD_ONCE_INIT;

static void
scratch_free(void *v)
{
    scratch *r = v;
    if (!r) return;
    free(r->cand);
    free(r->hits);
    free(r);
}

static void
scratch_key_make(void)
{
    if (pthread_key_create(&scratch_key, scratch_free) != 0) abort();
}

/* This thread's scratch for n pages; freed when the thread ends, or by
 * link_release for the thread that builds. */
static scratch *
scratch_get(size_t n)
{
    pthread_once(&scratch_once, scratch_key_make);
    scratch *r = pthread_getspecific(scratch_key);
    if (r && r->n >= n) return r;
    scratch_free(r);
    r = xcalloc(1, sizeof(*r));
    r->n = n ? n : 1;
    r->cand = xcalloc(r->n, sizeof(uint32_t));
    r->hits = xcalloc(r->n, sizeof(int));
    if (pthread_setspecific(scratch_key, r) != 0) abort();
    return r;
}

void
link_release(void)
{
    pthread_once(&scratch_once, scratch_key_make);
    scratch_free(pthread_getspecific(scratch_key));
    pthread_setspecific(scratch_key, NULL);
}

/*
 * The best RELATED pages for p into best; returns how many.  The walk
 * reads each term's positions (term.at), not its pages: a page struct
 * read per candidate was a cache miss per candidate.
 */
static size_t
pick_related(const site *s, const page *p, page **best)
{
    scratch *r = scratch_get(s->regular.n);
    uint32_t *cand = r->cand;
    int *hits = r->hits;
    uint32_t self = (uint32_t)p->order;
    size_t m = 0;
    for (size_t t = 0; t < s->cfg.ntaxonomies; t++) {
        for (size_t k = 0; k < p->nterms[t]; k++) {
            const term *tm = p->terms[t][k];
            for (size_t j = 0; j < tm->pages.n; j++) {
                uint32_t q = tm->at[j];
                if (q != self && hits[q]++ == 0) cand[m++] = q;
            }
        }
    }
    /* the best RELATED of m candidates: insertion into a short list
     * (sorting every candidate was a third of a 10,000-post build) */
    score top[RELATED];
    size_t keep = 0;
    for (size_t k = 0; k < m; k++) {
        score c = {cand[k], hits[cand[k]]};
        hits[cand[k]] = 0; /* only what was touched is reset */
        if (keep == RELATED && !better(c, top[RELATED - 1])) continue;
        size_t j = keep < RELATED ? keep++ : RELATED - 1;
        while (j > 0 && better(c, top[j - 1])) {
            top[j] = top[j - 1];
            j--;
        }
        top[j] = c;
    }
    for (size_t k = 0; k < keep; k++)
        best[k] = s->regular.v[top[k].at];
    return keep;
}

const plist *
link_related(const page *cp)
{
    page *p = (page *)cp; /* only its related slots, claimed below */
    if (!p->related.v ||
        atomic_load_explicit(&p->related_state, memory_order_acquire) == RELATED_READY)
        return &p->related;
    page *best[RELATED];
    size_t keep = pick_related(p->site, p, best);
    int idle = RELATED_NONE;
    if (atomic_compare_exchange_strong(&p->related_state, &idle, RELATED_WRITING)) {
        memcpy(p->related.v, best, keep * sizeof(*best));
        p->related.n = keep;
        atomic_store_explicit(&p->related_state, RELATED_READY, memory_order_release);
    } else {
        /* another thread is writing the same five pointers */
        while (atomic_load_explicit(&p->related_state, memory_order_acquire) != RELATED_READY)
            sched_yield();
    }
    return &p->related;
}

/* Parts of a series: oldest first. */
static int
cmp_parts(const void *a, const void *b)
{
    return cmp_order(*(page *const *)a, *(page *const *)b, false);
}

/* Each series' parts in reading order, for page.series_parts (sorted once
 * here, not on every lookup: a theme may show them on every card). */
static void
make_series_parts(site *s)
{
    for (size_t t = 0; t < s->cfg.ntaxonomies; t++) {
        if (strcmp(s->cfg.taxonomies[t].plural, "series") != 0) continue;
        const taxonomy *tx = &s->taxes[t];
        for (size_t k = 0; k < tx->nterms; k++) {
            term *tm = tx->terms[k];
            size_t n = tm->pages.n;
            tm->parts.v = arena_calloc(&s->mem, n + 1, sizeof(page *));
            tm->parts.n = n;
            if (n) memcpy(tm->parts.v, tm->pages.v, n * sizeof(page *));
            if (n > 1) qsort(tm->parts.v, n, sizeof(page *), cmp_parts);
        }
    }
}

/* Gives every regular page its position and its (empty) related slots,
 * and every term its pages' positions. */
static void
make_related(site *s)
{
    size_t n = s->regular.n;
    page **slots = arena_calloc(&s->mem, n * RELATED + 1, sizeof(page *));
    for (size_t i = 0; i < n; i++) {
        page *p = s->regular.v[i];
        p->order = i;
        p->related.v = slots + i * RELATED;
        p->related.n = 0;
        atomic_init(&p->related_state, RELATED_NONE);
    }
    for (size_t t = 0; t < s->cfg.ntaxonomies; t++) {
        const taxonomy *tx = &s->taxes[t];
        for (size_t k = 0; k < tx->nterms; k++) {
            term *tm = tx->terms[k];
            tm->at = arena_calloc(&s->mem, tm->pages.n + 1, sizeof(uint32_t));
            for (size_t j = 0; j < tm->pages.n; j++)
                tm->at[j] = (uint32_t)tm->pages.v[j]->order;
        }
    }
}

/*
 * Copies the published pages' titles into one block, newest first.  A
 * title was parsed into its thread's arena beside the page's source, a
 * few kilobytes from the next one, and every list, feed and neighbour
 * link reads them: packing them cut a 10,000-post build's render stage
 * by a tenth (cache and TLB misses).
 */
static void
pack_titles(site *s)
{
    size_t total = 0;
    for (size_t i = 0; i < s->regular.n; i++) {
        const char *t = s->regular.v[i]->title;
        if (t) total += strlen(t) + 1;
    }
    char *w = arena_alloc(&s->mem, total ? total : 1);
    for (size_t i = 0; i < s->regular.n; i++) {
        page *p = s->regular.v[i];
        if (!p->title) continue;
        size_t n = strlen(p->title) + 1;
        memcpy(w, p->title, n);
        p->title = w;
        w += n;
    }
}

static int
cmp_out(const void *a, const void *b)
{
    const page *x = *(page *const *)a, *y = *(page *const *)b;
    return strcmp(x->out, y->out);
}

/* Two pages, one URL: name both files. */
static int
check_urls(site *s, diags *d)
{
    page **v = xcalloc(s->npages ? s->npages : 1, sizeof(page *));
    size_t n = 0;
    for (size_t i = 0; i < s->npages; i++)
        if (s->pages[i]->out) v[n++] = s->pages[i];
    qsort(v, n, sizeof(page *), cmp_out);
    int failed = 0;
    for (size_t i = 1; i < n; i++) {
        if (strcmp(v[i - 1]->out, v[i]->out) == 0) {
            diag_add(d, DIAG_ERROR, v[i]->file, 1, 1,
                     "%s is claimed twice: by this file and by %s; change a slug or url", v[i]->url,
                     v[i - 1]->file);
            failed = 1;
        }
    }
    free(v);
    return failed ? -1 : 0;
}

int
link_site(site *s, diags *d)
{
    size_t cap = 0;
    int failed = 0;
    for (size_t i = 0; i < s->npages; i++) {
        page *p = s->pages[i];
        if (p->kind == PK_PAGE && content_published(s, p))
            plist_push(&s->mem, &s->regular, &cap, p);
    }
    plist_sort(&s->regular);
    pack_titles(s);
    for (size_t i = 0; i < s->regular.n; i++) {
        page *p = s->regular.v[i];
        if (p->url_fm)
            set_path(s, p, p->url_fm);
        else if (expand_permalink(s, p, d) < 0)
            failed = 1;
        if (p->has_date && (!s->lastmod.sec || dt_cmp(p->date, s->lastmod) > 0))
            s->lastmod = p->date;
    }
    make_sections(s);
    make_taxonomies(s);
    make_term_pages(s);
    make_series_parts(s);
    make_related(s);
    if (check_urls(s, d) < 0) failed = 1;
    return failed ? -1 : 0;
}
