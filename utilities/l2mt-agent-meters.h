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

#ifndef L2MT_AGENT_METERS_H
#define L2MT_AGENT_METERS_H 1

/* The tenant bridge's OpenFlow 1.3 meters: what to add or change before
 * the flows that use them are installed, and what to delete after (deleting
 * a meter deletes the flows that use it). */

#include <stdbool.h>

#include "agent/plan.h"
#include "agent/cmd.h"
#include "l2mt-conf-util.h"

struct agent_meters {
    struct agent_cmd *set;      /* add-meter and mod-meter commands. */
    size_t n_set;
    struct agent_cmd *del;      /* del-meter commands. */
    size_t n_del;
    struct l2mt_str drift;      /* One line per difference. */
};

/* Compares the bridge's meters in the agent's range with agent_plan_meters()
 * (none if 'remove').  Returns NULL, or an error message if the meters
 * could not be read (caller frees). */
char *agent_meters_plan(const struct agent_ctx *, const struct agent_db *,
                        bool remove, struct agent_meters *);
void agent_meters_free(struct agent_meters *);

/* Sends the changes 'cmds' (am->set or am->del) to the bridge over one
 * OpenFlow connection.  Returns NULL or an error message (caller frees). */
char *agent_meters_send(const struct agent_ctx *, const struct agent_cmd *,
                        size_t n);

#endif /* l2mt-agent-meters.h */
