#!/bin/sh
# FLEET_PID_<host> are set by fleet_follow (eval):
# shellcheck disable=SC2154
# l2mt-ctl and lib/fleet on one standalone database: import/export round
# trip, typed commands, refused changes leave the database as it was (the
# file's parser and the schema's indexes), hosts following with --wait=hv,
# a database state the parser refuses kept out of the hosts, and a host
# starting on its persisted config while the database is down.

. "${top_srcdir:-$(dirname "$0")/..}/tests/fleet-lib.sh"
fleet_require
fleet_standalone
CONF=$top_srcdir/tests/conf/fleet.conf
AGENT=$top_builddir/utilities/l2mt-agent

# --- import, export, import: stable, and the agent takes the export.
fleet_ctl import "$CONF" || fleet_fail "import"
fleet_ctl export "$FLEET_TMP/export1.conf" || fleet_fail "export"
for h in hv1 hv2 hv3 hv4; do
    "$AGENT" --config="$FLEET_TMP/export1.conf" --host=$h check >/dev/null \
        || fleet_fail "l2mt-agent check refuses the export for $h"
done
"$TEST_CONF" "$CONF" | sed 's/ line=[0-9]*//' | sort > "$FLEET_TMP/file.dump"
"$TEST_CONF" "$FLEET_TMP/export1.conf" | sed 's/ line=[0-9]*//' | sort \
    > "$FLEET_TMP/export.dump"
diff -u "$FLEET_TMP/file.dump" "$FLEET_TMP/export.dump" \
    || fleet_fail "the export does not say what the file says"
fleet_ctl import "$FLEET_TMP/export1.conf" || fleet_fail "import of export"
fleet_ctl export > "$FLEET_TMP/export2.conf"
cmp "$FLEET_TMP/export1.conf" "$FLEET_TMP/export2.conf" \
    || fleet_fail "import -> export -> import is not stable"
echo "ok: import/export round trip, l2mt-agent check accepts the export"

# --- Typed commands.
fleet_ctl --name=initech --gre-key=2020 tenant-add 20 svc20v4 10.0.3.1 \
    10.0.3.2 || fleet_fail "tenant-add"
fleet_ctl profile-set db vlan=200 meter_pps=1000 \
    || fleet_fail "profile-set"
fleet_ctl port-bind vm4 iface-id 0b7d-vm4 db initech || fleet_fail "port-bind"
fleet_ctl host-add hv5 edge_switch=tor3 tunnel_mode=flow \
    || fleet_fail "host-add"
fleet_ctl export > "$FLEET_TMP/typed.conf"
"$TEST_CONF" "$FLEET_TMP/typed.conf" > "$FLEET_TMP/typed.dump" \
    || fleet_fail "typed commands made a config the parser refuses"
for want in \
    'tenant 20 name=initech gre-key=2020 v4=svc20v4 .*remote=10.0.3.1 remote=10.0.3.2' \
    'profile db vlan=200 .*meter-pps=1000' \
    'port vm4 iface-id=0b7d-vm4 profile=db tenant=initech' \
    'host hv5 .*edge-switch=tor3 .*tunnel-mode=flow'; do
    grep -q "$want" "$FLEET_TMP/typed.dump" || fleet_fail "no '$want'"
done
fleet_ctl tenant-list | grep -qx '20 initech gre-key=2020' \
    || fleet_fail "tenant-list"
fleet_ctl tenant-del 20 2>"$FLEET_TMP/err" \
    && fleet_fail "tenant-del of a tenant with a VM port"
grep -q 'VM port vm4 belongs to it' "$FLEET_TMP/err" || fleet_fail "$(cat "$FLEET_TMP/err")"
fleet_ctl port-unbind vm4 -- profile-del db -- tenant-del initech \
    -- host-del hv5 || fleet_fail "port-unbind/profile-del/tenant-del/host-del"
fleet_ctl export > "$FLEET_TMP/after-del.conf"
cmp "$FLEET_TMP/export1.conf" "$FLEET_TMP/after-del.conf" \
    || fleet_fail "deleting what was added does not give the import back"
fleet_ctl show | grep -q '^host hv3: edge-switch tor1' || fleet_fail "show"
echo "ok: typed commands"

