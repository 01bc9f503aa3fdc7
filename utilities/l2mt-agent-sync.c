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
#include "l2mt-agent-sync.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dirs.h"
#include "l2mt-agent-flows.h"
#include "l2mt-agent-gather.h"
#include "l2mt-agent-inventory.h"
#include "l2mt-agent-meters.h"
#include "l2mt-run.h"
#include "openflow/openflow.h"
#include "openvswitch/vconn.h"
#include "openvswitch/vlog.h"
#include "socket-util.h"
#include "util.h"

VLOG_DEFINE_THIS_MODULE(agent_sync);

/* ovs-ofctl in OpenFlow 1.4 for every call (dump-meters; the commands
 * --dry-run prints), the version the agent's own connection speaks. */
void
agent_ofctl_base(const struct agent_ctx *ctx, struct agent_cmd *cmd)
{
    agent_cmd_init(cmd);
    agent_cmd_add(cmd, ctx->ovs.ofctl);
    agent_cmd_addf(cmd, "--timeout=%d", ctx->ovs.timeout);
    agent_cmd_add(cmd, "-O");
    agent_cmd_add(cmd, "OpenFlow14");
}

/* Opens an OpenFlow 1.4 connection (bundles need 1.4) to the tenant
 * bridge, where ovs-ofctl finds a bridge by its name.  Returns NULL or an
 * error message (caller frees). */
char *
agent_vconn_open(const struct agent_ctx *ctx, struct vconn **vconnp)
{
    char *target = xasprintf("unix:%s/%s.mgmt", ovs_rundir(),
                             ctx->host->bridge);
    int err = vconn_open_block(target, 1u << OFP14_VERSION, DSCP_DEFAULT,
                               ctx->ovs.timeout * 1000LL, vconnp);
    char *error = err ? xasprintf("%s: %s", target, ovs_strerror(err)) : NULL;

    if (err) {
        *vconnp = NULL;
    }
    free(target);
    return error;
}

/* Logs each line of 'text' at 'level' with 'prefix'. */
static void
log_lines(enum vlog_level level, const char *prefix, const char *text)
{
    const char *s = text;

    while (s && *s) {
        size_t n = strcspn(s, "\n");

        if (n) {
            VLOG(level, "%s%.*s", prefix, (int) n, s);
        }
        s += n + (s[n] != '\0');
    }
}

/* Prints each line of 'text' with 'prefix' on stdout. */
static void
print_lines(const char *prefix, const char *text)
{
    const char *s = text;

    while (s && *s) {
        size_t n = strcspn(s, "\n");

        if (n) {
            printf("%s%.*s\n", prefix, (int) n, s);
        }
        s += n + (s[n] != '\0');
    }
}

/* A change about to be made, each line of 'text': logged with
 * 'log_prefix' and, unless 'quiet', printed with 'print_prefix'. */
static void
show_change(bool quiet, const char *log_prefix, const char *print_prefix,
            const char *text)
{
    log_lines(VLL_INFO, log_prefix, text);
    if (!quiet) {
        print_lines(print_prefix, text);
    }
}

/* The number of non-empty lines in 'text' (NULL: none). */
static int
count_lines(const char *text)
{
    const char *s = text;
    int n = 0;

    while (s && *s) {
        size_t len = strcspn(s, "\n");

        n += len > 0;
        s += len + (s[len] != '\0');
    }
    return n;
}

/* Runs 'cmd'.  Returns its exit status, logging its stderr as an error
 * unless the status is one of the 'ok' ones (0 always is). */
static int
run_logged(const struct agent_cmd *cmd, const char *input, int timeout,
           char **out, int ok)
{
    char *err = NULL;
    int rc = l2mt_run(cmd->argv, input, timeout, out, NULL, &err);

    if (rc && rc != ok) {
        char *line = agent_cmd_to_shell(cmd);

        VLOG_ERR("failed (%s): %s", rc < 0 ? "did not finish"
                  : "nonzero exit", line);
        log_lines(VLL_ERR, "  ", err);
        free(line);
    }
    free(err);
    return rc;
}

