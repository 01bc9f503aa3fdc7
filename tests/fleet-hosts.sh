#!/bin/sh
# The fleet end to end: a three-member Raft cluster (one member per network
# namespace) and four hypervisors, each its own namespace with its own
# ovsdb-server and ovs-vswitchd (user-space datapath) and an
# "l2mt-agent run --fleet" following the cluster over the namespaces'
# network.  A VM port moved from hv1 to hv2 gets its profile and flows
# there and loses them on hv1, and the database's VM_Port.host follows.
# Tenants added with --wait=hv are in every host's flows when it returns;
# with the leader killed, and with a member partitioned, the hosts' flows
# stay, writes resume and all converge; an agent restarted while the whole
# cluster is down comes up on the config it applied last; a state that
# breaks an isolation rule, written around l2mt-ctl, is refused by every
# agent (flows and kept config unchanged, last_error in its status row).

. "${top_srcdir:-$(dirname "$0")/..}/tests/agent-lib.sh"
agent_require_ovs
. "$top_srcdir/tests/fleet-lib.sh"
fleet_require
trap 'fleet_cleanup; agent_cleanup' EXIT
HOSTS="1 2 3 4"
BR=br-f

# Everything a host needs that the database does not create: the service
# VM's interfaces of every tenant the test adds (veths, one end up).
SVC_PORTS="svc10v4 svc20v4 svc30v4 svc31v4 svc32v4"

# The cluster, and each host's namespace on the same network
# (192.0.2.11..14).
fleet_cluster
for i in $HOSTS; do
    fleet_attach "h$i" "192.0.2.1$i"
    for p in $SVC_PORTS; do
        ip -n "$ns" link add "$p" type veth peer name "p$p" \
            && ip -n "$ns" link set "$p" up || fleet_fail "veth $p on h$i"
    done
    agent_ovs_start "h$i" "$ns" 2>>"$FLEET_TMP/ovs.err"
done
echo "ok: three-member cluster, leader $(fleet_leader); four hypervisors"

cat > "$FLEET_TMP/start.conf" <<EOF
$(for i in $HOSTS; do printf 'host hv%s {\n    bridge %s\n    datapath netdev\n}\n' $i $BR; done)
tenant 10 {
    remote 10.0.0.1
    service-v4-port svc10v4
    nat64 off
}
profile web {
    vlan 100
    ingress-policing-rate 2000
}
port vm1 {
    iface-id 6f1c-fleet-vm1
    profile web
    tenant 10
}
EOF
fleet_ctl import "$FLEET_TMP/start.conf" || fleet_fail "l2mt-ctl import"

# at I: the commands that follow are for host I's switch: its OVS_*
# variables, $DB_SOCK and $dir (agent_ovs_env), and in_h runs in its
# namespace.
at() {
    agent_ovs_env "h$1"
    h_ns=$(fleet_ns "h$1")
}
in_h() { ip netns exec "$h_ns" "$@"; }
# on I CMD...: CMD in host I's namespace, for its switch (CMD's arguments
# are expanded before: no $DB_SOCK or $dir in them).
on() { at "$1"; shift; in_h "$@"; }
hvsctl() { in_h ovs-vsctl --timeout=10 --db=unix:"$DB_SOCK" "$@"; }

# start_agent I: host I's agent, following the cluster; it keeps the last
# config applied in $FLEET_TMP/hvI.conf.
start_agent() {
    at "$1"
    in_h "$AGENT" --db=unix:"$DB_SOCK" --fleet="$FLEET_DB" --host="hv$1" \
        -c "$FLEET_TMP/hv$1.conf" --inventory="$FLEET_TMP/inv$1.json" \
        --interval=1 --max-backoff=2 --detach --no-chdir \
        --pidfile="$dir/agent.pid" --log-file="$FLEET_TMP/agent$1.log" run \
        2>>"$FLEET_TMP/agent$1.err" || fleet_fail "agent hv$1 did not start"
}
for i in $HOSTS; do
    start_agent $i
done

# flows I: host I's flows on the tenant bridge, ports by name, no counters.
flows() { on "$1" ovs-ofctl --no-stats --names dump-flows $BR | sort; }
has_flows_for() { flows "$1" | grep -q "in_port=\"*$2\"*[ ,]"; }
all_have_flows_for() {
    for i in $HOSTS; do has_flows_for $i "$1" || return 1; done
}
fleet_ctl --wait=hv --timeout=30 init || fleet_fail "the agents did not ack"
all_have_flows_for svc10v4 || fleet_fail "tenant 10 not in every host's flows"
echo "ok: four agents applied the cluster's config (tenant 10 in every host's flows)"

