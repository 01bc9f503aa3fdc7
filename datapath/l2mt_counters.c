// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (c) 2026 The l2mt authors.
 *
 * Per-CPU counters of the nat64 action, per datapath, one per translator
 * result and per drop reason of our own, read through the "l2mt" generic
 * netlink family (l2mt_genl.h).  Actions run with bottom halves disabled,
 * so a CPU's counters have a single writer.  The family answers a network
 * namespace about its own datapaths only: tenants behind different
 * namespaces must not see each other's traffic figures.
 */

#include <linux/netdevice.h>
#include <linux/percpu.h>
#include <linux/u64_stats_sync.h>
#include <net/genetlink.h>
#include <net/netns/generic.h>

#include "datapath.h"
#include "l2mt_action.h"
#include "l2mt_genl.h"
#include "vport.h"

struct ovs_nat64_pcpu {
	u64_stats_t n[L2MT_KC_MAX];
	struct u64_stats_sync syncp;
	u16 ip_id;
};

void ovs_nat64_count(struct datapath *dp, unsigned int counter)
{
	struct ovs_nat64_pcpu *s = this_cpu_ptr(dp->nat64_stats);

	if (WARN_ON_ONCE(counter >= L2MT_KC_MAX))
		return;
	u64_stats_update_begin(&s->syncp);
	u64_stats_inc(&s->n[counter]);
	u64_stats_update_end(&s->syncp);
}

/* IPv4 IDs for ll6to4 packets without a Fragment header: a per-CPU
 * sequence of the datapath, as RFC 7915 lets the translator choose (per
 * datapath: one namespace cannot probe another's packet rate with it). */
u16 ovs_nat64_next_ip_id(struct datapath *dp)
{
	return this_cpu_inc_return(dp->nat64_stats->ip_id);
}

int ovs_nat64_dp_init(struct datapath *dp)
{
	int cpu;

	dp->nat64_stats = alloc_percpu(struct ovs_nat64_pcpu);
	if (!dp->nat64_stats)
		return -ENOMEM;
	for_each_possible_cpu(cpu) {
		struct ovs_nat64_pcpu *s = per_cpu_ptr(dp->nat64_stats, cpu);

		u64_stats_init(&s->syncp);
		s->ip_id = get_random_u16();
	}
	return 0;
}

void ovs_nat64_dp_exit(struct datapath *dp)
{
	free_percpu(dp->nat64_stats);
	dp->nat64_stats = NULL;
}

static const char *nat64_counter_name(unsigned int i)
{
	switch (i) {
	case L2MT_KC_NO_MEMORY:
		return "no_memory";
	case L2MT_KC_BAD_OFFLOAD:
		return "unsupported_offload";
	default:
		return l2mt_result_name(i);
	}
}

static bool nat64_counter_is_drop(unsigned int i)
{
	return i >= L2MT_N_RESULTS || l2mt_result_is_drop(i);
}

/* Adds 'dp''s counters, summed over all CPUs, to 'sum'. */
static void nat64_dp_sum(const struct datapath *dp, u64 sum[L2MT_KC_MAX])
{
	int cpu;

	for_each_possible_cpu(cpu) {
		const struct ovs_nat64_pcpu *s = per_cpu_ptr(dp->nat64_stats,
							     cpu);
		u64 v[L2MT_KC_MAX];
		unsigned int start, i;

		do {
			start = u64_stats_fetch_begin(&s->syncp);
			for (i = 0; i < L2MT_KC_MAX; i++)
				v[i] = u64_stats_read(&s->n[i]);
		} while (u64_stats_fetch_retry(&s->syncp, start));
		for (i = 0; i < L2MT_KC_MAX; i++)
			sum[i] += v[i];
	}
}

/* The ifindex of 'dp''s local port.  Called with ovs_mutex. */
static int nat64_dp_ifindex(const struct datapath *dp)
{
	const struct vport *local = ovs_vport_ovsl(dp, OVSP_LOCAL);

	return local ? local->dev->ifindex : 0;
}

static struct genl_family l2mt_genl_family;

/* Fills a reply: 'dp''s identity and counters, or with 'dp' NULL the sum
 * over the datapaths of 'net'.  Called with ovs_mutex. */
static int nat64_fill(struct sk_buff *skb, u32 portid, u32 seq, int flags,
		      struct net *net, const struct datapath *dp)
{
	u64 sum[L2MT_KC_MAX] = { 0 };
	unsigned int i;
	void *hdr;

