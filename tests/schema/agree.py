#!/usr/bin/python3
"""The JSON Schemas (data/schema/) and the C checker agree: the test.

gongshi interprets the very schema files that editors use, with its own
C code (generator/schema.c).  This test runs an independent validator,
python3-jsonschema (Draft 2020-12), over many record files and checks
that for every file

    python finds it invalid  <=>  gongshi prints at least one
                                  schema-class diagnostic for it

where the schema-class rules are schema-*, date-invalid and
uscc-check-digit.  Other diagnostics (id-filename, id-duplicate,
references, the programs' rules) are not about one file's schema and are
ignored.

The files are: the base fixture (tests/fixtures/base/) unchanged, the demo
record (data/) unchanged -- both must be valid on both sides -- and
thousands of mutants of the fixture's files, made deterministically (a
fixed seed): for every field path of every kind of file (each tried in
one of the files that has it, in turn), the field deleted, given another
type, set to strings that break or keep its pattern, enum, format or
length, numbers at and past its bounds, lists at and past their sizes,
objects with an unknown key (a typo of a known one, among others) or
with each optional field the schema knows and the file lacks; then a
random sample of the same operations over all files' fields.  Every
mutant is written as data/<kind>/m<N>.json of ONE temporary record (its
id is left as it is: id-filename and id-duplicate are not schema-class),
and gongshi checks that record once.

The validator is made to check what the schemas say, as JSON Schema
defines it:
- format "date" (a real calendar date: 2023-02-30 is not) and "uscc"
  (GB 32100-2015's check character) are asserted, as gongshi does;
- "pattern" is ECMA-262, as JSON Schema requires: '$' matches only at
  the end of the string (Python's matches before a final newline too)
  and '.' matches no line terminator (Python's matches \\r, U+2028 and
  U+2029).

Output: one paragraph per disagreement (the file, what was changed, the
python error, the gongshi lines), then "schema: N passed, M failed", one
pass per file on which both sides agree.  Usage: agree.py GONGSHI
"""
import copy
import datetime
import glob
import json
import os
import random
import re
import shutil
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
FIXTURE = os.path.join(ROOT, "tests", "fixtures", "base")
SCHEMA_DIR = os.path.join(ROOT, "data", "schema")
SEED = 20241122
RANDOM_EXTRA = 1500     # mutants drawn at random on top of the systematic ones

KINDS = {
    "programs": "program.schema.json",
    "organizations": "organization.schema.json",
    "rounds": "round.schema.json",
    "applications": "application.schema.json",
    "notices": "notice.schema.json",
    "objections": "objection.schema.json",
    "revocations": "revocation.schema.json",
    "calendars": "calendar.schema.json",
}
SCHEMA_RULES = {
    "schema-type", "schema-required", "schema-unknown-key", "schema-enum",
    "schema-pattern", "schema-range", "schema-length", "schema-items",
    "date-invalid", "uscc-check-digit",
}
# Every mutant is well-formed JSON: one of these means gongshi did not
# even get to its schema, and the comparison cannot be made.
FORMAT_RULES = {
    "file-size", "bom", "nul-byte", "utf8", "json-syntax", "nesting",
    "duplicate-key",
}
DIAG = re.compile(r"^(.+?):(\d+):(\d+): (error|warning): (.*) \[([a-z0-9-]+)\]$")

USCC_CHARSET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
USCC_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)


def fail_early(message):
    print(message)
    print("schema: 0 passed, 1 failed")
    sys.exit(1)


try:
    import jsonschema
    from jsonschema import Draft202012Validator, FormatChecker, ValidationError
except ImportError:
    # Another python3 may come first on PATH; Debian's has the package.
    if (os.path.exists("/usr/bin/python3") and
            os.path.realpath(sys.executable) != os.path.realpath("/usr/bin/python3") and
            not os.environ.get("GONGSHI_AGREE_REEXEC")):
        os.environ["GONGSHI_AGREE_REEXEC"] = "1"
        os.execv("/usr/bin/python3", ["/usr/bin/python3"] + sys.argv)
    fail_early("python3-jsonschema is not installed (make deps installs it)")


# ---- the independent side: python3-jsonschema ----

def uscc_check_char(s17):
    total = sum(USCC_CHARSET.index(c) * w for c, w in zip(s17, USCC_WEIGHTS))
    return USCC_CHARSET[(31 - total % 31) % 31]


