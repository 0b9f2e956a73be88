/*
 * Unit tests for md: the GFM extensions hone turns on, raw HTML and smart
 * punctuation per option, Hugo's heading ids (expected ids are what Hugo
 * >= 0.144 gives with goldmark's "github" ids), the <!--more--> split with
 * and without raw HTML, the automatic summary, Hugo's word count and table
 * of contents shape, rendering from several threads at once (which
 * libcmark-gfm's global state breaks without md's lock), and the
 * diagnostics for bytes that are not UTF-8 text.
 */
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "markdown.h"

#define N_OF(a) (sizeof(a) / sizeof((a)[0]))

/* Code blocks come out highlighted, in Hugo's (Chroma's) wrapper. */
#define PRE     "<div class=\"highlight\"><pre tabindex=\"0\" class=\"chroma\">"
#define END_PRE "</pre></div>"

static const md_opts safe = {false, false, 70, 0, 0, NULL};
static const md_opts unsafe = {true, false, 70, 0, 0, NULL};

/* Renders an exact-size heap copy of src (so ASan sees any overread). */
static md_doc
render_n(const char *src, size_t n, const md_opts *o)
{
    md_doc doc;
    diags d = DIAGS_INIT;
    char *p = malloc(n ? n : 1);
    if (n)
        memcpy(p, src, n);
    else
        p[0] = '\0';
    int r = md_render(p, n, o, &doc, "post.md", 1, &d);
    free(p);
    if (r != 0) {
        char *msg = d.n ? diag_str(&d.v[0]) : NULL;
        print_error("md_render failed: %s\n", msg ? msg : "(no diagnostic)");
        free(msg);
        diags_free(&d);
        fail();
    }
    assert_int_equal(d.n, 0);
    diags_free(&d);
    assert_int_equal(strlen(doc.html), doc.html_len);
    assert_int_equal(strlen(doc.summary), doc.summary_len);
    assert_int_equal(strlen(doc.toc), doc.toc_len);
    return doc;
}

static md_doc
render(const char *src, const md_opts *o)
{
    return render_n(src, strlen(src), o);
}

static void
check_html(const char *src, const md_opts *o, const char *want)
{
    md_doc doc = render(src, o);
    if (strcmp(doc.html, want) != 0) {
        print_error("source \"%s\":\n got \"%s\"\nwant \"%s\"\n", src, doc.html, want);
        md_free(&doc);
        fail();
    }
    md_free(&doc);
}

static void
check_contains(const char *hay, const char *needle)
{
    if (!strstr(hay, needle)) fail_msg("\"%s\" not in \"%s\"", needle, hay);
}

/* ---- the extensions and options ---- */

static void
test_tables(void **state)
{
    check_html("| a | b | c |\n|:--|--:|:-:|\n| 1 | 2 | 3 |\n", &safe,
               "<table>\n<thead>\n<tr>\n"
               "<th style=\"text-align: left\">a</th>\n"
               "<th style=\"text-align: right\">b</th>\n"
               "<th style=\"text-align: center\">c</th>\n"
               "</tr>\n</thead>\n<tbody>\n<tr>\n"
               "<td style=\"text-align: left\">1</td>\n"
               "<td style=\"text-align: right\">2</td>\n"
               "<td style=\"text-align: center\">3</td>\n"
               "</tr>\n</tbody>\n</table>\n");
}

static void
test_strikethrough(void **state)
{
    check_html("~~gone~~ and ~also~\n", &safe, "<p><del>gone</del> and <del>also</del></p>\n");
}

static void
test_autolinks(void **state)
{
    md_doc doc = render("See www.example.com, https://x.org/a?b=c. and me@example.com\n", &safe);
    check_contains(doc.html, "<a href=\"http://www.example.com\">www.example.com</a>,");
    check_contains(doc.html, "<a href=\"https://x.org/a?b=c\">https://x.org/a?b=c</a>.");
    check_contains(doc.html, "<a href=\"mailto:me@example.com\">me@example.com</a>");
    md_free(&doc);
}

static void
test_task_lists(void **state)
{
    /* each checkbox gets an accessible name for its state */
    check_html("- [x] done\n- [ ] todo\n", &safe,
               "<ul>\n"
               "<li><input type=\"checkbox\" checked=\"\" disabled=\"\" aria-label=\"done\" /> "
               "done</li>\n"
               "<li><input type=\"checkbox\" disabled=\"\" aria-label=\"to do\" /> todo</li>\n"
               "</ul>\n");
    /* raw HTML that looks the same is left alone when there is no task list */
    check_html("<input type=\"checkbox\" disabled=\"\" />\n", &unsafe,
               "<input type=\"checkbox\" disabled=\"\" />\n");
}

