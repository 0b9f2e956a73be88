/*
 * certificate: `hone verify-pdf` and `hone stamp-pdf`.  See certificate.h.
 *
 * Both need the site secret: --key names the file directly, else
 * site.yaml's signup.secret_file is used (the file hone-fcgi created).  An
 * existing key is only ever read here, never created: a verifier that made
 * up a new secret would call every genuine certificate forged.
 */
#include "certificate.h"
#include "config.h"
#include "fs.h"
#include "pdf.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* verify-pdf: 0 genuine, 1 forged, 2 not stamped, so bad usage is 4 there;
 * stamp-pdf keeps hone's usual 1 input, 2 usage. */
enum { EXIT_INPUT = 1, EXIT_USAGE = 2, EXIT_OS = 3, EXIT_VERIFY_USAGE = 4 };

static const char verify_usage[] =
    "usage: hone verify-pdf FILE [-s DIR | -c SITE.yaml | --key FILE]\n"
    "  checks a certificate's stamp with the site secret (site.yaml signup.secret_file\n"
    "  or --key); exit 0 GENUINE, 1 FORGED, 2 NOT STAMPED, 3 cannot read, 4 usage\n";

static const char stamp_usage[] =
    "usage: hone stamp-pdf TEMPLATE -o OUT --to EMAIL [--at TIME] [--visible]\n"
    "                      [-s DIR | -c SITE.yaml | --key FILE]\n"
    "  writes the certificate hone-fcgi would serve EMAIL at TIME (now, or\n"
    "  2026-11-26T19:40:12Z); --visible adds the line at the foot of page 1\n";

typedef struct key_opts {
    const char *dir, *cfgfile, *keyfile;
} key_opts;

/* Takes -s, -c and --key; 1 when argv[*i] was one of them, -1 when it
 * lacks its value. */
static int
key_arg(key_opts *k, int argc, char **argv, int *i)
{
    const char *a = argv[*i];
    const char **slot = !strcmp(a, "-s")                          ? &k->dir
                        : !strcmp(a, "-c")                        ? &k->cfgfile
                        : !strcmp(a, "--key") || !strcmp(a, "-k") ? &k->keyfile
                                                                  : NULL;
    if (!slot) return 0;
    if (*i + 1 >= argc) return -1;
    *slot = argv[++*i];
    return 1;
}

static int
load_key(const char *cmd, const key_opts *k, mac_key *key)
{
    buf path = BUF_INIT;
    config c;
    bool have_cfg = false;
    int rc = 0;
    if (k->keyfile) {
        buf_puts(&path, k->keyfile);
    } else {
        buf cfg = BUF_INIT;
        if (k->cfgfile)
            buf_puts(&cfg, k->cfgfile);
        else
            buf_printf(&cfg, "%s/site.yaml", k->dir ? k->dir : ".");
        diags d = DIAGS_INIT;
        if (config_load(cfg.data, &c, &d) < 0) {
            diags_print(&d, stderr);
            fprintf(stderr,
                    "hone %s: the site secret is named in site.yaml; fix it, or give "
                    "the secret with --key FILE\n",
                    cmd);
            diags_free(&d);
            buf_free(&cfg);
            return EXIT_OS;
        }
        diags_free(&d);
        buf_free(&cfg);
        have_cfg = true;
        buf_puts(&path, c.signup.secret_file);
    }
    int err = mac_key_load(path.data, false, key);
    if (err) {
        fprintf(stderr, "hone %s: cannot read the site secret %s: %s\n", cmd, path.data,
                err == EINVAL ? "not a 32-byte key file" : strerror(err));
        rc = EXIT_OS;
    }
    if (have_cfg) config_free(&c);
    buf_free(&path);
    return rc;
}

/* Prints text from a file without letting it steer the terminal. */
static void
print_field(const char *label, const char *s)
{
    fputs(label, stdout);
    if (!s) {
        fputs("(none)\n", stdout);
        return;
    }
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        if (*p < 0x20 || *p == 0x7f)
            putchar('?');
        else if (*p == 0xc2 && p[1] >= 0x80 && p[1] < 0xa0) { /* C1 controls */
            putchar('?');
            p++;
        } else
            putchar(*p);
    }
    putchar('\n');
}

