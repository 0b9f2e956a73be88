#!/usr/bin/env bash
# Every kind of bad input: the build fails with exit status 1, names
# file:line:col and what to do, reports every error (not only the first),
# and leaves the previous output folder exactly as it was.
. "$(dirname "$0")/lib.sh"

# new_site: a small valid site in $TMP/site with an old build in public/
new_site() {
    rm -rf "$TMP/site"
    mkdir -p "$TMP/site/content/posts" "$TMP/site/themes"
    cp -R "$ROOT/tests/sites/blog/themes/mini" "$TMP/site/themes/mini"
    printf 'base_url: https://example.org/\ntitle: T\ntheme: mini\n' >"$TMP/site/site.yaml"
    printf -- '---\ntitle: Good\ndate: 2021-01-01\n---\nfine\n' >"$TMP/site/content/posts/good.md"
    mkdir -p "$TMP/site/public" && echo old >"$TMP/site/public/marker"
}

# expect_error NAME SUBSTRING...: the build fails and prints each substring
expect_error() {
    local name=$1; shift
    "$HONE" build -s "$TMP/site" --quiet >"$TMP/out" 2>&1
    local rc=$?
    local missing=""
    for want in "$@"; do grep -qF -- "$want" "$TMP/out" || missing="$missing [$want]"; done
    if [ "$rc" -ne 1 ]; then
        fail "$name: exit status 1" "got $rc" "$(cat "$TMP/out")"
    elif [ -n "$missing" ]; then
        fail "$name: message" "missing:$missing" "$(cat "$TMP/out")"
    elif [ "$(cat "$TMP/site/public/marker" 2>/dev/null)" != old ] || [ -e "$TMP/site/public.hone-staging" ]; then
        fail "$name: public/ untouched" "$(ls -la "$TMP/site/public" "$TMP/site" 2>&1)"
    else
        ok "$name"
    fi
}

new_site
check "valid site builds" "$HONE" build -s "$TMP/site" --quiet
check "valid build replaced public/" test ! -e "$TMP/site/public/marker"

new_site
printf -- '---\ntitle: x\nno end\n' >"$TMP/site/content/posts/open.md"
expect_error "unterminated front matter" "content/posts/open.md:1:1: error: front matter opened here is never closed"

new_site
printf -- '---\ntitle: [unclosed\n---\nbody\n' >"$TMP/site/content/posts/yaml.md"
expect_error "invalid YAML" "content/posts/yaml.md:3:1: error: invalid YAML"

new_site
printf -- '---\ntitle: ok\ntags: 12\ndraft: "yes"\n---\nbody\n' >"$TMP/site/content/posts/types.md"
expect_error "keys of the wrong type (both reported)" "types.md:3:7: error: 'tags' must be a list" "types.md:4:8: error: 'draft' must be true or false"

new_site
printf -- '---\ntitle: ok\ndate: "13/04/2021"\n---\nbody\n' >"$TMP/site/content/posts/date.md"
expect_error "unparseable date" "date.md:3:7: error: 'date': cannot read \"13/04/2021\" as a date"

new_site
printf -- '---\ntitle: Two\nslug: good\ndate: 2021-01-01\n---\nx\n' >"$TMP/site/content/posts/two.md"
expect_error "two pages, one URL" "is claimed twice" "content/posts/two.md" "content/posts/good.md"

new_site
printf -- '---\ntitle: Moved\ndate: 2021-02-01\naliases: [/posts/good/]\n---\nx\n' >"$TMP/site/content/posts/moved.md"
expect_error "an alias onto a page" "posts/good/index.html is written twice" "an alias of" \
    "content/posts/moved.md" "content/posts/good.md"

new_site
printf -- '---\ntitle: Map\ndate: 2021-02-01\naliases: [/sitemap.xml]\n---\nx\n' >"$TMP/site/content/posts/map.md"
expect_error "an alias onto the sitemap" "sitemap.xml is written twice" "hone's own sitemap.xml"

new_site
mkdir -p "$TMP/site/static/posts/good"
echo '<p>static</p>' >"$TMP/site/static/posts/good/index.html"
expect_error "a static file where a page is rendered" "posts/good/index.html is written twice" \
    "static/posts/good/index.html"

new_site
rm "$TMP/site/themes/mini/templates/_default/single.html"
expect_error "missing template" "no template for this page" "_default/single.html"

new_site
printf '{%% extends "base.html" %%}{%% block main %%}{{ page.title|nosuch }}{%% endblock %%}' >"$TMP/site/themes/mini/templates/_default/single.html"
expect_error "broken template" "themes/mini/templates/_default/single.html:1:42: error: unknown filter 'nosuch'"

new_site
printf -- '---\ntitle: bad\n---\nok \xff\xfe here\n' >"$TMP/site/content/posts/latin1.md"
expect_error "invalid UTF-8" "latin1.md:4:4: error: invalid UTF-8"

