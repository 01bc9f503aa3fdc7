#!/bin/sh
# The l2mt database as a three-member Raft cluster (ovsdb-tool
# create-cluster / join-cluster), one member per network namespace, and
# four hosts following it: each host's config from the database is the
# file's for that host; --wait=hv returns once all four acknowledged; with
# the leader killed, and separately with a member cut off (its link down),
# writes resume through the new leader and every host converges.

. "${top_srcdir:-$(dirname "$0")/..}/tests/fleet-lib.sh"
fleet_require
test "$(id -u)" = 0 || fleet_skip "needs root for network namespaces"
command -v ip >/dev/null || fleet_skip "no ip(8)"
CONF=$top_srcdir/tests/conf/fleet.conf
HOSTS="hv1 hv2 hv3 hv4"

fleet_cluster
leader=$(fleet_leader)
test -n "$leader" || fleet_fail "no leader"
echo "ok: three-member cluster up, leader $leader"

for h in $HOSTS; do
    fleet_follow $h
done
fleet_ctl --wait=hv --timeout=30 import "$CONF" \
    || fleet_fail "import --wait=hv did not return"
for h in $HOSTS; do
    fleet_check_host "$CONF" $h || fleet_fail "$h's config is not the file's"
done
# Conditional monitoring: each host was sent its own Host row and status
# row only (the other three exist: their status rows are there too).
for h in $HOSTS; do
    grep -qx 'hosts=1 statuses=1' "$FLEET_TMP/$h.dump.rows" \
        || fleet_fail "$h was sent $(cat "$FLEET_TMP/$h.dump.rows")"
done
test "$(fleet_ctl --bare --columns=name list Host_Status | grep -c .)" = 4 \
    || fleet_fail "not 4 status rows"
echo "ok: import; each of 4 hosts' config from the database equals the file's (each sent only its own host rows)"

# Every host has tenant ID (and acknowledged it).
all_have_tenant() {
    for h in $HOSTS; do
        grep -q "^tenant $1 " "$FLEET_TMP/$h.dump" || return 1
    done
}

# --- The leader killed: a new leader, writes resume, hosts converge.
kill -9 "$(cat "$FLEET_TMP/$leader.pid")"
# l2mt-ctl (leader only) and the hosts find the new leader by themselves.
fleet_ctl --wait=hv --timeout=60 tenant-add 30 svc30v4 10.0.0.1 \
    || fleet_fail "no write after the leader ($leader) was killed"
all_have_tenant 30 || fleet_fail "a host did not converge after the leader died"
new_leader=$(fleet_leader)
test -n "$new_leader" && test "$new_leader" != "$leader" \
    || fleet_fail "no new leader (was $leader, now '$new_leader')"
echo "ok: leader $leader killed; new leader $new_leader, writes resume, hosts converge"

# The killed member comes back on its own database file.
fleet_start_member "$leader"
fleet_until 30 fleet_member_joined "$leader" \
    || fleet_fail "$leader did not rejoin"

# --- A member cut off: the leader itself, its link down.
cut=$(fleet_leader)
ip -n "$(fleet_ns "$cut")" link set eth0 down
fleet_ctl --wait=hv --timeout=60 tenant-add 31 svc31v4 10.0.0.1 \
    || fleet_fail "no write with $cut cut off"
all_have_tenant 31 || fleet_fail "a host did not converge with $cut cut off"
ip -n "$(fleet_ns "$cut")" link set eth0 up
# It catches up: tenant 31 readable on it alone.
fleet_until 30 fleet_in sh -c "$(command -v ovsdb-client) --no-leader-only \
    dump tcp:$(fleet_ip "$cut"):6641 L2MT Tenant tenant_id | grep -qw 31" \
    || fleet_fail "$cut did not catch up after its link came back"
fleet_ctl --wait=hv --timeout=60 tenant-del 30 \
    || fleet_fail "no write after $cut came back"
echo "ok: $cut cut off; writes resume, hosts converge, $cut catches up"

# --- Refused through the cluster: nothing changes.
fleet_ctl export > "$FLEET_TMP/before.conf"
fleet_ctl --gre-key=10 tenant-add 32 svc32v4 10.0.0.1 2>/dev/null \
    && fleet_fail "a duplicate GRE key was accepted"
fleet_ctl export > "$FLEET_TMP/after.conf"
cmp "$FLEET_TMP/before.conf" "$FLEET_TMP/after.conf" \
    || fleet_fail "a refused command changed the cluster's database"
echo "ok: a refused command changes nothing"
echo "PASS: $test_name"
