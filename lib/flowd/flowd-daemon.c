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

/* The daemon's setup and main loop, on Open vSwitch's poll loop: the sFlow
 * and IPFIX sockets, the interval's end as a timer, the control socket
 * and the metrics endpoint are waited for together.  Datagrams are read in
 * batches (flowd-listen.c); with --workers, receive threads read the sFlow
 * ports (flowd-workers.c) and the main thread merges their tables at each
 * interval's end. */

#include <config.h>
#include "flowd/flowd-daemon.h"

#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <dirent.h>

#include "coverage.h"
#include "daemon.h"
#include "fatal-signal.h"
#include "flowd/flowd-daemon-private.h"
#include "flowd/flowd-interval.h"
#include "flowd/flowd-topo.h"
#include "flowd/flowd-writer.h"
#include "latch.h"
#include "memory.h"
#include "metrics/metrics-server.h"
#include "openvswitch/dynamic-string.h"
#include "openvswitch/poll-loop.h"
#include "openvswitch/vlog.h"
#include "signals.h"
#include "simap.h"
#include "timeval.h"
#include "unixctl.h"
#include "util.h"

VLOG_DEFINE_THIS_MODULE(flowd);

COVERAGE_DEFINE(flowd_interval_closed);
COVERAGE_DEFINE(flowd_interval_lost);
COVERAGE_DEFINE(flowd_reload);
COVERAGE_DEFINE(flowd_reload_failed);

/* Closed intervals waiting for the writer thread: with more, closing waits
 * for room (counted) rather than holding more in memory. */
#define WRITER_QUEUE 2

/* How often the inputs' files and IPFIX template lifetimes are looked at. */
#define CHECK_MS 5000

/* SIGHUP (reload) and SIGTERM/SIGINT (stop) wake the loop through these
 * (pipes: safe from a handler). */
static struct latch hup_latch, term_latch;

static void
on_signal(int sig)
{
    latch_set(sig == SIGHUP ? &hup_latch : &term_latch);
}

/* Open vSwitch's daemons die at once on SIGTERM, SIGINT and SIGHUP
 * (lib/fatal-signal.c).  flowd takes them back: SIGTERM closes the open
 * interval early instead of losing it, and SIGHUP reloads the topology, as
 * logrotate and systemd's ExecReload expect. */
static void
take_signals(void)
{
    static const int sigs[] = { SIGHUP, SIGTERM, SIGINT };
    struct sigaction sa;

    fatal_signal_init();
    fatal_ignore_sigpipe();
    latch_init(&hup_latch);
    latch_init(&term_latch);
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_signal;
    sigemptyset(&sa.sa_mask);
    sa.sa_flags = SA_RESTART;
    for (size_t i = 0; i < ARRAY_SIZE(sigs); i++) {
        xsigaction(sigs[i], &sa, NULL);
    }
}

static void
fipx_log(bool error, const char *msg)
{
    static struct vlog_rate_limit rl = VLOG_RATE_LIMIT_INIT(5, 20);

    if (error) {
        VLOG_WARN_RL(&rl, "ipfix: %s", msg);
    } else {
        VLOG_DBG_RL(&rl, "ipfix: %s", msg);
    }
}

static bool
reload(struct flowd_daemon *d)
{
    const struct flowd_daemon_config *cfg = d->cfg;
    char *error;
    struct flowd_topo *t = flowd_inputs_load(&cfg->inputs, &error);
    size_t n_hosts, n_macs;
    bool ok;

    COVERAGE_INC(flowd_reload);
    d->inputs_sig = flowd_inputs_signature(&cfg->inputs);
    if (!t) {
        COVERAGE_INC(flowd_reload_failed);
        VLOG_ERR("%s (keeping the previous configuration)", error);
        free(error);
        return false;
    }
    n_hosts = t->n_hosts;
    n_macs = t->n_macs;
    /* Always locked: the writer thread takes references to the topology
     * (flowd-recover.c's advise). */
    pthread_mutex_lock(&d->loc_mutex);
    ok = flowd_locator_set_topo(&d->core.loc, t);
    pthread_mutex_unlock(&d->loc_mutex);
    if (!ok) {
        flowd_topo_destroy(t);
        VLOG_ERR("topology: out of memory");
        return false;
    }
    VLOG_INFO("topology loaded: %zu hosts, %zu switches, %zu tenants, %zu "
              "configured MACs", n_hosts, d->core.loc.topo->n_switches,
              d->core.loc.topo->n_tenants, n_macs);
    return true;
}

