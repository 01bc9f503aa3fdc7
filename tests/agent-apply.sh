#! /bin/sh
# l2mt-agent apply / idempotence / drift / remove / bad config against a
# real ovsdb-server and ovs-vswitchd (user-space datapath) in a network
# namespace of its own.
. "${top_srcdir:-$(dirname "$0")/..}/tests/agent-lib.sh"
agent_require_ovs

agent_netns apply
agent_ovs_start a "$NS"
nat64=$(agent_nat64_mode)
echo "nat64 $nat64 (patched OVS: on)"

# The service VM's interfaces and a VM's, as veth pairs in the namespace.
agent_veths s10v4 s10v6 s11v4 vm1 u0

CONF=$AGENT_TMP/l2mt.conf
INV=$AGENT_TMP/inventory.json
pmode=normal
[ $nat64 = on ] && pmode=4toll6
sed "s/@NAT64@/$nat64/; s/@PMODE@/$pmode/" > "$CONF" <<'EOF2'
host hv1 {
    edge-switch tor1
    bridge br-t
    datapath netdev
    inventory /nonexistent/overridden.json
    underlay-interface u0
    underlay-ip 10.99.0.2/24
    underlay-bridge br-phy
    sflow {
        agent lo
        target 127.0.0.1:6343
        target 127.0.0.2:6343
        sampling 100
        polling 15
        header 64
    }
}
tenant 10 {
    remote 10.0.0.1
    service-v4-port s10v4
    service-v6-port s10v6
    nat64 @NAT64@
}
tenant 11 {
    name beta
    remote 10.0.0.1
    remote 10.0.0.3
    service-v4-port s11v4
    prefix 64:ff9b::/96
    nat64 @NAT64@
}
profile web {
    vlan 100
    ingress-policing-rate 1000
    ingress-policing-burst 100
    qos egress-policer cir=125000 cbs=1500
    sflow off
    nat64 @PMODE@
}
port vm1 {
    iface-id vm1-uuid
    profile web
    tenant beta
}
EOF2
A() { in_ns "$AGENT" --db=unix:"$DB_SOCK" --host=hv1 -c "$CONF" \
          --inventory="$INV" "$@"; }

# What the switch holds, to compare before and after.
snapshot() {
    { vsctl --columns=name,datapath_type,external_ids,sflow list Bridge
      vsctl --columns=name,tag,trunks,qos,external_ids list Port
      vsctl --columns=name,type,options,ingress_policing_rate list Interface
      vsctl list sFlow; vsctl list QoS
      for br in $(vsctl list-br); do
          ovs-ofctl dump-flows --no-stats "$br" | sort
      done; } 2>&1 | sed 's/duration=[^,]*,//'
}

# A bridge that is not l2mt's, with a port and a flow of its own.
vsctl add-br br-x -- set bridge br-x datapath_type=netdev \
    -- add-port br-x xport -- set interface xport type=internal
ovs-ofctl add-flow br-x "priority=7,in_port=xport actions=drop"

# Dry run: prints the transaction and the flows, changes nothing.
snapshot > "$AGENT_TMP/s0"
A --dry-run > "$AGENT_TMP/dry" || agent_fail "dry run failed"
cat "$AGENT_TMP/dry"
check "dry run prints one ovs-vsctl transaction" \
    test "$(grep -c '^ovs-vsctl .* -- add-br br-t ' "$AGENT_TMP/dry")" = 1
check "dry run prints replace-flows" \
    grep -q -- '--bundle replace-flows br-t' "$AGENT_TMP/dry"
check "dry run prints the tenant flows" \
    grep -q 'cookie=0x4c324d54,priority=80,in_port=s11v4 actions=drop' "$AGENT_TMP/dry"
snapshot > "$AGENT_TMP/s1"
check "dry run changed nothing" cmp -s "$AGENT_TMP/s0" "$AGENT_TMP/s1"

# Apply.
A apply > "$AGENT_TMP/out1" || agent_fail "apply failed"
check "first apply changes the switch" grep -q 'apply: switch changed' "$AGENT_TMP/out1"
check "bridge br-t is l2mt's, netdev" \
    test "$(vsctl get bridge br-t datapath_type external_ids:l2mt-owner)" = 'netdev
l2mt-agent'
check "per-tenant GRE port with key 10" \
    test "$(vsctl get interface gre10 type options:key options:remote_ip)" = 'gre
"10"
"10.0.0.1"'
check "second remote of tenant 11" \
    test "$(vsctl get interface gre11-1 options:remote_ip)" = '"10.0.0.3"'
check "service ports on br-t" \
    test "$(vsctl port-to-br s10v4) $(vsctl port-to-br s11v4)" = "br-t br-t"
