#!/bin/sh
# Silences against the real daemon and journald: `kamwatch silence add` while the daemon runs,
# a change of the silenced account's data (recorded, one PRIORITY 6 journal entry with
# KAMWATCH_SILENCED, no outbox file), `silence expire` (the alert arrives as firing, once,
# within seconds), and `kamwatch status` and the metrics file agreeing with the outbox.
# Usage: test-silence.sh <kamwatch binary>
set -u
here=$(cd "$(dirname "$0")" && pwd)
. "$here/lib/harness.sh"
. "$here/lib/systemd-journald.sh"
. "$here/lib/daemon-common.sh"

journald_ensure || skip "no journald available"
at_exit journald_stop_if_started
at_exit daemon_cleanup
daemon_setup "$1"
mkdir -p "$W/metrics"
echo "metrics_file: $W/metrics/kamwatch.prom" >>"$W/kamwatch.yaml"
kw() { "$DAEMON_BIN" "$@" --config "$W/kamwatch.yaml"; }
outbox_count() { ls "$W/outbox/alerts" | wc -l; }

# A key account of our own with two contacts raises nothing; losing one makes it single-contact.
acc=K-E2E-SILENCE
printf '%s,Silence Test Ltd,key,kam@example.com,lead@example.com,,\n' "$acc" >>"$W/data/accounts.csv"
printf 'C-E2E-S1,%s,Ann Test,Buyer,ann@example.com,2020-01-01,\nC-E2E-S2,%s,Bob Test,CFO,bob@example.com,2020-01-01,\n' \
    "$acc" "$acc" >>"$W/data/contacts.csv"
daemon_start
daemon_wait_ready
expected_alerts | grep -q " $acc " && fail "setup: $acc should raise nothing yet"

# 1. Silence the account while the daemon runs; the CLI prints the id.
id=$(kw silence add --account "$acc" --until "$(date -u -d '+7 days' +%F)" --reason "renegotiating" --by e2e) ||
    fail "silence add failed"
case "$id" in '' | *[!0-9]*) fail "silence add printed '$id', not an id" ;; esac
kw silence list --format json | grep -q "\"id\":$id," || fail "silence list does not show silence $id"
ok "silence $id added beside the running daemon"

# 2. Change the account's data (one contact leaves): the transition is recorded under the silence, journaled at
# PRIORITY 6 with KAMWATCH_SILENCED, and written to no outbox file.
before=$(db_last_seq)
files=$(outbox_count)
old=$(expected_alerts)
grep -v '^C-E2E-S2,' "$W/data/contacts.csv" >"$W/contacts.new"
mv "$W/contacts.new" "$W/data/contacts.csv"
want=$(expected_transitions "$old" "$(expected_alerts)")
[ "$(printf '%s\n' "$want" | grep -c .)" -eq 1 ] || fail "setup: expected one transition, not: $want"
wait_for_seq $((before + 1))
sleep 0.5
got=$(db_query "SELECT state, rule, account_id, severity, silence_id FROM transitions WHERE seq > $before")
[ "$got" = "$want $id" ] || fail "silenced change: expected '$want $id', got '$got'"
[ "$(outbox_count)" -eq "$files" ] || fail "a silenced transition was written to the outbox"
silenced_present() { [ -n "$(silenced_entries)" ]; }
silenced_entries() {
    journald_sync
    journalctl -q -o json --no-pager "KAMWATCH_INSTANCE=$(db_instance)" "KAMWATCH_SILENCED=$id"
}
wait_for 30 silenced_present || fail "no journal entry with KAMWATCH_SILENCED=$id; the daemon said: $(tail -n 5 "$W/daemon.err")"
silenced=$(silenced_entries)
printf '%s\n' "$silenced" | "$PY" -c '
import json, sys
entries = [json.loads(l) for l in sys.stdin if l.strip()]
assert len(entries) == 1, len(entries)
assert entries[0]["PRIORITY"] == "6", entries[0]["PRIORITY"]
assert entries[0]["KAMWATCH_ACCOUNT_ID"] == sys.argv[1], entries[0]
' "$acc" || fail "expected one PRIORITY 6 entry with KAMWATCH_SILENCED=$id"
kw status --format json | grep "\"account_id\":\"$acc\"" | grep '"rule":"single-contact"' |
    grep -q "\"silenced_by\":$id" || fail "status does not show the alert silenced by $id"
ok "silenced transition recorded, journaled at PRIORITY 6, no outbox file; status shows the silence"

