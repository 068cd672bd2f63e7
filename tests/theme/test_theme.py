#!/usr/bin/env python3
"""A site's own theme overrides any file of the default theme (issue #19).

Usage: test_theme.py GONGSHI

On the demo record (tests/tools/demo-repo.py), for every template and
every asset of themes/default/ -- enumerated here, so that a file added
to the default theme is covered without editing this test -- a theme
"mine" holding only a marked copy of that one file is built, and the
mark must show where the file is used: a template in some page (a
partial in a page using it), an asset in the site's assets/.  Then a
theme adding a template and an asset of its own, and a broken override
stopped at its path:line:col.  The last line is "theme: N passed, M failed".
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
DEFAULT = os.path.join(ROOT, "themes", "default")
GONGSHI = os.path.abspath(sys.argv[1]) if len(sys.argv) > 1 else os.path.join(ROOT, "build", "gongshi")
WRAP = os.environ.get("GONGSHI_WRAPPER", "").split()
SDE = "1735603200"
# Not a file of the site: the web server's configuration, for the
# office to copy (README, make test-nginx).
NOT_SITE = {"nginx.conf"}

passed = failed = 0


def check(ok, name, why=""):
    global passed, failed
    if ok:
        passed += 1
        print("ok   %s" % name)
    else:
        failed += 1
        print("FAIL %s: %s" % (name, why))


def default_files():
    """Every file of the default theme, relative to it."""
    out = []
    for base, _, files in os.walk(DEFAULT):
        for f in files:
            rel = os.path.relpath(os.path.join(base, f), DEFAULT)
            if rel not in NOT_SITE:
                out.append(rel)
    return sorted(out)


def mark_of(name):
    return "ZZTHEMEMARK" + re.sub(r"[^A-Za-z0-9]", "X", name) + "ZZ"


def marked(name, text):
    """text with mark_of(name) where it will be rendered: a template that
    calls a parent ({{<layout}}) renders only its blocks, so the mark goes
    into its first block; any other template starts with it; a stylesheet
    or SVG ends with it as a comment."""
    m = mark_of(name)
    if name.endswith(".css"):
        return text + "\n/* %s */\n" % m
    if name.endswith(".svg"):
        return text + "<!-- %s -->\n" % m
    k = re.search(r"\{\{\$[^}]*\}\}", text) if text.lstrip().startswith("{{<") else None
    if k:
        return text[:k.end()] + m + text[k.end():]
    return m + text


def set_theme(repo, files):
    """content/site.json names theme "mine", holding exactly files."""
    path = os.path.join(repo, "content", "site.json")
    d = json.load(open(path, encoding="utf-8"))
    d["theme"] = "mine"
    open(path, "w", encoding="utf-8").write(json.dumps(d, ensure_ascii=False))
    t = os.path.join(repo, "themes", "mine")
    shutil.rmtree(t, ignore_errors=True)
    for name, text in files.items():
        os.makedirs(os.path.dirname(os.path.join(t, name)), exist_ok=True)
        open(os.path.join(t, name), "w", encoding="utf-8").write(text)


def git(repo, *args):
    env = dict(os.environ, GIT_AUTHOR_NAME="Test Office", GIT_AUTHOR_EMAIL="office@example.org",
               GIT_COMMITTER_NAME="Test Office", GIT_COMMITTER_EMAIL="office@example.org",
               GIT_AUTHOR_DATE="2026-10-24T10:00:00+08:00", GIT_COMMITTER_DATE="2026-10-24T10:00:00+08:00")
    return subprocess.run(["git", "-C", repo] + list(args), check=True, env=env, capture_output=True,
                          text=True).stdout.strip()


def build(repo, out, *args):
    shutil.rmtree(out, ignore_errors=True)
    return subprocess.run(WRAP + [GONGSHI, "-C", repo, "build", "-q", "-o", out] + list(args),
                          capture_output=True, env=dict(os.environ, SOURCE_DATE_EPOCH=SDE), timeout=600)


def scenes(repo):
    """Records that together use every template: the demo record as it
    is; the demo on the day an objection is overdue (a lapse shown); the
    demo with a prize its measures leave unstated (未载明 in awards.csv).
    Each a branch of repo, with the arguments to build it."""
    def edit(path, fn):
        p = os.path.join(repo, path)
        d = json.load(open(p, encoding="utf-8"))
        fn(d)
        open(p, "w", encoding="utf-8").write(json.dumps(d, ensure_ascii=False, indent=2) + "\n")
    git(repo, "branch", "-q", "whole")
    rev = [l.split(" ", 1)[0] for l in git(repo, "log", "--format=%H %s").splitlines()
           if l.split(" ", 1)[1].startswith("收到异议：兰州陇上百合食品有限公司")][0]
    git(repo, "branch", "-q", "overdue", rev)
    git(repo, "checkout", "-q", "-b", "unstated", "whole")
    edit("data/programs/lhasa.json", lambda d: d["tiers"][0]["prize"].pop("yuan"))
    for app in ("lhasa-2024-hongsheng", "lhasa-2022-nianqing", "lhasa-2022-riguang"):
        edit("data/applications/%s.json" % app, lambda d: d["result"].pop("prize_yuan"))
    git(repo, "commit", "-q", "-am", "奖金未载明")
    return [("whole", ()), ("overdue", ("--today", "2024-05-08")), ("unstated", ())]


def build_scene(repo, out, scene, files):
    """scene's record with theme "mine" holding exactly files, built."""
    branch, args = scene
    if git(repo, "branch", "--show-current") != branch:
        git(repo, "checkout", "-q", "-f", branch)
    set_theme(repo, files)
    git(repo, "add", "content", "themes")
    git(repo, "commit", "-q", "-m", "theme")
    p = build(repo, out, *args)
    git(repo, "reset", "-q", "--hard", "HEAD~1")
    return p


