#!/usr/bin/env python3
"""Assembles the fuzz targets' seed corpora from the example book, the rules and the test
fixtures (nothing large is committed): python3 Tests/Fuzz/corpus.py OUT_DIR
writes OUT_DIR/<target>/<n> for the targets of Tests/Fuzz/FuzzTargets.swift."""
import csv, glob, io, os, re, sys

root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
out = sys.argv[1]
TABLES = ["accounts", "contacts", "orders", "service_costs", "events"]
seeds = {t: [] for t in ["csv", "cells", "expr", "rule", "config", "sources", "mime", "outbox"]}


def read(path):
    with open(path, "rb") as f:
        return f.read()


def table_of(name):
    base = os.path.basename(name).split(".")[0]
    for i, t in enumerate(TABLES):
        if base == t or base.startswith(t + "-"):
            return i
    return None


# csv: a byte naming the table (high bit: read as gzip), then the file's first lines.
for path in sorted(glob.glob(os.path.join(root, "examples", "**", "*.csv"), recursive=True)):
    i = table_of(path)
    if i is None:
        continue
    lines = read(path).splitlines(keepends=True)
    seeds["csv"].append(bytes([i]) + b"".join(lines[:40]))
    # The same rows as semicolon- and tab-separated text, and with CRLF line ends.
    head = b"".join(lines[:10])
    seeds["csv"].append(bytes([i]) + head.replace(b",", b";"))
    seeds["csv"].append(bytes([i]) + head.replace(b",", b"\t").replace(b"\n", b"\r\n"))
for path in sorted(glob.glob(os.path.join(root, "Tests", "KamwatchDataTests", "Fixtures", "*.gz"))):
    i = table_of(path) or 2
    data = read(path)
    if len(data) <= 64 << 10:
        seeds["csv"].append(bytes([0x80 | i]) + data)

# cells: a flag byte (1 = decimal comma), then a number or date cell seen in the examples.
cells = set()
for path in glob.glob(os.path.join(root, "examples", "*.csv")):
    for row in csv.reader(io.StringIO(read(path).decode("utf-8", "replace"))):
        for cell in row:
            if re.fullmatch(r"[-+]?[0-9][0-9 .,]*", cell) or re.fullmatch(r"\d{4}-\d\d-\d\d", cell):
                cells.add(cell)
cells.update(["1 234,56", "1\u00a0234.5", "-0", "+12.5e3", "2024-02-29", "2023-02-29", "9999-12-31", "0001-01-01"])
for c in sorted(cells)[:400]:
    for flag in (0, 1):
        seeds["cells"].append(bytes([flag]) + c.encode())

# rule: the shipped rules and the refused rule files of the tests.
rule_files = sorted(glob.glob(os.path.join(root, "rules", "*.yaml")))
rule_files += sorted(glob.glob(os.path.join(root, "Tests", "KamwatchRulesTests", "Fixtures", "bad-rules", "*.yaml")))
for path in rule_files:
    seeds["rule"].append(read(path))

# expr: every expression of the shipped rules (the values of `when`, `value`, `define` entries).
for path in sorted(glob.glob(os.path.join(root, "rules", "*.yaml"))):
    text = read(path).decode()
    for m in re.finditer(r"^\s*(?:-\s*)?[a-z_]+:\s*(?:[|>]-?\n((?:\s{4,}.*\n)+)|(.+))$", text, re.M):
        expr = (m.group(1) or m.group(2) or "").strip()
        if expr and not expr.startswith(('"', "'")) or any(ch in expr for ch in "()<>="):
            seeds["expr"].append(expr.encode())
seeds["expr"] += [b'sum(orders.net where orders.date >= today - 90d) > 1000', b'-(-(1)) * 2 / 3',
                  b'account.tier in ["key", "strategic"] and not (account.parent_id is null)',
                  b'if(1 < 2, "a", "b")', b'name matches "^K-[0-9]+$"']

# config: the shipped example config and a few variants.
seeds["config"].append(read(os.path.join(root, "deploy", "kamwatch.yaml")))
seeds["config"] += [b"data_dir: /srv/data\nrules_dir: /etc/rules\ntimezone: Europe/Moscow\nlocale: ru\nquiet_period: 2s\n",
                    b"quiet_period: 100ms\nlocale: en\n", b"{}\n", b"data_dir: [a, b]\n"]

# sources: the shipped presets, those of the tests, and small files extending them.
for path in sorted(glob.glob(os.path.join(root, "sources", "*.yaml"))):
    seeds["sources"].append(read(path))
    name = os.path.basename(path)[:-5]
    seeds["sources"].append(("version: 1\nextends: %s\n" % name).encode())
for path in sorted(glob.glob(os.path.join(root, "Tests", "**", "*sources*.yaml"), recursive=True))[:40]:
    seeds["sources"].append(read(path))

# mime: a header name, U+0001, a value: account names of the examples and digest subjects.
names = []
for row in csv.reader(io.StringIO(read(os.path.join(root, "examples", "accounts.csv")).decode())):
    if len(row) > 1:
        names.append(row[1])
for n in names[:60]:
    seeds["mime"].append(b"Subject\x01" + n.encode())
seeds["mime"] += [b"From\x01kamwatch <kamwatch@example.com>", b"To\x01\xd0\x98\xd1\x80\xd0\xb8\xd0\xbd\xd0\xb0 <irina@example.com>",
                  b"Subject\x01" + ("x" * 200).encode()]
# Line breaks followed by a combining mark (a search for "\n" by characters misses them).
seeds["mime"] += [b"b\n\xcc\x81", b"To\x01a <b@c>\r\xcc\x81 \n\xcc\x81"]

# outbox: a rule id, NUL, an account id.
ids = []
for row in csv.reader(io.StringIO(read(os.path.join(root, "examples", "accounts.csv")).decode())):
    if row:
        ids.append(row[0])
rules = [os.path.basename(p)[:-5] for p in glob.glob(os.path.join(root, "rules", "*.yaml"))]
for r in rules:
    for a in ids[:10]:
        seeds["outbox"].append(r.encode() + b"\x00" + a.encode())
seeds["outbox"] += [b"..\x00../../etc/x", b"a/b\x00.", b"\x00" + "ю".encode() * 100, b"%2e%2e\x00a\nb"]

for target, items in seeds.items():
    d = os.path.join(out, target)
    os.makedirs(d, exist_ok=True)
    for old in os.listdir(d):
        os.remove(os.path.join(d, old))
    for n, data in enumerate(items):
        with open(os.path.join(d, "seed-%04d" % n), "wb") as f:
            f.write(data)
    print("%s: %d seeds" % (target, len(items)))
