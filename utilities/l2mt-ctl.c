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

/* l2mt-ctl: the l2mt database's command line (l2mt-ctl(8)), on Open
 * vSwitch's db-ctl-base as ovn-nbctl and vtep-ctl are: typed commands for
 * tenants, profiles, VM ports and hosts, every generic database command,
 * import and export of l2mt.conf(5).
 *
 * Whatever the commands, the transaction is checked before it is sent:
 * the database as it would be is written out as an l2mt.conf file and
 * parsed by lib/l2mt-conf.c, the parser every agent uses, so a change that
 * a file could not hold (a reserved name, a port in two roles, a GRE key
 * twice, ...) is refused and nothing changes.  The schema's indexes refuse
 * duplicates on their own too, against concurrent writers. */

#include <config.h>

#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "command-line.h"
#include "db-ctl-base.h"
#include "fatal-signal.h"
#include "fleet/fleet-import.h"
#include "fleet/fleet-inventory.h"
#include "fleet/fleet-rows.h"
#include "fleet/fleet-text.h"
#include "fleet/l2mt-idl.h"
#include "l2mt-conf.h"
#include "openvswitch/dynamic-string.h"
#include "openvswitch/poll-loop.h"
#include "openvswitch/shash.h"
#include "openvswitch/vlog.h"
#include "ovsdb-data.h"
#include "ovsdb-idl.h"
#include "process.h"
#include "smap.h"
#include "stream-ssl.h"
#include "stream.h"
#include "svec.h"
#include "table.h"
#include "timeval.h"
#include "util.h"

VLOG_DEFINE_THIS_MODULE(l2mt_ctl);

/* Where l2mt-central's database listens for local clients. */
#define L2MT_CTL_DEFAULT_DB "unix:/run/l2mt/l2mt-db.sock"

static const char *db;          /* --db, $L2MT_DB or the default. */
static bool oneline;            /* --oneline. */
static bool dry_run;            /* --dry-run. */
static bool wait_hv;            /* --wait=hv. */
static unsigned int timeout;    /* --timeout, seconds, 0: none. */
static struct table_style table_style = TABLE_STYLE_DEFAULT;

static struct ovsdb_idl *the_idl;
static struct ovsdb_idl_txn *the_idl_txn;

OVS_NO_RETURN static void usage(void);

static void
l2mt_ctl_exit(int status)
{
    if (the_idl_txn) {
        ovsdb_idl_txn_abort(the_idl_txn);
        ovsdb_idl_txn_destroy(the_idl_txn);
    }
    ovsdb_idl_destroy(the_idl);
    exit(status);
}

static void
parse_options(int argc, char *argv[], struct shash *local_options)
{
    enum {
        OPT_DB = UCHAR_MAX + 1,
        OPT_ONELINE,
        OPT_DRY_RUN,
        OPT_WAIT,
        OPT_PEER_CA_CERT,
        OPT_LOCAL,
        VLOG_OPTION_ENUMS,
        TABLE_OPTION_ENUMS,
        SSL_OPTION_ENUMS,
    };
    static const struct option global_long_options[] = {
        {"db", required_argument, NULL, OPT_DB},
        {"dry-run", no_argument, NULL, OPT_DRY_RUN},
        {"oneline", no_argument, NULL, OPT_ONELINE},
        {"wait", required_argument, NULL, OPT_WAIT},
        {"timeout", required_argument, NULL, 't'},
        {"help", no_argument, NULL, 'h'},
        {"version", no_argument, NULL, 'V'},
        VLOG_LONG_OPTIONS,
        TABLE_LONG_OPTIONS,
        STREAM_SSL_LONG_OPTIONS,
        {"peer-ca-cert", required_argument, NULL, OPT_PEER_CA_CERT},
        {NULL, 0, NULL, 0},
    };
    const int n_global_long_options = ARRAY_SIZE(global_long_options) - 1;
    char *tmp, *short_options;
    struct option *options;
    size_t allocated_options;
    size_t n_options;
    size_t i;

    tmp = ovs_cmdl_long_options_to_short_options(global_long_options);
    short_options = xasprintf("+%s", tmp);
    free(tmp);

    /* Global options and each command's own, as vtep-ctl does. */
    options = xmemdup(global_long_options, sizeof global_long_options);
    allocated_options = ARRAY_SIZE(global_long_options);
    n_options = n_global_long_options;
    ctl_add_cmd_options(&options, &n_options, &allocated_options, OPT_LOCAL);

    for (;;) {
        int idx;
        int c = getopt_long(argc, argv, short_options, options, &idx);
        if (c == -1) {
            break;
        }

        switch (c) {
        case OPT_DB:
            db = optarg;
            break;

        case OPT_ONELINE:
            oneline = true;
            break;

        case OPT_DRY_RUN:
            dry_run = true;
            break;

        case OPT_WAIT:
            if (!strcmp(optarg, "hv")) {
                wait_hv = true;
            } else if (strcmp(optarg, "none")) {
                ctl_fatal("argument to --wait must be \"hv\" or \"none\"");
            }
            break;

        case OPT_LOCAL:
            if (shash_find(local_options, options[idx].name)) {
                ctl_fatal("'%s' option specified multiple times",
                          options[idx].name);
            }
            shash_add_nocopy(local_options,
                             xasprintf("--%s", options[idx].name),
                             nullable_xstrdup(optarg));
            break;

        case 'h':
            usage();

        case 'V':
            printf("%s (l2mt) %s\n", program_name, L2MT_VERSION);
            printf("DB Schema %s\n", l2mtrec_get_db_version());
            exit(EXIT_SUCCESS);

        case 't':
            if (!str_to_uint(optarg, 10, &timeout) || !timeout) {
                ctl_fatal("value %s on -t or --timeout is invalid", optarg);
            }
            break;

        VLOG_OPTION_HANDLERS
        TABLE_OPTION_HANDLERS(&table_style)
        STREAM_SSL_OPTION_HANDLERS

        case OPT_PEER_CA_CERT:
            stream_ssl_set_peer_ca_cert_file(optarg);
            break;

        case '?':
            exit(EXIT_FAILURE);

        default:
            abort();
        }
    }
    free(short_options);

    if (!db) {
        db = getenv("L2MT_DB");
        if (!db || !*db) {
            db = L2MT_CTL_DEFAULT_DB;
        }
    }
    for (i = n_global_long_options; options[i].name; i++) {
        free(CONST_CAST(char *, options[i].name));
    }
    free(options);
}

