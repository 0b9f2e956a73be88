#!/usr/bin/env python3
"""bench/build/gen.py: a deterministic synthetic blog for hone and Hugo.

    gen.py N OUTDIR [--seed S] [--themes DIR]

writes OUTDIR/content/posts/*.md (N posts), OUTDIR/site.yaml (hone) and
OUTDIR/hugo.yaml (Hugo), and, with --themes, copies DIR/hone-theme and
DIR/hugo-theme into OUTDIR/themes/ (hone resolves its theme under the site
folder, so both themes travel with the corpus).

Each post: YAML front matter that both tools read the same way (title,
slug, date with a zone offset, 3-6 tags from a pool of 200, 1-2 categories
from 10, every 10th post in one of 20 series, description), and a body of
400-900 words: paragraphs with emphasis, strong, inline code and links,
h2/h3 headings, bullet and numbered lists, a fenced code block in about
40% of posts, a table in about 20%, a block quote in about 25%.  Words
come from a vocabulary of about 300 English words, so the text is not
natural language, but its Markdown is what blogs write.

Every post has its own random stream (seeded from the seed and its
number): post i has the same title, tags and body in every corpus, and
the same N and seed always give byte-identical files.  Post dates are
strictly increasing instants (no ties, so both tools order them alike)
spread over ten years whatever N, each written in one of 9 zone offsets.
"""
import json
import os
import random
import shutil
import sys
from datetime import datetime, timedelta, timezone

WORDS = """
the a of to and in is it that for on with as was be by this are or at from
an but not have has had they you we can will all one would there their what
so up out if about who get which go me when make like time just him know
take people into year your good some could them see other than then now
look only come its over think also back after use two how our work first
well way even new want because any these give day most us system data
server cache request latency memory thread queue build page template file
parser index table query disk network buffer process kernel compiler test
deploy release version config module function value error pointer string
array hash tree graph node edge batch stream lock mutex signal socket
packet route proxy client service storage backup schema migration column
row transaction commit branch merge review patch bug fix profile benchmark
metric trace log alert budget design pattern interface library framework
binary script shell command terminal editor browser render layout style
font image video audio upload download sync async event loop callback
promise future channel worker pool scheduler timer clock date zone offset
simple small large fast slow quick careful clean messy stable fragile
modern legacy old fresh shared local remote global private public static
dynamic lazy eager strict loose honest clever boring useful practical
really quite rather almost always never often sometimes usually again
still already perhaps maybe probably certainly clearly simply finally
""".split()

TOPICS = """
rust go python c postgres sqlite redis nginx linux debian docker kubernetes
terraform ansible git vim emacs bash zsh http tls dns tcp udp ipv6 wasm
javascript typescript react vue svelte css html markdown yaml json toml
graphql grpc rest kafka rabbitmq elasticsearch prometheus grafana systemd
cron make cmake bazel meson llvm gcc clang valgrind perf gdb lldb strace
""".split()

QUALIFIERS = """
testing performance security debugging profiling caching logging monitoring
deployment packaging tooling internals migration scaling observability
concurrency memory networking storage design
""".split()

# 200 tags: the 59 topics and 141 topic-qualifier pairs, chosen once by a fixed
# stream so the pool is the same for every N.
_pool_rng = random.Random(20240601)
_pairs = [f"{t}-{q}" for t in TOPICS for q in QUALIFIERS]
_pool_rng.shuffle(_pairs)
TAGS = list(TOPICS) + _pairs[: 200 - len(TOPICS)]
assert len(set(TAGS)) == 200, len(set(TAGS))

CATEGORIES = ["engineering", "operations", "databases", "web", "languages",
              "tools", "security", "performance", "culture", "tutorials"]

SERIES = [f"{a} {b}" for a, b in zip(
    ["Building", "Scaling", "Debugging", "Profiling", "Shipping",
     "Testing", "Securing", "Migrating", "Tuning", "Learning",
     "Writing", "Packaging", "Observing", "Caching", "Deploying",
     "Hardening", "Refactoring", "Measuring", "Automating", "Teaching"],
    ["a compiler", "Postgres", "the kernel", "Python", "a blog engine",
     "network code", "a web app", "to Rust", "nginx", "Go",
     "parsers", "Debian packages", "services", "HTTP", "containers",
     "TLS", "legacy C", "latency", "builds", "systems"])]

OFFSETS = [0, 0, 60, 120, 330, 540, -300, -420, -480]  # minutes east of UTC

LANGS = {
    "python": ["def {f}({a}):", "    {a} = {a} or []", "    for item in {a}:",
               "        if item.{b}:", "            return item", "    return None"],
    "c": ["static int", "{f}(const char *{a}, size_t n)", "{{",
          "    for (size_t i = 0; i < n; i++)", "        if ({a}[i] == '\\n') return (int)i;",
          "    return -1;", "}}"],
    "go": ["func {f}({a} []string) int {{", "\tn := 0", "\tfor _, s := range {a} {{",
           "\t\tif s != \"\" {{", "\t\t\tn++", "\t\t}}", "\t}}", "\treturn n", "}}"],
    "bash": ["set -euo pipefail", "for f in {a}/*.md; do", "    wc -w \"$f\"",
             "done | sort -n | tail -5"],
    "yaml": ["{a}:", "  {b}: true", "  limit: 20", "  paths:", "    - /var/lib/{a}"],
}


