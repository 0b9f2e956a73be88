/*
 * hl lexers for data, configuration and build files: JSON, YAML, TOML,
 * INI, diff, nginx, Dockerfile and make.
 *
 * Most of these are line-oriented, so the lexers work a line at a time
 * and look ahead no further than the line's end (a YAML key is the text
 * before ": ", a make assignment the name before "="), which keeps them
 * linear.  Where a format embeds a shell (RUN in a Dockerfile, a make
 * recipe) the logical line, with its backslash continuations, goes to
 * the bash lexer.  Token choices follow Pygments 2.14, except YAML,
 * whose Pygments lexer marks every scalar alike: there numbers, booleans
 * and block scalars are told apart as Chroma does.
 */
#include "highlight_int.h"

#include <string.h>

/* ---- JSON ---- */

void
hl_lex_json(hl_lex *lx)
{
    while (lx->pos < lx->n) {
        size_t p0 = lx->pos, i = p0;
        int c = (unsigned char)lx->s[i];
        size_t len;
        const char *cls;
        if (hl_isspace(c)) {
            hl_emit_to(lx, "", hl_space_end(lx, i));
        } else if (c == '/' && hl_at(lx, i + 1) == '/') {
            hl_emit_to(lx, "c1", hl_eol(lx, i));
        } else if (c == '/' && hl_at(lx, i + 1) == '*') {
            hl_emit_to(lx, "cm", hl_find(lx, i + 2, "*/", false));
        } else if (c == '"') {
            size_t e = i + 1;
            while (e < lx->n && lx->s[e] != '"' && lx->s[e] != '\n')
                e += lx->s[e] == '\\' && e + 1 < lx->n && lx->s[e + 1] != '\n' ? 2 : 1;
            if (hl_at(lx, e) == '"') e++;
            bool key = hl_at(lx, hl_space_end(lx, e)) == ':';
            hl_emit_to(lx, key ? "nt" : "s2", e);
        } else if (c == '-' && hl_isdigit(hl_at(lx, i + 1))) {
            lx->pos++;
            len = hl_number(lx, 0, false, &cls);
            lx->pos--;
            hl_emit(lx, cls, len + 1);
        } else if ((len = hl_number(lx, 0, false, &cls)) > 0) {
            hl_emit(lx, cls, len);
        } else if (hl_isalpha(c)) {
            size_t e = hl_ident_end(lx, i);
            bool kw = (e - i == 4 &&
                       (hl_starts(lx, i, "true", false) || hl_starts(lx, i, "null", false))) ||
                      (e - i == 5 && hl_starts(lx, i, "false", false));
            hl_emit_to(lx, kw ? "kc" : "err", e);
        } else if (hl_in("{}[],:", c)) {
            hl_emit(lx, "p", 1);
        } else {
            hl_emit(lx, "err", 1);
        }
        hl_progress(lx, p0);
    }
}

/* ---- YAML ---- */

static const char *const yaml_constants[] = {
    "true", "True", "TRUE", "false", "False", "FALSE", "null", "Null", "NULL", "~",   "yes", "Yes",
    "YES",  "no",   "No",   "NO",    "on",    "On",    "ON",   "off",  "Off",  "OFF", NULL};

/* A YAML 1.2 number (core schema, with "_" separators): its class, or NULL. */
static const char *
yaml_number_cls(const char *s, size_t n)
{
    size_t i = 0, digits = 0;
    bool frac = false;
    if (i < n && (s[i] == '-' || s[i] == '+')) i++;
    if (n - i > 2 && s[i] == '0' && (s[i + 1] == 'x' || s[i + 1] == 'o')) {
        bool hex = s[i + 1] == 'x';
        size_t j = i + 2;
        while (j < n && (hex ? hl_isxdigit((unsigned char)s[j]) : (s[j] >= '0' && s[j] <= '7')))
            j++;
        return j == n ? (hex ? "mh" : "mo") : NULL;
    }
    for (; i < n && (hl_isdigit((unsigned char)s[i]) || s[i] == '_'); i++)
        digits += s[i] != '_';
    if (i < n && s[i] == '.') {
        frac = true;
        for (i++; i < n && hl_isdigit((unsigned char)s[i]); i++)
            digits++;
    }
    if (digits == 0) return NULL;
    if (i < n && (s[i] == 'e' || s[i] == 'E')) {
        frac = true;
        i++;
        if (i < n && (s[i] == '+' || s[i] == '-')) i++;
        size_t e = i;
        while (i < n && hl_isdigit((unsigned char)s[i]))
            i++;
        if (i == e) return NULL;
    }
    return i == n ? (frac ? "mf" : "mi") : NULL;
}

