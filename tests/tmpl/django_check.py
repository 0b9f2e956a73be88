#!/usr/bin/python3
"""
Runs hone's template test table (tests/tmpl/*.yaml) through real Django.

Every case not marked `django: false` is rendered with Django's own
template engine and the output compared with the case's `expect`.  An
error case marked `django: true` must make Django raise as well (any
exception while compiling or rendering).  So the table says what Django
says wherever the two languages agree, and the cases where hone differs
on purpose are the ones marked `django: false`.

Before anything runs, every file is linted: known keys only, unique
names, exactly one of expect/error, strings where strings belong, and
context scalars limited to the YAML subset that hone's libyaml loader
and PyYAML read the same way (see README.md).

Usage:
    /usr/bin/python3 tests/tmpl/django_check.py [--list] [-v] [SUBSTRING]

Needs Debian's python3-django (3.2) and python3-yaml, which only the
system interpreter sees: `apt-get install -y python3-django python3-yaml`.
Ends with "N passed, N failed" and exits 1 on any failure or lint error.
"""

import argparse
import datetime
import glob
import os
import re
import signal
import sys

import yaml

HERE = os.path.dirname(os.path.abspath(__file__))

KEYS = {
    "name", "template", "templates", "context", "expect", "error", "strict",
    "now", "base_url", "django", "max_output", "max_depth", "note",
}
# Render options Django has no equivalent of.
HONE_ONLY_KEYS = ("strict", "base_url", "max_output", "max_depth")

# ---- loading and linting ------------------------------------------------

INT_RE = re.compile(r"^[-+]?(0|[1-9][0-9]*)$")
FLOAT_RE = re.compile(r"^[-+]?(0|[1-9][0-9]*)\.[0-9]+([eE][-+][0-9]+)?$")


class Loader(yaml.SafeLoader):
    """SafeLoader that refuses YAML 1.1 scalars a C loader may read differently."""


def _strict_bool(loader, node):
    v = loader.construct_scalar(node)
    if v not in ("true", "false"):
        raise yaml.constructor.ConstructorError(
            None, None, "plain %r reads as a bool in YAML 1.1: quote it, "
            "or write true/false" % v, node.start_mark)
    return v == "true"


def _strict_int(loader, node):
    v = loader.construct_scalar(node)
    if not INT_RE.match(v):
        raise yaml.constructor.ConstructorError(
            None, None, "plain %r reads as an int in YAML 1.1 (octal, hex, "
            "sexagesimal or '_'): quote it" % v, node.start_mark)
    return int(v)


def _strict_float(loader, node):
    v = loader.construct_scalar(node)
    if not FLOAT_RE.match(v):
        raise yaml.constructor.ConstructorError(
            None, None, "plain %r reads as a float in YAML 1.1: write floats "
            "as 1.5 or 1.0e+16, or quote it" % v, node.start_mark)
    return float(v)


NUMBERISH_RE = re.compile(
    r"^([-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?|0[xo][0-9a-fA-F]+"
    r"|[-+]?\.(inf|Inf|INF)|\.(nan|NaN|NAN))$")


def _strict_str(loader, node):
    v = loader.construct_scalar(node)
    if node.style is None and NUMBERISH_RE.match(v):
        raise yaml.constructor.ConstructorError(
            None, None, "plain %r is a string in YAML 1.1 but a number in 1.2: "
            "quote it, or write 1.0e+3" % v, node.start_mark)
    return v


def _unique_mapping(loader, node, deep=False):
    keys = set()
    for k, _ in node.value:
        key = loader.construct_object(k, deep=deep)
        if key in keys:
            raise yaml.constructor.ConstructorError(
                None, None, "duplicate key %r" % (key,), k.start_mark)
        keys.add(key)
    return yaml.SafeLoader.construct_mapping(loader, node, deep)


Loader.construct_mapping = _unique_mapping
Loader.add_constructor("tag:yaml.org,2002:str", _strict_str)
Loader.add_constructor("tag:yaml.org,2002:bool", _strict_bool)
Loader.add_constructor("tag:yaml.org,2002:int", _strict_int)
Loader.add_constructor("tag:yaml.org,2002:float", _strict_float)


