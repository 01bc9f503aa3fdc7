#!/bin/sh
# Copyright (c) 2026 The l2mt authors.
# Licensed under the Apache License, Version 2.0.
#
# GRE from the underlay can be spoofed; OVS's own IPsec for GRE tunnels
# stops it (issue 11, item 8).  In the kernel guest's rig, br0's GRE ports
# (init namespace, kernel datapath) get options:psk, ovs-monitor-ipsec
# drives strongSwan for them, and the rig's GRE peer (namespace gw, the
# kernel gretap devices of the tenants) runs its own strongSwan with the
# matching transport-mode connection.  The test proves:
#   (c) positive control, first: without IPsec, a plain GRE frame with
#       tenant 1's key injected on the underlay reaches tenant 1's service
#       interface (so the check below can fail);
#   (a) with IPsec, the tenants' traffic crosses the underlay as ESP only
#       (tcpdump on the underlay, the SAs' packet counters);
#   (b) with IPsec, the same spoofed frame is dropped by the kernel's
#       IPsec policy (XfrmIn* counter) and never reaches the service.
#
# The guest has no python3 or strongSwan of its own: the host's /usr is
# mounted read-only over virtio-9p (python3 for ovs-monitor-ipsec, the
# strongSwan binaries and plugins, tcpdump); /etc's strongSwan files are
# packed into the initramfs.
#
# On the host this file boots the guest (tests/kernel-lib.sh); in the guest
# it is /scenario, sourced by tests/kernel-guest.sh.

