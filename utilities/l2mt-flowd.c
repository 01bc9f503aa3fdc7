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
 * re-exports aggregates as IPFIX (a flow mediator).  See l2mt-flowd(8).
 * The daemon is lib/flowd/flowd-daemon.c; the other commands are in
 * l2mt-flowd-cmds.c.  This file parses options and wires them. */

#include <config.h>

#include <getopt.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "daemon.h"
#include "dirs.h"
#include "flowd/flowd-daemon.h"
#include "flowd/flow-agg.h"
#include "flowd/ipfix.h"
#include "l2mt-daemon-options.h"
#include "l2mt-flowd-cmds.h"
#include "openvswitch/vlog.h"
#include "util.h"

#define MAX_INVENTORIES 64

void
flowd_usage(void)
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
           "  --db=REMOTES            the same from the l2mt database\n"
           "                          (l2mt-ctl flowd-topology; SIGHUP\n"
           "                          re-reads it)\n"
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
           "  --unixctl=SOCKET        control socket (default\n"
           "                          %s/l2mt-flowd.PID.ctl)\n"
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
           "  [--top=N (10)]; NAME has keys src_mac,dst_mac\n",
           ovs_rundir());
    daemon_usage();
    vlog_usage();
    printf("\nSee l2mt-flowd(8).\n");
}

/* A repeatable option's value, kept in 'list' of at most 'max'. */
static void
add_value(const char *opt, const char **list, size_t *n, size_t max,
          const char *value)
{
    if (*n >= max) {
        ovs_fatal(0, "at most %zu --%s", max, opt);
    }
    list[(*n)++] = value;
}

/* An option of l2mt-flowd's that takes a number. */
struct uint_option {
    int code;                   /* getopt_long()'s value for it. */
    unsigned int min, max;      /* Its range. */
    size_t offset;              /* The unsigned int (or uint32_t) of
                                 * struct flowd_daemon_config it sets. */
};
BUILD_ASSERT_DECL(sizeof(uint32_t) == sizeof(unsigned int));

/* If 'code' is one of the 'n' options in 'uint_opts', sets its field of
 * 'cfg' from 'arg' (or exits, naming the option as 'opts' does) and
 * returns true. */
static bool
set_uint_option(const struct uint_option uint_opts[], size_t n,
                const struct option opts[], int code, const char *arg,
                struct flowd_daemon_config *cfg)
{
    for (size_t i = 0; i < n; i++) {
        const struct uint_option *u = &uint_opts[i];

        if (u->code == code) {
            *(unsigned int *) ((char *) cfg + u->offset)
                = flowd_parse_uint(flowd_option_name(opts, code), arg,
                                   u->min, u->max);
            return true;
        }
    }
    return false;
}

