#!/usr/bin/python3
"""
Renders the benchmark's blog post page (jinja/post.html) with Jinja2.

Compiles the templates once, then renders the page N times with the
context of context.yaml and prints one line of figures:

    engine=jinja2 pages=N wall_s=... user_s=... sys_s=... pages_per_s=... bytes=...

Autoescaping is on.  The few Django filters the page uses that Jinja2 lacks
(absurl, date, slugify, truncatewords, pluralize) are registered as plain
Python functions, written as a Jinja2 site would write them, with Django's
output.

Usage: /usr/bin/python3 bench_jinja.py [-n N] [--dump FILE]
(Debian's python3-jinja2 is seen only by /usr/bin/python3.)
"""

import argparse
import os
import re
import resource
import time
import unicodedata

import jinja2
import yaml

HERE = os.path.dirname(os.path.abspath(__file__))
BASE_URL = "https://www.example.org/"

MONTHS_AP = ["Jan.", "Feb.", "March", "April", "May", "June", "July", "Aug.",
             "Sept.", "Oct.", "Nov.", "Dec."]


def absurl(url):
    """hone's absurl: a site-relative URL made absolute with the base URL."""
    url = str(url)
    if "://" in url or url.startswith("//"):
        return url
    return BASE_URL + url.lstrip("/")


def date(value, fmt):
    """The part of Django's date format language the page uses."""
    out = []
    for ch in fmt:
        if ch == "Y":
            out.append("%d" % value.year)
        elif ch == "m":
            out.append("%02d" % value.month)
        elif ch == "d":
            out.append("%02d" % value.day)
        elif ch == "j":
            out.append("%d" % value.day)
        elif ch == "N":
            out.append(MONTHS_AP[value.month - 1])
        elif ch.isalpha():
            raise ValueError("date format %r not supported here" % ch)
        else:
            out.append(ch)
    return "".join(out)


_SLUG_DROP = re.compile(r"[^\w\s-]")
_SLUG_DASH = re.compile(r"[-\s]+")


def slugify(value):
    """Django's slugify (ASCII)."""
    value = unicodedata.normalize("NFKD", str(value)).encode("ascii", "ignore").decode("ascii")
    value = _SLUG_DROP.sub("", value.lower())
    return _SLUG_DASH.sub("-", value).strip("-_")


def truncatewords(value, n):
    """Django's truncatewords: n words, then " …" when cut."""
    words = str(value).split()
    if len(words) <= n:
        return " ".join(words)
    return " ".join(words[:n]) + " …"


def pluralize(value, suffix="s"):
    try:
        return "" if float(value) == 1 else suffix
    except (TypeError, ValueError):
        return ""


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("-n", type=int, default=1000, help="pages to render")
    ap.add_argument("--dump", help="write one rendered page to this file")
    args = ap.parse_args()

    with open(os.path.join(HERE, "context.yaml"), encoding="utf-8") as f:
        ctx = yaml.load(f, Loader=yaml.CSafeLoader)

    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(os.path.join(HERE, "jinja")),
        autoescape=True,
        keep_trailing_newline=True,  # as Django and hone keep it
    )
    env.filters.update(absurl=absurl, date=date, slugify=slugify,
                       truncatewords=truncatewords, pluralize=pluralize)
    tmpl = env.get_template("post.html")  # compiles post, page, base, partials

    page = tmpl.render(ctx)  # one warm-up page, as every engine gets
    if args.dump:
        with open(args.dump, "w", encoding="utf-8") as f:
            f.write(page)

    r0 = resource.getrusage(resource.RUSAGE_SELF)
    t0 = time.perf_counter()
    nbytes = 0
    for _ in range(args.n):
        nbytes = len(tmpl.render(ctx))
    wall = time.perf_counter() - t0
    r1 = resource.getrusage(resource.RUSAGE_SELF)
    print("engine=jinja2 pages=%d wall_s=%.4f user_s=%.4f sys_s=%.4f pages_per_s=%.1f bytes=%d"
          % (args.n, wall, r1.ru_utime - r0.ru_utime, r1.ru_stime - r0.ru_stime,
             args.n / wall, len(page.encode("utf-8"))))
    assert nbytes == len(page)


main()
