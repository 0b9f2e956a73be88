/*
 * hl lexers for programming languages with C-like syntax: JavaScript
 * (and TypeScript's extra words), C (and C++'s), Go, Rust; and SQL.
 *
 * Token choices follow Pygments 2.14.  Two things need context a regular
 * expression does not have, and get it cheaply:
 *  - a JavaScript "/" starts a regular expression where an operand is
 *    expected (after an operator, "(", "return" ...), and divides
 *    otherwise; the lexer remembers which it is from the last token.  A
 *    regular expression is looked for up to the end of its line, and at
 *    most RE_MAX bytes, so a line of slashes stays linear.
 *  - a C or Go function definition is a name followed by "(" outside any
 *    braces (definitions are at file scope; calls are inside bodies).
 * Template literals nest inside their ${} without bound, so JavaScript
 * keeps them on the frame stack; Rust's block comments nest too, and
 * only need a counter.
 */
#include "highlight_int.h"

#include <string.h>

#define RE_MAX 1024

/* Comments shared by the family: // and block comments. */
static bool
c_comment(hl_lex *lx)
{
    size_t i = lx->pos;
    if (hl_at(lx, i) != '/') return false;
    if (hl_at(lx, i + 1) == '/') {
        hl_emit_to(lx, "c1", hl_eol(lx, i));
        return true;
    }
    if (hl_at(lx, i + 1) == '*') {
        hl_emit_to(lx, "cm", hl_find(lx, i + 2, "*/", false));
        return true;
    }
    return false;
}

static void
operator_or_punct(hl_lex *lx, const char *punct)
{
    int c = (unsigned char)lx->s[lx->pos];
    if (hl_in(punct, c))
        hl_emit(lx, "p", 1);
    else if (hl_in("~!%^&*+=|?:<>/-@", c))
        hl_emit(lx, "o", 1);
    else
        hl_emit(lx, "", 1);
}

/* ---- JavaScript and TypeScript ---- */

static const char *const js_keywords[] = {
    "for",    "in",      "while",   "do",       "break",   "return", "continue",
    "switch", "case",    "default", "if",       "else",    "throw",  "try",
    "catch",  "finally", "yield",   "await",    "async",   "this",   "of",
    "static", "export",  "import",  "debugger", "extends", "super",  NULL};
static const char *const js_declarations[] = {"var",      "let",   "const", "with",
                                              "function", "class", NULL};
static const char *const js_word_ops[] = {"typeof", "instanceof", "in", "void",
                                          "delete", "new",        NULL};
static const char *const js_reserved[] = {
    "constructor", "from",         "as",     "abstract",  "boolean",  "byte",       "char",
    "double",      "enum",         "final",  "float",     "goto",     "implements", "int",
    "interface",   "long",         "native", "package",   "private",  "protected",  "public",
    "short",       "synchronized", "throws", "transient", "volatile", "get",        "set",
    NULL};
static const char *const js_constants[] = {"true",     "false",     "null", "NaN",
                                           "Infinity", "undefined", NULL};
static const char *const js_builtins[] = {"Array",
                                          "Boolean",
                                          "Date",
                                          "BigInt",
                                          "Function",
                                          "Math",
                                          "ArrayBuffer",
                                          "Number",
                                          "Object",
                                          "RegExp",
                                          "String",
                                          "Promise",
                                          "Proxy",
                                          "decodeURI",
                                          "decodeURIComponent",
                                          "encodeURI",
                                          "encodeURIComponent",
                                          "eval",
                                          "isFinite",
                                          "isNaN",
                                          "parseFloat",
                                          "parseInt",
                                          "DataView",
                                          "document",
                                          "window",
                                          "globalThis",
                                          "global",
                                          "Symbol",
                                          "Intl",
                                          "WeakSet",
                                          "WeakMap",
                                          "Set",
                                          "Map",
                                          "Reflect",
                                          "JSON",
                                          "Atomics",
                                          "console",
                                          "Int8Array",
                                          "Int16Array",
                                          "Int32Array",
                                          "Uint8Array",
                                          "Uint16Array",
                                          "Uint32Array",
                                          "Float32Array",
                                          "Float64Array",
                                          NULL};
static const char *const ts_declarations[] = {
    "type",       "interface", "enum",  "namespace", "module", "declare", "abstract",
    "implements", "readonly",  "keyof", "infer",     "is",     NULL};
static const char *const ts_types[] = {"string",  "number", "boolean", "any",    "void", "never",
                                       "unknown", "object", "symbol",  "bigint", NULL};

enum { JS_TEMPLATE = 1, JS_EXPR, JS_BRACE };

