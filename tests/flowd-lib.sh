# Shared helpers for the flowd test scripts (sourced).
# Each test gets its own temporary directory and ports derived from $$.

# FLOWD: another build of the daemon (to see a test fail on older code).
flowd=${FLOWD:-$top_builddir/utilities/l2mt-flowd}
send=$top_builddir/tests/flowd-send
PY=/usr/bin/python3

. "$top_srcdir/tests/lib.sh"
tmp=$TEST_DIR
pids=
on_exit 'stop_pids $pids'
test -n "${KEEP_TMP:-}" && L2MT_KEEP=1
# A failing test shows the end of its daemons' logs.
TEST_SHOW_LOGS="$tmp/*.log"
FLOWD_NETNS=
# Open vSwitch's run directory: the daemon's control socket
# (l2mt-flowd.PID.ctl, for ovs-appctl -t) goes there.
export OVS_RUNDIR=$tmp OVS_LOGDIR=$tmp

# The test's own processes ($pids), then what tests/lib.sh stops.  A test
# with more to stop sets its own EXIT trap and calls this at its end.
cleanup() {
    test_cleanup
}

# flowd_require_netns: skips (77) unless we are root, namespaces can be
# made and Python runs.
flowd_require_netns() {
    require_netns
    test -x "$PY" || skip "no $PY"
}

# flowd_require_ovs: the same, and the patched Open vSwitch build is there
# ($ovs).
flowd_require_ovs() {
    flowd_require_netns
    require_ovs
    ovs=$OVS_BUILD
}

# flowd_netns_add NAME...: namespaces with lo up, deleted on exit.
flowd_netns_add() {
    netns_add "$@"
    FLOWD_NETNS="$FLOWD_NETNS $*"
}

# flowd_link NS1 IF1 ADDR1 NS2 IF2 ADDR2: a veth link between two
# namespaces, each end with its address (ADDR/LEN).
flowd_link() {
    veth_add "$1" "$2" "$4" "$5" || fail "veth $2"
    ip -n "$1" addr add "$3" dev "$2" &&
    ip -n "$4" addr add "$6" dev "$5" || fail "addresses on $2, $5"
}

# flowd_vm HOST-NS PORT VM-NS MAC ADDR: a VM (namespace VM-NS, eth0 with
# MAC and ADDR/LEN) on interface PORT of its host's namespace.
flowd_vm() {
    veth_add "$1" "$2" "$3" eth0 || fail "VM link $2"
    ip -n "$3" link set eth0 address "$4" &&
    ip -n "$3" addr add "$5" dev eth0 || fail "VM $3"
}

# A free UDP or TCP port on loopback.
free_port() {
    $PY -c 'import socket,sys
s=socket.socket(socket.AF_INET, socket.SOCK_DGRAM if sys.argv[1]=="udp" else socket.SOCK_STREAM)
s.bind(("127.0.0.1",0)); print(s.getsockname()[1])' "$1"
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

# http_get [--netns=NS] URL: HTTP GET without curl (in NS if given).
http_get() {
    hg_in=
    case $1 in --netns=*) hg_in="ip netns exec ${1#--netns=}"; shift ;; esac
    $hg_in $PY -c 'import sys,urllib.request
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
