#!/usr/bin/env python3
"""Writes the demo record's history: a git repository whose commits publish
data/ the way an office would, date by date, and end exactly at data/.

Usage: demo-repo.py OUT_DIR

Each record appears on the date it would have been published (a program
when its measures were issued, an application when it was submitted, a
notice when it was issued...); stage outcomes, results and decisions are
added on their own dates; and a few scripted events give the audit trail
something to show: a notice amended twice after publication, an upheld
objection, a revocation, a notice withdrawn (deleted) after it was
published in error, a record moved to another folder, and a change to an
objector's private details.  Authors and dates are fixed, so the
repository, and every commit id in it, is the same on every run.
"""
import copy
import json
import os
import shutil
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
DATA = os.path.join(ROOT, "data")
OFFICES = {
    "lhasa": "拉萨市质量强市办", "ganzhou": "甘州区质量奖秘书处", "lanzhou": "兰州市市场监管局",
    "baoshan": "保山市质量兴市办", "hohhot": "呼和浩特市市场监管局",
    "nanjing": "南京市市场监管局", "anshan": "鞍山市市场监管局",
}


def load(kind):
    out = {}
    if not os.path.isdir(os.path.join(DATA, kind)):
        return out
    for f in sorted(os.listdir(os.path.join(DATA, kind))):
        if f.endswith(".json"):
            out[f[:-5]] = json.load(open(os.path.join(DATA, kind, f), encoding="utf-8"))
    return out


def dump(doc):
    return json.dumps(doc, ensure_ascii=False, indent=2) + "\n"