static bool
agg_empty(const struct flowd_agg *agg)
{
    for (size_t i = 0; i < agg->n; i++) {
        if (agg->tables[i].n || agg->n_overflow[i]) {
            return false;
        }
    }
    return true;
}

/* Takes the interval's tables and hands them to the writer thread; only a
 * copy of the rows is made here. */
static void
close_interval(struct flowd_daemon *d, uint64_t end)
{
    struct flowd_agg *agg = &d->core.agg;

    flowd_agg_rollup(agg);
    for (size_t i = 0; i < agg->n; i++) {
        d->overflow_total[i] += agg->n_overflow[i];
    }
    if (!agg_empty(agg)) {
        struct flowd_interval *iv = flowd_interval_snapshot(
            agg, d->core.loc.topo, d->cur_start, end);

        if (!iv) {
            COVERAGE_INC(flowd_interval_lost);
            VLOG_ERR("out of memory: interval %" PRIu64 " lost",
                     d->cur_start);
        } else {
            COVERAGE_INC(flowd_interval_closed);
            d->n_closed++;
            flowd_metrics_interval(&d->core.metrics, iv);
            flowd_writer_submit(d->writer, iv);
        }
    }
    flowd_agg_clear(agg);
    if (d->core.store) {
        if (d->n_workers) {
            pthread_mutex_lock(&d->store_mutex);
        }
        flowd_store_flush(d->core.store);
        if (d->n_workers) {
            pthread_mutex_unlock(&d->store_mutex);
        }
    }
}

/* Closes the open interval once every datagram the kernel received before
 * its end is in, and opens the next one. */
static void
next_interval(struct flowd_daemon *d, uint64_t now)
{
    uint64_t end = d->cur_start + d->interval_ms;
    uint64_t oldest = now;

    for (size_t i = 0; i < d->n_ipfix_udp; i++) {
        struct flowd_listener *l = &d->ipfix_udp[i];

        if (flowd_listener_receive(&d->core, l, end, INT_MAX)
            && l->ms[l->next] < oldest) {
            oldest = l->ms[l->next];
        }
    }
    if (d->n_workers) {
        flowd_workers_gather(d, end);
        close_interval(d, end);
        flowd_workers_release(d, end);
        d->cur_start = end;     /* The workers go one interval at a time. */
        return;
    }
    for (size_t i = 0; i < d->n_udp; i++) {
        struct flowd_listener *l = &d->udp[i];

        if (flowd_listener_receive(&d->core, l, end, INT_MAX)
            && l->ms[l->next] < oldest) {
            oldest = l->ms[l->next];
        }
    }
    close_interval(d, end);
    /* After a long stall, straight to the interval of the oldest datagram
     * still waiting: the ones between are empty. */
    d->cur_start = end > oldest ? end : oldest - oldest % d->interval_ms;
}

/* IPFIX collecting: "[udp:|tcp:]ADDR:PORT" listeners, served by the main
 * thread into the main tables. */
