#!/bin/sh
# The Debian package under a real systemd (lib/systemd-pid1.sh: /etc, /usr, /var and /srv are
# overlays, so the host's dpkg database and files do not change): `make deb` (reuses the
# release binary when there is one; lintian must report no error), then in the namespace
# `dpkg -i`: user kamwatch, the outbox, the catalog, kamwatch.service enabled and running
# (READY=1: Type=notify is active only then), the digest timer enabled and a digest written
# by the installed binary; `apt-get remove`: the service stops, config and state stay;
# `apt-get purge`: config, state and outbox go.
# Usage: test-deb.sh <kamwatch binary> (not used: the package carries the release binary).
# Needs root, dpkg-buildpackage, debhelper and lintian.
set -u
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
. "$here/lib/harness.sh"

[ "$(id -u)" -eq 0 ] || skip "needs root to boot systemd in a namespace"
for tool in dpkg-buildpackage dh lintian; do
    command -v "$tool" >/dev/null 2>&1 || skip "$tool is not installed (Debian packages dpkg-dev, debhelper, lintian)"
done
make_tmpdir work deb
# The release build is the costly part (minutes on a busy machine): bounded, as every wait is.
if (cd "$root" && timeout "${KAMWATCH_DEB_TIMEOUT:-2400}" make --no-print-directory deb) >"$work/deb.log" 2>&1; then
    ok "make deb: $(grep -m1 '^deb: \|build -c release' "$work/deb.log")"
else
    grep -E '^(E|W):|error|Error' "$work/deb.log" | head -20
    fail "make deb (or its lintian check) failed"
fi
deb=$(ls "$root"/.build/deb/kamwatch_*_amd64.deb 2>/dev/null | head -1)
[ -n "$deb" ] || fail "no .build/deb/kamwatch_<version>_amd64.deb"
errors=$(grep -c '^E: ' "$work/deb.log")
[ "$errors" -eq 0 ] && ok "lintian: no errors; warnings: $(grep '^W: ' "$work/deb.log" | tr '\n' ' ')" || bad "lintian: $errors error(s)"
dpkg -c "$deb" >"$work/contents" || bad "dpkg -c cannot list the package"
for f in usr/share/man/man1/kamwatch.1.gz usr/share/man/man5/kamwatch.yaml.5.gz lib/systemd/system/kamwatch-deliver.service \
    usr/lib/sysusers.d/kamwatch.conf usr/lib/tmpfiles.d/kamwatch.conf usr/share/doc/kamwatch/digest.md; do
    grep -q " \./$f\$" "$work/contents" || bad "the package lacks /$f"
