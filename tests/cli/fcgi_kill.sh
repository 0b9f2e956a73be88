#!/usr/bin/env bash
# Nothing lost: 2,000 signups through nginx while hone-fcgi is SIGKILLed
# and restarted four times; every signup answered 303 must be in the store
# exactly once.  Then 40 identical signups at once store one row.  The
# load and the checks are in fcgi_load.py; this script sets up the site,
# nginx, and adds its counts to the client's.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/fcgi_lib.sh"

PORT=$(free_port)
SITE=$TMP/site
SOCK=$TMP/fcgi.sock
make_site "$SITE" "$PORT" "  rate_limit: {per_minute: 1000000, burst: 1000000}" ||
    { fail "the test site builds"; finish; exit 1; }
start_nginx "$TMP/nginx" "$SITE/public" "$PORT" "$SOCK" || { fail "nginx starts"; finish; exit 1; }
timeout 240 /usr/bin/python3 "$(dirname "$0")/fcgi_load.py" "$FCGI" "$SITE" "$SOCK" "$TMP/fcgi.log" \
    "http://127.0.0.1:$PORT/" 2000 4 >"$TMP/load.out" 2>&1 </dev/null
cat "$TMP/load.out"
line=$(tail -n1 "$TMP/load.out")
p=$(echo "$line" | sed -n 's/^\([0-9]*\) passed.*/\1/p')
f=$(echo "$line" | sed -n 's/.* \([0-9]*\) failed$/\1/p')
PASS=$((PASS + ${p:-0}))
FAIL=$((FAIL + ${f:-1}))
check "no sanitizer report from hone-fcgi" sh -c "! grep -q 'Sanitizer\|runtime error' '$TMP/fcgi.log'"
check "the store passes SQLite's integrity check after the kills" \
    test "$(sqlite3 "$SITE/state/signups.db" 'PRAGMA integrity_check')" = ok
finish
