/*
 * test_tmpl: runs the template engine's case tables (the YAML files in tests/tmpl/).
 *
 * Each case names a template, optional other templates, a context and
 * either the exact output expected or a piece of the first error expected.
 * Every case becomes one cmocka test, named after the case, so a failure
 * says which case and shows expected and actual output.  The tables are
 * also run through Django itself by tests/tmpl/django_check.py, which is
 * what keeps our expectations honest.
 *
 * Run from the repository root, or give the table folder as argument.
 */
#include <glob.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "fs.h"
#include "tmpl.h"
#include "yamlv.h"

typedef struct tcase {
    char *name;
    val c; /* the case's map */
} tcase;

static arena tables = ARENA_INIT;

static int
str_of(val m, const char *key, const char **s, size_t *n)
{
    val v;
    if (!val_get(m, key, strlen(key), NULL, &v) || v.type != VAL_STR) return 0;
    *s = v.u.str.s;
    *n = v.u.str.n;
    return 1;
}

static void
run_case(void **state)
{
    const tcase *tc = *state;
    val c = tc->c, v;
    tmpl_env *env = tmpl_env_new();
    const char *src = NULL, *expect = NULL, *error = NULL, *base = NULL;
    size_t srcn = 0, expectn = 0, errorn = 0, basen = 0;
    if (!str_of(c, "template", &src, &srcn)) fail_msg("case %s has no template", tc->name);
    tmpl_env_add_string(env, "main", src, srcn);
    if (val_get(c, "templates", 9, NULL, &v) && v.type == VAL_MAP) {
        for (size_t i = 0; i < v.u.map.n; i++) {
            const val_pair *p = &v.u.map.items[i];
            if (p->v.type != VAL_STR)
                fail_msg("case %s: template %s is not a string", tc->name, p->key);
            tmpl_env_add_string(env, p->key, p->v.u.str.s, p->v.u.str.n);
        }
    }
    if (str_of(c, "base_url", &base, &basen)) tmpl_env_set_base_url(env, base);
    int has_expect = str_of(c, "expect", &expect, &expectn);
    int has_error = str_of(c, "error", &error, &errorn);
    if (has_expect == has_error)
        fail_msg("case %s needs exactly one of expect and error", tc->name);

    tmpl_opts o = {0};
    if (val_get(c, "strict", 6, NULL, &v)) o.strict = val_truthy(v);
    if (val_get(c, "max_depth", 9, NULL, &v) && v.type == VAL_INT) o.max_depth = (int)v.u.i;
    if (val_get(c, "max_output", 10, NULL, &v) && v.type == VAL_INT) o.max_output = (size_t)v.u.i;
    if (val_get(c, "now", 3, NULL, &v) && v.type == VAL_TIME)
        o.now = v.u.time;
    else
        o.now.sec = 1618299073; /* 2021-04-13T07:31:13Z: renders never read the clock */
    val ctx = val_map(NULL, 0);
    if (val_get(c, "context", 7, NULL, &v)) ctx = v;

    diags d = DIAGS_INIT;
    buf out = BUF_INIT;
    arena a = ARENA_INIT;
    const tmpl *t = tmpl_env_load(env, "main", &d);
    int r = t ? tmpl_render(t, ctx, &out, &a, &o, &d) : -1;
    char *first = d.n ? diag_str(&d.v[0]) : NULL;
    if (has_expect) {
        if (r != 0) fail_msg("case %s: unexpected error: %s", tc->name, first ? first : "(none)");
        if (out.len != expectn || memcmp(buf_cstr(&out), expect, expectn) != 0)
            fail_msg("case %s:\n  expected: [%.*s]\n  actual:   [%s]", tc->name, (int)expectn,
                     expect, buf_cstr(&out));
    } else {
        if (r == 0 || !first)
            fail_msg("case %s: expected an error containing [%.*s], got output [%s]", tc->name,
                     (int)errorn, error, buf_cstr(&out));
        char *want = strndup(error, errorn);
        if (!strstr(first, want))
            fail_msg("case %s: expected an error containing [%s]\n  got: %s", tc->name, want,
                     first);
        free(want);
    }
    free(first);
    buf_free(&out);
    arena_free(&a);
    diags_free(&d);
    tmpl_env_free(env);
}

/* Reads every table; aborts the run with a message on a broken table. */
static size_t
load_cases(const char *dir, tcase **out)
{
    char pattern[4096];
    snprintf(pattern, sizeof(pattern), "%s/*.yaml", dir);
    glob_t g;
    size_t n = 0, cap = 0;
    tcase *v = NULL;
    if (glob(pattern, 0, NULL, &g) != 0) {
        fprintf(stderr, "test_tmpl: no tables match %s\n", pattern);
        exit(1);
    }
    for (size_t f = 0; f < g.gl_pathc; f++) {
        char *text;
        size_t len;
        diags d = DIAGS_INIT;
        yamlv_doc doc;
        if (fs_read_file(g.gl_pathv[f], 1 << 24, &text, &len) != 0 ||
            yamlv_parse(text, len, g.gl_pathv[f], 1, &tables, &doc, &d) != 0 ||
            doc.root.type != VAL_LIST) {
            diags_print(&d, stderr);
            fprintf(stderr, "test_tmpl: %s: not a list of cases\n", g.gl_pathv[f]);
            exit(1);
        }
        free(text);
        diags_free(&d);
        for (size_t i = 0; i < doc.root.u.list.n; i++) {
            val c = doc.root.u.list.items[i], name;
            if (!val_get(c, "name", 4, NULL, &name) || name.type != VAL_STR) {
                fprintf(stderr, "test_tmpl: %s: case %zu has no name\n", g.gl_pathv[f], i);
                exit(1);
            }
            if (n == cap) {
                cap = cap ? cap * 2 : 256;
                v = realloc(v, cap * sizeof(*v));
            }
            v[n].name = strndup(name.u.str.s, name.u.str.n);
            v[n].c = c;
            n++;
        }
    }
    globfree(&g);
    *out = v;
    return n;
}

int
main(int argc, char **argv)
{
    tcase *cases;
    size_t n = load_cases(argc > 1 ? argv[1] : "tests/tmpl", &cases);
    struct CMUnitTest *tests = calloc(n, sizeof(*tests));
    for (size_t i = 0; i < n; i++) {
        tests[i].name = cases[i].name;
        tests[i].test_func = run_case;
        tests[i].initial_state = &cases[i];
    }
    int failed = _cmocka_run_group_tests("tmpl", tests, n, NULL, NULL);
    for (size_t i = 0; i < n; i++)
        free(cases[i].name);
    free(cases);
    free(tests);
    arena_free(&tables);
    return failed;
}