	hdr = genlmsg_put(skb, portid, seq, &l2mt_genl_family, flags,
			  L2MT_CMD_GET);
	if (!hdr)
		return -EMSGSIZE;
	if (dp) {
		if (nla_put_string(skb, L2MT_ATTR_DP_NAME, ovs_dp_name(dp)) ||
		    nla_put_u32(skb, L2MT_ATTR_DP_IFINDEX,
				nat64_dp_ifindex(dp)))
			goto nospace;
		nat64_dp_sum(dp, sum);
	} else {
		struct ovs_net *ovs_net = net_generic(net, ovs_net_id);
		const struct datapath *d;

		list_for_each_entry(d, &ovs_net->dps, list_node)
			nat64_dp_sum(d, sum);
	}
	for (i = 0; i < L2MT_KC_MAX; i++) {
		struct nlattr *nest;

		nest = nla_nest_start(skb, L2MT_ATTR_COUNTER);
		if (!nest ||
		    nla_put_string(skb, L2MT_COUNTER_ATTR_NAME,
				   nat64_counter_name(i)) ||
		    nla_put_u64_64bit(skb, L2MT_COUNTER_ATTR_VALUE, sum[i],
				      L2MT_COUNTER_ATTR_PAD) ||
		    (nat64_counter_is_drop(i) &&
		     nla_put_flag(skb, L2MT_COUNTER_ATTR_DROP)))
			goto nospace;
		nla_nest_end(skb, nest);
	}
	genlmsg_end(skb, hdr);
	return 0;

nospace:
	genlmsg_cancel(skb, hdr);
	return -EMSGSIZE;
}

/* The datapath of 'net' that 'a' names by name and/or ifindex, or NULL.
 * Only 'net''s list is searched: other namespaces' datapaths are not
 * there.  Called with ovs_mutex. */
static struct datapath *nat64_find_dp(struct net *net, struct nlattr **a)
{
	struct ovs_net *ovs_net = net_generic(net, ovs_net_id);
	struct datapath *dp;

	list_for_each_entry(dp, &ovs_net->dps, list_node) {
		if (a[L2MT_ATTR_DP_NAME] &&
		    nla_strcmp(a[L2MT_ATTR_DP_NAME], ovs_dp_name(dp)))
			continue;
		if (a[L2MT_ATTR_DP_IFINDEX] &&
		    nla_get_u32(a[L2MT_ATTR_DP_IFINDEX]) != nat64_dp_ifindex(dp))
			continue;
		return dp;
	}
	return NULL;
}

static int l2mt_genl_get(struct sk_buff *skb, struct genl_info *info)
{
	struct net *net = genl_info_net(info);
	struct datapath *dp = NULL;
	struct sk_buff *reply;
	int err;

	reply = genlmsg_new(NLMSG_GOODSIZE, GFP_KERNEL);
	if (!reply)
		return -ENOMEM;
	ovs_lock();
	if (info->attrs[L2MT_ATTR_DP_NAME] || info->attrs[L2MT_ATTR_DP_IFINDEX]) {
		dp = nat64_find_dp(net, info->attrs);
		if (!dp) {
			ovs_unlock();
			nlmsg_free(reply);
			NL_SET_ERR_MSG(info->extack,
				       "no such datapath in this network namespace");
			return -ENODEV;
		}
	}
	err = nat64_fill(reply, info->snd_portid, info->snd_seq, 0, net, dp);
	ovs_unlock();
	if (err) {
		nlmsg_free(reply);
		return err;
	}
	return genlmsg_reply(reply, info);
}

/* One message per datapath of the caller's namespace; cb->args[0] counts
 * the ones already sent. */
static int l2mt_genl_dump(struct sk_buff *skb, struct netlink_callback *cb)
{
	struct net *net = sock_net(skb->sk);
	struct ovs_net *ovs_net = net_generic(net, ovs_net_id);
	int skip = cb->args[0];
	struct datapath *dp;
	int i = 0;

	ovs_lock();
	list_for_each_entry(dp, &ovs_net->dps, list_node) {
		if (i >= skip &&
		    nat64_fill(skb, NETLINK_CB(cb->skb).portid,
			       cb->nlh->nlmsg_seq, NLM_F_MULTI, net, dp))
			break;
		i++;
	}
	ovs_unlock();
	cb->args[0] = i;
	return skb->len;
}

static const struct nla_policy l2mt_genl_policy[L2MT_ATTR_MAX + 1] = {
	[L2MT_ATTR_COUNTER] = { .type = NLA_REJECT },
	[L2MT_ATTR_DP_NAME] = { .type = NLA_NUL_STRING, .len = IFNAMSIZ - 1 },
	[L2MT_ATTR_DP_IFINDEX] = { .type = NLA_U32 },
};

static const struct genl_small_ops l2mt_genl_ops[] = {
	{
		.cmd = L2MT_CMD_GET,
		.validate = GENL_DONT_VALIDATE_STRICT | GENL_DONT_VALIDATE_DUMP,
		.doit = l2mt_genl_get,
		.dumpit = l2mt_genl_dump,
	},
};

static struct genl_family l2mt_genl_family __ro_after_init = {
	.name = L2MT_GENL_NAME,
	.version = L2MT_GENL_VERSION,
	.maxattr = L2MT_ATTR_MAX,
	.policy = l2mt_genl_policy,
	.netnsok = true,
	.parallel_ops = true,	/* Serialised by ovs_mutex, as OVS's own. */
	.module = THIS_MODULE,
	.small_ops = l2mt_genl_ops,
	.n_small_ops = ARRAY_SIZE(l2mt_genl_ops),
	.resv_start_op = L2MT_CMD_GET + 1,
};

int ovs_nat64_init(void)
{
	return genl_register_family(&l2mt_genl_family);
}

void ovs_nat64_exit(void)
{
	genl_unregister_family(&l2mt_genl_family);
}
