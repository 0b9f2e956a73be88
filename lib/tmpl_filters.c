/*
 * tmpl_filters: the built-in filters of hone's template engine.
 *
 * Every filter here is a static tmpl_filter_fn, registered by name in
 * tmpl_filters_register() with its argument rule (none, optional,
 * required) and Django's is_safe flag (TMPL_FILTER_KEEPS_SAFE: the
 * renderer marks the result safe when the input was a safe string).
 *
 * How data moves: a filter gets the value on the left and the argument,
 * turns what it needs into text (val_to_str, as Django's @stringfilter
 * does with str()), builds its result in a local buf, and copies that into
 * the render's arena (c->a).  A result that is a piece of the input (first,
 * slice of a list ...) points into the input, which lives at least as long
 * as the render.  Nothing here is static and mutable, so any number of
 * threads may run filters at once.
 *
 * Semantics are Django 3.2's, checked against Django itself, with these
 * deliberate differences:
 *
 *   - A wrong *argument* (truncatewords:"abc", slice:"a:b", yesno:"x") is
 *     an error (-1 with a message naming the filter), where Django would
 *     quietly return the input: a typo in a theme must not pass unseen.
 *     A value of the wrong type still gives "" (or the input) as Django's
 *     do, since data, unlike templates, varies from page to page.
 *   - Text is UTF-8 and counted in code points.  Case mapping knows ASCII,
 *     Latin-1, Latin Extended-A, the regular pairs of Latin Extended-B,
 *     Greek and Cyrillic; other letters are left as they are.  There is no
 *     Unicode normalization (truncatechars does not NFC first).
 *   - slugify folds more letters to ASCII than NFKD does (ß -> ss, æ -> ae,
 *     ø -> o, ł -> l ...), where Django would drop them.
 *   - add: int + float adds as floats (Django truncates the float with
 *     int()); int overflow is an error.
 *   - join escapes the separator only under autoescape (as later Django
 *     does, ticket #34578); 3.2 escapes it even with autoescape off.
 *   - striptags, truncatewords_html and truncatechars_html read HTML with
 *     lib/html.c, hone's one HTML reader: entity references pass through
 *     as written (Python's HTMLParser turns "AT&T rocks" into "AT&T;
 *     rocks"), a '>' inside a quoted attribute does not end a tag, a tag
 *     or comment cut off by the end of the text is dropped rather than
 *     kept as text, an end tag closes what was left open inside it, and
 *     truncatechars_html never splits an entity.
 *   - escape, force_escape and the linebreaks filters escape through
 *     esc_html, which also drops C0 control characters (for XML feeds).
 *   - truncatechars_html and truncatewords_html read all of the input:
 *     Django stops at 5,000,000 characters to bound its regexes, while
 *     lib/html.c is linear.
 *   - floatformat's "g" suffix groups thousands with "," as Django does
 *     with the English locale and USE_L10N on.
 *   - date and time also accept an ISO 8601 string (parsed with dt_parse).
 *   - json, absurl and cdata are hone's own (Django has none of them).
 */
#include "tmpl.h"

#include <inttypes.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "esc.h"
#include "html.h"
#include "utf8.h"

/* Bound on widths and precisions a template may ask for (center:N,
 * floatformat:N, stringformat:"10000d"), so that a typo cannot make a
 * render allocate gigabytes. */
enum { MAX_WIDTH = 100000 };

/* Django stops stripping tags after this many passes (MAX_STRIP_TAGS_DEPTH). */

typedef struct span {
    const char *s;
    size_t n;
} span;

/* ---- small helpers -------------------------------------------------- */

