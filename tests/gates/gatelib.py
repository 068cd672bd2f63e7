"""Shared helpers of the quality gates (issue #5): building a site, serving
it with the shipped nginx configuration, and counting results.

Every gate script closes with one line "NAME: N passed, M failed" and
exits non-zero when anything failed, like tests/run.sh's suites.
"""
import hashlib
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
GONGSHI = os.path.abspath(os.environ.get("GONGSHI", os.path.join(ROOT, "build", "gongshi")))
# The demo site's "today" (2025-11-22): notices open, closed and upcoming.
SDE = os.environ.get("SOURCE_DATE_EPOCH", "1763769600")
NGINX_CONF = os.path.join(ROOT, "themes", "default", "nginx.conf")
NGINX_TEMPLATE = os.path.join(HERE, "nginx-test.conf.in")

# test_build.py's fixture repository, payload and poison() are imported, not
# copied, so that its escaping test and the browser's poison the same
# fields (its private-marker and file-walking code is local to its tests,
# so those few lines are repeated below).
sys.path.insert(0, os.path.join(ROOT, "tests", "build"))
sys.dont_write_bytecode = True  # no __pycache__ left in tests/build/
import test_build  # noqa: E402


class Results:
    """Counts checks and prints the closing line tests/run.sh reads."""

    def __init__(self, name):
        self.name, self.passed, self.failed = name, 0, 0

    def check(self, ok, what, detail=""):
        if ok:
            self.passed += 1
        else:
            self.failed += 1
            print("FAIL %s%s" % (what, ": " + detail if detail else ""), flush=True)
        return ok

    def ok(self, what):
        """A group of checks passed: say so (failures were printed one by one)."""
        print("ok   %s" % what, flush=True)

    def close(self):
        print("%s: %d passed, %d failed" % (self.name, self.passed, self.failed), flush=True)
        return 1 if self.failed or not self.passed else 0


def demo_repo(tmp):
    """The demo record as `make site` publishes it: a repository whose
    history tests/tools/demo-repo.py writes from data/ (the audit trail's
    pages need one).  gates.mk writes it once into GATE_DEMO_REPO; without
    that it is written into tmp (a minute), and without the script this
    repository itself is the demo."""
    made = os.environ.get("GATE_DEMO_REPO")
    if made and os.path.isdir(os.path.join(made, ".git")):
        return made
    script = os.path.join(ROOT, "tests", "tools", "demo-repo.py")
    if not os.path.isfile(script):
        return ROOT
    out = os.path.join(tmp, "demo-repo")
    subprocess.run([sys.executable, script, out], check=True, stdout=subprocess.DEVNULL)
    return out


def build_site(out, repo, base_url=None, extra=()):
    """gongshi build of repo (its HEAD) into out."""
    args = [GONGSHI, "-C", repo, "build", "-q", "-o", out]
    if base_url:
        args += ["--base-url", base_url]
    p = subprocess.run(args + list(extra), capture_output=True, text=True,
                       env=dict(os.environ, SOURCE_DATE_EPOCH=SDE), timeout=600)
    if p.returncode != 0:
        raise SystemExit("gongshi build failed (exit %d):\n%s" % (p.returncode, p.stderr))
    return out


def sums(site):
    """{path: sha256} from the site's SHA256SUMS, in its order."""
    out = {}
    with open(os.path.join(site, "SHA256SUMS"), encoding="utf-8") as f:
        for line in f:
            if line.startswith("#"):  # a comment sha256sum skips (the publication log's head)
                continue
            digest, path = line.rstrip("\n").split("  ", 1)
            out[path] = digest
    return out


def sha256(data):
    return hashlib.sha256(data).hexdigest()