static void
test_footnotes(void **state)
{
    md_doc doc = render("Claim[^src].\n\n[^src]: The source.\n", &safe);
    check_contains(doc.html, "<p>Claim<sup class=\"footnote-ref\"><a href=\"#fn-src\" "
                             "id=\"fnref-src\" data-footnote-ref>1</a></sup>.</p>\n");
    check_contains(doc.html, "<section class=\"footnotes\" data-footnotes>\n<ol>\n"
                             "<li id=\"fn-src\">\n<p>The source.");
    md_free(&doc);
}

static void
test_raw_html_per_option(void **state)
{
    const char *src = "<div class=\"x\">block</div>\n\nan <span>inline</span> tag "
                      "[js](javascript:alert(1))\n";
    check_html(src, &unsafe,
               "<div class=\"x\">block</div>\n"
               "<p>an <span>inline</span> tag <a href=\"javascript:alert(1)\">js</a></p>\n");
    check_html(src, &safe,
               "<!-- raw HTML omitted -->\n"
               "<p>an <!-- raw HTML omitted -->inline<!-- raw HTML omitted --> tag "
               "<a href=\"\">js</a></p>\n");
    /* raw HTML is the owner's: no tag filter */
    check_html("<iframe src=\"/x\"></iframe>\n", &unsafe, "<iframe src=\"/x\"></iframe>\n");
}

static void
test_smart_punctuation(void **state)
{
    const char *src = "\"Quoted\" -- it's 'here'... --- done\n";
    md_opts smart = safe;
    smart.smart = true;
    check_html(src, &smart,
               "<p>\xe2\x80\x9cQuoted\xe2\x80\x9d \xe2\x80\x93 it\xe2\x80\x99s "
               "\xe2\x80\x98here\xe2\x80\x99\xe2\x80\xa6 \xe2\x80\x94 done</p>\n");
    check_html(src, &safe, "<p>&quot;Quoted&quot; -- it's 'here'... --- done</p>\n");
}

static void
test_empty_and_null(void **state)
{
    md_doc doc = render("", NULL);
    assert_string_equal(doc.html, "");
    assert_string_equal(doc.summary, "");
    assert_string_equal(doc.toc, "");
    assert_int_equal(doc.words, 0);
    assert_false(doc.more);
    assert_false(doc.truncated);
    assert_int_equal(doc.nheadings, 0);
    md_free(&doc);
    md_free(&doc); /* harmless twice */

    diags d = DIAGS_INIT;
    assert_int_equal(md_render(NULL, 0, NULL, &doc, "x.md", 1, &d), 0);
    assert_string_equal(doc.html, "");
    md_free(&doc);
    diags_free(&d);
}

/* ---- heading ids ---- */

static void
check_anchor(const char *text, const char *want)
{
    buf b = BUF_INIT;
    md_anchorize(&b, text, strlen(text));
    if (strcmp(buf_cstr(&b), want) != 0) {
        print_error("anchorize \"%s\": got \"%s\", want \"%s\"\n", text, buf_cstr(&b), want);
        buf_free(&b);
        fail();
    }
    buf_free(&b);
}

