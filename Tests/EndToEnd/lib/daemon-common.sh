# shellcheck shell=sh
# Shared helpers for the daemon's end-to-end tests (test-daemon-*.sh). POSIX sh; needs python3
# and lib/harness.sh (fail, wait_for, stop_pid), sourced first.
#
#   daemon_setup BIN          temp work dir ($W) with a copy of BIN, data/ (a copy of examples/), rules/ (a copy of
#                             rules/), state/, outbox/ and a config (UTC, en, quiet_period 100ms);
#                             starts a NOTIFY_SOCKET listener writing to $W/notify.log
#   daemon_start              starts `kamwatch run` in the background ($DAEMON_PID); with
#                             DAEMON_WATCHDOG_USEC set, as a unit with WatchdogSec= would; with
#                             DAEMON_CLOCK_START set (seconds since the epoch), on a wall clock
#                             that starts there and runs DAEMON_CLOCK_SPEED (default 1) times
#                             fast (lib/shifted-clock.c, preloaded; monotonic clocks stay real)
#   daemon_wait_ready [N]     waits until READY=1 was received N times in all (default: one more
#                             than when the daemon was started or last became ready)
#   daemon_stop               SIGTERM, waits (30 s at most), fails unless it exits 0 and sent STOPPING=1
#   daemon_cleanup            stops what this file started (by PID); for at_exit (the harness
#                             removes $W afterwards)
#   db_seqs / db_transitions  the transition log: "seq state rule account severity" per line
#   outbox_transitions        the same, read from $W/outbox/alerts/*.json
#   journal_transitions       the same, read from the journal (this database's KAMWATCH_INSTANCE)
#   expected_alerts [RULES]   `kamwatch check --format json` for today ($DAEMON_TODAY when set),
#                             with the daemon's history (--state) once its database exists:
#                             "rule account severity"
#   expected_transitions OLD NEW
#                             the transitions from alert set OLD to NEW: "state rule account severity"
#   transitions_after SEQ     the log after SEQ: "state rule account severity" per line
#   open_alerts               the daemon's open alerts, same format
#   wait_for_seq N [SECS]     waits until the log holds seq N (default 15 s)

# The system interpreter starts several times faster than a version-manager shim.
if [ -x /usr/bin/python3 ]; then PY=/usr/bin/python3; else PY=python3; fi
DAEMON_ROOT=$(cd "$(dirname "$0")/../.." && pwd)
DAEMON_BIN=
DAEMON_PID=
NOTIFY_PID=
W=
READY_SEEN=0

