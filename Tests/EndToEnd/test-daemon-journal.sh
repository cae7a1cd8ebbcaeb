#!/bin/sh
# `kamwatch run` against a real journald: start-up, changes in place and by rename, restart,
# an alert resolved while stopped, SIGHUP with a broken and with a valid rule set, SIGTERM.
# Every expectation comes from `kamwatch check` on the same data: the daemon must report
# exactly the differences, once, in the journal, the outbox and its database alike.
# Usage: test-daemon-journal.sh <kamwatch binary>
set -u
here=$(cd "$(dirname "$0")" && pwd)
. "$here/lib/harness.sh"
. "$here/lib/systemd-journald.sh"
. "$here/lib/daemon-common.sh"

journald_ensure || skip "no journald available"
at_exit journald_stop_if_started
at_exit daemon_cleanup
daemon_setup "$1"
# The example book is dated around 2026-11-20 and the daemon evaluates today: two accounts
# of the test's own keep a single-contact warning (one contact) and a critical alert (none)
# on any day, whatever the book's own contacts do as the days pass.
printf 'K-E2E-1,E2E One,key,e2e.owner,e2e.lead@example.com,,Test\nK-E2E-2,E2E Two,key,e2e.owner,e2e.lead@example.com,,Test\n' \
    >>"$W/data/accounts.csv"
printf 'C-E2E-0,K-E2E-1,Only Contact,Buyer,only@example.com,2020-01-01,\n' >>"$W/data/contacts.csv"

# The three views of the log agree (the journal may lag behind a little).
agree() {
    _db=$(db_transitions)
    [ "$(outbox_transitions)" = "$_db" ] || fail "$1: outbox and database differ"
    if ! wait_for 20 journal_holds "$_db"; then
        printf '%s\n' "$_db" >"$W/db.txt"
        journal_transitions | diff "$W/db.txt" - >&2
        fail "$1: journal and database differ"
    fi
}

journal_holds() { [ "$(journal_transitions)" = "$1" ]; }

# Waits until the log grows by the expected transitions, then checks nothing else came.
expect_change() {
    _what=$1 _before=$2 _expected=$3
    _count=$(printf '%s' "$_expected" | grep -c . || true)
    [ "$_count" -gt 0 ] || fail "$_what: the change was meant to cause a transition"
    wait_for_seq $((_before + _count))
    sleep 0.5  # several quiet periods: a second evaluation would show up by now
    _got=$(transitions_after "$_before")
    [ "$_got" = "$_expected" ] || fail "$_what: expected
$_expected
got
$_got"
    agree "$_what"
    ok "$_what: $_count transition(s)"
}

# A contact row that makes the account's active contacts one more.
add_contact() {
    printf '%s,%s,Test Person,Buyer,test@example.com,2020-01-01,\n' "$2" "$1"
}

# 1. Start-up: the open alerts are what `check` reports; each fired once, everywhere.
daemon_start
daemon_wait_ready
expected=$(expected_alerts)
[ -n "$expected" ] || fail "check reports no alerts on the example book"
if [ "$(open_alerts)" != "$expected" ]; then
    printf '%s\n' "$expected" >"$W/expected.txt"
    open_alerts | diff "$W/expected.txt" - >&2
    fail "open alerts after start differ from check"
fi
n=$(printf '%s\n' "$expected" | wc -l)
[ "$(db_last_seq)" -eq "$n" ] || fail "start-up: $n alerts but $(db_last_seq) transitions"
agree "start-up"
ok "start-up: $n alerts fired"

# Every field SPEC §4 names, on every entry.
journal_entries | "$PY" -c '
import json, sys
ids = {"single-contact": "d3ef266d21464f3ebf6edc5db71007bf", "discount-creep": "3e0d2e2f571948e6bd5372dc8a6ad42f",
       "cost-over-margin": "0ee061bcba0c4b26af06fea1fe8d97dd", "contact-turnover": "d179a142b31544519462c22142629aa2",
       "merger-exposure": "7d7bdf5d13694598b661bcef99758d54"}
for line in sys.stdin:
    e = json.loads(line)
    for f in ("MESSAGE", "KAMWATCH_RULE", "KAMWATCH_ACCOUNT_ID", "KAMWATCH_ACCOUNT", "KAMWATCH_SEVERITY",
              "KAMWATCH_STATE", "KAMWATCH_OWNER", "KAMWATCH_LEAD", "KAMWATCH_EVIDENCE", "KAMWATCH_SEQ", "MESSAGE_ID"):
        assert f in e, (f, e)
    assert e["SYSLOG_IDENTIFIER"] == "kamwatch"
    assert e["PRIORITY"] == {"critical": "2", "warning": "4"}[e["KAMWATCH_SEVERITY"]], e
    assert e["KAMWATCH_STATE"] == "firing"
    if e["KAMWATCH_RULE"] in ids:
        assert e["MESSAGE_ID"] == ids[e["KAMWATCH_RULE"]], e
    json.loads(e["KAMWATCH_EVIDENCE"])
' || fail "journal entries lack fields"
n_dc=$(journalctl -q --no-pager -o cat "KAMWATCH_INSTANCE=$(db_instance)" KAMWATCH_RULE=discount-creep | wc -l)
[ "$n_dc" -eq "$(printf '%s\n' "$expected" | grep -c '^discount-creep ')" ] ||
    fail "journalctl KAMWATCH_RULE=discount-creep finds $n_dc entries"
