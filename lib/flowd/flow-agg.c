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
#include "flowd/flow-agg.h"

#include <arpa/inet.h>
#include <endian.h>
#include <stdio.h>
#include <string.h>

#include "flowd/flowd-topo.h"
#include "l2mt-conf-util.h"

static const struct {
    const char *name;
    uint16_t len;
} fields[FLOWD_AGG_N_FIELDS] = {
    [FLOWD_AGG_SRC_HOST] = { "src_host", 16 },
    [FLOWD_AGG_DST_HOST] = { "dst_host", 16 },
    [FLOWD_AGG_SRC_PREFIX] = { "src_prefix", 17 },
    [FLOWD_AGG_DST_PREFIX] = { "dst_prefix", 17 },
    [FLOWD_AGG_BIFLOW] = { "biflow", 37 },
    [FLOWD_AGG_SRC_MAC] = { "src_mac", 6 },
    [FLOWD_AGG_DST_MAC] = { "dst_mac", 6 },
    [FLOWD_AGG_VLAN] = { "vlan", 2 },
    [FLOWD_AGG_TENANT] = { "tenant", 2 },
    [FLOWD_AGG_CLASS] = { "class", 1 },
    [FLOWD_AGG_SCOPE] = { "scope", 1 },
    [FLOWD_AGG_PORT] = { "port", 20 },
    [FLOWD_AGG_PROTO] = { "proto", 1 },
    [FLOWD_AGG_SRC_PORT] = { "src_port", 2 },
    [FLOWD_AGG_DST_PORT] = { "dst_port", 2 },
};

const char *
flowd_agg_field_name(enum flowd_agg_field f)
{
    return f < FLOWD_AGG_N_FIELDS ? fields[f].name : "invalid";
}

uint16_t
flowd_agg_field_len(enum flowd_agg_field f)
{
    return f < FLOWD_AGG_N_FIELDS ? fields[f].len : 0;
}

int
flowd_agg_def_field_offset(const struct flowd_agg_def *def,
                           enum flowd_agg_field field)
{
    int ofs = 0;

    for (int i = 0; i < def->n_fields; i++) {
        if (def->fields[i] == field) {
            return ofs;
        }
        ofs += fields[def->fields[i]].len;
    }
    return -1;
}

static char *
add_field(struct flowd_agg_def *def, enum flowd_agg_field f)
{
    for (int i = 0; i < def->n_fields; i++) {
        if (def->fields[i] == f) {
            return l2mt_xasprintf("key '%s' given twice", fields[f].name);
        }
    }
    if (def->n_fields >= FLOWD_AGG_MAX_FIELDS) {
        return l2mt_xasprintf("more than %d keys", FLOWD_AGG_MAX_FIELDS);
    }
    def->fields[def->n_fields++] = f;
    def->key_len += fields[f].len;
    return NULL;
}

char *
flowd_agg_def_parse(const char *s, struct flowd_agg_def *def)
{
    char buf[512];
    char *save, *list = buf;

    memset(def, 0, sizeof *def);
    if (strlen(s) >= sizeof buf) {
        return l2mt_xstrdup("aggregation too long");
    }
    strcpy(buf, s);

    char *eq = strchr(buf, '=');
    if (eq) {
        *eq = '\0';
        list = eq + 1;
        if (!*buf || strlen(buf) >= FLOWD_AGG_NAME_LEN
            || strspn(buf, "abcdefghijklmnopqrstuvwxyz0123456789_")
               != strlen(buf)) {
            return l2mt_xasprintf("bad aggregation name '%s' (a-z, 0-9, _)",
                                  buf);
        }
        strcpy(def->name, buf);
    }
    for (char *w = strtok_r(list, ",", &save); w;
         w = strtok_r(NULL, ",", &save)) {
        char *error;
        if (!strcmp(w, "pair_host")) {
            error = add_field(def, FLOWD_AGG_SRC_HOST);
            if (!error) {
                error = add_field(def, FLOWD_AGG_DST_HOST);
            }
        } else if (!strcmp(w, "pair_prefix")) {
            error = add_field(def, FLOWD_AGG_SRC_PREFIX);
            if (!error) {
                error = add_field(def, FLOWD_AGG_DST_PREFIX);
            }
        } else if (!strcmp(w, "mac")) {
            error = add_field(def, FLOWD_AGG_SRC_MAC);
        } else {
            int f;
            for (f = 0; f < FLOWD_AGG_N_FIELDS; f++) {
                if (!strcmp(w, fields[f].name)) {
                    break;
                }
            }
            if (f == FLOWD_AGG_N_FIELDS) {
                return l2mt_xasprintf(
                    "unknown key '%s' (src_host, dst_host, "
                    "pair_host, src_prefix, dst_prefix, pair_prefix, "
                    "biflow, src_mac, dst_mac, mac, vlan, tenant, class, "
                    "scope, port, proto, src_port, dst_port)", w);
            }
            error = add_field(def, f);
        }
        if (error) {
            return error;
        }
    }
    if (!def->n_fields) {
        return l2mt_xasprintf("aggregation '%s' has no keys", s);
    }
    if (!*def->name) {
        /* Default name: the keys, with '_' for ','. */
        size_t n = 0;
        for (const char *p = eq ? eq + 1 : s; *p && n < FLOWD_AGG_NAME_LEN - 1;
             p++) {
            def->name[n++] = *p == ',' ? '_' : *p;
        }
        def->name[n] = '\0';
    }
    return NULL;
}

