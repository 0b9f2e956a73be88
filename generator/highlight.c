/*
 * hl: syntax highlighting on the server.  See highlight.h.
 *
 * This file is the core: the table of languages and their aliases, the
 * token array every lexer appends to (hl_emit, which can only cut the
 * next bytes off the input, so the tokens always join back into the input
 * exactly), the helpers the lexers share (scanners, numbers, quoted
 * strings, sub-lexing and delegation, the frame stack), the HTML writer
 * and the stylesheets.  The lexers themselves live by family in
 * highlight_script.c (Python, pycon, bash, console), highlight_markup.c
 * (HTML, XML, Django, CSS), highlight_code.c (JavaScript, C, Go, Rust,
 * SQL) and highlight_config.c (JSON, YAML, TOML, INI, diff, nginx,
 * Dockerfile, make).  highlight_int.h says what a lexer must guarantee.
 *
 * The HTML is Chroma's (Hugo's highlighter), so Hugo themes' stylesheets
 * apply unchanged:
 *   <div class="highlight"><pre tabindex="0" class="chroma"><code
 *   class="language-go" data-lang="go">...</code></pre></div>
 * Each token is <span class="CLS">text</span>, plain text bare.  With line
 * numbers or marked lines every line becomes Chroma's inline form
 *   <span class="line [hl]"><span class="ln">N</span><span class="cl">
 *   ...</span></span>
 * and a token that spans lines is cut at each newline (which stays in the
 * line it ends) so that the spans nest.
 *
 * No global mutable state: everything lives in the hl_lex of one call.
 */
#include "highlight.h"
#include "esc.h"
#include "highlight_int.h"

#include <assert.h>
#include <limits.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* ---- languages ---- */

typedef struct hl_lang {
    const char *name;
    hl_lexfn fn; /* NULL: plain text */
} hl_lang;

static const hl_lang langs[] = {
    {"bash", hl_lex_bash},
    {"c", hl_lex_c},
    {"c++", hl_lex_cpp},
    {"cc", hl_lex_cpp},
    {"cfg", hl_lex_ini},
    {"cjs", hl_lex_js},
    {"conf", hl_lex_ini},
    {"console", hl_lex_console},
    {"cpp", hl_lex_cpp},
    {"css", hl_lex_css},
    {"cxx", hl_lex_cpp},
    {"diff", hl_lex_diff},
    {"django", hl_lex_django},
    {"docker", hl_lex_dockerfile},
    {"dockerfile", hl_lex_dockerfile},
    {"dosini", hl_lex_ini},
    {"go", hl_lex_go},
    {"golang", hl_lex_go},
    {"h", hl_lex_c},
    {"hpp", hl_lex_cpp},
    {"htm", hl_lex_html},
    {"html", hl_lex_html},
    {"html+django", hl_lex_django},
    {"html+jinja", hl_lex_django},
    {"htmldjango", hl_lex_django},
    {"ini", hl_lex_ini},
    {"javascript", hl_lex_js},
    {"jinja", hl_lex_django},
    {"jinja2", hl_lex_django},
    {"js", hl_lex_js},
    {"json", hl_lex_json},
    {"jsonc", hl_lex_json},
    {"ksh", hl_lex_bash},
    {"make", hl_lex_make},
    {"makefile", hl_lex_make},
    {"mf", hl_lex_make},
    {"mjs", hl_lex_js},
    {"mysql", hl_lex_sql},
    {"nginx", hl_lex_nginx},
    {"nginxconf", hl_lex_nginx},
    {"none", NULL},
    {"patch", hl_lex_diff},
    {"plain", NULL},
    {"plaintext", NULL},
    {"postgres", hl_lex_sql},
    {"postgresql", hl_lex_sql},
    {"py", hl_lex_python},
    {"py3", hl_lex_python},
    {"pycon", hl_lex_pycon},
    {"python", hl_lex_python},
    {"python3", hl_lex_python},
    {"rs", hl_lex_rust},
    {"rust", hl_lex_rust},
    {"sh", hl_lex_bash},
    {"shell", hl_lex_bash},
    {"shell-session", hl_lex_console},
    {"shellsession", hl_lex_console},
    {"sql", hl_lex_sql},
    {"sqlite", hl_lex_sql},
    {"svg", hl_lex_xml},
    {"terminal", hl_lex_console},
    {"text", NULL},
    {"toml", hl_lex_toml},
    {"ts", hl_lex_ts},
    {"txt", NULL},
    {"typescript", hl_lex_ts},
    {"udiff", hl_lex_diff},
    {"xhtml", hl_lex_html},
    {"xml", hl_lex_xml},
    {"xsl", hl_lex_xml},
    {"yaml", hl_lex_yaml},
    {"yml", hl_lex_yaml},
    {"zsh", hl_lex_bash},
};