static void
usage(void)
{
    printf("\
%s: l2mt database utility\n\
usage: %s [OPTIONS] COMMAND [ARG...]\n\
\n\
General commands:\n\
  show                        print an overview of the database\n\
  init                        create the global row if it is missing\n\
  import FILE                 replace hosts, tenants, profiles and VM ports\n\
                              by those of l2mt.conf FILE\n\
  export [FILE]               write them as l2mt.conf (default: stdout)\n\
  flowd-topology              the collector's topology (l2mt-flowd --db)\n\
\n\
Tenant commands:\n\
  [--may-exist] [--name=NAME] [--gre-key=KEY]\n\
  tenant-add ID V4PORT REMOTE...  add tenant ID: its service VM's IPv4\n\
                              port and its tunnel endpoints\n\
  [--if-exists] tenant-del TENANT  delete a tenant (by ID or name)\n\
  tenant-list                 print ID, name and GRE key of every tenant\n\
\n\
Profile and VM port commands:\n\
  profile-set NAME [COLUMN[:KEY]=VALUE]...  create or change a profile\n\
  [--if-exists] profile-del NAME  delete a profile\n\
  port-bind PORT interface|iface-id|mac VALUE [PROFILE [TENANT]]\n\
                              bind a VM interface to a profile and tenant\n\
  [--if-exists] port-unbind PORT  delete a VM port\n\
\n\
Host commands:\n\
  [--may-exist] host-add NAME [COLUMN[:KEY]=VALUE]...  add a hypervisor\n\
  [--if-exists] host-del NAME delete a hypervisor\n\
  host-list                   print every host and its status\n\
\n\
%s\
%s\
\n\
Options:\n\
  --db=DATABASE               connect to DATABASE (several, comma-separated,\n\
                              for a cluster; default: $L2MT_DB or %s)\n\
  --wait=hv                   after a change, wait until every host's agent\n\
                              acknowledged it\n\
  -t, --timeout=SECS          wait at most SECS seconds\n\
  --dry-run                   do not commit changes to database\n\
  --oneline                   print exactly one line of output per command\n",
           program_name, program_name, ctl_get_db_cmd_usage(),
           ctl_list_db_tables_usage(), L2MT_CTL_DEFAULT_DB);
    table_usage();
    vlog_usage();
    stream_usage("database", true, true, false);
    printf("\n\
Other options:\n\
  -h, --help                  display this help message\n\
  -V, --version               display version information\n");
    exit(EXIT_SUCCESS);
}

static const struct ctl_table_class tables[L2MTREC_N_TABLES] = {
    [L2MTREC_TABLE_HOST].row_ids[0] = {&l2mtrec_host_col_name, NULL, NULL},
    [L2MTREC_TABLE_TENANT].row_ids = {
        {&l2mtrec_tenant_col_name, NULL, NULL},
        {&l2mtrec_tenant_col_tenant_id, NULL, NULL}},
    [L2MTREC_TABLE_PROFILE].row_ids[0]
        = {&l2mtrec_profile_col_name, NULL, NULL},
    [L2MTREC_TABLE_VM_PORT].row_ids[0]
        = {&l2mtrec_vm_port_col_name, NULL, NULL},
    [L2MTREC_TABLE_HOST_STATUS].row_ids[0]
        = {&l2mtrec_host_status_col_name, NULL, NULL},
};

/* Every command reads the whole database (the IDL follows all of it): the
 * check before a commit needs it anyway. */
static void
pre_nothing(struct ctl_context *ctx OVS_UNUSED)
{
}

