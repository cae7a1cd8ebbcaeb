# shellcheck shell=sh
# Makes sure a real systemd-journald answers on /run/systemd/journal/socket, for end-to-end tests.
#
# Source it from a test script (POSIX sh), after lib/harness.sh:
#     . "$here/lib/harness.sh"
#     . "$here/lib/systemd-journald.sh"
#     journald_ensure || skip "no journald available"
#     at_exit journald_stop_if_started
#
# Functions:
#   journald_answers          true when something accepts a datagram connect on the native socket
#                             (a socket file can outlive its journald, so existence proves nothing).
#   journald_ensure           uses the running journald, or starts /lib/systemd/systemd-journald in
#                             the background (needs root) and waits until it answers. Sets
#                             JOURNALD_STARTED_PID when it started one. Returns 1 with a message on
#                             stderr when no journald can be had (caller decides: skip or fail).
#   journald_stop_if_started  stops the journald that journald_ensure started (by its PID) and
#                             removes the runtime files it left; does nothing otherwise. Safe to call twice.
#   journald_sync             asks journald to write everything received so far to its files.
#   journald_mark             remembers "now" (JOURNALD_SINCE, microseconds), so that
#                             journald_read only sees entries received after it.
#   journald_read MATCH...    prints the matching entries written since journald_mark as JSON,
#                             one object per line (journalctl -o json; MATCH is FIELD=value).
#   journald_wait_for SECONDS MATCH...
#                             like journald_read, but polls until at least one entry matches or
#                             SECONDS pass; returns 1 on timeout.
#
# Entries go to /var/log/journal when that directory exists (persistent), else to /run/log/journal.

JOURNALD_SOCKET=/run/systemd/journal/socket
JOURNALD_BINARY=${JOURNALD_BINARY:-/lib/systemd/systemd-journald}
JOURNALD_STARTED_PID=
JOURNALD_CREATED_FILES=
JOURNALD_SINCE=
JOURNALD_LOG=

journald_answers() {
    python3 - "$JOURNALD_SOCKET" <<'PY' 2>/dev/null
import socket, sys
s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
try:
    s.connect(sys.argv[1])
except OSError:
    sys.exit(1)
PY
}

journald_ensure() {
    if journald_answers; then
        return 0
    fi
    if [ "$(id -u)" -ne 0 ]; then
        echo "journald: none answers on $JOURNALD_SOCKET and starting one needs root" >&2
        return 1
    fi
    if [ ! -x "$JOURNALD_BINARY" ]; then
        echo "journald: none answers on $JOURNALD_SOCKET and $JOURNALD_BINARY is missing" >&2
        return 1
    fi
    # Remember what is ours to remove afterwards: the runtime directories when they are new,
    # else the socket files (a stale one is simply reused by journald).
    JOURNALD_CREATED_FILES=
    for d in /run/systemd/journal /run/log/journal; do
        [ -e "$d" ] || JOURNALD_CREATED_FILES="$JOURNALD_CREATED_FILES $d"
    done
    for f in socket stdout dev-log syslog io.systemd.journal; do
        [ -e "/run/systemd/journal/$f" ] || JOURNALD_CREATED_FILES="$JOURNALD_CREATED_FILES /run/systemd/journal/$f"
    done
    mkdir -p /run/systemd/journal
    JOURNALD_LOG=$(mktemp "${TMPDIR:-/tmp}/kamwatch-journald.XXXXXX")
    "$JOURNALD_BINARY" </dev/null >"$JOURNALD_LOG" 2>&1 &
    JOURNALD_STARTED_PID=$!
    if wait_for 10 journald_answers_or_exited; then
        journald_answers && return 0
        echo "journald: $JOURNALD_BINARY exited at start:" >&2
        cat "$JOURNALD_LOG" >&2
        JOURNALD_STARTED_PID=
        return 1
    fi
    echo "journald: started $JOURNALD_BINARY (pid $JOURNALD_STARTED_PID) but it did not answer within 10s" >&2
    journald_stop_if_started
    return 1
}

journald_answers_or_exited() { journald_answers || gone "$JOURNALD_STARTED_PID"; }

journald_stop_if_started() {
    if [ -n "$JOURNALD_STARTED_PID" ]; then
        journald_sync
        stop_pid "$JOURNALD_STARTED_PID" 5
        # Everything it received is in /var/log/journal by now (journald_sync flushed it).
        for f in $JOURNALD_CREATED_FILES; do
            rm -rf "$f"
        done
        [ -n "$JOURNALD_LOG" ] && rm -f "$JOURNALD_LOG"
        JOURNALD_STARTED_PID=
        JOURNALD_CREATED_FILES=
        JOURNALD_LOG=
    fi
    return 0
}

journald_sync() {
    journalctl --sync >/dev/null 2>&1 || true
    journalctl --flush >/dev/null 2>&1 || true
}

journald_mark() {
    # A microsecond timestamp, not a cursor: journalctl 252 finds nothing for --after-cursor plus a match.
    journald_sync
    JOURNALD_SINCE="@$(date +%s.%N | cut -c1-17)"
}

journald_read() {
    journald_sync
    if [ -n "$JOURNALD_SINCE" ]; then
        journalctl -q -o json --no-pager --since="$JOURNALD_SINCE" "$@" 2>/dev/null
    else
        journalctl -q -o json --no-pager "$@" 2>/dev/null
    fi
    return 0
}

journald_wait_for() {
    _jw_secs=$1
    shift
    JOURNALD_FOUND=
    wait_for "$_jw_secs" journald_found "$@" || return 1
    printf '%s\n' "$JOURNALD_FOUND"
}

journald_found() {
    JOURNALD_FOUND=$(journald_read "$@")
    [ -n "$JOURNALD_FOUND" ]
}
