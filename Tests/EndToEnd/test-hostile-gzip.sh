#!/bin/sh
# Gzip bombs through `kamwatch check`: a .csv.gz of some 300 KB inflating to 256 MB of blank
# lines is streamed (peak RSS far below the inflated size, the rest of the book read as
# without it); one inflating to a single 300 MB record fails its file at the 256 MB record
# limit with a clear reason, and the table's other files are still read. The peak RSS of
# each run is measured (getrusage of the child).
# Usage: test-hostile-gzip.sh <kamwatch binary>
set -u
here=$(cd "$(dirname "$0")" && pwd)
. "$here/lib/harness.sh"
root=$(cd "$here/../.." && pwd)
if [ -x /usr/bin/python3 ]; then PY=/usr/bin/python3; else PY=python3; fi
bin=$1
make_tmpdir W gzip

# bomb FILE MIB KIND: a gzip member holding the orders header, then MIB MiB of KIND.
bomb() {
    "$PY" - "$@" <<'PY'
import sys, zlib
out, mib, kind = sys.argv[1], int(sys.argv[2]), sys.argv[3]
c = zlib.compressobj(9, zlib.DEFLATED, 31)
with open(out, "wb") as f:
    f.write(c.compress(b"order_id,account_id,date,list_amount,net_amount,cogs\n"))
    if kind == "record":
        f.write(c.compress(b'SO-BOMB,K-102,2026-01-01,"'))
    block = {"blank": b" " * 1023 + b"\n", "record": b"x" * 1024}[kind]
    chunk = block * 1024
    for _ in range(mib):
        f.write(c.compress(chunk))
    f.write(c.flush())
PY
}

# check DIR NAME: runs `kamwatch check` on DIR; prints the peak RSS in kB; output in $W/NAME.*
check() {
    "$PY" - "$bin" "$1" "$root/rules" "$W/$2" <<'PY'
import resource, subprocess, sys
bin, data, rules, out = sys.argv[1:]
with open(out + ".out", "wb") as o, open(out + ".err", "wb") as e:
    rc = subprocess.run([bin, "check", "--data", data, "--rules", rules, "--at", "2026-11-20"], stdout=o, stderr=e).returncode
open(out + ".rc", "w").write(str(rc))
print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)
PY
}

mkdir "$W/plain" "$W/blank" "$W/record"
for d in plain blank record; do cp "$root"/examples/*.csv "$W/$d/"; done
bomb "$W/blank/orders-bomb.csv.gz" 256 blank
bomb "$W/record/orders-bomb.csv.gz" 300 record
ok "bombs of $(wc -c <"$W/blank/orders-bomb.csv.gz") and $(wc -c <"$W/record/orders-bomb.csv.gz") bytes"

base=$(check "$W/plain" plain)
[ "$(cat "$W/plain.rc")" -le 1 ] || fail "check failed on the example book"

# 256 MB of whitespace-only lines: skipped silently, the alerts those of the book without it.
rss=$(check "$W/blank" blank)
[ "$(cat "$W/blank.rc")" = "$(cat "$W/plain.rc")" ] || fail "blank-line bomb: exit $(cat "$W/blank.rc")"
cmp -s "$W/plain.out" "$W/blank.out" || fail "blank-line bomb: the alerts differ from the book's without it"
[ "$rss" -lt $((base + 128 * 1024)) ] || fail "blank-line bomb: peak RSS $rss kB (the book alone: $base kB)"
ok "blank-line bomb (256 MB inflated) streamed: peak RSS $rss kB, the book alone $base kB"

# One 300 MB record: the file fails at the record limit; orders-2025/2026.csv are still read.
rss=$(check "$W/record" record)
grep -q "^orders-bomb.csv.gz: a record longer than 256 MB at byte 53: a quote left open, or not a CSV file" \
    "$W/record.err" || {
    head -c 2000 "$W/record.err"
    fail "one-record bomb: no clear report"
}
cmp -s "$W/plain.out" "$W/record.out" || fail "one-record bomb: the alerts differ from the book's without it"
# The buffer doubles up to 512 MB at most (the first size past the limit), never to the inflated size.
[ "$rss" -lt $((base + 800 * 1024)) ] || fail "one-record bomb: peak RSS $rss kB"
ok "one-record bomb (300 MB inflated) refused at the 256 MB record limit: peak RSS $rss kB"
