/*
 * dt: dates as (instant, own offset), calendar by arithmetic.  See dt.h.
 *
 * Why no libc time functions: localtime/mktime read the build machine's TZ
 * and keep static state, and gmtime/timegm cannot show a post in its
 * author's +0530.  Everything here is two integer conversions instead --
 * days since 1970-01-01 <-> proleptic Gregorian (year, month, day), after
 * Howard Hinnant's days_from_civil / civil_from_days -- so a dt renders the
 * same on every machine, from any thread, with no state at all.
 *
 * Data flow: dt_parse and dt_from_fields turn local calendar fields plus an
 * offset into the UTC instant; dt_fields_of turns the instant plus its
 * offset back into local fields, and every writer (dt_format, dt_rfc822,
 * dt_iso8601) works from those fields.  A leap second "23:59:60" is accepted
 * on input and folded into the next second, as POSIX time does; it is
 * therefore never produced on output.
 *
 * Range: input is limited to years 0001..9999 (what Python's datetime, and
 * hence Django, can represent).  A dt built by hand outside that range is
 * clamped just past its ends before any field is computed, so no arithmetic
 * here can overflow, whatever the caller put into the struct.
 *
 * dt_format follows Django's dateformat.py character by character,
 * including its backslash rule (a format letter right after a backslash is
 * literal; elsewhere "\x" becomes "x").  Deviations: e and T write the offset
 * (+0530) because hone knows no zone names; I is always 0 because a fixed
 * offset has no DST; Y is zero-padded to four digits as in Django >= 4.0.
 */
#include "dt.h"

#include <string.h>
#include <time.h>

#define DAY 86400

/* ---- calendar arithmetic ---------------------------------------------- */

