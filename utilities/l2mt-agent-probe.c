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
#include "l2mt-agent-probe.h"

#include <arpa/inet.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "dirs.h"
#include "dp-packet.h"
#include "flow.h"
#include "l2mt-agent-gather.h"
#include "l2mt-agent-xlate-stats.h"
#include "l2mt-run.h"
#include "openflow/openflow.h"
#include "openvswitch/dynamic-string.h"
#include "openvswitch/ofp-actions.h"
#include "openvswitch/ofp-flow.h"
#include "openvswitch/ofp-msgs.h"
#include "openvswitch/ofp-packet.h"
#include "openvswitch/ofp-protocol.h"
#include "openvswitch/ofp-switch.h"
#include "openvswitch/ofpbuf.h"
#include "openvswitch/poll-loop.h"
#include "openvswitch/rconn.h"
#include "openvswitch/shash.h"
#include "openvswitch/vlog.h"
#include "packets.h"
#include "smap.h"
#include "socket-util.h"
#include "timeval.h"
#include "util.h"

VLOG_DEFINE_THIS_MODULE(agent_probe);

/* The probe frame: UDP between documentation addresses (RFC 5737), never
 * a tenant's, from AGENT_PROBE_MAC; the source port carries the
 * sequence number. */
#define PROBE_FRAME "udp,dl_src=" AGENT_PROBE_MAC ",dl_dst=02:4c:32:50:52:01," \
    "nw_src=192.0.2.1,nw_dst=192.0.2.2,nw_ttl=64,udp_dst=9"

/* The segments of a tenant's path, in the order a frame crosses them. */
enum probe_seg { SEG_INGRESS, SEG_TRANSLATION, SEG_SERVICE, N_SEGS };
static const char *const seg_names[N_SEGS] = {
    "ingress", "translation", "service_port",
};

/* One tenant remote: a tunnel into the tenant bridge and the tenant's
 * service port. */
struct probe_path {
    char *tenant;               /* The tenant's name. */
    char *remote;               /* The tunnel's remote address. */
    char *tunnel;               /* Its port. */
    char *service;              /* The tenant's service-v4-port. */
    uint32_t key;               /* GRE key. */
    bool flow_mode;             /* One GRE port for all: tun_id, tun_src. */
    bool nat64;

    /* From OVSDB, this round. */
    ofp_port_t ofport;          /* Of the tunnel, 0 without one. */
    char *local;                /* The tunnel's local address, or the
                                 * host's name. */
    int bfd;                    /* 1 up, 0 down, -1 off or not known. */
    char *bfd_diag;             /* BFD's diagnostic when down. */
    char *service_why;          /* NULL if the service port is up. */

    /* Probes: kept when the path is made again from a new config. */
    struct probe_state {
        uint16_t seq;           /* Of the last one sent. */
        long long sent_us;      /* time_usec() it was sent, 0 if none is
                                 * outstanding. */
        bool probed;            /* A round has ended since it was made. */
        bool answered;          /* The last round's probe came back. */
        long long rtt_us;       /* Of the last answer, -1 if none. */
        uint64_t n_sent, n_answered;
    } probe;
};

struct agent_probe {
    int interval_ms;
    char *appctl;               /* ovs-appctl program. */
    char *target;               /* ovs-vswitchd's control socket. */
    struct rconn *rconn;        /* To the tenant bridge. */
    char *bridge;               /* Its name, NULL before the first round. */
    unsigned int conn_seqno;    /* rconn's, when it was last configured. */
    long long next_round;       /* time_msec(). */
    long long last_round;       /* time_msec() of the last round, 0 none. */
    struct probe_path *paths;
    size_t n_paths;
    struct shash drops;         /* nat64 drop reason -> agent_counter. */
    struct agent_counter translated;
    struct agent_xlate_stats *xstats;   /* The same per tenant. */
};

struct agent_probe *
agent_probe_create(int interval_ms, const char *appctl, const char *target)
{
    struct agent_probe *p = xzalloc(sizeof *p);

    p->interval_ms = interval_ms;
    p->appctl = xstrdup(appctl);
    p->target = xstrdup(target);
    p->rconn = rconn_create(5, 8, DSCP_DEFAULT, 1u << OFP14_VERSION);
    shash_init(&p->drops);
    p->xstats = agent_xlate_stats_create();
    return p;
}

