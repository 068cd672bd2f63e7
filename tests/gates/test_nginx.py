#!/usr/bin/env python3
"""Gate: the demo site behind nginx with themes/default/nginx.conf.

Usage: test_nginx.py   (GONGSHI: the binary, default build/gongshi)

Builds the demo site (gatelib.demo_repo), serves it on 127.0.0.1 with the shipped
configuration, and fetches every file that SHA256SUMS lists: status 200,
the Content-Type an office must send (charset=utf-8 for HTML, Atom, JSON,
CSV), the security headers, the cache header, and the body's hash; the
same again gzip-compressed; every page's folder URL; and the 404 page.
Closes with "nginx: N passed, M failed".
"""
import gzip
import os
import re
import sys
import tempfile

import gatelib

CSP = ("default-src 'none'; script-src 'self'; connect-src 'self'; style-src 'self'; img-src 'self' data:; "
       "base-uri 'none'; form-action 'self'; frame-ancestors 'none'")
STYLESHEET = re.compile(r"^assets/style\.[0-9a-f]{10}\.css$")
LONG_CACHE = "public, max-age=31536000, immutable"


def want_type(path):
    """The Content-Type a file must be served with, or None for a file the
    site should not have (a new kind of file needs a decision here and in
    nginx.conf)."""
    name = os.path.basename(path)
    if path == "sitemap.xml" or re.match(r"^sitemaps/sitemap-\d+\.xml$", path):
        return "application/xml; charset=utf-8"
    if name in ("SHA256SUMS", ".gongshi-site"):
        return "text/plain; charset=utf-8"
    ext = name.rsplit(".", 1)[-1] if "." in name else ""
    return {
        "html": "text/html; charset=utf-8",
        "xml": "application/atom+xml; charset=utf-8",  # every other XML file is a feed
        "json": "application/json; charset=utf-8",
        "csv": "text/csv; charset=utf-8",
        "txt": "text/plain; charset=utf-8",
        "css": "text/css; charset=utf-8",
        "js": "text/javascript; charset=utf-8",
        "svg": "image/svg+xml; charset=utf-8",
    }.get(ext)


def header_problems(path, h):
    """What is wrong with the headers of a 200 response for path."""
    bad = []
    t = want_type(path)
    if t is None:
        bad.append("no Content-Type is decided for this kind of file")
    elif (h.get("Content-Type") or "").lower() != t:
        bad.append("Content-Type %r, want %r" % (h.get("Content-Type"), t))
    if path.endswith(".html") and h.get("Content-Security-Policy") != CSP:
        bad.append("Content-Security-Policy %r" % h.get("Content-Security-Policy"))
    if h.get("X-Content-Type-Options") != "nosniff":
        bad.append("X-Content-Type-Options %r" % h.get("X-Content-Type-Options"))
    if not h.get("Referrer-Policy"):
        bad.append("no Referrer-Policy")
    cc = h.get("Cache-Control") or ""
    if STYLESHEET.match(path):
        if cc != LONG_CACHE:
            bad.append("Cache-Control %r, want %r" % (cc, LONG_CACHE))
    else:
        m = re.search(r"max-age=(\d+)", cc)
        # Notices open and close, awards are revoked: an hour at most.
        if "immutable" in cc or not m or int(m.group(1)) > 3600:
            bad.append("Cache-Control %r is not a short cache" % cc)
    return bad


