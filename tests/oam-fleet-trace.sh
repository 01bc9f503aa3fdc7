#! /bin/sh
# Copyright (c) 2026 The l2mt authors.
# Licensed under the Apache License, Version 2.0.
#
# A tenant's trace over the fleet (issue 16, part 1): "l2mt-trace
# --fleet" puts a request in the fleet database's Trace table, each host's
# agent (l2mt-agent run --fleet) runs its part locally, as its unixctl
# "trace" does, and writes the result to the request; no shell on any host.
# Two hosts, each its own ovs-vswitchd in its own namespace and its own
# agent: both parts come back; a bad packet and an unknown tenant are
# clear errors; a host whose agent is stopped is named, exit 4; the
# requests are deleted and nothing changed on either switch.  Only the
# hosts the tenant's VM ports are bound to are asked: tenant 2 has a port
# on hv1 only, so hv2 stopped does not matter to its trace; tenant 3 has
# none (exit 5) until a host is on its gateway side.
. "${top_srcdir:-$(dirname "$0")/..}/tests/agent-lib.sh"
agent_require_ovs
CTL=$top_builddir/utilities/l2mt-ctl
TRACE=$top_builddir/utilities/l2mt-trace
test -x "$CTL" || agent_skip "l2mt-ctl not built"
PY=/usr/bin/python3

agent_fleet_db

nat64=$(agent_nat64_mode)
cat > "$AGENT_TMP/start.conf" <<CONF
host hv1 {
    bridge br-f
    datapath netdev
}
host hv2 {
    bridge br-f
    datapath netdev
}
tenant 1 {
    remote 10.0.0.1
    service-v4-port s1
    nat64 $nat64
}
tenant 2 {
    remote 10.0.0.1
    service-v4-port s2
    nat64 $nat64
}
tenant 3 {
    remote 10.0.0.9
    service-v4-port s3
    nat64 $nat64
}
port vm1 {
    interface vm1
    tenant 1
}
port vm2 {
    interface vm2
    tenant 1
}
port vm3 {
    interface vm3
    tenant 2
}
CONF
ctl import "$AGENT_TMP/start.conf" || agent_fail "l2mt-ctl import"

# Two hosts: a namespace, a switch and an agent each.
start_host() {     # HOST INSTANCE
    agent_netns "ft$1"
    eval "NS_$1=\$NS"
    agent_ovs_start "$2" "$NS"
    for s in s1 s2; do
        ip netns exec "$NS" ip link add $s type veth peer name p$s &&
            ip netns exec "$NS" ip link set $s up &&
            ip netns exec "$NS" ip link set p$s up || agent_fail "veth $s"
    done
    ip netns exec "$NS" "$AGENT" --db=unix:"$DB_SOCK" --fleet="$FLEET" \
        --host="$1" -c "$AGENT_TMP/$1.conf" \
        --inventory="$AGENT_TMP/$1.inv.json" --interval=1 \
        --switch="$dir/ovs-vswitchd.ctl" --detach \
        --pidfile="$AGENT_TMP/$1.pid" --log-file="$AGENT_TMP/$1.log" \
        run 2>/dev/null || agent_fail "the agent of $1 did not start"
    AGENT_PIDS="$AGENT_PIDS $(cat "$AGENT_TMP/$1.pid")"
}
start_host hv1 a
start_host hv2 b

port_on() {        # INSTANCE PORT
    agent_ovs_env "$1"
    vsctl --bare --columns=name list port | grep -qx "$2"
}
wait_for "tenant 1 on hv1" port_on a gre1
wait_for "tenant 1 on hv2" port_on b gre1
acked() {
    g=$(ctl get L2MT_Global . next_cfg)
    test "$(ctl get Host_Status hv1 applied_generation)" = "$g" &&
    test "$(ctl get Host_Status hv2 applied_generation)" = "$g"
}
wait_for "both hosts applied the config" acked

# The VM ports: vm1 (tenant 1) on hv1, vm2 (tenant 1) on hv2, vm3 (tenant
# 2) on hv1; each host's agent binds what it has (VM_Port host).
plug() {           # INSTANCE HOST IFACE
    agent_ovs_env "$1"
    eval "ns=\$NS_$2"
    ip netns exec "$ns" ip link add "$3" type veth peer name "p$3" &&
        ip netns exec "$ns" ip link set "$3" up &&
        vsctl add-port br-f "$3" || agent_fail "plugging $3 on $2"
}
plug a hv1 vm1
plug b hv2 vm2
plug a hv1 vm3
bound_on() { ctl show | grep -q "^vm-port $1: .*, on $2\$"; }
wait_for "vm1 bound to hv1" bound_on vm1 hv1
wait_for "vm2 bound to hv2" bound_on vm2 hv2
wait_for "vm3 bound to hv1" bound_on vm3 hv1
wait_for "both hosts applied the config" acked

