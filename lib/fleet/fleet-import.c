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

#include "fleet/fleet-import.h"

#include <stdlib.h>
#include <string.h>

#include "fleet/l2mt-idl.h"
#include "l2mt-conf.h"
#include "nat64.h"
#include "openvswitch/shash.h"
#include "smap.h"
#include "util.h"

/* An optional integer column: 'value' if 'present', else empty. */
#define SET_OPT_INT(ROW, FUNC, VALUE, PRESENT)      \
    do {                                            \
        int64_t v_ = (VALUE);                       \
        FUNC(ROW, &v_, (PRESENT) ? 1 : 0);          \
    } while (0)

static void
import_host(const struct l2mt_conf_host *h, struct ovsdb_idl_txn *txn,
            struct shash *hosts)
{
    struct l2mtrec_host *row = l2mtrec_host_insert(txn);
    const struct l2mt_conf_sflow *s = &h->sflow;
    const struct l2mt_conf_ipsec *ip = &h->ipsec;
    struct smap certs = SMAP_INITIALIZER(&certs);
    struct smap names = SMAP_INITIALIZER(&names);

    l2mtrec_host_set_name(row, h->name);
    l2mtrec_host_set_edge_switch(row, h->edge_switch);
    l2mtrec_host_set_bridge(row, h->bridge);
    l2mtrec_host_set_datapath_type(row, h->datapath_type);
    l2mtrec_host_set_tunnel_mode(row, l2mt_tunnel_mode_name(h->tunnel_mode));
    l2mtrec_host_set_underlay_interface(row, h->underlay_if);
    l2mtrec_host_set_underlay_ip(row, h->underlay_ip);
    l2mtrec_host_set_underlay_bridge(row, h->underlay_bridge);
    l2mtrec_host_set_inventory(row, h->inventory);
    if (s->line) {
        l2mtrec_host_set_sflow_agent(row, s->agent);
        l2mtrec_host_set_sflow_targets(row, (const char **) s->targets,
                                       s->n_targets);
        SET_OPT_INT(row, l2mtrec_host_set_sflow_sampling, s->sampling, true);
        SET_OPT_INT(row, l2mtrec_host_set_sflow_polling, s->polling, true);
        SET_OPT_INT(row, l2mtrec_host_set_sflow_header, s->header, true);
    }
    /* BFD: only what the file said, so that defaults stay defaults. */
    if (h->bfd.off) {
        bool off = false;
        l2mtrec_host_set_bfd(row, &off, 1);
    }
    SET_OPT_INT(row, l2mtrec_host_set_bfd_min_rx, h->bfd.min_rx,
                h->bfd.min_rx);
    SET_OPT_INT(row, l2mtrec_host_set_bfd_min_tx, h->bfd.min_tx,
                h->bfd.min_tx);
    SET_OPT_INT(row, l2mtrec_host_set_bfd_mult, h->bfd.mult, h->bfd.mult);
    l2mtrec_host_set_ipsec_psk(row, ip->psk);
    l2mtrec_host_set_ipsec_certificate(row, ip->certificate);
    l2mtrec_host_set_ipsec_private_key(row, ip->private_key);
    l2mtrec_host_set_ipsec_ca_cert(row, ip->ca_cert);
    for (size_t i = 0; i < ip->n_remotes; i++) {
        if (ip->remote_certs[i]) {
            smap_add(&certs, ip->remotes[i], ip->remote_certs[i]);
        }
        if (ip->remote_names[i]) {
            smap_add(&names, ip->remotes[i], ip->remote_names[i]);
        }
    }
    l2mtrec_host_set_ipsec_remote_certs(row, &certs);
    l2mtrec_host_set_ipsec_remote_names(row, &names);
    smap_destroy(&certs);
    smap_destroy(&names);
    shash_add(hosts, h->name, row);
}

static const struct l2mtrec_tenant *
import_tenant(const struct l2mt_conf_tenant *t, struct ovsdb_idl_txn *txn)
{
    struct l2mtrec_tenant *row = l2mtrec_tenant_insert(txn);
    bool nat64 = t->nat64;

    l2mtrec_tenant_set_tenant_id(row, t->id);
    l2mtrec_tenant_set_name(row, t->name);
    l2mtrec_tenant_set_gre_key(row, t->gre_key);
    l2mtrec_tenant_set_remotes(row, (const char **) t->remotes,
                               t->n_remotes);
    l2mtrec_tenant_set_service_v4_port(row, t->service_v4_port);
    l2mtrec_tenant_set_service_v6_port(row, t->service_v6_port);
    l2mtrec_tenant_set_prefix(row, t->prefix);
    l2mtrec_tenant_set_nat64(row, &nat64, 1);
    l2mtrec_tenant_set_service_addresses(row,
                                         (const char **) t->service_addrs,
                                         t->n_service_addrs);
    l2mtrec_tenant_set_ipv6_sources(row, (const char **) t->ipv6_sources,
                                    t->n_ipv6_sources);
    SET_OPT_INT(row, l2mtrec_tenant_set_meter_pps, t->meters.pps, true);
    SET_OPT_INT(row, l2mtrec_tenant_set_meter_nd_pps, t->meters.nd_pps,
                true);
    SET_OPT_INT(row, l2mtrec_tenant_set_mtu6, t->mtu6, t->mtu6 != 0);
    SET_OPT_INT(row, l2mtrec_tenant_set_mtu4, t->mtu4, t->mtu4 != 0);
    return row;
}

