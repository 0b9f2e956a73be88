/*
 * hl: syntax highlighting on the server, into the class names that
 * Pygments and Chroma stylesheets already use.
 *
 * A lexer per language cuts the code into tokens; each token is written
 * as <span class="k">...</span> (short Pygments class names: k, kn, kd,
 * n, nf, nc, nn, nb, bp, s1, s2, si, se, sa, c1, cm, o, ow, p, mi, mf, mh,
 * err ...), text escaped.  Lexing is lossless: the tokens' texts joined
 * are exactly the input, for every language and every input.  A language
 * hone does not know is escaped plain text, never an error.  Thread-safe.
 */
#ifndef HONE_HIGHLIGHT_H
#define HONE_HIGHLIGHT_H

#include <stdbool.h>
#include <stddef.h>

#include "buf.h"

typedef struct hl_token {
    const char *cls; /* short class name; "" for plain text */
    size_t off, len; /* bytes of the input */
} hl_token;

typedef struct hl_opts {
    bool linenos;        /* a line-number column */
    const int *hl_lines; /* 1-based line numbers to mark (class "hl") */
    size_t nhl_lines;
    int linenostart; /* first line number; 0 means 1 */
} hl_opts;

/* Is lang (case-insensitive, with aliases: sh, shell, js, yml ...) known? */
bool hl_known(const char *lang);

/*
 * Cuts code into tokens.  *out is malloc'd (caller frees); returns the
 * number of tokens.  An unknown language gives one plain token.
 */
size_t hl_tokens(const char *lang, const char *code, size_t n, hl_token **out);

/*
 * Appends the whole block:
 *   <div class="highlight"><pre tabindex="0" class="chroma"><code
 *   class="language-X" data-lang="X">...tokens...</code></pre></div>
 * lang may be NULL or empty (then no language class).  With linenos or
 * hl_lines, each line is Chroma's <span class="line">...</span>.
 */
void hl_html(buf *out, const char *lang, const char *code, size_t n, const hl_opts *o);

/* A stylesheet for the classes: style is "light" or "dark"; -1 if unknown.
 * "auto" gives the light one and the dark one inside
 * @media (prefers-color-scheme: dark). */
int hl_css(buf *out, const char *style);

/*
 * Reads Hugo's highlighting options, as a code fence's attributes
 * ({linenos=true,hl_lines=[2,"4-5"],linenostart=10}) or the highlight
 * shortcode's string (linenos=table,hl_lines=2 4-5), braces optional,
 * into *o; other keys are ignored.  hl_lines are lines of the block
 * (1 is its first line, whatever linenostart says), clipped to the lines
 * of code; the array is malloc'd into *lines, which the caller frees
 * after use (NULL when there are none).  With err, a value hone cannot
 * read (linenos=maybe, hl_lines=a) is reported there and -1 returned;
 * without, it is passed over (a code fence's attributes never fail).
 */
int hl_parse_opts(const char *s, size_t n, const char *code, size_t code_len, hl_opts *o,
                  int **lines, buf *err);

#endif
