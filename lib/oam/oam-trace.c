/*
 * Copyright (c) 2026 The l2mt authors.
 * Licensed under the Apache License, Version 2.0.
 */

#include <config.h>
#include "oam/oam-trace.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "dp-packet.h"
#include "flow.h"
#include "l2mt-conf.h"
#include "l2mt-prefix.h"
#include "nat64.h"
#include "oam/oam-switch.h"
#include "openvswitch/dynamic-string.h"
#include "openvswitch/json.h"
#include "openvswitch/ofp-flow.h"
#include "openvswitch/ofp-print.h"
#include "packets.h"
#include "util.h"

/* The agent's flows carry this cookie (utilities/l2mt-agent-plan.c). */
#define OAM_AGENT_COOKIE 0x4c324d54

/* Default addresses of a frame whose description leaves them out. */
static const struct eth_addr tenant_mac = ETH_ADDR_C(02,00,00,00,00,0a);
static const struct eth_addr service_mac = ETH_ADDR_C(02,00,00,00,00,64);

const struct l2mt_conf_tenant *
oam_tenant_find(const struct l2mt_conf *conf, const char *name)
{
    size_t i;

    for (i = 0; i < conf->n_tenants; i++) {
        const struct l2mt_conf_tenant *t = &conf->tenants[i];
        char id[16];

        snprintf(id, sizeof id, "%"PRIu32, t->id);
        if (!strcmp(t->name, name) || !strcmp(id, name)) {
            return t;
        }
    }
    return NULL;
}

/* One direction of the walk. */
struct walk {
    const struct oam_trace_req *req;
    struct json *hops;
    const char *verdict;        /* "delivered" or "dropped". */
    char *landed;               /* Port the frame left on, at the end. */
    struct dp_packet *pkt;      /* The frame as it is now. */
};

static char *
packet_hex(const struct dp_packet *pkt)
{
    const uint8_t *p = dp_packet_data(pkt);
    size_t n = dp_packet_size(pkt), i;
    char *hex = xmalloc(2 * n + 1);

    for (i = 0; i < n; i++) {
        snprintf(hex + 2 * i, 3, "%02x", p[i]);
    }
    hex[2 * n] = '\0';
    return hex;
}

/* The frame's headers, one line, as Open vSwitch prints a packet. */
static char *
packet_text(const struct dp_packet *pkt)
{
    char *s = ofp_packet_to_string(dp_packet_data(pkt), dp_packet_size(pkt),
                                   htonl(PT_ETH));

    s[strcspn(s, "\n")] = '\0';
    return s;
}

static const char *
cookie_owner(uint64_t cookie)
{
    return cookie == OAM_AGENT_COOKIE ? "l2mt-agent" : "another owner";
}

static const char *
port_name(const struct oam_switch *sw, uint32_t dp)
{
    const struct oam_port *p = oam_switch_dp_port(sw, dp);

    return p ? p->name : "?";
}

/* A hop through one bridge, from its ofproto/trace. */
static struct json *
bridge_hop(struct oam_switch *sw, const char *bridge, const char *in_port,
           const struct oam_trace *t)
{
    struct json *hop = json_object_create();
    struct json *out = json_array_create_empty();
    size_t i;

    json_object_put_string(hop, "hop", "bridge");
    json_object_put_string(hop, "switch", sw->role);
    json_object_put_string(hop, "bridge", bridge);
    json_object_put_string(hop, "in_port", in_port);
    json_object_put_string(hop, "datapath_actions", t->dp_actions);
    for (i = 0; i < t->n_outputs; i++) {
        json_array_add(out, json_string_create(port_name(sw,
                                                         t->outputs[i])));
    }
    for (i = 0; i < t->n_pushes; i++) {
        const struct oam_port *p = oam_switch_gre_in(sw, bridge,
                                                     t->pushes[i].key,
                                                     t->pushes[i].dst);
        json_array_add(out, json_string_create(p ? p->name : "tunnel"));
    }
    json_object_put(hop, "out", out);
    if (t->table >= 0) {
        struct json *rule = json_object_create();

        json_object_put(rule, "table", json_integer_create(t->table));
        json_object_put(rule, "priority", json_integer_create(t->priority));
        json_object_put_format(rule, "cookie", "%#"PRIx64, t->cookie);
        json_object_put_string(rule, "owner", t->priority < 0
                               ? "table miss" : cookie_owner(t->cookie));
        json_object_put_string(rule, "match", t->rule ? t->rule : "");
        json_object_put(hop, "rule", rule);
    }
    return hop;
}

