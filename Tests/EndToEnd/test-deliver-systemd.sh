#!/bin/sh
# Digest delivery under a real systemd (lib/systemd-pid1.sh: PID 1 of a throwaway namespace;
# /etc, /usr and /var are overlays, so nothing on the host changes), through the shipped units:
#   msmtp-mta: /usr/sbin/sendmail -> msmtp, as msmtp-mta installs it (made in the namespace's
#     /usr, where postfix's sendmail stood), /etc/msmtprc naming an SMTP server (aiosmtpd) on
#     the host's 127.0.0.1. With the server down, kamwatch-digest.service writes the digests and
#     kamwatch-deliver.service (pulled in by it) fails, reports each in the journal at priority
#     err and keeps them queued; with the server up, the next start delivers each exactly once
#     to its lead, and the one after sends nothing.
#   postfix: its own sendmail from kamwatch-deliver.service (NoNewPrivileges=yes, group
#     postdrop) puts the next day's digests into postfix's maildrop queue, for the right
#     recipients; the same sendmail as the digest unit runs it (no_new_privs, no group postdrop)
#     is refused (why delivery has a unit of its own).
# Needs root, msmtp and postfix (Debian packages; they conflict as msmtp-mta and postfix, so
# the host has msmtp and postfix). Usage: test-deliver-systemd.sh <kamwatch binary>
set -u
bin=$(realpath "${1:?usage: test-deliver-systemd.sh <kamwatch binary>}")
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
. "$here/lib/harness.sh"
. "$here/lib/smtp-common.sh"

