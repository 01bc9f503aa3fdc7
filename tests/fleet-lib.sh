# Shell functions for the fleet's tests (sourced): l2mt databases run by
# the patched tree's ovsdb-server (one standalone, or a three-member Raft
# cluster in three network namespaces), hosts following them with
# tests/test-fleet-follow.  Namespaces are named fleet<PID><x>; every loop
# is bounded; everything started here is stopped on exit (tests/lib.sh).
#
# Needs: $top_srcdir, $top_builddir, $L2MT_OVS_BUILDDIR (an OVS build tree).

set -u
. "${top_srcdir:-$(cd "$(dirname "$0")/.." && pwd)}/tests/lib.sh"
OVS=${L2MT_OVS_BUILDDIR:-$top_builddir/_ovs}
CTL=$top_builddir/utilities/l2mt-ctl
FOLLOW=$top_builddir/tests/test-fleet-follow
TEST_CONF=$top_builddir/tests/test-conf
SCHEMA=$top_srcdir/lib/fleet/l2mt.ovsschema

fleet_skip() { skip "$@"; }
fleet_fail() { test_fail "$@"; }

fleet_require() {
    L2MT_OVS_BUILDDIR=$OVS
    require_ovs
    test -x "$CTL" && test -x "$FOLLOW" || fleet_skip "l2mt-ctl not built"
}

# FLEET_KEEP=yes keeps the files.
FLEET_TMP=$TEST_DIR
FLEET_PIDS=
# Namespaces a test made itself and added here are deleted on exit too.
FLEET_NETNS=
on_exit 'stop_pids $FLEET_PIDS; TEST_NETNS="$TEST_NETNS $FLEET_NETNS"'
test "${FLEET_KEEP:-}" = yes && L2MT_KEEP=1
# The old name of the exit trap, for tests that set their own.
fleet_cleanup() { test_cleanup; }

# fleet_until SECONDS COMMAND...: runs COMMAND every 0.1 s until it
# succeeds; fails after SECONDS.
fleet_until() {
    wait_for "$@"
}

# A standalone database: sets FLEET_DB.
fleet_standalone() {
    ovsdb-tool create "$FLEET_TMP/db" "$SCHEMA" || fleet_fail "ovsdb-tool create"
    ovs_daemon "$FLEET_TMP" db ovsdb-server "$FLEET_TMP/db" \
        --remote="punix:$FLEET_TMP/db.sock"
    FLEET_DB=unix:$FLEET_TMP/db.sock
}

# The three members a, b, c of a cluster, each in its namespace
# fleet<PID><x> at 192.0.2.1..3 (TEST-NET-1, only inside these namespaces),
# joined by a bridge in fleet<PID>s at 192.0.2.100 where the hosts and
# l2mt-ctl run.  Sets FLEET_DB (every member) and FLEET_SW.  A bench may
# set FLEET_MEMBERS=a for a one-member cluster.
FLEET_MEMBERS="a b c"
fleet_ip() { case $1 in a) echo 192.0.2.1;; b) echo 192.0.2.2;;
                        c) echo 192.0.2.3;; esac; }
fleet_ns() { echo "fleet$$$1"; }

fleet_network() {
    FLEET_SW=$(fleet_ns s)
    require_netns
    netns_add "$FLEET_SW"
    ip -n "$FLEET_SW" link add br0 type bridge
    ip -n "$FLEET_SW" addr add 192.0.2.100/24 dev br0
    ip -n "$FLEET_SW" link set br0 up
    for m in $FLEET_MEMBERS; do
        fleet_attach "$m" "$(fleet_ip "$m")"
    done
}

# fleet_attach X ADDRESS: a namespace fleet<PID>X on the network (its eth0
# at ADDRESS/24, the far end pX on the bridge); its name is left in $ns.
fleet_attach() {
    ns=$(fleet_ns "$1")
    netns_add "$ns"
    veth_add "$FLEET_SW" "p$1" "$ns" eth0 || fleet_fail "veth p$1"
    ip -n "$FLEET_SW" link set "p$1" master br0
    ip -n "$ns" addr add "$2/24" dev eth0
}