static void
parse_options(int argc, char *argv[], struct flowd_daemon_config *cfg)
{
    enum {
        OPT_LISTEN = UCHAR_MAX + 1, OPT_TOPOLOGY, OPT_INVENTORY, OPT_STATE,
        OPT_INTERVAL, OPT_AGG, OPT_P4, OPT_P6, OPT_IPFIX, OPT_DOMAIN,
        OPT_METRICS, OPT_MAX_KEYS, OPT_MAX_MACS, OPT_MAX_SOURCES,
        OPT_WORKERS, OPT_KEEP, OPT_REPORT_N, OPT_TOP, OPT_STORE_MB,
        OPT_STORE_FILES, OPT_NO_STORE, OPT_IPFIX_LISTEN, OPT_IPFIX_SOURCES,
        OPT_IPFIX_TEMPLATES, OPT_IPFIX_LIFETIME, OPT_UNIXCTL, OPT_DB,
        L2MT_DAEMON_OPTION_ENUMS,
    };
    static const struct option opts[] = {
        { "listen", required_argument, NULL, OPT_LISTEN },
        { "topology", required_argument, NULL, OPT_TOPOLOGY },
        { "db", required_argument, NULL, OPT_DB },
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
        { "unixctl", required_argument, NULL, OPT_UNIXCTL },
        L2MT_DAEMON_LONG_OPTIONS,
    };
    /* The options that take a number: each one's range and the field it
     * sets. */
#define CFG_FIELD(FIELD) offsetof(struct flowd_daemon_config, FIELD)
    static const struct uint_option uint_opts[] = {
        { OPT_INTERVAL, 1, 3600, CFG_FIELD(interval) },
        { OPT_P4, 0, 32, CFG_FIELD(prefix4) },
        { OPT_P6, 0, 128, CFG_FIELD(prefix6) },
        { OPT_DOMAIN, 0, UINT_MAX, CFG_FIELD(domain) },
        { OPT_IPFIX_SOURCES, 1, 65536, CFG_FIELD(ipfix_in.max_sources) },
        { OPT_IPFIX_TEMPLATES, 1, 65536,
          CFG_FIELD(ipfix_in.max_templates) },
        { OPT_IPFIX_LIFETIME, 1, 86400,
          CFG_FIELD(ipfix_in.template_lifetime) },
        { OPT_MAX_KEYS, 16, 100000000, CFG_FIELD(max_keys) },
        { OPT_MAX_MACS, 16, 100000000, CFG_FIELD(max_macs) },
        { OPT_MAX_SOURCES, 16, 100000000, CFG_FIELD(max_sources) },
        { OPT_WORKERS, 1, FLOWD_MAX_WORKERS, CFG_FIELD(workers) },
        { OPT_KEEP, 1, 1000000, CFG_FIELD(keep_intervals) },
        { OPT_REPORT_N, 1, 100000, CFG_FIELD(report_intervals) },
        { OPT_TOP, 1, 100, CFG_FIELD(top) },
        { OPT_STORE_MB, 1, 1 << 20, CFG_FIELD(store_mb) },
        { OPT_STORE_FILES, 2, 100000, CFG_FIELD(store_files) },
    };
#undef CFG_FIELD
    static const char *inventory[MAX_INVENTORIES];
    static const char *aggs[FLOWD_AGG_MAX], *ipfix[FLOWD_IPFIX_MAX_UPSTREAMS];
    /* Absolute paths: --detach changes to / unless --no-chdir. */
    struct flowd_inputs *in = &cfg->inputs;
    int c;

    in->inventory = inventory;
    cfg->aggs = aggs;
    cfg->ipfix = ipfix;
    while ((c = getopt_long(argc, argv, "v::hV", opts, NULL)) != -1) {
        if (set_uint_option(uint_opts, ARRAY_SIZE(uint_opts), opts, c, optarg,
                            cfg)) {
            continue;
        }
        switch (c) {
        case OPT_LISTEN:
            add_value("listen", cfg->listen, &cfg->n_listen,
                      FLOWD_MAX_LISTENERS, optarg);
            break;
        case OPT_TOPOLOGY: in->topology = abs_file_name(NULL, optarg); break;
        case OPT_DB: in->db = optarg; break;
        case OPT_INVENTORY:
            add_value("inventory", inventory, &in->n_inventory,
                      MAX_INVENTORIES, abs_file_name(NULL, optarg));
            break;
        case OPT_STATE: cfg->state_dir = abs_file_name(NULL, optarg); break;
        case OPT_AGG:
            add_value("aggregate", aggs, &cfg->n_aggs, FLOWD_AGG_MAX, optarg);
            break;
        case OPT_IPFIX:
            add_value("ipfix", ipfix, &cfg->n_ipfix, FLOWD_IPFIX_MAX_UPSTREAMS,
                      optarg);
            break;
        case OPT_IPFIX_LISTEN:
            add_value("ipfix-listen", cfg->ipfix_listen,
                      &cfg->n_ipfix_listen, FLOWD_MAX_LISTENERS, optarg);
            break;
        case OPT_METRICS: cfg->metrics = optarg; break;
        case OPT_NO_STORE: cfg->store = false; break;
        case OPT_UNIXCTL: cfg->unixctl = abs_file_name(NULL, optarg); break;
        L2MT_DAEMON_OPTION_HANDLERS(flowd_usage)
        }
    }
    if (optind < argc) {
        ovs_fatal(0, "unexpected argument '%s' (subcommands: query, plan, "
                  "advise)", argv[optind]);
    }
    if (!cfg->n_listen) {
        cfg->listen[cfg->n_listen++] = "0.0.0.0:6343";
        cfg->listen[cfg->n_listen++] = "[::]:6343";
    }
}

int
main(int argc, char *argv[])
{
    static struct flowd_daemon_config cfg = {
        .state_dir = "/var/lib/l2mt-flowd", .interval = 60,
        .keep_intervals = 1440, .report_intervals = 288, .top = 10,
        .max_keys = 100000, .max_macs = 100000, .max_sources = 100000,
        .prefix4 = 24, .prefix6 = 64, .store_mb = 64, .store_files = 16,
        .store = true, .domain = 1,
        .ipfix_in = { .max_sources = 256, .max_templates = 128,
                      .template_lifetime = 1800 },
    };

    set_program_name(argv[0]);
    if (argc > 1 && !strcmp(argv[1], "query")) {
        return flowd_cmd_query(argc - 1, argv + 1);
    } else if (argc > 1 && !strcmp(argv[1], "plan")) {
        return flowd_cmd_plan(argc - 1, argv + 1);
    } else if (argc > 1 && !strcmp(argv[1], "advise")) {
        return flowd_cmd_advise(argc - 1, argv + 1);
    }
    parse_options(argc, argv, &cfg);
    return flowd_daemon_run(&cfg);
}
