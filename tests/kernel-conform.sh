#!/bin/sh
# Copyright (c) 2026 The l2mt authors.
# Licensed under the Apache License, Version 2.0.
#
# RFC conformance (issue 14) in the kernel datapath, with our
# openvswitch.ko: the cases of tests/conform-frames (frames written from
# the RFC text) go through the rig's nat64 flows of tenant 1: ll6to4 cases
# injected by the service on t1v4 and captured at the tenant's eth0,
# 4toll6 cases the other way.  Atomic fragments are translated and counted
# as such (RFC 6946, RFC 7915 5.1.1), an NS in one is nd_unsupported (RFC
# 6980), RFC 4884 fields are cut and padded, with mtu6/mtu4 the kernel
# flows carry the 20-byte action and the MTUs are bounded (RFC 7915 4.2,
# 5.2), and DF=0 packets over 1280 bytes of IPv6 leave as the fragments
# RFC 7915 4 and 4.1 describe.
#
# On the host this file boots the guest (tests/kernel-lib.sh) with the
# cases prepended; in the guest it is /scenario, sourced by
# tests/kernel-guest.sh.

if [ -z "${L2MT_GUEST:-}" ] && [ "$$" != 1 ]; then
    . "$top_srcdir/tests/kernel-lib.sh"
    frames=$top_builddir/tests/conform-frames
    [ -x "$frames" ] || { echo "FAIL: $frames not built"; exit 1; }
    scenario=$(mktemp "${TMPDIR:-/tmp}/kernel-conform.XXXXXX") || exit 99
    { echo "CASES='"; "$frames" list; echo "'"; cat "$0"; } > "$scenario"
    # 420 s: booting alone took 90 s of the default 300 on a loaded host.
    K_EXTRA_BINS=$frames kernel_run conform ours "$scenario" 420
    rc=$?
    rm -f "$scenario"
    exit $rc
fi

$NAT64 || finish SKIP "the Open vSwitch build has no nat64 action"

# field NAME N: field N of case NAME.
field () {
    echo "$CASES" | awk -v n="$1" -v f="$2" '$1 == n { print $f }'
}

counter () {
    awk -v n="$2" '$1 == n { print $2 }' "$1"
}

# send NAME...: injects each case's input three times (a first frame may
# be lost to an upcall race) on the side its mode reads, in one process:
# under TCG every process started costs.
send () {
    for _name; do
        _in=$(field "$_name" 4)
        if [ "$(field "$_name" 2)" = ll6to4 ]; then
            in_ns svc kernel-probe inject t1v4 "$_in" "$_in" "$_in"
        else
            in_ns t1 kernel-probe inject eth0 "$_in" "$_in" "$_in"
        fi
    done
}

# captured NAME: a frame captured on the output side matches the case;
# for a case of several frames (IPv6 fragments), each of them.
captured () {
    _file=/tmp/cap-svc
    [ "$(field "$1" 2)" = ll6to4 ] && _file=/tmp/cap-t1
    for _want in $(field "$1" 5 | tr , ' '); do
        _found=false
        while read -r _got; do
            conform-frames match "$_want" "$_got" && { _found=true; break; }
        done < "$_file"
        $_found || { echo "no frame matches $_want"; return 1; }
    done
}

start_capture () {
    in_ns t1 kernel-probe capture eth0 120 > /tmp/cap-t1 &
    _cap1=$!
    in_ns svc kernel-probe capture t1v4 120 > /tmp/cap-svc &
    _cap2=$!
    sleep 1
}

stop_capture () {
    sleep 3
    kill $_cap1 $_cap2
    wait $_cap1 $_cap2 2> /dev/null
}

rig_up
check "vswitchd: the datapath supports nat64 with MTUs" \
    grep -q "Datapath supports nat64 action with MTUs" \
    /run/ovs/ovs-vswitchd.log

# Without MTUs.
l2mt-dpctl show > /tmp/before
start_capture
send atomic-echo atomic-error atomic-ns rfc4884-cut rfc4884-pad-6to4 \
     rfc4884-pad-4to6 mtu-default-6to4 mtu-default-4to6 mtu-frag-4to6 \
     frag-udp frag-udp-df frag-echo frag-of-fragment
stop_capture
l2mt-dpctl show > /tmp/after
sed 's/^/    after: /' /tmp/after
for _c in icmp_unsupported nd_unsupported; do
    eval "_d_$_c=\$((\$(counter /tmp/after $_c) - \$(counter /tmp/before $_c)))"
done
check "atomic fragments: no icmp_unsupported ($_d_icmp_unsupported)" \
    [ "$_d_icmp_unsupported" = 0 ]
check "NS in an atomic fragment: nd_unsupported ($_d_nd_unsupported)" \
    [ "$_d_nd_unsupported" -ge 1 ]
for _name in atomic-echo atomic-error rfc4884-cut rfc4884-pad-6to4 \
             rfc4884-pad-4to6 mtu-default-6to4 mtu-default-4to6 \
             mtu-frag-4to6 frag-udp frag-udp-df frag-echo frag-of-fragment; do
    check "$_name: translated as the RFC says" captured "$_name"
done

# With MTUs: the kernel flows carry them, the MTUs are bounded.
ovs-ofctl mod-flows br0 "in_port=201,ipv6,actions=nat64(mode=ll6to4,$(field mtu-6to4 3)),output:10"
ovs-ofctl mod-flows br0 "in_port=10,ip,actions=nat64(mode=4toll6,$(field mtu-4to6 3)),output:201"
ovs-dpctl del-flows
start_capture
send mtu-6to4 mtu-4to6
stop_capture
for _name in mtu-6to4 mtu-4to6; do
    check "$_name: MTU bounded by $(field "$_name" 3)" captured "$_name"
done
ovs-dpctl dump-flows > /tmp/dpflows 2>&1
check "kernel flows carry nat64 with MTUs" \
    grep -q "nat64(mode=ll6to4,prefix=fe80::/96,$(field mtu-6to4 3))" \
    /tmp/dpflows
check "no oops or warning in the kernel log" \
    eval "! dmesg | grep -e 'Oops' -e 'WARNING: CPU' -e 'BUG:'"
finish
