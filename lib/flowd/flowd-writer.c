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
#include "flowd/flowd-writer.h"

#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct flowd_writer {
    pthread_t thread;
    pthread_mutex_t mutex;
    pthread_cond_t nonempty, nonfull;
    flowd_writer_fn *fn;
    void *aux;
    struct flowd_interval **ring;
    size_t cap, head, n;
    bool stopping;
    struct flowd_writer_stats stats;
};

static void *
writer_main(void *w_)
{
    struct flowd_writer *w = w_;

    pthread_mutex_lock(&w->mutex);
    for (;;) {
        while (!w->n && !w->stopping) {
            pthread_cond_wait(&w->nonempty, &w->mutex);
        }
        if (!w->n) {
            break;              /* Stopping and drained. */
        }
        struct flowd_interval *iv = w->ring[w->head];
        w->head = (w->head + 1) % w->cap;
        w->n--;
        pthread_cond_signal(&w->nonfull);
        pthread_mutex_unlock(&w->mutex);

        w->fn(iv, w->aux);

        pthread_mutex_lock(&w->mutex);
        w->stats.written++;
    }
    pthread_mutex_unlock(&w->mutex);
    return NULL;
}

int
flowd_writer_start(size_t max_queued, flowd_writer_fn *fn, void *aux,
                   struct flowd_writer **wp)
{
    struct flowd_writer *w = calloc(1, sizeof *w);

    *wp = NULL;
    if (!w || !(w->ring = calloc(max_queued ? max_queued : 1,
                                 sizeof *w->ring))) {
        free(w);
        return ENOMEM;
    }
    w->cap = max_queued ? max_queued : 1;
    w->fn = fn;
    w->aux = aux;
    pthread_mutex_init(&w->mutex, NULL);
    pthread_cond_init(&w->nonempty, NULL);
    pthread_cond_init(&w->nonfull, NULL);
    int error = pthread_create(&w->thread, NULL, writer_main, w);
    if (error) {
        free(w->ring);
        free(w);
        return error;
    }
    *wp = w;
    return 0;
}

void
flowd_writer_submit(struct flowd_writer *w, struct flowd_interval *iv)
{
    pthread_mutex_lock(&w->mutex);
    if (w->n == w->cap) {
        w->stats.full_waits++;
        while (w->n == w->cap) {
            pthread_cond_wait(&w->nonfull, &w->mutex);
        }
    }
    w->ring[(w->head + w->n) % w->cap] = iv;
    w->n++;
    w->stats.submitted++;
    pthread_cond_signal(&w->nonempty);
    pthread_mutex_unlock(&w->mutex);
}

void
flowd_writer_stop(struct flowd_writer *w)
{
    if (!w) {
        return;
    }
    pthread_mutex_lock(&w->mutex);
    w->stopping = true;
    pthread_cond_signal(&w->nonempty);
    pthread_mutex_unlock(&w->mutex);
    pthread_join(w->thread, NULL);
    pthread_mutex_destroy(&w->mutex);
    pthread_cond_destroy(&w->nonempty);
    pthread_cond_destroy(&w->nonfull);
    free(w->ring);
    free(w);
}

void
flowd_writer_stats(struct flowd_writer *w, struct flowd_writer_stats *s)
{
    pthread_mutex_lock(&w->mutex);
    *s = w->stats;
    s->queued = w->n;
    pthread_mutex_unlock(&w->mutex);
}
