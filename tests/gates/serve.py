#!/usr/bin/env python3
"""Builds a site, serves it with nginx on 127.0.0.1, and runs a command
against it; nginx is stopped however the command ends.

Usage: serve.py demo|xss -- COMMAND [ARG]...
       serve.py site DIR -- COMMAND [ARG]...

  demo  the demo site, as `make site` builds it (gatelib.demo_repo)
  xss   the small fixture with a payload in every text field (gatelib.poisoned_repo)
  site  a site built already, in DIR (nothing is built; its base URL is
        whatever it was built with, so only links relative to the site work)

The command gets GATE_URL (http://127.0.0.1:PORT/), GATE_SITE (the site's
folder) and GATE_KIND in its environment; its exit status is ours.  The
site is built with GATE_URL as its base URL, as an office builds it for
the host that serves it (the 404 page links absolutely).
"""
import os
import shutil
import signal
import subprocess
import sys
import tempfile

import gatelib


def main(argv):
    built = len(argv) >= 5 and argv[1] == "site" and argv[3] == "--" and os.path.isdir(argv[2])
    if not built and (len(argv) < 4 or argv[1] not in ("demo", "xss") or argv[2] != "--"):
        sys.stderr.write(__doc__)
        return 2
    kind, cmd = argv[1], argv[4:] if built else argv[3:]
    tmp = tempfile.mkdtemp(prefix="gongshi-gate-serve-")
    site = os.path.abspath(argv[2]) if built else os.path.join(tmp, "site")
    server = gatelib.Nginx(site)
    child = None
    try:
        server.port = gatelib.free_port()
        if not built:
            repo = gatelib.demo_repo(tmp) if kind == "demo" else gatelib.poisoned_repo(tmp)
            gatelib.build_site(site, repo, base_url="http://127.0.0.1:%d/" % server.port)
        server.start()
        env = dict(os.environ, GATE_URL=server.url, GATE_SITE=site, GATE_KIND=kind)
        child = subprocess.Popen(cmd, env=env)
        return child.wait()
    except KeyboardInterrupt:
        if child and child.poll() is None:
            child.send_signal(signal.SIGINT)
            child.wait()
        return 130
    finally:
        server.cleanup()
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    # A SIGTERM (make interrupted, a CI time-out) must still stop nginx.
    signal.signal(signal.SIGTERM, lambda *a: sys.exit(143))
    sys.exit(main(sys.argv))
