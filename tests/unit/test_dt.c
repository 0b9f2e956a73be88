/*
 * Unit tests for dt: parsing every accepted form (and rejecting with the
 * right column), calendar arithmetic checked day by day against a naive
 * counter over 0001..9999, round trips, and dt_format against strings
 * produced by Django 3.2's django.utils.dateformat.format for datetimes with
 * a fixed-offset tzinfo.  Where hone deviates on purpose (e and T write the
 * offset, Y is four digits below year 1000 as in Django >= 4.0) the expected
 * string says so in a comment.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "dt.h"

#define N_OF(a) (sizeof(a) / sizeof((a)[0]))

/* dt_parse on an exact-size heap copy, so ASan catches any read past n. */
static int
parse(const char *s, size_t n, int32_t def, dt *out, size_t *pos, const char **why)
{
    char *p = malloc(n ? n : 1);
    memcpy(p, s, n);
    int r = dt_parse(p, n, def, out, pos, why);
    free(p);
    return r;
}

static dt
must_parse_off(const char *s, int32_t def)
{
    dt t = {0, 0, 0};
    size_t pos = 0;
    const char *why = NULL;
    if (parse(s, strlen(s), def, &t, &pos, &why) != 0)
        fail_msg("dt_parse(\"%s\") failed at %zu: %s", s, pos, why);
    return t;
}

static dt
must_parse(const char *s)
{
    return must_parse_off(s, 0);
}

static void
assert_dt(dt t, int64_t sec, int32_t off, int32_t nsec)
{
    assert_int_equal(t.sec, sec);
    assert_int_equal(t.off, off);
    assert_int_equal(t.nsec, nsec);
}

/* Compares b's contents with want, naming the case; frees b on failure. */
static void
check_buf(buf *b, const char *want, const char *what, const char *arg)
{
    if (strcmp(buf_cstr(b), want) == 0) return;
    print_error("%s \"%s\": got \"%s\", want \"%s\"\n", what, arg, buf_cstr(b), want);
    buf_free(b);
    fail();
}

static void
check_format(dt t, const char *fmt, const char *want)
{
    buf b = BUF_INIT;
    dt_format(&b, fmt, strlen(fmt), t);
    check_buf(&b, want, "format", fmt);
    buf_free(&b);
}

/* ---- parsing ------------------------------------------------------------ */

static void
test_parse_known_answers(void **state)
{
    static const struct {
        const char *in;
        int64_t sec;
        int32_t off, nsec;
    } cases[] = {
        {"1970-01-01T00:00:00Z", 0, 0, 0},
        {"1969-12-31T23:59:59Z", -1, 0, 0},
        {"0001-01-01T00:00:00Z", -62135596800LL, 0, 0},
        {"9999-12-31T23:59:59Z", 253402300799LL, 0, 0},
        {"2000-01-01T00:00:00Z", 946684800, 0, 0},
        {"2038-01-19T03:14:08Z", 2147483648LL, 0, 0},
        {"2000-02-29T12:00:00Z", 951825600, 0, 0},
        {"2000-03-01T00:00:00Z", 951868800, 0, 0},
        {"1900-03-01T00:00:00Z", -2203891200LL, 0, 0},
        {"1600-03-01T00:00:00Z", -11670912000LL, 0, 0},
        {"1582-10-15T00:00:00Z", -12219292800LL, 0, 0},
        {"0004-02-29", -62035891200LL, 0, 0},
        {"2400-02-29", 13574563200LL, 0, 0},
        {"2002-12-14", 1039824000, 0, 0},
        {"2021-04-13T13:01:13+05:30", 1618299073, 19800, 0},
        {"2026-11-26T19:40:12+05:30", 1795702212, 19800, 0},
        /* The examples of the YAML 1.1 timestamp type. */
        {"2001-12-14t21:59:43.10-05:00", 1008385183, -18000, 100000000},
        {"2001-12-14 21:59:43.10 -5", 1008385183, -18000, 100000000},
        {"2001-12-15T02:59:43.1Z", 1008385183, 0, 100000000},
        {"2001-12-15 2:59:43.10", 1008385183, 0, 100000000},
    };
    for (size_t i = 0; i < N_OF(cases); i++) {
        dt t = must_parse(cases[i].in);
        if (t.sec != cases[i].sec || t.off != cases[i].off || t.nsec != cases[i].nsec)
            fail_msg("\"%s\": got %lld %d %d", cases[i].in, (long long)t.sec, (int)t.off,
                     (int)t.nsec);
    }
}

static void
test_parse_date_only(void **state)
{
    assert_dt(must_parse("2021-04-13"), 1618272000, 0, 0);
    /* Midnight in the default zone. */
    assert_dt(must_parse_off("2021-04-13", 19800), 1618272000 - 19800, 19800, 0);
    assert_dt(must_parse_off("2021-04-13", -28800), 1618272000 + 28800, -28800, 0);
    /* Single-digit month and day, as YAML allows. */
    assert_dt(must_parse("2021-4-3"), 1617408000, 0, 0);
}

static void
test_parse_zones(void **state)
{
    static const struct {
        const char *in;
        int32_t off;
    } cases[] = {
        {"2021-04-13T13:01:13Z", 0},
        {"2021-04-13T13:01:13z", 0},
        {"2021-04-13T13:01:13+05:30", 19800},
        {"2021-04-13T13:01:13+0530", 19800},
        {"2021-04-13T13:01:13+05", 18000},
        {"2021-04-13T13:01:13-5", -18000},
        {"2021-04-13T13:01:13 -5", -18000},
        {"2021-04-13T13:01:13-5:30", -19800},
        {"2021-04-13 13:01:13 +05:30", 19800},
        {"2021-04-13 13:01:13   Z", 0},
        {"2021-04-13T13:01:13\t-0800", -28800},
        {"2021-04-13T13:01:13-00:00", 0},
        {"2021-04-13T13:01:13+23:59", 86340},
        {"2021-04-13T13:01:13-23:59", -86340},
        {"2021-04-13T13:01+05:45", 20700},
        {"2021-04-13T13:01:13.5+05:45", 20700},
    };
    for (size_t i = 0; i < N_OF(cases); i++) {
        dt t = must_parse_off(cases[i].in, 3600);
        if (t.off != cases[i].off)
            fail_msg("\"%s\": off %d, want %d", cases[i].in, (int)t.off, (int)cases[i].off);
        dt_fields f;
        dt_fields_of(t, &f);
        assert_int_equal(f.hour, 13);
        assert_int_equal(f.min, 1);
        assert_int_equal(f.day, 13);
    }
    /* No zone: the default. */
    assert_dt(must_parse_off("2021-04-13T13:01:13", 19800), 1618299073, 19800, 0);
}

static void
test_parse_separators(void **state)
{
    static const char *const forms[] = {
        "2021-04-13T13:01:13Z",   "2021-04-13t13:01:13Z",  "2021-04-13 13:01:13Z",
        "2021-04-13   13:01:13Z", "2021-04-13\t13:01:13Z", "2021-04-13 \t 13:01:13Z",
    };
    for (size_t i = 0; i < N_OF(forms); i++)
        assert_dt(must_parse(forms[i]), 1618318873, 0, 0);
}

static void
test_parse_time_forms(void **state)
{
    /* Seconds are optional; hours may have one digit. */
    assert_dt(must_parse("2021-04-13T13:01"), 1618318860, 0, 0);
    assert_dt(must_parse("2021-04-13 3:01:13"), 1618282873, 0, 0);
    assert_dt(must_parse("2021-4-3 3:04:05"), 1617419045, 0, 0);
    assert_dt(must_parse("2021-04-13T00:00:00"), 1618272000, 0, 0);
    assert_dt(must_parse("2021-04-13T23:59:59"), 1618358399, 0, 0);
}