static void
walk_drop(struct walk *w, struct json *hop, const char *reason)
{
    json_object_put_string(hop, "verdict", "dropped");
    json_object_put_string(hop, "reason", reason);
    w->verdict = "dropped";
}

static void
add_hop(struct walk *w, struct json *hop)
{
    json_array_add(w->hops, hop);
}

/* Runs the translator core on the walk's frame as the action 'args'
 * ("mode=4toll6,prefix=fe80::/96[,mtu6=N,mtu4=N]") says.  Returns false
 * if the core drops it. */
static bool
run_nat64(struct walk *w, const char *args)
{
    struct json *hop = json_object_create();
    char mode[16] = "", prefix[64] = "fe80::/96";
    unsigned int mtu6 = 0, mtu4 = 0;
    uint8_t pfx[12];
    char *err = NULL, *copy = xstrdup(args), *save = NULL, *kv;
    struct l2mt_cfg cfg;
    struct l2mt_pkt pkt;
    enum l2mt_result r;
    int m;
    size_t len = dp_packet_size(w->pkt);
    size_t room = L2MT_MAX_GROWTH;
    uint8_t *buf = xzalloc(room + len + L2MT_MAX_GROWTH);
    bool ok;

    for (kv = strtok_r(copy, ",", &save); kv; kv = strtok_r(NULL, ",", &save)) {
        if (!strncmp(kv, "mode=", 5)) {
            snprintf(mode, sizeof mode, "%s", kv + 5);
        } else if (!strncmp(kv, "prefix=", 7)) {
            snprintf(prefix, sizeof prefix, "%s", kv + 7);
        } else if (!strncmp(kv, "mtu6=", 5)) {
            mtu6 = atoi(kv + 5);
        } else if (!strncmp(kv, "mtu4=", 5)) {
            mtu4 = atoi(kv + 5);
        }
    }
    free(copy);
    json_object_put_string(hop, "hop", "nat64");
    json_object_put_string(hop, "mode", mode);
    json_object_put_string(hop, "prefix", prefix);
    json_object_put(hop, "before", json_string_create_nocopy(
                        packet_text(w->pkt)));
    m = l2mt_mode_from_name(mode);
    if (m < 0 || l2mt_prefix_parse(prefix, pfx, &err)) {
        free(err);
        walk_drop(w, hop, "the trace's nat64 action is not understood");
        add_hop(w, hop);
        free(buf);
        return false;
    }
    l2mt_cfg_init(&cfg, pfx, 0);
    l2mt_cfg_set_mtu(&cfg, mtu6, mtu4);
    memcpy(buf + room, dp_packet_data(w->pkt), len);
    memset(&pkt, 0, sizeof pkt);
    pkt.data = buf + room;
    pkt.len = pkt.linear = len;
    pkt.headroom = room;
    r = l2mt_translate(&cfg, m, &pkt);
    json_object_put_string(hop, "result", l2mt_result_name(r));
    ok = !l2mt_result_is_drop(r);
    if (ok) {
        dp_packet_delete(w->pkt);
        w->pkt = dp_packet_clone_data(pkt.data, pkt.len);
        json_object_put(hop, "after", json_string_create_nocopy(
                            packet_text(w->pkt)));
        json_object_put_string(hop, "verdict", "passed");
    } else {
        char *why = xasprintf("nat64 drops it: %s", l2mt_result_name(r));

        walk_drop(w, hop, why);
        free(why);
    }
    add_hop(w, hop);
    free(buf);
    return ok;
}

/* Traces the walk's frame through 'bridge' of 'sw' entering at 'in_port'
 * (with tunnel metadata 'tun', or ""), then the core where the trace says
 * nat64.  Leaves the trace in 't'.  Returns an error message if the switch
 * does not answer. */