# --- Refused: each leaves the database (and its generation) as it was.
refused() {
    want=$1
    shift
    before=$(fleet_ctl get L2MT_Global . next_cfg)
    if fleet_ctl "$@" 2>"$FLEET_TMP/err"; then
        fleet_fail "accepted: l2mt-ctl $*"
    fi
    grep -q -- "$want" "$FLEET_TMP/err" \
        || fleet_fail "l2mt-ctl $*: no '$want' in: $(cat "$FLEET_TMP/err")"
    fleet_ctl export > "$FLEET_TMP/now.conf"
    cmp -s "$FLEET_TMP/export1.conf" "$FLEET_TMP/now.conf" \
        || fleet_fail "l2mt-ctl $* changed the database"
    test "$(fleet_ctl get L2MT_Global . next_cfg)" = "$before" \
        || fleet_fail "l2mt-ctl $* started a generation"
}
refused 'GRE key 11 is also tenant 11' --gre-key=11 tenant-add 13 svc13v4 10.0.0.1
refused 'GRE key 11 is also tenant 11' set Tenant globex gre_key=11
refused 'per-tenant tunnel port name' tenant-add 14 gre5 10.0.0.1
refused 'is an OpenFlow port keyword' tenant-add 14 LOCAL 10.0.0.1
refused "interface vnet3 is tenant 15's service port" tenant-add 15 vnet3 10.0.0.1
refused 'matches the same interface' port-bind vm5 mac 52:54:00:ab:cd:01
refused 'not one word' set Tenant acme 'name="a b"'
refused 'not one word' set Host hv2 'edge_switch="x\n}\nhost evil {"'
refused 'tenant 16 already exists\|name acme is' --name=acme tenant-add 16 svc16v4 10.0.0.1
printf 'tenant 30 {\n    remote 10.0.0.1\n    service-v4-port gre30\n}\n' \
    > "$FLEET_TMP/bad.conf"
refused "bad.conf:3: " import "$FLEET_TMP/bad.conf"
# The schema's own index, whoever writes (here not l2mt-ctl).
if ovsdb-client transact "$FLEET_DB" '["L2MT", {"op": "insert",
        "table": "Tenant", "row": {"tenant_id": 40, "name": "t40",
        "gre_key": 10, "remotes": "10.0.0.1",
        "service_v4_port": "svc40"}}]' > "$FLEET_TMP/out" 2>&1 \
        && ! grep -q 'constraint violation' "$FLEET_TMP/out"; then
    fleet_fail "the schema let a second tenant have GRE key 10"
fi
grep -q 'constraint violation' "$FLEET_TMP/out" || fleet_fail "$(cat "$FLEET_TMP/out")"
echo "ok: refused changes leave the database as it was"

# --- Hosts following, --wait=hv.
for h in hv1 hv2 hv3 hv4; do
    fleet_follow $h
done
fleet_ctl --wait=hv --timeout=20 tenant-add 21 svc21v4 10.0.0.1 \
    || fleet_fail "--wait=hv did not return"
for h in hv1 hv2 hv3 hv4; do
    grep -q '^tenant 21 ' "$FLEET_TMP/$h.dump" \
        || fleet_fail "$h acknowledged without having tenant 21"
done
# With hv2 stopped, the wait must not return before hv2 acknowledges.
kill -STOP $FLEET_PID_hv2
fleet_ctl --wait=hv --timeout=3 tenant-add 22 svc22v4 10.0.0.1 2>/dev/null
rc=$?
test $rc = 142 || fleet_fail "--wait=hv returned ($rc) while hv2 was stopped"
kill -CONT $FLEET_PID_hv2
fleet_ctl --wait=hv --timeout=20 init || fleet_fail "--wait=hv after hv2 came back"
grep -q '^tenant 22 ' "$FLEET_TMP/hv2.dump" || fleet_fail "hv2 has no tenant 22"
test "$(fleet_ctl get L2MT_Global . hv_cfg)" = \
     "$(fleet_ctl get L2MT_Global . next_cfg)" || fleet_fail "hv_cfg"
fleet_check_host "$CONF" hv1 >/dev/null 2>&1 \
    && fleet_fail "hv1's dump did not change with tenants 21 and 22"
