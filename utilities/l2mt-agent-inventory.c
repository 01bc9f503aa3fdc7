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
#include "l2mt-agent-inventory.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "l2mt-agent-gather.h"
#include "l2mt-agent-netlink.h"
#include "l2mt-conf-util.h"
#include "openvswitch/json.h"
#include "util.h"

/* Interfaces that are VM (or service VM) ports: system and tap devices and
 * vhost-user sockets, not tunnels, patch or internal ports. */
static bool
is_vm_iface(const char *type)
{
    return !type || !type[0] || !strcmp(type, "system")
           || !strcmp(type, "tap") || !strncmp(type, "dpdkvhostuser", 13);
}

static const struct l2mt_conf_port *
binding_of(const struct l2mt_conf *c, const struct json *iface)
{
    const char *name = agent_db_str(iface, "name");
    const char *id = agent_db_map_get(iface, "external_ids", "iface-id");
    const char *mac = agent_db_map_get(iface, "external_ids", "attached-mac");
    size_t i;

    for (i = 0; i < c->n_ports; i++) {
        const struct l2mt_conf_port *cp = &c->ports[i];
        const char *v = cp->match == L2MT_MATCH_INTERFACE ? name
                        : cp->match == L2MT_MATCH_IFACE_ID ? id : mac;

        if (v && !strcasecmp(v, cp->value)) {
            return cp;
        }
    }
    return NULL;
}

/* Written with keys sorted (JSSF_SORT), so that the same inventory is the
 * same text and an unchanged one is not rewritten. */
char *
agent_inventory(const struct agent_ctx *ctx, const struct agent_db *state)
{
    const struct l2mt_conf_host *h = ctx->host;
    struct json *root = json_object_create();
    struct json *vms = json_array_create_empty();
    char *text, *json;
    size_t i;

    json_object_put(root, "version", json_integer_create(1));
    json_object_put_string(root, "host", h->name);
    if (h->edge_switch) {
        json_object_put_string(root, "edge_switch", h->edge_switch);
    }
    for (i = 0; i < agent_db_n_rows(state, OT_INTERFACE); i++) {
        const struct json *iface = agent_db_row(state, OT_INTERFACE, i);
        const char *name = agent_db_str(iface, "name");
        const struct json *port = agent_db_iface_port(state, iface);
        const struct json *br = agent_db_port_bridge(state, port);
        const char *brname = agent_db_str(br, "name");
        const char *mac = agent_db_map_get(iface, "external_ids",
                                           "attached-mac");
        const char *source = "ovsdb";
        const struct l2mt_conf_port *cp;
        const struct l2mt_conf_tenant *t;
        struct json *vm;
        char kmac[18];
        long long tag;

        if (!name || !brname || !is_vm_iface(agent_db_str(iface, "type"))
            || (h->underlay_bridge && !strcmp(brname, h->underlay_bridge))) {
            continue;
        }
        if (!mac) {
            if (agent_nl_link_mac(name, kmac)) {
                continue;       /* No MAC anywhere: not in the inventory. */
            }
            mac = kmac;
            source = "kernel";
        }
        cp = binding_of(ctx->conf, iface);
        t = cp && cp->tenant ? cp->tenant
            : l2mt_conf_find_tenant_by_port(ctx->conf, name);
        tag = agent_db_int(port, "tag", -1);

        /* The schema of l2mt-flowd's reader (Documentation/flowd.md):
         * absent keys mean "unknown", never null. */
        vm = json_object_create();
        json_object_put_string(vm, "mac", mac);
        json_object_put_string(vm, "host", h->name);
        if (h->edge_switch) {
            json_object_put_string(vm, "edge_switch", h->edge_switch);
        }
        json_object_put_string(vm, "iface", name);
        json_object_put_string(vm, "bridge", brname);
        if (t) {
            json_object_put_string(vm, "tenant", t->name);
            json_object_put(vm, "tenant_id", json_integer_create(t->id));
            json_object_put(vm, "tenant_key",
                            json_integer_create(t->gre_key));
        }
        if (tag >= 0) {
            json_object_put(vm, "vlan", json_integer_create(tag));
        }
        if (cp && cp->profile) {
            json_object_put_string(vm, "profile", cp->profile->name);
        }
        json_object_put(vm, "sflow",
                        json_boolean_create(!(cp && cp->profile
                                              && !cp->profile->sflow)));
        json_object_put_string(vm, "mac_source", source);
        json_array_add(vms, vm);
    }
    json_object_put(root, "vms", vms);
    json = json_to_string(root, JSSF_PRETTY | JSSF_SORT);
    text = xasprintf("%s\n", json);
    free(json);
    json_destroy(root);
    return text;
}

int
agent_inventory_write(const struct agent_ctx *ctx,
                      const struct agent_db *state, const char *path,
                      bool *wrote)
{
    char *text = agent_inventory(ctx, state);
    char *old = NULL;
    size_t old_len;
    int error;

    *wrote = false;
    if (!l2mt_read_file(path, &old, &old_len) && !strcmp(old, text)) {
        free(old);
        free(text);
        return 0;
    }
    free(old);
    error = l2mt_write_file(path, text, 0666);
    *wrote = !error;
    free(text);
    return error;
}

char *
agent_inventory_print(const struct agent_ctx *ctx)
{
    struct agent_db state;
    char *error, *text;

    error = agent_gather_db(&ctx->ovs, &state);
    if (error) {
        char *msg = xasprintf("cannot read the switch: %s", error);

        free(error);
        return msg;
    }
    text = agent_inventory(ctx, &state);
    fputs(text, stdout);
    free(text);
    agent_db_destroy(&state);
    return NULL;
}
