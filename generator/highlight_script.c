/*
 * hl lexers for scripting languages and their sessions: Python, pycon
 * (>>> sessions), bash (sh, zsh) and console ($ sessions).
 *
 * Token choices follow Pygments 2.14 (and Chroma, which ports it), so
 * stylesheets written for either apply.  Python and bash nest without
 * bound (an f-string's {expression} holding another f-string, "$(...)"
 * inside "..." inside $(...)), so their lexers keep what they are inside
 * on the frame stack and decide each step from its top.  The sessions
 * mark prompts (gp) and output (go) and hand the code after the prompts,
 * joined, to the language's lexer (hl_delegate), one run of consecutive
 * command lines at a time, as Pygments does.
 */
#include "highlight_int.h"

#include <string.h>

/* ---- Python ---- */

static const char *const py_keywords[] = {
    "assert",  "async", "await",  "break", "continue", "del",      "elif", "else",  "except",
    "finally", "for",   "global", "if",    "lambda",   "nonlocal", "pass", "raise", "return",
    "try",     "while", "with",   "yield", "def",      "class",    "as",   NULL};
static const char *const py_magic_vars[] = {
    "__annotations__", "__bases__",   "__class__", "__closure__",  "__code__",     "__defaults__",
    "__dict__",        "__doc__",     "__file__",  "__func__",     "__globals__",  "__kwdefaults__",
    "__module__",      "__mro__",     "__name__",  "__objclass__", "__qualname__", "__self__",
    "__slots__",       "__weakref__", NULL};
static const char *const py_word_ops[] = {"and", "in", "is", "not", "or", NULL};
static const char *const py_constants[] = {"True", "False", "None", NULL};
static const char *const py_pseudo[] = {"self", "cls", "Ellipsis", "NotImplemented", NULL};
static const char *const py_builtins[] = {
    "__import__",   "abs",      "aiter",      "all",        "anext",   "any",      "ascii",
    "bin",          "bool",     "breakpoint", "bytearray",  "bytes",   "callable", "chr",
    "classmethod",  "compile",  "complex",    "delattr",    "dict",    "dir",      "divmod",
    "enumerate",    "eval",     "exec",       "filter",     "float",   "format",   "frozenset",
    "getattr",      "globals",  "hasattr",    "hash",       "help",    "hex",      "id",
    "input",        "int",      "isinstance", "issubclass", "iter",    "len",      "list",
    "locals",       "map",      "max",        "memoryview", "min",     "next",     "object",
    "oct",          "open",     "ord",        "pow",        "print",   "property", "range",
    "repr",         "reversed", "round",      "set",        "setattr", "slice",    "sorted",
    "staticmethod", "str",      "sum",        "super",      "tuple",   "type",     "vars",
    "zip",          NULL};
static const char *const py_exceptions[] = {"ArithmeticError",
                                            "AssertionError",
                                            "AttributeError",
                                            "BaseException",
                                            "BlockingIOError",
                                            "BrokenPipeError",
                                            "BufferError",
                                            "BytesWarning",
                                            "ChildProcessError",
                                            "ConnectionError",
                                            "DeprecationWarning",
                                            "EOFError",
                                            "EnvironmentError",
                                            "Exception",
                                            "FileExistsError",
                                            "FileNotFoundError",
                                            "FloatingPointError",
                                            "FutureWarning",
                                            "GeneratorExit",
                                            "IOError",
                                            "ImportError",
                                            "ImportWarning",
                                            "IndentationError",
                                            "IndexError",
                                            "InterruptedError",
                                            "IsADirectoryError",
                                            "KeyError",
                                            "KeyboardInterrupt",
                                            "LookupError",
                                            "MemoryError",
                                            "ModuleNotFoundError",
                                            "NameError",
                                            "NotADirectoryError",
                                            "NotImplementedError",
                                            "OSError",
                                            "OverflowError",
                                            "PermissionError",
                                            "ProcessLookupError",
                                            "RecursionError",
                                            "ReferenceError",
                                            "ResourceWarning",
                                            "RuntimeError",
                                            "RuntimeWarning",
                                            "StopAsyncIteration",
                                            "StopIteration",
                                            "SyntaxError",
                                            "SyntaxWarning",
                                            "SystemError",
                                            "SystemExit",
                                            "TabError",
                                            "TimeoutError",
                                            "TypeError",
                                            "UnboundLocalError",
                                            "UnicodeDecodeError",
                                            "UnicodeEncodeError",
                                            "UnicodeError",
                                            "UnicodeTranslateError",
                                            "UnicodeWarning",
                                            "UserWarning",
                                            "ValueError",
                                            "Warning",
                                            "ZeroDivisionError",
                                            NULL};

