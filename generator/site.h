/*
 * site: the model of a site being built, and the stages that fill it.
 *
 * A build is data flowing through these stages (DESIGN.md):
 *
 *   config   site.yaml into a config (lib/config.c)
 *   scan     content/ into one page per Markdown file (content.c)
 *   parse    each page's front matter, in parallel (content.c)
 *   link     once, single-threaded: dates, sections, taxonomies, URLs,
 *            prev/next, related posts (link.c)
 *   markdown each published page's body, in parallel, now that every page
 *            has its URL (content.c, markdown.c)
 *   render   each output through its template, in parallel, written into
 *            a staging folder that replaces the old output at the end
 *            (render.c, output.c)
 *
 * After link, the model is read-only: the render threads share it, and
 * the templates see it through host objects (context.c) without copies.
 */
#ifndef HONE_SITE_H
#define HONE_SITE_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "arena.h"
#include "config.h"
#include "diag.h"
#include "dt.h"
#include "markdown.h"
#include "shortcode.h"
#include "tmpl.h"
#include "val.h"
#include "yamlv.h"

typedef struct page page;
typedef struct term term;
typedef struct taxonomy taxonomy;
typedef struct site site;

typedef struct plist {
    page **v;
    size_t n;
} plist;

enum page_kind {
    PK_PAGE,     /* a post or a standalone page */
    PK_SECTION,  /* the list of a content folder: /posts/ */
    PK_HOME,     /* the site's home: / */
    PK_TAXONOMY, /* the list of a taxonomy's terms: /tags/ */
    PK_TERM,     /* the pages of one term: /tags/c/ */
};

/* A static file: published at rel and at hashed (see asset.c). */
typedef struct asset {
    const char *src;
    const char *rel;
    const char *hashed;
    const char *url; /* base path + hashed: what the asset filter gives */
} asset;

typedef struct strs {
    const char **v;
    size_t n;
} strs;

struct term {
    const taxonomy *tax;
    const char *name; /* as first written */
    const char *slug;
    page *list;   /* the PK_TERM page */
    plist pages;  /* newest first */
    size_t cap;   /* of pages.v */
    uint32_t *at; /* each page's position in site.regular (related posts) */
    plist parts;  /* a series' pages, oldest first (page.series_parts) */
};

struct taxonomy {
    const config_taxonomy *cfg;
    term **terms; /* sorted by name */
    size_t nterms;
    page *list; /* the PK_TAXONOMY page */
};

struct page {
    enum page_kind kind;
    const struct site *site;
    const char *file;     /* as shown in messages: "content/posts/x.md" */
    const char *rel;      /* relative to content/: "posts/x.md" */
    const char *dir;      /* a bundle's folder (rel), or NULL */
    const char *section;  /* "posts", or "" at the top */
    const char *filename; /* the file name without extension (or the bundle's folder) */

    /* front matter */
    const char *title;
    const char *slug;
    const char *url_fm; /* "url:" as written */
    const char *description;
    const char *summary_fm;
    const char *layout;
    const char *type;
    const char *excerpt_sep; /* Jekyll's excerpt_separator, or NULL */
    dt date, lastmod, publish, expiry;
    bool has_date, has_lastmod, has_publish, has_expiry;
    bool draft;
    int64_t weight;
    strs aliases;
    strs images;
    strs *terms_fm; /* per taxonomy (config order): the names written */
    val params;     /* the whole front matter map */
    yamlv_doc fm;   /* front matter with key positions */

    /* body */
    char *source;     /* the whole file, malloc'd; freed once its Markdown is rendered */
    const char *body; /* in source */
    size_t body_len;
    int body_line; /* file line where the body starts */
    md_doc md;

    /* link */
    const char *url;          /* site-relative URL with the base path: "/blog/posts/x/" */
    const char *permalink;    /* the same, absolute: "https://example.org/blog/posts/x/" */
    const char *out;          /* output file under the output folder: "posts/x/index.html" */
    page *prev, *next;        /* older and newer page in the same section */
    plist related;            /* filled by link_related when first asked */
    atomic_int related_state; /* link.c */
    term ***terms;            /* per taxonomy: the page's terms */
    size_t *nterms;
    plist pages;         /* for lists: what they list, newest first */
    const term *term;    /* PK_TERM */
    const taxonomy *tax; /* PK_TAXONOMY, PK_TERM */
    strs resources;      /* bundle files, rel to content/ */
    bool has_feed;
    bool landing; /* layout: landing */
    size_t order; /* position in site.regular */
};

