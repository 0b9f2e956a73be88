/*
 * config: reads site.yaml with yamlv and checks each key against a table
 * of what it may hold.  Problems are collected, not stopped at, so one
 * run names them all.  Defaults are those a new blog wants.
 */
#include "config.h"
#include "dt.h"
#include "fs.h"
#include "utf8.h"
#include "yamlv.h"

#include <arpa/inet.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

typedef struct loader {
    config *c;
    yamlv_doc doc;
    diags *d;
    int failed;
} loader;

/* Reports a problem at the top-level key's place in the file. */
static void bad(loader *l, const char *key, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void
bad(loader *l, const char *key, const char *fmt, ...)
{
    yamlv_loc w = yamlv_where(&l->doc, key);
    va_list ap;
    va_start(ap, fmt);
    diag_vadd(l->d, DIAG_ERROR, l->c->path, w.line, w.col, fmt, ap);
    va_end(ap);
    l->failed = 1;
}

static const char *
want_str(loader *l, val m, const char *key, const char *def)
{
    val v;
    if (!val_get(m, key, strlen(key), NULL, &v) || v.type == VAL_NULL) return def;
    if (v.type != VAL_STR) {
        bad(l, key, "'%s' must be text, not %s", key, val_type_name(v));
        return def;
    }
    return arena_strndup(&l->c->mem, v.u.str.s, v.u.str.n);
}

static int
want_int(loader *l, val m, const char *key, int def, int min, int max)
{
    val v;
    if (!val_get(m, key, strlen(key), NULL, &v) || v.type == VAL_NULL) return def;
    if (v.type != VAL_INT || v.u.i < min || v.u.i > max) {
        bad(l, key, "'%s' must be a whole number in range, not %s", key, val_type_name(v));
        return def;
    }
    return (int)v.u.i;
}

static bool
want_bool(loader *l, val m, const char *key, bool def)
{
    val v;
    if (!val_get(m, key, strlen(key), NULL, &v) || v.type == VAL_NULL) return def;
    if (v.type != VAL_BOOL) {
        bad(l, key, "'%s' must be true or false, not %s", key, val_type_name(v));
        return def;
    }
    return v.u.b;
}

/* Checks a map's keys against a list; reports each unknown one. */
static void
check_keys(loader *l, val m, const char *where, const char *const *known)
{
    for (size_t i = 0; i < m.u.map.n; i++) {
        const char *k = m.u.map.items[i].key;
        int ok = 0;
        for (const char *const *p = known; *p; p++)
            ok |= strcmp(*p, k) == 0;
        if (!ok) {
            yamlv_loc w = yamlv_where(&l->doc, where ? where : k);
            diag_add(l->d, DIAG_ERROR, l->c->path, w.line, w.col,
                     "unknown key '%s%s%s'; see the README's site.yaml reference",
                     where ? where : "", where ? "." : "", k);
            l->failed = 1;
        }
    }
}

static void
load_permalinks(loader *l, val root)
{
    val v;
    config *c = l->c;
    if (!val_get(root, "permalinks", 10, NULL, &v) || v.type == VAL_NULL) return;
    if (v.type != VAL_MAP) {
        bad(l, "permalinks", "'%s' must map sections to patterns, not %s", "permalinks",
            val_type_name(v));
        return;
    }
    c->permalinks = arena_calloc(&c->mem, v.u.map.n + 1, sizeof(config_permalink));
    for (size_t i = 0; i < v.u.map.n; i++) {
        const val_pair *p = &v.u.map.items[i];
        if (p->v.type != VAL_STR || p->v.u.str.n == 0 || p->v.u.str.s[0] != '/' ||
            p->v.u.str.s[p->v.u.str.n - 1] != '/') {
            bad(l, "permalinks",
                "'%s' patterns must be text that starts and ends with '/', "
                "like /:year/:slug/ (%s)",
                "permalinks", p->key);
            continue;
        }
        const char *pat = arena_strndup(&c->mem, p->v.u.str.s, p->v.u.str.n);
        static const char *const vars[] = {":year",    ":month", ":day",      ":slug",
                                           ":section", ":title", ":filename", NULL};
        for (const char *q = strchr(pat, ':'); q; q = strchr(q + 1, ':')) {
            int ok = 0;
            for (const char *const *vv = vars; *vv; vv++)
                ok |= strncmp(q, *vv, strlen(*vv)) == 0;
            if (!ok)
                bad(l, "permalinks",
                    "'%s': unknown variable in pattern '%s'; use :year :month "
                    ":day :slug :section :title :filename",
                    "permalinks", pat);
        }
        c->permalinks[c->npermalinks].section =
            strcmp(p->key, "_default") == 0 || strcmp(p->key, "/") == 0 ? "" : p->key;
        c->permalinks[c->npermalinks].pattern = pat;
        c->npermalinks++;
    }
}

static void
load_taxonomies(loader *l, val root)
{
    static const config_taxonomy defaults[] = {
        {"tag", "tags"}, {"category", "categories"}, {"series", "series"}};
    config *c = l->c;
    val v;
    if (!val_get(root, "taxonomies", 10, NULL, &v) || v.type == VAL_NULL) {
        c->taxonomies = arena_calloc(&c->mem, 3, sizeof(config_taxonomy));
        memcpy(c->taxonomies, defaults, sizeof(defaults));
        c->ntaxonomies = 3;
        return;
    }
    if (v.type != VAL_MAP) {
        bad(l, "taxonomies", "'%s' must map singular to plural names (tag: tags), not %s",
            "taxonomies", val_type_name(v));
        return;
    }
    c->taxonomies = arena_calloc(&c->mem, v.u.map.n + 1, sizeof(config_taxonomy));
    for (size_t i = 0; i < v.u.map.n; i++) {
        const val_pair *p = &v.u.map.items[i];
        if (p->v.type != VAL_STR || p->v.u.str.n == 0 || memchr(p->v.u.str.s, '/', p->v.u.str.n)) {
            bad(l, "taxonomies", "'%s': the plural name of '%s' must be text without '/'",
                "taxonomies", p->key);
            continue;
        }
        c->taxonomies[c->ntaxonomies].singular = p->key;
        c->taxonomies[c->ntaxonomies].plural = arena_strndup(&c->mem, p->v.u.str.s, p->v.u.str.n);
        c->ntaxonomies++;
    }
}

static void
load_sub(loader *l, val root)
{
    config *c = l->c;
    val v;
    static const char *const feed_keys[] = {"full", "limit", NULL};
    static const char *const md_keys[] = {"unsafe_html", "smart", NULL};
    if (val_get(root, "feed", 4, NULL, &v) && v.type != VAL_NULL) {
        if (v.type != VAL_MAP) {
            bad(l, "feed", "'%s' must be a map (full:, limit:), not %s", "feed", val_type_name(v));
        } else {
            check_keys(l, v, "feed", feed_keys);
            c->feed_full = want_bool(l, v, "full", c->feed_full);
            c->feed_limit = want_int(l, v, "limit", c->feed_limit, 0, 1000000);
        }
    }
    if (val_get(root, "markdown", 8, NULL, &v) && v.type != VAL_NULL) {
        if (v.type != VAL_MAP) {
            bad(l, "markdown", "'%s' must be a map (unsafe_html:, smart:), not %s", "markdown",
                val_type_name(v));
        } else {
            check_keys(l, v, "markdown", md_keys);
            c->unsafe_html = want_bool(l, v, "unsafe_html", c->unsafe_html);
            c->smart = want_bool(l, v, "smart", c->smart);
        }
    }
}

/* A path from site.yaml, relative to site.yaml's folder. */
static const char *
beside_config(config *c, const char *rel)
{
    if (rel[0] == '/') return rel;
    const char *slash = strrchr(c->path, '/');
    buf b = BUF_INIT;
    if (slash) buf_put(&b, c->path, (size_t)(slash - c->path + 1));
    buf_puts(&b, rel);
    const char *r = arena_strndup(&c->mem, buf_cstr(&b), b.len);
    buf_free(&b);
    return r;
}

/* "https://Example.org:8443/x/" -> "https://example.org:8443"; NULL when
 * not an http(s) origin (a path other than "/" is refused when strict). */
static const char *
origin_of(config *c, const char *url, bool strict)
{
    size_t skip = strncmp(url, "http://", 7) == 0 ? 7 : strncmp(url, "https://", 8) == 0 ? 8 : 0;
    if (!skip) return NULL;
    const char *host = url + skip;
    size_t n = strcspn(host, "/?#");
    if (n == 0) return NULL;
    if (strict && host[n] && strcmp(host + n, "/") != 0) return NULL;
    for (size_t i = 0; i < n; i++) {
        unsigned char ch = (unsigned char)host[i];
        if (ch <= ' ' || ch >= 0x7f || ch == '@' || ch == '\\') return NULL;
    }
    char *o = arena_strndup(&c->mem, url, skip + n);
    for (char *q = o; *q; q++)
        if (*q >= 'A' && *q <= 'Z') *q = (char)(*q - 'A' + 'a');
    return o;
}

/* A list of text values (a single text is a list of one). */
static const char **
want_strs(loader *l, val m, const char *key, size_t *n)
{
    val v;
    *n = 0;
    if (!val_get(m, key, strlen(key), NULL, &v) || v.type == VAL_NULL) return NULL;
    if (v.type == VAL_STR) v = val_list(&v, 1);
    if (v.type != VAL_LIST) {
        bad(l, "signup", "'signup.%s' must be a list of text, not %s", key, val_type_name(v));
        return NULL;
    }
    const char **r = arena_calloc(&l->c->mem, v.u.list.n + 1, sizeof(char *));
    for (size_t i = 0; i < v.u.list.n; i++) {
        val e = v.u.list.items[i];
        if (e.type != VAL_STR) {
            bad(l, "signup", "'signup.%s' must be a list of text; item %zu is %s", key, i + 1,
                val_type_name(e));
            continue;
        }
        r[(*n)++] = arena_strndup(&l->c->mem, e.u.str.s, e.u.str.n);
    }
    return r;
}

static void
load_signup(loader *l, val root)
{
    static const char *const keys[] = {
        "store",   "secret_file",     "thanks",     "cookie",   "lifetime_days",
        "origins", "trusted_proxies", "rate_limit", "max_body", NULL};
    static const char *const rate_keys[] = {"per_minute", "burst", NULL};
    config *c = l->c;
    config_signup *g = &c->signup;
    val v = val_map(NULL, 0), rl;
    if (val_get(root, "signup", 6, NULL, &v) && v.type != VAL_NULL && v.type != VAL_MAP) {
        bad(l, "signup", "'%s' must be a map (store:, thanks:, ...), not %s", "signup",
            val_type_name(v));
        v = val_map(NULL, 0);
    }
    if (v.type == VAL_NULL) v = val_map(NULL, 0);
    check_keys(l, v, "signup", keys);
    g->store = beside_config(c, want_str(l, v, "store", "state/signups.db"));
    g->secret_file = beside_config(c, want_str(l, v, "secret_file", "state/secret.key"));
    const char *thanks = want_str(l, v, "thanks", "/thanks/");
    if (thanks[0] != '/' || thanks[1] == '/' || strpbrk(thanks, "\r\n\t\\ ?#"))
        bad(l, "signup", "'signup.thanks' must be a path on the site like /thanks/ (%s)", thanks);
    buf b = BUF_INIT;
    buf_puts(&b, c->base_path);
    buf_puts(&b, thanks + (thanks[0] == '/'));
    g->thanks = arena_strndup(&c->mem, buf_cstr(&b), b.len);
    buf_free(&b);
    g->cookie = want_str(l, v, "cookie", "hone_member");
    if (!g->cookie[0] ||
        strspn(g->cookie, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-") !=
            strlen(g->cookie))
        bad(l, "signup", "'signup.cookie' must be letters, digits, _ and - (%s)", g->cookie);
    g->lifetime_days = want_int(l, v, "lifetime_days", 365, 1, 3650);
    g->max_body = want_int(l, v, "max_body", 4096, 256, 65536);
    g->origins = want_strs(l, v, "origins", &g->norigins);
    for (size_t i = 0; i < g->norigins; i++) {
        const char *o = origin_of(c, g->origins[i], true);
        if (!o)
            bad(l, "signup", "'signup.origins': '%s' must be an origin like https://example.org",
                g->origins[i]);
        else
            g->origins[i] = o;
    }
    if (g->norigins == 0) {
        const char *o = origin_of(c, c->base_url, false);
        g->origins = arena_calloc(&c->mem, 2, sizeof(char *));
        if (o) g->origins[g->norigins++] = o;
    }
    g->trusted_proxies = want_strs(l, v, "trusted_proxies", &g->ntrusted);
    for (size_t i = 0; i < g->ntrusted; i++) {
        unsigned char a[16];
        if (inet_pton(AF_INET, g->trusted_proxies[i], a) != 1 &&
            inet_pton(AF_INET6, g->trusted_proxies[i], a) != 1)
            bad(l, "signup", "'signup.trusted_proxies': '%s' is not an IP address",
                g->trusted_proxies[i]);
    }
    g->per_minute = 30;
    g->burst = 10;
    if (val_get(v, "rate_limit", 10, NULL, &rl) && rl.type != VAL_NULL) {
        if (rl.type != VAL_MAP) {
            bad(l, "signup", "'signup.rate_limit' must be a map (per_minute:, burst:), not %s",
                val_type_name(rl));
        } else {
            check_keys(l, rl, "signup.rate_limit", rate_keys);
            g->per_minute = want_int(l, rl, "per_minute", g->per_minute, 1, 1000000);
            g->burst = want_int(l, rl, "burst", g->burst, 1, 1000000);
        }
    }
}

/* A certificate's download name: printable, one path segment. */
static bool
filename_ok(const char *s)
{
    size_t n = strlen(s);
    if (n == 0 || n > 255 || utf8_check(s, n) != n || !strcmp(s, ".") || !strcmp(s, ".."))
        return false;
    for (const unsigned char *p = (const unsigned char *)s; *p; p++)
        if (*p < 0x20 || *p == 0x7f || *p == '/' || *p == '\\') return false;
    return true;
}

/* certificates: a list of {name, template, filename, title, visible_line}. */
static void
load_certificates(loader *l, val root)
{
    static const char *const keys[] = {"name",  "template",     "filename",
                                       "title", "visible_line", NULL};
    config *c = l->c;
    val v;
    if (!val_get(root, "certificates", 12, NULL, &v) || v.type == VAL_NULL) return;
    if (v.type != VAL_LIST) {
        bad(l, "certificates",
            "'certificates' must be a list of certificates (- name: ..., template: ...), not %s",
            val_type_name(v));
        return;
    }
    c->certificates = arena_calloc(&c->mem, v.u.list.n + 1, sizeof(config_certificate));
    for (size_t i = 0; i < v.u.list.n; i++) {
        val e = v.u.list.items[i];
        if (e.type != VAL_MAP) {
            bad(l, "certificates",
                "'certificates': item %zu must be a map (name:, template:), not %s", i + 1,
                val_type_name(e));
            continue;
        }
        check_keys(l, e, "certificates", keys);
        config_certificate *ct = &c->certificates[c->ncertificates];
        ct->name = want_str(l, e, "name", NULL);
        const char *tpl = want_str(l, e, "template", NULL);
        if (!ct->name || !tpl) {
            bad(l, "certificates", "'certificates': item %zu needs a name and a template", i + 1);
            continue;
        }
        size_t nl = strlen(ct->name);
        if (nl == 0 || nl > 64 ||
            strspn(ct->name, "abcdefghijklmnopqrstuvwxyz0123456789_-") != nl) {
            bad(l, "certificates",
                "'certificates': the name '%s' must be 1 to 64 lower-case letters, digits, _ "
                "and - (it is the URL /certificates/NAME.pdf)",
                ct->name);
            continue;
        }
        for (size_t j = 0; j < c->ncertificates; j++)
            if (!strcmp(c->certificates[j].name, ct->name))
                bad(l, "certificates", "'certificates': the name '%s' is used twice", ct->name);
        if (!tpl[0]) {
            bad(l, "certificates", "'certificates': '%s' needs a template PDF", ct->name);
            continue;
        }
        ct->template = beside_config(c, tpl);
        buf def = BUF_INIT;
        buf_printf(&def, "%s.pdf", ct->name);
        ct->filename = want_str(l, e, "filename", NULL);
        if (!ct->filename) ct->filename = arena_strndup(&c->mem, def.data, def.len);
        buf_free(&def);
        if (!filename_ok(ct->filename))
            bad(l, "certificates",
                "'certificates': the filename of '%s' must be 1 to 255 bytes of UTF-8 without "
                "control characters, / or \\ (%s)",
                ct->name, ct->filename);
        ct->title = want_str(l, e, "title", ct->name);
        ct->visible_line = want_bool(l, e, "visible_line", false);
        c->ncertificates++;
    }
    for (size_t i = 0; i < c->ncertificates; i++)
        if (!strcmp(c->certificates[i].name, "default"))
            c->certificate_default = &c->certificates[i];
    if (!c->certificate_default && c->ncertificates) c->certificate_default = &c->certificates[0];
}

int
config_load(const char *path, config *c, diags *d)
{
    static const char *const known[] = {
        "base_url",       "title",      "description", "language",   "author",     "copyright",
        "theme",          "themes_dir", "timezone",    "permalinks", "taxonomies", "paginate",
        "summary_length", "feed",       "markdown",    "params",     "landing",    "signup",
        "certificates",   "menus",      NULL};
    memset(c, 0, sizeof(*c));
    arena_init(&c->mem);
    c->path = arena_strdup(&c->mem, path);
    char *text = NULL;
    size_t len = 0;
    int err = fs_read_file(path, 1 << 20, &text, &len);
    if (err) {
        diag_add(d, DIAG_ERROR, path, 0, 0, "cannot read the site configuration: %s",
                 strerror(err));
        return -1;
    }
    loader l = {.c = c, .d = d};
    if (yamlv_parse(text, len, path, 1, &c->mem, &l.doc, d) < 0) {
        free(text);
        return -1;
    }
    free(text);
    val root = l.doc.root;
    if (root.type == VAL_NULL) root = val_map(NULL, 0);
    if (root.type != VAL_MAP) {
        diag_add(d, DIAG_ERROR, path, 1, 1, "site.yaml must be a map of settings (key: value)");
        return -1;
    }
    c->raw = root;
    check_keys(&l, root, NULL, known);

    const char *base = want_str(&l, root, "base_url", "http://localhost:8080/");
    size_t bl = strlen(base);
    const char *scheme = strstr(base, "://");
    if (!scheme || !(strncmp(base, "http://", 7) == 0 || strncmp(base, "https://", 8) == 0)) {
        bad(&l, "base_url", "'%s' must be an absolute http(s) URL like https://example.org/ (%s)",
            "base_url", base);
    }
    if (bl == 0 || base[bl - 1] != '/') {
        char *b = arena_alloc(&c->mem, bl + 2);
        memcpy(b, base, bl);
        b[bl] = '/';
        b[bl + 1] = '\0';
        base = b;
    }
    c->base_url = base;
    const char *host = scheme ? scheme + 3 : base;
    const char *slash = strchr(host, '/');
    c->base_path = slash ? slash : "/";

    c->title = want_str(&l, root, "title", "My blog");
    c->description = want_str(&l, root, "description", "");
    c->language = want_str(&l, root, "language", "en");
    c->author = want_str(&l, root, "author", "");
    c->copyright = want_str(&l, root, "copyright", "");
    c->theme = want_str(&l, root, "theme", "edge");
    c->themes_dir = want_str(&l, root, "themes_dir", NULL);
    c->landing = want_str(&l, root, "landing", NULL);
    if (strchr(c->theme, '/') || c->theme[0] == '.' || !c->theme[0])
        bad(&l, "theme", "'%s' must be a folder name under themes/ (%s)", "theme", c->theme);
    const char *tz = want_str(&l, root, "timezone", "Z");
    if (dt_parse_zone(tz, strlen(tz), &c->default_offset) < 0)
        bad(&l, "timezone", "'%s' must be an offset like +05:30, -08:00 or Z (%s)", "timezone", tz);
    c->paginate = want_int(&l, root, "paginate", 10, 1, 100000);
    c->summary_words = want_int(&l, root, "summary_length", 70, 1, 100000);
    c->feed_full = true;
    c->feed_limit = 20;
    c->unsafe_html = true;
    c->smart = true;
    load_sub(&l, root);
    load_permalinks(&l, root);
    load_taxonomies(&l, root);
    load_signup(&l, root);
    load_certificates(&l, root);
    val params;
    c->params = val_map(NULL, 0);
    if (val_get(root, "params", 6, NULL, &params) && params.type != VAL_NULL) {
        if (params.type != VAL_MAP)
            bad(&l, "params", "'%s' must be a map, not %s", "params", val_type_name(params));
        else
            c->params = params;
    }
    return l.failed ? -1 : 0;
}

void
config_free(config *c)
{
    arena_free(&c->mem);
}

const char *
config_permalink_for(const config *c, const char *section)
{
    for (size_t i = 0; i < c->npermalinks; i++)
        if (strcmp(c->permalinks[i].section, section) == 0) return c->permalinks[i].pattern;
    for (size_t i = 0; i < c->npermalinks; i++)
        if (c->permalinks[i].section[0] == '\0') return c->permalinks[i].pattern;
    return section[0] ? "/:section/:slug/" : "/:slug/";
}
