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
#include "scope-tenant.h"

#include <netinet/in.h>
#include <string.h>

/* Tells what 'addr' ('len' bytes), the peer of an accepted connection,
 * says about its tenant in 'map' (may be NULL: interface only).  Fills in
 * '*st' and returns how it went. */
enum scope_tenant_result
scope_tenant_lookup(const struct tenant_map *map, const struct sockaddr *addr,
                    socklen_t len, struct scope_tenant *st)
{
    memset(st, 0, sizeof *st);
    if (!addr || len < sizeof(struct sockaddr_in6)
        || addr->sa_family != AF_INET6) {
        return SCOPE_TENANT_NOT_LINK_LOCAL;
    }

    /* Copied: 'addr' need not be aligned for a sockaddr_in6. */
    struct sockaddr_in6 sin6;
    memcpy(&sin6, addr, sizeof sin6);
    if (!IN6_IS_ADDR_LINKLOCAL(&sin6.sin6_addr) || !sin6.sin6_scope_id) {
        return SCOPE_TENANT_NOT_LINK_LOCAL;
    }

    st->ifindex = sin6.sin6_scope_id;
    if (!if_indextoname(st->ifindex, st->ifname)) {
        st->ifname[0] = '\0';
        return SCOPE_TENANT_NO_IFACE;
    }
    st->tenant = tenant_map_lookup(map, st->ifname, st->ifindex);
    return st->tenant ? SCOPE_TENANT_FOUND : SCOPE_TENANT_UNMAPPED;
}

/* Like scope_tenant_lookup() for the peer of connected socket 'fd'. */
enum scope_tenant_result
scope_tenant_lookup_fd(const struct tenant_map *map, int fd,
                       struct scope_tenant *st)
{
    struct sockaddr_storage ss;
    socklen_t len = sizeof ss;

    if (getpeername(fd, (struct sockaddr *) &ss, &len)) {
        memset(st, 0, sizeof *st);
        return SCOPE_TENANT_NOT_LINK_LOCAL;
    }
    return scope_tenant_lookup(map, (struct sockaddr *) &ss, len, st);
}

const char *
scope_tenant_result_to_string(enum scope_tenant_result result)
{
    switch (result) {
    case SCOPE_TENANT_FOUND:
        return "tenant";
    case SCOPE_TENANT_UNMAPPED:
        return "interface in no tenant";
    case SCOPE_TENANT_NO_IFACE:
        return "no such interface";
    case SCOPE_TENANT_NOT_LINK_LOCAL:
        return "not link-local";
    }
    return "unknown";
}
