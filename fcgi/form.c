/*
 * form: urlencoded parsing and the signup fields' rules.  See form.h.
 *
 * The parser walks the body once.  Each value is decoded into its field's
 * buf, whose limit makes an over-long value an error rather than a large
 * allocation; names are compared after decoding, so "%65mail" is "email"
 * as a browser would mean it.
 */
#include "form.h"
#include "utf8.h"

#include <string.h>

void
form_init(form_signup *f)
{
    buf *all[] = {&f->email, &f->referrer, &f->website, &f->next, &f->landing};
    for (size_t i = 0; i < 5; i++)
        buf_init(all[i]);
    /* decoded limits: generous enough to report "too long" precisely,
     * small enough that a body can never make a field large */
    f->email.limit = 1024;
    f->referrer.limit = 8192;
    f->website.limit = 1024;
    f->next.limit = 1024;
    f->landing.limit = 1024;
}

void
form_free(form_signup *f)
{
    buf *all[] = {&f->email, &f->referrer, &f->website, &f->next, &f->landing};
    for (size_t i = 0; i < 5; i++)
        buf_free(all[i]);
}

static void
set_error(form_error *e, const char *code, const char *field, const char *message)
{
    e->code = code;
    e->field = field;
    e->message = message;
}

static int
hexval(unsigned char c)
{
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

/* Decodes s[0..n) ('+' is a space, %XX a byte) into out; -1 on a bad
 * escape or when out's limit is crossed. */
static int
decode(buf *out, const char *s, size_t n)
{
    size_t i = 0;
    while (i < n) {
        size_t run = i;
        while (run < n && s[run] != '%' && s[run] != '+')
            run++;
        if (run > i && buf_put(out, s + i, run - i) < 0) return -1;
        i = run;
        if (i == n) break;
        char c;
        if (s[i] == '+') {
            c = ' ';
            i++;
        } else {
            if (n - i < 3) return -1;
            int h = hexval((unsigned char)s[i + 1]), l = hexval((unsigned char)s[i + 2]);
            if (h < 0 || l < 0) return -1;
            c = (char)(h << 4 | l);
            i += 3;
        }
        if (buf_put(out, &c, 1) < 0) return -1;
    }
    return out->err ? -1 : 0;
}

int
form_parse(const char *body, size_t n, form_signup *f, form_error *e)
{
    static const char *const names[] = {"email", "referrer", "website", "next", "landing"};
    buf *dst[] = {&f->email, &f->referrer, &f->website, &f->next, &f->landing};
    bool seen[5] = {false};
    size_t pairs = 0;
    buf name = BUF_INIT;
    int rc = 0;
    name.limit = 32; /* no field name of ours is longer */
    for (size_t i = 0; i < n;) {
        size_t end = i;
        while (end < n && body[end] != '&')
            end++;
        if (end > i) {
            if (++pairs > FORM_FIELDS_MAX) {
                set_error(e, "malformed", NULL, "The form sent too many fields.");
                rc = -1;
                break;
            }
            const char *eq = memchr(body + i, '=', end - i);
            size_t klen = eq ? (size_t)(eq - (body + i)) : end - i;
            buf_reset(&name);
            int known = -1;
            if (decode(&name, body + i, klen) == 0) {
                for (int k = 0; k < 5; k++)
                    if (name.len == strlen(names[k]) && memcmp(name.data, names[k], name.len) == 0)
                        known = k;
            }
            if (known >= 0) {
                if (seen[known]) {
                    set_error(e, "malformed", names[known], "The form sent a field twice.");
                    rc = -1;
                    break;
                }
                seen[known] = true;
                const char *v = eq ? eq + 1 : body + end;
                if (decode(dst[known], v, (size_t)(body + end - v)) < 0) {
                    set_error(e, dst[known]->err ? "too_long" : "malformed", names[known],
                              dst[known]->err ? "A field of the form is too long."
                                              : "The form could not be read (a bad %-escape).");
                    rc = -1;
                    break;
                }
            }
        }
        i = end + 1;
    }
    buf_free(&name);
    return rc;
}

static bool
is_alnum(unsigned char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

/* RFC 5322 atext: what Django's dot-atom allows besides '.'. */
static bool
is_atext(unsigned char c)
{
    return is_alnum(c) || (c && strchr("!#$%&'*+/=?^_`{|}~-", c) != NULL);
}

static bool
valid_domain(const char *d, size_t n)
{
    size_t labels = 0;
    size_t i = 0;
    while (i <= n) {
        size_t j = i;
        while (j < n && d[j] != '.')
            j++;
        size_t len = j - i;
        bool last = j == n;
        if (len == 0 || len > 63) return false;
        for (size_t k = i; k < j; k++)
            if (!is_alnum((unsigned char)d[k]) && d[k] != '-') return false;
        if (d[j - 1] == '-' || d[i] == '-') return false;
        if (last && len < 2) return false; /* Django: a top-level label has 2 to 63 */
        labels++;
        i = j + 1;
        if (last) break;
    }
    return labels >= 2;
}

bool
form_email_valid(const char *s, size_t n)
{
    if (n == 0 || n > FORM_EMAIL_MAX) return false;
    size_t at = n;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c <= ' ' || c >= 0x7f) return false;
        if (c == '@') at = i;
    }
    if (at == n || at == 0 || at > 64) return false;
    /* the local part: a dot-atom */
    if (s[0] == '.' || s[at - 1] == '.') return false;
    for (size_t i = 0; i < at; i++) {
        if (s[i] == '.') {
            if (s[i + 1] == '.') return false;
        } else if (!is_atext((unsigned char)s[i])) {
            return false;
        }
    }
    return valid_domain(s + at + 1, n - at - 1);
}

