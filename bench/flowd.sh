#!/bin/bash
# Benchmark: samples/s that l2mt-flowd's per-datagram path (decode +
# classify + aggregate, one core) handles on a recorded datagram file,
# beside pmacct's sfacctd fed the same file over loopback in the same run.
#
# Both are measured in CPU seconds (user + system of every process
# involved), so that other load on the machine does not skew the ratio;
# l2mt-flowd's wall-clock rate is printed too.  sfacctd is fed at a paced
# rate it keeps up with; datagrams the kernel dropped on its socket are
# subtracted.  For a like-for-like figure the l2mt-flowd daemon is fed the
# same way too (socket receive included, raw sample store off as sfacctd
# keeps none).  The loss-free rate of each (1 and N receive workers for
# l2mt-flowd) comes from the same paced runs.
set -e
bench=$top_builddir/bench/flowd-bench
work=${FLOWD_BENCH_DIR:-$top_builddir/bench/flowd-work}
datagrams=${FLOWD_BENCH_DATAGRAMS:-40000}
seconds=${FLOWD_BENCH_SECONDS:-5}
rate=${FLOWD_BENCH_SFACCTD_RATE:-5000}
# Paced rates (datagrams/s) of the CPU-per-sample table; the daemon under
# test (FLOWD_BENCH_DAEMON, e.g. an older build for a before/after).
rates=${FLOWD_BENCH_RATES:-5000 20000 50000 100000 200000}
daemon_bin=${FLOWD_BENCH_DAEMON:-$top_builddir/utilities/l2mt-flowd}
# Also measured with this many receive workers (--workers), "" for none.
workers=${FLOWD_BENCH_WORKERS-2}
mkdir -p "$work"
# The daemon's control socket (Open vSwitch's unixctl) goes there.
export OVS_RUNDIR=$work
# FLOWD_BENCH_MIX="HOSTS VMS TENANTS VLANS": the generated traffic mix
# (default 16 hosts x 32 VMs, 8 tenants with 1 VLAN each); for example
# "128 40 128 30" is 5,120 MACs in 3,840 VLANs of 128 tenants.
mix=${FLOWD_BENCH_MIX:-}
rec=$work/recording${mix:+-$(echo $mix | tr ' ' -)}.pcap
test -s "$rec" || "$bench" generate "$rec" "$datagrams" $mix

echo "== l2mt-flowd: $rec, ${seconds}s, one core"
"$bench" run "$rec" "$rec.topo" "$seconds" | tee "$work/flowd.out"
ours=$(awk '$1 == "flowd_samples_per_cpu_s" { print $2 }' "$work/flowd.out")
per_dgram=$(awk '$1 == "flowd_flow_samples" { s = $2 } $1 == "flowd_datagrams" { d = $2 } END { printf "%.4f", s / d }' "$work/flowd.out")

if ! command -v sfacctd >/dev/null && ! test -x /usr/sbin/sfacctd; then
    echo "sfacctd not installed (Debian package pmacct): no comparison"
    exit 0
fi
SFACCTD=$(command -v sfacctd || echo /usr/sbin/sfacctd)
free_port() {
    /usr/bin/python3 -c 'import socket
s=socket.socket(socket.AF_INET, socket.SOCK_DGRAM); s.bind(("127.0.0.1",0))
print(s.getsockname()[1])'
}
pids=
stop_all() {
    for p in $pids; do
        kill $p $(pgrep -P $p) 2>/dev/null || true
    done
    sleep 1
    for p in $pids; do
        kill -9 $p $(pgrep -P $p) 2>/dev/null || true
    done
}
trap stop_all EXIT

