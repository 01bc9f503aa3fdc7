/*
 * Copyright (c) 2026 The l2mt authors.
 *
 * Licensed under the Apache License, Version 2.0 (the "License");
 * you may not use this file except in compliance with the License.
 * You may obtain a copy of the License at:
 *
 *     http://www.apache.org/licenses/LICENSE-2.0
 *
 * Unless required by applicable law or agreed to in writing, software
 * distributed under the License is distributed on an "AS IS" BASIS,
 * WITHOUT WARRANTIES OR CONDITIONS OF ANY KIND, either express or implied.
 * See the License for the specific language governing permissions and
 * limitations under the License.
 */

#ifndef L2MT_FLOWD_METRICS_H
#define L2MT_FLOWD_METRICS_H 1

/* Counters the daemon exposes in the Prometheus text format. */

#include <stdint.h>
#include <stdio.h>

#include "flowd/flowd-rec.h"
#include "flowd/flowd-table.h"
#include "flowd/sflow.h"

struct flowd_interval;

struct flowd_metrics {
    uint64_t datagrams;
    uint64_t errors[FLOWD_SFLOW_N_ERRORS];
    uint64_t flow_samples, counter_samples;
    uint64_t unknown_samples, unknown_records;
    uint64_t samples_lost;      /* Sequence gaps per source. */
    uint64_t agent_drops;       /* Samples the agents dropped. */
    uint64_t pool_packets;      /* Packets the samplers saw (pool deltas). */
    uint64_t transit_samples;   /* Second observations, not counted. */
    uint64_t intervals;
    uint64_t class_bytes[FLOWD_N_CLASSES], class_packets[FLOWD_N_CLASSES];
    uint64_t vlan_bytes[4096];
    struct flowd_table tenants; /* (name, class, scope) -> bytes, packets. */
    struct flowd_table sources; /* (agent, source id) -> sequence state. */
    struct flowd_table ifaces;       /* (agent, ifindex) -> counters. */
};

/* The sources and interface tables hold at most 'max_sources' entries
 * each (their keys come from the datagrams, so they can be spoofed). */
bool flowd_metrics_init(struct flowd_metrics *, uint32_t max_sources);
void flowd_metrics_destroy(struct flowd_metrics *);

/* Sequence, pool and drop tracking for one flow sample. */
void flowd_metrics_flow(struct flowd_metrics *, const struct in6_addr *agent,
                        const struct flowd_sflow_flow *);
void flowd_metrics_counters(struct flowd_metrics *,
                            const struct in6_addr *agent,
                            const struct flowd_sflow_counters *);
/* Adds a closed interval's class, tenant and VLAN totals. */
void flowd_metrics_interval(struct flowd_metrics *,
                            const struct flowd_interval *);

/* Writes the decoder and traffic metrics. */
void flowd_metrics_write(FILE *, const struct flowd_metrics *);

/* Writes the entries, capacity and evictions of every bounded table, the
 * per-source ones summed over the 'n' receive workers' metrics. */
struct flowd_locator;
void flowd_metrics_write_tables(FILE *, const struct flowd_metrics *const *,
                                size_t n, const struct flowd_metrics *main,
                                const struct flowd_locator *);

/* Sets the decoder and per-source counters of 'dst' to the sums of the 'n'
 * receive workers' 'src' and takes their latest interface counters. */
void flowd_metrics_sum(struct flowd_metrics *dst,
                       const struct flowd_metrics *const *src, size_t n);

#endif /* flowd-metrics.h */
