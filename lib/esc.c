/*
 * esc: HTML/XML and URL escaping.  See esc.h.
 */
#include "esc.h"

#include <string.h>

/* What each byte becomes: NULL for itself, "" for nothing. */
static const char *const html_rep[256] = {
    [0] = "",     [1] = "",      [2] = "",     [3] = "",      [4] = "",       [5] = "",
    [6] = "",     [7] = "",      [8] = "",     [11] = "",     [12] = "",      [14] = "",
    [15] = "",    [16] = "",     [17] = "",    [18] = "",     [19] = "",      [20] = "",
    [21] = "",    [22] = "",     [23] = "",    [24] = "",     [25] = "",      [26] = "",
    [27] = "",    [28] = "",     [29] = "",    [30] = "",     [31] = "",      ['&'] = "&amp;",
    ['<'] = "&lt;", ['>'] = "&gt;", ['"'] = "&quot;", ['\''] = "&#x27;",
};

void
esc_html(buf *out, const char *s, size_t n)
{
    size_t run = 0; /* start of the pending run of plain bytes */
    for (size_t i = 0; i < n; i++) {
        const char *rep = html_rep[(unsigned char)s[i]];
        if (!rep)
            continue;
        buf_put(out, s + run, i - run);
        buf_put(out, rep, __builtin_strlen(rep));
        run = i + 1;
    }
    buf_put(out, s + run, n - run);
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
