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

#include <config.h>
#include "l2mt-agent-ovs.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "l2mt-conf-util.h"

static const char *const table_names[OT_N] = {
    "Bridge", "Port", "Interface", "sFlow", "QoS", "Open_vSwitch",
};

static const char *const table_columns[OT_N] = {
    "_uuid,name,datapath_type,fail_mode,external_ids,other_config,sflow,"
    "ports",
    "_uuid,name,tag,trunks,qos,external_ids,interfaces",
    "_uuid,name,type,options,external_ids,ingress_policing_rate,"
    "ingress_policing_burst,ofport,mac_in_use,link_state,bfd,bfd_status",
    "_uuid,agent,targets,sampling,polling,header,external_ids",
    "_uuid,type,other_config,external_ids",
    "_uuid,other_config",
};

void
ovs_vsctl_base(const struct agent_ovs *ovs, struct agent_cmd *cmd)
{
    agent_cmd_init(cmd);
    agent_cmd_add(cmd, ovs->vsctl);
    agent_cmd_addf(cmd, "--timeout=%d", ovs->timeout);
    if (ovs->db) {
        agent_cmd_addf(cmd, "--db=%s", ovs->db);
    }
}

/* Turns {"headings": [...], "data": [[...], ...]} into [{col: val}...]. */
static json_object *
table_to_rows(json_object *table)
{
    json_object *headings, *data, *rows;
    size_t i, j;

    if (!json_object_object_get_ex(table, "headings", &headings)
        || !json_object_object_get_ex(table, "data", &data)
        || !json_object_is_type(headings, json_type_array)
        || !json_object_is_type(data, json_type_array)) {
        return NULL;
    }
    rows = json_object_new_array();
    for (i = 0; i < json_object_array_length(data); i++) {
        json_object *r = json_object_array_get_idx(data, i);
        json_object *row = json_object_new_object();

        for (j = 0; j < json_object_array_length(headings)
                    && j < json_object_array_length(r); j++) {
            json_object_object_add(
                row,
                json_object_get_string(
                    json_object_array_get_idx(headings, j)),
                json_object_get(json_object_array_get_idx(r, j)));
        }
        json_object_array_add(rows, row);
    }
    return rows;
}

static json_object *cell(json_object *row, const char *col);
static const char *atom_str(json_object *a);
static json_object *compound(json_object *v, const char *kind);

/* Adds 'key' -> 'row' to 'index' unless 'key' is NULL. */
static void
index_add(json_object *index, const char *key, json_object *row)
{
    if (key) {
        json_object_object_add(index, key, json_object_get(row));
    }
}

/* Indexes each uuid in 'row''s column 'col' (a set or one uuid) -> 'row'. */
static void
index_refs(json_object *index, json_object *row, const char *col)
{
    json_object *v = cell(row, col);
    json_object *set = compound(v, "set");
    size_t i;

    if (!v) {
        return;
    }
    if (!set) {
        index_add(index, atom_str(v), row);
        return;
    }
    for (i = 0; i < json_object_array_length(set); i++) {
        index_add(index, atom_str(json_object_array_get_idx(set, i)), row);
    }
}

static void
build_indexes(struct ovs_state *state)
{
    int t;

    for (t = 0; t < OT_N; t++) {
        size_t i;

        state->by_name[t] = json_object_new_object();
        state->by_uuid[t] = json_object_new_object();
        state->parent[t] = json_object_new_object();
        for (i = 0; i < ovs_n_rows(state, t); i++) {
            json_object *row = ovs_row(state, t, i);

            index_add(state->by_name[t], ovs_str(row, "name"), row);
            index_add(state->by_uuid[t], ovs_uuid(row, "_uuid"), row);
        }
    }
    for (t = 0; t < OT_N; t++) {
        size_t i;

        for (i = 0; i < ovs_n_rows(state, t); i++) {
            json_object *row = ovs_row(state, t, i);

            if (t == OT_BRIDGE) {
                index_refs(state->parent[OT_PORT], row, "ports");
            } else if (t == OT_PORT) {
                index_refs(state->parent[OT_INTERFACE], row, "interfaces");
            }
        }
    }
}

