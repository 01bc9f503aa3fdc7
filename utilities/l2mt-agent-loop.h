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

#ifndef L2MT_AGENT_LOOP_H
#define L2MT_AGENT_LOOP_H 1

/* l2mt-agent run: apply now and whenever something may have changed
 * (SIGHUP or agent/reload, the config file, a link going up or down, an
 * Open vSwitch daemon restarting), retrying failures with a bounded
 * backoff.  Daemon options (--detach, --pidfile, --monitor, ...) are Open
 * vSwitch's (lib/daemon.h), set before this is called. */

#include "agent/ovsdb.h"

struct agent_loop_opts {
    const char *config;         /* Absolute path. */
    const char *host;           /* Host block name. */
    struct agent_ovs ovs;
    const char *inventory;      /* From the command line, or NULL. */
    int interval;               /* Seconds between drift checks. */
    int max_backoff;            /* Seconds, the most between retries. */
    const char *fleet;          /* Fleet database remotes, or NULL: then
                                 * 'config' is where the last config
                                 * applied from it is kept. */
    int probe_interval;         /* Milliseconds between overlay probe
                                 * rounds, 0 for none. */
    const char *metrics;        /* "[ADDR]:PORT" to serve metrics, or
                                 * NULL. */
    const char *appctl;         /* ovs-appctl program. */
    const char *vswitchd;       /* ovs-vswitchd's control socket (or
                                 * "ovs-vswitchd" to find it like
                                 * ovs-appctl). */
    int trace_timeout;          /* Seconds a trace may take. */
};

/* Runs until "ovs-appctl exit" or a fatal signal.  Returns the exit
 * status. */
int agent_loop_run(const struct agent_loop_opts *);

#endif /* l2mt-agent-loop.h */
