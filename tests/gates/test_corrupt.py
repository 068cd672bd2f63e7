#!/usr/bin/env python3
"""Gate: a corrupt git repository gives a diagnostic, never a signal, and
never touches an existing site.

Usage: test_corrupt.py   (GONGSHI: the binary, default build/gongshi; it
can be an ASan build or carry GONGSHI_WRAPPER="valgrind ...")

The small fixture is committed and built once; then, each time on a fresh
copy of that repository, one object that the record needs is damaged --
loose objects overwritten with garbage, truncated, replaced by another
valid object, deleted; the same objects packed and the pack or its index
damaged -- and `gongshi check` and `gongshi build` onto the existing site
must exit 1 or 2 with a message (a diagnostic), leave the site byte for byte as
it was and leave no temporary folder beside it.  The hostile *records*
(truncated JSON, invalid UTF-8, ...) are tests/check/cases/hostile-*.case.
Closes with "corrupt: N passed, M failed".
"""
import os
import random
import shutil
import subprocess
import sys
import tempfile
import zlib

import gatelib

test_build = gatelib.test_build
WRAP = os.environ.get("GONGSHI_WRAPPER", "").split()


def git(repo, *args):
    return subprocess.run(["git", "-C", repo] + list(args), check=True, capture_output=True,
                          text=True, env=test_build.GIT_ENV).stdout.strip()


def loose_path(repo, oid):
    return os.path.join(repo, ".git", "objects", oid[:2], oid[2:])


def overwrite(path, data):
    os.chmod(path, 0o644)  # git writes objects read-only
    with open(path, "wb") as f:
        f.write(data)


def pack_files(repo, ext):
    d = os.path.join(repo, ".git", "objects", "pack")
    return [os.path.join(d, f) for f in sorted(os.listdir(d)) if f.endswith(ext)]


# Each damage takes the repository and the object ids of interest, and
# damages it in place.  rng makes the garbage the same on every run.
def garbage_blob(repo, ids, rng):
    p = loose_path(repo, ids["blob"])
    overwrite(p, bytes(rng.randrange(256) for _ in range(os.path.getsize(p))))