/* The parser ends each message with a new-line; ctl_fatal() adds one. */
static void
chomp(char *s)
{
    size_t n = strlen(s);
    if (n && s[n - 1] == '\n') {
        s[n - 1] = '\0';
    }
}

/* The row of 'table' named 'id' (its name, a tenant's id too, or its
 * UUID: the table's row_ids above), or NULL, with ctx->error set if
 * 'must_exist'. */
static const struct ovsdb_idl_row *
find_row(struct ctl_context *ctx, const struct ovsdb_idl_table_class *table,
         const char *id, bool must_exist)
{
    const struct ovsdb_idl_row *row = NULL;

    ctx->error = ctl_get_row(ctx, table, id, must_exist, &row);
    return row;
}

#define FIND(TYPE, TABLE, CTX, ID, MUST_EXIST)                            \
    ({ const struct ovsdb_idl_row *row__ = find_row(CTX, TABLE, ID,       \
                                                    MUST_EXIST);          \
       row__ ? CONTAINER_OF(row__, const struct TYPE, header_) : NULL; })
#define find_tenant(CTX, ID, MUST_EXIST) \
    FIND(l2mtrec_tenant, &l2mtrec_table_tenant, CTX, ID, MUST_EXIST)
#define find_profile(CTX, ID, MUST_EXIST) \
    FIND(l2mtrec_profile, &l2mtrec_table_profile, CTX, ID, MUST_EXIST)
#define find_host(CTX, ID, MUST_EXIST) \
    FIND(l2mtrec_host, &l2mtrec_table_host, CTX, ID, MUST_EXIST)
#define find_port(CTX, ID, MUST_EXIST) \
    FIND(l2mtrec_vm_port, &l2mtrec_table_vm_port, CTX, ID, MUST_EXIST)

/* Sets 'args' (COLUMN[:KEY]=VALUE, as the generic 'set') on 'row'. */
static void
set_columns(struct ctl_context *ctx, const char *table,
            const struct ovsdb_idl_row *row, int n, char **args)
{
    for (int i = 0; i < n && !ctx->error; i++) {
        ctx->error = ctl_set_column(table, row, args[i], ctx->symtab);
    }
}

static void
cmd_init(struct ctl_context *ctx OVS_UNUSED)
{
    /* The global row is made by do_l2mt_ctl() for any writing command. */
}

static void
cmd_tenant_add(struct ctl_context *ctx)
{
    bool may_exist = shash_find(&ctx->options, "--may-exist") != NULL;
    const char *name = shash_find_data(&ctx->options, "--name");
    const char *key = shash_find_data(&ctx->options, "--gre-key");
    struct l2mtrec_tenant *t;
    unsigned int id, gre_key;
    char *default_name;

    if (!str_to_uint(ctx->argv[1], 10, &id) || !id) {
        ctl_error(ctx, "%s: a tenant ID is a number from 1 to 4294967295",
                  ctx->argv[1]);
        return;
    }
    if (key && (!str_to_uint(key, 10, &gre_key) || !gre_key)) {
        ctl_error(ctx, "--gre-key=%s: a GRE key is a number from 1 to "
                  "4294967295", key);
        return;
    }
    if (find_tenant(ctx, ctx->argv[1], false)) {
        if (!may_exist) {
            ctl_error(ctx, "tenant %s already exists", ctx->argv[1]);
        }
        return;
    }
    /* ctl_get_row() may have set an error for an ambiguous ID. */
    if (ctx->error) {
        return;
    }
    default_name = xasprintf("tenant%u", id);
    t = l2mtrec_tenant_insert(ctx->txn);
    l2mtrec_tenant_set_tenant_id(t, id);
    l2mtrec_tenant_set_name(t, name ? name : default_name);
    l2mtrec_tenant_set_gre_key(t, key ? gre_key : id);
    l2mtrec_tenant_set_service_v4_port(t, ctx->argv[2]);
    l2mtrec_tenant_set_remotes(t, (const char **) &ctx->argv[3],
                               ctx->argc - 3);
    free(default_name);
}

static void
cmd_tenant_del(struct ctl_context *ctx)
{
    bool if_exists = shash_find(&ctx->options, "--if-exists") != NULL;
    const struct l2mtrec_tenant *t = find_tenant(ctx, ctx->argv[1],
                                                 !if_exists);
    const struct l2mtrec_vm_port *p;

    if (!t) {
        return;
    }
    L2MTREC_VM_PORT_FOR_EACH (p, ctx->idl) {
        if (p->tenant == t) {
            ctl_error(ctx, "tenant %s: VM port %s belongs to it (port-bind "
                      "it elsewhere or port-unbind it first)", ctx->argv[1],
                      p->name);
            return;
        }
    }
    l2mtrec_tenant_delete(t);
}

