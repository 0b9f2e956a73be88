#!/usr/bin/env python3
"""bench/build/compare.py: how alike are hone's and Hugo's builds of a corpus?

    compare.py HONE_OUT HUGO_OUT [--show N]

Lists the files only one of them wrote, then compares every file both
wrote after spelling things one way:
- HTML entities decoded (Hugo writes &#34; &#39; &#43; &ndash; &ldquo;
  where hone writes &quot; &#x27; + and the characters themselves);
- in feeds, the post HTML taken out of CDATA (hone) or unescaped (Hugo);
- highlighted code reduced to its text (Chroma wraps each line in two
  more spans and marks blanks; hone's highlighter does not);
- cmark's style="text-align: right" spelt as goldmark's "text-align:right";
- the <generator> of feeds, and the summaries in lists, left out (Hugo
  0.111's automatic summaries are plain text cut at a sentence, hone's
  are the first words as HTML);
- blank space collapsed, and dropped between tags.
Prints, per kind of file, how many are identical after that; with
--show N, the first differing lines of up to N files of each kind.
"""
import html
import os
import re
import sys
from collections import Counter, defaultdict


def files(root):
    out = set()
    for d, _, fs in os.walk(root):
        for f in fs:
            out.add(os.path.relpath(os.path.join(d, f), root))
    return out


def kind(rel):
    parts = rel.split("/")
    if rel.endswith(".xml"):
        return "sitemap" if rel == "sitemap.xml" else "feed"
    if not rel.endswith(".html"):
        return "other"
    if "page" in parts:
        return "pager page"
    if parts[0].isdigit():
        return "post"
    if parts[0] in ("tags", "categories", "series"):
        return "taxonomy list" if len(parts) == 2 else "term"
    return "other page"


SUMMARY = re.compile(r'(<article class="summary">.*?<div>).*?(</div>\s*(<p><a href="[^"]*">Read more</a></p>)?\s*</article>)', re.S)


HIGHLIGHT = re.compile(r'<div class="highlight">.*?</div>', re.S)


def norm(text, feed):
    # a feed's post HTML: in CDATA (hone) or escaped (Hugo): escape both,
    # then unescape once to get the HTML as on the pages
    if feed:
        t = re.sub(r"<!\[CDATA\[(.*?)\]\]>", lambda m: html.escape(m.group(1), quote=False),
                   text, flags=re.S)
        t = html.unescape(t)
    else:
        t = text
    # highlighted code: Chroma (Hugo) wraps each line in two more spans and
    # marks blanks; compare the code's text only
    t = HIGHLIGHT.sub(lambda m: "<code>" + re.sub(r"<[^>]*>", "", m.group(0)) + "</code>", t)
    t = html.unescape(t)
    # cmark writes style="text-align: right", goldmark style="text-align:right"
    t = t.replace('style="text-align: ', 'style="text-align:')
    t = re.sub(r"<generator>[^<]*</generator>", "<generator/>", t)
    # Hugo's automatic summaries are plain text cut at a sentence, hone's
    # the first words as HTML: compare the lists without them
    t = SUMMARY.sub(r"\1…\2", t)
    t = re.sub(r">\s+<", "><", t)  # blank space between tags
    return re.sub(r"\s+", " ", t).strip()


def main(argv):
    show = 0
    if "--show" in argv:
        k = argv.index("--show")
        show = int(argv[k + 1])
        del argv[k:k + 2]
    a, b = argv[1], argv[2]
    fa, fb = files(a), files(b)
    only_a, only_b = sorted(fa - fb), sorted(fb - fa)
    print(f"files: hone {len(fa)}, Hugo {len(fb)}, both {len(fa & fb)}, "
          f"only hone {len(only_a)}, only Hugo {len(only_b)}")
    for name, lst in (("only hone", only_a), ("only Hugo", only_b)):
        for f in lst[:5]:
            print(f"  {name}: {f}")
    same, total = Counter(), Counter()
    diffs = defaultdict(list)
    for rel in sorted(fa & fb):
        k = kind(rel)
        total[k] += 1
        if rel == "sitemap.xml":
            continue  # compared by its URLs below
        x = open(os.path.join(a, rel), encoding="utf-8", errors="replace").read()
        y = open(os.path.join(b, rel), encoding="utf-8", errors="replace").read()
        feed = rel.endswith(".xml")
        if norm(x, feed) == norm(y, feed):
            same[k] += 1
        elif len(diffs[k]) < show:
            xl, yl = x.splitlines(), y.splitlines()
            d = [(i, p, q) for i, (p, q) in enumerate(zip(xl, yl)) if norm(p, feed) != norm(q, feed)]
            if len(xl) != len(yl):
                d.append((min(len(xl), len(yl)), f"<{len(xl)} lines>", f"<{len(yl)} lines>"))
            diffs[k].append((rel, d[:4]))
    for k in sorted(total):
        if k == "sitemap":
            continue
        print(f"  {k:14s} {same[k]:6d} of {total[k]:6d} the same after normalising")
    if "sitemap.xml" in fa and "sitemap.xml" in fb:
        loc = re.compile(r"<loc>([^<]*)</loc>")
        ua = set(loc.findall(open(os.path.join(a, "sitemap.xml")).read()))
        ub = set(loc.findall(open(os.path.join(b, "sitemap.xml")).read()))
        print(f"  sitemap URLs: hone {len(ua)}, Hugo {len(ub)}, both {len(ua & ub)}")
    for k, lst in diffs.items():
        for rel, d in lst:
            print(f"--- {k}: {rel}")
            for i, p, q in d:
                print(f"  {i + 1} hone: {p[:300]}")
                print(f"  {i + 1} Hugo: {q[:300]}")


if __name__ == "__main__":
    main(sys.argv)
