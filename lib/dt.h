/*
 * dt: points in time that remember their own zone offset.
 *
 * A post written at "2021-04-13T13:01:13+05:30" must show, in its page and
 * in its feed, the author's own +0530 -- not the build machine's zone.  So
 * hone never calls the libc time-zone machinery (localtime, TZ): a dt is
 * the instant (seconds since the Unix epoch, UTC) plus the offset east of
 * UTC in seconds, and the calendar fields are computed from those two with
 * pure arithmetic.  That also makes every function here thread-safe.
 */
#ifndef HONE_DT_H
#define HONE_DT_H

#include <stddef.h>
#include <stdint.h>

#include "buf.h"

typedef struct dt {
    int64_t sec;  /* seconds since 1970-01-01T00:00:00Z */
    int32_t off;  /* zone offset, seconds east of UTC, |off| < 86400 */
    int32_t nsec; /* fraction of a second, 0..999999999 */
} dt;

/* Calendar fields of t in its own zone. */
typedef struct dt_fields {
    int year, month, day; /* month 1..12, day 1..31 */
    int hour, min, sec;   /* 0..23, 0..59, 0..60 */
    int wday;             /* 0 = Sunday .. 6 */
    int yday;             /* 0..365 */
} dt_fields;

/*
 * Parses a YAML timestamp or ISO 8601 / RFC 3339 date-time:
 *   2021-04-13
 *   2021-04-13T13:01:13Z   2021-04-13T13:01:13+05:30   ...+0530   ...+05
 *   2021-04-13 13:01:13    2021-04-13 13:01:13 +05:30  (YAML's space forms)
 *   2021-04-13T13:01:13.250-07:00                       (fractions kept)
 *   2021-04-13T13:01                                    (no seconds)
 * A value without a zone takes default_off.  Leading/trailing blanks are
 * ignored.  Returns 0, or -1 with *errpos set to the byte offset in s where
 * the text stops being a date (for a file:line:col diagnostic) and *why to
 * a short static reason ("month out of range", ...).  Both may be NULL.
 */
int dt_parse(const char *s, size_t n, int32_t default_off, dt *out, size_t *errpos,
             const char **why);

void dt_fields_of(dt t, dt_fields *f);

/* Builds a dt from calendar fields in zone off; -1 if a field is out of range. */
int dt_from_fields(const dt_fields *f, int32_t off, dt *out);

/*
 * Formats t with Django's date format characters (the `date` filter and the
 * `now` tag): d j D l N S w z W m n M b F E y Y L o t a A f g G h H i s u
 * e O P T Z U c r I, and backslash escapes.  Unknown letters are copied.
 * The zone is t's own offset; its name (e, T) is written as the offset
 * (+0530), since hone never guesses zone names.
 */
void dt_format(buf *out, const char *fmt, size_t fmtlen, dt t);

void dt_rfc822(buf *out, dt t);      /* Tue, 13 Apr 2021 13:01:13 +0530 */
void dt_iso8601(buf *out, dt t);     /* 2021-04-13T13:01:13+05:30 */
void dt_iso8601_utc(buf *out, dt t); /* 2026-11-26T19:40:12Z */

/* A zone as dates write it ("Z", "+05:30", "-0800", "+5") or "UTC": 0 and
 * *off in seconds east of UTC, or -1. */
int dt_parse_zone(const char *s, size_t n, int32_t *off);

/* The second sec as "2026-11-26T19:40:12Z" (what the store, the logs and
 * the certificates keep); years 0..9999. */
void dt_utc_stamp(int64_t sec, char out[21]);

/* The current time as UTC (off = 0). */
dt dt_now(void);

/* <0, 0, >0 comparing the instants (offsets ignored). */
int dt_cmp(dt a, dt b);

#endif
