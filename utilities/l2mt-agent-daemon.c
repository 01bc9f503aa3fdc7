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
#include "l2mt-agent-daemon.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "l2mt-agent-inventory.h"
#include "l2mt-agent-log.h"
#include "l2mt-agent-netlink.h"
#include "l2mt-agent-sync.h"
#include "l2mt-conf.h"

static volatile sig_atomic_t got_hup, got_term;

static void
on_signal(int sig)
{
    if (sig == SIGHUP) {
        got_hup = 1;
    } else {
        got_term = 1;
    }
}

static long long
now_ms(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1000LL + ts.tv_nsec / 1000000;
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

/* Forks into the background; the parent exits once the child has written
 * its pidfile (or exits with the child's failure). */
static int
detach(const struct agent_daemon_opts *o, int *ready_fd)
{
    int fds[2];
    pid_t pid;

    if (pipe(fds)) {
        return errno;
    }
    pid = fork();
    if (pid < 0) {
        return errno;
    } else if (pid > 0) {
        char c;

        close(fds[1]);
        exit(read(fds[0], &c, 1) == 1 ? 0 : 1);
    }
    close(fds[0]);
    setsid();
    if (o->chdir_root && chdir("/")) {
        /* Not fatal: relative paths were resolved already. */
    }
    {
        int null = open("/dev/null", O_RDWR);

        if (null >= 0) {
            dup2(null, 0);
            dup2(null, 1);
            dup2(null, 2);
            if (null > 2) {
                close(null);
            }
        }
    }
    agent_log_set_console(false);
    *ready_fd = fds[1];
    return 0;
}

static int
write_pidfile(const char *file)
{
    char *tmp = malloc(strlen(file) + 8);
    FILE *f;

    if (!tmp) {
        return ENOMEM;
    }
    sprintf(tmp, "%s.tmp", file);
    f = fopen(tmp, "w");
    if (!f) {
        free(tmp);
        return errno;
    }
    fprintf(f, "%ld\n", (long) getpid());
    if (fclose(f) || rename(tmp, file)) {
        free(tmp);
        return errno;
    }
    free(tmp);
    return 0;
}

int
agent_daemon_run(const struct agent_daemon_opts *o)
{
    struct agent_sync_opts sync_opts = { false, true, NULL };
    struct l2mt_conf *conf = NULL;
    struct agent_nl_monitor *mon;
    struct agent_ctx ctx;
    long long stamp = -2, next = 0;
    int backoff = 1, ready_fd = -1, error;
    bool need_load = true, need_sync = true;

    if (o->detach && (error = detach(o, &ready_fd))) {
        AGENT_ERR("cannot detach: %s", strerror(error));
        return 1;
    }
    if (o->pidfile && (error = write_pidfile(o->pidfile))) {
        AGENT_ERR("%s: %s", o->pidfile, strerror(error));
        return 1;
    }
    signal(SIGHUP, on_signal);
    signal(SIGTERM, on_signal);
    signal(SIGINT, on_signal);
    signal(SIGPIPE, SIG_IGN);

    mon = agent_nl_monitor_create();
    if (!mon) {
        AGENT_WARN("cannot watch links over rtnetlink: link changes will "
                   "be seen only by the periodic check");
    }
    AGENT_INFO("l2mt-agent %s starting (config %s, host %s)",
               PACKAGE_VERSION, o->config, o->host);
    if (ready_fd >= 0) {
        if (write(ready_fd, "", 1) != 1) {
            /* The parent is gone; nothing to tell. */
        }
        close(ready_fd);
    }

    memset(&ctx, 0, sizeof ctx);
    ctx.ovs = o->ovs;
    while (!got_term) {
        long long t = now_ms(), s;
        struct pollfd pfd;
        int timeout;

        if (got_hup) {
            got_hup = 0;
            agent_log_reopen();
            AGENT_INFO("SIGHUP: reloading the config and re-applying");
            need_load = need_sync = true;
        }
        s = config_stamp(o->config);
        if (s != stamp) {
            if (stamp != -2) {
                AGENT_INFO("%s changed: reloading", o->config);
            }
            stamp = s;
            need_load = need_sync = true;
        }
        if (need_load) {
            char *errors = NULL;
            struct l2mt_conf *c = l2mt_conf_load(o->config, &errors);
            const struct l2mt_conf_host *h = c ? l2mt_conf_find_host(c, o->host)
                                               : NULL;

            need_load = false;
            if (!c || !h) {
                char *line, *save;

                for (line = errors ? strtok_r(errors, "\n", &save) : NULL;
                     line; line = strtok_r(NULL, "\n", &save)) {
                    AGENT_ERR("%s", line);
                }
                if (c) {
                    AGENT_ERR("%s: no host %s", o->config, o->host);
                }
                AGENT_ERR("config not used; %s", conf ? "keeping the "
                          "previous one" : "waiting for a valid one");
                l2mt_conf_free(c);
                free(errors);
                need_sync = conf != NULL && need_sync;
            } else {
                l2mt_conf_free(conf);
                conf = c;
                ctx.conf = conf;
                ctx.host = h;
                sync_opts.inventory = o->inventory ? o->inventory
                                      : h->inventory ? h->inventory
                                      : L2MT_INVENTORY_DEFAULT;
            }
        }
        if (conf && (need_sync || t >= next)) {
            bool changed;

            need_sync = false;
            if (agent_sync(&ctx, AGENT_APPLY, &sync_opts, &changed)) {
                AGENT_WARN("apply failed: retrying in %d s", backoff);
                next = t + backoff * 1000LL;
                backoff = backoff * 2 > o->max_backoff ? o->max_backoff
                          : backoff * 2;
            } else {
                if (backoff > 1 || changed) {
                    AGENT_INFO("switch %s", changed ? "re-applied"
                               : "reachable again, in sync");
                }
                backoff = 1;
                next = t + o->interval * 1000LL;
            }
        }

        timeout = next > t ? (int) (next - t) : 0;
        if (!conf || timeout > 1000) {
            timeout = 1000;     /* Look at the config file once a second. */
        }
        pfd.fd = mon ? agent_nl_monitor_fd(mon) : -1;
        pfd.events = POLLIN;
        pfd.revents = 0;
        if (poll(&pfd, 1, timeout) > 0 && mon) {
            char name[16];

            if (agent_nl_monitor_run(mon, name)) {
                AGENT_INFO("link %s changed: re-applying",
                           name[0] ? name : "?");
                need_sync = true;
            }
        }
    }
    AGENT_INFO("exiting");
    agent_nl_monitor_destroy(mon);
    l2mt_conf_free(conf);
    if (o->pidfile) {
        unlink(o->pidfile);
    }
    return 0;
}
