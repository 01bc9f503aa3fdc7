#!/bin/sh
# Copyright (c) 2026 The l2mt authors.
# Licensed under the Apache License, Version 2.0.
#
# /init of the kernel tests' qemu guest (busybox sh, PID 1).  Mounts the
# basics, loads /modules/* in order, starts ovsdb-server and ovs-vswitchd
# (datapath_type=system) and sources /scenario, which builds on the
# functions below.  The verdict is the last console line
# "L2MT-RESULT: PASS|FAIL|SKIP ...", then the guest powers off.
#
# The rig (one guest, all in namespaces):
#
#   ns tN: eth0 = gretap key 9+N ---- ns gw: ul-gw 172.31.255.1
#          192.168.0.10, fe80::c0a8:a        | underlay veth
#                                  init ns: ul-hv 172.31.255.2
#                                  br0 (kernel datapath): greN key 9+N
#                                   hNv4 (ofport 200+N) --- ns svc: tNv4
#                                   hNv6 (ofport 300+N) --- ns svc: tNv6
#
# Every service interface is fe80::c0a8:64.  IPv4/ARP from key 9+N is
# translated (nat64:4toll6) to tNv4, IPv6 goes untouched to tNv6; back from
# tNv4 through nat64:ll6to4.

export PATH=/ovs:/sbin:/bin
export OVS_RUNDIR=/run/ovs OVS_DBDIR=/run/ovs OVS_LOGDIR=/run/ovs \
       OVS_PKGDATADIR=/ovs OVS_SYSCONFDIR=/run/ovs
TENANTS="1 2 3"
PORT=7777
UL_GW=172.31.255.1
UL_HV=172.31.255.2
FAILS=0

# busybox sh would run its own ip applet, which lacks netns.
ip () {
    /sbin/ip "$@"
}

say () {
    echo "guest: $*"
}

# What a failing run leaves for its reader.
dump_state () {
    {
        pidof ovs-vswitchd > /dev/null || echo "ovs-vswitchd is not running"
        grep -e '|EMER|' -e '|ERR|' -e 'signal' -e 'assertion' \
            /run/ovs/ovs-vswitchd.log
        ovs-vsctl show
        ovs-ofctl dump-flows br0
        ovs-dpctl show
        ovs-dpctl dump-flows
        l2mt-dpctl show | awk '$2 != 0'
        ip -br link
        ip -n svc -br addr
        tail -n 40 /run/ovs/ovs-vswitchd.log
        dmesg | tail -n 30
    } 2>&1 | sed 's/^/    state: /'
}

finish () {
    if [ "$1" != SKIP ] && [ -f /run/ovs/ovs-vswitchd.log ]; then
        check "ovs-vswitchd did not crash" eval \
            "! grep -e 'restarting' -e 'died' -e 'with signal' /run/ovs/ovs-vswitchd.log"
    fi
    [ "$FAILS" = 0 ] || dump_state
    if [ "$1" = SKIP ]; then
        echo "L2MT-RESULT: SKIP $2"
    elif [ "$FAILS" = 0 ]; then
        echo "L2MT-RESULT: PASS"
    else
        echo "L2MT-RESULT: FAIL ($FAILS checks failed)"
    fi
    sync
    poweroff -f
}

# check DESCRIPTION CMD...: runs CMD, PASS/FAIL with its output on failure.
check () {
    _what=$1
    shift
    if "$@" > /tmp/check.out 2>&1; then
        echo "PASS: $_what"
    else
        echo "FAIL: $_what"
        sed 's/^/    /' /tmp/check.out | head -n 30
        FAILS=$((FAILS + 1))
    fi
}

# expect WANT CMD...: CMD's output must be exactly WANT.
expect () {
    _want=$1
    shift
    _got=$("$@")
    [ "$_got" = "$_want" ] || {
        echo "expected '$_want', got '$_got'"
        return 1
    }
}

in_ns () {
    _ns=$1
    shift
    ip netns exec "$_ns" "$@"
}