# CPU ticks of process $1 and its children.
cpu_ticks() {
    local t=0 p
    for p in $1 $(pgrep -P $1); do
        set -- $(sed 's/.*) //' /proc/$p/stat)
        t=$((t + ${12} + ${13}))
    done
    echo $t
}
# Kernel drops on the UDP socket bound to port $1 (/proc/net/udp).
drops() {
    awk -v p=$(printf '%04X' $1) '$2 ~ ":"p"$" { d += $NF } END { print d + 0 }' \
        /proc/net/udp
}
# measure NAME PID PORT [RATE]: replays the recording to PORT at RATE
# datagrams/s (default $rate), prints figures.
measure() {
    local ticks0 drops0 ticks1 drops1 sent r=${4:-$rate}
    sleep 2
    ticks0=$(cpu_ticks $2)
    drops0=$(drops $3)
    echo "== $1: same recording replayed over loopback at $r datagrams/s"
    "$bench" replay "$rec" "127.0.0.1:$3" "$r" > "$work/replay-$1.out"
    sleep 2                     # Let it drain its socket and pipes.
    ticks1=$(cpu_ticks $2)
    drops1=$(drops $3)
    sent=$(awk '$1 == "replay_sent" { print $2 }' "$work/replay-$1.out")
    secs=$(awk '$1 == "replay_s" { print $2 }' "$work/replay-$1.out")
    /usr/bin/python3 - "$1" "$sent" "$((drops1 - drops0))" "$per_dgram" \
        "$((ticks1 - ticks0))" "$(getconf CLK_TCK)" "$secs" <<'PY'
import sys
name, sent, dropped, per, ticks, hz, secs = sys.argv[1:]
received = int(sent) - int(dropped)
samples = received * float(per)
cpu = int(ticks) / float(hz)
print("%s_datagrams_received %d (kernel dropped %s)" % (name, received, dropped))
print("%s_replay_rate %.0f" % (name, int(sent) / float(secs)))
print("%s_cpu_s %.2f" % (name, cpu))
print("%s_samples_per_cpu_s %.0f" % (name, samples / cpu if cpu else 0))
PY
}
hwm() {
    awk '$1 == "VmHWM:" { print $2 }' /proc/$1/status
}

port=$(free_port)
cat > "$work/sfacctd.conf" <<CONF
daemonize: false
sfacctd_ip: 127.0.0.1
sfacctd_port: $port
sfacctd_renormalize: true
sfacctd_pipe_size: 33554432
plugins: print[p]
aggregate[p]: src_host, dst_host, src_mac, dst_mac, vlan, proto, src_port, dst_port
print_output[p]: csv
print_output_file[p]: $work/sfacctd-%s.csv
print_refresh_time[p]: 60
plugin_buffer_size: 1024000
plugin_pipe_size: 102400000
logfile: $work/sfacctd.log
CONF
rm -f "$work/sfacctd.log" "$work"/sfacctd-*.csv
"$SFACCTD" -f "$work/sfacctd.conf" &
spid=$!
pids="$pids $spid"
measure sfacctd $spid $port | tee "$work/sfacctd.out"

dport=$(free_port)
rm -rf "$work/state"
"$daemon_bin" --listen "127.0.0.1:$dport" \
    --topology "$rec.topo" --state-dir "$work/state" --interval 60 \
    --aggregate pair_host --aggregate biflow --no-store \
    --log-file="$work/flowd.log" 2>/dev/null &
dpid=$!
pids="$pids $dpid"
measure flowd_daemon $dpid $dport | tee "$work/daemon.out"

# CPU per sample at several paced rates, both fed the same way.
for r in $rates; do
    measure sfacctd $spid $port $r > "$work/sfacctd-$r.out"
    measure flowd_daemon $dpid $dport $r > "$work/daemon-$r.out"
done
echo "== CPU per sample by paced rate (replay_rate: what the sender reached)"
printf "%-8s %-10s %-22s %-22s %s\n" rate replayed \
    "sfacctd ns/sample" "flowd ns/sample" "ratio (dropped s/f)"
