#!/usr/bin/env python3
"""The national-scale benchmark of issue #6: gongshi side by side with
Hugo, git and the raw cost of writing files, on one synthetic corpus.

Usage: run.py [S|M|L] [--runs N] [--work DIR] [--gongshi PATH] [--json FILE]

Steps, all in one run:
  1. synthesize the corpus (synth.py; reused when synth.py is unchanged)
     and require `gongshi check` to pass on it;
  2. time, each N times (3 for S and M, 1 for L), reporting the median,
     the minimum and the maximum:
     - a clean `gongshi build` (no site, no history cache);
     - a build with a warm history cache (no site): the difference to a
       clean build is what the history pass costs inside a build;
     - the history pass alone: history_load() of gongshi's own library
       with no cache, one walk over every commit (phases.c);
     - a rebuild after one more commit that changes one record, into the
       previous site with its cache, and a check that it is
       byte-identical to a clean build of the same commit into a copy of
       the previous site;
     - `git log -p` over the same repository, to /dev/null (and
       `git log --raw`, for reference);
     - Hugo building an equivalent site emitted from the same corpus
       (hugo_site.py: one page per organization, application, notice and
       round);
     - the floor: writing the same files, with the same sizes, and
       nothing else (floor.c), with and without the syncfs() that gongshi
       also does;
  3. time cores.c alone and one copy per core at once: what the cores
     are worth together, which bounds what running work side by side
     can gain;
  4. print the table, with the ratios of issue #6's targets.

Wall time is the monotonic clock around the child; user+sys and peak RSS
are the child's own (wait4).  The page cache is warm: every input is read
once before it is timed.  Nothing is asserted about speed: the run fails
only when something breaks (the corpus fails `gongshi check`, a build
fails, a rebuild is not byte-identical).
"""
import hashlib
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
SDE = "1814284800"   # 2027-06-30 00:00 in China: after every event of the corpus
TARGETS_AT = "M"


T0 = time.monotonic()


def log(msg):
    sys.stderr.write("bench [%5.0fs]: %s\n" % (time.monotonic() - T0, msg))
    sys.stderr.flush()


def fail(msg):
    sys.stderr.write("bench: FAILED: %s\n" % msg)
    sys.exit(1)


def run(cmd, cwd=None, env=None, stdout=subprocess.DEVNULL, check=True):
    """Runs cmd; returns (wall s, user+sys s, peak RSS KiB, stdout text)."""
    e = dict(os.environ, SOURCE_DATE_EPOCH=SDE, LC_ALL="C.UTF-8")
    if env:
        e.update(env)
    out_file = None
    if stdout == subprocess.PIPE:
        out_file = open(os.path.join(WORK, ".stdout"), "w+b")
        stdout = out_file
    err_file = open(os.path.join(WORK, ".stderr"), "w+b")
    # what the cleanup before this run left to write back is written now,
    # not while this run is timed
    os.sync()
    LOADS.append(os.getloadavg()[0])
    t0 = time.monotonic()
    p = subprocess.Popen(cmd, cwd=cwd, env=e, stdout=stdout, stderr=err_file)
    _, status, ru = os.wait4(p.pid, 0)
    wall = time.monotonic() - t0
    p.returncode = os.waitstatus_to_exitcode(status)
    text = ""
    if out_file:
        out_file.seek(0)
        text = out_file.read().decode("utf-8", "replace")
        out_file.close()
    err_file.seek(0)
    err = err_file.read().decode("utf-8", "replace")
    err_file.close()
    if check and p.returncode != 0:
        fail("%s exited with %d:\n%s%s" % (" ".join(cmd), p.returncode, text[-2000:], err[-4000:]))
    return wall, ru.ru_utime + ru.ru_stime, ru.ru_maxrss, text


def rm(path):
    if os.path.lexists(path):
        if os.path.isdir(path) and not os.path.islink(path):
            shutil.rmtree(path)
        else:
            os.remove(path)


def trash(path):
    """Moves path out of the way at once; the trees are deleted after the
    last timed run, so that no run waits for the deletion of another's."""
    if os.path.lexists(path):
        os.makedirs(TRASH, exist_ok=True)
        os.rename(path, os.path.join(TRASH, "%d-%s" % (len(os.listdir(TRASH)), os.path.basename(path))))