static void
open_ipfix_listeners(struct flowd_daemon *d)
{
    const struct flowd_daemon_config *cfg = d->cfg;

    if (!cfg->n_ipfix_listen) {
        return;
    }
    flowd_ipfix_in_set_log(fipx_log);
    char *error;
    d->ipfix_in = flowd_ipfix_in_create(&d->core, &cfg->ipfix_in, &error);
    if (!d->ipfix_in) {
        ovs_fatal(0, "--ipfix-listen: %s", error);
    }
    for (size_t i = 0; i < cfg->n_ipfix_listen; i++) {
        const char *spec = cfg->ipfix_listen[i];
        bool tcp = !strncmp(spec, "tcp:", 4);
        int fd;

        if (tcp || !strncmp(spec, "udp:", 4)) {
            spec += 4;
        }
        error = flowd_listen_open(spec, tcp ? SOCK_STREAM : SOCK_DGRAM,
                                  false, &fd);
        if (error) {
            ovs_fatal(0, "--ipfix-listen %s", error);
        }
        if (tcp) {
            d->ipfix_tcp[d->n_ipfix_tcp++] = fd;
        } else {
            int errnum = flowd_listener_init(
                &d->ipfix_udp[d->n_ipfix_udp++], fd, d->ipfix_in);
            if (errnum) {
                ovs_fatal(0, "--ipfix-listen '%s': %s", spec,
                          ovs_strerror(errnum));
            }
        }
    }
    if (d->n_workers) {
        /* The receive workers classify with the main locator too. */
        d->core.loc_mutex = &d->loc_mutex;
    }
}

/* The IPFIX TCP listeners and connections, as poll() entries. */
#define MAX_IPFIX_POLL (FLOWD_MAX_LISTENERS + 64)

static size_t
ipfix_tcp_pollfds(const struct flowd_daemon *d, struct pollfd *pfd)
{
    size_t n = 0;

    for (size_t i = 0; i < d->n_ipfix_tcp; i++) {
        pfd[n++] = (struct pollfd) { .fd = d->ipfix_tcp[i], .events = POLLIN };
    }
    if (d->ipfix_in) {
        n += flowd_ipfix_in_tcp_pollfds(d->ipfix_in, pfd + n,
                                        MAX_IPFIX_POLL - n);
    }
    return n;
}

static void
ipfix_serve(struct flowd_daemon *d, uint64_t end)
{
    struct pollfd pfd[MAX_IPFIX_POLL];
    size_t n = ipfix_tcp_pollfds(d, pfd);
    uint64_t now;

    for (size_t i = 0; i < d->n_ipfix_udp; i++) {
        flowd_listener_receive(&d->core, &d->ipfix_udp[i], end, 16);
    }
    /* The poll loop says only that something is ready; this says what. */
    if (!n || poll(pfd, n, 0) <= 0) {
        return;
    }
    /* TCP has no kernel receive time: it counts when read, so only while
     * the open interval is still open (the caller closes it first). */
    now = flowd_wall_ms();
    for (size_t i = 0; i < d->n_ipfix_tcp; i++) {
        if (pfd[i].revents & POLLIN) {
            flowd_ipfix_in_tcp_accept(d->ipfix_in, d->ipfix_tcp[i], now);
        }
    }
    flowd_ipfix_in_tcp_run(d->ipfix_in, pfd + d->n_ipfix_tcp,
                           n - d->n_ipfix_tcp, now);
}

static void
ipfix_wait(const struct flowd_daemon *d)
{
    struct pollfd pfd[MAX_IPFIX_POLL];
    size_t n = ipfix_tcp_pollfds(d, pfd);

    for (size_t i = 0; i < d->n_ipfix_udp; i++) {
        poll_fd_wait(d->ipfix_udp[i].fd, POLLIN);
    }
    for (size_t i = 0; i < n; i++) {
        poll_fd_wait(pfd[i].fd, POLLIN);
    }
}

/* The --listen sockets into 'udp', or exits ('reuseport' for workers). */
void
flowd_daemon_open_sflow(struct flowd_listener udp[],
                        const struct flowd_daemon_config *cfg,
                        bool reuseport)
{

    for (size_t i = 0; i < cfg->n_listen; i++) {
        int fd;
        char *error = flowd_listen_open(cfg->listen[i], SOCK_DGRAM,
                                        reuseport, &fd);
        if (error) {
            ovs_fatal(0, "--listen %s", error);
        }
        int errnum = flowd_listener_init(&udp[i], fd, NULL);
        if (errnum) {
            ovs_fatal(0, "--listen '%s': %s", cfg->listen[i],
                      ovs_strerror(errnum));
        }
    }
}

