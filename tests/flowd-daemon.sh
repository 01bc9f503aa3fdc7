#!/bin/bash
# l2mt-flowd as a daemon on loopback: configuration errors, classes in the
# JSON output, decoder counters in the Prometheus metrics, raw sample
# queries, and a restart (even after SIGKILL) losing no closed interval.
. "$top_srcdir/tests/flowd-lib.sh"
require_cmd "$PY"

cat > "$tmp/topo.conf" <<'TOPO'
host h1 switch sw1 agent 127.0.0.11 uplink 9
host h2 switch sw1 agent 127.0.0.12 uplink 9
host h3 switch sw2 agent 127.0.0.13 uplink 9
gateway 02:00:00:00:00:fe
tenant blue key 100 vlan 10
TOPO
cat > "$tmp/inv.json" <<'INV'
{"version": 1, "vms": [
  {"mac": "02:00:00:00:00:0d", "host": "h3", "tenant": "red",
   "tenant_key": 200, "vlan": 20}]}
INV

# Configuration errors: a clear message naming file:line, exit 1.
printf 'host h1 switch sw1\nhost h1 switch sw2\n' > "$tmp/bad.conf"
out=$("$flowd" --topology "$tmp/bad.conf" --state-dir "$tmp/x" 2>&1) \
    && fail "bad topology accepted"
echo "$out" | grep -q "bad.conf:2: host 'h1' defined twice" \
    || fail "bad topology message: $out"
out=$("$flowd" --aggregate=vlan,nope --state-dir "$tmp/x" 2>&1) \
    && fail "bad aggregation accepted"
echo "$out" | grep -q "unknown key 'nope'" || fail "aggregation message: $out"
out=$("$flowd" --ipfix=localhost --state-dir "$tmp/x" 2>&1) \
    && fail "bad upstream accepted"
echo "$out" | grep -q "HOST:PORT" || fail "upstream message: $out"
out=$("$flowd" --interval=0 2>&1) && fail "interval 0 accepted"
"$flowd" --help | grep -q "query" || fail "--help"
test ! -e "$tmp/x/intervals" || fail "state created despite bad config"

port=$(free_port udp)
mport=$(free_port tcp)
# An IPv6 listener too, where the host has IPv6 loopback.
listen6=
if $PY -c 'import socket; socket.socket(socket.AF_INET6).bind(("::1", 0))' \
    2>/dev/null; then
    port6=$(free_port udp)
    listen6="--listen [::1]:$port6"
fi
state=$tmp/state
start_flowd() {
    "$flowd" --listen "127.0.0.1:$port" $listen6 --topology "$tmp/topo.conf" \
        --inventory "$tmp/inv.json" --state-dir "$state" --interval 1 \
        --metrics "127.0.0.1:$mport" --aggregate pairs=pair_host \
        --detach --no-chdir --pidfile="$tmp/flowd.pid" \
        --log-file="$tmp/flowd.log" || fail "daemon did not start"
    pid=$(cat "$tmp/flowd.pid")
    pids="$pids $pid"
}
start_flowd
wait_for 5 grep -q '|flowd|INFO|l2mt-flowd .* started' "$tmp/flowd.log" \
    || fail "no vlog-style start line"

S="$send 127.0.0.1:$port"
A=02:00:00:00:00:0a B=02:00:00:00:00:0b C=02:00:00:00:00:0c
D=02:00:00:00:00:0d GW=02:00:00:00:00:fe
# Learning: A and B on h1, C on h2 (same switch); D is in the inventory.
$S --agent 127.0.0.11 --in 1 --src-mac $A --dst-mac $B --vlan 10
$S --agent 127.0.0.11 --in 2 --src-mac $B --dst-mac $A --vlan 10
$S --agent 127.0.0.12 --in 1 --src-mac $C --dst-mac $A --vlan 10
sleep 0.2
$S --agent 127.0.0.11 --in 1 --src-mac $A --dst-mac $B --vlan 10 --rate 10 \
    --count 5 --seq 10 --len 1000
$S --agent 127.0.0.11 --in 1 --src-mac $A --dst-mac $C --vlan 10 --rate 10 \
    --count 3 --seq 20 --len 1000
$S --agent 127.0.0.11 --in 1 --src-mac $A --dst-mac $D --vlan 10 --rate 10 \
    --count 2 --seq 30 --len 1000
$S --agent 127.0.0.11 --in 1 --src-mac $A --dst-mac $GW --vlan 10 \
    --rate 10 --count 4 --seq 40 --len 1000