def trash_site(path):
    """Moves the site path away with the spare and temporary folders
    gongshi keeps beside it (.NAME.spare-XXXXXX, .NAME.tmp-XXXXXX), so
    that the next build writes every file anew."""
    trash(path)
    parent, name = os.path.split(path)
    for f in os.listdir(parent):
        if re.match(r"\.%s\.(spare|tmp|old)-[A-Za-z0-9]{6}$" % re.escape(name), f):
            trash(os.path.join(parent, f))


def tree_bytes(path):
    """(files, bytes, html pages) under path."""
    n = b = h = 0
    for base, dirs, files in os.walk(path):
        for f in files:
            n += 1
            b += os.lstat(os.path.join(base, f)).st_size
            h += f.endswith(".html")
    return n, b, h


def tree_digest(path):
    """{relative path: sha256} of every file under path."""
    out = {}
    for base, dirs, files in os.walk(path):
        for f in files:
            full = os.path.join(base, f)
            with open(full, "rb") as fp:
                out[os.path.relpath(full, path)] = hashlib.sha256(fp.read()).hexdigest()
    return out


def stats(v):
    return {"median": statistics.median(v), "min": min(v), "max": max(v), "n": len(v)}


class Series:
    def __init__(self):
        self.wall, self.cpu, self.rss = [], [], []

    def add(self, r):
        self.wall.append(r[0])
        self.cpu.append(r[1])
        self.rss.append(r[2])

    def summary(self):
        return {"wall": stats(self.wall), "cpu": stats(self.cpu), "rss_kib": stats(self.rss)}


def fmt_s(st):
    m, lo, hi = st["median"], st["min"], st["max"]
    if st["n"] == 1:
        return "%.2f" % m
    return "%.2f (%.2f–%.2f)" % (m, lo, hi)


def fmt_mib(st):
    return "%.0f" % (st["median"] / 1024.0)


def cores_worth():
    """How many cores' work the machine does with every core busy: cores.c
    timed alone, then one copy per core at once (cores x alone / together)."""
    cc = os.environ.get("CC", "cc")
    prog = os.path.join(WORK, "cores")
    subprocess.run([cc, "-O2", "-o", prog, os.path.join(HERE, "cores.c")], check=True)
    n = os.cpu_count() or 1
    t0 = time.monotonic()
    subprocess.run([prog], stdout=subprocess.DEVNULL, check=True)
    alone = time.monotonic() - t0
    t0 = time.monotonic()
    ps = [subprocess.Popen([prog], stdout=subprocess.DEVNULL) for _ in range(n)]
    for p in ps:
        if p.wait() != 0:
            fail("cores.c failed")
    together = time.monotonic() - t0
    return {"cores": n, "alone_s": alone, "together_s": together, "worth": n * alone / together}


def compile_tools(gongshi_build):
    cc = os.environ.get("CC", "cc")
    floor = os.path.join(WORK, "floor")
    phases = os.path.join(WORK, "phases")
    subprocess.run([cc, "-O2", "-o", floor, os.path.join(HERE, "floor.c")], check=True)
    # The Makefile's own list (bench.mk passes it; run by hand, ask make),
    # so the two cannot drift.
    pkgs = os.environ.get("GONGSHI_PKGS")
    if pkgs is None:
        pkgs = subprocess.run(["make", "-s", "-C", ROOT, "print-pkgs"], capture_output=True, text=True,
                              check=True).stdout
    pkgs = pkgs.split()
    cflags = subprocess.run(["pkg-config", "--cflags"] + pkgs, capture_output=True, text=True, check=True).stdout.split()
    libs = subprocess.run(["pkg-config", "--libs"] + pkgs, capture_output=True, text=True, check=True).stdout.split()
    subprocess.run([cc, "-O2", "-std=c11", "-D_POSIX_C_SOURCE=200809L", "-iquote", os.path.join(ROOT, "generator"),
                    "-o", phases, os.path.join(HERE, "phases.c"), os.path.join(gongshi_build, "libgongshi.a")]
                   + cflags + libs, check=True)
    return floor, phases


