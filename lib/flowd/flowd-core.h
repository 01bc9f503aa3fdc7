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

#ifndef L2MT_FLOWD_CORE_H
#define L2MT_FLOWD_CORE_H 1

/* The per-datagram path: decode, classify, aggregate, store.  The daemon
 * and the benchmark both run exactly this. */

#include <pthread.h>
#include <stddef.h>
#include <stdint.h>

#include "flowd/flow-agg.h"
#include "flowd/flowd-locality.h"
#include "flowd/flowd-metrics.h"
#include "flowd/flowd-store.h"
#include "flowd/sflow.h"

struct flowd_core {
    struct flowd_sflow_datagram *dg;
    struct flowd_rec *recs;     /* One datagram's classified samples. */
    struct flowd_locator loc;
    struct flowd_agg agg;
    struct flowd_metrics metrics;
    struct flowd_store *store;  /* NULL: raw samples are not kept. */

    /* With several receive workers: the one locator (learned MACs are
     * everyone's) and the one store, each behind its mutex.  NULL: 'loc'
     * and 'store' are this core's alone. */
    struct flowd_locator *shared_loc;
    pthread_mutex_t *loc_mutex, *store_mutex;
};

/* Makes 'core' classify with 'loc' under 'loc_mutex' and store into
 * 'store' (may be NULL) under 'store_mutex'. */
void flowd_core_share(struct flowd_core *, struct flowd_locator *loc,
                      pthread_mutex_t *loc_mutex, struct flowd_store *store,
                      pthread_mutex_t *store_mutex);

/* Sets up the built-in aggregations plus none of the user's.  Like
 * flowd_core_add_agg(), returns NULL or a malloc'd error message for the
 * caller to free. */
char *flowd_core_init(struct flowd_core *, uint32_t max_macs,
                      uint32_t max_keys, uint32_t max_sources,
                      uint8_t prefix4, uint8_t prefix6)
    __attribute__((warn_unused_result));
void flowd_core_destroy(struct flowd_core *);
char *flowd_core_add_agg(struct flowd_core *, const char *spec)
    __attribute__((warn_unused_result));

/* Returns the decoder's verdict; a bad datagram is counted and skipped. */
enum flowd_sflow_error flowd_core_datagram(struct flowd_core *, const void *,
                                           size_t, uint64_t now_ms);

#endif /* flowd-core.h */