static void
test_anchorize(void **state)
{
    static const char *const cases[][2] = {
        {"Hello, World!", "hello-world"},
        {"Let's try this, shall we?", "lets-try-this-shall-we"},
        {"snake_case and kebab-case", "snake_case-and-kebab-case"},
        {"A -- B", "a----b"},
        {"C++ & C#", "c--c"},
        {"  trim me \t", "trim-me"},
        {"\xc2\xa0nbsp\xc2\xa0", "nbsp"}, /* Go's TrimSpace knows NBSP */
        {"a\xc2\xa0"
         "b",
         "ab"}, /* ... but only ' ' becomes '-' */
        {"tab\there", "tabhere"},
        {"v1.0.0 (Apr 21, 2019)", "v100-apr-21-2019"},
        {"\xc3\x9cn\xc3\xaf"
         "c\xc3\xb6"
         "d\xc3\xa9 Stra\xc3\x9f"
         "e",
         "\xc3\xbcn\xc3\xaf"
         "c\xc3\xb6"
         "d\xc3\xa9-stra\xc3\x9f"
         "e"},
        {"\xce\xa3\xce\x8a\xce\xa3\xce\xa5\xce\xa6\xce\x9f\xce\xa3", /* ΣΊΣΥΦΟΣ */
         "\xcf\x83\xce\xaf\xcf\x83\xcf\x85\xcf\x86\xce\xbf\xcf\x83"},
        {"\xd0\x9f\xd1\x80\xd0\xb8\xd0\xb2\xd0\xb5\xd1\x82 \xd0\x9c\xd0\xb8\xd1\x80", /* Привет Мир
                                                                                       */
         "\xd0\xbf\xd1\x80\xd0\xb8\xd0\xb2\xd0\xb5\xd1\x82-\xd0\xbc\xd0\xb8\xd1\x80"},
        {"\xe6\x97\xa5\xe6\x9c\xac\xe8\xaa\x9e\xe3\x80\x82", /* 日本語。 */
         "\xe6\x97\xa5\xe6\x9c\xac\xe8\xaa\x9e"},
        {"\xf0\x9f\x8e\x89 Party", "-party"}, /* emoji dropped, space kept */
        {"e\xcc\x81t\xc3\xa9", "et\xc3\xa9"}, /* combining mark dropped */
        {"\xc4\xb0stanbul", "istanbul"},      /* U+0130: simple mapping */
        {"\xef\xbc\xa1\xef\xbc\xa2\xef\xbc\x91", "\xef\xbd\x81\xef\xbd\x82\xef\xbc\x91"},
        {"\xd9\xa3 \xe0\xa5\xa7", "\xd9\xa3-\xe0\xa5\xa7"}, /* other scripts' digits */
        {"\xc2\xb2 \xc2\xbd", "-"},                         /* ² ½ are not digits */
        {"bad\xff"
         "byte",
         "badbyte"},
        {"", ""},
    };
    for (size_t i = 0; i < N_OF(cases); i++)
        check_anchor(cases[i][0], cases[i][1]);
}

static void
test_heading_ids(void **state)
{
    check_html("## Hello, *World*! `code` [link](http://x.com)\n", &safe,
               "<h2 id=\"hello-world-code-link\">Hello, <em>World</em>! <code>code</code> "
               "<a href=\"http://x.com\">link</a></h2>\n");
    check_html("Setext\n===\n\n# Q&amp;A\n\n#\n", &safe,
               "<h1 id=\"setext\">Setext</h1>\n<h1 id=\"qa\">Q&amp;A</h1>\n"
               "<h1 id=\"heading\"></h1>\n");
    check_html("> ### In a quote\n\n- ## In a list\n", &safe,
               "<blockquote>\n<h3 id=\"in-a-quote\">In a quote</h3>\n</blockquote>\n"
               "<ul>\n<li>\n<h2 id=\"in-a-list\">In a list</h2>\n</li>\n</ul>\n");
    /* Inline HTML is markup, not text, so it does not reach the id. */
    check_html("## A <b>bold</b> \"move\"\n", &unsafe,
               "<h2 id=\"a-bold-move\">A <b>bold</b> &quot;move&quot;</h2>\n");
    check_html("## Caf\xc3\xa9 \xe6\x97\xa5\xe6\x9c\xac\n", &safe,
               "<h2 id=\"caf\xc3\xa9-\xe6\x97\xa5\xe6\x9c\xac\">Caf\xc3\xa9 "
               "\xe6\x97\xa5\xe6\x9c\xac</h2>\n");
}

static void
test_duplicate_ids(void **state)
{
    md_doc doc = render("# A\n# A\n## A\n# A-1\n#\n#\n# Heading\n", &safe);
    static const char *const want[] = {"a",       "a-1",       "a-2",      "a-1-1",
                                       "heading", "heading-1", "heading-2"};
    assert_int_equal(doc.nheadings, N_OF(want));
    for (size_t i = 0; i < N_OF(want); i++)
        assert_string_equal(doc.headings[i].id, want[i]);
    md_free(&doc);
}

/* Ten thousand equal headings stay linear and keep Hugo's numbering. */
static void
test_many_duplicate_ids(void **state)
{
    enum { N = 10000 };
    buf src = BUF_INIT;
    for (int i = 0; i < N; i++)
        buf_puts(&src, "## Same\n");
    md_doc doc = render(src.data, &safe);
    assert_int_equal(doc.nheadings, N);
    assert_string_equal(doc.headings[0].id, "same");
    assert_string_equal(doc.headings[1].id, "same-1");
    assert_string_equal(doc.headings[N - 1].id, "same-9999");
    md_free(&doc);
    buf_free(&src);
}

