/*
 * asset: static files, published twice: under their own name and under a
 * name that carries a hash of their content ("css/edge.3f9a0c1b2d4e.css").
 *
 * A theme writes {{ "css/edge.css"|asset }} and gets the hashed URL, so
 * nginx can tell browsers to cache it forever: a changed file has a new
 * name.  The plain name stays for links written by hand.  Files come from
 * the theme's static/ and then the site's static/, which wins when both
 * have the same path.  Everything here happens once, before rendering, so
 * the filter only reads a sorted table.
 */
#include "asset.h"
#include "fs.h"

#include <errno.h>
#include <sodium.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

enum { HASH_BYTES = 6, MAX_ASSET = 64 * 1024 * 1024 };

typedef struct scan {
    site *s;
    diags *d;
    size_t cap;
} scan;

static asset *
find(const site *s, const char *rel, size_t n)
{
    size_t lo = 0, hi = s->nassets;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        int c = strncmp(s->assets[mid].rel, rel, n);
        if (c == 0 && s->assets[mid].rel[n] != '\0') c = 1;
        if (c == 0) return &s->assets[mid];
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return NULL;
}

/* "css/edge.css" + hash -> "css/edge.HASH.css" (no extension: name.HASH) */
static const char *
hashed_name(arena *a, const char *rel, const unsigned char *h)
{
    buf b = BUF_INIT;
    const char *slash = strrchr(rel, '/');
    const char *dot = strrchr(slash ? slash + 1 : rel, '.');
    size_t stem = dot && dot != (slash ? slash + 1 : rel) ? (size_t)(dot - rel) : strlen(rel);
    buf_put(&b, rel, stem);
    buf_putc(&b, '.');
    static const char hex[] = "0123456789abcdef";
    for (int i = 0; i < HASH_BYTES; i++) {
        buf_putc(&b, hex[h[i] >> 4]);
        buf_putc(&b, hex[h[i] & 15]);
    }
    buf_puts(&b, rel + stem);
    const char *r = arena_strndup(a, buf_cstr(&b), b.len);
    buf_free(&b);
    return r;
}

static void
add(scan *sc, const char *src, const char *rel)
{
    site *s = sc->s;
    char *data;
    size_t len;
    int err = fs_read_file(src, MAX_ASSET, &data, &len);
    if (err) {
        diag_add(sc->d, DIAG_ERROR, src, 0, 0, "cannot read: %s", strerror(err));
        return;
    }
    unsigned char h[crypto_generichash_BYTES_MIN];
    crypto_generichash(h, sizeof(h), (const unsigned char *)data, len, NULL, 0);
    free(data);
    /* the site's static/ comes second and replaces the theme's file */
    for (size_t i = 0; i < s->nassets; i++) {
        if (strcmp(s->assets[i].rel, rel) == 0) {
            s->assets[i].src = arena_strdup(&s->mem, src);
            s->assets[i].hashed = hashed_name(&s->mem, rel, h);
            return;
        }
    }
    if (s->nassets == sc->cap) {
        sc->cap = sc->cap ? sc->cap * 2 : 64;
        s->assets = xreallocarray(s->assets, sc->cap, sizeof(asset));
    }
    asset *a = &s->assets[s->nassets++];
    a->src = arena_strdup(&s->mem, src);
    a->rel = arena_strdup(&s->mem, rel);
    a->hashed = hashed_name(&s->mem, rel, h);
}

static void
walk(scan *sc, const char *dir, const char *rel)
{
    size_t n;
    int err;
    char **names = fs_list_dir(dir, &n, &err); /* a missing folder: nothing */
    for (size_t i = 0; i < n; i++) {
        buf src = BUF_INIT, r = BUF_INIT;
        buf_printf(&src, "%s/%s", dir, names[i]);
        buf_printf(&r, "%s%s%s", rel, rel[0] ? "/" : "", names[i]);
        struct stat st;
        if (stat(src.data, &st) < 0)
            diag_add(sc->d, DIAG_ERROR, src.data, 0, 0, "cannot read: %s", strerror(errno));
        else if (S_ISDIR(st.st_mode))
            walk(sc, src.data, r.data);
        else
            add(sc, src.data, r.data);
        buf_free(&src);
        buf_free(&r);
    }
    fs_free_list(names, n);
}

static int
cmp_rel(const void *a, const void *b)
{
    return strcmp(((const asset *)a)->rel, ((const asset *)b)->rel);
}

int
asset_scan(site *s, diags *d)
{
    scan sc = {s, d, 0};
    size_t before = d->errors;
    if (s->theme_dir) {
        buf b = BUF_INIT;
        buf_printf(&b, "%s/static", s->theme_dir);
        walk(&sc, b.data, "");
        buf_free(&b);
    }
    walk(&sc, s->static_dir, "");
    if (s->nassets > 1) qsort(s->assets, s->nassets, sizeof(asset), cmp_rel);
    for (size_t i = 0; i < s->nassets; i++) {
        buf b = BUF_INIT;
        buf_printf(&b, "%s%s", s->cfg.base_path, s->assets[i].hashed);
        s->assets[i].url = arena_strndup(&s->mem, b.data, b.len);
        buf_free(&b);
    }
    return d->errors > before ? -1 : 0;
}

/* {{ "css/edge.css"|asset }} -> "/base/css/edge.HASH.css" */
static int
f_asset(const tmpl_fctx *c, val in, const val *arg, val *out)
{
    const site *s = tmpl_env_host(c->env);
    val v = val_to_str(in, c->a);
    const char *rel = v.u.str.s;
    size_t n = v.u.str.n;
    while (n && *rel == '/')
        rel++, n--;
    const asset *a = s ? find(s, rel, n) : NULL;
    if (!a) {
        buf_printf(c->err, "asset: no file \"%.*s\" in static/ or the theme's static/",
                   (int)v.u.str.n, v.u.str.s);
        return -1;
    }
    *out = val_cstr(a->url); /* made once, in asset_scan */
    return 0;
}

void
asset_register(site *s)
{
    tmpl_env_set_host(s->env, s);
    tmpl_env_add_filter(s->env, "asset", f_asset, TMPL_ARG_NONE, 0);
}
