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

#ifndef L2MT_FLOWD_TOPO_H
#define L2MT_FLOWD_TOPO_H 1

/* What the collector knows about where things are: hosts and their edge
 * switches, sFlow agents, uplink ports, gateway MACs, tenants, and VM MACs
 * from the topology file and the agents' inventory files.  A 'struct
 * flowd_topo' is built whole and replaced whole: a bad file never leaves half
 * a configuration behind.  Once built it is read-only, so threads share one by
 * reference (flowd_topo_ref, flowd_topo_destroy) rather than each loading its
 * own. Format: Documentation/flowd.md. */

#include <netinet/in.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "flowd/flowd-table.h"

#define FLOWD_TOPO_NAME_LEN 64
#define FLOWD_TOPO_NONE 0xffff        /* No host, switch or tenant. */
#define FLOWD_TOPO_MAX_ITEMS 60000    /* Hosts, switches or tenants. */
#define FLOWD_TOPO_MAX_MACS 1000000   /* Configured VM and gateway MACs. */

struct flowd_topo_host {
    char name[FLOWD_TOPO_NAME_LEN];
    uint16_t sw;                /* Index in 'switches'. */
};

struct flowd_topo_tenant {
    char name[FLOWD_TOPO_NAME_LEN];
    uint32_t key;               /* GRE key; 0 if not given. */
};

/* A MAC the configuration places: a VM (host, tenant, VLAN) or a gateway. */
struct flowd_topo_mac {
    uint8_t mac[6];
    bool gateway;
    uint16_t host;              /* FLOWD_TOPO_NONE if not known. */
    uint16_t tenant;            /* FLOWD_TOPO_NONE if not known. */
    uint16_t vlan;              /* 0 if not known. */
    uint32_t source;            /* 0: topology file, N: Nth inventory. */
};

struct flowd_topo_uplink {
    uint16_t host;
    uint32_t ifindex;
};

struct flowd_topo_agent {
    struct in6_addr addr;       /* IPv4 as ::ffff:a.b.c.d. */
    uint16_t host;
};

struct flowd_topo {
    char (*switches)[FLOWD_TOPO_NAME_LEN];
    size_t n_switches;
    struct flowd_topo_host *hosts;
    size_t n_hosts;
    struct flowd_topo_tenant *tenants;
    size_t n_tenants;
    struct flowd_topo_agent *agents;
    size_t n_agents;
    struct flowd_topo_uplink *uplinks;
    size_t n_uplinks;
    struct flowd_topo_mac *macs;
    size_t n_macs;
    /* MAC (8 bytes) -> uint32_t index in macs. */
    struct flowd_table mac_index;
    uint32_t n_sources;         /* Inventory files parsed. */
    /* Tenant of a VLAN, FLOWD_TOPO_NONE if none. */
    uint16_t vlan_tenant[4096];
    unsigned int refs;          /* References; atomic (flowd_topo_ref). */
};

/* A new empty topology with one reference. */
struct flowd_topo *flowd_topo_create(void);
/* Takes one more reference to 't' (any thread) and returns it. */
struct flowd_topo *flowd_topo_ref(const struct flowd_topo *t);
/* Drops one reference to 't' (may be NULL); the last one frees it. */
void flowd_topo_destroy(struct flowd_topo *);

/* Parses topology text into 'topo'.  Returns NULL, or on error a malloc'd
 * "NAME:LINE: message" for the caller to free; 'topo' must then be
 * destroyed. */
char *flowd_topo_parse(struct flowd_topo *, const char *text, size_t len,
                       const char *name)
    __attribute__((warn_unused_result));

/* One VM interface of an agent's inventory file, as
 * lib/flowd/flowd-inventory.c read it from the JSON (Documentation/flowd.md).
 */
struct flowd_topo_vm {
    const char *mac, *host;     /* NULL if missing (an error). */
    const char *edge_switch;    /* NULL if absent. */
    const char *tenant;         /* NULL if absent. */
    uint16_t vlan;              /* 0 if absent. */
    bool has_key;
    uint32_t tenant_key;
};

/* Each inventory file is a source: a MAC that an earlier one listed takes
 * a later one's data (read the newest file last), a MAC listed twice in
 * one file or also in the topology file is an error.  Returns the new
 * source's number for flowd_topo_add_vm(). */
uint32_t flowd_topo_begin_inventory(struct flowd_topo *);

/* Adds VM 'i' of inventory 'source' (file 'name') to 'topo'.  Returns
 * NULL, or on error a malloc'd "NAME: vms[I]: message" for the caller to
 * free; 'topo' must then be destroyed. */
char *flowd_topo_add_vm(struct flowd_topo *, uint32_t source, const char *name,
                        size_t i,
                        const struct flowd_topo_vm *)
    __attribute__((warn_unused_result));


/* The configured entry for 'mac', or NULL. */
const struct flowd_topo_mac *flowd_topo_find_mac(const struct flowd_topo *,
                                                 const uint8_t mac[6]);
/* The same for a MAC key (6 bytes, 2 zero bytes) already hashed. */
const struct flowd_topo_mac *flowd_topo_find_mac_h(const struct flowd_topo *,
                                       const uint8_t key[8], uint32_t hash);

int flowd_topo_find_host(const struct flowd_topo *, const char *name);
int flowd_topo_find_tenant(const struct flowd_topo *, const char *name);

bool flowd_parse_mac(const char *, uint8_t mac[6]);
bool flowd_parse_ip(const char *, struct in6_addr *);
void flowd_format_mac(const uint8_t mac[6], char out[18]);
void flowd_format_ip(const struct in6_addr *, char *out, size_t size);

#endif /* flowd-topo.h */
