/*
 * highlight_int.h: what the lexers of highlight_*.c share with the core
 * (highlight.c).  Not a public header; see highlight.h for the module.
 *
 * A lexer is a function that reads lx->s from lx->pos up to lx->n and
 * calls hl_emit() for consecutive pieces of it.  hl_emit() only ever cuts
 * the next bytes off the input, so whatever a lexer does, the tokens are
 * contiguous and in order: losslessness holds by construction, and the
 * core flushes whatever a lexer leaves as plain text.  A lexer only has
 * to make progress (every loop turn emits at least one byte: hl_progress
 * is the safety net) and stay linear (look ahead only over bytes it is
 * about to emit, or a bounded number of them).
 *
 * Nesting.  A lexer may hand a sub-range to another (hl_sub: CSS and
 * JavaScript inside HTML, bash inside a Dockerfile), or emit pieces with
 * the class HL_OTHER and then hl_delegate() them: their texts are joined
 * and lexed as one text by another lexer, whose tokens are cut back into
 * the pieces (Pygments' "insertions": the code after a pycon or console
 * prompt, the HTML between Django tags).  Constructs that nest without
 * bound (bash's $( inside "..." inside $(, template literals inside
 * JavaScript ${}) live on the frame stack, a growable array, not on the C
 * stack; the few recursive sub-lexings stop at HL_MAX_DEPTH.
 */
#ifndef HONE_HIGHLIGHT_INT_H
#define HONE_HIGHLIGHT_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "highlight.h"

/* Pieces to be lexed again by hl_delegate(); never in the final output. */
#define HL_OTHER     "\001"
#define HL_MAX_DEPTH 8

typedef struct hl_lex {
    const char *s; /* the whole input */
    size_t n;      /* end of the range being lexed */
    size_t pos;    /* next byte to emit */
    hl_token *v;   /* tokens so far */
    size_t nv, cap;
    int *stk; /* frame stack; a lexer sees the frames from base up */
    size_t nstk, capstk, base;
    int depth; /* nesting of sub-lexers that recurse */
} hl_lex;

typedef void (*hl_lexfn)(hl_lex *lx);

/* Emits the next len bytes (clipped at lx->n) as one token of class cls,
 * merged into the previous token when that has the same class. */
void hl_emit(hl_lex *lx, const char *cls, size_t len);
/* Emits up to the absolute offset end. */
void hl_emit_to(hl_lex *lx, const char *cls, size_t end);
/* When a loop turn emitted nothing, emits one plain byte. */
void hl_progress(hl_lex *lx, size_t before);
/* Lexes [lx->pos, end) with fn, flushing what fn leaves as plain text. */
void hl_sub(hl_lex *lx, hl_lexfn fn, size_t end);
/* Lexes the HL_OTHER tokens from token index first on, joined, with fn. */
void hl_delegate(hl_lex *lx, size_t first, hl_lexfn fn);

/* The frame stack, as seen by the running lexer (0 when empty). */
void hl_push(hl_lex *lx, int frame);
int hl_pop(hl_lex *lx);
int hl_top(const hl_lex *lx);
size_t hl_frames(const hl_lex *lx);

/* The byte at absolute offset i, or -1 at or past the end. */
static inline int
hl_at(const hl_lex *lx, size_t i)
{
    return i < lx->n ? (unsigned char)lx->s[i] : -1;
}

/* ---- character classes and scanners (absolute offsets) ---- */

/* Is c (a byte, or -1) one of the characters of set?  Never for NUL. */
static inline bool
hl_in(const char *set, int c)
{
    return c > 0 && strchr(set, c) != NULL;
}

bool hl_isdigit(int c);
bool hl_isxdigit(int c);
bool hl_isalpha(int c);
/* Letters, '_' and every byte of a multi-byte UTF-8 sequence. */
bool hl_isidstart(int c);
bool hl_isidchar(int c);
bool hl_isspace(int c); /* space, tab, CR, LF, FF, VT */
bool hl_isblank(int c); /* space, tab */

size_t hl_ident_end(const hl_lex *lx, size_t i);
size_t hl_blank_end(const hl_lex *lx, size_t i); /* spaces and tabs */
size_t hl_space_end(const hl_lex *lx, size_t i); /* any white space */
size_t hl_eol(const hl_lex *lx, size_t i);       /* the next '\n', or n */
/* Offset just after the first occurrence of the needle at or after i
 * (case-insensitive when icase), or n when there is none. */
size_t hl_find(const hl_lex *lx, size_t i, const char *needle, bool icase);
/* Offset of the first occurrence at or after i, or SIZE_MAX. */
size_t hl_search(const hl_lex *lx, size_t i, const char *needle, bool icase);
/* Does the text at i start with w (case-insensitive when icase)? */
bool hl_starts(const hl_lex *lx, size_t i, const char *w, bool icase);

/* Is s[0..len) one of the NULL-terminated words? */
bool hl_word(const char *const *words, const char *s, size_t len);
bool hl_iword(const char *const *words, const char *s, size_t len);

/*
 * A number at pos in C-family syntax: 0x/0o/0b prefixes, '_' (or '\'')
 * separators when sep is not 0, a fraction and an exponent, then any
 * letters and digits as a suffix (1u, 2.5f, 3i64).  Returns its length
 * (0 when pos holds no digit) and sets *cls to mh, mo, mb, mf or mi.
 * Leading-0 octal ("017") counts as mo when c_octal.
 */
size_t hl_number(const hl_lex *lx, int sep, bool c_octal, const char **cls);

/*
 * A quoted string from pos (on the opening quote q) to the closing quote,
 * with backslash escapes emitted as se when esc_cls is not NULL (else as
 * part of the string).  Stops before a newline when single_line (an
 * unterminated string), else runs to the end.
 */
void hl_quoted(hl_lex *lx, int q, const char *cls, const char *esc_cls, bool single_line);

/* The lexers, one per language family file. */
void hl_lex_python(hl_lex *lx);
void hl_lex_pycon(hl_lex *lx);
void hl_lex_bash(hl_lex *lx);
void hl_lex_console(hl_lex *lx);
void hl_lex_html(hl_lex *lx);
void hl_lex_xml(hl_lex *lx);
void hl_lex_django(hl_lex *lx);
void hl_lex_css(hl_lex *lx);
void hl_lex_js(hl_lex *lx);
void hl_lex_ts(hl_lex *lx);
void hl_lex_json(hl_lex *lx);
void hl_lex_yaml(hl_lex *lx);
void hl_lex_toml(hl_lex *lx);
void hl_lex_ini(hl_lex *lx);
void hl_lex_c(hl_lex *lx);
void hl_lex_cpp(hl_lex *lx);
void hl_lex_go(hl_lex *lx);
void hl_lex_rust(hl_lex *lx);
void hl_lex_sql(hl_lex *lx);
void hl_lex_diff(hl_lex *lx);
void hl_lex_nginx(hl_lex *lx);
void hl_lex_dockerfile(hl_lex *lx);
void hl_lex_make(hl_lex *lx);

#endif