int
certificate_verify_main(int argc, char **argv)
{
    key_opts k = {0};
    const char *file = NULL;
    for (int i = 0; i < argc; i++) {
        int r = key_arg(&k, argc, argv, &i);
        if (r < 0) {
            fprintf(stderr, "hone verify-pdf: %s needs a value\n%s", argv[i], verify_usage);
            return EXIT_VERIFY_USAGE;
        }
        if (r) continue;
        if (argv[i][0] == '-' && argv[i][1]) {
            fprintf(stderr, "hone verify-pdf: unknown option %s\n%s", argv[i], verify_usage);
            return EXIT_VERIFY_USAGE;
        }
        if (file) {
            fprintf(stderr, "hone verify-pdf: one file at a time\n%s", verify_usage);
            return EXIT_VERIFY_USAGE;
        }
        file = argv[i];
    }
    if (!file) {
        fprintf(stderr, "hone verify-pdf: which file?\n%s", verify_usage);
        return EXIT_VERIFY_USAGE;
    }
    char *data;
    size_t n;
    int err = fs_read_file(file, (size_t)PDF_MAX_TEMPLATE + (64u << 20), &data, &n);
    if (err) {
        fprintf(stderr, "hone verify-pdf: %s: cannot read: %s\n", file, strerror(err));
        return EXIT_OS;
    }
    mac_key key;
    int rc = load_key("verify-pdf", &k, &key);
    if (rc) {
        free(data);
        return rc;
    }
    pdf_verify_result r;
    pdf_verdict v = pdf_verify((const uint8_t *)data, n, &key, &r);
    print_field("recipient:     ", r.recipient);
    print_field("downloaded at: ", r.downloaded_at);
    print_field("id:            ", r.id);
    if (v == PDF_GENUINE)
        puts("GENUINE");
    else
        printf("%s: %s\n", v == PDF_FORGED ? "FORGED" : "NOT STAMPED", r.why ? r.why : "");
    pdf_verify_result_free(&r);
    free(data);
    memset(&key, 0, sizeof(key));
    if (fflush(stdout) != 0) return EXIT_OS;
    return (int)v;
}

static int
write_file(const char *path, const void *a, size_t an, const void *b, size_t bn)
{
    FILE *f = strcmp(path, "-") ? fopen(path, "wb") : stdout;
    if (!f) return errno;
    int err = 0;
    if (fwrite(a, 1, an, f) != an || fwrite(b, 1, bn, f) != bn) err = errno ? errno : EIO;
    if (f == stdout ? fflush(f) != 0 : fclose(f) != 0) err = err ? err : errno;
    return err;
}

int
certificate_stamp_main(int argc, char **argv)
{
    key_opts k = {0};
    const char *tpl = NULL, *out = NULL, *to = NULL, *at = NULL;
    bool visible = false;
    for (int i = 0; i < argc; i++) {
        int r = key_arg(&k, argc, argv, &i);
        const char *a = argv[i];
        if (r > 0) continue;
        if (r == 0 && !strcmp(a, "--visible")) {
            visible = true;
            continue;
        }
        const char **slot = !strcmp(a, "-o")     ? &out
                            : !strcmp(a, "--to") ? &to
                            : !strcmp(a, "--at") ? &at
                                                 : NULL;
        if (r < 0 || (slot && i + 1 >= argc)) {
            fprintf(stderr, "hone stamp-pdf: %s needs a value\n%s", a, stamp_usage);
            return EXIT_USAGE;
        }
        if (slot) {
            *slot = argv[++i];
        } else if (a[0] == '-' || tpl) {
            fprintf(stderr, "hone stamp-pdf: unexpected argument '%s'\n%s", a, stamp_usage);
            return EXIT_USAGE;
        } else {
            tpl = a;
        }
    }
    if (!tpl || !out || !to) {
        fprintf(stderr, "hone stamp-pdf: needs a template, -o OUT and --to EMAIL\n%s", stamp_usage);
        return EXIT_USAGE;
    }
    int64_t when = (int64_t)time(NULL);
    if (at && pdf_parse_time(at, &when) < 0) {
        fprintf(stderr, "hone stamp-pdf: --at takes a UTC time like 2026-11-26T19:40:12Z\n");
        return EXIT_USAGE;
    }
    mac_key key;
    int rc = load_key("stamp-pdf", &k, &key);
    if (rc) return rc;
    diags d = DIAGS_INIT;
    pdf_template *t = pdf_load(tpl, &d);
    buf tail = BUF_INIT;
    if (!t) {
        diags_print(&d, stderr);
        rc = EXIT_INPUT;
        goto out;
    }
    pdf_stamp_info info = {.recipient = to, .time = when, .key = &key, .visible = visible};
    if (pdf_stamp(t, &info, &tail, NULL) < 0) {
        fprintf(stderr,
                "hone stamp-pdf: the recipient must be 1 to %d bytes of UTF-8 without "
                "control characters\n",
                PDF_MAX_RECIPIENT);
        rc = EXIT_USAGE;
        goto out;
    }
    int err = write_file(out, pdf_bytes(t), pdf_size(t), tail.data, tail.len);
    if (err) {
        fprintf(stderr, "hone stamp-pdf: %s: cannot write: %s\n", out, strerror(err));
        rc = EXIT_OS;
    }
out:
    buf_free(&tail);
    pdf_free(t);
    diags_free(&d);
    memset(&key, 0, sizeof(key));
    return rc;
}
