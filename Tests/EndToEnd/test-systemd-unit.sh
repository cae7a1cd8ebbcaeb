#!/bin/sh
# kamwatch under a real systemd: `make install` into a throwaway PID + mount namespace whose
# PID 1 is systemd, then start the shipped unit on the example book and check READY, the
# journal entries (fields, catalog), the outbox, reload (good and refused), restart without
# re-raising, clean stop, and the unit's `systemd-analyze security` exposure (<= 2.0).
# Usage: test-systemd-unit.sh <kamwatch binary>. Needs root; nothing on the host changes.
set -u
bin=$(realpath "${1:?usage: test-systemd-unit.sh <kamwatch binary>}")
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
. "$here/lib/harness.sh"
max_exposure=2.0
diag_id=cac11b3565754bf8950e42e6a175a66e

# Until `run` exists, ArgumentParser answers `run --help` with the root command's help.
"$bin" run --help 2>/dev/null | grep -q 'kamwatch run' || skip "daemon not built ('kamwatch run --help' fails)"
[ "$(id -u)" -eq 0 ] || skip "needs root to boot systemd in a namespace"
ls "$root"/rules/*.yaml >/dev/null 2>&1 || skip "no rules in $root/rules"

# Prints the "Overall exposure level" number of `systemd-analyze security` output on stdin.
exposure_of() { sed -n 's/.*Overall exposure level for [^:]*: \([0-9.]*\).*/\1/p'; }
at_most() { awk -v a="$1" -v b="$2" 'BEGIN { exit !(a + 0 <= b + 0) }'; }

. "$here/lib/systemd-pid1.sh"
at_exit pid1_poweroff
pid1_stage "$root" "$bin" || fail "cannot stage the tree for the namespace"
root=$PID1_ROOT
bin=$PID1_BIN
pid1_boot || fail "cannot boot systemd in a namespace"
pid1_wait_running 60 || fail "systemd did not finish booting"
ok "systemd $(pid1_run systemctl --version | sed -n '1s/systemd \([0-9]*\).*/\1/p') is PID 1 of the namespace"

# 1. The shipped unit file, analysed offline (inside, since the analysis writes to /run).
offline=$(pid1_run systemd-analyze security --offline=true --no-pager "$root/deploy/kamwatch.service" 2>&1 | exposure_of)
if [ -n "$offline" ] && at_most "$offline" "$max_exposure"; then
    ok "systemd-analyze security --offline=true deploy/kamwatch.service: exposure $offline"
else
    bad "offline exposure '${offline:-unknown}' is above $max_exposure"
fi

