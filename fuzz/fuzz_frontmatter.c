/*
 * fuzz_frontmatter: a content file's way to HTML, on arbitrary bytes
 * (libFuzzer).
 *
 * The input is a content file.  Its front matter (between "---" lines, as
 * content.c finds it) goes through yamlv, which gives Jekyll's
 * excerpt_separator when there is one; the body's shortcodes are expanded
 * (the built-ins, with a few pages for ref and relref), the Markdown
 * rendered with md_render, and the placeholders put back.  The two low
 * bits of the size pick raw HTML and smart punctuation.  Errors in the
 * input are expected; a crash, a leak, a sanitizer report or a broken
 * invariant (a length that disagrees with its string, a placeholder left
 * in the HTML) is a bug, and traps.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "markdown.h"
#include "shortcode.h"
#include "yamlv.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static sc_env *
targets(void)
{
    static sc_env *e;
    if (!e) {
        e = sc_env_new();
        sc_env_add_page(e, "posts/a.md", "/blog/a/", "https://example.org/blog/a/");
        sc_env_add_page(e, "posts/b/index.md", "/blog/b/", "https://example.org/blog/b/");
        sc_env_add_page(e, "notes/a.markdown", "/blog/n/a/", "https://example.org/blog/n/a/");
        sc_env_add_page(e, "posts/draft.md", NULL, NULL);
        sc_env_finish(e);
    }
    return e;
}

/* content.c's rule: "---" on the first line opens front matter, a line
 * "---" or "..." closes it.  Sets [*fs, *fe) and where the body starts. */
static void
split(const char *s, size_t n, size_t *fs, size_t *fe, size_t *body, int *line)
{
    *fs = *fe = *body = 0;
    *line = 1;
    if (n < 4 || memcmp(s, "---\n", 4) != 0) return;
    for (size_t p = 4; p < n;) {
        size_t e = p;
        while (e < n && s[e] != '\n')
            e++;
        if (e - p == 3 && (memcmp(s + p, "---", 3) == 0 || memcmp(s + p, "...", 3) == 0)) {
            *fs = 4;
            *fe = p;
            *body = e < n ? e + 1 : n;
            for (size_t i = 0; i < *body; i++)
                *line += s[i] == '\n';
            return;
        }
        p = e + 1;
    }
}

static bool
contains(const char *s, size_t n, const char *w, size_t m)
{
    for (size_t i = 0; i + m <= n; i++)
        if (memcmp(s + i, w, m) == 0) return true;
    return false;
}

static void
check(const char *s, size_t n, const sc_out *out)
{
    if (!s || strlen(s) != n) __builtin_trap();
    if (out->nhtml && contains(s, n, out->prefix, out->prefix_len)) __builtin_trap();
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *s = (const char *)data;
    arena a = ARENA_INIT;
    diags d = DIAGS_INIT;
    size_t fs, fe, body;
    int line;
    split(s, size, &fs, &fe, &body, &line);
    const char *sep = NULL;
    yamlv_doc fm;
    if (fe > fs && yamlv_parse(s + fs, fe - fs, "fuzz.md", 2, &a, &fm, &d) == 0) {
        val v;
        if (fm.root.type == VAL_MAP && val_get(fm.root, "excerpt_separator", 17, NULL, &v) &&
            v.type == VAL_STR && v.u.str.n && !memchr(v.u.str.s, '\0', v.u.str.n))
            sep = v.u.str.s;
    }
    md_opts mo = {size & 1, (size & 2) != 0, 20, 2, 4, "/blog/x/"};
    sc_page pg = {
        targets(), "fuzz.md", line,       "posts/x.md", "/blog/x/", "https://example.org/blog/x/",
        &mo,       sep,       val_null(), val_null(),   {0, 0, 0}};
    sc_out out;
    if (sc_expand(&pg, s + body, size - body, &out, &d) == 0) {
        if (!out.md || strlen(out.md) != out.md_len) {
            /* a NUL in the input is kept: md_render refuses it below */
            if (!out.md || !memchr(s + body, '\0', size - body)) __builtin_trap();
        }
        md_doc doc;
        if (md_render(out.md, out.md_len, &mo, &doc, "fuzz.md", line, &d) == 0) {
            sc_apply(&out, &doc);
            check(doc.html, doc.html_len, &out);
            check(doc.summary, doc.summary_len, &out);
            check(doc.toc, doc.toc_len, &out);
            for (size_t i = 0; i < doc.nheadings; i++)
                check(doc.headings[i].text, strlen(doc.headings[i].text), &out);
            md_free(&doc);
        }
    }
    sc_out_free(&out);
    diags_free(&d);
    arena_free(&a);
    return 0;
}
