#!/bin/bash
# Interoperation: Open vSwitch's own IPFIX export read by l2mt-flowd.  A
# hypervisor namespace runs our ovs-vswitchd (user-space datapath) with a
# bridge between two VM namespaces and per-bridge IPFIX (sampling 1) to an
# l2mt-flowd in a monitoring namespace (--ipfix-listen).  v1 pings v2 with
# a known count and size.  flowd must count exactly the echo requests and
# replies sent (packets and frame bytes, per address pair) and class them
# same_host, and agree with tshark's decoding of the same IPFIX stream
# (captured on the monitoring link): packets and bytes of the ingress
# records, and records lost by sequence number.
. "$top_srcdir/tests/flowd-lib.sh"

flowd_require_ovs
require_cmd dumpcap tshark

p=ipfix$(($$ % 10000))o         # Prefix of every name.
ns_mon=${p}mon
flowd_netns_add "$ns_mon" "${p}h" "${p}v1" "${p}v2"
# Monitoring link: 192.0.2.1 (flowd) <-> 192.0.2.2 (the hypervisor).
flowd_link "$ns_mon" "${p}m" 192.0.2.1/24 "${p}h" "${p}n" 192.0.2.2/24
# VMs.
for v in 1 2; do
    flowd_vm "${p}h" "${p}$v" "${p}v$v" "02:00:00:00:00:0$v" "198.51.100.$v/24"
done

cat > "$tmp/topo.conf" <<'TOPO'
host hv1 switch sw1 agent 192.0.2.2
tenant blue key 100
mac 02:00:00:00:00:01 host hv1 tenant blue
mac 02:00:00:00:00:02 host hv1 tenant blue
TOPO
port=4739
ip netns exec "$ns_mon" "$flowd" --listen 127.0.0.1:6343 \
    --ipfix-listen "udp:192.0.2.1:$port" --topology "$tmp/topo.conf" \
    --state-dir "$tmp/state" --interval 1 --no-store \
    --aggregate pairs=src_host,dst_host,proto \
    --aggregate macs=src_mac,dst_mac \
    --metrics 127.0.0.1:9343 \
    --detach --no-chdir --pidfile="$tmp/flowd.pid" \
    --log-file="$tmp/flowd.log" || fail "flowd"
pids="$pids $(cat "$tmp/flowd.pid")"

# The IPFIX stream as it arrives, for tshark.
spawn --netns="$ns_mon" "$tmp/dumpcap.log" \
    dumpcap -q -i "${p}m" -f "udp port $port" -w "$tmp/ipfix.pcapng"
capture=$SPAWNED
wait_for 10 grep -q "File:" "$tmp/dumpcap.log" \
    || wait_for 5 test -s "$tmp/ipfix.pcapng" || fail "dumpcap"

ovs_start "$tmp" "${p}h"
vsctl() { ovs_vsctl "$tmp" "$@"; }
# The daemon's control socket: in $tmp (flowd-lib.sh), whatever ovs_start set.
export OVS_RUNDIR=$tmp OVS_LOGDIR=$tmp
br=${p}b
vsctl add-br "$br" -- set bridge "$br" datapath_type=netdev || fail add-br
vsctl add-port "$br" "${p}1" -- add-port "$br" "${p}2" || fail add-port
vsctl -- --id=@i create IPFIX targets="\"192.0.2.1:$port\"" sampling=1 \
    obs_domain_id=42 cache_active_timeout=1 -- set bridge "$br" ipfix=@i \
    || fail "IPFIX"

# Warm-up (ARP, MAC learning), then the counted pings: N requests and N
# replies of 14 + 20 + 8 + 100 bytes.
wait_for 10 ip netns exec "${p}v1" ping -q -c 1 -W 1 198.51.100.2 \
    || fail "no connectivity"
sleep 3
start=$(date +%s%3N)
N=40
ip netns exec "${p}v1" ping -q -c $N -i 0.02 -s 100 198.51.100.2 \
    > "$tmp/ping.log" || fail "ping"
