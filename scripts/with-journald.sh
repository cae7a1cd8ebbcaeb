#!/bin/sh
# Runs a command with a systemd-journald answering on /run/systemd/journal/socket: the one
# running, or one started for the command (as root) and stopped after it, by its PID.
# Usage: sh scripts/with-journald.sh COMMAND [ARG…]   (make test runs the unit tests so, so
# that the live journald tests run instead of being skipped)
set -u
here=$(cd "$(dirname "$0")/.." && pwd)
. "$here/Tests/EndToEnd/lib/harness.sh"
. "$here/Tests/EndToEnd/lib/systemd-journald.sh"

if ! journald_ensure; then
    if [ "${CI:-}" = true ]; then
        fail "no journald: the live journald tests cannot run"
    fi
    echo "with-journald: no journald; the live journald tests will be skipped" >&2
fi
at_exit journald_stop_if_started
"$@"
exit $?
