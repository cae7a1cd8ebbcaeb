# shellcheck shell=sh
# Boots a real systemd as PID 1 of a throwaway PID + mount namespace, for end-to-end tests.
#
# Source it (POSIX sh), as root, after lib/harness.sh:
#     . "$here/lib/harness.sh"
#     . "$here/lib/systemd-pid1.sh"
#     at_exit pid1_poweroff
#     pid1_boot || fail "cannot boot systemd in a namespace"
#     pid1_wait_running 60 || fail "systemd did not finish booting"
#     pid1_run systemctl start kamwatch.service
#
# Inside the namespace /tmp, /var/tmp and /run are fresh tmpfs, and /etc, /usr, /var and
# /srv are overlays whose upper layers live in that /run: installing units, users, config
# and data there changes nothing on the host, and it all vanishes at power-off. The rest of
# the filesystem (the repository, /opt) is shared read-write.
# systemd runs with container=kamwatch-test (so it skips hardware and kernel set-up) and
# boots kamwatch-test.target (journald only). Units that would touch the shared kernel or
# /dev (udev, sysctl, binfmt, modules, static /dev nodes, the system-wide tmpfiles run,
# timesync, gettys, timers, the host's own services) are masked.
#
# Functions:
#   pid1_boot            starts `unshare … systemd --system`; sets PID1_UNSHARE_PID (unshare)
#                        and PID1_PID (systemd, as the host sees it). Returns 1 when it fails.
#   pid1_wait_running S  waits up to S seconds for `systemctl is-system-running` to say
#                        running or degraded; returns 1 and prints the state otherwise.
#   pid1_run CMD…        runs CMD inside the namespace (nsenter into its mount, PID, UTS and
#                        IPC namespaces), with its exit status.
#   pid1_poweroff        `systemctl poweroff` inside and waits for the namespace to end; kills
#                        the namespace's systemd (our child, by PID) only when it does not
#                        stop within 30 s. Safe to call twice.
#   pid1_stage ROOT BIN  makes the source tree ROOT and the binary BIN visible inside: when
#                        either lies under /tmp, /var/tmp or /run (private in the namespace),
#                        copies what `make install` needs (with the binary's resource bundles)
#                        to a directory under /var/lib, removed again by pid1_poweroff. Sets
#                        PID1_ROOT and PID1_BIN to the paths to use inside.
#   PID1_LOG             file with systemd's own console output (kept for failure reports).

PID1_UNSHARE_PID=
PID1_PID=
PID1_LOG=
PID1_ROOT=
PID1_BIN=
PID1_STAGE=
PID1_CGROUPS_BEFORE=
PID1_RUN_MOUNT_EXISTED=

# Runs as the namespace's first process, then becomes systemd.
PID1_INNER='
set -e
mount -t tmpfs -o mode=755 tmpfs /run
mount -t tmpfs -o mode=1777 tmpfs /tmp
mount -t tmpfs -o mode=1777 tmpfs /var/tmp
for d in etc usr var srv; do
    mkdir -p /run/kamwatch-test/$d/upper /run/kamwatch-test/$d/work
    mount -t overlay overlay -o lowerdir=/$d,upperdir=/run/kamwatch-test/$d/upper,workdir=/run/kamwatch-test/$d/work /$d
done
mount -t tmpfs -o mode=1777 tmpfs /var/tmp
# A journal of its own: the journal files of the host (the same machine id, maybe large,
# maybe being written by the journald of the host) stay out of this journald and journalctl.
mkdir -p /var/log/journal
mount -t tmpfs -o mode=2755 tmpfs /var/log/journal
mkdir -p /run/systemd/system
cat > /run/systemd/system/kamwatch-test.target <<EOT
[Unit]
Description=kamwatch end-to-end test boot
Wants=systemd-journald.socket systemd-journald.service
EOT
for u in \
    systemd-udevd.service systemd-udevd-control.socket systemd-udevd-kernel.socket \
    systemd-udev-trigger.service systemd-udev-settle.service systemd-hwdb-update.service \
    systemd-sysctl.service systemd-binfmt.service proc-sys-fs-binfmt_misc.automount \
    proc-sys-fs-binfmt_misc.mount systemd-modules-load.service kmod-static-nodes.service \
    systemd-tmpfiles-setup-dev.service systemd-tmpfiles-setup.service systemd-tmpfiles-clean.timer \
    systemd-timesyncd.service systemd-random-seed.service systemd-remount-fs.service \
    systemd-pstore.service systemd-firstboot.service systemd-machine-id-commit.service \
    ldconfig.service getty.target serial-getty@ttyS0.service console-getty.service \
    timers.target swap.target cryptsetup.target remote-fs.target e2scrub_reap.service \
    postgresql.service dbus.service dbus.socket systemd-logind.service modprobe@.service \
    sys-kernel-config.mount; do
    ln -sf /dev/null /run/systemd/system/$u
done
exec env container=kamwatch-test /lib/systemd/systemd --system --unit=kamwatch-test.target
'