/* The class of a plain scalar: a constant, a number, or "l". */
static const char *
yaml_scalar_cls(const char *s, size_t n)
{
    static const char *const special[] = {".inf",  ".Inf",  ".INF",  "-.inf", "-.Inf",
                                          "-.INF", "+.inf", "+.Inf", "+.INF", ".nan",
                                          ".NaN",  ".NAN",  NULL};
    if (hl_word(yaml_constants, s, n)) return "kc";
    if (hl_word(special, s, n)) return "mf";
    const char *cls = yaml_number_cls(s, n);
    return cls ? cls : "l";
}

/* Does a comment start at i (a '#' after white space or at a line start)? */
static bool
yaml_comment_at(const hl_lex *lx, size_t i)
{
    return hl_at(lx, i) == '#' && (i == 0 || hl_isspace((unsigned char)lx->s[i - 1]));
}

/*
 * The end of a plain scalar starting at i: the line's end, a comment, or
 * in flow context one of ,]} or ": ".  Trailing blanks are not part of it.
 */
static size_t
yaml_plain_end(const hl_lex *lx, size_t i, bool flow)
{
    size_t e = i, last = i;
    while (e < lx->n && lx->s[e] != '\n') {
        int c = (unsigned char)lx->s[e];
        if (yaml_comment_at(lx, e)) break;
        if (flow && (c == ',' || c == ']' || c == '}' || c == '[' || c == '{')) break;
        if (c == ':' && (e + 1 >= lx->n || hl_isspace((unsigned char)lx->s[e + 1]) ||
                         (flow && hl_in(",]}", lx->s[e + 1]))))
            break;
        e++;
        if (!hl_isblank(c) && c != '\r') last = e;
    }
    return last;
}

/* A quoted scalar at pos; returns its end (past the closing quote). */
static size_t
yaml_quoted_end(const hl_lex *lx, size_t i)
{
    int q = (unsigned char)lx->s[i];
    size_t e = i + 1;
    while (e < lx->n) {
        if (q == '"' && lx->s[e] == '\\') {
            e += 2;
            continue;
        }
        if (lx->s[e] == q) {
            if (q == '\'' && hl_at(lx, e + 1) == '\'') {
                e += 2;
                continue;
            }
            return e + 1;
        }
        e++;
    }
    return lx->n;
}

/* Is a key (text and ":" before white space) at i?  Sets *end past the text. */
static bool
yaml_key_at(const hl_lex *lx, size_t i, bool flow, size_t *end)
{
    int c = hl_at(lx, i);
    size_t e;
    if (c == '"' || c == '\'') {
        e = yaml_quoted_end(lx, i);
    } else {
        if (c <= 0 || hl_in("[]{},#&*!|>%@`\n", c)) return false;
        if ((c == '-' || c == '?' || c == ':') &&
            (hl_at(lx, i + 1) < 0 || hl_isspace(hl_at(lx, i + 1))))
            return false;
        e = yaml_plain_end(lx, i, flow);
    }
    size_t k = hl_blank_end(lx, e);
    if (hl_at(lx, k) != ':') return false;
    int d = hl_at(lx, k + 1);
    if (!(d < 0 || hl_isspace(d) || (flow && (d == ',' || d == ']' || d == '}')))) return false;
    *end = e;
    return e > i;
}

