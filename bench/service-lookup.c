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

/* What telling tenants apart costs a server per connection: the time of
 * scope_tenant_lookup() for a link-local peer, split into the interface
 * name lookup (if_indextoname(), a system call) and the tenant map search,
 * for maps of 1 to 4096 tenants with the peer's interface last (the worst
 * case). */

#include <config.h>

#include <arpa/inet.h>
#include <net/if.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "scope-tenant.h"
#include "tenant-map.h"

static double
now(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* A map of 'n' tenants, the last one owning interface 'lo'. */
static struct tenant_map *
make_map(int n)
{
    struct tenant_map *map = tenant_map_create();

    for (int i = 0; i < n; i++) {
        char name[32], ifname[16];

        snprintf(name, sizeof name, "tenant%d", i);
        snprintf(ifname, sizeof ifname, i == n - 1 ? "lo" : "em%d", i);
        if (!map || tenant_map_add(map, "bench", i + 1, i, name, NULL)
            || tenant_map_add_iface(map, "bench", i + 1, ifname, 0, NULL)) {
            fprintf(stderr, "cannot build a map of %d tenants\n", n);
            exit(1);
        }
    }
    return map;
}

int
main(void)
{
    struct sockaddr_in6 peer;
    struct scope_tenant st;
    const int rounds = 200000;
    char ifname[IF_NAMESIZE];
    double start, syscall_ns;

    memset(&peer, 0, sizeof peer);
    peer.sin6_family = AF_INET6;
    inet_pton(AF_INET6, "fe80::c0a8:a", &peer.sin6_addr);
    peer.sin6_scope_id = if_nametoindex("lo");
    if (!peer.sin6_scope_id) {
        fprintf(stderr, "no loopback interface\n");
        return 1;
    }

    start = now();
    for (int i = 0; i < rounds; i++) {
        if (!if_indextoname(peer.sin6_scope_id, ifname)) {
            return 1;
        }
    }
    syscall_ns = (now() - start) / rounds * 1e9;
    printf("if_indextoname():                  %8.0f ns\n", syscall_ns);

    static const int sizes[] = { 1, 64, 1024, 4096 };
    for (size_t s = 0; s < sizeof sizes / sizeof *sizes; s++) {
        struct tenant_map *map = make_map(sizes[s]);

        start = now();
        for (int i = 0; i < rounds * 10; i++) {
            if (!tenant_map_lookup(map, ifname, 0)) {
                return 1;
            }
        }
        printf("tenant_map_lookup(),   %4d tenants: %8.1f ns\n", sizes[s],
               (now() - start) / (rounds * 10) * 1e9);

        start = now();
        for (int i = 0; i < rounds; i++) {
            if (scope_tenant_lookup(map, (struct sockaddr *) &peer,
                                    sizeof peer, &st) != SCOPE_TENANT_FOUND) {
                return 1;
            }
        }
        double ns = (now() - start) / rounds * 1e9;
        printf("scope_tenant_lookup(), %4d tenants: %8.0f ns "
               "(%.2fx the system call)\n", sizes[s], ns, ns / syscall_ns);
        tenant_map_destroy(map);
    }
    return 0;
}
