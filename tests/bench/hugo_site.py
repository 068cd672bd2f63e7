#!/usr/bin/env python3
"""Emits a Hugo site equivalent to a gongshi record: one content page per
organization, application, notice and round, with the record's public
fields in JSON front matter and the record's Markdown (a notice's body, a
round's call) as the page's content, and three simple templates (a layout,
a list and a single page) comparable to gongshi's.  Private fields are
left out, as gongshi leaves them out.

Usage: hugo_site.py DATA_DIR SITE_DIR
DATA_DIR is a record's data/ folder (a checkout of the corpus's HEAD).
Prints the number of content pages written.
"""
import json
import os
import sys

LAYOUT = """<!DOCTYPE html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{ .Title }} - {{ .Site.Title }}</title>
<link rel="stylesheet" href="{{ "style.css" | relURL }}">
</head>
<body>
<header><a href="{{ "/" | relURL }}">{{ .Site.Title }}</a>
<nav>{{ range .Site.Sections }}<a href="{{ .RelPermalink }}">{{ .Title }}</a> {{ end }}</nav></header>
<main>
{{ block "main" . }}{{ end }}
</main>
<footer>{{ .Site.Params.footer }}</footer>
</body>
</html>
"""
SINGLE = """{{ define "main" }}
<article>
<h1>{{ .Title }}</h1>
<p class="kind">{{ .Params.kind_zh }}</p>
<table>
{{ range .Params.fields }}<tr><th>{{ index . 0 }}</th><td>{{ index . 1 }}</td></tr>
{{ end }}</table>
{{ with .Params.links }}<h2>相关</h2>
<ul>{{ range . }}<li><a href="{{ index . 1 | relURL }}">{{ index . 0 }}</a></li>{{ end }}</ul>{{ end }}
{{ .Content }}
</article>
{{ end }}
"""
LIST = """{{ define "main" }}
<h1>{{ .Title }}</h1>
<p>共{{ len .Pages }}项</p>
<ul>
{{ range .Pages }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a></li>
{{ end }}</ul>
{{ end }}
"""
HOME = """{{ define "main" }}
<h1>{{ .Site.Title }}</h1>
<ul>
{{ range .Site.Sections }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a>（{{ len .Pages }}）</li>
{{ end }}</ul>
{{ end }}
"""
CONFIG = """baseURL = "https://bench.example.gov.cn/"
title = "全国政府质量奖公示（基准测试，Hugo）"
languageCode = "zh-cn"
disableKinds = ["taxonomy", "term", "RSS", "sitemap", "robotsTXT", "404"]
[params]
footer = "gongshi 基准测试：全部组织与数据均为虚构"
[markup.goldmark.renderer]
unsafe = false
"""
CSS = "body{font-family:sans-serif;max-width:60em;margin:auto}th{text-align:left}\n"
SECTIONS = {"organizations": "组织", "applications": "申报", "notices": "公示公告", "rounds": "届次"}
KIND_ZH = {"county_list": "县（区）申报公示", "acceptance_list": "受理名单公示", "proposed_winners": "拟获奖名单公示",
           "result": "获奖公告", "revocation": "撤销公告"}


def load(data, kind):
    out = {}
    for base, dirs, files in os.walk(os.path.join(data, kind)):
        dirs.sort()
        for f in sorted(files):
            if f.endswith(".json") and not f.startswith("."):
                doc = json.load(open(os.path.join(base, f), encoding="utf-8"))
                out[doc["id"]] = doc
    return out


def page(path, front, body=""):
    with open(path, "w", encoding="utf-8") as fp:
        fp.write(json.dumps(front, ensure_ascii=False, indent=1))
        fp.write("\n\n")
        fp.write(body)
        fp.write("\n")


