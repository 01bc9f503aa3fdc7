#! /bin/sh
# l2mt-agent run --detach: re-applies when ovs-vswitchd or ovsdb-server
# restart (even with an empty database), when the config changes, on
# SIGHUP, and when a link comes up; keeps the last good config when the new
# one is bad.
. "${top_srcdir:-$(dirname "$0")/..}/tests/agent-lib.sh"
agent_require_ovs

agent_netns daemon
agent_ovs_start a "$NS"
agent_veths s1

CONF=$AGENT_TMP/l2mt.conf
LOG=$AGENT_TMP/agent.log
PIDFILE=$AGENT_TMP/agent.pid
cat > "$CONF" <<'EOF2'
host hv1 {
    bridge br-d
    datapath netdev
    sflow {
        target 127.0.0.1:6343
        sampling 100
    }
}
tenant 1 {
    remote 10.0.0.1
    service-v4-port s1
    nat64 off
}
tenant 2 {
    remote 10.0.0.1
    service-v4-port s2
    nat64 off
}
EOF2

in_ns "$AGENT" --db=unix:"$DB_SOCK" --host=hv1 -c "$CONF" \
    --inventory="$AGENT_TMP/inv.json" --interval=1 --max-backoff=2 \
    --detach --pidfile="$PIDFILE" --log-file="$LOG" run \
    || agent_fail "the daemon did not start"
AGENT_PIDS=$(cat "$PIDFILE")
check "pidfile written" kill -0 "$AGENT_PIDS"

# ovs-ofctl must reach the right switch even while it restarts.
flows_in() {
    test "$(ovs-ofctl dump-flows br-d cookie=0x4c324d54/-1 2>/dev/null \
            | grep -c cookie=)" -ge "$1"
}
wait_for "the first apply" flows_in 3
check "first apply: sFlow sampling 100" test "$(vsctl get sflow "$(vsctl get bridge br-d sflow)" sampling)" = 100

# ovs-vswitchd crashes and comes back: its flows are gone until the agent
# puts them back.
agent_ovs_kill a ovs-vswitchd
agent_vswitchd_start a "$NS"
wait_for "flows after the ovs-vswitchd restart" flows_in 3
check "log: re-applied after ovs-vswitchd restart" grep -q 're-applied' "$LOG"

# ovsdb-server crashes; it comes back with its database.
agent_ovs_kill a ovsdb-server
sleep 2
agent_ovsdb_start a "$NS"
wait_for "ovsdb-server back" vsctl show
check "log: failures during the ovsdb-server outage, retried" \
    grep -q 'apply failed: retrying in' "$LOG"
wait_for "in sync after the ovsdb-server restart" \
    sh -c "grep -q 'reachable again, in sync\|re-applied' $LOG"

# Both crash and the database is lost: everything comes back.
agent_ovs_kill a ovs-vswitchd
agent_ovs_kill a ovsdb-server
rm -f "$AGENT_TMP/ovs-a/conf.db"
agent_ovs_start a "$NS"
wait_for "bridge re-created in the new database" vsctl br-exists br-d
wait_for "flows in the new switch" flows_in 3
check "s1 back on br-d" test "$(vsctl port-to-br s1)" = br-d

# The config changes: the daemon sees it.
sed -i 's/sampling 100/sampling 200/' "$CONF"
wait_for "the new sampling rate" sh -c \
    "test \"\$(ovs-vsctl --db=unix:$DB_SOCK get sflow \$(ovs-vsctl --db=unix:$DB_SOCK get bridge br-d sflow) sampling)\" = 200"
check "log: config change seen" grep -q 'l2mt.conf changed: reloading' "$LOG"

# A bad config: logged with file:line, the previous one stays in force.
sed -i 's/sampling 200/sampling many/' "$CONF"
kill -HUP "$AGENT_PIDS"
wait_for "the bad config reported" grep -q "l2mt.conf:6: sampling: \"many\" is not a number" "$LOG"
check "log: SIGHUP" grep -q 'SIGHUP: reloading' "$LOG"
check "log: keeps the previous config" grep -q 'keeping the previous one' "$LOG"
vsctl set interface gre1 options:key=99
wait_for "drift repaired with the previous config" sh -c \
    "test \"\$(ovs-vsctl --db=unix:$DB_SOCK get interface gre1 options:key)\" = '\"1\"'"
sed -i 's/sampling many/sampling 200/' "$CONF"

# Tenant 2's service port appears: the link event triggers an apply.
agent_veths s2
wait_for "s2's flows" flows_in 5
# The flows may come from a periodic pass that ran while the link
# appeared: the event is then logged just after it.
wait_for "log: link event" grep -q 'link p\?s2 changed: re-applying' "$LOG"

# Logs are in OVS's vlog format.
check "vlog format" grep -Eq '^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9:.]{12}Z\|[0-9]{5}\|l2mt_agent\|INFO\|' "$LOG"

# Open vSwitch's control socket: ovs-appctl -t l2mt-agent, as for
# ovs-vswitchd.
CTL=$OVS_RUNDIR/l2mt-agent.$AGENT_PIDS.ctl
appctl() { ovs-appctl -t "$CTL" "$@"; }
check "agent/status: in sync" sh -c "ovs-appctl -t $CTL agent/status | grep -q '^state: in sync'"
check "agent/status: tenants" sh -c "ovs-appctl -t $CTL agent/status | grep -q '^tenants: 2'"
check "vlog/set at run time" appctl vlog/set agent_sync:file:dbg
check "vlog/list shows it" sh -c "ovs-appctl -t $CTL vlog/list | grep -q '^agent_sync .*DBG'"
check "coverage/show counts applies" sh -c "ovs-appctl -t $CTL coverage/show | grep -q agent_apply"
check "memory/show answers" appctl memory/show
check "agent/reload" appctl agent/reload
wait_for "log: agent/reload" grep -q 'agent/reload: reloading' "$LOG"

kill "$AGENT_PIDS"
wait_for "the daemon to exit" sh -c "! kill -0 $AGENT_PIDS"
check "pidfile removed at exit" test ! -e "$PIDFILE"
AGENT_PIDS=
echo PASS
