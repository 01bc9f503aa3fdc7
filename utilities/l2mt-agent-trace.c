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
#include "l2mt-agent-trace.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "agent/plan.h"
#include "oam/oam-switch.h"
#include "oam/oam-trace.h"
#include "openvswitch/dynamic-string.h"
#include "openvswitch/json.h"
#include "openvswitch/poll-loop.h"
#include "openvswitch/vlog.h"
#include "unixctl.h"
#include "util.h"

VLOG_DEFINE_THIS_MODULE(agent_trace);

struct agent_tracer {
    char *vswitchd;             /* The switch's control socket. */
    int timeout;                /* Seconds. */
    const struct agent_ctx *ctx;

    /* The trace under way, if any. */
    struct unixctl_conn *conn;
    pid_t pid;
    int fd;                     /* Read end of the child's output. */
    struct ds out;
};

struct agent_tracer *
agent_tracer_create(const char *vswitchd, int timeout)
{
    struct agent_tracer *t = xzalloc(sizeof *t);

    t->vswitchd = xstrdup(vswitchd);
    t->timeout = timeout;
    t->fd = -1;
    ds_init(&t->out);
    return t;
}

static void
finish(struct agent_tracer *t)
{
    int status = 0;

    close(t->fd);
    t->fd = -1;
    while (waitpid(t->pid, &status, 0) < 0 && errno == EINTR) {
        continue;
    }
    /* The child writes "J" and the document, or "E" and the error. */
    if (WIFSIGNALED(status) && WTERMSIG(status) == SIGALRM) {
        char *msg = xasprintf("the trace took more than %d s: the switch "
                              "at %s does not answer", t->timeout,
                              t->vswitchd);

        unixctl_command_reply_error(t->conn, msg);
        free(msg);
    } else if (t->out.length && t->out.string[0] == 'J') {
        unixctl_command_reply(t->conn, t->out.string + 1);
    } else if (t->out.length && t->out.string[0] == 'E') {
        unixctl_command_reply_error(t->conn, t->out.string + 1);
    } else {
        unixctl_command_reply_error(t->conn, "the trace failed");
    }
    t->conn = NULL;
    ds_clear(&t->out);
}

void
agent_tracer_destroy(struct agent_tracer *t)
{
    if (t) {
        if (t->fd >= 0) {
            kill(t->pid, SIGKILL);
            finish(t);
        }
        ds_destroy(&t->out);
        free(t->vswitchd);
        free(t);
    }
}

/* In the child: runs the trace and writes the result to 'fd'. */
static void OVS_NO_RETURN
trace_child(struct agent_tracer *t, const struct l2mt_conf_tenant *tenant,
            const char *packet, int fd)
{
    struct oam_trace_req req;
    enum oam_status status;
    struct oam_switch hv;
    struct json *result;
    char *error = NULL;
    struct ds s = DS_EMPTY_INITIALIZER;

    signal(SIGALRM, SIG_DFL);
    alarm(t->timeout);
    memset(&req, 0, sizeof req);
    req.conf = t->ctx->conf;
    req.host = t->ctx->host;
    req.tenant = tenant;
    req.packet = packet;
    error = oam_switch_open(&hv, "hypervisor", t->vswitchd);
    if (!error) {
        req.hv = &hv;
        result = oam_trace_run(&req, &status, &error);
        if (result) {
            char *doc = json_to_string(result, JSSF_PRETTY);

            ds_put_format(&s, "J%s\n", doc);
            free(doc);
            json_destroy(result);
        }
    }
    if (error) {
        ds_put_format(&s, "E%s\n", error);
    }
    ignore(write(fd, s.string, s.length));
    _exit(0);
}

static void
trace_cmd(struct unixctl_conn *conn, int argc OVS_UNUSED, const char *argv[],
          void *t_)
{
    struct agent_tracer *t = t_;
    const struct l2mt_conf_tenant *tenant;
    int fds[2];
    pid_t pid;

    if (!t->ctx->conf) {
        unixctl_command_reply_error(conn, "no config in force yet");
        return;
    }
    tenant = oam_tenant_find(t->ctx->conf, argv[1]);
    if (!tenant) {
        char *msg = xasprintf("no tenant \"%s\" (a name or an id)", argv[1]);

        unixctl_command_reply_error(conn, msg);
        free(msg);
        return;
    }
    if (t->conn) {
        unixctl_command_reply_error(conn, "another trace is under way: "
                                    "try again");
        return;
    }
    if (pipe(fds)) {
        unixctl_command_reply_error(conn, ovs_strerror(errno));
        return;
    }
    pid = fork();
    if (pid < 0) {
        close(fds[0]);
        close(fds[1]);
        unixctl_command_reply_error(conn, ovs_strerror(errno));
        return;
    } else if (!pid) {
        close(fds[0]);
        trace_child(t, tenant, argv[2], fds[1]);
    }
    close(fds[1]);
    fcntl(fds[0], F_SETFL, O_NONBLOCK);
    t->conn = conn;
    t->pid = pid;
    t->fd = fds[0];
}

void
agent_tracer_register(struct agent_tracer *t, const struct agent_ctx *ctx)
{
    t->ctx = ctx;
    unixctl_command_register("trace", "TENANT PACKET", 2, 2, trace_cmd, t);
}

void
agent_tracer_run(struct agent_tracer *t)
{
    while (t->fd >= 0) {
        char buf[4096];
        ssize_t n = read(t->fd, buf, sizeof buf);

        if (n > 0) {
            ds_put_buffer(&t->out, buf, n);
        } else if (n < 0 && (errno == EAGAIN || errno == EINTR)) {
            break;
        } else {
            finish(t);
        }
    }
}

void
agent_tracer_wait(struct agent_tracer *t)
{
    if (t->fd >= 0) {
        poll_fd_wait(t->fd, POLLIN);
    }
}
