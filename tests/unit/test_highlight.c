/*
 * Unit tests for hl, the syntax highlighter.
 *
 * - Golden tokens: a representative snippet per language and the tokens
 *   it must give, written "[cls|text]" for a classed token and bare text
 *   for plain (checked by eye against Pygments 2.14, whose choices hl
 *   follows; where they differ the lexer's file says why).
 * - Losslessness, as a property: every lexer on every snippet and on
 *   thousands of random and mutated inputs per language (a fixed-seed
 *   PRNG, so a failure is reproducible): the tokens are non-empty, in
 *   order, adjacent, merged when of one class, and join into the input;
 *   the HTML's spans balance and its text, unescaped, is the input.
 *   Each input is an exact-size heap copy, so ASan sees any overread.
 * - Time: inputs that make naive lexers quadratic (unclosed constructs
 *   repeated) must stay fast.
 * - The HTML: Chroma's wrapper, line numbers and marked lines, tokens cut
 *   at line ends, escaping, the language name filtered, unknown languages
 *   as plain text; Hugo's options; the stylesheets (WCAG AA contrast,
 *   computed from the CSS itself) and the copies the theme ships.
 */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>

#include "testutil.h"

#include "fs.h"
#include "highlight.h"

#define N_OF(a) (sizeof(a) / sizeof((a)[0]))

static const char *const all_langs[] = {
    "python", "pycon", "bash",  "console",    "html", "xml",  "django",        "css", "js",
    "ts",     "json",  "yaml",  "toml",       "ini",  "c",    "cpp",           "go",  "rust",
    "sql",    "diff",  "nginx", "dockerfile", "make", "text", "nosuchlanguage"};

/* The short class names hl may give (Pygments' and Chroma's). */
static const char *const known_classes[] = {
    "",   "err", "k",  "kc", "kd", "kn", "kp", "kr", "kt", "n",  "na", "nb",  "bp", "nc",
    "no", "nd",  "ni", "ne", "nf", "fm", "nl", "nn", "nx", "nt", "nv", "l",   "ld", "s",
    "sa", "sb",  "sc", "sd", "s2", "se", "sh", "si", "sx", "sr", "s1", "ss",  "m",  "mb",
    "mf", "mh",  "mi", "mo", "o",  "ow", "p",  "c",  "ch", "cm", "cp", "cpf", "c1", "cs",
    "gd", "ge",  "gr", "gh", "gi", "go", "gp", "gs", "gu", "gt"};

/* "[cls|text]" for each classed token, text for plain ones. */
static void
show_tokens(buf *out, const char *lang, const char *s, size_t n)
{
    char *p = test_copy(s, n);
    hl_token *t;
    size_t nt = hl_tokens(lang, p, n, &t);
    for (size_t i = 0; i < nt; i++) {
        if (t[i].cls[0]) buf_printf(out, "[%s|", t[i].cls);
        buf_put(out, p + t[i].off, t[i].len);
        if (t[i].cls[0]) buf_putc(out, ']');
    }
    free(t);
    free(p);
}

/*
 * Checks every property of hl_tokens and hl_html on s; returns NULL or
 * what is wrong (a static string).
 */
static const char *
check_lossless(const char *lang, const char *s, size_t n)
{
    char *p = test_copy(s, n);
    hl_token *t;
    size_t nt = hl_tokens(lang, p, n, &t);
    const char *bad = NULL;
    size_t pos = 0;
    for (size_t i = 0; i < nt && !bad; i++) {
        if (!t[i].cls)
            bad = "a token without a class";
        else if (t[i].off != pos)
            bad = "tokens not adjacent";
        else if (t[i].len == 0)
            bad = "an empty token";
        else if (i > 0 && strcmp(t[i].cls, t[i - 1].cls) == 0)
            bad = "tokens of one class not merged";
        else {
            bool ok = false;
            for (size_t k = 0; k < N_OF(known_classes) && !ok; k++)
                ok = strcmp(t[i].cls, known_classes[k]) == 0;
            if (!ok) bad = "an unknown class";
        }
        pos += t[i].len;
    }
    if (!bad && pos != n) bad = "the tokens do not cover the input";
    free(t);
    if (bad) goto out;

    /* the HTML: spans balance; its text, unescaped, is the input less the
     * control characters esc_html drops */
    for (int lines = 0; lines < 2 && !bad; lines++) {
        buf h = BUF_INIT;
        int marks[] = {1, 3};
        hl_opts o = {lines == 1, marks, lines ? 2 : 0, 0};
        hl_html(&h, lang, p, n, &o);
        long open = 0;
        buf text = BUF_INIT;
        const char *q = buf_cstr(&h), *end = q + h.len;
        static const char pre[] =
            "<div class=\"highlight\"><pre tabindex=\"0\" class=\"chroma\"><code";
        if (strncmp(q, pre, sizeof(pre) - 1) != 0) bad = "the block does not open as Chroma's";
        q = strchr(q + sizeof(pre) - 1, '>') + 1;
        static const char post[] = "</code></pre></div>";
        if (h.len < sizeof(post) || strcmp(end - (sizeof(post) - 1), post) != 0)
            bad = "the block does not close as Chroma's";
        end -= sizeof(post) - 1;
        while (q < end && !bad) {
            if (!strncmp(q, "<span class=\"ln\">", 17)) {
                q = strstr(q, "</span>") + 7; /* a line number: no text of the input */
            } else if (!strncmp(q, "<span ", 6)) {
                open++;
                q = strchr(q, '>') + 1;
            } else if (!strncmp(q, "</span>", 7)) {
                if (--open < 0) bad = "a </span> too many";
                q += 7;
            } else if (*q == '&') {
                static const char *const ent[][2] = {{"&amp;", "&"},
                                                     {"&lt;", "<"},
                                                     {"&gt;", ">"},
                                                     {"&quot;", "\""},
                                                     {"&#x27;", "'"}};
                size_t k = 0;
                while (k < N_OF(ent) && strncmp(q, ent[k][0], strlen(ent[k][0])) != 0)
                    k++;
                if (k == N_OF(ent)) {
                    bad = "a bare & in the HTML";
                } else {
                    buf_puts(&text, ent[k][1]);
                    q += strlen(ent[k][0]);
                }
            } else if (*q == '<' || *q == '>' || *q == '"') {
                bad = "markup characters in the text";
            } else {
                buf_putc(&text, *q++);
            }
        }
        if (!bad && open != 0) bad = "unbalanced spans";
        if (!bad) {
            buf want = BUF_INIT;
            for (size_t i = 0; i < n; i++) {
                unsigned char c = (unsigned char)p[i];
                if (c >= 0x20 || c == '\t' || c == '\n' || c == '\r') buf_putc(&want, c);
            }
            if (want.len != text.len || memcmp(buf_cstr(&want), buf_cstr(&text), want.len) != 0)
                bad = "the HTML's text is not the input";
            buf_free(&want);
        }
        buf_free(&text);
        buf_free(&h);
    }
out:
    free(p);
    return bad;
}

static void
assert_lossless(const char *lang, const char *s, size_t n)
{
    const char *bad = check_lossless(lang, s, n);
    if (!bad) return;
    buf b = BUF_INIT;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c >= 0x20 && c < 0x7f && c != '\\')
            buf_putc(&b, c);
        else
            buf_printf(&b, "\\x%02x", c);
    }
    fail_msg("%s: %s, on input (%zu bytes) \"%s\"", lang, bad, n, buf_cstr(&b));
}

/* ---- golden tokens ---- */