static void
test_parse_fractions(void **state)
{
    static const struct {
        const char *in;
        int32_t nsec;
    } cases[] = {
        {"2021-04-13T13:01:13.1Z", 100000000},
        {"2021-04-13T13:01:13.25Z", 250000000},
        {"2021-04-13T13:01:13.000001Z", 1000},
        {"2021-04-13T13:01:13.123456789Z", 123456789},
        {"2021-04-13T13:01:13.000000001Z", 1},
        /* Digits past nanoseconds are read and dropped, not rounded. */
        {"2021-04-13T13:01:13.9999999999999999999999Z", 999999999},
        {"2021-04-13T13:01:13.12345678912345678901234567890", 123456789},
        /* YAML allows a bare point. */
        {"2021-04-13T13:01:13.Z", 0},
        {"2021-04-13 13:01:13. -5", 0},
    };
    for (size_t i = 0; i < N_OF(cases); i++) {
        dt t = must_parse(cases[i].in);
        if (t.nsec != cases[i].nsec)
            fail_msg("\"%s\": nsec %d, want %d", cases[i].in, (int)t.nsec, (int)cases[i].nsec);
    }
}

static void
test_parse_leap_days(void **state)
{
    static const char *const good[] = {"2020-02-29", "2000-02-29", "2400-02-29", "1600-02-29",
                                       "0004-02-29", "9996-02-29", "2021-02-28"};
    static const char *const bad[] = {"2021-02-29", "1900-02-29", "2100-02-29",
                                      "0001-02-29", "9999-02-29", "2020-02-30"};
    for (size_t i = 0; i < N_OF(good); i++) {
        dt_fields f;
        dt_fields_of(must_parse(good[i]), &f);
        assert_int_equal(f.month, 2);
    }
    for (size_t i = 0; i < N_OF(bad); i++) {
        dt t;
        size_t pos = 0;
        const char *why = NULL;
        assert_int_equal(parse(bad[i], 10, 0, &t, &pos, &why), -1);
        assert_int_equal(pos, 8);
        assert_string_equal(why, "day out of range");
    }
}

