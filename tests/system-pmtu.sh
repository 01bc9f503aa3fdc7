#!/bin/bash
# Copyright (c) 2026 The l2mt authors.
# Licensed under the Apache License, Version 2.0.
#
# Service-side path MTU (issue 11, item 7): a service namespace with two
# tenant links, va and vb, both fe80::c0a8:64, each peered with a tenant
# at fe80::c0a8:a.  Tenant B sends an ICMPv6 Packet Too Big (MTU 1300)
# quoting a datagram of a UDP service.  Linux applies it through the
# socket the quote matches; for a socket bound to no interface the route
# lookup has no oif and the exception lands on the first fe80::/64 route:
# va, tenant A's.  Checked:
# - positive control: a naive UDP socket ([::]:port) -> va gets mtu 1300,
#   vb nothing (the cross-tenant effect is there and this test sees it);
# - per-interface sockets (bound to fe80::c0a8:64%IF) -> vb only;
# - the shipped scope server (tests/scope-server --udp, IPV6_PMTUDISC_OMIT)
#   -> no route gets the MTU, from either tenant.
# The same Packet Too Big each time, only the socket differs.

. "${top_srcdir:-$(dirname "$0")/..}/tests/system-lib.sh"

srv=${top_builddir:-.}/tests/scope-server
py=/usr/bin/python3
dir=$TEST_DIR
namespaces=

require_netns
[ -x "$srv" ] || fail "$srv is not built"
[ -x "$py" ] || skip "no $py"

# rig: a fresh service namespace and two tenants (exceptions cannot be
# flushed reliably, so each case starts from scratch); va is made first,
# so its fe80::/64 route is the one a lookup without interface finds.
n=0
rig () {
    local t ns
    for ns in $namespaces; do
        ip netns del "$ns"
    done
    n=$((n + 1))
    s=l2mt-pmtu$$-$n
    namespaces=
    netns_add $s
    namespaces=$s
    for t in a b; do
        netns_add $s$t
        namespaces="$namespaces $s$t"
        ip -n $s link add v$t type veth peer name eth0 netns $s$t &&
        ip -n $s link set v$t addrgenmode none mtu 1478 &&
        ip -n $s addr add fe80::c0a8:64/64 dev v$t nodad &&
        ip -n $s link set v$t up &&
        ip -n $s$t link set eth0 addrgenmode none mtu 1478 &&
        ip -n $s$t addr add fe80::c0a8:a/64 dev eth0 nodad &&
        ip -n $s$t link set eth0 up || return 1
    done
}

