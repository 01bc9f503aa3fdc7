#!/bin/bash
# Samples go to the interval of their receive time (issue 17, bug 2): a
# stream that runs across several interval ends never puts a sample
# received after an interval's end into that interval.  Each row's
# first_ms/last_ms is the receive time of its first and last sample.
. "$top_srcdir/tests/flowd-lib.sh"
require_cmd "$PY"

port=$(free_port udp)
state=$tmp/state
"$flowd" --listen "127.0.0.1:$port" --state-dir "$state" --interval 1 \
    --no-store --detach --no-chdir --pidfile="$tmp/flowd.pid" \
    --log-file="$tmp/flowd.log" || fail "daemon did not start"
pids="$pids $(cat "$tmp/flowd.pid")"

# 2,000 datagrams/s for 5 s, 50 VLANs.
count=10000
"$send" "127.0.0.1:$port" --agent 127.0.0.11 --vlans 50 --vlan 1 \
    --count $count --pps 2000 || fail "send"
kill "$(cat "$tmp/flowd.pid")"
wait_for 30 test ! -e "$tmp/flowd.pid" || fail "daemon did not exit"

$PY - "$state" $count <<'PYEOF' || fail "samples in the wrong interval"
import glob, json, sys
bad = samples = intervals = 0
for path in sorted(glob.glob(sys.argv[1] + "/json/*.json")):
    iv = json.load(open(path))
    intervals += 1
    for a in iv["aggregations"]:
        if a["name"] != "port_vlan":
            continue
        samples += sum(r["samples"] for r in a["rows"])
        for r in a["rows"]:
            if r["first_ms"] < iv["start_ms"] or r["last_ms"] >= iv["end_ms"]:
                bad += 1
                print("interval %d..%d holds samples received %d..%d"
                      % (iv["start_ms"], iv["end_ms"], r["first_ms"],
                         r["last_ms"]))
if samples != int(sys.argv[2]):
    print("%d samples in the intervals, %s sent" % (samples, sys.argv[2]))
    sys.exit(1)
if intervals < 4:
    print("only %d intervals" % intervals)
    sys.exit(1)
sys.exit(1 if bad else 0)
PYEOF
echo PASS
