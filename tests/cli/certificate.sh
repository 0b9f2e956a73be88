#!/usr/bin/env bash
# Certificate downloads through a real nginx and hone-fcgi, with curl:
# a member gets the template plus a stamp that qpdf, poppler and
# `hone verify-pdf` accept, and the download is in the store; non-members,
# forged or expired cookies and members no longer stored are sent to the
# signup form; HEAD; two downloads differ; other certificates by name
# (visible line, quoted and UTF-8 file names, a cross-reference stream,
# 5 MB); unknown names; templates that are garbage, encrypted or missing
# answer 503 while signups go on, and are picked up when a good file
# replaces them, without a restart; a good template replaced at run time
# by garbage keeps being served as it was; downloads during 40 template
# swaps are all whole and genuine; a locked store (records queued, then
# 503 while it fails); a store of schema 1 upgraded; site.yaml's
# certificates: errors.  Every wait is bounded; the EXIT trap stops nginx
# and hone-fcgi.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/fcgi_lib.sh"

for tool in qpdf pdfinfo pdftotext sqlite3 curl nginx; do
    if ! command -v "$tool" >/dev/null; then
        fail "$tool is not installed (make deps)"
        finish
        exit
    fi
done

PORT=$(free_port)
U=http://127.0.0.1:$PORT
SITE=$TMP/site
SOCK=$TMP/fcgi.sock
LOG=$TMP/fcgi.log
DB=$SITE/state/signups.db
C=$SITE/certs
P=$ROOT/tests/pdf
THEME_PDF=$ROOT/themes/edge/certificates/certificate.pdf

# ---- site.yaml errors (hone reads the same settings) -----------------------------
mkdir -p "$TMP/bad"
bad_yaml() { # NAME YAML EXPECTED-TEXT
    printf 'base_url: https://example.org/\ntitle: T\n%s\n' "$2" >"$TMP/bad/site.yaml"
    if "$HONE" build -s "$TMP/bad" -q >"$TMP/bad.out" 2>&1; then
        fail "$1" "hone build accepted it"
    elif grep -qF -- "$3" "$TMP/bad.out"; then
        ok "$1"
    else
        fail "$1" "no '$3' in:" "$(cat "$TMP/bad.out")"
    fi
}
bad_yaml "certificates: not a list" 'certificates: {name: a}' "'certificates' must be a list"
bad_yaml "certificates: an item is not a map" 'certificates: [a.pdf]' "item 1 must be a map"
bad_yaml "certificates: no template" $'certificates:\n  - name: a' "needs a name and a template"
bad_yaml "certificates: a name that is no URL segment" \
    $'certificates:\n  - {name: My Cert, template: a.pdf}' "the name 'My Cert' must be"
bad_yaml "certificates: a name used twice" \
    $'certificates:\n  - {name: a, template: a.pdf}\n  - {name: a, template: b.pdf}' "the name 'a' is used twice"
bad_yaml "certificates: an unknown key" \
    $'certificates:\n  - {name: a, template: a.pdf, visible: true}' "unknown key 'certificates.visible'"
bad_yaml "certificates: a file name with a slash" \
    $'certificates:\n  - {name: a, template: a.pdf, filename: ../x.pdf}' "the filename of 'a' must be"
bad_yaml "certificates: visible_line must be true or false" \
    $'certificates:\n  - {name: a, template: a.pdf, visible_line: maybe}' "'visible_line' must be true or false"

# ---- the site: six certificates, two of them unusable, one missing ------------------
mkdir -p "$C"
cp "$THEME_PDF" "$C/main.pdf"
cp "$P/lo.pdf" "$C/second.pdf"
qpdf --object-streams=generate "$P/gs.pdf" "$C/streams.pdf"
head -c 4000 /dev/urandom >"$C/broken.pdf"
qpdf --encrypt user owner 256 -- "$P/lo.pdf" "$C/locked.pdf"
cp "$P/cairo.pdf" "$C/swap.pdf"
# 5 MB: more FastCGI records (64 KB each) than one writev sends
/usr/bin/python3 "$ROOT/bench/certificate/make_template.py" 5000000 "$C/large.pdf"
make_site "$SITE" "$PORT" "  trusted_proxies: [127.0.0.1]" ||
    { fail "the test site builds"; finish; exit 1; }
