/*
 * hl lexers for markup: HTML, XML, Django/Jinja templates and CSS.
 *
 * HTML and XML share one tag scanner; they differ only in how Pygments
 * classes a tag's brackets (HTML: "<" p, name nt; XML: "<name" nt) and
 * attribute names (XML's include the "=").  A <script> or <style>
 * element's content is lexed as JavaScript or CSS up to its end tag.
 * Django templates are Pygments' HtmlDjangoLexer: the template tags are
 * lexed here and everything between them, joined, as HTML (so a tag in
 * the middle of an attribute value splits the string, as there).  CSS
 * keeps a stack of blocks: a rule list (the top level, @media) or a
 * declaration list (where "name:" starts a property).
 */
#include "highlight_int.h"

#include <string.h>

/* ---- HTML and XML ---- */

static bool
tag_name_char(int c)
{
    return hl_isidchar(c) || c == ':' || c == '.' || c == '-';
}

/* An entity at pos ("&amp;", "&#169;", "&#x1F600;"): its length or 0. */
static size_t
entity_len(const hl_lex *lx)
{
    size_t i = lx->pos + 1, lim = lx->pos + 40;
    if (hl_at(lx, i) == '#') i++;
    size_t start = i;
    while (i < lim && (hl_isalpha(hl_at(lx, i)) || hl_isdigit(hl_at(lx, i))))
        i++;
    return i > start && hl_at(lx, i) == ';' ? i + 1 - lx->pos : 0;
}

/* The attributes and the end of a start tag, after its name. */
static void
tag_attrs(hl_lex *lx, bool xml)
{
    const char *close = xml ? "nt" : "p";
    while (lx->pos < lx->n) {
        size_t p0 = lx->pos, i = p0;
        int c = (unsigned char)lx->s[i];
        if (hl_isspace(c)) {
            hl_emit_to(lx, "", hl_space_end(lx, i));
        } else if (c == '>') {
            hl_emit(lx, close, 1);
            return;
        } else if (c == '/' && hl_at(lx, i + 1) == '>') {
            hl_emit(lx, close, 2);
            return;
        } else if (c == '"' || c == '\'') {
            size_t e = hl_find(lx, i + 1, c == '"' ? "\"" : "'", false);
            hl_emit_to(lx, "s", e);
        } else if (c == '=') {
            hl_emit(lx, "o", 1);
            size_t j = hl_space_end(lx, i + 1);
            hl_emit_to(lx, "", j);
            int q = hl_at(lx, j);
            if (q == '"' || q == '\'') {
                hl_emit_to(lx, "s", hl_find(lx, j + 1, q == '"' ? "\"" : "'", false));
            } else {
                size_t e = j;
                while (e < lx->n && !hl_isspace((unsigned char)lx->s[e]) && lx->s[e] != '>')
                    e++;
                hl_emit_to(lx, "s", e);
            }
        } else if (c == '/' || c == '<') {
            hl_emit(lx, "p", 1);
        } else {
            size_t e = i;
            while (e < lx->n && !hl_isspace((unsigned char)lx->s[e]) && !hl_in("=>/\"'<", lx->s[e]))
                e++;
            if (xml) {
                /* Pygments' XML attribute names take the "=" */
                size_t j = hl_space_end(lx, e);
                if (hl_at(lx, j) == '=') e = j + 1;
            }
            hl_emit_to(lx, "na", e);
            if (xml && lx->s[lx->pos - 1] == '=') {
                size_t j = hl_space_end(lx, lx->pos);
                hl_emit_to(lx, "", j);
                int q = hl_at(lx, j);
                if (q == '"' || q == '\'')
                    hl_emit_to(lx, "s", hl_find(lx, j + 1, q == '"' ? "\"" : "'", false));
            }
        }
        hl_progress(lx, p0);
    }
}

/* The content of a <script> or <style> element, up to its end tag. */
static void
raw_text(hl_lex *lx, const char *end_tag, hl_lexfn fn)
{
    size_t e = hl_search(lx, lx->pos, end_tag, true);
    hl_sub(lx, fn, e == SIZE_MAX ? lx->n : e);
}

