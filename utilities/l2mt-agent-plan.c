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
#include "l2mt-agent-plan.h"

#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "l2mt-agent-log.h"
#include "l2mt-agent-netlink.h"
#include "nat64.h"

/* Port names the agent gives its tunnel ports. */
#define FLOW_GRE_PORT "l2mt-gre"

/* Option keys of tunnel interfaces that the agent manages. */
static const char *const tunnel_keys[] = { "key", "remote_ip", "local_ip" };

void
plan_init(struct plan *p, const struct agent_ctx *ctx)
{
    memset(p, 0, sizeof *p);
    ovs_vsctl_base(&ctx->ovs, &p->vsctl);
}

void
plan_free(struct plan *p)
{
    size_t i;

    agent_cmd_free(&p->vsctl);
    for (i = 0; i < p->n_ip; i++) {
        agent_cmd_free(&p->ip[i]);
    }
    free(p->ip);
    l2mt_str_free(&p->drift);
    l2mt_str_free(&p->errors);
}

/* Appends "-- WORD..." (NULL-terminated) to the transaction. */
static void
cmd(struct plan *p, const char *word, ...)
{
    va_list args;

    agent_cmd_add(&p->vsctl, "--");
    va_start(args, word);
    for (; word; word = va_arg(args, const char *)) {
        agent_cmd_add(&p->vsctl, word);
    }
    va_end(args);
    p->n_cmds++;
}

static void __attribute__((format(printf, 2, 3)))
drift(struct plan *p, const char *fmt, ...)
{
    va_list args;

    va_start(args, fmt);
    l2mt_str_vprintf(&p->drift, fmt, args);
    va_end(args);
    l2mt_str_printf(&p->drift, "\n");
}

/* Makes column 'col' (map key 'key', if nonnull) of record 'rec' of
 * 'table' equal 'value' (canonical text; NULL or "" for empty/absent),
 * written 'text' for ovs-vsctl.  'row' is the record's current row, NULL
 * if the transaction creates it. */
static void
want(struct plan *p, const char *table, const char *rec, json_object *row,
     const char *col, const char *key, const char *value, const char *text)
{
    char *cur = NULL;
    const char *curp;
    bool same;

    if (key) {
        curp = ovs_map_get(row, col, key);
    } else {
        cur = ovs_canon(row, col);
        curp = cur;
    }
    if (!value) {
        value = "";
    }
    same = row && !strcmp(curp ? curp : "", value);
    if (!same) {
        char *arg;

        if (row) {
            drift(p, "%s %s: %s%s%s is \"%s\", want \"%s\"", table, rec, col,
                  key ? ":" : "", key ? key : "", curp ? curp : "", value);
        }
        if (!value[0] && key) {
            if (curp) {
                cmd(p, "remove", table, rec, col, key, NULL);
            }
        } else if (!value[0]) {
            if (row) {
                cmd(p, "clear", table, rec, col, NULL);
            }
        } else {
            arg = key ? l2mt_xasprintf("%s:%s=%s", col, key, text)
                      : l2mt_xasprintf("%s=%s", col, text);
            cmd(p, "set", table, rec, arg, NULL);
            free(arg);
        }
    }
    free(cur);
}

/* Starts "-- --id=@ID create TABLE" for a row that only a reference keeps
 * (QoS, sFlow); the caller adds its columns, then calls create_end(). */
static void
create_begin(struct plan *p, const char *table, char id[32])
{
    snprintf(id, 32, "@row%d", p->n_ids++);
    agent_cmd_add(&p->vsctl, "--");
    agent_cmd_addf(&p->vsctl, "--id=%s", id);
    agent_cmd_add(&p->vsctl, "create");
    agent_cmd_add(&p->vsctl, table);
}

/* Marks the row begun by create_begin() as l2mt's and points column 'col'
 * of record 'rec' of 'table' at it. */
static void
create_end(struct plan *p, const char *id, const char *table,
           const char *rec, const char *col)
{
    char *arg = l2mt_xasprintf("%s=%s", col, id);

    agent_cmd_add(&p->vsctl, "external_ids:" L2MT_OWNER_KEY "=\""
                  L2MT_OWNER "\"");
    p->n_cmds++;
    cmd(p, "set", table, rec, arg, NULL);
    free(arg);
}