static char *
walk_bridge(struct walk *w, struct oam_switch *sw, const char *bridge,
            const char *in_port, const char *tun, struct oam_trace *t)
{
    char *meta = xasprintf("in_port=%s%s", in_port, tun);
    char *hex = packet_hex(w->pkt);
    char *error = oam_switch_trace(sw, bridge, meta, hex, t);
    struct json *hop;

    free(meta);
    free(hex);
    if (error) {
        return error;
    }
    hop = bridge_hop(sw, bridge, in_port, t);
    if (!t->n_outputs && !t->n_pushes) {
        char *why = t->priority < 0
            ? xasprintf("no flow matches in table %d (default deny)",
                        t->table)
            : xasprintf("flow in table %d, priority %d, cookie %#"PRIx64
                        " (%s) drops it", t->table, t->priority, t->cookie,
                        cookie_owner(t->cookie));
        walk_drop(w, hop, why);
        free(why);
        add_hop(w, hop);
        return NULL;
    }
    json_object_put_string(hop, "verdict", "forwarded");
    add_hop(w, hop);
    if (t->nat64[0]) {
        run_nat64(w, t->nat64);
    }
    return NULL;
}

static struct json *
gre_hop(uint32_t key, const char *src, const char *dst, const char *port)
{
    struct json *hop = json_object_create();

    json_object_put_string(hop, "hop", "gre");
    json_object_put(hop, "key", json_integer_create(key));
    json_object_put_string(hop, "source", src);
    json_object_put_string(hop, "remote", dst);
    if (port) {
        json_object_put_string(hop, "tunnel", port);
    }
    return hop;
}

static struct json *
unseen_hop(const char *what, const char *why)
{
    struct json *hop = json_object_create();

    json_object_put_string(hop, "hop", "unseen");
    json_object_put_string(hop, "what", what);
    json_object_put_string(hop, "why", why);
    return hop;
}

/* The role of 'port' for the tenant: which of its ports, or NULL. */
static const char *
port_role(const struct l2mt_conf_tenant *t, const char *port)
{
    if (!strcmp(port, t->service_v4_port)) {
        return "service-v4-port";
    } else if (t->service_v6_port && !strcmp(port, t->service_v6_port)) {
        return "service-v6-port";
    }
    return NULL;
}

static char *
underlay_addr(const struct l2mt_conf_host *h)
{
    return h->underlay_ip ? xmemdup0(h->underlay_ip,
                                     strcspn(h->underlay_ip, "/"))
                          : xstrdup("");
}

static char *
tun_meta(uint32_t key, const char *src, const char *dst)
{
    return xasprintf(",tun_id=%#"PRIx32",tun_src=%s%s%s", key, src,
                     dst[0] ? ",tun_dst=" : "", dst);
}

/* The request: gateway, tunnel, hypervisor, nat64, service port. */
static char *
walk_request(struct walk *w)
{
    const struct oam_trace_req *r = w->req;
    const struct l2mt_conf_tenant *tn = r->tenant;
    const char *bridge = r->host->bridge;
    char *local = underlay_addr(r->host);
    char src[16], dst[16];
    const struct oam_port *gre;
    struct json *ghop;
    struct oam_trace t = { .table = -1 };
    uint32_t key;
    char *error, *tun;
    size_t i;

    if (r->gw) {
        error = walk_bridge(w, r->gw, r->gw_bridge, r->gw_port, "", &t);
        if (error || !strcmp(w->verdict, "dropped")) {
            goto out_t;
        }
        if (!t.n_pushes) {
            struct json *hop = unseen_hop("the tenant's LAN side", "");
            walk_drop(w, hop, "the gateway does not send it into a tunnel");
            add_hop(w, hop);
            goto out_t;
        }
        key = t.pushes[0].key;
        snprintf(src, sizeof src, "%s", t.pushes[0].src);
        snprintf(dst, sizeof dst, "%s", t.pushes[0].dst);
        oam_trace_destroy(&t);
    } else {
        char *what = xasprintf("gateway %s", tn->remotes[0]);

        add_hop(w, unseen_hop(what, "not on this host: assuming it sends "
                              "the frame as given, with the tenant's key"));
        free(what);
        key = tn->gre_key;
        snprintf(src, sizeof src, "%s", tn->remotes[0]);
        snprintf(dst, sizeof dst, "%s", local);
    }

    gre = oam_switch_gre_in(r->hv, bridge, key, src);
    ghop = gre_hop(key, src, dst, gre ? gre->name : NULL);
    add_hop(w, ghop);
    if (!gre) {
        char *why = key != tn->gre_key
            ? xasprintf("no tunnel port on %s takes key %"PRIu32" from %s "
                        "(tenant %s's key is %"PRIu32")", bridge, key, src,
                        tn->name, tn->gre_key)
            : xasprintf("no tunnel port on %s takes key %"PRIu32" from %s",
                        bridge, key, src);

        walk_drop(w, ghop, why);
        free(why);
        error = NULL;
        goto out;
    }
    tun = tun_meta(key, src, dst);
    error = walk_bridge(w, r->hv, bridge, gre->name, tun, &t);
    free(tun);
    if (error || !strcmp(w->verdict, "dropped")) {
        goto out_t;
    }
    for (i = 0; i < t.n_outputs; i++) {
        const char *name = port_name(r->hv, t.outputs[i]);
        const char *role = port_role(tn, name);
        struct json *hop = json_object_create();

        json_object_put_string(hop, "hop", "port");
        json_object_put_string(hop, "port", name);
        if (role) {
            json_object_put_string(hop, "role", role);
            json_object_put_string(hop, "verdict", "delivered");
            if (!w->landed) {
                w->landed = xstrdup(name);
            }
        } else {
            walk_drop(w, hop, "not one of the tenant's service ports");
        }
        add_hop(w, hop);
    }
    if (w->landed && strcmp(w->verdict, "dropped")) {
        w->verdict = "delivered";
    } else {
        w->verdict = "dropped";
    }
out_t:
    oam_trace_destroy(&t);
out:
    free(local);
    return error;
}