def format_checker():
    fc = FormatChecker(formats=())

    @fc.checks("date")
    def is_date(value):
        # The shape is the pattern's business; the format adds "a real day".
        if not isinstance(value, str) or not re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", value):
            return True
        try:
            datetime.date(int(value[:4]), int(value[5:7]), int(value[8:]))
        except ValueError:
            return False
        return True

    @fc.checks("uscc")
    def is_uscc(value):
        if (not isinstance(value, str) or len(value) != 18 or
                any(c not in USCC_CHARSET for c in value)):
            return True
        return uscc_check_char(value[:17]) == value[17]

    return fc


def ecma_regex(pattern):
    """pattern (ECMA-262, without flags) as a Python regex of the same
    meaning for the constructs the schemas use."""
    out, i, in_class = [], 0, False
    while i < len(pattern):
        c = pattern[i]
        if c == "\\":
            out.append(pattern[i:i + 2])
            i += 2
            continue
        if in_class:
            in_class = c != "]"
        elif c == "[":
            in_class = True
        elif c == "$":
            c = r"\Z"
        elif c == ".":
            c = "[^\n\r\u2028\u2029]"
        out.append(c)
        i += 1
    return re.compile("".join(out))


_regex_cache = {}


def ecma_pattern(validator, pattern, instance, schema):
    if not validator.is_type(instance, "string"):
        return
    rx = _regex_cache.get(pattern)
    if rx is None:
        rx = _regex_cache[pattern] = ecma_regex(pattern)
    if not rx.search(instance):
        yield ValidationError("%r does not match %r" % (instance, pattern))


def load_schemas():
    schemas = {}
    for path in sorted(glob.glob(os.path.join(SCHEMA_DIR, "*.schema.json"))):
        with open(path, encoding="utf-8") as f:
            s = json.load(f)
        schemas[s["$id"]] = s
    return schemas


def make_validators(schemas):
    cls = jsonschema.validators.extend(Draft202012Validator, {"pattern": ecma_pattern})
    fc = format_checker()
    try:
        from referencing import Registry, Resource
        from referencing.jsonschema import DRAFT202012
    except ImportError:
        # jsonschema 4.10 (Debian 12): a RefResolver with every file in its
        # store.  Its search of subschemas for "$id" trips over
        # calendar.schema.json's *property* named "$id" (a dict), and the
        # store already holds every file, so that search is skipped.
        class Resolver(jsonschema.RefResolver):
            def _find_in_subschemas(self, url):
                return None

        return {sid: cls(s, format_checker=fc,
                         resolver=Resolver(base_uri=sid, referrer=s, store=dict(schemas)))
                for sid, s in schemas.items()}
    registry = Registry().with_resources(
        [(sid, Resource.from_contents(s, default_specification=DRAFT202012))
         for sid, s in schemas.items()])
    return {sid: cls(s, format_checker=fc, registry=registry) for sid, s in schemas.items()}


def python_verdict(validator, doc):
    """None if valid, else a one-line description of the first error."""
    e = next(validator.iter_errors(doc), None)   # the first is enough
    if e is None:
        return None
    return "%s: %s" % (fmt_path(list(e.absolute_path)) or "(top level)", short(e.message))


# ---- paths in documents and schemas ----

def fmt_path(path):
    s = ""
    for k in path:
        s += "[%d]" % k if isinstance(k, int) else ("." if s else "") + k
    return s


def short(text, n=160):
    for c in "\n\r\u2028\u2029":
        text = text.replace(c, json.dumps(c)[1:-1])
    return text if len(text) <= n else text[:n] + "..."


def walk(value, path=()):
    yield list(path), value
    if isinstance(value, dict):
        for k, v in value.items():
            yield from walk(v, path + (k,))
    elif isinstance(value, list):
        for i, v in enumerate(value):
            yield from walk(v, path + (i,))


def get(doc, path):
    for k in path:
        doc = doc[k]
    return doc


def norm(path):
    return tuple("[]" if isinstance(k, int) else k for k in path)


