#!/usr/bin/env python3
"""The audit trail, on git repositories with scripted histories.

Usage: test_history.py GONGSHI   (UPDATE=1 rewrites the golden files)

One repository is scripted once, with fixed authors and dates, so its
commit ids never change: the small fixture published without its
revocation, a notice amended twice after publication, a candidate
removed after an upheld objection, a revocation, a notice published in
error and withdrawn, a record moved to a folder, and an objector's
private phone corrected.  The last line is "history: N passed, M failed".
"""
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
SMALL = os.path.join(ROOT, "tests", "fixtures", "small")
GOLDEN = os.path.join(HERE, "golden")
GONGSHI = os.path.abspath(sys.argv[1]) if len(sys.argv) > 1 else os.path.join(ROOT, "build", "gongshi")
WRAP = os.environ.get("GONGSHI_WRAPPER", "").split()
SDE = "1735603200"  # 2024-12-31 in China
PHONE_OLD, PHONE_NEW = "PRIVOLD13800000001", "PRIVNEW13900000002"

tests = []


def test(fn):
    tests.append(fn)
    return fn


def git(repo, *args, date="2024-01-01T09:00:00+08:00", author="测试办公室"):
    env = dict(os.environ, GIT_AUTHOR_NAME=author, GIT_AUTHOR_EMAIL="office@example.org",
               GIT_COMMITTER_NAME=author, GIT_COMMITTER_EMAIL="office@example.org",
               GIT_AUTHOR_DATE=date, GIT_COMMITTER_DATE=date)
    return subprocess.run(["git", "-C", repo] + list(args), check=True, env=env, capture_output=True,
                          text=True).stdout.strip()


def edit(repo, path, fn):
    p = os.path.join(repo, path)
    doc = json.load(open(p, encoding="utf-8"))
    fn(doc)
    with open(p, "w", encoding="utf-8") as f:
        f.write(json.dumps(doc, ensure_ascii=False, indent=2) + "\n")


def commit(repo, date, message):
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", message, date=date + "T10:00:00+08:00")
    return git(repo, "rev-parse", "HEAD")


