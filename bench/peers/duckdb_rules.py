#!/usr/bin/env python3
"""The five default rules in DuckDB SQL (bench/peers/rules.sql) over a canonical book.

  python bench/peers/duckdb_rules.py --data DIR --at 2026-11-20 --out ALERTS.jsonl

Writes one JSON object per alert (rule, account_id, severity, evidence) and prints the
time of the query alone on stderr ("query N.NN s"). DuckDB uses every core.
"""
import argparse
import json
import os
import sys
import time

import duckdb


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--data", required=True)
    ap.add_argument("--at", required=True)
    ap.add_argument("--out", required=True)
    args = ap.parse_args()
    with open(os.path.join(os.path.dirname(os.path.abspath(__file__)), "rules.sql"), encoding="utf-8") as f:
        sql = f.read()
    sql = sql.replace("$data", os.path.abspath(args.data).replace("'", "''"))
    sql = sql.replace("$at", f"DATE '{args.at}'")
    start = time.monotonic()
    con = duckdb.connect()
    rows = con.execute(sql).fetchall()
    took = time.monotonic() - start
    with open(args.out, "w", encoding="utf-8") as out:
        for rule, account, severity, evidence in rows:
            out.write(json.dumps({"rule": rule, "account_id": account, "severity": severity,
                                  "evidence": dict(evidence)}, ensure_ascii=False) + "\n")
    print(f"duckdb {duckdb.__version__}: query {took:.2f} s, {len(rows)} alerts", file=sys.stderr)


if __name__ == "__main__":
    main()
