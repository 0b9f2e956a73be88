/*
 * html: one lexer, and the cutting, stripping and counting built on it.
 * See html.h.
 *
 * The lexer mirrors the HTML5 tokenizer states that decide where markup
 * ends (tag open, tag name, attribute names and values, comments, bogus
 * comments, script/style raw text); everything it does not need (entity
 * decoding, attribute values, the tree builder) it leaves alone, because
 * its callers copy the input's bytes rather than re-serialise it.
 *
 * Truncation keeps, like Django, a stack of the elements open at the cut.
 * Django finds an end tag's element by searching the whole stack, which
 * makes "<a><a>...</b></b>..." quadratic; here a count of open elements
 * per name says in O(1) whether the search can succeed, and a successful
 * search pops what it passes, so the whole pass stays linear.
 */
#include "html.h"
#include "utf8.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* Django strips until no new tag appears; this bounds "<<<<b>b>b>b>". */
#define STRIP_PASSES 16

static bool
is_alpha(unsigned char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

/* The tokenizer's white space (CR counts: HTML5 normalises it to LF). */
static bool
is_tag_space(unsigned char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\f' || c == '\r';
}

static unsigned char
lower(unsigned char c)
{
    return c >= 'A' && c <= 'Z' ? (unsigned char)(c + 32) : c;
}

static bool
ieq(const char *a, const char *b, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (lower((unsigned char)a[i]) != lower((unsigned char)b[i])) return false;
    return true;
}

size_t
html_space_len(const char *s, size_t n)
{
    unsigned char c = (unsigned char)s[0];
    if (c < 0x80) return (c == ' ' || (c >= '\t' && c <= '\r')) ? 1 : 0;
    if (c != 0xC2 && c != 0xE1 && c != 0xE2 && c != 0xE3) return 0;
    uint32_t cp;
    size_t k = utf8_decode(s, n, &cp);
    bool sp = cp == 0x85 || cp == 0xA0 || cp == 0x1680 || (cp >= 0x2000 && cp <= 0x200A) ||
              cp == 0x2028 || cp == 0x2029 || cp == 0x202F || cp == 0x205F || cp == 0x3000;
    return sp ? k : 0;
}

bool
html_is_void(const char *name, size_t n)
{
    static const char *const v[] = {"area",  "base", "br",   "col",   "embed",  "hr",    "img",
                                    "input", "link", "meta", "param", "source", "track", "wbr"};
    for (size_t i = 0; i < sizeof(v) / sizeof(v[0]); i++)
        if (strlen(v[i]) == n && ieq(name, v[i], n)) return true;
    return false;
}

static bool
is_raw_text(const char *name, size_t n)
{
    return (n == 6 && ieq(name, "script", 6)) || (n == 5 && ieq(name, "style", 5));
}

void
html_lexer_init(html_lexer *lx, const char *s, size_t n)
{
    memset(lx, 0, sizeof(*lx));
    lx->s = s;
    lx->n = n;
}

/* Does the '<' at k open markup (rather than being text)? */
static bool
opens_markup(const char *s, size_t n, size_t k)
{
    if (k + 1 >= n) return false;
    unsigned char c = (unsigned char)s[k + 1];
    return is_alpha(c) || c == '!' || c == '?' || (c == '/' && k + 2 < n);
}

/* Offset just past the first '>' at or after i, or n. */
static size_t
past_gt(const char *s, size_t n, size_t i)
{
    const char *p = i < n ? memchr(s + i, '>', n - i) : NULL;
    return p ? (size_t)(p - s) + 1 : n;
}

/* Offset past the comment whose "<!--" starts at i. */
static size_t
past_comment(const char *s, size_t n, size_t i)
{
    size_t j = i + 4;
    if (j < n && s[j] == '>') return j + 1;                        /* <!--> */
    if (j + 1 < n && s[j] == '-' && s[j + 1] == '>') return j + 2; /* <!---> */
    while (j + 1 < n) {
        const char *p = memchr(s + j, '-', n - j - 1);
        if (!p) break;
        j = (size_t)(p - s);
        if (s[j + 1] == '-') {
            if (j + 2 < n && s[j + 2] == '>') return j + 3;
            if (j + 3 < n && s[j + 2] == '!' && s[j + 3] == '>') return j + 4;
        }
        j++;
    }
    return n;
}

/*
 * Offset past the tag whose name starts at name (after "<" or "</"), or 0
 * when the input ends inside it.  Sets the name's length and whether the
 * tag ends in "/>".
 */
static size_t
past_tag(const char *s, size_t n, size_t name, size_t *name_len, bool *self_closing)
{
    size_t j = name;
    while (j < n && !is_tag_space((unsigned char)s[j]) && s[j] != '/' && s[j] != '>')
        j++;
    *name_len = j - name;
    *self_closing = false;
    for (;;) {
        while (j < n && is_tag_space((unsigned char)s[j]))
            j++;
        if (j >= n) return 0;
        if (s[j] == '>') return j + 1;
        if (s[j] == '/') {
            if (j + 1 < n && s[j + 1] == '>') {
                *self_closing = true;
                return j + 2;
            }
            j++;
            continue;
        }
        /* an attribute name; its first character may even be '=' */
        j++;
        while (j < n && !is_tag_space((unsigned char)s[j]) && s[j] != '/' && s[j] != '>' &&
               s[j] != '=')
            j++;
        while (j < n && is_tag_space((unsigned char)s[j]))
            j++;
        if (j >= n || s[j] != '=') continue;
        j++;
        while (j < n && is_tag_space((unsigned char)s[j]))
            j++;
        if (j < n && (s[j] == '"' || s[j] == '\'')) {
            const char *q = j + 1 < n ? memchr(s + j + 1, s[j], n - j - 1) : NULL;
            if (!q) return 0;
            j = (size_t)(q - s) + 1;
        } else {
            while (j < n && !is_tag_space((unsigned char)s[j]) && s[j] != '>')
                j++;
        }
    }
}

/* End of the raw text that starts at i inside the element named by lx. */
static size_t
raw_text_end(const html_lexer *lx, size_t i)
{
    const char *s = lx->s;
    size_t n = lx->n, len = lx->raw_len;
    while (i < n) {
        const char *p = memchr(s + i, '<', n - i);
        if (!p) return n;
        size_t k = (size_t)(p - s);
        if (n - k > len + 2 && s[k + 1] == '/' && ieq(s + k + 2, s + lx->raw_off, len)) {
            unsigned char c = (unsigned char)s[k + 2 + len];
            if (is_tag_space(c) || c == '/' || c == '>') return k;
        }
        i = k + 1;
    }
    return n;
}

bool
html_next(html_lexer *lx, html_tok *t)
{
    const char *s = lx->s;
    size_t n = lx->n, i = lx->pos;
    if (i >= n) return false;
    memset(t, 0, sizeof(*t));
    t->off = i;
    if (lx->raw_len) {
        size_t end = raw_text_end(lx, i);
        lx->raw_len = 0;
        if (end > i) {
            t->kind = HTML_TEXT;
            t->raw = true;
            t->len = end - i;
            lx->pos = end;
            return true;
        }
    }
    if (s[i] != '<' || !opens_markup(s, n, i)) {
        size_t j = s[i] == '<' ? i + 1 : i;
        for (;;) {
            const char *p = j < n ? memchr(s + j, '<', n - j) : NULL;
            if (!p) {
                j = n;
                break;
            }
            j = (size_t)(p - s);
            if (opens_markup(s, n, j)) break;
            j++;
        }
        t->kind = HTML_TEXT;
        t->len = j - i;
        lx->pos = j;
        return true;
    }
    unsigned char c = (unsigned char)s[i + 1];
    size_t end;
    t->kind = HTML_MARKUP;
    if (is_alpha(c) || (c == '/' && is_alpha((unsigned char)s[i + 2]))) {
        bool close = c == '/';
        size_t name = i + (close ? 2 : 1);
        end = past_tag(s, n, name, &t->name_len, &t->self_closing);
        if (end == 0) {
            end = n;
            t->name_len = 0;
            t->self_closing = false;
        } else {
            t->kind = close ? HTML_END : HTML_START;
            t->name_off = name;
            if (!close && is_raw_text(s + name, t->name_len)) {
                lx->raw_off = name;
                lx->raw_len = t->name_len;
            }
        }
    } else if (c == '/' && s[i + 2] == '>') {
        end = i + 3;
    } else if (c == '!' && n - i >= 4 && s[i + 2] == '-' && s[i + 3] == '-') {
        end = past_comment(s, n, i);
    } else {
        end = past_gt(s, n, i + 2);
    }
    t->len = end - i;
    lx->pos = end;
    return true;
}

/* ---- open elements ---- */

typedef struct name_ref {
    size_t off, len;
} name_ref;

typedef struct slot {
    size_t off, len; /* len == 0: empty */
    size_t count;
} slot;

typedef struct opens {
    const char *s;
    name_ref *v; /* the stack, innermost last */
    size_t n, cap;
    slot *tab; /* open elements per name */
    size_t tcap, tused;
} opens;

static uint64_t
name_hash(const char *s, size_t n)
{
    uint64_t h = 14695981039346656037u;
    for (size_t i = 0; i < n; i++) {
        h ^= lower((unsigned char)s[i]);
        h *= 1099511628211u;
    }
    return h;
}

static slot *
find_slot(opens *o, size_t off, size_t len)
{
    size_t mask = o->tcap - 1, i = (size_t)name_hash(o->s + off, len) & mask;
    while (o->tab[i].len && !(o->tab[i].len == len && ieq(o->s + o->tab[i].off, o->s + off, len)))
        i = (i + 1) & mask;
    return &o->tab[i];
}

static slot *
get_slot(opens *o, size_t off, size_t len)
{
    if (o->tused * 2 >= o->tcap) {
        slot *old = o->tab;
        size_t oldcap = o->tcap;
        o->tcap = oldcap ? oldcap * 2 : 16;
        o->tab = xcalloc(o->tcap, sizeof(*o->tab));
        for (size_t i = 0; i < oldcap; i++)
            if (old[i].len) *find_slot(o, old[i].off, old[i].len) = old[i];
        free(old);
    }
    slot *sl = find_slot(o, off, len);
    if (!sl->len) {
        sl->off = off;
        sl->len = len;
        o->tused++;
    }
    return sl;
}

/* Names worth closing: ASCII letter, then letters, digits, - _ . : */
static bool
plausible_name(const char *s, size_t n)
{
    if (n == 0 || !is_alpha((unsigned char)s[0])) return false;
    for (size_t i = 1; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (!is_alpha(c) && !(c >= '0' && c <= '9') && c != '-' && c != '_' && c != '.' && c != ':')
            return false;
    }
    return true;
}

/* Applies a start or end tag to the stack. */
static void
opens_tag(opens *o, const html_tok *t)
{
    if (!plausible_name(o->s + t->name_off, t->name_len)) return;
    if (t->kind == HTML_START) {
        if (t->self_closing || html_is_void(o->s + t->name_off, t->name_len)) return;
        if (o->n == o->cap) {
            o->cap = o->cap ? o->cap * 2 : 16;
            o->v = xreallocarray(o->v, o->cap, sizeof(*o->v));
        }
        o->v[o->n++] = (name_ref){t->name_off, t->name_len};
        get_slot(o, t->name_off, t->name_len)->count++;
        return;
    }
    if (!o->tcap || find_slot(o, t->name_off, t->name_len)->count == 0) return;
    for (;;) {
        name_ref top = o->v[--o->n];
        slot *sl = find_slot(o, top.off, top.len);
        sl->count--;
        if (top.len == t->name_len && ieq(o->s + top.off, o->s + t->name_off, top.len)) return;
    }
}

static void
opens_close_all(opens *o, buf *out)
{
    while (o->n > 0) {
        name_ref top = o->v[--o->n];
        buf_put(out, "</", 2);
        for (size_t i = 0; i < top.len; i++)
            buf_putc(out, lower((unsigned char)o->s[top.off + i]));
        buf_putc(out, '>');
    }
}

static void
opens_free(opens *o)
{
    free(o->v);
    free(o->tab);
}

/* ---- the functions ---- */

/* One pass of striptags; tells whether it removed any markup. */
static bool
strip_once(buf *out, const char *html, size_t n)
{
    html_lexer lx;
    html_tok t;
    bool removed = false;
    html_lexer_init(&lx, html, n);
    while (html_next(&lx, &t)) {
        if (t.kind == HTML_TEXT)
            buf_put(out, html + t.off, t.len);
        else
            removed = true;
    }
    return removed;
}

void
html_strip_tags(buf *out, const char *html, size_t n)
{
    if (n == 0 || !memchr(html, '<', n)) {
        buf_put(out, html, n);
        return;
    }
    buf a = BUF_INIT, b = BUF_INIT;
    bool removed = strip_once(&a, html, n);
    for (int pass = 1; removed && pass < STRIP_PASSES && a.len && memchr(a.data, '<', a.len);
         pass++) {
        buf_reset(&b);
        removed = strip_once(&b, a.data, a.len);
        buf tmp = a;
        a = b;
        b = tmp;
    }
    buf_put(out, a.data, a.len);
    buf_free(&a);
    buf_free(&b);
}

/* Length of the word at s (n > 0 bytes), 0 when s starts a separator. */
static size_t
word_len(const char *s, size_t n)
{
    size_t i = 0;
    while (i < n && s[i] != '<' && s[i] != '>' && html_space_len(s + i, n - i) == 0)
        i++;
    return i;
}

/* Length of the separator run at s. */
static size_t
sep_len(const char *s, size_t n)
{
    size_t i = 0, k;
    while (i < n) {
        if (s[i] == '<' || s[i] == '>')
            k = 1;
        else if ((k = html_space_len(s + i, n - i)) == 0)
            break;
        i += k;
    }
    return i;
}

void
html_truncate_words(buf *out, const char *html, size_t n, size_t words, const char *ellipsis,
                    bool *truncated)
{
    html_lexer lx;
    html_tok t;
    opens o = {html, NULL, 0, 0, NULL, 0, 0};
    size_t count = 0, end = 0;
    bool cut = false;
    html_lexer_init(&lx, html, n);
    while (!cut && html_next(&lx, &t)) {
        if (t.kind == HTML_START || t.kind == HTML_END) {
            if (count < words) opens_tag(&o, &t);
            continue;
        }
        if (t.kind != HTML_TEXT || t.raw) continue;
        const char *s = html + t.off;
        size_t i = 0;
        while (i < t.len) {
            i += sep_len(s + i, t.len - i);
            if (i >= t.len) break;
            if (++count > words) {
                cut = true;
                break;
            }
            i += word_len(s + i, t.len - i);
            if (count == words) end = t.off + i;
        }
    }
    if (truncated) *truncated = cut;
    if (words > 0 && !cut) {
        buf_put(out, html, n);
    } else if (words > 0) {
        buf_put(out, html, end);
        if (ellipsis) buf_puts(out, ellipsis);
        opens_close_all(&o, out);
    }
    opens_free(&o);
}

/* Length of the character at s: a whole entity (&name; &#38; &#x26;)
 * counts as one, so a cut never splits it. */
static size_t
char_len(const char *s, size_t n)
{
    if (s[0] == '&') {
        size_t i = 1;
        while (i < n && i < 40 &&
               (is_alpha((unsigned char)s[i]) || s[i] == '#' || (s[i] >= '0' && s[i] <= '9')))
            i++;
        if (i > 1 && i < n && s[i] == ';') return i + 1;
    }
    size_t k = 1;
    while (k < n && ((unsigned char)s[k] & 0xC0) == 0x80)
        k++;
    return k;
}

void
html_truncate_chars(buf *out, const char *html, size_t n, size_t chars, const char *ellipsis,
                    bool *truncated)
{
    html_lexer lx;
    html_tok t;
    opens o = {html, NULL, 0, 0, NULL, 0, 0};
    size_t count = 0, end = 0, keep = chars ? chars - 1 : 0;
    bool cut = false;
    html_lexer_init(&lx, html, n);
    while (!cut && html_next(&lx, &t)) {
        if (t.kind == HTML_START || t.kind == HTML_END) {
            if (count < keep) opens_tag(&o, &t);
            continue;
        }
        if (t.kind != HTML_TEXT || t.raw) continue;
        const char *s = html + t.off;
        for (size_t i = 0; i < t.len;) {
            if (++count > chars) {
                cut = true;
                break;
            }
            i += char_len(s + i, t.len - i);
            if (count == keep) end = t.off + i;
        }
    }
    if (truncated) *truncated = cut;
    if (!cut) {
        buf_put(out, html, n);
    } else {
        buf_put(out, html, end);
        if (ellipsis) buf_puts(out, ellipsis);
        opens_close_all(&o, out);
    }
    opens_free(&o);
}

void
html_balance(buf *out, const char *html, size_t n)
{
    html_lexer lx;
    html_tok t;
    opens o = {html, NULL, 0, 0, NULL, 0, 0};
    html_lexer_init(&lx, html, n);
    while (html_next(&lx, &t))
        if (t.kind == HTML_START || t.kind == HTML_END) opens_tag(&o, &t);
    buf_put(out, html, n);
    opens_close_all(&o, out);
    opens_free(&o);
}

/* For html_word_count: 1 an ASCII space, 2 the first byte of what may be
 * a Unicode space (html_space_len decides), 0 a byte of a word. */
static const unsigned char space_class[256] = {
    ['\t'] = 1, ['\n'] = 1, ['\v'] = 1, ['\f'] = 1, ['\r'] = 1,
    [' '] = 1,  [0xC2] = 2, [0xE1] = 2, [0xE2] = 2, [0xE3] = 2,
};

size_t
html_word_count(const char *html, size_t n)
{
    html_lexer lx;
    html_tok t;
    size_t count = 0;
    unsigned after_space = 1; /* the byte before was a space, or none */
    html_lexer_init(&lx, html, n);
    while (html_next(&lx, &t)) {
        if (t.kind != HTML_TEXT) continue;
        const unsigned char *s = (const unsigned char *)html + t.off;
        for (size_t i = 0; i < t.len;) {
            /* without branches but for the rare byte that may start a
             * Unicode space: words and spaces alternate every few bytes,
             * and mispredicted branches were most of the count's time */
            unsigned cls = space_class[s[i]];
            if (cls == 2) {
                size_t k = html_space_len((const char *)s + i, t.len - i);
                if (k) {
                    after_space = 1;
                    i += k;
                    continue;
                }
                cls = 0;
            }
            count += (cls == 0) & after_space;
            after_space = cls;
            i++;
        }
    }
    return count;
}
