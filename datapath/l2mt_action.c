// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (c) 2026 The l2mt authors.
 *
 * OVS_ACTION_ATTR_NAT64: stateless IPv4 <-> IPv6 translation of the whole
 * frame by the l2mt translator core (lib/nat64*.c, compiled into this
 * module), with the sk_buff bookkeeping the core leaves to its caller.
 */

#include <linux/if_ether.h>
#include <linux/in.h>
#include <linux/in6.h>
#include <linux/skbuff.h>
#include <linux/string.h>
#include <linux/tcp.h>
#include <linux/udp.h>
#include <net/netlink.h>

#include "conntrack.h"
#include "datapath.h"
#include "flow.h"
#include "flow_netlink.h"
#include "l2mt_action.h"

/* The action as stored in a flow's actions: the user's argument (either
 * size: 'arg_len'), to dump it back unchanged, and the translator
 * configuration made from it once, at flow installation. */
struct ovs_nat64_action {
	struct ovs_action_nat64_mtu arg;
	u32 arg_len;
	struct l2mt_cfg cfg;
};

int ovs_nat64_copy_action(const struct nlattr *attr,
			  const struct sw_flow_key *key,
			  struct sw_flow_actions **sfa, u8 mac_proto,
			  __be16 *eth_type, bool log)
{
	struct ovs_nat64_action act = { .arg_len = nla_len(attr) };
	const struct ovs_action_nat64 *arg = &act.arg.base;
	enum l2mt_prefix_error bad_prefix;
	const char *bad_mtu;
	int err;

	/* 16 bytes: no MTUs; 20: struct ovs_action_nat64_mtu. */
	if (act.arg_len != sizeof(act.arg.base) &&
	    act.arg_len != sizeof(act.arg)) {
		OVS_NLERR(log, "nat64: argument of %u bytes, not %zu or %zu",
			  act.arg_len, sizeof(act.arg.base), sizeof(act.arg));
		return -EINVAL;
	}
	memcpy(&act.arg, nla_data(attr), act.arg_len);

	if (arg->mode > L2MT_MODE_LL6TO4 || memchr_inv(arg->pad, 0,
						       sizeof(arg->pad))) {
		OVS_NLERR(log, "nat64: bad mode %u or nonzero padding",
			  arg->mode);
		return -EINVAL;
	}
	/* The translator core's prefix rules, the ones every user-space
	 * parser applies: user space may send any 12 bytes. */
	bad_prefix = l2mt_prefix_check(arg->prefix);
	if (bad_prefix != L2MT_PREFIX_OK) {
		struct in6_addr prefix = {};

		memcpy(prefix.s6_addr, arg->prefix, sizeof(arg->prefix));
		OVS_NLERR(log, "nat64: prefix %pI6c/96: %s", &prefix,
			  l2mt_prefix_error_string(bad_prefix));
		return -EINVAL;
	}
	bad_mtu = l2mt_mtu_check(act.arg.mtu6, act.arg.mtu4);
	if (bad_mtu) {
		OVS_NLERR(log, "nat64: %s", bad_mtu);
		return -EINVAL;
	}

	/* The core works on whole Ethernet frames; a second, inline VLAN
	 * tag (the first one is in skb->vlan_tci) would hide the
	 * ethertype. */
	if (arg->mode != L2MT_MODE_NORMAL &&
	    (mac_proto != MAC_PROTO_ETHERNET ||
	     key->eth.cvlan.tci & htons(VLAN_CFI_MASK))) {
		OVS_NLERR(log, "nat64: needs an Ethernet frame with at most one VLAN tag");
		return -EINVAL;
	}
	if ((arg->mode == L2MT_MODE_4TOLL6 &&
	     *eth_type != htons(ETH_P_IP) && *eth_type != htons(ETH_P_ARP)) ||
	    (arg->mode == L2MT_MODE_LL6TO4 && *eth_type != htons(ETH_P_IPV6))) {
		OVS_NLERR(log, "nat64: mode %s does not match ethertype %#x",
			  l2mt_mode_name(arg->mode), ntohs(*eth_type));
		return -EINVAL;
	}

	l2mt_cfg_init(&act.cfg, arg->prefix, 0);
	l2mt_cfg_set_mtu(&act.cfg, act.arg.mtu6, act.arg.mtu4);
	err = ovs_nla_add_action(sfa, OVS_ACTION_ATTR_NAT64, &act,
				 sizeof(act), log);
	if (err)
		return err;
	if (arg->mode != L2MT_MODE_NORMAL)
		*eth_type = OVS_NAT64_XLATED_ETH_TYPE;
	return 0;
}

