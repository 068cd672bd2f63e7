#!/usr/bin/env python3
"""Property test: a record that `gongshi check` accepts, `gongshi build` builds.

Usage: test_property.py GONGSHI
Environment: PROPERTY_CASES (commits checked in all, default 1000),
PROPERTY_SEED (default 16), PROPERTY_JOBS (histories at once, default 2),
GONGSHI_WRAPPER (a command to run gongshi under, e.g. valgrind).

Each history starts from tests/fixtures/small with a unique marker in
every private field and makes a few random commits through git
fast-import: applications renamed to a new id keeping their certificate,
files moved into subfolders, records withdrawn (with what refers to them)
and restored, certificates changed and reused, symbolic links and
submodules named *.json, stray files, announcements and pages with good
and bad names, public and private fields edited.  At every commit (a
case), gongshi check runs; where it passes (exit 0):
  - the build into the site of the history's last build succeeds (a
    rebuild, with the history cache);
  - a clean build (no cache) of the same commit with the same
    SOURCE_DATE_EPOCH into a copy of that earlier site is byte-identical;
  - no file of the site or of its cache holds any private marker ever
    committed.
check may only exit 0 or 1.  A failing case prints its seed and commit;
PROPERTY_SEED=S PROPERTY_CASES=N reproduces it.  Last line:
"property: N passed, M failed".
"""
import hashlib
import json
import multiprocessing
import os
import random
import shutil
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
BASE = os.path.join(ROOT, "tests", "fixtures", "small")
GONGSHI = os.path.abspath(sys.argv[1]) if len(sys.argv) > 1 else os.path.join(ROOT, "build", "gongshi")
WRAP = os.environ.get("GONGSHI_WRAPPER", "").split()
COMMITS = 5  # a history's commits: the first and four random ones
KINDS = ["programs", "organizations", "rounds", "applications", "notices", "objections", "revocations"]
TEXT = ["新名称", "A & B <c> \"d\" 'e'", "名称 2", "<script>alert(1)</script>", "x" * 300, "第二版"]


