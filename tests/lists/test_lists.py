#!/usr/bin/env python3
"""Lists a phone can open (issue #23), on a generated record with a few
thousand awards (tests/bench/synth.py, size T):

- every HTML page is at most 250 KB, and the first page (the index) of
  every list at most 100 KB;
- every award, organization, objection and revocation is reachable from
  its list's index in at most three clicks (links parsed from the pages);
- one award added changes, byte for byte, exactly these HTML pages: the
  pages of the lists it falls on and their indexes, the award's own
  page, the pages of the records the commit changed (its organization,
  its round, the notices that list it and their versions), the change
  log's, and the pages that always change (the home page, the
  downloads); the rebuild equals a clean build of the same commit.

Each page's footer names the commit that last changed what the page
shows, and a list's rows are stamped by what each row shows (issue #19):
the organization's district page and the lists of notices and
objections, which show nothing of the award, do not change.

Usage: test_lists.py GONGSHI.  The last line is "lists: N passed, M failed".
"""
import csv
import hashlib
import html.parser
import json
import os
import re
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
GONGSHI = os.path.abspath(sys.argv[1]) if len(sys.argv) > 1 else os.path.join(ROOT, "build", "gongshi")
WRAP = os.environ.get("GONGSHI_WRAPPER", "").split()
SDE = "1814284800"  # 2027-06-30 in China: after every event of the generated record
PAGE_MAX = 250 * 1024
FIRST_MAX = 100 * 1024
LISTS = ["awards", "organizations", "objections", "revocations", "notices", "rounds"]
# what is listed where: the folder of its pages, by record kind
LISTED = {"awards": "awards", "organizations": "organizations", "objections": "objections",
          "revocations": "revocations"}

results = []


def test(fn):
    results.append(fn)
    return fn


def git(repo, *args):
    env = dict(os.environ, GIT_AUTHOR_NAME="Test Office", GIT_AUTHOR_EMAIL="office@example.org",
               GIT_COMMITTER_NAME="Test Office", GIT_COMMITTER_EMAIL="office@example.org",
               GIT_AUTHOR_DATE="2027-06-01T10:00:00+08:00", GIT_COMMITTER_DATE="2027-06-01T10:00:00+08:00")
    return subprocess.run(["git", "-C", repo] + list(args), check=True, env=env, capture_output=True,
                          text=True).stdout


def build(repo, out):
    p = subprocess.run(WRAP + [GONGSHI, "-C", repo, "build", "-q", "-o", out], capture_output=True,
                       text=True, timeout=900, env=dict(os.environ, SOURCE_DATE_EPOCH=SDE, LC_ALL="C.UTF-8"))
    assert p.returncode == 0, p.stderr


class Links(html.parser.HTMLParser):
    def __init__(self):
        super().__init__()
        self.hrefs = []

    def handle_starttag(self, tag, attrs):
        if tag == "a":
            for k, v in attrs:
                if k == "href" and v:
                    self.hrefs.append(v)


def links(site, page):
    """The site's pages page links to, as paths under site."""
    p = Links()
    with open(os.path.join(site, page), encoding="utf-8") as f:
        p.feed(f.read())
    out = set()
    for h in p.hrefs:
        if "://" in h or h.startswith("#") or h.startswith("mailto:"):
            continue
        h = h.split("#")[0]
        path = os.path.normpath(os.path.join(os.path.dirname(page), h))
        if path.endswith("/") or os.path.isdir(os.path.join(site, path)):
            path = os.path.join(path, "index.html")
        if path.endswith(".html") and os.path.isfile(os.path.join(site, path)):
            out.add(path)
    return out


def within(site, start, clicks):
    """Every page reachable from start in at most clicks clicks."""
    seen = {start}
    edge = {start}
    for _ in range(clicks):
        nxt = set()
        for page in edge:
            nxt |= links(site, page) - seen
        seen |= nxt
        edge = nxt
    return seen


def html_pages(site):
    for base, _, files in os.walk(site):
        for f in files:
            if f.endswith(".html"):
                yield os.path.relpath(os.path.join(base, f), site)


def record_ids(repo, kind):
    ids = []
    for path in git(repo, "ls-tree", "-r", "--name-only", "HEAD", "data/" + kind).split():
        if path.endswith(".json"):
            ids.append(json.loads(git(repo, "show", "HEAD:" + path))["id"])
    return ids


STATE = {}