/*
 * Frames.  A string: PY_STR | quote | flags.  An f-string's {expression}:
 * PY_EXPR; brackets inside it: PY_BRACKET; its format spec: PY_SPEC.
 */
enum {
    PY_STR = 1 << 16,
    PY_EXPR = 2 << 16,
    PY_BRACKET = 3 << 16,
    PY_SPEC = 4 << 16,
    PY_KIND = 0xff << 16,
    PY_TRIPLE = 1 << 8,
    PY_RAW = 1 << 9,
    PY_F = 1 << 10,
    PY_DOC = 1 << 11,
};

static const char *
py_str_cls(int f)
{
    if (f & PY_DOC) return "sd";
    return (f & 0xff) == '"' ? "s2" : "s1";
}

/* A %-format at i ("%s", "%(name)-10.3f"); its length or 0. */
static size_t
py_percent(const hl_lex *lx, size_t i)
{
    size_t j = i + 1;
    if (hl_at(lx, j) == '(') {
        size_t k = j + 1;
        while (hl_isidchar(hl_at(lx, k)) && k < j + 64)
            k++;
        if (hl_at(lx, k) != ')') return 0;
        j = k + 1;
    }
    while (hl_in("-#0 +", hl_at(lx, j)))
        j++;
    while (hl_isdigit(hl_at(lx, j)) || hl_at(lx, j) == '*')
        j++;
    if (hl_at(lx, j) == '.') {
        j++;
        while (hl_isdigit(hl_at(lx, j)) || hl_at(lx, j) == '*')
            j++;
    }
    int c = hl_at(lx, j);
    if (c == 'h' || c == 'l' || c == 'L') c = hl_at(lx, ++j);
    if (c > 0 && hl_in("diouxXeEfFgGcrsa%", c)) return j + 1 - i;
    return 0;
}

/* A str.format field at i ("{}", "{0}", "{name.attr!r:>10}"); length or 0. */
static size_t
py_format_field(const hl_lex *lx, size_t i, int q)
{
    size_t j = i + 1, lim = i + 64;
    while (j < lim && (hl_isidchar(hl_at(lx, j)) || hl_at(lx, j) == '.' || hl_at(lx, j) == '[' ||
                       hl_at(lx, j) == ']'))
        j++;
    if (hl_at(lx, j) == '!' && hl_in("sra", hl_at(lx, j + 1))) j += 2;
    if (hl_at(lx, j) == ':')
        while (j < lim && hl_at(lx, j) > 0 && hl_at(lx, j) != '}' && hl_at(lx, j) != '{' &&
               hl_at(lx, j) != q && hl_at(lx, j) != '\n')
            j++;
    return hl_at(lx, j) == '}' ? j + 1 - i : 0;
}

static bool
py_escape_char(int c)
{
    return c > 0 && hl_in("\\'\"abfnrtv\n01234567xNuU", c);
}

/* The inside of the string on top of the stack, up to its end or an
 * f-string's {. */
