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
#include "flowd-locality.h"

#include <stdlib.h>
#include <string.h>

struct learned_mac {
    uint16_t host;
};

static const char *class_names[FLOWD_N_CLASSES] = {
    "same_host", "same_switch", "core", "internet", "unknown",
};

const char *
flowd_class_name(enum flowd_class c)
{
    return c < FLOWD_N_CLASSES ? class_names[c] : "invalid";
}

int
flowd_class_from_name(const char *name)
{
    for (int i = 0; i < FLOWD_N_CLASSES; i++) {
        if (!strcmp(name, class_names[i])) {
            return i;
        }
    }
    return -1;
}

bool
flowd_locator_init(struct flowd_locator *loc, uint32_t max_learned)
{
    memset(loc, 0, sizeof *loc);
    loc->topo = topo_create();
    return (loc->topo
            && ftable_init(&loc->learned, 8, sizeof(struct learned_mac),
                           max_learned)
            && ftable_init(&loc->agents, sizeof(struct in6_addr),
                           sizeof(uint16_t), TOPO_MAX_ITEMS * 4)
            && ftable_init(&loc->uplinks, 8, 1, TOPO_MAX_ITEMS * 16));
}

void
flowd_locator_destroy(struct flowd_locator *loc)
{
    topo_destroy(loc->topo);
    ftable_destroy(&loc->learned);
    ftable_destroy(&loc->agents);
    ftable_destroy(&loc->uplinks);
}

bool
flowd_locator_set_topo(struct flowd_locator *loc, struct topo *topo)
{
    struct ftable learned;
    bool added;

    if (!ftable_init(&learned, 8, sizeof(struct learned_mac),
                     loc->learned.cap)) {
        return false;
    }
    /* Oldest first, so that the LRU order survives. */
    for (uint32_t i = ftable_oldest(&loc->learned); i;
         i = ftable_newer(&loc->learned, i - 1)) {
        const struct learned_mac *old = ftable_val(&loc->learned, i - 1);
        const char *name = loc->topo->hosts[old->host].name;
        int host = topo_find_host(topo, name);
        if (host >= 0) {
            struct learned_mac *m = ftable_insert(
                &learned, ftable_key(&loc->learned, i - 1), &added);
            m->host = host;
        }
    }
    ftable_destroy(&loc->learned);
    loc->learned = learned;

    ftable_clear(&loc->agents);
    for (size_t i = 0; i < topo->n_agents; i++) {
        uint16_t *h = ftable_insert(&loc->agents, &topo->agents[i].addr,
                                    &added);
        *h = topo->agents[i].host;
    }
    ftable_clear(&loc->uplinks);
    for (size_t i = 0; i < topo->n_uplinks; i++) {
        uint32_t key[2] = { topo->uplinks[i].host, topo->uplinks[i].ifindex };
        *(uint8_t *) ftable_insert(&loc->uplinks, key, &added) = 1;
    }
    topo_destroy(loc->topo);
    loc->topo = topo;
    return true;
}

const char *
flowd_host_name(const struct flowd_locator *loc, uint16_t host)
{
    return host < loc->topo->n_hosts ? loc->topo->hosts[host].name : "-";
}

const char *
flowd_tenant_name(const struct flowd_locator *loc, uint16_t tenant)
{
    return tenant < loc->topo->n_tenants ? loc->topo->tenants[tenant].name
                                         : "-";
}

static inline bool
is_multicast(const uint8_t mac[6])
{
    return mac[0] & 1;
}

/* Where 'mac' lives: its host (TOPO_NONE if not placed) and its configured
 * entry, if any. */
static uint16_t
locate(struct flowd_locator *loc, const uint8_t mac[6],
       const struct topo_mac **cfg)
{
    uint8_t key[8] = { 0 };

    memcpy(key, mac, 6);
    *cfg = topo_find_mac(loc->topo, mac);
    const struct learned_mac *m = ftable_find(&loc->learned, key);
    if (m) {
        return m->host;
    }
    return *cfg ? (*cfg)->host : TOPO_NONE;
}

static void
learn(struct flowd_locator *loc, const uint8_t mac[6], uint16_t host)
{
    uint8_t key[8] = { 0 };
    bool added;

    memcpy(key, mac, 6);
    struct learned_mac *m = ftable_insert(&loc->learned, key, &added);
    if (added) {
        loc->n_learned++;
    } else if (m->host != host) {
        loc->n_moves++;
    }
    m->host = host;
}

