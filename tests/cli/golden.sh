#!/usr/bin/env bash
# Golden sites: each tests/sites/NAME builds into exactly tests/sites/NAME/expected,
# byte for byte; a second build, and a build on one thread, give the same bytes.
# After an intended change of output: tests/cli/golden.sh --update, then review the diff.
. "$(dirname "$0")/lib.sh"
update=0
[ "${1:-}" = "--update" ] && update=1
for site in "$ROOT"/tests/sites/*/; do
    name=$(basename "$site")
    out="$TMP/$name-a"
    if ! "$HONE" build -s "$site" -d "$out" --quiet >"$TMP/log" 2>&1; then
        fail "$name: builds" "$(cat "$TMP/log")"
        continue
    fi
    ok "$name: builds"
    if [ "$update" = 1 ]; then
        rm -rf "$site/expected" && cp -R "$out" "$site/expected"
        echo "updated $site/expected"
    fi
    if diff -r "$site/expected" "$out" >"$TMP/diff" 2>&1; then
        ok "$name: output matches expected/"
    else
        fail "$name: output matches expected/" "$(head -n 40 "$TMP/diff")"
    fi
    "$HONE" build -s "$site" -d "$TMP/$name-b" --quiet -j 1 >/dev/null 2>&1
    if diff -r "$out" "$TMP/$name-b" >/dev/null 2>&1; then
        ok "$name: deterministic (again, and on one thread)"
    else
        fail "$name: deterministic (again, and on one thread)" "$(diff -r "$out" "$TMP/$name-b" | head -n 20)"
    fi
done

# --future and --expired put back what the golden build leaves out
for opt in future expired; do
    title=$([ "$opt" = future ] && echo "From the future" || echo "Expired")
    "$HONE" build -s "$ROOT/tests/sites/blog" -d "$TMP/$opt" --quiet "--$opt" >"$TMP/log" 2>&1
    if grep -rlq "<title>$title" "$TMP/$opt" && grep -q "/$opt/</loc>" "$TMP/$opt/sitemap.xml" &&
        ! grep -rlq "<title>A draft" "$TMP/$opt"; then
        ok "--$opt builds the $opt post, and only that"
    else
        fail "--$opt builds the $opt post, and only that" "$(cat "$TMP/log")"
    fi
done

# --timings: one line per stage on standard error, nothing more on standard output
site="$ROOT/tests/sites/blog"
"$HONE" build -s "$site" -d "$TMP/timed" --quiet --timings >"$TMP/t-out" 2>"$TMP/t-err"
stages=$(sed -n 's/^hone build: \([a-z ]*[a-z]\) *[0-9]*\.[0-9]\{3\} s$/\1/p' "$TMP/t-err" | tr '\n' ',')
if [ "$stages" = "config,scan,front matter,link,shortcodes,markdown,render,commit,free," ] &&
    [ ! -s "$TMP/t-out" ]; then
    ok "--timings: each stage's wall time on standard error"
else
    fail "--timings: each stage's wall time on standard error" "stages: $stages; stdout: $(head -c 200 "$TMP/t-out")"
fi
if diff -r "$site/expected" "$TMP/timed" >/dev/null 2>&1; then
    ok "--timings: the same output"
else
    fail "--timings: the same output" "$(diff -r "$site/expected" "$TMP/timed" | head -n 10)"
fi
finish
