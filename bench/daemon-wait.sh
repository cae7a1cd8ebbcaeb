# Sourced by the daemon benchmarks (latency.sh, daemon-start.sh).
# wait_for_line FILE PATTERN PID SECONDS WHAT: waits until FILE has a line matching PATTERN
# (grep -E); exits 1 with the daemon's last words when PID ends first or SECONDS pass.
# The daemon's stderr is expected in "$w/daemon.err".
wait_for_line() {
    _deadline=$(($(date +%s) + $4))
    until grep -qE "$2" "$1" 2>/dev/null; do
        if ! kill -0 "$3" 2>/dev/null || [ "$(date +%s)" -gt "$_deadline" ]; then
            tail -5 "$w/daemon.err" >&2
            echo "$(basename "$0"): $5" >&2
            exit 1
        fi
        sleep 0.02
    done
}
