/*
 * Copyright (c) 2026 The l2mt authors.
 * Licensed under the Apache License, Version 2.0.
 */

#include <config.h>
#include "oam/oam-switch.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "daemon.h"
#include "dirs.h"
#include "jsonrpc.h"
#include "unixctl.h"
#include "util.h"

/* The socket of 'target' as ovs-appctl finds it: a path as it is, a name
 * through its pidfile in the run directory. */
static char *
socket_path(const char *target, char **error)
{
    char *pidfile;
    pid_t pid;

    if (strchr(target, '/')) {
        return xstrdup(target);
    }
    pidfile = xasprintf("%s/%s.pid", ovs_rundir(), target);
    pid = read_pidfile(pidfile);
    free(pidfile);
    if (pid < 0) {
        *error = xasprintf("cannot read the pidfile of %s in %s: %s", target,
                           ovs_rundir(), ovs_strerror(-pid));
        return NULL;
    }
    return xasprintf("%s/%s.%ld.ctl", ovs_rundir(), target, (long) pid);
}

/* Reads "key=value" out of a dpif/show option list. */
static char *
option(const char *opts, const char *key)
{
    size_t n = strlen(key);
    const char *p;

    for (p = opts; (p = strstr(p, key)); p += n) {
        if ((p == opts || p[-1] == ' ' || p[-1] == '(') && p[n] == '=') {
            return xmemdup0(p + n + 1, strcspn(p + n + 1, ",)"));
        }
    }
    return NULL;
}

static void
parse_ports(struct oam_switch *sw, const char *text)
{
    char *copy = xstrdup(text), *save = NULL, *line;
    char *bridge = NULL;

    for (line = strtok_r(copy, "\n", &save); line;
         line = strtok_r(NULL, "\n", &save)) {
        int indent = strspn(line, " ");
        char name[128], type[64];
        unsigned int ofport, dp;

        if (indent == 2 && line[strlen(line) - 1] == ':') {
            free(bridge);
            bridge = xmemdup0(line + 2, strlen(line) - 3);
        } else if (indent == 4 && bridge
                   && (sscanf(line, " %127s %u/%u: (%63[^:)]", name, &ofport,
                              &dp, type) == 4
                       || (sscanf(line, " %127s %*[^/]/%u: (%63[^:)]", name,
                                  &dp, type) == 3 && (ofport = 0, 1)))) {
            struct oam_port *p;

            sw->ports = xrealloc(sw->ports, (sw->n_ports + 1)
                                 * sizeof *sw->ports);
            p = &sw->ports[sw->n_ports++];
            memset(p, 0, sizeof *p);
            p->bridge = xstrdup(bridge);
            p->name = xstrdup(name);
            p->ofport = ofport;
            p->dp_port = dp;
            p->type = xstrdup(type);
            p->key = option(line, "key");
            p->remote_ip = option(line, "remote_ip");
            p->local_ip = option(line, "local_ip");
        }
    }
    free(bridge);
    free(copy);
}

char *
oam_switch_open(struct oam_switch *sw, const char *role, const char *target)
{
    char *error = NULL, *reply = NULL;
    int err;

    memset(sw, 0, sizeof *sw);
    sw->role = xstrdup(role);
    sw->target = socket_path(target, &error);
    if (!sw->target) {
        return error;
    }
    err = unixctl_client_create(sw->target, &sw->rpc);
    if (err) {
        return xasprintf("%s switch at %s does not answer: %s", role,
                         sw->target, ovs_strerror(err));
    }
    error = oam_switch_call(sw, "dpif/show", 0, NULL, &reply);
    if (!error) {
        parse_ports(sw, reply);
    }
    free(reply);
    return error;
}

void
oam_switch_close(struct oam_switch *sw)
{
    size_t i;

    for (i = 0; i < sw->n_ports; i++) {
        struct oam_port *p = &sw->ports[i];

        free(p->bridge);
        free(p->name);
        free(p->type);
        free(p->key);
        free(p->remote_ip);
        free(p->local_ip);
    }
    free(sw->ports);
    if (sw->rpc) {
        jsonrpc_close(sw->rpc);
    }
    free(sw->role);
    free(sw->target);
    memset(sw, 0, sizeof *sw);
}

char *
oam_switch_call(struct oam_switch *sw, const char *cmd, int argc,
                char *argv[], char **reply)
{
    char *result = NULL, *err = NULL;
    int error;

    *reply = NULL;
    error = unixctl_client_transact(sw->rpc, cmd, argc, argv, &result, &err);
    if (error) {
        free(result);
        free(err);
        return xasprintf("%s switch at %s does not answer %s: %s", sw->role,
                         sw->target, cmd, ovs_strerror(error));
    }
    if (err) {
        char *msg = xasprintf("%s switch at %s: %s: %.*s", sw->role,
                              sw->target, cmd, (int) strcspn(err, "\n"),
                              err);
        free(result);
        free(err);
        return msg;
    }
    *reply = result ? result : xstrdup("");
    return NULL;
}

const struct oam_port *
oam_switch_port(const struct oam_switch *sw, const char *bridge,
                const char *name)
{
    size_t i;

    for (i = 0; i < sw->n_ports; i++) {
        if (!strcmp(sw->ports[i].name, name)
            && (!bridge || !strcmp(sw->ports[i].bridge, bridge))) {
            return &sw->ports[i];
        }
    }
    return NULL;
}

const struct oam_port *
oam_switch_dp_port(const struct oam_switch *sw, uint32_t dp_port)
{
    size_t i;

    for (i = 0; i < sw->n_ports; i++) {
        /* Tunnel ports share their vport's number: take the first
         * non-tunnel. */
        if (sw->ports[i].dp_port == dp_port && !sw->ports[i].key) {
            return &sw->ports[i];
        }
    }
    return NULL;
}

