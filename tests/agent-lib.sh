# Shell functions for the agent's tests (sourced).  Each test gets its own
# temp dir with its own OVS database, run dir and logs, so tests can run
# concurrently; everything started here is stopped by agent_cleanup.
#
# Needs: $top_srcdir, $top_builddir, $L2MT_OVS_BUILDDIR (an OVS build tree).

set -u
top_srcdir=${top_srcdir:-$(cd "$(dirname "$0")/.." && pwd)}
top_builddir=${top_builddir:-$top_srcdir}
OVS=${L2MT_OVS_BUILDDIR:-$top_builddir/_ovs}
AGENT=$top_builddir/utilities/l2mt-agent
test_name=$(basename "$0" .sh)

agent_skip() { echo "SKIP: $*"; exit 77; }
agent_fail() { echo "FAIL: $*"; exit 1; }

# Skips unless the OVS binaries are there and we may make namespaces.
agent_require_ovs() {
    for f in vswitchd/ovs-vswitchd ovsdb/ovsdb-server ovsdb/ovsdb-tool \
             utilities/ovs-vsctl utilities/ovs-ofctl utilities/ovs-appctl; do
        test -x "$OVS/$f" || agent_skip "no Open vSwitch build at $OVS ($f)"
    done
    test "$(id -u)" = 0 || agent_skip "needs root for network namespaces"
    PATH=$OVS/utilities:$OVS/vswitchd:$OVS/ovsdb:$PATH
    export PATH
}

# True if this OVS build knows the nat64 action (the patched one).
agent_ovs_has_nat64() {
    "$OVS/utilities/ovs-ofctl" parse-flow 'ip,actions=nat64:4toll6' \
        >/dev/null 2>&1
}

AGENT_TMP=$(mktemp -d "${TMPDIR:-/tmp}/$test_name.$$.XXXXXX") || exit 99
AGENT_NETNS=
AGENT_PIDS=

