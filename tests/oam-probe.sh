#!/bin/bash
# Copyright (c) 2026 The l2mt authors.
# Licensed under the Apache License, Version 2.0.
#
# Overlay health per tenant (issue 16, parts 1, 3 and 4): "l2mt-agent run"
# on the multi-tenant rig (two ovs-vswitchds in namespaces over a veth
# underlay, tests/system-lib.sh) probes every tenant every second, serves
# its metrics and a trace over unixctl.  Checked here:
# - all paths up, with an RTT, in agent/status, "l2mt-agent status" and
#   the metrics (types checked, counters that only go up);
# - probes never reach a tenant LAN or a service interface (tcpdump in
#   those namespaces), and a deliberately leaky flow shows that the
#   captures would see them;
# - a tenant cannot forge a probe: its frame from the probe MAC is
#   dropped at ingress;
# - underlay down: BFD down, every tenant on the tunnels affected (status
#   and metrics), the translation on this host still up; up again: all up;
# - one tenant's service port removed: only that tenant's path down, BFD
#   up; back: all up;
# - translation drops per tenant and reason: ICMP timestamp requests
#   (which RFC 7915 does not translate) from tenant 1's LAN count as
#   tenant 1's icmp_unsupported drops, in the metrics and in "l2mt-agent
#   status", and not as tenant 2's;
# - trace through the agent's unixctl: the JSON of l2mt-trace, and bad
#   input (unknown tenant, unparseable packet) refused with nothing
#   changed on the switch.

RIG_HV_FLOWS=0
RIG_TENANTS=${RIG_TENANTS:-"1 2"}
. "${top_srcdir:-$(dirname "$0")/..}/tests/system-lib.sh"
AGENT=$top_builddir/utilities/l2mt-agent
[ -x "$AGENT" ] || { echo "SKIP: $AGENT not built"; exit 77; }
command -v tcpdump > /dev/null || { echo "SKIP: no tcpdump"; exit 77; }
PY=/usr/bin/python3
[ -x $PY ] || { echo "SKIP: no $PY"; exit 77; }

rig_init "oamp$$" || exit $?
rig_up || exit 1

PROBE_MAC=02:4c:32:50:52:00
METRICS_PORT=9464               # On the hypervisor namespace's loopback.
for n in $RIG_TENANTS; do
    rig_vsctl hv del-port br-svc "gre$(rig_key "$n")"
done
rig_agent_conf per-tenant "    bfd-min-rx 100
    bfd-min-tx 100
    bfd-mult 3"
rig_agent apply > "$RIG_DIR/apply" 2>&1 || { cat "$RIG_DIR/apply"; exit 1; }
for n in $RIG_TENANTS; do
    rig_vsctl gw set interface "gre$(rig_key "$n")" bfd:enable=true \
        bfd:min_rx=100 bfd:min_tx=100 bfd:mult=3
done

# The daemon, with probes every second and its metrics.
OVS_RUNDIR=$RIG_DIR/hv PATH=$RIG_OVS/utilities:$PATH \
    rig_spawn "$RIG_DIR/agent.out" hv "$AGENT" \
    --db="unix:$RIG_DIR/hv/db.sock" --host=hv -c "$RIG_DIR/l2mt.conf" \
    --inventory="$RIG_DIR/inventory.json" --interval=1 --probe-interval=1 \
    --metrics=127.0.0.1:$METRICS_PORT --switch="$RIG_DIR/hv/ovs-vswitchd.ctl" \
    --pidfile="$RIG_DIR/hv/l2mt-agent.pid" --log-file="$RIG_DIR/agent.log" \
    run

agent_ctl () {
    OVS_RUNDIR=$RIG_DIR/hv "$RIG_OVS/utilities/ovs-appctl" -t l2mt-agent \
        --timeout=20 "$@"
}
probes () {
    agent_ctl agent/probes > "$RIG_DIR/probes" 2>&1
}
scrape () {
    rig_exec hv curl -sS --max-time 5 \
        "http://127.0.0.1:$METRICS_PORT/metrics" > "$RIG_DIR/metrics.$1"
}
# path_is N STATES: tenant N's probe line says STATES ("ingress up
# translation up service_port up").
path_is () {
    probes && grep -q "^probe tenant$1 via gre$(rig_key "$1") (remote $RIG_GW_UNDERLAY, key $(rig_key "$1")): $2," "$RIG_DIR/probes"
}
all_up () {
    local _n
    for _n in $RIG_TENANTS; do
        path_is "$_n" "ingress up translation up service_port up" || return 1
    done
    ! grep -q 'tenants affected' "$RIG_DIR/probes"
}
show () {
    sed 's/^/    | /' "$RIG_DIR/probes"
}
# metric NAME LABELS: the value of one sample of the last scrape ($1).
metric () {
    sed -n "s/^$2{$3} //p" "$RIG_DIR/metrics.$1"
}

