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

#include "fleet/fleet-follow.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "fleet/fleet-rows.h"
#include "fleet/fleet-text.h"
#include "fleet/l2mt-idl.h"
#include "l2mt-conf.h"
#include "ovsdb-data.h"
#include "ovsdb-idl.h"
#include "openvswitch/vlog.h"
#include "smap.h"
#include "sset.h"
#include "util.h"
#include "uuid.h"

VLOG_DEFINE_THIS_MODULE(fleet_follow);

struct fleet_follow {
    struct ovsdb_idl *idl;
    char *host;
    unsigned int seqno;         /* IDL seqno fleet_follow_conf() saw. */
    char *text;                 /* Text it parsed last. */
    int64_t next_cfg;           /* Global next_cfg it saw. */
    bool same;                  /* Text and next_cfg as the time before. */

    /* What the Host_Status row should say (fleet_follow_ack()). */
    bool want_status;
    int64_t cur_cfg, applied;
    char *error;
    int64_t drift;              /* Differences found at the last check. */
    struct sset bound;          /* VM ports bound here (VM_Port.host). */
    bool want_oam;              /* fleet_follow_set_oam() was called. */
    struct smap bfd_state;      /* Remote -> "up" or "down". */
    struct smap tenant_path;    /* Tenant -> "up" or "down: CLASS". */
    struct smap answers;        /* Trace row UUID -> this host's result,
                                 * until the row has it or is gone. */
    struct ovsdb_idl_txn *txn;  /* Writing them, or NULL. */
};

struct fleet_follow *
fleet_follow_create(const char *remote, const char *host)
{
    struct fleet_follow *f = xzalloc(sizeof *f);
    struct ovsdb_idl_condition cond = OVSDB_IDL_CONDITION_INIT(&cond);

    f->host = xstrdup(host);
    sset_init(&f->bound);
    smap_init(&f->bfd_state);
    smap_init(&f->tenant_path);
    smap_init(&f->answers);
    f->idl = ovsdb_idl_create(remote, &l2mtrec_idl_class, true, true);
    ovsdb_idl_set_leader_only(f->idl, false);

    /* Only this host's rows of the per-host tables: the server does not
     * send the others (OVN's conditional monitoring of the southbound
     * database).  Tenants, profiles and VM ports are every host's. */
    l2mtrec_host_add_clause_name(&cond, OVSDB_F_EQ, host);
    l2mtrec_host_set_condition(f->idl, &cond);
    ovsdb_idl_condition_clear(&cond);
    l2mtrec_host_status_add_clause_name(&cond, OVSDB_F_EQ, host);
    l2mtrec_host_status_set_condition(f->idl, &cond);
    ovsdb_idl_condition_clear(&cond);
    /* Only the trace requests that name this host (schema 1.3.0). */
    l2mtrec_trace_add_clause_hosts(&cond, OVSDB_F_INCLUDES, &host, 1);
    l2mtrec_trace_set_condition(f->idl, &cond);
    ovsdb_idl_condition_destroy(&cond);

    /* The host only writes Host_Status; it does not need to be told back
     * what it wrote to cur_cfg and friends to decide anything. */
    f->seqno = ovsdb_idl_get_seqno(f->idl);
    f->applied = -1;
    return f;
}

void
fleet_follow_destroy(struct fleet_follow *f)
{
    if (f) {
        if (f->txn) {
            ovsdb_idl_txn_destroy(f->txn);
        }
        ovsdb_idl_destroy(f->idl);
        free(f->host);
        free(f->text);
        free(f->error);
        sset_destroy(&f->bound);
        smap_destroy(&f->bfd_state);
        smap_destroy(&f->tenant_path);
        smap_destroy(&f->answers);
        free(f);
    }
}

static bool
status_is_current(const struct fleet_follow *f,
                  const struct l2mtrec_host_status *s)
{
    if (f->want_status
        && !(s && s->cur_cfg == f->cur_cfg
             && s->applied_generation == f->applied
             && s->drift == f->drift
             && !strcmp(s->last_error ? s->last_error : "",
                        f->error ? f->error : ""))) {
        return false;
    }
    /* tenant_path only where the server's schema has it (1.2.0). */
    return (!f->want_oam
            || (s && smap_equal(&s->bfd_state, &f->bfd_state)
                && (!l2mtrec_server_has_host_status_table_col_tenant_path(
                        f->idl)
                    || smap_equal(&s->tenant_path, &f->tenant_path))));
}

/* Where the database says VM port 'p' is bound: '*anywhere' if it is
 * bound at all, the return value if it is bound to 'me'.  The parsed
 * p->host cannot tell "unbound" from "another host's": the other hosts'
 * Host rows are not sent to this one (conditional monitoring), and the IDL
 * gives a reference to a row it does not have as NULL.  The column's own
 * datum still holds the UUID. */
