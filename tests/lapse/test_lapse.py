#!/usr/bin/env python3
"""Lapses are published, not frozen: time passing and the published history never block a build,
a commit that newly breaks a rule is refused unless the record carries an override, and the pages
show each lapse, its correction and the override's reason (issue 18, part 1).

The tests use the demo record's history (tests/tools/demo-repo.py), written once into a temporary
folder.  Usage: test_lapse.py GONGSHI.  The last line is "lapse: N passed, M failed".
"""
import calendar
import datetime
import json
import os
import shutil
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
GONGSHI = os.path.abspath(sys.argv[1]) if len(sys.argv) > 1 else os.path.join(ROOT, "build", "gongshi")
WRAP = os.environ.get("GONGSHI_WRAPPER", "").split()

OVERDUE = "逾期未处理：依据第二十九条应于2024年5月7日前审查完毕"
SHORT = "公示期9日，少于《办法》规定的10日（第十一条（七））"
CORRECTED = "初次发布时公示期9日，少于《办法》规定的10日（第十一条（七））；已于2025年11月17日更正"
REASON = "因系统维护，公示提前结束；已报领导小组办公室备案"

results = []
TMP = tempfile.mkdtemp(prefix="gongshi-lapse-")
DEMO = os.path.join(TMP, "demo")


def test(fn):
    results.append(fn)
    return fn


def git(repo, *args, date="2026-10-24T10:00:00+08:00"):
    env = dict(os.environ, GIT_AUTHOR_NAME="Test Office", GIT_AUTHOR_EMAIL="office@example.org",
               GIT_COMMITTER_NAME="Test Office", GIT_COMMITTER_EMAIL="office@example.org",
               GIT_AUTHOR_DATE=date, GIT_COMMITTER_DATE=date)
    return subprocess.run(["git", "-C", repo] + list(args), check=True, env=env, capture_output=True,
                          text=True).stdout.strip()


def demo():
    if not os.path.isdir(DEMO):
        subprocess.run([sys.executable, os.path.join(ROOT, "tests", "tools", "demo-repo.py"), DEMO],
                       check=True, capture_output=True)
    return DEMO


def commit_of(repo, message):
    """The demo commit whose subject starts with message."""
    for line in git(repo, "log", "--format=%H %s").splitlines():
        h, s = line.split(" ", 1)
        if s.startswith(message):
            return h
    raise AssertionError("no commit %r" % message)


def run(today, *args):
    d = datetime.date.fromisoformat(today)
    epoch = calendar.timegm(d.timetuple())
    return subprocess.run(WRAP + [GONGSHI] + list(args) + ["--today", today], capture_output=True,
                          text=True, timeout=600, env=dict(os.environ, SOURCE_DATE_EPOCH=str(epoch)))


def page(out, path):
    with open(os.path.join(out, path), encoding="utf-8") as f:
        return f.read()


def lapse_pages(out):
    """The lapses list's pages (lapses/), one text: the home page only counts them."""
    d = os.path.join(out, "lapses")
    return "".join(page(out, os.path.join("lapses", f)) for f in sorted(os.listdir(d)) if f.endswith(".html"))


@test
def aged_past_objection_deadline():
    """Received 2024-04-26, 5 working days (第二十九条): overdue on 2024-05-08, with no commit."""
    repo = demo()
    rev = commit_of(repo, "收到异议：兰州陇上百合食品有限公司")
    out = os.path.join(TMP, "aged")
    p = run("2024-05-08", "-C", repo, "build", "-q", "--rev", rev, "-o", out)
    assert p.returncode == 0, (p.returncode, p.stderr)
    for path in ("objections/lanzhou-2023-baihe/index.html", "notices/lanzhou-2023-acceptance/index.html",
                 "rounds/lanzhou-2023/index.html", "lapses/2024-05.html", "feed.xml", "programs/lanzhou/feed.xml"):
        assert OVERDUE in page(out, path), path
    # the home page counts it and links the list, which links the objection
    home = page(out, "index.html")
    assert "逾期未处理的异议1件" in home and 'href="lapses/index.html"' in home and OVERDUE not in home, home
    assert 'href="../objections/lanzhou-2023-baihe/index.html"' in page(out, "lapses/2024-05.html")
    # another program's pages do not carry it
    assert OVERDUE not in page(out, "rounds/lhasa-2023/index.html")
    p = run("2024-05-08", "-C", repo, "check", "--rev", rev)
    lines = p.stdout.splitlines()
    assert any(l.startswith("data/objections/lanzhou-2023-baihe.json:") and "error: undecided and overdue"
               in l and l.endswith("[objection-overdue]") for l in lines), p.stdout
    assert any("[objection-overdue] an error of the record, not of %s" % rev[:7] in l and "time passed" in l
               for l in lines), p.stdout
    assert "1 error" in p.stdout and p.returncode == 0, (p.returncode, p.stdout)
    # the same record a day earlier: nothing overdue, nothing shown
    p = run("2024-05-07", "-C", repo, "build", "-q", "--rev", rev, "-o", os.path.join(TMP, "aged-0"))
    assert p.returncode == 0, p.stderr
    assert "逾期" not in page(os.path.join(TMP, "aged-0"), "index.html")