static void
cmd_tenant_list(struct ctl_context *ctx)
{
    const struct l2mtrec_tenant *t, **ts = NULL;
    size_t n = 0, allocated = 0;

    L2MTREC_TENANT_FOR_EACH (t, ctx->idl) {
        if (n >= allocated) {
            ts = x2nrealloc(ts, &allocated, sizeof *ts);
        }
        ts[n++] = t;
    }
    if (n) {
        qsort(ts, n, sizeof *ts, fleet_compare_tenants);
    }
    for (size_t i = 0; i < n; i++) {
        ds_put_format(&ctx->output, "%"PRId64" %s gre-key=%"PRId64"\n",
                      ts[i]->tenant_id, ts[i]->name, ts[i]->gre_key);
    }
    free(ts);
}

static void
cmd_profile_set(struct ctl_context *ctx)
{
    const struct l2mtrec_profile *p = find_profile(ctx, ctx->argv[1], false);

    if (!p) {
        struct l2mtrec_profile *new = l2mtrec_profile_insert(ctx->txn);
        l2mtrec_profile_set_name(new, ctx->argv[1]);
        p = new;
    }
    set_columns(ctx, "Profile", &p->header_, ctx->argc - 2, ctx->argv + 2);
}

static void
cmd_profile_del(struct ctl_context *ctx)
{
    bool if_exists = shash_find(&ctx->options, "--if-exists") != NULL;
    const struct l2mtrec_profile *p = find_profile(ctx, ctx->argv[1],
                                                   !if_exists);
    const struct l2mtrec_vm_port *port;

    if (!p) {
        return;
    }
    L2MTREC_VM_PORT_FOR_EACH (port, ctx->idl) {
        if (port->profile == p) {
            ctl_error(ctx, "profile %s: VM port %s uses it", p->name,
                      port->name);
            return;
        }
    }
    l2mtrec_profile_delete(p);
}

static void
cmd_port_bind(struct ctl_context *ctx)
{
    const char *match = ctx->argv[2];
    const struct l2mtrec_profile *profile = NULL;
    const struct l2mtrec_tenant *tenant = NULL;
    const struct l2mtrec_vm_port *p;

    if (strcmp(match, "interface") && strcmp(match, "iface-id")
        && strcmp(match, "mac")) {
        ctl_error(ctx, "%s: a VM port is found by interface, iface-id or "
                  "mac", match);
        return;
    }
    if (ctx->argc > 4 && strcmp(ctx->argv[4], "-")) {
        profile = find_profile(ctx, ctx->argv[4], true);
        if (!profile) {
            return;
        }
    }
    if (ctx->argc > 5) {
        tenant = find_tenant(ctx, ctx->argv[5], true);
        if (!tenant) {
            return;
        }
    }
    p = find_port(ctx, ctx->argv[1], false);
    if (!p) {
        struct l2mtrec_vm_port *new = l2mtrec_vm_port_insert(ctx->txn);
        l2mtrec_vm_port_set_name(new, ctx->argv[1]);
        p = new;
    }
    l2mtrec_vm_port_set_match(p, match);
    l2mtrec_vm_port_set_value(p, ctx->argv[3]);
    l2mtrec_vm_port_set_profile(p, profile);
    l2mtrec_vm_port_set_tenant(p, tenant);
}

static void
cmd_port_unbind(struct ctl_context *ctx)
{
    bool if_exists = shash_find(&ctx->options, "--if-exists") != NULL;
    const struct l2mtrec_vm_port *p = find_port(ctx, ctx->argv[1],
                                                !if_exists);
    if (p) {
        l2mtrec_vm_port_delete(p);
    }
}

static void
cmd_host_add(struct ctl_context *ctx)
{
    bool may_exist = shash_find(&ctx->options, "--may-exist") != NULL;
    const struct l2mtrec_host *h = find_host(ctx, ctx->argv[1], false);

    if (h) {
        if (!may_exist) {
            ctl_error(ctx, "host %s already exists", ctx->argv[1]);
            return;
        }
    } else {
        struct l2mtrec_host *new = l2mtrec_host_insert(ctx->txn);
        l2mtrec_host_set_name(new, ctx->argv[1]);
        h = new;
    }
    set_columns(ctx, "Host", &h->header_, ctx->argc - 2, ctx->argv + 2);
}

static void
cmd_host_del(struct ctl_context *ctx)
{
    bool if_exists = shash_find(&ctx->options, "--if-exists") != NULL;
    const struct l2mtrec_host *h = find_host(ctx, ctx->argv[1], !if_exists);
    const struct l2mtrec_host_status *s, *next;

    if (!h) {
        return;
    }
    /* Its status goes with it: --wait=hv does not wait for it. */
    L2MTREC_HOST_STATUS_FOR_EACH_SAFE (s, next, ctx->idl) {
        if (!strcmp(s->name, h->name)) {
            l2mtrec_host_status_delete(s);
        }
    }
    l2mtrec_host_delete(h);
}

/* The overlay health the host's agent reports (issue 16), "" if none:
 * "; tunnels: R up, ...; tenants affected: T (CLASS) ...". */
