/*
 * md: Markdown bodies into HTML, with what a blog page needs to know
 * about them (summary, word count, headings for a table of contents).
 *
 * cmark-gfm parses (with the table, strikethrough, autolink, tasklist and
 * footnotes extensions); this module walks the tree once to give headings
 * Hugo's ids, find the <!--more--> marker and count words, then has
 * cmark-gfm render the HTML.  Each call is independent and thread-safe.
 */
#ifndef HONE_MARKDOWN_H
#define HONE_MARKDOWN_H

#include <stdbool.h>
#include <stddef.h>

#include "buf.h"
#include "diag.h"

typedef struct md_opts {
    bool unsafe_html;     /* keep raw HTML (default in site.yaml: true) */
    bool smart;           /* smart punctuation: quotes, dashes, ellipses */
    int summary_words;    /* length of an automatic summary, in words */
    int toc_min, toc_max; /* heading levels in the table of contents: 2..4 */
    /* The page's own URL path ("/blog/2021/x/"): relative link and image
     * URLs are prefixed with it, so they still work where the page's HTML
     * is shown elsewhere (list summaries, feeds).  NULL leaves them. */
    const char *base;
} md_opts;

typedef struct md_heading {
    int level;  /* 1..6 */
    char *id;   /* as written in the HTML id attribute */
    char *text; /* plain text of the heading */
} md_heading;

typedef struct md_doc {
    char *html; /* the whole body */
    size_t html_len;
    /* The summary: the HTML before <!--more--> when the body has one
     * (more = true); else the first summary_words words of the body with
     * every open tag closed (truncated = true when words were cut). */
    char *summary;
    size_t summary_len;
    bool more;
    bool truncated;
    char *toc; /* <nav id="TableOfContents"><ul>...</ul></nav>, "" if none */
    size_t toc_len;
    int words; /* words of text, as Hugo counts them */
    md_heading *headings;
    size_t nheadings;
} md_doc;

/*
 * Renders src (n bytes, UTF-8) into doc.  file and first_line only label
 * diagnostics.  Returns 0, or -1 with diagnostics.  Free with md_free.
 */
int md_render(const char *src, size_t n, const md_opts *o, md_doc *doc, const char *file,
              int first_line, diags *d);
void md_free(md_doc *doc);

/*
 * True when md_render's parsers run at once on several threads, false
 * when they take turns under one lock (libcmark-gfm's shared table: see
 * markdown.c).  Output is the same either way.
 */
bool md_parallel(void);

/* Is url relative to its page (no scheme, and not starting with "/", "#"
 * or "?")?  Such links and images are rebased on md_opts.base. */
bool md_is_relative(const char *url);

/* When html (n bytes) is one paragraph, moves *html and *n to inside its
 * <p> and </p>: markdownify's inline form, as Hugo's. */
void md_unwrap_paragraph(const char **html, size_t *n);

/* Frees the calling thread's Markdown heap (other threads' goes when they
 * end). */
void md_release(void);

/* Hugo's heading id for text: lowercase, punctuation dropped, spaces to
 * hyphens ("Hello, World!" -> "hello-world"). */
void md_anchorize(buf *out, const char *text, size_t n);

#endif
