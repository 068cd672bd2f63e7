#!/usr/bin/env python3
"""Writes the seed corpora of fuzz_record and fuzz_jsondiff from the small
fixture record (tests/fixtures/small).  Seeds are named by their SHA-1, as
libFuzzer names what it finds, so running this again adds nothing twice.

fuzz_record:   one byte choosing a fixture file (its index in the sorted
               list of files, as fuzz_record.c sorts them), then bytes
               that replace it: each file as it is, and a few mutants.
fuzz_jsondiff: old record, NUL, new record: each data file against an
               edited copy (a value changed, a key added and removed, its
               private part changed), and alone (added whole).
Usage: make-seeds.py   (from the repository's root)
"""
import copy
import hashlib
import json
import os

FIX = "tests/fixtures/small"
OUT = "tests/fuzz/corpus"


def put(name, data):
    d = os.path.join(OUT, name)
    os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, hashlib.sha1(data).hexdigest()), "wb") as f:
        f.write(data)


def files():
    v = []
    for dp, _, fs in os.walk(FIX):
        for f in fs:
            v.append(os.path.join(dp, f))
    return sorted(v)


def edited(doc):
    """A few edits of a record, as the history of a real one has."""
    out = []
    for k, v in doc.items():
        if isinstance(v, str) and k != "id":
            d = copy.deepcopy(doc)
            d[k] = v + "（更正）"
            out.append(d)
            break
    d = copy.deepcopy(doc)
    d["note"] = "新增"
    out.append(d)
    if len(doc) > 2:
        d = copy.deepcopy(doc)
        del d[sorted(k for k in doc if k != "id")[-1]]
        out.append(d)
    d = copy.deepcopy(doc)
    d["private"] = {"contact": "张三 13800000000", "notes": ["内部意见"]}
    out.append(d)
    return out


def main():
    fs = files()
    for i, p in enumerate(fs):
        data = open(p, "rb").read()
        put("record", bytes([i]) + data)
        put("record", bytes([i]) + data[: len(data) // 2])
        if p.endswith(".json") and "/data/" in p and "/calendars/" not in p:
            doc = json.loads(data)
            enc = lambda d: json.dumps(d, ensure_ascii=False, indent=2).encode()
            put("jsondiff", data)
            for e in edited(doc):
                put("jsondiff", data + b"\0" + enc(e))
            put("record", bytes([i]) + enc(edited(doc)[-1]))
            # added whole, with a private part, and one nested in a new entry
            put("jsondiff", enc(edited(doc)[-1]))
            d = copy.deepcopy(doc)
            d["entries"] = [{"id": "x", "private": {"name": "李四"}}]
            put("jsondiff", data + b"\0" + enc(d))


if __name__ == "__main__":
    main()
