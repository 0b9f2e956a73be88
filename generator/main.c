/*
 * hone: the site owner's command line.
 *
 * main() parses the command and hands over to one function per command;
 * those return an exit status and print their own diagnostics, so main()
 * is the only place that decides to exit.
 *
 * Exit status: 0 success, 1 the input has errors (reported), 2 bad usage,
 * 3 an operating-system failure (unreadable file, disk full).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "build.h"
#include "certificate.h"
#include "fs.h"
#include "highlight.h"
#include "scaffold.h"
#include "signups.h"
#include "tmpl.h"
#include "yamlv.h"

#ifndef HONE_VERSION
#define HONE_VERSION "0.1.0"
#endif

enum { EXIT_INPUT = 1, EXIT_USAGE = 2, EXIT_OS = 3 };

/* Built with a sanitizer (then every build frees all it allocated). */
#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
#define SANITIZED 1
#elif defined(__has_feature)
#define SANITIZED                                                                                  \
    (__has_feature(address_sanitizer) || __has_feature(thread_sanitizer) ||                        \
     __has_feature(memory_sanitizer))
#else
#define SANITIZED 0
#endif

static const char usage[] =
    "usage: hone COMMAND [ARGS]\n"
    "\n"
    "commands:\n"
    "  build [-s DIR] [-d OUT] [-j N] [--drafts] [--future] [--expired] [--quiet]\n"
    "        [--timings]\n"
    "        compile the site in DIR (default .: site.yaml, content/, themes/)\n"
    "        into OUT (default DIR/public), replacing it only when the whole\n"
    "        build succeeded; -j threads (default: all cores); --drafts,\n"
    "        --future, --expired include those pages; --timings prints each\n"
    "        stage's wall time to standard error\n"
    "  new post \"Title\" [-s DIR] [--section NAME]   new page \"Title\" [-s DIR]\n"
    "        start content/posts/SLUG.md (a draft dated now) or content/SLUG.md\n"
    "  render [-t DIR]... [--strict] TEMPLATE [CONTEXT.yaml]\n"
    "        render one template with a YAML context to standard output;\n"
    "        templates are looked up in each DIR (default: .)\n"
    "  signups export [-s DIR] [--csv|--json] [--since DATE]\n"
    "        write the signup store (site.yaml signup.store) to standard output\n"
    "  verify-pdf FILE [-s DIR | --key FILE]\n"
    "        check a served certificate's stamp: prints recipient, time, id and\n"
    "        GENUINE (exit 0), FORGED (1) or NOT STAMPED (2)\n"
    "  stamp-pdf TEMPLATE -o OUT --to EMAIL [--at TIME] [--visible] [-s DIR]\n"
    "        write the certificate a member would download, to preview a template\n"
    "  gen-chroma-css [light|dark|auto]\n"
    "        write the stylesheet for highlighted code to standard output\n"
    "        (auto, the default: light, and dark where the reader prefers it)\n"
    "  help  this text\n"
    "\n"
    "options:\n"
    "  -h, --help     this text\n"
    "  -V, --version  print the version\n"
    "\n"
    "exit status: 0 ok, 1 errors in the input (all reported), 2 bad usage,\n"
    "3 operating-system failure\n";

static int
cmd_render(int argc, char **argv)
{
    tmpl_env *env = tmpl_env_new();
    const char *name = NULL, *ctxfile = NULL;
    tmpl_opts o = {0};
    int dirs = 0, rc = 0;
    for (int i = 0; i < argc; i++) {
        if (strcmp(argv[i], "-t") == 0 && i + 1 < argc) {
            tmpl_env_add_dir(env, argv[++i]);
            dirs++;
        } else if (strcmp(argv[i], "--strict") == 0) {
            o.strict = true;
        } else if (argv[i][0] == '-' && argv[i][1]) {
            fprintf(stderr, "hone render: unknown option %s\n%s", argv[i], usage);
            tmpl_env_free(env);
            return EXIT_USAGE;
        } else if (!name) {
            name = argv[i];
        } else if (!ctxfile) {
            ctxfile = argv[i];
        } else {
            fprintf(stderr, "hone render: too many arguments\n%s", usage);
            tmpl_env_free(env);
            return EXIT_USAGE;
        }
    }
    if (!name) {
        fprintf(stderr, "hone render: which template?\n%s", usage);
        tmpl_env_free(env);
        return EXIT_USAGE;
    }
    if (!dirs) tmpl_env_add_dir(env, ".");

    arena a = ARENA_INIT;
    diags d = DIAGS_INIT;
    buf out = BUF_INIT;
    val ctx = val_map(NULL, 0);
    char *text = NULL;
    if (ctxfile) {
        size_t len;
        int err = fs_read_file(ctxfile, 64u << 20, &text, &len);
        if (err) {
            fprintf(stderr, "%s: cannot read: %s\n", ctxfile, strerror(err));
            rc = EXIT_OS;
            goto out;
        }
        yamlv_doc doc;
        if (yamlv_parse(text, len, ctxfile, 1, &a, &doc, &d) < 0) {
            rc = EXIT_INPUT;
            goto out;
        }
        ctx = doc.root;
    }
    const tmpl *t = tmpl_env_load(env, name, &d);
    if (!t || tmpl_render(t, ctx, &out, &a, &o, &d) < 0) {
        rc = EXIT_INPUT;
        goto out;
    }
    if (fwrite(out.data ? out.data : "", 1, out.len, stdout) != out.len || fflush(stdout) != 0) {
        fprintf(stderr, "hone render: cannot write the output: %s\n", strerror(errno));
        rc = EXIT_OS;
    }
out:
    diags_print(&d, stderr);
    free(text);
    buf_free(&out);
    diags_free(&d);
    arena_free(&a);
    tmpl_env_free(env);
    return rc;
}

