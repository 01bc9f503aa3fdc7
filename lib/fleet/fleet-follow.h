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

#ifndef FLEET_FOLLOW_H
#define FLEET_FOLLOW_H 1

/* A host following the l2mt database: one IDL with conditional monitoring
 * of only what the host needs (its own Host and Host_Status rows, the
 * Trace requests that name it; every tenant, profile and VM port, since a
 * VM may come up on any host), the
 * configuration as lib/l2mt-conf.c gives it for the host's file, and the
 * host's status row written back (cur_cfg, last error), like OVN's
 * ovn-controller acknowledging nb_cfg.
 *
 * Use, in a poll loop:
 *
 *     fleet_follow_run(f);
 *     if (fleet_follow_changed(f)) {
 *         conf = fleet_follow_conf(f, &errors);
 *         ... apply conf, or keep the last one and report errors ...
 *         fleet_follow_ack(f, fleet_follow_next_cfg(f), conf ? NULL
 *                                                             : errors);
 *     }
 *     fleet_follow_wait(f);
 *     poll_block();
 */

#include <stdbool.h>
#include <stdint.h>

struct fleet_follow;
struct l2mt_conf;
struct ovsdb_idl;
struct smap;
struct sset;

/* 'remote' is an OVSDB remote, or several separated by commas (the
 * cluster's members: tcp:A:6641,tcp:B:6641,...).  The IDL only follows
 * the cluster's leader... no: any member that is part of the majority
 * (ovsdb_idl_set_leader_only(false)) for reading; writes go through it. */
struct fleet_follow *fleet_follow_create(const char *remote,
                                         const char *host);
void fleet_follow_destroy(struct fleet_follow *);

void fleet_follow_run(struct fleet_follow *);
void fleet_follow_wait(struct fleet_follow *);

/* True if the database changed (or the connection came back) since the
 * last fleet_follow_conf(), once the first contents have arrived. */
bool fleet_follow_changed(const struct fleet_follow *);

/* The host's configuration now, or NULL with '*errors' (malloc'd) if the
 * database holds something the file's parser refuses.  The caller frees
 * the result with l2mt_conf_free(). */
struct l2mt_conf *fleet_follow_conf(struct fleet_follow *, char **errors);

/* True if the last fleet_follow_conf() gave the same text and generation
 * as the one before: what changed in the database (a trace request, a
 * status row) is not the host's config, there is nothing to apply. */
bool fleet_follow_conf_same(const struct fleet_follow *);

/* The text fleet_follow_conf() last parsed: l2mt.conf(5) for this host,
 * what fleet_persist_save() keeps. */
const char *fleet_follow_text(const struct fleet_follow *);

/* The global row's next_cfg when fleet_follow_conf() last ran. */
int64_t fleet_follow_next_cfg(const struct fleet_follow *);

/* Records that the host processed generation 'cur_cfg': with 'error' NULL
 * it applied it (applied_generation follows), otherwise it keeps its last
 * good config and 'error' goes to last_error.  Written to the host's
 * Host_Status row by the next fleet_follow_run()s, until the database has
 * it (again after a reconnection). */
void fleet_follow_ack(struct fleet_follow *, int64_t cur_cfg,
                      const char *error);

/* The number of differences between the switch and the configuration the
 * host applied, found (and repaired) at its last check: settings or flows
 * changed behind the agent's back.  Written with fleet_follow_ack()'s
 * status (Host_Status.drift). */
void fleet_follow_set_drift(struct fleet_follow *, int64_t drift);
/* The host's overlay health (issue 16) for its Host_Status row: the BFD
 * state of its tunnels by remote, each tenant's path by name (l2mt-db(5));
 * written when they change. */
void fleet_follow_set_oam(struct fleet_follow *, const struct smap *bfd_state,
                          const struct smap *tenant_path);

/* The VM ports (VM_Port names, the l2mt.conf port labels) whose interface
 * is on this host now: the database records them as bound here
 * (VM_Port.host, as OVN's Port_Binding.chassis) unless another host holds
 * them, and those it records here that are not are released.  Written as
 * fleet_follow_ack()'s status. */
void fleet_follow_set_bound(struct fleet_follow *, const struct sset *ports);

/* Fleet traces (issue 16, part 1; the Trace table, l2mt-db(5)): the
 * requests that name this host and that it has not answered yet, one at
 * a time (in UUID order).  Returns false if there is none; otherwise '*id' (the row's UUID
 * as text), '*tenant' and '*packet' are the request's, valid until the
 * next fleet_follow_run().  A request stays "next" until answered. */
bool fleet_follow_trace_next(const struct fleet_follow *, const char **id,
                             const char **tenant, const char **packet);

/* This host's part of request 'id': 'result' (a JSON document, kept) goes
 * to the row's results under the host's name, by the next
 * fleet_follow_run()s, until the database has it or the request is gone. */
void fleet_follow_trace_answer(struct fleet_follow *, const char *id,
                               const char *result);

/* The IDL, to read more of what the host is sent (never to change its
 * conditions). */
struct ovsdb_idl *fleet_follow_idl(const struct fleet_follow *);

bool fleet_follow_is_connected(const struct fleet_follow *);

#endif /* fleet-follow.h */
