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

#ifndef FLEET_TEXT_H
#define FLEET_TEXT_H 1

/* The database's rows as l2mt.conf(5) text.
 *
 * The database is never turned into a 'struct l2mt_conf' by code of its
 * own: its rows are written out as the file they stand for and that text
 * goes through the file's parser (lib/l2mt-conf.c), so the same checks
 * (reserved names, a port in two roles, duplicate keys, ...) hold for both
 * and the agent's planner gets exactly what the file would give it. */

#include <stdbool.h>

struct ds;
struct l2mt_conf;
struct ovsdb_idl;

/* What the database's text is called in the parser's messages. */
#define FLEET_TEXT_NAME "l2mt-db"

/* Appends to 'out' the text of every row of 'idl' (hosts, tenants,
 * profiles, VM ports), or with 'host' nonnull only that host's block and
 * everything else.  Rows come sorted (hosts, profiles and ports by name,
 * tenants by id): the database keeps no order.  Returns NULL, or a
 * malloc'd message if a value cannot be written as one word of the file
 * (a blank, '#', '{' or '}' in it), in which case 'out' is unusable. */
char *fleet_text_render(struct ovsdb_idl *idl, const char *host,
                        struct ds *out);

/* fleet_text_render() then l2mt_conf_parse(): the configuration, or NULL
 * and '*errors' (malloc'd).  If 'textp' is nonnull it receives the text
 * (malloc'd, also on a parse error). */
struct l2mt_conf *fleet_text_conf(struct ovsdb_idl *idl, const char *host,
                                  char **textp, char **errors);

/* A qsort() comparison of two 'const struct l2mtrec_tenant *' by tenant
 * id, the order tenants are written and listed in. */
int fleet_compare_tenants(const void *, const void *);

#endif /* fleet-text.h */