static int
is_leap(int64_t y)
{
    return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static int
month_days(int64_t y, int m)
{
    static const unsigned char len[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    return m == 2 && is_leap(y) ? 29 : len[m - 1];
}

/* Division rounding toward minus infinity, for instants before 1970. */
static int64_t
floor_div(int64_t a, int64_t b)
{
    int64_t q = a / b;
    return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q;
}

/* Days from 1970-01-01 to y-m-d (Hinnant); eras make it exact for y < 0. */
static int64_t
days_from_civil(int64_t y, int m, int d)
{
    y -= m <= 2;
    int64_t era = floor_div(y, 400);
    int64_t yoe = y - era * 400;                                  /* 0..399 */
    int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1; /* from March 1 */
    int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;          /* 0..146096 */
    return era * 146097 + doe - 719468;
}

/* The inverse: days since 1970-01-01 to y-m-d. */
static void
civil_from_days(int64_t z, int64_t *y, int *m, int *d)
{
    z += 719468;
    int64_t era = floor_div(z, 146097);
    int64_t doe = z - era * 146097;
    int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    int64_t mp = (5 * doy + 2) / 153;
    *d = (int)(doy - (153 * mp + 2) / 5 + 1);
    *m = (int)(mp < 10 ? mp + 3 : mp - 9);
    *y = yoe + era * 400 + (*m <= 2);
}

/* 0 = Sunday. 1970-01-01 was a Thursday. */
static int
weekday(int64_t days)
{
    return (int)((days % 7 + 7 + 4) % 7);
}

static int
valid_off(int64_t off)
{
    return off > -DAY && off < DAY;
}

/*
 * The instants whose local date, under any valid offset, lies in years
 * 0..10000: a hand-made dt is clamped to these before its fields are
 * computed.
 */
static int64_t
min_sec(void)
{
    return days_from_civil(0, 1, 2) * DAY;
}

static int64_t
max_sec(void)
{
    return days_from_civil(10000, 12, 30) * DAY;
}

/* t with every member forced into its documented range. */
static dt
normalize(dt t)
{
    if (t.sec < min_sec()) t.sec = min_sec();
    if (t.sec > max_sec()) t.sec = max_sec();
    if (!valid_off(t.off)) t.off = 0;
    if (t.nsec < 0 || t.nsec > 999999999) t.nsec = 0;
    return t;
}

void
dt_fields_of(dt t, dt_fields *f)
{
    t = normalize(t);
    int64_t local = t.sec + t.off;
    int64_t days = floor_div(local, DAY);
    int rem = (int)(local - days * DAY);
    int64_t y;
    civil_from_days(days, &y, &f->month, &f->day);
    f->year = (int)y;
    f->hour = rem / 3600;
    f->min = rem / 60 % 60;
    f->sec = rem % 60;
    f->wday = weekday(days);
    f->yday = (int)(days - days_from_civil(y, 1, 1));
}

/*
 * dt_from_fields' range check.  dt_parse checks the same ranges field by
 * field as it reads them, to blame the right column.
 */
static int
fields_ok(const dt_fields *f)
{
    return f->year >= 1 && f->year <= 9999 && f->month >= 1 && f->month <= 12 && f->day >= 1 &&
           f->day <= month_days(f->year, f->month) && f->hour >= 0 && f->hour <= 23 &&
           f->min >= 0 && f->min <= 59 && f->sec >= 0 && f->sec <= 60;
}

static dt
make(const dt_fields *f, int32_t off, int32_t nsec)
{
    int64_t days = days_from_civil(f->year, f->month, f->day);
    dt t = {days * DAY + f->hour * 3600 + f->min * 60 + f->sec - off, off, nsec};
    return t;
}

int
dt_from_fields(const dt_fields *f, int32_t off, dt *out)
{
    if (!fields_ok(f) || !valid_off(off)) return -1;
    *out = make(f, off, 0);
    return 0;
}

int
dt_cmp(dt a, dt b)
{
    if (a.sec != b.sec) return a.sec < b.sec ? -1 : 1;
    if (a.nsec != b.nsec) return a.nsec < b.nsec ? -1 : 1;
    return 0;
}

dt
dt_now(void)
{
    struct timespec ts;
    dt t = {0, 0, 0};
    if (clock_gettime(CLOCK_REALTIME, &ts) == 0) {
        t.sec = (int64_t)ts.tv_sec;
        t.nsec = (int32_t)ts.tv_nsec;
    }
    return t;
}

/* ---- parsing ------------------------------------------------------------ */

/*
 * A cursor over s[i..end).  The first failure is recorded (position and
 * reason) and makes every later step fail, so the grammar below reads as a
 * straight sequence of steps with one check at the end.
 */
typedef struct scan {
    const char *s;
    size_t i, end;
    size_t errpos;
    const char *why;
} scan;

static int
fail(scan *sc, size_t pos, const char *why)
{
    if (!sc->why) {
        sc->errpos = pos;
        sc->why = why;
    }
    return -1;
}

static int
peek(const scan *sc)
{
    return sc->i < sc->end ? (unsigned char)sc->s[sc->i] : -1;
}

static int
is_digit(int c)
{
    return c >= '0' && c <= '9';
}

static int
is_blank(int c)
{
    return c == ' ' || c == '\t';
}

/* Reads min..max decimal digits into *v; returns how many, or -1. */
static int
digits(scan *sc, int min, int max, int *v, const char *why)
{
    if (sc->why) return -1;
    int n = 0;
    *v = 0;
    while (n < max && is_digit(peek(sc))) {
        *v = *v * 10 + (sc->s[sc->i++] - '0');
        n++;
    }
    return n < min ? fail(sc, sc->i - (size_t)n, why) : n;
}

static int
expect(scan *sc, char c, const char *why)
{
    if (sc->why) return -1;
    if (peek(sc) != c) return fail(sc, sc->i, why);
    sc->i++;
    return 0;
}

/* Checks lo <= v <= hi, blaming the field that starts at pos. */
static int
in_range(scan *sc, int v, int lo, int hi, size_t pos, const char *why)
{
    if (sc->why) return -1;
    return v < lo || v > hi ? fail(sc, pos, why) : 0;
}

/* YYYY-M[M]-D[D], validating the day against its month. */
static void
scan_date(scan *sc, dt_fields *f)
{
    size_t pos = sc->i;
    digits(sc, 4, 4, &f->year, "expected a four-digit year");
    in_range(sc, f->year, 1, 9999, pos, "year out of range");
    expect(sc, '-', "expected '-' after the year");
    pos = sc->i;
    digits(sc, 1, 2, &f->month, "expected a month");
    in_range(sc, f->month, 1, 12, pos, "month out of range");
    expect(sc, '-', "expected '-' after the month");
    pos = sc->i;
    digits(sc, 1, 2, &f->day, "expected a day");
    if (!sc->why) in_range(sc, f->day, 1, month_days(f->year, f->month), pos, "day out of range");
}

/* The fraction after "ss.": any number of digits, the first nine kept. */
static int32_t
scan_fraction(scan *sc)
{
    int32_t ns = 0;
    int n = 0;
    while (is_digit(peek(sc))) {
        if (n++ < 9) ns = ns * 10 + (sc->s[sc->i] - '0');
        sc->i++;
    }
    for (; n < 9; n++)
        ns *= 10;
    return ns;
}

/* H[H]:MM[:SS[.fff]] */
static void
scan_time(scan *sc, dt_fields *f, int32_t *nsec)
{
    size_t pos = sc->i;
    digits(sc, 1, 2, &f->hour, "expected an hour");
    in_range(sc, f->hour, 0, 23, pos, "hour out of range");
    expect(sc, ':', "expected ':' after the hour");
    pos = sc->i;
    digits(sc, 2, 2, &f->min, "expected two-digit minutes");
    in_range(sc, f->min, 0, 59, pos, "minute out of range");
    if (sc->why || peek(sc) != ':') return;
    sc->i++;
    pos = sc->i;
    digits(sc, 2, 2, &f->sec, "expected two-digit seconds");
    in_range(sc, f->sec, 0, 60, pos, "second out of range");
    if (!sc->why && peek(sc) == '.') {
        sc->i++;
        *nsec = scan_fraction(sc);
    }
}

/* Z, or +H[H][[:]MM] (minutes without a colon only after two hour digits). */
static void
scan_zone(scan *sc, int32_t *off)
{
    int c = peek(sc);
    if (c == 'Z' || c == 'z') {
        sc->i++;
        *off = 0;
        return;
    }
    if (c != '+' && c != '-') {
        fail(sc, sc->i, "expected a zone (Z or +hh:mm)");
        return;
    }
    sc->i++;
    size_t pos = sc->i;
    int h = 0, m = 0;
    int nh = digits(sc, 1, 2, &h, "expected the zone's hours");
    in_range(sc, h, 0, 23, pos, "zone offset out of range");
    int colon = !sc->why && peek(sc) == ':';
    sc->i += (size_t)colon;
    if (colon || (nh == 2 && is_digit(peek(sc)))) {
        pos = sc->i;
        digits(sc, 2, 2, &m, "expected the zone's two-digit minutes");
        in_range(sc, m, 0, 59, pos, "zone minutes out of range");
    }
    *off = (int32_t)((h * 3600 + m * 60) * (c == '-' ? -1 : 1));
}

int
dt_parse_zone(const char *s, size_t n, int32_t *off)
{
    if (n == 3 && (memcmp(s, "UTC", 3) == 0 || memcmp(s, "utc", 3) == 0)) {
        *off = 0;
        return 0;
    }
    scan sc = {s, 0, n, 0, NULL};
    scan_zone(&sc, off);
    return sc.why || sc.i != sc.end ? -1 : 0;
}

/* Narrows [i, end) to the text between leading and trailing blanks. */
static void
trim(scan *sc)
{
    while (sc->i < sc->end && (is_blank(peek(sc)) || peek(sc) == '\n' || peek(sc) == '\r'))
        sc->i++;
    while (sc->end > sc->i) {
        char c = sc->s[sc->end - 1];
        if (!is_blank(c) && c != '\n' && c != '\r') break;
        sc->end--;
    }
}

/* After the date: the separator, the time, and an optional zone. */
static void
scan_rest(scan *sc, dt_fields *f, int32_t *off, int32_t *nsec)
{
    int c = peek(sc);
    if (c == 'T' || c == 't') {
        sc->i++;
    } else if (is_blank(c)) {
        while (is_blank(peek(sc)))
            sc->i++;
    } else {
        fail(sc, sc->i, "unexpected text after the date");
        return;
    }
    scan_time(sc, f, nsec);
    if (sc->why) return;
    while (is_blank(peek(sc)))
        sc->i++;
    if (sc->i < sc->end) scan_zone(sc, off);
}

int
dt_parse(const char *s, size_t n, int32_t default_off, dt *out, size_t *errpos, const char **why)
{
    scan sc = {s, 0, n, 0, NULL};
    dt_fields f = {0, 1, 1, 0, 0, 0, 0, 0};
    int32_t off = default_off, nsec = 0;
    if (!valid_off(default_off)) fail(&sc, 0, "default zone offset out of range");
    trim(&sc);
    if (sc.i == sc.end) fail(&sc, sc.i, "expected a date");
    scan_date(&sc, &f);
    if (!sc.why && sc.i < sc.end) scan_rest(&sc, &f, &off, &nsec);
    while (!sc.why && is_blank(peek(&sc)))
        sc.i++; /* blame the stray text, not the blank before it */
    if (!sc.why && sc.i < sc.end) fail(&sc, sc.i, "unexpected text after the date");
    if (sc.why) {
        if (errpos) *errpos = sc.errpos;
        if (why) *why = sc.why;
        return -1;
    }
    *out = make(&f, off, nsec);
    return 0;
}

/* ---- writing ------------------------------------------------------------ */

static const char *const month_name[12] = {"January",   "February", "March",    "April",
                                           "May",       "June",     "July",     "August",
                                           "September", "October",  "November", "December"};
static const char *const month_ap[12] = {"Jan.", "Feb.", "March", "April", "May",  "June",
                                         "July", "Aug.", "Sept.", "Oct.",  "Nov.", "Dec."};
static const char *const month_abbr[12] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                           "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
static const char *const month_lower[12] = {"jan", "feb", "mar", "apr", "may", "jun",
                                            "jul", "aug", "sep", "oct", "nov", "dec"};
static const char *const day_name[7] = {"Sunday",   "Monday", "Tuesday", "Wednesday",
                                        "Thursday", "Friday", "Saturday"};
static const char *const day_abbr[7] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};

/*
 * Everything a format character may need, computed once per call: the
 * clamped dt and its local fields.
 */
typedef struct when {
    dt t;
    dt_fields f;
} when;

static when
when_of(dt t)
{
    when w;
    w.t = normalize(t);
    dt_fields_of(w.t, &w.f);
    return w;
}

/* ISO 8601 weeks of year y: 53 when it starts or (leap) ends on a Thursday. */
static int
iso_weeks(int64_t y)
{
    int jan1 = weekday(days_from_civil(y, 1, 1));
    return jan1 == 4 || (jan1 == 3 && is_leap(y)) ? 53 : 52;
}

/* ISO week number and its week-numbering year. */
static void
iso_week(const dt_fields *f, int *week, int *year)
{
    int isowd = f->wday ? f->wday : 7;
    int w = (f->yday + 1 - isowd + 10) / 7;
    *year = f->year;
    if (w < 1) {
        *year = f->year - 1;
        w = iso_weeks(*year);
    } else if (w > iso_weeks(f->year)) {
        *year = f->year + 1;
        w = 1;
    }
    *week = w;
}

/* v in decimal, zero-padded to width (vsnprintf was a tenth of a build
 * that formats a date on every page). */
static void
put_num(buf *out, long long v, int width)
{
    char tmp[24];
    int k = (int)sizeof(tmp);
    unsigned long long u = v < 0 ? 0ULL - (unsigned long long)v : (unsigned long long)v;
    do {
        tmp[--k] = (char)('0' + u % 10);
        u /= 10;
    } while (u);
    while ((int)sizeof(tmp) - k < width && k > 1)
        tmp[--k] = '0';
    if (v < 0) tmp[--k] = '-';
    buf_put(out, tmp + k, sizeof(tmp) - (size_t)k);
}

/*
 * The zone offset as Python writes it: sign, hours, minutes, and seconds
 * only when there are any; sep goes between the parts (":" or "").
 * Django's O never shows seconds: with_sec = 0.
 */
static void
put_offset(buf *out, int32_t off, const char *sep, int with_sec)
{
    int a = off < 0 ? -off : off;
    buf_putc(out, off < 0 ? '-' : '+');
    put_num(out, a / 3600, 2);
    buf_puts(out, sep);
    put_num(out, a / 60 % 60, 2);
    if (with_sec && a % 60) {
        buf_puts(out, sep);
        put_num(out, a % 60, 2);
    }
}

static void
put_ymd_hms(buf *out, const dt_fields *f)
{
    put_num(out, f->year, 4);
    buf_putc(out, '-');
    put_num(out, f->month, 2);
    buf_putc(out, '-');
    put_num(out, f->day, 2);
    buf_putc(out, 'T');
    put_num(out, f->hour, 2);
    buf_putc(out, ':');
    put_num(out, f->min, 2);
    buf_putc(out, ':');
    put_num(out, f->sec, 2);
}

/* Django's c, i.e. Python's isoformat(): microseconds, or none. */
static void
put_isoformat(buf *out, const when *w)
{
    put_ymd_hms(out, &w->f);
    if (w->t.nsec / 1000) {
        buf_putc(out, '.');
        put_num(out, w->t.nsec / 1000, 6);
    }
    put_offset(out, w->t.off, ":", 1);
}

/* The fraction with trailing zeros dropped: ".25", ".000001", ... */
static void
put_nanos(buf *out, int32_t nsec)
{
    if (!nsec) return;
    int digits = 9;
    while (nsec % 10 == 0) {
        nsec /= 10;
        digits--;
    }
    buf_putc(out, '.');
    put_num(out, nsec, digits);
}

static void
put_rfc5322(buf *out, const when *w)
{
    const dt_fields *f = &w->f;
    buf_puts(out, day_abbr[f->wday]);
    buf_puts(out, ", ");
    put_num(out, f->day, 2);
    buf_putc(out, ' ');
    buf_puts(out, month_abbr[f->month - 1]);
    buf_putc(out, ' ');
    put_num(out, f->year, 4);
    buf_putc(out, ' ');
    put_num(out, f->hour, 2);
    buf_putc(out, ':');
    put_num(out, f->min, 2);
    buf_putc(out, ':');
    put_num(out, f->sec, 2);
    buf_putc(out, ' ');
    put_offset(out, w->t.off, "", 1);
}

static const char *
ordinal(int day)
{
    if (day >= 11 && day <= 13) return "th";
    switch (day % 10) {
    case 1: return "st";
    case 2: return "nd";
    case 3: return "rd";
    default: return "th";
    }
}

static int
hour12(int h)
{
    return h % 12 ? h % 12 : 12;
}

/* Django's f: "1", "1:30". */
static void
put_short_time(buf *out, const dt_fields *f)
{
    put_num(out, hour12(f->hour), 0);
    if (f->min) {
        buf_putc(out, ':');
        put_num(out, f->min, 2);
    }
}

/* Django's P: "midnight", "noon", "1 a.m.", "1:30 p.m.". */
static void
put_p(buf *out, const dt_fields *f)
{
    if (f->min == 0 && (f->hour == 0 || f->hour == 12)) {
        buf_puts(out, f->hour ? "noon" : "midnight");
        return;
    }
    put_short_time(out, f);
    buf_puts(out, f->hour > 11 ? " p.m." : " a.m.");
}

/* Day, week and year characters; 0 if c is none of them. */
static int
put_date_char(buf *out, char c, const when *w)
{
    const dt_fields *f = &w->f;
    int week, wyear;
    switch (c) {
    case 'd': put_num(out, f->day, 2); break;
    case 'j': put_num(out, f->day, 0); break;
    case 'D': buf_puts(out, day_abbr[f->wday]); break;
    case 'l': buf_puts(out, day_name[f->wday]); break;
    case 'S': buf_puts(out, ordinal(f->day)); break;
    case 'w': put_num(out, f->wday, 0); break;
    case 'z': put_num(out, f->yday + 1, 0); break;
    case 't': put_num(out, month_days(f->year, f->month), 2); break;
    case 'y': put_num(out, f->year % 100, 2); break;
    case 'Y': put_num(out, f->year, 4); break;
    case 'L': buf_puts(out, is_leap(f->year) ? "True" : "False"); break;
    case 'W':
    case 'o':
        iso_week(f, &week, &wyear);
        put_num(out, c == 'W' ? week : wyear, 0);
        break;
    default: return 0;
    }
    return 1;
}

/* Month characters; 0 if c is none of them. */
static int
put_month_char(buf *out, char c, const when *w)
{
    int m = w->f.month;
    switch (c) {
    case 'm': put_num(out, m, 2); break;
    case 'n': put_num(out, m, 0); break;
    case 'M': buf_puts(out, month_abbr[m - 1]); break;
    case 'b': buf_puts(out, month_lower[m - 1]); break;
    case 'N': buf_puts(out, month_ap[m - 1]); break;
    case 'F':
    case 'E': buf_puts(out, month_name[m - 1]); break;
    default: return 0;
    }
    return 1;
}

/* Time-of-day characters; 0 if c is none of them. */
static int
put_time_char(buf *out, char c, const when *w)
{
    const dt_fields *f = &w->f;
    switch (c) {
    case 'a': buf_puts(out, f->hour > 11 ? "p.m." : "a.m."); break;
    case 'A': buf_puts(out, f->hour > 11 ? "PM" : "AM"); break;
    case 'f': put_short_time(out, f); break;
    case 'g': put_num(out, hour12(f->hour), 0); break;
    case 'G': put_num(out, f->hour, 0); break;
    case 'h': put_num(out, hour12(f->hour), 2); break;
    case 'H': put_num(out, f->hour, 2); break;
    case 'i': put_num(out, f->min, 2); break;
    case 's': put_num(out, f->sec, 2); break;
    case 'u': put_num(out, (int)(w->t.nsec / 1000), 6); break;
    case 'P': put_p(out, f); break;
    default: return 0;
    }
    return 1;
}

/* Zone and whole-date characters; 0 if c is none of them. */
static int
put_zone_char(buf *out, char c, const when *w)
{
    switch (c) {
    case 'e':
    case 'T':
    case 'O': put_offset(out, w->t.off, "", 0); break;
    case 'Z': put_num(out, (int)w->t.off, 0); break;
    case 'I': buf_putc(out, '0'); break;
    case 'U': put_num(out, (long long)w->t.sec, 0); break;
    case 'c': put_isoformat(out, w); break;
    case 'r': put_rfc5322(out, w); break;
    default: return 0;
    }
    return 1;
}

/*
 * Django's rule, from its two regular expressions: a format letter is one
 * not preceded by a backslash; in the text between, "\x" is x for any x but
 * a newline.  So "\d" is "d", and "\\d" is "\d" (not "\" and the day).
 */
void
dt_format(buf *out, const char *fmt, size_t fmtlen, dt t)
{
    static const char letters[] = "aAbcdDeEfFgGhHiIjlLmMnNoOPrsStTUuwWyYzZ";
    when w = when_of(t);
    for (size_t i = 0; i < fmtlen; i++) {
        char c = fmt[i];
        int escaped = i > 0 && fmt[i - 1] == '\\';
        if (!escaped && memchr(letters, c, sizeof(letters) - 1)) {
            if (!put_date_char(out, c, &w) && !put_month_char(out, c, &w) &&
                !put_time_char(out, c, &w))
                put_zone_char(out, c, &w);
        } else if (c == '\\' && i + 1 < fmtlen && fmt[i + 1] != '\n') {
            buf_putc(out, fmt[++i]);
        } else {
            buf_putc(out, c);
        }
    }
}

void
dt_rfc822(buf *out, dt t)
{
    when w = when_of(t);
    put_rfc5322(out, &w);
}

void
dt_iso8601(buf *out, dt t)
{
    when w = when_of(t);
    put_ymd_hms(out, &w.f);
    put_nanos(out, w.t.nsec);
    put_offset(out, w.t.off, ":", 1);
}

void
dt_utc_stamp(int64_t sec, char out[21])
{
    buf b = BUF_INIT;
    dt_iso8601_utc(&b, (dt){sec, 0, 0});
    size_t n = b.len < 20 ? b.len : 20;
    memcpy(out, b.data, n);
    out[n] = '\0';
    buf_free(&b);
}

void
dt_iso8601_utc(buf *out, dt t)
{
    t.off = 0;
    when w = when_of(t);
    put_ymd_hms(out, &w.f);
    put_nanos(out, w.t.nsec);
    buf_putc(out, 'Z');
}
