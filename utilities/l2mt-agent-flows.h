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

#ifndef L2MT_AGENT_FLOWS_H
#define L2MT_AGENT_FLOWS_H 1

/* The executor's flow step: brings the tenant bridge's flow table to the
 * planner's flows over one OpenFlow connection.  It reads the bridge's
 * flows, compares them with the planned ones itself and sends only the
 * differences (adds, modifies, deletes) in one atomic OpenFlow bundle: a
 * pass that changes nothing sends no flow mod, and a bundle the switch
 * refuses leaves the table as it was. */

#include <stdbool.h>

#include "agent/plan.h"
#include "l2mt-conf-util.h"

struct agent_flows_opts {
    bool remove;        /* Taking l2mt out: the switch's own default flow
                         * stays (and comes back on a bridge l2mt owns
                         * that would be left with no flow at all). */
    bool owned;         /* The bridge is l2mt's. */
    bool apply;         /* Send the differences (else only report them). */
};

/* 'planned' is agent_plan_flows()'s text with OpenFlow port numbers.
 * Flows that are not l2mt's (by cookie) are left alone, except the
 * switch's default "priority=0 actions=NORMAL", which goes unless
 * 'remove': the tenant bridge is default deny.  Differences are written
 * to 'diff' as ovs-ofctl diff-flows prints them ("-" the switch's, "+" the
 * wanted) and '*differs' says whether there were any.  Returns NULL or an
 * error message (caller frees). */
char *agent_flows_sync(const struct agent_ctx *, const char *planned,
                       const struct agent_flows_opts *,
                       struct l2mt_str *diff, bool *differs);

#endif /* l2mt-agent-flows.h */
