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

#include "fleet/fleet-text.h"

#include <ctype.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "fleet/l2mt-idl.h"
#include "l2mt-conf.h"
#include "openvswitch/dynamic-string.h"
#include "smap.h"
#include "util.h"

/* A value becomes one word of the file only if the parser reads it back as
 * that word: a blank or a newline in a name would let a row write lines of
 * its own (another block, a key of another tenant). */
static bool
is_word(const char *s)
{
    if (!*s) {
        return false;
    }
    for (; *s; s++) {
        if (isspace((unsigned char) *s) || iscntrl((unsigned char) *s)
            || strchr("#{}", *s)) {
            return false;
        }
    }
    return true;
}

struct render {
    struct ds *out;
    char *error;                /* First value refused, or NULL. */
};

static void
word(struct render *r, const char *what, const char *s)
{
    if (!is_word(s)) {
        if (!r->error) {
            r->error = xasprintf("%s: \"%s\" is not one word (no blank, "
                                 "'#', '{' or '}')", what, s);
        }
        ds_put_cstr(r->out, "?");
        return;
    }
    ds_put_cstr(r->out, s);
}

/* "    KEY VALUE\n" if 'value' is nonnull. */
static void
key_str(struct render *r, const char *what, const char *key,
        const char *value)
{
    if (value) {
        ds_put_format(r->out, "    %s ", key);
        word(r, what, value);
        ds_put_char(r->out, '\n');
    }
}

static void
key_int(struct render *r, const char *key, const int64_t *v, size_t n)
{
    if (n) {
        ds_put_format(r->out, "    %s %"PRId64"\n", key, v[0]);
    }
}

static void
key_bool(struct render *r, const char *key, const bool *v, size_t n)
{
    if (n) {
        ds_put_format(r->out, "    %s %s\n", key, v[0] ? "on" : "off");
    }
}

static void
key_strs(struct render *r, const char *what, const char *key,
         char **v, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        key_str(r, what, key, v[i]);
    }
}

static int
compare_host(const void *a_, const void *b_)
{
    const struct l2mtrec_host *const *a = a_, *const *b = b_;
    return strcmp((*a)->name, (*b)->name);
}

int
fleet_compare_tenants(const void *a_, const void *b_)
{
    const struct l2mtrec_tenant *const *a = a_, *const *b = b_;
    return ((*a)->tenant_id > (*b)->tenant_id)
            - ((*a)->tenant_id < (*b)->tenant_id);
}

static int
compare_profile(const void *a_, const void *b_)
{
    const struct l2mtrec_profile *const *a = a_, *const *b = b_;
    return strcmp((*a)->name, (*b)->name);
}

static int
compare_port(const void *a_, const void *b_)
{
    const struct l2mtrec_vm_port *const *a = a_, *const *b = b_;
    return strcmp((*a)->name, (*b)->name);
}

/* Fills '*rowsp' with the rows of 'table' in 'idl', sorted by 'cmp'. */
static size_t
sorted_rows(struct ovsdb_idl *idl, const struct ovsdb_idl_table_class *table,
            int (*cmp)(const void *, const void *), const void ***rowsp)
{
    const struct ovsdb_idl_row *row;
    size_t n = 0, allocated = 0;
    const void **rows = NULL;

    for (row = ovsdb_idl_first_row(idl, table); row;
         row = ovsdb_idl_next_row(row)) {
        if (n >= allocated) {
            rows = x2nrealloc(rows, &allocated, sizeof *rows);
        }
        rows[n++] = row;
    }
    if (n) {
        qsort(rows, n, sizeof *rows, cmp);
    }
    *rowsp = rows;
    return n;
}

static void
render_ipsec_map(struct render *r, const char *what, const char *key,
                 const struct smap *map)
{
    const struct smap_node **nodes = smap_sort(map);

    for (size_t i = 0; i < smap_count(map); i++) {
        ds_put_format(r->out, "    %s ", key);
        word(r, what, nodes[i]->key);
        ds_put_char(r->out, ' ');
        word(r, what, nodes[i]->value);
        ds_put_char(r->out, '\n');
    }
    free(nodes);
}

