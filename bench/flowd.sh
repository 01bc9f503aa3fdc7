#!/bin/bash
# Benchmark: samples/s that l2mt-flowd's per-datagram path (decode +
# classify + aggregate, one core) handles on a recorded datagram file and
# on a realistic mix (bench/flowd-bench generate), beside pmacct's sfacctd
# fed the same file over loopback in the same run; with
# FLOWD_BENCH_BEFORE=DIR, an older build beside this one (ratios).
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

# FLOWD_BENCH_BEFORE=DIR: an older build's flowd-bench and l2mt-flowd
# (copied there, e.g. from main) for a before/after in this same run: the
# two alternate, ROUNDS times each, and the medians are compared, so that
# the load of the machine weighs on both alike.
before=${FLOWD_BENCH_BEFORE:-}
rounds=${FLOWD_BENCH_ROUNDS:-3}
# The realistic mix replayed beside the recording: HOSTS VMS TENANTS VLANS.
real_mix=${FLOWD_BENCH_REAL_MIX-128 40 128 30}
median() {
    sort -n | awk '{ v[NR] = $1 } END { print NR ? v[int((NR + 1) / 2)] : 0 }'
}
# core_ab NAME FILE: the core path of before and after on FILE.
core_ab() {
    local i b a
    : > "$work/ab-$1-before"
    : > "$work/ab-$1-after"
    for i in $(seq "$rounds"); do
        "$before/flowd-bench" run "$2" "$2.topo" "$seconds" \
            | awk '$1 == "flowd_samples_per_cpu_s" { print $2 }' \
            >> "$work/ab-$1-before"
        "$bench" run "$2" "$2.topo" "$seconds" \
            | awk '$1 == "flowd_samples_per_cpu_s" { print $2 }' \
            >> "$work/ab-$1-after"
    done
    b=$(median < "$work/ab-$1-before")
    a=$(median < "$work/ab-$1-after")
    awk -v n="$1" -v b="$b" -v a="$a" -v r="$rounds" 'BEGIN {
        printf "before/after core path (%s): %.0f -> %.0f samples per " \
               "CPU-s, ratio %.2f (medians of %d, alternating)\n",
               n, b, a, b ? a / b : 0, r }'
}
if test -n "$real_mix"; then
    mixrec=$work/recording-$(echo $real_mix | tr ' ' -).pcap
    test -s "$mixrec" || "$bench" generate "$mixrec" "$datagrams" $real_mix
    echo "== l2mt-flowd: realistic mix ($real_mix: hosts, VMs per host," \
         "tenants, VLANs per tenant), ${seconds}s, one core"
    "$bench" run "$mixrec" "$mixrec.topo" "$seconds" | tee "$work/flowd-mix.out"
fi
# Instructions per sample of one pass (valgrind's callgrind counts them
# exactly, whatever else runs on the machine; setup included).
instr_per_sample() {
    valgrind --tool=callgrind --callgrind-out-file=/dev/null \
        "$1" run "$2" "$2.topo" 0 2>&1 >/dev/null \
        | awk -v s="$3" '/Collected :/ { printf "%.0f", $NF / s }'
}
# instr_ab NAME FILE
instr_ab() {
    local s b a
    s=$("$bench" run "$2" "$2.topo" 0 | awk '$1 == "flowd_flow_samples" { print $2 }')
    b=$(instr_per_sample "$before/flowd-bench" "$2" "$s")
    a=$(instr_per_sample "$bench" "$2" "$s")
    awk -v n="$1" -v b="$b" -v a="$a" 'BEGIN {
        printf "before/after core path (%s): %d -> %d instructions per " \
               "sample, ratio %.2f (callgrind)\n", n, b, a, a ? b / a : 0 }'
}
if test -n "$before"; then
    echo "== before ($before) / after, one core, decode + classify + aggregate"
    core_ab recording "$rec"
    test -z "$real_mix" || core_ab "realistic mix" "$mixrec"
    if command -v valgrind >/dev/null \
       && test "${FLOWD_BENCH_INSTRUCTIONS:-1}" != 0; then
        instr_ab recording "$rec"
        test -z "$real_mix" || instr_ab "realistic mix" "$mixrec"
    fi
fi
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
# Process $1 and all its descendants (sfacctd's plugin forks writers that
# would outlive it, spinning, if only its children were stopped).
tree() {
    local c
    echo $1
    for c in $(pgrep -P $1); do
        tree $c
    done
}
stop_all() {
    local all= p
    for p in $pids; do
        all="$all $(tree $p)"
    done
    kill $all 2>/dev/null || true
    sleep 1
    kill -9 $all 2>/dev/null || true
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
echo "== CPU per sample by paced rate (replay_rate: what the sender reached;"
echo "   ratio: sfacctd's CPU per sample over l2mt-flowd's, whole daemons)"
printf "%-8s %-10s %-18s %-18s %-20s %s\n" rate replayed \
    "sfacctd ns/sample" "flowd ns/sample" "flowd samples/CPU-s" \
    "ratio (dropped s/f)"
for r in $rates; do
    awk -v r=$r '
        FNR == 1 { f++ }
        $1 ~ /_replay_rate$/ && f == 1 { rr = $2 }
        $1 ~ /_samples_per_cpu_s$/ { v[f] = $2 }
        $1 ~ /_datagrams_received$/ { d[f] = $5 }
        END {
            gsub(/\)/, "", d[1]); gsub(/\)/, "", d[2])
            printf "%-8s %-10s %-18.0f %-18.0f %-20.0f %.1f (%s/%s)\n", r,
                rr, v[1] ? 1e9 / v[1] : 0, v[2] ? 1e9 / v[2] : 0, v[2],
                v[1] ? v[2] / v[1] : 0, d[1], d[2]
        }' "$work/sfacctd-$r.out" "$work/daemon-$r.out"
done

# Before/after for the whole daemon: both listening, replayed to in turn
# at one paced rate, ROUNDS times; medians of samples per CPU-s.
if test -n "$before"; then
    ab_rate=${FLOWD_BENCH_AB_RATE:-50000}
    bport=$(free_port)
    rm -rf "$work/state-before"
    "$before/l2mt-flowd" --listen "127.0.0.1:$bport" \
        --topology "$rec.topo" --state-dir "$work/state-before" \
        --interval 60 --aggregate pair_host --aggregate biflow --no-store \
        --log-file="$work/flowd-before.log" 2>/dev/null &
    bpid=$!
    pids="$pids $bpid"
    : > "$work/ab-daemon-before"
    : > "$work/ab-daemon-after"
    for i in $(seq "$rounds"); do
        measure before $bpid $bport $ab_rate \
            | awk '$1 == "before_samples_per_cpu_s" { print $2 }' \
            >> "$work/ab-daemon-before"
        measure after $dpid $dport $ab_rate \
            | awk '$1 == "after_samples_per_cpu_s" { print $2 }' \
            >> "$work/ab-daemon-after"
    done
    awk -v b="$(median < "$work/ab-daemon-before")" \
        -v a="$(median < "$work/ab-daemon-after")" -v r="$rounds" \
        -v rate="$ab_rate" 'BEGIN {
        printf "before/after whole daemon at %d datagrams/s: %.0f -> %.0f " \
               "samples per CPU-s, ratio %.2f (medians of %d, " \
               "alternating)\n", rate, b, a, b ? a / b : 0, r }'
fi
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