/* want() for a string value, quoted for ovs-vsctl. */
static void
want_str(struct plan *p, const char *table, const char *rec,
         json_object *row, const char *col, const char *key,
         const char *value)
{
    char *text = value ? l2mt_xasprintf("\"%s\"", value) : NULL;

    want(p, table, rec, row, col, key, value, text);
    free(text);
}

static void
want_int(struct plan *p, const char *table, const char *rec,
         json_object *row, const char *col, long long value)
{
    char text[32];

    snprintf(text, sizeof text, "%lld", value);
    want(p, table, rec, row, col, NULL, text, text);
}

/* The ports the agent wants on its bridges. */
struct dport {
    const char *bridge;
    char *name;
    const char *type;           /* "gre" or NULL for a system port. */
    char *options[3];           /* Values for tunnel_keys, NULL if unset. */
};

struct dports {
    struct dport *ports;
    size_t n;
};

static struct dport *
dports_add(struct dports *d, const char *bridge, const char *name)
{
    struct dport *dp;

    d->ports = l2mt_xrealloc(d->ports, (d->n + 1) * sizeof *d->ports);
    dp = &d->ports[d->n++];
    memset(dp, 0, sizeof *dp);
    dp->bridge = bridge;
    dp->name = l2mt_xstrdup(name);
    return dp;
}

static void
dport_set_tunnel(struct dport *dp, const char *key, const char *remote,
                 const char *local)
{
    dp->type = "gre";
    dp->options[0] = l2mt_xstrdup(key);
    dp->options[1] = l2mt_xstrdup(remote);
    dp->options[2] = local ? l2mt_xstrdup(local) : NULL;
}

static void
dports_free(struct dports *d)
{
    size_t i, j;

    for (i = 0; i < d->n; i++) {
        free(d->ports[i].name);
        for (j = 0; j < 3; j++) {
            free(d->ports[i].options[j]);
        }
    }
    free(d->ports);
}

static const struct dport *
dports_find(const struct dports *d, const char *name)
{
    size_t i;

    for (i = 0; i < d->n; i++) {
        if (!strcmp(d->ports[i].name, name)) {
            return &d->ports[i];
        }
    }
    return NULL;
}

/* Name of the per-tenant GRE port for remote number 'i' of 't'. */
static char *
tunnel_port_name(const struct l2mt_conf_tenant *t, size_t i)
{
    return i ? l2mt_xasprintf("gre%"PRIu32"-%zu", t->gre_key, i)
             : l2mt_xasprintf("gre%"PRIu32, t->gre_key);
}

/* The tunnel address without its length, or NULL. */
static char *
underlay_addr(const struct l2mt_conf_host *h)
{
    return h->underlay_ip
           ? l2mt_xstrndup(h->underlay_ip, strcspn(h->underlay_ip, "/"))
           : NULL;
}

static void
desired_ports(const struct agent_ctx *ctx, struct dports *d)
{
    const struct l2mt_conf_host *h = ctx->host;
    const struct l2mt_conf *c = ctx->conf;
    char *local = underlay_addr(h);
    size_t i, j;

    if (h->underlay_bridge) {
        dports_add(d, h->underlay_bridge, h->underlay_if);
    }
    if (h->tunnel_mode == L2MT_TUNNEL_FLOW && c->n_tenants) {
        dport_set_tunnel(dports_add(d, h->bridge, FLOW_GRE_PORT),
                         "flow", "flow", local);
    }
    for (i = 0; i < c->n_tenants; i++) {
        const struct l2mt_conf_tenant *t = &c->tenants[i];

        for (j = 0; h->tunnel_mode == L2MT_TUNNEL_PER_TENANT
                    && j < t->n_remotes; j++) {
            char *name = tunnel_port_name(t, j);
            char key[16];

            snprintf(key, sizeof key, "%"PRIu32, t->gre_key);
            dport_set_tunnel(dports_add(d, h->bridge, name), key,
                             t->remotes[j], local);
            free(name);
        }
        dports_add(d, h->bridge, t->service_v4_port);
        if (t->service_v6_port) {
            dports_add(d, h->bridge, t->service_v6_port);
        }
    }
    free(local);
}

/* A bridge's ports that the agent did not create, other than its own
 * internal port: such a bridge stays when l2mt's state goes. */
