#!/bin/sh
# Copyright (c) 2026 The l2mt authors.
# Licensed under the Apache License, Version 2.0.
#
# The rig of bench/kernel-jool.sh, checked: in the qemu guest, l2mt's
# kernel nat64 (our openvswitch.ko, prefix 64:ff9b::/96) and Jool's SIIT
# (pool6 64:ff9b::/96) each translate the same pktgen frames both ways,
# and plain OVS output forwards them untouched.  A receiver checks each
# case: every frame arrives, its ethertype, protocol, addresses and ports
# are the translation's, and the receiver's UDP finds its checksum good
# (tests/kernel-jool-lib.sh).  So the benchmark measures translators that
# work, on frames that are what it says.
#
# On the host this file boots the guest (tests/kernel-lib.sh); in the guest
# it is /scenario, sourced by tests/kernel-guest.sh.

if [ "$$" != 1 ]; then
    . "$top_srcdir/tests/kernel-lib.sh"
    . "$top_srcdir/tests/kernel-jool-lib.sh"
    jool_host_setup || exit
    K_SMP=1 kernel_run jool ours "$0" 600
    exit
fi

. /jool-lib.sh
$NAT64 || finish SKIP "the Open vSwitch build has no nat64 action"
jool_rig_up
xr_sinks_accept on
for _c in $XR_CASES; do
    xr_check $_c 5
done
