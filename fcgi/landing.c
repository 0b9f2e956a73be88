/*
 * landing: fills the landing page's markers.  See landing.h.
 */
#include "landing.h"
#include "esc.h"
#include "fs.h"

#include <stdlib.h>
#include <string.h>

static const char err_marker[] = "<!--hone:signup-error-->";

/* The value slot of a field: data-hone-value="NAME" value="" */
static const char *
find_slot(const char *p, size_t n, const char *name, size_t *len)
{
    buf pat = BUF_INIT;
    buf_printf(&pat, "data-hone-value=\"%s\" value=\"\"", name);
    const char *hit = NULL;
    for (size_t i = 0; pat.len <= n && i <= n - pat.len; i++) {
        if (p[i] == 'd' && memcmp(p + i, pat.data, pat.len) == 0) {
            hit = p + i;
            break;
        }
    }
    *len = pat.len;
    buf_free(&pat);
    return hit;
}

int
landing_fill(const char *page, size_t n, const char *message, const char *email,
             const char *referrer, buf *out)
{
    const char *em = NULL;
    for (size_t i = 0; n >= sizeof(err_marker) - 1 && i <= n - (sizeof(err_marker) - 1); i++)
        if (page[i] == '<' && memcmp(page + i, err_marker, sizeof(err_marker) - 1) == 0) {
            em = page + i;
            break;
        }
    if (!em) return -1;
    struct slot {
        const char *at;
        size_t len;
        int kind; /* 0 message, 1 email, 2 referrer */
    } s[3];
    size_t ns = 0;
    s[ns++] = (struct slot){em, sizeof(err_marker) - 1, 0};
    size_t l;
    const char *p;
    if ((p = find_slot(page, n, "email", &l))) s[ns++] = (struct slot){p, l, 1};
    if ((p = find_slot(page, n, "referrer", &l))) s[ns++] = (struct slot){p, l, 2};
    /* in page order */
    for (size_t i = 1; i < ns; i++)
        for (size_t j = i; j > 0 && s[j].at < s[j - 1].at; j--) {
            struct slot t = s[j];
            s[j] = s[j - 1];
            s[j - 1] = t;
        }
    const char *at = page;
    for (size_t i = 0; i < ns; i++) {
        if (s[i].at < at) continue; /* overlapping markers: keep the first */
        buf_put(out, at, (size_t)(s[i].at - at));
        if (s[i].kind == 0) {
            buf_puts(out, "<p class=\"signup-error\" role=\"alert\" id=\"signup-error\">");
            esc_html(out, message, strlen(message));
            buf_puts(out, "</p>");
        } else {
            const char *v = s[i].kind == 1 ? email : referrer;
            buf_printf(out, "data-hone-value=\"%s\" value=\"",
                       s[i].kind == 1 ? "email" : "referrer");
            esc_html(out, v, strlen(v));
            buf_putc(out, '"');
        }
        at = s[i].at + s[i].len;
    }
    buf_put(out, at, (size_t)(page + n - at));
    return 0;
}

static const char *
str(const buf *b)
{
    return b->data ? b->data : "";
}

static void
builtin(const char *base_path, const char *message, const form_signup *f, buf *out)
{
    buf_puts(out, "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
                  "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
                  "<title>Sign up</title>\n</head>\n<body>\n<main>\n<h1>Sign up</h1>\n"
                  "<p class=\"signup-error\" role=\"alert\" id=\"signup-error\">");
    esc_html(out, message, strlen(message));
    buf_puts(out, "</p>\n<form method=\"post\" action=\"");
    esc_html(out, base_path, strlen(base_path));
    buf_puts(out, "signup\">\n<label>Email <input type=\"email\" name=\"email\" required "
                  "autocomplete=\"email\" value=\"");
    esc_html(out, str(&f->email), f->email.len);
    buf_puts(out, "\"></label>\n<input type=\"hidden\" name=\"referrer\" value=\"");
    esc_html(out, str(&f->referrer), f->referrer.len);
    buf_puts(out, "\">\n<button type=\"submit\">Sign up</button>\n</form>\n</main>\n</body>\n"
                  "</html>\n");
}

int
landing_render(const char *public_dir, const char *base_path, const char *landing,
               const char *message, const form_signup *f, buf *out)
{
    buf path = BUF_INIT;
    size_t bl = strlen(base_path);
    buf_puts(&path, public_dir);
    if (landing && landing[0] && strncmp(landing, base_path, bl) == 0) {
        const char *rel = landing + bl - 1; /* keeps the leading '/' */
        size_t n = strlen(rel);
        buf_puts(&path, rel);
        const char *last = strrchr(rel, '/');
        if (rel[n - 1] == '/')
            buf_puts(&path, "index.html");
        else if (!strchr(last, '.'))
            buf_puts(&path, "/index.html");
    } else {
        buf_puts(&path, "/_home/anon/index.html");
    }
    char *page = NULL;
    size_t n = 0;
    int rc = 1;
    if (fs_read_file(path.data, 4u << 20, &page, &n) == 0 &&
        landing_fill(page, n, message, str(&f->email), str(&f->referrer), out) == 0)
        rc = 0;
    if (rc) {
        buf_reset(out);
        builtin(base_path, message, f, out);
    }
    free(page);
    buf_free(&path);
    return rc;
}