static void
py_string(hl_lex *lx)
{
    int f = hl_top(lx);
    int q = f & 0xff;
    const char *cls = py_str_cls(f);
    bool triple = f & PY_TRIPLE, raw = f & PY_RAW, fs = f & PY_F;
    while (lx->pos < lx->n) {
        size_t i = lx->pos;
        int c = (unsigned char)lx->s[i];
        if (c == q) {
            if (!triple) {
                hl_emit(lx, cls, 1);
                hl_pop(lx);
                return;
            }
            if (hl_at(lx, i + 1) == q && hl_at(lx, i + 2) == q) {
                hl_emit(lx, cls, 3);
                hl_pop(lx);
                return;
            }
            hl_emit(lx, cls, 1);
        } else if (c == '\n' && !triple) {
            hl_pop(lx); /* unterminated: the line ends it */
            return;
        } else if (c == '\\') {
            int d = hl_at(lx, i + 1);
            size_t len = d < 0 ? 1 : 2;
            if (d == 'x' || d == 'u' || d == 'U' || (d >= '0' && d <= '7')) {
                size_t max = d == 'x' ? 2 : d == 'u' ? 4 : d == 'U' ? 8 : 2;
                size_t j = i + 2;
                if (d >= '0' && d <= '7')
                    while (j < i + 2 + max && hl_at(lx, j) >= '0' && hl_at(lx, j) <= '7')
                        j++;
                else
                    while (j < i + 2 + max && hl_isxdigit(hl_at(lx, j)))
                        j++;
                len = j - i;
            } else if (d == 'N' && hl_at(lx, i + 2) == '{') {
                size_t j = i + 3;
                while (j < i + 64 && hl_at(lx, j) > 0 && hl_at(lx, j) != '}' && hl_at(lx, j) != q &&
                       hl_at(lx, j) != '\n')
                    j++;
                len = hl_at(lx, j) == '}' ? j + 1 - i : 2;
            }
            hl_emit(lx, !raw && py_escape_char(d) ? "se" : cls, len);
        } else if (fs && (c == '{' || c == '}')) {
            if (hl_at(lx, i + 1) == c) {
                hl_emit(lx, "se", 2);
            } else if (c == '{') {
                hl_emit(lx, "si", 1);
                hl_push(lx, PY_EXPR);
                return;
            } else {
                hl_emit(lx, cls, 1);
            }
        } else if (!fs && c == '%') {
            size_t len = py_percent(lx, i);
            hl_emit(lx, len ? "si" : cls, len ? len : 1);
        } else if (!fs && c == '{') {
            size_t len = py_format_field(lx, i, q);
            hl_emit(lx, len ? "si" : cls, len ? len : 1);
        } else {
            size_t j = i + 1;
            while (j < lx->n) {
                int d = (unsigned char)lx->s[j];
                if (d == q || d == '\\' || d == '\n' || d == '{' || d == '}' || d == '%') break;
                j++;
            }
            hl_emit_to(lx, cls, j);
        }
    }
}

/* An f-string's format spec, after the ':'. */
static void
py_spec(hl_lex *lx)
{
    /* the string the spec belongs to is below PY_SPEC and PY_EXPR */
    int f = lx->nstk - lx->base >= 3 ? lx->stk[lx->nstk - 3] : '"';
    int q = f & 0xff;
    const char *cls = py_str_cls(f);
    size_t i = lx->pos;
    while (i < lx->n) {
        int c = (unsigned char)lx->s[i];
        if (c == '{' || c == '}' || c == q || (c == '\n' && !(f & PY_TRIPLE))) break;
        i++;
    }
    hl_emit_to(lx, cls, i);
    int c = hl_at(lx, i);
    if (c == '{') {
        hl_emit(lx, "si", 1);
        hl_push(lx, PY_EXPR);
    } else if (c == '}') {
        hl_emit(lx, "si", 1);
        hl_pop(lx); /* PY_SPEC */
        hl_pop(lx); /* PY_EXPR */
    } else if (c >= 0) {
        hl_pop(lx); /* the quote or the line ends the spec and the field */
        hl_pop(lx);
    }
}

/* A string prefix (r, b, u, f, rb, Rb, fr ...) of length len at s? */
static int
py_prefix(const char *s, size_t len)
{
    int flags = 0;
    if (len > 2) return -1;
    for (size_t i = 0; i < len; i++) {
        int c = s[i] | 0x20;
        int bit = c == 'r' ? PY_RAW : c == 'f' ? PY_F : c == 'b' ? 1 : c == 'u' ? 2 : -1;
        if (bit < 0 || (flags & bit)) return -1;
        flags |= bit;
    }
    if ((flags & 2) && len > 1) return -1;        /* u takes no partner */
    if ((flags & 1) && (flags & PY_F)) return -1; /* no bf */
    return flags & (PY_RAW | PY_F);
}

enum { PY_NONE, PY_FUNCNAME, PY_CLASSNAME, PY_IMPORT, PY_FROM };

