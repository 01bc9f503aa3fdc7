# Copyright (c) 2026 The l2mt authors.
# Licensed under the Apache License, Version 2.0.
#
# l2mt's kernel nat64 beside Jool's SIIT in the qemu guest of the kernel
# tests, on the same frames: the rig of tests/kernel-jool.sh (does each
# translate correctly?) and bench/kernel-jool.sh (what does each cost?).
#
# Host side (before kernel_run): jool_host_setup checks that Jool's
# modules were built for the guest's kernel ($L2MT_JOOL_DIR, see
# bench/build-jool) and packs them, jool_siit (Debian's jool-tools),
# pktgen and this file into the guest.
#
# Guest side (from the scenario): jool_rig_up, then xr_send/xr_check/
# xr_measure per case.  The rig, beside kernel-guest.sh's (idle here):
#
#   init ns                                    ns xsink
#   gp4 ---- op4 (xbr ofport 1) --\
#   gn4 ---- on4 (xbr ofport 2) ---+- xbr -- oo (ofport 10) ---- so
#   gp6 ---- op6 (xbr ofport 3) ---|
#   gn6 ---- on6 (xbr ofport 4) --|
#   gt4 ---- ot4 (xbr ofport 5) --|
#   gt6 ---- ot6 (xbr ofport 6) --/
#                                   ns xjool (Jool SIIT, netfilter)
#   gj4 ---- ji4 --\
#   gj6 ---- ji6 ---+- routing ---- jo ----------------------- sj
#
# pktgen (in the kernel, no user space per packet) sends on gXN; every
# case's frames are the same bytes:
#   IPv4: 02:00:00:00:00:0a > 02:00:00:00:00:64, UDP 192.168.0.10:5000 >
#         192.168.0.100:7777, 64 bytes, real checksums;
#   IPv6: the same packet translated with 64:ff9b::/96 (RFC 6052's
#         well-known prefix), UDP 64:ff9b::c0a8:a > 64:ff9b::c0a8:64, 84 bytes.
# Both translators use 64:ff9b::/96: l2mt through the action's prefix
# option (its default fe80::/96 needs an interface to route by, which a
# router such as Jool does not have), so the translated frames are the
# same too.  OVS's flows have the same match fields (in_port, ethertype):
#   plain4: in_port=1,ip,actions=output:10
#   l2mt4:  in_port=2,ip,actions=nat64(mode=4toll6,prefix=64:ff9b::/96),output:10
#   tos4:   in_port=5,ip,actions=mod_nw_tos:16,output:10 (the reference
#           cost of a cheap header rewrite, as in bench/pmd)
#   plain6: in_port=3,ipv6,actions=output:10
#   tos6:   in_port=6,ipv6,actions=mod_nw_tos:16,output:10
#   l2mt6:  in_port=4,ipv6,actions=nat64(mode=ll6to4,prefix=64:ff9b::/96),output:10
#   jool4, jool6: Jool's instance in ns xjool, pool6 64:ff9b::/96; the
#         translated packet is routed to jo (static neighbour
#         02:00:00:00:00:64).
# The sinks so and sj have the address 02:00:00:00:00:64 and the
# destination addresses (/32, /128) while checking, so the kernel delivers
# each frame to UDP, which verifies its checksum (then counts it in NoPorts,
# as nothing listens); while measuring they take another Ethernet address
# and drop every frame as soon as it arrives (PACKET_OTHERHOST), the same
# cheap end for every case.

XR_CASES="plain4 tos4 l2mt4 jool4 plain6 tos6 l2mt6 jool6"
XR_SRC_MAC=02:00:00:00:00:0a
XR_DST_MAC=02:00:00:00:00:64
XR_OTHER_MAC=02:00:00:00:00:99
XR_PREFIX=64:ff9b::/96

# Host side ----------------------------------------------------------------

: "${L2MT_JOOL_DIR:=${top_builddir:-.}/_jool}"

