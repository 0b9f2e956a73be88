#!/usr/bin/env bash
# hone-fcgi through a real nginx, with curl: every answer of POST /signup
# (303, 400, 403, 405, 413, 415, 429, 503 and their JSON forms), the
# member cookie (forged, expired), the home that morphs and its fallback
# when hone-fcgi is down, hostile input (header injection, SQL, markup),
# `hone signups export`, and SIGTERM finishing a request in flight.
# nginx trusts nothing from the client, but hone-fcgi is told 127.0.0.1 is
# a trusted proxy, so each check sends its own X-Forwarded-For address and
# has a rate-limit bucket of its own.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/fcgi_lib.sh"

PORT=$(free_port)
U=http://127.0.0.1:$PORT
SITE=$TMP/site
SOCK=$TMP/fcgi.sock
LOG=$TMP/fcgi.log
DB=$SITE/state/signups.db
make_site "$SITE" "$PORT" "  trusted_proxies: [127.0.0.1]
  rate_limit: {per_minute: 6, burst: 3}
  lifetime_days: 30" || { fail "the test site builds"; finish; exit 1; }
start_fcgi "$SITE" "$SOCK" "$LOG" -t 4 || { fail "hone-fcgi starts" "$(cat "$LOG")"; finish; exit 1; }
start_nginx "$TMP/nginx" "$SITE/public" "$PORT" "$SOCK" || { fail "nginx starts"; finish; exit 1; }

ipn=0
# req ARGS...: a request from a fresh client address; status in $S,
# headers in $TMP/h, body in $TMP/b
req() {
    ipn=$((ipn + 1))
    S=$(curl -m 30 -s -o "$TMP/b" -D "$TMP/h" -w '%{http_code}' \
        -H "X-Forwarded-For: 10.9.8.7, 198.51.$((ipn / 250)).$((ipn % 250 + 1))" "$@")
}
# post BODY [CURL ARGS...]: a same-origin form POST to /signup
post() { local body=$1; shift; req -X POST -H "Origin: $U" --data-binary "$body" "$@" "$U/signup"; }
rows() { sqlite3 "$DB" "SELECT count(*) FROM signups"; }
hdr() { grep -i "^$1:" "$TMP/h" | head -n1 | cut -d' ' -f2- | tr -d '\r'; }
expect() { # expect NAME WANT_STATUS: compares $S
    if [ "$S" = "$2" ]; then ok "$1"; else fail "$1" "status $S, wanted $2" "$(head -c 400 "$TMP/b")"; fi
}
has() { if grep -q -- "$2" "$TMP/b"; then ok "$1"; else fail "$1" "no '$2' in:" "$(head -c 300 "$TMP/b")"; fi; }
hasnt() { if grep -q -- "$2" "$TMP/b"; then fail "$1" "'$2' found"; else ok "$1"; fi; }

# ---- start-up -------------------------------------------------------------
m=$(stat -c %a "$SITE/state/secret.key" 2>/dev/null)
if [ "$m" = 600 ] && [ "$(stat -c %s "$SITE/state/secret.key")" = 32 ]; then ok "secret key created, 32 bytes, mode 0600"; else fail "secret key mode" "$m"; fi
check "store created with WAL" test "$(sqlite3 "$DB" 'PRAGMA journal_mode')" = wal
check "store schema version 2" test "$(sqlite3 "$DB" 'PRAGMA user_version')" = 2

# ---- the home that morphs ---------------------------------------------------
req "$U/"
expect "GET / without a cookie: 200" 200
has "GET / without a cookie: the landing page's form" 'data-hone-signup'
hasnt "the anonymous home shows no member content" 'Members only hello'
check "GET /: Vary: Cookie" test "$(hdr Vary)" = Cookie
check "GET /: Cache-Control private" grep -qi '^Cache-Control: private' "$TMP/h"
req "$U/_home/users/index.html"
expect "/_home/ is internal: 404 from outside" 404
req -X PUT "$U/"
expect "PUT /: 405" 405
check "PUT /: Allow: GET, HEAD" test "$(hdr Allow)" = "GET, HEAD"

