/*
 * yamlv: libyaml's document loader builds a node graph; this module walks
 * it once and turns it into vals in an arena.  libyaml does the parsing
 * (and its error positions); the typing of plain scalars is ours.
 */
#include "yamlv.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <yaml.h>

enum { MAX_VALUES = 1000000, MAX_DEPTH = 64 };

typedef struct conv {
    yaml_document_t *doc;
    arena *a;
    diags *d;
    const char *file;
    int first_line;
    int32_t default_off;
    size_t count;
    int failed;
} conv;

static void
cerr(conv *c, yaml_mark_t m, const char *msg)
{
    if (!c->failed)
        diag_add(c->d, DIAG_ERROR, c->file, (int)m.line + c->first_line, (int)m.column + 1, "%s",
                 msg);
    c->failed = 1;
}

static int
eq(const char *s, size_t n, const char *lit)
{
    return strlen(lit) == n && memcmp(s, lit, n) == 0;
}

static int
looks_like_date(const char *s, size_t n)
{
    /* YYYY-M(M)-D(D) at the start, as YAML's timestamp regexp */
    if (n < 8) return 0;
    for (int i = 0; i < 4; i++)
        if (s[i] < '0' || s[i] > '9') return 0;
    return s[4] == '-' && s[5] >= '0' && s[5] <= '9';
}

static int
scalar_number(const char *s, size_t n, val *out)
{
    if (n == 0 || n > 64) return 0;
    char tmp[65];
    memcpy(tmp, s, n);
    tmp[n] = '\0';
    const char *p = tmp;
    if (*p == '+' || *p == '-') p++;
    if (!strcmp(p, ".inf") || !strcmp(p, ".Inf") || !strcmp(p, ".INF")) {
        *out = val_float(tmp[0] == '-' ? -INFINITY : INFINITY);
        return 1;
    }
    if (!strcmp(tmp, ".nan") || !strcmp(tmp, ".NaN") || !strcmp(tmp, ".NAN")) {
        *out = val_float(NAN);
        return 1;
    }
    int base = 10;
    if (p[0] == '0' && (p[1] == 'x' || p[1] == 'o')) {
        base = p[1] == 'x' ? 16 : 8;
        p += 2;
    }
    char *end;
    errno = 0;
    if (*p && ((*p >= '0' && *p <= '9') || (base == 16 && strchr("abcdefABCDEF", *p)))) {
        long long v = strtoll(p, &end, base);
        if (*end == '\0' && errno == 0) {
            *out = val_int(tmp[0] == '-' ? -v : v);
            return 1;
        }
    }
    if (base != 10) return 0;
    /* floats: digits with a dot or an exponent */
    int digits = 0;
    for (const char *q = p; *q; q++) {
        if (*q >= '0' && *q <= '9')
            digits++;
        else if (!strchr(".eE+-", *q))
            return 0;
    }
    if (!digits) return 0;
    double f = strtod(tmp, &end);
    if (*end != '\0') return 0;
    *out = val_float(f);
    return 1;
}

static val convert(conv *c, yaml_node_t *node, int depth);

static val
convert_scalar(conv *c, yaml_node_t *node)
{
    const char *s = (const char *)node->data.scalar.value;
    size_t n = node->data.scalar.length;
    /* Only plain scalars are typed.  (libyaml's document API tags every
     * scalar !!str, so an explicit !!str on a plain scalar cannot be
     * seen: quote such a value instead.) */
    if (node->data.scalar.style != YAML_PLAIN_SCALAR_STYLE) return val_strdup(c->a, s, n);
    if (n == 0 || eq(s, n, "~") || eq(s, n, "null") || eq(s, n, "Null") || eq(s, n, "NULL"))
        return val_null();
    if (eq(s, n, "true") || eq(s, n, "True") || eq(s, n, "TRUE")) return val_bool(true);
    if (eq(s, n, "false") || eq(s, n, "False") || eq(s, n, "FALSE")) return val_bool(false);
    val v;
    if (scalar_number(s, n, &v)) return v;
    if (looks_like_date(s, n)) {
        dt t;
        size_t errpos;
        const char *why;
        if (dt_parse(s, n, c->default_off, &t, &errpos, &why) == 0) return val_time(t);
    }
    return val_strdup(c->a, s, n);
}

