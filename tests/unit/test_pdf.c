/*
 * test_pdf: certificate templates and stamps (lib/pdf.c), on PDFs built
 * here byte by byte, so each test shows the structure it is about: classic
 * tables, /Prev chains, cross-reference streams with PNG predictors,
 * object streams, inherited resources, and every way a template is
 * refused.  tests/cli/pdf.sh does the same with real producers' files and
 * checks the results with qpdf and poppler.
 */
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>
#include <zlib.h>

#include "pdf.h"

static mac_key key = {{1,  2,  3,  4,  5,  6,  7,  8,  9,  10, 11, 12, 13, 14, 15, 16,
                       17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31, 32}};
static mac_key other_key = {{9}};

static const int64_t T0 = 1795722012; /* 2026-11-26T19:40:12Z */

/* ------------------------------------------------------ building PDFs */

typedef struct pb {
    buf b;
    size_t off[64];
    int maxn;
} pb;

static void
pb_start(pb *p, const char *version)
{
    memset(p, 0, sizeof(*p));
    buf_printf(&p->b, "%%PDF-%s\n%%\xe2\xe3\xcf\xd3\n", version);
}

static void
pb_obj(pb *p, int num, const char *body)
{
    p->off[num] = p->b.len;
    if (num > p->maxn) p->maxn = num;
    buf_printf(&p->b, "%d 0 obj\n%s\nendobj\n", num, body);
}

static void
pb_stream(pb *p, int num, const char *extra, const void *data, size_t n)
{
    p->off[num] = p->b.len;
    if (num > p->maxn) p->maxn = num;
    buf_printf(&p->b, "%d 0 obj\n<< /Length %zu %s >>\nstream\n", num, n, extra);
    buf_put(&p->b, data, n);
    buf_puts(&p->b, "\nendstream\nendobj\n");
}

/* A classic table for objects 0..maxn (objects never written are free). */
static size_t
pb_xref(pb *p)
{
    size_t at = p->b.len;
    buf_printf(&p->b, "xref\n0 %d\n0000000000 65535 f \n", p->maxn + 1);
    for (int i = 1; i <= p->maxn; i++) {
        if (p->off[i])
            buf_printf(&p->b, "%010zu 00000 n \n", p->off[i]);
        else
            buf_puts(&p->b, "0000000000 00001 f \n");
    }
    return at;
}

static void
pb_trailer(pb *p, size_t xref, const char *extra)
{
    buf_printf(&p->b, "trailer\n<< /Size %d %s >>\nstartxref\n%zu\n%%%%EOF\n", p->maxn + 1, extra,
               xref);
}

/* One page, a font, an information dictionary, a classic table. */
static void
simple_pdf(buf *out)
{
    pb p;
    pb_start(&p, "1.4");
    pb_obj(&p, 1, "<< /Type /Catalog /Pages 2 0 R >>");
    pb_obj(&p, 2, "<< /Type /Pages /Kids [3 0 R] /Count 1 >>");
    pb_obj(&p, 3,
           "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 300 200] /Contents 4 0 R "
           "/Resources << /Font << /F1 5 0 R >> >> >>");
    static const char content[] = "BT /F1 18 Tf 30 100 Td (Hello) Tj ET";
    pb_stream(&p, 4, "", content, sizeof(content) - 1);
    pb_obj(&p, 5, "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>");
    pb_obj(&p, 6,
           "<< /Title (Simple \\(one\\)) /ModDate (D:20200101000000Z) "
           "/HoneRecipient (old@example.com) /Author <FEFF0041> >>");
    size_t x = pb_xref(&p);
    pb_trailer(&p, x, "/Root 1 0 R /Info 6 0 R /ID [<AABBCCDD> <AABBCCDD>]");
    *out = p.b;
}

static pdf_template *
load(const buf *b, diags *d)
{
    return pdf_load_mem((const uint8_t *)b->data, b->len, "test.pdf", d);
}

static pdf_template *
load_ok(const buf *b)
{
    diags d = DIAGS_INIT;
    pdf_template *t = load(b, &d);
    if (!t) {
        diags_print(&d, stderr);
        fail_msg("the template was refused");
    }
    diags_free(&d);
    return t;
}

/* The template's bytes plus a stamp for who at when. */
static void
stamped(const pdf_template *t, const char *who, int64_t when, bool visible, buf *out)
{
    buf_init(out);
    buf_put(out, pdf_bytes(t), pdf_size(t));
    pdf_stamp_info info = {.recipient = who, .time = when, .key = &key, .visible = visible};
    assert_int_equal(pdf_stamp(t, &info, out, NULL), 0);
}

