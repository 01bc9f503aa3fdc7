#! /bin/sh
# The agent's planner (lib/agent/) on recorded switch states, no switch
# running: config + what the gather step read -> the plan, compared with
# tests/agent-plan/CASE.expected, and the points each case is about
# checked by name.  Regenerate the states with tests/agent-plan/record.sh
# and an expected file with L2MT_REGEN=1 (then read the diff).
set -u
top_srcdir=${top_srcdir:-$(cd "$(dirname "$0")/.." && pwd)}
top_builddir=${top_builddir:-$top_srcdir}
PLAN=$top_builddir/tests/test-agent-plan
D=$top_srcdir/tests/agent-plan
. "${top_srcdir:-$(cd "$(dirname "$0")/.." && pwd)}/tests/lib.sh"
tmp=$TEST_DIR
fail=0

# plan CASE [--remove] CONFIG STATE [LINKS]: the plan of CASE, in
# $tmp/CASE, compared with its expected file.
plan() {
    case=$1; shift
    remove=
    if [ "$1" = --remove ]; then remove=--remove; shift; fi
    links=${3:+$D/$3.links}
    # shellcheck disable=SC2086
    if ! "$PLAN" $remove "$D/$1.conf" hv1 "$D/$2.state" $links \
            > "$tmp/$case" 2>&1; then
        echo "FAIL: $case: the planner failed"; sed 's/^/    /' "$tmp/$case"
        fail=1
        return
    fi
    if [ "${L2MT_REGEN:-}" = 1 ]; then
        cp "$tmp/$case" "$D/$case.expected"
    fi
    if diff -u "$D/$case.expected" "$tmp/$case" > "$tmp/$case.diff"; then
        echo "ok: $case: the plan is the expected one"
    else
        echo "FAIL: $case: the plan differs from $case.expected"
        sed 's/^/    /' "$tmp/$case.diff"
        fail=1
    fi
}

# has CASE WHAT PATTERN / hasnt CASE WHAT PATTERN: a line of CASE's plan
# matches (does not match) the extended regular expression PATTERN.
has() {
    if grep -Eq -- "$3" "$tmp/$1"; then echo "ok: $1: $2"
    else echo "FAIL: $1: $2 (no line matches /$3/)"; fail=1; fi
}
hasnt() {
    if ! grep -Eq -- "$3" "$tmp/$1"; then echo "ok: $1: $2"
    else echo "FAIL: $1: $2 (a line matches /$3/)"; fail=1; fi
}

# Tenants added to a switch l2mt has not touched.
plan add two-tenants empty
has add "tenant bridge created" '^-- add-br br-t$'
has add "tenant bridge in fail_mode secure" '^-- set Bridge br-t fail_mode="secure"$'
has add "tenant 11's second tunnel" '^-- set Interface gre11-1 options:remote_ip="10.0.0.3"$'
has add "service ports in the isolation VLAN" '^-- set Port s11v4 tag=4095$'
has add "default deny: table 0" '^cookie=0x4c324d54,priority=0 actions=drop$'
has add "default deny: table 1" '^cookie=0x4c324d54,priority=0,table=1 actions=drop$'
has add "default deny: each tunnel port" '^cookie=0x4c324d54,priority=80,in_port=gre11-1 actions=drop$'
has add "underlay address and link" '^ip addr add 10.99.0.2/24 dev br-phy$'
has add "no port numbers yet: flows wait" '^== no port number'

# The switch as apply left it: nothing to do.
plan in-sync two-tenants applied applied
hasnt in-sync "no drift" '^== (drift|vsctl|ip|errors)'
has in-sync "flows by OpenFlow port number" '^cookie=0x4c324d54,priority=80,in_port=[0-9]+ actions=drop$'
has in-sync "the VM's meter" '^1000000[0-9]+ 20$'

# The links as gather read them matter: the underlay is down, its MAC
# unknown.
plan underlay-down two-tenants applied
has underlay-down "underlay brought up" '^ip link set br-phy up$'

# Tenant 11 leaves the config: its tunnels and service port go, tenant
# 10's stay.
plan tenant-removed one-tenant applied applied
has tenant-removed "gre11 deleted" '^-- del-port br-t gre11$'
has tenant-removed "gre11-1 deleted" '^-- del-port br-t gre11-1$'
has tenant-removed "s11v4 deleted" '^-- del-port br-t s11v4$'
hasnt tenant-removed "tenant 10 kept" 'del-port br-t (gre10|s10v4|s10v6)$'
hasnt tenant-removed "no flow for tenant 11" 'in_port=(gre11|s11v4)'

# web1's VM moves to tenant 11 and profile db.
plan moved moved applied applied
has moved "VLAN of profile db" '^-- set Port vm1 tag=200$'
has moved "tenant mark" '^-- set Port vm1 external_ids:l2mt-tenant="tenant11"$'

# A service port carries a VM's iface-id: it keeps its role, and the
# binding (by iface-id) binds nothing.
plan wrong-role two-tenants wrong-role applied
hasnt wrong-role "service port not bound as a VM" 'Port s11v4 (tag=100|external_ids:l2mt-profile)'
has wrong-role "the VM's old binding taken off" '^-- (clear|remove) Port vm1 '

# remove takes out all of l2mt's, nothing else: the tenant bridge stays
# for the VM ports l2mt did not add.
plan remove --remove two-tenants applied
has remove "tunnel ports deleted" '^-- del-port br-t gre11-1$'
hasnt remove "tenant bridge kept for the VMs" '^-- del-br br-t$'
has remove "VM's marks taken off" '^-- remove Port vm2 external_ids l2mt-tenant$'
has remove "underlay bridge deleted" '^-- del-br br-phy$'
exit $fail
