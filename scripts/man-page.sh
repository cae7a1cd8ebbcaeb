#!/bin/sh
# Builds kamwatch.1: swift-argument-parser's manual generator (the generate-manual plugin,
# from the package's own checkout: works offline) writes the commands and options; the
# daemon's signals, files and exit codes (docs/man/kamwatch.1.extra) replace its stub
# EXIT STATUS section. Usage: man-page.sh OUTPUT_DIR
set -eu
out=$1
swift package --disable-sandbox plugin generate-manual --configuration debug --authors "kamwatch developers" >&2
generated=.build/plugins/GenerateManual/outputs/kamwatch/kamwatch.1
mkdir -p "$out"
awk -v extra=docs/man/kamwatch.1.extra '
    /^\.Sh "EXIT STATUS"/ { skip = 1; next }
    /^\.Sh AUTHORS/ { skip = 0; while ((getline line < extra) > 0) print line }
    !skip { print }
' "$generated" >"$out/kamwatch.1"
