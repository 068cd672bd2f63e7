#!/usr/bin/env python3
"""What a one-record commit changes in the search index (issue #22), on the
demo record (tests/tools/demo-repo.py):

- renaming an organization that holds an award changes, under search/,
  exactly the term shards of the terms its old name had and its new name
  has not (or the other way round), and the document shards of the
  documents that show the name: the organization's, its awards',
  revocations' and objections';
- adding an organization changes exactly the term shards of every term of
  its document and the document shard of its key;
- after each, the rebuild equals a clean build of the same commit, file
  for file (the publication log, home page and SHA256SUMS aside).

The terms and shards are computed here, from search.h's documentation (the
tokenizer, FNV-1a, "fnv1a32(term) % nterm_shards"), never read from the
site, and the rebuild's --changes is compared with them: a writer that
rewrote every shard, or numbered documents by position, fails.

Usage: test_search_shards.py GONGSHI.  The last line is
"search-shards: N passed, M failed".
"""
import glob
import json
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
SDE = "1780000000"
TERM_MAX = 40    # SEARCH_TERM_MAX
DIGITS_MAX = 8   # SEARCH_DIGITS_MAX

results = []


def test(fn):
    results.append(fn)
    return fn


# ---- search.h, again: the index side of the tokenizer and the hash ----

def fold(c):
    o = ord(c)
    if 0xFF01 <= o <= 0xFF5E:
        o -= 0xFEE0
    elif o == 0x3000:
        o = 0x20
    if ord("A") <= o <= ord("Z"):
        o += 32
    return chr(o)


def kind(c):
    o = ord(c)
    if "a" <= c <= "z" or "0" <= c <= "9":
        return "alnum"
    if c == "-":
        return "hyphen"
    if o < 0x2E80 or 0x3000 <= o <= 0x303F or 0xFE10 <= o <= 0xFE6F or 0xFF00 <= o <= 0xFFFF:
        return "sep"
    return "cjk"


def prefixes(w, out):
    w = w[:TERM_MAX]
    if len(w) == 1:
        out.add(w)
    elif w.isdigit() and len(w) <= DIGITS_MAX:
        out.update(w[i:j] for i in range(len(w)) for j in range(i + 2, len(w) + 1))
    else:
        out.update(w[:i] for i in range(2, len(w) + 1) if w[i - 1] != "-")


def ascii_run(w, out):
    prefixes(w, out)
    if "-" in w:
        for part in w.split("-"):
            prefixes(part, out)


def terms(text):
    """Every term a document holding text is found by."""
    out = set()
    run, cjk = "", ""
    for c in [fold(c) for c in text] + [" "]:
        k = kind(c)
        if k != "cjk" and cjk:
            out.update(cjk)
            out.update(cjk[i:i + 2] for i in range(len(cjk) - 1))
            cjk = ""
        if k == "cjk":
            cjk += c
        if k in ("alnum", "hyphen") and (run or k == "alnum"):
            if k == "hyphen" and run.endswith("-"):  # two hyphens separate
                ascii_run(run[:-1], out)
                run = ""
            elif len(run) < TERM_MAX:
                run += c
            continue
        if run.rstrip("-"):
            ascii_run(run.rstrip("-"), out)
        run = ""
    return out


def fnv1a(s):
    h = 2166136261
    for b in s.encode("utf-8"):
        h = ((h ^ b) * 16777619) & 0xFFFFFFFF
    return h


def cases_agree():
    """The reimplementation above on the table both real tokenizers are
    tested on (its index cases), so that a wrong expectation here is not
    taken for the generator's fault."""
    with open(os.path.join(ROOT, "tests", "unit", "search-cases.txt"), encoding="utf-8") as f:
        for line in f:
            parts = line.rstrip("\n").split("\t")
            if len(parts) == 3 and parts[0] == "index":
                want = set(parts[2].split())
                assert terms(parts[1]) == want, "tokenizer of this test: %r gives %s, not %s" % (
                    parts[1], sorted(terms(parts[1])), sorted(want))


