/*
 * Unit tests of the built-in template filters (lib/tmpl_filters.c).
 *
 * The filters are static and reach the world only through
 * tmpl_env_add_filter(), so this test includes the .c file with that
 * function (and tmpl_env_base_url) renamed to stand-ins that record each
 * filter in a table.  The test then calls filters directly, without the
 * template engine, and applies TMPL_FILTER_KEEPS_SAFE as the renderer does.
 * It references no other tmpl_* symbol, so linking against libhone.a pulls
 * in neither the engine nor the library's own copy of the filters.
 *
 * The rows of django_rows[] were produced by Django 3.2 itself (Debian's
 * python3-django): each is django.template.defaultfilters.<filter>(value,
 * arg) with autoescape=True where the filter takes it, and with is_safe
 * applied to a safe input as FilterExpression.resolve does.  To add rows,
 * compute them the same way rather than by hand.  The other tests hold
 * cases checked against Django one by one, and hone's documented
 * differences (bad arguments are errors, ß -> ss in slugify, json, absurl).
 */
#define tmpl_env_add_filter test_add_filter
#define tmpl_env_base_url   test_base_url
#include "../../lib/tmpl_filters.c"
#undef tmpl_env_add_filter
#undef tmpl_env_base_url

#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

/* ---- harness -------------------------------------------------------- */

typedef struct reg {
    const char *name;
    tmpl_filter_fn fn;
    enum tmpl_filter_arg arg;
    unsigned flags;
} reg;

static reg regs[128];
static size_t nregs;
static const char *base_url;
static arena A;
static buf err;

void
test_add_filter(tmpl_env *env, const char *name, tmpl_filter_fn fn, enum tmpl_filter_arg arg,
                unsigned flags)
{
    assert_true(nregs < sizeof(regs) / sizeof(regs[0]));
    regs[nregs++] = (reg){name, fn, arg, flags};
}

const char *
test_base_url(const tmpl_env *env)
{
    return base_url;
}

static const reg *
find(const char *name)
{
    for (size_t i = 0; i < nregs; i++)
        if (strcmp(regs[i].name, name) == 0) return &regs[i];
    return NULL;
}

static int
setup(void **state)
{
    nregs = 0;
    tmpl_filters_register(NULL);
    arena_init(&A);
    buf_init(&err);
    base_url = NULL;
    return 0;
}

static int
teardown(void **state)
{
    arena_free(&A);
    buf_free(&err);
    return 0;
}

/* Runs filter name as the renderer would. */
static int
run_ae(const char *name, val in, const val *arg, bool autoescape, val *out)
{
    const reg *r = find(name);
    if (!r) fail_msg("filter %s is not registered", name);
    tmpl_fctx c = {&A, NULL, autoescape, &err};
    buf_reset(&err);
    *out = val_null();
    int rc = r->fn(&c, in, arg, out);
    if (rc == 0 && (r->flags & TMPL_FILTER_KEEPS_SAFE) && in.type == VAL_STR && in.safe &&
        out->type == VAL_STR)
        out->safe = 1;
    return rc;
}

static int
run(const char *name, val in, const val *arg, val *out)
{
    return run_ae(name, in, arg, true, out);
}

static val
S(const char *s)
{
    return val_cstr(s);
}

static val
SAFE(const char *s)
{
    return val_safe(s, strlen(s));
}

/* The text of v as the test compares it. */
static const char *
text(val v)
{
    val t = val_to_str(v, &A);
    return arena_strndup(&A, t.u.str.s ? t.u.str.s : "", t.u.str.n);
}

/* Checks name(in, arg) gives the text want; want_safe: 1 safe, 0 not, -1 any. */
static bool
check_at(const char *file, int line, const char *name, val in, const val *arg, bool autoescape,
         const char *want, int want_safe)
{
    val out;
    int rc = run_ae(name, in, arg, autoescape, &out);
    if (rc != 0) {
        print_error("%s:%d: %s(\"%s\"): error \"%s\"\n", file, line, name, text(in),
                    buf_cstr(&err));
        return false;
    }
    const char *got = text(out);
    if (strcmp(got, want) != 0) {
        print_error("%s:%d: %s(\"%s\", %s%s%s):\n   got \"%s\"\n  want \"%s\"\n", file, line, name,
                    text(in), arg ? "\"" : "", arg ? text(*arg) : "NULL", arg ? "\"" : "", got,
                    want);
        return false;
    }
    if (want_safe >= 0 && (out.type != VAL_STR || out.safe != want_safe)) {
        print_error("%s:%d: %s(\"%s\"): safe is %d, want %d\n", file, line, name, text(in),
                    out.safe, want_safe);
        return false;
    }
    return true;
}

#define CHECK(name, in, arg, want, safe)                                                           \
    assert_true(check_at(__FILE__, __LINE__, (name), (in), (arg), true, (want), (safe)))
#define CHECK_NOAE(name, in, arg, want, safe)                                                      \
    assert_true(check_at(__FILE__, __LINE__, (name), (in), (arg), false, (want), (safe)))

/* An argument: a pointer into a ring of values, valid for the next 64 calls. */
static val argbuf[64];
static size_t nargbuf;
static const val *
argp(val v)
{
    val *p = &argbuf[nargbuf++ % 64];
    *p = v;
    return p;
}
#define A_S(s) argp(val_cstr(s))
#define A_I(i) argp(val_int(i))

/* Checks that name(in, arg) fails with a message containing part. */
static void
check_err_at(const char *file, int line, const char *name, val in, const val *arg, const char *part)
{
    val out;
    int rc = run(name, in, arg, &out);
    if (rc != -1)
        fail_msg("%s:%d: %s(\"%s\") gave \"%s\", want an error", file, line, name, text(in),
                 text(out));
    if (!strstr(buf_cstr(&err), part))
        fail_msg("%s:%d: %s: message \"%s\" lacks \"%s\"", file, line, name, buf_cstr(&err), part);
}
#define CHECK_ERR(name, in, arg, part) check_err_at(__FILE__, __LINE__, (name), (in), (arg), (part))

/* ---- Django-generated string cases ---------------------------------- */

typedef struct row {
    const char *filter;
    const char *in;
    int in_safe;
    const char *arg; /* NULL: no argument */
    const char *want;
    int want_safe; /* -1: not a string */
} row;

