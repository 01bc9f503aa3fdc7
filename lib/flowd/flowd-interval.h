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

#ifndef L2MT_FLOWD_INTERVAL_H
#define L2MT_FLOWD_INTERVAL_H 1

/* A closed aggregation interval: a self-contained snapshot (with the tenant
 * names it refers to) that is saved to disk before anything else is done
 * with it, so a restart loses no closed interval. */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "flowd/flow-agg.h"

struct flowd_topo;

struct flowd_interval_tenant {
    char name[64];
    uint32_t key;
};

struct flowd_interval_agg {
    struct flowd_agg_def def;
    uint32_t n_rows;
    uint8_t *keys;              /* n_rows x def.key_len bytes. */
    struct flowd_agg_val *vals;
    struct flowd_agg_val overflow;
    uint64_t n_overflow;
};

struct flowd_interval {
    uint64_t start_ms, end_ms;
    uint32_t n_tenants;
    struct flowd_interval_tenant *tenants;
    uint32_t n_aggs;
    struct flowd_interval_agg aggs[FLOWD_AGG_MAX];
};

struct flowd_interval *flowd_interval_snapshot(struct flowd_agg *,
                                               const struct flowd_topo *,
                                               uint64_t start_ms,
                                               uint64_t end_ms);
void flowd_interval_free(struct flowd_interval *);

/* Frees every aggregation whose name 'keep' (NULL-terminated) lacks, so a
 * long history holds only what the report needs. */
void flowd_interval_keep(struct flowd_interval *, const char *const *keep);

/* The aggregation called 'name', or NULL. */
const struct flowd_interval_agg *flowd_interval_find(
    const struct flowd_interval *, const char *name);
const char *flowd_interval_tenant(const void *interval, uint16_t tenant);

/* Saves to DIR/START_MS.interval atomically (temporary file, fsync,
 * rename).  Returns 0 or an errno value. */
int flowd_interval_save(const struct flowd_interval *, const char *dir)
    __attribute__((warn_unused_result));
/* Decode a saved interval or load one from 'path': NULL on error with a
 * malloc'd message in '*errp' (the file name first, for a load) for the
 * caller to free. */
struct flowd_interval *flowd_interval_decode(const void *, size_t,
                                             char **errp);
struct flowd_interval *flowd_interval_load(const char *path, char **errp);

#endif /* flowd-interval.h */