def scripted(tmp):
    """The scripted history; returns (repo, {name: commit id})."""
    repo = os.path.join(tmp, "repo")
    shutil.copytree(SMALL, repo)
    ids = {}
    # first published without the revocation, with a wrong title and period
    held = {}
    for p in ("data/revocations/lhasa-2024-riguang.json", "data/notices/lhasa-2022-revocation.json"):
        held[p] = open(os.path.join(repo, p), encoding="utf-8").read()
        os.remove(os.path.join(repo, p))
    good = json.load(open(os.path.join(repo, "data/notices/lhasa-2024-proposed.json"), encoding="utf-8"))
    edit(repo, "data/notices/lhasa-2024-proposed.json",
         lambda d: (d.update(title=d["title"].replace("公示", "公式")), d["period"].update(end="2024-11-22")))
    edit(repo, "data/objections/lanzhou-2023-baihe.json", lambda d: d["private"].update(phone=PHONE_OLD))
    git(repo, "init", "-q", "-b", "main")
    ids["initial"] = commit(repo, "2024-01-05", "初始发布")
    edit(repo, "data/notices/lhasa-2024-proposed.json", lambda d: d.update(title=good["title"]))
    ids["amend1"] = commit(repo, "2024-11-15", "更正公示标题中的错字")
    edit(repo, "data/notices/lhasa-2024-proposed.json", lambda d: d["period"].update(end=good["period"]["end"]))
    ids["amend2"] = commit(repo, "2024-11-16", "更正公示期截止日期")
    # a candidate removed after an upheld objection (in the Lanzhou round)
    edit(repo, "data/objections/lanzhou-2023-jinggong.json",
         lambda d: d.update(outcome="upheld", decision="经复核，异议成立，取消其提名。"))
    edit(repo, "data/notices/lanzhou-2023-proposed.json",
         lambda d: d.update(entries=[e for e in d["entries"] if e["application"] != "lanzhou-2023-jinggong"]))
    edit(repo, "data/applications/lanzhou-2023-jinggong.json",
         lambda d: d.update(result={"outcome": "not_awarded", "date": "2024-07-16"}))
    ids["upheld"] = commit(repo, "2024-07-02", "异议成立，取消兰州陇原精工提名")
    # the revocation and its notice
    for p, text in held.items():
        with open(os.path.join(repo, p), "w", encoding="utf-8") as f:
            f.write(text)
    ids["revocation"] = commit(repo, "2024-06-19", "撤销拉萨日光城藏药2022年度质量奖")
    # a notice published in error, then withdrawn
    draft = json.load(open(os.path.join(repo, "data/notices/lhasa-2024-result.json"), encoding="utf-8"))
    draft["id"] = "lhasa-2024-result-draft"
    draft["title"] = "（草稿）" + draft["title"]
    with open(os.path.join(repo, "data/notices/lhasa-2024-result-draft.json"), "w", encoding="utf-8") as f:
        f.write(json.dumps(draft, ensure_ascii=False, indent=2) + "\n")
    ids["draft"] = commit(repo, "2024-12-09", "误发获奖公告草稿")
    os.remove(os.path.join(repo, "data/notices/lhasa-2024-result-draft.json"))
    ids["withdraw"] = commit(repo, "2024-12-10", "撤回误发的草稿")
    # a record moved into a folder: one history, followed by its id
    os.makedirs(os.path.join(repo, "data/rounds/lhasa"))
    os.rename(os.path.join(repo, "data/rounds/lhasa-2022.json"), os.path.join(repo, "data/rounds/lhasa/lhasa-2022.json"))
    ids["move"] = commit(repo, "2024-12-11", "按项目整理届次文件夹")
    # an objector's private phone corrected
    edit(repo, "data/objections/lanzhou-2023-baihe.json", lambda d: d["private"].update(phone=PHONE_NEW))
    ids["private"] = commit(repo, "2024-12-12", "更正异议人联系电话")
    return repo, ids


def build(repo, out, *args, check=True):
    p = subprocess.run(WRAP + [GONGSHI, "-C", repo, "build", "-q", "-o", out] + list(args),
                       capture_output=True, env=dict(os.environ, SOURCE_DATE_EPOCH=SDE), timeout=600)
    if check and p.returncode:
        raise AssertionError("build failed (%d): %s" % (p.returncode, p.stderr.decode()))
    return p


def read(out, path):
    return open(os.path.join(out, path), encoding="utf-8").read()


def text_of(html):
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


_cache = {}


def site():
    """The scripted repository and its site, built once for the tests."""
    if not _cache:
        tmp = tempfile.mkdtemp(prefix="gongshi-history-")
        repo, ids = scripted(tmp)
        out = os.path.join(tmp, "site")
        build(repo, out)
        _cache.update(tmp=tmp, repo=repo, ids=ids, out=out)
    return _cache


GOLDEN_PAGES = [
    "notices/lhasa-2024-proposed/index.html",
    "notices/lanzhou-2023-proposed/index.html",
    "notices/lhasa-2024-result-draft/index.html",
    "rounds/lhasa-2022/index.html",
    "revocations/lhasa-2024-riguang/index.html",
    "objections/lanzhou-2023-baihe/index.html",
    "changes/index.html",
]


@test
def golden_pages():
    """The pages of the scripted history, byte for byte (tests/history/golden/)."""
    s = site()
    for p in GOLDEN_PAGES:
        got = read(s["out"], p)
        g = os.path.join(GOLDEN, p)
        if os.environ.get("UPDATE"):
            os.makedirs(os.path.dirname(g), exist_ok=True)
            open(g, "w", encoding="utf-8").write(got)
            continue
        assert got == open(g, encoding="utf-8").read(), "%s differs from its golden file" % p