/* A sample table key: the fields of a sample that narrow aggregations
 * read, and 'counted' (which decides which of them a sample goes to);
 * fields that none of them reads are zeroed (see fine_layout()). */
struct fine_key {
    struct in6_addr agent;
    uint32_t input;
    uint16_t vlan, tenant;
    uint8_t proto, class, intra, counted;
    uint32_t pad;               /* Zero: 32 bytes, four whole words. */
};
_Static_assert(sizeof(struct fine_key) == 32, "four whole words");

/* Key fields with as many values as there are endpoints or flows: an
 * aggregation with one of them ("wide") has about as many rows as
 * samples, so a sample table keyed by its fields would save nothing. */
#define WIDE_FIELDS ((1 << FLOWD_AGG_SRC_HOST) | (1 << FLOWD_AGG_DST_HOST) \
                     | (1 << FLOWD_AGG_SRC_PREFIX)                      \
                     | (1 << FLOWD_AGG_DST_PREFIX)                      \
                     | (1 << FLOWD_AGG_BIFLOW) | (1 << FLOWD_AGG_SRC_MAC) \
                     | (1 << FLOWD_AGG_DST_MAC) | (1 << FLOWD_AGG_SRC_PORT) \
                     | (1 << FLOWD_AGG_DST_PORT))

/* Sorts the aggregations defined so far into narrow (no wide field) and
 * wide ones, makes the sample table key mask for the narrow ones, and
 * (re)creates the sample table. */
static bool
fine_layout(struct flowd_agg *agg)
{
    struct fine_key m;

    memset(&m, 0, sizeof m);
    m.counted = 0xff;
    agg->n_direct = 0;
    agg->any_narrow = false;
    for (size_t i = 0; i < agg->n; i++) {
        struct flowd_agg_def *def = &agg->defs[i];

        def->narrow = true;
        for (int f = 0; f < def->n_fields; f++) {
            def->narrow &= !(WIDE_FIELDS & (1 << def->fields[f]));
        }
        if (!def->narrow) {
            agg->direct[agg->n_direct++] = i;
            continue;
        }
        agg->any_narrow = true;
        for (int f = 0; f < def->n_fields; f++) {
            switch (def->fields[f]) {
            case FLOWD_AGG_PORT:
                memset(&m.agent, 0xff, sizeof m.agent);
                m.input = UINT32_MAX;
                break;
            case FLOWD_AGG_VLAN:
                m.vlan = UINT16_MAX;
                break;
            case FLOWD_AGG_TENANT:
                m.tenant = UINT16_MAX;
                break;
            case FLOWD_AGG_PROTO:
                m.proto = 0xff;
                break;
            case FLOWD_AGG_CLASS:
                m.class = 0xff;
                break;
            case FLOWD_AGG_SCOPE:
                m.intra = 0xff;
                break;
            default:
                break;          /* Wide: not here. */
            }
        }
    }
    memcpy(agg->fine_mask, &m, sizeof m);
    flowd_table_destroy(&agg->fine);
    return flowd_table_init(&agg->fine, sizeof(struct fine_key),
                            sizeof(struct flowd_agg_val), agg->max_keys);
}

void
flowd_agg_init(struct flowd_agg *agg, uint32_t max_keys, uint8_t prefix4,
               uint8_t prefix6)
{
    memset(agg, 0, sizeof *agg);
    agg->max_keys = max_keys;
    agg->prefix4 = prefix4;
    agg->prefix6 = prefix6;
}