/* A regular expression literal at pos: its length, or 0. */
static size_t
js_regex(const hl_lex *lx)
{
    size_t i = lx->pos + 1, lim = lx->pos + RE_MAX;
    bool cls = false;
    if (hl_at(lx, i) == '/' || hl_at(lx, i) == '*') return 0;
    for (; i < lx->n && i < lim; i++) {
        int c = (unsigned char)lx->s[i];
        if (c == '\n') return 0;
        if (c == '\\') {
            i++;
            continue;
        }
        if (c == '[') cls = true;
        if (c == ']') cls = false;
        if (c == '/' && !cls) {
            i++;
            while (hl_isalpha(hl_at(lx, i)))
                i++;
            return i - lx->pos;
        }
    }
    return 0;
}

static void
js_template(hl_lex *lx)
{
    size_t i = lx->pos;
    int c = (unsigned char)lx->s[i];
    if (c == '`') {
        hl_emit(lx, "sb", 1);
        hl_pop(lx);
    } else if (c == '$' && hl_at(lx, i + 1) == '{') {
        hl_emit(lx, "si", 2);
        hl_push(lx, JS_EXPR);
    } else if (c == '\\') {
        hl_emit(lx, "sb", 2);
    } else {
        size_t j = i + 1;
        while (j < lx->n && lx->s[j] != '`' && lx->s[j] != '\\' && lx->s[j] != '$')
            j++;
        hl_emit_to(lx, "sb", j);
    }
}

static void
js(hl_lex *lx, bool ts)
{
    bool regex_ok = true; /* an operand is expected: "/" starts a regex */
    if (hl_starts(lx, lx->pos, "#!", false) && lx->pos == 0) hl_emit_to(lx, "ch", hl_eol(lx, 0));
    while (lx->pos < lx->n) {
        size_t p0 = lx->pos, i = p0;
        int c = (unsigned char)lx->s[i], top = hl_top(lx);
        if (top == JS_TEMPLATE) {
            js_template(lx);
            hl_progress(lx, p0);
            continue;
        }
        size_t len;
        const char *cls;
        if (hl_isspace(c)) {
            hl_emit_to(lx, "", hl_space_end(lx, i));
            continue;
        }
        if (c_comment(lx)) continue;
        bool was_regex_ok = regex_ok;
        regex_ok = false;
        if (c == '/' && was_regex_ok && (len = js_regex(lx)) > 0) {
            hl_emit(lx, "sr", len);
        } else if (c == '"' || c == '\'') {
            hl_quoted(lx, c, c == '"' ? "s2" : "s1", "se", true);
        } else if (c == '`') {
            hl_emit(lx, "sb", 1);
            hl_push(lx, JS_TEMPLATE);
        } else if ((len = hl_number(lx, '_', false, &cls)) > 0) {
            hl_emit(lx, cls, len);
        } else if (hl_isidstart(c) || c == '$') {
            size_t e = i + 1;
            while (e < lx->n && (hl_isidchar((unsigned char)lx->s[e]) || lx->s[e] == '$'))
                e++;
            const char *w = lx->s + i;
            size_t wl = e - i;
            bool member = i > 0 && lx->s[i - 1] == '.';
            cls = "nx";
            if (member) {
                /* obj.default, obj.new: names */
            } else if (ts && hl_word(ts_types, w, wl)) {
                cls = "kt";
            } else if (hl_word(js_word_ops, w, wl)) {
                cls = "ow";
                regex_ok = true;
            } else if (hl_word(js_keywords, w, wl)) {
                cls = "k";
                regex_ok =
                    !(wl == 4 && !memcmp(w, "this", 4)) && !(wl == 5 && !memcmp(w, "super", 5));
            } else if (hl_word(js_declarations, w, wl)) {
                cls = "kd";
                regex_ok = true;
            } else if (ts && hl_word(ts_declarations, w, wl)) {
                cls = "kd";
            } else if (hl_word(js_reserved, w, wl)) {
                cls = "kr";
            } else if (hl_word(js_constants, w, wl)) {
                cls = "kc";
            } else if (hl_word(js_builtins, w, wl)) {
                cls = "nb";
            } else if (wl >= 5 && !memcmp(w + wl - 5, "Error", 5)) {
                cls = "ne";
            }
            hl_emit_to(lx, cls, e);
        } else if (c == '}' && top == JS_EXPR) {
            hl_emit(lx, "si", 1);
            hl_pop(lx);
        } else if (c == '{') {
            hl_emit(lx, "p", 1);
            if (top) hl_push(lx, JS_BRACE);
            regex_ok = true;
        } else if (c == '}') {
            hl_emit(lx, "p", 1);
            if (top == JS_BRACE) hl_pop(lx);
            regex_ok = true;
        } else if ((c == '=' && hl_at(lx, i + 1) == '>') ||
                   (c == '.' && hl_at(lx, i + 1) == '.' && hl_at(lx, i + 2) == '.')) {
            hl_emit(lx, "p", c == '=' ? 2 : 3);
            regex_ok = true;
        } else if (hl_in("()[];,.", c)) {
            hl_emit(lx, "p", 1);
            regex_ok = c != ')' && c != ']' && c != '.';
        } else if (c == '@' && hl_isidstart(hl_at(lx, i + 1))) {
            hl_emit_to(lx, "nd", hl_ident_end(lx, i + 1)); /* decorators */
        } else if (c == '#' && hl_isidstart(hl_at(lx, i + 1))) {
            hl_emit_to(lx, "nx", hl_ident_end(lx, i + 1)); /* private fields */
        } else if (hl_in("~!%^&*+=|?:<>/-", c)) {
            hl_emit(lx, "o", 1);
            regex_ok = true;
        } else {
            hl_emit(lx, "", 1);
        }
        hl_progress(lx, p0);
    }
}