static const row django_rows[] = {
    {"safe", "", 0, NULL, "", 1},
    {"escape", "", 0, NULL, "", 1},
    {"force_escape", "", 0, NULL, "", 1},
    {"safe", "<b>Tom & 'Jerry'</b>", 0, NULL, "<b>Tom & 'Jerry'</b>", 1},
    {"escape", "<b>Tom & 'Jerry'</b>", 0, NULL, "&lt;b&gt;Tom &amp; &#x27;Jerry&#x27;&lt;/b&gt;",
     1},
    {"force_escape", "<b>Tom & 'Jerry'</b>", 0, NULL,
     "&lt;b&gt;Tom &amp; &#x27;Jerry&#x27;&lt;/b&gt;", 1},
    {"safe", "caf\303\251", 0, NULL, "caf\303\251", 1},
    {"escape", "caf\303\251", 0, NULL, "caf\303\251", 1},
    {"force_escape", "caf\303\251", 0, NULL, "caf\303\251", 1},
    {"escape", "<b>x</b> &amp;", 1, NULL, "<b>x</b> &amp;", 1},
    {"force_escape", "<b>x</b> &amp;", 1, NULL, "&lt;b&gt;x&lt;/b&gt; &amp;amp;", 1},
    {"striptags", "a <b>c</b> d", 0, NULL, "a c d", 0},
    {"striptags", "<script>alert(1)</script>z", 0, NULL, "alert(1)z", 0},
    {"striptags", "<!-- c -->x<p>", 0, NULL, "x", 0},
    {"striptags", "<!-- c x<p>", 0, NULL, "", 0},
    {"striptags", "</ x>y<p>", 0, NULL, "y", 0},
    {"striptags", "</>y<p>", 0, NULL, "y", 0},
    {"striptags", "a < b > c", 0, NULL, "a < b > c", 0},
    {"striptags", "<a title=\">\">x</a>", 0, NULL, "x", 0},
    {"striptags", "<p>&amp; &lt; &#39; &copy;</p>", 0, NULL, "&amp; &lt; &#39; &copy;", 0},
    {"striptags", "<scr<script>ipt>alert(1)</scr</script>ipt>", 0, NULL, "ipt>alert(1)ipt>", 0},
    {"striptags", "<?php x ?>y<p>", 0, NULL, "y", 0},
    {"striptags", "<!DOCTYPE html>z", 0, NULL, "z", 0},
    {"striptags", "1<2 and 3>2", 0, NULL, "1<2 and 3>2", 0},
    {"striptags", "<b>x</b", 0, NULL, "x", 0},
    {"striptags", "<<b>>", 0, NULL, "<>", 0},
    {"striptags", "<b\nclass=x>y</b>", 0, NULL, "y", 0},
    {"striptags", "<style>p>a{}</style>t", 0, NULL, "p>a{}t", 0},
    {"striptags", "<a/b>c<p>", 0, NULL, "c", 0},
    {"striptags", "<br/>x", 0, NULL, "x", 0},
    {"striptags", "<img src=x onerror=alert(1)//>", 0, NULL, "", 0},
    {"striptags", "a<b c=\"d>e", 0, NULL, "a", 0},
    {"striptags", "x<script>never", 0, NULL, "xnever", 0},
    {"striptags", "<![CDATA[x]]>y<p>", 0, NULL, "y", 0},
    {"striptags", "<p>caf\303\251 \342\200\224 ok</p>", 0, NULL, "caf\303\251 \342\200\224 ok", 0},
    {"striptags", "", 0, NULL, "", 0},
    {"striptags", "no tags", 0, NULL, "no tags", 0},
    {"striptags", "a<b>b</b>c<", 0, NULL, "abc<", 0},
    {"striptags", "<p>a</p>\n<p>b</p>", 0, NULL, "a\nb", 0},
    {"striptags", "<STYLE>x</Style>y", 0, NULL, "xy", 0},
    {"striptags", "<a href='x>y'>z</a>", 0, NULL, "z", 0},
    {"striptags", "<p \nclass=x>t</p>", 0, NULL, "t", 0},
    {"striptags", "<b>x &lt; y</b>", 1, NULL, "x &lt; y", 1},
    {"truncatewords", "Joel is a slug, really", 0, "0", " \342\200\246", 0},
    {"truncatewords", "Joel is a slug, really", 0, "1", "Joel \342\200\246", 0},
    {"truncatewords", "Joel is a slug, really", 0, "2", "Joel is \342\200\246", 0},
    {"truncatewords", "Joel is a slug, really", 0, "4", "Joel is a slug, \342\200\246", 0},
    {"truncatewords", "Joel is a slug, really", 0, "5", "Joel is a slug, really", 0},
    {"truncatewords", "Joel is a slug, really", 0, "10", "Joel is a slug, really", 0},
    {"truncatewords", "Joel is a slug, really", 0, "-1", "Joel is a slug, \342\200\246", 0},
    {"truncatewords", "Joel is a slug, really", 0, "-2", "Joel is a \342\200\246", 0},
    {"truncatewords", "  a\n b\tc  ", 0, "5", "a b c", 0},
    {"truncatewords", "  a\n b\tc  ", 0, "2", "a b \342\200\246", 0},
    {"truncatewords", "", 0, "2", "", 0},
    {"truncatewords", "x \342\200\246 y z", 0, "2", "x \342\200\246", 0},
    {"truncatewords", "\303\251t\303\251 \303\240 l\342\200\231\303\256le", 0, "2",
     "\303\251t\303\251 \303\240 \342\200\246", 0},
    {"truncatewords", "a\302\240b\343\200\200c d", 0, "2", "a b \342\200\246", 0},
    {"truncatewords", "<b>a</b> b c", 1, "2", "<b>a</b> b \342\200\246", 1},
    {"truncatechars", "Joel is a slug", 0, "0", "\342\200\246", 0},
    {"truncatechars", "Joel is a slug", 0, "1", "\342\200\246", 0},
    {"truncatechars", "Joel is a slug", 0, "3", "Jo\342\200\246", 0},
    {"truncatechars", "Joel is a slug", 0, "4", "Joe\342\200\246", 0},
    {"truncatechars", "Joel is a slug", 0, "7", "Joel i\342\200\246", 0},
    {"truncatechars", "Joel is a slug", 0, "8", "Joel is\342\200\246", 0},
    {"truncatechars", "Joel is a slug", 0, "-1", "\342\200\246", 0},
    {"truncatechars", "Joel is a slug", 0, "20", "Joel is a slug", 0},
    {"truncatechars", "", 0, "3", "", 0},
    {"truncatechars", "caf\303\251 cr\303\250me", 0, "6", "caf\303\251 \342\200\246", 0},
    {"truncatechars", "abc\342\200\246def", 0, "5", "abc\342\200\246\342\200\246", 0},
    {"truncatechars", "<b>abcdef</b>", 1, "4", "<b>\342\200\246", 1},
    {"truncatewords_html", "<p>one <a href='#'>two - three <br>four</a> five</p>", 0, "0", "", 0},
    {"truncatewords_html", "<p>one <a href='#'>two - three <br>four</a> five</p>", 0, "1",
     "<p>one \342\200\246</p>", 0},
    {"truncatewords_html", "<p>one <a href='#'>two - three <br>four</a> five</p>", 0, "2",
     "<p>one <a href='#'>two \342\200\246</a></p>", 0},
    {"truncatewords_html", "<p>one <a href='#'>two - three <br>four</a> five</p>", 0, "3",
     "<p>one <a href='#'>two - \342\200\246</a></p>", 0},
    {"truncatewords_html", "<p>one <a href='#'>two - three <br>four</a> five</p>", 0, "4",
     "<p>one <a href='#'>two - three \342\200\246</a></p>", 0},
    {"truncatewords_html", "<p>one <a href='#'>two - three <br>four</a> five</p>", 0, "5",
     "<p>one <a href='#'>two - three <br>four \342\200\246</a></p>", 0},
    {"truncatewords_html", "<p>one <a href='#'>two - three <br>four</a> five</p>", 0, "100",
     "<p>one <a href='#'>two - three <br>four</a> five</p>", 0},
    {"truncatewords_html", "<p>one <a href='#'>two - three <br>four</a> five</p>", 0, "-1", "", 0},
    {"truncatewords_html", "<b>Tom & <i>Jerry</i> go</b> home", 0, "2", "<b>Tom & \342\200\246</b>",
     0},
    {"truncatewords_html", "<p>a <img src=x/> b c</p>", 0, "2",
     "<p>a <img src=x/> b \342\200\246</p>", 0},
    {"truncatewords_html", "<div><p>a b</p><p>c d e</p></div>", 0, "2",
     "<div><p>a b \342\200\246</p></div>", 0},
    {"truncatewords_html", "<p>a</P> b c d", 0, "2", "<p>a</P> b \342\200\246", 0},
    {"truncatewords_html", "a < b > c d e", 0, "2", "a < b \342\200\246", 0},
    {"truncatewords_html", "<p>a b <unclosed c d", 0, "2", "<p>a b <unclosed c d", 0},
    {"truncatewords_html", "<br/>a b c", 0, "2", "<br/>a b \342\200\246", 0},
    {"truncatewords_html", "<p>x</q> y z w", 0, "2", "<p>x</q> y \342\200\246</p>", 0},
    {"truncatewords_html", "<!-- c d --> e f g", 0, "2", "<!-- c d --> e f \342\200\246", 0},
    {"truncatewords_html", "<p class='a b'>\303\251t\303\251 chaud \303\240 Paris</p>", 0, "2",
     "<p class='a b'>\303\251t\303\251 chaud \342\200\246</p>", 0},
    {"truncatewords_html", "</ p>a b c", 0, "2", "</ p>a b \342\200\246", 0},
    {"truncatewords_html", "<>a b c", 0, "2", "<>a b \342\200\246", 0},
    {"truncatewords_html", "a\302\240b c d", 0, "2", "a\302\240b \342\200\246", 0},
    {"truncatewords_html", "<a/b>x y z", 0, "2", "<a/b>x y \342\200\246</a>", 0},
    {"truncatewords_html", "<p/>x y z", 0, "2", "<p/>x y \342\200\246", 0},
    {"truncatewords_html", "<p / >x y z", 0, "2", "<p / >x y \342\200\246</p>", 0},
    {"truncatewords_html", "<p>a\nb\tc d</p>", 0, "2", "<p>a\nb \342\200\246</p>", 0},
    {"truncatechars_html", "<p>Hello <b>w\303\266rld</b></p>", 0, "0", "\342\200\246", 0},
    {"truncatechars_html", "<p>Hello <b>w\303\266rld</b></p>", 0, "1", "\342\200\246", 0},
    {"truncatechars_html", "<p>Hello <b>w\303\266rld</b></p>", 0, "2", "<p>H\342\200\246</p>", 0},
    {"truncatechars_html", "<p>Hello <b>w\303\266rld</b></p>", 0, "3", "<p>He\342\200\246</p>", 0},
    {"truncatechars_html", "<p>Hello <b>w\303\266rld</b></p>", 0, "6", "<p>Hello\342\200\246</p>",
     0},
    {"truncatechars_html", "<p>Hello <b>w\303\266rld</b></p>", 0, "7", "<p>Hello \342\200\246</p>",
     0},
    {"truncatechars_html", "<p>Hello <b>w\303\266rld</b></p>", 0, "8",
     "<p>Hello <b>w\342\200\246</b></p>", 0},
    {"truncatechars_html", "<p>Hello <b>w\303\266rld</b></p>", 0, "100",
     "<p>Hello <b>w\303\266rld</b></p>", 0},
    {"truncatechars_html", "<p>Hello <b>w\303\266rld</b></p>", 0, "-1", "\342\200\246", 0},
    {"truncatechars_html", "<p>a<b>bcdef</b>gh</p>", 0, "5", "<p>a<b>bcd\342\200\246</b></p>", 0},
    {"truncatechars_html", "<<>>abcdefg", 0, "5", "<<>>\342\200\246", 0},
    {"truncatechars_html", "<br>abcdefgh", 0, "5", "<br>abcd\342\200\246", 0},
    {"truncatechars_html", "<p>abc</p><p>defgh</p>", 0, "5", "<p>abc</p><p>d\342\200\246</p>", 0},
    {"truncatechars_html", "a<>bcdefgh", 0, "5", "a<>b\342\200\246", 0},
    {"truncatechars_html", "<p class='x y'>abcdefgh</p>", 0, "5",
     "<p class='x y'>abcd\342\200\246</p>", 0},
    {"truncatechars_html", "<i>ab</i>cdefgh", 0, "5", "<i>ab</i>cd\342\200\246", 0},
    {"wordcount", "", 0, NULL, "0", -1},
    {"wordcount", "one", 0, NULL, "1", -1},
    {"wordcount", " one  two\tthree\nfour ", 0, NULL, "4", -1},
    {"wordcount", "a\302\240b", 0, NULL, "2", -1},
    {"wordcount", "\303\251t\303\251 chaud", 0, NULL, "2", -1},
    {"wordcount", "a\342\200\203b\343\200\200c", 0, NULL, "3", -1},
    {"lower", "", 0, NULL, "", 0},
    {"lower", "HeLLo W\303\226RLD", 0, NULL, "hello w\303\266rld", 0},
    {"lower", "\304\260stanbul \303\211T\303\211", 0, NULL, "i\314\207stanbul \303\251t\303\251",
     0},
    {"lower", "\316\237\316\224\316\237\316\243 \316\237\316\224\316\237\316\243.", 0, NULL,
     "\316\277\316\264\316\277\317\202 \316\277\316\264\316\277\317\202.", 0},
    {"lower", "\316\243", 0, NULL, "\317\203", 0},
    {"lower", "A\316\243B", 0, NULL, "a\317\203b", 0},
    {"lower", "\320\237\320\240\320\230\320\222\320\225\320\242 \320\201\320\226", 0, NULL,
     "\320\277\321\200\320\270\320\262\320\265\321\202 \321\221\320\266", 0},
    {"lower", "STRASSE", 0, NULL, "strasse", 0},
    {"lower", "\304\200\304\202\304\271\305\270\307\215\310\230", 0, NULL,
     "\304\201\304\203\304\272\303\277\307\216\310\231", 0},
    {"upper", "", 0, NULL, "", 0},
    {"upper", "hello w\303\266rld", 0, NULL, "HELLO W\303\226RLD", 0},
    {"upper", "stra\303\237e", 0, NULL, "STRASSE", 0},
    {"upper", "\303\277\302\265\304\261\305\277", 0, NULL, "\305\270\316\234IS", 0},
    {"upper", "\316\261\316\262\316\263 \317\202 \316\254\316\220", 0, NULL,
     "\316\221\316\222\316\223 \316\243 \316\206\316\231\314\210\314\201", 0},
    {"upper", "\320\277\321\200\320\270\320\262\320\265\321\202 \321\221", 0, NULL,
     "\320\237\320\240\320\230\320\222\320\225\320\242 \320\201", 0},
    {"upper", "\305\211 \307\260 \310\231\310\233", 0, NULL, "\312\274N J\314\214 \310\230\310\232",
     0},
    {"upper", "a&amp;b", 0, NULL, "A&AMP;B", 0},
    {"upper", "a &amp; b", 1, NULL, "A &AMP; B", 0},
    {"lower", "A &AMP; B", 1, NULL, "a &amp; b", 1},
    {"title", "", 0, NULL, "", 0},
    {"title", "hello world", 0, NULL, "Hello World", 0},
    {"title", "they're bob's", 0, NULL, "They're Bob's", 0},
    {"title", "1st 2nd 3RD", 0, NULL, "1st 2nd 3rd", 0},
    {"title", "HELLO wORLD", 0, NULL, "Hello World", 0},
    {"title", "\303\251t\303\251 \303\240 paris", 0, NULL, "\303\211t\303\251 \303\200 Paris", 0},
    {"title", "o'neil mc-donald", 0, NULL, "O'Neil Mc-Donald", 0},
    {"title", "stra\303\237e \303\237a", 0, NULL, "Stra\303\237e Ssa", 0},
    {"title",
     "\316\272\316\261\316\273\316\267\316\274\316\255\317\201\316\261 "
     "\316\232\316\237\316\243\316\234\316\225",
     0, NULL,
     "\316\232\316\261\316\273\316\267\316\274\316\255\317\201\316\261 "
     "\316\232\316\277\317\203\316\274\316\265",
     0},
    {"title",
     "\320\274\320\276\321\201\320\272\320\262\320\260 "
     "\321\200\320\276\321\201\321\201\320\270\321\217",
     0, NULL,
     "\320\234\320\276\321\201\320\272\320\262\320\260 "
     "\320\240\320\276\321\201\321\201\320\270\321\217",
     0},
    {"title", "a1b2c3 x9y", 0, NULL, "A1b2c3 X9y", 0},
    {"title", "don't STOP", 0, NULL, "Don't Stop", 0},
    {"title", "\305\211x \304\270a", 0, NULL, "\312\274Nx \304\270a", 0},
    {"title", "hello\342\200\231s world", 0, NULL, "Hello\342\200\231S World", 0},
    {"title", "__init__ test", 0, NULL, "__Init__ Test", 0},
    {"title", "a.b,c;d", 0, NULL, "A.B,C;D", 0},
    {"capfirst", "", 0, NULL, "", 0},
    {"capfirst", "hello", 0, NULL, "Hello", 0},
    {"capfirst", "\303\251t\303\251", 0, NULL, "\303\211t\303\251", 0},
    {"capfirst", "\303\237a", 0, NULL, "SSa", 0},
    {"capfirst", "1abc", 0, NULL, "1abc", 0},
    {"capfirst", " x", 0, NULL, " x", 0},
    {"capfirst", "\317\211mega", 0, NULL, "\316\251mega", 0},
    {"capfirst", "<b>x</b>", 0, NULL, "<b>x</b>", 0},
    {"capfirst", "<b>x</b>", 1, NULL, "<b>x</b>", 1},
    {"slugify", "", 0, NULL, "", 0},
    {"slugify", "Hello World!", 0, NULL, "hello-world", 0},
    {"slugify", " Jack & Jill like numbers 1,2,3 and 4 and silly characters ?%.$!/", 0, NULL,
     "jack-jill-like-numbers-123-and-4-and-silly-characters", 0},
    {"slugify", "Un \303\251l\303\251phant \303\240 l'or\303\251e du bois", 0, NULL,
     "un-elephant-a-loree-du-bois", 0},
    {"slugify", "___a--b__", 0, NULL, "a-b", 0},
    {"slugify", "-_-a_-_", 0, NULL, "a", 0},
    {"slugify", "a - . - b", 0, NULL, "a-b", 0},
    {"slugify", "a\302\240b", 0, NULL, "a-b", 0},
    {"slugify", "Ti\341\272\277ng Vi\341\273\207t", 0, NULL, "tieng-viet", 0},
    {"slugify", "\302\275 price \302\262", 0, NULL, "12-price-2", 0},
    {"slugify", "\357\274\250\357\275\205\357\275\214\357\275\214\357\275\217", 0, NULL, "hello",
     0},
    {"slugify", "\357\254\201ne \357\254\202ow", 0, NULL, "fine-flow", 0},
    {"slugify", "\320\237\321\200\320\270\320\262\320\265\321\202 world", 0, NULL, "world", 0},
    {"slugify", "a\tb\nc\013d\034e", 0, NULL, "a-b-c-d-e", 0},
    {"slugify", "x\342\200\203y", 0, NULL, "x-y", 0},
    {"slugify", "caf\303\251 \342\204\242", 0, NULL, "cafe-tm", 0},
    {"slugify", "MiXeD_CaSe", 0, NULL, "mixed_case", 0},
    {"slugify", "tab\302\264acute", 0, NULL, "tab-acute", 0},
    {"slugify", "\304\260stanbul", 0, NULL, "istanbul", 0},
    {"ljust", "", 0, "0", "", 0},
    {"ljust", "", 0, "5", "     ", 0},
    {"ljust", "", 0, "6", "      ", 0},
    {"ljust", "", 0, "-2", "", 0},
    {"ljust", "ab", 0, "0", "ab", 0},
    {"ljust", "ab", 0, "5", "ab   ", 0},
    {"ljust", "ab", 0, "6", "ab    ", 0},
    {"ljust", "ab", 0, "-2", "ab", 0},
    {"ljust", "abc", 0, "0", "abc", 0},
    {"ljust", "abc", 0, "5", "abc  ", 0},
    {"ljust", "abc", 0, "6", "abc   ", 0},
    {"ljust", "abc", 0, "-2", "abc", 0},
    {"ljust", "\303\251t\303\251", 0, "0", "\303\251t\303\251", 0},
    {"ljust", "\303\251t\303\251", 0, "5", "\303\251t\303\251  ", 0},
    {"ljust", "\303\251t\303\251", 0, "6", "\303\251t\303\251   ", 0},
    {"ljust", "\303\251t\303\251", 0, "-2", "\303\251t\303\251", 0},
    {"ljust", "toolong", 0, "0", "toolong", 0},
    {"ljust", "toolong", 0, "5", "toolong", 0},
    {"ljust", "toolong", 0, "6", "toolong", 0},
    {"ljust", "toolong", 0, "-2", "toolong", 0},
    {"rjust", "", 0, "0", "", 0},
    {"rjust", "", 0, "5", "     ", 0},
    {"rjust", "", 0, "6", "      ", 0},
    {"rjust", "", 0, "-2", "", 0},
    {"rjust", "ab", 0, "0", "ab", 0},
    {"rjust", "ab", 0, "5", "   ab", 0},
    {"rjust", "ab", 0, "6", "    ab", 0},
    {"rjust", "ab", 0, "-2", "ab", 0},
    {"rjust", "abc", 0, "0", "abc", 0},
    {"rjust", "abc", 0, "5", "  abc", 0},
    {"rjust", "abc", 0, "6", "   abc", 0},
    {"rjust", "abc", 0, "-2", "abc", 0},
    {"rjust", "\303\251t\303\251", 0, "0", "\303\251t\303\251", 0},
    {"rjust", "\303\251t\303\251", 0, "5", "  \303\251t\303\251", 0},
    {"rjust", "\303\251t\303\251", 0, "6", "   \303\251t\303\251", 0},
    {"rjust", "\303\251t\303\251", 0, "-2", "\303\251t\303\251", 0},
    {"rjust", "toolong", 0, "0", "toolong", 0},
    {"rjust", "toolong", 0, "5", "toolong", 0},
    {"rjust", "toolong", 0, "6", "toolong", 0},
    {"rjust", "toolong", 0, "-2", "toolong", 0},
    {"center", "", 0, "0", "", 0},
    {"center", "", 0, "5", "     ", 0},
    {"center", "", 0, "6", "      ", 0},
    {"center", "", 0, "-2", "", 0},
    {"center", "ab", 0, "0", "ab", 0},
    {"center", "ab", 0, "5", "  ab ", 0},
    {"center", "ab", 0, "6", "  ab  ", 0},
    {"center", "ab", 0, "-2", "ab", 0},
    {"center", "abc", 0, "0", "abc", 0},
    {"center", "abc", 0, "5", " abc ", 0},
    {"center", "abc", 0, "6", " abc  ", 0},
    {"center", "abc", 0, "-2", "abc", 0},
    {"center", "\303\251t\303\251", 0, "0", "\303\251t\303\251", 0},
    {"center", "\303\251t\303\251", 0, "5", " \303\251t\303\251 ", 0},
    {"center", "\303\251t\303\251", 0, "6", " \303\251t\303\251  ", 0},
    {"center", "\303\251t\303\251", 0, "-2", "\303\251t\303\251", 0},
    {"center", "toolong", 0, "0", "toolong", 0},
    {"center", "toolong", 0, "5", "toolong", 0},
    {"center", "toolong", 0, "6", "toolong", 0},
    {"center", "toolong", 0, "-2", "toolong", 0},
    {"center", "a", 0, "4", " a  ", 0},
    {"center", "ab", 0, "5", "  ab ", 0},
    {"center", "abc", 0, "4", "abc ", 0},
    {"center", "<b>", 1, "5", " <b> ", 1},
    {"cut", "String with spaces", 0, " ", "Stringwithspaces", 0},
    {"cut", "aaa", 0, "a", "", 0},
    {"cut", "abcabc", 0, "bc", "aa", 0},
    {"cut", "abc", 0, "", "abc", 0},
    {"cut", "\303\251t\303\251", 0, "\303\251", "t", 0},
    {"cut", "a;b", 0, ";", "ab", 0},
    {"cut", "a&amp;b;c", 1, ";", "a&ampbc", 0},
    {"cut", "a&amp;b c", 1, " ", "a&amp;bc", 1},
    {"addslashes", "", 0, NULL, "", 0},
    {"addslashes", "He said \"hi\" & 'bye' \\o/", 0, NULL, "He said \\\"hi\\\" & \\'bye\\' \\\\o/",
     0},
    {"addslashes", "caf\303\251", 0, NULL, "caf\303\251", 0},
    {"escapejs", "", 0, NULL, "", 1},
    {"escapejs", "testing\r\njavascript 'string\" <b>escaping</b>", 0, NULL,
     "testing\\u000D\\u000Ajavascript \\u0027string\\u0022 \\u003Cb\\u003Eescaping\\u003C/b\\u003E",
     1},
    {"escapejs", "and lots of whitespace: \r\n\t\013\014\010", 0, NULL,
     "and lots of whitespace: \\u000D\\u000A\\u0009\\u000B\\u000C\\u0008", 1},
    {"escapejs", "<script>and this</script>", 0, NULL,
     "\\u003Cscript\\u003Eand this\\u003C/script\\u003E", 1},
    {"escapejs", "paragraph separator:\342\200\251and line separator:\342\200\250", 0, NULL,
     "paragraph separator:\\u2029and line separator:\\u2028", 1},
    {"escapejs", "`an` = b - c; x \303\251", 0, NULL,
     "\\u0060an\\u0060 \\u003D b \\u002D c\\u003B x \303\251", 1},
    {"escapejs", "\001\037", 0, NULL, "\\u0001\\u001F", 1},
    {"linebreaksbr", "", 0, NULL, "", 1},
    {"linebreaksbr", "a\nb", 0, NULL, "a<br>b", 1},
    {"linebreaksbr", "a\r\nb\rc", 0, NULL, "a<br>b<br>c", 1},
    {"linebreaksbr", "<b>\n&", 0, NULL, "&lt;b&gt;<br>&amp;", 1},
    {"linebreaksbr", "\n\n", 0, NULL, "<br><br>", 1},
    {"linebreaksbr", "<b>\nx", 1, NULL, "<b><br>x", 1},
    {"linebreaks", "", 0, NULL, "<p></p>", 1},
    {"linebreaks", "a", 0, NULL, "<p>a</p>", 1},
    {"linebreaks", "a\nb", 0, NULL, "<p>a<br>b</p>", 1},
    {"linebreaks", "a\n\nb", 0, NULL, "<p>a</p>\n\n<p>b</p>", 1},
    {"linebreaks", "a\n\n\n\nb\nc", 0, NULL, "<p>a</p>\n\n<p>b<br>c</p>", 1},
    {"linebreaks", "\n\nx", 0, NULL, "<p></p>\n\n<p>x</p>", 1},
    {"linebreaks", "x\n\n", 0, NULL, "<p>x</p>\n\n<p></p>", 1},
    {"linebreaks", "a\r\n\r\nb\r\rc", 0, NULL, "<p>a</p>\n\n<p>b</p>\n\n<p>c</p>", 1},
    {"linebreaks", "<b>&\n\nx", 0, NULL, "<p>&lt;b&gt;&amp;</p>\n\n<p>x</p>", 1},
    {"linebreaks", "a\n \nb", 0, NULL, "<p>a<br> <br>b</p>", 1},
    {"linebreaks", "\n", 0, NULL, "<p><br></p>", 1},
    {"linebreaks", "<b>\n\nx", 1, NULL, "<p><b></p>\n\n<p>x</p>", 1},
    {"wordwrap", "this is a long paragraph of text that really needs to be wrapped I'm afraid", 0,
     "14", "this is a long\nparagraph of\ntext that\nreally needs\nto be wrapped\nI'm afraid", 0},
    {"wordwrap", "this is a short paragraph of text.\n  But this line should be indented", 0, "14",
     "this is a\nshort\nparagraph of\ntext.\n  But this\nline should be\nindented", 0},
    {"wordwrap", "this is a short paragraph of text.\n  But this line should be indented", 0, "15",
     "this is a short\nparagraph of\ntext.\n  But this line\nshould be\nindented", 0},
    {"wordwrap", "a\n\nb", 0, "5", "a\nb", 0},
    {"wordwrap", "  leading spaces here", 0, "8", "leading\nspaces\nhere", 0},
    {"wordwrap", "trailing spaces   ", 0, "9", "trailing\nspaces", 0},
    {"wordwrap", "supercalifragilistic word", 0, "5", "supercalifragilistic\nword", 0},
    {"wordwrap", "a\tb\tc", 0, "4", "a\nb\nc", 0},
    {"wordwrap", "\303\251t\303\251 \303\240 la plage", 0, "6",
     "\303\251t\303\251 \303\240\nla\nplage", 0},
    {"wordwrap", "one two three", 0, "1", "one\ntwo\nthree", 0},
    {"wordwrap", "x\r\ny z", 0, "1", "x\ny\nz", 0},
    {"wordwrap", "", 0, "5", "", 0},
    {"wordwrap", "   ", 0, "2", "", 0},
    {"wordwrap", "a b  c   d", 0, "3", "a b\nc\nd", 0},
    {"wordwrap", "a\302\240b c", 0, "2", "a\302\240b\nc", 0},
    {"wordwrap", "line1\nline2 is long\n", 0, "6", "line1\nline2\nis\nlong", 0},
    {"wordwrap", "\t\tx", 0, "4", "x", 0},
    {"urlencode", "Hello world", 0, NULL, "Hello%20world", 0},
    {"urlencode", "Hello world", 0, "", "Hello%20world", 0},
    {"urlencode", "caf\303\251 & cr\303\250me", 0, NULL, "caf%C3%A9%20%26%20cr%C3%A8me", 0},
    {"urlencode", "caf\303\251 & cr\303\250me", 0, "", "caf%C3%A9%20%26%20cr%C3%A8me", 0},
    {"urlencode", "/path/to x?y=1&z=2#f", 0, NULL, "/path/to%20x%3Fy%3D1%26z%3D2%23f", 0},
    {"urlencode", "/path/to x?y=1&z=2#f", 0, "", "%2Fpath%2Fto%20x%3Fy%3D1%26z%3D2%23f", 0},
    {"urlencode", "~_.-", 0, NULL, "~_.-", 0},
    {"urlencode", "~_.-", 0, "", "~_.-", 0},
    {"urlencode", "", 0, NULL, "", 0},
    {"urlencode", "", 0, "", "", 0},
    {"urlencode", "a/b:c d", 0, "/:", "a/b:c%20d", 0},
    {"iriencode", "?test=1&me=2", 0, NULL, "?test=1&me=2", 0},
    {"iriencode", "/I \342\231\245 Django/", 0, NULL, "/I%20%E2%99%A5%20Django/", 0},
    {"iriencode", "a b%20c<d>\"e\"", 0, NULL, "a%20b%20c%3Cd%3E%22e%22", 0},
    {"iriencode", "~", 0, NULL, "~", 0},
    {"slice", "abcdef", 0, "0", "", 0},
    {"slice", "abcdef", 0, ":2", "ab", 0},
    {"slice", "abcdef", 0, "1:", "bcdef", 0},
    {"slice", "abcdef", 0, "1:-1", "bcde", 0},
    {"slice", "abcdef", 0, "::2", "ace", 0},
    {"slice", "abcdef", 0, "::-1", "fedcba", 0},
    {"slice", "abcdef", 0, "-2:", "ef", 0},
    {"slice", "abcdef", 0, "-10:10", "abcdef", 0},
    {"slice", "abcdef", 0, "5:1", "", 0},
    {"slice", "abcdef", 0, "5:1:-1", "fedc", 0},
    {"slice", "abcdef", 0, "2", "ab", 0},
    {"slice", "abcdef", 0, "-1", "abcde", 0},
    {"slice", "abcdef", 0, ":-1:-2", "", 0},
    {"slice", "abcdef", 0, "100:", "", 0},
    {"slice", "\303\251t\303\251!", 0, "0", "", 0},
    {"slice", "\303\251t\303\251!", 0, ":2", "\303\251t", 0},
    {"slice", "\303\251t\303\251!", 0, "1:", "t\303\251!", 0},
    {"slice", "\303\251t\303\251!", 0, "1:-1", "t\303\251", 0},
    {"slice", "\303\251t\303\251!", 0, "::2", "\303\251\303\251", 0},
    {"slice", "\303\251t\303\251!", 0, "::-1", "!\303\251t\303\251", 0},
    {"slice", "\303\251t\303\251!", 0, "-2:", "\303\251!", 0},
    {"slice", "\303\251t\303\251!", 0, "-10:10", "\303\251t\303\251!", 0},
    {"slice", "\303\251t\303\251!", 0, "5:1", "", 0},
    {"slice", "\303\251t\303\251!", 0, "5:1:-1", "!\303\251", 0},
    {"slice", "\303\251t\303\251!", 0, "2", "\303\251t", 0},
    {"slice", "\303\251t\303\251!", 0, "-1", "\303\251t\303\251", 0},
    {"slice", "\303\251t\303\251!", 0, ":-1:-2", "", 0},
    {"slice", "\303\251t\303\251!", 0, "100:", "", 0},
    {"slice", "", 0, "0", "", 0},
    {"slice", "", 0, ":2", "", 0},
    {"slice", "", 0, "1:", "", 0},
    {"slice", "", 0, "1:-1", "", 0},
    {"slice", "", 0, "::2", "", 0},
    {"slice", "", 0, "::-1", "", 0},
    {"slice", "", 0, "-2:", "", 0},
    {"slice", "", 0, "-10:10", "", 0},
    {"slice", "", 0, "5:1", "", 0},
    {"slice", "", 0, "5:1:-1", "", 0},
    {"slice", "", 0, "2", "", 0},
    {"slice", "", 0, "-1", "", 0},
    {"slice", "", 0, ":-1:-2", "", 0},
    {"slice", "", 0, "100:", "", 0},
    {"slice", "<b>x</b>", 1, ":3", "<b>", 1},
    {"first", "abc", 0, NULL, "a", 0},
    {"last", "abc", 0, NULL, "c", 0},
    {"first", "", 0, NULL, "", 0},
    {"last", "", 0, NULL, "", 0},
    {"first", "\303\251t\303\251", 0, NULL, "\303\251", 0},
    {"last", "\303\251t\303\251", 0, NULL, "\303\251", 0},
    {"last", "<b>", 1, NULL, ">", 1},
    {"first", "<b>", 1, NULL, "<", 0},
};

