#!/bin/sh
# The history of what the exports forget (SPEC §6 "History"): `kamwatch history record` over
# several days of exports, then `kamwatch check --state`, then the real daemon against a real
# journald on today's exports. Contacts that are simply gone from an export and a parent that
# changes must give the contact-turnover and merger-exposure alerts, in check and in the daemon.
# Usage: test-history.sh <kamwatch binary>
set -u
here=$(cd "$(dirname "$0")" && pwd)
. "$here/lib/harness.sh"
. "$here/lib/systemd-journald.sh"
. "$here/lib/daemon-common.sh"

journald_ensure || skip "no journald available"
at_exit journald_stop_if_started
at_exit daemon_cleanup
daemon_setup "$1"
K=$DAEMON_BIN

today=$(date -u +%F)
day() { date -u -d "$today - $1 days" +%F; }
D0=$(day 3) D1=$(day 2) D2=$(day 1)

# One day's exports in $W/exports/NAME: A2's parent, A3's parent, then the contacts (id:account).
export_day() {
    _dir=$W/exports/$1
    mkdir -p "$_dir"
    printf 'account_id,name,tier,parent_id\nA1,Alpha,strategic,\nA2,Beta,key,%s\nA3,Gamma,key,%s\n' "$2" "$3" \
        >"$_dir/accounts.csv"
    printf 'P1,Parent One,standard,\nP2,Parent Two,standard,\n' >>"$_dir/accounts.csv"
    shift 3
    echo "contact_id,account_id,name" >"$_dir/contacts.csv"
    for _c in "$@"; do echo "${_c%%:*},${_c#*:},Person ${_c%%:*}" >>"$_dir/contacts.csv"; done
}
# D0: everyone. D1: c1 is gone, A2 belongs to P2 from now on. D2: as D1. Today: c2 is gone too.
# Later today: c5 and c6 are gone, A3 belongs to P1.
export_day d0 P1 "" c1:A1 c2:A1 c3:A2 c4:A2 c5:A3 c6:A3 c7:A3
export_day d1 P2 "" c2:A1 c3:A2 c4:A2 c5:A3 c6:A3 c7:A3
export_day d2 P2 "" c2:A1 c3:A2 c4:A2 c5:A3 c6:A3 c7:A3
export_day today P2 "" c3:A2 c4:A2 c5:A3 c6:A3 c7:A3
export_day later P2 P1 c3:A2 c4:A2 c7:A3

# "rule account severity" per alert of `check` (extra arguments passed on), sorted.
alerts() {
    "$K" check --rules "$W/rules" --format json "$@" 2>"$W/check.err" | "$PY" -c '
import json, sys
for line in sys.stdin:
    o = json.loads(line)
    print(o["rule"], o["account_id"], o["severity"])
' | sort
}
history_only() { grep -E '^(contact-turnover|merger-exposure) ' || true; }

# 1. Backfill, oldest first.
for d in 0 1 2; do
    eval "at=\$D$d"
    out=$("$K" history record --data "$W/exports/d$d" --state "$W/state" --at "$at") || fail "history record $at failed"
    echo "$out"
done
ok "history record: three days backfilled"

out=$("$K" history record --data "$W/exports/d0" --state "$W/state" --at "$D0" 2>&1)
status=$?
[ "$status" -eq 2 ] || fail "recording an older day: exit $status, expected 2"
case $out in
*"cannot record $D0: the history already goes up to $D2"*) ok "an older day is refused: $out" ;;
*) fail "recording an older day: unexpected message: $out" ;;
esac

# 2. check --state: the history gives what the files alone cannot.
got=$(alerts --data "$W/exports/d2" --at "$D2" --state "$W/state" | history_only)
want="contact-turnover A1 warning
merger-exposure A2 warning"
[ "$got" = "$want" ] || fail "check --state on $D2: expected
$want
got
$got"
[ -z "$(alerts --data "$W/exports/d2" --at "$D2" | history_only)" ] ||
    fail "check without --state must not know who left or the old parent"
ok "check --state on $D2: turnover (1 of 2 left) and merger-exposure (parent P1 → P2 on $D1)"

# Today's exports, not recorded yet: evaluated as if recorded, and nothing is written.
got=$(alerts --data "$W/exports/today" --at "$today" --state "$W/state" | history_only)
want="contact-turnover A1 critical
merger-exposure A2 warning"
[ "$got" = "$want" ] || fail "check --state on today's exports: expected
$want
got
$got"
[ "$(db_query "SELECT count(*) FROM history_days")" = 3 ] || fail "check --state recorded a day"
ok "check --state on today's exports: turnover critical, nothing recorded"