static void
test_headings_list(void **state)
{
    md_doc doc = render("# One *em* `code`\n\ntext\n\n### Two &amp; \\*three\\*\n\n"
                        "Four\nfive\n----\n",
                        &safe);
    assert_int_equal(doc.nheadings, 3);
    assert_int_equal(doc.headings[0].level, 1);
    assert_string_equal(doc.headings[0].id, "one-em-code");
    assert_string_equal(doc.headings[0].text, "One em code");
    assert_int_equal(doc.headings[1].level, 3);
    assert_string_equal(doc.headings[1].id, "two--three");
    assert_string_equal(doc.headings[1].text, "Two & *three*");
    assert_int_equal(doc.headings[2].level, 2);
    assert_string_equal(doc.headings[2].id, "four-five");
    assert_string_equal(doc.headings[2].text, "Four five");
    md_free(&doc);
}

/* ---- the summary ---- */

static void
check_more(const char *src, const md_opts *o, const char *html, const char *summary, bool truncated)
{
    md_doc doc = render(src, o);
    if (strcmp(doc.html, html) != 0 || strcmp(doc.summary, summary) != 0 || !doc.more ||
        doc.truncated != truncated) {
        print_error("source \"%s\":\n html \"%s\"\n summary \"%s\"\n more %d truncated %d\n", src,
                    doc.html, doc.summary, doc.more, doc.truncated);
        md_free(&doc);
        fail();
    }
    md_free(&doc);
}

static void
test_more_marker(void **state)
{
    const char *src = "Intro *here*.\n\n<!--more-->\n\nThe rest.\n";
    const char *html = "<p>Intro <em>here</em>.</p>\n<p>The rest.</p>\n";
    const char *summary = "<p>Intro <em>here</em>.</p>\n";
    check_more(src, &unsafe, html, summary, true);
    check_more(src, &safe, html, summary, true);
    check_more("Intro\n<!-- more -->\nrest\n", &safe, "<p>Intro</p>\n<p>rest</p>\n",
               "<p>Intro</p>\n", true);
    /* inside a paragraph, a quote, a list: open elements are closed */
    check_more("one <!--more--> two\n", &safe, "<p>one  two</p>\n", "<p>one </p>", true);
    check_more("> quote\n>\n> <!--more-->\n>\n> rest\n", &safe,
               "<blockquote>\n<p>quote</p>\n<p>rest</p>\n</blockquote>\n",
               "<blockquote>\n<p>quote</p>\n</blockquote>", true);
    check_more("- a\n\n  <!--more-->\n- b\n", &unsafe,
               "<ul>\n<li>\n<p>a</p>\n</li>\n<li>\n"
               "<p>b</p>\n</li>\n</ul>\n",
               "<ul>\n<li>\n<p>a</p>\n</li></ul>", true);
    /* at the start, at the end, twice */
    check_more("<!--more-->\n\nall\n", &safe, "<p>all</p>\n", "", true);
    check_more("all\n\n<!--more-->\n", &safe, "<p>all</p>\n", "<p>all</p>\n", false);
    check_more("a\n\n<!--more-->\n\nb\n\n<!--more-->\n\nc\n", &unsafe,
               "<p>a</p>\n<p>b</p>\n<p>c</p>\n", "<p>a</p>\n", true);
}

static void
test_more_marker_lookalikes(void **state)
{
    /* in code, the marker is text */
    md_doc doc = render("```\n<!--more-->\n```\n\n`<!--more-->`\n", &safe);
    assert_false(doc.more);
    assert_string_equal(doc.html, PRE "<code>&lt;!--more--&gt;\n</code>" END_PRE "\n"
                                      "<p><code>&lt;!--more--&gt;</code></p>\n");
    md_free(&doc);
    /* other comments are not the marker */
    doc = render("a\n\n<!--more than this-->\n\nb\n", &unsafe);
    assert_false(doc.more);
    check_contains(doc.html, "<!--more than this-->");
    md_free(&doc);
    /* the source cannot forge the sentinel hone splits at */
    check_more("<hone-more-0>\n\nx <hone-more-1><hone-more-00>\n\n<!--more-->\n\ny\n", &unsafe,
               "<hone-more-0>\n<p>x <hone-more-1><hone-more-00></p>\n<p>y</p>\n",
               "<hone-more-0>\n<p>x <hone-more-1><hone-more-00></p>\n</hone-more-0>", true);
}

