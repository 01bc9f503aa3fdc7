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
#include "flowd/flowd-metrics.h"

#include <inttypes.h>
#include <string.h>

#include "flowd/flowd-interval.h"
#include "flowd/flowd-locality.h"
#include "flowd/flowd-output.h"
#include "flowd/flowd-topo.h"

struct tenant_key {
    char name[64];
    uint8_t class, scope;
    uint8_t pad[6];
};

struct totals {
    uint64_t bytes, packets;
};

struct source_key {
    struct in6_addr agent;
    uint32_t type, index;
};

struct source_state {
    uint32_t seq, pool, drops;
};

struct iface_key {
    struct in6_addr agent;
    uint32_t ifindex;
};

bool
flowd_metrics_init(struct flowd_metrics *m, uint32_t max_sources)
{
    memset(m, 0, sizeof *m);
    /* Tenant names come from the topology: FLOWD_TOPO_MAX_ITEMS of them at
     * most, and "-", each with every class and scope. */
    return (flowd_table_init(&m->tenants, sizeof(struct tenant_key),
                             sizeof(struct totals),
                             (FLOWD_TOPO_MAX_ITEMS + 1) * FLOWD_N_CLASSES * 2)
            && flowd_table_init(&m->sources, sizeof(struct source_key),
                                sizeof(struct source_state), max_sources)
            && flowd_table_init(&m->ifaces, sizeof(struct iface_key),
                                sizeof(struct flowd_sflow_if_counters),
                                max_sources));
}

void
flowd_metrics_destroy(struct flowd_metrics *m)
{
    flowd_table_destroy(&m->tenants);
    flowd_table_destroy(&m->sources);
    flowd_table_destroy(&m->ifaces);
}

void
flowd_metrics_flow(struct flowd_metrics *m, const struct in6_addr *agent,
                   const struct flowd_sflow_flow *f)
{
    struct source_key key = { *agent, f->source_type, f->source_index };
    bool added;

    /* Once per sample: the key is whole words (no padding to zero), so
     * the inline hash does, without a call or a byte-tail test. */
    _Static_assert(sizeof key % 8 == 0, "whole words");
    struct source_state *s = flowd_table_insert_h(&m->sources, &key,
                                                  flowd_hash_padded(&key,
                                                               sizeof key),
                                             &added);
    if (!added) {
        /* Unsigned differences survive counter wrap; a large jump back
         * is an agent restart, not loss. */
        uint32_t gap = f->seq - s->seq;
        if (gap > 1 && gap < 1000000) {
            m->samples_lost += gap - 1;
        }
        uint32_t drops = f->drops - s->drops;
        if (drops < 1000000000) {
            m->agent_drops += drops;
        }
        uint32_t pool = f->sample_pool - s->pool;
        if (pool < 0x80000000) {
            m->pool_packets += pool;
        }
    }
    s->seq = f->seq;
    s->pool = f->sample_pool;
    s->drops = f->drops;
}

void
flowd_metrics_counters(struct flowd_metrics *m, const struct in6_addr *agent,
                       const struct flowd_sflow_counters *c)
{
    if (c->has_if) {
        struct iface_key key = { *agent, c->ifc.ifindex };
        bool added;
        memcpy(flowd_table_insert(&m->ifaces, &key, &added), &c->ifc,
               sizeof c->ifc);
    }
}

void
flowd_metrics_interval(struct flowd_metrics *m,
                       const struct flowd_interval *iv)
{
    const struct flowd_interval_agg *ia;
    bool added;

    m->intervals++;
    if ((ia = flowd_interval_builtin(iv, "class"))) {
        for (uint32_t r = 0; r < ia->n_rows; r++) {
            uint8_t c = ia->keys[r * ia->def.key_len];
            if (c < FLOWD_N_CLASSES) {
                m->class_bytes[c] += ia->vals[r].bytes;
                m->class_packets[c] += ia->vals[r].packets;
            }
        }
    }
    if ((ia = flowd_interval_builtin(iv, "vlan"))) {
        for (uint32_t r = 0; r < ia->n_rows; r++) {
            uint16_t vlan;
            memcpy(&vlan, &ia->keys[r * ia->def.key_len], 2);
            m->vlan_bytes[vlan & 0xfff] += ia->vals[r].bytes;
        }
    }
    if ((ia = flowd_interval_builtin(iv, "tenant"))) {
        for (uint32_t r = 0; r < ia->n_rows; r++) {
            const uint8_t *k = &ia->keys[r * ia->def.key_len];
            struct tenant_key key;
            uint16_t tenant;

            memset(&key, 0, sizeof key);
            memcpy(&tenant, k, 2);
            snprintf(key.name, sizeof key.name, "%s",
                     flowd_interval_tenant(iv, tenant));
            key.class = k[2];
            key.scope = k[3];
            struct totals *t = flowd_table_insert(&m->tenants, &key, &added);
            t->bytes += ia->vals[r].bytes;
            t->packets += ia->vals[r].packets;
        }
    }
}

