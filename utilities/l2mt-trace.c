/*
 * Copyright (c) 2026 The l2mt authors.
 * Licensed under the Apache License, Version 2.0.
 *
 * l2mt-trace: where does a tenant's packet go?  A thin main around
 * lib/oam (oam_trace_run()); see l2mt-trace(8) and Documentation/oam.md.
 */

#include <config.h>

#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "command-line.h"
#include "fleet/fleet-trace.h"
#include "l2mt-conf.h"
#include "oam/oam-switch.h"
#include "oam/oam-trace.h"
#include "openvswitch/dynamic-string.h"
#include "openvswitch/json.h"
#include "openvswitch/shash.h"
#include "openvswitch/vlog.h"
#include "util.h"

VLOG_DEFINE_THIS_MODULE(l2mt_trace);

/* A switch that accepts the connection but never answers (stopped, stuck)
 * must not hang the operator's shell: exit 3 when the alarm rings.  (With
 * --fleet, the fleet database that never answers a transaction.) */
static void
alarm_rang(int sig OVS_UNUSED)
{
    static const char msg[] = "l2mt-trace: a switch did not answer in "
                              "time (--timeout)\n";

    ignore(write(STDERR_FILENO, msg, sizeof msg - 1));
    _exit(3);
}

static void
usage(void)
{
    printf("\
%s: trace a tenant's packet through this host's switches\n\
usage: %s [OPTIONS] TENANT PACKET\n\
\n\
TENANT is a tenant's name or id in the config; PACKET is a frame as the\n\
tenant sends it, in Open vSwitch's flow syntax, e.g.\n\
  'udp,nw_src=192.168.0.10,nw_dst=192.168.0.100,tp_dst=80'\n\
  'arp,arp_spa=192.168.0.10,arp_tpa=192.168.0.100'\n\
  'udp6,ipv6_src=fe80::c0a8:a,ipv6_dst=fe80::c0a8:64,tp_dst=80'\n\
\n\
Options:\n\
  -c, --config=FILE     l2mt.conf (default /etc/l2mt/l2mt.conf)\n\
  --host=NAME           this host's block in the config (default: hostname)\n\
  --switch=TARGET       this host's ovs-vswitchd: unixctl socket path or\n\
                        daemon name in the run directory (ovs-vswitchd)\n\
  --gateway=TARGET,BRIDGE,PORT\n\
                        the tenant's gateway switch, when it is on this\n\
                        host: its unixctl target, bridge and the port\n\
                        where the tenant's LAN enters\n\
  --format=text|json    output (default text)\n\
  --fleet=REMOTES       trace over the fleet: ask each host's l2mt-agent\n\
                        (run --fleet) through the fleet database, and\n\
                        print every host's part (no config file needed)\n\
  --hosts=H1,H2,...     with --fleet, the hosts to ask (default: those\n\
                        the tenant's VM ports are bound to, and its\n\
                        gateway side)\n\
  -t, --timeout=SECS    give up on the switches after SECS (default 10)\n\
  -h, --help            this help\n\
  -V, --version         version\n\
\n\
Nothing is changed on any switch: each is asked for ofproto/trace and\n\
dpif/show, and the translator core runs here on a copy of the frame.\n\
\n\
Exit status: 0 request and answer delivered, 1 dropped on the way (the\n\
hop that dropped it is named), 2 bad input (unknown tenant or host,\n\
unparseable packet, bad config, bad option), 3 a switch does not answer\n\
(with --fleet: the database), 4 with --fleet, a host did not answer in\n\
time (it is named), 5 with --fleet, no host on the tenant's path (no\n\
VM port of it bound to a host, no gateway host).  With --fleet, the\n\
worst of the hosts' statuses.\n",
           program_name, program_name);
}

/* The status one host's part of a fleet trace stands for. */
static enum oam_status
part_status(const struct json *doc)
{
    const struct json *st = shash_find_data(json_object(doc), "status");
    const struct json *v = shash_find_data(json_object(doc), "verdict");

    if (st && st->type == JSON_INTEGER) {
        return st->integer;
    }
    return (v && v->type == JSON_STRING
            && !strcmp(json_string(v), "delivered")
            ? OAM_DELIVERED : OAM_DROPPED);
}