# fleet_start_member M: starts member M's ovsdb-server on its database
# file (created or joined before).
fleet_start_member() {
    ovs_daemon --netns="$(fleet_ns "$1")" "$FLEET_TMP" "$1" ovsdb-server \
        "$FLEET_TMP/$1.db" --remote="ptcp:6641:$(fleet_ip "$1")"
}

fleet_cluster() {
    fleet_network
    ovsdb-tool create-cluster "$FLEET_TMP/a.db" "$SCHEMA" \
        "tcp:$(fleet_ip a):6643" || fleet_fail "create-cluster"
    for m in $FLEET_MEMBERS; do
        test "$m" = a && continue
        ovsdb-tool join-cluster "$FLEET_TMP/$m.db" L2MT \
            "tcp:$(fleet_ip "$m"):6643" "tcp:$(fleet_ip a):6643" \
            || fleet_fail "join-cluster $m"
    done
    for m in $FLEET_MEMBERS; do
        fleet_start_member "$m"
    done
    FLEET_DB=
    for m in $FLEET_MEMBERS; do
        FLEET_DB=${FLEET_DB:+$FLEET_DB,}tcp:$(fleet_ip "$m"):6641
    done
    for m in $FLEET_MEMBERS; do
        fleet_until 30 fleet_member_joined "$m" \
            || fleet_fail "member $m did not join the cluster"
    done
}

fleet_member_joined() {
    ovs-appctl -t "$FLEET_TMP/$1.ctl" cluster/status L2MT \
        | grep -q '^Status: cluster member'
}

# The member that is the leader now, or nothing.
fleet_leader() {
    for m in $FLEET_MEMBERS; do
        if ovs-appctl -t "$FLEET_TMP/$m.ctl" cluster/status L2MT 2>/dev/null \
                | grep -q '^Role: leader'; then
            echo "$m"
            return
        fi
    done
}

# Runs in the namespace the hosts and l2mt-ctl use (none if standalone).
fleet_in() {
    if test -n "${FLEET_SW:-}"; then
        ip netns exec "$FLEET_SW" "$@"
    else
        "$@"
    fi
}

fleet_ctl() { fleet_in "$CTL" --db="$FLEET_DB" "$@"; }

# fleet_follow HOST [OPTION...]: starts a host following the database
# (test-fleet-follow, with OPTIONs, e.g. --bind=PORT); its dump is
# $FLEET_TMP/HOST.dump.
fleet_follow() {
    host=$1
    netns=
    shift
    # Not through fleet_in: $! must be the host's own process (the tests
    # stop it), which 'ip netns exec' becomes.
    test -n "${FLEET_SW:-}" && netns="ip netns exec $FLEET_SW"
    $netns "$FOLLOW" --db="$FLEET_DB" --host="$host" \
        --dump="$FLEET_TMP/$host.dump" --persist="$FLEET_TMP/$host.conf" \
        --timeout=170 "$@" 2>>"$FLEET_TMP/$host.err" &
    FLEET_PIDS="$FLEET_PIDS $!"
    eval "FLEET_PID_$host=$!"
}

# fleet_expected FILE HOST: FILE's dump as host HOST's agent sees it (its
# own host block only), without line numbers, sorted.
fleet_expected() {
    "$TEST_CONF" "$1" | awk -v host="$2" '
        /^host / { keep = ($2 == host) }
        /^  / { if (keep) print; next }
        !/^host / || keep { print }' \
        | sed 's/ line=[0-9]*//' | sort
}

# fleet_actual HOST: the host's dump, the same way.
fleet_actual() {
    sed 's/ line=[0-9]*//' "$FLEET_TMP/$1.dump" | sort
}

# fleet_check_host FILE HOST: the host's dump is FILE's.
fleet_check_host() {
    fleet_expected "$1" "$2" > "$FLEET_TMP/$2.expected"
    test -s "$FLEET_TMP/$2.expected" || fleet_fail "no expected dump for $2"
    fleet_actual "$2" > "$FLEET_TMP/$2.actual"
    diff -u "$FLEET_TMP/$2.expected" "$FLEET_TMP/$2.actual"
}
