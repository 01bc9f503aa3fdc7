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

/* mod_l2mt: tells Apache httpd which l2mt tenant each connection comes
 * from.  l2mt hands every tenant to the service VM on an interface of its
 * own with IPv6 link-local addresses, so the scope id of a link-local peer
 * names the interface and, through a tenant map, the tenant.  For each
 * request the module sets the environment variables L2MT_IF, L2MT_TENANT
 * and L2MT_TENANT_ID (for mod_rewrite, <If>, CGI and logs) and, with
 * L2MTDocumentRoot, the tenant's DocumentRoot.  The tenant map comes from
 * a file of its own (L2MTTenantMap) or from l2mt.conf (L2MTConfig).  Peers
 * that are not link-local get none of them: no tenant, never a guess. */

/* No <config.h>: httpd's own headers define the PACKAGE_* macros. */
#include <stdlib.h>

#include "httpd.h"
#include "http_config.h"
#include "http_core.h"
#include "http_log.h"
#include "http_protocol.h"
#include "http_request.h"
#include "apr_strings.h"

#include "l2mt-conf.h"
#include "scope-tenant.h"
#include "tenant-map-conf.h"
#include "tenant-map.h"

module AP_MODULE_DECLARE_DATA l2mt_module;

/* The tenant map is one for the whole server (interfaces belong to the
 * host, not to a virtual host): it lives in the configuration pool's user
 * data while the configuration is read, and every server_rec points to it
 * after post_config. */
#define MAP_KEY "l2mt-tenant-map"

struct l2mt_map {
    struct tenant_map *map;
    const char *file_name;      /* The map file, for messages. */
};

struct l2mt_server {
    const struct l2mt_map *map; /* NULL: no L2MTTenantMap or L2MTConfig. */
    apr_table_t *roots;         /* Tenant name -> DocumentRoot. */
};

/* What a connection's peer says, worked out once per connection. */
struct l2mt_conn {
    enum scope_tenant_result result;
    struct scope_tenant st;
    const char *tenant_id;      /* st.tenant's ID as text, or NULL. */
};

static struct l2mt_map *
get_map(apr_pool_t *pconf)
{
    void *map = NULL;

    apr_pool_userdata_get(&map, MAP_KEY, pconf);
    return map;
}

static void *
create_server_config(apr_pool_t *p, server_rec *s)
{
    struct l2mt_server *conf = apr_pcalloc(p, sizeof *conf);

    conf->roots = apr_table_make(p, 4);
    return conf;
}

static void *
merge_server_config(apr_pool_t *p, void *base_, void *add_)
{
    const struct l2mt_server *base = base_;
    const struct l2mt_server *add = add_;
    struct l2mt_server *conf = apr_pcalloc(p, sizeof *conf);

    /* A virtual host's L2MTDocumentRoot wins over the main server's: it
     * comes last, and the last one is kept. */
    conf->roots = apr_table_overlay(p, base->roots, add->roots);
    apr_table_compress(conf->roots, APR_OVERLAP_TABLES_SET);
    return conf;
}

static apr_status_t
destroy_map(void *map_)
{
    struct l2mt_map *map = map_;

    tenant_map_destroy(map->map);
    return APR_SUCCESS;
}

/* Loads the server's tenant map from 'arg' with 'read' (the tenant map
 * format or l2mt.conf), for directive 'cmd'. */
static const char *
load_map(cmd_parms *cmd, const char *arg,
         int (*read)(const char *, struct tenant_map **, char **))
{
    const char *error = ap_check_cmd_context(cmd, GLOBAL_ONLY);
    if (error) {
        return error;
    }
    if (get_map(cmd->pool)) {
        return apr_psprintf(cmd->pool, "%s: only one tenant map per server "
                            "(L2MTTenantMap or L2MTConfig)",
                            cmd->cmd->name);
    }

    const char *file_name = ap_server_root_relative(cmd->pool, arg);
    if (!file_name) {
        return apr_psprintf(cmd->pool, "%s: invalid path '%s'",
                            cmd->cmd->name, arg);
    }

    struct tenant_map *tmap;
    char *msg;
    if (read(file_name, &tmap, &msg)) {
        error = apr_psprintf(cmd->pool, "%s: %s", cmd->cmd->name,
                             msg ? msg : "out of memory");
        free(msg);
        return error;
    }

    struct l2mt_map *map = apr_pcalloc(cmd->pool, sizeof *map);
    map->map = tmap;
    map->file_name = file_name;
    apr_pool_cleanup_register(cmd->pool, map, destroy_map,
                              apr_pool_cleanup_null);
    apr_pool_userdata_set(map, MAP_KEY, apr_pool_cleanup_null, cmd->pool);
    return NULL;
}

static const char *
set_tenant_map(cmd_parms *cmd, void *dummy, const char *arg)
{
    return load_map(cmd, arg, tenant_map_read);
}

static const char *
set_config(cmd_parms *cmd, void *dummy, const char *arg)
{
    return load_map(cmd, arg, tenant_map_read_conf);
}

