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

#ifndef L2MT_AGENT_OVSDB_H
#define L2MT_AGENT_OVSDB_H 1

/* What the switch's database holds, as the gather step read it in one
 * ovs-vsctl call (--format=json list ...), and accessors for OVSDB's JSON
 * values (Open vSwitch's own json).  No I/O here. */

#include <stdbool.h>

#include "openvswitch/json.h"
#include "openvswitch/shash.h"

#include "agent/cmd.h"

/* external_ids key and value that mark what the agent created. */
#define L2MT_OWNER_KEY "l2mt-owner"
#define L2MT_OWNER "l2mt-agent"
#define L2MT_PROFILE_KEY "l2mt-profile"
#define L2MT_SFLOW_KEY "l2mt-sflow"
#define L2MT_TENANT_KEY "l2mt-tenant"

/* Cookie of every flow the agent installs ("L2MT"). */
#define L2MT_COOKIE "0x4c324d54"

/* How to reach Open vSwitch. */
struct agent_ovs {
    const char *vsctl;          /* Program, default "ovs-vsctl". */
    const char *ofctl;          /* Program, default "ovs-ofctl". */
    const char *db;             /* --db for ovs-vsctl, or NULL. */
    int timeout;                /* Seconds for each ovs-vsctl/ofctl call. */
};

enum agent_db_table {
    OT_BRIDGE, OT_PORT, OT_INTERFACE, OT_SFLOW, OT_QOS, OT_OVS, OT_N
};

/* The tables' names and the columns the agent reads of each. */
extern const char *const agent_db_tables[OT_N];
extern const char *const agent_db_columns[OT_N];

struct agent_db {
    struct json *rows[OT_N];    /* Arrays of {column: value} objects. */

    /* Indexes, so that thousands of ports cost no quadratic time.  Their
     * data are rows of 'rows'. */
    struct shash by_name[OT_N]; /* "name" -> row. */
    struct shash by_uuid[OT_N]; /* "_uuid" -> row. */
    struct shash parent[OT_N];  /* Port/Interface uuid -> Bridge/Port row. */
};

/* Starts 'cmd' as "ovs-vsctl --timeout=N [--db=DB]". */
void agent_db_vsctl_base(const struct agent_ovs *, struct agent_cmd *);

/* Parses 'text', the output of ovs-vsctl --format=json with one "list"
 * of each table in enum agent_db_table's order (what the gather step
 * reads; the planner's tests keep it as a fixture).  Returns NULL or an
 * error message (caller frees). */
char *agent_db_parse(const char *text, struct agent_db *);

/* An empty state (no rows), for when the switch could not be read. */
void agent_db_init(struct agent_db *);
void agent_db_destroy(struct agent_db *);

size_t agent_db_n_rows(const struct agent_db *, enum agent_db_table);
const struct json *agent_db_row(const struct agent_db *, enum agent_db_table,
                                size_t i);

/* Returns the row of 'table' whose string column 'col' is 'value'. */
const struct json *agent_db_find(const struct agent_db *, enum agent_db_table,
                                 const char *col, const char *value);

const char *agent_db_str(const struct json *row, const char *col);
long long agent_db_int(const struct json *row, const char *col,
                       long long dflt);
const char *agent_db_uuid(const struct json *row, const char *col);
const char *agent_db_map_get(const struct json *row, const char *col,
                             const char *key);
bool agent_db_set_has_uuid(const struct json *row, const char *col,
                           const char *uuid);

/* Canonical text of a column: atoms as text, sets sorted and joined with
 * ',', maps as k=v joined with ',', the empty set as "".  Caller frees. */
char *agent_db_canon(const struct json *row, const char *col);

bool agent_db_owned(const struct json *row);

const struct json *agent_db_port_bridge(const struct agent_db *,
                                        const struct json *port);
const struct json *agent_db_iface_port(const struct agent_db *,
                                       const struct json *iface);
const struct json *agent_db_port_iface(const struct agent_db *,
                                       const struct json *port);

#endif /* agent/ovsdb.h */