rig_check "every tenant's path up (agent/probes)" \
    rig_wait_until "all paths up" 200 all_up
show
rig_check "an RTT for each tenant" \
    test "$(grep -c ', rtt [0-9.]* ms,' "$RIG_DIR/probes")" = "$(echo $RIG_TENANTS | wc -w)"
rig_agent status > "$RIG_DIR/status" 2>&1
rig_check "l2mt-agent status shows the probes" \
    grep -q "^probe tenant1 via gre10 .*: ingress up translation up service_port up" "$RIG_DIR/status"

# Metrics: well formed, typed, and the paths up.
scrape 1
rig_check "metrics: parsed, every sample typed, counters named _total" \
    $PY "$top_srcdir/tests/oam-metrics.py" "$RIG_DIR/metrics.1"
for n in $RIG_TENANTS; do
    k=$(rig_key "$n")
    rig_check "metrics: l2mt_tunnel_up of gre$k is 1" test "$(metric 1 l2mt_tunnel_up "local=\"hv\",remote=\"$RIG_GW_UNDERLAY\",tunnel=\"gre$k\"")" = 1
    rig_check "metrics: tenant$n path up" test "$(metric 1 l2mt_tenant_path_up "tenant=\"tenant$n\",remote=\"$RIG_GW_UNDERLAY\",segment=\"path\"")" = 1
    rig_check "metrics: tenant$n has an RTT" \
        grep -q "^l2mt_tenant_probe_rtt_seconds{tenant=\"tenant$n\",remote=\"$RIG_GW_UNDERLAY\"} 0\.[0-9]*$" "$RIG_DIR/metrics.1"
done

# Probes never reach a tenant LAN or a service interface.
for n in $RIG_TENANTS; do
    rig_spawn "$RIG_DIR/tcpdump.t$n.log" "t$n" tcpdump -U -n -i eth0 \
        -w "$RIG_DIR/t$n.pcap" ether host $PROBE_MAC
    for f in 4 6; do
        rig_spawn "$RIG_DIR/tcpdump.t${n}v$f.log" svc tcpdump -U -n \
            -i "t${n}v$f" -w "$RIG_DIR/t${n}v$f.pcap" ether host $PROBE_MAC
    done
done
captured () {
    tcpdump -n -r "$RIG_DIR/$1.pcap" 2>/dev/null | wc -l
}
listening () {
    local _f
    for _f in "$RIG_DIR"/tcpdump.*.log; do
        grep -q 'listening on' "$_f" || return 1
    done
}
rig_wait_until "tcpdump" 100 listening
sent0=$(grep -c . "$RIG_DIR/probes")
sleep 3.5                       # Three rounds of probes.
probes
leaked=0
for n in $RIG_TENANTS; do
    for c in "t$n" "t${n}v4" "t${n}v6"; do
        leaked=$((leaked + $(captured "$c")))
    done
done
rig_check "3 rounds of probes: none captured in a tenant LAN or on a service interface" \
    test $leaked = 0 -a "$sent0" -gt 0
rig_check "...while the probes came back" all_up

# A tenant forges a probe: a frame from the probe MAC, to the service.
forge () {
    rig_exec t1 $PY "$top_srcdir/tests/oam-send.py" $PROBE_MAC probe 3
}
guard_hits () {
    rig_ofctl hv dump-flows br-svc "dl_src=$PROBE_MAC,reg6=0" |
        sed -n 's/.*n_packets=\([0-9]*\),.*/\1/p'
}
g0=$(guard_hits)
forge
sleep 1
rig_check "a tenant's frame from the probe MAC: dropped by the ingress guard (3 frames)" \
    test "$(( $(guard_hits) - ${g0:-0} ))" = 3
rig_check "...and not on the service interface" test "$(captured t1v4)" = 0

