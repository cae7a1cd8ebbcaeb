#!/usr/bin/env python3
"""A plain, independent reimplementation of kamwatch's reading (SPEC §1) and of its
eight shipped rules (SPEC §2), used to state the expected alerts of a book.

It shares no code with kamwatch: it reads the data directory with Python's csv
module and evaluates each rule as the contract words it, so that a difference
between the two points at a misreading in one of them.

Usage:
  python3 tools/reference_check.py --data examples --at 2026-11-20 [--format text|json|summary]

Output (json): one object per line, sorted by rule then account_id, with keys
rule, account_id, account_name, severity, evidence. Bad rows go to stderr.
"""

import argparse
import csv
import datetime as dt
import gzip
import io
import json
import os
import re
import sys
from collections import defaultdict

csv.field_size_limit(1 << 30)

# ---------------------------------------------------------------- reading (SPEC §1)

SCHEMAS = {
    # table: [(column, kind, required)], id column
    "accounts": ([("account_id", "text", True), ("name", "text", True), ("tier", "keyword", False),
                  ("owner", "text", False), ("lead", "text", False), ("parent_id", "text", False),
                  ("industry", "text", False)], "account_id", None),
    "contacts": ([("contact_id", "text", True), ("account_id", "text", True), ("name", "text", False),
                  ("role", "text", False), ("email", "text", False), ("since", "date", False),
                  ("until", "date", False)], "contact_id", None),
    "orders": ([("order_id", "text", True), ("account_id", "text", True), ("date", "date", True),
                ("list_amount", "number", True), ("net_amount", "number", True),
                ("cogs", "number", False)], "order_id", "date"),
    "service_costs": ([("account_id", "text", True), ("date", "date", True), ("amount", "number", True),
                       ("category", "text", False)], None, "date"),
    "events": ([("account_id", "text", True), ("date", "date", True), ("type", "keyword", True),
                ("counterparty", "text", False), ("note", "text", False)], None, "date"),
}

WS = " \t\r\n\u00a0\u202f\ufeff"


def table_files(data_dir, table):
    """The files of one table, in byte order of their names."""
    pat = re.compile(re.escape(table) + r"(?:[-_.].*)?\.csv(?:\.gz)?\Z", re.S)
    names = []
    for name in os.listdir(data_dir):
        if name.startswith(".") or name.endswith(("~", ".tmp", ".part", ".swp")):
            continue
        if not os.path.isfile(os.path.join(data_dir, name)):
            continue
        if pat.match(name):
            names.append(name)
    names.sort(key=lambda n: n.encode("utf-8", "surrogateescape"))
    return [os.path.join(data_dir, n) for n in names]


def decode(raw):
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        return raw.decode("cp1251", errors="replace")


def detect_delimiter(text):
    counts = {",": 0, ";": 0, "\t": 0}
    quoted = False
    for ch in text:
        if ch == '"':
            quoted = not quoted
        elif not quoted:
            if ch in "\r\n":
                break
            if ch in counts:
                counts[ch] += 1
    best = ","
    for d in (",", ";", "\t"):
        if counts[d] > counts[best]:
            best = d
    return best


DATE_ISO = re.compile(r"(\d{4})-(\d{2})-(\d{2})(?:[T ].*)?\Z", re.S)
DATE_RU = re.compile(r"(\d{2})\.(\d{2})\.(\d{4})(?:[T ].*)?\Z", re.S)


def parse_date(s):
    m = DATE_ISO.match(s)
    if m:
        y, mo, d = int(m[1]), int(m[2]), int(m[3])
    else:
        m = DATE_RU.match(s)
        if not m:
            return None
        d, mo, y = int(m[1]), int(m[2]), int(m[3])
    try:
        return dt.date(y, mo, d)
    except ValueError:
        return None


