#!/bin/sh
# Runs every end-to-end test script in this folder (test-*.sh) against the built binary.
# Each script gets the binary path as $1 and exits non-zero on failure.
set -u
bin=$(realpath "${1:-.build/debug/kamwatch}")
here=$(dirname "$0")
passed=0
failed=0
for t in "$here"/test-*.sh; do
    [ -e "$t" ] || continue
    name=$(basename "$t" .sh)
    echo "== $name"
    start=$(date +%s)
    if sh "$t" "$bin"; then
        passed=$((passed + 1))
        echo "== $name: passed ($(( $(date +%s) - start ))s)"
    else
        failed=$((failed + 1))
        echo "== $name: FAILED ($(( $(date +%s) - start ))s)"
    fi
done
echo "end-to-end: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
