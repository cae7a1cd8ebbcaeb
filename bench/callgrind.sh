#!/bin/sh
# Instruction counts of kamwatch's reading, under valgrind --tool=callgrind: unlike time,
# they hardly move on a busy machine, so two builds can be compared on it.
# Usage: sh bench/callgrind.sh path/to/kamwatch   (make bench-callgrind builds a release first)
#
# Measured, on the 100k book of bench/run.sh and its Bitrix24 export (bench/bitrix24.py):
#   accounts         data inspect bench/out/100k/accounts.csv                  (100 000 rows)
#   companies        data inspect …/100k-bitrix24/COMPANY_….csv --sources …    (100 049 rows)
#   check            check --data bench/out/100k, the five default rules       (886 659 rows)
#   check --sources  check on the Bitrix24 export of the same book             (886 708 rows)
# and prints instructions in all and per row, then the functions with the most
# instructions (self) of each check. The profiles stay in bench/out/callgrind/
# (callgrind_annotate FILE reads them). Needs valgrind (apt-get install valgrind).
# Valgrind 3.19 (Debian 12) cannot read the DWARF 5 debug information Swift writes, so the
# binary is profiled as a copy without it (objcopy --strip-debug): function names only.
set -eu
bin=${1:?usage: bench/callgrind.sh BINARY}
case $bin in /*) ;; *) bin=$(pwd)/$bin ;; esac
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
command -v valgrind >/dev/null 2>&1 && command -v callgrind_annotate >/dev/null 2>&1 ||
    { echo "bench-callgrind: needs valgrind (apt-get install valgrind)" >&2; exit 1; }
out=bench/out
book=$out/100k
mapped=$out/100k-bitrix24
at=2026-11-20
gen_hash=$(cat bench/generate.py | cksum | cut -d' ' -f1)
if [ "$(cat "$book/.stamp" 2>/dev/null)" != "generator $gen_hash accounts 100000" ]; then
    echo "generating $book …"
    rm -rf "$book"
    python3 bench/generate.py --accounts 100000 --out "$book" >"$out/100k.generated"
    echo "generator $gen_hash accounts 100000" >"$book/.stamp"
fi
stamp="bitrix24 $(cksum <bench/bitrix24.py) of $(cat "$book/.stamp")"
if [ "$(cat "$mapped/.stamp" 2>/dev/null)" != "$stamp" ]; then
    echo "writing $mapped …"
    rm -rf "$mapped"
    python3 bench/bitrix24.py "$book" "$mapped"
    echo "$stamp" >"$mapped/.stamp"
fi
prof=$out/callgrind
rm -rf "$prof"
mkdir -p "$prof/rules"
for rule in single-contact discount-creep cost-over-margin contact-turnover merger-exposure; do
    cp "rules/$rule.yaml" "$prof/rules/"
done
company=$(ls "$mapped"/COMPANY_*.csv)
objcopy --strip-debug "$bin" "$prof/kamwatch"
demangle() { if command -v swift >/dev/null 2>&1; then swift demangle --simplified --compact; else cat; fi; }

# NAME ROWS COMMAND…: one run under callgrind; appends "name rows instructions" to the summary.
profile() {
    name=$1 rows=$2
    shift 2
    printf '%s … ' "$name"
    start=$(date +%s)
    valgrind --tool=callgrind --callgrind-out-file="$prof/$name.out" "$@" >"$prof/$name.stdout" 2>"$prof/$name.log" ||
        { echo "failed:"; tail -20 "$prof/$name.log"; exit 1; }
    ir=$(sed -n 's/^summary: *\([0-9]*\).*/\1/p' "$prof/$name.out")
    echo "$((($(date +%s) - start))) s"
    echo "$name $rows $ir" >>"$prof/summary"
}

: >"$prof/summary"
bin=$prof/kamwatch
profile accounts 100000 "$bin" data inspect "$book/accounts.csv"
profile companies 100049 "$bin" data inspect "$company" --sources "$mapped/sources.yaml"
profile check 886659 "$bin" check --data "$book" --rules "$prof/rules" --at "$at" --format json
profile check-sources 886708 "$bin" check --data "$mapped" --sources "$mapped/sources.yaml" \
    --rules "$prof/rules" --at "$at" --format json

{
    echo
    echo "Instructions (valgrind --tool=callgrind, Ir) of ${1}, $(date -u +%Y-%m-%d)"
    awk '{ printf "%-14s %8d rows %15.0f instructions %8.0f per row\n", $1, $2, $3, $3 / $2 }' "$prof/summary"
    for name in check check-sources; do
        echo
        echo "$name: the functions with the most instructions (self, % of all)"
        callgrind_annotate --threshold=90 "$prof/$name.out" 2>/dev/null |
            sed -n 's/^ *\([0-9,]*\) *( *\([0-9.]*%\)) *[^:]*:\([^ ]*\) .*/\1 \2 \3/p' | head -12 |
            while read -r ir pct sym; do
                printf '%14s %7s  %s\n' "$ir" "$pct" "$(echo "$sym" | demangle | cut -c1-110)"
            done
    done
} | tee "$prof/table.txt"
