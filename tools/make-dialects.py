#!/usr/bin/env python3
"""Rewrites a data directory in every CSV dialect kamwatch must read (SPEC §1).

Each dialect goes to its own subdirectory of --out and holds the same book as
the source: kamwatch must print exactly the same alerts for every one of them.

Usage: python3 tools/make-dialects.py --from examples --out DIR [--only NAME ...]
"""

import argparse
import gzip
import io
import csv
import os
import random
import re
import sys

TABLES = ["accounts", "contacts", "orders", "service_costs", "events"]
DATE_COLUMNS = {"since", "until", "date"}
NUMBER_COLUMNS = {"list_amount", "net_amount", "cogs", "amount"}
TABLE_FILE = re.compile(r"(accounts|contacts|orders|service_costs|events)(?:[-_.].*)?\.csv(?:\.gz)?\Z")
WS = " \t\r\n\u00a0\u202f\ufeff"


# ------------------------------------------------------------ canonical form

def read_source(src):
    """{table: (header, rows)} with dates as YYYY-MM-DD and numbers with '.' and no grouping."""
    tables = {}
    for name in sorted(os.listdir(src)):
        m = TABLE_FILE.match(name)
        if not m or name.startswith("."):
            continue
        raw = open(os.path.join(src, name), "rb").read()
        if name.endswith(".gz"):
            raw = gzip.decompress(raw)
        if raw.startswith(b"\xef\xbb\xbf"):
            raw = raw[3:]
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError:
            text = raw.decode("cp1251")
        first = text.split("\n", 1)[0]
        delim = max([",", ";", "\t"], key=lambda d: (first.count(d), -[",", ";", "\t"].index(d)))
        records = list(csv.reader(io.StringIO(text, newline=""), delimiter=delim))
        header = [h.strip(WS).lower() for h in records[0]]
        rows = []
        for rec in records[1:]:
            cells = [c.strip(WS) for c in rec]
            if not any(cells):
                continue
            cells += [""] * (len(header) - len(cells))
            row = {}
            for h, v in zip(header, cells):
                if v and h in DATE_COLUMNS:
                    mm = re.match(r"(\d{2})\.(\d{2})\.(\d{4})", v)
                    v = f"{mm[3]}-{mm[2]}-{mm[1]}" if mm else v[:10]
                elif v and h in NUMBER_COLUMNS:
                    v = re.sub("[ \u00a0\u202f]", "", v).replace(",", ".")
                row[h] = v
            rows.append(row)
        table = m[1]
        if table in tables:
            tables[table][1].extend(rows)
        else:
            tables[table] = ([h for h in header if h in known_columns(table)], rows)
    return tables


def known_columns(table):
    return {
        "accounts": ["account_id", "name", "tier", "owner", "lead", "parent_id", "industry"],
        "contacts": ["contact_id", "account_id", "name", "role", "email", "since", "until"],
        "orders": ["order_id", "account_id", "date", "list_amount", "net_amount", "cogs"],
        "service_costs": ["account_id", "date", "amount", "category"],
        "events": ["account_id", "date", "type", "counterparty", "note"],
    }[table]


# ------------------------------------------------------------ writing

class Style:
    """How one file is written."""

    def __init__(self, delim=",", encoding="utf-8", bom=False, eol="\n", gz=False, quote_all=False,
                 ru=False, datetime=None, grouping=None, header_case=None, shuffle_columns=False,
                 extra_columns=False, blank_lines=False, short_rows=False, pad_cells=False):
        self.__dict__.update(locals())
        del self.__dict__["self"]


def group(int_part, sep):
    out = []
    while len(int_part) > 3:
        out.insert(0, int_part[-3:])
        int_part = int_part[:-3]
    out.insert(0, int_part)
    return sep.join(out)


def format_number(v, st, i):
    if not v:
        return v
    sign = "-" if v.startswith("-") else ""
    body = v.lstrip("+-")
    whole, _, frac = body.partition(".")
    if st.grouping:
        whole = group(whole, st.grouping[i % len(st.grouping)])
    point = "," if st.ru and i % 3 else "."  # ';' files accept both
    return sign + whole + (point + frac if frac else "")


def format_date(v, st, i):
    if not v:
        return v
    y, m, d = v.split("-")
    base = f"{d}.{m}.{y}" if st.ru else v
    if st.datetime:
        base += st.datetime[i % len(st.datetime)]
    return base


def quote(cell, st):
    needs = st.quote_all or any(c in cell for c in (st.delim, '"', "\n", "\r")) or (
        cell != cell.strip(" ") and not st.pad_cells)
    return '"' + cell.replace('"', '""') + '"' if needs else cell


