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

#ifndef L2MT_AGENT_SYNC_H
#define L2MT_AGENT_SYNC_H 1

/* One pass of the agent: read the switch, plan, and apply, check or print
 * the plan.  Shared by the command line and the daemon. */

#include <stdbool.h>

#include "agent/plan.h"

struct sset;

enum agent_op {
    AGENT_APPLY,                /* Make the switch match the config. */
    AGENT_STATUS,               /* Report drift, change nothing. */
    AGENT_REMOVE,               /* Take l2mt's state out. */
};

struct agent_sync_opts {
    bool dry_run;               /* Print the commands, run none. */
    bool quiet;                 /* No "no change" line on stdout. */
    const char *inventory;      /* Inventory path (apply only), or NULL. */

    /* Filled by a successful apply, if not NULL: */
    struct sset *bound;         /* The VM ports the switch has here
                                 * (agent_plan_bound_ports()), added. */
    int *n_drift;               /* Differences found (drift lines, flows
                                 * added or taken out) and repaired. */
};

/* Starts 'cmd' as "ovs-ofctl --timeout=T -O OpenFlow14". */
void agent_ofctl_base(const struct agent_ctx *, struct agent_cmd *cmd);

struct vconn;
char *agent_vconn_open(const struct agent_ctx *, struct vconn **);

/* Returns 0 on success, -1 on error (logged).  '*changed' tells whether
 * something was (or, for AGENT_STATUS and dry runs, would be) changed. */
int agent_sync(const struct agent_ctx *, enum agent_op,
               const struct agent_sync_opts *, bool *changed);

#endif /* l2mt-agent-sync.h */
