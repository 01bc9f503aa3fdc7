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

/* The state directory: every closed interval is saved first, then its
 * JSON, CSV, IPFIX export and the report follow; at start, saved intervals
 * are loaded back and whatever a previous run did not finish is done. */

#include <config.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "coverage.h"
#include "flowd/flow-agg.h"
#include "flowd/flowd-advise.h"
#include "flowd/flowd-daemon-private.h"
#include "flowd/flowd-file.h"
#include "flowd/flowd-inputs.h"
#include "flowd/flowd-interval.h"
#include "flowd/flowd-output.h"
#include "flowd/flowd-topo.h"
#include "openvswitch/vlog.h"
#include "timeval.h"
#include "util.h"

VLOG_DEFINE_THIS_MODULE(flowd_recover);

COVERAGE_DEFINE(flowd_interval_written);
COVERAGE_DEFINE(flowd_interval_recovered);
COVERAGE_DEFINE(flowd_export_failed);

/* The malloc'd name of the file of the interval starting at 'start'. */
static char *
interval_path(const struct flowd_daemon *d, int dir, uint64_t start,
              const char *ext)
{
    return xasprintf("%s/%013" PRIu64 "%s", d->dirs[dir], start, ext);
}

/* Replaces 'path' with what 'fn' writes, whole (flowd_file_write()). */
static bool
write_atomic(const char *path, bool (*fn)(FILE *, const void *),
             const void *aux)
{
    int error = flowd_file_write(path, fn, aux, false);

    if (error) {
        VLOG_ERR("%s: %s", path, ovs_strerror(error));
        return false;
    }
    return true;
}

static bool
json_fn(FILE *f, const void *iv)
{
    flowd_output_json(f, iv);
    return true;
}

static bool
csv_fn(FILE *f, const void *iv)
{
    flowd_output_csv(f, iv);
    return true;
}

static bool
report_fn(FILE *f, const void *d_)
{
    const struct flowd_daemon *d = d_;

    flowd_output_html(f, d->history, d->n_history, d->cfg->top,
                      "l2mt-flowd traffic report", d->advice_html);
    return true;
}

static void
write_report(struct flowd_daemon *d)
{
    char *path = xasprintf("%s/report.html", d->cfg->state_dir);

    write_atomic(path, report_fn, d);
    free(path);
}

/* Keeps the report's history, with only the aggregations it draws: the
 * per-port table only for the last interval, the only one it shows. */
static void
remember(struct flowd_daemon *d, struct flowd_interval *iv)
{
    flowd_interval_keep(iv, flowd_builtin_names);
    if (d->n_history) {
        flowd_interval_keep(d->history[d->n_history - 1],
                            flowd_history_names);
    }
    if (d->n_history == d->cfg->report_intervals) {
        flowd_interval_free(d->history[0]);
        memmove(d->history, d->history + 1,
                (d->n_history - 1) * sizeof *d->history);
        d->n_history--;
    }
    d->history[d->n_history++] = iv;
}

/* Everything after the interval is safely on disk; also run for intervals
 * a previous run saved but did not finish. */
static void
finish_interval(struct flowd_daemon *d, struct flowd_interval *iv)
{
    char *path, *marker;

    path = interval_path(d, DIR_JSON, iv->start_ms, ".json");
    if (access(path, F_OK)) {
        write_atomic(path, json_fn, iv);
    }
    free(path);
    path = interval_path(d, DIR_CSV, iv->start_ms, ".csv");
    if (access(path, F_OK)) {
        write_atomic(path, csv_fn, iv);
    }
    free(path);
    marker = interval_path(d, DIR_INTERVALS, iv->start_ms, ".exported");
    if (d->ipfix.n && access(marker, F_OK)) {
        if (flowd_ipfix_export(&d->ipfix, iv, time_wall())) {
            int fd = open(marker, O_WRONLY | O_CREAT, 0644);
            if (fd >= 0) {
                close(fd);
            }
        } else {
            COVERAGE_INC(flowd_export_failed);
            VLOG_WARN("export of interval %" PRIu64 " failed for some "
                      "upstream (will retry at restart)", iv->start_ms);
        }
    }
    free(marker);
}

/* Deletes the oldest saved intervals beyond --keep-intervals. */
static void
prune_intervals(struct flowd_daemon *d)
{
    struct dirent **list;
    int n = scandir(d->dirs[DIR_INTERVALS], &list, NULL, alphasort);
    int kept = 0;

    for (int i = n - 1; i >= 0; i--) {
        const char *name = list[i]->d_name;
        size_t l = strlen(name);

        if (l > 9 && !strcmp(name + l - 9, ".interval")
            && ++kept > (int) d->cfg->keep_intervals) {
            static const struct {
                int dir;
                const char *ext;
            } files[] = {
                { DIR_INTERVALS, ".interval" },
                { DIR_INTERVALS, ".exported" },
                { DIR_JSON, ".json" },
                { DIR_CSV, ".csv" },
            };
            uint64_t start = strtoull(name, NULL, 10);

            for (size_t f = 0; f < ARRAY_SIZE(files); f++) {
                char *path = interval_path(d, files[f].dir, start,
                                           files[f].ext);
                unlink(path);
                free(path);
            }
        }
    }
    for (int i = 0; i < n; i++) {
        free(list[i]);
    }
    if (n >= 0) {
        free(list);
    }
}