/* Everything that can fail on configuration, before detaching. */
static void
setup(struct flowd_daemon *d, const struct flowd_daemon_config *cfg)
{
    struct flowd_topo *t;

    d->cfg = cfg;
    d->interval_ms = cfg->interval * 1000ULL;
    d->history = xcalloc(cfg->report_intervals, sizeof *d->history);
    char *error = flowd_core_init(&d->core, cfg->max_macs, cfg->max_keys,
                                  cfg->max_sources, cfg->prefix4,
                                  cfg->prefix6);
    if (error) {
        ovs_fatal(0, "%s", error);
    }
    for (size_t i = 0; i < cfg->n_aggs; i++) {
        error = flowd_core_add_agg(&d->core, cfg->aggs[i]);
        if (error) {
            ovs_fatal(0, "--aggregate %s: %s", cfg->aggs[i], error);
        }
    }
    d->ipfix.domain = cfg->domain;
    for (size_t i = 0; i < cfg->n_ipfix; i++) {
        error = flowd_ipfix_add_upstream(&d->ipfix, cfg->ipfix[i]);
        if (error) {
            ovs_fatal(0, "--ipfix %s", error);
        }
    }
    t = flowd_inputs_load(&cfg->inputs, &error);
    if (!t) {
        ovs_fatal(0, "%s", error);
    }
    flowd_locator_set_topo(&d->core.loc, t);
    flowd_recover_dirs(d);
    d->inputs_sig = flowd_inputs_signature(&cfg->inputs);
    pthread_mutex_init(&d->loc_mutex, NULL);
    pthread_mutex_init(&d->store_mutex, NULL);
    pthread_mutex_init(&d->sync, NULL);
    pthread_cond_init(&d->sync_cond, NULL);
    d->n_workers = cfg->workers > 1 ? cfg->workers : 0;
    if (d->n_workers) {
        flowd_workers_create(d);
    } else {
        flowd_daemon_open_sflow(d->udp, cfg, false);
        d->n_udp = cfg->n_listen;
    }
    open_ipfix_listeners(d);
    if (cfg->metrics) {
        int retval = metrics_server_open(cfg->metrics,
                                         flowd_prometheus_render, d,
                                         &d->metrics, &error);

        if (retval) {
            ovs_fatal(0, "--metrics %s", error);
        }
    }
    if (cfg->store) {
        int errnum = flowd_store_open(&d->store, d->dirs[DIR_SAMPLES],
                                      (uint64_t) cfg->store_mb << 20,
                                      cfg->store_files);
        if (errnum) {
            ovs_fatal(0, "%s: %s", d->dirs[DIR_SAMPLES],
                      ovs_strerror(errnum));
        }
        d->core.store = &d->store;
    }
}

/* ovs-appctl commands. */

static void
flowd_unixctl_exit(struct unixctl_conn *conn, int argc OVS_UNUSED,
                   const char *argv[] OVS_UNUSED, void *exiting_)
{
    bool *exiting = exiting_;

    *exiting = true;
    unixctl_command_reply(conn, NULL);
}

static void
flowd_unixctl_reload(struct unixctl_conn *conn, int argc OVS_UNUSED,
                     const char *argv[] OVS_UNUSED, void *d)
{
    if (reload(d)) {
        unixctl_command_reply(conn, NULL);
    } else {
        unixctl_command_reply_error(conn, "the topology or an inventory has "
                                    "errors (see the log): the previous one "
                                    "stays");
    }
}

/* The saved intervals, from the directory (the writer thread owns the
 * report's history). */
static void
put_saved(struct ds *s, const struct flowd_daemon *d)
{
    struct dirent **list;
    int n = scandir(d->dirs[DIR_INTERVALS], &list, NULL, alphasort);
    uint64_t first = 0, last = 0;
    int saved = 0;

    for (int i = 0; i < n; i++) {
        const char *name = list[i]->d_name;
        size_t l = strlen(name);

        if (l > 9 && !strcmp(name + l - 9, ".interval")) {
            last = strtoull(name, NULL, 10);
            first = saved++ ? first : last;
        }
        free(list[i]);
    }
    if (n >= 0) {
        free(list);
    }
    ds_put_format(s, "saved: %d", saved);
    if (saved) {
        ds_put_format(s, " (oldest %" PRIu64 ", newest %" PRIu64 ")", first,
                      last);
    }
    ds_put_char(s, '\n');
}