def corpus():
    """The generated record and its site, made once."""
    if not STATE:
        tmp = STATE["tmp"] = tempfile.TemporaryDirectory()
        repo = os.path.join(tmp.name, "repo")
        subprocess.run([sys.executable, os.path.join(ROOT, "tests", "bench", "synth.py"), "T", repo,
                        "--no-repack"], check=True, capture_output=True)
        site = os.path.join(tmp.name, "site")
        build(repo, site)
        STATE.update(repo=repo, site=site)
    return STATE["repo"], STATE["site"]


@test
def pages_within_bounds():
    """No HTML page over 250 KB; every list's first page under 100 KB."""
    repo, site = corpus()
    with open(os.path.join(site, "downloads", "awards.csv"), encoding="utf-8-sig") as f:
        awards = len(list(csv.reader(f))) - 1
    assert awards >= 2000, "the record should have a few thousand awards, has %d" % awards
    big = sorted((os.path.getsize(os.path.join(site, p)), p) for p in html_pages(site))
    assert big[-1][0] <= PAGE_MAX, "largest page %s: %d bytes" % (big[-1][1], big[-1][0])
    for name in LISTS + ["stats"]:
        size = os.path.getsize(os.path.join(site, name, "index.html"))
        assert size <= FIRST_MAX, "%s/index.html: %d bytes" % (name, size)


@test
def every_record_within_three_clicks():
    """Every award, organization, objection and revocation is linked within
    three clicks of its list's index."""
    repo, site = corpus()
    with open(os.path.join(site, "downloads", "awards.csv"), encoding="utf-8-sig") as f:
        want = {"awards": {row[0] for row in list(csv.reader(f))[1:]}}
    for kind in ("organizations", "objections", "revocations"):
        want[kind] = set(record_ids(repo, kind))
    for kind, ids in want.items():
        assert ids or kind == "objections", "no %s in the generated record" % kind
        section = LISTED[kind]
        reached = within(site, section + "/index.html", 3)
        missing = [i for i in ids if "%s/%s/index.html" % (section, i) not in reached]
        assert not missing, "%s not within three clicks of %s/index.html: %d, e.g. %s" % (
            kind, section, len(missing), missing[:3])


def add_award(repo):
    """A new award in the newest round of a program that has awards: an
    application copied from one of its winners, of an organization that
    applied to the program before and never won it, listed in the
    round's 拟获奖名单公示 and 获奖公告 with the same tier.  Returns the
    certificate, its year, the program, the organization, the round and
    the notices changed."""
    git(repo, "reset", "-q", "--hard")  # synth.py leaves no work tree
    files = git(repo, "ls-tree", "-r", "--name-only", "HEAD", "data/applications", "data/notices").split()
    docs = {p: json.loads(git(repo, "show", "HEAD:" + p)) for p in files}
    apps = {p: d for p, d in docs.items() if p.startswith("data/applications/")}
    won = [p for p in sorted(apps) if apps[p].get("result", {}).get("outcome") == "awarded"]
    program = apps[won[0]]["round"].rsplit("-", 1)[0]
    mine = [p for p in won if apps[p]["round"].rsplit("-", 1)[0] == program]
    model = max(mine, key=lambda p: apps[p]["round"])
    a = apps[model]
    rnd = a["round"]
    same = [x for x in apps.values() if x["round"].rsplit("-", 1)[0] == program]
    winners = {x["organization"] for x in same if x.get("result", {}).get("outcome") == "awarded"}
    in_round = {x["organization"] for x in same if x["round"] >= rnd}
    org = sorted({x["organization"] for x in same} - winners - in_round)[0]
    new = dict(a, id=a["id"] + "-new", organization=org)
    new["result"] = dict(a["result"], certificate=a["result"]["certificate"] + "-NEW")
    new.pop("private", None)
    with open(os.path.join(repo, os.path.dirname(model), new["id"] + ".json"), "w", encoding="utf-8") as f:
        json.dump(new, f, ensure_ascii=False, indent=2)
    notices = []
    for p, d in docs.items():
        if p.startswith("data/notices/") and d.get("round") == rnd and \
                any(e.get("application") == a["id"] for e in d.get("entries", [])):
            e = next(e for e in d["entries"] if e.get("application") == a["id"])
            d["entries"].append(dict(e, application=new["id"]))
            with open(os.path.join(repo, p), "w", encoding="utf-8") as f:
                json.dump(d, f, ensure_ascii=False, indent=2)
            notices.append(d["id"])
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "an award added")
    return new["result"]["certificate"], new["result"]["date"][:4], program, org, rnd, notices