/* Prints fleet trace 'result' as text: each host's part in turn. */
static void
fleet_print_text(const struct json *result, const char *tenant)
{
    const struct json *results = shash_find_data(json_object(result),
                                                 "results");
    const struct shash_node **sorted = shash_sort(json_object(results));
    struct ds s = DS_EMPTY_INITIALIZER;
    size_t i;

    ds_put_format(&s, "fleet trace: tenant %s, %"PRIuSIZE" host(s) "
                  "asked\n", tenant, json_array(
                      shash_find_data(json_object(result), "hosts"))->n);
    for (i = 0; i < shash_count(json_object(results)); i++) {
        const struct json *doc = sorted[i]->data;
        const struct json *e = shash_find_data(json_object(doc), "error");

        ds_put_format(&s, "\n== host %s ==\n", sorted[i]->name);
        if (e && e->type == JSON_STRING) {
            ds_put_format(&s, "error: %s\n", json_string(e));
        } else {
            oam_report_text(doc, &s);
        }
    }
    free(sorted);
    fputs(ds_cstr(&s), stdout);
    ds_destroy(&s);
}

/* l2mt-trace --fleet: every host's part, through the fleet database. */
static int
fleet_main(const char *remote, const char *hosts, const char *tenant,
           const char *packet, unsigned int timeout, bool json_out)
{
    struct fleet_trace_opts o = {
        .remote = remote, .tenant = tenant, .packet = packet,
        .hosts = hosts, .timeout_ms = timeout * 1000LL,
    };
    const struct json *results, *no_answer;
    enum fleet_trace_error why;
    enum oam_status status = OAM_DELIVERED;
    struct shash_node *node;
    struct json *result;
    char *error;
    size_t i;

    result = fleet_trace_run(&o, &why, &error);
    if (!result) {
        fprintf(stderr, "%s: %s\n", program_name, error);
        free(error);
        return (why == FLEET_TRACE_BAD_INPUT ? OAM_BAD_INPUT
                : why == FLEET_TRACE_NO_PATH ? OAM_NO_PATH
                : OAM_NO_SWITCH);
    }
    results = shash_find_data(json_object(result), "results");
    no_answer = shash_find_data(json_object(result), "no_answer");
    SHASH_FOR_EACH (node, json_object(results)) {
        enum oam_status s = part_status(node->data);

        status = MAX(status, s);
    }
    if (json_array(no_answer)->n) {
        status = OAM_NO_ANSWER;
    }
    json_object_put(result, "status", json_integer_create(status));

    if (json_out) {
        char *s = json_to_string(result, JSSF_PRETTY | JSSF_SORT);

        puts(s);
        free(s);
    } else {
        fleet_print_text(result, tenant);
    }
    for (i = 0; i < json_array(no_answer)->n; i++) {
        fprintf(stderr, "%s: host %s did not answer within %u s (is its "
                "l2mt-agent running with --fleet?)\n", program_name,
                json_string(json_array(no_answer)->elems[i]), timeout);
    }
    json_destroy(result);
    return status;
}

/* What the command line asks for. */
struct trace_opts {
    const char *config;         /* -c: l2mt.conf. */
    const char *host;           /* --host, NULL for the hostname. */
    const char *target;         /* --switch: this host's ovs-vswitchd. */
    char *gateway;              /* --gateway=TARGET,BRIDGE,PORT or NULL. */
    const char *fleet;          /* --fleet=REMOTES or NULL. */
    const char *hosts;          /* --hosts=H1,H2,... or NULL. */
    bool json_out;              /* --format=json. */
    unsigned int timeout;       /* --timeout, seconds. */
    const char *tenant;         /* TENANT. */
    const char *packet;         /* PACKET. */
};

/* Parses the command line into 'o'.  Returns -1 to go on, else the exit
 * status (0 after --help or --version). */
