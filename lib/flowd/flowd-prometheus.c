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

/* The daemon's metrics in the Prometheus text format, rendered for
 * lib/metrics' endpoint on the main thread.  With receive workers, their
 * counters are summed, each worker stopped for the moment it takes. */

#include <config.h>

#include <inttypes.h>

#include "flowd/flowd-daemon-private.h"
#include "flowd/flowd-ipfix-in.h"
#include "flowd/flowd-writer.h"

static void
write_locator(FILE *f, const struct flowd_locator *loc)
{
    fprintf(f, "# TYPE l2mt_flowd_learned_macs gauge\n"
            "l2mt_flowd_learned_macs %" PRIu32 "\n"
            "# TYPE l2mt_flowd_macs_learned_total counter\n"
            "l2mt_flowd_macs_learned_total %" PRIu64 "\n"
            "# TYPE l2mt_flowd_mac_moves_total counter\n"
            "l2mt_flowd_mac_moves_total %" PRIu64 "\n"
            "# TYPE l2mt_flowd_mac_evictions_total counter\n"
            "l2mt_flowd_mac_evictions_total %" PRIu64 "\n"
            "# TYPE l2mt_flowd_unknown_agent_samples_total counter\n"
            "l2mt_flowd_unknown_agent_samples_total %" PRIu64 "\n",
            loc->learned.n, loc->n_learned, loc->n_moves,
            loc->learned.evictions, loc->n_unknown_agent);
}

static void
write_aggregations(FILE *f, const struct flowd_daemon *d,
                   const uint64_t open_overflow[], const uint64_t rows[])
{
    const struct flowd_agg *agg = &d->core.agg;

    fprintf(f, "# TYPE l2mt_flowd_aggregation_overflow_samples_total "
            "counter\n");
    for (size_t i = 0; i < agg->n; i++) {
        fprintf(f, "l2mt_flowd_aggregation_overflow_samples_total"
                "{aggregation=\"%s\"} %" PRIu64 "\n", agg->defs[i].name,
                d->overflow_total[i] + open_overflow[i]);
    }
    fprintf(f, "# TYPE l2mt_flowd_aggregation_open_overflow_samples "
            "gauge\n");
    for (size_t i = 0; i < agg->n; i++) {
        fprintf(f, "l2mt_flowd_aggregation_open_overflow_samples"
                "{aggregation=\"%s\"} %" PRIu64 "\n", agg->defs[i].name,
                open_overflow[i]);
    }
    fprintf(f, "# TYPE l2mt_flowd_aggregation_rows gauge\n");
    for (size_t i = 0; i < agg->n; i++) {
        fprintf(f, "l2mt_flowd_aggregation_rows{aggregation=\"%s\"} %"
                PRIu64 "\n", agg->defs[i].name, rows[i]);
    }

    /* The sample table (see flow-agg.h) rolled up early because it was
     * full: more often than once an interval, --max-keys is too small for
     * the traffic's distinct sample keys (totals stay exact). */
    uint64_t full = agg->n_full_rollups;
    for (size_t w = 0; w < d->n_workers; w++) {
        full += d->workers[w].core.agg.n_full_rollups;
    }
    fprintf(f, "# TYPE l2mt_flowd_sample_table_full_rollups_total counter\n"
            "l2mt_flowd_sample_table_full_rollups_total %" PRIu64 "\n",
            full);
}

/* The writer, the upstreams, the IPFIX collector and the store. */
static void
write_outputs(FILE *f, struct flowd_daemon *d)
{
    struct flowd_writer_stats ws;

    flowd_writer_stats(d->writer, &ws);
    fprintf(f, "# TYPE l2mt_flowd_writer_queue gauge\n"
            "l2mt_flowd_writer_queue %zu\n"
            "# TYPE l2mt_flowd_intervals_written_total counter\n"
            "l2mt_flowd_intervals_written_total %" PRIu64 "\n"
            "# TYPE l2mt_flowd_writer_waits_total counter\n"
            "l2mt_flowd_writer_waits_total %" PRIu64 "\n",
            ws.queued, ws.written, ws.full_waits);
    fprintf(f, "# TYPE l2mt_flowd_ipfix_records_total counter\n");
    for (size_t i = 0; i < d->ipfix.n; i++) {
        fprintf(f, "l2mt_flowd_ipfix_records_total{upstream=\"%s\"} %"
                PRIu64 "\n", d->ipfix.ups[i].spec,
                __atomic_load_n(&d->ipfix.ups[i].n_records,
                                __ATOMIC_RELAXED));
    }
    if (d->ipfix_in) {
        flowd_ipfix_in_write_metrics(f, d->ipfix_in);
    }
    if (d->core.store) {
        fprintf(f, "# TYPE l2mt_flowd_store_records_total counter\n"
                "l2mt_flowd_store_records_total %" PRIu64 "\n"
                "# TYPE l2mt_flowd_store_files_deleted_total counter\n"
                "l2mt_flowd_store_files_deleted_total %" PRIu64 "\n",
                d->core.store->n_written, d->core.store->n_deleted);
    }
}

void
flowd_prometheus_render(FILE *f, void *d_)
{
    struct flowd_daemon *d = d_;
    struct flowd_core *c = &d->core;
    const struct flowd_metrics *ms[FLOWD_MAX_WORKERS + 1];
    uint64_t open_overflow[FLOWD_AGG_MAX], rows[FLOWD_AGG_MAX];
    size_t n_ms = 0;

    /* The open interval's rows and overflow as of now. */
    flowd_agg_rollup(&c->agg);
    for (size_t i = 0; i < c->agg.n; i++) {
        open_overflow[i] = c->agg.n_overflow[i];
        rows[i] = c->agg.tables[i].n;
    }
    for (size_t w = 0; w < d->n_workers; w++) {
        struct flowd_core *wc = &d->workers[w].core;

        pthread_mutex_lock(&d->workers[w].mutex);
        ms[n_ms++] = &wc->metrics;
        flowd_agg_rollup(&wc->agg);
        for (size_t i = 0; i < c->agg.n; i++) {
            open_overflow[i] += wc->agg.n_overflow[i];
            rows[i] += wc->agg.tables[i].n;
        }
    }
    if (d->n_workers) {
        flowd_metrics_sum(&c->metrics, ms, n_ms);
        pthread_mutex_lock(&d->loc_mutex);
    } else {
        ms[n_ms++] = &c->metrics;
    }
    flowd_metrics_write(f, &c->metrics);
    write_locator(f, &c->loc);
    write_aggregations(f, d, open_overflow, rows);
    flowd_metrics_write_tables(f, ms, n_ms, &c->metrics, &c->loc);
    if (d->n_workers) {
        fprintf(f, "# TYPE l2mt_flowd_worker_datagrams_total counter\n");
        for (size_t w = 0; w < d->n_workers; w++) {
            fprintf(f, "l2mt_flowd_worker_datagrams_total{worker=\"%zu\"} "
                    "%" PRIu64 "\n", w, ms[w]->datagrams);
        }
        pthread_mutex_unlock(&d->loc_mutex);
        for (size_t w = 0; w < d->n_workers; w++) {
            pthread_mutex_unlock(&d->workers[w].mutex);
        }
    }
    write_outputs(f, d);
}
