#! /bin/sh
# l2mt-agent run --fleet: the agent follows the fleet database instead of a
# file.  A tenant added with "l2mt-ctl --wait=hv" is on the switch when
# the command returns; deleted, it is gone; a database state the parser
# refuses is not applied (the tenants in force stay, the reason is in the
# host's status row); restarted while the database is down, the agent
# comes up on the last config it applied (kept in --config).
. "${top_srcdir:-$(dirname "$0")/..}/tests/agent-lib.sh"
agent_require_ovs
agent_require_ctl

agent_netns fleetag
agent_ovs_start a "$NS"
agent_veths s1 s2

agent_fleet_db

cat > "$AGENT_TMP/start.conf" <<'EOF'
host hv1 {
    bridge br-f
    datapath netdev
}
tenant 1 {
    remote 10.0.0.1
    service-v4-port s1
    nat64 off
}
EOF
ctl import "$AGENT_TMP/start.conf" || agent_fail "l2mt-ctl import"

KEPT=$AGENT_TMP/kept.conf
LOG=$AGENT_TMP/agent.log
PIDFILE=$AGENT_TMP/agent.pid
start_agent() {
    in_ns "$AGENT" --db=unix:"$DB_SOCK" --fleet="$FLEET" --host=hv1 \
        -c "$KEPT" --inventory="$AGENT_TMP/inv.json" --interval=1 --max-backoff=2 --detach \
        --pidfile="$PIDFILE" --log-file="$LOG" run 2>/dev/null \
        || agent_fail "the agent did not start"
    AGENT_PIDS=$(cat "$PIDFILE")
}
start_agent

port_on_switch() { vsctl --bare --columns=name list port | grep -qx "$1"; }
wait_for "tenant 1 from the database" port_on_switch gre1
check "the config applied is kept in --config" grep -q 'service-v4-port s1' "$KEPT"

# --wait=hv returns once the host applied the change.
ctl --wait=hv tenant-add 2 s2 10.0.0.1 || agent_fail "tenant-add --wait=hv"
check "tenant 2 on the switch when --wait=hv returns" port_on_switch gre2
check "status row: cur_cfg acknowledged" \
    test "$(ctl get Host_Status hv1 cur_cfg)" = "$(ctl get L2MT_Global . next_cfg)"

ctl --wait=hv tenant-del 2 || agent_fail "tenant-del --wait=hv"
check "tenant 2 gone when --wait=hv returns" sh -c "! ip netns exec $NS ovs-vsctl --db=unix:$DB_SOCK --bare --columns=name list port | grep -qx gre2"

# A state the parser refuses, written around l2mt-ctl's checks: tenant 1's
# service port renamed to a generated tunnel name.
ovsdb-client transact "$FLEET" '["L2MT", {"op": "update",
    "table": "Tenant", "where": [["tenant_id", "==", 1]],
    "row": {"service_v4_port": "gre7"}}, {"op": "mutate",
    "table": "L2MT_Global", "where": [], "mutations":
    [["next_cfg", "+=", 1]]}]' >/dev/null || agent_fail "ovsdb-client"
refused() { ctl get Host_Status hv1 last_error | grep -q 'tunnel port name'; }
wait_for "the refused state reported in last_error" refused
check "tenant 1 still on the switch" port_on_switch gre1
check "its service port still s1" port_on_switch s1
check "the kept config is the last one applied" grep -q 'service-v4-port s1' "$KEPT"
ctl --wait=hv set Tenant 1 service_v4_port=s1 || agent_fail "repair"
check "last_error cleared" test "$(ctl get Host_Status hv1 last_error)" = '[]'

# Drift: one of the agent's flows changed behind its back (a leak: the
# service port's traffic switched with NORMAL) is reported in the status
# row, repaired, and the row says 0 again once the switch matches.
ofl() { in_ns ovs-ofctl -O OpenFlow14 --no-stats dump-flows br-f | sort; }
ofl > "$AGENT_TMP/flows.good"
grep -q 'in_port=' "$AGENT_TMP/flows.good" || agent_fail "no flows to change"
check "no drift reported while the switch matches" \
    test "$(ctl get Host_Status hv1 drift)" = 0
ctl --timeout=15 wait-until Host_Status hv1 'drift>0' &
waiter=$!
sleep 0.5
in_ns ovs-ofctl -O OpenFlow14 mod-flows br-f \
    "cookie=0x4c324d54/-1,in_port=s1 actions=NORMAL" || agent_fail "mod-flows"
wait $waiter || agent_fail "the drift was not reported in Host_Status.drift"
echo "ok: the changed flow reported as drift ($(ctl get Host_Status hv1 drift) differences)"
flows_repaired() { ofl | cmp -s - "$AGENT_TMP/flows.good"; }
wait_for "the changed flow repaired" flows_repaired
echo "ok: the changed flow repaired"
ctl --timeout=15 wait-until Host_Status hv1 drift=0 \
    || agent_fail "drift still reported after the repair"
echo "ok: drift 0 again once the switch matches"

# The database down, the agent restarted: it comes up on the kept config.
kill "$(cat "$FDIR/fleet.pid")"
kill "$AGENT_PIDS"
i=0; while kill -0 "$AGENT_PIDS" 2>/dev/null && test $i -lt 50; do
    sleep 0.1; i=$((i + 1)); done
vsctl del-port br-f gre1 || agent_fail "del-port"
start_agent
wait_for "tenant 1 back from the kept config, database down" port_on_switch gre1
ovs-appctl -t "$OVS_RUNDIR/l2mt-agent.$AGENT_PIDS.ctl" agent/status \
    > "$AGENT_TMP/status" 2>&1
check "agent/status: not connected, on the last config" \
    grep -q 'not connected' "$AGENT_TMP/status"

# The database back: the agent converges (tenant 2 added meanwhile).
agent_fleet_db_start
ctl --wait=hv tenant-add 2 s2 10.0.0.1 || agent_fail "tenant-add after the database came back"
check "tenant 2 after the database came back" port_on_switch gre2

echo "PASS: l2mt-agent follows the fleet database"