def main(argv):
    if len(argv) != 3:
        sys.stderr.write(__doc__)
        return 2
    data, site = argv[1], argv[2]
    orgs, apps = load(data, "organizations"), load(data, "applications")
    notices, rounds = load(data, "notices"), load(data, "rounds")
    for d in ("layouts/_default", "static") + tuple("content/" + s for s in SECTIONS):
        os.makedirs(os.path.join(site, d), exist_ok=True)
    for name, text in (("config.toml", CONFIG), ("layouts/_default/baseof.html", LAYOUT),
                       ("layouts/_default/single.html", SINGLE), ("layouts/_default/list.html", LIST),
                       ("layouts/index.html", HOME), ("static/style.css", CSS)):
        open(os.path.join(site, name), "w", encoding="utf-8").write(text)
    page(os.path.join(site, "content/_index.md"), {"title": "首页"})
    for s, zh in SECTIONS.items():
        page(os.path.join(site, "content", s, "_index.md"), {"title": zh})
    n = 0
    by_org = {}
    for a in apps.values():
        by_org.setdefault(a["organization"], []).append(a)
    for g in orgs.values():
        fields = [["统一社会信用代码", g["id"]], ["类型", g["kind"]], ["成立日期", g["established"]],
                  ["所在地", g["district"]], ["行业", g.get("industry", "")]]
        links = [[rounds[a["round"]]["name"] if a["round"] in rounds else a["round"], "/applications/%s/" % a["id"]]
                 for a in sorted(by_org.get(g["id"], []), key=lambda a: a["submitted"])]
        page(os.path.join(site, "content/organizations", g["id"] + ".md"),
             {"title": g["name"], "kind_zh": "组织", "fields": fields, "links": links})
        n += 1
    for a in apps.values():
        org = orgs.get(a["organization"], {}).get("name", a["organization"])
        rnd = rounds.get(a["round"], {}).get("name", a["round"])
        fields = [["届次", rnd], ["申报组织", org], ["申报奖项", a["tier"]], ["申报日期", a["submitted"]]]
        fields += [["评审：" + s["stage"], "%s %s %s" % (s["date"], s["outcome"], s.get("score", ""))]
                   for s in a["stages"]]
        if "withdrawn" in a:
            fields.append(["撤回", a["withdrawn"]["date"]])
        if "result" in a:
            r = a["result"]
            fields.append(["结果", "%s %s %s %s" % (r["date"], r["outcome"], r.get("tier", ""),
                                                   r.get("certificate", ""))])
        page(os.path.join(site, "content/applications", a["id"] + ".md"),
             {"title": "%s：%s" % (org, rnd), "kind_zh": "申报", "fields": fields,
              "links": [[org, "/organizations/%s/" % a["organization"]], [rnd, "/rounds/%s/" % a["round"]]]})
        n += 1
    for x in notices.values():
        fields = [["类型", KIND_ZH[x["kind"]]], ["发布单位", x["issuer"]], ["发布日期", x["issued"]]]
        if "period" in x:
            fields.append(["公示期", "%s 至 %s" % (x["period"]["start"], x["period"]["end"])])
        links = [[orgs.get(apps.get(e["application"], {}).get("organization"), {}).get("name", e["application"]),
                  "/applications/%s/" % e["application"]] for e in x["entries"]]
        page(os.path.join(site, "content/notices", x["id"] + ".md"),
             {"title": x["title"], "kind_zh": KIND_ZH[x["kind"]], "fields": fields, "links": links}, x["body"])
        n += 1
    for r in rounds.values():
        fields = [["项目", r["program"]], ["年度", str(r["year"])],
                  ["申报期", "%s 至 %s" % (r["applications"]["start"], r["applications"]["end"])]]
        if "approval" in r:
            fields.append(["批准", "%s %s" % (r["approval"]["date"], r["approval"]["authority"])])
        page(os.path.join(site, "content/rounds", r["id"] + ".md"),
             {"title": r["name"], "kind_zh": "届次", "fields": fields}, r.get("call", {}).get("body", ""))
        n += 1
    print(n)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