@test
def lapse_published_then_corrected():
    """lhasa-2025-proposed: published with a 9-day 公示 (第十一条（七） requires 10), corrected 3 days later."""
    repo = demo()
    lapse = commit_of(repo, "发布：2025年度拉萨市政府质量奖及质量管理优秀奖拟表彰名单公式")
    typo = commit_of(repo, "更正公示标题中的错字")
    fixed = commit_of(repo, "更正公示期")
    out = os.path.join(TMP, "history")
    # the commit that brought the lapse: new in it, refused as before
    p = run("2025-11-14", "-C", repo, "build", "-q", "--rev", lapse, "-o", out)
    assert p.returncode == 1 and "[notice-period]" in p.stderr and "nothing was written" in p.stderr, \
        (p.returncode, p.stderr)
    # the next commit keeps it: already in the history, so it is published, and shown
    p = run("2025-11-15", "-C", repo, "build", "-q", "--rev", typo, "-o", out)
    assert p.returncode == 0, (p.returncode, p.stderr)
    for path in ("notices/lhasa-2025-proposed/index.html", "rounds/lhasa-2025/index.html", "feed.xml"):
        assert SHORT in page(out, path), path
    assert SHORT in lapse_pages(out)
    assert "公示期不符合规定的公示1项" in page(out, "index.html")
    p = run("2025-11-15", "-C", repo, "check", "--rev", typo)
    assert p.returncode == 0 and "[notice-period] an error of the record, not of %s: already in its parent" \
        % typo[:7] in p.stdout, (p.returncode, p.stdout)
    # the correction: the lapse is gone from the record, and its history tells it
    p = run("2025-11-17", "-C", repo, "build", "-q", "--rev", fixed, "-o", out)
    assert p.returncode == 0, (p.returncode, p.stderr)
    notice = page(out, "notices/lhasa-2025-proposed/index.html")
    assert CORRECTED in notice, notice
    assert SHORT + "<" not in notice.replace(CORRECTED, "")
    assert SHORT not in page(out, "index.html") and SHORT not in lapse_pages(out)
    assert "未依规定办理的事项" not in page(out, "index.html")
    # and so does every later build
    p = run("2026-10-24", "-C", repo, "build", "-q", "-o", out)
    assert p.returncode == 0, p.stderr
    assert CORRECTED in page(out, "notices/lhasa-2025-proposed/index.html")


@test
def new_violation_refused_then_overridden():
    repo = os.path.join(TMP, "office")
    shutil.rmtree(repo, ignore_errors=True)
    subprocess.run(["git", "clone", "-q", demo(), repo], check=True)
    path = os.path.join(repo, "data", "notices", "lanzhou-2026-acceptance.json")
    with open(path, encoding="utf-8") as f:
        doc = json.load(f)
    doc["period"]["end"] = "2026-08-12"  # 3 working days; 第十五条 requires 5
    with open(path, "w", encoding="utf-8") as f:
        f.write(json.dumps(doc, ensure_ascii=False, indent=2) + "\n")
    git(repo, "commit", "-q", "-am", "公示期改为3个工作日")
    out = os.path.join(TMP, "office-site")
    p = run("2026-10-24", "-C", repo, "build", "-q", "-o", out)
    assert p.returncode == 1 and "[notice-period]" in p.stderr and "nothing was written" in p.stderr, \
        (p.returncode, p.stderr)
    assert not os.path.exists(out)
    p = run("2026-10-24", "-C", repo, "check")
    assert p.returncode == 1 and "[notice-period] new in %s" % git(repo, "rev-parse", "--short=7", "HEAD") \
        in p.stdout, p.stdout
    # the same commit, with the override recorded in the file that breaks the rule
    doc["lapses"] = [{"rule": "notice-period", "reason": REASON}]
    with open(path, "w", encoding="utf-8") as f:
        f.write(json.dumps(doc, ensure_ascii=False, indent=2) + "\n")
    git(repo, "commit", "-q", "--amend", "-am", "公示期改为3个工作日（已说明）")
    p = run("2026-10-24", "-C", repo, "check")
    assert p.returncode == 0 and "overridden at data/notices/lanzhou-2026-acceptance.json:" in p.stdout, \
        (p.returncode, p.stdout)
    p = run("2026-10-24", "-C", repo, "build", "-q", "-o", out)
    assert p.returncode == 0, (p.returncode, p.stderr)
    notice = page(out, "notices/lanzhou-2026-acceptance/index.html")
    assert "公示期3个工作日，少于《办法》规定的5个工作日（第十五条）。发布机关说明：" + REASON in notice, notice
    # an override of another rule does not let it through
    doc["lapses"] = [{"rule": "objection-window", "reason": REASON}]
    with open(path, "w", encoding="utf-8") as f:
        f.write(json.dumps(doc, ensure_ascii=False, indent=2) + "\n")
    git(repo, "commit", "-q", "--amend", "-am", "公示期改为3个工作日（说明有误）")
    p = run("2026-10-24", "-C", repo, "build", "-q", "-o", out)
    assert p.returncode == 1 and "[notice-period]" in p.stderr, (p.returncode, p.stderr)