@test
def notice_amended_twice():
    """Both amendments are listed on the notice, and each version keeps its own page."""
    s = site()
    t = text_of(read(s["out"], "notices/lhasa-2024-proposed/index.html"))
    assert "本公告发布后已更正2次" in t, t[:300]
    assert "公示期·截止日期： 2024年11月22日 → 2024年11月23日" in t, t
    for k in ("initial", "amend1", "amend2"):
        v = "notices/lhasa-2024-proposed/v/%s/index.html" % s["ids"][k]
        assert os.path.isfile(os.path.join(s["out"], v)), v
    first = text_of(read(s["out"], "notices/lhasa-2024-proposed/v/%s/index.html" % s["ids"]["initial"]))
    assert "公式" in first and "历史版本" in first, first[:400]
    last = text_of(read(s["out"], "notices/lhasa-2024-proposed/v/%s/index.html" % s["ids"]["amend2"]))
    assert "现行版本" in last


@test
def candidate_removed_after_upheld_objection():
    s = site()
    t = text_of(read(s["out"], "notices/lanzhou-2023-proposed/index.html"))
    assert "名单（兰州陇原精工石化装备有限公司）" in t and "已更正1次" in t, t[-1500:]
    t = text_of(read(s["out"], "objections/lanzhou-2023-jinggong/index.html"))
    assert "结果： 异议不成立 → 异议成立" in t, t[-800:]


@test
def revocation_history():
    s = site()
    t = text_of(read(s["out"], "revocations/lhasa-2024-riguang/index.html"))
    assert "撤销拉萨日光城藏药2022年度质量奖" in t and "发布" in t, t[-600:]
    assert s["ids"]["revocation"][:7] in t


@test
def withdrawn_record_keeps_its_url():
    s = site()
    t = text_of(read(s["out"], "notices/lhasa-2024-result-draft/index.html"))
    assert "已撤回" in t and s["ids"]["withdraw"][:7] in t and "（草稿）" in t, t[:600]


@test
def moved_record_has_one_history():
    s = site()
    t = text_of(read(s["out"], "rounds/lhasa-2022/index.html"))
    assert "移动" in t and "初始发布" in t, t[-800:]
    assert t.count("按项目整理届次文件夹") == 1


@test
def private_change_shown_without_values():
    """The private phone's change is named, never shown, anywhere in the output."""
    s = site()
    t = text_of(read(s["out"], "objections/lanzhou-2023-baihe/index.html"))
    assert "非公开信息有变更" in t, t[-600:]
    for base, dirs, files in os.walk(s["out"]):
        for f in files:
            data = open(os.path.join(base, f), "rb").read()
            for m in (PHONE_OLD, PHONE_NEW):
                assert m.encode() not in data, "%s leaks %s" % (os.path.join(base, f), m)
    cache = os.path.join(os.path.dirname(s["out"]), ".site.cache", "history.bin")
    data = open(cache, "rb").read()
    assert PHONE_OLD.encode() not in data and PHONE_NEW.encode() not in data, "the cache holds private values"


@test
def rewrite_refused_then_accepted():
    s = site()
    with tempfile.TemporaryDirectory() as tmp:
        repo = os.path.join(tmp, "repo")
        shutil.copytree(s["repo"], repo)
        out = os.path.join(tmp, "site")
        build(repo, out)
        before = {f: open(os.path.join(b, f), "rb").read() for b, d, fs in os.walk(out) for f in fs}
        git(repo, "reset", "-q", "--hard", s["ids"]["withdraw"])
        edit(repo, "data/notices/lhasa-2024-proposed.json", lambda d: d.update(body=d["body"] + "（改写）"))
        commit(repo, "2024-12-20", "改写后的历史")
        p = build(repo, out, check=False)
        assert p.returncode == 1 and b"rewritten" in p.stderr, (p.returncode, p.stderr)
        after = {f: open(os.path.join(b, f), "rb").read() for b, d, fs in os.walk(out) for f in fs}
        assert before == after, "a refused build changed the site"
        build(repo, out, "--allow-rewrite")
        t = text_of(read(out, "index.html"))
        assert "历史记录被改写" in t and s["ids"]["private"] in t, t[:800]
        log = json.loads(read(out, "publication-log.json"))
        assert len(log) == 2 and log[1]["rewrite_of"] == s["ids"]["private"], log


