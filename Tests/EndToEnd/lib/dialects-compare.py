#!/usr/bin/env python3
"""Compares two files of JSON alert lines by (rule, account_id, severity), in order.

Usage: dialects-compare.py KAMWATCH.json REFERENCE.json LABEL
Exits 1 and prints the first differences when they disagree.
"""
import json
import sys


def keys(path):
    with open(path, encoding="utf-8") as f:
        return [(a["rule"], a["account_id"], a["severity"]) for a in map(json.loads, f) if a]


got, want, label = keys(sys.argv[1]), keys(sys.argv[2]), sys.argv[3]
if got == want:
    print(f"ok   {label}: {len(got)} alerts as the reference evaluator")
    sys.exit(0)
print(f"FAIL {label}: kamwatch {len(got)} alerts, reference {len(want)}")
for k in sorted(set(got) - set(want))[:5]:
    print("  only kamwatch:  ", *k)
for k in sorted(set(want) - set(got))[:5]:
    print("  only reference: ", *k)
if set(got) == set(want):
    print("  same alerts in a different order")
sys.exit(1)
