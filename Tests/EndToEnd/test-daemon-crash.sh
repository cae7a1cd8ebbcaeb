#!/bin/sh
# Kills `kamwatch run` with SIGKILL at random moments while its data changes, many times over,
# then checks that the outbox and the journal together hold every recorded transition exactly
# once (seqs contiguous, nothing lost, nothing duplicated, no half-written file) and that the
# open alerts end up as `kamwatch check` says.
#
# The date rolls too: every round runs on a wall clock (lib/shifted-clock.c) set to a moment of
# the last two seconds before midnight of a day that moves forward every other round, so the date
# changes both while the daemon runs and while it is down. The days are in the past (journal look-ups
# after a crash search from the transition's time on, and journald stamps entries with real time).
# Usage: test-daemon-crash.sh <kamwatch binary>    (KAMWATCH_CRASH_ROUNDS, default 200)
set -u
here=$(cd "$(dirname "$0")" && pwd)
. "$here/lib/harness.sh"
. "$here/lib/systemd-journald.sh"
. "$here/lib/daemon-common.sh"
. "$here/lib/daemon-crash.sh"

rounds=${KAMWATCH_CRASH_ROUNDS:-200}
seed=${KAMWATCH_CRASH_SEED:-$(date +%s)}
journald_ensure || skip "no journald available"
at_exit journald_stop_if_started
at_exit daemon_cleanup
DAEMON_QUIET=20ms daemon_setup "$1"
cp "$W/data/contacts.csv" "$W/contacts.orig"
# The accounts whose single-contact alert an extra contact clears: every change flips some.
expected_alerts | awk '$1 == "single-contact" { print $2 }' >"$W/crash-accounts"
[ -s "$W/crash-accounts" ] || fail "the example book has no single-contact alerts"

# The first day: far enough back that every round's day is before today.
first_day=$(($(date -u +%s) / 86400 - rounds / 2 - 30))
# A wall clock 0.2 to 1.8 s before the end of day N (varying with the round): the date rolls
# during start-up, while running, or after the kill.
fake_clock() {
    _k=$((18 - ($2 * 7 + seed) % 17))
    echo "$(($1 * 86400 + 86398 + _k / 10)).$((_k % 10))"
}
day_of() { date -u -d "@$(($1 * 86400))" +%F; }

start=$(date +%s)
journald_mark
kills=0
r=1
while [ "$r" -le "$rounds" ]; do
    day=$((first_day + r / 2))
    DAEMON_CLOCK_START=$(fake_clock "$day" "$r") daemon_start
    set -- $(crash_mutate $((seed + r)))
    sleep "$1"
    crash_mutate $((seed + r + 100000)) >/dev/null
    sleep "$2"
    if kill -KILL "$DAEMON_PID" 2>/dev/null; then
        kills=$((kills + 1))
        wait "$DAEMON_PID" 2>/dev/null
    else
        # It was not killed: it exited by itself, which it must never do.
        wait "$DAEMON_PID"
        echo "round $r: the daemon exited by itself with status $?:" >&2
        tail -n 5 "$W/daemon.err" >&2
        fail "the daemon exited without being killed"
    fi
    DAEMON_PID=
    r=$((r + 1))
done

# A last clean run finishes whatever the last kill interrupted, on the day after the last round.
last_day=$((first_day + rounds / 2 + 1))
DAEMON_CLOCK_START=$((last_day * 86400 + 43200)) daemon_start
daemon_wait_ready
sleep 0.3
daemon_stop
elapsed=$(($(date +%s) - start))
DAEMON_TODAY=$(day_of "$last_day")
export DAEMON_TODAY

[ "$(open_alerts)" = "$(expected_alerts)" ] || fail "open alerts differ from check after the crashes"
result=$(crash_audit)
status=$?
# How often a start found transitions recorded but not emitted, and finished them.
recoveries=$(journald_read SYSLOG_IDENTIFIER=kamwatch | "$PY" -c '
import json, sys
n = o = j = 0
for line in sys.stdin:
    e = json.loads(line)
    if e.get("MESSAGE", "").startswith("finished transitions recorded before a restart"):
        n += 1
        o += int(e.get("KAMWATCH_OUTBOX", 0))
        j += int(e.get("KAMWATCH_JOURNAL", 0))
print("recoveries=%d rewritten_outbox=%d resent_journal=%d" % (n, o, j))
')
# Date changes the running daemon noticed (each evaluated the book again for the new day).
rolls=$(journald_read SYSLOG_IDENTIFIER=kamwatch MESSAGE="the date changed; evaluating again" | grep -c . || true)
echo "rounds=$rounds kills=$kills days=$(day_of "$first_day")..$DAEMON_TODAY date_rolls_seen_running=$rolls seed=$seed seconds=$elapsed $result $recoveries"
[ "$status" -eq 0 ] || fail "exactly-once broken (seed $seed)"
ok "every transition exactly once after $kills kills"