static char *
host_oam(const struct l2mtrec_host_status *st)
{
    struct ds s = DS_EMPTY_INITIALIZER;
    const struct smap_node **nodes;
    bool any = false;
    size_t i;

    if (!st || (smap_is_empty(&st->bfd_state)
                && smap_is_empty(&st->tenant_path))) {
        return xstrdup("");
    }
    nodes = smap_sort(&st->bfd_state);
    for (i = 0; i < smap_count(&st->bfd_state); i++) {
        ds_put_format(&s, "%s%s %s", i ? ", " : "; tunnels: ",
                      nodes[i]->key, nodes[i]->value);
    }
    free(nodes);
    nodes = smap_sort(&st->tenant_path);
    ds_put_cstr(&s, "; tenants affected:");
    for (i = 0; i < smap_count(&st->tenant_path); i++) {
        const char *v = nodes[i]->value;

        if (!strncmp(v, "down: ", 6)) {
            ds_put_format(&s, " %s (%s)", nodes[i]->key, v + 6);
            any = true;
        }
    }
    free(nodes);
    if (!any) {
        ds_put_cstr(&s, " none");
    }
    return ds_steal_cstr(&s);
}

/* An overview: the generations, then each host with its agent's status,
 * each tenant, profile and VM port, sorted as export sorts them. */
static void
cmd_show(struct ctl_context *ctx)
{
    const struct l2mtrec_l2mt_global *g = l2mtrec_l2mt_global_first(ctx->idl);
    const struct l2mtrec_host *h;
    const struct l2mtrec_tenant *t;
    const struct l2mtrec_profile *p;
    const struct l2mtrec_vm_port *port;
    struct svec lines = SVEC_EMPTY_INITIALIZER;
    const char *line;
    size_t i;

    ds_put_format(&ctx->output, "next_cfg: %"PRId64"  hv_cfg: %"PRId64"\n",
                  g ? g->next_cfg : 0, g ? g->hv_cfg : 0);
    L2MTREC_HOST_FOR_EACH (h, ctx->idl) {
        const struct l2mtrec_host_status *st
            = fleet_find_host_status(ctx->idl, h->name);
        char *status = (st
                        ? xasprintf("cur_cfg %"PRId64", applied %"PRId64
                                    "%s%s", st->cur_cfg,
                                    st->applied_generation,
                                    st->last_error ? ", error: " : "",
                                    st->last_error ? st->last_error : "")
                        : xstrdup("no agent yet"));

        char *oam = host_oam(st);

        svec_add_nocopy(&lines, xasprintf(
            "host %s: edge-switch %s, underlay-ip %s, tunnel-mode %s (%s)%s",
            h->name, h->edge_switch ? h->edge_switch : "-",
            h->underlay_ip ? h->underlay_ip : "-",
            h->tunnel_mode ? h->tunnel_mode : "per-tenant", status, oam));
        free(status);
        free(oam);
    }
    L2MTREC_TENANT_FOR_EACH (t, ctx->idl) {
        struct ds remotes = DS_EMPTY_INITIALIZER;

        for (i = 0; i < t->n_remotes; i++) {
            ds_put_format(&remotes, "%s%s", i ? " " : "", t->remotes[i]);
        }
        svec_add_nocopy(&lines, xasprintf(
            "tenant %010"PRId64" %s: gre-key %"PRId64", service port %s, "
            "remotes %s", t->tenant_id, t->name, t->gre_key,
            t->service_v4_port, ds_cstr(&remotes)));
        ds_destroy(&remotes);
    }
    L2MTREC_PROFILE_FOR_EACH (p, ctx->idl) {
        svec_add_nocopy(&lines, xasprintf("profile %s", p->name));
    }
    L2MTREC_VM_PORT_FOR_EACH (port, ctx->idl) {
        svec_add_nocopy(&lines, xasprintf(
            "vm-port %s: %s %s, profile %s, tenant %s, on %s", port->name,
            port->match, port->value,
            port->profile ? port->profile->name : "-",
            port->tenant ? port->tenant->name : "-",
            port->host ? port->host->name : "-"));
    }
    /* Kinds in the order above (host < profile < tenant < vm-port would
     * not be), then by name or zero-padded id. */
    svec_sort(&lines);
    for (const char *kind = "host "; kind; ) {
        SVEC_FOR_EACH (i, line, &lines) {
            if (!strncmp(line, kind, strlen(kind))) {
                if (!strcmp(kind, "tenant ")) {
                    /* Drop the padding that sorted the ids. */
                    const char *id = line + strlen(kind);
                    while (*id == '0' && id[1] != ' ') {
                        id++;
                    }
                    ds_put_format(&ctx->output, "tenant %s\n", id);
                } else {
                    ds_put_format(&ctx->output, "%s\n", line);
                }
            }
        }
        kind = (!strcmp(kind, "host ") ? "tenant "
                : !strcmp(kind, "tenant ") ? "profile "
                : !strcmp(kind, "profile ") ? "vm-port " : NULL);
    }
    svec_destroy(&lines);
}