/* The tenant bridge's flows: the planned ones, compared with the bridge's
 * (and, if 'apply', the differences sent) over one OpenFlow connection.
 * Returns 0 if they are the same (or there is no bridge), 1 if they
 * differed (differences in 'diff'), -1 on error. */
static int
sync_flows(const struct agent_ctx *ctx, const struct agent_db *state,
           bool remove, bool apply, struct l2mt_str *diff)
{
    const struct json *br = agent_db_find(state, OT_BRIDGE, "name",
                                          ctx->host->bridge);
    struct l2mt_str flows = { NULL, 0, 0 }, missing = { NULL, 0, 0 };
    struct agent_flows_opts o = {
        .remove = remove,
        .owned = br && agent_db_owned(br),
        .apply = apply,
    };
    bool differs;
    char *error;

    if (!br) {
        return 0;
    }
    if (!remove) {
        /* Said once, not on every pass of the daemon. */
        static char *last_missing;

        agent_plan_flows(ctx, state, false, &flows, &missing);
        if (missing.len && (!last_missing || strcmp(last_missing,
                                                    missing.s))) {
            VLOG_WARN("no OpenFlow port for %s (no such device yet?): "
                       "flows for it left out", missing.s);
        }
        free(last_missing);
        last_missing = l2mt_str_steal(&missing);
    }
    error = agent_flows_sync(ctx, l2mt_str_cstr(&flows), &o, diff, &differs);
    l2mt_str_free(&flows);
    l2mt_str_free(&missing);
    if (error) {
        VLOG_ERR("%s", error);
        free(error);
        return -1;
    }
    return differs;
}

static void
print_cmds(const struct agent_cmd *cmds, size_t n)
{
    size_t i;

    for (i = 0; i < n; i++) {
        char *line = agent_cmd_to_shell(&cmds[i]);

        printf("%s\n", line);
        free(line);
    }
}

static void
print_dry_run(const struct agent_ctx *ctx, const struct agent_plan *p,
              const struct agent_meters *am, const struct agent_db *state,
              bool remove)
{
    const struct json *br = agent_db_find(state, OT_BRIDGE, "name",
                                          ctx->host->bridge);
    size_t i;

    if (p->n_cmds) {
        char *line = agent_cmd_to_shell(&p->vsctl);

        printf("%s\n", line);
        free(line);
    } else {
        printf("# ovs-vsctl: nothing to change\n");
    }
    for (i = 0; i < p->n_ip; i++) {
        char *line = agent_cmd_to_shell(&p->ip[i]);

        printf("%s\n", line);
        free(line);
    }
    print_cmds(am->set, am->n_set);
    if (remove) {
        if (br && !(agent_db_owned(br) && p->n_cmds
                    && strstr(p->drift.s, "l2mt's, not in the config"))) {
            printf("%s --timeout=%d -O OpenFlow14 del-flows %s "
                   "cookie=%s/-1\n",
                   ctx->ovs.ofctl, ctx->ovs.timeout, ctx->host->bridge,
                   L2MT_COOKIE);
        }
    } else {
        struct l2mt_str flows = { NULL, 0, 0 }, missing = { NULL, 0, 0 };

        agent_plan_flows(ctx, state, true, &flows, &missing);
        printf("%s --timeout=%d -O OpenFlow14 --bundle replace-flows %s "
               "/dev/stdin "
               "<<'EOF'\n", ctx->ovs.ofctl, ctx->ovs.timeout,
               ctx->host->bridge);
        if (br && !agent_db_owned(br)) {
            printf("# ...the bridge's flows that are not l2mt's...\n");
        }
        printf("%sEOF\n", l2mt_str_cstr(&flows));
        l2mt_str_free(&flows);
        l2mt_str_free(&missing);
    }
    print_cmds(am->del, am->n_del);
}

/* Underlay health (issue 16): each of the agent's GRE tunnels with BFD, its
 * state as ovs-vswitchd reports it (Interface:bfd_status) and the tenants
 * it carries; then the tenants whose tunnel is not up. */