static int
ilower(int c)
{
    return c >= 'A' && c <= 'Z' ? c + 32 : c;
}

static const hl_lang *
find_lang(const char *name)
{
    if (!name) return NULL;
    for (size_t i = 0; i < sizeof(langs) / sizeof(langs[0]); i++) {
        const char *a = langs[i].name, *b = name;
        while (*a && ilower((unsigned char)*b) == *a)
            a++, b++;
        if (!*a && !*b) return &langs[i];
    }
    return NULL;
}

bool
hl_known(const char *lang)
{
    return find_lang(lang) != NULL;
}

/* ---- the token array ---- */

void
hl_emit(hl_lex *lx, const char *cls, size_t len)
{
    if (lx->pos >= lx->n) return;
    if (len > lx->n - lx->pos) len = lx->n - lx->pos;
    if (len == 0) return;
    if (lx->nv > 0 && strcmp(lx->v[lx->nv - 1].cls, cls) == 0) {
        lx->v[lx->nv - 1].len += len;
    } else {
        if (lx->nv == lx->cap) {
            lx->cap = lx->cap ? lx->cap * 2 : 64;
            lx->v = xreallocarray(lx->v, lx->cap, sizeof(*lx->v));
        }
        lx->v[lx->nv++] = (hl_token){cls, lx->pos, len};
    }
    lx->pos += len;
}

void
hl_emit_to(hl_lex *lx, const char *cls, size_t end)
{
    if (end > lx->pos) hl_emit(lx, cls, end - lx->pos);
}

void
hl_progress(hl_lex *lx, size_t before)
{
    if (lx->pos == before) hl_emit(lx, "", 1);
}

void
hl_sub(hl_lex *lx, hl_lexfn fn, size_t end)
{
    size_t n = lx->n, base = lx->base;
    if (end > n) end = n;
    if (end <= lx->pos) return;
    lx->n = end;
    lx->base = lx->nstk;
    lx->depth++;
    if (lx->depth <= HL_MAX_DEPTH) fn(lx);
    hl_emit_to(lx, "", end);
    lx->depth--;
    lx->nstk = lx->base;
    lx->base = base;
    lx->n = n;
}

static void
lex_run(hl_lex *lx, hl_lexfn fn)
{
    if (fn && lx->depth <= HL_MAX_DEPTH) fn(lx);
    hl_emit_to(lx, "", lx->n);
}

static void
lex_free(hl_lex *lx)
{
    free(lx->v);
    free(lx->stk);
}

void
hl_delegate(hl_lex *lx, size_t first, hl_lexfn fn)
{
    if (first >= lx->nv) return;
    size_t cnt = lx->nv - first;
    hl_token *outer = xreallocarray(NULL, cnt, sizeof(*outer));
    memcpy(outer, lx->v + first, cnt * sizeof(*outer));
    buf joined = BUF_INIT;
    for (size_t i = 0; i < cnt; i++)
        if (strcmp(outer[i].cls, HL_OTHER) == 0)
            buf_put(&joined, lx->s + outer[i].off, outer[i].len);

    hl_lex in = {0};
    in.s = joined.data ? joined.data : "";
    in.n = joined.len;
    in.depth = lx->depth + 1;
    lex_run(&in, fn);

    lx->nv = first;
    lx->pos = outer[0].off;
    size_t k = 0, used = 0;
    for (size_t i = 0; i < cnt; i++) {
        if (strcmp(outer[i].cls, HL_OTHER) != 0) {
            hl_emit(lx, outer[i].cls, outer[i].len);
            continue;
        }
        size_t rem = outer[i].len;
        while (rem > 0 && k < in.nv) {
            size_t take = in.v[k].len - used;
            if (take > rem) take = rem;
            hl_emit(lx, in.v[k].cls, take);
            rem -= take;
            used += take;
            if (used == in.v[k].len) k++, used = 0;
        }
        hl_emit(lx, "", rem); /* only if the inner lexer lost bytes */
    }
    lex_free(&in);
    buf_free(&joined);
    free(outer);
}

