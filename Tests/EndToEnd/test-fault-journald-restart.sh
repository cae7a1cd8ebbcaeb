#!/bin/sh
# journald stopped and started again while `kamwatch run` runs: transitions recorded while it
# was away reach the journal once it is back (on their own, with no further change), and
# none twice. Needs a journald of this test's own (not the system's).
# Usage: test-fault-journald-restart.sh <kamwatch binary>
set -u
here=$(cd "$(dirname "$0")" && pwd)
. "$here/lib/harness.sh"
. "$here/lib/systemd-journald.sh"
. "$here/lib/daemon-common.sh"
. "$here/lib/daemon-crash.sh"

journald_answers && skip "a journald runs already, and this test must stop its own"
journald_ensure || skip "no journald available"
at_exit journald_stop_if_started
at_exit daemon_cleanup
created=$JOURNALD_CREATED_FILES
daemon_setup "$1"
cp "$W/data/contacts.csv" "$W/contacts.orig"
expected_alerts | awk '$1 == "single-contact" { print $2 }' >"$W/crash-accounts"
daemon_start
daemon_wait_ready
crash_audit >/dev/null || fail "the start-up transitions are not all in the journal"

for round in 1 2 3; do
    n=$(db_last_seq)
    # journald goes away (flushing what it has), the data changes meanwhile.
    journald_sync
    stop_pid "$JOURNALD_STARTED_PID"
    JOURNALD_STARTED_PID=
    crash_mutate "$round" >/dev/null
    wait_for_seq $((n + 1)) 10
    sleep 1
    # Recorded and in the outbox, but not (yet) in the journal.
    [ "$(outbox_transitions)" = "$(db_transitions)" ] || fail "round $round: outbox and database differ"
    [ "$(db_query 'SELECT COUNT(*) FROM transitions WHERE emitted_journal = 0')" -gt 0 ] ||
        fail "round $round: transitions marked sent to a journald that was not there"
    journald_ensure || fail "journald did not start again"
    JOURNALD_CREATED_FILES=$created
    i=0
    while ! crash_audit >/dev/null; do
        [ "$i" -ge 300 ] && {
            crash_audit
            fail "round $round: the journal did not catch up within 30 s"
        }
        sleep 0.1
        i=$((i + 1))
    done
    echo "ok: round $round: journald back, caught up after $((i / 10)) s: $(crash_audit)"
done
daemon_stop