static void
test_parse_month_lengths(void **state)
{
    static const int days[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    buf b = BUF_INIT;
    dt t;
    for (int m = 1; m <= 12; m++) {
        buf_reset(&b);
        buf_printf(&b, "2021-%02d-%02d", m, days[m - 1]);
        assert_int_equal(parse(b.data, b.len, 0, &t, NULL, NULL), 0);
        buf_reset(&b);
        buf_printf(&b, "2021-%02d-%02d", m, days[m - 1] + 1);
        assert_int_equal(parse(b.data, b.len, 0, &t, NULL, NULL), -1);
    }
    buf_free(&b);
}

static void
test_parse_blanks(void **state)
{
    assert_dt(must_parse("  2021-04-13  "), 1618272000, 0, 0);
    assert_dt(must_parse("\t2021-04-13\n"), 1618272000, 0, 0);
    assert_dt(must_parse(" 2021-04-13 13:01:13 +05:30 \r\n"), 1618299073, 19800, 0);
    /* A trailing blank after the date is not a separator waiting for a time. */
    assert_dt(must_parse("2021-04-13 "), 1618272000, 0, 0);
}

static void
test_parse_leap_second(void **state)
{
    /* 23:59:60 is accepted and folded into the next second, as POSIX does. */
    dt t = must_parse("2016-12-31T23:59:60Z");
    assert_dt(t, 1483228800, 0, 0);
    dt_fields f;
    dt_fields_of(t, &f);
    assert_int_equal(f.year, 2017);
    assert_int_equal(f.sec, 0);
}

static void
test_parse_errors(void **state)
{
    static const struct {
        const char *in;
        size_t pos;
        const char *why;
    } cases[] = {
        {"", 0, "expected a date"},
        {"   ", 3, "expected a date"},
        {"21-04-13", 0, "expected a four-digit year"},
        {"abcd-01-01", 0, "expected a four-digit year"},
        {"0000-01-01", 0, "year out of range"},
        {"20210-04-13", 4, "expected '-' after the year"},
        {"2021/04/13", 4, "expected '-' after the year"},
        {"2021-", 5, "expected a month"},
        {"2021-00-10", 5, "month out of range"},
        {"2021-13-01", 5, "month out of range"},
        {"  2021-13-01", 7, "month out of range"},
        {"2021-012-01", 7, "expected '-' after the month"},
        {"2021-04-", 8, "expected a day"},
        {"2021-04-00", 8, "day out of range"},
        {"2021-04-31", 8, "day out of range"},
        {"2021-04-13x", 10, "unexpected text after the date"},
        {"2021-04-13Z", 10, "unexpected text after the date"},
        {"2021-04-13T", 11, "expected an hour"},
        {"2021-04-13 x", 11, "expected an hour"},
        {"2021-04-13T24:00", 11, "hour out of range"},
        {"2021-04-13T99:00", 11, "hour out of range"},
        {"2021-04-13T13", 13, "expected ':' after the hour"},
        {"2021-04-13T130100", 13, "expected ':' after the hour"},
        {"2021-04-13T13:1", 14, "expected two-digit minutes"},
        {"2021-04-13T13:60", 14, "minute out of range"},
        {"2021-04-13T13:01:", 17, "expected two-digit seconds"},
        {"2021-04-13T13:01:5", 17, "expected two-digit seconds"},
        {"2021-04-13T13:01:61", 17, "second out of range"},
        {"2021-04-13T13:01.5", 16, "expected a zone (Z or +hh:mm)"},
        {"2021-04-13T13:01:13x", 19, "expected a zone (Z or +hh:mm)"},
        {"2021-04-13 13:01:13 PST", 20, "expected a zone (Z or +hh:mm)"},
        {"2021-04-13T13:01:13+", 20, "expected the zone's hours"},
        {"2021-04-13T13:01:13 +", 21, "expected the zone's hours"},
        {"2021-04-13T13:01:13+24:00", 20, "zone offset out of range"},
        {"2021-04-13T13:01:13+530", 20, "zone offset out of range"},
        {"2021-04-13T13:01:13+05:60", 23, "zone minutes out of range"},
        {"2021-04-13T13:01:13+0560", 22, "zone minutes out of range"},
        {"2021-04-13T13:01:13+05:3", 23, "expected the zone's two-digit minutes"},
        {"2021-04-13T13:01:13+05:", 23, "expected the zone's two-digit minutes"},
        {"2021-04-13T13:01:13+053", 22, "expected the zone's two-digit minutes"},
        {"2021-04-13T13:01:13+5:3", 22, "expected the zone's two-digit minutes"},
        {"2021-04-13T13:01:13+05:30x", 25, "unexpected text after the date"},
        {"2021-04-13T13:01:13+05:30:00", 25, "unexpected text after the date"},
        {"2021-04-13T13:01:13Z Z", 21, "unexpected text after the date"},
        {"2021-04-13T13:01:13Z 2021", 21, "unexpected text after the date"},
    };
    for (size_t i = 0; i < N_OF(cases); i++) {
        dt t = {42, 42, 42};
        size_t pos = 9999;
        const char *why = NULL;
        int r = parse(cases[i].in, strlen(cases[i].in), 0, &t, &pos, &why);
        if (r != -1) fail_msg("\"%s\" was accepted", cases[i].in);
        if (pos != cases[i].pos || !why || strcmp(why, cases[i].why) != 0)
            fail_msg("\"%s\": got %zu \"%s\", want %zu \"%s\"", cases[i].in, pos,
                     why ? why : "(null)", cases[i].pos, cases[i].why);
        /* A failed parse leaves *out alone. */
        assert_dt(t, 42, 42, 42);
    }
}

static void
test_parse_respects_length(void **state)
{
    /* The text is not NUL-terminated: only n bytes count. */
    static const char s[] = "2021-04-13T13:01:13+05:30";
    dt t;
    assert_int_equal(parse(s, 10, 0, &t, NULL, NULL), 0);
    assert_dt(t, 1618272000, 0, 0);
    assert_int_equal(parse(s, 19, 0, &t, NULL, NULL), 0);
    assert_dt(t, 1618318873, 0, 0);
    assert_int_equal(parse(s, 22, 0, &t, NULL, NULL), 0);
    assert_dt(t, 1618318873 - 18000, 18000, 0);

    size_t pos = 0;
    const char *why = NULL;
    assert_int_equal(parse(s, 20, 0, &t, &pos, &why), -1);
    assert_int_equal(pos, 20);
    assert_string_equal(why, "expected the zone's hours");

    /* An embedded NUL is just a wrong byte. */
    static const char nul[] = "2021-04\0-13";
    assert_int_equal(parse(nul, sizeof(nul) - 1, 0, &t, &pos, &why), -1);
    assert_int_equal(pos, 7);
    assert_string_equal(why, "expected '-' after the month");
}

static void
test_parse_null_diagnostics(void **state)
{
    dt t;
    assert_int_equal(dt_parse("nope", 4, 0, &t, NULL, NULL), -1);
    assert_int_equal(dt_parse("2021-04-13", 10, 0, &t, NULL, NULL), 0);
}

static void
test_parse_bad_default_offset(void **state)
{
    dt t;
    size_t pos = 9;
    const char *why = NULL;
    assert_int_equal(dt_parse("2021-04-13", 10, 86400, &t, &pos, &why), -1);
    assert_int_equal(pos, 0);
    assert_string_equal(why, "default zone offset out of range");
    assert_int_equal(dt_parse("2021-04-13", 10, -86400, &t, &pos, &why), -1);
    assert_int_equal(dt_parse("2021-04-13", 10, 86399, &t, &pos, &why), 0);
}

/* ---- calendar arithmetic ------------------------------------------------ */

static int
naive_month_days(int y, int m)
{
    static const int len[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    return m == 2 && leap ? 29 : len[m - 1];
}

/*
 * Walks every day of 0001..9999 with a plain y/m/d counter and checks that
 * dt_fields_of and dt_from_fields agree with it, in UTC and in a zone.
 */
static void
test_every_day(void **state)
{
    int y = 1, m = 1, d = 1, wday = 1, yday = 0; /* 0001-01-01 was a Monday */
    int64_t sec = -62135596800LL;
    while (y <= 9999) {
        dt_fields f;
        dt_fields_of((dt){sec + 45296, 0, 0}, &f); /* 12:34:56 */
        if (f.year != y || f.month != m || f.day != d || f.wday != wday || f.yday != yday ||
            f.hour != 12 || f.min != 34 || f.sec != 56)
            fail_msg("%04d-%02d-%02d: got %04d-%02d-%02d wday %d yday %d", y, m, d, f.year, f.month,
                     f.day, f.wday, f.yday);
        dt t;
        assert_int_equal(dt_from_fields(&f, -34200, &t), 0);
        assert_int_equal(t.sec, sec + 45296 + 34200);
        wday = (wday + 1) % 7;
        yday++;
        sec += 86400;
        if (++d > naive_month_days(y, m)) {
            d = 1;
            if (++m > 12) {
                m = 1;
                y++;
                yday = 0;
            }
        }
    }
}

static void
test_fields_of(void **state)
{
    dt_fields f;
    dt_fields_of((dt){1618299073, 19800, 0}, &f);
    assert_int_equal(f.year, 2021);
    assert_int_equal(f.month, 4);
    assert_int_equal(f.day, 13);
    assert_int_equal(f.hour, 13);
    assert_int_equal(f.min, 1);
    assert_int_equal(f.sec, 13);
    assert_int_equal(f.wday, 2);
    assert_int_equal(f.yday, 102);

    /* The same instant far west of UTC is still the previous evening. */
    dt_fields_of((dt){1618299073, -86340, 0}, &f);
    assert_int_equal(f.day, 12);
    assert_int_equal(f.hour, 7);
    assert_int_equal(f.min, 32);
    assert_int_equal(f.sec, 13);
    assert_int_equal(f.wday, 1);

    /* Before the epoch. */
    dt_fields_of((dt){-1, 0, 0}, &f);
    assert_int_equal(f.year, 1969);
    assert_int_equal(f.month, 12);
    assert_int_equal(f.day, 31);
    assert_int_equal(f.hour, 23);
    assert_int_equal(f.sec, 59);
    assert_int_equal(f.wday, 3);
    assert_int_equal(f.yday, 364);

    /* Last day of a leap year. */
    dt_fields_of(must_parse("2000-12-31T23:59:59-12:00"), &f);
    assert_int_equal(f.yday, 365);
}

static void
test_from_fields(void **state)
{
    dt_fields f = {2021, 4, 13, 13, 1, 13, 0, 0};
    dt t;
    assert_int_equal(dt_from_fields(&f, 19800, &t), 0);
    assert_dt(t, 1618299073, 19800, 0);

    /* wday and yday are outputs only. */
    f.wday = 99;
    f.yday = -5;
    assert_int_equal(dt_from_fields(&f, 19800, &t), 0);
    assert_dt(t, 1618299073, 19800, 0);

    /* A leap second folds into the next minute. */
    dt_fields leap = {2016, 12, 31, 23, 59, 60, 0, 0};
    assert_int_equal(dt_from_fields(&leap, 0, &t), 0);
    assert_dt(t, 1483228800, 0, 0);

    static const dt_fields bad[] = {
        {0, 1, 1, 0, 0, 0, 0, 0},     {10000, 1, 1, 0, 0, 0, 0, 0},
        {2021, 0, 1, 0, 0, 0, 0, 0},  {2021, 13, 1, 0, 0, 0, 0, 0},
        {2021, 2, 29, 0, 0, 0, 0, 0}, {2021, 4, 0, 0, 0, 0, 0, 0},
        {2021, 4, 31, 0, 0, 0, 0, 0}, {2021, 4, 1, -1, 0, 0, 0, 0},
        {2021, 4, 1, 24, 0, 0, 0, 0}, {2021, 4, 1, 0, -1, 0, 0, 0},
        {2021, 4, 1, 0, 60, 0, 0, 0}, {2021, 4, 1, 0, 0, -1, 0, 0},
        {2021, 4, 1, 0, 0, 61, 0, 0}, {-2147483647, 1, 1, 0, 0, 0, 0, 0},
    };
    for (size_t i = 0; i < N_OF(bad); i++) {
        t = (dt){7, 7, 7};
        assert_int_equal(dt_from_fields(&bad[i], 0, &t), -1);
        assert_dt(t, 7, 7, 7);
    }
    assert_int_equal(dt_from_fields(&f, 86400, &t), -1);
    assert_int_equal(dt_from_fields(&f, -86400, &t), -1);
    assert_int_equal(dt_from_fields(&f, 86399, &t), 0);
}

static void
test_cmp(void **state)
{
    dt a = must_parse("2021-04-13T13:01:13+05:30");
    dt b = must_parse("2021-04-13T07:31:13Z");
    assert_int_equal(dt_cmp(a, b), 0); /* same instant, other zone */
    dt c = must_parse("2021-04-13T07:31:13.000000001Z");
    assert_true(dt_cmp(a, c) < 0);
    assert_true(dt_cmp(c, a) > 0);
    dt d = must_parse("1969-12-31T23:59:59.5Z");
    assert_true(dt_cmp(d, a) < 0);
    assert_true(dt_cmp(a, d) > 0);
    assert_int_equal(dt_cmp(d, d), 0);
}

static void
test_now(void **state)
{
    dt a = dt_now();
    dt b = dt_now();
    assert_int_equal(a.off, 0);
    assert_true(a.nsec >= 0 && a.nsec <= 999999999);
    assert_true(a.sec > 1600000000); /* after September 2020 */
    assert_true(dt_cmp(a, b) <= 0);
}

/* ---- round trips -------------------------------------------------------- */

static const int32_t offsets[] = {0,     3600,  -3600,  19800, -19800,
                                  20700, 45900, -43200, 86340, -86340};

/*
 * Instants spread over 0001..9999 (a step that is not a whole number of
 * days or hours), in each zone, through dt_iso8601 and dt_parse and through
 * dt_fields_of and dt_from_fields.
 */
static void
test_round_trips(void **state)
{
    const int64_t lo = -62135596800LL + 86400, hi = 253402300799LL - 86400;
    const int64_t step = 9876543211LL / 1000;
    static const int32_t nsecs[] = {0, 1, 999999999, 250000000, 123456789, 1000};
    buf b = BUF_INIT;
    size_t k = 0;
    for (int64_t s = lo; s < hi; s += step, k++) {
        for (size_t i = 0; i < N_OF(offsets); i++) {
            dt t = {s, offsets[i], nsecs[k % N_OF(nsecs)]};
            buf_reset(&b);
            dt_iso8601(&b, t);
            dt u = must_parse(b.data);
            if (u.sec != t.sec || u.off != t.off || u.nsec != t.nsec)
                fail_msg("%s did not round-trip", b.data);

            buf_reset(&b);
            dt_iso8601_utc(&b, t);
            u = must_parse_off(b.data, 3600);
            assert_dt(u, t.sec, 0, t.nsec);

            dt_fields f;
            dt_fields_of(t, &f);
            assert_int_equal(dt_from_fields(&f, t.off, &u), 0);
            assert_dt(u, t.sec, t.off, 0);
        }
    }
    buf_free(&b);
}

/* ---- writing ------------------------------------------------------------ */

static void
test_rfc822(void **state)
{
    static const struct {
        const char *in, *want;
    } cases[] = {
        {"2021-04-13T13:01:13+05:30", "Tue, 13 Apr 2021 13:01:13 +0530"},
        {"2000-12-21T16:01:07+02:00", "Thu, 21 Dec 2000 16:01:07 +0200"},
        {"2021-04-03T03:04:05-07:00", "Sat, 03 Apr 2021 03:04:05 -0700"},
        {"1970-01-01T00:00:00Z", "Thu, 01 Jan 1970 00:00:00 +0000"},
        {"0005-01-02T12:00:00+05:30", "Sun, 02 Jan 0005 12:00:00 +0530"},
        {"9999-12-31T23:59:59.999-23:59", "Fri, 31 Dec 9999 23:59:59 -2359"},
    };
    buf b = BUF_INIT;
    for (size_t i = 0; i < N_OF(cases); i++) {
        buf_reset(&b);
        dt_rfc822(&b, must_parse(cases[i].in));
        check_buf(&b, cases[i].want, "rfc822", cases[i].in);
    }
    buf_free(&b);
}

static void
test_iso8601(void **state)
{
    static const struct {
        const char *in, *want, *utc;
    } cases[] = {
        {"2021-04-13T13:01:13+05:30", "2021-04-13T13:01:13+05:30", "2021-04-13T07:31:13Z"},
        {"2026-11-26T19:40:12Z", "2026-11-26T19:40:12+00:00", "2026-11-26T19:40:12Z"},
        {"2021-04-13", "2021-04-13T00:00:00+00:00", "2021-04-13T00:00:00Z"},
        {"2001-12-14 21:59:43.10 -5", "2001-12-14T21:59:43.1-05:00", "2001-12-15T02:59:43.1Z"},
        {"2021-04-13T13:01:13.000001+05:30", "2021-04-13T13:01:13.000001+05:30",
         "2021-04-13T07:31:13.000001Z"},
        {"2021-04-13T13:01:13.123456789-00:30", "2021-04-13T13:01:13.123456789-00:30",
         "2021-04-13T13:31:13.123456789Z"},
        {"0001-01-01T00:00:00+01:00", "0001-01-01T00:00:00+01:00", "0000-12-31T23:00:00Z"},
    };
    buf b = BUF_INIT;
    for (size_t i = 0; i < N_OF(cases); i++) {
        dt t = must_parse(cases[i].in);
        buf_reset(&b);
        dt_iso8601(&b, t);
        check_buf(&b, cases[i].want, "iso8601", cases[i].in);
        buf_reset(&b);
        dt_iso8601_utc(&b, t);
        check_buf(&b, cases[i].utc, "iso8601_utc", cases[i].in);
    }
    buf_free(&b);
    /* the stamp the store, logs and certificates keep: whole seconds */
    char stamp[21];
    dt_utc_stamp(1795722012, stamp);
    assert_string_equal(stamp, "2026-11-26T19:40:12Z");
    dt_utc_stamp(0, stamp);
    assert_string_equal(stamp, "1970-01-01T00:00:00Z");
    dt_utc_stamp(253402300799, stamp);
    assert_string_equal(stamp, "9999-12-31T23:59:59Z");
}

/* site.yaml's timezone: a zone as dates write it, or UTC */
static void
test_parse_zone(void **state)
{
    (void)state;
    static const struct {
        const char *in;
        int ok;
        int32_t off;
    } cases[] = {
        {"Z", 1, 0},      {"UTC", 1, 0},        {"+05:30", 1, 19800}, {"-0800", 1, -28800},
        {"+5", 1, 18000}, {"-00:30", 1, -1800}, {"+24:00", 0, 0},     {"+05:60", 0, 0},
        {"05:30", 0, 0},  {"+05:30x", 0, 0},    {"", 0, 0},           {"Europe/Paris", 0, 0},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        int32_t off = 12345;
        int rc = dt_parse_zone(cases[i].in, strlen(cases[i].in), &off);
        if ((rc == 0) != cases[i].ok || (rc == 0 && off != cases[i].off))
            fail_msg("dt_parse_zone(\"%s\"): rc %d, off %d", cases[i].in, rc, (int)off);
    }
}

/* Every format character on three datetimes, as Django writes them. */
static void
test_format_each_char(void **state)
{
    static const struct {
        const char *when, *fmt, *want;
    } cases[] = {
        {"2021-04-13T13:01:13.250000+05:30", "a", "p.m."},
        {"2021-04-13T13:01:13.250000+05:30", "A", "PM"},
        {"2021-04-13T13:01:13.250000+05:30", "b", "apr"},
        {"2021-04-13T13:01:13.250000+05:30", "c", "2021-04-13T13:01:13.250000+05:30"},
        {"2021-04-13T13:01:13.250000+05:30", "d", "13"},
        {"2021-04-13T13:01:13.250000+05:30", "D", "Tue"},
        {"2021-04-13T13:01:13.250000+05:30", "e", "+0530"},
        {"2021-04-13T13:01:13.250000+05:30", "E", "April"},
        {"2021-04-13T13:01:13.250000+05:30", "f", "1:01"},
        {"2021-04-13T13:01:13.250000+05:30", "F", "April"},
        {"2021-04-13T13:01:13.250000+05:30", "g", "1"},
        {"2021-04-13T13:01:13.250000+05:30", "G", "13"},
        {"2021-04-13T13:01:13.250000+05:30", "h", "01"},
        {"2021-04-13T13:01:13.250000+05:30", "H", "13"},
        {"2021-04-13T13:01:13.250000+05:30", "i", "01"},
        {"2021-04-13T13:01:13.250000+05:30", "I", "0"},
        {"2021-04-13T13:01:13.250000+05:30", "j", "13"},
        {"2021-04-13T13:01:13.250000+05:30", "l", "Tuesday"},
        {"2021-04-13T13:01:13.250000+05:30", "L", "False"},
        {"2021-04-13T13:01:13.250000+05:30", "m", "04"},
        {"2021-04-13T13:01:13.250000+05:30", "M", "Apr"},
        {"2021-04-13T13:01:13.250000+05:30", "n", "4"},
        {"2021-04-13T13:01:13.250000+05:30", "N", "April"},
        {"2021-04-13T13:01:13.250000+05:30", "o", "2021"},
        {"2021-04-13T13:01:13.250000+05:30", "O", "+0530"},
        {"2021-04-13T13:01:13.250000+05:30", "P", "1:01 p.m."},
        {"2021-04-13T13:01:13.250000+05:30", "r", "Tue, 13 Apr 2021 13:01:13 +0530"},
        {"2021-04-13T13:01:13.250000+05:30", "s", "13"},
        {"2021-04-13T13:01:13.250000+05:30", "S", "th"},
        {"2021-04-13T13:01:13.250000+05:30", "t", "30"},
        {"2021-04-13T13:01:13.250000+05:30", "T", "+0530"},
        {"2021-04-13T13:01:13.250000+05:30", "U", "1618299073"},
        {"2021-04-13T13:01:13.250000+05:30", "u", "250000"},
        {"2021-04-13T13:01:13.250000+05:30", "w", "2"},
        {"2021-04-13T13:01:13.250000+05:30", "W", "15"},
        {"2021-04-13T13:01:13.250000+05:30", "y", "21"},
        {"2021-04-13T13:01:13.250000+05:30", "Y", "2021"},
        {"2021-04-13T13:01:13.250000+05:30", "z", "103"},
        {"2021-04-13T13:01:13.250000+05:30", "Z", "19800"},
        {"2000-02-29T00:00:00-08:00", "a", "a.m."},
        {"2000-02-29T00:00:00-08:00", "A", "AM"},
        {"2000-02-29T00:00:00-08:00", "b", "feb"},
        {"2000-02-29T00:00:00-08:00", "c", "2000-02-29T00:00:00-08:00"},
        {"2000-02-29T00:00:00-08:00", "d", "29"},
        {"2000-02-29T00:00:00-08:00", "D", "Tue"},
        {"2000-02-29T00:00:00-08:00", "e", "-0800"},
        {"2000-02-29T00:00:00-08:00", "E", "February"},
        {"2000-02-29T00:00:00-08:00", "f", "12"},
        {"2000-02-29T00:00:00-08:00", "F", "February"},
        {"2000-02-29T00:00:00-08:00", "g", "12"},
        {"2000-02-29T00:00:00-08:00", "G", "0"},
        {"2000-02-29T00:00:00-08:00", "h", "12"},
        {"2000-02-29T00:00:00-08:00", "H", "00"},
        {"2000-02-29T00:00:00-08:00", "i", "00"},
        {"2000-02-29T00:00:00-08:00", "I", "0"},
        {"2000-02-29T00:00:00-08:00", "j", "29"},
        {"2000-02-29T00:00:00-08:00", "l", "Tuesday"},
        {"2000-02-29T00:00:00-08:00", "L", "True"},
        {"2000-02-29T00:00:00-08:00", "m", "02"},
        {"2000-02-29T00:00:00-08:00", "M", "Feb"},
        {"2000-02-29T00:00:00-08:00", "n", "2"},
        {"2000-02-29T00:00:00-08:00", "N", "Feb."},
        {"2000-02-29T00:00:00-08:00", "o", "2000"},
        {"2000-02-29T00:00:00-08:00", "O", "-0800"},
        {"2000-02-29T00:00:00-08:00", "P", "midnight"},
        {"2000-02-29T00:00:00-08:00", "r", "Tue, 29 Feb 2000 00:00:00 -0800"},
        {"2000-02-29T00:00:00-08:00", "s", "00"},
        {"2000-02-29T00:00:00-08:00", "S", "th"},
        {"2000-02-29T00:00:00-08:00", "t", "29"},
        {"2000-02-29T00:00:00-08:00", "T", "-0800"},
        {"2000-02-29T00:00:00-08:00", "U", "951811200"},
        {"2000-02-29T00:00:00-08:00", "u", "000000"},
        {"2000-02-29T00:00:00-08:00", "w", "2"},
        {"2000-02-29T00:00:00-08:00", "W", "9"},
        {"2000-02-29T00:00:00-08:00", "y", "00"},
        {"2000-02-29T00:00:00-08:00", "Y", "2000"},
        {"2000-02-29T00:00:00-08:00", "z", "60"},
        {"2000-02-29T00:00:00-08:00", "Z", "-28800"},
        {"2008-01-02T10:30:00.000123+02:00", "a", "a.m."},
        {"2008-01-02T10:30:00.000123+02:00", "A", "AM"},
        {"2008-01-02T10:30:00.000123+02:00", "b", "jan"},
        {"2008-01-02T10:30:00.000123+02:00", "c", "2008-01-02T10:30:00.000123+02:00"},
        {"2008-01-02T10:30:00.000123+02:00", "d", "02"},
        {"2008-01-02T10:30:00.000123+02:00", "D", "Wed"},
        {"2008-01-02T10:30:00.000123+02:00", "e", "+0200"},
        {"2008-01-02T10:30:00.000123+02:00", "E", "January"},
        {"2008-01-02T10:30:00.000123+02:00", "f", "10:30"},
        {"2008-01-02T10:30:00.000123+02:00", "F", "January"},
        {"2008-01-02T10:30:00.000123+02:00", "g", "10"},
        {"2008-01-02T10:30:00.000123+02:00", "G", "10"},
        {"2008-01-02T10:30:00.000123+02:00", "h", "10"},
        {"2008-01-02T10:30:00.000123+02:00", "H", "10"},
        {"2008-01-02T10:30:00.000123+02:00", "i", "30"},
        {"2008-01-02T10:30:00.000123+02:00", "I", "0"},
        {"2008-01-02T10:30:00.000123+02:00", "j", "2"},
        {"2008-01-02T10:30:00.000123+02:00", "l", "Wednesday"},
        {"2008-01-02T10:30:00.000123+02:00", "L", "True"},
        {"2008-01-02T10:30:00.000123+02:00", "m", "01"},
        {"2008-01-02T10:30:00.000123+02:00", "M", "Jan"},
        {"2008-01-02T10:30:00.000123+02:00", "n", "1"},
        {"2008-01-02T10:30:00.000123+02:00", "N", "Jan."},
        {"2008-01-02T10:30:00.000123+02:00", "o", "2008"},
        {"2008-01-02T10:30:00.000123+02:00", "O", "+0200"},
        {"2008-01-02T10:30:00.000123+02:00", "P", "10:30 a.m."},
        {"2008-01-02T10:30:00.000123+02:00", "r", "Wed, 02 Jan 2008 10:30:00 +0200"},
        {"2008-01-02T10:30:00.000123+02:00", "s", "00"},
        {"2008-01-02T10:30:00.000123+02:00", "S", "nd"},
        {"2008-01-02T10:30:00.000123+02:00", "t", "31"},
        {"2008-01-02T10:30:00.000123+02:00", "T", "+0200"},
        {"2008-01-02T10:30:00.000123+02:00", "U", "1199262600"},
        {"2008-01-02T10:30:00.000123+02:00", "u", "000123"},
        {"2008-01-02T10:30:00.000123+02:00", "w", "3"},
        {"2008-01-02T10:30:00.000123+02:00", "W", "1"},
        {"2008-01-02T10:30:00.000123+02:00", "y", "08"},
        {"2008-01-02T10:30:00.000123+02:00", "Y", "2008"},
        {"2008-01-02T10:30:00.000123+02:00", "z", "2"},
        {"2008-01-02T10:30:00.000123+02:00", "Z", "7200"},
    };
    for (size_t i = 0; i < N_OF(cases); i++)
        check_format(must_parse(cases[i].when), cases[i].fmt, cases[i].want);
}

/* A spread of dates through most characters at once, as Django writes them. */
static void
test_format_known_answers(void **state)
{
    static const struct {
        const char *when, *fmt, *want;
    } cases[] = {
        {"1970-01-01T00:00:00+00:00", "D, d M Y H:i:s O|jS F Y|N j, Y, P|o-W z t L w|c|r|U",
         "Thu, 01 Jan 1970 00:00:00 +0000|1st January 1970|Jan. 1, 1970, midnight|1970-1 1 31 "
         "False 4|1970-01-01T00:00:00+00:00|Thu, 01 Jan 1970 00:00:00 +0000|0"},
        {"1969-12-31T23:59:59+00:00", "D, d M Y H:i:s O|jS F Y|N j, Y, P|o-W z t L w|c|r|U",
         "Wed, 31 Dec 1969 23:59:59 +0000|31st December 1969|Dec. 31, 1969, 11:59 p.m.|1970-1 365 "
         "31 False 3|1969-12-31T23:59:59+00:00|Wed, 31 Dec 1969 23:59:59 +0000|-1"},
        {"2038-01-19T03:14:08+00:00", "D, d M Y H:i:s O|jS F Y|N j, Y, P|o-W z t L w|c|r|U",
         "Tue, 19 Jan 2038 03:14:08 +0000|19th January 2038|Jan. 19, 2038, 3:14 a.m.|2038-3 19 31 "
         "False 2|2038-01-19T03:14:08+00:00|Tue, 19 Jan 2038 03:14:08 +0000|2147483648"},
        {"1999-12-31T23:59:59.999999-05:00", "D, d M Y H:i:s O|jS F Y|N j, Y, P|o-W z t L w|c|r|U",
         "Fri, 31 Dec 1999 23:59:59 -0500|31st December 1999|Dec. 31, 1999, 11:59 p.m.|1999-52 365 "
         "31 False 5|1999-12-31T23:59:59.999999-05:00|Fri, 31 Dec 1999 23:59:59 -0500|946702799"},
        {"2004-12-31T18:00:00+01:00", "D, d M Y H:i:s O|jS F Y|N j, Y, P|o-W z t L w|c|r|U",
         "Fri, 31 Dec 2004 18:00:00 +0100|31st December 2004|Dec. 31, 2004, 6 p.m.|2004-53 366 31 "
         "True 5|2004-12-31T18:00:00+01:00|Fri, 31 Dec 2004 18:00:00 +0100|1104512400"},
        {"2005-01-01T00:00:00+00:00", "D, d M Y H:i:s O|jS F Y|N j, Y, P|o-W z t L w|c|r|U",
         "Sat, 01 Jan 2005 00:00:00 +0000|1st January 2005|Jan. 1, 2005, midnight|2004-53 1 31 "
         "False 6|2005-01-01T00:00:00+00:00|Sat, 01 Jan 2005 00:00:00 +0000|1104537600"},
        {"2008-12-29T12:00:00+00:00", "D, d M Y H:i:s O|jS F Y|N j, Y, P|o-W z t L w|c|r|U",
         "Mon, 29 Dec 2008 12:00:00 +0000|29th December 2008|Dec. 29, 2008, noon|2009-1 364 31 "
         "True 1|2008-12-29T12:00:00+00:00|Mon, 29 Dec 2008 12:00:00 +0000|1230552000"},
        {"2010-01-03T23:59:00-02:00", "D, d M Y H:i:s O|jS F Y|N j, Y, P|o-W z t L w|c|r|U",
         "Sun, 03 Jan 2010 23:59:00 -0200|3rd January 2010|Jan. 3, 2010, 11:59 p.m.|2009-53 3 31 "
         "False 0|2010-01-03T23:59:00-02:00|Sun, 03 Jan 2010 23:59:00 -0200|1262570340"},
        {"1900-03-01T06:07:08+09:00", "D, d M Y H:i:s O|jS F Y|N j, Y, P|o-W z t L w|c|r|U",
         "Thu, 01 Mar 1900 06:07:08 +0900|1st March 1900|March 1, 1900, 6:07 a.m.|1900-9 60 31 "
         "False 4|1900-03-01T06:07:08+09:00|Thu, 01 Mar 1900 06:07:08 +0900|-2203901572"},
        {"1600-02-29T12:30:00+00:00", "D, d M Y H:i:s O|jS F Y|N j, Y, P|o-W z t L w|c|r|U",
         "Tue, 29 Feb 1600 12:30:00 +0000|29th February 1600|Feb. 29, 1600, 12:30 p.m.|1600-9 60 "
         "29 True 2|1600-02-29T12:30:00+00:00|Tue, 29 Feb 1600 12:30:00 +0000|-11670953400"},
        {"9999-12-31T23:59:59+23:59", "D, d M Y H:i:s O|jS F Y|N j, Y, P|o-W z t L w|c|r|U",
         "Fri, 31 Dec 9999 23:59:59 +2359|31st December 9999|Dec. 31, 9999, 11:59 p.m.|9999-52 365 "
         "31 False 5|9999-12-31T23:59:59+23:59|Fri, 31 Dec 9999 23:59:59 +2359|253402214459"},
        {"1000-01-01T00:00:00-23:59", "D, d M Y H:i:s O|jS F Y|N j, Y, P|o-W z t L w|c|r|U",
         "Wed, 01 Jan 1000 00:00:00 -2359|1st January 1000|Jan. 1, 1000, midnight|1000-1 1 31 "
         "False 3|1000-01-01T00:00:00-23:59|Wed, 01 Jan 1000 00:00:00 -2359|-30610137660"},
        /* Django 3.2 writes Y as "1" here; see test_format_small_years. */
        {"0001-01-01T00:00:00+00:00", "D, d M Y H:i:s O|jS F Y|N j, Y, P|o-W z t L w|c|r|U",
         "Mon, 01 Jan 0001 00:00:00 +0000|1st January 0001|Jan. 1, 0001, midnight|1-1 1 31 False "
         "1|0001-01-01T00:00:00+00:00|Mon, 01 Jan 0001 00:00:00 +0000|-62135596800"},
        {"6305-03-13T20:00:04-23:59", "D, d M Y H:i:s O|jS F Y|N j, Y, P|o-W z t L w|c|r|U",
         "Mon, 13 Mar 6305 20:00:04 -2359|13th March 6305|March 13, 6305, 8 p.m.|6305-11 72 31 "
         "False 1|6305-03-13T20:00:04-23:59|Mon, 13 Mar 6305 20:00:04 -2359|136805659144"},
        {"2542-06-19T01:15:02+05:30", "D, d M Y H:i:s O|jS F Y|N j, Y, P|o-W z t L w|c|r|U",
         "Tue, 19 Jun 2542 01:15:02 +0530|19th June 2542|June 19, 2542, 1:15 a.m.|2542-25 170 30 "
         "False 2|2542-06-19T01:15:02+05:30|Tue, 19 Jun 2542 01:15:02 +0530|18065187902"},
        {"8104-07-03T07:00:35-12:00", "D, d M Y H:i:s O|jS F Y|N j, Y, P|o-W z t L w|c|r|U",
         "Thu, 03 Jul 8104 07:00:35 -1200|3rd July 8104|July 3, 8104, 7 a.m.|8104-27 185 31 True "
         "4|8104-07-03T07:00:35-12:00|Thu, 03 Jul 8104 07:00:35 -1200|193586266835"},
        {"1968-10-04T07:00:36-12:00", "D, d M Y H:i:s O|jS F Y|N j, Y, P|o-W z t L w|c|r|U",
         "Fri, 04 Oct 1968 07:00:36 -1200|4th October 1968|Oct. 4, 1968, 7 a.m.|1968-40 278 31 "
         "True 5|1968-10-04T07:00:36-12:00|Fri, 04 Oct 1968 07:00:36 -1200|-39157164"},
        {"1812-04-02T17:15:18-12:00", "D, d M Y H:i:s O|jS F Y|N j, Y, P|o-W z t L w|c|r|U",
         "Thu, 02 Apr 1812 17:15:18 -1200|2nd April 1812|April 2, 1812, 5:15 p.m.|1812-14 93 30 "
         "True 4|1812-04-02T17:15:18-12:00|Thu, 02 Apr 1812 17:15:18 -1200|-4978003482"},
        {"3363-09-04T18:30:35-08:00", "D, d M Y H:i:s O|jS F Y|N j, Y, P|o-W z t L w|c|r|U",
         "Sun, 04 Sep 3363 18:30:35 -0800|4th September 3363|Sept. 4, 3363, 6:30 p.m.|3363-35 247 "
         "30 False 0|3363-09-04T18:30:35-08:00|Sun, 04 Sep 3363 18:30:35 -0800|43980201035"},
        {"2688-10-19T20:15:23+05:30", "D, d M Y H:i:s O|jS F Y|N j, Y, P|o-W z t L w|c|r|U",
         "Fri, 19 Oct 2688 20:15:23 +0530|19th October 2688|Oct. 19, 2688, 8:15 p.m.|2688-42 293 "
         "31 True 5|2688-10-19T20:15:23+05:30|Fri, 19 Oct 2688 20:15:23 +0530|22683163523"},
        {"9974-12-03T18:00:39+05:45", "D, d M Y H:i:s O|jS F Y|N j, Y, P|o-W z t L w|c|r|U",
         "Tue, 03 Dec 9974 18:00:39 +0545|3rd December 9974|Dec. 3, 9974, 6 p.m.|9974-49 337 31 "
         "False 2|9974-12-03T18:00:39+05:45|Tue, 03 Dec 9974 18:00:39 +0545|252610920939"},
        {"9133-11-18T13:30:29+23:59", "D, d M Y H:i:s O|jS F Y|N j, Y, P|o-W z t L w|c|r|U",
         "Sat, 18 Nov 9133 13:30:29 +2359|18th November 9133|Nov. 18, 9133, 1:30 p.m.|9133-46 322 "
         "30 False 6|9133-11-18T13:30:29+23:59|Sat, 18 Nov 9133 13:30:29 +2359|226070141489"},
        {"6924-05-08T05:15:05-03:30", "D, d M Y H:i:s O|jS F Y|N j, Y, P|o-W z t L w|c|r|U",
         "Mon, 08 May 6924 05:15:05 -0330|8th May 6924|May 8, 6924, 5:15 a.m.|6924-19 129 31 True "
         "1|6924-05-08T05:15:05-03:30|Mon, 08 May 6924 05:15:05 -0330|156344201105"},
    };
    for (size_t i = 0; i < N_OF(cases); i++)
        check_format(must_parse(cases[i].when), cases[i].fmt, cases[i].want);
}

static void
test_format_times_of_day(void **state)
{
    static const struct {
        int hour, min;
        const char *want;
    } cases[] = {
        {0, 0, "midnight|12|a.m.|AM|12|0|12|00"},
        {0, 5, "12:05 a.m.|12:05|a.m.|AM|12|0|12|00"},
        {0, 30, "12:30 a.m.|12:30|a.m.|AM|12|0|12|00"},
        {1, 0, "1 a.m.|1|a.m.|AM|1|1|01|01"},
        {1, 5, "1:05 a.m.|1:05|a.m.|AM|1|1|01|01"},
        {1, 30, "1:30 a.m.|1:30|a.m.|AM|1|1|01|01"},
        {2, 0, "2 a.m.|2|a.m.|AM|2|2|02|02"},
        {2, 5, "2:05 a.m.|2:05|a.m.|AM|2|2|02|02"},
        {2, 30, "2:30 a.m.|2:30|a.m.|AM|2|2|02|02"},
        {3, 0, "3 a.m.|3|a.m.|AM|3|3|03|03"},
        {3, 5, "3:05 a.m.|3:05|a.m.|AM|3|3|03|03"},
        {3, 30, "3:30 a.m.|3:30|a.m.|AM|3|3|03|03"},
        {4, 0, "4 a.m.|4|a.m.|AM|4|4|04|04"},
        {4, 5, "4:05 a.m.|4:05|a.m.|AM|4|4|04|04"},
        {4, 30, "4:30 a.m.|4:30|a.m.|AM|4|4|04|04"},
        {5, 0, "5 a.m.|5|a.m.|AM|5|5|05|05"},
        {5, 5, "5:05 a.m.|5:05|a.m.|AM|5|5|05|05"},
        {5, 30, "5:30 a.m.|5:30|a.m.|AM|5|5|05|05"},
        {6, 0, "6 a.m.|6|a.m.|AM|6|6|06|06"},
        {6, 5, "6:05 a.m.|6:05|a.m.|AM|6|6|06|06"},
        {6, 30, "6:30 a.m.|6:30|a.m.|AM|6|6|06|06"},
        {7, 0, "7 a.m.|7|a.m.|AM|7|7|07|07"},
        {7, 5, "7:05 a.m.|7:05|a.m.|AM|7|7|07|07"},
        {7, 30, "7:30 a.m.|7:30|a.m.|AM|7|7|07|07"},
        {8, 0, "8 a.m.|8|a.m.|AM|8|8|08|08"},
        {8, 5, "8:05 a.m.|8:05|a.m.|AM|8|8|08|08"},
        {8, 30, "8:30 a.m.|8:30|a.m.|AM|8|8|08|08"},
        {9, 0, "9 a.m.|9|a.m.|AM|9|9|09|09"},
        {9, 5, "9:05 a.m.|9:05|a.m.|AM|9|9|09|09"},
        {9, 30, "9:30 a.m.|9:30|a.m.|AM|9|9|09|09"},
        {10, 0, "10 a.m.|10|a.m.|AM|10|10|10|10"},
        {10, 5, "10:05 a.m.|10:05|a.m.|AM|10|10|10|10"},
        {10, 30, "10:30 a.m.|10:30|a.m.|AM|10|10|10|10"},
        {11, 0, "11 a.m.|11|a.m.|AM|11|11|11|11"},
        {11, 5, "11:05 a.m.|11:05|a.m.|AM|11|11|11|11"},
        {11, 30, "11:30 a.m.|11:30|a.m.|AM|11|11|11|11"},
        {12, 0, "noon|12|p.m.|PM|12|12|12|12"},
        {12, 5, "12:05 p.m.|12:05|p.m.|PM|12|12|12|12"},
        {12, 30, "12:30 p.m.|12:30|p.m.|PM|12|12|12|12"},
        {13, 0, "1 p.m.|1|p.m.|PM|1|13|01|13"},
        {13, 5, "1:05 p.m.|1:05|p.m.|PM|1|13|01|13"},
        {13, 30, "1:30 p.m.|1:30|p.m.|PM|1|13|01|13"},
        {14, 0, "2 p.m.|2|p.m.|PM|2|14|02|14"},
        {14, 5, "2:05 p.m.|2:05|p.m.|PM|2|14|02|14"},
        {14, 30, "2:30 p.m.|2:30|p.m.|PM|2|14|02|14"},
        {15, 0, "3 p.m.|3|p.m.|PM|3|15|03|15"},
        {15, 5, "3:05 p.m.|3:05|p.m.|PM|3|15|03|15"},
        {15, 30, "3:30 p.m.|3:30|p.m.|PM|3|15|03|15"},
        {16, 0, "4 p.m.|4|p.m.|PM|4|16|04|16"},
        {16, 5, "4:05 p.m.|4:05|p.m.|PM|4|16|04|16"},
        {16, 30, "4:30 p.m.|4:30|p.m.|PM|4|16|04|16"},
        {17, 0, "5 p.m.|5|p.m.|PM|5|17|05|17"},
        {17, 5, "5:05 p.m.|5:05|p.m.|PM|5|17|05|17"},
        {17, 30, "5:30 p.m.|5:30|p.m.|PM|5|17|05|17"},
        {18, 0, "6 p.m.|6|p.m.|PM|6|18|06|18"},
        {18, 5, "6:05 p.m.|6:05|p.m.|PM|6|18|06|18"},
        {18, 30, "6:30 p.m.|6:30|p.m.|PM|6|18|06|18"},
        {19, 0, "7 p.m.|7|p.m.|PM|7|19|07|19"},
        {19, 5, "7:05 p.m.|7:05|p.m.|PM|7|19|07|19"},
        {19, 30, "7:30 p.m.|7:30|p.m.|PM|7|19|07|19"},
        {20, 0, "8 p.m.|8|p.m.|PM|8|20|08|20"},
        {20, 5, "8:05 p.m.|8:05|p.m.|PM|8|20|08|20"},
        {20, 30, "8:30 p.m.|8:30|p.m.|PM|8|20|08|20"},
        {21, 0, "9 p.m.|9|p.m.|PM|9|21|09|21"},
        {21, 5, "9:05 p.m.|9:05|p.m.|PM|9|21|09|21"},
        {21, 30, "9:30 p.m.|9:30|p.m.|PM|9|21|09|21"},
        {22, 0, "10 p.m.|10|p.m.|PM|10|22|10|22"},
        {22, 5, "10:05 p.m.|10:05|p.m.|PM|10|22|10|22"},
        {22, 30, "10:30 p.m.|10:30|p.m.|PM|10|22|10|22"},
        {23, 0, "11 p.m.|11|p.m.|PM|11|23|11|23"},
        {23, 5, "11:05 p.m.|11:05|p.m.|PM|11|23|11|23"},
        {23, 30, "11:30 p.m.|11:30|p.m.|PM|11|23|11|23"},
    };
    for (size_t i = 0; i < N_OF(cases); i++) {
        dt_fields f = {2021, 4, 13, cases[i].hour, cases[i].min, 0, 0, 0};
        dt t;
        assert_int_equal(dt_from_fields(&f, 0, &t), 0);
        check_format(t, "P|f|a|A|g|G|h|H", cases[i].want);
    }
}

static void
test_format_ordinals(void **state)
{
    static const char *const want[31] = {
        "st", "nd", "rd", "th", "th", "th", "th", "th", "th", "th", "th",
        "th", "th", "th", "th", "th", "th", "th", "th", "th", "st", "nd",
        "rd", "th", "th", "th", "th", "th", "th", "th", "st",
    };
    for (int d = 1; d <= 31; d++) {
        dt_fields f = {2021, 1, d, 0, 0, 0, 0, 0};
        dt t;
        assert_int_equal(dt_from_fields(&f, 0, &t), 0);
        check_format(t, "S", want[d - 1]);
    }
}

static void
test_format_iso_weeks(void **state)
{
    static const struct {
        const char *when, *want;
    } cases[] = {
        {"2004-12-31", "53 2004"}, {"2005-01-01", "53 2004"}, {"2005-01-02", "53 2004"},
        {"2005-01-03", "1 2005"},  {"2008-12-28", "52 2008"}, {"2008-12-29", "1 2009"},
        {"2009-12-31", "53 2009"}, {"2010-01-03", "53 2009"}, {"2010-01-04", "1 2010"},
        {"2020-12-31", "53 2020"}, {"2021-01-03", "53 2020"}, {"2021-01-04", "1 2021"},
        {"2026-12-31", "53 2026"}, {"2027-01-01", "53 2026"}, {"0001-01-01", "1 1"},
        {"9999-12-31", "52 9999"},
    };
    for (size_t i = 0; i < N_OF(cases); i++)
        check_format(must_parse(cases[i].when), "W o", cases[i].want);
}

/* Django's backslash rule, including its odd "\\d" -> "\d". */
static void
test_format_escapes(void **state)
{
    static const struct {
        const char *fmt, *want;
    } cases[] = {
        {"\\d", "d"},
        {"\\\\d", "\\d"},
        {"\\\\\\d", "\\d"},
        {"a\\", "p.m.\\"},
        {"\\", "\\"},
        {"\\\nd", "\\\n13"},
        {"\\Y\\e\\a\\r: Y", "Year: 2021"},
        {"l \\t\\h\\e jS", "Tuesday the 13th"},
        {"\\\\", "\\"},
        {"x\\yz", "xy103"},
    };
    dt t = must_parse("2021-04-13T13:01:13+05:30");
    for (size_t i = 0; i < N_OF(cases); i++)
        check_format(t, cases[i].fmt, cases[i].want);
}

static void
test_format_other_bytes(void **state)
{
    dt t = must_parse("2021-04-13T13:01:13+05:30");
    /* Letters that are not format characters, punctuation and UTF-8 pass through. */
    check_format(t, "B k p q R v x X", "B k p q R v x X");
    check_format(t, "d. \xc3\xa9\xc3\xa9 \\\xc3\xa9", "13. \xc3\xa9\xc3\xa9 \xc3\xa9");
    check_format(t, "", "");

    /* fmtlen, not a NUL, ends the format; a NUL inside is copied. */
    buf b = BUF_INIT;
    dt_format(&b, "d\0m", 3, t);
    assert_int_equal(b.len, 5);
    assert_memory_equal(b.data,
                        "13\0"
                        "04",
                        5);
    buf_reset(&b);
    dt_format(&b, "d-m-Y", 3, t);
    check_buf(&b, "13-04", "format", "d-m (length 3)");
    buf_free(&b);
}

static void
test_format_fractions(void **state)
{
    /* u and c use microseconds, as Python's datetime does; c omits zero. */
    check_format(must_parse("2021-04-13T13:01:13Z"), "u|c", "000000|2021-04-13T13:01:13+00:00");
    check_format(must_parse("2021-04-13T13:01:13.5Z"), "u|c",
                 "500000|2021-04-13T13:01:13.500000+00:00");
    check_format(must_parse("2021-04-13T13:01:13.000000999Z"), "u|c",
                 "000000|2021-04-13T13:01:13+00:00");
    check_format(must_parse("2021-04-13T13:01:13.999999999Z"), "u|s",
                 "999999|13"); /* truncated, never rounded up */
}

static void
test_format_offsets(void **state)
{
    /* Checked against Django with timezone(timedelta(seconds=...)). */
    dt t = must_parse("2021-04-13T13:01:13Z");
    t.off = 19815; /* +05:30:15, possible through dt_from_fields only */
    check_format(t, "O|Z|c|r",
                 "+0530|19815|2021-04-13T18:31:28+05:30:15|"
                 "Tue, 13 Apr 2021 18:31:28 +053015");
    t.off = -19815;
    check_format(t, "O|Z|c|r",
                 "-0530|-19815|2021-04-13T07:30:58-05:30:15|"
                 "Tue, 13 Apr 2021 07:30:58 -053015");
    t.off = -1;
    check_format(t, "O|Z|c", "-0000|-1|2021-04-13T13:01:12-00:00:01");
    /* e and T: hone's deviation, the offset instead of a zone name. */
    check_format(must_parse("2021-04-13T13:01:13-03:30"), "e|T|I", "-0330|-0330|0");
}

static void
test_format_small_years(void **state)
{
    /* Django 3.2 writes Y as "5"; hone pads to four digits like Django >= 4.0. */
    dt t = must_parse("0005-01-02T12:00:00+05:30");
    check_format(t, "Y", "0005");
    check_format(
        t, "y|o|W|c|r|U|L|z",
        "05|4|53|0005-01-02T12:00:00+05:30|Sun, 02 Jan 0005 12:00:00 +0530|-62009256600|False|2");
}

/* A hand-made dt outside the documented ranges is clamped, not trusted. */
static void
test_format_out_of_range(void **state)
{
    buf b = BUF_INIT;
    dt_iso8601(&b, (dt){INT64_MAX, 0, 0});
    check_buf(&b, "10000-12-30T00:00:00+00:00", "iso8601", "INT64_MAX");
    buf_reset(&b);
    dt_iso8601(&b, (dt){INT64_MIN, 0, 0});
    check_buf(&b, "0000-01-02T00:00:00+00:00", "iso8601", "INT64_MIN");
    buf_reset(&b);
    dt_iso8601(&b, (dt){0, 86400, -5});
    check_buf(&b, "1970-01-01T00:00:00+00:00", "iso8601", "bad off and nsec");
    buf_reset(&b);
    dt_format(&b, "c r U W o", 9, (dt){INT64_MAX, INT32_MIN, INT32_MAX});
    assert_int_equal(b.err, 0);
    buf_free(&b);

    dt_fields f;
    dt_fields_of((dt){INT64_MIN, INT32_MAX, 0}, &f);
    assert_int_equal(f.year, 0);
}

static void
test_format_respects_buf_limit(void **state)
{
    buf b = BUF_INIT;
    b.limit = 8;
    dt_format(&b, "l, jS F Y", 9, must_parse("2021-04-13"));
    assert_int_equal(b.err, 1);
    assert_true(b.len <= 8);
    buf_free(&b);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_parse_known_answers),
        cmocka_unit_test(test_parse_date_only),
        cmocka_unit_test(test_parse_zones),
        cmocka_unit_test(test_parse_separators),
        cmocka_unit_test(test_parse_time_forms),
        cmocka_unit_test(test_parse_fractions),
        cmocka_unit_test(test_parse_leap_days),
        cmocka_unit_test(test_parse_month_lengths),
        cmocka_unit_test(test_parse_blanks),
        cmocka_unit_test(test_parse_leap_second),
        cmocka_unit_test(test_parse_errors),
        cmocka_unit_test(test_parse_respects_length),
        cmocka_unit_test(test_parse_null_diagnostics),
        cmocka_unit_test(test_parse_bad_default_offset),
        cmocka_unit_test(test_every_day),
        cmocka_unit_test(test_fields_of),
        cmocka_unit_test(test_from_fields),
        cmocka_unit_test(test_cmp),
        cmocka_unit_test(test_now),
        cmocka_unit_test(test_round_trips),
        cmocka_unit_test(test_rfc822),
        cmocka_unit_test(test_iso8601),
        cmocka_unit_test(test_parse_zone),
        cmocka_unit_test(test_format_each_char),
        cmocka_unit_test(test_format_known_answers),
        cmocka_unit_test(test_format_times_of_day),
        cmocka_unit_test(test_format_ordinals),
        cmocka_unit_test(test_format_iso_weeks),
        cmocka_unit_test(test_format_escapes),
        cmocka_unit_test(test_format_other_bytes),
        cmocka_unit_test(test_format_fractions),
        cmocka_unit_test(test_format_offsets),
        cmocka_unit_test(test_format_small_years),
        cmocka_unit_test(test_format_out_of_range),
        cmocka_unit_test(test_format_respects_buf_limit),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
