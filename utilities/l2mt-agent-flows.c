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
#include "l2mt-agent-flows.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "byte-order.h"
#include "coverage.h"
#include "hash.h"
#include "l2mt-agent-sync.h"
#include "openflow/openflow.h"
#include "openvswitch/dynamic-string.h"
#include "openvswitch/hmap.h"
#include "openvswitch/list.h"
#include "openvswitch/match.h"
#include "openvswitch/ofp-actions.h"
#include "openvswitch/ofp-errors.h"
#include "openvswitch/ofp-flow.h"
#include "openvswitch/ofp-print.h"
#include "openvswitch/ofp-protocol.h"
#include "openvswitch/ofpbuf.h"
#include "openvswitch/vconn.h"
#include "openvswitch/vlog.h"
#include "util.h"

VLOG_DEFINE_THIS_MODULE(agent_flows);

/* ovs-appctl -t l2mt-agent coverage/show: flow mods sent, bundles the
 * switch refused (each one left the table as it was). */
COVERAGE_DEFINE(agent_flow_mod);
COVERAGE_DEFINE(agent_flow_bundle);
COVERAGE_DEFINE(agent_flow_bundle_refused);

/* The flow ovs-vswitchd installs on a bridge in fail_mode standalone, as
 * dump-flows --no-stats prints it. */
#define OVS_DEFAULT_FLOW "priority=0 actions=NORMAL"

/* One flow table entry: a flow of the switch's or a planned one.  Two
 * entries are the same flow if table, priority and match are equal; what
 * else they compare is what ovs-ofctl diff-flows compares. */
struct fentry {
    struct hmap_node node;
    struct minimatch match;
    int priority;
    uint8_t table_id;
    ovs_be64 cookie;
    uint16_t idle_timeout;
    uint16_t hard_timeout;
    uint16_t importance;
    struct ofpact *ofpacts;
    size_t ofpacts_len;
    bool seen;                  /* Planned: the switch has it. */
};

static uint32_t
fentry_hash(const struct minimatch *match, int priority, uint8_t table_id)
{
    return minimatch_hash(match, hash_2words(priority, table_id));
}

static struct fentry *
fentry_find(const struct hmap *map, const struct minimatch *match,
            int priority, uint8_t table_id)
{
    struct fentry *e;

    HMAP_FOR_EACH_WITH_HASH (e, node, fentry_hash(match, priority, table_id),
                             map) {
        if (e->priority == priority && e->table_id == table_id
            && minimatch_equal(&e->match, match)) {
            return e;
        }
    }
    return NULL;
}

static void
fentry_free(struct fentry *e)
{
    minimatch_destroy(&e->match);
    free(e->ofpacts);
    free(e);
}

/* Puts 'e' in 'map'; it replaces an entry for the same flow, as a later
 * line of a file given to ovs-ofctl does. */
static void
fentry_add(struct hmap *map, struct fentry *e)
{
    struct fentry *old = fentry_find(map, &e->match, e->priority,
                                     e->table_id);

    if (old) {
        hmap_remove(map, &old->node);
        fentry_free(old);
    }
    hmap_insert(map, &e->node,
                fentry_hash(&e->match, e->priority, e->table_id));
}

/* Same flow, same everything diff-flows looks at except the actions? */
static bool
fentry_same_but_actions(const struct fentry *a, const struct fentry *b)
{
    return (a->cookie == b->cookie
            && a->idle_timeout == b->idle_timeout
            && a->hard_timeout == b->hard_timeout
            && a->importance == b->importance);
}

/* Actions compared as diff-flows does: as text, since the switch gives
 * some back in another form than they were written (mod_dl_src comes back
 * as set_field) and both forms do the same. */
static bool
fentry_same_actions(const struct fentry *a, const struct fentry *b)
{
    return ofpacts_equal_stringwise(a->ofpacts, a->ofpacts_len,
                                    b->ofpacts, b->ofpacts_len);
}

