/*
 * hone-fcgi: the FastCGI responder nginx sends /, /signup and the
 * certificate downloads to.
 *
 *   hone-fcgi [-s DIR | -c SITE.yaml] [-d PUBLIC] [--listen PATH [--mode 0660]]
 *             [-t THREADS]
 *
 * Start-up, in order: read site.yaml (the signup: section), load or create
 * the site secret, open the store (creating and upgrading it), start the
 * group-commit writer, find the listening socket, load the certificate
 * templates, then serve on THREADS workers until SIGTERM, finishing the
 * requests in flight.  Any failure before serving is a message and exit
 * status 1 (2 for bad usage), so a broken set-up never half-runs; the one
 * exception is a certificate template that cannot be used, which is
 * reported and answered 503 (cert.c) while the rest of the site works.
 *
 * Requests are routed by path below the site's base path; nginx decides
 * which paths reach hone-fcgi at all (deploy/nginx.conf).
 */
#include <arpa/inet.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "app.h"
#include "download.h"
#include "home.h"
#include "server.h"
#include "signup.h"

enum { EXIT_SETUP = 1, EXIT_USAGE = 2 };

static const char usage[] =
    "usage: hone-fcgi [-s DIR | -c SITE.yaml] [-d PUBLIC] [--listen PATH [--mode MODE]]\n"
    "                 [-t THREADS]\n"
    "  -s DIR         the site folder (default .): its site.yaml is read\n"
    "  -c FILE        the site.yaml to read (instead of DIR/site.yaml)\n"
    "  -d PUBLIC      the built site (default: public/ beside site.yaml)\n"
    "  --listen PATH  create and listen on this unix socket; without it the\n"
    "                 socket comes from systemd (LISTEN_FDS) or spawn-fcgi (fd 0)\n"
    "  --mode MODE    the socket's permissions, octal (default 0660)\n"
    "  -t THREADS     worker threads (default 128): each waits for its group commit\n";

/* What /, /signup and the certificate downloads map to. */
static const struct route {
    const char *path; /* below the base path */
    app_handler fn;
    bool prefix;
} routes[] = {
    {"", home_handle, false},
    {"signup", signup_handle, false},
    {"certificate.pdf", download_handle, false},
    {"certificates/", download_handle, true},
};

static void
dispatch(void *ctx, FCGX_Request *fr)
{
    app *a = ctx;
    http_req r;
    http_begin(&r, fr);
    buf scratch = BUF_INIT;
    r.client = app_client_addr(a, &r, &scratch);
    const char *base = a->cfg.base_path;
    size_t bl = strlen(base);
    const struct route *hit = NULL;
    if (strncmp(r.path, base, bl) == 0 ||
        (strlen(r.path) == bl - 1 && strncmp(r.path, base, bl - 1) == 0)) {
        const char *rest = strlen(r.path) >= bl ? r.path + bl : "";
        for (size_t i = 0; i < sizeof(routes) / sizeof(routes[0]) && !hit; i++) {
            size_t n = strlen(routes[i].path);
            if (routes[i].prefix ? strncmp(rest, routes[i].path, n) == 0
                                 : strcmp(rest, routes[i].path) == 0)
                hit = &routes[i];
        }
    }
    if (hit)
        hit->fn(a, &r);
    else
        http_error(&r, 404, NULL, "not_found", "There is nothing at this address.");
    http_end(&r);
    buf_free(&scratch);
}

static bool
trusted(const app *a, const char *ip, size_t n)
{
    for (size_t i = 0; i < a->cfg.signup.ntrusted; i++)
        if (strlen(a->cfg.signup.trusted_proxies[i]) == n &&
            strncmp(a->cfg.signup.trusted_proxies[i], ip, n) == 0)
            return true;
    return false;
}

const char *
app_client_addr(const app *a, http_req *r, buf *scratch)
{
    const char *ra = r->remote_addr;
    if (!r->forwarded_for || !trusted(a, ra, strlen(ra))) return ra;
    /* right to left: the first address that is not one of our proxies */
    const char *x = r->forwarded_for;
    size_t end = strlen(x);
    while (end > 0) {
        size_t start = end;
        while (start > 0 && x[start - 1] != ',')
            start--;
        size_t a0 = start, a1 = end;
        while (a0 < a1 && (x[a0] == ' ' || x[a0] == '\t'))
            a0++;
        while (a1 > a0 && (x[a1 - 1] == ' ' || x[a1 - 1] == '\t'))
            a1--;
        /* an empty or overlong entry is no proxy of ours either: what lies
         * left of it was written by the client, so believe none of it */
        if (a1 == a0 || a1 - a0 >= 64) return ra;
        if (!trusted(a, x + a0, a1 - a0)) {
            buf_reset(scratch);
            buf_put(scratch, x + a0, a1 - a0);
            unsigned char bin[16];
            if (inet_pton(AF_INET, scratch->data, bin) == 1 ||
                inet_pton(AF_INET6, scratch->data, bin) == 1)
                return scratch->data;
            return ra; /* not an address: believe nothing further left */
        }
        end = start ? start - 1 : 0;
    }
    return ra;
}

/* mkdir -p of the folder that will hold path (mode 0700 for new ones). */
static int
make_parent(const char *path)
{
    char *p = xstrdup(path);
    char *slash = strrchr(p, '/');
    int rc = 0;
    if (slash && slash != p) {
        *slash = '\0';
        for (char *q = p + 1; *q; q++) {
            if (*q != '/') continue;
            *q = '\0';
            if (mkdir(p, 0700) < 0 && errno != EEXIST) rc = errno;
            *q = '/';
        }
        if (mkdir(p, 0700) < 0 && errno != EEXIST) rc = errno;
    }
    free(p);
    return rc;
}