static void
help(FILE *f, const char *name, const char *type, const char *text)
{
    fprintf(f, "# HELP l2mt_flowd_%s %s\n# TYPE l2mt_flowd_%s %s\n",
            name, text, name, type);
}

/* One line per interface and direction of the interface counter 'name':
 * octets, or with 'errors' the error counts. */
static void
if_counter_lines(FILE *f, const struct flowd_metrics *m, const char *name,
                 bool errors)
{
    for (uint32_t i = 0; i < m->ifaces.n; i++) {
        const struct iface_key *k = flowd_table_key(&m->ifaces, i);
        const struct flowd_sflow_if_counters *c = flowd_table_val(&m->ifaces,
                                                                  i);
        uint64_t in = errors ? c->in_errors : c->in_octets;
        uint64_t out = errors ? c->out_errors : c->out_octets;
        char agent[64];

        flowd_format_ip(&k->agent, agent, sizeof agent);
        fprintf(f, "l2mt_flowd_%s{agent=\"%s\",ifindex=\"%u\","
                "direction=\"in\"} %" PRIu64 "\n"
                "l2mt_flowd_%s{agent=\"%s\",ifindex=\"%u\","
                "direction=\"out\"} %" PRIu64 "\n",
                name, agent, k->ifindex, in, name, agent, k->ifindex, out);
    }
}

void
flowd_metrics_write(FILE *f, const struct flowd_metrics *m)
{
    help(f, "datagrams_total", "counter", "sFlow datagrams received.");
    fprintf(f, "l2mt_flowd_datagrams_total %" PRIu64 "\n", m->datagrams);
    help(f, "datagram_errors_total", "counter",
         "Malformed sFlow datagrams skipped, by reason.");
    for (int e = 1; e < FLOWD_SFLOW_N_ERRORS; e++) {
        fprintf(f, "l2mt_flowd_datagram_errors_total{reason=\"%s\"} %" PRIu64
                "\n", flowd_sflow_error_name(e), m->errors[e]);
    }
    help(f, "samples_total", "counter", "Samples decoded, by type.");
    fprintf(f, "l2mt_flowd_samples_total{type=\"flow\"} %" PRIu64 "\n"
            "l2mt_flowd_samples_total{type=\"counters\"} %" PRIu64 "\n"
            "l2mt_flowd_samples_total{type=\"unknown\"} %" PRIu64 "\n",
            m->flow_samples, m->counter_samples, m->unknown_samples);
    help(f, "unknown_records_total", "counter", "Records of unknown type.");
    fprintf(f, "l2mt_flowd_unknown_records_total %" PRIu64 "\n",
            m->unknown_records);
    help(f, "samples_lost_total", "counter",
         "Flow samples missing from sequence numbers.");
    fprintf(f, "l2mt_flowd_samples_lost_total %" PRIu64 "\n", m->samples_lost);
    help(f, "agent_drops_total", "counter",
         "Samples the agents report dropped.");
    fprintf(f, "l2mt_flowd_agent_drops_total %" PRIu64 "\n", m->agent_drops);
    help(f, "sample_pool_packets_total", "counter",
         "Packets the samplers saw (sample pool increments).");
    fprintf(f, "l2mt_flowd_sample_pool_packets_total %" PRIu64 "\n",
            m->pool_packets);
    help(f, "transit_samples_total", "counter",
         "Samples of frames already counted on their source host.");
    fprintf(f, "l2mt_flowd_transit_samples_total %" PRIu64 "\n",
            m->transit_samples);
    help(f, "intervals_closed_total", "counter", "Intervals closed.");
    fprintf(f, "l2mt_flowd_intervals_closed_total %" PRIu64 "\n",
            m->intervals);

    help(f, "bytes_total", "counter",
         "Estimated bytes (sampled x rate) by locality class.");
    for (int c = 0; c < FLOWD_N_CLASSES; c++) {
        fprintf(f, "l2mt_flowd_bytes_total{class=\"%s\"} %" PRIu64 "\n",
                flowd_class_name(c), m->class_bytes[c]);
    }
    help(f, "packets_total", "counter",
         "Estimated packets by locality class.");
    for (int c = 0; c < FLOWD_N_CLASSES; c++) {
        fprintf(f, "l2mt_flowd_packets_total{class=\"%s\"} %" PRIu64 "\n",
                flowd_class_name(c), m->class_packets[c]);
    }
    help(f, "tenant_bytes_total", "counter",
         "Estimated bytes by tenant, class and scope (intra-tenant or "
         "leaving the tenant).");
    for (uint32_t i = 0; i < m->tenants.n; i++) {
        const struct tenant_key *k = flowd_table_key(&m->tenants, i);
        const struct totals *t = flowd_table_val(&m->tenants, i);
        fprintf(f, "l2mt_flowd_tenant_bytes_total{tenant=\"%s\",class=\"%s\","
                "scope=\"%s\"} %" PRIu64 "\n", k->name,
                flowd_class_name(k->class), k->scope ? "intra" : "leaving",
                t->bytes);
    }
    help(f, "vlan_bytes_total", "counter", "Estimated bytes by VLAN.");
    for (int v = 0; v < 4096; v++) {
        if (m->vlan_bytes[v]) {
            fprintf(f, "l2mt_flowd_vlan_bytes_total{vlan=\"%d\"} %" PRIu64
                    "\n", v, m->vlan_bytes[v]);
        }
    }
    help(f, "if_octets", "counter",
         "Interface octets from counter samples.");
    if_counter_lines(f, m, "if_octets", false);
    help(f, "if_errors", "counter",
         "Interface errors from counter samples.");
    if_counter_lines(f, m, "if_errors", true);
}

