#!/usr/bin/env python3
"""End-to-end tests of `gongshi build`.

Usage: test_build.py GONGSHI   (UPDATE=1 rewrites the golden files)

Each test builds a record in a temporary git repository with fixed
authors and dates, so commit ids, and therefore whole sites, are
reproducible.  The last line is "build: N passed, M failed".
"""
import datetime
import hashlib
import html
import json
import os
import random
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
FIXTURES = os.path.join(ROOT, "tests", "fixtures")
GOLDEN = os.path.join(HERE, "golden")
SDE = "1735603200"  # 2024-12-31 08:00 in China
GONGSHI = os.path.abspath(sys.argv[1]) if len(sys.argv) > 1 else os.path.join(ROOT, "build", "gongshi")
WRAP = os.environ.get("GONGSHI_WRAPPER", "").split()
GIT_ENV = dict(os.environ, GIT_AUTHOR_NAME="Test Office", GIT_AUTHOR_EMAIL="office@example.org",
               GIT_COMMITTER_NAME="Test Office", GIT_COMMITTER_EMAIL="office@example.org",
               GIT_AUTHOR_DATE="2024-12-30T10:00:00+08:00", GIT_COMMITTER_DATE="2024-12-30T10:00:00+08:00")

results = []


def test(fn):
    results.append(fn)
    return fn


def git(repo, *args):
    subprocess.run(["git", "-C", repo] + list(args), check=True, env=GIT_ENV,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def make_repo(tmp, fixture="small", mutate=None):
    repo = os.path.join(tmp, "repo")
    shutil.copytree(os.path.join(FIXTURES, fixture), repo)
    if mutate:
        mutate(repo)
    git(repo, "init", "-q", "-b", "main")
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "record")
    return repo


def build(repo, out, *args, env=None, check=True):
    e = dict(os.environ, SOURCE_DATE_EPOCH=SDE)
    if env:
        e.update(env)
    p = subprocess.run(WRAP + [GONGSHI, "-C", repo, "build", "-q", "-o", out] + list(args),
                       capture_output=True, env=e, timeout=600)
    if check and p.returncode != 0:
        raise AssertionError("build failed (%d): %s" % (p.returncode, p.stderr.decode()))
    if p.returncode == 0:
        assert_utf8(out)
    return p


TEXT_FILES = (".html", ".xml", ".json", ".txt", ".csv", ".css", ".svg")


def assert_utf8(out):
    """Every text file of a site that a test builds is valid UTF-8: a
    character cut in half is text silently lost (issue #20)."""
    bad = []
    for dirpath, _, names in os.walk(out):
        for n in names:
            if n.endswith(TEXT_FILES) or n == "SHA256SUMS":
                path = os.path.join(dirpath, n)
                try:
                    open(path, "rb").read().decode("utf-8", "strict")
                except UnicodeDecodeError as e:
                    bad.append("%s (%s)" % (os.path.relpath(path, out), e))
    if bad:
        raise AssertionError("invalid UTF-8 in %d file(s): %s" % (len(bad), "; ".join(bad[:5])))


def tree(d):
    """{relative path: bytes} of every file under d."""
    out = {}
    for base, dirs, files in os.walk(d):
        for f in files:
            p = os.path.join(base, f)
            out[os.path.relpath(p, d)] = open(p, "rb").read()
    return out


def tree_digest(d):
    h = hashlib.sha256()
    for k, v in sorted(tree(d).items()):
        h.update(k.encode() + b"\0" + hashlib.sha256(v).digest())
    return h.hexdigest()


@test
def golden_small():
    """The small fixture's whole site, byte for byte (tests/build/golden/)."""
    with tempfile.TemporaryDirectory() as tmp:
        repo = make_repo(tmp)
        out = os.path.join(tmp, "site")
        build(repo, out)
        got = tree(out)
        if os.environ.get("UPDATE"):
            shutil.rmtree(GOLDEN, ignore_errors=True)
            shutil.copytree(out, GOLDEN)
            return
        want = tree(GOLDEN)
        missing = sorted(set(want) - set(got))
        extra = sorted(set(got) - set(want))
        differ = sorted(k for k in set(want) & set(got) if want[k] != got[k])
        assert not (missing or extra or differ), \
            "golden mismatch: missing %s, extra %s, differ %s (UPDATE=1 to rewrite after review)" % (
                missing[:5], extra[:5], differ[:5])


PAGE_TYPES = [
    "index.html", "programs/index.html", "programs/lhasa/index.html", "programs/lhasa/index.json",
    "rounds/lhasa-2022/index.html", "rounds/lhasa-2022/index.json",
    "notices/lhasa-2022-proposed/index.html", "notices/lhasa-2022-proposed/index.json",
    "notices/lhasa-2022-revocation/index.html",
    "organizations/index.html", "organizations/91540100550813727F/index.html",
    "awards/index.html", "awards/LSQA-2022-02/index.html", "awards/LSQA-2022-02/index.json",
    "revocations/index.html", "revocations/lhasa-2024-riguang/index.html",
    "objections/index.html", "objections/lanzhou-2023-baihe/index.html",
    "stats/index.html", "downloads/index.html", "announcements/2024-01-05-test/index.html",
    # the lists' pages (issue #23)
    "awards/2024.html", "awards/2024-lanzhou.html", "organizations/540100.html",
    "organizations/540100-0062c9.html", "notices/index.html", "notices/2024.html", "notices/2024-06.html",
    "rounds/index.html", "rounds/2024.html", "revocations/2024.html", "objections/2024.html",
    "stats/2024.html",
    "feed.xml", "notices.xml", "programs/lhasa/feed.xml", "sitemap.xml", "robots.txt", "404.html",
    "downloads/awards.csv", "downloads/applications.csv", "downloads/record.json", "SHA256SUMS",
]


@test
def every_page_type():
    """Every page type of the site is written."""
    with tempfile.TemporaryDirectory() as tmp:
        out = os.path.join(tmp, "site")
        build(make_repo(tmp), out)
        missing = [p for p in PAGE_TYPES if not os.path.isfile(os.path.join(out, p))]
        assert not missing, "missing: %s" % missing
        css = [f for f in os.listdir(os.path.join(out, "assets")) if re.match(r"style\.[0-9a-f]{10}\.css$", f)]
        assert len(css) == 1, "fingerprinted stylesheet: %s" % os.listdir(os.path.join(out, "assets"))
        csv = open(os.path.join(out, "downloads/awards.csv"), "rb").read()
        assert csv.startswith(b"\xef\xbb\xbf"), "CSV without BOM"
        for p in ("feed.xml", "notices.xml", "sitemap.xml"):
            import xml.dom.minidom
            xml.dom.minidom.parse(os.path.join(out, p))  # well-formed
        json.load(open(os.path.join(out, "downloads/record.json"), encoding="utf-8"))


@test
def demo_every_page_type():
    """The demo record in data/ gives every page type, one page per record."""
    with tempfile.TemporaryDirectory() as tmp:
        out = os.path.join(tmp, "site")
        build(ROOT, out, "--worktree")
        want = ["index.html", "programs/index.html", "organizations/index.html", "awards/index.html",
                "revocations/index.html", "objections/index.html", "stats/index.html", "feed.xml",
                "notices.xml", "sitemap.xml", "robots.txt", "404.html", "downloads/awards.csv",
                "downloads/record.json", "SHA256SUMS", "individuals/index.html", "notices/index.html",
                "rounds/index.html"]
        data = os.path.join(ROOT, "data")
        for kind, section in (("programs", "programs"), ("rounds", "rounds"), ("notices", "notices"),
                              ("organizations", "organizations"), ("revocations", "revocations"),
                              ("objections", "objections"), ("individuals", "individuals")):
            for f in os.listdir(os.path.join(data, kind)):
                want.append("%s/%s/index.html" % (section, f[:-5]))
                want.append("%s/%s/index.json" % (section, f[:-5]))
        for f in os.listdir(os.path.join(data, "applications")):
            r = json.load(open(os.path.join(data, "applications", f), encoding="utf-8")).get("result", {})
            if r.get("outcome") == "awarded":
                want.append("awards/%s/index.html" % r["certificate"])
        missing = [p for p in want if not os.path.isfile(os.path.join(out, p))]
        assert not missing, "missing: %s" % missing[:10]
        assert len(want) > 200, len(want)


# Pages that show no data of the record: prose, the home page's digest,
# the open-data index and the 404 page.  Every other page has its JSON.
NOT_DATA_PAGES = re.compile(r"^(index\.html|404\.html|downloads/index\.html|search/index\.html|pages/.*|announcements/.*)$")