void
hl_lex_python(hl_lex *lx)
{
    int expect = PY_NONE;
    bool line_start = true; /* only blanks so far on this line */
    while (lx->pos < lx->n) {
        size_t p0 = lx->pos, i = p0;
        int top = hl_top(lx), kind = top & PY_KIND;
        if (kind == PY_STR) {
            py_string(lx);
            hl_progress(lx, p0);
            line_start = false;
            continue;
        }
        if (kind == PY_SPEC) {
            py_spec(lx);
            hl_progress(lx, p0);
            continue;
        }
        int c = (unsigned char)lx->s[i];
        bool was_line_start = line_start;
        line_start = false;
        if (c == '\n') {
            hl_emit(lx, "", 1);
            line_start = true;
            expect = PY_NONE;
            /* a newline ends a one-line string together with its fields */
            if (hl_frames(lx) > 0 && !(lx->stk[lx->base] & PY_TRIPLE)) lx->nstk = lx->base;
            continue;
        }
        if (hl_isblank(c) || c == '\r' || c == '\f') {
            hl_emit_to(lx, "", hl_blank_end(lx, i + 1));
            line_start = was_line_start;
            continue;
        }
        if (c == '\\' && (hl_at(lx, i + 1) == '\n')) {
            hl_emit(lx, "", 2);
            continue;
        }
        if (c == '#') {
            hl_emit_to(lx, "c1", hl_eol(lx, i));
            continue;
        }
        if (c == '\'' || c == '"' || hl_isidstart(c)) {
            size_t e = c == '\'' || c == '"' ? i : hl_ident_end(lx, i);
            int q = hl_at(lx, e);
            int flags = (q == '\'' || q == '"') ? py_prefix(lx->s + i, e - i) : -1;
            if (flags >= 0) {
                bool triple = hl_at(lx, e + 1) == q && hl_at(lx, e + 2) == q;
                int f = PY_STR | q | flags | (triple ? PY_TRIPLE : 0);
                if (triple && was_line_start && !(flags & PY_F)) f |= PY_DOC;
                hl_emit_to(lx, "sa", e);
                hl_emit(lx, py_str_cls(f), triple ? 3 : 1);
                hl_push(lx, f);
                expect = PY_NONE;
                continue;
            }
            const char *w = lx->s + i;
            size_t len = e - i;
            const char *cls = "n";
            if (expect == PY_FUNCNAME) {
                cls =
                    len > 4 && w[0] == '_' && w[1] == '_' && w[len - 1] == '_' && w[len - 2] == '_'
                        ? "fm"
                        : "nf";
                expect = PY_NONE;
            } else if (expect == PY_CLASSNAME) {
                cls = "nc";
                expect = PY_NONE;
            } else if (expect == PY_IMPORT) {
                cls = len == 2 && !memcmp(w, "as", 2) ? "k" : "nn";
            } else if (expect == PY_FROM) {
                if (len == 6 && !memcmp(w, "import", 6)) {
                    cls = "kn";
                    expect = PY_NONE;
                } else {
                    cls = "nn";
                }
            } else if ((len == 6 && !memcmp(w, "import", 6)) ||
                       (len == 4 && !memcmp(w, "from", 4))) {
                cls = "kn";
                expect = w[0] == 'i' ? PY_IMPORT : PY_FROM;
            } else if (len == 3 && !memcmp(w, "def", 3)) {
                cls = "k";
                expect = PY_FUNCNAME;
            } else if (len == 5 && !memcmp(w, "class", 5)) {
                cls = "k";
                expect = PY_CLASSNAME;
            } else if (hl_word(py_keywords, w, len)) {
                cls = "k";
            } else if (hl_word(py_word_ops, w, len)) {
                cls = "ow";
            } else if (hl_word(py_constants, w, len)) {
                cls = "kc";
            } else if (hl_word(py_pseudo, w, len)) {
                cls = "bp";
            } else if (hl_word(py_builtins, w, len) && hl_at(lx, i - 1) != '.') {
                cls = "nb";
            } else if (hl_word(py_exceptions, w, len)) {
                cls = "ne";
            } else if (hl_word(py_magic_vars, w, len)) {
                cls = "vm";
            } else if (was_line_start && ((len == 5 && !memcmp(w, "match", 5)) ||
                                          (len == 4 && !memcmp(w, "case", 4)))) {
                /* soft keywords: "match x:" but not "match = 1" or "match(x)" */
                size_t j = hl_blank_end(lx, e);
                int d = hl_at(lx, j);
                if (j > e && d > 0 && d != '=' && d != '.' && d != ',' && d != ')' && d != ':')
                    cls = "k";
            }
            hl_emit_to(lx, cls, e);
            continue;
        }
        if (expect == PY_IMPORT || expect == PY_FROM) {
            if (c == '.') {
                hl_emit(lx, "nn", 1);
                continue;
            }
            if (c == ',' && expect == PY_IMPORT) {
                hl_emit(lx, "o", 1);
                continue;
            }
            expect = PY_NONE;
        }
        size_t len;
        const char *ncls;
        if ((len = hl_number(lx, '_', false, &ncls)) > 0) {
            hl_emit(lx, ncls, len);
            continue;
        }
        if (c == '@' && was_line_start && hl_isidstart(hl_at(lx, i + 1))) {
            hl_emit_to(lx, "nd", hl_ident_end(lx, i + 1));
            continue;
        }
        if (kind == PY_EXPR || kind == PY_BRACKET) {
            if (c == '(' || c == '[' || c == '{') {
                hl_emit(lx, "p", 1);
                hl_push(lx, PY_BRACKET);
                continue;
            }
            if (kind == PY_BRACKET && (c == ')' || c == ']' || c == '}')) {
                hl_emit(lx, "p", 1);
                hl_pop(lx);
                continue;
            }
            if (kind == PY_EXPR) {
                if (c == '}') {
                    hl_emit(lx, "si", 1);
                    hl_pop(lx);
                    continue;
                }
                if (c == '!' && hl_isalpha(hl_at(lx, i + 1)) &&
                    (hl_at(lx, i + 2) == '}' || hl_at(lx, i + 2) == ':')) {
                    hl_emit(lx, "si", 2);
                    continue;
                }
                if (c == ':') {
                    hl_emit(lx, "si", 1);
                    hl_push(lx, PY_SPEC);
                    continue;
                }
            }
        }
        if (hl_in("[]{}:(),;", c))
            hl_emit(lx, "p", 1);
        else if (hl_in("-~+/*%=<>&^|.!@", c))
            hl_emit(lx, "o", 1);
        else
            hl_emit(lx, "", 1);
    }
}

