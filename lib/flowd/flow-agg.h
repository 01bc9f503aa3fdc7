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

#ifndef L2MT_FLOW_AGG_H
#define L2MT_FLOW_AGG_H 1

/* The flow mediator's aggregation: several aggregations at once, each a
 * list of key fields, summed over fixed intervals.  Tables are bounded:
 * a sample whose new key finds its table full is added to that
 * aggregation's 'overflow' row instead, so totals stay exact.
 *
 * Samples (flowd_agg_add_batch()) go to the "wide" aggregations (keyed by
 * hosts, prefixes, MACs or L4 ports: about one row per flow) directly,
 * and for the "narrow" ones (class, tenant, scope, VLAN, port, protocol)
 * to one table keyed by every field those use (the "sample table"): one
 * hash and one lookup per sample instead of one per narrow aggregation,
 * in a table of few rows.  flowd_agg_rollup() adds its rows into the
 * narrow aggregations in the order their keys first came, so these end up
 * exactly as if each sample had been added to each of them: the same
 * rows, the same overflow.  It runs when the sample table is full (so it
 * needs no eviction), before anything reads the aggregations (snapshot,
 * merge, metrics) and before a row or sample is added to them directly. */

#include <stdbool.h>
#include <stdint.h>

#include "flowd/flowd-rec.h"
#include "flowd/flowd-table.h"

enum flowd_agg_field {
    FLOWD_AGG_SRC_HOST, FLOWD_AGG_DST_HOST, FLOWD_AGG_SRC_PREFIX,
    FLOWD_AGG_DST_PREFIX, FLOWD_AGG_BIFLOW,
    FLOWD_AGG_SRC_MAC, FLOWD_AGG_DST_MAC, FLOWD_AGG_VLAN, FLOWD_AGG_TENANT,
    FLOWD_AGG_CLASS, FLOWD_AGG_SCOPE,
    FLOWD_AGG_PORT, FLOWD_AGG_PROTO, FLOWD_AGG_SRC_PORT, FLOWD_AGG_DST_PORT,
    FLOWD_AGG_N_FIELDS
};

#define FLOWD_AGG_MAX_FIELDS 8
#define FLOWD_AGG_MAX 16
#define FLOWD_AGG_NAME_LEN 64

struct flowd_agg_def {
    char name[FLOWD_AGG_NAME_LEN];
    uint8_t fields[FLOWD_AGG_MAX_FIELDS];
    uint8_t n_fields;
    uint8_t all_samples;        /* Also transit copies (per-port load). */
    bool narrow;                /* Summed in the sample table first. */
    uint16_t key_len;
};

struct flowd_agg_val {
    uint64_t bytes, packets, samples;
    uint64_t first_ms, last_ms;
};

/* Parses "[NAME=]KEY[,KEY]..." (keys: see Documentation/flowd.md).
 * Returns NULL, or a malloc'd error message for the caller to free. */
char *flowd_agg_def_parse(const char *, struct flowd_agg_def *)
    __attribute__((warn_unused_result));
/* Where 'field' starts in the keys of 'def', or -1 if it has none. */
int flowd_agg_def_field_offset(const struct flowd_agg_def *,
                               enum flowd_agg_field);
const char *flowd_agg_field_name(enum flowd_agg_field);
uint16_t flowd_agg_field_len(enum flowd_agg_field);

/* Renders one key field as text ('tenants' names tenant indices). */
struct flowd_agg_names {
    const char *(*tenant)(const void *aux, uint16_t tenant);
    const void *aux;
};
void flowd_agg_field_format(enum flowd_agg_field, const uint8_t *key,
                            char *out,
                            size_t size, const struct flowd_agg_names *);

struct flowd_agg {
    struct flowd_agg_def defs[FLOWD_AGG_MAX];
    struct flowd_table tables[FLOWD_AGG_MAX];
    struct flowd_agg_val overflow[FLOWD_AGG_MAX];
    uint64_t n_overflow[FLOWD_AGG_MAX];   /* Samples folded into overflow. */
    size_t n;
    uint8_t prefix4, prefix6;
    uint32_t max_keys;

    /* The sample table (see above): at most 'max_keys' rows. */
    struct flowd_table fine;
    uint64_t fine_mask[4];      /* Of the fields narrow aggregations read. */
    bool any_narrow;            /* Else the sample table is unused. */
    uint8_t direct[FLOWD_AGG_MAX];    /* Indices of the wide aggregations. */
    uint8_t n_direct;
    uint64_t n_full_rollups;    /* Rollups because 'fine' was full. */
};

void flowd_agg_init(struct flowd_agg *, uint32_t max_keys, uint8_t prefix4,
                    uint8_t prefix6);
bool flowd_agg_add_def(struct flowd_agg *, const struct flowd_agg_def *);
void flowd_agg_destroy(struct flowd_agg *);
void flowd_agg_add(struct flowd_agg *, const struct flowd_rec *);
/* The same for 'n' samples at once, faster. */
void flowd_agg_add_batch(struct flowd_agg *, const struct flowd_rec *,
                         size_t n);
void flowd_agg_clear(struct flowd_agg *);

/* Adds the sample table's rows into the aggregations and empties it. */
void flowd_agg_rollup(struct flowd_agg *);

/* Adds the rows and overflow of 'src' (same definitions; rolled up first)
 * into 'dst'; rows that find 'dst' full go to its overflow row. */
void flowd_agg_merge(struct flowd_agg *dst, struct flowd_agg *src);

/* Adds row 'key' with value 'val' (already summed: an upper tier's input)
 * to aggregation 'i'; if its table is full, to the overflow row (and
 * returns false). */
bool flowd_agg_add_row(struct flowd_agg *, size_t i, const uint8_t *key,
                       const struct flowd_agg_val *val);

/* Fills 'key' for aggregation 'def' from 'rec'. */
void flowd_agg_key(const struct flowd_agg *, const struct flowd_agg_def *,
                   const struct flowd_rec *, uint8_t *key);

#endif /* flow-agg.h */
