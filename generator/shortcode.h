/*
 * sc: Hugo's shortcodes, and Jekyll's Liquid highlight blocks, in
 * Markdown bodies.
 *
 *   {{< name arg key="value" >}}             HTML, kept away from Markdown
 *   {{< name >}}inner{{< /name >}}           inner is raw text (HTML)
 *   {{% name %}}inner{{% /name %}}           output (and inner) are Markdown
 *   {{< name />}}                            self-closing
 *   the escape (see below)                   the tag itself, as text
 *   {% highlight lang %}..{% endhighlight %} Jekyll: a fenced code block
 *
 * A body goes through three steps around md_render, as Hugo does it:
 *
 *   1. sc_parse finds the tags in the Markdown source, skipping fenced and
 *      indented code blocks and inline code spans (where only the escape
 *      is undone), and pairs opening and closing tags.
 *   2. sc_expand writes the Markdown cmark will see.  Each {{< >}}
 *      shortcode becomes a placeholder token that Markdown leaves alone
 *      (letters, digits and ':'), its HTML rendered separately and kept in
 *      sc_out; the output of a {{% %}} theme shortcode is put into the
 *      Markdown itself, so it renders with the page; ref/relref put their
 *      URL in the text (it usually is a link destination); a Liquid
 *      highlight block becomes a fenced block; the first excerpt_separator
 *      becomes <!--more-->.
 *   3. sc_apply puts each placeholder's HTML into the rendered page (body,
 *      summary, table of contents, heading texts).  A placeholder alone in
 *      a paragraph whose HTML starts with a block element loses the <p>
 *      around it; one inside a tag (an attribute: alt text, a link
 *      destination) gets the HTML's text, quoted for an attribute.
 *
 * Shortcodes are the built-ins (figure, youtube, highlight, pullquote,
 * ref, relref) and the theme's: every NAME.html in a shortcodes/ folder,
 * a template that sees args, params, inner, name, page and site.  A theme
 * shortcode overrides a built-in one.
 *
 * sc_env is filled once, single-threaded (templates compile into the
 * site's tmpl_env), then only read: sc_parse, sc_expand and sc_apply may
 * run on many pages at once.  Every problem is a file:line:col diagnostic.
 */
// The escape is Hugo's: a C comment inside the tag's brackets,
// {{</* name */>}}, gives the text {{< name >}}.  (Written here in a line
// comment: a block comment cannot hold it.)
#ifndef HONE_SHORTCODE_H
#define HONE_SHORTCODE_H

#include <stdbool.h>
#include <stddef.h>

#include "diag.h"
#include "dt.h"
#include "markdown.h"
#include "tmpl.h"
#include "val.h"

#define SC_MAX_DEPTH 64 /* shortcodes inside shortcodes */

/* ---- the shortcodes a site has, and the pages ref can name ---------- */

typedef struct sc_env sc_env;

sc_env *sc_env_new(void);
void sc_env_free(sc_env *e);

/*
 * Adds every DIR/NAME.html as the shortcode NAME, compiled in tenv (under
 * its path, so errors name the file).  A name added before (an earlier
 * folder: the site's before the theme's) wins.  A missing folder is no
 * error.  Returns 0, or -1 with diagnostics.
 */
int sc_env_load_dir(sc_env *e, tmpl_env *tenv, const char *dir, diags *d);

/*
 * Makes a page a target of ref/relref.  rel is its file relative to
 * content/ ("posts/x.md"); url its site-relative URL ("/blog/x/") and
 * permalink its absolute one, both NULL when it is not published.  Call
 * sc_env_finish after the last.
 */
void sc_env_add_page(sc_env *e, const char *rel, const char *url, const char *permalink);
void sc_env_finish(sc_env *e);

/* Is there a shortcode NAME (built-in or template)? */
bool sc_known(const sc_env *e, const char *name);

/* ---- parsing ------------------------------------------------------- */

