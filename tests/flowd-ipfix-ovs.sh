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
command -v dumpcap >/dev/null && command -v tshark >/dev/null \
    || { echo "tshark not installed"; exit 77; }

p=ipfix$(($$ % 10000))o         # Prefix of every name.
ns_mon=${p}mon
netns_list="$ns_mon ${p}h ${p}v1 ${p}v2"
cleanup_ovs() {
    for f in "$tmp/ovs-vswitchd.pid" "$tmp/ovsdb-server.pid"; do
        test -f "$f" && kill "$(cat "$f")" 2>/dev/null
    done
    test -n "$capture" && kill "$capture" 2>/dev/null
    cleanup
}
trap cleanup_ovs EXIT
flowd_netns_add $netns_list
# Monitoring link: 192.0.2.1 (flowd) <-> 192.0.2.2 (the hypervisor).
ip link add "${p}m" type veth peer name "${p}n" || fail veth
ip link set "${p}m" netns "$ns_mon"
ip link set "${p}n" netns "${p}h"
ip -n "$ns_mon" addr add 192.0.2.1/24 dev "${p}m"
ip -n "${p}h" addr add 192.0.2.2/24 dev "${p}n"
ip -n "$ns_mon" link set "${p}m" up
ip -n "${p}h" link set "${p}n" up
# VMs.
for v in 1 2; do
    ip link add "${p}$v" type veth peer name eth0 netns "${p}v$v" \
        || fail "VM link"
    ip link set "${p}$v" netns "${p}h"
    ip -n "${p}h" link set "${p}$v" up
    ip -n "${p}v$v" link set eth0 address "02:00:00:00:00:0$v"
    ip -n "${p}v$v" addr add "198.51.100.$v/24" dev eth0
    ip -n "${p}v$v" link set eth0 up
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
ip netns exec "$ns_mon" dumpcap -q -i "${p}m" -f "udp port $port" \
    -w "$tmp/ipfix.pcapng" > "$tmp/dumpcap.log" 2>&1 &
capture=$!
wait_for 10 grep -q "File:" "$tmp/dumpcap.log" \
    || wait_for 5 test -s "$tmp/ipfix.pcapng" || fail "dumpcap"

vsctl() {
    "$ovs/utilities/ovs-vsctl" --db="unix:$tmp/db.sock" --timeout=10 "$@"
}
export OVS_RUNDIR=$tmp OVS_DBDIR=$tmp OVS_LOGDIR=$tmp OVS_PKGDATADIR=$tmp \
    OVS_SYSCONFDIR=$tmp
"$ovs/ovsdb/ovsdb-tool" create "$tmp/conf.db" \
    "$ovs/vswitchd/vswitch.ovsschema" || fail "ovsdb-tool"
ip netns exec "${p}h" "$ovs/ovsdb/ovsdb-server" "$tmp/conf.db" \
    --remote="punix:$tmp/db.sock" --pidfile="$tmp/ovsdb-server.pid" \
    --unixctl="$tmp/ovsdb-server.ctl" --log-file="$tmp/ovsdb-server.log" \
    --detach --no-chdir || fail "ovsdb-server"
vsctl --no-wait init
ip netns exec "${p}h" "$ovs/vswitchd/ovs-vswitchd" "unix:$tmp/db.sock" \
    --pidfile="$tmp/ovs-vswitchd.pid" --unixctl="$tmp/ovs-vswitchd.ctl" \
    --log-file="$tmp/ovs-vswitchd.log" --detach --no-chdir \
    || fail "ovs-vswitchd"
unset OVS_DBDIR OVS_PKGDATADIR OVS_SYSCONFDIR
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
m=$(ip netns exec "$ns_mon" $PY -c 'import sys,urllib.request
print(urllib.request.urlopen(sys.argv[1], timeout=5).read().decode())' \
    http://127.0.0.1:9343/metrics)
kill "$(cat "$tmp/flowd.pid")"
wait_for 10 test ! -e "$tmp/flowd.pid" || fail "flowd did not stop"
kill "$capture"
wait "$capture" 2>/dev/null
capture=

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
ok=true
check() {   # WHAT GOT WANT
    if test "$2" = "$3"; then
        echo "ok: $1 = $2"
    else
        echo "FAIL: $1 = $2, expected $3"
        ok=false
    fi
}
frame=$((14 + 20 + 8 + 100))
check "echo requests (packets)" \
    "$(pair "$tmp/state" 198.51.100.1 198.51.100.2 packets "$start")" $N
check "echo requests (frame bytes)" \
    "$(pair "$tmp/state" 198.51.100.1 198.51.100.2 bytes "$start")" \
    $((N * frame))
check "echo replies (packets)" \
    "$(pair "$tmp/state" 198.51.100.2 198.51.100.1 packets "$start")" $N
for c in same_switch core internet; do
    check "$c bytes (one host)" "$(json_sum "$tmp/state" class class=$c)" 0
done
check "IPFIX decode errors" \
    "$(metric "$m" 'l2mt_flowd_ipfix_errors_total{reason="decode"}')" 0
flows=$(metric "$m" 'l2mt_flowd_ipfix_records_received_total{kind="flow"}')
test "${flows:-0}" -gt 0 || { echo "FAIL: no flow records"; ok=false; }

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
test "${tp:-0}" -gt 0 || { echo "FAIL: tshark decoded nothing"; ok=false; }
cat > "$tmp/packets.py" <<'PYEOF'
import glob, json, sys
print(sum(r["packets"] for p in glob.glob(sys.argv[1] + "/json/*.json")
          for a in json.load(open(p))["aggregations"] if a["name"] == "class"
          for r in a["rows"]))
PYEOF
check "packets, flowd vs tshark" "$($PY "$tmp/packets.py" "$tmp/state")" "$tp"
check "bytes, flowd vs tshark" "$(json_sum "$tmp/state" class '')" "$tb"
# Open vSwitch numbers its messages across observation domains (its
# exporting-process statistics go in domain 0), so domain 42 shows gaps
# that a collector following RFC 7011 counts as lost: as many as tshark's
# sequence numbers show.
check "IPFIX records lost in domain 42, flowd vs tshark" \
    "$(metric "$m" 'l2mt_flowd_ipfix_lost_records_total{domain="42"}')" \
    "$tlost"
$ok || fail "OVS IPFIX read back"
echo PASS
