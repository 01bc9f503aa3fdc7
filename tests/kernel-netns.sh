#!/bin/sh
# Copyright (c) 2026 The l2mt authors.
# Licensed under the Apache License, Version 2.0.
#
# The module's nat64 counters are per datapath and each network namespace
# sees its own datapaths only (issue 11, item 6).  Besides the rig's
# ovs-system (init namespace, vswitchd), two namespaces get a datapath
# each from ovs-dpctl: iso_a's translates exactly $K injected frames
# (one kernel flow with nat64), iso_b's none.  l2mt-dpctl and
# 'ovs-appctl nat64/show' must then show, from each namespace, that
# namespace's datapaths with their own exact counts, and nothing of the
# others (not in a dump, not by name, not by ifindex).
#
# On the host this file boots the guest (tests/kernel-lib.sh); in the guest
# it is /scenario, sourced by tests/kernel-guest.sh.

if [ "$$" != 1 ]; then
    . "$top_srcdir/tests/kernel-lib.sh"
    kernel_run netns ours "$0"
    exit
fi

$NAT64 || finish SKIP "the Open vSwitch build has no nat64 action"

K=25
# UDP 192.168.0.10:5000 -> 192.168.0.100:7777, good checksums (as in
# kernel-malformed.sh): translated once by nat64:4toll6.
GOOD=02006404000102000a000001080045000024000140004011b909c0a8000ac0a8006413881e6100106a447878787878787878

# counter FILE DP NAME: counter NAME of datapath DP in l2mt-dpctl output.
counter () {
    awk -v dp="$2" -v n="$3" '
        /^[^ ]/ { cur = $1 }
        cur == dp && $1 == n { print $2; found = 1 }
        END { if (!found) print "none" }' "$1"
}

# datapaths FILE: the datapath names an l2mt-dpctl output lists.
datapaths () {
    awk '/^[^ ]/ { printf "%s%s", sep, $1; sep = " " } END { print "" }' "$1"
}

rig_up
check "t1 reaches the service (ovs-system translates)" \
    expect "svc t1v4" ask t1 udp 192.168.0.100

# Two namespaces with a datapath each, no vswitchd: ovs-dpctl creates them
# in the namespace it runs in.
for _ns in iso_a iso_b; do
    ip netns add $_ns
    in_ns $_ns ip link set lo up
    in_ns $_ns ovs-dpctl add-dp dp_$_ns
    in_ns $_ns ip link add in0 type veth peer name in1
    in_ns $_ns ip link add out0 type veth peer name out1
    for _l in in0 in1 out0 out1; do
        in_ns $_ns ip link set $_l up
    done
    in_ns $_ns ovs-dpctl add-if dp_$_ns in0,port_no=1
    in_ns $_ns ovs-dpctl add-if dp_$_ns out0,port_no=2
    in_ns $_ns ovs-dpctl add-flow dp_$_ns \
        'in_port(1),eth(),eth_type(0x0800),ipv4(frag=no)' \
        'nat64(mode=4toll6,prefix=fe80::/96),2'
done
check "iso_a's kernel flow has the nat64 action" \
    eval "in_ns iso_a ovs-dpctl dump-flows dp_iso_a | tee /dev/stderr | grep -q nat64"
# shellcheck disable=SC2046
in_ns iso_a kernel-probe inject in1 $(for _i in $(seq $K); do echo $GOOD; done)
sleep 1

check "iso_a: l2mt-dpctl show" eval "in_ns iso_a l2mt-dpctl show > /tmp/a"
check "iso_b: l2mt-dpctl show" eval "in_ns iso_b l2mt-dpctl show > /tmp/b"
check "init: l2mt-dpctl show" eval "l2mt-dpctl show > /tmp/init"
for _f in a b init; do
    sed "s/^/    $_f: /" /tmp/$_f | grep -v ' 0\( drop\)\?$'
done

check "iso_a lists its own datapath only" \
    expect dp_iso_a datapaths /tmp/a
check "iso_a: dp_iso_a translated exactly $K" \
    expect $K counter /tmp/a dp_iso_a translated
