#!/bin/sh
# kamwatch's fuzz targets (Tests/Fuzz/FuzzTargets.swift) under libFuzzer and AddressSanitizer.
#
#   sh Tests/Fuzz/fuzz.sh build            the libraries with SwiftPM into .build-fuzz
#                                          (-sanitize=fuzzer,address), then one swiftc line
#                                          linking the entry points into .build-fuzz/kamwatch-fuzz
#   sh Tests/Fuzz/fuzz.sh run SECONDS [TARGET...]
#                                          seeds (Tests/Fuzz/corpus.py), then each target for
#                                          SECONDS; prints executions and coverage per target;
#                                          fails on any crash (inputs in .build-fuzz/crashes/)
#
# FUZZ_MAX_LEN (and FUZZ_MAX_LEN_csv) cap the input length (see max_len below).
set -eu
root=$(cd "$(dirname "$0")/../.." && pwd)
scratch=$root/.build-fuzz
bin=$scratch/kamwatch-fuzz
cd "$root"

# Inputs up to 4 KB (16 KB for table files): enough to reach every limit (nesting deeper than
# 100 is refused), small enough to keep thousands of executions a second.
max_len() {
    case $1 in
    csv) echo "${FUZZ_MAX_LEN_csv:-16384}" ;;
    *) echo "${FUZZ_MAX_LEN:-4096}" ;;
    esac
}

build() {
    start=$(date +%s)
    for target in KamwatchDaemon KamwatchDigest; do
        swift build --scratch-path "$scratch" --target "$target" -Xswiftc -sanitize=fuzzer,address 2>&1 |
            grep -E "error|warning: |Build" | grep -v "^\[" || true
    done
    triple=$(ls -d "$scratch"/*-unknown-linux-gnu | head -n 1)
    debug=$triple/debug
    # Every library object of the build: the package's modules and their dependencies.
    # (a response file, one quoted path a line: some object names hold spaces)
    find "$debug" -path "$debug/*.build/*.o" ! -path "*Tests.build/*" ! -path "*/kamwatch.build/*" \
        ! -path "*/KamwatchCommands.build/*" ! -path "*/ArgumentParser*.build/*" ! -name "main.swift.o" |
        sort | sed 's/.*/"&"/' >"$scratch/objects.rsp"
    maps=
    # The C modules the Swift modules import (SwiftPM's own maps of Swift modules are not needed).
    for m in "$root"/Sources/C*/module.modulemap "$scratch"/checkouts/Yams/Sources/CYaml/include/module.modulemap \
        "$scratch"/checkouts/GRDB.swift/Sources/GRDBSQLite/module.modulemap; do
        [ -e "$m" ] && maps="$maps -Xcc -fmodule-map-file=$m"
    done
    includes="-Xcc -I$scratch/checkouts/Yams/Sources/CYaml/include"
    # shellcheck disable=SC2086
    swiftc -sanitize=fuzzer,address -parse-as-library -g -Onone -swift-version 6 \
        -I "$debug/Modules" $maps $includes -module-cache-path "$debug/ModuleCache" \
        "$root/Tests/Fuzz/FuzzTargets.swift" @"$scratch/objects.rsp" -lz -lsystemd -lsqlite3 -o "$bin" \
        >"$scratch/link.log" 2>&1 || {
        cat "$scratch/link.log"
        exit 1
    }
    # gold warns about every AddressSanitizer helper it cannot export: noise.
    grep -v "Cannot export local symbol" "$scratch/link.log" || true
    echo "fuzz build: $(($(date +%s) - start)) s -> $bin"
}

run() {
    seconds=$1
    shift
    targets=${*:-csv cells expr rule config sources mime outbox}
    [ -x "$bin" ] || build
    python3 "$root/Tests/Fuzz/corpus.py" "$scratch/seeds" >/dev/null
    mkdir -p "$scratch/crashes" "$scratch/logs"
    failed=0
    printf '%-8s %10s %8s %8s %8s %s\n' target execs exec/s cov ft result
    for t in $targets; do
        mkdir -p "$scratch/corpus/$t"
        log=$scratch/logs/$t.log
        status=0
        KAMWATCH_FUZZ_TARGET=$t SWIFT_BACKTRACE=enable=no ASAN_OPTIONS=detect_leaks=0:${ASAN_OPTIONS:-} "$bin" \
            -max_total_time="$seconds" -max_len="$(max_len "$t")" -timeout=20 -rss_limit_mb=3072 \
            -print_final_stats=1 -artifact_prefix="$scratch/crashes/$t-" \
            "$scratch/corpus/$t" "$scratch/seeds/$t" >"$log" 2>&1 || status=$?
        execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -n 1)
        rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log" | tail -n 1)
        cov=$(grep -oE 'cov: [0-9]+' "$log" | tail -n 1 | cut -d' ' -f2)
        ft=$(grep -oE 'ft: [0-9]+' "$log" | tail -n 1 | cut -d' ' -f2)
        if [ "$status" -eq 0 ]; then
            result=ok
        else
            result="CRASH (status $status; see $log)"
            failed=$((failed + 1))
        fi
        printf '%-8s %10s %8s %8s %8s %s\n' "$t" "${execs:-?}" "${rate:-?}" "${cov:-?}" "${ft:-?}" "$result"
    done
    [ "$failed" -eq 0 ] || {
        echo "fuzz: $failed target(s) crashed; inputs in $scratch/crashes/"
        exit 1
    }
}

case ${1:-} in
build) build ;;
run)
    shift
    run "$@"
    ;;
*)
    echo "usage: $0 build | run SECONDS [TARGET...]" >&2
    exit 2
    ;;
esac