def main():
    r = gatelib.Results("nginx")
    tmp = tempfile.mkdtemp(prefix="gongshi-gate-nginx-")
    site = os.path.join(tmp, "site")
    server = gatelib.Nginx(site)
    try:
        # The port is chosen first, so that the site is built for the URL it
        # is served from (the 404 page links absolutely to the base URL).
        server.port = gatelib.free_port()
        gatelib.build_site(site, gatelib.demo_repo(tmp), base_url="http://127.0.0.1:%d/" % server.port)
        server.start()
        base = server.url
        listed = gatelib.sums(site)
        print("serving %s at %s: %d files in SHA256SUMS" % (site, base, len(listed)), flush=True)

        every = dict(listed)
        every["SHA256SUMS"] = None  # itself: no hash, but the type and headers
        bad_files = 0
        for path, digest in every.items():
            status, h, body = gatelib.fetch(gatelib.site_path_url(base, path))
            bad = [] if status == 200 else ["status %d" % status]
            if status == 200:
                bad += header_problems(path, h)
                if digest and gatelib.sha256(body) != digest:
                    bad.append("body's SHA-256 differs from SHA256SUMS")
                # The same bytes when the client accepts gzip (nginx.conf compresses).
                zs, zh, zbody = gatelib.fetch(gatelib.site_path_url(base, path), {"Accept-Encoding": "gzip"})
                if zh.get("Content-Encoding") == "gzip":
                    zbody = gzip.decompress(zbody)
                if zs != 200 or zbody != body:
                    bad.append("gzip-encoded response differs (status %d)" % zs)
            bad_files += bool(bad)
            r.check(not bad, path, "; ".join(bad))
        r.ok("%d files fetched: status, type, headers, hash" % (len(every) - bad_files))

        # Page URLs are folders: programs/lhasa/ serves programs/lhasa/index.html,
        # and programs/lhasa redirects there (relatively, so behind any proxy).
        folders = [p[:-len("index.html")] for p in listed if p == "index.html" or p.endswith("/index.html")]
        for folder in folders:
            status, h, body = gatelib.fetch(gatelib.site_path_url(base, folder))
            want = open(os.path.join(site, folder, "index.html"), "rb").read()
            ok = status == 200 and body == want and h.get("Content-Security-Policy") == CSP
            r.check(ok, "/" + folder, "status %d, %s" % (status, "same body" if body == want else "another body"))
            if not folder:
                continue
            status, h, body = gatelib.fetch(gatelib.site_path_url(base, folder.rstrip("/")))
            loc = h.get("Location")
            r.check(status == 301 and loc == "/" + folder, folder.rstrip("/"),
                    "status %d, Location %r, want 301 to /%s" % (status, loc, folder))
        r.ok("%d page folders and their redirects" % len(folders))

        # Past 50,000 pages sitemap.xml indexes sitemaps/sitemap-N.xml; the
        # demo is far smaller, so one is put in place to see its type.
        extra = os.path.join(site, "sitemaps", "sitemap-1.xml")
        if not os.path.exists(extra):
            os.makedirs(os.path.dirname(extra), exist_ok=True)
            gatelib.shutil.copy(os.path.join(site, "sitemap.xml"), extra)
            status, h, body = gatelib.fetch(base + "sitemaps/sitemap-1.xml")
            bad = header_problems("sitemaps/sitemap-1.xml", h) if status == 200 else ["status %d" % status]
            r.check(not bad, "sitemaps/sitemap-1.xml", "; ".join(bad))

        # A missing page: the site's 404 page, with status 404 and the same headers.
        page404 = open(os.path.join(site, "404.html"), "rb").read()
        for missing in ("no-such-page", "awards/NO-SUCH-CERT/", "programs/lhasa/old.html", "a/b/c/d.json"):
            status, h, body = gatelib.fetch(base + missing)
            bad = [] if status == 404 else ["status %d" % status]
            if body != page404:
                bad.append("body is not 404.html")
            if h.get("Content-Type") != "text/html; charset=utf-8":
                bad.append("Content-Type %r" % h.get("Content-Type"))
            if h.get("Content-Security-Policy") != CSP or h.get("X-Content-Type-Options") != "nosniff":
                bad.append("security headers missing")
            r.check(not bad, "404 for /" + missing, "; ".join(bad))
        r.ok("404 page for missing paths")

        # nginx itself logged nothing worse than the missing files asked for above.
        errors = [l for l in server.error_log().splitlines()
                  if re.search(r"\[(error|crit|alert|emerg)\]", l) and "No such file or directory" not in l]
        r.check(not errors, "nginx error log", "\n".join(errors[:5]))
    finally:
        server.cleanup()
        gatelib.shutil.rmtree(tmp, ignore_errors=True)
    return r.close()


if __name__ == "__main__":
    sys.exit(main())
