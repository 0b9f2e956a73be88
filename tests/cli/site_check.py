#!/usr/bin/python3
"""Checks a site built with the default theme, page by page.

usage: site_check.py PUBLIC_DIR BASE_URL

For every HTML page under PUBLIC_DIR:
  html5    it parses with html5lib's strict HTML5 parser (no parse error)
  links    every internal href/src (a, link, img, script, source, iframe,
           form action, meta refresh, and the canonical/og: URLs that start
           with BASE_URL) resolves to a file in PUBLIC_DIR (a folder to its
           index.html), and every #fragment to an id in the target page;
           the few addresses hone-fcgi answers (/signup, /certificate.pdf,
           /certificates/...) are dynamic and not looked for
  assets   nothing is loaded from another origin (no web fonts, CDNs or
           trackers), and stylesheets and scripts have fingerprinted names
  images   every <img> has an alt attribute, and no figure is marked as
           missing its alt text (the theme's figure shortcode)
  outline  one <main>, one <h1>, <html lang>, a <title>, a description,
           Open Graph and Twitter card meta, a canonical URL (or noindex)
  feed     a page with a feed beside it (index.xml) links to it with
           <link rel="alternate" type="application/rss+xml">
  jsonld   posts (og:type article) carry JSON-LD that parses, a BlogPosting
           whose headline is the page's h1
Alias redirects (a meta refresh and nothing else) are only parsed and
link-checked.  The anonymous home (_home/anon/) must keep hone-fcgi's
three markers and link to nothing meant for members.
Prints a line per failure and ends with "N passed, N failed".
"""
import json
import os
import posixpath
import re
import sys
from urllib.parse import unquote, urldefrag, urlsplit

import html5lib

NS = "{http://www.w3.org/1999/xhtml}"
DYNAMIC = ("signup", "certificate.pdf", "certificates/")
FINGERPRINT = re.compile(r"\.[0-9a-f]{12}\.(css|js)$")
passed = failed = 0


def check(name, problems):
    global passed, failed
    if problems:
        failed += 1
        print(f"FAIL {name}")
        for p in problems[:12]:
            print(f"     {p}")
        if len(problems) > 12:
            print(f"     ... and {len(problems) - 12} more")
    else:
        passed += 1


def pages(root):
    for d, dirs, files in os.walk(root):
        dirs.sort()
        for f in sorted(files):
            if f.endswith(".html"):
                yield os.path.relpath(os.path.join(d, f), root)


class Site:
    def __init__(self, root, base_url):
        self.root = root
        self.base_url = base_url if base_url.endswith("/") else base_url + "/"
        self.base_path = urlsplit(self.base_url).path or "/"
        self.trees = {}
        self.errors = {}

    def parse(self, rel):
        if rel not in self.trees:
            parser = html5lib.HTMLParser(strict=True, namespaceHTMLElements=True)
            with open(os.path.join(self.root, rel), "rb") as fh:
                data = fh.read()
            try:
                tree = parser.parse(data)
                err = None
            except Exception as e:  # ParseError in strict mode: parse leniently for the rest
                err = f"{e} {parser.errors[:3]}"
                tree = html5lib.HTMLParser(namespaceHTMLElements=True).parse(data)
            self.trees[rel] = tree
            self.errors[rel] = err
        return self.trees[rel]

    def url_of(self, rel):
        """The address a page is served at (the homes are served at /)."""
        if rel.startswith("_home/"):
            return self.base_path
        if rel.endswith("index.html"):
            return self.base_path + rel[: -len("index.html")]
        return self.base_path + rel

    def ids(self, rel):
        tree = self.parse(rel)
        out = set()
        for el in tree.iter():
            if el.get("id"):
                out.add(el.get("id"))
            if el.tag == NS + "a" and el.get("name"):
                out.add(el.get("name"))
        return out

    def resolve(self, page, url):
        """None when fine (or not ours), else what is wrong."""
        url = url.strip()
        if not url:
            return "an empty URL"
        if url.startswith(self.base_url):
            url = self.base_path + url[len(self.base_url):]
        parts = urlsplit(url)
        if parts.scheme or parts.netloc:
            return None  # another site: not ours to check here
        path, frag = urldefrag(url)
        path = urlsplit(path).path
        if not path:
            target_rel = page
        else:
            if not path.startswith("/"):
                if page == "404.html":
                    return f"{url}: a relative link in 404.html, which is served at any address"
                path = posixpath.join(posixpath.dirname(self.url_of(page)) + "/", path)
            norm = posixpath.normpath(unquote(path))
            path = norm + ("/" if path.endswith("/") and norm != "/" else "")
            if not path.startswith(self.base_path) and path + "/" != self.base_path:
                return f"{url}: outside the base path {self.base_path}"
            inside = path[len(self.base_path):]
            if inside.startswith(DYNAMIC) or inside in ("signup",):
                return None
            fs = os.path.join(self.root, inside)
            if inside == "" or inside.endswith("/"):
                fs = os.path.join(fs, "index.html")
            elif os.path.isdir(fs):
                fs = os.path.join(fs, "index.html")
            if not os.path.isfile(fs):
                return f"{url}: no file {os.path.relpath(fs, self.root)}"
            target_rel = os.path.relpath(fs, self.root)
        if frag:
            if not target_rel.endswith(".html"):
                return f"{url}: a fragment into a file that is not HTML"
            if unquote(frag) not in self.ids(target_rel):
                return f"{url}: no id '{frag}' in {target_rel}"
        return None


