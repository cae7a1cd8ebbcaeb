#!/bin/sh
# The example Prometheus alerting rule in deploy/prometheus/ passes `promtool check rules` and its
# `promtool test rules` case (it fires when kamwatch has not evaluated for a day).
set -u
here=$(cd "$(dirname "$0")" && pwd)
. "$here/lib/harness.sh"
root=$(cd "$here/../.." && pwd)
command -v promtool >/dev/null || skip "promtool is not installed (Debian package prometheus)"
promtool check rules "$root/deploy/prometheus/kamwatch-alerts.yml" || fail "promtool check rules"
promtool test rules "$here/prometheus/kamwatch-alerts.test.yml" || fail "promtool test rules"
ok "promtool check rules and test rules"
