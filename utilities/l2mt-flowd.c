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

/* l2mt-flowd: sFlow v5 collector that classifies VM traffic by locality and
 * re-exports aggregates as IPFIX (a flow mediator).  See l2mt-flowd(8). */

#define _GNU_SOURCE 1
#include <config.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <inttypes.h>
#include <limits.h>
#include <netdb.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#include "flowd-advise.h"
#include "flowd-core.h"
#include "flowd-interval.h"
#include "flowd-ipfix-in.h"
#include "flowd-log.h"
#include "flowd-output.h"
#include "flowd-plan.h"
#include "flowd-store.h"
#include "flowd-topo.h"
#include "flowd-writer.h"
#include "ipfix.h"

#define MAX_LISTENERS 8
#define MAX_INVENTORIES 64
#define MAX_WORKERS 64

/* Closed intervals waiting for the writer thread: with more, closing waits
 * for room (counted) rather than holding more in memory. */
#define WRITER_QUEUE 2

/* Datagrams received at once on one socket. */
#define BATCH 64

struct config {
    const char *listen[MAX_LISTENERS];
    size_t n_listen;
    const char *topology;
    const char *inventory[MAX_INVENTORIES];
    size_t n_inventory;
    const char *state_dir;
    const char *metrics;
    unsigned int interval;
    unsigned int keep_intervals;
    unsigned int report_intervals;
    unsigned int top;
    unsigned int max_keys, max_macs, max_sources;
    unsigned int prefix4, prefix6;
    unsigned int store_mb, store_files;
    bool store;
    bool detach, no_chdir;
    const char *pidfile;
    const char *log_file;
    const char **aggs;
    size_t n_aggs;
    const char **ipfix;
    size_t n_ipfix;
    unsigned int domain;
    unsigned int workers;
    const char *ipfix_listen[MAX_LISTENERS];   /* [udp:|tcp:]ADDR:PORT */
    size_t n_ipfix_listen;
    struct fipx_config ipfix_in;
};

static volatile sig_atomic_t stop_requested, reload_requested;

static void
usage(void)
{
    printf("l2mt-flowd: sFlow collector, locality classifier and IPFIX "
           "flow mediator\n"
           "usage: l2mt-flowd [OPTIONS]          run the collector\n"
           "       l2mt-flowd query [OPTIONS] [FIELD=VALUE]...\n"
           "       l2mt-flowd plan [OPTIONS]\n"
           "       l2mt-flowd advise [OPTIONS]\n"
           "\nCollector options:\n"
           "  --listen=ADDR:PORT      sFlow listener (repeatable; default\n"
           "                          0.0.0.0:6343 and [::]:6343)\n"
           "  --topology=FILE         hosts, edge switches, uplinks, gateways,\n"
           "                          tenants\n"
           "  --inventory=PATH        agent inventory JSON file or directory\n"
           "                          of *.json (repeatable)\n"
           "  --state-dir=DIR         intervals, JSON/CSV, report, samples\n"
           "                          (default /var/lib/l2mt-flowd)\n"
           "  --interval=SECONDS      aggregation interval (default 60)\n"
           "  --aggregate=[NAME=]KEY[,KEY]...  extra aggregation (repeatable)\n"
           "                          keys: src_host dst_host pair_host\n"
           "                          src_prefix dst_prefix pair_prefix biflow\n"
           "                          src_mac dst_mac mac vlan tenant class\n"
           "                          scope port proto src_port dst_port\n"
           "  --prefix-v4=LEN         prefix length for *_prefix (default 24)\n"
           "  --prefix-v6=LEN         (default 64)\n"
           "  --ipfix=HOST:PORT[,FIELD=VALUE]  IPFIX upstream (repeatable);\n"
           "                          with a rule it takes only matching\n"
           "                          records (agg, tenant, vlan, class,\n"
           "                          scope, proto, src_host, dst_host)\n"
           "  --ipfix-domain=ID       observation domain id (default 1)\n"
           "  --ipfix-listen=[udp:|tcp:]ADDR:PORT\n"
           "                          read IPFIX (repeatable): a lower\n"
           "                          tier's aggregates or a metering\n"
           "                          process's flows (Open vSwitch)\n"
           "  --ipfix-max-sources=N   IPFIX exporters and connections (256)\n"
           "  --ipfix-max-templates=N templates per IPFIX source (128)\n"
           "  --ipfix-template-lifetime=SECONDS  UDP template lifetime\n"
           "                          (default 1800)\n"
           "  --metrics=[ADDR]:PORT   Prometheus metrics over HTTP\n"
           "  --max-keys=N            rows per aggregation and interval\n"
           "                          (default 100000)\n"
           "  --max-macs=N            learned MACs (default 100000)\n"
           "  --max-sources=N         sFlow sources and interfaces tracked\n"
           "                          (default 100000; per worker)\n"
           "  --workers=N             receive threads on each listener's port\n"
           "                          (SO_REUSEPORT), merged at each close\n"
           "                          (default 1)\n"
           "  --keep-intervals=N      closed intervals kept (default 1440)\n"
           "  --report-intervals=N    intervals in the report (default 288)\n"
           "  --top=N                 series per chart, VLANs per port (10)\n"
           "  --store-mb=N --store-files=N  raw sample files (64 MB x 16)\n"
           "  --no-store              keep no raw samples\n"
           "\nDaemon options:\n"
           "  --detach                run in the background\n"
           "  --pidfile[=FILE]        (default /var/run/l2mt-flowd.pid)\n"
           "  --log-file[=FILE]       (default /var/log/l2mt/l2mt-flowd.log)\n"
           "  --no-chdir              do not chdir to / with --detach\n"
           "  -v, --verbose           debug logging\n"
           "  -h, --help              this help\n"
           "  -V, --version           version\n"
           "\nquery: --state-dir=DIR --from=TIME --to=TIME [--limit=N]\n"
           "  TIME is seconds since the epoch or YYYY-MM-DDTHH:MM:SS (UTC);\n"
           "  filters: src_host dst_host host src_mac dst_mac mac vlan class\n"
           "  tenant_key counted\n"
           "plan: --pps=N [--rate=N] [--interval=S] [--flows=N] [--alpha=A]\n"
           "  [--c=C] [--max-packets=N] [--capacity=SAMPLES/S] [--fan-in=N]\n"
           "advise: --state-dir=DIR --topology=FILE [--inventory=PATH]...\n"
           "  [--from=TIME] [--to=TIME] [--aggregation=NAME (vm_pairs)]\n"
           "  [--moves=N (5)] [--max-vms-per-host=N] [--receive-hosts=H,H...]\n"
           "  [--top=N (10)]; NAME has keys src_mac,dst_mac\n"
           "\nSee l2mt-flowd(8).\n");
}

static void
fatal(const char *fmt, ...) __attribute__((format(printf, 1, 2),
                                           noreturn));

static void
fatal(const char *fmt, ...)
{
    va_list args;

    fprintf(stderr, "l2mt-flowd: ");
    va_start(args, fmt);
    vfprintf(stderr, fmt, args);
    va_end(args);
    fprintf(stderr, "\n");
    exit(1);
}

/* snprintf() for paths: a too long path fails later, at open(). */
static void
fmt(char *out, size_t size, const char *format, ...)
    __attribute__((format(printf, 3, 4)));

static void
fmt(char *out, size_t size, const char *format, ...)
{
    va_list args;

    va_start(args, format);
    vsnprintf(out, size, format, args);
    va_end(args);
}

static unsigned int
parse_uint_opt(const char *name, const char *s, unsigned int min,
               unsigned int max)
{
    char *end;
    unsigned long v;

    errno = 0;
    v = strtoul(s, &end, 10);
    if (!*s || *end || errno || v < min || v > max || *s == '-') {
        fatal("--%s: '%s' is not a number in %u..%u", name, s, min, max);
    }
    return v;
}

static double
parse_double_opt(const char *name, const char *s)
{
    char *end;
    double v = strtod(s, &end);

    if (!*s || *end) {
        fatal("--%s: '%s' is not a number", name, s);
    }
    return v;
}

static uint64_t
now_ms(void)
{
    struct timeval tv;

    gettimeofday(&tv, NULL);
    return (uint64_t) tv.tv_sec * 1000 + tv.tv_usec / 1000;
}

/* Absolute path, so that --detach's chdir("/") keeps files in place. */
static const char *
absolute(const char *path)
{
    char cwd[PATH_MAX], *abs;

    if (!path || path[0] == '/' || !getcwd(cwd, sizeof cwd)) {
        return path;
    }
    if (asprintf(&abs, "%s/%s", cwd, path) < 0) {
        fatal("out of memory");
    }
    return abs;
}

/* Splits "ADDR:PORT", "[V6]:PORT" or ":PORT". */
static bool
split_hostport(const char *s, char *host, size_t hsize, char *port,
               size_t psize)
{
    const char *colon;

    if (s[0] == '[') {
        const char *close = strchr(s, ']');
        if (!close || close[1] != ':' || (size_t) (close - s - 1) >= hsize) {
            return false;
        }
        memcpy(host, s + 1, close - s - 1);
        host[close - s - 1] = '\0';
        colon = close + 1;
    } else {
        colon = strrchr(s, ':');
        if (!colon || (size_t) (colon - s) >= hsize) {
            return false;
        }
        memcpy(host, s, colon - s);
        host[colon - s] = '\0';
    }
    if (!colon[1] || strlen(colon + 1) >= psize) {
        return false;
    }
    strcpy(port, colon + 1);
    return true;
}

