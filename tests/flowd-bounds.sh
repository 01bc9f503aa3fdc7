#!/bin/bash
# Memory stays bounded under a flood of spoofed sources (issue 17, bug 3):
# agent addresses and ifIndexes come from the payload, so a sender can make
# up as many as it likes.  The sources table keeps --max-sources entries
# and counts what it evicts, the per-port rows are not kept for every
# interval of the report history, and the peak resident memory stops
# growing once the tables are full.
. "$top_srcdir/tests/flowd-lib.sh"
require_cmd "$PY"

port=$(free_port udp)
mport=$(free_port tcp)
state=$tmp/state
"$flowd" --listen "127.0.0.1:$port" --state-dir "$state" --interval 1 \
    --max-sources 1000 --max-keys 20000 --metrics "127.0.0.1:$mport" \
    --no-store --detach --no-chdir --pidfile="$tmp/flowd.pid" \
    --log-file="$tmp/flowd.log" || fail "daemon did not start"
pid=$(cat "$tmp/flowd.pid")
pids="$pids $pid"

# Round R: 8,000 datagrams from 8,000 new agents 10.R.x.y, each with its
# own ifIndex, in about a second (one interval).
flood() {
    "$send" "127.0.0.1:$port" --agent "10.$1.0.0" --agents 8000 \
        --count 8000 --pps 8000 || fail "send"
}
closed() {
    metric "$(http_get "http://127.0.0.1:$mport/metrics")" \
        l2mt_flowd_intervals_closed_total
}
for r in 1 2 3; do flood $r; done
sleep 2
hwm3=$(proc_kb "$pid" VmHWM)
closed3=$(closed)
for r in 4 5 6 7 8 9 10 11 12; do flood $r; done
closed_since3() {
    test "$(closed)" -ge $((closed3 + $1))
}
wait_for 10 closed_since3 8 || fail "intervals did not close"
sleep 2
hwm12=$(proc_kb "$pid" VmHWM)
echo "VmHWM after 3 rounds: $hwm3 kB, after 12: $hwm12 kB"

m=$(http_get "http://127.0.0.1:$mport/metrics")
entries=$(metric "$m" 'l2mt_flowd_table_entries{table="sources"}')
evicted=$(metric "$m" 'l2mt_flowd_table_evictions_total{table="sources"}')
samples=$(metric "$m" 'l2mt_flowd_samples_total{type="flow"}')
test -n "$entries" && test "$entries" -le 1000 \
    || fail "sources table holds '$entries' entries (--max-sources 1000)"
# Every source beyond the first 1,000 received evicted one.
test -n "$evicted" && test "$evicted" -eq $((samples - 1000)) \
    || fail "'$evicted' sources evicted for $samples samples"
test "$samples" -ge 90000 || fail "only $samples of 96000 samples received"
# Nine more rounds of new sources and ports: the peak grows by no more than
# allocator slack (before, ~2 MB per round of sources and per-port rows).
test $((hwm12 - hwm3)) -le 2048 \
    || fail "VmHWM grew by $((hwm12 - hwm3)) kB in nine rounds"
echo PASS