class SchemaWalker:
    """Finds the (dereferenced) subschema for a path of a document."""

    def __init__(self, schemas):
        self.schemas = schemas

    def deref(self, s, base):
        seen = 0
        while isinstance(s, dict) and "$ref" in s and seen < 20:
            file, _, frag = s["$ref"].partition("#")
            base = file or base
            s = self.schemas[base]
            for part in frag.split("/")[1:]:
                s = s[part]
            seen += 1
        return s, base

    def at(self, sid, path):
        """(subschema, its file, the name of the $defs entry it is, if any)."""
        s, base = self.deref(self.schemas[sid], sid)
        name = None
        for k in path:
            if not isinstance(s, dict):
                return None, base, None
            s = s.get("items") if isinstance(k, int) else s.get("properties", {}).get(k)
            if s is None:
                return None, base, None
            name = s["$ref"].rsplit("/", 1)[-1] if isinstance(s, dict) and "$ref" in s else None
            s, base = self.deref(s, base)
        return s, base, name

    def sample(self, s, base, key=None, depth=0):
        """A value the schema s (of field key) most likely accepts (python
        decides)."""
        if isinstance(s, dict) and "$ref" in s:
            name = s["$ref"].rsplit("/", 1)[-1]
            if name in DEF_SAMPLES:
                return copy.deepcopy(DEF_SAMPLES[name])
        s, base = self.deref(s, base)
        if not isinstance(s, dict) or depth > 8:
            return None
        if "enum" in s:
            return s["enum"][-1]
        t = s.get("type")
        if t == "object":
            props = s.get("properties", {})
            return {k: self.sample(props.get(k, {}), base, k, depth + 1)
                    for k in s.get("required", [])}
        if t == "array":
            return [self.sample(s["items"], base, None, depth + 1)
                    for _ in range(s.get("minItems", 1))] if "items" in s else []
        if t == "string":
            if "pattern" in s:
                return PATTERN_SAMPLES.get(key, ["x"])[0]
            return "样" * max(1, s.get("minLength", 1))
        if t in ("integer", "number"):
            return s.get("maximum", s.get("minimum", 1))
        if t == "boolean":
            return False
        return None


DEF_SAMPLES = {
    "id": "sample-1", "uscc": "91620100123450006Y", "date": "2024-02-29",
    "article": "第十一条（七）", "document_number": "兰政发〔2023〕32号",
    "text": "样例", "markdown": "**样例**\n\n- 一", "yuan": 100000000,
    "years": 100, "schema_ref": "../schema/x.schema.json",
    "period": {"start": "2024-02-28", "end": "2024-03-01"},
}

# Strings to try in a field with a pattern, by the $defs entry it is or
# else by its own name (whatever the pattern says today).
PATTERN_SAMPLES = {
    "id": [
        "a", "a-1-b", "a" * 64, "a" * 65, "A", "a--b", "-a", "a-", "a_b", "a.b",
        "../../etc/passwd", "a/b", "ａ", "a\n", "\na", "a\u2028",
    ],
    "uscc": [
        "91620100123450006Y", "916201001234500160", "91620100123450006X",
        "91620100123450006y", "9162010012345000Y", "91620100123450006YY",
        "91620100123450006I", "91620100123450006O", "9162010A123450006Y",
        "916201001234500060", "91620100123450006Y\n",
    ],
    "date": [
        "2024-02-29", "2023-02-29", "2023-02-30", "2100-02-29", "2000-02-29",
        "1900-02-29", "1899-12-31", "1900-01-01", "2199-12-31", "2200-01-01", "1800-01-01",
        "2023-13-01", "2023-00-10", "2023-04-31", "2023-04-00", "2023-1-01",
        "2023-01-01T00:00", "２０２３-01-01", "2023/01/01", "2023-01-01\n", "0000-01-01",
    ],
    "article": [
        "第十八条", "第18条", "第十一条（七）", "第二十一条第二款", "第十一条（七）第二款",
        "第十一条(七)", "十八条", "第条", "第十八条第六款", "第十八条 ", "第十八条\n", "第一百零八条",
    ],
    "document_number": [
        "兰政发〔2023〕32号", "兰政发[2023]32号", "兰政发〔23〕32号", "〔2023〕32号",
        "兰政发〔2023〕号", "兰政发〔2023〕32", "兰政发〔2023〕32号\n", "兰政发\n〔2023〕32号",
        "\n〔2023〕32号", "兰政发\r〔2023〕32号", "兰\u2028〔2023〕32号", "兰政发（2023）32号",
    ],
    "certificate": [
        "A", "A" + "-" * 39, "A" + "-" * 40, "-A", "A_1", "证书1", "A\n",
    ],
    "website": [
        "https://example.gov.cn/a?b=c", "http://x", "ftp://x", "https://", "https://a b",
        "https://例子.cn", "HTTPS://x", "https://x\n",
    ],
    "email": [
        "a@b", "a@@b", "@b", "a@", "a b@c", "a@b\n", "a\n@b", "名@例.cn",
    ],
    "text": [
        "measures/x.md", "Measures/x.md", "/x.md", "x.md\n", "x.markdown", "a/../../b.md",
    ],
}