NUM_PLAIN = re.compile(r"[+-]?\d+(?:[.,]\d+)?\Z")
NUM_GROUPED = re.compile(r"[+-]?\d{1,3}(?:[ \u00a0\u202f]\d{3})+(?:[.,]\d+)?\Z")


def parse_number(s, delim):
    if not (NUM_PLAIN.match(s) or NUM_GROUPED.match(s)):
        return None
    if "," in s and delim != ";":
        return None
    return float(s.replace(" ", "").replace("\u00a0", "").replace("\u202f", "").replace(",", "."))


def read_table(data_dir, table, at, problems):
    """Rows of one table as dicts of parsed values, bad and duplicate rows dropped."""
    columns, id_col, date_col = SCHEMAS[table]
    rows, seen = [], set()
    for path in table_files(data_dir, table):
        with open(path, "rb") as f:
            raw = f.read()
        if path.endswith(".gz"):
            raw = gzip.decompress(raw)
        text = decode(raw)
        delim = detect_delimiter(text)
        reader = csv.reader(io.StringIO(text, newline=""), delimiter=delim)
        header = None
        index = {}
        for record in reader:
            line = reader.line_num
            cells = [c.strip(WS) for c in record]
            if header is None:
                if not any(cells):
                    continue
                header = [c.lower() for c in cells]
                for name, _, _ in columns:
                    if name in header:
                        index[name] = header.index(name)
                continue
            if not any(cells):
                continue
            row, bad = {}, None
            for name, kind, required in columns:
                i = index.get(name)
                v = cells[i] if i is not None and i < len(cells) else ""
                if v == "":
                    if required:
                        bad = f"{name}: missing value"
                        break
                    row[name] = None
                    continue
                if kind == "date":
                    p = parse_date(v)
                elif kind == "number":
                    p = parse_number(v, delim)
                elif kind == "keyword":
                    p = v.lower()
                else:
                    p = v
                if p is None:
                    bad = f"{name}: cannot read {v!r}"
                    break
                row[name] = p
            if bad is None and id_col is not None:
                if row[id_col] in seen:
                    bad = f"{id_col}: duplicate {row[id_col]!r}"
                else:
                    seen.add(row[id_col])
            if bad is not None:
                problems.append(f"{os.path.basename(path)}:{line}: {bad}")
                continue
            if date_col is not None and row[date_col] > at:
                continue
            rows.append(row)
    return rows


class Book:
    def __init__(self, data_dir, at):
        self.problems = []
        self.accounts = {}
        for r in read_table(data_dir, "accounts", at, self.problems):
            self.accounts[r["account_id"]] = r
        self.by_account = {}
        for table in ("contacts", "orders", "service_costs"):
            groups = defaultdict(list)
            for r in read_table(data_dir, table, at, self.problems):
                if r["account_id"] in self.accounts:
                    groups[r["account_id"]].append(r)
            self.by_account[table] = groups
        self.report_cycles()
        self.events = defaultdict(list)  # kept by the id they name, account or not
        for r in read_table(data_dir, "events", at, self.problems):
            self.events[r["account_id"]].append(r)

    def report_cycles(self):
        reported = set()
        for start in self.accounts:
            path, cur = [], start
            while cur in self.accounts and cur not in path:
                path.append(cur)
                cur = self.accounts[cur]["parent_id"]
            if cur in path:
                cycle = path[path.index(cur):]
                key = frozenset(cycle)
                if key not in reported:
                    reported.add(key)
                    first = min(cycle)
                    i = cycle.index(first)
                    ring = cycle[i:] + cycle[:i] + [first]
                    self.problems.append("accounts: parent_id cycle " + " -> ".join(ring))

    def ancestors(self, acc_id):
        """parent_id chain upward; stops at an id that is not an account or repeats."""
        out, seen = [], {acc_id}
        cur = self.accounts[acc_id]["parent_id"]
        while cur is not None and cur not in seen:
            out.append(cur)
            seen.add(cur)
            if cur not in self.accounts:
                break
            cur = self.accounts[cur]["parent_id"]
        return out