void
hl_lex_js(hl_lex *lx)
{
    js(lx, false);
}

void
hl_lex_ts(hl_lex *lx)
{
    js(lx, true);
}

/* ---- C and C++ ---- */

static const char *const c_keywords[] = {"auto",
                                         "break",
                                         "case",
                                         "const",
                                         "continue",
                                         "default",
                                         "do",
                                         "else",
                                         "enum",
                                         "extern",
                                         "for",
                                         "goto",
                                         "if",
                                         "inline",
                                         "register",
                                         "restrict",
                                         "return",
                                         "sizeof",
                                         "static",
                                         "struct",
                                         "switch",
                                         "typedef",
                                         "union",
                                         "volatile",
                                         "while",
                                         "_Alignas",
                                         "_Alignof",
                                         "_Atomic",
                                         "_Generic",
                                         "_Noreturn",
                                         "_Static_assert",
                                         "_Thread_local",
                                         "alignas",
                                         "alignof",
                                         "static_assert",
                                         "thread_local",
                                         "asm",
                                         "__attribute__",
                                         "__restrict",
                                         "__inline",
                                         NULL};
static const char *const c_types[] = {
    "int",       "long",     "float",    "short",    "double",  "char",    "unsigned",  "signed",
    "void",      "_Bool",    "bool",     "_Complex", "size_t",  "ssize_t", "ptrdiff_t", "intptr_t",
    "uintptr_t", "off_t",    "int8_t",   "int16_t",  "int32_t", "int64_t", "uint8_t",   "uint16_t",
    "uint32_t",  "uint64_t", "wchar_t",  "FILE",     "va_list", "pid_t",   "time_t",    "intmax_t",
    "uintmax_t", "char8_t",  "char16_t", "char32_t", NULL};
static const char *const c_builtins[] = {"NULL", "true", "false", "nullptr", NULL};
static const char *const cpp_keywords[] = {"catch",        "class",       "const_cast",
                                           "constexpr",    "consteval",   "constinit",
                                           "co_await",     "co_return",   "co_yield",
                                           "concept",      "decltype",    "delete",
                                           "dynamic_cast", "explicit",    "export",
                                           "final",        "friend",      "mutable",
                                           "namespace",    "new",         "noexcept",
                                           "operator",     "override",    "private",
                                           "protected",    "public",      "reinterpret_cast",
                                           "requires",     "static_cast", "template",
                                           "this",         "throw",       "try",
                                           "typeid",       "typename",    "using",
                                           "virtual",      "and",         "or",
                                           "not",          NULL};

/* A preprocessor line (continued by backslashes), from pos on the '#'. */
static void
c_preproc(hl_lex *lx)
{
    size_t j = hl_blank_end(lx, lx->pos + 1), e = hl_ident_end(lx, j);
    bool include = (e - j == 7 && hl_starts(lx, j, "include", false)) ||
                   (e - j == 6 && hl_starts(lx, j, "import", false)) ||
                   (e - j == 12 && hl_starts(lx, j, "include_next", false));
    hl_emit_to(lx, "cp", e);
    if (include) {
        size_t k = hl_blank_end(lx, e);
        int q = hl_at(lx, k);
        if (q == '<' || q == '"') {
            hl_emit_to(lx, "", k);
            size_t f = k + 1;
            while (f < lx->n && lx->s[f] != (q == '<' ? '>' : '"') && lx->s[f] != '\n')
                f++;
            hl_emit_to(lx, "cpf", f < lx->n && lx->s[f] != '\n' ? f + 1 : f);
        }
    }
    while (lx->pos < lx->n) {
        size_t i = lx->pos;
        int c = (unsigned char)lx->s[i];
        if (c == '\n') return;
        if (c_comment(lx)) continue;
        if (c == '\\' && hl_at(lx, i + 1) == '\n') {
            hl_emit(lx, "cp", 2);
            continue;
        }
        size_t k = i + 1;
        while (k < lx->n && lx->s[k] != '\n' && lx->s[k] != '/' && lx->s[k] != '\\')
            k++;
        hl_emit_to(lx, "cp", k);
    }
}

