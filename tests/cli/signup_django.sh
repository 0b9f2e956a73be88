#!/usr/bin/env bash
# The email table (tests/signup/emails.txt) against Django 3.2's own
# EmailValidator: hone accepts nothing Django refuses.  tests/unit/
# test_fcgi_form.c checks hone against the same table.
cd "$(dirname "$0")/../.." && exec /usr/bin/python3 tests/signup/django_emails.py