static int
parse_options(int argc, char *argv[], struct trace_opts *o)
{
    enum { OPT_HOST = 256, OPT_SWITCH, OPT_GATEWAY, OPT_FORMAT, OPT_FLEET,
           OPT_HOSTS };
    static const struct option long_options[] = {
        { "config", required_argument, NULL, 'c' },
        { "host", required_argument, NULL, OPT_HOST },
        { "switch", required_argument, NULL, OPT_SWITCH },
        { "gateway", required_argument, NULL, OPT_GATEWAY },
        { "format", required_argument, NULL, OPT_FORMAT },
        { "fleet", required_argument, NULL, OPT_FLEET },
        { "hosts", required_argument, NULL, OPT_HOSTS },
        { "timeout", required_argument, NULL, 't' },
        { "help", no_argument, NULL, 'h' },
        { "version", no_argument, NULL, 'V' },
        { NULL, 0, NULL, 0 },
    };
    int c;

    memset(o, 0, sizeof *o);
    o->config = "/etc/l2mt/l2mt.conf";
    o->target = "ovs-vswitchd";
    o->timeout = 10;
    while ((c = getopt_long(argc, argv, "c:t:hV", long_options, NULL)) != -1) {
        switch (c) {
        case 'c':
            o->config = optarg;
            break;
        case OPT_HOST:
            o->host = optarg;
            break;
        case OPT_SWITCH:
            o->target = optarg;
            break;
        case OPT_GATEWAY:
            o->gateway = optarg;
            break;
        case OPT_FLEET:
            o->fleet = optarg;
            break;
        case OPT_HOSTS:
            o->hosts = optarg;
            break;
        case OPT_FORMAT:
            if (!strcmp(optarg, "json") || !strcmp(optarg, "text")) {
                o->json_out = optarg[0] == 'j';
            } else {
                fprintf(stderr, "%s: --format: \"%s\" is not text or json\n",
                        program_name, optarg);
                return OAM_BAD_INPUT;
            }
            break;
        case 't':
            if (!str_to_uint(optarg, 10, &o->timeout) || !o->timeout) {
                fprintf(stderr, "%s: --timeout: \"%s\" is not a positive "
                        "number of seconds\n", program_name, optarg);
                return OAM_BAD_INPUT;
            }
            break;
        case 'h':
            usage();
            return 0;
        case 'V':
            printf("l2mt-trace (l2mt) %s\n", L2MT_VERSION);
            return 0;
        default:
            fprintf(stderr, "Try '%s --help'.\n", program_name);
            return OAM_BAD_INPUT;
        }
    }
    if (argc - optind != 2) {
        fprintf(stderr, "%s: need TENANT and PACKET (try --help)\n",
                program_name);
        return OAM_BAD_INPUT;
    }
    if (o->hosts && !o->fleet) {
        fprintf(stderr, "%s: --hosts needs --fleet\n", program_name);
        return OAM_BAD_INPUT;
    }
    o->tenant = argv[optind];
    o->packet = argv[optind + 1];
    return -1;
}

/* Opens the gateway switch of --gateway=TARGET,BRIDGE,PORT into 'gw' and
 * sets 'req''s gateway.  Returns -1 on success, else the exit status. */
static int
open_gateway(char *gateway, struct oam_switch *gw, struct oam_trace_req *req)
{
    char *save = NULL, *t = strtok_r(gateway, ",", &save);
    char *error;

    req->gw_bridge = strtok_r(NULL, ",", &save);
    req->gw_port = strtok_r(NULL, ",", &save);
    if (!t || !req->gw_bridge || !req->gw_port) {
        fprintf(stderr, "%s: --gateway needs TARGET,BRIDGE,PORT\n",
                program_name);
        return OAM_BAD_INPUT;
    }
    error = oam_switch_open(gw, "gateway", t);
    if (error) {
        fprintf(stderr, "%s: %s\n", program_name, error);
        return OAM_NO_SWITCH;
    }
    if (!oam_switch_port(gw, req->gw_bridge, req->gw_port)) {
        fprintf(stderr, "%s: the gateway has no port %s on bridge %s\n",
                program_name, req->gw_port, req->gw_bridge);
        return OAM_BAD_INPUT;
    }
    req->gw = gw;
    return -1;
}