ok "journal fields, priorities, MESSAGE_IDs; journalctl KAMWATCH_RULE=... selects"

# acc2 has one contact (a second one resolves its alert); acc1 is another single-contact account.
acc2=K-E2E-1
acc1=K-E2E-2
printf '%s\n' "$expected" | grep -q "^single-contact $acc2 warning$" || fail "$acc2 should have a single-contact warning"
printf '%s\n' "$expected" | grep -q "^single-contact $acc1 critical$" || fail "$acc1 should have a single-contact critical alert"
cp "$W/data/contacts.csv" "$W/contacts.orig"

# 2. A file written in place.
before=$(db_last_seq)
old=$(expected_alerts)
add_contact "$acc1" C-E2E-1 >>"$W/data/contacts.csv"
expect_change "written in place" "$before" "$(expected_transitions "$old" "$(expected_alerts)")"

# 3. A file renamed into place (its temporary name is ignored).
before=$(db_last_seq)
old=$(expected_alerts)
cp "$W/contacts.orig" "$W/data/contacts.csv.tmp"
mv "$W/data/contacts.csv.tmp" "$W/data/contacts.csv"
expect_change "renamed into place" "$before" "$(expected_transitions "$old" "$(expected_alerts)")"

# 4. A restart re-emits nothing. (This run has a 400 ms watchdog: the work loop pings it.)
daemon_stop
before=$(db_last_seq)
files=$(ls "$W/outbox/alerts" | wc -l)
pings=$(grep -c '^WATCHDOG=1$' "$W/notify.log" || true)
DAEMON_WATCHDOG_USEC=400000 daemon_start
daemon_wait_ready
sleep 0.7
[ "$(db_last_seq)" -eq "$before" ] || fail "restart: new transitions $(transitions_after "$before")"
[ "$(ls "$W/outbox/alerts" | wc -l)" -eq "$files" ] || fail "restart: new outbox files"
agree "restart"
ok "restart re-emits nothing"
[ "$(grep -c '^WATCHDOG=1$' "$W/notify.log")" -ge $((pings + 2)) ] || fail "no WATCHDOG=1 pings at half of WATCHDOG_USEC"
ok "watchdog pinged from the work loop"

# 5. An alert that clears while the daemon is down is reported resolved at start.
daemon_stop
before=$(db_last_seq)
old=$(expected_alerts)
add_contact "$acc2" C-E2E-2 >>"$W/data/contacts.csv"
want=$(expected_transitions "$old" "$(expected_alerts)")
printf '%s\n' "$want" | grep -q "^resolved single-contact $acc2 " || fail "setup: $acc2 should resolve"
daemon_start
daemon_wait_ready
got=$(transitions_after "$before")
[ "$got" = "$want" ] || fail "resolved while stopped: expected
$want
got
$got"
agree "resolved while stopped"
ok "resolved while stopped, reported at start"

# 6. SIGHUP with a broken rule file: refused, reported, the old set keeps working.
cp -r "$W/rules" "$W/rules.good"
printf 'id: broken\nwhen: [unclosed\n' >"$W/rules/zz-broken.yaml"
journald_mark
kill -HUP "$DAEMON_PID"
daemon_wait_ready
grep -q '^RELOADING=1$' "$W/notify.log" || fail "no RELOADING=1 at SIGHUP"
grep -q '^MONOTONIC_USEC=[0-9]' "$W/notify.log" || fail "RELOADING=1 without MONOTONIC_USEC"
grep '^STATUS=' "$W/notify.log" | tail -n 1 | grep -q 'reload refused' || fail "STATUS does not show the refusal"
journald_wait_for 10 SYSLOG_IDENTIFIER=kamwatch PRIORITY=3 | grep -q 'reload refused' ||
    fail "no journal error for the refused reload"
ok "a broken rule set is refused (journal error, STATUS)"
before=$(db_last_seq)
old=$(expected_alerts "$W/rules.good")
cp "$W/contacts.orig" "$W/data/contacts.csv.part"
mv "$W/data/contacts.csv.part" "$W/data/contacts.csv"
expect_change "old rules still working after the refusal" "$before" \
    "$(expected_transitions "$old" "$(expected_alerts "$W/rules.good")")"

# 7. SIGHUP with a valid set without single-contact: its alerts resolve.
rm "$W/rules/zz-broken.yaml" "$W/rules/single-contact.yaml"
before=$(db_last_seq)
old=$(expected_alerts "$W/rules.good")
kill -HUP "$DAEMON_PID"
daemon_wait_ready
want=$(expected_transitions "$old" "$(expected_alerts)")
printf '%s\n' "$want" | grep -v '^resolved single-contact ' | grep -q . && fail "setup: only single-contact should change"
got=$(transitions_after "$before")
[ "$got" = "$want" ] || fail "valid reload: expected
$want
got
$got"
agree "valid reload"
ok "a valid reload takes effect; a removed rule's alerts resolve"

# 8. SIGTERM: STOPPING=1 and exit status 0.
daemon_stop
ok "SIGTERM stops cleanly"