void
hl_lex_yaml(hl_lex *lx)
{
    long flow = 0;          /* depth of [ ] and { } */
    long block = -1;        /* indentation above a block scalar, or -1 */
    bool line_start = true; /* nothing but indentation so far on this line */
    long indent = 0;
    while (lx->pos < lx->n) {
        size_t p0 = lx->pos, i = p0;
        int c = (unsigned char)lx->s[i];
        if (line_start) {
            size_t j = i;
            while (j < lx->n && lx->s[j] == ' ')
                j++;
            indent = (long)(j - i);
            size_t eol = hl_eol(lx, i);
            bool blank = hl_blank_end(lx, j) >= eol ||
                         (hl_blank_end(lx, j) + 1 == eol && lx->s[eol - 1] == '\r');
            if (block >= 0 && (blank || indent > block)) {
                hl_emit_to(lx, "", j);
                hl_emit_to(lx, "sd", eol);
                hl_emit_to(lx, "", eol + 1);
                continue;
            }
            block = -1;
            hl_emit_to(lx, "", j);
            line_start = false;
            if (j == i && (hl_starts(lx, j, "---", false) || hl_starts(lx, j, "...", false)) &&
                (j + 3 >= lx->n || hl_isspace((unsigned char)lx->s[j + 3]))) {
                hl_emit(lx, "nn", 3);
            }
            continue;
        }
        size_t end;
        if (c == '\n') {
            hl_emit(lx, "", 1);
            line_start = true;
        } else if (hl_isspace(c)) {
            hl_emit_to(lx, "", hl_blank_end(lx, i + 1));
        } else if (yaml_comment_at(lx, i)) {
            hl_emit_to(lx, "c1", hl_eol(lx, i));
        } else if ((c == '-' || c == '?') &&
                   (hl_at(lx, i + 1) < 0 || hl_isspace(hl_at(lx, i + 1)))) {
            hl_emit(lx, "p", 1);
        } else if (yaml_key_at(lx, i, flow > 0, &end)) {
            hl_emit_to(lx, "nt", end);
            hl_emit_to(lx, "", hl_blank_end(lx, end));
            hl_emit(lx, "p", 1);
        } else if (c == '[' || c == '{') {
            hl_emit(lx, "p", 1);
            flow++;
        } else if ((c == ']' || c == '}') && flow > 0) {
            hl_emit(lx, "p", 1);
            flow--;
        } else if (flow > 0 && (c == ',' || c == ':')) {
            hl_emit(lx, "p", 1);
        } else if (c == '&' || c == '*' || c == '!') {
            size_t e = i + 1;
            while (e < lx->n && !hl_isspace((unsigned char)lx->s[e]) &&
                   !(flow > 0 && hl_in(",]}", lx->s[e])))
                e++;
            hl_emit_to(lx, c == '&' ? "nl" : c == '*' ? "nv" : "kt", e);
        } else if ((c == '|' || c == '>') && flow == 0) {
            size_t e = i + 1;
            while (e < lx->n && (lx->s[e] == '+' || lx->s[e] == '-' || hl_isdigit(lx->s[e])))
                e++;
            hl_emit_to(lx, "p", e);
            block = indent;
        } else if (c == '"' || c == '\'') {
            size_t e = yaml_quoted_end(lx, i);
            if (c == '"')
                hl_quoted(lx, '"', "s2", "se", false);
            else
                hl_emit_to(lx, "s1", e);
        } else {
            size_t e = yaml_plain_end(lx, i, flow > 0);
            if (e <= i) e = i + 1;
            hl_emit_to(lx, yaml_scalar_cls(lx->s + i, e - i), e);
        }
        hl_progress(lx, p0);
    }
}

/* ---- TOML ---- */