static void
test_django_rows(void **state)
{
    size_t bad = 0;
    for (size_t i = 0; i < sizeof(django_rows) / sizeof(django_rows[0]); i++) {
        const row *r = &django_rows[i];
        val in = r->in_safe ? SAFE(r->in) : S(r->in);
        const val *arg = r->arg ? A_S(r->arg) : NULL;
        if (!check_at("django_rows", (int)i, r->filter, in, arg, true, r->want, r->want_safe))
            bad++;
    }
    assert_int_equal(bad, 0);
}

/*
 * The filters keep no state of their own: threads that each have their own
 * arena run the table at once and all get Django's answers (run under
 * ThreadSanitizer by make check-tsan).
 */
static void *
rows_thread(void *arg)
{
    size_t *bad = arg;
    arena a = ARENA_INIT;
    buf e = BUF_INIT;
    for (int round = 0; round < 20; round++) {
        for (size_t i = 0; i < sizeof(django_rows) / sizeof(django_rows[0]); i++) {
            const row *r = &django_rows[i];
            const reg *f = find(r->filter);
            val in = r->in_safe ? SAFE(r->in) : S(r->in), argv = val_cstr(r->arg ? r->arg : ""),
                out;
            tmpl_fctx c = {&a, NULL, true, &e};
            if (f->fn(&c, in, r->arg ? &argv : NULL, &out) != 0) {
                (*bad)++;
                continue;
            }
            val t = val_to_str(out, &a);
            if (t.u.str.n != strlen(r->want) || memcmp(t.u.str.s, r->want, t.u.str.n) != 0)
                (*bad)++;
        }
        arena_free(&a);
    }
    buf_free(&e);
    return NULL;
}

