/*
 * fuzz_highlight: every lexer on arbitrary bytes (libFuzzer).
 *
 * The first byte picks the language (its index in langs, modulo their
 * number), the rest is the code.  The tokens must be non-empty, adjacent,
 * merged when of one class and join into the input exactly; otherwise
 * __builtin_trap().  The HTML is written too (plain, and with line numbers
 * and marked lines), with its <span>s checked to balance, and the first
 * bytes are read as Hugo's options, so the sanitizers see every path.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "highlight.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char *const langs[] = {
    "python",     "pycon", "bash", "console", "html",          "xml",  "django",
    "css",        "js",    "ts",   "json",    "yaml",          "toml", "ini",
    "c",          "cpp",   "go",   "rust",    "sql",           "diff", "nginx",
    "dockerfile", "make",  "text", NULL,      "nosuchlanguage"};

static size_t
count(const char *s, size_t n, const char *w)
{
    size_t k = 0, m = strlen(w);
    for (size_t i = 0; i + m <= n; i++)
        k += memcmp(s + i, w, m) == 0;
    return k;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size == 0) return 0;
    const char *lang = langs[data[0] % (sizeof(langs) / sizeof(langs[0]))];
    const char *code = (const char *)data + 1;
    size_t n = size - 1;

    hl_token *t;
    size_t nt = hl_tokens(lang, code, n, &t), pos = 0;
    for (size_t i = 0; i < nt; i++) {
        if (t[i].off != pos || t[i].len == 0 || !t[i].cls) __builtin_trap();
        if (i > 0 && strcmp(t[i].cls, t[i - 1].cls) == 0) __builtin_trap();
        pos += t[i].len;
    }
    if (pos != n) __builtin_trap();
    free(t);

    for (int lines = 0; lines < 2; lines++) {
        hl_opts o = {false, NULL, 0, 0};
        int *marks = NULL;
        if (lines) {
            buf err = BUF_INIT;
            hl_parse_opts(code, n < 64 ? n : 64, code, n, &o, &marks, &err);
            buf_free(&err);
            free(marks);
            marks = NULL;
            hl_parse_opts(code, n < 64 ? n : 64, code, n, &o, &marks, NULL);
        }
        o.linenos |= lines;
        buf h = BUF_INIT;
        hl_html(&h, lang, code, n, &o);
        if (count(h.data, h.len, "<span") != count(h.data, h.len, "</span>")) __builtin_trap();
        buf_free(&h);
        free(marks);
    }
    return 0;
}