new_site
printf '{%% extends "base.html" %%}{%% block main %%}{{ "css/nope.css"|asset }}{%% endblock %%}' >"$TMP/site/themes/mini/templates/_default/single.html"
expect_error "asset that does not exist" "single.html:1:42: error: asset: no file \"css/nope.css\" in static/"

new_site
printf -- '---\ntitle: nul\n---\nab\0cd\n' >"$TMP/site/content/posts/nul.md"
expect_error "NUL byte" "nul.md:4:3: error: NUL byte"

new_site
head -c $((17 * 1024 * 1024)) /dev/zero | tr '\0' 'a' >"$TMP/site/content/posts/huge.md"
expect_error "file too large" "huge.md: error: file larger than 16 MiB"

if [ "$(id -u)" -ne 0 ]; then
    new_site
    printf -- '---\ntitle: x\n---\n' >"$TMP/site/content/posts/secret.md"
    chmod 000 "$TMP/site/content/posts/secret.md"
    expect_error "unreadable file" "secret.md: error: cannot read: Permission denied"
else
    # root reads any file: make it a dangling link instead
    new_site
    ln -s "$TMP/nowhere" "$TMP/site/content/posts/dangling.md"
    expect_error "unreadable file" "dangling.md: error: cannot read: No such file or directory"
fi

new_site
ln -s .. "$TMP/site/content/posts/loop"
expect_error "symlink loop" "content/posts/loop: error: symbolic link loop"

new_site
ln -s self "$TMP/site/content/posts/self"
expect_error "self-referencing symlink" "content/posts/self: error: symbolic link loop"

new_site
"$HONE" build -s "$TMP/site" -d "$TMP/site/content/out" --quiet >"$TMP/out" 2>&1
if [ $? -eq 1 ] && grep -q "output folder is inside the content folder" "$TMP/out" && [ ! -e "$TMP/site/content/out" ]; then
    ok "output folder inside content/"
else
    fail "output folder inside content/" "$(cat "$TMP/out")"
fi

new_site
printf 'base_url: https://example.org/\ntitel: T\ntheme: mini\npaginate: many\n' >"$TMP/site/site.yaml"
expect_error "site.yaml: unknown key and wrong type" "site.yaml:2:8: error: unknown key 'titel'" "site.yaml:4:11: error: 'paginate' must be a whole number"

# shortcodes: where in the content file, counting the front matter's lines
new_site
printf -- '---\ntitle: sc\ndate: 2021-01-02\n---\nText\n\n  {{< nosuch x >}}\n' >"$TMP/site/content/posts/sc.md"
expect_error "unknown shortcode" "content/posts/sc.md:7:3: error: unknown shortcode 'nosuch'"

new_site
printf -- '---\ntitle: sc\n---\n{{< pullquote >}}\nquote\n' >"$TMP/site/content/posts/sc.md"
expect_error "unclosed shortcode pair" "content/posts/sc.md:4:1: error: shortcode 'pullquote' opened here is never closed: add {{< /pullquote >}}"

new_site
printf -- '---\ntitle: sc\n---\nSee [x]({{< relref "posts/nope.md" >}}) and {{< ref "good.md" >}}.\n' >"$TMP/site/content/posts/sc.md"
expect_error "missing ref target" "content/posts/sc.md:4:9: error: relref \"posts/nope.md\": no page has this path under content/"

new_site
printf -- '---\ntitle: sc\n---\nx {{< figure src="a.png" alt=b c >}}\n' >"$TMP/site/content/posts/sc.md"
printf -- '---\ntitle: sc2\n---\n{{< youtube >}}\n{{< youtube "bad id" >}}\n' >"$TMP/site/content/posts/sc2.md"
expect_error "bad shortcode arguments (every one reported)" "sc.md:4:32: error: shortcode 'figure' mixes positional and named" "sc2.md:4:1: error: youtube needs the video's id" "sc2.md:5:1: error: youtube: \"bad id\" is not a video id"

new_site
mkdir -p "$TMP/site/themes/mini/shortcodes"
printf '{{ inner|nosuch }}\n' >"$TMP/site/themes/mini/shortcodes/note.html"
printf -- '---\ntitle: sc\n---\n{{< note >}}x{{< /note >}}\n' >"$TMP/site/content/posts/sc.md"
expect_error "broken theme shortcode" "themes/mini/shortcodes/note.html:1:1: error: unknown filter 'nosuch'" "content/posts/sc.md:4:1: error: shortcode 'note' used here failed"

new_site
printf -- '---\ntitle: sc\n---\n{%% highlight ruby %%}\nputs 1\n' >"$TMP/site/content/posts/sc.md"
expect_error "unclosed Liquid highlight" "content/posts/sc.md:4:1: error: {% highlight %} opened here is never closed"

new_site
printf -- '---\ntitle: a\ndate: nope\n---\n' >"$TMP/site/content/posts/a.md"
printf -- '---\ntitle: [b\n---\n' >"$TMP/site/content/posts/b.md"
expect_error "every error is reported, in file order" "a.md:3:7: error" "b.md:3:1: error"

finish
