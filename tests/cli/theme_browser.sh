#!/usr/bin/env bash
# The default theme and the demo site in a real headless Chromium (Debian's
# /usr/bin/chromium, driven by playwright-core; axe-core for accessibility;
# both from tests/browser/node_modules, installed by `make browser-deps`).
# The demo site (content/ with themes/edge) is built for a free local port
# and served by a private nginx and hone-fcgi (tests/cli/fcgi_lib.sh);
# tests/browser/theme.mjs takes the screenshots and runs the checks.
# The screenshots stay in tests/artifacts/screenshots/ (or $SCREENSHOTS_DIR),
# named PAGE-WIDTH-SCHEME.png; the folder is gitignored and CI keeps it.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/fcgi_lib.sh"

SHOTS=${SCREENSHOTS_DIR:-$ROOT/tests/artifacts/screenshots}
POSTS=${THEME_POSTS:-2026/11/getting-started/ 2026/11/inside-a-build/}
if [ ! -x /usr/bin/chromium ] || [ ! -d "$ROOT/tests/browser/node_modules/playwright-core" ] ||
    [ ! -d "$ROOT/tests/browser/node_modules/axe-core" ]; then
    fail "Chromium, playwright-core and axe-core are installed" "run: make deps browser-deps"
    finish
    exit 1
fi
PORT=$(free_port)
SITE=$TMP/site
SOCK=$TMP/fcgi.sock
mkdir -p "$SITE"
ln -s "$ROOT/content" "$SITE/content"
ln -s "$ROOT/themes" "$SITE/themes"
[ -d "$ROOT/static" ] && ln -s "$ROOT/static" "$SITE/static"
sed "s|^base_url:.*|base_url: http://127.0.0.1:$PORT/|" "$ROOT/site.yaml" >"$SITE/site.yaml"
# built as `make run` builds it: "now" is now, not lib.sh's fixed date
check "the demo site builds" env -u SOURCE_DATE_EPOCH "$HONE" build -s "$SITE" -q
start_fcgi "$SITE" "$SOCK" "$TMP/fcgi.log" -t 4 || { fail "hone-fcgi starts" "$(tail -5 "$TMP/fcgi.log")"; finish; exit 1; }
start_nginx "$TMP/nginx" "$SITE/public" "$PORT" "$SOCK" || { fail "nginx starts"; finish; exit 1; }
mkdir -p "$SHOTS" "$TMP/profiles"   # overwritten, never emptied: another run may be writing too
(cd "$ROOT/tests/browser" && HOME=$TMP timeout 150 node theme.mjs "http://127.0.0.1:$PORT/" "$SHOTS" "$TMP/profiles" $POSTS) \
    >"$TMP/browser.out" 2>&1 </dev/null
cat "$TMP/browser.out"
line=$(grep -E '^[0-9]+ passed, [0-9]+ failed' "$TMP/browser.out" | tail -n1)
p=$(echo "$line" | sed -n 's/^\([0-9]*\) passed.*/\1/p')
f=$(echo "$line" | sed -n 's/.* \([0-9]*\) failed$/\1/p')
PASS=$((PASS + ${p:-0}))
FAIL=$((FAIL + ${f:-1}))
echo "screenshots: $SHOTS"
finish