static pdf_verdict
verify(const buf *b, const mac_key *k)
{
    pdf_verify_result r;
    pdf_verdict v = pdf_verify((const uint8_t *)b->data, b->len, k, &r);
    pdf_verify_result_free(&r);
    return v;
}

/* The message of a refused template, or "" when it loaded. */
static char *
refusal(const buf *b)
{
    diags d = DIAGS_INIT;
    pdf_template *t = load(b, &d);
    char *msg = xstrdup(d.n ? d.v[0].msg : "");
    if (t) pdf_free(t);
    diags_free(&d);
    return msg;
}

static void
assert_refused(const buf *b, const char *what)
{
    char *msg = refusal(b);
    if (!strstr(msg, what)) fail_msg("wanted a refusal with '%s', got '%s'", what, msg);
    free(msg);
}

static bool
contains(const buf *b, size_t from, const char *s)
{
    size_t k = strlen(s);
    for (size_t i = from; i + k <= b->len; i++)
        if (memcmp(b->data + i, s, k) == 0) return true;
    return false;
}

/* ------------------------------------------------------------- tests */

static void
test_stamp_and_verify(void **state)
{
    buf src, out;
    simple_pdf(&src);
    pdf_template *t = load_ok(&src);
    assert_int_equal(pdf_size(t), src.len);
    assert_false(pdf_uses_xref_stream(t));
    for (int visible = 0; visible < 2; visible++) {
        stamped(t, "alice@example.com", T0, visible, &out);
        assert_memory_equal(out.data, src.data, src.len);
        assert_true(out.data[src.len] == '\n');
        pdf_verify_result r;
        assert_int_equal(pdf_verify((const uint8_t *)out.data, out.len, &key, &r), PDF_GENUINE);
        assert_string_equal(r.recipient, "alice@example.com");
        assert_string_equal(r.downloaded_at, "2026-11-26T19:40:12Z");
        char id[PDF_ID_LEN + 1];
        pdf_stamp_info info = {.recipient = "alice@example.com", .time = T0, .key = &key};
        assert_int_equal(pdf_certificate_id(t, &info, id), 0);
        assert_string_equal(r.id, id);
        assert_int_equal(strlen(id), PDF_ID_LEN);
        /* what pdf_stamp says it wrote is what verify reads */
        buf again = BUF_INIT;
        pdf_stamp_made made;
        info.visible = visible;
        assert_int_equal(pdf_stamp(t, &info, &again, &made), 0);
        assert_string_equal(made.id, id);
        assert_string_equal(made.when, r.downloaded_at);
        assert_int_equal(again.len, out.len - src.len);
        assert_memory_equal(again.data, out.data + src.len, again.len);
        buf_free(&again);
        assert_null(r.why);
        pdf_verify_result_free(&r);
        assert_true(contains(&out, src.len, "/Prev "));
        assert_true(contains(&out, src.len, "xref\n"));
        assert_int_equal(contains(&out, src.len,
                                  "Issued to alice@example.com on 26 November "
                                  "2026 at 19:40 UTC"),
                         visible);
        buf_free(&out);
    }
    pdf_free(t);
    buf_free(&src);
}

static void
test_info_entries_kept_and_replaced(void **state)
{
    buf src, out;
    simple_pdf(&src);
    pdf_template *t = load_ok(&src);
    stamped(t, "alice@example.com", T0, false, &out);
    assert_true(contains(&out, src.len, "/Title (Simple \\(one\\))\n"));
    assert_true(contains(&out, src.len, "/Author <FEFF0041>\n"));
    assert_true(contains(&out, src.len, "/ModDate (D:20261126194012Z)"));
    assert_false(contains(&out, src.len, "D:20200101000000Z"));
    assert_false(contains(&out, src.len, "old@example.com"));
    /* the first /ID element is kept, the second is new */
    assert_true(contains(&out, src.len, "/ID [<AABBCCDD> <"));
    assert_false(contains(&out, src.len, "<AABBCCDD> <AABBCCDD>"));
    buf_free(&out);
    pdf_free(t);
    buf_free(&src);
}

static void
test_deterministic_and_distinct(void **state)
{
    buf src, a, b, c;
    simple_pdf(&src);
    pdf_template *t = load_ok(&src);
    stamped(t, "alice@example.com", T0, true, &a);
    stamped(t, "alice@example.com", T0, true, &b);
    stamped(t, "alice@example.com", T0 + 1, true, &c);
    assert_int_equal(a.len, b.len);
    assert_memory_equal(a.data, b.data, a.len);
    char id0[PDF_ID_LEN + 1], id1[PDF_ID_LEN + 1], id2[PDF_ID_LEN + 1];
    pdf_stamp_info i0 = {.recipient = "alice@example.com", .time = T0, .key = &key};
    pdf_stamp_info i1 = i0, i2 = i0;
    i1.time = T0 + 1;
    i2.recipient = "alice@example.org";
    pdf_certificate_id(t, &i0, id0);
    pdf_certificate_id(t, &i1, id1);
    pdf_certificate_id(t, &i2, id2);
    assert_string_not_equal(id0, id1);
    assert_string_not_equal(id0, id2);
    i0.key = &other_key;
    pdf_certificate_id(t, &i0, id2);
    assert_string_not_equal(id0, id2);
    buf_free(&a);
    buf_free(&b);
    buf_free(&c);
    pdf_free(t);
    buf_free(&src);
}

