/*
 * Unit tests for html: the lexer's token boundaries, striptags and
 * truncatewords_html against strings produced by Django 3.2.25
 * (django.utils.html.strip_tags and the truncatewords_html filter, whose
 * ellipsis is " …"), Hugo-style word counts, and robustness: random
 * markup-heavy input under the sanitizers with invariants checked, and
 * inputs that make naive implementations quadratic.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>

#include "testutil.h"

#include "html.h"

#define N_OF(a)  (sizeof(a) / sizeof((a)[0]))
#define ELLIPSIS " \xe2\x80\xa6"

/* Each function runs on an exact-size heap copy (test_copy), so ASan sees any overread. */

static void
expect(buf *b, const char *want, const char *what, const char *in)
{
    if (strcmp(buf_cstr(b), want) == 0) return;
    print_error("%s \"%s\":\n got \"%s\"\nwant \"%s\"\n", what, in, buf_cstr(b), want);
    buf_free(b);
    fail();
}

static void
check_strip(const char *in, const char *want)
{
    buf b = BUF_INIT;
    char *p = test_copy(in, strlen(in));
    html_strip_tags(&b, p, strlen(in));
    free(p);
    expect(&b, want, "strip", in);
    buf_free(&b);
}

static void
check_trunc(const char *in, size_t words, const char *ellipsis, const char *want, bool want_cut)
{
    buf b = BUF_INIT;
    bool cut = !want_cut;
    char *p = test_copy(in, strlen(in));
    html_truncate_words(&b, p, strlen(in), words, ellipsis, &cut);
    free(p);
    expect(&b, want, "truncate", in);
    if (cut != want_cut) fail_msg("truncate \"%s\" %zu: truncated = %d", in, words, cut);
    buf_free(&b);
}

static size_t
count(const char *in)
{
    char *p = test_copy(in, strlen(in));
    size_t n = html_word_count(p, strlen(in));
    free(p);
    return n;
}

/* ---- lexer ---- */

static void
test_lexer_tokens(void **state)
{
    static const char in[] = "a<p class=\"x>y\" id=z>b<!-- c > d -->"
                             "<br/></p ><!DOCTYPE html><?pi?></><x";
    static const struct {
        html_tok_kind kind;
        const char *text, *name;
        bool self_closing;
    } want[] = {
        {HTML_TEXT, "a", NULL, false},
        {HTML_START, "<p class=\"x>y\" id=z>", "p", false},
        {HTML_TEXT, "b", NULL, false},
        {HTML_MARKUP, "<!-- c > d -->", NULL, false},
        {HTML_START, "<br/>", "br", true},
        {HTML_END, "</p >", "p", false},
        {HTML_MARKUP, "<!DOCTYPE html>", NULL, false},
        {HTML_MARKUP, "<?pi?>", NULL, false},
        {HTML_MARKUP, "</>", NULL, false},
        {HTML_MARKUP, "<x", NULL, false}, /* cut off by the end */
    };
    html_lexer lx;
    html_tok t;
    size_t i = 0, n = strlen(in);
    char *p = test_copy(in, n);
    html_lexer_init(&lx, p, n);
    while (html_next(&lx, &t)) {
        assert_true(i < N_OF(want));
        assert_int_equal(t.kind, want[i].kind);
        assert_int_equal(t.len, strlen(want[i].text));
        assert_memory_equal(p + t.off, want[i].text, t.len);
        if (want[i].name) {
            assert_int_equal(t.name_len, strlen(want[i].name));
            assert_memory_equal(p + t.name_off, want[i].name, t.name_len);
        }
        assert_int_equal(t.self_closing, want[i].self_closing);
        i++;
    }
    assert_int_equal(i, N_OF(want));
    free(p);
}

static void
test_lexer_raw_text(void **state)
{
    static const char in[] = "<script>if (a<b && c>d) x = '</scripty>';</SCRIPT >t";
    html_lexer lx;
    html_tok t;
    html_lexer_init(&lx, in, strlen(in));
    assert_true(html_next(&lx, &t));
    assert_int_equal(t.kind, HTML_START);
    assert_true(html_next(&lx, &t));
    assert_int_equal(t.kind, HTML_TEXT);
    assert_true(t.raw);
    assert_int_equal(t.len, strlen("if (a<b && c>d) x = '</scripty>';"));
    assert_true(html_next(&lx, &t));
    assert_int_equal(t.kind, HTML_END);
    assert_true(html_next(&lx, &t));
    assert_int_equal(t.kind, HTML_TEXT);
    assert_false(t.raw);
    assert_false(html_next(&lx, &t));
}