/* The answer to the frame the service received: addresses swapped, echo
 * request -> reply, Neighbor Solicitation -> Advertisement, ARP request ->
 * reply.  Returns NULL if no answer is expected. */
static struct dp_packet *
make_answer(const struct dp_packet *req)
{
    struct dp_packet *copy = dp_packet_clone(req), *ans;
    struct flow f, a;

    flow_extract(copy, &f);
    dp_packet_delete(copy);
    a = f;
    a.dl_src = eth_addr_is_multicast(f.dl_dst) ? service_mac : f.dl_dst;
    a.dl_dst = f.dl_src;
    a.nw_src = f.nw_dst;
    a.nw_dst = f.nw_src;
    a.ipv6_src = f.ipv6_dst;
    a.ipv6_dst = f.ipv6_src;
    a.tp_src = f.tp_dst;
    a.tp_dst = f.tp_src;
    if (f.dl_type == htons(ETH_TYPE_ARP)) {
        a.nw_proto = ARP_OP_REPLY;
        a.arp_sha = a.dl_src;
        a.arp_tha = f.arp_sha;
    } else if (f.nw_proto == IPPROTO_ICMP || f.nw_proto == IPPROTO_ICMPV6) {
        uint16_t type = ntohs(f.tp_src);

        a.tp_dst = f.tp_dst;
        if (type == ICMP4_ECHO_REQUEST || type == ICMP6_ECHO_REQUEST) {
            a.tp_src = htons(type == ICMP4_ECHO_REQUEST ? ICMP4_ECHO_REPLY
                                                        : ICMP6_ECHO_REPLY);
        } else if (type == ND_NEIGHBOR_SOLICIT) {
            a.tp_src = htons(ND_NEIGHBOR_ADVERT);
            a.ipv6_src = f.nd_target;
            a.igmp_group_ip4 = htonl(0x60000000);   /* Solicited, Override. */
            a.arp_sha = eth_addr_zero;
            a.arp_tha = a.dl_src;
            a.nw_ttl = 255;
        } else {
            return NULL;
        }
    }
    ans = dp_packet_new(0);
    flow_compose(ans, &a, NULL, 0);
    return ans;
}