static void
flowd_unixctl_intervals(struct unixctl_conn *conn, int argc OVS_UNUSED,
                        const char *argv[] OVS_UNUSED, void *d_)
{
    const struct flowd_daemon *d = d_;
    uint64_t end = d->cur_start + d->interval_ms, now = flowd_wall_ms();
    struct flowd_writer_stats ws;
    struct ds s = DS_EMPTY_INITIALIZER;

    flowd_writer_stats(d->writer, &ws);
    ds_put_format(&s, "interval: %u s\n", d->cfg->interval);
    ds_put_format(&s, "open: %" PRIu64 "..%" PRIu64 " (closes in %" PRIu64
                  " ms)\n", d->cur_start, end, end > now ? end - now : 0);
    ds_put_format(&s, "closed by this run: %" PRIu64 "\n", d->n_closed);
    ds_put_format(&s, "writer: %zu queued, %" PRIu64 " written, %" PRIu64
                  " waits for room\n", ws.queued, ws.written, ws.full_waits);
    put_saved(&s, d);
    unixctl_command_reply(conn, ds_cstr(&s));
    ds_destroy(&s);
}

static void
report_memory(const struct flowd_daemon *d)
{
    struct simap usage = SIMAP_INITIALIZER(&usage);
    unsigned int rows = 0;

    for (size_t i = 0; i < d->core.agg.n; i++) {
        rows += d->core.agg.tables[i].n;
    }
    simap_put(&usage, "learned_macs", d->core.loc.learned.n);
    simap_put(&usage, "aggregations", d->core.agg.n);
    simap_put(&usage, "open_rows", rows);
    simap_put(&usage, "sample_rows", d->core.agg.fine.n);
    simap_put(&usage, "workers", d->n_workers);
    memory_report(&usage);
    simap_destroy(&usage);
}

/* One turn of the main loop's work. */
static void
run_once(struct flowd_daemon *d, long long int *next_check)
{
    uint64_t now, before = d->core.metrics.datagrams, got;

    for (size_t i = 0; i < d->n_udp; i++) {
        /* Bounded, so that timers and other sockets get a turn. */
        flowd_listener_receive(&d->core, &d->udp[i],
                               d->cur_start + d->interval_ms, 16);
    }
    got = d->core.metrics.datagrams - before;
    d->holdoff = got && got < FLOWD_BATCH;
    if (d->metrics) {
        metrics_server_run(d->metrics);
    }
    now = flowd_wall_ms();
    while (now >= d->cur_start + d->interval_ms) {
        next_interval(d, now);
    }
    if (d->ipfix_in) {
        ipfix_serve(d, d->cur_start + d->interval_ms);
    }
    if (latch_poll(&hup_latch)) {
        vlog_reopen_log_file();
        reload(d);
    } else if (time_msec() >= *next_check) {
        *next_check = time_msec() + CHECK_MS;
        if (d->ipfix_in) {
            flowd_ipfix_in_expire(d->ipfix_in, now);
        }
        if (flowd_inputs_signature(&d->cfg->inputs) != d->inputs_sig) {
            reload(d);
        }
    }
    if (memory_should_report()) {
        report_memory(d);
    }
}