static void
print_bfd(const struct agent_ctx *ctx, const struct agent_db *state)
{
    size_t n = ctx->conf->n_tenants, i, j;
    bool *down = xzalloc((n ? n : 1) * sizeof *down);
    bool any = false;

    for (i = 0; i < agent_db_n_rows(state, OT_INTERFACE); i++) {
        const struct json *iface = agent_db_row(state, OT_INTERFACE, i);
        const char *type = agent_db_str(iface, "type");
        const char *key = agent_db_map_get(iface, "options", "key");
        const char *bfd = agent_db_map_get(iface, "bfd", "enable");
        const char *st = agent_db_map_get(iface, "bfd_status", "state");
        const char *diag = agent_db_map_get(iface, "bfd_status", "diagnostic");
        bool up = st && !strcmp(st, "up");
        const struct json *port = agent_db_iface_port(state, iface);
        const char *br = port ? agent_db_str(agent_db_port_bridge(state, port), "name")
                              : NULL;

        if (!type || strcmp(type, "gre") || !bfd || strcmp(bfd, "true")
            || !br || strcmp(br, ctx->host->bridge)) {
            continue;
        }
        printf("tunnel %s: remote %s key %s bfd %s", agent_db_str(iface, "name"),
               agent_db_map_get(iface, "options", "remote_ip"), key ? key : "-",
               st ? st : "unknown");
        if (!up && diag && diag[0] && strcmp(diag, "No Diagnostic")) {
            printf(" (%s)", diag);
        }
        printf(", tenants");
        for (j = 0; j < n; j++) {
            const struct l2mt_conf_tenant *t = &ctx->conf->tenants[j];
            char k[16];

            snprintf(k, sizeof k, "%"PRIu32, t->gre_key);
            if (key && !strcmp(key, k)) {
                printf(" %s", t->name);
                down[j] |= !up;
                any |= !up;
            }
        }
        printf("\n");
    }
    if (any) {
        printf("underlay: tenants affected:");
        for (j = 0; j < n; j++) {
            if (down[j]) {
                printf(" %s", ctx->conf->tenants[j].name);
            }
        }
        printf("\n");
    }
    free(down);
}

