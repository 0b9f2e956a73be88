#!/usr/bin/python3
"""
Renders the benchmark's blog post page (django/post.html) with Django's
own template engine.

Django runs with its default settings except TEMPLATES, which names the
template folder and one builtin library (django_filters.py: hone's absurl
filter).  With DEBUG off, Django wraps its loaders in the cached loader,
so post.html and what it extends and includes are compiled once.  Then the
page is rendered N times with the context of context.yaml and one line of
figures is printed:

    engine=django pages=N wall_s=... user_s=... sys_s=... pages_per_s=... bytes=...

Usage: /usr/bin/python3 bench_django.py [-n N] [--dump FILE]
(Debian's python3-django is seen only by /usr/bin/python3.)
"""

import argparse
import os
import resource
import sys
import time

import yaml

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

import django  # noqa: E402
from django.conf import settings  # noqa: E402


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("-n", type=int, default=200, help="pages to render")
    ap.add_argument("--dump", help="write one rendered page to this file")
    args = ap.parse_args()

    settings.configure(TEMPLATES=[{
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [os.path.join(HERE, "django")],
        "OPTIONS": {"builtins": ["django_filters"]},
    }])
    django.setup()
    from django.template import engines

    with open(os.path.join(HERE, "context.yaml"), encoding="utf-8") as f:
        ctx = yaml.load(f, Loader=yaml.CSafeLoader)

    tmpl = engines["django"].get_template("post.html")
    page = tmpl.render(ctx)  # the first render compiles what post.html includes
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
    print("engine=django pages=%d wall_s=%.4f user_s=%.4f sys_s=%.4f pages_per_s=%.1f bytes=%d"
          % (args.n, wall, r1.ru_utime - r0.ru_utime, r1.ru_stime - r0.ru_stime,
             args.n / wall, len(page.encode("utf-8"))))
    assert nbytes == len(page)


main()
