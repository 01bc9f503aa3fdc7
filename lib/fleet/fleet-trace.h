/*
 * Copyright (c) 2026 The l2mt authors.
 * Licensed under the Apache License, Version 2.0.
 */

#ifndef FLEET_TRACE_H
#define FLEET_TRACE_H 1

/* A tenant's trace over the fleet (issue 16, part 1), through the database:
 * a request in the Trace table (l2mt-db(5)) names the hosts, each host's
 * agent runs its part locally (as "ovs-appctl -t l2mt-agent trace" does)
 * and writes its JSON document to the request's results; the requester
 * waits for them (bounded), takes them and deletes the request.  No shell
 * on any host, nothing changed on any switch. */

struct json;

/* Why fleet_trace_run() gave no result. */
enum fleet_trace_error {
    FLEET_TRACE_BAD_INPUT = 1,  /* Unknown tenant or host, bad request. */
    FLEET_TRACE_NO_DB,          /* The database unreachable or too old. */
    FLEET_TRACE_NO_PATH,        /* The tenant has no VM port bound to a
                                 * host and no gateway host. */
};

struct fleet_trace_opts {
    const char *remote;         /* The fleet database (OVSDB remotes). */
    const char *tenant;         /* A Tenant's name or tenant_id. */
    const char *packet;         /* As l2mt-trace takes it. */
    const char *hosts;          /* Comma-separated Host names, or NULL for
                                 * the hosts on the tenant's path: its VM
                                 * ports' hosts and its gateway side. */
    long long int timeout_ms;   /* For the whole, connection included. */
};

/* Largest packet description the Trace table takes. */
#define FLEET_TRACE_PACKET_MAX 1024

/* Runs a fleet trace.  Returns
 *   {"tenant", "tenant_id", "packet", "hosts": [names asked],
 *    "results": {host: that host's document, or {"error", "status"}},
 *    "no_answer": [hosts that did not answer in time]}
 * or NULL with '*error' (caller frees) and '*why'. */
struct json *fleet_trace_run(const struct fleet_trace_opts *,
                             enum fleet_trace_error *why, char **error);

#endif /* fleet-trace.h */