int ovs_nat64_action_to_attr(const struct nlattr *a, struct sk_buff *skb)
{
	const struct ovs_nat64_action *act = nla_data(a);

	return nla_put(skb, OVS_ACTION_ATTR_NAT64, act->arg_len, &act->arg);
}

/* The core updates a TCP or UDP checksum field that holds only the
 * pseudo-header sum (CHECKSUM_PARTIAL); any other offloaded checksum is
 * finished in software first. */
static bool nat64_csum_partial_ok(const struct sk_buff *skb,
				  const struct sw_flow_key *key)
{
	if (key->mac_proto & SW_FLOW_KEY_INVALID ||
	    !skb_transport_header_was_set(skb) ||
	    skb_checksum_start(skb) != skb_transport_header(skb))
		return false;
	if (key->ip.proto == IPPROTO_TCP)
		return skb->csum_offset == offsetof(struct tcphdr, check);
	if (key->ip.proto == IPPROTO_UDP)
		return skb->csum_offset == offsetof(struct udphdr, check);
	return false;
}

#define NAT64_GSO_TYPES (SKB_GSO_TCPV4 | SKB_GSO_TCPV6 | SKB_GSO_UDP_L4 | \
			 SKB_GSO_DODGY | SKB_GSO_TCP_ECN | SKB_GSO_TCP_FIXEDID)

/* Makes 'skb' fit for the core: writable headroom for the growth, a
 * checksum state it can carry over.  Returns a drop counter or -1. */
static int nat64_prepare(struct sk_buff *skb, const struct sw_flow_key *key)
{
	if (skb->ip_summed == CHECKSUM_PARTIAL &&
	    !nat64_csum_partial_ok(skb, key)) {
		if (skb_is_gso(skb))
			return L2MT_KC_BAD_OFFLOAD;
		if (skb_checksum_help(skb))
			return L2MT_KC_NO_MEMORY;
	}
	if (skb_is_gso(skb) && skb_shinfo(skb)->gso_type & ~NAT64_GSO_TYPES)
		return L2MT_KC_BAD_OFFLOAD;
	if (skb_cow_head(skb, L2MT_MAX_GROWTH))
		return L2MT_KC_NO_MEMORY;
	return -1;
}

/* Moves 'skb' onto the frame the core produced in 'pkt' and fixes what
 * describes it: protocol, header offsets, checksum state, GSO type. */
static int nat64_update_skb(struct sk_buff *skb, const struct l2mt_pkt *pkt)
{
	if (pkt->data < skb->data)
		__skb_push(skb, skb->data - pkt->data);
	else
		__skb_pull(skb, pkt->data - skb->data);
	if (pkt->len < skb->len && pskb_trim(skb, pkt->len))
		return L2MT_KC_NO_MEMORY;

	skb->protocol = htons(pkt->ethertype);
	skb_reset_mac_header(skb);
	skb->mac_len = pkt->l3_ofs;
	skb_set_network_header(skb, pkt->l3_ofs);
	skb_set_transport_header(skb, pkt->l4_ofs ? pkt->l4_ofs : pkt->l3_ofs);

	if (skb->ip_summed == CHECKSUM_PARTIAL)
		skb->csum_start = skb_headroom(skb) + pkt->l4_ofs;
	else if (skb->ip_summed == CHECKSUM_COMPLETE)
		skb->ip_summed = CHECKSUM_NONE;

	if (skb_is_gso(skb)) {
		struct skb_shared_info *shinfo = skb_shinfo(skb);

		if (pkt->ethertype == ETH_P_IPV6 &&
		    shinfo->gso_type & SKB_GSO_TCPV4) {
			shinfo->gso_type &= ~(SKB_GSO_TCPV4 |
					      SKB_GSO_TCP_FIXEDID);
			shinfo->gso_type |= SKB_GSO_TCPV6;
		} else if (pkt->ethertype == ETH_P_IP &&
			   shinfo->gso_type & SKB_GSO_TCPV6) {
			shinfo->gso_type &= ~SKB_GSO_TCPV6;
			shinfo->gso_type |= SKB_GSO_TCPV4;
		}
	}
	skb_clear_hash(skb);
	return -1;
}

/* Headroom of a fragment: what later actions push (VLAN tags, tunnel
 * headers) fits without a reallocation. */
#define NAT64_FRAG_HEADROOM (LL_MAX_HEADER + 64)

/* RFC 7915 4: cuts translated 'skb' ('pkt') into the IPv6 fragments the
 * core emits, each a new skb with 'skb''s metadata (device, mark, OVS
 * control block).  The core picks the Fragment header's identification
 * (the IPv4 ID, 4.1), which ip6_fragment() would not.  Returns the list,
 * or NULL when out of memory. */