def words(r, n):
    return [r.choice(WORDS) for _ in range(n)]


def sentence(r, links):
    ws = words(r, r.randint(7, 18))
    # inline decorations, at most one or two per sentence
    k = r.random()
    if k < 0.10:
        i = r.randrange(len(ws))
        ws[i] = f"*{ws[i]}*"
    elif k < 0.16:
        i = r.randrange(len(ws))
        ws[i] = f"**{ws[i]}**"
    elif k < 0.24:
        i = r.randrange(len(ws))
        ws[i] = f"`{ws[i]}_{r.choice(WORDS)}()`"
    elif k < 0.32:
        i = r.randrange(len(ws) - 1)
        t = r.choice(TOPICS)
        ws[i] = f"[{ws[i]} {ws[i + 1]}](https://example.org/{t}/{r.choice(WORDS)}/)"
        del ws[i + 1]
        links[0] += 1
    elif k < 0.36:
        ws.insert(r.randrange(len(ws)), r.choice(["don't", "it's", "we're", "isn't", "that's"]))
    elif k < 0.38:
        i = r.randrange(len(ws))
        ws[i] = f'"{ws[i]}"'
    s = " ".join(ws)
    s = s[0].upper() + s[1:]
    return s + r.choice([".", ".", ".", ".", "?", "!", ":", " -- really."])


def paragraph(r, links, target):
    out, n = [], 0
    while n < target:
        s = sentence(r, links)
        out.append(s)
        n += len(s.split())
    return " ".join(out), n


def title_of(r):
    pat = r.randrange(6)
    t, q = r.choice(TOPICS), r.choice(QUALIFIERS)
    w1, w2 = r.choice(WORDS), r.choice(WORDS)
    if pat == 0:
        s = f"How we sped up {t} {q}"
    elif pat == 1:
        s = f"Notes on {t}: {w1} {w2} and {q}"
    elif pat == 2:
        s = f"What I learned about {q} in {t}"
    elif pat == 3:
        s = f"The {w1} guide to {t} {q}"
    elif pat == 4:
        s = f"{t.capitalize()} & {r.choice(TOPICS)}: a {w1} look at {q}"
    else:
        s = f"Why \"{w1}\" {t} {q} isn't {w2}"
    return s


def slugify(s):
    out, dash = [], False
    for c in s.lower():
        if c.isascii() and c.isalnum():
            out.append(c)
            dash = False
        elif not dash and out:
            out.append("-")
            dash = True
    return "".join(out).strip("-")