def text(el):
    return "".join(el.itertext()).strip()


def is_redirect(tree):
    return any(m.get("http-equiv", "").lower() == "refresh" for m in tree.iter(NS + "meta"))


def check_page(site, rel):
    tree = site.parse(rel)
    check(f"html5: {rel}", [site.errors[rel]] if site.errors[rel] else [])
    redirect = is_redirect(tree)

    # links
    urls = []
    for el in tree.iter():
        if not isinstance(el.tag, str):
            continue  # a comment
        tag = el.tag[len(NS):] if el.tag.startswith(NS) else el.tag
        for attr in {"a": ["href"], "link": ["href"], "img": ["src"], "script": ["src"],
                     "source": ["src"], "iframe": ["src"], "form": ["action"],
                     "video": ["src", "poster"], "audio": ["src"]}.get(tag, []):
            if el.get(attr) is not None:
                urls.append((tag, el.get(attr)))
        if tag == "img" and el.get("srcset"):
            urls += [("img", s.strip().split()[0]) for s in el.get("srcset").split(",") if s.strip()]
        if tag == "meta":
            if el.get("http-equiv", "").lower() == "refresh":
                m = re.search(r"url=(.*)$", el.get("content", ""), re.I)
                if m:
                    urls.append(("meta refresh", m.group(1)))
            elif el.get("property", "") in ("og:url", "og:image") or el.get("name", "") == "twitter:image":
                urls.append((el.get("property") or el.get("name"), el.get("content", "")))
    problems = []
    for tag, u in urls:
        why = site.resolve(rel, u)
        if why:
            problems.append(f"<{tag}> {why}")
    check(f"links: {rel}", problems)
    if redirect:
        return

    # assets: nothing from elsewhere, fingerprinted names
    problems = []
    for el in tree.iter(NS + "link"):
        rels = el.get("rel", "").lower().split()
        href = el.get("href", "")
        if "stylesheet" in rels or "preload" in rels or "icon" in rels or "modulepreload" in rels:
            if urlsplit(href).netloc and not href.startswith(site.base_url):
                problems.append(f"<link rel={el.get('rel')}> loads {href} from another origin")
            if "stylesheet" in rels and not FINGERPRINT.search(href):
                problems.append(f"stylesheet {href} has no fingerprinted name (use the asset filter)")
    for tagname in ("script", "img", "iframe", "source", "video", "audio"):
        for el in tree.iter(NS + tagname):
            src = el.get("src", "")
            if src and urlsplit(src).netloc and not src.startswith(site.base_url):
                problems.append(f"<{tagname}> loads {src} from another origin")
            if tagname == "script" and src and not FINGERPRINT.search(src):
                problems.append(f"script {src} has no fingerprinted name (use the asset filter)")
    for el in tree.iter(NS + "style"):
        if "@import" in (el.text or "") or "@font-face" in (el.text or ""):
            problems.append("an inline <style> imports or declares fonts")
    check(f"assets: {rel}", problems)

    # images
    problems = []
    for el in tree.iter(NS + "img"):
        if el.get("alt") is None:
            problems.append(f"<img src={el.get('src')}> has no alt attribute")
    for el in tree.iter():
        if "needs-alt" in el.get("class", "").split():
            problems.append("a figure is marked as missing its alt text: give it alt=\"...\"")
    check(f"images: {rel}", problems)

    # outline and meta
    problems = []
    html = tree if tree.tag == NS + "html" else tree.find(NS + "html")
    root = tree.getroot() if hasattr(tree, "getroot") else tree
    if not root.get("lang"):
        problems.append("<html> has no lang")
    n_main = len(list(tree.iter(NS + "main")))
    if n_main != 1:
        problems.append(f"{n_main} <main> elements")
    h1s = list(tree.iter(NS + "h1"))
    if len(h1s) != 1:
        problems.append(f"{len(h1s)} <h1> elements")
    title = tree.find(f".//{NS}head/{NS}title")
    if title is None or not text(title):
        problems.append("no <title>")
    metas = {}
    for m in tree.iter(NS + "meta"):
        key = m.get("property") or m.get("name")
        if key:
            metas[key] = m.get("content", "")
    for key in ("description", "og:title", "og:description", "og:type", "og:site_name", "twitter:card"):
        if not metas.get(key):
            problems.append(f"no <meta> {key}")
    canon = [l for l in tree.iter(NS + "link") if "canonical" in l.get("rel", "").split()]
    if not canon and "noindex" not in metas.get("robots", ""):
        problems.append("no canonical URL (and not noindex)")
    check(f"outline: {rel}", problems)

    # feed links
    problems = []
    page_dir = os.path.dirname(rel)
    feed_dir = re.sub(r"(^|/)page/[0-9]+$", "", page_dir)
    if rel.startswith("_home/users/"):
        feed_dir = ""
    if not rel.startswith("_home/anon/") and rel != "404.html" and \
            os.path.isfile(os.path.join(site.root, feed_dir, "index.xml")):
        want = site.base_url + (feed_dir + "/" if feed_dir else "") + "index.xml"
        alts = [l.get("href") for l in tree.iter(NS + "link")
                if "alternate" in l.get("rel", "").split() and l.get("type") == "application/rss+xml"]
        if want not in alts:
            problems.append(f"no <link rel=alternate type=application/rss+xml href={want}> (has {alts})")
    check(f"feed: {rel}", problems)

    # JSON-LD on posts
    if metas.get("og:type") == "article":
        problems = []
        blocks = [s for s in tree.iter(NS + "script") if s.get("type") == "application/ld+json"]
        if len(blocks) != 1:
            problems.append(f"{len(blocks)} JSON-LD blocks")
        for b in blocks:
            try:
                data = json.loads(b.text or "")
            except ValueError as e:
                problems.append(f"JSON-LD does not parse: {e}")
                continue
            if data.get("@type") != "BlogPosting":
                problems.append(f"JSON-LD @type is {data.get('@type')}")
            if h1s and data.get("headline") != text(h1s[0]):
                problems.append(f"JSON-LD headline {data.get('headline')!r} is not the h1 {text(h1s[0])!r}")
            for key in ("datePublished", "url", "author", "publisher"):
                if not data.get(key):
                    problems.append(f"JSON-LD has no {key}")
        check(f"jsonld: {rel}", problems)


