#!/usr/bin/env python3
"""Stable pages and what a rebuild changes (issue #19), on the demo record
(tests/tools/demo-repo.py):

- a one-record commit changes exactly the files listed below, and
  --changes says so;
- a commit touching nothing under data/ or content/ changes only
  publication-log.json, index.html and SHA256SUMS;
- a date crossing a notice's end (--today) changes that notice's pages
  and the lists showing it;
- after each, the rebuild equals a clean build of the same commit, file
  for file (the publication log, which remembers every build, and the
  home page and SHA256SUMS that show it aside);
- files a rebuild does not change keep their inode and mtime.

Usage: test_stable.py GONGSHI.  The last line is "stable: N passed, M failed".
"""
import os
import re
import shutil
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
GONGSHI = os.path.abspath(sys.argv[1]) if len(sys.argv) > 1 else os.path.join(ROOT, "build", "gongshi")
WRAP = os.environ.get("GONGSHI_WRAPPER", "").split()
SDE = "1780000000"  # 2026-05-29 in China
# what the demo's second-last commit (one application's result: an
# on-site review stage passed) changes.  No list page: a list's row shows
# no stage, and an organization's row counts its applications and awards,
# which stay; no notice page: a notice names the applicant, nothing more.
ONE_RECORD = {
    # the change log: the commit's page (and JSON), the log's index and
    # its newest page, numbered from the oldest, and its feed
    "A changes/cb912d163431604222d21481f98aeb291fd3d01c/index.html",
    "A changes/cb912d163431604222d21481f98aeb291fd3d01c/index.json",
    "M changes/index.html", "M changes/index.json",
    "M changes/page/8/index.html", "M changes/page/8/index.json", "M changes.xml",
    # the downloads: the record whole, and their page, which names the
    # newest commit
    "M downloads/index.html", "M downloads/record.json",
    # the pages that show the stage: the applicant's and the round's
    "M organizations/91620100357910242M/index.html", "M rounds/lanzhou-2026/index.html",
    # every build: the home page, the publication log, the checksums;
    # the sitemap gives the two pages above a new <lastmod>
    "M index.html", "M publication-log.json", "M SHA256SUMS", "M sitemap.xml",
}
NOTICE_END = {
    "M SHA256SUMS", "M index.html", "M notices/2026-08.html", "M notices/2026-08.json", "M notices/lanzhou-2026-acceptance/index.html",
    "M rounds/lanzhou-2026/index.html",
}
ALWAYS = {"M SHA256SUMS", "M index.html", "M publication-log.json"}

results = []


def test(fn):
    results.append(fn)
    return fn


def git(repo, *args):
    env = dict(os.environ, GIT_AUTHOR_NAME="Office", GIT_AUTHOR_EMAIL="office@example.gov.cn",
               GIT_COMMITTER_NAME="Office", GIT_COMMITTER_EMAIL="office@example.gov.cn",
               GIT_AUTHOR_DATE="2026-11-01T10:00:00+08:00", GIT_COMMITTER_DATE="2026-11-01T10:00:00+08:00")
    return subprocess.run(["git", "-C", repo] + list(args), check=True, env=env, capture_output=True,
                          text=True).stdout.strip()


