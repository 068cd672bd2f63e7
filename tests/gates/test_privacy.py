#!/usr/bin/env python3
"""Gate: no private field reaches a citizen, through a real web server.

Usage: test_privacy.py   (GONGSHI: the binary, default build/gongshi)

The record of test_build.py's private_never_leaks (a unique marker in
every "private" field) is built and served with themes/default/nginx.conf;
every file of SHA256SUMS, SHA256SUMS itself, the page folders, a redirect
and the 404 page are fetched, and no marker may appear in any body or
response header; nor in any file of the site folder, listed or not.
(Markers across git history are issue #4's.)  Closes with
"privacy: N passed, M failed".
"""
import os
import sys
import tempfile

import gatelib


def main():
    r = gatelib.Results("privacy")
    tmp = tempfile.mkdtemp(prefix="gongshi-gate-privacy-")
    site = os.path.join(tmp, "site")
    server = gatelib.Nginx(site)
    try:
        repo, markers = gatelib.private_repo(tmp)
        r.check(len(markers) > 30, "markers placed", "only %d private fields" % len(markers))
        server.port = gatelib.free_port()
        gatelib.build_site(site, repo, base_url="http://127.0.0.1:%d/" % server.port)
        server.start()
        base = server.url
        needles = [m.encode() for m in markers]

        def leaks(data):
            return [m.decode() for m in needles if m in data]

        listed = gatelib.sums(site)
        urls = [gatelib.site_path_url(base, p) for p in list(listed) + ["SHA256SUMS"]]
        urls += [gatelib.site_path_url(base, p[:-len("index.html")]) for p in listed if p.endswith("index.html")]
        urls += [base + "organizations", base + "no-such-page", base + "objections/no-such-objection/"]
        for url in urls:
            status, h, body = gatelib.fetch(url)
            head = "\n".join("%s: %s" % kv for kv in h.items()).encode()
            found = leaks(body) + leaks(head)
            r.check(not found and status in (200, 301, 404), url, "status %d, markers %s" % (status, found[:5]))
        r.ok("%d responses (%d markers) without a private marker" % (len(urls), len(markers)))

        on_disk = 0
        for base_dir, dirs, files in os.walk(site):
            for f in files:
                p = os.path.join(base_dir, f)
                found = leaks(open(p, "rb").read())
                on_disk += 1
                r.check(not found, os.path.relpath(p, site), "markers %s" % found[:5])
        r.ok("%d files of the site folder without a private marker" % on_disk)
    finally:
        server.cleanup()
        gatelib.shutil.rmtree(tmp, ignore_errors=True)
    return r.close()


if __name__ == "__main__":
    sys.exit(main())