# jool_host_setup: sets what kernel_run packs for the Jool rig; returns 77
# with the reason when Jool is not there.
jool_host_setup () {
    for _f in "$L2MT_JOOL_DIR/jool_common.ko" "$L2MT_JOOL_DIR/jool_siit.ko"; do
        [ -f "$_f" ] || {
            echo "SKIP: $_f is missing (Debian's jool-dkms, then make jool-kmod)"
            return 77
        }
    done
    command -v jool_siit > /dev/null 2>&1 || {
        echo "SKIP: jool_siit is not installed (Debian's jool-tools, see tools/deps/kernel)"
        return 77
    }
    K_EXTRA_BINS="jool_siit ${K_EXTRA_BINS:-}"
    # No modprobe in the guest: jool_siit's dependency and pktgen by hand.
    K_EXTRA_MODULES="kernel/net/netfilter/x_tables.ko kernel/net/core/pktgen.ko ${K_EXTRA_MODULES:-}"
    kernel_pack_extra () {
        # After the Debian modules (10-...), in dependency order.
        cp "$L2MT_JOOL_DIR/jool_common.ko" "$K_ROOT/modules/90-jool_common.ko"
        cp "$L2MT_JOOL_DIR/jool_siit.ko" "$K_ROOT/modules/91-jool_siit.ko"
        strip --strip-debug "$K_ROOT"/modules/9?-jool_*.ko 2> /dev/null || true
        cp "$top_srcdir/tests/kernel-jool-lib.sh" "$K_ROOT/jool-lib.sh"
        # The guest does not inherit the host's environment: the knobs.
        env | grep '^BENCH_[A-Z_]*=[0-9]*$' > "$K_ROOT/etc/bench.env" || true
    }
}

# Guest side ---------------------------------------------------------------

# The cases: generator device, sink namespace interface, IP version.
xr_gen () {
    case $1 in
    plain4) echo gp4 ;; tos4) echo gt4 ;; l2mt4) echo gn4 ;; jool4) echo gj4 ;;
    plain6) echo gp6 ;; tos6) echo gt6 ;; l2mt6) echo gn6 ;; jool6) echo gj6 ;;
    esac
}

xr_sink () {
    case $1 in jool*) echo sj ;; *) echo so ;; esac
}

xr_veth () {
    ip link add "$1" type veth peer name "$2"
    ip link set "$1" address $XR_SRC_MAC addrgenmode none up
    # pktgen then computes the UDP checksum itself (flag UDPCSUM): frames
    # with real checksums, not CHECKSUM_PARTIAL.
    ethtool -K "$1" tx off > /dev/null
}