def free_port():
    """A port nothing listens on now (nginx may still lose a race for it: start() retries)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def server_block(site, port):
    """themes/default/nginx.conf with its "edit" lines pointed at site and 127.0.0.1:port.

    Each edited line must be found exactly once, so that a change to the
    shipped file that this test no longer understands fails loudly.
    """
    text = open(NGINX_CONF, encoding="utf-8").read()
    edits = [
        (r"^\s*listen 80;.*$", "\tlisten 127.0.0.1:%d;" % port),
        (r"^\s*listen \[::\]:80;.*$", ""),
        (r"^\s*server_name .*;.*$", "\tserver_name localhost;"),
        (r"^\s*root .*;.*$", "\troot %s;" % site),
    ]
    for pattern, new in edits:
        text, n = re.subn(pattern, new, text, flags=re.M)
        if n != 1:
            raise SystemExit("%s: expected one line matching %r, found %d" % (NGINX_CONF, pattern, n))
    return text


def _die_with_parent():
    """In the child before exec: SIGTERM when the test process dies, even by
    SIGKILL, so that no nginx outlives its test (Linux prctl PR_SET_PDEATHSIG)."""
    try:
        import ctypes
        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGTERM, 0, 0, 0)
    except (OSError, AttributeError):
        pass


class Nginx:
    """nginx on 127.0.0.1 serving a site with the shipped configuration.

    Everything nginx writes (pid, logs, temporary files) is in its own
    temporary folder; it runs in the foreground ("daemon off") as our
    child, so stop() -- or this process's exit -- always ends it.
    """

    def __init__(self, site, port=None):
        self.site = os.path.abspath(site)
        self.port = port
        self.proc = None
        self.dir = tempfile.mkdtemp(prefix="gongshi-nginx-")

    def __enter__(self):
        self.start()
        return self

    def __exit__(self, *exc):
        self.stop()

    @property
    def url(self):
        return "http://127.0.0.1:%d/" % self.port

    def start(self):
        nginx = shutil.which("nginx") or "/usr/sbin/nginx"
        fixed = self.port
        for attempt in range(5):
            port = fixed or free_port()
            with open(os.path.join(self.dir, "site.conf"), "w") as f:
                f.write(server_block(self.site, port))
            conf = open(NGINX_TEMPLATE, encoding="utf-8").read()
            # As root, nginx's workers would run as "nobody" and could not
            # read a site in a private temporary folder.
            user = "user root root;" if os.geteuid() == 0 else ""
            with open(os.path.join(self.dir, "nginx.conf"), "w") as f:
                f.write(conf.replace("@DIR@", self.dir).replace("@USER@", user))
            log = open(os.path.join(self.dir, "stderr.log"), "wb")
            # -e: the error log before the configuration is read (otherwise
            # nginx first opens /var/log/nginx/error.log, which needs root).
            self.proc = subprocess.Popen([nginx, "-p", self.dir, "-c", os.path.join(self.dir, "nginx.conf"),
                                          "-e", os.path.join(self.dir, "error.log")],
                                         stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
                                         preexec_fn=_die_with_parent)
            log.close()
            deadline = time.time() + 10
            while time.time() < deadline and self.proc.poll() is None:
                try:
                    socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
                    self.port = port
                    return self
                except OSError:
                    time.sleep(0.05)
            self.stop()
            err = open(os.path.join(self.dir, "stderr.log"), errors="replace").read() + self.error_log()
            if fixed or "Address already in use" not in err:
                raise SystemExit("nginx did not start:\n%s" % err)
        raise SystemExit("nginx found no free port")

    def stop(self):
        if self.proc and self.proc.poll() is None:
            # SIGTERM: nginx's fast shutdown of the master and its workers.
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait()
        self.proc = None

    def cleanup(self):
        self.stop()
        shutil.rmtree(self.dir, ignore_errors=True)

    def error_log(self):
        try:
            return open(os.path.join(self.dir, "error.log"), errors="replace").read()
        except OSError:
            return ""


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


_opener = urllib.request.build_opener(NoRedirect)


def fetch(url, headers=None):
    """(status, headers, body) of a GET, without following redirects."""
    req = urllib.request.Request(url, headers=headers or {})
    try:
        with _opener.open(req, timeout=30) as r:
            return r.status, r.headers, r.read()
    except urllib.error.HTTPError as e:
        return e.code, e.headers, e.read()


def site_path_url(base, path):
    """The URL of a file of the site: quoted, as a link to it would be."""
    return base + urllib.request.pathname2url(path).lstrip("/")


# Payloads that call window.__pwned(WHAT) if a browser ever runs them (the
# browser gate defines it), besides test_build.PAYLOAD's alert() calls,
# which the gate catches as dialogs.  Each tries another way out of the
# text: elements, handlers, URLs, breaking out of an attribute, a title,
# a raw-text element or an XML CDATA section, and mutation XSS.
PWN = (
    '<script>__pwned("script")</script>'
    '<img src=x onerror=__pwned("img-onerror")>'
    '<svg onload=__pwned("svg-onload")><script>__pwned("svg-script")</script></svg>'
    '<svg><animate onbegin=__pwned("svg-animate") attributeName=x dur=1s></svg>'
    '<iframe srcdoc="<script>parent.__pwned(1)</script>"></iframe>'
    '<details open ontoggle=__pwned("details-ontoggle")><summary>s</summary></details>'
    '<input autofocus onfocus=__pwned("autofocus")>'
    '"><script>__pwned("attr-break")</script>'
    "'><img src=x onerror=__pwned('attr-break-single')>"
    '</title><script>__pwned("title-break")</script>'
    '</style></textarea></script><script>__pwned("rawtext-break")</script>'
    ']]><script xmlns="http://www.w3.org/1999/xhtml">__pwned("xml-script")</script>'
    '<math><mtext><table><mglyph><style><img src=x onerror=__pwned("mxss")>'
    '<a href="javascript:__pwned(\'a-href\')">a</a>'
    '<a href="jav&#x09;ascript:__pwned(\'a-href-tab\')">b</a>'
    '[md-link](javascript:__pwned("md-link")) ![md-img](javascript:__pwned("md-img")) '
    '<javascript:__pwned("autolink")> {{site.name}} javascript:__pwned("bare")'
)
# Markdown that only means something at the start of a line.
PWN_MARKDOWN = (
    "\n\n[ref-link][pw]\n\n[pw]: javascript:__pwned('md-ref')\n\n"
    "<div onclick=__pwned('html-block')>block</div>\n\n"
    "<script>__pwned('html-block-script')</script>\n\n"
    "[data](data:text/html,<script>__pwned('data-url')</script>)\n"
)


def poisoned_repo(tmp):
    """test_build.injection_escaped's record -- the small fixture with a
    payload appended to every free-text field -- with its history:

      1. the clean fixture;
      2. test_build.PAYLOAD appended to every free-text field, to
         site.json's texts and to every Markdown file (plus Markdown-only
         payloads, and one more page); the fields whose format is checked
         (website, email) hold what that format lets through;
      3. every test_build.PAYLOAD extended by PWN,

    each commit with the payloads as its message, so that the audit
    trail's pages (versions, changes, diffs) show payloads both as old and
    as new values."""
    short, full = test_build.PAYLOAD, test_build.PAYLOAD + PWN

    def hostile_formats(node):
        if isinstance(node, dict):
            for k, v in node.items():
                if k == "email" and isinstance(v, str):
                    node[k] = 'x"><svg/onload=__pwned("email")>@example.org'
                elif k != "private":
                    hostile_formats(v)
        elif isinstance(node, list):
            for v in node:
                hostile_formats(v)

    def poison(repo):
        for base, dirs, files in os.walk(os.path.join(repo, "data")):
            for f in files:
                p = os.path.join(base, f)
                if "/calendars/" in p or not f.endswith(".json"):
                    continue
                doc = test_build.poison(json.load(open(p, encoding="utf-8")))
                hostile_formats(doc)
                if "/organizations/" in p:
                    doc["website"] = 'https://example.org/"><script>__pwned("website")</script>'
                json.dump(doc, open(p, "w", encoding="utf-8"), ensure_ascii=False, indent=2)
        p = os.path.join(repo, "content", "site.json")
        doc = json.load(open(p, encoding="utf-8"))
        for k in ("name", "description", "authority", "contact"):
            doc[k] = doc.get(k, k) + short
        for k in ("sponsor", "organizer", "website_id", "icp", "psb", "contact"):
            doc["footer"][k] = doc["footer"].get(k, k) + short
        json.dump(doc, open(p, "w", encoding="utf-8"), ensure_ascii=False, indent=2)
        os.makedirs(os.path.join(repo, "content", "pages"), exist_ok=True)
        with open(os.path.join(repo, "content", "pages", "xss.md"), "w", encoding="utf-8") as f:
            f.write("# " + short + "\n")
        for base, dirs, files in os.walk(os.path.join(repo, "content")):
            for f in files:
                if f.endswith(".md"):
                    with open(os.path.join(base, f), "a", encoding="utf-8") as out:
                        out.write("\n" + short + PWN_MARKDOWN)

    def extend(repo):
        """Every short payload in the record's texts becomes the full one."""
        def walk(node):
            if isinstance(node, dict):
                return {k: walk(v) for k, v in node.items()}
            if isinstance(node, list):
                return [walk(v) for v in node]
            return node.replace(short, full) if isinstance(node, str) else node
        for base, dirs, files in os.walk(repo):
            if ".git" in dirs:
                dirs.remove(".git")
            for f in files:
                p = os.path.join(base, f)
                if f.endswith(".json"):
                    doc = walk(json.load(open(p, encoding="utf-8")))
                    json.dump(doc, open(p, "w", encoding="utf-8"), ensure_ascii=False, indent=2)
                elif f.endswith(".md"):
                    text = open(p, encoding="utf-8").read()
                    open(p, "w", encoding="utf-8").write(text.replace(short, full))

    repo = test_build.make_repo(tmp)
    for change in (poison, extend):
        change(repo)
        test_build.git(repo, "add", "-A")
        test_build.git(repo, "commit", "-q", "-m", "更正" + full + PWN_MARKDOWN)
    return repo


