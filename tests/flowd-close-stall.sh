#!/bin/bash
# Closing an interval never stalls receiving (issue 17, bug 1): with 4,096
# VLANs in each of 100 intervals of report history, a paced stream that
# spans several interval closes loses no datagram in the kernel and every
# sample is accounted for, in the metrics and in the closed intervals.
. "$top_srcdir/tests/flowd-lib.sh"
require_cmd "$PY"

port=$(free_port udp)
mport=$(free_port tcp)
state=$tmp/state
mkdir -p "$state/intervals"
"$send" --history "$state/intervals" --intervals 100 --vlans 4096 \
    --interval 1 || fail "history"
live=$($PY -c 'import time; print(int(time.time()) * 1000)')
"$flowd" --listen "127.0.0.1:$port" --state-dir "$state" --interval 1 \
    --report-intervals 100 --metrics "127.0.0.1:$mport" --no-store \
    --detach --no-chdir --pidfile="$tmp/flowd.pid" \
    --log-file="$tmp/flowd.log" || fail "daemon did not start"
pids="$pids $(cat "$tmp/flowd.pid")"
wait_for 60 grep -q 'recovered 100 saved intervals' "$tmp/flowd.log" \
    || fail "history not recovered"

# 5,000 datagrams/s for 4 s: at least three closes, each rewriting the
# report over 100 x 4,096 VLAN rows.
count=20000
drops0=$(udp_drops "$port")
"$send" "127.0.0.1:$port" --agent 127.0.0.11 --vlans 4096 --vlan 1 \
    --count $count --pps 5000 --len 500 || fail "send"
flow_samples() {
    metric "$(http_get "http://127.0.0.1:$mport/metrics")" \
        'l2mt_flowd_samples_total{type="flow"}'
}
all_decoded() {
    test "$(flow_samples)" -ge $count
}
wait_for 60 all_decoded
dropped=$(( $(udp_drops "$port") - drops0 ))
got=$(flow_samples)
test "$dropped" = 0 || fail "kernel dropped $dropped datagrams (received $got)"
test "$got" = $count || fail "$got flow samples decoded, $count sent"

# Every sample is in a closed interval once the daemon exits.
kill "$(cat "$tmp/flowd.pid")"
wait_for 60 test ! -e "$tmp/flowd.pid" || fail "daemon did not exit"
n=$($PY - "$state" "$live" <<'PYEOF'
import glob, json, sys
total = 0
for path in glob.glob(sys.argv[1] + "/json/*.json"):
    iv = json.load(open(path))
    if iv["start_ms"] < int(sys.argv[2]):
        continue                # The history written before the start.
    for a in iv["aggregations"]:
        if a["name"] == "port_vlan":
            total += sum(r["samples"] for r in a["rows"])
            total += a["overflow"]["samples"]
print(total)
PYEOF
)
test "$n" = $count || fail "closed intervals hold $n samples, $count sent"
echo PASS
