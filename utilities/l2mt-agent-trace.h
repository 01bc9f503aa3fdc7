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

#ifndef L2MT_AGENT_TRACE_H
#define L2MT_AGENT_TRACE_H 1

/* "ovs-appctl -t l2mt-agent trace TENANT PACKET" (issue 16, part 1): this
 * host's part of a tenant's trace, the JSON document of "l2mt-trace
 * --format=json" (lib/oam).  The trace runs in a child process, bounded in
 * time, and the reply goes out when it is done, so the agent's loop never
 * waits on the switch. */

#include <stdbool.h>

struct agent_ctx;
struct agent_tracer;

struct agent_tracer *agent_tracer_create(const char *vswitchd, int timeout);
void agent_tracer_destroy(struct agent_tracer *);

/* Registers the unixctl command; 'ctx' (kept) holds the config in force
 * when a request comes (its conf NULL: none yet). */
void agent_tracer_register(struct agent_tracer *, const struct agent_ctx *);

/* The fleet's traces (the Trace table, l2mt-db(5)): the same trace for a
 * request of the database.  One trace at a time, the unixctl command's or
 * a request's: start one only when agent_tracer_busy() is false.  Its
 * result (the JSON document, or {"host", "error", "status"}) comes out of
 * agent_tracer_fleet_done() (true once, '*id' and '*result' the caller's
 * to free), at once if it could not start. */
bool agent_tracer_busy(const struct agent_tracer *);
void agent_tracer_start_fleet(struct agent_tracer *, const char *id,
                              const char *tenant, const char *packet);
bool agent_tracer_fleet_done(struct agent_tracer *, char **id,
                             char **result);

void agent_tracer_run(struct agent_tracer *);
void agent_tracer_wait(struct agent_tracer *);

#endif /* l2mt-agent-trace.h */
