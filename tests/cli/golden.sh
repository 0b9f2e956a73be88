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
finish