def files_with(out, needle, under=""):
    hits = []
    for base, _, files in os.walk(os.path.join(out, under)):
        for f in files:
            p = os.path.join(base, f)
            if needle.encode() in open(p, "rb").read():
                hits.append(os.path.relpath(p, out))
    return hits


def main():
    tmp = tempfile.mkdtemp(prefix="gongshi-theme-")
    try:
        repo = os.path.join(tmp, "repo")
        out = os.path.join(tmp, "site")
        subprocess.run([sys.executable, os.path.join(ROOT, "tests", "tools", "demo-repo.py"), repo],
                       check=True, stdout=subprocess.DEVNULL)
        sc = scenes(repo)
        names = default_files()
        check(len([n for n in names if n.endswith(".mustache")]) > 20 and "assets/style.css" in names,
              "the default theme's files enumerated", names)
        for name in names:
            text = open(os.path.join(DEFAULT, name), encoding="utf-8").read()
            why, shown = [], False
            for scene in sc:
                p = build_scene(repo, out, scene, {name: marked(name, text)})
                if p.returncode != 0:
                    why.append("%s: build failed: %s" % (scene[0], p.stderr.decode()[-400:]))
                    break
                hits = files_with(out, mark_of(name), "assets" if name.startswith("assets/") else "")
                if hits and files_with(out, mark_of(name)) == hits:
                    shown = True
                    break
                why.append("%s: mark shown in %s" % (scene[0], hits[:3] or "no file"))
            check(shown, "override " + name, "; ".join(why))

        # new files: a partial the page template includes, and an asset
        page = open(os.path.join(DEFAULT, "page.mustache"), encoding="utf-8").read()
        p = build_scene(repo, out, sc[0], {"page.mustache": marked("page.mustache", page).replace(
            mark_of("page.mustache"), "{{>notice-board}}", 1),
            "notice-board.mustache": "<p>ZZNEWPARTIALZZ {{title}}</p>",
            "assets/seal.svg": "<svg xmlns=\"http://www.w3.org/2000/svg\"/>\n"})
        check(p.returncode == 0 and files_with(out, "ZZNEWPARTIALZZ")
              and os.path.exists(os.path.join(out, "assets", "seal.svg")),
              "a theme adds a template and an asset", p.stderr.decode()[-400:])

        # a broken override stops the build at its place
        p = build_scene(repo, out, sc[0], {"404.mustache": "<p>\n  {{#unclosed}}\n</p>\n"})
        err = p.stderr.decode()
        check(p.returncode != 0 and re.search(r"themes/mine/404\.mustache:\d+:\d+: error: ", err)
              and not os.path.exists(os.path.join(out, "index.html")),
              "a broken override: path:line:col, no site", err[-400:])
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    print("theme: %d passed, %d failed" % (passed, failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
