/*
 * test_threads: the same compiled templates rendered from several threads
 * at once give, every time, the output a single thread gives.  Built also
 * with ThreadSanitizer (make check-tsan), which reports any data race the
 * renderer or the filters might have.
 */
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "tmpl.h"
#include "yamlv.h"

enum { THREADS = 4, ROUNDS = 300 };

static const char base_src[] =
    "<html><title>{% block title %}{{ site.title }}{% endblock %}</title>"
    "{% block body %}{% endblock %}{% cycle 'a' 'b' %}</html>";
static const char page_src[] = "{% extends 'base.html' %}{% block title %}{{ page.title|upper }} | "
                               "{{ block.super }}{% endblock %}";
static const char post_src[] =
    "{% extends 'page.html' %}{% block body %}"
    "{% for t in page.tags %}<a href='/tags/{{ t|slugify }}/'>{{ t }}</a>"
    "{% if not forloop.last %}, {% endif %}{% empty %}none{% endfor %}"
    "{% include 'author.html' with name=page.author only %}"
    "<p>{{ page.summary|truncatewords:5 }}</p>{{ page.date|date:'r' }}"
    "{% with n=page.tags|length %}{{ n }} tag{{ n|pluralize }}{% endwith %}"
    "{% endblock %}";
static const char author_src[] = "<b>{{ name|default:'anonymous' }}</b>";
static const char ctx_src[] = "site: {title: 'A & B'}\n"
                              "page:\n"
                              "  title: Threads <safe?>\n"
                              "  author: Ada\n"
                              "  date: 2021-04-13T13:01:13+05:30\n"
                              "  summary: one two three four five six seven\n"
                              "  tags: [C, Threads, Django Templates, Ünïcode]\n";

typedef struct job {
    const tmpl *t;
    val ctx;
    const char *expect;
    int mismatches;
} job;

static void *
worker(void *arg)
{
    job *j = arg;
    buf out = BUF_INIT;
    tmpl_opts o = {0};
    o.now.sec = 1;
    for (int i = 0; i < ROUNDS; i++) {
        arena a = ARENA_INIT;
        diags d = DIAGS_INIT;
        buf_reset(&out);
        if (tmpl_render(j->t, j->ctx, &out, &a, &o, &d) != 0 || strcmp(buf_cstr(&out), j->expect))
            j->mismatches++;
        diags_free(&d);
        arena_free(&a);
    }
    buf_free(&out);
    return NULL;
}

static void
test_many_threads_one_tree(void **state)
{
    (void)state;
    tmpl_env *env = tmpl_env_new();
    tmpl_env_add_string(env, "base.html", base_src, strlen(base_src));
    tmpl_env_add_string(env, "page.html", page_src, strlen(page_src));
    tmpl_env_add_string(env, "post.html", post_src, strlen(post_src));
    tmpl_env_add_string(env, "author.html", author_src, strlen(author_src));
    diags d = DIAGS_INIT;
    arena ctxmem = ARENA_INIT;
    yamlv_doc doc;
    assert_int_equal(yamlv_parse(ctx_src, strlen(ctx_src), "ctx", 1, &ctxmem, &doc, &d), 0);
    const tmpl *t = tmpl_env_load(env, "post.html", &d);
    assert_non_null(t);

    buf expect = BUF_INIT;
    arena a = ARENA_INIT;
    tmpl_opts o = {0};
    o.now.sec = 1;
    assert_int_equal(tmpl_render(t, doc.root, &expect, &a, &o, &d), 0);
    assert_non_null(strstr(buf_cstr(&expect), "THREADS &lt;SAFE?&gt; | A &amp; B"));
    assert_non_null(strstr(buf_cstr(&expect), "<b>Ada</b>"));
    assert_non_null(strstr(buf_cstr(&expect), "4 tags"));

    pthread_t th[THREADS];
    job jobs[THREADS];
    for (int i = 0; i < THREADS; i++) {
        jobs[i] = (job){t, doc.root, buf_cstr(&expect), 0};
        assert_int_equal(pthread_create(&th[i], NULL, worker, &jobs[i]), 0);
    }
    for (int i = 0; i < THREADS; i++) {
        pthread_join(th[i], NULL);
        assert_int_equal(jobs[i].mismatches, 0);
    }
    buf_free(&expect);
    arena_free(&a);
    arena_free(&ctxmem);
    diags_free(&d);
    tmpl_env_free(env);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_many_threads_one_tree),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