pid1_boot() {
    if [ "$(id -u)" -ne 0 ]; then
        echo "pid1: booting systemd in a namespace needs root" >&2
        return 1
    fi
    PID1_CGROUPS_BEFORE=$(pid1_cgroup_leftovers)
    # unshare's libmount leaves an empty /run/mount on the host.
    PID1_RUN_MOUNT_EXISTED=no
    [ -e /run/mount ] && PID1_RUN_MOUNT_EXISTED=yes
    PID1_LOG=$(mktemp "${TMPDIR:-/tmp}/kamwatch-pid1.XXXXXX")
    unshare --pid --fork --mount --mount-proc --uts --ipc sh -c "$PID1_INNER" </dev/null >"$PID1_LOG" 2>&1 &
    PID1_UNSHARE_PID=$!
    if wait_for 10 pid1_started_or_ended; then
        pid1_started && return 0
        echo "pid1: the namespace ended at start:" >&2
        cat "$PID1_LOG" >&2
        PID1_UNSHARE_PID=
        return 1
    fi
    echo "pid1: systemd did not start within 10 s" >&2
    pid1_poweroff
    return 1
}

# True once the namespace's first process has become systemd (sets PID1_PID).
pid1_started() {
    PID1_PID=$(cat "/proc/$PID1_UNSHARE_PID/task/$PID1_UNSHARE_PID/children" 2>/dev/null | tr -d ' ')
    [ -n "$PID1_PID" ] && [ "$(readlink "/proc/$PID1_PID/exe" 2>/dev/null)" = "$(readlink -f /lib/systemd/systemd)" ]
}

pid1_started_or_ended() { pid1_started || gone "$PID1_UNSHARE_PID"; }

pid1_run() {
    nsenter -t "$PID1_PID" -m -p -u -i "$@"
}

pid1_wait_running() {
    PID1_STATE=
    wait_for "$1" pid1_booted && return 0
    echo "pid1: systemd did not finish booting within $1 s (state: ${PID1_STATE:-no answer})" >&2
    return 1
}

pid1_booted() {
    PID1_STATE=$(pid1_run systemctl is-system-running 2>/dev/null)
    case "$PID1_STATE" in
        running | degraded) return 0 ;;
    esac
    return 1
}

pid1_stage() {
    PID1_ROOT=$1
    PID1_BIN=$2
    case "$1/|$2" in
    /tmp/* | /var/tmp/* | /run/* | *"|/tmp/"* | *"|/var/tmp/"* | *"|/run/"*) ;;
    *) return 0 ;;
    esac
    PID1_STAGE=$(mktemp -d /var/lib/kamwatch-e2e-tree.XXXXXX) || return 1
    mkdir -p "$PID1_STAGE/tree" "$PID1_STAGE/bin"
    (cd "$1" && cp -R Makefile mk deploy rules examples docs README.md "$PID1_STAGE/tree/") || return 1
    cp "$2" "$PID1_STAGE/bin/kamwatch" || return 1
    for b in "$(dirname "$2")"/*.resources; do
        [ -d "$b" ] && cp -R "$b" "$PID1_STAGE/bin/"
    done
    PID1_ROOT=$PID1_STAGE/tree
    PID1_BIN=$PID1_STAGE/bin/kamwatch
    return 0
}

pid1_poweroff() {
    if [ -n "$PID1_STAGE" ] && [ -z "$PID1_UNSHARE_PID" ]; then
        rm -rf "$PID1_STAGE"
        PID1_STAGE=
    fi
    [ -n "$PID1_UNSHARE_PID" ] || return 0
    if [ -n "$PID1_PID" ] && kill -0 "$PID1_PID" 2>/dev/null; then
        pid1_run systemctl poweroff >/dev/null 2>&1
    fi
    if ! wait_for 30 gone "$PID1_UNSHARE_PID"; then
        echo "pid1: systemd did not power off within 30 s; killing it (pid $PID1_PID)" >&2
        [ -n "$PID1_PID" ] && kill -9 "$PID1_PID" 2>/dev/null
        sleep 0.5
        kill -9 "$PID1_UNSHARE_PID" 2>/dev/null
    fi
    wait "$PID1_UNSHARE_PID" 2>/dev/null
    pid1_remove_cgroup_leftovers
    [ "$PID1_RUN_MOUNT_EXISTED" = no ] && rmdir /run/mount 2>/dev/null
    [ -n "$PID1_LOG" ] && rm -f "$PID1_LOG"
    [ -n "$PID1_STAGE" ] && rm -rf "$PID1_STAGE"
    PID1_STAGE=
    PID1_UNSHARE_PID=
    PID1_PID=
    PID1_LOG=
    return 0
}

# Removes the cgroups the namespace's systemd made; true when none is left.
pid1_cgroups_removed() {
    left=
    for d in $(pid1_cgroup_leftovers); do
        case "
$PID1_CGROUPS_BEFORE
" in
            *"
$d
"*) ;;
            *)
                find "$d" -depth -type d -exec rmdir {} + 2>/dev/null
                [ -d "$d" ] && left=yes
                ;;
        esac
    done
    [ -z "$left" ]
}

# systemd leaves its (then empty) cgroups in the host's hierarchies; remove the ones it made.
pid1_cgroup_leftovers() {
    for d in /sys/fs/cgroup/*/init.scope /sys/fs/cgroup/*/system.slice /sys/fs/cgroup/init.scope /sys/fs/cgroup/system.slice; do
        [ -d "$d" ] && echo "$d"
    done
}

pid1_remove_cgroup_leftovers() {
    # The namespace's last processes may still be being reaped: retry for a few seconds.
    wait_for 3 pid1_cgroups_removed && return 0
    echo "pid1: could not remove the namespace's cgroups: $(pid1_cgroup_leftovers | tr '\n' ' ')" >&2
}