bool
flowd_agg_add_def(struct flowd_agg *agg, const struct flowd_agg_def *def)
{
    flowd_agg_rollup(agg);
    if (agg->n >= FLOWD_AGG_MAX
        || !flowd_table_init(&agg->tables[agg->n], def->key_len,
                             sizeof(struct flowd_agg_val), agg->max_keys)) {
        return false;
    }
    agg->defs[agg->n++] = *def;
    if (!fine_layout(agg)) {
        flowd_table_destroy(&agg->tables[--agg->n]);
        return false;
    }
    return true;
}

void
flowd_agg_destroy(struct flowd_agg *agg)
{
    for (size_t i = 0; i < agg->n; i++) {
        flowd_table_destroy(&agg->tables[i]);
    }
    flowd_table_destroy(&agg->fine);
    agg->n = 0;
}

void
flowd_agg_clear(struct flowd_agg *agg)
{
    for (size_t i = 0; i < agg->n; i++) {
        flowd_table_clear(&agg->tables[i]);
    }
    if (agg->fine.buckets) {
        flowd_table_clear(&agg->fine);
    }
    memset(agg->overflow, 0, sizeof agg->overflow);
    memset(agg->n_overflow, 0, sizeof agg->n_overflow);
}

static void
merge_val(struct flowd_agg_val *v, const struct flowd_agg_val *w)
{
    if (!w->samples) {
        return;
    }
    if (!v->samples || w->first_ms < v->first_ms) {
        v->first_ms = w->first_ms;
    }
    if (w->last_ms > v->last_ms) {
        v->last_ms = w->last_ms;
    }
    v->bytes += w->bytes;
    v->packets += w->packets;
    v->samples += w->samples;
}

/* Adds 'w' to aggregation 'i' under 'key', zero-padded as for
 * flowd_hash_padded(). */
static bool
add_row_padded(struct flowd_agg *agg, size_t i, const uint8_t *key,
               const struct flowd_agg_val *w)
{
    struct flowd_table *t = &agg->tables[i];
    uint32_t hash = flowd_hash_padded(key, t->key_len);
    struct flowd_agg_val *v = flowd_table_find_padded(t, key, hash);

    if (!v) {
        if (t->n >= t->cap) {
            agg->n_overflow[i] += w->samples;
            merge_val(&agg->overflow[i], w);
            return false;
        }
        v = flowd_table_insert_new_h(t, key, hash);
    }
    merge_val(v, w);
    return true;
}

/* Zeroes the bytes of a 'len'-byte key buffer from 'len' up to the next
 * multiple of 8, for flowd_hash_padded() and flowd_table_find_padded(). */
static inline void
zero_pad(uint8_t *key, uint16_t len)
{
    if (len & 7) {
        memset(key + (len & ~7), 0, 8);
    }
}

bool
flowd_agg_add_row(struct flowd_agg *agg, size_t i, const uint8_t *key,
                  const struct flowd_agg_val *w)
{
    uint8_t padded[FLOWD_AGG_MAX_FIELDS * 40 + 8];
    uint16_t len = agg->tables[i].key_len;

    flowd_agg_rollup(agg);   /* Rows in the order their keys came. */
    zero_pad(padded, len);
    memcpy(padded, key, len);
    return add_row_padded(agg, i, padded, w);
}

void
flowd_agg_rollup(struct flowd_agg *agg)
{
    struct flowd_table *fine = &agg->fine;
    struct flowd_rec rec;
    uint8_t key[FLOWD_AGG_MAX_FIELDS * 40 + 8];

    if (!fine->n) {
        return;
    }
    memset(&rec, 0, sizeof rec);
    /* Entries are dense in the order they were inserted (the table never
     * evicts: it is rolled up when full), so each aggregation sees its
     * keys in the order they first came. */
    for (uint32_t e = 0; e < fine->n; e++) {
        const struct flowd_agg_val *w = flowd_table_val(fine, e);
        struct fine_key fk;

        memcpy(&fk, flowd_table_key(fine, e), sizeof fk);
        rec.agent = fk.agent;
        rec.input = fk.input;
        rec.vlan = fk.vlan;
        rec.src_tenant = fk.tenant;
        rec.proto = fk.proto;
        rec.class = fk.class;
        rec.intra = fk.intra;
        rec.counted = fk.counted;
        for (size_t i = 0; i < agg->n; i++) {
            if (agg->defs[i].narrow
                && (rec.counted || agg->defs[i].all_samples)) {
                zero_pad(key, agg->defs[i].key_len);
                flowd_agg_key(agg, &agg->defs[i], &rec, key);
                add_row_padded(agg, i, key, w);
            }
        }
    }
    flowd_table_clear(fine);
}