static const struct l2mtrec_profile *
import_profile(const struct l2mt_conf_profile *p, struct ovsdb_idl_txn *txn)
{
    struct l2mtrec_profile *row = l2mtrec_profile_insert(txn);
    struct smap qos = SMAP_INITIALIZER(&qos);

    l2mtrec_profile_set_name(row, p->name);
    SET_OPT_INT(row, l2mtrec_profile_set_vlan, p->vlan, p->vlan >= 0);
    l2mtrec_profile_set_trunks(row, p->trunks);
    SET_OPT_INT(row, l2mtrec_profile_set_ingress_policing_rate,
                p->policing_rate, p->policing_rate >= 0);
    SET_OPT_INT(row, l2mtrec_profile_set_ingress_policing_burst,
                p->policing_burst, p->policing_burst >= 0);
    l2mtrec_profile_set_qos_type(row, p->qos_type);
    for (size_t i = 0; i < p->n_qos_config; i++) {
        /* The parser checked that each is KEY=VALUE. */
        const char *eq = strchr(p->qos_config[i], '=');
        char *key = xmemdup0(p->qos_config[i], eq - p->qos_config[i]);

        smap_replace(&qos, key, eq + 1);
        free(key);
    }
    l2mtrec_profile_set_qos_config(row, &qos);
    smap_destroy(&qos);
    if (p->sflow >= 0) {
        bool sflow = p->sflow;
        l2mtrec_profile_set_sflow(row, &sflow, 1);
    }
    if (p->nat64 >= 0) {
        l2mtrec_profile_set_nat64(row, l2mt_mode_name(p->nat64));
    }
    SET_OPT_INT(row, l2mtrec_profile_set_meter_pps, p->meters.pps,
                p->meters.pps != 0);
    SET_OPT_INT(row, l2mtrec_profile_set_meter_nd_pps, p->meters.nd_pps,
                p->meters.nd_pps != 0);
    return row;
}

void
fleet_import(const struct l2mt_conf *conf, struct ovsdb_idl *idl,
             struct ovsdb_idl_txn *txn)
{
    static const char *const match[] = {
        [L2MT_MATCH_INTERFACE] = "interface",
        [L2MT_MATCH_IFACE_ID] = "iface-id",
        [L2MT_MATCH_MAC] = "mac",
    };
    const struct l2mtrec_tenant **tenants;
    const struct l2mtrec_profile **profiles;
    struct shash bound = SHASH_INITIALIZER(&bound);
    struct shash hosts = SHASH_INITIALIZER(&hosts);
    const struct l2mtrec_vm_port *port, *next_port;
    const struct l2mtrec_host *host, *next_host;
    const struct l2mtrec_tenant *tenant, *next_tenant;
    const struct l2mtrec_profile *profile, *next_profile;
    size_t i;

    /* Where each VM port is bound now (by port name and host name): the
     * file does not say, the agents do. */
    L2MTREC_VM_PORT_FOR_EACH (port, idl) {
        if (port->host) {
            shash_add(&bound, port->name, xstrdup(port->host->name));
        }
    }
    L2MTREC_VM_PORT_FOR_EACH_SAFE (port, next_port, idl) {
        l2mtrec_vm_port_delete(port);
    }
    L2MTREC_PROFILE_FOR_EACH_SAFE (profile, next_profile, idl) {
        l2mtrec_profile_delete(profile);
    }
    L2MTREC_TENANT_FOR_EACH_SAFE (tenant, next_tenant, idl) {
        l2mtrec_tenant_delete(tenant);
    }
    L2MTREC_HOST_FOR_EACH_SAFE (host, next_host, idl) {
        l2mtrec_host_delete(host);
    }

    for (i = 0; i < conf->n_hosts; i++) {
        import_host(&conf->hosts[i], txn, &hosts);
    }
    tenants = xcalloc(conf->n_tenants + 1, sizeof *tenants);
    for (i = 0; i < conf->n_tenants; i++) {
        tenants[i] = import_tenant(&conf->tenants[i], txn);
    }
    profiles = xcalloc(conf->n_profiles + 1, sizeof *profiles);
    for (i = 0; i < conf->n_profiles; i++) {
        profiles[i] = import_profile(&conf->profiles[i], txn);
    }
    for (i = 0; i < conf->n_ports; i++) {
        const struct l2mt_conf_port *p = &conf->ports[i];
        struct l2mtrec_vm_port *row = l2mtrec_vm_port_insert(txn);
        const char *host_name = shash_find_data(&bound, p->label);

        l2mtrec_vm_port_set_name(row, p->label);
        l2mtrec_vm_port_set_match(row, match[p->match]);
        l2mtrec_vm_port_set_value(row, p->value);
        if (p->profile) {
            l2mtrec_vm_port_set_profile(
                row, profiles[p->profile - conf->profiles]);
        }
        if (p->tenant) {
            l2mtrec_vm_port_set_tenant(row,
                                       tenants[p->tenant - conf->tenants]);
        }
        if (host_name) {
            l2mtrec_vm_port_set_host(row, shash_find_data(&hosts,
                                                          host_name));
        }
    }
    free(tenants);
    free(profiles);
    shash_destroy_free_data(&bound);
    shash_destroy(&hosts);
}