static void
path_free(struct probe_path *pp)
{
    free(pp->tenant);
    free(pp->remote);
    free(pp->tunnel);
    free(pp->service);
    free(pp->local);
    free(pp->bfd_diag);
    free(pp->service_why);
}

static void
free_paths(struct probe_path *paths, size_t n)
{
    size_t i;

    for (i = 0; i < n; i++) {
        path_free(&paths[i]);
    }
    free(paths);
}

void
agent_probe_destroy(struct agent_probe *p)
{
    if (p) {
        rconn_destroy(p->rconn);
        free_paths(p->paths, p->n_paths);
        shash_destroy_free_data(&p->drops);
        agent_xlate_stats_destroy(p->xstats);
        free(p->bridge);
        free(p->appctl);
        free(p->target);
        free(p);
    }
}

/* The paths of the config, keeping the probe history of those that were
 * already there. */
static void
build_paths(struct agent_probe *p, const struct agent_ctx *ctx)
{
    const struct l2mt_conf *c = ctx->conf;
    bool flow_mode = ctx->host->tunnel_mode == L2MT_TUNNEL_FLOW;
    struct probe_path *paths = NULL;
    size_t n = 0, i, j, k;

    for (i = 0; i < c->n_tenants; i++) {
        const struct l2mt_conf_tenant *t = &c->tenants[i];

        for (j = 0; j < t->n_remotes; j++) {
            struct probe_path *pp;

            paths = xrealloc(paths, (n + 1) * sizeof *paths);
            pp = &paths[n++];
            memset(pp, 0, sizeof *pp);
            pp->tenant = xstrdup(t->name);
            pp->remote = xstrdup(t->remotes[j]);
            pp->tunnel = flow_mode ? xstrdup(AGENT_FLOW_GRE_PORT)
                                   : agent_plan_tunnel_port_name(t, j);
            pp->service = xstrdup(t->service_v4_port);
            pp->key = t->gre_key;
            pp->flow_mode = flow_mode;
            pp->nat64 = t->nat64;
            pp->probe.rtt_us = -1;
            pp->bfd = -1;
            for (k = 0; k < p->n_paths; k++) {
                struct probe_path *old = &p->paths[k];

                if (!strcmp(old->tenant, pp->tenant)
                    && !strcmp(old->remote, pp->remote)
                    && !strcmp(old->tunnel, pp->tunnel)) {
                    pp->probe = old->probe;
                }
            }
        }
    }
    free_paths(p->paths, p->n_paths);
    p->paths = paths;
    p->n_paths = n;
}

/* The state of each path's tunnel and service port, from OVSDB. */
static void
read_state(struct agent_probe *p, const struct agent_ctx *ctx,
           const struct agent_db *db)
{
    size_t i;

    for (i = 0; i < p->n_paths; i++) {
        struct probe_path *pp = &p->paths[i];
        const struct json *tun = agent_db_find(db, OT_INTERFACE, "name",
                                               pp->tunnel);
        const struct json *svc = agent_db_find(db, OT_INTERFACE, "name",
                                               pp->service);
        const struct json *port = svc ? agent_db_iface_port(db, svc) : NULL;
        const char *br = port ? agent_db_str(agent_db_port_bridge(db, port),
                                             "name") : NULL;
        const char *bfd = agent_db_map_get(tun, "bfd", "enable");
        const char *st = agent_db_map_get(tun, "bfd_status", "state");
        const char *diag = agent_db_map_get(tun, "bfd_status", "diagnostic");
        const char *local = agent_db_map_get(tun, "options", "local_ip");
        const char *link = agent_db_str(svc, "link_state");
        long long ofport = agent_db_int(tun, "ofport", -1);

        pp->ofport = u16_to_ofp(ofport > 0 && ofport < 0xff00 ? ofport : 0);
        free(pp->local);
        /* The local end: the tunnel's, the host's underlay address, or
         * at least the host. */
        pp->local = xstrdup(local ? local
                            : ctx->host->underlay_ip ? ctx->host->underlay_ip
                            : ctx->host->name);
        pp->local[strcspn(pp->local, "/")] = '\0';
        pp->bfd = bfd && !strcmp(bfd, "true") && st
                  ? !strcmp(st, "up") : -1;
        free(pp->bfd_diag);
        pp->bfd_diag = xstrdup(diag && strcmp(diag, "No Diagnostic")
                               ? diag : "");
        free(pp->service_why);
        pp->service_why = (!svc ? xasprintf("%s missing", pp->service)
                           : !br || strcmp(br, ctx->host->bridge)
                           ? xasprintf("%s not on %s", pp->service,
                                       ctx->host->bridge)
                           : agent_db_int(svc, "ofport", -1) <= 0
                           ? xasprintf("%s has no OpenFlow port", pp->service)
                           : link && strcmp(link, "up")
                           ? xasprintf("%s link %s", pp->service, link)
                           : NULL);
    }
}