void
flowd_agg_merge(struct flowd_agg *dst, struct flowd_agg *src)
{
    flowd_agg_rollup(src);
    flowd_agg_rollup(dst);
    for (size_t i = 0; i < dst->n && i < src->n; i++) {
        const struct flowd_table *s = &src->tables[i];

        for (uint32_t r = 0; r < s->n; r++) {
            /* Stored keys are zero-padded. */
            add_row_padded(dst, i, flowd_table_key(s, r), flowd_table_val(s,
                                                                          r));
        }
        dst->n_overflow[i] += src->n_overflow[i];
        merge_val(&dst->overflow[i], &src->overflow[i]);
    }
}

static void
put_prefix(uint8_t *out, const struct in6_addr *a, uint8_t len4, uint8_t len6)
{
    bool v4 = IN6_IS_ADDR_V4MAPPED(a);
    int bits = v4 ? 96 + len4 : len6;

    memcpy(out, a, 16);
    for (int i = 0; i < 16; i++) {
        int keep = bits - i * 8;
        out[i] &= keep >= 8 ? 0xff : keep <= 0 ? 0 : (0xff << (8 - keep));
    }
    out[16] = v4 ? len4 : len6;
}

/* memcmp(a, b, 16) as two big-endian words: the same order, without a
 * library call per sample (biflow keys). */
static inline int
addr_cmp(const struct in6_addr *a, const struct in6_addr *b)
{
    uint64_t x[2], y[2];

    memcpy(x, a, 16);
    memcpy(y, b, 16);
    for (int i = 0; i < 2; i++) {
        if (x[i] != y[i]) {
            return be64toh(x[i]) < be64toh(y[i]) ? -1 : 1;
        }
    }
    return 0;
}

static void
put16(uint8_t *p, uint16_t v)
{
    memcpy(p, &v, 2);
}

void
flowd_agg_key(const struct flowd_agg *agg, const struct flowd_agg_def *def,
              const struct flowd_rec *r, uint8_t *key)
{
    uint8_t *p = key;

    for (int i = 0; i < def->n_fields; i++) {
        enum flowd_agg_field f = def->fields[i];

        switch (f) {
        case FLOWD_AGG_SRC_HOST:
            memcpy(p, &r->src_ip, 16);
            break;
        case FLOWD_AGG_DST_HOST:
            memcpy(p, &r->dst_ip, 16);
            break;
        case FLOWD_AGG_SRC_PREFIX:
            put_prefix(p, &r->src_ip, agg->prefix4, agg->prefix6);
            break;
        case FLOWD_AGG_DST_PREFIX:
            put_prefix(p, &r->dst_ip, agg->prefix4, agg->prefix6);
            break;
        case FLOWD_AGG_BIFLOW: {
            /* Both directions as one: the lower endpoint first. */
            int c = addr_cmp(&r->src_ip, &r->dst_ip);
            bool swap = c > 0 || (c == 0 && r->src_port > r->dst_port);
            memcpy(p, swap ? &r->dst_ip : &r->src_ip, 16);
            memcpy(p + 16, swap ? &r->src_ip : &r->dst_ip, 16);
            put16(p + 32, swap ? r->dst_port : r->src_port);
            put16(p + 34, swap ? r->src_port : r->dst_port);
            p[36] = r->proto;
            break;
        }
        case FLOWD_AGG_SRC_MAC:
            memcpy(p, r->src_mac, 6);
            break;
        case FLOWD_AGG_DST_MAC:
            memcpy(p, r->dst_mac, 6);
            break;
        case FLOWD_AGG_VLAN:
            put16(p, r->vlan);
            break;
        case FLOWD_AGG_TENANT:
            put16(p, r->src_tenant);
            break;
        case FLOWD_AGG_CLASS:
            p[0] = r->class;
            break;
        case FLOWD_AGG_SCOPE:
            p[0] = r->intra;
            break;
        case FLOWD_AGG_PORT:
            memcpy(p, &r->agent, 16);
            memcpy(p + 16, &r->input, 4);
            break;
        case FLOWD_AGG_PROTO:
            p[0] = r->proto;
            break;
        case FLOWD_AGG_SRC_PORT:
            put16(p, r->src_port);
            break;
        case FLOWD_AGG_DST_PORT:
            put16(p, r->dst_port);
            break;
        case FLOWD_AGG_N_FIELDS:
            break;
        }
        p += fields[f].len;
    }
}