check "sFlow settings of the host" sh -c "
    $(command -v ovs-vsctl) --db=unix:$DB_SOCK list sflow > $AGENT_TMP/sflow &&
    grep -q 'agent *: lo' $AGENT_TMP/sflow &&
    grep -q 'sampling *: 100' $AGENT_TMP/sflow &&
    grep -q 'polling *: 15' $AGENT_TMP/sflow &&
    grep -q 'header *: 64' $AGENT_TMP/sflow &&
    grep -q 'targets *: \[\"127.0.0.1:6343\", \"127.0.0.2:6343\"\]' $AGENT_TMP/sflow"
check "underlay bridge: netdev, l2mt's, the underlay's MAC" \
    test "$(vsctl get bridge br-phy datapath_type external_ids:l2mt-owner other_config:hwaddr)" = "netdev
l2mt-agent
\"$(cat /sys/class/net/u0/address 2>/dev/null || in_ns cat /sys/class/net/u0/address)\""
check "underlay interface on br-phy" test "$(vsctl port-to-br u0)" = br-phy
check "tunnel address on br-phy, up" sh -c "ip -n $NS -o addr show dev br-phy | grep -q 'inet 10.99.0.2/24' &&
    ip -n $NS link show br-phy | grep -q ',UP'"
check "GRE ports use it as local_ip" test "$(vsctl get interface gre10 options:local_ip)" = '"10.99.0.2"'
n=$(ovs-ofctl dump-flows br-t cookie=0x4c324d54/-1 | grep -c cookie=)
echo "flows on br-t: $n"
check "l2mt's flows installed" test "$n" -ge 8

# libvirt plugs a VM in; the next apply gives it its profile.
vsctl add-port br-t vm1 -- set interface vm1 external_ids:iface-id=vm1-uuid \
    external_ids:attached-mac=52:54:00:00:00:01
A apply > "$AGENT_TMP/out2" || agent_fail "apply with vm1 failed"
check "profile: VLAN tag" test "$(vsctl get port vm1 tag)" = 100
check "profile: policing" \
    test "$(vsctl get interface vm1 ingress_policing_rate ingress_policing_burst)" = '1000
100'
check "profile: QoS" \
    test "$(vsctl get qos "$(vsctl get port vm1 qos)" type other_config:cir)" = 'egress-policer
"125000"'
check "profile: marks" \
    test "$(vsctl get port vm1 external_ids:l2mt-profile external_ids:l2mt-tenant external_ids:l2mt-sflow)" = 'web
beta
off'
if [ $nat64 = on ]; then
    ovs-ofctl --names dump-flows br-t > "$AGENT_TMP/nat64-flows"
    check "nat64 flows with the tenant's prefix" grep -q \
        'in_port=s11v4 actions=nat64(mode=ll6to4,prefix=64:ff9b::/96),output:gre11,output:"gre11-1"' \
        "$AGENT_TMP/nat64-flows"
    check "the profile's nat64 mode on vm1" grep -q \
        'ip,in_port=vm1 actions=nat64:4toll6,NORMAL' "$AGENT_TMP/nat64-flows"
fi
check "inventory lists vm1" grep -q '"mac": "52:54:00:00:00:01"' "$INV"
# The inventory's keys are sorted (OVS's JSSF_SORT).
check "inventory: vm1's bridge, host and edge switch" sh -c "
    tr -d ' \n' < $INV | grep -q '\"bridge\":\"br-t\",\"edge_switch\":\"tor1\",\"host\":\"hv1\",\"iface\":\"vm1\",\"mac\":\"52:54:00:00:00:01\"'"
check "inventory: vm1's tenant and VLAN" sh -c "
    tr -d ' \n' < $INV | grep -q '\"mac\":\"52:54:00:00:00:01\",[^}]*\"tenant\":\"beta\",\"tenant_id\":11,\"tenant_key\":11,\"vlan\":100}'"
check "inventory: service port MAC from the kernel" sh -c "
    tr -d ' \n' < $INV | grep -q '\"iface\":\"s10v4\",\"mac\":\"[0-9a-f:]*\",\"mac_source\":\"kernel\"'"
check "inventory: version 1, host and edge switch" sh -c "
    tr -d ' \n' < $INV | grep -q '^{\"edge_switch\":\"tor1\",\"host\":\"hv1\",\"version\":1,\"vms\":\['"

# Idempotence: the next apply changes nothing, not even the flows.
snapshot > "$AGENT_TMP/s2"
A apply > "$AGENT_TMP/out3" 2>&1 || agent_fail "second apply failed"
cat "$AGENT_TMP/out3"
check "second apply says no change" grep -q '^apply: no change$' "$AGENT_TMP/out3"
snapshot > "$AGENT_TMP/s3"
check "second apply changed nothing" cmp -s "$AGENT_TMP/s2" "$AGENT_TMP/s3"
A status > "$AGENT_TMP/st1"; rc=$?
check "status in sync: exit 0" test $rc = 0

