#!/bin/sh
# What a Debian administrator types first: the manual pages render without warnings
# (kamwatch.1 from swift-argument-parser's generator, with the daemon's signals, files and
# exit codes; kamwatch.yaml.5 and kamwatch-rules.5 by hand), and the completion scripts the
# binary writes load in bash and zsh (fish's is checked with fish when it is installed).
# Usage: test-man-completions.sh <kamwatch binary>
set -u
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
. "$here/lib/harness.sh"
bin=$1
make_tmpdir work man
for tool in man bash zsh; do
    command -v "$tool" >/dev/null || skip "$tool is not installed (scripts/apt-packages.txt)"
done

cd "$root" || exit 1
timeout 900 sh scripts/man-page.sh "$work/man" 2>"$work/generate.log" || {
    tail -5 "$work/generate.log"
    bad "the manual generator failed"
}
for page in "$work/man/kamwatch.1" docs/man/kamwatch.yaml.5 docs/man/kamwatch-rules.5; do
    [ -s "$page" ] || { bad "$page is missing"; continue; }
    warnings=$(MANWIDTH=80 man --warnings -l "$page" 2>&1 >/dev/null)
    [ -z "$warnings" ] || bad "$page: $warnings"
    lines=$(MANWIDTH=80 man -l "$page" 2>/dev/null | wc -l)
    [ "$lines" -gt 40 ] || bad "$page renders only $lines lines"
    ok "$page renders without warnings ($lines lines)"
done
text=$(MANWIDTH=80 man -l "$work/man/kamwatch.1" 2>/dev/null)
for want in SIGNALS SIGHUP FILES /etc/kamwatch/kamwatch.yaml "EXIT STATUS" digest check run; do
    echo "$text" | grep -q -- "$want" || bad "kamwatch.1 does not mention $want"
done

"$bin" --generate-completion-script bash >"$work/kamwatch.bash" || bad "no bash completion"
"$bin" --generate-completion-script zsh >"$work/_kamwatch" || bad "no zsh completion"
"$bin" --generate-completion-script fish >"$work/kamwatch.fish" || bad "no fish completion"
out=$(bash -c '. "$1" && complete -p kamwatch' sh "$work/kamwatch.bash" 2>&1)
case "$out" in
*"-F _kamwatch kamwatch"*) ok "bash completion loads: $out" ;;
*) bad "bash completion: $out" ;;
esac
out=$(timeout 60 zsh -fc 'autoload -Uz compinit && compinit -u -d "$1/zcompdump" && source "$2" && print -r -- ${_comps[kamwatch]}' zsh "$work" "$work/_kamwatch" 2>&1)
[ "$out" = "_kamwatch" ] && ok "zsh completion loads" || bad "zsh completion: $out"
if command -v fish >/dev/null; then
    fish -n "$work/kamwatch.fish" && ok "fish completion parses" || bad "fish completion does not parse"
fi

finish "manual pages and completions"