jool_rig_up () {
    ip netns add xsink
    ip netns add xjool
    in_ns xsink ip link set lo up
    in_ns xjool ip link set lo up
    # OVS side.
    for _p in p4 t4 n4 p6 t6 n6; do
        xr_veth g$_p o$_p
        ip link set o$_p addrgenmode none up
    done
    ip link add oo type veth peer name so
    ip link set oo addrgenmode none up
    # Jool side.
    for _p in j4 j6; do
        xr_veth g$_p ji${_p#j}
        ip link set ji${_p#j} netns xjool
        in_ns xjool ip link set ji${_p#j} address $XR_DST_MAC addrgenmode none up
    done
    ip link add jo type veth peer name sj
    ip link set jo netns xjool
    in_ns xjool ip link set jo addrgenmode none up
    for _s in so sj; do
        ip link set $_s netns xsink
        in_ns xsink ip link set $_s address $XR_DST_MAC addrgenmode none up
        in_ns xsink ip addr add 192.168.0.100/32 dev $_s
        in_ns xsink ip addr add 64:ff9b::c0a8:64/128 dev $_s nodad
    done
    # The router Jool sits in: the translated packets go out jo.
    in_ns xjool sysctl -qw net.ipv4.conf.all.forwarding=1
    in_ns xjool sysctl -qw net.ipv6.conf.all.forwarding=1
    in_ns xjool ip addr add 64:ff9b::1/128 dev jo nodad
    in_ns xjool ip route add 192.168.0.100/32 dev jo
    in_ns xjool ip route add 64:ff9b::c0a8:64/128 dev jo
    in_ns xjool ip neigh add 192.168.0.100 lladdr $XR_DST_MAC nud permanent dev jo
    in_ns xjool ip neigh add 64:ff9b::c0a8:64 lladdr $XR_DST_MAC nud permanent dev jo
    in_ns xjool jool_siit instance add --netfilter --pool6 $XR_PREFIX ||
        check "jool_siit instance add --pool6 $XR_PREFIX" false
    # OVS: its own bridge, beside kernel-guest.sh's br0.
    ovs-vsctl add-br xbr -- set bridge xbr datapath_type=system fail-mode=secure \
        -- add-port xbr op4 -- set interface op4 ofport_request=1 \
        -- add-port xbr on4 -- set interface on4 ofport_request=2 \
        -- add-port xbr op6 -- set interface op6 ofport_request=3 \
        -- add-port xbr on6 -- set interface on6 ofport_request=4 \
        -- add-port xbr ot4 -- set interface ot4 ofport_request=5 \
        -- add-port xbr ot6 -- set interface ot6 ofport_request=6 \
        -- add-port xbr oo -- set interface oo ofport_request=10
    cat > /tmp/xflows <<EOF2
in_port=1,ip,actions=output:10
in_port=2,ip,actions=nat64(mode=4toll6,prefix=$XR_PREFIX),output:10
in_port=3,ipv6,actions=output:10
in_port=4,ipv6,actions=nat64(mode=ll6to4,prefix=$XR_PREFIX),output:10
in_port=5,ip,actions=mod_nw_tos:16,output:10
in_port=6,ipv6,actions=mod_nw_tos:16,output:10
EOF2
    ovs-ofctl add-flows xbr /tmp/xflows
    # pktgen makes frames faster than the rest can take them; once
    # softirqs are left to ksoftirqd, which shares the one vCPU with it,
    # the backlog queue (1000) overflows, more often the slower the case:
    # a queue that holds every frame of a measurement keeps them all.
    sysctl -qw net.core.netdev_max_backlog=1000000
    mkdir -p /tmp/pg
    say "jool rig up at $(cut -d' ' -f1 /proc/uptime) s"
}

# The sinks accept the frames (on) or drop them on arrival (off).
xr_sinks_accept () {
    _mac=$XR_DST_MAC
    [ "$1" = on ] || _mac=$XR_OTHER_MAC
    in_ns xsink ip link set so address $_mac
    in_ns xsink ip link set sj address $_mac
}

pg () {
    echo "$2" > "/proc/net/pktgen/$1" || echo "pktgen: $1: '$2' refused"
}

# xr_send CASE COUNT: pktgen sends COUNT frames of CASE and returns when
# they are sent.
xr_send () {
    _d=$(xr_gen "$1")
    pg kpktgend_0 rem_device_all
    pg kpktgend_0 "add_device $_d"
    for _w in "count $2" "clone_skb 0" "burst 1" "delay 0" \
              "src_mac $XR_SRC_MAC" "dst_mac $XR_DST_MAC" \
              "udp_src_min 5000" "udp_src_max 5000" \
              "udp_dst_min 7777" "udp_dst_max 7777" "flag UDPCSUM"; do
        pg "$_d" "$_w"
    done
    case $1 in
    *4) for _w in "pkt_size 64" "dst 192.168.0.100" \
                  "src_min 192.168.0.10" "src_max 192.168.0.10"; do
            pg "$_d" "$_w"
        done ;;
    *6) for _w in "flag IPV6" "pkt_size 84" "dst6 64:ff9b::c0a8:64" \
                  "src6 64:ff9b::c0a8:a"; do
            pg "$_d" "$_w"
        done ;;
    esac
    pg pgctrl start
}

# xr_rx CASE: frames the case's sink received so far.
xr_rx () {
    in_ns xsink ip -s link show dev "$(xr_sink "$1")" |
        awk 'f { print $2; exit } /RX:/ { f = 1 }'
}

# xr_snmp V4|V6 FIELD: a UDP counter of the sink namespace.
xr_snmp () {
    if [ "$1" = 6 ]; then
        in_ns xsink cat /proc/net/snmp6 | awk -v f="Udp6$2" '$1 == f { print $2 }'
    else
        in_ns xsink cat /proc/net/snmp | awk -v f="$2" '
            /^Udp:/ && !n { for (i = 2; i <= NF; i++) col[$i] = i; n = 1; next }
            /^Udp:/ { print $col[f] }'
    fi
}

# xr_expect_frame CASE HEX: the frame the sink received is what CASE must
# give: its ethertype, IP protocol, addresses and ports (the checksums are
# checked by the sink's UDP).
xr_expect_frame () {
    case $1 in
    plain4|tos4|l2mt6|jool6) _v=4 ;;
    *) _v=6 ;;
    esac
    if [ $_v = 4 ]; then
        _want="0800 11 c0a8000a c0a80064 13881e61"
        _got="$(echo "$2" | cut -c25-28) $(echo "$2" | cut -c47-48) $(echo "$2" | cut -c53-60) $(echo "$2" | cut -c61-68) $(echo "$2" | cut -c69-76)"
    else
        _want="86dd 11 0064ff9b0000000000000000c0a8000a 0064ff9b0000000000000000c0a80064 13881e61"
        _got="$(echo "$2" | cut -c25-28) $(echo "$2" | cut -c41-42) $(echo "$2" | cut -c45-76) $(echo "$2" | cut -c77-108) $(echo "$2" | cut -c109-116)"
    fi
    [ "$_got" = "$_want" ] || {
        echo "frame $2"
        echo "  ethertype, protocol, source, destination, ports: got '$_got'"
        echo "                                                  want '$_want'"
        return 1
    }
}

