# Helpers for the shell test suites: each check counts one test.
# A suite sources this, calls check/ok/fail, and ends with `finish`.
set -u
PASS=0
FAIL=0
HONE=${HONE:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)/${BIN:-bin}/hone}
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
export SOURCE_DATE_EPOCH=1700000000   # 2023-11-14: fixed "now" for drafts/future

ok() { PASS=$((PASS + 1)); echo "ok   $1"; }
fail() { FAIL=$((FAIL + 1)); echo "FAIL $1"; shift; for l in "$@"; do echo "     $l"; done; }
# check NAME COMMAND...: passes when the command succeeds
check() { local n=$1; shift; if "$@" >"$TMP/out" 2>&1; then ok "$n"; else fail "$n" "$(tail -n 20 "$TMP/out")"; fi; }
finish() { echo "$PASS passed, $FAIL failed"; [ "$FAIL" -eq 0 ]; }
