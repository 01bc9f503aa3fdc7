#! /bin/sh
# The agent's flow mods go to the switch in one atomic OpenFlow bundle
# (issue 12).  A bundle the switch refuses (here table 1 full, a real
# OFPFMFC_TABLE_FULL from ovs-vswitchd) leaves the whole flow table as it
# was, every table, the error names the refused flow, and the daemon
# counts it (coverage agent_flow_bundle_refused); once the switch takes
# flows again the agent converges; a pass that changes nothing sends no
# bundle at all.
. "${top_srcdir:-$(dirname "$0")/..}/tests/agent-lib.sh"
agent_require_ovs

agent_netns bundle
agent_ovs_start a "$NS"
agent_veths s1 s2 s3

conf() {
    printf 'host hv1 {\n    bridge br-t\n    datapath netdev\n}\n'
    for t in "$@"; do
        printf 'tenant %d {\n    remote 10.0.0.%d\n' "$t" "$t"
        printf '    service-v4-port s%d\n    nat64 off\n}\n' "$t"
    done
}
conf 1 > "$AGENT_TMP/one.conf"
conf 1 2 3 > "$AGENT_TMP/three.conf"
one_shot() {
    in_ns "$AGENT" --db=unix:"$DB_SOCK" --host=hv1 --no-inventory "$@"
}
one_shot -c "$AGENT_TMP/one.conf" apply > /dev/null || agent_fail "apply"
flows() { ovs-ofctl -O OpenFlow14 dump-flows --no-stats br-t "$@" | sort; }

# Table 1 (the tenants' forwarding) full: room for what is there, no more.
n=$(flows table=1 | grep -c cookie=)
test "$n" -gt 0 || agent_fail "no flow in table 1"
vsctl -- --id=@t create Flow_Table flow_limit="$n" \
    -- set bridge br-t flow_tables:1=@t > /dev/null || agent_fail "flow_limit"
flows > "$AGENT_TMP/before"

one_shot -c "$AGENT_TMP/three.conf" apply > "$AGENT_TMP/out" \
    2> "$AGENT_TMP/err" && agent_fail "apply succeeded with table 1 full"
check "the error names the refusal and the flow" \
    grep -q 'OFPFMFC_TABLE_FULL for: .*table:1' "$AGENT_TMP/err"
flows > "$AGENT_TMP/after"
check "nothing of the bundle applied (every table as it was)" \
    cmp -s "$AGENT_TMP/before" "$AGENT_TMP/after"

# The daemon: the refusal is counted, the table stays as it was.
cp "$AGENT_TMP/three.conf" "$AGENT_TMP/run.conf"
in_ns "$AGENT" --db=unix:"$DB_SOCK" --host=hv1 -c "$AGENT_TMP/run.conf" \
    --inventory="$AGENT_TMP/inv.json" --interval=1 --max-backoff=1 --detach \
    --pidfile="$AGENT_TMP/agent.pid" --log-file="$AGENT_TMP/agent.log" run \
    2>/dev/null || agent_fail "the agent did not start"
AGENT_PIDS=$(cat "$AGENT_TMP/agent.pid")
CTL=$OVS_RUNDIR/l2mt-agent.$AGENT_PIDS.ctl
counter() {
    ovs-appctl -t "$CTL" coverage/read-counter "$1"
}
refused() { test "$(counter agent_flow_bundle_refused)" -ge 1; }
wait_for "the refused bundle counted" refused
check "the daemon logged it" grep -q 'OFPFMFC_TABLE_FULL' "$AGENT_TMP/agent.log"
flows > "$AGENT_TMP/after"
check "the table still as it was" cmp -s "$AGENT_TMP/before" "$AGENT_TMP/after"

# Room again: the next retry applies the three tenants.
vsctl clear bridge br-t flow_tables || agent_fail "clear flow_tables"
has_s3() { flows | grep -q "in_port=$(vsctl get interface s3 ofport)[, ]"; }
wait_for "the flows of tenant 3" has_s3

# In sync: passes go on (every second) and send nothing.
in_sync() { ovs-appctl -t "$CTL" agent/status | grep -q 'state: in sync'; }
wait_for "in sync" in_sync
b0=$(counter agent_flow_bundle)
m0=$(counter agent_flow_mod)
a0=$(counter agent_apply)
more_passes() { test "$(counter agent_apply)" -ge $((a0 + 2)); }
wait_for "two more passes" more_passes
check "no bundle sent by passes that change nothing" \
    test "$(counter agent_flow_bundle)" = "$b0"
check "no flow mod sent either" test "$(counter agent_flow_mod)" = "$m0"

echo "PASS: $test_name"
