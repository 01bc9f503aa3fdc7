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
#include "l2mt-agent-meters.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "l2mt-agent-sync.h"
#include "l2mt-run.h"
#include "openflow/openflow.h"
#include "openvswitch/ofp-errors.h"
#include "openvswitch/ofp-meter.h"
#include "openvswitch/ofp-protocol.h"
#include "openvswitch/ofpbuf.h"
#include "openvswitch/vconn.h"
#include "openvswitch/vlog.h"
#include "util.h"

VLOG_DEFINE_THIS_MODULE(agent_meters);

struct meter {
    uint32_t id;
    long long rate;             /* Packets per second; -1 if not pktps or
                                 * not one drop band. */
};

/* Parses "ID RATE" lines. */
static struct meter *
parse_wanted(const char *text, size_t *n)
{
    struct meter *m = NULL;
    const char *s = text;

    *n = 0;
    while (s && *s) {
        unsigned long id;
        long long rate;

        if (sscanf(s, "%lu %lld", &id, &rate) == 2) {
            m = xrealloc(m, (*n + 1) * sizeof *m);
            m[*n].id = id;
            m[(*n)++].rate = rate;
        }
        s = strchr(s, '\n');
        s = s ? s + 1 : NULL;
    }
    return m;
}

/* The bridge's meters in the agent's range, from ovs-ofctl dump-meters:
 * "meter=ID pktps bands=" then "type=drop rate=R" per band. */
static char *
read_current(const struct agent_ctx *ctx, struct meter **mp, size_t *n)
{
    struct agent_cmd cmd;
    char *out = NULL, *err = NULL, *tok, *save;
    struct meter *m = NULL, *cur = NULL;
    int rc, bands = 0;
    bool pktps = false;

    agent_ofctl_base(ctx, &cmd);
    agent_cmd_add(&cmd, "dump-meters");
    agent_cmd_add(&cmd, ctx->host->bridge);
    rc = l2mt_run(cmd.argv, NULL, ctx->ovs.timeout + 5, &out, NULL, &err);
    agent_cmd_free(&cmd);
    if (rc) {
        char *msg = xasprintf("cannot read the meters of %s: %s",
                              ctx->host->bridge,
                              err && err[0] ? err : "ovs-ofctl failed");

        free(out);
        free(err);
        return msg;
    }
    *n = 0;
    for (tok = strtok_r(out, " \t\n,", &save); tok;
         tok = strtok_r(NULL, " \t\n,", &save)) {
        if (!strncmp(tok, "meter=", 6)) {
            if (cur && (!pktps || bands != 1)) {
                cur->rate = -1;
            }
            m = xrealloc(m, (*n + 1) * sizeof *m);
            cur = &m[(*n)++];
            cur->id = strtoul(tok + 6, NULL, 10);
            cur->rate = -1;
            pktps = false;
            bands = 0;
        } else if (cur && !strcmp(tok, "pktps")) {
            pktps = true;
        } else if (cur && !strncmp(tok, "type=", 5)) {
            bands++;
            if (strcmp(tok + 5, "drop")) {
                bands++;        /* Not ours. */
            }
        } else if (cur && !strncmp(tok, "rate=", 5)) {
            cur->rate = strtoll(tok + 5, NULL, 10);
        }
    }
    if (cur && (!pktps || bands != 1)) {
        cur->rate = -1;
    }
    free(out);
    free(err);
    *mp = m;
    return NULL;
}

static struct agent_cmd *
add_cmd(struct agent_cmd **cmds, size_t *n, const struct agent_ctx *ctx,
        const char *verb)
{
    struct agent_cmd *c;

    *cmds = xrealloc(*cmds, (*n + 1) * sizeof **cmds);
    c = &(*cmds)[(*n)++];
    agent_ofctl_base(ctx, c);
    agent_cmd_add(c, verb);
    agent_cmd_add(c, ctx->host->bridge);
    return c;
}

