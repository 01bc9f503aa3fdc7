#!/bin/bash
# Copyright (c) 2026 The l2mt authors.
# Licensed under the Apache License, Version 2.0.
#
# No tenant ever reaches another tenant's interface.  All tenants share
# their addresses, so only the switch keeps them apart.  Each tenant in turn
# talks to the service over both families (HTTP, UDP, ping, broadcast,
# all-nodes multicast); meanwhile tcpdump records every service interface
# and every tenant LAN.  Then, for every pair of tenants A != B and both
# families:
#   - the service interfaces of B saw no frame from A's MAC,
#   - A's LAN saw no frame from B's service interfaces,
#   - every answer of the scope server named A's own interface,
#   - A's own interfaces counted A's probes (rx_packets).
#
# The matrix runs three times on the hypervisor: on the rig's hand-written
# flows, then on the flows l2mt-agent installs from a config describing the
# rig, in per-tenant and in flow tunnel mode.  Last, a positive control: a
# deliberately leaky flow (a copy of tenant 1's frames to tenant 2's v6
# interface) must make the same matrix fail, or the test fails.
#
# RIG_NAT64=0 runs the native IPv6 half only (for an unpatched OVS).

RIG_NAT64=${RIG_NAT64:-1}
. "${top_srcdir:-$(dirname "$0")/..}/tests/system-lib.sh"

if ! command -v tcpdump >/dev/null 2>&1; then
    rig_skip "tcpdump is not installed (see tools/deps/system)"
    exit
fi
rig_init "l2mt-iso$$" || exit $?
rig_up || exit 1
rig_server_start || exit 1

families=6
[ "$RIG_NAT64" = 1 ] && families="4 6"
captures=

# capture NAME IF: records IF in NAME's namespace until the end of the
# current matrix ($run names its files).
capture () {
    local _f=$RIG_DIR/$run-$1-$2
    rig_spawn "$_f.tcpdump" "$1" \
        tcpdump -Z root -i "$2" -n -U -s 128 -w "$_f.pcap"
    captures="$captures $RIG_SPAWNED"
    rig_wait_until "tcpdump on $1 $2" 100 grep -q 'listening on' "$_f.tcpdump"
}

# frames_from NAME IF MAC: frames recorded on IF whose source is MAC.
frames_from () {
    tcpdump -r "$RIG_DIR/$run-$1-$2.pcap" -n -e "ether src $3" 2>/dev/null |
        wc -l
}

rx_packets () {
    rig_exec svc cat "/sys/class/net/$1/statistics/rx_packets"
}

# at_least COUNT MIN WHAT
at_least () {
    echo "    $3: $1"
    [ "$1" -ge "$2" ]
}

none () {
    echo "    $2: $1"
    [ "$1" = 0 ]
}