/* On the writer thread: the report's placement advice from 'iv' (which
 * still has every aggregation), with the receive side's topology: a
 * reference to it, so that a reload meanwhile frees it only after us.  It
 * is loaded once per reload, not per interval (with --db each load runs
 * l2mt-ctl). */
static void
advise(struct flowd_daemon *d, const struct flowd_interval *iv)
{
    char *buf = NULL;
    size_t len;
    struct flowd_topo *t = NULL;

    for (uint32_t i = 0; i < iv->n_aggs && !t; i++) {
        if (flowd_agg_def_field_offset(&iv->aggs[i].def,
                                       FLOWD_AGG_SRC_MAC) >= 0
            && flowd_agg_def_field_offset(&iv->aggs[i].def,
                                          FLOWD_AGG_DST_MAC) >= 0) {
            pthread_mutex_lock(&d->loc_mutex);
            t = flowd_topo_ref(d->core.loc.topo);
            pthread_mutex_unlock(&d->loc_mutex);
        }
    }
    FILE *f = open_memstream(&buf, &len);

    if (f) {
        flowd_advise_html(f, iv, t, 5, d->cfg->top);
        if (fclose(f)) {
            free(buf);
            buf = NULL;
        }
    }
    flowd_topo_destroy(t);
    free(d->advice_html);
    d->advice_html = buf;
}

/* On the writer thread: everything slow about a closed interval, saving
 * it first. */
void
flowd_recover_write(struct flowd_interval *iv, void *d_)
{
    struct flowd_daemon *d = d_;
    uint64_t rows = 0;

    int error = flowd_interval_save(iv, d->dirs[DIR_INTERVALS]);
    if (error) {
        VLOG_ERR("%s: saving interval %" PRIu64 ": %s",
                 d->dirs[DIR_INTERVALS], iv->start_ms, ovs_strerror(error));
    }
    for (uint32_t i = 0; i < iv->n_aggs; i++) {
        rows += iv->aggs[i].n_rows;
    }
    COVERAGE_INC(flowd_interval_written);
    VLOG_INFO("closed %" PRIu64 "..%" PRIu64 ": %" PRIu64 " rows in %"
              PRIu32 " aggregations", iv->start_ms, iv->end_ms, rows,
              iv->n_aggs);
    finish_interval(d, iv);
    advise(d, iv);
    remember(d, iv);
    prune_intervals(d);
    write_report(d);
    /* This thread has no poll loop to move its counts to the totals. */
    coverage_try_clear();
}

/* The state directory and its subdirectories, made if missing. */
void
flowd_recover_dirs(struct flowd_daemon *d)
{
    static const char *const sub[N_DIRS] = {
        "intervals", "json", "csv", "samples"
    };
    const char *state = d->cfg->state_dir;

    if (mkdir(state, 0755) && errno != EEXIST) {
        ovs_fatal(errno, "%s", state);
    }
    for (int i = 0; i < N_DIRS; i++) {
        d->dirs[i] = xasprintf("%s/%s", state, sub[i]);
        if (mkdir(d->dirs[i], 0755) && errno != EEXIST) {
            ovs_fatal(errno, "%s", d->dirs[i]);
        }
    }
}

/* Loads saved intervals: the newest into the report, and finishes any the
 * previous run did not export. */
void
flowd_recover(struct flowd_daemon *d)
{
    struct dirent **list;
    int n = scandir(d->dirs[DIR_INTERVALS], &list, NULL, alphasort);
    int loaded = 0;

    for (int i = 0; i < n; i++) {
        const char *name = list[i]->d_name;
        size_t l = strlen(name);

        if (l > 9 && !strcmp(name + l - 9, ".interval")) {
            char *path = xasprintf("%s/%s", d->dirs[DIR_INTERVALS], name);
            char *error;
            struct flowd_interval *iv = flowd_interval_load(path, &error);

            free(path);
            if (!iv) {
                VLOG_WARN("%s (skipped)", error);
                free(error);
            } else {
                finish_interval(d, iv);
                flowd_metrics_interval(&d->core.metrics, iv);
                remember(d, iv);
                COVERAGE_INC(flowd_interval_recovered);
                loaded++;
            }
        }
        free(list[i]);
    }
    if (n >= 0) {
        free(list);
    }
    if (loaded) {
        VLOG_INFO("recovered %d saved intervals", loaded);
        write_report(d);
    }
}
