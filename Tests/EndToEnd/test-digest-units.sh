#!/bin/sh
# deploy/kamwatch-digest.service and .timer: `systemd-analyze verify` on both, the timer's
# calendar (daily 07:00, Persistent, randomized delay), and the service's offline
# `systemd-analyze security` exposure (<= 2.0, like kamwatch.service). verify insists that
# ExecStart's binary exists, so the check runs on a copy of the service whose ExecStart
# points at the binary under test; nothing else in the units is changed.
# Usage: test-digest-units.sh <kamwatch binary>
set -u
bin=$(realpath "${1:?usage: test-digest-units.sh <kamwatch binary>}")
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
. "$here/lib/harness.sh"
max_exposure=2.0

command -v systemd-analyze >/dev/null 2>&1 || skip "systemd-analyze is not installed (Debian package 'systemd')"
make_tmpdir work units

service="$root/deploy/kamwatch-digest.service"
timer="$root/deploy/kamwatch-digest.timer"
grep -q '^ExecStart=/usr/bin/kamwatch digest --write-only --config /etc/kamwatch/kamwatch.yaml$' "$service" ||
    bad "ExecStart is not '/usr/bin/kamwatch digest --write-only --config /etc/kamwatch/kamwatch.yaml'"
sed "s|^ExecStart=/usr/bin/kamwatch |ExecStart=$bin |" "$service" >"$work/kamwatch-digest.service"
cp "$timer" "$work/kamwatch-digest.timer"

if (cd "$work" && systemd-analyze verify ./kamwatch-digest.service ./kamwatch-digest.timer) >"$work/verify.log" 2>&1; then
    echo "ok: systemd-analyze verify kamwatch-digest.service kamwatch-digest.timer"
else
    cat "$work/verify.log"
    bad "systemd-analyze verify failed"
fi
# verify also prints warnings with exit 0; the units must be free of them.
[ -s "$work/verify.log" ] && { cat "$work/verify.log"; bad "systemd-analyze verify printed warnings"; }

for line in 'Type=oneshot' 'User=kamwatch' 'ProtectSystem=strict' 'PrivateNetwork=yes' 'NoNewPrivileges=yes'; do
    grep -qx "$line" "$service" || bad "kamwatch-digest.service lacks $line"
done
for line in 'OnCalendar=\*-\*-\* 07:00' 'Persistent=true' 'RandomizedDelaySec=10min' 'WantedBy=timers.target'; do
    grep -qx "$line" "$timer" || bad "kamwatch-digest.timer lacks $line"
done
# The hardening of the daemon's unit, line for line (it is the reference).
if [ -f "$root/deploy/kamwatch.service" ]; then
    for key in PrivateNetwork IPAddressDeny RestrictAddressFamilies PrivateUsers PrivateTmp PrivateDevices \
        ProtectSystem ProtectHome ProtectProc ProcSubset ProtectKernelTunables ProtectKernelModules \
        ProtectKernelLogs ProtectControlGroups ProtectClock ProtectHostname NoNewPrivileges \
        CapabilityBoundingSet RestrictNamespaces RestrictRealtime RestrictSUIDSGID LockPersonality \
        MemoryDenyWriteExecute SystemCallArchitectures SystemCallFilter; do
        a=$(grep "^$key=" "$root/deploy/kamwatch.service" | sort)
        b=$(grep "^$key=" "$service" | sort)
        [ "$a" = "$b" ] || bad "$key differs from kamwatch.service: '$b' vs '$a'"
    done
fi

next=$(systemd-analyze calendar '*-*-* 07:00' 2>/dev/null | sed -n 's/.*Next elapse: //p')
[ -n "$next" ] && echo "ok: timer calendar parses; next elapse $next" || bad "the calendar does not parse"

if (cd "$work" && systemd-analyze security --offline=yes ./kamwatch-digest.service) >"$work/security.log" 2>&1; then
    level=$(sed -n 's/.*Overall exposure level for [^:]*: \([0-9.]*\).*/\1/p' "$work/security.log")
    if [ -n "$level" ] && awk -v a="$level" -v b="$max_exposure" 'BEGIN { exit !(a + 0 <= b + 0) }'; then
        echo "ok: exposure $level (<= $max_exposure)"
    else
        tail -3 "$work/security.log"
        bad "exposure ${level:-unknown} is above $max_exposure"
    fi
