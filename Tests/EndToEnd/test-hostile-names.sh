#!/bin/sh
# Hostile account ids, names and file names through the running daemon into a real journald
# and the outbox: ids `../../etc/x`, `a/b`, `..`, 5,000 characters, with a newline or `%`;
# names with newlines, `=`, control characters, a NUL byte; a file with invalid UTF-8 (read
# as Windows-1251) and a file whose name holds a newline. Every alert is read back (journalctl
# -o json, the outbox JSON) and must carry the id and name exactly, each outbox file one plain
# file in the outbox's alerts directory, and nothing written anywhere else.
# Usage: test-hostile-names.sh <kamwatch binary>
set -u
here=$(cd "$(dirname "$0")" && pwd)
. "$here/lib/harness.sh"
. "$here/lib/systemd-journald.sh"
. "$here/lib/daemon-common.sh"

journald_ensure || skip "no journald available"
at_exit journald_stop_if_started
at_exit daemon_cleanup
daemon_setup "$1"

# Strategic accounts without contacts: each gets a critical single-contact alert (and maybe
# others). hostile.json lists what each alert must carry: [id, name] as code points.
"$PY" - "$W/data" "$W/hostile.json" <<'PY'
import csv, io, json, os, sys
data, out = sys.argv[1], sys.argv[2]
accounts = [
    ("../../etc/x", "Dots\nand a second line"),
    ("a/b", "Equals=KAMWATCH_RULE=forged"),
    ("..", "Control \x01\x07\x1b[31mred\x7f"),
    ("K" * 5000, "Long id"),
    ("line\none", "Newline id\n=KAMWATCH_SEVERITY=info"),
    ("100%", "Percent %s %n %2e%2e%2f"),
    ("%2e%2e%2f", "NUL\x00byte"),
]
buf = io.StringIO()
w = csv.writer(buf, lineterminator="\n")
for account_id, name in accounts:
    w.writerow([account_id, name, "strategic", "owner=x\nsecond", "", "", "Test"])
with open(os.path.join(data, "accounts.csv"), "a", encoding="utf-8", newline="") as f:
    f.write(buf.getvalue())
header = "account_id,name,tier,owner,lead,parent_id,industry\n"
# Not UTF-8: the whole file is read as Windows-1251 (SPEC §1), so 0xC0 0xFF is "Ая".
with open(os.path.join(data, "accounts-1251.csv"), "wb") as f:
    f.write(header.encode() + b"K-1251,Bad \xc0\xff bytes,strategic,o,,,x\n")
accounts.append(("K-1251", "Bad Ая bytes"))
# A file name with a newline in it: still <table>-<anything>.csv.
with open(os.path.join(data, "accounts-new\nline.csv"), "w", encoding="utf-8") as f:
    f.write(header + "K-NEWLINE-FILE,From a newline file,strategic,o,,,x\n")
accounts.append(("K-NEWLINE-FILE", "From a newline file"))
with open(out, "w") as f:
    json.dump(accounts, f)
PY
touch "$W/before"

daemon_start
daemon_wait_ready
kill -0 "$DAEMON_PID" 2>/dev/null || fail "the daemon died"
[ "$(db_last_seq)" -gt 0 ] || fail "no transitions at start-up"
[ "$(outbox_transitions)" = "$(db_transitions)" ] || fail "outbox and database differ"
ok "start-up: $(db_last_seq) transitions"

# The journal may lag a little behind the outbox (one JSON object a line: ids with newlines
# make journal_transitions' lines no count of entries).
journal_complete() { [ "$(journal_entries | wc -l)" -eq "$(db_last_seq)" ]; }
wait_for 20 journal_complete || fail "the journal holds $(journal_entries | wc -l) of $(db_last_seq) transitions"
# --all: without it journalctl -o json shows fields over 4,096 bytes (the 5,000-character id) as null.
journald_sync
journalctl -q -o json --all --no-pager "KAMWATCH_INSTANCE=$(db_instance)" >"$W/journal.json" 2>/dev/null

"$PY" - "$W" <<'PY' || fail "hostile names or ids were not carried intact"
import json, os, re, sys
w = sys.argv[1]
hostile = json.load(open(os.path.join(w, "hostile.json")))
failures = []