/* Formats 'e' as ovs-ofctl diff-flows does, with port numbers. */
static void
fentry_format(const struct fentry *e, struct ds *s)
{
    struct ofpact_format_params fp = { .s = s };

    if (e->table_id) {
        ds_put_format(s, "table=%"PRIu8" ", e->table_id);
    }
    minimatch_format(&e->match, NULL, NULL, s, e->priority);
    if (e->cookie != htonll(0)) {
        ds_put_format(s, " cookie=0x%"PRIx64, ntohll(e->cookie));
    }
    if (e->idle_timeout != OFP_FLOW_PERMANENT) {
        ds_put_format(s, " idle_timeout=%"PRIu16, e->idle_timeout);
    }
    if (e->hard_timeout != OFP_FLOW_PERMANENT) {
        ds_put_format(s, " hard_timeout=%"PRIu16, e->hard_timeout);
    }
    if (e->importance) {
        ds_put_format(s, " importance=%"PRIu16, e->importance);
    }
    ds_put_cstr(s, " actions=");
    ofpacts_format(e->ofpacts, e->ofpacts_len, &fp);
}

static void
diff_line(struct l2mt_str *diff, char sign, const struct fentry *e)
{
    struct ds s = DS_EMPTY_INITIALIZER;

    fentry_format(e, &s);
    l2mt_str_printf(diff, "%c%s\n", sign, ds_cstr(&s));
    ds_destroy(&s);
}

/* Parses the planned flows, one a line, into 'map'. */
static char *
parse_planned(const char *text, struct hmap *map)
{
    const char *s = text;
    int line = 0;

    while (s && *s) {
        size_t n = strcspn(s, "\n");
        char *str = xmemdup0(s, n);
        enum ofputil_protocol usable;
        struct ofputil_flow_mod fm;
        char *error = NULL;

        line++;
        s += n + (s[n] != '\0');
        if (!str[strspn(str, " \t")]) {
            free(str);
            continue;
        }
        error = parse_ofp_str(&fm, OFPFC_ADD, str, NULL, NULL, &usable);
        if (error) {
            char *msg = xasprintf("planned flow %d (%s): %s", line, str,
                                  error);

            free(error);
            free(str);
            return msg;
        }
        free(str);

        struct fentry *e = xzalloc(sizeof *e);

        minimatch_clone(&e->match, &fm.match);
        minimatch_destroy(&fm.match);
        e->priority = fm.priority;
        e->table_id = fm.table_id != OFPTT_ALL ? fm.table_id : 0;
        e->cookie = fm.new_cookie;
        e->idle_timeout = fm.idle_timeout;
        e->hard_timeout = fm.hard_timeout;
        e->importance = fm.importance;
        e->ofpacts = fm.ofpacts;
        e->ofpacts_len = fm.ofpacts_len;
        fentry_add(map, e);
    }
    return NULL;
}

/* The OpenFlow protocol that messages on 'vconn' are encoded in. */
static enum ofputil_protocol
vconn_protocol(struct vconn *vconn)
{
    return ofputil_protocol_from_ofp_version(vconn_get_version(vconn));
}

/* Reads every flow of the bridge's over 'vconn' into 'map'. */
static char *
dump_switch(struct vconn *vconn, struct hmap *map)
{
    struct ofputil_flow_stats_request fsr = {
        .aggregate = false,
        .out_port = OFPP_ANY,
        .out_group = OFPG_ANY,
        .table_id = OFPTT_ALL,
    };
    struct ofputil_flow_stats *fses;
    size_t n_fses, i;
    int error;

    match_init_catchall(&fsr.match);
    error = vconn_dump_flows(vconn, &fsr, vconn_protocol(vconn), &fses,
                             &n_fses);
    if (error) {
        return xasprintf("%s: cannot read the flows: %s",
                         vconn_get_name(vconn), ovs_strerror(error));
    }
    for (i = 0; i < n_fses; i++) {
        const struct ofputil_flow_stats *fs = &fses[i];
        struct fentry *e = xzalloc(sizeof *e);

        minimatch_init(&e->match, &fs->match);
        e->priority = fs->priority;
        e->table_id = fs->table_id;
        e->cookie = fs->cookie;
        e->idle_timeout = fs->idle_timeout;
        e->hard_timeout = fs->hard_timeout;
        e->importance = fs->importance;
        e->ofpacts = CONST_CAST(struct ofpact *, fs->ofpacts);
        e->ofpacts_len = fs->ofpacts_len;
        fentry_add(map, e);
    }
    free(fses);
    return NULL;
}