static void
test_recipient_rules(void **state)
{
    buf src, out = BUF_INIT;
    simple_pdf(&src);
    pdf_template *t = load_ok(&src);
    char longest[PDF_MAX_RECIPIENT + 2];
    memset(longest, 'a', sizeof(longest));
    longest[PDF_MAX_RECIPIENT] = '\0';
    static const char *const bad[] = {"", "a\nb@x", "tab\t@x", "del\x7f@x", "\xff\xfe@x", "\xc3@x"};
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        pdf_stamp_info info = {.recipient = bad[i], .time = T0, .key = &key};
        assert_int_equal(pdf_stamp(t, &info, &out, NULL), -1);
        assert_int_equal(out.len, 0);
    }
    pdf_stamp_info info = {.recipient = longest, .time = T0, .key = &key};
    assert_int_equal(pdf_stamp(t, &info, &out, NULL), 0);
    buf_reset(&out);
    longest[PDF_MAX_RECIPIENT] = 'a';
    longest[PDF_MAX_RECIPIENT + 1] = '\0';
    assert_int_equal(pdf_stamp(t, &info, &out, NULL), -1);
    info.recipient = NULL;
    assert_int_equal(pdf_stamp(t, &info, &out, NULL), -1);
    info.recipient = "a@b";
    info.key = NULL;
    assert_int_equal(pdf_stamp(t, &info, &out, NULL), -1);
    /* a full buffer refuses: nothing half written */
    out.limit = 10;
    info.key = &key;
    assert_int_equal(pdf_stamp(t, &info, &out, NULL), -1);
    assert_int_equal(out.len, 0);
    buf_free(&out);
    pdf_free(t);
    buf_free(&src);
}

static void
test_times(void **state)
{
    char s[21];
    int64_t v;
    assert_int_equal(pdf_format_time(0, s), 0);
    assert_string_equal(s, "1970-01-01T00:00:00Z");
    assert_int_equal(pdf_format_time(T0, s), 0);
    assert_string_equal(s, "2026-11-26T19:40:12Z");
    assert_int_equal(pdf_format_time(951782400, s), 0); /* a leap day */
    assert_string_equal(s, "2000-02-29T00:00:00Z");
    assert_int_equal(pdf_format_time(INT64_C(253402300799), s), 0);
    assert_string_equal(s, "9999-12-31T23:59:59Z");
    assert_int_equal(pdf_format_time(INT64_C(253402300800), s), -1);
    assert_int_equal(pdf_format_time(-1, s), -1);
    assert_int_equal(pdf_parse_time("2026-11-26T19:40:12Z", &v), 0);
    assert_int_equal(v, T0);
    assert_int_equal(pdf_parse_time("2000-02-29T00:00:00Z", &v), 0);
    assert_int_equal(v, 951782400);
    static const char *const bad[] = {
        "2026-02-30T00:00:00Z", "2025-02-29T00:00:00Z",      "2026-11-26 19:40:12Z",
        "2026-11-26T19:40:12",  "2026-11-26T19:40:12+00:00", "2026-11-26T24:00:00Z",
        "1969-12-31T23:59:59Z", "2026-11-26T19:40:12Z ",     "",
        "2026-1-26T19:40:12Z"};
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
        if (pdf_parse_time(bad[i], &v) == 0) fail_msg("accepted '%s'", bad[i]);
    buf src, out = BUF_INIT;
    simple_pdf(&src);
    pdf_template *t = load_ok(&src);
    pdf_stamp_info info = {.recipient = "a@b", .time = -5, .key = &key};
    assert_int_equal(pdf_stamp(t, &info, &out, NULL), -1);
    info.time = INT64_C(253402300800);
    assert_int_equal(pdf_stamp(t, &info, &out, NULL), -1);
    buf_free(&out);
    pdf_free(t);
    buf_free(&src);
}

