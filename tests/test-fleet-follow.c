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

/* test-fleet-follow --db=REMOTE --host=NAME --dump=FILE [--persist=FILE]
 *                   [--bind=PORT]... [--timeout=SECS]
 *
 * Follows the l2mt database as host NAME through lib/fleet, as the agent
 * will (l2mt-agent --db): on every change, writes the host's configuration
 * to FILE in tests/test-conf's dump format (atomically: FILE.tmp then
 * renamed), keeps its text in the --persist file, and acknowledges the
 * generation in the host's status row (cur_cfg; last_error if the
 * database's state is refused, in which case FILE keeps the last good
 * config).  With --persist and a file there already, dumps it first: the
 * last applied config, before the database answers.  Each --bind names a
 * VM port whose interface is "on this host": the database records it as
 * bound here (VM_Port.host).  FILE.rows says how many Host and Host_Status
 * rows the host was sent (conditional monitoring: its own only).  Exits
 * after SECS
 * (default 120) or on SIGTERM. */

#include <config.h>

#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "conf-dump.h"
#include "fatal-signal.h"
#include "fleet/fleet-follow.h"
#include "fleet/fleet-persist.h"
#include "fleet/l2mt-idl.h"
#include "l2mt-conf.h"
#include "openvswitch/poll-loop.h"
#include "openvswitch/vlog.h"
#include "sset.h"
#include "timeval.h"
#include "util.h"

/* How many rows of the per-host tables the server sent this host. */
static void
write_rows(const char *dump, struct ovsdb_idl *idl)
{
    char *file = xasprintf("%s.rows", dump);
    const struct l2mtrec_host_status *s;
    const struct l2mtrec_host *h;
    int n_hosts = 0, n_status = 0;
    FILE *out;

    L2MTREC_HOST_FOR_EACH (h, idl) {
        n_hosts++;
    }
    L2MTREC_HOST_STATUS_FOR_EACH (s, idl) {
        n_status++;
    }
    out = fopen(file, "w");
    if (!out) {
        ovs_fatal(errno, "%s", file);
    }
    fprintf(out, "hosts=%d statuses=%d\n", n_hosts, n_status);
    fclose(out);
    free(file);
}

static void
write_dump(const char *file, const struct l2mt_conf *conf)
{
    char *tmp = xasprintf("%s.tmp", file);
    FILE *out = fopen(tmp, "w");

    if (!out) {
        ovs_fatal(errno, "%s", tmp);
    }
    conf_dump(out, conf);
    if (fclose(out) || rename(tmp, file)) {
        ovs_fatal(errno, "%s", file);
    }
    free(tmp);
}

int
main(int argc, char *argv[])
{
    static const struct option options[] = {
        {"db", required_argument, NULL, 'd'},
        {"host", required_argument, NULL, 'H'},
        {"dump", required_argument, NULL, 'o'},
        {"persist", required_argument, NULL, 'p'},
        {"timeout", required_argument, NULL, 't'},
        {"bind", required_argument, NULL, 'b'},
        {NULL, 0, NULL, 0},
    };
    const char *db = NULL, *host = NULL, *dump = NULL, *persist = NULL;
    long long int deadline;
    struct sset bound = SSET_INITIALIZER(&bound);
    struct fleet_follow *f;
    int timeout = 120;
    int c;

    set_program_name(argv[0]);
    vlog_set_levels(NULL, VLF_CONSOLE, VLL_WARN);
    vlog_set_levels_from_string_assert("reconnect:warn");
    while ((c = getopt_long(argc, argv, "", options, NULL)) != -1) {
        switch (c) {
        case 'd': db = optarg; break;
        case 'H': host = optarg; break;
        case 'o': dump = optarg; break;
        case 'p': persist = optarg; break;
        case 't': timeout = atoi(optarg); break;
        case 'b': sset_add(&bound, optarg); break;
        default: exit(2);
        }
    }
    if (!db || !host || !dump || timeout <= 0) {
        fprintf(stderr, "usage: %s --db=REMOTE --host=NAME --dump=FILE "
                "[--persist=FILE] [--timeout=SECS]\n", argv[0]);
        exit(2);
    }
    fatal_ignore_sigpipe();

    if (persist && !access(persist, F_OK)) {
        char *errors;
        struct l2mt_conf *conf = fleet_persist_load(persist, &errors);

        if (!conf) {
            ovs_fatal(0, "%s", errors);
        }
        write_dump(dump, conf);
        l2mt_conf_free(conf);
    }

    f = fleet_follow_create(db, host);
    fleet_follow_set_bound(f, &bound);
    sset_destroy(&bound);
    deadline = time_msec() + timeout * 1000LL;
    while (time_msec() < deadline) {
        fatal_signal_run();
        fleet_follow_run(f);
        if (fleet_follow_changed(f)) {
            char *errors = NULL;
            struct l2mt_conf *conf = fleet_follow_conf(f, &errors);

            write_rows(dump, fleet_follow_idl(f));
            if (conf) {
                write_dump(dump, conf);
                if (persist) {
                    char *error;
                    if (fleet_persist_save(persist, fleet_follow_text(f),
                                           &error)) {
                        ovs_fatal(0, "%s", error);
                    }
                }
                l2mt_conf_free(conf);
            } else {
                fprintf(stderr, "%s: refused, keeping the last config:\n%s",
                        host, errors);
            }
            fleet_follow_ack(f, fleet_follow_next_cfg(f), errors);
            free(errors);
        }
        fleet_follow_wait(f);
        poll_timer_wait_until(deadline);
        fatal_signal_wait();
        poll_block();
    }
    fleet_follow_destroy(f);
    return 0;
}
