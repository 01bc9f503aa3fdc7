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
#include "agent/ovsdb.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "l2mt-conf-util.h"
#include "openvswitch/dynamic-string.h"
#include "util.h"

const char *const agent_db_tables[OT_N] = {
    "Bridge", "Port", "Interface", "sFlow", "QoS", "Open_vSwitch",
};

const char *const agent_db_columns[OT_N] = {
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
agent_db_vsctl_base(const struct agent_ovs *ovs, struct agent_cmd *cmd)
{
    agent_cmd_init(cmd);
    agent_cmd_add(cmd, ovs->vsctl);
    agent_cmd_addf(cmd, "--timeout=%d", ovs->timeout);
    if (ovs->db) {
        agent_cmd_addf(cmd, "--db=%s", ovs->db);
    }
}

/* Turns {"headings": [...], "data": [[...], ...]} into [{col: val}...]. */
static struct json *
table_to_rows(const struct json *table)
{
    const struct json *headings, *data;
    struct json *rows;
    size_t i, j;

    if (table->type != JSON_OBJECT) {
        return NULL;
    }
    headings = shash_find_data(json_object(table), "headings");
    data = shash_find_data(json_object(table), "data");
    if (!headings || !data || headings->type != JSON_ARRAY
        || data->type != JSON_ARRAY) {
        return NULL;
    }
    for (j = 0; j < headings->array.n; j++) {
        if (headings->array.elems[j]->type != JSON_STRING) {
            return NULL;
        }
    }
    rows = json_array_create_empty();
    for (i = 0; i < data->array.n; i++) {
        const struct json *r = data->array.elems[i];
        struct json *row = json_object_create();

        for (j = 0; r->type == JSON_ARRAY && j < headings->array.n
                    && j < r->array.n; j++) {
            json_object_put(row, json_string(headings->array.elems[j]),
                            json_clone(r->array.elems[j]));
        }
        json_array_add(rows, row);
    }
    return rows;
}

static const struct json *cell(const struct json *row, const char *col);
static const char *atom_str(const struct json *a, char buf[32]);
static const struct json *compound(const struct json *v, const char *kind);

/* Adds 'key' -> 'row' to 'index' unless 'key' is NULL or there already. */
static void
index_add(struct shash *index, const char *key, const struct json *row)
{
    if (key) {
        shash_replace(index, key, CONST_CAST(struct json *, row));
    }
}

/* Indexes each uuid in 'row''s column 'col' (a set or one uuid) -> 'row'. */
static void
index_refs(struct shash *index, const struct json *row, const char *col)
{
    const struct json *v = cell(row, col);
    const struct json *set = compound(v, "set");
    char buf[32];
    size_t i;

    if (!v) {
        return;
    }
    if (!set) {
        index_add(index, atom_str(v, buf), row);
        return;
    }
    for (i = 0; i < set->array.n; i++) {
        index_add(index, atom_str(set->array.elems[i], buf), row);
    }
}

static void
build_indexes(struct agent_db *state)
{
    int t;

    for (t = 0; t < OT_N; t++) {
        size_t i;

        for (i = 0; i < agent_db_n_rows(state, t); i++) {
            const struct json *row = agent_db_row(state, t, i);

            index_add(&state->by_name[t], agent_db_str(row, "name"), row);
            index_add(&state->by_uuid[t], agent_db_uuid(row, "_uuid"), row);
        }
    }
    for (t = 0; t < OT_N; t++) {
        size_t i;

        for (i = 0; i < agent_db_n_rows(state, t); i++) {
            const struct json *row = agent_db_row(state, t, i);

            if (t == OT_BRIDGE) {
                index_refs(&state->parent[OT_PORT], row, "ports");
            } else if (t == OT_PORT) {
                index_refs(&state->parent[OT_INTERFACE], row, "interfaces");
            }
        }
    }
}

void
agent_db_init(struct agent_db *state)
{
    int t;

    for (t = 0; t < OT_N; t++) {
        state->rows[t] = NULL;
        shash_init(&state->by_name[t]);
        shash_init(&state->by_uuid[t]);
        shash_init(&state->parent[t]);
    }
}

char *
agent_db_parse(const char *text, struct agent_db *state)
{
    char *copy = xstrdup(text), *line, *save = NULL;
    int t = 0;

    agent_db_init(state);
    for (line = strtok_r(copy, "\n", &save); line && t < OT_N;
         line = strtok_r(NULL, "\n", &save)) {
        struct json *table = json_from_string(line);

        state->rows[t] = table->type == JSON_STRING ? NULL
                         : table_to_rows(table);
        json_destroy(table);
        if (!state->rows[t]) {
            break;
        }
        t++;
    }
    free(copy);
    if (t != OT_N) {
        agent_db_destroy(state);
        return xasprintf("cannot parse ovs-vsctl's output for table %s",
                         agent_db_tables[t]);
    }
    build_indexes(state);
    return NULL;
}

/* Frees what 'state' holds and leaves it empty, so that destroying it
 * twice is harmless. */
void
agent_db_destroy(struct agent_db *state)
{
    int t;

    for (t = 0; t < OT_N; t++) {
        json_destroy(state->rows[t]);
        shash_destroy(&state->by_name[t]);
        shash_destroy(&state->by_uuid[t]);
        shash_destroy(&state->parent[t]);
    }
    agent_db_init(state);
}

size_t
agent_db_n_rows(const struct agent_db *state, enum agent_db_table t)
{
    return state->rows[t] ? state->rows[t]->array.n : 0;
}

const struct json *
agent_db_row(const struct agent_db *state, enum agent_db_table t, size_t i)
{
    return i < agent_db_n_rows(state,
                               t) ? state->rows[t]->array.elems[i] : NULL;
}

static const struct json *
cell(const struct json *row, const char *col)
{
    return row && row->type == JSON_OBJECT
           ? shash_find_data(json_object(row), col) : NULL;
}

/* For ["uuid", U] returns U; for a plain atom, the atom's text ('buf' holds
 * it for numbers and booleans). */
static const char *
atom_str(const struct json *a, char buf[32])
{
    if (a->type == JSON_ARRAY && a->array.n == 2) {
        a = a->array.elems[1];
    }
    switch (a->type) {
    case JSON_STRING:
        return json_string(a);
    case JSON_INTEGER:
        snprintf(buf, 32, "%"PRId64, json_integer(a));
        return buf;
    case JSON_REAL:
        snprintf(buf, 32, "%.17g", json_real(a));
        return buf;
    case JSON_TRUE:
        return "true";
    case JSON_FALSE:
        return "false";
    case JSON_NULL:
    case JSON_OBJECT:
    case JSON_ARRAY:
    case JSON_N_TYPES:
    case JSON_SERIALIZED_OBJECT:
    default:
        return "";
    }
}

/* Is 'v' ["set", [...]] or ["map", [...]]?  Returns the inner array. */
static const struct json *
compound(const struct json *v, const char *kind)
{
    const struct json *tag;

    if (!v || v->type != JSON_ARRAY || v->array.n != 2) {
        return NULL;
    }
    tag = v->array.elems[0];
    return (tag->type == JSON_STRING && !strcmp(json_string(tag), kind)
            && v->array.elems[1]->type == JSON_ARRAY)
           ? v->array.elems[1] : NULL;
}

const struct json *
agent_db_find(const struct agent_db *state, enum agent_db_table t,
              const char *col,
         const char *value)
{
    const struct shash *index = (!strcmp(col, "name") ? &state->by_name[t]
                                 : !strcmp(col, "_uuid") ? &state->by_uuid[t]
                                 : NULL);
    size_t i;

    if (index) {
        return shash_find_data(index, value);
    }
    for (i = 0; i < agent_db_n_rows(state, t); i++) {
        const struct json *row = agent_db_row(state, t, i);
        const struct json *v = cell(row, col);
        char buf[32];

        if (v && !compound(v, "set") && !compound(v, "map")
            && !strcmp(atom_str(v, buf), value)) {
            return row;
        }
    }
    return NULL;
}

const char *
agent_db_str(const struct json *row, const char *col)
{
    const struct json *v = cell(row, col);

    return v && v->type == JSON_STRING ? json_string(v) : NULL;
}

long long
agent_db_int(const struct json *row, const char *col, long long dflt)
{
    const struct json *v = cell(row, col);

    return v && v->type == JSON_INTEGER ? json_integer(v) : dflt;
}

const char *
agent_db_uuid(const struct json *row, const char *col)
{
    const struct json *v = cell(row, col);

    if (!v || compound(v, "set") || v->type != JSON_ARRAY
        || v->array.n != 2 || v->array.elems[1]->type != JSON_STRING) {
        return NULL;            /* The empty set: no reference. */
    }
    return json_string(v->array.elems[1]);
}

const char *
agent_db_map_get(const struct json *row, const char *col, const char *key)
{
    const struct json *pairs = compound(cell(row, col), "map");
    size_t i;

    for (i = 0; pairs && i < pairs->array.n; i++) {
        const struct json *pair = pairs->array.elems[i];

        if (pair->type == JSON_ARRAY && pair->array.n == 2
            && pair->array.elems[0]->type == JSON_STRING
            && pair->array.elems[1]->type == JSON_STRING
            && !strcmp(json_string(pair->array.elems[0]), key)) {
            return json_string(pair->array.elems[1]);
        }
    }
    return NULL;
}

bool
agent_db_set_has_uuid(const struct json *row, const char *col,
                      const char *uuid)
{
    const struct json *v = cell(row, col);
    const struct json *set = compound(v, "set");
    char buf[32];
    size_t i;

    if (!v) {
        return false;
    }
    if (!set) {
        return !strcmp(atom_str(v, buf), uuid);
    }
    for (i = 0; i < set->array.n; i++) {
        if (!strcmp(atom_str(set->array.elems[i], buf), uuid)) {
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
agent_db_canon(const struct json *row, const char *col)
{
    const struct json *v = cell(row, col);
    const struct json *set = compound(v, "set"), *map = compound(v, "map");
    const struct json *items_json = set ? set : map;
    struct ds s = DS_EMPTY_INITIALIZER;
    char buf[32], buf2[32];
    char **items;
    size_t i, n;

    if (!v) {
        return xstrdup("");
    }
    if (!items_json) {
        return xstrdup(atom_str(v, buf));
    }
    n = items_json->array.n;
    items = xmalloc((n + 1) * sizeof *items);
    for (i = 0; i < n; i++) {
        const struct json *e = items_json->array.elems[i];

        if (set) {
            items[i] = xstrdup(atom_str(e, buf));
        } else if (e->type == JSON_ARRAY && e->array.n == 2) {
            items[i] = xasprintf("%s=%s", atom_str(e->array.elems[0], buf),
                                 atom_str(e->array.elems[1], buf2));
        } else {
            items[i] = xstrdup("");
        }
    }
    qsort(items, n, sizeof *items, compare_canon);
    for (i = 0; i < n; i++) {
        ds_put_format(&s, "%s%s", i ? "," : "", items[i]);
        free(items[i]);
    }
    free(items);
    return ds_steal_cstr(&s);
}

bool
agent_db_owned(const struct json *row)
{
    const char *owner = agent_db_map_get(row, "external_ids", L2MT_OWNER_KEY);

    return owner && !strcmp(owner, L2MT_OWNER);
}

static const struct json *
parent_of(const struct agent_db *state, enum agent_db_table t,
          const struct json *row)
{
    const char *uuid = agent_db_uuid(row, "_uuid");

    return uuid ? shash_find_data(&state->parent[t], uuid) : NULL;
}

const struct json *
agent_db_port_bridge(const struct agent_db *state, const struct json *port)
{
    return parent_of(state, OT_PORT, port);
}

const struct json *
agent_db_iface_port(const struct agent_db *state, const struct json *iface)
{
    return parent_of(state, OT_INTERFACE, iface);
}

/* The interface of 'port' (the first one, for a bond). */
const struct json *
agent_db_port_iface(const struct agent_db *state, const struct json *port)
{
    const struct json *v = cell(port, "interfaces");
    const struct json *set = compound(v, "set");
    char buf[32];

    if (set) {
        v = set->array.n ? set->array.elems[0] : NULL;
    }
    return v ? agent_db_find(state, OT_INTERFACE, "_uuid", atom_str(v, buf))
           : NULL;
}