class Repo:
    def __init__(self, path):
        self.path = path
        self.files = {}   # path -> text, the tree being built
        self.seq = 0

    def put(self, path, doc):
        self.files[path] = doc if isinstance(doc, str) else dump(doc)

    def rm(self, path):
        self.files.pop(path, None)

    def commit(self, date, author, message):
        """Writes the tree as it is now and commits it, dated date (YYYY-MM-DD)."""
        for base, dirs, files in os.walk(os.path.join(self.path, "data")):
            for f in files:
                os.remove(os.path.join(base, f))
        for p, text in self.files.items():
            full = os.path.join(self.path, p)
            os.makedirs(os.path.dirname(full), exist_ok=True)
            with open(full, "w", encoding="utf-8") as fp:
                fp.write(text)
        self.seq += 1
        # commits of one day keep their order: a minute apart from 09:00
        when = "%sT%02d:%02d:00+08:00" % (date, 9 + (self.seq % 600) // 60, self.seq % 60)
        env = dict(os.environ, GIT_AUTHOR_NAME=author, GIT_AUTHOR_EMAIL="office@example.gov.cn",
                   GIT_COMMITTER_NAME=author, GIT_COMMITTER_EMAIL="office@example.gov.cn",
                   GIT_AUTHOR_DATE=when, GIT_COMMITTER_DATE=when)
        subprocess.run(["git", "-C", self.path, "add", "-A"], check=True, env=env)
        r = subprocess.run(["git", "-C", self.path, "diff", "--cached", "--quiet"], env=env)
        if r.returncode == 0:
            return  # nothing changed
        subprocess.run(["git", "-C", self.path, "commit", "-q", "-m", message], check=True, env=env)


def program_of(round_id):
    return round_id.split("-")[0]


def main():
    out = sys.argv[1]
    if os.path.exists(out):
        shutil.rmtree(out)
    os.makedirs(out)
    subprocess.run(["git", "init", "-q", "-b", "main", out], check=True)
    # what a site is built from, besides the record: settings, texts
    shutil.copytree(os.path.join(ROOT, "content"), os.path.join(out, "content"))

    programs, orgs, rounds = load("programs"), load("organizations"), load("rounds")
    people = load("individuals")
    apps, notices = load("applications"), load("notices")
    objections, revocations = load("objections"), load("revocations")
    events = []   # (date, order, author, message, function)

    def ev(date, order, author, message, fn):
        events.append((date, order, author, message, fn))

    def org_of(app_id):  # commit messages name an application by its organization
        a = apps.get(app_id)
        return orgs[a["organization"]]["name"] if a and a["organization"] in orgs else app_id

    repo = Repo(out)

    def first_commit(r):
        for f in sorted(os.listdir(os.path.join(DATA, "calendars"))):
            if f.endswith(".json"):
                r.put("data/calendars/" + f, open(os.path.join(DATA, "calendars", f), encoding="utf-8").read())
    ev("2013-06-01", 0, "gongshi 演示", "工作日历：国务院节假日安排", first_commit)

    for pid, p in programs.items():
        m = p["measures"]
        ev(m.get("issued") or m["effective"], 1, OFFICES[pid], "发布评选项目：%s" % p["name"],
           lambda r, pid=pid, p=p: r.put("data/programs/%s.json" % pid, p))
    for rid, rd in rounds.items():
        date = rd.get("call", {}).get("published") or rd["applications"]["start"]
        ev(date, 2, OFFICES[program_of(rid)], "发布%s评审公告" % rd["name"],
           lambda r, rid=rid, rd=rd: r.put("data/rounds/%s.json" % rid, {k: v for k, v in rd.items() if k != "approval"}))
        if "approval" in rd:
            ev(rd["approval"]["date"], 6, OFFICES[program_of(rid)], "%s结果经批准" % rd["name"],
               lambda r, rid=rid, rd=rd: r.put("data/rounds/%s.json" % rid, rd))
    seen_orgs = set()
    for aid in sorted(apps, key=lambda a: apps[a]["submitted"]):
        a = apps[aid]
        office = OFFICES[program_of(a["round"])]
        # a person applies as themselves: their record is published with the application
        org = a.get("organization") or a["individual"]
        kind, who = ("organizations", orgs) if "organization" in a else ("individuals", people)

        def submit(r, aid=aid, a=a, org=org, kind=kind, who=who):
            r.put("data/%s/%s.json" % (kind, org), who[org])
            first = {k: v for k, v in a.items() if k not in ("result", "withdrawn")}
            first["stages"] = []
            r.put("data/applications/%s.json" % aid, first)
        ev(a["submitted"], 3, office, "受理申报：%s" % who[org]["name"], submit)
        seen_orgs.add(org)
        for i, st in enumerate(a["stages"]):
            def stage(r, aid=aid, a=a, i=i):
                cur = json.loads(r.files["data/applications/%s.json" % aid])
                cur["stages"] = a["stages"][:i + 1]
                r.put("data/applications/%s.json" % aid, cur)
            names = {x["id"]: x["name"] for x in programs[program_of(a["round"])]["procedure"]["stages"]}
            ev(st["date"], 4, office, "%s：%s结果" % (rounds[a["round"]]["name"], names.get(st["stage"], st["stage"])), stage)
        if "withdrawn" in a:
            ev(a["withdrawn"]["date"], 4, office, "申报组织撤回申报：%s" % who[org]["name"],
               lambda r, aid=aid, a=a: r.put("data/applications/%s.json" % aid, a))
        if "result" in a:
            ev(a["result"]["date"], 5, office, "%s评选结果" % rounds[a["round"]]["name"],
               lambda r, aid=aid, a=a: r.put("data/applications/%s.json" % aid, a))
    for oid, o in orgs.items():
        if oid not in seen_orgs:
            ev("2013-06-02", 1, "gongshi 演示", "登记组织", lambda r, oid=oid, o=o: r.put("data/organizations/%s.json" % oid, o))
    for nid, n in notices.items():
        office = OFFICES[program_of(n["round"])]
        ev(n["issued"], 3, office, "发布：%s" % n["title"], lambda r, nid=nid, n=n: r.put("data/notices/%s.json" % nid, n))
    for bid, b in objections.items():
        office = OFFICES[program_of(b["application"])]
        first = {k: v for k, v in b.items() if k not in ("decided", "outcome", "decision")}
        first["status"] = "under_review"
        ev(b["received"], 4, office, "收到异议：%s" % org_of(b["application"]), lambda r, bid=bid, f=first: r.put("data/objections/%s.json" % bid, f))
        if b.get("decided"):
            ev(b["decided"], 5, office, "异议处理完毕：%s（%s）" % (org_of(b["application"]), {"upheld": "异议成立", "rejected": "异议不成立"}.get(b.get("outcome"), "")),
               lambda r, bid=bid, b=b: r.put("data/objections/%s.json" % bid, b))
    for vid, v in revocations.items():
        office = OFFICES[program_of(v["application"])]
        ev(v["decided"], 5, office, "撤销决定：%s" % org_of(v["application"]), lambda r, vid=vid, v=v: r.put("data/revocations/%s.json" % vid, v))

    # --- scripted events ---
    # a notice published with mistakes, then amended twice
    nid = "lhasa-2025-proposed"
    if nid in notices:
        wrong = copy.deepcopy(notices[nid])
        wrong["title"] = wrong["title"].replace("公示", "公式")
        wrong["period"]["end"] = "2025-11-22"
        half = copy.deepcopy(notices[nid])
        half["period"]["end"] = "2025-11-22"
        events[:] = [e for e in events if not (e[3].startswith("发布：") and e[4].__defaults__ and e[4].__defaults__[0] == nid)]
        ev(notices[nid]["issued"], 3, OFFICES["lhasa"], "发布：%s" % wrong["title"],
           lambda r, w=wrong, nid=nid: r.put("data/notices/%s.json" % nid, w))
        ev("2025-11-15", 3, OFFICES["lhasa"], "更正公示标题中的错字",
           lambda r, h=half, nid=nid: r.put("data/notices/%s.json" % nid, h))
        ev("2025-11-17", 3, OFFICES["lhasa"], "更正公示期：不少于10天（第十一条（七）），截止日期改为11月23日",
           lambda r, n=notices[nid], nid=nid: r.put("data/notices/%s.json" % nid, n))
    # a notice published in error, then withdrawn
    if "lhasa-2023-proposed" in notices:
        draft = copy.deepcopy(notices["lhasa-2023-proposed"])
        draft["id"] = "lhasa-2023-proposed-draft"
        draft["title"] = "（草稿）" + draft["title"]
        ev("2023-11-13", 7, OFFICES["lhasa"], "误发：拟表彰名单公示草稿",
           lambda r, d=draft: r.put("data/notices/lhasa-2023-proposed-draft.json", d))
        ev("2023-11-13", 8, OFFICES["lhasa"], "撤回误发的公示草稿（正式公示于11月14日发布）",
           lambda r: r.rm("data/notices/lhasa-2023-proposed-draft.json"))
    # a record kept in a folder by year, later moved to the flat layout
    nid = "lhasa-2021-proposed"
    if nid in notices:
        events[:] = [e for e in events if not (e[4].__defaults__ and e[4].__defaults__[0] == nid)]
        ev(notices[nid]["issued"], 3, OFFICES["lhasa"], "发布：%s" % notices[nid]["title"],
           lambda r, n=notices[nid], nid=nid: r.put("data/notices/2021/%s.json" % nid, n))
        ev("2022-01-10", 9, OFFICES["lhasa"], "整理目录：公告不再按年份分文件夹",
           lambda r, n=notices[nid], nid=nid: (r.rm("data/notices/2021/%s.json" % nid),
                                               r.put("data/notices/%s.json" % nid, n)))
    # an objector's private details corrected (never shown, only named)
    bid = "lanzhou-2023-baihe"
    if bid in objections and objections[bid].get("private", {}).get("phone"):
        wrong = {k: v for k, v in objections[bid].items() if k not in ("decided", "outcome", "decision")}
        wrong["status"] = "under_review"
        wrong = copy.deepcopy(wrong)
        wrong["private"]["phone"] = wrong["private"]["phone"][:-1] + "0"
        events[:] = [e for e in events if e[3] != "收到异议：%s" % org_of(objections[bid]["application"])]
        ev(objections[bid]["received"], 4, OFFICES["lanzhou"], "收到异议：%s" % org_of(objections[bid]["application"]),
           lambda r, w=wrong, bid=bid: r.put("data/objections/%s.json" % bid, w))
        fixed = copy.deepcopy(wrong)
        fixed["private"]["phone"] = objections[bid]["private"]["phone"]
        ev(objections[bid]["received"], 6, OFFICES["lanzhou"], "更正异议人联系电话",
           lambda r, f=fixed, bid=bid: r.put("data/objections/%s.json" % bid, f))

    events.sort(key=lambda e: (e[0], e[1], e[3]))
    # one commit per (date, author, message): the functions of a group run together
    groups = {}
    order = []
    for date, o, author, message, fn in events:
        key = (date, o, author, message)
        if key not in groups:
            groups[key] = []
            order.append(key)
        groups[key].append(fn)
    for key in order:
        for fn in groups[key]:
            fn(repo)
        repo.commit(key[0], key[2], key[3])
    # the end is exactly data/
    repo.files = {}
    for base, dirs, files in os.walk(DATA):
        for f in files:
            p = os.path.join(base, f)
            repo.files[os.path.relpath(p, ROOT)] = open(p, encoding="utf-8").read()
    repo.commit(max(e[0] for e in events), "gongshi 演示", "附上记录格式说明与数据模式")
    n = subprocess.run(["git", "-C", out, "rev-list", "--count", "HEAD"], capture_output=True, text=True).stdout.strip()
    print("demo-repo: %s commits in %s" % (n, out))


if __name__ == "__main__":
    main()
