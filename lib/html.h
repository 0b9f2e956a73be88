/*
 * html: reading HTML that hone (or the site owner) wrote, to cut it, strip
 * it or count its words.
 *
 * Everything here rests on one lexer that follows the HTML5 tokenizer's
 * data state closely enough to never mistake a '>' inside a quoted
 * attribute for the end of a tag, to know comments, doctypes and bogus
 * comments when it sees them, and to treat the content of <script> and
 * <style> as raw text.  It never builds a tree and never fails: malformed
 * input gives a best-effort token stream, a tag cut off by the end of the
 * input is markup (dropped by the functions below), and every byte of the
 * input belongs to exactly one token, so each function is one linear pass.
 */
#ifndef HONE_HTML_H
#define HONE_HTML_H

#include <stdbool.h>
#include <stddef.h>

#include "buf.h"

typedef enum html_tok_kind {
    HTML_TEXT,   /* character data, entities left as written */
    HTML_START,  /* <name ...> or <name .../> */
    HTML_END,    /* </name ...> */
    HTML_MARKUP, /* comment, doctype, <?...>, </>, or a tag cut off by the end */
} html_tok_kind;

typedef struct html_tok {
    html_tok_kind kind;
    size_t off, len;           /* the token's bytes in the input */
    size_t name_off, name_len; /* element name as written (HTML_START, HTML_END) */
    bool self_closing;         /* HTML_START ended with "/>" */
    bool raw;                  /* HTML_TEXT inside <script> or <style> */
} html_tok;

typedef struct html_lexer {
    const char *s;
    size_t n, pos;
    size_t raw_off, raw_len; /* name of the raw-text element we are in, if raw_len */
} html_lexer;

void html_lexer_init(html_lexer *lx, const char *s, size_t n);
/* The next token, or false at the end of the input. */
bool html_next(html_lexer *lx, html_tok *t);

/* True for the elements HTML5 says have no end tag (br, img, ...). */
bool html_is_void(const char *name, size_t n);

/*
 * Length in bytes of the white-space character at s (n > 0 bytes left) as
 * Go's unicode.IsSpace sees it (ASCII space, \t \n \v \f \r, U+0085,
 * U+00A0 and Unicode's Z spaces), or 0 when it is something else.
 */
size_t html_space_len(const char *s, size_t n);

/*
 * Django's striptags: the text with every tag and comment removed, text
 * and entities kept exactly as written.  Like Django it strips again while
 * a pass leaves new tags behind ("<<b>b>"), up to a fixed number of
 * passes.  The result is text, not safe HTML: escape it before output.
 */
void html_strip_tags(buf *out, const char *html, size_t n);

/*
 * Django's truncatewords_html: the first `words` words of html, where a
 * word is a run of characters other than white space, '<' and '>' outside
 * tags (and outside <script> and <style>, whose content is not text).  When html has more words, it
 * is cut after the last kept word, ellipsis (NULL for none; Django uses " …") is appended there,
 * and every element still open is closed; otherwise html is copied unchanged.  Void and self-closed
 * elements need no closing; an end tag closes the matching open element and any left open inside
 * it.  Entities sit inside words, so a cut never splits one.  words == 0 gives "".  *truncated (may
 * be NULL) tells whether words were dropped.
 */
void html_truncate_words(buf *out, const char *html, size_t n, size_t words, const char *ellipsis,
                         bool *truncated);

/*
 * Django's truncatechars_html: at most `chars` characters of text (outside
 * tags, an entity counting as one and never split), the ellipsis counted
 * among them; when html has more, it is cut, ellipsis appended, and every
 * open element closed.  Otherwise html is copied unchanged.
 */
void html_truncate_chars(buf *out, const char *html, size_t n, size_t chars, const char *ellipsis,
                         bool *truncated);

/* html followed by the end tags of the elements it leaves open. */
void html_balance(buf *out, const char *html, size_t n);

/*
 * Hugo's word count: the number of white-space separated fields of
 * html_strip_tags(html) (one pass), white space being Unicode's.
 */
size_t html_word_count(const char *html, size_t n);

#endif