static const char *
set_document_root(cmd_parms *cmd, void *dummy, const char *tenant_arg,
                  const char *dir_arg)
{
    struct l2mt_server *conf = ap_get_module_config(cmd->server->module_config,
                                                    &l2mt_module);
    const char *error = ap_check_cmd_context(cmd, NOT_IN_DIR_CONTEXT);
    if (error) {
        return error;
    }

    const struct l2mt_map *map = get_map(cmd->pool);
    if (!map) {
        return "L2MTDocumentRoot: no tenant map (put L2MTTenantMap or "
               "L2MTConfig before it)";
    }
    const struct tenant *t = tenant_map_find(map->map, tenant_arg);
    if (!t) {
        return apr_psprintf(cmd->pool, "L2MTDocumentRoot: no tenant '%s' "
                            "in %s", tenant_arg, map->file_name);
    }
    if (apr_table_get(conf->roots, t->name)) {
        return apr_psprintf(cmd->pool, "L2MTDocumentRoot: tenant %s already "
                            "has a document root here", t->name);
    }

    const char *dir = ap_server_root_relative(cmd->pool, dir_arg);
    if (!dir) {
        return apr_psprintf(cmd->pool, "L2MTDocumentRoot: invalid path '%s'",
                            dir_arg);
    }
    /* Like DocumentRoot: a missing directory only warns, it may be
     * mounted later. */
    if (!ap_is_directory(cmd->temp_pool, dir)) {
        ap_log_error(APLOG_MARK, APLOG_STARTUP | APLOG_WARNING, 0, NULL,
                     "L2MTDocumentRoot [%s] for tenant %s does not exist "
                     "(line %d of %s)", dir, t->name,
                     cmd->directive->line_num, cmd->directive->filename);
    }

    /* Without the trailing slash, as core does for DocumentRoot. */
    char *root = apr_pstrdup(cmd->pool, dir);
    size_t len = strlen(root);
    while (len > 1 && root[len - 1] == '/') {
        root[--len] = '\0';
    }
    apr_table_setn(conf->roots, t->name, root);
    return NULL;
}

static int
post_config(apr_pool_t *pconf, apr_pool_t *plog, apr_pool_t *ptemp,
            server_rec *s)
{
    const struct l2mt_map *map = get_map(pconf);

    for (; s; s = s->next) {
        struct l2mt_server *conf = ap_get_module_config(s->module_config,
                                                        &l2mt_module);
        conf->map = map;
    }
    return OK;
}

/* Returns what 'c''s peer says about its tenant, worked out on first
 * use. */
static const struct l2mt_conn *
get_conn(conn_rec *c, const struct l2mt_server *conf)
{
    struct l2mt_conn *lc = ap_get_module_config(c->conn_config,
                                                &l2mt_module);
    if (lc) {
        return lc;
    }

    lc = apr_pcalloc(c->pool, sizeof *lc);
    const apr_sockaddr_t *peer = c->client_addr;
    if (peer) {
        lc->result = scope_tenant_lookup(conf->map ? conf->map->map : NULL,
                                         (const struct sockaddr *) &peer->sa,
                                         peer->salen, &lc->st);
    } else {
        lc->result = SCOPE_TENANT_NOT_LINK_LOCAL;
    }
    if (lc->st.tenant) {
        lc->tenant_id = apr_psprintf(c->pool, "%u",
                                     (unsigned int) lc->st.tenant->id);
    }
    ap_log_cerror(APLOG_MARK, APLOG_DEBUG, 0, c,
                  "peer %s%s%s: %s%s%s", c->client_ip,
                  lc->st.ifname[0] ? " on " : "", lc->st.ifname,
                  scope_tenant_result_to_string(lc->result),
                  lc->st.tenant ? " " : "",
                  lc->st.tenant ? lc->st.tenant->name : "");
    ap_set_module_config(c->conn_config, &l2mt_module, lc);
    return lc;
}

/* Sets 'r''s L2MT_* variables and tenant DocumentRoot.  Runs again for
 * internal redirects and subrequests, whose request_rec starts afresh. */
static int
set_request(request_rec *r)
{
    const struct l2mt_server *conf
        = ap_get_module_config(r->server->module_config, &l2mt_module);
    const struct l2mt_conn *lc = get_conn(r->connection, conf);

    if (lc->st.ifname[0]) {
        apr_table_setn(r->subprocess_env, "L2MT_IF", lc->st.ifname);
    }
    if (lc->st.tenant) {
        const char *name = lc->st.tenant->name;
        apr_table_setn(r->subprocess_env, "L2MT_TENANT", name);
        apr_table_setn(r->subprocess_env, "L2MT_TENANT_ID", lc->tenant_id);

        const char *root = apr_table_get(conf->roots, name);
        if (root) {
            ap_set_document_root(r, root);
        }
    }
    return DECLINED;
}

static void
register_hooks(apr_pool_t *p)
{
    /* First, so that mod_setenvif and mod_rewrite see the variables. */
    ap_hook_post_read_request(set_request, NULL, NULL, APR_HOOK_REALLY_FIRST);
    ap_hook_translate_name(set_request, NULL, NULL, APR_HOOK_REALLY_FIRST);
    ap_hook_post_config(post_config, NULL, NULL, APR_HOOK_MIDDLE);
}

static const command_rec l2mt_cmds[] = {
    AP_INIT_TAKE1("L2MTTenantMap", set_tenant_map, NULL, RSRC_CONF,
                  "the l2mt tenant map file (tenant ID NAME iface IFNAME...)"),
    AP_INIT_TAKE1("L2MTConfig", set_config, NULL, RSRC_CONF,
                  "an l2mt.conf file (e.g. " L2MT_CONF_DEFAULT_FILE ") whose "
                  "tenants' service ports are the interfaces"),
    AP_INIT_TAKE2("L2MTDocumentRoot", set_document_root, NULL, RSRC_CONF,
                  "a tenant (name or ID) and its DocumentRoot"),
    { NULL }
};

AP_DECLARE_MODULE(l2mt) = {
    STANDARD20_MODULE_STUFF,
    NULL,                       /* Per-directory config creator. */
    NULL,                       /* Per-directory config merger. */
    create_server_config,
    merge_server_config,
    l2mt_cmds,
    register_hooks,
    AP_MODULE_FLAG_NONE
};