/* Runs "ovs-appctl COMMAND BRIDGE" on the switch for the tenant bridge.
 * Returns its output (caller frees), NULL if it failed. */
static char *
switch_appctl(const struct agent_probe *p, const struct agent_ctx *ctx,
              const char *command)
{
    struct agent_cmd cmd;
    char *out = NULL;
    int rc;

    agent_cmd_init(&cmd);
    agent_cmd_add(&cmd, p->appctl);
    agent_cmd_add(&cmd, "-t");
    agent_cmd_add(&cmd, p->target);
    agent_cmd_addf(&cmd, "--timeout=%d", ctx->ovs.timeout);
    agent_cmd_add(&cmd, command);
    agent_cmd_add(&cmd, ctx->host->bridge);
    rc = l2mt_run(cmd.argv, NULL, ctx->ovs.timeout + 1, &out, NULL, NULL);
    agent_cmd_free(&cmd);
    if (rc) {
        static struct vlog_rate_limit rl = VLOG_RATE_LIMIT_INIT(1, 60);

        VLOG_WARN_RL(&rl, "cannot read %s of %s from %s", command,
                     ctx->host->bridge, p->target);
        free(out);
        return NULL;
    }
    return out;
}

/* The switch's nat64 counts of the bridge ("ovs-appctl nat64/show"),
 * added to the totals, and per tenant ("nat64/show-ports"). */
static void
read_nat64(struct agent_probe *p, const struct agent_ctx *ctx)
{
    char *out, *line, *save = NULL;

    out = switch_appctl(p, ctx, "nat64/show-ports");
    if (out) {
        agent_xlate_stats_update(p->xstats, ctx, out);
        free(out);
    }
    out = switch_appctl(p, ctx, "nat64/show");
    if (!out) {
        return;
    }
    /* "  translated: N", "  dropped: N", then "    REASON: N". */
    for (line = strtok_r(out, "\n", &save); line;
         line = strtok_r(NULL, "\n", &save)) {
        size_t indent = strspn(line, " ");
        char name[64];
        unsigned long long v;
        struct agent_counter *pc;

        if (sscanf(line + indent, "%63[^:]: %llu", name, &v) != 2) {
            continue;
        }
        if (indent == 2 && !strcmp(name, "translated")) {
            pc = &p->translated;
        } else if (indent == 4) {
            pc = shash_find_data(&p->drops, name);
            if (!pc) {
                pc = xzalloc(sizeof *pc);
                shash_add(&p->drops, name, pc);
            }
        } else {
            continue;
        }
        agent_counter_set(pc, v);
    }
    free(out);
}

