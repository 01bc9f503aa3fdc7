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

#ifndef L2MT_AGENT_GATHER_H
#define L2MT_AGENT_GATHER_H 1

/* The gather step: what the planner (lib/agent/) needs to know of this
 * machine, read from OVSDB (one ovs-vsctl call) and from the kernel
 * (rtnetlink).  All of the agent's reading happens here, before planning. */

#include "agent/ovsdb.h"
#include "agent/plan.h"

/* Reads the switch's database into '*db' (empty on failure).  Returns NULL,
 * or an error message (caller frees). */
char *agent_gather_db(const struct agent_ovs *, struct agent_db *db);

/* Reads the underlay's links that 'h' names (none if it has no underlay
 * bridge).  Cannot fail: what cannot be read is left unknown, and a
 * warning logged. */
void agent_gather_links(const struct l2mt_conf_host *h, struct agent_links *);

#endif /* l2mt-agent-gather.h */