static int
cmd_build(int argc, char **argv)
{
    build_opts o;
    memset(&o, 0, sizeof(o));
    o.src = ".";
    for (int i = 0; i < argc; i++) {
        const char *a = argv[i];
        if ((!strcmp(a, "-s") || !strcmp(a, "--source")) && i + 1 < argc) {
            o.src = argv[++i];
        } else if ((!strcmp(a, "-d") || !strcmp(a, "--destination")) && i + 1 < argc) {
            o.dest = argv[++i];
        } else if (!strcmp(a, "-j") && i + 1 < argc) {
            char *end;
            long j = strtol(argv[++i], &end, 10);
            if (*end || j < 1 || j > 1024) {
                fprintf(stderr, "hone build: -j takes a number of threads from 1 to 1024\n");
                return EXIT_USAGE;
            }
            o.jobs = (int)j;
        } else if (!strcmp(a, "--drafts") || !strcmp(a, "-D")) {
            o.drafts = true;
        } else if (!strcmp(a, "--future") || !strcmp(a, "-F")) {
            o.future = true;
        } else if (!strcmp(a, "--expired") || !strcmp(a, "-E")) {
            o.expired = true;
        } else if (!strcmp(a, "--quiet") || !strcmp(a, "-q")) {
            o.quiet = true;
        } else if (!strcmp(a, "--timings")) {
            o.timings = true;
        } else {
            fprintf(stderr, "hone build: unknown argument '%s'\n%s", a, usage);
            return EXIT_USAGE;
        }
    }
    /* "now" decides what is future or expired; SOURCE_DATE_EPOCH pins it
     * for reproducible builds */
    const char *sde = getenv("SOURCE_DATE_EPOCH");
    o.now = dt_now();
    if (sde && *sde) {
        char *end;
        long long v = strtoll(sde, &end, 10);
        if (*end || v < 0) {
            fprintf(stderr, "hone build: SOURCE_DATE_EPOCH must be a number of seconds\n");
            return EXIT_USAGE;
        }
        o.now.sec = v;
        o.now.nsec = 0;
    }
    /* freeing a big site piece by piece took 2% of its build, just before
     * exit; sanitizer builds free it all, so leaks still show */
    o.exiting = !SANITIZED;
    build_stats st;
    memset(&st, 0, sizeof(st));
    int rc = build_run(&o, &st);
    if (rc != BUILD_OK) {
        fprintf(stderr, "hone build: failed with %zu error%s; the output folder was not changed\n",
                st.errors, st.errors == 1 ? "" : "s");
        return rc;
    }
    if (!o.quiet)
        printf("hone build: %zu content files -> %zu pages, %zu feeds, %zu redirects, "
               "%zu files copied in %.2f s\n",
               st.sources, st.pages, st.feeds, st.aliases, st.copied, st.seconds);
    return 0;
}

static int
cmd_gen_chroma_css(int argc, char **argv)
{
    buf out = BUF_INIT;
    if (argc > 1 || hl_css(&out, argc ? argv[0] : "auto") < 0) {
        fprintf(stderr, "hone gen-chroma-css: the style is light, dark or auto\n%s", usage);
        buf_free(&out);
        return EXIT_USAGE;
    }
    int rc = 0;
    if (fwrite(out.data, 1, out.len, stdout) != out.len || fflush(stdout) != 0) {
        fprintf(stderr, "hone gen-chroma-css: cannot write the output: %s\n", strerror(errno));
        rc = EXIT_OS;
    }
    buf_free(&out);
    return rc;
}

int
main(int argc, char **argv)
{
    if (argc < 2) {
        fputs(usage, stderr);
        return EXIT_USAGE;
    }
    const char *cmd = argv[1];
    if (!strcmp(cmd, "-h") || !strcmp(cmd, "--help") || !strcmp(cmd, "help")) {
        fputs(usage, stdout);
        return 0;
    }
    if (!strcmp(cmd, "-V") || !strcmp(cmd, "--version")) {
        printf("hone %s\n", HONE_VERSION);
        return 0;
    }
    if (!strcmp(cmd, "build")) return cmd_build(argc - 2, argv + 2);
    if (!strcmp(cmd, "render")) return cmd_render(argc - 2, argv + 2);
    if (!strcmp(cmd, "new")) return scaffold_main(argc - 2, argv + 2);
    if (!strcmp(cmd, "gen-chroma-css")) return cmd_gen_chroma_css(argc - 2, argv + 2);
    if (!strcmp(cmd, "signups")) return signups_main(argc - 2, argv + 2);
    if (!strcmp(cmd, "verify-pdf")) return certificate_verify_main(argc - 2, argv + 2);
    if (!strcmp(cmd, "stamp-pdf")) return certificate_stamp_main(argc - 2, argv + 2);
    fprintf(stderr, "hone: unknown command '%s'\n%s", cmd, usage);
    return EXIT_USAGE;
}
