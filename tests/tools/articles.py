#!/usr/bin/env python3
"""Holds data/articles.md to the record, the checker and the cases.

For each program section: every article of content/measures/<id>.md has a
row (the second 第二十三条 of a text that numbers two is written
"第二十三条 (second)"); every rule a row names is one `gongshi rules` lists;
every case it names exists and expects a diagnostic (an error, or a
warning for a rule that warns) of one of the row's
rules on a line naming the program; every reason is a letter of the legend.
Prints the counts and "articles: N passed, M failed".

Usage: articles.py GONGSHI
"""
import os
import re
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
CASES = os.path.join(ROOT, "tests", "check", "cases")
REASONS = set("PBSECFRD")
ARTICLE = re.compile(r"^(?:\*\*|#+ )?(第[一二三四五六七八九十百零0-9]+条)", re.M)


def main():
    gongshi = sys.argv[1]
    out = subprocess.run([gongshi, "-C", os.path.join(ROOT, "tests", "fixtures", "base"), "rules",
                          "--worktree"], capture_output=True, text=True).stdout
    rules = set(re.findall(r"^([a-z0-9-]+) \((?:error|warning)\):", out, re.M))
    with open(os.path.join(ROOT, "data", "articles.md"), encoding="utf-8") as f:
        text = f.read()
    passed, failed = 0, 0
    counts = {"articles": 0, "checkable": 0, "encoded": 0, "with_case": 0, "every_rule": 0}

    def fail(msg):
        nonlocal failed
        failed += 1
        print("FAIL articles: " + msg)

    sections = re.split(r"^## ([a-z0-9-]+)\n", text, flags=re.M)
    programs = dict(zip(sections[1::2], sections[2::2]))
    for prog in ("lhasa", "ganzhou", "lanzhou", "baoshan", "hohhot"):
        if prog not in programs:
            fail(f"no section for {prog}")
            continue
        with open(os.path.join(ROOT, "content", "measures", prog + ".md"), encoding="utf-8") as f:
            want = ARTICLE.findall(f.read())
        seen = []
        for line in programs[prog].splitlines():
            cells = [c.strip() for c in line.strip().strip("|").split("|")]
            if not line.startswith("| 第") or len(cells) != 4:
                continue
            art, _, rcell, ccell = cells
            label = art + (" (second)" if art in seen and "(second)" not in art else "")
            seen.append(art.replace(" (second)", ""))
            counts["articles"] += 1
            named = re.findall(r"`([a-z0-9-]+)`", rcell)
            cases = re.findall(r"`([a-z0-9-]+)`", ccell)
            if not named and "not encoded" not in rcell:
                if rcell != "—" or not ccell[:1] in REASONS:
                    fail(f"{prog} {label}: no rule and no reason of the legend")
                else:
                    passed += 1
                continue
            counts["checkable"] += 1
            if not named:
                passed += 1
                continue
            counts["encoded"] += 1
            shown = set()
            for r in named:
                if r not in rules:
                    fail(f"{prog} {label}: rule {r} is not one gongshi knows")
            for c in cases:
                path = os.path.join(CASES, c + ".case")
                if not os.path.exists(path):
                    fail(f"{prog} {label}: no case {c}")
                    continue
                with open(path, encoding="utf-8") as f:
                    body = f.read()
                expect = body[body.find("--- expect"):]
                hits = {r for r in named for l in expect.splitlines()[1:]
                        if l.endswith(f"[{r}]") and prog in l}
                if not hits:
                    fail(f"{prog} {label}: case {c} shows none of {', '.join(named)} on {prog}")
                    continue
                shown |= hits
            if shown:
                counts["with_case"] += 1
                passed += 1
                if shown >= set(named):
                    counts["every_rule"] += 1
                else:
                    print(f"note: {prog} {label}: no failing case for "
                          + ", ".join(r for r in named if r not in shown))
            else:
                fail(f"{prog} {label}: encoded, but no failing case")
        missing = [a for a in want if a in want and want.count(a) > seen.count(a)]
        if missing:
            fail(f"{prog}: no row for {', '.join(sorted(set(missing)))}")
        else:
            passed += 1
    print("articles {articles}, checkable {checkable}, encoded {encoded}, with a failing case "
          "{with_case}, with one for every rule named {every_rule}".format(**counts))
    print(f"articles: {passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