static void
test_text_strings(void **state)
{
    buf src, out;
    simple_pdf(&src);
    pdf_template *t = load_ok(&src);
    /* printable ASCII: a literal, with ( ) \ escaped */
    stamped(t, "a(b)\\c@x", T0, true, &out);
    assert_true(contains(&out, src.len, "/HoneRecipient (a\\(b\\)\\\\c@x)\n"));
    assert_true(contains(&out, src.len, "(Issued to a\\(b\\)\\\\c@x on"));
    assert_int_equal(verify(&out, &key), PDF_GENUINE);
    buf_free(&out);
    /* anything else: UTF-16BE with a byte order mark, surrogate pairs */
    stamped(t, "z\xc3\xa9\xf0\x9f\x98\x80@x", T0, true, &out);
    assert_true(contains(&out, src.len, "/HoneRecipient <FEFF007A00E9D83DDE0000400078>\n"));
    /* the visible line in WinAnsiEncoding: e-acute as octal, the emoji as ? */
    assert_true(contains(&out, src.len, "(Issued to z\\351?@x on"));
    pdf_verify_result r;
    assert_int_equal(pdf_verify((const uint8_t *)out.data, out.len, &key, &r), PDF_GENUINE);
    assert_string_equal(r.recipient, "z\xc3\xa9\xf0\x9f\x98\x80@x");
    pdf_verify_result_free(&r);
    buf_free(&out);
    pdf_free(t);
    buf_free(&src);
}

static void
test_verdicts(void **state)
{
    buf src, out;
    simple_pdf(&src);
    pdf_template *t = load_ok(&src);
    /* the template has a stale /HoneRecipient: a stamp's key without the rest */
    assert_int_equal(verify(&src, &key), PDF_FORGED);
    stamped(t, "alice@example.com", T0, true, &out);
    assert_int_equal(verify(&out, &key), PDF_GENUINE);
    assert_int_equal(verify(&out, &other_key), PDF_FORGED);

    /* every single byte of the file matters */
    size_t step = out.len / 97 + 1;
    for (size_t i = 0; i < out.len; i += step) {
        char was = out.data[i];
        out.data[i] = (char)(was == 'x' ? 'y' : 'x');
        pdf_verdict v = verify(&out, &key);
        if (v == PDF_GENUINE) fail_msg("byte %zu changed and still GENUINE", i);
        out.data[i] = was;
    }
    assert_int_equal(verify(&out, &key), PDF_GENUINE);

    /* cut short, or with bytes after the stamp */
    buf cut = BUF_INIT;
    buf_put(&cut, out.data, out.len - 10);
    assert_int_equal(verify(&cut, &key), PDF_FORGED);
    buf_puts(&cut, "xxxxxxxxxx%%EOF\n");
    assert_int_equal(verify(&cut, &key), PDF_FORGED);
    buf_free(&cut);

    /* a stamp whose keys are incomplete */
    buf half = BUF_INIT;
    buf_put(&half, out.data, out.len);
    char *id = strstr(half.data + src.len, "/HoneCertificateId");
    memcpy(id, "/HoneCertificateXx", 18);
    pdf_verify_result r;
    assert_int_equal(pdf_verify((const uint8_t *)half.data, half.len, &key, &r), PDF_FORGED);
    assert_non_null(r.why);
    assert_non_null(strstr(r.why, "incomplete"));
    pdf_verify_result_free(&r);
    buf_free(&half);

    /* not a PDF at all, with and without the stamp's key in it */
    buf junk = BUF_INIT;
    buf_puts(&junk, "hello");
    assert_int_equal(verify(&junk, &key), PDF_NOT_STAMPED);
    buf_puts(&junk, " /HoneCertificateId (x)");
    assert_int_equal(verify(&junk, &key), PDF_FORGED);
    assert_int_equal(pdf_verify((const uint8_t *)"", 0, &key, &r), PDF_NOT_STAMPED);
    pdf_verify_result_free(&r);
    buf_free(&junk);

    buf_free(&out);
    pdf_free(t);
    buf_free(&src);
}

