#!/bin/sh
# The data directory as a symlink swapped to another directory (`ln -sfn new data`, the
# atomic-deploy pattern): the daemon reads the new directory and keeps watching it, not the old.
# Usage: test-fault-data-swap.sh <kamwatch binary>
set -u
here=$(cd "$(dirname "$0")" && pwd)
. "$here/lib/harness.sh"
. "$here/lib/systemd-journald.sh"
. "$here/lib/daemon-common.sh"

journald_ensure || skip "no journald available"
at_exit journald_stop_if_started
at_exit daemon_cleanup
daemon_setup "$1"
# data -> release-1 (the example book)
mv "$W/data" "$W/release-1"
ln -s release-1 "$W/data"
daemon_start
daemon_wait_ready
n=$(db_last_seq)
[ "$n" -gt 0 ] || fail "no alerts at start"
old=$(expected_alerts)

# release-2: one single-contact account gets a second contact; then the swap.
acc=$(printf '%s\n' "$old" | awk '$1 == "single-contact" { print $2; exit }')
cp -R "$W/release-1" "$W/release-2"
printf 'C-SWAP-1,%s,Swap Person,Buyer,swap@example.com,2020-01-01,\n' "$acc" >>"$W/release-2/contacts.csv"
ln -sfn release-2 "$W/data"
new=$(expected_alerts)
expected=$(expected_transitions "$old" "$new")
[ -n "$expected" ] || fail "the new release was meant to change the alerts"
count=$(printf '%s\n' "$expected" | grep -c .)
wait_for_seq $((n + count)) 10
[ "$(transitions_after "$n")" = "$expected" ] || fail "after the swap: expected
$expected
got
$(transitions_after "$n")"
echo "ok: the swap to release-2 was noticed: $count transition(s)"

# A change in the new directory is seen; one in the old is not.
n=$(db_last_seq)
printf 'C-OLD-1,%s,Old Person,Buyer,old@example.com,2020-01-01,\n' "$acc" >>"$W/release-1/contacts.csv"
head -n 1 "$W/release-2/contacts.csv" >"$W/release-2/contacts.tmp"
grep -v "^C-SWAP-1," "$W/release-2/contacts.csv" | tail -n +2 >>"$W/release-2/contacts.tmp"
mv "$W/release-2/contacts.tmp" "$W/release-2/contacts.csv"
expected=$(expected_transitions "$new" "$old")
wait_for_seq $((n + $(printf '%s\n' "$expected" | grep -c .))) 10
sleep 0.5
[ "$(transitions_after "$n")" = "$expected" ] || fail "a change in the new directory: expected
$expected
got
$(transitions_after "$n")"
echo "ok: changes in the new directory are watched, the old one is not"
daemon_stop