def build(repo, out, *args):
    changes = out + ".changes"
    r = subprocess.run(WRAP + [GONGSHI, "-C", repo, "build", "-o", out, "-j", "2", "--changes", changes] +
                       list(args), env=dict(os.environ, SOURCE_DATE_EPOCH=SDE), capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    with open(changes, encoding="utf-8") as f:
        lines = f.read().splitlines()
    assert lines == sorted(lines, key=lambda s: s[2:].encode()), "not sorted by path"
    return set(lines), r.stdout


def files(site):
    out = {}
    for base, _, names in os.walk(site):
        for n in names:
            full = os.path.join(base, n)
            with open(full, "rb") as f:
                out[os.path.relpath(full, site)] = f.read()
    return out


def same_as_clean(repo, site, tmp, *args):
    """The rebuild in site equals a clean build of the same commit."""
    clean = os.path.join(tmp, "clean-%d" % len(os.listdir(tmp)))
    build(repo, clean, *args)
    a, b = files(site), files(clean)
    skip = {"publication-log.json", "SHA256SUMS", "index.html"}
    diff = sorted(p for p in set(a) | set(b) if p not in skip and a.get(p) != b.get(p))
    assert not diff, "rebuild differs from a clean build: %s" % diff[:10]


DEMO = []


def demo(tmp):
    """A copy of the demo record, made once."""
    if not DEMO:
        DEMO.append(tempfile.mkdtemp())
        subprocess.run([sys.executable, os.path.join(ROOT, "tests", "tools", "demo-repo.py"),
                        os.path.join(DEMO[0], "demo")], check=True, capture_output=True)
    repo = os.path.join(tmp, "demo")
    shutil.copytree(os.path.join(DEMO[0], "demo"), repo, symlinks=True)
    return repo


@test
def one_record_commit_changes_its_pages():
    with tempfile.TemporaryDirectory() as tmp:
        repo = demo(tmp)
        site = os.path.join(tmp, "site")
        build(repo, site, "--rev", "HEAD~2")
        got, out = build(repo, site, "--rev", "HEAD~1")
        want = ONE_RECORD  # no list page: the application is on none of them
        assert got == want, "unexpected: %s; missing: %s" % (sorted(got - want)[:10], sorted(want - got)[:10])
        assert "%d changed, 2 added, 0 removed" % (len(want) - 2) in out, out
        same_as_clean(repo, site, tmp, "--rev", "HEAD~1")


@test
def commit_outside_the_record_changes_three_files():
    with tempfile.TemporaryDirectory() as tmp:
        repo = demo(tmp)
        site = os.path.join(tmp, "site")
        build(repo, site)
        with open(os.path.join(repo, "NOTES.md"), "w", encoding="utf-8") as f:
            f.write("Notes of the office, not the record.\n")
        git(repo, "add", "NOTES.md")
        git(repo, "commit", "-qm", "notes")
        got, out = build(repo, site)
        assert got == ALWAYS, sorted(got)
        assert "2 changed, 0 added, 0 removed" in out or "3 changed, 0 added, 0 removed" in out, out
        same_as_clean(repo, site, tmp)


@test
def notice_end_changes_its_pages():
    with tempfile.TemporaryDirectory() as tmp:
        repo = demo(tmp)
        site = os.path.join(tmp, "site")
        build(repo, site, "--today", "2026-08-14")
        got, _ = build(repo, site, "--today", "2026-08-15")
        # the sitemap lists every page's date, unchanged here
        assert got == NOTICE_END, "unexpected: %s; missing: %s" % (sorted(got - NOTICE_END),
                                                                  sorted(NOTICE_END - got))
        same_as_clean(repo, site, tmp, "--today", "2026-08-15")


@test
def unchanged_files_keep_inode_and_mtime():
    with tempfile.TemporaryDirectory() as tmp:
        repo = demo(tmp)
        site = os.path.join(tmp, "site")
        build(repo, site, "--rev", "HEAD~1")
        before = {p: os.stat(os.path.join(site, p)) for p in files(site)}
        got, _ = build(repo, site)
        changed = {line[2:] for line in got}
        for p, st in before.items():
            now = os.stat(os.path.join(site, p))
            if p in changed or p == ".gongshi-site":  # the marker: written at each commit
                continue
            assert (now.st_ino, now.st_mtime_ns) == (st.st_ino, st.st_mtime_ns), "%s rewritten" % p
        # and once more, from the spare the last build left
        got, _ = build(repo, site)
        assert got == set(), sorted(got)[:10]
        for p in set(before) - changed - {".gongshi-site"}:
            assert os.stat(os.path.join(site, p)).st_ino == before[p].st_ino, "%s rewritten" % p


def main():
    if not os.access(GONGSHI, os.X_OK):
        print("stable: %s is not built" % GONGSHI)
        print("stable: 0 passed, 1 failed")
        return 1
    passed = failed = 0
    for fn in results:
        try:
            fn()
            passed += 1
            print("ok   %s" % fn.__name__)
        except Exception as e:  # noqa: BLE001 - a failed test of any kind
            failed += 1
            print("FAIL %s: %s" % (fn.__name__, e))
    if DEMO:
        shutil.rmtree(DEMO[0], ignore_errors=True)
    print("stable: %d passed, %d failed" % (passed, failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
