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
#include "flowd/flowd-locality.h"

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
    loc->topo = flowd_topo_create();
    return (loc->topo
            && flowd_table_init(&loc->learned, 8, sizeof(struct learned_mac),
                                max_learned)
            && flowd_table_init(&loc->agents, sizeof(struct in6_addr),
                                sizeof(uint16_t), FLOWD_TOPO_MAX_ITEMS * 4)
            && flowd_table_init(&loc->uplinks, 8, 1,
                                FLOWD_TOPO_MAX_ITEMS * 16));
}

void
flowd_locator_destroy(struct flowd_locator *loc)
{
    flowd_topo_destroy(loc->topo);
    flowd_table_destroy(&loc->learned);
    flowd_table_destroy(&loc->agents);
    flowd_table_destroy(&loc->uplinks);
}

bool
flowd_locator_set_topo(struct flowd_locator *loc, struct flowd_topo *topo)
{
    struct flowd_table learned;
    bool added;

    if (!flowd_table_init(&learned, 8, sizeof(struct learned_mac),
                          loc->learned.cap)) {
        return false;
    }
    /* Oldest first, so that the LRU order survives. */
    for (uint32_t i = flowd_table_oldest(&loc->learned); i;
         i = flowd_table_newer(&loc->learned, i - 1)) {
        const struct learned_mac *old = flowd_table_val(&loc->learned, i - 1);
        const char *name = loc->topo->hosts[old->host].name;
        int host = flowd_topo_find_host(topo, name);
        if (host >= 0) {
            struct learned_mac *m = flowd_table_insert(
                &learned, flowd_table_key(&loc->learned, i - 1), &added);
            m->host = host;
        }
    }
    flowd_table_destroy(&loc->learned);
    loc->learned = learned;

    flowd_table_clear(&loc->agents);
    for (size_t i = 0; i < topo->n_agents; i++) {
        uint16_t *h = flowd_table_insert(&loc->agents, &topo->agents[i].addr,
                                         &added);
        *h = topo->agents[i].host;
    }
    flowd_table_clear(&loc->uplinks);
    for (size_t i = 0; i < topo->n_uplinks; i++) {
        uint32_t key[2] = { topo->uplinks[i].host, topo->uplinks[i].ifindex };
        *(uint8_t *) flowd_table_insert(&loc->uplinks, key, &added) = 1;
    }
    flowd_topo_destroy(loc->topo);
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

/* A MAC as a table key: 6 bytes and 2 zero bytes, with its hash. */
struct mac_key {
    uint8_t key[8];
    uint32_t hash;
};

static void
mac_key(struct mac_key *k, const uint8_t mac[6], const struct flowd_locator *loc)
{
    memcpy(k->key, mac, 6);
    k->key[6] = k->key[7] = 0;
    k->hash = flowd_hash_padded(k->key, 8);
    flowd_table_prefetch(&loc->learned, k->hash);
    flowd_table_prefetch(&loc->topo->mac_index, k->hash);
}

/* Where 'k' lives: its host (FLOWD_TOPO_NONE if not placed). */
static uint16_t
locate(struct flowd_locator *loc, const struct mac_key *k,
       const struct flowd_topo_mac *cfg)
{
    const struct learned_mac *m = flowd_table_find_padded(&loc->learned,
                                                          k->key,
                                                          k->hash);
    if (m) {
        return m->host;
    }
    return cfg ? cfg->host : FLOWD_TOPO_NONE;
}

static void
learn(struct flowd_locator *loc, const struct mac_key *k, uint16_t host)
{
    bool added;
    struct learned_mac *m = flowd_table_insert_h(&loc->learned, k->key,
                                                 k->hash,
                                                 &added);
    if (added) {
        loc->n_learned++;
    } else if (m->host != host) {
        loc->n_moves++;
    }
    m->host = host;
}

static uint16_t
tenant_of(const struct flowd_topo *topo, const struct flowd_topo_mac *cfg,
          uint16_t vlan)
{
    if (cfg && cfg->tenant != FLOWD_TOPO_NONE) {
        return cfg->tenant;
    }
    return cfg
    && cfg->gateway ? FLOWD_TOPO_NONE : topo->vlan_tenant[vlan & 0xfff];
}

static enum flowd_class
classify(const struct flowd_topo *topo, const struct flowd_rec *r,
         const struct flowd_topo_mac *src, const struct flowd_topo_mac *dst)
{
    if ((src && src->gateway) || (dst && dst->gateway)) {
        return FLOWD_INTERNET;
    }
    if (is_multicast(r->dst_mac) || r->src_host == FLOWD_TOPO_NONE
        || r->dst_host == FLOWD_TOPO_NONE) {
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

uint16_t
flowd_agent_host(struct flowd_locator *loc, const struct in6_addr *agent)
{
    const uint16_t *host = flowd_table_find(&loc->agents, agent);

    return host ? *host : FLOWD_TOPO_NONE;
}

void
flowd_classify(struct flowd_locator *loc, const struct in6_addr *agent,
               uint16_t here, const struct flowd_sflow_flow *f,
               uint64_t now_ms,
               struct flowd_rec *r)
{
    const struct flowd_sflow_packet *pkt = &f->pkt;
    const struct flowd_topo *topo = loc->topo;

    memset(r, 0, sizeof *r);
    r->time_ms = now_ms;
    r->agent = *agent;
    r->sampling_rate = f->sampling_rate;
    r->packets = f->sampling_rate;
    r->bytes = (uint64_t) f->frame_length * f->sampling_rate;
    r->frame_length = f->frame_length > 0xffff ? 0xffff : f->frame_length;
    r->input = f->input_format ? 0x3fffffff : f->input;
    r->output = f->output_format ? 0x3fffffff : f->output;
    /* On an access port the frame arrives untagged and the switch reports
     * its VLAN only as the output VLAN. */
    r->vlan = (f->has_switch && f->in_vlan ? f->in_vlan & 0xfff
               : f->has_switch && f->out_vlan ? f->out_vlan & 0xfff
               : pkt->vlan);
    memcpy(r->src_mac, pkt->src_mac, 6);
    memcpy(r->dst_mac, pkt->dst_mac, 6);
    r->ip_version = pkt->ip_version;
    r->proto = pkt->ip_proto;
    r->tcp_flags = pkt->tcp_flags;
    r->src_ip = pkt->src_ip;
    r->dst_ip = pkt->dst_ip;
    r->src_port = pkt->src_port;
    r->dst_port = pkt->dst_port;

    if (here == FLOWD_TOPO_NONE) {
        loc->n_unknown_agent++;
    }
    if (!(pkt->layers & FLOWD_SFLOW_L2)) {
        r->src_host = r->dst_host = FLOWD_TOPO_NONE;
        r->src_tenant = r->dst_tenant = FLOWD_TOPO_NONE;
        r->class = FLOWD_UNKNOWN;
        r->counted = 1;
        return;
    }

    struct mac_key sk, dk;
    mac_key(&sk, pkt->src_mac, loc);
    mac_key(&dk, pkt->dst_mac, loc);
    const struct flowd_topo_mac *src = flowd_topo_find_mac_h(topo, sk.key,
                                                             sk.hash);
    const struct flowd_topo_mac *dst = flowd_topo_find_mac_h(topo, dk.key,
                                                             dk.hash);
    bool learned = false;
    if (here != FLOWD_TOPO_NONE && !f->input_format && f->input != 0x3fffffff
        && !is_multicast(pkt->src_mac) && !(src && src->gateway)) {
        uint32_t key[2] = { here, f->input };
        if (!flowd_table_find_padded(&loc->uplinks, key,
                                     flowd_hash_padded(key, sizeof key))) {
            learn(loc, &sk, here);
            learned = true;
        }
    }
    /* Just learned here: no need to look it up again. */
    r->src_host = learned ? here : locate(loc, &sk, src);
    r->dst_host = locate(loc, &dk, dst);
    r->class = classify(topo, r, src, dst);

    r->src_tenant = tenant_of(topo, src, r->vlan);
    r->dst_tenant = tenant_of(topo, dst, r->vlan);
    r->intra =
        r->src_tenant != FLOWD_TOPO_NONE && r->src_tenant == r->dst_tenant;
    r->src_tenant_key = (r->src_tenant != FLOWD_TOPO_NONE
                         ? topo->tenants[r->src_tenant].key : 0);
    r->dst_tenant_key = (r->dst_tenant != FLOWD_TOPO_NONE
                         ? topo->tenants[r->dst_tenant].key : 0);

    if (here == FLOWD_TOPO_NONE) {
        r->counted = 1;         /* Cannot tell copies apart. */
    } else if (src && src->gateway) {
        r->counted = r->dst_host == here || r->dst_host == FLOWD_TOPO_NONE;
    } else {
        r->counted = r->src_host == here || r->src_host == FLOWD_TOPO_NONE;
    }
}