echo "ok: --wait=hv returns when every host acknowledged, not before"

# --- A state the parser refuses, written around l2mt-ctl: the hosts keep
# their last good config and say why.
cp "$FLEET_TMP/hv1.dump" "$FLEET_TMP/hv1.good"
ovsdb-client transact "$FLEET_DB" '["L2MT", {"op": "update",
    "table": "Tenant", "where": [["tenant_id", "==", 21]],
    "row": {"service_v4_port": "gre7"}}, {"op": "mutate",
    "table": "L2MT_Global", "where": [], "mutations":
    [["next_cfg", "+=", 1]]}]' >/dev/null || fleet_fail "ovsdb-client"
fleet_until 10 sh -c "'$CTL' --db='$FLEET_DB' get Host_Status hv1 last_error \
    | grep -q 'tunnel port name'" || fleet_fail "hv1 did not report the error"
cmp "$FLEET_TMP/hv1.good" "$FLEET_TMP/hv1.dump" \
    || fleet_fail "hv1 took a config the parser refuses"
cur=$(fleet_ctl get Host_Status hv1 cur_cfg)
applied=$(fleet_ctl get Host_Status hv1 applied_generation)
test "$applied" -lt "$cur" || fleet_fail "applied $applied, cur $cur"
fleet_ctl --wait=hv --timeout=20 set Tenant 21 service_v4_port=svc21v4 \
    || fleet_fail "repair"
test "$(fleet_ctl get Host_Status hv1 last_error)" = '[]' \
    || fleet_fail "hv1 still reports an error"
echo "ok: a refused database state is kept out of the hosts and reported"

# --- A VM port moves from hv1 to hv2: the database records where it is.
bound_on() {
    fleet_ctl show | grep -q "^vm-port $1: .*, on $2\$"
}
kill $FLEET_PID_hv1 $FLEET_PID_hv2
wait $FLEET_PID_hv1 $FLEET_PID_hv2 2>/dev/null
fleet_follow hv1 --bind=vm1
fleet_until 10 bound_on vm1 hv1 || fleet_fail "vm1 not recorded on hv1"
bound_on vm2 - || fleet_fail "vm2 bound without a host having it"
# Both hosts have it (a live migration's overlap): the first keeps it,
# they do not take it from each other in turns.
fleet_follow hv2 --bind=vm1
fleet_ctl --wait=hv --timeout=20 init || fleet_fail "--wait=hv, vm1 on both"
for i in 1 2 3 4 5 6 7 8 9 10; do
    bound_on vm1 hv1 || fleet_fail "hv2 took vm1 from hv1 while hv1 has it"
    sleep 0.1
done
# The VM gone from hv1: hv1 releases it, hv2 claims it.
kill $FLEET_PID_hv1
wait $FLEET_PID_hv1 2>/dev/null
fleet_follow hv1
fleet_until 10 bound_on vm1 hv2 || fleet_fail "vm1 not recorded on hv2"
fleet_ctl --wait=hv --timeout=20 init || fleet_fail "--wait=hv after the move"
bound_on vm1 hv2 || fleet_fail "hv1 took vm1 back without having it"
kill $FLEET_PID_hv2
wait $FLEET_PID_hv2 2>/dev/null
fleet_follow hv2
fleet_until 10 bound_on vm1 - || fleet_fail "hv2 did not release vm1"
echo "ok: a VM port moved from hv1 to hv2 is recorded there, released when gone"

# --- The database down: a host starts on its persisted last config.
fleet_ctl export > "$FLEET_TMP/last.conf"
kill $FLEET_PID_hv1
ovs-appctl -t "$FLEET_TMP/db.ctl" exit || fleet_fail "stopping ovsdb-server"
rm -f "$FLEET_TMP/hv1.dump"
fleet_follow hv1
fleet_until 10 test -s "$FLEET_TMP/hv1.dump" \
    || fleet_fail "hv1 did not start from its persisted config"
fleet_check_host "$FLEET_TMP/last.conf" hv1 \
    || fleet_fail "hv1's persisted config is not the last one"
echo "ok: a host starts on its last applied config while the database is down"
echo "PASS: $test_name"
