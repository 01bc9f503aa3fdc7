#!/bin/sh
# Copyright (c) 2026 The l2mt authors.
# Licensed under the Apache License, Version 2.0.
#
# bench/kernel: in one boot of the qemu guest with our openvswitch.ko,
# iperf3 TCP throughput and UDP packets/s from tenant 1 to the service over
# GRE, through a nat64 flow (192.168.0.100, translated to tNv4) and through
# a plain output flow (fe80::c0a8:64%eth0, native IPv6 to tNv6); prints
# the figures and the nat64/plain ratios (target >= 0.95).  Under TCG the
# absolute numbers are small: the ratios are what this measures.
#
# On the host this file boots the guest (tests/kernel-lib.sh); in the guest
# it is /scenario, sourced by tests/kernel-guest.sh.

if [ "$$" != 1 ]; then
    . "$top_srcdir/tests/kernel-lib.sh"
    command -v iperf3 >/dev/null 2>&1 || {
        echo "bench/kernel: iperf3 is not installed (see tools/deps/kernel)"
        exit 1
    }
    K_EXTRA_BINS=iperf3 K_SMP=2 kernel_run bench-kernel ours "$0" 600
    _rc=$?
    [ $_rc = 77 ] && exit 0
    exit $_rc
fi

$NAT64 || finish SKIP "the Open vSwitch build has no nat64 action"
TENANTS=1
SECONDS_EACH=${BENCH_SECONDS:-5}
rig_up
in_ns svc iperf3 -s -D --logfile /tmp/iperf3-server.log
check "t1 reaches the service (nat64)" expect "svc t1v4" ask t1 udp 192.168.0.100
check "t1 reaches the service (plain)" \
    expect "svc t1v6" ask t1 udp "fe80::c0a8:64%eth0"

# tcp_mbps ADDR: receiver's throughput, Mbit/s.
tcp_mbps () {
    in_ns t1 iperf3 -c "$1" -t $SECONDS_EACH -f m 2>&1 |
        awk '/receiver/ { print $(NF - 2) }'
}

# udp_pps ADDR: datagrams of 64 bytes received per second.
udp_pps () {
    in_ns t1 iperf3 -u -b 0 -l 64 -c "$1" -t $SECONDS_EACH 2>&1 |
        awk -v t=$SECONDS_EACH '/receiver/ {
            split($(NF - 2), lt, "/"); printf "%d\n", (lt[2] - lt[1]) / t }'
}

TCP_NAT64=$(tcp_mbps 192.168.0.100)
TCP_PLAIN=$(tcp_mbps "fe80::c0a8:64%eth0")
UDP_NAT64=$(udp_pps 192.168.0.100)
UDP_PLAIN=$(udp_pps "fe80::c0a8:64%eth0")
check "iperf3 gave every figure" \
    [ -n "$TCP_NAT64" ] -a -n "$TCP_PLAIN" -a -n "$UDP_NAT64" -a -n "$UDP_PLAIN"
check_kernel_flows inside
l2mt-dpctl show | awk '$2 != 0 { print "    counter: " $0 }'

awk -v tn="$TCP_NAT64" -v tp="$TCP_PLAIN" -v un="$UDP_NAT64" \
    -v up="$UDP_PLAIN" 'BEGIN {
    printf "BENCH: TCP   nat64 %10.1f Mbit/s   plain %10.1f Mbit/s   ratio %.3f\n", tn, tp, tp ? tn / tp : 0
    printf "BENCH: UDP64 nat64 %10d pkt/s    plain %10d pkt/s    ratio %.3f\n", un, up, up ? un / up : 0
}'
