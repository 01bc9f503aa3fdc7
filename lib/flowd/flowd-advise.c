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
#include "flowd/flowd-advise.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "flowd/flowd-interval.h"
#include "flowd/flowd-rec.h"
#include "flowd/flowd-topo.h"

struct pair_key {
    uint32_t a, b;
};

bool
flowd_advise_init(struct flowd_advise *adv, const struct flowd_topo *topo,
                  uint32_t max_pairs)
{
    memset(adv, 0, sizeof *adv);
    adv->topo = topo;
    return (flowd_table_init(&adv->vms, 8, sizeof(uint32_t),
                             FLOWD_TOPO_MAX_MACS)
            && flowd_table_init(&adv->pairs, sizeof(struct pair_key),
                                sizeof(uint64_t), max_pairs));
}

void
flowd_advise_destroy(struct flowd_advise *adv)
{
    flowd_table_destroy(&adv->vms);
    flowd_table_destroy(&adv->pairs);
    free(adv->macs);
    free(adv->host);
}

/* The VM index of 'mac', or UINT32_MAX if it is not a placed VM. */
static uint32_t
vm_index(struct flowd_advise *adv, const uint8_t mac[6])
{
    const struct flowd_topo_mac *tm = flowd_topo_find_mac(adv->topo, mac);
    uint8_t key[8] = { 0 };
    bool added;

    if (!tm || tm->gateway || tm->host == FLOWD_TOPO_NONE) {
        return UINT32_MAX;
    }
    memcpy(key, mac, 6);
    uint32_t *i = flowd_table_insert(&adv->vms, key, &added);
    if (added) {
        if (adv->n_vms == adv->vms_cap) {
            size_t cap = adv->vms_cap ? adv->vms_cap * 2 : 64;
            uint8_t (*macs)[6] = realloc(adv->macs, cap * sizeof *macs);
            uint16_t *host = macs ? realloc(adv->host, cap * sizeof *host)
                                  : NULL;
            if (macs) {
                adv->macs = macs;
            }
            if (!host) {
                return UINT32_MAX;
            }
            adv->host = host;
            adv->vms_cap = cap;
        }
        memcpy(adv->macs[adv->n_vms], mac, 6);
        adv->host[adv->n_vms] = tm->host;
        *i = adv->n_vms++;
    }
    return *i;
}

void
flowd_advise_add(struct flowd_advise *adv, const uint8_t src[6],
                 const uint8_t dst[6], uint64_t bytes)
{
    uint32_t a = vm_index(adv, src), b = vm_index(adv, dst);
    bool added;

    if (a == UINT32_MAX || b == UINT32_MAX || a == b) {
        adv->skipped_bytes += bytes;
        return;
    }
    struct pair_key key = { a < b ? a : b, a < b ? b : a };
    *(uint64_t *) flowd_table_insert(&adv->pairs, &key, &added) += bytes;
}

static int
pair_class(const struct flowd_advise *adv, uint16_t ha, uint16_t hb)
{
    const struct flowd_topo *t = adv->topo;

    return (ha == hb ? FLOWD_SAME_HOST
            : t->hosts[ha].sw == t->hosts[hb].sw ? FLOWD_SAME_SWITCH
            : FLOWD_CORE);
}

void
flowd_advise_totals(const struct flowd_advise *adv, uint64_t out[3])
{
    memset(out, 0, 3 * sizeof *out);
    for (uint32_t i = 0; i < adv->pairs.n; i++) {
        const struct pair_key *k = flowd_table_key(&adv->pairs, i);
        const uint64_t *bytes = flowd_table_val(&adv->pairs, i);
        out[pair_class(adv, adv->host[k->a], adv->host[k->b])] += *bytes;
    }
}

static int
cmp_pairs(const void *a_, const void *b_)
{
    const struct flowd_advise_pair *a = a_, *b = b_;

    if (a->bytes != b->bytes) {
        return a->bytes > b->bytes ? -1 : 1;
    }
    if (a->class != b->class) {
        return a->class > b->class ? -1 : 1;
    }
    return a->a != b->a ? (a->a < b->a ? -1 : 1) : (a->b < b->b ? -1 : 1);
}

size_t
flowd_advise_rank(const struct flowd_advise *adv,
                  struct flowd_advise_pair **out)
{
    size_t n = 0;

    *out = malloc((adv->pairs.n + 1) * sizeof **out);
    if (!*out) {
        return 0;
    }
    for (uint32_t i = 0; i < adv->pairs.n; i++) {
        const struct pair_key *k = flowd_table_key(&adv->pairs, i);
        int c = pair_class(adv, adv->host[k->a], adv->host[k->b]);
        if (c != FLOWD_SAME_HOST) {
            (*out)[n++] = (struct flowd_advise_pair) {
                k->a, k->b, *(const uint64_t *) flowd_table_val(&adv->pairs,
                                                                i), c,
            };
        }
    }
    qsort(*out, n, sizeof **out, cmp_pairs);
    return n;
}

