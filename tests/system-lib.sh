# shellcheck shell=bash
# Copyright (c) 2026 The l2mt authors.
# Licensed under the Apache License, Version 2.0.
#
# The multi-tenant rig, as a library sourced by the system tests and the
# benchmark (and by anyone else who needs it: agent, mod_l2mt, flowd):
#
#   tenant LANs          CJB gateway                 hypervisor
#   ns PFX-t1 eth0 --- t1 [br-gw] gre10 ~~\       /~~ gre10 [br-svc] h1v4 --- t1v4
#   ns PFX-t2 eth0 --- t2 [br-gw] gre11 ~~ [br-phy]==[br-phy] ~~ gre11 ...   h1v6 --- t1v6
#   ns PFX-t3 eth0 --- t3 [br-gw] gre12 ~~/  ns PFX-gw  ns PFX-hv  \~~ gre12  ...   (ns PFX-svc)
#
# Every tenant LAN is 192.168.0.10/24 plus fe80::c0a8:a; every interface of
# the service namespace is fe80::c0a8:64.  GRE key 9+N carries tenant N.
# On the hypervisor, IPv4 and ARP from key N go through nat64:4toll6 to
# tN v4, IPv6 from key N goes untouched to tNv6, and back (ll6to4 from tNv4).
# Each side is its own ovs-vswitchd + ovsdb-server (datapath_type=netdev)
# in its own namespace, its files in its own directory.
#
# Usage:
#   . "$top_srcdir/tests/system-lib.sh"
#   rig_init "mt$$" || exit $?     # 77 (skip) with a message if unusable
#   rig_up || exit 1               # cleans up on every exit from now on
#   rig_exec t1 curl ...           # run in tenant 1's namespace
#   rig_check "what" cmd args      # prints ok/FAIL, counts failures
#   rig_finish                     # exit status from the checks
#
# The generic parts (namespaces, veths, ovs_start, waiting, checks, the
# cleanup on exit) are tests/lib.sh's.
#
# Knobs (environment): L2MT_OVS_BUILDDIR (OVS build tree), RIG_NAT64
# (1: require the nat64 action, 0: native IPv6 path only, auto: default,
# use it if OVS has it), RIG_HV_FLOWS=0 (leave br-svc without flows, for
# whoever programs the hypervisor itself), RIG_KEEP=1 (keep the rig's
# directory), RIG_TENANTS (default "1 2 3").
#
# What the rig gives its users: rig_ns NAME (namespace of gw, hv, svc, tN),
# rig_exec NAME CMD, rig_vsctl|rig_ofctl|rig_appctl gw|hv ARGS (OVS tools
# aimed at that instance; OpenFlow ports: tenant N is N on br-gw, its GRE
# port 10+N on both bridges, h<N>v4 21..23 and h<N>v6 31..33 on br-svc),
# rig_server_start, rig_ask / rig_ask_udp N 4|6, rig_answer_is, rig_spawn
# (background process stopped at the end), rig_wait_until, rig_check,
# rig_finish.

RIG_TENANTS=${RIG_TENANTS:-"1 2 3"}
RIG_PORT=8080                   # The scope server's port.
RIG_TENANT_IP=192.168.0.10
RIG_TENANT_LL=fe80::c0a8:a
RIG_SERVICE_IP=192.168.0.100
RIG_SERVICE_LL=fe80::c0a8:64
RIG_TENANT_MTU=1458             # 1500 - GRE (4 + key 4) - IPv4 20 - Eth 14.
RIG_V4SIDE_MTU=1478             # The tenant's 1458 grows by 20 as IPv6.
RIG_GW_UNDERLAY=172.31.255.1
RIG_HV_UNDERLAY=172.31.255.2

. "${top_srcdir:-$(cd "$(dirname "$0")/.." && pwd)}/tests/lib.sh"

RIG_OVS_INSTANCES=

rig_log () {
    echo "rig: $*"
}

rig_err () {
    echo "rig: error: $*" >&2
}

# rig_skip MESSAGE: says why the test cannot run and returns 77.
rig_skip () {
    echo "SKIP: $*"
    return 77
}

# Names derived from tenant number N.
rig_key () { echo $((9 + $1)); }
rig_tenant_mac () { printf '02:00:0a:00:00:%02x\n' "$1"; }
rig_v4_mac () { printf '02:00:64:04:00:%02x\n' "$1"; }
rig_v6_mac () { printf '02:00:64:06:00:%02x\n' "$1"; }

