#!/usr/bin/env python3
"""Decodes a PNG screenshot with zlib alone and reports how much of it is not blank.

Usage: digest-png-ink.py FILE.png MIN_INK_PERCENT
Prints the size, the share of "ink" pixels (any channel below 200), and how many pixels
are close to each severity colour of the digest; exits 1 when the page looks blank.
"""
import struct
import sys
import zlib


def decode(path):
    data = open(path, "rb").read()
    if data[:8] != b"\x89PNG\r\n\x1a\n":
        raise SystemExit(f"{path}: not a PNG file")
    pos, idat, width = 8, b"", None
    while pos < len(data):
        length, kind = struct.unpack(">I4s", data[pos:pos + 8])
        body = data[pos + 8:pos + 8 + length]
        if kind == b"IHDR":
            width, height, depth, color, _, _, interlace = struct.unpack(">IIBBBBB", body)
            if depth != 8 or color not in (2, 6) or interlace:
                raise SystemExit(f"{path}: unsupported PNG (depth {depth}, colour type {color}, interlace {interlace})")
            bpp = 4 if color == 6 else 3
        elif kind == b"IDAT":
            idat += body
        pos += 12 + length
    raw = zlib.decompress(idat)
    stride = width * bpp
    rows, prev = [], bytearray(stride)
    for y in range(height):
        f = raw[y * (stride + 1)]
        line = bytearray(raw[y * (stride + 1) + 1:(y + 1) * (stride + 1)])
        if f == 1:
            for i in range(bpp, stride):
                line[i] = (line[i] + line[i - bpp]) & 0xFF
        elif f == 2:
            line = bytearray((a + b) & 0xFF for a, b in zip(line, prev))
        elif f == 3:
            for i in range(stride):
                left = line[i - bpp] if i >= bpp else 0
                line[i] = (line[i] + ((left + prev[i]) >> 1)) & 0xFF
        elif f == 4:
            for i in range(stride):
                a = line[i - bpp] if i >= bpp else 0
                b = prev[i]
                c = prev[i - bpp] if i >= bpp else 0
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                pred = a if pa <= pb and pa <= pc else (b if pb <= pc else c)
                line[i] = (line[i] + pred) & 0xFF
        rows.append(line)
        prev = line
    return width, height, bpp, rows


def main():
    path, minimum = sys.argv[1], float(sys.argv[2])
    width, height, bpp, rows = decode(path)
    ink = 0
    near = {"critical #b42318": (0xB4, 0x23, 0x18), "warning #b45309": (0xB4, 0x53, 0x09), "resolved #1a7f37": (0x1A, 0x7F, 0x37)}
    hits = dict.fromkeys(near, 0)
    for line in rows:
        for x in range(0, width * bpp, bpp):
            r, g, b = line[x], line[x + 1], line[x + 2]
            if r < 200 or g < 200 or b < 200:
                ink += 1
                for name, (cr, cg, cb) in near.items():
                    if abs(r - cr) + abs(g - cg) + abs(b - cb) < 30:
                        hits[name] += 1
    share = 100.0 * ink / (width * height)
    print(f"{path}: {width}x{height}, {share:.1f}% ink; " + ", ".join(f"{k}: {v} px" for k, v in hits.items()))
    if share < minimum:
        print(f"FAIL: less than {minimum}% of the page has ink; the rendering looks blank")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