int
agent_sync(const struct agent_ctx *ctx_, enum agent_op op,
           const struct agent_sync_opts *opts, bool *changed)
{
    struct agent_ctx gathered = *ctx_;
    const struct agent_ctx *ctx = &gathered;
    bool remove = op == AGENT_REMOVE;
    struct l2mt_str diff = { NULL, 0, 0 };
    struct agent_db state;
    char *err = NULL;
    struct agent_meters am;
    struct agent_plan p;
    int rc = -1, d, n_drift;
    size_t i;

    *changed = false;
    memset(&am, 0, sizeof am);
    err = agent_gather_db(&ctx->ovs, &state);
    if (err) {
        VLOG_ERR("cannot read the switch's state");
        log_lines(VLL_ERR, "  ", err);
        free(err);
        return -1;
    }
    agent_gather_links(ctx->host, &gathered.links);

    agent_plan_init(&p, ctx);
    agent_plan_vsctl(&p, ctx, &state, remove);
    log_lines(VLL_WARN, "", p.warnings.s);
    if (p.errors.len) {
        log_lines(VLL_ERR, "", p.errors.s);
        VLOG_ERR("nothing changed");
        goto out;
    }

    if (opts->dry_run || op == AGENT_STATUS) {
        err = agent_meters_plan(ctx, &state, remove, &am);
        if (err) {
            VLOG_ERR("%s", err);
            free(err);
            goto out;
        }
    }
    if (opts->dry_run) {
        print_dry_run(ctx, &p, &am, &state, remove);
        *changed = p.n_cmds || p.n_ip || am.n_set || am.n_del;
        rc = 0;
        goto out;
    }

    if (op == AGENT_STATUS) {
        *changed = p.drift.len > 0 || am.drift.len > 0;
        print_lines("drift: ", p.drift.s);
        print_lines("drift: ", am.drift.s);
        d = sync_flows(ctx, &state, false, false, &diff);
        if (d < 0) {
            goto out;
        } else if (d) {
            *changed = true;
            print_lines("drift: flow ", diff.s);
        }
        print_bfd(ctx, &state);
        printf("%s\n", *changed ? "status: drift" : "status: in sync");
        rc = 0;
        goto out;
    }

    /* Apply or remove. */
    n_drift = count_lines(p.drift.s);
    if (!opts->quiet) {
        print_lines("changing: ", p.drift.s);
    }
    if (p.n_cmds) {
        log_lines(VLL_INFO, "changing: ", p.drift.s);
        if (run_logged(&p.vsctl, NULL, ctx->ovs.timeout + 5, NULL, 0)) {
            VLOG_ERR("ovs-vsctl transaction failed: nothing changed");
            goto out;
        }
        *changed = true;
    }
    for (i = 0; i < p.n_ip; i++) {
        if (!p.n_cmds) {
            log_lines(VLL_INFO, "changing: ", p.drift.s);
        }
        if (run_logged(&p.ip[i], NULL, ctx->ovs.timeout, NULL, 0)) {
            goto out;
        }
        *changed = true;
    }
    if (*changed) {
        agent_db_destroy(&state);
        err = agent_gather_db(&ctx->ovs, &state);
        if (err) {
            VLOG_ERR("cannot read the switch's state after the change");
            log_lines(VLL_ERR, "  ", err);
            free(err);
            goto out;
        }
    }
    /* Meters before the flows that use them. */
    err = agent_meters_plan(ctx, &state, remove, &am);
    if (err) {
        VLOG_ERR("%s", err);
        free(err);
        goto out;
    }
    n_drift += count_lines(am.drift.s);
    if (am.n_set) {
        show_change(opts->quiet, "changing: ", "changing: ", am.drift.s);
        err = agent_meters_send(ctx, am.set, am.n_set);
        if (err) {
            VLOG_ERR("%s", err);
            free(err);
            goto out;
        }
        *changed = true;
    }
    d = sync_flows(ctx, &state, remove, true, &diff);
    if (diff.len) {
        show_change(opts->quiet, "flow change: ", "changing: flow ", diff.s);
    }
    if (d < 0) {
        goto out;
    } else if (d) {
        n_drift += count_lines(diff.s);
        *changed = true;
    }
    /* Meters no flow uses any more. */
    if (am.n_del) {
        if (!am.n_set) {
            show_change(opts->quiet, "changing: ", "changing: ",
                        am.drift.s);
        }
        err = agent_meters_send(ctx, am.del, am.n_del);
        if (err) {
            VLOG_ERR("%s", err);
            free(err);
            goto out;
        }
        *changed = true;
    }
    if (!remove && opts->inventory) {
        bool wrote;
        int error = agent_inventory_write(ctx, &state, opts->inventory,
                                          &wrote);

        if (error) {
            VLOG_ERR("inventory %s: %s", opts->inventory,
                     ovs_strerror(error));
            goto out;
        } else if (wrote) {
            VLOG_INFO("wrote inventory %s", opts->inventory);
        }
    }
    if (!remove && opts->bound) {
        agent_plan_bound_ports(ctx, &state, opts->bound);
    }
    if (opts->n_drift) {
        *opts->n_drift = n_drift;
    }
    if (*changed) {
        VLOG_INFO("%s: done", remove ? "remove" : "apply");
        if (!opts->quiet) {
            printf("%s: switch changed\n", remove ? "remove" : "apply");
        }
    } else {
        VLOG_DBG("%s: no change", remove ? "remove" : "apply");
        if (!opts->quiet) {
            printf("%s: no change\n", remove ? "remove" : "apply");
        }
    }
    rc = 0;

out:
    fflush(stdout);
    l2mt_str_free(&diff);
    agent_meters_free(&am);
    agent_plan_free(&p);
    agent_db_destroy(&state);
    return rc;
}
