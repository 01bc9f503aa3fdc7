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
#include "agent/plan.h"

#include <arpa/inet.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "nat64.h"
#include "sset.h"
#include "util.h"

/* Port names the agent gives its tunnel ports. */
#define FLOW_GRE_PORT AGENT_FLOW_GRE_PORT

/* The access VLAN of every tunnel and service port.  The agent's flows
 * never send their frames to NORMAL, and VM ports, the only ones that use
 * NORMAL, may not carry this VLAN (the config rejects it in profiles and
 * the flows drop it from VM ports), so NORMAL never floods to a tenant's
 * port.  Unlike a port's OpenFlow no-flood bit, Port:tag is kept in the
 * database: it survives ovs-vswitchd restarts and re-created devices. */
#define ISOLATION_VLAN 4095

/* Option keys of tunnel interfaces that the agent manages: the tunnel's,
 * then ovs-monitor-ipsec's. */
static const char *const tunnel_keys[] = {
    "key", "remote_ip", "local_ip", "psk", "remote_cert", "remote_name",
};
#define N_TUNNEL_KEYS (sizeof tunnel_keys / sizeof *tunnel_keys)

void
agent_plan_init(struct agent_plan *p, const struct agent_ctx *ctx)
{
    memset(p, 0, sizeof *p);
    agent_db_vsctl_base(&ctx->ovs, &p->vsctl);
}

void
agent_plan_free(struct agent_plan *p)
{
    size_t i;

    agent_cmd_free(&p->vsctl);
    for (i = 0; i < p->n_ip; i++) {
        agent_cmd_free(&p->ip[i]);
    }
    free(p->ip);
    l2mt_str_free(&p->drift);
    l2mt_str_free(&p->errors);
    l2mt_str_free(&p->warnings);
}

/* Appends "-- WORD..." (NULL-terminated) to the transaction. */
static void
cmd(struct agent_plan *p, const char *word, ...)
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

/* Appends a line to 's'. */
static void __attribute__((format(printf, 2, 0)))
add_line(struct l2mt_str *s, const char *fmt, va_list args)
{
    l2mt_str_vprintf(s, fmt, args);
    l2mt_str_put(s, "\n", 1);
}

/* A difference between the config and the switch. */
static void __attribute__((format(printf, 2, 3)))
drift(struct agent_plan *p, const char *fmt, ...)
{
    va_list args;

    va_start(args, fmt);
    add_line(&p->drift, fmt, args);
    va_end(args);
}

/* Something the operator should know that does not stop the plan; the
 * executor logs it. */
static void __attribute__((format(printf, 2, 3)))
warn(struct agent_plan *p, const char *fmt, ...)
{
    va_list args;

    va_start(args, fmt);
    add_line(&p->warnings, fmt, args);
    va_end(args);
}

/* Makes column 'col' (map key 'key', if nonnull) of record 'rec' of
 * 'table' equal 'value' (canonical text; NULL or "" for empty/absent),
 * written 'text' for ovs-vsctl.  'row' is the record's current row, NULL
 * if the transaction creates it. */
static void
want(struct agent_plan *p, const char *table, const char *rec,
     const struct json *row,
     const char *col, const char *key, const char *value, const char *text)
{
    char *cur = NULL;
    const char *curp;
    bool same;

    if (key) {
        curp = agent_db_map_get(row, col, key);
    } else {
        cur = agent_db_canon(row, col);
        curp = cur;
    }
    if (!value) {
        value = "";
    }
    same = row && !strcmp(curp ? curp : "", value);
    if (!same) {
        char *arg;

        if (row && key && !strcmp(key, "psk")) {
            /* Logged and printed: never the secret itself. */
            drift(p, "%s %s: %s:%s differs", table, rec, col, key);
        } else if (row) {
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
            arg = key ? xasprintf("%s:%s=%s", col, key, text)
                      : xasprintf("%s=%s", col, text);
            cmd(p, "set", table, rec, arg, NULL);
            free(arg);
        }
    }
    free(cur);
}

/* Starts "-- --id=@ID create TABLE" for a row that only a reference keeps
 * (QoS, sFlow); the caller adds its columns, then calls create_end(). */
static void
create_begin(struct agent_plan *p, const char *table, char id[32])
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
create_end(struct agent_plan *p, const char *id, const char *table,
           const char *rec, const char *col)
{
    char *arg = xasprintf("%s=%s", col, id);

    agent_cmd_add(&p->vsctl, "external_ids:" L2MT_OWNER_KEY "=\""
                  L2MT_OWNER "\"");
    p->n_cmds++;
    cmd(p, "set", table, rec, arg, NULL);
    free(arg);
}

/* want() for a string value, quoted for ovs-vsctl. */
static void
want_str(struct agent_plan *p, const char *table, const char *rec,
         const struct json *row, const char *col, const char *key,
         const char *value)
{
    char *text = value ? xasprintf("\"%s\"", value) : NULL;

    want(p, table, rec, row, col, key, value, text);
    free(text);
}

static void
want_int(struct agent_plan *p, const char *table, const char *rec,
         const struct json *row, const char *col, long long value)
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
    bool tenant;                /* A tunnel or service port: isolated. */
    char *options[N_TUNNEL_KEYS];   /* Values for tunnel_keys, or NULL. */
    const struct l2mt_conf_bfd *bfd;    /* A tunnel's BFD settings. */
};

struct dports {
    struct dport *ports;
    size_t n;
};

static struct dport *
dports_add(struct dports *d, const char *bridge, const char *name)
{
    struct dport *dp;

    d->ports = xrealloc(d->ports, (d->n + 1) * sizeof *d->ports);
    dp = &d->ports[d->n++];
    memset(dp, 0, sizeof *dp);
    dp->bridge = bridge;
    dp->name = xstrdup(name);
    return dp;
}