cat >>"$SITE/site.yaml" <<'YAML'
certificates:
  - name: main
    template: certs/main.pdf
    filename: "Zertifikat – Müller.pdf"
    title: The main certificate
  - name: second
    template: certs/second.pdf
    filename: 'Second "copy".pdf'
    visible_line: true
  - {name: streams, template: certs/streams.pdf}
  - {name: broken, template: certs/broken.pdf}
  - {name: locked, template: certs/locked.pdf}
  - {name: missing, template: certs/missing.pdf}
  - {name: swap, template: certs/swap.pdf}
  - {name: large, template: certs/large.pdf}
YAML

# a store of schema 1 (as issue 5 left it) with one member: upgraded at start
mkdir -p "$SITE/state"
sqlite3 "$DB" <<'SQL'
CREATE TABLE signups (
  id INTEGER PRIMARY KEY,
  email TEXT NOT NULL UNIQUE COLLATE NOCASE,
  created_at TEXT NOT NULL,
  ip TEXT NOT NULL DEFAULT '',
  user_agent TEXT NOT NULL DEFAULT '',
  referrer TEXT NOT NULL DEFAULT '',
  landing TEXT NOT NULL DEFAULT ''
);
CREATE INDEX signups_created ON signups(created_at);
INSERT INTO signups (email, created_at) VALUES ('old@example.org', '2025-01-02T03:04:05Z');
PRAGMA user_version = 1;
SQL

start_fcgi "$SITE" "$SOCK" "$LOG" -t 8 || { fail "hone-fcgi starts" "$(cat "$LOG")"; finish; exit 1; }
start_nginx "$TMP/nginx" "$SITE/public" "$PORT" "$SOCK" || { fail "nginx starts"; finish; exit 1; }

ok "hone-fcgi starts although three templates cannot be used"
check "start-up names the garbage template and says it is refused" \
    grep -q "certificate 'broken': .*broken.pdf: error: .*PDF" "$LOG"
check "start-up names the encrypted template, with what to do" \
    grep -q "certificate 'locked': .*locked.pdf: error: encrypted PDF: .*qpdf --decrypt" "$LOG"
check "start-up names the missing template" grep -q "certificate 'missing': .*missing.pdf" "$LOG"
check "start-up says those answer 503" grep -q "certificate 'broken' answers 503" "$LOG"
check "the store was upgraded to schema 2" test "$(sqlite3 "$DB" 'PRAGMA user_version')" = 2
check "the upgrade kept the signup" test "$(sqlite3 "$DB" 'SELECT email FROM signups WHERE id = 1')" = old@example.org
check "the downloads table is there, empty" test "$(sqlite3 "$DB" 'SELECT count(*) FROM downloads')" = 0