setup_system () {
    mount -t proc proc /proc
    mount -t sysfs sysfs /sys
    mount -t devtmpfs devtmpfs /dev
    mount -t tmpfs tmpfs /run
    mount -t tmpfs tmpfs /tmp
    ip link set lo up
    for _m in /modules/*.ko; do
        insmod "$_m" || {
            echo "FAIL: insmod $_m"
            FAILS=1
            finish
        }
    done
    say "modules loaded at $(cut -d' ' -f1 /proc/uptime) s"
}

# OVS 3.1.0's count_cpu_cores() caches 0 when first called in the first
# 10 s after boot (its refresh interval counted from time 0), so a
# vswitchd started then has no upcall handler and loses upcalls for a
# while.  vswitchd-patches fixes it; we also start vswitchd only after
# 10.5 s of uptime (the rig's links are built meanwhile), so any build
# works.
start_ovs () {
    mkdir -p /run/ovs
    ovsdb-tool create /run/ovs/conf.db /ovs/vswitch.ovsschema
    ovsdb-server --detach --no-chdir --pidfile --log-file \
        --remote=punix:/run/ovs/db.sock /run/ovs/conf.db
    ovs-vsctl --no-wait init
    while [ "$(cut -d. -f1 /proc/uptime)" -lt 11 ]; do
        sleep 0.2
    done
    # --monitor: a crash is logged (and checked at the end) instead of
    # turning every later check into a timeout.
    ovs-vswitchd --detach --monitor --no-chdir --pidfile --log-file \
        -vdpif_netlink:file:dbg
    say "ovs-vswitchd started at $(cut -d' ' -f1 /proc/uptime) s"
}

# Waits until vswitchd has upcall handlers (dpif_netlink logs them).
wait_handlers () {
    _i=0
    until grep -q 'initializing [1-9][0-9]* handlers' \
            /run/ovs/ovs-vswitchd.log; do
        _i=$((_i + 1))
        if [ $_i -gt 60 ]; then
            echo "FAIL: ovs-vswitchd started no upcall handler in 15 s"
            FAILS=$((FAILS + 1))
            break
        fi
        sleep 0.25
    done
    say "upcall handlers up at $(cut -d' ' -f1 /proc/uptime) s"
}

have_nat64 () {
    ovs-ofctl parse-flow 'in_port=1,ip,actions=nat64:4toll6,output:2' \
        > /dev/null 2>&1
}

# The rig's namespaces and links; no OVS yet.
rig_links () {
    ip netns add gw
    ip netns add svc
    ip link add ul-hv type veth peer name ul-gw
    ip link set ul-gw netns gw
    ip addr add $UL_HV/24 dev ul-hv
    ip link set ul-hv up
    in_ns gw ip link set lo up
    in_ns gw ip addr add $UL_GW/24 dev ul-gw
    in_ns gw ip link set ul-gw up
    in_ns svc ip link set lo up
    for _n in $TENANTS; do
        ip netns add t$_n
        in_ns t$_n ip link set lo up
        in_ns gw ip link add gt$_n type gretap local $UL_GW remote $UL_HV \
            key $((9 + _n))
        in_ns gw ip link set gt$_n netns t$_n
        in_ns t$_n ip link set gt$_n name eth0 address 02:00:0a:00:00:0$_n \
            mtu 1458
        # Only the addresses of the rig: no EUI-64 link-local to pick
        # as a source instead.
        in_ns t$_n ip link set eth0 addrgenmode none
        in_ns t$_n ip addr add 192.168.0.10/24 dev eth0
        in_ns t$_n ip addr add fe80::c0a8:a/64 dev eth0 nodad
        in_ns t$_n ip link set eth0 up
        for _side in v4 v6; do
            ip link add h$_n$_side type veth peer name t$_n$_side
            ip link set t$_n$_side netns svc
            ip link set h$_n$_side up
            in_ns svc ip link set t$_n$_side address \
                02:00:64:0${_side#v}:00:0$_n mtu 1478
            in_ns svc ip link set t$_n$_side addrgenmode none
            in_ns svc ip addr add fe80::c0a8:64/64 dev t$_n$_side nodad
            in_ns svc ip link set t$_n$_side up
        done
    done
    # Tenants 1 and 2 send real checksums, which the receivers verify
    # after translation; tenant 3 keeps the offloads (CHECKSUM_PARTIAL,
    # GSO), so both ways through nat64 are exercised.
    for _n in $TENANTS; do
        [ $_n -le 2 ] || continue
        in_ns t$_n ethtool -K eth0 tx off > /dev/null
        in_ns svc ethtool -K t${_n}v4 tx off > /dev/null
        in_ns svc ethtool -K t${_n}v6 tx off > /dev/null
    done
}

# br0 with the GRE ports (ofport 9+N), the service ports (hNv4: 200+N,
# hNv6: 300+N) and the flows, in one transaction each: every ovs-vsctl
# call costs a second or two under TCG.
rig_ovs () {
    _vsctl="add-br br0 -- set bridge br0 datapath_type=system fail-mode=secure"
    : > /tmp/flows
    for _n in $TENANTS; do
        _key=$((9 + _n))
        _vsctl="$_vsctl -- add-port br0 gre$_n -- set interface gre$_n type=gre options:remote_ip=$UL_GW options:key=$_key ofport_request=$_key"
        _vsctl="$_vsctl -- add-port br0 h${_n}v4 -- set interface h${_n}v4 ofport_request=$((200 + _n))"
        _vsctl="$_vsctl -- add-port br0 h${_n}v6 -- set interface h${_n}v6 ofport_request=$((300 + _n))"
        if $NAT64; then
            cat >> /tmp/flows <<EOF2
in_port=$_key,ip,actions=nat64:4toll6,output:$((200 + _n))
in_port=$_key,arp,actions=nat64:4toll6,output:$((200 + _n))
in_port=$((200 + _n)),ipv6,actions=nat64:ll6to4,output:$_key
EOF2
        fi
        cat >> /tmp/flows <<EOF2
in_port=$_key,ipv6,actions=output:$((300 + _n))
in_port=$((300 + _n)),actions=output:$_key
EOF2
    done
    # shellcheck disable=SC2086
    ovs-vsctl $_vsctl
    ovs-ofctl add-flows br0 /tmp/flows
}

# The whole rig, servers included.
rig_up () {
    rig_ovs
    wait_handlers
    in_ns svc kernel-probe serve svc $PORT > /tmp/svc.log 2>&1 &
    for _n in $TENANTS; do
        in_ns t$_n kernel-probe serve t$_n $PORT > /tmp/t$_n.log 2>&1 &
    done
    say "rig up at $(cut -d' ' -f1 /proc/uptime) s"
}

# ask NS PROTO ADDR: one request from NS, prints the answer "NAME IFNAME".
ask () {
    in_ns "$1" kernel-probe ask "$2" "$3" $PORT "$1" 10
}

# Each tenant reaches the service on its own interfaces, translated and
# native, over UDP and TCP; ARP resolved through NDP; ping works.
check_tenants () {
    for _n in $TENANTS; do
        if $NAT64; then
            check "t$_n: UDP to 192.168.0.100 lands on t${_n}v4" \
                expect "svc t${_n}v4" ask t$_n udp 192.168.0.100
            check "t$_n: TCP to 192.168.0.100 lands on t${_n}v4" \
                expect "svc t${_n}v4" ask t$_n tcp 192.168.0.100
            check "t$_n: ARP for 192.168.0.100 answered through NDP" \
                eval "ip -n t$_n neigh show 192.168.0.100 | grep -q 'lladdr 02:00:64:04:00:0$_n'"
            check "t$_n: ping 192.168.0.100" \
                in_ns t$_n ping -c 2 -W 3 192.168.0.100
            check "svc: UDP to fe80::c0a8:a%t${_n}v4 reaches tenant $_n" \
                expect "t$_n eth0" ask svc udp "fe80::c0a8:a%t${_n}v4"
        fi
        check "t$_n: UDP to fe80::c0a8:64%eth0 lands on t${_n}v6" \
            expect "svc t${_n}v6" ask t$_n udp "fe80::c0a8:64%eth0"
        check "t$_n: TCP to fe80::c0a8:64%eth0 lands on t${_n}v6" \
            expect "svc t${_n}v6" ask t$_n tcp "fe80::c0a8:64%eth0"
    done
}

# The matrix of all pairs: the service logs "IFNAME tN" per request, the
# tenants "eth0 svc"; tenant N's requests arrive only on tNv4/tNv6, and
# the service reaches, through tNv4/tNv6, tenant N only.
check_isolation () {
    for _n in $TENANTS; do
        for _side in v4 v6; do
            $NAT64 || [ $_side = v6 ] || continue
            for _m in $TENANTS; do
                _hits=$(grep -c "^t$_n$_side t$_m\$" /tmp/svc.log)
                if [ $_m = $_n ]; then
                    check "t$_m -> t$_n$_side: $_hits requests (some)" \
                        [ "$_hits" -gt 0 ]
                else
                    check "t$_m -> t$_n$_side: $_hits requests (none)" \
                        [ "$_hits" = 0 ]
                fi
            done
            check "svc via t$_n$_side answers tenant $_n only" \
                expect "t$_n eth0" ask svc udp "fe80::c0a8:a%t$_n$_side"
        done
    done
    check "every service request came from a tenant's own interface" \
        eval "! grep -v '^t\([123]\)v[46] t\\1\$' /tmp/svc.log"
}

# vswitchd's probe of the datapath: "supports" or "does not support".
check_dp_feature () {
    check "vswitchd: the datapath $1 nat64" \
        grep -q "Datapath $1 nat64 action" /run/ovs/ovs-vswitchd.log
    ovs-appctl dpif/show-dp-features br0 2>&1 | grep -i nat64 |
        sed 's/^/    dp-feature: /'
}

# Kernel flows carry the nat64 action (or, with OUTSIDE=1, none does).
check_kernel_flows () {
    ovs-dpctl dump-flows > /tmp/dpflows 2>&1
    if [ "${1:-inside}" = inside ]; then
        check "ovs-dpctl dump-flows shows nat64 in kernel flows" \
            grep -q nat64 /tmp/dpflows
    else
        check "no kernel flow carries nat64 (translated in user space)" \
            eval "! grep nat64 /tmp/dpflows"
    fi
    sed 's/^/    dpflow: /' /tmp/dpflows | head -n 20
}

# The module applies the translator core's prefix rules itself, whatever
# user space sends: kernel-probe gives it the raw bytes (ovs-dpctl's parser
# would refuse a bad prefix first).  A bad prefix is refused at flow
# installation with -EINVAL and the reason in the kernel log; good ones,
# the edges of the rules included, are accepted.
check_kernel_prefix_rules () {
    for _p in fe80:: 64:ff9b:: 2001:db8:0:0:ff:ffff:: fe00:: ::1:0:0; do
        check "the kernel accepts nat64 prefix $_p/96" \
            expect accepted kernel-probe nat64-flow ovs-system "$_p"
    done
    while read -r _p _why; do
        check "the kernel refuses nat64 prefix $_p/96: $_why" \
            eval "expect 'refused: Invalid argument' \
                      kernel-probe nat64-flow ovs-system $_p &&
                  dmesg | grep -F '/96: $_why'"
    done <<EOF
2001:db8:0:0:100:: bits 64 to 71 must be zero
ff02:: multicast prefix
::ffff:0:0 IPv4-mapped addresses
:: IPv4-compatible addresses
EOF
    dmesg | grep 'nat64: prefix' | sed 's/^/    kernel log: /'
}

setup_system
rig_links
start_ovs
NAT64=false
if have_nat64; then
    NAT64=true
fi
. /scenario
finish
