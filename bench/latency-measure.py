#!/usr/bin/env python3
"""Measures how long `kamwatch run` takes to report a changed file.

  python3 bench/latency-measure.py WORK ACCOUNT CHANGES QUIET_MS

WORK holds data/, outbox/ and state/ of a running daemon. ACCOUNT has a single-contact
alert; each change renames a new `contacts-latency.csv` into data/ that adds a contact
to it (clearing the alert) or takes it away again (raising it), so every change causes
transitions. The time from the rename to the first new outbox file, less the configured
quiet period, is one sample. Prints the samples' median and p99 (nearest rank).
"""

import math
import os
import sys
import time

work, account, changes, quiet_ms = sys.argv[1], sys.argv[2], int(sys.argv[3]), float(sys.argv[4])
data = os.path.join(work, "data")
alerts = os.path.join(work, "outbox", "alerts")
target = os.path.join(data, "contacts-latency.csv")
header = "contact_id,account_id,name,role,email,since,until\n"
with_contact = header + "LAT-1,%s,Latency Probe,Buyer,probe@example.com,2020-01-01,\n" % account


def count():
    return sum(1 for e in os.scandir(alerts) if not e.name.startswith("."))


def write(text):
    tmp = target + ".tmp"
    with open(tmp, "w", encoding="utf-8") as f:
        f.write(text)
    t0 = time.monotonic()
    os.rename(tmp, target)
    return t0


samples = []
for i in range(changes):
    before = count()
    t0 = write(with_contact if i % 2 == 0 else header)
    deadline = t0 + 30
    while count() == before:
        if time.monotonic() > deadline:
            sys.exit("change %d: no transition within 30 s" % (i + 1))
        time.sleep(0.0005)
    samples.append((time.monotonic() - t0) * 1000 - quiet_ms)
    time.sleep(0.2)  # let the daemon finish the change (journal, marks) before the next one

samples.sort()
median = samples[len(samples) // 2] if len(samples) % 2 else (samples[len(samples) // 2 - 1] + samples[len(samples) // 2]) / 2
p99 = samples[max(0, math.ceil(0.99 * len(samples)) - 1)]
print("changes=%d median_ms=%.1f p99_ms=%.1f min_ms=%.1f max_ms=%.1f"
      % (len(samples), median, p99, samples[0], samples[-1]))
