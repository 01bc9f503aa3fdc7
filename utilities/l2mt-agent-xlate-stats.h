/*
 * Copyright (c) 2026 The l2mt authors.
 * Licensed under the Apache License, Version 2.0.
 */

#ifndef L2MT_AGENT_XLATE_STATS_H
#define L2MT_AGENT_XLATE_STATS_H 1

/* Translation counts per tenant (issue 16, part 4): the switch counts the
 * nat64 action's results per datapath input port and tunnel key
 * ("ovs-appctl nat64/show-ports BRIDGE", vswitchd-patches 0015); the key
 * is the tenant's GRE key for frames from its tunnel (whether it has a
 * port of its own or shares the flow-based one), the port its service
 * port for frames on their way back.  Kept monotonic across switch
 * restarts, for agent/status and the Prometheus metrics. */

#include <stdint.h>
#include <stdio.h>

struct agent_ctx;
struct ds;

/* A count read from the switch, kept so that it never goes down (the
 * switch's restart at zero when ovs-vswitchd restarts, a port deleted). */
struct agent_counter {
    uint64_t last;              /* As last read. */
    uint64_t total;             /* Sum of the increases. */
};

/* Adds the increase from the last read to 'value' to 'c''s total; a value
 * below the last one is a count that started again from zero. */
void agent_counter_set(struct agent_counter *c, uint64_t value);

struct agent_xlate_stats;

struct agent_xlate_stats *agent_xlate_stats_create(void);
void agent_xlate_stats_destroy(struct agent_xlate_stats *);

/* Adds the counts of 'show_ports' (the output of nat64/show-ports for the
 * tenant bridge) to the tenants of 'ctx''s config. */
void agent_xlate_stats_update(struct agent_xlate_stats *,
                              const struct agent_ctx *,
                              const char *show_ports);

/* One line per tenant: "translation TENANT: N translated, N dropped
 * (REASON N, ...)". */
void agent_xlate_stats_status(const struct agent_xlate_stats *, struct ds *);

/* l2mt_tenant_translation_frames_total{tenant} and
 * l2mt_tenant_translation_drops_total{tenant,reason}. */
void agent_xlate_stats_metrics(const struct agent_xlate_stats *, FILE *);

#endif /* l2mt-agent-xlate-stats.h */