static int
open_socket(const char *spec, int type, bool reuseport, char *err,
            size_t err_size)
{
    char host[256], port[32];
    struct addrinfo hints = { .ai_socktype = type, .ai_flags = AI_PASSIVE };
    struct addrinfo *ai;
    int one = 1;

    if (!split_hostport(spec, host, sizeof host, port, sizeof port)) {
        snprintf(err, err_size, "'%s': expected ADDR:PORT or [ADDR]:PORT",
                 spec);
        return -1;
    }
    int error = getaddrinfo(*host ? host : NULL, port, &hints, &ai);
    if (error) {
        snprintf(err, err_size, "'%s': %s", spec, gai_strerror(error));
        return -1;
    }
    int fd = socket(ai->ai_family, type | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (fd >= 0) {
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
        if (reuseport) {
            /* The kernel spreads datagrams over the workers' sockets by
             * source address and port: one agent, one worker. */
            setsockopt(fd, SOL_SOCKET, SO_REUSEPORT, &one, sizeof one);
        }
        if (ai->ai_family == AF_INET6) {
            setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &one, sizeof one);
        }
        if (type == SOCK_DGRAM) {
            int rcvbuf = 8 << 20;
            setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &rcvbuf, sizeof rcvbuf);
        }
    }
    if (fd < 0 || bind(fd, ai->ai_addr, ai->ai_addrlen)
        || (type == SOCK_STREAM && listen(fd, 16))) {
        snprintf(err, err_size, "'%s': %s", spec, strerror(errno));
        if (fd >= 0) {
            close(fd);
        }
        fd = -1;
    }
    freeaddrinfo(ai);
    return fd;
}

struct inv_file {
    char *path;
    struct timespec mtime;
};

static void
add_inv_file(struct inv_file **files, size_t *n, char *path)
{
    struct stat st;
    struct inv_file *f = realloc(*files, (*n + 1) * sizeof **files);

    if (!f || !path) {
        fatal("out of memory");
    }
    *files = f;
    f[*n].path = path;
    f[*n].mtime = stat(path, &st) ? (struct timespec) { 0, 0 } : st.st_mtim;
    (*n)++;
}

static int
cmp_inv_files(const void *a_, const void *b_)
{
    const struct inv_file *a = a_, *b = b_;

    if (a->mtime.tv_sec != b->mtime.tv_sec) {
        return a->mtime.tv_sec < b->mtime.tv_sec ? -1 : 1;
    }
    if (a->mtime.tv_nsec != b->mtime.tv_nsec) {
        return a->mtime.tv_nsec < b->mtime.tv_nsec ? -1 : 1;
    }
    return strcmp(a->path, b->path);
}

/* Topology and inventories, built whole or not at all. */
static struct topo *
load_topology(const struct config *cfg, char *err, size_t err_size)
{
    struct topo *t = topo_create();
    size_t len;
    char *text;

    if (!t) {
        snprintf(err, err_size, "out of memory");
        return NULL;
    }
    if (cfg->topology) {
        text = topo_read_file(cfg->topology, &len, err, err_size);
        if (!text || !topo_parse(t, text, len, cfg->topology, err,
                                 err_size)) {
            free(text);
            topo_destroy(t);
            return NULL;
        }
        free(text);
    }
    /* All inventory files, oldest first: where a migrated VM is still in
     * its old host's file, the newer file wins. */
    struct inv_file *files = NULL;
    size_t n = 0;
    for (size_t i = 0; i < cfg->n_inventory; i++) {
        const char *path = cfg->inventory[i];
        struct stat st;

        if (!stat(path, &st) && S_ISDIR(st.st_mode)) {
            struct dirent **list;
            int k = scandir(path, &list, NULL, alphasort);
            for (int j = 0; j < k; j++) {
                size_t l = strlen(list[j]->d_name);
                if (l > 5 && !strcmp(list[j]->d_name + l - 5, ".json")) {
                    char *file;
                    if (asprintf(&file, "%s/%s", path, list[j]->d_name) >= 0) {
                        add_inv_file(&files, &n, file);
                    }
                }
                free(list[j]);
            }
            if (k >= 0) {
                free(list);
            }
        } else if (!access(path, F_OK)) {
            /* A missing inventory file is normal before the agent ran. */
            add_inv_file(&files, &n, strdup(path));
        }
    }
    qsort(files, n, sizeof *files, cmp_inv_files);

    bool ok = true;
    for (size_t j = 0; j < n; j++) {
        if (ok) {
            text = topo_read_file(files[j].path, &len, err, err_size);
            ok = text && topo_parse_inventory(t, text, len, files[j].path,
                                              err, err_size);
            free(text);
        }
        free(files[j].path);
    }
    free(files);
    if (!ok) {
        topo_destroy(t);
        return NULL;
    }
    return t;
}

/* A signature of the inputs' modification times, to notice changes. */
static uint64_t
inputs_signature(const struct config *cfg)
{
    uint64_t sig = 0;
    struct stat st;

    if (cfg->topology && !stat(cfg->topology, &st)) {
        sig = sig * 31 + st.st_mtim.tv_sec * 1000000000ULL + st.st_mtim.tv_nsec
              + st.st_size;
    }
    for (size_t i = 0; i < cfg->n_inventory; i++) {
        if (!stat(cfg->inventory[i], &st)) {
            sig = sig * 31 + st.st_mtim.tv_sec * 1000000000ULL
                  + st.st_mtim.tv_nsec + st.st_size;
            if (S_ISDIR(st.st_mode)) {
                DIR *d = opendir(cfg->inventory[i]);
                struct dirent *de;
                char path[PATH_MAX];
                while (d && (de = readdir(d))) {
                    fmt(path, sizeof path, "%s/%s", cfg->inventory[i],
                             de->d_name);
                    if (!stat(path, &st)) {
                        sig = sig * 31 + st.st_mtim.tv_nsec + st.st_size;
                    }
                }
                if (d) {
                    closedir(d);
                }
            }
        }
    }
    return sig;
}

/* One UDP socket with its own receive buffers: datagrams received after
 * the open interval's end wait there ('next' .. 'n' - 1) until it is
 * closed. */
struct listener {
    int fd;
    struct fipx_collector *ipfix;   /* IPFIX, not sFlow, if nonnull. */
    struct sockaddr_storage (*names)[BATCH];
    uint8_t (*bufs)[65536];
    struct iovec iov[BATCH];
    struct mmsghdr msgs[BATCH];
    char ctl[BATCH][CMSG_SPACE(sizeof(struct timespec))];
    uint64_t ms[BATCH];         /* Kernel receive time of each datagram. */
    int n, next;
};

struct daemon {
    struct config *cfg;
    struct flowd_core core;
    struct flowd_store store;
    struct ipfix_exporter ipfix;
    struct listener udp[MAX_LISTENERS];
    size_t n_udp;
    struct fipx_collector *ipfix_in;    /* Always on the main thread. */
    struct listener ipfix_udp[MAX_LISTENERS];
    size_t n_ipfix_udp;
    int ipfix_tcp[MAX_LISTENERS];
    size_t n_ipfix_tcp;
    int metrics_fd;
    uint64_t interval_ms, cur_start;
    uint64_t overflow_total[AGG_MAX];   /* Of the closed intervals. */

    /* --workers N > 1: N receive threads, each with its own sockets and
     * tables, sharing the locator and the store; they stop at each
     * interval end until the main thread has merged their tables. */
    struct worker *workers;
    size_t n_workers;
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
    char dirs[4][PATH_MAX];     /* intervals, json, csv, samples. */
};

enum { DIR_INTERVALS, DIR_JSON, DIR_CSV, DIR_SAMPLES };

struct worker {
    struct daemon *d;
    pthread_t thread;
    pthread_mutex_t mutex;      /* Held while it processes datagrams. */
    struct flowd_core core;
    struct listener udp[MAX_LISTENERS];
    uint64_t arrived;           /* Interval ends it is done with (sync). */
};

static bool
reload(struct daemon *d)
{
    char err[512];
    struct topo *t = load_topology(d->cfg, err, sizeof err);

    d->inputs_sig = inputs_signature(d->cfg);
    if (!t) {
        flog(FLOG_ERR, "topology", "%s (keeping the previous configuration)",
             err);
        return false;
    }
    size_t n_hosts = t->n_hosts, n_macs = t->n_macs;
    if (d->n_workers) {
        pthread_mutex_lock(&d->loc_mutex);
    }
    bool ok = flowd_locator_set_topo(&d->core.loc, t);
    if (d->n_workers) {
        pthread_mutex_unlock(&d->loc_mutex);
    }
    if (!ok) {
        topo_destroy(t);
        flog(FLOG_ERR, "topology", "out of memory");
        return false;
    }
    flog(FLOG_INFO, "topology", "loaded: %zu hosts, %zu switches, %zu "
         "tenants, %zu configured MACs", n_hosts,
         d->core.loc.topo->n_switches, d->core.loc.topo->n_tenants, n_macs);
    return true;
}