# ---- a signup -----------------------------------------------------------------
post 'email=Ann%40Example.org&referrer=https%3A%2F%2Fnews.example%2F&landing=%2Fwelcome%2F' -A 'test-agent/1.0'
expect "POST /signup: 303" 303
check "303 Location: the thanks page" test "$(hdr Location)" = /thanks/
COOKIE=$(hdr Set-Cookie)
case "$COOKIE" in
hone_member=1.*\;\ Path=/\;\ Max-Age=2592000\;\ HttpOnly\;\ SameSite=Lax) ok "member cookie: HttpOnly, SameSite=Lax, Max-Age from lifetime_days, no Secure on http" ;;
*) fail "member cookie attributes" "$COOKIE" ;;
esac
CV=${COOKIE%%;*}
check "one row stored" test "$(rows)" = 1
check "row keeps email, referrer, landing, user agent" test \
    "$(sqlite3 "$DB" "SELECT email||'|'||referrer||'|'||landing||'|'||user_agent FROM signups")" = \
    "Ann@Example.org|https://news.example/|/welcome/|test-agent/1.0"
check "row keeps the client's address from the trusted proxy's X-Forwarded-For" \
    grep -qx '198\.51\.0\.[0-9]*' <(sqlite3 "$DB" "SELECT ip FROM signups")
# X-Forwarded-For, right to left: trusted proxies are skipped, the first
# other address is the client's; a malformed entry ends the walk, so what
# the client wrote left of it is never believed
xff() { # xff HEADER EMAIL: a signup sent with that X-Forwarded-For; prints its stored ip
    curl -m 30 -s -o /dev/null -X POST -H "Origin: $U" -H "X-Forwarded-For: $1" \
        --data "email=$2" "$U/signup"
    sqlite3 "$DB" "SELECT ip FROM signups WHERE email='${2/\%40/@}'"
}
check "X-Forwarded-For: a chain of trusted proxies is walked past" \
    test "$(xff '203.0.113.50, 127.0.0.1, 127.0.0.1' 'xff1%40example.org')" = 203.0.113.50
check "X-Forwarded-For: an IPv6 client" test "$(xff '2001:db8::7' 'xff2%40example.org')" = 2001:db8::7
check "X-Forwarded-For: an empty entry stops the walk (the proxy's own address is kept)" \
    test "$(xff '198.18.0.9, , 127.0.0.1' 'xff3%40example.org')" = 127.0.0.1
check "X-Forwarded-For: an entry that is no address stops the walk" \
    test "$(xff '198.18.0.9, bogus' 'xff4%40example.org')" = 127.0.0.1
sqlite3 "$DB" "DELETE FROM signups WHERE email LIKE 'xff%'" # the counts below start from one row
check "created_at is UTC ISO 8601" grep -qE '^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}Z$' \
    <(sqlite3 "$DB" "SELECT created_at FROM signups")
req -H "Cookie: other=1; $CV" "$U/"
has "GET / with the member cookie: the blog's home" 'Members only hello'
hasnt "the members' home has no signup form" 'data-hone-signup'
req "$U/thanks/"
expect "the thanks page is there" 200

post 'email=ann%40example.ORG'
expect "a repeat signup (other case) is a success" 303
check "a repeat signup adds nothing" test "$(rows)" = 1
check "a repeat gets a cookie for the first row" grep -q '^Set-Cookie: hone_member=1\.1\.' "$TMP/h"

