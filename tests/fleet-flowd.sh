#!/bin/sh
# l2mt-flowd --db: the collector takes hosts, edge switches, gateways,
# tenants and the VM MACs the database places from the l2mt database
# (l2mt-ctl flowd-topology, lib/fleet/fleet-inventory.c), through the
# topology file's parser; SIGHUP re-reads it; an unreachable database at
# start is a clear error.  The topology is loaded once per (re)load, not
# once per interval: the report's advice shares the receive side's.

. "${top_srcdir:-$(dirname "$0")/..}/tests/fleet-lib.sh"
fleet_require
FLOWD=$top_builddir/utilities/l2mt-flowd
test -x "$FLOWD" || fleet_skip "l2mt-flowd not built"
# flowd runs l2mt-ctl from PATH.
PATH=$top_builddir/utilities:$PATH
export PATH
# The daemon's control socket (ovs-appctl -t l2mt-flowd) goes here.
export OVS_RUNDIR=$FLEET_TMP

fleet_standalone
fleet_ctl import "$top_srcdir/tests/conf/fleet.conf" || fleet_fail "import"
fleet_ctl set L2MT_Global . \
    external_ids:flowd-gateways="00:00:5e:00:01:01,00:00:5e:00:01:02" \
    || fleet_fail "gateways"
# vm2 (by MAC) claimed by hv3, as its agent would.
fleet_ctl -- --id=@h get Host hv3 -- set VM_Port vm2 host=@h \
    || fleet_fail "binding vm2"

cat > "$FLEET_TMP/expected" <<'TOPO'
# l2mt-flowd topology from the l2mt database
host hv1 switch tor1
host hv2 switch tor2
host hv3 switch tor1
host hv4 switch tor2
gateway 00:00:5e:00:01:01 00:00:5e:00:01:02
tenant acme key 10
tenant globex key 1012
tenant tenant11 key 11
mac 52:54:00:ab:cd:01 host hv3 tenant tenant11
TOPO
fleet_ctl flowd-topology > "$FLEET_TMP/topo" || fleet_fail "flowd-topology"
diff -u "$FLEET_TMP/expected" "$FLEET_TMP/topo" \
    || fleet_fail "flowd-topology is not the database's"
echo "ok: l2mt-ctl flowd-topology: hosts, switches, gateways, tenants, VM MACs"

LOG=$FLEET_TMP/flowd.log
# A failing check must not leave the daemon behind.
TEST_PIDFILES="$TEST_PIDFILES $FLEET_TMP/flowd.pid"
# l2mt-ctl through a wrapper that counts its runs, then runs the real one.
mkdir -p "$FLEET_TMP/bin"
cat > "$FLEET_TMP/bin/l2mt-ctl" <<EOF
#!/bin/sh
echo run >> "$FLEET_TMP/ctl-runs"
exec "$top_builddir/utilities/l2mt-ctl" "\$@"
EOF
chmod +x "$FLEET_TMP/bin/l2mt-ctl"
PORT=$(/usr/bin/python3 -c 'import socket
s=socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.bind(("127.0.0.1",0)); print(s.getsockname()[1])') || fleet_fail "no free port"
PATH=$FLEET_TMP/bin:$PATH "$FLOWD" --db="$FLEET_DB" \
    --listen=127.0.0.1:"$PORT" --state-dir="$FLEET_TMP/st" --interval=1 \
    --aggregate=vm_pairs=src_mac,dst_mac \
    --no-store --detach --no-chdir --pidfile="$FLEET_TMP/flowd.pid" \
    --log-file="$LOG" 2>"$FLEET_TMP/flowd.err" \
    || fleet_fail "l2mt-flowd --db did not start: $(cat "$FLEET_TMP/flowd.err")"
loaded() { grep -q "loaded: $1 hosts, $2 switches, $3 tenants, $4 configured MACs" "$LOG"; }
# (The start does not log the counts; a reload does.)
fleet_until 10 grep -q started "$LOG" || fleet_fail "l2mt-flowd did not start"
kill -HUP "$(cat "$FLEET_TMP/flowd.pid")"
fleet_until 10 loaded 4 2 3 3 \
    || fleet_fail "l2mt-flowd did not load the database's topology: $(cat "$LOG")"
echo "ok: l2mt-flowd --db loads it (4 hosts, 2 switches, 3 tenants, 3 MACs)"

fleet_ctl host-add hv5 -- set Host hv5 edge_switch=tor3 || fleet_fail "host-add"
kill -HUP "$(cat "$FLEET_TMP/flowd.pid")"
fleet_until 10 loaded 5 3 3 3 \
    || fleet_fail "SIGHUP did not re-read the database: $(cat "$LOG")"
echo "ok: SIGHUP re-reads it (a fifth host on a third switch)"

# Intervals with VM pairs close (each writes the report's advice): the
# start and the two reloads ran l2mt-ctl, the intervals must not.
runs() { wc -l < "$FLEET_TMP/ctl-runs"; }
n_closed() { grep -c 'closed .* rows in' "$LOG"; }
test "$(runs)" -eq 3 || fleet_fail "l2mt-ctl ran $(runs) times for 3 loads"
i=0
while test "$(n_closed)" -lt 3 && test $i -lt 40; do
    "$top_builddir/tests/flowd-send" 127.0.0.1:"$PORT" --agent=127.0.0.1 \
        --src-mac=52:54:00:ab:cd:01 --dst-mac=52:54:00:ab:cd:02 --count=1 \
        || fleet_fail "flowd-send"
    sleep 0.25
    i=$((i + 1))
done
test "$(n_closed)" -ge 3 || fleet_fail "not 3 intervals closed: $(cat "$LOG")"
grep -q 'Placement advice' "$FLEET_TMP/st/report.html" \
    || fleet_fail "no advice in the report"
test "$(runs)" -eq 3 \
    || fleet_fail "l2mt-ctl ran $(runs) times: 3 loads, $(n_closed) intervals"
echo "ok: one topology load per reload (l2mt-ctl ran 3 times, $(n_closed) intervals)"
kill "$(cat "$FLEET_TMP/flowd.pid")"

# The database unreachable at start: a clear error, exit status 1.
out=$("$FLOWD" --db="unix:$FLEET_TMP/nowhere.sock" --listen=127.0.0.1:0 \
      --state-dir="$FLEET_TMP/st2" --no-store 2>&1) \
    && fleet_fail "l2mt-flowd started without its database"
echo "$out" | grep -q 'l2mt-ctl: failed' || fleet_fail "message: $out"
echo "ok: an unreachable database is a clear error: $(echo "$out" | tail -1)"
echo "PASS: $test_name"