# ptb TENANT PORT: tenant TENANT sends one Packet Too Big (MTU 1300) to
# fe80::c0a8:64, quoting a 1400-byte datagram from [fe80::c0a8:64]:PORT
# to [fe80::c0a8:a]:5000.  Raw Ethernet, checksums computed here.
ptb () {
    local mac
    mac=$(ip -n $s -br link show v$1 | awk '{ print $3 }')
    ip netns exec $s$1 "$py" - "$mac" "$2" <<'PY'
import socket, struct, sys

def addr(a):
    return socket.inet_pton(socket.AF_INET6, a)

def csum(data):
    if len(data) % 2:
        data += b"\0"
    s = sum(struct.unpack("!%dH" % (len(data) // 2), data))
    while s >> 16:
        s = (s & 0xffff) + (s >> 16)
    return ~s & 0xffff

svc, peer = addr("fe80::c0a8:64"), addr("fe80::c0a8:a")
port = int(sys.argv[2])
udp = struct.pack("!HHHH", port, 5000, 8 + 1400, 0) + b"x" * 1400
quote = struct.pack("!IHBB", 6 << 28, len(udp), 17, 64) + svc + peer + udp
body = struct.pack("!BBHI", 2, 0, 0, 1300) + quote[:1280 - 48]
pseudo = peer + svc + struct.pack("!I3xB", len(body), 58)
body = body[:2] + struct.pack("!H", csum(pseudo + body)) + body[4:]
ip6 = struct.pack("!IHBB", 6 << 28, len(body), 58, 255) + peer + svc
s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW)
s.bind(("eth0", 0))
src = s.getsockname()[4]
dst = bytes(int(x, 16) for x in sys.argv[1].split(":"))
s.send(dst + src + b"\x86\xdd" + ip6 + body)
PY
}

# mtu_on IF: the MTU the service's route to fe80::c0a8:a on IF has, or
# "none" when it has no exception.
mtu_on () {
    ip -n $s -6 route get fe80::c0a8:a oif "$1" |
        awk '{ for (i = 1; i < NF; i++) if ($i == "mtu") m = $(i + 1) }
             END { print m ? m : "none" }'
}

# expect_mtus VA VB: the exceptions on va and vb are VA and VB.
expect_mtus () {
    local a b
    a=$(mtu_on va) b=$(mtu_on vb)
    echo "    va: $a, vb: $b; cache: $(ip -n $s -6 route show cache | tr '\n' ' ')"
    [ "$a" = "$1" ] && [ "$b" = "$2" ]
}

# sockets MODE PORT-FILE: UDP sockets on a port the kernel picks, written
# to PORT-FILE; MODE naive: one on [::]; per-interface: one bound to
# fe80::c0a8:64%va and one to %vb (which binds each to its interface).
sockets () {
    ip netns exec $s "$py" - "$1" "$2" <<'PY' &
import socket, sys, time
mode, port_file = sys.argv[1], sys.argv[2]
socks = []
if mode == "naive":
    s = socket.socket(socket.AF_INET6, socket.SOCK_DGRAM)
    s.bind(("::", 0))
    socks.append(s)
else:
    port = 0
    for ifname in ("va", "vb"):
        s = socket.socket(socket.AF_INET6, socket.SOCK_DGRAM)
        s.bind(("fe80::c0a8:64", port, 0, socket.if_nametoindex(ifname)))
        port = s.getsockname()[1]
        socks.append(s)
with open(port_file, "w") as f:
    f.write("%d\n" % socks[0].getsockname()[1])
time.sleep(30)
PY
    TEST_PIDS="$TEST_PIDS $!"
    wait_for 5 test -s "$2"
}

rig || { echo "FAIL: cannot build the namespaces"; exit 1; }
rig_check "no exception before any Packet Too Big" expect_mtus none none

# Positive control: without care, tenant B sets tenant A's path MTU.
sockets naive "$dir/naive"
ptb b "$(cat "$dir/naive")"
sleep 0.5
rig_check "naive socket: B's PTB lands on A's va (mtu 1300), not on vb" \
    expect_mtus 1300 none

rig || { echo "FAIL: cannot build the namespaces"; exit 1; }
sockets per-interface "$dir/perif"
ptb b "$(cat "$dir/perif")"
sleep 0.5
rig_check "per-interface sockets: B's PTB lands on B's vb only" \
    expect_mtus none 1300

# The shipped server: the same PTB, from each tenant, changes nothing.
rig || { echo "FAIL: cannot build the namespaces"; exit 1; }
rig_own_server --netns $s --udp
rig_check "scope-server --udp listens (port ${port:-none})" [ -n "$port" ]
ptb b "$port"
ptb a "$port"
sleep 0.5
rig_check "scope-server: no tenant's PTB sets a path MTU" expect_mtus none none
# And it still answers on each interface (the socket option costs nothing
# else).
for t in a b; do
    out=$(ip netns exec $s$t timeout 10 bash -c \
        'exec 3<>"/dev/udp/fe80::c0a8:64%eth0/'"$port"'" && echo q >&3 &&
         timeout 5 dd bs=4096 count=1 status=none <&3')
    rig_check "scope-server answers tenant $t on v$t ($out)" \
        grep -q "^iface=v$t " <<< "$out"
done
rig_finish