/* ---- Sessions: the shared line loop ---- */

/* Start of the line after the one at i. */
static size_t
next_line(const hl_lex *lx, size_t i)
{
    size_t e = hl_eol(lx, i);
    return e < lx->n ? e + 1 : e;
}

/* ---- pycon ---- */

/* A line inside a traceback: '  File "x.py", line 3, in f' gets its file
 * name, line number and function told apart, as Pygments does; the
 * source lines quoted under it are output. */
static void
traceback_line(hl_lex *lx, size_t eol)
{
    size_t i = hl_blank_end(lx, lx->pos);
    if (!hl_starts(lx, i, "File \"", false)) {
        hl_emit_to(lx, "go", eol);
        return;
    }
    size_t q = i + 6;
    while (q < eol && lx->s[q] != '"')
        q++;
    hl_emit_to(lx, "", i + 5);
    hl_emit_to(lx, "s", q < eol ? q + 1 : eol);
    if (hl_starts(lx, lx->pos, ", line ", false)) {
        size_t d = lx->pos + 7, e = d;
        while (e < eol && hl_isdigit((unsigned char)lx->s[e]))
            e++;
        hl_emit_to(lx, "", d);
        hl_emit_to(lx, "mi", e);
        if (hl_starts(lx, e, ", in ", false)) {
            hl_emit_to(lx, "", e + 5);
            hl_emit_to(lx, "n", eol);
        }
    }
    hl_emit_to(lx, "", eol);
}

void
hl_lex_pycon(hl_lex *lx)
{
    size_t group = lx->nv; /* first token of the pending command lines */
    bool code = false, tb = false;
    while (lx->pos < lx->n) {
        size_t ls = lx->pos, le = next_line(lx, ls), eol = hl_eol(lx, ls);
        bool ps1 = hl_starts(lx, ls, ">>> ", false) || hl_starts(lx, ls, "... ", false);
        bool bare = !ps1 && (hl_starts(lx, ls, ">>>", false) || hl_starts(lx, ls, "...", false)) &&
                    hl_blank_end(lx, ls + 3) == eol;
        if (ps1 || (bare && (lx->s[ls] == '>' || !tb))) {
            if (!code) group = lx->nv;
            code = true;
            tb = false;
            hl_emit(lx, "gp", ps1 ? 4 : 3);
            hl_emit_to(lx, HL_OTHER, le);
            continue;
        }
        if (code) {
            hl_delegate(lx, group, hl_lex_python);
            code = false;
        }
        if (hl_starts(lx, ls, "Traceback (most recent call last):", false)) {
            tb = true;
            hl_emit_to(lx, "gt", eol);
        } else if (tb &&
                   (hl_at(lx, ls) == ' ' || hl_at(lx, ls) == '\t' || hl_blank_end(lx, ls) == eol)) {
            traceback_line(lx, eol);
        } else if (tb) {
            /* "ValueError: message" ends the traceback */
            size_t j = ls;
            while (j < eol && (hl_isidchar((unsigned char)lx->s[j]) || lx->s[j] == '.'))
                j++;
            hl_emit_to(lx, j > ls && (j == eol || lx->s[j] == ':') ? "gr" : "go", j);
            hl_emit_to(lx, "go", eol);
            tb = false;
        } else {
            hl_emit_to(lx, "go", eol);
        }
        hl_emit_to(lx, "", le);
    }
    if (code) hl_delegate(lx, group, hl_lex_python);
}

/* ---- bash ---- */