/* A TOML string at pos (basic, literal, or either kind tripled). */
static void
toml_string(hl_lex *lx)
{
    size_t i = lx->pos;
    int q = (unsigned char)lx->s[i];
    if (hl_at(lx, i + 1) == q && hl_at(lx, i + 2) == q) {
        hl_emit(lx, "s", 3);
        while (lx->pos < lx->n) {
            size_t k = lx->pos;
            if (lx->s[k] == q && hl_at(lx, k + 1) == q && hl_at(lx, k + 2) == q) {
                size_t e = k + 3;
                while (hl_at(lx, e) == q && e < k + 5)
                    e++; /* """a"""" ends with quotes inside */
                hl_emit_to(lx, "s", e);
                return;
            }
            if (lx->s[k] == '\\' && q == '"') {
                hl_emit(lx, "se", 2);
                continue;
            }
            size_t e = k + 1;
            while (e < lx->n && lx->s[e] != q && !(lx->s[e] == '\\' && q == '"'))
                e++;
            hl_emit_to(lx, "s", e);
        }
        return;
    }
    if (q == '"')
        hl_quoted(lx, '"', "s", "se", true);
    else
        hl_quoted(lx, '\'', "s", NULL, true);
}

static bool
toml_bare_char(int c)
{
    return hl_isalpha(c) || hl_isdigit(c) || c == '_' || c == '-';
}

void
hl_lex_toml(hl_lex *lx)
{
    bool key = true; /* a key is expected */
    bool line_start = true;
    while (lx->pos < lx->n) {
        size_t p0 = lx->pos, i = p0;
        int c = (unsigned char)lx->s[i], top = hl_top(lx);
        bool was_line_start = line_start;
        line_start = false;
        if (c == '\n') {
            hl_emit(lx, "", 1);
            line_start = true;
            if (top == 0) key = true;
        } else if (hl_isspace(c)) {
            hl_emit_to(lx, "", hl_blank_end(lx, i + 1));
            line_start = was_line_start;
        } else if (c == '#') {
            hl_emit_to(lx, "c1", hl_eol(lx, i));
        } else if (c == '[' && was_line_start && top == 0) {
            size_t e = i, eol = hl_eol(lx, i);
            while (e < eol && lx->s[e] != ']')
                e++;
            while (e < eol && lx->s[e] == ']')
                e++;
            hl_emit_to(lx, "k", e);
        } else if (c == '"' || c == '\'') {
            toml_string(lx);
        } else if (key && toml_bare_char(c)) {
            size_t e = i;
            while (e < lx->n && toml_bare_char((unsigned char)lx->s[e]))
                e++;
            hl_emit_to(lx, "n", e);
        } else if (c == '=') {
            hl_emit(lx, "o", 1);
            key = false;
        } else if (c == '.' && key) {
            hl_emit(lx, "p", 1);
        } else if (c == '[' || c == '{') {
            hl_emit(lx, "p", 1);
            hl_push(lx, c);
            key = c == '{';
        } else if ((c == ']' && top == '[') || (c == '}' && top == '{')) {
            hl_emit(lx, "p", 1);
            hl_pop(lx);
            key = false;
        } else if (c == ',') {
            hl_emit(lx, "p", 1);
            key = top == '{';
        } else if (hl_isdigit(c) || ((c == '+' || c == '-') && (hl_isdigit(hl_at(lx, i + 1)) ||
                                                                hl_isalpha(hl_at(lx, i + 1))))) {
            size_t e = i + 1;
            while (e < lx->n && (hl_isalpha((unsigned char)lx->s[e]) ||
                                 hl_isdigit((unsigned char)lx->s[e]) || hl_in("_.:+-", lx->s[e]) ||
                                 (lx->s[e] == ' ' && hl_isdigit(hl_at(lx, e + 1)) && e >= i + 10 &&
                                  lx->s[i + 4] == '-')))
                e++;
            const char *cls = "mi";
            bool date = e - i >= 8 && lx->s[i + 4] == '-' && hl_isdigit(c);
            bool time = e - i >= 5 && lx->s[i + 2] == ':' && hl_isdigit(c);
            if (date || time) {
                cls = "ld";
            } else {
                for (size_t k = i; k < e; k++)
                    if (lx->s[k] == '.' || lx->s[k] == 'e' || lx->s[k] == 'E' || lx->s[k] == 'n' ||
                        lx->s[k] == 'i')
                        cls = "mf";
                if (e - i > 2 && lx->s[i] == '0' && hl_in("xob", lx->s[i + 1]))
                    cls = lx->s[i + 1] == 'x' ? "mh" : lx->s[i + 1] == 'o' ? "mo" : "mb";
            }
            hl_emit_to(lx, cls, e);
        } else if (hl_isalpha(c)) {
            size_t e = hl_ident_end(lx, i);
            bool kc = (e - i == 4 && hl_starts(lx, i, "true", false)) ||
                      (e - i == 5 && hl_starts(lx, i, "false", false));
            bool mf =
                (e - i == 3 && (hl_starts(lx, i, "inf", false) || hl_starts(lx, i, "nan", false)));
            hl_emit_to(lx, kc ? "kc" : mf ? "mf" : "", e);
        } else {
            hl_emit(lx, "", 1);
        }
        hl_progress(lx, p0);
    }
}

