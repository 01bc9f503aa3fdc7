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
 * from the topology file and the agents' inventory files.  A 'struct topo'
 * is built whole and replaced whole: a bad file never leaves half a
 * configuration behind.  Once built it is read-only, so threads share one
 * by reference (topo_ref, topo_destroy) rather than each loading its own.
 * Format: Documentation/flowd.md. */

#include <netinet/in.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "flowd-table.h"

#define TOPO_NAME_LEN 64
#define TOPO_NONE 0xffff        /* No host, switch or tenant. */
#define TOPO_MAX_ITEMS 60000    /* Hosts, switches or tenants. */
#define TOPO_MAX_MACS 1000000   /* Configured VM and gateway MACs. */

struct topo_host {
    char name[TOPO_NAME_LEN];
    uint16_t sw;                /* Index in 'switches'. */
};

struct topo_tenant {
    char name[TOPO_NAME_LEN];
    uint32_t key;               /* GRE key; 0 if not given. */
};

/* A MAC the configuration places: a VM (host, tenant, VLAN) or a gateway. */
struct topo_mac {
    uint8_t mac[6];
    bool gateway;
    uint16_t host;              /* TOPO_NONE if not known. */
    uint16_t tenant;            /* TOPO_NONE if not known. */
    uint16_t vlan;              /* 0 if not known. */
    uint32_t source;            /* 0: topology file, N: Nth inventory. */
};

struct topo_uplink {
    uint16_t host;
    uint32_t ifindex;
};

struct topo_agent {
    struct in6_addr addr;       /* IPv4 as ::ffff:a.b.c.d. */
    uint16_t host;
};

struct topo {
    char (*switches)[TOPO_NAME_LEN];
    size_t n_switches;
    struct topo_host *hosts;
    size_t n_hosts;
    struct topo_tenant *tenants;
    size_t n_tenants;
    struct topo_agent *agents;
    size_t n_agents;
    struct topo_uplink *uplinks;
    size_t n_uplinks;
    struct topo_mac *macs;
    size_t n_macs;
    struct ftable mac_index;    /* MAC (8 bytes) -> uint32_t index in macs. */
    uint32_t n_sources;         /* Inventory files parsed. */
    uint16_t vlan_tenant[4096]; /* Tenant of a VLAN, TOPO_NONE if none. */
    unsigned int refs;          /* References; atomic (topo_ref). */
};

/* A new empty topology with one reference. */
struct topo *topo_create(void);
/* Takes one more reference to 't' (any thread) and returns it. */
struct topo *topo_ref(const struct topo *t);
/* Drops one reference to 't' (may be NULL); the last one frees it. */
void topo_destroy(struct topo *);

/* Parses topology text into 'topo'.  Returns NULL, or on error a malloc'd
 * "NAME:LINE: message" for the caller to free; 'topo' must then be
 * destroyed. */
char *topo_parse(struct topo *, const char *text, size_t len,
                 const char *name)
    __attribute__((warn_unused_result));

/* One VM interface of an agent's inventory file, as lib/flowd-inventory.c
 * read it from the JSON (Documentation/flowd.md). */
struct topo_vm {
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
 * source's number for topo_add_vm(). */
uint32_t topo_begin_inventory(struct topo *);

/* Adds VM 'i' of inventory 'source' (file 'name') to 'topo'.  Returns
 * NULL, or on error a malloc'd "NAME: vms[I]: message" for the caller to
 * free; 'topo' must then be destroyed. */
char *topo_add_vm(struct topo *, uint32_t source, const char *name, size_t i,
                  const struct topo_vm *)
    __attribute__((warn_unused_result));


/* The configured entry for 'mac', or NULL. */
const struct topo_mac *topo_find_mac(const struct topo *,
                                     const uint8_t mac[6]);
/* The same for a MAC key (6 bytes, 2 zero bytes) already hashed. */
const struct topo_mac *topo_find_mac_h(const struct topo *,
                                       const uint8_t key[8], uint32_t hash);

int topo_find_host(const struct topo *, const char *name);
int topo_find_tenant(const struct topo *, const char *name);

bool flowd_parse_mac(const char *, uint8_t mac[6]);
bool flowd_parse_ip(const char *, struct in6_addr *);
void flowd_format_mac(const uint8_t mac[6], char out[18]);
void flowd_format_ip(const struct in6_addr *, char *out, size_t size);

#endif /* flowd-topo.h */
