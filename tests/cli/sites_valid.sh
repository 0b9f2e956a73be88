#!/usr/bin/env bash
# The shortcodes and Jekyll golden sites through real parsers: every page
# through html5lib's strict HTML5 parser, every feed through feedparser.
# (golden.sh compares their bytes; this says the bytes are valid.)
. "$(dirname "$0")/lib.sh"
for name in shortcodes jekyll; do
    if ! "$HONE" build -s "$ROOT/tests/sites/$name" -d "$TMP/$name" --quiet >"$TMP/log" 2>&1; then
        fail "$name builds" "$(cat "$TMP/log")"
        continue
    fi
    ok "$name builds"
    /usr/bin/python3 "$ROOT/tests/cli/validate.py" "$TMP/$name" >"$TMP/v" 2>&1
    grep -v '^ok' "$TMP/v" | grep -v '^[0-9]* passed' | sed "s/^/$name: /"
    line=$(grep -E '^[0-9]+ passed, [0-9]+ failed$' "$TMP/v" | tail -n 1)
    if [ -z "$line" ]; then
        fail "$name: validate.py ran to the end" "$(tail -n 5 "$TMP/v")"
    else
        PASS=$((PASS + $(echo "$line" | sed -n 's/^\([0-9]*\) passed.*/\1/p')))
        FAIL=$((FAIL + $(echo "$line" | sed -n 's/.* \([0-9]*\) failed.*/\1/p')))
    fi
done
# a draft by Jekyll's "published: false" is not built
if [ -e "$TMP/jekyll/categories/drafts" ] || grep -rq "Not published" "$TMP/jekyll"; then
    fail "jekyll: published: false stays out"
else
    ok "jekyll: published: false stays out"
fi
finish