class History:
    def __init__(self, rng):
        self.rng = rng
        self.files = {}     # path -> (mode, bytes): 100644, 120000 (link target), 160000 (hex id)
        self.markers = []
        self.graveyard = []  # (path, bytes) withdrawn
        for base, dirs, files in os.walk(BASE):
            for f in files:
                p = os.path.join(base, f)
                rel = os.path.relpath(p, BASE)
                data = open(p, "rb").read()
                if rel.startswith("data/") and "/calendars/" not in rel and rel.endswith(".json"):
                    doc = json.loads(data)
                    if "private" not in doc and "/objections/" not in rel:
                        doc["private"] = {"notes": "x"}
                    self.mark(doc)
                    data = self.dump(doc)
                self.files[rel] = ("100644", data)

    def marker(self):
        m = "PRIVMARK%06d" % len(self.markers)
        self.markers.append(m)
        return m

    def mark(self, node):
        if isinstance(node, dict):
            for k, v in node.items():
                if k == "private" and isinstance(v, dict):
                    for pk, pv in v.items():
                        if isinstance(pv, str):
                            v[pk] = self.marker()
                else:
                    self.mark(v)
        elif isinstance(node, list):
            for v in node:
                self.mark(v)

    @staticmethod
    def dump(doc):
        return (json.dumps(doc, ensure_ascii=False, indent=2) + "\n").encode()

    def records(self, kind=None):
        return sorted(p for p, (m, _) in self.files.items() if m == "100644" and p.startswith("data/")
                      and p.endswith(".json") and "/calendars/" not in p and "/." not in p
                      and (kind is None or p.startswith("data/%s/" % kind)))

    def doc(self, p):
        try:
            return json.loads(self.files[p][1])
        except ValueError:
            return None

    def put(self, p, doc):
        self.files[p] = ("100644", self.dump(doc))

    # ---- the random changes ----
    def op_private(self):
        for p in self.rng.sample(self.records(), 3):
            doc = self.doc(p)
            if isinstance(doc, dict) and isinstance(doc.get("private"), dict):
                keys = [k for k, v in doc["private"].items() if isinstance(v, str)] or ["notes"]
                doc["private"][self.rng.choice(keys)] = self.marker()
                self.put(p, doc)

    def op_public(self):
        p = self.rng.choice(self.records())
        doc = self.doc(p)
        keys = [k for k in ("name", "title", "recommender", "issuer", "body", "summary", "short_name")
                if isinstance(doc, dict) and isinstance(doc.get(k), str)]
        if keys:
            doc[self.rng.choice(keys)] = self.rng.choice(TEXT)
            self.put(p, doc)

    def replace_refs(self, old, new):
        def walk(node):
            if isinstance(node, dict):
                return {k: walk(v) for k, v in node.items()}
            if isinstance(node, list):
                return [walk(v) for v in node]
            return new if node == old else node
        for p in self.records():
            doc = self.doc(p)
            if doc is not None and old in self.files[p][1].decode("utf-8", "replace"):
                self.put(p, walk(doc))

    def op_rename(self):
        apps = self.records("applications")
        if not apps:
            return
        p = self.rng.choice(apps)
        doc = self.doc(p)
        old = doc.get("id") if isinstance(doc, dict) else None
        if not isinstance(old, str):
            return
        new = "%s-%s" % (old, self.rng.choice("abc") + str(self.rng.randrange(10)))
        del self.files[p]
        self.replace_refs(old, new)
        doc["id"] = new
        self.put(os.path.join(os.path.dirname(p), new + ".json"), doc)

    def op_move(self):
        p = self.rng.choice(self.records())
        kind = p.split("/")[1]
        name = os.path.basename(p)
        to = "data/%s/%s" % (kind, name) if p.count("/") > 2 else "data/%s/%s/%s" % (
            kind, self.rng.choice(["old", "2024"]), name)
        if to not in self.files:
            self.files[to] = self.files.pop(p)

    def withdraw(self, p, depth=0):
        if p not in self.files or depth > 3:
            return
        doc = self.doc(p)
        self.graveyard.append((p, self.files.pop(p)))
        rid = doc.get("id") if isinstance(doc, dict) else None
        if not isinstance(rid, str):
            return
        for q in self.records():
            if q not in self.files:  # withdrawn on the way
                continue
            d = self.doc(q)
            if not isinstance(d, dict) or rid not in self.files[q][1].decode("utf-8", "replace"):
                continue
            if any(v == rid for k, v in d.items() if k != "id"):
                self.withdraw(q, depth + 1)
                continue
            for k, v in list(d.items()):
                if isinstance(v, list):
                    d[k] = [e for e in v if not (isinstance(e, dict) and rid in e.values())]
            self.put(q, d)

    def op_withdraw(self):
        kind = self.rng.choice(["applications", "applications", "objections", "revocations", "notices",
                                "organizations", "rounds"])
        recs = self.records(kind)
        if recs:
            self.withdraw(self.rng.choice(recs))

    def op_restore(self):
        if self.graveyard:
            p, entry = self.graveyard.pop(self.rng.randrange(len(self.graveyard)))
            self.files.setdefault(p, entry)

    def op_certificate(self):
        awarded = [p for p in self.records("applications")
                   if isinstance(self.doc(p), dict) and isinstance(self.doc(p).get("result"), dict)
                   and self.doc(p)["result"].get("certificate")]
        if not awarded:
            return
        p = self.rng.choice(awarded)
        doc = self.doc(p)
        old = [json.loads(e[1]).get("result", {}).get("certificate") for _, e in self.graveyard
               if e[0] == "100644" and "/applications/" in _]
        old = [c for c in old if c]
        doc["result"]["certificate"] = self.rng.choice(old) if old and self.rng.random() < 0.6 else \
            "LSQA-9%03d" % self.rng.randrange(1000)
        self.put(p, doc)

    def op_link(self):
        kind = self.rng.choice(KINDS)
        name = "data/%s/%s.json" % (kind, self.rng.choice(["alias", "link", "x-1"]))
        recs = self.records()
        if self.rng.random() < 0.3 and recs:  # a record file becomes a link
            name = self.rng.choice(recs)
            self.graveyard.append((name, self.files[name]))
        target = self.rng.choice(["/etc/passwd", "nowhere.json", "../organizations/91620100051836270K.json",
                                  "../../content/site.json", "."])
        self.files[name] = ("120000", target.encode())

    def op_submodule(self):
        kind = self.rng.choice(KINDS)
        name = "data/%s/%s" % (kind, self.rng.choice(["sub.json", "sub", "mod.json"]))
        self.files[name] = ("160000", ("%040x" % self.rng.getrandbits(160)).encode())

    def op_unlink(self):
        links = [p for p, (m, _) in self.files.items() if m != "100644"]
        if links:
            del self.files[self.rng.choice(links)]

    def op_stray(self):
        name = self.rng.choice(["data/notes.txt", "data/notices/.hidden.json", "data/notices/X.JSON",
                                "data/readme.json", "data/notices/README.md", "content/notes.txt"])
        self.files[name] = ("100644", self.rng.choice([b"{}", b"{ broken", "私 %s\n".encode()]))

    def op_content(self):
        d = self.rng.choice(["content/announcements/2024-06-0%d-" % self.rng.randrange(1, 10), "content/pages/"])
        name = d + self.rng.choice(["notice", "a-b-2", "a_b", "通知", "About"]) + ".md"
        if name in self.files and self.rng.random() < 0.5:
            del self.files[name]
        else:
            self.files[name] = ("100644", ("# %s\n\n正文 [链接](https://example.org/)\n" %
                                           self.rng.choice(TEXT)).encode())

    OPS = ["op_private", "op_public", "op_rename", "op_rename", "op_move", "op_withdraw", "op_withdraw",
           "op_restore", "op_certificate", "op_link", "op_submodule", "op_unlink", "op_stray", "op_content"]

    def step(self):
        done = []
        for _ in range(self.rng.randrange(1, 4)):
            op = self.rng.choice(self.OPS)
            getattr(self, op)()
            done.append(op[3:])
        return " ".join(done)

    def commit_stream(self, n, msg, t):
        out = [b"commit refs/heads/main\nmark :%d\n" % n,
               b"author T <t@example.org> %d +0800\ncommitter T <t@example.org> %d +0800\n" % (t, t)]
        m = msg.encode()
        out.append(b"data %d\n%s\n" % (len(m), m))
        if n > 1:
            out.append(b"from :%d\n" % (n - 1))
        out.append(b"deleteall\n")
        for p in sorted(self.files):
            mode, data = self.files[p]
            if mode == "160000":
                out.append(b"M 160000 %s %s\n" % (data, p.encode()))
            else:
                out.append(b"M %s inline %s\ndata %d\n%s\n" % (mode.encode(), p.encode(), len(data), data))
        return b"".join(out)


