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

#ifndef L2MT_FLOWD_DAEMON_PRIVATE_H
#define L2MT_FLOWD_DAEMON_PRIVATE_H 1

/* The daemon's state, shared by its files: flowd-daemon.c (setup and the
 * main loop), flowd-workers.c (receive threads), flowd-recover.c (saved
 * intervals and their outputs), flowd-prometheus.c (the metrics). */

#include <limits.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>

#include "flowd/flowd-core.h"
#include "flowd/flowd-daemon.h"
#include "flowd/flowd-listen.h"
#include "flowd/flowd-store.h"
#include "flowd/ipfix.h"

struct flowd_interval;
struct metrics_server;

enum { DIR_INTERVALS, DIR_JSON, DIR_CSV, DIR_SAMPLES, N_DIRS };

struct flowd_daemon {
    const struct flowd_daemon_config *cfg;
    struct flowd_core core;
    struct flowd_store store;
    struct flowd_ipfix_exporter ipfix;
    struct flowd_listener udp[FLOWD_MAX_LISTENERS];
    size_t n_udp;
    struct flowd_ipfix_in_collector *ipfix_in; /* Always on the main thread. */
    struct flowd_listener ipfix_udp[FLOWD_MAX_LISTENERS];
    size_t n_ipfix_udp;
    int ipfix_tcp[FLOWD_MAX_LISTENERS];
    size_t n_ipfix_tcp;
    struct metrics_server *metrics;
    uint64_t interval_ms, cur_start;
    /* The last turn read some datagrams but not a full batch: wait
     * FLOWD_HOLDOFF_MS before reading again (see flowd-listen.h). */
    bool holdoff;
    uint64_t overflow_total[FLOWD_AGG_MAX];   /* Of the closed intervals. */
    uint64_t n_closed;                  /* Intervals closed by this run. */

    /* --workers N > 1: N receive threads, each with its own sockets and
     * tables, sharing the locator and the store; they stop at each
     * interval end until the main thread has merged their tables. */
    struct flowd_worker *workers;
    size_t n_workers;
    /* 'loc_mutex' also guards core.loc.topo against a reload while the
     * writer thread takes a reference to it. */
    pthread_mutex_t loc_mutex, store_mutex;
    pthread_mutex_t sync;
    pthread_cond_t sync_cond;
    uint64_t released;          /* Intervals up to here are merged. */
    bool stopping;

    /* Owned by the writer thread once it runs. */
    struct flowd_writer *writer;
    struct flowd_interval **history;
    size_t n_history;
    char *advice_html;          /* The report's placement advice section. */

    uint64_t inputs_sig;
    char *dirs[N_DIRS];         /* intervals, json, csv, samples. */
};

struct flowd_worker {
    struct flowd_daemon *d;
    pthread_t thread;
    pthread_mutex_t mutex;      /* Held while it processes datagrams. */
    struct flowd_core core;
    struct flowd_listener udp[FLOWD_MAX_LISTENERS];
    uint64_t arrived;           /* Interval ends it is done with (sync). */
};

/* flowd-daemon.c. */
void flowd_daemon_open_sflow(struct flowd_listener udp[],
                             const struct flowd_daemon_config *,
                             bool reuseport);

/* flowd-workers.c. */
void flowd_workers_create(struct flowd_daemon *);
void flowd_workers_start(struct flowd_daemon *);
void flowd_workers_gather(struct flowd_daemon *, uint64_t end);
void flowd_workers_release(struct flowd_daemon *, uint64_t end);
void flowd_workers_stop(struct flowd_daemon *);

/* flowd-recover.c. */
void flowd_recover_dirs(struct flowd_daemon *);
void flowd_recover(struct flowd_daemon *);
void flowd_recover_write(struct flowd_interval *, void *d);

/* flowd-prometheus.c. */
void flowd_prometheus_render(FILE *, void *d);

#endif /* flowd-daemon-private.h */