static val
convert(conv *c, yaml_node_t *node, int depth)
{
    if (c->failed) return val_null();
    if (++c->count > MAX_VALUES) {
        cerr(c, node->start_mark, "document too large once its aliases are expanded");
        return val_null();
    }
    if (depth > MAX_DEPTH) {
        cerr(c, node->start_mark, "nesting deeper than 64 levels");
        return val_null();
    }
    switch (node->type) {
    case YAML_SCALAR_NODE: return convert_scalar(c, node);
    case YAML_SEQUENCE_NODE: {
        val_list_b l = {0};
        for (yaml_node_item_t *it = node->data.sequence.items.start;
             it < node->data.sequence.items.top; it++)
            val_list_push(&l, c->a, convert(c, yaml_document_get_node(c->doc, *it), depth + 1));
        return val_list_done(&l);
    }
    case YAML_MAPPING_NODE: {
        val_map_b m = {0};
        for (yaml_node_pair_t *p = node->data.mapping.pairs.start; p < node->data.mapping.pairs.top;
             p++) {
            yaml_node_t *k = yaml_document_get_node(c->doc, p->key);
            if (!k || k->type != YAML_SCALAR_NODE) {
                cerr(c, k ? k->start_mark : node->start_mark, "mapping keys must be plain text");
                return val_null();
            }
            const char *key =
                arena_strndup(c->a, (const char *)k->data.scalar.value, k->data.scalar.length);
            val v = convert(c, yaml_document_get_node(c->doc, p->value), depth + 1);
            val_map_set(&m, c->a, key, k->data.scalar.length, v);
        }
        return val_map_done(&m);
    }
    default: return val_null();
    }
}

int
yamlv_parse(const char *src, size_t n, const char *file, int first_line, arena *a, yamlv_doc *out,
            diags *d)
{
    return yamlv_parse_tz(src, n, file, first_line, 0, a, out, d);
}

int
yamlv_parse_tz(const char *src, size_t n, const char *file, int first_line, int32_t default_off,
               arena *a, yamlv_doc *out, diags *d)
{
    yaml_parser_t parser;
    yaml_document_t doc;
    memset(out, 0, sizeof(*out));
    if (!yaml_parser_initialize(&parser)) {
        diag_add(d, DIAG_ERROR, file, 0, 0, "cannot start the YAML parser");
        return -1;
    }
    yaml_parser_set_input_string(&parser, (const unsigned char *)src, n);
    if (!yaml_parser_load(&parser, &doc)) {
        yaml_mark_t m = parser.problem_mark;
        if (parser.context)
            diag_add(d, DIAG_ERROR, file, (int)m.line + first_line, (int)m.column + 1,
                     "invalid YAML: %s %s (which started at line %d, column %d)",
                     parser.problem ? parser.problem : "error", parser.context,
                     (int)parser.context_mark.line + first_line,
                     (int)parser.context_mark.column + 1);
        else
            diag_add(d, DIAG_ERROR, file, (int)m.line + first_line, (int)m.column + 1,
                     "invalid YAML: %s", parser.problem ? parser.problem : "error");
        yaml_parser_delete(&parser);
        return -1;
    }
    conv c = {&doc, a, d, file, first_line, default_off, 0, 0};
    yaml_node_t *root = yaml_document_get_root_node(&doc);
    out->root = root ? convert(&c, root, 0) : val_null();
    if (!c.failed && root && root->type == YAML_MAPPING_NODE) {
        size_t np = (size_t)(root->data.mapping.pairs.top - root->data.mapping.pairs.start);
        out->locs = arena_calloc(a, np ? np : 1, sizeof(yamlv_loc));
        for (yaml_node_pair_t *p = root->data.mapping.pairs.start; p < root->data.mapping.pairs.top;
             p++) {
            yaml_node_t *k = yaml_document_get_node(&doc, p->key);
            yaml_node_t *v = yaml_document_get_node(&doc, p->value);
            yamlv_loc *l = &out->locs[out->nlocs++];
            l->key = arena_strndup(a, (const char *)k->data.scalar.value, k->data.scalar.length);
            l->line = (int)v->start_mark.line + first_line;
            l->col = (int)v->start_mark.column + 1;
        }
    }
    yaml_document_delete(&doc);
    yaml_parser_delete(&parser);
    return c.failed ? -1 : 0;
}

yamlv_loc
yamlv_where(const yamlv_doc *doc, const char *key)
{
    for (size_t i = 0; i < doc->nlocs; i++)
        if (strcmp(doc->locs[i].key, key) == 0) return doc->locs[i];
    yamlv_loc none = {key, 0, 0};
    return none;
}
