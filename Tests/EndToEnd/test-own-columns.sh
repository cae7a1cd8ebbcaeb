#!/bin/sh
# Columns of the user's own (SPEC §6 `type:`) in the running daemon: a rule reads a column its
# sources file declares; SIGHUP with another sources file re-reads the column from another
# header; a sources file without the column the rule reads is refused, the old set kept.
# Usage: test-own-columns.sh <kamwatch binary>
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

rm -f "$W"/data/*.csv "$W"/rules/*.yaml
printf 'ID,Company,Tier,Segment,Segment 2\nA,Alpha,key,Enterprise,SMB\nB,Beta,key,SMB,Enterprise\n' \
    >"$W/data/companies.csv"
cat >"$W/rules/enterprise-key.yaml" <<'YAML'
version: 1
id: enterprise-key
title: Enterprise key account
scope: account.tier == "key"
when: account.segment == "enterprise"
severity: warning
message: "enterprise"
YAML
# sources NAME [HEADER]: a sources file reading the segment from HEADER (none without it).
sources() {
    cat >"$W/$1.yaml" <<YAML
version: 1
tables:
  accounts:
    files: ["companies.csv"]
    columns:
      account_id: ID
      name: Company
      tier: Tier
YAML
    [ $# -lt 2 ] || echo "      segment: {from: $2, type: keyword}" >>"$W/$1.yaml"
}
sources first Segment
sources second "Segment 2"
sources none
cp "$W/kamwatch.yaml" "$W/base.yaml"
use() { { cat "$W/base.yaml"; echo "sources: $W/$1.yaml"; } >"$W/kamwatch.yaml"; }
# alerts_on IDS: the open alerts are on exactly these accounts (space-separated, sorted).
alerts_on() { [ "$(open_alerts | awk '{print $2}' | tr '\n' ' ' | sed 's/ $//')" = "$1" ]; }

# check reads the column through the sources file too; without it the rule is an error.
out=$("$K" check --data "$W/data" --rules "$W/rules" --sources "$W/first.yaml" --format json 2>"$W/check.err") ||
    fail "check --sources failed: $(cat "$W/check.err")"
echo "$out" | grep -q '"account_id":"A"' || fail "check: no alert for A ($out)"
"$K" check --data "$W/data" --rules "$W/rules" >/dev/null 2>"$W/check.err" && fail "check without --sources took the rule"
grep -q 'enterprise-key.yaml:5:7: unknown account attribute "segment"' "$W/check.err" ||
    fail "check without --sources: $(cat "$W/check.err")"
ok "check: the rule reads the own column with the sources file, and is refused at 5:7 without it"

use first
daemon_start
daemon_wait_ready
wait_for 15 alerts_on A || fail "the daemon did not raise the alert on A: $(open_alerts)"
ok "run: the rule fires on the segment of the first sources file"

use second
kill -HUP "$DAEMON_PID"
daemon_wait_ready
wait_for 15 alerts_on B || fail "SIGHUP: the alert did not move to B: $(open_alerts)"
transitions_after 1 | grep -q '^resolved enterprise-key A warning$' || fail "SIGHUP: A was not resolved"
ok "SIGHUP: the new sources file's column is read, A resolves and B fires"

use none
before=$(open_alerts)
journald_mark
kill -HUP "$DAEMON_PID"
daemon_wait_ready
kill -0 "$DAEMON_PID" 2>/dev/null || fail "the daemon died on a sources file without the column"
journald_wait_for 30 SYSLOG_IDENTIFIER=kamwatch PRIORITY=3 >"$W/refusal.json" || fail "no journal error for the refusal"
grep -q 'reload refused' "$W/refusal.json" || { cat "$W/refusal.json" >&2; fail "the journal error is not a refusal"; }
grep -q 'enterprise-key.yaml:5:7: unknown account attribute' "$W/refusal.json" || {
    cat "$W/refusal.json" >&2
    fail "the refusal does not name the rule's line and column"
}
[ "$(open_alerts)" = "$before" ] || fail "the open alerts changed after a refused reload"
ok "SIGHUP: a sources file without the column a rule reads is refused at 5:7, the old set keeps running"

daemon_stop
finish "SIGTERM stops cleanly"
