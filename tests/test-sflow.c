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

/* Unit tests of the sFlow v5 decoder, from datagrams built field by field
 * with lib/sflow-encode. */

#include <config.h>
#include "flowd/sflow.h"
#include "flowd/sflow-encode.h"
#include "flowd-check.h"

#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const uint8_t mac_a[6] = { 0x02, 0, 0, 0, 0, 0x0a };
static const uint8_t mac_b[6] = { 0x02, 0, 0, 0, 0, 0x0b };

static struct flowd_sflow_buf buf;
static struct flowd_sflow_datagram dg;

static bool
mapped_is(const struct in6_addr *a, const char *v4)
{
    struct in_addr want;

    inet_pton(AF_INET, v4, &want);
    return IN6_IS_ADDR_V4MAPPED(a) && !memcmp(&a->s6_addr[12], &want, 4);
}

/* One compact flow sample: VLAN-tagged TCP over IPv4, extended switch. */
static void
build_compact(void)
{
    uint8_t frame[128];
    size_t n = flowd_sflow_enc_frame_ipv4(frame, mac_a, mac_b, 42, 0xc0a80001,
                                          0xc0a80002, 6, 40000, 80, 1000);

    flowd_sflow_enc_datagram(&buf, 0x7f000001, 7, 1);
    flowd_sflow_enc_flow_sample(&buf, 99, 3, 512, 51200, 3, 5, frame, n, 1062,
                                42);
}

static void
test_compact_flow(void)
{
    build_compact();
    save_seed("compact", buf.data, buf.len);
    CHECK_EQ(flowd_sflow_decode(buf.data, buf.len, &dg), FLOWD_SFLOW_OK);
    CHECK_EQ(dg.n_samples, 1);
    CHECK(mapped_is(&dg.agent, "127.0.0.1"));
    CHECK_EQ(dg.seq, 7);

    const struct flowd_sflow_sample *s = &dg.samples[0];
    const struct flowd_sflow_flow *f = &s->flow;
    CHECK_EQ(s->type, FLOWD_SFLOW_FLOW);
    CHECK(!s->expanded);
    CHECK_EQ(f->seq, 99);
    CHECK_EQ(f->source_type, 0);
    CHECK_EQ(f->source_index, 3);
    CHECK_EQ(f->sampling_rate, 512);
    CHECK_EQ(f->sample_pool, 51200);
    CHECK_EQ(f->input, 3);
    CHECK_EQ(f->output, 5);
    CHECK(f->has_header);
    CHECK_EQ(f->frame_length, 1062);
    CHECK_EQ(f->pkt.layers, FLOWD_SFLOW_L2 | FLOWD_SFLOW_L3 | FLOWD_SFLOW_L4);
    CHECK(!memcmp(f->pkt.src_mac, mac_a, 6));
    CHECK(!memcmp(f->pkt.dst_mac, mac_b, 6));
    CHECK_EQ(f->pkt.vlan, 42);
    CHECK_EQ(f->pkt.eth_type, 0x0800);
    CHECK_EQ(f->pkt.ip_version, 4);
    CHECK_EQ(f->pkt.ip_proto, 6);
    CHECK(mapped_is(&f->pkt.src_ip, "192.168.0.1"));
    CHECK(mapped_is(&f->pkt.dst_ip, "192.168.0.2"));
    CHECK_EQ(f->pkt.src_port, 40000);
    CHECK_EQ(f->pkt.dst_port, 80);
    CHECK_EQ(f->pkt.tcp_flags, 0x18);
    CHECK(f->has_switch);
    CHECK_EQ(f->in_vlan, 42);
    CHECK_EQ(f->out_vlan, 42);
}

/* Expanded flow sample, IPv6 agent, QinQ IPv6 UDP behind a hop-by-hop
 * header, plus an enterprise record and an unknown sample type that must be
 * skipped. */