static void
markup(hl_lex *lx, bool xml)
{
    while (lx->pos < lx->n) {
        size_t p0 = lx->pos, i = p0;
        int c = (unsigned char)lx->s[i];
        if (c == '&') {
            size_t len = entity_len(lx);
            hl_emit(lx, len ? "ni" : "", len ? len : 1);
        } else if (c != '<') {
            size_t j = i + 1;
            while (j < lx->n && lx->s[j] != '<' && lx->s[j] != '&')
                j++;
            hl_emit_to(lx, "", j);
        } else if (hl_starts(lx, i, "<!--", false)) {
            hl_emit_to(lx, "cm", hl_find(lx, i + 4, "-->", false));
        } else if (hl_starts(lx, i, "<![CDATA[", false)) {
            hl_emit_to(lx, "cp", hl_find(lx, i + 9, "]]>", false));
        } else if (hl_at(lx, i + 1) == '!') {
            hl_emit_to(lx, "cp", hl_find(lx, i + 2, ">", false));
        } else if (hl_at(lx, i + 1) == '?') {
            hl_emit_to(lx, "cp", hl_find(lx, i + 2, "?>", false));
        } else if (hl_at(lx, i + 1) == '/') {
            size_t j = hl_space_end(lx, i + 2), e = j;
            while (e < lx->n && tag_name_char((unsigned char)lx->s[e]))
                e++;
            if (e == j) {
                hl_emit(lx, "", 2);
            } else {
                size_t k = hl_space_end(lx, e);
                bool closed = hl_at(lx, k) == '>';
                if (xml) {
                    hl_emit_to(lx, "nt", closed ? k + 1 : e);
                } else {
                    hl_emit(lx, "p", 2);
                    hl_emit_to(lx, "", j);
                    hl_emit_to(lx, "nt", e);
                    hl_emit_to(lx, "", k);
                    if (closed) hl_emit(lx, "p", 1);
                }
            }
        } else {
            size_t j = hl_space_end(lx, i + 1), e = j;
            while (e < lx->n && tag_name_char((unsigned char)lx->s[e]))
                e++;
            if (e == j) {
                hl_emit(lx, "", 1);
            } else {
                if (xml) {
                    hl_emit_to(lx, "nt", e);
                } else {
                    hl_emit(lx, "p", 1);
                    hl_emit_to(lx, "", j);
                    hl_emit_to(lx, "nt", e);
                }
                size_t len = e - j;
                tag_attrs(lx, xml);
                bool closed =
                    lx->pos >= 2 && lx->s[lx->pos - 1] == '>' && lx->s[lx->pos - 2] != '/';
                if (!xml && closed && len == 6 && hl_starts(lx, j, "script", true))
                    raw_text(lx, "</script", hl_lex_js);
                else if (!xml && closed && len == 5 && hl_starts(lx, j, "style", true))
                    raw_text(lx, "</style", hl_lex_css);
            }
        }
        hl_progress(lx, p0);
    }
}

void
hl_lex_html(hl_lex *lx)
{
    markup(lx, false);
}

void
hl_lex_xml(hl_lex *lx)
{
    markup(lx, true);
}

/* ---- Django and Jinja templates ---- */

static const char *const dj_pseudo[] = {"_",    "true",  "false", "none",
                                        "True", "False", "None",  NULL};
static const char *const dj_keywords[] = {
    "in",   "as",     "reversed", "recursive", "not",     "and",    "or",     "is",      "if",
    "else", "import", "with",     "without",   "context", "scoped", "ignore", "missing", NULL};
static const char *const dj_builtins[] = {"loop", "block", "super", "forloop", NULL};

