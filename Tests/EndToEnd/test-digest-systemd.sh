#!/bin/sh
# The digest units under a real systemd: `make install` into a throwaway PID + mount
# namespace whose PID 1 is systemd, start kamwatch.service on the example book, then
# kamwatch-digest.service (oneshot, hardened, user kamwatch) twice: the first start writes
# one .eml per lead into /var/spool/kamwatch/outbox/digests/<today>/, owned by kamwatch and
# valid e-mail; the second writes nothing and says so. kamwatch-digest.timer loads and
# schedules its next run at 07:00. Usage: test-digest-systemd.sh <kamwatch binary>.
# Needs root; nothing on the host changes.
set -u
bin=$(realpath "${1:?usage: test-digest-systemd.sh <kamwatch binary>}")
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
. "$here/lib/harness.sh"

"$bin" run --help 2>/dev/null | grep -q 'kamwatch run' || skip "daemon not built ('kamwatch run --help' fails)"
[ "$(id -u)" -eq 0 ] || skip "needs root to boot systemd in a namespace"

. "$here/lib/systemd-pid1.sh"
at_exit pid1_poweroff
pid1_stage "$root" "$bin" || fail "cannot stage the tree for the namespace"
root=$PID1_ROOT
bin=$PID1_BIN
pid1_boot || fail "cannot boot systemd in a namespace"
pid1_wait_running 60 || fail "systemd did not finish booting"

report() {
    pid1_run systemctl status --no-pager "$1" | sed 's/^/    /'
    pid1_run journalctl --no-pager -n 30 -u "$1" | sed 's/^/    /'
}

if ! pid1_run sh -c "cd '$root' && make --no-print-directory install NOBUILD=1 KAMWATCH_BIN='$bin'" >"$PID1_LOG.install" 2>&1; then
    sed 's/^/    /' "$PID1_LOG.install"
    rm -f "$PID1_LOG.install"
    fail "make install inside the namespace"
fi
rm -f "$PID1_LOG.install"
pid1_run sh -c "cp '$root'/examples/*.csv /srv/kamwatch/data/" || bad "cannot fill the data directory"
for u in kamwatch-digest.service kamwatch-digest.timer; do
    if verify=$(pid1_run systemd-analyze verify "$u" 2>&1) && [ -z "$verify" ]; then
        ok "systemd-analyze verify $u (installed): clean"
    else
        bad "systemd-analyze verify $u:
$verify"
    fi
done

if ! timeout 180 nsenter -t "$PID1_PID" -m -p -u -i systemctl start kamwatch.service; then
    report kamwatch.service
    fail "systemctl start kamwatch.service"
fi
ok "kamwatch.service is running"

# The digest while the daemon runs.
today=$(TZ=Europe/Moscow date +%F)
dir=/var/spool/kamwatch/outbox/digests/$today
if timeout 120 nsenter -t "$PID1_PID" -m -p -u -i systemctl start kamwatch-digest.service; then
    result=$(pid1_run systemctl show -p Result --value kamwatch-digest.service)
    [ "$result" = success ] && ok "kamwatch-digest.service ran (Result=success)" || bad "Result=$result"
else
    bad "systemctl start kamwatch-digest.service"
    report kamwatch-digest.service
fi
files=$(pid1_run sh -c "ls $dir/*.eml 2>/dev/null" | wc -l)
[ "$files" -gt 0 ] && ok "$files digest(s) in $dir" || bad "no digest in $dir"
owners=$(pid1_run sh -c "stat -c %U $dir/*.eml 2>/dev/null" | sort -u | tr '\n' ' ')
[ "$owners" = "kamwatch " ] && ok "written by user kamwatch" || bad "digest owners: '$owners'"

# Each file as a mail client reads it; the subjects are the ones the journal reports.
make_tmpdir work digest-systemd
# journald reads the unit's output stream on its own schedule: the lines can arrive a moment
# after the unit has finished, so the journal is read again until it lists every file.
journal_lists_all() {
    pid1_run journalctl --sync >/dev/null 2>&1
    pid1_run journalctl -q -o cat --no-pager -u kamwatch-digest.service |
        sed -n 's/^wrote \(.*\.eml\): \(.*\)$/\1\t\2/p' >"$work/journal.tsv"
    [ "$(wc -l <"$work/journal.tsv")" -ge "$files" ]
}
wait_for 15 journal_lists_all || echo "the journal lists $(wc -l <"$work/journal.tsv") of $files digest(s)"
: >"$work/manifest.tsv"
while IFS="$(printf '\t')" read -r path subject; do
    pid1_run cat "$path" >"$work/$(basename "$path")"
    printf '%s\t%s\n' "$work/$(basename "$path")" "$subject" >>"$work/manifest.tsv"
done <"$work/journal.tsv"
if [ -s "$work/manifest.tsv" ] && python3 "$here/lib/digest-check-email.py" "$work/manifest.tsv" >"$work/check.log"; then
    ok "$(wc -l <"$work/manifest.tsv") digest(s) parse as valid e-mail; first subject: $(head -1 "$work/journal.tsv" | cut -f2)"
else
    cat "$work/check.log" 2>/dev/null
    report kamwatch-digest.service
    bad "the digests written by the unit are not valid e-mail (or the journal lists none)"
fi

# Again: nothing new is written, the unit still succeeds and says why.
before=$(pid1_run sh -c "sha256sum $dir/*.eml")
if timeout 120 nsenter -t "$PID1_PID" -m -p -u -i systemctl start kamwatch-digest.service; then
    [ "$before" = "$(pid1_run sh -c "sha256sum $dir/*.eml")" ] && ok "second run left the digests as they were" ||
        bad "second run changed the digests"
    says_exist() {
        pid1_run journalctl --sync >/dev/null 2>&1
        pid1_run journalctl -q -o cat --no-pager -u kamwatch-digest.service | grep -q "already exists"
    }
    wait_for 15 says_exist && ok "second run says the digests already exist" ||
        bad "second run does not say the digests exist"
else
    bad "second systemctl start kamwatch-digest.service"
    report kamwatch-digest.service
fi

# The timer: loads and is scheduled (timers.target is masked in the test boot, so start it directly).
if pid1_run systemctl start kamwatch-digest.timer; then
    next=$(pid1_run systemctl show -p NextElapseUSecRealtime --value kamwatch-digest.timer)
    case "$next" in
    *07:*) ok "kamwatch-digest.timer scheduled: next run $next" ;;
    *) bad "kamwatch-digest.timer next elapse '$next' is not at 07:xx" ;;
    esac
else
    bad "systemctl start kamwatch-digest.timer"
    report kamwatch-digest.timer
fi

pid1_run systemctl stop kamwatch.service
pid1_poweroff
finish "digest units under systemd"
