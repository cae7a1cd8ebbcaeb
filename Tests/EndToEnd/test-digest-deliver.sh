#!/bin/sh
# Digest delivery (digest.deliver: sendmail) through msmtp, as msmtp-mta installs it
# (/usr/sbin/sendmail -> msmtp; here a link of that name in the test's directory, since
# msmtp-mta and postfix cannot be installed together), to a real SMTP server on 127.0.0.1
# (Python's aiosmtpd). The daemon fills a state from the example book; then:
#   1. `kamwatch digest` writes the day's digests and hands each to sendmail: every one
#      arrives exactly once, for the address in its To:;
#   2. a second run writes and sends nothing;
#   3. with the server down, the next day's digests are written, kept, reported as not
#      delivered (with msmtp's own error) and the run fails; a further run fails again;
#   4. with the server back, the next run delivers each of them exactly once, and the one
#      after sends nothing;
#   5. --write-only queues without sending, --deliver-only sends without writing;
#   6. a bad --date, or both halves at once, is a usage error (exit 2), not a crash.
# Usage: test-digest-deliver.sh <kamwatch binary>
set -u
bin=$(realpath "${1:?usage: test-digest-deliver.sh <kamwatch binary>}")
here=$(cd "$(dirname "$0")" && pwd)
. "$here/lib/harness.sh"
. "$here/lib/smtp-common.sh"

"$bin" run --help 2>/dev/null | grep -q 'kamwatch run' || skip "daemon not built ('kamwatch run --help' fails)"
command -v msmtp >/dev/null 2>&1 || skip "msmtp is not installed (Debian package msmtp)"
smtp_python

. "$here/lib/daemon-common.sh"
at_exit daemon_cleanup
daemon_setup "$bin"
mkdir -p "$W/sink" "$W/home"
smtp_start "$W/sink"
msmtp_setup "$W/home"
# msmtp-mta's sendmail reads ~/.msmtprc (or /etc/msmtprc): the test's own, through HOME.
mv "$W/home/msmtprc" "$W/home/.msmtprc"
kamwatch() { HOME="$W/home" "$bin" "$@"; }
cat >>"$W/kamwatch.yaml" <<YAML
digest:
  from: kamwatch@example.com
  fallback: sales-ops@example.com
  deliver: sendmail
  sendmail: [$W/home/sbin/sendmail, -t, -oi]
YAML
daemon_start
daemon_wait_ready
daemon_stop
today=$(TZ=UTC date +%F)
tomorrow=$(TZ=UTC date -d tomorrow +%F)
check="$here/lib/digest-check-delivered.py"
pending() { "$PY" -c 'import sqlite3, sys; print(sqlite3.connect(sys.argv[1]).execute("SELECT count(*) FROM digest_deliveries WHERE delivered_at IS NULL").fetchone()[0])' "$W/state/kamwatch.sqlite"; }

# 1. Written and delivered, each exactly once.
if kamwatch digest --config "$W/kamwatch.yaml" >"$W/run1.out" 2>"$W/run1.err"; then
    ok "kamwatch digest (deliver: sendmail) exited 0"
else
    cat "$W/run1.err"
    bad "kamwatch digest exited non-zero"
fi
written=$(grep -c '^wrote ' "$W/run1.out")
delivered=$(grep -c '^delivered ' "$W/run1.out")
[ "$written" -gt 0 ] && [ "$delivered" -eq "$written" ] && ok "$written digest(s) written, $delivered delivered" ||
    bad "wrote $written, delivered $delivered: $(cat "$W/run1.out")"
if "$PY" "$check" "$W/sink" "$W/outbox/digests/$today/"*.eml; then
    ok "the SMTP server received each of today's digests exactly once, for its lead"
else
    bad "what the SMTP server received does not match the digests"
fi
[ "$(pending)" -eq 0 ] || bad "$(pending) digest(s) still queued after a delivery"

# 2. Again: nothing is written, nothing is sent.
before=$(smtp_count "$W/sink")
kamwatch digest --config "$W/kamwatch.yaml" >"$W/run2.out" 2>"$W/run2.err" || bad "second run exited non-zero: $(cat "$W/run2.err")"
grep -q '^delivered \|^wrote ' "$W/run2.out" && bad "second run wrote or delivered: $(cat "$W/run2.out")"
[ "$(smtp_count "$W/sink")" -eq "$before" ] && ok "second run sent nothing ($before message(s) in all)" ||
    bad "second run sent $(($(smtp_count "$W/sink") - before)) message(s)"

# 3. The transport fails: the server is down.
port=$SMTP_PORT
smtp_stop
if kamwatch digest --config "$W/kamwatch.yaml" --date "$tomorrow" >"$W/run3.out" 2>"$W/run3.err"; then
    bad "a run whose deliveries failed exited 0"