char *
agent_meters_plan(const struct agent_ctx *ctx, const struct agent_db *state,
                  bool remove, struct agent_meters *am)
{
    struct l2mt_str text = { NULL, 0, 0 };
    struct meter *want = NULL, *have = NULL;
    size_t n_want = 0, n_have = 0, i, j;
    char *error;

    memset(am, 0, sizeof *am);
    if (!agent_db_find(state, OT_BRIDGE, "name", ctx->host->bridge)) {
        return NULL;
    }
    error = read_current(ctx, &have, &n_have);
    if (error) {
        return error;
    }
    if (!remove) {
        agent_plan_meters(ctx, state, &text);
        want = parse_wanted(l2mt_str_cstr(&text), &n_want);
        l2mt_str_free(&text);
    }
    for (i = 0; i < n_want; i++) {
        const struct meter *h = NULL;

        for (j = 0; j < n_have && !h; j++) {
            h = have[j].id == want[i].id ? &have[j] : NULL;
        }
        if (h && h->rate == want[i].rate) {
            continue;
        }
        if (h) {
            l2mt_str_printf(&am->drift, "meter %"PRIu32": %lld pktps, want "
                            "%lld\n", want[i].id, h->rate, want[i].rate);
        } else {
            l2mt_str_printf(&am->drift, "meter %"PRIu32": missing\n",
                            want[i].id);
        }
        agent_cmd_addf(add_cmd(&am->set, &am->n_set, ctx,
                               h ? "mod-meter" : "add-meter"),
                       "meter=%"PRIu32",pktps,band=type=drop,rate=%lld",
                       want[i].id, want[i].rate);
    }
    for (j = 0; j < n_have; j++) {
        bool wanted = false;

        for (i = 0; i < n_want && !wanted; i++) {
            wanted = want[i].id == have[j].id;
        }
        if (!wanted && agent_plan_meter_owned(have[j].id)) {
            l2mt_str_printf(&am->drift, "meter %"PRIu32": l2mt's, not in the "
                            "config\n", have[j].id);
            agent_cmd_addf(add_cmd(&am->del, &am->n_del, ctx, "del-meter"),
                           "meter=%"PRIu32, have[j].id);
        }
    }
    free(want);
    free(have);
    return NULL;
}

void
agent_meters_free(struct agent_meters *am)
{
    size_t i;

    for (i = 0; i < am->n_set; i++) {
        agent_cmd_free(&am->set[i]);
    }
    for (i = 0; i < am->n_del; i++) {
        agent_cmd_free(&am->del[i]);
    }
    free(am->set);
    free(am->del);
    l2mt_str_free(&am->drift);
}

/* Sends the meter changes of 'cmds' (add-meter, mod-meter, del-meter
 * command lines as agent_meters_plan() made them, which --dry-run prints)
 * to the bridge over one OpenFlow connection, in one batch closed by a
 * barrier: one connection instead of one ovs-ofctl process per meter.
 * Returns NULL or an error message (caller frees). */
char *
agent_meters_send(const struct agent_ctx *ctx, const struct agent_cmd *cmds,
                  size_t n)
{
    struct ovs_list requests = OVS_LIST_INITIALIZER(&requests);
    struct ofpbuf *reply = NULL;
    struct vconn *vconn;
    char *error;
    size_t i;
    int err;

    if (!n) {
        return NULL;
    }
    error = agent_vconn_open(ctx, &vconn);
    if (error) {
        return error;
    }
    for (i = 0; i < n && !error; i++) {
        const struct agent_cmd *c = &cmds[i];
        const char *verb = c->n >= 3 ? c->argv[c->n - 3] : "";
        int command = (!strcmp(verb, "add-meter") ? OFPMC13_ADD
                       : !strcmp(verb, "mod-meter") ? OFPMC13_MODIFY
                       : OFPMC13_DELETE);
        enum ofputil_protocol usable;
        struct ofputil_meter_mod mm;

        error = parse_ofp_meter_mod_str(&mm, c->argv[c->n - 1], command,
                                        &usable);
        if (!error) {
            ovs_list_push_back(&requests, &ofputil_encode_meter_mod(
                                   vconn_get_version(vconn), &mm)->list_node);
            free(mm.meter.bands);
        }
    }
    if (!error) {
        err = vconn_transact_multiple_noreply(vconn, &requests, &reply);
        if (err) {
            error = xasprintf("%s: %s", vconn_get_name(vconn),
                              ovs_strerror(err));
        } else if (reply) {
            enum ofperr ofperr = ofperr_decode_msg(reply->data, NULL);

            error = xasprintf("%s: the switch refused a meter: %s",
                              vconn_get_name(vconn),
                              ofperr_to_string(ofperr));
        }
    }
    ofpbuf_list_delete(&requests);
    ofpbuf_delete(reply);
    vconn_close(vconn);
    return error;
}
