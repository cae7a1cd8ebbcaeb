#!/bin/sh
# Runs the live journald tests of KamwatchSystemd against a real systemd-journald
# (the one running, or one started for this test), so they never skip under `make test`.
# Usage: test-systemd-journal.sh <kamwatch binary>   (the binary is not needed here)
set -u
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
. "$here/lib/harness.sh"
. "$here/lib/systemd-journald.sh"

ls "$root"/.build/debug/*PackageTests.xctest >/dev/null 2>&1 || skip "unit tests not built (swift build --build-tests)"
journald_ensure || skip "no journald available"
at_exit journald_stop_if_started

out=$(cd "$root" && swift test --skip-build --filter 'KamwatchSystemdTests.JournaldLiveTests' 2>&1)
status=$?
printf '%s\n' "$out" | grep -E '✔ Test "|✘|skipped|recorded an issue'
[ "$status" -eq 0 ] || fail "live journald tests failed"
printf '%s\n' "$out" | grep -q 'skipped' && fail "live journald test skipped although journald answers"
ok "entries round-trip through journald"