show() { pid1_run systemctl show -p "$1" --value kamwatch.service; }
report_unit() {
    pid1_run systemctl status --no-pager kamwatch.service | sed 's/^/    /'
    pid1_run journalctl --no-pager -n 40 -u kamwatch.service | sed 's/^/    /'
}
# Now, in microseconds since the epoch, for unit_json.
now_us() { date +%s%6N; }
# Journal entries of the unit as JSON lines, optionally only those after a mark from now_us.
unit_json() {
    pid1_run journalctl --sync >/dev/null 2>&1
    if [ -n "${1:-}" ]; then
        pid1_run journalctl -q -o json --no-pager -u kamwatch.service --since="@$(($1 / 1000000))" | python3 -c '
import json, signal, sys
signal.signal(signal.SIGPIPE, signal.SIG_DFL)  # a reader that stops early (grep -q) is fine
mark = int(sys.argv[1])
for line in sys.stdin:
    if int(json.loads(line)["__REALTIME_TIMESTAMP"]) > mark:
        sys.stdout.write(line)' "$1"
    else
        pid1_run journalctl -q -o json --no-pager -u kamwatch.service
    fi
}
count_alerts() { python3 -c '
import json, sys
print(sum(1 for l in sys.stdin if json.loads(l).get("KAMWATCH_STATE") == "firing"))'; }
count_diag() { python3 -c '
import json, sys
print(sum(1 for l in sys.stdin if json.loads(l).get("MESSAGE_ID") == sys.argv[1]))' "$diag_id"; }

# 2. Install exactly as an administrator would, with the examples as the data directory.
if ! pid1_run sh -c "cd '$root' && make --no-print-directory install NOBUILD=1 KAMWATCH_BIN='$bin'" >"$PID1_LOG.install" 2>&1; then
    sed 's/^/    /' "$PID1_LOG.install"
    rm -f "$PID1_LOG.install"
    fail "make install inside the namespace"
fi
rm -f "$PID1_LOG.install"
pid1_run sh -c "cp '$root'/examples/*.csv /srv/kamwatch/data/ && id kamwatch >/dev/null" ||
    bad "data directory or user kamwatch missing after make install"
ok "make install: unit, user, directories, config, catalog"
if verify=$(pid1_run systemd-analyze verify kamwatch.service 2>&1) && [ -z "$verify" ]; then
    ok "systemd-analyze verify kamwatch.service: clean"
else
    bad "systemd-analyze verify kamwatch.service:
$verify"
fi

# 3. Start: Type=notify, so `systemctl start` returns once READY=1 arrived.
if ! timeout 180 nsenter -t "$PID1_PID" -m -p -u -i systemctl start kamwatch.service; then
    report_unit
    fail "systemctl start kamwatch.service"
fi
state=$(show ActiveState)
status=$(show StatusText)
pid=$(show MainPID)
[ "$state" = active ] && [ -n "$status" ] && ok "active and ready, STATUS=$status" ||
    bad "after start: ActiveState=$state StatusText='$status'"
[ "$(show WatchdogUSec)" = 1min ] && ok "watchdog armed (1min)" || bad "WatchdogUSec=$(show WatchdogUSec)"
user=$(pid1_run ps -o user= -p "$pid" | tr -d " ")
[ "$user" = kamwatch ] && ok "runs as user kamwatch" || bad "main process runs as '${user:-?}', not kamwatch"

# 4. The alerts of today (in the configured zone) are in the journal, once each, well formed.
today=$(TZ=Europe/Moscow date +%F)
expected=$("$bin" check --data "$root/examples" --rules "$root/rules" --at "$today" --format json 2>/dev/null | grep -c .)
got=0
alerts_in_journal() {
    got=$(unit_json | count_alerts)
    [ "$got" -ge "$expected" ]
}
wait_for 20 alerts_in_journal
[ "$got" -eq "$expected" ] && ok "$got firing alerts in the journal, as 'kamwatch check --at $today' finds" ||
    bad "journal has $got firing alerts, 'kamwatch check --at $today' finds $expected"
problems=$(unit_json | python3 -c '
import json, re, sys
for line in sys.stdin:
    e = json.loads(line)
    if "KAMWATCH_RULE" not in e:
        continue
    where = "%s/%s" % (e.get("KAMWATCH_RULE"), e.get("KAMWATCH_ACCOUNT_ID"))
    if not re.fullmatch(r"[0-9a-f]{32}", e.get("MESSAGE_ID", "")):
        print(where, "MESSAGE_ID", e.get("MESSAGE_ID"))
    if e.get("SYSLOG_IDENTIFIER") != "kamwatch":
        print(where, "SYSLOG_IDENTIFIER", e.get("SYSLOG_IDENTIFIER"))
    want = {"critical": "2", "warning": "4"}.get(e.get("KAMWATCH_SEVERITY"))
    if e.get("KAMWATCH_STATE") == "resolved":
        want = "5"
    if e.get("PRIORITY") != want:
        print(where, "PRIORITY", e.get("PRIORITY"), "for", e.get("KAMWATCH_SEVERITY"), e.get("KAMWATCH_STATE"))
    for f in ("KAMWATCH_ACCOUNT", "KAMWATCH_SEVERITY", "KAMWATCH_STATE", "KAMWATCH_EVIDENCE", "MESSAGE"):
        if not e.get(f):
            print(where, "missing", f)
    try:
        json.loads(e.get("KAMWATCH_EVIDENCE") or "")
    except ValueError:
        print(where, "KAMWATCH_EVIDENCE is not JSON")
')
[ -z "$problems" ] && ok "alert entries carry MESSAGE_ID, PRIORITY, SYSLOG_IDENTIFIER and KAMWATCH_* fields" ||
    bad "malformed alert entries:
$problems"
rule=$(unit_json | python3 -c '
import json, sys
for l in sys.stdin:
    e = json.loads(l)
    if e.get("KAMWATCH_RULE"):
        print(e["KAMWATCH_RULE"]); break')
if [ -n "$rule" ]; then
    n=$(pid1_run journalctl -q -o json --no-pager "KAMWATCH_RULE=$rule" | grep -c .)
    [ "$n" -gt 0 ] && ok "journalctl KAMWATCH_RULE=$rule selects $n entries" || bad "journalctl KAMWATCH_RULE=$rule selects nothing"
    catalog=$(pid1_run journalctl -q -x --no-pager -n 1 "KAMWATCH_RULE=$rule")
    case "$catalog" in
        *"Defined-By: kamwatch"*) ok "journalctl -x explains the entry from the installed catalog" ;;
        *) bad "journalctl -x shows no catalog text:
$catalog" ;;
    esac
fi
files=$(pid1_run sh -c 'ls /var/spool/kamwatch/outbox/alerts | grep -c "\.json$"')
[ "$files" -eq "$got" ] && ok "$files outbox files in /var/spool/kamwatch/outbox/alerts" ||
    bad "$files outbox files for $got journal alerts"

# 5. Reload with SIGHUP: same process, a diagnostics entry; an invalid config is refused.
mark=$(now_us)
# True once a diagnostics entry came after the mark.
diag_logged() { [ "$(unit_json "$mark" | count_diag)" -gt 0 ]; }
pid1_run systemctl reload kamwatch.service || bad "systemctl reload"
wait_for 20 diag_logged
[ "$(unit_json "$mark" | count_diag)" -gt 0 ] && ok "reload logged under MESSAGE_ID=$diag_id" || bad "no diagnostics entry after reload"
[ "$(show ActiveState)" = active ] && [ "$(show MainPID)" = "$pid" ] && ok "reload kept the same process ($pid)" ||
    bad "after reload: ActiveState=$(show ActiveState) MainPID=$(show MainPID) (was $pid)"
[ "$(unit_json "$mark" | count_alerts)" -eq 0 ] && ok "reload raised nothing again" || bad "reload re-raised alerts"

pid1_run sh -c 'cp /etc/kamwatch/kamwatch.yaml /run/kamwatch.yaml.good && echo "no_such_key: 1" >> /etc/kamwatch/kamwatch.yaml'
mark=$(now_us)
pid1_run systemctl reload kamwatch.service
wait_for 20 diag_logged
refusal=$(unit_json "$mark" | python3 -c '
import json, sys
for l in sys.stdin:
    e = json.loads(l)
    if e.get("MESSAGE_ID") == sys.argv[1] and int(e.get("PRIORITY", "9")) <= 4:
        print(e["MESSAGE"].splitlines()[0]); break' "$diag_id")
[ -n "$refusal" ] && ok "invalid config refused: $refusal" || bad "no warning or error entry for the invalid config"
[ "$(show ActiveState)" = active ] && [ "$(show MainPID)" = "$pid" ] && ok "still running the old config" ||
    bad "invalid reload: ActiveState=$(show ActiveState) MainPID=$(show MainPID)"
pid1_run sh -c 'cp /run/kamwatch.yaml.good /etc/kamwatch/kamwatch.yaml'
pid1_run systemctl reload kamwatch.service

# 5a. inotify works inside the sandbox: a strategic account without contacts, renamed into place.
mark=$(now_us)
pid1_run sh -c 'printf "account_id,name,tier\nZ-900,Zeta Systems,strategic\n" > /srv/kamwatch/data/.accounts-z.csv.part &&
    mv /srv/kamwatch/data/.accounts-z.csv.part /srv/kamwatch/data/accounts-z.csv'
z900_alerted() { unit_json "$mark" | grep -q '"KAMWATCH_ACCOUNT_ID":"Z-900"'; }
wait_for 15 z900_alerted
if unit_json "$mark" | grep -q '"KAMWATCH_ACCOUNT_ID":"Z-900"'; then
    ok "a file renamed into the data directory was evaluated ($(unit_json "$mark" | grep -c '"KAMWATCH_ACCOUNT_ID":"Z-900"') alerts for Z-900)"
else
    bad "no alert for an account added to the data directory within 15 s"
fi

# 5b. The daily digest unit, when it is shipped, runs under its hardening and writes digests.
if [ -e "$root/deploy/kamwatch-digest.service" ]; then
    if timeout 120 nsenter -t "$PID1_PID" -m -p -u -i systemctl start kamwatch-digest.service; then
        n=$(pid1_run sh -c 'find /var/spool/kamwatch/outbox/digests -name "*.eml" | grep -c .')
        [ "$n" -gt 0 ] && ok "kamwatch-digest.service wrote $n digests" || bad "kamwatch-digest.service wrote no digest"
    else
        bad "systemctl start kamwatch-digest.service"
        pid1_run journalctl --no-pager -n 30 -u kamwatch-digest.service | sed 's/^/    /'
    fi
    digest_exposure=$(pid1_run systemd-analyze security --no-pager kamwatch-digest.service 2>&1 | exposure_of)
    echo "info: systemd-analyze security kamwatch-digest.service: exposure ${digest_exposure:-unknown}"
fi

# 6. Restart: the state in /var/lib/kamwatch survives, nothing is raised twice.
mark=$(now_us)
if timeout 180 nsenter -t "$PID1_PID" -m -p -u -i systemctl restart kamwatch.service; then
    again=$(unit_json "$mark" | count_alerts)
    [ "$again" -eq 0 ] && ok "restart raised nothing again" || bad "restart re-raised $again alerts"
else
    bad "systemctl restart"
    report_unit
fi

# 6b. Watchdog: with a 2 s timeout, an idle daemon must keep pinging (it pings every 1 s).
pid1_run sh -c 'mkdir -p /etc/systemd/system/kamwatch.service.d &&
    printf "[Service]\nWatchdogSec=2s\n" > /etc/systemd/system/kamwatch.service.d/watchdog.conf && systemctl daemon-reload'
mark=$(now_us)
if timeout 180 nsenter -t "$PID1_PID" -m -p -u -i systemctl restart kamwatch.service; then
    wpid=$(show MainPID)
    sleep 6
    if [ "$(show ActiveState)" = active ] && [ "$(show MainPID)" = "$wpid" ] &&
        ! unit_json "$mark" | grep -q 'Watchdog timeout'; then
        ok "watchdog pinged: still the same process after 6 s with WatchdogSec=2s"
    else
        bad "watchdog: ActiveState=$(show ActiveState) MainPID=$(show MainPID) (was $wpid)"
        report_unit
    fi
else
    bad "systemctl restart with WatchdogSec=2s"
fi
pid1_run sh -c 'rm -r /etc/systemd/system/kamwatch.service.d && systemctl daemon-reload'

# 7. Stop: STOPPING=1 and a clean exit on SIGTERM. systemd forgets the exit status once the
# unit is inactive and logs a clean exit only at debug level, so raise its log level first.
pid1_run systemd-analyze log-level debug
mark=$(now_us)
pid1_run systemctl stop kamwatch.service
[ "$(show ActiveState) $(show Result)" = "inactive success" ] || bad "after stop: $(show ActiveState) $(show Result)"
stop_log=$(unit_json "$mark" | python3 -c '
import json, sys
for l in sys.stdin:
    print(json.loads(l).get("MESSAGE", ""))')
case "$stop_log" in
    *"(STOPPING=1)"*) ok "STOPPING=1 sent on SIGTERM" ;;
    *) bad "no STOPPING=1 notification on stop" ;;
esac
case "$stop_log" in
    *"Main process exited, code=exited, status=0/SUCCESS"*) ok "stopped cleanly (exit status 0)" ;;
    *) bad "unclean stop: $(printf '%s\n' "$stop_log" | grep 'Main process exited')"; report_unit ;;
