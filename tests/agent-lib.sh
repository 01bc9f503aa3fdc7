# Shell functions for the agent's tests (sourced).  Each test gets its own
# temp dir with its own OVS database, run dir and logs, so tests can run
# concurrently; everything started here (and every daemon whose pidfile is
# in an $AGENT_TMP/ovs-* directory, and $AGENT_PIDS) is stopped on exit.
#
# Needs: $top_srcdir, $top_builddir, $L2MT_OVS_BUILDDIR (an OVS build tree).

set -u
. "${top_srcdir:-$(cd "$(dirname "$0")/.." && pwd)}/tests/lib.sh"
OVS=${L2MT_OVS_BUILDDIR:-$top_builddir/_ovs}
AGENT=$top_builddir/utilities/l2mt-agent

# The names the agent's tests know (tests/lib.sh has the parts).
agent_skip() { skip "$@"; }
agent_fail() { test_fail "$@"; }

# Skips unless the OVS binaries are there and we may make namespaces.
agent_require_ovs() {
    L2MT_OVS_BUILDDIR=$OVS
    require_ovs
    require_root
}

agent_ovs_has_nat64() { ovs_has_nat64; }
# agent_nat64_mode: "on" if this OVS has the nat64 action, else "off" (a
# tenant's "nat64" setting that this switch can take).
agent_nat64_mode() { if ovs_has_nat64; then echo on; else echo off; fi; }

# Each OVS instance NAME is $AGENT_TMP/ovs-NAME; AGENT_KEEP=yes keeps it.
AGENT_TMP=$TEST_DIR
AGENT_PIDS=
# Namespaces a test made itself and added here are deleted on exit too.
AGENT_NETNS=
on_exit 'TEST_NETNS="$TEST_NETNS $AGENT_NETNS"'
on_exit 'stop_pids $AGENT_PIDS $(cat "$AGENT_TMP"/ovs-*/*.pid 2>/dev/null)'
test "${AGENT_KEEP:-}" = yes && L2MT_KEEP=1
# The old name of the exit trap, for tests that set their own.
agent_cleanup() { test_cleanup; }

# agent_netns NAME: creates a namespace with lo up, named uniquely for
# this test run; its name is left in $NS.
agent_netns() {
    NS="l2mt-$1-$$"
    netns_add "$NS"
}

# in_ns COMMAND...: runs COMMAND in the test's namespace $NS.
in_ns() { ip netns exec "$NS" "$@"; }

# agent_require_ctl: skips unless l2mt-ctl is built; $CTL is its path.
agent_require_ctl() {
    CTL=$top_builddir/utilities/l2mt-ctl
    test -x "$CTL" || agent_skip "l2mt-ctl not built"
}

# agent_ovs_env NAME: sets OVS_* variables for the OVS instance NAME (the
# current instance: $dir, $DB_SOCK).
agent_ovs_env() {
    dir=$AGENT_TMP/ovs-$1
    ovs_env "$dir"
    DB_SOCK=$dir/db.sock
}

# agent_ovs_start NAME [NETNS]: starts ovsdb-server and ovs-vswitchd for
# instance NAME (in NETNS if given) and sets OVS_* for it.
agent_ovs_start() {
    agent_ovs_env "$1"
    ovs_start "$dir" "${2:-}"
}

agent_ovsdb_start() {
    agent_ovs_env "$1"
    ovs_db_start "$dir" "${2:-}"
}

agent_vswitchd_start() {
    agent_ovs_env "$1"
    ovs_vswitchd_start "$dir" "${2:-}"
}

# agent_ovs_kill NAME DAEMON: kills DAEMON (ovsdb-server or ovs-vswitchd)
# of instance NAME hard, as a crash would.
agent_ovs_kill() {
    ovs_kill "$AGENT_TMP/ovs-$1" "$2"
}

# agent_fleet_db: a standalone fleet database (lib/fleet's schema) on a
# unix socket, in $FDIR (its pidfile $FDIR/fleet.pid), stopped on exit;
# $FLEET is its remote, "ctl ARGS" runs l2mt-ctl on it.
# agent_fleet_db_start starts it again after a test stopped it.
agent_fleet_db() {
    FDIR=$AGENT_TMP/ovs-fleet
    mkdir -p "$FDIR"
    ovsdb-tool create "$FDIR/db" "$top_srcdir/lib/fleet/l2mt.ovsschema" \
        || agent_fail "ovsdb-tool create"
    agent_fleet_db_start
    FLEET=unix:$FDIR/db.sock
}
agent_fleet_db_start() {
    ovs_daemon "$FDIR" fleet ovsdb-server "$FDIR/db" \
        --remote="punix:$FDIR/db.sock"
}
ctl() { "$top_builddir/utilities/l2mt-ctl" --db="$FLEET" --timeout=20 "$@"; }

# vsctl/ofctl for the current instance.
vsctl() { ovs-vsctl --timeout=10 --db=unix:"$DB_SOCK" "$@"; }
ofctl() { ovs-ofctl "$@"; }

# agent ARGS...: runs l2mt-agent against the current instance.
agent() {
    "$AGENT" --db=unix:"$DB_SOCK" "$@"
}

# agent_trace BRIDGE PORT MATCH: the datapath actions of a frame entering
# BRIDGE at PORT (ofproto/trace of the current instance), meters left out
# ("drop" if nothing else is left); the whole trace is left in
# $AGENT_TMP/trace.
agent_trace() {
    ovs-appctl -t "$dir/ovs-vswitchd.ctl" ofproto/trace "$1" \
        "in_port=$2,$3" > "$AGENT_TMP/trace" 2>&1 \
        || agent_fail "ofproto/trace $2 $3: $(cat "$AGENT_TMP/trace")"
    sed -n 's/^Datapath actions: //p' "$AGENT_TMP/trace" \
        | sed 's/meter([0-9]*),\{0,1\}//g; s/,$//; s/^$/drop/'
}

# agent_dp_port NAME: the datapath port number of interface NAME.
agent_dp_port() {
    ovs-appctl -t "$dir/ovs-vswitchd.ctl" dpif/show \
        | awk -v n="$1" '$1 == n { split($2, a, "/"); sub(":", "", a[2]);
                                  print a[2] }'
}

# agent_veths NAME...: a veth pair NAME/pNAME for each NAME in $NS, up (the
# service VM's or a VM's interface and its far end).
agent_veths() {
    for p in "$@"; do
        veth_add "$NS" "$p" "$NS" "p$p" || agent_fail "veth $p"
    done
}

# agent_conf_host MODE: the host block of the trace tests (bridge br-t,
# user-space datapath, tunnel mode MODE) and tenant 10 (both service ports).
agent_conf_host() {
    cat <<EOF
host hv1 {
    bridge br-t
    datapath netdev
    tunnel-mode $1
    underlay-ip 10.99.0.2/24
}
tenant 10 {
    remote 10.0.0.1
    service-v4-port s10v4
    service-v6-port s10v6
}
EOF
}