static void
test_threads(void **state)
{
    enum { NT = 4 };
    pthread_t t[NT];
    size_t bad[NT] = {0};
    for (int i = 0; i < NT; i++)
        assert_int_equal(pthread_create(&t[i], NULL, rows_thread, &bad[i]), 0);
    for (int i = 0; i < NT; i++) {
        assert_int_equal(pthread_join(t[i], NULL), 0);
        assert_int_equal(bad[i], 0);
    }
}

/* ---- registration ------------------------------------------------- */

static void
test_registered(void **state)
{
    static const char *const none[] = {
        "safe",      "escape",     "force_escape", "striptags", "wordcount",    "lower",
        "upper",     "title",      "capfirst",     "slugify",   "length",       "first",
        "last",      "json",       "cdata",        "absurl",    "linebreaksbr", "linebreaks",
        "make_list", "addslashes", "escapejs",     "iriencode",
    };
    static const char *const optional[] = {"yesno", "pluralize", "urlencode",
                                           "date",  "time",      "floatformat"};
    static const char *const required[] = {
        "truncatewords", "truncatewords_html",
        "truncatechars", "truncatechars_html",
        "default",       "default_if_none",
        "join",          "slice",
        "add",           "divisibleby",
        "dictsort",      "dictsortreversed",
        "length_is",     "wordwrap",
        "center",        "ljust",
        "rjust",         "cut",
        "stringformat",
    };
    for (size_t i = 0; i < sizeof(none) / sizeof(none[0]); i++) {
        const reg *r = find(none[i]);
        assert_non_null(r);
        assert_int_equal(r->arg, TMPL_ARG_NONE);
    }
    for (size_t i = 0; i < sizeof(optional) / sizeof(optional[0]); i++) {
        const reg *r = find(optional[i]);
        assert_non_null(r);
        assert_int_equal(r->arg, TMPL_ARG_OPTIONAL);
    }
    for (size_t i = 0; i < sizeof(required) / sizeof(required[0]); i++) {
        const reg *r = find(required[i]);
        assert_non_null(r);
        assert_int_equal(r->arg, TMPL_ARG_REQUIRED);
    }
    assert_int_equal(nregs, sizeof(none) / sizeof(none[0]) +
                                sizeof(optional) / sizeof(optional[0]) +
                                sizeof(required) / sizeof(required[0]));
    /* Django's is_safe, spot-checked both ways */
    assert_true(find("lower")->flags & TMPL_FILTER_KEEPS_SAFE);
    assert_true(find("truncatewords")->flags & TMPL_FILTER_KEEPS_SAFE);
    assert_true(find("slice")->flags & TMPL_FILTER_KEEPS_SAFE);
    assert_false(find("upper")->flags & TMPL_FILTER_KEEPS_SAFE);
    assert_false(find("cut")->flags & TMPL_FILTER_KEEPS_SAFE);
    assert_false(find("urlencode")->flags & TMPL_FILTER_KEEPS_SAFE);
    assert_false(find("first")->flags & TMPL_FILTER_KEEPS_SAFE);
}

