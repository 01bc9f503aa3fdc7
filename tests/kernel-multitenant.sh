#!/bin/sh
# Copyright (c) 2026 The l2mt authors.
# Licensed under the Apache License, Version 2.0.
#
# The multi-tenant scenario in the kernel datapath, with our openvswitch.ko:
# three tenants with the same 192.168.0.10 over kernel GRE ports (keys
# 10-12) reach one service namespace whose interfaces are all fe80::c0a8:64;
# each tenant's requests, translated (nat64) or native IPv6, land on its own
# interface (the answer names it), ARP resolves through NDP, and the kernel
# flows carry the nat64 action.  The module refuses a nat64 action whose
# raw prefix breaks the core's rules.  Also the isolation matrix of all
# pairs.
#
# On the host this file boots the guest (tests/kernel-lib.sh); in the guest
# it is /scenario, sourced by tests/kernel-guest.sh.

if [ -z "${L2MT_GUEST:-}" ] && [ "$$" != 1 ]; then
    . "$top_srcdir/tests/kernel-lib.sh"
    kernel_run multitenant ours "$0"
    exit
fi

$NAT64 || finish SKIP "the Open vSwitch build has no nat64 action"
rig_up
check_dp_feature supports
check_tenants
check_kernel_flows inside
check_kernel_prefix_rules
check "nat64/show adds ovs-system's counters (translated > 0)" \
    eval "ovs-appctl nat64/show br0 | tee /dev/stderr |
          sed -n '/^kernel datapath system@ovs-system:$/,\$p' | grep -q '^  translated: [1-9]'"
check_isolation
