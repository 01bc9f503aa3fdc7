#!/bin/bash
# l2mt-flowd advise on what the daemon saved, and the report's advice
# section: VM A (h0, switch sw0) talks most with B (h2, sw1), across the
# core; the best move puts A beside B, or, when h2 may not receive, B
# beside A.
. "$top_srcdir/tests/flowd-lib.sh"
require_cmd "$PY"

cat > "$tmp/topo.conf" <<'TOPO'
host h0 switch sw0 agent 127.0.0.10
host h1 switch sw0 agent 127.0.0.11
host h2 switch sw1 agent 127.0.0.12
mac 02:00:00:00:00:0a host h0
mac 02:00:00:00:00:0e host h0
mac 02:00:00:00:00:0f host h1
mac 02:00:00:00:00:0b host h2
mac 02:00:00:00:00:10 host h2
TOPO
port=$(free_port udp)
state=$tmp/state
"$flowd" --listen "127.0.0.1:$port" --state-dir "$state" --interval 60 \
    --topology "$tmp/topo.conf" --aggregate vm_pairs=src_mac,dst_mac \
    --no-store --detach --no-chdir --pidfile="$tmp/flowd.pid" \
    --log-file="$tmp/flowd.log" || fail "daemon did not start"
pids="$pids $(cat "$tmp/flowd.pid")"
S="$send 127.0.0.1:$port --len 1000"
A=02:00:00:00:00:0a B=02:00:00:00:00:0b E=02:00:00:00:00:0e
F=02:00:00:00:00:0f G=02:00:00:00:00:10
$S --agent 127.0.0.10 --src-mac $A --dst-mac $B --count 10 --seq 1
$S --agent 127.0.0.10 --src-mac $E --dst-mac $F --count 1 --seq 20
$S --agent 127.0.0.12 --src-mac $B --dst-mac $G --count 1 --seq 1
sleep 0.5
kill "$(cat "$tmp/flowd.pid")"
wait_for 30 test ! -e "$tmp/flowd.pid" || fail "daemon did not exit"

# The report's section: the same advice over the last interval (no limit
# per host there): A joins B on h2 first.
report=$state/report.html
grep -q '<h2>Placement advice (last interval)</h2>' "$report" \
    || fail "no advice section in the report"
grep -q "<tr><td>bytes</td><td>1000</td><td>1000</td><td>10000</td></tr>" \
    "$report" || fail "report: totals"
grep -q "<tr><td>$A</td><td>h0</td><td>$B</td><td>h2</td><td>core</td><td>10000</td></tr>" \
    "$report" || fail "report: ranking"
grep -q "<tr><td rowspan='2'>$A from h0 to h2</td><td>before</td><td>1000</td><td>1000</td><td>10000</td></tr>" \
    "$report" || fail "report: first move"
grep -A1 "<td rowspan='2'>$A from h0 to h2</td>" "$report" \
    | grep -q "<tr><td>after</td><td>11000</td><td>1000</td><td>0</td></tr>" \
    || fail "report: bytes after the first move"

adv="$flowd advise --state-dir $state --topology $tmp/topo.conf"
$adv --moves 1 --max-vms-per-host 3 > "$tmp/advise.out" 2>&1 \
    || fail "advise: $(cat "$tmp/advise.out")"
cat "$tmp/advise.out"
grep -q '^bytes: same_host 1000, same_switch 1000, core 10000$' \
    "$tmp/advise.out" || fail "totals"
grep -q "^  $A (h0) $B (h2) core 10000\$" "$tmp/advise.out" \
    || fail "ranking"
grep -q "^  move $A from h0 to h2\$" "$tmp/advise.out" || fail "move"
grep -q '^    after:  same_host 11000, same_switch 1000, core 0$' \
    "$tmp/advise.out" || fail "bytes after the move"

$adv --moves 1 --receive-hosts h0,h1 > "$tmp/advise2.out" 2>&1 \
    || fail "advise: $(cat "$tmp/advise2.out")"
grep -q "^  move $B from h2 to h0\$" "$tmp/advise2.out" \
    || fail "move within --receive-hosts: $(cat "$tmp/advise2.out")"

out=$($adv --aggregation class 2>&1) && fail "aggregation without MACs"
echo "$out" | grep -q "no src_mac and dst_mac keys" || fail "message: $out"
out=$($adv --receive-hosts nope 2>&1) && fail "unknown host accepted"
echo "$out" | grep -q "no host 'nope'" || fail "message: $out"
echo PASS
