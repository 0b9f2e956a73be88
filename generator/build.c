/*
 * build: `hone build`, the stages of site.h run in order.
 *
 * Errors of a stage are all collected before the build stops, sorted by
 * file and position so the report reads the same on every run.  Only a
 * build without errors replaces the output folder.
 */
#include "build.h"
#include "asset.h"
#include "output.h"
#include "pool.h"
#include "site.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

typedef struct parse_ctx {
    site *s;
    arena *arenas;
    diags *ds;
} parse_ctx;

static void
parse_job(void *ctx, size_t job, int th)
{
    parse_ctx *pc = ctx;
    content_parse(pc->s, pc->s->pages[job], &pc->arenas[th], &pc->ds[th]);
}

static void
markdown_job(void *ctx, size_t job, int th)
{
    parse_ctx *pc = ctx;
    content_markdown(pc->s, pc->s->pages[job], &pc->ds[th]);
}

/* Runs fn over every page on all threads; merges the diagnostics. */
static int
each_page(site *s, pool_fn fn, arena *arenas, int threads, diags *d)
{
    diags *ds = xcalloc((size_t)threads, sizeof(diags));
    parse_ctx pc = {s, arenas, ds};
    pool_run(threads, s->npages, fn, &pc);
    for (int t = 0; t < threads; t++)
        diags_move(d, &ds[t]);
    free(ds);
    return d->errors ? -1 : 0;
}

/* a/b, or b alone when a is ".", so messages name "content/x.md". */
static char *
path_join(const char *a, const char *b)
{
    buf p = BUF_INIT;
    if (strcmp(a, ".") == 0)
        buf_puts(&p, b);
    else
        buf_printf(&p, "%s/%s", a, b);
    return buf_detach(&p, NULL);
}

static double
seconds_since(const struct timespec *t0)
{
    struct timespec t1;
    clock_gettime(CLOCK_MONOTONIC, &t1);
    return (double)(t1.tv_sec - t0->tv_sec) + (double)(t1.tv_nsec - t0->tv_nsec) / 1e9;
}

/* --timings: the stage that just ended, and its wall time. */
static void
lap(const site *s, struct timespec *t, const char *stage)
{
    if (!s->o->timings) return;
    fprintf(stderr, "hone build: %-12s %7.3f s\n", stage, seconds_since(t));
    clock_gettime(CLOCK_MONOTONIC, t);
}

/* The output folder must not be inside content/ (it would be read as
 * content on the next build) nor be the site folder itself. */
static int
check_dest(site *s, const char *dest, diags *d)
{
    char content[PATH_MAX], src[PATH_MAX], parent[PATH_MAX];
    if (!realpath(s->content_dir, content) || !realpath(s->o->src, src))
        return 0; /* reported by the scan */
    /* dest may not exist yet: resolve its parent folder */
    char *copy = xstrdup(dest);
    size_t n = strlen(copy);
    while (n > 1 && copy[n - 1] == '/')
        copy[--n] = '\0';
    char *slash = strrchr(copy, '/');
    const char *name = slash ? slash + 1 : copy;
    const char *dir = slash ? (slash == copy ? "/" : (*slash = '\0', copy)) : ".";
    int ok = realpath(dir, parent) != NULL;
    buf out = BUF_INIT;
    buf_printf(&out, "%s/%s", parent, name);
    free(copy);
    int r = 0;
    size_t cl = strlen(content);
    if (ok &&
        ((strncmp(out.data, content, cl) == 0 && (out.data[cl] == '/' || out.data[cl] == '\0')) ||
         strcmp(out.data, src) == 0)) {
        diag_add(d, DIAG_ERROR, dest, 0, 0,
                 "the output folder is inside the content folder (%s) or is the site itself; "
                 "choose another with -d",
                 content);
        r = -1;
    }
    buf_free(&out);
    return r;
}

static void
free_site(site *s, arena *arenas, int threads)
{
    for (size_t i = 0; i < s->npages; i++) {
        md_free(&s->pages[i]->md);
        free(s->pages[i]->source);
        free((void *)s->pages[i]->resources.v);
    }
    free(s->pages);
    free((void *)s->files.v);
    free(s->assets);
    for (int t = 0; arenas && t < threads; t++)
        arena_free(&arenas[t]);
    free(arenas);
    sc_env_free(s->shortcodes);
    tmpl_env_free(s->env);
    config_free(&s->cfg);
    arena_free(&s->mem);
    link_release();
    md_release();
}