static void
render_host(struct render *r, const struct l2mtrec_host *h)
{
    char *what = xasprintf("host %s", h->name);

    ds_put_cstr(r->out, "host ");
    word(r, "host name", h->name);
    ds_put_cstr(r->out, " {\n");
    key_str(r, what, "edge-switch", h->edge_switch);
    key_str(r, what, "bridge", h->bridge);
    key_str(r, what, "datapath", h->datapath_type);
    key_str(r, what, "tunnel-mode", h->tunnel_mode);
    key_str(r, what, "underlay-interface", h->underlay_interface);
    key_str(r, what, "underlay-ip", h->underlay_ip);
    key_str(r, what, "underlay-bridge", h->underlay_bridge);
    key_str(r, what, "inventory", h->inventory);
    key_bool(r, "bfd", h->bfd, h->n_bfd);
    key_int(r, "bfd-min-rx", h->bfd_min_rx, h->n_bfd_min_rx);
    key_int(r, "bfd-min-tx", h->bfd_min_tx, h->n_bfd_min_tx);
    key_int(r, "bfd-mult", h->bfd_mult, h->n_bfd_mult);
    key_str(r, what, "ipsec-psk", h->ipsec_psk);
    key_str(r, what, "ipsec-certificate", h->ipsec_certificate);
    key_str(r, what, "ipsec-private-key", h->ipsec_private_key);
    key_str(r, what, "ipsec-ca-cert", h->ipsec_ca_cert);
    render_ipsec_map(r, what, "ipsec-remote-cert", &h->ipsec_remote_certs);
    render_ipsec_map(r, what, "ipsec-remote-name", &h->ipsec_remote_names);
    /* An sflow block needs a target: the parser says so if only the other
     * columns are set. */
    if (h->n_sflow_targets || h->sflow_agent || h->n_sflow_sampling
        || h->n_sflow_polling || h->n_sflow_header) {
        ds_put_cstr(r->out, "    sflow {\n");
        ds_put_cstr(r->out, "    ");
        key_str(r, what, "agent", h->sflow_agent);
        for (size_t i = 0; i < h->n_sflow_targets; i++) {
            ds_put_cstr(r->out, "    ");
            key_str(r, what, "target", h->sflow_targets[i]);
        }
        if (h->n_sflow_sampling) {
            ds_put_cstr(r->out, "    ");
            key_int(r, "sampling", h->sflow_sampling, 1);
        }
        if (h->n_sflow_polling) {
            ds_put_cstr(r->out, "    ");
            key_int(r, "polling", h->sflow_polling, 1);
        }
        if (h->n_sflow_header) {
            ds_put_cstr(r->out, "    ");
            key_int(r, "header", h->sflow_header, 1);
        }
        ds_put_cstr(r->out, "    }\n");
    }
    ds_put_cstr(r->out, "}\n\n");
    free(what);
}

static void
render_tenant(struct render *r, const struct l2mtrec_tenant *t)
{
    char *what = xasprintf("tenant %"PRId64, t->tenant_id);

    ds_put_format(r->out, "tenant %"PRId64" {\n", t->tenant_id);
    key_str(r, what, "name", t->name);
    ds_put_format(r->out, "    gre-key %"PRId64"\n", t->gre_key);
    key_strs(r, what, "remote", t->remotes, t->n_remotes);
    key_str(r, what, "service-v4-port", t->service_v4_port);
    key_str(r, what, "service-v6-port", t->service_v6_port);
    key_str(r, what, "prefix", t->prefix);
    key_bool(r, "nat64", t->nat64, t->n_nat64);
    key_strs(r, what, "service-address", t->service_addresses,
             t->n_service_addresses);
    key_strs(r, what, "ipv6-source", t->ipv6_sources, t->n_ipv6_sources);
    key_int(r, "meter-pps", t->meter_pps, t->n_meter_pps);
    key_int(r, "meter-nd-pps", t->meter_nd_pps, t->n_meter_nd_pps);
    key_int(r, "mtu6", t->mtu6, t->n_mtu6);
    key_int(r, "mtu4", t->mtu4, t->n_mtu4);
    ds_put_cstr(r->out, "}\n\n");
    free(what);
}

