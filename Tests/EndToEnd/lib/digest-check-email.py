#!/usr/bin/env python3
"""Checks kamwatch digest files as a mail client would read them.

Usage: digest-check-email.py MANIFEST [HTML_OUT_DIR]
MANIFEST has one line per digest: path TAB the subject kamwatch meant to write.
Each file must parse without defects as multipart/alternative with a text/plain and a
text/html part (UTF-8, decodable), carry From, To, Date and Message-ID, use CRLF line
endings only, keep every line within 998 octets (quoted-printable lines within 76),
and its decoded Subject must equal the manifest's. With HTML_OUT_DIR, each HTML part
is saved there as <file name>.html for rendering checks.
"""
import email
import email.policy
import email.utils
import os
import sys


def check(path, subject, html_dir):
    problems = []
    data = open(path, "rb").read()
    if b"\n" in data.replace(b"\r\n", b""):
        problems.append("a line ends in LF without CR")
    if b"\r" in data.replace(b"\r\n", b""):
        problems.append("a stray CR")
    if any(b >= 0x80 for b in data):
        problems.append("non-ASCII octets in the raw message")
    for n, line in enumerate(data.split(b"\r\n"), 1):
        if len(line) > 998:
            problems.append(f"line {n} is {len(line)} octets (limit 998)")
    msg = email.message_from_bytes(data, policy=email.policy.default)
    if msg.defects:
        problems.append(f"message defects: {msg.defects}")
    for name in ("From", "To", "Date", "Message-ID", "Subject", "MIME-Version"):
        if msg[name] is None:
            problems.append(f"missing {name}")
    if msg["Date"] is not None and email.utils.parsedate_to_datetime(str(msg["Date"])) is None:
        problems.append(f"Date does not parse: {msg['Date']}")
    mid = str(msg["Message-ID"] or "")
    if not (mid.startswith("<") and mid.endswith(">") and "@" in mid):
        problems.append(f"Message-ID is not <id@domain>: {mid}")
    if str(msg["Subject"]) != subject:
        problems.append(f"subject {str(msg['Subject'])!r} != expected {subject!r}")
    if msg.get_content_type() != "multipart/alternative":
        problems.append(f"top-level type is {msg.get_content_type()}")
    parts = {}
    for part in msg.iter_parts() if msg.is_multipart() else []:
        if part.defects:
            problems.append(f"{part.get_content_type()} defects: {part.defects}")
        if part.get_content_charset() != "utf-8":
            problems.append(f"{part.get_content_type()} charset is {part.get_content_charset()}")
        cte = part.get("Content-Transfer-Encoding", "")
        if cte == "quoted-printable":
            raw = part.get_payload(decode=False)
            for n, line in enumerate(raw.split("\r\n" if "\r\n" in raw else "\n"), 1):
                if len(line) > 76:
                    problems.append(f"{part.get_content_type()} QP line {n} is {len(line)} chars (limit 76)")
        try:
            parts[part.get_content_type()] = part.get_payload(decode=True).decode("utf-8")
        except UnicodeDecodeError as e:
            problems.append(f"{part.get_content_type()} is not UTF-8: {e}")
    for needed in ("text/plain", "text/html"):
        if not parts.get(needed, "").strip():
            problems.append(f"no {needed} part, or it is empty")
    html = parts.get("text/html", "")
    if "<script" in html.lower():
        problems.append("the HTML part has a script")
    for ref in ("src=", "href=\"http", "url(", "@import"):
        if ref in html:
            problems.append(f"the HTML part refers outside itself ({ref})")
    if html_dir and html:
        with open(os.path.join(html_dir, os.path.basename(path) + ".html"), "w", encoding="utf-8") as f:
            f.write(html)
    return problems


def main():
    manifest = sys.argv[1]
    html_dir = sys.argv[2] if len(sys.argv) > 2 else None
    failed = 0
    count = 0
    for line in open(manifest, encoding="utf-8"):
        if not line.strip():
            continue
        path, subject = line.rstrip("\n").split("\t", 1)
        count += 1
        problems = check(path, subject, html_dir)
        if problems:
            failed += 1
            print(f"FAIL {path}")
            for p in problems:
                print(f"  - {p}")
        else:
            print(f"ok   {os.path.basename(path)}: {subject}")
    if count == 0:
        print(f"FAIL no digests listed in {manifest}")
        return 1
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