static const char *const sh_keywords[] = {
    "if",       "then",   "else",   "elif",   "fi",    "case",     "esac",
    "for",      "select", "while",  "until",  "do",    "done",     "in",
    "function", "time",   "coproc", "return", "break", "continue", NULL};
static const char *const sh_builtins[] = {
    "alias",   "bg",      "bind",   "builtin", "caller",  "cd",    "command", "compgen", "complete",
    "declare", "dirs",    "disown", "echo",    "enable",  "eval",  "exec",    "exit",    "export",
    "false",   "fc",      "fg",     "getopts", "hash",    "help",  "history", "jobs",    "kill",
    "let",     "local",   "logout", "popd",    "printf",  "pushd", "pwd",     "read",    "readonly",
    "set",     "shift",   "shopt",  "source",  "suspend", "test",  "times",   "trap",    "true",
    "type",    "typeset", "ulimit", "umask",   "unalias", "unset", "wait",    NULL};

/* Frames: what the lexer is inside. */
enum {
    SH_CMDSUB = 1, /* $( ... ) */
    SH_SUBSHELL,   /* ( ... ) */
    SH_MATH,       /* $(( ... )) */
    SH_MPAREN,     /* ( ... ) inside arithmetic */
    SH_CURLY,      /* ${ ... } */
    SH_DQUOTE,     /* " ... " */
    SH_BACKTICK,   /* ` ... ` */
};

static bool
sh_meta(int c)
{
    return c < 0 || hl_isspace(c) || (c > 0 && hl_in("|&;()<>\"'`$\\={}[]", c));
}

/* $ forms, at pos (on the '$'). */
static void
sh_dollar(hl_lex *lx)
{
    size_t i = lx->pos;
    int c = hl_at(lx, i + 1);
    if (c == '(' && hl_at(lx, i + 2) == '(') {
        hl_emit(lx, "k", 3);
        hl_push(lx, SH_MATH);
    } else if (c == '(') {
        hl_emit(lx, "k", 2);
        hl_push(lx, SH_CMDSUB);
    } else if (c == '{') {
        hl_emit(lx, "si", 2);
        hl_push(lx, SH_CURLY);
    } else if (c == '\'') {
        hl_emit(lx, "s1", 1);
        hl_quoted(lx, '\'', "s1", "se", false);
    } else if (hl_isalpha(c) || c == '_') {
        size_t e = i + 2;
        while (hl_isalpha(hl_at(lx, e)) || hl_isdigit(hl_at(lx, e)) || hl_at(lx, e) == '_')
            e++;
        hl_emit_to(lx, "nv", e);
    } else if (hl_isdigit(c) || hl_in("#$?!_*@-", c)) {
        hl_emit(lx, "nv", 2);
    } else {
        hl_emit(lx, "", 1);
    }
}

/* The body of a here-document, from pos (just after the line of its
 * operator) to the end of the line that holds only the delimiter. */
static void
sh_heredoc(hl_lex *lx, const char *delim, size_t dlen, bool tabs)
{
    size_t ls = lx->pos;
    while (ls < lx->n) {
        size_t eol = hl_eol(lx, ls), j = ls;
        if (tabs)
            while (j < eol && lx->s[j] == '\t')
                j++;
        size_t e = eol;
        if (e > j && lx->s[e - 1] == '\r') e--;
        if (e - j == dlen && memcmp(lx->s + j, delim, dlen) == 0) {
            hl_emit_to(lx, "s", eol);
            return;
        }
        ls = eol < lx->n ? eol + 1 : eol;
    }
    hl_emit_to(lx, "s", lx->n);
}

