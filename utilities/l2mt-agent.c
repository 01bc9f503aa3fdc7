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

/* l2mt-agent: turns /etc/l2mt/l2mt.conf into Open vSwitch state through
 * ovs-vsctl and ovs-ofctl, atomically and idempotently.  See
 * l2mt-agent(8).  This file is the command line; lib/agent/ plans,
 * l2mt-agent-sync.c gathers and executes, l2mt-agent-loop.c is "run". */

#include <config.h>

#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "daemon.h"
#include "l2mt-agent-inventory.h"
#include "l2mt-agent-loop.h"
#include "l2mt-run.h"
#include "l2mt-agent-sync.h"
#include "l2mt-daemon-options.h"
#include "l2mt-conf.h"
#include "openvswitch/vlog.h"
#include "util.h"

VLOG_DEFINE_THIS_MODULE(agent_cmdline);

struct agent_cmdline {
    const char *command;        /* "apply", "status", ... */
    const char *config;
    const char *host;
    const char *inventory;      /* --inventory, or NULL. */
    bool no_inventory;
    bool dry_run;
    struct agent_ovs ovs;
    int interval, max_backoff;
    const char *fleet;          /* --fleet, or NULL. */
    int probe_interval;         /* Seconds, 0 for no probes. */
    const char *metrics;        /* --metrics, or NULL. */
    const char *appctl;         /* --appctl. */
    const char *vswitchd;       /* --switch. */
};

static void
usage(void)
{
    printf("\
l2mt-agent: turn the l2mt config into Open vSwitch state\n\
usage: l2mt-agent [OPTIONS] [COMMAND]\n\
\n\
Commands:\n\
  apply        make the switch match the config (the default)\n\
  status       show drift between config and switch, each GRE\n\
               tunnel's BFD state and the tenants it affects;\n\
               exit 0 in sync, 1 drift, 2 error\n\
  remove       take out everything l2mt-agent created, nothing else\n\
  check        check the config only\n\
  inventory    print the host inventory JSON (VM MAC, tenant, VLAN)\n\
  run          apply now and again on SIGHUP, agent/reload, config change,\n\
               link up/down and Open vSwitch restarts (implied by --detach);\n\
               ovs-appctl -t l2mt-agent agent/status|agent/probes|\n\
               agent/reload|trace TENANT PACKET|exit|vlog/set|\n\
               memory/show|coverage/show talk to it\n\
\n\
Options:\n\
  -c, --config=FILE     config file (default %s)\n\
      --host=NAME       host block to use (default: this machine's name)\n\
  -n, --dry-run         print the commands instead of running them\n\
      --db=SERVER       ovsdb-server to use, passed to ovs-vsctl --db\n\
      --vsctl=PROGRAM   ovs-vsctl to run (default: ovs-vsctl from PATH)\n\
      --ofctl=PROGRAM   ovs-ofctl to run (default: ovs-ofctl from PATH)\n\
  -t, --timeout=SECS    timeout of each ovs-vsctl/ovs-ofctl call (10)\n\
      --inventory=FILE  where apply writes the inventory (default: the\n\
                        host's 'inventory', else %s)\n\
      --no-inventory    do not write the inventory\n\
      --interval=SECS   run: seconds between drift checks (5)\n\
      --max-backoff=SECS  run: most seconds between retries (30)\n\
      --fleet=REMOTES   run: follow the fleet database (l2mt-db(5)) at\n\
                        REMOTES (tcp:A:6645,tcp:B:6645,...) instead of the\n\
                        file; --config is then where the last config\n\
                        applied is kept (and used while it is unreachable);\n\
                        --db stays this host's Open vSwitch database\n\
      --probe-interval=SECS  run: seconds between overlay probes of\n\
                        every tenant (5; 0: no probes)\n\
      --metrics=[ADDR]:PORT  run: serve Prometheus metrics there\n\
      --switch=SOCKET   ovs-vswitchd's control socket, for trace and the\n\
                        nat64 counters (default: found like ovs-appctl)\n\
      --appctl=PROGRAM  ovs-appctl to run (default: ovs-appctl from PATH)\n\
  -h, --help            show this help\n\
  -V, --version         show the version\n",
           L2MT_CONF_DEFAULT_FILE, L2MT_INVENTORY_DEFAULT);
    daemon_usage();
    vlog_usage();
    printf("\n\
Exit status: 0 success, 1 error (bad config, failed command); status:\n\
0 in sync, 1 drift, 2 error.\n");
}

static int
parse_seconds(const char *opt, const char *arg, int min)
{
    int v;

    if (!str_to_int(arg, 10, &v) || v < min || v > 86400) {
        ovs_fatal(0, "--%s: \"%s\" is not a number of seconds from %d to "
                  "86400", opt, arg, min);
    }
    return v;
}