/* ---- strings: what the table cannot hold ------------------------------ */

static void
test_strings_more(void **state)
{
    /* str() of other values first (Django's @stringfilter) */
    CHECK("upper", val_null(), NULL, "NONE", 0);
    CHECK("upper", val_int(5), NULL, "5", 0);
    CHECK("lower", val_bool(true), NULL, "true", 0);
    CHECK("capfirst", val_int(5), NULL, "5", 0);
    CHECK("wordcount", val_null(), NULL, "1", -1);
    CHECK("cut", val_int(5), A_S("5"), "", 0);
    CHECK("escapejs", val_int(5), NULL, "5", 1);
    CHECK("urlencode", val_int(5), NULL, "5", 0);
    CHECK("safe", val_int(5), NULL, "5", 1);
    /* NUL and other control bytes (Django: \u0000 ...) */
    CHECK("escapejs", val_str("a\0b\x1f", 4), NULL, "a\\u0000b\\u001F", 1);
    /* No NFC: a decomposed é stays decomposed, its accent not counted. */
    CHECK("truncatechars", S("e\314\201e\314\201e\314\201e\314\201"), A_S("3"),
          "e\314\201e\314\201\342\200\246", 0);
    /* slugify folds letters that NFKD keeps whole (Django drops them) */
    CHECK("slugify", S("Stra\303\237e \303\206gir \303\230resund \305\201\303\263d\305\272"), NULL,
          "strasse-aegir-oresund-lodz", 0);
    CHECK("slugify", S("\xc4\xb0stanbul \xc4\xb1 \xc3\xbe\xc3\xb0"), NULL, "istanbul-i-thd", 0);
    /* invalid UTF-8 passes through where text is copied */
    CHECK("lower", val_str("A\377B", 3), NULL, "a\377b", 0);
    CHECK("upper", val_str("\303", 1), NULL, "\303", 0);
    CHECK("length", val_str("a\377b", 3), NULL, "3", -1);
    CHECK("slugify", val_str("a\377b", 3), NULL, "ab", 0);
    CHECK("slice", val_str("\251\251\342\200", 4), A_S("::-1"), "\200\342\251\251", 0);
    /* widths and cut are counted in code points */
    CHECK("center", S("\xc3\xa9"), A_I(4), " \xc3\xa9  ", 0);
    CHECK("rjust", S("x"), A_I(3), "  x", 0);
    CHECK("ljust", SAFE("<b>"), A_I(4), "<b> ", 1);
}

static void
test_safe_and_escape(void **state)
{
    CHECK("safe", S("<b>"), NULL, "<b>", 1);
    CHECK("escape", S("<b>&'\""), NULL, "&lt;b&gt;&amp;&#x27;&quot;", 1);
    CHECK("escape", SAFE("<b>&amp;"), NULL, "<b>&amp;", 1); /* conditional_escape */
    CHECK("force_escape", SAFE("<b>&amp;"), NULL, "&lt;b&gt;&amp;amp;", 1);
    CHECK("escape", val_int(3), NULL, "3", 1);
    /* KEEPS_SAFE: safe in, safe out; unsafe in, unsafe out */
    CHECK("lower", SAFE("<B>"), NULL, "<b>", 1);
    CHECK("lower", S("<B>"), NULL, "<b>", 0);
    CHECK("upper", SAFE("<b>&amp;</b>"), NULL, "<B>&AMP;</B>", 0); /* Django: not safe */
    CHECK("striptags", SAFE("<b>a &lt; b</b>"), NULL, "a &lt; b", 1);
    CHECK("striptags", S("<b>a</b>"), NULL, "a", 0);
    /* cut is safe unless it cuts ';' (which could break an entity) */
    CHECK("cut", SAFE("a&amp;b"), A_S("b"), "a&amp;", 1);
    CHECK("cut", SAFE("a&amp;b"), A_S(";"), "a&ampb", 0);
    CHECK("cut", S("a b"), A_S(" "), "ab", 0);
    /* linebreaks: escaped under autoescape unless safe, always safe */
    CHECK("linebreaksbr", S("<a>\nb"), NULL, "&lt;a&gt;<br>b", 1);
    CHECK("linebreaksbr", SAFE("<a>\nb"), NULL, "<a><br>b", 1);
    CHECK_NOAE("linebreaksbr", S("<a>\nb"), NULL, "<a><br>b", 1);
    CHECK_NOAE("linebreaks", S("<a>\n\nb"), NULL, "<p><a></p>\n\n<p>b</p>", 1);
    CHECK("linebreaks", S("<a>\n\nb"), NULL, "<p>&lt;a&gt;</p>\n\n<p>b</p>", 1);
    CHECK("json", S("</script>"), NULL, "\"\\u003c/script\\u003e\"", 1);
}

/* esc_html over more than one of its chunks, and into a buf with a limit:
 * the same bytes as escaping one byte at a time, stopping at the limit
 * exactly where whole appends would. */
static void
test_esc_html_long(void **state)
{
    (void)state;
    static const char alphabet[] = "ab<c>&d\"e'f\x01g\xc3\xa9";
    size_t n = 50000;
    char *in = malloc(n);
    buf want = BUF_INIT, got = BUF_INIT;
    for (size_t i = 0; i < n; i++) {
        in[i] = alphabet[(i * 7 + i / 13) % (sizeof(alphabet) - 1)];
        const char *r = in[i] == '<'    ? "&lt;"
                        : in[i] == '>'  ? "&gt;"
                        : in[i] == '&'  ? "&amp;"
                        : in[i] == '"'  ? "&quot;"
                        : in[i] == '\'' ? "&#x27;"
                                        : NULL;
        if (r)
            buf_puts(&want, r);
        else if ((unsigned char)in[i] >= 32 || in[i] == '\n')
            buf_putc(&want, in[i]);
    }
    esc_html(&got, in, n);
    assert_int_equal(got.len, want.len);
    assert_memory_equal(got.data, want.data, want.len);
    for (size_t limit = 1; limit < 40000; limit += 9973) {
        buf lim = BUF_INIT;
        lim.limit = limit;
        esc_html(&lim, in, n);
        assert_true(lim.err);
        assert_true(lim.len <= limit && lim.len + 6 > limit);
        assert_memory_equal(lim.data, want.data, lim.len);
        buf_free(&lim);
    }
    buf_free(&want);
    buf_free(&got);
    free(in);
}

/* esc_json: the one JSON string writer (filters, signups export, hone-fcgi) */
static void
test_esc_json(void **state)
{
    (void)state;
    static const char in[] = "a\"b\\c\n\r\t\x01\x7f<&>\xe2\x80\xa8\xe2\x80\xa9\xc3\xa9";
    buf b = BUF_INIT;
    esc_json(&b, in, sizeof(in) - 1);
    assert_string_equal(b.data, "\"a\\\"b\\\\c\\n\\r\\t\\u0001\\u007f\\u003c\\u0026\\u003e"
                                "\\u2028\\u2029\xc3\xa9\"");
    buf_free(&b);
}