static bool
port_bound_here(const struct l2mtrec_vm_port *p,
                const struct l2mtrec_host *me, bool *anywhere)
{
    const struct ovsdb_datum *d = l2mtrec_vm_port_get_host(p,
                                                           OVSDB_TYPE_UUID);

    *anywhere = d->n > 0;
    return me && d->n && uuid_equals(&d->keys[0].uuid, &me->header_.uuid);
}

/* Whether VM port 'p' should change hands: claimed if this host has it and
 * nobody holds it, released if the database says it is here and it is not.
 * Another host's claim is never taken over, so two hosts that both see the
 * interface (a live migration's overlap) do not take it from each other in
 * turns: the first keeps it until its VM is gone from it and it releases,
 * then the other claims it.  (A host that died holding a port: deleting its
 * Host row, or clearing VM_Port.host, frees the port.) */
static bool
port_needs_write(const struct fleet_follow *f, const struct l2mtrec_vm_port *p,
                 const struct l2mtrec_host *me)
{
    bool anywhere;
    bool here = port_bound_here(p, me, &anywhere);
    bool want = sset_contains(&f->bound, p->name);

    if (want && anywhere && !here) {
        static struct vlog_rate_limit rl = VLOG_RATE_LIMIT_INIT(1, 5);

        VLOG_INFO_RL(&rl, "VM port %s: here, but bound to another host: "
                     "left to it until it releases the port", p->name);
    }
    return me && (want ? !anywhere : here);
}

static bool
trace_names_host(const struct l2mtrec_trace *t, const char *host)
{
    for (size_t i = 0; i < t->n_hosts; i++) {
        if (!strcmp(t->hosts[i], host)) {
            return true;
        }
    }
    return false;
}

static const struct l2mtrec_trace *
find_trace(const struct fleet_follow *f, const char *id)
{
    struct uuid uuid;

    return (uuid_from_string(&uuid, id)
            ? l2mtrec_trace_get_for_uuid(f->idl, &uuid) : NULL);
}

/* Drops the answers the database has (or whose request is gone); true if
 * some are left to write. */
static bool
answers_pending(struct fleet_follow *f)
{
    struct smap_node *node;

    SMAP_FOR_EACH_SAFE (node, &f->answers) {
        const struct l2mtrec_trace *t = find_trace(f, node->key);

        if (!t || smap_get(&t->results, f->host)) {
            smap_remove_node(&f->answers, node);
        }
    }
    return !smap_is_empty(&f->answers);
}

/* Writes the host's status row and its VM ports' bindings if the database
 * does not have them yet. */
static void
write_status(struct fleet_follow *f)
{
    const struct l2mtrec_host_status *s;
    const struct l2mtrec_host *me;
    const struct l2mtrec_vm_port *p;
    bool ports_current = true;

    if (f->txn) {
        enum ovsdb_idl_txn_status status = ovsdb_idl_txn_commit(f->txn);

        if (status == TXN_INCOMPLETE) {
            return;
        }
        /* Whatever happened (success, a conflict, a lost connection), the
         * checks below tell whether to write again. */
        ovsdb_idl_txn_destroy(f->txn);
        f->txn = NULL;
    }
    if (!ovsdb_idl_has_ever_connected(f->idl)
        || !ovsdb_idl_is_connected(f->idl)) {
        return;
    }
    s = fleet_find_host_status(f->idl, f->host);
    me = fleet_find_host(f->idl, f->host);
    L2MTREC_VM_PORT_FOR_EACH (p, f->idl) {
        if (port_needs_write(f, p, me)) {
            ports_current = false;
        }
    }
    if (status_is_current(f, s) && ports_current && !answers_pending(f)) {
        return;
    }
    f->txn = ovsdb_idl_txn_create(f->idl);
    ovsdb_idl_txn_add_comment(f->txn, "l2mt host %s: cur_cfg=%"PRId64,
                              f->host, f->cur_cfg);
    if (!status_is_current(f, s)) {
        if (!s) {
            struct l2mtrec_host_status *row
                = l2mtrec_host_status_insert(f->txn);

            l2mtrec_host_status_set_name(row, f->host);
            s = row;
        }
        if (f->want_status) {
            l2mtrec_host_status_set_cur_cfg(s, f->cur_cfg);
            l2mtrec_host_status_set_applied_generation(s, f->applied);
            l2mtrec_host_status_set_drift(s, f->drift);
            l2mtrec_host_status_set_last_error(s, f->error);
        }
        if (f->want_oam) {
            l2mtrec_host_status_set_bfd_state(s, &f->bfd_state);
            if (l2mtrec_server_has_host_status_table_col_tenant_path(
                    f->idl)) {
                l2mtrec_host_status_set_tenant_path(s, &f->tenant_path);
            }
        }
    }
    L2MTREC_VM_PORT_FOR_EACH (p, f->idl) {
        if (port_needs_write(f, p, me)) {
            /* Only if it is still as we saw it: two hosts claiming at once
             * do not overwrite each other blindly. */
            l2mtrec_vm_port_verify_host(p);
            l2mtrec_vm_port_set_host(p, sset_contains(&f->bound, p->name)
                                        ? me : NULL);
        }
    }
    /* A key of the results map each: hosts answering at once do not
     * conflict (a mutation, not a replacement of the column). */
    struct smap_node *node;
    SMAP_FOR_EACH (node, &f->answers) {
        const struct l2mtrec_trace *t = find_trace(f, node->key);

        if (t) {
            l2mtrec_trace_update_results_setkey(t, f->host, node->value);
        }
    }
    if (ovsdb_idl_txn_commit(f->txn) != TXN_INCOMPLETE) {
        ovsdb_idl_txn_destroy(f->txn);
        f->txn = NULL;
    }
}

