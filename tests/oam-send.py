# Copyright (c) 2026 The l2mt authors.
# Licensed under the Apache License, Version 2.0.
#
# oam-send.py SRC_MAC KIND COUNT: sends COUNT frames from SRC_MAC to the
# service (02:00:00:00:00:64, 192.168.0.10 -> 192.168.0.100) on eth0, as a
# tenant would, for tests/oam-probe.sh (run in the tenant's namespace).
# KIND: "probe" (UDP 1 -> 9, the probe's port), "udp" (UDP 1000 -> 80),
# "timestamp" (an ICMP timestamp request, which RFC 7915 does not
# translate).
import socket
import struct
import sys


def csum(b):
    if len(b) % 2:
        b += b"\0"
    s = sum(struct.unpack("!%dH" % (len(b) // 2), b))
    while s >> 16:
        s = (s & 0xffff) + (s >> 16)
    return ~s & 0xffff


def udp(src, dst, sport, dport, payload):
    u = struct.pack("!HHHH", sport, dport, 8 + len(payload), 0) + payload
    c = csum(src + dst + struct.pack("!BBH", 0, 17, len(u)) + u)
    return u[:6] + struct.pack("!H", c or 0xffff) + u[8:]


def timestamp():
    i = struct.pack("!BBHHHIII", 13, 0, 0, 7, 1, 0, 0, 0)
    return i[:2] + struct.pack("!H", csum(i)) + i[4:]


mac, kind, count = sys.argv[1], sys.argv[2], int(sys.argv[3])
src = socket.inet_aton("192.168.0.10")
dst = socket.inet_aton("192.168.0.100")
if kind == "probe":
    proto, l4 = 17, udp(src, dst, 1, 9, b"forged probe")
elif kind == "udp":
    proto, l4 = 17, udp(src, dst, 1000, 80, b"ping")
elif kind == "timestamp":
    proto, l4 = 1, timestamp()
else:
    sys.exit("oam-send.py: unknown kind %s" % kind)
ip = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + len(l4), 1, 0, 64, proto, 0,
                 src, dst)
ip = ip[:10] + struct.pack("!H", csum(ip)) + ip[12:]
eth = (bytes.fromhex("020000000064") + bytes.fromhex(mac.replace(":", ""))
       + b"\x08\x00")
s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW)
s.bind(("eth0", 0))
for _ in range(min(count, 100)):
    s.send(eth + ip + l4)