/* ---- INI ---- */

void
hl_lex_ini(hl_lex *lx)
{
    while (lx->pos < lx->n) {
        size_t p0 = lx->pos, i = hl_space_end(lx, p0);
        hl_emit_to(lx, "", i);
        if (i >= lx->n) break;
        size_t eol = hl_eol(lx, i);
        int c = (unsigned char)lx->s[i];
        if (c == ';' || c == '#') {
            hl_emit_to(lx, "c1", eol);
        } else if (c == '[') {
            size_t e = i;
            while (e < eol && lx->s[e] != ']')
                e++;
            hl_emit_to(lx, "k", e < eol ? e + 1 : e);
        } else {
            size_t op = i;
            while (op < eol && lx->s[op] != '=' && lx->s[op] != ':')
                op++;
            size_t ke = op;
            while (ke > i && hl_isblank((unsigned char)lx->s[ke - 1]))
                ke--;
            if (op == eol) {
                while (ke > i &&
                       (lx->s[ke - 1] == '\r' || hl_isblank((unsigned char)lx->s[ke - 1])))
                    ke--;
                hl_emit_to(lx, "na", ke);
            } else {
                hl_emit_to(lx, "na", ke);
                hl_emit_to(lx, "", op);
                hl_emit(lx, "o", 1);
                size_t v = hl_blank_end(lx, lx->pos), ve = v;
                hl_emit_to(lx, "", v);
                while (ve < eol && !((lx->s[ve] == ';' || lx->s[ve] == '#') &&
                                     (ve == v || hl_isblank((unsigned char)lx->s[ve - 1]))))
                    ve++;
                size_t vend = ve;
                while (vend > v &&
                       (hl_isblank((unsigned char)lx->s[vend - 1]) || lx->s[vend - 1] == '\r'))
                    vend--;
                hl_emit_to(lx, "s", vend);
                hl_emit_to(lx, "", ve);
                hl_emit_to(lx, "c1", eol);
            }
        }
        hl_emit_to(lx, "", eol);
        hl_progress(lx, p0);
    }
}

/* ---- diff ---- */

void
hl_lex_diff(hl_lex *lx)
{
    while (lx->pos < lx->n) {
        size_t i = lx->pos, eol = hl_eol(lx, i);
        int c = (unsigned char)lx->s[i];
        const char *cls = "";
        size_t e = eol;
        if (e > i && lx->s[e - 1] == '\r') e--;
        if (c == ' ')
            cls = "";
        else if (c == '!' || (e - i == 3 && hl_starts(lx, i, "---", false)))
            cls = "gs";
        else if (c == '-' || hl_starts(lx, i, "< ", false))
            cls = "gd";
        else if (c == '+' || hl_starts(lx, i, "> ", false))
            cls = "gi";
        else if (c == '@' || (hl_isdigit(c) && e > i))
            cls = "gu";
        else if (hl_starts(lx, i, "index", true) || hl_starts(lx, i, "diff", false) || c == '=')
            cls = "gh";
        if (strcmp(cls, "gu") == 0 && c != '@') {
            /* "3,4c5": a normal diff's command line */
            size_t k = i;
            while (k < e && (hl_isdigit((unsigned char)lx->s[k]) || lx->s[k] == ','))
                k++;
            if (k == e || !hl_in("acd", lx->s[k])) cls = "";
        }
        hl_emit_to(lx, cls, e);
        hl_emit_to(lx, "", eol < lx->n ? eol + 1 : eol);
    }
}