static void
test_refusals(void **state)
{
    buf b = BUF_INIT, src;
    assert_refused(&b, "not a PDF");
    buf_puts(&b, "<html>not a pdf at all</html>");
    assert_refused(&b, "not a PDF");
    buf_free(&b);

    simple_pdf(&src);
    /* truncated: no startxref, or no %%EOF after it */
    buf_put(&b, src.data, src.len / 2);
    assert_refused(&b, "truncated");
    buf_reset(&b);
    buf_put(&b, src.data, src.len - 6);
    assert_refused(&b, "truncated");
    buf_reset(&b);

    /* startxref past the end, or not at a section */
    char *sx = strstr(src.data, "startxref\n") + 10;
    size_t head = (size_t)(sx - src.data);
    buf_put(&b, src.data, head);
    buf_puts(&b, "999999\n%%EOF\n");
    assert_refused(&b, "startxref");
    buf_reset(&b);
    buf_put(&b, src.data, head);
    buf_puts(&b, "20\n%%EOF\n");
    assert_refused(&b, "cross-reference");
    buf_free(&b);
    buf_free(&src);

    /* an object that is not where the table says */
    pb p;
    pb_start(&p, "1.4");
    pb_obj(&p, 1, "<< /Type /Catalog /Pages 2 0 R >>");
    pb_obj(&p, 2, "<< /Type /Pages /Kids [3 0 R] /Count 1 >>");
    pb_obj(&p, 3, "<< /Type /Page /Parent 2 0 R >>");
    p.off[2] += 3;
    size_t x = pb_xref(&p);
    pb_trailer(&p, x, "/Root 1 0 R");
    assert_refused(&p.b, "object 2 is not at byte");
    buf_free(&p.b);

    /* encrypted */
    pb_start(&p, "1.4");
    pb_obj(&p, 1, "<< /Type /Catalog /Pages 2 0 R >>");
    pb_obj(&p, 2, "<< /Type /Pages /Kids [3 0 R] /Count 1 >>");
    pb_obj(&p, 3, "<< /Type /Page /Parent 2 0 R >>");
    pb_obj(&p, 4, "<< /Filter /Standard /V 4 /R 4 /Length 128 >>");
    x = pb_xref(&p);
    pb_trailer(&p, x, "/Root 1 0 R /Encrypt 4 0 R");
    assert_refused(&p.b, "encrypted");
    buf_free(&p.b);

    /* no catalog, no pages */
    pb_start(&p, "1.4");
    pb_obj(&p, 1, "<< /Type /Catalog /Pages 2 0 R >>");
    pb_obj(&p, 2, "<< /Type /Pages /Kids [] /Count 0 >>");
    x = pb_xref(&p);
    pb_trailer(&p, x, "/Info 1 0 R");
    assert_refused(&p.b, "/Root");
    buf_free(&p.b);
    pb_start(&p, "1.4");
    pb_obj(&p, 1, "<< /Type /Catalog /Pages 2 0 R >>");
    pb_obj(&p, 2, "<< /Type /Pages /Kids [] /Count 0 >>");
    x = pb_xref(&p);
    pb_trailer(&p, x, "/Root 1 0 R");
    assert_refused(&p.b, "no pages");
    buf_free(&p.b);

    /* a page tree that contains itself */
    pb_start(&p, "1.4");
    pb_obj(&p, 1, "<< /Type /Catalog /Pages 2 0 R >>");
    pb_obj(&p, 2, "<< /Type /Pages /Kids [2 0 R] /Count 1 >>");
    x = pb_xref(&p);
    pb_trailer(&p, x, "/Root 1 0 R");
    assert_refused(&p.b, "page tree");
    buf_free(&p.b);
}

static void
test_prev_chain(void **state)
{
    /* an update replaces the page and the Info; then a loop is refused */
    pb p;
    pb_start(&p, "1.4");
    pb_obj(&p, 1, "<< /Type /Catalog /Pages 2 0 R >>");
    pb_obj(&p, 2, "<< /Type /Pages /Kids [3 0 R] /Count 1 >>");
    pb_obj(&p, 3, "<< /Type /Page /Parent 2 0 R /Contents 4 0 R >>");
    pb_stream(&p, 4, "", "0 0 m", 5);
    pb_obj(&p, 5, "<< /Title (old) >>");
    size_t x1 = pb_xref(&p);
    pb_trailer(&p, x1, "/Root 1 0 R /Info 5 0 R");
    size_t o3 = p.b.len;
    buf_puts(&p.b, "3 0 obj\n<< /Type /Page /Parent 2 0 R /Contents [4 0 R 6 0 R] >>\nendobj\n");
    size_t o5 = p.b.len;
    buf_puts(&p.b, "5 0 obj\n<< /Title (new) >>\nendobj\n");
    size_t o6 = p.b.len;
    buf_puts(&p.b, "6 0 obj\n<< /Length 5 >>\nstream\n1 1 l\nendstream\nendobj\n");
    size_t x2 = p.b.len;
    buf_printf(&p.b,
               "xref\n3 1\n%010zu 00000 n \n5 2\n%010zu 00000 n \n%010zu 00000 n \n"
               "trailer\n<< /Size 7 /Root 1 0 R /Info 5 0 R /Prev %zu >>\nstartxref\n%zu\n"
               "%%%%EOF\n",
               o3, o5, o6, x1, x2);
    pdf_template *t = load_ok(&p.b);
    buf out;
    stamped(t, "a@b", T0, true, &out);
    assert_true(contains(&out, p.b.len, "/Title (new)"));
    assert_false(contains(&out, p.b.len, "/Title (old)"));
    assert_true(contains(&out, p.b.len, "/Contents [8 0 R 4 0 R 6 0 R 9 0 R]"));
    assert_true(contains(&out, p.b.len, "/Size 11 "));
    char prev[64];
    snprintf(prev, sizeof(prev), "/Prev %zu ", x2);
    assert_true(contains(&out, p.b.len, prev));
    assert_int_equal(verify(&out, &key), PDF_GENUINE);
    buf_free(&out);
    pdf_free(t);

    /* make the first section's trailer point at the second: a loop */
    char *tr = strstr(p.b.data, "/Info 5 0 R >>");
    char repl[32];
    int k = snprintf(repl, sizeof(repl), "/Prev %zu", x2);
    assert_true(k <= 14);
    memset(tr, ' ', 14);
    memcpy(tr, repl, (size_t)k);
    memcpy(tr + 12, ">>", 2);
    assert_refused(&p.b, "loop");
    buf_free(&p.b);
}

