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

#ifndef L2MT_FLOWD_LOCALITY_H
#define L2MT_FLOWD_LOCALITY_H 1

/* Locality classification: where the two ends of a sampled frame live.
 *
 * A frame's source MAC sampled on a VM port (any port the topology does not
 * list as an uplink) lives on the sampling agent's host: the locator learns
 * it, and re-learns it when it shows up on another host (migration).
 * Learned places win over the inventory, which may be stale.  Anything not
 * placed is FLOWD_UNKNOWN: never guessed.
 *
 * OVS samples a frame at every bridge it enters, so a frame between hosts is
 * seen twice.  Only the first observation (on the source's host, or for
 * frames from a gateway on the destination's host) is 'counted'. */

#include <stdint.h>

#include "flowd/flowd-rec.h"
#include "flowd/flowd-table.h"
#include "flowd/flowd-topo.h"
#include "flowd/sflow.h"

struct flowd_locator {
    struct flowd_topo *topo;
    struct flowd_table learned;      /* MAC (8 bytes) -> struct learned_mac. */
    struct flowd_table agents;       /* Agent address -> host index. */
    struct flowd_table uplinks;      /* (host, ifindex) -> present. */
    uint64_t n_learned;         /* New MACs learned. */
    uint64_t n_moves;           /* MACs re-learned on another host. */
    uint64_t n_unknown_agent;   /* Samples from agents not in topology. */
};

bool flowd_locator_init(struct flowd_locator *, uint32_t max_learned);
void flowd_locator_destroy(struct flowd_locator *);

/* Takes ownership of 'topo' (destroying the previous one) and keeps learned
 * MACs whose host still exists. */
bool flowd_locator_set_topo(struct flowd_locator *, struct flowd_topo *);

/* The host of sFlow agent 'agent', FLOWD_TOPO_NONE if not in the topology. */
uint16_t flowd_agent_host(struct flowd_locator *,
                          const struct in6_addr *agent);

/* Fills 'rec' from flow sample 'f' of agent 'agent' (on host 'here', from
 * flowd_agent_host()) received at 'now_ms'. */
void flowd_classify(struct flowd_locator *, const struct in6_addr *agent,
                    uint16_t here, const struct flowd_sflow_flow *f,
                    uint64_t now_ms, struct flowd_rec *rec);

/* Host name or "-" for FLOWD_TOPO_NONE; tenant name likewise. */
const char *flowd_host_name(const struct flowd_locator *, uint16_t host);
const char *flowd_tenant_name(const struct flowd_locator *, uint16_t tenant);

#endif /* flowd-locality.h */