# 3. Expire the silence: the alert arrives as firing, once, within the daemon's check interval.
kw silence expire "$id" >/dev/null || fail "silence expire failed"
wait_for_seq $((before + 2)) 20
sleep 6  # one more check interval: nothing else may come
got=$(db_query "SELECT state, rule, account_id, severity, coalesce(silence_id, '-') FROM transitions WHERE seq > $before + 1")
[ "$got" = "firing single-contact $acc warning -" ] || fail "after expire: expected one announcement, got '$got'"
[ "$(outbox_count)" -eq $((files + 1)) ] || fail "after expire: expected one new outbox file"
last=$(ls "$W/outbox/alerts" | sort | tail -n 1)
"$PY" - "$W/outbox/alerts/$last" "$acc" <<'PY' || fail "the announcement's outbox file is wrong"
import json, sys
o = json.load(open(sys.argv[1]))
assert (o["state"], o["rule"], o["account_id"], o["severity"], o["previous_severity"]) == \
    ("firing", "single-contact", sys.argv[2], "warning", None), o
PY
ok "expired silence: announced as firing once, with an outbox file"

# 4. status, the metrics file and the outbox agree on what is open.
from_outbox=$("$PY" - "$W/outbox/alerts" <<'PY'
import json, os, sys
d = sys.argv[1]
events = sorted((json.load(open(os.path.join(d, n))) for n in os.listdir(d) if not n.startswith(".")),
                key=lambda o: o["seq"])
open_ = {}
for o in events:
    key = (o["rule"], o["account_id"])
    if o["state"] == "resolved":
        open_.pop(key, None)
    else:
        open_[key] = o["severity"]
for (rule, account), severity in sorted(open_.items()):
    print(rule, account, severity)
PY
)
from_status=$(kw status --format json | "$PY" -c '
import json, sys
rows = sorted((o["rule"], o["account_id"], o["severity"]) for o in map(json.loads, sys.stdin) if o["kind"] == "alert")
for r in rows: print(*r)
')
[ "$from_status" = "$from_outbox" ] || fail "status and outbox disagree"
by_severity() { printf '%s\n' "$1" | awk '{ n[$1 " " $3]++ } END { for (k in n) print k, n[k] }' | sort; }
from_metrics=$(awk '/^kamwatch_open_alerts\{/ && $2 > 0 {
    match($0, /rule="[^"]*"/); r = substr($0, RSTART + 6, RLENGTH - 7)
    match($0, /severity="[^"]*"/); s = substr($0, RSTART + 10, RLENGTH - 11)
    print r, s, $2 }' "$W/metrics/kamwatch.prom" | sort)
[ "$from_metrics" = "$(by_severity "$from_outbox")" ] || fail "metrics and outbox disagree:
$from_metrics
---
$(by_severity "$from_outbox")"
firing=$(grep '^kamwatch_transitions_total{state="firing"}' "$W/metrics/kamwatch.prom" | awk '{ print $2 }')
[ "$firing" = "$(db_query "SELECT count(*) FROM transitions WHERE state = 'firing'")" ] ||
    fail "kamwatch_transitions_total{state=\"firing\"} is $firing"
ok "status, the metrics file and the outbox agree"

# 5. A database locked by another writer: the CLI says so in one line and exits 1.
"$PY" - "$W/state/kamwatch.sqlite" "$W/locked" <<'PY' &
import sqlite3, sys, time
db = sqlite3.connect(sys.argv[1], isolation_level=None)
db.execute("BEGIN IMMEDIATE")
open(sys.argv[2], "w").close()
time.sleep(6)
db.execute("ROLLBACK")
PY
locker=$!
track_pid "$locker"
wait_for 10 test -e "$W/locked" || fail "the locking writer did not start"
kw silence add --rule single-contact --until "$(date -u +%F)" --reason "locked" >"$W/locked.out" 2>"$W/locked.err"
status=$?
[ "$status" -eq 1 ] || fail "silence add on a locked database exited $status, not 1"
[ "$(wc -l <"$W/locked.err")" -eq 1 ] && grep -q 'locked by another writer' "$W/locked.err" ||
    fail "silence add on a locked database: $(cat "$W/locked.err")"
stop_pid "$locker"
ok "a locked state database: one line, exit status 1"
daemon_stop
if command -v promtool >/dev/null; then
    promtool check metrics <"$W/metrics/kamwatch.prom" || fail "promtool check metrics"
    ok "promtool check metrics accepts the daemon's file"
else
    skip "promtool is not installed (Debian package prometheus): the metrics format is not checked"
fi