# ---------------------------------------------------------------- rules (SPEC §2)

def tier(acc):
    return acc["tier"] or "standard"


def in_window(d, at, start_days_back, end_days_back=0):
    """AT − start < d <= AT − end."""
    return at - dt.timedelta(days=start_days_back) < d <= at - dt.timedelta(days=end_days_back)


def active(c, day):
    return (c["since"] is None or c["since"] <= day) and (c["until"] is None or c["until"] > day)


SENIOR = ("director", "head", "chief", "ceo", "cfo", "owner",
          "директор", "руководитель", "генеральный", "владелец")
MERGER_TYPES = {"merger", "acquisition", "acquired", "divestiture", "ownership_change"}


def evaluate(book, at):
    alerts = []
    orders = book.by_account["orders"]
    contacts = book.by_account["contacts"]
    costs = book.by_account["service_costs"]

    def net365(acc_id):
        return sum(o["net_amount"] for o in orders.get(acc_id, []) if in_window(o["date"], at, 365))

    book_net = sum(net365(a) for a in book.accounts)

    def add(rule, acc_id, severity, **evidence):
        alerts.append({"rule": rule, "account_id": acc_id, "account_name": book.accounts[acc_id]["name"],
                       "severity": severity, "evidence": evidence})

    for acc_id, acc in book.accounts.items():
        t = tier(acc)
        cs = contacts.get(acc_id, [])
        os_ = orders.get(acc_id, [])
        if t in ("strategic", "key"):
            # single-contact
            n = sum(1 for c in cs if active(c, at))
            if n == 0:
                add("single-contact", acc_id, "critical", n=n)
            elif n == 1:
                add("single-contact", acc_id, "warning", n=n)

            # discount-creep
            def window(lo, hi):
                sel = [o for o in os_ if in_window(o["date"], at, lo, hi)]
                lst = sum(o["list_amount"] for o in sel)
                net = sum(o["net_amount"] for o in sel)
                return len(sel), lst, net
            rn, rl, rnet = window(90, 0)
            bn, bl, bnet = window(455, 90)
            if rn >= 3 and bn >= 3 and rl > 0 and bl > 0:
                recent = 100 * (1 - rnet / rl)
                baseline = 100 * (1 - bnet / bl)
                creep = recent - baseline
                ev = dict(recent_discount=round(recent, 2), baseline_discount=round(baseline, 2),
                          creep=round(creep, 2))
                if creep >= 10:
                    add("discount-creep", acc_id, "critical", **ev)
                elif creep >= 5:
                    add("discount-creep", acc_id, "warning", **ev)

            # cost-over-margin
            yo = [o for o in os_ if in_window(o["date"], at, 365)]
            yc = [c for c in costs.get(acc_id, []) if in_window(c["date"], at, 365)]
            if yo or yc:
                margin = sum(o["net_amount"] - (o["cogs"] or 0) for o in yo)
                cost = sum(c["amount"] for c in yc)
                ev = dict(margin=round(margin, 2), cost=round(cost, 2))
                if cost > margin:
                    add("cost-over-margin", acc_id, "critical", **ev)
                elif margin > 0 and cost >= 0.8 * margin:
                    add("cost-over-margin", acc_id, "warning", **ev)

            # contact-turnover
            then = at - dt.timedelta(days=180)
            base = [c for c in cs if active(c, then)]
            left = [c for c in base if c["until"] is not None and in_window(c["until"], at, 180)]
            if len(base) >= 2:
                ratio = len(left) / len(base)
                ev = dict(base=len(base), left=len(left), ratio=round(ratio, 4))
                if ratio == 1:
                    add("contact-turnover", acc_id, "critical", **ev)
                elif ratio >= 0.5:
                    add("contact-turnover", acc_id, "warning", **ev)

            # merger-exposure
            hits = []
            for who in [acc_id] + book.ancestors(acc_id):
                for e in book.events.get(who, []):
                    if e["type"] in MERGER_TYPES and in_window(e["date"], at, 180):
                        hits.append((e["date"], who, e["type"]))
            if hits:
                share = net365(acc_id) / book_net if book_net else 0.0
                d, who, typ = max(hits)
                ev = dict(event=typ, event_account=who, event_date=d.isoformat(), share=round(share, 4))
                add("merger-exposure", acc_id, "critical" if share >= 0.05 else "warning", **ev)

            # revenue-decline
            recent = [o for o in os_ if in_window(o["date"], at, 90)]
            earlier = [o for o in os_ if in_window(o["date"], at, 455, 365)]
            if len(earlier) >= 3:
                rnet = sum(o["net_amount"] for o in recent)
                enet = sum(o["net_amount"] for o in earlier)
                if enet > 0:
                    ratio = rnet / enet
                    ev = dict(recent=round(rnet, 2), year_earlier=round(enet, 2), ratio=round(ratio, 4))
                    if ratio < 0.25:
                        add("revenue-decline", acc_id, "critical", **ev)
                    elif ratio < 0.5:
                        add("revenue-decline", acc_id, "warning", **ev)

        if t == "strategic":
            seniors = [c for c in cs if active(c, at) and c["role"] is not None
                       and any(w in c["role"].lower() for w in SENIOR)]
            if not seniors:
                add("no-senior-contact", acc_id, "warning",
                    active_contacts=sum(1 for c in cs if active(c, at)))

        # revenue-concentration: every account, whatever its tier
        if book_net > 0:
            share = net365(acc_id) / book_net
            ev = dict(net_365=round(net365(acc_id), 2), book_net_365=round(book_net, 2), share=round(share, 4))
            if share >= 0.20:
                add("revenue-concentration", acc_id, "critical", **ev)
            elif share >= 0.10:
                add("revenue-concentration", acc_id, "warning", **ev)

    alerts.sort(key=lambda a: (a["rule"].encode(), a["account_id"].encode()))
    return alerts


