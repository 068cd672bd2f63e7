#!/usr/bin/env python3
"""Writes a synthetic national-scale record: a git repository in gongshi's
record format, with a publishing history, through one `git fast-import`
stream.  Deterministic: the same size and seed give the same repository,
commit ids included.

Usage: synth.py SIZE OUT_REPO [--seed N] [--programs N --rounds N
                 --apps N --commits N] [--no-repack]

SIZE is T, S, M or L (T for tests/lists/, the others issue #6's):
  T: 45 programs x 10 rounds x 30 applications, 3,000 commits
  S: 5 programs x 10 rounds x 20 applications, 2,000 commits
  M: 300 programs x 10 rounds x 30 applications, 50,000 commits
  L: 3,000 programs x 15 rounds x 30 applications, 300,000 commits

Each program is a copy of one of the five programs of data/programs/ (its
rules as they are; only its id, names and the dates of its measures
changed, and Hohhot's cadence of two years made one, so that ten rounds
fit in the working-day calendars of 2012-2026).  The calendars of
data/calendars/ are copied as they are.  The history publishes what an
office would, date by date: the calendars and programs first, then per
round the call, the applications (and their organizations), the 公示
lists, each review stage's outcomes, the 拟获奖名单公示 (some amended after
publication, some objected to), the decisions on objections, the
approval, the results and the 获奖公告; later revocations with their 撤销
公告 and bans; applications withdrawn; and a few records published in
error and deleted.  The final state passes `gongshi check`.

The file operations are cut into exactly the requested number of
commits, in date order, cutting at the boundary of one publishing event
where one is near, so that a commit holds a few files.

Only Python's standard library; Debian's python3.
"""
import argparse
import datetime
import json
import os
import random
import shutil
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
DATA = os.path.join(ROOT, "data")

SIZES = {
    #     programs rounds apps  commits
    "T": (45, 10, 30, 3000),
    "S": (5, 10, 20, 2000),
    "M": (300, 10, 30, 50000),
    "L": (3000, 15, 30, 300000),
}
MODELS = ["lhasa", "ganzhou", "lanzhou", "baoshan", "hohhot"]
# "today" for check and build: after every event of every size
TODAY = datetime.date(2027, 6, 30)
LAST_EVENT = datetime.date(2027, 5, 31)
D = datetime.date
DAY = datetime.timedelta(days=1)

# Syllables for names and ids: 60 (hanzi, pinyin), pinyin all distinct.
SYL = [("安", "an"), ("宝", "bao"), ("昌", "chang"), ("德", "de"), ("东", "dong"), ("丰", "feng"),
       ("广", "guang"), ("海", "hai"), ("恒", "heng"), ("宏", "hong"), ("华", "hua"), ("佳", "jia"),
       ("金", "jin"), ("康", "kang"), ("乐", "le"), ("利", "li"), ("隆", "long"), ("茂", "mao"),
       ("明", "ming"), ("南", "nan"), ("鹏", "peng"), ("平", "ping"), ("庆", "qing"), ("瑞", "rui"),
       ("盛", "sheng"), ("顺", "shun"), ("泰", "tai"), ("天", "tian"), ("通", "tong"), ("万", "wan"),
       ("祥", "xiang"), ("新", "xin"), ("兴", "xing"), ("阳", "yang"), ("永", "yong"), ("裕", "yu"),
       ("远", "yuan"), ("正", "zheng"), ("中", "zhong"), ("卓", "zhuo"), ("博", "bo"), ("诚", "cheng"),
       ("达", "da"), ("富", "fu"), ("高", "gao"), ("光", "guangx"), ("汇", "hui"), ("嘉", "jiax"),
       ("江", "jiang"), ("景", "jing"), ("凯", "kai"), ("岭", "ling"), ("美", "mei"), ("宁", "ning"),
       ("青", "qingx"), ("荣", "rong"), ("森", "sen"), ("松", "song"), ("威", "wei"), ("鑫", "xinx")]
INDUSTRY = [("精密机械", "通用设备制造"), ("食品", "食品制造"), ("医药", "医药制造"), ("电子科技", "电子设备制造"),
            ("新材料", "新材料"), ("建设工程", "建筑业"), ("物流", "交通运输"), ("软件科技", "软件和信息技术服务"),
            ("纺织", "纺织业"), ("农业科技", "农业"), ("能源", "电力、热力生产和供应"), ("检测", "检验检测服务")]
USCC_CHARS = "0123456789ABCDEFGHJKLMNPQRTUWXY"
USCC_WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28]
SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗"