static void
send_probe(struct agent_probe *p, struct probe_path *pp)
{
    enum ofputil_protocol usable, proto;
    struct ofputil_packet_out po;
    struct ofpbuf ofpacts;
    struct dp_packet *pkt;
    struct flow f;
    char *desc, *acts, *err;

    pp->probe.seq++;
    desc = xasprintf("%s,udp_src=%"PRIu16, PROBE_FRAME, pp->probe.seq);
    err = parse_ofp_exact_flow(&f, NULL, NULL, desc, NULL);
    if (err) {
        VLOG_ERR("probe frame \"%s\": %s", desc, err);
        free(err);
        free(desc);
        return;
    }
    free(desc);
    pkt = dp_packet_new(0);
    flow_compose(pkt, &f, NULL, 0);

    /* In flow mode the tunnel's metadata says which tenant remote. */
    acts = pp->flow_mode
           ? xasprintf("set_field:%"PRIu32"->tun_id,set_field:%s->tun_src,"
                       "set_field:%#"PRIx32"->%s,resubmit(,0)", pp->key,
                       pp->remote, AGENT_PROBE_MARK, AGENT_PROBE_REG)
           : xasprintf("set_field:%#"PRIx32"->%s,resubmit(,0)",
                       AGENT_PROBE_MARK, AGENT_PROBE_REG);
    ofpbuf_init(&ofpacts, 64);
    err = ofpacts_parse_actions(acts, &(struct ofpact_parse_params) {
                                    .ofpacts = &ofpacts,
                                    .usable_protocols = &usable });
    if (err) {
        VLOG_ERR("probe actions \"%s\": %s", acts, err);
        free(err);
    } else {
        memset(&po, 0, sizeof po);
        po.packet = dp_packet_data(pkt);
        po.packet_len = dp_packet_size(pkt);
        po.buffer_id = UINT32_MAX;
        match_init_catchall(&po.flow_metadata);
        match_set_in_port(&po.flow_metadata, pp->ofport);
        po.ofpacts = ofpacts.data;
        po.ofpacts_len = ofpacts.size;
        proto = ofputil_protocol_from_ofp_version(
            rconn_get_version(p->rconn));
        if (!rconn_send(p->rconn, ofputil_encode_packet_out(&po, proto),
                        NULL)) {
            pp->probe.sent_us = time_usec();
            pp->probe.n_sent++;
        }
    }
    ofpbuf_uninit(&ofpacts);
    free(acts);
    dp_packet_delete(pkt);
}

/* A probe came back from the counting flow. */
static void
handle_packet_in(struct agent_probe *p, const struct ofp_header *oh)
{
    struct ofputil_packet_in pin;
    const struct flow *md;
    struct dp_packet pkt;
    uint32_t buffer_id;
    size_t total_len, i;
    struct flow f;

    if (ofputil_decode_packet_in(oh, true, NULL, NULL, &pin, &total_len,
                                 &buffer_id, NULL)
        || pin.table_id != AGENT_PROBE_TABLE
        || pin.cookie != htonll(strtoull(L2MT_COOKIE, NULL, 16))) {
        return;
    }
    md = &pin.flow_metadata.flow;
    if (md->regs[AGENT_PROBE_REG_IDX] != AGENT_PROBE_MARK) {
        return;
    }
    dp_packet_use_const(&pkt, pin.packet, pin.packet_len);
    flow_extract(&pkt, &f);
    for (i = 0; i < p->n_paths; i++) {
        struct probe_path *pp = &p->paths[i];

        if (pp->probe.sent_us && pp->ofport == md->in_port.ofp_port
            && pp->probe.seq == ntohs(f.tp_src)
            && (!pp->flow_mode
                || (md->tunnel.tun_id == htonll(pp->key)
                    && md->tunnel.ip_src == inet_addr(pp->remote)))
            && (pp->nat64 ? f.dl_type == htons(ETH_TYPE_IPV6)
                          : f.dl_type == htons(ETH_TYPE_IP))) {
            pp->probe.rtt_us = time_usec() - pp->probe.sent_us;
            pp->probe.sent_us = 0;
            pp->probe.answered = pp->probe.probed = true;
            pp->probe.n_answered++;
            return;
        }
    }
}

/* Ends the round: a probe not back by now is lost. */
static void
end_round(struct agent_probe *p)
{
    size_t i;

    for (i = 0; i < p->n_paths; i++) {
        struct probe_path *pp = &p->paths[i];

        if (pp->probe.sent_us || !pp->ofport) {
            pp->probe.answered = false;
            pp->probe.sent_us = 0;
        }
        pp->probe.probed = p->last_round != 0;
    }
}

static void
connect_bridge(struct agent_probe *p, const char *bridge)
{
    if (!p->bridge || strcmp(p->bridge, bridge)) {
        char *target = xasprintf("unix:%s/%s.mgmt", ovs_rundir(), bridge);

        free(p->bridge);
        p->bridge = xstrdup(bridge);
        rconn_connect(p->rconn, target, "l2mt-agent probes");
        free(target);
    }
}

