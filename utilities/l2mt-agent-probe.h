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

#ifndef L2MT_AGENT_PROBE_H
#define L2MT_AGENT_PROBE_H 1

/* Overlay health per tenant (issue 16, part 3), in "l2mt-agent run": every
 * interval, one probe per tenant remote injected at the tunnel ingress
 * over the agent's OpenFlow connection to its bridge (see
 * AGENT_PROBE_MARK in agent/plan.h), answered by the counting flow after
 * the translation; with each tunnel's BFD state and the service port's
 * state from OVSDB, each tenant's path is known per segment (ingress,
 * translation, service port) and a fault is localised: underlay down,
 * tenant path down with the underlay up, service port down.  The results
 * go to agent/status and to the Prometheus metrics. */

#include <stdbool.h>
#include <stdio.h>

#include "agent/plan.h"

struct ds;
struct smap;
struct agent_probe;

/* Probes every 'interval_ms'; the nat64 counters are read with
 * 'appctl' (ovs-appctl) from the switch's control socket 'target'. */
struct agent_probe *agent_probe_create(int interval_ms, const char *appctl,
                                       const char *target);
void agent_probe_destroy(struct agent_probe *);

/* 'ctx' is the config in force (conf NULL: nothing to probe). */
void agent_probe_run(struct agent_probe *, const struct agent_ctx *);
void agent_probe_wait(struct agent_probe *);

/* The last results, one line per tenant remote, then the blast radius. */
void agent_probe_status(const struct agent_probe *, struct ds *);

/* For the host's status row in the fleet database: each tunnel remote's
 * BFD state ("up", "down"), each tenant's path ("up", "down: CLASS"),
 * added to the maps.  False before the first round (nothing known). */
bool agent_probe_summary(const struct agent_probe *, struct smap *bfd_state,
                         struct smap *tenant_path);

/* The same as Prometheus metrics (l2mt_tunnel_up, l2mt_tenant_path_up,
 * l2mt_tenant_probe_rtt_seconds, ...). */
void agent_probe_metrics(const struct agent_probe *, FILE *);

/* Writes label NAME="VALUE" of a sample to 'out', VALUE escaped as the
 * exposition format wants, after a comma unless 'first'. */
void agent_metric_label(FILE *out, const char *name, const char *value,
                        bool first);

#endif /* l2mt-agent-probe.h */