static const struct golden {
    const char *lang, *src, *want;
} goldens[] = {
    {"python",
     "import os.path as p\n"
     "from a.b import (c, d)\n"
     "@dec.x(1)\n"
     "class A(B):\n"
     "    \"\"\"Doc.\"\"\"\n"
     "    def __init__(self, x=0x1F, *a):\n"
     "        s = rb\"\\n\" + f\"{x!r:>10} {{}} {y[\"k\"]:{w}}\" % 3\n"
     "        return None and not x is 1.5e3j\n"
     "# c\n"
     "print(\"%s %(n)d {0} {name!r}\" % v, len(x))\n"
     "match x:\n"
     "    case [1, _]: pass\n",
     "[kn|import] [nn|os.path] [k|as] [nn|p]\n"
     "[kn|from] [nn|a.b] [kn|import] [p|(][n|c][p|,] [n|d][p|)]\n"
     "[nd|@dec][o|.][n|x][p|(][mi|1][p|)]\n"
     "[k|class] [nc|A][p|(][n|B][p|):]\n"
     "    [sd|\"\"\"Doc.\"\"\"]\n"
     "    [k|def] [fm|__init__][p|(][bp|self][p|,] [n|x][o|=][mh|0x1F][p|,] [o|*][n|a][p|):]\n"
     "        [n|s] [o|=] [sa|rb][s2|\"\\n\"] [o|+] "
     "[sa|f][s2|\"][si|{][n|x][si|!r:][s2|>10][si|}][s2| ][se|{{}}][s2| "
     "][si|{][n|y][p|[][s2|\"k\"][p|]][si|:{][n|w][si|}}][s2|\"] [o|%] [mi|3]\n"
     "        [k|return] [kc|None] [ow|and] [ow|not] [n|x] [ow|is] [mf|1.5e3j]\n"
     "[c1|# c]\n"
     "[nb|print][p|(][s2|\"][si|%s][s2| ][si|%(n)d][s2| ][si|{0}][s2| ][si|{name!r}][s2|\"] [o|%] "
     "[n|v][p|,] [nb|len][p|(][n|x][p|))]\n"
     "[k|match] [n|x][p|:]\n"
     "    [k|case] [p|[][mi|1][p|,] [n|_][p|]:] [k|pass]\n"},
    {"pycon",
     ">>> x = [1, 2]\n"
     ">>> for i in x:\n"
     "...     print(i)\n"
     "...\n"
     "1\n"
     "2\n"
     ">>> 1/0\n"
     "Traceback (most recent call last):\n"
     "  File \"<stdin>\", line 1, in <module>\n"
     "ZeroDivisionError: division by zero\n"
     ">>> s = \"\"\"a\n"
     "... b\"\"\"\n",
     "[gp|>>> ][n|x] [o|=] [p|[][mi|1][p|,] [mi|2][p|]]\n"
     "[gp|>>> ][k|for] [n|i] [ow|in] [n|x][p|:]\n"
     "[gp|... ]    [nb|print][p|(][n|i][p|)]\n"
     "[gp|...]\n"
     "[go|1]\n"
     "[go|2]\n"
     "[gp|>>> ][mi|1][o|/][mi|0]\n"
     "[gt|Traceback (most recent call last):]\n"
     "  File [s|\"<stdin>\"], line [mi|1], in [n|<module>]\n"
     "[gr|ZeroDivisionError][go|: division by zero]\n"
     "[gp|>>> ][n|s] [o|=] [s2|\"\"\"a\n"
     "][gp|... ][s2|b\"\"\"]\n"},
    {"bash",
     "#!/bin/bash\n"
     "x=$((a+1)); arr=(1 2); [[ -n \"$x\" ]] && echo ok || exit 1\n"
     "cat <<-EOF >f\n"
     "\tbody $x\n"
     "\tEOF\n"
     "echo done # comment\n"
     "if [ \"$a\" = b ]; then :; fi\n"
     "y=\"${HOME}/$(basename \"$0\" .sh)\" z='lit $x' w=$'a\\tb'\n"
     "function f() { local v=2; return $v; }\n",
     "[ch|#!/bin/bash]\n"
     "[nv|x][o|=][k|$((][nv|a][o|+][m|1][k|))][p|;] [nv|arr][o|=(][m|1] [m|2][o|)][p|;] [o|[[] -n "
     "[s2|\"][nv|$x][s2|\"] [o|]]] [o|&&] [nb|echo] ok [o|||] [nb|exit] [m|1]\n"
     "cat [o|<<-][s|EOF] [o|>]f\n"
     "[s|\tbody $x\n"
     "\tEOF]\n"
     "[nb|echo] [k|done] [c1|# comment]\n"
     "[k|if] [o|[] [s2|\"][nv|$a][s2|\"] [o|=] b [o|]][p|;] [k|then] :[p|;] [k|fi]\n"
     "[nv|y][o|=][s2|\"][si|${][nv|HOME][si|}][s2|/][k|$(]basename [s2|\"][nv|$0][s2|\"] "
     ".sh[k|)][s2|\"] [nv|z][o|=][s1|'lit $x'] [nv|w][o|=][s1|$'a][se|\\t][s1|b']\n"
     "[k|function] f[o|()] [o|{] [nb|local] [nv|v][o|=][m|2][p|;] [k|return] [nv|$v][p|;] [o|}]\n"},
    {"console",
     "$ echo \"hi $USER $(date +%s)\" ${x:-1} `pwd` > /dev/null 2>&1\n"
     "hi\n"
     "user@host:~/dir$ for i in 1 2; do FOO=bar ls -la; done # c\n"
     "# apt-get install -y \\\n"
     "> nginx\n"
     "(venv) $ python -m http.server\n"
     "bash-5.1$ exit\n"
     "50% done\n",
     "[gp|$ ][nb|echo] [s2|\"hi ][nv|$USER][s2| ][k|$(]date +%s[k|)][s2|\"] "
     "[si|${][nv|x][k|:-][nv|1][si|}] [sb|`][nb|pwd][sb|`] [o|>] /dev/null [m|2][o|>][p|&][m|1]\n"
     "[go|hi\n"
     "][gp|user@host:~/dir$ ][k|for] i [k|in] [m|1] [m|2][p|;] [k|do] [nv|FOO][o|=]bar ls -la[p|;] "
     "[k|done] [c1|# c]\n"
     "[gp|# ]apt-get install -y [se|\\\n"
     "][gp|> ]nginx\n"
     "[gp|(venv) $ ]python -m http.server\n"
     "[gp|bash-5.1$ ][nb|exit]\n"
     "[go|50% done\n"
     "]"},
    {"html",
     "<!DOCTYPE html>\n"
     "<!-- c -->\n"
     "<p class=\"x\" hidden data-a=b>Hi &amp; &#169; <b>x</b></p>\n"
     "<script>var x = 1 < 2;</script>\n"
     "<style>p { color: red }</style>\n"
     "<img src='a.png' alt=\"a &lt; b\"/>\n",
     "[cp|<!DOCTYPE html>]\n"
     "[cm|<!-- c -->]\n"
     "[p|<][nt|p] [na|class][o|=][s|\"x\"] [na|hidden] [na|data-a][o|=][s|b][p|>]Hi [ni|&amp;] "
     "[ni|&#169;] [p|<][nt|b][p|>]x[p|</][nt|b][p|></][nt|p][p|>]\n"
     "[p|<][nt|script][p|>][kd|var] [nx|x] [o|=] [mi|1] [o|<] [mi|2][p|;</][nt|script][p|>]\n"
     "[p|<][nt|style][p|>][nt|p] [p|{] [k|color][p|:] [kc|red] [p|}</][nt|style][p|>]\n"
     "[p|<][nt|img] [na|src][o|=][s|'a.png'] [na|alt][o|=][s|\"a &lt; b\"][p|/>]\n"},
    {"xml",
     "<?xml version=\"1.0\"?>\n"
     "<!DOCTYPE x>\n"
     "<!-- c -->\n"
     "<a:b x=\"1\" y = '2'>t &amp; <![CDATA[<x>]]></a:b>\n"
     "<c/>\n",
     "[cp|<?xml version=\"1.0\"?>]\n"
     "[cp|<!DOCTYPE x>]\n"
     "[cm|<!-- c -->]\n"
     "[nt|<a:b] [na|x=][s|\"1\"] [na|y =] [s|'2'][nt|>]t [ni|&amp;] "
     "[cp|<![CDATA[<x>]]>][nt|</a:b>]\n"
     "[nt|<c/>]\n"},
    {"django",
     "{% extends \"base.html\" %}\n"
     "{# c #}\n"
     "{% block title %}{{ page.title|upper|default:\"x\" }}{% endblock %}\n"
     "<p class=\"{{ c }}\">{% if a and not b %}{{ forloop.counter }}{% endif %}</p>\n"
     "{% comment %}hid <b>{% endcomment %}\n"
     "{%- for x in items -%}{{ x.name }}{% empty %}none{% endfor %}\n",
     "[cp|{%] [k|extends] [s2|\"base.html\"] [cp|%}]\n"
     "[c|{# c #}]\n"
     "[cp|{%] [k|block] [nv|title] [cp|%}{{] "
     "[nv|page.title][o||][nf|upper][o||][nf|default][s2|:\"x\"] [cp|}}{%] [k|endblock] [cp|%}]\n"
     "[p|<][nt|p] [na|class][o|=][s|\"][cp|{{] [nv|c] [cp|}}][s|\"][p|>][cp|{%] [k|if] [nv|a] "
     "[k|and] [k|not] [nv|b] [cp|%}{{] [nb|forloop][nv|.counter] [cp|}}{%] [k|endif] "
     "[cp|%}][p|</][nt|p][p|>]\n"
     "[cp|{%] [k|comment] [cp|%}][c|hid <b>][cp|{%] [k|endcomment] [cp|%}]\n"
     "[cp|{%]- [k|for] [nv|x] [k|in] [nv|items] -[cp|%}{{] [nv|x.name] [cp|}}{%] [k|empty] "
     "[cp|%}]none[cp|{%] [k|endfor] [cp|%}]\n"},
    {"css",
     "@import url(\"a.css\");\n"
     "@media (max-width: 600px) {\n"
     "  .a > #b:hover::before, a[href^=\"x\"] { margin: 0 auto !important; color: #fff; }\n"
     "  p { width: calc(100% - 2.5em); font-family: \"Foo\", sans-serif; --my-var: 3px; "
     "background: url(img.png); }\n"
     "}\n"
     "/* c */\n"
     ":root { --x: 1; }\n",
     "[p|@][k|import] [nb|url][p|(][s2|\"a.css\"][p|);]\n"
     "[p|@][k|media] [p|(][n|max-width][p|:] [mi|600][kt|px][p|)] [p|{]\n"
     "  [p|.][nc|a] [o|>] [p|#][nn|b][p|:][nd|hover][p|::][nd|before][o|,] "
     "[nt|a][o|[][na|href][o|^=][s2|\"x\"][o|]] [p|{] [k|margin][p|:] [mi|0] [kc|auto] "
     "[cp|!important][p|;] [k|color][p|:] [mh|#fff][p|;] [p|}]\n"
     "  [nt|p] [p|{] [k|width][p|:] [nb|calc][p|(][mi|100][kt|%] [o|-] [mf|2.5][kt|em][p|);] "
     "[k|font-family][p|:] [s2|\"Foo\"][p|,] [kc|sans-serif][p|;] [nv|--my-var][p|:] "
     "[mi|3][kt|px][p|;] [k|background][p|:] [nb|url][p|(][s|img.png][p|);] [p|}]\n"
     "[p|}]\n"
     "[c|/* c */]\n"
     "[p|:][nd|root] [p|{] [nv|--x][p|:] [mi|1][p|;] [p|}]\n"},
    {"js",
     "// c\n"
     "import { a } from \"b\";\n"
     "const re = /ab+c/gi, t = `x ${y + `n${z}`} z`;\n"
     "function f(a, b = 0x1F) { return a?.b ?? null; }\n"
     "class A extends B { constructor() { super(); this.x = new Map(); } }\n"
     "let n = 1.5e3, s = 's\\n'; /* m */ if (a / b > 2) {}\n"
     "console.log(typeof x === \"undefined\", 10n, x => x * 2);\n",
     "[c1|// c]\n"
     "[k|import] [p|{] [nx|a] [p|}] [kr|from] [s2|\"b\"][p|;]\n"
     "[kd|const] [nx|re] [o|=] [sr|/ab+c/gi][p|,] [nx|t] [o|=] [sb|`x ][si|${][nx|y] [o|+] "
     "[sb|`n][si|${][nx|z][si|}][sb|`][si|}][sb| z`][p|;]\n"
     "[kd|function] [nx|f][p|(][nx|a][p|,] [nx|b] [o|=] [mh|0x1F][p|)] [p|{] [k|return] "
     "[nx|a][o|?][p|.][nx|b] [o|??] [kc|null][p|;] [p|}]\n"
     "[kd|class] [nx|A] [k|extends] [nx|B] [p|{] [kr|constructor][p|()] [p|{] [k|super][p|();] "
     "[k|this][p|.][nx|x] [o|=] [ow|new] [nb|Map][p|();] [p|}] [p|}]\n"
     "[kd|let] [nx|n] [o|=] [mf|1.5e3][p|,] [nx|s] [o|=] [s1|'s][se|\\n][s1|'][p|;] [cm|/* m */] "
     "[k|if] [p|(][nx|a] [o|/] [nx|b] [o|>] [mi|2][p|)] [p|{}]\n"
     "[nb|console][p|.][nx|log][p|(][ow|typeof] [nx|x] [o|===] [s2|\"undefined\"][p|,] "
     "[mi|10n][p|,] [nx|x] [p|=>] [nx|x] [o|*] [mi|2][p|);]\n"},
    {"ts",
     "const greet = (name: string): void => {\n"
     "  console.log(`hi ${name}`);\n"
     "};\n"
     "interface P { x: number }\n",
     "[kd|const] [nx|greet] [o|=] [p|(][nx|name][o|:] [kt|string][p|)][o|:] [kt|void] [p|=>] "
     "[p|{]\n"
     "  [nb|console][p|.][nx|log][p|(][sb|`hi ][si|${][nx|name][si|}][sb|`][p|);]\n"
     "[p|};]\n"
     "[kd|interface] [nx|P] [p|{] [nx|x][o|:] [kt|number] [p|}]\n"},
    {"json", "{\"a\": 1, \"b\": [true, false, null, -2.5e3], \"c\": {\"d\": \"e\\\"f\"}}\n",
     "[p|{][nt|\"a\"][p|:] [mi|1][p|,] [nt|\"b\"][p|:] [p|[][kc|true][p|,] [kc|false][p|,] "
     "[kc|null][p|,] [mf|-2.5e3][p|],] [nt|\"c\"][p|:] [p|{][nt|\"d\"][p|:] "
     "[s2|\"e\\\"f\"][p|}}]\n"},
    {"yaml",
     "---\n"
     "# c\n"
     "key: value # tail\n"
     "num: 12\n"
     "f: 1.5\n"
     "b: true\n"
     "n: null\n"
     "s: \"dq\\n\"\n"
     "t: 'sq'\n"
     "list:\n"
     "  - a\n"
     "  - {x: 1, y: [2, 3]}\n"
     "anchor: &a !!str x\n"
     "ref: *a\n"
     "block: |\n"
     "  line one\n"
     "  line two\n"
     "next: >-\n"
     "  folded\n"
     "\"quoted key\": 1\n"
     "url: http://x.org/a:b\n"
     "...\n",
     "[nn|---]\n"
     "[c1|# c]\n"
     "[nt|key][p|:] [l|value] [c1|# tail]\n"
     "[nt|num][p|:] [mi|12]\n"
     "[nt|f][p|:] [mf|1.5]\n"
     "[nt|b][p|:] [kc|true]\n"
     "[nt|n][p|:] [kc|null]\n"
     "[nt|s][p|:] [s2|\"dq][se|\\n][s2|\"]\n"
     "[nt|t][p|:] [s1|'sq']\n"
     "[nt|list][p|:]\n"
     "  [p|-] [l|a]\n"
     "  [p|-] [p|{][nt|x][p|:] [mi|1][p|,] [nt|y][p|:] [p|[][mi|2][p|,] [mi|3][p|]}]\n"
     "[nt|anchor][p|:] [nl|&a] [kt|!!str] [l|x]\n"
     "[nt|ref][p|:] [nv|*a]\n"
     "[nt|block][p|:] [p||]\n"
     "  [sd|line one]\n"
     "  [sd|line two]\n"
     "[nt|next][p|:] [p|>-]\n"
     "  [sd|folded]\n"
     "[nt|\"quoted key\"][p|:] [mi|1]\n"
     "[nt|url][p|:] [l|http://x.org/a:b]\n"
     "[nn|...]\n"},
    {"toml",
     "# c\n"
     "[server]\n"
     "host = \"x\" # t\n"
     "port = 8080\n"
     "ratio = 0.5\n"
     "on = true\n"
     "list = [1, \"a\", 0xff]\n"
     "[[arr.y]]\n"
     "d = 1979-05-27T07:32:00Z\n"
     "k.sub = 'lit'\n"
     "t = { a = 1, b = \"x\" }\n"
     "m = \"\"\"\n"
     "multi\"\"\"\n",
     "[c1|# c]\n"
     "[k|[server]]\n"
     "[n|host] [o|=] [s|\"x\"] [c1|# t]\n"
     "[n|port] [o|=] [mi|8080]\n"
     "[n|ratio] [o|=] [mf|0.5]\n"
     "[n|on] [o|=] [kc|true]\n"
     "[n|list] [o|=] [p|[][mi|1][p|,] [s|\"a\"][p|,] [mh|0xff][p|]]\n"
     "[k|[[arr.y]]]\n"
     "[n|d] [o|=] [ld|1979-05-27T07:32:00Z]\n"
     "[n|k][p|.][n|sub] [o|=] [s|'lit']\n"
     "[n|t] [o|=] [p|{] [n|a] [o|=] [mi|1][p|,] [n|b] [o|=] [s|\"x\"] [p|}]\n"
     "[n|m] [o|=] [s|\"\"\"\n"
     "multi\"\"\"]\n"},
    {"ini",
     "; c\n"
     "[sec]\n"
     "key = value ; x\n"
     "k2: v2\n"
     "# h\n"
     "flag\n",
     "[c1|; c]\n"
     "[k|[sec]]\n"
     "[na|key] [o|=] [s|value] [c1|; x]\n"
     "[na|k2][o|:] [s|v2]\n"
     "[c1|# h]\n"
     "[na|flag]\n"},
    {"c",
     "#include <stdio.h>\n"
     "#define MAX(a, b) ((a) > (b) ? (a) : (b)) // m\n"
     "static const char *s = L\"x\\n\";\n"
     "int\n"
     "main(int argc, char **argv)\n"
     "{\n"
     "    size_t n = 0x1Fu + 017 + 1.5e-3f;\n"
     "    if (n) printf(\"%d\\n\", argc); /* c */\n"
     "    return NULL == 0 ? true : 'a';\n"
     "}\n",
     "[cp|#include] [cpf|<stdio.h>]\n"
     "[cp|#define MAX(a, b) ((a) > (b) ? (a) : (b)) ][c1|// m]\n"
     "[k|static] [k|const] [kt|char] [o|*][n|s] [o|=] [sa|L][s|\"x][se|\\n][s|\"][p|;]\n"
     "[kt|int]\n"
     "[nf|main][p|(][kt|int] [n|argc][p|,] [kt|char] [o|**][n|argv][p|)]\n"
     "[p|{]\n"
     "    [kt|size_t] [n|n] [o|=] [mh|0x1Fu] [o|+] [mo|017] [o|+] [mf|1.5e-3f][p|;]\n"
     "    [k|if] [p|(][n|n][p|)] [n|printf][p|(][s|\"%d][se|\\n][s|\"][p|,] [n|argc][p|);] [cm|/* "
     "c */]\n"
     "    [k|return] [nb|NULL] [o|==] [mi|0] [o|?] [nb|true] [o|:] [sc|'a'][p|;]\n"
     "[p|}]\n"},
    {"cpp",
     "template <typename T>\n"
     "class A : public B {\n"
     "  auto s = R\"(raw \\n)\";\n"
     "  int n = 1'000;\n"
     "};\n",
     "[k|template] [o|<][k|typename] [n|T][o|>]\n"
     "[k|class] [nc|A] [o|:] [k|public] [n|B] [p|{]\n"
     "  [k|auto] [n|s] [o|=] [sa|R][s|\"(raw \\n)\"][p|;]\n"
     "  [kt|int] [n|n] [o|=] [mi|1'000][p|;]\n"
     "[p|};]\n"},
    {"go",
     "package main\n"
     "\n"
     "import (\n"
     "\t\"fmt\"\n"
     ")\n"
     "\n"
     "type T struct{ x int }\n"
     "\n"
     "func (t *T) Run(a []string) error {\n"
     "\tvar c = make(chan int, 2)\n"
     "\tfmt.Println(`raw`, 'x', 1e3, nil)\n"
     "\treturn nil\n"
     "}\n",
     "[kn|package] [nx|main]\n"
     "\n"
     "[kn|import] [p|(]\n"
     "\t[s|\"fmt\"]\n"
     "[p|)]\n"
     "\n"
     "[kd|type] [nx|T] [kd|struct][p|{] [nx|x] [kt|int] [p|}]\n"
     "\n"
     "[kd|func] [p|(][nx|t] [o|*][nx|T][p|)] [nf|Run][p|(][nx|a] [p|[]][kt|string][p|)] [kt|error] "
     "[p|{]\n"
     "\t[kd|var] [nx|c] [o|=] [nb|make][p|(][kd|chan] [kt|int][p|,] [mi|2][p|)]\n"
     "\t[nx|fmt][p|.][nx|Println][p|(][s|`raw`][p|,] [sc|'x'][p|,] [mf|1e3][p|,] [kc|nil][p|)]\n"
     "\t[k|return] [kc|nil]\n"
     "[p|}]\n"},
    {"rust",
     "#[derive(Debug, Clone)]\n"
     "pub struct P<'a> { x: &'a str }\n"
     "/// doc\n"
     "fn main() -> Result<(), Box<dyn Error>> {\n"
     "    let mut v: Vec<u8> = vec![1u8, 0xff];\n"
     "    println!(\"{} {}\", self.x, r#\"raw\"#);\n"
     "    let c = '\\n'; // c\n"
     "    /* a /* b */ c */\n"
     "    Ok(())\n"
     "}\n"
     "impl<T> Trait for S<T> where T: Copy {}\n"
     "use std::io::{self, Read};\n"
     "mod m;\n",
     "[cp|#[derive(Debug, Clone)]]\n"
     "[k|pub] [k|struct] [nc|P][o|<][nl|'a][o|>] [p|{] [n|x][o|:] [o|&][nl|'a] [kt|str] [p|}]\n"
     "[sd|/// doc]\n"
     "[k|fn] [nf|main][p|()] [o|->] [nb|Result][o|<][p|(),] [nb|Box][o|<][k|dyn] [n|Error][o|>>] "
     "[p|{]\n"
     "    [kd|let] [k|mut] [n|v][o|:] [nb|Vec][o|<][kt|u8][o|>] [o|=] [fm|vec!][p|[][mi|1u8][p|,] "
     "[mh|0xff][p|];]\n"
     "    [fm|println!][p|(][s|\"{} {}\"][p|,] [bp|self][p|.][n|x][p|,] [sa|r][s|#\"raw\"#][p|);]\n"
     "    [kd|let] [n|c] [o|=] [sc|'][se|\\n][sc|'][p|;] [c1|// c]\n"
     "    [cm|/* a /* b */ c */]\n"
     "    [nb|Ok][p|(())]\n"
     "[p|}]\n"
     "[k|impl][o|<][n|T][o|>] [n|Trait] [k|for] [n|S][o|<][n|T][o|>] [k|where] [n|T][o|:] "
     "[nb|Copy] [p|{}]\n"
     "[k|use] [n|std][o|::][n|io][o|::][p|{][bp|self][p|,] [n|Read][p|};]\n"
     "[k|mod] [nn|m][p|;]\n"},
    {"sql",
     "-- c\n"
     "SELECT a.id, COUNT(*) AS n FROM users a\n"
     "WHERE a.name = 'O''Brien' AND a.age >= 18.5 /* m */\n"
     "GROUP BY a.id ORDER BY n DESC LIMIT 10;\n"
     "CREATE TABLE t (id INTEGER PRIMARY KEY, s VARCHAR(20) NOT NULL);\n",
     "[c1|-- c]\n"
     "[k|SELECT] [n|a][p|.][n|id][p|,] [n|COUNT][p|(][o|*][p|)] [k|AS] [n|n] [k|FROM] [n|users] "
     "[n|a]\n"
     "[k|WHERE] [n|a][p|.][n|name] [o|=] [s1|'O''Brien'] [k|AND] [n|a][p|.][n|age] [o|>=] "
     "[mf|18.5] [cm|/* m */]\n"
     "[k|GROUP] [k|BY] [n|a][p|.][n|id] [k|ORDER] [k|BY] [n|n] [k|DESC] [k|LIMIT] [mi|10][p|;]\n"
     "[k|CREATE] [k|TABLE] [n|t] [p|(][n|id] [nb|INTEGER] [k|PRIMARY] [k|KEY][p|,] [n|s] "
     "[nb|VARCHAR][p|(][mi|20][p|)] [k|NOT] [k|NULL][p|);]\n"},
    {"diff",
     "diff --git a/x b/x\n"
     "index 1..2 100644\n"
     "--- a/x\n"
     "+++ b/x\n"
     "@@ -1,2 +1,2 @@\n"
     " ctx\n"
     "-old\n"
     "+new\n"
     "\\ No newline\n",
     "[gh|diff --git a/x b/x]\n"
     "[gh|index 1..2 100644]\n"
     "[gd|--- a/x]\n"
     "[gi|+++ b/x]\n"
     "[gu|@@ -1,2 +1,2 @@]\n"
     " ctx\n"
     "[gd|-old]\n"
     "[gi|+new]\n"
     "\\ No newline\n"},
    {"nginx",
     "server {\n"
     "    listen 80 default_server;\n"
     "    server_name example.org;\n"
     "    location ~* \\.(css|js)$ {\n"
     "        root /var/www;\n"
     "        gzip on;\n"
     "        expires 30d;\n"
     "        add_header X-A \"v\";\n"
     "        proxy_pass http://127.0.0.1:8080;\n"
     "        set $x 1;\n"
     "    }\n"
     "}\n"
     "include /etc/nginx/mime.types;\n",
     "[k|server] [p|{]\n"
     "    [kn|listen] [mi|80] [s|default_server][p|;]\n"
     "    [kn|server_name] [s|example.org][p|;]\n"
     "    [kn|location] [p|~*] [sr|\\.(css|js)$] [p|{]\n"
     "        [kn|root] [s|/var/www][p|;]\n"
     "        [kn|gzip] [no|on][p|;]\n"
     "        [kn|expires] [mi|30d][p|;]\n"
     "        [kn|add_header] [s|X-A] [s2|\"v\"][p|;]\n"
     "        [kn|proxy_pass] [s|http://127.0.0.1:8080][p|;]\n"
     "        [kn|set] [nv|$x] [mi|1][p|;]\n"
     "    [p|}]\n"
     "[p|}]\n"
     "[k|include] [n|/etc/nginx/mime.types][p|;]\n"},
    {"docker",
     "# syntax=docker/dockerfile:1\n"
     "FROM debian:12 AS build\n"
     "RUN apt-get update && \\\n"
     "    apt-get install -y gcc\n"
     "ENV A=1 B=\"2\"\n"
     "COPY --from=build /a /b\n"
     "CMD [\"./app\", \"-v\"]\n"
     "EXPOSE 8080\n",
     "[c|# syntax=docker/dockerfile:1]\n"
     "[k|FROM] [s|debian:12] [k|AS] [s|build]\n"
     "[k|RUN] apt-get update [o|&&] [se|\\\n"
     "]    apt-get install -y gcc\n"
     "[k|ENV] [nv|A][o|=][m|1] [nv|B][o|=][s2|\"2\"]\n"
     "[k|COPY] --from[o|=]build /a /b\n"
     "[k|CMD] [p|[][s2|\"./app\"][p|,] [s2|\"-v\"][p|]]\n"
     "[k|EXPOSE] [s|8080]\n"},
    {"make",
     "CC ?= cc\n"
     "SRC := $(wildcard *.c)\n"
     "# c\n"
     ".PHONY: all\n"
     "all: bin/x $(OBJ)\n"
     "\t$(CC) -o $@ $^ # build\n"
     "\t@echo \"done $$HOME\"\n"
     "include dep.mk\n"
     "ifeq ($(X),1)\n"
     "endif\n",
     "[nv|CC] [o|?=] cc\n"
     "[nv|SRC] [o|:=] [k|$(][nv|wildcard] *[nv|.c][k|)]\n"
     "[c|# c]\n"
     "[nf|.PHONY][o|:] [n|all]\n"
     "[nf|all][o|:] [n|bin/x] [k|$(][nv|OBJ][k|)]\n"
     "\t[k|$(]CC[k|)] -o [nv|$@] $^ [c1|# build]\n"
     "\t@echo [s2|\"done ][nv|$$][s2|HOME\"]\n"
     "[k|include] dep.mk\n"
     "[k|ifeq] ([k|$(][nv|X][k|)],1)\n"
     "[k|endif]\n"},
};

