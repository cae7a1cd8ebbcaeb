"""A real SMTP server on loopback for the delivery tests (aiosmtpd).

Usage: smtp-sink.py PORT DIR. Accepts every message; writes each to DIR/NNNN.eml (numbered on
from what DIR holds) and its
envelope (MAIL FROM, then one RCPT TO per line) to DIR/NNNN.env, then answers 250. Writes
DIR/ready once listening; runs until SIGTERM.
"""
import os
import signal
import sys
import threading

from aiosmtpd.controller import Controller


class Sink:
    def __init__(self, folder):
        self.folder = folder
        # Numbering goes on after a restart on the same folder.
        self.count = len([n for n in os.listdir(folder) if n.endswith(".eml")])
        self.lock = threading.Lock()

    async def handle_DATA(self, server, session, envelope):
        with self.lock:
            self.count += 1
            base = os.path.join(self.folder, f"{self.count:04d}")
        with open(base + ".eml.tmp", "wb") as f:
            f.write(envelope.original_content)
        with open(base + ".env", "w") as f:
            f.write(envelope.mail_from + "\n" + "".join(r + "\n" for r in envelope.rcpt_tos))
        os.rename(base + ".eml.tmp", base + ".eml")
        return "250 OK"


def main():
    port, folder = int(sys.argv[1]), sys.argv[2]
    controller = Controller(Sink(folder), hostname="127.0.0.1", port=port)
    controller.start()
    open(os.path.join(folder, "ready"), "w").close()
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    signal.signal(signal.SIGINT, lambda *_: stop.set())
    stop.wait()
    controller.stop()


if __name__ == "__main__":
    main()
