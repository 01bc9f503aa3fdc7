/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/*
 * Copyright (c) 2026 The l2mt authors.
 *
 * The "l2mt" generic netlink family of the patched openvswitch module: the
 * nat64 action's translated/passed/dropped counters, per reason, summed
 * over all CPUs, per datapath.  Shared by the module and user space
 * (l2mt-dpctl, ovs-vswitchd); user space needs only this header and the
 * family name.
 *
 * The family is netnsok, and a request sees only the datapaths of the
 * network namespace of the socket it came from: another namespace's
 * datapaths do not exist for it, by name, by ifindex or in a dump.
 *
 * Requests (L2MT_CMD_GET):
 * - With NLM_F_DUMP: one reply per datapath of the caller's namespace,
 *   each with L2MT_ATTR_DP_NAME, L2MT_ATTR_DP_IFINDEX and the counters.
 *   None when the namespace has no datapath.
 * - Without NLM_F_DUMP, naming a datapath by L2MT_ATTR_DP_NAME and/or
 *   L2MT_ATTR_DP_IFINDEX (the ifindex of its local port): that datapath's
 *   reply; ENODEV if the caller's namespace has no such datapath.
 * - Without NLM_F_DUMP and without a datapath (what version 1 readers
 *   send): one reply, the counters summed over the caller's namespace's
 *   datapaths, with no L2MT_ATTR_DP_* attribute.
 *
 * A reply carries one L2MT_ATTR_COUNTER per counter, in a stable order,
 * each nesting its name, value and, for counters that count dropped
 * packets, the L2MT_COUNTER_ATTR_DROP flag.  Names are those of the
 * translator core (lib/nat64.h, e.g. "bad_ipv4_header") plus the module's
 * own ("no_memory", "unsupported_offload").  New counters and attributes
 * may be appended: readers print what they get and ignore the rest.
 *
 * Versions: 1 counted module-wide (every namespace read every datapath's
 * counts) and knew no L2MT_ATTR_DP_*.  2 counts per datapath and scopes
 * every request to the caller's namespace; a version 1 request is answered
 * as above (the namespace's sum), so version 1 readers keep working and
 * see only their own namespace.
 */

#ifndef L2MT_GENL_H
#define L2MT_GENL_H 1

#define L2MT_GENL_NAME "l2mt"
#define L2MT_GENL_VERSION 2

enum l2mt_genl_cmd {
	L2MT_CMD_UNSPEC,
	L2MT_CMD_GET,		/* Reply: [L2MT_ATTR_DP_*] L2MT_ATTR_COUNTER... */
	__L2MT_CMD_MAX
};
#define L2MT_CMD_MAX (__L2MT_CMD_MAX - 1)

enum l2mt_genl_attr {
	L2MT_ATTR_UNSPEC,
	L2MT_ATTR_COUNTER,	/* Nested L2MT_COUNTER_ATTR_*. */
	L2MT_ATTR_DP_NAME,	/* NUL-terminated string (version 2). */
	L2MT_ATTR_DP_IFINDEX,	/* u32: the datapath's local port (v2). */
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