@test
def shallow_clone_says_where_history_begins():
    s = site()
    with tempfile.TemporaryDirectory() as tmp:
        shallow = os.path.join(tmp, "shallow")
        subprocess.run(["git", "clone", "-q", "--depth", "3", "file://" + s["repo"], shallow], check=True,
                       capture_output=True)
        out = os.path.join(tmp, "site")
        build(shallow, out)
        t = text_of(read(out, "changes/index.html"))
        assert "浅克隆" in t, t[:600]
        t = text_of(read(out, "objections/lanzhou-2023-baihe/index.html"))
        assert "浅克隆" in t and "更正异议人联系电话" in t, t[-800:]
        # the cut is not shown as everything being published at once
        assert "初始发布" not in text_of(read(out, "changes/index.html"))


@test
def shallow_clone_refused_over_a_longer_history():
    """A shallow clone never publishes over a site with more history, whatever its depth, even with
    --allow-rewrite; it says how to fetch the history, and --allow-shallow is the separate decision."""
    s = site()
    with tempfile.TemporaryDirectory() as tmp:
        out = os.path.join(tmp, "site")
        build(s["repo"], out)
        before = tree(out)
        for depth in ("1", "2", "3"):
            shallow = os.path.join(tmp, "shallow" + depth)
            subprocess.run(["git", "clone", "-q", "--depth", depth, "file://" + s["repo"], shallow], check=True,
                           capture_output=True)
            for extra in ([], ["--allow-rewrite"]):
                p = build(shallow, out, *extra, check=False)
                err = p.stderr.decode()
                assert p.returncode == 2 and "shallow clone" in err and "fetch --unshallow" in err \
                    and "rewritten" not in err, (depth, extra, p.returncode, err)
                assert tree(out) == before, "a refused build changed the site"
        # the separate decision: published, and the log says where its history begins
        build(shallow, out, "--allow-shallow")
        log = json.loads(read(out, "publication-log.json"))
        assert len(log) == 2 and "shallow_boundary" in log[1], log
        # a shallow clone reaching back as far may publish; one reaching less far may not
        build(shallow, out)
        p = build(os.path.join(tmp, "shallow1"), out, check=False)
        assert p.returncode == 2 and "reaching back to commit" in p.stderr.decode(), p.stderr
        # the whole history fetched: the whole site again, from the history, not from a cut cache
        git(shallow, "fetch", "-q", "--unshallow")
        build(shallow, out)
        assert "浅克隆" not in text_of(read(out, "changes/index.html"))
        assert len(tree(out)) == len(before)


@test
def rebuild_reads_only_new_commits():
    """After one more commit, a rebuild walks that commit alone, and its site is a clean build's."""
    s = site()
    with tempfile.TemporaryDirectory() as tmp:
        repo = os.path.join(tmp, "repo")
        shutil.copytree(s["repo"], repo)
        a, b = os.path.join(tmp, "a"), os.path.join(tmp, "b")
        build(repo, a)
        shutil.copytree(a, b)
        edit(repo, "data/notices/lhasa-2024-result.json", lambda d: d.update(body=d["body"] + "特此公告。"))
        commit(repo, "2024-12-30", "补充公告结尾")
        p = subprocess.run(WRAP + [GONGSHI, "-C", repo, "build", "-o", a], capture_output=True, text=True,
                           env=dict(os.environ, SOURCE_DATE_EPOCH=SDE))
        assert p.returncode == 0 and "(1 read now)" in p.stdout, p.stdout + p.stderr
        # a clean build: no cache, into the same previous site
        shutil.rmtree(os.path.join(tmp, ".b.cache"), ignore_errors=True)
        build(repo, b)
        ta = {os.path.relpath(os.path.join(x, f), a): open(os.path.join(x, f), "rb").read()
              for x, d, fs in os.walk(a) for f in fs}
        tb = {os.path.relpath(os.path.join(x, f), b): open(os.path.join(x, f), "rb").read()
              for x, d, fs in os.walk(b) for f in fs}
        assert ta == tb, "differ: %s" % [k for k in set(ta) | set(tb) if ta.get(k) != tb.get(k)][:5]


