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

#ifndef L2MT_SCOPE_TENANT_H
#define L2MT_SCOPE_TENANT_H 1

/* Which tenant a connection comes from, for any server: l2mt hands each
 * tenant to the service VM on an interface of its own and translates the
 * tenant's IPv4 addresses to IPv6 link-local ones, so a link-local peer's
 * scope id (the interface it came in on) names the tenant.
 *
 * Only a link-local peer with a scope id has a tenant.  IPv4, IPv4-mapped
 * (::ffff:a.b.c.d), loopback, unique-local and global peers have none,
 * even when they arrive on a tenant's interface: they are not translated
 * tenant traffic, and their interface is no proof of who they are. */

#include <net/if.h>
#include <sys/socket.h>

#include "tenant-map.h"

enum scope_tenant_result {
    SCOPE_TENANT_FOUND,         /* Link-local peer on a tenant's interface. */
    SCOPE_TENANT_UNMAPPED,      /* Link-local peer, interface in no tenant. */
    SCOPE_TENANT_NO_IFACE,      /* Link-local peer, no such interface. */
    SCOPE_TENANT_NOT_LINK_LOCAL /* Any other peer: no tenant. */
};

struct scope_tenant {
    char ifname[IF_NAMESIZE];   /* "" unless FOUND or UNMAPPED. */
    unsigned int ifindex;       /* The peer's scope id, 0 if none. */
    const struct tenant *tenant; /* In the map; NULL unless FOUND. */
};

enum scope_tenant_result scope_tenant_lookup(const struct tenant_map *,
                                             const struct sockaddr *,
                                             socklen_t,
                                             struct scope_tenant *);
enum scope_tenant_result scope_tenant_lookup_fd(const struct tenant_map *,
                                                int fd,
                                                struct scope_tenant *);
const char *scope_tenant_result_to_string(enum scope_tenant_result);

#endif /* scope-tenant.h */
