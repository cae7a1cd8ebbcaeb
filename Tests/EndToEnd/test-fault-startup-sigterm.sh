#!/bin/sh
# SIGTERM while `kamwatch run` is still starting (reading a big book for its first evaluation):
# a clean stop (exit 0, STOPPING=1, never READY=1), nothing recorded, the state database
# intact, and well before the start-up would have ended: in less than half the time a whole
# start-up takes here (reading stops after the file or 24 MB chunk being decoded).
# Usage: test-fault-startup-sigterm.sh <kamwatch binary>
set -u
here=$(cd "$(dirname "$0")" && pwd)
. "$here/lib/harness.sh"
. "$here/lib/daemon-common.sh"

at_exit daemon_cleanup
daemon_setup "$1"
# A book big enough that the first evaluation takes seconds.
rm -f "$W"/data/*.csv
"$PY" "$DAEMON_ROOT/bench/generate.py" --accounts 100000 --out "$W/data" >/dev/null || fail "cannot generate a book"

# A whole start-up first, for its duration; then start-ups stopped early and late.
t0=$(date +%s%N)
daemon_start
daemon_wait_ready
full=$((($(date +%s%N) - t0) / 1000000))
daemon_stop
n=$(db_last_seq)
echo "ok: a whole start-up takes $full ms here ($n transitions)"
# Half the contacts go: a start-up that got as far as evaluating would record transitions.
lines=$(wc -l <"$W/data/contacts.csv")
head -n $((lines / 2)) "$W/data/contacts.csv" >"$W/contacts.half"
mv "$W/contacts.half" "$W/data/contacts.csv"
: >"$W/notify.log"
late=$(awk -v ms="$full" 'BEGIN { printf "%.1f", ms / 3000 }')
for delay in 0.3 "$late"; do
    daemon_start
    sleep "$delay"
    [ "$(ready_count)" -eq 0 ] || fail "READY=1 within ${delay}s: the book is read too fast for this test"
    sent=$(date +%s%N)
    kill -TERM "$DAEMON_PID"
    wait_for 120 gone "$DAEMON_PID" || fail "SIGTERM after ${delay}s of start-up: still running after 120 s"
    wait "$DAEMON_PID"
    status=$?
    ms=$((($(date +%s%N) - sent) / 1000000))
    DAEMON_PID=
    [ "$status" -eq 0 ] || fail "SIGTERM after ${delay}s of start-up: exit status $status, not 0"
    [ "$ms" -lt $((full / 2)) ] || fail "SIGTERM after ${delay}s of start-up: stopped after $ms ms (a whole start-up: $full ms)"
    grep -q '^STOPPING=1$' "$W/notify.log" || fail "no STOPPING=1"
    [ "$(ready_count)" -eq 0 ] || fail "READY=1 after SIGTERM"
    [ "$(db_query 'PRAGMA quick_check')" = ok ] || fail "the state database is damaged"
    [ "$(db_last_seq)" -eq "$n" ] || fail "transitions were recorded by a start-up that was stopped"
    echo "ok: SIGTERM after ${delay}s of start-up: exit 0 in $ms ms, STOPPING=1, nothing recorded"
    : >"$W/notify.log"
done