static void
render_profile(struct render *r, const struct l2mtrec_profile *p)
{
    char *what = xasprintf("profile %s", p->name);

    ds_put_cstr(r->out, "profile ");
    word(r, "profile name", p->name);
    ds_put_cstr(r->out, " {\n");
    key_int(r, "vlan", p->vlan, p->n_vlan);
    key_str(r, what, "trunks", p->trunks);
    key_int(r, "ingress-policing-rate", p->ingress_policing_rate,
            p->n_ingress_policing_rate);
    key_int(r, "ingress-policing-burst", p->ingress_policing_burst,
            p->n_ingress_policing_burst);
    if (p->qos_type) {
        const struct smap_node **nodes = smap_sort(&p->qos_config);

        ds_put_cstr(r->out, "    qos ");
        word(r, what, p->qos_type);
        for (size_t i = 0; i < smap_count(&p->qos_config); i++) {
            ds_put_char(r->out, ' ');
            word(r, what, nodes[i]->key);
            ds_put_char(r->out, '=');
            word(r, what, nodes[i]->value);
        }
        ds_put_char(r->out, '\n');
        free(nodes);
    } else if (!smap_is_empty(&p->qos_config) && !r->error) {
        r->error = xasprintf("%s: qos_config without qos_type", what);
    }
    if (p->n_sflow) {
        ds_put_format(r->out, "    sflow %s\n", p->sflow[0] ? "on" : "off");
    }
    key_str(r, what, "nat64", p->nat64);
    key_int(r, "meter-pps", p->meter_pps, p->n_meter_pps);
    key_int(r, "meter-nd-pps", p->meter_nd_pps, p->n_meter_nd_pps);
    ds_put_cstr(r->out, "}\n\n");
    free(what);
}

static void
render_port(struct render *r, const struct l2mtrec_vm_port *p)
{
    char *what = xasprintf("VM port %s", p->name);

    ds_put_cstr(r->out, "port ");
    word(r, "VM port name", p->name);
    ds_put_cstr(r->out, " {\n");
    key_str(r, what, p->match, p->value);
    if (p->profile) {
        key_str(r, what, "profile", p->profile->name);
    }
    if (p->tenant) {
        ds_put_format(r->out, "    tenant %"PRId64"\n", p->tenant->tenant_id);
    }
    ds_put_cstr(r->out, "}\n\n");
    free(what);
}

char *
fleet_text_render(struct ovsdb_idl *idl, const char *host, struct ds *out)
{
    struct render r = { .out = out, .error = NULL };
    const void **rows;
    size_t i, n;

    n = sorted_rows(idl, &l2mtrec_table_host, compare_host, &rows);
    for (i = 0; i < n; i++) {
        const struct l2mtrec_host *h = rows[i];
        if (!host || !strcmp(h->name, host)) {
            render_host(&r, h);
        }
    }
    free(rows);

    n = sorted_rows(idl, &l2mtrec_table_tenant, fleet_compare_tenants, &rows);
    for (i = 0; i < n; i++) {
        render_tenant(&r, rows[i]);
    }
    free(rows);

    n = sorted_rows(idl, &l2mtrec_table_profile, compare_profile, &rows);
    for (i = 0; i < n; i++) {
        render_profile(&r, rows[i]);
    }
    free(rows);

    n = sorted_rows(idl, &l2mtrec_table_vm_port, compare_port, &rows);
    for (i = 0; i < n; i++) {
        render_port(&r, rows[i]);
    }
    free(rows);

    return r.error;
}

struct l2mt_conf *
fleet_text_conf(struct ovsdb_idl *idl, const char *host, char **textp,
                char **errors)
{
    struct l2mt_conf *conf = NULL;
    struct ds text = DS_EMPTY_INITIALIZER;
    char *error;

    error = fleet_text_render(idl, host, &text);
    if (error) {
        *errors = xasprintf("%s: %s\n", FLEET_TEXT_NAME, error);
        free(error);
    } else {
        conf = l2mt_conf_parse(ds_cstr(&text), text.length, FLEET_TEXT_NAME,
                               errors);
        if (conf && host && !l2mt_conf_find_host(conf, host)) {
            l2mt_conf_free(conf);
            conf = NULL;
            *errors = xasprintf("%s: no host %s in the database\n",
                                FLEET_TEXT_NAME, host);
        }
    }
    if (textp) {
        *textp = ds_steal_cstr(&text);
    } else {
        ds_destroy(&text);
    }
    return conf;
}
