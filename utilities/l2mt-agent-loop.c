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
#include "l2mt-agent-loop.h"

#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "coverage.h"
#include "daemon.h"
#include "fatal-signal.h"
#include "fleet/fleet-follow.h"
#include "fleet/fleet-persist.h"
#include "l2mt-agent-inventory.h"
#include "l2mt-agent-netlink.h"
#include "l2mt-agent-probe.h"
#include "l2mt-agent-trace.h"
#include "l2mt-agent-sync.h"
#include "l2mt-conf.h"
#include "latch.h"
#include "memory.h"
#include "metrics/metrics-server.h"
#include "openvswitch/dynamic-string.h"
#include "openvswitch/poll-loop.h"
#include "openvswitch/vlog.h"
#include "signals.h"
#include "simap.h"
#include "sset.h"
#include "smap.h"
#include "timeval.h"
#include "unixctl.h"
#include "util.h"

VLOG_DEFINE_THIS_MODULE(l2mt_agent);

COVERAGE_DEFINE(agent_apply);
COVERAGE_DEFINE(agent_apply_failed);
COVERAGE_DEFINE(agent_reload);
COVERAGE_DEFINE(agent_link_event);
COVERAGE_DEFINE(agent_fleet_change);
COVERAGE_DEFINE(agent_drift);

struct agent_loop {
    const struct agent_loop_opts *o;
    struct l2mt_conf *conf;     /* In force, or NULL before a valid one. */
    struct agent_ctx ctx;
    struct agent_sync_opts sync_opts;
    long long stamp;            /* Of the config file, -2 before a look. */
    long long next;             /* time_msec() of the next check. */
    int backoff;                /* Seconds to the next retry. */
    bool need_load, need_sync, exiting, failing;
    long long last_ok;          /* time_msec() of the last good pass. */
    struct fleet_follow *fleet; /* With --fleet. */
    int64_t fleet_cfg;          /* Generation to ack once applied, or -1. */
    char *fleet_text;           /* The config it last wrote to 'config'. */
    bool conf_new;              /* Loaded, not applied yet: what the next
                                 * pass changes is the config's, not drift. */
    int drift;                  /* Differences repaired at the last pass. */
    struct sset bound;          /* VM ports the switch had then. */
    struct agent_probe *probe;  /* Overlay probes, or NULL. */
    struct agent_tracer *tracer;    /* The unixctl "trace". */
    struct metrics_server *metrics; /* With --metrics. */
};

/* SIGHUP wakes the loop through this (a pipe: safe from a handler). */
static struct latch hup_latch;

static void
on_sighup(int sig OVS_UNUSED)
{
    latch_set(&hup_latch);
}

/* Changes when the config file is rewritten or replaced. */
static long long
config_stamp(const char *file)
{
    struct stat st;

    if (stat(file, &st)) {
        return -1;
    }
    return (long long) st.st_mtim.tv_sec * 1000000000LL + st.st_mtim.tv_nsec
           + (long long) st.st_ino * 7 + st.st_size * 13;
}

static void
load_config(struct agent_loop *l)
{
    const struct agent_loop_opts *o = l->o;
    char *errors = NULL;
    struct l2mt_conf *c = l2mt_conf_load(o->config, &errors);
    const struct l2mt_conf_host *h = c ? l2mt_conf_find_host(c, o->host)
                                       : NULL;

    l->need_load = false;
    if (!c || !h) {
        char *line, *save = NULL;

        for (line = errors ? strtok_r(errors, "\n", &save) : NULL;
             line; line = strtok_r(NULL, "\n", &save)) {
            VLOG_ERR("%s", line);
        }
        if (c) {
            VLOG_ERR("%s: no host %s", o->config, o->host);
        }
        VLOG_ERR("config not used; %s", l->conf ? "keeping the previous one"
                 : "waiting for a valid one");
        if (l->fleet && l->fleet_cfg >= 0) {
            fleet_follow_ack(l->fleet, l->fleet_cfg, errors ? errors
                             : "no such host");
            l->fleet_cfg = -1;
        }
        l2mt_conf_free(c);
        free(errors);
        l->need_sync = l->conf != NULL && l->need_sync;
        return;
    }
    l2mt_conf_free(l->conf);
    l->conf = c;
    l->conf_new = true;
    l->ctx.conf = c;
    l->ctx.host = h;
    l->sync_opts.inventory = (o->inventory ? o->inventory
                              : h->inventory ? h->inventory
                              : L2MT_INVENTORY_DEFAULT);
}