# req ARGS...: status in $S, headers in $TMP/h, body in $TMP/b
req() { S=$(curl -m 30 -s -o "$TMP/b" -D "$TMP/h" -w '%{http_code}' "$@"); }
hdr() { grep -i "^$1:" "$TMP/h" | head -n1 | cut -d' ' -f2- | tr -d '\r'; }
expect() { # NAME WANT_STATUS
    if [ "$S" = "$2" ]; then ok "$1"; else fail "$1" "status $S, wanted $2" "$(head -c 300 "$TMP/b")"; fi
}
info() { pdfinfo -custom "$1" 2>/dev/null | sed -n "s/^$2: *//p"; }
qpdf_clean() {
    qpdf --check "$1" >"$TMP/qpdf.txt" 2>&1 || { cat "$TMP/qpdf.txt"; return 1; }
    ! grep -qi 'warning' "$TMP/qpdf.txt"
}
is_prefix() { # TEMPLATE FILE
    local n
    n=$(stat -c %s "$1")
    [ "$(stat -c %s "$2")" -gt "$n" ] && cmp -s -n "$n" "$1" "$2"
}
# rows WHERE: downloads matching; settle N WHERE: waits (at most 10 s) until
# there are N, as records are committed just after the answer (commit.h)
rows() { sqlite3 "$DB" "SELECT count(*) FROM downloads WHERE $1"; }
settle() {
    for _ in $(seq 200); do [ "$(rows "$2")" = "$1" ] && return 0; sleep 0.05; done
    return 1
}
genuine() { "$HONE" verify-pdf -s "$SITE" "$1" >"$TMP/verify.txt" 2>&1 && grep -qx GENUINE "$TMP/verify.txt"; }
clients=()
GETS=0 # downloads answered 200 to a GET: each must be a row in the store

# ---- without a member cookie: to the signup form ------------------------------------
req "$U/certificate.pdf"
expect "no cookie: 303" 303
check "no cookie: Location is the anonymous home's signup form" test "$(hdr Location)" = "/#signup"
check "no cookie: no PDF sent" sh -c "! grep -q '%PDF' '$TMP/b'"
check "no cookie: Cache-Control: no-store" test "$(hdr Cache-Control)" = no-store
req -I "$U/certificates/second.pdf"
expect "no cookie, HEAD of another certificate: 303" 303