def uscc(rng, division):
    """A unified social credit code with a correct check character (GB 32100-2015)."""
    body = "91" + division + "".join(rng.choice(USCC_CHARS) for _ in range(9))
    s = sum(USCC_CHARS.index(ch) * w for ch, w in zip(body, USCC_WEIGHTS))
    return body + USCC_CHARS[(31 - s % 31) % 31]


def iso(d):
    return d.isoformat()


def add_years(d, n):
    """date_period_end(d, n, 0) of generator/date.c: 29 February becomes the 28th."""
    y = d.year + n
    if d.month == 2 and d.day == 29 and not (y % 4 == 0 and (y % 100 != 0 or y % 400 == 0)):
        return D(y, 2, 28)
    return D(y, d.month, d.day)


class Calendar:
    """The State Council's working days, from data/calendars/ (as calendar.c reads them)."""

    def __init__(self, folder):
        self.special = {}
        self.files = {}
        for f in sorted(os.listdir(folder)):
            full = os.path.join(folder, f)
            self.files[f] = open(full, "rb").read()
            if f.endswith(".json"):
                for day in json.loads(self.files[f])["days"]:
                    self.special[D.fromisoformat(day["date"])] = day["isOffDay"]

    def working(self, d):
        if d in self.special:
            return not self.special[d]
        return d.weekday() < 5

    def next_working(self, d):
        while not self.working(d):
            d += DAY
        return d

    def end_of(self, start, n):
        """The first day on which [start, day] holds n working days."""
        d, k = start, 0
        while True:
            k += self.working(d)
            if k >= n:
                return d
            d += DAY

    def add(self, start, n):
        """The n-th working day after start (start not counted)."""
        d, k = start, 0
        while k < n:
            d += DAY
            k += self.working(d)
        return d


def dump(doc):
    return (json.dumps(doc, ensure_ascii=False, indent=2) + "\n").encode("utf-8")