def post(i, seed, t0, step):
    r = random.Random(seed * 1_000_003 + i)
    title = title_of(r)
    slug = f"{slugify(title)}-{i}"
    # strictly increasing instants: step apart, jitter below half a step
    inst = t0 + timedelta(seconds=i * step + r.randrange(max(1, int(step // 2))))
    off = r.choice(OFFSETS)
    local = inst.astimezone(timezone(timedelta(minutes=off)))
    if off == 0 and r.random() < 0.5:
        date = local.strftime("%Y-%m-%dT%H:%M:%SZ")
    else:
        date = local.isoformat()
    tags = r.sample(TAGS, r.randint(3, 6))
    cats = r.sample(CATEGORIES, r.randint(1, 2))
    fm = ["---", f"title: {json.dumps(title)}", f"slug: {slug}", f"date: {date}"]
    fm.append("tags: [" + ", ".join(tags) + "]")
    fm.append("categories: [" + ", ".join(cats) + "]")
    if i % 10 == 0:
        fm.append(f"series: [{json.dumps(SERIES[(i // 10) % len(SERIES)])}]")
    desc = " ".join(words(r, r.randint(10, 20))).capitalize() + "."
    fm.append(f"description: {json.dumps(desc)}")
    fm.append("---")

    # prose words (paragraphs, headings, list items, quotes): 400-900; the
    # code block and the table come on top
    target = r.randint(400, 880)
    links = [0]
    body, n = [], 0

    def para(lo, hi):
        nonlocal n
        p, k = paragraph(r, links, max(15, min(r.randint(lo, hi), target - n)))
        n += k
        return p

    body.append(para(40, 90))
    want_code = r.random() < 0.4
    want_table = r.random() < 0.2
    want_quote = r.random() < 0.25
    sec = 0
    while n < target:
        sec += 1
        h = " ".join(words(r, r.randint(2, 5))).capitalize()
        body.append(f"## {h}")
        n += len(h.split())
        for _ in range(r.randint(1, 3)):
            if n >= target:
                break
            body.append(para(40, 110))
        if want_table and sec == 1:
            rows = ["| name | value | notes |", "| --- | ---: | --- |"]
            for _ in range(r.randint(3, 6)):
                rows.append(f"| `{r.choice(WORDS)}` | {r.randint(1, 9999)} | "
                            f"{' '.join(words(r, r.randint(2, 6)))} |")
            body.append("\n".join(rows))
        if want_code and sec == 1:
            lang = r.choice(sorted(LANGS))
            f, a, b = (r.choice(WORDS) + "_" + r.choice(WORDS), r.choice(WORDS), r.choice(WORDS))
            code = "\n".join(line.format(f=f, a=a, b=b) for line in LANGS[lang])
            body.append(f"```{lang}\n{code}\n```")
        if want_quote and sec == 1 and n < target:
            body.append("> " + para(15, 40))
        roll = r.random()
        if n >= target:
            break
        if roll < 0.35:
            items = []
            ordered = r.random() < 0.3
            for j in range(r.randint(3, 6)):
                it = " ".join(words(r, r.randint(3, 12)))
                if r.random() < 0.2:
                    it = f"**{r.choice(WORDS)}**: {it}"
                items.append(f"{j + 1}. {it}" if ordered else f"- {it}")
                n += len(it.split())
            body.append("\n".join(items))
        elif roll < 0.55:
            h3 = " ".join(words(r, r.randint(2, 4))).capitalize()
            body.append(f"### {h3}")
            n += len(h3.split())
            body.append(para(30, 80))
    return slug, "\n".join(fm) + "\n\n" + "\n\n".join(body) + "\n"


HONE_SITE = """\
# generated by bench/build/gen.py
base_url: http://localhost:8080/
title: Bench blog
description: A synthetic blog for benchmarks.
language: en
author: Bench
theme: hone-theme
timezone: "+00:00"
paginate: 10
summary_length: 70
permalinks:
  posts: /:year/:month/:slug/
taxonomies:
  tag: tags
  category: categories
  series: series
feed:
  full: true
  limit: 20
markdown:
  unsafe_html: true
  smart: true
params:
  related: true
"""

HUGO_SITE = """\
# generated by bench/build/gen.py
baseURL: http://localhost:8080/
title: Bench blog
languageCode: en
theme: hugo-theme
timeZone: UTC
# term titles as written (hone does not change their case)
titleCaseStyle: none
paginate: 10
summaryLength: 70
rssLimit: 20
enableRobotsTXT: true
disableHugoGeneratorInject: true
permalinks:
  posts: /:year/:month/:slug/
taxonomies:
  tag: tags
  category: categories
  series: series
params:
  description: A synthetic blog for benchmarks.
  related: true
# hone makes no feed for the taxonomy lists (/tags/ itself): neither here
outputs:
  home: [HTML, RSS]
  section: [HTML, RSS]
  taxonomy: [HTML]
  term: [HTML, RSS]
markup:
  goldmark:
    renderer:
      unsafe: true
  highlight:
    # hone highlights code fences on the server into class names
    # (<div class="highlight"><pre class="chroma">...): so does Hugo here
    codeFences: true
    noClasses: false
# page.related in hone: most terms shared (any taxonomy, equal weight),
# then newest; newer posts included
related:
  includeNewer: true
  threshold: 1
  toLower: false
  indices:
    - name: tags
      weight: 100
    - name: categories
      weight: 100
    - name: series
      weight: 100
"""


def main(argv):
    args = list(argv[1:])
    seed, themes = 42, None
    if "--seed" in args:
        k = args.index("--seed")
        seed = int(args[k + 1])
        del args[k:k + 2]
    if "--themes" in args:
        k = args.index("--themes")
        themes = args[k + 1]
        del args[k:k + 2]
    if len(args) != 2:
        sys.exit("usage: gen.py N OUTDIR [--seed S] [--themes DIR]")
    n, out = int(args[0]), args[1]
    posts = os.path.join(out, "content", "posts")
    os.makedirs(posts, exist_ok=True)
    t0 = datetime(2014, 1, 1, tzinfo=timezone.utc)
    step = 10 * 365 * 86400 / max(n, 1)
    step = max(step, 2)
    total = 0
    for i in range(n):
        slug, text = post(i, seed, t0, step)
        with open(os.path.join(posts, slug + ".md"), "w", encoding="utf-8") as f:
            f.write(text)
        total += len(text.encode())
    with open(os.path.join(out, "site.yaml"), "w") as f:
        f.write(HONE_SITE)
    with open(os.path.join(out, "hugo.yaml"), "w") as f:
        f.write(HUGO_SITE)
    if themes:
        for t in ("hone-theme", "hugo-theme"):
            dst = os.path.join(out, "themes", t)
            if os.path.exists(dst):
                shutil.rmtree(dst)
            shutil.copytree(os.path.join(themes, t), dst)
    print(f"{n} posts, {total} bytes of Markdown in {posts}")


if __name__ == "__main__":
    main(sys.argv)
