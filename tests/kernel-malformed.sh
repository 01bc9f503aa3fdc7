#!/bin/sh
# Copyright (c) 2026 The l2mt authors.
# Licensed under the Apache License, Version 2.0.
#
# Malformed frames injected into the kernel path (from a tenant through its
# GRE port, and from the service side) meet the nat64 action in our
# openvswitch.ko: each is dropped and counted under its reason
# (l2mt-dpctl show), every truncation of a good frame is dropped, and the
# kernel stays up and keeps translating.
#
# On the host this file boots the guest (tests/kernel-lib.sh); in the guest
# it is /scenario, sourced by tests/kernel-guest.sh.

if [ "$$" != 1 ]; then
    . "$top_srcdir/tests/kernel-lib.sh"
    kernel_run malformed ours "$0"
    exit
fi

$NAT64 || finish SKIP "the Open vSwitch build has no nat64 action"

# Frames: tenant 1 (02:00:0a:00:00:01, 192.168.0.10) to the service's
# t1v4 (02:00:64:04:00:01, 192.168.0.100) and back, IPv6 from
# fe80::c0a8:64 to fe80::c0a8:a.  Checksums are right unless the name says
# otherwise.
V4_FRAMES='
bad_ipv4_header 02006404000102000a000001080044000024000140004011ba09c0a8000ac0a8006413881e6100106a447878787878787878
bad_ipv4_checksum 02006404000102000a000001080045000024000140004011ab3dc0a8000ac0a8006413881e6100106a447878787878787878
ipv4_source_route 02006404000102000a00000108004700002c0001400040118638c0a8000ac0a80064830704c0a800010113881e6100106a447878787878787878
icmp_unsupported 02006404000102000a000001080045000028000140004001b915c0a8000ac0a800640d00f2fd00010001000000000000000000000000
arp_unsupported 02006404000102000a0000010806000108000604000302000a000001c0a8000a000000000000c0a80064
'
V6_FRAMES='
ipv6_routing_header 02000a00000102006404000186dd6000000000282b40fe8000000000000000000000c0a80064fe8000000000000000000000c0a8000a1102000100000000fe8000000000000000000000c0a8000a1e6113880010693e7979797979797979
nd_bad_hop_limit 02000a00000102006404000186dd6000000000203afefe8000000000000000000000c0a80064fe8000000000000000000000c0a8000a8700d3a900000000fe8000000000000000000000c0a8000a0101020064040001
address_not_in_prefix 02000a00000102006404000186dd600000000010114020010db8000000000000000000000001fe8000000000000000000000c0a8000a1e611388001000007979797979797979
'
GOOD=02006404000102000a000001080045000024000140004011b909c0a8000ac0a8006413881e6100106a447878787878787878

# counter FILE NAME: the value of counter NAME in an l2mt-dpctl output.
counter () {
    awk -v n="$2" '$1 == n { print $2 }' "$1"
}

drops () {
    awk '$3 == "drop" { s += $2 } END { print s + 0 }' "$1"
}

rig_up
check "t1 reaches the service before the injection" \
    expect "svc t1v4" ask t1 udp 192.168.0.100
check "l2mt-dpctl show reads the module's counters" \
    eval "l2mt-dpctl show ovs-system > /tmp/before"
sed 's/^/    before: /' /tmp/before

# Each malformed frame several times, so that a first one lost to an
# upcall race still leaves a count.
for _i in 1 2 3; do
    echo "$V4_FRAMES" | while read -r _name _hex; do
        [ -n "$_name" ] && in_ns t1 kernel-probe inject eth0 "$_hex"
    done
    echo "$V6_FRAMES" | while read -r _name _hex; do
        [ -n "$_name" ] && in_ns svc kernel-probe inject t1v4 "$_hex"
    done
    sleep 1
done
# Every truncation of a good frame: no translation, no crash.
_cuts=
_len=14
while [ $_len -lt 50 ]; do
    _cuts="$_cuts $(echo $GOOD | cut -c1-$((_len * 2)))"
    _len=$((_len + 1))
done
# shellcheck disable=SC2086
in_ns t1 kernel-probe inject eth0 $_cuts
sleep 2

check "l2mt-dpctl show after the injection" eval "l2mt-dpctl show ovs-system > /tmp/after"
sed 's/^/    after: /' /tmp/after
for _name in $(echo "$V4_FRAMES$V6_FRAMES" | awk '{ print $1 }'); do
    _delta=$(($(counter /tmp/after $_name) - $(counter /tmp/before $_name)))
    check "$_name: dropped and counted ($_delta)" [ "$_delta" -ge 1 ]
done
# Truncations that still match the kernel flow meet nat64 there; OVS drops
# the others itself on the upcall path (flow key mismatch).  Either way
# none is translated.
_delta=$(($(counter /tmp/after truncated) - $(counter /tmp/before truncated)))
check "truncated frames dropped and counted ($_delta of 36)" [ "$_delta" -ge 10 ]
_delta=$(($(counter /tmp/after translated) - $(counter /tmp/before translated)))
check "no malformed frame translated ($_delta translated: the answer only)" \
    [ "$_delta" -le 4 ]
check "the kernel still translates after the injection" \
    expect "svc t1v4" ask t1 udp 192.168.0.100
check "no oops or warning in the kernel log" \
    eval "! dmesg | grep -e 'Oops' -e 'WARNING: CPU' -e 'BUG:' -e 'general protection'"
check "vswitchd saw no execution error for the dropped frames" \
    eval "! grep 'execute nat64.*failed' /run/ovs/ovs-vswitchd.log"
