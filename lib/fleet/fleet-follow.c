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

    /* What the Host_Status row should say (fleet_follow_ack()). */
    bool want_status;
    int64_t cur_cfg, applied;
    char *error;
    int64_t drift;              /* Differences found at the last check. */
    struct sset bound;          /* VM ports bound here (VM_Port.host). */
    bool want_oam;              /* fleet_follow_set_oam() was called. */
    struct smap bfd_state;      /* Remote -> "up" or "down". */
    struct smap tenant_path;    /* Tenant -> "up" or "down: CLASS". */
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
        free(f);
    }
}

static const struct l2mtrec_host_status *
find_status(const struct fleet_follow *f)
{
    const struct l2mtrec_host_status *s;

    L2MTREC_HOST_STATUS_FOR_EACH (s, f->idl) {
        if (!strcmp(s->name, f->host)) {
            return s;
        }
    }
    return NULL;
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

static const struct l2mtrec_host *
find_host(const struct fleet_follow *f)
{
    const struct l2mtrec_host *h;

    L2MTREC_HOST_FOR_EACH (h, f->idl) {
        if (!strcmp(h->name, f->host)) {
            return h;
        }
    }
    return NULL;
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
    s = find_status(f);
    me = find_host(f);
    L2MTREC_VM_PORT_FOR_EACH (p, f->idl) {
        if (port_needs_write(f, p, me)) {
            ports_current = false;
        }
    }
    if (status_is_current(f, s) && ports_current) {
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

    f->seqno = ovsdb_idl_get_seqno(f->idl);
    f->next_cfg = g ? g->next_cfg : 0;
    free(f->text);
    return fleet_text_conf(f->idl, f->host, &f->text, errors);
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