static void
cmd_host_list(struct ctl_context *ctx)
{
    const struct l2mtrec_host *h;
    struct svec lines = SVEC_EMPTY_INITIALIZER;
    size_t i;
    const char *line;

    L2MTREC_HOST_FOR_EACH (h, ctx->idl) {
        const struct l2mtrec_host_status *s, *status = NULL;

        L2MTREC_HOST_STATUS_FOR_EACH (s, ctx->idl) {
            if (!strcmp(s->name, h->name)) {
                status = s;
            }
        }
        if (status) {
            svec_add_nocopy(&lines, xasprintf(
                "%s cur_cfg=%"PRId64" applied=%"PRId64" drift=%"PRId64
                " error=%s", h->name, status->cur_cfg,
                status->applied_generation, status->drift,
                status->last_error ? status->last_error : "-"));
        } else {
            svec_add_nocopy(&lines, xasprintf("%s (no agent yet)", h->name));
        }
    }
    svec_sort(&lines);
    SVEC_FOR_EACH (i, line, &lines) {
        ds_put_format(&ctx->output, "%s\n", line);
    }
    svec_destroy(&lines);
}

static void
cmd_import(struct ctl_context *ctx)
{
    char *errors;
    struct l2mt_conf *conf = l2mt_conf_load(ctx->argv[1], &errors);

    if (!conf) {
        /* The parser's FILE:LINE: messages, as 'l2mt-agent check' prints
         * them. */
        chomp(errors);
        ctl_error(ctx, "%s is refused, nothing imported:\n%s",
                  ctx->argv[1], errors);
        free(errors);
        return;
    }
    fleet_import(conf, ctx->idl, ctx->txn);
    l2mt_conf_free(conf);
}

static void
cmd_export(struct ctl_context *ctx)
{
    struct ds text = DS_EMPTY_INITIALIZER;
    char *error = fleet_text_render(ctx->idl, NULL, &text);

    if (error) {
        ctl_error(ctx, "cannot export: %s", error);
        free(error);
    } else if (ctx->argc > 1) {
        FILE *f = fopen(ctx->argv[1], "w");

        if (!f || fputs(ds_cstr(&text), f) < 0 || fclose(f)) {
            ctl_error(ctx, "%s: %s", ctx->argv[1], ovs_strerror(errno));
        }
    } else {
        ds_put_cstr(&ctx->output, ds_cstr(&text));
    }
    ds_destroy(&text);
}

static void
cmd_flowd_topology(struct ctl_context *ctx)
{
    fleet_inventory_topology(ctx->idl, &ctx->output);
}

/* The database as this transaction would leave it, through the file's
 * parser: NULL if it passes, else its messages (malloc'd). */
static char *
check_database(struct ovsdb_idl *idl)
{
    char *errors = NULL;
    struct l2mt_conf *conf = fleet_text_conf(idl, NULL, NULL, &errors);

    if (conf) {
        l2mt_conf_free(conf);
        return NULL;
    }
    return errors;
}

static void
run_prerequisites(struct ctl_command *commands, size_t n_commands,
                  struct ovsdb_idl *idl)
{
    for (struct ctl_command *c = commands; c < &commands[n_commands]; c++) {
        if (c->syntax->prerequisites) {
            struct ctl_context ctx;

            ds_init(&c->output);
            c->table = NULL;
            ctl_context_init(&ctx, c, idl, NULL, NULL, NULL);
            (c->syntax->prerequisites)(&ctx);
            if (ctx.error) {
                ctl_fatal("%s", ctx.error);
            }
            ctl_context_done(&ctx, c);
        }
    }
}

/* With --wait=hv: returns once every host's status says it processed
 * generation 'next_cfg', then records it as hv_cfg. */
static void
wait_for_hosts(struct ovsdb_idl *idl, int64_t next_cfg)
{
    for (;;) {
        const struct l2mtrec_host *h;
        bool done = true;

        ovsdb_idl_run(idl);
        if (!ovsdb_idl_is_alive(idl)) {
            ctl_fatal("%s: database connection failed", db);
        }
        L2MTREC_HOST_FOR_EACH (h, idl) {
            const struct l2mtrec_host_status *s;
            bool acked = false;

            L2MTREC_HOST_STATUS_FOR_EACH (s, idl) {
                if (!strcmp(s->name, h->name) && s->cur_cfg >= next_cfg) {
                    acked = true;
                }
            }
            done = done && acked;
        }
        if (done) {
            break;
        }
        ovsdb_idl_wait(idl);
        poll_block();
    }

    /* hv_cfg, like OVN's: the newest generation every host has. */
    const struct l2mtrec_l2mt_global *g = l2mtrec_l2mt_global_first(idl);
    if (g && g->hv_cfg < next_cfg) {
        struct ovsdb_idl_txn *txn = ovsdb_idl_txn_create(idl);

        l2mtrec_l2mt_global_set_hv_cfg(g, next_cfg);
        /* A later writer's hv_cfg wins; ours is then older anyway. */
        ovsdb_idl_txn_commit_block(txn);
        ovsdb_idl_txn_destroy(txn);
    }

    /* Hosts that refused it say why. */
    const struct l2mtrec_host_status *s;
    L2MTREC_HOST_STATUS_FOR_EACH (s, idl) {
        if (s->last_error && s->cur_cfg >= next_cfg) {
            fprintf(stderr, "%s: host %s kept its previous config: %s\n",
                    program_name, s->name, s->last_error);
        }
    }
}