static char *
xstrdup_or_null(const char *s)
{
    return s ? xstrdup(s) : NULL;
}

/* A GRE port to 'remote' ("flow" in flow mode), with the host's IPsec
 * settings for that remote. */
static void
dport_set_tunnel(struct dport *dp, const struct l2mt_conf_host *h,
                 const char *key, const char *remote, const char *local)
{
    const struct l2mt_conf_ipsec *ip = &h->ipsec;
    size_t i;

    dp->type = "gre";
    dp->tenant = true;
    /* BFD needs a fixed remote: not on flow mode's remote_ip=flow. */
    dp->bfd = strcmp(remote, "flow") ? &h->bfd : NULL;
    dp->options[0] = xstrdup(key);
    dp->options[1] = xstrdup(remote);
    dp->options[2] = xstrdup_or_null(local);
    dp->options[3] = xstrdup_or_null(ip->psk);
    for (i = 0; i < ip->n_remotes; i++) {
        if (!strcmp(ip->remotes[i], remote)) {
            dp->options[4] = xstrdup_or_null(ip->remote_certs[i]);
            dp->options[5] = xstrdup_or_null(ip->remote_names[i]);
        }
    }
}

static void
dports_free(struct dports *d)
{
    size_t i, j;

    for (i = 0; i < d->n; i++) {
        free(d->ports[i].name);
        for (j = 0; j < N_TUNNEL_KEYS; j++) {
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

char *
agent_plan_tunnel_port_name(const struct l2mt_conf_tenant *t, size_t i)
{
    return i ? xasprintf("gre%"PRIu32"-%zu", t->gre_key, i)
             : xasprintf("gre%"PRIu32, t->gre_key);
}

/* The tunnel address without its length, or NULL. */
static char *
underlay_addr(const struct l2mt_conf_host *h)
{
    return h->underlay_ip
           ? xmemdup0(h->underlay_ip, strcspn(h->underlay_ip, "/"))
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
        dport_set_tunnel(dports_add(d, h->bridge, FLOW_GRE_PORT), h,
                         "flow", "flow", local);
    }
    for (i = 0; i < c->n_tenants; i++) {
        const struct l2mt_conf_tenant *t = &c->tenants[i];

        for (j = 0; h->tunnel_mode == L2MT_TUNNEL_PER_TENANT
                    && j < t->n_remotes; j++) {
            char *name = agent_plan_tunnel_port_name(t, j);
            char key[16];

            snprintf(key, sizeof key, "%"PRIu32, t->gre_key);
            dport_set_tunnel(dports_add(d, h->bridge, name), h, key,
                             t->remotes[j], local);
            free(name);
        }
        dports_add(d, h->bridge, t->service_v4_port)->tenant = true;
        if (t->service_v6_port) {
            dports_add(d, h->bridge, t->service_v6_port)->tenant = true;
        }
    }
    free(local);
}

/* A bridge's ports that the agent did not create, other than its own
 * internal port: such a bridge stays when l2mt's state goes. */
static const char *
foreign_port(const struct agent_db *state, const struct json *br)
{
    const char *brname = agent_db_str(br, "name");
    size_t i;

    for (i = 0; i < agent_db_n_rows(state, OT_PORT); i++) {
        const struct json *port = agent_db_row(state, OT_PORT, i);
        const char *name = agent_db_str(port, "name");

        if (agent_db_set_has_uuid(br, "ports", agent_db_uuid(port, "_uuid"))
            && !agent_db_owned(port) && strcmp(name, brname)) {
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
bridge_goes(const struct agent_ctx *ctx, const struct agent_db *state,
            const struct json *br, bool remove)
{
    return br && agent_db_owned(br)
           && !bridge_wanted(ctx, agent_db_str(br, "name"), remove)
           && !foreign_port(state, br);
}

/* 'tenant' is the tenant bridge: fail_mode=secure, so that a freshly
 * started or restarted ovs-vswitchd never installs its default NORMAL flow
 * there before the agent's flows are back (the underlay bridge needs
 * NORMAL). */
static void
want_bridge(struct agent_plan *p, const struct agent_db *state,
            const char *name,
            const char *datapath_type, const char *hwaddr, bool tenant)
{
    const struct json *row = agent_db_find(state, OT_BRIDGE, "name", name);

    if (!row) {
        drift(p, "Bridge %s: missing", name);
        cmd(p, "add-br", name, NULL);
        want_str(p, "Bridge", name, NULL, "external_ids", L2MT_OWNER_KEY,
                 L2MT_OWNER);
    } else if (!agent_db_owned(row)) {
        const char *fm = agent_db_str(row, "fail_mode");

        if (tenant && (!fm || strcmp(fm, "secure"))) {
            warn(p, "bridge %s is not l2mt's and not fail_mode=secure: "
                       "it switches with NORMAL whenever its flows are "
                       "lost (ovs-vswitchd restart)", name);
        }
        const char *dp = agent_db_str(row, "datapath_type");

        if (strcmp(dp ? dp : "", datapath_type)
            && (dp && dp[0] ? dp : "system")[0] != datapath_type[0]) {
            warn(p, "bridge %s is not l2mt's: keeping its datapath_type "
                       "\"%s\" (config: %s)", name, dp ? dp : "",
                       datapath_type);
        }
        return;
    }
    want_str(p, "Bridge", name, row, "datapath_type", NULL, datapath_type);
    if (tenant) {
        want_str(p, "Bridge", name, row, "fail_mode", NULL, "secure");
    }
    if (hwaddr) {
        want_str(p, "Bridge", name, row, "other_config", "hwaddr", hwaddr);
    }
}

/* BFD on a tunnel (issue 16): Interface:bfd, an unset interval leaving
 * Open vSwitch's default. */
static void
plan_bfd(struct agent_plan *p, const char *name, const struct json *iface,
         const struct l2mt_conf_bfd *b)
{
    const uint32_t vals[] = { b->min_rx, b->min_tx, b->mult };
    const char *keys[] = { "min_rx", "min_tx", "mult" };
    char text[16];
    size_t i;

    want_str(p, "Interface", name, iface, "bfd", "enable",
             b->off ? NULL : "true");
    for (i = 0; i < 3; i++) {
        snprintf(text, sizeof text, "%"PRIu32, vals[i]);
        want_str(p, "Interface", name, iface, "bfd", keys[i],
                 b->off || !vals[i] ? NULL : text);
    }
}

static void
want_port(struct agent_plan *p, const struct agent_db *state,
          const struct dport *dp)
{
    const struct json *row = agent_db_find(state, OT_PORT, "name", dp->name);
    const struct json *iface = NULL;
    bool moved = false;
    size_t k;

    if (row) {
        const char *br = agent_db_str(agent_db_port_bridge(state, row),
                                      "name");

        if (br && strcmp(br, dp->bridge)) {
            if (!agent_db_owned(row)) {
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
        iface = agent_db_find(state, OT_INTERFACE, "name", dp->name);
    }
    if (dp->tenant) {
        want_int(p, "Port", dp->name, row, "tag", ISOLATION_VLAN);
    }
    if (dp->type) {
        want_str(p, "Interface", dp->name, iface, "type", NULL, dp->type);
        for (k = 0; k < N_TUNNEL_KEYS; k++) {
            want_str(p, "Interface", dp->name, iface, "options",
                     tunnel_keys[k], dp->options[k]);
        }
        if (dp->bfd) {
            plan_bfd(p, dp->name, iface, dp->bfd);
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
    char **copy = xmalloc((n + 1) * sizeof *copy);
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
    char *copy = xstrdup(trunks), *save, *tok, *out;
    char **words = NULL;
    size_t n = 0;

    for (tok = strtok_r(copy, ",", &save); tok;
         tok = strtok_r(NULL, ",", &save)) {
        words = xrealloc(words, (n + 1) * sizeof *words);
        words[n++] = tok;
    }
    out = join_sorted(words, n, compare_numbers, false);
    free(words);
    free(copy);
    return out;
}

static void
want_qos(struct agent_plan *p, const struct agent_db *state, const char *pname,
         const struct json *port, const struct l2mt_conf_profile *prof)
{
    const char *cur = port ? agent_db_uuid(port, "qos") : NULL;
    const struct json *qrow
        = cur ? agent_db_find(state, OT_QOS, "_uuid", cur) : NULL;
    size_t i;

    if (prof && prof->qos_type) {
        char *want_cfg = join_sorted(prof->qos_config, prof->n_qos_config,
                                     compare_strings, false);
        char *cur_cfg = agent_db_canon(qrow, "other_config");
        const char *type = agent_db_str(qrow, "type");
        char id[32];

        if (qrow && agent_db_owned(qrow) && type
            && !strcmp(type, prof->qos_type)
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
    } else if (qrow && agent_db_owned(qrow)) {
        drift(p, "Port %s: has l2mt's QoS, its profile has none", pname);
        cmd(p, "clear", "Port", pname, "qos", NULL);
    } else {
        return;
    }
    /* QoS rows are roots in OVSDB: unreferenced, they stay unless
     * destroyed. */
    if (qrow && agent_db_owned(qrow)) {
        cmd(p, "destroy", "QoS", cur, NULL);
    }
}

/* Applies port binding 'cp' (NULL to take a binding away) to 'port' and
 * its interface 'iface'. */
static void
bind_port(struct agent_plan *p, const struct agent_db *state,
          const struct json *port,
          const struct json *iface, const struct l2mt_conf_port *cp)
{
    const struct l2mt_conf_profile *prof = cp ? cp->profile : NULL;
    const char *pname = agent_db_str(port, "name");
    const char *iname = agent_db_str(iface, "name");

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
        char *text = xasprintf("[%s]", canon);

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
port_matches(const struct json *iface, const struct l2mt_conf_port *cp)
{
    const char *v;

    switch (cp->match) {
    case L2MT_MATCH_INTERFACE:
        v = agent_db_str(iface, "name");
        return v && !strcmp(v, cp->value);
    case L2MT_MATCH_IFACE_ID:
        v = agent_db_map_get(iface, "external_ids", "iface-id");
        return v && !strcmp(v, cp->value);
    case L2MT_MATCH_MAC:
        v = agent_db_map_get(iface, "external_ids", "attached-mac");
        return v && !strcasecmp(v, cp->value);
    default:
        return false;
    }
}

/* Is 'name' a port that the agent gives a tenant role (a tunnel, a service
 * port, the underlay)?  Such a port is never a VM port, whatever its
 * external_ids say. */
static bool
role_port(const struct agent_ctx *ctx, const char *name)
{
    const struct l2mt_conf_host *h = ctx->host;
    const char *g = name;
    size_t i;

    if (!name) {
        return false;
    }
    if (!strcmp(name, FLOW_GRE_PORT) || !strcmp(name, h->bridge)
        || (h->underlay_if && !strcmp(name, h->underlay_if))
        || (h->underlay_bridge && !strcmp(name, h->underlay_bridge))
        || l2mt_conf_find_tenant_by_port(ctx->conf, name)) {
        return true;
    }
    if (!strncmp(g, "gre", 3)) {
        for (i = 0; i < ctx->conf->n_tenants; i++) {
            const struct l2mt_conf_tenant *t = &ctx->conf->tenants[i];
            size_t j;

            for (j = 0; j < t->n_remotes; j++) {
                char *tn = agent_plan_tunnel_port_name(t, j);
                bool same = !strcmp(tn, name);

                free(tn);
                if (same) {
                    return true;
                }
            }
        }
    }
    return false;
}

/* Returns the binding of the config that applies to 'iface', if any.  An
 * interface with a role of its own is never bound (l2mt-agent check rejects
 * a binding by such a name; by iface-id or MAC it is only seen here). */
static const struct l2mt_conf_port *
binding_for(const struct agent_ctx *ctx, const struct json *iface)
{
    size_t i;

    if (role_port(ctx, agent_db_str(iface, "name"))) {
        return NULL;
    }
    for (i = 0; i < ctx->conf->n_ports; i++) {
        if (port_matches(iface, &ctx->conf->ports[i])) {
            return &ctx->conf->ports[i];
        }
    }
    return NULL;
}

static void
plan_bindings(struct agent_plan *p, const struct agent_ctx *ctx,
              const struct agent_db *state, bool remove)
{
    size_t i;

    for (i = 0; i < agent_db_n_rows(state, OT_PORT); i++) {
        const struct json *port = agent_db_row(state, OT_PORT, i);
        const struct json *iface = agent_db_port_iface(state, port);
        const struct l2mt_conf_port *cp = iface && !remove
                                          ? binding_for(ctx, iface) : NULL;

        if (bridge_goes(ctx, state, agent_db_port_bridge(state, port),
                        remove)) {
            continue;
        }
        if (cp || agent_db_map_get(port, "external_ids", L2MT_PROFILE_KEY)) {
            bind_port(p, state, port, iface, cp);
        }
    }
}

/* l2mt's QoS rows that no port uses any more (the VM's port went). */
static void
plan_unused_qos(struct agent_plan *p, const struct agent_db *state)
{
    size_t i, j;

    for (i = 0; i < agent_db_n_rows(state, OT_QOS); i++) {
        const struct json *q = agent_db_row(state, OT_QOS, i);
        const char *uuid = agent_db_uuid(q, "_uuid");
        bool used = false;

        for (j = 0; j < agent_db_n_rows(state, OT_PORT) && !used; j++) {
            used = agent_db_set_has_uuid(agent_db_row(state, OT_PORT, j),
                                         "qos", uuid);
        }
        if (agent_db_owned(q) && !used) {
            drift(p, "QoS %s: l2mt's, unused", uuid);
            cmd(p, "destroy", "QoS", uuid, NULL);
        }
    }
}

static void
plan_sflow(struct agent_plan *p, const struct agent_ctx *ctx,
           const struct agent_db *state, bool remove)
{
    const struct l2mt_conf_sflow *sf = &ctx->host->sflow;
    const char *bname = ctx->host->bridge;
    const struct json *br = agent_db_find(state, OT_BRIDGE, "name", bname);
    const char *cur = br ? agent_db_uuid(br, "sflow") : NULL;
    const struct json *srow
        = cur ? agent_db_find(state, OT_SFLOW, "_uuid", cur) : NULL;
    char *targets, *targets_text;

    if (remove || !sf->line) {
        if (srow && agent_db_owned(srow) && !bridge_goes(ctx, state, br,
                                                         remove)) {
            drift(p, "Bridge %s: has l2mt's sFlow, the config has none",
                  bname);
            cmd(p, "clear", "Bridge", bname, "sflow", NULL);
        }
        return;
    }

    targets = join_sorted(sf->targets, sf->n_targets, compare_strings, false);
    targets_text = join_sorted(sf->targets, sf->n_targets, compare_strings,
                               true);
    if (srow && agent_db_owned(srow)) {
        char *t = xasprintf("[%s]", targets_text);

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
ip_cmd(struct agent_plan *p, const char *word, ...)
{
    struct agent_cmd *c;
    va_list args;

    p->ip = xrealloc(p->ip, (p->n_ip + 1) * sizeof *p->ip);
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
plan_underlay_ip(struct agent_plan *p, const struct agent_ctx *ctx)
{
    const struct l2mt_conf_host *h = ctx->host;
    bool up = ctx->links.underlay_up;
    bool has_addr = ctx->links.underlay_has_addr;

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

/* ovs-monitor-ipsec's switch-wide identity for certificate modes.  Only
 * set, never taken away: the agent cannot tell whose they were. */
static void
plan_ipsec_global(struct agent_plan *p, const struct agent_ctx *ctx,
                  const struct agent_db *state)
{
    const struct l2mt_conf_ipsec *ip = &ctx->host->ipsec;
    const struct json *row = agent_db_row(state, OT_OVS, 0);
    const char *keys[3] = { "certificate", "private_key", "ca_cert" };
    const char *values[3] = { ip->certificate, ip->private_key,
                              ip->ca_cert };
    size_t i;

    for (i = 0; i < 3; i++) {
        if (values[i] && row) {
            want_str(p, "Open_vSwitch", ".", row, "other_config", keys[i],
                     values[i]);
        }
    }
}

void
agent_plan_vsctl(struct agent_plan *p, const struct agent_ctx *ctx,
                 const struct agent_db *state, bool remove)
{
    const struct l2mt_conf_host *h = ctx->host;
    struct dports d = { NULL, 0 };
    size_t i;

    if (!remove) {
        desired_ports(ctx, &d);
    }

    /* What is l2mt's and no longer wanted goes first. */
    for (i = 0; i < agent_db_n_rows(state, OT_BRIDGE); i++) {
        const struct json *br = agent_db_row(state, OT_BRIDGE, i);
        const char *name = agent_db_str(br, "name");

        if (bridge_goes(ctx, state, br, remove)) {
            drift(p, "Bridge %s: l2mt's, not in the config", name);
            cmd(p, "del-br", name, NULL);
        } else if (agent_db_owned(br) && !bridge_wanted(ctx, name, remove)) {
            warn(p, "keeping bridge %s: port %s on it is not l2mt's",
                 name, foreign_port(state, br));
        }
    }
    for (i = 0; i < agent_db_n_rows(state, OT_PORT); i++) {
        const struct json *port = agent_db_row(state, OT_PORT, i);
        const struct json *br = agent_db_port_bridge(state, port);
        const char *name = agent_db_str(port, "name");

        if (agent_db_owned(port) && !dports_find(&d, name)
            && !bridge_goes(ctx, state, br, remove)) {
            drift(p, "Port %s: l2mt's, not in the config", name);
            cmd(p, "del-port", agent_db_str(br, "name"), name, NULL);
        }
    }

    if (!remove) {
        const char *mac = ctx->links.underlay_mac;

        want_bridge(p, state, h->bridge, h->datapath_type, NULL, true);
        if (h->underlay_bridge) {
            want_bridge(p, state, h->underlay_bridge, "netdev",
                        mac[0] ? mac : NULL, false);
        }
        for (i = 0; i < d.n; i++) {
            want_port(p, state, &d.ports[i]);
        }
    }
    if (!remove) {
        plan_ipsec_global(p, ctx, state);
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
    const struct agent_db *state;
    bool names;
    struct l2mt_str *flows;
    struct l2mt_str *missing;
};

/* How flows refer to port 'name': its name, or its OpenFlow port number;
 * NULL (and 'name' noted as missing) if it has none yet.  Caller frees. */
static char *
port_ref(struct flow_ctx *f, const char *name)
{
    const struct json *iface;
    long long ofport;

    if (!name) {
        return NULL;
    }
    if (f->names) {
        return xstrdup(name);
    }
    iface = agent_db_find(f->state, OT_INTERFACE, "name", name);
    ofport = agent_db_int(iface, "ofport", -1);
    if (ofport <= 0) {
        if (!f->missing->len || !strstr(f->missing->s, name)) {
            l2mt_str_printf(f->missing, "%s%s", f->missing->len ? " " : "",
                            name);
        }
        return NULL;
    }
    return xasprintf("%lld", ofport);
}

static void __attribute__((format(printf, 3, 4)))
flow(struct flow_ctx *f, int priority, const char *fmt, ...)
{
    va_list args;

    l2mt_str_printf(f->flows, "cookie=%s,priority=%d%s", L2MT_COOKIE,
                    priority, strncmp(fmt, "actions=", 8) ? "," : " ");
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
               ? xasprintf("nat64:%s", mode)
               : xasprintf("nat64(mode=%s,prefix=%s)", mode,
                           t->prefix);
    }
    if (t->mtu6) {
        snprintf(mtu6, sizeof mtu6, ",mtu6=%"PRIu32, t->mtu6);
    }
    if (t->mtu4) {
        snprintf(mtu4, sizeof mtu4, ",mtu4=%"PRIu32, t->mtu4);
    }
    return xasprintf("nat64(mode=%s,prefix=%s%s%s)", mode, t->prefix,
                     mtu6, mtu4);
}

/* Flow priorities of table 0 (Documentation/agent.md, "Flow layout"). */
enum {
    PRIO_PROBE_GUARD = 210,     /* Frames from the probe MAC: drop. */
    PRIO_VM_GUARD = 200,        /* VM ports: the isolation VLAN, dropped. */
    PRIO_ALLOW = 160,           /* Exceptions to the guards (ARP probe). */
    PRIO_GUARD = 150,           /* Tenant ingress guards: drop. */
    PRIO_ENTER = 140,           /* A tenant remote: meter, on to table 1. */
    PRIO_ND = 101,              /* Table 1: ND with its meter. */
    PRIO_PROBE = 110,           /* Table 1: a probe, translated, counted. */
    PRIO_FORWARD = 100,         /* A tenant's forwarding. */
    PRIO_V6_REST = 95,          /* Native IPv6 from a source not let in. */
    PRIO_REMOTE = 90,           /* One remote's (or service port's) rest. */
    PRIO_PORT = 80,             /* Every tunnel and service port: drop. */
    PRIO_VM = 10,               /* A bound VM port: NORMAL. */
    PRIO_DEFAULT = 0,           /* Anything else: drop. */
};

/* Meter ids (Documentation/agent.md, "Meters"): a VM port's from its
 * OpenFlow port number (below 0xff00), a tenant's from its rank among the
 * config's tenants by id, so that every host derives the same ones.  The
 * agent owns every meter from METER_VM_BASE up on its bridge. */
#define METER_VM_BASE 1000000000u
#define METER_TENANT_BASE 1100000000u
#define METER_MAX 0xffff0000u   /* OFPM13_MAX. */

bool
agent_plan_meter_owned(uint32_t id)
{
    return id >= METER_VM_BASE && id <= METER_MAX;
}

/* The ids of 't''s meters, 0 for a meter it does not have. */
static void
tenant_meter_ids(const struct agent_ctx *ctx,
                 const struct l2mt_conf_tenant *t, uint32_t *all,
                 uint32_t *nd)
{
    uint32_t rank = 0;
    size_t i;

    for (i = 0; i < ctx->conf->n_tenants; i++) {
        rank += ctx->conf->tenants[i].id < t->id;
    }
    *all = t->meters.pps ? METER_TENANT_BASE + 2 * rank : 0;
    *nd = t->meters.nd_pps ? METER_TENANT_BASE + 2 * rank + 1 : 0;
}

static void
vm_meter_ids(const struct l2mt_conf_profile *prof, long long ofport,
             uint32_t *all, uint32_t *nd)
{
    *all = prof && prof->meters.pps ? METER_VM_BASE + 2 * ofport : 0;
    *nd = prof && prof->meters.nd_pps ? METER_VM_BASE + 2 * ofport + 1 : 0;
}

/* "meter:ID," for meter 'id', "" without one. */
static void
meter_insn(uint32_t id, char buf[24])
{
    if (id) {
        snprintf(buf, 24, "meter:%"PRIu32",", id);
    } else {
        buf[0] = '\0';
    }
}

/* IPv4 sources no tenant host may have (RFC 1122 3.2.1.3, RFC 5735):
 * "this network", loopback, multicast, limited broadcast. */
static const char *const bad_v4_sources[] = {
    "0.0.0.0/8", "127.0.0.0/8", "224.0.0.0/4", "255.255.255.255",
};

/* 'v4' (dotted quad) in the IPv6 prefix 'bytes' (12 bytes), as text. */
static void
map_v4(const uint8_t bytes[12], const char *v4, char out[INET6_ADDRSTRLEN])
{
    struct in6_addr a;

    memcpy(a.s6_addr, bytes, 12);
    if (inet_pton(AF_INET, v4, &a.s6_addr[12]) != 1
        || !inet_ntop(AF_INET6, &a, out, INET6_ADDRSTRLEN)) {
        out[0] = '\0';
    }
}

/* The ingress guards of one tenant remote's match 'in' (issue 11, items 3
 * and 4): a tenant may not claim the service's addresses or sources no
 * host has, and is never a router for the service.  'enter' is the action
 * that lets an ARP probe (sender 0.0.0.0, the translator's DAD) in. */
static void
guard_flows(struct flow_ctx *f, const struct l2mt_conf_tenant *t,
            const char *in, const char *enter)
{
    static const uint8_t ll[12] = { 0xfe, 0x80 };
    char v6[INET6_ADDRSTRLEN];
    size_t i;

    flow(f, PRIO_ALLOW, "%s,arp,arp_spa=0.0.0.0 actions=%s", in, enter);
    for (i = 0; i < sizeof bad_v4_sources / sizeof *bad_v4_sources; i++) {
        flow(f, PRIO_GUARD, "%s,ip,nw_src=%s actions=drop", in,
             bad_v4_sources[i]);
        flow(f, PRIO_GUARD, "%s,arp,arp_spa=%s actions=drop", in,
             bad_v4_sources[i]);
    }
    /* IPv4-mapped sources reach dual-stack sockets as IPv4 peers. */
    flow(f, PRIO_GUARD, "%s,ipv6,ipv6_src=::ffff:0:0/96 actions=drop", in);
    for (i = 0; i < t->n_service_addrs; i++) {
        const char *a = t->service_addrs[i];

        if (!strchr(a, ':')) {
            flow(f, PRIO_GUARD, "%s,ip,nw_src=%s actions=drop", in, a);
            flow(f, PRIO_GUARD, "%s,arp,arp_spa=%s actions=drop", in, a);
            /* What the service is on its native side, and on the
             * translated side with the tenant's prefix. */
            map_v4(ll, a, v6);
            flow(f, PRIO_GUARD, "%s,ipv6,ipv6_src=%s actions=drop", in, v6);
            if (memcmp(t->prefix_bytes, ll, 12)) {
                map_v4(t->prefix_bytes, a, v6);
                flow(f, PRIO_GUARD, "%s,ipv6,ipv6_src=%s actions=drop", in,
                     v6);
            }
        } else {
            flow(f, PRIO_GUARD, "%s,ipv6,ipv6_src=%s actions=drop", in, a);
        }
    }
    /* RA guard (RFC 6105) and no redirects: a tenant is never the
     * service's router. */
    flow(f, PRIO_GUARD, "%s,icmp6,icmp_type=134 actions=drop", in);
    flow(f, PRIO_GUARD, "%s,icmp6,icmp_type=137 actions=drop", in);
}

/* The probe of one tenant remote (see AGENT_PROBE_MARK in plan.h): in
 * table 1, the tenant's own translation, then the counting flow of
 * AGENT_PROBE_TABLE, which matches the translated frame and gives it to
 * the agent.  Only a frame with the mark in its register gets there; the
 * service port never sees it.  Without the service port the probe still
 * tells whether the tunnel and the translation work. */
static void
probe_flows(struct flow_ctx *f, const struct l2mt_conf_tenant *t,
            const char *in, const char *to4)
{
    flow(f, PRIO_PROBE, "table=1,%s,%s=%#"PRIx32",ip actions=%s%s"
         "resubmit(,%d)", in, AGENT_PROBE_REG, AGENT_PROBE_MARK,
         t->nat64 ? to4 : "", t->nat64 ? "," : "", AGENT_PROBE_TABLE);
    flow(f, PRIO_PROBE, "table=%d,%s,%s=%#"PRIx32",%s actions=controller",
         AGENT_PROBE_TABLE, in, AGENT_PROBE_REG, AGENT_PROBE_MARK,
         t->nat64 ? "ipv6" : "ip");
}

/* One tenant: the split of the seed's fig. 5.  From the tunnel, IPv4 and
 * ARP are translated to IPv6/NDP and go to the service VM's v4-side port,
 * native IPv6 goes to its v6 port; back from the v4-side port, IPv6 is
 * translated to IPv4/ARP.  Anything else from these ports is dropped, so
 * tenants never see each other.
 *
 * A port that does not exist (yet) only takes flows away: every port that
 * exists has its drop flow whatever else is missing, and nothing ever falls
 * through to a broader flow. */
static void
tenant_flows(struct flow_ctx *f, const struct agent_ctx *ctx,
             const struct l2mt_conf_tenant *t)
{
    bool flow_mode = ctx->host->tunnel_mode == L2MT_TUNNEL_FLOW;
    char *s4 = port_ref(f, t->service_v4_port);
    char *s6 = port_ref(f, t->service_v6_port);
    char *to4 = nat64_action(t, "4toll6"), *to6 = nat64_action(t, "ll6to4");
    char **in = xzalloc(t->n_remotes * sizeof *in);
    struct l2mt_str out = { NULL, 0, 0 };
    uint32_t m_all, m_nd;
    const char *v6_to;
    char nd[24];
    char *enter;
    size_t j;

    /* The tunnel side: one match per remote, one action list to all. */
    for (j = 0; j < t->n_remotes; j++) {
        char *g;

        if (flow_mode) {
            g = port_ref(f, FLOW_GRE_PORT);
            if (g) {
                in[j] = xasprintf("in_port=%s,tun_id=%"PRIu32
                                       ",tun_src=%s", g, t->gre_key,
                                       t->remotes[j]);
                l2mt_str_printf(&out, "%sset_field:%"PRIu32"->tun_id,"
                                "set_field:%s->tun_dst,output:%s",
                                out.len ? "," : "", t->gre_key,
                                t->remotes[j], g);
            }
        } else {
            char *name = agent_plan_tunnel_port_name(t, j);

            g = port_ref(f, name);
            free(name);
            if (g) {
                in[j] = xasprintf("in_port=%s", g);
                l2mt_str_printf(&out, "%soutput:%s", out.len ? "," : "", g);
                flow(f, PRIO_PORT, "in_port=%s actions=drop", g);
            }
        }
        free(g);
    }

    /* Where native IPv6 goes: its own port, or with nat64 off and no such
     * port configured, the v4-side port with everything else.  A
     * configured port that is missing is not replaced by another. */
    v6_to = t->service_v6_port ? s6 : !t->nat64 ? s4 : NULL;
    tenant_meter_ids(ctx, t, &m_all, &m_nd);
    meter_insn(m_nd, nd);
    enter = m_all ? xasprintf("meter:%"PRIu32",goto_table:1", m_all)
            : xstrdup("goto_table:1");
    for (j = 0; j < t->n_remotes; j++) {
        size_t k;

        if (!in[j]) {
            continue;
        }
        /* Table 0: the guards, then the tenant's meter. */
        guard_flows(f, t, in[j], enter);
        flow(f, PRIO_ENTER, "%s actions=%s", in[j], enter);

        /* Table 1: forwarding, ARP/NS/NA through the ND meter. */
        if (s4 && t->nat64) {
            flow(f, PRIO_FORWARD, "table=1,%s,ip actions=%s,output:%s",
                 in[j], to4, s4);
            flow(f, PRIO_FORWARD, "table=1,%s,arp actions=%s%s,output:%s",
                 in[j], nd, to4, s4);
        } else if (s4 && m_nd) {
            flow(f, PRIO_FORWARD, "table=1,%s,arp actions=%soutput:%s",
                 in[j], nd, s4);
        }
        for (k = 0; v6_to && k < t->n_ipv6_sources; k++) {
            const char *src = t->ipv6_sources[k];

            flow(f, PRIO_FORWARD, "table=1,%s,ipv6,ipv6_src=%s "
                 "actions=output:%s", in[j], src, v6_to);
            if (m_nd) {
                flow(f, PRIO_ND, "table=1,%s,icmp6,ipv6_src=%s,icmp_type=135"
                     " actions=%soutput:%s", in[j], src, nd, v6_to);
                flow(f, PRIO_ND, "table=1,%s,icmp6,ipv6_src=%s,icmp_type=136"
                     " actions=%soutput:%s", in[j], src, nd, v6_to);
            }
        }
        if (v6_to) {
            /* DAD (RFC 4862): from ::, only a Neighbor Solicitation. */
            flow(f, PRIO_FORWARD, "table=1,%s,icmp6,ipv6_src=::,"
                 "icmp_type=135 actions=%soutput:%s", in[j], nd, v6_to);
        }
        probe_flows(f, t, in[j], to4);
        flow(f, PRIO_V6_REST, "table=1,%s,ipv6 actions=drop", in[j]);
        if (s4 && !t->nat64) {
            flow(f, PRIO_REMOTE, "table=1,%s actions=output:%s", in[j], s4);
        }
    }
    if (s4) {
        if (out.len && t->nat64) {
            flow(f, PRIO_FORWARD, "in_port=%s,ipv6 actions=%s,%s", s4, to6,
                 out.s);
        }
        if (out.len && !t->nat64) {
            flow(f, PRIO_REMOTE, "in_port=%s actions=%s", s4, out.s);
        }
        flow(f, PRIO_PORT, "in_port=%s actions=drop", s4);
    }
    if (s6) {
        if (out.len) {
            flow(f, PRIO_FORWARD, "in_port=%s,ipv6 actions=%s", s6, out.s);
        }
        flow(f, PRIO_PORT, "in_port=%s actions=drop", s6);
    }

    for (j = 0; j < t->n_remotes; j++) {
        free(in[j]);
    }
    free(in);
    free(enter);
    l2mt_str_free(&out);
    free(s4);
    free(s6);
    free(to4);
    free(to6);
}

/* If interface 'i' of 'state' is a VM port bound on the tenant bridge,
 * returns it with its binding in '*cpp' and its OpenFlow port number in
 * '*ofport' (not positive if it has none yet). */
static const struct json *
bound_vm(const struct agent_ctx *ctx, const struct agent_db *state,
         size_t i, const struct l2mt_conf_port **cpp, long long *ofport)
{
    const struct json *iface = agent_db_row(state, OT_INTERFACE, i);
    const struct l2mt_conf_port *cp = binding_for(ctx, iface);
    const struct json *port = agent_db_iface_port(state, iface);
    const char *br = agent_db_str(agent_db_port_bridge(state, port), "name");

    if (!cp || !br || strcmp(br, ctx->host->bridge)) {
        return NULL;
    }
    *cpp = cp;
    *ofport = agent_db_int(iface, "ofport", -1);
    return iface;
}

/* A VM port bound by a port block is switched with NORMAL, which never
 * reaches a tenant's port (see ISOLATION_VLAN), after its profile's meter
 * and the translation it asks for.  A port without a binding gets
 * nothing: default deny. */
static void
vm_flows(struct flow_ctx *f, const struct agent_ctx *ctx)
{
    size_t i;

    for (i = 0; i < agent_db_n_rows(f->state, OT_INTERFACE); i++) {
        const struct l2mt_conf_port *cp;
        const struct l2mt_conf_profile *prof;
        const struct json *iface;
        uint32_t m_all, m_nd;
        long long ofport;
        char all[24], nd[24];
        const char *xl;
        int mode;
        char *ref;

        iface = bound_vm(ctx, f->state, i, &cp, &ofport);
        ref = iface ? port_ref(f, agent_db_str(iface, "name")) : NULL;
        if (!ref) {
            continue;
        }
        prof = cp->profile;
        vm_meter_ids(prof, ofport, &m_all, &m_nd);
        meter_insn(m_all, all);
        meter_insn(m_nd, nd);
        flow(f, PRIO_VM_GUARD, "in_port=%s,dl_vlan=%d actions=drop", ref,
             ISOLATION_VLAN);
        flow(f, PRIO_VM, "in_port=%s actions=%sgoto_table:1", ref, all);

        mode = prof ? prof->nat64 : -1;
        xl = mode == L2MT_MODE_4TOLL6 ? "nat64:4toll6,"
             : mode == L2MT_MODE_LL6TO4 ? "nat64:ll6to4," : "";
        if (mode == L2MT_MODE_4TOLL6) {
            flow(f, PRIO_FORWARD, "table=1,in_port=%s,ip actions=%sNORMAL",
                 ref, xl);
            flow(f, PRIO_FORWARD, "table=1,in_port=%s,arp actions=%s%s"
                 "NORMAL", ref, nd, xl);
        } else if (m_nd) {
            flow(f, PRIO_FORWARD, "table=1,in_port=%s,arp actions=%sNORMAL",
                 ref, nd);
        }
        if (mode == L2MT_MODE_LL6TO4) {
            flow(f, PRIO_FORWARD, "table=1,in_port=%s,ipv6 actions=%sNORMAL",
                 ref, xl);
        }
        if (m_nd && mode != L2MT_MODE_4TOLL6) {
            flow(f, PRIO_ND, "table=1,in_port=%s,icmp6,icmp_type=135 "
                 "actions=%s%sNORMAL", ref, nd, xl);
            flow(f, PRIO_ND, "table=1,in_port=%s,icmp6,icmp_type=136 "
                 "actions=%s%sNORMAL", ref, nd, xl);
        }
        flow(f, PRIO_VM, "table=1,in_port=%s actions=NORMAL", ref);
        free(ref);
    }
}

void
agent_plan_bound_ports(const struct agent_ctx *ctx,
                       const struct agent_db *state, struct sset *labels)
{
    size_t i;

    for (i = 0; i < agent_db_n_rows(state, OT_INTERFACE); i++) {
        const struct l2mt_conf_port *cp;
        long long ofport;

        if (bound_vm(ctx, state, i, &cp, &ofport) && ofport > 0) {
            sset_add(labels, cp->label);
        }
    }
}

void
agent_plan_meters(const struct agent_ctx *ctx, const struct agent_db *state,
                  struct l2mt_str *meters)
{
    size_t i;

    l2mt_str_printf(meters, "%s", "");
    for (i = 0; i < ctx->conf->n_tenants; i++) {
        const struct l2mt_conf_tenant *t = &ctx->conf->tenants[i];
        uint32_t all, nd;

        tenant_meter_ids(ctx, t, &all, &nd);
        if (all) {
            l2mt_str_printf(meters, "%"PRIu32" %lld\n", all, t->meters.pps);
        }
        if (nd) {
            l2mt_str_printf(meters, "%"PRIu32" %lld\n", nd,
                            t->meters.nd_pps);
        }
    }
    for (i = 0; i < agent_db_n_rows(state, OT_INTERFACE); i++) {
        const struct l2mt_conf_port *cp;
        long long ofport;
        uint32_t all, nd;

        if (!bound_vm(ctx, state, i, &cp, &ofport) || ofport <= 0
            || ofport >= 0xff00) {
            continue;
        }
        vm_meter_ids(cp->profile, ofport, &all, &nd);
        if (all) {
            l2mt_str_printf(meters, "%"PRIu32" %lld\n", all,
                            cp->profile->meters.pps);
        }
        if (nd) {
            l2mt_str_printf(meters, "%"PRIu32" %lld\n", nd,
                            cp->profile->meters.nd_pps);
        }
    }
}

void
agent_plan_flows(const struct agent_ctx *ctx, const struct agent_db *state,
                 bool names, struct l2mt_str *flows, struct l2mt_str *missing)
{
    struct flow_ctx f = { state, names, flows, missing };
    size_t i;

    l2mt_str_printf(flows, "%s", "");
    l2mt_str_printf(missing, "%s", "");
    /* Default deny, on any bridge the agent serves (the switch's own
     * default flow is taken out of the foreign flows it keeps). */
    flow(&f, PRIO_DEFAULT, "actions=drop");
    flow(&f, PRIO_DEFAULT, "table=1 actions=drop");
    flow(&f, PRIO_DEFAULT, "table=%d actions=drop", AGENT_PROBE_TABLE);
    /* No frame from a port may pass for a probe (registers are zero on
     * every frame that enters a port; only the agent's packet-out sets
     * the mark). */
    flow(&f, PRIO_PROBE_GUARD, "dl_src=%s,%s=0 actions=drop", AGENT_PROBE_MAC,
         AGENT_PROBE_REG);
    for (i = 0; i < ctx->conf->n_tenants; i++) {
        tenant_flows(&f, ctx, &ctx->conf->tenants[i]);
    }
    if (ctx->host->tunnel_mode == L2MT_TUNNEL_FLOW && ctx->conf->n_tenants) {
        char *g = port_ref(&f, FLOW_GRE_PORT);

        if (g) {
            flow(&f, PRIO_PORT, "in_port=%s actions=drop", g);
            free(g);
        }
    }
    vm_flows(&f, ctx);
}