static void
test_lexer_comments(void **state)
{
    static const char *const comments[] = {"<!---->",         "<!-->",       "<!--->",
                                           "<!-- a -- b -->", "<!-- a --!>", "<!-- never closed"};
    for (size_t i = 0; i < N_OF(comments); i++) {
        html_lexer lx;
        html_tok t;
        buf in = BUF_INIT;
        buf_puts(&in, comments[i]);
        if (strstr(comments[i], "never") == NULL) buf_puts(&in, "x");
        html_lexer_init(&lx, in.data, in.len);
        assert_true(html_next(&lx, &t));
        assert_int_equal(t.kind, HTML_MARKUP);
        if (t.len != strlen(comments[i]))
            fail_msg("comment \"%s\": token of %zu bytes", comments[i], t.len);
        buf_free(&in);
    }
}

static void
test_is_void_and_space(void **state)
{
    assert_true(html_is_void("br", 2));
    assert_true(html_is_void("IMG", 3));
    assert_true(html_is_void("wbr", 3));
    assert_false(html_is_void("b", 1));
    assert_false(html_is_void("brr", 3));
    assert_int_equal(html_space_len(" ", 1), 1);
    assert_int_equal(html_space_len("\v", 1), 1);
    assert_int_equal(html_space_len("x", 1), 0);
    assert_int_equal(html_space_len("\xc2\xa0", 2), 2);     /* NBSP */
    assert_int_equal(html_space_len("\xc2\x85", 2), 2);     /* NEL */
    assert_int_equal(html_space_len("\xe3\x80\x80", 3), 3); /* ideographic */
    assert_int_equal(html_space_len("\xe2\x80\x8b", 3), 0); /* zero width: not space */
    assert_int_equal(html_space_len("\xe2\x80", 2), 0);     /* truncated */
    assert_int_equal(html_space_len("\xc3\xa9", 2), 0);     /* é */
}

/* ---- striptags (expected strings from Django 3.2.25) ---- */

static void
test_strip_tags_django(void **state)
{
    static const char *const cases[][2] = {
        {"<p>Hello <b>World</b></p>", "Hello World"},
        {"a &amp; b &lt;c&gt;", "a &amp; b &lt;c&gt;"},
        {"a<!-- x > y -->b", "ab"},
        {"<a title=\"1>2\" href='x'>t</a>", "t"},
        {"I <3 you", "I <3 you"},
        {"a < b", "a < b"},
        {"<script>var a = 1 < 2;</script>x", "var a = 1 < 2;x"},
        {"<!DOCTYPE html><p>t</p>", "t"},
        {"<?xml x?>t", "t"},
        {"a</>b", "ab"},
        {"a</ x>b", "ab"},
        {"<<b>b>", ""},
        {"<p>one</p>\n<p>two</p>", "one\ntwo"},
        {"x<br/>y", "xy"},
        {"<em>caf&eacute;</em>", "caf&eacute;"},
        {"", ""},
        {"<style>p { color: red }</style>text", "p { color: red }text"},
        {"a <b c='d'>e</b> f", "a e f"},
        {"<p>x &nbsp; y</p>", "x &nbsp; y"},
        {"<!---->x<!-- -- -->y", "xy"},
    };
    for (size_t i = 0; i < N_OF(cases); i++)
        check_strip(cases[i][0], cases[i][1]);
}

/*
 * Django 3.2 keeps markup cut off by the end of the input as text, and
 * drops an unclosed <script>'s content; hone reads both as HTML5 (and
 * Python >= 3.13's parser) do: the cut-off tag is dropped, the script's
 * content is its text.  The rest agrees with Django.
 */
static void
test_strip_tags_malformed(void **state)
{
    check_strip("text <b", "text ");
    check_strip("a <!-- open comment", "a ");
    check_strip("a <a href='x>y", "a ");
    check_strip("<script>never closed <b>x</b>", "never closed x");
    check_strip("<", "<");
    check_strip("</", "</");
    check_strip("a>b", "a>b");
    check_strip("<<<<b>b>b>b>", "");
    check_strip("<scr<script>ipt>alert(1)</script>", "ipt>alert(1)");
}

/* ---- truncatewords_html (expected strings from Django 3.2.25) ---- */

