# Shell functions for the fleet's tests (sourced): l2mt databases run by
# the patched tree's ovsdb-server (one standalone, or a three-member Raft
# cluster in three network namespaces), hosts following them with
# tests/test-fleet-follow.  Namespaces are named fleet<PID><x>; every loop
# is bounded; everything started here is stopped by fleet_cleanup.
#
# Needs: $top_srcdir, $top_builddir, $L2MT_OVS_BUILDDIR (an OVS build tree).

set -u
top_srcdir=${top_srcdir:-$(cd "$(dirname "$0")/.." && pwd)}
top_builddir=${top_builddir:-$top_srcdir}
OVS=${L2MT_OVS_BUILDDIR:-$top_builddir/_ovs}
CTL=$top_builddir/utilities/l2mt-ctl
FOLLOW=$top_builddir/tests/test-fleet-follow
TEST_CONF=$top_builddir/tests/test-conf
SCHEMA=$top_srcdir/lib/fleet/l2mt.ovsschema
test_name=$(basename "$0" .sh)

fleet_skip() { echo "SKIP: $*"; exit 77; }
fleet_fail() { echo "FAIL: $*"; exit 1; }

fleet_require() {
    for f in ovsdb/ovsdb-server ovsdb/ovsdb-tool ovsdb/ovsdb-client \
             utilities/ovs-appctl; do
        test -x "$OVS/$f" || fleet_skip "no Open vSwitch build at $OVS ($f)"
    done
    test -x "$CTL" && test -x "$FOLLOW" || fleet_skip "l2mt-ctl not built"
    PATH=$OVS/utilities:$OVS/ovsdb:$PATH
    export PATH
}

FLEET_TMP=$(mktemp -d "${TMPDIR:-/tmp}/$test_name.$$.XXXXXX") || exit 99
FLEET_NETNS=
FLEET_PIDS=

fleet_cleanup() {
    set +e
    for pid in $FLEET_PIDS; do
        kill -CONT "$pid" 2>/dev/null
        kill "$pid" 2>/dev/null
    done
    for pidfile in "$FLEET_TMP"/*.pid; do
        test -f "$pidfile" && kill "$(cat "$pidfile")" 2>/dev/null
    done
    sleep 0.2
    for ns in $FLEET_NETNS; do
        ip netns pids "$ns" 2>/dev/null | xargs -r kill -9 2>/dev/null
        ip netns del "$ns" 2>/dev/null
    done
    if test "${FLEET_KEEP:-}" = yes; then
        echo "kept $FLEET_TMP"
    else
        rm -rf "$FLEET_TMP"
    fi
}
trap fleet_cleanup EXIT

# fleet_until SECONDS COMMAND...: runs COMMAND every 0.1 s until it
# succeeds; fails after SECONDS.
fleet_until() {
    fu_limit=$(( $1 * 10 ))
    fu_i=0
    shift
    while ! "$@" >/dev/null 2>&1; do
        fu_i=$((fu_i + 1))
        test $fu_i -lt $fu_limit || return 1
        sleep 0.1
    done
}

# A standalone database: sets FLEET_DB.
fleet_standalone() {
    ovsdb-tool create "$FLEET_TMP/db" "$SCHEMA" || fleet_fail "ovsdb-tool create"
    ovsdb-server "$FLEET_TMP/db" --remote="punix:$FLEET_TMP/db.sock" \
        --pidfile="$FLEET_TMP/db.pid" --unixctl="$FLEET_TMP/db.ctl" \
        --log-file="$FLEET_TMP/db.log" -vconsole:off --detach --no-chdir \
        2>>"$FLEET_TMP/db.err" || fleet_fail "ovsdb-server: $(cat "$FLEET_TMP/db.err")"
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
    ip netns add "$FLEET_SW" || fleet_skip "cannot make network namespaces"
    FLEET_NETNS="$FLEET_SW"
    ip -n "$FLEET_SW" link set lo up
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
    ip netns add "$ns" || fleet_fail "ip netns add $ns"
    FLEET_NETNS="$FLEET_NETNS $ns"
    ip -n "$ns" link set lo up
    ip -n "$FLEET_SW" link add "p$1" type veth peer name eth0 netns "$ns"
    ip -n "$FLEET_SW" link set "p$1" master br0 up
    ip -n "$ns" addr add "$2/24" dev eth0
    ip -n "$ns" link set eth0 up
}

# fleet_start_member M: starts member M's ovsdb-server on its database
# file (created or joined before).
fleet_start_member() {
    ip netns exec "$(fleet_ns "$1")" ovsdb-server "$FLEET_TMP/$1.db" \
        --remote="ptcp:6641:$(fleet_ip "$1")" --pidfile="$FLEET_TMP/$1.pid" \
        --unixctl="$FLEET_TMP/$1.ctl" --log-file="$FLEET_TMP/$1.log" \
        -vconsole:off --detach --no-chdir 2>>"$FLEET_TMP/$1.err" \
        || fleet_fail "ovsdb-server $1: $(cat "$FLEET_TMP/$1.err")"
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
