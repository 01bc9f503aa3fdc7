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

#ifndef L2MT_FLOWD_REC_H
#define L2MT_FLOWD_REC_H 1

/* One decoded, classified flow sample: what aggregation consumes and what
 * the raw store keeps on disk (fixed size, host byte order). */

#include <netinet/in.h>
#include <stdint.h>

enum flowd_class {
    FLOWD_SAME_HOST,
    FLOWD_SAME_SWITCH,
    FLOWD_CORE,
    FLOWD_INTERNET,
    FLOWD_UNKNOWN,
    FLOWD_N_CLASSES
};

const char *flowd_class_name(enum flowd_class);
int flowd_class_from_name(const char *);

struct flowd_rec {
    uint64_t time_ms;           /* Receive time, ms since the epoch. */
    uint64_t bytes;             /* Frame length x sampling rate. */
    uint64_t packets;           /* Sampling rate. */
    struct in6_addr agent;      /* IPv4 as ::ffff:a.b.c.d. */
    struct in6_addr src_ip;     /* Zero without an IP header. */
    struct in6_addr dst_ip;
    uint32_t input;             /* ifIndex, 0x3fffffff if unknown. */
    uint32_t output;
    uint32_t sampling_rate;
    uint32_t src_tenant_key;    /* GRE keys: stable across reloads. */
    uint32_t dst_tenant_key;
    uint16_t frame_length;
    uint16_t vlan;
    uint16_t src_host; /* Topology indices, FLOWD_TOPO_NONE if unknown. */
    uint16_t dst_host;
    uint16_t src_tenant;
    uint16_t dst_tenant;
    uint16_t src_port;
    uint16_t dst_port;
    uint8_t src_mac[6];
    uint8_t dst_mac[6];
    uint8_t ip_version;         /* 4, 6 or 0. */
    uint8_t proto;
    uint8_t tcp_flags;
    uint8_t class;              /* enum flowd_class. */
    uint8_t intra;              /* Both ends in the same tenant. */
    uint8_t counted;            /* 0: a transit copy already counted. */
    uint8_t pad[2];
};

#endif /* flowd-rec.h */