def read(site, page):
    """A digest of the page, footer and all."""
    with open(os.path.join(site, page), "rb") as f:
        return hashlib.sha256(f.read()).digest()


def all_files(site):
    out = set()
    for base, _, files in os.walk(site):
        for f in files:
            out.add(os.path.relpath(os.path.join(base, f), site))
    return out


@test
def one_award_changes_its_pages_only():
    """After one award is added, exactly the pages it falls on, the
    indexes that count it, the pages of the records the commit changed
    and the pages that always change differ, byte for byte; the rebuild
    equals a clean build."""
    repo, site = corpus()
    before = {p: read(site, p) for p in all_files(site) if p.endswith(".html")}
    cert, year, program, org, rnd, notices = add_award(repo)
    head = git(repo, "rev-parse", "HEAD").strip()
    build(repo, site)  # a rebuild, as an office makes one
    after = {p: read(site, p) for p in all_files(site) if p.endswith(".html")}
    changed = {p for p in set(before) | set(after) if before.get(p) != after.get(p)}
    # the organization's page of the list: its district and first character
    row = [p for p in after if re.match(r"organizations/[^/]+-[^/]+\.html$", p) and
           ("organizations/%s/index.html" % org) in open(os.path.join(site, p), encoding="utf-8").read()]
    assert len(row) == 1, row
    newest = max((p for p in after if re.match(r"changes/page/\d+/index\.html$", p)),
                 key=lambda p: int(p.split("/")[2]))
    expect = {
        # the award's pages of its list (its year, its year and program)
        # and the index that counts it
        "awards/index.html", "awards/%s.html" % year, "awards/%s-%s.html" % (year, program),
        # the organization's row counts its applications and awards; its
        # district's page and the organizations' index count
        # organizations, and do not change
        row[0],
        # the statistics count awards: overall and in the award's year
        "stats/index.html", "stats/%s.html" % year,
        # the award's page, new, and the records the commit changed: the
        # organization (its applications), the round (its applications),
        # the notices that list it, each version's page (which lists the
        # notice's versions) and the new version's
        "awards/%s/index.html" % cert, "organizations/%s/index.html" % org, "rounds/%s/index.html" % rnd,
        # the change log: the commit's page, the log's index, its newest page
        "changes/%s/index.html" % head, "changes/index.html", newest,
        # the pages that always change: the home page names the build,
        # the downloads every record
        "index.html", "downloads/index.html",
    }
    assert notices, "the award is listed in no notice"
    for n in notices:
        expect |= {p for p in after if p.startswith("notices/%s/" % n)}
    # a link to a record is stamped by the record: the change log's pages
    # of earlier commits that link to the notices, and the pages of the
    # objections to them, name the commit, and may change
    may = {p for p in after if p.startswith("changes/")}
    for path in git(repo, "ls-tree", "-r", "--name-only", "HEAD", "data/objections").split():
        d = json.loads(git(repo, "show", "HEAD:" + path))
        if d.get("notice") in notices:
            may.add("objections/%s/index.html" % d["id"])
    assert not expect - changed and not changed - expect - may, "unexpected: %s; missing: %s" % (
        sorted(changed - expect - may), sorted(expect - changed))
    assert "awards/%s/index.html" % cert not in before
    # the rebuild is a clean build of the same commit (the home page,
    # which names each build, aside)
    clean = os.path.join(STATE["tmp"].name, "clean")
    build(repo, clean)
    diff = sorted(p for p in all_files(site) | all_files(clean)
                  if p not in ("index.html", "publication-log.json", "SHA256SUMS") and
                  (not os.path.isfile(os.path.join(clean, p)) or not os.path.isfile(os.path.join(site, p)) or
                   read(site, p) != read(clean, p)))
    assert not diff, "the rebuild differs from a clean build: %s" % diff[:10]


