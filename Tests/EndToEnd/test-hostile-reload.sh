#!/bin/sh
# SIGHUP with hostile rule files: each is refused with its file:line:column in the journal, and
# the daemon keeps running on its old rules; long but valid expressions are taken.
# Usage: test-hostile-reload.sh <kamwatch binary>
set -u
here=$(cd "$(dirname "$0")" && pwd)
. "$here/lib/harness.sh"
. "$here/lib/systemd-journald.sh"
. "$here/lib/daemon-common.sh"

journald_ensure || skip "no journald available"
at_exit journald_stop_if_started
at_exit daemon_cleanup
daemon_setup "$1"
[ -n "$W" ] || fail "no work directory"
daemon_start
daemon_wait_ready
alerts=$(open_alerts)
[ -n "$alerts" ] || fail "no alerts on the example book"

# hostile NAME EXPECTED: writes rules/zz-hostile.yaml with the python expression on stdin, sends
# SIGHUP and expects the journal error to hold "zz-hostile.yaml:EXPECTED".
hostile() {
    _name=$1 _want=$2
    "$PY" - "$W/rules/zz-hostile.yaml" || fail "$_name: cannot write the rule file"
    journald_mark
    kill -HUP "$DAEMON_PID"
    daemon_wait_ready
    kill -0 "$DAEMON_PID" 2>/dev/null || fail "$_name: the daemon died"
    journald_wait_for 30 SYSLOG_IDENTIFIER=kamwatch PRIORITY=3 >"$W/refusal.json" ||
        fail "$_name: no journal error for the refused reload"
    grep -q "reload refused" "$W/refusal.json" || { cat "$W/refusal.json" >&2; fail "$_name: the journal error is not a refusal"; }
    grep -qF "zz-hostile.yaml:$_want" "$W/refusal.json" || {
        cat "$W/refusal.json" >&2
        fail "$_name: the refusal does not say zz-hostile.yaml:$_want"
    }
    [ "$(open_alerts)" = "$alerts" ] || fail "$_name: the open alerts changed"
    rm -f "$W/rules/zz-hostile.yaml"
    ok "$_name: refused at zz-hostile.yaml:$_want, the old rules keep running"
}


hostile "if() nested 5,000 deep" "4:901: nesting deeper than 100" <<'PY'
import os, sys
open(sys.argv[1], "w").write("version: 1\nid: hostile\ntitle: Hostile\nwhen: " + "if(true, " * 5000 + "true" + ", false)" * 5000 + "\nseverity: warning\nmessage: x\n")
PY
for prefix in "(" "-" "not "; do
    case $prefix in "(") at=5:106 ;; "-") at=5:105 ;; *) at=5:402 ;; esac
    hostile "\"$prefix\" 50,000 deep" "$at: nesting deeper than 100" <<PY
import sys
p = "$prefix"
e = p * 50000 + "1" + (")" * 50000 if p == "(" else "")
open(sys.argv[1], "w").write("version: 1\nid: hostile\ntitle: Hostile\nlet:\n  v: " + e + "\nseverity: warning\nmessage: x\n")
PY
done
hostile "1 + 1 - 1 + … alternating" "4:7: nesting deeper than 100" <<'PY'
import sys
open(sys.argv[1], "w").write("version: 1\nid: hostile\ntitle: Hostile\nwhen: 1" + " + 1 - 1" * 20000 + " > 0\nseverity: warning\nmessage: x\n")
PY
hostile "a NUL byte" "3:11: a NUL byte" <<'PY'
import sys
open(sys.argv[1], "wb").write(b"version: 1\nid: hostile\ntitle: Hos\0tile\nseverity: warning\nmessage: x\n")
PY
hostile "invalid UTF-8" "3:11: not UTF-8" <<'PY'
import sys
open(sys.argv[1], "wb").write(b"version: 1\nid: hostile\ntitle: Hos\xff\xfetile\nseverity: warning\nmessage: x\n")
PY
hostile "a duplicate rule id" "3:5: duplicate rule id" <<'PY'
import sys
open(sys.argv[1], "w").write("version: 1\ntitle: Again\nid: single-contact\nseverity: warning\nmessage: x\n")
PY
hostile "YAML nested 100,000 deep" "4:" <<'PY'
import sys
open(sys.argv[1], "w").write("version: 1\nid: hostile\ntitle: Hostile\nadvice: " + "[" * 100000 + "\nseverity: warning\nmessage: x\n")
PY

# Long flat expressions are valid: taken, and evaluated without a crash.
"$PY" - "$W/rules/zz-long.yaml" <<'PY'
import sys
items = ", ".join(str(i) for i in range(100000))
open(sys.argv[1], "w").write("version: 1\nid: long\ntitle: Long\nwhen: (1" + " + 1" * 200000 +
    ") < 0 or count(orders) in [" + items + "] and false\nseverity: warning\nmessage: x\n")
PY
journald_mark
kill -HUP "$DAEMON_PID"
daemon_wait_ready
kill -0 "$DAEMON_PID" 2>/dev/null || fail "long expressions: the daemon died"
journald_wait_for 60 SYSLOG_IDENTIFIER=kamwatch MESSAGE="reloaded: 9 rules" >/dev/null ||
    fail "long expressions: the reload was not taken"
[ "$(open_alerts)" = "$alerts" ] || fail "long expressions: the open alerts changed"
ok "a 200,000-term sum and a 100,000-item list are taken and evaluated"

daemon_stop
finish "SIGTERM stops cleanly"