/* PNG "Up" rows, as a cross-reference stream writer makes them. */
static void
png_up(const uint8_t *rows, size_t nrows, size_t w, buf *out)
{
    for (size_t r = 0; r < nrows; r++) {
        buf_putc(out, 2);
        for (size_t i = 0; i < w; i++) {
            uint8_t prev = r ? rows[(r - 1) * w + i] : 0;
            buf_putc(out, (uint8_t)(rows[r * w + i] - prev));
        }
    }
}

static void
deflate_into(const buf *in, buf *out)
{
    uLongf n = compressBound(in->len);
    uint8_t *z = xmalloc(n);
    assert_int_equal(compress(z, &n, (const Bytef *)in->data, in->len), Z_OK);
    buf_put(out, z, n);
    free(z);
}

/* Catalog, pages, page and Info in an object stream; a cross-reference
 * stream, FlateDecode with a PNG predictor. */
static void
objstm_pdf(buf *out, bool inherit)
{
    pb p;
    pb_start(&p, "1.5");
    static const char content[] = "BT /HoneF1 18 Tf 30 100 Td (Hi) Tj ET";
    pb_stream(&p, 4, "", content, sizeof(content) - 1);
    pb_obj(&p, 5, "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>");
    const char *objs[] = {
        "<< /Type /Catalog /Pages 2 0 R >>",
        inherit ? "<< /Type /Pages /Kids [3 0 R] /Count 1 /Resources 8 0 R /MediaBox [0 0 300 "
                  "200] >>"
                : "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        inherit ? "<< /Type /Page /Parent 2 0 R /Contents 4 0 R >>"
                : "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 300 200] /Contents 4 0 R "
                  "/Resources << /Font << /HoneF1 5 0 R >> >> >>",
        "<< /Title (In a stream) >>",
        "<< /Font << /HoneF1 5 0 R >> /ProcSet [/PDF] >>",
    };
    const int nums[] = {1, 2, 3, 7, 8};
    buf head = BUF_INIT, body = BUF_INIT, z = BUF_INIT;
    for (int i = 0; i < 5; i++) {
        buf_printf(&head, "%d %zu ", nums[i], body.len);
        buf_printf(&body, "%s\n", objs[i]);
    }
    buf all = BUF_INIT;
    buf_put(&all, head.data, head.len);
    buf_put(&all, body.data, body.len);
    deflate_into(&all, &z);
    char extra[96];
    snprintf(extra, sizeof(extra), "/Type /ObjStm /N 5 /First %zu /Filter /FlateDecode", head.len);
    pb_stream(&p, 6, extra, z.data, z.len);
    /* the cross-reference stream: W [1 2 1], objects 0..9 */
    size_t xat = p.b.len;
    uint8_t rows[10 * 4];
    memset(rows, 0, sizeof(rows));
    for (int i = 0; i < 5; i++) {
        uint8_t *r = rows + nums[i] * 4;
        r[0] = 2, r[1] = 0, r[2] = 6, r[3] = (uint8_t)i;
    }
    const int direct[] = {4, 5, 6};
    for (int i = 0; i < 3; i++) {
        uint8_t *r = rows + direct[i] * 4;
        r[0] = 1, r[1] = (uint8_t)(p.off[direct[i]] >> 8), r[2] = (uint8_t)p.off[direct[i]];
    }
    uint8_t *r9 = rows + 9 * 4;
    r9[0] = 1, r9[1] = (uint8_t)(xat >> 8), r9[2] = (uint8_t)xat;
    buf pred = BUF_INIT, zx = BUF_INIT;
    png_up(rows, 10, 4, &pred);
    deflate_into(&pred, &zx);
    buf_printf(&p.b,
               "9 0 obj\n<< /Type /XRef /Size 10 /W [1 2 1] /Root 1 0 R /Info 7 0 R "
               "/Filter /FlateDecode /DecodeParms << /Predictor 12 /Columns 4 >> "
               "/Length %zu >>\nstream\n",
               zx.len);
    buf_put(&p.b, zx.data, zx.len);
    buf_printf(&p.b, "\nendstream\nendobj\nstartxref\n%zu\n%%%%EOF\n", xat);
    buf_free(&head);
    buf_free(&body);
    buf_free(&all);
    buf_free(&z);
    buf_free(&pred);
    buf_free(&zx);
    *out = p.b;
}

