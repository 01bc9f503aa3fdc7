#! /usr/bin/env python3
# Copyright (c) 2026 The l2mt authors.
# Licensed under the Apache License, Version 2.0.
#
# ovs-nat64-cmp.py ACTUAL EXPECTED
#
# Compares frames, one a line in hex (as ovs-pcap prints them), byte for
# byte.  An 'x' in EXPECTED matches any hex digit: only the IPv4
# identification a translator picks and the header checksum that covers it
# are left open that way, and every IPv4 header checksum in ACTUAL must then
# be valid.  Prints what differs; exits 0 if all frames match.

import sys


def lines(path):
    with open(path) as f:
        return [line.strip() for line in f if line.strip()]


def ipv4_header_ok(frame):
    if frame[12:14] != b"\x08\x00" or len(frame) < 34:
        return True
    ihl = (frame[14] & 0x0F) * 4
    total = 0
    for i in range(14, 14 + ihl, 2):
        total += int.from_bytes(frame[i:i + 2], "big")
    while total >> 16:
        total = (total & 0xFFFF) + (total >> 16)
    return total == 0xFFFF


def main():
    actual, expected = lines(sys.argv[1]), lines(sys.argv[2])
    ok = True
    if len(actual) != len(expected):
        print("expected %d frames, got %d" % (len(expected), len(actual)))
        ok = False
    for n, (a, e) in enumerate(zip(actual, expected), 1):
        if len(a) != len(e) or any(x not in ("x", y) for x, y in zip(e, a)):
            print("frame %d differs:\n  expected %s\n  actual   %s" % (n, e, a))
            ok = False
        elif not ipv4_header_ok(bytes.fromhex(a)):
            print("frame %d: bad IPv4 header checksum: %s" % (n, a))
            ok = False
    for n, a in enumerate(actual[len(expected):], len(expected) + 1):
        print("extra frame %d: %s" % (n, a))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
