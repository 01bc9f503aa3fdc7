/*
 * Copyright (c) 2026 The l2mt authors.
 * Licensed under the Apache License, Version 2.0.
 *
 * l2mt's OAM trace (issue 16): a tenant's packet, as the tenant sends it,
 * walked through every switch on its path that this host can see, with
 * each switch's own ofproto/trace and the translator core itself (on the
 * frame), then the answer's way back.  The result is a JSON document
 * (oam_trace_run()), printed as text by oam_report_text() or as it is: a
 * program (l2mt-trace) and, later, the agent's unixctl "trace" command
 * share it, the agent passing its parsed config and its switch.
 */

#ifndef OAM_TRACE_H
#define OAM_TRACE_H 1

#include <stdbool.h>

struct json;
struct ds;
struct l2mt_conf;
struct l2mt_conf_host;
struct l2mt_conf_tenant;
struct oam_switch;

struct oam_trace_req {
    const struct l2mt_conf *conf;
    const struct l2mt_conf_host *host;
    const struct l2mt_conf_tenant *tenant;
    const char *packet;         /* Flow syntax, as the tenant sends it. */
    struct oam_switch *hv;      /* This host's switch (the agent's). */
    /* The gateway side, when its switch is on this host (else NULL): the
     * bridge and the port where the tenant's LAN enters. */
    struct oam_switch *gw;
    const char *gw_bridge;
    const char *gw_port;
};

/* Exit codes of l2mt-trace, also the "status" member of the result. */
enum oam_status {
    OAM_DELIVERED = 0,          /* Request and answer both delivered. */
    OAM_DROPPED = 1,            /* Dropped somewhere: see the hops. */
    OAM_BAD_INPUT = 2,          /* Unknown tenant, bad packet, bad config. */
    OAM_NO_SWITCH = 3,          /* A switch (or the fleet database) did not
                                 * answer. */
    OAM_NO_ANSWER = 4,          /* --fleet: a host did not answer in time. */
    OAM_NO_PATH = 5,            /* --fleet: no host on the tenant's path (no
                                 * VM port bound, no gateway host). */
};

/* Finds 'name' (a tenant's name or id) in 'conf'. */
const struct l2mt_conf_tenant *oam_tenant_find(const struct l2mt_conf *,
                                               const char *name);

/* Runs the trace.  Returns the result, with '*status' set; on bad input or
 * a switch that does not answer, NULL with '*error' (caller frees). */
struct json *oam_trace_run(const struct oam_trace_req *,
                           enum oam_status *status, char **error);

/* The result as readable text. */
void oam_report_text(const struct json *, struct ds *);

#endif /* oam-trace.h */
