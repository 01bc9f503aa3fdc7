#!/bin/bash
# Tiers of mediators: two lower-tier l2mt-flowd, each in its own network
# namespace (a pod) with two sFlow sources (agents), export IPFIX over veth
# links to an upper-tier l2mt-flowd in a third namespace, which reads it
# (--ipfix-listen) and aggregates further.  The upper tier's totals (bytes,
# packets and samples per class, bytes per host pair and per tenant) must
# equal the sum of what the four sources sent.  Then the upper tier is
# killed (SIGKILL) after closing an interval and restarted: the closed
# interval is still there and its traffic in the metrics, and what is sent
# afterwards adds up too.
. "$top_srcdir/tests/flowd-lib.sh"

flowd_require_netns

p=ipfix$(($$ % 10000))t          # Prefix of every name.
ns_up=${p}up
flowd_netns_add "$ns_up" "${p}p1" "${p}p2"
# Pod k <-> upper tier: 192.0.2.(4k-3) (upper) and 192.0.2.(4k-2) (pod).
for k in 1 2; do
    flowd_link "$ns_up" "${p}u$k" "192.0.2.$((4 * k - 3))/30" \
        "${p}p$k" "${p}l$k" "192.0.2.$((4 * k - 2))/30"
done

# One topology for all tiers: pod k's hosts are behind edge switch k.
cat > "$tmp/topo.conf" <<'TOPO'
host h1 switch sw1 agent 10.0.0.1 uplink 9
host h2 switch sw1 agent 10.0.0.2 uplink 9
host h3 switch sw2 agent 10.0.0.3 uplink 9
host h4 switch sw2 agent 10.0.0.4 uplink 9
gateway 02:00:00:00:00:fe
tenant blue key 100 vlan 10
tenant red key 200 vlan 20
mac 02:00:00:00:00:01 host h1 tenant blue vlan 10
mac 02:00:00:00:00:02 host h2 tenant blue vlan 10
mac 02:00:00:00:00:03 host h3 tenant red vlan 20
mac 02:00:00:00:00:04 host h4 tenant red vlan 20
TOPO

common="--topology $tmp/topo.conf --interval 1 --no-store
    --aggregate hosts=pair_host --aggregate macs=src_mac,dst_mac,vlan"
start_upper() {
    ip netns exec "$ns_up" "$flowd" $common --listen 127.0.0.1:6343 \
        --state-dir "$tmp/up" --ipfix-listen udp:0.0.0.0:4739 \
        --ipfix-listen tcp:0.0.0.0:4739 --metrics 127.0.0.1:9343 \
        --detach --no-chdir --pidfile="$tmp/up.pid" \
        --log-file="$tmp/up.log" || fail "upper tier did not start"
    pids="$pids $(cat "$tmp/up.pid")"
}
start_lower() {   # K
    ip netns exec "${p}p$1" "$flowd" $common --listen 127.0.0.1:6343 \
        --state-dir "$tmp/low$1" --ipfix "192.0.2.$((4 * $1 - 3)):4739" \
        --ipfix-domain "$1" \
        --detach --no-chdir --pidfile="$tmp/low$1.pid" \
        --log-file="$tmp/low$1.log" || fail "lower tier $1 did not start"
    pids="$pids $(cat "$tmp/low$1.pid")"
}
stop_pidfile() {
    kill "$(cat "$1")" 2>/dev/null
    wait_for 15 test ! -e "$1" || fail "$1 did not stop"
}
start_upper
start_lower 1
start_lower 2

# send POD ARGS...: one sFlow source inside pod POD.
send_in() {
    k=$1; shift
    ip netns exec "${p}p$k" "$send" 127.0.0.1:6343 "$@" --in 1 \
        || fail "flowd-send in pod $k"
}
expected=0 packets=0 samples=0
# round: each agent sends some frames; ROUND varies the counts.
round() {
    r=$1
    send_in 1 --agent 10.0.0.1 --src-mac 02:00:00:00:00:01 \
        --dst-mac 02:00:00:00:00:02 --vlan 10 --src-ip 10.1.0.1 \
        --dst-ip 10.1.0.2 --rate 100 --len 1000 --count $((5 + r))
    send_in 1 --agent 10.0.0.2 --src-mac 02:00:00:00:00:02 \
        --dst-mac 02:00:00:00:00:03 --vlan 10 --src-ip 10.1.0.2 \
        --dst-ip 10.2.0.3 --rate 10 --len 300 --count $((3 * r + 1))
    send_in 2 --agent 10.0.0.3 --src-mac 02:00:00:00:00:03 \
        --dst-mac 02:00:00:00:00:fe --vlan 20 --src-ip 10.2.0.3 \
        --dst-ip 198.51.100.7 --rate 1000 --len 64 --count $((2 + r))
    send_in 2 --agent 10.0.0.4 --src-mac 02:00:00:00:00:04 \
        --dst-mac 02:00:00:00:00:03 --vlan 20 --src-ip 10.2.0.4 \
        --dst-ip 10.2.0.3 --rate 1 --len 1500 --count $((7 * r))
    expected=$((expected + 100 * 1000 * (5 + r) + 10 * 300 * (3 * r + 1)
                + 1000 * 64 * (2 + r) + 1500 * 7 * r))
    packets=$((packets + 100 * (5 + r) + 10 * (3 * r + 1) + 1000 * (2 + r)
               + 7 * r))
    samples=$((samples + 5 + r + 3 * r + 1 + 2 + r + 7 * r))
}

