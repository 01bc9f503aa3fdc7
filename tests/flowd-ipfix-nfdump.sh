#!/bin/bash
# IPFIX re-export read back by nfdump's nfcapd on loopback: standard fields
# (addresses, ports, protocol, VLAN, MACs, prefixes, times, counts), the
# distributor rule sending VLAN 20 to its own upstream, and re-export at
# restart of intervals whose export was not acknowledged.
. "$top_srcdir/tests/flowd-lib.sh"
command -v nfcapd >/dev/null && command -v nfdump >/dev/null \
    || { echo "nfdump not installed"; exit 77; }
require_cmd "$PY"

cat > "$tmp/topo.conf" <<'TOPO'
host h1 switch sw1 agent 127.0.0.11 uplink 9
host h2 switch sw2 agent 127.0.0.12 uplink 9
gateway 02:00:00:00:00:fe
tenant blue key 100 vlan 10
tenant red key 200 vlan 20
TOPO

start_nfcapd() {   # NAME PORT
    mkdir -p "$tmp/$1"
    nfcapd -b 127.0.0.1 -p "$2" -w "$tmp/$1" -t 3600 -P "$tmp/$1.pid" \
        > "$tmp/$1.log" 2>&1 &
    pids="$pids $!"
    wait_for 5 grep -q "Startup" "$tmp/$1.log" || fail "nfcapd $1"
}
stop_pidfile() {
    kill "$(cat "$1")" 2>/dev/null
    wait_for 10 test ! -e "$1" || fail "$1 did not stop"
}
pa=$(free_port udp)
pb=$(free_port udp)
start_nfcapd capa "$pa"
start_nfcapd capb "$pb"

port=$(free_port udp)
state=$tmp/state
start_flowd() {
    "$flowd" --listen "127.0.0.1:$port" --topology "$tmp/topo.conf" \
        --state-dir "$state" --interval 1 --no-store \
        --ipfix "127.0.0.1:$pa" --ipfix "127.0.0.1:$pb,vlan=20" \
        --aggregate bi=biflow --aggregate macs=src_mac,dst_mac,vlan \
        --aggregate nets=pair_prefix --prefix-v4 16 \
        --detach --no-chdir --pidfile="$tmp/flowd.pid" \
        --log-file="$tmp/flowd.log" || fail "flowd did not start"
    pids="$pids $(cat "$tmp/flowd.pid")"
}
start_flowd

S="$send 127.0.0.1:$port"
$S --agent 127.0.0.11 --in 1 --src-mac 02:00:00:00:00:0a \
    --dst-mac 02:00:00:00:00:0b --vlan 10 --rate 100 --count 3 --len 1500 \
    --src-ip 10.1.1.1 --dst-ip 10.2.2.2 --sport 40000 --dport 443
$S --agent 127.0.0.11 --in 2 --src-mac 02:00:00:00:00:0b \
    --dst-mac 02:00:00:00:00:0a --vlan 10 --rate 100 --count 1 --len 500 \
    --src-ip 10.2.2.2 --dst-ip 10.1.1.1 --sport 443 --dport 40000 --seq 9
$S --agent 127.0.0.12 --in 1 --src-mac 02:00:00:00:00:0c \
    --dst-mac 02:00:00:00:00:fe --vlan 20 --rate 10 --count 2 --len 100 \
    --src-ip 10.3.3.3 --dst-ip 10.4.4.4 --proto 17 --sport 5353 --dport 53
sleep 1.5
stop_pidfile "$tmp/flowd.pid"
ls "$state"/intervals/*.exported >/dev/null 2>&1 || fail "nothing exported"

# Forget the acknowledgements: a restart must export the intervals again.
rm -f "$state"/intervals/*.exported
start_flowd
wait_for 10 sh -c "ls '$state'/intervals/*.exported" || fail "no re-export"
stop_pidfile "$tmp/flowd.pid"
stop_pidfile "$tmp/capa.pid"
stop_pidfile "$tmp/capb.pid"

fmt='fmt:%ts|%sa|%da|%sp|%dp|%pr|%byt|%pkt|%svln|%ismc|%idmc|%smk|%dmk'
nfdump -R "$tmp/capa" -q -N -o "$fmt" | tr -d ' ' > "$tmp/a.txt" \
    || fail "nfdump capa"
nfdump -R "$tmp/capb" -q -N -o "$fmt" | tr -d ' ' > "$tmp/b.txt" \
    || fail "nfdump capb"
echo "--- upstream A"; cat "$tmp/a.txt"
echo "--- upstream B"; cat "$tmp/b.txt"

# count FILE PATTERN: lines matching an extended regexp.
count() { grep -Ec "$2" "$1"; }
year=$(date -u +%Y)
# The bi-flow: both directions as one record, 3 x 1500 x 100 + 500 x 100
# bytes, exported twice (first run and re-export).
test "$(count "$tmp/a.txt" "^$year-.*\|10\.1\.1\.1\|10\.2\.2\.2\|40000\|443\|6\|500000\|400\|")" = 2 \
    || fail "bi-flow record"
# MACs and VLAN.
test "$(count "$tmp/a.txt" "\|450000\|300\|10\|02:00:00:00:00:0a\|02:00:00:00:00:0b\|")" = 2 \
    || fail "MAC/VLAN record"
# Prefixes with their lengths.
test "$(count "$tmp/a.txt" "\|10\.1\.0\.0\|10\.2\.0\.0\|.*\|16\|16$")" = 2 \
    || fail "prefix record"
# Distributor: VLAN 20 records only upstream B, and B has only those.
test "$(count "$tmp/a.txt" "\|20\|02:00:00:00:00:0c")" = 0 \
    || fail "VLAN 20 reached the default upstream"
test "$(count "$tmp/b.txt" "\|2000\|20\|20\|02:00:00:00:00:0c\|02:00:00:00:00:fe\|")" = 2 \
    || fail "VLAN 20 MAC record upstream B"
test "$(count "$tmp/b.txt" "\|10\|02:00")" = 0 || fail "VLAN 10 upstream B"
echo PASS
