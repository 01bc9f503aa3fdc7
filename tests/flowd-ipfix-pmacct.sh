#!/bin/bash
# IPFIX re-export read back by pmacct's nfacctd on loopback: the bi-flow
# and host-pair records with their addresses, ports, protocol and scaled
# counts.  (pmacct 1.7 reads only records with IP addresses, so the purely
# layer-2 aggregations are checked with nfdump in flowd-ipfix-nfdump.sh.)
. "$top_srcdir/tests/flowd-lib.sh"
NFACCTD=$(command -v nfacctd || echo /usr/sbin/nfacctd)
test -x "$NFACCTD" || { echo "pmacct not installed"; exit 77; }
require_cmd "$PY"

cat > "$tmp/topo.conf" <<'TOPO'
host h1 switch sw1 agent 127.0.0.11
TOPO
pp=$(free_port udp)
cat > "$tmp/nfacctd.conf" <<CONF
daemonize: false
nfacctd_ip: 127.0.0.1
nfacctd_port: $pp
plugins: print[p]
aggregate[p]: src_host, dst_host, src_port, dst_port, proto
print_output[p]: csv
print_output_file[p]: $tmp/out-%s.csv
print_refresh_time[p]: 1
logfile: $tmp/nfacctd.log
CONF
"$NFACCTD" -f "$tmp/nfacctd.conf" &
nfpid=$!
pids="$pids $nfpid"
# pmacct's plugin forks writers: stop the whole family.
trap 'for c in $(pgrep -P $nfpid); do kill $(pgrep -P $c) $c 2>/dev/null; done; cleanup' EXIT
wait_for 10 grep -q "waiting for NetFlow/IPFIX data" "$tmp/nfacctd.log" \
    || fail "nfacctd did not start"

port=$(free_port udp)
"$flowd" --listen "127.0.0.1:$port" --topology "$tmp/topo.conf" \
    --state-dir "$tmp/state" --interval 1 --no-store \
    --ipfix "127.0.0.1:$pp" --aggregate bi=biflow \
    --aggregate hosts=pair_host --detach --no-chdir \
    --pidfile="$tmp/flowd.pid" --log-file="$tmp/flowd.log" \
    || fail "flowd did not start"
pids="$pids $(cat "$tmp/flowd.pid")"

S="$send 127.0.0.1:$port --agent 127.0.0.11"
$S --in 1 --rate 100 --count 3 --len 1500 --src-ip 10.1.1.1 \
    --dst-ip 10.2.2.2 --sport 40000 --dport 443
$S --in 2 --rate 100 --count 1 --len 500 --src-ip 10.2.2.2 \
    --dst-ip 10.1.1.1 --sport 443 --dport 40000 --seq 9
$S --in 1 --rate 10 --count 2 --len 100 --src-ip 10.3.3.3 \
    --dst-ip 10.4.4.4 --proto 17 --sport 5353 --dport 53 --seq 20

has() { cat "$tmp"/out-*.csv 2>/dev/null | grep -q "$1"; }
# Bi-flow: both directions as one, 3 x 1500 x 100 + 500 x 100 bytes.
wait_for 15 has '^10.1.1.1,10.2.2.2,40000,443,tcp,400,500000$' \
    || fail "bi-flow: $(cat "$tmp"/out-*.csv 2>/dev/null)"
wait_for 5 has '^10.3.3.3,10.4.4.4,5353,53,udp,20,2000$' \
    || fail "UDP bi-flow"
# Host pairs (no ports): each direction on its own.
wait_for 5 has '^10.1.1.1,10.2.2.2,0,0,0,300,450000$' || fail "host pair"
wait_for 5 has '^10.2.2.2,10.1.1.1,0,0,0,100,50000$' || fail "reverse pair"
cat "$tmp"/out-*.csv | sort -u
echo PASS
