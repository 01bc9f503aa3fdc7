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
#include "tenant-map-conf.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "l2mt-conf.h"

/* Makes a tenant map of 'conf''s tenants.  Returns 0 with the map in
 * '*mapp', or a positive errno value with NULL in '*mapp' and, if 'errorp'
 * is nonnull, "FILE:LINE: message" in '*errorp' (the caller frees it). */
int
tenant_map_from_conf(const struct l2mt_conf *conf, struct tenant_map **mapp,
                     char **errorp)
{
    struct tenant_map *map = tenant_map_create();
    int error = map ? 0 : ENOMEM;

    if (errorp) {
        *errorp = NULL;
    }
    for (size_t i = 0; !error && i < conf->n_tenants; i++) {
        const struct l2mt_conf_tenant *t = &conf->tenants[i];

        error = tenant_map_add(map, conf->file, t->line, t->id, t->name,
                               errorp);
        if (!error && t->service_v4_port) {
            error = tenant_map_add_iface(map, conf->file, t->v4_line,
                                         t->service_v4_port, 0, errorp);
        }
        if (!error && t->service_v6_port) {
            error = tenant_map_add_iface(map, conf->file, t->v6_line,
                                         t->service_v6_port, 0, errorp);
        }
    }
    if (error) {
        tenant_map_destroy(map);
        map = NULL;
    }
    *mapp = map;
    return error;
}

/* Reads the l2mt configuration file 'file_name' and makes a tenant map of
 * its tenants, like tenant_map_from_conf().  The configuration's own
 * errors come one "FILE:LINE: message" a line. */
int
tenant_map_read_conf(const char *file_name, struct tenant_map **mapp,
                     char **errorp)
{
    char *errors = NULL;
    struct l2mt_conf *conf = l2mt_conf_load(file_name, &errors);

    if (!conf) {
        *mapp = NULL;
        if (errors) {
            /* One message a line, without the last newline. */
            size_t len = strlen(errors);
            if (len && errors[len - 1] == '\n') {
                errors[len - 1] = '\0';
            }
        }
        if (errorp) {
            *errorp = errors;
        } else {
            free(errors);
        }
        return EINVAL;
    }

    int error = tenant_map_from_conf(conf, mapp, errorp);
    l2mt_conf_free(conf);
    return error;
}