def truncated_blob(repo, ids, rng):
    p = loose_path(repo, ids["blob"])
    overwrite(p, open(p, "rb").read()[: os.path.getsize(p) // 2])


def empty_blob_file(repo, ids, rng):
    overwrite(loose_path(repo, ids["blob"]), b"")


def wrong_content_blob(repo, ids, rng):
    # Well-formed zlib and a well-formed object, but not the one its name
    # (the hash) promises: only hash verification can tell.
    overwrite(loose_path(repo, ids["blob"]), zlib.compress(b'blob 2\x00{}'))


def overstated_size_blob(repo, ids, rng):
    overwrite(loose_path(repo, ids["blob"]), zlib.compress(b"blob 99999999999\x00{}"))


def understated_size_blob(repo, ids, rng):
    # A header smaller than the body (libgit2 issue #7177: a heap overrun
    # in versions without the fix).
    overwrite(loose_path(repo, ids["blob"]), zlib.compress(b"blob 2\x00{}" + b"x" * 200))


def missing_blob(repo, ids, rng):
    os.remove(loose_path(repo, ids["blob"]))


def garbage_tree(repo, ids, rng):
    p = loose_path(repo, ids["tree"])
    overwrite(p, bytes(rng.randrange(256) for _ in range(os.path.getsize(p))))


def bad_tree_entries(repo, ids, rng):
    # A tree object whose entries are nonsense (a mode that is no mode, a
    # name with a slash, a short id).
    body = b"999999 a/b\x00\x01\x02" + b"100644 programs\x00" + b"\xff" * 5
    overwrite(loose_path(repo, ids["tree"]), zlib.compress(b"tree %d\x00" % len(body) + body))


def garbage_commit(repo, ids, rng):
    p = loose_path(repo, ids["commit"])
    overwrite(p, zlib.compress(b"commit 20\x00tree nonsense\nparent"))


def packed(damage):
    """The same repository with every object in one pack, then damage."""
    def run(repo, ids, rng):
        git(repo, "repack", "-a", "-d", "-q")
        git(repo, "prune-packed")
        damage(repo, ids, rng)
    run.__name__ = damage.__name__
    return run


def pack_flip_middle(repo, ids, rng):
    p = pack_files(repo, ".pack")[0]
    data = bytearray(open(p, "rb").read())
    for i in range(len(data) // 3, len(data) * 2 // 3, 7):
        data[i] ^= 0x5A
    overwrite(p, bytes(data))


def pack_truncated(repo, ids, rng):
    p = pack_files(repo, ".pack")[0]
    overwrite(p, open(p, "rb").read()[: os.path.getsize(p) // 2])


def pack_index_garbage(repo, ids, rng):
    p = pack_files(repo, ".idx")[0]
    data = bytearray(open(p, "rb").read())
    for i in range(8, len(data), 3):  # keep the magic and version
        data[i] = rng.randrange(256)
    overwrite(p, bytes(data))


def pack_missing(repo, ids, rng):
    os.remove(pack_files(repo, ".pack")[0])


DAMAGES = [garbage_blob, truncated_blob, empty_blob_file, wrong_content_blob, overstated_size_blob,
           understated_size_blob,
           missing_blob, garbage_tree, bad_tree_entries, garbage_commit,
           packed(pack_flip_middle), packed(pack_truncated), packed(pack_index_garbage), packed(pack_missing)]


# A run that has not ended by then is a hang (the demo record builds in a
# second; under valgrind in well under a minute).
TIMEOUT = float(os.environ.get("CORRUPT_TIMEOUT", "30"))


def run(args):
    """(exit status, its message); None for a run killed after TIMEOUT
    seconds.  check prints a record's diagnostics on stdout, errors on stderr."""
    try:
        p = subprocess.run(WRAP + [gatelib.GONGSHI] + args, capture_output=True, text=True, errors="replace",
                           env=dict(os.environ, SOURCE_DATE_EPOCH=gatelib.SDE), timeout=TIMEOUT)
    except subprocess.TimeoutExpired as e:
        return None, (e.stderr or b"").decode(errors="replace").strip()
    return p.returncode, (p.stderr.strip() + "\n" + p.stdout.strip()).strip()


def main():
    r = gatelib.Results("corrupt")
    rng = random.Random(5)
    with tempfile.TemporaryDirectory(prefix="gongshi-gate-corrupt-") as tmp:
        pristine = test_build.make_repo(tmp)
        ids = {
            "commit": git(pristine, "rev-parse", "HEAD"),
            "tree": git(pristine, "rev-parse", "HEAD:data"),
            "blob": git(pristine, "rev-parse", "HEAD:data/programs/lhasa.json"),
        }
        sites = os.path.join(tmp, "sites")
        os.mkdir(sites)
        out = os.path.join(sites, "site")
        code, err = run(["-C", pristine, "build", "-q", "-o", out])
        if not r.check(code == 0, "build of the intact repository", err):
            return r.close()
        before = test_build.tree_digest(out)
        # What the good build left beside the site (its history cache).
        beside = set(os.listdir(sites))
        for damage in DAMAGES:
            repo = os.path.join(tmp, damage.__name__)
            shutil.copytree(pristine, repo)
            damage(repo, ids, rng)
            hung = False
            for cmd in (["check"], ["build", "-q", "-o", out]):
                what = "%s: gongshi %s" % (damage.__name__, cmd[0])
                if hung:  # the same read hangs again: no need to wait for it twice
                    r.check(False, what, "not run: gongshi check hung on this repository")
                    continue
                code, err = run(["-C", repo] + cmd)
                hung = code is None
                bad = []
                if code is None:
                    bad.append("no exit within %g s (a hang)" % TIMEOUT)
                elif code < 0:
                    bad.append("killed by signal %d" % -code)
                elif code not in (1, 2):
                    bad.append("exit %d, want 1 or 2" % code)
                if not err and code is not None:
                    bad.append("no message")
                if "AddressSanitizer" in err or "runtime error:" in err:
                    bad.append("sanitizer report")
                if cmd[0] == "build":
                    if test_build.tree_digest(out) != before:
                        bad.append("the existing site changed")
                    left = sorted(set(os.listdir(sites)) - beside)
                    if left:
                        bad.append("left beside the site: %s" % left)
                r.check(not bad, what, "; ".join(bad) + "\n    output: " + err[:300])
                if not bad:
                    print("ok   %s -> exit %d: %s" % (what, code, err.splitlines()[-1][:150]), flush=True)
            shutil.rmtree(repo)
    return r.close()


if __name__ == "__main__":
    sys.exit(main())