static void
add_val(struct flowd_agg_val *v, const struct flowd_rec *r)
{
    if (!v->samples || r->time_ms < v->first_ms) {
        v->first_ms = r->time_ms;
    }
    if (r->time_ms > v->last_ms) {
        v->last_ms = r->time_ms;
    }
    v->bytes += r->bytes;
    v->packets += r->packets;
    v->samples++;
}

/* Samples aggregated together: their keys are built and their table
 * buckets and entries prefetched in stages, so that the cache misses of
 * all of them overlap instead of queueing. */
#define AGG_BATCH 16

static inline bool
wants(const struct flowd_agg *agg, size_t i, const struct flowd_rec *r)
{
    return r->counted || agg->defs[i].all_samples;
}

/* Builds the sample table key of 'r' (fields that no narrow aggregation
 * reads are masked out, so that they do not split rows). */
static inline void
fine_key(const struct flowd_agg *agg, const struct flowd_rec *r, uint8_t *key)
{
    struct fine_key fk = {
        .agent = r->agent, .input = r->input, .vlan = r->vlan,
        .tenant = r->src_tenant, .proto = r->proto, .class = r->class,
        .intra = r->intra, .counted = r->counted, .pad = 0,
    };
    uint64_t w[4];

    memcpy(w, &fk, sizeof w);
    for (int i = 0; i < 4; i++) {
        w[i] &= agg->fine_mask[i];
    }
    memcpy(key, w, sizeof w);
}

static inline void
add_batch(struct flowd_agg *agg, const struct flowd_rec *recs, size_t n)
{
    /* Per sample: the key of each wide aggregation (by its place in
     * 'direct'), then at [n_direct] the sample table key. */
    uint8_t keys[AGG_BATCH][FLOWD_AGG_MAX + 1][FLOWD_AGG_MAX_FIELDS * 40 / 4];
    uint32_t hashes[AGG_BATCH][FLOWD_AGG_MAX + 1];
    struct flowd_table *fine = &agg->fine;
    size_t nd = agg->n_direct;

    for (size_t k = 0; k < n; k++) {
        for (size_t j = 0; j < nd; j++) {
            size_t i = agg->direct[j];

            if (wants(agg, i, &recs[k])) {
                uint16_t len = agg->defs[i].key_len;

                zero_pad(keys[k][j], len);
                flowd_agg_key(agg, &agg->defs[i], &recs[k], keys[k][j]);
                hashes[k][j] = flowd_hash_padded(keys[k][j], len);
                flowd_table_prefetch(&agg->tables[i], hashes[k][j]);
            }
        }
        if (agg->any_narrow) {
            fine_key(agg, &recs[k], keys[k][nd]);
            hashes[k][nd] = flowd_hash_padded(keys[k][nd],
                                              sizeof(struct fine_key));
            flowd_table_prefetch(fine, hashes[k][nd]);
        }
    }
    for (size_t k = 0; k < n; k++) {
        for (size_t j = 0; j < nd; j++) {
            size_t i = agg->direct[j];

            if (wants(agg, i, &recs[k])) {
                flowd_table_prefetch_entry(&agg->tables[i], hashes[k][j]);
            }
        }
        if (agg->any_narrow) {
            flowd_table_prefetch_entry(fine, hashes[k][nd]);
        }
    }
    for (size_t k = 0; k < n; k++) {
        const struct flowd_rec *r = &recs[k];

        for (size_t j = 0; j < nd; j++) {
            size_t i = agg->direct[j];
            struct flowd_table *t = &agg->tables[i];

            if (!wants(agg, i, r)) {
                continue;
            }
            struct flowd_agg_val *v = flowd_table_find_padded(t, keys[k][j],
                                                              hashes[k][j]);
            if (!v) {
                if (t->n >= t->cap) {
                    agg->n_overflow[i]++;
                    add_val(&agg->overflow[i], r);
                    continue;
                }
                v = flowd_table_insert_new_h(t, keys[k][j], hashes[k][j]);
            }
            add_val(v, r);
        }

        if (!agg->any_narrow) {
            continue;
        }
        struct flowd_agg_val *v = flowd_table_find_padded(fine, keys[k][nd],
                                                          hashes[k][nd]);
        if (!v) {
            if (fine->n >= fine->cap) {
                /* Full: into the aggregations, then start again. */
                flowd_agg_rollup(agg);
                agg->n_full_rollups++;
            }
            v = flowd_table_insert_new_h(fine, keys[k][nd], hashes[k][nd]);
        }
        add_val(v, r);
    }
}