# Values of every JSON type, to give a field the wrong one.
TYPE_SAMPLES = [None, True, False, 0, 7, 1.5, "", "x", "2024", [], ["x"], {}, {"x": 1}]
STRING_OPS = [
    ("empty", lambda v: ""),
    ("newline after", lambda v: v + "\n"),
    ("newline before", lambda v: "\n" + v),
    ("space after", lambda v: v + " "),
    ("ideographic space before", lambda v: "\u3000" + v),
    ("upper case", lambda v: v.upper()),
    ("last character dropped", lambda v: v[:-1]),
    ("a path", lambda v: "../../etc/passwd"),
    ("2000 characters", lambda v: ("文" * 2000)),
    ("2001 characters", lambda v: ("文" * 2001)),
    ("65 letters", lambda v: "a" * 65),
    ("a supplementary-plane character", lambda v: v + "\U0001F3EE"),
    ("a control character", lambda v: v + "\u0001"),
]
NUMBER_SAMPLES = [0, -1, 1, 0.5, -0.5, 1000, 1000.5, 1001, 365, 366, 1989, 1990, 2100,
                  2101, 100000000, 100000001, 1e16, 1e308, -1e308, 2.0]


def typo(key, rng):
    if len(key) < 3:
        return key + "s"
    i = rng.randrange(len(key) - 1)
    ops = [key[:i] + key[i + 1] + key[i] + key[i + 2:],   # two letters swapped
           key[:i] + key[i + 1:],                          # one dropped
           key + "s", key.upper(), key.replace("_", "-") if "_" in key else key + "_"]
    t = rng.choice(ops)
    return t if t != key else key + "x"


def mutations(doc, path, walker, sid, salt=""):
    """(description, function making the mutated document) pairs for the
    node at path.  The same arguments give the same list: the choices
    are drawn from a generator seeded by the path."""
    rng = random.Random("%d %s %s %r" % (SEED, sid, salt, path))
    value = get(doc, path)
    s, base, defname = walker.at(sid, path)
    where = fmt_path(path) or "(top level)"
    out = []

    def put(desc, new):
        def make():
            if not path:
                return copy.deepcopy(new)
            d = copy.deepcopy(doc)
            get(d, path[:-1])[path[-1]] = copy.deepcopy(new)
            return d
        out.append(("%s = %s (%s)" % (where, short(json.dumps(new, ensure_ascii=False), 60), desc),
                    make))

    if path:
        def delete():
            d = copy.deepcopy(doc)
            del get(d, path[:-1])[path[-1]]
            return d
        out.append(("%s deleted" % where, delete))
    others = [t for t in TYPE_SAMPLES if type(t) is not type(value)]
    for t in rng.sample(others, 3):
        put("another type", t)
    if isinstance(value, str):
        for desc, f in STRING_OPS:
            put(desc, f(value))
        if isinstance(s, dict) and "pattern" in s:
            field = defname if defname in PATTERN_SAMPLES else path[-1] if path else None
            for v in PATTERN_SAMPLES.get(field, []):
                put("pattern", v)
        if defname == "uscc" and len(value) == 18:
            for c in rng.sample([c for c in USCC_CHARSET if c != value[-1]], 3):
                put("another check character", value[:-1] + c)
            i = rng.randrange(2, 15)
            put("two characters swapped", value[:i] + value[i + 1] + value[i] + value[i + 2:])
        if isinstance(s, dict) and "enum" in s:
            for v in s["enum"]:
                put("enum", v)
            put("enum, case", value.upper())
            put("enum, space", value + " ")
        if len(value) > 200:
            put("100000 characters", "a" * 100000)
            put("100001 characters", "a" * 100001)
    elif isinstance(value, bool):
        put("a string", "true")
    elif isinstance(value, (int, float)):
        bounds = []
        if isinstance(s, dict):
            for k in ("minimum", "maximum"):
                if k in s:
                    b = s[k]
                    bounds += [b - 1, b, b + 1, b - 0.5, b + 0.5]
        for v in bounds + rng.sample(NUMBER_SAMPLES, 5) + [value + 0.5, float(value)]:
            put("number", v)
    elif isinstance(value, list):
        put("empty list", [])
        if value:
            lo = s.get("minItems") if isinstance(s, dict) else None
            hi = s.get("maxItems") if isinstance(s, dict) else None
            for n in {len(value) + 1, hi, (hi or 0) + 1, lo}:
                if n and n <= 25:
                    put("%d items" % n, (value * n)[:n] if n > len(value) else value[:n])
            if hi and hi > 25 and rng.random() < 0.2:
                put("%d items" % (hi + 1), (value * (hi + 1))[:hi + 1])
        put("a wrong item", value + [rng.choice([1, "x", None, True])])
    elif isinstance(value, dict):
        put("empty object", {})
        keys = list(value)
        if keys:
            k = typo(rng.choice(keys), rng)
            if k not in value:
                d = dict(value)
                d[k] = value[rng.choice(keys)]
                put("typo of a key", d)
        for k in ("x", "", "备注", "$comment"):
            d = dict(value)
            d[k] = "x"
            put("unknown key", d)
        props = s.get("properties", {}) if isinstance(s, dict) else {}
        for k in sorted(props):
            if k in value:
                continue
            d = dict(value)
            d[k] = walker.sample(props[k], base, k)
            put("optional field added", d)
            d = dict(value)
            d[k] = rng.choice(TYPE_SAMPLES)
            put("optional field of any type", d)
    return out


