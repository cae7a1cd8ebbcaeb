#!/usr/bin/env python3
"""Records a year of daily snapshots of a generated book, to measure the history (SPEC §6).

  python3 bench/history.py BIN BOOK_DIR WORK_DIR [--days 365]

BOOK_DIR is a book from bench/generate.py. Each day, the accounts and contacts of the
book are written to WORK_DIR/data with the day's changes, then `BIN history record`
records them into WORK_DIR/state. Deterministic daily changes, per 100 000 accounts:
200 contacts leave for good, 200 new ones join, 50 miss one export and are back the
next day, and 20 accounts change parent. Prints the time of each recording, then
the state database's size and the periods it holds.
"""

import argparse
import datetime as dt
import os
import random
import resource
import sqlite3
import subprocess
import sys
import time


def main():
    p = argparse.ArgumentParser()
    p.add_argument("bin")
    p.add_argument("book")
    p.add_argument("work")
    p.add_argument("--days", type=int, default=365)
    a = p.parse_args()
    data, state = os.path.join(a.work, "data"), os.path.join(a.work, "state")
    os.makedirs(data, exist_ok=True)
    if os.path.exists(os.path.join(state, "kamwatch.sqlite")):
        sys.exit(f"{state} already holds a history: start from an empty work directory")

    with open(os.path.join(a.book, "accounts.csv"), encoding="utf-8") as f:
        acc_header = f.readline()
        accounts = [line.rstrip("\n").split(",") for line in f]
    with open(os.path.join(a.book, "contacts.csv"), encoding="utf-8") as f:
        con_header = f.readline()
        contacts = dict((line.split(",", 1)[0], line) for line in f)
    # Names are quoted when they hold commas: find parent_id from the end (the last two columns).
    ids = [row[0] for row in accounts]
    scale = max(1, len(ids) // 100_000)
    rnd = random.Random(7)
    first = dt.date(2025, 11, 21)
    times = []
    cpu = []
    next_id = 0
    for d in range(a.days):
        day = first + dt.timedelta(days=d)
        if d > 0:
            live = list(contacts)
            for cid in rnd.sample(live, 200 * scale):
                del contacts[cid]
            for _ in range(200 * scale):
                account = rnd.choice(ids)
                cid = f"N{next_id:08d}"
                next_id += 1
                contacts[cid] = f"{cid},{account},New Person,Buyer,new{next_id}@example.com,,\n"
            for i in rnd.sample(range(len(accounts)), 20 * scale):
                row = accounts[i]
                row[-2] = rnd.choice(ids[:1000])
            missing = set(rnd.sample(list(contacts), 50 * scale))
        else:
            missing = set()
        with open(os.path.join(data, "accounts.csv"), "w", encoding="utf-8") as f:
            f.write(acc_header)
            f.writelines(",".join(row) + "\n" for row in accounts)
        with open(os.path.join(data, "contacts.csv"), "w", encoding="utf-8") as f:
            f.write(con_header)
            f.writelines(line for cid, line in contacts.items() if cid not in missing)
        start = time.monotonic()
        used = resource.getrusage(resource.RUSAGE_CHILDREN)
        subprocess.run([a.bin, "history", "record", "--data", data, "--state", state, "--at", day.isoformat()],
                       check=True, stdout=subprocess.DEVNULL)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        times.append(time.monotonic() - start)
        cpu.append(after.ru_utime - used.ru_utime + after.ru_stime - used.ru_stime)
        if d % 30 == 0 or d == a.days - 1:
            print(f"{day}: recorded in {times[-1]:.2f} s ({cpu[-1]:.2f} s CPU)", flush=True)

    db = os.path.join(state, "kamwatch.sqlite")
    con = sqlite3.connect(db)
    con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    counts = {t: con.execute(f"SELECT count(*) FROM {t}").fetchone()[0]
              for t in ("history_days", "contact_periods", "parent_periods")}
    con.close()
    size = sum(os.path.getsize(os.path.join(state, n)) for n in os.listdir(state))
    def summary(values):
        later = sorted(values[1:]) or values
        return (f"first {values[0]:.2f} s; later ones median {later[len(later) // 2]:.2f} s, "
                f"max {max(later):.2f} s, mean {sum(later) / len(later):.2f} s")
    print(f"days {counts['history_days']}, contact periods {counts['contact_periods']}, "
          f"parent periods {counts['parent_periods']}")
    print(f"state size {size / 1e6:.1f} MB ({os.path.getsize(db) / 1e6:.1f} MB database file)")
    print("wall time per recording: " + summary(times))
    print("CPU time (user + system) per recording: " + summary(cpu))


if __name__ == "__main__":
    main()