# Drift: someone changes a key, a tag and deletes a flow.
vsctl set interface gre10 options:key=99 -- set port vm1 tag=7
ovs-ofctl del-flows br-t "in_port=s11v4"
A status > "$AGENT_TMP/st2"; rc=$?
cat "$AGENT_TMP/st2"
check "status with drift: exit 1" test $rc = 1
check "status names the GRE key" grep -q 'gre10: options:key is "99", want "10"' "$AGENT_TMP/st2"
check "status names the tag" grep -q 'vm1: tag is "7", want "100"' "$AGENT_TMP/st2"
check "status names the flow" grep -q '^drift: flow .*in_port=' "$AGENT_TMP/st2"
A apply > /dev/null || agent_fail "apply after drift failed"
check "apply repaired the drift" test "$(vsctl get interface gre10 options:key) $(vsctl get port vm1 tag)" = '"10" 100'
A status > /dev/null; rc=$?
check "in sync again" test $rc = 0
snapshot > "$AGENT_TMP/s4"
check "same state as before the drift" cmp -s "$AGENT_TMP/s2" "$AGENT_TMP/s4"

# A bad config: file:line error, nothing changed.
sed 's/remote 10.0.0.3/remote 10.0.0.300/' "$CONF" > "$AGENT_TMP/bad.conf"
in_ns "$AGENT" --db=unix:"$DB_SOCK" --host=hv1 -c "$AGENT_TMP/bad.conf" \
    apply > "$AGENT_TMP/bad.out" 2>&1; rc=$?
cat "$AGENT_TMP/bad.out"
check "bad config: exit 1" test $rc = 1
line=$(grep -n 'remote 10.0.0.300' "$AGENT_TMP/bad.conf" | cut -d: -f1)
check "bad config: file:line" grep -q "^$AGENT_TMP/bad.conf:$line: remote: \"10.0.0.300\" is not an IPv4 address" "$AGENT_TMP/bad.out"
snapshot > "$AGENT_TMP/s5"
check "bad config changed nothing" cmp -s "$AGENT_TMP/s2" "$AGENT_TMP/s5"
check "unknown host: exit 1" sh -c "! $AGENT --db=unix:$DB_SOCK --host=nohost -c $CONF apply 2>/dev/null"

# Tenant 11 leaves the config: its ports and flows go, the rest stays.
awk '/^tenant 11/ { skip = 1 } skip && /^}/ { skip = 0; next } !skip' "$CONF" \
    | sed 's/tenant beta/tenant 10/' > "$AGENT_TMP/less.conf"
in_ns "$AGENT" --db=unix:"$DB_SOCK" --host=hv1 -c "$AGENT_TMP/less.conf" \
    --no-inventory apply >/dev/null || agent_fail "apply without tenant 11"
check "tenant 11's ports gone" sh -c "! $(command -v ovs-vsctl) --db=unix:$DB_SOCK port-to-br gre11 2>/dev/null"
check "tenant 10's port stays" test "$(vsctl port-to-br gre10)" = br-t
A apply >/dev/null || agent_fail "apply with tenant 11 again"

# Remove: l2mt's state goes, nothing else.
A remove > "$AGENT_TMP/rm1" 2>&1 || agent_fail "remove failed"
cat "$AGENT_TMP/rm1"
check "l2mt's ports gone" sh -c "! $(command -v ovs-vsctl) --db=unix:$DB_SOCK port-to-br gre10 2>/dev/null"
check "vm1 stays, br-t kept for it" test "$(vsctl port-to-br vm1)" = br-t
check "vm1's profile settings gone" \
    test "$(vsctl get port vm1 tag trunks qos external_ids)" = '[]
[]
[]
{}'
check "l2mt's QoS row destroyed" test -z "$(vsctl list qos)"
check "vm1's policing gone" test "$(vsctl get interface vm1 ingress_policing_rate)" = 0
check "vm1's libvirt ids stay" test "$(vsctl get interface vm1 external_ids:iface-id)" = vm1-uuid
check "l2mt's sFlow gone" test "$(vsctl get bridge br-t sflow)" = '[]'
check "l2mt's flows gone" test "$(ovs-ofctl dump-flows br-t cookie=0x4c324d54/-1 | grep -c cookie=)" = 0
ovs-ofctl --names dump-flows br-x > "$AGENT_TMP/brx"
check "the other bridge's flow untouched" grep -q 'priority=7,in_port=xport actions=drop' "$AGENT_TMP/brx"
check "the other bridge's port untouched" test "$(vsctl port-to-br xport)" = br-x
A remove > "$AGENT_TMP/rm2" 2>&1 || agent_fail "second remove failed"
check "second remove: no change" grep -q '^remove: no change$' "$AGENT_TMP/rm2"
vsctl del-port vm1
A remove > /dev/null 2>&1 || agent_fail "third remove failed"
check "br-t gone with its last foreign port" sh -c "! $(command -v ovs-vsctl) --db=unix:$DB_SOCK br-exists br-t"
check "br-x stays" vsctl br-exists br-x
echo "PASS"
