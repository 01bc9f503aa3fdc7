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

#ifndef L2MT_AGENT_PLAN_H
#define L2MT_AGENT_PLAN_H 1

/* From the config and the switch's current state to what must change: one
 * ovs-vsctl transaction, the underlay's "ip" commands and the flow table
 * of the tenant bridge.  An empty plan means the switch is in sync. */

#include <stdbool.h>
#include <stdint.h>

#include "l2mt-agent-ovs.h"
#include "l2mt-agent-run.h"
#include "l2mt-conf.h"
#include "l2mt-conf-util.h"

struct agent_ctx {
    const struct l2mt_conf *conf;
    const struct l2mt_conf_host *host;
    struct agent_ovs ovs;
};

struct plan {
    struct agent_cmd vsctl;     /* ovs-vsctl ... -- cmd -- cmd ... */
    size_t n_cmds;              /* Commands after the base words. */
    struct agent_cmd *ip;       /* "ip" commands for the underlay. */
    size_t n_ip;
    struct l2mt_str drift;      /* One line per difference found. */
    struct l2mt_str errors;     /* Why the plan cannot be carried out. */
    int n_ids;                  /* For @ids of created rows. */
};

void plan_init(struct plan *, const struct agent_ctx *);
void plan_free(struct plan *);

/* Plans the changes that bring the switch to the config ('remove' false)
 * or take everything of l2mt's out of it ('remove' true). */
void plan_vsctl(struct plan *, const struct agent_ctx *,
                const struct ovs_state *, bool remove);

/* Writes the agent's flows for the tenant bridge into 'flows', one per
 * line, ports by name ('names') or by OpenFlow port number from 'state'.
 * Flows on ports without a number yet are left out and named in
 * 'missing'. */
void plan_flows(const struct agent_ctx *, const struct ovs_state *,
                bool names, struct l2mt_str *flows, struct l2mt_str *missing);

/* Writes the OpenFlow meters the tenant bridge should have into 'meters',
 * one "ID PKTS-PER-SECOND" a line. */
void plan_meters(const struct agent_ctx *, const struct ovs_state *,
                 struct l2mt_str *meters);

/* Is meter 'id' in the range the agent owns? */
bool plan_meter_owned(uint32_t id);

#endif /* agent/plan.h */