@test
def content_only_commits_in_the_change_log():
    """A commit that touches only content/ (the site's settings, an announcement) is a published
    change: the change log lists it, its page says what changed in words, and a rebuild with the
    cache reads it alone and gives a clean build's site (issue #20)."""
    s = site()
    with tempfile.TemporaryDirectory() as tmp:
        repo = os.path.join(tmp, "repo")
        shutil.copytree(s["repo"], repo)
        a, b = os.path.join(tmp, "a"), os.path.join(tmp, "b")
        build(repo, a)
        shutil.copytree(a, b)
        old = json.load(open(os.path.join(repo, "content/site.json"), encoding="utf-8"))["name"]
        edit(repo, "content/site.json", lambda d: d.update(name=d["name"] + "（新）"))
        os.makedirs(os.path.join(repo, "content/announcements"), exist_ok=True)
        with open(os.path.join(repo, "content/announcements/2024-12-30-closing.md"), "w", encoding="utf-8") as f:
            f.write("# 年末公告\n\n本年度评选工作结束。\n")
        c = commit(repo, "2024-12-30", "更新网站名称，发布年末公告")
        out = rebuild_and_clean(tmp, repo, a, b)
        assert "(1 read now)" in out, out
        log = read(a, "changes/index.html")
        item = re.search(r"changes/%s/index.html\"><code.*?</ul>" % c, log, re.S)
        assert item, "the change log does not list %s" % c[:7]
        assert "修改网站设置：site.json" in item.group(0), item.group(0)
        assert re.search(r"发布公告：<a href=\"[^\"]*announcements/2024-12-30-closing/index.html\">", item.group(0)), \
            item.group(0)
        page = text_of(read(a, "changes/%s/index.html" % c))
        assert "修改网站设置：site.json" in page and "名称： %s → %s（新）" % (old, old) in page, page[-600:]


def tree(out):
    return {os.path.relpath(os.path.join(x, f), out): open(os.path.join(x, f), "rb").read()
            for x, d, fs in os.walk(out) for f in fs}


def summary(repo, out):
    """Builds (with the cache beside out) and returns the summary line."""
    p = subprocess.run(WRAP + [GONGSHI, "-C", repo, "build", "-o", out], capture_output=True, text=True,
                       env=dict(os.environ, SOURCE_DATE_EPOCH=SDE))
    assert p.returncode == 0, p.stdout + p.stderr
    return p.stdout


def rebuild_and_clean(tmp, repo, a, b):
    """Rebuilds a (with its cache) and b (its cache removed): the same site; returns a's summary."""
    out = summary(repo, a)
    shutil.rmtree(os.path.join(tmp, ".b.cache"), ignore_errors=True)
    build(repo, b)
    ta, tb = tree(a), tree(b)
    assert ta == tb, "differ: %s" % [k for k in set(ta) | set(tb) if ta.get(k) != tb.get(k)][:5]
    return out


