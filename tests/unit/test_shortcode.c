/*
 * Unit tests for sc (shortcodes): the parser (arguments and their quoting,
 * pairing and nesting, what code hides, the escape, Jekyll's Liquid
 * highlight blocks and excerpt separator, every error with its file:line:col),
 * each built-in's output, ref/relref resolution, theme templates
 * (arguments typed, inner, overriding a built-in, {{% %}} output as
 * Markdown), and the placeholders through md_render and back (the
 * paragraph around a block, attributes, heading ids).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "shortcode.h"

#define N_OF(a) (sizeof(a) / sizeof((a)[0]))

/* ---- helpers ---- */

/* Parses src (a heap copy of exactly its length, for ASan) as a body
 * starting at line 5 of "post.md". */
static int
parse(const sc_env *e, const char *src, const char *sep, sc_doc *doc, diags *d)
{
    size_t n = strlen(src);
    char *p = malloc(n ? n : 1);
    memcpy(p, src, n);
    int r = sc_parse(e, p, n, "post.md", 5, sep, doc, d);
    /* the items point into the source by offset only: keep it for names */
    free(p);
    return r;
}

static void
parse_ok(const sc_env *e, const char *src, sc_doc *doc)
{
    diags d = DIAGS_INIT;
    int r = parse(e, src, NULL, doc, &d);
    if (r != 0 || d.n) {
        char *m = d.n ? diag_str(&d.v[0]) : NULL;
        fail_msg("parse of \"%s\" failed: %s", src, m ? m : "?");
    }
    diags_free(&d);
}

/* The source fails to parse with exactly the message want (the first). */
static void
parse_err(const char *src, const char *want)
{
    diags d = DIAGS_INIT;
    sc_doc doc;
    int r = parse(NULL, src, NULL, &doc, &d);
    char *m = d.n ? diag_str(&d.v[0]) : NULL;
    if (r == 0 || !m || strstr(m, want) != m) {
        print_error("source \"%s\":\n got \"%s\"\nwant \"%s...\"\n", src, m ? m : "(none)", want);
        free(m);
        fail();
    }
    free(m);
    sc_doc_free(&doc);
    diags_free(&d);
}

static const sc_item *
item(const sc_doc *doc, size_t i)
{
    assert_true(i < doc->n);
    return &doc->v[i];
}

static void
check_arg(const sc_item *it, size_t i, const char *key, const char *want, bool quoted)
{
    assert_true(i < it->nargs);
    if (key)
        assert_string_equal(it->args[i].key, key);
    else
        assert_null(it->args[i].key);
    assert_string_equal(it->args[i].val, want);
    assert_int_equal(it->args[i].len, strlen(want));
    assert_int_equal(it->args[i].quoted, quoted);
}

static const md_opts opts = {true, false, 70, 2, 4, "/blog/posts/a/"};

static sc_page
page_of(const sc_env *e)
{
    sc_page pg = {
        e,     "post.md", 5,   "posts/a.md", "/blog/posts/a/", "https://x.org/blog/posts/a/",
        &opts, NULL,      {0}, {0},          {0, 0, 0}};
    return pg;
}

/* Expands src; fails the test on errors. */
static void
expand_ok(const sc_page *pg, const char *src, sc_out *out)
{
    diags d = DIAGS_INIT;
    int r = sc_expand(pg, src, strlen(src), out, &d);
    if (r != 0 || d.errors) {
        char *m = d.n ? diag_str(&d.v[0]) : NULL;
        fail_msg("expanding \"%s\" failed: %s", src, m ? m : "?");
    }
    diags_free(&d);
}

/* The expansion fails with the message want (its first error). */
static void
expand_err(const sc_page *pg, const char *src, const char *want)
{
    diags d = DIAGS_INIT;
    sc_out out;
    int r = sc_expand(pg, src, strlen(src), &out, &d);
    char *m = NULL;
    for (size_t i = 0; i < d.n && !m; i++)
        if (d.v[i].level == DIAG_ERROR) m = diag_str(&d.v[i]);
    if (r == 0 || !m || strstr(m, want) != m) {
        print_error("source \"%s\":\n got \"%s\"\nwant \"%s...\"\n", src, m ? m : "(none)", want);
        free(m);
        fail();
    }
    free(m);
    sc_out_free(&out);
    diags_free(&d);
}

/* The whole way: expand, render, substitute.  Returns the HTML (free it). */
static char *
render_page(const sc_page *pg, const char *src, md_doc *keep)
{
    sc_out out;
    expand_ok(pg, src, &out);
    md_doc doc;
    diags d = DIAGS_INIT;
    assert_int_equal(md_render(out.md, out.md_len, pg->md, &doc, "post.md", 5, &d), 0);
    sc_apply(&out, &doc);
    assert_int_equal(strlen(doc.html), doc.html_len);
    assert_int_equal(strlen(doc.summary), doc.summary_len);
    assert_null(strstr(doc.html, out.prefix));
    assert_null(strstr(doc.summary, out.prefix));
    assert_null(strstr(doc.toc, out.prefix));
    char *html = strdup(doc.html);
    if (keep)
        *keep = doc;
    else
        md_free(&doc);
    sc_out_free(&out);
    diags_free(&d);
    return html;
}

static void
check_page(const sc_page *pg, const char *src, const char *want)
{
    char *html = render_page(pg, src, NULL);
    if (strcmp(html, want) != 0) {
        print_error("source \"%s\":\n got \"%s\"\nwant \"%s\"\n", src, html, want);
        free(html);
        fail();
    }
    free(html);
}