static const char *
foreign_port(const struct ovs_state *state, json_object *br)
{
    const char *brname = ovs_str(br, "name");
    size_t i;

    for (i = 0; i < ovs_n_rows(state, OT_PORT); i++) {
        json_object *port = ovs_row(state, OT_PORT, i);
        const char *name = ovs_str(port, "name");

        if (ovs_set_has_uuid(br, "ports", ovs_uuid(port, "_uuid"))
            && !ovs_owned(port) && strcmp(name, brname)) {
            return name;
        }
    }
    return NULL;
}

static bool
bridge_wanted(const struct agent_ctx *ctx, const char *name, bool remove)
{
    const struct l2mt_conf_host *h = ctx->host;

    return !remove && (!strcmp(name, h->bridge)
                       || (h->underlay_bridge
                           && !strcmp(name, h->underlay_bridge)));
}

/* Does the transaction delete bridge 'br'? */
static bool
bridge_goes(const struct agent_ctx *ctx, const struct ovs_state *state,
            json_object *br, bool remove)
{
    return br && ovs_owned(br)
           && !bridge_wanted(ctx, ovs_str(br, "name"), remove)
           && !foreign_port(state, br);
}

static void
want_bridge(struct plan *p, const struct ovs_state *state, const char *name,
            const char *datapath_type, const char *hwaddr)
{
    json_object *row = ovs_find(state, OT_BRIDGE, "name", name);

    if (!row) {
        drift(p, "Bridge %s: missing", name);
        cmd(p, "add-br", name, NULL);
        want_str(p, "Bridge", name, NULL, "external_ids", L2MT_OWNER_KEY,
                 L2MT_OWNER);
    } else if (!ovs_owned(row)) {
        const char *dp = ovs_str(row, "datapath_type");

        if (strcmp(dp ? dp : "", datapath_type)
            && (dp && dp[0] ? dp : "system")[0] != datapath_type[0]) {
            AGENT_WARN("bridge %s is not l2mt's: keeping its datapath_type "
                       "\"%s\" (config: %s)", name, dp ? dp : "",
                       datapath_type);
        }
        return;
    }
    want_str(p, "Bridge", name, row, "datapath_type", NULL, datapath_type);
    if (hwaddr) {
        want_str(p, "Bridge", name, row, "other_config", "hwaddr", hwaddr);
    }
}

static void
want_port(struct plan *p, const struct ovs_state *state,
          const struct dport *dp)
{
    json_object *row = ovs_find(state, OT_PORT, "name", dp->name);
    json_object *iface = NULL;
    bool moved = false;
    size_t k;

    if (row) {
        const char *br = ovs_str(ovs_port_bridge(state, row), "name");

        if (br && strcmp(br, dp->bridge)) {
            if (!ovs_owned(row)) {
                l2mt_str_printf(&p->errors, "port %s is on bridge %s, not "
                                "%s, and was not created by l2mt: move or "
                                "rename it\n", dp->name, br, dp->bridge);
                return;
            }
            drift(p, "Port %s: on bridge %s, want %s", dp->name, br,
                  dp->bridge);
            cmd(p, "del-port", br, dp->name, NULL);
            row = NULL;
            moved = true;
        }
    }
    if (!row) {
        if (!moved) {
            drift(p, "Port %s: missing on bridge %s", dp->name, dp->bridge);
        }
        cmd(p, "add-port", dp->bridge, dp->name, NULL);
        want_str(p, "Port", dp->name, NULL, "external_ids", L2MT_OWNER_KEY,
                 L2MT_OWNER);
    } else {
        iface = ovs_find(state, OT_INTERFACE, "name", dp->name);
    }
    if (dp->type) {
        want_str(p, "Interface", dp->name, iface, "type", NULL, dp->type);
        for (k = 0; k < 3; k++) {
            want_str(p, "Interface", dp->name, iface, "options",
                     tunnel_keys[k], dp->options[k]);
        }
    }
}

static int
compare_numbers(const void *a, const void *b)
{
    long x = strtol(*(const char **) a, NULL, 10);
    long y = strtol(*(const char **) b, NULL, 10);

    return x < y ? -1 : x > y;
}

static int
compare_strings(const void *a, const void *b)
{
    return strcmp(*(const char **) a, *(const char **) b);
}

/* Joins 'n' words, sorted with 'cmp', with ','; each as "\"%s\"" if
 * 'quote'.  Caller frees. */