static void
test_expanded_flow_ipv6(void)
{
    uint8_t frame[128] = { 0 };
    uint8_t *p = frame;

    memcpy(p, mac_b, 6);
    memcpy(p + 6, mac_a, 6);
    p += 12;
    memcpy(p, "\x88\xa8\x00\x64\x81\x00\x00\x0a\x86\xdd", 10);
    p += 10;
    p[0] = 0x60;
    p[6] = 0;                   /* Hop-by-hop. */
    p[8] = 0x20;                /* 2001:db8::1 -> 2001:db8::2. */
    p[9] = 0x01;
    p[10] = 0x0d;
    p[11] = 0xb8;
    p[23] = 1;
    memcpy(p + 24, p + 8, 16);
    p[39] = 2;
    p += 40;
    p[0] = 17;                  /* HBH: next header UDP, 8 bytes. */
    p += 8;
    p[0] = 0x13;                /* UDP 5000 -> 53. */
    p[1] = 0x88;
    p[3] = 53;
    p += 8;
    size_t n = p - frame;

    flowd_sflow_enc_init(&buf);
    flowd_sflow_enc_u32(&buf, 5);
    flowd_sflow_enc_u32(&buf, 2);
    uint8_t agent6[16] = { 0x20, 0x01, 0x0d, 0xb8, [15] = 9 };
    flowd_sflow_enc_bytes(&buf, agent6, 16);
    flowd_sflow_enc_u32(&buf, 1);
    flowd_sflow_enc_u32(&buf, 1);
    flowd_sflow_enc_u32(&buf, 1);
    flowd_sflow_enc_u32(&buf, 2);

    size_t other = flowd_sflow_enc_begin(&buf, 77);  /* Unknown sample type. */
    flowd_sflow_enc_u32(&buf, 0xdeadbeef);
    flowd_sflow_enc_end(&buf, other);

    size_t sample = flowd_sflow_enc_begin(&buf, 3);
    flowd_sflow_enc_u32(&buf, 5);           /* Seq. */
    flowd_sflow_enc_u32(&buf, 0);           /* Source type. */
    /* Index above 24 bits: expanded only. */
    flowd_sflow_enc_u32(&buf, 0x1000000);
    flowd_sflow_enc_u32(&buf, 1);
    flowd_sflow_enc_u32(&buf, 10);
    flowd_sflow_enc_u32(&buf, 2);           /* Drops. */
    flowd_sflow_enc_u32(&buf, 0);
    flowd_sflow_enc_u32(&buf, 0x1000001);
    flowd_sflow_enc_u32(&buf, 2);           /* Output: multiple. */
    flowd_sflow_enc_u32(&buf, 3);
    flowd_sflow_enc_u32(&buf, 2);
    /* Enterprise. */
    size_t rec = flowd_sflow_enc_begin(&buf, (9999 << 12) | 1);
    flowd_sflow_enc_u32(&buf, 1);
    flowd_sflow_enc_end(&buf, rec);
    rec = flowd_sflow_enc_begin(&buf, 1);
    flowd_sflow_enc_u32(&buf, 1);
    flowd_sflow_enc_u32(&buf, n + 4);
    flowd_sflow_enc_u32(&buf, 4);
    flowd_sflow_enc_u32(&buf, n);
    flowd_sflow_enc_bytes(&buf, frame, n);
    flowd_sflow_enc_end(&buf, rec);
    flowd_sflow_enc_end(&buf, sample);

    save_seed("expanded-ipv6", buf.data, buf.len);
    CHECK_EQ(flowd_sflow_decode(buf.data, buf.len, &dg), FLOWD_SFLOW_OK);
    CHECK_EQ(dg.n_samples, 1);
    CHECK_EQ(dg.n_unknown_samples, 1);
    CHECK_EQ(dg.n_unknown_records, 1);
    CHECK_EQ(dg.agent.s6_addr[0], 0x20);
    CHECK_EQ(dg.agent.s6_addr[15], 9);

    const struct flowd_sflow_flow *f = &dg.samples[0].flow;
    CHECK(dg.samples[0].expanded);
    CHECK_EQ(f->source_index, 0x1000000);
    CHECK_EQ(f->drops, 2);
    CHECK_EQ(f->input, 0x1000001);
    CHECK_EQ(f->output_format, 2);
    CHECK(!f->has_switch);
    CHECK_EQ(f->pkt.vlan, 100);             /* Outer tag. */
    CHECK_EQ(f->pkt.eth_type, 0x86dd);
    CHECK_EQ(f->pkt.ip_version, 6);
    CHECK_EQ(f->pkt.ip_proto, 17);
    CHECK_EQ(f->pkt.src_ip.s6_addr[15], 1);
    CHECK_EQ(f->pkt.dst_ip.s6_addr[15], 2);
    CHECK_EQ(f->pkt.src_port, 5000);
    CHECK_EQ(f->pkt.dst_port, 53);
    CHECK_EQ(f->pkt.layers, FLOWD_SFLOW_L2 | FLOWD_SFLOW_L3 | FLOWD_SFLOW_L4);
}

