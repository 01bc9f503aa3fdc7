#!/bin/bash
# The multi-tenant scenario programmed by l2mt-agent, in both tunnel modes:
# three tenant LANs with the same addresses reach one service namespace
# over GRE; the agent sets up the hypervisor's GRE ports and flows from its
# config (tests/system-lib.sh builds the rest of the rig).  With the
# patched OVS, IPv4 goes through nat64 (4toll6/ll6to4); every OVS carries
# native IPv6 to each tenant's own interface.

RIG_HV_FLOWS=0
. "${top_srcdir:-$(dirname "$0")/..}/tests/system-lib.sh"
AGENT=$top_builddir/utilities/l2mt-agent
[ -x "$AGENT" ] || { echo "SKIP: $AGENT not built"; exit 77; }

rig_init "l2mt-at$$" || exit $?
rig_up || exit 1
rig_server_start || exit 1

CONF=$RIG_DIR/l2mt.conf
agent () {
    rig_agent "$@"
}

# write_conf MODE: the hypervisor's config in tunnel mode MODE.
write_conf () {
    rig_agent_conf "$1" '    sflow {
        agent br-phy
        target 127.0.0.1:6343
        sampling 1
    }'
}

expect_answer () {
    local _if
    _if=$(rig_service_if "$2" "$3")
    echo "    answer: ${1:-(none)}"
    case $1 in
    "iface=$_if scope="*" peer=$RIG_TENANT_LL port="*) return 0 ;;
    esac
    return 1
}

families=6
[ "$RIG_NAT64" = 1 ] && families="4 6"

traffic () {
    local n f dst
    for n in $RIG_TENANTS; do
        for f in $families; do
            if [ $f = 4 ]; then
                dst=$RIG_SERVICE_IP ping=ping
            else
                dst=$RIG_SERVICE_LL%eth0 ping="ping -6"
            fi
            ip -n "$(rig_ns t$n)" neigh flush dev eth0
            rig_check "$1: t$n pings $dst (IPv$f)" \
                rig_exec t$n $ping -c 2 -i 0.2 -W 2 -q "$dst"
            rig_check "$1: HTTP from t$n over IPv$f lands on $(rig_service_if "$n" $f)" \
                expect_answer "$(rig_ask "$n" $f)" "$n" $f
        done
    done
}

if [ "$RIG_NAT64" = 1 ]; then
    # The patched OVS takes the config's flows as they are.
    write_conf per-tenant
else
    # A stock OVS rejects nat64 flows: the tenants' IPv4 goes untranslated
    # (and unanswered), native IPv6 is the same.
    write_conf per-tenant
    sed -i 's/nat64 on/nat64 off/' "$CONF"
fi

# Per-tenant GRE ports (the rig made the same ones: the agent adopts them).
agent apply || rig_check "apply (per-tenant)" false
rig_check "per-tenant: flows installed" \
    test "$(rig_ofctl hv dump-flows br-svc cookie=0x4c324d54/-1 | grep -c cookie=)" -ge 12
agent status > "$RIG_DIR/status" 2>&1
rig_check "per-tenant: status in sync" grep -q '^status: in sync' "$RIG_DIR/status"
traffic per-tenant
rig_vsctl hv list sflow > "$RIG_DIR/sflow"
rig_check "sFlow of the host in ovs-vsctl list sflow" \
    grep -q 'targets *: \["127.0.0.1:6343"\]' "$RIG_DIR/sflow"

# One flow-based GRE port instead: take the rig's per-tenant ports away.
for n in $RIG_TENANTS; do
    rig_vsctl hv del-port br-svc "gre$(rig_key "$n")"
done
sed -i 's/tunnel-mode per-tenant/tunnel-mode flow/' "$CONF"
agent apply || rig_check "apply (flow)" false
rig_check "flow mode: one GRE port, key=flow remote_ip=flow" \
    test "$(rig_vsctl hv get interface l2mt-gre options:key options:remote_ip)" = 'flow
flow'
rig_check "flow mode: tun_id flows" \
    sh -c "OVS_RUNDIR=$RIG_DIR/hv $RIG_OVS/utilities/ovs-ofctl dump-flows br-svc | grep -q 'tun_id=0xb'"
traffic flow

# Meters (issue 11, item 5), with real traffic through the user-space
# datapath: tenant A floods the service with pings over a 50 packets/s
# meter, tenant B's pings at the same time all arrive.
set -- $RIG_TENANTS
ta=$1 tb=$2
ida=$(awk -v n="$ta" '$1 == "tenant" && $2 < n { r++ } END { print 1100000000 + 2 * r }' "$CONF")
sed -i "/^tenant $ta {/a\\    meter-pps 50" "$CONF"
agent apply > /dev/null || rig_check "apply (tenant $ta metered)" false
rig_ofctl hv -O OpenFlow13 dump-meters br-svc > "$RIG_DIR/meters"
rig_check "meters: tenant $ta's at 50 pktps (meter $ida)" \
    grep -A1 "meter=$ida pktps" "$RIG_DIR/meters"
rig_check "meters: one pair per tenant" \
    test "$(grep -c '^meter=' "$RIG_DIR/meters")" = $(($(echo $RIG_TENANTS | wc -w) * 2))
grep -A1 "meter=$ida pktps" "$RIG_DIR/meters" | grep -q 'rate=50$' \
    || rig_check "meter $ida: rate 50" false
dst=$RIG_SERVICE_LL%eth0
rig_exec t$ta ping -6 -c 400 -i 0.002 -W 1 -q "$dst" > "$RIG_DIR/flood" 2>&1 &
flood=$!
rig_check "meters: t$tb's pings pass during t$ta's flood" \
    rig_exec t$tb ping -6 -c 10 -i 0.05 -W 2 -q "$dst"
wait $flood
got=$(sed -n 's/.* \([0-9]*\) received.*/\1/p' "$RIG_DIR/flood")
echo "    t$ta: ${got:-?} of 400 pings answered through a 50 pktps meter"
rig_check "meters: t$ta's flood is limited" test "${got:-400}" -lt 300
rig_ofctl hv -O OpenFlow13 meter-stats br-svc "meter=$ida" > "$RIG_DIR/mstats"
cat "$RIG_DIR/mstats"
rig_check "meters: the meter dropped packets" \
    grep -Eq '^ *0: packet_count:[1-9]' "$RIG_DIR/mstats"
sed -i '/^    meter-pps 50$/d' "$CONF"
agent apply > /dev/null || rig_check "apply (meter back to default)" false
rig_check "meters: back to the default rate (mod-meter)" \
    sh -c "OVS_RUNDIR=$RIG_DIR/hv $RIG_OVS/utilities/ovs-ofctl -O OpenFlow13 dump-meters br-svc meter=$ida | grep -q 'rate=100000'"

agent apply > "$RIG_DIR/again" 2>&1
cat "$RIG_DIR/again"
rig_check "flow mode: second apply changes nothing" grep -q '^apply: no change' "$RIG_DIR/again"

agent remove >/dev/null 2>&1
rig_check "remove: l2mt-gre gone" \
    sh -c "! $RIG_OVS/utilities/ovs-vsctl --db=unix:$RIG_DIR/hv/db.sock port-to-br l2mt-gre 2>/dev/null"
rig_check "remove: the rig's service ports stay" \
    test "$(rig_vsctl hv port-to-br h1v4)" = br-svc
rig_finish