static void
test_truncate_django(void **state)
{
    static const struct {
        const char *in;
        size_t words;
        const char *want;
    } cases[] = {
        {"<p>Joel is a slug</p>", 2, "<p>Joel is" ELLIPSIS "</p>"},
        {"<p>one <em>two <strong>three four</strong></em> five</p>", 3,
         "<p>one <em>two <strong>three" ELLIPSIS "</strong></em></p>"},
        {"<p>a<br>b<img src=x> c d</p>", 2, "<p>a<br>b" ELLIPSIS "</p>"},
        {"<p>a<br/>b c</p>", 1, "<p>a" ELLIPSIS "</p>"},
        {"<p>caf&eacute; &amp; more words</p>", 2, "<p>caf&eacute; &amp;" ELLIPSIS "</p>"},
        {"<p>a b", 5, "<p>a b"},
        {"<p>a b</p>", 2, "<p>a b</p>"},
        {"<ul><li>a</li><li>b</li></ul>", 1, "<ul><li>a" ELLIPSIS "</li></ul>"},
        {"<pre><code>x y z</code></pre>", 2, "<pre><code>x y" ELLIPSIS "</code></pre>"},
        {"<P>Upper <EM>case</EM> tags here</P>", 2, "<P>Upper <EM>case" ELLIPSIS "</em></p>"},
        {"<div><p>a</p>\n<p>b c</p></div>", 2, "<div><p>a</p>\n<p>b" ELLIPSIS "</p></div>"},
        {"<a href=\"x\">link text</a> tail words", 1, "<a href=\"x\">link" ELLIPSIS "</a>"},
        {"no tags at all here", 2, "no tags" ELLIPSIS},
        {"  lead  and   trail  ", 2, "  lead  and" ELLIPSIS},
        {"<p>one</p><p>two</p><p>three</p>", 2, "<p>one</p><p>two" ELLIPSIS "</p>"},
        {"<h2 id=\"x\">Head</h2>\n<p>para one two</p>", 2,
         "<h2 id=\"x\">Head</h2>\n<p>para" ELLIPSIS "</p>"},
        {"<table><tr><td>a</td><td>b</td></tr></table>", 1,
         "<table><tr><td>a" ELLIPSIS "</td></tr></table>"},
        {"<p>x <span class=\"a b\">y z</span></p>", 2,
         "<p>x <span class=\"a b\">y" ELLIPSIS "</span></p>"},
        {"<p>word1 word2</p>", 0, ""},
        {"<p><b>a</b></p> b", 1, "<p><b>a" ELLIPSIS "</b></p>"},
        {"<p>tail</p>\n", 1, "<p>tail</p>\n"},
        {"<blockquote>\n<p>quote me now</p>\n</blockquote>\n", 2,
         "<blockquote>\n<p>quote me" ELLIPSIS "</p></blockquote>"},
        {"<p>a \xe2\x80\x94 b \xe2\x80\x93 c</p>", 3, "<p>a \xe2\x80\x94 b" ELLIPSIS "</p>"},
        {"<p>\xc3\xbc"
         "ber stra\xc3\x9f"
         "e ok</p>",
         2,
         "<p>\xc3\xbc"
         "ber stra\xc3\x9f"
         "e" ELLIPSIS "</p>"},
        {"<br/>a b", 1, "<br/>a" ELLIPSIS},
        {"<p>x</p><hr><p>y z</p>", 2, "<p>x</p><hr><p>y" ELLIPSIS "</p>"},
    };
    for (size_t i = 0; i < N_OF(cases); i++) {
        buf b = BUF_INIT;
        char *p = test_copy(cases[i].in, strlen(cases[i].in));
        html_truncate_words(&b, p, strlen(cases[i].in), cases[i].words, ELLIPSIS, NULL);
        free(p);
        expect(&b, cases[i].want, "truncate", cases[i].in);
        buf_free(&b);
    }
}

static void
test_truncate_flags_and_ellipsis(void **state)
{
    check_trunc("<p>one two</p>", 2, NULL, "<p>one two</p>", false);
    check_trunc("<p>one two three</p>", 2, NULL, "<p>one two</p>", true);
    check_trunc("<p>one two three</p>", 2, "...", "<p>one two...</p>", true);
    check_trunc("<p>one</p>", 0, NULL, "", true);
    check_trunc("<p></p>", 0, NULL, "", false);
    check_trunc("", 3, NULL, "", false);
}