void
fleet_follow_run(struct fleet_follow *f)
{
    ovsdb_idl_run(f->idl);
    write_status(f);
}

void
fleet_follow_wait(struct fleet_follow *f)
{
    ovsdb_idl_wait(f->idl);
    if (f->txn) {
        ovsdb_idl_txn_wait(f->txn);
    }
}

bool
fleet_follow_changed(const struct fleet_follow *f)
{
    return (ovsdb_idl_has_ever_connected(f->idl)
            && ovsdb_idl_get_seqno(f->idl) != f->seqno);
}

struct l2mt_conf *
fleet_follow_conf(struct fleet_follow *f, char **errors)
{
    const struct l2mtrec_l2mt_global *g = l2mtrec_l2mt_global_first(f->idl);

    char *old_text = f->text;
    int64_t old_cfg = f->next_cfg;
    struct l2mt_conf *c;

    f->seqno = ovsdb_idl_get_seqno(f->idl);
    f->next_cfg = g ? g->next_cfg : 0;
    c = fleet_text_conf(f->idl, f->host, &f->text, errors);
    f->same = (c && old_text && f->text && old_cfg == f->next_cfg
               && !strcmp(old_text, f->text));
    free(old_text);
    return c;
}

bool
fleet_follow_conf_same(const struct fleet_follow *f)
{
    return f->same;
}

const char *
fleet_follow_text(const struct fleet_follow *f)
{
    return f->text;
}

int64_t
fleet_follow_next_cfg(const struct fleet_follow *f)
{
    return f->next_cfg;
}

void
fleet_follow_ack(struct fleet_follow *f, int64_t cur_cfg, const char *error)
{
    f->want_status = true;
    f->cur_cfg = cur_cfg;
    if (!error) {
        f->applied = cur_cfg;
    }
    free(f->error);
    f->error = nullable_xstrdup(error);
    write_status(f);
}

void
fleet_follow_set_drift(struct fleet_follow *f, int64_t drift)
{
    f->drift = drift;
}

void
fleet_follow_set_oam(struct fleet_follow *f, const struct smap *bfd_state,
                     const struct smap *tenant_path)
{
    if (f->want_oam && smap_equal(&f->bfd_state, bfd_state)
        && smap_equal(&f->tenant_path, tenant_path)) {
        return;
    }
    f->want_oam = true;
    smap_destroy(&f->bfd_state);
    smap_clone(&f->bfd_state, bfd_state);
    smap_destroy(&f->tenant_path);
    smap_clone(&f->tenant_path, tenant_path);
    write_status(f);
}

void
fleet_follow_set_bound(struct fleet_follow *f, const struct sset *ports)
{
    sset_destroy(&f->bound);
    sset_clone(&f->bound, ports);
    write_status(f);
}

bool
fleet_follow_trace_next(const struct fleet_follow *f, const char **id,
                        const char **tenant, const char **packet)
{
    const struct l2mtrec_trace *t, *best = NULL;

    L2MTREC_TRACE_FOR_EACH (t, f->idl) {
        char uuid[UUID_LEN + 1];

        snprintf(uuid, sizeof uuid, UUID_FMT, UUID_ARGS(&t->header_.uuid));
        if (trace_names_host(t, f->host)
            && !smap_get(&t->results, f->host)
            && !smap_get(&f->answers, uuid)
            && (!best || uuid_compare_3way(&t->header_.uuid,
                                           &best->header_.uuid) < 0)) {
            best = t;
        }
    }
    if (!best) {
        return false;
    }

    static char uuid[UUID_LEN + 1];
    snprintf(uuid, sizeof uuid, UUID_FMT, UUID_ARGS(&best->header_.uuid));
    *id = uuid;
    *tenant = best->tenant;
    *packet = best->packet;
    return true;
}

void
fleet_follow_trace_answer(struct fleet_follow *f, const char *id,
                          const char *result)
{
    smap_replace(&f->answers, id, result);
    write_status(f);
}

struct ovsdb_idl *
fleet_follow_idl(const struct fleet_follow *f)
{
    return f->idl;
}

bool
fleet_follow_is_connected(const struct fleet_follow *f)
{
    return ovsdb_idl_is_connected(f->idl);
}