static void
check_contains(const char *hay, const char *needle)
{
    if (!strstr(hay, needle)) fail_msg("\"%s\" not in \"%s\"", needle, hay);
}

/* ---- parsing: arguments ---- */

static void
test_positional_args(void **state)
{
    sc_doc doc;
    parse_ok(NULL,
             "x {{< youtube abc \"two words\" `raw \"q\" \\n` \"a \\\"b\\\" \\\\ \\c\" 3 >}} y",
             &doc);
    assert_int_equal(doc.n, 1);
    const sc_item *it = item(&doc, 0);
    assert_int_equal(it->kind, SC_CALL);
    assert_string_equal(it->name, "youtube");
    assert_false(it->named);
    assert_false(it->paired);
    assert_int_equal(it->off, 2);
    assert_int_equal(it->line, 5);
    assert_int_equal(it->col, 3);
    assert_int_equal(it->nargs, 5);
    check_arg(it, 0, NULL, "abc", false);
    check_arg(it, 1, NULL, "two words", true);
    check_arg(it, 2, NULL, "raw \"q\" \\n", true);
    check_arg(it, 3, NULL, "a \"b\" \\ \\c", true);
    check_arg(it, 4, NULL, "3", false);
    sc_doc_free(&doc);
}

static void
test_named_args(void **state)
{
    sc_doc doc;
    parse_ok(NULL,
             "{{< figure src=a/b.png alt=\"A b\" title = `T` link=https://x.org/?a=b&c=d\n"
             "    caption=\"multi\nline\" >}}",
             &doc);
    const sc_item *it = item(&doc, 0);
    assert_true(it->named);
    assert_int_equal(it->nargs, 5);
    check_arg(it, 0, "src", "a/b.png", false);
    check_arg(it, 1, "alt", "A b", true);
    check_arg(it, 2, "title", "T", true);
    check_arg(it, 3, "link", "https://x.org/?a=b&c=d", false);
    check_arg(it, 4, "caption", "multi\nline", true);
    sc_doc_free(&doc);
}

static void
test_self_closing_and_spacing(void **state)
{
    sc_doc doc;
    parse_ok(NULL, "{{<pullquote/>}} {{<  youtube   id=x  />}} {{% youtube a/b/%}}", &doc);
    assert_int_equal(doc.n, 3);
    assert_string_equal(item(&doc, 0)->name, "pullquote");
    assert_false(item(&doc, 0)->paired);
    check_arg(item(&doc, 1), 0, "id", "x", false);
    assert_true(item(&doc, 2)->markdown);
    check_arg(item(&doc, 2), 0, NULL, "a/b", false);
    assert_int_equal(item(&doc, 2)->end, strlen("{{<pullquote/>}} {{<  youtube   id=x  />}} "
                                                "{{% youtube a/b/%}}"));
    sc_doc_free(&doc);
}

/* ---- parsing: pairs ---- */

static void
test_pairs_and_nesting(void **state)
{
    const char *src = "{{< pullquote >}}a {{< youtube x >}} {{% pullquote %}}*b*{{% /pullquote %}} "
                      "c{{< / pullquote >}} after";
    sc_doc doc;
    parse_ok(NULL, src, &doc);
    assert_int_equal(doc.n, 3);
    const sc_item *outer = item(&doc, 0), *yt = item(&doc, 1), *inner = item(&doc, 2);
    assert_true(outer->paired);
    assert_int_equal(outer->inner_off, strlen("{{< pullquote >}}"));
    assert_int_equal(outer->inner_end, strstr(src, "{{< / pullquote") - src);
    assert_int_equal(outer->end, strstr(src, " after") - src);
    assert_false(yt->paired);
    assert_true(yt->off > outer->inner_off && yt->end < outer->inner_end);
    assert_true(inner->paired);
    assert_true(inner->markdown);
    assert_int_equal(inner->inner_end - inner->inner_off, 3);
    sc_doc_free(&doc);
}

static void
test_highlight_is_verbatim(void **state)
{
    const char *src = "{{< highlight go >}}\n{{< nope >}} {{< /pullquote >}} `\n{{< /highlight >}}";
    sc_doc doc;
    parse_ok(NULL, src, &doc);
    assert_int_equal(doc.n, 1);
    assert_true(item(&doc, 0)->paired);
    assert_int_equal(item(&doc, 0)->end, strlen(src));
    sc_doc_free(&doc);
}

/* ---- parsing: code hides shortcodes ---- */

static void
test_code_is_left_alone(void **state)
{
    static const char *const srcs[] = {
        "`{{< nope >}}`",
        "``a ` {{< nope >}}``",
        "```\n{{< nope >}}\n```\n",
        "~~~~ go\n{{< nope >}}\n~~~\n~~~~\n",
        "para\n\n    {{< nope >}}\n\n    {{< nope >}}\n",
        "# Title\n    {{< nope >}}\n",
        "> ```\n> {{< nope >}}\n> ```\n",
        "- item\n\n  ```\n  {{< nope >}}\n  ```\n",
        "- item\n\n      ```\n      {{< nope >}}\n      ```\n",
        "```\nunclosed fence {{< nope >}}\n",
        "a `span\nacross {{< nope >}} lines` b",
    };
    for (size_t i = 0; i < N_OF(srcs); i++) {
        sc_doc doc;
        parse_ok(NULL, srcs[i], &doc);
        if (doc.n != 0) fail_msg("a shortcode found in code: \"%s\"", srcs[i]);
        sc_doc_free(&doc);
    }
}

