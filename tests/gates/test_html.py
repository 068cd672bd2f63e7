#!/usr/bin/env python3
"""Gate: every page of the demo site is valid HTML, the stylesheet valid
CSS, and the feeds, sitemap and data files well-formed and complete.

Usage: test_html.py   (GONGSHI: the binary; VNU_JAR: default
tests/gates/node_modules/vnu-jar/build/dist/vnu.jar, see npm-deps.sh)

The Nu HTML Checker (vnu.jar, run with Java) checks every .html file and
the stylesheet in one run: zero errors.  It has no schema for Atom or
sitemaps, so those are parsed here: well-formed XML, the elements RFC 4287
requires (feed and entry id, title, updated; an author; unique entry ids),
RFC 3339 dates, and links that resolve to files of the site.  JSON must
parse and CSV must have one column count.  Closes with "html: N passed,
M failed".
"""
import csv
import io
import json
import os
import re
import subprocess
import sys
import tempfile
import urllib.parse
import xml.etree.ElementTree as ET

import gatelib

VNU = os.environ.get("VNU_JAR", os.path.join(gatelib.HERE, "node_modules", "vnu-jar", "build", "dist", "vnu.jar"))
ATOM = "{http://www.w3.org/2005/Atom}"
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
XML_BASE = "{http://www.w3.org/XML/1998/namespace}base"
RFC3339 = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$")


def site_file(site, base, url):
    """The file of the site a URL under base names, or None."""
    if not url.startswith(base):
        return None
    path = urllib.parse.unquote(url[len(base):].split("#")[0])
    if path == "" or path.endswith("/"):
        path += "index.html"
    full = os.path.normpath(os.path.join(site, path))
    return full if full.startswith(site + os.sep) and os.path.isfile(full) else None


def vnu(r, site, files):
    if not os.path.isfile(VNU):
        r.check(False, "vnu.jar", "%s is missing: run sh tests/gates/npm-deps.sh" % VNU)
        return
    p = subprocess.run(["java", "-jar", VNU, "--format", "json", "--also-check-css"] + files,
                       capture_output=True, text=True, timeout=900)
    try:
        messages = json.loads(p.stderr or p.stdout)["messages"]
    except ValueError:
        r.check(False, "vnu.jar", "exit %d, no JSON report: %s" % (p.returncode, (p.stderr or p.stdout)[:500]))
        return
    by_file = {}
    for m in messages:
        path = os.path.relpath(urllib.parse.unquote(m.get("url", "file:" + site).split(":", 1)[1]), site)
        by_file.setdefault(path, []).append(m)
    warnings = 0
    for f in files:
        rel = os.path.relpath(f, site)
        errors = []
        for m in by_file.pop(rel, []):
            if m["type"] == "info":
                warnings += 1
                continue
            errors.append("%s:%s: %s" % (rel, m.get("lastLine", "?"), m["message"]))
        r.check(not errors, rel, "\n    ".join(errors))
    # Messages about no file of ours (a checker's own failure) count too.
    for path, ms in by_file.items():
        r.check(False, path, "; ".join(m["message"] for m in ms))
    r.ok("Nu HTML Checker: %d files (%d notes and warnings, not errors)" % (len(files), warnings))


def check_atom(r, site, rel):
    path = os.path.join(site, rel)
    bad = []
    try:
        feed = ET.parse(path).getroot()
    except ET.ParseError as e:
        r.check(False, rel, "not well-formed XML: %s" % e)
        return
    if feed.tag != ATOM + "feed":
        r.check(False, rel, "root element %s, not an Atom feed" % feed.tag)
        return
    base = feed.get(XML_BASE, "")
    for name in ("id", "title", "updated"):
        if len(feed.findall(ATOM + name)) != 1:
            bad.append("feed has %d <%s>" % (len(feed.findall(ATOM + name)), name))
    updated = feed.findtext(ATOM + "updated") or ""
    if not RFC3339.match(updated):
        bad.append("feed <updated> %r is not RFC 3339" % updated)
    if not [l for l in feed.findall(ATOM + "link") if l.get("rel") == "self"]:
        bad.append("no rel=self link")
    feed_author = feed.find(ATOM + "author/" + ATOM + "name") is not None
    ids = set()
    entries = feed.findall(ATOM + "entry")
    for i, e in enumerate(entries, 1):
        for name in ("id", "title", "updated"):
            if len(e.findall(ATOM + name)) != 1 or not (e.findtext(ATOM + name) or "").strip():
                bad.append("entry %d: <%s> missing, repeated or empty" % (i, name))
        eid = e.findtext(ATOM + "id") or ""
        if not urllib.parse.urlsplit(eid).scheme:
            bad.append("entry %d: id %r is not an absolute IRI" % (i, eid))
        if eid in ids:
            bad.append("entry %d: id %r repeated" % (i, eid))
        ids.add(eid)
        if not RFC3339.match(e.findtext(ATOM + "updated") or ""):
            bad.append("entry %d: <updated> %r is not RFC 3339" % (i, e.findtext(ATOM + "updated")))
        if not feed_author and e.find(ATOM + "author") is None:
            bad.append("entry %d: no author (and none for the feed)" % i)
        links = [l for l in e.findall(ATOM + "link") if l.get("rel", "alternate") == "alternate"]
        if not links:
            bad.append("entry %d: no alternate link" % i)
        for l in links:
            url = urllib.parse.urljoin(base, l.get("href", ""))
            if not site_file(site, base, url):
                bad.append("entry %d: link %s is no file of the site" % (i, url))
    r.check(not bad, rel, "\n    ".join(bad[:10]))
    return len(entries)


