/*
 * tmpl: hone's Django-style template engine.
 *
 * Life of a template:
 *
 *   1. An environment (tmpl_env) is set up once: where templates come from
 *      (directories searched in order, or strings added by name), which
 *      filters exist (the built-in set plus any tmpl_env_add_filter()).
 *   2. tmpl_env_load() compiles a template, and everything it extends or
 *      includes, into an immutable tree.  Every error that can be found
 *      here is: unknown tags and filters, unclosed blocks, bad syntax,
 *      missing templates, extends/include cycles -- each as
 *      name:line:col in the diags.  Compiling is single-threaded.
 *   3. tmpl_render() walks the tree with a context value and appends to a
 *      buf.  It writes no shared state, so any number of threads may
 *      render the same compiled templates at once, each with its own
 *      arena, buf and diags.
 *
 * Names of extended and included templates must be string literals, so
 * that the whole graph is known, checked and compiled before rendering.
 *
 * The language, as Django's: {{ var.path|filter:arg }}, {% tag %},
 * {# comment #}.  Tags: extends, block (with {{ block.super }}), include
 * (with ... / only), if/elif/else, for (reversed, unpacking, empty,
 * forloop.*), with, comment, autoescape, verbatim, cycle, firstof, now.
 * Autoescaping is on by default.  Unknown variables render as "" unless
 * strict mode is on, where they are errors.
 */
#ifndef HONE_TMPL_H
#define HONE_TMPL_H

#include <stdbool.h>
#include <stddef.h>

#include "arena.h"
#include "buf.h"
#include "diag.h"
#include "dt.h"
#include "val.h"

typedef struct tmpl_env tmpl_env;
typedef struct tmpl tmpl;

/* ---- environment --------------------------------------------------- */

tmpl_env *tmpl_env_new(void);
void tmpl_env_free(tmpl_env *env);

/* Searched in the order added: NAME is read from DIR/NAME. */
void tmpl_env_add_dir(tmpl_env *env, const char *dir);
/* A template given as a string (copied); found before the directories. */
void tmpl_env_add_string(tmpl_env *env, const char *name, const char *src, size_t len);
/* For the absurl filter: "https://example.org/blog/" */
void tmpl_env_set_base_url(tmpl_env *env, const char *base_url);
/* A pointer the host program's own filters can read (tmpl_env_host()):
 * it must stay unchanged while templates render. */
void tmpl_env_set_host(tmpl_env *env, const void *host);
const void *tmpl_env_host(const tmpl_env *env);

/* ---- filters ------------------------------------------------------- */

/* What a filter sees of the render it runs in. */
typedef struct tmpl_fctx {
    arena *a;            /* allocate results here */
    const tmpl_env *env; /* tmpl_env_base_url() etc. */
    bool autoescape;     /* is autoescaping on where the filter runs */
    buf *err;            /* on failure, write a message here and return -1 */
} tmpl_fctx;

/*
 * A filter: in is the value on the left, arg the argument after ':' (NULL
 * when none was given).  Returns 0 with *out set, or -1 with a message in
 * c->err; the renderer reports it with the template's name:line:col.
 */
typedef int (*tmpl_filter_fn)(const tmpl_fctx *c, val in, const val *arg, val *out);

enum tmpl_filter_arg { TMPL_ARG_NONE, TMPL_ARG_OPTIONAL, TMPL_ARG_REQUIRED };
enum tmpl_filter_flags {
    /* Django's is_safe: a safe string in gives a safe string out. */
    TMPL_FILTER_KEEPS_SAFE = 1 << 0,
};

/* Adds or replaces a filter.  Call before compiling templates that use it. */
void tmpl_env_add_filter(tmpl_env *env, const char *name, tmpl_filter_fn fn,
                         enum tmpl_filter_arg arg, unsigned flags);
const char *tmpl_env_base_url(const tmpl_env *env);

/* The slugify filter's text, for code that must make the same slugs as
 * templates do (term URLs): "Ünïcode & C" -> "unicode-c". */
void tmpl_slugify(buf *out, const char *s, size_t n);

/* Registers every built-in filter (tmpl_env_new() already does). */
void tmpl_filters_register(tmpl_env *env);

/* ---- compiling ----------------------------------------------------- */

/*
 * Compiles NAME (and what it extends and includes), or returns the copy
 * compiled before.  NULL with diags on error.  Not thread-safe: compile
 * every template before rendering from several threads.
 */
const tmpl *tmpl_env_load(tmpl_env *env, const char *name, diags *d);
/* Is NAME available (as a string or a file) without compiling it? */
bool tmpl_env_exists(tmpl_env *env, const char *name);
const char *tmpl_name(const tmpl *t);

/* ---- rendering ----------------------------------------------------- */

typedef struct tmpl_opts {
    bool strict;       /* unknown variables are errors, not "" */
    size_t max_output; /* bytes; 0 = 64 MiB */
    int max_depth;     /* nesting of includes, blocks and loops; 0 = 64 */
    dt now;            /* what {% now %} shows; sec = 0 takes the clock */
} tmpl_opts;

/*
 * Renders t with ctx (usually a map or host object) appending to out.
 * Temporaries are allocated in a (the caller frees it when done with the
 * output).  Returns 0, or -1 with diags (output is then partial).
 */
int tmpl_render(const tmpl *t, val ctx, buf *out, arena *a, const tmpl_opts *o, diags *d);

#endif
