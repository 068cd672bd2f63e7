#!/usr/bin/env python3
"""Gate: no private field reaches a citizen, through a real web server.

Usage: test_privacy.py   (GONGSHI: the binary, default build/gongshi)

The record of test_build.py's private_never_leaks (a unique marker in
every "private" field) is built and served with themes/default/nginx.conf;
every file of SHA256SUMS, SHA256SUMS itself, the page folders, a redirect
and the 404 page are fetched, and no marker may appear in any body or
response header; nor in any file of the site folder, listed or not.
(Markers across git history are issue #4's.)

Then the reviewers' tools (issue #16): the record's history gets commits
that change the private values and commits of versions that are not
strict JSON (a BOM, a duplicate key, a trailing comma, a NUL, invalid
UTF-8, over 1 MiB, nested past the limit...), and every version of every
record file in every commit goes through `gongshi textconv`, every commit
through `gongshi diff` (text and --json) and the whole history through
`git log -p` with gongshi as its diff driver, without and with a
fingerprint key: no marker may appear.  Closes with
"privacy: N passed, M failed".
"""
import concurrent.futures
import json
import os
import subprocess
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

        search_index(r, site, markers)
        history_forms(repo, markers)
        reviewers_tools(r, repo, tmp)
    finally:
        server.cleanup()
        gatelib.shutil.rmtree(tmp, ignore_errors=True)
    return r.close()


def search_index(r, site, markers):
    """The search index (issue #22) holds text folded and cut into terms,
    which the byte scan above cannot see: each marker as the index would
    hold it (lower-case, hyphens kept) is no term, and no term begins with
    the markers' "privmark"; the index must hold the public credit codes,
    so that this check sees terms at all."""
    terms, docs = set(), []
    for d in ("t", "d"):
        folder = os.path.join(site, "search", d)
        for f in sorted(os.listdir(folder)) if os.path.isdir(folder) else []:
            shard = json.load(open(os.path.join(folder, f), encoding="utf-8"))
            if d == "t":
                terms.update(shard)
            else:
                docs.append(json.dumps(shard, ensure_ascii=False).lower())
    public = [k[1:].lower() for doc in docs for k in json.loads(doc) if k.startswith("o")]
    r.check(len(terms) > 200 and public and all(c in terms for c in public), "search index read",
            "%d terms, %d organizations" % (len(terms), len(public)))
    forms = [m.lower() for m in markers if m.isascii()]
    found = [m for m in forms if m in terms] + sorted(t for t in terms if t.startswith("privmark"))[:5]
    found += [m for m in forms for doc in docs if m in doc]
    r.check(not found, "search index terms and documents", "markers %s" % found[:5])
    r.ok("search index: %d terms, %d document shards without a private marker" % (len(terms), len(docs)))


def git(repo, *args, data=False):
    p = subprocess.run(["git", "-C", repo] + list(args), capture_output=True, check=True)
    return p.stdout if data else p.stdout.decode()


def record_files(repo):
    out = []
    for base, dirs, files in os.walk(os.path.join(repo, "data")):
        out += [os.path.join(base, f) for f in files if f.endswith(".json") and "/calendars/" not in base]
    return sorted(out)


# Each form a careless editor or a hostile one leaves: (name, bytes of the
# strict text and a fresh marker -> the version).  Each keeps the private
# part and adds a marker of its own in a private place.
def _member(text, member):
    return b"{" + member + b"," + text.lstrip()[1:]


FORMS = [
    ("bom", lambda t, m: b"\xef\xbb\xbf" + t),
    ("duplicate private, first", lambda t, m: _member(t, b'"private":{"notes":"%s"}' % m)),
    ("duplicate private, last", lambda t, m: t.rstrip()[:-1] + b',"private":{"notes":"%s"}}' % m),
    ("duplicate key in private", lambda t, m: _member(t, b'"private":{"notes":"%s","notes":"ok"}' % m)),
    ("duplicate public key", lambda t, m: _member(t, b'"id":"dup","id":"dup2"')),
    ("trailing comma", lambda t, m: t.rstrip()[:-1] + b',"private":{"notes":"%s"},}' % m),
    ("NUL", lambda t, m: _member(t, b'"private":{"notes":"%s"}' % m) + b"\n\0"),
    ("NUL in a key", lambda t, m: _member(t, b'"priv\0ate":{"notes":"%s"}' % m)),
    ("invalid UTF-8", lambda t, m: _member(t, b'"pad":"\xff\xfe","private":{"notes":"%s"}' % m)),
    ("escaped key", lambda t, m: _member(t, b'"\\u0070rivate":{"notes":"%s"},"private\\u0000x":{"n":"%s"}' % (m, m))),
    ("marker as a private name", lambda t, m: _member(t, b'"private":{"%s":true}' % m)),
    ("over 1 MiB", lambda t, m: _member(t, b'"pad":"' + b"x" * (1024 * 1024 + 1) + b'"')),
    ("nested 40 deep", lambda t, m: _member(t, b'"deep":' + b'{"a":' * 40 + b'{"private":{"notes":"%s"}}' % m
                                            + b"}" * 40)),
]