static void
check_summary(const char *src, int words, const char *summary, bool truncated)
{
    md_opts o = safe;
    o.summary_words = words;
    md_doc doc = render(src, &o);
    if (strcmp(doc.summary, summary) != 0 || doc.more || doc.truncated != truncated) {
        print_error("source \"%s\" (%d words):\n summary \"%s\"\n want    \"%s\"\n truncated %d\n",
                    src, words, doc.summary, summary, doc.truncated);
        md_free(&doc);
        fail();
    }
    md_free(&doc);
}

static void
test_automatic_summary(void **state)
{
    check_summary("One *two **three four***\n", 3, "<p>One <em>two <strong>three</strong></em></p>",
                  true);
    check_summary("- a\n- b\n- c\n", 2, "<ul>\n<li>a</li>\n<li>b</li></ul>", true);
    check_summary("```\nx y z\n```\n", 2, PRE "<code>x y</code>" END_PRE, true);
    check_summary("AT&T rocks hard\n", 1, "<p>AT&amp;T</p>", true);
    check_summary("Short one.\n", 5, "<p>Short one.</p>\n", false);
    check_summary("Exactly three words\n", 3, "<p>Exactly three words</p>\n", false);
    check_summary("> quoted [link](/x) text\n", 2,
                  "<blockquote>\n<p>quoted <a href=\"/x\">link</a></p></blockquote>", true);
    check_summary("Line<br>\nbreak here\n", 2, "<p>Line<!-- raw HTML omitted -->\nbreak</p>", true);
    /* 0 words: Hugo's default summary length, 70 */
    buf src = BUF_INIT;
    for (int i = 0; i < 80; i++)
        buf_puts(&src, "w ");
    md_opts o = safe;
    o.summary_words = 0;
    md_doc doc = render(src.data, &o);
    assert_true(doc.truncated);
    assert_int_equal(doc.words, 80);
    buf want = BUF_INIT;
    buf_puts(&want, "<p>");
    for (int i = 0; i < 70; i++)
        buf_puts(&want, i ? " w" : "w");
    buf_puts(&want, "</p>");
    assert_string_equal(doc.summary, want.data);
    md_free(&doc);
    buf_free(&src);
    buf_free(&want);
}

/* ---- word count ---- */

static void
test_word_count(void **state)
{
    static const struct {
        const char *src;
        int words;
    } cases[] = {
        {"One two\n\n- three\n- four\n\n```\nfive six\n```\n\n`seven` eight\n", 8},
        {"foo*bar* baz\n", 2}, /* foo<em>bar</em>: one field, as Hugo */
        {"| a | b |\n|---|---|\n| c d | e |\n", 5},
        {"Note[^1].\n\n[^1]: Three more words.\n", 5}, /* "Note1." + backref arrow */
        {"a -- b\n", 3},
        {"<!--more-->\n\nafter the marker\n", 3},
        {"# Title\n\n## Sub title\n", 3},
        {"", 0},
    };
    for (size_t i = 0; i < N_OF(cases); i++) {
        md_doc doc = render(cases[i].src, &safe);
        if (doc.words != cases[i].words)
            fail_msg("\"%s\": %d words, want %d (html \"%s\")", cases[i].src, doc.words,
                     cases[i].words, doc.html);
        md_free(&doc);
    }
}

/* ---- code blocks ---- */