/* The inside of {{ }} or {% %}, up to and with the closing delimiter. */
static void
dj_inside(hl_lex *lx, char close)
{
    while (lx->pos < lx->n) {
        size_t p0 = lx->pos, i = p0;
        int c = (unsigned char)lx->s[i];
        if (hl_isspace(c)) {
            hl_emit_to(lx, "", hl_space_end(lx, i));
        } else if (c == close && hl_at(lx, i + 1) == '}') {
            hl_emit(lx, "cp", 2);
            return;
        } else if (c == '-' && hl_at(lx, i + 1) == close && hl_at(lx, i + 2) == '}') {
            hl_emit(lx, "", 1);
            hl_emit(lx, "cp", 2);
            return;
        } else if (c == '|') {
            hl_emit(lx, "o", 1);
            size_t j = hl_space_end(lx, i + 1);
            if (hl_isalpha(hl_at(lx, j)) || hl_at(lx, j) == '_') {
                hl_emit_to(lx, "", j);
                hl_emit_to(lx, "nf", hl_ident_end(lx, j));
            }
        } else if (hl_isalpha(c) || c == '_') {
            size_t e = i;
            while (e < lx->n && (hl_isidchar((unsigned char)lx->s[e]) || lx->s[e] == '-'))
                e++;
            while (e > i + 1 && lx->s[e - 1] == '-')
                e--; /* "x-}}": the dash trims */
            const char *w = lx->s + i;
            size_t len = e - i;
            const char *cls = hl_word(dj_pseudo, w, len)     ? "kp"
                              : hl_word(dj_keywords, w, len) ? "k"
                              : hl_word(dj_builtins, w, len) ? "nb"
                                                             : "nv";
            hl_emit_to(lx, cls, e);
        } else if (c == '.' && hl_isidchar(hl_at(lx, i + 1))) {
            hl_emit_to(lx, "nv", hl_ident_end(lx, i + 1));
        } else if (c == '"' || c == '\'' ||
                   (c == ':' && (hl_at(lx, i + 1) == '"' || hl_at(lx, i + 1) == '\''))) {
            int q = c == ':' ? hl_at(lx, i + 1) : c;
            const char *cls = q == '"' ? "s2" : "s1";
            if (c == ':') hl_emit(lx, cls, 1);
            hl_quoted(lx, q, cls, NULL, false);
        } else if (hl_isdigit(c)) {
            size_t e = i;
            while (e < lx->n && (hl_isidchar((unsigned char)lx->s[e]) || lx->s[e] == '.'))
                e++;
            hl_emit_to(lx, "m", e);
        } else if (hl_in("{}()[]+-*/%,:~<>=!", c)) {
            hl_emit(lx, "o", 1);
        } else {
            hl_emit(lx, "p", 1);
        }
        hl_progress(lx, p0);
    }
}

/*
 * The start of the next "{% endNAME %}" (with optional "-" trims) from i
 * on, or SIZE_MAX.  *none remembers that there is none from an offset on,
 * which keeps a page of unclosed blocks linear.
 */
static size_t
dj_find_end(const hl_lex *lx, size_t i, const char *word, size_t *none)
{
    size_t wlen = strlen(word);
    while (i < *none) {
        size_t w = hl_search(lx, i, word, false);
        if (w == SIZE_MAX) break;
        size_t b = w;
        while (b > i && hl_isspace((unsigned char)lx->s[b - 1]))
            b--;
        if (b > i && lx->s[b - 1] == '-') b--;
        size_t k = hl_space_end(lx, w + wlen);
        if (hl_at(lx, k) == '-') k++;
        if (b >= i + 2 && lx->s[b - 2] == '{' && lx->s[b - 1] == '%' && hl_at(lx, k) == '%' &&
            hl_at(lx, k + 1) == '}')
            return b - 2;
        i = w + wlen;
    }
    if (i < *none) *none = i;
    return SIZE_MAX;
}

void
hl_lex_django(hl_lex *lx)
{
    size_t first = lx->nv;
    size_t no_endcomment = lx->n, no_endraw = lx->n;
    while (lx->pos < lx->n) {
        size_t p0 = lx->pos, i = p0;
        int c = (unsigned char)lx->s[i], d = hl_at(lx, i + 1);
        if (c != '{' || (d != '{' && d != '%' && d != '#')) {
            size_t j = i + 1;
            while (j < lx->n && lx->s[j] != '{')
                j++;
            hl_emit_to(lx, HL_OTHER, j);
            continue;
        }
        if (d == '#') {
            hl_emit_to(lx, "c", hl_find(lx, i + 2, "#}", false));
            continue;
        }
        hl_emit(lx, "cp", 2);
        if (d == '{') {
            dj_inside(lx, '}');
            continue;
        }
        size_t j = hl_space_end(lx, i + 2);
        if (hl_at(lx, j) == '-') j = hl_space_end(lx, j + 1);
        size_t e = hl_ident_end(lx, j);
        hl_emit_to(lx, "", j);
        bool comment = e - j == 7 && hl_starts(lx, j, "comment", false);
        bool raw = e - j == 3 && hl_starts(lx, j, "raw", false);
        bool filter = e - j == 6 && hl_starts(lx, j, "filter", false);
        if (e > j && hl_isalpha((unsigned char)lx->s[j])) hl_emit_to(lx, "k", e);
        if (filter) {
            size_t k = hl_space_end(lx, e);
            if (k > e && hl_isidstart(hl_at(lx, k))) {
                hl_emit_to(lx, "", k);
                hl_emit_to(lx, "nf", hl_ident_end(lx, k));
            }
        }
        dj_inside(lx, '%');
        if (comment || raw) {
            size_t *none = comment ? &no_endcomment : &no_endraw;
            size_t end = dj_find_end(lx, lx->pos, comment ? "endcomment" : "endraw", none);
            if (end != SIZE_MAX) {
                hl_emit_to(lx, comment ? "c" : "", end);
                hl_emit(lx, "cp", 2);
                size_t w = hl_space_end(lx, lx->pos);
                if (hl_at(lx, w) == '-') w = hl_space_end(lx, w + 1);
                hl_emit_to(lx, "", w);
                hl_emit_to(lx, "k", hl_ident_end(lx, w));
                dj_inside(lx, '%');
            }
        }
        hl_progress(lx, p0);
    }
    hl_delegate(lx, first, hl_lex_html);
}