static bool
do_l2mt_ctl(const char *args, struct ctl_command *commands,
            size_t n_commands, struct ovsdb_idl *idl)
{
    bool writes = ctl_might_write_to_db(commands, n_commands);
    const struct l2mtrec_l2mt_global *g;
    enum ovsdb_idl_txn_status status;
    struct ovsdb_symbol_table *symtab;
    struct ovsdb_idl_txn *txn;
    struct ctl_context ctx;
    struct ctl_command *c;
    struct shash_node *node;
    int64_t next_cfg = 0;
    char *error = NULL;

    txn = the_idl_txn = ovsdb_idl_txn_create(idl);
    if (dry_run) {
        ovsdb_idl_txn_set_dry_run(txn);
    }
    ovsdb_idl_txn_add_comment(txn, "l2mt-ctl: %s", args);

    /* Every change is a new generation (next_cfg) that the agents
     * acknowledge in their status rows; --wait=hv waits for them. */
    g = l2mtrec_l2mt_global_first(idl);
    if (writes) {
        if (!g) {
            struct l2mtrec_l2mt_global *new = l2mtrec_l2mt_global_insert(txn);
            l2mtrec_l2mt_global_set_next_cfg(new, 1);
            next_cfg = 1;
        } else {
            ovsdb_idl_txn_increment(txn, &g->header_,
                                    &l2mtrec_l2mt_global_col_next_cfg, true);
        }
    }

    symtab = ovsdb_symbol_table_create();
    for (c = commands; c < &commands[n_commands]; c++) {
        ds_init(&c->output);
        c->table = NULL;
    }
    ctl_context_init(&ctx, NULL, idl, txn, symtab, NULL);
    for (c = commands; c < &commands[n_commands]; c++) {
        ctl_context_init_command(&ctx, c, c == &commands[n_commands - 1]);
        if (c->syntax->run) {
            (c->syntax->run)(&ctx);
        }
        if (ctx.error) {
            ctl_fatal("%s", ctx.error);
        }
        ctl_context_done_command(&ctx, c);
        if (ctx.try_again) {
            ctl_context_done(&ctx, NULL);
            goto try_again;
        }
    }
    ctl_context_done(&ctx, NULL);

    SHASH_FOR_EACH (node, &symtab->sh) {
        struct ovsdb_symbol *symbol = node->data;
        if (!symbol->created) {
            ctl_fatal("row id \"%s\" is referenced but never created "
                      "(e.g. with \"-- --id=%s create ...\")",
                      node->name, node->name);
        }
    }

    /* The isolation rules of l2mt.conf(5), on what the database would
     * become: nothing is sent if they fail. */
    if (writes) {
        char *errors = check_database(idl);
        if (errors) {
            chomp(errors);
            ctl_fatal("refused, the database is unchanged:\n%s", errors);
        }
    }

    status = ovsdb_idl_txn_commit_block(txn);
    if (status == TXN_SUCCESS && writes && g) {
        next_cfg = ovsdb_idl_txn_get_increment_new_value(txn);
    }
    if (status == TXN_UNCHANGED || status == TXN_SUCCESS) {
        for (c = commands; c < &commands[n_commands]; c++) {
            if (c->syntax->postprocess) {
                ctl_context_init(&ctx, c, idl, txn, symtab, NULL);
                (c->syntax->postprocess)(&ctx);
                if (ctx.error) {
                    ctl_fatal("%s", ctx.error);
                }
                ctl_context_done(&ctx, c);
            }
        }
    }
    error = xstrdup(ovsdb_idl_txn_get_error(txn));
    ovsdb_idl_txn_destroy(txn);
    txn = the_idl_txn = NULL;

    switch (status) {
    case TXN_UNCOMMITTED:
    case TXN_INCOMPLETE:
        OVS_NOT_REACHED();

    case TXN_ABORTED:
        ctl_fatal("transaction aborted");

    case TXN_UNCHANGED:
    case TXN_SUCCESS:
        break;

    case TXN_TRY_AGAIN:
        goto try_again;

    case TXN_ERROR:
        ctl_fatal("transaction error: %s", error);

    case TXN_NOT_LOCKED:
        ctl_fatal("database not locked");

    default:
        OVS_NOT_REACHED();
    }
    free(error);
    ovsdb_symbol_table_destroy(symtab);

    for (c = commands; c < &commands[n_commands]; c++) {
        struct ds *ds = &c->output;

        if (c->table) {
            table_print(c->table, &table_style);
        } else if (oneline) {
            ds_chomp(ds, '\n');
            for (size_t j = 0; j < ds->length; j++) {
                int ch = ds->string[j];
                if (ch == '\n') {
                    fputs("\\n", stdout);
                } else if (ch == '\\') {
                    fputs("\\\\", stdout);
                } else {
                    putchar(ch);
                }
            }
            putchar('\n');
        } else {
            fputs(ds_cstr(ds), stdout);
        }
        ds_destroy(&c->output);
        table_destroy(c->table);
        free(c->table);
        shash_destroy_free_data(&c->options);
    }
    free(commands);

    if (wait_hv && writes && status == TXN_SUCCESS && !dry_run) {
        wait_for_hosts(idl, next_cfg);
    }
    ovsdb_idl_destroy(idl);
    the_idl = NULL;
    return true;

try_again:
    if (txn) {
        ovsdb_idl_txn_abort(txn);
        ovsdb_idl_txn_destroy(txn);
        the_idl_txn = NULL;
    }
    ovsdb_symbol_table_destroy(symtab);
    for (c = commands; c < &commands[n_commands]; c++) {
        ds_destroy(&c->output);
        table_destroy(c->table);
        free(c->table);
    }
    free(error);
    return false;
}