# rig_ns NAME: the namespace of NAME (gw, hv, svc, t1, t2, t3).
rig_ns () {
    echo "$RIG_PREFIX-$1"
}

# rig_exec NAME CMD...: runs CMD in the namespace of NAME.
rig_exec () {
    local _ns
    _ns=$(rig_ns "$1")
    shift
    ip netns exec "$_ns" "$@"
}

# rig_init PREFIX: checks the machine, picks names and the OVS binaries.
# Returns 77 with a message when the rig cannot run here.
rig_init () {
    local _cmd _have_nat64
    RIG_PREFIX=$1
    if [ "$(id -u)" != 0 ]; then
        rig_skip "needs root (network namespaces, veth pairs)"
        return
    fi
    if ! ip netns list >/dev/null 2>&1; then
        rig_skip "'ip netns' does not work here"
        return
    fi
    for _cmd in ethtool curl ping; do
        if ! command -v $_cmd >/dev/null 2>&1; then
            rig_skip "$_cmd is not installed (see tools/deps/system)"
            return
        fi
    done
    RIG_OVS=${L2MT_OVS_BUILDDIR:-}
    if [ -z "$RIG_OVS" ] || [ ! -x "$RIG_OVS/vswitchd/ovs-vswitchd" ]; then
        rig_skip "no Open vSwitch build at '${RIG_OVS:-\$L2MT_OVS_BUILDDIR}'"
        return
    fi
    OVS_BUILD=$RIG_OVS
    if [ ! -c /dev/net/tun ]; then
        rig_skip "/dev/net/tun is missing (OVS internal ports need it)"
        return
    fi
    if rig_ofctl_bin parse-flow \
         'in_port=1,ip,actions=nat64:4toll6,output:2' >/dev/null 2>&1; then
        _have_nat64=1
    else
        _have_nat64=0
    fi
    case ${RIG_NAT64:-auto} in
    auto)
        RIG_NAT64=$_have_nat64
        ;;
    1)
        if [ $_have_nat64 = 0 ]; then
            rig_err "ovs-ofctl in $RIG_OVS does not know the nat64 action" \
                    "(an unpatched Open vSwitch?)"
            return 1
        fi
        ;;
    esac
    [ "$RIG_NAT64" = 1 ] || rig_log "nat64 action not used: native IPv6 only"
    RIG_DIR=$TEST_DIR
    [ "${RIG_KEEP:-0}" = 1 ] && L2MT_KEEP=1
    on_exit rig_down
}

rig_ofctl_bin () {
    "$RIG_OVS/utilities/ovs-ofctl" "$@"
}

# OVS tools aimed at instance NAME (gw or hv).
rig_vsctl () {
    local _i=$1
    shift
    ovs_vsctl "$RIG_DIR/$_i" "$@"
}

rig_ofctl () {
    local _i=$1
    shift
    ovs_ofctl "$RIG_DIR/$_i" "$@"
}

rig_appctl () {
    local _i=$1
    shift
    ovs_appctl "$RIG_DIR/$_i" "$@"
}

# rig_wait_until DESCRIPTION TENTHS CMD...: retries CMD every 0.1 s, at
# most TENTHS times.
rig_wait_until () {
    local _what=$1 _max=$2
    shift 2
    wait_for $(((_max + 9) / 10)) "$@" || {
        rig_err "timed out waiting for $_what"
        return 1
    }
}

# rig_check DESCRIPTION CMD...: runs a check and prints its result
# ($TEST_FAILURES counts the failed ones).
rig_check () {
    expect "$@"
}

# rig_finish: exits with the checks' verdict.
rig_finish () {
    finish
}

# rig_spawn LOGFILE NAME CMD...: starts CMD in the background in NAME's
# namespace; stopped on exit.  Sets RIG_SPAWNED to its pid.
rig_spawn () {
    local _log=$1 _name=$2
    shift 2
    spawn --netns="$(rig_ns "$_name")" "$_log" "$@"
    RIG_SPAWNED=$SPAWNED
}

rig_alive () { alive "$@"; }
rig_stop () { stop_pids "$@"; }

# rig_netns_add NAME: a namespace with lo up, IPv6 without automatic
# addresses, router solicitations or DAD: only what the test configures.
rig_netns_add () {
    netns_add --static-ipv6 "$(rig_ns "$1")"
}