/* ---- CSS ---- */

enum { CSS_RULES = 1, CSS_DECL };

static const char *const css_nested_at[] = {
    "media", "supports",  "document",          "layer",          "container",
    "scope", "keyframes", "-webkit-keyframes", "starting-style", NULL};

/* A CSS identifier (with leading "-" or "--") at i: its end, or i. */
static size_t
css_ident_end(const hl_lex *lx, size_t i)
{
    size_t j = i;
    while (hl_at(lx, j) == '-')
        j++;
    if (!hl_isidstart(hl_at(lx, j)) && !(j > i + 1 && hl_isidchar(hl_at(lx, j)))) return i;
    while (j < lx->n && (hl_isidchar((unsigned char)lx->s[j]) || lx->s[j] == '-'))
        j++;
    return j;
}

/* A number and its unit at pos: 12px, .5em, 100%, -3. */
static bool
css_number(hl_lex *lx)
{
    size_t i = lx->pos, j = i;
    if (hl_at(lx, j) == '+' || hl_at(lx, j) == '-') j++;
    size_t d = j;
    while (hl_isdigit(hl_at(lx, j)))
        j++;
    bool frac = false;
    if (hl_at(lx, j) == '.' && hl_isdigit(hl_at(lx, j + 1))) {
        frac = true;
        j++;
        while (hl_isdigit(hl_at(lx, j)))
            j++;
    }
    if (j == d) return false;
    if (j > i && (hl_at(lx, i) == '-' || hl_at(lx, i) == '+') && i > 0 &&
        (hl_isidchar((unsigned char)lx->s[i - 1])))
        return false; /* part of a name */
    hl_emit_to(lx, frac ? "mf" : "mi", j);
    if (hl_at(lx, j) == '%')
        hl_emit(lx, "kt", 1);
    else if (hl_isalpha(hl_at(lx, j)))
        hl_emit_to(lx, "kt", hl_ident_end(lx, j));
    return true;
}

/* Tokens every part of CSS has: comments, strings, white space. */
static bool
css_common(hl_lex *lx)
{
    size_t i = lx->pos;
    int c = (unsigned char)lx->s[i];
    if (hl_isspace(c)) {
        hl_emit_to(lx, "", hl_space_end(lx, i));
    } else if (c == '/' && hl_at(lx, i + 1) == '*') {
        hl_emit_to(lx, "c", hl_find(lx, i + 2, "*/", false));
    } else if (c == '"' || c == '\'') {
        hl_quoted(lx, c, c == '"' ? "s2" : "s1", NULL, true);
    } else {
        return false;
    }
    return true;
}

/* A value, after "property:" or in an at-rule's prelude, to ; { or }. */
static void
css_value(hl_lex *lx, bool prelude)
{
    while (lx->pos < lx->n) {
        size_t p0 = lx->pos, i = p0;
        int c = (unsigned char)lx->s[i];
        if (c == ';' || c == '{' || c == '}') return;
        if (css_common(lx)) {
            /* done */
        } else if (css_number(lx)) {
            /* done */
        } else if (c == '#' && hl_isxdigit(hl_at(lx, i + 1)) && !prelude) {
            size_t e = i + 1;
            while (hl_isidchar(hl_at(lx, e)))
                e++;
            hl_emit_to(lx, "mh", e);
        } else if (c == '!' && hl_isalpha(hl_at(lx, hl_blank_end(lx, i + 1)))) {
            hl_emit_to(lx, "cp", hl_ident_end(lx, hl_blank_end(lx, i + 1)));
        } else if (css_ident_end(lx, i) > i) {
            size_t e = css_ident_end(lx, i);
            if (hl_at(lx, e) == '(') {
                bool url = e - i == 3 && hl_starts(lx, i, "url", true);
                hl_emit_to(lx, "nb", e);
                hl_emit(lx, "p", 1);
                int q = hl_at(lx, hl_space_end(lx, lx->pos));
                if (url && q != '"' && q != '\'') {
                    size_t k = lx->pos;
                    while (k < lx->n && lx->s[k] != ')' && lx->s[k] != '\n' && lx->s[k] != ';')
                        k++;
                    hl_emit_to(lx, "s", k);
                }
            } else if (lx->s[i] == '-' && hl_at(lx, i + 1) == '-') {
                hl_emit_to(lx, "nv", e);
            } else if (prelude) {
                bool kw = (e - i == 3 && (hl_starts(lx, i, "and", true))) ||
                          (e - i == 3 && hl_starts(lx, i, "not", true)) ||
                          (e - i == 4 && hl_starts(lx, i, "only", true)) ||
                          (e - i == 2 && hl_starts(lx, i, "or", true));
                hl_emit_to(lx, kw ? "ow" : "n", e);
            } else {
                hl_emit_to(lx, "kc", e);
            }
        } else if (c == ',' || c == '(' || c == ')' || c == ':') {
            hl_emit(lx, "p", 1);
        } else if (hl_in("+-*/=<>", c)) {
            hl_emit(lx, "o", 1);
        } else {
            hl_emit(lx, "", 1);
        }
        hl_progress(lx, p0);
    }
}

