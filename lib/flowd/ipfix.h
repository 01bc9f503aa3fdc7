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

#ifndef L2MT_IPFIX_H
#define L2MT_IPFIX_H 1

/* IPFIX (RFC 7011) export of closed intervals over UDP, to one or more
 * upstream collectors, encoded by libfixbuf.  Each aggregation gets
 * templates of standard information elements (one per address family);
 * only the locality class, intra-tenant scope and tenant name, which have
 * no IANA element, use enterprise elements under PEN 32473 (RFC 5612's
 * documentation number).
 *
 * Distributor role: an upstream may carry a rule "FIELD=VALUE"; a record
 * goes to the first upstream whose rule it matches, and to every upstream
 * without a rule if it matches none. */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include "flowd/flow-agg.h"

struct flowd_interval;

#define FLOWD_IPFIX_PEN 32473
#define FLOWD_IPFIX_MAX_UPSTREAMS 16
#define FLOWD_IPFIX_MTU 1400
#define FLOWD_IPFIX_VARLEN 65535

/* Variant bits of a template: which address family its addresses use. */
#define FLOWD_IPFIX_V_IP6 1
#define FLOWD_IPFIX_V_AGENT6 2
#define FLOWD_IPFIX_N_VARIANTS 4

/* An information element of a template. */
struct flowd_ipfix_ie {
    uint16_t id;
    uint16_t len;
    bool enterprise;            /* Of FLOWD_IPFIX_PEN. */
};

/* At most this many elements in one template. */
#define FLOWD_IPFIX_MAX_IES (FLOWD_AGG_MAX_FIELDS * 5 + 7)

enum flowd_agg_field;
struct flowd_agg_def;

/* The key elements for 'field' in 'variant' (IPFIX_V_*): returns how many
 * it wrote to 'out' (at most 5). */
int flowd_ipfix_field_ies(enum flowd_agg_field, int variant,
                          struct flowd_ipfix_ie *out);
/* The key elements of every field of 'def' in order. */
int flowd_ipfix_key_ies(const struct flowd_agg_def *, int variant,
                        struct flowd_ipfix_ie *);

enum flowd_ipfix_rule_kind {
    FLOWD_IPFIX_RULE_NONE, FLOWD_IPFIX_RULE_TEXT, FLOWD_IPFIX_RULE_CIDR,
    FLOWD_IPFIX_RULE_AGG,
};

struct flowd_ipfix_upstream {
    char spec[256];
    int fd;
    struct sockaddr_storage addr;
    socklen_t addr_len;
    enum flowd_ipfix_rule_kind rule;
    int field;                  /* enum flowd_agg_field, -1 for 'agg'. */
    char value[64];             /* Text to compare (tenant, vlan ...). */
    struct in6_addr net;        /* CIDR rules. */
    int plen;                   /* In IPv6 bits. */
    uint32_t seq;               /* Data records sent (RFC 7011 3.1). */
    uint64_t n_records, n_messages, n_errors;
};

struct flowd_ipfix_exporter {
    struct flowd_ipfix_upstream ups[FLOWD_IPFIX_MAX_UPSTREAMS];
    size_t n;
    uint32_t domain;            /* Observation domain id. */
};

/* Parses "HOST:PORT[,FIELD=VALUE]" ("[V6]:PORT" for IPv6) and opens its
 * socket.  Returns NULL, or a malloc'd "SPEC: message" (for the caller to
 * free) on a bad spec or a socket error. */
char *flowd_ipfix_add_upstream(struct flowd_ipfix_exporter *, const char *spec)
    __attribute__((warn_unused_result));
void flowd_ipfix_close(struct flowd_ipfix_exporter *);

/* Sends 'iv' to the upstreams; returns false if any send failed. */
bool flowd_ipfix_export(struct flowd_ipfix_exporter *,
                        const struct flowd_interval *,
                        uint32_t export_time);

/* Builds the messages for upstream 'u' and hands each to 'send'. */
bool flowd_ipfix_encode(struct flowd_ipfix_exporter *, size_t u,
                        const struct flowd_interval *, uint32_t export_time,
                        bool (*send)(void *aux, const uint8_t *, size_t),
                        void *aux);

#endif /* ipfix.h */