else
    note "this systemd-analyze has no offline security check; skipped"
fi

# The delivery unit: verifies, runs the delivery half, keeps the digest unit's hardening except
# for the relaxations it names (each with a comment line marked RELAXED just above), and its
# exposure is reported (and bounded: max_deliver_exposure).
max_deliver_exposure=2.0
deliver="$root/deploy/kamwatch-deliver.service"
grep -q '^ExecStart=/usr/bin/kamwatch digest --deliver-only --config /etc/kamwatch/kamwatch.yaml$' "$deliver" ||
    bad "kamwatch-deliver.service's ExecStart is not the --deliver-only run"
grep -qx 'Wants=kamwatch-deliver.service' "$service" || bad "kamwatch-digest.service does not pull in kamwatch-deliver.service"
grep -q '^After=.*kamwatch-digest.service' "$deliver" || bad "kamwatch-deliver.service is not ordered after the digest unit"
sed "s|^ExecStart=/usr/bin/kamwatch |ExecStart=$bin |" "$deliver" >"$work/kamwatch-deliver.service"
if (cd "$work" && systemd-analyze verify ./kamwatch-deliver.service) >"$work/verify-deliver.log" 2>&1 &&
    [ ! -s "$work/verify-deliver.log" ]; then
    ok "systemd-analyze verify kamwatch-deliver.service: clean"
else
    cat "$work/verify-deliver.log"
    bad "systemd-analyze verify kamwatch-deliver.service"
fi
relaxed="RestrictAddressFamilies SupplementaryGroups ReadWritePaths"
for key in PrivateNetwork IPAddressDeny RestrictAddressFamilies PrivateUsers PrivateTmp PrivateDevices \
    ProtectSystem ProtectHome ProtectProc ProcSubset ProtectKernelTunables ProtectKernelModules \
    ProtectKernelLogs ProtectControlGroups ProtectClock ProtectHostname NoNewPrivileges \
    CapabilityBoundingSet RestrictNamespaces RestrictRealtime RestrictSUIDSGID LockPersonality \
    MemoryDenyWriteExecute SystemCallArchitectures SystemCallFilter User SupplementaryGroups ReadWritePaths; do
    a=$(grep "^$key=" "$service" | sort)
    b=$(grep "^$key=" "$deliver" | sort)
    [ "$a" = "$b" ] && continue
    case " $relaxed PrivateNetwork IPAddressDeny " in
    *" $key "*) ;;
    *) bad "kamwatch-deliver.service: $key differs from kamwatch-digest.service ('$b' vs '$a')" ;;
    esac
done
for key in $relaxed; do
    awk -v k="$key" '/^#/ { c = c $0 "\n"; next } index($0, k "=") == 1 { found = 1; if (c !~ /RELAXED/) bad = 1 } { c = "" }
        END { exit !(found && !bad) }' "$deliver" || bad "kamwatch-deliver.service: $key= has no RELAXED comment above it"
done
for key in PrivateNetwork IPAddressDeny; do
    grep -q "^$key=" "$deliver" && bad "kamwatch-deliver.service sets $key= (it must reach a relay)"
done
if (cd "$work" && systemd-analyze security --offline=yes ./kamwatch-deliver.service) >"$work/security-deliver.log" 2>&1; then
    level=$(sed -n 's/.*Overall exposure level for [^:]*: \([0-9.]*\).*/\1/p' "$work/security-deliver.log")
    if [ -n "$level" ] && awk -v a="$level" -v b="$max_deliver_exposure" 'BEGIN { exit !(a + 0 <= b + 0) }'; then
        ok "kamwatch-deliver.service exposure $level (<= $max_deliver_exposure)"
    else
        tail -3 "$work/security-deliver.log"
        bad "kamwatch-deliver.service exposure ${level:-unknown} is above $max_deliver_exposure"
    fi
fi

finish "digest units"