static void
test_code_blocks(void **state)
{
    static const char py[] =
        PRE "<code class=\"language-python\" data-lang=\"python\">"
            "<span class=\"kn\">import</span> <span class=\"nn\">os</span>\n"
            "<span class=\"n\">x</span> <span class=\"o\">=</span> "
            "<span class=\"s2\">&quot;&lt;b&gt; &amp;&quot;</span>\n</code>" END_PRE "\n";
    /* the same with raw HTML on or off: the block is no raw HTML */
    check_html("```python\nimport os\nx = \"<b> &\"\n```\n", &safe, py);
    check_html("```python\nimport os\nx = \"<b> &\"\n```\n", &unsafe, py);
    check_html("~~~ Python extra words\nimport os\nx = \"<b> &\"\n~~~\n", &safe,
               PRE "<code class=\"language-Python\" data-lang=\"Python\">"
                   "<span class=\"kn\">import</span> <span class=\"nn\">os</span>\n"
                   "<span class=\"n\">x</span> <span class=\"o\">=</span> "
                   "<span class=\"s2\">&quot;&lt;b&gt; &amp;&quot;</span>\n</code>" END_PRE "\n");
    /* no language, indented, unknown language: escaped as it is */
    check_html("```\n<b> & x\n```\n", &unsafe, PRE "<code>&lt;b&gt; &amp; x\n</code>" END_PRE "\n");
    check_html("    <b> & x\n", &unsafe, PRE "<code>&lt;b&gt; &amp; x\n</code>" END_PRE "\n");
    check_html("```mermaid\na --> b\n```\n", &safe,
               PRE
               "<code class=\"language-mermaid\" data-lang=\"mermaid\">a --&gt; b\n</code>" END_PRE
               "\n");
    /* the language's name cannot break out of the attribute */
    check_html("```x\"onmouseover=alert(1)\ncode\n```\n", &unsafe,
               PRE "<code class=\"language-xonmouseoveralert1\" data-lang=\"xonmouseoveralert1\">"
                   "code\n</code>" END_PRE "\n");
    /* {.lang}, and Hugo's options: line numbers and marked lines */
    check_html("```{.go}\nx := 1\n```\n", &safe,
               PRE "<code class=\"language-go\" data-lang=\"go\"><span class=\"nx\">x</span> "
                   "<span class=\"o\">:=</span> <span class=\"mi\">1</span>\n</code>" END_PRE "\n");
    check_html("```sh {linenos=true,hl_lines=[2],linenostart=9}\nls\n# c\n```\n", &safe,
               PRE "<code class=\"language-sh\" data-lang=\"sh\">"
                   "<span class=\"line\"><span class=\"ln\"> 9</span><span class=\"cl\">ls\n"
                   "</span></span><span class=\"line hl\"><span class=\"ln\">10</span>"
                   "<span class=\"cl\"><span class=\"c1\"># c</span>\n</span></span>"
                   "</code>" END_PRE "\n");
    check_html("``` {hl_lines=[\"1-2\"]}\na\nb\nc\n```\n", &safe,
               PRE "<code><span class=\"line hl\"><span class=\"cl\">a\n</span></span>"
                   "<span class=\"line hl\"><span class=\"cl\">b\n</span></span>"
                   "<span class=\"line\"><span class=\"cl\">c\n</span></span></code>" END_PRE "\n");
    /* inside a list and a quote */
    check_html("- a\n\n  ```js\n  f()\n  ```\n\n> ```\n> q\n> ```\n", &safe,
               "<ul>\n<li>\n<p>a</p>\n" PRE "<code class=\"language-js\" data-lang=\"js\">"
               "<span class=\"nx\">f</span><span class=\"p\">()</span>\n</code>" END_PRE "\n"
               "</li>\n</ul>\n<blockquote>\n" PRE "<code>q\n</code>" END_PRE "\n</blockquote>\n");
    /* an empty block */
    check_html("```c\n```\n", &safe,
               PRE "<code class=\"language-c\" data-lang=\"c\"></code>" END_PRE "\n");
}

/* ---- table of contents ---- */

static void
check_toc(const char *src, int min, int max, const char *want)
{
    md_opts o = safe;
    o.toc_min = min;
    o.toc_max = max;
    md_doc doc = render(src, &o);
    if (strcmp(doc.toc, want) != 0) {
        print_error("toc of \"%s\" (%d..%d):\n got \"%s\"\nwant \"%s\"\n", src, min, max, doc.toc,
                    want);
        md_free(&doc);
        fail();
    }
    md_free(&doc);
}

static void
test_toc_nesting(void **state)
{
    /* h2 h3 h2 h4: Hugo's empty <li> stands for the missing h3 */
    check_toc("## A\n### B\n## C\n#### D\n", 0, 0,
              "<nav id=\"TableOfContents\">\n"
              "  <ul>\n"
              "    <li><a href=\"#a\">A</a>\n"
              "      <ul>\n"
              "        <li><a href=\"#b\">B</a></li>\n"
              "      </ul>\n"
              "    </li>\n"
              "    <li><a href=\"#c\">C</a>\n"
              "      <ul>\n"
              "        <li>\n"
              "          <ul>\n"
              "            <li><a href=\"#d\">D</a></li>\n"
              "          </ul>\n"
              "        </li>\n"
              "      </ul>\n"
              "    </li>\n"
              "  </ul>\n"
              "</nav>");
    /* An h1 is outside 2..4 but starts a new list.  The h5 is cut, but as
     * in Hugo the entries standing for its missing h3 and h4 stay. */
    check_toc("# T\n## A\n##### X\n# U\n## B\n", 0, 0,
              "<nav id=\"TableOfContents\">\n"
              "  <ul>\n"
              "    <li><a href=\"#a\">A</a>\n"
              "      <ul>\n"
              "        <li>\n"
              "          <ul>\n"
              "            <li></li>\n"
              "          </ul>\n"
              "        </li>\n"
              "      </ul>\n"
              "    </li>\n"
              "  </ul>\n"
              "\n"
              "  <ul>\n"
              "    <li><a href=\"#b\">B</a></li>\n"
              "  </ul>\n"
              "</nav>");
    check_toc("# T\n## A\n### B\n", 1, 2,
              "<nav id=\"TableOfContents\">\n"
              "  <ul>\n"
              "    <li><a href=\"#t\">T</a>\n"
              "      <ul>\n"
              "        <li><a href=\"#a\">A</a></li>\n"
              "      </ul>\n"
              "    </li>\n"
              "  </ul>\n"
              "</nav>");
}