# --- A VM port moves from hv1 to hv2.
bound_on() { fleet_ctl show | grep -q "^vm-port $1: .*, on $2\$"; }
# plug I IFACE: libvirt starts vm1's interface on host I.
plug() {
    at "$1"
    in_h ip link add "$2" type veth peer name "p$2" \
        && in_h ip link set "$2" up \
        && hvsctl add-port $BR "$2" -- set interface "$2" \
            external_ids:iface-id=6f1c-fleet-vm1 \
            external_ids:attached-mac=52:54:00:f1:ee:01 \
        || fleet_fail "plug $2 on hv$1"
}
unplug() {
    at "$1"
    hvsctl del-port $BR "$2" && in_h ip link del "$2" \
        || fleet_fail "unplug $2 on hv$1"
}
tag_of() { at "$1"; hvsctl get port "$2" tag; }

bound_on vm1 - || fleet_fail "vm1 bound before any host has it"
plug 1 vnet1
fleet_until 15 has_flows_for 1 vnet1 || fleet_fail "no flows for vm1 on hv1"
fleet_until 10 bound_on vm1 hv1 || fleet_fail "vm1 not claimed by hv1"
test "$(tag_of 1 vnet1)" = 100 || fleet_fail "vm1's profile not on hv1"
echo "ok: vm1 up on hv1: its profile (tag 100) and flows there, VM_Port.host hv1"

# Migration: for a moment the VM's interface is on both hosts; hv2 gives it
# its profile but does not take the binding from hv1 while hv1 has it.
plug 2 vnet7
fleet_until 15 has_flows_for 2 vnet7 || fleet_fail "no flows for vm1 on hv2"
test "$(tag_of 2 vnet7)" = 100 || fleet_fail "vm1's profile not on hv2"
sleep 1.5
bound_on vm1 hv1 || fleet_fail "hv2 took vm1 from hv1 while hv1 has it"
unplug 1 vnet1
fleet_until 15 bound_on vm1 hv2 || fleet_fail "vm1 not recorded on hv2"
fleet_until 10 sh -c "! ip netns exec $(fleet_ns h1) ovs-ofctl --no-stats \
    --names dump-flows $BR | grep -q 'vnet1'" \
    || fleet_fail "hv1 kept flows for vm1's interface"
has_flows_for 2 vnet7 || fleet_fail "hv2 lost vm1's flows"
test -z "$(at 1; hvsctl list qos)" \
    || fleet_fail "hv1 kept l2mt QoS rows"
echo "ok: vm1 moved hv1 -> hv2: profile and flows on hv2, none left on hv1, VM_Port.host hv2"

# --- Tenants added with --wait=hv: in every host's flows when it returns.
fleet_ctl --wait=hv --timeout=30 tenant-add 20 svc20v4 10.0.0.1 \
    || fleet_fail "tenant-add --wait=hv"
all_have_flows_for svc20v4 || fleet_fail "tenant 20 not in every host's flows"
echo "ok: a tenant added with --wait=hv is in every host's flows when it returns"

# save_flows TAG: every host's flows now, as TAG (never empty: a dump that
# failed would compare equal to another).
save_flows() {
    for i in $HOSTS; do
        flows $i > "$FLEET_TMP/flows$i.$1"
        grep -q svc10v4 "$FLEET_TMP/flows$i.$1" || fleet_fail "no flows on hv$i"
    done
}
# same_flows TAG [HOST...]: the hosts' flows are still those saved as TAG.
same_flows() {
    sf_tag=$1; shift
    for i in ${*:-$HOSTS}; do
        flows $i | cmp -s - "$FLEET_TMP/flows$i.$sf_tag" || return 1
    done
}

# --- The leader killed: the agents keep forwarding (flows unchanged),
# writes resume through the new leader, every host converges.
save_flows leader
leader=$(fleet_leader)
test -n "$leader" || fleet_fail "no leader"
kill -9 "$(cat "$FLEET_TMP/$leader.pid")"
sleep 2        # the agents' checks (--interval=1) go on meanwhile
same_flows leader || fleet_fail "a host's flows changed when the leader died"
fleet_ctl --wait=hv --timeout=60 tenant-add 30 svc30v4 10.0.0.1 \
    || fleet_fail "no write after the leader ($leader) was killed"
all_have_flows_for svc30v4 || fleet_fail "a host did not converge after the leader died"
new_leader=$(fleet_leader)
test -n "$new_leader" && test "$new_leader" != "$leader" \
    || fleet_fail "no new leader (was $leader, now '$new_leader')"
