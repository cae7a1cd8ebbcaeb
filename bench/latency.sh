#!/bin/sh
# The daemon's reaction time on a 100 000-account book: from a changed contacts file renamed
# into the data directory to the transition's outbox file (the journal entry follows it
# at once), median and p99 over 50 changes, the configured quiet period (50 ms) not counted.
# Target: p99 < 1 s.
# Usage: sh bench/latency.sh path/to/kamwatch   (a release build; make bench passes one)
#        LATENCY_CHANGES=50 LATENCY_QUIET=50ms LATENCY_BOOK=bench/out/100k
#        LATENCY_LOG=FILE keeps the daemon's log (its stage timings: read_ms, evaluate_ms, …)
set -eu
bin=${1:?usage: bench/latency.sh BINARY}
case $bin in /*) ;; *) bin=$(pwd)/$bin ;; esac
root=$(cd "$(dirname "$0")/.." && pwd)
. "$root/bench/daemon-wait.sh"
cd "$root"
changes=${LATENCY_CHANGES:-50}
quiet=${LATENCY_QUIET:-50ms}
book=${LATENCY_BOOK:-bench/out/100k}
if [ -x /usr/bin/python3 ]; then py=/usr/bin/python3; else py=python3; fi

if [ ! -f "$book/accounts.csv" ]; then
    echo "generating $book …"
    "$py" bench/generate.py --accounts 100000 --out "$book" >/dev/null
fi

w=$(mktemp -d "${TMPDIR:-/tmp}/kamwatch-latency.XXXXXX")
daemon=
listener=
cleanup() {
    if [ -n "$daemon" ]; then kill -TERM "$daemon" 2>/dev/null || true; wait "$daemon" 2>/dev/null || true; fi
    if [ -n "$listener" ]; then kill "$listener" 2>/dev/null || true; wait "$listener" 2>/dev/null || true; fi
    if [ -n "${LATENCY_LOG:-}" ]; then cp "$w/daemon.err" "$LATENCY_LOG" || true; fi
    rm -rf "$w"
}
trap cleanup EXIT
trap 'exit 1' INT TERM
mkdir -p "$w/data" "$w/state" "$w/outbox"
cp "$book"/*.csv* "$w/data/"
cat >"$w/kamwatch.yaml" <<YAML
data_dir: $w/data
rules_dir: $root/rules
state_dir: $w/state
outbox_dir: $w/outbox
timezone: UTC
locale: en
quiet_period: $quiet
YAML
"$py" - "$w/notify.sock" "$w/notify.log" <<'PY' &
import socket, sys
s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
s.bind(sys.argv[1])
with open(sys.argv[2], "a", buffering=1) as out:
    while True:
        out.write(s.recv(65536).decode("utf-8", "replace") + "\n")
PY
listener=$!
while [ ! -S "$w/notify.sock" ]; do sleep 0.05; done

start=$(date +%s.%N)
NOTIFY_SOCKET="$w/notify.sock" "$bin" run --config "$w/kamwatch.yaml" >"$w/daemon.out" 2>"$w/daemon.err" &
daemon=$!
wait_for_line "$w/notify.log" '^READY=1$' "$daemon" 300 "the daemon did not start"
ready=$(date +%s.%N)
alerts=$(ls "$w/outbox/alerts" | wc -l)
# The first day's history snapshot is recorded after READY=1: changes are timed from then on.
wait_for_log "start-up work finished" "$daemon" 120 "start-up work did not finish"
account=$("$py" -c '
import sqlite3, sys
db = sqlite3.connect("file:" + sys.argv[1] + "?mode=ro", uri=True)
row = db.execute("SELECT account_id FROM open_alerts WHERE rule = ? AND severity = ? LIMIT 1",
                 ("single-contact", "warning")).fetchone()
print(row[0] if row else "")' "$w/state/kamwatch.sqlite")
[ -n "$account" ] || { echo "latency: the book has no single-contact warning to toggle" >&2; exit 1; }

result=$("$py" bench/latency-measure.py "$w" "$account" "$changes" "$(echo "$quiet" | sed 's/ms$//; s/s$/000/')")
awk -v s="$start" -v r="$ready" -v a="$alerts" -v res="$result" -v q="$quiet" 'BEGIN {
    printf "kamwatch run, 100k accounts: start-up to READY %.1f s (%d alerts fired)\n", r - s, a
    printf "reaction to a renamed file (quiet period %s not counted): %s\n", q, res
    if (match(res, /p99_ms=[0-9.]+/)) {
        p99 = substr(res, RSTART + 7, RLENGTH - 7) + 0
        printf "p99 %s the 1 s target\n", (p99 < 1000 ? "meets" : "MISSES")
    }
}'
