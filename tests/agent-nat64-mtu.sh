#! /bin/sh
# A tenant's mtu6/mtu4 (l2mt.conf) become the nat64 actions' MTU bounds
# (RFC 7915 4.2, 5.2; issue 14), installed in a real ovs-vswitchd that
# parses them (patch 0013); a tenant without them keeps the plain action.
. "${top_srcdir:-$(dirname "$0")/..}/tests/agent-lib.sh"
agent_require_ovs
"$OVS/utilities/ovs-ofctl" parse-flow \
    'ip,actions=nat64(mode=4toll6,mtu6=1500)' > /dev/null 2>&1 ||
    agent_skip "this Open vSwitch has no nat64 with MTUs"

agent_netns conform-mtu
agent_ovs_start a "$NS"
agent_veths s20v4 s21v4

CONF=$AGENT_TMP/l2mt.conf
cat > "$CONF" <<'EOF2'
host hv1 {
    bridge br-m
    datapath netdev
    underlay-ip 172.31.254.2/24
}
tenant 20 {
    remote 172.31.254.1
    service-v4-port s20v4
    mtu6 9000
    mtu4 1500
}
tenant 21 {
    remote 172.31.254.1
    service-v4-port s21v4
}
EOF2

check "apply" agent --host=hv1 -c "$CONF" --no-inventory apply
ovs-ofctl --names dump-flows br-m > "$AGENT_TMP/flows"
check "4toll6 with the tenant's MTUs" grep -q \
    'ip,in_port=gre20 actions=nat64(mode=4toll6,prefix=fe80::/96,mtu6=9000,mtu4=1500),output:s20v4' \
    "$AGENT_TMP/flows"
check "ll6to4 with the tenant's MTUs" grep -q \
    'ipv6,in_port=s20v4 actions=nat64(mode=ll6to4,prefix=fe80::/96,mtu6=9000,mtu4=1500),output:gre20' \
    "$AGENT_TMP/flows"
check "a tenant without MTUs keeps nat64:4toll6" grep -q \
    'ip,in_port=gre21 actions=nat64:4toll6,output:s21v4' "$AGENT_TMP/flows"
check "in sync after apply" agent --host=hv1 -c "$CONF" status

# Changing an MTU is drift that apply repairs.
sed -i 's/mtu4 1500/mtu4 1400/' "$CONF"
agent --host=hv1 -c "$CONF" status > /dev/null
check "a changed MTU is drift" test $? = 1
check "apply again" agent --host=hv1 -c "$CONF" --no-inventory apply
check "the new MTU is installed" sh -c \
    "ovs-ofctl --names dump-flows br-m | grep -q 'mtu6=9000,mtu4=1400),output:s20v4'"
echo PASS
