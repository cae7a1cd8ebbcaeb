#!/bin/sh
# The example Prometheus alerting rule in deploy/prometheus/ passes `promtool check rules` and its
# `promtool test rules` case (it fires when kamwatch has not evaluated for a day).
set -u
root=$(cd "$(dirname "$0")/../.." && pwd)
if ! command -v promtool >/dev/null; then
    echo "skipped: promtool is not installed (Debian package prometheus)"
    [ "${CI:-}" = true ] && exit 1
    exit 77
fi
promtool check rules "$root/deploy/prometheus/kamwatch-alerts.yml" || { echo "FAIL: promtool check rules"; exit 1; }
promtool test rules "$root/Tests/EndToEnd/prometheus/kamwatch-alerts.test.yml" || { echo "FAIL: promtool test rules"; exit 1; }
echo "ok: promtool check rules and test rules"
