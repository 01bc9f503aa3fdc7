#!/bin/bash
# Copyright (c) 2026 The l2mt authors.
# Licensed under the Apache License, Version 2.0.
#
# l2mt-trace (issue 16) on the multi-tenant rig (tests/system-lib.sh: the
# gateway's and the hypervisor's ovs-vswitchd in their namespaces, the
# hypervisor programmed by l2mt-agent): a good IPv4 request, an ARP, a
# native IPv6 request, then three broken cases (a flow missing on the
# hypervisor, a frame the translator drops, a wrong GRE key), each with
# its exact hop list read from --format=json by Python's JSON parser; bad
# input and a switch that does not answer give their exit codes; no trace
# changes any switch's flows.

RIG_HV_FLOWS=0
. "${top_srcdir:-$(dirname "$0")/..}/tests/system-lib.sh"
TRACE=$top_builddir/utilities/l2mt-trace
AGENT=$top_builddir/utilities/l2mt-agent
HOPS="/usr/bin/python3 $top_srcdir/tests/oam-hops.py"
[ -x "$TRACE" ] || { echo "SKIP: $TRACE not built"; exit 77; }
[ -x "$AGENT" ] || { echo "SKIP: $AGENT not built"; exit 77; }
[ -x /usr/bin/python3 ] || { echo "SKIP: no /usr/bin/python3"; exit 77; }

RIG_NAT64=1
rig_init "oam$$" || exit $?
rig_up || exit 1

rig_agent_conf per-tenant
rig_agent apply > "$RIG_DIR/apply" 2>&1 || { cat "$RIG_DIR/apply"; exit 1; }

GW_UL=$RIG_GW_UNDERLAY HV_UL=$RIG_HV_UNDERLAY
trace () {
    "$TRACE" -c "$RIG_DIR/l2mt.conf" --host=hv \
        --switch="$RIG_DIR/hv/ovs-vswitchd.ctl" "$@"
}
# tr_gw N ARGS...: trace tenant N with the gateway's switch in view.
tr_gw () {
    local _n=$1
    shift
    trace --gateway="$RIG_DIR/gw/ovs-vswitchd.ctl,br-gw,t$_n" "$_n" "$@"
}

# expect_hops NAME STATUS EXPECTED-HOPS CMD...: CMD's JSON has exactly these
# hops and CMD exits with STATUS.
expect_hops () {
    local _name=$1 _want_rc=$2 _want=$3 _rc _got
    shift 3
    "$@" --format=json > "$RIG_DIR/out.json" 2> "$RIG_DIR/err"
    _rc=$?
    _got=$($HOPS < "$RIG_DIR/out.json" 2>&1)
    if [ "$_got" = "$_want" ] && [ $_rc = "$_want_rc" ]; then
        expect "$_name" true
        return
    fi
    soft_fail "$_name (exit $_rc, want $_want_rc)"
    echo "  want: $_want" | sed '2,$s/^/        /'
    echo "  got:  $_got" | sed '2,$s/^/        /'
    cat "$RIG_DIR/err"
}

snapshot () {
    local _i _br
    for _i in gw hv; do
        for _br in $(rig_vsctl $_i list-br); do
            echo "== $_i $_br"
            rig_ofctl $_i dump-flows --no-stats "$_br" | sort
        done
        rig_vsctl $_i --columns=name,options,bfd list interface | sort
    done
}
snapshot > "$RIG_DIR/before"

UDP='udp,nw_src=192.168.0.10,nw_dst=192.168.0.100,tp_dst=80'
ARP='arp,arp_spa=192.168.0.10,arp_tpa=192.168.0.100'
UDP6='udp6,ipv6_src=fe80::c0a8:a,ipv6_dst=fe80::c0a8:64,tp_dst=80'

expect_hops "IPv4 request of tenant 1 and its answer" 0 \
"request: bridge:gateway:br-gw:t1>gre10 | gre:10:$GW_UL>$HV_UL | bridge:hypervisor:br-svc:gre10>h1v4 | nat64:4toll6:translated | port:h1v4:service-v4-port => delivered
answer: bridge:hypervisor:br-svc:h1v4>gre10 | nat64:ll6to4:translated | gre:10:$HV_UL>$GW_UL | bridge:gateway:br-gw:gre10>t1 | port:t1:tenant LAN => delivered
verdict: delivered" tr_gw 1 "$UDP"

expect_hops "ARP of tenant 2 (NS to the service, NA back as ARP reply)" 0 \
"request: bridge:gateway:br-gw:t2>gre11 | gre:11:$GW_UL>$HV_UL | bridge:hypervisor:br-svc:gre11>h2v4 | nat64:4toll6:translated | port:h2v4:service-v4-port => delivered
answer: bridge:hypervisor:br-svc:h2v4>gre11 | nat64:ll6to4:translated | gre:11:$HV_UL>$GW_UL | bridge:gateway:br-gw:gre11>t2 | port:t2:tenant LAN => delivered
verdict: delivered" tr_gw 2 "$ARP"

expect_hops "native IPv6 request of tenant 3" 0 \
"request: bridge:gateway:br-gw:t3>gre12 | gre:12:$GW_UL>$HV_UL | bridge:hypervisor:br-svc:gre12>h3v6 | port:h3v6:service-v6-port => delivered
answer: bridge:hypervisor:br-svc:h3v6>gre12 | gre:12:$HV_UL>$GW_UL | bridge:gateway:br-gw:gre12>t3 | port:t3:tenant LAN => delivered
verdict: delivered" tr_gw 3 "$UDP6"

