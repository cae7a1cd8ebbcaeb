#!/bin/sh
# Runs every end-to-end test script in this folder (test-*.sh) against the built binary.
# Each script gets the binary path as $1 and exits 0 (passed), 77 (skipped) or anything else
# (failed); see lib/harness.sh. Under CI=true a skipped script fails the run, since CI must
# run every test.
set -u
bin=$(realpath "${1:-.build/debug/kamwatch}")
here=$(dirname "$0")
passed=0
failed=0
skipped=0
skipped_names=
for t in "$here"/test-*.sh; do
    [ -e "$t" ] || continue
    name=$(basename "$t" .sh)
    echo "== $name"
    start=$(date +%s)
    sh "$t" "$bin"
    status=$?
    took="$(($(date +%s) - start))s"
    case "$status" in
    0)
        passed=$((passed + 1))
        echo "== $name: passed ($took)"
        ;;
    77)
        skipped=$((skipped + 1))
        skipped_names="$skipped_names $name"
        echo "== $name: SKIPPED ($took)"
        ;;
    *)
        failed=$((failed + 1))
        echo "== $name: FAILED with status $status ($took)"
        ;;
    esac
done
echo "e2e: $passed passed, $failed failed, $skipped skipped"
if [ "$skipped" -gt 0 ] && [ "${CI:-}" = true ]; then
    echo "e2e: CI=true, so a skip is a failure:$skipped_names"
    exit 1
fi
[ "$failed" -eq 0 ]