typedef enum sc_kind {
    SC_CALL,   /* a shortcode, maybe with a closing tag */
    SC_ESCAPE, /* the escape: the tag as text */
    SC_LIQUID, /* {% highlight lang %}...{% endhighlight %} */
    SC_MORE,   /* the first excerpt separator */
} sc_kind;

typedef struct sc_arg {
    char *key; /* NULL when positional */
    char *val; /* unquoted and unescaped, NUL-terminated */
    size_t len;
    bool quoted; /* "..." or `...`: always text (unquoted true, 1, 2.5 are typed) */
} sc_arg;

typedef struct sc_item {
    sc_kind kind;
    size_t off, end;             /* the source bytes it stands for, tags included */
    size_t inner_off, inner_end; /* CALL: between the tags (when paired); LIQUID: the
                                    code; ESCAPE: what is between the comment marks */
    int line, col;               /* of off, in the file */
    bool markdown;               /* {{% %}} */
    bool paired;                 /* CALL: closed by {{< /name >}} */
    bool in_code;                /* ESCAPE: inside code, so plain text */
    bool linenos;                /* LIQUID: {% highlight x linenos %} */
    char *name;                  /* CALL: the name; LIQUID: the language or "" */
    sc_arg *args;
    size_t nargs;
    bool named; /* the arguments are key=value */
} sc_item;

/* The items of a body in source order; a paired item's inner holds the
 * items that follow it up to inner_end. */
typedef struct sc_doc {
    sc_item *v;
    size_t n, cap;
} sc_doc;

/*
 * Finds the shortcodes in src (n bytes: a page body starting at line
 * first_line of file).  e (NULL: the built-ins) says which names exist
 * and which take inner content.  excerpt_sep (NULL: none) marks its first
 * occurrence outside code.  Returns 0, or -1 with diagnostics (doc still
 * holds what was understood).  Free doc with sc_doc_free.
 */
int sc_parse(const sc_env *e, const char *src, size_t n, const char *file, int first_line,
             const char *excerpt_sep, sc_doc *doc, diags *d);
void sc_doc_free(sc_doc *doc);

/* ---- expanding ----------------------------------------------------- */

/* The page being expanded. */
typedef struct sc_page {
    const sc_env *env;           /* NULL: built-ins only and no ref targets */
    const char *file;            /* for messages */
    int first_line;              /* file line of the body's first byte */
    const char *rel;             /* the page's file relative to content/ (ref "other.md" is
                                    found beside it first); may be NULL */
    const char *url, *permalink; /* its own, for ref "#anchor" */
    const md_opts *md;           /* how inner Markdown and captions render; md->base
                                    resolves relative src and link */
    const char *excerpt_sep;     /* Jekyll's excerpt_separator, or NULL */
    val page, site;              /* what theme shortcodes see */
    dt now;                      /* {% now %} in theme shortcodes */
} sc_page;

typedef struct sc_out {
    char *md; /* the Markdown to render */
    size_t md_len;
    char **html; /* placeholder i's HTML */
    size_t nhtml, caphtml;
    char prefix[24]; /* "HONESC" + 8 hex digits + ':'; a token is prefix N ':' */
    size_t prefix_len;
} sc_out;

/*
 * True when src has nothing for sc_expand to do (no "{{", no "{%", no
 * excerpt separator): its Markdown is src itself.
 */
bool sc_plain(const char *src, size_t n, const char *excerpt_sep);

/*
 * Expands the shortcodes of src into out.  Returns 0, or -1 with
 * diagnostics.  Free out with sc_out_free (also after a failure).
 */
int sc_expand(const sc_page *pg, const char *src, size_t n, sc_out *out, diags *d);

/* Puts the placeholders' HTML into doc (rendered from out->md). */
void sc_apply(const sc_out *out, md_doc *doc);

/* text with every placeholder replaced (by its HTML's text when plain),
 * malloc'd; for HTML that did not come through sc_apply. */
char *sc_substitute(const sc_out *out, const char *text, size_t n, bool plain, size_t *len);

void sc_out_free(sc_out *out);

#endif
