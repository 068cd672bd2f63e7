#!/usr/bin/env python3
"""Fills what `gongshi new` (or init) said is still to fill in, as an editor
would: reads the command's output on stdin, and for each listed JSON
pointer of the file it wrote sets a value.  A text still holding the
template's mark 【待填写 gets a made-up text; a value listed to confirm
keeps the value gongshi derived unless VALUES (pointer=value
arguments) gives one.  Usage: gongshi new ... | fill-new.py REPO [PTR=VALUE]..."""
import json, re, sys

repo = sys.argv[1]
given = dict(a.split("=", 1) for a in sys.argv[2:])
out = sys.stdin.read()
sys.stdout.write(out)
m = re.search(r"^(?:wrote|fill in) (\S+?):?$", out, re.M)
path = repo + "/" + m.group(1)
pointers = re.findall(r"^  (/\S*)\t", out, re.M)
with open(path, encoding="utf-8") as f:
    doc = json.load(f)


def walk(ptr):
    parts = [p.replace("~1", "/").replace("~0", "~") for p in ptr.split("/")[1:]]
    node = doc
    for p in parts[:-1]:
        node = node[int(p)] if isinstance(node, list) else node[p]
    return node, (int(parts[-1]) if isinstance(node, list) else parts[-1])


n = 0
for ptr in pointers:
    node, key = walk(ptr)
    if ptr in given:
        node[key] = given[ptr]
    elif isinstance(node[key], str) and "【待填写" in node[key]:
        n += 1
        node[key] = "测试填写%d" % n
with open(path, "w", encoding="utf-8") as f:
    json.dump(doc, f, ensure_ascii=False, indent=2)
    f.write("\n")