void
flowd_agg_add_batch(struct flowd_agg *agg, const struct flowd_rec *recs,
                    size_t n)
{
    bool small = true;

    if (!agg->n) {
        return;
    }
    for (size_t i = 0; i < agg->n; i++) {
        small &= agg->defs[i].key_len <= FLOWD_AGG_MAX_FIELDS * 40 / 4;
    }
    if (!small) {
        /* Long keys: one at a time. */
        for (size_t k = 0; k < n; k++) {
            flowd_agg_add(agg, &recs[k]);
        }
        return;
    }
    for (size_t k = 0; k < n; k += AGG_BATCH) {
        add_batch(agg, recs + k, n - k < AGG_BATCH ? n - k : AGG_BATCH);
    }
}

void
flowd_agg_add(struct flowd_agg *agg, const struct flowd_rec *r)
{
    uint8_t key[FLOWD_AGG_MAX_FIELDS * 40 + 8];

    flowd_agg_rollup(agg);   /* Rows in the order their keys came. */
    for (size_t i = 0; i < agg->n; i++) {
        struct flowd_table *t = &agg->tables[i];

        if (!wants(agg, i, r)) {
            continue;
        }
        uint16_t len = agg->defs[i].key_len;

        zero_pad(key, len);
        flowd_agg_key(agg, &agg->defs[i], r, key);
        uint32_t hash = flowd_hash_padded(key, len);
        struct flowd_agg_val *v = flowd_table_find_padded(t, key, hash);
        if (!v) {
            if (t->n >= t->cap) {
                agg->n_overflow[i]++;
                add_val(&agg->overflow[i], r);
                continue;
            }
            v = flowd_table_insert_new_h(t, key, hash);
        }
        add_val(v, r);
    }
}

static void
format_ip(const uint8_t *p, char *out, size_t size)
{
    struct in6_addr a;

    memcpy(&a, p, 16);
    flowd_format_ip(&a, out, size);
}

static uint16_t
get16(const uint8_t *p)
{
    uint16_t v;

    memcpy(&v, p, 2);
    return v;
}

void
flowd_agg_field_format(enum flowd_agg_field f, const uint8_t *p, char *out,
                       size_t size,
                       const struct flowd_agg_names *names)
{
    char a[INET6_ADDRSTRLEN], b[INET6_ADDRSTRLEN];
    uint32_t ifindex;

    switch (f) {
    case FLOWD_AGG_SRC_HOST:
    case FLOWD_AGG_DST_HOST:
        format_ip(p, out, size);
        break;
    case FLOWD_AGG_SRC_PREFIX:
    case FLOWD_AGG_DST_PREFIX:
        format_ip(p, a, sizeof a);
        snprintf(out, size, "%s/%u", a, p[16]);
        break;
    case FLOWD_AGG_BIFLOW:
        format_ip(p, a, sizeof a);
        format_ip(p + 16, b, sizeof b);
        snprintf(out, size, "%s:%u<->%s:%u/%u", a, get16(p + 32), b,
                 get16(p + 34), p[36]);
        break;
    case FLOWD_AGG_SRC_MAC:
    case FLOWD_AGG_DST_MAC:
        if (size >= 18) {
            flowd_format_mac(p, out);
        }
        break;
    case FLOWD_AGG_VLAN:
    case FLOWD_AGG_SRC_PORT:
    case FLOWD_AGG_DST_PORT:
        snprintf(out, size, "%u", get16(p));
        break;
    case FLOWD_AGG_TENANT:
        snprintf(out, size, "%s", names->tenant(names->aux, get16(p)));
        break;
    case FLOWD_AGG_CLASS:
        snprintf(out, size, "%s", flowd_class_name(p[0]));
        break;
    case FLOWD_AGG_SCOPE:
        snprintf(out, size, "%s", p[0] ? "intra" : "leaving");
        break;
    case FLOWD_AGG_PORT:
        format_ip(p, a, sizeof a);
        memcpy(&ifindex, p + 16, 4);
        snprintf(out, size, "%s/%u", a, ifindex);
        break;
    case FLOWD_AGG_PROTO:
        snprintf(out, size, "%u", p[0]);
        break;
    case FLOWD_AGG_N_FIELDS:
    default:
        snprintf(out, size, "?");
        break;
    }
}
