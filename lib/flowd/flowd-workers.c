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

/* --workers N > 1: N receive threads on the same ports (SO_REUSEPORT),
 * each with its own sockets and tables, sharing the locator and the store.
 * At each interval end a worker takes in what the kernel received before
 * the end, then waits until the main thread has merged its tables.  They
 * run only libflowd's code (no Open vSwitch poll loop): a blocking poll()
 * on their own sockets, bounded so that a stop request is seen soon. */

#include <config.h>

#include <errno.h>
#include <limits.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>

#include "flowd/flowd-daemon-private.h"
#include "openvswitch/vlog.h"
#include "util.h"

VLOG_DEFINE_THIS_MODULE(flowd_workers);

static void *
worker_main(void *w_)
{
    struct flowd_worker *w = w_;
    struct flowd_daemon *d = w->d;
    size_t n = d->cfg->n_listen;
    uint64_t cur = d->cur_start, now, got = 0;

    while (!__atomic_load_n(&d->stopping, __ATOMIC_ACQUIRE)) {
        uint64_t end = cur + d->interval_ms, before;
        struct pollfd pfd[FLOWD_MAX_LISTENERS];
        bool waiting = false, holdoff = got && got < FLOWD_BATCH;
        int timeout;

        for (size_t i = 0; i < n; i++) {
            pfd[i] = (struct pollfd) { .fd = w->udp[i].fd, .events = POLLIN };
            waiting |= flowd_listener_waiting(&w->udp[i], end);
        }
        now = flowd_wall_ms();
        timeout = waiting ? 0 : end > now ? (int) MIN(end - now, 200) : 0;
        if (holdoff && timeout) {
            /* A partial batch last time: sleep, then read whatever came
             * (FLOWD_HOLDOFF_MS). */
            timeout = MIN(timeout, FLOWD_HOLDOFF_MS);
        }
        if (poll(pfd, holdoff ? 0 : n, timeout) < 0 && errno != EINTR) {
            VLOG_ERR("poll: %s", ovs_strerror(errno));
        }
        pthread_mutex_lock(&w->mutex);
        before = w->core.metrics.datagrams;
        for (size_t i = 0; i < n; i++) {
            if (holdoff || pfd[i].revents & POLLIN
                || w->udp[i].next < w->udp[i].n) {
                flowd_listener_receive(&w->core, &w->udp[i], end, 16);
            }
        }
        got = w->core.metrics.datagrams - before;
        pthread_mutex_unlock(&w->mutex);

        if (flowd_wall_ms() >= end) {
            pthread_mutex_lock(&w->mutex);
            for (size_t i = 0; i < n; i++) {
                flowd_listener_receive(&w->core, &w->udp[i], end, INT_MAX);
            }
            pthread_mutex_unlock(&w->mutex);

            pthread_mutex_lock(&d->sync);
            w->arrived = end;
            pthread_cond_broadcast(&d->sync_cond);
            while (d->released < end && !d->stopping) {
                pthread_cond_wait(&d->sync_cond, &d->sync);
            }
            pthread_mutex_unlock(&d->sync);
            cur = end;
        }
    }

    /* Stopping: what was received so far goes into the last interval. */
    pthread_mutex_lock(&w->mutex);
    now = flowd_wall_ms();
    for (size_t i = 0; i < n; i++) {
        flowd_listener_receive(&w->core, &w->udp[i], now, INT_MAX);
    }
    pthread_mutex_unlock(&w->mutex);
    return NULL;
}

/* Each worker's tables and sockets (before detaching: a port in use fails
 * here). */
void
flowd_workers_create(struct flowd_daemon *d)
{
    const struct flowd_daemon_config *cfg = d->cfg;

    d->workers = xcalloc(d->n_workers, sizeof *d->workers);
    for (size_t w = 0; w < d->n_workers; w++) {
        struct flowd_worker *wk = &d->workers[w];

        wk->d = d;
        pthread_mutex_init(&wk->mutex, NULL);
        /* Its own locator stays unused (and small). */
        char *error = flowd_core_init(&wk->core, 16, cfg->max_keys,
                                      cfg->max_sources, cfg->prefix4,
                                      cfg->prefix6);
        if (error) {
            ovs_fatal(0, "%s", error);
        }
        for (size_t i = 0; i < cfg->n_aggs; i++) {
            error = flowd_core_add_agg(&wk->core, cfg->aggs[i]);
            if (error) {
                ovs_fatal(0, "--aggregate %s: %s", cfg->aggs[i], error);
            }
        }
        flowd_daemon_open_sflow(wk->udp, cfg, true);
    }
}

void
flowd_workers_start(struct flowd_daemon *d)
{
    for (size_t w = 0; w < d->n_workers; w++) {
        struct flowd_worker *wk = &d->workers[w];
        int error;

        flowd_core_share(&wk->core, &d->core.loc, &d->loc_mutex,
                         d->core.store, &d->store_mutex);
        error = pthread_create(&wk->thread, NULL, worker_main, wk);
        if (error) {
            ovs_fatal(error, "worker thread");
        }
    }
}

/* Waits until every worker is done with the interval ending at 'end' and
 * merges their tables into the main thread's. */
void
flowd_workers_gather(struct flowd_daemon *d, uint64_t end)
{
    pthread_mutex_lock(&d->sync);
    for (size_t w = 0; w < d->n_workers; ) {
        if (d->workers[w].arrived >= end) {
            w++;
        } else {
            pthread_cond_wait(&d->sync_cond, &d->sync);
        }
    }
    pthread_mutex_unlock(&d->sync);
    for (size_t w = 0; w < d->n_workers; w++) {
        flowd_agg_merge(&d->core.agg, &d->workers[w].core.agg);
        flowd_agg_clear(&d->workers[w].core.agg);
    }
}

void
flowd_workers_release(struct flowd_daemon *d, uint64_t end)
{
    pthread_mutex_lock(&d->sync);
    d->released = end;
    pthread_cond_broadcast(&d->sync_cond);
    pthread_mutex_unlock(&d->sync);
}

/* Stops the workers and merges what they received since the last close. */
void
flowd_workers_stop(struct flowd_daemon *d)
{
    pthread_mutex_lock(&d->sync);
    __atomic_store_n(&d->stopping, true, __ATOMIC_RELEASE);
    pthread_cond_broadcast(&d->sync_cond);
    pthread_mutex_unlock(&d->sync);
    for (size_t w = 0; w < d->n_workers; w++) {
        pthread_join(d->workers[w].thread, NULL);
        flowd_agg_merge(&d->core.agg, &d->workers[w].core.agg);
    }
}