def check_anon_home(site):
    rel = "_home/anon/index.html"
    path = os.path.join(site.root, rel)
    if not os.path.isfile(path):
        check("the anonymous home exists", ["no _home/anon/index.html"])
        return
    with open(path, encoding="utf-8") as fh:
        raw = fh.read()
    problems = []
    for marker in ("<!--hone:signup-error-->", 'data-hone-value="email" value=""',
                   'data-hone-value="referrer" value=""'):
        if raw.count(marker) != 1:
            problems.append(f"{marker!r} appears {raw.count(marker)} times, not once")
    check("anon home: hone-fcgi's markers are there, once each", problems)
    tree = site.parse(rel)
    problems = []
    for el in tree.iter():
        for attr in ("href", "src", "action"):
            u = el.get(attr)
            if not u:
                continue
            p = urlsplit(u).path
            if p.startswith(site.base_path):
                p = p[len(site.base_path):]
            if re.match(r"(posts|tags|categories|series|page)(/|$)|.*index\.xml$|_home/", p):
                problems.append(f"links to {u}, which is for members")
    for l in tree.iter(NS + "link"):
        if "alternate" in l.get("rel", "").split():
            problems.append(f"a feed link: {l.get('href')}")
    check("anon home: nothing meant for members", problems)
    forms = [f for f in tree.iter(NS + "form") if f.get("data-hone-signup") is not None]
    problems = []
    if len(forms) != 1:
        problems.append(f"{len(forms)} signup forms")
    else:
        names = {i.get("name"): i for i in forms[0].iter(NS + "input")}
        for n, typ in (("email", "email"), ("referrer", "hidden"), ("landing", "hidden"), ("website", "text")):
            if n not in names or names[n].get("type") != typ:
                problems.append(f"no <input name={n} type={typ}>")
        if forms[0].get("method", "").lower() != "post" or not forms[0].get("action", "").endswith("/signup"):
            problems.append("the form does not POST to /signup")
    check("anon home: the signup form (email, referrer, landing, honeypot)", problems)


def main():
    root, base_url = sys.argv[1], sys.argv[2]
    site = Site(root, base_url)
    n = 0
    for rel in pages(root):
        check_page(site, rel)
        n += 1
    check("the site has pages", [] if n > 10 else [f"only {n} pages"])
    check_anon_home(site)
    print(f"{passed} passed, {failed} failed")
    sys.exit(1 if failed else 0)


main()