# ---- the demo, builds, shards ----

def git(repo, *args):
    env = dict(os.environ, GIT_AUTHOR_NAME="Office", GIT_AUTHOR_EMAIL="office@example.gov.cn",
               GIT_COMMITTER_NAME="Office", GIT_COMMITTER_EMAIL="office@example.gov.cn",
               GIT_AUTHOR_DATE="2026-11-01T10:00:00+08:00", GIT_COMMITTER_DATE="2026-11-01T10:00:00+08:00")
    return subprocess.run(["git", "-C", repo] + list(args), check=True, env=env, capture_output=True,
                          text=True).stdout.strip()


def build(repo, out):
    changes = out + ".changes"
    r = subprocess.run(WRAP + [GONGSHI, "-C", repo, "build", "-o", out, "-j", "2", "--changes", changes],
                       env=dict(os.environ, SOURCE_DATE_EPOCH=SDE), capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    with open(changes, encoding="utf-8") as f:
        return set(f.read().splitlines())


def files(site):
    out = {}
    for base, _, names in os.walk(site):
        for n in names:
            full = os.path.join(base, n)
            with open(full, "rb") as f:
                out[os.path.relpath(full, site)] = f.read()
    return out


def same_as_clean(repo, site, tmp):
    clean = os.path.join(tmp, "clean")
    build(repo, clean)
    a, b = files(site), files(clean)
    skip = {"publication-log.json", "SHA256SUMS", "index.html"}
    diff = sorted(p for p in set(a) | set(b) if p not in skip and a.get(p) != b.get(p))
    assert not diff, "rebuild differs from a clean build: %s" % diff[:10]


def shard_counts(site):
    """The term and document shard counts the search page gives its script."""
    with open(os.path.join(site, "search", "index.html"), encoding="utf-8") as f:
        page = f.read()
    t = re.search(r'data-terms="(\d+)"', page)
    d = re.search(r'data-docs="(\d+)"', page)
    assert t and d, "search/index.html gives no shard counts"
    return int(t.group(1)), int(d.group(1))


def shard_files(site, nterms, ndocs, term_list, keys):
    """The files under search/ of term_list and keys, as --changes names them."""
    out = {"M search/t/%03x.json" % (fnv1a(t) % nterms) for t in term_list}
    out |= {"M search/d/%03x.json" % (fnv1a(k) % ndocs) for k in keys}
    # each shard named must exist: else the hash or the count is not the site's
    for line in out:
        assert os.path.exists(os.path.join(site, line[2:])), "no %s in the site" % line[2:]
    return out


def searched(changes):
    return {line for line in changes if line[2:].startswith("search/")}


def load(path):
    with open(path, encoding="utf-8") as f:
        return json.load(f)


DEMO = []


def demo(tmp):
    if not DEMO:
        DEMO.append(tempfile.mkdtemp())
        subprocess.run([sys.executable, os.path.join(ROOT, "tests", "tools", "demo-repo.py"),
                        os.path.join(DEMO[0], "demo")], check=True, capture_output=True)
    repo = os.path.join(tmp, "demo")
    shutil.copytree(os.path.join(DEMO[0], "demo"), repo, symlinks=True)
    return repo


def credit_code(first17):
    """first17 and its check character (GB 32100-2015), as check wants."""
    chars = "0123456789ABCDEFGHJKLMNPQRTUWXY"
    total = sum(chars.index(c) * pow(3, i, 31) for i, c in enumerate(first17))
    return first17 + chars[(31 - total % 31) % 31]


def org_with_award(repo):
    """The first organization (by id) holding an award: its id, and the keys
    of the documents that show its name."""
    apps = [load(p) for p in sorted(glob.glob(os.path.join(repo, "data", "applications", "*.json")))]
    awarded = sorted({a["organization"] for a in apps
                      if a.get("organization") and (a.get("result") or {}).get("certificate")})
    assert awarded, "the demo has no award"
    org = awarded[0]
    mine = {a["id"] for a in apps if a.get("organization") == org}
    keys = {"o" + org} | {"a" + a["result"]["certificate"] for a in apps
                          if a["id"] in mine and (a.get("result") or {}).get("certificate")}
    for kind, letter in (("revocations", "v"), ("objections", "b")):
        for p in glob.glob(os.path.join(repo, "data", kind, "*.json")):
            x = load(p)
            if x.get("application") in mine:
                keys.add(letter + x["id"])
    return org, keys


@test
def tokenizer_of_this_test_agrees_with_the_table():
    cases_agree()


@test
def renamed_organization_changes_its_shards_only():
    with tempfile.TemporaryDirectory() as tmp:
        repo = demo(tmp)
        site = os.path.join(tmp, "site")
        build(repo, site)
        counts = shard_counts(site)
        org, keys = org_with_award(repo)
        path = os.path.join(repo, "data", "organizations", org + ".json")
        rec = load(path)
        old = rec["name"]
        # two characters of the middle replaced: bigrams and characters go
        # and come, the rest of the name stays
        new = old[:2] + "示范" + old[4:]
        assert new != old
        rec["name"] = new
        with open(path, "w", encoding="utf-8") as f:
            json.dump(rec, f, ensure_ascii=False, indent=2)
            f.write("\n")
        git(repo, "commit", "-qam", "更名：" + new)
        got = searched(build(repo, site))
        assert shard_counts(site) == counts, "shard counts changed: %s to %s" % (counts, shard_counts(site))
        # a term in one name only: the award's document (the name its
        # title, weight 3, no other field of weight 3 holding Chinese) had
        # it and has it no more, or the other way round
        gone_or_new = terms(old) ^ terms(new)
        assert gone_or_new
        want = shard_files(site, counts[0], counts[1], gone_or_new, keys)
        assert got == want, "unexpected: %s; missing: %s" % (sorted(got - want), sorted(want - got))
        same_as_clean(repo, site, tmp)


@test
def new_organization_changes_its_shards_only():
    with tempfile.TemporaryDirectory() as tmp:
        repo = demo(tmp)
        site = os.path.join(tmp, "site")
        build(repo, site)
        counts = shard_counts(site)
        org = credit_code("91620103MA7T5E8Q0")
        rec = {"$schema": "../schema/organization.schema.json", "id": org,
               "name": "兰州示例测绘地理信息有限公司", "kind": "enterprise", "established": "2019-04-01",
               "district": "七里河区", "industry": "测绘地理信息服务"}
        with open(os.path.join(repo, "data", "organizations", org + ".json"), "w", encoding="utf-8") as f:
            json.dump(rec, f, ensure_ascii=False, indent=2)
            f.write("\n")
        git(repo, "add", "data/organizations/%s.json" % org)
        git(repo, "commit", "-qm", "登记：" + rec["name"])
        got = searched(build(repo, site))
        assert shard_counts(site) == counts, "shard counts changed: %s to %s" % (counts, shard_counts(site))
        # every field search.c indexes for an organization (name, former
        # names, id, district, industry): each of its terms gains a posting
        mine = set()
        for field in ("name", "id", "district", "industry"):
            mine |= terms(rec[field])
        want = shard_files(site, counts[0], counts[1], mine, {"o" + org})
        assert got == want, "unexpected: %s; missing: %s" % (sorted(got - want), sorted(want - got))
        same_as_clean(repo, site, tmp)


def main():
    if not os.access(GONGSHI, os.X_OK):
        print("search-shards: %s is not built" % GONGSHI)
        print("search-shards: 0 passed, 1 failed")
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
    print("search-shards: %d passed, %d failed" % (passed, failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