void
agent_probe_run(struct agent_probe *p, const struct agent_ctx *ctx)
{
    long long now = time_msec();
    int i;

    rconn_run(p->rconn);
    if (rconn_is_connected(p->rconn)
        && rconn_get_connection_seqno(p->rconn) != p->conn_seqno) {
        /* A service connection gets packet-ins only with a miss_send_len
         * of its own. */
        struct ofputil_switch_config sc = {
            .frag = OFPUTIL_FRAG_NORMAL,
            .invalid_ttl_to_controller = -1,
            .miss_send_len = UINT16_MAX,
        };

        p->conn_seqno = rconn_get_connection_seqno(p->rconn);
        rconn_send(p->rconn, ofputil_encode_set_config(
                       &sc, rconn_get_version(p->rconn)), NULL);
    }
    for (i = 0; i < 50; i++) {
        struct ofpbuf *msg = rconn_recv(p->rconn);
        enum ofptype type;

        if (!msg) {
            break;
        }
        if (!ofptype_decode(&type, msg->data) && type == OFPTYPE_PACKET_IN) {
            handle_packet_in(p, msg->data);
        }
        ofpbuf_delete(msg);
    }

    if (!ctx->conf || now < p->next_round) {
        return;
    }
    connect_bridge(p, ctx->host->bridge);
    end_round(p);
    p->next_round = now + p->interval_ms;
    p->last_round = now;

    struct agent_db db;
    char *err = agent_gather_db(&ctx->ovs, &db);

    build_paths(p, ctx);
    if (err) {
        VLOG_WARN_ONCE("probes: cannot read the switch: %s", err);
        free(err);
    }
    read_state(p, ctx, &db);
    agent_db_destroy(&db);
    read_nat64(p, ctx);
    for (i = 0; i < p->n_paths; i++) {
        if (p->paths[i].ofport && rconn_is_connected(p->rconn)) {
            send_probe(p, &p->paths[i]);
        }
    }
}

void
agent_probe_wait(struct agent_probe *p)
{
    rconn_run_wait(p->rconn);
    rconn_recv_wait(p->rconn);
    if (p->next_round) {
        poll_timer_wait_until(p->next_round);
    }
}

/* Segment 's' of 'pp': 1 up, 0 down. */
static int
seg_up(const struct probe_path *pp, enum probe_seg s)
{
    switch (s) {
    case SEG_INGRESS:
        return pp->ofport && pp->bfd != 0;
    case SEG_TRANSLATION:
        return pp->probe.answered;
    case SEG_SERVICE:
        return !pp->service_why;
    case N_SEGS:
    default:
        OVS_NOT_REACHED();
    }
}

/* Where 'pp' is broken, with the fault's class in '*cls' ("underlay",
 * "overlay", "service"), or NULL if it is up. */
static char *
fault(const struct probe_path *pp, const char **cls)
{
    if (!pp->ofport) {
        *cls = "overlay";
        return xasprintf("tunnel port %s missing", pp->tunnel);
    } else if (pp->bfd == 0) {
        *cls = "underlay";
        return xasprintf("underlay down: BFD down on %s%s%s%s", pp->tunnel,
                         pp->bfd_diag[0] ? " (" : "", pp->bfd_diag,
                         pp->bfd_diag[0] ? ")" : "");
    } else if (!pp->probe.answered) {
        *cls = "overlay";
        return xstrdup("tenant path down with the underlay up: the probe "
                       "did not come back translated (flows, config or "
                       "nat64 drops)");
    } else if (pp->service_why) {
        *cls = "service";
        return xasprintf("service port down: %s", pp->service_why);
    }
    return NULL;
}