#define RO false
#define RW true
static const struct ctl_command_syntax l2mt_commands[] = {
    {"init", 0, 0, "", pre_nothing, cmd_init, NULL, "", RW},
    {"show", 0, 0, "", pre_nothing, cmd_show, NULL, "", RO},
    {"import", 1, 1, "FILE", pre_nothing, cmd_import, NULL, "", RW},
    {"export", 0, 1, "[FILE]", pre_nothing, cmd_export, NULL, "", RO},
    {"flowd-topology", 0, 0, "", pre_nothing, cmd_flowd_topology, NULL, "",
     RO},
    {"tenant-add", 3, INT_MAX, "ID V4PORT REMOTE...", pre_nothing,
     cmd_tenant_add, NULL, "--may-exist,--name=,--gre-key=", RW},
    {"tenant-del", 1, 1, "TENANT", pre_nothing, cmd_tenant_del, NULL,
     "--if-exists", RW},
    {"tenant-list", 0, 0, "", pre_nothing, cmd_tenant_list, NULL, "", RO},
    {"profile-set", 1, INT_MAX, "NAME [COLUMN[:KEY]=VALUE]...", pre_nothing,
     cmd_profile_set, NULL, "", RW},
    {"profile-del", 1, 1, "NAME", pre_nothing, cmd_profile_del, NULL,
     "--if-exists", RW},
    {"port-bind", 3, 5, "PORT MATCH VALUE [PROFILE [TENANT]]", pre_nothing,
     cmd_port_bind, NULL, "", RW},
    {"port-unbind", 1, 1, "PORT", pre_nothing, cmd_port_unbind, NULL,
     "--if-exists", RW},
    {"host-add", 1, INT_MAX, "NAME [COLUMN[:KEY]=VALUE]...", pre_nothing,
     cmd_host_add, NULL, "--may-exist", RW},
    {"host-del", 1, 1, "NAME", pre_nothing, cmd_host_del, NULL,
     "--if-exists", RW},
    {"host-list", 0, 0, "", pre_nothing, cmd_host_list, NULL, "", RO},
    {NULL, 0, 0, NULL, NULL, NULL, NULL, NULL, RO},
};

int
main(int argc, char *argv[])
{
    struct ctl_command *commands;
    struct shash local_options;
    unsigned int seqno;
    size_t n_commands;
    char *args, *error;

    set_program_name(argv[0]);
    fatal_ignore_sigpipe();
    vlog_set_levels(NULL, VLF_CONSOLE, VLL_WARN);
    vlog_set_levels_from_string_assert("reconnect:warn");

    ctl_init__(&l2mtrec_idl_class, tables, NULL, l2mt_ctl_exit);
    ctl_register_commands(l2mt_commands);

    args = process_escape_args(argv);
    shash_init(&local_options);
    parse_options(argc, argv, &local_options);
    error = ctl_parse_commands(argc - optind, argv + optind, &local_options,
                               &commands, &n_commands);
    if (error) {
        ctl_fatal("%s", error);
    }
    ctl_timeout_setup(timeout);

    /* The whole database: the check before each commit reads all of it.
     * One server: fail at once if it does not answer.  A cluster: go on
     * to the next member (the leader may just have died) until
     * --timeout. */
    the_idl = ovsdb_idl_create(db, &l2mtrec_idl_class, true,
                               strchr(db, ',') != NULL);
    ovsdb_idl_set_leader_only(the_idl, true);
    run_prerequisites(commands, n_commands, the_idl);

    seqno = ovsdb_idl_get_seqno(the_idl);
    for (;;) {
        ovsdb_idl_run(the_idl);
        if (!ovsdb_idl_is_alive(the_idl)) {
            int retval = ovsdb_idl_get_last_error(the_idl);
            ctl_fatal("%s: database connection failed (%s)",
                      db, ovs_retval_to_string(retval));
        }
        if (seqno != ovsdb_idl_get_seqno(the_idl)) {
            seqno = ovsdb_idl_get_seqno(the_idl);
            if (do_l2mt_ctl(args, commands, n_commands, the_idl)) {
                free(args);
                exit(EXIT_SUCCESS);
            }
        }
        if (seqno == ovsdb_idl_get_seqno(the_idl)) {
            ovsdb_idl_wait(the_idl);
            poll_block();
        }
    }
}