def load_cases(errors):
    cases = []
    seen = {}
    files = sorted(glob.glob(os.path.join(HERE, "*.yaml")))
    for path in files:
        fname = os.path.basename(path)
        try:
            with open(path, encoding="utf-8") as f:
                data = yaml.load(f, Loader=Loader)
        except yaml.YAMLError as e:
            errors.append("%s: %s" % (fname, e))
            continue
        if not isinstance(data, list):
            errors.append("%s: top level must be a list of cases" % fname)
            continue
        for i, c in enumerate(data):
            where = "%s: case %d" % (fname, i + 1)
            if not isinstance(c, dict):
                errors.append("%s: not a mapping" % where)
                continue
            name = c.get("name")
            if isinstance(name, str):
                where = "%s: %s" % (fname, name)
            before = len(errors)
            lint_case(c, where, errors)
            c["_bad"] = len(errors) > before
            if name in seen:
                errors.append("%s: duplicate name (also in %s)" % (where, seen[name]))
            seen[name] = fname
            c["_file"] = fname
            cases.append(c)
    return cases


def lint_value(v, where, errors):
    if isinstance(v, dict):
        for k, x in v.items():
            if not isinstance(k, str):
                errors.append("%s: map key %r is not a string: quote it" % (where, k))
            lint_value(x, where, errors)
    elif isinstance(v, list):
        for x in v:
            lint_value(x, where, errors)
    elif isinstance(v, datetime.datetime) or isinstance(v, datetime.date):
        pass
    elif v is None or isinstance(v, (bool, int, float, str)):
        pass
    else:
        errors.append("%s: unsupported value %r" % (where, v))


LOC_RE = re.compile(r"^([^:\s]+):([0-9]+):([0-9]+):")


def lint_location(c, where, errors):
    """An error location NAME:LINE:COL: must point at a tag's opening '{'."""
    e = c["error"]
    m = LOC_RE.match(e) if isinstance(e, str) else None
    if not m:
        return
    name, line, col = m.group(1), int(m.group(2)), int(m.group(3))
    src = c["template"] if name == "main" else c.get("templates", {}).get(name)
    if src is None:
        errors.append("%s: error names unknown template %r" % (where, name))
        return
    lines = src.encode("utf-8").split(b"\n")
    if line > len(lines) or lines[line - 1][col - 1:col + 1] not in (b"{{", b"{%", b"{#"):
        errors.append("%s: %s is not the opening of a tag" % (where, m.group(0)))


def lint_case(c, where, errors):
    for k in c:
        if k not in KEYS:
            errors.append("%s: unknown key %r" % (where, k))
    if not isinstance(c.get("name"), str) or not c.get("name"):
        errors.append("%s: name must be a non-empty string" % where)
    if not isinstance(c.get("template"), str):
        errors.append("%s: template must be a string" % where)
    if ("expect" in c) == ("error" in c):
        errors.append("%s: needs exactly one of expect / error" % where)
    if "expect" in c and not isinstance(c["expect"], str):
        errors.append("%s: expect must be a string (quote it)" % where)
    if "error" in c and (not isinstance(c["error"], str) or not c["error"]):
        errors.append("%s: error must be a non-empty string" % where)
    t = c.get("templates", {})
    if "error" in c and isinstance(c.get("template"), str) and isinstance(t, dict):
        lint_location(c, where, errors)
    if not isinstance(t, dict) or not all(
            isinstance(k, str) and isinstance(v, str) for k, v in t.items()):
        errors.append("%s: templates must map names to strings" % where)
    elif "main" in t:
        errors.append("%s: templates must not redefine 'main'" % where)
    if "context" in c:
        if not isinstance(c["context"], dict):
            errors.append("%s: context must be a mapping" % where)
        else:
            lint_value(c["context"], where, errors)
    for k in ("strict", "django"):
        if k in c and not isinstance(c[k], bool):
            errors.append("%s: %s must be true or false" % (where, k))
    if "now" in c and not isinstance(c["now"], (datetime.datetime, datetime.date)):
        errors.append("%s: now must be an unquoted timestamp" % where)
    if "base_url" in c and not isinstance(c["base_url"], str):
        errors.append("%s: base_url must be a string" % where)
    for k in ("max_output", "max_depth"):
        if k in c and (not isinstance(c[k], int) or isinstance(c[k], bool) or c[k] <= 0):
            errors.append("%s: %s must be a positive integer" % (where, k))
    if c.get("django") is True and "error" not in c:
        for k in HONE_ONLY_KEYS:
            if k in c:
                errors.append("%s: %s has no Django equivalent: set django: false"
                              % (where, k))