expect_hops "without the gateway's switch: what is not seen is said" 0 \
"request: unseen | gre:10:$GW_UL> | bridge:hypervisor:br-svc:gre10>h1v4 | nat64:4toll6:translated | port:h1v4:service-v4-port => delivered
answer: bridge:hypervisor:br-svc:h1v4>gre10 | nat64:ll6to4:translated | gre:10:$HV_UL>$GW_UL | unseen => delivered
verdict: delivered" trace 1 "$UDP"

trace --gateway="$RIG_DIR/gw/ovs-vswitchd.ctl,br-gw,t1" tenant1 "$UDP" \
    > "$RIG_DIR/text"
cat "$RIG_DIR/text"
rig_check "text output names the hops, nat64's headers and the verdict" \
    grep -q 'nat64 4toll6 (prefix fe80::/96): translated' "$RIG_DIR/text" &&
    grep -q 'after:  udp6.*ipv6_src=fe80::c0a8:a,ipv6_dst=fe80::c0a8:64' \
        "$RIG_DIR/text" &&
    grep -q '^verdict: delivered$' "$RIG_DIR/text"

# Broken 1: tenant 2's IPv4 flow gone from the hypervisor's table 1.
rig_ofctl hv dump-flows --no-stats br-svc "table=1,ip,in_port=gre11" \
    > "$RIG_DIR/saved" || exit 1
rig_ofctl hv del-flows br-svc "table=1,ip,in_port=gre11" || exit 1
expect_hops "missing flow on the hypervisor: the default deny drops it" 1 \
"request: bridge:gateway:br-gw:t2>gre11 | gre:11:$GW_UL>$HV_UL | bridge:hypervisor:br-svc:gre11>drop@1/0/l2mt-agent! => dropped
verdict: dropped" tr_gw 2 "$UDP"

# Broken 2: ICMP timestamp, which the translator does not translate.
expect_hops "a frame the translator drops, with its reason" 1 \
"request: bridge:gateway:br-gw:t1>gre10 | gre:10:$GW_UL>$HV_UL | bridge:hypervisor:br-svc:gre10>h1v4 | nat64:4toll6:icmp_unsupported! => dropped
verdict: dropped" \
    tr_gw 1 'icmp,nw_src=192.168.0.10,nw_dst=192.168.0.100,icmp_type=13'

# Broken 3: the gateway sends tenant 3 with key 99.
rig_vsctl gw set interface gre12 options:key=99 || exit 1
rig_wait_until "key 99 on the gateway" 50 \
    sh -c "'$RIG_OVS/utilities/ovs-appctl' -t '$RIG_DIR/gw/ovs-vswitchd.ctl' dpif/show | grep -q key=99"
expect_hops "wrong GRE key: no tunnel port takes it" 1 \
"request: bridge:gateway:br-gw:t3>gre12 | gre:99:$GW_UL>$HV_UL! => dropped
verdict: dropped" tr_gw 3 "$UDP6"
grep -q "no tunnel port on br-svc takes key 99 from $GW_UL (tenant tenant3's key is 12)" \
    "$RIG_DIR/out.json"
rig_check "wrong GRE key: the reason names both keys" test $? = 0
rig_vsctl gw set interface gre12 options:key=12
rig_ofctl hv add-flows br-svc "$RIG_DIR/saved"

# Bad input and a switch that does not answer: exit codes, clear errors.
bad () {
    local _name=$1 _want_rc=$2 _msg=$3 _rc
    shift 3
    "$@" > "$RIG_DIR/bad.out" 2> "$RIG_DIR/bad.err"
    _rc=$?
    echo "    $(cat "$RIG_DIR/bad.err")"
    rig_check "$_name: exit $_want_rc, says so" \
        eval "[ $_rc = $_want_rc ] && grep -q -- \"\$_msg\" '$RIG_DIR/bad.err' && ! [ -s '$RIG_DIR/bad.out' ]"
}
bad "unknown tenant" 2 'no tenant "acme"' trace acme "$UDP"
bad "unparseable packet" 2 'cannot parse the packet "udp,colour=red": .*unknown field colour' \
    trace 1 'udp,colour=red'
bad "a packet with no protocol" 2 'it names no protocol' \
    trace 1 'dl_src=02:00:00:00:00:01'
bad "hypervisor switch that does not answer" 3 'hypervisor switch at .* does not answer' \
    "$TRACE" -c "$RIG_DIR/l2mt.conf" --host=hv \
        --switch="$RIG_DIR/nobody.ctl" 1 "$UDP"
bad "gateway switch that does not answer" 3 'gateway switch at .* does not answer' \
    trace --gateway="$RIG_DIR/nobody.ctl,br-gw,t1" 1 "$UDP"
# A switch that takes the connection and never answers: the gateway's
# ovs-vswitchd stopped.
gwpid=$(cat "$RIG_DIR/gw/ovs-vswitchd.pid")
kill -STOP "$gwpid"
t0=$(date +%s)
bad "a stopped switch: --timeout" 3 'a switch did not answer in time' \
    timeout 10 "$TRACE" -c "$RIG_DIR/l2mt.conf" --host=hv \
        --switch="$RIG_DIR/hv/ovs-vswitchd.ctl" --timeout=2 \
        --gateway="$RIG_DIR/gw/ovs-vswitchd.ctl,br-gw,t1" 1 "$UDP"
kill -CONT "$gwpid"
rig_check "a stopped switch: given up after about 2 s" \
    test $(( $(date +%s) - t0 )) -le 4
bad "unknown host" 2 'no host hv9' \
    "$TRACE" -c "$RIG_DIR/l2mt.conf" --host=hv9 1 "$UDP"

snapshot > "$RIG_DIR/after"
rig_check "no switch changed by the traces (flows, interfaces)" \
    diff -u "$RIG_DIR/before" "$RIG_DIR/after"
rig_finish
