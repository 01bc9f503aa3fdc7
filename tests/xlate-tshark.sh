#!/bin/sh
# Copyright (c) 2026 The l2mt authors.
# Licensed under the Apache License, Version 2.0.
#
# Translates the sample capture 4toll6 and back ll6to4 and lets tshark,
# an implementation independent of l2mt, decode every frame and validate
# every checksum.  Expected values come from RFC 7915 and l2mt's ARP <-> NDP
# rules, frame by frame (see tools/gen-tenant-pcap for the frames).
#
# Checksum status columns: 1 good, 0 bad, 2 not verified (a frame cut by
# the snapshot length), "-" absent.  tshark also checks the UDP checksum of
# the datagram quoted in an ICMP error (frame 9).

. "$top_srcdir/tests/xlate-lib.sh"
need_tshark

v6=$tmp/v6.pcap
v4=$tmp/v4.pcap
# --keep-dropped keeps frame numbers: frame N of each file is frame N of
# the sample.  --mtu6=1528 keeps the two 1500-byte IPv4 fragments (DF=0,
# 1528 bytes as IPv6) whole for these frame-by-frame tables; the run with
# the default fragment size, 1280, is checked at the end.
"$xlate" --keep-dropped --mtu6=1528 4toll6 "$sample" "$v6" \
    > "$tmp/counts6" || fail "4toll6 failed"
"$xlate" --keep-dropped ll6to4 "$v6" "$v4" > "$tmp/counts4" ||
    fail "ll6to4 failed"

# IPv6 headers: addresses fe80::a.b.c.d, next header 58 for ICMP and 44
# for fragments, hop limit = TTL, traffic class = TOS.  Frames 19-24 are
# untouched: a short capture record, LLDP, the client's own IPv6, and the
# malformed IPv4 frames (dropped, kept by --keep-dropped).
check_table "4toll6 IPv6 headers" "$v6" "" frame.number eth.dst eth.type \
    ipv6.src ipv6.dst ipv6.nxt ipv6.hlim ipv6.tclass ipv6.plen <<'TABLE'
 1 33:33:ff:a8:00:01 0x86dd fe80::c0a8:a ff02::1:ffa8:1 58 255 0x00000000 32
 2 02:00:00:00:00:0a 0x86dd fe80::c0a8:1 fe80::c0a8:a   58 255 0x00000000 32
 3 33:33:00:00:00:01 0x86dd fe80::c0a8:a ff02::1        58 255 0x00000000 32
 4 02:00:00:00:00:01 0x86dd fe80::c0a8:a fe80::c0a8:1   58 64  0x00000000 64
 5 02:00:00:00:00:0a 0x86dd fe80::c0a8:1 fe80::c0a8:a   58 64  0x00000000 64
 6 02:00:00:00:00:01 0x86dd fe80::c0a8:a fe80::c0a8:1   17 64  0x00000000 33
 7 02:00:00:00:00:0a 0x86dd fe80::c0a8:1 fe80::c0a8:a   17 64  0x00000010 20
 8 02:00:00:00:00:01 0x86dd fe80::c0a8:a fe80::c0a8:1   17 64  0x00000000 25
 # Port unreachable quoting the datagram of frame 8, translated too.
 9 02:00:00:00:00:0a 0x86dd fe80::c0a8:1,fe80::c0a8:a fe80::c0a8:a,fe80::c0a8:1 58,17 64,64 0x000000c0,0x00000000 73,25
10 02:00:00:00:00:01 0x86dd fe80::c0a8:a fe80::c0a8:1   17 64  0x00000000 24
11 02:00:00:00:00:01 0x86dd fe80::c0a8:a fe80::c0a8:1   6  64  0x00000000 40
12 02:00:00:00:00:0a 0x86dd fe80::c0a8:1 fe80::c0a8:a   6  64  0x00000000 40
13 02:00:00:00:00:01 0x86dd fe80::c0a8:a fe80::c0a8:1   6  64  0x00000000 20
14 02:00:00:00:00:01 0x86dd fe80::c0a8:a fe80::c0a8:1   6  64  0x00000002 53
15 02:00:00:00:00:0a 0x86dd fe80::c0a8:1 fe80::c0a8:a   6  63  0x00000000 45
16 02:00:00:00:00:01 0x86dd fe80::c0a8:a fe80::c0a8:1   44 64  0x00000000 1488
17 02:00:00:00:00:01 0x86dd fe80::c0a8:a fe80::c0a8:1   44 64  0x00000000 1488
18 02:00:00:00:00:01 0x86dd fe80::c0a8:a fe80::c0a8:1   44 64  0x00000000 56
19 02:00:00:00:00:01 0x0800 - - - - - -
20 01:80:c2:00:00:0e 0x88cc - - - - - -
21 02:00:00:00:00:01 0x86dd fe80::ff:fe00:a fe80::c0a8:1 58 64 0x00000000 64
22 02:00:00:00:00:01 0x0800 - - - - - -
23 02:00:00:00:00:01 0x0800 - - - - - -
24 02:00:00:00:00:01 0x0800 - - - - - -
TABLE