static void
wait_once(const struct flowd_daemon *d, long long int next_check)
{
    uint64_t end = d->cur_start + d->interval_ms, now = flowd_wall_ms();

    if (d->holdoff) {
        poll_timer_wait(FLOWD_HOLDOFF_MS);
    }
    for (size_t i = 0; i < d->n_udp; i++) {
        if (!d->holdoff) {
            poll_fd_wait(d->udp[i].fd, POLLIN);
        }
        /* Received before the end: waited for the last close. */
        if (flowd_listener_waiting(&d->udp[i], end)) {
            poll_immediate_wake();
        }
    }
    for (size_t i = 0; i < d->n_ipfix_udp; i++) {
        if (flowd_listener_waiting(&d->ipfix_udp[i], end)) {
            poll_immediate_wake();
        }
    }
    if (d->ipfix_in) {
        ipfix_wait(d);
    }
    if (d->metrics) {
        long long int timeout = metrics_server_timeout(d->metrics);

        poll_fd_wait(metrics_server_fd(d->metrics), POLLIN);
        if (timeout >= 0) {
            poll_timer_wait(timeout);
        }
    }
    /* The interval's end is a timer of its own: it closes on time whether
     * or not datagrams arrive.  (The end is on the wall clock, the poll
     * loop's timers on the monotonic one.) */
    poll_timer_wait_until(time_msec() + (end > now ? end - now : 0));
    poll_timer_wait_until(next_check);
    latch_wait(&hup_latch);
    latch_wait(&term_latch);
    memory_wait();
}

/* Shutting down: what was received so far closes early rather than being
 * lost, and the writer finishes every closed interval. */
static void
shut_down(struct flowd_daemon *d)
{
    uint64_t now;

    if (d->n_workers) {
        flowd_workers_stop(d);
    }
    now = flowd_wall_ms();
    for (size_t i = 0; i < d->n_udp; i++) {
        flowd_listener_receive(&d->core, &d->udp[i], now, INT_MAX);
    }
    for (size_t i = 0; i < d->n_ipfix_udp; i++) {
        flowd_listener_receive(&d->core, &d->ipfix_udp[i], now, INT_MAX);
    }
    close_interval(d, now);
    flowd_writer_stop(d->writer);
    if (d->core.store) {
        flowd_store_close(d->core.store);
    }
    metrics_server_close(d->metrics);
    for (size_t i = 0; i < d->n_history; i++) {
        flowd_interval_free(d->history[i]);
    }
    free(d->history);
    free(d->advice_html);
    flowd_ipfix_close(&d->ipfix);
    flowd_ipfix_in_destroy(d->ipfix_in);
    flowd_core_destroy(&d->core);
}

int
flowd_daemon_run(const struct flowd_daemon_config *cfg)
{
    static struct flowd_daemon d;
    struct unixctl_server *server;
    long long int next_check;
    bool exiting = false;
    uint64_t now;
    int error;

    setup(&d, cfg);
    daemonize_start(false);
    /* After the fork: with --monitor, the monitor keeps Open vSwitch's
     * handling (SIGTERM ends it and the daemon). */
    take_signals();
    error = unixctl_server_create(cfg->unixctl, &server);
    if (error) {
        ovs_fatal(error, "cannot create the control socket");
    }
    unixctl_command_register("exit", "", 0, 0, flowd_unixctl_exit, &exiting);
    unixctl_command_register("flowd/intervals", "", 0, 0,
                             flowd_unixctl_intervals, &d);
    unixctl_command_register("flowd/reload", "", 0, 0, flowd_unixctl_reload,
                             &d);
    coverage_init();
    daemonize_complete();

    VLOG_INFO("l2mt-flowd %s started: %zu listeners, interval %u s, %zu "
              "aggregations, %zu IPFIX upstreams", L2MT_VERSION,
              cfg->n_listen, cfg->interval, d.core.agg.n, d.ipfix.n);
    flowd_recover(&d);
    error = flowd_writer_start(WRITER_QUEUE, flowd_recover_write, &d,
                               &d.writer);
    if (error) {
        ovs_fatal(0, "writer thread: %s", ovs_strerror(error));
    }
    now = flowd_wall_ms();
    d.cur_start = now - now % d.interval_ms;
    next_check = time_msec() + CHECK_MS;
    flowd_workers_start(&d);

    while (!exiting && !latch_poll(&term_latch)) {
        unixctl_server_run(server);
        memory_run();
        coverage_run();
        run_once(&d, &next_check);
        if (exiting) {
            break;
        }
        unixctl_server_wait(server);
        wait_once(&d, next_check);
        poll_block();
    }
    shut_down(&d);
    VLOG_INFO("exiting");
    unixctl_server_destroy(server);
    return 0;
}