static void
sync_switch(struct agent_loop *l, long long now)
{
    struct sset bound = SSET_INITIALIZER(&bound);
    int n_drift = 0;
    bool changed;

    l->need_sync = false;
    COVERAGE_INC(agent_apply);
    l->sync_opts.bound = &bound;
    l->sync_opts.n_drift = &n_drift;
    if (agent_sync(&l->ctx, AGENT_APPLY, &l->sync_opts, &changed)) {
        COVERAGE_INC(agent_apply_failed);
        VLOG_WARN("apply failed: retrying in %d s", l->backoff);
        l->failing = true;
        l->next = now + l->backoff * 1000LL;
        l->backoff = MIN(l->backoff * 2, l->o->max_backoff);
    } else {
        if (l->failing || changed) {
            VLOG_INFO("switch %s", changed ? "re-applied"
                      : "reachable again, in sync");
        }
        /* Changes the config or a VM coming or going explain are not
         * drift. */
        if (l->conf_new || !sset_equals(&bound, &l->bound)) {
            n_drift = 0;
        }
        if (n_drift) {
            COVERAGE_ADD(agent_drift, n_drift);
            VLOG_WARN("the switch had drifted from the config applied (%d "
                      "differences): repaired", n_drift);
        }
        l->failing = false;
        l->last_ok = now;
        if (l->fleet) {
            /* The ports are claimed, and the drift reported, with the
             * acknowledgement (and without one, e.g. a VM port that
             * appeared). */
            fleet_follow_set_drift(l->fleet, n_drift);
            fleet_follow_set_bound(l->fleet, &bound);
            if (l->fleet_cfg >= 0) {
                fleet_follow_ack(l->fleet, l->fleet_cfg, NULL);
                l->fleet_cfg = -1;
            }
        }
        l->drift = n_drift;
        l->conf_new = false;
        sset_swap(&bound, &l->bound);
        l->backoff = 1;
        l->next = now + l->o->interval * 1000LL;
    }
    l->sync_opts.bound = NULL;
    l->sync_opts.n_drift = NULL;
    sset_destroy(&bound);
}

static void
reload(struct agent_loop *l, const char *why)
{
    COVERAGE_INC(agent_reload);
    vlog_reopen_log_file();
    VLOG_INFO("%s: reloading the config and re-applying", why);
    l->need_load = l->need_sync = true;
}

static void
agent_exit(struct unixctl_conn *conn, int argc OVS_UNUSED,
           const char *argv[] OVS_UNUSED, void *l_)
{
    struct agent_loop *l = l_;

    l->exiting = true;
    unixctl_command_reply(conn, NULL);
}

static void
agent_reload(struct unixctl_conn *conn, int argc OVS_UNUSED,
             const char *argv[] OVS_UNUSED, void *l_)
{
    reload(l_, "agent/reload");
    unixctl_command_reply(conn, NULL);
}

static void
agent_status(struct unixctl_conn *conn, int argc OVS_UNUSED,
             const char *argv[] OVS_UNUSED, void *l_)
{
    struct agent_loop *l = l_;
    struct ds s = DS_EMPTY_INITIALIZER;
    long long now = time_msec();

    ds_put_format(&s, "config: %s\nhost: %s\n", l->o->config, l->o->host);
    if (l->fleet) {
        ds_put_format(&s, "fleet: %s, %s\n", l->o->fleet,
                      fleet_follow_is_connected(l->fleet)
                      ? "connected" : "not connected: the config in force "
                      "is the last one applied");
    }
    if (!l->conf) {
        ds_put_cstr(&s, "state: waiting for a valid config\n");
    } else {
        ds_put_format(&s, "tenants: %zu\nstate: %s\n", l->conf->n_tenants,
                      l->failing ? "failing" : "in sync");
        ds_put_format(&s, "drift repaired at the last pass: %d\n",
                      l->drift);
        if (l->last_ok) {
            ds_put_format(&s, "last good pass: %lld s ago\n",
                          (now - l->last_ok) / 1000);
        }
        ds_put_format(&s, "next check in: %lld s\n",
                      MAX(0, l->next - now) / 1000);
    }
    if (l->probe) {
        agent_probe_status(l->probe, &s);
    }
    unixctl_command_reply(conn, ds_cstr(&s));
    ds_destroy(&s);
}

/* agent/probes: the overlay probes' results only ("l2mt-agent status"
 * prints them). */
static void
agent_probes(struct unixctl_conn *conn, int argc OVS_UNUSED,
             const char *argv[] OVS_UNUSED, void *l_)
{
    struct agent_loop *l = l_;
    struct ds s = DS_EMPTY_INITIALIZER;

    if (l->probe) {
        agent_probe_status(l->probe, &s);
    } else {
        ds_put_cstr(&s, "probes: off (--probe-interval=0)\n");
    }
    unixctl_command_reply(conn, ds_cstr(&s));
    ds_destroy(&s);
}