# ICMPv6 types (RFC 7915 4.2: echo 8/0 -> 128/129, port unreachable 3/3 ->
# 1/4) and every checksum.  Frame 10 had UDP checksum 0: computed.  The
# bad frames stay bad: 23 is cut inside its ICMP message, 24 has a bad IPv4
# header checksum.
check_table "4toll6 ICMPv6 and checksums" "$v6" "" frame.number \
    icmpv6.type icmpv6.code icmpv6.checksum.status udp.checksum.status \
    tcp.checksum.status ip.checksum.status icmp.checksum.status <<'TABLE'
 1 135 0 1 - - - -
 2 136 0 1 - - - -
 3 136 0 1 - - - -
 4 128 0 1 - - - -
 5 129 0 1 - - - -
 6 -   - - 1 - - -
 7 -   - - 1 - - -
 8 -   - - 1 - - -
 9 1   4 1 1 - - -
10 -   - - 1 - - -
11 -   - - - 1 - -
12 -   - - - 1 - -
13 -   - - - 1 - -
14 -   - - - 1 - -
15 -   - - - 1 - -
16 -   - - - - - -
17 -   - - - - - -
18 -   - - 1 - - -
19 -   - - - 2 1 -
20 -   - - - - - -
21 128 0 1 - - - -
22 -   - - - - - -
23 -   - - - - 1 0
24 -   - - - - 0 1
TABLE

# ARP -> NDP: request -> NS for the target, from the sender, with its MAC
# in the source link-layer option; reply -> solicited NA (S and O) with
# the target link-layer option; gratuitous ARP -> unsolicited NA (O only)
# to ff02::1.  None from a router.
check_table "ARP -> NDP" "$v6" "frame.number <= 3" frame.number \
    icmpv6.nd.ns.target_address icmpv6.nd.na.target_address \
    icmpv6.opt.src_linkaddr icmpv6.opt.target_linkaddr \
    icmpv6.nd.na.flag.r icmpv6.nd.na.flag.s icmpv6.nd.na.flag.o <<'TABLE'
1 fe80::c0a8:1 - 02:00:00:00:00:0a - - - -
2 - fe80::c0a8:1 - 02:00:00:00:00:01 0 1 1
3 - fe80::c0a8:a - 02:00:00:00:00:0a 0 0 1
TABLE

# IPv4 fragments -> Fragment header: the ID, offset (8-byte units) and
# MF flag carried over; tshark reassembles the datagram and checks its UDP
# checksum (frame 18 above).
check_table "fragments" "$v6" "ipv6.fraghdr" frame.number \
    ipv6.fraghdr.nxt ipv6.fraghdr.ident ipv6.fraghdr.offset \
    ipv6.fraghdr.more <<'TABLE'
16 17 0x00001008 0   1
17 17 0x00001008 185 1
18 17 0x00001008 370 0
TABLE

# And back: IPv4 headers, every checksum good, TTL and TOS as in the sample.
check_table "ll6to4 IPv4" "$v4" "frame.number <= 18" frame.number \
    eth.type ip.src ip.dst ip.proto ip.ttl ip.dsfield ip.checksum.status \
    icmp.type icmp.code icmp.checksum.status udp.checksum.status \
    tcp.checksum.status <<'TABLE'
 1 0x0806 -            -            -  -  -    - - - - - -
 2 0x0806 -            -            -  -  -    - - - - - -
 3 0x0806 -            -            -  -  -    - - - - - -
 4 0x0800 192.168.0.10 192.168.0.1  1  64 0x00 1 8 0 1 - -
 5 0x0800 192.168.0.1  192.168.0.10 1  64 0x00 1 0 0 1 - -
 6 0x0800 192.168.0.10 192.168.0.1  17 64 0x00 1 - - - 1 -
 7 0x0800 192.168.0.1  192.168.0.10 17 64 0x10 1 - - - 1 -
 8 0x0800 192.168.0.10 192.168.0.1  17 64 0x00 1 - - - 1 -
 9 0x0800 192.168.0.1,192.168.0.10 192.168.0.10,192.168.0.1 1,17 64,64 0xc0,0x00 1,1 3 3 1 1 -
