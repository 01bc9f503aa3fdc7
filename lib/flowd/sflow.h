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

#ifndef L2MT_SFLOW_H
#define L2MT_SFLOW_H 1

/* sFlow version 5 datagram decoder (sflow.org/sflow_version_5.txt).
 *
 * A datagram is decoded whole into a 'struct flowd_sflow_datagram' before
 * anything is delivered: a malformed or truncated datagram is rejected as a
 * unit, with one 'enum flowd_sflow_error' reason, so that no caller ever sees
 * half of one. Sample and record types the decoder does not know are skipped
 * by their length and counted, as the specification asks. */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <netinet/in.h>

#define FLOWD_SFLOW_PORT 6343

/* At most this many samples in one datagram; a 1500-byte datagram cannot
 * hold more than about 40 useful ones, a 64 kB one not more than 2000. */
#define FLOWD_SFLOW_MAX_SAMPLES 512

/* Bytes of a sampled header kept for storage and tests. */
#define FLOWD_SFLOW_MAX_HEADER 256

enum flowd_sflow_error {
    FLOWD_SFLOW_OK,
    FLOWD_SFLOW_ERR_SHORT, /* Datagram shorter than its fixed header. */
    FLOWD_SFLOW_ERR_VERSION,         /* Not version 5. */
    FLOWD_SFLOW_ERR_AGENT_ADDR,      /* Agent address type neither 1 nor 2. */
    /* More samples than FLOWD_SFLOW_MAX_SAMPLES. */
    FLOWD_SFLOW_ERR_SAMPLE_COUNT,
    /* Sample header or length runs past the end. */
    FLOWD_SFLOW_ERR_SAMPLE_TRUNC,
    /* Sample body shorter than its fixed fields. */
    FLOWD_SFLOW_ERR_SAMPLE_BODY,
    /* Record header or length runs past sample. */
    FLOWD_SFLOW_ERR_RECORD_TRUNC,
    FLOWD_SFLOW_ERR_RECORD_BODY, /* Record shorter than its fixed fields. */
    FLOWD_SFLOW_ERR_HEADER_LEN, /* Raw header length exceeds its record. */
    FLOWD_SFLOW_ERR_SAMPLING_RATE,   /* Flow sample with sampling rate 0. */
    FLOWD_SFLOW_ERR_TRAILING,        /* Bytes left after the last sample. */
    FLOWD_SFLOW_N_ERRORS
};

const char *flowd_sflow_error_name(enum flowd_sflow_error);

/* Layers found in a sampled Ethernet header. */
enum flowd_sflow_layer {
    FLOWD_SFLOW_L2 = 1 << 0,         /* MACs and Ethertype. */
    FLOWD_SFLOW_L3 = 1 << 1,         /* IPv4 or IPv6 addresses. */
    FLOWD_SFLOW_L4 = 1 << 2,         /* TCP or UDP ports. */
};

/* What the decoder read from a raw packet header record (Ethernet only). */
struct flowd_sflow_packet {
    uint8_t layers;            /* SFLOW_L*. */
    uint8_t ip_version;        /* 4, 6 or 0. */
    uint8_t ip_proto;          /* IP protocol, 0 if none. */
    uint8_t tcp_flags;
    uint8_t src_mac[6];
    uint8_t dst_mac[6];
    uint16_t vlan;             /* Outermost 802.1Q VID, 0 if untagged. */
    uint16_t eth_type;         /* Ethertype after any VLAN tags. */
    uint16_t src_port;         /* TCP/UDP ports, 0 if none. */
    uint16_t dst_port;
    struct in6_addr src_ip;    /* IPv4 as ::ffff:a.b.c.d. */
    struct in6_addr dst_ip;
};

/* One flow sample (compact or expanded form). */
struct flowd_sflow_flow {
    uint32_t seq;
    uint32_t source_type;      /* 0 ifIndex, 1 smonVlanDataSource, 2 ... */
    uint32_t source_index;
    uint32_t sampling_rate;
    uint32_t sample_pool;
    uint32_t drops;
    uint32_t input_format;     /* 0 ifIndex, 1 discarded, 2 multiple. */
    uint32_t input;
    uint32_t output_format;
    uint32_t output;

    bool has_header;           /* Raw packet header record (type 1). */
    uint32_t header_protocol;  /* 1 = Ethernet. */
    uint32_t frame_length;     /* Original frame length, with FCS. */
    uint32_t stripped;         /* Bytes removed before header (FCS...). */
    uint32_t header_length;    /* Header bytes sampled. */
    const uint8_t *header;     /* Points into the datagram. */
    struct flowd_sflow_packet pkt;

    bool has_switch;           /* Extended switch record (type 1001). */
    uint32_t in_vlan, in_priority;
    uint32_t out_vlan, out_priority;
};

/* Generic interface counters (record type 1). */
struct flowd_sflow_if_counters {
    uint32_t ifindex, type;
    uint64_t speed;
    uint32_t direction, status;
    uint64_t in_octets;
    uint32_t in_ucast, in_mcast, in_bcast, in_discards, in_errors, in_unknown;
    uint64_t out_octets;
    uint32_t out_ucast, out_mcast, out_bcast, out_discards, out_errors;
    uint32_t promiscuous;
};

/* Ethernet interface counters (record type 2). */
struct flowd_sflow_eth_counters {
    uint32_t alignment_errors, fcs_errors, single_collisions;
    uint32_t multiple_collisions, sqe_errors, deferred, late_collisions;
    uint32_t excessive_collisions, mac_tx_errors, carrier_errors;
    uint32_t too_long, mac_rx_errors, symbol_errors;
};

/* One counter sample (compact or expanded form). */
struct flowd_sflow_counters {
    uint32_t seq;
    uint32_t source_type;
    uint32_t source_index;
    bool has_if;
    struct flowd_sflow_if_counters ifc;
    bool has_eth;
    struct flowd_sflow_eth_counters eth;
};

enum flowd_sflow_sample_type {
    FLOWD_SFLOW_FLOW,
    FLOWD_SFLOW_COUNTERS,
};

struct flowd_sflow_sample {
    enum flowd_sflow_sample_type type;
    bool expanded;             /* Came in the expanded form. */
    union {
        struct flowd_sflow_flow flow;
        struct flowd_sflow_counters counters;
    };
};

/* A decoded datagram.  Pointers point into the caller's buffer, which must
 * outlive it.  Large: allocate it once and reuse it. */
struct flowd_sflow_datagram {
    struct in6_addr agent;     /* IPv4 as ::ffff:a.b.c.d. */
    uint32_t sub_agent;
    uint32_t seq;
    uint32_t uptime_ms;
    uint32_t n_samples;        /* Decoded samples in 'samples'. */
    uint32_t n_unknown_samples;  /* Skipped sample types. */
    uint32_t n_unknown_records;  /* Skipped record types. */
    struct flowd_sflow_sample samples[FLOWD_SFLOW_MAX_SAMPLES];
};

enum flowd_sflow_error flowd_sflow_decode(const void *data, size_t len,
                                          struct flowd_sflow_datagram *);

/* Parses an Ethernet header as sampled into 'pkt'.  Never fails: it records
 * in 'pkt->layers' how far the bytes went. */
void flowd_sflow_parse_ethernet(const uint8_t *data, size_t len,
                                struct flowd_sflow_packet *pkt);

#endif /* sflow.h */
