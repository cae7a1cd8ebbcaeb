#!/bin/sh
# The digest's HTML part as a reader sees it: renders the example digests (en, ru, and an
# "all clear" one) in headless Chromium and checks the screenshots are not blank and show
# the severity colours, each account once with its signals, and the evidence labelled in
# the digest's language. Screenshots stay in .e2e/digest/ (digest-en.png, digest-ru.png,
# digest-all-clear.png, and digest-real-ru.png from the daemon's example run when
# test-digest-email.sh left one) for a look. Uses the sample digests the unit tests write
# to .e2e/digest/samples/. Usage: test-digest-render.sh <kamwatch binary>
set -u
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
. "$here/lib/harness.sh"
out="$root/.e2e/digest"
samples="$out/samples"

browser=$(command -v chromium || command -v chromium-browser || true)
[ -n "$browser" ] || skip "chromium is not installed (Debian package 'chromium', in scripts/apt-packages.txt)"
for lang in en ru; do
    [ -f "$samples/$lang/subjects.tsv" ] ||
        fail "no $samples/$lang: run 'swift test --filter SampleDigestFiles' first"
done

make_tmpdir work render

# shot NAME HTML_FILE MIN_INK_PERCENT REQUIRED_COLOUR...
shot() {
    name=$1 html=$2 min=$3
    shift 3
    png="$out/digest-$name.png"
    rm -f "$png"
    # A private profile folder, so parallel runs and a user's own Chromium do not interfere.
    timeout 120 "$browser" --headless --no-sandbox --disable-gpu --hide-scrollbars --no-first-run \
        --user-data-dir="$work/profile-$name" --screenshot="$png" --window-size=1000,${height:-1400} \
        "file://$html" >"$work/chromium-$name.log" 2>&1
    if [ ! -s "$png" ]; then
        bad "Chromium wrote no screenshot for $name"
        tail -5 "$work/chromium-$name.log"
        return
    fi
    report=$(python3 "$here/lib/digest-png-ink.py" "$png" "$min") || {
        echo "$report"
        bad "the $name screenshot looks blank"
        return
    }
    echo "$report"
    for colour in "$@"; do
        if echo "$report" | grep -q "$colour: 0 px"; then
            bad "$name shows no $colour"
        fi
    done
    echo "screenshot: $png"
}

for lang in en ru; do
    mkdir -p "$work/$lang"
    python3 "$here/lib/digest-check-email.py" "$samples/$lang/subjects.tsv" "$work/$lang" >/dev/null ||
        bad "the $lang sample digests are not valid e-mail"
    cp "$work/$lang/anna.lead@example.com.eml.html" "$out/digest-$lang.html"
    # Grouped: Baltic Steel's two signals sit under one account heading.
    n=$(grep -o 'Baltic Steel' "$out/digest-$lang.html" | wc -l)
    [ "$n" -eq 1 ] || bad "$lang digest names Baltic Steel $n times (one block expected)"
    # Labelled evidence in the digest's language, never the raw key.
    if [ "$lang" = ru ]; then label='Доля выручки' raw='share' english='Discount up'; else label='Revenue share' raw='>share<' english='Скидка выросла'; fi
    grep -q "$label" "$out/digest-$lang.html" || bad "$lang digest has no label '$label'"
    ! grep -q "$raw" "$out/digest-$lang.html" || bad "$lang digest shows the raw key $raw"
    ! grep -q "$english" "$out/digest-$lang.html" || bad "$lang digest has a message in the other language"
    height=2000 shot "$lang" "$out/digest-$lang.html" 2 critical warning resolved
done
cp "$work/en/quiet@example.com.eml.html" "$out/digest-all-clear.html"
shot all-clear "$out/digest-all-clear.html" 0.3 resolved

# A digest the real binary wrote from the daemon's state (test-digest-email.sh keeps them).
real=$(ls "$out"/real/ru-*.eml 2>/dev/null | head -1)
if [ -n "$real" ]; then
    subject=$(python3 -c 'import email,email.policy,sys; print(email.message_from_bytes(open(sys.argv[1],"rb").read(), policy=email.policy.default)["Subject"])' "$real")
    mkdir -p "$work/real"
    printf '%s\t%s\n' "$real" "$subject" >"$work/real.tsv"
    python3 "$here/lib/digest-check-email.py" "$work/real.tsv" "$work/real" >/dev/null ||
        bad "the daemon's Russian digest is not valid e-mail"
    cp "$work/real/$(basename "$real").html" "$out/digest-real-ru.html"
    shot real-ru "$out/digest-real-ru.html" 2 critical
fi

finish "digest HTML renders"