/* Appends to 'requests' the flow mod 'command' for 'e', as ovs-ofctl
 * replace-flows makes them. */
static void
add_flow_mod(struct vconn *vconn, const struct fentry *e, uint16_t command,
             struct ovs_list *requests)
{
    struct ofputil_flow_mod fm = {
        .priority = e->priority,
        .new_cookie = e->cookie,
        .modify_cookie = true,
        .table_id = e->table_id,
        .command = command,
        .idle_timeout = e->idle_timeout,
        .hard_timeout = e->hard_timeout,
        .importance = e->importance,
        .buffer_id = UINT32_MAX,
        .out_port = OFPP_ANY,
        .out_group = OFPG_ANY,
    };
    struct ofpbuf *msg;

    minimatch_clone(&fm.match, &e->match);
    if (command != OFPFC_DELETE_STRICT) {
        fm.ofpacts = e->ofpacts;
        fm.ofpacts_len = e->ofpacts_len;
    }
    msg = ofputil_encode_flow_mod(&fm, vconn_protocol(vconn));
    minimatch_destroy(&fm.match);
    ovs_list_push_back(requests, &msg->list_node);
}

/* Is 'e' the switch's default flow (not l2mt's)? */
static bool
is_default_flow(const struct fentry *e)
{
    struct ds s = DS_EMPTY_INITIALIZER;
    bool is;

    fentry_format(e, &s);
    is = !strcmp(ds_cstr(&s), OVS_DEFAULT_FLOW);
    ds_destroy(&s);
    return is;
}

/* Compares the switch's flows ('have') with the planned ones ('want'),
 * writes the differences to 'diff' and the flow mods that remove them to
 * 'requests': deletes first, then adds and modifies, as replace-flows
 * orders them. */
static void
compare(struct vconn *vconn, struct hmap *have, struct hmap *want,
        const struct agent_flows_opts *o, struct l2mt_str *diff,
        struct ovs_list *requests)
{
    struct ovs_list changes = OVS_LIST_INITIALIZER(&changes);
    ovs_be64 ours = htonll(strtoull(L2MT_COOKIE, NULL, 16));
    size_t n_foreign = 0;
    struct fentry *h, *w;

    HMAP_FOR_EACH (h, node, have) {
        w = fentry_find(want, &h->match, h->priority, h->table_id);
        if (w) {
            w->seen = true;
            if (!fentry_same_but_actions(h, w)) {
                /* A new cookie or timeout: OFPFC_MODIFY keeps the old
                 * ones, so the flow is added again over itself. */
                diff_line(diff, '-', h);
                diff_line(diff, '+', w);
                add_flow_mod(vconn, w, OFPFC_ADD, &changes);
            } else if (!fentry_same_actions(h, w)) {
                /* Modified in place: the flow keeps its counters. */
                diff_line(diff, '-', h);
                diff_line(diff, '+', w);
                add_flow_mod(vconn, w, OFPFC_MODIFY_STRICT, &changes);
            }
        } else if (h->cookie == ours
                   || (!o->remove && is_default_flow(h))) {
            diff_line(diff, '-', h);
            add_flow_mod(vconn, h, OFPFC_DELETE_STRICT, requests);
        } else {
            n_foreign++;
        }
    }
    HMAP_FOR_EACH (w, node, want) {
        if (!w->seen) {
            diff_line(diff, '+', w);
            add_flow_mod(vconn, w, OFPFC_ADD, &changes);
        }
    }
    if (o->remove && o->owned && !n_foreign) {
        /* The bridge stays (it has ports l2mt did not add): it switches
         * again as a new bridge would. */
        struct hmap open = HMAP_INITIALIZER(&open);
        char *error = parse_planned(OVS_DEFAULT_FLOW, &open);

        ovs_assert(!error);
        HMAP_FOR_EACH_POP (w, node, &open) {
            diff_line(diff, '+', w);
            add_flow_mod(vconn, w, OFPFC_ADD, &changes);
            fentry_free(w);
        }
        hmap_destroy(&open);
    }
    ovs_list_push_back_all(requests, &changes);
}