def render(table, header, rows, st, rng):
    cols = list(header)
    if st.shuffle_columns:
        rng.shuffle(cols)
    out_cols = list(cols)
    extras = []
    if st.extra_columns:
        extras = ["comment", "Exported By", "id_1c"]
        for e in extras:
            out_cols.insert(rng.randrange(len(out_cols) + 1), e)
    names = []
    for c in out_cols:
        if st.header_case == "upper":
            c = c.upper()
        elif st.header_case == "mixed":
            c = "".join(ch.upper() if k % 2 == 0 else ch for k, ch in enumerate(c))
            c = "  " + c + " "
        names.append(c)
    lines = [st.delim.join(quote(n, st) for n in names)]
    for i, row in enumerate(rows):
        cells = []
        for c in out_cols:
            if c in extras:
                v = {"comment": f'Note {i}, "quoted"; with\ttab{st.delim}and\nnew line',
                     "Exported By": "1C:Предприятие 8.3" if i % 2 else "CRM export, v2",
                     "id_1c": f"00-{i:08d}"}[c]
            else:
                v = row.get(c, "")
                if c in NUMBER_COLUMNS:
                    v = format_number(v, st, i)
                elif c in DATE_COLUMNS:
                    v = format_date(v, st, i)
            if st.pad_cells and v and c not in extras:
                v = ("  " if i % 2 else " \t") + v + " \t "
            cells.append(quote(v, st))
        if st.short_rows:
            while cells and cells[-1] == "":
                cells.pop()
        lines.append(st.delim.join(cells))
        if st.blank_lines and i % 7 == 3:
            lines.append("")
            lines.append(st.delim * (len(out_cols) - 1))
            lines.append("   ")
    text = st.eol.join(lines) + st.eol
    data = text.encode(st.encoding)
    if st.bom:
        data = b"\xef\xbb\xbf" + data
    if st.gz:
        data = gzip.compress(data, mtime=0)
    return data


def write_table(out, table, header, rows, styles, rng):
    """Writes a table as one file per style; several files get names that sort in different ways."""
    parts = len(styles)
    names = [table] + [f"{table}{sep}{k}" for k, sep in zip(range(1, parts), ["-part-", "_", "."] * parts)]
    for k, (name, st) in enumerate(zip(names, styles)):
        name += ".csv.gz" if st.gz else ".csv"
        with open(os.path.join(out, name), "wb") as f:
            f.write(render(table, header, rows[k::parts], st, rng))


RU = dict(delim=";", encoding="cp1251", ru=True, eol="\r\n")

DIALECTS = {
    "plain": {},
    "utf8-bom": dict(bom=True),
    "cp1251": dict(grouping=[" ", "\u00a0", ""], **RU),
    "utf8-semicolon": dict(delim=";", ru=True),
    "tab": dict(delim="\t"),
    "crlf": dict(eol="\r\n"),
    "gzip": dict(gz=True),
    "gzip-cp1251": dict(gz=True, **RU),
    "headers": dict(header_case="mixed", shuffle_columns=True, extra_columns=True),
    "headers-upper-tab": dict(header_case="upper", shuffle_columns=True, delim="\t"),
    "datetime": dict(datetime=["T10:00:00+03:00", " 23:59", "T00:00:00Z"]),
    "thousands": dict(grouping=[" ", "\u00a0", "\u202f"]),
    "quoted": dict(quote_all=True, extra_columns=True),
    "quoted-cp1251": dict(quote_all=True, extra_columns=True, **RU),
    "messy": dict(blank_lines=True, short_rows=True, pad_cells=True),
}
DIALECT_NAMES = list(DIALECTS) + ["mixed", "split"]


# Each table in another dialect; and one table split over files in different dialects.
MIXED = {"accounts": "utf8-bom", "contacts": "quoted-cp1251", "orders": "gzip", "service_costs": "tab",
         "events": "headers"}
SPLIT = ["plain", "cp1251", "gzip-cp1251"]


def write_dialect(name, tables, out, seed):
    rng = random.Random(f"{seed}-{name}")
    os.makedirs(out, exist_ok=True)
    for table in TABLES:
        if table not in tables:
            continue
        header, rows = tables[table]
        if name == "split":
            styles = [Style(**DIALECTS[d]) for d in (SPLIT if table != "events" else SPLIT[:2])]
        elif name == "mixed":
            styles = [Style(**DIALECTS[MIXED[table]])]
        else:
            styles = [Style(**DIALECTS[name])]
        write_table(out, table, header, rows, styles, rng)
    if name == "split":
        write_noise(out)


def write_noise(out):
    """Files kamwatch must ignore; each would change the alerts if it were read."""
    poison = "order_id,account_id,date,list_amount,net_amount,cogs\nX-1,K-300,2026-11-01,1000000000,1,0\n"
    for name in [".orders-hidden.csv", "orders-2026.csv~", "orders-new.csv.tmp", "orders-x.csv.part",
                 "orders.csv.swp", "ordersextra.csv", "orders-2026.csv.bak", "orders.txt", "Orders-2027.csv"]:
        with open(os.path.join(out, name), "w", encoding="utf-8") as f:
            f.write(poison)
    os.makedirs(os.path.join(out, "orders-archive"), exist_ok=True)
    with open(os.path.join(out, "orders-archive", "orders.csv"), "w", encoding="utf-8") as f:
        f.write(poison)


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--from", dest="src", default="examples")
    ap.add_argument("--out", required=True)
    ap.add_argument("--only", nargs="*")
    ap.add_argument("--seed", default="kamwatch")
    ap.add_argument("--list", action="store_true", help="print the dialect names and exit")
    args = ap.parse_args()
    if args.list:
        print("\n".join(DIALECT_NAMES))
        return
    tables = read_source(args.src)
    for name in args.only or DIALECT_NAMES:
        if name not in DIALECT_NAMES:
            sys.exit(f"make-dialects: unknown dialect {name!r}")
        write_dialect(name, tables, os.path.join(args.out, name), args.seed)


if __name__ == "__main__":
    main()
