#! /bin/sh
# Copyright (c) 2026 The l2mt authors.
# Licensed under the Apache License, Version 2.0.
#
# The fleet view of overlay health (issue 16, part 4): "l2mt-agent run
# --fleet" writes its tunnels' BFD state and each tenant's path, as its
# probes see them, to the host's Host_Status row (bfd_state, tenant_path),
# and "l2mt-ctl show" prints them per host: tunnels up/down, tenants
# affected.  One ovs-vswitchd in a namespace; the tunnel's remote does not
# exist, so its BFD is down (underlay); with BFD off the path is up; the
# service port's link down makes it a service fault.
. "${top_srcdir:-$(dirname "$0")/..}/tests/agent-lib.sh"
agent_require_ovs
agent_require_ctl

agent_netns oamfl
agent_ovs_start a "$NS"
agent_veths s1

agent_fleet_db

nat64=$(agent_nat64_mode)
cat > "$AGENT_TMP/start.conf" <<EOF
host hv1 {
    bridge br-f
    datapath netdev
    bfd-min-rx 100
    bfd-min-tx 100
}
tenant 1 {
    remote 10.0.0.1
    service-v4-port s1
    nat64 $nat64
}
EOF
ctl import "$AGENT_TMP/start.conf" || agent_fail "l2mt-ctl import"

PIDFILE=$AGENT_TMP/agent.pid
in_ns "$AGENT" --db=unix:"$DB_SOCK" --fleet="$FLEET" --host=hv1 \
    -c "$AGENT_TMP/kept.conf" --inventory="$AGENT_TMP/inv.json" \
    --interval=1 --probe-interval=1 --detach --pidfile="$PIDFILE" \
    --log-file="$AGENT_TMP/agent.log" run 2>/dev/null \
    || agent_fail "the agent did not start"
AGENT_PIDS=$(cat "$PIDFILE")

row_is() {
    test "$(ctl get Host_Status hv1 bfd_state)" = "$1" &&
    test "$(ctl get Host_Status hv1 tenant_path)" = "$2"
}
show_has() {
    ctl show > "$AGENT_TMP/show" && grep -q "^host hv1: .*$1\$" "$AGENT_TMP/show"
}

# No peer at 10.0.0.1: BFD down, the tenant affected by the underlay.
wait_for "Host_Status: BFD down, tenant1 down (underlay)" \
    row_is '{"10.0.0.1"=down}' '{tenant1="down: underlay"}'
check "l2mt-ctl show: the tunnel down, tenant1 affected (underlay)" \
    show_has "; tunnels: 10.0.0.1 down; tenants affected: tenant1 (underlay)"
grep '^host' "$AGENT_TMP/show"

# BFD off: nothing says the underlay is down; the probe comes back.
ctl --wait=hv set Host hv1 bfd=false || agent_fail "bfd off"
wait_for "Host_Status: no BFD, tenant1 up" row_is '{}' '{tenant1=up}'
check "l2mt-ctl show: no tenant affected" show_has "; tenants affected: none"
grep '^host' "$AGENT_TMP/show"

# The service port's link down: a service fault.
in_ns ip link set ps1 down
wait_for "Host_Status: tenant1 down (service)" \
    row_is '{}' '{tenant1="down: service"}'
check "l2mt-ctl show: tenant1 affected (service)" \
    show_has "; tenants affected: tenant1 (service)"
grep '^host' "$AGENT_TMP/show"
check "cur_cfg still acknowledged with the OAM columns" \
    test "$(ctl get Host_Status hv1 cur_cfg)" = "$(ctl get L2MT_Global . next_cfg)"

echo "PASS: the fleet view of overlay health"
