#!/usr/bin/env bash
# The golden blog through real parsers: html5lib (strict) and feedparser.
. "$(dirname "$0")/lib.sh"
if "$HONE" build -s "$ROOT/tests/sites/blog" -d "$TMP/out" --quiet >"$TMP/log" 2>&1; then
    ok "blog builds"
    /usr/bin/python3 "$ROOT/tests/cli/validate.py" "$TMP/out" blog >"$TMP/v" 2>&1
    cat "$TMP/v"
    line=$(grep -E '^[0-9]+ passed, [0-9]+ failed$' "$TMP/v" | tail -n 1)
    if [ -z "$line" ]; then
        fail "validate.py ran to the end"
    else
        PASS=$((PASS + $(echo "$line" | sed -n 's/^\([0-9]*\) passed.*/\1/p')))
        FAIL=$((FAIL + $(echo "$line" | sed -n 's/.* \([0-9]*\) failed.*/\1/p')))
    fi
else
    fail "blog builds" "$(cat "$TMP/log")"
fi
finish