static void
test_xref_stream_and_object_stream(void **state)
{
    buf src, out;
    objstm_pdf(&src, false);
    pdf_template *t = load_ok(&src);
    assert_true(pdf_uses_xref_stream(t));
    assert_int_equal(verify(&src, &key), PDF_NOT_STAMPED);
    stamped(t, "alice@example.com", T0, true, &out);
    assert_true(contains(&out, src.len, "/Type /XRef"));
    assert_false(contains(&out, src.len, "\nxref\n"));
    assert_true(contains(&out, src.len, "/Title (In a stream)"));
    assert_true(contains(&out, src.len, "/Index [3 1 10 5]"));
    /* our font gets a name the page does not use yet */
    assert_true(contains(&out, src.len, "/HoneF1 5 0 R\n/HoneF2 13 0 R"));
    assert_int_equal(verify(&out, &key), PDF_GENUINE);
    /* stamping a stamped file: the newest stamp is read */
    pdf_template *t2 = load_ok(&out);
    buf out2;
    stamped(t2, "bob@example.com", T0 + 60, false, &out2);
    pdf_verify_result r;
    assert_int_equal(pdf_verify((const uint8_t *)out2.data, out2.len, &key, &r), PDF_GENUINE);
    assert_string_equal(r.recipient, "bob@example.com");
    pdf_verify_result_free(&r);
    buf_free(&out2);
    pdf_free(t2);
    buf_free(&out);
    pdf_free(t);
    buf_free(&src);
}

static void
test_inherited_resources(void **state)
{
    buf src, out;
    objstm_pdf(&src, true);
    pdf_template *t = load_ok(&src);
    stamped(t, "alice@example.com", T0, true, &out);
    /* the inherited, indirect resources are copied into the page, plus our font */
    assert_true(contains(&out, src.len,
                         "/Resources <<\n/ProcSet [/PDF]\n/Font <<\n/HoneF1 5 0 R"
                         "\n/HoneF2 13 0 R\n>>\n>>"));
    /* the inherited media box places the line: 300 wide, centred */
    assert_true(contains(&out, src.len, "1.00 0.00 0.00 1.00 0.00 0.00 cm"));
    assert_int_equal(verify(&out, &key), PDF_GENUINE);
    buf_free(&out);
    pdf_free(t);
    buf_free(&src);
}

static void
test_hostile_xref_streams(void **state)
{
    static const char *const bad[] = {
        "/W [1 2]",
        "/W [1 2 9]",
        "/W [0 0 0]",
        "/W [1 2 1] /Index [0 99999]",
        "/W [1 2 1] /Index [-1 2]",
        "/W [1 2 1] /Index [8388607 5]",
    };
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        buf b = BUF_INIT;
        buf_puts(&b, "%PDF-1.5\n");
        size_t at = b.len;
        buf_printf(&b, "1 0 obj\n<< /Type /XRef /Size 2 %s /Length 8 >>\nstream\n", bad[i]);
        buf_put(&b, "\x01\x00\x09\x00\x01\x00\x09\x00", 8);
        buf_printf(&b, "\nendstream\nendobj\nstartxref\n%zu\n%%%%EOF\n", at);
        char *msg = refusal(&b);
        if (!msg[0]) fail_msg("accepted %s", bad[i]);
        free(msg);
        buf_free(&b);
    }
}

/* Strings copied from the template may hold any byte, NUL included (a
 * fuzzer found the stamp cut at a NUL in a binary /ID). */