int
build_run(const build_opts *o, build_stats *st)
{
    struct timespec t0, t;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    t = t0;
    site s;
    memset(&s, 0, sizeof(s));
    arena_init(&s.mem);
    s.o = o;
    diags d = DIAGS_INIT;
    int rc = BUILD_INPUT;
    int threads = o->jobs > 0 ? o->jobs : pool_cpus();
    arena *arenas = NULL;
    char *staging = NULL;
    char *cfgpath = path_join(o->src, "site.yaml");
    char *content = path_join(o->src, "content");
    char *stat_dir = path_join(o->src, "static");
    char *site_tmpl = path_join(o->src, "templates");
    char *theme = NULL, *theme_tmpl = NULL;
    const char *dest = o->dest;
    char *dest_alloc = NULL;
    if (!dest) dest = dest_alloc = path_join(o->src, "public");

    if (config_load(cfgpath, &s.cfg, &d) < 0) goto out;
    s.content_dir = content;
    s.static_dir = stat_dir;
    {
        buf b = BUF_INIT;
        if (s.cfg.themes_dir)
            buf_printf(&b, "%s/%s/%s", o->src, s.cfg.themes_dir, s.cfg.theme);
        else
            buf_printf(&b, "%s/themes/%s", o->src, s.cfg.theme);
        theme = buf_detach(&b, NULL);
        struct stat sb;
        if (stat(theme, &sb) < 0 || !S_ISDIR(sb.st_mode)) {
            diag_add(&d, DIAG_ERROR, cfgpath, 0, 0,
                     "theme '%s' not found: no folder %s; set theme: or themes_dir: in site.yaml",
                     s.cfg.theme, theme);
            goto out;
        }
    }
    s.theme_dir = theme;
    theme_tmpl = path_join(theme, "templates");
    s.env = tmpl_env_new();
    tmpl_env_add_dir(s.env, site_tmpl);
    tmpl_env_add_dir(s.env, theme_tmpl);
    tmpl_env_set_base_url(s.env, s.cfg.base_url);
    render_add_builtins(s.env);
    if (asset_scan(&s, &d) < 0) goto out;
    asset_register(&s);

    if (check_dest(&s, dest, &d) < 0) goto out;
    lap(&s, &t, "config");
    /* scan */
    if (content_scan(&s, &d) < 0) goto out;
    lap(&s, &t, "scan");
    /* front matter, in parallel */
    arenas = xcalloc((size_t)threads, sizeof(arena));
    if (each_page(&s, parse_job, arenas, threads, &d) < 0) goto out;
    lap(&s, &t, "front matter");
    if (link_site(&s, &d) < 0) goto out;
    lap(&s, &t, "link");
    ctx_prepare(&s);            /* shortcode templates may read site.taxonomies */
    content_shortcodes(&s, &d); /* its errors stop the build after the next stage */
    lap(&s, &t, "shortcodes");
    /* Markdown, in parallel */
    if (each_page(&s, markdown_job, arenas, threads, &d) < 0) goto out;
    s.markdown_done = true;
    lap(&s, &t, "markdown");
    /* render and write */
    staging = output_staging_path(dest);
    int err = output_begin(staging);
    if (err) {
        diag_add(&d, DIAG_ERROR, staging, 0, 0, "cannot create the staging folder: %s",
                 strerror(err));
        rc = BUILD_OS;
        goto out;
    }
    if (render_site(&s, staging, &d) < 0) {
        output_remove_tree(staging);
        goto out;
    }
    lap(&s, &t, "render");
    err = output_commit(staging, dest);
    if (err) {
        diag_add(&d, DIAG_ERROR, dest, 0, 0, "cannot put the new site in place: %s", strerror(err));
        output_remove_tree(staging);
        rc = BUILD_OS;
        goto out;
    }
    lap(&s, &t, "commit");
    rc = BUILD_OK;
    st->pages = s.n_html;
    st->feeds = s.n_feeds;
    st->copied = s.n_copied;
    st->aliases = s.n_aliases;
    for (size_t i = 0; i < s.npages; i++)
        st->sources += s.pages[i]->rel != NULL;
    st->sources += s.files.n;
out:
    st->seconds = seconds_since(&t0);
    diags_sort(&d);
    diags_print(&d, stderr);
    st->errors = d.errors;
    diags_free(&d);
    if (!o->exiting) free_site(&s, arenas, threads);
    lap(&s, &t, "free");
    free(staging);
    free(cfgpath);
    free(content);
    free(stat_dir);
    free(site_tmpl);
    free(theme);
    free(theme_tmpl);
    free(dest_alloc);
    return rc;
}
