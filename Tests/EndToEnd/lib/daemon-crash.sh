# shellcheck shell=sh
# Helpers for test-daemon-crash.sh: random data changes and the exactly-once audit.
#
#   crash_mutate SEED [drop [MAX]]
#                             rewrites $W/data/contacts.csv with a random subset of extra contacts
#                             for the accounts in $W/crash-accounts, in place or by rename;
#                             prints two random delays (seconds, up to 0.4 and 0.2, or up to MAX
#                             each) for the caller to use. With `drop`, the random half of those
#                             accounts loses every contact instead (hundreds of alerts flip at
#                             once on a big book)
#   crash_audit               compares the database log, the outbox and the journal; prints
#                             "transitions=N lost=L duplicated=D half_written=H" and returns 1
#                             unless all three agree exactly once per seq

crash_mutate() {
    "$PY" - "$1" "$W/contacts.orig" "$W/data" "$W/crash-accounts" "${2:-add}" "${3:-}" <<'PY'
import os, random, sys
seed, orig, data, accounts_file, mode, most = int(sys.argv[1]), sys.argv[2], sys.argv[3], sys.argv[4], sys.argv[5], sys.argv[6]
rng = random.Random(seed)
accounts = [a for a in open(accounts_file).read().split() if a]
chosen = [a for a in accounts if rng.random() < 0.5]
text = open(orig, encoding="utf-8").read()
if not text.endswith("\n"):
    text += "\n"
if mode == "drop":
    # The contacts file's second column is the account (the generated and the example books).
    dropped = set(chosen)
    lines = text.splitlines(keepends=True)
    text = lines[0] + "".join(l for l in lines[1:] if l.split(",", 2)[1] not in dropped)
else:
    for i, a in enumerate(chosen):
        text += "C-CRASH-%d,%s,Crash Test,Buyer,crash@example.com,2020-01-01,\n" % (i, a)
target = os.path.join(data, "contacts.csv")
if rng.random() < 0.5:
    tmp = target + ".tmp"
    with open(tmp, "w", encoding="utf-8") as f:
        f.write(text)
    os.rename(tmp, target)
else:
    with open(target, "w", encoding="utf-8") as f:
        half = len(text) // 2
        f.write(text[:half])
        f.flush()
        f.write(text[half:])
if most:
    print("%.3f %.3f" % (rng.uniform(0, float(most)), rng.uniform(0, float(most))))
else:
    print("%.3f %.3f" % (rng.uniform(0, 0.4), rng.uniform(0, 0.2)))
PY
}

crash_audit() {
    journald_sync
    journalctl -q -o json --no-pager --output-fields=KAMWATCH_SEQ,KAMWATCH_STATE,KAMWATCH_RULE,KAMWATCH_ACCOUNT_ID,KAMWATCH_SEVERITY \
        "KAMWATCH_INSTANCE=$(db_instance)" >"$W/journal.json" 2>/dev/null
    "$PY" - "$W/state/kamwatch.sqlite" "$W/outbox/alerts" "$W/journal.json" <<'PY'
import collections, json, os, sqlite3, sys
db_path, outbox, journal = sys.argv[1:4]
db = sqlite3.connect("file:" + db_path + "?mode=ro", uri=True)
log = {row[0]: tuple(row[1:]) for row in db.execute(
    "SELECT seq, state, rule, account_id, severity FROM transitions ORDER BY seq")}
unmarked = db.execute("SELECT COUNT(*) FROM transitions WHERE emitted_journal = 0 OR emitted_outbox = 0").fetchone()[0]
problems = []
seqs = sorted(log)
if seqs != list(range(1, len(seqs) + 1)):
    problems.append("seqs are not contiguous from 1")
if unmarked:
    problems.append("%d transitions not marked emitted" % unmarked)

half = 0
in_outbox = collections.Counter()
for name in os.listdir(outbox):
    path = os.path.join(outbox, name)
    if name.startswith("."):
        half += 1
        problems.append("temporary file left: " + name)
        continue
    try:
        o = json.load(open(path, encoding="utf-8"))
    except ValueError:
        half += 1
        problems.append("half-written file: " + name)
        continue
    in_outbox[o["seq"]] += 1
    if log.get(o["seq"]) != (o["state"], o["rule"], o["account_id"], o["severity"]):
        problems.append("outbox file %s does not match the log" % name)

in_journal = collections.Counter()
for line in open(journal, encoding="utf-8"):
    e = json.loads(line)
    seq = int(e["KAMWATCH_SEQ"])
    in_journal[seq] += 1
    got = (e["KAMWATCH_STATE"], e["KAMWATCH_RULE"], e["KAMWATCH_ACCOUNT_ID"], e["KAMWATCH_SEVERITY"])
    if log.get(seq) != got:
        problems.append("journal entry %d does not match the log" % seq)

lost = sum(1 for s in seqs if in_outbox[s] == 0) + sum(1 for s in seqs if in_journal[s] == 0)
duplicated = sum(c - 1 for c in in_outbox.values() if c > 1) + sum(c - 1 for c in in_journal.values() if c > 1)
unknown = [s for s in list(in_outbox) + list(in_journal) if s not in log]
if unknown:
    problems.append("emitted but not in the log: %s" % sorted(set(unknown))[:10])
print("transitions=%d lost=%d duplicated=%d half_written=%d" % (len(seqs), lost, duplicated, half))
for p in problems[:20]:
    print("  " + p)
sys.exit(1 if problems or lost or duplicated else 0)
PY
}