static const int64_t weight[3] = { 0, 1, 2 };

/* Every VM's partners, as compressed rows. */
struct adjacency {
    uint32_t *start;            /* n_vms + 1 offsets into 'peer'/'bytes'. */
    uint32_t *peer;
    uint64_t *bytes;
};

static bool
build_adjacency(const struct flowd_advise *adv, struct adjacency *adj)
{
    size_t n = adv->n_vms, m = adv->pairs.n;

    adj->start = calloc(n + 2, sizeof *adj->start);
    adj->peer = malloc((2 * m + 1) * sizeof *adj->peer);
    adj->bytes = malloc((2 * m + 1) * sizeof *adj->bytes);
    if (!adj->start || !adj->peer || !adj->bytes) {
        return false;
    }
    for (uint32_t i = 0; i < m; i++) {
        const struct pair_key *k = flowd_table_key(&adv->pairs, i);
        adj->start[k->a + 2]++;
        adj->start[k->b + 2]++;
    }
    for (size_t v = 2; v <= n + 1; v++) {
        adj->start[v] += adj->start[v - 1];
    }
    for (uint32_t i = 0; i < m; i++) {
        const struct pair_key *k = flowd_table_key(&adv->pairs, i);
        uint64_t bytes = *(const uint64_t *) flowd_table_val(&adv->pairs, i);
        uint32_t p = adj->start[k->a + 1]++;
        adj->peer[p] = k->b;
        adj->bytes[p] = bytes;
        p = adj->start[k->b + 1]++;
        adj->peer[p] = k->a;
        adj->bytes[p] = bytes;
    }
    return true;
}

/* The change of weighted cost if VM 'v' moved to host 'to'. */
static int64_t
move_delta(const struct flowd_advise *adv, const struct adjacency *adj,
           uint32_t v, uint16_t to)
{
    int64_t delta = 0;

    for (uint32_t p = adj->start[v]; p < adj->start[v + 1]; p++) {
        uint16_t hq = adv->host[adj->peer[p]];
        delta += (weight[pair_class(adv, to, hq)]
                  - weight[pair_class(adv, adv->host[v], hq)])
                 * (int64_t) adj->bytes[p];
    }
    return delta;
}

size_t
flowd_advise_moves(struct flowd_advise *adv,
                   const struct flowd_advise_limits *lim,
                   struct flowd_advise_move **out)
{
    const struct flowd_topo *t = adv->topo;
    struct adjacency adj = { NULL, NULL, NULL };
    uint32_t *load = calloc(t->n_hosts + 1, sizeof *load);
    bool *moved = calloc(adv->n_vms + 1, sizeof *moved);
    size_t n = 0;

    *out = calloc(lim->max_moves + 1, sizeof **out);
    if (!load || !moved || !*out || !build_adjacency(adv, &adj)) {
        goto done;
    }
    /* Only the VMs seen in the traffic count towards a host's load: the
     * others are not known here. */
    for (size_t v = 0; v < adv->n_vms; v++) {
        load[adv->host[v]]++;
    }
    while (n < lim->max_moves) {
        int64_t best = 0;
        uint32_t best_vm = 0;
        uint16_t best_host = FLOWD_TOPO_NONE;

        for (uint32_t v = 0; v < adv->n_vms; v++) {
            if (moved[v]) {
                continue;
            }
            /* Candidates: the hosts behind the edge switch of each
             * partner's host (its own included). */
            for (uint32_t p = adj.start[v]; p < adj.start[v + 1]; p++) {
                uint16_t sw = t->hosts[adv->host[adj.peer[p]]].sw;
                for (uint16_t h = 0; h < t->n_hosts; h++) {
                    if (t->hosts[h].sw != sw || h == adv->host[v]
                        || (lim->may_receive && !lim->may_receive[h])
                        || (lim->max_vms_per_host
                            && load[h] >= lim->max_vms_per_host)) {
                        continue;
                    }
                    int64_t d = move_delta(adv, &adj, v, h);
                    if (d < best || (d == best && d < 0
                                     && (v < best_vm
                                         || (v == best_vm
                                             && h < best_host)))) {
                        best = d;
                        best_vm = v;
                        best_host = h;
                    }
                }
            }
        }
        if (best_host == FLOWD_TOPO_NONE) {
            break;              /* No move helps. */
        }
        struct flowd_advise_move *m = &(*out)[n++];
        m->vm = best_vm;
        m->from = adv->host[best_vm];
        m->to = best_host;
        flowd_advise_totals(adv, m->before);
        load[m->from]--;
        load[m->to]++;
        adv->host[best_vm] = best_host;
        moved[best_vm] = true;
        flowd_advise_totals(adv, m->after);
    }

done:
    free(adj.start);
    free(adj.peer);
    free(adj.bytes);
    free(load);
    free(moved);
    return n;
}

