#!/bin/sh
# What a Debian administrator types first: the manual pages render without warnings
# (kamwatch.1 from swift-argument-parser's generator, with the daemon's signals, files and
# exit codes; kamwatch.yaml.5 and kamwatch-rules.5 by hand), and the completion scripts the
# binary writes load in bash and zsh (fish's is checked with fish when it is installed).
# Usage: test-man-completions.sh <kamwatch binary>
set -u
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
bin=$1
work=$(mktemp -d "${TMPDIR:-/tmp}/kamwatch-e2e-man.XXXXXX")
trap 'rm -rf "$work"' EXIT INT TERM
failures=0
fail() {
    echo "FAIL: $*"
    failures=$((failures + 1))
}
for tool in man bash zsh; do
    command -v "$tool" >/dev/null || {
        echo "skipped: $tool is not installed (scripts/apt-packages.txt)"
        exit 77
    }
done

cd "$root" || exit 1
timeout 900 sh scripts/man-page.sh "$work/man" 2>"$work/generate.log" || {
    tail -5 "$work/generate.log"
    fail "the manual generator failed"
}
for page in "$work/man/kamwatch.1" docs/man/kamwatch.yaml.5 docs/man/kamwatch-rules.5; do
    [ -s "$page" ] || { fail "$page is missing"; continue; }
    warnings=$(MANWIDTH=80 man --warnings -l "$page" 2>&1 >/dev/null)
    [ -z "$warnings" ] || fail "$page: $warnings"
    lines=$(MANWIDTH=80 man -l "$page" 2>/dev/null | wc -l)
    [ "$lines" -gt 40 ] || fail "$page renders only $lines lines"
    echo "ok: $page renders without warnings ($lines lines)"
done
text=$(MANWIDTH=80 man -l "$work/man/kamwatch.1" 2>/dev/null)
for want in SIGNALS SIGHUP FILES /etc/kamwatch/kamwatch.yaml "EXIT STATUS" digest check run; do
    echo "$text" | grep -q -- "$want" || fail "kamwatch.1 does not mention $want"
done

"$bin" --generate-completion-script bash >"$work/kamwatch.bash" || fail "no bash completion"
"$bin" --generate-completion-script zsh >"$work/_kamwatch" || fail "no zsh completion"
"$bin" --generate-completion-script fish >"$work/kamwatch.fish" || fail "no fish completion"
out=$(bash -c '. "$1" && complete -p kamwatch' sh "$work/kamwatch.bash" 2>&1)
case "$out" in
*"-F _kamwatch kamwatch"*) echo "ok: bash completion loads: $out" ;;
*) fail "bash completion: $out" ;;
esac
out=$(timeout 60 zsh -fc 'autoload -Uz compinit && compinit -u -d "$1/zcompdump" && source "$2" && print -r -- ${_comps[kamwatch]}' zsh "$work" "$work/_kamwatch" 2>&1)
[ "$out" = "_kamwatch" ] && echo "ok: zsh completion loads" || fail "zsh completion: $out"
if command -v fish >/dev/null; then
    fish -n "$work/kamwatch.fish" && echo "ok: fish completion parses" || fail "fish completion does not parse"
fi

[ "$failures" -eq 0 ] || exit 1
echo "ok: manual pages and completions"
