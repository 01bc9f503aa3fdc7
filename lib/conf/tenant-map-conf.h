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

#ifndef L2MT_TENANT_MAP_CONF_H
#define L2MT_TENANT_MAP_CONF_H 1

/* A tenant map from the l2mt configuration file (l2mt.conf(5)), the one
 * the agent reads: each 'tenant ID' block gives a tenant with its ID and
 * name, and its service-v4-port and service-v6-port are the interfaces
 * that belong to it.  This fits a service VM (or namespace) whose
 * interfaces carry the names the configuration gives its ports. */

#include "tenant-map.h"

struct l2mt_conf;

int tenant_map_from_conf(const struct l2mt_conf *, struct tenant_map **mapp,
                         char **errorp);
int tenant_map_read_conf(const char *file_name, struct tenant_map **mapp,
                         char **errorp);

#endif /* tenant-map-conf.h */