/* Finds 'o''s host and tenant in 'conf' for 'req'.  Returns -1 if both are
 * there, else the exit status. */
static int
find_host_tenant(const struct trace_opts *o, const struct l2mt_conf *conf,
                 struct oam_trace_req *req)
{
    const char *host = o->host;
    char hostname[256];

    if (!host) {
        if (gethostname(hostname, sizeof hostname - 1)) {
            strcpy(hostname, "localhost");
        }
        hostname[sizeof hostname - 1] = '\0';
        host = hostname;
    }
    req->host = l2mt_conf_find_host(conf, host);
    if (!req->host) {
        fprintf(stderr, "%s: %s: no host %s (use --host)\n", program_name,
                o->config, host);
        return OAM_BAD_INPUT;
    }
    req->tenant = oam_tenant_find(conf, o->tenant);
    if (!req->tenant) {
        fprintf(stderr, "%s: %s: no tenant \"%s\" (a name or an id)\n",
                program_name, o->config, o->tenant);
        return OAM_BAD_INPUT;
    }
    return -1;
}

/* Prints the trace document 'result' as asked. */
static void
print_result(const struct json *result, bool json_out)
{
    if (json_out) {
        char *s = json_to_string(result, JSSF_PRETTY);

        puts(s);
        free(s);
    } else {
        struct ds s = DS_EMPTY_INITIALIZER;

        oam_report_text(result, &s);
        fputs(ds_cstr(&s), stdout);
        ds_destroy(&s);
    }
}

/* l2mt-trace without --fleet: this host's switches, from the config. */
static int
local_main(struct trace_opts *o)
{
    struct oam_switch hv, gw;
    struct oam_trace_req req;
    struct l2mt_conf *conf;
    enum oam_status status;
    struct json *result;
    char *errors = NULL;
    int rc;

    conf = l2mt_conf_load(o->config, &errors);
    if (!conf) {
        fputs(errors, stderr);
        fprintf(stderr, "%s: %s has errors\n", program_name, o->config);
        free(errors);
        return OAM_BAD_INPUT;
    }
    memset(&req, 0, sizeof req);
    req.conf = conf;
    req.packet = o->packet;
    rc = find_host_tenant(o, conf, &req);
    if (rc >= 0) {
        return rc;
    }

    signal(SIGALRM, alarm_rang);
    alarm(o->timeout);
    memset(&gw, 0, sizeof gw);
    if (o->gateway) {
        rc = open_gateway(o->gateway, &gw, &req);
        if (rc >= 0) {
            return rc;
        }
    }
    errors = oam_switch_open(&hv, "hypervisor", o->target);
    if (errors) {
        fprintf(stderr, "%s: %s\n", program_name, errors);
        return OAM_NO_SWITCH;
    }
    req.hv = &hv;

    result = oam_trace_run(&req, &status, &errors);
    if (!result) {
        fprintf(stderr, "%s: %s\n", program_name, errors);
        free(errors);
    } else {
        print_result(result, o->json_out);
    }
    json_destroy(result);
    oam_switch_close(&hv);
    if (req.gw) {
        oam_switch_close(&gw);
    }
    l2mt_conf_free(conf);
    return status;
}

int
main(int argc, char *argv[])
{
    struct trace_opts o;
    int rc;

    set_program_name(argv[0]);
    /* Errors are reported as messages of our own, not unixctl's log. */
    vlog_set_levels(NULL, VLF_CONSOLE, VLL_ERR);
    rc = parse_options(argc, argv, &o);
    if (rc >= 0) {
        return rc;
    }
    if (o.fleet) {
        /* The waits are bounded by the timeout; a database that takes a
         * transaction and never answers it is not: the alarm is. */
        signal(SIGALRM, alarm_rang);
        alarm(o.timeout + 5);
        return fleet_main(o.fleet, o.hosts, o.tenant, o.packet, o.timeout,
                          o.json_out);
    }
    return local_main(&o);
}
