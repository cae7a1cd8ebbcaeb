#!/bin/sh
# Runs the live journald tests of KamwatchSystemd against a real systemd-journald
# (the one running, or one started for this test), so they never skip under `make test`.
# Usage: test-systemd-journal.sh <kamwatch binary>   (the binary is not needed here)
set -u
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
. "$here/lib/systemd-journald.sh"

if ! ls "$root"/.build/debug/*PackageTests.xctest >/dev/null 2>&1; then
    echo "skipped: unit tests not built (swift build --build-tests)"
    exit 0
fi
if ! journald_ensure; then
    echo "skipped: no journald available"
    exit 0
fi
trap 'journald_stop_if_started' EXIT INT TERM

out=$(cd "$root" && swift test --skip-build --filter 'KamwatchSystemdTests.JournaldLiveTests' 2>&1)
status=$?
printf '%s\n' "$out" | grep -E '✔ Test "|✘|skipped|recorded an issue'
if [ "$status" -ne 0 ]; then
    echo "FAIL: live journald tests failed"
    exit 1
fi
if printf '%s\n' "$out" | grep -q 'skipped'; then
    echo "FAIL: live journald test skipped although journald answers"
    exit 1
fi
echo "ok: entries round-trip through journald"