static char *
join_sorted(char **words, size_t n, int (*cmp)(const void *, const void *),
            bool quote)
{
    struct l2mt_str s = { NULL, 0, 0 };
    char **copy = l2mt_xmalloc((n + 1) * sizeof *copy);
    size_t i;

    memcpy(copy, words, n * sizeof *copy);
    qsort(copy, n, sizeof *copy, cmp);
    l2mt_str_printf(&s, "%s", "");
    for (i = 0; i < n; i++) {
        l2mt_str_printf(&s, quote ? "%s\"%s\"" : "%s%s", i ? "," : "",
                        copy[i]);
    }
    free(copy);
    return l2mt_str_steal(&s);
}

static char *
trunks_canon(const char *trunks)
{
    char *copy = l2mt_xstrdup(trunks), *save, *tok, *out;
    char **words = NULL;
    size_t n = 0;

    for (tok = strtok_r(copy, ",", &save); tok;
         tok = strtok_r(NULL, ",", &save)) {
        words = l2mt_xrealloc(words, (n + 1) * sizeof *words);
        words[n++] = tok;
    }
    out = join_sorted(words, n, compare_numbers, false);
    free(words);
    free(copy);
    return out;
}

static void
want_qos(struct plan *p, const struct ovs_state *state, const char *pname,
         json_object *port, const struct l2mt_conf_profile *prof)
{
    const char *cur = port ? ovs_uuid(port, "qos") : NULL;
    json_object *qrow = cur ? ovs_find(state, OT_QOS, "_uuid", cur) : NULL;
    size_t i;

    if (prof && prof->qos_type) {
        char *want_cfg = join_sorted(prof->qos_config, prof->n_qos_config,
                                     compare_strings, false);
        char *cur_cfg = ovs_canon(qrow, "other_config");
        const char *type = ovs_str(qrow, "type");
        char id[32];

        if (qrow && ovs_owned(qrow) && type && !strcmp(type, prof->qos_type)
            && !strcmp(cur_cfg, want_cfg)) {
            free(want_cfg);
            free(cur_cfg);
            return;
        }
        if (port) {
            drift(p, "Port %s: qos is %s \"%s\", want %s \"%s\"", pname,
                  type ? type : "none", cur_cfg, prof->qos_type, want_cfg);
        }
        free(want_cfg);
        free(cur_cfg);

        create_begin(p, "QoS", id);
        agent_cmd_addf(&p->vsctl, "type=\"%s\"", prof->qos_type);
        for (i = 0; i < prof->n_qos_config; i++) {
            const char *kv = prof->qos_config[i];
            size_t klen = strcspn(kv, "=");

            agent_cmd_addf(&p->vsctl, "other_config:%.*s=\"%s\"", (int) klen,
                           kv, kv + klen + 1);
        }
        create_end(p, id, "Port", pname, "qos");
    } else if (qrow && ovs_owned(qrow)) {
        drift(p, "Port %s: has l2mt's QoS, its profile has none", pname);
        cmd(p, "clear", "Port", pname, "qos", NULL);
    } else {
        return;
    }
    /* QoS rows are roots in OVSDB: unreferenced, they stay unless
     * destroyed. */
    if (qrow && ovs_owned(qrow)) {
        cmd(p, "destroy", "QoS", cur, NULL);
    }
}

/* Applies port binding 'cp' (NULL to take a binding away) to 'port' and
 * its interface 'iface'. */
static void
bind_port(struct plan *p, const struct ovs_state *state, json_object *port,
          json_object *iface, const struct l2mt_conf_port *cp)
{
    const struct l2mt_conf_profile *prof = cp ? cp->profile : NULL;
    const char *pname = ovs_str(port, "name");
    const char *iname = ovs_str(iface, "name");

    want_str(p, "Port", pname, port, "external_ids", L2MT_PROFILE_KEY,
             cp ? (prof ? prof->name : "none") : NULL);
    want_str(p, "Port", pname, port, "external_ids", L2MT_TENANT_KEY,
             cp && cp->tenant ? cp->tenant->name : NULL);
    want_str(p, "Port", pname, port, "external_ids", L2MT_SFLOW_KEY,
             prof && !prof->sflow ? "off" : NULL);
    if (prof && prof->vlan >= 0) {
        want_int(p, "Port", pname, port, "tag", prof->vlan);
    } else {
        want(p, "Port", pname, port, "tag", NULL, NULL, NULL);
    }
    if (prof && prof->trunks) {
        char *canon = trunks_canon(prof->trunks);
        char *text = l2mt_xasprintf("[%s]", canon);

        want(p, "Port", pname, port, "trunks", NULL, canon, text);
        free(canon);
        free(text);
    } else {
        want(p, "Port", pname, port, "trunks", NULL, NULL, NULL);
    }
    if (iname) {
        want_int(p, "Interface", iname, iface, "ingress_policing_rate",
                 prof && prof->policing_rate >= 0 ? prof->policing_rate : 0);
        want_int(p, "Interface", iname, iface, "ingress_policing_burst",
                 prof && prof->policing_burst >= 0 ? prof->policing_burst
                 : 0);
    }
    want_qos(p, state, pname, port, prof);
}

