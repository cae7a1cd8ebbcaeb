#!/bin/sh
# SIGTERM while `kamwatch run` is still starting (reading a big book for its first evaluation):
# a clean stop within seconds (exit 0, STOPPING=1, never READY=1), nothing recorded, and the
# state database intact.
# Usage: test-fault-startup-sigterm.sh <kamwatch binary>
set -u
here=$(cd "$(dirname "$0")" && pwd)
. "$here/lib/daemon-common.sh"

trap 'daemon_cleanup' EXIT
trap 'exit 1' INT TERM
daemon_setup "$1"
# A book big enough that the first evaluation takes seconds.
rm -f "$W"/data/*.csv
"$PY" "$DAEMON_ROOT/bench/generate.py" --accounts 100000 --out "$W/data" >/dev/null || fail "cannot generate a book"

for delay in 0.3 1.0; do
    daemon_start
    sleep "$delay"
    [ "$(ready_count)" -eq 0 ] || fail "the book is read too fast to stop during start-up"
    sent=$(date +%s%N)
    kill -TERM "$DAEMON_PID"
    wait "$DAEMON_PID"
    status=$?
    ms=$((($(date +%s%N) - sent) / 1000000))
    DAEMON_PID=
    [ "$status" -eq 0 ] || fail "SIGTERM after ${delay}s of start-up: exit status $status, not 0"
    [ "$ms" -lt 5000 ] || fail "SIGTERM after ${delay}s of start-up: stopped after $ms ms"
    grep -q '^STOPPING=1$' "$W/notify.log" || fail "no STOPPING=1"
    [ "$(ready_count)" -eq 0 ] || fail "READY=1 after SIGTERM"
    grep -q "stopped during start-up" "$W/daemon.err" "$W/daemon.out" 2>/dev/null ||
        journalctl -q --no-pager -o cat SYSLOG_IDENTIFIER=kamwatch 2>/dev/null | grep -q "stopped during start-up" ||
        fail "no 'stopped during start-up' in the log"
    if [ -e "$W/state/kamwatch.sqlite" ]; then
        [ "$(db_query 'PRAGMA quick_check')" = ok ] || fail "the state database is damaged"
        [ "$(db_last_seq)" -eq 0 ] || fail "transitions were recorded by a start-up that was stopped"
    fi
    echo "ok: SIGTERM after ${delay}s of start-up: exit 0 in $ms ms, STOPPING=1, nothing recorded"
    : >"$W/notify.log"
done
