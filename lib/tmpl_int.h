/*
 * tmpl_int.h: the compiled form of templates, shared by the compiler
 * (tmpl_parse.c) and the renderer (tmpl_render.c).  Not a public header.
 *
 * A compiled template is a tree of tnode, immutable once tmpl_env_load()
 * returns.  Text nodes point into the template's source, which the tmpl
 * keeps.  Every node and expression remembers the byte offset of the tag
 * it came from, so a render error can name template:line:col.
 */
#ifndef HONE_TMPL_INT_H
#define HONE_TMPL_INT_H

#include "tmpl.h"

typedef struct tnode tnode;
typedef struct texpr texpr;
typedef struct tcond tcond;

typedef struct tfilter {
    char *name;
    tmpl_filter_fn fn;
    enum tmpl_filter_arg arg;
    unsigned flags;
} tfilter;

/* One segment of a dotted path: page.tags.0 */
typedef struct tseg {
    const char *s;
    size_t n;
} tseg;

/* A literal or a variable path. */
typedef struct tatom {
    int is_lit;
    val lit;
    tseg *segs;
    size_t nsegs;
} tatom;

typedef struct tfcall {
    const tfilter *f;
    int has_arg;
    tatom arg;
} tfcall;

/* value|filter:arg|filter ... */
struct texpr {
    tatom base;
    tfcall *calls;
    size_t ncalls;
    size_t off; /* where the tag starts in the source */
};

enum tcond_op {
    C_EXPR,
    C_OR,
    C_AND,
    C_NOT,
    C_IN,
    C_NOTIN,
    C_IS,
    C_ISNOT,
    C_EQ,
    C_NE,
    C_LT,
    C_LE,
    C_GT,
    C_GE,
};

struct tcond {
    enum tcond_op op;
    tcond *l, *r; /* C_NOT uses l only */
    texpr *e;     /* C_EXPR */
};

/* name=expr, for with and include */
typedef struct tbind {
    const char *name;
    size_t n;
    texpr *e;
} tbind;

enum tnode_kind {
    N_TEXT,
    N_VAR,
    N_IF,
    N_FOR,
    N_BLOCK,
    N_INCLUDE,
    N_WITH,
    N_AUTOESC,
    N_CYCLE,
    N_FIRSTOF,
    N_NOW,
    N_EXTENDS, /* the rest of the template is its parent, with our blocks */
};

struct tnode {
    enum tnode_kind kind;
    size_t off;        /* tag's offset in its template's source */
    const tmpl *owner; /* the template the node was written in */
    tnode *next;       /* next sibling */
    union {
        struct {
            const char *s;
            size_t n;
        } text;
        texpr *var;
        struct {
            tcond **conds; /* NULL for the else branch */
            tnode **bodies;
            size_t n;
        } if_;
        struct {
            tseg *vars; /* the loop names: x, or k, v, ... */
            size_t nvars;
            texpr *seq;
            int reversed;
            tnode *body, *empty;
        } for_;
        struct {
            const char *name;
            size_t n;
            tnode *body;
        } block;
        struct {
            const tmpl *t;
            tbind *binds;
            size_t nbinds;
            int only;
        } include;
        struct {
            tbind *binds;
            size_t nbinds;
            tnode *body;
        } with;
        struct {
            int on;
            tnode *body;
        } autoesc;
        struct {
            texpr **items;
            size_t n;
            const char *as; /* NULL, or the variable it sets */
            size_t asn;
            int silent;
            const tnode *ref; /* {% cycle name %}: the named cycle it advances */
        } cycle;
        struct {
            texpr **items;
            size_t n;
            const char *as;
            size_t asn;
        } firstof;
        struct {
            texpr *fmt;
            const char *as;
            size_t asn;
        } now;
        const tmpl *parent; /* N_EXTENDS */
    } u;
};

/* The versions of one block, most derived first. */
typedef struct tblock_chain {
    const char *name;
    size_t n;
    const tnode **v;
    size_t nv;
} tblock_chain;

enum tmpl_state { T_LOADING, T_DONE, T_FAILED };

struct tmpl {
    char *name; /* as asked for: "post.html" */
    char *path; /* as shown in errors: a file path or the name */
    char *src;  /* the source, kept: text nodes point into it */
    size_t srclen;
    enum tmpl_state state;
    const tmpl_env *env;
    tnode *root;          /* what is rendered: up to an N_EXTENDS, if any */
    const tmpl *parent;   /* {% extends %} target, or NULL */
    tblock_chain *blocks; /* every block of the chain, by name */
    size_t nblocks;
};

struct tmpl_env {
    char **dirs;
    size_t ndirs;
    struct tsrc {
        char *name;
        char *text;
        size_t len;
    } * strings;
    size_t nstrings;
    tfilter *filters;
    size_t nfilters;
    char *base_url;
    const void *host;
    tmpl **tmpls;
    size_t ntmpls;
    char **missing; /* names looked for and not found (tmpl_env_exists) */
    size_t nmissing;
    arena mem; /* compiled trees */
};

const tfilter *tmpl_find_filter(const tmpl_env *env, const char *name, size_t n);
const tblock_chain *tmpl_find_block(const tmpl *t, const char *name, size_t n);

#endif