typedef struct build_opts {
    const char *src;  /* the site folder (has site.yaml and content/) */
    const char *dest; /* output folder; default SRC/public */
    int jobs;         /* threads; 0 = all cores */
    bool drafts, future, expired;
    bool quiet;
    bool timings; /* each stage's wall time to stderr */
    bool exiting; /* the process ends after the build: leave the site's
                   * memory to the operating system (not under sanitizers) */
    dt now;       /* what counts as "now" for future and expired posts */
} build_opts;

struct site {
    const build_opts *o;
    config cfg;
    const char *content_dir; /* SRC/content */
    const char *static_dir;  /* SRC/static */
    const char *theme_dir;   /* the theme's folder */
    page **pages;            /* every page, scan order; lists and terms added by link */
    strs files;              /* plain files under content/ (rel), copied as they are */
    asset *assets;           /* static files, sorted by rel */
    size_t nassets;
    size_t npages, cappages;
    plist regular; /* PK_PAGE pages published, newest first */
    plist sections;
    page *home;
    taxonomy *taxes; /* per config taxonomy */
    dt lastmod;      /* newest date of the site */
    val taxonomies;  /* site.taxonomies: plural -> list of terms (ctx_prepare) */
    tmpl_env *env;
    sc_env *shortcodes; /* the theme's and the built-ins, and ref's targets */
    bool markdown_done; /* pages have their content (templates may read it) */
    arena mem;
    /* statistics for the summary */
    size_t n_html, n_feeds, n_copied, n_aliases;
};

/* content.c */
int content_scan(site *s, diags *d);
/* Reads a page's file and front matter; thread-safe across pages. */
int content_parse(site *s, page *p, arena *a, diags *d);
/* Loads the shortcode templates (the site's shortcodes/, then the
 * theme's) and makes every page a ref target; after link, before the
 * Markdown stage, single-threaded. */
int content_shortcodes(site *s, diags *d);
/* Renders a published page's Markdown, shortcodes expanded (after link:
 * it needs every page's URL); thread-safe across pages. */
int content_markdown(site *s, page *p, diags *d);
/* Is p in the build, given drafts/future/expired options? */
bool content_published(const site *s, const page *p);

/* link.c */
int link_site(site *s, diags *d);
/* p's related posts (most terms shared, then newest; at most 5), computed
 * on first call; safe from several threads.  Empty for list pages. */
const plist *link_related(const page *p);
/* Frees the calling thread's related-posts scratch (other threads' goes
 * when they end). */
void link_release(void);
page *site_add_page(site *s, enum page_kind kind);

/* One page of a paginated list. */
typedef struct pager {
    const page *list;
    size_t number, total; /* 1-based page number, number of pages */
    plist items;          /* the list's pages on this pager page */
} pager;

/* What one output is rendered with: the root of the template context. */
typedef struct frame {
    const site *s;
    const page *p;
    const pager *pg;      /* NULL when not paginated */
    bool feed;            /* rendering the page's RSS feed */
    plist feed_items;     /* the feed's items, limited */
    const char *alias_to; /* an alias page: the absolute URL it sends to */
} frame;

/* context.c: what templates see (documented in the README) */
val ctx_root(const frame *f);
val ctx_page(const page *p);
extern const val_class ctx_site_class, ctx_plist_class;
/* Builds what is computed once per site (site.taxonomies ...); call after link. */
void ctx_prepare(site *s);
/* The absolute URL of a site-relative one ("/blog/x/" -> "https://h/blog/x/"). */
const char *ctx_abs(const site *s, const char *url, arena *a);

/* render.c: renders every output into the staging folder */
void render_add_builtins(tmpl_env *env);
int render_site(site *s, const char *staging, diags *d);

#endif
