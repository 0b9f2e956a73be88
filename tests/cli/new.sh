#!/usr/bin/env bash
# hone new: the file it starts builds as it is (a draft only with --drafts),
# keeps a title with quotes and colons intact, and never overwrites.
. "$(dirname "$0")/lib.sh"
site=$TMP/site
mkdir -p "$site/themes"
cp -R "$ROOT/tests/sites/blog/themes/mini" "$site/themes/mini"
printf 'base_url: https://example.org/\ntitle: T\ntheme: mini\ntimezone: "+05:30"\n' >"$site/site.yaml"

check "new post prints the path" bash -c "\"$HONE\" new post 'Hello: \"quoted\" world' -s '$site' | grep -qx '$site/content/posts/hello-quoted-world.md'"
f=$site/content/posts/hello-quoted-world.md
check "the date is in the site's zone" grep -qE '^date: [0-9-]{10}T[0-9:]{8}\+05:30$' "$f"
check "a new post is a draft" grep -qx 'draft: true' "$f"
check "a draft is left out of a build" env -u SOURCE_DATE_EPOCH bash -c "\"$HONE\" build -s '$site' --quiet && ! ls '$site/public/posts' 2>/dev/null | grep -q hello"
check "--drafts builds it, title intact" env -u SOURCE_DATE_EPOCH bash -c "\"$HONE\" build -s '$site' --drafts --quiet && grep -q 'Hello: &quot;quoted&quot; world' '$site/public/posts/hello-quoted-world/index.html'"
"$HONE" new post 'Hello: "quoted" world' -s "$site" >"$TMP/out" 2>&1
rc=$?
if [ "$rc" -eq 1 ] && grep -q "exists already" "$TMP/out"; then ok "never overwrites"; else fail "never overwrites" "rc=$rc $(cat "$TMP/out")"; fi
check "new page has no date" bash -c "\"$HONE\" new page 'About us' -s '$site' >/dev/null && ! grep -q '^date:' '$site/content/about-us.md'"
"$HONE" new post '!!!' -s "$site" >"$TMP/out" 2>&1
if [ $? -eq 2 ] && grep -q "empty slug" "$TMP/out"; then ok "a title without letters is refused"; else fail "a title without letters is refused" "$(cat "$TMP/out")"; fi
finish
