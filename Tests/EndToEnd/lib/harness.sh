# shellcheck shell=sh
# The harness every end-to-end script shares (POSIX sh). Source it first:
#     here=$(cd "$(dirname "$0")" && pwd)
#     . "$here/lib/harness.sh"
#
# A script exits 0 when it passed, 1 when it failed and 77 when it was skipped; run-all.sh
# counts the three (and under CI=true a skip fails the run). At exit, whatever way it comes
# (fail, skip, the end, SIGINT, SIGTERM), the commands given to at_exit run, the processes
# given to track_pid are stopped and the directories from make_tmpdir are removed.
#
#   fail MESSAGE...          prints "FAIL: MESSAGE" and exits 1
#   bad MESSAGE...           prints "FAIL: MESSAGE" and goes on; `finish` then exits 1
#   ok MESSAGE...            prints "ok: MESSAGE"
#   note MESSAGE...          prints "note: MESSAGE"
#   skip REASON...           prints "skipped: REASON" and exits 77
#   finish [MESSAGE]         exits 1 ("N check(s) failed") when `bad` was called, else prints
#                            "ok: MESSAGE" (when given) and exits 0
#   wait_for SECONDS CMD...  runs CMD every WAIT_INTERVAL seconds (0.1) until it succeeds;
#                            returns 1 when it has not within SECONDS (wall time)
#   gone PID                 true when process PID has ended
#   stop_pid PID [SECONDS]   SIGTERM, waits up to SECONDS (10) for PID to end, then SIGKILL;
#                            reaps it when it is our child and forgets it (track_pid)
#   track_pid PID            stops PID (a background process this script started) at exit
#   make_tmpdir VAR NAME     creates ${TMPDIR:-/tmp}/kamwatch-e2e-NAME.XXXXXX, sets VAR to its
#                            path and removes it at exit
#   at_exit COMMAND          runs COMMAND at exit; the last registered runs first

HARNESS_FAILURES=0
HARNESS_AT_EXIT=
HARNESS_PIDS=
HARNESS_TMPDIRS=
WAIT_INTERVAL=${WAIT_INTERVAL:-0.1}

fail() {
    echo "FAIL: $*"
    exit 1
}

bad() {
    echo "FAIL: $*"
    HARNESS_FAILURES=$((HARNESS_FAILURES + 1))
}

ok() { echo "ok: $*"; }

note() { echo "note: $*"; }

skip() {
    echo "skipped: $*"
    exit 77
}

finish() {
    if [ "$HARNESS_FAILURES" -ne 0 ]; then
        echo "$HARNESS_FAILURES check(s) failed"
        exit 1
    fi
    [ "$#" -eq 0 ] || ok "$@"
    exit 0
}

# Milliseconds since the epoch (GNU date).
harness_now_ms() { echo $(($(date +%s%N) / 1000000)); }

wait_for() {
    _wf_deadline=$(($(harness_now_ms) + $1 * 1000))
    shift
    while :; do
        "$@" && return 0
        [ "$(harness_now_ms)" -ge "$_wf_deadline" ] && return 1
        sleep "$WAIT_INTERVAL"
    done
}

gone() { ! kill -0 "$1" 2>/dev/null; }

stop_pid() {
    _sp_pid=$1
    if ! gone "$_sp_pid"; then
        kill -TERM "$_sp_pid" 2>/dev/null
        if ! wait_for "${2:-10}" gone "$_sp_pid"; then
            echo "harness: pid $_sp_pid did not end within ${2:-10} s of SIGTERM; killing it" >&2
            kill -KILL "$_sp_pid" 2>/dev/null
        fi
    fi
    wait "$_sp_pid" 2>/dev/null
    _sp_rest=
    for _sp_p in $HARNESS_PIDS; do
        [ "$_sp_p" = "$_sp_pid" ] || _sp_rest="$_sp_rest $_sp_p"
    done
    HARNESS_PIDS=$_sp_rest
    return 0
}

track_pid() { HARNESS_PIDS="$HARNESS_PIDS $1"; }

make_tmpdir() {
    _mt_dir=$(mktemp -d "${TMPDIR:-/tmp}/kamwatch-e2e-$2.XXXXXX") || fail "cannot create a temporary directory"
    HARNESS_TMPDIRS="$HARNESS_TMPDIRS $_mt_dir"
    eval "$1=\$_mt_dir"
}

at_exit() {
    HARNESS_AT_EXIT="$1
$HARNESS_AT_EXIT"
}

harness_cleanup() {
    _hc_commands=$HARNESS_AT_EXIT
    HARNESS_AT_EXIT=
    eval "$_hc_commands"
    for _hc_pid in $HARNESS_PIDS; do
        stop_pid "$_hc_pid"
    done
    for _hc_dir in $HARNESS_TMPDIRS; do
        rm -rf "$_hc_dir"
    done
    HARNESS_TMPDIRS=
}

trap harness_cleanup EXIT
trap 'exit 1' INT TERM