def add_lapses(repo, copies=15):
    """Copies of every objection, undecided long past their deadline, each
    with its override (and the awards they object to theirs): thousands
    of lapses the build publishes.  Returns the objections' ids."""
    docs = {}
    for path in git(repo, "ls-tree", "-r", "--name-only", "HEAD", "data").split():
        if "/objections/" in path or "/applications/" in path:
            docs[path] = json.loads(git(repo, "show", "HEAD:" + path))
    ids, objected = [], set()
    for path, d in docs.items():
        if "/objections/" not in path:
            continue
        for k in range(copies):
            c = {key: v for key, v in d.items() if key not in ("decided", "outcome", "decision")}
            c.update(id="%s-l%d" % (d["id"], k), status="under_review",
                     lapses=[{"rule": "objection-overdue", "reason": "测试：积压的异议"}])
            ids.append(c["id"])
            with open(os.path.join(repo, os.path.dirname(path), c["id"] + ".json"), "w", encoding="utf-8") as f:
                json.dump(c, f, ensure_ascii=False, indent=2)
        objected.add(d["application"])
    for path, d in docs.items():
        if "/applications/" in path and d["id"] in objected:
            d["lapses"] = [{"rule": "award-objection", "reason": "测试：异议未决即授奖"}]
            with open(os.path.join(repo, path), "w", encoding="utf-8") as f:
                json.dump(d, f, ensure_ascii=False, indent=2)
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "lapses added")
    return ids


@test
def many_lapses_counted_on_home_listed_in_pages():
    """Thousands of lapses (issue #20): the home page counts them and stays
    small; every lapse is on a page of lapses/ within three clicks of the
    home page, linking its objection; no page of the list is over the
    bounds, and each has its JSON beside it and is in the sitemap."""
    repo, _ = corpus()
    tmp = STATE["tmp"].name
    clone, site = os.path.join(tmp, "lapses-repo"), os.path.join(tmp, "lapses-site")
    subprocess.run(["git", "clone", "-q", repo, clone], check=True)
    ids = add_lapses(clone)
    assert len(ids) > 2000, len(ids)
    build(clone, site)
    home = os.path.join(site, "index.html")
    text = open(home, encoding="utf-8").read()
    # the lapses take a few lines of counts on the home page, whatever their number (the
    # notices whose objections are pending are listed as under review: another section)
    section = re.search(r'<section class="lapses".*?</section>', text, re.S)
    assert section and len(section.group(0).encode()) < 2048, section and len(section.group(0).encode())
    assert os.path.getsize(home) <= FIRST_MAX, os.path.getsize(home)
    assert "逾期未处理的异议" in text and 'href="lapses/index.html"' in text, text[:2000]
    assert "逾期未处理：" not in text, "the home page lists lapses"
    pages = sorted(p for p in html_pages(site) if p.startswith("lapses/"))
    assert len(pages) > 2, pages
    for p in pages:
        size = os.path.getsize(os.path.join(site, p))
        assert size <= (FIRST_MAX if p == "lapses/index.html" else PAGE_MAX), (p, size)
        assert os.path.isfile(os.path.join(site, p[:-5] + ".json")), p
    reach = within(site, "index.html", 3)
    linked = set()
    for p in pages:
        if p in reach:
            linked |= links(site, p)
    overdue = sum(open(os.path.join(site, p), encoding="utf-8").read().count("逾期未处理：") for p in pages)
    # a copy never decided is overdue where its program sets a deadline
    assert overdue > 1000, overdue
    for oid in ids:
        if ("objections/%s/index.html" % oid) not in linked:
            page = open(os.path.join(site, "objections", oid, "index.html"), encoding="utf-8").read()
            assert "逾期未处理" not in page, "%s: a lapse not reachable from the home page" % oid
    sitemap = open(os.path.join(site, "sitemap.xml"), encoding="utf-8").read() if \
        os.path.exists(os.path.join(site, "sitemap.xml")) else ""
    # the sitemap names a folder's index by the folder ("…/lapses/")
    assert not sitemap or "/lapses/</loc>" in sitemap or "sitemaps/" in sitemap, "lapses/ not in the sitemap"


def main():
    t0 = time.monotonic()
    if not os.access(GONGSHI, os.X_OK):
        print("lists: %s is not built" % GONGSHI)
        print("lists: 0 passed, 1 failed")
        return 1
    passed = failed = 0
    try:
        for fn in results:
            try:
                fn()
                print("ok   %s (%.0f s)" % (fn.__name__, time.monotonic() - t0))
                passed += 1
            except Exception as e:  # a test's failure, reported; the others still run
                print("FAIL %s: %s" % (fn.__name__, e))
                failed += 1
    finally:
        if STATE:
            STATE["tmp"].cleanup()
    print("lists: %d passed, %d failed" % (passed, failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
