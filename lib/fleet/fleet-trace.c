/*
 * Copyright (c) 2026 The l2mt authors.
 * Licensed under the Apache License, Version 2.0.
 */

#include <config.h>

#include "fleet/fleet-trace.h"

#include <stdlib.h>
#include <string.h>

#include "fleet/fleet-rows.h"
#include "fleet/l2mt-idl.h"
#include "openvswitch/json.h"
#include "openvswitch/poll-loop.h"
#include "ovsdb-idl.h"
#include "smap.h"
#include "sset.h"
#include "timeval.h"
#include "util.h"
#include "uuid.h"

static const struct l2mtrec_tenant *
find_tenant(struct ovsdb_idl *idl, const char *name)
{
    const struct l2mtrec_tenant *t;
    unsigned long long int id;

    L2MTREC_TENANT_FOR_EACH (t, idl) {
        if (!strcmp(t->name, name)
            || (str_to_ullong(name, 10, &id)
                && id == (uint64_t) t->tenant_id)) {
            return t;
        }
    }
    return NULL;
}

/* Whether 'host''s underlay address is one of 'tenant''s remotes: the
 * host is on the tenant's gateway side. */
static bool
is_gateway_of(const struct l2mtrec_host *host,
              const struct l2mtrec_tenant *tenant)
{
    if (!host->underlay_ip) {
        return false;
    }
    size_t len = strcspn(host->underlay_ip, "/");
    for (size_t i = 0; i < tenant->n_remotes; i++) {
        if (strlen(tenant->remotes[i]) == len
            && !strncmp(tenant->remotes[i], host->underlay_ip, len)) {
            return true;
        }
    }
    return false;
}

/* The hosts on 'tenant''s path into 'hosts': those its VM ports are bound
 * to (VM_Port host) and those on its gateway side (a Host whose
 * underlay_ip is one of the tenant's remotes).  A host with no port of
 * the tenant has nothing of its path to trace: it is not asked, so that
 * it need not even answer. */
static void
path_hosts(struct ovsdb_idl *idl, const struct l2mtrec_tenant *tenant,
           struct sset *hosts)
{
    const struct l2mtrec_vm_port *vp;
    const struct l2mtrec_host *h;

    L2MTREC_VM_PORT_FOR_EACH (vp, idl) {
        if (vp->tenant == tenant && vp->host) {
            sset_add(hosts, vp->host->name);
        }
    }
    L2MTREC_HOST_FOR_EACH (h, idl) {
        if (is_gateway_of(h, tenant)) {
            sset_add(hosts, h->name);
        }
    }
}

/* The hosts to ask into 'hosts': those of 'list' (each must be a Host), or
 * those on 'tenant''s path.  Returns NULL, or an error with '*why'. */
static char *
pick_hosts(struct ovsdb_idl *idl, const char *list,
           const struct l2mtrec_tenant *tenant, struct sset *hosts,
           enum fleet_trace_error *why)
{
    *why = FLEET_TRACE_BAD_INPUT;
    if (list) {
        char *copy = xstrdup(list), *save = NULL, *name;

        for (name = strtok_r(copy, ",", &save); name;
             name = strtok_r(NULL, ",", &save)) {
            if (!fleet_find_host(idl, name)) {
                char *error = xasprintf("the fleet database has no host "
                                        "\"%s\"", name);
                free(copy);
                return error;
            }
            sset_add(hosts, name);
        }
        free(copy);
        if (sset_is_empty(hosts)) {
            return xstrdup("--hosts names no host");
        }
    } else {
        path_hosts(idl, tenant, hosts);
        if (sset_is_empty(hosts)) {
            *why = FLEET_TRACE_NO_PATH;
            return xasprintf("tenant %s has no VM port bound to a host "
                             "(VM_Port host) and no gateway host (a Host "
                             "whose underlay_ip is one of its remotes): no "
                             "host to ask", tenant->name);
        }
    }
    if (sset_count(hosts) > 64) {
        return xstrdup("more than 64 hosts: name some with --hosts");
    }
    return NULL;
}

static bool
all_answered(const struct l2mtrec_trace *row, const struct sset *hosts)
{
    const char *h;

    SSET_FOR_EACH (h, hosts) {
        if (!smap_get(&row->results, h)) {
            return false;
        }
    }
    return true;
}

/* Runs the IDL until 'done' or the deadline; false on the deadline. */
static bool
idl_wait_for(struct ovsdb_idl *idl, long long int deadline,
             bool (*done)(struct ovsdb_idl *, const void *), const void *aux)
{
    for (;;) {
        ovsdb_idl_run(idl);
        if (done(idl, aux)) {
            return true;
        }
        if (time_msec() >= deadline) {
            return false;
        }
        ovsdb_idl_wait(idl);
        poll_timer_wait_until(deadline);
        poll_block();
    }
}

static bool
contents_arrived(struct ovsdb_idl *idl, const void *seqno_)
{
    const unsigned int *seqno = seqno_;

    return (ovsdb_idl_has_ever_connected(idl)
            && ovsdb_idl_is_connected(idl)
            && ovsdb_idl_get_seqno(idl) != *seqno);
}

struct answers_aux {
    struct uuid uuid;
    const struct sset *hosts;
};

static bool
answers_arrived(struct ovsdb_idl *idl, const void *aux_)
{
    const struct answers_aux *aux = aux_;
    const struct l2mtrec_trace *row
        = l2mtrec_trace_get_for_uuid(idl, &aux->uuid);

    return row && all_answered(row, aux->hosts);
}

/* Inserts the request; returns NULL and its row's UUID in '*uuid', or an
 * error. */