else
    ok "a run whose deliveries failed exits $?"
fi
written3=$(grep -c '^wrote ' "$W/run3.out")
failed3=$(grep -c 'not delivered .*retried at the next run' "$W/run3.err")
[ "$written3" -gt 0 ] && [ "$failed3" -eq "$written3" ] && ok "$written3 digest(s) written, each reported as not delivered" ||
    bad "wrote $written3, $failed3 failure report(s): $(cat "$W/run3.out" "$W/run3.err")"
grep -q 'msmtp\|sendmail failed (exit status' "$W/run3.err" && ok "the report carries the transport's error: $(grep -m1 'not delivered' "$W/run3.err" | cut -c1-200)" ||
    bad "the failure report lacks the transport's error: $(cat "$W/run3.err")"
[ "$(find "$W/outbox/digests/$tomorrow" -name '*.eml' | wc -l)" -eq "$written3" ] && ok "the undelivered digests are kept as files" ||
    bad "the undelivered digests' files are missing"
[ "$(pending)" -eq "$written3" ] && ok "$(pending) digest(s) queued for the next run" || bad "$(pending) queued, not $written3"
kamwatch digest --config "$W/kamwatch.yaml" --date "$tomorrow" >"$W/run3b.out" 2>"$W/run3b.err" && bad "a second failing run exited 0"
grep -q '(attempt 2)' "$W/run3b.err" && ok "the next failing run retried them (attempt 2)" || bad "no second attempt: $(cat "$W/run3b.err")"

# 4. The server is back: the next run delivers each once.
smtp_start "$W/sink" "$port"
before=$(smtp_count "$W/sink")
kamwatch digest --config "$W/kamwatch.yaml" --date "$tomorrow" >"$W/run4.out" 2>"$W/run4.err" || bad "the retry exited non-zero: $(cat "$W/run4.err")"
grep -q '^wrote ' "$W/run4.out" && bad "the retry wrote a digest again"
[ "$(grep -c '^delivered ' "$W/run4.out")" -eq "$written3" ] && ok "the retry delivered the $written3 kept digest(s)" ||
    bad "the retry delivered $(grep -c '^delivered ' "$W/run4.out"), not $written3"
if "$PY" "$check" "$W/sink" "$W/outbox/digests/$today/"*.eml "$W/outbox/digests/$tomorrow/"*.eml; then
    ok "each digest of both days arrived exactly once, for its lead"
else
    bad "after the retry, what arrived does not match the digests"
fi
before=$(smtp_count "$W/sink")
kamwatch digest --config "$W/kamwatch.yaml" --date "$tomorrow" >"$W/run5.out" 2>&1 || bad "the run after the retry failed"
[ "$(smtp_count "$W/sink")" -eq "$before" ] && ok "the run after the retry sent nothing" || bad "the run after the retry sent again"

# 5. The two halves the units run.
day3=$(TZ=UTC date -d '2 days' +%F)
before=$(smtp_count "$W/sink")
kamwatch digest --write-only --config "$W/kamwatch.yaml" --date "$day3" >"$W/run6.out" 2>&1 || bad "--write-only failed: $(cat "$W/run6.out")"
[ "$(smtp_count "$W/sink")" -eq "$before" ] && [ "$(pending)" -gt 0 ] && ok "--write-only queued $(pending) digest(s), sent nothing" ||
    bad "--write-only sent something or queued nothing"
kamwatch digest --deliver-only --config "$W/kamwatch.yaml" --date "$day3" >"$W/run7.out" 2>&1 || bad "--deliver-only failed: $(cat "$W/run7.out")"
grep -q '^wrote ' "$W/run7.out" && bad "--deliver-only wrote a digest"
[ "$(pending)" -eq 0 ] && "$PY" "$check" "$W/sink" "$W/outbox/digests/"*/*.eml >/dev/null &&
    ok "--deliver-only sent them, each once" || bad "--deliver-only did not deliver each queued digest once"

# 6. Usage errors exit 2 with the message and the usage line, and send nothing.
before=$(smtp_count "$W/sink")
for args in "--date bad" "--write-only --deliver-only"; do
    # shellcheck disable=SC2086
    kamwatch digest --config "$W/kamwatch.yaml" $args >"$W/usage.out" 2>"$W/usage.err"
    status=$?
    [ "$status" -eq 2 ] && grep -q '^Error: ' "$W/usage.err" && grep -q '^Usage: kamwatch digest' "$W/usage.err" &&
        ok "kamwatch digest $args: exit 2, $(head -1 "$W/usage.err")" ||
        bad "kamwatch digest $args: exit $status, $(head -3 "$W/usage.err")"
done
[ "$(smtp_count "$W/sink")" -eq "$before" ] || bad "a usage error sent mail"

finish "digest delivery through msmtp to SMTP on loopback"
