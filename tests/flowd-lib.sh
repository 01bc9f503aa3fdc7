# Shared helpers for the flowd test scripts (sourced).
# Each test gets its own temporary directory and ports derived from $$.

# FLOWD: another build of the daemon (to see a test fail on older code).
flowd=${FLOWD:-$top_builddir/utilities/l2mt-flowd}
send=$top_builddir/tests/flowd-send
PY=/usr/bin/python3

tmp=$(mktemp -d "${TMPDIR:-/tmp}/$(basename "$0").$$.XXXXXX") || exit 99
pids=
FLOWD_NETNS=
# Open vSwitch's run directory: the daemon's control socket
# (l2mt-flowd.PID.ctl, for ovs-appctl -t) goes there.
export OVS_RUNDIR=$tmp OVS_LOGDIR=$tmp
cleanup() {
    for p in $pids; do kill "$p" 2>/dev/null; done
    sleep 0.2
    for p in $pids; do kill -9 "$p" 2>/dev/null; done
    test -n "$KEEP_TMP" || rm -rf "$tmp"
    for n in $FLOWD_NETNS; do ip netns del "$n" 2>/dev/null; done
}

# flowd_require_ovs: skips (77) unless we are root, the patched Open
# vSwitch build is there ($ovs), namespaces can be made and Python runs.
flowd_require_ovs() {
    test "$(id -u)" = 0 || { echo "needs root"; exit 77; }
    ovs=$L2MT_OVS_BUILDDIR
    for b in vswitchd/ovs-vswitchd ovsdb/ovsdb-server ovsdb/ovsdb-tool \
             utilities/ovs-vsctl; do
        test -x "$ovs/$b" || { echo "no $ovs/$b"; exit 77; }
    done
    ip netns add "probe$$" 2>/dev/null || { echo "no netns"; exit 77; }
    ip netns del "probe$$"
    test -x "$PY" || exit 77
}

# flowd_netns_add NAME...: namespaces with lo up, deleted by cleanup().
flowd_netns_add() {
    for n in "$@"; do
        ip netns add "$n" || fail "netns $n"
        FLOWD_NETNS="$FLOWD_NETNS $n"
        ip -n "$n" link set lo up
    done
}
trap cleanup EXIT

fail() {
    echo "FAIL: $*"
    for f in "$tmp"/*.log; do
        test -f "$f" && { echo "--- $f"; tail -n 30 "$f"; }
    done
    exit 1
}

# A free UDP or TCP port on loopback.
free_port() {
    $PY -c 'import socket,sys
s=socket.socket(socket.AF_INET, socket.SOCK_DGRAM if sys.argv[1]=="udp" else socket.SOCK_STREAM)
s.bind(("127.0.0.1",0)); print(s.getsockname()[1])' "$1"
}

# wait_for SECONDS COMMAND...: polls until COMMAND succeeds.
wait_for() {
    t=$1; shift
    i=0
    while ! "$@" >/dev/null 2>&1; do
        i=$((i + 1))
        test $i -gt $((t * 10)) && return 1
        sleep 0.1
    done
    return 0
}

# Sums bytes of aggregation $2 rows whose fields match $3 (k=v,k=v) over
# all JSON interval files in state dir $1.
json_sum() {
    $PY - "$@" <<'PYEOF'
import glob, json, sys
state, agg, match = sys.argv[1], sys.argv[2], sys.argv[3]
want = dict(kv.split("=", 1) for kv in match.split(",") if kv)
total = 0
for path in glob.glob(state + "/json/*.json"):
    for a in json.load(open(path))["aggregations"]:
        if a["name"] != agg:
            continue
        for row in a["rows"]:
            if all(row.get(k) == v for k, v in want.items()):
                total += row["bytes"]
print(total)
PYEOF
}

# HTTP GET on loopback without curl.
http_get() {
    $PY -c 'import sys,urllib.request
print(urllib.request.urlopen(sys.argv[1], timeout=5).read().decode())' "$1"
}

# udp_drops PORT: the kernel's drop count of the UDP socket bound to PORT.
udp_drops() {
    awk -v p=$(printf '%04X' "$1") '$2 ~ ":"p"$" { d += $NF } END { print d + 0 }' \
        /proc/net/udp /proc/net/udp6
}

# metric TEXT NAME: the value of the series NAME (with its labels) in TEXT.
metric() {
    echo "$1" | awk -v n="$2" '$1 == n { print $2; f = 1 } END { if (!f) print "" }'
}

# proc_kb PID FIELD: a /proc/PID/status field in kB (VmRSS, VmHWM).
proc_kb() {
    awk -v f="$2:" '$1 == f { print $2 }' "/proc/$1/status"
}