# member 1 (from the schema-1 store) by a cookie made with the site's key
cookie_for() { # ID EXPIRES [KEYFILE]
    /usr/bin/python3 - "${3:-$SITE/state/secret.key}" "$1" "$2" <<'PY'
import base64, hashlib, hmac, sys
key = open(sys.argv[1], "rb").read()
p = "1.%s.%s" % (sys.argv[2], sys.argv[3])
m = hmac.new(key, b"hone-member:" + p.encode(), hashlib.sha256).digest()
print("hone_member=%s.%s" % (p, base64.urlsafe_b64encode(m).decode().rstrip("=")))
PY
}
OLD=$(cookie_for 1 4000000000)
head -c 32 /dev/urandom >"$TMP/other.key"
req -H "Cookie: $(cookie_for 1 4000000000 "$TMP/other.key")" "$U/certificate.pdf"
expect "a cookie signed with another key: 303" 303
mac=${OLD##*.}
flipped="${OLD%.*}.$(if [ "${mac:0:1}" = A ]; then echo B; else echo A; fi)${mac:1}"
req -H "Cookie: $flipped" "$U/certificate.pdf"
expect "a cookie with one MAC character changed: 303" 303
req -H "Cookie: hone_member=1.1.4000000000.$(printf '%043d' 0)" "$U/certificate.pdf"
expect "a made-up MAC: 303" 303
req -H "Cookie: $(cookie_for 1 1000000000)" "$U/certificate.pdf"
expect "a genuine but expired cookie: 303" 303
req -H "Cookie: $(cookie_for 999 4000000000)" "$U/certificate.pdf"
expect "a genuine cookie for a member not in the store: 303" 303
check "none of those was recorded" test "$(sqlite3 "$DB" 'SELECT count(*) FROM downloads')" = 0

# ---- a member downloads ---------------------------------------------------------------
S=$(curl -m 30 -s -o "$TMP/old.pdf" -D "$TMP/h" -w '%{http_code}' -H "Cookie: $OLD" "$U/certificate.pdf")
expect "the member of the upgraded store downloads /certificate.pdf: 200" 200
GETS=$((GETS + 1))
check "its recipient is the stored email" test "$(info "$TMP/old.pdf" HoneRecipient)" = old@example.org

# a new member, signed up through the form
S=$(curl -m 30 -s -o /dev/null -D "$TMP/h" -w '%{http_code}' -X POST -H "Origin: $U" \
    --data 'email=Ann%40Example.org' "$U/signup")
expect "a signup: 303" 303
ANN=$(hdr Set-Cookie)
ANN=${ANN%%;*}
S=$(curl -m 30 -s -o "$TMP/a1.pdf" -D "$TMP/h" -w '%{http_code}' -H "Cookie: other=1; $ANN" "$U/certificate.pdf")
expect "the new member downloads /certificate.pdf: 200" 200
GETS=$((GETS + 1))
cp "$TMP/h" "$TMP/get-headers"
check "Content-Type: application/pdf" test "$(hdr Content-Type)" = application/pdf
check "Content-Disposition: attachment, ASCII fallback and RFC 6266 filename*" test "$(hdr Content-Disposition)" = \
    "attachment; filename=\"Zertifikat _ M_ller.pdf\"; filename*=UTF-8''Zertifikat%20%E2%80%93%20M%C3%BCller.pdf"
check "Cache-Control: no-store" test "$(hdr Cache-Control)" = no-store
check "Content-Length is the file's length" test "$(hdr Content-Length)" = "$(stat -c %s "$TMP/a1.pdf")"
check "qpdf --check is clean" qpdf_clean "$TMP/a1.pdf"
check "the template's bytes are a prefix" is_prefix "$THEME_PDF" "$TMP/a1.pdf"
check "pdfinfo: HoneRecipient is the member's email" test "$(info "$TMP/a1.pdf" HoneRecipient)" = Ann@Example.org
T1=$(info "$TMP/a1.pdf" HoneDownloadedAt)
check "pdfinfo: HoneDownloadedAt is UTC ISO 8601" grep -qE '^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}Z$' <<<"$T1"
ID1=$(info "$TMP/a1.pdf" HoneCertificateId)
check "pdfinfo: HoneCertificateId is 43 characters of base64url" grep -qE '^[A-Za-z0-9_-]{43}$' <<<"$ID1"
check "pdfinfo: the template's own title is kept" test "$(pdfinfo "$TMP/a1.pdf" | sed -n 's/^Title: *//p')" = "hone membership certificate"
check "hone verify-pdf with the site secret: GENUINE" genuine "$TMP/a1.pdf"
check "verify-pdf reads the recipient back" grep -q 'recipient: *Ann@Example.org' "$TMP/verify.txt"
check "no visible line when visible_line is off" sh -c "! pdftotext '$TMP/a1.pdf' - | grep -q 'Issued to'"
settle 1 "member_id = 2"
check "the download is recorded: member, certificate, time, id" test \
    "$(sqlite3 "$DB" "SELECT d.certificate||'|'||d.downloaded_at||'|'||d.certificate_id FROM downloads d JOIN signups s ON s.id = d.member_id WHERE s.email = 'Ann@Example.org'")" = \
    "main|$T1|$ID1"

# ---- HEAD --------------------------------------------------------------------------
S=$(curl -m 30 -s -I -o "$TMP/b" -D "$TMP/h" -w '%{http_code} %{size_download}' -H "Cookie: $ANN" "$U/certificate.pdf")
if [ "$S" = "200 0" ]; then ok "HEAD: 200 and no body"; else fail "HEAD" "$S"; fi
same_headers() {
    local n
    for n in Content-Type Content-Length Content-Disposition Cache-Control; do
        [ "$(hdr $n)" = "$(grep -i "^$n:" "$TMP/get-headers" | head -n1 | cut -d' ' -f2- | tr -d '\r')" ] || return 1
    done
}
check "HEAD: the same type, length, disposition and caching as GET" same_headers
check "HEAD records no download" test "$(sqlite3 "$DB" "SELECT count(*) FROM downloads d JOIN signups s ON s.id = d.member_id WHERE s.email = 'Ann@Example.org'")" = 1

# ---- a second download: another time, another id ---------------------------------------
sleep 1.1
S=$(curl -m 30 -s -o "$TMP/a2.pdf" -w '%{http_code}' -H "Cookie: $ANN" "$U/certificate.pdf")
expect "a second download: 200" 200
GETS=$((GETS + 1))
T2=$(info "$TMP/a2.pdf" HoneDownloadedAt)
ID2=$(info "$TMP/a2.pdf" HoneCertificateId)
check "the second download has a later time" test "$T2" \> "$T1"
check "the second download has another id" test "$ID2" != "$ID1"
check "the second download is GENUINE too" genuine "$TMP/a2.pdf"
check "both downloads are recorded" settle 2 "certificate_id IN ('$ID1', '$ID2')"

# ---- other certificates by name ----------------------------------------------------------
S=$(curl -m 30 -s -o "$TMP/s.pdf" -D "$TMP/h" -w '%{http_code}' -H "Cookie: $ANN" "$U/certificates/second.pdf")
expect "/certificates/second.pdf: 200" 200
GETS=$((GETS + 1))
check "its own file name: quotes replaced, filename* kept exact" test "$(hdr Content-Disposition)" = \
    "attachment; filename=\"Second _copy_.pdf\"; filename*=UTF-8''Second%20%22copy%22.pdf"
check "second: qpdf --check is clean" qpdf_clean "$TMP/s.pdf"
check "second: the LibreOffice template is a prefix" is_prefix "$P/lo.pdf" "$TMP/s.pdf"
check "second: GENUINE" genuine "$TMP/s.pdf"
check "second: the visible line is on the page" sh -c "pdftotext '$TMP/s.pdf' - | grep -q 'Issued to Ann@Example.org'"
S=$(curl -m 30 -s -o "$TMP/st.pdf" -D "$TMP/h" -w '%{http_code}' -H "Cookie: $ANN" "$U/certificates/streams.pdf")
expect "a template with object and cross-reference streams: 200" 200
GETS=$((GETS + 1))
check "streams: qpdf --check is clean" qpdf_clean "$TMP/st.pdf"
check "streams: GENUINE" genuine "$TMP/st.pdf"
check "streams: a default file name, NAME.pdf" test "$(hdr Content-Disposition)" = 'attachment; filename="streams.pdf"'
S=$(curl -m 30 -s -o "$TMP/big.pdf" -D "$TMP/h" -w '%{http_code}' -H "Cookie: $ANN" "$U/certificates/large.pdf")
expect "a 5 MB template: 200" 200
GETS=$((GETS + 1))
check "5 MB: Content-Length is what arrived" test "$(hdr Content-Length)" = "$(stat -c %s "$TMP/big.pdf")"
check "5 MB: the template is a prefix" is_prefix "$C/large.pdf" "$TMP/big.pdf"
check "5 MB: qpdf --check is clean" qpdf_clean "$TMP/big.pdf"
check "5 MB: GENUINE" genuine "$TMP/big.pdf"
S=$(curl -m 30 -s -o "$TMP/m.pdf" -w '%{http_code}' -H "Cookie: $ANN" "$U/certificates/main.pdf")
expect "the default certificate by its name too: 200" 200
GETS=$((GETS + 1))
for path in certificates/nope.pdf certificates/.pdf certificates/main.PDF certificates/main certificates/ \
    certificates/main.pdf/x.pdf certificates/%2e%2e/main.pdf certificate.pdfx; do
    req -H "Cookie: $ANN" "$U/$path"
    expect "/$path: 404" 404
done
req -X POST -H "Cookie: $ANN" -H "Origin: $U" "$U/certificate.pdf"
expect "POST /certificate.pdf: 405" 405
check "405 Allow: GET, HEAD" test "$(hdr Allow)" = "GET, HEAD"

# ---- downloads one after another on the connection nginx keeps ----------------------------------
# The body goes out as raw FastCGI records (writev); the next request on
# the same connection must find the connection at a record boundary.
S=$(curl -m 30 -s -o /dev/null -w '%{http_code}' -H "Cookie: $ANN" "$U/certificates/second.pdf")
expect "kept connection: a download: 200" 200
GETS=$((GETS + 1))
KEPT=$(fcgi_conns)
check "after a download, hone-fcgi holds a connection nginx keeps" test -n "$KEPT"
same_conns=1
for i in 1 2 3; do
    S=$(curl -m 30 -s -o "$TMP/k$i.pdf" -w '%{http_code}' -H "Cookie: $ANN" "$U/certificates/large.pdf")
    expect "kept connection: 5 MB download $i: 200" 200
    GETS=$((GETS + 1))
    check "kept connection: 5 MB download $i is whole and clean" \
        sh -c "cmp -s -n $(stat -c %s "$C/large.pdf") '$C/large.pdf' '$TMP/k$i.pdf' && qpdf --check '$TMP/k$i.pdf' >/dev/null 2>&1"
    [ "$(fcgi_conns)" = "$KEPT" ] || same_conns=0
    S=$(curl -m 30 -s -o /dev/null -w '%{http_code}' "$U/certificates/main.pdf")
    expect "kept connection: without a cookie $i: 303" 303
    [ "$(fcgi_conns)" = "$KEPT" ] || same_conns=0
    S=$(curl -m 30 -s -o "$TMP/km$i.pdf" -w '%{http_code}' -H "Cookie: $ANN" "$U/certificate.pdf")
    expect "kept connection: 100 KB download $i: 200" 200
    GETS=$((GETS + 1))
    check "kept connection: 100 KB download $i after a 5 MB one and a 303 is GENUINE" genuine "$TMP/km$i.pdf"
    [ "$(fcgi_conns)" = "$KEPT" ] || same_conns=0
done
check "ten requests, no new connection: nginx reused the kept one each time" \
    test "$same_conns$(fcgi_conns)" = "1$KEPT"
# nginx stops reading an answer to HEAD at its headers, so it closes that
# connection rather than keep it: the next download takes another one
S=$(curl -m 30 -s -I -o /dev/null -w '%{http_code}' -H "Cookie: $ANN" "$U/certificate.pdf")
expect "kept connection: HEAD: 200" 200
S=$(curl -m 30 -s -o "$TMP/kh.pdf" -w '%{http_code}' -H "Cookie: $ANN" "$U/certificate.pdf")
expect "a download after a HEAD: 200" 200
GETS=$((GETS + 1))
check "a download after a HEAD is GENUINE" genuine "$TMP/kh.pdf"

# ---- unusable templates: 503, and the rest of the site works ------------------------------------
for n in broken locked missing; do
    req -H "Cookie: $ANN" "$U/certificates/$n.pdf"
    expect "$n template: 503" 503
    check "$n template: never a PDF" sh -c "! grep -q '%PDF' '$TMP/b'"
done
req -I -H "Cookie: $ANN" "$U/certificates/broken.pdf"
expect "broken template, HEAD: 503" 503
S=$(curl -m 30 -s -o /dev/null -w '%{http_code}' -X POST -H "Origin: $U" --data 'email=bob%40example.org' "$U/signup")
expect "signups still work meanwhile: 303" 303
req -H "Cookie: $ANN" "$U/"
expect "the home still works meanwhile: 200" 200

# ---- templates replaced while hone-fcgi runs ---------------------------------------------------------
cp "$P/gs.pdf" "$C/broken.pdf.new"
mv "$C/broken.pdf.new" "$C/broken.pdf"
S=$(curl -m 30 -s -o "$TMP/b1.pdf" -w '%{http_code}' -H "Cookie: $ANN" "$U/certificates/broken.pdf")
expect "a good file renamed over the garbage is served at once: 200" 200
GETS=$((GETS + 1))
check "... the new template is the prefix" is_prefix "$P/gs.pdf" "$TMP/b1.pdf"
check "... GENUINE" genuine "$TMP/b1.pdf"
check "the reload is logged" grep -q "certificate 'broken': loaded .*broken.pdf again" "$LOG"
cp "$P/xrefstream.pdf" "$C/locked.pdf" # written in place, not renamed
S=$(curl -m 30 -s -o "$TMP/l1.pdf" -w '%{http_code}' -H "Cookie: $ANN" "$U/certificates/locked.pdf")
expect "the encrypted file overwritten in place by a good one: 200" 200
GETS=$((GETS + 1))
check "... the new template is the prefix" is_prefix "$P/xrefstream.pdf" "$TMP/l1.pdf"
check "... qpdf --check is clean" qpdf_clean "$TMP/l1.pdf"
cp "$P/hybrid.pdf" "$C/missing.pdf"
S=$(curl -m 30 -s -o "$TMP/mi.pdf" -w '%{http_code}' -H "Cookie: $ANN" "$U/certificates/missing.pdf")
expect "a missing template that appears: 200" 200
GETS=$((GETS + 1))
check "... GENUINE" genuine "$TMP/mi.pdf"

cp "$P/gs.pdf" "$C/main.pdf.new"
mv "$C/main.pdf.new" "$C/main.pdf"
S=$(curl -m 30 -s -o "$TMP/n.pdf" -w '%{http_code}' -H "Cookie: $ANN" "$U/certificate.pdf")
expect "the main template replaced by another valid PDF: 200" 200
GETS=$((GETS + 1))
check "... the replacement is served without a restart" is_prefix "$P/gs.pdf" "$TMP/n.pdf"
check "... GENUINE" genuine "$TMP/n.pdf"

head -c 3000 /dev/urandom >"$C/second.pdf"
S=$(curl -m 30 -s -o "$TMP/s2.pdf" -w '%{http_code}' -H "Cookie: $ANN" "$U/certificates/second.pdf")
expect "a good template overwritten with garbage: still 200" 200
GETS=$((GETS + 1))
check "... serving the template it had (never a broken file)" is_prefix "$P/lo.pdf" "$TMP/s2.pdf"
check "... GENUINE" genuine "$TMP/s2.pdf"
check "... and the refusal is logged" grep -q "certificate 'second' keeps its previous template" "$LOG"
n_refused=$(grep -c "certificate 'second' keeps" "$LOG")
curl -m 30 -s -o /dev/null -H "Cookie: $ANN" "$U/certificates/second.pdf"
GETS=$((GETS + 1))
check "... once: the same refused file is not read again" test "$(grep -c "certificate 'second' keeps" "$LOG")" = "$n_refused"

# ---- downloads while the template is swapped again and again ------------------------------------------
cp "$P/cairo.pdf" "$TMP/A.pdf"
cp "$P/updated.pdf" "$TMP/B.pdf"
mkdir -p "$TMP/par"
(
    for i in $(seq 40); do
        if [ $((i % 2)) = 0 ]; then f=A; else f=B; fi
        cp "$TMP/$f.pdf" "$C/swap.pdf.new" && mv "$C/swap.pdf.new" "$C/swap.pdf"
        sleep 0.01
    done
    touch "$TMP/par/swapped"
) &
swapper=$!
# 6 clients download until the swapper is done (each at most 100 times)
for c in 1 2 3 4 5 6; do
    (
        for i in $(seq 100); do
            [ -e "$TMP/par/swapped" ] && [ "$i" -gt 2 ] && break
            curl -m 30 -s -o "$TMP/par/$c-$i.pdf" -w '%{http_code}\n' \
                -H "Cookie: $ANN" "$U/certificates/swap.pdf" >>"$TMP/par/codes-$c"
        done
    ) &
    clients+=($!)
done
wait "$swapper" "${clients[@]}"
cat "$TMP"/par/codes-* >"$TMP/par/codes"
npar=$(grep -c . "$TMP/par/codes")
GETS=$((GETS + npar))
check "$npar downloads during 40 swaps: all 200" test "$(grep -c '^200$' "$TMP/par/codes")" = "$npar"
whole=0 na=0 nb=0
for f in "$TMP"/par/*.pdf; do
    if is_prefix "$TMP/A.pdf" "$f"; then na=$((na + 1)); elif is_prefix "$TMP/B.pdf" "$f"; then nb=$((nb + 1)); else continue; fi
    if genuine "$f" && qpdf --check "$f" >/dev/null 2>&1; then whole=$((whole + 1)); fi
done
check "... every one is a whole template plus its stamp, GENUINE, qpdf-clean" test "$whole" = "$npar"
if [ "$na" -gt 0 ] && [ "$nb" -gt 0 ]; then ok "... both templates were served ($na and $nb)"; else
    fail "... both templates were served" "$na from A, $nb from B"; fi

# ---- the store cannot commit ------------------------------------------------------------------------------
settle "$GETS" 1 # everything so far is in
mkfifo "$TMP/lock"
sqlite3 "$DB" <"$TMP/lock" >/dev/null 2>&1 &
lockpid=$!
exec 7>"$TMP/lock"
echo 'BEGIN EXCLUSIVE;' >&7
echo "SELECT 'locked';" >&7
sleep 0.3
S=$(curl -m 30 -s -o "$TMP/k1.pdf" -w '%{http_code}' -H "Cookie: $ANN" "$U/certificates/streams.pdf")
expect "store locked: a download is answered (its record is queued)" 200
for _ in $(seq 200); do grep -q 'was not stored' "$LOG" && break; sleep 0.05; done
check "... and the record that could not be written is reported" grep -q 'was not stored: .*locked' "$LOG"
req -H "Cookie: $ANN" "$U/certificates/streams.pdf"
expect "store failing: the next download waits for its record and gets 503" 503
check "... never a PDF" sh -c "! grep -q '%PDF' '$TMP/b'"
check "... with Retry-After" test -n "$(hdr Retry-After)"
echo 'COMMIT;' >&7
exec 7>&-
wait "$lockpid"
S=$(curl -m 30 -s -o "$TMP/k2.pdf" -w '%{http_code}' -H "Cookie: $ANN" "$U/certificates/streams.pdf")
expect "store back: downloads again" 200
GETS=$((GETS + 1))
check "... and recorded" settle "$GETS" 1

# ---- the store and the log ------------------------------------------------------------------------------
check "every download answered 200 is recorded ($GETS)" settle "$GETS" 1
check "each recorded id is a stamped id" test "$(sqlite3 "$DB" "SELECT count(*) FROM downloads WHERE length(certificate_id) = 43")" = "$GETS"
check "downloads name their certificate" test "$(rows "certificate = 'swap'")" = "$npar"
check "hone signups export reads the upgraded store" sh -c "'$HONE' signups export -s '$SITE' --csv | grep -q 'Ann@Example.org'"
check "a log line per download, naming the member's row and the certificate" \
    grep -qE '^[0-9T:-]+Z [0-9.]+ GET /certificates/second.pdf 200 [0-9]+us sent member=2 cert=second$' "$LOG"
check "the log holds no email address" sh -c "! grep -q '@example' '$LOG'"

stop_fcgi
check "no sanitizer report from hone-fcgi" sh -c "! grep -q 'Sanitizer\|runtime error' '$LOG'"
check "SIGTERM: the summary counts the downloads, and the two not stored" \
    grep -q "signups and $((GETS + 2)) certificate downloads in [0-9]* transactions, 2 not stored" "$LOG"
req -H "Cookie: $ANN" "$U/certificate.pdf"
expect "hone-fcgi down: 502 from nginx, never a file" 502
finish
