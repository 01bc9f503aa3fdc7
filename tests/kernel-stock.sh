#!/bin/sh
# Copyright (c) 2026 The l2mt authors.
# Licensed under the Apache License, Version 2.0.
#
# The multi-tenant scenario on Debian's STOCK openvswitch.ko, which refuses
# the nat64 action: vswitchd must notice, keep nat64 out of kernel flows
# and translate in user space (the slow path), and every tenant must still
# land on its own interfaces.
#
# On the host this file boots the guest (tests/kernel-lib.sh); in the guest
# it is /scenario, sourced by tests/kernel-guest.sh.

if [ "$$" != 1 ]; then
    . "$top_srcdir/tests/kernel-lib.sh"
    kernel_run stock stock "$0"
    exit
fi

$NAT64 || finish SKIP "the Open vSwitch build has no nat64 action"
check "the stock module has no l2mt counters" eval "! l2mt-dpctl show"
rig_up
check_dp_feature "does not support"
check_tenants
check_kernel_flows outside
check_isolation