static void
test_truncation(void **state)
{
    CHECK("truncatewords", S("a b c"), A_I(2), "a b \xe2\x80\xa6", 0);
    CHECK("truncatewords", S("a b c"), A_I(INT64_MIN), " \xe2\x80\xa6", 0);
    CHECK("truncatewords", S("a b c"), A_I(INT64_MAX), "a b c", 0);
    CHECK("truncatechars", S("abcdef"), A_I(INT64_MIN), "\xe2\x80\xa6", 0);
    CHECK("truncatechars", S("abcdef"), A_I(INT64_MAX), "abcdef", 0);
    CHECK("truncatechars", SAFE("<b>abcdef"), A_I(4), "<b>\xe2\x80\xa6", 1);
    CHECK("truncatewords_html", S("<p>a b c</p>"), A_I(INT64_MIN), "", 0);
    CHECK("truncatewords_html", S("<p>a b c</p>"), A_I(2), "<p>a b \xe2\x80\xa6</p>", 0);
    CHECK("truncatewords_html", SAFE("<p>a b c</p>"), A_I(2), "<p>a b \xe2\x80\xa6</p>", 1);
    CHECK("truncatechars_html", S("<p>abcdef</p>"), A_I(INT64_MAX), "<p>abcdef</p>", 0);
    /* many '<' without '>' stay linear (Django's regex workaround case) */
    buf b = BUF_INIT;
    for (int i = 0; i < 20000; i++)
        buf_puts(&b, "<a ");
    val in = val_strdup(&A, b.data, b.len);
    val out;
    buf_free(&b); /* in lives on in the arena */
    /* lib/html.c reads it as one tag cut off by the end: no text at all */
    assert_int_equal(run("truncatewords_html", in, argp(val_int(3)), &out), 0);
    assert_int_equal(out.u.str.n, in.u.str.n);
    assert_int_equal(run("truncatechars_html", in, argp(val_int(3)), &out), 0);
    assert_int_equal(out.u.str.n, in.u.str.n);
    assert_int_equal(run("striptags", in, NULL, &out), 0);
    assert_int_equal(out.u.str.n, 0);
}

/* ---- lists ---------------------------------------------------------- */

static val
list_of(size_t n, const val *items)
{
    val *copy = arena_calloc(&A, n ? n : 1, sizeof(*copy));
    memcpy(copy, items, n * sizeof(*copy));
    return val_list(copy, n);
}
#define LIST(...) list_of(sizeof((val[]){__VA_ARGS__}) / sizeof(val), (val[]){__VA_ARGS__})

/* A host object that behaves as the list 10, 20, ... (n items). */
static size_t
tens_len(const void *obj)
{
    return *(const size_t *)obj;
}

static int
tens_at(const void *obj, size_t i, arena *a, val *out)
{
    if (i >= *(const size_t *)obj) return 0;
    *out = val_int((int64_t)(i + 1) * 10);
    return 1;
}

static const val_class tens_class = {"tens", NULL, tens_len, tens_at, NULL, NULL};

static void
test_lists(void **state)
{
    static const size_t three = 3, zero = 0;
    val tens = val_obj(&tens_class, &three), empty_obj = val_obj(&tens_class, &zero);
    val l = LIST(val_int(1), val_int(2), val_int(3), val_int(4), val_int(5));
    val empty = val_list(NULL, 0);

    CHECK("length", l, NULL, "5", -1);
    CHECK("length", tens, NULL, "3", -1);
    CHECK("length", S("\xc3\xa9t\xc3\xa9"), NULL, "3", -1);
    CHECK("length", val_int(5), NULL, "0", -1);
    CHECK("length", val_null(), NULL, "0", -1);
    CHECK("length_is", l, A_I(5), "True", -1);
    CHECK("length_is", S("ab"), A_S("3"), "False", -1);
    CHECK("length_is", val_int(5), A_I(1), "", 0);

    CHECK("first", l, NULL, "1", -1);
    CHECK("last", l, NULL, "5", -1);
    CHECK("first", tens, NULL, "10", -1);
    CHECK("last", tens, NULL, "30", -1);
    CHECK("first", empty, NULL, "", 0);
    CHECK("last", empty_obj, NULL, "", 0);
    CHECK("first", val_int(5), NULL, "", 0);
    CHECK("last", val_str("a\xc3", 2), NULL, "\xc3", 0);
    val item;
    assert_int_equal(run("first", LIST(SAFE("<i>")), NULL, &item), 0);
    assert_true(item.safe); /* the item itself, as it is */

    CHECK("slice", l, A_S(":2"), "[1, 2]", -1);
    CHECK("slice", l, A_S("::-2"), "[5, 3, 1]", -1);
    CHECK("slice", l, A_S("-2:"), "[4, 5]", -1);
    CHECK("slice", l, A_S("1:-1"), "[2, 3, 4]", -1);
    CHECK("slice", l, A_S(" 1 : 3 "), "[2, 3]", -1);
    CHECK("slice", l, A_I(2), "[1, 2]", -1);
    CHECK("slice", l, A_S("-100:100"), "[1, 2, 3, 4, 5]", -1);
    CHECK("slice", l, A_S("::-9223372036854775808"), "[5]", -1);
    CHECK("slice", l, A_S("-9223372036854775808:9223372036854775807:9223372036854775807"), "[1]",
          -1);
    CHECK("slice", tens, A_S("::-1"), "[30, 20, 10]", -1);
    CHECK("slice", tens, A_S("1:"), "[20, 30]", -1);
    CHECK("slice", empty, A_S("1:"), "[]", -1);
    CHECK("slice", val_int(5), A_S(":2"), "5", -1);

    CHECK("join", LIST(S("a"), S("<b>"), SAFE("<i>")), A_S(", "), "a, &lt;b&gt;, <i>", 1);
    CHECK("join", LIST(S("a"), S("<b>")), A_S("<br>"), "a&lt;br&gt;&lt;b&gt;", 1);
    CHECK("join", LIST(S("a"), S("<b>")), argp(SAFE("<br>")), "a<br>&lt;b&gt;", 1);
    CHECK_NOAE("join", LIST(S("a"), S("<b>")), A_S("<br>"), "a<br><b>", 1);
    CHECK("join", S("abc"), A_S("-"), "a-b-c", 1);
    CHECK("join", SAFE("<b>"), A_S(","), "&lt;,b,&gt;", 1); /* its characters are not safe */
    CHECK("join", val_int(5), A_S("-"), "5", -1);
    CHECK("join", LIST(val_int(1), val_float(2.5), val_null(), val_bool(true)), A_S(","),
          "1,2.5,None,True", 1);
    CHECK("join", tens, A_S("+"), "10+20+30", 1);
    CHECK("join", empty, A_S(","), "", 1);

    CHECK("make_list", S("\xc3\xa9t\xc3\xa9"), NULL, "['\xc3\xa9', 't', '\xc3\xa9']", -1);
    CHECK("make_list", val_int(123), NULL, "['1', '2', '3']", -1);
    CHECK("make_list", S(""), NULL, "[]", -1);

    CHECK("add", LIST(val_int(1)), argp(LIST(val_int(2), val_int(3))), "[1, 2, 3]", -1);
    CHECK("add", tens, argp(LIST(val_int(1))), "[10, 20, 30, 1]", -1);
}

static val
map2(const char *k1, val v1, const char *k2, val v2)
{
    val_map_b m = {0};
    val_map_set(&m, &A, k1, strlen(k1), v1);
    if (k2) val_map_set(&m, &A, k2, strlen(k2), v2);
    return val_map_done(&m);
}

static void
test_dictsort(void **state)
{
    val l = LIST(map2("a", val_int(2), "b", val_int(1)), map2("a", val_int(1), "b", val_int(2)),
                 map2("a", val_int(2), "b", val_int(0)));
    CHECK("dictsort", l, A_S("a"), "[{'a': 1, 'b': 2}, {'a': 2, 'b': 1}, {'a': 2, 'b': 0}]", -1);
    CHECK("dictsortreversed", l, A_S("a"), "[{'a': 2, 'b': 1}, {'a': 2, 'b': 0}, {'a': 1, 'b': 2}]",
          -1);
    CHECK("dictsort", l, A_S("b"), "[{'a': 2, 'b': 0}, {'a': 2, 'b': 1}, {'a': 1, 'b': 2}]", -1);
    val nested = LIST(map2("a", map2("n", S("z"), NULL, val_null()), NULL, val_null()),
                      map2("a", map2("n", S("y"), NULL, val_null()), NULL, val_null()));
    val out;
    assert_int_equal(run("dictsort", nested, A_S("a.n"), &out), 0);
    assert_int_equal(out.type, VAL_LIST);
    assert_int_equal(out.u.list.n, 2);
    assert_ptr_equal(out.u.list.items[0].u.map.items, nested.u.list.items[1].u.map.items);
    assert_ptr_equal(out.u.list.items[1].u.map.items, nested.u.list.items[0].u.map.items);
    /* a missing key, keys that do not compare, private names: "" */
    CHECK("dictsort",
          LIST(map2("a", val_int(1), NULL, val_null()), map2("b", val_int(2), NULL, val_null())),
          A_S("a"), "", 0);
    CHECK("dictsort",
          LIST(map2("a", val_int(1), NULL, val_null()), map2("a", S("x"), NULL, val_null())),
          A_S("a"), "", 0);
    CHECK("dictsort", LIST(map2("_a", val_int(2), NULL, val_null())), A_S("_a"), "", 0);
    CHECK("dictsort", LIST(map2("a", map2("_n", val_int(1), NULL, val_null()), NULL, val_null())),
          A_S("a._n"), "", 0);
    /* an integer indexes each item; a numeric string is a map key */
    val pairs = LIST(LIST(val_int(2), S("x")), LIST(val_int(1), S("y")));
    CHECK("dictsort", pairs, A_I(0), "[[1, 'y'], [2, 'x']]", -1);
    CHECK("dictsort", pairs, A_S("0"), "", 0);
    CHECK("dictsort",
          LIST(map2("0", val_int(2), NULL, val_null()), map2("0", val_int(1), NULL, val_null())),
          A_S("0"), "[{'0': 1}, {'0': 2}]", -1);
    CHECK("dictsort", S("abc"), A_S("a"), "", 0);
    CHECK("dictsort", val_int(5), A_S("a"), "", 0);
    CHECK("dictsort", val_list(NULL, 0), A_S("a"), "[]", -1);
    CHECK_ERR("dictsort", l, A_S(""), "dictsort: the argument must name a key");
}

/* ---- logic and numbers ------------------------------------------------ */