static bool
port_matches(json_object *iface, const struct l2mt_conf_port *cp)
{
    const char *v;

    switch (cp->match) {
    case L2MT_MATCH_INTERFACE:
        v = ovs_str(iface, "name");
        return v && !strcmp(v, cp->value);
    case L2MT_MATCH_IFACE_ID:
        v = ovs_map_get(iface, "external_ids", "iface-id");
        return v && !strcmp(v, cp->value);
    case L2MT_MATCH_MAC:
        v = ovs_map_get(iface, "external_ids", "attached-mac");
        return v && !strcasecmp(v, cp->value);
    default:
        return false;
    }
}

/* Returns the binding of the config that applies to 'iface', if any. */
static const struct l2mt_conf_port *
binding_for(const struct agent_ctx *ctx, json_object *iface)
{
    size_t i;

    for (i = 0; i < ctx->conf->n_ports; i++) {
        if (port_matches(iface, &ctx->conf->ports[i])) {
            return &ctx->conf->ports[i];
        }
    }
    return NULL;
}

static void
plan_bindings(struct plan *p, const struct agent_ctx *ctx,
              const struct ovs_state *state, bool remove)
{
    size_t i;

    for (i = 0; i < ovs_n_rows(state, OT_PORT); i++) {
        json_object *port = ovs_row(state, OT_PORT, i);
        json_object *iface = ovs_port_iface(state, port);
        const struct l2mt_conf_port *cp = iface && !remove
                                          ? binding_for(ctx, iface) : NULL;

        if (bridge_goes(ctx, state, ovs_port_bridge(state, port), remove)) {
            continue;
        }
        if (cp || ovs_map_get(port, "external_ids", L2MT_PROFILE_KEY)) {
            bind_port(p, state, port, iface, cp);
        }
    }
}

/* l2mt's QoS rows that no port uses any more (the VM's port went). */
static void
plan_unused_qos(struct plan *p, const struct ovs_state *state)
{
    size_t i, j;

    for (i = 0; i < ovs_n_rows(state, OT_QOS); i++) {
        json_object *q = ovs_row(state, OT_QOS, i);
        const char *uuid = ovs_uuid(q, "_uuid");
        bool used = false;

        for (j = 0; j < ovs_n_rows(state, OT_PORT) && !used; j++) {
            used = ovs_set_has_uuid(ovs_row(state, OT_PORT, j), "qos", uuid);
        }
        if (ovs_owned(q) && !used) {
            drift(p, "QoS %s: l2mt's, unused", uuid);
            cmd(p, "destroy", "QoS", uuid, NULL);
        }
    }
}

static void
plan_sflow(struct plan *p, const struct agent_ctx *ctx,
           const struct ovs_state *state, bool remove)
{
    const struct l2mt_conf_sflow *sf = &ctx->host->sflow;
    const char *bname = ctx->host->bridge;
    json_object *br = ovs_find(state, OT_BRIDGE, "name", bname);
    const char *cur = br ? ovs_uuid(br, "sflow") : NULL;
    json_object *srow = cur ? ovs_find(state, OT_SFLOW, "_uuid", cur) : NULL;
    char *targets, *targets_text;

    if (remove || !sf->line) {
        if (srow && ovs_owned(srow) && !bridge_goes(ctx, state, br, remove)) {
            drift(p, "Bridge %s: has l2mt's sFlow, the config has none",
                  bname);
            cmd(p, "clear", "Bridge", bname, "sflow", NULL);
        }
        return;
    }

    targets = join_sorted(sf->targets, sf->n_targets, compare_strings, false);
    targets_text = join_sorted(sf->targets, sf->n_targets, compare_strings,
                               true);
    if (srow && ovs_owned(srow)) {
        char *t = l2mt_xasprintf("[%s]", targets_text);

        want_str(p, "sFlow", cur, srow, "agent", NULL, sf->agent);
        want(p, "sFlow", cur, srow, "targets", NULL, targets, t);
        want_int(p, "sFlow", cur, srow, "sampling", sf->sampling);
        want_int(p, "sFlow", cur, srow, "polling", sf->polling);
        want_int(p, "sFlow", cur, srow, "header", sf->header);
        free(t);
    } else {
        char id[32];

        if (br) {
            drift(p, "Bridge %s: %s", bname, srow ? "sFlow is not l2mt's"
                  : "no sFlow");
        }
        create_begin(p, "sFlow", id);
        if (sf->agent) {
            agent_cmd_addf(&p->vsctl, "agent=\"%s\"", sf->agent);
        }
        agent_cmd_addf(&p->vsctl, "targets=[%s]", targets_text);
        agent_cmd_addf(&p->vsctl, "sampling=%u", sf->sampling);
        agent_cmd_addf(&p->vsctl, "polling=%u", sf->polling);
        agent_cmd_addf(&p->vsctl, "header=%u", sf->header);
        create_end(p, id, "Bridge", bname, "sflow");
    }
    free(targets);
    free(targets_text);
}

