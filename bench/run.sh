#!/bin/sh
# Benchmarks `kamwatch check` on synthetic books of 100 000 and 1 000 000 accounts.
# Usage: sh bench/run.sh path/to/kamwatch   (make bench builds a release binary first)
#
# The books are generated once into bench/out/ (git-ignored) and regenerated when
# bench/generate.py changes. Each book is checked 3 times; the table shows the
# median run. The 1M book must take less than 4 s in all and less than 1 GB of memory.
set -eu
bin=${1:?usage: bench/run.sh BINARY}
case $bin in /*) ;; *) bin=$(pwd)/$bin ;; esac
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
out=bench/out
runs=${BENCH_RUNS:-3}
sizes=${BENCH_SIZES:-"100k 1m"}
mkdir -p "$out"

if ! help=$("$bin" check --help 2>&1) || ! printf '%s\n' "$help" | grep -q -- '--data'; then
    echo "bench: $bin has no check subcommand yet: nothing to measure" >&2
    exit 1
fi
stats_flag=""
printf '%s\n' "$help" | grep -q -- '--stats' && stats_flag="--stats"
timer=""
if [ -x /usr/bin/time ] && /usr/bin/time -v true >/dev/null 2>&1; then
    timer=/usr/bin/time
fi
if [ -z "$stats_flag" ] && [ -z "$timer" ]; then
    echo "bench: neither 'check --stats' nor /usr/bin/time (Debian package time) is available" >&2
    exit 1
fi

accounts_of() { case $1 in 100k) echo 100000 ;; 1m) echo 1000000 ;; *) echo "$1" ;; esac; }

# ---- books
gen_hash=$(cat bench/generate.py | cksum | cut -d' ' -f1)
for size in $sizes; do
    dir=$out/$size
    stamp="generator $gen_hash accounts $(accounts_of "$size")"
    if [ "$(cat "$dir/.stamp" 2>/dev/null)" != "$stamp" ]; then
        echo "generating $dir …"
        rm -rf "$dir"
        python3 bench/generate.py --accounts "$(accounts_of "$size")" --out "$dir" | tee "$out/$size.generated"
        echo "$stamp" >"$dir/.stamp"
    fi
done

# ---- runs
tmp=$(mktemp -d "${TMPDIR:-/tmp}/kamwatch-bench.XXXXXX")
trap 'rm -rf "$tmp"' EXIT INT TERM
results=$out/last-run.txt
: >"$tmp/rows"
for size in $sizes; do
    dir=$out/$size
    mb=$(cat "$dir"/*.csv | wc -c | awk '{ printf "%.1f", $1 / 1e6 }')
    rows=$(awk '/^total/ { print $4 }' "$out/$size.generated" 2>/dev/null || true)
    i=1
    while [ "$i" -le "$runs" ]; do
        printf 'checking %s, run %d of %d … ' "$size" "$i" "$runs"
        set -- "$bin" check --data "$dir" --rules rules --at 2026-11-20 --format json
        [ -n "$stats_flag" ] && set -- "$@" "$stats_flag"
        : >"$tmp/time"
        start=$(date +%s.%N)
        if [ -n "$timer" ]; then
            "$timer" -v -o "$tmp/time" "$@" >"$tmp/alerts.json" 2>"$tmp/err" || { cat "$tmp/err" >&2; exit 1; }
        else
            "$@" >"$tmp/alerts.json" 2>"$tmp/err" || { cat "$tmp/err" >&2; exit 1; }
        fi
        end=$(date +%s.%N)
        alerts=$(wc -l <"$tmp/alerts.json")
        cp "$tmp/alerts.json" "$tmp/$size.json"
        # One line per run: size wall rss read eval total mbs rowss rows alerts cpu
        awk -v size="$size" -v start="$start" -v end="$end" -v mb="$mb" -v rows="${rows:-0}" -v alerts="$alerts" '
            FILENAME ~ /time$/ && /Maximum resident set size/ { rss = $NF / 1024 }
            FILENAME ~ /time$/ && /(User|System) time \(seconds\)/ { cpu += $NF; timed = 1 }
            FILENAME ~ /err$/ && /^stats:/ {
                line = $0
                if (match(line, /read [0-9.]+ s/)) { read = substr(line, RSTART + 5, RLENGTH - 7) }
                if (match(line, /evaluate [0-9.]+ s/)) { ev = substr(line, RSTART + 9, RLENGTH - 11) }
                if (match(line, /total [0-9.]+ s/)) { total = substr(line, RSTART + 6, RLENGTH - 8) }
                if (match(line, /[0-9]+ rows,/)) { rows = substr(line, RSTART, RLENGTH - 6) }
                if (match(line, /peak RSS [0-9.]+ MB/)) { srss = substr(line, RSTART + 9, RLENGTH - 12) }
            }
            END {
                wall = end - start
                if (rss == "") rss = srss
                if (total == "") total = wall
                printf "%s %.3f %.0f %s %s %.3f %.1f %.0f %s %s %s\n", size, wall, rss, (read == "" ? "-" : read),
                    (ev == "" ? "-" : ev), total, mb / total, rows / total, rows, alerts,
                    (timed ? sprintf("%.2f", cpu) : "-")
            }' "$tmp/time" "$tmp/err" 2>/dev/null >>"$tmp/rows" || true
        tail -1 "$tmp/rows" | awk '{ printf "%s s (cpu %s s), %s MB\n", $6, $11, $3 }'
        grep -v '^stats:' "$tmp/err" | head -3 >&2 || true
        i=$((i + 1))
    done
done

# ---- table: the median run (by total time) of each book
{
    echo
    echo "kamwatch check, median of $runs runs ($(nproc) cores, $(uname -m), $(date -u +%Y-%m-%d))"
    printf '%-5s %10s %8s %8s %8s %8s %8s %9s %11s %9s %7s\n' \
        book rows MB "read s" "eval s" "total s" "cpu s" "MB/s" "rows/s" "peak MB" alerts
    for size in $sizes; do
        mb=$(cat "$out/$size"/*.csv | wc -c | awk '{ printf "%.1f", $1 / 1e6 }')
        grep "^$size " "$tmp/rows" | sort -k6 -n | awk -v n="$runs" -v mb="$mb" '
            NR == int((n + 1) / 2) {
                printf "%-5s %10s %8s %8s %8s %8.2f %8s %9s %11s %9s %7s\n", $1, $9, mb, $4, $5, $6, $11, $7, $8, $3, $10
            }'
    done
    line=$(grep '^1m ' "$tmp/rows" | sort -k6 -n | awk -v n="$runs" 'NR == int((n + 1) / 2)')
    if [ -n "$line" ]; then
        set -- $line
        verdict=$(awk -v t="$6" -v r="$3" 'BEGIN {
            ok = (t < 4 && r < 1024)
            printf "%s (total %.2f s of 4 s, peak %d MB of 1024 MB)", ok ? "meets the targets" : "MISSES the targets", t, r }')
        echo "1M accounts: $verdict"
    fi
    echo "(cpu s = user + system time of the whole process; on a busy machine it is the steadier figure)"
    [ -z "$stats_flag" ] && echo "(check has no --stats yet: total = wall time, read/eval unknown)"
} | tee "$results"

# ---- side by side with DuckDB and Polars, and the Bitrix24 export of the same book, on
# the largest book (bench/side-by-side.sh; BENCH_PEERS=0 skips it)
side_failed=0
if [ "${BENCH_PEERS:-1}" = 1 ]; then
    largest=$(echo $sizes | awk '{ print $NF }')
    echo
    { sh bench/side-by-side.sh "$bin" "$largest" || echo failed >"$tmp/side-failed"; } | tee "$tmp/side"
    sed -n '/^$/,$p' "$tmp/side" >>"$results"
    if [ -f "$tmp/side-failed" ]; then
        side_failed=1
        echo "bench: the side-by-side comparison failed (above)" >&2
    fi
fi

# ---- the daemon's reaction time, when its benchmark exists
if [ -f bench/latency.sh ]; then
    echo
    sh bench/latency.sh "$bin" | tee -a "$results"
fi

# ---- the daemon's first start and restart on the 1M book, when its benchmark exists
if [ -f bench/daemon-start.sh ] && [ -f "$out/1m/accounts.csv" ]; then
    echo
    sh bench/daemon-start.sh "$bin" | tee -a "$results"
fi

# ---- for comparison: the plain-Python reference evaluator on the 100k book
if [ "${BENCH_REFERENCE:-1}" = 1 ] && [ -d "$out/100k" ] && command -v python3 >/dev/null 2>&1; then
    echo
    start=$(date +%s.%N)
    python3 tools/reference_check.py --data "$out/100k" --at 2026-11-20 --format json >"$tmp/ref.json"
    end=$(date +%s.%N)
    awk -v s="$start" -v e="$end" 'BEGIN { printf "tools/reference_check.py (plain Python) on 100k: %.1f s\n", e - s }' |
        tee -a "$results"
    if [ -f "$tmp/100k.json" ]; then
        python3 Tests/EndToEnd/lib/dialects-compare.py "$tmp/100k.json" "$tmp/ref.json" "kamwatch on 100k" |
            tee -a "$results"
    fi
fi
[ "$side_failed" = 0 ]