static void
test_not_code(void **state)
{
    /* each has one shortcode outside code */
    static const char *const srcs[] = {
        "a ` b {{< youtube x >}}",                /* an unmatched backtick */
        "a `` b ` {{< youtube x >}}",             /* runs of other lengths */
        "a \\`{{< youtube x >}}` b",              /* an escaped backtick */
        "`a`\n\n`b {{< youtube x >}}",            /* a span ends at a blank line */
        "a `x\n\n{{< youtube x >}} `",            /* ... so it cannot cross one */
        "para\n    {{< youtube x >}}\n",          /* a paragraph's continuation */
        "- item\n\n    {{< youtube x >}}\n",      /* a list item's paragraph */
        "```\ncode\n```\n{{< youtube x >}}\n",    /* after a fence */
        "~~~\n```\n~~~\n{{< youtube x >}}",       /* a fence closes by its own char */
        "```` a\n```\n````\n{{< youtube x >}}",   /* ... and length */
        "    code\ntext {{< youtube x >}}\n",     /* an indented block ends */
        "``` `not a fence`\n{{< youtube x >}}\n", /* backticks in the info string */
    };
    for (size_t i = 0; i < N_OF(srcs); i++) {
        sc_doc doc;
        parse_ok(NULL, srcs[i], &doc);
        if (doc.n != 1 || doc.v[0].kind != SC_CALL)
            fail_msg("%zu items in \"%s\", want one shortcode", doc.n, srcs[i]);
        sc_doc_free(&doc);
    }
}

static void
test_many_backticks_linear(void **state)
{
    /* unmatched runs of every length: one scan per paragraph, not one per run */
    size_t n = 200000;
    char *src = malloc(n + 32);
    size_t o = 0, len = 1;
    while (o + len + 1 < n) {
        memset(src + o, '`', len);
        o += len;
        src[o++] = 'x';
        len = len % 1500 + 1;
    }
    strcpy(src + o, "{{< youtube x >}}");
    sc_doc doc;
    parse_ok(NULL, src, &doc);
    assert_int_equal(doc.n, 1);
    sc_doc_free(&doc);
    free(src);
}

/* ---- parsing: escapes, Liquid, excerpt ---- */

static void
test_escapes(void **state)
{
    const char *src = "a {{</* nope x=\"1\" */>}} b `{{%/* in code */%}}`\n\n"
                      "```\n{{</* fenced */>}}\n```\n";
    sc_doc doc;
    parse_ok(NULL, src, &doc);
    assert_int_equal(doc.n, 3);
    assert_int_equal(item(&doc, 0)->kind, SC_ESCAPE);
    assert_false(item(&doc, 0)->in_code);
    assert_false(item(&doc, 0)->markdown);
    assert_int_equal(item(&doc, 0)->inner_end - item(&doc, 0)->inner_off, strlen(" nope x=\"1\" "));
    assert_true(item(&doc, 1)->in_code);
    assert_true(item(&doc, 1)->markdown);
    assert_true(item(&doc, 2)->in_code);
    assert_int_equal(item(&doc, 2)->line, 8);
    sc_doc_free(&doc);
}

static void
test_liquid_highlight(void **state)
{
    const char *src = "Text\n{% highlight ruby linenos %}\ndef x\n  {{< nope >}}\nend\n"
                      "{%- endhighlight -%}\nafter {% raw %}";
    sc_doc doc;
    parse_ok(NULL, src, &doc);
    assert_int_equal(doc.n, 1);
    const sc_item *it = item(&doc, 0);
    assert_int_equal(it->kind, SC_LIQUID);
    assert_string_equal(it->name, "ruby");
    assert_true(it->linenos);
    assert_int_equal(it->line, 6);
    assert_int_equal(it->off, 5);
    assert_int_equal(it->end, strstr(src, "\nafter") - src);
    sc_doc_free(&doc);
}

static void
test_excerpt_separator(void **state)
{
    const char *src = "`<!--x-->` one\n\n```\n<!--x-->\n```\ntwo <!--x--> three <!--x-->";
    diags d = DIAGS_INIT;
    sc_doc doc;
    assert_int_equal(parse(NULL, src, "<!--x-->", &doc, &d), 0);
    assert_int_equal(doc.n, 1);
    assert_int_equal(item(&doc, 0)->kind, SC_MORE);
    assert_int_equal(item(&doc, 0)->off, strstr(src, "two") - src + 4);
    sc_doc_free(&doc);
    diags_free(&d);
}

/* ---- parsing: errors ---- */