static void
test_golden_tokens(void **state)
{
    for (size_t i = 0; i < N_OF(goldens); i++) {
        const struct golden *g = &goldens[i];
        assert_true(hl_known(g->lang));
        buf b = BUF_INIT;
        show_tokens(&b, g->lang, g->src, strlen(g->src));
        if (strcmp(buf_cstr(&b), g->want) != 0) {
            print_error("%s:\n got \"%s\"\nwant \"%s\"\n", g->lang, buf_cstr(&b), g->want);
            buf_free(&b);
            fail();
        }
        buf_free(&b);
        assert_lossless(g->lang, g->src, strlen(g->src));
    }
}

/* Each golden's language, on every other golden: no lexer depends on
 * getting its own syntax. */
static void
test_every_lexer_on_every_snippet(void **state)
{
    for (size_t l = 0; l < N_OF(all_langs); l++)
        for (size_t i = 0; i < N_OF(goldens); i++)
            assert_lossless(all_langs[l], goldens[i].src, strlen(goldens[i].src));
}

/*
 * Inputs that once broke a lexer (found by fuzz/fuzz_highlight).  Under
 * SANITIZE=1 each would be an out-of-bounds read again.
 */
static void
test_regressions(void **state)
{
    static const struct {
        const char *lang, *src;
        size_t n;
    } cases[] = {
        /* a NUL after a keyword: word lists compared past their end */
        {"bash", "then :; fi\0=y", 14},
        {"sql", "select\0x", 8},
        {"python", "def\0", 4},
        {"c", "int\0\0", 5},
    };
    for (size_t i = 0; i < N_OF(cases); i++)
        for (size_t l = 0; l < N_OF(all_langs); l++)
            assert_lossless(all_langs[l], cases[i].src, cases[i].n);
    assert_lossless(cases[0].lang, cases[0].src, cases[0].n);
}

