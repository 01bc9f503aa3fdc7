#! /bin/sh
# Records the switch states of tests/agent-plan/ from a real switch (our
# patched ovsdb-server and ovs-vswitchd in a network namespace): each
# *.state is what l2mt-agent's gather step read (its ovs-vsctl
# --format=json call, caught by a --vsctl wrapper).  Run by hand, as root,
# when the planner's input changes:
#     top_builddir=$PWD sh tests/agent-plan/record.sh
. "${top_srcdir:-$(dirname "$0")/../..}/tests/agent-lib.sh"
agent_require_ovs
D=${top_srcdir:-$(dirname "$0")/../..}/tests/agent-plan

agent_netns plan
agent_ovs_start a "$NS"
in_ns() { ip netns exec "$NS" "$@"; }
for i in u0 s10v4 s10v6 s11v4 vm1 vm2; do
    in_ns ip link add $i type veth peer name p$i && in_ns ip link set $i up \
        || agent_fail "veth $i"
done

cat > "$AGENT_TMP/vsctl" <<'WRAP'
#! /bin/sh
out=$(ovs-vsctl "$@") || exit $?
case " $* " in *" --format=json "*) printf '%s\n' "$out" > "$RECORD" ;; esac
printf '%s\n' "$out"
WRAP
chmod +x "$AGENT_TMP/vsctl"
record() {
    state=$1 conf=$2
    RECORD=$D/$state.state in_ns env RECORD="$D/$state.state" "$AGENT" \
        --db=unix:"$DB_SOCK" --host=hv1 -c "$D/$conf.conf" --no-inventory \
        --vsctl="$AGENT_TMP/vsctl" status > /dev/null
    test -s "$D/$state.state" || agent_fail "no state recorded for $state"
}

# A switch l2mt has not touched yet.
record empty two-tenants
# After apply, with web1's VM (vm1) plugged in as libvirt does it.
in_ns "$AGENT" --db=unix:"$DB_SOCK" --host=hv1 -c "$D/two-tenants.conf" \
    --no-inventory apply > /dev/null || agent_fail "apply"
vsctl add-port br-t vm1 -- set interface vm1 \
    external_ids:iface-id=6a2f9c1e-0b7d-4c35-9a11-2b1f7e0c9d44 \
    -- add-port br-t vm2
in_ns "$AGENT" --db=unix:"$DB_SOCK" --host=hv1 -c "$D/two-tenants.conf" \
    --no-inventory apply > /dev/null || agent_fail "apply with the VMs"
record applied two-tenants
# What gather reads over rtnetlink for it: the underlay bridge's interface
# is up with the address, and the underlay interface's MAC.
echo "up addr mac=$(in_ns cat /sys/class/net/u0/address)" > "$D/applied.links"
# A service port that carries a VM's iface-id (a port in the wrong role).
vsctl set interface s11v4 \
    external_ids:iface-id=6a2f9c1e-0b7d-4c35-9a11-2b1f7e0c9d44 \
    -- remove interface vm1 external_ids iface-id
record wrong-role two-tenants
echo "recorded: $(cd "$D" && ls ./*.state)"