# ---- the run ----

def record_files(root):
    """{relative path: schema id} of the record files under root/data/,
    as gongshi chooses them (record folders, .json, no hidden files)."""
    files = {}
    for kind, sid in KINDS.items():
        for path in glob.glob(os.path.join(root, "data", kind, "**", "*.json"), recursive=True):
            rel = os.path.relpath(path, root).replace(os.sep, "/")
            if not os.path.basename(rel).startswith("."):
                files[rel] = sid
    return dict(sorted(files.items()))


def run_gongshi(gongshi, root):
    p = subprocess.run([gongshi, "-C", root, "check", "-q", "--worktree"],
                       capture_output=True, timeout=300)
    if p.returncode not in (0, 1):
        return None, "gongshi exited %d: %s" % (p.returncode, p.stderr.decode("utf-8", "replace"))
    lines, pending = {}, ""
    # Lines end at "\n" alone (not at U+2028 as str.splitlines() has it).
    # A value holding a raw newline splits a diagnostic over two lines;
    # those are joined back (not this test's business).
    for line in p.stdout.decode("utf-8", "replace").split("\n")[:-1]:
        line = pending + line
        m = DIAG.match(line)
        if not m:
            pending = line + "\\n"
            continue
        pending = ""
        lines.setdefault(m.group(1), []).append((m.group(6), line))
    if pending:
        return None, "unexpected output: " + pending
    return lines, None