/* The Prometheus endpoint's page. */
static void
render_metrics(FILE *out, void *l_)
{
    struct agent_loop *l = l_;

    fputs("# HELP l2mt_agent_in_sync 1 if the last pass left the switch as "
          "the config wants it.\n"
          "# TYPE l2mt_agent_in_sync gauge\n", out);
    fprintf(out, "l2mt_agent_in_sync %d\n", l->conf && !l->failing);
    if (l->probe) {
        agent_probe_metrics(l->probe, out);
    }
}

/* The fleet database as the config's source.  A new config for this host
 * replaces the --config file (atomically); the file path below then loads
 * and applies it as if an operator had written it, and the same file is
 * what a restart uses while the database is unreachable.  The generation
 * is acknowledged once applied (or refused, with the reason), so that
 * "l2mt-ctl --wait=hv" returns when the change is in the switch. */
static void
fleet_run(struct agent_loop *l)
{
    char *errors = NULL;
    struct l2mt_conf *c;
    bool same = false;
    int64_t cfg;

    fleet_follow_run(l->fleet);
    if (!fleet_follow_changed(l->fleet)) {
        return;
    }
    COVERAGE_INC(agent_fleet_change);
    c = fleet_follow_conf(l->fleet, &errors);
    if (fleet_follow_conf_same(l->fleet)) {
        /* A trace request or a status row: nothing for the switch. */
        l2mt_conf_free(c);
        return;
    }
    cfg = fleet_follow_next_cfg(l->fleet);
    if (c && !l2mt_conf_find_host(c, l->o->host)) {
        errors = xasprintf("the fleet database has no host %s", l->o->host);
    } else if (c) {
        const char *text = fleet_follow_text(l->fleet);

        /* Most changes of the database are not this host's config (other
         * hosts' status rows and claims, its own writes): the file stays
         * as it is, so that it is not reloaded, and a pass that repairs
         * drift meanwhile still counts it. */
        same = l->conf && l->fleet_text && !strcmp(l->fleet_text, text);
        if (!same && !fleet_persist_save(l->o->config, text, &errors)) {
            free(l->fleet_text);
            l->fleet_text = xstrdup(text);
        }
    }
    l2mt_conf_free(c);
    if (errors) {
        VLOG_ERR("fleet database, generation %"PRId64": %s; the config in "
                 "force stays", cfg, errors);
        fleet_follow_ack(l->fleet, cfg, errors);
        free(errors);
    } else {
        VLOG(same ? VLL_DBG : VLL_INFO, "fleet database: generation %"PRId64
             " for host %s%s", cfg, l->o->host, same ? ", no change" : "");
        l->fleet_cfg = cfg;
        l->need_sync |= same;
    }
}

/* The fleet's trace requests for this host (l2mt-db(5), Trace): each runs
 * as the unixctl "trace" does, one at a time, and its result goes to the
 * request's row. */
static void
fleet_trace_run(struct agent_loop *l)
{
    const char *id, *tenant, *packet;
    char *done_id, *result;

    if (agent_tracer_fleet_done(l->tracer, &done_id, &result)) {
        fleet_follow_trace_answer(l->fleet, done_id, result);
        free(done_id);
        free(result);
    }
    if (!agent_tracer_busy(l->tracer)
        && fleet_follow_trace_next(l->fleet, &id, &tenant, &packet)) {
        VLOG_INFO("fleet trace %s: tenant %s, %s", id, tenant, packet);
        agent_tracer_start_fleet(l->tracer, id, tenant, packet);
        if (agent_tracer_fleet_done(l->tracer, &done_id, &result)) {
            fleet_follow_trace_answer(l->fleet, done_id, result);
            free(done_id);
            free(result);
        }
    }
}

static void
run_once(struct agent_loop *l, struct agent_nl_monitor *mon)
{
    long long now = time_msec(), stamp;
    char name[16];

    if (latch_poll(&hup_latch)) {
        reload(l, "SIGHUP");
    }
    if (l->fleet) {
        fleet_run(l);
    }
    stamp = config_stamp(l->o->config);
    if (stamp != l->stamp) {
        if (l->stamp != -2) {
            VLOG_INFO("%s changed: reloading", l->o->config);
        }
        l->stamp = stamp;
        l->need_load = l->need_sync = true;
    }
    if (l->need_load) {
        load_config(l);
    }
    if (mon && agent_nl_monitor_run(mon, name)) {
        COVERAGE_INC(agent_link_event);
        VLOG_INFO("link %s changed: re-applying", name[0] ? name : "?");
        l->need_sync = true;
    }
    if (l->conf && (l->need_sync || now >= l->next)) {
        sync_switch(l, now);
    }
    if (l->probe) {
        agent_probe_run(l->probe, &l->ctx);
        if (l->fleet) {
            struct smap bfd = SMAP_INITIALIZER(&bfd);
            struct smap paths = SMAP_INITIALIZER(&paths);

            if (agent_probe_summary(l->probe, &bfd, &paths)) {
                fleet_follow_set_oam(l->fleet, &bfd, &paths);
            }
            smap_destroy(&bfd);
            smap_destroy(&paths);
        }
    }
    agent_tracer_run(l->tracer);
    if (l->fleet) {
        fleet_trace_run(l);
    }
    if (l->metrics) {
        metrics_server_run(l->metrics);
    }
    if (memory_should_report()) {
        struct simap usage = SIMAP_INITIALIZER(&usage);

        simap_put(&usage, "tenants", l->conf ? l->conf->n_tenants : 0);
        memory_report(&usage);
        simap_destroy(&usage);
    }
}