# Translation drops per tenant and reason: tenant 1 sends three ICMP
# timestamp requests, which the core drops (icmp_unsupported) on the
# hypervisor, and two UDP datagrams, which it translates; the switch counts
# them under gre10's key, the agent under tenant 1.
timestamps () {
    rig_exec t1 $PY "$top_srcdir/tests/oam-send.py" "$(rig_tenant_mac 1)" \
        timestamp 3 &&
    rig_exec t1 $PY "$top_srcdir/tests/oam-send.py" "$(rig_tenant_mac 1)" \
        udp 2
}
tenant_xlated () {     # SCRAPE TENANT: its translated frames
    metric "$1" l2mt_tenant_translation_frames_total "tenant=\"tenant$2\""
}
tenant_drops () {      # SCRAPE TENANT: its icmp_unsupported drops, 0 if none
    local _v
    _v=$(metric "$1" l2mt_tenant_translation_drops_total "tenant=\"tenant$2\",reason=\"icmp_unsupported\"")
    echo "${_v:-0}"
}
scrape d0
d1=$(tenant_drops d0 1)
d2=$(tenant_drops d0 2)
timestamps
# The agent reads the switch's counts once a probe round: wait for the
# round that has all five frames (the timestamps and the datagrams).
x0=$(tenant_xlated d0 1)
counted () {
    scrape d1 && test "$(tenant_drops d1 1)" -ge $((d1 + 3)) \
        && test "$(tenant_xlated d1 1)" -ge $((${x0:-0} + 2))
}
rig_check "3 ICMP timestamps from tenant 1: tenant1's icmp_unsupported drops +3" \
    rig_wait_until "tenant 1's frames counted" 100 counted
rig_check "...exactly 3 (got $(( $(tenant_drops d1 1) - d1 )))" \
    test "$(tenant_drops d1 1)" = $((d1 + 3))
rig_check "...and not tenant2's" test "$(tenant_drops d1 2)" = "$d2"
rig_check "...tenant1's 2 UDP datagrams counted as translated" \
    test "$(tenant_xlated d1 1)" -ge $((${x0:-0} + 2))
grep '^l2mt_tenant_translation' "$RIG_DIR/metrics.d1" | sed 's/^/    | /'
rig_check "metrics with the per-tenant counters: typed, counters _total, never down" \
    $PY "$top_srcdir/tests/oam-metrics.py" "$RIG_DIR/metrics.d0" "$RIG_DIR/metrics.d1"
rig_appctl hv nat64/show-ports br-svc | sed 's/^/    | /'
rig_agent status > "$RIG_DIR/status" 2>&1
sed 's/^/    | /' "$RIG_DIR/status"
rig_check "l2mt-agent status: tenant1's drops by reason" \
    grep -q "^translation tenant1: [1-9][0-9]* translated, [0-9]* dropped (.*icmp_unsupported $((d1 + 3))[,)]" "$RIG_DIR/status"
# (Tenant 2's service side may have address_not_in_prefix drops of its
# own: the service VM's kernel sends MLD from its own link-local address.)
rig_check "l2mt-agent status: tenant2's line, without tenant1's drops" \
    eval "grep '^translation tenant2: ' '$RIG_DIR/status' | grep -qv icmp_unsupported"

# Positive control: a deliberately leaky flow sends tenant 1's probes to
# its service interface and back into its tunnel.  The captures see them.
rig_ofctl hv add-flow br-svc "table=2,priority=500,reg6=0x4c325052,in_port=gre10,actions=output:h1v4,in_port"
# (Within 10 s: the datapath's cached flows are revalidated after the
# change, later on a loaded machine.)
seen () {
    test "$(captured "$1")" -gt 0
}
rig_check "positive control: a leaky flow's probes are captured on the service interface" \
    rig_wait_until "a leaked probe on t1v4" 100 seen t1v4
rig_check "positive control: ...and in the tenant LAN" \
    rig_wait_until "a leaked probe in t1's LAN" 100 seen t1
rig_ofctl hv del-flows br-svc "table=2,reg6=0x4c325052,in_port=gre10,priority=500" --strict

# Underlay down: the gateway's end of the veth.
ip -n "$(rig_ns gw)" link set u0 down
t0=$(date +%s%N)
underlay_down () {
    local _n
    for _n in $RIG_TENANTS; do
        path_is "$_n" "ingress down translation up service_port up" ||
            return 1
    done
    grep -qx "underlay: tenants affected: $(echo $RIG_TENANTS | sed 's/\([0-9]\)/tenant\1/g')" "$RIG_DIR/probes"
}
# The probes start at this host's tunnel ingress: the translation still
# works, the underlay (BFD) is what is down.
rig_check "underlay down: every tenant's ingress down, all affected (underlay)" \
    rig_wait_until "underlay down" 60 underlay_down
echo "    reported after $(( ($(date +%s%N) - t0) / 1000000 )) ms (BFD detect time 300 ms, probes every 1 s)"
show
rig_check "underlay down: the fault named" grep -q "fault: underlay down: BFD down on gre10" "$RIG_DIR/probes"
scrape 2
for n in $RIG_TENANTS; do
    k=$(rig_key "$n")
    rig_check "metrics: l2mt_tunnel_up of gre$k is 0" test "$(metric 2 l2mt_tunnel_up "local=\"hv\",remote=\"$RIG_GW_UNDERLAY\",tunnel=\"gre$k\"")" = 0
    rig_check "metrics: tenant$n ingress down" test "$(metric 2 l2mt_tenant_path_up "tenant=\"tenant$n\",remote=\"$RIG_GW_UNDERLAY\",segment=\"ingress\"")" = 0
