#!/bin/sh
# kamwatch side by side with DuckDB and Polars on the five default rules of SPEC §2, and
# with itself reading the same book exported the Bitrix24 way (check --sources).
# Usage: sh bench/side-by-side.sh path/to/kamwatch [BOOK]     (bench/run.sh runs it)
#
# BOOK is a generated book under bench/out/ (default 1m). In each round, one after the
# other on the same files (page cache warm):
#   kamwatch  check --data BOOK --rules (the five rules) --at 2026-11-20 --format json
#   duckdb    python bench/peers/duckdb_rules.py  (bench/peers/rules.sql)
#   polars    python bench/peers/polars_rules.py  (one lazy query)
#   bitrix24  check --data BOOK-bitrix24 --sources BOOK-bitrix24/sources.yaml (same rules)
# each under /usr/bin/time (wall, user + system CPU, peak RSS). The table shows each
# one's median; the ratios are the medians of the per-round ratios (paired). Then the
# alerts of all four are compared (bench/peers/compare.py): any difference fails.
# DuckDB and Polars are installed from PyPI into bench/out/venv (bench/peers/requirements.txt).
# Knobs: BENCH_PEER_RUNS (rounds, default 3).
set -eu
bin=${1:?usage: bench/side-by-side.sh BINARY [BOOK]}
case $bin in /*) ;; *) bin=$(pwd)/$bin ;; esac
size=${2:-1m}
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
out=bench/out
book=$out/$size
mapped=$out/$size-bitrix24
runs=${BENCH_PEER_RUNS:-3}
at=2026-11-20
venv=$out/venv

[ -f "$book/.stamp" ] || { echo "side by side: no book $book (bench/run.sh generates it)" >&2; exit 1; }
if ! [ -x /usr/bin/time ] || ! /usr/bin/time -f %e true >/dev/null 2>&1; then
    echo "side by side: /usr/bin/time (Debian package time) is needed" >&2
    exit 1
fi

# ---- DuckDB and Polars, from PyPI, in a venv of their own
req=bench/peers/requirements.txt
want="$(cksum <"$req")"
if [ "$(cat "$venv/.stamp" 2>/dev/null)" != "$want" ]; then
    echo "installing $(tr '\n' ' ' <"$req")into $venv …"
    rm -rf "$venv"
    python3 -m venv "$venv"
    "$venv/bin/pip" install --quiet --disable-pip-version-check -r "$req" ||
        { echo "side by side: pip could not install $req" >&2; exit 1; }
    echo "$want" >"$venv/.stamp"
fi
py=$venv/bin/python

# ---- the same book as a Bitrix24 export
stamp="bitrix24 $(cksum <bench/bitrix24.py) of $(cat "$book/.stamp")"
if [ "$(cat "$mapped/.stamp" 2>/dev/null)" != "$stamp" ]; then
    echo "writing $mapped (the Bitrix24 export of $book) …"
    rm -rf "$mapped"
    python3 bench/bitrix24.py "$book" "$mapped"
    echo "$stamp" >"$mapped/.stamp"
fi

tmp=$(mktemp -d "${TMPDIR:-/tmp}/kamwatch-side.XXXXXX")
trap 'rm -rf "$tmp"' EXIT INT TERM
mkdir "$tmp/rules"
for rule in single-contact discount-creep cost-over-margin contact-turnover merger-exposure; do
    cp "rules/$rule.yaml" "$tmp/rules/"
done
cat "$book"/*.csv "$mapped"/*.csv >/dev/null # into the page cache

# One measured run: NAME ROUND COMMAND…; appends "round name wall cpu peakMB query" to runs.
measure() {
    name=$1 round=$2
    shift 2
    if ! /usr/bin/time -f '%e %U %S %M' -o "$tmp/time" "$@" >"$tmp/$name.out" 2>"$tmp/$name.err"; then
        echo "side by side: $name failed:" >&2
        cat "$tmp/$name.err" >&2
        exit 1
    fi
    query=$(sed -n 's/.*query \([0-9.]*\) s.*/\1/p' "$tmp/$name.err")
    tail -1 "$tmp/time" | awk -v r="$round" -v n="$name" -v q="${query:--}" \
        '{ printf "%s %s %.2f %.2f %.0f %s\n", r, n, $1, $2 + $3, $4 / 1024, q }' >>"$tmp/runs"
    tail -1 "$tmp/runs" | awk '{ printf " %s %.2f s (cpu %.2f s, %d MB)", $2, $3, $4, $5 }'
}

