#!/bin/sh
# The example book rewritten in every CSV dialect kamwatch reads (BOM, Windows-1251,
# ';' with decimal commas, TAB, CRLF, gzip, shuffled headers, date-times, thousands
# separators, quoted newlines, split tables, files to ignore …) must give exactly
# the alerts of examples/, with no data problems reported; and kamwatch must agree
# with the reference evaluator (tools/reference_check.py) on examples/ and on
# synthetic books.
# Usage: sh Tests/EndToEnd/test-dialects.sh /path/to/kamwatch
set -u
bin=$(realpath "${1:?usage: test-dialects.sh BINARY}")
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
. "$here/lib/harness.sh"
cd "$root" || fail "cannot enter $root"

# Until the check subcommand exists, its help fails (or is the root command's, without --data).
if ! help=$("$bin" check --help 2>&1) || ! printf '%s\n' "$help" | grep -q -- '--data'; then
    skip "check not available"
fi
command -v python3 >/dev/null 2>&1 || fail "python3 is needed to write the dialects"

make_tmpdir tmp dialects

check() { # check DATA_DIR OUT ERR
    "$bin" check --data "$1" --rules rules --at 2026-11-20 --format json >"$2" 2>"$3"
}

if ! check examples "$tmp/expected.json" "$tmp/expected.err"; then
    cat "$tmp/expected.err" >&2
    fail "kamwatch check failed on examples/"
fi
[ -s "$tmp/expected.json" ] || fail "no alerts on examples/ (expected the ones in examples/README.md)"
if [ -s "$tmp/expected.err" ]; then
    head -20 "$tmp/expected.err" >&2
    fail "examples/ should read without problems, but stderr says so"
fi

python3 tools/make-dialects.py --from examples --out "$tmp/d" || fail "tools/make-dialects.py failed"

failed=0
total=0
for dir in "$tmp"/d/*/; do
    name=$(basename "$dir")
    total=$((total + 1))
    status=0
    check "$dir" "$tmp/$name.json" "$tmp/$name.err" || status=$?
    if [ "$status" -ne 0 ]; then
        echo "FAIL $name: exit status $status"
        head -5 "$tmp/$name.err"
        failed=$((failed + 1))
    elif ! cmp -s "$tmp/expected.json" "$tmp/$name.json"; then
        echo "FAIL $name: alerts differ from examples/"
        diff "$tmp/expected.json" "$tmp/$name.json" | head -10
        failed=$((failed + 1))
    elif [ -s "$tmp/$name.err" ]; then
        echo "FAIL $name: data problems reported"
        head -5 "$tmp/$name.err"
        failed=$((failed + 1))
    else
        echo "ok   $name"
    fi
done
echo "dialects: $((total - failed)) of $total read like examples/"

# The same alerts as tools/reference_check.py, an independent plain-Python reading of
# the contract: on examples/ and on synthetic books of different sizes and days.
compare() { # compare DATA_DIR AT LABEL
    if ! "$bin" check --data "$1" --rules rules --at "$2" --format json >"$tmp/k.json" 2>"$tmp/k.err"; then
        echo "FAIL $3: kamwatch check failed"
        head -5 "$tmp/k.err"
        failed=$((failed + 1))
        return
    fi
    if ! python3 tools/reference_check.py --data "$1" --at "$2" --format json >"$tmp/r.json" 2>"$tmp/r.err"; then
        echo "FAIL $3: tools/reference_check.py failed"
        tail -5 "$tmp/r.err"
        failed=$((failed + 1))
        return
    fi
    python3 Tests/EndToEnd/lib/dialects-compare.py "$tmp/k.json" "$tmp/r.json" "$3" || failed=$((failed + 1))
}
compare examples 2026-11-20 "examples 2026-11-20"
python3 bench/generate.py --accounts 3000 --out "$tmp/book" --seed 11 >/dev/null || fail "bench/generate.py failed"
for at in 2026-11-20 2026-06-30 2025-12-31; do
    compare "$tmp/book" "$at" "synthetic 3000 accounts $at"
done
for seed in 1 5; do  # small books, where one client can hold a fifth of the revenue
    python3 bench/generate.py --accounts 60 --out "$tmp/small$seed" --seed "$seed" >/dev/null || fail "bench/generate.py failed"
    compare "$tmp/small$seed" 2026-11-20 "synthetic 60 accounts, seed $seed"
done
[ "$failed" -eq 0 ] || fail "$failed check(s) failed"
ok "every dialect reads like examples/; kamwatch agrees with the reference evaluator"
