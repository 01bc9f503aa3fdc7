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

#ifndef L2MT_FLOWD_IPFIX_IN_H
#define L2MT_FLOWD_IPFIX_IN_H 1

/* IPFIX collecting process (RFC 7011) on CERT NetSA's libfixbuf: a flowd
 * reads IPFIX from Open vSwitch or from lower-tier flowds.
 *
 * The daemon receives the bytes itself (UDP datagrams with their kernel
 * receive time, TCP streams) and hands each IPFIX message to this module,
 * which keeps one libfixbuf session per source (UDP: exporter address and
 * port; TCP: a connection).  libfixbuf decodes templates, options
 * templates, template withdrawals and data records; this module checks
 * each message's framing first (so that bad input is counted by reason),
 * bounds sources and templates (least recently used evicted and counted),
 * expires UDP templates not refreshed within their lifetime, and counts
 * lost data records per observation domain from the sequence numbers.
 *
 * Records whose template carries originalFlowsPresent (what a flowd
 * exports) are aggregates: each goes, with its counts summed and never
 * re-scaled, into the local aggregation(s) whose template has exactly the
 * same key elements.  Other records (a metering process's flows, e.g. Open
 * vSwitch's) are classified like sFlow samples and go into every
 * aggregation, with their packet and octet counts taken as they are. */

#include <poll.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/socket.h>

struct flowd_core;

/* Why a message or part of one was not used. */
enum flowd_ipfix_in_error {
    FLOWD_IPFIX_IN_SHORT_MESSAGE,         /* Under 16 bytes. */
    FLOWD_IPFIX_IN_BAD_VERSION,           /* Not 10. */
    FLOWD_IPFIX_IN_BAD_LENGTH, /* Header length not the datagram's. */
    FLOWD_IPFIX_IN_SET_TRUNCATED, /* Set length under 4 or past the end. */
    FLOWD_IPFIX_IN_BAD_SET_ID,            /* Set ID 0, 1 or 4..255. */
    FLOWD_IPFIX_IN_BAD_TEMPLATE, /* Template record libfixbuf refused. */
    FLOWD_IPFIX_IN_NO_TEMPLATE,           /* Data set before its template. */
    FLOWD_IPFIX_IN_DECODE, /* libfixbuf could not read a record. */
    /* More elements than FLOWD_IPFIX_IN_MAX_TEMPLATE_IES. */
    FLOWD_IPFIX_IN_TEMPLATE_TOO_LARGE,
    /* An aggregate no local aggregation takes. */
    FLOWD_IPFIX_IN_UNMATCHED_AGGREGATE,
    /* A source's domain past FLOWD_IPFIX_IN_MAX_DOMAINS. */
    FLOWD_IPFIX_IN_TOO_MANY_DOMAINS,
    FLOWD_IPFIX_IN_UNKNOWN_ELEMENTS, /* Past FLOWD_IPFIX_IN_MAX_UNKNOWN_IES. */
    FLOWD_IPFIX_IN_N_ERRORS
};

const char *flowd_ipfix_in_error_name(enum flowd_ipfix_in_error);

#define FLOWD_IPFIX_IN_MAX_TEMPLATE_IES 64
#define FLOWD_IPFIX_IN_MAX_DOMAINS 16     /* Observation domains per source. */
/* Observation domains with own metrics. */
#define FLOWD_IPFIX_IN_DOMAIN_STATS 64
#define FLOWD_IPFIX_IN_SPARE_SOURCES 4    /* Retired sources' sessions kept. */
#define FLOWD_IPFIX_IN_MAX_UNKNOWN_IES 4096 /* Elements let into the model. */

struct flowd_ipfix_in_config {
    uint32_t max_sources;       /* UDP exporters and TCP connections. */
    uint32_t max_templates;     /* Per source, all domains. */
    uint32_t template_lifetime; /* UDP, seconds. */
};

struct flowd_ipfix_in_domain_stats {
    uint32_t domain;
    uint64_t messages, records, lost;
};

struct flowd_ipfix_in_stats {
    uint64_t messages, records, option_records;
    uint64_t aggregate_records, flow_records;
    uint64_t egress_records;            /* Second observations (OVS). */
    uint64_t errors[FLOWD_IPFIX_IN_N_ERRORS];
    uint64_t lost_records;              /* Sequence gaps. */
    uint64_t out_of_order;              /* Sequence went backwards. */
    uint64_t sources_evicted, templates_evicted, templates_expired;
    uint64_t templates_withdrawn, tcp_refused, tcp_closed;
    /* Per observation domain; the rest summed into 'other'. */
    struct flowd_ipfix_in_domain_stats domains[FLOWD_IPFIX_IN_DOMAIN_STATS];
    size_t n_domains;
    struct flowd_ipfix_in_domain_stats other;
};

struct flowd_ipfix_in_collector;

/* Returns a new collector, or NULL with a malloc'd message in '*errp' for
 * the caller to free. */
struct flowd_ipfix_in_collector *flowd_ipfix_in_create(
    struct flowd_core *, const struct flowd_ipfix_in_config *, char **errp);
void flowd_ipfix_in_destroy(struct flowd_ipfix_in_collector *);

/* One UDP datagram from 'src' received at 'now_ms'. */
void flowd_ipfix_in_datagram(struct flowd_ipfix_in_collector *,
                             const struct sockaddr *src,
                             socklen_t src_len, const uint8_t *, size_t,
                             uint64_t now_ms);

/* Takes a connection from TCP listening socket 'fd'. */
void flowd_ipfix_in_tcp_accept(struct flowd_ipfix_in_collector *, int fd,
                               uint64_t now_ms);
/* Fills 'pfd' with up to 'max' TCP connections; returns how many. */
size_t flowd_ipfix_in_tcp_pollfds(const struct flowd_ipfix_in_collector *,
                                  struct pollfd *,
                                  size_t max);
/* Reads the connections that 'pfd' ('n' of them, from
 * flowd_ipfix_in_tcp_pollfds()) marks readable; messages are counted at
 * 'now_ms'. */
void flowd_ipfix_in_tcp_run(struct flowd_ipfix_in_collector *,
                            const struct pollfd *, size_t n,
                            uint64_t now_ms);

/* Expires UDP templates and sources idle longer than their lifetime. */
/* Warnings and errors ('error' true) and debugging messages of the
 * collector and libfixbuf go to 'hook' (by default nowhere): the library
 * has no log of its own. */
typedef void flowd_ipfix_in_log_func(bool error, const char *msg);
void flowd_ipfix_in_set_log(flowd_ipfix_in_log_func *hook);

void flowd_ipfix_in_expire(struct flowd_ipfix_in_collector *, uint64_t now_ms);

const struct flowd_ipfix_in_stats *flowd_ipfix_in_get_stats(
    const struct flowd_ipfix_in_collector *);
size_t flowd_ipfix_in_n_sources(const struct flowd_ipfix_in_collector *);
size_t flowd_ipfix_in_n_templates(const struct flowd_ipfix_in_collector *);
size_t flowd_ipfix_in_n_domains(const struct flowd_ipfix_in_collector *);
size_t flowd_ipfix_in_n_unknown_elements(
    const struct flowd_ipfix_in_collector *);

/* Writes the Prometheus metrics of the collecting process. */
void flowd_ipfix_in_write_metrics(FILE *,
                                  const struct flowd_ipfix_in_collector *);

#endif /* flowd-ipfix-in.h */
