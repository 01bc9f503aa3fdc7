// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (c) 2026 The l2mt authors.
 *
 * Per-CPU counters of the nat64 action, one per translator result and per
 * drop reason of our own, read through the "l2mt" generic netlink family
 * (l2mt_genl.h).  Actions run with bottom halves disabled, so a CPU's
 * counters have a single writer.
 */

#include <linux/percpu.h>
#include <linux/u64_stats_sync.h>
#include <net/genetlink.h>

#include "l2mt_action.h"
#include "l2mt_genl.h"

struct nat64_pcpu {
	u64_stats_t n[L2MT_KC_MAX];
	struct u64_stats_sync syncp;
	u16 ip_id;
};

static struct nat64_pcpu __percpu *nat64_stats;

void ovs_nat64_count(unsigned int counter)
{
	struct nat64_pcpu *s = this_cpu_ptr(nat64_stats);

	if (WARN_ON_ONCE(counter >= L2MT_KC_MAX))
		return;
	u64_stats_update_begin(&s->syncp);
	u64_stats_inc(&s->n[counter]);
	u64_stats_update_end(&s->syncp);
}

/* IPv4 IDs for ll6to4 packets without a Fragment header: a per-CPU
 * sequence, as RFC 7915 lets the translator choose. */
u16 ovs_nat64_next_ip_id(void)
{
	return this_cpu_inc_return(nat64_stats->ip_id);
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

static u64 nat64_counter_sum(unsigned int i)
{
	u64 sum = 0;
	int cpu;

	for_each_possible_cpu(cpu) {
		const struct nat64_pcpu *s = per_cpu_ptr(nat64_stats, cpu);
		unsigned int start;
		u64 v;

		do {
			start = u64_stats_fetch_begin(&s->syncp);
			v = u64_stats_read(&s->n[i]);
		} while (u64_stats_fetch_retry(&s->syncp, start));
		sum += v;
	}
	return sum;
}

static struct genl_family l2mt_genl_family;

static int l2mt_genl_get(struct sk_buff *skb, struct genl_info *info)
{
	struct sk_buff *reply;
	unsigned int i;
	void *hdr;

	reply = genlmsg_new(NLMSG_GOODSIZE, GFP_KERNEL);
	if (!reply)
		return -ENOMEM;
	hdr = genlmsg_put_reply(reply, info, &l2mt_genl_family, 0,
				L2MT_CMD_GET);
	if (!hdr)
		goto nospace;
	for (i = 0; i < L2MT_KC_MAX; i++) {
		struct nlattr *nest;

		nest = nla_nest_start(reply, L2MT_ATTR_COUNTER);
		if (!nest ||
		    nla_put_string(reply, L2MT_COUNTER_ATTR_NAME,
				   nat64_counter_name(i)) ||
		    nla_put_u64_64bit(reply, L2MT_COUNTER_ATTR_VALUE,
				      nat64_counter_sum(i),
				      L2MT_COUNTER_ATTR_PAD) ||
		    (nat64_counter_is_drop(i) &&
		     nla_put_flag(reply, L2MT_COUNTER_ATTR_DROP)))
			goto nospace;
		nla_nest_end(reply, nest);
	}
	genlmsg_end(reply, hdr);
	return genlmsg_reply(reply, info);

nospace:
	nlmsg_free(reply);
	return -EMSGSIZE;
}

static const struct genl_small_ops l2mt_genl_ops[] = {
	{
		.cmd = L2MT_CMD_GET,
		.validate = GENL_DONT_VALIDATE_STRICT | GENL_DONT_VALIDATE_DUMP,
		.doit = l2mt_genl_get,
	},
};

static struct genl_family l2mt_genl_family __ro_after_init = {
	.name = L2MT_GENL_NAME,
	.version = L2MT_GENL_VERSION,
	.maxattr = L2MT_ATTR_MAX,
	.netnsok = true,
	.module = THIS_MODULE,
	.small_ops = l2mt_genl_ops,
	.n_small_ops = ARRAY_SIZE(l2mt_genl_ops),
	.resv_start_op = L2MT_CMD_GET + 1,
};

int ovs_nat64_init(void)
{
	int cpu, err;

	nat64_stats = alloc_percpu(struct nat64_pcpu);
	if (!nat64_stats)
		return -ENOMEM;
	for_each_possible_cpu(cpu) {
		struct nat64_pcpu *s = per_cpu_ptr(nat64_stats, cpu);

		u64_stats_init(&s->syncp);
		s->ip_id = get_random_u16();
	}
	err = genl_register_family(&l2mt_genl_family);
	if (err)
		free_percpu(nat64_stats);
	return err;
}

void ovs_nat64_exit(void)
{
	genl_unregister_family(&l2mt_genl_family);
	free_percpu(nat64_stats);
}