void
agent_probe_status(const struct agent_probe *p, struct ds *s)
{
    static const char *const classes[] = { "underlay", "overlay", "service" };
    long long now = time_msec();
    size_t i, c;

    if (!p->last_round) {
        ds_put_cstr(s, "probes: none yet\n");
        return;
    }
    ds_put_format(s, "probes: every %d ms, last round %lld ms ago, "
                  "OpenFlow connection to %s %s\n", p->interval_ms,
                  now - p->last_round, p->bridge,
                  rconn_is_connected(p->rconn) ? "up" : "down");
    for (i = 0; i < p->n_paths; i++) {
        const struct probe_path *pp = &p->paths[i];
        const char *cls;
        char *why = fault(pp, &cls);
        int k;

        ds_put_format(s, "probe %s via %s (remote %s, key %"PRIu32"):",
                      pp->tenant, pp->tunnel, pp->remote, pp->key);
        for (k = 0; k < N_SEGS; k++) {
            ds_put_format(s, " %s %s", seg_names[k],
                          seg_up(pp, k) ? "up" : "down");
        }
        if (pp->probe.answered && pp->probe.rtt_us >= 0) {
            ds_put_format(s, ", rtt %.3f ms", pp->probe.rtt_us / 1000.0);
        }
        ds_put_format(s, ", %"PRIu64"/%"PRIu64" back",
                      pp->probe.n_answered, pp->probe.n_sent);
        if (why) {
            ds_put_format(s, "\n  fault: %s", why);
        }
        ds_put_char(s, '\n');
        free(why);
    }
    /* The blast radius: which tenants, by the fault's class. */
    for (c = 0; c < ARRAY_SIZE(classes); c++) {
        struct ds names = DS_EMPTY_INITIALIZER;

        for (i = 0; i < p->n_paths; i++) {
            const struct probe_path *pp = &p->paths[i];
            const char *cls;
            char *why = fault(pp, &cls);
            char *word = xasprintf(" %s ", pp->tenant);

            ds_put_char(&names, ' ');
            if (why && !strcmp(cls, classes[c])
                && !strstr(ds_cstr(&names), word)) {
                ds_put_cstr(&names, pp->tenant);
            }
            ds_chomp(&names, ' ');
            free(word);
            free(why);
        }
        if (names.length) {
            ds_put_format(s, "%s: tenants affected:%s\n", classes[c],
                          ds_cstr(&names));
        }
        ds_destroy(&names);
    }
    agent_xlate_stats_status(p->xstats, s);
}

bool
agent_probe_summary(const struct agent_probe *p, struct smap *bfd_state,
                    struct smap *tenant_path)
{
    size_t i;

    if (!p->last_round) {
        return false;
    }
    for (i = 0; i < p->n_paths; i++) {
        const struct probe_path *pp = &p->paths[i];
        const char *old = smap_get(bfd_state, pp->remote);
        const char *cls;
        char *why = fault(pp, &cls);

        /* One tunnel down to a remote makes it down; a tenant is down if
         * one of its remotes is. */
        if (pp->bfd >= 0 && (!old || !strcmp(old, "up"))) {
            smap_replace(bfd_state, pp->remote, pp->bfd ? "up" : "down");
        }
        old = smap_get(tenant_path, pp->tenant);
        if (why && (!old || !strcmp(old, "up"))) {
            smap_replace_nocopy(tenant_path, pp->tenant,
                                xasprintf("down: %s", cls));
        } else if (!old) {
            smap_add(tenant_path, pp->tenant, "up");
        }
        free(why);
    }
    return true;
}

/* A label value in the exposition format: \, " and newline escaped. */
void
agent_metric_label(FILE *out, const char *name, const char *value,
                   bool first)
{
    fprintf(out, "%s%s=\"", first ? "" : ",", name);
    for (; *value; value++) {
        if (*value == '\\' || *value == '"') {
            fprintf(out, "\\%c", *value);
        } else if (*value == '\n') {
            fputs("\\n", out);
        } else {
            putc(*value, out);
        }
    }
    putc('"', out);
}

static void
put_path_labels(FILE *out, const struct probe_path *pp)
{
    agent_metric_label(out, "tenant", pp->tenant, true);
    agent_metric_label(out, "remote", pp->remote, false);
}