check "iso_a: dp_iso_a dropped nothing" \
    eval "! awk '\$3 == \"drop\" && \$2 != 0' /tmp/a | grep ."
check "iso_b lists its own datapath only" \
    expect dp_iso_b datapaths /tmp/b
check "iso_b: every counter of dp_iso_b is 0" \
    eval "! awk 'NR > 1 && \$2 != 0' /tmp/b | grep ."
check "init lists ovs-system only" expect ovs-system datapaths /tmp/init
check "init: ovs-system translated the rig's traffic" \
    eval "[ \"\$(counter /tmp/init ovs-system translated)\" -gt 0 ]"

# By name and by ifindex: the namespace's own datapath answers, another
# namespace's does not exist.
check "iso_a: show dp_iso_a" eval "in_ns iso_a l2mt-dpctl show dp_iso_a > /tmp/a1"
check "iso_a: show dp_iso_a translated exactly $K" \
    expect $K counter /tmp/a1 dp_iso_a translated
_ifindex=$(in_ns iso_a cat /sys/class/net/dp_iso_a/ifindex)
check "iso_a: show ifindex:$_ifindex" \
    eval "in_ns iso_a l2mt-dpctl show ifindex:$_ifindex > /tmp/a2"
check "iso_a: show ifindex:$_ifindex is dp_iso_a, translated $K" \
    expect $K counter /tmp/a2 dp_iso_a translated
for _q in "iso_b dp_iso_a" "iso_b ovs-system" "iso_a dp_iso_b" \
          "init dp_iso_a" "init dp_iso_b"; do
    set -- $_q
    if [ $1 = init ]; then _run=; else _run="in_ns $1"; fi
    check "$1: show $2 is no such datapath" eval \
        "$_run l2mt-dpctl show $2 > /tmp/q 2> /tmp/qerr; [ \$? = 1 ] &&
         grep -q 'no such datapath in this network namespace' /tmp/qerr &&
         ! [ -s /tmp/q ]"
done
# An ifindex of iso_a's datapath that iso_b does not have.
if ! in_ns iso_b ip -o link | grep -q "^$_ifindex:"; then
    check "iso_b: show ifindex:$_ifindex is no such datapath" eval \
        "! in_ns iso_b l2mt-dpctl show ifindex:$_ifindex"
fi

# nat64/show names the bridge's own datapath, whose count is read between
# two l2mt-dpctl readings of ovs-system: it is not the sum with iso_a's $K.
l2mt-dpctl show ovs-system > /tmp/s0
ovs-appctl nat64/show br0 > /tmp/show
l2mt-dpctl show ovs-system > /tmp/s1
sed 's/^/    nat64\/show: /' /tmp/show
_lo=$(counter /tmp/s0 ovs-system translated)
_hi=$(counter /tmp/s1 ovs-system translated)
_got=$(sed -n '/^kernel datapath system@ovs-system:/,$p' /tmp/show |
       awk '$1 == "translated:" { print $2 }')
check "nat64/show br0 has the kernel section of system@ovs-system" \
    grep -q '^kernel datapath system@ovs-system:$' /tmp/show
check "nat64/show br0: kernel translated $_got, ovs-system's own ($_lo..$_hi)" \
    eval "[ -n '$_got' ] && [ '$_got' -ge '$_lo' ] && [ '$_got' -le '$_hi' ]"

# A datapath deleted, a namespace gone: the others' counters stay.
in_ns iso_a ovs-dpctl del-dp dp_iso_a
check "iso_a: no datapath left, show lists nothing" \
    eval "in_ns iso_a l2mt-dpctl show > /tmp/a3 && ! [ -s /tmp/a3 ]"
ip netns del iso_b
sleep 1
check "init: ovs-system still shown after the namespaces went" \
    eval "l2mt-dpctl show | grep -q '^ovs-system '"
check "no oops or warning in the kernel log" \
    eval "! dmesg | grep -e 'Oops' -e 'WARNING: CPU' -e 'BUG:' -e 'general protection'"
