#!/bin/sh
# Kills `kamwatch run` with SIGKILL at random moments of big batches (more than 256 transitions in
# one evaluation: the outbox files are written as temporaries while the transitions are recorded,
# named after the commit, and the journal is sent beside them), then checks as
# test-daemon-crash.sh does that the outbox and the journal hold every recorded transition exactly
# once, with no half-written or temporary file left, and that the open alerts end up as
# `kamwatch check` says.
#
# The book is generated (bench/generate.py, a few thousand accounts). Each change takes every
# contact away from a random half of the accounts the single-contact rule watches, so hundreds of
# alerts flip at once; the data also changes while the daemon is down, so that start-up's first
# evaluation (after the recovery of what the last kill interrupted) is a big batch too.
# Usage: test-daemon-crash-batch.sh <kamwatch binary>
#        (KAMWATCH_BATCH_ROUNDS, default 14; KAMWATCH_BATCH_ACCOUNTS, default 6000)
set -u
here=$(cd "$(dirname "$0")" && pwd)
. "$here/lib/harness.sh"
. "$here/lib/systemd-journald.sh"
. "$here/lib/daemon-common.sh"
. "$here/lib/daemon-crash.sh"

rounds=${KAMWATCH_BATCH_ROUNDS:-14}
accounts=${KAMWATCH_BATCH_ACCOUNTS:-6000}
seed=${KAMWATCH_CRASH_SEED:-$(date +%s)}
journald_ensure || skip "no journald available"
at_exit journald_stop_if_started
at_exit daemon_cleanup
DAEMON_QUIET=20ms daemon_setup "$1"
"$PY" "$DAEMON_ROOT/bench/generate.py" --accounts "$accounts" --out "$W/book" >/dev/null ||
    fail "cannot generate a book of $accounts accounts"
rm -f "$W"/data/*
cp "$W"/book/*.csv "$W/data/"
rm -rf "$W/book"
cp "$W/data/contacts.csv" "$W/contacts.orig"
# The accounts the single-contact rule watches: taking their contacts away raises its alert.
"$PY" - "$W/data/accounts.csv" >"$W/crash-accounts" <<'PY'
import csv, sys
for row in csv.DictReader(open(sys.argv[1], encoding="utf-8", newline="")):
    if row["tier"] in ("strategic", "key"):
        print(row["account_id"])
PY
n=$(grep -c . "$W/crash-accounts")
[ "$n" -ge 600 ] || fail "only $n watched accounts: too few for batches of more than 256 transitions"

# A wall clock at noon of a fixed day in the past, a minute later each round (journal look-ups
# after a crash search from the transition's time on; journald stamps entries with real time).
day=$(($(date -u +%s) / 86400 - 30))
DAEMON_TODAY=$(date -u -d "@$((day * 86400))" +%F)
export DAEMON_TODAY

now() { date +%s.%N; }
# Seconds from $1 to now, times $2, plus $3.
scaled() { "$PY" -c 'import sys, time; print("%.3f" % ((time.time() - float(sys.argv[1])) * float(sys.argv[2]) + float(sys.argv[3])))' "$@"; }
# A random pause of $2 to $3 times $1 seconds (seed $4).
pause() { "$PY" -c 'import random, sys; t, lo, hi, s = map(float, sys.argv[1:]); print("%.3f" % (t * random.Random(s).uniform(lo, hi)))' "$@"; }
unemitted() { db_query "SELECT COUNT(*) FROM transitions WHERE emitted_journal = 0 OR emitted_outbox = 0"; }
emitted_after() { [ "$(db_last_seq)" -gt "$1" ] && [ "$(unemitted)" = 0 ]; }

start=$(date +%s)
journald_mark
# A clean round first, to time (on this machine and build) a start-up to READY=1 and a change's
# evaluation until its transitions are emitted: the kills are spread over those spans.
t0=$(now)
DAEMON_CLOCK_START=$((day * 86400 + 43200)) daemon_start
daemon_wait_ready
startup=$(scaled "$t0" 1 0)
before=$(db_last_seq)
crash_mutate "$seed" drop >/dev/null
t0=$(now)
WAIT_INTERVAL=0.05 wait_for 60 emitted_after "$before" || fail "a change was not evaluated and emitted within 60 s"
change=$(scaled "$t0" 1 0)
daemon_stop
kills=0
r=1
while [ "$r" -le "$rounds" ]; do
    # Changed while the daemon is down: its first evaluation flips hundreds of alerts.
    crash_mutate $((seed + r)) drop >/dev/null
    DAEMON_CLOCK_START=$((day * 86400 + 43200 + r * 60)) daemon_start
    if [ $((r % 2)) -eq 1 ]; then
        # Killed during start-up: its recovery of what the last kill left, or its first evaluation.
        sleep "$(pause "$startup" 0.45 1.1 $((seed + r)))"
    else
        # Killed while a change is evaluated, recorded and emitted.
        daemon_wait_ready
        crash_mutate $((seed + r + 100000)) drop >/dev/null
        sleep "$(pause "$change" 0.15 1.1 $((seed + r)))"
    fi
    if kill -KILL "$DAEMON_PID" 2>/dev/null; then
        kills=$((kills + 1))
        wait "$DAEMON_PID" 2>/dev/null
    else
        wait "$DAEMON_PID"
        echo "round $r: the daemon exited by itself with status $?:" >&2
        tail -n 5 "$W/daemon.err" >&2
        fail "the daemon exited without being killed"
    fi
    DAEMON_PID=
    r=$((r + 1))
done

# A last clean run finishes whatever the last kill interrupted, then takes one more big change.
DAEMON_CLOCK_START=$((day * 86400 + 43200 + (rounds + 1) * 60)) daemon_start
daemon_wait_ready
last=$(db_last_seq)
crash_mutate $((seed + 300000)) drop >/dev/null
alerts_settled() {
    [ "$(db_query 'SELECT COUNT(*) FROM transitions WHERE emitted_journal = 0 OR emitted_outbox = 0')" = 0 ] &&
        [ "$(open_alerts)" = "$(expected_alerts)" ]
}
WAIT_INTERVAL=0.5 wait_for 60 alerts_settled || fail "open alerts differ from check after the crashes"
daemon_stop
elapsed=$(($(date +%s) - start))

result=$(crash_audit)
status=$?
# The evaluations' sizes, to show that the big-batch path ran, and the recoveries after kills.
summary=$(journald_read SYSLOG_IDENTIFIER=kamwatch | "$PY" -c '
import json, re, sys
counts = []
recoveries = 0
for line in sys.stdin:
    m = json.loads(line).get("MESSAGE", "")
    if isinstance(m, list):
        continue
    e = re.match(r"evaluated: (\d+) transitions", m)
    if e:
        counts.append(int(e.group(1)))
    elif m.startswith("finished transitions recorded before a restart"):
        recoveries += 1
counts.sort()
print("evaluations=%d over_256=%d biggest=%s recoveries=%d" % (
    len(counts), sum(1 for c in counts if c > 256), ",".join(map(str, counts[-3:])), recoveries))
')
echo "rounds=$rounds kills=$kills startup_s=$startup change_s=$change accounts=$accounts watched=$n seed=$seed seconds=$elapsed last_run_from_seq=$last $result $summary"
[ "$status" -eq 0 ] || fail "exactly-once broken (seed $seed)"
case $summary in *" over_256=0 "*) fail "no evaluation had more than 256 transitions" ;; esac
ok "every transition exactly once after $kills kills in big batches"