/* A C++ raw string R"delim( ... )delim" from pos on the '"'; false if not. */
static bool
cpp_raw_string(hl_lex *lx)
{
    size_t i = lx->pos + 1, d = i;
    while (d < lx->n && d < i + 16 && lx->s[d] != '(' && !hl_isspace((unsigned char)lx->s[d]) &&
           lx->s[d] != '"' && lx->s[d] != ')' && lx->s[d] != '\\')
        d++;
    if (hl_at(lx, d) != '(') return false;
    size_t dl = d - i;
    for (size_t k = d + 1; k < lx->n; k++) {
        if (lx->s[k] == ')' && k + 1 + dl < lx->n && memcmp(lx->s + k + 1, lx->s + i, dl) == 0 &&
            lx->s[k + 1 + dl] == '"') {
            hl_emit_to(lx, "s", k + 2 + dl);
            return true;
        }
    }
    hl_emit_to(lx, "s", lx->n);
    return true;
}

static void
c_family(hl_lex *lx, bool cpp)
{
    const char *next = NULL; /* C++: the class of the name after class, namespace */
    long depth = 0;          /* of braces */
    bool line_start = true;  /* only blanks so far on this line */
    while (lx->pos < lx->n) {
        size_t p0 = lx->pos, i = p0;
        int c = (unsigned char)lx->s[i];
        bool was_line_start = line_start;
        line_start = false;
        size_t len;
        const char *cls;
        if (c == '\n') {
            hl_emit(lx, "", 1);
            line_start = true;
        } else if (hl_isspace(c)) {
            hl_emit_to(lx, "", hl_blank_end(lx, i + 1));
            line_start = was_line_start;
        } else if (c == '#' && was_line_start) {
            c_preproc(lx);
        } else if (c_comment(lx)) {
            /* done */
        } else if (c == '"') {
            hl_quoted(lx, '"', "s", "se", true);
        } else if (c == '\'') {
            hl_quoted(lx, '\'', "sc", "se", true);
        } else if ((len = hl_number(lx, cpp ? '\'' : 0, true, &cls)) > 0) {
            hl_emit(lx, cls, len);
        } else if (hl_isidstart(c)) {
            size_t e = hl_ident_end(lx, i);
            const char *w = lx->s + i;
            size_t wl = e - i;
            int q = hl_at(lx, e);
            bool prefix = (wl == 1 && (w[0] == 'L' || w[0] == 'u' || w[0] == 'U' || w[0] == 'R')) ||
                          (wl == 2 && w[0] == 'u' && w[1] == '8') ||
                          (wl >= 2 && w[wl - 1] == 'R' && cpp && wl <= 3);
            if (prefix && (q == '"' || (q == '\'' && w[wl - 1] != 'R'))) {
                hl_emit_to(lx, "sa", e);
                if (q == '"' && w[wl - 1] == 'R' && cpp && cpp_raw_string(lx)) {
                    /* done */
                } else {
                    hl_quoted(lx, q, q == '"' ? "s" : "sc", "se", true);
                }
                hl_progress(lx, p0);
                continue;
            }
            cls = "n";
            if (next && !hl_word(c_keywords, w, wl) && !hl_word(cpp_keywords, w, wl)) {
                hl_emit_to(lx, next, e);
                next = NULL;
                hl_progress(lx, p0);
                continue;
            }
            next = NULL;
            if (cpp && ((wl == 5 && (!memcmp(w, "class", 5) || !memcmp(w, "union", 5))) ||
                        (wl == 6 && !memcmp(w, "struct", 6)) || (wl == 4 && !memcmp(w, "enum", 4))))
                next = "nc";
            else if (cpp && wl == 9 && !memcmp(w, "namespace", 9))
                next = "nn";
            if (hl_word(c_keywords, w, wl) || (cpp && hl_word(cpp_keywords, w, wl)))
                cls = "k";
            else if (hl_word(c_types, w, wl))
                cls = "kt";
            else if (hl_word(c_builtins, w, wl))
                cls = "nb";
            else if (depth == 0 && hl_at(lx, hl_blank_end(lx, e)) == '(')
                cls = "nf";
            hl_emit_to(lx, cls, e);
        } else {
            if (c == '{') depth++;
            if (c == '}' && depth > 0) depth--;
            next = NULL;
            operator_or_punct(lx, "()[],.;{}");
        }
        hl_progress(lx, p0);
    }
}