def run(args, **kw):
    return subprocess.run(WRAP + [GONGSHI] + args, capture_output=True, timeout=600, **kw)


def digest(d):
    out = {}
    for base, dirs, files in os.walk(d):
        for f in files:
            p = os.path.join(base, f)
            out[os.path.relpath(p, d)] = hashlib.sha256(open(p, "rb").read()).hexdigest()
    return out


def leaks(dirs, markers):
    found = []
    for d in dirs:
        for base, _, files in os.walk(d):
            for f in files:
                data = open(os.path.join(base, f), "rb").read()
                found += ["%s: %s" % (os.path.relpath(os.path.join(base, f), d), m)
                          for m in markers if m.encode() in data]
    return found


def one_history(args):
    seed, ncommits = args
    rng = random.Random(seed)
    h = History(rng)
    sde = str(rng.choice([1735603200, 1704067200, 1767225600]))
    env = dict(os.environ, SOURCE_DATE_EPOCH=sde)
    passed, failures, ok_checks = 0, [], 0
    # on tmpfs where there is one: each build ends in syncfs(), which on a
    # disk shared with other work costs more than the build
    shm = "/dev/shm" if os.path.isdir("/dev/shm") and os.access("/dev/shm", os.W_OK) else None
    with tempfile.TemporaryDirectory(prefix="gongshi-prop-", dir=shm) as tmp:
        repo = os.path.join(tmp, "repo")
        subprocess.run(["git", "init", "-q", "-b", "main", repo], check=True)
        stream, msgs = [], []
        for n in range(1, ncommits + 1):
            msg = "initial record" if n == 1 else h.step()
            msgs.append(msg)
            stream.append(h.commit_stream(n, msg, 1733011200 + 3600 * n))
        marks = os.path.join(tmp, "marks")
        subprocess.run(["git", "-C", repo, "fast-import", "--quiet", "--export-marks=" + marks],
                       input=b"".join(stream), check=True)
        ids = dict(l.split() for l in open(marks).read().split("\n") if l)
        site, clean = os.path.join(tmp, "site"), os.path.join(tmp, "clean")
        published = None  # a build tells new lapses against the commit last published
        for n in range(1, ncommits + 1):
            rev = ids[":%d" % n]
            where = "seed %d, commit %d of %d (%s)" % (seed, n, ncommits, msgs[n - 1])
            since = ["--since", published] if published else []
            c = run(["-C", repo, "check", "-q", "--rev", rev] + since, env=env)
            if c.returncode == 1:
                passed += 1
                continue
            if c.returncode != 0:
                failures.append("%s: check exit %d: %s" % (where, c.returncode, c.stderr.decode()[-300:]))
                continue
            ok_checks += 1
            shutil.rmtree(clean, ignore_errors=True)
            shutil.rmtree(os.path.join(tmp, ".clean.cache"), ignore_errors=True)
            if os.path.isdir(site):
                shutil.copytree(site, clean, symlinks=True)
            b = run(["-C", repo, "build", "-q", "-j", "1", "--rev", rev, "-o", site], env=env)
            if b.returncode != 0:
                failures.append("%s: check passed, build exit %d: %s" % (where, b.returncode,
                                                                          b.stderr.decode()[-400:]))
                continue
            published = rev
            b = run(["-C", repo, "build", "-q", "-j", "1", "--no-spare", "--rev", rev, "-o", clean], env=env)
            if b.returncode != 0:
                failures.append("%s: clean build exit %d: %s" % (where, b.returncode, b.stderr.decode()[-400:]))
                continue
            a, z = digest(site), digest(clean)
            differ = sorted(k for k in set(a) | set(z) if a.get(k) != z.get(k))
            if differ:
                failures.append("%s: rebuild differs from a clean build: %s" % (where, differ[:5]))
                continue
            found = leaks([site, os.path.join(tmp, ".site.cache")], h.markers)
            if found:
                failures.append("%s: private values in the output: %s" % (where, found[:5]))
                continue
            passed += 1
    return passed, failures, ok_checks


def main():
    cases = int(os.environ.get("PROPERTY_CASES", "1000"))
    seed = int(os.environ.get("PROPERTY_SEED", "16"))
    jobs = int(os.environ.get("PROPERTY_JOBS", "2"))
    histories = [(seed * 100003 + i, COMMITS) for i in range((cases + COMMITS - 1) // COMMITS)]
    passed = failed = built = 0
    with multiprocessing.Pool(jobs) as pool:
        for p, fails, ok in pool.imap_unordered(one_history, histories):
            passed += p
            built += ok
            failed += len(fails)
            for f in fails:
                print("FAIL property: %s" % f)
    print("property: %d histories, %d commits checked, %d of them accepted and built" % (
        len(histories), passed + failed, built))
    if built < (passed + failed) // 10:
        print("FAIL property: too few commits pass check (%d) for the test to mean much" % built)
        failed += 1
    print("property: %d passed, %d failed" % (passed, failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
