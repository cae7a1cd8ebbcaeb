#!/bin/sh
# A damaged or read-only state database: `kamwatch run` refuses to start (exit 1) with a
# message naming the database, and never starts over from a new, empty one. Read-only cases
# need root (a read-only tmpfs and a read-only bind mount of the file).
# Usage: test-fault-state-db.sh <kamwatch binary>
set -u
here=$(cd "$(dirname "$0")" && pwd)
. "$here/lib/harness.sh"
. "$here/lib/daemon-common.sh"

mounts=
unmount_all() { for m in $mounts; do umount "$m" 2>/dev/null; done; }
at_exit unmount_all
at_exit daemon_cleanup
daemon_setup "$1"
daemon_start
daemon_wait_ready
daemon_stop
n=$(db_last_seq)
[ "$n" -gt 0 ] || fail "no transitions recorded at the first start"
db=$W/state/kamwatch.sqlite

# Starts the daemon and expects a refusal mentioning $1 (a pattern) on stderr.
expect_refusal() {
    : >"$W/daemon.err"
    daemon_start
    _i=0
    while kill -0 "$DAEMON_PID" 2>/dev/null && [ "$_i" -lt 100 ]; do
        sleep 0.1
        _i=$((_i + 1))
    done
    if kill -0 "$DAEMON_PID" 2>/dev/null; then
        fail "$2: the daemon runs on"
    fi
    wait "$DAEMON_PID"
    _status=$?
    DAEMON_PID=
    [ "$_status" -eq 1 ] || fail "$2: exit status $_status, not 1"
    grep -qE "$1" "$W/daemon.err" || {
        cat "$W/daemon.err" >&2
        fail "$2: no refusal matching '$1' on stderr"
    }
    echo "ok: $2: refused: $(grep -E "$1" "$W/daemon.err" | head -n 1 | cut -c1-200)"
}

# 1. Damaged: the pages after the header overwritten with garbage.
cp "$db" "$W/good.sqlite"
rm -f "$db-wal" "$db-shm"
"$PY" - "$db" <<'PY'
import sys
with open(sys.argv[1], "r+b") as f:
    f.seek(100)
    f.write(b"\xa5" * 8000)
PY
sum=$(sha256sum "$db" | cut -d' ' -f1)
expect_refusal "cannot start \(state\).*kamwatch.sqlite" "a damaged database"
[ "$(sha256sum "$db" | cut -d' ' -f1)" = "$sum" ] || fail "the damaged database was changed or replaced"

# 2. Not a database at all (a file of text).
echo "not a database" >"$db"
expect_refusal "cannot start \(state\).*kamwatch.sqlite" "a file that is not a database"
[ "$(cat "$db")" = "not a database" ] || fail "the file was replaced"
cp "$W/good.sqlite" "$db"

# 3. Damaged only in the history's pages. No day before today is recorded, so the first
#    evaluation does not read the history and the whole file is checked right after READY=1:
#    the daemon says READY=1, then refuses before it records anything.
[ "$(db_query "SELECT count(*) FROM history_days")" -eq 1 ] || fail "the first start recorded no history day"
state_rows() {
    for table in transitions open_alerts alert_timing known_leads history_days meta; do
        echo "$table: $(db_query "SELECT * FROM $table" | sha256sum | cut -d' ' -f1)"
    done
}
rows=$(state_rows)
"$PY" - "$db" <<'PY'
import sqlite3, sys
path = sys.argv[1]
db = sqlite3.connect(path)
root = db.execute("SELECT rootpage FROM sqlite_master WHERE name = 'contact_periods'").fetchone()[0]
size = db.execute("PRAGMA page_size").fetchone()[0]
db.close()
with open(path, "r+b") as f:
    f.seek((root - 1) * size)
    f.write(b"\xa5" * size)
PY
expect_refusal "cannot start \(state\).*kamwatch.sqlite" "a database damaged only in the history"
[ "$(ready_count)" -gt "$READY_SEEN" ] || fail "history damage: no READY=1 before the refusal"
# Rows, not bytes: the database library may add a table of its own when the log is missing.
[ "$(state_rows)" = "$rows" ] || fail "history damage: the daemon recorded something before refusing"
echo "ok: history damage: READY=1, then refused before recording anything"
cp "$W/good.sqlite" "$db"
rm -f "$db-wal" "$db-shm"

[ "$(id -u)" -eq 0 ] || skip "the read-only cases need root"

# 4. The state directory on a read-only file system.
mkdir -p "$W/ro"
mount -t tmpfs -o size=16m tmpfs "$W/ro" || fail "cannot mount a tmpfs"
mounts="$W/ro"
cp "$W/good.sqlite" "$W/ro/kamwatch.sqlite"
mount -o remount,ro "$W/ro" || fail "cannot remount read-only"
sed -i "s|^state_dir: .*|state_dir: $W/ro|" "$W/kamwatch.yaml"
expect_refusal "cannot start \(state\).*(Read-only|read-only|readonly)" "a read-only state directory"

# 5. A writable directory, but the database file itself read-only (bind-mounted read-only).
sed -i "s|^state_dir: .*|state_dir: $W/state|" "$W/kamwatch.yaml"
cp "$W/good.sqlite" "$db"
mount --bind "$db" "$db" && mounts="$db $mounts" && mount -o remount,ro,bind "$db" || fail "cannot bind-mount read-only"
expect_refusal "cannot start \(state\).*kamwatch.sqlite" "a read-only database file"
umount "$db"
mounts="$W/ro"
[ "$(sha256sum "$db" | cut -d' ' -f1)" = "$(sha256sum "$W/good.sqlite" | cut -d' ' -f1)" ] ||
    fail "the read-only database was changed"
# And the good database still starts.
daemon_start
daemon_wait_ready
[ "$(db_last_seq)" -eq "$n" ] || fail "the intact database lost transitions"
daemon_stop
echo "ok: the intact database starts again with its $n transitions"