/* A later IPv4 fragment has no ports; a frame cut in the IP header has no
 * addresses.  Neither is an error: sampled headers are cut by design. */
static void
test_partial_headers(void)
{
    uint8_t frame[128];
    struct flowd_sflow_packet pkt;
    size_t n = flowd_sflow_enc_frame_ipv4(frame, mac_a, mac_b, 0, 0x0a000001,
                                          0x0a000002, 17, 1, 2, 0);

    frame[14 + 6] = 0x00;
    frame[14 + 7] = 0x10;       /* Fragment offset 16. */
    flowd_sflow_parse_ethernet(frame, n, &pkt);
    CHECK_EQ(pkt.layers, FLOWD_SFLOW_L2 | FLOWD_SFLOW_L3);
    CHECK_EQ(pkt.src_port, 0);

    flowd_sflow_parse_ethernet(frame, 14 + 19, &pkt);
    CHECK_EQ(pkt.layers, FLOWD_SFLOW_L2);
    flowd_sflow_parse_ethernet(frame, 13, &pkt);
    CHECK_EQ(pkt.layers, 0);
}

static void
put_if_counters(struct flowd_sflow_buf *b)
{
    size_t rec = flowd_sflow_enc_begin(b, 1);
    flowd_sflow_enc_u32(b, 7);              /* ifIndex. */
    flowd_sflow_enc_u32(b, 6);              /* ethernetCsmacd. */
    flowd_sflow_enc_u64(b, 10000000000ULL);
    flowd_sflow_enc_u32(b, 1);
    flowd_sflow_enc_u32(b, 3);
    flowd_sflow_enc_u64(b, 1ULL << 40);     /* In octets. */
    for (int i = 0; i < 6; i++) {
        flowd_sflow_enc_u32(b, 100 + i);
    }
    flowd_sflow_enc_u64(b, (1ULL << 41) + 5);
    for (int i = 0; i < 5; i++) {
        flowd_sflow_enc_u32(b, 200 + i);
    }
    flowd_sflow_enc_u32(b, 0);
    flowd_sflow_enc_end(b, rec);
}

static void
test_counters(void)
{
    flowd_sflow_enc_datagram(&buf, 0x0a000001, 1, 2);

    size_t sample = flowd_sflow_enc_begin(&buf, 2);
    flowd_sflow_enc_u32(&buf, 11);
    flowd_sflow_enc_u32(&buf, 7);
    flowd_sflow_enc_u32(&buf, 2);
    put_if_counters(&buf);
    size_t rec = flowd_sflow_enc_begin(&buf, 2);
    for (int i = 0; i < 13; i++) {
        flowd_sflow_enc_u32(&buf, 300 + i);
    }
    flowd_sflow_enc_end(&buf, rec);
    flowd_sflow_enc_end(&buf, sample);

    sample = flowd_sflow_enc_begin(&buf, 4);
    flowd_sflow_enc_u32(&buf, 12);
    flowd_sflow_enc_u32(&buf, 0);
    flowd_sflow_enc_u32(&buf, 8);
    flowd_sflow_enc_u32(&buf, 1);
    put_if_counters(&buf);
    flowd_sflow_enc_end(&buf, sample);

    save_seed("counters", buf.data, buf.len);
    CHECK_EQ(flowd_sflow_decode(buf.data, buf.len, &dg), FLOWD_SFLOW_OK);
    CHECK_EQ(dg.n_samples, 2);

    const struct flowd_sflow_counters *c = &dg.samples[0].counters;
    CHECK_EQ(dg.samples[0].type, FLOWD_SFLOW_COUNTERS);
    CHECK_EQ(c->seq, 11);
    CHECK_EQ(c->source_index, 7);
    CHECK(c->has_if);
    CHECK(c->has_eth);
    CHECK_EQ(c->ifc.ifindex, 7);
    CHECK_EQ(c->ifc.speed, 10000000000ULL);
    CHECK_EQ(c->ifc.status, 3);
    CHECK_EQ(c->ifc.in_octets, 1ULL << 40);
    CHECK_EQ(c->ifc.in_ucast, 100);
    CHECK_EQ(c->ifc.in_unknown, 105);
    CHECK_EQ(c->ifc.out_octets, (1ULL << 41) + 5);
    CHECK_EQ(c->ifc.out_errors, 204);
    CHECK_EQ(c->eth.alignment_errors, 300);
    CHECK_EQ(c->eth.symbol_errors, 312);

    c = &dg.samples[1].counters;
    CHECK(dg.samples[1].expanded);
    CHECK_EQ(c->source_index, 8);
    CHECK(c->has_if);
    CHECK(!c->has_eth);
}