def corpus(size, repo):
    """Synthesizes the corpus unless one from the same synth.py is there."""
    stamp = repo + ".stamp"
    want = hashlib.sha256(open(os.path.join(HERE, "synth.py"), "rb").read()).hexdigest()
    for f in sorted(os.listdir(os.path.join(ROOT, "data", "programs"))) + sorted(
            os.listdir(os.path.join(ROOT, "data", "calendars"))):
        want += f
    if os.path.exists(stamp) and open(stamp).read() == want and os.path.isdir(repo):
        log("corpus %s: reusing %s" % (size, repo))
        return 0.0
    rm(stamp)
    log("corpus %s: synthesizing into %s" % (size, repo))
    t0 = time.monotonic()
    subprocess.run([sys.executable, os.path.join(HERE, "synth.py"), size, repo], check=True)
    t = time.monotonic() - t0
    open(stamp, "w").write(want)
    return t


# Issue #23: no HTML page over 250 KB, every list's first page under 100 KB.
LISTS = ("awards", "organizations", "objections", "revocations", "notices", "rounds", "programs", "stats",
         "changes")
PAGE_MAX, FIRST_MAX = 250 * 1024, 100 * 1024


def page_sizes(site):
    """The largest HTML page of site, the number of pages over PAGE_MAX,
    and the size of each list's first page."""
    big, over = (0, ""), 0
    for base, dirs, fs in os.walk(site):
        for f in fs:
            if f.endswith(".html"):
                full = os.path.join(base, f)
                n = os.lstat(full).st_size
                over += n > PAGE_MAX
                big = max(big, (n, os.path.relpath(full, site)))
    first = {}
    for name in LISTS:
        p = os.path.join(site, name, "index.html")
        if os.path.exists(p):
            first[name] = os.lstat(p).st_size
    return {"largest": big[0], "largest_path": big[1], "over": over, "first": first}


def fnv1a32(s):
    h = 2166136261
    for b in s.encode():
        h = ((h ^ b) * 16777619) & 0xffffffff
    return h