void
hl_lex_c(hl_lex *lx)
{
    c_family(lx, false);
}

void
hl_lex_cpp(hl_lex *lx)
{
    c_family(lx, true);
}

/* ---- Go ---- */

static const char *const go_keywords[] = {
    "break",  "default",     "select", "case",  "defer",    "go",  "else",   "goto",
    "switch", "fallthrough", "if",     "range", "continue", "for", "return", NULL};
static const char *const go_declarations[] = {"chan",   "const", "func", "interface", "map",
                                              "struct", "type",  "var",  NULL};
static const char *const go_types[] = {
    "uint",  "uint8",  "uint16", "uint32",  "uint64",  "int",       "int8",       "int16",
    "int32", "int64",  "float",  "float32", "float64", "complex64", "complex128", "byte",
    "rune",  "string", "bool",   "error",   "uintptr", "any",       "comparable", NULL};
static const char *const go_builtins[] = {
    "print",  "println", "panic",  "recover", "close", "complex", "real", "imag", "len", "cap",
    "append", "copy",    "delete", "new",     "make",  "clear",   "min",  "max",  NULL};
static const char *const go_constants[] = {"true", "false", "iota", "nil", NULL};

void
hl_lex_go(hl_lex *lx)
{
    long depth = 0;
    while (lx->pos < lx->n) {
        size_t p0 = lx->pos, i = p0;
        int c = (unsigned char)lx->s[i];
        size_t len;
        const char *cls;
        if (hl_isspace(c)) {
            hl_emit_to(lx, "", hl_space_end(lx, i));
        } else if (c_comment(lx)) {
            /* done */
        } else if (c == '"') {
            hl_quoted(lx, '"', "s", "se", true);
        } else if (c == '`') {
            hl_emit_to(lx, "s", hl_find(lx, i + 1, "`", false));
        } else if (c == '\'') {
            hl_quoted(lx, '\'', "sc", "se", true);
        } else if ((len = hl_number(lx, '_', false, &cls)) > 0) {
            hl_emit(lx, cls, len);
        } else if (hl_isidstart(c)) {
            size_t e = hl_ident_end(lx, i);
            const char *w = lx->s + i;
            size_t wl = e - i;
            bool call = hl_at(lx, e) == '(';
            bool member = i > 0 && lx->s[i - 1] == '.';
            cls = "nx";
            if (member)
                cls = "nx";
            else if ((wl == 7 && !memcmp(w, "package", 7)) || (wl == 6 && !memcmp(w, "import", 6)))
                cls = "kn";
            else if (hl_word(go_keywords, w, wl))
                cls = "k";
            else if (hl_word(go_declarations, w, wl))
                cls = "kd";
            else if (hl_word(go_types, w, wl))
                cls = "kt";
            else if (hl_word(go_constants, w, wl))
                cls = "kc";
            else if (call && hl_word(go_builtins, w, wl))
                cls = "nb";
            else if (call && depth == 0)
                cls = "nf";
            hl_emit_to(lx, cls, e);
        } else {
            if (c == '{') depth++;
            if (c == '}' && depth > 0) depth--;
            operator_or_punct(lx, "()[],.;{}");
        }
        hl_progress(lx, p0);
    }
}

/* ---- Rust ---- */

static const char *const rs_keywords[] = {
    "as",    "async", "await",  "box",         "break",  "const",  "continue", "crate", "do",
    "dyn",   "else",  "extern", "for",         "if",     "impl",   "in",       "loop",  "match",
    "move",  "mut",   "pub",    "ref",         "return", "static", "super",    "trait", "unsafe",
    "where", "while", "yield",  "macro_rules", "try",    "union",  "struct",   "enum",  "trait",
    "type",  "fn",    "use",    "mod",         NULL};
static const char *const rs_types[] = {"u8",  "u16", "u32",  "u64",  "u128",  "i8",
                                       "i16", "i32", "i64",  "i128", "usize", "isize",
                                       "f32", "f64", "char", "str",  "bool",  NULL};
static const char *const rs_builtins[] = {
    "Some",      "None",     "Ok",           "Err",      "Option",  "Result", "Vec",
    "String",    "Box",      "Rc",           "Arc",      "Copy",    "Clone",  "Send",
    "Sync",      "Sized",    "Drop",         "Fn",       "FnMut",   "FnOnce", "Default",
    "Debug",     "Iterator", "IntoIterator", "ToString", "ToOwned", "From",   "Into",
    "PartialEq", "Eq",       "PartialOrd",   "Ord",      "Hash",    NULL};