/* ---- the property test ---- */

static uint64_t rng_state;

static uint32_t
rng(void)
{
    /* xorshift64*: deterministic, so a failing input can be rebuilt */
    rng_state ^= rng_state >> 12;
    rng_state ^= rng_state << 25;
    rng_state ^= rng_state >> 27;
    return (uint32_t)((rng_state * 2685821657736338717ull) >> 32);
}

/* Pieces that open, close and nest the constructs of every language. */
static const char *const pieces[] = {
    "\"",
    "'",
    "`",
    "\"\"\"",
    "'''",
    "{",
    "}",
    "{{",
    "}}",
    "{%",
    "%}",
    "{#",
    "#}",
    "$(",
    "$((",
    "))",
    "${",
    "<<EOF\n",
    "<<-'X'\n",
    "EOF\n",
    "\tX\n",
    "\\",
    "\n",
    "\r\n",
    "\t",
    " ",
    "#",
    "//",
    "/*",
    "*/",
    "<!--",
    "-->",
    "<",
    "</",
    ">",
    "<script>",
    "</script>",
    "<style>",
    "</style>",
    "<a href=",
    "f'",
    "f\"{",
    "rb'",
    "r#\"",
    "\"#",
    "'a",
    "'\\n'",
    "/re/g",
    "/[",
    "%s",
    "{0}",
    "&amp;",
    "&",
    "\t$(CC) -o $@",
    "x",
    "if",
    "def f",
    "class C",
    "fn ",
    "func ",
    "0x1F",
    "1.5e3",
    "1_000",
    "-",
    "--",
    "---\n",
    "...\n",
    "@",
    "*",
    "!",
    "|",
    ":",
    "- ",
    ": ",
    "? ",
    "[",
    "]",
    "[[",
    "(",
    ")",
    ";",
    "=",
    ":=",
    "\xff",
    "\xc3\xa9",
    "\xe2\x80",
    ">>> ",
    "... ",
    "$ ",
    "# ",
    "user@h:~$ ",
    "\\\n",
    "#include <a.h>\n",
    "#[derive(X)]",
    "/// d\n",
    "@media x {",
    "a { b: c }",
    "!important",
    "{% comment %}",
    "{% endcomment %}",
    "{% raw %}",
    "RUN ",
    "FROM x AS y\n",
    "server {",
    "location ~ ^/x {",
    "key: |\n  ",
    "&a ",
    "*a",
    "!!str",
    "[sec]\n",
    "k = v\n",
    "+++ b\n",
    "@@ -1 +1 @@\n",
    "SELECT ",
    "'it''s'",
    "-- c\n",
    "Traceback (most recent call last):\n",
    "E: x\n",
    "${x:-y}",
    "`a ${b} c`",
    "=>",
    "...",
    "<?xml?>",
    "<![CDATA[",
    "]]>",
    "<!DOCTYPE html>",
    "{{ x|f:\"a\" }}",
};