done
# What the namespace needs from this side, the package and the example exports, goes through
# a directory both sides see, made before the boot: /tmp is private in the namespace, and the
# tree itself may lie under /tmp (a clean clone in CI), where the namespace cannot read it.
stage=$(mktemp -d /var/lib/kamwatch-e2e-deb.XXXXXX) || fail "cannot make a staging directory"
at_exit "rm -rf '$stage'"
mkdir -p "$stage/data"
cp "$deb" "$stage/" && cp "$root"/examples/*.csv "$stage/data/" || fail "cannot stage the package and the examples"
pkg=$stage/$(basename "$deb")

. "$here/lib/systemd-pid1.sh"
at_exit pid1_poweroff
pid1_boot || fail "cannot boot systemd in a namespace"
pid1_wait_running 60 || fail "systemd did not finish booting"
ns() { timeout 180 nsenter -t "$PID1_PID" -m -p -u -i "$@"; }
report() {
    pid1_run systemctl status --no-pager "$1" | sed 's/^/    /'
    pid1_run journalctl --no-pager -n 30 -u "$1" | sed 's/^/    /'
}
# A container's policy-rc.d forbids starting services from maintainer scripts; this machine
# stands for a real one (the namespace's /usr only).
pid1_run rm -f /usr/sbin/policy-rc.d
pid1_run sh -c "mkdir -p /srv/kamwatch/data && cp '$stage'/data/*.csv /srv/kamwatch/data/" ||
    fail "cannot fill the namespace's data directory from $stage/data"
pid1_run test -f /srv/kamwatch/data/accounts.csv || fail "no accounts.csv in the namespace's data directory"

# Install.
if ns env DEBIAN_FRONTEND=noninteractive dpkg -i "$pkg" >"$work/install.log" 2>&1; then
    ok "dpkg -i $(basename "$pkg")"
else
    sed 's/^/    /' "$work/install.log"
    fail "dpkg -i failed"
fi
pid1_run getent passwd kamwatch >/dev/null && ok "user kamwatch exists" || bad "no user kamwatch"
[ "$(pid1_run stat -c '%a %U:%G' /var/spool/kamwatch/outbox)" = "2770 kamwatch:kamwatch" ] &&
    ok "the outbox exists (2770 kamwatch:kamwatch)" || bad "outbox: $(pid1_run stat -c '%a %U:%G' /var/spool/kamwatch/outbox 2>&1)"
pid1_run dpkg-query -W -f='${Conffiles}\n' kamwatch | grep -q '/etc/kamwatch/kamwatch.yaml' &&
    ok "/etc/kamwatch/kamwatch.yaml is a conffile" || bad "the config is not a conffile"
pid1_run journalctl --list-catalog 2>/dev/null | grep -qi kamwatch && ok "the journal catalog knows kamwatch's messages" ||
    bad "the catalog was not updated"
ready() { [ "$(pid1_run systemctl show -p ActiveState --value kamwatch.service)" = active ]; }
if wait_for 120 ready; then
    ok "kamwatch.service started by the package is active (READY=1): $(pid1_run systemctl show -p StatusText --value kamwatch.service)"
else
    report kamwatch.service
    bad "kamwatch.service is not active after dpkg -i"
fi
pid1_run systemctl show -p StatusText --value kamwatch.service | grep -q 'watching [1-9][0-9]* accounts' &&
    ok "the installed daemon reads the example exports in /srv/kamwatch/data" ||
    bad "the installed daemon watches no account: $(pid1_run systemctl show -p StatusText --value kamwatch.service)"
[ "$(pid1_run systemctl is-enabled kamwatch.service)" = enabled ] && [ "$(pid1_run systemctl is-enabled kamwatch-digest.timer)" = enabled ] &&
    ok "kamwatch.service and kamwatch-digest.timer are enabled" || bad "units not enabled"
if ns systemctl start kamwatch-digest.service; then
    n=$(pid1_run sh -c 'ls /var/spool/kamwatch/outbox/digests/*/*.eml 2>/dev/null' | wc -l)
    [ "$n" -gt 0 ] && ok "the installed kamwatch-digest.service wrote $n digest(s) (templates found beside /usr/lib/kamwatch/kamwatch)" ||
        bad "the installed digest unit wrote nothing"
else
    report kamwatch-digest.service
    bad "kamwatch-digest.service failed"
fi

# Remove: stops, keeps config and state.
if ns env DEBIAN_FRONTEND=noninteractive apt-get remove -y kamwatch >"$work/remove.log" 2>&1; then
    ok "apt-get remove kamwatch"
else
    sed 's/^/    /' "$work/remove.log"
    bad "apt-get remove failed"
fi
[ "$(pid1_run systemctl show -p ActiveState --value kamwatch.service)" != active ] && ok "kamwatch.service stopped" ||
    bad "kamwatch.service still runs after remove"
pid1_run test ! -e /usr/bin/kamwatch && ok "the program is gone" || bad "/usr/bin/kamwatch is still there"
pid1_run test -f /etc/kamwatch/kamwatch.yaml && pid1_run test -f /var/lib/kamwatch/kamwatch.sqlite &&
    ok "config and state are kept" || bad "remove deleted config or state"

# Purge: config, state and outbox go; the data directory (the CRM's exports) stays.
if ns env DEBIAN_FRONTEND=noninteractive apt-get purge -y kamwatch >"$work/purge.log" 2>&1; then
    ok "apt-get purge kamwatch"
else
    sed 's/^/    /' "$work/purge.log"
    bad "apt-get purge failed"
fi
for d in /etc/kamwatch /var/lib/kamwatch /var/spool/kamwatch; do
    pid1_run test ! -e "$d" && ok "purge removed $d" || bad "$d is still there after purge"
done
pid1_run test -f /srv/kamwatch/data/accounts.csv && ok "the data directory is kept" || bad "purge removed the data"
pid1_run dpkg-query -W -f='${Status}' kamwatch 2>/dev/null | grep -q installed && bad "dpkg still lists kamwatch"

pid1_poweroff
finish "the Debian package: install, start, remove, purge"
