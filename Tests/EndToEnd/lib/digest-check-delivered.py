"""Checks that an SMTP server received each digest exactly once, for its recipients.

Usage: digest-check-delivered.py SINK_DIR DIGEST_FILE...
Every digest file's Message-ID arrives exactly once, its envelope recipients are the digest's
To: address, and nothing else arrived. Prints one line per digest; exits 1 on any mismatch.
"""
import email
import email.policy
import glob
import os
import sys

sink, files = sys.argv[1], sys.argv[2:]
received = {}
for path in sorted(glob.glob(os.path.join(sink, "*.eml"))):
    with open(path, "rb") as f:
        msg = email.message_from_binary_file(f, policy=email.policy.default)
    with open(path[: -len(".eml")] + ".env") as f:
        envelope = f.read().split("\n")
    received.setdefault(msg["Message-ID"], []).append((msg, [r for r in envelope[1:] if r]))

failures = 0
expected = set()
for path in files:
    with open(path, "rb") as f:
        digest = email.message_from_binary_file(f, policy=email.policy.default)
    mid, to = digest["Message-ID"], digest["To"].addresses[0].addr_spec
    expected.add(mid)
    got = received.get(mid, [])
    if len(got) != 1:
        print(f"FAIL: {os.path.basename(path)} ({mid}) received {len(got)} times")
        failures += 1
        continue
    msg, rcpts = got[0]
    if rcpts != [to]:
        print(f"FAIL: {os.path.basename(path)} went to {rcpts}, not [{to}]")
        failures += 1
    elif msg["Subject"] != digest["Subject"] or msg.get_body(("plain",)).get_content() != digest.get_body(
        ("plain",)
    ).get_content():
        print(f"FAIL: {os.path.basename(path)} arrived changed")
        failures += 1
    else:
        print(f"  received once, for {to}: {msg['Subject']}")
extra = set(received) - expected
if extra:
    print(f"FAIL: {len(extra)} message(s) arrived that are not among the digests: {sorted(extra)}")
    failures += 1
sys.exit(1 if failures else 0)
