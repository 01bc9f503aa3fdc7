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

#ifndef L2MT_FLOWD_DAEMON_H
#define L2MT_FLOWD_DAEMON_H 1

/* The l2mt-flowd daemon: the receive loop, interval closes, recovery of
 * saved intervals, the control socket and the metrics endpoint, on Open
 * vSwitch's poll loop, vlog, daemon, unixctl and coverage. */

#include <stdbool.h>
#include <stddef.h>

#include "flowd/flowd-inputs.h"
#include "flowd/flowd-ipfix-in.h"

#define FLOWD_MAX_LISTENERS 8
#define FLOWD_MAX_WORKERS 64

struct flowd_daemon_config {
    const char *listen[FLOWD_MAX_LISTENERS];    /* sFlow, ADDR:PORT. */
    size_t n_listen;
    struct flowd_inputs inputs;
    const char *state_dir;
    const char *metrics;        /* [ADDR]:PORT, or NULL. */
    unsigned int interval;      /* Seconds. */
    unsigned int keep_intervals;
    unsigned int report_intervals;
    unsigned int top;
    unsigned int max_keys, max_macs, max_sources;
    unsigned int prefix4, prefix6;
    unsigned int store_mb, store_files;
    bool store;
    const char **aggs;
    size_t n_aggs;
    const char **ipfix;         /* Upstreams. */
    size_t n_ipfix;
    unsigned int domain;
    unsigned int workers;
    const char *ipfix_listen[FLOWD_MAX_LISTENERS];  /* [udp:|tcp:]A:P */
    size_t n_ipfix_listen;
    struct flowd_ipfix_in_config ipfix_in;
    const char *unixctl;        /* Control socket, NULL for the default. */
};

/* Runs the daemon until "ovs-appctl exit", SIGTERM or SIGINT: configuration
 * errors end the program (before detaching, with --detach).  The caller
 * has parsed Open vSwitch's daemon and vlog options.  Returns the exit
 * status. */
int flowd_daemon_run(const struct flowd_daemon_config *);

#endif /* flowd-daemon.h */
