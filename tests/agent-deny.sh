#! /bin/sh
# The tenant bridge is default deny (issue 11, item 1): its lowest flow
# drops, every tunnel and service port has its drop flow whatever else
# exists, a tenant whose service port is missing reaches nothing, an
# unbound port reaches nothing, a bound VM port's NORMAL never reaches a
# tenant's port, and a restarted ovs-vswitchd switches nothing before the
# agent's flows are back.  Checked with ofproto/trace on a real
# ovs-vswitchd (user-space datapath), in both tunnel modes.
. "${top_srcdir:-$(dirname "$0")/..}/tests/agent-lib.sh"
agent_require_ovs

agent_netns deny
agent_ovs_start a "$NS"
appctl() { ovs-appctl -t "$AGENT_TMP/ovs-a/ovs-vswitchd.ctl" "$@"; }

# The service VM's ports of tenant 10 and two VMs; tenant 11's service
# port does not exist yet (the service VM boots after the host).
agent_veths s10v4 s10v6 vm1 vm2

CONF=$AGENT_TMP/l2mt.conf
write_conf() {
    { agent_conf_host "$1"; cat <<EOF2; } > "$CONF"
tenant 11 {
    remote 10.0.0.1
    remote 10.0.0.3
    service-v4-port s11v4
}
port vm1 {
    interface vm1
}
EOF2
}
A() { in_ns "$AGENT" --db=unix:"$DB_SOCK" --host=hv1 -c "$CONF" \
          --inventory="$AGENT_TMP/inventory.json" "$@"; }

trace() { agent_trace br-t "$@"; }
dp_port() { agent_dp_port "$@"; }
BCAST=dl_dst=ff:ff:ff:ff:ff:ff
ARP=$BCAST,arp,arp_spa=192.168.0.10,arp_tpa=192.168.0.100
IP6=$BCAST,dl_src=00:00:00:00:00:01,ipv6,ipv6_src=fe80::1,ipv6_dst=ff02::1

# floods_only_vms PORT: a broadcast from bound VM port PORT leaves only
# on VM ports and LOCAL, never on a tunnel or service port.
floods_only_vms() {
    acts=$(trace "$1" "$BCAST,dl_src=00:00:00:00:00:09,arp")
    for p in gre10 gre11 gre11-1 l2mt-gre s10v4 s10v6 s11v4; do
        n=$(dp_port "$p")
        test -n "$n" || continue
        case ",$acts," in
        *",$n,"*) echo "broadcast from $1 leaves on $p: $acts"; return 1 ;;
        esac
    done
    case "$acts" in
    drop|"") echo "broadcast from $1 goes nowhere"; return 1 ;;
    esac
}

write_conf per-tenant
A apply > /dev/null || agent_fail "apply"
vsctl add-port br-t vm1 -- add-port br-t vm2 || agent_fail "add VM ports"
A apply > /dev/null || agent_fail "apply with VM ports"

check "tenant bridge is fail_mode=secure" \
    test "$(vsctl get bridge br-t fail_mode)" = secure
ofctl dump-flows br-t > "$AGENT_TMP/flows" || agent_fail "dump-flows"
check "lowest flow drops" grep -q 'priority=0 actions=drop' "$AGENT_TMP/flows"
check "no NORMAL but a bound VM port's" \
    test "$(grep -c 'actions=NORMAL' "$AGENT_TMP/flows")" = 1
for p in gre10 gre11 gre11-1 s10v4 s10v6 s11v4; do
    check "$p is in the isolation VLAN" \
        test "$(vsctl get port "$p" tag)" = 4095
done

# Tenant 11 has no service port: its tunnels reach nothing.
for p in gre11 gre11-1; do
    for m in "$ARP" "$IP6" "$BCAST,ip,nw_src=192.168.0.10"; do
        check "$p without its service port: drop ($m)" \
            test "$(trace "$p" "$m")" = drop
    done
done
check "tenant 10 still reaches its own service" \
    test "$(trace gre10 "$IP6")" = "$(dp_port s10v6)"
check "an unbound port reaches nothing" test "$(trace vm2 "$ARP")" = drop
check "LOCAL reaches nothing" test "$(trace LOCAL "$ARP")" = drop
check "a bound VM port floods to VMs only" floods_only_vms vm1
check "a VM's frame in the isolation VLAN is dropped" \
    test "$(trace vm1 "$BCAST,dl_vlan=4095,arp")" = drop

# The service port comes later: tenant 11 reaches it, and only it.
agent_veths s11v4
wait_for "s11v4's OpenFlow port" sh -c \
    "test \"\$(ovs-vsctl --db=unix:$DB_SOCK get interface s11v4 ofport)\" -gt 0"
A apply > /dev/null || agent_fail "apply after s11v4 came"
check "gre11-1 reaches s11v4 once it exists" \
    test "$(trace gre11-1 "$BCAST,ipv6,ipv6_src=fe80::1")" = drop
acts=$(trace gre11-1 "$ARP")
case "$acts" in
*"$(dp_port s11v4)") echo "ok: gre11-1's ARP goes to s11v4 ($acts)" ;;
*) agent_fail "gre11-1's ARP: $acts" ;;
esac

# ovs-vswitchd restarts: no flows until the agent puts them back, and no
# NORMAL meanwhile.
agent_ovs_kill a ovs-vswitchd
agent_vswitchd_start a "$NS"
wait_for "ovs-vswitchd after restart" appctl dpif/show
wait_for "gre10 after restart" sh -c "ovs-appctl -t $AGENT_TMP/ovs-a/ovs-vswitchd.ctl dpif/show | grep -q gre10"
check "restarted switch without flows drops" \
    test "$(trace gre10 "$ARP")" = drop
check "restarted switch without flows drops (VM)" \
    test "$(trace vm1 "$ARP")" = drop

# Flow mode: the same with the single tunnel port.
write_conf flow
A apply > /dev/null || agent_fail "apply (flow mode)"
in_ns ip link del s11v4
vsctl del-port s11v4 || agent_fail "del-port s11v4"
A apply > /dev/null || agent_fail "apply (flow mode, s11v4 gone)"
check "flow mode: l2mt-gre is in the isolation VLAN" \
    test "$(vsctl get port l2mt-gre tag)" = 4095
check "flow mode: tenant 11 without its service port: drop" \
    test "$(trace l2mt-gre "tun_id=11,tun_src=10.0.0.1,tun_dst=10.99.0.2,$ARP")" = drop
check "flow mode: an unknown key: drop" \
    test "$(trace l2mt-gre "tun_id=12,tun_src=10.0.0.1,tun_dst=10.99.0.2,$ARP")" = drop
check "flow mode: a bound VM port floods to VMs only" floods_only_vms vm1
echo PASS