static void
ip_cmd(struct plan *p, const char *word, ...)
{
    struct agent_cmd *c;
    va_list args;

    p->ip = l2mt_xrealloc(p->ip, (p->n_ip + 1) * sizeof *p->ip);
    c = &p->ip[p->n_ip++];
    agent_cmd_init(c);
    va_start(args, word);
    for (; word; word = va_arg(args, const char *)) {
        agent_cmd_add(c, word);
    }
    va_end(args);
}

/* The user-space datapath's tunnels route through the underlay bridge's
 * internal interface: it needs the tunnel address and to be up. */
static void
plan_underlay_ip(struct plan *p, const struct agent_ctx *ctx)
{
    const struct l2mt_conf_host *h = ctx->host;
    bool up = false, has_addr = false;

    agent_nl_link_state(h->underlay_bridge, h->underlay_ip, &up, &has_addr);
    if (!has_addr) {
        drift(p, "interface %s: lacks address %s", h->underlay_bridge,
              h->underlay_ip);
        ip_cmd(p, "ip", "addr", "add", h->underlay_ip, "dev",
               h->underlay_bridge, NULL);
    }
    if (!up) {
        drift(p, "interface %s: down", h->underlay_bridge);
        ip_cmd(p, "ip", "link", "set", h->underlay_bridge, "up", NULL);
    }
}

void
plan_vsctl(struct plan *p, const struct agent_ctx *ctx,
           const struct ovs_state *state, bool remove)
{
    const struct l2mt_conf_host *h = ctx->host;
    struct dports d = { NULL, 0 };
    size_t i;

    if (!remove) {
        desired_ports(ctx, &d);
    }

    /* What is l2mt's and no longer wanted goes first. */
    for (i = 0; i < ovs_n_rows(state, OT_BRIDGE); i++) {
        json_object *br = ovs_row(state, OT_BRIDGE, i);
        const char *name = ovs_str(br, "name");

        if (bridge_goes(ctx, state, br, remove)) {
            drift(p, "Bridge %s: l2mt's, not in the config", name);
            cmd(p, "del-br", name, NULL);
        } else if (ovs_owned(br) && !bridge_wanted(ctx, name, remove)) {
            AGENT_WARN("keeping bridge %s: port %s on it is not l2mt's",
                       name, foreign_port(state, br));
        }
    }
    for (i = 0; i < ovs_n_rows(state, OT_PORT); i++) {
        json_object *port = ovs_row(state, OT_PORT, i);
        json_object *br = ovs_port_bridge(state, port);
        const char *name = ovs_str(port, "name");

        if (ovs_owned(port) && !dports_find(&d, name)
            && !bridge_goes(ctx, state, br, remove)) {
            drift(p, "Port %s: l2mt's, not in the config", name);
            cmd(p, "del-port", ovs_str(br, "name"), name, NULL);
        }
    }

    if (!remove) {
        char mac[18];
        bool have_mac = false;

        want_bridge(p, state, h->bridge, h->datapath_type, NULL);
        if (h->underlay_bridge) {
            int error = agent_nl_link_mac(h->underlay_if, mac);

            if (error) {
                AGENT_WARN("cannot read the MAC of underlay interface %s: "
                           "%s", h->underlay_if, strerror(error));
            }
            have_mac = !error;
            want_bridge(p, state, h->underlay_bridge, "netdev",
                        have_mac ? mac : NULL);
        }
        for (i = 0; i < d.n; i++) {
            want_port(p, state, &d.ports[i]);
        }
    }
    plan_bindings(p, ctx, state, remove);
    plan_unused_qos(p, state);
    plan_sflow(p, ctx, state, remove);
    if (!remove && h->underlay_bridge) {
        plan_underlay_ip(p, ctx);
    }
    dports_free(&d);
}