@test
def later_commit_does_not_hide_a_new_lapse():
    # A lapse is new until it is published: a commit made on top of the
    # refused one does not turn it into history for the site it would go to.
    repo = os.path.join(TMP, "hide")
    shutil.rmtree(repo, ignore_errors=True)
    subprocess.run(["git", "clone", "-q", demo(), repo], check=True)
    out = os.path.join(TMP, "hide-site")
    shutil.rmtree(out, ignore_errors=True)
    p = run("2026-10-24", "-C", repo, "build", "-q", "-o", out)
    assert p.returncode == 0, (p.returncode, p.stderr)
    published = git(repo, "rev-parse", "HEAD")
    path = os.path.join(repo, "data", "notices", "lanzhou-2026-acceptance.json")
    with open(path, encoding="utf-8") as f:
        doc = json.load(f)
    doc["period"]["end"] = "2026-08-12"  # 3 working days; 第十五条 requires 5
    with open(path, "w", encoding="utf-8") as f:
        f.write(json.dumps(doc, ensure_ascii=False, indent=2) + "\n")
    git(repo, "commit", "-q", "-am", "公示期改为3个工作日")
    p = run("2026-10-24", "-C", repo, "build", "-q", "-o", out)
    assert p.returncode == 1 and "[notice-period]" in p.stderr, (p.returncode, p.stderr)
    # anything committed after it
    git(repo, "commit", "-q", "--allow-empty", "-m", "另一项修改")
    p = run("2026-10-24", "-C", repo, "build", "-q", "-o", out)
    assert p.returncode == 1 and "[notice-period]" in p.stderr and "the commit last published, " + \
        published[:7] in p.stderr, (p.returncode, p.stderr)
    log = json.load(open(os.path.join(out, "publication-log.json"), encoding="utf-8"))
    assert log[-1]["commit"] == published, log[-1]


@test
def working_days_left_over_a_weekend():
    """hohhot-2024-proposed runs 7 working days, 2024-11-07 (Thu) to 11-15 (Fri): on Saturday 11-09, 5 are left."""
    out = os.path.join(TMP, "weekend")
    p = run("2024-11-09", "-C", demo(), "build", "-q", "-o", out)
    assert p.returncode == 0, p.stderr
    for path in ("notices/hohhot-2024-proposed/index.html", "index.html"):
        text = page(out, path)
        assert "公示中，还剩5个工作日（异议截止于2024年11月15日）" in text, path
        assert "还剩7天" not in text, path
    # a calendar-day period still counts calendar days: lhasa-2024 (10 days, 11-14 to 11-23)
    out = os.path.join(TMP, "days")
    p = run("2025-11-22", "-C", demo(), "build", "-q", "-o", out)
    assert p.returncode == 0, p.stderr
    assert "公示中，还剩2天（异议截止于2025年11月23日）" in page(out, "notices/lhasa-2025-proposed/index.html")


@test
def handling_deadline_beside_the_notice_deadline():
    """lanzhou-2026-acceptance (5 working days, 2026-08-10 to 08-14); objections are handled within 5 working days."""
    out = os.path.join(TMP, "handling")
    p = run("2026-08-11", "-C", demo(), "build", "-q", "-o", out)
    assert p.returncode == 0, p.stderr
    want = "异议自收到之日起5个工作日内审查处理（第二十九条）"
    for path in ("notices/lanzhou-2026-acceptance/index.html", "index.html", "rounds/lanzhou-2026/index.html"):
        text = page(out, path)
        assert "公示中，还剩4个工作日（异议截止于2026年8月14日）" in text, path
        assert want in text, path


def main():
    passed = failed = 0
    only = os.environ.get("ONLY")
    try:
        for fn in results:
            if only and only not in fn.__name__:
                continue
            try:
                fn()
                passed += 1
                print("ok   %s" % fn.__name__)
            except Exception as e:  # noqa: BLE001 - a test's failure of any kind
                failed += 1
                print("FAIL %s: %s" % (fn.__name__, str(e)[:2000]))
    finally:
        shutil.rmtree(TMP, ignore_errors=True)
    print("lapse: %d passed, %d failed" % (passed, failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
