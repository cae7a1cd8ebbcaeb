#!/usr/bin/env python3
"""Compares the alerts of kamwatch and of its peers on the five default rules.

  python3 bench/peers/compare.py KAMWATCH.json NAME=ALERTS[@IDS.tsv] ...

IDS.tsv (written by bench/bitrix24.py) maps the account ids of ALERTS back to those of
KAMWATCH.json: one "id<TAB>book id" per line.

Each file holds one JSON object per line with rule, account_id, severity and evidence.
Compared, for every alert of the five rules:
  - the set of (rule, account_id, severity): must be equal;
  - the evidence numbers: single-contact n; discount-creep recent_discount,
    baseline_discount, creep; cost-over-margin margin, cost; contact-turnover base, left,
    ratio; merger-exposure share and event_date. kamwatch rounds evidence for display
    (money to 2 decimals, the rest to 4), so a number agrees when it is within half a
    unit of that last place (0.005 for money, 0.00005 otherwise).
Exits 1 and prints the first differences when any file disagrees.
"""
import datetime as dt
import json
import sys

RULES = {
    "single-contact": ["n"],
    "discount-creep": ["recent_discount", "baseline_discount", "creep"],
    "cost-over-margin": ["margin", "cost"],
    "contact-turnover": ["base", "left", "ratio"],
    "merger-exposure": ["share", "event_date"],
}
MONEY = {"margin", "cost"}
EPOCH = dt.date(1970, 1, 1)


def number(v):
    if isinstance(v, str):  # a date
        return float((dt.date.fromisoformat(v) - EPOCH).days)
    return float(v)


def load(path, id_map=None):
    alerts = {}
    with open(path, encoding="utf-8") as f:
        for line in f:
            if not line.strip():
                continue
            a = json.loads(line)
            if a["rule"] not in RULES:
                continue
            account = a["account_id"]
            if id_map:
                account = id_map(account)
            ev = a.get("evidence") or {}
            alerts[(a["rule"], account, a["severity"])] = {k: number(ev[k]) for k in RULES[a["rule"]] if k in ev}
    return alerts


def compare(name, got, want, label_want="kamwatch"):
    problems = []
    for k in sorted(set(want) - set(got))[:5]:
        problems.append(f"  only {label_want}: {' '.join(k)}")
    for k in sorted(set(got) - set(want))[:5]:
        problems.append(f"  only {name}: {' '.join(k)}")
    n_missing = len(set(want) ^ set(got))
    numbers = 0
    bad_numbers = 0
    for k in sorted(set(want) & set(got)):
        for field in RULES[k[0]]:
            if field not in want[k]:
                continue
            numbers += 1
            a, b = want[k][field], got[k].get(field)
            tol = 0.005 if field in MONEY else 0.00005
            if b is None or abs(a - b) > tol + 1e-9 * abs(a):
                bad_numbers += 1
                if bad_numbers <= 5:
                    problems.append(f"  {' '.join(k)} {field}: {label_want} {a}, {name} {b}")
    if n_missing or bad_numbers:
        print(f"FAIL {name}: {len(got)} alerts against {len(want)} of {label_want}; "
              f"{n_missing} differ in (rule, account, severity), {bad_numbers} of {numbers} evidence numbers")
        print("\n".join(problems))
        return False
    print(f"same {name}: {len(got)} alerts (rule, account, severity) as {label_want}, "
          f"{numbers} evidence numbers within rounding")
    return True


def main():
    want = load(sys.argv[1])
    ok = True
    for spec in sys.argv[2:]:
        name, path = spec.split("=", 1)
        id_map = None
        if "@" in path:
            path, ids = path.split("@", 1)
            with open(ids, encoding="utf-8") as f:
                mapping = dict(line.rstrip("\n").split("\t") for line in f)
            id_map = lambda a, m=mapping: m.get(a, a)  # noqa: E731
        ok &= compare(name, load(path, id_map), want)
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