if [ "$$" != 1 ]; then
    . "$top_srcdir/tests/kernel-lib.sh"
    for _f in /usr/bin/python3 /usr/sbin/ipsec /usr/lib/ipsec/charon \
              /usr/lib/ipsec/plugins/libstrongswan-gcm.so \
              /etc/strongswan.d /usr/bin/tcpdump; do
        [ -e "$_f" ] || {
            echo "SKIP: $_f is missing (see tools/deps/kernel)"
            exit 77
        }
    done
    /usr/bin/python3 -c 'import sortedcontainers' 2> /dev/null || {
        echo "SKIP: python3-sortedcontainers is missing (see tools/deps/ovs)"
        exit 77
    }
    # xfrm/ESP with AES-GCM (ovs-monitor-ipsec's esp=aes256gcm16): the
    # guest has no modprobe, so the crypto templates are loaded up front,
    # and the default RNG that seqiv (ESP's IV generator) takes: without
    # drbg, adding the SA fails with ENOENT.  virtio-9p for the host's /usr.
    K_EXTRA_MODULES="kernel/crypto/drbg.ko
        kernel/crypto/ctr.ko kernel/crypto/ghash-generic.ko
        kernel/crypto/gcm.ko kernel/crypto/seqiv.ko kernel/crypto/echainiv.ko
        kernel/crypto/authenc.ko kernel/net/ipv4/esp4.ko
        kernel/net/xfrm/xfrm_user.ko
        kernel/drivers/virtio/virtio_pci.ko kernel/net/9p/9pnet_virtio.ko
        kernel/fs/9p/9p.ko"
    K_QEMU_ARGS="-virtfs local,path=/usr,mount_tag=hostusr,security_model=none,readonly=on"
    kernel_pack_extra () {
        mkdir -p "$K_ROOT/usr" "$K_ROOT/ovs/python" "$K_ROOT/etc/netns/gw"
        cp "$L2MT_OVS_BUILDDIR/ipsec/ovs-monitor-ipsec" "$K_ROOT/ovs/"
        (cd "$L2MT_OVS_BUILDDIR/python" &&
         find ovs -name '*.py' | cpio -pdm --quiet "$K_ROOT/ovs/python")
        cp -r /etc/strongswan.d /etc/ipsec.d "$K_ROOT/etc/"
        # starter reads "leftprotoport=gre" through getprotobyname().
        cp /etc/protocols /etc/services "$K_ROOT/etc/"
        : > "$K_ROOT/etc/ipsec.conf"
        : > "$K_ROOT/etc/ipsec.secrets"
        # One strongswan.conf per IKE daemon, for its own log file.
        for _who in hv gw; do
            cat > "$K_ROOT/etc/strongswan-$_who.conf" <<EOF
charon {
    load_modular = yes
    filelog {
        test {
            path = /tmp/charon-$_who.log
            default = 1
            ike = 2
            knl = 2
        }
    }
    plugins {
        include strongswan.d/charon/*.conf
    }
}
include strongswan.d/*.conf
EOF
        done
        mv "$K_ROOT/etc/strongswan-hv.conf" "$K_ROOT/etc/strongswan.conf"
        mv "$K_ROOT/etc/strongswan-gw.conf" "$K_ROOT/etc/netns/gw/strongswan.conf"
    }
    kernel_run ipsec ours "$0" 300
    exit
fi

PSK=l2mt-test-psk-0123456789
# Plain GRE (key 10: tenant 1) 172.31.255.1 -> 172.31.255.2 carrying
# UDP [fe80::c0a8:a]:5000 -> [fe80::c0a8:64]:7777 "spoofed-gre" for t1v6,
# good checksums; the Ethernet addresses are put in front in the guest.
SPOOF=08004500006542424000402fa1e4ac1fff01ac1fff02200065580000000a02006406000102000a00000186dd6000000000131140fe8000000000000000000000c0a8000afe8000000000000000000000c0a8006413881e610013d53873706f6f6665642d677265

mkdir -p /usr
mount -t 9p -o trans=virtio,version=9p2000.L,ro,msize=262144,cache=loose \
    hostusr /usr || finish SKIP "cannot mount the host's /usr over virtio-9p"
[ -x /usr/bin/python3 ] && [ -x /usr/sbin/ipsec ] ||
    finish SKIP "no python3 or strongSwan in the host's /usr"
# After busybox: the ipsec script's helpers.
export PATH="$PATH:/usr/sbin:/usr/bin"

# ipsec_configure PSK|off: IPsec for br0's GRE ports.  This is where the
# agent takes over: its host option "ipsec-psk SECRET" (l2mt.conf(5)) sets
# the same options:psk on every tunnel interface.  Every tunnel to one remote gets it:
# the kernel's IPsec policy selects by protocol (GRE) and addresses, not by
# GRE key, so a tunnel without it to the same remote would be refused too.
ipsec_configure () {
    _args=
    for _n in $TENANTS; do
        if [ "$1" = off ]; then
            _args="$_args -- remove interface gre$_n options psk"
        else
            _args="$_args -- set interface gre$_n options:psk=$1"
        fi
    done
    # shellcheck disable=SC2086
    ovs-vsctl ${_args# -- }
}

# The peer (namespace gw): its own strongSwan, with its own /var/run in its
# own mount namespace (ip netns exec binds /etc/netns/gw/* over /etc).
peer_ipsec_start () {
    cat > /etc/netns/gw/ipsec.conf <<EOF
config setup
    uniqueids=yes

conn %default
    keyingtries=%forever
    type=transport
    keyexchange=ikev2
    ike=aes256gcm16-sha256-modp2048
    esp=aes256gcm16-modp2048

conn hv
    left=$UL_GW
    right=$UL_HV
    leftprotoport=gre
    rightprotoport=gre
    authby=psk
    auto=route
EOF
    echo "$UL_GW $UL_HV : PSK \"$PSK\"" > /etc/netns/gw/ipsec.secrets
    in_ns gw sh -c 'mount -t tmpfs tmpfs /var/run && ipsec start' \
        > /tmp/ipsec-gw.out 2>&1
}

# hit LINE: how many times the service logged LINE.
hits () {
    grep -c "^$1\$" /tmp/svc.log
}

# inject_spoof: the spoofed frame, from the gw side of the underlay.
inject_spoof () {
    _dst=$(tr -d : < /sys/class/net/ul-hv/address)
    _src=$(in_ns gw cat /sys/class/net/ul-gw/address | tr -d :)
    in_ns gw kernel-probe inject ul-gw "$_dst$_src$SPOOF"
}

# xfrm_in_errors: the sum of the kernel's XfrmIn* error counters.
xfrm_in_errors () {
    awk '$1 ~ /^XfrmIn/ { s += $2 } END { print s + 0 }' /proc/net/xfrm_stat
}

# sa_packets SRC: packets counted by the ESP SAs from SRC.
sa_packets () {
    ip -s xfrm state | awk -v src="$1" '
        /^src / { cur = $2 }
        /\(packets\)/ && cur == src { gsub(/.*, |\(packets\)/, ""); s += $0 }
        END { print s + 0 }'
}

# wait_for SECONDS CMD...: retries CMD once a second.
wait_for () {
    _left=$1
    shift
    until "$@" > /dev/null 2>&1; do
        _left=$((_left - 1))
        [ $_left -gt 0 ] || return 1
        sleep 1
    done
}

rig_up
check "t1 reaches the service over plain GRE" \
    expect "svc t1v6" ask t1 udp "fe80::c0a8:64%eth0"

# (c) Positive control: no IPsec, the spoofed frame is tenant 1's traffic.
inject_spoof
check "without IPsec, a spoofed GRE frame reaches t1v6 (positive control)" \
    wait_for 5 eval '[ "$(hits "t1v6 spoofed-gre")" = 1 ]'

# IPsec on both ends.
peer_ipsec_start
PYTHONPATH=/ovs/python /usr/bin/python3 /ovs/ovs-monitor-ipsec \
    --ike-daemon=strongswan --pidfile --detach --log-file \
    -vfile:dbg unix:/run/ovs/db.sock > /tmp/monitor.out 2>&1 ||
    finish SKIP "ovs-monitor-ipsec does not start: $(tail -n 3 /tmp/monitor.out)"
ipsec_configure "$PSK"
say "IPsec configured at $(cut -d' ' -f1 /proc/uptime) s"
# auto=route: the first GRE packet makes IKE negotiate; ask retries.
check "ovs-monitor-ipsec wrote gre1's connection" \
    wait_for 30 grep -q '^conn gre1-' /etc/ipsec.conf
check "t1 reaches the service through IPsec" expect "svc t1v6" \
    in_ns t1 kernel-probe ask udp "fe80::c0a8:64%eth0" $PORT t1 60
say "SAs up at $(cut -d' ' -f1 /proc/uptime) s"

# (a) ESP on the underlay, no plain GRE.
/usr/bin/tcpdump -Z root -l -n -i ul-hv 'ip proto 47 or ip proto 50' \
    > /tmp/ul.txt 2> /tmp/tcpdump.err &
_tcpdump=$!
wait_for 15 grep -q 'listening on' /tmp/tcpdump.err
_out0=$(sa_packets $UL_HV)
_in0=$(sa_packets $UL_GW)
for _n in $TENANTS; do
    check "t$_n: UDP to fe80::c0a8:64%eth0 lands on t${_n}v6 (IPsec)" \
        expect "svc t${_n}v6" ask t$_n udp "fe80::c0a8:64%eth0"
    check "t$_n: TCP to fe80::c0a8:64%eth0 lands on t${_n}v6 (IPsec)" \
        expect "svc t${_n}v6" ask t$_n tcp "fe80::c0a8:64%eth0"
done
sleep 1
kill $_tcpdump
wait $_tcpdump 2> /dev/null
_out1=$(sa_packets $UL_HV)
_in1=$(sa_packets $UL_GW)
sed 's/^/    underlay: /' /tmp/ul.txt | head -n 6
check "underlay: ESP packets seen ($(grep -c ESP /tmp/ul.txt))" \
    eval "[ \$(grep -c ESP /tmp/ul.txt) -ge $((4 * 3)) ]"
check "underlay: no plain GRE ($(grep -c GRE /tmp/ul.txt))" \
    eval "! grep GRE /tmp/ul.txt"
check "outbound SAs counted $((_out1 - _out0)) packets" \
    [ $((_out1 - _out0)) -ge 6 ]
check "inbound SAs counted $((_in1 - _in0)) packets" \
    [ $((_in1 - _in0)) -ge 6 ]

# (b) The same spoofed frame: refused by the IPsec policy, not delivered.
_err0=$(xfrm_in_errors)
inject_spoof
sleep 3
_err1=$(xfrm_in_errors)
check "with IPsec, the spoofed GRE frame never reaches t1v6" \
    [ "$(hits "t1v6 spoofed-gre")" = 1 ]
check "with IPsec, the kernel's policy dropped it (XfrmIn* +$((_err1 - _err0)))" \
    [ $((_err1 - _err0)) -ge 1 ]
awk '$2 != 0 { print "    xfrm_stat: " $1, $2 }' /proc/net/xfrm_stat
check "t1 still reaches the service after the spoof" \
    expect "svc t1v6" ask t1 udp "fe80::c0a8:64%eth0"

if [ "$FAILS" != 0 ]; then
    {
        ip xfrm policy
        ip -s xfrm state
        cat /etc/ipsec.conf
        tail -n 30 /run/ovs/ovs-monitor-ipsec.log
        tail -n 30 /tmp/charon-hv.log
        tail -n 30 /tmp/charon-gw.log
        cat /tmp/ipsec-gw.out /tmp/monitor.out /tmp/tcpdump.err
    } 2>&1 | sed 's/^/    ipsec: /'
fi
