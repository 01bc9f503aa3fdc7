#!/bin/sh
# Copyright (c) 2026 The l2mt authors.
# Licensed under the Apache License, Version 2.0.
#
# RFC 7915 4 and 4.1 in the kernel datapath, with our openvswitch.ko: tenant
# 1 sends a real 1400-byte UDP datagram with DF=0 (1428 bytes of IPv4, one
# packet on its 1458-byte GRE link) to 192.168.0.100.  As IPv6 it would be
# 1448 bytes, more than 1280, so the nat64 action sends it as two IPv6
# fragments: 1232 bytes of data (offset 0, M=1) and 176 (offset 1232, M=0),
# each with a Fragment header whose identification is the IPv4 ID with the
# high 16 bits 0.  The service namespace's Linux reassembles them and its
# UDP server answers through the translator; the frames are checked on both
# sides: the IPv4 packet in the GRE underlay, the fragments at the service.
#
# On the host this file boots the guest (tests/kernel-lib.sh); in the guest
# it is /scenario, sourced by tests/kernel-guest.sh.

if [ -z "${L2MT_GUEST:-}" ] && [ "$$" != 1 ]; then
    . "$top_srcdir/tests/kernel-lib.sh"
    kernel_run frag ours "$0"
    exit
fi

$NAT64 || finish SKIP "the Open vSwitch build has no nat64 action"
rig_up

# Frames arriving at the service (sent by br0 on h1v4) and, on the
# underlay, the tenant's GRE packets.
in_ns svc kernel-probe capture t1v4 40 > /tmp/cap-svc &
_cap1=$!
kernel-probe capture ul-hv 40 > /tmp/cap-ul &
_cap2=$!
sleep 1

check "t1: 1400 bytes of UDP with DF=0 to 192.168.0.100 answered" \
    expect "svc t1v4" in_ns t1 kernel-probe ask udp 192.168.0.100 "$PORT" \
    t1-frag 10 1400
check "svc: Linux reassembled the datagram (its server logged it)" \
    grep -q "^t1v4 t1-frag\$" /tmp/svc.log
sleep 2
kill $_cap1 $_cap2
wait $_cap1 $_cap2 2> /dev/null

# The tenant's datagrams in the underlay: outer Ethernet, IPv4 and GRE with
# a key (42 bytes), then the tenant's frame.  One line per datagram: the
# IPv4 ID and the flags/offset field.
awk 'substr($0, 73, 4) == "6558" && substr($0, 109, 4) == "0800" &&
     substr($0, 117, 4) == "0594" && substr($0, 131, 2) == "11" {
         print substr($0, 121, 4), substr($0, 125, 4)
     }' /tmp/cap-ul > /tmp/ipv4
# The service's IPv6 fragments: frame length, Fragment header next
# header, offset and M, identification.
awk 'substr($0, 25, 4) == "86dd" && substr($0, 41, 2) == "2c" {
         print length($0) / 2, substr($0, 109, 2), substr($0, 113, 4),
               substr($0, 117, 8)
     }' /tmp/cap-svc > /tmp/frags
sed 's/^/    ipv4 (ID, flags): /' /tmp/ipv4
sed 's/^/    fragment (len, nh, offset|M, ID): /' /tmp/frags

check "the IPv4 datagrams have DF=0 and are not fragments" \
    eval "[ -s /tmp/ipv4 ] && ! grep -v ' 0000\$' /tmp/ipv4"
check "first fragments: 1294-byte frames (1280 bytes of IPv6), UDP, offset 0, M=1" \
    grep -q "^1294 11 0001 " /tmp/frags
check "last fragments: 238-byte frames, offset 1232 (154 units), M=0" \
    grep -q "^238 11 04d0 " /tmp/frags
check "no IPv6 packet over 1280 bytes reached the service" \
    eval "! awk 'substr(\$0, 25, 4) == \"86dd\" && length(\$0) / 2 > 1294' /tmp/cap-svc | grep -q ."
# RFC 7915 4.1: every fragment's identification is 0000 + an IPv4 ID the
# tenant sent, both fragments of a datagram the same one.
_ids_ok () {
    [ -s /tmp/frags ] || return 1
    while read -r _len _nh _off _id; do
        case $_id in
        0000????) ;;
        *) echo "identification $_id: high 16 bits not 0"; return 1 ;;
        esac
        grep -q "^${_id#0000} " /tmp/ipv4 ||
            { echo "identification $_id: no such IPv4 ID"; return 1; }
    done < /tmp/frags
    for _id in $(awk '{ print $4 }' /tmp/frags | sort -u); do
        [ "$(grep -c " $_id\$" /tmp/frags)" = 2 ] ||
            { echo "identification $_id: not 2 fragments"; return 1; }
    done
}
check "Fragment header identification = the IPv4 ID (RFC 7915 4.1)" _ids_ok
check "no oops or warning in the kernel log" \
    eval "! dmesg | grep -e 'Oops' -e 'WARNING: CPU' -e 'BUG:'"
finish
