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
 * l2mt-agent(8). */

#include <config.h>

#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "l2mt-agent-daemon.h"
#include "l2mt-agent-inventory.h"
#include "l2mt-agent-log.h"
#include "l2mt-agent-sync.h"
#include "l2mt-conf.h"
#include "l2mt-conf-util.h"

#define DEFAULT_PIDFILE "/run/l2mt/l2mt-agent.pid"
#define DEFAULT_LOGFILE "/var/log/l2mt/l2mt-agent.log"

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
  run          apply now and again on SIGHUP, config change, link up/down\n\
               and Open vSwitch restarts (implied by --detach)\n\
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
      --detach          run in the background\n\
      --pidfile[=FILE]  write a pidfile (default %s)\n\
      --log-file[=FILE] log to FILE (default %s)\n\
      --no-chdir        with --detach, stay in the current directory\n\
  -v, --verbose         log debug messages, also to the console\n\
  -h, --help            show this help\n\
  -V, --version         show the version\n\
\n\
Exit status: 0 success, 1 error (bad config, failed command); status:\n\
0 in sync, 1 drift, 2 error.\n",
           L2MT_CONF_DEFAULT_FILE, L2MT_INVENTORY_DEFAULT, DEFAULT_PIDFILE,
           DEFAULT_LOGFILE);
}

enum {
    OPT_HOST = UCHAR_MAX + 1, OPT_DB, OPT_VSCTL, OPT_OFCTL, OPT_INVENTORY,
    OPT_NO_INVENTORY, OPT_INTERVAL, OPT_MAX_BACKOFF, OPT_DETACH,
    OPT_PIDFILE, OPT_LOG_FILE, OPT_NO_CHDIR,
};

static int
parse_seconds(const char *opt, const char *arg, int min)
{
    char *end;
    long v = strtol(arg, &end, 10);

    if (*end || end == arg || v < min || v > 86400) {
        fprintf(stderr, "l2mt-agent: --%s: \"%s\" is not a number of "
                "seconds from %d to 86400\n", opt, arg, min);
        exit(1);
    }
    return v;
}

/* Absolute form of 'file', so a detached daemon still finds it. */
static char *
absolute(const char *file)
{
    char cwd[PATH_MAX];

    if (file[0] == '/' || !getcwd(cwd, sizeof cwd)) {
        return l2mt_xstrdup(file);
    }
    return l2mt_xasprintf("%s/%s", cwd, file);
}