# rig_veth NAME1 IF1 NAME2 IF2 MTU: a veth pair between two namespaces,
# both ends up, TX checksum offload off (OVS's user-space datapath forwards
# partial checksums as they are).
rig_veth () {
    veth_add --mtu="$5" --tx-off "$(rig_ns "$1")" "$2" "$(rig_ns "$3")" "$4"
}

# rig_ovs_start NAME: ovsdb-server and ovs-vswitchd for instance NAME,
# vswitchd in namespace NAME, everything under $RIG_DIR/NAME.
rig_ovs_start () {
    RIG_OVS_INSTANCES="$RIG_OVS_INSTANCES $1"
    ovs_start "$RIG_DIR/$1" "$(rig_ns "$1")"
}

# rig_ovs_underlay NAME IP PEER-IP: br-phy carries the underlay: the veth
# u0 is its port and the bridge's internal port owns the IP with u0's MAC,
# which is how OVS's user-space tunnels find their route and neighbour.
rig_ovs_underlay () {
    local _mac
    _mac=$(ip -n "$(rig_ns "$1")" -br link show u0 | awk '{print $3}')
    rig_vsctl "$1" add-br br-phy \
        -- set bridge br-phy datapath_type=netdev \
               other_config:hwaddr="$_mac" \
        -- add-port br-phy u0 || return 1
    rig_wait_until "br-phy in $1" 300 ip -n "$(rig_ns "$1")" link show br-phy \
        || return 1
    ip -n "$(rig_ns "$1")" addr add "$2/24" dev br-phy &&
    ip -n "$(rig_ns "$1")" link set br-phy up
}

# rig_ovs_bridge NAME BRIDGE: a netdev bridge that only does what its flows
# say (no NORMAL, no learning).
rig_ovs_bridge () {
    rig_vsctl "$1" add-br "$2" \
        -- set bridge "$2" datapath_type=netdev fail_mode=secure
}

# rig_ovs_port NAME BRIDGE PORT OFPORT [ARGS]: adds PORT as OpenFlow port
# OFPORT, with more "set interface" settings in ARGS.
rig_ovs_port () {
    local _i=$1 _br=$2 _port=$3 _ofport=$4
    shift 4
    rig_vsctl "$_i" add-port "$_br" "$_port" \
        -- set interface "$_port" ofport_request="$_ofport" "$@"
}

# rig_gre NAME BRIDGE N REMOTE: the GRE port for tenant N, OpenFlow port
# 10+N.
rig_gre () {
    local _key
    _key=$(rig_key "$3")
    rig_ovs_port "$1" "$2" "gre$_key" $((10 + $3)) type=gre \
        options:remote_ip="$4" options:key="$_key"
}

# rig_flows NAME BRIDGE: replaces BRIDGE's flows with those on stdin.
rig_flows () {
    rig_ofctl "$1" replace-flows "$2" -
}

# rig_hv_flows: the hypervisor's flows, with or without nat64.
rig_hv_flows () {
    local _n _gre _v4 _v6
    for _n in $RIG_TENANTS; do
        _gre=$((10 + _n)) _v4=$((20 + _n)) _v6=$((30 + _n))
        echo "priority=100,in_port=$_gre,ipv6,actions=output:$_v6"
        echo "priority=100,in_port=$_v6,actions=output:$_gre"
        if [ "$RIG_NAT64" = 1 ]; then
            echo "priority=100,in_port=$_gre,ip,actions=nat64:4toll6,output:$_v4"
            echo "priority=100,in_port=$_gre,arp,actions=nat64:4toll6,output:$_v4"
            echo "priority=100,in_port=$_v4,ipv6,actions=nat64:ll6to4,output:$_gre"
        fi
    done
    echo "priority=0,actions=drop"
}