"$bin" run --help 2>/dev/null | grep -q 'kamwatch run' || skip "daemon not built ('kamwatch run --help' fails)"
[ "$(id -u)" -eq 0 ] || skip "needs root to boot systemd in a namespace"
command -v msmtp >/dev/null 2>&1 || skip "msmtp is not installed (Debian package msmtp)"
[ -x /usr/sbin/postdrop ] || skip "postfix is not installed (Debian package postfix)"
smtp_python
make_tmpdir work deliver-systemd
mkdir -p "$work/sink"
SMTP_PORT=$("$SMTP_PY" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')

. "$here/lib/systemd-pid1.sh"
at_exit pid1_poweroff
pid1_stage "$root" "$bin" || fail "cannot stage the tree for the namespace"
root=$PID1_ROOT
bin=$PID1_BIN
pid1_boot || fail "cannot boot systemd in a namespace"
pid1_wait_running 60 || fail "systemd did not finish booting"
ns() { timeout 180 nsenter -t "$PID1_PID" -m -p -u -i "$@"; }
report() {
    pid1_run systemctl status --no-pager "$1" | sed 's/^/    /'
    pid1_run journalctl --no-pager -n 30 -u "$1" | sed 's/^/    /'
}

if ! pid1_run sh -c "cd '$root' && make --no-print-directory install NOBUILD=1 KAMWATCH_BIN='$bin'" >"$work/install.log" 2>&1; then
    sed 's/^/    /' "$work/install.log"
    fail "make install inside the namespace"
fi
pid1_run sh -c "cp '$root'/examples/*.csv /srv/kamwatch/data/" || bad "cannot fill the data directory"
# Each installed unit's exposure, as this systemd computes it (docs/digest.md lists them):
# the daemon and the digest unit as hardened as before, the delivery unit relaxed only for
# the hand-off, and none above 2.0.
for u in kamwatch.service kamwatch-digest.service kamwatch-deliver.service; do
    level=$(pid1_run systemd-analyze security --no-pager "$u" 2>&1 |
        sed -n 's/.*Overall exposure level for [^:]*: \([0-9.]*\).*/\1/p')
    if [ -n "$level" ] && awk -v a="$level" 'BEGIN { exit !(a + 0 <= 2.0) }'; then
        ok "systemd-analyze security $u: exposure $level"
    else
        bad "systemd-analyze security $u: exposure '${level:-unknown}' (at most 2.0)"
    fi
done
# msmtp-mta's layout, in the namespace only: /usr/sbin/sendmail -> ../bin/msmtp, /etc/msmtprc.
pid1_run sh -c "cp -p /usr/sbin/sendmail /usr/sbin/sendmail.postfix && ln -sf ../bin/msmtp /usr/sbin/sendmail" ||
    fail "cannot make the namespace's /usr/sbin/sendmail msmtp"
msmtp_setup "$work"
pid1_run sh -c "cat > /etc/msmtprc && chmod 0644 /etc/msmtprc" <"$work/msmtprc"
pid1_run sed -i 's/^  deliver: files$/  deliver: sendmail/' /etc/kamwatch/kamwatch.yaml
pid1_run grep -qx '  deliver: sendmail' /etc/kamwatch/kamwatch.yaml || fail "cannot set digest.deliver: sendmail"
if ! ns systemctl start kamwatch.service; then
    report kamwatch.service
    fail "systemctl start kamwatch.service"
fi
ok "kamwatch.service is running"

today=$(TZ=Europe/Moscow date +%F)
dir=/var/spool/kamwatch/outbox/digests/$today
# Starts the digest unit and waits for the delivery unit it pulls in to run and end: a oneshot
# that succeeded is unloaded again, so its end is read from the journal ("Deactivated
# successfully" or "Failed with result '…'"); DELIVER_RESULT is success or that result.
digest_and_deliver() {
    _before=$(deliver_ends | wc -l)
    ns systemctl start kamwatch-digest.service || { report kamwatch-digest.service; bad "systemctl start kamwatch-digest.service"; }
    wait_for 120 deliver_ended "$_before" || { report kamwatch-deliver.service; fail "kamwatch-deliver.service did not run to its end"; }
    DELIVER_RESULT=$(deliver_ends | tail -1 | sed -e "s/.*Deactivated successfully.*/success/" -e "s/.*Failed with result '\(.*\)'.*/\1/")
}
deliver_ends() {
    pid1_run journalctl -q -o cat --no-pager -u kamwatch-deliver.service |
        grep -E '^kamwatch-deliver.service: (Deactivated successfully|Failed with result)'
}
deliver_ended() { [ "$(deliver_ends | wc -l)" -gt "$1" ]; }
journal() { pid1_run journalctl --sync >/dev/null 2>&1; pid1_run journalctl -q -o cat --no-pager "$@"; }

# 1. The relay is down: written, kept, reported, queued.
digest_and_deliver
[ "$DELIVER_RESULT" = exit-code ] && ok "relay down: kamwatch-deliver.service failed (Result=exit-code)" ||
    bad "relay down: kamwatch-deliver.service Result=$DELIVER_RESULT"
written=$(pid1_run sh -c "ls $dir/*.eml 2>/dev/null" | wc -l)
[ "$written" -gt 0 ] && ok "the digest unit wrote $written digest(s)" || fail "no digest in $dir"
# The unit's output stream can reach the journal a moment after systemd logged its end.
failures_logged() {
    errs=$(journal -u kamwatch-deliver.service -p err | grep -c 'not delivered .*(attempt 1).*retried at the next run')
    [ "$errs" -ge "$written" ]
}
wait_for 15 failures_logged || true
[ "$errs" -eq "$written" ] && ok "the journal holds $errs delivery failure(s) at priority err: $(journal -u kamwatch-deliver.service -p err | grep -m1 'not delivered' | cut -c1-220)" ||
    bad "$errs failure(s) in the journal at priority err, not $written"
[ "$(pid1_run sh -c "ls $dir/*.eml" | wc -l)" -eq "$written" ] && ok "the files stay in the outbox" || bad "files went missing"

# 2. The relay is up: the next start delivers each exactly once.
smtp_start "$work/sink" "$SMTP_PORT"
digest_and_deliver
[ "$DELIVER_RESULT" = success ] && ok "relay up: kamwatch-deliver.service succeeded" || { report kamwatch-deliver.service; bad "relay up: Result=$DELIVER_RESULT"; }
mkdir -p "$work/digests"
for f in $(pid1_run sh -c "ls $dir/*.eml"); do pid1_run cat "$f" >"$work/digests/$(basename "$f")"; done
if "$SMTP_PY" "$here/lib/digest-check-delivered.py" "$work/sink" "$work/digests"/*.eml; then
    ok "through msmtp-mta's sendmail, each digest arrived exactly once, for its lead"
else
    bad "what arrived through msmtp does not match the digests"
fi
before=$(smtp_count "$work/sink")
digest_and_deliver
[ "$DELIVER_RESULT" = success ] && [ "$(smtp_count "$work/sink")" -eq "$before" ] &&
    ok "a further digest and delivery run sends nothing" || bad "the further run: Result=$DELIVER_RESULT, $(($(smtp_count "$work/sink") - before)) sent"
smtp_stop

# 3. postfix: its sendmail (setgid postdrop) from the delivery unit.
pid1_run sh -c "cp -p /usr/sbin/sendmail.postfix /usr/sbin/sendmail" || fail "cannot put postfix's sendmail back"
pid1_run sh -c "cat > /etc/postfix/main.cf" <<'CF'
# test-deliver-systemd.sh: enough for sendmail/postdrop to queue into the maildrop.
compatibility_level = 3.6
myhostname = kamwatch-test.example
mydestination =
inet_interfaces = loopback-only
CF
pid1_run sh -c "find /var/spool/postfix/maildrop -type f -delete"
tomorrow=$(TZ=Europe/Moscow date -d tomorrow +%F)
# Tomorrow's digests, written as the digest unit writes them (user kamwatch, --write-only).
pid1_run setpriv --reuid=kamwatch --regid=kamwatch --init-groups --no-new-privs \
    /usr/bin/kamwatch digest --write-only --config /etc/kamwatch/kamwatch.yaml --date "$tomorrow" >/dev/null ||
    bad "cannot write tomorrow's digests"
queued=$(pid1_run sh -c "ls /var/spool/kamwatch/outbox/digests/$tomorrow/*.eml 2>/dev/null" | wc -l)
# What the hardened digest unit would meet: no_new_privs drops postdrop's setgid bit, and
# without the group postdrop (which only the delivery unit adds) postdrop cannot write; it
# retries for ever, so a timeout ends it.
first=$(pid1_run sh -c "ls /var/spool/kamwatch/outbox/digests/$tomorrow/*.eml | head -1")
if pid1_run sh -c "timeout 15 setpriv --reuid=kamwatch --regid=kamwatch --clear-groups --no-new-privs /usr/sbin/sendmail -t -oi < '$first'" >"$work/nnp.log" 2>&1; then
    bad "postfix's sendmail worked with no_new_privs and without the group postdrop"
else
    ok "postfix's sendmail fails with no_new_privs, as under the digest unit: $(grep -m1 . "$work/nnp.log" | cut -c1-160)"
fi
pid1_run sh -c "find /var/spool/postfix/maildrop -type f -delete"
if ns systemctl start kamwatch-deliver.service; then
    ok "kamwatch-deliver.service handed $queued digest(s) to postfix's sendmail"
else
    report kamwatch-deliver.service
    bad "kamwatch-deliver.service with postfix's sendmail failed"
fi
inqueue=$(pid1_run sh -c "find /var/spool/postfix/maildrop -type f" | wc -l)
[ "$queued" -gt 0 ] && [ "$inqueue" -eq "$queued" ] && ok "postfix's maildrop queue holds $inqueue message(s)" ||
    bad "postfix's maildrop holds $inqueue message(s), not $queued"
want=$(pid1_run sh -c "grep -h '^To: ' /var/spool/kamwatch/outbox/digests/$tomorrow/*.eml" | sed 's/^To: //; s/\r$//' | sort)
got=$(pid1_run sh -c 'for f in $(find /var/spool/postfix/maildrop -type f); do postcat -e "$f" 2>/dev/null | sed -n "s/^recipient: //p"; done' | sort)
[ -n "$got" ] && [ "$got" = "$want" ] && ok "the queued messages are for the digests' leads: $(echo "$got" | tr '\n' ' ')" ||
    bad "queued recipients '$(echo "$got" | tr '\n' ' ')' are not the digests' '$(echo "$want" | tr '\n' ' ')'"
ns systemctl start kamwatch-deliver.service >/dev/null 2>&1
[ "$(pid1_run sh -c "find /var/spool/postfix/maildrop -type f" | wc -l)" -eq "$inqueue" ] &&
    ok "a second delivery run queues nothing more" || bad "a second delivery run queued again"

pid1_run systemctl stop kamwatch.service
pid1_poweroff
finish "digest delivery under systemd: msmtp-mta and postfix"