/* The answer: service port, hypervisor (nat64 back), tunnel, gateway. */
static char *
walk_answer(struct walk *w, const char *in_port)
{
    const struct oam_trace_req *r = w->req;
    const char *bridge = r->host->bridge;
    struct oam_trace t = { .table = -1 };
    char *error;

    error = walk_bridge(w, r->hv, bridge, in_port, "", &t);
    if (error || !strcmp(w->verdict, "dropped")) {
        goto out;
    }
    if (!t.n_pushes) {
        struct json *hop = json_object_create();

        json_object_put_string(hop, "hop", "port");
        json_object_put_string(hop, "port", t.n_outputs
                               ? port_name(r->hv, t.outputs[0]) : "?");
        walk_drop(w, hop, "the answer does not go into a tunnel");
        add_hop(w, hop);
        goto out;
    }
    {
        struct oam_tnl_push p = t.pushes[0];
        const struct oam_port *tp = oam_switch_gre_in(r->hv, bridge, p.key,
                                                      p.dst);
        add_hop(w, gre_hop(p.key, p.src, p.dst, tp ? tp->name : NULL));
        oam_trace_destroy(&t);
        if (r->gw) {
            const struct oam_port *in = oam_switch_gre_in(r->gw,
                                                          r->gw_bridge,
                                                          p.key, p.src);
            char *tun;
            size_t i;

            if (!in) {
                struct json *hop = unseen_hop("gateway", "");
                char *why = xasprintf("no tunnel port on the gateway's %s "
                                      "takes key %"PRIu32" from %s",
                                      r->gw_bridge, p.key, p.src);
                walk_drop(w, hop, why);
                free(why);
                add_hop(w, hop);
                return NULL;
            }
            tun = tun_meta(p.key, p.src, p.dst);
            error = walk_bridge(w, r->gw, r->gw_bridge, in->name, tun, &t);
            free(tun);
            if (error || !strcmp(w->verdict, "dropped")) {
                goto out;
            }
            for (i = 0; i < t.n_outputs; i++) {
                const char *name = port_name(r->gw, t.outputs[i]);
                struct json *hop = json_object_create();

                json_object_put_string(hop, "hop", "port");
                json_object_put_string(hop, "port", name);
                if (!strcmp(name, r->gw_port)) {
                    json_object_put_string(hop, "role", "tenant LAN");
                    json_object_put_string(hop, "verdict", "delivered");
                    w->verdict = "delivered";
                } else {
                    walk_drop(w, hop, "not the tenant's LAN port");
                }
                add_hop(w, hop);
            }
            if (!t.n_outputs) {
                w->verdict = "dropped";
            }
        } else {
            char *what = xasprintf("gateway %s", p.dst);

            add_hop(w, unseen_hop(what, "not on this host"));
            free(what);
            w->verdict = "delivered";
            return NULL;
        }
    }
out:
    oam_trace_destroy(&t);
    return error;
}

/* The tenant's frame from its description, with what a real frame has and
 * the description may leave out: TTL/hop limit 64 (255 for ND), MACs, an
 * ARP request's operation and sender MAC. */
/* 'desc' with "tp_src"/"tp_dst" spelt as the exact-flow parser wants them
 * for the protocol 'desc' names (it takes "tp_*" for TCP's only). */
static char *
l4_names(const char *desc)
{
    static const char *const protos[][3] = {
        { "udp", "udp_src", "udp_dst" }, { "udp6", "udp_src", "udp_dst" },
        { "sctp", "sctp_src", "sctp_dst" },
        { "sctp6", "sctp_src", "sctp_dst" },
        { "icmp", "icmp_type", "icmp_code" },
        { "icmp6", "icmpv6_type", "icmpv6_code" },
    };
    char *copy = xstrdup(desc), *save = NULL, *tok;
    const char *const *names = NULL;
    struct ds s = DS_EMPTY_INITIALIZER;
    size_t i;

    for (tok = strtok_r(copy, ", ", &save); tok;
         tok = strtok_r(NULL, ", ", &save)) {
        for (i = 0; i < ARRAY_SIZE(protos); i++) {
            if (!strcmp(tok, protos[i][0])) {
                names = protos[i];
            }
        }
    }
    free(copy);
    copy = xstrdup(desc);
    for (tok = strtok_r(copy, ", ", &save); tok;
         tok = strtok_r(NULL, ", ", &save)) {
        if (s.length) {
            ds_put_char(&s, ',');
        }
        if (names && !strncmp(tok, "tp_src=", 7)) {
            ds_put_format(&s, "%s=%s", names[1], tok + 7);
        } else if (names && !strncmp(tok, "tp_dst=", 7)) {
            ds_put_format(&s, "%s=%s", names[2], tok + 7);
        } else {
            ds_put_cstr(&s, tok);
        }
    }
    free(copy);
    return ds_steal_cstr(&s);
}