# rig_up: builds the whole rig.  On failure, rig_down (on exit) tears down
# what was built.
rig_up () {
    local _t0 _ns _n _t
    _t0=$(date +%s)
    for _ns in gw hv svc; do
        rig_netns_add $_ns || return 1
    done
    for _n in $RIG_TENANTS; do
        rig_netns_add t$_n || return 1
    done

    # Underlay, then both switches.
    rig_veth gw u0 hv u0 1500 || return 1
    rig_ovs_start gw && rig_ovs_start hv || return 1
    rig_ovs_underlay gw $RIG_GW_UNDERLAY || return 1
    rig_ovs_underlay hv $RIG_HV_UNDERLAY || return 1
    rig_ovs_bridge gw br-gw && rig_ovs_bridge hv br-svc || return 1

    for _n in $RIG_TENANTS; do
        # Tenant LAN N and its GRE tunnel on the gateway.
        _t=t$_n
        rig_veth $_t eth0 gw $_t $RIG_TENANT_MTU || return 1
        ip -n "$(rig_ns $_t)" link set eth0 address "$(rig_tenant_mac $_n)"
        ip -n "$(rig_ns $_t)" addr add $RIG_TENANT_IP/24 dev eth0 &&
        ip -n "$(rig_ns $_t)" addr add $RIG_TENANT_LL/64 dev eth0 nodad ||
            return 1
        rig_ovs_port gw br-gw $_t "$_n" &&
        rig_gre gw br-gw "$_n" $RIG_HV_UNDERLAY || return 1

        # Its two interfaces in the service namespace, and its tunnel.
        rig_veth hv h${_n}v4 svc ${_t}v4 $RIG_V4SIDE_MTU &&
        rig_veth hv h${_n}v6 svc ${_t}v6 $RIG_TENANT_MTU || return 1
        ip -n "$(rig_ns svc)" link set ${_t}v4 address "$(rig_v4_mac $_n)" &&
        ip -n "$(rig_ns svc)" link set ${_t}v6 address "$(rig_v6_mac $_n)" &&
        ip -n "$(rig_ns svc)" addr add $RIG_SERVICE_LL/64 dev ${_t}v4 nodad &&
        ip -n "$(rig_ns svc)" addr add $RIG_SERVICE_LL/64 dev ${_t}v6 nodad ||
            return 1
        rig_ovs_port hv br-svc h${_n}v4 $((20 + _n)) &&
        rig_ovs_port hv br-svc h${_n}v6 $((30 + _n)) &&
        rig_gre hv br-svc "$_n" $RIG_GW_UNDERLAY || return 1
    done

    for _n in $RIG_TENANTS; do
        echo "in_port=$_n,actions=output:$((10 + _n))"
        echo "in_port=$((10 + _n)),actions=output:$_n"
    done | rig_flows gw br-gw || return 1
    if [ "${RIG_HV_FLOWS:-1}" = 1 ]; then
        rig_hv_flows | rig_flows hv br-svc || return 1
    fi

    # The underlay works, and OVS has learnt the neighbour for its tunnels.
    rig_wait_until "the underlay" 30 \
        rig_exec gw ping -c 1 -W 1 $RIG_HV_UNDERLAY || return 1
    rig_exec hv ping -c 1 -W 1 $RIG_GW_UNDERLAY >/dev/null || return 1
    rig_log "up in $(( $(date +%s) - _t0 )) s: prefix $RIG_PREFIX," \
            "tenants $RIG_TENANTS, nat64 $RIG_NAT64, files in $RIG_DIR"
}

# rig_server_start: the scope server in the service namespace, on TCP and
# UDP port $RIG_PORT.
rig_server_start () {
    local _srv=${top_builddir:-.}/tests/scope-server
    if [ ! -x "$_srv" ]; then
        rig_err "$_srv is not built (make check builds it)"
        return 1
    fi
    rm -f "$RIG_DIR/server.port"
    rig_spawn "$RIG_DIR/server.log" svc "$_srv" --port $RIG_PORT --udp \
        --lifetime 900 --port-file "$RIG_DIR/server.port"
    rig_wait_until "the scope server" 100 test -s "$RIG_DIR/server.port" || {
        cat "$RIG_DIR/server.log"
        return 1
    }
}

# rig_dump: the state worth seeing when something failed.
rig_dump () {
    local _i _br
    for _i in $RIG_OVS_INSTANCES; do
        echo "---- $_i: flows"
        for _br in $(rig_vsctl "$_i" list-br 2>/dev/null); do
            rig_ofctl "$_i" dump-flows "$_br" 2>&1 | sed 's/^/    /'
        done
        echo "---- $_i: ovs-vswitchd.log (last 30 lines)"
        tail -n 30 "$RIG_DIR/$_i/ovs-vswitchd.log" 2>/dev/null
    done
    [ -f "$RIG_DIR/server.log" ] && {
        echo "---- scope-server log (last 30 lines)"
        tail -n 30 "$RIG_DIR/server.log"
    }
}