def private_repo(tmp):
    """test_build.private_never_leaks' record: a unique marker in every
    private field (one is added where a file has none), and individuals
    whose ID numbers and dates are markers as they are.  Returns (repo, markers)."""
    markers = []

    def mark(node):
        if isinstance(node, dict):
            out = {}
            for k, v in node.items():
                if k == "private" and isinstance(v, dict):
                    pv = {}
                    for pk, val in v.items():
                        if pk in test_build.INDIVIDUAL_PRIVATE:
                            pv[pk] = val  # valid values, markers as they are
                            continue
                        m = "PRIVMARK%05d" % len(markers)
                        markers.append(m)
                        pv[pk] = True if isinstance(val, bool) else m
                    out[k] = pv
                else:
                    out[k] = mark(v)
            return out
        if isinstance(node, list):
            return [mark(v) for v in node]
        return node

    def mutate(repo):
        test_build.add_individuals(repo)
        markers.extend(test_build.INDIVIDUAL_PRIVATE_FORMS)
        for base, dirs, files in os.walk(os.path.join(repo, "data")):
            for f in files:
                p = os.path.join(base, f)
                if "/calendars/" in p or not f.endswith(".json"):
                    continue
                doc = json.load(open(p, encoding="utf-8"))
                if "private" not in doc and "/objections/" not in p:
                    doc["private"] = {"notes": "x"}
                json.dump(mark(doc), open(p, "w", encoding="utf-8"), ensure_ascii=False, indent=2)
    return test_build.make_repo(tmp, mutate=mutate), markers