# What is on the switches now, and how often each agent applied a config.
flows() {          # INSTANCE
    agent_ovs_env "$1"
    ovs-ofctl --no-stats dump-flows br-f | sort
    vsctl --bare --columns=name list port | sort
}
flows a > "$AGENT_TMP/flows-a.before"
flows b > "$AGENT_TMP/flows-b.before"
applied() { grep -c 'fleet database: generation' "$AGENT_TMP/$1.log"; }
applied_hv1=$(applied hv1)

PKT='udp,nw_src=192.168.0.10,nw_dst=192.168.0.100,tp_dst=80'
ftrace() { "$TRACE" --fleet="$FLEET" "$@"; }

# 1. Both hosts' parts.
ftrace --timeout=20 --format=json 1 "$PKT" > "$AGENT_TMP/both.json" \
    2> "$AGENT_TMP/both.err"
rc=$?
cat "$AGENT_TMP/both.err"
check "a trace over two hosts exits 0 or 1, delivered or dropped (got $rc)" \
    test $rc -le 1
check "both hosts' parts, each the host's own, the exit code its status" \
    $PY -c 'import json, sys
d = json.load(open(sys.argv[1]))
assert sorted(d["hosts"]) == ["hv1", "hv2"], d["hosts"]
assert d["no_answer"] == [], d["no_answer"]
assert d["tenant"] == "tenant1" and d["tenant_id"] == 1, d
for h in ("hv1", "hv2"):
    r = d["results"][h]
    assert r["host"] == h and r["tenant"] == "tenant1", r
    assert r["gre_key"] == 1 and r["request"]["hops"], r
    assert r["verdict"] in ("delivered", "dropped"), r
assert d["status"] == int(sys.argv[2]), (d["status"], sys.argv[2])' \
    "$AGENT_TMP/both.json" $rc
# hv1's part is what its agent's unixctl trace says (the same code).
agent_ovs_env a
ip netns exec "$NS_hv1" ovs-appctl -t \
    "$OVS_RUNDIR/l2mt-agent.$(cat "$AGENT_TMP/hv1.pid").ctl" trace 1 "$PKT" \
    > "$AGENT_TMP/local.json" || agent_fail "unixctl trace on hv1"
check "hv1's part equals its agent's unixctl trace" \
    $PY -c 'import json, sys
d = json.load(open(sys.argv[1]))["results"]["hv1"]
assert d == json.load(open(sys.argv[2])), "differ"' \
    "$AGENT_TMP/both.json" "$AGENT_TMP/local.json"

ftrace --timeout=20 1 "$PKT" > "$AGENT_TMP/both.txt" 2>&1
check "text: a section per host" \
    test "$(grep -c '^== host hv[12] ==$' "$AGENT_TMP/both.txt")" = 2
sed -n 1,12p "$AGENT_TMP/both.txt"

# 2. Only the hosts named.
ftrace --timeout=20 --format=json --hosts=hv2 tenant1 "$PKT" \
    > "$AGENT_TMP/hv2.json" 2>&1
check "--hosts=hv2: hv2's part only" $PY -c 'import json, sys
d = json.load(open(sys.argv[1]))
assert list(d["results"]) == ["hv2"] and d["hosts"] == ["hv2"], d' \
    "$AGENT_TMP/hv2.json"

# 3. Bad input.
ftrace --timeout=20 --format=json 1 'udp,colour=red' > "$AGENT_TMP/bad.json" \
    2> "$AGENT_TMP/bad.err"
rc=$?
check "an unparseable packet: exit 2 (got $rc)" test $rc = 2
check "an unparseable packet: each host says why" $PY -c 'import json, sys
d = json.load(open(sys.argv[1]))
for h in ("hv1", "hv2"):
    r = d["results"][h]
    assert "colour" in r["error"] and r["status"] == 2, r' \
    "$AGENT_TMP/bad.json"
ftrace --timeout=20 1 'udp,colour=red' > "$AGENT_TMP/bad.txt" 2>&1
check "an unparseable packet, text: each host's error" \
    test "$(grep -c '^error: cannot parse the packet' "$AGENT_TMP/bad.txt")" = 2
