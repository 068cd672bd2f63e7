#!/usr/bin/env python3
"""End-to-end tests of `gongshi check`: one .case file per test.

A case starts from a base record (tests/fixtures/<base>/, "mini" unless
a `--- base NAME` section says otherwise), changes it, runs the checker
and compares exit status and output exactly.  Sections:

    --- base NAME            start from tests/fixtures/NAME/
    --- file PATH            replace or add PATH with the text that follows
    --- set PATH KEY.PATH = JSON
                             set a field (a.b[2].c) and rewrite the file the
                             way the fixtures are written (2-space indent)
    --- del PATH KEY.PATH    remove a field
    --- copy FIXTURE PATH    copy tests/fixtures/FIXTURE to PATH
    --- rm PATH              remove a file
    --- bytes PATH PYEXPR    write bytes from a Python expression (hostile input)
    --- args ARGS            extra arguments (shell words), default none
    --- git                  commit the tree and check HEAD (default: --worktree)
    --- expect N             expected exit status; the lines that follow are
                             the expected standard output (check runs with -q)

With UPDATE=1 in the environment, a failing case's "--- expect" section is
rewritten from what the checker printed: for writing new cases, never
for making a red test green without reading the diff.

Lines before the first section are comments.  Usage: run.py GONGSHI CASE...
"""
import json
import os
import re
import shlex
import shutil
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
FIXTURES = os.path.join(os.path.dirname(HERE), "fixtures")


def dump(obj):
    return json.dumps(obj, ensure_ascii=False, indent=2) + "\n"


def walk(obj, path):
    """Parent container and final key for a dotted path with [i] parts."""
    parts = re.findall(r"[^.\[\]]+|\[\d+\]", path)
    for p in parts[:-1]:
        obj = obj[int(p[1:-1])] if p.startswith("[") else obj.setdefault(p, {})
    last = parts[-1]
    return obj, (int(last[1:-1]) if last.startswith("[") else last)


def parse(text):
    sections, cur = [], None
    for line in text.splitlines(keepends=True):
        if line.startswith("--- "):
            cur = [line[4:].rstrip("\n"), ""]
            sections.append(cur)
        elif cur is not None:
            cur[1] += line
    return sections


def run_case(gongshi, case):
    with open(case, encoding="utf-8") as f:
        sections = parse(f.read())
    base, args, use_git, expect_status, expect_out = "base", [], False, None, ""
    for head, body in sections:
        if head.startswith("base "):
            base = head[5:].strip()
    tmp = tempfile.mkdtemp(prefix="gongshi-case-")
    try:
        root = os.path.join(tmp, "repo")
        shutil.copytree(os.path.join(FIXTURES, base), root)
        for head, body in sections:
            verb, _, rest = head.partition(" ")
            if verb == "file":
                path = os.path.join(root, rest.strip())
                os.makedirs(os.path.dirname(path), exist_ok=True)
                with open(path, "w", encoding="utf-8") as f:
                    f.write(body)
            elif verb == "copy":
                src, dst = rest.split()
                path = os.path.join(root, dst)
                os.makedirs(os.path.dirname(path), exist_ok=True)
                shutil.copyfile(os.path.join(FIXTURES, src), path)
            elif verb in ("set", "del"):
                if verb == "set":
                    target, value = rest.split(" = ", 1)
                    fname, key = target.split(" ", 1)
                else:
                    fname, key = rest.split(" ", 1)
                path = os.path.join(root, fname)
                with open(path, encoding="utf-8") as f:
                    doc = json.load(f)
                parent, k = walk(doc, key.strip())
                if verb == "set" and isinstance(parent, list) and k == len(parent):
                    parent.append(json.loads(value))
                elif verb == "set":
                    parent[k] = json.loads(value)
                else:
                    del parent[k]
                with open(path, "w", encoding="utf-8") as f:
                    f.write(dump(doc))
            elif verb == "rm":
                os.remove(os.path.join(root, rest.strip()))
            elif verb == "bytes":
                fname, expr = rest.split(" ", 1)
                path = os.path.join(root, fname)
                os.makedirs(os.path.dirname(path), exist_ok=True)
                with open(path, "wb") as f:
                    f.write(eval(expr, {}))  # trusted: our own test files
            elif verb == "args":
                args = shlex.split(rest)
            elif verb == "git":
                use_git = True
            elif verb == "expect":
                expect_status, expect_out = int(rest), body
        if expect_status is None:
            return "no '--- expect' section"
        wrapper = shlex.split(os.environ.get("GONGSHI_WRAPPER", ""))
        cmd = wrapper + [gongshi, "-C", root, "check", "-q"] + args
        if use_git:
            env = dict(os.environ, GIT_AUTHOR_NAME="t", GIT_AUTHOR_EMAIL="t@example.org",
                       GIT_COMMITTER_NAME="t", GIT_COMMITTER_EMAIL="t@example.org",
                       GIT_AUTHOR_DATE="2024-01-01T00:00:00+08:00",
                       GIT_COMMITTER_DATE="2024-01-01T00:00:00+08:00")
            for c in (["init", "-q"], ["add", "-A"], ["commit", "-q", "-m", "case"]):
                subprocess.run(["git", "-C", root] + c, check=True, env=env,
                               stdout=subprocess.DEVNULL)
        else:
            cmd.append("--worktree")
        p = subprocess.run(cmd, capture_output=True, timeout=120)
        out = p.stdout.decode("utf-8", "replace")
        problems = []
        if p.returncode < 0:
            problems.append("killed by signal %d" % -p.returncode)
        if p.returncode != expect_status:
            problems.append("exit %d, expected %d" % (p.returncode, expect_status))
        if out != expect_out:
            problems.append("output differs:\n--- expected\n%s--- got\n%s" % (expect_out, out))
        if p.stderr and expect_status != 2:
            problems.append("unexpected stderr: " + p.stderr.decode("utf-8", "replace"))
        if problems and os.environ.get("UPDATE") and p.returncode >= 0:
            with open(case, encoding="utf-8") as f:
                text = f.read()
            head = text[:text.index("--- expect ")]
            with open(case, "w", encoding="utf-8") as f:
                f.write(head + "--- expect %d\n%s" % (p.returncode, out))
            return "updated: " + "; ".join(problems)
        return "\n".join(problems) or None
    finally:
        shutil.rmtree(tmp)


def main():
    gongshi, cases = os.path.abspath(sys.argv[1]), sys.argv[2:]
    passed = failed = 0
    for case in cases:
        name = os.path.relpath(case, HERE)
        problem = run_case(gongshi, case)
        if problem:
            failed += 1
            print("FAIL %s\n%s" % (name, "    " + problem.replace("\n", "\n    ")))
        else:
            passed += 1
            if os.environ.get("VERBOSE"):
                print("ok   %s" % name)
    print("check cases: %d passed, %d failed" % (passed, failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