int
ovs_state_read(const struct agent_ovs *ovs, struct ovs_state *state,
               char **err)
{
    struct agent_cmd cmd;
    char *out, *line, *save;
    int rc, t;

    memset(state, 0, sizeof *state);
    ovs_vsctl_base(ovs, &cmd);
    agent_cmd_add(&cmd, "--format=json");
    for (t = 0; t < OT_N; t++) {
        agent_cmd_add(&cmd, "--");
        agent_cmd_addf(&cmd, "--columns=%s", table_columns[t]);
        agent_cmd_add(&cmd, "list");
        agent_cmd_add(&cmd, table_names[t]);
    }
    rc = agent_cmd_run(&cmd, NULL, ovs->timeout + 5, &out, err);
    agent_cmd_free(&cmd);
    if (rc) {
        free(out);
        return -1;
    }
    free(*err);
    *err = NULL;

    t = 0;
    for (line = strtok_r(out, "\n", &save); line && t < OT_N;
         line = strtok_r(NULL, "\n", &save)) {
        json_object *table = json_tokener_parse(line);

        state->rows[t] = table ? table_to_rows(table) : NULL;
        json_object_put(table);
        if (!state->rows[t]) {
            break;
        }
        t++;
    }
    free(out);
    if (t != OT_N) {
        *err = l2mt_xasprintf("cannot parse ovs-vsctl's output for table "
                              "%s", table_names[t]);
        ovs_state_free(state);
        return -1;
    }
    build_indexes(state);
    return 0;
}

void
ovs_state_free(struct ovs_state *state)
{
    int t;

    for (t = 0; t < OT_N; t++) {
        json_object_put(state->rows[t]);
        json_object_put(state->by_name[t]);
        json_object_put(state->by_uuid[t]);
        json_object_put(state->parent[t]);
        state->rows[t] = state->by_name[t] = NULL;
        state->by_uuid[t] = state->parent[t] = NULL;
    }
}

size_t
ovs_n_rows(const struct ovs_state *state, enum ovs_table t)
{
    return state->rows[t] ? json_object_array_length(state->rows[t]) : 0;
}

json_object *
ovs_row(const struct ovs_state *state, enum ovs_table t, size_t i)
{
    return json_object_array_get_idx(state->rows[t], i);
}

static json_object *
cell(json_object *row, const char *col)
{
    json_object *v;

    return row && json_object_object_get_ex(row, col, &v) ? v : NULL;
}

/* For ["uuid", U] returns U; for a plain atom, the atom's text. */
static const char *
atom_str(json_object *a)
{
    if (json_object_is_type(a, json_type_array)
        && json_object_array_length(a) == 2) {
        return json_object_get_string(json_object_array_get_idx(a, 1));
    }
    return json_object_get_string(a);
}

/* Is 'v' ["set", [...]] or ["map", [...]]?  Returns the inner array. */
static json_object *
compound(json_object *v, const char *kind)
{
    json_object *tag;

    if (!json_object_is_type(v, json_type_array)
        || json_object_array_length(v) != 2) {
        return NULL;
    }
    tag = json_object_array_get_idx(v, 0);
    return (json_object_is_type(tag, json_type_string)
            && !strcmp(json_object_get_string(tag), kind))
           ? json_object_array_get_idx(v, 1) : NULL;
}

json_object *
ovs_find(const struct ovs_state *state, enum ovs_table t, const char *col,
         const char *value)
{
    json_object *index = (!strcmp(col, "name") ? state->by_name[t]
                          : !strcmp(col, "_uuid") ? state->by_uuid[t] : NULL);
    size_t i;

    if (index) {
        json_object *row;

        return json_object_object_get_ex(index, value, &row) ? row : NULL;
    }
    for (i = 0; i < ovs_n_rows(state, t); i++) {
        json_object *row = ovs_row(state, t, i);
        json_object *v = cell(row, col);

        if (v && !compound(v, "set") && !compound(v, "map")
            && !strcmp(atom_str(v), value)) {
            return row;
        }
    }
    return NULL;
}

const char *
ovs_str(json_object *row, const char *col)
{
    json_object *v = cell(row, col);

    return v && json_object_is_type(v, json_type_string)
           ? json_object_get_string(v) : NULL;
}

long long
ovs_int(json_object *row, const char *col, long long dflt)
{
    json_object *v = cell(row, col);

    return v && json_object_is_type(v, json_type_int)
           ? json_object_get_int64(v) : dflt;
}