def text(value):
    # journalctl -o json gives a value that is not printable UTF-8 as an array of bytes.
    if isinstance(value, list):
        return bytes(value).decode("utf-8")
    return value

# The outbox: plain files right in outbox/alerts, with tame names, each one JSON object.
outbox = {}
for root, dirs, files in os.walk(os.path.join(w, "outbox")):
    for d in dirs:
        if os.path.join(root, d) != os.path.join(w, "outbox", "alerts"):
            failures.append(f"unexpected directory {os.path.join(root, d)!r}")
    for name in files:
        path = os.path.join(root, name)
        if root != os.path.join(w, "outbox", "alerts"):
            failures.append(f"file outside outbox/alerts: {path!r}")
            continue
        if not re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9._-]*", name) or len(name.encode()) > 255:
            failures.append(f"outbox file name not tame: {name!r}")
        if os.path.islink(path) or not os.path.isfile(path):
            failures.append(f"not a plain file: {name!r}")
        raw = open(path, "rb").read()
        if raw.count(b"\n") != 1 or not raw.endswith(b"\n"):
            failures.append(f"{name}: not one line of JSON")
        o = json.loads(raw)
        outbox.setdefault(o["account_id"], []).append(o)

# Nothing written outside the work directory's state and outbox (../../etc/x and friends).
for root, dirs, files in os.walk(w):
    for name in files:
        path = os.path.join(root, name)
        if os.path.getmtime(path) > os.path.getmtime(os.path.join(w, "before")):
            rel = os.path.relpath(path, w)
            if not rel.split(os.sep)[0] in ("outbox", "state", "daemon.out", "daemon.err", "notify.log", "journal.json"):
                failures.append(f"written outside the outbox and state: {rel!r}")
for path in ("/etc/x", os.path.join(w, "etc", "x"), os.path.join(w, "outbox", "etc")):
    if os.path.exists(path) and os.path.getmtime(path) > os.path.getmtime(os.path.join(w, "before")):
        failures.append(f"{path} was written")

journal = {}
for line in open(os.path.join(w, "journal.json")):
    e = json.loads(line)
    journal.setdefault(text(e["KAMWATCH_ACCOUNT_ID"]), []).append(e)
    for field in ("KAMWATCH_RULE", "KAMWATCH_SEVERITY", "KAMWATCH_STATE", "KAMWATCH_SEQ"):
        if not isinstance(e.get(field), str) or not re.fullmatch(r"[a-z0-9-]+", e[field]):
            failures.append(f"{field} not one plain value: {e.get(field)!r}")

for account_id, name in hostile:
    shown = repr(account_id[:40])
    entries = journal.get(account_id, [])
    files = outbox.get(account_id, [])
    if not any(e["KAMWATCH_RULE"] == "single-contact" and e["KAMWATCH_SEVERITY"] == "critical" for e in entries):
        failures.append(f"{shown}: no critical single-contact entry in the journal")
    if not any(o["rule"] == "single-contact" for o in files):
        failures.append(f"{shown}: no single-contact file in the outbox")
    if len(entries) != len(files):
        failures.append(f"{shown}: {len(entries)} journal entries but {len(files)} outbox files")
    for e in entries:
        if text(e["KAMWATCH_ACCOUNT"]) != name:
            failures.append(f"{shown}: journal KAMWATCH_ACCOUNT {text(e['KAMWATCH_ACCOUNT'])!r} != {name!r}")
        if account_id == "../../etc/x" and text(e["KAMWATCH_OWNER"]) != "owner=x\nsecond":
            failures.append(f"{shown}: journal KAMWATCH_OWNER {text(e['KAMWATCH_OWNER'])!r}")
    for o in files:
        if o["account_name"] != name:
            failures.append(f"{shown}: outbox account_name {o['account_name']!r} != {name!r}")
for f in failures:
    print("  " + f)
print(f"{len(hostile)} hostile accounts, {sum(map(len, journal.values()))} journal entries, "
      f"{sum(map(len, outbox.values()))} outbox files")
sys.exit(1 if failures else 0)
PY
ok "ids and names intact in the journal and the outbox, files confined"

daemon_stop
ok "the daemon stopped cleanly"