static void
test_binary_strings_copied(void **state)
{
    pb p;
    pb_start(&p, "1.4");
    pb_obj(&p, 1, "<< /Type /Catalog /Pages 2 0 R >>");
    pb_obj(&p, 2, "<< /Type /Pages /Kids [3 0 R] /Count 1 >>");
    pb_obj(&p, 3, "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 300 200] >>");
    size_t o4 = p.b.len;
    buf_puts(&p.b, "4 0 obj\n<< /Title (a");
    buf_put(&p.b, "\0\xff\0", 3);
    buf_puts(&p.b, "b) >>\nendobj\n");
    p.off[4] = o4;
    p.maxn = 4;
    size_t x = pb_xref(&p);
    buf_printf(&p.b, "trailer\n<< /Size 5 /Root 1 0 R /Info 4 0 R /ID [(");
    buf_put(&p.b, "\0\0\x01\0", 4);
    buf_printf(&p.b, ") <00>] >>\nstartxref\n%zu\n%%%%EOF\n", x);
    pdf_template *t = load_ok(&p.b);
    buf out;
    stamped(t, "a@b", T0, true, &out);
    assert_true(memchr(out.data + p.b.len, '\xff', out.len - p.b.len) != NULL);
    static const char title[] = "/Title (a\0\xff\0b)\n";
    static const char id[] = "/ID [(\0\0\x01\0) <";
    bool has_title = false, has_id = false;
    for (size_t i = p.b.len; i + sizeof(id) <= out.len; i++) {
        has_title |= memcmp(out.data + i, title, sizeof(title) - 1) == 0;
        has_id |= memcmp(out.data + i, id, sizeof(id) - 1) == 0;
    }
    assert_true(has_title);
    assert_true(has_id);
    assert_int_equal(verify(&out, &key), PDF_GENUINE);
    buf_free(&out);
    pdf_free(t);
    buf_free(&p.b);
}

/* pdf_load from a file: what it read, and a file gone or not a file */
static void
test_load_file(void **state)
{
    char path[] = "/tmp/hone-test-pdf-XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    buf src;
    simple_pdf(&src);
    assert_int_equal(write(fd, src.data, src.len), (ssize_t)src.len);
    close(fd);
    diags d = DIAGS_INIT;
    pdf_template *t = pdf_load(path, &d);
    assert_non_null(t);
    assert_int_equal(pdf_size(t), src.len);
    pdf_free(t);
    unlink(path);
    assert_null(pdf_load(path, &d));
    assert_int_equal(d.n, 1);
    assert_non_null(strstr(d.v[0].msg, "cannot open"));
    assert_string_equal(d.v[0].file, path);
    diags_free(&d);
    assert_null(pdf_load("/", &d));
    assert_int_equal(d.n, 1);
    assert_non_null(strstr(d.v[0].msg, "not a regular file"));
    diags_free(&d);
    buf_free(&src);
}

enum { THREADS = 4, ROUNDS = 200 };

typedef struct job {
    const pdf_template *t;
    int id;
    int mismatches;
} job;

static void
expected_tail(const pdf_template *t, int i, buf *out)
{
    char who[64];
    snprintf(who, sizeof(who), "member%d@example.com", i % 17);
    pdf_stamp_info info = {.recipient = who, .time = T0 + i, .key = &key, .visible = i % 2};
    buf_init(out);
    pdf_stamp(t, &info, out, NULL);
}

static void *
stamp_many(void *arg)
{
    job *j = arg;
    for (int i = 0; i < ROUNDS; i++) {
        buf a, b;
        expected_tail(j->t, i, &a);
        expected_tail(j->t, i, &b);
        if (a.len != b.len || memcmp(a.data, b.data, a.len) != 0) j->mismatches++;
        buf_free(&a);
        buf_free(&b);
    }
    return NULL;
}

static void
test_threads(void **state)
{
    buf src;
    objstm_pdf(&src, true);
    pdf_template *t = load_ok(&src);
    pthread_t th[THREADS];
    job jobs[THREADS];
    for (int i = 0; i < THREADS; i++) {
        jobs[i] = (job){t, i, 0};
        assert_int_equal(pthread_create(&th[i], NULL, stamp_many, &jobs[i]), 0);
    }
    for (int i = 0; i < THREADS; i++) {
        pthread_join(th[i], NULL);
        assert_int_equal(jobs[i].mismatches, 0);
    }
    pdf_free(t);
    buf_free(&src);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_stamp_and_verify),
        cmocka_unit_test(test_info_entries_kept_and_replaced),
        cmocka_unit_test(test_deterministic_and_distinct),
        cmocka_unit_test(test_recipient_rules),
        cmocka_unit_test(test_times),
        cmocka_unit_test(test_text_strings),
        cmocka_unit_test(test_verdicts),
        cmocka_unit_test(test_refusals),
        cmocka_unit_test(test_prev_chain),
        cmocka_unit_test(test_xref_stream_and_object_stream),
        cmocka_unit_test(test_inherited_resources),
        cmocka_unit_test(test_hostile_xref_streams),
        cmocka_unit_test(test_binary_strings_copied),
        cmocka_unit_test(test_load_file),
        cmocka_unit_test(test_threads),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
