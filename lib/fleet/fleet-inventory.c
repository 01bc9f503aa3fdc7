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

#include "fleet/fleet-inventory.h"

#include <inttypes.h>
#include <string.h>

#include "fleet/l2mt-idl.h"
#include "openvswitch/dynamic-string.h"
#include "ovsdb-idl.h"
#include "smap.h"
#include "svec.h"
#include "util.h"

/* Rows come in the IDL's hash order: sorted lines make the text the same
 * for the same contents. */
static void
put_sorted(struct ds *out, struct svec *lines)
{
    const char *line;
    size_t i;

    svec_sort(lines);
    SVEC_FOR_EACH (i, line, lines) {
        ds_put_format(out, "%s\n", line);
    }
    svec_clear(lines);
}

static const char *
tenant_name(const struct l2mtrec_tenant *t, char buf[16])
{
    if (t->name && t->name[0]) {
        return t->name;
    }
    snprintf(buf, 16, "%"PRId64, t->tenant_id);
    return buf;
}

void
fleet_inventory_topology(struct ovsdb_idl *idl, struct ds *out)
{
    const struct l2mtrec_l2mt_global *g = l2mtrec_l2mt_global_first(idl);
    const struct l2mtrec_host *h;
    const struct l2mtrec_tenant *t;
    const struct l2mtrec_vm_port *p;
    struct svec lines = SVEC_EMPTY_INITIALIZER;
    const char *gw = g ? smap_get(&g->external_ids, FLEET_GATEWAYS_KEY)
                       : NULL;
    char buf[16];

    ds_put_cstr(out, "# l2mt-flowd topology from the l2mt database\n");
    L2MTREC_HOST_FOR_EACH (h, idl) {
        if (h->edge_switch) {
            svec_add_nocopy(&lines, xasprintf("host %s switch %s", h->name,
                                              h->edge_switch));
        }
    }
    put_sorted(out, &lines);
    if (gw) {
        char *copy = xstrdup(gw), *save = NULL, *mac;

        ds_put_cstr(out, "gateway");
        for (mac = strtok_r(copy, " \t,", &save); mac;
             mac = strtok_r(NULL, " \t,", &save)) {
            ds_put_format(out, " %s", mac);
        }
        ds_put_char(out, '\n');
        free(copy);
    }
    L2MTREC_TENANT_FOR_EACH (t, idl) {
        svec_add_nocopy(&lines, xasprintf("tenant %s key %"PRId64,
                                          tenant_name(t, buf), t->gre_key));
    }
    put_sorted(out, &lines);
    L2MTREC_VM_PORT_FOR_EACH (p, idl) {
        struct ds line = DS_EMPTY_INITIALIZER;

        if (strcmp(p->match, "mac")) {
            continue;           /* Placed by the agents' inventories. */
        }
        ds_put_format(&line, "mac %s", p->value);
        if (p->host && p->host->edge_switch) {
            ds_put_format(&line, " host %s", p->host->name);
        }
        if (p->tenant) {
            ds_put_format(&line, " tenant %s", tenant_name(p->tenant, buf));
        }
        if (p->profile && p->profile->n_vlan && *p->profile->vlan > 0) {
            ds_put_format(&line, " vlan %"PRId64, *p->profile->vlan);
        }
        svec_add_nocopy(&lines, ds_steal_cstr(&line));
    }
    put_sorted(out, &lines);
    svec_destroy(&lines);
}