static void
test_parse_errors(void **state)
{
    parse_err("line one\n  {{< nope x >}}",
              "post.md:6:3: error: unknown shortcode 'nope': not built in");
    parse_err("a\n{{< pullquote >}}\ntext",
              "post.md:6:1: error: shortcode 'pullquote' opened here is never closed: add {{< "
              "/pullquote >}}");
    parse_err("{{% pullquote %}}\n{{< pullquote >}}x{{% /pullquote %}}",
              "post.md:5:1: error: shortcode 'pullquote' opened here is never closed");
    parse_err("x {{< /pullquote >}}",
              "post.md:5:3: error: closing {{< /pullquote >}} without an opening");
    parse_err("{{< youtube \"abc >}}", "post.md:5:13: error: unclosed quote");
    parse_err("{{< youtube `abc >}}", "post.md:5:13: error: unclosed `");
    parse_err("{{< figure src=\"a\" b >}}",
              "post.md:5:20: error: shortcode 'figure' mixes positional and named");
    parse_err("{{< figure a b=c >}}",
              "post.md:5:14: error: shortcode 'figure' mixes positional and named");
    parse_err("{{< figure \"a\"=c >}}", "post.md:5:12: error: bad argument name");
    parse_err("{{< figure src= >}}", "post.md:5:15: error: argument 'src' has no value");
    parse_err("{{< figure src=\"a\"alt=b >}}", "post.md:5:19: error: unexpected 'a'");
    parse_err("{{< figure =a >}}", "post.md:5:12: error: unexpected '='");
    parse_err("text {{< figure src=a", "post.md:5:6: error: the tag of shortcode "
                                       "'figure' opened here is never closed");
    parse_err("{{< >}}", "post.md:5:1: error: expected a shortcode name after {{<");
    parse_err("a {{<-x >}}", "post.md:5:3: error: expected a shortcode name");
    parse_err("{{< pullquote >}}x{{< /pullquote y >}}",
              "post.md:5:19: error: a closing tag takes no arguments");
    parse_err("{{< figure src=a >}}{{< /figure >}}",
              "post.md:5:21: error: shortcode 'figure' takes no inner content");
    parse_err("{{< highlight go >}}\ncode", "post.md:5:1: error: shortcode 'highlight' opened "
                                            "here is never closed");
    parse_err("{{</* x", "post.md:5:1: error: the comment opened by {{</* is never closed");
    parse_err("\n{% highlight c %}\nint x;\n",
              "post.md:6:1: error: {% highlight %} opened here is never closed");
}

static void
test_every_error_reported(void **state)
{
    diags d = DIAGS_INIT;
    sc_doc doc;
    assert_int_equal(parse(NULL, "{{< a >}} {{< b >}}\n{{< figure \"x >}}", NULL, &doc, &d), -1);
    assert_int_equal(d.errors, 3);
    sc_doc_free(&doc);
    diags_free(&d);
}

static void
test_nesting_limit(void **state)
{
    char *src = malloc(SC_MAX_DEPTH * 20 + 64);
    size_t o = 0;
    for (int i = 0; i <= SC_MAX_DEPTH; i++)
        o += (size_t)sprintf(src + o, "{{< pullquote >}}");
    src[o] = '\0';
    parse_err(src, "post.md:5:");
    diags d = DIAGS_INIT;
    sc_doc doc;
    parse(NULL, src, NULL, &doc, &d);
    bool deep = false;
    for (size_t i = 0; i < d.n; i++)
        deep |= strstr(d.v[i].msg, "nest deeper than 64") != NULL;
    assert_true(deep);
    sc_doc_free(&doc);
    diags_free(&d);
    free(src);
}

/* ---- built-ins ---- */

static void
test_figure(void **state)
{
    sc_page pg = page_of(NULL);
    check_page(&pg, "Before.\n\n{{< figure src=\"img/a.png\" alt=\"An <a>\" >}}\n\nAfter.\n",
               "<p>Before.</p>\n"
               "<figure>\n<img src=\"/blog/posts/a/img/a.png\" alt=\"An &lt;a&gt;\" "
               "loading=\"lazy\">\n</figure>\n"
               "<p>After.</p>\n");
    check_page(&pg,
               "{{< figure src=\"/i.png\" link=\"https://x.org/?a&b\" target=_blank rel=noopener "
               "class=\"wide\" width=640 height=\"480\" title=\"The title\" caption=\"A *caption* "
               "& [link](https://y.org/)\" attr=\"Me\" attrlink=\"https://me.org/\" >}}\n",
               "<figure class=\"wide\">\n"
               "<a href=\"https://x.org/?a&amp;b\" target=\"_blank\" rel=\"noopener\">"
               "<img src=\"/i.png\" alt=\"A caption &amp; link\" width=\"640\" height=\"480\" "
               "loading=\"lazy\"></a>\n"
               "<figcaption><h4>The title</h4><p>A <em>caption</em> &amp; "
               "<a href=\"https://y.org/\">link</a> <a href=\"https://me.org/\">Me</a></p>"
               "</figcaption>\n</figure>\n");
    /* inline in a paragraph, it stays in the paragraph */
    check_page(&pg, "a {{< figure src=\"x.png\" loading=eager >}} b\n",
               "<p>a <figure>\n<img src=\"/blog/posts/a/x.png\" alt=\"\" loading=\"eager\">\n"
               "</figure>\n b</p>\n");
    expand_err(&pg, "\n{{< figure alt=x >}}",
               "post.md:6:1: error: figure needs src=\"...\", the image to show");
    expand_err(&pg, "{{< figure x.png >}}", "post.md:5:1: error: figure takes named arguments");
    /* an unknown argument is a warning: Hugo ignores it */
    diags d = DIAGS_INIT;
    sc_out out;
    assert_int_equal(sc_expand(&pg, "{{< figure src=x scr=y >}}", 26, &out, &d), 0);
    assert_int_equal(d.n, 1);
    assert_int_equal(d.v[0].level, DIAG_WARNING);
    check_contains(d.v[0].msg, "unknown argument 'scr'");
    sc_out_free(&out);
    diags_free(&d);
    /* javascript: is refused when raw HTML is off */
    md_opts safe = opts;
    safe.unsafe_html = false;
    pg.md = &safe;
    check_page(&pg, "{{< figure src=\"javascript:alert(1)\" >}}",
               "<figure>\n<img src=\"\" alt=\"\" loading=\"lazy\">\n</figure>\n");
}

