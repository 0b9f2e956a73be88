/*
 * fuzz_tmpl: compile and render arbitrary templates (libFuzzer).
 *
 * The input is a template named "main"; a line "----" splits off a second
 * template, "other.html", which main may extend or include.  Rendering
 * uses a fixed context with every kind of value.  Any crash, leak or
 * sanitizer report is a bug; errors in the template are expected.
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "tmpl.h"
#include "yamlv.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char ctx_src[] = "s: 'a <b> & \"c\"'\n"
                              "n: 42\n"
                              "f: 2.5\n"
                              "t: 2021-04-13T13:01:13+05:30\n"
                              "b: true\n"
                              "z: null\n"
                              "l: [1, two, 3.0, [x, y], {k: v}]\n"
                              "m: {a: 1, b: [1, 2], c: {d: e}}\n"
                              "words: one two three four five six seven eight nine ten\n"
                              "html: '<p>one <b>two</b> three</p>'\n";

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *s = (const char *)data;
    size_t split = size;
    for (size_t i = 0; i + 6 <= size; i++) {
        if (memcmp(s + i, "\n----\n", 6) == 0) {
            split = i;
            break;
        }
    }
    tmpl_env *env = tmpl_env_new();
    tmpl_env_set_base_url(env, "https://example.org/blog/");
    tmpl_env_add_string(env, "main", s, split);
    if (split < size) tmpl_env_add_string(env, "other.html", s + split + 6, size - split - 6);

    arena a = ARENA_INIT;
    diags d = DIAGS_INIT;
    buf out = BUF_INIT;
    yamlv_doc doc;
    yamlv_parse(ctx_src, sizeof(ctx_src) - 1, "ctx", 1, &a, &doc, &d);
    const tmpl *t = tmpl_env_load(env, "main", &d);
    if (t) {
        tmpl_opts o = {0};
        o.now.sec = 1618299073;
        o.max_output = 1 << 20;
        o.max_depth = 32;
        tmpl_render(t, doc.root, &out, &a, &o, &d);
        o.strict = true;
        buf_reset(&out);
        tmpl_render(t, doc.root, &out, &a, &o, &d);
    }
    buf_free(&out);
    diags_free(&d);
    arena_free(&a);
    tmpl_env_free(env);
    return 0;
}