static uint16_t
tenant_of(const struct topo *topo, const struct topo_mac *cfg, uint16_t vlan)
{
    if (cfg && cfg->tenant != TOPO_NONE) {
        return cfg->tenant;
    }
    return cfg && cfg->gateway ? TOPO_NONE : topo->vlan_tenant[vlan & 0xfff];
}

static enum flowd_class
classify(const struct topo *topo, const struct flowd_rec *r,
         const struct topo_mac *src, const struct topo_mac *dst)
{
    if ((src && src->gateway) || (dst && dst->gateway)) {
        return FLOWD_INTERNET;
    }
    if (is_multicast(r->dst_mac) || r->src_host == TOPO_NONE
        || r->dst_host == TOPO_NONE) {
        return FLOWD_UNKNOWN;
    }
    if (r->src_host == r->dst_host) {
        return FLOWD_SAME_HOST;
    }
    if (topo->hosts[r->src_host].sw == topo->hosts[r->dst_host].sw) {
        return FLOWD_SAME_SWITCH;
    }
    return FLOWD_CORE;
}

void
flowd_classify(struct flowd_locator *loc, const struct in6_addr *agent,
               const struct sflow_flow *f, uint64_t now_ms,
               struct flowd_rec *r)
{
    const struct sflow_packet *pkt = &f->pkt;
    const struct topo *topo = loc->topo;

    memset(r, 0, sizeof *r);
    r->time_ms = now_ms;
    r->agent = *agent;
    r->sampling_rate = f->sampling_rate;
    r->packets = f->sampling_rate;
    r->bytes = (uint64_t) f->frame_length * f->sampling_rate;
    r->frame_length = f->frame_length > 0xffff ? 0xffff : f->frame_length;
    r->input = f->input_format ? 0x3fffffff : f->input;
    r->output = f->output_format ? 0x3fffffff : f->output;
    r->vlan = f->has_switch ? f->in_vlan & 0xfff : pkt->vlan;
    memcpy(r->src_mac, pkt->src_mac, 6);
    memcpy(r->dst_mac, pkt->dst_mac, 6);
    r->ip_version = pkt->ip_version;
    r->proto = pkt->ip_proto;
    r->tcp_flags = pkt->tcp_flags;
    r->src_ip = pkt->src_ip;
    r->dst_ip = pkt->dst_ip;
    r->src_port = pkt->src_port;
    r->dst_port = pkt->dst_port;

    const uint16_t *agent_host = ftable_find(&loc->agents, agent);
    uint16_t here = agent_host ? *agent_host : TOPO_NONE;
    if (!agent_host) {
        loc->n_unknown_agent++;
    }

    const struct topo_mac *src, *dst;
    if (!(pkt->layers & SFLOW_L2)) {
        r->src_host = r->dst_host = TOPO_NONE;
        r->src_tenant = r->dst_tenant = TOPO_NONE;
        r->class = FLOWD_UNKNOWN;
        r->counted = 1;
        return;
    }

    src = topo_find_mac(topo, pkt->src_mac);
    if (here != TOPO_NONE && !f->input_format && f->input != 0x3fffffff
        && !is_multicast(pkt->src_mac) && !(src && src->gateway)) {
        uint32_t key[2] = { here, f->input };
        if (!ftable_find(&loc->uplinks, key)) {
            learn(loc, pkt->src_mac, here);
        }
    }
    r->src_host = locate(loc, pkt->src_mac, &src);
    r->dst_host = locate(loc, pkt->dst_mac, &dst);
    r->class = classify(topo, r, src, dst);

    r->src_tenant = tenant_of(topo, src, r->vlan);
    r->dst_tenant = tenant_of(topo, dst, r->vlan);
    r->intra = r->src_tenant != TOPO_NONE && r->src_tenant == r->dst_tenant;
    r->src_tenant_key = (r->src_tenant != TOPO_NONE
                         ? topo->tenants[r->src_tenant].key : 0);
    r->dst_tenant_key = (r->dst_tenant != TOPO_NONE
                         ? topo->tenants[r->dst_tenant].key : 0);

    if (here == TOPO_NONE) {
        r->counted = 1;         /* Cannot tell copies apart. */
    } else if (src && src->gateway) {
        r->counted = r->dst_host == here || r->dst_host == TOPO_NONE;
    } else {
        r->counted = r->src_host == here || r->src_host == TOPO_NONE;
    }
}
