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

/* The agent's planner, a pure function: from the config and the switch's
 * state as the gather step read it (OVSDB's rows, the underlay's links) to
 * what must change: one ovs-vsctl transaction, the underlay's "ip"
 * commands, the tenant bridge's flow table and meters.  No I/O: what it
 * would log goes to 'warnings'.  An empty plan means the switch is in
 * sync.  tests/test-agent-plan.sh checks it on recorded states. */

#include <stdbool.h>
#include <stdint.h>

#include "agent/cmd.h"
#include "agent/ovsdb.h"
#include "l2mt-conf.h"
#include "l2mt-conf-util.h"

/* What the gather step read from the kernel (rtnetlink) about the
 * underlay bridge's interface and the underlay interface. */
struct agent_links {
    bool underlay_up;           /* The underlay bridge's interface is up. */
    bool underlay_has_addr;     /* It has the host's underlay_ip. */
    char underlay_mac[18];      /* The underlay interface's, "" unknown. */
};

/* The planner's input besides the switch's rows.  'conf' is the parsed
 * l2mt.conf(5) (struct l2mt_conf, whoever built it: the file or a
 * database); 'ovs' only names the programs the plan's commands start
 * with. */
struct agent_ctx {
    const struct l2mt_conf *conf;
    const struct l2mt_conf_host *host;
    struct agent_ovs ovs;
    struct agent_links links;
};

struct agent_plan {
    struct agent_cmd vsctl;     /* ovs-vsctl ... -- cmd -- cmd ... */
    size_t n_cmds;              /* Commands after the base words. */
    struct agent_cmd *ip;       /* "ip" commands for the underlay. */
    size_t n_ip;
    struct l2mt_str drift;      /* One line per difference found. */
    struct l2mt_str errors;     /* Why the plan cannot be carried out. */
    struct l2mt_str warnings;   /* One line per thing worth logging. */
    int n_ids;                  /* For @ids of created rows. */
};

void agent_plan_init(struct agent_plan *, const struct agent_ctx *);
void agent_plan_free(struct agent_plan *);

/* Plans the changes that bring the switch to the config ('remove' false)
 * or take everything of l2mt's out of it ('remove' true). */
void agent_plan_vsctl(struct agent_plan *, const struct agent_ctx *,
                      const struct agent_db *, bool remove);

/* Writes the agent's flows for the tenant bridge into 'flows', one per
 * line, ports by name ('names') or by OpenFlow port number from 'state'.
 * Flows on ports without a number yet are left out and named in
 * 'missing'. */
void agent_plan_flows(const struct agent_ctx *, const struct agent_db *,
                bool names, struct l2mt_str *flows, struct l2mt_str *missing);

/* Writes the OpenFlow meters the tenant bridge should have into 'meters',
 * one "ID PKTS-PER-SECOND" a line. */
void agent_plan_meters(const struct agent_ctx *, const struct agent_db *,
                       struct l2mt_str *meters);

/* Adds to 'labels' the config's VM ports (l2mt.conf port labels) whose
 * interface is on the tenant bridge with an OpenFlow port: those the
 * switch really has here, which the agent gives flows.  (A fleet host
 * claims them in the database, VM_Port.host.) */
struct sset;
void agent_plan_bound_ports(const struct agent_ctx *, const struct agent_db *,
                            struct sset *labels);
/* Overlay probes (issue 16, Documentation/oam.md): the daemon injects one
 * frame per tenant remote at the tunnel ingress (an OpenFlow packet-out
 * with in_port the tunnel, register AGENT_PROBE_REG set to
 * AGENT_PROBE_MARK, source MAC AGENT_PROBE_MAC); it takes the tenant's real
 * table 0 path, then, in table 1, the tenant's translation and
 * AGENT_PROBE_TABLE instead of the service port, where a counting flow
 * sends it to the agent (packet-in) and nowhere else.  A register is zero
 * on every frame that enters a port, so no tenant can make a probe; a
 * tenant's frame from the probe MAC is dropped at ingress. */
#define AGENT_PROBE_REG "reg6"
#define AGENT_PROBE_REG_IDX 6
#define AGENT_PROBE_MARK 0x4c325052u        /* "L2PR" */
#define AGENT_PROBE_MAC "02:4c:32:50:52:00"
#define AGENT_PROBE_TABLE 2

/* The one GRE port of tunnel-mode flow. */
#define AGENT_FLOW_GRE_PORT "l2mt-gre"

/* Name of the per-tenant GRE port for remote number 'i' of 't' (caller
 * frees). */
char *agent_plan_tunnel_port_name(const struct l2mt_conf_tenant *,
                                  size_t i);

/* Is meter 'id' in the range the agent owns? */
bool agent_plan_meter_owned(uint32_t id);

#endif /* agent/plan.h */