static void
test_logic(void **state)
{
    CHECK("default", S(""), A_S("x"), "x", 0);
    CHECK("default", val_int(0), A_S("x"), "x", 0);
    CHECK("default", val_list(NULL, 0), A_S("x"), "x", 0);
    CHECK("default", val_null(), A_S("x"), "x", 0);
    CHECK("default", S("a"), A_S("x"), "a", 0);
    CHECK("default", val_int(3), argp(SAFE("<x>")), "3", -1);
    CHECK("default", S(""), argp(SAFE("<x>")), "<x>", 1);
    CHECK("default_if_none", val_null(), A_S("x"), "x", 0);
    CHECK("default_if_none", S(""), A_S("x"), "", 0);
    CHECK("default_if_none", val_int(0), A_S("x"), "0", -1);

    CHECK("yesno", val_bool(true), NULL, "yes", 0);
    CHECK("yesno", val_bool(false), NULL, "no", 0);
    CHECK("yesno", val_null(), NULL, "maybe", 0);
    CHECK("yesno", val_int(0), A_S("yeah,no,maybe"), "no", 0);
    CHECK("yesno", val_null(), A_S("yeah,no"), "no", 0);
    CHECK("yesno", val_null(), A_S("a,b,c,d"), "b", 0);
    CHECK("yesno", val_int(1), A_S("a,b,c,d"), "a", 0);
    CHECK("yesno", val_list(NULL, 0), A_S("y,n"), "n", 0);
    CHECK("yesno", S("x"), A_S(",no"), "", 0);

    CHECK("pluralize", val_int(1), NULL, "", 0);
    CHECK("pluralize", val_int(0), NULL, "s", 0);
    CHECK("pluralize", val_int(2), NULL, "s", 0);
    CHECK("pluralize", S("1"), NULL, "", 0);
    CHECK("pluralize", S(" 1.0 "), NULL, "", 0);
    CHECK("pluralize", S("abc"), NULL, "", 0);
    CHECK("pluralize", val_float(1.0), NULL, "", 0);
    CHECK("pluralize", val_float(1.5), NULL, "s", 0);
    CHECK("pluralize", val_bool(true), NULL, "", 0);
    CHECK("pluralize", val_null(), NULL, "", 0);
    CHECK("pluralize", LIST(val_int(1)), NULL, "", 0);
    CHECK("pluralize", LIST(val_int(1), val_int(2)), NULL, "s", 0);
    CHECK("pluralize", val_map(NULL, 0), NULL, "s", 0);
    CHECK("pluralize", val_int(2), A_S("es"), "es", 0);
    CHECK("pluralize", val_int(1), A_S("es"), "", 0);
    CHECK("pluralize", val_int(1), A_S("y,ies"), "y", 0);
    CHECK("pluralize", val_int(2), A_S("y,ies"), "ies", 0);

    CHECK("divisibleby", val_int(4), A_I(2), "True", -1);
    CHECK("divisibleby", val_int(4), A_I(3), "False", -1);
    CHECK("divisibleby", S("4"), A_S("2"), "True", -1);
    CHECK("divisibleby", val_float(4.5), A_I(2), "True", -1);
    CHECK("divisibleby", val_int(-4), A_I(-3), "False", -1);
    CHECK("divisibleby", val_int(INT64_MIN), A_I(-1), "True", -1);
    CHECK("divisibleby", val_bool(true), A_I(1), "True", -1);
    CHECK("divisibleby", S("x"), A_I(2), "", 0);
}

static void
test_add(void **state)
{
    CHECK("add", val_int(3), A_I(4), "7", -1);
    CHECK("add", S("3"), A_S("4"), "7", -1);
    CHECK("add", S(" 3 "), A_S("+4"), "7", -1);
    CHECK("add", S("1_000"), A_I(1), "1001", -1);
    CHECK("add", val_bool(true), A_I(1), "2", -1);
    CHECK("add", S("a"), A_S("b"), "ab", 0);
    CHECK("add", S("3"), A_S("b"), "3b", 0);
    CHECK("add", val_int(3), A_S("b"), "", 0);
    CHECK("add", val_null(), A_I(1), "", 0);
    CHECK("add", SAFE("<a>"), argp(SAFE("<b>")), "<a><b>", 1);
    CHECK("add", SAFE("<a>"), A_S("<b>"), "<a><b>", 0);
    /* hone: a float makes a float sum (Django: int(3.5) + 1 = 4) */
    CHECK("add", val_float(3.5), A_I(1), "4.5", -1);
    CHECK("add", val_int(1), argp(val_float(2.5)), "3.5", -1);
    CHECK("add", val_int(INT64_MAX), A_I(0), "9223372036854775807", -1);
    CHECK_ERR("add", val_int(INT64_MAX), A_I(1), "add: 9223372036854775807 + 1 does not fit");
    CHECK_ERR("add", val_int(INT64_MIN), A_I(-1), "does not fit in 64 bits");
}

