/*
 * cmark_floor: the parse floor of a blog build.  Renders every post body
 * of a corpus to HTML with libcmark-gfm alone, on one thread, with the
 * options and extensions hone uses (generator/markdown.c: footnotes,
 * table style attributes, unsafe HTML kept, smart punctuation; the table,
 * strikethrough, autolink and tasklist extensions; one parser per post).
 *
 *     cmark_floor DIR [ROUNDS]
 *
 * reads every *.md file in DIR into memory first (not timed), strips the
 * YAML front matter, then times ROUNDS (default 1) passes of
 * parse (feed + finish) and render, and prints one line:
 *
 *     posts=N bytes_in=B bytes_out=B parse_s=S render_s=S total_s=S
 *
 * with the seconds of the fastest pass.  One thread because libcmark-gfm's
 * inline parser is not re-entrant (its special-character table is one
 * global array that every parser edits), which is why hone parses under a
 * process-wide lock: on any number of cores, hone's Markdown parsing is
 * bounded below by parse_s, and its whole Markdown stage by total_s.
 */
#include <cmark-gfm-core-extensions.h>
#include <cmark-gfm.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

typedef struct doc {
    char *text;
    const char *body;
    size_t n;
} doc;

static double
now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static char *
slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f) return NULL;
    size_t cap = 8192, n = 0;
    char *b = malloc(cap);
    size_t k;
    while ((k = fread(b + n, 1, cap - n, f)) > 0) {
        n += k;
        if (n == cap) b = realloc(b, cap *= 2);
    }
    fclose(f);
    b[n] = '\0';
    *len = n;
    return b;
}

/* The body after a "---" ... "---" front matter block. */
static const char *
body_of(const char *s, size_t n, size_t *bn)
{
    if (n >= 4 && strncmp(s, "---\n", 4) == 0) {
        const char *e = strstr(s + 4, "\n---\n");
        if (e) {
            e += 5;
            *bn = n - (size_t)(e - s);
            return e;
        }
    }
    *bn = n;
    return s;
}

int
main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: cmark_floor DIR [ROUNDS]\n");
        return 2;
    }
    int rounds = argc > 2 ? atoi(argv[2]) : 1;
    if (rounds < 1) rounds = 1;
    DIR *dir = opendir(argv[1]);
    if (!dir) {
        perror(argv[1]);
        return 1;
    }
    size_t cap = 1024, ndocs = 0, bytes_in = 0;
    doc *docs = malloc(cap * sizeof(doc));
    struct dirent *e;
    while ((e = readdir(dir))) {
        size_t l = strlen(e->d_name);
        if (l < 4 || strcmp(e->d_name + l - 3, ".md") != 0) continue;
        char path[4096];
        snprintf(path, sizeof(path), "%s/%s", argv[1], e->d_name);
        size_t n;
        char *t = slurp(path, &n);
        if (!t) {
            perror(path);
            return 1;
        }
        if (ndocs == cap) docs = realloc(docs, (cap *= 2) * sizeof(doc));
        docs[ndocs].text = t;
        docs[ndocs].body = body_of(t, n, &docs[ndocs].n);
        bytes_in += docs[ndocs].n;
        ndocs++;
    }
    closedir(dir);

    cmark_gfm_core_extensions_ensure_registered();
    const char *names[] = {"table", "strikethrough", "autolink", "tasklist"};
    cmark_syntax_extension *exts[4];
    for (int i = 0; i < 4; i++)
        if (!(exts[i] = cmark_find_syntax_extension(names[i]))) {
            fprintf(stderr, "no %s extension\n", names[i]);
            return 1;
        }
    int opts = CMARK_OPT_FOOTNOTES | CMARK_OPT_TABLE_PREFER_STYLE_ATTRIBUTES | CMARK_OPT_UNSAFE |
               CMARK_OPT_SMART;

    double best_parse = 1e9, best_render = 1e9, best_total = 1e9;
    size_t bytes_out = 0;
    for (int r = 0; r < rounds; r++) {
        double tp = 0, tr = 0, t0 = now();
        bytes_out = 0;
        for (size_t i = 0; i < ndocs; i++) {
            double a = now();
            cmark_parser *p = cmark_parser_new(opts);
            for (int k = 0; k < 4; k++)
                cmark_parser_attach_syntax_extension(p, exts[k]);
            cmark_parser_feed(p, docs[i].body, docs[i].n);
            cmark_node *root = cmark_parser_finish(p);
            double b = now();
            char *html = cmark_render_html(root, opts, cmark_parser_get_syntax_extensions(p));
            bytes_out += strlen(html);
            cmark_get_default_mem_allocator()->free(html);
            cmark_node_free(root);
            cmark_parser_free(p);
            double c = now();
            tp += b - a;
            tr += c - b;
        }
        double total = now() - t0;
        if (total < best_total) {
            best_total = total;
            best_parse = tp;
            best_render = tr;
        }
    }
    printf("posts=%zu bytes_in=%zu bytes_out=%zu parse_s=%.4f render_s=%.4f total_s=%.4f\n", ndocs,
           bytes_in, bytes_out, best_parse, best_render, best_total);
    for (size_t i = 0; i < ndocs; i++)
        free(docs[i].text);
    free(docs);
    return 0;
}