for r in $rates; do
    awk -v r=$r '
        FNR == 1 { f++ }
        $1 ~ /_replay_rate$/ && f == 1 { rr = $2 }
        $1 ~ /_samples_per_cpu_s$/ { v[f] = $2 }
        $1 ~ /_datagrams_received$/ { d[f] = $5 }
        END {
            gsub(/\)/, "", d[1]); gsub(/\)/, "", d[2])
            printf "%-8s %-10s %-22.0f %-22.0f %.1f (%s/%s)\n", r, rr,
                v[1] ? 1e9 / v[1] : 0, v[2] ? 1e9 / v[2] : 0,
                v[1] ? v[2] / v[1] : 0, d[1], d[2]
        }' "$work/sfacctd-$r.out" "$work/daemon-$r.out"
done
for n in $workers; do
    wport=$(free_port)
    rm -rf "$work/state-$n"
    "$daemon_bin" --listen "127.0.0.1:$wport" --workers $n \
        --topology "$rec.topo" --state-dir "$work/state-$n" --interval 60 \
        --aggregate pair_host --aggregate biflow --no-store \
        --log-file="$work/flowd-$n.log" 2>/dev/null &
    wpid=$!
    pids="$pids $wpid"
    echo "== l2mt-flowd --workers $n: CPU per sample and kernel drops by rate"
    for r in $rates; do
        measure workers $wpid $wport $r > "$work/workers-$n-$r.out"
        awk -v r=$r '$1 == "workers_samples_per_cpu_s" { v = $2 }
            $1 == "workers_replay_rate" { rr = $2 }
            $1 == "workers_datagrams_received" { d = $5; gsub(/\)/, "", d) }
            END { printf "%-8s %-10s %-22.0f dropped %s\n", r, rr,
                  v ? 1e9 / v : 0, d }' "$work/workers-$n-$r.out"
    done
    echo "VmHWM: l2mt-flowd --workers $n $(hwm $wpid) kB"
done
echo "VmHWM: sfacctd $(hwm $spid) kB (core process; its plugin $(for c in $(pgrep -P $spid); do hwm $c; done | sort -n | tail -1) kB), l2mt-flowd $(hwm $dpid) kB"

# The loss-free rate of each receiver: the highest paced rate the sender
# reached (within 5 %) with no datagram dropped by the kernel; "> R
# (sender-limited)" when even the top rate lost nothing but the sender
# could not reach a higher one.
lossfree() {
    local prefix=$1 best=0 limited= r out reached dropped
    for r in $rates; do
        out=$work/$prefix-$r.out
        test -s "$out" || continue
        reached=$(awk '$1 ~ /_replay_rate$/ { print $2 }' "$out")
        dropped=$(awk '$1 ~ /_datagrams_received$/ { d = $5; gsub(/\)/, "", d); print d }' "$out")
        if [ "${dropped:-1}" != 0 ]; then
            break
        fi
        if [ "$reached" -lt $((r * 95 / 100)) ]; then
            limited=" (sender-limited at $reached/s)"
            best=$reached
            break
        fi
        best=$r
    done
    echo "$best$limited"
}
echo "== loss-free datagram rate (paced replay, no kernel drops)"
echo "sfacctd:                  $(lossfree sfacctd)"
echo "l2mt-flowd:               $(lossfree daemon)"
for n in $workers; do
    echo "l2mt-flowd --workers $n:   $(lossfree workers-$n)"
done

theirs=$(awk '$1 == "sfacctd_samples_per_cpu_s" { print $2 }' "$work/sfacctd.out")
daemon=$(awk '$1 == "flowd_daemon_samples_per_cpu_s" { print $2 }' "$work/daemon.out")
echo "== summary (samples per CPU second)"
echo "l2mt-flowd core path:   $ours"
echo "l2mt-flowd daemon:      $daemon (socket receive included)"
echo "sfacctd:                $theirs"
awk -v a="$ours" -v b="$daemon" -v c="$theirs" 'BEGIN {
    printf "ratio core/sfacctd:     %.1f\n", a / c
    printf "ratio daemon/sfacctd:   %.1f\n", b / c
}'