cat "$AGENT_TMP/bad.txt"
ftrace --timeout=20 99 "$PKT" > "$AGENT_TMP/unknown.out" 2>&1
rc=$?
cat "$AGENT_TMP/unknown.out"
check "an unknown tenant: exit 2 (got $rc)" test $rc = 2
check "an unknown tenant: named" grep -q 'no tenant "99"' "$AGENT_TMP/unknown.out"
ftrace --timeout=20 --hosts=hv1,hv9 1 "$PKT" > "$AGENT_TMP/nohost.out" 2>&1
rc=$?
check "an unknown host: exit 2 (got $rc)" test $rc = 2
check "an unknown host: named" grep -q 'no host "hv9"' "$AGENT_TMP/nohost.out"
ftrace --timeout=20 3 "$PKT" > "$AGENT_TMP/noport.out" 2>&1
rc=$?
cat "$AGENT_TMP/noport.out"
check "a tenant with no VM port bound: exit 5 (got $rc)" test $rc = 5
check "a tenant with no VM port bound: said" \
    grep -q 'tenant tenant3 has no VM port bound to a host' \
    "$AGENT_TMP/noport.out"

# 4. hv2's agent stopped: hv2 named, exit 4, hv1's part still there.
pid2=$(cat "$AGENT_TMP/hv2.pid")
kill "$pid2"
i=0
while kill -0 "$pid2" 2>/dev/null && test $i -lt 50; do
    sleep 0.1; i=$((i + 1))
done
ftrace --timeout=3 --format=json 1 "$PKT" > "$AGENT_TMP/down.json" \
    2> "$AGENT_TMP/down.err"
rc=$?
cat "$AGENT_TMP/down.err"
check "a host that does not answer: exit 4 (got $rc)" test $rc = 4
check "a host that does not answer: named on stderr" \
    grep -q 'host hv2 did not answer within 3 s' "$AGENT_TMP/down.err"
# Tenant 2 has no port on hv2: hv2 is not asked, the trace goes through.
ftrace --timeout=3 --format=json 2 "$PKT" > "$AGENT_TMP/t2.json" \
    2> "$AGENT_TMP/t2.err"
rc=$?
cat "$AGENT_TMP/t2.err"
check "tenant 2 (a port on hv1 only), hv2 stopped: exit 0 or 1 (got $rc)" \
    test $rc -le 1
check "tenant 2: hv1 asked, not hv2" $PY -c 'import json, sys
d = json.load(open(sys.argv[1]))
assert d["hosts"] == ["hv1"] and list(d["results"]) == ["hv1"], d
assert d["no_answer"] == [] and d["results"]["hv1"]["tenant"] == "tenant2", d
' "$AGENT_TMP/t2.json"
ftrace --timeout=3 2 "$PKT" > "$AGENT_TMP/t2.txt" 2>&1
echo "exit $?" >> "$AGENT_TMP/t2.txt"
check "tenant 2, text: one host asked" \
    grep -qx 'fleet trace: tenant 2, 1 host(s) asked' "$AGENT_TMP/t2.txt"
sed -n '1,4p;$p' "$AGENT_TMP/t2.txt"
check "a host that does not answer: in the JSON, with hv1's part" \
    $PY -c 'import json, sys
d = json.load(open(sys.argv[1]))
assert d["no_answer"] == ["hv2"] and list(d["results"]) == ["hv1"], d
assert d["status"] == 4, d' "$AGENT_TMP/down.json"

# 5. Nothing left behind, nothing changed.
check "every request deleted" \
    test "$(ctl --bare --columns=_uuid list Trace)" = ""
flows a > "$AGENT_TMP/flows-a.after"
flows b > "$AGENT_TMP/flows-b.after"
check "hv1's switch unchanged" \
    cmp "$AGENT_TMP/flows-a.before" "$AGENT_TMP/flows-a.after"
check "hv2's switch unchanged" \
    cmp "$AGENT_TMP/flows-b.before" "$AGENT_TMP/flows-b.after"
check "hv1's agent did not re-apply its config for the traces" \
    test "$(applied hv1)" = "$applied_hv1"

# 6. The gateway side: a Host whose underlay_ip is one of the tenant's
# remotes is on its path.  Tenant 3 (remote 10.0.0.9, no VM port) gets
# hv2 (its agent stopped above: exit 4, hv2 named).
ctl set Host hv2 underlay_ip=10.0.0.9/24 || agent_fail "underlay_ip of hv2"
ftrace --timeout=2 --format=json 3 "$PKT" > "$AGENT_TMP/gw.json" \
    2> "$AGENT_TMP/gw.err"
rc=$?
cat "$AGENT_TMP/gw.err"
check "tenant 3's gateway side (hv2's underlay_ip is its remote) asked: exit 4 (got $rc)" \
    test $rc = 4
check "tenant 3: hv2 asked, only" $PY -c 'import json, sys
d = json.load(open(sys.argv[1]))
assert d["hosts"] == ["hv2"] and d["no_answer"] == ["hv2"], d' \
    "$AGENT_TMP/gw.json"

echo "PASS: a tenant's trace over the fleet"