# matrix RUN: the whole isolation matrix on the hypervisor's current flows.
matrix () {
    run=$1 captures=
    echo "==== $run"
    for n in $RIG_TENANTS; do
        capture t$n eth0 || exit 1
        for f in $families; do
            capture svc "$(rig_service_if "$n" $f)" || exit 1
        done
    done

    # Each tenant probes the service; only its own interfaces may answer.
    for a in $RIG_TENANTS; do
        for f in $families; do
            sif=$(rig_service_if "$a" $f)
            before=$(rx_packets "$sif")
            echo "== tenant $a, IPv$f: probes for $sif"
            if [ $f = 4 ]; then
                rig_exec t$a ping -c 5 -i 0.2 -W 2 -q $RIG_SERVICE_IP \
                    >/dev/null
                # A broadcast, which must stay within the tenant's own side.
                rig_exec t$a ping -b -c 2 -i 0.2 -W 1 -q 192.168.0.255 \
                    >/dev/null 2>&1
                # A broadcast ARP request for the service.
                ip -n "$(rig_ns t$a)" neigh flush dev eth0
            else
                rig_exec t$a ping -6 -c 5 -i 0.2 -W 2 -q \
                    "$RIG_SERVICE_LL%eth0" >/dev/null
                # All-nodes multicast: any interface listening would answer.
                rig_exec t$a ping -6 -c 2 -i 0.2 -W 2 -q ff02::1%eth0 \
                    >/dev/null
                ip -n "$(rig_ns t$a)" neigh flush dev eth0
            fi
            for i in 1 2; do
                rig_check "HTTP #$i from t$a over IPv$f answers from $sif" \
                    rig_answer_is "$(rig_ask "$a" $f)" "$sif"
                rig_check "UDP #$i from t$a over IPv$f answers from $sif" \
                    rig_answer_is "$(rig_ask_udp "$a" $f)" "$sif"
            done
            rig_check "$sif counted t$a's probes (rx_packets)" \
                at_least $(( $(rx_packets "$sif") - before )) 10 \
                    "rx_packets delta"
        done
    done

    # Let the last frames land, then close the captures.
    sleep 0.5
    # shellcheck disable=SC2086
    rig_stop $captures

    # The matrix: for each pair, nothing of A on B's interfaces and nothing of
    # B's interfaces on A's LAN; the diagonal must be non-empty, or the
    # captures prove nothing.
    for a in $RIG_TENANTS; do
        tmac=$(rig_tenant_mac "$a")
        for b in $RIG_TENANTS; do
            for f in $families; do
                sif=$(rig_service_if "$b" $f)
                smac=$(rig_v${f}_mac "$b")
                if [ "$a" = "$b" ]; then
                    rig_check "$sif recorded frames from t$a ($tmac)" \
                        at_least "$(frames_from svc "$sif" "$tmac")" 1 frames
                    rig_check "t$a's LAN recorded frames from $sif ($smac)" \
                        at_least "$(frames_from t$a eth0 "$smac")" 1 frames
                else
                    rig_check "t$a -> $sif: no frame of t$a ($tmac) on $sif" \
                        none "$(frames_from svc "$sif" "$tmac")" frames
                    rig_check "$sif -> t$a: no frame of $sif ($smac) on t$a" \
                        none "$(frames_from t$a eth0 "$smac")" frames
                fi
            done
        done
    done
}

matrix rig

# The same on the agent's flows: the rig's hand-written ones go first.
[ -x "${top_builddir:-.}/utilities/l2mt-agent" ] || {
    echo "FAIL: utilities/l2mt-agent is not built"; exit 1; }
rig_agent_conf per-tenant
[ "$RIG_NAT64" = 1 ] || sed -i 's/nat64 on/nat64 off/' "$RIG_DIR/l2mt.conf"
rig_ofctl hv del-flows br-svc
rig_check "agent apply (per-tenant)" rig_agent apply
matrix agent-per-tenant

for n in $RIG_TENANTS; do
    rig_vsctl hv del-port br-svc "gre$(rig_key "$n")"
done
sed -i 's/tunnel-mode per-tenant/tunnel-mode flow/' "$RIG_DIR/l2mt.conf"
rig_check "agent apply (flow)" rig_agent apply
matrix agent-flow

# Positive control: a copy of tenant 1's frames to tenant 2's v6 interface
# must make the matrix fail.  Its failures are expected, not counted.
leak="priority=65535,in_port=l2mt-gre,tun_id=$(rig_key 1),ipv6"
leak="$leak,actions=output:h1v6,output:h2v6"
echo "==== positive control: $leak (FAIL lines expected)"
rig_ofctl hv add-flow br-svc "$leak"
failures_before=$TEST_FAILURES
matrix leak-control
caught=$((TEST_FAILURES - failures_before))
TEST_FAILURES=$failures_before
rig_ofctl hv del-flows --strict br-svc "${leak%%,actions=*}"
rig_check "positive control: the matrix failed ($caught checks)" \
    test "$caught" -gt 0
rig_check "positive control: t1's frames caught on t2v6" \
    at_least "$(frames_from svc t2v6 "$(rig_tenant_mac 1)")" 1 frames

rig_finish