static char *
insert_request(struct ovsdb_idl *idl, const struct l2mtrec_tenant *tenant,
               const char *packet, const struct sset *hosts,
               struct uuid *uuid)
{
    struct ovsdb_idl_txn *txn = ovsdb_idl_txn_create(idl);
    const char **names = sset_array(hosts);
    struct l2mtrec_trace *row;
    enum ovsdb_idl_txn_status status;
    struct uuid nonce;
    char *error = NULL;
    char nonce_s[UUID_LEN + 1];

    uuid_generate(&nonce);
    snprintf(nonce_s, sizeof nonce_s, UUID_FMT, UUID_ARGS(&nonce));
    ovsdb_idl_txn_add_comment(txn, "l2mt-trace --fleet: tenant %s",
                              tenant->name);
    row = l2mtrec_trace_insert(txn);
    l2mtrec_trace_set_tenant(row, tenant->name);
    l2mtrec_trace_set_packet(row, packet);
    l2mtrec_trace_set_hosts(row, names, sset_count(hosts));
    l2mtrec_trace_set_nonce(row, nonce_s);
    status = ovsdb_idl_txn_commit_block(txn);
    if (status == TXN_SUCCESS) {
        *uuid = *ovsdb_idl_txn_get_insert_uuid(txn, &row->header_.uuid);
    } else {
        const char *why = ovsdb_idl_txn_get_error(txn);

        error = xasprintf("the trace request was not accepted (%s)%s",
                          why ? why : ovsdb_idl_txn_status_to_string(status),
                          why && strstr(why, "rows")
                          ? ": too many traces under way (16 at most), "
                            "try again" : "");
    }
    ovsdb_idl_txn_destroy(txn);
    free(names);
    return error;
}

static void
delete_request(struct ovsdb_idl *idl, const struct uuid *uuid)
{
    const struct l2mtrec_trace *row = l2mtrec_trace_get_for_uuid(idl, uuid);

    if (row) {
        struct ovsdb_idl_txn *txn = ovsdb_idl_txn_create(idl);

        l2mtrec_trace_delete(row);
        /* Best effort: a request left behind (the database unreachable
         * now) is answered and then only takes one of the 16 rows. */
        ovsdb_idl_txn_commit_block(txn);
        ovsdb_idl_txn_destroy(txn);
    }
}

struct json *
fleet_trace_run(const struct fleet_trace_opts *o,
                enum fleet_trace_error *why, char **error)
{
    long long int deadline = time_msec() + o->timeout_ms;
    const struct l2mtrec_tenant *tenant;
    const struct l2mtrec_trace *row;
    struct sset hosts = SSET_INITIALIZER(&hosts);
    struct json *result = NULL, *results, *no_answer, *asked;
    struct answers_aux aux;
    struct ovsdb_idl *idl;
    const char **sorted;
    unsigned int seqno;

    *error = NULL;
    if (!o->packet[0] || strlen(o->packet) > FLEET_TRACE_PACKET_MAX) {
        *why = FLEET_TRACE_BAD_INPUT;
        *error = xasprintf("the packet description is empty or longer than "
                           "%d characters", FLEET_TRACE_PACKET_MAX);
        return NULL;
    }

    idl = ovsdb_idl_create(o->remote, &l2mtrec_idl_class, true, true);
    ovsdb_idl_set_leader_only(idl, false);
    seqno = ovsdb_idl_get_seqno(idl);
    if (!idl_wait_for(idl, deadline, contents_arrived, &seqno)) {
        *why = FLEET_TRACE_NO_DB;
        *error = xasprintf("%s: the fleet database does not answer",
                           o->remote);
        goto out;
    }
    if (!l2mtrec_server_has_trace_table(idl)) {
        *why = FLEET_TRACE_NO_DB;
        *error = xasprintf("%s: the fleet database's schema has no Trace "
                           "table (1.3.0 or later needed)", o->remote);
        goto out;
    }
    *why = FLEET_TRACE_BAD_INPUT;
    tenant = find_tenant(idl, o->tenant);
    if (!tenant) {
        *error = xasprintf("the fleet database has no tenant \"%s\" (a name "
                           "or an id)", o->tenant);
        goto out;
    }
    *error = pick_hosts(idl, o->hosts, tenant, &hosts, why);
    if (*error) {
        goto out;
    }
    *error = insert_request(idl, tenant, o->packet, &hosts, &aux.uuid);
    if (*error) {
        *why = FLEET_TRACE_NO_DB;
        goto out;
    }
    aux.hosts = &hosts;
    idl_wait_for(idl, deadline, answers_arrived, &aux);

    result = json_object_create();
    json_object_put_string(result, "tenant", tenant->name);
    json_object_put(result, "tenant_id",
                    json_integer_create(tenant->tenant_id));
    json_object_put_string(result, "packet", o->packet);
    asked = json_array_create_empty();
    results = json_object_create();
    no_answer = json_array_create_empty();
    row = l2mtrec_trace_get_for_uuid(idl, &aux.uuid);
    sorted = sset_sort(&hosts);
    for (size_t i = 0; i < sset_count(&hosts); i++) {
        const char *h = sorted[i];
        const char *text = row ? smap_get(&row->results, h) : NULL;
        struct json *doc = text ? json_from_string(text) : NULL;

        json_array_add(asked, json_string_create(h));
        if (doc && doc->type == JSON_OBJECT) {
            json_object_put(results, h, doc);
        } else {
            json_destroy(doc);
            json_array_add(no_answer, json_string_create(h));
        }
    }
    free(sorted);
    json_object_put(result, "hosts", asked);
    json_object_put(result, "results", results);
    json_object_put(result, "no_answer", no_answer);
    delete_request(idl, &aux.uuid);

out:
    sset_destroy(&hosts);
    ovsdb_idl_destroy(idl);
    return result;
}
