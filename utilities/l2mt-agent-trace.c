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

    /* The trace under way, if any: for a unixctl client ('conn') or for a
     * fleet request ('fleet_id'). */
    struct unixctl_conn *conn;
    char *fleet_id;
    pid_t pid;
    int fd;                     /* Read end of the child's output. */
    struct ds out;

    /* A fleet request's result, until agent_tracer_fleet_done(). */
    char *done_id;
    char *done_result;
};

/* The largest result written to the fleet database (the schema's bound on
 * Trace.results values). */
#define FLEET_RESULT_MAX 262144

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

/* A fleet request's error as its result: {"host", "error", "status"}. */
static char *
fleet_error(const struct agent_tracer *t, const char *error,
            enum oam_status status)
{
    struct json *j = json_object_create();
    char *s;

    json_object_put_string(j, "host", t->ctx->host ? t->ctx->host->name
                                      : "?");
    json_object_put_string(j, "error", error);
    json_object_put(j, "status", json_integer_create(status));
    s = json_to_string(j, 0);
    json_destroy(j);
    return s;
}

/* The trace is over: 'doc' is its JSON document, or NULL with 'error' and
 * 'status'. */
static void
deliver(struct agent_tracer *t, const char *doc, const char *error,
        enum oam_status status)
{
    if (t->conn) {
        if (doc) {
            unixctl_command_reply(t->conn, doc);
        } else {
            unixctl_command_reply_error(t->conn, error);
        }
        t->conn = NULL;
    } else if (t->fleet_id) {
        char *result = NULL;

        if (doc) {
            /* Compact, for the database. */
            struct json *j = json_from_string(doc);

            if (j->type == JSON_OBJECT) {
                result = json_to_string(j, 0);
            }
            json_destroy(j);
        }
        if (result && strlen(result) > FLEET_RESULT_MAX) {
            free(result);
            result = fleet_error(t, "the trace's result is larger than the "
                                 "database takes (256 KiB)", OAM_BAD_INPUT);
        } else if (!result) {
            /* The child's message ends in a new-line: not in the row. */
            char *msg = xstrdup(error ? error : "the trace failed");
            size_t n = strlen(msg);

            if (n && msg[n - 1] == '\n') {
                msg[n - 1] = '\0';
            }
            result = fleet_error(t, msg, doc ? OAM_NO_SWITCH : status);
            free(msg);
        }
        free(t->done_id);
        free(t->done_result);
        t->done_id = t->fleet_id;
        t->done_result = result;
        t->fleet_id = NULL;
    }
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
    /* The child writes "J" and the document, or "E", the status digit and
     * the error. */
    if (WIFSIGNALED(status) && WTERMSIG(status) == SIGALRM) {
        char *msg = xasprintf("the trace took more than %d s: the switch "
                              "at %s does not answer", t->timeout,
                              t->vswitchd);

        deliver(t, NULL, msg, OAM_NO_SWITCH);
        free(msg);
    } else if (t->out.length && t->out.string[0] == 'J') {
        deliver(t, t->out.string + 1, NULL, OAM_DELIVERED);
    } else if (t->out.length > 1 && t->out.string[0] == 'E') {
        deliver(t, NULL, t->out.string + 2, t->out.string[1] - '0');
    } else {
        deliver(t, NULL, "the trace failed", OAM_NO_SWITCH);
    }
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
        free(t->fleet_id);
        free(t->done_id);
        free(t->done_result);
        free(t);
    }
}

/* In the child: runs the trace and writes the result to 'fd'. */
static void OVS_NO_RETURN
trace_child(struct agent_tracer *t, const struct l2mt_conf_tenant *tenant,
            const char *packet, int fd)
{
    enum oam_status status = OAM_NO_SWITCH;
    struct oam_trace_req req;
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
        ds_put_format(&s, "E%d%s\n", (int) status, error);
    }
    ignore(write(fd, s.string, s.length));
    _exit(0);
}

/* Starts a trace of 'packet' for tenant 'name' in a child process.  Returns
 * NULL, or an error (caller frees) with '*status'. */
static char *
start(struct agent_tracer *t, const char *name, const char *packet,
      enum oam_status *status)
{
    const struct l2mt_conf_tenant *tenant;
    int fds[2];
    pid_t pid;

    *status = OAM_BAD_INPUT;
    if (!t->ctx->conf) {
        return xstrdup("no config in force yet");
    }
    tenant = oam_tenant_find(t->ctx->conf, name);
    if (!tenant) {
        return xasprintf("no tenant \"%s\" (a name or an id)", name);
    }
    *status = OAM_NO_SWITCH;
    if (t->fd >= 0) {
        return xstrdup("another trace is under way: try again");
    }
    if (pipe(fds)) {
        return xstrdup(ovs_strerror(errno));
    }
    pid = fork();
    if (pid < 0) {
        close(fds[0]);
        close(fds[1]);
        return xstrdup(ovs_strerror(errno));
    } else if (!pid) {
        close(fds[0]);
        trace_child(t, tenant, packet, fds[1]);
    }
    close(fds[1]);
    fcntl(fds[0], F_SETFL, O_NONBLOCK);
    t->pid = pid;
    t->fd = fds[0];
    return NULL;
}

static void
trace_cmd(struct unixctl_conn *conn, int argc OVS_UNUSED, const char *argv[],
          void *t_)
{
    struct agent_tracer *t = t_;
    enum oam_status status;
    char *error = start(t, argv[1], argv[2], &status);

    if (error) {
        unixctl_command_reply_error(conn, error);
        free(error);
    } else {
        t->conn = conn;
    }
}

bool
agent_tracer_busy(const struct agent_tracer *t)
{
    return t->fd >= 0;
}

void
agent_tracer_start_fleet(struct agent_tracer *t, const char *id,
                         const char *tenant, const char *packet)
{
    enum oam_status status;
    char *error = start(t, tenant, packet, &status);

    t->fleet_id = xstrdup(id);
    if (error) {
        deliver(t, NULL, error, status);
        free(error);
    }
}

bool
agent_tracer_fleet_done(struct agent_tracer *t, char **id, char **result)
{
    if (!t->done_id) {
        return false;
    }
    *id = t->done_id;
    *result = t->done_result;
    t->done_id = t->done_result = NULL;
    return true;
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