/* ---- nginx ---- */

void
hl_lex_nginx(hl_lex *lx)
{
    long depth = 0;
    bool stmt = false, include = false;
    while (lx->pos < lx->n) {
        size_t p0 = lx->pos, i = p0;
        int c = (unsigned char)lx->s[i];
        size_t e = i;
        while (e < lx->n && !hl_isspace((unsigned char)lx->s[e]) && !hl_in(";{}#", lx->s[e]))
            e++;
        if (hl_isspace(c)) {
            hl_emit_to(lx, "", hl_space_end(lx, i));
        } else if (c == '#') {
            hl_emit_to(lx, "c1", hl_eol(lx, i));
        } else if (c == '{') {
            hl_emit(lx, "p", 1);
            depth++;
            stmt = false;
        } else if (c == '}') {
            hl_emit(lx, "p", 1);
            if (depth > 0) depth--;
            stmt = false;
        } else if (c == ';') {
            hl_emit(lx, "p", 1);
            stmt = include = false;
        } else if (!stmt) {
            include = e - i == 7 && hl_starts(lx, i, "include", false);
            hl_emit_to(lx, depth == 0 || include ? "k" : "kn", e);
            stmt = true;
        } else if (c == '"' || c == '\'') {
            hl_quoted(lx, c, c == '"' ? "s2" : "s1", NULL, false);
        } else if (c == '$' && e > i + 1) {
            size_t k = i + 1;
            while (k < e && lx->s[k] != '(' && lx->s[k] != ')')
                k++;
            hl_emit_to(lx, "nv", k);
        } else if (c == '~') {
            size_t k = i + 1 + (hl_at(lx, i + 1) == '*');
            hl_emit_to(lx, "p", k);
            size_t r = hl_blank_end(lx, k), re = r;
            while (re < lx->n && !hl_isspace((unsigned char)lx->s[re]) && lx->s[re] != '{')
                re++;
            hl_emit_to(lx, "", r);
            hl_emit_to(lx, "sr", re);
        } else if (c == '=' || c == ':') {
            hl_emit(lx, "p", 1);
        } else {
            const char *w = lx->s + i;
            size_t len = e - i, d = 0;
            while (d < len && hl_isdigit((unsigned char)w[d]))
                d++;
            const char *cls = include ? "n" : "s";
            if ((len == 2 && !memcmp(w, "on", 2)) || (len == 3 && !memcmp(w, "off", 3)))
                cls = "no";
            else if (d > 0 && (d == len || (d + 1 == len && hl_in("kKmMgGsdhy", w[d]))))
                cls = "mi";
            hl_emit_to(lx, cls, e);
        }
        hl_progress(lx, p0);
    }
}

/* ---- Dockerfile ---- */

static const char *const docker_string_args[] = {"FROM", "MAINTAINER", "EXPOSE", "WORKDIR",
                                                 "USER", "STOPSIGNAL", NULL};
static const char *const docker_instructions[] = {
    "ADD",        "ARG",         "CMD",    "COPY",       "ENTRYPOINT", "ENV", "EXPOSE",
    "FROM",       "HEALTHCHECK", "LABEL",  "MAINTAINER", "ONBUILD",    "RUN", "SHELL",
    "STOPSIGNAL", "USER",        "VOLUME", "WORKDIR",    NULL};

/* End of the logical line at i: backslash-newline continues it. */
static size_t
logical_eol(const hl_lex *lx, size_t i)
{
    for (;;) {
        size_t e = hl_eol(lx, i), k = e;
        if (k > i && lx->s[k - 1] == '\r') k--;
        if (e >= lx->n || k == i || lx->s[k - 1] != '\\') return e;
        i = e + 1;
    }
}