const struct oam_port *
oam_switch_gre_in(const struct oam_switch *sw, const char *bridge,
                  uint32_t key, const char *remote)
{
    const struct oam_port *flow_port = NULL;
    char k[16];
    size_t i;

    snprintf(k, sizeof k, "%"PRIu32, key);
    for (i = 0; i < sw->n_ports; i++) {
        const struct oam_port *p = &sw->ports[i];

        if (strcmp(p->type, "gre") || !p->key || !p->remote_ip
            || (bridge && strcmp(p->bridge, bridge))) {
            continue;
        }
        if (!strcmp(p->key, k) && !strcmp(p->remote_ip, remote)) {
            return p;
        }
        if (!strcmp(p->key, "flow") && !strcmp(p->remote_ip, "flow")) {
            flow_port = p;
        }
    }
    return flow_port;
}

/* Datapath actions, read out: plain outputs, tnl_push, nat64; clone() and
 * tnl_push() are entered, what follows a tnl_push at the same level (the
 * underlay's output) is not a tenant's output. */
static void
parse_actions(struct oam_trace *t, const char *s)
{
    int depth = 0;
    bool pushed = false;
    const char *p;

    for (p = s; *p; p++) {
        if (*p == '(') {
            depth++;
        } else if (*p == ')') {
            depth--;
        } else if ((p == s || p[-1] == ',' || p[-1] == '(')
                   && !strncmp(p, "tnl_push(", 9) && t->n_pushes < 4) {
            struct oam_tnl_push *tp = &t->pushes[t->n_pushes];
            const char *ip = strstr(p, "ipv4(src=");
            const char *key = strstr(p, "key=0x");
            unsigned long k;

            memset(tp, 0, sizeof *tp);
            sscanf(p, "tnl_push(tnl_port(%"SCNu32")", &tp->tnl_port);
            if (ip) {
                sscanf(ip, "ipv4(src=%15[0-9.],dst=%15[0-9.]", tp->src,
                       tp->dst);
            }
            if (key && sscanf(key, "key=0x%lx", &k) == 1) {
                tp->key = k;
            }
            t->n_pushes++;
            pushed = true;
        } else if ((p == s || p[-1] == ',') && !strncmp(p, "nat64(", 6)) {
            snprintf(t->nat64, sizeof t->nat64, "%.*s",
                     (int) strcspn(p + 6, ")"), p + 6);
        } else if ((p == s || p[-1] == ',' || (p[-1] == '(' && depth > 0
                                               && !strncmp(p - 6, "clone(",
                                                           6)))
                   && *p >= '0' && *p <= '9' && !pushed
                   && t->n_outputs < 8) {
            t->outputs[t->n_outputs++] = strtoul(p, NULL, 10);
        }
    }
}

void
oam_trace_parse(struct oam_trace *t, char *text)
{
    char *save = NULL, *line, *copy;
    int n_bridges = 0;

    memset(t, 0, sizeof *t);
    t->text = text;
    t->table = -1;
    copy = xstrdup(text);
    for (line = strtok_r(copy, "\n", &save); line;
         line = strtok_r(NULL, "\n", &save)) {
        const char *l = line + strspn(line, " ");
        int table, n = 0;

        if (!strncmp(l, "bridge(\"", 8)) {
            /* The rules that decide are the traced bridge's, not those of
             * the underlay bridge a native tunnel goes through. */
            n_bridges++;
        } else if (!strncmp(l, "Datapath actions: ", 18)) {
            /* The first: later ones are recirculations (the tunnel's
             * underlay part). */
            if (!t->dp_actions) {
                t->dp_actions = xstrdup(l + 18);
            }
        } else if (!strncmp(l, "Final flow: ", 12)) {
            if (!t->final_flow) {
                t->final_flow = xstrdup(l + 12);
            }
        } else if (n_bridges <= 1 && sscanf(l, "%d. %n", &table, &n) == 1
                   && n) {
            const char *rest = l + n;
            const char *prio = !strncmp(rest, "priority ", 9)
                               ? rest - 2 : strstr(rest, ", priority ");

            free(t->rule);
            t->table = table;
            t->cookie = 0;
            t->priority = -1;
            if (prio) {
                const char *ck = strstr(prio, ", cookie ");

                t->rule = prio < rest ? xstrdup("")
                                      : xmemdup0(rest, prio - rest);
                t->priority = atoi(prio + 11);
                if (ck) {
                    t->cookie = strtoull(ck + 9, NULL, 16);
                }
            } else {
                t->rule = xstrdup(rest);    /* "No match." */
            }
        }
    }
    free(copy);
    if (!t->dp_actions) {
        t->dp_actions = xstrdup("");
    }
    parse_actions(t, t->dp_actions);
}

char *
oam_switch_trace(struct oam_switch *sw, const char *bridge, const char *meta,
                 const char *hex, struct oam_trace *t)
{
    char *argv[3] = { CONST_CAST(char *, bridge), CONST_CAST(char *, meta),
                      CONST_CAST(char *, hex) };
    char *reply, *error;

    memset(t, 0, sizeof *t);
    error = oam_switch_call(sw, "ofproto/trace", 3, argv, &reply);
    if (error) {
        return error;
    }
    oam_trace_parse(t, reply);
    return NULL;
}

void
oam_trace_destroy(struct oam_trace *t)
{
    free(t->text);
    free(t->dp_actions);
    free(t->final_flow);
    free(t->rule);
    memset(t, 0, sizeof *t);
}
