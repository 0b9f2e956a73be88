#!/usr/bin/python3
"""Checks a built site with real parsers: every HTML page through html5lib's
strict HTML5 parser, every feed through feedparser, and, for the golden blog,
what its feeds must say (titles, links, dates with their own offsets).

usage: validate.py OUTPUT_DIR [blog]
Ends with "N passed, N failed".
"""
import os
import sys
import xml.dom.minidom

import feedparser
import html5lib

passed = failed = 0


def check(name, cond, detail=""):
    global passed, failed
    if cond:
        passed += 1
    else:
        failed += 1
        print(f"FAIL {name} {detail}")


def html_pages(root):
    for d, _, files in os.walk(root):
        for f in sorted(files):
            if f.endswith(".html"):
                yield os.path.join(d, f)


def check_html(root):
    for path in html_pages(root):
        parser = html5lib.HTMLParser(strict=True)
        try:
            with open(path, "rb") as fh:
                parser.parse(fh.read())
            ok = True
            detail = ""
        except Exception as e:  # html5lib raises ParseError in strict mode
            ok = False
            detail = f"{e} {parser.errors[:3]}"
        check(f"html5: {os.path.relpath(path, root)}", ok, detail)


def check_feeds(root):
    feeds = {}
    for d, _, files in os.walk(root):
        for f in files:
            if f == "index.xml":
                path = os.path.join(d, f)
                with open(path, "rb") as fh:
                    raw = fh.read()
                rel = os.path.relpath(path, root)
                parsed = feedparser.parse(raw)
                check(f"feed well-formed: {rel}", not parsed.bozo, str(parsed.get("bozo_exception")))
                try:
                    xml.dom.minidom.parseString(raw)
                    check(f"feed is XML: {rel}", True)
                except Exception as e:
                    check(f"feed is XML: {rel}", False, str(e))
                feeds[rel] = (parsed, raw.decode("utf-8"))
    return feeds


def check_blog(root, feeds):
    """What the golden blog's feeds must say."""
    site, raw = feeds["index.xml"]
    f = site.feed
    check("site feed title", f.get("title") == "Golden Blog", f.get("title"))
    check("site feed link", f.get("link") == "https://example.org/blog/", f.get("link"))
    check("site feed language", f.get("language") == "en-us", f.get("language"))
    check("site feed generator", "hone" in f.get("generator", ""), f.get("generator"))
    self_links = [l["href"] for l in f.get("links", []) if l.get("rel") == "self"]
    check("site feed atom:link self", self_links == ["https://example.org/blog/index.xml"], self_links)
    titles = [e.title for e in site.entries]
    check("site feed is limited to 3 newest", titles == ["A bundle", "Jekyll named: quotes & <tags>", "First post"], titles)
    first = [e for e in site.entries if e.title == "First post"][0]
    check("item link is the permalink", first.link == "https://example.org/blog/2021/04/first-post/", first.link)
    check("item guid is the permalink", first.id == first.link, first.id)
    check("pubDate keeps the post's own offset", "<pubDate>Tue, 13 Apr 2021 13:01:13 +0530</pubDate>" in raw)
    check("pubDate parses to the right instant", first.published_parsed[:6] == (2021, 4, 13, 7, 31, 13), first.published_parsed)
    check("full content in description", "<table>" in first.description and "Details here" in first.description)
    bundle = site.entries[0]
    check("lastBuildDate is the newest item", f"<lastBuildDate>{bundle.published}</lastBuildDate>" in raw, bundle.published)
    check("date without zone takes site timezone", "<pubDate>Mon, 01 Mar 2021 08:00:00 +0100</pubDate>" in feeds["notes/index.xml"][1])

    tag, traw = feeds["tags/templates/index.xml"]
    check("term feed title", tag.feed.title == "Templates on Golden Blog", tag.feed.title)
    check("term feed description", tag.feed.description == "Recent articles in Templates on Golden Blog", tag.feed.description)
    check("term feed items", [e.title for e in tag.entries] == ["A bundle", "First post"], [e.title for e in tag.entries])
    check("term feed self link", "https://example.org/blog/tags/templates/index.xml" in traw)
    sec = feeds["posts/index.xml"][0]
    check("section feed title", sec.feed.title == "All posts on Golden Blog", sec.feed.title)
    check("series feed", "series/building-hone/index.xml" in feeds)
    # posts live under /:year/:month/:slug/, so look at every path, and at
    # the sitemap and the site feed, for the three unpublished posts
    paths = [os.path.relpath(os.path.join(d, f), root) for d, ds, fs in os.walk(root) for f in ds + fs]
    with open(os.path.join(root, "sitemap.xml"), encoding="utf-8") as f:
        sitemap = f.read()
    site_feed = feeds["index.xml"][1]
    for slug, title in (("future", "From the future"), ("draft", "A draft"), ("expired", "Expired")):
        check(f"unpublished '{slug}' is not built", not any(slug in p for p in paths), [p for p in paths if slug in p])
        check(f"unpublished '{slug}' is in neither sitemap nor feed", slug not in sitemap and title not in site_feed)


def main():
    root = sys.argv[1]
    check_html(root)
    feeds = check_feeds(root)
    if len(sys.argv) > 2 and sys.argv[2] == "blog":
        check_blog(root, feeds)
    print(f"{passed} passed, {failed} failed")
    sys.exit(1 if failed else 0)


main()
