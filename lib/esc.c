/*
 * esc: HTML/XML and URL escaping.  See esc.h.
 */
#include "esc.h"

#include <string.h>

void
esc_html(buf *out, const char *s, size_t n)
{
    size_t run = 0; /* start of the pending run of plain bytes */
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        const char *rep;
        switch (c) {
        case '&': rep = "&amp;"; break;
        case '<': rep = "&lt;"; break;
        case '>': rep = "&gt;"; break;
        case '"': rep = "&quot;"; break;
        case '\'': rep = "&#x27;"; break;
        default:
            if (c < 0x20 && c != '\t' && c != '\n' && c != '\r')
                rep = "";
            else
                continue;
        }
        buf_put(out, s + run, i - run);
        buf_puts(out, rep);
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