@test
def data_pages_have_json():
    """Every page that shows data has its data beside it (issue #19):
    x.html and x.json (index.html and index.json), the JSON parses and
    the page links it, on the demo record's history: the lists and each
    of their pages, the change log's pages and commits, notice versions,
    a tombstone, statistics and every record's page."""
    with tempfile.TemporaryDirectory() as tmp:
        repo, out = os.path.join(tmp, "demo"), os.path.join(tmp, "site")
        subprocess.run([sys.executable, os.path.join(ROOT, "tests", "tools", "demo-repo.py"), repo],
                       check=True, stdout=subprocess.DEVNULL)
        build(repo, out)
        pages = sorted(p for p in tree(out) if p.endswith(".html") and not NOT_DATA_PAGES.match(p))
        kinds = {"list page": r"^awards/\d+-[a-z]+\.html$", "list index": r"^notices/index\.html$",
                 "change log page": r"^changes/page/\d+/index\.html$", "commit": r"^changes/[0-9a-f]{40}/",
                 "notice version": r"^notices/[^/]+/v/[0-9a-f]{40}/", "statistics": r"^stats/\d+\.html$",
                 "tombstone": r"^notices/lhasa-2023-proposed-draft/index\.html$"}
        for kind, rx in kinds.items():
            assert [p for p in pages if re.search(rx, p)], "no %s among %d pages" % (kind, len(pages))
        bad = []
        for p in pages:
            j = p[:-5] + ".json"
            try:
                json.load(open(os.path.join(out, j), encoding="utf-8"))
            except (OSError, ValueError) as e:
                bad.append("%s: %s" % (j, e))
                continue
            link = '<link rel="alternate" type="application/json" title="本页的公开数据" href="%s">' % \
                os.path.basename(j)
            if link not in open(os.path.join(out, p), encoding="utf-8").read():
                bad.append("%s does not link %s" % (p, os.path.basename(j)))
        assert not bad, "%d of %d pages: %s" % (len(bad), len(pages), bad[:5])


@test
def deterministic():
    """Two builds of one commit with one SOURCE_DATE_EPOCH are byte-identical."""
    with tempfile.TemporaryDirectory() as tmp:
        repo = make_repo(tmp)
        a, b = os.path.join(tmp, "a"), os.path.join(tmp, "b")
        build(repo, a)
        time.sleep(1.1)
        build(repo, b, env={"TZ": "America/New_York", "LC_ALL": "C"})
        ta, tb = tree(a), tree(b)
        assert ta == tb, "differ: %s" % [k for k in ta if ta.get(k) != tb.get(k)][:5]


@test
def sha256sums():
    """SHA256SUMS lists every other file with its hash, as sha256sum -c reads it."""
    with tempfile.TemporaryDirectory() as tmp:
        out = os.path.join(tmp, "site")
        build(make_repo(tmp), out)
        p = subprocess.run(["sha256sum", "--quiet", "-c", "SHA256SUMS"], cwd=out, capture_output=True)
        assert p.returncode == 0, p.stdout.decode() + p.stderr.decode()
        # a "#" line (the publication log's head) is a comment sha256sum skips
        listed = {l.split("  ", 1)[1] for l in open(os.path.join(out, "SHA256SUMS")).read().splitlines()
                  if not l.startswith("#")}
        files = set(tree(out)) - {"SHA256SUMS"}
        assert listed == files, "unlisted %s" % sorted(files - listed)[:5]


@test
def footer_names_commit_and_date():
    """Every page names the commit that last changed what it shows and that
    commit's date; the home page the build's commit and date."""
    with tempfile.TemporaryDirectory() as tmp:
        repo = make_repo(tmp)
        head = subprocess.run(["git", "-C", repo, "rev-parse", "HEAD"], capture_output=True,
                              text=True).stdout.strip()
        out = os.path.join(tmp, "site")
        build(repo, out)
        for p, data in tree(out).items():
            if p.endswith(".html"):
                t = data.decode()
                assert head in t and head[:7] in t, "%s lacks the commit" % p
                when = "2024年12月31日" if p == "index.html" else "（2024年12月30日）"
                assert when in t, "%s lacks the date %s" % (p, when)


@test
def refuses_broken_record():
    """A record that breaks a rule is refused (exit 1), and the old site stays."""
    with tempfile.TemporaryDirectory() as tmp:
        repo = make_repo(tmp)
        out = os.path.join(tmp, "site")
        build(repo, out)
        before = tree_digest(out)
        path = os.path.join(repo, "data/notices/lhasa-2024-proposed.json")
        doc = json.load(open(path, encoding="utf-8"))
        doc["period"]["end"] = "2024-11-20"
        json.dump(doc, open(path, "w", encoding="utf-8"), ensure_ascii=False, indent=2)
        git(repo, "commit", "-q", "-am", "too short")
        p = build(repo, out, check=False)
        assert p.returncode == 1, "exit %d" % p.returncode
        assert b"[notice-period]" in p.stderr, p.stderr.decode()
        assert tree_digest(out) == before, "the previous site changed"
        assert not [d for d in os.listdir(tmp) if ".tmp" in d], os.listdir(tmp)


@test
def draft_banner():
    """--worktree builds a preview with a draft banner on every page; a commit build has none."""
    with tempfile.TemporaryDirectory() as tmp:
        repo = make_repo(tmp)
        a, b = os.path.join(tmp, "a"), os.path.join(tmp, "b")
        build(repo, a)
        build(repo, b, "--worktree")
        for p, data in tree(b).items():
            if p.endswith(".html"):
                assert "草稿预览" in data.decode(), "%s: no banner" % p
        for p, data in tree(a).items():
            if p.endswith(".html"):
                assert "草稿预览" not in data.decode(), "%s: banner in a published build" % p


LINK = re.compile(r'(?:href|src)="([^"]*)"')


@test
def links_resolve():
    """Every relative link and asset resolves to a file, so the site works from file://."""
    with tempfile.TemporaryDirectory() as tmp:
        out = os.path.join(tmp, "site")
        build(make_repo(tmp), out)
        bad = []
        for p, data in tree(out).items():
            if not p.endswith(".html") or p == "404.html":
                continue
            for url in LINK.findall(data.decode()):
                url = html.unescape(url)
                if re.match(r"^[a-z]+:", url) or url.startswith("#"):
                    continue
                target = os.path.normpath(os.path.join(os.path.dirname(os.path.join(out, p)),
                                                       url.split("#")[0]))
                if not target.startswith(out) or not os.path.isfile(target):
                    bad.append("%s -> %s" % (p, url))
        assert not bad, "%d broken: %s" % (len(bad), bad[:8])


def big_record(repo, n=2500):
    """Adds n not-awarded applications (and organizations) to round lanzhou-2023."""
    chars = "0123456789ABCDEFGHJKLMNPQRTUWXY"
    weights = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28]
    for i in range(n):
        body = "91620100%09dX" % i
        body = body[:17]
        s = sum(chars.index(c) * w for c, w in zip(body, weights))
        code = body + chars[(31 - s % 31) % 31]
        org = {"$schema": "../schema/organization.schema.json", "id": code, "name": "测试企业%d有限公司" % i,
               "kind": "enterprise", "established": "2010-01-01", "district": "城关区"}
        json.dump(org, open(os.path.join(repo, "data/organizations/%s.json" % code), "w", encoding="utf-8"),
                  ensure_ascii=False)
        app = {"$schema": "../schema/application.schema.json", "id": "lanzhou-2023-t%d" % i,
               "round": "lanzhou-2023", "organization": code, "tier": "award", "submitted": "2024-01-10",
               "stages": [{"stage": "material", "outcome": "failed", "date": "2024-04-09"}],
               "result": {"outcome": "not_awarded", "date": "2024-07-16"}}
        json.dump(app, open(os.path.join(repo, "data/applications/lanzhou-2023-t%d.json" % i), "w",
                            encoding="utf-8"), ensure_ascii=False)


