#!/bin/sh
# The outbox's and then the state's file system full (a small tmpfs filled up): the failed
# evaluation is reported in the journal, no transition is lost, and delivery resumes on its
# own once space returns (no other change needed), every transition exactly once. Needs root.
# Usage: test-fault-disk-full.sh <kamwatch binary>
set -u
here=$(cd "$(dirname "$0")" && pwd)
. "$here/lib/harness.sh"
. "$here/lib/systemd-journald.sh"
. "$here/lib/daemon-common.sh"
. "$here/lib/daemon-crash.sh"

[ "$(id -u)" -eq 0 ] || skip "mounting a tmpfs needs root"
journald_ensure || skip "no journald available"
mounts=
unmount_all() { for m in $mounts; do umount "$m" 2>/dev/null; done; }
at_exit journald_stop_if_started
at_exit unmount_all
at_exit daemon_cleanup
daemon_setup "$1"
for d in state outbox; do
    mount -t tmpfs -o size=2m tmpfs "$W/$d" || fail "cannot mount a tmpfs on $d"
    mounts="$W/$d $mounts"
done
cp "$W/data/contacts.csv" "$W/contacts.orig"
expected_alerts | awk '$1 == "single-contact" { print $2 }' >"$W/crash-accounts"
daemon_start
daemon_wait_ready

# Fills the file system of $1 up to the last byte.
fill() {
    dd if=/dev/zero of="$1/filler" bs=4k 2>/dev/null
    dd if=/dev/zero of="$1/filler-small" bs=1 2>/dev/null
    sync
}

# Changes the data until the daemon reports a failure in the journal (SQLite may first fill
# pages its files already hold), then checks that nothing gets through while the disk stays full.
change_and_fail() {
    _what=$1 _fs=$2
    journald_mark
    _i=0
    while :; do
        _i=$((_i + 1))
        [ "$_i" -gt 10 ] && fail "$_what: no error in the journal after 10 changes"
        crash_mutate "$(( _i + ${#_what} * 100 ))" >/dev/null
        journald_wait_for 3 SYSLOG_IDENTIFIER=kamwatch PRIORITY=3 >"$W/errors.json" && break
    done
    grep -q "No space left on device\|full" "$W/errors.json" || {
        cat "$W/errors.json" >&2
        fail "$_what: the error in the journal does not say the disk is full"
    }
    echo "ok: $_what: the failure is in the journal: $("$PY" -c 'import json,sys; print(json.loads(sys.stdin.readline())["MESSAGE"][:200])' <"$W/errors.json")"
    # Whatever a failed attempt freed is taken again; while full, delivery stays incomplete.
    dd if=/dev/zero of="$_fs/filler-more" bs=1 2>/dev/null
    sleep 3
    if [ "$(open_alerts)" = "$(expected_alerts)" ] && crash_audit >/dev/null; then
        fail "$_what: everything was delivered although the disk is full"
    fi
    echo "ok: $_what: while full, not everything is delivered: $(crash_audit | head -n 1)"
}

# Space returns: without any other change, delivery resumes and everything agrees, once.
space_returns() {
    _what=$1
    rm -f "$2/filler" "$2/filler-small" "$2/filler-more"
    _want=$(expected_alerts)
    _i=0
    while [ "$(open_alerts)" != "$_want" ] || ! crash_audit >/dev/null; do
        [ "$_i" -ge 300 ] && {
            crash_audit
            fail "$_what: delivery did not resume within 30 s of space returning"
        }
        sleep 0.1
        _i=$((_i + 1))
    done
    echo "ok: $_what: delivery resumed after $((_i / 10)) s; $(crash_audit)"
}

fill "$W/outbox"
change_and_fail "outbox full" "$W/outbox"
space_returns "outbox full" "$W/outbox"

fill "$W/state"
change_and_fail "state full" "$W/state"
space_returns "state full" "$W/state"
daemon_stop
