#!/bin/sh
# An inotify queue overflow (fs.inotify.max_queued_events lowered to 16 for the daemon's
# watch, restored afterwards): the daemon reads the whole directory again and misses no
# change, although the event of the change that matters was dropped. Needs root.
# Usage: test-fault-inotify-overflow.sh <kamwatch binary>
set -u
here=$(cd "$(dirname "$0")" && pwd)
. "$here/lib/harness.sh"
. "$here/lib/systemd-journald.sh"
. "$here/lib/daemon-common.sh"

knob=/proc/sys/fs/inotify/max_queued_events
{ [ "$(id -u)" -eq 0 ] && [ -w "$knob" ]; } || skip "lowering $knob needs root"
journald_ensure || skip "no journald available"
saved=$(cat "$knob")
restore_knob() { echo "$saved" >"$knob"; }
at_exit journald_stop_if_started
at_exit daemon_cleanup
at_exit restore_knob
daemon_setup "$1"
cp "$W/data/contacts.csv" "$W/contacts.orig"
journald_mark
# The queue size is fixed when the inotify instance is made: lower it for the daemon's start only.
echo 16 >"$knob"
daemon_start
daemon_wait_ready
echo "$saved" >"$knob"
n=$(db_last_seq)
old=$(expected_alerts)
acc=$(printf '%s\n' "$old" | awk '$1 == "single-contact" { print $2; exit }')

# The daemon is stopped (SIGSTOP) so its queue fills: 200 events of other files, then the change.
kill -STOP "$DAEMON_PID"
"$PY" - "$W/data" <<'PY'
import os, sys
d = sys.argv[1]
for i in range(100):
    p = os.path.join(d, "noise-%d.txt" % i)
    open(p, "w").close()
    os.remove(p)
PY
printf 'C-OVF-1,%s,Overflow Person,Buyer,ovf@example.com,2020-01-01,\n' "$acc" >>"$W/data/contacts.csv"
kill -CONT "$DAEMON_PID"
new=$(expected_alerts)
expected=$(expected_transitions "$old" "$new")
count=$(printf '%s\n' "$expected" | grep -c .)
[ "$count" -gt 0 ] || fail "the change was meant to cause a transition"
wait_for_seq $((n + count)) 10
sleep 0.5
[ "$(transitions_after "$n")" = "$expected" ] || fail "after the overflow: expected
$expected
got
$(transitions_after "$n")"
journald_wait_for 5 SYSLOG_IDENTIFIER=kamwatch PRIORITY=4 | grep -q "inotify queue overflow" ||
    fail "no overflow warning in the journal"
echo "ok: inotify queue overflow: a full rescan, $count transition(s), none missed"
daemon_stop
