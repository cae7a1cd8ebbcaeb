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
# postfix only as a test tool: never configured or started ("No configuration"), and never
# in place of a mail transport the machine already has (they conflict as packages).
case " $missing " in
*" postfix "*)
    if dpkg-query -W -f='${Provides}\n' 2>/dev/null | grep -q 'mail-transport-agent' &&
        ! dpkg-query -W -f='${Status}' postfix 2>/dev/null | grep -q "install ok installed"; then
        echo "deps: another mail transport is installed; not installing postfix (its delivery test will skip)" >&2
        missing=$(echo "$missing" | sed 's/ postfix\b//')
    elif [ "$(id -u)" -eq 0 ]; then
        echo "postfix postfix/main_mailer_type select No configuration" | debconf-set-selections
    fi
    ;;
esac
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
