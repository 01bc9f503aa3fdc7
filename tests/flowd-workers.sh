#!/bin/bash
# l2mt-flowd --workers 2: two receive threads on one port (SO_REUSEPORT).
# Both get datagrams, MACs learned by one classify the other's samples,
# and every sample ends up in exactly one closed interval, across closes.
. "$top_srcdir/tests/flowd-lib.sh"
require_cmd "$PY"

cat > "$tmp/topo.conf" <<'TOPO'
host h1 switch sw1 agent 127.0.0.11 uplink 9
host h2 switch sw1 agent 127.0.0.12 uplink 9
host h3 switch sw2 agent 127.0.0.13 uplink 9
TOPO
port=$(free_port udp)
mport=$(free_port tcp)
state=$tmp/state
"$flowd" --listen "127.0.0.1:$port" --state-dir "$state" --interval 1 \
    --topology "$tmp/topo.conf" --workers 2 --metrics "127.0.0.1:$mport" \
    --detach --no-chdir --pidfile="$tmp/flowd.pid" \
    --log-file="$tmp/flowd.log" || fail "daemon did not start"
pids="$pids $(cat "$tmp/flowd.pid")"

# Each flowd-send run has a source port of its own, so the kernel spreads
# the runs over the workers.  A_k lives on h1, B_k on h2: every A_k is
# learned from one run and used (as destination) by another.
S="$send 127.0.0.1:$port --len 1000"
sent=0
for k in 1 2 3 4 5 6 7 8 9 10 11 12; do
    a=$(printf '02:00:00:00:01:%02x' $k) b=$(printf '02:00:00:00:02:%02x' $k)
    $S --agent 127.0.0.11 --in 1 --src-mac "$a" --dst-mac ff:ff:ff:ff:ff:ff \
        --seq $((k * 100))
    $S --agent 127.0.0.12 --in 1 --src-mac "$b" --dst-mac ff:ff:ff:ff:ff:ff \
        --seq $((k * 100))
    sent=$((sent + 2))
done
sleep 0.3
for k in 1 2 3 4 5 6 7 8 9 10 11 12; do
    a=$(printf '02:00:00:00:01:%02x' $k) b=$(printf '02:00:00:00:02:%02x' $k)
    $S --agent 127.0.0.12 --in 1 --src-mac "$b" --dst-mac "$a" --count 3 \
        --seq $((k * 100 + 1))
    sent=$((sent + 3))
done
# A paced stream from four senders at once, across several closes.
for j in 1 2 3 4; do
    $S --agent 127.0.0.13 --in 1 --src-mac 02:00:00:00:03:0$j \
        --dst-mac ff:ff:ff:ff:ff:ff --vlans 20 --count 4000 --pps 1000 &
done
wait
sent=$((sent + 16000))
sleep 0.5
m=$(http_get "http://127.0.0.1:$mport/metrics") || fail "metrics"
w0=$(metric "$m" 'l2mt_flowd_worker_datagrams_total{worker="0"}')
w1=$(metric "$m" 'l2mt_flowd_worker_datagrams_total{worker="1"}')
echo "worker datagrams: $w0 $w1"
test -n "$w0" && test -n "$w1" && test "$w0" -gt 0 && test "$w1" -gt 0 \
    || fail "both workers should receive: '$w0' '$w1'"
test $((w0 + w1)) -eq $sent || fail "$((w0 + w1)) datagrams, $sent sent"
kill "$(cat "$tmp/flowd.pid")"
wait_for 30 test ! -e "$tmp/flowd.pid" || fail "daemon did not exit"

$PY - "$state" $sent <<'PYEOF' || fail "intervals"
import glob, json, sys
samples = same_switch = unknown = 0
for path in glob.glob(sys.argv[1] + "/json/*.json"):
    iv = json.load(open(path))
    for a in iv["aggregations"]:
        if a["name"] == "port_vlan":
            samples += sum(r["samples"] for r in a["rows"])
            samples += a["overflow"]["samples"]
            for r in a["rows"]:
                assert iv["start_ms"] <= r["first_ms"] <= r["last_ms"] < iv["end_ms"], (iv["start_ms"], iv["end_ms"], r)
        if a["name"] == "class":
            for r in a["rows"]:
                if r["class"] == "same_switch":
                    same_switch += r["bytes"]
if samples != int(sys.argv[2]):
    print("%d samples in the intervals, %s sent" % (samples, sys.argv[2]))
    sys.exit(1)
# B_k -> A_k: 12 x 3 samples of 1000 bytes between h2 and h1.
if same_switch != 36000:
    print("same_switch bytes %d, expected 36000" % same_switch)
    sys.exit(1)
PYEOF
echo PASS