static void
check_chars(const char *in, size_t chars, const char *want, bool want_cut)
{
    buf b = BUF_INIT;
    bool cut = !want_cut;
    char *p = test_copy(in, strlen(in));
    html_truncate_chars(&b, p, strlen(in), chars, "\xE2\x80\xA6", &cut);
    free(p);
    expect(&b, want, "truncate chars", in);
    if (cut != want_cut) fail_msg("truncate chars \"%s\" %zu: truncated = %d", in, chars, cut);
    buf_free(&b);
}

/* The ellipsis counts among the characters; entities are one character
 * and never split; open elements are closed. */
static void
test_truncate_chars(void **state)
{
    check_chars("<p>Hello <b>world</b></p>", 100, "<p>Hello <b>world</b></p>", false);
    check_chars("<p>Hello <b>world</b></p>", 10, "<p>Hello <b>wor\xE2\x80\xA6</b></p>", true);
    check_chars("<p>Hello <b>world</b></p>", 6, "<p>Hello\xE2\x80\xA6</p>", true);
    check_chars("<p>Hello</p>", 0, "\xE2\x80\xA6", true);
    check_chars("a &amp; b c", 4, "a &amp;\xE2\x80\xA6", true);
    check_chars("w\xC3\xB6rld!", 4, "w\xC3\xB6r\xE2\x80\xA6", true);
    check_chars("", 3, "", false);
}

/* Where hone reads HTML as a browser does and Django 3.2 does not. */
static void
test_truncate_html5(void **state)
{
    /* an end tag closes the elements left open inside its element */
    check_trunc("<div><p><em>a</div> b c", 2, NULL, "<div><p><em>a</div> b", true);
    /* a '>' inside a quoted attribute value is not the end of the tag */
    check_trunc("<a title=\"1 > 2\">x y</a>", 1, NULL, "<a title=\"1 > 2\">x</a>", true);
    /* comments are neither words nor elements */
    check_trunc("<!-- not words --><p>a b</p>", 1, NULL, "<!-- not words --><p>a</p>", true);
    /* HTML5 void elements beyond Django's HTML4 list */
    check_trunc("<p>a<wbr>b<source src=x> c d</p>", 3, NULL, "<p>a<wbr>b<source src=x> c</p>",
                true);
    /* script content is not text */
    check_trunc("<p>a<script>x y z</script> b c</p>", 2, NULL, "<p>a<script>x y z</script> b</p>",
                true);
    /* names that could not be an element are not echoed into end tags */
    check_trunc("<a\"b>x y", 1, NULL, "<a\"b>x", true);
    /* stray end tags are kept as written and close nothing */
    check_trunc("</b><i>x y", 1, NULL, "</b><i>x</i>", true);
}

static void
test_balance(void **state)
{
    static const char *const cases[][2] = {
        {"<div><p>a", "<div><p>a</p></div>"},
        {"<p>a</p>", "<p>a</p>"},
        {"a</b>", "a</b>"},
        {"<ul>\n<li>x<br>y<img src=z/>", "<ul>\n<li>x<br>y<img src=z/></li></ul>"},
        {"<DIV><Span>x</SPAN>", "<DIV><Span>x</SPAN></div>"},
        {"<p>a <!-- <b> --> b", "<p>a <!-- <b> --> b</p>"},
        {"", ""},
    };
    for (size_t i = 0; i < N_OF(cases); i++) {
        buf b = BUF_INIT;
        char *p = test_copy(cases[i][0], strlen(cases[i][0]));
        html_balance(&b, p, strlen(cases[i][0]));
        free(p);
        expect(&b, cases[i][1], "balance", cases[i][0]);
        buf_free(&b);
    }
}

/* ---- word count (Hugo: strings.Fields over the stripped text) ---- */

static void
test_word_count(void **state)
{
    assert_int_equal(count(""), 0);
    assert_int_equal(count("<p>one two</p>\n<p>three</p>"), 3);
    assert_int_equal(count("foo<b>bar</b>"), 1); /* tags do not separate words */
    assert_int_equal(count("a&nbsp;b"), 1);      /* entities are not decoded */
    assert_int_equal(count("a\xc2\xa0"
                           "b c"),
                     3);
    assert_int_equal(count("a\xe3\x80\x80"
                           "b"),
                     2);
    assert_int_equal(count("x < y"), 3);
    assert_int_equal(count("<!-- a b c -->d"), 1);
    assert_int_equal(count("<script>a b</script>"), 2);
    assert_int_equal(count("  \n\t "), 0);
}