# totals DIR AGG FIELD: sum of FIELD over every row of AGG in every closed
# interval of state DIR.
totals() {
    $PY - "$@" <<'PYEOF'
import glob, json, sys
state, agg, field = sys.argv[1:4]
total = 0
for path in glob.glob(state + "/json/*.json"):
    for a in json.load(open(path))["aggregations"]:
        if a["name"] == agg:
            total += sum(row[field] for row in a["rows"])
            total += a.get("overflow", {}).get(field, 0)
print(total)
PYEOF
}

# until_total SECONDS: waits until the upper tier's closed intervals hold
# $expected bytes.
until_total() {
    for i in $(seq $(($1 * 4))); do
        test "$(totals "$tmp/up" class bytes)" = "$expected" && return 0
        sleep 0.25
    done
    return 1
}
upper_metrics() {
    http_get --netns="$ns_up" http://127.0.0.1:9343/metrics
}

round 1
# Round 1 is closed in the upper tier once the lower tiers closed and
# exported their intervals and the upper one closed its own.
until_total 20 || fail "upper tier has $(totals "$tmp/up" class bytes)" \
    "bytes of round 1, expected $expected"
echo "round 1: upper tier closed $expected bytes"

# The upper tier dies without a chance to write anything more.
kill -9 "$(cat "$tmp/up.pid")"
wait_for 5 sh -c "! kill -0 $(cat "$tmp/up.pid") 2>/dev/null" || fail "kill -9"
rm -f "$tmp/up.pid"
start_upper
# The restarted upper tier has its closed interval back (metrics from the
# saved intervals).
m=$(upper_metrics)
after=$(echo "$m" | awk '/^l2mt_flowd_bytes_total\{/ { s += $2 } END { print s + 0 }')
test "$after" = "$expected" \
    || fail "restarted upper tier's l2mt_flowd_bytes_total is $after, expected $expected"

round 2
stop_pidfile "$tmp/low1.pid"
stop_pidfile "$tmp/low2.pid"
# What the lower tiers exported on their way out is closed by the upper one.
until_total 20
m=$(upper_metrics)
stop_pidfile "$tmp/up.pid"

for k in 1 2; do
    low=$((low + $(totals "$tmp/low$k" class bytes)))
done
expect_eq "lower tiers' bytes" "$low" "$expected"
expect_eq "upper tier's bytes by class" "$(totals "$tmp/up" class bytes)" "$expected"
expect_eq "upper tier's packets by class" "$(totals "$tmp/up" class packets)" "$packets"
expect_eq "upper tier's samples by class" "$(totals "$tmp/up" class samples)" "$samples"
expect_eq "upper tier's bytes by host pair" "$(totals "$tmp/up" hosts bytes)" "$expected"
expect_eq "upper tier's bytes by MAC pair" "$(totals "$tmp/up" macs bytes)" "$expected"
expect_eq "upper tier's bytes by tenant" "$(totals "$tmp/up" tenant bytes)" "$expected"
# Classes survive the tiers: h1 -> h2 same switch, h2 -> h3 core, h3 ->
# gateway internet, h4 -> h3 same switch.
expect_eq "upper tier's core bytes" "$(json_sum "$tmp/up" class class=core)" \
    $((10 * 300 * (4 + 7)))
expect_eq "upper tier's internet bytes" \
    "$(json_sum "$tmp/up" class class=internet)" $((1000 * 64 * (3 + 4)))
expect_eq "upper tier's blue tenant bytes" \
    "$(json_sum "$tmp/up" tenant tenant=blue)" \
    $((100 * 1000 * (6 + 7) + 10 * 300 * (4 + 7)))
# Nothing lost or refused on the way.
expect_eq "lost IPFIX records" "$(metric "$m" 'l2mt_flowd_ipfix_lost_records_total{domain="1"}')" 0
expect_eq "unmatched aggregates" \
    "$(metric "$m" 'l2mt_flowd_ipfix_errors_total{reason="unmatched_aggregate"}')" 0
records=$(metric "$m" 'l2mt_flowd_ipfix_records_received_total{kind="aggregate"}')
test "${records:-0}" -gt 0 || soft_fail "no aggregate records"
checks_passed || fail "upper tier totals"
echo "PASS"
