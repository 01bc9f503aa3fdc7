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
#include "flowd/flowd-core.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "flowd/flowd-output.h"
#include "l2mt-conf-util.h"

char *
flowd_core_init(struct flowd_core *core, uint32_t max_macs, uint32_t max_keys,
                uint32_t max_sources, uint8_t prefix4, uint8_t prefix6)
{
    memset(core, 0, sizeof *core);
    core->dg = malloc(sizeof *core->dg);
    core->recs = malloc(FLOWD_SFLOW_MAX_SAMPLES * sizeof *core->recs);
    if (!core->dg || !core->recs || !flowd_locator_init(&core->loc, max_macs)
        || !flowd_metrics_init(&core->metrics, max_sources)) {
        return l2mt_xstrdup("out of memory");
    }
    flowd_agg_init(&core->agg, max_keys, prefix4, prefix6);
    for (int i = 0; flowd_builtin_aggs[i]; i++) {
        char *error = flowd_core_add_agg(core, flowd_builtin_aggs[i]);
        if (error) {
            return error;
        }
    }
    core->agg.defs[core->agg.n - 1].all_samples = true;     /* port_vlan */
    return NULL;
}

void
flowd_core_destroy(struct flowd_core *core)
{
    free(core->dg);
    free(core->recs);
    flowd_locator_destroy(&core->loc);
    flowd_agg_destroy(&core->agg);
    flowd_metrics_destroy(&core->metrics);
}

char *
flowd_core_add_agg(struct flowd_core *core, const char *spec)
{
    struct flowd_agg_def def;

    char *error = flowd_agg_def_parse(spec, &def);
    if (error) {
        return error;
    }
    for (size_t i = 0; i < core->agg.n; i++) {
        if (!strcmp(core->agg.defs[i].name, def.name)) {
            return l2mt_xasprintf("aggregation name '%s' used twice",
                                  def.name);
        }
    }
    if (!flowd_agg_add_def(&core->agg, &def)) {
        return l2mt_xasprintf("at most %d aggregations", FLOWD_AGG_MAX);
    }
    return NULL;
}

void
flowd_core_share(struct flowd_core *core, struct flowd_locator *loc,
                 pthread_mutex_t *loc_mutex, struct flowd_store *store,
                 pthread_mutex_t *store_mutex)
{
    core->shared_loc = loc;
    core->loc_mutex = loc_mutex;
    core->store = store;
    core->store_mutex = store_mutex;
}

enum flowd_sflow_error
flowd_core_datagram(struct flowd_core *core, const void *data, size_t len,
                    uint64_t now_ms)
{
    struct flowd_metrics *m = &core->metrics;
    struct flowd_sflow_datagram *dg = core->dg;
    enum flowd_sflow_error error = flowd_sflow_decode(data, len, dg);

    m->datagrams++;
    if (error) {
        m->errors[error]++;
        return error;
    }
    m->unknown_samples += dg->n_unknown_samples;
    m->unknown_records += dg->n_unknown_records;
    struct flowd_locator *loc = core->shared_loc ? core->shared_loc
                                                 : &core->loc;
    if (core->loc_mutex) {
        pthread_mutex_lock(core->loc_mutex);
    }
    uint16_t here = flowd_agent_host(loc, &dg->agent);
    struct flowd_rec *recs = core->recs;
    size_t n_recs = 0;
    for (uint32_t i = 0; i < dg->n_samples; i++) {
        const struct flowd_sflow_sample *s = &dg->samples[i];

        if (s->type == FLOWD_SFLOW_FLOW) {
            struct flowd_rec *rec = &recs[n_recs++];

            m->flow_samples++;
            flowd_metrics_flow(m, &dg->agent, &s->flow);
            flowd_classify(loc, &dg->agent, here, &s->flow, now_ms, rec);
            m->transit_samples += !rec->counted;
        } else {
            m->counter_samples++;
            flowd_metrics_counters(m, &dg->agent, &s->counters);
        }
    }
    if (core->loc_mutex) {
        pthread_mutex_unlock(core->loc_mutex);
    }
    if (core->store && n_recs) {
        if (core->store_mutex) {
            pthread_mutex_lock(core->store_mutex);
        }
        for (size_t i = 0; i < n_recs; i++) {
            flowd_store_write(core->store, &recs[i]);
        }
        if (core->store_mutex) {
            pthread_mutex_unlock(core->store_mutex);
        }
    }
    flowd_agg_add_batch(&core->agg, recs, n_recs);
    return FLOWD_SFLOW_OK;
}