def django_checked(c):
    """Expect-cases default to checked; error cases and cases using options
    Django lacks (strict mode, base_url, limits) default to unchecked."""
    return c.get("django", "error" not in c and not any(k in c for k in HONE_ONLY_KEYS))


# ---- Django -------------------------------------------------------------

def setup_django():
    import django
    from django.conf import settings
    settings.configure(
        USE_TZ=False, TIME_ZONE="UTC", USE_I18N=False, USE_L10N=False,
        TEMPLATES=[], INSTALLED_APPS=[],
    )
    django.setup()


def to_django(v):
    """YAML values as hone sees them: every time has its own zone offset."""
    if isinstance(v, datetime.datetime):
        if v.tzinfo is None:
            v = v.replace(tzinfo=datetime.timezone.utc)
        return v
    if isinstance(v, datetime.date):
        return datetime.datetime(v.year, v.month, v.day, tzinfo=datetime.timezone.utc)
    if isinstance(v, dict):
        return {k: to_django(x) for k, x in v.items()}
    if isinstance(v, list):
        return [to_django(x) for x in v]
    return v


class FrozenClock:
    """Stands in for the datetime class in Django's {% now %} tag, which
    reads the clock; a case's `now` fixes it, as tmpl_opts.now does."""

    def __init__(self, now):
        self._now = now

    def now(self, tz=None):
        return self._now


def run_django(c):
    """Returns (output, None) or (None, exception)."""
    from django.template import Context, Engine, defaulttags
    if "now" in c:
        defaulttags.datetime = FrozenClock(to_django(c["now"]))
    else:
        defaulttags.datetime = datetime.datetime
    templates = dict(c.get("templates") or {})
    templates["main"] = c["template"]
    engine = Engine(
        loaders=[("django.template.loaders.locmem.Loader", templates)],
        autoescape=True, string_if_invalid="", debug=False,
    )
    try:
        t = engine.get_template("main")
        return t.render(Context(to_django(c.get("context") or {}), autoescape=True)), None
    except Exception as e:  # noqa: BLE001 -- any failure counts as "raises"
        return None, e


def show(s):
    return repr(s) if s is not None else "(none)"


def main():
    signal.signal(signal.SIGPIPE, signal.SIG_DFL)  # quiet under `| head`
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[1])
    ap.add_argument("--list", action="store_true", help="print case names and exit")
    ap.add_argument("-v", "--verbose", action="store_true",
                    help="also show skipped cases and what Django raised")
    ap.add_argument("filter", nargs="?", default="",
                    help="only cases whose name contains this string")
    args = ap.parse_args()

    errors = []
    cases = load_cases(errors)
    for e in errors:
        print("lint: " + e)
    cases = [c for c in cases if args.filter in str(c.get("name"))]

    if args.list:
        for c in cases:
            mark = "django" if django_checked(c) else "hone-only"
            print("%-10s %-22s %s" % (mark, c["_file"], c["name"]))
        return 1 if errors else 0

    setup_django()
    sys.setrecursionlimit(3000)
    passed = failed = skipped = 0
    for c in cases:
        if c["_bad"]:
            continue
        if not django_checked(c):
            skipped += 1
            if args.verbose:
                print("skip %s" % c["name"])
            continue
        out, exc = run_django(c)
        if "error" in c:
            if exc is not None:
                passed += 1
                if args.verbose:
                    print("ok   %s: Django raises %s: %s"
                          % (c["name"], type(exc).__name__, str(exc).splitlines()[0][:100]))
            else:
                failed += 1
                print("FAIL %s (%s): Django does not raise\n  template: %s\n"
                      "  django:   %s\n  ours:     error %s"
                      % (c["name"], c["_file"], show(c["template"]), show(out),
                         show(c["error"])))
            continue
        if exc is None and out == c["expect"]:
            passed += 1
            continue
        failed += 1
        got = show(out) if exc is None else "raised %s: %s" % (type(exc).__name__, exc)
        print("FAIL %s (%s)\n  template: %s\n  django:   %s\n  ours:     %s"
              % (c["name"], c["_file"], show(c["template"]), got, show(c["expect"])))

    if args.verbose:
        print("%d skipped (django: false)" % skipped)
    print("%d passed, %d failed" % (passed, failed + len(errors)))
    return 1 if failed or errors else 0


if __name__ == "__main__":
    sys.exit(main())