enum { RS_NONE, RS_FN, RS_TYPE, RS_MOD };

/* A raw string r"..." or r#"..."#, from pos on the 'r' (after any 'b'). */
static bool
rs_raw_string(hl_lex *lx, size_t r)
{
    size_t j = r + 1;
    while (hl_at(lx, j) == '#')
        j++;
    if (hl_at(lx, j) != '"') return false;
    size_t hashes = j - r - 1;
    hl_emit_to(lx, "sa", r + 1);
    for (size_t k = j + 1; k < lx->n; k++) {
        if (lx->s[k] != '"') continue;
        size_t h = 0;
        while (h < hashes && k + 1 + h < lx->n && lx->s[k + 1 + h] == '#')
            h++;
        if (h == hashes) {
            hl_emit_to(lx, "s", k + 1 + h);
            return true;
        }
    }
    hl_emit_to(lx, "s", lx->n);
    return true;
}

/* A char literal 'x', '\n', '\u{..}' at pos: its length, or 0 (a lifetime). */
static size_t
rs_char(const hl_lex *lx)
{
    size_t i = lx->pos + 1;
    int c = hl_at(lx, i);
    if (c < 0 || c == '\n' || c == '\'') return 0;
    if (c == '\\') {
        size_t j = i + 2;
        if (hl_at(lx, i + 1) == 'u' && hl_at(lx, j) == '{')
            while (j < i + 12 && hl_at(lx, j) > 0 && hl_at(lx, j) != '}' && hl_at(lx, j) != '\'')
                j++;
        else if (hl_at(lx, i + 1) == 'x')
            j = i + 4;
        if (hl_at(lx, j) == '}') j++;
        return hl_at(lx, j) == '\'' ? j + 1 - lx->pos : 0;
    }
    size_t j = i + 1;
    if (c >= 0xC0)
        while (j < i + 4 && (hl_at(lx, j) & 0xC0) == 0x80)
            j++;
    return hl_at(lx, j) == '\'' ? j + 1 - lx->pos : 0;
}

/* #[attribute] or #![attribute], from pos on the '#'. */
static void
rs_attribute(hl_lex *lx)
{
    long depth = 0;
    while (lx->pos < lx->n) {
        size_t i = lx->pos;
        int c = (unsigned char)lx->s[i];
        if (c == '"') {
            hl_quoted(lx, '"', "s", "se", false);
            continue;
        }
        size_t k = i + 1;
        if (c == '[') depth++;
        if (c == ']' && --depth <= 0) {
            hl_emit(lx, "cp", 1);
            return;
        }
        if (c != '[' && c != ']')
            while (k < lx->n && lx->s[k] != '"' && lx->s[k] != '[' && lx->s[k] != ']')
                k++;
        hl_emit_to(lx, "cp", k);
    }
}

