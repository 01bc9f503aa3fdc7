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

#ifndef L2MT_CONF_H
#define L2MT_CONF_H 1

/* The l2mt configuration file (/etc/l2mt/l2mt.conf, see l2mt.conf(5)):
 * hosts, tenants, port profiles and port bindings.  One file describes a
 * whole cloud; each host's agent picks its own 'host' block, so a VM that
 * moves between hosts finds the same settings everywhere.
 *
 * The parser either returns a complete, cross-checked configuration or
 * nothing: every mistake is reported as "FILE:LINE: message". */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define L2MT_CONF_DEFAULT_FILE "/etc/l2mt/l2mt.conf"

enum l2mt_tunnel_mode {
    L2MT_TUNNEL_PER_TENANT,     /* One GRE port per tenant, options:key=N. */
    L2MT_TUNNEL_FLOW,           /* One GRE port, key=flow, remote_ip=flow. */
};

struct l2mt_conf_sflow {
    int line;                   /* 0 if the host has no sflow block. */
    char *agent;                /* Interface whose address is the agent. */
    char **targets;             /* "IP:PORT", "[IPv6]:PORT". */
    size_t n_targets;
    unsigned int sampling;      /* 1 in N packets. */
    unsigned int polling;       /* Counter polling interval, seconds. */
    unsigned int header;        /* Bytes of each sampled header. */
};

/* Open vSwitch's IPsec for the host's GRE tunnels (ovs-monitor-ipsec):
 * pre-shared key, or certificates (self-signed: the remote's certificate
 * per remote; CA-signed: the CA and the remote's name per remote). */
struct l2mt_conf_ipsec {
    char *psk;                  /* options:psk, or NULL. */
    char *certificate;          /* Open_vSwitch other_config:certificate. */
    char *private_key;          /* ...:private_key. */
    char *ca_cert;              /* ...:ca_cert (CA-signed mode). */
    char **remotes;             /* Remote IPv4 of each of these: */
    char **remote_certs;        /* options:remote_cert, or NULL, */
    char **remote_names;        /* options:remote_name, or NULL. */
    size_t n_remotes;
};

/* BFD on the host's GRE tunnels (issue 16): Interface:bfd.  A value of 0
 * leaves Open vSwitch's default (min_rx 1000 ms, min_tx 100 ms, mult 3). */
struct l2mt_conf_bfd {
    bool off;                   /* "bfd off": no BFD (default: on). */
    uint32_t min_rx;            /* bfd:min_rx, milliseconds. */
    uint32_t min_tx;            /* bfd:min_tx, milliseconds. */
    uint32_t mult;              /* bfd:mult, detect multiplier. */
};

struct l2mt_conf_host {
    int line;
    char *name;
    char *edge_switch;
    char *bridge;               /* Tenant bridge, default "br-l2mt". */
    char *datapath_type;        /* "system" or "netdev". */
    enum l2mt_tunnel_mode tunnel_mode;
    char *underlay_if;          /* NULL if not given. */
    char *underlay_ip;          /* "A.B.C.D/LEN" or NULL. */
    char *underlay_bridge;      /* Netdev bridge holding the underlay IP. */
    char *inventory;            /* Inventory JSON path or NULL. */
    struct l2mt_conf_sflow sflow;
    struct l2mt_conf_ipsec ipsec;
    struct l2mt_conf_bfd bfd;
};

/* OpenFlow 1.3 meters, packets per second; 0: none. */
struct l2mt_conf_meters {
    long long int pps;          /* Everything (a tenant's: from its
                                 * tunnels; a VM port's: what it sends). */
    long long int nd_pps;       /* ARP, Neighbor Solicitations and
                                 * Advertisements. */
};

/* A tenant's meters unless its block says otherwise. */
#define L2MT_CONF_METER_PPS 100000
#define L2MT_CONF_METER_ND_PPS 100