# rig_own_server [--netns NS] ARGS...: starts tests/scope-server ($srv) on
# a port of its choice (in namespace NS if given), logging to
# $TEST_DIR/log; sets $pid and $port; the server is stopped on exit.  For
# tests that make their own namespaces instead of the rig's.
rig_own_server () {
    local run=
    if [ "$1" = --netns ]; then
        run="ip netns exec $2"
        shift 2
    fi
    rm -f "$TEST_DIR/port"
    $run "$srv" --port 0 --port-file "$TEST_DIR/port" --lifetime 60 "$@" \
        2>>"$TEST_DIR/log" &
    pid=$!
    TEST_PIDS="$TEST_PIDS $pid"
    wait_for 5 test -s "$TEST_DIR/port"
    port=$(cat "$TEST_DIR/port" 2>/dev/null)
    [ -n "$port" ]
}

# rig_down: on exit, shows the rig's state if a check or the test failed
# (tests/lib.sh then stops the daemons, deletes the namespaces and, unless
# RIG_KEEP=1, the files).
rig_down () {
    if [ "$TEST_FAILURES" != 0 ] || [ "$TEST_STATUS" != 0 ]; then
        [ -n "$RIG_OVS_INSTANCES" ] && rig_dump
    fi
    [ "${RIG_KEEP:-0}" = 1 ] && echo "rig: files kept in $RIG_DIR"
}

# rig_url N FAMILY: the scope server's URL as tenant N reaches it over
# FAMILY (4: translated, 6: native).
rig_url () {
    if [ "$2" = 4 ]; then
        echo "http://$RIG_SERVICE_IP:$RIG_PORT/t$1"
    else
        echo "http://[$RIG_SERVICE_LL%25eth0]:$RIG_PORT/t$1"
    fi
}

# rig_ask N FAMILY: tenant N asks the scope server over HTTP; prints the
# answer ("iface=... scope=... peer=... port=...").
rig_ask () {
    rig_exec "t$1" curl -sS -g --max-time 10 "$(rig_url "$1" "$2")"
}

# rig_ask_udp N FAMILY: the same question in a UDP datagram.
rig_ask_udp () {
    local _host=$RIG_SERVICE_IP
    [ "$2" = 4 ] || _host=$RIG_SERVICE_LL%eth0
    # One read() takes the whole datagram, hence dd rather than read.
    rig_exec "t$1" timeout 10 bash -c '
        exec 3<>"/dev/udp/$1/$2" && echo "udp question" >&3 &&
        timeout 5 dd bs=4096 count=1 status=none <&3' rig-udp "$_host" \
        $RIG_PORT
}

# rig_answer_is ANSWER IF: the scope server's answer names IF and the
# tenant's address.
rig_answer_is () {
    echo "    answer: ${1:-(none)}"
    case $1 in
    "iface=$2 scope="*" peer=$RIG_TENANT_LL port="*) return 0 ;;
    esac
    return 1
}

# rig_agent ARGS...: l2mt-agent (of this build) on the hypervisor, with
# the config $RIG_DIR/l2mt.conf that rig_agent_conf writes.
rig_agent () {
    OVS_RUNDIR=$RIG_DIR/hv PATH=$RIG_OVS/utilities:$PATH \
        rig_exec hv "${top_builddir:-.}/utilities/l2mt-agent" \
        --db="unix:$RIG_DIR/hv/db.sock" --host=hv -c "$RIG_DIR/l2mt.conf" \
        --inventory="$RIG_DIR/inventory.json" "$@"
}

# rig_agent_conf MODE [HOST-LINES]: an l2mt.conf describing the rig's
# hypervisor (bridge br-svc, tenant N on GRE key 9+N from the gateway,
# service ports hNv4 and hNv6) in tunnel mode MODE; HOST-LINES (already
# indented) go into the host block.
rig_agent_conf () {
    local _n
    {
        printf 'host hv {\n    edge-switch tor1\n    bridge br-svc\n'
        printf '    datapath netdev\n    tunnel-mode %s\n' "$1"
        [ -n "${2:-}" ] && printf '%s\n' "$2"
        printf '}\n'
        for _n in $RIG_TENANTS; do
            printf 'tenant %s {\n    gre-key %s\n    remote %s\n' \
                "$_n" "$(rig_key "$_n")" "$RIG_GW_UNDERLAY"
            printf '    service-v4-port h%sv4\n    service-v6-port h%sv6\n' \
                "$_n" "$_n"
            printf '    nat64 on\n}\n'
        done
    } > "$RIG_DIR/l2mt.conf"
}

# rig_service_if N FAMILY: tenant N's interface in the service namespace.
rig_service_if () {
    echo "t$1v$2"
}
