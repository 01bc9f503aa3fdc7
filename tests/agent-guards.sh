#! /bin/sh
# The agent's ingress guards per tenant (issue 11, items 3 and 4), with
# ofproto/trace on a real ovs-vswitchd (user-space datapath) in both tunnel
# modes: a tenant may not claim the service's addresses (IPv4 and its
# link-local form), loopback, multicast, broadcast, "this network" or
# IPv4-mapped sources, nor anything but link-local on the native path
# unless its tenant block allows more; Router Advertisements and Redirects
# never reach the service; ARP probes and DAD still do; ordinary traffic
# still passes.  Needs the patched OVS (nat64) for the translated path.
. "${top_srcdir:-$(dirname "$0")/..}/tests/agent-lib.sh"
agent_require_ovs
agent_ovs_has_nat64 || agent_skip "this OVS has no nat64 action"

agent_netns guards
agent_ovs_start a "$NS"
agent_veths s10v4 s10v6 s11v4 s11v6

CONF=$AGENT_TMP/l2mt.conf
write_conf() {
    { agent_conf_host "$1"; cat <<EOF2; } > "$CONF"
tenant 11 {
    remote 10.0.0.1
    service-v4-port s11v4
    service-v6-port s11v6
    service-address 192.168.7.1
    service-address fe80::53
    ipv6-source fe80::/10
    ipv6-source 2001:db8::/32
}
EOF2
}
A() { in_ns "$AGENT" --db=unix:"$DB_SOCK" --host=hv1 -c "$CONF" \
          --inventory="$AGENT_TMP/inventory.json" "$@"; }

BC=dl_dst=ff:ff:ff:ff:ff:ff,dl_src=00:00:00:00:00:0a
udp4() { echo "$BC,udp,nw_src=$1,nw_dst=192.168.0.100,udp_src=5000,udp_dst=53"; }
udp6() { echo "$BC,udp6,ipv6_src=$1,ipv6_dst=fe80::c0a8:64,udp_src=5000,udp_dst=53"; }
ICMP6="$BC,icmp6,ipv6_dst=ff02::1"

# drops IN NAME MATCH / passes IN NAME MATCH PORT: the frame is dropped /
# leaves on PORT.
drops() {
    check "$2: dropped" test "$(agent_trace br-t "$1" "$3")" = drop
}
passes() {
    acts=$(agent_trace br-t "$1" "$3")
    case "$acts" in
    *"$(agent_dp_port "$4")") echo "ok: $2: to $4" ;;
    *) agent_fail "$2: to $4, but: $acts" ;;
    esac
}

run() {
    in=$1 in11=$2
    # The translated path.
    passes "$in" "UDP from a tenant host" "$(udp4 192.168.0.10)" s10v4
    drops "$in" "UDP from the service's address" "$(udp4 192.168.0.100)"
    for src in 0.1.2.3 127.0.0.1 224.0.0.5 239.255.255.250 \
               255.255.255.255; do
        drops "$in" "UDP from $src" "$(udp4 $src)"
    done
    drops "$in" "ARP claiming the service's address" \
        "$BC,arp,arp_op=2,arp_spa=192.168.0.100,arp_tpa=192.168.0.100"
    drops "$in" "ARP from 127.0.0.1" \
        "$BC,arp,arp_op=1,arp_spa=127.0.0.1,arp_tpa=192.168.0.100"
    passes "$in" "ARP probe (sender 0.0.0.0, DAD)" \
        "$BC,arp,arp_op=1,arp_spa=0.0.0.0,arp_tpa=192.168.0.10" s10v4
    passes "$in" "ARP request" \
        "$BC,arp,arp_op=1,arp_spa=192.168.0.10,arp_tpa=192.168.0.100" s10v4
    # The native path.
    passes "$in" "native UDP from link-local" "$(udp6 fe80::c0a8:a)" \
        s10v6
    drops "$in" "native UDP from the service's address" \
        "$(udp6 fe80::c0a8:64)"
    drops "$in" "native UDP from an IPv4-mapped address" \
        "$(udp6 ::ffff:192.168.0.100)"
    drops "$in" "native UDP from a global address (not allowed)" \
        "$(udp6 2001:db8::1)"
    drops "$in" "native UDP from ::" "$(udp6 ::)"
    passes "$in" "DAD Neighbor Solicitation from ::" \
        "$ICMP6,ipv6_src=::,icmpv6_type=135,nd_target=fe80::c0a8:a" s10v6
    drops "$in" "Router Advertisement" \
        "$ICMP6,ipv6_src=fe80::c0a8:1,icmpv6_type=134,icmpv6_code=0"
    drops "$in" "Redirect" \
        "$BC,icmp6,ipv6_src=fe80::c0a8:1,ipv6_dst=fe80::c0a8:64,icmpv6_type=137"
    passes "$in" "Neighbor Advertisement" \
        "$ICMP6,ipv6_src=fe80::c0a8:a,icmpv6_type=136,nd_target=fe80::c0a8:a" \
        s10v6
    # Tenant 11: its own service addresses, a global prefix allowed.
    drops "$in11" "tenant 11: UDP from its service address" \
        "$(udp4 192.168.7.1)"
    passes "$in11" "tenant 11: UDP from 192.168.0.100 (not its service)" \
        "$(udp4 192.168.0.100)" s11v4
    drops "$in11" "tenant 11: native UDP from its service's fe80::53" \
        "$(udp6 fe80::53)"
    passes "$in11" "tenant 11: native UDP from an allowed global prefix" \
        "$(udp6 2001:db8::1)" s11v6
    drops "$in11" "tenant 11: native UDP from another global prefix" \
        "$(udp6 2001:db9::1)"
    drops "$in11" "tenant 11: Router Advertisement from a global source" \
        "$ICMP6,ipv6_src=2001:db8::1,icmpv6_type=134"
}

write_conf per-tenant
A apply > /dev/null || agent_fail "apply (per-tenant)"
run gre10 gre11
write_conf flow
A apply > /dev/null || agent_fail "apply (flow)"
run l2mt-gre,tun_id=10,tun_src=10.0.0.1,tun_dst=10.99.0.2 \
    l2mt-gre,tun_id=11,tun_src=10.0.0.1,tun_dst=10.99.0.2
echo PASS
