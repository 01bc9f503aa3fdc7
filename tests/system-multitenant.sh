#!/bin/bash
# Copyright (c) 2026 The l2mt authors.
# Licensed under the Apache License, Version 2.0.
#
# The headline scenario on real daemons: three tenant LANs with the same
# addresses reach one service namespace over GRE through two ovs-vswitchd
# (user-space datapath); each tenant lands on its own interface there, over
# IPv4 (translated by the nat64 action, ARP through NDP) and over native
# IPv6 link-local.  See tests/system-lib.sh for the rig.
#
# RIG_NAT64=0 runs the native IPv6 half only (for an unpatched OVS).

RIG_NAT64=${RIG_NAT64:-1}
. "${top_srcdir:-$(dirname "$0")/..}/tests/system-lib.sh"

rig_init "l2mt-mt$$" || exit $?
rig_up || exit 1
rig_server_start || exit 1

# expect_answer ANSWER N FAMILY: the scope server saw tenant N's address on
# tenant N's interface for FAMILY.
expect_answer () {
    local _if
    _if=$(rig_service_if "$2" "$3")
    echo "    answer: ${1:-(none)}"
    case $1 in
    "iface=$_if scope="*" peer=$RIG_TENANT_LL port="*) return 0 ;;
    esac
    return 1
}

# neigh_has NAME IF ADDR MAC STATE-REGEX: NAME's neighbour table lists ADDR
# on IF with MAC in a state matching STATE-REGEX.
neigh_has () {
    local _entry
    _entry=$(ip -n "$(rig_ns "$1")" neigh show "$3" dev "$2")
    echo "    $1 neighbour: ${_entry:-(none)}"
    echo "$_entry" | grep -Eq "lladdr $4 .*($5) *$"
}

# IP + ICMP header sizes, to fill the MTU with ping -s.
hdr4=28 hdr6=48
families=6
[ "$RIG_NAT64" = 1 ] && families="4 6"

for n in $RIG_TENANTS; do
    for f in $families; do
        sif=$(rig_service_if "$n" $f)
        if [ $f = 4 ]; then
            dst=$RIG_SERVICE_IP smac=$(rig_v4_mac "$n") ping=ping
        else
            dst=$RIG_SERVICE_LL%eth0 smac=$(rig_v6_mac "$n") ping="ping -6"
        fi
        echo "== tenant $n, IPv$f: $dst should reach $sif"
        ip -n "$(rig_ns t$n)" neigh flush dev eth0
        ip -n "$(rig_ns svc)" neigh flush dev "$sif"

        rig_check "t$n pings $dst (IPv$f)" \
            rig_exec t$n $ping -c 3 -i 0.2 -W 2 -q "$dst"
        # Full-size frames, no fragmentation: the MTU plan holds (IPv4
        # 1458 grows to IPv6 1478 on the translated interface).
        rig_check "t$n pings $dst with full-size $RIG_TENANT_MTU-byte packets" \
            rig_exec t$n $ping -c 2 -i 0.2 -W 2 -q -M do \
            -s $((RIG_TENANT_MTU - hdr$f)) "$dst"
        rig_check "t$n's neighbour entry for $dst is $sif's MAC, REACHABLE" \
            neigh_has t$n eth0 "${dst%\%*}" "$smac" REACHABLE
        rig_check "service has t$n's $RIG_TENANT_LL on $sif" \
            neigh_has svc "$sif" $RIG_TENANT_LL "$(rig_tenant_mac "$n")" \
            'REACHABLE|STALE|DELAY|PROBE'
        rig_check "HTTP from t$n over IPv$f lands on $sif" \
            expect_answer "$(rig_ask "$n" $f)" "$n" $f
        rig_check "UDP from t$n over IPv$f lands on $sif" \
            expect_answer "$(rig_ask_udp "$n" $f)" "$n" $f
        rig_check "service pings $RIG_TENANT_LL%$sif (t$n, IPv$f)" \
            rig_exec svc ping -6 -c 3 -i 0.2 -W 2 -q "$RIG_TENANT_LL%$sif"
        rig_check "service pings t$n with full-size packets" \
            rig_exec svc ping -6 -c 2 -i 0.2 -W 2 -q -M do \
            -s $(( $(rig_exec svc cat /sys/class/net/$sif/mtu) - hdr6 )) \
            "$RIG_TENANT_LL%$sif"
    done
done

rig_finish