daemon_setup() {
    make_tmpdir W daemon
    # Never work in / : without the harness (make_tmpdir) W would be empty.
    case $W in /?*/*) ;; *) echo "daemon_setup: no temporary directory (W='$W')" >&2; exit 1 ;; esac
    # A private copy: a rebuild of the tree during the test must not swap the binary under it.
    cp "$1" "$W/kamwatch" || fail "cannot copy $1"
    DAEMON_BIN=$W/kamwatch
    mkdir -p "$W/data" "$W/rules" "$W/state" "$W/outbox"
    cp "$DAEMON_ROOT"/examples/*.csv "$W/data/"
    cp "$DAEMON_ROOT"/rules/*.yaml "$W/rules/"
    cat >"$W/kamwatch.yaml" <<YAML
data_dir: $W/data
rules_dir: $W/rules
state_dir: $W/state
outbox_dir: $W/outbox
timezone: UTC
locale: en
quiet_period: ${DAEMON_QUIET:-100ms}
YAML
    "$PY" - "$W/notify.sock" "$W/notify.log" <<'PY' &
import os, socket, sys
path, log = sys.argv[1], sys.argv[2]
s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
s.bind(path)
with open(log, "a", buffering=1) as out:
    while True:
        data = s.recv(65536).decode("utf-8", "replace")
        for line in data.split("\n"):
            out.write(line + "\n")
PY
    NOTIFY_PID=$!
    wait_for 5 test -S "$W/notify.sock" || fail "the notify listener did not start"
}

# Builds lib/shifted-clock.c once per work directory; prints the library's path.
shifted_clock_lib() {
    if [ ! -e "$W/shifted-clock.so" ]; then
        ${CC:-cc} -shared -fPIC -O2 -o "$W/shifted-clock.so" "$DAEMON_ROOT/Tests/EndToEnd/lib/shifted-clock.c" -ldl ||
            fail "cannot build lib/shifted-clock.c (needs a C compiler)"
    fi
    echo "$W/shifted-clock.so"
}

daemon_start() {
    READY_SEEN=$(ready_count)
    if [ -n "${DAEMON_CLOCK_START:-}" ]; then
        _lib=$(shifted_clock_lib) || exit 1
        NOTIFY_SOCKET="$W/notify.sock" LD_PRELOAD=$_lib SHIFTED_CLOCK_START=$DAEMON_CLOCK_START \
            SHIFTED_CLOCK_SPEED=${DAEMON_CLOCK_SPEED:-1} "$DAEMON_BIN" run --config "$W/kamwatch.yaml" \
            >>"$W/daemon.out" 2>>"$W/daemon.err" </dev/null &
    elif [ -n "${DAEMON_WATCHDOG_USEC:-}" ]; then
        # As systemd does: WATCHDOG_PID names the daemon itself (exec keeps the shell's pid).
        NOTIFY_SOCKET="$W/notify.sock" WATCHDOG_USEC=$DAEMON_WATCHDOG_USEC sh -c \
            'WATCHDOG_PID=$$ exec "$0" run --config "$1"' "$DAEMON_BIN" "$W/kamwatch.yaml" \
            >>"$W/daemon.out" 2>>"$W/daemon.err" </dev/null &
    else
        NOTIFY_SOCKET="$W/notify.sock" "$DAEMON_BIN" run --config "$W/kamwatch.yaml" \
            >>"$W/daemon.out" 2>>"$W/daemon.err" </dev/null &
    fi
    DAEMON_PID=$!
}

ready_count() {
    grep -c '^READY=1$' "$W/notify.log" 2>/dev/null || true
}

daemon_wait_ready() {
    _ready=${1:-$((READY_SEEN + 1))}
    wait_for 60 ready_reached "$_ready" || fail "no READY=1 within 60 s"
    READY_SEEN=$(ready_count)
}

# True once READY=1 came $1 times in all; fails the test when the daemon exited before.
ready_reached() {
    [ "$(ready_count)" -ge "$1" ] && return 0
    if gone "$DAEMON_PID"; then
        cat "$W/daemon.err" >&2
        fail "the daemon exited before READY=1"
    fi
    return 1
}

daemon_stop() {
    kill -TERM "$DAEMON_PID"
    wait_for 30 gone "$DAEMON_PID" || fail "SIGTERM: the daemon did not exit within 30 s"
    wait "$DAEMON_PID"
    _status=$?
    DAEMON_PID=
    [ "$_status" -eq 0 ] || fail "SIGTERM: the daemon exited with $_status, not 0"
    tail -n 5 "$W/notify.log" | grep -q '^STOPPING=1$' || fail "no STOPPING=1 at SIGTERM"
}

daemon_cleanup() {
    [ -n "$DAEMON_PID" ] && stop_pid "$DAEMON_PID"
    [ -n "$NOTIFY_PID" ] && stop_pid "$NOTIFY_PID"
    DAEMON_PID=
    NOTIFY_PID=
}

db_query() {
    "$PY" - "$W/state/kamwatch.sqlite" "$1" <<'PY'
import sqlite3, sys
db = sqlite3.connect("file:" + sys.argv[1] + "?mode=ro", uri=True, timeout=10)
for row in db.execute(sys.argv[2]):
    print(" ".join("" if v is None else str(v) for v in row))
PY
}

db_instance() { db_query "SELECT value FROM meta WHERE key = 'instance'"; }
db_last_seq() { db_query "SELECT COALESCE(MAX(seq), 0) FROM transitions"; }
db_transitions() {
    db_query "SELECT seq, state, rule, account_id, severity FROM transitions ORDER BY seq"
}
open_alerts() {
    db_query "SELECT rule, account_id, severity FROM open_alerts ORDER BY rule, account_id"
}

outbox_transitions() {
    "$PY" - "$W/outbox/alerts" <<'PY'
import json, os, sys
d = sys.argv[1]
rows = []
for name in os.listdir(d):
    if name.startswith("."):
        continue
    with open(os.path.join(d, name)) as f:
        o = json.load(f)
    rows.append((o["seq"], o["state"], o["rule"], o["account_id"], o["severity"]))
for r in sorted(rows):
    print(" ".join(str(v) for v in r))
PY
}

journal_entries() {
    journald_sync
    journalctl -q -o json --no-pager "KAMWATCH_INSTANCE=$(db_instance)" 2>/dev/null
}

journal_transitions() {
    journal_entries | "$PY" -c '
import json, sys
rows = []
for line in sys.stdin:
    o = json.loads(line)
    rows.append((int(o["KAMWATCH_SEQ"]), o["KAMWATCH_STATE"], o["KAMWATCH_RULE"], o["KAMWATCH_ACCOUNT_ID"], o["KAMWATCH_SEVERITY"]))
for r in sorted(rows):
    print(" ".join(str(v) for v in r))
'
}

expected_alerts() {
    # With the daemon's history, as the daemon evaluates (check --state reads it, records nothing).
    _ea_state=
    [ -f "$W/state/kamwatch.sqlite" ] && _ea_state="--state $W/state"
    # shellcheck disable=SC2086
    "$DAEMON_BIN" check --data "$W/data" --rules "${1:-$W/rules}" --at "${DAEMON_TODAY:-$(date -u +%F)}" $_ea_state \
        --format json 2>/dev/null |
        "$PY" -c '
import json, sys
for line in sys.stdin:
    o = json.loads(line)
    print(o["rule"], o["account_id"], o["severity"])
' | sort
}

wait_for_seq() {
    _secs=${2:-15}
    wait_for "$_secs" seq_reached "$1" || fail "transition $1 did not appear within $_secs s (last: $(db_last_seq))"
}

seq_reached() { [ "$(db_last_seq)" -ge "$1" ]; }

transitions_after() {
    db_query "SELECT state, rule, account_id, severity FROM transitions WHERE seq > $1 ORDER BY seq"
}

expected_transitions() {
    "$PY" - "$1" "$2" <<'PY'
import sys
def parse(text):
    out = {}
    for line in text.splitlines():
        if line.strip():
            rule, account, severity = line.split(" ")
            out[(rule, account)] = severity
    return out
old, new = parse(sys.argv[1]), parse(sys.argv[2])
for key in sorted(set(old) | set(new)):
    if key not in new:
        print("resolved", key[0], key[1], old[key])
    elif old.get(key) != new[key]:
        print("firing", key[0], key[1], new[key])
PY
}