/* Flows. */

struct flow_ctx {
    const struct ovs_state *state;
    bool names;
    struct l2mt_str *flows;
    struct l2mt_str *missing;
};

/* How flows refer to port 'name': its name, or its OpenFlow port number;
 * NULL (and 'name' noted as missing) if it has none yet.  Caller frees. */
static char *
port_ref(struct flow_ctx *f, const char *name)
{
    json_object *iface;
    long long ofport;

    if (!name) {
        return NULL;
    }
    if (f->names) {
        return l2mt_xstrdup(name);
    }
    iface = ovs_find(f->state, OT_INTERFACE, "name", name);
    ofport = ovs_int(iface, "ofport", -1);
    if (ofport <= 0) {
        if (!f->missing->len || !strstr(f->missing->s, name)) {
            l2mt_str_printf(f->missing, "%s%s", f->missing->len ? " " : "",
                            name);
        }
        return NULL;
    }
    return l2mt_xasprintf("%lld", ofport);
}

static void __attribute__((format(printf, 3, 4)))
flow(struct flow_ctx *f, int priority, const char *fmt, ...)
{
    va_list args;

    l2mt_str_printf(f->flows, "cookie=%s,priority=%d,", L2MT_COOKIE,
                    priority);
    va_start(args, fmt);
    l2mt_str_vprintf(f->flows, fmt, args);
    va_end(args);
    l2mt_str_printf(f->flows, "\n");
}

/* The nat64 action for 't' in 'mode' ("4toll6" or "ll6to4"), with the
 * tenant's MTU bounds if it has any. */
static char *
nat64_action(const struct l2mt_conf_tenant *t, const char *mode)
{
    char mtu6[24] = "", mtu4[24] = "";

    if (!t->mtu6 && !t->mtu4) {
        return !strcmp(t->prefix, "fe80::/96")
               ? l2mt_xasprintf("nat64:%s", mode)
               : l2mt_xasprintf("nat64(mode=%s,prefix=%s)", mode,
                                t->prefix);
    }
    if (t->mtu6) {
        snprintf(mtu6, sizeof mtu6, ",mtu6=%"PRIu32, t->mtu6);
    }
    if (t->mtu4) {
        snprintf(mtu4, sizeof mtu4, ",mtu4=%"PRIu32, t->mtu4);
    }
    return l2mt_xasprintf("nat64(mode=%s,prefix=%s%s%s)", mode, t->prefix,
                          mtu6, mtu4);
}

/* One tenant: the split of the seed's fig. 5.  From the tunnel, IPv4 and
 * ARP are translated to IPv6/NDP and go to the service VM's v4-side port,
 * native IPv6 goes to its v6 port; back from the v4-side port, IPv6 is
 * translated to IPv4/ARP.  Anything else from these ports is dropped, so
 * tenants never see each other. */