void
hl_lex_bash(hl_lex *lx)
{
    const char *delim = NULL; /* a here-document waits for the next line */
    size_t dlen = 0;
    bool dtabs = false;
    while (lx->pos < lx->n) {
        size_t p0 = lx->pos, i = p0;
        int c = (unsigned char)lx->s[i], top = hl_top(lx);
        if (top == SH_DQUOTE) {
            if (c == '"') {
                hl_emit(lx, "s2", 1);
                hl_pop(lx);
            } else if (c == '$') {
                sh_dollar(lx);
            } else if (c == '`') {
                hl_emit(lx, "sb", 1);
                hl_push(lx, SH_BACKTICK);
            } else if (c == '\\') {
                hl_emit(lx, "s2", 2);
            } else {
                size_t j = i + 1;
                while (j < lx->n && !hl_in("\"$`\\", lx->s[j]))
                    j++;
                hl_emit_to(lx, "s2", j);
            }
            hl_progress(lx, p0);
            continue;
        }
        bool math = top == SH_MATH || top == SH_MPAREN;
        if (c == '\n') {
            hl_emit(lx, "", 1);
            if (delim) {
                sh_heredoc(lx, delim, dlen, dtabs);
                delim = NULL;
            }
            continue;
        }
        if (hl_isspace(c)) {
            size_t j = i + 1;
            while (j < lx->n && lx->s[j] != '\n' && hl_isspace((unsigned char)lx->s[j]))
                j++;
            hl_emit_to(lx, "", j);
            continue;
        }
        if (top == SH_CURLY) {
            if (c == '}') {
                hl_emit(lx, "si", 1);
                hl_pop(lx);
            } else if (hl_isidchar(c)) {
                hl_emit_to(lx, "nv", hl_ident_end(lx, i));
            } else if (c == '$') {
                sh_dollar(lx);
            } else if (c == '"') {
                hl_emit(lx, "s2", 1);
                hl_push(lx, SH_DQUOTE);
            } else if (c == '\'') {
                hl_quoted(lx, '\'', "s1", NULL, false);
            } else if (c == ':' && hl_at(lx, i + 1) == '-') {
                hl_emit(lx, "k", 2);
            } else {
                hl_emit(lx, "p", 1);
            }
            hl_progress(lx, p0);
            continue;
        }
        if (c == '#' && !math) {
            int prev = i > 0 ? (unsigned char)lx->s[i - 1] : ' ';
            if (i == 0 || hl_isspace(prev) || hl_in(";|&(`", prev)) {
                hl_emit_to(lx, i == 0 && hl_at(lx, 1) == '!' ? "ch" : "c1", hl_eol(lx, i));
                continue;
            }
        }
        if (c == '\\') {
            hl_emit(lx, "se", 2);
        } else if (c == '$') {
            sh_dollar(lx);
        } else if (c == '"') {
            hl_emit(lx, "s2", 1);
            hl_push(lx, SH_DQUOTE);
        } else if (c == '\'') {
            hl_quoted(lx, '\'', "s1", NULL, false);
        } else if (c == '`') {
            hl_emit(lx, "sb", 1);
            if (top == SH_BACKTICK)
                hl_pop(lx);
            else
                hl_push(lx, SH_BACKTICK);
        } else if (math) {
            if (c == ')' && top == SH_MATH && hl_at(lx, i + 1) == ')') {
                hl_emit(lx, "k", 2);
                hl_pop(lx);
            } else if (c == '(') {
                hl_emit(lx, "o", 1);
                hl_push(lx, SH_MPAREN);
            } else if (c == ')') {
                hl_emit(lx, "o", 1);
                hl_pop(lx);
            } else if (hl_isdigit(c)) {
                size_t j = i;
                while (hl_isidchar(hl_at(lx, j)) || hl_at(lx, j) == '#')
                    j++;
                hl_emit_to(lx, "m", j);
            } else if (hl_isidstart(c)) {
                hl_emit_to(lx, "nv", hl_ident_end(lx, i));
            } else {
                hl_emit(lx, "o", 1);
            }
        } else if (c == '(') {
            hl_emit(lx, "o", 1);
            hl_push(lx, SH_SUBSHELL);
        } else if (c == ')') {
            hl_emit(lx, top == SH_CMDSUB ? "k" : "o", 1);
            if (top == SH_CMDSUB || top == SH_SUBSHELL) hl_pop(lx);
        } else if ((c == '&' || c == '|') && hl_at(lx, i + 1) == c) {
            hl_emit(lx, "o", 2);
        } else if (c == ';' || c == '&' || c == '|') {
            hl_emit(lx, "p", 1);
        } else if (c == '<' && hl_at(lx, i + 1) == '<' && hl_at(lx, i + 2) != '<') {
            /* a here-document: <<WORD, <<-WORD, <<'WORD', <<"WORD" */
            size_t j = i + 2;
            bool tabs = hl_at(lx, j) == '-';
            if (tabs) j++;
            j = hl_blank_end(lx, j);
            int q = hl_at(lx, j);
            size_t ws = j + (q == '\'' || q == '"'), we = ws;
            if (hl_at(lx, ws) == '\\') ws++, we++;
            while (we < lx->n && !sh_meta((unsigned char)lx->s[we]))
                we++;
            if (we > ws) {
                hl_emit(lx, "o", tabs ? 3 : 2);
                hl_emit_to(lx, "", j);
                size_t end = we + ((q == '\'' || q == '"') && hl_at(lx, we) == q);
                hl_emit_to(lx, "s", end);
                delim = lx->s + ws;
                dlen = we - ws;
                dtabs = tabs;
            } else {
                hl_emit(lx, "o", 2);
            }
        } else if (c == '<' || c == '>') {
            hl_emit(lx, "o", 1);
        } else if (hl_in("={}[]", c)) {
            hl_emit(lx, "o", 1);
        } else {
            size_t e = i;
            while (e < lx->n && !sh_meta((unsigned char)lx->s[e]))
                e++;
            const char *w = lx->s + i;
            size_t len = e - i, k = 0;
            while (k < len && hl_isdigit((unsigned char)w[k]))
                k++;
            bool ident = hl_isalpha(c) || c == '_';
            for (size_t m = 0; ident && m < len; m++)
                ident = hl_isidchar((unsigned char)w[m]) && (unsigned char)w[m] < 0x80;
            const char *cls = "";
            if (k == len)
                cls = "m";
            else if (ident &&
                     (hl_at(lx, e) == '=' || (hl_at(lx, e) == '+' && hl_at(lx, e + 1) == '=')))
                cls = "nv";
            else if (hl_word(sh_keywords, w, len))
                cls = "k";
            else if (hl_word(sh_builtins, w, len))
                cls = "nb";
            hl_emit_to(lx, cls, e);
            if (strcmp(cls, "nv") == 0 && hl_at(lx, e) == '+') hl_emit(lx, "o", 2);
        }
        hl_progress(lx, p0);
    }
}

