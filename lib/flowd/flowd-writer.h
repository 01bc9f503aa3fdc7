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

#ifndef L2MT_FLOWD_WRITER_H
#define L2MT_FLOWD_WRITER_H 1

/* The writer thread: closed intervals go through a bounded queue to a
 * thread that does everything slow with them (saving, JSON/CSV, IPFIX
 * export, the report), so that the receive path never waits for a disk or
 * a report.  Nothing is dropped: when the queue is full, submitting waits
 * for room (and counts the wait), which bounds memory. */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct flowd_interval;
struct flowd_writer;

/* 'fn' runs on the writer thread for each interval, in submission order,
 * and owns it from then on. */
typedef void flowd_writer_fn(struct flowd_interval *, void *aux);

/* Starts the writer thread into '*wp'.  Returns 0 or an errno value. */
int flowd_writer_start(size_t max_queued, flowd_writer_fn *, void *aux,
                       struct flowd_writer **wp)
    __attribute__((warn_unused_result));
void flowd_writer_submit(struct flowd_writer *, struct flowd_interval *);
/* Writes everything queued, then stops the thread and frees 'w'. */
void flowd_writer_stop(struct flowd_writer *);

struct flowd_writer_stats {
    uint64_t submitted, written;
    uint64_t full_waits;        /* Submissions that waited for room. */
    size_t queued;
};
void flowd_writer_stats(struct flowd_writer *, struct flowd_writer_stats *);

#endif /* flowd-writer.h */