# Transit copy of A -> C on h2's uplink: not counted again.
$S --agent 127.0.0.12 --in 9 --src-mac $A --dst-mac $C --vlan 10 --rate 10 \
    --count 3 --seq 50 --len 1000
# Malformed datagrams are counted and skipped.
$S --agent 127.0.0.11 --count 0 --garbage 3
if test -n "$listen6"; then
    # Over IPv6: same host, same class.
    $send "[::1]:$port6" --agent 127.0.0.11 --in 1 --src-mac $A \
        --dst-mac $B --vlan 10 --count 1 --seq 99 --len 1000
fi

internet_is() { test "$(json_sum "$state" class class=internet)" = "$1"; }
wait_for 10 internet_is 40000 \
    || fail "internet bytes: $(json_sum "$state" class class=internet)"
sleep 1.2
same_host=51000
test -n "$listen6" && same_host=52000
for want in same_host=$same_host same_switch=31000 core=20000 internet=40000 unknown=1000; do
    got=$(json_sum "$state" class "class=${want%=*}")
    test "$got" = "${want#*=}" || fail "class ${want%=*}: $got, want ${want#*=}"
done
# Tenants: blue's traffic to the internet and to red's D leaves the tenant.
test "$(json_sum "$state" tenant tenant=blue,scope=leaving)" = 60000 \
    || fail "blue leaving: $(json_sum "$state" tenant tenant=blue,scope=leaving)"
test "$(json_sum "$state" tenant tenant=blue,scope=intra,class=same_host)" \
    = $same_host || fail "blue intra same_host"
test "$(json_sum "$state" pairs src_host=192.168.0.1)" -gt 0 \
    || fail "user aggregation missing"
