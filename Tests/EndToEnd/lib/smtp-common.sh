# shellcheck shell=sh
# A real SMTP server on 127.0.0.1 for the delivery tests (lib/smtp-sink.py, Python's aiosmtpd),
# and msmtp set up as msmtp-mta sets it up. POSIX sh; source lib/harness.sh first.
#
#   smtp_python              makes aiosmtpd importable: already installed, else installed from
#                            PyPI into .e2e/pylib (pip --target); sets SMTP_PY; skips without it
#   smtp_start DIR [PORT]    starts the server, messages into DIR (NNNN.eml, NNNN.env with the
#                            envelope); a free port unless PORT; sets SMTP_PORT and SMTP_PID
#   smtp_stop                stops it (by PID)
#   smtp_count DIR           how many messages DIR holds
#   msmtp_setup DIR          DIR/sbin/sendmail -> msmtp (the link msmtp-mta installs as
#                            /usr/sbin/sendmail) and DIR/msmtprc for 127.0.0.1:$SMTP_PORT

SMTP_PY=
SMTP_PID=
SMTP_PORT=

smtp_python() {
    SMTP_PY=python3
    # Where it is installed (a --user install depends on HOME): fixed for the rest of the test.
    _site=$("$SMTP_PY" -c 'import aiosmtpd, os; print(os.path.dirname(os.path.dirname(aiosmtpd.__file__)))' 2>/dev/null)
    if [ -n "$_site" ]; then
        export PYTHONPATH="$_site${PYTHONPATH:+:$PYTHONPATH}"
        return 0
    fi
    _lib=$SMTP_ROOT/.e2e/pylib
    if ! PYTHONPATH=$_lib "$SMTP_PY" -c 'import aiosmtpd' 2>/dev/null; then
        "$SMTP_PY" -m pip install --quiet --disable-pip-version-check --target "$_lib" aiosmtpd >/dev/null 2>&1 ||
            skip "cannot install aiosmtpd from PyPI (python3 -m pip install --target $_lib aiosmtpd)"
    fi
    export PYTHONPATH="$_lib${PYTHONPATH:+:$PYTHONPATH}"
    "$SMTP_PY" -c 'import aiosmtpd' 2>/dev/null || skip "aiosmtpd does not import"
}

smtp_start() {
    SMTP_PORT=${2:-$("$SMTP_PY" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')}
    rm -f "$1/ready"
    "$SMTP_PY" "$SMTP_LIB/smtp-sink.py" "$SMTP_PORT" "$1" >>"$1/sink.log" 2>&1 &
    SMTP_PID=$!
    track_pid "$SMTP_PID"
    wait_for 15 test -e "$1/ready" || { cat "$1/sink.log"; fail "the SMTP server did not start on port $SMTP_PORT"; }
}

smtp_stop() {
    [ -n "$SMTP_PID" ] && stop_pid "$SMTP_PID"
    SMTP_PID=
}

smtp_count() { find "$1" -name '*.eml' | wc -l; }

msmtp_setup() {
    mkdir -p "$1/sbin"
    ln -sf "$(command -v msmtp)" "$1/sbin/sendmail"
    cat >"$1/msmtprc" <<RC
defaults
auth off
tls off
syslog off
account default
host 127.0.0.1
port $SMTP_PORT
from kamwatch@example.com
RC
    chmod 0600 "$1/msmtprc"
}

SMTP_LIB=$(cd "$(dirname "$0")" && pwd)/lib
SMTP_ROOT=$(cd "$SMTP_LIB/../../.." && pwd)