def main():
    if len(sys.argv) != 2:
        print("usage: agree.py GONGSHI", file=sys.stderr)
        return 2
    gongshi = os.path.abspath(sys.argv[1])
    t0 = time.time()
    schemas = load_schemas()
    validators = make_validators(schemas)
    walker = SchemaWalker(schemas)
    rng = random.Random(SEED)

    # What to compare: (record root, relative path, schema id, python verdict, description)
    base_files = record_files(FIXTURE)
    docs = {}
    for rel, sid in base_files.items():
        with open(os.path.join(FIXTURE, rel), encoding="utf-8") as f:
            docs[rel] = json.load(f)

    # The systematic mutants: every field path of every kind, each
    # operation applied in one of the files having that path, in turn.
    by_path = {}
    for rel in docs:
        kind = rel.split("/")[1]
        for path, _ in walk(docs[rel]):
            by_path.setdefault((kind, norm(path)), []).append((rel, path))
    plan = []
    for key in sorted(by_path, key=repr):
        places = by_path[key]
        rel, path = places[0]
        ops = mutations(docs[rel], path, walker, base_files[rel], rel)
        for i in range(len(ops)):
            rel, path = places[(i * 7919) % len(places)]
            plan.append((rel, path, i))
    # The random ones: any file, any field, any operation.
    every = [(rel, path) for rel in docs for path, _ in walk(docs[rel])]
    for _ in range(RANDOM_EXTRA):
        rel, path = rng.choice(every)
        plan.append((rel, path, None))

    tmp = tempfile.mkdtemp(prefix="gongshi-agree-")
    try:
        root = os.path.join(tmp, "record")
        shutil.copytree(FIXTURE, root)
        compare = []   # (rel, sid, python verdict, what)
        for rel, sid in base_files.items():
            compare.append((rel, sid, python_verdict(validators[sid], docs[rel]), "the fixture, unchanged"))
        seen = set()
        n = 0
        for rel, path, i in plan:
            ops = mutations(docs[rel], path, walker, base_files[rel], rel)
            if not ops:
                continue
            desc, make = ops[i % len(ops)] if i is not None else rng.choice(ops)
            mdoc = make()
            text = json.dumps(mdoc, ensure_ascii=False, indent=2) + "\n"
            kind = rel.split("/")[1]
            if (kind, text) in seen:
                continue
            seen.add((kind, text))
            n += 1
            mrel = "data/%s/m%d.json" % (kind, n)
            with open(os.path.join(root, mrel), "w", encoding="utf-8") as f:
                f.write(text)
            sid = KINDS[kind]
            compare.append((mrel, sid, python_verdict(validators[sid], mdoc),
                            "%s: %s" % (rel, desc)))
        c_lines, error = run_gongshi(gongshi, root)
        if error:
            print("FAIL the mutated record: " + error)
            print("schema: 0 passed, 1 failed")
            return 1

        # The demo record, unchanged, in its own run.
        demo_lines, error = run_gongshi(gongshi, ROOT)
        demo = []
        if error:
            demo_error = error
        else:
            demo_error = None
            for rel, sid in record_files(ROOT).items():
                try:
                    with open(os.path.join(ROOT, rel), encoding="utf-8") as f:
                        doc = json.load(f)
                    verdict = python_verdict(validators[sid], doc)
                except ValueError as e:
                    verdict = "not JSON: %s" % e
                demo.append((rel, sid, verdict, "the demo record, unchanged"))
    finally:
        if os.environ.get("GONGSHI_AGREE_KEEP"):
            print("kept " + tmp)
        else:
            shutil.rmtree(tmp)

    passed = failed = 0

    def judge(items, lines, must_be_valid):
        nonlocal passed, failed
        for rel, sid, verdict, what in items:
            mine = lines.get(rel, [])
            schema = [l for r, l in mine if r in SCHEMA_RULES]
            fmt = [l for r, l in mine if r in FORMAT_RULES]
            problem = None
            if fmt:
                problem = "gongshi did not parse it"
            elif (verdict is None) == bool(schema):
                problem = "disagree"
            elif must_be_valid and (verdict or schema):
                problem = "must be valid"
            if not problem:
                passed += 1
                continue
            failed += 1
            print("FAIL %s (%s; schema %s): %s" % (rel, problem, sid, what))
            print("    python:  %s" % (verdict or "valid"))
            for l in (schema + fmt) or ["(no schema diagnostic)"]:
                print("    gongshi: %s" % l)

    judge(compare[:len(base_files)], c_lines, True)
    judge(compare[len(base_files):], c_lines, False)
    if demo_error:
        failed += 1
        print("FAIL the demo record: " + demo_error)
    else:
        judge(demo, demo_lines, True)
    if os.environ.get("VERBOSE"):
        invalid = sum(1 for item in compare if item[2])
        rules = {}
        for diags in c_lines.values():
            for r, _ in diags:
                if r in SCHEMA_RULES:
                    rules[r] = rules.get(r, 0) + 1
        print("%d mutants, %d invalid to python; gongshi's schema diagnostics: %s" % (
            n, invalid, ", ".join("%s %d" % kv for kv in sorted(rules.items()))))
        print("%d files compared in %.1f s" % (passed + failed, time.time() - t0))
    print("schema: %d passed, %d failed" % (passed, failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