static void
test_floatformat(void **state)
{
    static const struct {
        double v;
        const char *arg, *want;
    } cases[] = {
        {34.23234, NULL, "34.2"},
        {34.00000, NULL, "34"},
        {34.26000, NULL, "34.3"},
        {34.23234, "3", "34.232"},
        {34.00000, "3", "34.000"},
        {34.26000, "3", "34.260"},
        {34.23234, "-3", "34.232"},
        {34.00000, "-3", "34"},
        {34.26000, "-3", "34.260"},
        {2.675, "2", "2.68"},
        {-0.01, NULL, "0.0"},
        {-0.01, "2", "-0.01"},
        {-0.05, "1", "-0.1"},
        {-1.5, "0", "-2"},
        {0.5, "0", "1"},
        {0.4, "0", "0"},
        {-0.4, "0", "0"},
        {0.04, "1", "0.0"},
        {-0.04, "1", "0.0"},
        {0.05, "1", "0.1"},
        {999.5, "0g", "1,000"},
        {2.5, "0", "3"},
        {99.95, "1", "100.0"},
        {9.999, "2", "10.00"},
        {0.0001, "2", "0.00"},
        {0.00001, NULL, "0.0"},
        {1e-10, "12", "0.000000000100"},
        {1e20, NULL, "100000000000000000000"},
        {1e20, "2", "100000000000000000000.00"},
        {1.5e15, "1", "1500000000000000.0"},
        {-0.0, NULL, "0"},
        {0.0, "2", "0.00"},
        {123456789.125, "2", "123456789.13"},
        {1.23456789012345678, "20", "1.23456789012345670000"},
        {6666.6666, "2g", "6,666.67"}, /* Django with USE_L10N and English */
        {-1234567.891, "-2g", "-1,234,567.89"},
        {1234.5, "g", "1,234.5"},
        {100, "g", "100"},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
        CHECK("floatformat", val_float(cases[i].v), cases[i].arg ? A_S(cases[i].arg) : NULL,
              cases[i].want, 1);
    CHECK("floatformat", val_float(1e200), NULL, "1e+200", 0);
    CHECK("floatformat", val_float(1e-201), NULL, "1e-201", 0);
    CHECK("floatformat", val_float(INFINITY), NULL, "inf", 0);
    CHECK("floatformat", val_float(-INFINITY), NULL, "-inf", 0);
    CHECK("floatformat", val_float(NAN), NULL, "nan", 0);
    CHECK("floatformat", val_int(34), NULL, "34", 1);
    CHECK("floatformat", val_int(34), A_I(2), "34.00", 1);
    CHECK("floatformat", val_int(-34), A_S("-2"), "-34", 1);
    CHECK("floatformat", val_int(10000), A_S("g"), "10,000", 1);
    CHECK("floatformat", val_int(INT64_MAX), A_I(2), "9223372036854775807.00", 1);
    CHECK("floatformat", val_int(INT64_MIN), NULL, "-9223372036854775808", 1);
    CHECK("floatformat", val_bool(true), NULL, "1", 1);
    CHECK("floatformat", S("34.5"), NULL, "34.5", 1);
    CHECK("floatformat", S("  34.56  "), A_S("1"), "34.6", 1);
    CHECK("floatformat", S("abc"), NULL, "", 0);
    CHECK("floatformat", val_null(), NULL, "", 0);
    CHECK("floatformat", val_float(5.5), A_S("-0"), "6", 1);
}

static void
test_stringformat(void **state)
{
    CHECK("stringformat", val_int(3), A_S("03d"), "003", 0);
    CHECK("stringformat", val_float(3.14159), A_S(".2f"), "3.14", 0);
    CHECK("stringformat", val_float(3.14159), A_S("10.3e"), " 3.142e+00", 0);
    CHECK("stringformat", val_float(-3.14159), A_S("+.1f"), "-3.1", 0);
    CHECK("stringformat", val_float(3.14159), A_S("+.1f"), "+3.1", 0);
    CHECK("stringformat", val_float(3.14159), A_S(" .1f"), " 3.1", 0);
    CHECK("stringformat", val_int(-3), A_S("05d"), "-0003", 0);
    CHECK("stringformat", val_int(3), A_S("-5d"), "3    ", 0);
    CHECK("stringformat", val_int(3), A_S("+d"), "+3", 0);
    CHECK("stringformat", val_int(255), A_S("x"), "ff", 0);
    CHECK("stringformat", val_int(255), A_S("#X"), "0XFF", 0);
    CHECK("stringformat", val_int(-255), A_S("#x"), "-0xff", 0);
    CHECK("stringformat", val_int(8), A_S("#o"), "0o10", 0);
    CHECK("stringformat", val_int(5), A_S(".3d"), "005", 0);
    CHECK("stringformat", val_int(5), A_S("05.3d"), "00005", 0);
    CHECK("stringformat", val_int(INT64_MIN), A_S("d"), "-9223372036854775808", 0);
    CHECK("stringformat", val_float(3.7), A_S("d"), "3", 0);
    CHECK("stringformat", val_bool(true), A_S("d"), "1", 0);
    CHECK("stringformat", S("3"), A_S("d"), "", 0);
    CHECK("stringformat", S("abc"), A_S("s"), "abc", 0);
    CHECK("stringformat", S("abcdef"), A_S(".2s"), "ab", 0);
    CHECK("stringformat", S("\xc3\xa9t\xc3\xa9"), A_S("5s"), "  \xc3\xa9t\xc3\xa9", 0);
    CHECK("stringformat", S("\xc3\xa9t\xc3\xa9"), A_S("-5s|"), "\xc3\xa9t\xc3\xa9  |", 0);
    CHECK("stringformat", val_int(3), A_S("d items, 100%%"), "3 items, 100%", 0);
    CHECK("stringformat", val_float(3.5), A_S("x"), "", 0);
    CHECK("stringformat", val_float(1e20), A_S("g"), "1e+20", 0);
    CHECK("stringformat", val_float(1234567.0), A_S("g"), "1.23457e+06", 0);
    CHECK("stringformat", val_float(0.00001234), A_S("G"), "1.234E-05", 0);
    CHECK("stringformat", val_float(2.0), A_S("#g"), "2.00000", 0);
    CHECK("stringformat", val_float(INFINITY), A_S("010f"), "0000000inf", 0);
    CHECK("stringformat", val_float(NAN), A_S("f"), "nan", 0);
    CHECK("stringformat", val_float(-0.0), A_S("f"), "-0.000000", 0);
    CHECK("stringformat", val_int(3), A_S("f"), "3.000000", 0);
    CHECK("stringformat", val_int(42), A_S("s"), "42", 0);
    CHECK("stringformat", val_null(), A_S("s"), "None", 0);
    CHECK("stringformat", LIST(val_int(1), val_int(2)), A_S("s"), "[1, 2]", 0);
    CHECK("stringformat", SAFE("<b>"), A_S("s"), "<b>", 1);
}

/* ---- dates, URLs, JSON ----------------------------------------------- */

static void
test_dates(void **state)
{
    dt t, t2;
    assert_int_equal(dt_parse("2021-04-13T13:01:13+05:30", 25, 0, &t, NULL, NULL), 0);
    assert_int_equal(dt_parse("2021-09-03T00:05:00Z", 20, 0, &t2, NULL, NULL), 0);
    val d = val_time(t), d2 = val_time(t2);
    CHECK("date", d, NULL, "April 13, 2021", 0);
    CHECK("date", d, A_S(""), "April 13, 2021", 0);
    CHECK("date", d, A_S("Y-m-d"), "2021-04-13", 0);
    CHECK("date", d, A_S("D, d M Y H:i:s O"), "Tue, 13 Apr 2021 13:01:13 +0530", 0);
    CHECK("date", d, A_S("SHORT_DATE_FORMAT"), "04/13/2021", 0);
    CHECK("date", d, A_S("DATETIME_FORMAT"), "April 13, 2021, 1:01 p.m.", 0);
    CHECK("date", d, A_S("jS \\o\\f F"), "13th of April", 0);
    CHECK("date", d, A_S("c"), "2021-04-13T13:01:13+05:30", 0);
    CHECK("date", d2, NULL, "Sept. 3, 2021", 0);
    CHECK("time", d, NULL, "1:01 p.m.", 0);
    CHECK("time", d, A_S("H:i"), "13:01", 0);
    CHECK("time", d, A_S("TIME_FORMAT"), "1:01 p.m.", 0);
    CHECK("time", d, A_S("Y"), "", 0); /* a date letter: Django gives "" */
    CHECK("time", d, A_S("\\Y H"), "Y 13", 0);
    CHECK("time", d2, NULL, "12:05 a.m.", 0);
    /* hone: ISO 8601 text is a date too (no zone: UTC) */
    CHECK("date", S("2021-04-13T13:01:13+05:30"), A_S("Y-m-d H:i O"), "2021-04-13 13:01 +0530", 0);
    CHECK("date", S("2021-04-13"), A_S("N j, Y H:i O"), "April 13, 2021 00:00 +0000", 0);
    CHECK("date", S("not a date"), NULL, "", 0);
    CHECK("date", S(""), NULL, "", 0);
    CHECK("date", val_null(), NULL, "", 0);
    CHECK("date", val_int(5), NULL, "", 0);
    CHECK("time", val_null(), NULL, "", 0);
}

static void
test_urls(void **state)
{
    CHECK("urlencode", S("a b&c=d/\xc3\xa9"), NULL, "a%20b%26c%3Dd/%C3%A9", 0);
    CHECK("urlencode", S("a b&c=d/\xc3\xa9"), A_S(""), "a%20b%26c%3Dd%2F%C3%A9", 0);
    CHECK("urlencode", S("a b&c=d/\xc3\xa9"), A_S("&="), "a%20b&c=d%2F%C3%A9", 0);
    CHECK("urlencode", S("\xc3\xa9"), A_S("\xc3\xa9"), "%C3%A9", 0); /* non-ASCII safe: ignored */
    CHECK("iriencode", S("/x y/\xc3\xa9?a=1&b=[2]"), NULL, "/x%20y/%C3%A9?a=1&b=[2]", 0);

    base_url = "https://example.org/blog/";
    CHECK("absurl", S("posts/x/"), NULL, "https://example.org/blog/posts/x/", 0);
    CHECK("absurl", S("/posts/x/"), NULL, "https://example.org/blog/posts/x/", 0);
    CHECK("absurl", S("/blog/posts/x/"), NULL, "https://example.org/blog/posts/x/", 0);
    CHECK("absurl", S("/blog"), NULL, "https://example.org/blog", 0);
    CHECK("absurl", S("/blogger/"), NULL, "https://example.org/blog/blogger/", 0);
    CHECK("absurl", S(""), NULL, "https://example.org/blog/", 0);
    CHECK("absurl", S("https://other.net/x"), NULL, "https://other.net/x", 0);
    CHECK("absurl", S("//cdn.net/x.js"), NULL, "//cdn.net/x.js", 0);
    CHECK("absurl", S("mailto:a@b.c"), NULL, "mailto:a@b.c", 0);
    CHECK("absurl", S("a:b/c"), NULL, "a:b/c", 0);
    CHECK("absurl", S("x/a:b"), NULL, "https://example.org/blog/x/a:b", 0);
    base_url = "https://example.org/blog";
    CHECK("absurl", S("/posts/"), NULL, "https://example.org/blog/posts/", 0);
    CHECK("absurl", S("/blog/posts/"), NULL, "https://example.org/blog/posts/", 0);
    base_url = "https://example.org";
    CHECK("absurl", S("/posts/"), NULL, "https://example.org/posts/", 0);
    CHECK("absurl", S("posts/"), NULL, "https://example.org/posts/", 0);
    base_url = "https://example.org/";
    CHECK("absurl", S("/posts/"), NULL, "https://example.org/posts/", 0);
    CHECK("absurl", SAFE("/a&b"), NULL, "https://example.org/a&b", 0); /* escaped later */
    base_url = NULL;
    CHECK("absurl", S("/posts/"), NULL, "/posts/", 0);
}

static void
test_json(void **state)
{
    CHECK("json", LIST(val_int(1), S("a<b>&"), val_null(), val_bool(true)), NULL,
          "[1,\"a\\u003cb\\u003e\\u0026\",null,true]", 1);
    CHECK("json", map2("k", val_float(1.5), NULL, val_null()), NULL, "{\"k\":1.5}", 1);
    CHECK("json", S(""), NULL, "\"\"", 1);
}

/* ---- bad arguments ---------------------------------------------------- */

static void
test_errors(void **state)
{
    static const char *const need_int[] = {
        "truncatewords", "truncatewords_html",
        "truncatechars", "truncatechars_html",
        "wordwrap",      "center",
        "ljust",         "rjust",
        "divisibleby",   "length_is",
    };
    for (size_t i = 0; i < sizeof(need_int) / sizeof(need_int[0]); i++) {
        char want[128];
        snprintf(want, sizeof(want), "%s: argument must be an integer, got \"abc\"", need_int[i]);
        CHECK_ERR(need_int[i], S("a b"), A_S("abc"), want);
        CHECK_ERR(need_int[i], S("a b"), A_S(""), "argument must be an integer");
        CHECK_ERR(need_int[i], S("a b"), NULL, "argument is required");
        CHECK_ERR(need_int[i], S("a b"), argp(val_list(NULL, 0)), "got list");
    }
    CHECK_ERR("truncatewords", S("a"), A_S("99999999999999999999"), "fits in 64 bits");
    static const char *const need_arg[] = {
        "default",  "default_if_none",  "join", "slice",       "add",
        "dictsort", "dictsortreversed", "cut",  "stringformat"};
    for (size_t i = 0; i < sizeof(need_arg) / sizeof(need_arg[0]); i++)
        CHECK_ERR(need_arg[i], S("a"), NULL, "argument is required");
    CHECK_ERR("slice", S("abc"), A_S("a:b"), "slice: \"a:b\" is not a Python slice");
    CHECK_ERR("slice", S("abc"), A_S("1:2:3:4"), "more than two ':'");
    CHECK_ERR("slice", S("abc"), A_S("::0"), "step cannot be zero");
    CHECK_ERR("slice", S("abc"), A_S("1.5:"), "not a Python slice");
    CHECK_ERR("yesno", val_bool(true), A_S("onlyone"), "yesno: argument must be");
    CHECK_ERR("pluralize", val_int(2), A_S("a,b,c"), "pluralize: argument must be");
    CHECK_ERR("divisibleby", val_int(4), A_I(0), "cannot divide by zero");
    CHECK_ERR("wordwrap", S("a b"), A_I(0), "width must be positive");
    CHECK_ERR("center", S("a"), A_I(1000000), "larger than");
    CHECK_ERR("floatformat", val_float(1.5), A_S("abc"),
              "floatformat: argument must be an integer");
    CHECK_ERR("floatformat", val_float(1.5), A_S("1000000"), "decimal places");
    CHECK_ERR("stringformat", val_int(3), A_S("z"), "stringformat: \"z\" is not a conversion");
    CHECK_ERR("stringformat", val_int(3), A_S(""), "is not a conversion");
    CHECK_ERR("stringformat", val_int(3), A_S("*d"), "is not a conversion");
    CHECK_ERR("stringformat", val_int(3), A_S("d %s"), "more than one conversion");
    CHECK_ERR("stringformat", val_int(3), A_S("999999d"), "width or precision");
    /* a long argument is cut in the message, at a code point */
    char longarg[200];
    memset(longarg, 'x', sizeof(longarg));
    memcpy(longarg + 58, "\xc3\xa9", 2);
    longarg[199] = '\0';
    CHECK_ERR("truncatewords", S("a"), A_S(longarg), "got \"xxxxxxxxxx");
    assert_null(strstr(buf_cstr(&err), "\xc3\""));
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_registered, setup, teardown),
        cmocka_unit_test_setup_teardown(test_django_rows, setup, teardown),
        cmocka_unit_test_setup_teardown(test_threads, setup, teardown),
        cmocka_unit_test_setup_teardown(test_strings_more, setup, teardown),
        cmocka_unit_test_setup_teardown(test_safe_and_escape, setup, teardown),
        cmocka_unit_test(test_esc_html_long),
        cmocka_unit_test(test_esc_json),
        cmocka_unit_test_setup_teardown(test_truncation, setup, teardown),
        cmocka_unit_test_setup_teardown(test_lists, setup, teardown),
        cmocka_unit_test_setup_teardown(test_dictsort, setup, teardown),
        cmocka_unit_test_setup_teardown(test_logic, setup, teardown),
        cmocka_unit_test_setup_teardown(test_add, setup, teardown),
        cmocka_unit_test_setup_teardown(test_floatformat, setup, teardown),
        cmocka_unit_test_setup_teardown(test_stringformat, setup, teardown),
        cmocka_unit_test_setup_teardown(test_dates, setup, teardown),
        cmocka_unit_test_setup_teardown(test_urls, setup, teardown),
        cmocka_unit_test_setup_teardown(test_json, setup, teardown),
        cmocka_unit_test_setup_teardown(test_errors, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