done
ip -n "$(rig_ns gw)" link set u0 up
rig_check "underlay up: all up again" rig_wait_until "all up" 200 all_up

# One tenant's service port removed (its veth gone): only that tenant.
ip -n "$(rig_ns hv)" link del h2v4
service_down () {
    path_is 2 "ingress up translation up service_port down" &&
    path_is 1 "ingress up translation up service_port up" &&
    grep -qx "service: tenants affected: tenant2" "$RIG_DIR/probes" &&
    ! grep -q "^underlay:\|^overlay:" "$RIG_DIR/probes"
}
rig_check "service port gone: only tenant2's path down, BFD up" \
    rig_wait_until "tenant2 service down" 60 service_down
show
scrape 3
rig_check "metrics: tenant2 service_port down" test "$(metric 3 l2mt_tenant_path_up "tenant=\"tenant2\",remote=\"$RIG_GW_UNDERLAY\",segment=\"service_port\"")" = 0
rig_check "metrics: tenant1 still up" test "$(metric 3 l2mt_tenant_path_up "tenant=\"tenant1\",remote=\"$RIG_GW_UNDERLAY\",segment=\"path\"")" = 1
rig_check "metrics: gre11's BFD still up" test "$(metric 3 l2mt_tunnel_up "local=\"hv\",remote=\"$RIG_GW_UNDERLAY\",tunnel=\"gre11\"")" = 1
rig_veth hv h2v4 svc t2v4 $RIG_V4SIDE_MTU
rig_check "service port back: all up again" rig_wait_until "all up" 200 all_up
scrape 4
rig_check "metrics: counters never went down between scrapes" \
    $PY "$top_srcdir/tests/oam-metrics.py" "$RIG_DIR/metrics.1" \
    "$RIG_DIR/metrics.2" "$RIG_DIR/metrics.3" "$RIG_DIR/metrics.4"

# The trace through the agent: the same JSON as l2mt-trace.
UDP='udp,nw_src=192.168.0.10,nw_dst=192.168.0.100,tp_dst=80'
agent_ctl trace 1 "$UDP" > "$RIG_DIR/trace.agent" 2> "$RIG_DIR/trace.err"
rc=$?
OVS_RUNDIR=$RIG_DIR/hv "$top_builddir/utilities/l2mt-trace" --host=hv \
    -c "$RIG_DIR/l2mt.conf" --switch="$RIG_DIR/hv/ovs-vswitchd.ctl" \
    --format=json 1 "$UDP" > "$RIG_DIR/trace.cli" 2>&1
hops () {
    $PY -c 'import json, sys
d = json.load(open(sys.argv[1]))
for part in ("request", "answer"):
    print(part, d[part]["verdict"], " ".join(h["hop"] for h in d[part]["hops"]))
print(d["verdict"])' "$1"
}
rig_check "trace via the agent: exit 0, JSON, delivered" \
    eval "[ $rc = 0 ] && hops '$RIG_DIR/trace.agent' | tail -1 | grep -qx delivered"
rig_check "trace via the agent: the hops of l2mt-trace --format=json" \
    eval "[ \"\$(hops '$RIG_DIR/trace.agent')\" = \"\$(hops '$RIG_DIR/trace.cli')\" ]"
hops "$RIG_DIR/trace.agent" | sed 's/^/    | /'

flows () {
    rig_ofctl hv dump-flows br-svc --no-stats | sort
    rig_vsctl hv list-ports br-svc
}
bad_trace () {
    local _out=$RIG_DIR/bad.out _rc
    agent_ctl trace "$1" "$2" > "$_out" 2>&1
    _rc=$?
    echo "    trace $1 '$2': exit $_rc: $(cat "$_out")"
    [ $_rc = 2 ] && grep -q "$3" "$_out"
}
flows > "$RIG_DIR/flows.before"
rig_check "trace via the agent: unknown tenant refused" \
    bad_trace 9 "$UDP" 'no tenant "9"'
rig_check "trace via the agent: unparseable packet refused" \
    bad_trace 1 "udp,nw_src=192.168.0.10,colour=red" 'cannot parse the packet'
flows > "$RIG_DIR/flows.after"
rig_check "bad traces: nothing changed on the switch" \
    cmp -s "$RIG_DIR/flows.before" "$RIG_DIR/flows.after"
rig_check "the agent still answers after the bad input" probes

if [ "$RIG_FAILURES" != 0 ]; then
    rig_dump
    tail -n 30 "$RIG_DIR/agent.log"
fi
rig_finish
