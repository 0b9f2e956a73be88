#!/usr/bin/env bash
# The default theme and the demo site, page by page, with real parsers
# (tests/cli/site_check.py): every page of the built demo site parses as
# HTML5 without an error (html5lib, strict), every internal link, image
# and #fragment resolves, nothing loads from another origin, one h1, alt
# text, Open Graph and canonical meta, feed links, JSON-LD on posts, and
# the anonymous home keeps hone-fcgi's markers and nothing for members.
# Built twice: at the root (site.yaml as it is) and under a base path,
# which every URL of the theme must carry.
. "$(dirname "$0")/lib.sh"
unset SOURCE_DATE_EPOCH   # the demo's posts are dated: build them as `make run` does

# site_check NAME PUBLIC BASE_URL: adds site_check.py's counts to ours
site_check() {
    /usr/bin/python3 "$ROOT/tests/cli/site_check.py" "$2" "$3" >"$TMP/v" 2>&1
    grep -v '^[0-9]* passed' "$TMP/v" | sed "s/^/$1: /"
    local line
    line=$(grep -E '^[0-9]+ passed, [0-9]+ failed$' "$TMP/v" | tail -n 1)
    if [ -z "$line" ]; then
        fail "$1: site_check.py ran to the end" "$(tail -n 5 "$TMP/v")"
    else
        PASS=$((PASS + $(echo "$line" | sed -n 's/^\([0-9]*\) passed.*/\1/p')))
        FAIL=$((FAIL + $(echo "$line" | sed -n 's/.* \([0-9]*\) failed.*/\1/p')))
    fi
}

# the demo site as it is
check "the demo site builds" "$HONE" build -s "$ROOT" -d "$TMP/root" --quiet
[ -d "$TMP/root" ] && site_check root "$TMP/root" "$(sed -n 's/^base_url: *//p' "$ROOT/site.yaml")"

# the same site under a base path
mkdir -p "$TMP/sub"
ln -s "$ROOT/content" "$TMP/sub/content"
ln -s "$ROOT/themes" "$TMP/sub/themes"
sed 's|^base_url:.*|base_url: https://example.org/blog/|' "$ROOT/site.yaml" >"$TMP/sub/site.yaml"
check "the demo site builds under /blog/" "$HONE" build -s "$TMP/sub" -d "$TMP/sub/public" --quiet
[ -d "$TMP/sub/public" ] && site_check blog "$TMP/sub/public" https://example.org/blog/

# a figure without alt text is visible on the page, and the check sees it
mkdir -p "$TMP/alt/content/posts"
ln -s "$ROOT/themes" "$TMP/alt/themes"
printf 'base_url: https://example.org/\ntitle: Alt\ntheme: edge\n' >"$TMP/alt/site.yaml"
printf -- '---\ntitle: Pictures\ndate: 2020-01-01\n---\n{{< figure src="a.png" caption="A *cat*" >}}\n\n{{< figure src="/b.png" alt="" >}}\n\n{{< figure src="c.png" alt="A dog" link="big.png" title="Dog" >}}\n' \
    >"$TMP/alt/content/posts/pictures.md"
check "a site with figures builds" "$HONE" build -s "$TMP/alt" --quiet
P=$TMP/alt/public/posts/pictures/index.html
check "figure without alt: outlined and says so on the page" \
    grep -q '<figure class="needs-alt">' "$P"
check "figure without alt: the note is visible text" grep -q 'class="needs-alt-note">Missing alt text' "$P"
check "figure without alt: the caption's text is the alt meanwhile" grep -q 'alt="A cat"' "$P"
check "figure with alt=\"\": a decoration, not flagged" \
    sh -c "grep -c 'needs-alt\"' '$P' | grep -qx 1 && grep -q 'src=\"/b.png\" alt=\"\"' '$P'"
check "figure: a relative src and link are the page's" \
    grep -q '<a href="/posts/pictures/big.png"><img src="/posts/pictures/c.png" alt="A dog"' "$P"
if /usr/bin/python3 "$ROOT/tests/cli/site_check.py" "$TMP/alt/public" https://example.org/ >"$TMP/altcheck" 2>&1; then
    fail "site_check.py flags a figure without alt" "$(tail -n 5 "$TMP/altcheck")"
else
    check "site_check.py flags a figure without alt" grep -q 'missing its alt text' "$TMP/altcheck"
fi
finish