static void
tenant_flows(struct flow_ctx *f, const struct agent_ctx *ctx,
             const struct l2mt_conf_tenant *t)
{
    bool flow_mode = ctx->host->tunnel_mode == L2MT_TUNNEL_FLOW;
    char *s4 = port_ref(f, t->service_v4_port);
    char *s6 = port_ref(f, t->service_v6_port);
    char *to4 = nat64_action(t, "4toll6"), *to6 = nat64_action(t, "ll6to4");
    char **in = l2mt_xzalloc(t->n_remotes * sizeof *in);
    struct l2mt_str out = { NULL, 0, 0 };
    size_t j;

    /* The tunnel side: one match per remote, one action list to all. */
    for (j = 0; j < t->n_remotes; j++) {
        char *g;

        if (flow_mode) {
            g = port_ref(f, FLOW_GRE_PORT);
            if (g) {
                in[j] = l2mt_xasprintf("in_port=%s,tun_id=%"PRIu32
                                       ",tun_src=%s", g, t->gre_key,
                                       t->remotes[j]);
                l2mt_str_printf(&out, "%sset_field:%"PRIu32"->tun_id,"
                                "set_field:%s->tun_dst,output:%s",
                                out.len ? "," : "", t->gre_key,
                                t->remotes[j], g);
            }
        } else {
            char *name = tunnel_port_name(t, j);

            g = port_ref(f, name);
            free(name);
            if (g) {
                in[j] = l2mt_xasprintf("in_port=%s", g);
                l2mt_str_printf(&out, "%soutput:%s", out.len ? "," : "", g);
            }
        }
        free(g);
    }

    for (j = 0; s4 && j < t->n_remotes; j++) {
        if (!in[j]) {
            continue;
        }
        if (t->nat64) {
            flow(f, 100, "%s,ip actions=%s,output:%s", in[j], to4, s4);
            flow(f, 100, "%s,arp actions=%s,output:%s", in[j], to4, s4);
        }
        if (s6) {
            flow(f, 100, "%s,ipv6 actions=output:%s", in[j], s6);
        }
        if (t->nat64) {
            flow(f, 90, "%s actions=drop", in[j]);
        } else {
            flow(f, 90, "%s actions=output:%s", in[j], s4);
        }
    }
    if (s4 && out.len) {
        if (t->nat64) {
            flow(f, 100, "in_port=%s,ipv6 actions=%s,%s", s4, to6, out.s);
        }
        flow(f, 90, "in_port=%s actions=%s", s4,
             t->nat64 ? "drop" : out.s);
    }
    if (s4 && s6 && out.len) {
        flow(f, 100, "in_port=%s,ipv6 actions=%s", s6, out.s);
        flow(f, 90, "in_port=%s actions=drop", s6);
    }

    for (j = 0; j < t->n_remotes; j++) {
        free(in[j]);
    }
    free(in);
    l2mt_str_free(&out);
    free(s4);
    free(s6);
    free(to4);
    free(to6);
}

/* A VM port whose profile asks for translation: what it sends is
 * translated, then switched normally. */
static void
profile_flows(struct flow_ctx *f, const struct agent_ctx *ctx)
{
    size_t i;

    for (i = 0; i < ovs_n_rows(f->state, OT_INTERFACE); i++) {
        json_object *iface = ovs_row(f->state, OT_INTERFACE, i);
        const struct l2mt_conf_port *cp = binding_for(ctx, iface);
        json_object *port = ovs_iface_port(f->state, iface);
        const char *br = ovs_str(ovs_port_bridge(f->state, port), "name");
        int mode;
        char *ref;

        if (!cp || !cp->profile || !br || strcmp(br, ctx->host->bridge)) {
            continue;
        }
        mode = cp->profile->nat64;
        if (mode != L2MT_MODE_4TOLL6 && mode != L2MT_MODE_LL6TO4) {
            continue;
        }
        ref = port_ref(f, ovs_str(iface, "name"));
        if (!ref) {
            continue;
        }
        if (mode == L2MT_MODE_4TOLL6) {
            flow(f, 100, "in_port=%s,ip actions=nat64:4toll6,NORMAL", ref);
            flow(f, 100, "in_port=%s,arp actions=nat64:4toll6,NORMAL", ref);
        } else {
            flow(f, 100, "in_port=%s,ipv6 actions=nat64:ll6to4,NORMAL", ref);
        }
        free(ref);
    }
}

void
plan_flows(const struct agent_ctx *ctx, const struct ovs_state *state,
           bool names, struct l2mt_str *flows, struct l2mt_str *missing)
{
    struct flow_ctx f = { state, names, flows, missing };
    json_object *br = ovs_find(state, OT_BRIDGE, "name", ctx->host->bridge);
    size_t i;

    l2mt_str_printf(flows, "%s", "");
    l2mt_str_printf(missing, "%s", "");
    if (!br || ovs_owned(br)) {
        /* The bridge is l2mt's: its default flow too. */
        flow(&f, 0, "actions=NORMAL");
    }
    for (i = 0; i < ctx->conf->n_tenants; i++) {
        tenant_flows(&f, ctx, &ctx->conf->tenants[i]);
    }
    if (ctx->host->tunnel_mode == L2MT_TUNNEL_FLOW && ctx->conf->n_tenants) {
        char *g = port_ref(&f, FLOW_GRE_PORT);

        if (g) {
            flow(&f, 80, "in_port=%s actions=drop", g);
            free(g);
        }
    }
    profile_flows(&f, ctx);
}
