#!/usr/bin/env bash
# The landing page in a real headless Chromium (Debian's /usr/bin/chromium,
# driven by playwright-core from tests/browser/node_modules, installed by
# `make browser-deps`): sign up with and without JavaScript, reach the
# thanks page, then see the members' home at /.  Through nginx and
# hone-fcgi, set up here as in the other fcgi suites.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/fcgi_lib.sh"

if [ ! -x /usr/bin/chromium ] || [ ! -d "$ROOT/tests/browser/node_modules/playwright-core" ]; then
    fail "Chromium and playwright-core are installed" "run: make deps browser-deps"
    finish
    exit 1
fi
PORT=$(free_port)
SITE=$TMP/site
SOCK=$TMP/fcgi.sock
make_site "$SITE" "$PORT" || { fail "the test site builds"; finish; exit 1; }
start_fcgi "$SITE" "$SOCK" "$TMP/fcgi.log" -t 4 || { fail "hone-fcgi starts"; finish; exit 1; }
start_nginx "$TMP/nginx" "$SITE/public" "$PORT" "$SOCK" || { fail "nginx starts"; finish; exit 1; }
mkdir -p "$TMP/profiles"
(cd "$ROOT/tests/browser" && HOME=$TMP timeout 180 node signup.mjs "http://127.0.0.1:$PORT/" "$TMP/profiles") \
    >"$TMP/browser.out" 2>&1 </dev/null
cat "$TMP/browser.out"
line=$(grep -E '^[0-9]+ passed, [0-9]+ failed' "$TMP/browser.out" | tail -n1)
p=$(echo "$line" | sed -n 's/^\([0-9]*\) passed.*/\1/p')
f=$(echo "$line" | sed -n 's/.* \([0-9]*\) failed$/\1/p')
PASS=$((PASS + ${p:-0}))
FAIL=$((FAIL + ${f:-1}))
check "the browser's signups are stored" test \
    "$(sqlite3 "$SITE/state/signups.db" "SELECT count(*) FROM signups WHERE email LIKE 'browser.%'")" = 2
check "the referrer field was filled by the script (utm_*)" \
    grep -q 'utm_source=test' <(sqlite3 "$SITE/state/signups.db" "SELECT referrer FROM signups")
finish