10 0x0800 192.168.0.10 192.168.0.1  17 64 0x00 1 - - - 1 -
11 0x0800 192.168.0.10 192.168.0.1  6  64 0x00 1 - - - - 1
12 0x0800 192.168.0.1  192.168.0.10 6  64 0x00 1 - - - - 1
13 0x0800 192.168.0.10 192.168.0.1  6  64 0x00 1 - - - - 1
14 0x0800 192.168.0.10 192.168.0.1  6  64 0x02 1 - - - - 1
15 0x0800 192.168.0.1  192.168.0.10 6  63 0x00 1 - - - - 1
16 0x0800 192.168.0.10 192.168.0.1  17 64 0x00 1 - - - - -
17 0x0800 192.168.0.10 192.168.0.1  17 64 0x00 1 - - - - -
18 0x0800 192.168.0.10 192.168.0.1  17 64 0x00 1 - - - 1 -
TABLE

# NDP -> ARP: request from the NS (broadcast, target MAC unknown), reply
# from the solicited NA, gratuitous ARP from the unsolicited NA.
check_table "NDP -> ARP" "$v4" "arp" frame.number eth.dst arp.opcode \
    arp.src.hw_mac arp.src.proto_ipv4 arp.dst.hw_mac arp.dst.proto_ipv4 \
    <<'TABLE'
1 ff:ff:ff:ff:ff:ff 1 02:00:00:00:00:0a 192.168.0.10 00:00:00:00:00:00 192.168.0.1
2 02:00:00:00:00:0a 2 02:00:00:00:00:01 192.168.0.1  02:00:00:00:00:0a 192.168.0.10
3 ff:ff:ff:ff:ff:ff 1 02:00:00:00:00:0a 192.168.0.10 00:00:00:00:00:00 192.168.0.10
TABLE

# RFC 7915 4 and 4.1, with the default fragment size: the IPv4 fragments
# of frames 16 and 17 (DF=0, 1480 bytes of data each, offsets 0 and 185)
# are 1528 bytes as IPv6, so each goes as two IPv6 fragments of at most
# 1280 bytes: 1232 bytes (a multiple of 8) then 248, offsets counted from
# the IPv4 fragment's own, M=1 (the datagram goes on), the IPv4 ID in the
# Fragment header.  Frame 18 (56 bytes) goes whole; the output is 2 frames
# longer.  tshark reassembles the 3008-byte datagram from the 5 fragments,
# both as IPv6 and back as IPv4 (RFC 7915 5.1.1: 5 IPv4 fragments).
"$xlate" --keep-dropped 4toll6 "$sample" "$tmp/f6.pcap" > /dev/null &&
"$xlate" --keep-dropped ll6to4 "$tmp/f6.pcap" "$tmp/f4.pcap" > /dev/null ||
    fail "4toll6 and back at 1280 failed"
check_table "DF=0 cut at 1280" "$tmp/f6.pcap" "ipv6.fraghdr" frame.number \
    frame.len ipv6.plen ipv6.fraghdr.nxt ipv6.fraghdr.ident \
    ipv6.fraghdr.offset ipv6.fraghdr.more ipv6.reassembled.length <<'TABLE'
16 1294 1240 17 0x00001008 0   1 -
17 310  256  17 0x00001008 154 1 -
18 1294 1240 17 0x00001008 185 1 -
19 310  256  17 0x00001008 339 1 -
20 110  56   17 0x00001008 370 0 3008
TABLE
check_table "DF=0 cut at 1280, back to IPv4" "$tmp/f4.pcap" \
    "frame.number >= 16 && frame.number <= 20" frame.number ip.len ip.id \
    ip.flags.df ip.flags.mf ip.frag_offset ip.checksum.status \
    ip.reassembled.length <<'TABLE'
16 1252 0x1008 0 1 0   1 -
17 268  0x1008 0 1 154 1 -
18 1252 0x1008 0 1 185 1 -
19 268  0x1008 0 1 339 1 -
20 68   0x1008 0 0 370 1 3008
TABLE

# Another RFC 6052 prefix: the addresses change, nothing else.
"$xlate" -q --prefix=2001:db8:64::/96 4toll6 "$sample" "$tmp/nsp.pcap" ||
    fail "4toll6 with 2001:db8:64::/96 failed"
check_table "2001:db8:64::/96" "$tmp/nsp.pcap" "frame.number <= 4" \
    frame.number eth.dst ipv6.src ipv6.dst icmpv6.nd.ns.target_address \
    icmpv6.checksum.status <<'TABLE'
1 33:33:ff:a8:00:01 2001:db8:64::c0a8:a ff02::1:ffa8:1 2001:db8:64::c0a8:1 1
2 02:00:00:00:00:0a 2001:db8:64::c0a8:1 2001:db8:64::c0a8:a - 1
3 33:33:00:00:00:01 2001:db8:64::c0a8:a ff02::1 - 1
4 02:00:00:00:00:01 2001:db8:64::c0a8:a 2001:db8:64::c0a8:1 - 1
TABLE

finish