static void
test_youtube(void **state)
{
    sc_page pg = page_of(NULL);
    const char *tail =
        " allow=\"accelerometer; autoplay; clipboard-write; encrypted-media; gyroscope; "
        "picture-in-picture; web-share\" referrerpolicy=\"strict-origin-when-cross-origin\" "
        "allowfullscreen loading=\"lazy\"></iframe></div>\n";
    char want[1024];
    snprintf(want, sizeof(want),
             "<div class=\"video\"><iframe src=\"https://www.youtube-nocookie.com/embed/"
             "w7Ft2ymGmfc\" title=\"YouTube video\"%s",
             tail);
    check_page(&pg, "{{< youtube w7Ft2ymGmfc >}}\n", want);
    snprintf(want, sizeof(want),
             "<div class=\"video big\"><iframe src=\"https://www.youtube-nocookie.com/embed/"
             "a-b_c?autoplay=1&amp;start=30\" title=\"A &quot;talk&quot;\"%s",
             tail);
    check_page(
        &pg,
        "{{< youtube id=\"a-b_c\" title=\"A \\\"talk\\\"\" autoplay=true start=30 class=big >}}",
        want);
    expand_err(&pg, "{{< youtube >}}", "post.md:5:1: error: youtube needs the video's id");
    expand_err(&pg, "{{< youtube \"a\\\"><script>\" >}}",
               "post.md:5:1: error: youtube: \"a\"><script>\" is not a video id");
    expand_err(&pg, "{{< youtube id=x start=1m >}}", "post.md:5:1: error: youtube: start=\"1m\"");
}

static void
test_highlight(void **state)
{
    sc_page pg = page_of(NULL);
    char *html = render_page(&pg,
                             "{{< highlight go \"linenos=table,hl_lines=2 4-5,style=x\" >}}\n"
                             "    a := 1\n    b := 2\n    c\n    d\n    e\n{{< /highlight >}}\n",
                             NULL);
    check_contains(html, "<div class=\"highlight\">");
    check_contains(html, "data-lang=\"go\"");
    assert_null(strstr(html, "<p>"));
    /* deindented: the code starts at the line's start */
    check_contains(html, ">a</span>");
    free(html);
    /* no language: plain text, escaped */
    html = render_page(&pg, "{{< highlight >}}<b>{{< /highlight >}}", NULL);
    check_contains(html, "&lt;b&gt;");
    free(html);
    expand_err(&pg, "{{< highlight go \"linenos=maybe\" >}}x{{< /highlight >}}",
               "post.md:5:1: error: highlight: linenos=maybe");
    expand_err(&pg, "{{< highlight go \"hl_lines=a\" >}}x{{< /highlight >}}",
               "post.md:5:1: error: highlight: hl_lines=a");
    expand_err(&pg, "{{< highlight go \"linenostart=x\" >}}x{{< /highlight >}}",
               "post.md:5:1: error: highlight: linenostart=x: must be a line number");
    expand_err(&pg, "{{< highlight lang=go >}}x{{< /highlight >}}",
               "post.md:5:1: error: highlight takes the language");
}

static void
test_pullquote(void **state)
{
    sc_page pg = page_of(NULL);
    check_page(&pg, "{{< pullquote >}}Quote <b>this</b>, \"now\"{{< /pullquote >}}\n",
               "<div class=\"pullquote\" data-pullquote=\"Quote this, &quot;now&quot;\">"
               "Quote <b>this</b>, \"now\"</div>\n");
    /* {{% %}}: the inner is Markdown */
    check_page(&pg, "{{% pullquote %}}\nSome *text*\n  & more.\n{{% /pullquote %}}\n",
               "<div class=\"pullquote\" data-pullquote=\"Some text &amp; more.\">"
               "<p>Some <em>text</em>\n&amp; more.</p>\n</div>\n");
    expand_err(&pg, "{{< pullquote >}} {{< /pullquote >}}",
               "post.md:5:1: error: pullquote needs the quote");
}

static void
test_escape_output(void **state)
{
    sc_page pg = page_of(NULL);
    char *html = render_page(&pg,
                             "Write {{</* figure src=\"a\" */>}} or `{{%/* x */%}}`.\n\n"
                             "```\n{{</*youtube*/>}}\n```\n",
                             NULL);
    check_contains(
        html, "<p>Write {{&lt; figure src=&quot;a&quot; &gt;}} or <code>{{% x %}}</code>.</p>\n");
    check_contains(html, "<code>{{&lt;youtube&gt;}}\n</code></pre>");
    free(html);
}

/* ---- ref and relref ---- */

static sc_env *
targets(void)
{
    sc_env *e = sc_env_new();
    sc_env_add_page(e, "posts/a.md", "/blog/posts/a/", "https://x.org/blog/posts/a/");
    sc_env_add_page(e, "posts/b.md", "/blog/b/", "https://x.org/blog/b/");
    sc_env_add_page(e, "notes/b.md", "/blog/notes/b/", "https://x.org/blog/notes/b/");
    sc_env_add_page(e, "about.markdown", "/blog/about/", "https://x.org/blog/about/");
    sc_env_add_page(e, "posts/bundle/index.md", "/blog/bun dle/", "https://x.org/blog/bun dle/");
    sc_env_add_page(e, "posts/_index.md", "/blog/posts/", "https://x.org/blog/posts/");
    sc_env_add_page(e, "posts/draft.md", NULL, NULL);
    sc_env_finish(e);
    return e;
}