# ---- forged and expired cookies -------------------------------------------------
mac=${CV##*.}
flip=$(printf '%s' "$mac" | tr 'A-Za-z' 'B-ZAb-za')
req -H "Cookie: ${CV%.*}.$flip" "$U/"
has "a forged MAC: the anonymous home" 'data-hone-signup'
req -H "Cookie: hone_member=1.1.9999999999.${mac}" "$U/"
has "a changed expiry: the anonymous home" 'data-hone-signup'
req -H "Cookie: hone_member=2.$((RANDOM)).1.xyz" "$U/"
has "garbage cookie: the anonymous home" 'data-hone-signup'
expired=$(/usr/bin/python3 - "$SITE/state/secret.key" <<'PY'
import base64, hashlib, hmac, sys
key = open(sys.argv[1], "rb").read()
p = "1.1.1000000000"
m = hmac.new(key, b"hone-member:" + p.encode(), hashlib.sha256).digest()
print("hone_member=%s.%s" % (p, base64.urlsafe_b64encode(m).decode().rstrip("=")))
PY
)
fresh=$(/usr/bin/python3 - "$SITE/state/secret.key" <<'PY'
import base64, hashlib, hmac, sys
key = open(sys.argv[1], "rb").read()
p = "1.1.4000000000"
m = hmac.new(key, b"hone-member:" + p.encode(), hashlib.sha256).digest()
print("hone_member=%s.%s" % (p, base64.urlsafe_b64encode(m).decode().rstrip("=")))
PY
)
req -H "Cookie: $fresh" "$U/"
has "a cookie made with the site's key (Python's HMAC) is a member's" 'Members only hello'
req -H "Cookie: $expired" "$U/"
has "a genuine but expired cookie: the anonymous home" 'data-hone-signup'

# ---- 400: the form again, input kept, nothing stored ---------------------------
before=$(rows)
post 'email=%22%3E%3Cscript%3Ealert(1)%3C%2Fscript%3E&referrer=r%26d&landing=%2Fwelcome%2F'
expect "an invalid email: 400" 400
has "400 shows the landing page's form" 'data-hone-signup'
has "400 says what is wrong" 'Please enter a valid email address'
has "400 keeps the input, escaped" 'data-hone-value="email" value="&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;"'
has "400 keeps the referrer" 'data-hone-value="referrer" value="r&amp;d"'
hasnt "400 never echoes markup" '<script>alert'
post 'email='
expect "no email: 400" 400
has "no email: its message" 'Please enter your email address'
post 'email=a%40b.example%0d%0aBcc%3a+victim%40example.org'
expect "CR/LF in the email (header injection): 400" 400
check "no injected header" sh -c "! grep -qi '^Bcc' '$TMP/h'"
post 'email=ok%40example.org&next=%2Fthanks%2F%0d%0aSet-Cookie%3a+x%3dy'
expect "CR/LF in next: 400" 400
check "no injected Set-Cookie" sh -c "! grep -qi '^Set-Cookie' '$TMP/h'"
post 'email=ok%40example.org&next=%2F%2Fevil.example%2F'
expect "next pointing off-site (//host): 400" 400
post 'email=ok%40example.org&next=https%3A%2F%2Fevil.example%2F'
expect "next as an absolute URL: 400" 400
post 'email=ok%40example.org&landing=%2F..%2F..%2Fetc%2Fpasswd'
expect "landing with ..: 400" 400
hasnt "landing with ..: no file read outside the site" 'root:'
post 'email=%zz'
expect "a bad %-escape: 400" 400
head -c 1500 /dev/urandom >"$TMP/junk"
req -X POST -H "Origin: $U" -H 'Content-Type: application/x-www-form-urlencoded' --data-binary @"$TMP/junk" "$U/signup"
if [ "$S" = 400 ] || [ "$S" = 303 ]; then ok "random bytes as a body: an answer, not a crash"; else fail "random body" "$S"; fi
post 'email=x%40y.example&email=z%40y.example'
expect "a field sent twice: 400" 400
check "nothing stored by the refused signups" test "$(rows)" = "$before"

# ---- honeypot ---------------------------------------------------------------------
post 'email=bot%40example.org&website=http%3A%2F%2Fspam.example'
expect "a filled honeypot looks like a success (303)" 303
check "a honeypot gets no cookie" sh -c "! grep -qi '^Set-Cookie' '$TMP/h'"
check "a honeypot is not stored" test "$(sqlite3 "$DB" "SELECT count(*) FROM signups WHERE email='bot@example.org'")" = 0

# ---- 403: origin -------------------------------------------------------------------
req -X POST -H 'Origin: http://evil.example' --data 'email=e%40example.org' "$U/signup"
expect "a foreign Origin: 403" 403
req -X POST -H 'Origin: null' --data 'email=e%40example.org' "$U/signup"
expect "Origin: null: 403" 403
req -X POST -H "Origin: $U.evil.example" --data 'email=e%40example.org' "$U/signup"
expect "an Origin that only starts like ours: 403" 403
req -X POST -e 'http://evil.example/page' --data 'email=e%40example.org' "$U/signup"
expect "no Origin, a foreign Referer: 403" 403
req -X POST --data 'email=e%40example.org' "$U/signup"
expect "neither Origin nor Referer: 403" 403
req -X POST -e "$U/welcome/" --data 'email=ref%40example.org' "$U/signup"
expect "no Origin, our own Referer: 303" 303
check "nothing stored from a foreign origin" test "$(sqlite3 "$DB" "SELECT count(*) FROM signups WHERE email='e@example.org'")" = 0

# ---- 405, 413, 415 ------------------------------------------------------------------
req "$U/signup"
expect "GET /signup: 405" 405
check "an error answer is not for caches either: Cache-Control: no-store" test "$(hdr Cache-Control)" = no-store
check "405 Allow: POST" test "$(hdr Allow)" = POST
head -c 6000 /dev/zero | tr '\0' 'a' >"$TMP/big"
post "email=x%40y.example&referrer=$(cat "$TMP/big")"
expect "a body over signup.max_body: 413 (hone-fcgi)" 413
head -c 40000 /dev/zero | tr '\0' 'a' >"$TMP/huge"
post "@$TMP/huge"
expect "a body over nginx's client_max_body_size: 413 (nginx)" 413
post 'email=x%40y.example' -H 'Content-Type: text/plain'
expect "text/plain: 415" 415
req -X POST -H "Origin: $U" -F 'email=x@y.example' "$U/signup"
expect "multipart/form-data: 415" 415

# ---- JSON ---------------------------------------------------------------------------------
J=(-H 'Accept: application/json')
post 'email=json%40example.org' "${J[@]}"
expect "JSON success: 200" 200
has "JSON success body" '{"ok":true,"next":"/thanks/"}'
check "JSON success sets the cookie" grep -qi '^Set-Cookie: hone_member=' "$TMP/h"
check "JSON content type" grep -qi '^Content-Type: application/json' "$TMP/h"
post 'email=nope' "${J[@]}"
expect "JSON 400" 400
has "JSON 400 names the field" '"field":"email"'
req -X POST "${J[@]}" -H 'Origin: http://evil.example' --data 'email=a%40b.example' "$U/signup"
expect "JSON 403" 403
has "JSON 403 body" '"error":"origin"'
req "${J[@]}" "$U/signup"
expect "JSON 405" 405
post 'email=a%40b.example' "${J[@]}" -H 'Content-Type: text/plain'
expect "JSON 415" 415
has "JSON 415 body" '"error":"content_type"'

# ---- 429 ---------------------------------------------------------------------------
for i in 1 2 3 4; do
    S=$(curl -m 30 -s -o "$TMP/b" -D "$TMP/h" -w '%{http_code}' -X POST -H "Origin: $U" \
        -H 'X-Forwarded-For: 203.0.113.77' -H 'Accept: application/json' \
        --data "email=rl$i%40example.org" "$U/signup")
    codes="${codes:-}$S "
done
if [ "$codes" = "200 200 200 429 " ]; then ok "burst 3: the 4th signup from one address is 429"; else fail "rate limit" "$codes"; fi
ra=$(hdr Retry-After)
if [ -n "$ra" ] && [ "$ra" -ge 1 ] && [ "$ra" -le 10 ]; then ok "429 has Retry-After ($ra s)"; else fail "Retry-After" "$ra"; fi
has "JSON 429 body" '"error":"rate_limited"'
S=$(curl -m 30 -s -o /dev/null -w '%{http_code}' -X POST -H "Origin: $U" -H 'X-Forwarded-For: 203.0.113.78' \
    --data 'email=rl9%40example.org' "$U/signup")
expect "another address is not limited" 303
S=$(curl -m 30 -s -o /dev/null -w '%{http_code}' -X POST -H "Origin: $U" -H 'X-Forwarded-For: 203.0.113.77' \
    --data 'email=rl9%40example.org' "$U/signup")
expect "the limit counts the forwarded address, not the proxy's" 429

# ---- SQL metacharacters, stored verbatim -------------------------------------------------
post "email=x'or'1'%3D'1%40example.org&referrer=%27%29%3B+DROP+TABLE+signups%3B+--+%22%5C%25_"
expect "SQL metacharacters: 303" 303
check "SQL metacharacters stored verbatim (sqlite3)" test \
    "$(sqlite3 "$DB" "SELECT referrer FROM signups WHERE email = 'x''or''1''=''1@example.org'")" = \
    "'); DROP TABLE signups; -- \"\\%_"
post 'email=csv%40example.org&referrer=%3DHYPERLINK(%22http%3A%2F%2Fevil%22)'
"$HONE" signups export -s "$SITE" --csv >"$TMP/export.csv" 2>"$TMP/export.err"
check "export --csv exits 0" test $? = 0
check "export --csv: header" grep -q '^id,email,created_at,ip,user_agent,referrer,landing' "$TMP/export.csv"
check "export --csv: a formula is defused" grep -qF ",\"'=HYPERLINK(\"\"http://evil\"\")\"," "$TMP/export.csv"
check "export --csv: SQL text quoted, verbatim" grep -qF "\"'); DROP TABLE signups; -- \"\"\\%_\"" "$TMP/export.csv"
"$HONE" signups export -s "$SITE" --json >"$TMP/export.json"
check "export --json parses, every row there" /usr/bin/python3 -c "
import json, sys, sqlite3
rows = json.load(open('$TMP/export.json'))
n = sqlite3.connect('$DB').execute('SELECT count(*) FROM signups').fetchone()[0]
assert len(rows) == n, (len(rows), n)
assert any(r['referrer'] == '\'); DROP TABLE signups; -- \"\\\\%_' for r in rows), rows
"
"$HONE" signups export -s "$SITE" --since 2999-01-01 >"$TMP/future.csv"
check "export --since a future date: the header only" test "$(wc -l <"$TMP/future.csv")" = 1
check "export --since nonsense: usage error" sh -c "! '$HONE' signups export -s '$SITE' --since yesterday 2>/dev/null"

# ---- 503: the store cannot commit --------------------------------------------------------
before=$(rows)
mkfifo "$TMP/lock"
sqlite3 "$DB" <"$TMP/lock" >/dev/null 2>&1 &
lockpid=$!
exec 7>"$TMP/lock"
echo 'BEGIN EXCLUSIVE;' >&7
echo "SELECT 'locked';" >&7
sleep 0.5
post 'email=busy%40example.org'
expect "the store locked by another process: 503" 503
check "503 has Retry-After" test -n "$(hdr Retry-After)"
post 'email=busy%40example.org' "${J[@]}"
expect "JSON 503" 503
has "JSON 503 body" '"error":"store_unavailable"'
echo 'COMMIT;' >&7
exec 7>&-
wait "$lockpid"
check "nothing stored while the store could not commit" test "$(rows)" = "$before"
post 'email=busy%40example.org'
expect "the store back: the same signup succeeds" 303

# ---- the log ------------------------------------------------------------------------------
check "one log line per request" grep -qE '^[0-9T:-]+Z [0-9.]+ POST /signup 303 [0-9]+us stored id=[0-9]+ batch=[0-9]+$' "$LOG"
check "the log holds no email address" sh -c "! grep -q '@example' '$LOG'"

# ---- nginx keeps the connection: one for many requests ----------------------------------------
# Answers sent before the body was read (405, 403, 413) leave body records
# behind; hone-fcgi reads them, so the connection stays usable (libfcgi
# alone would take them for the next request and drop the connection).
post 'email=keep1%40example.org'
expect "kept connection: a signup: 303" 303
KEPT=$(fcgi_conns)
check "after a request, hone-fcgi holds a connection nginx keeps" test -n "$KEPT"
same_conns=1
req "$U/signup"
expect "kept connection: GET /signup: 405" 405
[ "$(fcgi_conns)" = "$KEPT" ] || same_conns=0
req -X POST -H "Origin: https://evil.example" --data 'email=keep2%40example.org' "$U/signup"
expect "kept connection: a foreign origin: 403" 403
[ "$(fcgi_conns)" = "$KEPT" ] || same_conns=0
post "email=keep3%40example.org&referrer=$(head -c 9000 /dev/zero | tr '\0' x)"
expect "kept connection: a body over max_body: 413" 413
[ "$(fcgi_conns)" = "$KEPT" ] || same_conns=0
post 'email=keep4%40example.org' "${J[@]}"
expect "kept connection: a JSON signup after the unread body: 200" 200
[ "$(fcgi_conns)" = "$KEPT" ] || same_conns=0
post 'email=not-an-email'
expect "kept connection: an invalid email: 400" 400
[ "$(fcgi_conns)" = "$KEPT" ] || same_conns=0
post 'email=keep5%40example.org'
expect "kept connection: a signup: 303" 303
check "seven requests, no new connection: nginx reused the kept one each time" \
    test "$same_conns$(fcgi_conns)" = "1$KEPT"
check "kept connection: the signups are stored" \
    test "$(sqlite3 "$DB" "SELECT count(*) FROM signups WHERE email LIKE 'keep%'")" = 3

# ---- SIGTERM finishes the request in flight --------------------------------------------------
exec 7>"$TMP/lock2" 2>/dev/null || true
rm -f "$TMP/lock2"; mkfifo "$TMP/lock2"
sqlite3 "$DB" <"$TMP/lock2" >/dev/null 2>&1 &
lockpid=$!
exec 7>"$TMP/lock2"
echo 'BEGIN EXCLUSIVE;' >&7
echo "SELECT 'locked';" >&7
sleep 0.3
curl -m 30 -s -o /dev/null -w '%{http_code}' -X POST -H "Origin: $U" -H 'X-Forwarded-For: 192.0.2.200' \
    --data 'email=inflight%40example.org' "$U/signup" >"$TMP/inflight" &
curlpid=$!
sleep 0.4
kill -TERM "$FCGI_PID"
sleep 0.3
echo 'COMMIT;' >&7
exec 7>&-
wait "$lockpid"
wait "$curlpid"
wait "$FCGI_PID"
frc=$?
FCGI_PID=""
check "SIGTERM: the request in flight still gets its 303" test "$(cat "$TMP/inflight")" = 303
check "SIGTERM: its signup is stored" test "$(sqlite3 "$DB" "SELECT count(*) FROM signups WHERE email='inflight@example.org'")" = 1
check "SIGTERM: hone-fcgi exits 0" test "$frc" = 0
check "no sanitizer report from hone-fcgi" sh -c "! grep -q 'Sanitizer\|runtime error' '$LOG'"
check "SIGTERM: the summary line" grep -q 'hone-fcgi: stopped; [0-9]* signups and [0-9]* certificate downloads in [0-9]* transactions' "$LOG"

# ---- hone-fcgi down: nginx falls back to the landing page --------------------------------------
req "$U/"
expect "hone-fcgi down: GET / still 200" 200
has "hone-fcgi down: the anonymous home" 'data-hone-signup'
req -H "Cookie: $CV" "$U/"
has "hone-fcgi down, with a member cookie: still the anonymous home" 'data-hone-signup'
check "fallback: Cache-Control private" grep -qi '^Cache-Control: private' "$TMP/h"
req -X POST -H "Origin: $U" --data 'email=down%40example.org' "$U/signup"
expect "hone-fcgi down: POST /signup is 502, never a false success" 502

# ---- SIGTERM with an idle kept connection: a prompt stop -----------------------------------------
# The worker that served the last request waits on nginx's idle connection;
# SIGTERM must not wait for nginx to close it (keepalive_timeout, 60 s).
start_fcgi "$SITE" "$SOCK" "$LOG" -t 4 || fail "hone-fcgi starts again" "$(tail -n 5 "$LOG")"
post 'email=idle%40example.org'
expect "hone-fcgi restarted: a signup through nginx's new connection: 303" 303
check "nginx keeps a connection to hone-fcgi open, idle" test -n "$(fcgi_conns)"
t0=$(date +%s%N)
kill -TERM "$FCGI_PID"
for _ in $(seq 100); do kill -0 "$FCGI_PID" 2>/dev/null || break; sleep 0.05; done
t1=$(date +%s%N)
if kill -0 "$FCGI_PID" 2>/dev/null; then
    fail "SIGTERM with an idle kept connection: hone-fcgi exits within 5 s" "still running"
    kill -KILL "$FCGI_PID"
    wait "$FCGI_PID" 2>/dev/null
else
    wait "$FCGI_PID"
    frc=$?
    ms=$(((t1 - t0) / 1000000))
    check "SIGTERM with an idle kept connection: exit 0 within 2 s (${ms} ms)" \
        test "$frc" = 0 -a "$ms" -lt 2000
fi
FCGI_PID=""
start_fcgi "$SITE" "$SOCK" "$LOG" -t 4 || fail "hone-fcgi starts a third time" "$(tail -n 5 "$LOG")"
post 'email=again%40example.org'
expect "after the cut, nginx drops the dead connection: the next signup is 303, not 502" 303
stop_fcgi

# ---- kept connections never hold every worker for long ----------------------------------------
# Two clients each finish a request with FCGI_KEEP_CONN and keep their
# connection idle, as nginx does with its cache, while hone-fcgi has two
# workers: both wait on those connections.  A request on a new connection
# (nginx's) must still be answered, once a worker gives up its idle
# connection (after 1 s); without that it would wait as long as the
# clients hold on.
start_fcgi "$SITE" "$SOCK" "$LOG" -t 2 || fail "hone-fcgi starts with 2 threads" "$(tail -n 5 "$LOG")"
/usr/bin/python3 - "$SOCK" >"$TMP/idle-clients" 2>&1 <<'PY' &
import socket, struct, sys, time

def record(kind, body):
    return struct.pack(">BBHHBx", 1, kind, 1, len(body), 0) + body

def pair(k, v):
    return bytes([len(k), len(v)]) + k + v

conns = []
for _ in range(2):
    c = socket.socket(socket.AF_UNIX)
    c.connect(sys.argv[1])
    params = pair(b"REQUEST_METHOD", b"GET") + pair(b"REQUEST_URI", b"/") + pair(b"SCRIPT_NAME", b"/")
    c.sendall(record(1, struct.pack(">HB5x", 1, 1)) + record(4, params) + record(4, b"") +
              record(5, b""))
    got = b""
    while b"\x01\x03\x00\x01" not in got:  # FCGI_END_REQUEST for request 1
        chunk = c.recv(65536)
        if not chunk:
            break
        got += chunk
    conns.append(c)
print("kept", len(conns), flush=True)
time.sleep(8)
PY
idlepid=$!
for _ in $(seq 50); do grep -q kept "$TMP/idle-clients" && break; sleep 0.1; done
check "two clients hold the two workers on idle kept connections" grep -q "kept 2" "$TMP/idle-clients"
t0=$(date +%s%N)
code=$(curl -m 6 -s -o /dev/null -w '%{http_code}' -X POST -H "Origin: $U" \
    --data 'email=starved%40example.org' "$U/signup")
ms=$((($(date +%s%N) - t0) / 1000000))
check "a signup on a new connection is answered 303 within 3 s while both workers idled (${ms} ms)" \
    test "$code" = 303 -a "$ms" -lt 3000
kill "$idlepid" 2>/dev/null
wait "$idlepid" 2>/dev/null
stop_fcgi

# ---- start-up errors ------------------------------------------------------------------------------
printf 'signup:\n  rate_limit: {per_minute: 0}\n  origins: [ftp://x]\n  bogus: 1\n' >"$TMP/bad.yaml"
"$FCGI" -c "$TMP/bad.yaml" --listen "$TMP/x.sock" 2>"$TMP/bad.err"
rc=$?
check "bad signup settings: exit 1" test "$rc" = 1
check "bad signup settings: each named" sh -c "grep -q per_minute '$TMP/bad.err' && grep -q ftp '$TMP/bad.err' && grep -q bogus '$TMP/bad.err'"
mkdir -p "$TMP/nolanding"
cp -R "$SITE/content" "$SITE/themes" "$TMP/nolanding/"
sed 's/^landing: landing.md/landing: missing.md/' "$SITE/site.yaml" >"$TMP/nolanding/site.yaml"
"$HONE" build -s "$TMP/nolanding" -q 2>"$TMP/nolanding.err"
check "landing: naming no page fails the build, saying why" grep -q "landing: 'missing.md' is not a published page" "$TMP/nolanding.err"
sed 's/^landing: landing.md/landing: thanks.md/' "$SITE/site.yaml" >"$TMP/nolanding/site.yaml"
"$HONE" build -s "$TMP/nolanding" -q 2>"$TMP/nolanding.err"
check "landing: a page without layout: landing fails the build" grep -q "has no 'layout: landing'" "$TMP/nolanding.err"
check "the build wrote both homes" test -f "$SITE/public/_home/anon/index.html" -a -f "$SITE/public/_home/users/index.html"
"$FCGI" -s "$SITE" 2>"$TMP/nosock.err" </dev/null
check "no socket: a clear message" grep -q 'no socket to listen on' "$TMP/nosock.err"
# ---- deploy/nginx.conf is a valid configuration ------------------------------------------------
if command -v openssl >/dev/null; then
    d=$TMP/prod
    mkdir -p "$d"
    openssl req -x509 -newkey rsa:2048 -nodes -keyout "$d/k.pem" -out "$d/c.pem" -days 1 -subj /CN=x >/dev/null 2>&1
    sed -e "s|/etc/letsencrypt/live/example.org/fullchain.pem|$d/c.pem|" \
        -e "s|/etc/letsencrypt/live/example.org/privkey.pem|$d/k.pem|" \
        -e "s|listen 80;|listen 127.0.0.1:$(free_port);|" -e 's|listen \[::\]:80;||' \
        -e "s|listen 443 ssl http2;|listen 127.0.0.1:$(free_port) ssl http2;|" -e 's|listen \[::\]:443 ssl http2;||' \
        -e 's|include fastcgi_params;|include /etc/nginx/fastcgi_params;|' "$ROOT/deploy/nginx.conf" >"$d/site.conf"
    printf 'pid %s/n.pid;\nerror_log %s/e.log;\nevents {}\nhttp { include /etc/nginx/mime.types; access_log off; include %s/site.conf; }\n' \
        "$d" "$d" "$d" >"$d/main.conf"
    check "deploy/nginx.conf passes nginx -t" nginx -t -q -c "$d/main.conf" -p "$d"
else
    fail "deploy/nginx.conf passes nginx -t" "openssl is missing (make deps), so the check cannot run"
fi
finish