int
main(int argc, char *argv[])
{
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
        { "detach", no_argument, NULL, OPT_DETACH },
        { "pidfile", optional_argument, NULL, OPT_PIDFILE },
        { "log-file", optional_argument, NULL, OPT_LOG_FILE },
        { "no-chdir", no_argument, NULL, OPT_NO_CHDIR },
        { "verbose", no_argument, NULL, 'v' },
        { "help", no_argument, NULL, 'h' },
        { "version", no_argument, NULL, 'V' },
        { NULL, 0, NULL, 0 },
    };
    struct agent_daemon_opts d = {
        .interval = 5, .max_backoff = 30, .chdir_root = true,
    };
    struct agent_sync_opts sync_opts = { false, false, NULL };
    const char *config = L2MT_CONF_DEFAULT_FILE;
    const char *inventory = NULL, *log_file = NULL, *command;
    struct agent_ovs ovs = { "ovs-vsctl", "ovs-ofctl", NULL, 10 };
    bool no_inventory = false;
    char hostname[256] = "";
    const char *host = NULL;
    struct l2mt_conf *conf;
    struct agent_ctx ctx;
    char *errors;
    int c, rc;

    while ((c = getopt_long(argc, argv, "c:nt:vhV", long_options,
                            NULL)) != -1) {
        switch (c) {
        case 'c': config = optarg; break;
        case OPT_HOST: host = optarg; break;
        case 'n': sync_opts.dry_run = true; break;
        case OPT_DB: ovs.db = optarg; break;
        case OPT_VSCTL: ovs.vsctl = optarg; break;
        case OPT_OFCTL: ovs.ofctl = optarg; break;
        case 't': ovs.timeout = parse_seconds("timeout", optarg, 1); break;
        case OPT_INVENTORY: inventory = optarg; break;
        case OPT_NO_INVENTORY: no_inventory = true; break;
        case OPT_INTERVAL:
            d.interval = parse_seconds("interval", optarg, 1);
            break;
        case OPT_MAX_BACKOFF:
            d.max_backoff = parse_seconds("max-backoff", optarg, 1);
            break;
        case OPT_DETACH: d.detach = true; break;
        case OPT_PIDFILE: d.pidfile = optarg ? optarg : DEFAULT_PIDFILE; break;
        case OPT_LOG_FILE: log_file = optarg ? optarg : DEFAULT_LOGFILE; break;
        case OPT_NO_CHDIR: d.chdir_root = false; break;
        case 'v': agent_log_set_verbose(true); break;
        case 'h': usage(); return 0;
        case 'V': printf("l2mt-agent (l2mt) %s\n", PACKAGE_VERSION); return 0;
        default:
            fprintf(stderr, "Try 'l2mt-agent --help'.\n");
            return 1;
        }
    }
    if (optind + 1 < argc) {
        fprintf(stderr, "l2mt-agent: one command only (try --help)\n");
        return 1;
    }
    command = optind < argc ? argv[optind] : d.detach ? "run" : "apply";
    if (strcmp(command, "apply") && strcmp(command, "status")
        && strcmp(command, "remove") && strcmp(command, "check")
        && strcmp(command, "inventory") && strcmp(command, "run")) {
        fprintf(stderr, "l2mt-agent: unknown command \"%s\" (try --help)\n",
                command);
        return 1;
    }
    if (d.detach && strcmp(command, "run")) {
        fprintf(stderr, "l2mt-agent: --detach goes with run only\n");
        return 1;
    }
    if (log_file) {
        int error = agent_log_open(log_file);

        if (error) {
            fprintf(stderr, "l2mt-agent: %s: %s\n", log_file,
                    strerror(error));
            return 1;
        }
    }
    if (!host) {
        if (gethostname(hostname, sizeof hostname - 1)) {
            strcpy(hostname, "localhost");
        }
        host = hostname;
    }

    if (!strcmp(command, "run")) {
        char *abs_config = absolute(config);
        char *abs_pidfile = d.pidfile ? absolute(d.pidfile) : NULL;
        char *abs_inventory = inventory ? absolute(inventory) : NULL;

        d.config = abs_config;
        d.host = host;
        d.ovs = ovs;
        d.pidfile = abs_pidfile;
        d.inventory = abs_inventory;
        if (no_inventory) {
            AGENT_WARN("--no-inventory is ignored by run");
        }
        rc = agent_daemon_run(&d);
        free(abs_config);
        free(abs_pidfile);
        free(abs_inventory);
        return rc;
    }

    conf = l2mt_conf_load(config, &errors);
    if (!conf) {
        fputs(errors, stderr);
        fprintf(stderr, "l2mt-agent: %s has errors: nothing changed\n",
                config);
        free(errors);
        return !strcmp(command, "status") ? 2 : 1;
    }
    ctx.conf = conf;
    ctx.ovs = ovs;
    ctx.host = l2mt_conf_find_host(conf, host);
    if (!ctx.host) {
        fprintf(stderr, "l2mt-agent: %s: no host %s (use --host)\n", config,
                host);
        l2mt_conf_free(conf);
        return !strcmp(command, "status") ? 2 : 1;
    }
    if (!strcmp(command, "check")) {
        printf("%s: ok: host %s, %zu tenants, %zu profiles, %zu ports\n",
               config, host, conf->n_tenants, conf->n_profiles,
               conf->n_ports);
        rc = 0;
    } else if (!strcmp(command, "inventory")) {
        struct ovs_state state;
        char *err = NULL;

        if (ovs_state_read(&ovs, &state, &err)) {
            fprintf(stderr, "l2mt-agent: cannot read the switch: %s", err);
            free(err);
            rc = 1;
        } else {
            char *text = agent_inventory(&ctx, &state);

            fputs(text, stdout);
            free(text);
            ovs_state_free(&state);
            rc = 0;
        }
    } else {
        enum agent_op op = !strcmp(command, "apply") ? AGENT_APPLY
                           : !strcmp(command, "status") ? AGENT_STATUS
                           : AGENT_REMOVE;
        bool changed;

        if (op == AGENT_APPLY && !no_inventory) {
            sync_opts.inventory = inventory ? inventory
                                  : ctx.host->inventory ? ctx.host->inventory
                                  : L2MT_INVENTORY_DEFAULT;
        }
        rc = agent_sync(&ctx, op, &sync_opts, &changed);
        if (op == AGENT_STATUS) {
            rc = rc ? 2 : changed;
        } else {
            rc = rc ? 1 : 0;
        }
    }
    l2mt_conf_free(conf);
    return rc;
}