static void
check_md(const sc_page *pg, const char *src, const char *want)
{
    sc_out out;
    expand_ok(pg, src, &out);
    if (strcmp(out.md, want) != 0) {
        print_error("source \"%s\":\n got \"%s\"\nwant \"%s\"\n", src, out.md, want);
        sc_out_free(&out);
        fail();
    }
    sc_out_free(&out);
}

static void
test_ref(void **state)
{
    sc_env *e = targets();
    sc_page pg = page_of(e);
    check_md(&pg, "{{< ref \"b.md\" >}}", "https://x.org/blog/b/"); /* beside this page */
    check_md(&pg, "{{< relref \"b\" >}}", "/blog/b/");
    check_md(&pg, "{{< relref \"/notes/b.md\" >}}", "/blog/notes/b/");
    check_md(&pg, "{{< relref \"../notes/b\" >}}", "/blog/notes/b/");
    check_md(&pg, "{{< relref \"about\" >}}", "/blog/about/"); /* a bare name, once */
    check_md(&pg, "{{< relref path=\"about.markdown#top\" >}}", "/blog/about/#top");
    check_md(&pg, "{{< relref \"posts/bundle\" >}}", "/blog/bun%20dle/");
    check_md(&pg, "{{< relref \"bundle/index.md\" >}}", "/blog/bun%20dle/");
    check_md(&pg, "{{< relref \"posts\" >}}", "/blog/posts/");
    check_md(&pg, "{{< ref \"#frag\" >}}", "https://x.org/blog/posts/a/#frag");
    check_md(&pg, "[x]({{% relref \"a\" %}}) `{{< ref \"zz\" >}}`",
             "[x](/blog/posts/a/) `{{< ref \"zz\" >}}`");
    /* in a link: not rewritten against the page's URL */
    check_page(&pg, "[B]({{< relref \"b.md\" >}})", "<p><a href=\"/blog/b/\">B</a></p>\n");
    expand_err(&pg, "x\n\n  {{< ref \"nope.md\" >}}",
               "post.md:7:3: error: ref \"nope.md\": no page has this path under content/");
    pg.rel = "about.markdown";
    expand_err(&pg, "{{< relref \"b\" >}}",
               "post.md:5:1: error: relref \"b\" is ambiguous: posts/b.md and notes/b.md");
    expand_err(&pg, "{{< ref \"posts/draft\" >}}",
               "post.md:5:1: error: ref \"posts/draft\": posts/draft.md is not in this build");
    expand_err(&pg, "{{< ref >}}", "post.md:5:1: error: ref needs the path of a page");
    expand_err(&pg, "{{< ref \"../../x\" >}}", "post.md:5:1: error: ref \"../../x\": no page");
    sc_page none = page_of(NULL);
    expand_err(&none, "{{< ref \"a.md\" >}}", "post.md:5:1: error: ref \"a.md\": no page");
    sc_env_free(e);
}

/* ---- Jekyll ---- */

static void
test_liquid_output(void **state)
{
    sc_page pg = page_of(NULL);
    check_md(&pg, "Text\n{% highlight ruby %}\ndef x\n  ```\nend\n{% endhighlight %}\nafter\n",
             "Text\n````ruby\ndef x\n  ```\nend\n````\nafter\n");
    check_md(&pg, "- item\n  {% highlight c linenos %}int x;{% endhighlight %} tail",
             "- item\n  ```c {linenos=true}\nint x;\n  ```\n tail");
    check_md(&pg, "a {% highlight %}x{% endhighlight %}", "a \n```\nx\n```");
    char *html = render_page(&pg, "{% highlight python %}\nprint(1)\n{% endhighlight %}\n", NULL);
    check_contains(html, "data-lang=\"python\"");
    free(html);
}

static void
test_excerpt_output(void **state)
{
    sc_page pg = page_of(NULL);
    pg.excerpt_sep = "<!--cut-->";
    check_md(&pg, "one <!--cut--> two <!--cut-->", "one <!--more--> two <!--cut-->");
    pg.excerpt_sep = "\n\n";
    check_md(&pg, "one\n\ntwo\n\nthree", "one\n\n<!--more-->\n\ntwo\n\nthree");
    md_doc doc;
    pg.excerpt_sep = "<!-- excerpt -->";
    char *html = render_page(&pg, "First *part*.\n\n<!-- excerpt -->\n\nSecond part.\n", &doc);
    assert_true(doc.more);
    assert_string_equal(doc.summary, "<p>First <em>part</em>.</p>\n");
    free(html);
    md_free(&doc);
}

/* ---- theme shortcodes ---- */

static char tmpdir[64];

static void
write_file(const char *name, const char *text)
{
    char path[256];
    snprintf(path, sizeof(path), "%s/%s", tmpdir, name);
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs(text, f);
    fclose(f);
}

