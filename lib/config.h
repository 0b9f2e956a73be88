/*
 * config: site.yaml, read once into one immutable struct.
 *
 * Both programs read the same file: hone for the build, hone-fcgi for its
 * signup and certificate settings.  Every key is checked here, so a typo
 * ("titel:") is an error that names file:line:col instead of a setting
 * silently ignored.
 */
#ifndef HONE_CONFIG_H
#define HONE_CONFIG_H

#include <stdbool.h>
#include <stddef.h>

#include "arena.h"
#include "diag.h"
#include "val.h"

typedef struct config_permalink {
    const char *section; /* "posts", or "" for pages at the top of content/ */
    const char *pattern; /* "/:year/:month/:slug/" */
} config_permalink;

typedef struct config_taxonomy {
    const char *singular; /* "tag" */
    const char *plural;   /* "tags": the URL and the front matter key */
} config_taxonomy;

/* signup: what hone-fcgi needs (README, site.yaml reference). Paths are
 * resolved against site.yaml's folder. */
typedef struct config_signup {
    const char *store;       /* the SQLite file: state/signups.db */
    const char *secret_file; /* the site secret: state/secret.key */
    const char *thanks;      /* where a signup is sent, with the base path: "/thanks/" */
    const char *cookie;      /* the member cookie's name: "hone_member" */
    int lifetime_days;       /* the cookie's Max-Age in days */
    const char **origins;    /* allowed Origin values: "https://example.org" */
    size_t norigins;
    const char **trusted_proxies; /* REMOTE_ADDRs whose X-Forwarded-For is believed */
    size_t ntrusted;
    int per_minute, burst; /* rate limit per client IP */
    int max_body;          /* bytes */
} config_signup;

/* certificates: one PDF members download, stamped per download by
 * hone-fcgi (README, Certificates). */
typedef struct config_certificate {
    const char *name;     /* [a-z0-9_-]: the URL /certificates/NAME.pdf */
    const char *template; /* the template PDF, resolved against site.yaml's folder */
    const char *filename; /* the download's name (UTF-8): "certificate.pdf" */
    const char *title;    /* for people and templates: "The hone certificate" */
    bool visible_line;    /* also print "Issued to ... on ..." on page 1 */
} config_certificate;

typedef struct config {
    const char *path;      /* site.yaml as given */
    const char *base_url;  /* always ends with "/" */
    const char *base_path; /* the path part of base_url: "/" or "/blog/" */
    const char *title;
    const char *description;
    const char *language; /* "en" */
    const char *author;
    const char *copyright;
    const char *theme;      /* a folder name under themes/ */
    const char *themes_dir; /* where themes live, default "themes" beside site.yaml */
    int32_t default_offset; /* zone for dates written without one (seconds east) */
    config_permalink *permalinks;
    size_t npermalinks;
    config_taxonomy *taxonomies;
    size_t ntaxonomies;
    int paginate;        /* list items per page */
    int summary_words;   /* automatic summary length */
    bool feed_full;      /* full content (true) or the summary in feeds */
    int feed_limit;      /* items per feed; 0 = all */
    bool unsafe_html;    /* keep raw HTML in Markdown */
    bool smart;          /* smart punctuation */
    const char *landing; /* content path of the landing page shown as the anonymous home */
    config_signup signup;
    config_certificate *certificates;
    size_t ncertificates;
    /* the one at /certificate.pdf: the one named "default", else the
     * first; NULL when there are none */
    const config_certificate *certificate_default;
    val params; /* free "params:" map */
    val raw;    /* the whole file, for templates (site.data) */
    arena mem;
} config;

/* Loads and checks site.yaml.  0, or -1 with every problem in d. */
int config_load(const char *path, config *c, diags *d);
void config_free(config *c);

/* The permalink pattern for a section (its own, else the "" default, else
 * "/:section/:slug/" for a section and "/:slug/" at the top). */
const char *config_permalink_for(const config *c, const char *section);

#endif