/* A selector, to { ; or }. */
static void
css_selector(hl_lex *lx)
{
    while (lx->pos < lx->n) {
        size_t p0 = lx->pos, i = p0;
        int c = (unsigned char)lx->s[i];
        if (c == '{' || c == '}' || c == ';') return;
        if (css_common(lx)) {
            /* done */
        } else if ((c == '.' || c == '#') && css_ident_end(lx, i + 1) > i + 1) {
            hl_emit(lx, "p", 1);
            hl_emit_to(lx, c == '.' ? "nc" : "nn", css_ident_end(lx, i + 1));
        } else if (c == ':') {
            size_t j = i + (hl_at(lx, i + 1) == ':' ? 2 : 1);
            hl_emit_to(lx, "p", j);
            hl_emit_to(lx, "nd", css_ident_end(lx, j));
        } else if (c == '[') {
            hl_emit(lx, "o", 1);
            size_t j = hl_space_end(lx, lx->pos);
            hl_emit_to(lx, "", j);
            hl_emit_to(lx, "na", css_ident_end(lx, j));
        } else if (css_ident_end(lx, i) > i) {
            hl_emit_to(lx, "nt", css_ident_end(lx, i));
        } else if (hl_isdigit(c)) {
            css_number(lx);
        } else if (c == '(' || c == ')') {
            hl_emit(lx, "p", 1);
        } else if (c == ',' || hl_in(">+~*&|^$=]", c)) {
            hl_emit(lx, "o", 1);
        } else {
            hl_emit(lx, "", 1);
        }
        hl_progress(lx, p0);
    }
}

void
hl_lex_css(hl_lex *lx)
{
    bool stmt = true; /* at the start of a declaration */
    while (lx->pos < lx->n) {
        size_t p0 = lx->pos, i = p0;
        int c = (unsigned char)lx->s[i], top = hl_top(lx);
        if (css_common(lx)) {
            /* done */
        } else if (c == '{') {
            hl_emit(lx, "p", 1);
            hl_push(lx, CSS_DECL);
            stmt = true;
        } else if (c == '}') {
            hl_emit(lx, "p", 1);
            hl_pop(lx);
            stmt = true;
        } else if (c == ';') {
            hl_emit(lx, "p", 1);
            stmt = true;
        } else if (c == '@' && css_ident_end(lx, i + 1) > i + 1) {
            size_t e = css_ident_end(lx, i + 1);
            bool nested = hl_word(css_nested_at, lx->s + i + 1, e - i - 1);
            hl_emit(lx, "p", 1);
            hl_emit_to(lx, "k", e);
            css_value(lx, true);
            if (hl_at(lx, lx->pos) == '{') {
                hl_emit(lx, "p", 1);
                hl_push(lx, nested ? CSS_RULES : CSS_DECL);
            }
            stmt = true;
        } else if (top == CSS_DECL && stmt && css_ident_end(lx, i) > i &&
                   hl_at(lx, hl_blank_end(lx, css_ident_end(lx, i))) == ':' &&
                   hl_at(lx, hl_blank_end(lx, css_ident_end(lx, i)) + 1) != ':') {
            size_t e = css_ident_end(lx, i);
            hl_emit_to(lx, c == '-' && hl_at(lx, i + 1) == '-' ? "nv" : "k", e);
            hl_emit_to(lx, "", hl_blank_end(lx, e));
            hl_emit(lx, "p", 1);
            css_value(lx, false);
            stmt = false;
        } else {
            css_selector(lx);
            stmt = false;
        }
        hl_progress(lx, p0);
    }
}