static int
setup_theme(void **state)
{
    strcpy(tmpdir, "/tmp/hone-sc-XXXXXX");
    if (!mkdtemp(tmpdir)) return -1;
    write_file("note.html", "<aside class=\"{{ params.cls }}\" data-n=\"{{ params.n|add:1 }}\">"
                            "{{ inner }}</aside>");
    write_file("args.html", "{% for a in args %}[{{ a }}:{% if a is True %}bool{% elif a == 12 "
                            "%}int{% elif a == -2.5 %}float{% else %}str{% endif %}]{% endfor %}"
                            "{{ page.title }}");
    write_file("figure.html", "<img src=\"{{ params.src }}\">");
    write_file("md.html", "**{{ args.0 }}** {{ inner }}\n");
    write_file("wrap.html", "<div>{{ inner }}</div>");
    write_file("bad name.html", "x");
    return 0;
}

static int
teardown_theme(void **state)
{
    static const char *const names[] = {"note.html", "args.html", "figure.html",
                                        "md.html",   "wrap.html", "bad name.html"};
    char path[256];
    for (size_t i = 0; i < N_OF(names); i++) {
        snprintf(path, sizeof(path), "%s/%s", tmpdir, names[i]);
        unlink(path);
    }
    rmdir(tmpdir);
    return 0;
}

static const val_class title_class;

static int
title_get(const void *obj, const char *key, size_t n, arena *a, val *out)
{
    if (n != 5 || memcmp(key, "title", 5) != 0) return 0;
    *out = val_cstr("The page");
    return 1;
}

static const val_class title_class = {"page", title_get, NULL, NULL, NULL, NULL};

static void
test_theme_shortcodes(void **state)
{
    tmpl_env *tenv = tmpl_env_new();
    sc_env *e = sc_env_new();
    diags d = DIAGS_INIT;
    assert_int_equal(sc_env_load_dir(e, tenv, tmpdir, &d), 0);
    assert_int_equal(d.errors, 0);
    assert_int_equal(d.n, 1); /* the warning about "bad name.html" */
    assert_int_equal(sc_env_load_dir(e, tenv, "/nonexistent/shortcodes", &d), 0);
    sc_env_finish(e);
    assert_true(sc_known(e, "note"));
    assert_true(sc_known(e, "youtube"));
    assert_false(sc_known(e, "bad name"));
    sc_page pg = page_of(e);
    pg.page = val_obj(&title_class, NULL);
    /* {{< >}}: inner raw, output kept from Markdown, a paragraph around dropped */
    check_page(&pg, "{{< note cls=warn n=1 >}}*raw* {{< youtube x >}}<{{< /note >}}\n",
               "<aside class=\"warn\" data-n=\"2\">*raw* <div class=\"video\"><iframe "
               "src=\"https://www.youtube-nocookie.com/embed/x\" title=\"YouTube video\" "
               "allow=\"accelerometer; autoplay; clipboard-write; encrypted-media; gyroscope; "
               "picture-in-picture; web-share\" referrerpolicy=\"strict-origin-when-cross-origin\" "
               "allowfullscreen loading=\"lazy\"></iframe></div>\n<</aside>\n");
    /* arguments typed as Hugo's .Get gives them; page in the context */
    check_page(&pg, "{{< args true 12 -2.5 \"7\" abc >}}",
               "<p>[True:bool][12:int][-2.5:float][7:str][abc:str]The page</p>\n");
    /* a theme shortcode overrides a built-in */
    check_page(&pg, "{{< figure src=\"a.png\" >}}", "<p><img src=\"a.png\"></p>\n");
    /* {{% %}}: output and inner are Markdown, rendered with the page */
    check_page(&pg, "{{% md hi %}}*x* {{< youtube y >}}{{% /md %}}",
               "<p><strong>hi</strong> <em>x</em> <div class=\"video\"><iframe "
               "src=\"https://www.youtube-nocookie.com/embed/y\" title=\"YouTube video\" "
               "allow=\"accelerometer; autoplay; clipboard-write; encrypted-media; gyroscope; "
               "picture-in-picture; web-share\" referrerpolicy=\"strict-origin-when-cross-origin\" "
               "allowfullscreen loading=\"lazy\"></iframe></div>\n</p>\n");
    /* a template that uses inner must be closed */
    diags d2 = DIAGS_INIT;
    sc_doc doc;
    assert_int_equal(sc_parse(e, "{{< wrap >}}", 12, "post.md", 5, NULL, &doc, &d2), -1);
    check_contains(d2.v[0].msg, "shortcode 'wrap' opened here is never closed");
    sc_doc_free(&doc);
    /* ... and one that does not may stand alone */
    assert_int_equal(sc_parse(e, "{{< args >}}", 12, "post.md", 5, NULL, &doc, &d2), 0);
    sc_doc_free(&doc);
    diags_free(&d2);
    diags_free(&d);
    sc_env_free(e);
    tmpl_env_free(tenv);
}

static void
test_template_error(void **state)
{
    tmpl_env *tenv = tmpl_env_new();
    sc_env *e = sc_env_new();
    diags d = DIAGS_INIT;
    char path[128];
    snprintf(path, sizeof(path), "%s/broken.html", tmpdir);
    write_file("broken.html", "{{ x|nosuchfilter }}");
    assert_int_equal(sc_env_load_dir(e, tenv, tmpdir, &d), -1);
    check_contains(d.v[d.n - 1].msg, "unknown filter 'nosuchfilter'");
    unlink(path);
    sc_page pg = page_of(e);
    expand_err(&pg, "{{< youtube x >}} {{< broken >}}",
               "post.md:5:19: error: shortcode "
               "'broken' used here failed");
    diags_free(&d);
    sc_env_free(e);
    tmpl_env_free(tenv);
}