void
agent_probe_metrics(const struct agent_probe *p, FILE *out)
{
    struct shash_node *node;
    size_t i;
    int k;

    fputs("# HELP l2mt_tunnel_up GRE tunnel liveness from BFD (1 up, 0 "
          "down); tunnels without BFD are left out.\n"
          "# TYPE l2mt_tunnel_up gauge\n", out);
    for (i = 0; i < p->n_paths; i++) {
        const struct probe_path *pp = &p->paths[i];
        size_t j;
        bool dup = false;

        for (j = 0; j < i; j++) {
            dup |= !strcmp(p->paths[j].tunnel, pp->tunnel)
                   && !strcmp(p->paths[j].remote, pp->remote);
        }
        if (pp->bfd < 0 || dup) {
            continue;
        }
        fputs("l2mt_tunnel_up{", out);
        agent_metric_label(out, "local", pp->local, true);
        agent_metric_label(out, "remote", pp->remote, false);
        agent_metric_label(out, "tunnel", pp->tunnel, false);
        fprintf(out, "} %d\n", pp->bfd);
    }

    fputs("# HELP l2mt_tenant_path_up A tenant's path per segment "
          "(ingress, translation, service_port) and as a whole (path), "
          "from the last probe.\n"
          "# TYPE l2mt_tenant_path_up gauge\n", out);
    for (i = 0; i < p->n_paths; i++) {
        const struct probe_path *pp = &p->paths[i];
        int all = 1;

        for (k = 0; k < N_SEGS; k++) {
            int up = seg_up(pp, k);

            fputs("l2mt_tenant_path_up{", out);
            put_path_labels(out, pp);
            agent_metric_label(out, "segment", seg_names[k], false);
            fprintf(out, "} %d\n", up);
            all &= up;
        }
        fputs("l2mt_tenant_path_up{", out);
        put_path_labels(out, pp);
        agent_metric_label(out, "segment", "path", false);
        fprintf(out, "} %d\n", all);
    }

    fputs("# HELP l2mt_tenant_probe_rtt_seconds Time from the probe's "
          "packet-out to its packet-in after the translation, last probe "
          "answered.\n"
          "# TYPE l2mt_tenant_probe_rtt_seconds gauge\n", out);
    for (i = 0; i < p->n_paths; i++) {
        const struct probe_path *pp = &p->paths[i];

        if (pp->probe.answered && pp->probe.rtt_us >= 0) {
            fputs("l2mt_tenant_probe_rtt_seconds{", out);
            put_path_labels(out, pp);
            fprintf(out, "} %.6f\n", pp->probe.rtt_us / 1e6);
        }
    }

    fputs("# HELP l2mt_tenant_probes_sent_total Probes injected.\n"
          "# TYPE l2mt_tenant_probes_sent_total counter\n", out);
    for (i = 0; i < p->n_paths; i++) {
        fputs("l2mt_tenant_probes_sent_total{", out);
        put_path_labels(out, &p->paths[i]);
        fprintf(out, "} %"PRIu64"\n", p->paths[i].probe.n_sent);
    }
    fputs("# HELP l2mt_tenant_probes_answered_total Probes that came back "
          "translated.\n"
          "# TYPE l2mt_tenant_probes_answered_total counter\n", out);
    for (i = 0; i < p->n_paths; i++) {
        fputs("l2mt_tenant_probes_answered_total{", out);
        put_path_labels(out, &p->paths[i]);
        fprintf(out, "} %"PRIu64"\n", p->paths[i].probe.n_answered);
    }

    if (p->bridge) {
        fputs("# HELP l2mt_translation_frames_total Frames the nat64 action "
              "translated on the tenant bridge.\n"
              "# TYPE l2mt_translation_frames_total counter\n", out);
        fputs("l2mt_translation_frames_total{", out);
        agent_metric_label(out, "bridge", p->bridge, true);
        fprintf(out, "} %"PRIu64"\n", p->translated.total);
        fputs("# HELP l2mt_translation_drops_total Frames the nat64 action "
              "dropped, by reason (the core's names), on the tenant "
              "bridge.\n"
              "# TYPE l2mt_translation_drops_total counter\n", out);
        SHASH_FOR_EACH (node, &p->drops) {
            const struct agent_counter *pc = node->data;

            fputs("l2mt_translation_drops_total{", out);
            agent_metric_label(out, "bridge", p->bridge, true);
            agent_metric_label(out, "reason", node->name, false);
            fprintf(out, "} %"PRIu64"\n", pc->total);
        }
        agent_xlate_stats_metrics(p->xstats, out);
    }
}
