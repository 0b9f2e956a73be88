/*
 * signups: exporting the signup store.  See signups.h.
 */
#include "signups.h"
#include "config.h"
#include "dt.h"
#include "esc.h"
#include "store.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

enum { EXIT_INPUT = 1, EXIT_USAGE = 2, EXIT_OS = 3 };

static const char usage[] =
    "usage: hone signups export [-s DIR | -c SITE.yaml] [--csv | --json] [--since DATE]\n"
    "  writes every signup (email, time, IP, user agent, referrer, landing page),\n"
    "  oldest first; --since 2026-11-01 (or 2026-11-01T12:00:00Z) keeps the later ones\n";

void
signups_csv_cell(buf *out, const char *s, size_t n)
{
    bool formula = n && strchr("=+-@\t\r", s[0]) != NULL;
    bool quote = formula;
    for (size_t i = 0; i < n && !quote; i++)
        quote = s[i] == '"' || s[i] == ',' || s[i] == '\n' || s[i] == '\r';
    if (!quote) {
        buf_put(out, s, n);
        return;
    }
    buf_putc(out, '"');
    if (formula) buf_putc(out, '\'');
    for (size_t i = 0; i < n; i++) {
        if (s[i] == '"') buf_putc(out, '"');
        buf_putc(out, s[i]);
    }
    buf_putc(out, '"');
}

typedef struct exporter {
    bool json;
    size_t rows;
    buf line;
    int werr;
} exporter;

static int
row(void *ctx, const store_signup *r)
{
    exporter *x = ctx;
    buf *b = &x->line;
    buf_reset(b);
    const char *cells[] = {r->email, r->created_at, r->ip, r->user_agent, r->referrer, r->landing};
    static const char *const names[] = {"email",      "created_at", "ip",
                                        "user_agent", "referrer",   "landing"};
    if (x->json) {
        buf_puts(b, x->rows ? ",\n  {" : "\n  {");
        buf_printf(b, "\"id\": %lld", (long long)r->id);
        for (size_t i = 0; i < 6; i++) {
            buf_printf(b, ", \"%s\": ", names[i]);
            esc_json(b, cells[i], strlen(cells[i]));
        }
        buf_putc(b, '}');
    } else {
        buf_printf(b, "%lld", (long long)r->id);
        for (size_t i = 0; i < 6; i++) {
            buf_putc(b, ',');
            signups_csv_cell(b, cells[i], strlen(cells[i]));
        }
        buf_puts(b, "\r\n");
    }
    x->rows++;
    if (fwrite(b->data, 1, b->len, stdout) != b->len) {
        x->werr = errno;
        return 1;
    }
    return 0;
}

/* "2026-11-01" or any ISO 8601 time into the store's "...Z" form. */
static int
since_of(const char *s, char out[21])
{
    dt t;
    if (dt_parse(s, strlen(s), 0, &t, NULL, NULL) < 0) return -1;
    dt_utc_stamp(t.sec, out);
    return 0;
}

int
signups_main(int argc, char **argv)
{
    if (argc < 1 || strcmp(argv[0], "export") != 0) {
        fputs(usage, stderr);
        return EXIT_USAGE;
    }
    const char *dir = ".", *cfgfile = NULL, *since = NULL;
    bool json = false;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (!strcmp(a, "--csv")) {
            json = false;
        } else if (!strcmp(a, "--json")) {
            json = true;
        } else if (!strcmp(a, "--since") && i + 1 < argc) {
            since = argv[++i];
        } else if (!strcmp(a, "-s") && i + 1 < argc) {
            dir = argv[++i];
        } else if (!strcmp(a, "-c") && i + 1 < argc) {
            cfgfile = argv[++i];
        } else {
            fprintf(stderr, "hone signups export: unknown argument '%s'\n%s", a, usage);
            return EXIT_USAGE;
        }
    }
    char from[21] = "";
    if (since && since_of(since, from) < 0) {
        fprintf(stderr, "hone signups export: --since takes a date like 2026-11-01 (%s)\n", since);
        return EXIT_USAGE;
    }
    buf path = BUF_INIT, err = BUF_INIT;
    if (cfgfile)
        buf_puts(&path, cfgfile);
    else
        buf_printf(&path, "%s/site.yaml", dir);
    config c;
    diags d = DIAGS_INIT;
    store *st = NULL;
    int rc = 0;
    exporter x = {.json = json};
    if (config_load(path.data, &c, &d) < 0) {
        diags_print(&d, stderr);
        rc = EXIT_INPUT;
        goto out;
    }
    if (store_open(c.signup.store, STORE_READONLY, &st, &err) < 0) {
        fprintf(stderr, "hone signups export: %s\n", buf_cstr(&err));
        rc = EXIT_OS;
        goto out;
    }
    if (json)
        fputs("[", stdout);
    else
        fputs("id,email,created_at,ip,user_agent,referrer,landing\r\n", stdout);
    if (store_each(st, from[0] ? from : NULL, row, &x, &err) < 0) {
        fprintf(stderr, "hone signups export: %s\n", buf_cstr(&err));
        rc = EXIT_OS;
    }
    if (json) fputs(x.rows ? "\n]\n" : "]\n", stdout);
    if (x.werr || fflush(stdout) != 0) {
        fprintf(stderr, "hone signups export: cannot write: %s\n",
                strerror(x.werr ? x.werr : errno));
        rc = EXIT_OS;
    }
out:
    store_close(st);
    buf_free(&x.line);
    buf_free(&path);
    buf_free(&err);
    diags_free(&d);
    config_free(&c);
    return rc;
}