grep -q "$N received" "$tmp/ping.log" || fail "ping lost: $(cat "$tmp/ping.log")"
# Flows expire from OVS's cache after 1 s; give the export time to arrive.
sleep 4
kill "$(cat "$tmp/ovs-vswitchd.pid")"
sleep 1
m=$(http_get --netns="$ns_mon" http://127.0.0.1:9343/metrics)
kill "$(cat "$tmp/flowd.pid")"
wait_for 10 test ! -e "$tmp/flowd.pid" || fail "flowd did not stop"
stop_pids "$capture"

# pair STATE SRC DST FIELD [SINCE_MS]: FIELD of ICMP between the two
# addresses in intervals that end after SINCE_MS.
pair() {
    $PY - "$@" <<'PYEOF'
import glob, json, sys
state, src, dst, field = sys.argv[1:5]
since = int(sys.argv[5]) if len(sys.argv) > 5 else 0
total = 0
for path in glob.glob(state + "/json/*.json"):
    j = json.load(open(path))
    if j.get("end_ms", 1 << 62) <= since:
        continue
    for a in j["aggregations"]:
        if a["name"] == "pairs":
            for r in a["rows"]:
                if (r["src_host"], r["dst_host"], r["proto"]) == (src, dst, "1"):
                    total += r[field]
print(total)
PYEOF
}
frame=$((14 + 20 + 8 + 100))
expect_eq "echo requests (packets)" \
    "$(pair "$tmp/state" 198.51.100.1 198.51.100.2 packets "$start")" $N
expect_eq "echo requests (frame bytes)" \
    "$(pair "$tmp/state" 198.51.100.1 198.51.100.2 bytes "$start")" \
    $((N * frame))
expect_eq "echo replies (packets)" \
    "$(pair "$tmp/state" 198.51.100.2 198.51.100.1 packets "$start")" $N
for c in same_switch core internet; do
    expect_eq "$c bytes (one host)" "$(json_sum "$tmp/state" class class=$c)" 0
done
expect_eq "IPFIX decode errors" \
    "$(metric "$m" 'l2mt_flowd_ipfix_errors_total{reason="decode"}')" 0
flows=$(metric "$m" 'l2mt_flowd_ipfix_records_received_total{kind="flow"}')
test "${flows:-0}" -gt 0 || soft_fail "no flow records"

# tshark's view of the same stream: the packet and layer-2 octet deltas of
# the ingress flow records (the egress ones are second observations), and
# the records lost by sequence number in domain 42, against flowd's totals
# over all intervals and its loss counter.
tshark -r "$tmp/ipfix.pcapng" -d "udp.port==$port,cflow" -T fields \
    -E separator='|' -E aggregator=';' -e cflow.od_id -e cflow.sequence \
    -e cflow.flowset_id -e cflow.direction -e cflow.packets \
    -e cflow.layer2_octet_delta_count > "$tmp/tshark.txt" \
    2> "$tmp/tshark.err" || fail "tshark: $(cat "$tmp/tshark.err")"
cat > "$tmp/tshark.py" <<'PYEOF'
import sys
packets = octets = 0
nxt, lost = {}, {}
for line in open(sys.argv[1]):
    dom, seq, sets, dirs, pk, oc = (line.rstrip("\n").split("|") + [""] * 6)[:6]
    split = lambda v: [x for x in v.split(";") if x != ""]
    dirs, pk, oc = split(dirs), split(pk), split(oc)
    for d, p, o in zip(dirs, pk, oc):
        if d == "0":
            packets += int(p)
            octets += int(o)
    # Data records in the message: one per direction value (flow records),
    # else one per data set (the options records of domain 0).
    n = len(dirs) if dirs else sum(1 for s in split(sets) if int(s) >= 256)
    if dom in nxt and int(seq) != nxt[dom]:
        lost[dom] = lost.get(dom, 0) + (int(seq) - nxt[dom]) % 2**32
    nxt[dom] = (int(seq) + n) % 2**32
print(packets, octets, lost.get("42", 0))
PYEOF
read tp tb tlost < <($PY "$tmp/tshark.py" "$tmp/tshark.txt")
echo "tshark: $tp packets, $tb layer-2 octets in ingress records;" \
    "$tlost records lost in domain 42 by the sequence numbers"
test "${tp:-0}" -gt 0 || soft_fail "tshark decoded nothing"
cat > "$tmp/packets.py" <<'PYEOF'
import glob, json, sys
print(sum(r["packets"] for p in glob.glob(sys.argv[1] + "/json/*.json")
          for a in json.load(open(p))["aggregations"] if a["name"] == "class"
          for r in a["rows"]))
PYEOF
expect_eq "packets, flowd vs tshark" "$($PY "$tmp/packets.py" "$tmp/state")" "$tp"
expect_eq "bytes, flowd vs tshark" "$(json_sum "$tmp/state" class '')" "$tb"
# Open vSwitch numbers its messages across observation domains (its
# exporting-process statistics go in domain 0), so domain 42 shows gaps
# that a collector following RFC 7011 counts as lost: as many as tshark's
# sequence numbers show.
expect_eq "IPFIX records lost in domain 42, flowd vs tshark" \
    "$(metric "$m" 'l2mt_flowd_ipfix_lost_records_total{domain="42"}')" \
    "$tlost"
checks_passed || fail "OVS IPFIX read back"
echo PASS