/* ---- the frame stack ---- */

void
hl_push(hl_lex *lx, int frame)
{
    if (lx->nstk == lx->capstk) {
        lx->capstk = lx->capstk ? lx->capstk * 2 : 16;
        lx->stk = xreallocarray(lx->stk, lx->capstk, sizeof(*lx->stk));
    }
    lx->stk[lx->nstk++] = frame;
}

int
hl_pop(hl_lex *lx)
{
    return lx->nstk > lx->base ? lx->stk[--lx->nstk] : 0;
}

int
hl_top(const hl_lex *lx)
{
    return lx->nstk > lx->base ? lx->stk[lx->nstk - 1] : 0;
}

size_t
hl_frames(const hl_lex *lx)
{
    return lx->nstk - lx->base;
}

/* ---- character classes and scanners ---- */

bool
hl_isdigit(int c)
{
    return c >= '0' && c <= '9';
}

bool
hl_isxdigit(int c)
{
    return hl_isdigit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

bool
hl_isalpha(int c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

bool
hl_isidstart(int c)
{
    return hl_isalpha(c) || c == '_' || c >= 0x80;
}

bool
hl_isidchar(int c)
{
    return hl_isidstart(c) || hl_isdigit(c);
}

bool
hl_isspace(int c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

bool
hl_isblank(int c)
{
    return c == ' ' || c == '\t';
}

size_t
hl_ident_end(const hl_lex *lx, size_t i)
{
    while (i < lx->n && hl_isidchar((unsigned char)lx->s[i]))
        i++;
    return i;
}

size_t
hl_blank_end(const hl_lex *lx, size_t i)
{
    while (i < lx->n && hl_isblank((unsigned char)lx->s[i]))
        i++;
    return i;
}

size_t
hl_space_end(const hl_lex *lx, size_t i)
{
    while (i < lx->n && hl_isspace((unsigned char)lx->s[i]))
        i++;
    return i;
}

size_t
hl_eol(const hl_lex *lx, size_t i)
{
    if (i >= lx->n) return lx->n;
    const char *p = memchr(lx->s + i, '\n', lx->n - i);
    return p ? (size_t)(p - lx->s) : lx->n;
}

bool
hl_starts(const hl_lex *lx, size_t i, const char *w, bool icase)
{
    for (; *w; w++, i++) {
        int c = hl_at(lx, i);
        if (c < 0) return false;
        if (icase ? ilower(c) != ilower((unsigned char)*w) : c != (unsigned char)*w) return false;
    }
    return true;
}

size_t
hl_search(const hl_lex *lx, size_t i, const char *needle, bool icase)
{
    int first = (unsigned char)needle[0];
    for (; i < lx->n; i++) {
        int c = (unsigned char)lx->s[i];
        if ((icase ? ilower(c) == ilower(first) : c == first) && hl_starts(lx, i, needle, icase))
            return i;
    }
    return SIZE_MAX;
}

size_t
hl_find(const hl_lex *lx, size_t i, const char *needle, bool icase)
{
    size_t at = hl_search(lx, i, needle, icase);
    return at == SIZE_MAX ? lx->n : at + strlen(needle);
}

bool
hl_word(const char *const *words, const char *s, size_t len)
{
    for (; *words; words++)
        if (strlen(*words) == len && memcmp(*words, s, len) == 0) return true;
    return false;
}

bool
hl_iword(const char *const *words, const char *s, size_t len)
{
    for (; *words; words++) {
        size_t i = 0;
        while (i < len && (*words)[i] &&
               ilower((unsigned char)s[i]) == ilower((unsigned char)(*words)[i]))
            i++;
        if (i == len && (*words)[len] == '\0') return true;
    }
    return false;
}

/* Digits (and single separators between them) from i. */
static size_t
digits_end(const hl_lex *lx, size_t i, bool (*isd)(int), int sep)
{
    while (i < lx->n) {
        int c = (unsigned char)lx->s[i];
        if (isd(c))
            i++;
        else if (sep && c == sep && i + 1 < lx->n && isd((unsigned char)lx->s[i + 1]))
            i++;
        else
            break;
    }
    return i;
}

static bool
is_oct(int c)
{
    return c >= '0' && c <= '7';
}

static bool
is_bin(int c)
{
    return c == '0' || c == '1';
}

size_t
hl_number(const hl_lex *lx, int sep, bool c_octal, const char **cls)
{
    size_t i = lx->pos;
    int c = hl_at(lx, i), c1 = hl_at(lx, i + 1);
    if (!hl_isdigit(c) && !(c == '.' && hl_isdigit(c1))) return 0;
    *cls = "mi";
    if (c == '0' && (c1 == 'x' || c1 == 'X') && hl_isxdigit(hl_at(lx, i + 2))) {
        *cls = "mh";
        i = digits_end(lx, i + 2, hl_isxdigit, sep);
    } else if (c == '0' && (c1 == 'o' || c1 == 'O') && is_oct(hl_at(lx, i + 2))) {
        *cls = "mo";
        i = digits_end(lx, i + 2, is_oct, sep);
    } else if (c == '0' && (c1 == 'b' || c1 == 'B') && is_bin(hl_at(lx, i + 2))) {
        *cls = "mb";
        i = digits_end(lx, i + 2, is_bin, sep);
    } else {
        size_t start = i;
        i = digits_end(lx, i, hl_isdigit, sep);
        if (hl_at(lx, i) == '.' && hl_isdigit(hl_at(lx, i + 1))) {
            *cls = "mf";
            i = digits_end(lx, i + 1, hl_isdigit, sep);
        } else if (hl_at(lx, i) == '.' && i > start && hl_at(lx, i + 1) != '.' &&
                   !hl_isidstart(hl_at(lx, i + 1))) {
            *cls = "mf"; /* "1." */
            i++;
        }
        int e = hl_at(lx, i);
        if (e == 'e' || e == 'E') {
            size_t j = i + 1;
            if (hl_at(lx, j) == '+' || hl_at(lx, j) == '-') j++;
            if (hl_isdigit(hl_at(lx, j))) {
                *cls = "mf";
                i = digits_end(lx, j, hl_isdigit, sep);
            }
        }
        if (c_octal && strcmp(*cls, "mi") == 0 && c == '0' && i - start > 1) {
            size_t j = start;
            while (j < i && is_oct((unsigned char)lx->s[j]))
                j++;
            if (j == i) *cls = "mo";
        }
    }
    while (i < lx->n && hl_isidchar((unsigned char)lx->s[i]))
        i++; /* a suffix: 1u, 2.5f, 3i64, 4j */
    return i - lx->pos;
}

/* Length of the escape sequence at i (on the backslash). */
static size_t
escape_len(const hl_lex *lx, size_t i)
{
    int c = hl_at(lx, i + 1);
    if (c < 0) return 1;
    size_t max = 0, j = i + 2;
    bool (*isd)(int) = hl_isxdigit;
    switch (c) {
    case 'x': max = 2; break;
    case 'u': max = hl_at(lx, j) == '{' ? 0 : 4; break;
    case 'U': max = 8; break;
    default:
        if (is_oct(c)) {
            max = 2;
            isd = is_oct;
        }
    }
    if (c == 'u' && hl_at(lx, j) == '{') { /* \u{1F600}: JavaScript, Rust */
        size_t k = j + 1;
        while (k < j + 9 && hl_isxdigit(hl_at(lx, k)))
            k++;
        return hl_at(lx, k) == '}' ? k + 1 - i : 2;
    }
    size_t k = j;
    while (k < j + max && isd(hl_at(lx, k)))
        k++;
    /* a multi-byte character after the backslash stays whole */
    if (k == j && c >= 0xC0)
        while (k < lx->n && ((unsigned char)lx->s[k] & 0xC0) == 0x80 && k < i + 5)
            k++;
    return k - i;
}

void
hl_quoted(hl_lex *lx, int q, const char *cls, const char *esc_cls, bool single_line)
{
    hl_emit(lx, cls, 1);
    while (lx->pos < lx->n) {
        size_t i = lx->pos;
        while (i < lx->n) {
            int c = (unsigned char)lx->s[i];
            if (c == q || c == '\\' || (single_line && c == '\n')) break;
            i++;
        }
        hl_emit_to(lx, cls, i);
        int c = hl_at(lx, i);
        if (c < 0 || (single_line && c == '\n')) return;
        if (c == q) {
            hl_emit(lx, cls, 1);
            return;
        }
        size_t e = escape_len(lx, i);
        hl_emit(lx, esc_cls ? esc_cls : cls, e);
    }
}

/* ---- hl_tokens ---- */

size_t
hl_tokens(const char *lang, const char *code, size_t n, hl_token **out)
{
    const hl_lang *l = find_lang(lang);
    hl_lex lx = {0};
    lx.s = code ? code : "";
    lx.n = code ? n : 0;
    lex_run(&lx, l ? l->fn : NULL);
    free(lx.stk);
    /* Defensive: a piece nobody delegated is plain text. */
    for (size_t i = 0; i < lx.nv; i++)
        if (strcmp(lx.v[i].cls, HL_OTHER) == 0) lx.v[i].cls = "";
    assert(lx.pos == lx.n);
    if (!lx.v) lx.v = xmalloc(sizeof(*lx.v));
    *out = lx.v;
    return lx.nv;
}

/* ---- HTML ---- */

static size_t
count_lines(const char *code, size_t n)
{
    size_t lines = 0;
    for (const char *p = code; n > 0 && (p = memchr(p, '\n', n - (size_t)(p - code))) != NULL; p++)
        lines++;
    if (n > 0 && code[n - 1] != '\n') lines++;
    return lines;
}

static void
put_span(buf *out, const char *cls, const char *s, size_t n)
{
    if (n == 0) return;
    if (!cls[0]) {
        esc_html(out, s, n);
        return;
    }
    buf_puts(out, "<span class=\"");
    buf_puts(out, cls);
    buf_puts(out, "\">");
    esc_html(out, s, n);
    buf_puts(out, "</span>");
}

typedef struct line_state {
    buf *out;
    const bool *marked; /* per line, 1-based; NULL: none */
    bool linenos;
    long long num; /* number of the current line as shown */
    int width;     /* digits of the largest number */
    size_t idx;    /* 1-based index of the current line */
    bool open;
} line_state;

static void
open_line(line_state *ls)
{
    ls->idx++;
    bool hl = ls->marked && ls->marked[ls->idx];
    buf_puts(ls->out, hl ? "<span class=\"line hl\">" : "<span class=\"line\">");
    if (ls->linenos) buf_printf(ls->out, "<span class=\"ln\">%*lld</span>", ls->width, ls->num);
    buf_puts(ls->out, "<span class=\"cl\">");
    ls->num++;
    ls->open = true;
}

static void
close_line(line_state *ls)
{
    buf_puts(ls->out, "</span></span>");
    ls->open = false;
}

static void
put_lines(buf *out, const char *code, size_t n, const hl_token *t, size_t nt, const hl_opts *o)
{
    size_t lines = count_lines(code, n);
    bool *marked = NULL;
    if (o->hl_lines && o->nhl_lines > 0 && lines > 0) {
        marked = xcalloc(lines + 1, sizeof(*marked));
        for (size_t i = 0; i < o->nhl_lines; i++)
            if (o->hl_lines[i] >= 1 && (size_t)o->hl_lines[i] <= lines)
                marked[o->hl_lines[i]] = true;
    }
    long long start = o->linenostart > 0 ? o->linenostart : 1;
    int width = 1;
    for (long long last = start + (long long)(lines ? lines - 1 : 0); last >= 10; last /= 10)
        width++;
    line_state ls = {out, marked, o->linenos, start, width, 0, false};
    for (size_t i = 0; i < nt; i++) {
        const char *s = code + t[i].off;
        size_t len = t[i].len;
        while (len > 0) {
            if (!ls.open) open_line(&ls);
            const char *nl = memchr(s, '\n', len);
            size_t piece = nl ? (size_t)(nl - s) + 1 : len;
            put_span(out, t[i].cls, s, piece);
            if (nl) close_line(&ls);
            s += piece;
            len -= piece;
        }
    }
    if (ls.open) close_line(&ls);
    free(marked);
}

void
hl_html(buf *out, const char *lang, const char *code, size_t n, const hl_opts *o)
{
    static const hl_opts none = {false, NULL, 0, 0};
    if (!o) o = &none;
    if (!code) {
        code = "";
        n = 0;
    }
    buf name = BUF_INIT;
    for (const char *p = lang; p && *p; p++) {
        int c = (unsigned char)*p;
        if (hl_isalpha(c) || hl_isdigit(c) || c == '_' || c == '+' || c == '-') buf_putc(&name, c);
    }
    buf_puts(out, "<div class=\"highlight\"><pre tabindex=\"0\" class=\"chroma\"><code");
    if (name.len > 0) {
        buf_puts(out, " class=\"language-");
        esc_html(out, name.data, name.len);
        buf_puts(out, "\" data-lang=\"");
        esc_html(out, name.data, name.len);
        buf_putc(out, '"');
    }
    buf_putc(out, '>');
    hl_token *t;
    size_t nt = hl_tokens(lang, code, n, &t);
    if (o->linenos || (o->hl_lines && o->nhl_lines > 0)) {
        put_lines(out, code, n, t, nt, o);
    } else {
        for (size_t i = 0; i < nt; i++)
            put_span(out, t[i].cls, code + t[i].off, t[i].len);
    }
    buf_puts(out, "</code></pre></div>");
    free(t);
    buf_free(&name);
}

/* ---- Hugo's options ---- */

/* A decimal number at s[*i] (at most 9 digits count), or -1. */
static long
opt_number(const char *s, size_t n, size_t *i)
{
    long v = -1;
    while (*i < n && hl_isdigit((unsigned char)s[*i])) {
        if (v < 100000000) v = (v < 0 ? 0 : v * 10) + (s[*i] - '0');
        (*i)++;
    }
    return v;
}

/* hl_lines' numbers and ranges into a sorted set of lines 1..nlines. */
static void
opt_lines(const char *s, size_t n, size_t nlines, hl_opts *o, int **lines)
{
    /* a difference array keeps overlapping huge ranges linear */
    long *diff = xcalloc(nlines + 2, sizeof(*diff));
    for (size_t i = 0; i < n;) {
        if (!hl_isdigit((unsigned char)s[i])) {
            i++;
            continue;
        }
        long a = opt_number(s, n, &i), b = a;
        if (i + 1 < n && s[i] == '-' && hl_isdigit((unsigned char)s[i + 1])) {
            i++;
            b = opt_number(s, n, &i);
        }
        if (a < 1) a = 1;
        if (b > (long)nlines) b = (long)nlines;
        if (a > b) continue;
        diff[a]++;
        diff[b + 1]--;
    }
    size_t count = 0;
    long run = 0;
    for (size_t l = 1; l <= nlines; l++)
        count += (run += diff[l]) > 0;
    free(*lines);
    *lines = NULL;
    if (count > 0 && nlines <= INT_MAX) {
        *lines = xreallocarray(NULL, count, sizeof(**lines));
        run = 0;
        count = 0;
        for (size_t l = 1; l <= nlines; l++)
            if ((run += diff[l]) > 0) (*lines)[count++] = (int)l;
    }
    o->hl_lines = *lines;
    o->nhl_lines = *lines ? count : 0;
    free(diff);
}

/* Is v[0..n) made only of the bytes in set? */
static bool
only(const char *v, size_t n, const char *set)
{
    for (size_t i = 0; i < n; i++)
        if (!strchr(set, v[i])) return false;
    return true;
}

int
hl_parse_opts(const char *s, size_t n, const char *code, size_t code_len, hl_opts *o, int **lines,
              buf *err)
{
    *lines = NULL;
    if (!s) return 0;
    size_t i = 0;
    while (i < n) {
        while (i < n && !hl_isidstart((unsigned char)s[i]))
            i++;
        size_t k = i;
        while (i < n && (hl_isidchar((unsigned char)s[i]) || s[i] == '-'))
            i++;
        size_t klen = i - k;
        while (i < n && hl_isblank((unsigned char)s[i]))
            i++;
        if (i >= n || s[i] != '=') continue;
        i++;
        while (i < n && hl_isblank((unsigned char)s[i]))
            i++;
        /* the value: [...], "...", '...', or up to "," "}" or the next key= */
        size_t v = i, ve;
        if (i < n && (s[i] == '[' || s[i] == '"' || s[i] == '\'')) {
            char close = s[i] == '[' ? ']' : s[i];
            v = ++i;
            while (i < n && s[i] != close)
                i++;
            ve = i;
            if (i < n) i++;
        } else {
            size_t word = i;
            while (i < n && s[i] != ',' && s[i] != '}') {
                if (hl_isblank((unsigned char)s[i])) word = i + 1;
                if (s[i] == '=' && word > v) {
                    i = word;
                    break;
                }
                i++;
            }
            ve = i;
        }
        while (ve > v && hl_isblank((unsigned char)s[ve - 1]))
            ve--;
        const char *key = s + k, *val = s + v;
        size_t vlen = ve - v;
        const char *bad = NULL;
        if (klen == 7 && !memcmp(key, "linenos", 7)) {
            bool off = vlen == 5 && !memcmp(val, "false", 5);
            if (!off && !(vlen == 4 && !memcmp(val, "true", 4)) &&
                !(vlen == 5 && !memcmp(val, "table", 5)) &&
                !(vlen == 6 && !memcmp(val, "inline", 6)))
                bad = "write table, inline, true or false";
            o->linenos = !off && vlen > 0;
        } else if (klen == 11 && !memcmp(key, "linenostart", 11)) {
            size_t j = 0;
            long start = opt_number(val, vlen, &j);
            if (start >= 0) o->linenostart = (int)start;
            if (start < 0 || j != vlen) bad = "must be a line number";
        } else if (klen == 8 && !memcmp(key, "hl_lines", 8)) {
            if (!only(val, vlen, "0123456789- ,\"'[]"))
                bad = "write line numbers and ranges, like 2 4-5";
            opt_lines(val, vlen, code ? count_lines(code, code_len) : 0, o, lines);
        }
        if (bad && err) {
            buf_printf(err, "%.*s=%.*s: %s", (int)klen, key, (int)vlen, val, bad);
            return -1;
        }
    }
    return 0;
}

/* ---- stylesheets ---- */

/*
 * One rule per group of classes, with a light and a dark colour (both
 * WCAG AA, 4.5:1 or more, against the block's background and against a
 * marked line's: tests/unit/test_highlight.c computes it from the CSS).
 * The light palette follows GitHub's Primer, the dark one GitHub dark.
 */
typedef struct hl_rule {
    const char *what;    /* comment naming the token kind */
    const char *classes; /* space-separated */
    const char *light, *light_bg;
    const char *dark, *dark_bg;
    const char *extra; /* font style, or NULL */
} hl_rule;

#define L_BG "#f6f8fa"
#define L_FG "#1f2328"
#define L_HL "#fff1a8"
#define D_BG "#0d1117"
#define D_FG "#e6edf3"
#define D_HL "#2b2a1a"

static const hl_rule rules[] = {
    {"Error", "err", "#82071e", "#ffebe9", "#ffdcd7", "#67060c", NULL},
    {"Keyword", "k kd kn kp kr ow", "#cf222e", NULL, "#ff7b72", NULL, NULL},
    {"KeywordConstant", "kc", "#0550ae", NULL, "#79c0ff", NULL, NULL},
    {"KeywordType", "kt", "#953800", NULL, "#ffa657", NULL, NULL},
    {"NameAttribute", "na", "#0550ae", NULL, "#79c0ff", NULL, NULL},
    {"NameBuiltin", "nb bp", "#0550ae", NULL, "#79c0ff", NULL, NULL},
    {"NameClass", "nc ne", "#953800", NULL, "#ffa657", NULL, "font-weight: bold"},
    {"NameConstant", "no", "#0550ae", NULL, "#79c0ff", NULL, NULL},
    {"NameDecorator", "nd", "#6639ba", NULL, "#d2a8ff", NULL, NULL},
    {"NameEntity", "ni", "#953800", NULL, "#ffa657", NULL, NULL},
    {"NameFunction", "nf fm", "#6639ba", NULL, "#d2a8ff", NULL, NULL},
    {"NameLabel", "nl", "#953800", NULL, "#ffa657", NULL, NULL},
    {"NameTag", "nt", "#116329", NULL, "#7ee787", NULL, NULL},
    {"NameVariable", "nv vc vg vi vm", "#953800", NULL, "#ffa657", NULL, NULL},
    {"Literal", "l ld", "#0a3069", NULL, "#a5d6ff", NULL, NULL},
    {"String", "s sa sb sc dl sd s2 sh s1 ss", "#0a3069", NULL, "#a5d6ff", NULL, NULL},
    {"StringEscape", "se", "#116329", NULL, "#7ee787", NULL, NULL},
    {"StringInterpol", "si", "#cf222e", NULL, "#ff7b72", NULL, NULL},
    {"StringRegex", "sr sx", "#116329", NULL, "#7ee787", NULL, NULL},
    {"Number", "m mb mf mh mi il mo", "#0550ae", NULL, "#79c0ff", NULL, NULL},
    {"Comment", "c ch cm c1 cs", "#57606a", NULL, "#8b949e", NULL, "font-style: italic"},
    {"CommentPreproc", "cp", "#cf222e", NULL, "#ff7b72", NULL, NULL},
    {"CommentPreprocFile", "cpf", "#0a3069", NULL, "#a5d6ff", NULL, NULL},
    {"GenericDeleted", "gd", "#82071e", "#ffebe9", "#ffdcd7", "#67060c", NULL},
    {"GenericEmph", "ge", NULL, NULL, NULL, NULL, "font-style: italic"},
    {"GenericError", "gr", "#82071e", NULL, "#ff7b72", NULL, NULL},
    {"GenericHeading", "gh", "#0550ae", NULL, "#79c0ff", NULL, "font-weight: bold"},
    {"GenericInserted", "gi", "#116329", "#dafbe1", "#aff5b4", "#033a16", NULL},
    {"GenericOutput", "go", "#424a53", NULL, "#c9d1d9", NULL, NULL},
    {"GenericPrompt", "gp", "#57606a", NULL, "#8b949e", NULL, "font-weight: bold"},
    {"GenericStrong", "gs", NULL, NULL, NULL, NULL, "font-weight: bold"},
    {"GenericSubheading", "gu", "#6639ba", NULL, "#d2a8ff", NULL, "font-weight: bold"},
    {"GenericTraceback", "gt", "#0550ae", NULL, "#79c0ff", NULL, NULL},
};

static void
put_selector(buf *out, const char *classes)
{
    for (const char *p = classes; *p;) {
        const char *e = strchr(p, ' ');
        size_t len = e ? (size_t)(e - p) : strlen(p);
        buf_printf(out, "%s.chroma .%.*s", p == classes ? "" : ", ", (int)len, p);
        p += len + (e ? 1 : 0);
    }
}

static void
put_style(buf *out, bool dark, const char *indent)
{
    const char *bg = dark ? D_BG : L_BG, *fg = dark ? D_FG : L_FG, *hl = dark ? D_HL : L_HL;
    const char *ln = dark ? "#8b949e" : "#57606a";
    buf_printf(out, "%s/* PreWrapper */ .chroma { color: %s; background-color: %s; }\n", indent, fg,
               bg);
    buf_printf(out, "%s/* LineHighlight */ .chroma .hl { background-color: %s; }\n", indent, hl);
    buf_printf(out,
               "%s/* LineNumbers */ .chroma .ln { white-space: pre; -webkit-user-select: none; "
               "user-select: none; margin-right: 0.4em; padding: 0 0.4em 0 0.4em; color: %s; }\n",
               indent, ln);
    buf_printf(out, "%s/* Line */ .chroma .line { display: flex; }\n", indent);
    for (size_t i = 0; i < sizeof(rules) / sizeof(rules[0]); i++) {
        const hl_rule *r = &rules[i];
        const char *c = dark ? r->dark : r->light, *b = dark ? r->dark_bg : r->light_bg;
        buf_printf(out, "%s/* %s */ ", indent, r->what);
        put_selector(out, r->classes);
        buf_puts(out, " {");
        if (c) buf_printf(out, " color: %s;", c);
        if (b) buf_printf(out, " background-color: %s;", b);
        if (r->extra) buf_printf(out, " %s;", r->extra);
        buf_puts(out, " }\n");
    }
}

int
hl_css(buf *out, const char *style)
{
    if (!style) return -1;
    if (strcmp(style, "light") == 0 || strcmp(style, "dark") == 0) {
        buf_printf(out, "/* Syntax highlighting, %s (hone gen-chroma-css %s) */\n", style, style);
        put_style(out, style[0] == 'd', "");
        return 0;
    }
    if (strcmp(style, "auto") == 0) {
        buf_puts(out, "/* Syntax highlighting, light or dark as the reader's system prefers "
                      "(hone gen-chroma-css auto) */\n");
        put_style(out, false, "");
        buf_puts(out, "@media (prefers-color-scheme: dark) {\n");
        put_style(out, true, "  ");
        buf_puts(out, "}\n");
        return 0;
    }
    return -1;
}