agent_cleanup() {
    set +e
    for dir in "$AGENT_TMP"/ovs-*; do
        test -d "$dir" || continue
        for pidfile in "$dir"/*.pid; do
            test -f "$pidfile" && kill "$(cat "$pidfile")" 2>/dev/null
        done
    done
    for pid in $AGENT_PIDS; do
        kill "$pid" 2>/dev/null
    done
    sleep 0.2
    for ns in $AGENT_NETNS; do
        ip netns pids "$ns" 2>/dev/null | xargs -r kill -9 2>/dev/null
        ip netns del "$ns" 2>/dev/null
    done
    if test "${AGENT_KEEP:-}" = yes; then
        echo "kept $AGENT_TMP"
    else
        rm -rf "$AGENT_TMP"
    fi
}
trap agent_cleanup EXIT
trap 'exit 1' INT TERM

# agent_netns NAME: creates a namespace with lo up, named uniquely for
# this test run; its name is left in $NS.
agent_netns() {
    NS="l2mt-$1-$$"
    ip netns add "$NS" || agent_fail "ip netns add $NS"
    AGENT_NETNS="$AGENT_NETNS $NS"
    ip -n "$NS" link set lo up
}

# agent_ovs_env NAME: sets OVS_* variables for the OVS instance NAME.
agent_ovs_env() {
    dir=$AGENT_TMP/ovs-$1
    OVS_RUNDIR=$dir OVS_DBDIR=$dir OVS_LOGDIR=$dir OVS_SYSCONFDIR=$dir
    OVS_PKGDATADIR=$dir
    export OVS_RUNDIR OVS_DBDIR OVS_LOGDIR OVS_SYSCONFDIR OVS_PKGDATADIR
    DB_SOCK=$dir/db.sock
}

# agent_ovs_start NAME [NETNS]: starts ovsdb-server and ovs-vswitchd for
# instance NAME (in NETNS if given) and sets OVS_* for it.
agent_ovs_start() {
    agent_ovs_env "$1"
    mkdir -p "$dir"
    test -f "$dir/conf.db" || ovsdb-tool create "$dir/conf.db" \
        "$OVS/vswitchd/vswitch.ovsschema" || agent_fail "ovsdb-tool create"
    agent_ovsdb_start "$1" "${2:-}"
    ovs-vsctl --db=unix:$DB_SOCK --no-wait init || agent_fail "ovs-vsctl init"
    agent_vswitchd_start "$1" "${2:-}"
}

_agent_in() {
    if test -n "$1"; then
        shift; ip netns exec "$ns_" "$@"
    else
        shift; "$@"
    fi
}

agent_ovsdb_start() {
    agent_ovs_env "$1"
    ns_=${2:-}
    _agent_in "$ns_" ovsdb-server "$dir/conf.db" \
        --remote=punix:"$DB_SOCK" --pidfile="$dir/ovsdb-server.pid" \
        --unixctl="$dir/ovsdb-server.ctl" \
        --log-file="$dir/ovsdb-server.log" --detach --no-chdir \
        || agent_fail "ovsdb-server did not start"
}

agent_vswitchd_start() {
    agent_ovs_env "$1"
    ns_=${2:-}
    _agent_in "$ns_" ovs-vswitchd unix:"$DB_SOCK" \
        --pidfile="$dir/ovs-vswitchd.pid" \
        --unixctl="$dir/ovs-vswitchd.ctl" \
        --log-file="$dir/ovs-vswitchd.log" --detach --no-chdir \
        || agent_fail "ovs-vswitchd did not start"
}

# agent_ovs_kill NAME DAEMON: kills DAEMON (ovsdb-server or ovs-vswitchd)
# of instance NAME hard, as a crash would.
agent_ovs_kill() {
    pidfile=$AGENT_TMP/ovs-$1/$2.pid
    pid=$(cat "$pidfile") && kill -9 "$pid"
    i=0
    while kill -0 "$pid" 2>/dev/null && test $i -lt 50; do
        sleep 0.1; i=$((i + 1))
    done
    rm -f "$pidfile"
}

# agent_fleet_db: a standalone fleet database (lib/fleet's schema) on a
# unix socket, its pidfile in an ovs-* directory so that agent_cleanup
# stops it; $FLEET is its remote, "ctl ARGS" runs l2mt-ctl on it.
agent_fleet_db() {
    FDIR=$AGENT_TMP/ovs-fleet
    mkdir -p "$FDIR"
    ovsdb-tool create "$FDIR/db" "$top_srcdir/lib/fleet/l2mt.ovsschema" \
        || agent_fail "ovsdb-tool create"
    ovsdb-server "$FDIR/db" --remote="punix:$FDIR/db.sock" \
        --pidfile="$FDIR/fleet.pid" --unixctl="$FDIR/db.ctl" \
        --log-file="$FDIR/db.log" -vconsole:off --detach --no-chdir \
        || agent_fail "fleet ovsdb-server did not start"
    FLEET=unix:$FDIR/db.sock
}
ctl() { "$top_builddir/utilities/l2mt-ctl" --db="$FLEET" --timeout=20 "$@"; }

# vsctl/ofctl for the current instance.
vsctl() { ovs-vsctl --timeout=10 --db=unix:"$DB_SOCK" "$@"; }
ofctl() { ovs-ofctl "$@"; }

# agent ARGS...: runs l2mt-agent against the current instance.
agent() {
    "$AGENT" --db=unix:"$DB_SOCK" "$@"
}

# wait_for DESCRIPTION COMMAND...: retries COMMAND for up to 10 s.
wait_for() {
    what=$1; shift
    i=0
    until "$@" >/dev/null 2>&1; do
        i=$((i + 1))
        test $i -ge 100 && agent_fail "timed out waiting for $what"
        sleep 0.1
    done
}

# check DESCRIPTION COMMAND...: fails the test unless COMMAND succeeds.
check() {
    what=$1; shift
    "$@" || agent_fail "$what"
    echo "ok: $what"
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
        ip netns exec "$NS" ip link add "$p" type veth peer name "p$p" \
            || agent_fail "veth $p"
        ip netns exec "$NS" ip link set "$p" up
        ip netns exec "$NS" ip link set "p$p" up
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
