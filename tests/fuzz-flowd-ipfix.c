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

/* libFuzzer target for the IPFIX collecting path (lib/flowd/flowd-ipfix-in.c
 * with libfixbuf): the input is a stream of IPFIX messages, cut where each
 * header's length says (as a TCP stream would be), each handed over as a UDP
 * datagram from one of four exporters (the low bits of its observation
 * domain), 0.7 s apart, with templates expiring after 2 s and at most 4
 * sources and 8 templates each, so that eviction, expiry, withdrawal and the
 * aggregate and flow paths all run.  Each input starts from a clean collector:
 * every source idles out at its end (their sessions are kept as spares, which
 * must show nothing of them).  The elements that inputs name and libfixbuf's
 * information model does not know stay in the model (nothing takes them out);
 * a message reads the same whether one is there already or not (libfixbuf
 * takes an element's length from the template, flowd checks lengths only of
 * the model's own elements), and the collector is made again (which costs more
 * than an input) well before they near FLOWD_IPFIX_IN_MAX_UNKNOWN_IES: an
 * input of at most MAX_INPUT bytes names fewer than MAX_INPUT / 4 of them. */

#include <config.h>

#include <arpa/inet.h>
#include <stdlib.h>
#include <string.h>

#include "flowd/flowd-core.h"
#include "flowd/flowd-ipfix-in.h"
#include "flowd/flowd-topo.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char topology[] =
    "host h1 switch sw1 agent 10.0.0.1 uplink 9\n"
    "host h2 switch sw2 agent 10.0.0.2 uplink 9\n"
    "tenant blue key 100 vlan 10\n"
    "mac 02:00:00:00:00:01 host h1 tenant blue vlan 10\n";

#define MAX_INPUT 8192

static struct flowd_core core;

static struct flowd_ipfix_in_collector *
collector_new(void)
{
    struct flowd_ipfix_in_config cfg = { 4, 8, 2 };
    char *error = NULL;
    struct flowd_ipfix_in_collector *c = flowd_ipfix_in_create(&core, &cfg,
                                                               &error);

    if (!c) {
        abort();
    }
    return c;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static struct flowd_ipfix_in_collector *c;
    static const char *const aggs[] = {
        "hosts=pair_host", "bi=biflow", "macs=src_mac,dst_mac,vlan",
        "nets=pair_prefix", "ports=port,proto,src_port,dst_port", NULL,
    };

    if (size > MAX_INPUT) {
        return -1;              /* Not added to the corpus. */
    }
    if (!c) {
        struct flowd_topo *t = flowd_topo_create();
        char *error = flowd_core_init(&core, 64, 64, 64, 24, 64);

        if (error || (error = flowd_topo_parse(t, topology, strlen(topology),
                                               "topo"))) {
            abort();
        }
        for (int i = 0; aggs[i]; i++) {
            free(flowd_core_add_agg(&core, aggs[i]));
        }
        flowd_locator_set_topo(&core.loc, t);
        c = collector_new();
    }

    uint64_t now = 1000000;
    for (size_t off = 0; off < size; ) {
        size_t len = size - off;
        if (len >= 4) {
            uint16_t mlen = data[off + 2] << 8 | data[off + 3];
            if (mlen >= 4 && mlen < len) {
                len = mlen;
            }
        }
        struct sockaddr_in sin = { .sin_family = AF_INET,
                                   .sin_port = htons(4739) };
        sin.sin_addr.s_addr = htonl(0x7f000001
                                    + (len >= 16 ? data[off + 15] & 3 : 0));
        flowd_ipfix_in_datagram(c, (struct sockaddr *) &sin, sizeof sin,
                                data + off,
                                len, now);
        flowd_ipfix_in_expire(c, now);
        if (flowd_ipfix_in_n_sources(c) > 4
            || flowd_ipfix_in_n_templates(c) > 4 * 8
            || flowd_ipfix_in_n_domains(c) > 4 * FLOWD_IPFIX_IN_MAX_DOMAINS
            || (flowd_ipfix_in_n_unknown_elements(c)
                > FLOWD_IPFIX_IN_MAX_UNKNOWN_IES)) {
            abort();            /* Past its bounds. */
        }
        off += len;
        now += 700;
    }
    /* Forget everything: every source idles past the lifetime. */
    flowd_ipfix_in_expire(c, now + 3600000);
    if (flowd_ipfix_in_n_sources(c) || flowd_ipfix_in_n_templates(c)) {
        abort();
    }
    if (flowd_ipfix_in_n_unknown_elements(c)
        > FLOWD_IPFIX_IN_MAX_UNKNOWN_IES - MAX_INPUT / 4) {
        flowd_ipfix_in_destroy(c);
        c = collector_new();
    }
    flowd_agg_clear(&core.agg);
    return 0;
}