static int fail(const tmpl_fctx *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Writes a message into c->err; returns -1 for the filter to return. */
static int
fail(const tmpl_fctx *c, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    buf_vprintf(c->err, fmt, ap);
    va_end(ap);
    return -1;
}

/* At most 60 bytes of s for a message, cut at a code point boundary. */
static int
short_len(const char *s, size_t n)
{
    if (n <= 60) return (int)n;
    size_t k = 60;
    while (k > 0 && ((unsigned char)s[k] & 0xC0) == 0x80)
        k--;
    return (int)k;
}

/* The text of v, as Django's @stringfilter sees it (str(value)). */
static span
text_of(const tmpl_fctx *c, val v)
{
    val t = val_to_str(v, c->a);
    span r = {t.u.str.s ? t.u.str.s : "", t.u.str.n};
    return r;
}

static bool
is_safe_str(val v)
{
    return v.type == VAL_STR && v.safe;
}

/* A string val copied into the arena. */
static val
str_val(const tmpl_fctx *c, const char *s, size_t n, bool safe)
{
    val v = val_strdup(c->a, n ? s : "", n);
    v.safe = safe;
    return v;
}

/* The contents of b as a string val in the arena; frees b. */
static val
buf_val(const tmpl_fctx *c, buf *b, bool safe)
{
    val v = str_val(c, b->data, b->len, safe);
    buf_free(b);
    return v;
}

/* A view of part of the input (no copy). */
static val
view(const char *s, size_t n, bool safe)
{
    val v = val_str(n ? s : "", n);
    v.safe = safe;
    return v;
}

/* Decodes the code point at s[*i] and moves *i past it. */
static uint32_t
next_cp(const char *s, size_t n, size_t *i)
{
    uint32_t cp;
    *i += utf8_decode(s + *i, n - *i, &cp);
    return cp;
}

/* Python's str.isspace(): what split(), strip() and \s treat as blank. */
static bool
py_space(uint32_t cp)
{
    if (cp < 0x80) return cp == ' ' || (cp >= 0x09 && cp <= 0x0D) || (cp >= 0x1C && cp <= 0x1F);
    return cp == 0x85 || cp == 0xA0 || cp == 0x1680 || (cp >= 0x2000 && cp <= 0x200A) ||
           cp == 0x2028 || cp == 0x2029 || cp == 0x202F || cp == 0x205F || cp == 0x3000;
}

/* Length in bytes of the blank code point at s[i], or 0 if it is not one. */
static size_t
space_at(const char *s, size_t n, size_t i)
{
    unsigned char ch = (unsigned char)s[i];
    if (ch < 0x80) return py_space(ch) ? 1 : 0;
    uint32_t cp;
    size_t k = utf8_decode(s + i, n - i, &cp);
    return py_space(cp) ? k : 0;
}

/* Unicode combining marks (nonzero canonical combining class), the
 * common blocks: Truncator.chars does not count them. */
static bool
is_combining(uint32_t cp)
{
    return (cp >= 0x0300 && cp <= 0x036F && cp != 0x034F) || (cp >= 0x0483 && cp <= 0x0487) ||
           (cp >= 0x0591 && cp <= 0x05BD) || (cp >= 0x0610 && cp <= 0x061A) ||
           (cp >= 0x064B && cp <= 0x065F) || (cp >= 0x1AB0 && cp <= 0x1AFF) ||
           (cp >= 0x1DC0 && cp <= 0x1DFF) || (cp >= 0x20D0 && cp <= 0x20F0) ||
           (cp >= 0x3099 && cp <= 0x309A) || (cp >= 0xFE20 && cp <= 0xFE2F);
}

/* s without Python blanks at either end. */
static span
strip_space(const char *s, size_t n)
{
    size_t i = 0, k;
    while (i < n && (k = space_at(s, n, i)) > 0)
        i += k;
    size_t end = n;
    while (end > i) {
        size_t start = end - 1;
        while (start > i && ((unsigned char)s[start] & 0xC0) == 0x80)
            start--;
        if (space_at(s, end, start) == 0) break;
        end = start;
    }
    span r = {s + i, end - i};
    return r;
}

static bool
is_digit(char ch)
{
    return ch >= '0' && ch <= '9';
}

static bool
is_alpha(char ch)
{
    return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z');
}

static char
lower_ascii(char ch)
{
    return ch >= 'A' && ch <= 'Z' ? (char)(ch + 32) : ch;
}

/*
 * Python's int() of a string: blanks around it, a sign, decimal digits
 * with single underscores between them.  0 and *out, -1 when s is not an
 * integer, -2 when it does not fit in 64 bits.
 */
static int
parse_int(const char *str, size_t len, int64_t *out)
{
    span t = strip_space(str, len);
    const char *s = t.s;
    size_t n = t.n, i = 0;
    bool neg = false;
    if (i < n && (s[i] == '+' || s[i] == '-')) neg = s[i++] == '-';
    if (i >= n) return -1;
    uint64_t v = 0, lim = neg ? (uint64_t)INT64_MAX + 1 : (uint64_t)INT64_MAX;
    bool overflow = false;
    for (; i < n; i++) {
        if (s[i] == '_' && i > 0 && is_digit(s[i - 1]) && i + 1 < n && is_digit(s[i + 1])) continue;
        if (!is_digit(s[i])) return -1;
        unsigned d = (unsigned)(s[i] - '0');
        if (v > (lim - d) / 10)
            overflow = true;
        else
            v = v * 10 + d;
    }
    if (overflow) return -2;
    if (neg)
        *out = v == (uint64_t)INT64_MAX + 1 ? INT64_MIN : -(int64_t)v;
    else
        *out = (int64_t)v;
    return 0;
}

/* Digits with single underscores between them, from s[*i]; false if none. */
static bool
skip_digits(const char *s, size_t n, size_t *i, buf *out)
{
    size_t start = *i;
    while (*i < n) {
        if (is_digit(s[*i])) {
            buf_putc(out, s[*i]);
        } else if (!(s[*i] == '_' && *i > start && is_digit(s[*i - 1]) && *i + 1 < n &&
                     is_digit(s[*i + 1]))) {
            break;
        }
        (*i)++;
    }
    return *i > start;
}

/* Python's float() of a string ("1.5", " -2e3 ", "inf", "nan", "1_000.5"). */
static bool
parse_float(const char *str, size_t len, double *out)
{
    span t = strip_space(str, len);
    const char *s = t.s;
    size_t n = t.n, i = 0;
    buf clean = BUF_INIT;
    bool ok = false;
    if (i < n && (s[i] == '+' || s[i] == '-')) buf_putc(&clean, s[i++]);
    size_t rest = n - i;
    if ((rest == 3 && strncasecmp(s + i, "inf", 3) == 0) ||
        (rest == 8 && strncasecmp(s + i, "infinity", 8) == 0) ||
        (rest == 3 && strncasecmp(s + i, "nan", 3) == 0)) {
        buf_put(&clean, s + i, rest);
        ok = true;
    } else {
        bool intpart = skip_digits(s, n, &i, &clean), frac = false;
        if (i < n && s[i] == '.') {
            buf_putc(&clean, s[i++]);
            frac = skip_digits(s, n, &i, &clean);
        }
        ok = intpart || frac;
        if (ok && i < n && (s[i] == 'e' || s[i] == 'E')) {
            buf_putc(&clean, s[i++]);
            if (i < n && (s[i] == '+' || s[i] == '-')) buf_putc(&clean, s[i++]);
            ok = skip_digits(s, n, &i, &clean);
        }
        ok = ok && i == n;
    }
    if (ok) *out = strtod(buf_cstr(&clean), NULL);
    buf_free(&clean);
    return ok;
}

/* Python's int(v) for a value: ints, bools, finite floats (truncated) and
 * strings holding an integer. */
static bool
py_int(val v, int64_t *out)
{
    switch (v.type) {
    case VAL_INT: *out = v.u.i; return true;
    case VAL_BOOL: *out = v.u.b; return true;
    case VAL_FLOAT:
        if (!(v.u.f > -9223372036854775808.0 && v.u.f < 9223372036854775808.0)) return false;
        *out = (int64_t)v.u.f;
        return true;
    case VAL_STR: return parse_int(v.u.str.s, v.u.str.n, out) == 0;
    default: return false;
    }
}

/* The integer argument of filter name, or -1 with a message. */
static int
arg_int(const tmpl_fctx *c, const char *name, const val *arg, int64_t *out)
{
    if (!arg) return fail(c, "%s: an integer argument is required", name);
    if (arg->type == VAL_STR) {
        int r = parse_int(arg->u.str.s, arg->u.str.n, out);
        if (r == 0) return 0;
        return fail(c, "%s: argument must be an integer%s, got \"%.*s\"", name,
                    r == -2 ? " that fits in 64 bits" : "", short_len(arg->u.str.s, arg->u.str.n),
                    arg->u.str.s);
    }
    if (arg->type != VAL_NULL && py_int(*arg, out)) return 0;
    return fail(c, "%s: argument must be an integer, got %s", name, val_type_name(*arg));
}

/* The text of the argument of filter name, or -1 when there is none. */
static int
arg_text(const tmpl_fctx *c, const char *name, const val *arg, span *out)
{
    if (!arg) return fail(c, "%s: an argument is required", name);
    *out = text_of(c, *arg);
    return 0;
}

/* ---- case mapping --------------------------------------------------- */

/*
 * Upper case letters first..last (every step-th) whose lower case is
 * cp + delta.  Order matters where two runs give the same lower case
 * letter: the first one is its upper case (Θ, not ϴ, for θ).
 */
typedef struct case_run {
    uint32_t first, last;
    int32_t delta;
    uint32_t step;
} case_run;

static const case_run case_runs[] = {
    {0x0041, 0x005A, 32, 1}, {0x00C0, 0x00D6, 32, 1},   {0x00D8, 0x00DE, 32, 1},
    {0x0100, 0x012E, 1, 2},  {0x0132, 0x0136, 1, 2},    {0x0139, 0x0147, 1, 2},
    {0x014A, 0x0176, 1, 2},  {0x0178, 0x0178, -121, 1}, {0x0179, 0x017D, 1, 2},
    {0x01CD, 0x01DB, 1, 2},  {0x01DE, 0x01EE, 1, 2},    {0x01F8, 0x021E, 1, 2},
    {0x0222, 0x0232, 1, 2},  {0x0246, 0x024E, 1, 2},    {0x0370, 0x0372, 1, 2},
    {0x0376, 0x0376, 1, 1},  {0x037F, 0x037F, 116, 1},  {0x0386, 0x0386, 38, 1},
    {0x0388, 0x038A, 37, 1}, {0x038C, 0x038C, 64, 1},   {0x038E, 0x038F, 63, 1},
    {0x0391, 0x03A1, 32, 1}, {0x03A3, 0x03AB, 32, 1},   {0x03CF, 0x03CF, 8, 1},
    {0x03D8, 0x03EE, 1, 2},  {0x03F4, 0x03F4, -60, 1},  {0x03F7, 0x03F7, 1, 1},
    {0x03F9, 0x03F9, -7, 1}, {0x03FA, 0x03FA, 1, 1},    {0x03FD, 0x03FF, -130, 1},
    {0x0400, 0x040F, 80, 1}, {0x0410, 0x042F, 32, 1},   {0x0460, 0x0480, 1, 2},
    {0x048A, 0x04BE, 1, 2},  {0x04C0, 0x04C0, 15, 1},   {0x04C1, 0x04CD, 1, 2},
    {0x04D0, 0x052E, 1, 2},
};

/* Lower case letters whose upper case is not the inverse of a run. */
static const uint32_t upper_only[][2] = {
    {0x00B5, 0x039C}, {0x0131, 0x0049}, {0x017F, 0x0053}, {0x03C2, 0x03A3},
    {0x03D0, 0x0392}, {0x03D1, 0x0398}, {0x03D5, 0x03A6}, {0x03D6, 0x03A0},
    {0x03F0, 0x039A}, {0x03F1, 0x03A1}, {0x03F5, 0x0395},
};

/* Letters whose full mapping is more than one code point (NULL: the
 * simple mapping applies). */
typedef struct case_special {
    uint32_t cp;
    const char *lower, *upper, *title;
} case_special;

static const case_special case_specials[] = {
    {0x00DF, NULL, "SS", "Ss"},                                             /* ß */
    {0x0130, "i\xCC\x87", NULL, NULL},                                      /* İ */
    {0x0149, NULL, "\xCA\xBCN", "\xCA\xBCN"},                               /* ŉ */
    {0x01F0, NULL, "J\xCC\x8C", "J\xCC\x8C"},                               /* ǰ */
    {0x0390, NULL, "\xCE\x99\xCC\x88\xCC\x81", "\xCE\x99\xCC\x88\xCC\x81"}, /* ΐ */
    {0x03B0, NULL, "\xCE\xA5\xCC\x88\xCC\x81", "\xCE\xA5\xCC\x88\xCC\x81"}, /* ΰ */
};

/* Letters that have case but no mapping in these tables (for title()). */
static const uint32_t cased_other[] = {0x00AA, 0x00BA, 0x0138, 0x037A,
                                       0x03D2, 0x03D3, 0x03D4, 0x03FC};

static uint32_t
lower_cp(uint32_t cp)
{
    if (cp < 0x80) return cp >= 'A' && cp <= 'Z' ? cp + 32 : cp;
    for (size_t i = 0; i < sizeof(case_runs) / sizeof(case_runs[0]); i++) {
        const case_run *r = &case_runs[i];
        if (cp >= r->first && cp <= r->last && (cp - r->first) % r->step == 0)
            return (uint32_t)((int32_t)cp + r->delta);
    }
    return cp;
}

static uint32_t
upper_cp(uint32_t cp)
{
    if (cp < 0x80) return cp >= 'a' && cp <= 'z' ? cp - 32 : cp;
    for (size_t i = 0; i < sizeof(upper_only) / sizeof(upper_only[0]); i++)
        if (upper_only[i][0] == cp) return upper_only[i][1];
    for (size_t i = 0; i < sizeof(case_runs) / sizeof(case_runs[0]); i++) {
        const case_run *r = &case_runs[i];
        uint32_t u = (uint32_t)((int32_t)cp - r->delta);
        if (u >= r->first && u <= r->last && (u - r->first) % r->step == 0) return u;
    }
    return cp;
}

static const case_special *
special_of(uint32_t cp)
{
    for (size_t i = 0; i < sizeof(case_specials) / sizeof(case_specials[0]); i++)
        if (case_specials[i].cp == cp) return &case_specials[i];
    return NULL;
}

/* Python's "cased" property, as far as these tables know letters. */
static bool
is_cased(uint32_t cp)
{
    if (lower_cp(cp) != cp || upper_cp(cp) != cp || special_of(cp)) return true;
    for (size_t i = 0; i < sizeof(cased_other) / sizeof(cased_other[0]); i++)
        if (cased_other[i] == cp) return true;
    return false;
}

/* Characters the final-sigma rule looks through ("ΟΔΟΣ'" ends a word). */
static bool
case_ignorable(uint32_t cp)
{
    return cp == '\'' || cp == '.' || cp == ':' || cp == '^' || cp == '`' || cp == 0xA8 ||
           cp == 0xAD || cp == 0xAF || cp == 0xB4 || cp == 0xB7 || cp == 0xB8 ||
           (cp >= 0x0300 && cp <= 0x036F) || cp == 0x2018 || cp == 0x2019 || cp == 0x2024 ||
           cp == 0x2027;
}

enum case_mode { CASE_LOWER, CASE_UPPER, CASE_TITLE };

/* Is the Σ ending at s[i] the last letter of a word (Python's Final_Sigma,
 * given that a cased letter precedes it)? */
static bool
sigma_is_final(const char *s, size_t n, size_t i)
{
    while (i < n) {
        uint32_t cp = next_cp(s, n, &i);
        if (!case_ignorable(cp)) return !is_cased(cp);
    }
    return true;
}

/*
 * Appends code point cp (whose bytes in the input are src[0..len)) in case
 * mode m.  An unchanged code point is copied as its input bytes, so that
 * invalid UTF-8 passes through unchanged.
 */
static void
put_case(buf *b, const char *src, size_t len, uint32_t cp, enum case_mode m, bool final_sigma)
{
    const case_special *sp = cp >= 0x80 ? special_of(cp) : NULL;
    const char *full = !sp               ? NULL
                       : m == CASE_LOWER ? sp->lower
                       : m == CASE_UPPER ? sp->upper
                                         : sp->title;
    if (full) {
        buf_puts(b, full);
        return;
    }
    uint32_t to = m == CASE_LOWER ? lower_cp(cp) : upper_cp(cp);
    if (m == CASE_LOWER && cp == 0x03A3 && final_sigma) to = 0x03C2;
    if (to == cp)
        buf_put(b, src, len);
    else
        utf8_encode(b, to);
}

/*
 * Python's str.lower(), str.upper() and str.title() over s.  title: a
 * letter after a cased letter is lowered, any other is title-cased.
 */
static void
change_case(buf *b, const char *s, size_t n, enum case_mode m)
{
    bool prev_cased = false; /* the last letter not case-ignorable was cased */
    bool title_prev = false; /* title(): the previous code point was cased */
    size_t i = 0;
    while (i < n) {
        size_t start = i;
        uint32_t cp = next_cp(s, n, &i);
        enum case_mode cm = m;
        if (m == CASE_TITLE) cm = title_prev ? CASE_LOWER : CASE_TITLE;
        bool final = cm == CASE_LOWER && cp == 0x03A3 && prev_cased && sigma_is_final(s, n, i);
        put_case(b, s + start, i - start, cp, cm, final);
        title_prev = is_cased(cp);
        if (!case_ignorable(cp)) prev_cased = title_prev;
    }
}

/* ---- strings -------------------------------------------------------- */

static int
f_lower(const tmpl_fctx *c, val in, const val *arg, val *out)
{
    span t = text_of(c, in);
    buf b = BUF_INIT;
    change_case(&b, t.s, t.n, CASE_LOWER);
    *out = buf_val(c, &b, false);
    return 0;
}

static int
f_upper(const tmpl_fctx *c, val in, const val *arg, val *out)
{
    span t = text_of(c, in);
    buf b = BUF_INIT;
    change_case(&b, t.s, t.n, CASE_UPPER);
    *out = buf_val(c, &b, false);
    return 0;
}

/* Django's title: str.title(), then "they'Re" -> "they're" and
 * "1St" -> "1st" (ASCII letters and digits, as Django's regexes). */
static int
f_title(const tmpl_fctx *c, val in, const val *arg, val *out)
{
    span t = text_of(c, in);
    buf b = BUF_INIT;
    change_case(&b, t.s, t.n, CASE_TITLE);
    char *s = b.data;
    for (size_t i = 0; i + 2 < b.len; i++) {
        if (s[i] >= 'a' && s[i] <= 'z' && s[i + 1] == '\'' && s[i + 2] >= 'A' && s[i + 2] <= 'Z') {
            s[i + 2] = lower_ascii(s[i + 2]);
            i += 2;
        }
    }
    for (size_t i = 0; i + 1 < b.len; i++) {
        if (is_digit(s[i]) && s[i + 1] >= 'A' && s[i + 1] <= 'Z') {
            s[i + 1] = lower_ascii(s[i + 1]);
            i++;
        }
    }
    *out = buf_val(c, &b, false);
    return 0;
}

static int
f_capfirst(const tmpl_fctx *c, val in, const val *arg, val *out)
{
    span t = text_of(c, in);
    if (t.n == 0) {
        *out = view("", 0, false);
        return 0;
    }
    buf b = BUF_INIT;
    size_t i = 0;
    uint32_t cp = next_cp(t.s, t.n, &i);
    put_case(&b, t.s, i, cp, CASE_UPPER, false);
    buf_put(&b, t.s + i, t.n - i);
    *out = buf_val(c, &b, false);
    return 0;
}

/*
 * ASCII forms for slugify of U+00A0..U+024F, U+1E00..U+1EFF and
 * U+2070..U+209F, one character per code point: what NFKD followed by
 * dropping non-ASCII gives, plus base letters for the letters NFKD keeps
 * whole (ø, ł, đ, ħ ...).  '.' stands for "nothing": slugify drops it.
 */
static const char slug_latin[] = " ....... .a.... ..23 ... 1o....." /* 00A0 */
                                 "AAAAAA.CEEEEIIIIDNOOOOO.OUUUUY.." /* 00C0 */
                                 "aaaaaa.ceeeeiiiidnooooo.ouuuuy.y" /* 00E0 */
                                 "AaAaAaCcCcCcCcDdDdEeEeEeEeEeGgGg" /* 0100 */
                                 "GgGgHhHhIiIiIiIiIi..JjKkkLlLlLlL" /* 0120 */
                                 "lLlNnNnNnnNnOoOoOo..RrRrRrSsSsSs" /* 0140 */
                                 "SsTtTtTtUuUuUuUuUuUuWwYyYZzZzZzs" /* 0160 */
                                 "b................Ff............." /* 0180 */
                                 "Oo.............Uu..............." /* 01A0 */
                                 ".............AaIiOoUuUuUuUuUu.Aa" /* 01C0 */
                                 "Aa....GgKkOoOo..j...Gg..NnAa...." /* 01E0 */
                                 "AaAaEeEeIiIiOoOoRrRrUuUuSsTt..Hh" /* 0200 */
                                 "......AaEeOoOoOoOoYy...j........" /* 0220 */
                                 "................";                /* 0240 */

static const char slug_latin_add[] = "AaBbBbBbCcDdDdDdDdDdEeEeEeEeEeFf"  /* 1E00 */
                                     "GgHhHhHhHhHhIiIiKkKkKkLlLlLlLlMm"  /* 1E20 */
                                     "MmMmNnNnNnNnOoOoOoOoPpPpRrRrRrRr"  /* 1E40 */
                                     "SsSsSsSsSsTtTtTtTtUuUuUuUuUuVvVv"  /* 1E60 */
                                     "WwWwWwWwWwXxXxYyZzZzZzhtwyas...."  /* 1E80 */
                                     "AaAaAaAaAaAaAaAaAaAaAaAaEeEeEeEe"  /* 1EA0 */
                                     "EeEeEeEeIiIiOoOoOoOoOoOoOoOoOoOo"  /* 1EC0 */
                                     "OoOoUuUuUuUuUuUuUuYyYyYyYy......"; /* 1EE0 */

static const char slug_scripts[] = "0i..456789+.=()n0123456789+.=().aeox.hklmnpst..."; /* 2070 */

/* Code points that fold to more than one ASCII character. */
static const struct {
    uint32_t cp;
    const char *ascii;
} slug_multi[] = {
    {0x00BC, "14"},  {0x00BD, "12"},  {0x00BE, "34"}, {0x00C6, "AE"}, {0x00DE, "TH"},
    {0x00DF, "ss"},  {0x00E6, "ae"},  {0x00FE, "th"}, {0x0132, "IJ"}, {0x0133, "ij"},
    {0x0152, "OE"},  {0x0153, "oe"},  {0x01C4, "DZ"}, {0x01C5, "Dz"}, {0x01C6, "dz"},
    {0x01C7, "LJ"},  {0x01C8, "Lj"},  {0x01C9, "lj"}, {0x01CA, "NJ"}, {0x01CB, "Nj"},
    {0x01CC, "nj"},  {0x01F1, "DZ"},  {0x01F2, "Dz"}, {0x01F3, "dz"}, {0x1E9E, "SS"},
    {0x20A8, "Rs"},  {0x2122, "TM"},  {0xFB00, "ff"}, {0xFB01, "fi"}, {0xFB02, "fl"},
    {0xFB03, "ffi"}, {0xFB04, "ffl"}, {0xFB05, "st"}, {0xFB06, "st"},
};

/* Appends the ASCII folding of a non-ASCII code point (maybe nothing). */
static void
slug_fold(buf *b, uint32_t cp)
{
    for (size_t i = 0; i < sizeof(slug_multi) / sizeof(slug_multi[0]); i++) {
        if (slug_multi[i].cp == cp) {
            buf_puts(b, slug_multi[i].ascii);
            return;
        }
    }
    if (cp >= 0xA0 && cp < 0xA0 + sizeof(slug_latin) - 1)
        buf_putc(b, slug_latin[cp - 0xA0]);
    else if (cp >= 0x1E00 && cp < 0x1E00 + sizeof(slug_latin_add) - 1)
        buf_putc(b, slug_latin_add[cp - 0x1E00]);
    else if (cp >= 0x2070 && cp < 0x2070 + sizeof(slug_scripts) - 1)
        buf_putc(b, slug_scripts[cp - 0x2070]);
    else if ((cp >= 0x2000 && cp <= 0x200A) || cp == 0x2017 || cp == 0x202F || cp == 0x203E ||
             cp == 0x205F || cp == 0x3000)
        buf_putc(b, ' '); /* NFKD makes these a space */
    else if (cp >= 0xFF01 && cp <= 0xFF5E)
        buf_putc(b, (int)(cp - 0xFEE0)); /* fullwidth ASCII */
}

/*
 * Django's slugify: fold to ASCII, lower case, drop what is not a letter,
 * digit, underscore, hyphen or blank, turn each run of hyphens and blanks
 * into one hyphen, strip hyphens and underscores at both ends.
 */
void
tmpl_slugify(buf *out, const char *s, size_t n)
{
    buf ascii = BUF_INIT, b = BUF_INIT;
    for (size_t i = 0; i < n;) {
        unsigned char ch = (unsigned char)s[i];
        if (ch < 0x80) {
            buf_putc(&ascii, ch);
            i++;
        } else {
            slug_fold(&ascii, next_cp(s, n, &i));
        }
    }
    bool sep = false;
    for (size_t i = 0; i < ascii.len; i++) {
        char ch = lower_ascii(ascii.data[i]);
        if (ch == '-' || py_space((unsigned char)ch)) {
            sep = true;
        } else if (is_alpha(ch) || is_digit(ch) || ch == '_') {
            if (sep) buf_putc(&b, '-');
            sep = false;
            buf_putc(&b, ch);
        }
    }
    size_t start = 0, end = b.len;
    while (start < end && (b.data[start] == '-' || b.data[start] == '_'))
        start++;
    while (end > start && (b.data[end - 1] == '-' || b.data[end - 1] == '_'))
        end--;
    buf_put(out, b.data ? b.data + start : "", end - start);
    buf_free(&b);
    buf_free(&ascii);
}

static int
f_slugify(const tmpl_fctx *c, val in, const val *arg, val *out)
{
    span t = text_of(c, in);
    buf b = BUF_INIT;
    tmpl_slugify(&b, t.s, t.n);
    *out = str_val(c, buf_cstr(&b), b.len, false);
    buf_free(&b);
    return 0;
}

static int
f_addslashes(const tmpl_fctx *c, val in, const val *arg, val *out)
{
    span t = text_of(c, in);
    buf b = BUF_INIT;
    for (size_t i = 0; i < t.n; i++) {
        if (t.s[i] == '\\' || t.s[i] == '"' || t.s[i] == '\'') buf_putc(&b, '\\');
        buf_putc(&b, t.s[i]);
    }
    *out = buf_val(c, &b, false);
    return 0;
}

/* Django's escapejs: \uXXXX for what could end a JS string or a <script>. */
static int
f_escapejs(const tmpl_fctx *c, val in, const val *arg, val *out)
{
    span t = text_of(c, in);
    buf b = BUF_INIT;
    for (size_t i = 0; i < t.n;) {
        unsigned char ch = (unsigned char)t.s[i];
        if (ch < 0x80) {
            if (ch < 0x20 || strchr("\\'\"><&=-;`", ch))
                buf_printf(&b, "\\u%04X", ch);
            else
                buf_putc(&b, ch);
            i++;
            continue;
        }
        size_t start = i;
        uint32_t cp = next_cp(t.s, t.n, &i);
        if (cp == 0x2028 || cp == 0x2029)
            buf_printf(&b, "\\u%04X", (unsigned)cp);
        else
            buf_put(&b, t.s + start, i - start);
    }
    *out = buf_val(c, &b, true);
    return 0;
}

static int
f_cut(const tmpl_fctx *c, val in, const val *arg, val *out)
{
    span t = text_of(c, in), what = {"", 0};
    if (arg_text(c, "cut", arg, &what) < 0) return -1;
    bool safe = is_safe_str(in) && !(what.n == 1 && what.s[0] == ';');
    if (what.n == 0) {
        *out = view(t.s, t.n, safe);
        return 0;
    }
    buf b = BUF_INIT;
    size_t i = 0;
    while (i < t.n) {
        if (t.n - i >= what.n && memcmp(t.s + i, what.s, what.n) == 0) {
            i += what.n;
        } else {
            buf_putc(&b, t.s[i]);
            i++;
        }
    }
    *out = buf_val(c, &b, safe);
    return 0;
}

/* Appends n spaces. */
static void
put_spaces(buf *b, size_t n)
{
    for (size_t i = 0; i < n; i++)
        buf_putc(b, ' ');
}

enum justify { JUST_LEFT, JUST_RIGHT, JUST_CENTER };

/* Python's str.ljust / rjust / center with a space fill. */
static int
justify(const tmpl_fctx *c, const char *name, val in, const val *arg, enum justify how, val *out)
{
    int64_t width;
    if (arg_int(c, name, arg, &width) < 0) return -1;
    if (width > MAX_WIDTH)
        return fail(c, "%s: width %" PRId64 " is larger than %d", name, width, MAX_WIDTH);
    span t = text_of(c, in);
    size_t len = utf8_count(t.s, t.n);
    if (width <= 0 || (size_t)width <= len) {
        *out = view(t.s, t.n, false);
        return 0;
    }
    size_t marg = (size_t)width - len, left;
    if (how == JUST_LEFT)
        left = 0;
    else if (how == JUST_RIGHT)
        left = marg;
    else
        left = marg / 2 + (marg & (size_t)width & 1);
    buf b = BUF_INIT;
    put_spaces(&b, left);
    buf_put(&b, t.s, t.n);
    put_spaces(&b, marg - left);
    *out = buf_val(c, &b, false);
    return 0;
}

static int
f_ljust(const tmpl_fctx *c, val in, const val *arg, val *out)
{
    return justify(c, "ljust", in, arg, JUST_LEFT, out);
}

static int
f_rjust(const tmpl_fctx *c, val in, const val *arg, val *out)
{
    return justify(c, "rjust", in, arg, JUST_RIGHT, out);
}

static int
f_center(const tmpl_fctx *c, val in, const val *arg, val *out)
{
    return justify(c, "center", in, arg, JUST_CENTER, out);
}

/* Python's str.split(): the words of s between runs of blanks. */
typedef struct words {
    span *v;
    size_t n, cap;
} words;

static void
split_words(words *w, const char *s, size_t n)
{
    size_t i = 0, k;
    while (i < n) {
        while (i < n && (k = space_at(s, n, i)) > 0)
            i += k;
        if (i >= n) break;
        size_t start = i;
        while (i < n && space_at(s, n, i) == 0)
            next_cp(s, n, &i);
        if (w->n == w->cap) {
            w->cap = w->cap ? w->cap * 2 : 16;
            w->v = xreallocarray(w->v, w->cap, sizeof(*w->v));
        }
        w->v[w->n].s = s + start;
        w->v[w->n].n = i - start;
        w->n++;
    }
}

static int
f_wordcount(const tmpl_fctx *c, val in, const val *arg, val *out)
{
    span t = text_of(c, in);
    words w = {0};
    split_words(&w, t.s, t.n);
    *out = val_int((int64_t)w.n);
    free(w.v);
    return 0;
}

static const char ellipsis[] = "\xE2\x80\xA6"; /* … */

/* Django's Truncator.words: the first n words joined by single spaces,
 * then " …" if any were cut (unless the text already ends with " …"). */
static int
f_truncatewords(const tmpl_fctx *c, val in, const val *arg, val *out)
{
    static const char more[] = " \xE2\x80\xA6";
    int64_t len;
    if (arg_int(c, "truncatewords", arg, &len) < 0) return -1;
    span t = text_of(c, in);
    words w = {0};
    split_words(&w, t.s, t.n);
    size_t keep = w.n;
    bool cut = (int64_t)w.n > len;
    if (cut) { /* Python's words[:len]: a negative len counts from the end */
        uint64_t back = len < 0 ? (uint64_t)0 - (uint64_t)len : 0;
        keep = len >= 0 ? (size_t)len : back >= w.n ? 0 : w.n - (size_t)back;
    }
    buf b = BUF_INIT;
    for (size_t i = 0; i < keep; i++) {
        if (i) buf_putc(&b, ' ');
        buf_put(&b, w.v[i].s, w.v[i].n);
    }
    size_t ml = sizeof(more) - 1;
    if (cut && !(b.len >= ml && memcmp(b.data + b.len - ml, more, ml) == 0)) buf_puts(&b, more);
    free(w.v);
    *out = buf_val(c, &b, false);
    return 0;
}

/* Django's Truncator.chars: at most len code points including the "…"
 * that is always appended; combining marks are not counted. */
static int
f_truncatechars(const tmpl_fctx *c, val in, const val *arg, val *out)
{
    int64_t len;
    if (arg_int(c, "truncatechars", arg, &len) < 0) return -1;
    span t = text_of(c, in);
    int64_t keep = len > INT64_MIN ? len - 1 : len; /* room left for the text once "…" is counted */
    int64_t count = 0;
    size_t end = 0;
    bool have_end = false;
    for (size_t i = 0; i < t.n;) {
        size_t start = i;
        if (is_combining(next_cp(t.s, t.n, &i))) continue;
        count++;
        if (!have_end && count > keep) {
            end = start;
            have_end = true;
        }
        if (count > len) {
            buf b = BUF_INIT;
            buf_put(&b, t.s, end);
            buf_puts(&b, ellipsis);
            *out = buf_val(c, &b, false);
            return 0;
        }
    }
    *out = view(t.s, t.n, false);
    return 0;
}

/* ---- HTML ----------------------------------------------------------- */

static int
f_safe(const tmpl_fctx *c, val in, const val *arg, val *out)
{
    span t = text_of(c, in);
    *out = view(t.s, t.n, true);
    return 0;
}

/* Django's escape is conditional_escape: safe text is left alone. */
static int
f_escape(const tmpl_fctx *c, val in, const val *arg, val *out)
{
    if (is_safe_str(in)) {
        *out = in;
        return 0;
    }
    span t = text_of(c, in);
    buf b = BUF_INIT;
    esc_html(&b, t.s, t.n);
    *out = buf_val(c, &b, true);
    return 0;
}

static int
f_force_escape(const tmpl_fctx *c, val in, const val *arg, val *out)
{
    span t = text_of(c, in);
    buf b = BUF_INIT;
    esc_html(&b, t.s, t.n);
    *out = buf_val(c, &b, true);
    return 0;
}

/* Offset of the first c at or after from in s[0..n), or n. */
static size_t
find_char(const char *s, size_t n, size_t from, char ch)
{
    if (from >= n) return n;
    const char *p = memchr(s + from, ch, n - from);
    return p ? (size_t)(p - s) : n;
}

/* striptags, truncatewords_html and truncatechars_html read HTML with
 * lib/html.c, the one HTML reader hone has (markdown summaries use it too). */
static int
f_striptags(const tmpl_fctx *c, val in, const val *arg, val *out)
{
    span t = text_of(c, in);
    buf b = BUF_INIT;
    html_strip_tags(&b, t.s, t.n);
    *out = buf_val(c, &b, false);
    return 0;
}

static int
f_truncatewords_html(const tmpl_fctx *c, val in, const val *arg, val *out)
{
    int64_t len;
    if (arg_int(c, "truncatewords_html", arg, &len) < 0) return -1;
    span t = text_of(c, in);
    buf b = BUF_INIT;
    if (len > 0) html_truncate_words(&b, t.s, t.n, (size_t)len, " \xE2\x80\xA6", NULL);
    *out = buf_val(c, &b, false);
    return 0;
}

static int
f_truncatechars_html(const tmpl_fctx *c, val in, const val *arg, val *out)
{
    int64_t len;
    if (arg_int(c, "truncatechars_html", arg, &len) < 0) return -1;
    span t = text_of(c, in);
    buf b = BUF_INIT;
    html_truncate_chars(&b, t.s, t.n, len > 0 ? (size_t)len : 0, "\xE2\x80\xA6", NULL);
    *out = buf_val(c, &b, false);
    return 0;
}

/*
 * Appends s with "\r\n" and "\r" read as "\n": newlines as <br>, escaped
 * when esc.  Used by linebreaksbr and for each paragraph of linebreaks.
 */
static void
put_br(buf *b, const char *s, size_t n, bool esc)
{
    size_t run = 0;
    for (size_t i = 0; i <= n; i++) {
        if (i < n && s[i] != '\n' && s[i] != '\r') continue;
        if (esc)
            esc_html(b, s + run, i - run);
        else
            buf_put(b, s + run, i - run);
        if (i == n) break;
        buf_puts(b, "<br>");
        if (s[i] == '\r' && i + 1 < n && s[i + 1] == '\n') i++;
        run = i + 1;
    }
}

static int
f_linebreaksbr(const tmpl_fctx *c, val in, const val *arg, val *out)
{
    span t = text_of(c, in);
    buf b = BUF_INIT;
    put_br(&b, t.s, t.n, c->autoescape && !is_safe_str(in));
    *out = buf_val(c, &b, true);
    return 0;
}

/* Length of the newline at s[i] ("\n", "\r\n" or "\r"), or 0. */
static size_t
newline_at(const char *s, size_t n, size_t i)
{
    if (s[i] == '\n') return 1;
    if (s[i] == '\r') return i + 1 < n && s[i + 1] == '\n' ? 2 : 1;
    return 0;
}

/* Django's linebreaks: paragraphs split by blank lines become <p>, single
 * newlines <br>. */
static int
f_linebreaks(const tmpl_fctx *c, val in, const val *arg, val *out)
{
    span t = text_of(c, in);
    bool esc = c->autoescape && !is_safe_str(in);
    buf b = BUF_INIT;
    size_t para = 0, i = 0;
    for (;;) {
        /* find the next run of two or more newlines */
        size_t k = 0, nl = 0, j = i;
        while (j < t.n) {
            size_t l = newline_at(t.s, t.n, j);
            if (l && nl == 0) k = j;
            if (!l && nl >= 2) break;
            nl = l ? nl + 1 : 0;
            j += l ? l : 1;
        }
        bool last = nl < 2;
        size_t end = last ? t.n : k;
        if (para) buf_puts(&b, "\n\n");
        buf_puts(&b, "<p>");
        put_br(&b, t.s + i, end - i, esc);
        buf_puts(&b, "</p>");
        para++;
        if (last) break;
        i = j;
    }
    *out = buf_val(c, &b, true);
    return 0;
}

/* ---- wordwrap ------------------------------------------------------- */

typedef struct chunk {
    size_t off, n; /* bytes in the munged line */
    size_t width;  /* code points */
    bool blank;
} chunk;

/*
 * Python's textwrap.TextWrapper(width, break_long_words=False,
 * break_on_hyphens=False).wrap(line): tabs expanded, blanks made spaces,
 * words moved to the next line when they do not fit (a word longer than
 * the width gets a line of its own), spaces at line ends dropped.
 */
static void
wrap_line(buf *b, bool *first, const char *s, size_t n, size_t width)
{
    buf m = BUF_INIT; /* the munged line */
    size_t col = 0;
    for (size_t i = 0; i < n; i++) {
        char ch = s[i];
        if (ch == '\t') {
            size_t pad = 8 - col % 8;
            put_spaces(&m, pad);
            col += pad;
            continue;
        }
        if (ch == '\n' || ch == '\r') {
            buf_putc(&m, ' ');
            col = 0;
            continue;
        }
        buf_putc(&m, ch == '\v' || ch == '\f' ? ' ' : ch);
        if (((unsigned char)ch & 0xC0) != 0x80) col++;
    }
    chunk *ch = NULL;
    size_t nch = 0, cap = 0;
    for (size_t i = 0; i < m.len;) {
        size_t start = i, w = 0;
        bool space = m.data[i] == ' ', blank = true;
        while (i < m.len && (m.data[i] == ' ') == space) {
            if (!space && space_at(m.data, m.len, i) == 0) blank = false;
            next_cp(m.data, m.len, &i);
            w++;
        }
        if (nch == cap) {
            cap = cap ? cap * 2 : 16;
            ch = xreallocarray(ch, cap, sizeof(*ch));
        }
        ch[nch++] = (chunk){start, i - start, w, blank};
    }
    size_t k = 0;
    bool any = false; /* a line of this paragraph was written */
    while (k < nch) {
        if (ch[k].blank && any) k++;
        size_t first_k = k, len = 0;
        while (k < nch && len + ch[k].width <= width)
            len += ch[k++].width;
        if (k < nch && ch[k].width > width && k == first_k) k++;
        size_t last = k;
        if (last > first_k && ch[last - 1].blank) last--;
        if (last > first_k) {
            if (!*first) buf_putc(b, '\n');
            *first = false;
            any = true;
            for (size_t i = first_k; i < last; i++)
                buf_put(b, m.data + ch[i].off, ch[i].n);
        }
    }
    free(ch);
    buf_free(&m);
}

/* Length of Python's line boundary at s[i] (str.splitlines), or 0. */
static size_t
line_end_at(const char *s, size_t n, size_t i)
{
    unsigned char ch = (unsigned char)s[i];
    if (ch == '\r') return i + 1 < n && s[i + 1] == '\n' ? 2 : 1;
    if (ch == '\n' || ch == '\v' || ch == '\f' || (ch >= 0x1C && ch <= 0x1E)) return 1;
    if (ch == 0xC2 && i + 1 < n && (unsigned char)s[i + 1] == 0x85) return 2;
    if (ch == 0xE2 && i + 2 < n && (unsigned char)s[i + 1] == 0x80 &&
        ((unsigned char)s[i + 2] == 0xA8 || (unsigned char)s[i + 2] == 0xA9))
        return 3;
    return 0;
}

static int
f_wordwrap(const tmpl_fctx *c, val in, const val *arg, val *out)
{
    int64_t width;
    if (arg_int(c, "wordwrap", arg, &width) < 0) return -1;
    if (width <= 0) return fail(c, "wordwrap: width must be positive, got %" PRId64, width);
    span t = text_of(c, in);
    buf b = BUF_INIT;
    bool first = true;
    size_t start = 0;
    for (size_t i = 0; i < t.n;) {
        size_t l = line_end_at(t.s, t.n, i);
        if (!l) {
            i++;
            continue;
        }
        wrap_line(&b, &first, t.s + start, i + l - start, (size_t)width);
        i += l;
        start = i;
    }
    if (start < t.n) wrap_line(&b, &first, t.s + start, t.n - start, (size_t)width);
    *out = buf_val(c, &b, false);
    return 0;
}

/* ---- lists ---------------------------------------------------------- */

static int
f_length(const tmpl_fctx *c, val in, const val *arg, val *out)
{
    int64_t n = val_len(in);
    *out = val_int(n < 0 ? 0 : n);
    return 0;
}

static int
f_length_is(const tmpl_fctx *c, val in, const val *arg, val *out)
{
    int64_t want;
    if (arg_int(c, "length_is", arg, &want) < 0) return -1;
    int64_t n = val_len(in);
    *out = n < 0 ? view("", 0, false) : val_bool(n == want);
    return 0;
}

/* first / last: an item of a list (as it is), a code point of a string. */
static int
end_item(const tmpl_fctx *c, val in, bool last, val *out)
{
    *out = view("", 0, false);
    if (in.type == VAL_STR) {
        const char *s = in.u.str.s;
        size_t n = in.u.str.n;
        if (n == 0) return 0;
        size_t i = 0;
        if (last) {
            i = n - 1;
            while (i > 0 && ((unsigned char)s[i] & 0xC0) == 0x80)
                i--;
            size_t k = i;
            next_cp(s, n, &k);
            if (k != n) /* a broken sequence at the end: its last byte */
                i = n - 1;
        }
        size_t k = i;
        next_cp(s, n, &k);
        *out = view(s + i, k - i, false);
        return 0;
    }
    if (val_is_seq(in)) {
        val item;
        if (val_index(in, last ? -1 : 0, c->a, &item)) *out = item;
    }
    return 0;
}

static int
f_first(const tmpl_fctx *c, val in, const val *arg, val *out)
{
    return end_item(c, in, false, out);
}

static int
f_last(const tmpl_fctx *c, val in, const val *arg, val *out)
{
    return end_item(c, in, true, out);
}

/* The items Django would iterate over: a list's items, a string's code
 * points, a map's keys.  false for anything else. */
static bool
items_of(const tmpl_fctx *c, val in, val_list_b *l)
{
    if (in.type == VAL_STR) {
        for (size_t i = 0; i < in.u.str.n;) {
            size_t start = i;
            next_cp(in.u.str.s, in.u.str.n, &i);
            val_list_push(l, c->a, view(in.u.str.s + start, i - start, false));
        }
        return true;
    }
    if (in.type == VAL_MAP) {
        for (size_t i = 0; i < in.u.map.n; i++)
            val_list_push(l, c->a, view(in.u.map.items[i].key, in.u.map.items[i].keylen, false));
        return true;
    }
    if (!val_is_seq(in)) return false;
    int64_t n = val_len(in);
    for (int64_t i = 0; i < n; i++) {
        val item;
        if (!val_index(in, i, c->a, &item)) item = val_null();
        val_list_push(l, c->a, item);
    }
    return true;
}

/* Appends v as text, HTML-escaped when esc and v is not safe. */
static void
put_escaped(const tmpl_fctx *c, buf *b, val v, bool esc)
{
    span t = text_of(c, v);
    if (esc && !is_safe_str(v))
        esc_html(b, t.s, t.n);
    else
        buf_put(b, t.s, t.n);
}

/* Django's join: items and separator escaped unless safe (under
 * autoescape), the result safe. */
static int
f_join(const tmpl_fctx *c, val in, const val *arg, val *out)
{
    if (!arg) return fail(c, "join: an argument is required");
    val_list_b l = {0};
    if (!items_of(c, in, &l)) {
        *out = in;
        return 0;
    }
    buf b = BUF_INIT;
    for (size_t i = 0; i < l.n; i++) {
        if (i) put_escaped(c, &b, *arg, c->autoescape);
        put_escaped(c, &b, l.items[i], c->autoescape);
    }
    *out = buf_val(c, &b, true);
    return 0;
}

static int
f_make_list(const tmpl_fctx *c, val in, const val *arg, val *out)
{
    span t = text_of(c, in);
    val_list_b l = {0};
    for (size_t i = 0; i < t.n;) {
        size_t start = i;
        next_cp(t.s, t.n, &i);
        val_list_push(&l, c->a, view(t.s + start, i - start, false));
    }
    *out = val_list_done(&l);
    return 0;
}

/* One part of a slice argument: "" (none) or an integer. */
static int
slice_part(const tmpl_fctx *c, span arg, const char *s, size_t n, bool *has, int64_t *v)
{
    span t = strip_space(s, n);
    *has = t.n > 0;
    if (!*has) return 0;
    int r = parse_int(t.s, t.n, v);
    if (r == 0) return 0;
    return fail(c, "slice: \"%.*s\" is not a Python slice (like \":2\", \"1:\", \"::-1\")",
                short_len(arg.s, arg.n), arg.s);
}

/*
 * Python's slice(start, stop, step).indices(len) and the number of items
 * it selects.
 */
static size_t
slice_indices(int64_t len, bool has_start, int64_t start, bool has_stop, int64_t stop, int64_t step,
              int64_t *first)
{
    int64_t lower = step < 0 ? -1 : 0, upper = step < 0 ? len - 1 : len;
    if (!has_start)
        start = step < 0 ? upper : lower;
    else if (start < 0)
        start = start + len < lower ? lower : start + len;
    else if (start > upper)
        start = upper;
    if (!has_stop)
        stop = step < 0 ? lower : upper;
    else if (stop < 0)
        stop = stop + len < lower ? lower : stop + len;
    else if (stop > upper)
        stop = upper;
    *first = start;
    if (step > 0)
        return start < stop ? (size_t)((uint64_t)(stop - start - 1) / (uint64_t)step + 1) : 0;
    uint64_t mstep = (uint64_t)0 - (uint64_t)step; /* |step|, also for INT64_MIN */
    return start > stop ? (size_t)((uint64_t)(start - stop - 1) / mstep + 1) : 0;
}

/* Django's slice: Python's slice syntax on lists and strings (code points). */
static int
f_slice(const tmpl_fctx *c, val in, const val *arg, val *out)
{
    span a = {"", 0};
    if (arg_text(c, "slice", arg, &a) < 0) return -1;
    bool has[3] = {false, false, false};
    int64_t v[3] = {0, 0, 1};
    size_t nparts = 0, from = 0;
    for (size_t i = 0; i <= a.n; i++) {
        if (i < a.n && a.s[i] != ':') continue;
        if (nparts == 3)
            return fail(c, "slice: \"%.*s\" has more than two ':'", short_len(a.s, a.n), a.s);
        if (slice_part(c, a, a.s + from, i - from, &has[nparts], &v[nparts]) < 0) return -1;
        nparts++;
        from = i + 1;
    }
    if (nparts == 1) { /* slice(stop) */
        has[1] = has[0], v[1] = v[0];
        has[0] = false;
    }
    int64_t step = has[2] ? v[2] : 1;
    if (step == 0) return fail(c, "slice: step cannot be zero");
    if (in.type == VAL_STR) {
        const char *s = in.u.str.n ? in.u.str.s : "";
        size_t n = in.u.str.n, ncp = 0;
        for (size_t i = 0; i < n; ncp++) /* as next_cp counts broken UTF-8 */
            next_cp(s, n, &i);
        size_t *offs = xcalloc(ncp + 1, sizeof(*offs)); /* start of each code point */
        for (size_t i = 0, k = 0; i < n; k++) {
            offs[k] = i;
            next_cp(s, n, &i);
        }
        offs[ncp] = n;
        int64_t first;
        size_t count = slice_indices((int64_t)ncp, has[0], v[0], has[1], v[1], step, &first);
        if (step == 1) {
            size_t b0 = count ? offs[first] : 0, b1 = count ? offs[first + (int64_t)count] : 0;
            *out = view(s + b0, b1 - b0, false);
        } else {
            buf b = BUF_INIT;
            for (size_t k = 0; k < count; k++) {
                int64_t i = first + (int64_t)k * step;
                buf_put(&b, s + offs[i], offs[i + 1] - offs[i]);
            }
            *out = buf_val(c, &b, false);
        }
        free(offs);
        return 0;
    }
    if (!val_is_seq(in)) { /* Django returns what it cannot slice */
        *out = in;
        return 0;
    }
    int64_t first;
    size_t count = slice_indices(val_len(in), has[0], v[0], has[1], v[1], step, &first);
    if (in.type == VAL_LIST && step == 1) {
        *out = count ? val_list(in.u.list.items + first, count) : val_list(NULL, 0);
        return 0;
    }
    val_list_b l = {0};
    for (size_t k = 0; k < count; k++) {
        val item;
        if (!val_index(in, first + (int64_t)k * step, c->a, &item)) item = val_null();
        val_list_push(&l, c->a, item);
    }
    *out = val_list_done(&l);
    return 0;
}

typedef struct sort_item {
    val key, item;
} sort_item;

/* A stable merge sort; *ok = 0 when two keys cannot be compared. */
static void
merge_sort(sort_item *v, sort_item *tmp, size_t n, bool reverse, int *ok)
{
    if (n < 2) return;
    size_t h = n / 2;
    merge_sort(v, tmp, h, reverse, ok);
    merge_sort(v + h, tmp, n - h, reverse, ok);
    size_t i = 0, j = h, k = 0;
    while (i < h && j < n) {
        int cmp_ok;
        int cmp = val_compare(v[j].key, v[i].key, &cmp_ok);
        if (!cmp_ok) *ok = 0;
        bool right_first = reverse ? cmp > 0 : cmp < 0;
        tmp[k++] = right_first ? v[j++] : v[i++];
    }
    while (i < h)
        tmp[k++] = v[i++];
    while (j < n)
        tmp[k++] = v[j++];
    memcpy(v, tmp, n * sizeof(*v));
}

/*
 * Django's _property_resolver: an integer argument indexes each item; a
 * string is a key, or a dotted path of keys and attributes ("author.name").
 */
static bool
sort_key(const tmpl_fctx *c, val item, val arg, span path, bool numeric, val *key)
{
    if (arg.type == VAL_INT) return val_is_seq(item) && val_index(item, arg.u.i, c->a, key);
    if (numeric) /* itemgetter("1"): a map key */
        return item.type == VAL_MAP && val_get(item, path.s, path.n, c->a, key);
    size_t from = 0;
    for (size_t i = 0; i <= path.n; i++) {
        if (i < path.n && path.s[i] != '.') continue;
        if (!(item.type == VAL_MAP || item.type == VAL_OBJ) ||
            !val_get(item, path.s + from, i - from, c->a, &item))
            return false;
        from = i + 1;
    }
    *key = item;
    return true;
}

static int
dictsort(const tmpl_fctx *c, const char *name, val in, const val *arg, bool reverse, val *out)
{
    if (!arg) return fail(c, "%s: an argument is required", name);
    span path = text_of(c, *arg);
    if (arg->type != VAL_INT && path.n == 0)
        return fail(c, "%s: the argument must name a key", name);
    double num;
    bool numeric = arg->type != VAL_INT && parse_float(path.s, path.n, &num);
    *out = view("", 0, false);
    bool private = false;
    for (size_t i = 0; arg->type != VAL_INT && !numeric && i < path.n; i++)
    private = private || (path.s[i] == '_' && (i == 0 || path.s[i - 1] == '.'));
    if (private) return 0; /* Django: "Access to private variables is forbidden." */
    if (!val_is_seq(in)) return 0;
    int64_t n = val_len(in);
    sort_item *v = xcalloc((size_t)n, sizeof(*v)), *tmp = xcalloc((size_t)n, sizeof(*tmp));
    int ok = 1;
    for (int64_t i = 0; i < n && ok; i++) {
        if (!val_index(in, i, c->a, &v[i].item) ||
            !sort_key(c, v[i].item, *arg, path, numeric, &v[i].key))
            ok = 0;
    }
    if (ok) merge_sort(v, tmp, (size_t)n, reverse, &ok);
    if (ok) {
        val_list_b l = {0};
        for (int64_t i = 0; i < n; i++)
            val_list_push(&l, c->a, v[i].item);
        *out = val_list_done(&l);
    }
    free(v);
    free(tmp);
    return 0;
}

static int
f_dictsort(const tmpl_fctx *c, val in, const val *arg, val *out)
{
    return dictsort(c, "dictsort", in, arg, false, out);
}

static int
f_dictsortreversed(const tmpl_fctx *c, val in, const val *arg, val *out)
{
    return dictsort(c, "dictsortreversed", in, arg, true, out);
}

/* ---- logic ---------------------------------------------------------- */

static int
f_default(const tmpl_fctx *c, val in, const val *arg, val *out)
{
    if (!arg) return fail(c, "default: an argument is required");
    *out = val_truthy(in) ? in : *arg;
    return 0;
}

static int
f_default_if_none(const tmpl_fctx *c, val in, const val *arg, val *out)
{
    if (!arg) return fail(c, "default_if_none: an argument is required");
    *out = in.type == VAL_NULL ? *arg : in;
    return 0;
}

/* Django's yesno: "yes,no,maybe"; with two choices None takes "no". */
static int
f_yesno(const tmpl_fctx *c, val in, const val *arg, val *out)
{
    span a = {"yes,no,maybe", 12};
    if (arg) a = text_of(c, *arg);
    span bits[3];
    size_t nbits = 0, from = 0;
    for (size_t i = 0; i <= a.n; i++) {
        if (i < a.n && a.s[i] != ',') continue;
        if (nbits < 3) bits[nbits] = (span){a.s + from, i - from};
        nbits++;
        from = i + 1;
    }
    if (nbits < 2)
        return fail(c, "yesno: argument must be \"yes,no\" or \"yes,no,maybe\", got \"%.*s\"",
                    short_len(a.s, a.n), a.s);
    /* Django: more than three parts, or two, leave None the "no" text. */
    span pick = in.type == VAL_NULL ? (nbits == 3 ? bits[2] : bits[1])
                : val_truthy(in)    ? bits[0]
                                    : bits[1];
    *out = view(pick.s, pick.n, false);
    return 0;
}

/* Django's pluralize: "" for 1 (or a one-item list), the suffix otherwise. */
static int
f_pluralize(const tmpl_fctx *c, val in, const val *arg, val *out)
{
    span a = {"s", 1};
    if (arg) a = text_of(c, *arg);
    span one = {"", 0}, many = a;
    const char *comma = memchr(a.s, ',', a.n);
    if (comma) {
        one = (span){a.s, (size_t)(comma - a.s)};
        many = (span){comma + 1, a.n - one.n - 1};
        if (memchr(many.s, ',', many.n))
            return fail(c,
                        "pluralize: argument must be \"plural\" or \"singular,plural\", got "
                        "\"%.*s\"",
                        short_len(a.s, a.n), a.s);
    }
    *out = view("", 0, false);
    double d;
    int64_t n;
    switch (in.type) {
    case VAL_INT: d = (double)in.u.i; break;
    case VAL_BOOL: d = in.u.b; break;
    case VAL_FLOAT: d = in.u.f; break;
    case VAL_STR:
        if (!parse_float(in.u.str.s, in.u.str.n, &d)) return 0;
        break;
    default:
        n = in.type == VAL_NULL || in.type == VAL_TIME ? -1 : val_len(in);
        if (n < 0) return 0;
        d = (double)n;
    }
    span pick = d == 1 ? one : many;
    *out = view(pick.s, pick.n, false);
    return 0;
}

static int
f_divisibleby(const tmpl_fctx *c, val in, const val *arg, val *out)
{
    int64_t by, v;
    if (arg_int(c, "divisibleby", arg, &by) < 0) return -1;
    if (by == 0) return fail(c, "divisibleby: cannot divide by zero");
    if (!py_int(in, &v)) {
        *out = view("", 0, false);
        return 0;
    }
    *out = val_bool(by == -1 || v % by == 0);
    return 0;
}

/* ---- numbers -------------------------------------------------------- */

/*
 * Django's add: two integers (or strings holding them) add as integers;
 * with a float they add as floats; two strings concatenate, two lists
 * join; anything else is "".
 */
static int
f_add(const tmpl_fctx *c, val in, const val *arg, val *out)
{
    if (!arg) return fail(c, "add: an argument is required");
    int64_t x, y;
    bool xi = in.type != VAL_FLOAT && py_int(in, &x),
         yi = arg->type != VAL_FLOAT && py_int(*arg, &y);
    if (xi && yi) {
        int64_t r;
        if (__builtin_add_overflow(x, y, &r))
            return fail(c, "add: %" PRId64 " + %" PRId64 " does not fit in 64 bits", x, y);
        *out = val_int(r);
        return 0;
    }
    if ((xi || in.type == VAL_FLOAT) && (yi || arg->type == VAL_FLOAT)) {
        double a = in.type == VAL_FLOAT ? in.u.f : (double)x;
        double b = arg->type == VAL_FLOAT ? arg->u.f : (double)y;
        *out = val_float(a + b);
        return 0;
    }
    if (in.type == VAL_STR && arg->type == VAL_STR) {
        buf b = BUF_INIT;
        buf_put(&b, in.u.str.s, in.u.str.n);
        buf_put(&b, arg->u.str.s, arg->u.str.n);
        *out = buf_val(c, &b, in.safe && arg->safe);
        return 0;
    }
    if (val_is_seq(in) && val_is_seq(*arg)) {
        val_list_b l = {0};
        items_of(c, in, &l);
        items_of(c, *arg, &l);
        *out = val_list_done(&l);
        return 0;
    }
    *out = view("", 0, false);
    return 0;
}

/*
 * A finite double as its shortest decimal digits that read back the same
 * (Python's repr): digits without trailing zeros, and decpt such that the
 * value is 0.DIGITS * 10^decpt.
 */
static void
shortest_digits(double x, buf *digits, int *decpt)
{
    char tmp[40]; /* "%.16e" of a double: at most 24 bytes */
    x = fabs(x);
    if (x == 0) {
        buf_putc(digits, '0');
        *decpt = 1;
        return;
    }
    for (int prec = 0; prec <= 16; prec++) {
        snprintf(tmp, sizeof(tmp), "%.*e", prec, x);
        if (strtod(tmp, NULL) == x) break;
    }
    const char *p = tmp;
    for (; *p && *p != 'e'; p++)
        if (is_digit(*p)) buf_putc(digits, *p);
    while (digits->len > 1 && digits->data[digits->len - 1] == '0')
        digits->len--;
    *decpt = atoi(p + 1) + 1;
}

/* Python's repr of a float. */
static void
float_repr(buf *b, double x)
{
    if (isnan(x)) {
        buf_puts(b, "nan");
        return;
    }
    if (isinf(x)) {
        buf_puts(b, x < 0 ? "-inf" : "inf");
        return;
    }
    buf d = BUF_INIT;
    int decpt;
    shortest_digits(x, &d, &decpt);
    int nd = (int)d.len;
    if (signbit(x)) buf_putc(b, '-');
    if (decpt > -4 && decpt <= 16) {
        if (decpt <= 0) {
            buf_puts(b, "0.");
            for (int i = 0; i < -decpt; i++)
                buf_putc(b, '0');
            buf_put(b, d.data, d.len);
        } else if (decpt >= nd) {
            buf_put(b, d.data, d.len);
            for (int i = nd; i < decpt; i++)
                buf_putc(b, '0');
            buf_puts(b, ".0");
        } else {
            buf_put(b, d.data, (size_t)decpt);
            buf_putc(b, '.');
            buf_put(b, d.data + decpt, (size_t)(nd - decpt));
        }
    } else {
        buf_putc(b, d.data[0]);
        if (nd > 1) {
            buf_putc(b, '.');
            buf_put(b, d.data + 1, (size_t)(nd - 1));
        }
        buf_printf(b, "e%c%02d", decpt - 1 < 0 ? '-' : '+', abs(decpt - 1));
    }
    buf_free(&d);
}

/* Appends the integer digits s[0..n) with "," between thousands when group. */
static void
put_grouped(buf *b, const char *s, size_t n, bool group)
{
    for (size_t i = 0; i < n; i++) {
        if (group && i > 0 && (n - i) % 3 == 0) buf_putc(b, ',');
        buf_putc(b, s[i]);
    }
}

/*
 * Django's floatformat.  The value becomes exact decimal digits (a float
 * through its repr, as Django's Decimal(repr(value))), which are rounded
 * half up to the asked number of places: 2.675|floatformat:2 is 2.68.
 */
static int
f_floatformat(const tmpl_fctx *c, val in, const val *arg, val *out)
{
    int64_t places = -1;
    bool group = false;
    if (arg) {
        span a = text_of(c, *arg);
        if (a.n > 0 && a.s[a.n - 1] == 'g') {
            group = true;
            a.n--;
        }
        if (a.n > 0) {
            val num = arg->type == VAL_STR ? val_str(a.s, a.n) : *arg;
            if (arg_int(c, "floatformat", &num, &places) < 0) return -1;
        }
        if (places > MAX_WIDTH || places < -MAX_WIDTH)
            return fail(c, "floatformat: %" PRId64 " decimal places is more than %d", places,
                        MAX_WIDTH);
    }
    *out = view("", 0, false);
    buf digits = BUF_INIT;
    bool neg = false;
    int64_t exp = 0; /* value = digits * 10^exp */
    double f = 0;
    if (in.type == VAL_INT || in.type == VAL_BOOL) {
        int64_t i = in.type == VAL_INT ? in.u.i : in.u.b;
        neg = i < 0;
        uint64_t u = neg ? (uint64_t)0 - (uint64_t)i : (uint64_t)i;
        buf_printf(&digits, "%" PRIu64, u);
    } else {
        if (in.type == VAL_FLOAT)
            f = in.u.f;
        else if (in.type != VAL_STR || !parse_float(in.u.str.s, in.u.str.n, &f))
            return 0;
        if (!isfinite(f)) { /* Django gives repr(value) */
            buf b = BUF_INIT;
            float_repr(&b, f);
            *out = buf_val(c, &b, false);
            return 0;
        }
        int decpt;
        shortest_digits(f, &digits, &decpt);
        neg = signbit(f);
        exp = decpt - (int64_t)digits.len;
    }
    size_t nd = digits.len;
    /* Django returns numbers with more than 200 digits as they are. */
    if (nd + (size_t)(exp < 0 ? -exp : exp) > 200) {
        buf b = BUF_INIT;
        float_repr(&b, f);
        *out = buf_val(c, &b, false);
        buf_free(&digits);
        return 0;
    }
    bool integral = exp >= 0;
    if (!integral) { /* the digits after the point are all zero? */
        integral = true;
        for (size_t i = (size_t)(exp + (int64_t)nd > 0 ? exp + (int64_t)nd : 0); i < nd; i++)
            integral = integral && digits.data[i] == '0';
    }
    size_t q = (size_t)(places < 0 ? -places : places);
    if (integral && places < 0) q = 0;
    /* n = round_half_up(value * 10^q), as digits */
    buf n = BUF_INIT;
    int64_t shift = exp + (int64_t)q;
    if (shift >= 0) {
        buf_put(&n, digits.data, nd);
        for (int64_t i = 0; i < shift; i++)
            buf_putc(&n, '0');
    } else {
        int64_t keep = (int64_t)nd + shift; /* digits kept before rounding */
        if (keep > 0) buf_put(&n, digits.data, (size_t)keep);
        if (keep >= 0 && digits.data[keep] >= '5') {
            size_t i = n.len;
            while (i > 0 && n.data[i - 1] == '9')
                n.data[--i] = '0';
            if (i == 0) {
                buf carry = BUF_INIT;
                buf_putc(&carry, '1');
                buf_put(&carry, n.data, n.len);
                buf_free(&n);
                n = carry;
            } else {
                n.data[i - 1]++;
            }
        }
    }
    buf_free(&digits);
    /* n is the rounded value times 10^q: pad it to q+1 digits so that it
     * has an integer part, whose leading zeros then go */
    buf d = BUF_INIT;
    for (size_t i = n.len; i < q + 1; i++)
        buf_putc(&d, '0');
    buf_put(&d, n.data, n.len);
    buf_free(&n);
    size_t ilen = d.len - q, lead = 0;
    while (lead + 1 < ilen && d.data[lead] == '0')
        lead++;
    bool zero = true;
    for (size_t i = 0; i < d.len; i++)
        zero = zero && d.data[i] == '0';
    buf b = BUF_INIT;
    if (neg && !zero) buf_putc(&b, '-');
    put_grouped(&b, d.data + lead, ilen - lead, group);
    if (q) {
        buf_putc(&b, '.');
        buf_put(&b, d.data + ilen, q);
    }
    buf_free(&d);
    *out = buf_val(c, &b, true);
    return 0;
}

/* Pads body (sign and prefix apart) to width as Python's % does. */
static void
put_padded(buf *b, const char *sign, const char *prefix, const char *body, size_t blen,
           size_t width, bool left, bool zero)
{
    size_t len = strlen(sign) + strlen(prefix) + utf8_count(body, blen);
    size_t pad = width > len ? width - len : 0;
    if (!left && !zero) put_spaces(b, pad);
    buf_puts(b, sign);
    buf_puts(b, prefix);
    for (size_t i = 0; !left && zero && i < pad; i++)
        buf_putc(b, '0');
    buf_put(b, body, blen);
    if (left) put_spaces(b, pad);
}

/*
 * Django's stringformat: Python's "%" + arg % value, for the conversions
 * s, d, i, u, f, F, e, E, g, G, x, X and o with flags "-+ #0", a width and
 * a precision, then any text ("d items", "d%%").  A value of the wrong
 * type for the conversion gives "", as in Django.
 */
static int
f_stringformat(const tmpl_fctx *c, val in, const val *arg, val *out)
{
    span a = {"", 0};
    if (arg_text(c, "stringformat", arg, &a) < 0) return -1;
    bool left = false, plus = false, space = false, alt = false, zero = false;
    size_t i = 0;
    for (; i < a.n && strchr("-+ #0", a.s[i]) && a.s[i]; i++) {
        left |= a.s[i] == '-';
        plus |= a.s[i] == '+';
        space |= a.s[i] == ' ';
        alt |= a.s[i] == '#';
        zero |= a.s[i] == '0';
    }
    int64_t width = 0, prec = -1;
    for (; i < a.n && is_digit(a.s[i]) && width <= MAX_WIDTH; i++)
        width = width * 10 + (a.s[i] - '0');
    if (i < a.n && a.s[i] == '.') {
        prec = 0;
        for (i++; i < a.n && is_digit(a.s[i]) && prec <= MAX_WIDTH; i++)
            prec = prec * 10 + (a.s[i] - '0');
    }
    if (i < a.n && strchr("hlL", a.s[i]) && a.s[i]) i++;
    if (width > MAX_WIDTH || prec > MAX_WIDTH)
        return fail(c, "stringformat: width or precision above %d in \"%.*s\"", MAX_WIDTH,
                    short_len(a.s, a.n), a.s);
    if (i >= a.n || !strchr("sdiufFeEgGxXo", a.s[i]) || !a.s[i])
        return fail(c,
                    "stringformat: \"%.*s\" is not a conversion like \"s\", \"d\", \".2f\", "
                    "\"05d\" or \"x\"",
                    short_len(a.s, a.n), a.s);
    char conv = a.s[i];
    span tail = {a.s + i + 1, a.n - i - 1}; /* text after the conversion */
    for (size_t k = 0; k < tail.n; k++) {
        if (tail.s[k] != '%') continue;
        if (k + 1 == tail.n || tail.s[k + 1] != '%')
            return fail(c, "stringformat: \"%.*s\" has more than one conversion",
                        short_len(a.s, a.n), a.s);
        k++;
    }
    *out = view("", 0, false);
    buf b = BUF_INIT;
    if (conv == 's') {
        span t = text_of(c, in);
        size_t n = t.n;
        if (prec >= 0) n = utf8_offset(t.s, t.n, (size_t)prec);
        put_padded(&b, "", "", t.s, n, (size_t)width, left, false);
    } else if (strchr("fFeEgG", conv)) {
        double d;
        if (in.type == VAL_FLOAT)
            d = in.u.f;
        else if (in.type == VAL_INT)
            d = (double)in.u.i;
        else if (in.type == VAL_BOOL)
            d = in.u.b;
        else
            return 0; /* Python: "must be real number" */
        buf body = BUF_INIT;
        int p = prec < 0 ? 6 : (int)prec;
        double m = fabs(d);
        /* one literal format per conversion and '#' (-Wformat-nonliteral) */
        switch (conv) {
        case 'f': alt ? buf_printf(&body, "%#.*f", p, m) : buf_printf(&body, "%.*f", p, m); break;
        case 'F': alt ? buf_printf(&body, "%#.*F", p, m) : buf_printf(&body, "%.*F", p, m); break;
        case 'e': alt ? buf_printf(&body, "%#.*e", p, m) : buf_printf(&body, "%.*e", p, m); break;
        case 'E': alt ? buf_printf(&body, "%#.*E", p, m) : buf_printf(&body, "%.*E", p, m); break;
        case 'g': alt ? buf_printf(&body, "%#.*g", p, m) : buf_printf(&body, "%.*g", p, m); break;
        default: alt ? buf_printf(&body, "%#.*G", p, m) : buf_printf(&body, "%.*G", p, m); break;
        }
        const char *sign = signbit(d) && !isnan(d) ? "-" : plus ? "+" : space ? " " : "";
        put_padded(&b, sign, "", body.data, body.len, (size_t)width, left, zero);
        buf_free(&body);
    } else {
        int64_t v;
        if (in.type == VAL_STR || !py_int(in, &v)) return 0; /* Python: "a number is required" */
        if (in.type == VAL_FLOAT && strchr("xXo", conv))
            return 0; /* Python: "an integer is required" */
        uint64_t u = v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;
        buf body = BUF_INIT;
        const char *prefix = "";
        if (conv == 'x') {
            buf_printf(&body, "%" PRIx64, u);
            prefix = alt ? "0x" : "";
        } else if (conv == 'X') {
            buf_printf(&body, "%" PRIX64, u);
            prefix = alt ? "0X" : "";
        } else if (conv == 'o') {
            buf_printf(&body, "%" PRIo64, u);
            prefix = alt ? "0o" : "";
        } else {
            buf_printf(&body, "%" PRIu64, u);
        }
        buf digits = BUF_INIT; /* the precision is a minimum number of digits */
        for (int64_t z = (int64_t)body.len; z < prec; z++)
            buf_putc(&digits, '0');
        buf_put(&digits, body.data, body.len);
        const char *sign = v < 0 ? "-" : plus ? "+" : space ? " " : "";
        put_padded(&b, sign, prefix, digits.data, digits.len, (size_t)width, left, zero);
        buf_free(&digits);
        buf_free(&body);
    }
    for (size_t k = 0; k < tail.n; k++) {
        buf_putc(&b, tail.s[k]);
        k += tail.s[k] == '%'; /* "%%" */
    }
    *out = buf_val(c, &b, false);
    return 0;
}

/* ---- dates ---------------------------------------------------------- */

/* Django's named formats (settings, English), usable as date:"SHORT_DATE_FORMAT". */
static const struct {
    const char *name, *fmt;
} named_formats[] = {
    {"DATE_FORMAT", "N j, Y"},
    {"DATETIME_FORMAT", "N j, Y, P"},
    {"TIME_FORMAT", "P"},
    {"YEAR_MONTH_FORMAT", "F Y"},
    {"MONTH_DAY_FORMAT", "F j"},
    {"SHORT_DATE_FORMAT", "m/d/Y"},
    {"SHORT_DATETIME_FORMAT", "m/d/Y P"},
};

/* The point in time in v: a time, or a string in ISO 8601. */
static bool
time_of(val v, dt *t)
{
    if (v.type == VAL_TIME) {
        *t = v.u.time;
        return true;
    }
    return v.type == VAL_STR && v.u.str.n > 0 &&
           dt_parse(v.u.str.s, v.u.str.n, 0, t, NULL, NULL) == 0;
}

static int
format_time(const tmpl_fctx *c, val in, const val *arg, const char *def, bool time_only, val *out)
{
    *out = view("", 0, false);
    dt t;
    if (!time_of(in, &t)) return 0;
    span f = {def, strlen(def)};
    if (arg) {
        span a = text_of(c, *arg);
        if (a.n > 0) f = a;
    }
    for (size_t i = 0; i < sizeof(named_formats) / sizeof(named_formats[0]); i++) {
        if (strlen(named_formats[i].name) == f.n && memcmp(named_formats[i].name, f.s, f.n) == 0) {
            f.s = named_formats[i].fmt;
            f.n = strlen(f.s);
            break;
        }
    }
    /* Django's time filter knows only time letters: with a date letter
     * (not after a backslash) it gives "". */
    for (size_t i = 0; time_only && i < f.n; i++)
        if (f.s[i] && strchr("bcdDEFIjlLmMnNorStUwWyYz", f.s[i]) && !(i > 0 && f.s[i - 1] == '\\'))
            return 0;
    buf b = BUF_INIT;
    dt_format(&b, f.s, f.n, t);
    *out = buf_val(c, &b, false);
    return 0;
}

static int
f_date(const tmpl_fctx *c, val in, const val *arg, val *out)
{
    return format_time(c, in, arg, "N j, Y", false, out);
}

static int
f_time(const tmpl_fctx *c, val in, const val *arg, val *out)
{
    return format_time(c, in, arg, "P", true, out);
}

/* ---- URLs and JSON -------------------------------------------------- */

/* Python's quote(text, safe): UTF-8 bytes percent-encoded except letters,
 * digits, "_.-~" and the ASCII characters of safe. */
static val
quote(const tmpl_fctx *c, span t, span safe)
{
    buf keep = BUF_INIT, b = BUF_INIT;
    for (size_t i = 0; i < safe.n; i++)
        if ((unsigned char)safe.s[i] < 0x80 && safe.s[i] != '\0') buf_putc(&keep, safe.s[i]);
    esc_url(&b, t.s, t.n, buf_cstr(&keep));
    buf_free(&keep);
    return buf_val(c, &b, false);
}

static int
f_urlencode(const tmpl_fctx *c, val in, const val *arg, val *out)
{
    span safe = {"/", 1};
    if (arg) safe = text_of(c, *arg);
    *out = quote(c, text_of(c, in), safe);
    return 0;
}

static int
f_iriencode(const tmpl_fctx *c, val in, const val *arg, val *out)
{
    static const char keep[] = "/#%[]=:;$&()+,!?*@'~";
    span safe = {keep, sizeof(keep) - 1};
    *out = quote(c, text_of(c, in), safe);
    return 0;
}

/* hone's json: the value as JSON, safe inside <script> (see val_to_json). */
/*
 * hone's own: text as an XML CDATA section, for feeds that carry whole
 * posts.  Cheaper than escaping every < and & of a post in every feed it
 * is in, and the same text to a feed reader.  "]]>" inside is split
 * across two sections; characters XML 1.0 forbids (C0 controls but tab,
 * LF, CR) are dropped, as esc_html drops them.
 */
static int
f_cdata(const tmpl_fctx *c, val in, const val *arg, val *out)
{
    span t = text_of(c, in);
    buf b = BUF_INIT;
    buf_puts(&b, "<![CDATA[");
    size_t run = 0;
    for (size_t i = 0; i < t.n; i++) {
        unsigned char ch = (unsigned char)t.s[i];
        if (ch >= 0x20 && ch != ']')
            continue;
        if (ch == ']') {
            if (i + 2 < t.n && t.s[i + 1] == ']' && t.s[i + 2] == '>') {
                buf_put(&b, t.s + run, i + 2 - run);
                buf_puts(&b, "]]><![CDATA[");
                run = i + 2;
                i++;
            }
            continue;
        }
        if (ch == '\t' || ch == '\n' || ch == '\r')
            continue;
        buf_put(&b, t.s + run, i - run);
        run = i + 1;
    }
    buf_put(&b, t.s + run, t.n - run);
    buf_puts(&b, "]]>");
    *out = buf_val(c, &b, true);
    return 0;
}

static int
f_json(const tmpl_fctx *c, val in, const val *arg, val *out)
{
    buf b = BUF_INIT;
    val_to_json(in, &b);
    *out = buf_val(c, &b, true);
    return 0;
}

/* Does u start with a URL scheme ("https:", "mailto:") or "//"? */
static bool
is_absolute_url(span u)
{
    if (u.n >= 2 && u.s[0] == '/' && u.s[1] == '/') return true;
    if (u.n == 0 || !is_alpha(u.s[0])) return false;
    for (size_t i = 1; i < u.n; i++) {
        char ch = u.s[i];
        if (ch == ':') return true;
        if (!(is_alpha(ch) || is_digit(ch) || ch == '+' || ch == '-' || ch == '.')) return false;
    }
    return false;
}

/*
 * hone's absurl (Hugo's absURL): joins a path to the site's base URL.
 * With base "https://example.org/blog/":
 *
 *   "posts/x/"        -> https://example.org/blog/posts/x/
 *   "/posts/x/"       -> https://example.org/blog/posts/x/
 *   "/blog/posts/x/"  -> https://example.org/blog/posts/x/
 *   "https://a.b/c"   -> unchanged (as is "//a.b/c", "mailto:...")
 *
 * The rule: a relative path is joined under the base's path; a path from
 * the root that already starts with the base's path (page.url in a site
 * served from a folder) is joined to the base's origin; any other path
 * from the root is taken as relative to the base's path.  Unlike Hugo,
 * then, "/x" never escapes a site served from a folder.  Without a base
 * URL the value is returned as it is.
 */
static int
f_absurl(const tmpl_fctx *c, val in, const val *arg, val *out)
{
    span u = text_of(c, in);
    const char *base = tmpl_env_base_url(c->env);
    if (!base || !*base || is_absolute_url(u)) {
        *out = view(u.s, u.n, false);
        return 0;
    }
    size_t blen = strlen(base), host = 0;
    const char *sep = strstr(base, "://");
    if (sep) host = (size_t)(sep - base) + 3;
    size_t path = find_char(base, blen, host, '/'); /* origin is base[0..path) */
    span bpath = {base + path, blen - path};        /* "/blog/", "/blog" or "" */
    while (bpath.n > 0 && bpath.s[bpath.n - 1] == '/')
        bpath.n--; /* "/blog" or "" */
    buf b = BUF_INIT;
    buf_put(&b, base, path);
    if (u.n > 0 && u.s[0] == '/' && u.n >= bpath.n && memcmp(u.s, bpath.s, bpath.n) == 0 &&
        (u.n == bpath.n || u.s[bpath.n] == '/')) {
        buf_put(&b, u.s, u.n);
    } else {
        buf_put(&b, bpath.s, bpath.n);
        buf_putc(&b, '/');
        if (u.n > 0 && u.s[0] == '/')
            buf_put(&b, u.s + 1, u.n - 1);
        else
            buf_put(&b, u.s, u.n);
    }
    *out = buf_val(c, &b, false);
    return 0;
}

/* ---- registration --------------------------------------------------- */

enum { KS = TMPL_FILTER_KEEPS_SAFE };

static const struct {
    const char *name;
    tmpl_filter_fn fn;
    enum tmpl_filter_arg arg;
    unsigned flags; /* Django's is_safe */
} builtins[] = {
    {"absurl", f_absurl, TMPL_ARG_NONE, 0},
    {"add", f_add, TMPL_ARG_REQUIRED, 0},
    {"addslashes", f_addslashes, TMPL_ARG_NONE, KS},
    {"capfirst", f_capfirst, TMPL_ARG_NONE, KS},
    {"center", f_center, TMPL_ARG_REQUIRED, KS},
    {"cut", f_cut, TMPL_ARG_REQUIRED, 0}, /* marks safe itself */
    {"date", f_date, TMPL_ARG_OPTIONAL, 0},
    {"default", f_default, TMPL_ARG_REQUIRED, 0},
    {"default_if_none", f_default_if_none, TMPL_ARG_REQUIRED, 0},
    {"dictsort", f_dictsort, TMPL_ARG_REQUIRED, 0},
    {"dictsortreversed", f_dictsortreversed, TMPL_ARG_REQUIRED, 0},
    {"divisibleby", f_divisibleby, TMPL_ARG_REQUIRED, 0},
    {"escape", f_escape, TMPL_ARG_NONE, KS},
    {"escapejs", f_escapejs, TMPL_ARG_NONE, 0},
    {"first", f_first, TMPL_ARG_NONE, 0},
    {"floatformat", f_floatformat, TMPL_ARG_OPTIONAL, KS},
    {"force_escape", f_force_escape, TMPL_ARG_NONE, KS},
    {"iriencode", f_iriencode, TMPL_ARG_NONE, KS},
    {"join", f_join, TMPL_ARG_REQUIRED, KS},
    {"json", f_json, TMPL_ARG_NONE, 0},
    {"cdata", f_cdata, TMPL_ARG_NONE, 0},
    {"last", f_last, TMPL_ARG_NONE, KS},
    {"length", f_length, TMPL_ARG_NONE, 0},
    {"length_is", f_length_is, TMPL_ARG_REQUIRED, 0},
    {"linebreaks", f_linebreaks, TMPL_ARG_NONE, KS},
    {"linebreaksbr", f_linebreaksbr, TMPL_ARG_NONE, KS},
    {"ljust", f_ljust, TMPL_ARG_REQUIRED, KS},
    {"lower", f_lower, TMPL_ARG_NONE, KS},
    {"make_list", f_make_list, TMPL_ARG_NONE, 0},
    {"pluralize", f_pluralize, TMPL_ARG_OPTIONAL, 0},
    {"rjust", f_rjust, TMPL_ARG_REQUIRED, KS},
    {"safe", f_safe, TMPL_ARG_NONE, KS},
    {"slice", f_slice, TMPL_ARG_REQUIRED, KS},
    {"slugify", f_slugify, TMPL_ARG_NONE, KS},
    {"stringformat", f_stringformat, TMPL_ARG_REQUIRED, KS},
    {"striptags", f_striptags, TMPL_ARG_NONE, KS},
    {"time", f_time, TMPL_ARG_OPTIONAL, 0},
    {"title", f_title, TMPL_ARG_NONE, KS},
    {"truncatechars", f_truncatechars, TMPL_ARG_REQUIRED, KS},
    {"truncatechars_html", f_truncatechars_html, TMPL_ARG_REQUIRED, KS},
    {"truncatewords", f_truncatewords, TMPL_ARG_REQUIRED, KS},
    {"truncatewords_html", f_truncatewords_html, TMPL_ARG_REQUIRED, KS},
    {"upper", f_upper, TMPL_ARG_NONE, 0},
    {"urlencode", f_urlencode, TMPL_ARG_OPTIONAL, 0},
    {"wordcount", f_wordcount, TMPL_ARG_NONE, 0},
    {"wordwrap", f_wordwrap, TMPL_ARG_REQUIRED, KS},
    {"yesno", f_yesno, TMPL_ARG_OPTIONAL, 0},
};

void
tmpl_filters_register(tmpl_env *env)
{
    for (size_t i = 0; i < sizeof(builtins) / sizeof(builtins[0]); i++)
        tmpl_env_add_filter(env, builtins[i].name, builtins[i].fn, builtins[i].arg,
                            builtins[i].flags);
}