/* Random bytes, random pieces, or a mutated golden snippet. */
static void
random_input(buf *b)
{
    buf_reset(b);
    uint32_t kind = rng() % 4, len = rng() % 160;
    if (kind == 0) {
        for (uint32_t i = 0; i < len; i++)
            buf_putc(b, (int)(rng() & 0xff));
    } else if (kind == 1) {
        for (uint32_t i = 0; i < len / 3; i++)
            buf_puts(b, pieces[rng() % N_OF(pieces)]);
    } else {
        const char *g = goldens[rng() % N_OF(goldens)].src;
        size_t gn = strlen(g);
        buf_put(b, g, gn);
        for (uint32_t m = rng() % 6 + 1; m > 0 && b->len > 0; m--) {
            size_t at = rng() % b->len;
            switch (rng() % 5) {
            case 0: b->data[at] = (char)(rng() & 0xff); break; /* flip */
            case 1: b->len = at; break;                        /* truncate */
            case 2: memmove(b->data + at, b->data + at + 1, b->len - at - 1), b->len--; break;
            default: { /* insert a piece */
                const char *pc = pieces[rng() % N_OF(pieces)];
                buf tail = BUF_INIT;
                buf_put(&tail, b->data + at, b->len - at);
                b->len = at;
                buf_puts(b, pc);
                buf_put(b, tail.data, tail.len);
                buf_free(&tail);
            }
            }
        }
    }
}