@test
def killed_build_leaves_old_site():
    """A build killed midway (SIGKILL, at many points) leaves the previous site intact, or, if it was
    killed after its swap, the whole new site: never a mix."""
    with tempfile.TemporaryDirectory() as tmp:
        repo = make_repo(tmp, mutate=big_record)
        out = os.path.join(tmp, "site")
        build(repo, out)
        before = tree_digest(out)
        # a change, so that a finished build would differ
        path = os.path.join(repo, "data/organizations/91540100550813727F.json")
        doc = json.load(open(path, encoding="utf-8"))
        doc["name"] = doc["name"] + "（更名）"
        json.dump(doc, open(path, "w", encoding="utf-8"), ensure_ascii=False, indent=2)
        git(repo, "commit", "-q", "-am", "rename")
        # the site a finished build leaves: built into a copy, which carries the same publication log
        whole = os.path.join(tmp, "whole")
        shutil.copytree(out, whole, symlinks=True)
        t0 = time.time()
        build(repo, whole)
        full = time.time() - t0
        after = tree_digest(whole)
        assert after != before
        killed = intact = 0
        for frac in (0.05, 0.2, 0.4, 0.6, 0.8, 0.95):
            e = dict(os.environ, SOURCE_DATE_EPOCH=SDE)
            # the same wrapper (valgrind...) as the timed build, or the timing means nothing
            p = subprocess.Popen(WRAP + [GONGSHI, "-C", repo, "build", "-q", "-o", out], env=e,
                                 stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            time.sleep(full * frac)
            if p.poll() is None:
                p.send_signal(signal.SIGKILL)
                killed += 1
            p.wait()
            if p.returncode == -signal.SIGKILL:
                # a build may be killed after its swap (while it frees memory, or under a
                # sanitizer's exit checks): then the whole new site is there
                now = tree_digest(out)
                assert now in (before, after), "site changed by a build killed at %.0f%%" % (frac * 100)
                intact += now == before
        assert killed >= 3, "only %d builds were still running when killed (full build %.2fs)" % (killed, full)
        assert intact >= 3, "only %d builds were killed before their swap (full build %.2fs)" % (intact, full)
        build(repo, out)
        assert tree_digest(out) == after, "the next build did not replace the site"
        left = [d for d in os.listdir(tmp) if d.startswith(".site.tmp")]
        assert not left, "temporary folders left: %s" % left


@test
def jobs_same_site():
    """Pages shared out between 1, 2 or 3 processes (-j) make the same site, byte for byte."""
    with tempfile.TemporaryDirectory() as tmp:
        repo = make_repo(tmp, mutate=lambda r: big_record(r, 400))
        sites = []
        for j in ("1", "2", "3"):
            out = os.path.join(tmp, "site" + j)
            build(repo, out, "-j", j)
            sites.append(tree(out))
        assert len(sites[0]) > 800, len(sites[0])
        for j, t in zip((2, 3), sites[1:]):
            assert t == sites[0], "-j %d differs: %s" % (
                j, sorted(set(k for k in set(t) | set(sites[0]) if t.get(k) != sites[0].get(k)))[:5])


def descendants(pid, name):
    """The processes under pid, at any depth, named name (None: all)."""
    found, todo = [], [pid]
    while todo:
        p = todo.pop()
        try:
            with open("/proc/%d/task/%d/children" % (p, p)) as f:
                kids = [int(x) for x in f.read().split()]
        except OSError:
            continue
        for k in kids:
            todo.append(k)
            try:
                with open("/proc/%d/comm" % k) as f:
                    if name is None or f.read().strip() == name:
                        found.append(k)
            except OSError:
                pass
    return found


def build_killing(repo, out, name, *args):
    """Runs a build and SIGKILLs the first process under it named name (each process of a build
    names itself: gongshi-render, gongshi-history, gongshi-hist-N, gongshi-walk).  Returns
    (exit status, stdout, stderr, whether one was killed)."""
    p = subprocess.Popen(WRAP + [GONGSHI, "-C", repo, "build", "-o", out] + list(args),
                         env=dict(os.environ, SOURCE_DATE_EPOCH=SDE), stdout=subprocess.PIPE,
                         stderr=subprocess.PIPE)
    killed = False
    while p.poll() is None and not killed:
        kids = descendants(p.pid, name)
        if kids:
            os.kill(kids[0], signal.SIGKILL)
            killed = True
        else:
            time.sleep(0.001)
    so, se = p.communicate()
    return p.returncode, so, se, killed


@test
def worker_killed_fails_build():
    """A rendering process killed midway (the OOM killer, say) fails the build with a message, and
    the previous site stays."""
    with tempfile.TemporaryDirectory() as tmp:
        repo = make_repo(tmp, mutate=big_record)
        out = os.path.join(tmp, "site")
        build(repo, out)
        before = tree_digest(out)
        rename_org(repo, "（更名）")
        rc, so, se, victim = build_killing(repo, out, "gongshi-render", "-q", "-j", "2")
        err = se.decode()
        assert victim, "no worker was seen before the build ended"
        assert rc == 2, "exit %s: %s" % (rc, err)
        assert "killed by signal 9" in err, err
        assert tree_digest(out) == before, "the site changed"
        build(repo, out)
        assert tree_digest(out) != before, "the next build did not replace the site"


@test
def history_prefetch_killed():
    """The history is walked by a process of its own while the record loads; if it dies, the build
    walks the history itself and writes the same site."""
    with tempfile.TemporaryDirectory() as tmp:
        repo = make_repo(tmp, mutate=big_record)
        rename_org(repo, "（更名）")
        want = os.path.join(tmp, "want")
        build(repo, want, "--no-spare")
        kills = 0
        for attempt in range(5):
            out = os.path.join(tmp, "site%d" % attempt)
            rc, so, se, killed = build_killing(repo, out, "gongshi-history")
            assert rc == 0, "exit %d: %s" % (rc, se.decode())
            assert tree(out) == tree(want), "the site differs"
            if killed:
                kills += 1
                # the build walked both commits itself (or the prefetch had written the cache)
                assert re.search(rb"with 2 commits of history \((0|2) read now\)", so), so
        assert kills >= 1, "the prefetch was never seen running"


@test
def flusher_runs():
    """While a build writes, a thread of its first process (gongshi-flush) has the folder written
    back; the build stops it before its own sync and writes the same site as ever."""
    with tempfile.TemporaryDirectory() as tmp:
        repo = make_repo(tmp, mutate=big_record)
        want = os.path.join(tmp, "want")
        build(repo, want, "--no-spare")
        seen = 0
        for attempt in range(3):
            out = os.path.join(tmp, "site%d" % attempt)
            p = subprocess.Popen(WRAP + [GONGSHI, "-C", repo, "build", "-o", out, "--no-spare", "-q"],
                                 env=dict(os.environ, SOURCE_DATE_EPOCH=SDE), stdout=subprocess.PIPE,
                                 stderr=subprocess.PIPE)
            while p.poll() is None and not seen:
                for pid in [p.pid] + descendants(p.pid, None):
                    try:
                        tasks = os.listdir("/proc/%d/task" % pid)
                    except OSError:
                        continue
                    for t in tasks:
                        try:
                            comm = open("/proc/%d/task/%s/comm" % (pid, t)).read().strip()
                        except OSError:
                            continue
                        seen += comm == "gongshi-flush"
                time.sleep(0.001)
            so, se = p.communicate()
            assert p.returncode == 0, "exit %d: %s" % (p.returncode, se.decode())
            assert tree(out) == tree(want), "the site differs"
        assert seen, "no gongshi-flush thread was seen in a build"


def long_history(repo, commits):
    """Appends commits to main through git fast-import, each renaming one organization."""
    path = "data/organizations/91540100550813727F.json"
    doc = json.load(open(os.path.join(repo, path), encoding="utf-8"))
    name = doc["name"]
    stream = []
    for k in range(commits):
        doc["name"] = "%s（第%d次更名）" % (name, k + 1)
        data = (json.dumps(doc, ensure_ascii=False, indent=2) + "\n").encode()
        msg = ("rename %d\n" % (k + 1)).encode()
        when = 1704067200 + 3600 * k
        stream.append(b"commit refs/heads/main\n")
        stream.append(b"committer office <office@example.org> %d +0800\n" % when)
        stream.append(b"data %d\n%s" % (len(msg), msg))
        if k == 0:
            stream.append(b"from refs/heads/main^0\n")
        stream.append(b"M 100644 inline %s\ndata %d\n%s\n" % (path.encode(), len(data), data))
    subprocess.run(["git", "-C", repo, "fast-import", "--quiet"], input=b"".join(stream), check=True)
    git(repo, "reset", "-q", "--hard", "main")


@test
def history_part_killed():
    """Without a cache, a long history without merges is walked in parts by processes of their own
    (gongshi-hist-2...); if one dies, its part is walked by the others' parent and the site is the
    same."""
    if (os.cpu_count() or 1) < 2:
        print("skip history_part_killed: one CPU, so the history is never cut into parts")
        return
    with tempfile.TemporaryDirectory() as tmp:
        repo = make_repo(tmp)
        long_history(repo, 4200)  # two parts of at least 2,048 commits
        want = os.path.join(tmp, "want")
        build(repo, want, "--no-spare")
        kills = 0
        for attempt in range(5):
            out = os.path.join(tmp, "site%d" % attempt)
            rc, so, se, killed = build_killing(repo, out, "gongshi-hist-2")
            assert rc == 0, "exit %d: %s" % (rc, se.decode())
            assert re.search(rb"with 4201 commits of history \(4201 read now\)", so), so
            assert tree(out) == tree(want), "the site differs"
            kills += killed
            if kills >= 2:
                break
        assert kills >= 1, "no gongshi-hist-2 was seen running"


def spares(tmp, name="site"):
    return sorted(f for f in os.listdir(tmp) if re.match(r"\.%s\.spare-[A-Za-z0-9]{6}$" % name, f))


def rename_org(repo, suffix):
    path = os.path.join(repo, "data/organizations/91540100550813727F.json")
    doc = json.load(open(path, encoding="utf-8"))
    doc["name"] = doc["name"] + suffix
    json.dump(doc, open(path, "w", encoding="utf-8"), ensure_ascii=False, indent=2)
    git(repo, "commit", "-q", "-am", "rename " + suffix)


@test
def rebuild_rewrites_spare_in_place():
    """The replaced site is kept as a spare and the next build rewrites it in place: same inodes (or, for
    a file the current site holds unchanged, the current site's), stray files removed, byte-identical to a
    clean build; --no-spare keeps none."""
    with tempfile.TemporaryDirectory() as tmp:
        repo = make_repo(tmp)
        out = os.path.join(tmp, "site")
        build(repo, out)
        assert not spares(tmp), os.listdir(tmp)
        rename_org(repo, "（一）")
        build(repo, out)
        sp = spares(tmp)
        assert len(sp) == 1, os.listdir(tmp)
        spare = os.path.join(tmp, sp[0])
        inodes = {}
        for base, dirs, files in os.walk(spare):
            for f in files:
                full = os.path.join(base, f)
                inodes[os.path.relpath(full, spare)] = os.lstat(full).st_ino
        # what a spare may have gained meanwhile is not published
        open(os.path.join(spare, "stray.html"), "w").write("stray")
        os.makedirs(os.path.join(spare, "stray/deeper"))
        rename_org(repo, "（二）")
        # a file the new site shares with the current one is linked from it (issue #19)
        current = {}
        for base, dirs, files in os.walk(out):
            for f in files:
                full = os.path.join(base, f)
                current[os.path.relpath(full, out)] = os.lstat(full).st_ino
        # the same build from scratch, into a copy (the publication log is carried forward)
        clean = os.path.join(tmp, "clean")
        shutil.copytree(out, clean, symlinks=True)
        build(repo, out)
        now = tree(out)
        assert "stray.html" not in now and not os.path.exists(os.path.join(out, "stray")), sorted(now)[:5]
        # SHA256SUMS and the marker are written anew, never in place: a site
        # is recognised by them, and a snapshot of the spare keeps its own
        anew = {"SHA256SUMS", ".gongshi-site"}
        # (a file the spare shared with the current site is replaced, never written through)
        kept = [p for p, ino in inodes.items() if p in now and (os.lstat(os.path.join(out, p)).st_ino in
                (ino, current.get(p)) or ino == current.get(p))]
        want = [p for p in inodes if p in now and p not in anew]
        assert set(want) <= set(kept) and len(kept) > 50, \
            "%d of %d files rewritten in place; not: %s" % (len(kept), len(want), sorted(set(want) - set(kept))[:5])
        assert b"\xef\xbc\x88\xe4\xba\x8c\xef\xbc\x89" in b"".join(now.values())  # （二）
        build(repo, clean)
        assert now == tree(clean), "differs from a clean build: %s" % sorted(
            k for k in set(now) | set(tree(clean)) if now.get(k) != tree(clean).get(k))[:8]
        assert len(spares(tmp)) == 1, os.listdir(tmp)
        build(repo, out, "--no-spare")
        assert not spares(tmp), os.listdir(tmp)
        assert tree(out) == now


def gongshi(cwd, *args, env=None, preexec_fn=None):
    e = dict(os.environ, SOURCE_DATE_EPOCH=SDE)
    e.update(env or {})
    return subprocess.run(WRAP + [GONGSHI] + list(args), cwd=cwd, capture_output=True, env=e, timeout=600,
                          preexec_fn=preexec_fn)


@test
def out_dir_foreign_refused():
    """build -o replaces only a folder gongshi wrote or an empty one: a web root holding other files is
    refused whole; a file put in (or edited in) a site by hand is reported and the build stops, unless
    --discard-foreign."""
    with tempfile.TemporaryDirectory() as tmp:
        repo = make_repo(tmp)
        root = os.path.join(tmp, "www", "html")
        os.makedirs(root)
        open(os.path.join(root, "notes.txt"), "w").write("keep\n")
        for attempt in range(2):
            p = build(repo, root, check=False)
            assert p.returncode == 2, "exit %d: %s" % (p.returncode, p.stderr.decode())
            assert b"not a site gongshi wrote" in p.stderr, p.stderr.decode()
            assert os.listdir(root) == ["notes.txt"] and open(os.path.join(root, "notes.txt")).read() == "keep\n"
            rename_org(repo, "（%d）" % attempt)
        assert not spares(os.path.dirname(root), "html"), os.listdir(os.path.dirname(root))
        empty = os.path.join(tmp, "empty")
        os.mkdir(empty)
        build(repo, empty)
        out = os.path.join(tmp, "site")
        build(repo, out)
        open(os.path.join(out, "notes.txt"), "w").write("keep\n")
        with open(os.path.join(out, "index.html"), "a") as f:
            f.write("<!-- edited by hand -->")
        rename_org(repo, "（改）")
        for attempt in range(2):  # the second time, from the spare
            p = build(repo, out, check=False)
            err = p.stderr.decode()
            assert p.returncode == 2, "exit %d: %s" % (p.returncode, err)
            assert '"notes.txt" (not written by gongshi)' in err and '"index.html" (changed since' in err, err
            assert "--discard-foreign" in err, err
            assert open(os.path.join(out, "notes.txt")).read() == "keep\n"
        build(repo, out, "--discard-foreign")
        assert not os.path.exists(os.path.join(out, "notes.txt"))
        build(repo, out)  # its own site again


@test
def out_dir_not_the_repository():
    """The output is never the repository itself, its .git, or data/, content/, themes/: refused, with
    nothing moved or deleted, build after build."""
    with tempfile.TemporaryDirectory() as tmp:
        repo = make_repo(tmp)
        draft = os.path.join(repo, "data", "notices", "draft.json")
        open(draft, "w").write("{}")  # uncommitted

        def state():
            return sorted(os.listdir(repo)), tree_digest(os.path.join(repo, "data")), \
                tree_digest(os.path.join(repo, ".git"))
        before = state()
        for attempt in range(2):
            p = gongshi(tmp, "-C", "repo", "build", "-q", "-o", "repo")
            assert p.returncode == 2 and b"is the repository itself" in p.stderr, p.stderr.decode()
            for out in ("data", "data/", "./data/notices", ".git", ".git/x", "content", "themes", ".", "../repo"):
                p = gongshi(repo, "build", "-q", "-o", out)
                assert p.returncode == 2 and b"refusing to replace it" in p.stderr, (out, p.stderr.decode())
            assert state() == before, "the repository changed"
            assert open(draft).read() == "{}"
            rename_org(repo, "（%d）" % attempt)
            before = state()
        p = gongshi(repo, "build", "-q", "-o", "public")
        assert p.returncode == 0, p.stderr.decode()


@test
def out_dir_of_an_earlier_version():
    """A site built before the marker existed (SHA256SUMS and publication-log.json, no .gongshi-site) is
    still gongshi's, if its files match their checksums."""
    with tempfile.TemporaryDirectory() as tmp:
        repo = make_repo(tmp)
        out = os.path.join(tmp, "site")
        build(repo, out, "--no-spare")
        os.unlink(os.path.join(out, ".gongshi-site"))
        sums = os.path.join(out, "SHA256SUMS")
        lines = [l for l in open(sums).read().splitlines(True) if not l.endswith("  .gongshi-site\n")]
        open(sums, "w").write("".join(lines))
        rename_org(repo, "（一）")
        build(repo, out)
        assert os.path.isfile(os.path.join(out, ".gongshi-site"))


@test
def concurrent_builds_newest_wins():
    """Two builds of one folder at once: the second waits for the first (and says so), so the site is
    never the older commit over the newer one, and the publication log lists every commit published."""
    with tempfile.TemporaryDirectory() as tmp:
        repo = make_repo(tmp, mutate=big_record)
        out = os.path.join(tmp, "site")
        build(repo, out)
        rename_org(repo, "（X）")
        x = subprocess.run(["git", "-C", repo, "rev-parse", "HEAD"], capture_output=True, text=True).stdout.strip()
        rename_org(repo, "（Y）")
        y = subprocess.run(["git", "-C", repo, "rev-parse", "HEAD"], capture_output=True, text=True).stdout.strip()
        env = dict(os.environ, SOURCE_DATE_EPOCH=SDE)
        # A builds X; stopped once its rendering processes run, after it read the publication log
        a = subprocess.Popen(WRAP + [GONGSHI, "-C", repo, "build", "-q", "-o", out, "--rev", x], env=env,
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        while a.poll() is None and not descendants(a.pid, "gongshi-render"):
            time.sleep(0.001)
        assert a.poll() is None, "build A ended before it could be stopped"
        os.kill(a.pid, signal.SIGSTOP)
        try:
            b = subprocess.Popen(WRAP + [GONGSHI, "-C", repo, "build", "-o", out], env=env,
                                 stdout=subprocess.PIPE, stderr=subprocess.PIPE)
            t0 = time.time()
            while b.poll() is None and time.time() - t0 < 10:
                time.sleep(0.05)
        finally:
            os.kill(a.pid, signal.SIGCONT)
        ao, ae = a.communicate()
        bo, be = b.communicate()
        assert a.returncode == 0, "A: exit %d: %s" % (a.returncode, ae.decode())
        assert b.returncode == 0, "B: exit %d: %s" % (b.returncode, be.decode())
        log = [e["commit"][:7] for e in json.load(open(os.path.join(out, "publication-log.json")))]
        assert log[-2:] == [x[:7], y[:7]], "publication log %s, want ... %s %s" % (log, x[:7], y[:7])
        assert y in open(os.path.join(out, "index.html"), encoding="utf-8").read(), "the site is not Y"
        assert b"waiting for the build of" in be, be.decode()


@test
def draft_not_over_published():
    """build --worktree into a published site is refused (the public site stays); into another folder,
    or with --force-draft, it is written."""
    with tempfile.TemporaryDirectory() as tmp:
        repo = make_repo(tmp)
        out = os.path.join(tmp, "site")
        build(repo, out)
        before = tree_digest(out)
        p = build(repo, out, "--worktree", check=False)
        assert p.returncode == 2, "exit %d: %s" % (p.returncode, p.stderr.decode())
        assert b"--force-draft" in p.stderr and b"published from commit" in p.stderr, p.stderr.decode()
        assert tree_digest(out) == before, "the published site changed"
        preview = os.path.join(tmp, "preview")
        build(repo, preview, "--worktree")
        build(repo, preview, "--worktree")
        build(repo, out, "--worktree", "--force-draft")
        assert "草稿预览" in open(os.path.join(out, "index.html"), encoding="utf-8").read()


@test
def file_size_limit():
    """A file over ulimit -f is a write error like a full disk (EFBIG, exit 2, a message), not a silent
    death by SIGXFSZ; the previous site stays, and the partial folder is removed, not kept as a spare."""
    import resource
    with tempfile.TemporaryDirectory() as tmp:
        repo = make_repo(tmp)
        out = os.path.join(tmp, "site")
        build(repo, out)
        rename_org(repo, "（一）")
        build(repo, out)
        assert len(spares(tmp)) == 1
        before = tree_digest(out)
        rename_org(repo, "（二）")
        # above the history cache this commit gives, below the largest page
        scratch = os.path.join(tmp, "scratch")
        build(repo, scratch, "--no-spare")
        limit = os.path.getsize(os.path.join(tmp, ".scratch.cache", "history.bin")) + 1024
        assert max(len(v) for v in tree(scratch).values()) > limit
        p = gongshi(tmp, "-C", repo, "build", "-q", "-o", out, preexec_fn=lambda: resource.setrlimit(
            resource.RLIMIT_FSIZE, (limit, limit)))
        assert p.returncode == 2, "exit %d: %s" % (p.returncode, p.stderr.decode())
        assert b"File too large" in p.stderr, p.stderr.decode()
        assert tree_digest(out) == before, "the site changed"
        left = [d for d in os.listdir(tmp) if re.match(r"\.site\.(tmp|spare|old)-", d)]
        assert not left, "partial folders kept: %s" % left
        build(repo, out)


PAYLOAD = ('<script>alert("x")</script><img src=x onerror=alert(1)>'
           '<svg onload=alert(2)>"\'&amp;[link](javascript:alert(3))**md**<a href="javascript:alert(4)">a</a>')

TEXT_KEYS = {"name", "title", "summary", "decision", "body", "reason", "recommender", "note", "how", "to",
             "address", "phone", "district", "industry", "authority", "issuer", "office", "region"}


def poison(node, key=None):
    """Every free-text field gets the payload (ids, codes and dates keep their form)."""
    if isinstance(node, dict):
        return {k: (poison(v, k) if k != "private" else v) for k, v in node.items()}
    if isinstance(node, list):
        return [poison(v, key) for v in node]
    if isinstance(node, str) and key in TEXT_KEYS:
        return node + PAYLOAD
    return node


class Scan(__import__("html.parser").parser.HTMLParser):
    """What a browser would run: script elements, on* handlers, script URLs."""
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.bad = []

    def handle_starttag(self, tag, attrs):
        # the one script of the site, search/'s own (issue #22)
        if tag == "script" and len(attrs) == 1 and attrs[0][0] == "src" and \
                re.match(r"^(\.\./)*assets/search\.js$", attrs[0][1] or ""):
            return
        if tag in ("script", "iframe", "object", "embed"):
            self.bad.append("<%s>" % tag)
        for k, v in attrs:
            if k.lower().startswith("on"):
                self.bad.append("%s on <%s>" % (k, tag))
            if k.lower() in ("href", "src", "xlink:href", "action", "formaction") and v:
                u = re.sub(r"[\x00-\x20]", "", v).lower()
                if u.startswith(("javascript:", "vbscript:", "data:")):
                    self.bad.append("%s=%s on <%s>" % (k, v, tag))


def unsafe_html(text):
    s = Scan()
    s.feed(text)
    s.close()
    return s.bad


@test
def injection_escaped():
    """HTML and Markdown payloads in every text field are escaped in every page, feed and JSON file."""
    def mutate(repo):
        for base, dirs, files in os.walk(os.path.join(repo, "data")):
            for f in files:
                p = os.path.join(base, f)
                if "/calendars/" in p or not f.endswith(".json"):
                    continue
                doc = json.load(open(p, encoding="utf-8"))
                json.dump(poison(doc), open(p, "w", encoding="utf-8"), ensure_ascii=False, indent=2)
        for p in ("content/announcements/2024-01-05-test.md", "content/measures/lhasa.md"):
            with open(os.path.join(repo, p), "a", encoding="utf-8") as f:
                f.write("\n" + PAYLOAD + "\n\n[x](javascript:alert(5)) <script>alert(6)</script>\n")
    with tempfile.TemporaryDirectory() as tmp:
        out = os.path.join(tmp, "site")
        build(make_repo(tmp, mutate=mutate), out)
        bad = []
        seen = 0
        for p, data in tree(out).items():
            t = data.decode("utf-8", "replace")
            if p.endswith(".html"):
                seen += t.count("&lt;script&gt;")
                bad += ["%s: %s" % (p, b) for b in unsafe_html(t)]
            elif p.endswith(".xml"):
                import xml.dom.minidom
                doc = xml.dom.minidom.parseString(data)  # well-formed: the payload is text
                seen += t.count("&lt;script&gt;")
                bad += ["%s: <%s> element" % (p, e.tagName) for e in doc.getElementsByTagName("*")
                        if e.tagName.lower() in ("script", "img", "svg", "a")]
            elif p.endswith(".json"):
                json.loads(t)  # the payload stays data in valid JSON
        assert seen > 50, "payload not rendered often enough to test (%d)" % seen
        assert not bad, bad[:10]


BAD_CHARS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufdd0-\ufdef\ufffe\uffff]")


@test
def control_characters_never_published():
    """Control characters and stray bytes in commit messages and record text reach no page, feed or sitemap."""
    def mutate(repo):
        p = os.path.join(repo, "data/notices/lhasa-2024-proposed.json")
        doc = json.load(open(p, encoding="utf-8"))
        doc["title"] += "\x01\x1b[31m\x85\ufffe"
        json.dump(doc, open(p, "w", encoding="utf-8"), ensure_ascii=True, indent=2)
    with tempfile.TemporaryDirectory() as tmp:
        repo = make_repo(tmp, mutate=mutate)
        p = os.path.join(repo, "data/notices/lhasa-2024-proposed.json")
        doc = json.load(open(p, encoding="utf-8"))
        doc["body"] = doc.get("body", "") + "。"
        json.dump(doc, open(p, "w", encoding="utf-8"), ensure_ascii=True, indent=2)
        git(repo, "commit", "-q", "-a", "-m", "\x01 ctl \x1b[2J\x1b[31m red \x7f del \xc2\x85 nel")
        doc["body"] += "。"
        json.dump(doc, open(p, "w", encoding="utf-8"), ensure_ascii=True, indent=2)
        subprocess.run([b"git", b"-C", repo.encode(), b"commit", b"-q", b"-a", b"-m", b"stray \xff\xfe byte"],
                       check=True, env=GIT_ENV, capture_output=True)
        out = os.path.join(tmp, "site")
        build(repo, out)
        bad = []
        for path, data in tree(out).items():
            if not path.endswith((".html", ".xml", ".txt")):
                continue
            try:
                t = data.decode("utf-8")
            except UnicodeDecodeError as e:
                bad.append("%s: %s" % (path, e))
                continue
            bad += ["%s: %r" % (path, m.group()) for m in BAD_CHARS.finditer(t)][:3]
            if path.endswith(".xml"):
                __import__("xml.dom.minidom").dom.minidom.parseString(data)
        assert not bad, bad[:10]
        t = open(os.path.join(out, "changes/index.html"), encoding="utf-8").read()
        assert "\ufffd ctl" in t and "[31m red" in t, "the message is not shown, replaced"


@test
def private_never_leaks():
    """A unique marker in every private field appears nowhere in the output;
    individuals' ID numbers and dates, which must stay valid to be checked,
    are markers as they are (issue #17)."""
    markers = []

    def mark(node, path):
        if isinstance(node, dict):
            out = {}
            for k, v in node.items():
                if k == "private" and isinstance(v, dict):
                    pv = {}
                    for pk, val in v.items():
                        if pk in INDIVIDUAL_PRIVATE:
                            # checked values stay valid; they, in every form, are the markers
                            pv[pk] = val
                            continue
                        m = "PRIVMARK%05d" % len(markers)
                        markers.append(m)
                        pv[pk] = True if isinstance(val, bool) else m
                    out[k] = pv
                else:
                    out[k] = mark(v, path + [k])
            return out
        if isinstance(node, list):
            return [mark(v, path) for v in node]
        return node

    def mutate(repo):
        add_individuals(repo)
        for base, dirs, files in os.walk(os.path.join(repo, "data")):
            for f in files:
                p = os.path.join(base, f)
                if "/calendars/" in p or not f.endswith(".json"):
                    continue
                doc = json.load(open(p, encoding="utf-8"))
                if "private" not in doc and "/objections/" not in p:
                    doc["private"] = {"notes": "x"}
                json.dump(mark(doc, []), open(p, "w", encoding="utf-8"), ensure_ascii=False, indent=2)
        markers.extend(INDIVIDUAL_PRIVATE_FORMS)
    with tempfile.TemporaryDirectory() as tmp:
        out = os.path.join(tmp, "site")
        build(make_repo(tmp, mutate=mutate), out)
        assert len(markers) > 30, "too few private fields marked (%d)" % len(markers)
        assert os.path.exists(os.path.join(out, "individuals/lhasa-zhuoma/index.html"))
        leaks = [(p, m) for p, data in tree(out).items() for m in markers if m.encode() in data]
        assert not leaks, leaks[:5]


# A person's values that must never be published, kept valid so that the
# record checks (an ID number with its check character, a real date).
INDIVIDUAL_PRIVATE = {"id_number": "15010219750315999X", "quality_work_since": "1987-02-13"}
INDIVIDUAL_PRIVATE_FORMS = ["15010219750315999X", "150102197503159", "1987-02-13", "1987年2月13日"]


def add_individuals(repo):
    """Lhasa's 优秀奖 opened to individuals (a rule written for the tests,
    not Lhasa's measures), with 20,000 yuan for a person; a person awarded
    it in 2024, another who applied and was not."""
    def program(doc):
        t = doc["tiers"][1]
        t["awardees"] = {"kinds": ["organization", "individual"], "article": "第十三条"}
        t["prize"]["individual_yuan"] = 20000
        t["eligibility"]["individual"] = {"min_years_quality_work": 10, "article": "第十条（一）"}
    edit_json(repo, "data/programs/lhasa.json", program)
    people = {
        "lhasa-zhuoma": {"name": "卓玛（虚构）", "employer": "拉萨日光城藏药制药有限公司",
                         "employer_organization": "91540100550813727F", "position": "质量部部长"},
        "lhasa-dawa": {"name": "达瓦（虚构）", "employer": "拉萨示例乳业有限公司（虚构）"},
    }
    for i, (pid, pub) in enumerate(sorted(people.items())):
        doc = {"id": pid}
        doc.update(pub)
        doc["private"] = dict(INDIVIDUAL_PRIVATE, phone="0891-000000%d" % i, address="拉萨市城关区示例路%d号" % i)
        os.makedirs(os.path.join(repo, "data/individuals"), exist_ok=True)
        json.dump(doc, open(os.path.join(repo, "data/individuals/%s.json" % pid), "w", encoding="utf-8"),
                  ensure_ascii=False, indent=2)
    stages = [{"stage": s, "outcome": "passed", "date": d} for s, d in (
        ("qualification", "2024-06-11"), ("material", "2024-07-08"), ("defense", "2024-08-19"),
        ("onsite", "2024-09-09"), ("evaluation", "2024-10-21"))]
    apps = {
        "lhasa-2024-zhuoma": {"individual": "lhasa-zhuoma", "stages": stages,
                              "result": {"outcome": "awarded", "tier": "excellence", "date": "2024-12-09",
                                         "certificate": "LSQE-2024-02", "prize_yuan": 20000}},
        "lhasa-2024-dawa": {"individual": "lhasa-dawa", "stages": stages[:2],
                            "result": {"outcome": "not_awarded", "date": "2024-12-09"}},
    }
    for aid, body in apps.items():
        doc = {"id": aid, "round": "lhasa-2024", "tier": "excellence", "submitted": "2024-05-13"}
        doc.update(body)
        json.dump(doc, open(os.path.join(repo, "data/applications/%s.json" % aid), "w", encoding="utf-8"),
                  ensure_ascii=False, indent=2)
    for n in ("lhasa-2024-proposed", "lhasa-2024-result"):
        edit_json(repo, "data/notices/%s.json" % n,
                  lambda d: d["entries"].append({"application": "lhasa-2024-zhuoma", "tier": "excellence"}))


@test
def individual_pages():
    """A person who applies: a page at the id the office chose, with what
    award notices publish (name, employer, position) and nothing private;
    the round, the award and the downloads name them as an individual,
    with the individual's prize (issue #17 item 1)."""
    with tempfile.TemporaryDirectory() as tmp:
        out = os.path.join(tmp, "site")
        repo = make_repo(tmp, mutate=add_individuals)
        p = check(repo)
        assert p.returncode == 0, p.stdout
        build(repo, out)
        page = open(os.path.join(out, "individuals/lhasa-zhuoma/index.html"), encoding="utf-8").read()
        for text in ("卓玛（虚构）", "质量部部长", "LSQE-2024-02",
                     '<a href="../../organizations/91540100550813727F/index.html">拉萨日光城藏药制药有限公司</a>'):
            assert text in page, text
        award = open(os.path.join(out, "awards/LSQE-2024-02/index.html"), encoding="utf-8").read()
        assert "<dd>2万元</dd>" in award and "individuals/lhasa-zhuoma/index.html" in award
        # the person is named, never shown by the record's id (issue #20)
        assert "lhasa-zhuoma</code>" not in award and "<code>lhasa-zhuoma" not in award, award
        # nor in the award's history, where the application's "individual" names them
        assert not re.search(r">\s*lhasa-zhuoma\s*<", award), re.findall(r".{80}>\s*lhasa-zhuoma\s*<", award)
        public = json.load(open(os.path.join(out, "individuals/lhasa-zhuoma/index.json"), encoding="utf-8"))
        assert "private" not in public and public["name"] == "卓玛（虚构）", public
        people = open(os.path.join(out, "individuals/index.html"), encoding="utf-8").read()
        assert "卓玛（虚构）" in people and "达瓦（虚构）" in people
        rnd = open(os.path.join(out, "rounds/lhasa-2024/index.html"), encoding="utf-8").read()
        assert 'href="../../individuals/lhasa-zhuoma/index.html"' in rnd, "the round links the person's page"
        csv = open(os.path.join(out, "downloads/awards.csv"), encoding="utf-8-sig").read().splitlines()
        row = [r for r in csv if r.startswith("LSQE-2024-02,")]
        assert row == ["LSQE-2024-02,卓玛（虚构）,,拉萨市质量管理优秀奖,拉萨市政府质量奖,2024年度拉萨市政府质量奖,"
                       "2024-12-09,20000,有效,个人"], row
        assert csv[0].endswith(",获奖者类别")
        everything = b"".join(tree(out).values())
        for secret in INDIVIDUAL_PRIVATE_FORMS + ["0891-0000000", "示例路0号"]:
            assert secret.encode() not in everything, secret
        # headers say what the rows are: people among organizations (issue #20)
        home = open(os.path.join(out, "index.html"), encoding="utf-8").read()
        assert '<a href="individuals/index.html">申报个人</a>' in home, "no link to individuals/ in the menu"
        assert "<dt>获奖个人</dt>" in award and "获奖组织" not in award
        assert '<th scope="col">获奖者</th>'.encode() in everything
        assert '<th scope="col">获奖组织</th>'.encode() not in everything
        assert "<h2 id=\"apps\">申报者</h2>" in rnd and '<th scope="col">申报者</th>' in rnd
    with tempfile.TemporaryDirectory() as tmp:
        out = os.path.join(tmp, "site")
        build(make_repo(tmp), out)
        home = open(os.path.join(out, "index.html"), encoding="utf-8").read()
        assert "individuals/index.html" not in home, "a menu link to a page the record has not"


@test
def unstated_is_not_zero():
    """A prize the measures do not state, and operating years they do not
    ask: the pages and awards.csv say 未载明, never 0 or an invented figure
    (issue #17 item 6)."""
    def mutate(repo):
        def program(doc):
            del doc["tiers"][0]["prize"]["yuan"]
            del doc["tiers"][0]["eligibility"]["min_operating_years"]
        edit_json(repo, "data/programs/lhasa.json", program)
        for app in ("lhasa-2024-hongsheng", "lhasa-2022-nianqing", "lhasa-2022-riguang"):
            edit_json(repo, "data/applications/%s.json" % app, lambda d: d["result"].pop("prize_yuan"))
    with tempfile.TemporaryDirectory() as tmp:
        out = os.path.join(tmp, "site")
        repo = make_repo(tmp, mutate=mutate)
        p = check(repo)
        assert p.returncode == 0, p.stdout
        build(repo, out)
        rnd = open(os.path.join(out, "rounds/lhasa-2024/index.html"), encoding="utf-8").read()
        assert "<h3>拉萨市政府质量奖 <small>（奖金未载明）</small></h3>" in rnd
        assert "<h3>拉萨市质量管理优秀奖 <small>（奖励10万元）</small></h3>" in rnd
        award = open(os.path.join(out, "awards/LSQA-2024-01/index.html"), encoding="utf-8").read()
        assert "<dt>奖励</dt><dd>未载明</dd>" in award
        prog = open(os.path.join(out, "programs/lhasa/index.html"), encoding="utf-8").read()
        assert "<tr><td>拉萨市政府质量奖</td><td>组织</td><td>未载明" in prog, re.findall("<tr><td>拉萨.{0,120}", prog)
        assert "申报拉萨市政府质量奖须正常经营" not in prog and "经营0年" not in prog
        csv = open(os.path.join(out, "downloads/awards.csv"), encoding="utf-8-sig").read().splitlines()
        row = [r for r in csv if r.startswith("LSQA-2024-01,")]
        assert row and row[0].split(",")[7] == "未载明", row
        row = [r for r in csv if r.startswith("LSQE-2024-01,")]
        assert row and row[0].split(",")[7] == "100000", row


@test
def history_money_and_labels_in_words():
    """The history names every field in words: money as the pages show it
    (奖金：0元, never 奖金（元）：0元), and no member name of the schemas
    (cap, prize, items...) as a label (issue #20)."""
    with tempfile.TemporaryDirectory() as tmp:
        out = os.path.join(tmp, "site")
        build(make_repo(tmp), out)
        seen = False
        for root, _, files in os.walk(out):
            for f in files:
                if not f.endswith(".html"):
                    continue
                text = open(os.path.join(root, f), encoding="utf-8").read()
                assert "（元）：" not in text, os.path.join(root, f)
                raw = re.findall(r"<li>([$a-z_]+)：|·([$a-z_]+)[（：]", text)
                assert not raw, (os.path.join(root, f), raw[:5])
                seen = seen or "<li>奖金：0元</li>" in text
        assert seen, "no history shows 奖金：0元"


def edit_json(repo, path, fn):
    p = os.path.join(repo, path)
    doc = json.load(open(p, encoding="utf-8"))
    fn(doc)
    json.dump(doc, open(p, "w", encoding="utf-8"), ensure_ascii=False, indent=2)


@test
def soft_cap_shown():
    """A cap set in principle (原则上) that a round exceeds: the round's page
    says by how much, and why from the round's cap_exceeded, or that no
    reason is given (issue #17 item 3)."""
    def mutate(repo, reason):
        def soften(doc):
            doc["tiers"][0]["cap"] = {"max": 1, "strength": "in_principle", "article": "第十二条"}
            doc["caps"] = [{"tiers": ["award"], "awardees": "organization", "max": 1, "strength": "in_principle",
                            "article": "第十三条"}]
        edit_json(repo, "data/programs/lhasa.json", soften)
        if reason:
            edit_json(repo, "data/rounds/lhasa-2022.json",
                      lambda d: d.update(cap_exceeded={"reason": "两家组织得分并列第一"}))
    for reason in (True, False):
        with tempfile.TemporaryDirectory() as tmp:
            out = os.path.join(tmp, "site")
            build(make_repo(tmp, mutate=lambda r: mutate(r, reason)), out)
            text = open(os.path.join(out, "rounds/lhasa-2022/index.html"), encoding="utf-8").read()
            assert "拉萨市政府质量奖原则上每届不超过1个（第十二条），本届为2个" in text
            assert "获奖组织原则上每届不超过1个（第十三条），本届为2个" in text
            assert ("超出的理由：两家组织得分并列第一" in text) == reason
            assert ("超出的理由：未载明" in text) == (not reason)
            other = open(os.path.join(out, "rounds/lhasa-2024/index.html"), encoding="utf-8").read()
            assert "原则上每届" not in other and "超出的理由" not in other


def check(repo, *args):
    return subprocess.run(WRAP + [GONGSHI, "-C", repo, "check", "-q"] + list(args), capture_output=True,
                          env=dict(os.environ, SOURCE_DATE_EPOCH=SDE), timeout=600)


@test
def links_and_submodules_build():
    """A symbolic link and a submodule named *.json in record folders: check
    warns that they are ignored, and the build ignores them too (issue #16)."""
    with tempfile.TemporaryDirectory() as tmp:
        repo = make_repo(tmp)
        os.symlink("../organizations/91620100051836270K.json", os.path.join(repo, "data/notices/alias.json"))
        git(repo, "add", "-A")
        git(repo, "update-index", "--add", "--cacheinfo",
            "160000,1111111111111111111111111111111111111111,data/rounds/sub.json")
        git(repo, "commit", "-q", "-m", "a link and a submodule")
        p = check(repo)
        assert p.returncode == 0 and p.stdout.count(b"[symlink]") == 2, (p.returncode, p.stdout, p.stderr)
        out = os.path.join(tmp, "site")
        build(repo, out)
        record = json.load(open(os.path.join(out, "downloads/record.json"), encoding="utf-8"))
        assert len(record["organizations"]) == 10 and len(record["notices"]) == 10, \
            {k: len(v) for k, v in record.items()}


def rename_app(repo, old, new):
    """Gives application old the id new, in its file name and every reference."""
    os.rename(os.path.join(repo, "data/applications/%s.json" % old),
              os.path.join(repo, "data/applications/%s.json" % new))
    for base, dirs, files in os.walk(os.path.join(repo, "data")):
        for f in files:
            p = os.path.join(base, f)
            t = open(p, encoding="utf-8").read()
            if '"%s"' % old in t:
                open(p, "w", encoding="utf-8").write(t.replace('"%s"' % old, '"%s"' % new))


@test
def validity_ends_with_reapply_wait():
    """An award of 2024-07-16 valid 5 years shows the last day the 5-year
    re-application wait refuses, 2029-07-16 (民法典 第二百零一条、第二百零二条,
    date_period_end), on every page listing it (issue #17 item 9)."""
    with tempfile.TemporaryDirectory() as tmp:
        repo = make_repo(tmp)
        out = os.path.join(tmp, "site")
        build(repo, out)
        for page in ("awards/LZQA-2024-01/index.html", "awards/2024-lanzhou.html",
                     "organizations/91620100712740912J/index.html"):
            text = open(os.path.join(out, page), encoding="utf-8").read()
            assert "有效期至2029年7月16日" in text and "2029年7月15日" not in text, page


@test
def renamed_award_builds():
    """An awarded application renamed to a new id keeping its certificate
    checks and builds, at that commit and after; the certificate's page
    follows the current id and shows the old ids' history too; once every
    holder is withdrawn, the page of the last one answers (issue #16)."""
    with tempfile.TemporaryDirectory() as tmp:
        repo = make_repo(tmp)
        out = os.path.join(tmp, "site")
        page = os.path.join(out, "awards/LSQA-2024-01/index.html")
        steps = [("lhasa-2024-hongsheng", "lhasa-2024-hongsheng-a"),
                 ("lhasa-2024-hongsheng-a", "lhasa-2024-hongsheng-b"), None, ("delete", None)]
        for n, step in enumerate(steps):
            if step and step[0] == "delete":
                os.remove(os.path.join(repo, "data/applications/lhasa-2024-hongsheng-b.json"))
                for f in ("lhasa-2024-proposed", "lhasa-2024-result"):
                    p = os.path.join(repo, "data/notices/%s.json" % f)
                    doc = json.load(open(p, encoding="utf-8"))
                    doc["entries"] = [e for e in doc["entries"] if e["application"] != "lhasa-2024-hongsheng-b"]
                    open(p, "w", encoding="utf-8").write(json.dumps(doc, ensure_ascii=False, indent=2) + "\n")
            elif step:
                rename_app(repo, *step)
            else:
                with open(os.path.join(repo, "content/note.txt"), "w") as f:
                    f.write("a later commit\n")
            git(repo, "add", "-A")
            git(repo, "commit", "-q", "-m", "step %d" % n)
            p = check(repo)
            assert p.returncode == 0, "check at step %d: %s" % (n, p.stdout.decode())
            again = os.path.join(tmp, "again")
            shutil.rmtree(again, ignore_errors=True)
            shutil.rmtree(os.path.join(tmp, ".again.cache"), ignore_errors=True)
            if os.path.isdir(out):
                shutil.copytree(out, again)
            build(repo, out)
            text = open(page, encoding="utf-8").read()
            ids = ["lhasa-2024-hongsheng", "lhasa-2024-hongsheng-a", "lhasa-2024-hongsheng-b"][:min(n, 2) + 2]
            for old in ids[:-1]:
                # an id no longer in the record has no name to show but its own
                assert "（申报：%s）" % old in text, "step %d: no history of %s" % (n, old)
            assert (n == 3) == ("已撤回" in text), "step %d: withdrawn page or not" % n
            # a rebuild (with the history cache) is a clean build (without)
            build(repo, again, "--no-spare")
            assert tree_digest(out) == tree_digest(again), "rebuild differs at step %d" % n


@test
def base_url_validated_and_escaped():
    """--base-url and base_url are held to one rule, an http(s) URL (issue
    #16): javascript: is refused before anything is written, and a URL
    with & is escaped in sitemap.xml, which stays well-formed."""
    import xml.dom.minidom
    with tempfile.TemporaryDirectory() as tmp:
        repo = make_repo(tmp)
        out = os.path.join(tmp, "site")
        for bad in ("javascript:alert(1)", "https://x.org/\"><script>", "ftp://x.org/", "https://", "https://x.org/?a"):
            p = build(repo, out, "--base-url", bad, check=False)
            assert p.returncode == 2 and b"--base-url" in p.stderr, (bad, p.returncode, p.stderr)
            assert not os.path.exists(out), "written for %s" % bad
        build(repo, out, "--base-url", "https://example.org/a&b")
        doc = xml.dom.minidom.parse(os.path.join(out, "sitemap.xml"))
        locs = [e.firstChild.data for e in doc.getElementsByTagName("loc")]
        assert locs and all(l.startswith("https://example.org/a&b/") for l in locs), locs[:3]
        robots = open(os.path.join(out, "robots.txt"), encoding="utf-8").read()
        assert "Sitemap: https://example.org/a&b/sitemap.xml\n" in robots, robots
        assert "javascript" not in open(os.path.join(out, "404.html"), encoding="utf-8").read()


@test
def content_errors_refused():
    """Markdown over 1 MiB, an announcement whose file name is no URL, a
    measures text that is not there: each refused by the build with
    check's diagnostic (exit 1), where it used to publish an empty page,
    a dead link or a program without its measures (issue #16)."""
    def big(repo):
        with open(os.path.join(repo, "content/pages/big.md"), "w") as f:
            f.write("# big\n" + "x" * (1024 * 1024))

    def name(repo):
        with open(os.path.join(repo, "content/announcements/2024-03-05-通知.md"), "w") as f:
            f.write("# 通知\n")

    def measures(repo):
        os.remove(os.path.join(repo, "content/measures/lanzhou.md"))

    for mutate, want in ((big, b"content/pages/big.md:1:1: error: file is"),
                         (name, b"content/announcements/2024-03-05-\xe9\x80\x9a\xe7\x9f\xa5.md:1:1: error:"),
                         (measures, b"data/programs/lanzhou.json:23:13: error: the measures' \"text\"")):
        with tempfile.TemporaryDirectory() as tmp:
            repo = make_repo(tmp, mutate=lambda r: (os.makedirs(os.path.join(r, "content/pages"), exist_ok=True),
                                                    mutate(r)))
            out = os.path.join(tmp, "site")
            p = build(repo, out, check=False)
            assert p.returncode == 1 and want in p.stderr, (mutate.__name__, p.returncode, p.stderr[-400:])
            assert not os.path.exists(out), mutate.__name__


@test
def not_found_page_links_by_path():
    """The 404 page is served at any depth, so it links absolutely, but by
    the base URL's path only: on a preview, a mirror or a local copy its
    stylesheet and links stay on the host it was served from (issue #20)."""
    with tempfile.TemporaryDirectory() as tmp:
        repo = make_repo(tmp)
        out = os.path.join(tmp, "site")
        build(repo, out, "--base-url", "https://www.example.gov.cn/award/")
        page = open(os.path.join(out, "404.html"), encoding="utf-8").read()
        hrefs = re.findall(r'(?:href|src)="([^"]*)"', page)
        assert 'href="/award/assets/style.' in page, hrefs[:5]
        assert not [h for h in hrefs if "example.gov.cn" in h], hrefs
        assert 'rel="icon" href="/award/assets/favicon.svg"' in page, hrefs
        assert os.path.exists(os.path.join(out, "assets", "favicon.svg"))


@test
def government_marks_from_settings():
    """The footer's government marks and the emblem come from the settings
    (issue #20): the ICP and 公安备案 numbers link to their registries, the
    党政机关 mark and the 我为政府网站找错 entry where given, the logo a file
    of the theme; a logo the theme lacks stops the build."""
    def settings(extra):
        def mutate(repo):
            path = os.path.join(repo, "content", "site.json")
            d = json.load(open(path, encoding="utf-8"))
            d.setdefault("footer", {}).update(extra.get("footer", {}))
            if "logo" in extra:
                d["logo"] = extra["logo"]
            open(path, "w", encoding="utf-8").write(json.dumps(d, ensure_ascii=False))
        return mutate

    footer = {"icp": "甘ICP备12345678号", "psb": "甘公网安备 62010202000001号", "psb_code": "62010202000001",
              "conac": "https://bszs.conac.cn/sitename?method=show&id=ABC", "jiucuo": "https://zfwzgl.www.gov.cn/exposure/jiucuo.html?site_code=6201000001"}
    with tempfile.TemporaryDirectory() as tmp:
        repo = make_repo(tmp, mutate=settings({"footer": footer, "logo": {"src": "assets/logo.svg", "alt": "市徽"}}))
        out = os.path.join(tmp, "site")
        build(repo, out)
        page = open(os.path.join(out, "index.html"), encoding="utf-8").read()
        assert '<a href="https://beian.miit.gov.cn/">甘ICP备12345678号</a>' in page
        assert 'recordcode=62010202000001">甘公网安备 62010202000001号</a>' in page
        assert 'class="conac" href="https://bszs.conac.cn/sitename?method=show&amp;id=ABC"' in page
        assert '>我为政府网站找错</a>' in page
        assert '<img class="logo" src="assets/logo.svg" alt="市徽"' in page
        assert os.path.exists(os.path.join(out, "assets", "logo.svg"))
        # the home page's heading is the site's name once, in the header
        assert page.count("<h1") == 1 and '<h1 class="site-name">' in page
        assert 'href="#care"' in page
    with tempfile.TemporaryDirectory() as tmp:
        repo = make_repo(tmp, mutate=settings({"logo": {"src": "assets/emblem.png", "alt": "市徽"}}))
        out = os.path.join(tmp, "site")
        p = build(repo, out, check=False)
        assert p.returncode != 0 and b"logo assets/emblem.png" in p.stderr, (p.returncode, p.stderr)
        assert not os.path.exists(os.path.join(out, "index.html"))


@test
def long_rules_whole_and_valid_utf8():
    """A prize of many items and a long tier name: the program page shows
    every word of its rules, and no character is cut in half."""
    items = ["第%d号证书" % i for i in range(1, 41)]

    def mutate(repo):
        path = os.path.join(repo, "data", "programs", "lanzhou.json")
        d = json.load(open(path, encoding="utf-8"))
        d["tiers"][0]["prize"]["items"] = items
        open(path, "w", encoding="utf-8").write(json.dumps(d, ensure_ascii=False, indent=2))

    with tempfile.TemporaryDirectory() as tmp:
        repo = make_repo(tmp, mutate=mutate)
        out = os.path.join(tmp, "site")
        build(repo, out)  # every file valid UTF-8 (assert_utf8)
        page = open(os.path.join(out, "programs", "lanzhou", "index.html"), encoding="utf-8").read()
        assert items[-1] in page, "the program page cut the prize items: %s missing" % items[-1]
def vacant_and_off_cycle_rounds_say_so():
    """A round approved with no winner, marked vacant, says so on its page and
    in its program's list; an off-cycle round names its approval; the
    program page's rules come from the program's data (issue #17 items 5, 11)."""
    def mutate(repo):
        def put(path, doc):
            with open(os.path.join(repo, path), "w", encoding="utf-8") as f:
                f.write(json.dumps(doc, ensure_ascii=False, indent=2) + "\n")
        put("data/rounds/lhasa-2026.json", {
            "$schema": "../schema/round.schema.json", "id": "lhasa-2026", "program": "lhasa",
            "name": "2026年度拉萨市政府质量奖", "year": 2026,
            "applications": {"start": "2026-04-01", "end": "2026-05-31"},
            "approval": {"date": "2026-11-30", "authority": "拉萨市人民政府"}, "vacant": True})
        put("data/notices/lhasa-2026-result.json", {
            "$schema": "../schema/notice.schema.json", "id": "lhasa-2026-result", "kind": "result",
            "round": "lhasa-2026", "title": "2026年度拉萨市政府质量奖评定结果公告",
            "issuer": "拉萨市人民政府", "issued": "2026-11-30", "body": "本年度空缺。", "entries": []})
        prog = json.load(open(os.path.join(repo, "data/programs/ganzhou.json"), encoding="utf-8"))
        prog["cadence"]["off_cycle"] = {"approved_by": "甘州区人民政府", "article": "第四条"}
        put("data/programs/ganzhou.json", prog)
        rnd = json.load(open(os.path.join(repo, "data/rounds/ganzhou-2023.json"), encoding="utf-8"))
        rnd["year"] = 2022
        rnd["off_cycle"] = {"approved_by": "甘州区人民政府", "document_number": "甘政函〔2022〕8号"}
        put("data/rounds/ganzhou-2023.json", rnd)
    with tempfile.TemporaryDirectory() as tmp:
        repo = make_repo(tmp, "base", mutate)
        out = os.path.join(tmp, "site")
        build(repo, out)
        def page(path):
            with open(os.path.join(out, path), encoding="utf-8") as f:
                return f.read()
        r = page("rounds/lhasa-2026/index.html")
        assert "本届评选空缺，无获奖组织" in r and "<dd>本届空缺</dd>" in r, r[-2000:]
        assert "本届空缺" in page("programs/lhasa/index.html")
        assert "经甘州区人民政府批准另行组织（甘政函〔2022〕8号）" in page("rounds/ganzhou-2023/index.html")
        g = page("programs/ganzhou/index.html")
        assert "特殊情况可经甘州区人民政府批准另行组织评选" in g and "行政区划代码620702" in g, g
        lz = page("programs/lanzhou/index.html")
        assert "每届不超过3个 <span" in lz and "名额可以空缺" in lz
        assert "现场评审仅对列入受理名单公示且经公示无异议的组织进行" in lz, lz


@test
def empty_feed_dated_by_its_commit():
    """A feed with no entries (a record just made by gongshi init) is dated
    by the build commit, not by the day it is built: two builds of one
    commit on two days give the same feed (issue #20)."""
    with tempfile.TemporaryDirectory() as tmp:
        repo = os.path.join(tmp, "repo")
        p = subprocess.run([GONGSHI, "init", repo], capture_output=True, env=GIT_ENV, timeout=60)
        assert p.returncode == 0, p.stderr
        feeds = []
        for day in ("2025-01-05", "2025-03-09"):
            out = os.path.join(tmp, day)
            build(repo, out, "--today", day)
            feeds.append(open(os.path.join(out, "feed.xml"), encoding="utf-8").read())
        assert "<entry>" not in feeds[0], feeds[0]
        t = int(subprocess.run(["git", "-C", repo, "log", "-1", "--format=%ct"], capture_output=True,
                               text=True, check=True).stdout)
        day = datetime.datetime.fromtimestamp(t, datetime.timezone(datetime.timedelta(hours=8))).date()
        assert "<updated>%sT00:00:00+08:00</updated>" % day.isoformat() in feeds[0], feeds[0]
        assert feeds[0] == feeds[1]


def main():
    passed = failed = 0
    only = os.environ.get("ONLY")
    for fn in results:
        if only and fn.__name__ != only:
            continue
        try:
            fn()
            passed += 1
            print("ok   %s" % fn.__name__)
        except Exception as e:  # report and go on
            failed += 1
            print("FAIL %s: %s" % (fn.__name__, e))
    print("build: %d passed, %d failed" % (passed, failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
