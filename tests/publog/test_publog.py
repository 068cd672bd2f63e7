#!/usr/bin/env python3
"""The publication log is tamper-evident: builds refuse a log that was deleted, cut, edited or broken,
--new-log starts a new one openly, and `gongshi verify` checks a copy of a site.

Usage: test_publog.py GONGSHI.  The last line is "publog: N passed, M failed".
"""
import hashlib
import json
import os
import shutil
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
FIXTURES = os.path.join(ROOT, "tests", "fixtures")
GONGSHI = os.path.abspath(sys.argv[1]) if len(sys.argv) > 1 else os.path.join(ROOT, "build", "gongshi")
WRAP = os.environ.get("GONGSHI_WRAPPER", "").split()
LOG = "publication-log.json"
NOTE = "# publication-log.json chain head: "

results = []


def test(fn):
    results.append(fn)
    return fn


def git(repo, *args, date="2024-12-30T10:00:00+08:00"):
    env = dict(os.environ, GIT_AUTHOR_NAME="Test Office", GIT_AUTHOR_EMAIL="office@example.org",
               GIT_COMMITTER_NAME="Test Office", GIT_COMMITTER_EMAIL="office@example.org",
               GIT_AUTHOR_DATE=date, GIT_COMMITTER_DATE=date)
    return subprocess.run(["git", "-C", repo] + list(args), check=True, env=env, capture_output=True,
                          text=True).stdout.strip()


def make_repo(tmp):
    repo = os.path.join(tmp, "repo")
    shutil.copytree(os.path.join(FIXTURES, "small"), repo)
    git(repo, "init", "-q", "-b", "main")
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "record")
    return repo


def new_commit(repo, n):
    """A second commit: a record file's text changes (its meaning need not)."""
    with open(os.path.join(repo, "data", "NOTE-%d.md" % n), "w") as f:
        f.write("note %d\n" % n)
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "note %d" % n, date="2024-12-30T1%d:00:00+08:00" % n)
    return git(repo, "rev-parse", "HEAD")


def run(*args):
    return subprocess.run(WRAP + [GONGSHI] + list(args), capture_output=True, text=True, timeout=600,
                          env=dict(os.environ, SOURCE_DATE_EPOCH="1735603200"))


def build(repo, out, *args, check=True):
    p = run("-C", repo, "build", "-q", "-o", out, *args)
    if check and p.returncode != 0:
        raise AssertionError("build failed (%d): %s" % (p.returncode, p.stderr))
    return p


def tree(d):
    out = {}
    for base, _, files in os.walk(d):
        for f in files:
            p = os.path.join(base, f)
            out[os.path.relpath(p, d)] = open(p, "rb").read()
    return out


def chain(entry, prev):
    """The chain as gongshi(1) documents it: prev, then NAME=VALUE lines sorted by name."""
    text = prev + "\n" + "".join("%s=%s\n" % (k, entry[k]) for k in sorted(entry) if k != "chain")
    return hashlib.sha256(text.encode()).hexdigest()


def read_log(out):
    return json.load(open(os.path.join(out, LOG)))


def write_log(out, log, fix_sums=False, fix_head=False, rechain=False):
    """Writes log; with fix_sums the log's line of SHA256SUMS follows (a careful forger), with fix_head
    its head line too, with rechain every entry's chain is recomputed first."""
    if rechain:
        prev = ""
        for e in log:
            if "restart_of" in e:
                prev = ""
            e["chain"] = prev = chain(e, prev)
    data = json.dumps(log, indent="\t").encode()
    open(os.path.join(out, LOG), "wb").write(data)
    if not fix_sums:
        return
    lines = open(os.path.join(out, "SHA256SUMS")).read().splitlines()
    for i, line in enumerate(lines):
        if line.endswith("  " + LOG):
            lines[i] = hashlib.sha256(data).hexdigest() + "  " + LOG
        if fix_head and line.startswith(NOTE) and log:
            lines[i] = NOTE + log[-1]["chain"]
    open(os.path.join(out, "SHA256SUMS"), "w").write("\n".join(lines) + "\n")


def two_builds(tmp):
    """A site published from two commits: the log has two chained entries."""
    repo = make_repo(tmp)
    out = os.path.join(tmp, "site")
    build(repo, out)
    new_commit(repo, 1)
    build(repo, out)
    return repo, out


def refused(repo, out, *needles):
    """The build refuses, says why, names the way out, and leaves the site as it was."""
    before = tree(out)
    p = build(repo, out, check=False)
    assert p.returncode == 2, (p.returncode, p.stderr)
    for n in needles + ("publication-log.json", "--new-log", "nothing was written"):
        assert n in p.stderr, (n, p.stderr)
    assert tree(out) == before, "a refused build changed the site"