static void
parse_options(int argc, char *argv[], struct agent_cmdline *cl)
{
    enum {
        OPT_HOST = UCHAR_MAX + 1, OPT_DB, OPT_VSCTL, OPT_OFCTL,
        OPT_INVENTORY, OPT_NO_INVENTORY, OPT_INTERVAL, OPT_MAX_BACKOFF,
        OPT_FLEET, OPT_PROBE_INTERVAL, OPT_METRICS, OPT_APPCTL, OPT_SWITCH,
        L2MT_DAEMON_OPTION_ENUMS,
    };
    static const struct option long_options[] = {
        { "config", required_argument, NULL, 'c' },
        { "host", required_argument, NULL, OPT_HOST },
        { "dry-run", no_argument, NULL, 'n' },
        { "db", required_argument, NULL, OPT_DB },
        { "vsctl", required_argument, NULL, OPT_VSCTL },
        { "ofctl", required_argument, NULL, OPT_OFCTL },
        { "timeout", required_argument, NULL, 't' },
        { "inventory", required_argument, NULL, OPT_INVENTORY },
        { "no-inventory", no_argument, NULL, OPT_NO_INVENTORY },
        { "interval", required_argument, NULL, OPT_INTERVAL },
        { "max-backoff", required_argument, NULL, OPT_MAX_BACKOFF },
        { "fleet", required_argument, NULL, OPT_FLEET },
        { "probe-interval", required_argument, NULL, OPT_PROBE_INTERVAL },
        { "metrics", required_argument, NULL, OPT_METRICS },
        { "appctl", required_argument, NULL, OPT_APPCTL },
        { "switch", required_argument, NULL, OPT_SWITCH },
        L2MT_DAEMON_LONG_OPTIONS,
    };
    int c;

    while ((c = getopt_long(argc, argv, "c:nt:v::hV", long_options,
                            NULL)) != -1) {
        switch (c) {
        case 'c': cl->config = optarg; break;
        case OPT_HOST: cl->host = optarg; break;
        case 'n': cl->dry_run = true; break;
        case OPT_DB: cl->ovs.db = optarg; break;
        case OPT_VSCTL: cl->ovs.vsctl = optarg; break;
        case OPT_OFCTL: cl->ovs.ofctl = optarg; break;
        case 't': cl->ovs.timeout = parse_seconds("timeout", optarg, 1); break;
        case OPT_INVENTORY: cl->inventory = optarg; break;
        case OPT_NO_INVENTORY: cl->no_inventory = true; break;
        case OPT_INTERVAL:
            cl->interval = parse_seconds("interval", optarg, 1);
            break;
        case OPT_MAX_BACKOFF:
            cl->max_backoff = parse_seconds("max-backoff", optarg, 1);
            break;
        case OPT_FLEET: cl->fleet = optarg; break;
        case OPT_PROBE_INTERVAL:
            cl->probe_interval = parse_seconds("probe-interval", optarg, 0);
            break;
        case OPT_METRICS: cl->metrics = optarg; break;
        case OPT_APPCTL: cl->appctl = optarg; break;
        case OPT_SWITCH: cl->vswitchd = optarg; break;
        L2MT_DAEMON_OPTION_HANDLERS(usage)
        }
    }
    if (optind + 1 < argc) {
        ovs_fatal(0, "one command only (try --help)");
    }
    cl->command = (optind < argc ? argv[optind]
                   : get_detach() ? "run" : "apply");
    if (strcmp(cl->command, "apply") && strcmp(cl->command, "status")
        && strcmp(cl->command, "remove") && strcmp(cl->command, "check")
        && strcmp(cl->command, "inventory") && strcmp(cl->command, "run")) {
        ovs_fatal(0, "unknown command \"%s\" (try --help)", cl->command);
    }
    if (get_detach() && strcmp(cl->command, "run")) {
        ovs_fatal(0, "--detach goes with run only");
    }
    if (cl->fleet && strcmp(cl->command, "run")) {
        ovs_fatal(0, "--fleet goes with run only (l2mt-ctl export writes "
                  "the database as a file for the other commands)");
    }
    if (cl->metrics && strcmp(cl->command, "run")) {
        ovs_fatal(0, "--metrics goes with run only");
    }
}