# 3. The daemon on today's exports: the same alerts, in its database and in the journal.
rm -f "$W"/data/*.csv
cp "$W"/exports/today/*.csv "$W/data/"
expected=$(alerts --data "$W/data" --at "$today" --state "$W/state")
daemon_start
daemon_wait_ready
[ "$(open_alerts)" = "$expected" ] || fail "the daemon's open alerts differ from check --state:
$expected
---
$(open_alerts)"
[ "$(open_alerts | history_only)" = "contact-turnover A1 critical
merger-exposure A2 warning" ] || fail "the daemon misses the history's alerts"
[ "$(db_query "SELECT max(day) FROM history_days")" = "$today" ] || fail "the daemon did not record today"
journal_has() { journal_transitions | grep " firing $1 $2 $3\$" >/dev/null; }
wait_for 20 journal_has contact-turnover A1 critical || fail "no contact-turnover A1 entry in the journal"
wait_for 20 journal_has merger-exposure A2 warning || fail "no merger-exposure A2 entry in the journal"
ok "daemon start-up: turnover and merger-exposure from the history, journal included; today recorded"

# 4. Later the same day: two of A3's three people are gone and A3 now belongs to P1.
before=$(db_last_seq)
old=$(open_alerts)
cp "$W/exports/later/contacts.csv" "$W/data/contacts.csv.tmp" && mv "$W/data/contacts.csv.tmp" "$W/data/contacts.csv"
cp "$W/exports/later/accounts.csv" "$W/data/accounts.csv.tmp" && mv "$W/data/accounts.csv.tmp" "$W/data/accounts.csv"
new_history() { open_alerts | grep '^merger-exposure A3 ' >/dev/null; }
wait_for 20 new_history || fail "no new alerts on A3 after the change: $(open_alerts)"
sleep 0.5  # a few quiet periods: a late second evaluation would show up by now
expected_now=$(alerts --data "$W/data" --at "$today" --state "$W/state")
[ "$(open_alerts)" = "$expected_now" ] || fail "after the change, the daemon differs from check --state:
$expected_now
---
$(open_alerts)"
got=$(transitions_after "$before" | grep -E ' (contact-turnover|merger-exposure) ')
want=$(expected_transitions "$old" "$expected_now" | grep -E ' (contact-turnover|merger-exposure) ')
[ "$got" = "$want" ] || fail "transitions after the change: expected
$want
got
$got"
case $got in *"firing contact-turnover A3 warning"*"firing merger-exposure A3 warning"* | \
    *"firing merger-exposure A3 warning"*"firing contact-turnover A3 warning"*) ;;
*) fail "expected turnover and merger-exposure on A3, got: $got" ;;
esac
wait_for 20 journal_has merger-exposure A3 warning || fail "no merger-exposure A3 entry in the journal"
ok "a change later the same day: turnover (2 of 3 left) and merger-exposure (parent none → P1) on A3"

daemon_stop
# The same day was recorded again, replacing the morning's snapshot: a period per contact, not per day.
[ "$(db_query "SELECT group_concat(day, ' ') FROM (SELECT day FROM history_days ORDER BY day)")" = \
    "$D0 $D1 $D2 $today" ] || fail "recorded days: $(db_query "SELECT group_concat(day, ' ') FROM history_days")"
got=$(db_query "SELECT contact_id, coalesce(missing_from, '-') FROM contact_periods ORDER BY contact_id, first_seen")
want="c1 $D1
c2 $today
c3 -
c4 -
c5 $today
c6 $today
c7 -"
[ "$got" = "$want" ] || fail "contact periods: expected
$want
got
$got"
got=$(db_query "SELECT account_id, coalesce(parent_id, '-'), from_day, coalesce(to_day, '-') FROM parent_periods
    WHERE account_id IN ('A2', 'A3') ORDER BY account_id, from_day")
want="A2 P1 $D0 $D1
A2 P2 $D1 -
A3 - $D0 $today
A3 P1 $today -"
[ "$got" = "$want" ] || fail "parent periods: expected
$want
got
$got"
ok "the state holds one row per contact period and per parent period"
finish "history: record, check --state and the daemon agree"
