#!/bin/sh
# Copyright (c) 2026 The l2mt authors.
# Licensed under the Apache License, Version 2.0.
#
# bench/kernel-jool: l2mt's kernel nat64 (our openvswitch.ko) beside Jool's
# SIIT and plain OVS output, in one boot of the qemu guest, on the same
# frames (tests/kernel-jool-lib.sh: the rig, the frames, the cases).  Each
# case is first checked (every frame arrives, translated, with good
# checksums), then the cases alternate, BENCH_ROUNDS rounds (default 5) of
# BENCH_PACKETS frames each (default 100000), the first case of a round
# moving by one each round.  Per case: packets/s received (over pktgen's
# own sending time) and guest CPU per packet (busy jiffies / packets: the
# guest has one vCPU, which does it all: pktgen building each frame, the
# translation or forwarding, the sink dropping it); medians and ranges, and
# the ratios l2mt/Jool and l2mt/plain of the medians, each way.  Targets:
# l2mt >= Jool and >= 0.95 x plain.  Under TCG the absolute figures are
# small and noisy: the ratios, with the spread beside them, are what this
# measures.
#
# On the host this file boots the guest (tests/kernel-lib.sh); in the guest
# it is /scenario, sourced by tests/kernel-guest.sh.

# The summary, on the host: one line per measurement in, the table and the
# ratios out.
summary='
# ROUND CASE RECEIVED USEC BUSY-JIFFIES TOTAL-JIFFIES SENT BACKLOG-DROPS
function sort(a, n,   i, j, t) {
    for (i = 2; i <= n; i++)
        for (j = i; j > 1 && a[j - 1] > a[j]; j--) {
            t = a[j]; a[j] = a[j - 1]; a[j - 1] = t
        }
}
function median(a, n) {
    sort(a, n)
    return n % 2 ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2
}
# stat(a, n): "median (min..max)" of a[1..n], with format f.
function stat(a, n, f,   m) {
    m = median(a, n)
    return sprintf(f " (" f ".." f ")", m, a[1], a[n])
}
{
    r = $1; c = $2
    if (r > rounds) rounds = r
    # Packets per second of guest CPU (USER_HZ = 100: a jiffy is
    # 10 ms) and CPU per packet, both of the packets received.
    pps[c, r] = $3 / ($5 / 100)
    ns[c, r] = $5 * 1e7 / $3
    lost[c] += $7 - $3
    drops[c] += $8
}
END {
    ncase = split("plain4 tos4 l2mt4 jool4 plain6 tos6 l2mt6 jool6", order, " ")
    printf "BENCH: %d rounds; median (min..max) of the rounds\n", rounds
    printf "BENCH: %-7s %-28s %-28s %s\n", "case", "kpps per guest CPU-s", "guest CPU ns/packet", "lost (backlog drops)"
    for (k = 1; k <= ncase; k++) {
        c = order[k]
        for (r = 1; r <= rounds; r++) { a[r] = pps[c, r] / 1e3; b[r] = ns[c, r] }
        printf "BENCH: %-7s %-28s %-28s %d (%d)\n", c, stat(a, rounds, "%.1f"), stat(b, rounds, "%.0f"), lost[c], drops[c]
    }
    # Ratios within each round (the cases of one round ran within a
    # minute of each other), then their median and range.
    for (v = 4; v <= 6; v += 2) {
        dir = v == 4 ? "IPv4 -> IPv6" : "IPv6 -> IPv4"
        for (r = 1; r <= rounds; r++) {
            a[r] = pps["l2mt" v, r] / pps["jool" v, r]
            b[r] = pps["l2mt" v, r] / pps["plain" v, r]
            e[r] = ns["l2mt" v, r] - ns["plain" v, r]
            g[r] = ns["jool" v, r] - ns["plain" v, r]
            t[r] = ns["tos" v, r] - ns["plain" v, r]
        }
        ma = median(a, rounds); mb = median(b, rounds)
        printf "BENCH: %s packets/s l2mt/Jool  %s: target >= 1    %s%s\n", dir, stat(a, rounds, "%.3f"), (ma >= 1 ? "holds" : "MISSED"), ((a[1] < 1 && a[rounds] >= 1) ? " (the range straddles it)" : "")
        printf "BENCH: %s packets/s l2mt/plain %s: target >= 0.95 %s%s\n", dir, stat(b, rounds, "%.3f"), (mb >= 0.95 ? "holds" : "MISSED"), ((b[1] < 0.95 && b[rounds] >= 0.95) ? " (the range straddles it)" : "")
        printf "BENCH: %s guest CPU ns/packet over plain: l2mt %s, Jool %s, mod_nw_tos %s\n", dir, stat(e, rounds, "%+.0f"), stat(g, rounds, "%+.0f"), stat(t, rounds, "%+.0f")
    }
}
'

if [ "$$" != 1 ]; then
    . "$top_srcdir/tests/kernel-lib.sh"
    . "$top_srcdir/tests/kernel-jool-lib.sh"
    jool_host_setup
    _rc=$?
    if [ $_rc = 0 ]; then
        _out=$(mktemp "${TMPDIR:-/tmp}/l2mt-bench-kernel-jool.XXXXXX")
        K_SMP=1 kernel_run bench-kernel-jool ours "$0" 1200 > "$_out"
        _rc=$?
        cat "$_out"
        [ $_rc = 0 ] && sed -n 's/^    raw: //p' "$_out" | awk "$summary"
        rm -f "$_out"
    fi
    [ $_rc = 77 ] && exit 0
    exit $_rc
fi

. /jool-lib.sh
. /etc/bench.env
$NAT64 || finish SKIP "the Open vSwitch build has no nat64 action"
ROUNDS=${BENCH_ROUNDS:-5}
PACKETS=${BENCH_PACKETS:-100000}
CASES=$XR_CASES
NCASES=$(echo $CASES | wc -w)
jool_rig_up
xr_sinks_accept on
for _c in $CASES; do
    xr_check $_c 5
done
[ "$FAILS" = 0 ] || finish
xr_sinks_accept off
# Warm-up: the kernel flows are in, the caches warm.
for _c in $CASES; do
    xr_measure $_c 5000 > /dev/null
done
check_kernel_flows inside
_r=1
while [ $_r -le $ROUNDS ]; do
    # Rotate the order: no case always follows the same one.
    _order=$(echo $CASES $CASES | tr ' ' '\n' | tail -n +$(( (_r - 1) % NCASES + 1 )) | head -n $NCASES)
    for _c in $_order; do
        echo "    raw: $_r $(xr_measure $_c $PACKETS)"
    done
    _r=$((_r + 1))
done
in_ns xjool jool_siit stats display | sed 's/^/    jool: /'