def check_sitemap(r, site, rel, base):
    """Checks a sitemap, or a sitemap index and the sitemaps it lists;
    returns the number of page URLs."""
    bad = []
    try:
        root = ET.parse(os.path.join(site, rel)).getroot()
    except ET.ParseError as e:
        r.check(False, rel, "not well-formed XML: %s" % e)
        return 0
    if root.tag == SITEMAP + "sitemapindex" and rel == "sitemap.xml":
        total = 0
        for loc in [s.findtext(SITEMAP + "loc") or "" for s in root.findall(SITEMAP + "sitemap")]:
            f = site_file(site, base, loc)
            if r.check(f, rel, "indexes %s, no file of the site" % loc):
                total += check_sitemap(r, site, os.path.relpath(f, site), base)
        return total
    if root.tag != SITEMAP + "urlset":
        bad.append("root element %s, not a sitemap urlset" % root.tag)
    locs = [u.findtext(SITEMAP + "loc") or "" for u in root.findall(SITEMAP + "url")]
    if not locs or len(locs) > 50000:
        bad.append("%d URLs" % len(locs))
    for loc in locs:
        if not site_file(site, base, loc):
            bad.append("%s is no file of the site" % loc)
    if len(set(locs)) != len(locs):
        bad.append("URLs repeated")
    r.check(not bad, rel, "\n    ".join(bad[:10]))
    return len(locs)


def main():
    r = gatelib.Results("html")
    with tempfile.TemporaryDirectory(prefix="gongshi-gate-html-") as tmp:
        site = os.path.realpath(os.path.join(tmp, "site"))
        base = "https://gates.example.gov.cn/award/"
        gatelib.build_site(site, gatelib.demo_repo(tmp), base_url=base)
        listed = list(gatelib.sums(site))
        pages = [os.path.join(site, p) for p in listed if p.endswith((".html", ".css"))]
        vnu(r, site, pages)

        feeds = entries = 0
        for rel in listed:
            if rel.endswith(".xml") and rel != "sitemap.xml" and not rel.startswith("sitemaps/"):
                feeds += 1
                entries += check_atom(r, site, rel) or 0
        urls = check_sitemap(r, site, "sitemap.xml", base)
        robots = open(os.path.join(site, "robots.txt"), encoding="utf-8").read()
        r.check("Sitemap: %ssitemap.xml" % base in robots, "robots.txt", "does not name %ssitemap.xml" % base)
        r.check(feeds >= 3, "feeds", "only %d" % feeds)
        r.ok("%d Atom feeds (%d entries) and a sitemap of %d URLs" % (feeds, entries, urls))

        data = 0
        for rel in listed:
            raw = open(os.path.join(site, rel), "rb").read()
            if rel.endswith(".json"):
                data += 1
                try:
                    json.loads(raw.decode("utf-8"))
                    r.passed += 1
                except ValueError as e:
                    r.check(False, rel, "not JSON: %s" % e)
            elif rel.endswith(".csv"):
                data += 1
                rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"), newline="")))
                widths = {len(row) for row in rows}
                r.check(raw.startswith(b"\xef\xbb\xbf") and len(rows) > 1 and len(widths) == 1, rel,
                        "BOM %s, %d rows, column counts %s" % (raw.startswith(b"\xef\xbb\xbf"), len(rows), widths))
        r.ok("%d JSON and CSV files parse" % data)
    return r.close()


if __name__ == "__main__":
    sys.exit(main())
