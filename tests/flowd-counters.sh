#!/bin/bash
# Counters only go up (issue 17, bug 4): every series of TYPE counter in
# the metrics keeps or raises its value across interval closes, and none
# disappears.  The aggregation tables are made to overflow (--max-keys 16,
# 100 VLANs), so that the overflow counter has something to count, and the
# sample table to fill (its rollup counter).
. "$top_srcdir/tests/flowd-lib.sh"
require_cmd "$PY"

port=$(free_port udp)
mport=$(free_port tcp)
cat > "$tmp/topo.conf" <<'TOPO'
host h1 switch sw1 agent 127.0.0.11 uplink 9
host h2 switch sw2 agent 127.0.0.12 uplink 9
tenant blue vlan 10
TOPO
"$flowd" --listen "127.0.0.1:$port" --state-dir "$tmp/state" --interval 2 \
    --topology "$tmp/topo.conf" --max-keys 16 --metrics "127.0.0.1:$mport" \
    --no-store --detach --no-chdir --pidfile="$tmp/flowd.pid" \
    --log-file="$tmp/flowd.log" || fail "daemon did not start"
pids="$pids $(cat "$tmp/flowd.pid")"

scrape() {
    http_get "http://127.0.0.1:$mport/metrics" > "$tmp/$1" || fail "metrics"
}
closed() {
    awk '$1 == "l2mt_flowd_intervals_closed_total" { print $2 }' "$tmp/$1"
}
S="$send 127.0.0.1:$port"
$S --agent 127.0.0.11 --vlans 100 --vlan 1 --count 300 --seq 1
$S --agent 127.0.0.12 --in 9 --vlan 10 --count 5 --seq 1
scrape m1
grep -q '^l2mt_flowd_aggregation_overflow_samples[a-z_]*{aggregation="vlan"} [1-9]' \
    "$tmp/m1" || fail "no overflow counted: $(grep overflow "$tmp/m1")"
# The sample table (as many rows as --max-keys) filled too: rolled up
# early, counted, and nothing lost (the interval totals are checked by
# test-flowd's sample table case).
grep -q '^l2mt_flowd_sample_table_full_rollups_total [1-9]' "$tmp/m1" \
    || fail "no full sample table counted: $(grep sample_table "$tmp/m1")"
# Two closes later, with a little more traffic in between.
closed_since() {
    scrape m && test "$(closed m)" -ge $(( $(closed m1) + $1 ))
}
# (An empty interval is not closed: each gets a little traffic.)
$S --agent 127.0.0.11 --vlans 3 --vlan 1 --count 10 --seq 301
wait_for 10 closed_since 1 || fail "no interval closed"
$S --agent 127.0.0.11 --vlans 3 --vlan 1 --count 10 --seq 311
wait_for 10 closed_since 2 || fail "no second close"
scrape m2

$PY - "$tmp/m1" "$tmp/m2" <<'PYEOF' || fail "a counter went down or vanished"
import sys

def parse(path):
    types, values = {}, {}
    for line in open(path):
        line = line.strip()
        if line.startswith("# TYPE "):
            _, _, name, kind = line.split()
            types[name] = kind
        elif line and not line.startswith("#"):
            series, value = line.rsplit(" ", 1)
            values[series] = float(value)
    return types, values

t1, v1 = parse(sys.argv[1])
t2, v2 = parse(sys.argv[2])
bad = 0
n = 0
for series, value in v1.items():
    name = series.split("{")[0]
    if t1.get(name) != "counter":
        continue
    n += 1
    if t2.get(name) != "counter":
        print("%s: TYPE changed to %s" % (name, t2.get(name)))
        bad += 1
    elif series not in v2:
        print("%s vanished (was %g)" % (series, value))
        bad += 1
    elif v2[series] < value:
        print("%s went down: %g -> %g" % (series, value, v2[series]))
        bad += 1
print("%d counter series checked" % n)
sys.exit(1 if bad or n < 20 else 0)
PYEOF
echo PASS