int
main(int argc, char **argv)
{
    const char *dir = ".", *cfgfile = NULL, *public_dir = NULL, *listen_path = NULL;
    unsigned mode = 0660;
    int threads = 128;
    for (int i = 1; i < argc; i += 2) {
        const char *o = argv[i];
        const char *v = i + 1 < argc ? argv[i + 1] : NULL;
        if (!strcmp(o, "-h") || !strcmp(o, "--help")) {
            fputs(usage, stdout);
            return 0;
        } else if (!v) {
            fprintf(stderr, "hone-fcgi: unknown or incomplete option '%s'\n%s", o, usage);
            return EXIT_USAGE;
        } else if (!strcmp(o, "-s")) {
            dir = v;
        } else if (!strcmp(o, "-c")) {
            cfgfile = v;
        } else if (!strcmp(o, "-d")) {
            public_dir = v;
        } else if (!strcmp(o, "--listen")) {
            listen_path = v;
        } else if (!strcmp(o, "--mode")) {
            char *end;
            unsigned long m = strtoul(v, &end, 8);
            if (*end || m > 0777) {
                fprintf(stderr, "hone-fcgi: --mode takes octal permissions like 0660\n");
                return EXIT_USAGE;
            }
            mode = (unsigned)m;
        } else if (!strcmp(o, "-t")) {
            char *end;
            long t = strtol(v, &end, 10);
            if (*end || t < 1 || t > 1024) {
                fprintf(stderr, "hone-fcgi: -t takes a number of threads from 1 to 1024\n");
                return EXIT_USAGE;
            }
            threads = (int)t;
        } else {
            fprintf(stderr, "hone-fcgi: unknown option '%s'\n%s", o, usage);
            return EXIT_USAGE;
        }
    }

    static app a;
    buf path = BUF_INIT, err = BUF_INIT;
    diags d = DIAGS_INIT;
    int rc = EXIT_SETUP, fd = -1;
    store *st = NULL;
    if (cfgfile)
        buf_puts(&path, cfgfile);
    else
        buf_printf(&path, "%s/site.yaml", dir);
    if (config_load(path.data, &a.cfg, &d) < 0) {
        diags_print(&d, stderr);
        fprintf(stderr, "hone-fcgi: site.yaml has errors; fix them and start again\n");
        goto out;
    }
    const config_signup *g = &a.cfg.signup;
    if (!public_dir) {
        const char *slash = strrchr(path.data, '/');
        buf pd = BUF_INIT;
        if (slash) buf_put(&pd, path.data, (size_t)(slash - path.data + 1));
        buf_puts(&pd, "public");
        public_dir = buf_detach(&pd, NULL);
    }
    a.public_dir = public_dir;
    a.secure = strncmp(a.cfg.base_url, "https://", 8) == 0;
    int e = make_parent(g->secret_file);
    if (!e) e = mac_key_load(g->secret_file, true, &a.key);
    if (e) {
        fprintf(stderr, "hone-fcgi: %s: cannot load or create the site secret: %s\n",
                g->secret_file, e == EINVAL ? "not a 32-byte key file" : strerror(e));
        goto out;
    }
    make_parent(g->store);
    if (store_open(g->store, STORE_CREATE, &st, &err) < 0) {
        fprintf(stderr, "hone-fcgi: %s\n", buf_cstr(&err));
        goto out;
    }
    if (server_listen(listen_path, mode, &fd, &err) < 0) {
        fprintf(stderr, "hone-fcgi: %s\n", buf_cstr(&err));
        goto out;
    }
    if (FCGX_Init() != 0) {
        fprintf(stderr, "hone-fcgi: libfcgi cannot initialise\n");
        goto out;
    }
    a.certs = xcalloc(a.cfg.ncertificates + 1, sizeof(cert_slot *));
    for (size_t i = 0; i < a.cfg.ncertificates; i++)
        a.certs[i] = cert_slot_new(a.cfg.certificates[i].name, a.cfg.certificates[i].template);
    a.readers = readers_new(g->store);
    a.limiter = ratelimit_new(8192, g->per_minute, g->burst);
    a.commit = commit_start(st, 1024, 4096);
    st = NULL; /* the writer owns it now */
    fprintf(stderr, "hone-fcgi: serving %s with %d threads; store %s; %zu certificate%s\n",
            a.cfg.base_url, threads, g->store, a.cfg.ncertificates,
            a.cfg.ncertificates == 1 ? "" : "s");
    server_run(fd, threads, dispatch, &a);
    uint64_t signups, downloads, batches, failed;
    commit_stats(a.commit, &signups, &downloads, &batches, &failed);
    commit_stop(a.commit);
    fprintf(stderr,
            "hone-fcgi: stopped; %llu signups and %llu certificate downloads in %llu "
            "transactions, %llu not stored\n",
            (unsigned long long)signups, (unsigned long long)downloads, (unsigned long long)batches,
            (unsigned long long)failed);
    if (listen_path) unlink(listen_path);
    rc = 0;
out:
    store_close(st);
    ratelimit_free(a.limiter);
    readers_free(a.readers);
    for (size_t i = 0; a.certs && i < a.cfg.ncertificates; i++)
        cert_slot_free(a.certs[i]);
    free(a.certs);
    diags_free(&d);
    buf_free(&path);
    buf_free(&err);
    return rc;
}