static void
test_lossless_property(void **state)
{
    enum { PER_LANG = 3000 };
    buf b = BUF_INIT;
    for (size_t l = 0; l < N_OF(all_langs); l++) {
        rng_state = 0x9E3779B97F4A7C15ull ^ (l + 1);
        for (int i = 0; i < PER_LANG; i++) {
            random_input(&b);
            assert_lossless(all_langs[l], b.data ? b.data : "", b.len);
        }
    }
    buf_free(&b);
}

/* ---- time: unclosed constructs repeated ---- */

static void
test_linear_time(void **state)
{
    static const char *const bad[] = {
        "<",         "<a ",    "<!",       "$(",         "\"$(",    "${",
        "`${",       "f'{",    "f\"{f\"{", "/[ ",        "{%",      "{% comment %}",
        "{{",        "'",      "\"",       "#[",         "/*",      "(",
        "[",         "{",      "- [",      "a: |\n",     "<<EOF\n", "$((",
        ">>> '''\n", "$ \\\n", "r#\"",     "x = \"\"\"", "@media{", "0x",
        "\\",        ":"};
    enum { SIZE = 1 << 17 };
    for (size_t l = 0; l < N_OF(all_langs); l++) {
        buf b = BUF_INIT;
        for (size_t k = 0; b.len < SIZE * N_OF(bad) / 8; k = (k + 1) % N_OF(bad))
            for (size_t m = 0; m < 512; m++)
                buf_puts(&b, bad[k]);
        clock_t t0 = clock();
        hl_token *t;
        hl_tokens(all_langs[l], b.data, b.len, &t);
        free(t);
        double secs = (double)(clock() - t0) / CLOCKS_PER_SEC;
        /* linear: well under a second even under the sanitizers; a
         * quadratic lexer takes minutes here */
        if (secs > 10) fail_msg("%s: %.1f s for %zu bytes", all_langs[l], secs, b.len);
        buf_free(&b);
    }
}

