"""Checks tests/signup/emails.txt against Django 3.2's EmailValidator.

Run with Debian's /usr/bin/python3 (python3-django).  Each line whose
verdict is "ok" must be accepted by Django, "bad" refused, "stricter"
accepted (hone refuses those on purpose).  Prints "N passed, N failed".
"""
import os
import sys

from django.conf import settings

settings.configure(USE_I18N=False)
from django.core.exceptions import ValidationError  # noqa: E402
from django.core.validators import EmailValidator  # noqa: E402


def unescape(s):
    out, i = [], 0
    while i < len(s):
        if s[i] == "\\" and s[i + 1] == "\\":
            out.append("\\")
            i += 2
        elif s[i] == "\\" and s[i + 1] == "x":
            out.append(chr(int(s[i + 2:i + 4], 16)))
            i += 4
        else:
            out.append(s[i])
            i += 1
    return "".join(out)


def main():
    path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "emails.txt")
    v = EmailValidator()
    passed = failed = 0
    with open(path, encoding="utf-8") as f:
        for n, line in enumerate(f, 1):
            line = line.rstrip("\n")
            if not line or line.startswith("#"):
                continue
            verdict, text = line.split("\t", 1)
            email = unescape(text)
            try:
                v(email)
                django_ok = True
            except ValidationError:
                django_ok = False
            want = verdict in ("ok", "stricter")
            if django_ok == want:
                passed += 1
            else:
                failed += 1
                print("FAIL emails.txt:%d: %r is %s, but Django %s it" % (
                    n, email, verdict, "accepts" if django_ok else "refuses"))
    print("%d passed, %d failed" % (passed, failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