fleet_start_member "$leader"
fleet_until 30 fleet_member_joined "$leader" || fleet_fail "$leader did not rejoin"
echo "ok: leader $leader killed: flows kept, writes resume (new leader $new_leader), hosts converge"

# --- A member partitioned (the leader again, its link down): the same.
save_flows cut
cut=$(fleet_leader)
ip -n "$(fleet_ns "$cut")" link set eth0 down
sleep 2
same_flows cut || fleet_fail "a host's flows changed when $cut was cut off"
fleet_ctl --wait=hv --timeout=60 tenant-add 31 svc31v4 10.0.0.1 \
    || fleet_fail "no write with $cut cut off"
all_have_flows_for svc31v4 || fleet_fail "a host did not converge with $cut cut off"
ip -n "$(fleet_ns "$cut")" link set eth0 up
fleet_until 30 fleet_in sh -c "$(command -v ovsdb-client) --no-leader-only \
    dump tcp:$(fleet_ip "$cut"):6641 L2MT Tenant tenant_id | grep -qw 31" \
    || fleet_fail "$cut did not catch up after its link came back"
echo "ok: $cut partitioned: flows kept, writes resume, hosts converge, $cut catches up"

# --- The whole cluster down, hv3's agent restarted (and its switch's flows
# lost meanwhile): it comes up on the config it applied last, kept on disk.
save_flows down
kill "$(cat "$AGENT_TMP/ovs-h3/agent.pid")"
fleet_until 10 sh -c "! kill -0 $(cat "$AGENT_TMP/ovs-h3/agent.pid") 2>/dev/null" \
    || fleet_fail "hv3's agent did not stop"
for m in $FLEET_MEMBERS; do
    kill "$(cat "$FLEET_TMP/$m.pid")"
done
on 3 ovs-ofctl del-flows $BR || fleet_fail "del-flows on hv3"
start_agent 3
fleet_until 15 same_flows down 3 \
    || fleet_fail "hv3 did not come back on its last applied config"
at 3
in_h ovs-appctl -t "$dir/l2mt-agent.$(cat "$dir/agent.pid").ctl" agent/status \
    > "$FLEET_TMP/status3" 2>&1
grep -q 'not connected' "$FLEET_TMP/status3" \
    || fleet_fail "hv3's agent/status: $(cat "$FLEET_TMP/status3")"
same_flows down || fleet_fail "a host's flows changed with the cluster down"
for m in $FLEET_MEMBERS; do
    fleet_start_member "$m"
done
for m in $FLEET_MEMBERS; do
    fleet_until 30 fleet_member_joined "$m" || fleet_fail "$m did not come back"
done
fleet_ctl --wait=hv --timeout=60 tenant-add 32 svc32v4 10.0.0.1 \
    || fleet_fail "no write after the cluster came back"
all_have_flows_for svc32v4 || fleet_fail "a host did not converge after the cluster came back"
echo "ok: cluster down: hv3 restarted on its kept config, flows kept everywhere; back up, all converge"

# --- Bad input: a state that breaks an isolation rule (tenant 20's service
# port renamed to a generated tunnel port name), written around l2mt-ctl's
# checks with the generic OVSDB client.  Every agent refuses it, keeps its
# last good config and says why in its status row.
save_flows bad
fleet_in ovsdb-client transact "tcp:$(fleet_ip "$(fleet_leader)"):6641" \
    '["L2MT", {"op": "update", "table": "Tenant",
      "where": [["tenant_id", "==", 20]], "row": {"service_v4_port": "gre30"}},
     {"op": "mutate", "table": "L2MT_Global", "where": [],
      "mutations": [["next_cfg", "+=", 1]]}]' >/dev/null \
    || fleet_fail "ovsdb-client transact"
refused_by() {
    fleet_ctl get Host_Status "hv$1" last_error | grep -q 'tunnel port name'
}
for i in $HOSTS; do
    fleet_until 20 refused_by $i || fleet_fail "hv$i did not report the refused state"
done
same_flows bad || fleet_fail "a host applied (part of) the refused state"
for i in $HOSTS; do
    grep -q 'service-v4-port svc20v4' "$FLEET_TMP/hv$i.conf" \
        || fleet_fail "hv$i's kept config is not its last good one"
done
fleet_ctl --wait=hv --timeout=30 set Tenant 20 service_v4_port=svc20v4 \
    || fleet_fail "repair"
for i in $HOSTS; do
    test "$(fleet_ctl get Host_Status "hv$i" last_error)" = '[]' \
        || fleet_fail "hv$i still reports an error after the repair"
done
echo "ok: a state breaking an isolation rule refused by every agent: last good config kept, last_error reported, cleared after the repair"
echo "PASS: $test_name"