/* ---- the HTML ---- */

static void
check_block(const char *lang, const char *code, const hl_opts *o, const char *want)
{
    buf b = BUF_INIT;
    char *p = test_copy(code, strlen(code));
    hl_html(&b, lang, p, strlen(code), o);
    free(p);
    if (strcmp(buf_cstr(&b), want) != 0) {
        print_error("%s \"%s\":\n got \"%s\"\nwant \"%s\"\n", lang ? lang : "(null)", code,
                    buf_cstr(&b), want);
        buf_free(&b);
        fail();
    }
    buf_free(&b);
}

#define PRE     "<div class=\"highlight\"><pre tabindex=\"0\" class=\"chroma\">"
#define CODE    PRE "<code>"
#define END     "</code></pre></div>"
#define LANG(x) PRE "<code class=\"language-" x "\" data-lang=\"" x "\">"

static void
test_html_plain(void **state)
{
    /* unknown, NULL and empty languages: escaped plain text */
    check_block("nosuch", "a < b && c > \"d\" 'e'\n", NULL,
                LANG("nosuch") "a &lt; b &amp;&amp; c &gt; &quot;d&quot; &#x27;e&#x27;\n" END);
    check_block(NULL, "<b>\n", NULL, CODE "&lt;b&gt;\n" END);
    check_block("", "<b>\n", NULL, CODE "&lt;b&gt;\n" END);
    check_block("text", "<b>\n", NULL, LANG("text") "&lt;b&gt;\n" END);
    check_block("python", "", NULL, LANG("python") END);
    /* the name keeps [A-Za-z0-9_+-] only, so it stays one attribute */
    check_block("c++", "x", NULL, LANG("c++") "<span class=\"n\">x</span>" END);
    check_block("a\"b c<d>&e/f", "x", NULL, LANG("abcdef") "x" END);
    check_block("\"<>", "x", NULL, CODE "x" END);
    /* an unknown language is one plain token */
    hl_token *t;
    assert_int_equal(hl_tokens("nosuch", "a\nb", 3, &t), 1);
    assert_string_equal(t[0].cls, "");
    assert_int_equal(t[0].off, 0);
    assert_int_equal(t[0].len, 3);
    free(t);
    assert_int_equal(hl_tokens(NULL, "abc", 3, &t), 1);
    free(t);
    assert_int_equal(hl_tokens("python", "", 0, &t), 0);
    free(t);
}

static void
test_html_escapes_inside_tokens(void **state)
{
    check_block("html", "<a href=\"x&y\">&amp;</a>", NULL,
                LANG("html") "<span class=\"p\">&lt;</span><span class=\"nt\">a</span> "
                             "<span class=\"na\">href</span><span class=\"o\">=</span>"
                             "<span class=\"s\">&quot;x&amp;y&quot;</span>"
                             "<span class=\"p\">&gt;</span><span class=\"ni\">&amp;amp;</span>"
                             "<span class=\"p\">&lt;/</span><span class=\"nt\">a</span>"
                             "<span class=\"p\">&gt;</span>" END);
    check_block("c", "a<b&&'&'", NULL,
                LANG("c") "<span class=\"n\">a</span><span class=\"o\">&lt;</span>"
                          "<span class=\"n\">b</span><span class=\"o\">&amp;&amp;</span>"
                          "<span class=\"sc\">&#x27;&amp;&#x27;</span>" END);
}

static void
test_html_lines(void **state)
{
    hl_opts nums = {true, NULL, 0, 0};
    /* a comment over three lines is cut at each newline */
    check_block("c", "/* a\nb\n*/ x;\n", &nums,
                LANG("c") "<span class=\"line\"><span class=\"ln\">1</span><span class=\"cl\">"
                          "<span class=\"cm\">/* a\n</span></span></span>"
                          "<span class=\"line\"><span class=\"ln\">2</span><span class=\"cl\">"
                          "<span class=\"cm\">b\n</span></span></span>"
                          "<span class=\"line\"><span class=\"ln\">3</span><span class=\"cl\">"
                          "<span class=\"cm\">*/</span> <span class=\"n\">x</span>"
                          "<span class=\"p\">;</span>\n</span></span>" END);
    /* no final newline; numbers from linenostart, padded to one width */
    hl_opts from9 = {true, NULL, 0, 9};
    check_block(NULL, "a\nb", &from9,
                CODE "<span class=\"line\"><span class=\"ln\"> 9</span><span class=\"cl\">a\n"
                     "</span></span><span class=\"line\"><span class=\"ln\">10</span>"
                     "<span class=\"cl\">b</span></span>" END);
    /* marked lines, with and without numbers; marks past the end ignored */
    int marks[] = {2, 0, -1, 99, 2};
    hl_opts hl = {false, marks, N_OF(marks), 0};
    check_block(NULL, "a\nb\nc\n", &hl,
                CODE "<span class=\"line\"><span class=\"cl\">a\n</span></span>"
                     "<span class=\"line hl\"><span class=\"cl\">b\n</span></span>"
                     "<span class=\"line\"><span class=\"cl\">c\n</span></span>" END);
    hl.linenos = true;
    hl.linenostart = 5;
    check_block("sh", "a\n# b\n", &hl,
                LANG("sh") "<span class=\"line\"><span class=\"ln\">5</span><span class=\"cl\">a\n"
                           "</span></span><span class=\"line hl\"><span class=\"ln\">6</span>"
                           "<span class=\"cl\"><span class=\"c1\"># b</span>\n</span></span>" END);
    /* empty lines keep their line */
    check_block(NULL, "\n\n", &nums,
                CODE "<span class=\"line\"><span class=\"ln\">1</span><span class=\"cl\">\n"
                     "</span></span><span class=\"line\"><span class=\"ln\">2</span>"
                     "<span class=\"cl\">\n</span></span>" END);
    check_block(NULL, "", &nums, CODE END);
}

/* ---- Hugo's options ---- */

static void
check_opts(const char *s, const char *code, bool linenos, int start, const char *lines)
{
    hl_opts o = {false, NULL, 0, 0};
    int *v;
    hl_parse_opts(s, strlen(s), code, strlen(code), &o, &v, NULL);
    buf b = BUF_INIT;
    for (size_t i = 0; i < o.nhl_lines; i++)
        buf_printf(&b, "%s%d", i ? " " : "", o.hl_lines[i]);
    if (o.linenos != linenos || o.linenostart != start || strcmp(buf_cstr(&b), lines) != 0)
        fail_msg("\"%s\": linenos %d start %d lines \"%s\"; want %d %d \"%s\"", s, o.linenos,
                 o.linenostart, buf_cstr(&b), linenos, start, lines);
    assert_ptr_equal(o.hl_lines, v);
    free(v);
    buf_free(&b);
}