static void
wait_once(struct agent_loop *l, struct agent_nl_monitor *mon)
{
    /* The config file is looked at once a second. */
    long long wake = time_msec() + 1000;

    if (l->conf && l->next < wake) {
        wake = l->next;
    }
    poll_timer_wait_until(wake);
    latch_wait(&hup_latch);
    if (l->fleet) {
        fleet_follow_wait(l->fleet);
    }
    if (mon) {
        poll_fd_wait(agent_nl_monitor_fd(mon), POLLIN);
    }
    if (l->probe) {
        agent_probe_wait(l->probe);
    }
    agent_tracer_wait(l->tracer);
    if (l->metrics) {
        long long int t = metrics_server_timeout(l->metrics);

        poll_fd_wait(metrics_server_fd(l->metrics), POLLIN);
        if (t >= 0) {
            poll_timer_wait(t);
        }
    }
    memory_wait();
}

int
agent_loop_run(const struct agent_loop_opts *o)
{
    struct agent_loop l = {
        .o = o, .stamp = -2, .backoff = 1,
        .need_load = true, .need_sync = true,
        .sync_opts = { .quiet = true },
        .ctx = { .ovs = o->ovs },
        .fleet_cfg = -1,
    };
    struct unixctl_server *server;
    struct agent_nl_monitor *mon;
    struct sigaction sa;
    int error;

    /* Open vSwitch's daemons die on SIGHUP (lib/fatal-signal.c); the agent
     * has always reloaded on it, as logrotate and systemd's ExecReload
     * expect, so it takes the signal back. */
    fatal_signal_init();
    fatal_ignore_sigpipe();
    latch_init(&hup_latch);
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_sighup;
    sigemptyset(&sa.sa_mask);
    sa.sa_flags = SA_RESTART;
    xsigaction(SIGHUP, &sa, NULL);

    daemonize_start(false);
    error = unixctl_server_create(NULL, &server);
    if (error) {
        VLOG_FATAL("cannot create the control socket (%s)",
                   ovs_strerror(error));
    }
    unixctl_command_register("exit", "", 0, 0, agent_exit, &l);
    unixctl_command_register("agent/status", "", 0, 0, agent_status, &l);
    unixctl_command_register("agent/reload", "", 0, 0, agent_reload, &l);
    unixctl_command_register("agent/probes", "", 0, 0, agent_probes, &l);
    l.tracer = agent_tracer_create(o->vswitchd, o->trace_timeout);
    agent_tracer_register(l.tracer, &l.ctx);
    if (o->probe_interval) {
        l.probe = agent_probe_create(o->probe_interval, o->appctl,
                                     o->vswitchd);
    }
    if (o->metrics) {
        char *err = NULL;

        error = metrics_server_open(o->metrics, render_metrics, &l,
                                    &l.metrics, &err);
        if (error) {
            VLOG_FATAL("--metrics=%s: %s", o->metrics, err);
        }
    }
    coverage_init();
    mon = agent_nl_monitor_create();
    if (!mon) {
        VLOG_WARN("cannot watch links over rtnetlink: link changes will "
                  "be seen only by the periodic check");
    }
    sset_init(&l.bound);
    if (o->fleet) {
        l.fleet = fleet_follow_create(o->fleet, o->host);
    }
    daemonize_complete();
    VLOG_INFO("l2mt-agent %s starting (%s %s, host %s)", L2MT_VERSION,
              o->fleet ? "fleet" : "config", o->fleet ? o->fleet : o->config,
              o->host);

    while (!l.exiting) {
        unixctl_server_run(server);
        memory_run();
        coverage_run();
        run_once(&l, mon);
        if (l.exiting) {
            break;
        }
        unixctl_server_wait(server);
        wait_once(&l, mon);
        poll_block();
    }
    VLOG_INFO("exiting");
    metrics_server_close(l.metrics);
    agent_probe_destroy(l.probe);
    agent_tracer_destroy(l.tracer);
    fleet_follow_destroy(l.fleet);
    agent_nl_monitor_destroy(mon);
    unixctl_server_destroy(server);
    l2mt_conf_free(l.conf);
    sset_destroy(&l.bound);
    free(l.fleet_text);
    return 0;
}