class Program:
    """One synthetic program, a copy of model's rules."""

    def __init__(self, index, model_doc, model, years, pool_size, rng):
        # (index // 60, index % 60) is one to one below 3,600; the first
        # syllable is permuted so that neighbouring programs differ in both
        a = SYL[((index // 60) * 7 + (index % 60) * 11 + 5) % 60]
        b = SYL[index % 60]
        self.index = index
        self.model = model
        self.city = a[0] + b[0] + "市"
        self.abbr = a[0] + b[0]
        self.id = a[1] + b[1] + ("" if index < 3600 else str(index // 3600))
        # 100 programs a province (codes 11, 12, ...): a national portal's
        # folders, data/<kind>/<province>/<program>/..., keep every git tree
        # to a few hundred entries
        self.province = "%02d" % (11 + index // 100)
        self.division = self.province + "%04d" % (100 + (index % 100) * 3)
        self.years = years
        self.office = self.city + "质量奖评审办公室"
        self.author = self.city + "市场监管局"
        self.email = "office@%s.example.gov.cn" % self.id
        doc = json.loads(json.dumps(model_doc))
        doc["id"] = self.id
        doc["name"] = self.city + "政府质量奖"
        doc["region"] = "示范省" + self.city
        doc["authority"] = self.city + "人民政府"
        doc["office"] = self.office
        for t in doc["tiers"]:
            t["name"] = self.city + ("政府质量奖" if t["id"] == "award" else
                                     {"excellence": "质量管理优秀奖", "nomination": "政府质量奖提名奖"}[t["id"]])
        m = doc["measures"]
        m.pop("text", None)
        m.pop("document_number", None)
        issued = D(years[0] - 1, 6, 1)
        m["title"] = self.city + "政府质量奖管理办法"
        m["issuer"] = self.city + "人民政府"
        m["issued"] = m["effective"] = iso(issued)
        if "valid_years" in m:
            m["valid_years"] = years[-1] - years[0] + 3
        if "repeals" in m:
            for r in m["repeals"]:
                r["title"] = self.city + "政府质量奖实施办法"
                r.pop("document_number", None)
                r.pop("issued", None)
        if doc["cadence"]["unit"] == "year" and model == "hohhot":
            doc["cadence"]["every"] = 1
        doc.pop("private", None)
        # the seeds' gates that a synthetic record does not model (recommenders,
        # results notices, notices a stage waits for); its organizations are
        # registered in the program's own division
        for k in ("recommendation", "fraud_bar"):
            doc.pop(k, None)
        for st in doc["procedure"]["stages"]:
            st.pop("after_notice", None)
        doc["notices"] = [n for n in doc["notices"] if n["kind"] != "result"]
        if "registration" in doc:
            doc["registration"]["divisions"] = [self.division]
        self.doc = doc
        self.issued = issued
        self.tiers = {t["id"]: t for t in doc["tiers"]}
        self.stages = [s["id"] for s in doc["procedure"]["stages"]]
        self.rules = {n["kind"]: n for n in doc["notices"]}
        self.grounds = doc["revocation"]["grounds"]
        obj = doc["objections"]
        self.decision = obj.get("decision")
        self.identity = obj.get("identity")
        # organizations that may apply: a pool, written when first used
        self.pool = []
        used = set()
        for j in range(pool_size):
            x, y = SYL[(j * 7 + index) % 60], SYL[(j // 60 + j * 13 + 3) % 60]
            slug = x[1] + y[1]
            if slug in used:
                slug += str(j)
            used.add(slug)
            ind = INDUSTRY[(j + index) % len(INDUSTRY)]
            est = D(1975, 1, 1) + DAY * rng.randrange((D(years[0] - 6, 1, 1) - D(1975, 1, 1)).days)
            org = {
                "$schema": "../../../schema/organization.schema.json",
                "id": uscc(rng, self.division),
                "name": "%s%s%s%s有限公司" % (self.abbr, x[0], y[0], ind[0]),
                "kind": "enterprise" if j % 11 else "public_institution",
                "established": iso(est),
                "district": self.city + ("高新区", "经济技术开发区", "城区", "新区")[j % 4],
                "industry": ind[1],
            }
            if j % 3 == 0:
                org["private"] = {"contact_name": SURNAMES[j % len(SURNAMES)] + "经理",
                                  "contact_phone": "0%03d-%07d" % (100 + index % 900, rng.randrange(10 ** 7))}
            self.pool.append({"slug": slug, "doc": org, "written": False,
                              "blocked": [], "wins": {}})

    def path(self, kind, ident, year=None):
        if kind == "applications":
            return "data/applications/%s/%s/%d/%s.json" % (self.province, self.id, year, ident)
        if kind == "programs":
            return "data/programs/%s/%s.json" % (self.province, ident)
        if kind == "organizations":
            return "data/organizations/%s/%s/%s.json" % (self.province, self.division, ident)
        return "data/%s/%s/%s/%s.json" % (kind, self.province, self.id, ident)

    def schema(self, kind):
        depth = {"application": 4, "program": 2}.get(kind, 3)
        return "../" * depth + "schema/%s.schema.json" % kind


class Events:
    """Publishing events: (date, order, seq, author, email, message, ops)."""

    def __init__(self):
        self.v = []
        self.seq = 0

    def add(self, date, order, prog, message, ops):
        self.seq += 1
        if prog is None:
            author, email = "gongshi 基准", "bench@example.gov.cn"
        else:
            author, email = prog.author, prog.email
        self.v.append((date, order, self.seq, author, email, message, ops))


def pick_year_range(model, n, size):
    if model == "ganzhou":            # every 2 years, days only: decades back
        return [2024 - 2 * (n - 1 - k) for k in range(n)]
    if model in ("lanzhou", "hohhot"):  # working days: 2012-2026 calendars
        last = 2024 if n <= 13 else 2026
        return list(range(last - n + 1, last + 1))
    return list(range(2024 - n + 1, 2025))


def notice_period(prog, cal, kind, start):
    rule = prog.rules.get(kind)
    if not rule or "unit" not in rule:
        return start + 6 * DAY
    n = rule.get("min") or rule.get("max")
    if rule["unit"] == "days":
        return start + (n - 1) * DAY
    return cal.end_of(start, n)


def phone(rng, prog):
    return "0%03d-%07d" % (100 + prog.index % 900, rng.randrange(10 ** 7))


def gen_round(prog, k, year, napps, fine, rng, cal, ev, certs):
    """One round of prog: its files and events.  k: index of the round."""
    rid = "%s-%d" % (prog.id, year)
    ordinal = k + 1
    doc_no = [0]

    def docnum():
        doc_no[0] += 1
        return "%s政发〔%d〕%d号" % (prog.abbr, year, 10 + doc_no[0] * 3 + prog.index % 7)

    call = D(year, 2, 20) + rng.randrange(8) * DAY
    win_start, win_end = D(year, 3, 1), D(year, 4, 20)
    rname = "%d年度%s政府质量奖（第%d届）" % (year, prog.city, ordinal)
    rnd = {
        "$schema": prog.schema("round"), "id": rid, "program": prog.id, "name": rname,
        "year": year, "ordinal": ordinal,
        "call": {"published": iso(call), "document_number": docnum(),
                 "body": "# %s评审公告\n\n依据《%s》，现开展%s评选。\n\n- **名额**：见办法\n- **申报时间**：%d年3月1日至%d年4月20日\n\n评选不收取任何费用。"
                         % (rname, prog.doc["measures"]["title"], rname, year, year)},
        "applications": {"start": iso(win_start), "end": iso(win_end)},
    }
    rpath = prog.path("rounds", rid)
    ev.add(call, 1, prog, "发布%s评审公告" % rname, [(rpath, dump(rnd))])

    # applicants: not waiting after a win, not banned (conservatively: no
    # block overlapping the window)
    eligible = [o for o in prog.pool
                if not any(a <= win_end and b >= win_start for a, b in o["blocked"])]
    if len(eligible) < napps:
        raise SystemExit("synth: program %s round %d: only %d eligible organizations" % (prog.id, year, len(eligible)))
    chosen = rng.sample(eligible, napps)
    tiers = list(prog.tiers)
    stage_dates = [D(year, 6, 5) + 16 * i * DAY for i in range(len(prog.stages))]
    apps = []
    for o in chosen:
        aid = "%s-%s" % (rid, o["slug"])
        sub = win_start + rng.randrange((win_end - win_start).days + 1) * DAY
        tier = tiers[0] if len(tiers) == 1 or rng.random() < 0.65 else tiers[1]
        app = {"$schema": prog.schema("application"), "id": aid, "round": rid,
               "organization": o["doc"]["id"], "tier": tier, "submitted": iso(sub),
               "recommender": o["doc"]["district"] + "市场监督管理局", "stages": []}
        if rng.random() < 0.3:
            app["private"] = {"contact_name": SURNAMES[rng.randrange(len(SURNAMES))] + "工",
                              "contact_phone": phone(rng, prog)}
        apath = prog.path("applications", aid, year)
        ops = []
        if not o["written"]:
            o["written"] = True
            ops.append((prog.path("organizations", o["doc"]["id"]), dump(o["doc"])))
        ops.append((apath, dump(app)))
        ev.add(sub, 2, prog, "受理申报：%s" % o["doc"]["name"], ops)
        x = {"org": o, "app": app, "path": apath, "sub": sub, "withdrawn": None}
        apps.append(x)
        if rng.random() < 0.03:
            wd = sub + (3 + rng.randrange(8)) * DAY
            app["withdrawn"] = {"date": iso(wd), "reason": "因企业内部调整，主动申请撤回申报"}
            x["withdrawn"] = wd
            ev.add(wd, 3, prog, "申报组织撤回申报：%s" % o["doc"]["name"], [(apath, dump(app))])
        elif rng.random() < 0.02:
            # filed twice by mistake, the copy deleted three days later
            dup = dict(app, id=aid + "-dup")
            dpath = prog.path("applications", aid + "-dup", year)
            ev.add(sub, 2, prog, "受理申报（重复录入）：%s" % o["doc"]["name"], [(dpath, dump(dup))])
            ev.add(sub + 3 * DAY, 3, prog, "删除重复录入的申报", [(dpath, None)])
    apps.sort(key=lambda x: x["app"]["id"])
    live = [x for x in apps if not x["withdrawn"]]

    def channel():
        return {"to": prog.office, "phone": phone(rng, prog),
                "how": "以书面形式实名提出，个人须签署本人姓名并注明联系电话、通讯地址，单位须加盖公章。"}

    notices = []   # (notice doc, path)
    objections = []

    def objection(notice, x, received, upheld):
        oid = "%s-obj-%s" % (notice["id"], x["org"]["slug"])
        by_org = rng.random() < 0.5
        if prog.decision:
            if prog.decision["unit"] == "working_days":
                due = cal.add(received, prog.decision["within"])
            else:
                due = received + prog.decision["within"] * DAY
            decided = min(due, received + (1 + rng.randrange(3)) * DAY)
        else:
            decided = received + (2 + rng.randrange(4)) * DAY
        priv = {"name": ("某有限公司" if by_org else SURNAMES[rng.randrange(len(SURNAMES))] + "某"),
                "phone": "139%08d" % rng.randrange(10 ** 8), "address": prog.city + "某区某路某号"}
        if by_org:
            priv["seal"] = True
        else:
            priv["id_document"] = "居民身份证（%s********0000）" % prog.division
        priv["evidence"] = "有关质量指标的检测报告复印件"  # Lanzhou 第二十八条第一款
        first = {"$schema": prog.schema("objection"), "id": oid, "notice": notice["id"],
                 "application": x["app"]["id"], "objector": "organization" if by_org else "individual",
                 "received": iso(received), "status": "under_review",
                 "summary": "反映该组织申报材料中部分质量指标与实际情况不符。", "private": priv}
        last = dict(first, status="decided", decided=iso(decided), outcome="upheld" if upheld else "rejected",
                    decision=("经复核，异议成立，取消其入选资格。" if upheld else "经组织专家核查，相关数据真实，异议不成立。"))
        path = prog.path("objections", oid)
        ev.add(received, 6, prog, "收到异议：%s" % oid, [(path, dump(first))])
        ev.add(decided, 6, prog, "异议处理完毕：%s（%s）" % (oid, "异议成立" if upheld else "异议不成立"),
               [(path, dump(last))])
        objections.append(last)
        return decided

    # 县（区）申报公示 and 受理名单公示 where the program has them
    latest_decided = D(year, 1, 1)
    for kind, when, label in (("county_list", D(year, 5, 8), "申报组织审核情况公示"),
                              ("acceptance_list", D(year, 5, 22), "受理名单公示")):
        if kind not in prog.rules:
            continue
        start = cal.next_working(when)
        end = notice_period(prog, cal, kind, start)
        n = {"$schema": prog.schema("notice"), "id": "%s-%s" % (rid, kind.replace("_", "-")), "kind": kind,
             "round": rid, "title": "%s%s" % (rname, label), "issuer": prog.office, "issued": iso(start),
             "period": {"start": iso(start), "end": iso(end)},
             "body": "以下组织申报%s，现予公示。\n\n公示时间：%s至%s。" % (rname, iso(start), iso(end)),
             "entries": [{"application": x["app"]["id"], "tier": x["app"]["tier"]} for x in live],
             "objection_channel": channel()}
        ev.add(start, 4, prog, "发布：%s" % n["title"], [(prog.path("notices", n["id"]), dump(n))])
        if kind == "acceptance_list" and live and rng.random() < 0.2:
            latest_decided = max(latest_decided, objection(n, rng.choice(live), start + DAY, False))

    # review stages: outcome by outcome
    for x in live:
        app = x["app"]
        for i, st in enumerate(prog.stages):
            passed = rng.random() >= 0.15
            app["stages"].append({"stage": st, "outcome": "passed" if passed else "failed",
                                  "date": iso(stage_dates[i]), "score": round(rng.uniform(450, 950), 1)})
            if fine:
                ev.add(stage_dates[i], 5, prog, "%s：%s结果" % (rname, prog.doc["procedure"]["stages"][i]["name"]),
                       [(x["path"], dump(app))])
            if not passed:
                break
        x["passed"] = all(s["outcome"] == "passed" for s in app["stages"]) and len(app["stages"]) == len(prog.stages)

    # the proposed winners, up to each tier's cap
    proposed = []
    for t in tiers:
        cands = sorted((x for x in live if x["passed"] and x["app"]["tier"] == t),
                       key=lambda x: -x["app"]["stages"][-1]["score"])
        cap = prog.tiers[t]["cap"]["max"]
        take = min(len(cands), max(1, cap - (rng.random() < 0.3)))
        proposed += [(x, t) for x in cands[:take]]
    pstart = cal.next_working(D(year, 11, 3) + rng.randrange(5) * DAY)
    pend = notice_period(prog, cal, "proposed_winners", pstart)
    if "proposed_winners" in prog.rules and prog.rules["proposed_winners"].get("unit") == "days" \
            and "max" not in prog.rules["proposed_winners"] and rng.random() < 0.5:
        pend += DAY   # "at least" rules: some periods run a day longer
    pn = {"$schema": prog.schema("notice"), "id": rid + "-proposed", "kind": "proposed_winners", "round": rid,
          "title": "%s拟获奖名单公示" % rname, "issuer": prog.office, "issued": iso(pstart),
          "period": {"start": iso(pstart), "end": iso(pend)},
          "body": "经各阶段评审，形成%s拟获奖名单，现予公示。\n\n公示时间：%s至%s。" % (rname, iso(pstart), iso(pend)),
          "entries": [{"application": x["app"]["id"], "tier": t} for x, t in proposed],
          "objection_channel": channel()}
    ppath = prog.path("notices", pn["id"])
    if rng.random() < 0.05:
        draft = dict(pn, id=pn["id"] + "-draft", title="（草稿）" + pn["title"])
        dpath = prog.path("notices", draft["id"])
        ev.add(pstart - DAY, 4, prog, "误发：拟获奖名单公示草稿", [(dpath, dump(draft))])
        ev.add(pstart - DAY, 4, prog, "撤回误发的公示草稿", [(dpath, None)])
    r = rng.random()
    if r < 0.2:
        wrong = dict(pn, title=pn["title"].replace("公示", "公式"))
        ev.add(pstart, 4, prog, "发布：%s" % pn["title"], [(ppath, dump(wrong))])
        if r < 0.07:
            half = dict(pn, body=pn["body"].replace("现予公示", "现予公示（此前版本有误）"))
            ev.add(pstart + DAY, 4, prog, "更正公示标题中的错字", [(ppath, dump(half))])
            ev.add(pstart + 2 * DAY, 4, prog, "更正公示正文", [(ppath, dump(pn))])
        else:
            ev.add(pstart + DAY, 4, prog, "更正公示标题中的错字", [(ppath, dump(pn))])
    else:
        ev.add(pstart, 4, prog, "发布：%s" % pn["title"], [(ppath, dump(pn))])
    notices.append(pn)
    upheld = set()
    if proposed and rng.random() < 0.4:
        x, _ = rng.choice(proposed)
        up = rng.random() < 0.3
        latest_decided = max(latest_decided, objection(pn, x, pstart + DAY, up))
        if up:
            upheld.add(x["app"]["id"])

    # approval, results and the 获奖公告
    approval = max(pend, latest_decided) + (5 + rng.randrange(10)) * DAY
    awarded = []
    for x in live:
        app = x["app"]
        t = next((t for y, t in proposed if y is x), None)
        if t and app["id"] not in upheld:
            seq = len(awarded) + 1
            cert = "%s-%d-%02d" % (prog.id.upper(), year, seq)
            assert cert not in certs
            certs.add(cert)
            tier = prog.tiers[t]
            wins = x["org"]["wins"].setdefault(t, [])
            prize = tier["prize"]["yuan"]
            if wins and "repeat_yuan" in tier["prize"]:
                prize = tier["prize"]["repeat_yuan"]
            wins.append(approval)
            app["result"] = {"outcome": "awarded", "tier": t, "date": iso(approval), "certificate": cert,
                             "prize_yuan": prize}
            if "reapply_wait" in tier:
                x["org"]["blocked"].append((approval + DAY, add_years(approval, tier["reapply_wait"]["years"])))
            awarded.append((x, t))
        else:
            app["result"] = {"outcome": "not_awarded", "date": iso(approval)}
        ev.add(approval, 8, prog, "%s评选结果" % rname, [(x["path"], dump(app))])
    rnd["schedule"] = [{"stage": s, "start": iso(stage_dates[i]), "end": iso(stage_dates[i] + 10 * DAY)}
                       for i, s in enumerate(prog.stages)]
    rnd["approval"] = {"date": iso(approval), "authority": prog.doc["authority"], "document_number": docnum(),
                       "body": "经市政府审定，授予%d个组织%s称号。" % (len(awarded), prog.doc["name"])}
    rn = {"$schema": prog.schema("notice"), "id": rid + "-result", "kind": "result", "round": rid,
          "title": "%s关于%s获奖名单的公告" % (prog.doc["authority"], rname), "issuer": prog.doc["authority"],
          "document_number": rnd["approval"]["document_number"], "issued": iso(approval),
          "body": "经公示无异议，市政府审定，现将%s获奖名单公告如下。" % rname,
          "entries": [{"application": x["app"]["id"], "tier": t} for x, t in awarded]}
    ev.add(approval, 7, prog, "%s结果经批准" % rname,
           [(rpath, dump(rnd)), (prog.path("notices", rn["id"]), dump(rn))])

    # revocations, later: an award revoked, with its ban and notice
    for x, t in awarded:
        if rng.random() >= 0.03:
            continue
        grounds = [g for g in prog.grounds if g["requires_award"]]
        g = rng.choice(grounds)
        if "within_years_of_award" in g:
            event = approval + (30 + rng.randrange(300 * min(g["within_years_of_award"], 2))) * DAY
            decided = event + (20 + rng.randrange(100)) * DAY
        else:
            event = x["sub"]
            decided = approval + (60 + rng.randrange(400)) * DAY
        revoke(prog, x, g, event, decided, rname, rng, ev)
    if any(not g["requires_award"] for g in prog.grounds):
        losers = [x for x in live if x["app"]["result"]["outcome"] == "not_awarded"]
        if losers and rng.random() < 0.15:
            g = next(g for g in prog.grounds if not g["requires_award"])
            x = rng.choice(losers)
            revoke(prog, x, g, x["sub"], approval + (30 + rng.randrange(200)) * DAY, rname, rng, ev)
    return len(apps)


def revoke(prog, x, g, event, decided, rname, rng, ev):
    if decided.month == 2 and decided.day == 29:
        decided += DAY
    if decided > LAST_EVENT:
        return
    vid = "%s-revocation" % x["app"]["id"]
    v = {"$schema": prog.schema("revocation"), "id": vid, "application": x["app"]["id"], "ground": g["id"],
         "event": iso(event), "decided": iso(decided), "authority": prog.doc["authority"],
         "document_number": "%s政发〔%d〕%d号" % (prog.abbr, decided.year, 50 + rng.randrange(50)),
         "summary": "经核实，%s%s，依据%s作出处理。" % (x["org"]["doc"]["name"], g["name"], g["article"])}
    if "ban_years" in g:
        until = add_years(decided, g["ban_years"])
        v["ban_until"] = iso(until)
        x["org"]["blocked"].append((decided, until))
    ops = [(prog.path("revocations", vid), dump(v))]
    if g["announce"]:
        n = {"$schema": prog.schema("notice"), "id": vid, "kind": "revocation", "round": x["app"]["round"],
             "title": "关于撤销%s%s的公告" % (x["org"]["doc"]["name"], rname), "issuer": prog.doc["authority"],
             "issued": iso(decided), "body": v["summary"], "entries": [{"application": x["app"]["id"]}],
             "revocation": vid}
        ops.append((prog.path("notices", vid), dump(n)))
    ev.add(decided, 9, prog, "撤销决定：%s" % vid, ops)


def cut(events, ncommits):
    """Boundaries of ncommits chunks over the flattened operations, each
    snapped to an event boundary when one lies within half a chunk."""
    starts = []   # op index where each event starts
    total = 0
    for e in events:
        starts.append(total)
        total += len(e[6])
    if total < ncommits:
        raise SystemExit("synth: %d file operations cannot make %d commits" % (total, ncommits))
    bounds = [0]
    per = total / ncommits
    j = 0
    for i in range(1, ncommits):
        ideal = round(i * per)
        while j + 1 < len(starts) and starts[j + 1] <= ideal:
            j += 1
        cands = [starts[j]] + ([starts[j + 1]] if j + 1 < len(starts) else [])
        best = min(cands, key=lambda s: abs(s - ideal))
        b = best if abs(best - ideal) <= per / 2 else ideal
        b = max(b, bounds[-1] + 1)
        b = min(b, total - (ncommits - i))
        bounds.append(b)
    bounds.append(total)
    return bounds, total


def write_stream(fp, events, bounds, total):
    """The fast-import stream: commit i holds operations bounds[i]..bounds[i+1]."""
    flat_event = []  # per op: event index
    ops = []
    for k, e in enumerate(events):
        for op in e[6]:
            ops.append(op)
            flat_event.append(k)
    last_ts = 0
    tz = datetime.timezone(datetime.timedelta(hours=8))
    w = fp.write
    for i in range(len(bounds) - 1):
        a, b = bounds[i], bounds[i + 1]
        ks = sorted(set(flat_event[a:b]))
        e = events[ks[0]]
        date = e[0]
        ts = int(datetime.datetime(date.year, date.month, date.day, 9, 0, tzinfo=tz).timestamp())
        ts = max(ts, last_ts + 37)
        last_ts = ts
        msg = e[5]
        if a > 0 and flat_event[a - 1] == ks[0]:
            msg += "（续）"
        if len(ks) > 1:
            msg += "，等%d项" % len(ks)
        msgb = (msg + "\n").encode("utf-8")
        ident = ("%s <%s> %d +0800" % (e[3], e[4], ts)).encode("utf-8")
        w(b"commit refs/heads/main\nauthor " + ident + b"\ncommitter " + ident + b"\n")
        w(b"data %d\n" % len(msgb) + msgb)
        for path, content in ops[a:b]:
            if content is None:
                w(b"D " + path.encode() + b"\n")
            else:
                w(b"M 100644 inline " + path.encode() + b"\ndata %d\n" % len(content))
                w(content)
                w(b"\n")
        w(b"\n")
    w(b"done\n")


def parse_args(argv):
    """The options; --help prints the module's documentation, a mistake the usage (exit 2)."""
    ap = argparse.ArgumentParser(prog="synth.py", formatter_class=argparse.RawDescriptionHelpFormatter,
                                 description=__doc__.split("\n\n", 1)[0],
                                 epilog=__doc__.split("\n\n", 2)[2])
    ap.add_argument("size", metavar="SIZE", choices=list(SIZES), help="S, M or L (see below)")
    ap.add_argument("out", metavar="OUT_REPO", help="the repository to write (replaced if it exists)")
    ap.add_argument("--seed", type=int, default=20241231, help="the random seed (default %(default)s)")
    for name in ("programs", "rounds", "apps", "commits"):
        ap.add_argument("--" + name, type=int, metavar="N", help="override the size's number of " + name)
    ap.add_argument("--no-repack", action="store_true", help="leave fast-import's pack as it is")
    a = ap.parse_args(argv[1:])
    for name in ("programs", "rounds", "apps", "commits"):
        if getattr(a, name) is not None and getattr(a, name) < 1:
            ap.error("--%s takes a number from 1" % name)
    return a


def main(argv):
    a = parse_args(argv)
    size, out = a.size, a.out
    nprog, nrounds, napps, ncommits = SIZES[size]
    nprog = a.programs or nprog
    nrounds = a.rounds or nrounds
    napps = a.apps or napps
    ncommits = a.commits or ncommits
    seed = a.seed
    fine = size != "L"   # L: each application's stage outcomes in one version
    t0 = time.time()
    rng = random.Random(seed)
    cal = Calendar(os.path.join(DATA, "calendars"))
    models = {m: json.load(open(os.path.join(DATA, "programs", m + ".json"), encoding="utf-8")) for m in MODELS}
    ev = Events()
    # the first commit: calendars, site settings
    first = [("data/calendars/" + f, c) for f, c in cal.files.items()]
    first.append(("content/site.json", dump({
        "$schema": "../data/schema/site.schema.json", "name": "全国政府质量奖公示（基准测试）",
        "description": "gongshi 基准测试的合成记录：全部组织与数据均为虚构。",
        "authority": "gongshi 基准测试", "base_url": "https://bench.example.gov.cn/",
        "contact": "咨询电话：010-00000000（虚构）"})))
    first.append(("content/pages/about.md", "# 关于\n\n本站点的记录由 gongshi 的基准测试合成，全部为虚构。\n".encode()))
    programs = []
    ids, codes = set(), set()
    for i in range(nprog):
        model = MODELS[i % len(MODELS)]
        years = pick_year_range(model, nrounds, size)
        p = Program(i, models[model], model, years, napps + 25, rng)
        if p.id in ids:
            p.id += "x%d" % i
            p.doc["id"] = p.id
        ids.add(p.id)
        for o in p.pool:
            while o["doc"]["id"] in codes:
                o["doc"]["id"] = uscc(rng, p.division)
            codes.add(o["doc"]["id"])
        programs.append(p)
    y0 = min(p.issued for p in programs) - 30 * DAY
    ev.add(y0, 0, None, "工作日历：国务院节假日安排；站点设置", first)
    for p in programs:
        p.doc["$schema"] = p.schema("program")
        ev.add(p.issued, 0, p, "发布评选项目：%s" % p.doc["name"], [(p.path("programs", p.id), dump(p.doc))])
    certs = set()
    napp_total = 0
    for p in programs:
        for k, year in enumerate(p.years):
            napp_total += gen_round(p, k, year, napps, fine, rng, cal, ev, certs)
    events = ev.v
    events.sort(key=lambda e: (e[0], e[1], e[2]))
    bounds, total = cut(events, ncommits)
    t1 = time.time()
    if os.path.exists(out):
        shutil.rmtree(out)
    subprocess.run(["git", "init", "-q", "-b", "main", out], check=True)
    # glibc's default trims the heap as soon as 128 KiB at its top are
    # free; on a virtual machine where brk() costs 100 us that makes
    # fast-import 20 times slower.  Keep what it has.
    env = dict(os.environ, MALLOC_TOP_PAD_=str(256 << 20), MALLOC_TRIM_THRESHOLD_=str(1 << 30))
    fi = subprocess.Popen(["git", "-C", out, "fast-import", "--quiet", "--done"],
                          stdin=subprocess.PIPE, env=env)
    write_stream(fi.stdin, events, bounds, total)
    fi.stdin.close()
    if fi.wait():
        raise SystemExit("synth: git fast-import failed")
    t2 = time.time()
    if not a.no_repack:
        subprocess.run(["git", "-C", out, "repack", "-a", "-d", "-q"], check=True, env=env)
    t3 = time.time()
    sys.stderr.write("synth %s: %d programs, %d rounds, %d applications, %d file versions in %d commits "
                     "(generate %.1fs, fast-import %.1fs, repack %.1fs)\n"
                     % (size, nprog, nprog * nrounds, napp_total, total, ncommits, t1 - t0, t2 - t1, t3 - t2))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