static void
test_parse_opts(void **state)
{
    const char *ten = "1\n2\n3\n4\n5\n6\n7\n8\n9\n10\n";
    check_opts("{linenos=true,hl_lines=[2,\"4-5\"]}", ten, true, 0, "2 4 5");
    check_opts("linenos=table,hl_lines=8 3-4,linenostart=199", ten, true, 199, "3 4 8");
    check_opts("linenos=inline hl_lines=\"1 9-20\"", ten, true, 0, "1 9 10");
    check_opts("{linenos=false, hl_lines=[5-3, 0, 11]}", ten, false, 0, "");
    check_opts("{.python linenos=true}", ten, true, 0, "");
    check_opts("hl_lines=1-1000000000 1-1000000000", ten, false, 0, "1 2 3 4 5 6 7 8 9 10");
    check_opts("title=\"a=b\",other=[1,2],linenostart=x", ten, false, 0, "");
    check_opts("", ten, false, 0, "");
    check_opts("hl_lines=2", "", false, 0, "");
    hl_opts o = {false, NULL, 0, 0};
    int *v = (int *)&o;
    hl_parse_opts(NULL, 0, NULL, 0, &o, &v, NULL);
    assert_null(v);
}

/* ---- languages and aliases ---- */

static void
test_known(void **state)
{
    static const char *const yes[] = {
        "python", "py",      "Python",        "pycon",       "bash",       "sh",         "shell",
        "zsh",    "console", "shell-session", "html",        "HTML",       "xml",        "django",
        "jinja",  "jinja2",  "htmldjango",    "html+django", "css",        "javascript", "js",
        "json",   "yaml",    "yml",           "toml",        "ini",        "cfg",        "c",
        "h",      "cpp",     "c++",           "go",          "golang",     "rust",       "rs",
        "sql",    "diff",    "patch",         "nginx",       "dockerfile", "docker",     "makefile",
        "make",   "ts",      "typescript",    "text",        "plaintext"};
    for (size_t i = 0; i < N_OF(yes); i++)
        if (!hl_known(yes[i])) fail_msg("%s not known", yes[i]);
    assert_false(hl_known(NULL));
    assert_false(hl_known(""));
    assert_false(hl_known("brainfuck"));
    assert_false(hl_known("python "));
    assert_false(hl_known("pyth"));
}

/* ---- stylesheets ---- */

static double
channel(int v)
{
    double c = v / 255.0;
    return c <= 0.03928 ? c / 12.92 : pow((c + 0.055) / 1.055, 2.4);
}

static double
luminance(const char *hex)
{
    unsigned r, g, b;
    if (sscanf(hex, "#%2x%2x%2x", &r, &g, &b) != 3) fail_msg("bad colour %.7s", hex);
    return 0.2126 * channel((int)r) + 0.7152 * channel((int)g) + 0.0722 * channel((int)b);
}

static double
contrast(const char *a, const char *b)
{
    double x = luminance(a), y = luminance(b);
    return x > y ? (x + 0.05) / (y + 0.05) : (y + 0.05) / (x + 0.05);
}

/* The value of "prop: #xxxxxx" in rule (up to its '}'), or NULL. */
static const char *
colour(const char *rule, const char *prop)
{
    const char *end = strchr(rule, '}');
    for (const char *p = rule; (p = strstr(p, prop)) != NULL && p < end; p++)
        if ((p == rule || p[-1] == ' ' || p[-1] == '{') && p[strlen(prop)] == ':')
            return p + strlen(prop) + 2;
    return NULL;
}

/* Every colour of one style (a run of rules) against its backgrounds. */
static void
check_contrast(const char *css, const char *end, const char *style)
{
    const char *pre = strstr(css, ".chroma {");
    const char *hlr = strstr(css, ".chroma .hl {");
    assert_true(pre && pre < end && hlr && hlr < end);
    const char *bg = colour(pre, "background-color"), *hl = colour(hlr, "background-color");
    assert_non_null(bg);
    assert_non_null(hl);
    int checked = 0;
    for (const char *r = css; (r = strstr(r, ".chroma")) != NULL && r < end; r++) {
        const char *c = colour(r, "color");
        if (!c) continue;
        const char *own = colour(r, "background-color");
        const char *open = strchr(r, '{');
        double ratio = contrast(c, own ? own : bg);
        double on_hl = own ? ratio : contrast(c, hl);
        if (ratio < 4.5 || on_hl < 4.5)
            fail_msg("%s: %.40s: %.7s has contrast %.2f (%.2f on a marked line), below AA's 4.5",
                     style, r, c, ratio, on_hl);
        checked++;
        r = strchr(open, '}');
    }
    assert_true(checked > 20);
}

static void
test_css(void **state)
{
    buf light = BUF_INIT, dark = BUF_INIT, autob = BUF_INIT;
    assert_int_equal(hl_css(&light, "light"), 0);
    assert_int_equal(hl_css(&dark, "dark"), 0);
    assert_int_equal(hl_css(&autob, "auto"), 0);
    buf none = BUF_INIT;
    assert_int_equal(hl_css(&none, "sepia"), -1);
    assert_int_equal(hl_css(&none, NULL), -1);
    assert_int_equal(none.len, 0);
    check_contrast(light.data, light.data + light.len, "light");
    check_contrast(dark.data, dark.data + dark.len, "dark");
    const char *media = strstr(autob.data, "@media (prefers-color-scheme: dark) {");
    assert_non_null(media);
    check_contrast(autob.data, media, "auto, light");
    check_contrast(media, autob.data + autob.len, "auto, dark");
    /* every class the lexers give is styled, or meant to look like text */
    static const char *const unstyled[] = {"", "n", "nx", "nn", "o", "p"};
    for (size_t i = 0; i < N_OF(known_classes); i++) {
        bool skip = false;
        for (size_t k = 0; k < N_OF(unstyled); k++)
            skip |= strcmp(known_classes[i], unstyled[k]) == 0;
        if (skip) continue;
        buf sel = BUF_INIT;
        buf_printf(&sel, ".chroma .%s ", known_classes[i]);
        buf sel2 = BUF_INIT;
        buf_printf(&sel2, ".chroma .%s,", known_classes[i]);
        if (!strstr(light.data, sel.data) && !strstr(light.data, sel2.data))
            fail_msg("class %s has no style", known_classes[i]);
        buf_free(&sel);
        buf_free(&sel2);
    }
    /* the theme ships what hone gen-chroma-css writes */
    static const char *const shipped[][2] = {{"light", "themes/edge/static/css/chroma-light.css"},
                                             {"dark", "themes/edge/static/css/chroma-dark.css"},
                                             {"auto", "themes/edge/static/css/chroma-auto.css"}};
    for (size_t i = 0; i < N_OF(shipped); i++) {
        char *text;
        size_t len;
        if (fs_read_file(shipped[i][1], 1 << 20, &text, &len) != 0)
            fail_msg("cannot read %s (run the tests from the repository's top)", shipped[i][1]);
        buf b = BUF_INIT;
        hl_css(&b, shipped[i][0]);
        if (len != b.len || memcmp(text, b.data, len) != 0)
            fail_msg("%s is not what hone gen-chroma-css %s writes: regenerate it", shipped[i][1],
                     shipped[i][0]);
        free(text);
        buf_free(&b);
    }
    buf_free(&light);
    buf_free(&dark);
    buf_free(&autob);
    buf_free(&none);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_golden_tokens),
        cmocka_unit_test(test_every_lexer_on_every_snippet),
        cmocka_unit_test(test_regressions),
        cmocka_unit_test(test_lossless_property),
        cmocka_unit_test(test_linear_time),
        cmocka_unit_test(test_html_plain),
        cmocka_unit_test(test_html_escapes_inside_tokens),
        cmocka_unit_test(test_html_lines),
        cmocka_unit_test(test_parse_opts),
        cmocka_unit_test(test_known),
        cmocka_unit_test(test_css),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
