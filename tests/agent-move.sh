#! /bin/sh
# Port profiles follow a VM: two simulated hosts (two ovs-vswitchd, each in
# its own namespace) share one config; a VM interface found by its
# iface-id, and another by its MAC, move from host A to host B (under new
# interface names) and get the same settings there.
. "${top_srcdir:-$(dirname "$0")/..}/tests/agent-lib.sh"
agent_require_ovs

CONF=$AGENT_TMP/l2mt.conf
cat > "$CONF" <<'EOF2'
host hv-a {
    edge-switch tor1
    bridge br-vm
    datapath netdev
}
host hv-b {
    edge-switch tor2
    bridge br-vm
    datapath netdev
}
tenant 10 {
    remote 10.0.0.1
    service-v4-port svc10
    nat64 off
}
profile web {
    vlan 100
    ingress-policing-rate 2000
    ingress-policing-burst 200
    qos egress-policer cir=250000 cbs=3000
    sflow off
}
profile trunk {
    trunks 300,100,200
}
port web1 {
    iface-id 0b7d4c35-web1
    profile web
    tenant 10
}
port db1 {
    mac 52:54:00:aa:bb:02
    profile trunk
}
EOF2

agent_netns hva; NSA=$NS
agent_netns hvb; NSB=$NS
agent_ovs_start a "$NSA"
agent_ovs_start b "$NSB"

# on HOST CMD...: runs CMD against HOST's switch, in HOST's namespace.
on() {
    h=$1; shift
    agent_ovs_env "$h"
    if [ "$h" = a ]; then NS=$NSA; else NS=$NSB; fi
    "$@"
}
apply_on() {
    on "$1" true
    ip netns exec "$NS" "$AGENT" --db=unix:"$DB_SOCK" \
        --host="hv-$1" -c "$CONF" --inventory="$AGENT_TMP/inv-$1.json" \
        apply > /dev/null || agent_fail "apply on $1"
}
# plug HOST IFACE IFACE-ID MAC: libvirt starts a VM interface.
plug() {
    on "$1" true
    ip -n "$NS" link add "$2" type veth peer name "p$2" \
        || agent_fail "veth $2"
    ip -n "$NS" link set "$2" up
    vsctl add-port br-vm "$2" -- set interface "$2" \
        external_ids:iface-id="$3" external_ids:attached-mac="$4" \
        || agent_fail "plug $2"
}
# settings HOST IFACE: what the agent set on the port, host-independent.
settings() {
    on "$1" vsctl get port "$2" tag trunks external_ids:l2mt-profile
    vsctl get interface "$2" ingress_policing_rate ingress_policing_burst
    q=$(vsctl get port "$2" qos)
    if [ "$q" = '[]' ]; then echo "no qos"; else
        vsctl get qos "$q" type other_config; fi
}

# start_vms HOST WEB-IF DB-IF: the two VMs start on HOST under these
# interface names, the agent applies there and we note their settings.
start_vms() {
    plug "$1" "$2" 0b7d4c35-web1 52:54:00:aa:bb:01
    plug "$1" "$3" other-id 52:54:00:aa:bb:02
    apply_on "$1"
    settings "$1" "$2" > "$AGENT_TMP/web-$1"
    settings "$1" "$3" > "$AGENT_TMP/db-$1"
}

apply_on a
apply_on b
start_vms a vnet0 vnet1
cat "$AGENT_TMP/web-a" "$AGENT_TMP/db-a"
check "web1 on A: profile web" test "$(head -1 "$AGENT_TMP/web-a")" = 100
check "db1 on A (by MAC): trunks" test "$(sed -n 2p "$AGENT_TMP/db-a")" = '[100, 200, 300]'
check "inventory A lists web1 on hv-a/tor1" sh -c "
    tr -d ' \n' < $AGENT_TMP/inv-a.json | grep -q '\"edge_switch\":\"tor1\",\"host\":\"hv-a\",\"iface\":\"[^\"]*\",\"mac\":\"52:54:00:aa:bb:01\"'"

# Migration: the VM leaves A and starts on B under other interface names.
on a vsctl del-port vnet0 -- del-port vnet1
on a ip -n "$NSA" link del vnet0; ip -n "$NSA" link del vnet1
apply_on a
start_vms b vnet7 vnet8
check "web1 on B: same settings as on A" cmp "$AGENT_TMP/web-a" "$AGENT_TMP/web-b"
check "db1 on B: same settings as on A" cmp "$AGENT_TMP/db-a" "$AGENT_TMP/db-b"
check "inventory B lists web1 on hv-b/tor2" sh -c "
    tr -d ' \n' < $AGENT_TMP/inv-b.json | grep -q '\"edge_switch\":\"tor2\",\"host\":\"hv-b\",\"iface\":\"vnet7\",\"mac\":\"52:54:00:aa:bb:01\"'"
check "inventory A no longer lists web1" sh -c "! grep -q 52:54:00:aa:bb:01 $AGENT_TMP/inv-a.json"
check "A keeps no l2mt QoS" test "$(on a vsctl list qos)" = ""
echo PASS