static void
test_toc_titles_and_empty(void **state)
{
    /* the heading's HTML as in Hugo, minus links (no <a> inside <a>) */
    check_toc("## Use `<b>` & [links](/x) *well*\n", 0, 0,
              "<nav id=\"TableOfContents\">\n"
              "  <ul>\n"
              "    <li><a href=\"#use-b--links-well\">Use <code>&lt;b&gt;</code> &amp; links "
              "<em>well</em></a></li>\n"
              "  </ul>\n"
              "</nav>");
    check_toc("no headings\n", 0, 0, "");
    check_toc("# only h1\n\n##### and h5\n", 0, 0, "");
    check_toc("## A\n", 4, 3, "");
}

/* ---- threads ---- */

enum { THREADS = 4, ROUNDS = 150 };

static const char *const thread_docs[] = {
    "# T\n\na ~~b~~ c www.example.com d ~~e~~ f\n\n| x | y |\n|---|---|\n| ~~1~~ | 2 |\n",
    "## Intro\n\n- [x] www.a.org\n- [ ] ~b~\n\n<!--more-->\n\nNote[^1].\n\n[^1]: ~~x~~\n",
    "Some *emphasis* and `code` and \"quotes\" -- dashes.\n\n## Intro\n\n### Intro\n",
};

typedef struct job {
    const char *want[N_OF(thread_docs)];
    int bad;
} job;

static void *
worker(void *arg)
{
    job *j = arg;
    for (int r = 0; r < ROUNDS; r++) {
        for (size_t i = 0; i < N_OF(thread_docs); i++) {
            md_doc doc;
            diags d = DIAGS_INIT;
            if (md_render(thread_docs[i], strlen(thread_docs[i]), &unsafe, &doc, "t.md", 1, &d) !=
                    0 ||
                strcmp(doc.html, j->want[i]) != 0)
                j->bad++;
            md_free(&doc);
            diags_free(&d);
        }
    }
    return NULL;
}

static void
test_threads(void **state)
{
    md_doc want[N_OF(thread_docs)];
    job jobs[THREADS];
    pthread_t t[THREADS];
    for (size_t i = 0; i < N_OF(thread_docs); i++)
        want[i] = render(thread_docs[i], &unsafe);
    check_contains(want[0].html, "<del>b</del>");
    check_contains(want[0].html, "<td><del>1</del></td>");
    check_contains(want[1].html, "<a href=\"http://www.a.org\">");
    for (int k = 0; k < THREADS; k++) {
        jobs[k].bad = 0;
        for (size_t i = 0; i < N_OF(thread_docs); i++)
            jobs[k].want[i] = want[i].html;
        assert_int_equal(pthread_create(&t[k], NULL, worker, &jobs[k]), 0);
    }
    int bad = 0;
    for (int k = 0; k < THREADS; k++) {
        assert_int_equal(pthread_join(t[k], NULL), 0);
        bad += jobs[k].bad;
    }
    for (size_t i = 0; i < N_OF(thread_docs); i++)
        md_free(&want[i]);
    if (bad)
        fail_msg("%d of %d renders from %d threads differed from a lone render", bad,
                 THREADS * ROUNDS * (int)N_OF(thread_docs), THREADS);
}

static void
check_unwrap(const char *html, const char *want)
{
    const char *h = html;
    size_t n = strlen(html);
    md_unwrap_paragraph(&h, &n);
    assert_int_equal(n, strlen(want));
    assert_memory_equal(h, want, n);
}

/* markdownify's inline form: one paragraph loses its <p>, nothing else */
static void
test_unwrap_paragraph(void **state)
{
    (void)state;
    check_unwrap("<p>a <em>b</em></p>\n", "a <em>b</em>");
    check_unwrap("<p>a</p>\n<p>b</p>\n", "<p>a</p>\n<p>b</p>\n");
    check_unwrap("<ul>\n<li>a</li>\n</ul>\n", "<ul>\n<li>a</li>\n</ul>\n");
    check_unwrap("<p></p>\n", "");
    check_unwrap("<p>x", "<p>x");
}