# xr_check CASE N: sends N frames with the sinks accepting; every one must
# arrive, be the translation (or, plain, the frame itself) and pass the
# sink's UDP checksum check.
xr_check () {
    case $1 in
    plain4|tos4|l2mt6|jool6) _v=4 ;;
    *) _v=6 ;;
    esac
    _s=$(xr_sink "$1")
    _rx0=$(xr_rx "$1")
    _np0=$(xr_snmp $_v NoPorts)
    _ce0=$(xr_snmp $_v InCsumErrors)
    in_ns xsink kernel-probe capture "$_s" 3 > /tmp/pg/cap-$1 2>&1 &
    _cap=$!
    sleep 1
    xr_send "$1" "$2"
    wait $_cap
    _rx=$(($(xr_rx "$1") - _rx0))
    _np=$(($(xr_snmp $_v NoPorts) - _np0))
    _ce=$(($(xr_snmp $_v InCsumErrors) - _ce0))
    check "$1: $2 frames sent, $_rx arrived on $_s" [ "$_rx" = "$2" ]
    check "$1: the sink's UDP took $_np of them (good checksums), $_ce with bad checksums" \
        [ "$_np" = "$2" -a "$_ce" = 0 ]
    check "$1: the frames are the expected translation" \
        xr_expect_frame "$1" "$(grep -v '^3333' /tmp/pg/cap-$1 | head -n 1)"
}

# xr_cpu: busy and total jiffies (USER_HZ) of the guest so far.
xr_cpu () {
    awk '/^cpu / { print $2 + $3 + $4 + $7 + $8 + $9, $2 + $3 + $4 + $5 + $6 + $7 + $8 + $9; exit }' /proc/stat
}

# xr_drops: frames the guest's CPU dropped from its backlog queue so far.
xr_drops () {
    _n=0
    while read -r _processed _dropped _rest; do
        _n=$((_n + 0x$_dropped))
    done < /proc/net/softnet_stat
    echo $_n
}

# xr_measure CASE COUNT: prints "CASE RECEIVED USEC BUSY-JIFFIES
# TOTAL-JIFFIES SENT BACKLOG-DROPS" for COUNT frames sent as fast as pktgen
# can (USEC: pktgen's sending time), once the last frame is through.
xr_measure () {
    _rx0=$(xr_rx "$1")
    _dr0=$(xr_drops)
    _c0=$(xr_cpu)
    xr_send "$1" "$2"
    # Frames still queued are still being worked on: wait until the sink
    # has stopped counting (at most 60 s).
    _last=-1
    _i=0
    while [ $_i -lt 300 ]; do
        _now=$(xr_rx "$1")
        [ "$_now" = "$_last" ] && break
        _last=$_now
        sleep 0.2
        _i=$((_i + 1))
    done
    _c1=$(xr_cpu)
    _rx=$((_now - _rx0))
    _dr=$(($(xr_drops) - _dr0))
    _res=$(sed -n 's/^Result: OK: \([0-9]*\)(.*usec, \([0-9]*\) .*/\1 \2/p' \
           "/proc/net/pktgen/$(xr_gen "$1")")
    set -- "$1" "$_rx" $_res $_c0 $_c1
    # CASE RX USEC SENT BUSY0 TOTAL0 BUSY1 TOTAL1
    echo "$1 $2 $3 $(($7 - $5)) $(($8 - $6)) $4 $_dr"
}