/* ---- placeholders ---- */

static void
test_placeholders(void **state)
{
    sc_page pg = page_of(NULL);
    /* inline in text, in alt text (an attribute), in a table */
    check_page(&pg, "x {{< pullquote >}}a{{< /pullquote >}} y\n",
               "<p>x <div class=\"pullquote\" data-pullquote=\"a\">a</div>\n y</p>\n");
    check_page(&pg, "![alt {{< pullquote >}}<i>q</i>\"{{< /pullquote >}}](i.png)\n",
               "<p><img src=\"/blog/posts/a/i.png\" alt=\"alt q&quot;\" /></p>\n");
    /* the source contains what would be the token: another one is chosen */
    sc_out out;
    expand_ok(&pg, "{{< youtube x >}}", &out);
    char src[128];
    snprintf(src, sizeof(src), "%.14s {{< youtube x >}}", out.prefix);
    sc_out out2;
    expand_ok(&pg, src, &out2);
    assert_string_not_equal(out.prefix, out2.prefix);
    /* the same source gives the same token */
    sc_out out3;
    expand_ok(&pg, "{{< youtube x >}}", &out3);
    assert_string_equal(out.prefix, out3.prefix);
    assert_string_equal(out.md, out3.md);
    sc_out_free(&out);
    sc_out_free(&out2);
    sc_out_free(&out3);
}

static void
test_heading_ids(void **state)
{
    sc_page pg = page_of(NULL);
    md_doc doc;
    /* "A {{< b >}}" is "a--b-" (Hugo's rule: each space a hyphen) */
    char *html = render_page(&pg,
                             "## A {{</* b */>}}\n\n## A--b-\n\n## A {{</* b */>}} & c\n\n"
                             "## A {{</* b */>}}\n",
                             &doc);
    assert_int_equal(doc.nheadings, 4);
    assert_string_equal(doc.headings[0].text, "A {{< b >}}");
    assert_string_equal(doc.headings[0].id, "a--b--1");
    assert_string_equal(doc.headings[1].id, "a--b-");
    assert_string_equal(doc.headings[2].text, "A {{< b >}} & c");
    assert_string_equal(doc.headings[2].id, "a--b---c");
    assert_string_equal(doc.headings[3].id, "a--b--2");
    check_contains(html, "<h2 id=\"a--b--1\">A {{&lt; b &gt;}}</h2>");
    check_contains(html, "<h2 id=\"a--b--2\">A {{&lt; b &gt;}}</h2>");
    check_contains(doc.toc, "<a href=\"#a--b--1\">A {{&lt; b &gt;}}</a>");
    check_contains(doc.toc, "<a href=\"#a--b---c\">");
    free(html);
    md_free(&doc);
}

static void
test_summary_and_words(void **state)
{
    sc_page pg = page_of(NULL);
    md_doc doc;
    char *html = render_page(&pg,
                             "{{< pullquote >}}one two three{{< /pullquote >}}\n\n"
                             "four <!--more--> five\n",
                             &doc);
    assert_int_equal(doc.words, 5);
    assert_string_equal(doc.summary, "<div class=\"pullquote\" data-pullquote=\"one two "
                                     "three\">one two three</div>\n<p>four </p>");
    free(html);
    md_free(&doc);
}

static void
test_no_shortcodes(void **state)
{
    sc_page pg = page_of(NULL);
    check_md(&pg, "plain { text } with {braces}", "plain { text } with {braces}");
    check_md(&pg, "", "");
    sc_out out;
    diags d = DIAGS_INIT;
    assert_int_equal(sc_expand(&pg, NULL, 0, &out, &d), 0);
    assert_string_equal(out.md, "");
    char *s = sc_substitute(&out, "x", 1, false, NULL);
    assert_string_equal(s, "x");
    free(s);
    sc_out_free(&out);
    diags_free(&d);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_positional_args),
        cmocka_unit_test(test_named_args),
        cmocka_unit_test(test_self_closing_and_spacing),
        cmocka_unit_test(test_pairs_and_nesting),
        cmocka_unit_test(test_highlight_is_verbatim),
        cmocka_unit_test(test_code_is_left_alone),
        cmocka_unit_test(test_not_code),
        cmocka_unit_test(test_many_backticks_linear),
        cmocka_unit_test(test_escapes),
        cmocka_unit_test(test_liquid_highlight),
        cmocka_unit_test(test_excerpt_separator),
        cmocka_unit_test(test_parse_errors),
        cmocka_unit_test(test_every_error_reported),
        cmocka_unit_test(test_nesting_limit),
        cmocka_unit_test(test_figure),
        cmocka_unit_test(test_youtube),
        cmocka_unit_test(test_highlight),
        cmocka_unit_test(test_pullquote),
        cmocka_unit_test(test_escape_output),
        cmocka_unit_test(test_ref),
        cmocka_unit_test(test_liquid_output),
        cmocka_unit_test(test_excerpt_output),
        cmocka_unit_test_setup_teardown(test_theme_shortcodes, setup_theme, teardown_theme),
        cmocka_unit_test_setup_teardown(test_template_error, setup_theme, teardown_theme),
        cmocka_unit_test(test_placeholders),
        cmocka_unit_test(test_heading_ids),
        cmocka_unit_test(test_summary_and_words),
        cmocka_unit_test(test_no_shortcodes),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