def search_sizes(site, site_bytes, page=10):
    """The search index (issue #22): its bytes and share of the site, and
    the bytes a query downloads, computed from the shards as search.js
    fetches them: its terms' shards, then the shards of the documents of
    its first page of results (page, ten), ranked from the postings
    alone; a frequent term (written as a number, without postings) is
    left out when the query has another term, and a query made only of
    frequent ones fetches its terms' shards and finds nothing.  Queries:
    4 characters of organization names (from the third, past the city's
    name) and certificate numbers, 50 of each, spread over the record."""
    folder = os.path.join(site, "search")
    if not os.path.isdir(folder):
        return None
    html = open(os.path.join(folder, "index.html"), encoding="utf-8").read()
    nt = int(re.search(r'data-terms="(\d+)"', html).group(1))
    nd = int(re.search(r'data-docs="(\d+)"', html).group(1))
    total = sum(os.lstat(os.path.join(b, f)).st_size for b, _, fs in os.walk(folder) for f in fs)
    docs = {}
    for f in os.listdir(os.path.join(folder, "d")):
        docs.update(json.load(open(os.path.join(folder, "d", f), encoding="utf-8")))
    cache = {}

    def shard(d, n):
        path = os.path.join(folder, d, "%03x.json" % n)
        if path not in cache:
            cache[path] = (json.load(open(path, encoding="utf-8")), os.lstat(path).st_size)
        return cache[path]

    def query_bytes(terms):
        got, keys, lists = set(), None, []
        for t in terms:
            n = fnv1a32(t) % nt
            got.add(("t", n))
            lists.append(shard("t", n)[0].get(t, []))
        for post in (x for x in lists if isinstance(x, list)):
            k = dict(zip(post[::2], post[1::2]))
            keys = k if keys is None else {x: keys[x] + k[x] for x in keys if x in k}
        # equal weights: the keys holding more of its ASCII runs first
        runs = [t for t in terms if ord(t[0]) < 0x80]
        top = sorted(keys or {}, key=lambda x: (-keys[x], -sum(r in x[1:].lower() for r in runs), x))[:page]
        got.update(("d", fnv1a32(k) % nd) for k in top)
        return sum(shard(d, n)[1] for d, n in got)

    keys = sorted(docs)
    # by the document's kind: a content page's key ("announcements/...")
    # starts with an award's letter
    orgs = [docs[k][1] for k in keys if docs[k][0] == "organization"]
    certs = [k[1:].lower() for k in keys if docs[k][0] == "award"]
    pick = lambda v: v[::max(1, len(v) // 50)][:50]
    name_q = [[n[i:i + 2] for i in range(2, 5)] for n in pick(orgs) if len(n) >= 6]
    cert_q = [[c] for c in pick(certs)]
    per = lambda qs: sorted(query_bytes(q) for q in qs)
    a, b = per(name_q), per(cert_q)
    med = lambda v: v[len(v) // 2] if v else 0
    return {"bytes": total, "share": total / site_bytes if site_bytes else 0,
            "name_median": med(a), "name_max": max(a or [0]), "cert_median": med(b), "cert_max": max(b or [0]),
            "term_shards": nt, "doc_shards": nd}


def next_commits(repo, n):
    """n more commits in a chain on top of HEAD, each changing one record
    (the body of a result notice, a different one each time), as
    refs/heads/bench-next-1..n; returns [(commit id, path)]."""
    names = subprocess.run(["git", "-C", repo, "ls-tree", "-r", "--name-only", "HEAD", "data/notices"],
                           capture_output=True, text=True, check=True).stdout.split()
    results = [x for x in names if x.endswith("-result.json")]
    stream = b""
    out = []
    for i in range(1, n + 1):
        path = results[len(results) * i // (n + 1)]
        doc = json.loads(subprocess.run(["git", "-C", repo, "cat-file", "blob", "HEAD:" + path],
                                        capture_output=True, check=True).stdout)
        doc["body"] += "特此公告。"
        blob = (json.dumps(doc, ensure_ascii=False, indent=2) + "\n").encode()
        msgb = ("补充公告结尾：%s\n" % doc["id"]).encode()
        ident = b"gongshi bench <bench@example.gov.cn> %d +0800" % (1811000000 + 600 * i)
        parent = b"refs/heads/main^0" if i == 1 else b":%d" % (i - 1)
        stream += (b"commit refs/heads/bench-next-%d\nmark :%d\nauthor " % (i, i) + ident + b"\ncommitter " + ident +
                   b"\ndata %d\n" % len(msgb) + msgb + b"from " + parent + b"\n" +
                   b"M 100644 inline " + path.encode() + b"\ndata %d\n" % len(blob) + blob + b"\n\n")
        out.append(path)
    subprocess.run(["git", "-C", repo, "fast-import", "--quiet", "--done", "--force"], input=stream + b"done\n",
                   check=True)
    return [(subprocess.run(["git", "-C", repo, "rev-parse", "refs/heads/bench-next-%d" % (i + 1)],
                            capture_output=True, text=True, check=True).stdout.strip(), p) for i, p in enumerate(out)]


def parse_wrote(text):
    # "wrote N pages (F files, B bytes) to DIR/ from C, with K commits of history (R read now)"
    words = text.split()
    i = words.index("wrote")
    return {"pages": int(words[i + 1]), "files": int(words[i + 3].lstrip("(")),
            "bytes": int(words[i + 5]), "read_now": int(text.split("(")[-1].split()[0])}


def main(argv):
    global WORK
    args = list(argv[1:])
    size, runs, work, gongshi, jsonfile = "S", None, None, None, None
    while args:
        a = args.pop(0)
        if a == "--runs":
            runs = int(args.pop(0))
        elif a == "--work":
            work = args.pop(0)
        elif a == "--gongshi":
            gongshi = os.path.abspath(args.pop(0))
        elif a == "--json":
            jsonfile = args.pop(0)
        elif a in ("S", "M", "L"):
            size = a
        else:
            sys.stderr.write(__doc__)
            return 2
    if runs is None:
        runs = 1 if size == "L" else 3
    gongshi = gongshi or os.path.join(ROOT, "build", "gongshi")
    WORK = os.path.abspath(work or os.path.join(ROOT, "build", "bench"))
    os.makedirs(WORK, exist_ok=True)
    d = os.path.join(WORK, size)
    os.makedirs(d, exist_ok=True)
    global TRASH
    TRASH = os.path.join(d, "trash")
    if os.path.exists(TRASH):
        log("deleting what an earlier run left in %s" % TRASH)
        rm(TRASH)
    for leftover in ("site", ".site.cache", "clean-next", ".clean-next.cache", "floor-out", "hugo-out",
                     "hugo-site", "hugo-cache", "tree"):
        rm(os.path.join(d, leftover))
    for leftover in os.listdir(d):
        if re.match(r"\.(site|clean-next)\.(spare|tmp|old)-", leftover):
            rm(os.path.join(d, leftover))
    if not os.access(gongshi, os.X_OK):
        fail("no gongshi at %s (make all)" % gongshi)
    hugo = shutil.which("hugo")
    floor, phases = compile_tools(os.path.dirname(gongshi))
    res = {"size": size, "runs": runs, "cores_start": cores_worth()}
    t_all = time.monotonic()

    # 1. the corpus, checked
    repo = os.path.join(d, "repo")
    res["synth_s"] = corpus(size, repo)
    ncommits = int(subprocess.run(["git", "-C", repo, "rev-list", "--count", "HEAD"], capture_output=True,
                                  text=True, check=True).stdout)
    nfiles = len(subprocess.run(["git", "-C", repo, "ls-tree", "-r", "--name-only", "HEAD", "data"],
                                capture_output=True, text=True, check=True).stdout.split())
    res["commits"], res["record_files"] = ncommits, nfiles
    # the objects into the page cache, so that no tool pays for the disk
    subprocess.run(["cat"] + [os.path.join(repo, ".git", "objects", "pack", f)
                              for f in os.listdir(os.path.join(repo, ".git", "objects", "pack"))],
                   stdout=subprocess.DEVNULL, check=True)
    log("gongshi check (%d commits, %d record files)" % (ncommits, nfiles))
    t0 = time.monotonic()
    chk = subprocess.run([gongshi, "-C", repo, "check"], capture_output=True, text=True,
                         env=dict(os.environ, SOURCE_DATE_EPOCH=SDE))
    if chk.returncode != 0:
        fail("gongshi check fails on the corpus (%d):\n%s" % (chk.returncode, chk.stdout[-3000:] + chk.stderr[-3000:]))
    res["check"] = {"wall": time.monotonic() - t0, "summary": (chk.stdout + chk.stderr).strip().splitlines()[-1]}

    # 2a. clean builds
    site = os.path.join(d, "site")
    cache = os.path.join(d, ".site.cache")
    manifest = os.path.join(d, "manifest.txt")
    clean = Series()
    wrote = None
    for i in range(runs):
        trash_site(site), trash(cache)
        r = run([gongshi, "-C", repo, "build", "-o", site], stdout=subprocess.PIPE)
        clean.add(r)
        wrote = parse_wrote(r[3])
        log("clean build %d/%d: %.1f s" % (i + 1, runs, r[0]))
    res["clean"] = clean.summary()
    res["clean"].update(wrote)
    # the floor's list of files: this site's, by path (each folder is
    # created once, with its files together)
    listing = []
    for base, dirs, fs in os.walk(site):
        for f in fs:
            full = os.path.join(base, f)
            listing.append((os.path.relpath(full, site), os.lstat(full).st_size))
    listing.sort()
    with open(manifest, "w") as m:
        for path, size in listing:
            m.write("%d %s\n" % (size, path))
    res["clean"]["files_on_disk"], res["clean"]["bytes_on_disk"] = len(listing), sum(x[1] for x in listing)
    del listing
    res["page_sizes"] = page_sizes(site)
    res["search"] = search_sizes(site, res["clean"]["bytes_on_disk"])

    # 2b. warm history cache, no site
    warm = Series()
    for i in range(runs):
        trash_site(site)
        r = run([gongshi, "-C", repo, "build", "-o", site], stdout=subprocess.PIPE)
        if parse_wrote(r[3])["read_now"] != 0:
            fail("a build with a warm cache read commits again: %s" % r[3])
        warm.add(r)
        log("build with a warm history cache %d/%d: %.1f s" % (i + 1, runs, r[0]))
    res["warm"] = warm.summary()

    # 2c. the history pass alone
    hist, whole = [], Series()
    for i in range(runs):
        r = run([phases, repo], stdout=subprocess.PIPE)
        ph = dict(line.split() for line in r[3].splitlines())
        hist.append(float(ph["history"]))
        whole.add(r)
        res["phases"] = {k: float(v) for k, v in ph.items()}
        log("history pass alone %d/%d: %.1f s" % (i + 1, runs, hist[-1]))
    res["history"] = {"wall": stats(hist), "process_rss_kib": stats(whole.rss)}

    # 2d. git log -p, git log --raw
    gl, glr = Series(), Series()
    for i in range(runs):
        gl.add(run(["git", "-C", repo, "log", "-p"]))
        glr.add(run(["git", "-C", repo, "log", "--raw"]))
        log("git log -p %d/%d: %.1f s" % (i + 1, runs, gl.wall[-1]))
    res["git_log_p"], res["git_log_raw"] = gl.summary(), glr.summary()

    # 2e. rebuilds after one more commit each, into the previous site with
    # its cache: a chain of commits, each changing one record; the site of
    # HEAD and its warm cache are there from 2b
    chain = next_commits(repo, runs)
    other = os.path.join(d, "clean-next")
    reb = Series()
    files_changed = []  # per rebuild: the lines of --changes (added, changed, removed)
    for i, (commit, changed) in enumerate(chain):
        if i == len(chain) - 1:
            # the previous site, kept for a clean build of the same commit
            trash_site(other)
            shutil.copytree(site, other, symlinks=True)
        changes = os.path.join(d, "changes.txt")
        r = run([gongshi, "-C", repo, "build", "--rev", commit, "-o", site, "--changes", changes],
                stdout=subprocess.PIPE)
        if parse_wrote(r[3])["read_now"] != 1:
            fail("the rebuild did not read exactly the one new commit: %s" % r[3])
        with open(changes, encoding="utf-8") as f:
            files_changed.append(sum(1 for _ in f))
        reb.add(r)
        log("rebuild after a one-record commit %d/%d: %.1f s, %d files changed"
            % (i + 1, runs, r[0], files_changed[-1]))
    res["rebuild"] = reb.summary()
    res["rebuild"]["files_changed"] = files_changed
    res["rebuild"]["changed"] = [c[1] for c in chain]
    # byte-identical to a clean build (no cache) of the same commit into a
    # copy of the previous site, as tests/history/test_history.py checks
    trash(os.path.join(d, ".clean-next.cache"))
    log("clean build of the last commit into a copy of the previous site, to compare")
    run([gongshi, "-C", repo, "build", "-q", "--rev", chain[-1][0], "-o", other])
    a, b = tree_digest(site), tree_digest(other)
    differ = sorted(k for k in set(a) | set(b) if a.get(k) != b.get(k))
    res["rebuild"]["identical"] = not differ
    res["rebuild"]["files_compared"] = len(a)
    if differ:
        fail("the rebuild differs from a clean build of the same commit in %d files: %s"
             % (len(differ), differ[:10]))
    del a, b
    trash_site(other), trash(os.path.join(d, ".clean-next.cache")), trash_site(site), trash(cache)
    for i in range(runs):
        subprocess.run(["git", "-C", repo, "update-ref", "-d", "refs/heads/bench-next-%d" % (i + 1)], check=True)

    # 2f. the floor
    fl, fln = Series(), Series()
    out = os.path.join(d, "floor-out")
    for i in range(runs):
        trash(out)
        fl.add(run([floor, manifest, out]))
        trash(out)
        fln.add(run([floor, manifest, out, "--no-sync"]))
        log("floor %d/%d: %.1f s, %.1f s without sync" % (i + 1, runs, fl.wall[-1], fln.wall[-1]))
    trash(out)
    res["floor"], res["floor_nosync"] = fl.summary(), fln.summary()

    # 2g. Hugo
    if hugo:
        tree, hsite, hout = os.path.join(d, "tree"), os.path.join(d, "hugo-site"), os.path.join(d, "hugo-out")
        trash(tree), trash(hsite)
        os.makedirs(tree)
        log("emitting the equivalent Hugo site")
        arch = subprocess.Popen(["git", "-C", repo, "archive", "HEAD", "data"], stdout=subprocess.PIPE)
        subprocess.run(["tar", "-x", "-C", tree], stdin=arch.stdout, check=True)
        if arch.wait():
            fail("git archive failed")
        hp = int(subprocess.run([sys.executable, os.path.join(HERE, "hugo_site.py"), os.path.join(tree, "data"), hsite],
                                capture_output=True, text=True, check=True).stdout)
        trash(tree)
        ver = subprocess.run([hugo, "version"], capture_output=True, text=True).stdout.split()
        hs = Series()
        for i in range(runs):
            trash(hout)
            trash(os.path.join(d, "hugo-cache"))
            hs.add(run([hugo, "--source", hsite, "--destination", hout, "--quiet",
                        "--cacheDir", os.path.join(d, "hugo-cache")]))
            log("hugo %d/%d: %.1f s" % (i + 1, runs, hs.wall[-1]))
        res["hugo"] = hs.summary()
        files, nbytes, pages = tree_bytes(hout)
        res["hugo"].update({"content_pages": hp, "pages": pages, "files": files, "bytes": nbytes,
                            "version": ver[1] if len(ver) > 1 else "?"})
        trash(hout), trash(hsite), trash(os.path.join(d, "hugo-cache"))
    else:
        log("hugo is not installed: skipped (make bench installs Debian's hugo as root)")
        res["hugo"] = None
    res["harness_s"] = time.monotonic() - t_all
    res["load_1min"] = {"min": min(LOADS), "max": max(LOADS), "median": statistics.median(LOADS)}
    res["machine"] = machine()
    res["cores"] = cores_worth()
    log("cores: %d at once did %.2f cores' work (%.2f s alone, %.2f s together)"
        % (res["cores"]["cores"], res["cores"]["worth"], res["cores"]["alone_s"], res["cores"]["together_s"]))
    table = render(res)
    print(table)
    with open(os.path.join(d, "results.md"), "w") as f:
        f.write(table + "\n")
    with open(jsonfile or os.path.join(d, "results.json"), "w") as f:
        json.dump(res, f, indent=1)
    log("results in %s; deleting the sites written" % d)
    rm(TRASH)
    log("done")
    return 0


def machine():
    cpu = "?"
    for line in open("/proc/cpuinfo"):
        if line.startswith("model name"):
            cpu = line.split(":", 1)[1].strip()
            break
    mem = 0
    for line in open("/proc/meminfo"):
        if line.startswith("MemTotal"):
            mem = int(line.split()[1])
    git = subprocess.run(["git", "--version"], capture_output=True, text=True).stdout.split()[-1]
    return {"cpu": cpu, "cores": os.cpu_count(), "mem_gib": round(mem / 1048576, 1),
            "date": time.strftime("%Y-%m-%d"), "git": git, "kernel": os.uname().release}


def render(r):
    c, m = r["clean"], r["machine"]
    med = lambda x: x["wall"]["median"]
    pps = c["pages"] / med(c)
    lines = []
    n = "median of %d runs (min–max)" % r["runs"] if r["runs"] > 1 else "a single run"
    lines.append("Size %s: %d commits, %d record files; %s; %s, %d cores, %.1f GiB, %s, git %s"
                 % (r["size"], r["commits"], r["record_files"], n, m["cpu"], m["cores"], m["mem_gib"], m["date"],
                    m["git"]))
    lines.append("")
    lines.append("| measurement | wall s | user+sys s | peak RSS MiB | output | pages/s |")
    lines.append("|---|---|---|---|---|---|")

    def row(name, s, out="", rate=""):
        lines.append("| %s | %s | %s | %s | %s | %s |" % (name, fmt_s(s["wall"]), fmt_s(s["cpu"]),
                                                      fmt_mib(s["rss_kib"]), out, rate))
    row("gongshi build, clean", c, "%d pages, %d files, %.1f MB" % (c["pages"], c["files"], c["bytes"] / 1e6),
        "%.0f" % pps)
    row("gongshi build, warm history cache", r["warm"])
    h = r["history"]
    lines.append("| history pass alone (history_load, no cache) | %s | | | %d commits | |"
                 % (fmt_s(h["wall"]), r["commits"]))
    row("git log -p", r["git_log_p"])
    row("git log --raw", r["git_log_raw"])
    rb = r["rebuild"]
    row("rebuild after a one-record commit", rb,
        "byte-identical to a clean build: %s; files changed: %s" % (
            "yes" if rb["identical"] else "NO",
            "/".join(str(n) for n in rb.get("files_changed", [])) or "?"))
    if r["hugo"]:
        hg = r["hugo"]
        row("Hugo %s, equivalent site" % hg["version"], hg, "%d pages, %d files, %.1f MB"
            % (hg["pages"], hg["files"], hg["bytes"] / 1e6), "%.0f" % (hg["pages"] / med(hg)))
    row("floor: write the same files, syncfs", r["floor"], "%d files" % c["files"])
    row("floor: write the same files, no sync", r["floor_nosync"])
    lines.append("")
    lines.append("| target (issue #6; it sets them at M) | size %s, this run | met |" % r["size"])
    lines.append("|---|---|---|")

    def target(name, value, ok):
        lines.append("| %s | %s | %s |" % (name, value, "yes" if ok else "**no**"))
    if r["hugo"]:
        hpps = r["hugo"]["pages"] / med(r["hugo"])
        target("clean build ≥ 10× Hugo's pages per second", "%.2f× (%.0f vs %.0f pages/s)" % (pps / hpps, pps, hpps),
               pps / hpps >= 10)
    else:
        lines.append("| clean build ≥ 10× Hugo's pages per second | Hugo not installed | ? |")
    fr = med(c) / med(r["floor"])
    target("clean build within 2× the floor (with syncfs)", "%.2f×" % fr, fr <= 2)
    hr = h["wall"]["median"] / med(r["git_log_p"])
    target("history pass within 1.5× git log -p", "%.2f× (%.2f s vs %.2f s)" % (hr, h["wall"]["median"],
                                                                         med(r["git_log_p"])), hr <= 1.5)
    rr = med(rb) / med(c)
    target("rebuild under 2% of a clean build", "%.1f%%" % (100 * rr), rr < 0.02)
    target("rebuild byte-identical to a clean build", "yes (%d files)" % rb["files_compared"] if rb["identical"]
           else "NO", rb["identical"])
    rss = c["rss_kib"]["max"] / 1024
    target("peak RSS under 1 GiB", "%.0f MiB" % rss, rss < 1024)
    ps = r.get("page_sizes")
    if ps:
        target("largest HTML page at most 250 KB (issue #23)", "%.1f KB, %s (%d pages over)"
               % (ps["largest"] / 1024, ps["largest_path"], ps["over"]), ps["largest"] <= PAGE_MAX)
        worst = max(ps["first"].values()) if ps["first"] else 0
        target("every list's first page at most 100 KB (issue #23)", ", ".join(
            "%s %.1f" % (k, v / 1024) for k, v in ps["first"].items()) + " KB", worst <= FIRST_MAX)
    se = r.get("search")
    if se:
        target("search index at most 15% of the site (issue #22)", "%.1f MB, %.1f%% (%d term and %d document shards)"
               % (se["bytes"] / 1e6, 100 * se["share"], se["term_shards"], se["doc_shards"]), se["share"] <= 0.15)
        worst = max(se["name_max"], se["cert_max"])
        target("a query downloads at most 100 KB of index (issue #22)",
               "4 characters of a name: median %.1f KB, max %.1f KB; a certificate number: median %.1f KB, "
               "max %.1f KB" % (se["name_median"] / 1024, se["name_max"] / 1024, se["cert_median"] / 1024,
                                se["cert_max"] / 1024), worst <= 100 * 1024)
    lines.append("")
    cpu = lambda x: x["cpu"]["median"]
    lines.append("Phases, last run of phases.c (seconds): open %.2f, load %.2f, check %.2f, history %.2f. "
                 "Clean minus warm-cache build: %.2f s wall, %.2f s user+sys." % (
                     r["phases"]["open"], r["phases"]["load"], r["phases"]["check"], r["phases"]["history"],
                     med(c) - med(r["warm"]), cpu(c) - cpu(r["warm"])))
    lines.append("Load average (1 min) when the timed runs started: %.2f to %.2f; harness %.0f s in all."
                 % (r["load_1min"]["min"], r["load_1min"]["max"], r["harness_s"]))
    lines.append("Cores: %d busy at once did the work of %.2f before the timed runs and %.2f after them "
                 "(cores.c, which only computes: %.2f s alone, %.2f s each together, after)."
                 % (r["cores"]["cores"], r["cores_start"]["worth"], r["cores"]["worth"], r["cores"]["alone_s"],
                    r["cores"]["together_s"]))
    return "\n".join(lines)


if __name__ == "__main__":
    WORK = TRASH = None
    LOADS = []
    sys.exit(main(sys.argv))
