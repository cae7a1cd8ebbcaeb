#!/bin/sh
# The accelerated soak: `kamwatch run` for SOAK_MINUTES (default 60) of real time while its
# data changes every SOAK_CHANGE_SECONDS (default 2) and its wall clock runs SOAK_SPEED times
# (default 1440: a day a minute) fast (lib/shifted-clock.c), so the date rolls about once a minute.
# Samples RSS and open file descriptors every minute; at the end checks exactly-once emission
# and that neither grew (RSS within SOAK_RSS_SLACK_KB, default 20 MB, of the sample at minute
# 2; descriptors equal). Prints "minute rss_kb fds db_kb" lines and a summary; db_kb is the
# state database's size (its pages, WAL included): SQLite's page cache grows with it, up to
# its cache_size (2 MB a connection), so RSS follows the database until that is reached. So
# that the hour starts with that cache full, the state begins with the history of a day before
# the run: a synthetic book of SOAK_SEED_ACCOUNTS (default 20000; 0: none) accounts with ids of
# its own (bench/generate.py), recorded with `kamwatch history record` (a few MB of pages, all
# read at start-up).
# Usage: soak-resources.sh <kamwatch binary>
set -u
here=$(cd "$(dirname "$0")" && pwd)
. "$here/lib/harness.sh"
. "$here/lib/systemd-journald.sh"
. "$here/lib/daemon-common.sh"
. "$here/lib/daemon-crash.sh"

minutes=${SOAK_MINUTES:-60}
every=${SOAK_CHANGE_SECONDS:-2}
speed=${SOAK_SPEED:-1440}
slack=${SOAK_RSS_SLACK_KB:-20480}
seed_accounts=${SOAK_SEED_ACCOUNTS:-20000}
journald_ensure || fail "no journald"
at_exit journald_stop_if_started
at_exit daemon_cleanup
DAEMON_QUIET=20ms daemon_setup "$1"
cp "$W/data/contacts.csv" "$W/contacts.orig"
expected_alerts | awk '$1 == "single-contact" { print $2 }' >"$W/crash-accounts"
# Days in the past, for the same reason as in test-daemon-crash.sh; it runs forward `speed` times fast.
days=$((minutes * 60 * speed / 86400 + 2))
start_day=$(($(date -u +%s) / 86400 - days - 30))
if [ "$seed_accounts" -gt 0 ]; then
    python3 "$here/../../bench/generate.py" --accounts "$seed_accounts" --out "$W/seed" >/dev/null \
        || fail "cannot generate the seed book"
    seed_day=$(date -u -d "@$(((start_day - 1) * 86400))" +%F)
    "$DAEMON_BIN" history record --data "$W/seed" --state "$W/state" --at "$seed_day" \
        || fail "cannot record the seed history"
    rm -rf "$W/seed"
    echo "seeded: $seed_accounts accounts' history on $seed_day, db_kb=$(db_query "SELECT page_count * page_size / 1024 FROM pragma_page_count, pragma_page_size")"
fi
journald_mark
DAEMON_CLOCK_START=$((start_day * 86400)) DAEMON_CLOCK_SPEED=$speed daemon_start
daemon_wait_ready

sample() {
    rss=$(awk '/^VmRSS:/ { print $2 }' "/proc/$DAEMON_PID/status")
    fds=$(ls "/proc/$DAEMON_PID/fd" | wc -l)
    db_kb=$(db_query "SELECT page_count * page_size / 1024 FROM pragma_page_count, pragma_page_size")
    echo "$1 $rss $fds $db_kb"
}
started=$(date +%s)
end=$((started + minutes * 60))
changes=0
next_sample=0
first_rss= first_fds= first_db=
while [ "$(date +%s)" -lt "$end" ]; do
    kill -0 "$DAEMON_PID" 2>/dev/null || fail "the daemon died"
    elapsed=$(($(date +%s) - started))
    if [ "$elapsed" -ge "$next_sample" ]; then
        set -- $(sample $((elapsed / 60)))
        echo "minute=$1 rss_kb=$2 fds=$3 db_kb=$4"
        # The first sample after the first two minutes (caches warm) is the baseline.
        if [ -z "$first_rss" ] && [ "$elapsed" -ge 120 ]; then first_rss=$2 first_fds=$3 first_db=$4; fi
        next_sample=$((next_sample + 60))
    fi
    changes=$((changes + 1))
    crash_mutate "$changes" >/dev/null
    sleep "$every"
done
set -- $(sample "$minutes")
last_rss=$2 last_fds=$3 last_db=$4
echo "minute=$1 rss_kb=$2 fds=$3 db_kb=$4"
sleep 1
daemon_stop
rolls=$(journald_read SYSLOG_IDENTIFIER=kamwatch MESSAGE="the date changed; evaluating again" | grep -c . || true)
# Most date changes are seen by the evaluation of a data change (one every few seconds), not by
# the day timer: the days evaluated are the days in the history, the seeded one left out.
days_seen=$(db_query "SELECT count(*) FROM history_days")
[ "$seed_accounts" -gt 0 ] && days_seen=$((days_seen - 1))
result=$(crash_audit)
status=$?
: "${first_rss:=$last_rss}" "${first_fds:=$last_fds}" "${first_db:=$last_db}"
echo "soak: minutes=$minutes data_changes=$changes days_evaluated=$days_seen timer_date_rolls=$rolls rss_kb=$first_rss->$last_rss fds=$first_fds->$last_fds db_kb=$first_db->$last_db $result"
[ "$status" -eq 0 ] || fail "exactly-once broken"
[ "$last_fds" -le "$first_fds" ] || fail "open descriptors grew: $first_fds -> $last_fds"
[ "$last_rss" -le $((first_rss + slack)) ] || fail "RSS grew: $first_rss -> $last_rss kB"
echo "ok: RSS and descriptors flat over $minutes minutes"
