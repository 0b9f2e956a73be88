/*
 * Unit tests for hone-fcgi's form module: the email validator over the
 * shared table tests/signup/emails.txt (whose verdicts
 * tests/signup/django_emails.py checks against Django's EmailValidator),
 * urlencoded parsing, the field rules, text cleaning, and the landing
 * page's markers (landing.c).  Inputs are exact-size heap copies, so
 * ASan catches a read one byte past the end.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "testutil.h"

#include "form.h"
#include "landing.h"

static bool
email_ok(const char *s, size_t n)
{
    char *p = test_copy(s, n);
    bool r = form_email_valid(p, n);
    free(p);
    return r;
}

static size_t
unescape(const char *s, char *out)
{
    size_t n = 0;
    for (size_t i = 0; s[i];) {
        if (s[i] == '\\' && s[i + 1] == '\\') {
            out[n++] = '\\';
            i += 2;
        } else if (s[i] == '\\' && s[i + 1] == 'x') {
            char hex[3] = {s[i + 2], s[i + 3], 0};
            out[n++] = (char)strtol(hex, NULL, 16);
            i += 4;
        } else {
            out[n++] = s[i++];
        }
    }
    return n;
}

static void
email_table(void **state)
{
    (void)state;
    FILE *f = fopen("tests/signup/emails.txt", "r");
    assert_non_null(f);
    char line[2048], email[2048];
    int n = 0, bad = 0;
    while (fgets(line, sizeof(line), f)) {
        size_t l = strlen(line);
        if (l && line[l - 1] == '\n') line[--l] = '\0';
        if (!l || line[0] == '#') continue;
        char *tab = strchr(line, '\t');
        assert_non_null(tab);
        *tab = '\0';
        size_t en = unescape(tab + 1, email);
        bool want = strcmp(line, "ok") == 0;
        if (email_ok(email, en) != want) {
            fprintf(stderr, "email %s: %s expected %s\n", tab + 1, line,
                    want ? "valid" : "invalid");
            bad++;
        }
        n++;
    }
    fclose(f);
    assert_true(n > 90);
    assert_int_equal(bad, 0);
}

static int
parse(const char *body, form_signup *f, form_error *e)
{
    char *p = test_copy(body, strlen(body));
    form_init(f);
    int r = form_parse(p, strlen(body), f, e);
    free(p);
    return r;
}

static void
parse_fields(void **state)
{
    (void)state;
    form_signup f;
    form_error e;
    assert_int_equal(parse("email=a%40b.example&referrer=https%3A%2F%2Fx.example%2F%3Fq%3D1+2"
                           "&landing=%2Fwelcome%2F&other=zzz&&next=",
                           &f, &e),
                     0);
    assert_string_equal(f.email.data, "a@b.example");
    assert_string_equal(f.referrer.data, "https://x.example/?q=1 2");
    assert_string_equal(f.landing.data, "/welcome/");
    assert_int_equal(f.next.len, 0);
    assert_int_equal(form_check(&f, &e), 0);
    form_free(&f);

    /* names are decoded too; a value-less field is empty */
    assert_int_equal(parse("%65mail=x%40y.example&website", &f, &e), 0);
    assert_string_equal(f.email.data, "x@y.example");
    assert_int_equal(f.website.len, 0);
    form_free(&f);

    /* an empty body parses; the check wants an email */
    assert_int_equal(parse("", &f, &e), 0);
    assert_int_equal(form_check(&f, &e), -1);
    assert_string_equal(e.code, "email_missing");
    form_free(&f);
}

static void
parse_malformed(void **state)
{
    (void)state;
    static const char *const bodies[] = {
        "email=%", "email=%4", "email=%zz", "email=a%4", "email=a&email=b", "referrer=%G0",
    };
    form_signup f;
    form_error e;
    for (size_t i = 0; i < sizeof(bodies) / sizeof(bodies[0]); i++) {
        assert_int_equal(parse(bodies[i], &f, &e), -1);
        assert_string_equal(e.code, "malformed");
        form_free(&f);
    }
    /* too many fields */
    char many[1024] = "";
    for (int i = 0; i < 70; i++)
        strcat(many, "x=1&");
    assert_int_equal(parse(many, &f, &e), -1);
    form_free(&f);
    /* an email longer than any could be */
    char big[3000] = "email=";
    memset(big + 6, 'a', 2000);
    big[2006] = '\0';
    assert_int_equal(parse(big, &f, &e), -1);
    assert_string_equal(e.code, "too_long");
    form_free(&f);
}