/* Sends 'requests' in one atomic, ordered bundle.  If the switch refuses
 * one, it discards the bundle: nothing of it is applied. */
static char *
send_bundle(struct vconn *vconn, struct ovs_list *requests)
{
    struct ovs_list errors;
    struct ofpbuf *reply;
    struct ds s = DS_EMPTY_INITIALIZER;
    int error;

    COVERAGE_INC(agent_flow_bundle);
    COVERAGE_ADD(agent_flow_mod, ovs_list_size(requests));
    error = vconn_bundle_transact(vconn, requests,
                                  OFPBF_ORDERED | OFPBF_ATOMIC, &errors);
    LIST_FOR_EACH_POP (reply, list_node, &errors) {
        const struct ofp_header *oh = reply->data;
        enum ofperr ofperr = ofperr_decode_msg(oh, NULL);
        struct ofpbuf *req;

        ds_put_format(&s, "%sthe switch refused %s", s.length ? "; " : "",
                      ofperr ? ofperr_get_name(ofperr) : "(undecodable)");
        /* The error names the message by its xid. */
        LIST_FOR_EACH (req, list_node, requests) {
            const struct ofp_header *rh = req->data;

            if (rh->xid == oh->xid) {
                char *text = ofp_to_string(rh, req->size, NULL, NULL, 1);

                text[strcspn(text, "\n")] = '\0';
                ds_put_format(&s, " for: %s", text);
                free(text);
                break;
            }
        }
        ofpbuf_delete(reply);
    }
    if (error && !s.length) {
        ds_put_format(&s, "%s", ovs_strerror(error));
    }
    if (s.length) {
        char *msg;

        COVERAGE_INC(agent_flow_bundle_refused);
        msg = xasprintf("%s: flow bundle not applied, the table is "
                        "unchanged: %s", vconn_get_name(vconn),
                        ds_cstr(&s));
        ds_destroy(&s);
        return msg;
    }
    ds_destroy(&s);
    return NULL;
}

static void
free_map(struct hmap *map)
{
    struct fentry *e;

    HMAP_FOR_EACH_POP (e, node, map) {
        fentry_free(e);
    }
    hmap_destroy(map);
}

char *
agent_flows_sync(const struct agent_ctx *ctx, const char *planned,
                 const struct agent_flows_opts *o, struct l2mt_str *diff,
                 bool *differs)
{
    struct ovs_list requests = OVS_LIST_INITIALIZER(&requests);
    struct hmap have = HMAP_INITIALIZER(&have);
    struct hmap want = HMAP_INITIALIZER(&want);
    struct vconn *vconn = NULL;
    char *error;

    *differs = false;
    error = parse_planned(planned, &want);
    if (!error) {
        error = agent_vconn_open(ctx, &vconn);
    }
    if (!error) {
        error = dump_switch(vconn, &have);
    }
    if (!error) {
        compare(vconn, &have, &want, o, diff, &requests);
        *differs = !ovs_list_is_empty(&requests);
        if (*differs && o->apply) {
            error = send_bundle(vconn, &requests);
        }
    }
    ofpbuf_list_delete(&requests);
    vconn_close(vconn);
    free_map(&have);
    free_map(&want);
    return error;
}