/* ---- robustness ---- */

static uint32_t rng = 12345;

static uint32_t
next_rand(void)
{
    rng ^= rng << 13;
    rng ^= rng >> 17;
    rng ^= rng << 5;
    return rng;
}

/*
 * Random strings over an alphabet rich in markup characters (fixed seed).
 * Invariants: stripping leaves nothing the lexer calls markup; a truncation that cut is balanced;
 * an untruncated one is the input.
 */
static void
test_random_markup(void **state)
{
    static const char alphabet[] = "<<<>>>/!-'\"= \nab&;pP\xc3\xa9sScript";
    buf in = BUF_INIT, out = BUF_INIT, again = BUF_INIT;
    for (int round = 0; round < 20000; round++) {
        buf_reset(&in);
        size_t len = next_rand() % 40;
        for (size_t i = 0; i < len; i++)
            buf_putc(&in, alphabet[next_rand() % (sizeof(alphabet) - 1)]);
        char *p = test_copy(in.data, in.len);

        buf_reset(&out);
        html_strip_tags(&out, p, in.len);
        assert_true(out.len <= in.len);
        html_lexer lx;
        html_tok t;
        html_lexer_init(&lx, buf_cstr(&out), out.len);
        while (html_next(&lx, &t))
            if (t.kind != HTML_TEXT)
                fail_msg("stripping \"%s\" left markup: \"%s\"", in.data, buf_cstr(&out));

        size_t words = next_rand() % 5;
        bool cut;
        buf_reset(&out);
        html_truncate_words(&out, p, in.len, words, NULL, &cut);
        if (words == 0) {
            assert_int_equal(out.len, 0);
        } else if (!cut) {
            assert_int_equal(out.len, in.len);
            assert_memory_equal(out.data ? out.data : "", p, in.len);
        } else {
            buf_reset(&again);
            html_balance(&again, buf_cstr(&out), out.len);
            if (again.len != out.len)
                fail_msg("truncation of \"%s\" to %zu words is not balanced: \"%s\"", in.data,
                         words, buf_cstr(&out));
        }
        buf_reset(&out);
        html_balance(&out, p, in.len);
        (void)html_word_count(p, in.len);
        free(p);
    }
    buf_free(&in);
    buf_free(&out);
    buf_free(&again);
}

static double
seconds(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Inputs that are quadratic for a naive stack search or regex. */
static void
test_pathological_inputs_are_fast(void **state)
{
    enum { N = 200000 };
    buf in = BUF_INIT, out = BUF_INIT;
    for (int i = 0; i < N; i++)
        buf_puts(&in, "<a>");
    for (int i = 0; i < N; i++)
        buf_puts(&in, "x </b>");
    double t0 = seconds();
    bool cut;
    html_truncate_words(&out, in.data, in.len, N - 1, NULL, &cut);
    assert_true(cut);
    buf_reset(&out);
    html_balance(&out, in.data, in.len);
    buf_reset(&in);
    for (int i = 0; i < N; i++)
        buf_puts(&in, "<<<<");
    buf_reset(&out);
    html_strip_tags(&out, in.data, in.len);
    assert_int_equal(out.len, in.len);
    buf_reset(&out);
    html_truncate_words(&out, in.data, in.len, 3, NULL, &cut);
    assert_false(cut);
    double t = seconds() - t0;
    if (t > 5.0) fail_msg("pathological inputs took %.1f s", t);
    buf_free(&in);
    buf_free(&out);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_lexer_tokens),
        cmocka_unit_test(test_lexer_raw_text),
        cmocka_unit_test(test_lexer_comments),
        cmocka_unit_test(test_is_void_and_space),
        cmocka_unit_test(test_strip_tags_django),
        cmocka_unit_test(test_strip_tags_malformed),
        cmocka_unit_test(test_truncate_django),
        cmocka_unit_test(test_truncate_flags_and_ellipsis),
        cmocka_unit_test(test_truncate_html5),
        cmocka_unit_test(test_truncate_chars),
        cmocka_unit_test(test_balance),
        cmocka_unit_test(test_word_count),
        cmocka_unit_test(test_random_markup),
        cmocka_unit_test(test_pathological_inputs_are_fast),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
