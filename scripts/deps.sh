#!/bin/sh
# Installs the Debian packages kamwatch needs to build and test, when missing.
# Runs apt-get only as root; otherwise it lists what is missing and goes on.
set -eu
here=$(dirname "$0")
missing=""
for pkg in $(grep -v '^#' "$here/apt-packages.txt" | sort -u); do
    if ! dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed"; then
        missing="$missing $pkg"
    fi
done
[ -z "$missing" ] && exit 0
if [ "$(id -u)" -eq 0 ]; then
    echo "installing:$missing"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    # shellcheck disable=SC2086
    apt-get install -y -qq --no-install-recommends $missing >/dev/null
else
    echo "missing system packages:$missing (run as root, or install them with apt-get)" >&2
fi
