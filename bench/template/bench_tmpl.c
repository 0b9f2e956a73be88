/*
 * bench_tmpl: renders the benchmark's blog post page with hone's template
 * engine, as a build renders a page, N times.
 *
 * What a real build does once is done once here: the context
 * (context.yaml, read with yamlv into a long-lived arena), the template
 * environment and the compiled templates (hone/post.html, which extends
 * page.html, which extends base.html, and includes partials/author.html).
 * What a build does per page is done per page: a fresh arena for the
 * render's temporaries, freed when the page is done, and the one output
 * buf emptied with buf_reset (its memory kept).  One page is rendered
 * before the clock starts (and written out with --dump), as the Python
 * drivers do.
 *
 * Prints one line, the same as bench_jinja.py and bench_django.py:
 *
 *   engine=hone pages=N wall_s=... user_s=... sys_s=... pages_per_s=... bytes=...
 *
 * Usage: bench_tmpl [-n N] [--dump FILE] DIR
 *   DIR holds context.yaml and hone/ (bench/template).
 */
#include "arena.h"
#include "buf.h"
#include "diag.h"
#include "fs.h"
#include "tmpl.h"
#include "val.h"
#include "yamlv.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

static const char BASE_URL[] = "https://www.example.org/";

static double
now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static double
tv_s(struct timeval tv)
{
    return (double)tv.tv_sec + (double)tv.tv_usec / 1e6;
}

static void
usage(void)
{
    fprintf(stderr, "usage: bench_tmpl [-n N] [--dump FILE] DIR\n");
}

/* DIR/NAME into a malloc'd string. */
static char *
path_join(const char *dir, const char *name)
{
    buf b = BUF_INIT;
    buf_printf(&b, "%s/%s", dir, name);
    size_t n;
    return buf_detach(&b, &n);
}

static int
write_file(const char *path, const char *data, size_t n)
{
    FILE *f = fopen(path, "wb");
    if (!f) {
        fprintf(stderr, "bench_tmpl: %s: %s\n", path, strerror(errno));
        return -1;
    }
    int ok = fwrite(data, 1, n, f) == n;
    ok &= fclose(f) == 0;
    if (!ok) fprintf(stderr, "bench_tmpl: %s: write failed\n", path);
    return ok ? 0 : -1;
}

int
main(int argc, char **argv)
{
    long pages = 10000;
    const char *dump = NULL, *dir = NULL;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "-n") == 0 && i + 1 < argc) {
            char *end;
            pages = strtol(argv[++i], &end, 10);
            if (*end || pages < 1) {
                usage();
                return 2;
            }
        } else if (strcmp(argv[i], "--dump") == 0 && i + 1 < argc) {
            dump = argv[++i];
        } else if (argv[i][0] != '-' && !dir) {
            dir = argv[i];
        } else {
            usage();
            return 2;
        }
    }
    if (!dir) {
        usage();
        return 2;
    }

    int rc = 1;
    diags d = DIAGS_INIT;
    arena data = ARENA_INIT; /* the context: lives as long as the build */
    buf out = BUF_INIT;
    tmpl_env *env = NULL;
    char *src = NULL;
    char *ctx_path = path_join(dir, "context.yaml");
    char *tmpl_dir = path_join(dir, "hone");

    size_t srclen;
    int err = fs_read_file(ctx_path, 16 << 20, &src, &srclen);
    if (err) {
        fprintf(stderr, "bench_tmpl: %s: %s\n", ctx_path, strerror(err));
        goto out;
    }
    yamlv_doc doc;
    if (yamlv_parse(src, srclen, ctx_path, 1, &data, &doc, &d) < 0) goto out;

    env = tmpl_env_new();
    tmpl_env_add_dir(env, tmpl_dir);
    tmpl_env_set_base_url(env, BASE_URL);
    const tmpl *t = tmpl_env_load(env, "post.html", &d);
    if (!t) goto out;

    /* A build takes the clock once, not once per page. */
    tmpl_opts o = {0};
    o.now = dt_now();

    /* The warm-up page, also the one compared with Jinja2's and Django's. */
    arena a;
    arena_init(&a);
    int r = tmpl_render(t, doc.root, &out, &a, &o, &d);
    arena_free(&a);
    if (r < 0) goto out;
    size_t page_len = out.len;
    if (dump && write_file(dump, buf_cstr(&out), out.len) < 0) goto out;

    struct rusage r0, r1;
    getrusage(RUSAGE_SELF, &r0);
    double t0 = now_s();
    for (long i = 0; i < pages; i++) {
        arena_init(&a);
        buf_reset(&out);
        r = tmpl_render(t, doc.root, &out, &a, &o, &d);
        arena_free(&a);
        if (r < 0 || out.len != page_len) {
            fprintf(stderr, "bench_tmpl: page %ld differs from the first\n", i);
            goto out;
        }
    }
    double wall = now_s() - t0;
    getrusage(RUSAGE_SELF, &r1);

    printf("engine=hone pages=%ld wall_s=%.4f user_s=%.4f sys_s=%.4f pages_per_s=%.1f "
           "bytes=%zu\n",
           pages, wall, tv_s(r1.ru_utime) - tv_s(r0.ru_utime),
           tv_s(r1.ru_stime) - tv_s(r0.ru_stime), (double)pages / wall, page_len);
    rc = 0;
out:
    if (d.n) diags_print(&d, stderr);
    diags_free(&d);
    tmpl_env_free(env);
    buf_free(&out);
    arena_free(&data);
    free(src);
    free(ctx_path);
    free(tmpl_dir);
    return rc;
}