def main():
    ap = argparse.ArgumentParser(description="Reference evaluation of kamwatch's shipped rules.")
    ap.add_argument("--data", required=True)
    ap.add_argument("--at", required=True, type=dt.date.fromisoformat)
    ap.add_argument("--format", choices=["text", "json", "summary", "shares"], default="text")
    args = ap.parse_args()
    book = Book(args.data, args.at)
    for p in book.problems:
        print(p, file=sys.stderr)
    alerts = evaluate(book, args.at)
    out = sys.stdout
    if args.format == "json":
        for a in alerts:
            out.write(json.dumps(a, ensure_ascii=False) + "\n")
    elif args.format == "summary":
        counts = defaultdict(lambda: {"warning": 0, "critical": 0})
        for a in alerts:
            counts[a["rule"]][a["severity"]] += 1
        for rule in sorted(counts):
            c = counts[rule]
            out.write(f"{rule:24} warning {c['warning']:4}  critical {c['critical']:4}\n")
        out.write(f"{'total':24} {len(alerts)} alerts on {len(book.accounts)} accounts\n")
    elif args.format == "shares":
        orders = book.by_account["orders"]
        tot = {a: sum(o["net_amount"] for o in orders.get(a, []) if in_window(o["date"], args.at, 365))
               for a in book.accounts}
        s = sum(tot.values())
        for a, v in sorted(tot.items(), key=lambda kv: -kv[1]):
            out.write(f"{a:10} {v:16.2f} {100 * v / s:6.2f}%\n")
    else:
        for a in alerts:
            ev = ", ".join(f"{k}={v}" for k, v in a["evidence"].items())
            out.write(f"{a['rule']:22} {a['account_id']:8} {a['severity']:8} {a['account_name']} — {ev}\n")


if __name__ == "__main__":
    main()