static void
check_rules(void **state)
{
    (void)state;
    struct {
        const char *body, *code;
    } cases[] = {
        {"email=+a%40b.example+", NULL}, /* blanks around are trimmed */
        {"email=a%40b.example%0d%0aBcc%3a+x%40y.example", "email_invalid"},
        {"email=a%40b.example%00", "email_invalid"},
        {"email=a%40b.example&website=http%3A%2F%2Fspam", "honeypot"},
        {"email=a%40b.example&next=%2F%2Fevil.example%2F", "next_invalid"},
        {"email=a%40b.example&next=https%3A%2F%2Fevil.example%2F", "next_invalid"},
        {"email=a%40b.example&next=%2F%5Cevil.example", "next_invalid"},
        {"email=a%40b.example&next=%2Fthanks%2F%3Fx%3D1", NULL},
        {"email=a%40b.example&landing=%2F..%2Fetc%2Fpasswd", "landing_invalid"},
        {"email=a%40b.example&landing=%2Fa%2F.%2Fb", "landing_invalid"},
        {"email=a%40b.example&landing=%2Fwelcome%2Findex.html", NULL},
        {"email=a%40b.example&landing=welcome", "landing_invalid"},
        {"email=", "email_missing"},
        {"email=+++", "email_missing"},
        {"email=not-an-email", "email_invalid"},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        form_signup f;
        form_error e = {0};
        assert_int_equal(parse(cases[i].body, &f, &e), 0);
        int r = form_check(&f, &e);
        if (!cases[i].code) {
            if (r != 0) fprintf(stderr, "%s: %s\n", cases[i].body, e.code);
            assert_int_equal(r, 0);
        } else {
            assert_int_equal(r, -1);
            assert_string_equal(e.code, cases[i].code);
            assert_non_null(e.message);
        }
        form_free(&f);
    }
}

static void
referrer_cleaned(void **state)
{
    (void)state;
    form_signup f;
    form_error e;
    char body[4000] = "email=a%40b.example&referrer=x%0d%0ay%ff";
    assert_int_equal(parse(body, &f, &e), 0);
    assert_int_equal(form_check(&f, &e), 0);
    assert_string_equal(f.referrer.data, "x??y?");
    form_free(&f);
    /* cut at FORM_REFERRER_MAX on a character boundary */
    strcpy(body, "email=a%40b.example&referrer=");
    for (int i = 0; i < 600; i++)
        strcat(body, "%C3%A9"); /* 1200 bytes of é */
    assert_int_equal(parse(body, &f, &e), 0);
    assert_int_equal(form_check(&f, &e), 0);
    assert_int_equal(f.referrer.len, 1024);
    form_free(&f);
}

static void
clean_text(void **state)
{
    (void)state;
    buf b = BUF_INIT;
    form_clean_text(&b, "Mozilla/5.0 \xe2\x82\xac\xef\xbf\xbd", 18, 512);
    assert_string_equal(b.data, "Mozilla/5.0 \xe2\x82\xac\xef\xbf\xbd");
    buf_reset(&b);
    form_clean_text(&b, "ab\xe2\x82\xac", 5, 4); /* the euro sign does not fit */
    assert_string_equal(b.data, "ab");
    buf_free(&b);
}

static void
local_paths(void **state)
{
    (void)state;
    assert_true(form_local_path("/", 1, true));
    assert_true(form_local_path("/a/b-c_d.e~/", 12, true));
    assert_false(form_local_path("//x", 3, false));
    assert_false(form_local_path("/\\x", 3, false));
    assert_false(form_local_path("x/", 2, false));
    assert_false(form_local_path("/a b", 4, false));
    assert_false(form_local_path("/..", 3, true));
    assert_false(form_local_path("/a/..", 5, true));
    assert_false(form_local_path("/a//b", 5, true));
    assert_true(form_local_path("/a/...", 6, true));
    assert_false(form_local_path("/%2e%2e/", 8, true));
    assert_true(form_local_path("/%2e%2e/", 8, false));
}

static void
landing_markers(void **state)
{
    (void)state;
    const char *page = "<form><!--hone:signup-error-->\n"
                       "<input data-hone-value=\"email\" value=\"\">\n"
                       "<input data-hone-value=\"referrer\" value=\"\"></form>";
    buf out = BUF_INIT;
    char *p = test_copy(page, strlen(page));
    assert_int_equal(landing_fill(p, strlen(page), "Bad <email>", "\"><script>", "r&d", &out), 0);
    assert_string_equal(out.data,
                        "<form><p class=\"signup-error\" role=\"alert\" id=\"signup-error\">Bad "
                        "&lt;email&gt;</p>\n"
                        "<input data-hone-value=\"email\" value=\"&quot;&gt;&lt;script&gt;\">\n"
                        "<input data-hone-value=\"referrer\" value=\"r&amp;d\"></form>");
    buf_reset(&out);
    assert_int_equal(landing_fill("<p>no form</p>", 14, "m", "e", "r", &out), -1);
    free(p);
    buf_free(&out);
}

static void
landing_builtin(void **state)
{
    (void)state;
    form_signup f;
    form_error e;
    buf out = BUF_INIT;
    assert_int_equal(parse("email=%3Cb%3E", &f, &e), 0);
    assert_int_equal(landing_render("/nonexistent", "/", "", "Try again", &f, &out), 1);
    assert_non_null(strstr(out.data, "value=\"&lt;b&gt;\""));
    assert_non_null(strstr(out.data, "action=\"/signup\""));
    form_free(&f);
    buf_free(&out);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(email_table),      cmocka_unit_test(parse_fields),
        cmocka_unit_test(parse_malformed),  cmocka_unit_test(check_rules),
        cmocka_unit_test(referrer_cleaned), cmocka_unit_test(clean_text),
        cmocka_unit_test(local_paths),      cmocka_unit_test(landing_markers),
        cmocka_unit_test(landing_builtin),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