esac
pid1_run systemd-analyze log-level info

# 7b. A config that cannot start: `systemctl start` fails and the journal says where and why.
pid1_run sh -c 'cp /etc/kamwatch/kamwatch.yaml /run/kamwatch.yaml.good && sed -i "s|^timezone: .*|timezone: Mars/Olympus|" /etc/kamwatch/kamwatch.yaml'
mark=$(now_us)
if timeout 60 nsenter -t "$PID1_PID" -m -p -u -i systemctl start kamwatch.service 2>/dev/null; then
    bad "kamwatch.service started with an invalid config"
else
    why=$(unit_json "$mark" | python3 -c '
import json, sys
for l in sys.stdin:
    m = json.loads(l).get("MESSAGE", "")
    if isinstance(m, str) and "/etc/kamwatch/kamwatch.yaml" in m:
        print(m.splitlines()[0]); break')
    [ -n "$why" ] && ok "invalid config refused at start: $why" || bad "start failed, but the journal does not name the config file"
fi
pid1_run systemctl stop kamwatch.service
pid1_run sh -c 'cp /run/kamwatch.yaml.good /etc/kamwatch/kamwatch.yaml'

# 8. The installed unit as the running systemd sees it.
online=$(pid1_run systemd-analyze security --no-pager kamwatch.service 2>&1 | exposure_of)
if [ -n "$online" ] && at_most "$online" "$max_exposure"; then
    ok "systemd-analyze security kamwatch.service (installed): exposure $online"
else
    bad "installed unit exposure '${online:-unknown}' is above $max_exposure"
fi

pid1_poweroff
finish