/* ---- console ---- */

/*
 * Length of the prompt at the start of the line [ls, eol), 0 if none:
 * an optional "(venv) ", then "$", "#" or "%", maybe after a user@host:dir
 * or "bash-5.1" word, then the blanks after it.
 */
static size_t
console_prompt(const hl_lex *lx, size_t ls, size_t eol)
{
    size_t i = ls;
    if (hl_at(lx, i) == '(') {
        size_t j = i + 1;
        while (j < eol && lx->s[j] != ')' && j < ls + 64)
            j++;
        if (j < eol && lx->s[j] == ')') i = hl_blank_end(lx, j + 1);
    }
    if (hl_at(lx, i) == '[') {
        size_t j = i + 1;
        while (j < eol && lx->s[j] != ']' && j < ls + 128)
            j++;
        if (j < eol && lx->s[j] == ']') i = j + 1;
    }
    size_t w = i;
    bool at = false, sh = false;
    while (w < eol && w < ls + 128 && !hl_isspace((unsigned char)lx->s[w]) &&
           !hl_in("$#%", lx->s[w])) {
        at |= lx->s[w] == '@' || lx->s[w] == ':';
        w++;
    }
    if (w > i && !at) {
        /* sh, bash, zsh, bash-5.1 ... */
        size_t k = i;
        while (k < w && hl_isalpha((unsigned char)lx->s[k]))
            k++;
        sh = k - i >= 2 && lx->s[k - 2] == 's' && lx->s[k - 1] == 'h';
        while (k < w && (lx->s[k] == '-' || lx->s[k] == '.' || hl_isdigit((unsigned char)lx->s[k])))
            k++;
        if (!sh || k != w) return 0;
    }
    int c = hl_at(lx, w);
    if (w >= eol || !(c == '$' || c == '#' || c == '%')) return 0;
    int d = w + 1 < eol ? (unsigned char)lx->s[w + 1] : '\n';
    if (!hl_isblank(d) && d != '\n' && d != '\r') return 0;
    return hl_blank_end(lx, w + 1) - ls;
}

void
hl_lex_console(hl_lex *lx)
{
    size_t group = lx->nv;
    bool code = false, cont = false;
    while (lx->pos < lx->n) {
        size_t ls = lx->pos, le = next_line(lx, ls), eol = hl_eol(lx, ls);
        size_t plen = 0;
        bool is_code = cont;
        if (cont) {
            if (hl_starts(lx, ls, "> ", false)) plen = 2;
        } else if ((plen = console_prompt(lx, ls, eol)) > 0) {
            is_code = true;
        }
        if (is_code) {
            if (!code) group = lx->nv;
            code = true;
            hl_emit(lx, "gp", plen);
            hl_emit_to(lx, HL_OTHER, le);
            size_t e = eol;
            if (e > ls && lx->s[e - 1] == '\r') e--;
            cont = e > ls + plen && lx->s[e - 1] == '\\' && eol < lx->n;
            continue;
        }
        if (code) {
            hl_delegate(lx, group, hl_lex_bash);
            code = false;
        }
        hl_emit_to(lx, "go", le);
    }
    if (code) hl_delegate(lx, group, hl_lex_bash);
}