/* Debian's libcmark-gfm calls the special-character switch through its
 * PLT, so hone's parsers need no lock; losing that would be a slowdown
 * no other test sees. */
static void
test_parallel(void **state)
{
    (void)state;
    assert_true(md_parallel());
}

/* ---- errors ---- */

static void
check_error(const char *src, size_t n, int first_line, const char *want)
{
    md_doc doc;
    diags d = DIAGS_INIT;
    char *p = malloc(n ? n : 1);
    if (n)
        memcpy(p, src, n);
    else
        p[0] = '\0';
    assert_int_equal(md_render(p, n, &safe, &doc, "post.md", first_line, &d), -1);
    free(p);
    assert_null(doc.html);
    assert_int_equal(d.n, 1);
    assert_int_equal(d.errors, 1);
    char *got = diag_str(&d.v[0]);
    if (strcmp(got, want) != 0) {
        print_error("got  \"%s\"\nwant \"%s\"\n", got, want);
        free(got);
        diags_free(&d);
        fail();
    }
    free(got);
    md_free(&doc);
    diags_free(&d);
}

static void
test_errors(void **state)
{
    static const char nul[] = "ok\nab\0c\n";
    check_error(nul, sizeof(nul) - 1, 5,
                "post.md:6:3: error: NUL byte in the Markdown text; remove it (is this a "
                "binary file?)");
    check_error("\0", 1, 1,
                "post.md:1:1: error: NUL byte in the Markdown text; remove it (is this a "
                "binary file?)");
    check_error("ok\nab\xff"
                "c\n",
                7, 10,
                "post.md:11:3: error: invalid UTF-8 (byte 0xFF) in the Markdown text; save the "
                "file as UTF-8");
    check_error("abc\xe2\x82", 5, 1, /* cut off by the end */
                "post.md:1:4: error: invalid UTF-8 (byte 0xE2) in the Markdown text; save the "
                "file as UTF-8");
    check_error("x\xc0\xaf", 3, 1, /* overlong '/' */
                "post.md:1:2: error: invalid UTF-8 (byte 0xC0) in the Markdown text; save the "
                "file as UTF-8");
    check_error("\n\n\xed\xa0\x80", 5, 0, /* a surrogate; line numbers start at 1 */
                "post.md:3:1: error: invalid UTF-8 (byte 0xED) in the Markdown text; save the "
                "file as UTF-8");
    check_error("a\xffz\0", 4, 1, /* the first problem is reported */
                "post.md:1:2: error: invalid UTF-8 (byte 0xFF) in the Markdown text; save the "
                "file as UTF-8");
}

static void
test_too_big(void **state)
{
    size_t n = ((size_t)64 << 20) + 1;
    char *big = malloc(n);
    memset(big, 'a', n);
    md_doc doc;
    diags d = DIAGS_INIT;
    assert_int_equal(md_render(big, n, &safe, &doc, "big.md", 3, &d), -1);
    free(big);
    assert_int_equal(d.n, 1);
    assert_int_equal(d.v[0].line, 3);
    check_contains(d.v[0].msg, "split it");
    diags_free(&d);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_tables),
        cmocka_unit_test(test_strikethrough),
        cmocka_unit_test(test_autolinks),
        cmocka_unit_test(test_task_lists),
        cmocka_unit_test(test_footnotes),
        cmocka_unit_test(test_raw_html_per_option),
        cmocka_unit_test(test_smart_punctuation),
        cmocka_unit_test(test_empty_and_null),
        cmocka_unit_test(test_anchorize),
        cmocka_unit_test(test_heading_ids),
        cmocka_unit_test(test_duplicate_ids),
        cmocka_unit_test(test_many_duplicate_ids),
        cmocka_unit_test(test_headings_list),
        cmocka_unit_test(test_more_marker),
        cmocka_unit_test(test_more_marker_lookalikes),
        cmocka_unit_test(test_automatic_summary),
        cmocka_unit_test(test_word_count),
        cmocka_unit_test(test_code_blocks),
        cmocka_unit_test(test_toc_nesting),
        cmocka_unit_test(test_toc_titles_and_empty),
        cmocka_unit_test(test_threads),
        cmocka_unit_test(test_parallel),
        cmocka_unit_test(test_unwrap_paragraph),
        cmocka_unit_test(test_errors),
        cmocka_unit_test(test_too_big),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