const char *
ovs_uuid(json_object *row, const char *col)
{
    json_object *v = cell(row, col);

    if (!v || compound(v, "set")) {
        return NULL;            /* The empty set: no reference. */
    }
    return atom_str(v);
}

const char *
ovs_map_get(json_object *row, const char *col, const char *key)
{
    json_object *pairs = compound(cell(row, col), "map");
    size_t i;

    for (i = 0; pairs && i < json_object_array_length(pairs); i++) {
        json_object *pair = json_object_array_get_idx(pairs, i);

        if (!strcmp(json_object_get_string(
                        json_object_array_get_idx(pair, 0)), key)) {
            return json_object_get_string(json_object_array_get_idx(pair,
                                                                    1));
        }
    }
    return NULL;
}

bool
ovs_set_has_uuid(json_object *row, const char *col, const char *uuid)
{
    json_object *v = cell(row, col);
    json_object *set = compound(v, "set");
    size_t i;

    if (!v) {
        return false;
    }
    if (!set) {
        return !strcmp(atom_str(v), uuid);
    }
    for (i = 0; i < json_object_array_length(set); i++) {
        if (!strcmp(atom_str(json_object_array_get_idx(set, i)), uuid)) {
            return true;
        }
    }
    return false;
}

static int
compare_canon(const void *a_, const void *b_)
{
    const char *a = *(const char **) a_, *b = *(const char **) b_;
    char *ea, *eb;
    long long x = strtoll(a, &ea, 10), y = strtoll(b, &eb, 10);

    if (!*ea && !*eb && *a && *b) {
        return x < y ? -1 : x > y;
    }
    return strcmp(a, b);
}

char *
ovs_canon(json_object *row, const char *col)
{
    json_object *v = cell(row, col);
    json_object *set = compound(v, "set"), *map = compound(v, "map");
    struct l2mt_str s = { NULL, 0, 0 };
    const char **items;
    size_t i, n;

    if (!v) {
        return l2mt_xstrdup("");
    }
    if (!set && !map) {
        return l2mt_xstrdup(atom_str(v));
    }
    n = json_object_array_length(set ? set : map);
    items = l2mt_xmalloc((n + 1) * sizeof *items);
    for (i = 0; i < n; i++) {
        json_object *e = json_object_array_get_idx(set ? set : map, i);

        if (set) {
            items[i] = l2mt_xstrdup(atom_str(e));
        } else {
            items[i] = l2mt_xasprintf(
                "%s=%s",
                json_object_get_string(json_object_array_get_idx(e, 0)),
                atom_str(json_object_array_get_idx(e, 1)));
        }
    }
    qsort(items, n, sizeof *items, compare_canon);
    for (i = 0; i < n; i++) {
        l2mt_str_printf(&s, "%s%s", i ? "," : "", items[i]);
        free((char *) items[i]);
    }
    free(items);
    return s.s ? l2mt_str_steal(&s) : l2mt_xstrdup("");
}

bool
ovs_owned(json_object *row)
{
    const char *owner = ovs_map_get(row, "external_ids", L2MT_OWNER_KEY);

    return owner && !strcmp(owner, L2MT_OWNER);
}

static json_object *
parent_of(const struct ovs_state *state, enum ovs_table t, json_object *row)
{
    const char *uuid = ovs_uuid(row, "_uuid");
    json_object *parent;

    return uuid && state->parent[t]
           && json_object_object_get_ex(state->parent[t], uuid, &parent)
           ? parent : NULL;
}

json_object *
ovs_port_bridge(const struct ovs_state *state, json_object *port)
{
    return parent_of(state, OT_PORT, port);
}

json_object *
ovs_iface_port(const struct ovs_state *state, json_object *iface)
{
    return parent_of(state, OT_INTERFACE, iface);
}

/* The interface of 'port' (the first one, for a bond). */
json_object *
ovs_port_iface(const struct ovs_state *state, json_object *port)
{
    json_object *v = cell(port, "interfaces");
    json_object *set = compound(v, "set");

    if (set) {
        v = json_object_array_length(set)
            ? json_object_array_get_idx(set, 0) : NULL;
    }
    return v ? ovs_find(state, OT_INTERFACE, "_uuid", atom_str(v)) : NULL;
}