@test
def rebuild_after_merges():
    """A merge of work begun before the last build places that work among older commits: the cache
    is not used then (one walk gives the order), and the site is a clean build's.  A merge of work
    begun after it uses the cache."""
    s = site()
    with tempfile.TemporaryDirectory() as tmp:
        repo = os.path.join(tmp, "repo")
        shutil.copytree(s["repo"], repo)
        a, b = os.path.join(tmp, "a"), os.path.join(tmp, "b")
        total = int(re.search(r"with (\d+) commits of history", summary(repo, a))[1])
        shutil.copytree(a, b)
        # work begun at the first amendment, dated before the later commits, merged now
        git(repo, "checkout", "-q", "-b", "older", s["ids"]["amend1"])
        edit(repo, "data/notices/lhasa-2024-result.json", lambda d: d.update(body=d["body"] + "（分支）"))
        commit(repo, "2024-11-20", "在旧版本上修改公告")
        git(repo, "checkout", "-q", "main")
        git(repo, "merge", "-q", "--no-ff", "-m", "合并旧分支", "older", date="2024-12-31T10:00:00+08:00")
        out = rebuild_and_clean(tmp, repo, a, b)
        assert "with %d commits of history (%d read now)" % (total + 2, total + 2) in out, out
        # work begun after it: the cache serves
        git(repo, "checkout", "-q", "-b", "newer")
        edit(repo, "data/notices/lhasa-2024-result.json", lambda d: d.update(body=d["body"] + "（新分支）"))
        commit(repo, "2025-01-02", "在新版本上修改公告")
        git(repo, "checkout", "-q", "main")
        git(repo, "merge", "-q", "--no-ff", "-m", "合并新分支", "newer", date="2025-01-03T10:00:00+08:00")
        out = rebuild_and_clean(tmp, repo, a, b)
        assert "with %d commits of history (2 read now)" % (total + 4) in out, out


@test
def diff_command():
    s = site()
    ids = s["ids"]
    out = subprocess.run([GONGSHI, "-C", s["repo"], "diff", ids["initial"], ids["amend2"]], capture_output=True,
                         text=True).stdout
    assert "modified notices/lhasa-2024-proposed" in out, out
    assert "公示期.截止日期 (period.end): 2024-11-22 → 2024-11-23" in out, out
    j = json.loads(subprocess.run([GONGSHI, "-C", s["repo"], "diff", ids["amend2"], ids["private"], "--json"],
                                  capture_output=True, text=True).stdout)
    kinds = {(c["kind"], c["id"], c["status"]) for c in j["changes"]}
    assert ("rounds", "lhasa-2022", "moved") in kinds and ("revocations", "lhasa-2024-riguang", "added") in kinds, kinds
    whole = json.dumps(j, ensure_ascii=False)
    assert PHONE_OLD not in whole and PHONE_NEW not in whole and '"change": "private"' in whole


@test
def git_diff_driver():
    """git diff with gongshi textconv shows fields, never private values."""
    s = site()
    with tempfile.TemporaryDirectory() as tmp:
        repo = os.path.join(tmp, "repo")
        shutil.copytree(s["repo"], repo)
        with open(os.path.join(repo, ".gitattributes"), "w") as f:
            f.write("data/**/*.json diff=gongshi\n")
        git(repo, "config", "diff.gongshi.textconv", GONGSHI + " textconv")
        out = git(repo, "diff", s["ids"]["initial"], s["ids"]["amend2"], "--", "data/notices")
        assert "+公示期.截止日期 (period.end): 2024-11-23" in out, out
        out = git(repo, "log", "-p", s["ids"]["amend2"] + ".." + s["ids"]["private"])
        assert PHONE_NEW not in out and PHONE_OLD not in out, out
        # the private fields are named where a file appears whole, never their values
        out = git(repo, "show", s["ids"]["initial"], "--", "data/objections/lanzhou-2023-baihe.json")
        assert "+非公开信息.电话 (private.phone): (private, not shown)" in out and PHONE_OLD not in out, out


def main():
    passed = failed = 0
    only = os.environ.get("ONLY")
    try:
        for fn in tests:
            if only and fn.__name__ != only:
                continue
            try:
                fn()
                passed += 1
                print("ok   %s" % fn.__name__)
            except Exception as e:
                failed += 1
                print("FAIL %s: %s" % (fn.__name__, str(e)[:2000]))
    finally:
        if _cache:
            shutil.rmtree(_cache["tmp"], ignore_errors=True)
    print("history: %d passed, %d failed" % (passed, failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