def recovers(repo, out):
    """--new-log publishes, and the new log says it was started anew."""
    build(repo, out, "--new-log")
    log = read_log(out)
    assert len(log) == 1 and "restart_of" in log[0] and log[0]["chain"] == chain(log[0], ""), log
    page = open(os.path.join(out, "index.html"), encoding="utf-8").read()
    assert "发布记录自此重新开始" in page, page[:2000]
    p = run("verify", out, "-C", repo)
    assert p.returncode == 0 and "starts a new log" in p.stdout, (p.returncode, p.stdout, p.stderr)
    # and the next build carries the new log forward
    new_commit(repo, 7)
    build(repo, out)
    assert len(read_log(out)) == 2


@test
def chained_and_head_published():
    """Each entry is chained to the one before; the head is on the home page and in SHA256SUMS, which
    sha256sum -c --strict still reads."""
    with tempfile.TemporaryDirectory() as tmp:
        repo, out = two_builds(tmp)
        log = read_log(out)
        assert len(log) == 2, log
        assert log[0]["chain"] == chain(log[0], "") and log[1]["chain"] == chain(log[1], log[0]["chain"]), log
        head = log[1]["chain"]
        sums = open(os.path.join(out, "SHA256SUMS")).read()
        assert NOTE + head + "\n" in sums, sums[:300]
        assert head in open(os.path.join(out, "index.html"), encoding="utf-8").read()
        p = subprocess.run(["sha256sum", "-c", "--strict", "--quiet", "SHA256SUMS"], cwd=out,
                           capture_output=True, text=True)
        assert p.returncode == 0, p.stdout + p.stderr


@test
def deleted_log_refused():
    with tempfile.TemporaryDirectory() as tmp:
        repo, out = two_builds(tmp)
        head = read_log(out)[-1].get("chain")
        os.remove(os.path.join(out, LOG))
        refused(repo, out, "missing")
        recovers(repo, out)
        assert json.load(open(os.path.join(out, LOG)))[0]["restart_of"] == head  # the old head, from SHA256SUMS