static void
tables_metrics(FILE *f, const char *name, const struct flowd_table *const *t,
               size_t n)
{
    uint64_t entries = 0, cap = 0, evictions = 0;

    for (size_t i = 0; i < n; i++) {
        entries += t[i]->n;
        cap += t[i]->cap;
        evictions += t[i]->evictions;
    }
    fprintf(f, "l2mt_flowd_table_entries{table=\"%s\"} %" PRIu64 "\n"
            "l2mt_flowd_table_capacity{table=\"%s\"} %" PRIu64 "\n"
            "l2mt_flowd_table_evictions_total{table=\"%s\"} %" PRIu64 "\n",
            name, entries, name, cap, name, evictions);
}

static void
table_metrics(FILE *f, const char *name, const struct flowd_table *t)
{
    tables_metrics(f, name, &t, 1);
}

static void
metrics_add(struct flowd_metrics *dst, const struct flowd_metrics *src)
{
    dst->datagrams += src->datagrams;
    for (int e = 0; e < FLOWD_SFLOW_N_ERRORS; e++) {
        dst->errors[e] += src->errors[e];
    }
    dst->flow_samples += src->flow_samples;
    dst->counter_samples += src->counter_samples;
    dst->unknown_samples += src->unknown_samples;
    dst->unknown_records += src->unknown_records;
    dst->samples_lost += src->samples_lost;
    dst->agent_drops += src->agent_drops;
    dst->pool_packets += src->pool_packets;
    dst->transit_samples += src->transit_samples;
    for (uint32_t i = 0; i < src->ifaces.n; i++) {
        bool added;
        memcpy(flowd_table_insert(&dst->ifaces, flowd_table_key(&src->ifaces,
                                                                i),
                                  &added),
               flowd_table_val(&src->ifaces,
                               i), sizeof(struct flowd_sflow_if_counters));
    }
}

void
flowd_metrics_sum(struct flowd_metrics *dst,
                  const struct flowd_metrics *const *src, size_t n)
{
    dst->datagrams = 0;
    memset(dst->errors, 0, sizeof dst->errors);
    dst->flow_samples = dst->counter_samples = 0;
    dst->unknown_samples = dst->unknown_records = 0;
    dst->samples_lost = dst->agent_drops = dst->pool_packets = 0;
    dst->transit_samples = 0;
    for (size_t i = 0; i < n; i++) {
        metrics_add(dst, src[i]);
    }
}

void
flowd_metrics_write_tables(FILE *f, const struct flowd_metrics *const *m,
                           size_t n, const struct flowd_metrics *main,
                           const struct flowd_locator *loc)
{
    const struct flowd_table *sources[64], *ifaces[64];

    n = n < 64 ? n : 64;
    for (size_t i = 0; i < n; i++) {
        sources[i] = &m[i]->sources;
        ifaces[i] = &m[i]->ifaces;
    }
    fprintf(f, "# HELP l2mt_flowd_table_entries Entries in a bounded table.\n"
            "# TYPE l2mt_flowd_table_entries gauge\n"
            "# HELP l2mt_flowd_table_capacity Most entries a table holds.\n"
            "# TYPE l2mt_flowd_table_capacity gauge\n"
            "# HELP l2mt_flowd_table_evictions_total Least recently used "
            "entries evicted to make room.\n"
            "# TYPE l2mt_flowd_table_evictions_total counter\n");
    tables_metrics(f, "sources", sources, n);
    tables_metrics(f, "interfaces", ifaces, n);
    table_metrics(f, "tenants", &main->tenants);
    table_metrics(f, "learned_macs", &loc->learned);
    table_metrics(f, "agents", &loc->agents);
    table_metrics(f, "uplinks", &loc->uplinks);
}
