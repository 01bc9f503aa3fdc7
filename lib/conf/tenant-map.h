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

#ifndef L2MT_TENANT_MAP_H
#define L2MT_TENANT_MAP_H 1

/* A tenant map says which tenant each of a service VM's interfaces belongs
 * to.  l2mt hands every tenant to the service VM on an interface of its
 * own, so the interface a connection arrived on (the scope id of a
 * link-local peer) names the tenant.
 *
 * The map is a text file, one tenant a line:
 *
 *     # comment
 *     tenant ID NAME iface IFNAME [iface IFNAME | ifindex N]...
 *
 * ID is a decimal number 0..4294967295 (e.g. the tenant's GRE key), NAME is
 * 1..63 characters of [A-Za-z0-9_.-], not all digits, IFNAME is a
 * Linux interface name (1..15 printable ASCII characters, not '/' or ':',
 * not "." or ".."), N an interface index 1..2147483647.  Words are
 * separated by blanks; '#' starts a comment.  IDs, names and interfaces
 * must be unique; a map holds at most TENANT_MAP_MAX tenants and as many
 * interfaces, at most TENANT_MAX_IFACES for one tenant.  A
 * file with any error is rejected whole with "FILE:LINE: message". */

#include <stddef.h>
#include <stdint.h>

#define TENANT_NAME_MAX 63       /* Longest tenant name. */
#define TENANT_IFNAME_MAX 15     /* Longest interface name (IFNAMSIZ - 1). */
#define TENANT_MAP_MAX 4096      /* Most tenants, most interfaces. */
#define TENANT_MAX_IFACES 64     /* Most interfaces of one tenant. */
#define TENANT_MAP_MAX_FILE (16 * 1024 * 1024) /* Largest map file read. */

struct tenant {
    uint32_t id;
    char name[TENANT_NAME_MAX + 1];
};

struct tenant_map;

int tenant_map_parse(const char *text, size_t len, const char *file_name,
                     struct tenant_map **mapp, char **errorp);
int tenant_map_read(const char *file_name, struct tenant_map **mapp,
                    char **errorp);
void tenant_map_destroy(struct tenant_map *);

/* Building a map from another source, with the same checks. */
struct tenant_map *tenant_map_create(void);
int tenant_map_add(struct tenant_map *, const char *file, unsigned int line,
                   uint32_t id, const char *name, char **errorp);
int tenant_map_add_iface(struct tenant_map *, const char *file,
                         unsigned int line, const char *ifname,
                         unsigned int ifindex, char **errorp);

size_t tenant_map_count(const struct tenant_map *);
const struct tenant *tenant_map_at(const struct tenant_map *, size_t i);
const struct tenant *tenant_map_find(const struct tenant_map *,
                                     const char *name_or_id);
const struct tenant *tenant_map_lookup(const struct tenant_map *,
                                       const char *ifname,
                                       unsigned int ifindex);

char *tenant_map_format(const struct tenant_map *);

#endif /* tenant-map.h */
