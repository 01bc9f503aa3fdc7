/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Copyright (c) 2026 The l2mt authors.
 *
 * OVS_ACTION_ATTR_NAT64 in the openvswitch module: validation and copy
 * (flow_netlink.c), execution (actions.c) and per-reason counters exported
 * through the "l2mt" generic netlink family (datapath.c init/exit).
 */

#ifndef L2MT_ACTION_H
#define L2MT_ACTION_H 1

#include <linux/netlink.h>
#include <linux/skbuff.h>

#include "nat64.h"

struct datapath;
struct sw_flow_actions;
struct sw_flow_key;

/* The 'eth_type' that action validation carries after a translating nat64:
 * no real flow key has it at a point where an L3/L4 set, push_mpls or ct
 * would be accepted, so those are refused until OVS recirculates. */
#define OVS_NAT64_XLATED_ETH_TYPE cpu_to_be16(0xffff)

int ovs_nat64_copy_action(const struct nlattr *attr,
			  const struct sw_flow_key *key,
			  struct sw_flow_actions **sfa, u8 mac_proto,
			  __be16 *eth_type, bool log);
int ovs_nat64_action_to_attr(const struct nlattr *a, struct sk_buff *skb);
/* Returns 0 to go on with the next action, nonzero when the caller must
 * drop 'skb' (already counted).  When it returns 0 with '*frags' set, the
 * packet must leave as the IPv6 fragments in that list (RFC 7915 4), which
 * the caller owns: it runs the rest of the actions on each and frees
 * 'skb'. */
int ovs_nat64_execute(struct datapath *dp, struct sk_buff *skb,
		      struct sw_flow_key *key, const struct nlattr *a,
		      struct sk_buff **frags);

/* Counters (l2mt_counters.c). */
enum l2mt_kcounter {
	/* Below L2MT_N_RESULTS: the translator's enum l2mt_result. */
	L2MT_KC_NO_MEMORY = L2MT_N_RESULTS, /* skb_cow_head() etc. failed. */
	L2MT_KC_BAD_OFFLOAD,		/* GSO or checksum offload we cannot
					 * carry across the translation. */
	L2MT_KC_MAX
};

void ovs_nat64_count(struct datapath *dp, unsigned int counter);
u16 ovs_nat64_next_ip_id(struct datapath *dp);
/* A datapath's counters: allocated with it (datapath.c), so that every
 * datapath a flow can run in has them. */
int ovs_nat64_dp_init(struct datapath *dp);
void ovs_nat64_dp_exit(struct datapath *dp);
int ovs_nat64_init(void);
void ovs_nat64_exit(void);

#endif /* l2mt_action.h */