void
hl_lex_dockerfile(hl_lex *lx)
{
    while (lx->pos < lx->n) {
        size_t p0 = lx->pos, i = hl_space_end(lx, p0);
        hl_emit_to(lx, "", i);
        if (i >= lx->n) break;
        if (lx->s[i] == '#') {
            hl_emit_to(lx, "c", hl_eol(lx, i));
            continue;
        }
        size_t we = i;
        while (we < lx->n && hl_isalpha((unsigned char)lx->s[we]))
            we++;
        size_t end = logical_eol(lx, i);
        const char *w = lx->s + i;
        size_t wl = we - i;
        if (wl == 0 || !hl_iword(docker_instructions, w, wl)) {
            hl_sub(lx, hl_lex_bash, end);
            continue;
        }
        hl_emit_to(lx, "k", we);
        size_t a = hl_blank_end(lx, we);
        hl_emit_to(lx, "", a);
        if (hl_iword(docker_string_args, w, wl)) {
            /* FROM image AS name: words are strings, AS a keyword */
            while (lx->pos < end) {
                size_t k = lx->pos, ke = k;
                while (ke < end && !hl_isspace((unsigned char)lx->s[ke]) && lx->s[ke] != '\\')
                    ke++;
                if (ke == k) {
                    hl_emit(lx, "", 1);
                    continue;
                }
                bool as = ke - k == 2 && hl_starts(lx, k, "as", true) && wl == 4;
                hl_emit_to(lx, as ? "k" : "s", ke);
            }
        } else if (hl_at(lx, a) == '[') {
            hl_sub(lx, hl_lex_json, end);
        } else {
            hl_sub(lx, hl_lex_bash, end);
        }
        hl_progress(lx, p0);
    }
}

/* ---- make ---- */

static const char *const make_directives[] = {
    "include", "-include", "sinclude", "ifeq",    "ifneq",    "ifdef",
    "ifndef",  "else",     "endif",    "define",  "endef",    "override",
    "export",  "unexport", "vpath",    "private", "undefine", NULL};

/* $(...), ${...}, $@ ..., from pos on the '$'; stops at a bare newline. */
static void
make_expansion(hl_lex *lx)
{
    size_t i = lx->pos;
    int c = hl_at(lx, i + 1);
    if (c == '(' || c == '{') {
        int open = c, close = c == '(' ? ')' : '}';
        long depth = 0;
        hl_emit(lx, "k", 2);
        depth = 1;
        while (lx->pos < lx->n && depth > 0) {
            size_t k = lx->pos;
            int d = (unsigned char)lx->s[k];
            if (d == '\n' && (k == 0 || lx->s[k - 1] != '\\')) return;
            if (d == '$') {
                if (hl_at(lx, k + 1) == '(' || hl_at(lx, k + 1) == '{') {
                    hl_emit(lx, "k", 2);
                    depth++;
                } else {
                    hl_emit(lx, "k", 2);
                }
            } else if (d == open) {
                hl_emit(lx, "k", 1);
                depth++;
            } else if (d == close) {
                hl_emit(lx, "k", 1);
                depth--;
            } else if (hl_isidchar(d) || d == '.' || d == '-') {
                size_t e = k;
                while (e < lx->n &&
                       (hl_isidchar((unsigned char)lx->s[e]) || lx->s[e] == '.' || lx->s[e] == '-'))
                    e++;
                hl_emit_to(lx, "nv", e);
            } else {
                hl_emit(lx, "", 1);
            }
        }
    } else if (hl_in("<@$+%?|*^", c)) {
        hl_emit(lx, "k", 2);
    } else if (hl_isidchar(c)) {
        hl_emit(lx, "nv", 2);
    } else {
        hl_emit(lx, "", 1);
    }
}