bool
form_local_path(const char *s, size_t n, bool strict)
{
    if (n == 0 || n > FORM_PATH_MAX || s[0] != '/') return false;
    if (n > 1 && (s[1] == '/' || s[1] == '\\')) return false;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c <= ' ' || c >= 0x7f || c == '\\') return false;
        if (strict && !is_alnum(c) && !strchr("._~/-", c)) return false;
    }
    if (strict) {
        /* no "." or ".." segment: the path becomes a file name */
        for (size_t i = 0; i < n; i++) {
            if (s[i] != '/') continue;
            size_t j = i + 1;
            while (j < n && s[j] == '.')
                j++;
            if (j > i + 1 && j - i - 1 <= 2 && (j == n || s[j] == '/')) return false;
            if (j < n && s[j] == '/' && j == i + 1) return false; /* "//" */
        }
    }
    return true;
}

void
form_clean_text(buf *out, const char *s, size_t n, size_t cap)
{
    size_t used = 0;
    for (size_t i = 0; i < n;) {
        uint32_t cp;
        size_t k = utf8_decode(s + i, n - i, &cp);
        /* an invalid sequence decodes as U+FFFD in one byte; a real
         * U+FFFD takes three */
        bool bad = (cp == 0xFFFD && k == 1) || cp < 0x20 || cp == 0x7f || (cp >= 0x80 && cp < 0xa0);
        size_t w = bad ? 1 : k;
        if (used + w > cap) break;
        if (bad)
            buf_putc(out, '?');
        else
            buf_put(out, s + i, k);
        used += w;
        i += k;
    }
}

/* Trims blanks (space, tab) around b's contents, in place. */
static void
trim(buf *b)
{
    size_t a = 0, z = b->len;
    while (a < z && (b->data[a] == ' ' || b->data[a] == '\t'))
        a++;
    while (z > a && (b->data[z - 1] == ' ' || b->data[z - 1] == '\t'))
        z--;
    if (a) memmove(b->data, b->data + a, z - a);
    b->len = z - a;
    if (b->data) b->data[b->len] = '\0';
}

int
form_check(form_signup *f, form_error *e)
{
    trim(&f->email);
    const char *em = buf_cstr(&f->email);
    size_t n = f->email.len;
    if (f->website.len) {
        set_error(e, "honeypot", "website", "Thank you.");
        return -1;
    }
    if (n == 0) {
        set_error(e, "email_missing", "email", "Please enter your email address.");
        return -1;
    }
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)em[i];
        if (c < 0x20 || c == 0x7f) {
            set_error(e, "email_invalid", "email",
                      "An email address cannot contain line breaks or control characters.");
            return -1;
        }
    }
    if (n > FORM_EMAIL_MAX) {
        set_error(e, "email_too_long", "email", "That email address is too long.");
        return -1;
    }
    if (!form_email_valid(em, n)) {
        set_error(e, "email_invalid", "email",
                  "Please enter a valid email address, like name@example.org.");
        return -1;
    }
    if (f->next.len && !form_local_path(buf_cstr(&f->next), f->next.len, false)) {
        set_error(e, "next_invalid", "next", "The form names a page that is not on this site.");
        return -1;
    }
    if (f->landing.len && !form_local_path(buf_cstr(&f->landing), f->landing.len, true)) {
        set_error(e, "landing_invalid", "landing",
                  "The form names a page that is not on this site.");
        return -1;
    }
    if (f->referrer.len) {
        buf clean = BUF_INIT;
        form_clean_text(&clean, f->referrer.data, f->referrer.len, FORM_REFERRER_MAX);
        buf_reset(&f->referrer);
        buf_put(&f->referrer, buf_cstr(&clean), clean.len);
        buf_free(&clean);
    }
    return 0;
}