struct l2mt_conf_tenant {
    int line;
    int name_line, gre_key_line, v4_line, v6_line;  /* Where each was set. */
    uint32_t id;
    char *name;                 /* Defaults to "tenantID". */
    uint32_t gre_key;
    char **remotes;             /* IPv4 tunnel endpoints. */
    size_t n_remotes;
    char *service_v4_port;      /* Service VM's translated (IPv4-side) port. */
    char *service_v6_port;      /* Its native IPv6 port, or NULL. */
    char *prefix;               /* Canonical text, e.g. "fe80::/96". */
    uint8_t prefix_bytes[12];
    bool nat64;
    char **service_addrs;       /* The service as the tenant sees it: IPv4
                                 * or IPv6, canonical text.  Default
                                 * L2MT_CONF_SERVICE_ADDR. */
    size_t n_service_addrs;
    char **ipv6_sources;        /* Native IPv6 sources let in, "ADDR/LEN".
                                 * Default "fe80::/10". */
    size_t n_ipv6_sources;
    struct l2mt_conf_meters meters;
    uint32_t mtu6, mtu4;        /* nat64 MTU bounds, 0 if not set. */
};

/* The service's address that Documentation/service.md gives every tenant
 * interface (fe80::c0a8:64 translated). */
#define L2MT_CONF_SERVICE_ADDR "192.168.0.100"

struct l2mt_conf_profile {
    int line;
    char *name;
    int vlan;                   /* Access VLAN tag, -1 if unset. */
    char *trunks;               /* "10,20,30" or NULL. */
    long long int policing_rate;    /* kbps, -1 if unset. */
    long long int policing_burst;   /* kb, -1 if unset. */
    char *qos_type;             /* NULL if unset. */
    char **qos_config;          /* "key=value" other_config entries. */
    size_t n_qos_config;
    int sflow;                  /* 1 on, 0 off, -1 unset (on). */
    int nat64;                  /* enum l2mt_mode (lib/nat64.h), -1 unset. */
    struct l2mt_conf_meters meters;     /* Unset: 0, none. */
};

enum l2mt_conf_match {
    L2MT_MATCH_INTERFACE,       /* Interface name. */
    L2MT_MATCH_IFACE_ID,        /* external_ids:iface-id. */
    L2MT_MATCH_MAC,             /* external_ids:attached-mac. */
};

struct l2mt_conf_port {
    int line;
    char *label;
    enum l2mt_conf_match match;
    char *value;                /* MACs in lower case. */
    struct l2mt_conf_profile *profile;  /* NULL if none. */
    struct l2mt_conf_tenant *tenant;    /* NULL if none. */
};

struct l2mt_conf {
    char *file;
    struct l2mt_conf_host *hosts;
    size_t n_hosts;
    struct l2mt_conf_tenant *tenants;
    size_t n_tenants;
    struct l2mt_conf_profile *profiles;
    size_t n_profiles;
    struct l2mt_conf_port *ports;
    size_t n_ports;
};

/* Parses the 'len' bytes of 'text', naming it 'file' in messages.  Returns
 * the configuration, or NULL with '*errors' set to a malloc'd string of one
 * "FILE:LINE: message\n" per mistake found (the caller frees it). */
struct l2mt_conf *l2mt_conf_parse(const char *text, size_t len,
                                  const char *file, char **errors);

/* Reads and parses 'file', as l2mt_conf_parse(). */
struct l2mt_conf *l2mt_conf_load(const char *file, char **errors);

void l2mt_conf_free(struct l2mt_conf *);

const struct l2mt_conf_host *l2mt_conf_find_host(const struct l2mt_conf *,
                                                 const char *name);
const struct l2mt_conf_tenant *l2mt_conf_find_tenant_by_port(
    const struct l2mt_conf *, const char *port);

const char *l2mt_tunnel_mode_name(enum l2mt_tunnel_mode);

#endif /* l2mt-conf.h */