static void
interval_path(const struct daemon *d, int dir, uint64_t start,
              const char *ext, char *out, size_t size)
{
    fmt(out, size, "%s/%013" PRIu64 "%s", d->dirs[dir], start, ext);
}

/* Writes 'path' through a temporary file, so readers never see half. */
static bool
write_atomic(const char *path, void (*fn)(FILE *, const void *),
             const void *aux)
{
    char tmp[PATH_MAX + 8];

    fmt(tmp, sizeof tmp, "%s.tmp", path);
    FILE *f = fopen(tmp, "w");
    if (!f) {
        flog(FLOG_ERR, "output", "%s: %s", tmp, strerror(errno));
        return false;
    }
    fn(f, aux);
    bool ok = !ferror(f);
    if (fclose(f) || !ok || rename(tmp, path)) {
        flog(FLOG_ERR, "output", "%s: %s", path, strerror(errno));
        unlink(tmp);
        return false;
    }
    return true;
}

static void
json_fn(FILE *f, const void *iv)
{
    flowd_output_json(f, iv);
}

static void
csv_fn(FILE *f, const void *iv)
{
    flowd_output_csv(f, iv);
}

static void
report_fn(FILE *f, const void *d_)
{
    const struct daemon *d = d_;

    flowd_output_html(f, d->history, d->n_history, d->cfg->top,
                      "l2mt-flowd traffic report", d->advice_html);
}

static void
write_report(struct daemon *d)
{
    char path[PATH_MAX];

    fmt(path, sizeof path, "%s/report.html", d->cfg->state_dir);
    write_atomic(path, report_fn, d);
}

/* Keeps the report's history, with only the aggregations it draws: the
 * per-port table only for the last interval, the only one it shows. */
static void
remember(struct daemon *d, struct flowd_interval *iv)
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
finish_interval(struct daemon *d, struct flowd_interval *iv)
{
    char path[PATH_MAX], marker[PATH_MAX];

    interval_path(d, DIR_JSON, iv->start_ms, ".json", path, sizeof path);
    if (access(path, F_OK)) {
        write_atomic(path, json_fn, iv);
    }
    interval_path(d, DIR_CSV, iv->start_ms, ".csv", path, sizeof path);
    if (access(path, F_OK)) {
        write_atomic(path, csv_fn, iv);
    }
    interval_path(d, DIR_INTERVALS, iv->start_ms, ".exported", marker,
                  sizeof marker);
    if (d->ipfix.n && access(marker, F_OK)) {
        if (ipfix_export(&d->ipfix, iv, now_ms() / 1000)) {
            int fd = open(marker, O_WRONLY | O_CREAT, 0644);
            if (fd >= 0) {
                close(fd);
            }
        } else {
            flog(FLOG_WARN, "ipfix", "export of interval %" PRIu64 " failed "
                 "for some upstream (will retry at restart)", iv->start_ms);
        }
    }
}

/* Deletes the oldest saved intervals beyond --keep-intervals. */
static void
prune_intervals(struct daemon *d)
{
    struct dirent **list;
    int n = scandir(d->dirs[DIR_INTERVALS], &list, NULL, alphasort);
    int kept = 0;

    for (int i = n - 1; i >= 0; i--) {
        const char *name = list[i]->d_name;
        size_t l = strlen(name);
        if (l > 9 && !strcmp(name + l - 9, ".interval")
            && ++kept > (int) d->cfg->keep_intervals) {
            char path[PATH_MAX];
            uint64_t start = strtoull(name, NULL, 10);
            const char *ext[] = { ".interval", ".exported" };
            for (int e = 0; e < 2; e++) {
                interval_path(d, DIR_INTERVALS, start, ext[e], path,
                              sizeof path);
                unlink(path);
            }
            interval_path(d, DIR_JSON, start, ".json", path, sizeof path);
            unlink(path);
            interval_path(d, DIR_CSV, start, ".csv", path, sizeof path);
            unlink(path);
        }
    }
    for (int i = 0; i < n; i++) {
        free(list[i]);
    }
    if (n >= 0) {
        free(list);
    }
}

static bool
agg_empty(const struct flow_agg *agg)
{
    for (size_t i = 0; i < agg->n; i++) {
        if (agg->tables[i].n || agg->n_overflow[i]) {
            return false;
        }
    }
    return true;
}

/* On the writer thread: the report's placement advice from 'iv' (which
 * still has every aggregation), with a topology of its own (the receive
 * side's may be reloaded meanwhile). */