load_before=$(cut -d' ' -f1-3 /proc/loadavg)
: >"$tmp/runs"
round=1
while [ "$round" -le "$runs" ]; do
    printf 'side by side on %s, round %d of %d:' "$size" "$round" "$runs"
    measure kamwatch "$round" "$bin" check --data "$book" --rules "$tmp/rules" --at "$at" --format json
    measure duckdb "$round" "$py" bench/peers/duckdb_rules.py --data "$book" --at "$at" --out "$tmp/duckdb.jsonl"
    measure polars "$round" "$py" bench/peers/polars_rules.py --data "$book" --at "$at" --out "$tmp/polars.jsonl"
    measure bitrix24 "$round" "$bin" check --data "$mapped" --sources "$mapped/sources.yaml" \
        --rules "$tmp/rules" --at "$at" --format json
    echo
    round=$((round + 1))
done
load_after=$(cut -d' ' -f1-3 /proc/loadavg)
versions=$("$py" -c 'import duckdb, polars; print("DuckDB", duckdb.__version__ + ", Polars", polars.__version__)')

{
    echo
    echo "Side by side on $size ($(grep -c '^' "$tmp/kamwatch.out") alerts of the five default rules), median of $runs paired rounds;"
    echo "$versions; $(nproc) cores; load average $load_before before, $load_after after"
    awk '
        function median(list,   n, a, i, j, t) {
            n = split(list, a, " ")
            for (i = 2; i <= n; i++) for (j = i; j > 1 && a[j - 1] + 0 > a[j] + 0; j--) { t = a[j]; a[j] = a[j - 1]; a[j - 1] = t }
            return n % 2 ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2
        }
        { wall[$2] = wall[$2] " " $3; cpu[$2] = cpu[$2] " " $4; mem[$2] = mem[$2] " " $5; q[$2] = q[$2] " " $6
          W[$1, $2] = $3; C[$1, $2] = $4; M[$1, $2] = $5; if ($1 > rounds) rounds = $1 }
        function ratios(a, b,   r, w, c, m) {
            for (r = 1; r <= rounds; r++) { w = w " " W[r, a] / W[r, b]; c = c " " C[r, a] / C[r, b]; m = m " " M[r, a] / M[r, b] }
            rw = median(w); rc = median(c); rm = median(m)
        }
        END {
            split("kamwatch duckdb polars bitrix24", order, " ")
            label["kamwatch"] = "kamwatch check"; label["duckdb"] = "DuckDB SQL"
            label["polars"] = "Polars lazy"; label["bitrix24"] = "kamwatch check --sources (Bitrix24)"
            printf "%-36s %8s %8s %8s %9s\n", "", "wall s", "cpu s", "peak MB", "query s"
            for (i = 1; i <= 4; i++) {
                t = order[i]
                qs = q[t]; gsub(/ -/, "", qs)
                printf "%-36s %8.2f %8.2f %8.0f %9s\n", label[t], median(wall[t]), median(cpu[t]), median(mem[t]),
                    qs == "" ? "-" : sprintf("%.2f", median(qs))
            }
            ratios("duckdb", "kamwatch")
            printf "DuckDB / kamwatch:  wall %.2f×  cpu %.2f×  peak memory %.2f×   (target: wall ≥ 3×)\n", rw, rc, rm
            dw = rw
            ratios("polars", "kamwatch")
            printf "Polars / kamwatch:  wall %.2f×  cpu %.2f×  peak memory %.2f×   (target: wall ≥ 2×)\n", rw, rc, rm
            pw = rw
            ratios("bitrix24", "kamwatch")
            printf "Bitrix24 / canonical read: wall %.2f×  cpu %.2f×  peak memory %.2f×   (target: wall ≤ 1.5×)\n", rw, rc, rm
            bw = rw
            km = median(mem["kamwatch"])
            if (size != "1m") { print "(the targets are set for the 1M book)"; exit }
            printf "targets of the 1M book: DuckDB ≥ 3× %s; Polars ≥ 2× %s; peak ≤ 500 MB %s (%d MB); Bitrix24 ≤ 1.5× %s\n",
                (dw >= 3 ? "met" : "MISSED"), (pw >= 2 ? "met" : "MISSED"), (km <= 500 ? "met" : "MISSED"), km,
                (bw <= 1.5 ? "met" : "MISSED")
        }' size="$size" "$tmp/runs"
    echo "(query s: the DuckDB or Polars query alone, without starting Python and importing the engine)"
    echo "Alerts of the last round, compared by (rule, account, severity) and evidence numbers:"
    python3 bench/peers/compare.py "$tmp/kamwatch.out" duckdb="$tmp/duckdb.jsonl" polars="$tmp/polars.jsonl" \
        "bitrix24=$tmp/bitrix24.out@$mapped/ids.tsv" >"$tmp/compare" || true
    cat "$tmp/compare"
} | tee "$tmp/table"
# All three comparisons must have said "same".
[ "$(grep -c '^same ' "$tmp/table")" = 3 ] || exit 1
