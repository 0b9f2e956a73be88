/*
 * esc: HTML/XML and URL escaping.  See esc.h.
 */
#include "esc.h"

#include <string.h>

/* What each byte becomes: 0 itself, else an index into reps. */
static const unsigned char html_class[256] = {
    [0] = 1,  [1] = 1,  [2] = 1,   [3] = 1,   [4] = 1,   [5] = 1,   [6] = 1,    [7] = 1,  [8] = 1,
    [11] = 1, [12] = 1, [14] = 1,  [15] = 1,  [16] = 1,  [17] = 1,  [18] = 1,   [19] = 1, [20] = 1,
    [21] = 1, [22] = 1, [23] = 1,  [24] = 1,  [25] = 1,  [26] = 1,  [27] = 1,   [28] = 1, [29] = 1,
    [30] = 1, [31] = 1, ['&'] = 2, ['<'] = 3, ['>'] = 4, ['"'] = 5, ['\''] = 6,
};
static const struct {
    const char *s;
    size_t n;
} reps[] = {{"", 0}, {"", 0}, {"&amp;", 5}, {"&lt;", 4}, {"&gt;", 4}, {"&quot;", 6}, {"&#x27;", 6}};

void
esc_html(buf *out, const char *s, size_t n)
{
    const unsigned char *u = (const unsigned char *)s;
    size_t i = 0;
    while (i < n) {
        size_t run = i;
        while (i < n && !html_class[u[i]])
            i++;
        buf_put(out, s + run, i - run);
        if (i == n) break;
        unsigned char c = html_class[u[i]];
        buf_put(out, reps[c].s, reps[c].n);
        i++;
    }
}

void
esc_url(buf *out, const char *s, size_t n, const char *keep)
{
    static const char hex[] = "0123456789ABCDEF";
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
            c == '-' || c == '.' || c == '_' || c == '~' || (c && keep && strchr(keep, c))) {
            buf_putc(out, c);
        } else {
            char e[3] = {'%', hex[c >> 4], hex[c & 15]};
            buf_put(out, e, 3);
        }
    }
}

void
esc_json(buf *out, const char *s, size_t n)
{
    buf_putc(out, '"');
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        switch (c) {
        case '"': buf_puts(out, "\\\""); break;
        case '\\': buf_puts(out, "\\\\"); break;
        case '\n': buf_puts(out, "\\n"); break;
        case '\r': buf_puts(out, "\\r"); break;
        case '\t': buf_puts(out, "\\t"); break;
        case '<': buf_puts(out, "\\u003c"); break;
        case '>': buf_puts(out, "\\u003e"); break;
        case '&': buf_puts(out, "\\u0026"); break;
        default:
            if (c < 0x20 || c == 0x7f) {
                buf_printf(out, "\\u%04x", c);
            } else if (c == 0xE2 && i + 2 < n && (unsigned char)s[i + 1] == 0x80 &&
                       ((unsigned char)s[i + 2] == 0xA8 || (unsigned char)s[i + 2] == 0xA9)) {
                /* U+2028, U+2029: valid JSON, but line breaks to old JS parsers */
                buf_puts(out, (unsigned char)s[i + 2] == 0xA8 ? "\\u2028" : "\\u2029");
                i += 2;
            } else {
                buf_putc(out, c);
            }
        }
    }
    buf_putc(out, '"');
}