static void
advise(struct daemon *d, const struct flowd_interval *iv)
{
    char err[512], *buf = NULL;
    size_t len;
    struct topo *t = NULL;

    for (uint32_t i = 0; i < iv->n_aggs && !t; i++) {
        if (agg_def_field_offset(&iv->aggs[i].def, AGG_SRC_MAC) >= 0
            && agg_def_field_offset(&iv->aggs[i].def, AGG_DST_MAC) >= 0) {
            t = load_topology(d->cfg, err, sizeof err);
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
    if (t) {
        topo_destroy(t);
    }
    free(d->advice_html);
    d->advice_html = buf;
}

/* On the writer thread: everything slow about a closed interval, saving
 * it first. */
static void
write_interval(struct flowd_interval *iv, void *d_)
{
    struct daemon *d = d_;
    char err[512];
    uint64_t rows = 0;

    if (!flowd_interval_save(iv, d->dirs[DIR_INTERVALS], err, sizeof err)) {
        flog(FLOG_ERR, "interval", "%s", err);
    }
    for (uint32_t i = 0; i < iv->n_aggs; i++) {
        rows += iv->aggs[i].n_rows;
    }
    flog(FLOG_INFO, "interval", "closed %" PRIu64 "..%" PRIu64 ": %"
         PRIu64 " rows in %" PRIu32 " aggregations", iv->start_ms,
         iv->end_ms, rows, iv->n_aggs);
    finish_interval(d, iv);
    advise(d, iv);
    remember(d, iv);
    prune_intervals(d);
    write_report(d);
}

/* On the receive thread: takes the interval's tables and hands them to the
 * writer; only a copy of the rows is made here. */
static void
close_interval(struct daemon *d, uint64_t end)
{
    struct flow_agg *agg = &d->core.agg;

    for (size_t i = 0; i < agg->n; i++) {
        d->overflow_total[i] += agg->n_overflow[i];
    }
    if (!agg_empty(agg)) {
        struct flowd_interval *iv = flowd_interval_snapshot(
            agg, d->core.loc.topo, d->cur_start, end);

        if (!iv) {
            flog(FLOG_ERR, "interval", "out of memory: interval %" PRIu64
                 " lost", d->cur_start);
        } else {
            flowd_metrics_interval(&d->core.metrics, iv);
            flowd_writer_submit(d->writer, iv);
        }
    }
    flow_agg_clear(agg);
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

/* Loads saved intervals: the newest into the report, and finishes any the
 * previous run did not export. */
static void
recover(struct daemon *d)
{
    struct dirent **list;
    int n = scandir(d->dirs[DIR_INTERVALS], &list, NULL, alphasort);
    int loaded = 0;

    for (int i = 0; i < n; i++) {
        const char *name = list[i]->d_name;
        size_t l = strlen(name);
        char path[PATH_MAX], err[512];

        if (l > 9 && !strcmp(name + l - 9, ".interval")) {
            fmt(path, sizeof path, "%s/%s", d->dirs[DIR_INTERVALS],
                     name);
            struct flowd_interval *iv = flowd_interval_load(path, err,
                                                            sizeof err);
            if (!iv) {
                flog(FLOG_WARN, "interval", "%s (skipped)", err);
            } else {
                finish_interval(d, iv);
                flowd_metrics_interval(&d->core.metrics, iv);
                remember(d, iv);
                loaded++;
            }
        }
        free(list[i]);
    }
    if (n >= 0) {
        free(list);
    }
    if (loaded) {
        flog(FLOG_INFO, "interval", "recovered %d saved intervals", loaded);
        write_report(d);
    }
}

static void
serve_metrics(struct daemon *d)
{
    int fd = accept4(d->metrics_fd, NULL, NULL, SOCK_CLOEXEC);
    struct timeval tv = { 0, 200000 };
    char req[2048];

    if (fd < 0) {
        return;
    }
    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
    ssize_t n = recv(fd, req, sizeof req - 1, 0);
    req[n > 0 ? n : 0] = '\0';

    char *body = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&body, &len);
    bool found = (!strncmp(req, "GET /metrics ", 13)
                  || !strncmp(req, "GET / ", 6));
    if (f && found) {
        struct flowd_core *c = &d->core;
        const struct flowd_metrics *ms[MAX_WORKERS + 1];
        uint64_t open_overflow[AGG_MAX], rows[AGG_MAX];
        size_t n_ms = 0;

        /* With workers, their counters are summed, each worker stopped
         * for the moment it takes. */
        for (size_t i = 0; i < c->agg.n; i++) {
            open_overflow[i] = c->agg.n_overflow[i];
            rows[i] = c->agg.tables[i].n;
        }
        for (size_t w = 0; w < d->n_workers; w++) {
            struct flowd_core *wc = &d->workers[w].core;
            pthread_mutex_lock(&d->workers[w].mutex);
            ms[n_ms++] = &wc->metrics;
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
                c->loc.learned.n, c->loc.n_learned, c->loc.n_moves,
                c->loc.learned.evictions, c->loc.n_unknown_agent);
        fprintf(f, "# TYPE l2mt_flowd_aggregation_overflow_samples_total "
                "counter\n");
        for (size_t i = 0; i < c->agg.n; i++) {
            fprintf(f, "l2mt_flowd_aggregation_overflow_samples_total"
                    "{aggregation=\"%s\"} %" PRIu64 "\n", c->agg.defs[i].name,
                    d->overflow_total[i] + open_overflow[i]);
        }
        fprintf(f, "# TYPE l2mt_flowd_aggregation_open_overflow_samples "
                "gauge\n");
        for (size_t i = 0; i < c->agg.n; i++) {
            fprintf(f, "l2mt_flowd_aggregation_open_overflow_samples"
                    "{aggregation=\"%s\"} %" PRIu64 "\n", c->agg.defs[i].name,
                    open_overflow[i]);
        }
        fprintf(f, "# TYPE l2mt_flowd_aggregation_rows gauge\n");
        for (size_t i = 0; i < c->agg.n; i++) {
            fprintf(f, "l2mt_flowd_aggregation_rows{aggregation=\"%s\"} %"
                    PRIu64 "\n", c->agg.defs[i].name, rows[i]);
        }
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
            fipx_write_metrics(f, d->ipfix_in);
        }
        if (c->store) {
            fprintf(f, "# TYPE l2mt_flowd_store_records_total counter\n"
                    "l2mt_flowd_store_records_total %" PRIu64 "\n"
                    "# TYPE l2mt_flowd_store_files_deleted_total counter\n"
                    "l2mt_flowd_store_files_deleted_total %" PRIu64 "\n",
                    c->store->n_written, c->store->n_deleted);
        }
    }
    if (f) {
        fclose(f);
    }
    char head[256];
    int hn = snprintf(head, sizeof head, "HTTP/1.0 %s\r\nContent-Type: "
                      "text/plain; version=0.0.4\r\nContent-Length: %zu\r\n"
                      "Connection: close\r\n\r\n",
                      found ? "200 OK" : "404 Not Found", found ? len : 0);
    if (send(fd, head, hn, MSG_NOSIGNAL) == hn && found && body) {
        for (size_t off = 0; off < len; ) {
            ssize_t w = send(fd, body + off, len - off, MSG_NOSIGNAL);
            if (w <= 0) {
                break;
            }
            off += w;
        }
    }
    free(body);
    close(fd);
}

static void
on_signal(int sig)
{
    if (sig == SIGHUP) {
        reload_requested = 1;
    } else {
        stop_requested = 1;
    }
}

static void
make_dir(const char *path)
{
    if (mkdir(path, 0755) && errno != EEXIST) {
        fatal("%s: %s", path, strerror(errno));
    }
}

static int
daemonize_start(const struct config *cfg)
{
    int fds[2];

    if (!cfg->detach) {
        return -1;
    }
    if (pipe(fds)) {
        fatal("pipe: %s", strerror(errno));
    }
    pid_t pid = fork();
    if (pid < 0) {
        fatal("fork: %s", strerror(errno));
    } else if (pid > 0) {
        /* Parent: succeed only once the child is ready. */
        char c;
        close(fds[1]);
        exit(read(fds[0], &c, 1) == 1 ? 0 : 1);
    }
    close(fds[0]);
    setsid();
    return fds[1];
}

static void
daemonize_finish(const struct config *cfg, int ready_fd)
{
    if (cfg->pidfile) {
        char tmp[PATH_MAX];
        fmt(tmp, sizeof tmp, "%s.tmp", cfg->pidfile);
        FILE *f = fopen(tmp, "w");
        if (!f || fprintf(f, "%ld\n", (long) getpid()) < 0 || fclose(f)
            || rename(tmp, cfg->pidfile)) {
            fatal("%s: %s", cfg->pidfile, strerror(errno));
        }
    }
    if (ready_fd >= 0) {
        if (!cfg->no_chdir && chdir("/")) {
            fatal("chdir: %s", strerror(errno));
        }
        int null = open("/dev/null", O_RDWR);
        if (null >= 0) {
            dup2(null, 0);
            dup2(null, 1);
            dup2(null, 2);
            close(null);
        }
        flog_set_console(false);
        if (write(ready_fd, "", 1) != 1) {
            exit(1);
        }
        close(ready_fd);
    }
}

static void
listener_init(struct listener *l, int fd)
{
    int one = 1;

    memset(l, 0, sizeof *l);
    l->fd = fd;
    /* The kernel's receive time of each datagram decides its interval, not
     * the time it is read. */
    if (setsockopt(fd, SOL_SOCKET, SO_TIMESTAMPNS, &one, sizeof one)) {
        fatal("SO_TIMESTAMPNS: %s", strerror(errno));
    }
    l->bufs = malloc(BATCH * sizeof *l->bufs);
    if (!l->bufs) {
        fatal("out of memory");
    }
    for (int j = 0; j < BATCH; j++) {
        l->iov[j] = (struct iovec) { l->bufs[j], sizeof l->bufs[j] };
    }
}

static uint64_t
datagram_ms(struct msghdr *msg)
{
    for (struct cmsghdr *c = CMSG_FIRSTHDR(msg); c; c = CMSG_NXTHDR(msg, c)) {
        if (c->cmsg_level == SOL_SOCKET && c->cmsg_type == SCM_TIMESTAMPNS) {
            struct timespec ts;
            memcpy(&ts, CMSG_DATA(c), sizeof ts);
            return (uint64_t) ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
        }
    }
    return now_ms();
}

/* Processes datagrams of 'l' received before 'end', reading at most
 * 'max_batches' batches from the socket.  Returns true if 'l' holds a
 * datagram received at or after 'end' (for the next interval). */
static bool
receive(struct flowd_core *core, struct listener *l, uint64_t end,
        int max_batches)
{
    for (int k = 0; k < max_batches; ) {
        if (l->next == l->n) {
            for (int j = 0; j < BATCH; j++) {
                l->msgs[j].msg_hdr = (struct msghdr) {
                    .msg_name = l->names ? &(*l->names)[j] : NULL,
                    .msg_namelen = l->names ? sizeof (*l->names)[j] : 0,
                    .msg_iov = &l->iov[j], .msg_iovlen = 1,
                    .msg_control = l->ctl[j],
                    .msg_controllen = sizeof l->ctl[j],
                };
            }
            int got = recvmmsg(l->fd, l->msgs, BATCH, MSG_DONTWAIT, NULL);
            if (got <= 0) {
                return false;
            }
            for (int j = 0; j < got; j++) {
                l->ms[j] = datagram_ms(&l->msgs[j].msg_hdr);
            }
            l->n = got;
            l->next = 0;
            k++;
        }
        for (; l->next < l->n; l->next++) {
            int j = l->next;
            if (l->ms[j] >= end) {
                return true;
            }
            if (l->ipfix) {
                fipx_datagram(l->ipfix, (struct sockaddr *) &(*l->names)[j],
                              l->msgs[j].msg_hdr.msg_namelen, l->bufs[j],
                              l->msgs[j].msg_len, l->ms[j]);
            } else {
                flowd_core_datagram(core, l->bufs[j], l->msgs[j].msg_len,
                                    l->ms[j]);
            }
        }
    }
    return false;
}

/* A receive worker: the daemon's receive loop on its own sockets and
 * tables.  At each interval end it takes in what the kernel received
 * before the end, then waits until the main thread has merged its
 * tables. */
static void *
worker_main(void *w_)
{
    struct worker *w = w_;
    struct daemon *d = w->d;
    size_t n = d->cfg->n_listen;
    uint64_t cur = d->cur_start;

    while (!__atomic_load_n(&d->stopping, __ATOMIC_ACQUIRE)) {
        uint64_t end = cur + d->interval_ms;
        struct pollfd pfd[MAX_LISTENERS];
        bool waiting = false;

        for (size_t i = 0; i < n; i++) {
            const struct listener *l = &w->udp[i];
            pfd[i] = (struct pollfd) { .fd = l->fd, .events = POLLIN };
            waiting |= l->next < l->n && l->ms[l->next] < end;
        }
        /* Bounded, so that a stop request is seen soon. */
        uint64_t now = now_ms();
        int timeout = waiting ? 0 : end > now ? (int) (end - now) : 0;
        timeout = timeout > 200 ? 200 : timeout;
        if (poll(pfd, n, timeout) < 0 && errno != EINTR) {
            flog(FLOG_ERR, "flowd", "poll: %s", strerror(errno));
        }
        pthread_mutex_lock(&w->mutex);
        for (size_t i = 0; i < n; i++) {
            if (pfd[i].revents & POLLIN || w->udp[i].next < w->udp[i].n) {
                receive(&w->core, &w->udp[i], end, 16);
            }
        }
        pthread_mutex_unlock(&w->mutex);

        if (now_ms() >= end) {
            pthread_mutex_lock(&w->mutex);
            for (size_t i = 0; i < n; i++) {
                receive(&w->core, &w->udp[i], end, INT_MAX);
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
    uint64_t now = now_ms();
    for (size_t i = 0; i < n; i++) {
        receive(&w->core, &w->udp[i], now, INT_MAX);
    }
    pthread_mutex_unlock(&w->mutex);
    return NULL;
}

/* Waits until every worker is done with the interval ending at 'end' and
 * merges their tables into the main thread's. */
static void
gather_workers(struct daemon *d, uint64_t end)
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
        flow_agg_merge(&d->core.agg, &d->workers[w].core.agg);
        flow_agg_clear(&d->workers[w].core.agg);
    }
}

static void
release_workers(struct daemon *d, uint64_t end)
{
    pthread_mutex_lock(&d->sync);
    d->released = end;
    pthread_cond_broadcast(&d->sync_cond);
    pthread_mutex_unlock(&d->sync);
}

/* Closes the open interval once every datagram the kernel received before
 * its end is in, and opens the next one. */
static void
next_interval(struct daemon *d, uint64_t now)
{
    uint64_t end = d->cur_start + d->interval_ms;
    uint64_t oldest = now;

    for (size_t i = 0; i < d->n_ipfix_udp; i++) {
        struct listener *l = &d->ipfix_udp[i];
        if (receive(&d->core, l, end, INT_MAX) && l->ms[l->next] < oldest) {
            oldest = l->ms[l->next];
        }
    }
    if (d->n_workers) {
        gather_workers(d, end);
        close_interval(d, end);
        release_workers(d, end);
        d->cur_start = end;     /* The workers go one interval at a time. */
        return;
    }

    for (size_t i = 0; i < d->n_udp; i++) {
        struct listener *l = &d->udp[i];
        if (receive(&d->core, l, end, INT_MAX) && l->ms[l->next] < oldest) {
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
open_ipfix_listeners(struct daemon *d)
{
    const struct config *cfg = d->cfg;
    char err[512];

    if (!cfg->n_ipfix_listen) {
        return;
    }
    d->ipfix_in = fipx_create(&d->core, &cfg->ipfix_in, err, sizeof err);
    if (!d->ipfix_in) {
        fatal("--ipfix-listen: %s", err);
    }
    for (size_t i = 0; i < cfg->n_ipfix_listen; i++) {
        const char *spec = cfg->ipfix_listen[i];
        bool tcp = !strncmp(spec, "tcp:", 4);
        if (tcp || !strncmp(spec, "udp:", 4)) {
            spec += 4;
        }
        int fd = open_socket(spec, tcp ? SOCK_STREAM : SOCK_DGRAM, false,
                             err, sizeof err);
        if (fd < 0) {
            fatal("--ipfix-listen %s", err);
        }
        if (tcp) {
            d->ipfix_tcp[d->n_ipfix_tcp++] = fd;
        } else {
            struct listener *l = &d->ipfix_udp[d->n_ipfix_udp++];
            listener_init(l, fd);
            l->ipfix = d->ipfix_in;
            l->names = malloc(sizeof *l->names);
            if (!l->names) {
                fatal("out of memory");
            }
        }
    }
    if (d->n_workers) {
        /* The receive workers classify with the main locator too. */
        d->core.loc_mutex = &d->loc_mutex;
    }
}

/* Polls and serves the IPFIX listeners and connections: 'pfd' from
 * ipfix_pollfds(). */
#define MAX_IPFIX_POLL (2 * MAX_LISTENERS + 64)

static size_t
ipfix_pollfds(const struct daemon *d, struct pollfd *pfd, uint64_t end)
{
    size_t n = 0;

    for (size_t i = 0; i < d->n_ipfix_udp; i++) {
        pfd[n++] = (struct pollfd) { .fd = d->ipfix_udp[i].fd,
                                     .events = POLLIN };
    }
    for (size_t i = 0; i < d->n_ipfix_tcp; i++) {
        pfd[n++] = (struct pollfd) { .fd = d->ipfix_tcp[i],
                                     .events = POLLIN };
    }
    if (d->ipfix_in) {
        n += fipx_tcp_pollfds(d->ipfix_in, pfd + n, MAX_IPFIX_POLL - n);
    }
    (void) end;
    return n;
}

static void
ipfix_serve(struct daemon *d, const struct pollfd *pfd, size_t n,
            uint64_t end)
{
    size_t k = 0;

    for (size_t i = 0; i < d->n_ipfix_udp; i++, k++) {
        struct listener *l = &d->ipfix_udp[i];
        if (pfd[k].revents & POLLIN || l->next < l->n) {
            receive(&d->core, l, end, 16);
        }
    }
    /* TCP has no kernel receive time: it counts when read, so only while
     * the open interval is still open (the caller closes it first). */
    uint64_t now = now_ms();
    for (size_t i = 0; i < d->n_ipfix_tcp; i++, k++) {
        if (pfd[k].revents & POLLIN) {
            fipx_tcp_accept(d->ipfix_in, d->ipfix_tcp[i], now);
        }
    }
    if (k < n) {
        fipx_tcp_run(d->ipfix_in, pfd + k, n - k, now);
    }
}

static void
run(struct config *cfg)
{
    static struct daemon d;
    char err[512];

    d.cfg = cfg;
    d.metrics_fd = -1;
    d.interval_ms = cfg->interval * 1000ULL;
    d.history = calloc(cfg->report_intervals, sizeof *d.history);

    /* Everything that can fail on configuration fails before detaching. */
    if (!flowd_core_init(&d.core, cfg->max_macs, cfg->max_keys,
                         cfg->max_sources, cfg->prefix4, cfg->prefix6, err,
                         sizeof err)) {
        fatal("%s", err);
    }
    for (size_t i = 0; i < cfg->n_aggs; i++) {
        if (!flowd_core_add_agg(&d.core, cfg->aggs[i], err, sizeof err)) {
            fatal("--aggregate %s: %s", cfg->aggs[i], err);
        }
    }
    d.ipfix.domain = cfg->domain;
    for (size_t i = 0; i < cfg->n_ipfix; i++) {
        if (!ipfix_add_upstream(&d.ipfix, cfg->ipfix[i], err, sizeof err)) {
            fatal("--ipfix %s", err);
        }
    }
    struct topo *t = load_topology(cfg, err, sizeof err);
    if (!t) {
        fatal("%s", err);
    }
    flowd_locator_set_topo(&d.core.loc, t);
    make_dir(cfg->state_dir);
    const char *sub[] = { "intervals", "json", "csv", "samples" };
    for (int i = 0; i < 4; i++) {
        fmt(d.dirs[i], sizeof d.dirs[i], "%s/%s", cfg->state_dir,
                 sub[i]);
        make_dir(d.dirs[i]);
    }
    d.inputs_sig = inputs_signature(cfg);
    d.n_workers = cfg->workers > 1 ? cfg->workers : 0;
    if (d.n_workers) {
        d.workers = calloc(d.n_workers, sizeof *d.workers);
        if (!d.workers) {
            fatal("out of memory");
        }
    }
    for (size_t w = 0; w < (d.n_workers ? d.n_workers : 1); w++) {
        struct listener *udp = d.n_workers ? d.workers[w].udp : d.udp;
        for (size_t i = 0; i < cfg->n_listen; i++) {
            int fd = open_socket(cfg->listen[i], SOCK_DGRAM,
                                 d.n_workers > 0, err, sizeof err);
            if (fd < 0) {
                fatal("--listen %s", err);
            }
            listener_init(&udp[i], fd);
        }
    }
    d.n_udp = d.n_workers ? 0 : cfg->n_listen;
    open_ipfix_listeners(&d);
    if (cfg->metrics) {
        d.metrics_fd = open_socket(cfg->metrics, SOCK_STREAM, false, err,
                                   sizeof err);
        if (d.metrics_fd < 0) {
            fatal("--metrics %s", err);
        }
    }
    if (cfg->store) {
        if (!flowd_store_open(&d.store, d.dirs[DIR_SAMPLES],
                              (uint64_t) cfg->store_mb << 20,
                              cfg->store_files, err, sizeof err)) {
            fatal("%s", err);
        }
        d.core.store = &d.store;
    }
    pthread_mutex_init(&d.loc_mutex, NULL);
    pthread_mutex_init(&d.store_mutex, NULL);
    pthread_mutex_init(&d.sync, NULL);
    pthread_cond_init(&d.sync_cond, NULL);
    for (size_t w = 0; w < d.n_workers; w++) {
        struct worker *wk = &d.workers[w];

        wk->d = &d;
        pthread_mutex_init(&wk->mutex, NULL);
        /* Its own locator stays unused (and small). */
        if (!flowd_core_init(&wk->core, 16, cfg->max_keys, cfg->max_sources,
                             cfg->prefix4, cfg->prefix6, err, sizeof err)) {
            fatal("%s", err);
        }
        for (size_t i = 0; i < cfg->n_aggs; i++) {
            if (!flowd_core_add_agg(&wk->core, cfg->aggs[i], err,
                                    sizeof err)) {
                fatal("--aggregate %s: %s", cfg->aggs[i], err);
            }
        }
        flowd_core_share(&wk->core, &d.core.loc, &d.loc_mutex, d.core.store,
                         &d.store_mutex);
    }
    if (cfg->log_file && !flog_open(cfg->log_file)) {
        fatal("--log-file %s: %s", cfg->log_file, strerror(errno));
    }

    int ready = daemonize_start(cfg);
    daemonize_finish(cfg, ready);

    struct sigaction sa = { .sa_handler = on_signal };
    sigaction(SIGTERM, &sa, NULL);
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGHUP, &sa, NULL);
    signal(SIGPIPE, SIG_IGN);

    flog(FLOG_INFO, "flowd", "l2mt-flowd " PACKAGE_VERSION " started: %zu "
         "listeners, interval %u s, %zu aggregations, %zu IPFIX upstreams",
         d.n_udp, cfg->interval, d.core.agg.n, d.ipfix.n);
    recover(&d);

    d.writer = flowd_writer_start(WRITER_QUEUE, write_interval, &d, err,
                                  sizeof err);
    if (!d.writer) {
        fatal("%s", err);
    }

    uint64_t now = now_ms();
    d.cur_start = now - now % d.interval_ms;
    uint64_t next_check = now + 5000;
    for (size_t w = 0; w < d.n_workers; w++) {
        int error = pthread_create(&d.workers[w].thread, NULL, worker_main,
                                   &d.workers[w]);
        if (error) {
            fatal("worker thread: %s", strerror(error));
        }
    }
    while (!stop_requested) {
        struct pollfd pfd[MAX_LISTENERS + 1 + MAX_IPFIX_POLL];
        uint64_t end = d.cur_start + d.interval_ms;
        bool waiting = false;
        size_t n = 0;

        for (size_t i = 0; i < d.n_udp; i++) {
            const struct listener *l = &d.udp[i];
            pfd[n++] = (struct pollfd) { .fd = l->fd, .events = POLLIN };
            /* Received before the end: waited for the last close. */
            waiting |= l->next < l->n && l->ms[l->next] < end;
        }
        for (size_t i = 0; i < d.n_ipfix_udp; i++) {
            const struct listener *l = &d.ipfix_udp[i];
            waiting |= l->next < l->n && l->ms[l->next] < end;
        }
        if (d.metrics_fd >= 0) {
            pfd[n++] = (struct pollfd) { .fd = d.metrics_fd,
                                         .events = POLLIN };
        }
        size_t ipfix_at = n;
        n += ipfix_pollfds(&d, pfd + n, end);
        /* The interval's end is a timer of its own: it closes on time
         * whether or not datagrams arrive. */
        now = now_ms();
        int timeout = waiting ? 0 : end > now ? (int) (end - now) : 0;
        timeout = timeout > 1000 ? 1000 : timeout;
        if (poll(pfd, n, timeout) < 0 && errno != EINTR) {
            flog(FLOG_ERR, "flowd", "poll: %s", strerror(errno));
            break;
        }
        for (size_t i = 0; i < d.n_udp; i++) {
            struct listener *l = &d.udp[i];
            if (pfd[i].revents & POLLIN || l->next < l->n) {
                /* Bounded, so that timers and other sockets get a turn. */
                receive(&d.core, l, end, 16);
            }
        }
        if (d.metrics_fd >= 0 && pfd[ipfix_at - 1].revents & POLLIN) {
            serve_metrics(&d);
        }

        now = now_ms();
        while (now >= d.cur_start + d.interval_ms) {
            next_interval(&d, now);
        }
        if (ipfix_at < n) {
            ipfix_serve(&d, pfd + ipfix_at, n - ipfix_at,
                        d.cur_start + d.interval_ms);
        }
        if (reload_requested) {
            reload_requested = 0;
            if (cfg->log_file) {
                flog_open(cfg->log_file);
            }
            reload(&d);
        } else if (now >= next_check) {
            next_check = now + 5000;
            if (d.ipfix_in) {
                fipx_expire(d.ipfix_in, now);
            }
            if (inputs_signature(cfg) != d.inputs_sig) {
                reload(&d);
            }
        }
    }

    /* Shutting down: what was received so far closes early rather than
     * being lost, and the writer finishes every closed interval. */
    if (d.n_workers) {
        pthread_mutex_lock(&d.sync);
        __atomic_store_n(&d.stopping, true, __ATOMIC_RELEASE);
        pthread_cond_broadcast(&d.sync_cond);
        pthread_mutex_unlock(&d.sync);
        for (size_t w = 0; w < d.n_workers; w++) {
            pthread_join(d.workers[w].thread, NULL);
            flow_agg_merge(&d.core.agg, &d.workers[w].core.agg);
        }
    }
    now = now_ms();
    for (size_t i = 0; i < d.n_udp; i++) {
        receive(&d.core, &d.udp[i], now, INT_MAX);
    }
    for (size_t i = 0; i < d.n_ipfix_udp; i++) {
        receive(&d.core, &d.ipfix_udp[i], now, INT_MAX);
    }
    close_interval(&d, now);
    flowd_writer_stop(d.writer);
    if (d.core.store) {
        flowd_store_close(d.core.store);
    }
    flog(FLOG_INFO, "flowd", "exiting");
    if (cfg->pidfile) {
        unlink(cfg->pidfile);
    }
    for (size_t i = 0; i < d.n_history; i++) {
        flowd_interval_free(d.history[i]);
    }
    free(d.history);
    free(d.advice_html);
    ipfix_close(&d.ipfix);
    fipx_destroy(d.ipfix_in);
    flowd_core_destroy(&d.core);
}

static uint64_t
parse_time(const char *name, const char *s)
{
    struct tm tm;
    char *end;

    memset(&tm, 0, sizeof tm);
    end = strptime(s, "%Y-%m-%dT%H:%M:%S", &tm);
    if (end && !*end) {
        return (uint64_t) timegm(&tm) * 1000;
    }
    errno = 0;
    double v = strtod(s, &end);
    if (!*s || *end || errno || v < 0) {
        fatal("--%s: '%s' is neither seconds since the epoch nor "
              "YYYY-MM-DDTHH:MM:SS", name, s);
    }
    return v * 1000;
}

struct query_out {
    long long limit, printed;
};

static void
print_rec(const struct flowd_rec *r, void *aux)
{
    struct query_out *q = aux;

    if (q->limit < 0 || q->printed < q->limit) {
        flowd_rec_csv(stdout, r);
        q->printed++;
    }
}

static int
cmd_query(int argc, char *argv[])
{
    static const struct option opts[] = {
        { "state-dir", required_argument, NULL, 'd' },
        { "from", required_argument, NULL, 'f' },
        { "to", required_argument, NULL, 't' },
        { "limit", required_argument, NULL, 'l' },
        { "help", no_argument, NULL, 'h' },
        { NULL, 0, NULL, 0 },
    };
    const char *state = "/var/lib/l2mt-flowd";
    struct flowd_query q;
    struct query_out out = { -1, 0 };
    char err[512], dir[PATH_MAX];
    int c;

    flowd_query_init(&q);
    while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
        switch (c) {
        case 'd': state = optarg; break;
        case 'f': q.from_ms = parse_time("from", optarg); break;
        case 't': q.to_ms = parse_time("to", optarg); break;
        case 'l': out.limit = parse_uint_opt("limit", optarg, 0, INT_MAX);
            break;
        case 'h': usage(); return 0;
        default: return 1;
        }
    }
    for (int i = optind; i < argc; i++) {
        if (!flowd_query_parse(&q, argv[i], err, sizeof err)) {
            fatal("%s", err);
        }
    }
    fmt(dir, sizeof dir, "%s/samples", state);
    flowd_rec_csv(stdout, NULL);
    long long n = flowd_store_query(dir, &q, print_rec, &out, err,
                                    sizeof err);
    if (n < 0) {
        fatal("%s", err);
    }
    fprintf(stderr, "%lld matching samples\n", n);
    return 0;
}

static int
cmd_plan(int argc, char *argv[])
{
    static const struct option opts[] = {
        { "pps", required_argument, NULL, 'p' },
        { "rate", required_argument, NULL, 'r' },
        { "interval", required_argument, NULL, 'i' },
        { "flows", required_argument, NULL, 'f' },
        { "alpha", required_argument, NULL, 'a' },
        { "c", required_argument, NULL, 'c' },
        { "max-packets", required_argument, NULL, 'm' },
        { "capacity", required_argument, NULL, 'k' },
        { "fan-in", required_argument, NULL, 'n' },
        { "help", no_argument, NULL, 'h' },
        { NULL, 0, NULL, 0 },
    };
    struct flowd_plan_params p;
    struct flowd_plan_result r;
    bool have_pps = false;
    int c;

    flowd_plan_defaults(&p);
    while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
        const char *name = c == 'h' || c == '?' ? "" : opts[0].name;
        for (const struct option *o = opts; o->name; o++) {
            if (o->val == c) {
                name = o->name;
            }
        }
        switch (c) {
        case 'p': p.pps = parse_double_opt(name, optarg); have_pps = true;
            break;
        case 'r': p.rate = parse_double_opt(name, optarg); break;
        case 'i': p.interval = parse_double_opt(name, optarg); break;
        case 'f': p.flows = parse_double_opt(name, optarg); break;
        case 'a': p.alpha = parse_double_opt(name, optarg); break;
        case 'c': p.c = parse_double_opt(name, optarg); break;
        case 'm': p.max_packets = parse_double_opt(name, optarg); break;
        case 'k': p.capacity = parse_double_opt(name, optarg); break;
        case 'n': p.fan_in = parse_double_opt(name, optarg); break;
        case 'h': usage(); return 0;
        default: return 1;
        }
    }
    if (!have_pps) {
        fatal("plan: --pps is required");
    }
    const char *error = flowd_plan(&p, &r);
    if (error) {
        fatal("plan: %s", error);
    }
    printf("model: p(x) = %g * x^-%g, x = 1..%.0f (sum p = %.6f, mean flow "
           "%.3f packets)\n", p.c, p.alpha, p.max_packets, r.p_sum,
           r.mean_packets);
    printf("samples_per_s %.3f\n", r.samples_per_s);
    printf("samples_per_interval %.3f\n", r.samples_per_interval);
    printf("flows_per_interval %.3f\n", r.flows_all);
    printf("sampled_flows_per_interval %.3f\n", r.flows_sampled);
    printf("sampled_fraction %.6f\n", r.sampled_fraction);
    printf("collector_tree");
    for (int i = 0; i < r.levels; i++) {
        printf(" %.0f", r.collectors[i]);
    }
    printf("  (collectors per level, leaves first: %.3g samples/s each, "
           "fan-in %.0f)\n", p.capacity, p.fan_in);
    return 0;
}

static void
print_classes(const char *label, const uint64_t b[3])
{
    printf("%ssame_host %" PRIu64 ", same_switch %" PRIu64 ", core %" PRIu64
           "\n", label, b[0], b[1], b[2]);
}

static int
cmd_advise(int argc, char *argv[])
{
    static const struct option opts[] = {
        { "state-dir", required_argument, NULL, 'd' },
        { "topology", required_argument, NULL, 'T' },
        { "inventory", required_argument, NULL, 'I' },
        { "from", required_argument, NULL, 'f' },
        { "to", required_argument, NULL, 't' },
        { "aggregation", required_argument, NULL, 'a' },
        { "moves", required_argument, NULL, 'm' },
        { "max-vms-per-host", required_argument, NULL, 'v' },
        { "receive-hosts", required_argument, NULL, 'r' },
        { "top", required_argument, NULL, 'n' },
        { "help", no_argument, NULL, 'h' },
        { NULL, 0, NULL, 0 },
    };
    static struct config cfg;
    struct flowd_advise_limits lim = { 5, 0, NULL };
    const char *state = "/var/lib/l2mt-flowd", *agg = "vm_pairs";
    const char *receive = NULL;
    uint64_t from = 0, to = UINT64_MAX;
    unsigned int top = 10;
    char err[512], dir[PATH_MAX];
    int c;

    while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
        switch (c) {
        case 'd': state = optarg; break;
        case 'T': cfg.topology = optarg; break;
        case 'I':
            if (cfg.n_inventory == MAX_INVENTORIES) {
                fatal("at most %d --inventory", MAX_INVENTORIES);
            }
            cfg.inventory[cfg.n_inventory++] = optarg;
            break;
        case 'f': from = parse_time("from", optarg); break;
        case 't': to = parse_time("to", optarg); break;
        case 'a': agg = optarg; break;
        case 'm': lim.max_moves = parse_uint_opt("moves", optarg, 0, 10000);
            break;
        case 'v':
            lim.max_vms_per_host = parse_uint_opt("max-vms-per-host", optarg,
                                                  1, 1000000);
            break;
        case 'r': receive = optarg; break;
        case 'n': top = parse_uint_opt("top", optarg, 0, 1000000); break;
        case 'h': usage(); return 0;
        default: return 1;
        }
    }
    if (optind < argc) {
        fatal("advise: unexpected argument '%s'", argv[optind]);
    }
    if (!cfg.topology && !cfg.n_inventory) {
        fatal("advise: --topology or --inventory is required (where the "
              "VMs are)");
    }
    struct topo *t = load_topology(&cfg, err, sizeof err);
    if (!t) {
        fatal("%s", err);
    }
    bool *may = NULL;
    if (receive) {
        char *list = strdup(receive), *save;
        may = calloc(t->n_hosts + 1, sizeof *may);
        if (!list || !may) {
            fatal("out of memory");
        }
        for (char *h = strtok_r(list, ",", &save); h;
             h = strtok_r(NULL, ",", &save)) {
            int i = topo_find_host(t, h);
            if (i < 0) {
                fatal("--receive-hosts: no host '%s' in the topology", h);
            }
            may[i] = true;
        }
        free(list);
        lim.may_receive = may;
    }

    struct flowd_advise adv;
    if (!flowd_advise_init(&adv, t, 10000000)) {
        fatal("out of memory");
    }
    fmt(dir, sizeof dir, "%s/intervals", state);
    struct dirent **list;
    int n = scandir(dir, &list, NULL, alphasort);
    if (n < 0) {
        fatal("%s: %s", dir, strerror(errno));
    }
    int used = 0;
    uint64_t first = 0, last = 0;
    for (int i = 0; i < n; i++) {
        const char *name = list[i]->d_name;
        size_t l = strlen(name);
        char path[PATH_MAX];

        if (l > 9 && !strcmp(name + l - 9, ".interval")) {
            fmt(path, sizeof path, "%s/%s", dir, name);
            struct flowd_interval *iv = flowd_interval_load(path, err,
                                                            sizeof err);
            if (!iv) {
                fprintf(stderr, "l2mt-flowd: %s (skipped)\n", err);
            } else if (iv->start_ms >= from && iv->end_ms <= to) {
                const struct interval_agg *ia = flowd_interval_find(iv, agg);
                int s = ia ? agg_def_field_offset(&ia->def, AGG_SRC_MAC) : -1;
                int d = ia ? agg_def_field_offset(&ia->def, AGG_DST_MAC) : -1;
                if (ia && (s < 0 || d < 0)) {
                    fatal("advise: aggregation '%s' has no src_mac and "
                          "dst_mac keys", agg);
                }
                for (uint32_t r = 0; ia && r < ia->n_rows; r++) {
                    const uint8_t *k = ia->keys + (size_t) r
                                                  * ia->def.key_len;
                    flowd_advise_add(&adv, k + s, k + d, ia->vals[r].bytes);
                }
                if (ia) {
                    first = used ? first : iv->start_ms;
                    last = iv->end_ms;
                    used++;
                }
            }
            flowd_interval_free(iv);
        }
        free(list[i]);
    }
    free(list);
    if (!used) {
        fatal("advise: no interval in %s has aggregation '%s' in the "
              "window (run the daemon with --aggregate=%s=src_mac,dst_mac)",
              dir, agg, agg);
    }

    uint64_t totals[3];
    char a[18], b[18];
    printf("window: %d intervals, %" PRIu64 "..%" PRIu64 " ms, aggregation "
           "%s, %zu VMs, %" PRIu32 " pairs\n", used, first, last, agg,
           adv.n_vms, adv.pairs.n);
    flowd_advise_totals(&adv, totals);
    print_classes("bytes: ", totals);
    printf("bytes not between placed VMs: %" PRIu64 "\n", adv.skipped_bytes);

    struct flowd_advise_pair *pairs;
    size_t n_pairs = flowd_advise_rank(&adv, &pairs);
    printf("pairs across an edge switch or the core (%zu):\n", n_pairs);
    for (size_t i = 0; i < n_pairs && i < top; i++) {
        flowd_format_mac(adv.macs[pairs[i].a], a);
        flowd_format_mac(adv.macs[pairs[i].b], b);
        printf("  %s (%s) %s (%s) %s %" PRIu64 "\n", a,
               t->hosts[adv.host[pairs[i].a]].name, b,
               t->hosts[adv.host[pairs[i].b]].name,
               flowd_class_name(pairs[i].class), pairs[i].bytes);
    }
    free(pairs);

    struct flowd_advise_move *moves;
    size_t n_moves = flowd_advise_moves(&adv, &lim, &moves);
    printf("moves (%zu):\n", n_moves);
    for (size_t i = 0; i < n_moves; i++) {
        const struct flowd_advise_move *m = &moves[i];
        flowd_format_mac(adv.macs[m->vm], a);
        printf("  move %s from %s to %s\n", a, t->hosts[m->from].name,
               t->hosts[m->to].name);
        print_classes("    before: ", m->before);
        print_classes("    after:  ", m->after);
    }
    free(moves);
    free(may);
    flowd_advise_destroy(&adv);
    topo_destroy(t);
    return 0;
}

int
main(int argc, char *argv[])
{
    enum {
        OPT_LISTEN = 256, OPT_TOPOLOGY, OPT_INVENTORY, OPT_STATE, OPT_INTERVAL,
        OPT_AGG, OPT_P4, OPT_P6, OPT_IPFIX, OPT_DOMAIN, OPT_METRICS,
        OPT_MAX_KEYS, OPT_MAX_MACS, OPT_MAX_SOURCES, OPT_WORKERS, OPT_KEEP, OPT_REPORT_N, OPT_TOP,
        OPT_STORE_MB, OPT_STORE_FILES, OPT_NO_STORE, OPT_DETACH, OPT_PIDFILE,
        OPT_LOG_FILE, OPT_NO_CHDIR, OPT_IPFIX_LISTEN, OPT_IPFIX_SOURCES,
        OPT_IPFIX_TEMPLATES, OPT_IPFIX_LIFETIME,
    };
    static const struct option opts[] = {
        { "listen", required_argument, NULL, OPT_LISTEN },
        { "topology", required_argument, NULL, OPT_TOPOLOGY },
        { "inventory", required_argument, NULL, OPT_INVENTORY },
        { "state-dir", required_argument, NULL, OPT_STATE },
        { "interval", required_argument, NULL, OPT_INTERVAL },
        { "aggregate", required_argument, NULL, OPT_AGG },
        { "prefix-v4", required_argument, NULL, OPT_P4 },
        { "prefix-v6", required_argument, NULL, OPT_P6 },
        { "ipfix", required_argument, NULL, OPT_IPFIX },
        { "ipfix-domain", required_argument, NULL, OPT_DOMAIN },
        { "ipfix-listen", required_argument, NULL, OPT_IPFIX_LISTEN },
        { "ipfix-max-sources", required_argument, NULL, OPT_IPFIX_SOURCES },
        { "ipfix-max-templates", required_argument, NULL,
          OPT_IPFIX_TEMPLATES },
        { "ipfix-template-lifetime", required_argument, NULL,
          OPT_IPFIX_LIFETIME },
        { "metrics", required_argument, NULL, OPT_METRICS },
        { "max-keys", required_argument, NULL, OPT_MAX_KEYS },
        { "max-macs", required_argument, NULL, OPT_MAX_MACS },
        { "max-sources", required_argument, NULL, OPT_MAX_SOURCES },
        { "workers", required_argument, NULL, OPT_WORKERS },
        { "keep-intervals", required_argument, NULL, OPT_KEEP },
        { "report-intervals", required_argument, NULL, OPT_REPORT_N },
        { "top", required_argument, NULL, OPT_TOP },
        { "store-mb", required_argument, NULL, OPT_STORE_MB },
        { "store-files", required_argument, NULL, OPT_STORE_FILES },
        { "no-store", no_argument, NULL, OPT_NO_STORE },
        { "detach", no_argument, NULL, OPT_DETACH },
        { "pidfile", optional_argument, NULL, OPT_PIDFILE },
        { "log-file", optional_argument, NULL, OPT_LOG_FILE },
        { "no-chdir", no_argument, NULL, OPT_NO_CHDIR },
        { "verbose", no_argument, NULL, 'v' },
        { "help", no_argument, NULL, 'h' },
        { "version", no_argument, NULL, 'V' },
        { NULL, 0, NULL, 0 },
    };
    static struct config cfg = {
        .state_dir = "/var/lib/l2mt-flowd", .interval = 60,
        .keep_intervals = 1440, .report_intervals = 288, .top = 10,
        .max_keys = 100000, .max_macs = 100000, .max_sources = 100000, .prefix4 = 24,
        .prefix6 = 64, .store_mb = 64, .store_files = 16, .store = true,
        .ipfix_in = { .max_sources = 256, .max_templates = 128,
                      .template_lifetime = 1800 },
    };
    const char *aggs[AGG_MAX], *ipfix[IPFIX_MAX_UPSTREAMS];
    size_t n_aggs = 0, n_ipfix = 0;
    unsigned int domain = 1;
    int c;

    if (argc > 1 && !strcmp(argv[1], "query")) {
        return cmd_query(argc - 1, argv + 1);
    } else if (argc > 1 && !strcmp(argv[1], "plan")) {
        return cmd_plan(argc - 1, argv + 1);
    } else if (argc > 1 && !strcmp(argv[1], "advise")) {
        return cmd_advise(argc - 1, argv + 1);
    }
    while ((c = getopt_long(argc, argv, "vhV", opts, NULL)) != -1) {
        switch (c) {
        case OPT_LISTEN:
            if (cfg.n_listen == MAX_LISTENERS) {
                fatal("at most %d --listen", MAX_LISTENERS);
            }
            cfg.listen[cfg.n_listen++] = optarg;
            break;
        case OPT_TOPOLOGY: cfg.topology = absolute(optarg); break;
        case OPT_INVENTORY:
            if (cfg.n_inventory == MAX_INVENTORIES) {
                fatal("at most %d --inventory", MAX_INVENTORIES);
            }
            cfg.inventory[cfg.n_inventory++] = absolute(optarg);
            break;
        case OPT_STATE: cfg.state_dir = absolute(optarg); break;
        case OPT_INTERVAL:
            cfg.interval = parse_uint_opt("interval", optarg, 1, 3600);
            break;
        case OPT_AGG:
            if (n_aggs == AGG_MAX) {
                fatal("too many --aggregate");
            }
            aggs[n_aggs++] = optarg;
            break;
        case OPT_P4: cfg.prefix4 = parse_uint_opt("prefix-v4", optarg, 0, 32);
            break;
        case OPT_P6:
            cfg.prefix6 = parse_uint_opt("prefix-v6", optarg, 0, 128);
            break;
        case OPT_IPFIX:
            if (n_ipfix == IPFIX_MAX_UPSTREAMS) {
                fatal("at most %d --ipfix", IPFIX_MAX_UPSTREAMS);
            }
            ipfix[n_ipfix++] = optarg;
            break;
        case OPT_DOMAIN:
            domain = parse_uint_opt("ipfix-domain", optarg, 0, UINT_MAX);
            break;
        case OPT_IPFIX_LISTEN:
            if (cfg.n_ipfix_listen == MAX_LISTENERS) {
                fatal("at most %d --ipfix-listen", MAX_LISTENERS);
            }
            cfg.ipfix_listen[cfg.n_ipfix_listen++] = optarg;
            break;
        case OPT_IPFIX_SOURCES:
            cfg.ipfix_in.max_sources = parse_uint_opt("ipfix-max-sources",
                                                      optarg, 1, 65536);
            break;
        case OPT_IPFIX_TEMPLATES:
            cfg.ipfix_in.max_templates = parse_uint_opt(
                "ipfix-max-templates", optarg, 1, 65536);
            break;
        case OPT_IPFIX_LIFETIME:
            cfg.ipfix_in.template_lifetime = parse_uint_opt(
                "ipfix-template-lifetime", optarg, 1, 86400);
            break;
        case OPT_METRICS: cfg.metrics = optarg; break;
        case OPT_MAX_KEYS:
            cfg.max_keys = parse_uint_opt("max-keys", optarg, 16, 100000000);
            break;
        case OPT_MAX_MACS:
            cfg.max_macs = parse_uint_opt("max-macs", optarg, 16, 100000000);
            break;
        case OPT_MAX_SOURCES:
            cfg.max_sources = parse_uint_opt("max-sources", optarg, 16,
                                             100000000);
            break;
        case OPT_WORKERS:
            cfg.workers = parse_uint_opt("workers", optarg, 1, MAX_WORKERS);
            break;
        case OPT_KEEP:
            cfg.keep_intervals = parse_uint_opt("keep-intervals", optarg, 1,
                                                1000000);
            break;
        case OPT_REPORT_N:
            cfg.report_intervals = parse_uint_opt("report-intervals", optarg,
                                                  1, 100000);
            break;
        case OPT_TOP: cfg.top = parse_uint_opt("top", optarg, 1, 100); break;
        case OPT_STORE_MB:
            cfg.store_mb = parse_uint_opt("store-mb", optarg, 1, 1 << 20);
            break;
        case OPT_STORE_FILES:
            cfg.store_files = parse_uint_opt("store-files", optarg, 2, 100000);
            break;
        case OPT_NO_STORE: cfg.store = false; break;
        case OPT_DETACH: cfg.detach = true; break;
        case OPT_PIDFILE:
            cfg.pidfile = absolute(optarg ? optarg
                                          : "/var/run/l2mt-flowd.pid");
            break;
        case OPT_LOG_FILE:
            cfg.log_file = absolute(optarg ? optarg
                                           : "/var/log/l2mt/l2mt-flowd.log");
            break;
        case OPT_NO_CHDIR: cfg.no_chdir = true; break;
        case 'v': flog_set_level(FLOG_DBG); break;
        case 'h': usage(); return 0;
        case 'V': printf("l2mt-flowd (l2mt) " PACKAGE_VERSION "\n"); return 0;
        default:
            fprintf(stderr, "Try 'l2mt-flowd --help'.\n");
            return 1;
        }
    }
    if (optind < argc) {
        fatal("unexpected argument '%s' (subcommands: query, plan, advise)",
              argv[optind]);
    }
    if (!cfg.n_listen) {
        cfg.listen[cfg.n_listen++] = "0.0.0.0:6343";
        cfg.listen[cfg.n_listen++] = "[::]:6343";
    }
    cfg.aggs = aggs;
    cfg.n_aggs = n_aggs;
    cfg.ipfix = ipfix;
    cfg.n_ipfix = n_ipfix;
    cfg.domain = domain;
    run(&cfg);
    return 0;
}
