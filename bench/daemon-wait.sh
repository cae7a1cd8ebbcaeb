# Sourced by the daemon benchmarks (latency.sh, daemon-start.sh).
# The daemon's stderr is expected in "$w/daemon.err".

# wait_for_line FILE PATTERN PID SECONDS WHAT: waits until FILE has a line matching PATTERN
# (grep -E); exits 1 with the daemon's last words when PID ends first or SECONDS pass.
# Polls every WAIT_POLL seconds (0.02 by default): each poll starts three processes, CPU the
# daemon being measured does not get.
wait_for_line() {
    _deadline=$(($(date +%s) + $4))
    until grep -qE "$2" "$1" 2>/dev/null; do
        _gave_up "$3" "$_deadline" "$5"
        sleep "${WAIT_POLL:-0.02}"
    done
}

# wait_for_log MESSAGE PID SECONDS WHAT: waits until the daemon PID has logged MESSAGE, on
# its stderr or, when a journald answers (the daemon then logs there), in the journal.
wait_for_log() {
    _deadline=$(($(date +%s) + $3))
    until grep -qF "$1" "$w/daemon.err" 2>/dev/null \
        || { [ -S /run/systemd/journal/socket ] \
            && journalctl -q -o cat "_PID=$2" 2>/dev/null | grep -qF "$1"; }; do
        _gave_up "$2" "$_deadline" "$4"
        sleep 0.1
    done
}

_gave_up() {
    if ! kill -0 "$1" 2>/dev/null || [ "$(date +%s)" -gt "$2" ]; then
        tail -5 "$w/daemon.err" >&2
        echo "$(basename "$0"): $3" >&2
        exit 1
    fi
}