void
hl_lex_rust(hl_lex *lx)
{
    int expect = RS_NONE;
    while (lx->pos < lx->n) {
        size_t p0 = lx->pos, i = p0;
        int c = (unsigned char)lx->s[i];
        size_t len;
        const char *cls;
        if (hl_isspace(c)) {
            hl_emit_to(lx, "", hl_space_end(lx, i));
        } else if (c == '/' && hl_at(lx, i + 1) == '/') {
            bool doc =
                (hl_at(lx, i + 2) == '/' && hl_at(lx, i + 3) != '/') || hl_at(lx, i + 2) == '!';
            hl_emit_to(lx, doc ? "sd" : "c1", hl_eol(lx, i));
        } else if (c == '/' && hl_at(lx, i + 1) == '*') {
            size_t depth = 0, k = i;
            while (k < lx->n) {
                if (lx->s[k] == '/' && hl_at(lx, k + 1) == '*') {
                    depth++;
                    k += 2;
                } else if (lx->s[k] == '*' && hl_at(lx, k + 1) == '/') {
                    k += 2;
                    if (--depth == 0) break;
                } else {
                    k++;
                }
            }
            hl_emit_to(lx, "cm", k);
        } else if (c == '#' && (hl_at(lx, i + 1) == '[' ||
                                (hl_at(lx, i + 1) == '!' && hl_at(lx, i + 2) == '['))) {
            rs_attribute(lx);
        } else if (c == '"') {
            hl_quoted(lx, '"', "s", "se", false);
        } else if (c == '\'') {
            if ((len = rs_char(lx)) > 0) {
                size_t e = i + len;
                hl_emit(lx, "sc", 1);
                while (lx->pos < e - 1) {
                    if (lx->s[lx->pos] == '\\')
                        hl_emit_to(lx, "se", e - 1);
                    else
                        hl_emit_to(lx, "sc", e - 1);
                }
                hl_emit(lx, "sc", 1);
            } else if (hl_isidstart(hl_at(lx, i + 1))) {
                hl_emit_to(lx, "nl", hl_ident_end(lx, i + 1)); /* a lifetime */
            } else {
                hl_emit(lx, "o", 1);
            }
        } else if ((len = hl_number(lx, '_', false, &cls)) > 0) {
            hl_emit(lx, cls, len);
        } else if (hl_isidstart(c)) {
            size_t e = hl_ident_end(lx, i);
            const char *w = lx->s + i;
            size_t wl = e - i;
            int q = hl_at(lx, e);
            /* b"..", b'x', r"..", r#".."#, br#".."# */
            if ((wl == 1 && w[0] == 'b' && (q == '"' || q == '\'')) ||
                (wl <= 2 && w[wl - 1] == 'r' && (wl == 1 || w[0] == 'b') &&
                 (q == '"' || q == '#'))) {
                if (w[wl - 1] == 'r' && rs_raw_string(lx, e - 1)) {
                    hl_progress(lx, p0);
                    continue;
                }
                if (w[wl - 1] == 'b') {
                    hl_emit_to(lx, "sa", e);
                    if (q == '"')
                        hl_quoted(lx, '"', "s", "se", false);
                    else
                        hl_quoted(lx, '\'', "sc", "se", true);
                    hl_progress(lx, p0);
                    continue;
                }
            }
            cls = "n";
            if (q == '!' && hl_at(lx, e + 1) != '=') {
                hl_emit_to(lx, "fm", e + 1);
                expect = RS_NONE;
                hl_progress(lx, p0);
                continue;
            }
            if (expect == RS_FN)
                cls = "nf";
            else if (expect == RS_TYPE)
                cls = "nc";
            else if (expect == RS_MOD)
                cls = "nn";
            else if (wl == 3 && !memcmp(w, "let", 3))
                cls = "kd";
            else if (hl_word(rs_keywords, w, wl))
                cls = "k";
            else if ((wl == 4 && !memcmp(w, "true", 4)) || (wl == 5 && !memcmp(w, "false", 5)))
                cls = "kc";
            else if ((wl == 4 && !memcmp(w, "self", 4)) || (wl == 4 && !memcmp(w, "Self", 4)))
                cls = "bp";
            else if (hl_word(rs_types, w, wl))
                cls = "kt";
            else if (hl_word(rs_builtins, w, wl))
                cls = "nb";
            int was = expect;
            expect = RS_NONE;
            if (was == RS_NONE && strcmp(cls, "k") == 0) {
                if (wl == 2 && !memcmp(w, "fn", 2)) expect = RS_FN;
                if ((wl == 6 && !memcmp(w, "struct", 6)) || (wl == 4 && !memcmp(w, "enum", 4)) ||
                    (wl == 5 && !memcmp(w, "trait", 5)) || (wl == 5 && !memcmp(w, "union", 5)) ||
                    (wl == 4 && !memcmp(w, "type", 4)))
                    expect = RS_TYPE;
                if (wl == 3 && !memcmp(w, "mod", 3)) expect = RS_MOD;
            }
            hl_emit_to(lx, cls, e);
        } else {
            expect = RS_NONE;
            operator_or_punct(lx, "()[],.;{}");
        }
        hl_progress(lx, p0);
    }
}

/* ---- SQL ---- */