ls "$state"/csv/*.csv >/dev/null || fail "no CSV"

metrics=$(http_get "http://127.0.0.1:$mport/metrics") || fail "metrics"
echo "$metrics" | grep -q '^l2mt_flowd_datagram_errors_total{reason="sample_truncated"} 3$' \
    || fail "error counter: $(echo "$metrics" | grep errors_total)"
echo "$metrics" | grep -q '^l2mt_flowd_transit_samples_total 3$' \
    || fail "transit counter"
echo "$metrics" | grep -q '^l2mt_flowd_bytes_total{class="core"} 20000$' \
    || fail "class metric: $(echo "$metrics" | grep bytes_total)"
echo "$metrics" | grep -q 'l2mt_flowd_tenant_bytes_total{tenant="blue",class="internet",scope="leaving"} 40000' \
    || fail "tenant metric"
# Sequence gaps on h1's port 1 source: 1 -> 10, 14 -> 20, 22 -> 30, 31 -> 40
# lose 8 + 5 + 7 + 8 samples (and 43 -> 99 another 55 over IPv6).
lost=28
test -n "$listen6" && lost=83
echo "$metrics" | grep -q "^l2mt_flowd_samples_lost_total $lost\$" \
    || fail "lost: $(echo "$metrics" | grep samples_lost)"

# Raw samples: query by class and by MAC.
n=$("$flowd" query --state-dir "$state" class=internet 2>/dev/null | tail -n +2 | wc -l)
test "$n" = 4 || fail "query class=internet: $n rows"
n=$("$flowd" query --state-dir "$state" mac=$D --from 0 --to 4000000000 \
    2>/dev/null | tail -n +2 | wc -l)
test "$n" = 2 || fail "query mac: $n rows"
n=$("$flowd" query --state-dir "$state" --to 1000 2>/dev/null | tail -n +2 | wc -l)
test "$n" = 0 || fail "query time range: $n rows"
"$flowd" query --state-dir "$state" colour=red 2>/dev/null \
    && fail "bad filter accepted"

# SIGHUP with a broken topology keeps the old one; a good one is loaded.
cp "$tmp/topo.conf" "$tmp/topo.good"
echo "host h9 switch" >> "$tmp/topo.conf"
kill -HUP "$pid"
wait_for 5 grep -q "topo.conf:6: usage: host .*keeping the previous" \
    "$tmp/flowd.log" || fail "bad reload not refused"
$S --agent 127.0.0.11 --in 1 --src-mac $A --dst-mac $C --vlan 10 --rate 10 \
    --count 1 --seq 70 --len 1000
sed -i 's/^host h2 switch sw1/host h2 switch sw3/' "$tmp/topo.good"
cp "$tmp/topo.good" "$tmp/topo.conf"
kill -HUP "$pid"
wait_for 5 grep -q "loaded: 3 hosts, 3 switches" "$tmp/flowd.log" \
    || fail "good reload not loaded"
# Learned places survive the reload; h2 is now behind the core.
$S --agent 127.0.0.11 --in 1 --src-mac $A --dst-mac $C --vlan 10 --rate 10 \
    --count 1 --seq 71 --len 1000
core_is() { test "$(json_sum "$state" class class=core)" = "$1"; }
wait_for 5 core_is 30000 || fail "after reload: core $(json_sum "$state" class class=core)"
test "$(json_sum "$state" class class=same_switch)" = 41000 \
    || fail "before reload: same_switch"

# SIGKILL: every closed interval is on disk; a restart reports them all.
closed=$(ls "$state"/intervals/*.interval | wc -l)
kill -9 "$pid"
sleep 0.2
start_flowd
wait_for 5 grep -q "recovered $closed saved intervals" "$tmp/flowd.log" \
    || fail "restart did not recover $closed intervals"
test "$(json_sum "$state" class class=internet)" = 40000 || fail "lost data"
grep -q "intervals" "$state/report.html" || fail "report"

# SIGTERM closes the open interval early instead of losing it.
$S --agent 127.0.0.11 --in 1 --src-mac $A --dst-mac $GW --vlan 10 \
    --rate 10 --count 1 --seq 60 --len 1000
sleep 0.1
kill "$pid"
wait_for 5 test ! -e "$tmp/flowd.pid" || fail "pidfile not removed"
internet_is 50000 \
    || fail "open interval lost at SIGTERM"

# Open vSwitch's control socket, as for ovs-vswitchd: ovs-appctl -t.
appctl=$L2MT_OVS_BUILDDIR/utilities/ovs-appctl
test -x "$appctl" || fail "no $appctl"
start_flowd
kill -0 "$pid" || fail "--detach --pidfile: no process $pid"
ctl=$OVS_RUNDIR/l2mt-flowd.$pid.ctl
wait_for 5 test -S "$ctl" || fail "no control socket $ctl"
saved=$(ls "$state"/intervals/*.interval | wc -l)
out=$("$appctl" -t "$ctl" flowd/intervals) || fail "flowd/intervals"
echo "$out" | grep -q '^interval: 1 s$' || fail "flowd/intervals: $out"
echo "$out" | grep -q "^saved: $saved " || fail "flowd/intervals saved: $out"
echo "$out" | grep -q '^open: [0-9]*\.\.[0-9]*' || fail "open: $out"
"$appctl" -t "$ctl" vlog/set flowd:file:dbg || fail "vlog/set"
"$appctl" -t "$ctl" vlog/list | grep -q '^flowd .*DBG' \
    || fail "vlog/list: $("$appctl" -t "$ctl" vlog/list)"
# Counts reach coverage/show's totals within a second.
covered() { "$appctl" -t "$ctl" coverage/show | grep -q "^$1 "; }
wait_for 5 covered flowd_interval_recovered \
    || fail "coverage/show: $("$appctl" -t "$ctl" coverage/show)"
"$appctl" -t "$ctl" memory/show | grep -q 'learned_macs:' \
    || fail "memory/show: $("$appctl" -t "$ctl" memory/show)"
"$appctl" -t "$ctl" flowd/reload || fail "flowd/reload"
wait_for 5 grep -q "|flowd|INFO|topology loaded" "$tmp/flowd.log" \
    || fail "flowd/reload did not load"
# The metrics endpoint, over HTTP: /metrics (and /) only.
http_get "http://127.0.0.1:$mport/metrics" | grep -q '^l2mt_flowd_' \
    || fail "metrics after restart"
http_get "http://127.0.0.1:$mport/nope" 2>/dev/null && fail "no 404"
# exit, like SIGTERM, closes the open interval early and cleans up.
$S --agent 127.0.0.11 --in 1 --src-mac $A --dst-mac $GW --vlan 10 \
    --rate 10 --count 1 --seq 61 --len 1000
sleep 0.1
"$appctl" -t "$ctl" exit || fail "exit"
wait_for 5 test ! -e "$tmp/flowd.pid" || fail "pidfile not removed at exit"
wait_for 5 test ! -e "$ctl" || fail "control socket not removed at exit"
internet_is 60000 || fail "open interval lost at exit"
echo "PASS"
