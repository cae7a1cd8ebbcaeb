#!/usr/bin/env python3
"""Writes the hostile books whose reading and evaluation time docs/reliability.md gives.

  python3 bench/hostile.py chain N DIR   a parent chain N accounts long (a0 under a1 under
                                         a2 …), every account strategic, each with an order
                                         and a merger in the last 180 days: all of them in
                                         scope of merger-exposure, whose lineage.events
                                         aggregates follow the whole chain
  python3 bench/hostile.py quote MB DIR  the example book plus orders-quote.csv: a header, one
                                         good row, then a quote that is never closed and runs
                                         MB megabytes to the end of the file

Evaluate with `kamwatch check --data DIR --rules rules --at 2026-11-20`.
"""

import os
import shutil
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
AT = "2026-11-20"


def chain(n, out):
    os.makedirs(out, exist_ok=True)
    with open(os.path.join(out, "accounts.csv"), "w") as f:
        f.write("account_id,name,tier,owner,lead,parent_id,industry\n")
        for i in range(n):
            parent = f"a{i + 1}" if i + 1 < n else ""
            f.write(f"a{i},Account {i},strategic,owner{i % 7},,{parent},x\n")
    with open(os.path.join(out, "orders.csv"), "w") as f:
        f.write("order_id,account_id,date,list_amount,net_amount,cogs\n")
        for i in range(n):
            f.write(f"o{i},a{i},2026-10-01,100.00,90.00,50.00\n")
    with open(os.path.join(out, "events.csv"), "w") as f:
        f.write("account_id,date,type,counterparty,note\n")
        for i in range(n):
            f.write(f"a{i},2026-09-01,merger,c{i},\n")
    with open(os.path.join(out, "contacts.csv"), "w") as f:
        f.write("contact_id,account_id,name,role,email,since,until\n")


def quote(mb, out):
    os.makedirs(out, exist_ok=True)
    examples = os.path.join(HERE, "..", "examples")
    for name in os.listdir(examples):
        if name.endswith(".csv"):
            shutil.copy(os.path.join(examples, name), out)
    line = b"x" * 1023 + b"\n"
    with open(os.path.join(out, "orders-quote.csv"), "wb") as f:
        f.write(b"order_id,account_id,date,list_amount,net_amount,cogs\n")
        f.write(b"Q-1,K-102,2026-01-01,10.00,9.00,5.00\n")
        f.write(b'Q-2,K-102,2026-01-02,"')
        for _ in range(mb * 1024):
            f.write(line)


if __name__ == "__main__":
    if len(sys.argv) != 4 or sys.argv[1] not in ("chain", "quote"):
        sys.exit(__doc__)
    {"chain": chain, "quote": quote}[sys.argv[1]](int(sys.argv[2]), sys.argv[3])
