#!/bin/sh
# Runs `kamwatch run` in the foreground on the bundled example data (Ctrl-C stops it).
# State, outbox and config live in .run/ of the source tree. When no journald answers and
# we are root, a standalone systemd-journald is started (and left running, so journalctl
# can read the alerts afterwards); otherwise kamwatch writes to stderr.
set -eu
bin=$1
root=$(cd "$(dirname "$0")/.." && pwd)
run="$root/.run"
. "$root/Tests/EndToEnd/lib/systemd-journald.sh"

if ! journald_answers; then
    if [ "$(id -u)" -eq 0 ] && [ -x "$JOURNALD_BINARY" ]; then
        mkdir -p /run/systemd/journal
        setsid "$JOURNALD_BINARY" </dev/null >/dev/null 2>&1 &
        i=0
        while ! journald_answers && [ "$i" -lt 50 ]; do sleep 0.1; i=$((i + 1)); done
    fi
    journald_answers && echo "kamwatch: started systemd-journald for the journal entries" \
        || echo "kamwatch: no journald answers; alerts and diagnostics go to stderr"
fi

mkdir -p "$run/state" "$run/outbox"
cat >"$run/kamwatch.yaml" <<YAML
# Written by scripts/run-example.sh for \`make run\`.
data_dir: $root/examples
rules_dir: $root/rules
state_dir: $run/state
outbox_dir: $run/outbox
timezone: Europe/Moscow
locale: en
quiet_period: 2s
digest:
  from: kamwatch@example.com
  fallback: sales-ops@example.com
YAML

cat <<TXT
kamwatch: running on examples/ with config $run/kamwatch.yaml (Ctrl-C stops it).
  journal:   journalctl KAMWATCH_RULE=single-contact -o verbose
  outbox:    ls $run/outbox/alerts/
  digest:    $bin digest --config $run/kamwatch.yaml
TXT
exec "$bin" run --config "$run/kamwatch.yaml"
