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
            rig_answer_is "$(rig_ask "$n" $f)" "$sif"
        rig_check "UDP from t$n over IPv$f lands on $sif" \
            rig_answer_is "$(rig_ask_udp "$n" $f)" "$sif"
        rig_check "service pings $RIG_TENANT_LL%$sif (t$n, IPv$f)" \
            rig_exec svc ping -6 -c 3 -i 0.2 -W 2 -q "$RIG_TENANT_LL%$sif"
        rig_check "service pings t$n with full-size packets" \
            rig_exec svc ping -6 -c 2 -i 0.2 -W 2 -q -M do \
            -s $(( $(rig_exec svc cat /sys/class/net/$sif/mtu) - hdr6 )) \
            "$RIG_TENANT_LL%$sif"
    done
done

# The IPv4 traffic really went through the nat64 flows, and the switch
# counted translations.
# flow_hit MATCH ACTION: br-svc's flow for MATCH has ACTION and carried
# packets.
flow_hit () {
    local _f
    _f=$(rig_ofctl hv dump-flows br-svc "$1" | grep -v NXST_FLOW)
    echo "    $(echo "$_f" | sed 's/^ *cookie=[^,]*, duration=[^,]*, //')"
    echo "$_f" | grep -q "n_packets=[1-9].*actions=$2"
}

if [ "$RIG_NAT64" = 1 ]; then
    for n in $RIG_TENANTS; do
        rig_check "t$n's IPv4 went through nat64:4toll6" \
            flow_hit "ip,in_port=$((10 + n))" nat64:4toll6
        rig_check "t$n's ARP went through nat64:4toll6" \
            flow_hit "arp,in_port=$((10 + n))" nat64:4toll6
        rig_check "t${n}v4's IPv6 went through nat64:ll6to4" \
            flow_hit "ipv6,in_port=$((20 + n))" nat64:ll6to4
    done
    show=$(rig_appctl hv nat64/show br-svc)
    echo "$show" | sed 's/^/    /'
    rig_check "nat64/show counts translations on br-svc" \
        grep -Eq '^ *translated: [1-9]' <<<"$show"
fi

rig_finish