@test
def truncated_log_refused():
    """Entries removed: by hand (SHA256SUMS no longer matches), with SHA256SUMS fixed (the head it names
    does not), with the head fixed too (the chain of what is left breaks), and the file cut short."""
    with tempfile.TemporaryDirectory() as tmp:
        repo, out = two_builds(tmp)
        new_commit(repo, 2)
        build(repo, out)
        good = tree(out)

        def reset():
            shutil.rmtree(out)
            os.mkdir(out)
            for k, v in good.items():
                os.makedirs(os.path.dirname(os.path.join(out, k)), exist_ok=True)
                open(os.path.join(out, k), "wb").write(v)

        write_log(out, read_log(out)[:-1])
        refused(repo, out, "edited")
        reset()
        write_log(out, read_log(out)[:-1], fix_sums=True)
        refused(repo, out, "SHA256SUMS names")
        reset()
        write_log(out, read_log(out)[1:], fix_sums=True, fix_head=True)
        refused(repo, out, "chain breaks")
        reset()
        data = open(os.path.join(out, LOG), "rb").read()
        open(os.path.join(out, LOG), "wb").write(data[:len(data) // 2])
        refused(repo, out, "edited")
        recovers(repo, out)


@test
def edited_entry_refused():
    with tempfile.TemporaryDirectory() as tmp:
        repo, out = two_builds(tmp)
        log = read_log(out)
        log[0]["date"] = "2020-01-01"
        write_log(out, log)
        refused(repo, out, "edited")
        write_log(out, log, fix_sums=True)
        refused(repo, out, "chain breaks")
        recovers(repo, out)


@test
def corrupt_log_refused():
    with tempfile.TemporaryDirectory() as tmp:
        repo, out = two_builds(tmp)
        open(os.path.join(out, LOG), "w").write("[{\"commit\": garbage")
        refused(repo, out, "edited")
        data = b"not json at all"
        open(os.path.join(out, LOG), "wb").write(data)
        lines = open(os.path.join(out, "SHA256SUMS")).read().splitlines()
        lines = [hashlib.sha256(data).hexdigest() + "  " + LOG if l.endswith("  " + LOG) else l for l in lines]
        open(os.path.join(out, "SHA256SUMS"), "w").write("\n".join(lines) + "\n")
        refused(repo, out, "not JSON")
        recovers(repo, out)


@test
def log_of_an_earlier_version_carried_on():
    """A site whose log has no chain yet (built by the previous version) keeps building: its entries are
    the base the chain starts from, and the first chained entry says how many there were."""
    with tempfile.TemporaryDirectory() as tmp:
        repo, out = two_builds(tmp)
        log = read_log(out)
        for e in log:
            del e["chain"]
        data = json.dumps(log, indent="\t").encode()
        open(os.path.join(out, LOG), "wb").write(data)
        lines = [l for l in open(os.path.join(out, "SHA256SUMS")).read().splitlines() if not l.startswith("#")]
        lines = [hashlib.sha256(data).hexdigest() + "  " + LOG if l.endswith("  " + LOG) else l for l in lines]
        open(os.path.join(out, "SHA256SUMS"), "w").write("\n".join(lines) + "\n")
        new_commit(repo, 3)
        build(repo, out)
        log = read_log(out)
        assert len(log) == 3 and log[2].get("unchained_before") == "2", log
        assert "chain" not in log[0] and log[2]["chain"] == chain(log[2], chain(log[1], chain(log[0], ""))), log
        p = run("verify", out, "-C", repo)
        assert p.returncode == 0 and "written before the log was chained" in p.stdout, (p.stdout, p.stderr)
        # from now on an entry of the base cannot go either
        write_log(out, log[1:], fix_sums=True)
        refused(repo, out, "chain breaks")


@test
def verify_good_and_tampered():
    """gongshi verify: 0 on a good site, 1 naming the problem on each tampered copy, 2 without a site."""
    with tempfile.TemporaryDirectory() as tmp:
        repo, out = two_builds(tmp)
        p = run("verify", out, "-C", repo)
        assert p.returncode == 0 and "good" in p.stdout, (p.returncode, p.stdout, p.stderr)

        def copy(name):
            d = os.path.join(tmp, name)
            shutil.copytree(out, d)
            return d

        cases = []
        d = copy("changed")
        with open(os.path.join(d, "programs", "index.html"), "a") as f:
            f.write("<!-- edited -->")
        cases.append((d, "programs/index.html: changed"))
        d = copy("removed")
        os.remove(os.path.join(d, "robots.txt"))
        cases.append((d, "robots.txt: listed in SHA256SUMS, missing"))
        d = copy("added")
        open(os.path.join(d, "extra.html"), "w").write("<p>not gongshi's</p>")
        cases.append((d, "extra.html: not listed"))
        d = copy("chain")
        log = read_log(d)
        log[0]["date"] = "2020-01-01"
        write_log(d, log, fix_sums=True)
        cases.append((d, "the chain breaks"))
        d = copy("head")
        write_log(d, read_log(d)[:-1], fix_sums=True)
        cases.append((d, "SHA256SUMS names"))
        d = copy("outside")
        with open(os.path.join(d, "SHA256SUMS"), "a") as f:
            f.write("0" * 64 + "  ../repo/data/programs/lhasa.json\n")
        cases.append((d, "SHA256SUMS: a line not of the form"))
        # a consistent forgery whose commits go backwards: only the repository can tell
        d = copy("backwards")
        log = read_log(d)
        log = [dict(log[1]), dict(log[0])]
        write_log(d, log, fix_sums=True, fix_head=True, rechain=True)
        assert run("verify", d).returncode == 0
        cases.append((d, "does not descend from"))
        for d, needle in cases:
            p = run("verify", d, "-C", repo)
            assert p.returncode == 1 and needle in p.stdout and "tampered" in p.stdout, \
                (d, needle, p.returncode, p.stdout, p.stderr)
        p = run("verify", os.path.join(tmp, "nowhere"))
        assert p.returncode == 2, (p.returncode, p.stdout, p.stderr)
        p = run("verify")
        assert p.returncode == 2, (p.returncode, p.stdout, p.stderr)


@test
def verify_reports_an_allowed_rewrite():
    """An entry published over a rewritten history with --allow-rewrite is reported, not a failure."""
    with tempfile.TemporaryDirectory() as tmp:
        repo, out = two_builds(tmp)
        git(repo, "reset", "-q", "--hard", "HEAD~1")
        new_commit(repo, 4)
        assert build(repo, out, check=False).returncode == 1
        build(repo, out, "--allow-rewrite")
        p = run("verify", out, "-C", repo)
        assert p.returncode == 0 and "rewritten history" in p.stdout, (p.returncode, p.stdout, p.stderr)


@test
def new_log_not_for_drafts():
    with tempfile.TemporaryDirectory() as tmp:
        repo = make_repo(tmp)
        p = run("-C", repo, "build", "-q", "--worktree", "--new-log", "-o", os.path.join(tmp, "preview"))
        assert p.returncode == 2 and "--new-log with --worktree" in p.stderr, (p.returncode, p.stderr)


def main():
    passed = failed = 0
    only = os.environ.get("ONLY")
    for fn in results:
        if only and only not in fn.__name__:
            continue
        try:
            fn()
            passed += 1
            print("ok   %s" % fn.__name__)
        except Exception as e:  # noqa: BLE001 - a test's failure of any kind
            failed += 1
            print("FAIL %s: %s" % (fn.__name__, e))
    print("publog: %d passed, %d failed" % (passed, failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