/* Writes 'v' at byte offset 'ofs' of 'buf'. */
static void
poke(size_t ofs, uint32_t v)
{
    buf.data[ofs] = v >> 24;
    buf.data[ofs + 1] = v >> 16;
    buf.data[ofs + 2] = v >> 8;
    buf.data[ofs + 3] = v;
}

/* Offsets in build_compact()'s datagram. */
enum {
    OFS_VERSION = 0, OFS_ADDR_TYPE = 4, OFS_N_SAMPLES = 24,
    OFS_SAMPLE_LEN = 32, OFS_RATE = 44, OFS_N_RECORDS = 64,
    OFS_RECORD_LEN = 72, OFS_HEADER_LEN = 88,
};

static void
expect_error(enum flowd_sflow_error want, size_t ofs, uint32_t v)
{
    build_compact();
    poke(ofs, v);
    enum flowd_sflow_error got = flowd_sflow_decode(buf.data, buf.len, &dg);
    if (got != want) {
        fprintf(stderr, "poke %zu=%u: got %s, expected %s\n", ofs, v,
                flowd_sflow_error_name(got), flowd_sflow_error_name(want));
        failures++;
    }
    CHECK_EQ(dg.n_samples, 0);
}

static void
test_errors(void)
{
    expect_error(FLOWD_SFLOW_ERR_VERSION, OFS_VERSION, 4);
    expect_error(FLOWD_SFLOW_ERR_AGENT_ADDR, OFS_ADDR_TYPE, 3);
    expect_error(FLOWD_SFLOW_ERR_SAMPLE_COUNT, OFS_N_SAMPLES,
                 FLOWD_SFLOW_MAX_SAMPLES + 1);
    expect_error(FLOWD_SFLOW_ERR_SAMPLE_TRUNC, OFS_N_SAMPLES, 2);
    expect_error(FLOWD_SFLOW_ERR_TRAILING, OFS_N_SAMPLES, 0);
    expect_error(FLOWD_SFLOW_ERR_SAMPLE_TRUNC, OFS_SAMPLE_LEN, 0x10000);
    expect_error(FLOWD_SFLOW_ERR_SAMPLE_TRUNC, OFS_SAMPLE_LEN, 6);
    expect_error(FLOWD_SFLOW_ERR_SAMPLE_BODY, OFS_SAMPLE_LEN, 8);
    expect_error(FLOWD_SFLOW_ERR_SAMPLING_RATE, OFS_RATE, 0);
    expect_error(FLOWD_SFLOW_ERR_RECORD_TRUNC, OFS_N_RECORDS, 3);
    expect_error(FLOWD_SFLOW_ERR_RECORD_TRUNC, OFS_N_RECORDS, 0xffffffff);
    expect_error(FLOWD_SFLOW_ERR_RECORD_TRUNC, OFS_RECORD_LEN, 0x1000);
    expect_error(FLOWD_SFLOW_ERR_RECORD_BODY, OFS_RECORD_LEN, 12);
    expect_error(FLOWD_SFLOW_ERR_HEADER_LEN, OFS_HEADER_LEN, 0x7fff);

    CHECK_EQ(flowd_sflow_decode(buf.data, 7, &dg), FLOWD_SFLOW_ERR_SHORT);
    CHECK_EQ(flowd_sflow_decode(buf.data, 27, &dg), FLOWD_SFLOW_ERR_SHORT);

    /* Every truncation of a good datagram is rejected whole. */
    build_compact();
    for (size_t len = 0; len < buf.len; len++) {
        enum flowd_sflow_error e = flowd_sflow_decode(buf.data, len, &dg);
        if (e == FLOWD_SFLOW_OK || dg.n_samples) {
            fprintf(stderr, "truncation to %zu accepted\n", len);
            failures++;
        }
    }
    for (int e = 0; e < FLOWD_SFLOW_N_ERRORS; e++) {
        CHECK(strcmp(flowd_sflow_error_name(e), "unknown"));
    }
}

int
main(void)
{
    test_compact_flow();
    test_expanded_flow_ipv6();
    test_partial_headers();
    test_counters();
    test_errors();
    return check_report("test-sflow");
}