/* Plain text with expansions, to end; words get class cls. */
static void
make_text(hl_lex *lx, size_t end, const char *cls)
{
    while (lx->pos < end) {
        size_t p0 = lx->pos;
        int c = (unsigned char)lx->s[p0];
        if (c == '$') {
            size_t n = lx->n;
            lx->n = end;
            make_expansion(lx);
            lx->n = n;
        } else if (c == '#' && (p0 == 0 || lx->s[p0 - 1] != '\\')) {
            hl_emit_to(lx, "c", hl_eol(lx, p0) < end ? hl_eol(lx, p0) : end);
        } else if (hl_isspace(c) || c == '\\') {
            hl_emit(lx, "", 1);
        } else if (c == '|' || c == ';') {
            hl_emit(lx, "p", 1);
        } else {
            size_t e = p0;
            while (e < end && !hl_isspace((unsigned char)lx->s[e]) && !hl_in("$#|;\\", lx->s[e]))
                e++;
            hl_emit_to(lx, cls, e);
        }
        hl_progress(lx, p0);
    }
}

void
hl_lex_make(hl_lex *lx)
{
    while (lx->pos < lx->n) {
        size_t p0 = lx->pos, i = p0;
        size_t end = logical_eol(lx, i);
        if (lx->s[i] == '\t') {
            /* a recipe: shell */
            hl_emit(lx, "", 1);
            hl_sub(lx, hl_lex_bash, end);
            hl_emit_to(lx, "", end < lx->n ? end + 1 : end);
            continue;
        }
        size_t j = hl_blank_end(lx, i);
        hl_emit_to(lx, "", j);
        size_t we = j;
        while (we < end && !hl_isspace((unsigned char)lx->s[we]) && !hl_in(":=#?+!", lx->s[we]))
            we++;
        if (hl_at(lx, j) == '#') {
            hl_emit_to(lx, "c", hl_eol(lx, j));
        } else if (we > j && hl_word(make_directives, lx->s + j, we - j) &&
                   (we == end || hl_isspace((unsigned char)lx->s[we]) || lx->s[we] == '(')) {
            hl_emit_to(lx, "k", we);
            make_text(lx, end, "");
        } else {
            /* NAME op value, or targets: prerequisites */
            size_t k = j, op = SIZE_MAX, colon = SIZE_MAX;
            long paren = 0;
            for (; k < end && op == SIZE_MAX && colon == SIZE_MAX; k++) {
                int c = (unsigned char)lx->s[k];
                if (c == '$' && (hl_at(lx, k + 1) == '(' || hl_at(lx, k + 1) == '{')) {
                    paren++;
                    k++;
                } else if ((c == ')' || c == '}') && paren > 0) {
                    paren--;
                } else if (paren > 0) {
                    continue;
                } else if (c == '#') {
                    break;
                } else if (c == '=') {
                    op = k;
                } else if (hl_in("?+!", c) && hl_at(lx, k + 1) == '=') {
                    op = k;
                } else if (c == ':' && hl_at(lx, k + 1) == '=') {
                    op = k;
                } else if (c == ':' && hl_at(lx, k + 1) == ':' && hl_at(lx, k + 2) == '=') {
                    op = k;
                } else if (c == ':') {
                    colon = k;
                }
            }
            if (op != SIZE_MAX) {
                size_t ne = op;
                while (ne > j && hl_isblank((unsigned char)lx->s[ne - 1]))
                    ne--;
                make_text(lx, ne, "nv");
                hl_emit_to(lx, "", op);
                size_t oe = op;
                while (oe < end && lx->s[oe] != '=')
                    oe++;
                hl_emit_to(lx, "o", oe + 1);
                make_text(lx, end, "");
            } else if (colon != SIZE_MAX) {
                make_text(lx, colon, "nf");
                size_t ce = colon;
                while (ce < end && lx->s[ce] == ':')
                    ce++;
                hl_emit_to(lx, "o", ce);
                size_t semi = ce;
                while (semi < end && lx->s[semi] != ';' && lx->s[semi] != '#')
                    semi++;
                make_text(lx, semi, "n");
                if (semi < end && lx->s[semi] == ';') {
                    hl_emit(lx, "p", 1);
                    hl_sub(lx, hl_lex_bash, end);
                } else {
                    make_text(lx, end, "n");
                }
            } else {
                make_text(lx, end, "");
            }
        }
        hl_emit_to(lx, "", end < lx->n ? end + 1 : end);
        hl_progress(lx, p0);
    }
}
