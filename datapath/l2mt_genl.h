/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/*
 * Copyright (c) 2026 The l2mt authors.
 *
 * The "l2mt" generic netlink family of the patched openvswitch module: the
 * nat64 action's translated/passed/dropped counters, per reason, summed
 * over all CPUs.  Shared by the module and user space (l2mt-dpctl,
 * ovs-vswitchd); user space needs only this header and the family name.
 *
 * Request: L2MT_CMD_GET with no attributes.  Reply: one L2MT_ATTR_COUNTER
 * per counter, in a stable order, each nesting its name, value and, for
 * counters that count dropped packets, the L2MT_COUNTER_ATTR_DROP flag.
 * Names are those of the translator core (lib/nat64.h, e.g.
 * "bad_ipv4_header") plus the module's own ("no_memory",
 * "unsupported_offload").  New counters may be appended: readers print
 * what they get.
 */

#ifndef L2MT_GENL_H
#define L2MT_GENL_H 1

#define L2MT_GENL_NAME "l2mt"
#define L2MT_GENL_VERSION 1

enum l2mt_genl_cmd {
	L2MT_CMD_UNSPEC,
	L2MT_CMD_GET,		/* Reply: L2MT_ATTR_COUNTER... */
	__L2MT_CMD_MAX
};
#define L2MT_CMD_MAX (__L2MT_CMD_MAX - 1)

enum l2mt_genl_attr {
	L2MT_ATTR_UNSPEC,
	L2MT_ATTR_COUNTER,	/* Nested L2MT_COUNTER_ATTR_*. */
	__L2MT_ATTR_MAX
};
#define L2MT_ATTR_MAX (__L2MT_ATTR_MAX - 1)

enum l2mt_counter_attr {
	L2MT_COUNTER_ATTR_UNSPEC,
	L2MT_COUNTER_ATTR_NAME,	/* NUL-terminated string. */
	L2MT_COUNTER_ATTR_VALUE,	/* u64: packets. */
	L2MT_COUNTER_ATTR_DROP,	/* Flag: the packets were dropped. */
	L2MT_COUNTER_ATTR_PAD,
	__L2MT_COUNTER_ATTR_MAX
};
#define L2MT_COUNTER_ATTR_MAX (__L2MT_COUNTER_ATTR_MAX - 1)

#endif /* l2mt_genl.h */