/* "run": the daemon, on absolute paths (it may chdir to /). */
static int
run_daemon(const struct agent_cmdline *cl)
{
    char *config = abs_file_name(NULL, cl->config);
    char *inventory = cl->inventory ? abs_file_name(NULL, cl->inventory)
                                    : NULL;
    struct agent_loop_opts o = {
        .config = config, .host = cl->host, .ovs = cl->ovs,
        .inventory = inventory, .interval = cl->interval,
        .max_backoff = cl->max_backoff, .fleet = cl->fleet,
        .probe_interval = cl->probe_interval * 1000,
        .metrics = cl->metrics, .appctl = cl->appctl,
        .vswitchd = cl->vswitchd, .trace_timeout = cl->ovs.timeout,
    };
    int rc;

    if (cl->no_inventory) {
        VLOG_WARN("--no-inventory is ignored by run");
    }
    rc = agent_loop_run(&o);
    free(config);
    free(inventory);
    return rc;
}

/* status: the overlay probes of the daemon ("run"), if one runs. */
static void
print_probes(const struct agent_cmdline *cl)
{
    struct agent_cmd cmd;
    char *out = NULL;

    agent_cmd_init(&cmd);
    agent_cmd_add(&cmd, cl->appctl);
    agent_cmd_add(&cmd, "-t");
    agent_cmd_add(&cmd, "l2mt-agent");
    agent_cmd_addf(&cmd, "--timeout=%d", cl->ovs.timeout);
    agent_cmd_add(&cmd, "agent/probes");
    /* Without a daemon there are no probes, and nothing to say. */
    if (!l2mt_run(cmd.argv, NULL, cl->ovs.timeout + 1, &out, NULL, NULL)) {
        fputs(out, stdout);
    }
    free(out);
    agent_cmd_free(&cmd);
}

/* One pass for the other commands.  Returns the exit status. */
static int
run_command(const struct agent_cmdline *cl)
{
    bool status = !strcmp(cl->command, "status");
    struct agent_ctx ctx = { .ovs = cl->ovs };
    char *errors = NULL;
    int rc;

    ctx.conf = l2mt_conf_load(cl->config, &errors);
    if (!ctx.conf) {
        fprintf(stderr, "%sl2mt-agent: %s has errors: nothing changed\n",
                errors, cl->config);
        free(errors);
        return status ? 2 : 1;
    }
    ctx.host = l2mt_conf_find_host(ctx.conf, cl->host);
    if (!ctx.host) {
        fprintf(stderr, "l2mt-agent: %s: no host %s (use --host)\n",
                cl->config, cl->host);
        rc = status ? 2 : 1;
    } else if (!strcmp(cl->command, "check")) {
        printf("%s: ok: host %s, %zu tenants, %zu profiles, %zu ports\n",
               cl->config, cl->host, ctx.conf->n_tenants,
               ctx.conf->n_profiles, ctx.conf->n_ports);
        rc = 0;
    } else if (!strcmp(cl->command, "inventory")) {
        char *error = agent_inventory_print(&ctx);

        if (error) {
            fprintf(stderr, "l2mt-agent: %s\n", error);
            free(error);
        }
        rc = error ? 1 : 0;
    } else {
        enum agent_op op = (!strcmp(cl->command, "apply") ? AGENT_APPLY
                            : status ? AGENT_STATUS : AGENT_REMOVE);
        struct agent_sync_opts so = { .dry_run = cl->dry_run };
        bool changed;

        if (op == AGENT_APPLY && !cl->no_inventory) {
            so.inventory = (cl->inventory ? cl->inventory
                            : ctx.host->inventory ? ctx.host->inventory
                            : L2MT_INVENTORY_DEFAULT);
        }
        rc = agent_sync(&ctx, op, &so, &changed);
        if (status && !rc) {
            print_probes(cl);
        }
        rc = status ? (rc ? 2 : changed) : rc ? 1 : 0;
    }
    l2mt_conf_free(CONST_CAST(struct l2mt_conf *, ctx.conf));
    return rc;
}

int
main(int argc, char *argv[])
{
    struct agent_cmdline cl = {
        .config = L2MT_CONF_DEFAULT_FILE,
        .ovs = { "ovs-vsctl", "ovs-ofctl", NULL, 10 },
        .interval = 5, .max_backoff = 30, .probe_interval = 5,
        .appctl = "ovs-appctl", .vswitchd = "ovs-vswitchd",
    };
    char hostname[256];

    set_program_name(argv[0]);
    /* As ovs-vsctl: warnings and errors on the console, unless -v. */
    vlog_set_levels(NULL, VLF_CONSOLE, VLL_WARN);
    parse_options(argc, argv, &cl);
    if (!cl.host) {
        if (gethostname(hostname, sizeof hostname - 1)) {
            strcpy(hostname, "localhost");
        }
        hostname[sizeof hostname - 1] = '\0';
        cl.host = hostname;
    }
    return (!strcmp(cl.command, "run") ? run_daemon(&cl)
            : run_command(&cl));
}