static struct dp_packet *
make_request(const char *desc, char **error)
{
    struct dp_packet *pkt;
    struct flow f;
    char *spelt = l4_names(desc);
    char *err = parse_ofp_exact_flow(&f, NULL, NULL, spelt, NULL);

    if (err) {
        *error = xasprintf("cannot parse the packet \"%s\": %s", desc, err);
        free(err);
        free(spelt);
        return NULL;
    }
    free(spelt);
    if (!f.dl_type) {
        *error = xasprintf("cannot parse the packet \"%s\": it names no "
                           "protocol (ip, arp, udp, tcp, icmp, ipv6, udp6, "
                           "icmp6...)", desc);
        return NULL;
    }
    if (!strstr(desc, "nw_ttl")) {
        f.nw_ttl = f.nw_proto == IPPROTO_ICMPV6
                   && (ntohs(f.tp_src) == ND_NEIGHBOR_SOLICIT
                       || ntohs(f.tp_src) == ND_NEIGHBOR_ADVERT) ? 255 : 64;
    }
    if (eth_addr_is_zero(f.dl_src)) {
        f.dl_src = tenant_mac;
    }
    if (eth_addr_is_zero(f.dl_dst)) {
        f.dl_dst = f.dl_type == htons(ETH_TYPE_ARP) ? eth_addr_broadcast
                                                    : service_mac;
    }
    if (f.dl_type == htons(ETH_TYPE_ARP)) {
        if (!f.nw_proto) {
            f.nw_proto = ARP_OP_REQUEST;
        }
        if (eth_addr_is_zero(f.arp_sha)) {
            f.arp_sha = f.dl_src;
        }
    }
    pkt = dp_packet_new(0);
    flow_compose(pkt, &f, NULL, 0);
    return pkt;
}

static struct json *
direction(struct walk *w, const char *packet)
{
    struct json *d = json_object_create();

    json_object_put_string(d, "packet", packet);
    json_object_put(d, "hops", w->hops);
    json_object_put_string(d, "verdict", w->verdict);
    return d;
}

struct json *
oam_trace_run(const struct oam_trace_req *r, enum oam_status *status,
              char **error)
{
    struct walk req = { .req = r, .verdict = "forwarded" };
    struct walk ans = { .req = r, .verdict = "forwarded" };
    struct json *result;
    char *text;

    *error = NULL;
    req.pkt = make_request(r->packet, error);
    if (!req.pkt) {
        *status = OAM_BAD_INPUT;
        return NULL;
    }
    req.hops = json_array_create_empty();
    text = packet_text(req.pkt);
    *error = walk_request(&req);
    if (*error) {
        goto no_switch;
    }

    result = json_object_create();
    json_object_put_string(result, "tenant", r->tenant->name);
    json_object_put(result, "tenant_id", json_integer_create(r->tenant->id));
    json_object_put(result, "gre_key", json_integer_create(r->tenant->gre_key));
    json_object_put_string(result, "host", r->host->name);
    json_object_put(result, "request", direction(&req, text));
    free(text);
    req.hops = NULL;

    *status = OAM_DROPPED;
    if (!strcmp(req.verdict, "delivered")) {
        ans.pkt = make_answer(req.pkt);
        if (ans.pkt) {
            ans.hops = json_array_create_empty();
            text = packet_text(ans.pkt);
            *error = walk_answer(&ans, req.landed);
            if (*error) {
                json_destroy(result);
                result = NULL;
                goto no_switch;
            }
            json_object_put(result, "answer", direction(&ans, text));
            free(text);
            ans.hops = NULL;
            if (!strcmp(ans.verdict, "delivered")) {
                *status = OAM_DELIVERED;
            }
        } else {
            *status = OAM_DELIVERED;
        }
    }
    json_object_put_string(result, "verdict", *status == OAM_DELIVERED
                           ? "delivered" : "dropped");
    dp_packet_delete(req.pkt);
    dp_packet_delete(ans.pkt);
    free(req.landed);
    free(ans.landed);
    return result;

no_switch:
    *status = OAM_NO_SWITCH;
    free(text);
    json_destroy(req.hops);
    json_destroy(ans.hops);
    dp_packet_delete(req.pkt);
    dp_packet_delete(ans.pkt);
    free(req.landed);
    free(ans.landed);
    return NULL;
}