static const char *const sql_keywords[] = {"abort",
                                           "action",
                                           "add",
                                           "after",
                                           "all",
                                           "alter",
                                           "analyze",
                                           "and",
                                           "any",
                                           "as",
                                           "asc",
                                           "attach",
                                           "autoincrement",
                                           "before",
                                           "begin",
                                           "between",
                                           "by",
                                           "cascade",
                                           "case",
                                           "cast",
                                           "check",
                                           "collate",
                                           "column",
                                           "commit",
                                           "conflict",
                                           "constraint",
                                           "create",
                                           "cross",
                                           "current",
                                           "current_date",
                                           "current_time",
                                           "current_timestamp",
                                           "database",
                                           "default",
                                           "deferrable",
                                           "deferred",
                                           "delete",
                                           "desc",
                                           "detach",
                                           "distinct",
                                           "do",
                                           "drop",
                                           "each",
                                           "else",
                                           "end",
                                           "escape",
                                           "except",
                                           "exclusive",
                                           "exists",
                                           "explain",
                                           "fail",
                                           "false",
                                           "filter",
                                           "first",
                                           "following",
                                           "for",
                                           "foreign",
                                           "from",
                                           "full",
                                           "function",
                                           "glob",
                                           "grant",
                                           "group",
                                           "groups",
                                           "having",
                                           "if",
                                           "ignore",
                                           "ilike",
                                           "immediate",
                                           "in",
                                           "index",
                                           "indexed",
                                           "initially",
                                           "inner",
                                           "insert",
                                           "instead",
                                           "intersect",
                                           "into",
                                           "is",
                                           "isnull",
                                           "join",
                                           "key",
                                           "language",
                                           "last",
                                           "lateral",
                                           "left",
                                           "like",
                                           "limit",
                                           "match",
                                           "materialized",
                                           "natural",
                                           "no",
                                           "not",
                                           "nothing",
                                           "notnull",
                                           "null",
                                           "nulls",
                                           "of",
                                           "offset",
                                           "on",
                                           "or",
                                           "order",
                                           "others",
                                           "outer",
                                           "over",
                                           "partition",
                                           "plan",
                                           "pragma",
                                           "preceding",
                                           "primary",
                                           "procedure",
                                           "query",
                                           "raise",
                                           "range",
                                           "recursive",
                                           "references",
                                           "regexp",
                                           "reindex",
                                           "release",
                                           "rename",
                                           "replace",
                                           "restrict",
                                           "returning",
                                           "returns",
                                           "revoke",
                                           "right",
                                           "rollback",
                                           "row",
                                           "rows",
                                           "savepoint",
                                           "schema",
                                           "select",
                                           "sequence",
                                           "set",
                                           "show",
                                           "table",
                                           "temp",
                                           "temporary",
                                           "then",
                                           "ties",
                                           "to",
                                           "transaction",
                                           "trigger",
                                           "true",
                                           "truncate",
                                           "unbounded",
                                           "union",
                                           "unique",
                                           "update",
                                           "use",
                                           "using",
                                           "vacuum",
                                           "values",
                                           "view",
                                           "virtual",
                                           "when",
                                           "where",
                                           "window",
                                           "with",
                                           "without",
                                           NULL};
static const char *const sql_types[] = {
    "bigint",    "bigserial", "binary",    "bit",         "blob",     "boolean", "bool",
    "bytea",     "char",      "character", "date",        "datetime", "decimal", "double",
    "enum",      "float",     "int",       "integer",     "interval", "json",    "jsonb",
    "mediumint", "money",     "numeric",   "precision",   "real",     "serial",  "smallint",
    "text",      "time",      "timestamp", "timestamptz", "tinyint",  "uuid",    "varbinary",
    "varchar",   "varying",   "xml",       "zone",        NULL};

void
hl_lex_sql(hl_lex *lx)
{
    while (lx->pos < lx->n) {
        size_t p0 = lx->pos, i = p0;
        int c = (unsigned char)lx->s[i];
        size_t len;
        const char *cls;
        if (hl_isspace(c)) {
            hl_emit_to(lx, "", hl_space_end(lx, i));
        } else if (c == '-' && hl_at(lx, i + 1) == '-') {
            hl_emit_to(lx, "c1", hl_eol(lx, i));
        } else if (c == '/' && hl_at(lx, i + 1) == '*') {
            hl_emit_to(lx, "cm", hl_find(lx, i + 2, "*/", false));
        } else if (c == '\'' || c == '"' || c == '`') {
            /* a doubled quote is the quote itself */
            size_t k = i + 1;
            char q[2] = {(char)c, 0};
            for (;;) {
                k = hl_find(lx, k, q, false);
                if (k >= lx->n || lx->s[k] != c) break;
                k++;
            }
            hl_emit_to(lx, c == '\'' ? "s1" : c == '"' ? "ss" : "n", k);
        } else if ((len = hl_number(lx, 0, false, &cls)) > 0) {
            hl_emit(lx, cls, len);
        } else if ((c == '$' && hl_isdigit(hl_at(lx, i + 1))) ||
                   ((c == ':' || c == '@') && hl_isidstart(hl_at(lx, i + 1)) &&
                    hl_at(lx, i - 1) != ':')) {
            hl_emit_to(lx, "nv", hl_ident_end(lx, i + 1));
        } else if (hl_isidstart(c)) {
            size_t e = hl_ident_end(lx, i);
            const char *w = lx->s + i;
            cls = "n";
            if (i > 0 && lx->s[i - 1] == '.')
                cls = "n";
            else if (hl_iword(sql_keywords, w, e - i))
                cls = "k";
            else if (hl_iword(sql_types, w, e - i))
                cls = "nb";
            hl_emit_to(lx, cls, e);
        } else {
            operator_or_punct(lx, ";:()[],.");
        }
        hl_progress(lx, p0);
    }
}