def history_forms(repo, markers):
    """Commits on repo: the private values changed (strict), then one commit
    per form of FORMS applied to every record file, then strict again."""
    originals = {p: open(p, "rb").read() for p in record_files(repo)}

    def fresh():
        m = "PRIVMARK%05d" % len(markers)
        markers.append(m)
        return m

    def commit(msg):
        git(repo, "add", "-A")
        git(repo, "-c", "user.name=t", "-c", "user.email=t@e", "commit", "-q", "--allow-empty", "-m", msg)

    changed = {}
    for p, text in originals.items():
        doc = json.loads(text)
        if isinstance(doc.get("private"), dict):
            doc["private"] = {k: (v if isinstance(v, bool) else fresh()) for k, v in doc["private"].items()}
        changed[p] = json.dumps(doc, ensure_ascii=False, indent=2).encode()
        open(p, "wb").write(changed[p])
    commit("private values changed")
    for name, form in FORMS:
        for p, text in changed.items():
            open(p, "wb").write(form(text, fresh().encode()))
        commit(name)
    for p, text in changed.items():
        open(p, "wb").write(text)
    commit("strict again")


def reviewers_tools(r, repo, tmp):
    """textconv of every version of every record file, diff of every commit,
    git log -p through the driver: no marker, without and with a key."""
    env0 = dict(os.environ, XDG_CONFIG_HOME=os.path.join(tmp, "no-config"), HOME=os.path.join(tmp, "no-home"))
    env0.pop("GONGSHI_FINGERPRINT_KEY", None)
    commits = git(repo, "rev-list", "--reverse", "HEAD").split()
    blobs = {}
    for c in commits:
        for line in git(repo, "ls-tree", "-r", c, "--", "data").splitlines():
            meta, path = line.split("\t", 1)
            if path.endswith(".json") and "/calendars/" not in path:
                blobs.setdefault(meta.split()[2], path)
    r.check(len(commits) >= len(FORMS) + 3, "history with every form", "%d commits" % len(commits))
    git(repo, "config", "diff.gongshi.textconv", GONGSHI_TEXTCONV)
    with open(os.path.join(repo, ".gitattributes"), "w") as f:
        f.write("data/**/*.json diff=gongshi\n")
    # every version once into a file of its own (git cat-file --batch: one process)
    os.makedirs(os.path.join(tmp, "versions"))
    batch = subprocess.run(["git", "-C", repo, "cat-file", "--batch"], input="".join(b + "\n" for b in blobs).encode(),
                           capture_output=True, check=True).stdout
    at = 0
    for blob in blobs:
        end = batch.index(b"\n", at)
        size = int(batch[at:end].split()[2])
        open(os.path.join(tmp, "versions", blob), "wb").write(batch[end + 1:end + 1 + size])
        at = end + 2 + size
    for key in ("", "gate-fingerprint-key-0123456789"):
        env = dict(env0, GONGSHI_FINGERPRINT_KEY=key) if key else env0
        what = "with a key" if key else "without a key"
        def textconv(blob, env=env):
            return subprocess.run([gatelib.GONGSHI, "textconv", os.path.join(tmp, "versions", blob)],
                                  capture_output=True, env=env, timeout=60)
        with concurrent.futures.ThreadPoolExecutor(2) as pool:
            runs = list(pool.map(textconv, blobs))
        for (blob, path), p in zip(blobs.items(), runs):
            r.check(p.returncode == 0 and p.stdout and b"PRIVMARK" not in p.stdout + p.stderr,
                    "textconv %s of %s (%s)" % (what, path, blob[:10]),
                    "exit %d, %s" % (p.returncode, marked(p.stdout + p.stderr)))
        r.ok("%d versions of the record files through gongshi textconv %s" % (len(blobs), what))
        for i, c in enumerate(commits[1:]):
            for extra in ([], ["--json"]):
                p = subprocess.run([gatelib.GONGSHI, "-C", repo, "diff", commits[i], c] + extra, capture_output=True,
                                   env=env, timeout=120)
                r.check(p.returncode == 0 and b"PRIVMARK" not in p.stdout + p.stderr,
                        "diff %s %s %s" % (" ".join(extra), git(repo, "log", "-1", "--format=%s", c).strip(), what),
                        "exit %d, %s" % (p.returncode, marked(p.stdout + p.stderr)))
        p = subprocess.run([gatelib.GONGSHI, "-C", repo, "diff", commits[0], commits[-1]], capture_output=True,
                           env=env, timeout=120)
        r.check(p.returncode == 0 and b"PRIVMARK" not in p.stdout + p.stderr, "diff first..last " + what,
                marked(p.stdout + p.stderr))
        r.ok("%d commits through gongshi diff %s" % (len(commits) - 1, what))
    # as a reviewer runs it, through git (a few files: git runs textconv
    # on both sides of each change, and every version was seen above)
    few = sorted(set(blobs.values()))[::10]
    p = subprocess.run(["git", "-C", repo, "log", "-p", "--"] + few, capture_output=True, env=env0, timeout=600)
    r.check(p.returncode == 0 and b"(private" in p.stdout and b"PRIVMARK" not in p.stdout + p.stderr,
            "git log -p through gongshi textconv", marked(p.stdout + p.stderr))
    r.ok("git log -p of %d files through gongshi textconv" % len(few))


GONGSHI_TEXTCONV = "'%s' textconv" % gatelib.GONGSHI


def marked(out):
    """The markers in out, for a failure's message."""
    found, i = [], out.find(b"PRIVMARK")
    while i >= 0 and len(found) < 5:
        found.append(out[i:i + 13].decode(errors="replace"))
        i = out.find(b"PRIVMARK", i + 1)
    return "markers %s" % found if found else "no marker"


if __name__ == "__main__":
    sys.exit(main())