/* One table row of bytes per class. */
static void
html_classes(FILE *f, const char *label, const uint64_t b[3])
{
    fprintf(f, "<tr><td>%s</td><td>%" PRIu64 "</td><td>%" PRIu64
            "</td><td>%" PRIu64 "</td></tr>\n", label, b[0], b[1], b[2]);
}

void
flowd_advise_html(FILE *f, const struct flowd_interval *iv,
                  const struct flowd_topo *t, uint32_t max_moves, size_t top)
{
    const struct flowd_interval_agg *ia = NULL;
    int s = -1, d = -1;

    fprintf(f, "<h2>Placement advice (last interval)</h2>\n");
    for (uint32_t i = 0; iv && i < iv->n_aggs && !ia; i++) {
        s = flowd_agg_def_field_offset(&iv->aggs[i].def, FLOWD_AGG_SRC_MAC);
        d = flowd_agg_def_field_offset(&iv->aggs[i].def, FLOWD_AGG_DST_MAC);
        if (s >= 0 && d >= 0) {
            ia = &iv->aggs[i];
        }
    }
    if (!ia || !t) {
        fprintf(f, "<p>No aggregation with src_mac and dst_mac keys (run "
                "with --aggregate=vm_pairs=src_mac,dst_mac).</p>\n");
        return;
    }

    struct flowd_advise adv;
    if (!flowd_advise_init(&adv, t, ia->n_rows ? ia->n_rows : 1)) {
        flowd_advise_destroy(&adv);
        fprintf(f, "<p>Out of memory.</p>\n");
        return;
    }
    for (uint32_t r = 0; r < ia->n_rows; r++) {
        const uint8_t *k = ia->keys + (size_t) r * ia->def.key_len;
        flowd_advise_add(&adv, k + s, k + d, ia->vals[r].bytes);
    }

    uint64_t totals[3];
    char a[18], b[18];
    flowd_advise_totals(&adv, totals);
    fprintf(f, "<p>Aggregation %s: %zu VMs, %" PRIu32 " pairs; %" PRIu64
            " bytes not between placed VMs.</p>\n<table><tr><th></th>"
            "<th>same_host</th><th>same_switch</th><th>core</th></tr>\n",
            ia->def.name, adv.n_vms, adv.pairs.n, adv.skipped_bytes);
    html_classes(f, "bytes", totals);
    fprintf(f, "</table>\n");

    struct flowd_advise_pair *pairs;
    size_t n_pairs = flowd_advise_rank(&adv, &pairs);
    fprintf(f, "<h3>Top VM pairs across an edge switch or the core "
            "(%zu)</h3>\n<table><tr><th>VM</th><th>host</th><th>VM</th>"
            "<th>host</th><th>class</th><th>bytes</th></tr>\n", n_pairs);
    for (size_t i = 0; i < n_pairs && i < top; i++) {
        flowd_format_mac(adv.macs[pairs[i].a], a);
        flowd_format_mac(adv.macs[pairs[i].b], b);
        fprintf(f, "<tr><td>%s</td><td>%s</td><td>%s</td><td>%s</td>"
                "<td>%s</td><td>%" PRIu64 "</td></tr>\n", a,
                t->hosts[adv.host[pairs[i].a]].name, b,
                t->hosts[adv.host[pairs[i].b]].name,
                flowd_class_name(pairs[i].class), pairs[i].bytes);
    }
    fprintf(f, "</table>\n");
    free(pairs);

    struct flowd_advise_limits lim = { max_moves, 0, NULL };
    struct flowd_advise_move *moves;
    size_t n_moves = flowd_advise_moves(&adv, &lim, &moves);
    fprintf(f, "<h3>Proposed moves (%zu; limits: see l2mt-flowd advise)"
            "</h3>\n<table><tr><th>move</th><th>bytes</th><th>same_host"
            "</th><th>same_switch</th><th>core</th></tr>\n", n_moves);
    for (size_t i = 0; i < n_moves; i++) {
        const struct flowd_advise_move *m = &moves[i];
        char label[192];

        flowd_format_mac(adv.macs[m->vm], a);
        snprintf(label, sizeof label, "%s from %s to %s", a,
                 t->hosts[m->from].name, t->hosts[m->to].name);
        fprintf(f, "<tr><td rowspan='2'>%s</td><td>before</td><td>%"
                PRIu64 "</td><td>%" PRIu64 "</td><td>%" PRIu64
                "</td></tr>\n", label, m->before[0], m->before[1],
                m->before[2]);
        fprintf(f, "<tr><td>after</td><td>%" PRIu64 "</td><td>%" PRIu64
                "</td><td>%" PRIu64 "</td></tr>\n", m->after[0],
                m->after[1], m->after[2]);
    }
    fprintf(f, "</table>\n");
    free(moves);
    flowd_advise_destroy(&adv);
}