static struct sk_buff *nat64_fragment(struct sk_buff *skb,
				      struct l2mt_pkt *pkt)
{
	struct sk_buff *head = NULL, **tail = &head;
	u32 i, n;

	if (skb_linearize(skb))
		return NULL;
	pkt->data = skb->data;
	pkt->len = skb->len;
	pkt->linear = skb->len;
	n = l2mt_frag_count(pkt);
	for (i = 0; i < n; i++) {
		u32 len = l2mt_frag_len(pkt, i);
		struct sk_buff *frag;

		frag = alloc_skb(NAT64_FRAG_HEADROOM + len, GFP_ATOMIC);
		if (!frag)
			goto nomem;
		skb_reserve(frag, NAT64_FRAG_HEADROOM);
		if (l2mt_frag_emit(pkt, i, skb_put(frag, len), len) != len) {
			kfree_skb(frag);
			goto nomem;
		}
		/* Device, dst, mark, priority, cb (OVS_CB), ...; then what
		 * describes this frame. */
		skb_copy_header(frag, skb);
		skb_shinfo(frag)->gso_size = 0;
		skb_shinfo(frag)->gso_segs = 0;
		skb_shinfo(frag)->gso_type = 0;
		frag->ip_summed = CHECKSUM_NONE;
		frag->protocol = htons(ETH_P_IPV6);
		skb_reset_mac_header(frag);
		frag->mac_len = pkt->l3_ofs;
		skb_set_network_header(frag, pkt->l3_ofs);
		skb_set_transport_header(frag, !i && pkt->l4_ofs ?
					 pkt->l4_ofs + 8 : pkt->l3_ofs + 48);
		skb_clear_hash(frag);
		*tail = frag;
		tail = &frag->next;
	}
	return head;

nomem:
	kfree_skb_list(head);
	return NULL;
}

static enum l2mt_result nat64_translate(struct datapath *dp,
					struct sk_buff *skb,
					const struct ovs_nat64_action *act,
					struct l2mt_pkt *pkt)
{
	*pkt = (struct l2mt_pkt) {
		.data = skb->data,
		.len = skb->len,
		.linear = skb_headlen(skb),
		.headroom = skb_headroom(skb),
		.ip_id = ovs_nat64_next_ip_id(dp),
		.csum_partial = skb->ip_summed == CHECKSUM_PARTIAL,
	};
	return l2mt_translate(&act->cfg, act->arg.base.mode, pkt);
}

int ovs_nat64_execute(struct datapath *dp, struct sk_buff *skb,
		      struct sw_flow_key *key, const struct nlattr *a,
		      struct sk_buff **frags)
{
	const struct ovs_nat64_action *act = nla_data(a);
	enum l2mt_result r;
	struct l2mt_pkt pkt;
	int drop;

	if (act->arg.base.mode == L2MT_MODE_NORMAL) {
		ovs_nat64_count(dp, L2MT_PASSED);
		return 0;
	}

	drop = nat64_prepare(skb, key);
	if (drop >= 0)
		goto drop;
	r = nat64_translate(dp, skb, act, &pkt);
	if (r == L2MT_NEED_LINEAR) {
		/* Headers reach into paged data: make it one piece, once. */
		ovs_nat64_count(dp, L2MT_NEED_LINEAR);
		if (skb_linearize(skb) || skb_cow_head(skb, L2MT_MAX_GROWTH)) {
			drop = L2MT_KC_NO_MEMORY;
			goto drop;
		}
		r = nat64_translate(dp, skb, act, &pkt);
	}
	if (r != L2MT_XLATED && r != L2MT_PASSED) {
		drop = r;
		goto drop;
	}
	if (r == L2MT_XLATED) {
		drop = nat64_update_skb(skb, &pkt);
		if (drop >= 0)
			goto drop;
		/* The packet left the key behind, and its conntrack entry,
		 * of the other family, with it. */
		if (skb_nfct(skb) || key->ct_state)
			ovs_ct_clear(skb, key);
		key->mac_proto |= SW_FLOW_KEY_INVALID;
		/* A GSO packet's segments are what the wire sees: they are
		 * not cut here. */
		if (pkt.frag_size && !skb_is_gso(skb)) {
			*frags = nat64_fragment(skb, &pkt);
			if (!*frags) {
				drop = L2MT_KC_NO_MEMORY;
				goto drop;
			}
		}
	}
	ovs_nat64_count(dp, r);
	return 0;

drop:
	ovs_nat64_count(dp, drop);
	return 1;
}
