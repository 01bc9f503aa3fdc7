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

/* Unit tests of the collector's parts: topology and inventory parsing,
 * locality classification and MAC learning, aggregation keys and bounds,
 * interval persistence, IPFIX encoding and the capacity model. */

#include <config.h>

#include <arpa/inet.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "flowd/flow-agg.h"
#include "flowd-check.h"
#include "ipfix-sink.h"
#include "flowd/flowd-advise.h"
#include "flowd/flowd-core.h"
#include "flowd/flowd-file.h"
#include "flowd/flowd-interval.h"
#include "flowd/flowd-locality.h"
#include "flowd/flowd-metrics.h"
#include "flowd/flowd-output.h"
#include "flowd/flowd-plan.h"
#include "flowd/flowd-topo.h"
#include "flowd-topo-fixture.h"
#include "flowd/ipfix.h"
#include "flowd/sflow-encode.h"

static void
expect_topo_error(const char *text, const char *want)
{
    char *err;
    struct flowd_topo *t = parse(text, &err);

    if (t || !strstr(err, want)) {
        fprintf(stderr, "topology %s: got '%s', expected '%s'\n",
                t ? "accepted" : "rejected", err ? err : "", want);
        failures++;
    }
    free(err);
    flowd_topo_destroy(t);
}

static void
test_topology(void)
{
    struct flowd_topo *t = parse(topology, NULL);

    save_seed("topology", topology, strlen(topology));
    CHECK(t != NULL);
    if (!t) {
        return;
    }
    CHECK_EQ(t->n_hosts, 3);
    CHECK_EQ(t->n_switches, 2);
    CHECK_EQ(t->n_agents, 4);
    CHECK_EQ(t->n_uplinks, 3);
    CHECK_EQ(t->n_tenants, 2);
    CHECK_EQ(t->n_macs, 2);
    CHECK_EQ(t->hosts[2].sw, 1);
    CHECK_EQ(t->vlan_tenant[21], 1);
    CHECK_EQ(t->vlan_tenant[30], FLOWD_TOPO_NONE);
    CHECK_EQ(t->tenants[1].key, 200);
    uint8_t gw[6] = { 2, 0, 0, 0, 0, 0xfe };
    CHECK(flowd_topo_find_mac(t, gw) && flowd_topo_find_mac(t, gw)->gateway);
    flowd_topo_destroy(t);

    expect_topo_error("host h1\n", "topo.conf:1: usage: host");
    expect_topo_error("\n\nfrobnicate x\n", "topo.conf:3: unknown keyword");
    expect_topo_error("host h1 switch s agent 1.2.3\n", "bad agent address");
    expect_topo_error("host h1 switch s agent 1.2.3.4\n"
                      "host h2 switch s agent 1.2.3.4\n",
                      "topo.conf:2: agent 1.2.3.4 already belongs");
    expect_topo_error("host h1 switch s\nhost h1 switch s\n",
                      "topo.conf:2: host 'h1' defined twice");
    expect_topo_error("host h1 switch s uplink 99999999999\n",
                      "bad uplink ifindex");
    expect_topo_error("mac 02:00:00:00:00:01 host nope\n",
                      "unknown host 'nope'");
    expect_topo_error("gateway 02:00:00:00:00:1\n", "bad MAC");
    expect_topo_error("gateway 02:00:00:00:00:01 02:00:00:00:00:01\n",
                      "listed twice");
    expect_topo_error("tenant a vlan 4096\n", "bad VLAN");
    expect_topo_error("tenant a vlan 5\ntenant b vlan 5\n",
                      "VLAN 5 already belongs to tenant 'a'");
    expect_topo_error("host h/1 switch s\n", "bad host name");
    expect_topo_error("switch a\nswitch a\n", "defined twice");
}

/* Builds a flow sample as the decoder would deliver it. */
static void
flow(struct flowd_sflow_flow *f, uint32_t input, const char *src,
     const char *dst,
     uint16_t vlan, uint32_t rate)
{
    uint8_t frame[128], s[6], d[6];

    flowd_parse_mac(src, s);
    flowd_parse_mac(dst, d);
    size_t n = flowd_sflow_enc_frame_ipv4(frame, s, d, vlan, 0xc0a80001,
                                          0xc0a80002, 6,
                                          1234, 80, 100);
    memset(f, 0, sizeof *f);
    f->sampling_rate = rate;
    f->input = input;
    f->frame_length = 200;
    f->has_header = true;
    flowd_sflow_parse_ethernet(frame, n, &f->pkt);
}

static struct flowd_rec
classify(struct flowd_locator *loc, const char *agent, uint32_t input,
         const char *src, const char *dst, uint16_t vlan)
{
    struct flowd_sflow_flow f;
    struct in6_addr a;
    struct flowd_rec r;

    flowd_parse_ip(agent, &a);
    flow(&f, input, src, dst, vlan, 10);
    flowd_classify(loc, &a, flowd_agent_host(loc, &a), &f, 1000, &r);
    return r;
}

#define A "02:00:00:00:00:0a"   /* On h1. */
#define B "02:00:00:00:00:0b"   /* On h1. */
#define C "02:00:00:00:00:0c"   /* On h2 (same switch as h1). */
#define E "02:00:00:00:00:0e"   /* On h3 (sw2), configured, tenant red. */
#define GW "02:00:00:00:00:fe"

static void
test_locality(void)
{
    struct flowd_locator loc;
    struct flowd_rec r;

    CHECK(flowd_locator_init(&loc, 3));
    CHECK(flowd_locator_set_topo(&loc, parse(topology, NULL)));

    /* Nothing learned yet: B's place is unknown, never guessed. */
    r = classify(&loc, "10.0.0.1", 1, A, B, 10);
    CHECK_EQ(r.class, FLOWD_UNKNOWN);
    CHECK_EQ(r.src_host, 0);
    CHECK_EQ(r.packets, 10);
    CHECK_EQ(r.bytes, 2000);
    CHECK(r.counted);

    classify(&loc, "10.0.0.1", 2, B, A, 10);
    classify(&loc, "10.0.0.2", 1, C, A, 10);
    CHECK_EQ(loc.n_learned, 3);

    r = classify(&loc, "10.0.0.1", 1, A, B, 10);
    CHECK_EQ(r.class, FLOWD_SAME_HOST);
    CHECK_EQ(r.src_tenant, 0);
    CHECK(r.intra);
    CHECK_EQ(r.src_tenant_key, 100);
    r = classify(&loc, "10.0.0.1", 1, A, C, 10);
    CHECK_EQ(r.class, FLOWD_SAME_SWITCH);
    CHECK_EQ(r.dst_host, 1);
    r = classify(&loc, "10.0.0.1", 1, A, E, 10);
    CHECK_EQ(r.class, FLOWD_CORE);
    CHECK_EQ(r.dst_tenant, 1);  /* Configured MAC: red. */
    CHECK(!r.intra);
    r = classify(&loc, "10.0.0.1", 1, A, GW, 10);
    CHECK_EQ(r.class, FLOWD_INTERNET);
    CHECK(!r.intra);
    r = classify(&loc, "10.0.0.1", 1, A, "ff:ff:ff:ff:ff:ff", 10);
    CHECK_EQ(r.class, FLOWD_UNKNOWN);

    /* The same frame entering h2 over its uplink: a transit copy, and no
     * learning from the uplink. */
    r = classify(&loc, "10.0.0.2", 9, A, C, 10);
    CHECK_EQ(r.class, FLOWD_SAME_SWITCH);
    CHECK(!r.counted);
    CHECK_EQ(loc.n_moves, 0);
    /* From the internet, counted where it is delivered. */
    r = classify(&loc, "10.0.0.2", 9, GW, C, 10);
    CHECK_EQ(r.class, FLOWD_INTERNET);
    CHECK(r.counted);
    r = classify(&loc, "10.0.0.1", 9, GW, C, 10);
    CHECK(!r.counted);

    /* A migrates to h3: re-learned, now via the core to B. */
    r = classify(&loc, "10.0.0.3", 4, A, B, 10);
    CHECK_EQ(loc.n_moves, 1);
    CHECK_EQ(r.class, FLOWD_CORE);
    CHECK_EQ(r.src_host, 2);

    /* Access port: untagged in, VLAN only as the output VLAN. */
    struct flowd_sflow_flow f;
    struct in6_addr a1;
    flow(&f, 9, A, B, 0, 10);    /* On the uplink: learns nothing. */
    f.has_switch = true;
    f.out_vlan = 20;
    flowd_parse_ip("10.0.0.1", &a1);
    flowd_classify(&loc, &a1, flowd_agent_host(&loc, &a1), &f, 1000, &r);
    CHECK_EQ(r.vlan, 20);
    CHECK_EQ(r.src_tenant, 1);  /* red, by VLAN 20. */
    f.in_vlan = 10;
    flowd_classify(&loc, &a1, flowd_agent_host(&loc, &a1), &f, 1000, &r);
    CHECK_EQ(r.vlan, 10);

        /* IPv6 agent address of h2. */
    r = classify(&loc, "2001:db8::2", 1, C, B, 10);
    CHECK_EQ(r.src_host, 1);
    CHECK_EQ(r.class, FLOWD_SAME_SWITCH);

    /* Unknown agent: no learning, counted. */
    r = classify(&loc, "10.9.9.9", 1, "02:00:00:00:00:99", A, 10);
    CHECK_EQ(loc.n_unknown_agent, 1);
    CHECK_EQ(r.src_host, FLOWD_TOPO_NONE);

    /* Capacity 3: a fourth MAC evicts the least recently used. */
    classify(&loc, "10.0.0.1", 3, "02:00:00:00:00:77", A, 10);
    CHECK_EQ(loc.learned.n, 3);
    CHECK_EQ(loc.learned.evictions, 1);

    /* A reload keeps what was learned for hosts that still exist. */
    const char *smaller = "host h1 switch sw1 agent 10.0.0.1 uplink 9\n"
                          "host h3 switch sw2 agent 10.0.0.3\n";
    CHECK(flowd_locator_set_topo(&loc, parse(smaller, NULL)));
    r = classify(&loc, "10.0.0.1", 9, A, "02:00:00:00:00:77", 0);
    CHECK_EQ(r.src_host, 1);    /* h3 is now index 1. */
    CHECK_EQ(r.dst_host, 0);
    flowd_locator_destroy(&loc);
}

static struct flowd_rec
rec(const char *src, const char *dst, uint16_t sport, uint16_t dport)
{
    struct flowd_rec r;

    memset(&r, 0, sizeof r);
    flowd_parse_ip(src, &r.src_ip);
    flowd_parse_ip(dst, &r.dst_ip);
    r.src_port = sport;
    r.dst_port = dport;
    r.proto = 6;
    r.bytes = 100;
    r.packets = 1;
    r.counted = 1;
    r.time_ms = 5000;
    return r;
}

/* The padded fast path (whole 64-bit words) agrees with the byte-exact
 * one for every key length: same hash, and a key inserted unpadded is
 * found by its padded copy and the other way round. */
static void
test_hash_padded(void)
{
    uint8_t key[96], padded[104];
    uint32_t x = 12345;

    for (size_t len = 1; len <= sizeof key; len++) {
        struct flowd_table t;
        bool added;

        for (size_t i = 0; i < sizeof key; i++) {
            x = x * 1103515245 + 12345;
            key[i] = x >> 16;
        }
        memset(padded, 0, sizeof padded);
        memcpy(padded, key, len);
        CHECK_EQ(flowd_hash(key, len), flowd_hash_padded(padded, len));

        CHECK(flowd_table_init(&t, len, 8, 16));
        *(uint64_t *) flowd_table_insert(&t, key, &added) = len;
        CHECK(added);
        const uint64_t *v = flowd_table_find_padded(&t, padded,
                                                    flowd_hash_padded(padded,
                                                                      len));
        CHECK(v && *v == len);
        padded[len - 1] ^= 1;
        CHECK(!flowd_table_find_padded(&t, padded,
                                       flowd_hash_padded(padded, len)));
        padded[len - 1] ^= 1;
        flowd_table_clear(&t);
        flowd_table_insert_new_h(&t, padded, flowd_hash_padded(padded, len));
        CHECK(flowd_table_find(&t, key));
        flowd_table_destroy(&t);
    }
}

/* The sample table (flowd_agg_add_batch()) gives exactly what adding each
 * sample to each aggregation gives: the same rows in the same order, the
 * same overflow, with transit copies and an all-samples aggregation; and
 * it stays within --max-keys, rolling up early when full. */
static void
test_sample_table(void)
{
    static const char *const specs[] = {
        "class", "tenant,class,scope", "vlan", "port,vlan", "pair_host",
        "biflow", "src_mac,dst_mac", "pair_prefix,proto", "dst_port",
    };
    struct flowd_agg batch, each;
    struct flowd_rec recs[37];
    uint32_t x = 7;

    flowd_agg_init(&batch, 8, 24, 48);
    flowd_agg_init(&each, 8, 24, 48);
    for (size_t i = 0; i < (sizeof specs / sizeof *specs); i++) {
        struct flowd_agg_def def;

        CHECK_OK(flowd_agg_def_parse(specs[i], &def));
        def.all_samples = i == 3;
        CHECK(flowd_agg_add_def(&batch, &def));
        CHECK(flowd_agg_add_def(&each, &def));
    }
    for (int round = 0; round < 40; round++) {
        size_t n = round % (sizeof recs / sizeof *recs) + 1;

        for (size_t k = 0; k < n; k++) {
            char src[32], dst[32];

            x = x * 1103515245 + 12345;
            snprintf(src, sizeof src, "10.%u.0.%u", (x >> 8) % 3,
                     (x >> 12) % 5);
            snprintf(dst, sizeof dst, "10.1.0.%u", (x >> 16) % 4);
            recs[k] = rec(src, dst, 1000 + (x >> 20) % 3, 80);
            recs[k].vlan = (x >> 24) % 5;
            recs[k].class = (x >> 27) % FLOWD_N_CLASSES;
            recs[k].src_tenant = recs[k].vlan % 2;
            recs[k].intra = (x >> 30) & 1;
            recs[k].counted = (x >> 29) % 3 != 0;
            recs[k].input = (x >> 3) % 3;
            recs[k].src_mac[5] = (x >> 5) % 4;
            recs[k].bytes = 1 + (x >> 9) % 1000;
            recs[k].time_ms = 1000 + round * 40 + k;
            flowd_agg_add(&each, &recs[k]);
        }
        flowd_agg_add_batch(&batch, recs, n);
        CHECK(batch.fine.n <= batch.fine.cap);
        CHECK_EQ(batch.fine.cap, 8);
    }
    CHECK(batch.n_full_rollups > 0);
    flowd_agg_rollup(&batch);
    CHECK_EQ(batch.fine.n, 0);
    for (size_t i = 0; i < (sizeof specs / sizeof *specs); i++) {
        const struct flowd_table *a = &batch.tables[i], *b = &each.tables[i];

        CHECK_EQ(a->n, b->n);
        CHECK_EQ(batch.n_overflow[i], each.n_overflow[i]);
        CHECK(!memcmp(&batch.overflow[i], &each.overflow[i],
                      sizeof batch.overflow[i]));
        for (uint32_t r = 0; r < a->n && r < b->n; r++) {
            CHECK(!memcmp(flowd_table_key(a, r), flowd_table_key(b, r),
                          a->key_len));
            CHECK(!memcmp(flowd_table_val(a, r), flowd_table_val(b, r),
                          sizeof(struct flowd_agg_val)));
        }
    }
    CHECK(each.n_overflow[5] > 0);      /* The bound was reached. */
    flowd_agg_destroy(&batch);
    flowd_agg_destroy(&each);
}

static void
test_aggregation(void)
{
    struct flowd_agg agg;
    struct flowd_agg_def def;
    char text[256];

    CHECK_ERR(flowd_agg_def_parse("x=bogus", &def), "unknown key 'bogus'");
    CHECK_ERR(flowd_agg_def_parse("vlan,vlan", &def),
              "key 'vlan' given twice");
    CHECK_ERR(flowd_agg_def_parse("Bad=vlan", &def),
              "bad aggregation name 'Bad'");
    CHECK_ERR(flowd_agg_def_parse("", &def), "has no keys");
    CHECK_OK(flowd_agg_def_parse("pair_prefix", &def));
    CHECK_EQ(def.n_fields, 2);
    CHECK(!strcmp(def.name, "pair_prefix"));

    flowd_agg_init(&agg, 4, 24, 48);
    CHECK_OK(flowd_agg_def_parse("bi=biflow", &def));
    CHECK(flowd_agg_add_def(&agg, &def));
    CHECK_OK(flowd_agg_def_parse("src_prefix", &def));
    CHECK(flowd_agg_add_def(&agg, &def));

    struct flowd_rec r1 = rec("10.1.1.5", "10.2.2.9", 40000, 443);
    struct flowd_rec r2 = rec("10.2.2.9", "10.1.1.5", 443, 40000);
    struct flowd_rec r3 = rec("10.1.1.77", "10.2.2.9", 40001, 443);
    struct flowd_rec r4 = rec("2001:db8:1:2:3::1", "::1", 1, 2);
    flowd_agg_add(&agg, &r1);
    flowd_agg_add(&agg, &r2);
    flowd_agg_add(&agg, &r3);
    flowd_agg_add(&agg, &r4);

    /* Both directions of one 5-tuple are one bi-flow. */
    CHECK_EQ(agg.tables[0].n, 3);
    const struct flowd_agg_val *v = flowd_table_val(&agg.tables[0], 0);
    CHECK_EQ(v->bytes, 200);
    CHECK_EQ(v->samples, 2);
    struct flowd_agg_names names = { NULL, NULL };
    flowd_agg_field_format(FLOWD_AGG_BIFLOW, flowd_table_key(&agg.tables[0],
                                                             0), text,
                           sizeof text, &names);
    CHECK(!strcmp(text, "10.1.1.5:40000<->10.2.2.9:443/6"));

    /* 10.1.1.5 and 10.1.1.77 share a /24; 10.2.2.9 is another. */
    CHECK_EQ(agg.tables[1].n, 3);
    flowd_agg_field_format(FLOWD_AGG_SRC_PREFIX,
                           flowd_table_key(&agg.tables[1], 0), text,
                           sizeof text, &names);
    CHECK(!strcmp(text, "10.1.1.0/24"));
    v = flowd_table_val(&agg.tables[1], 0);
    CHECK_EQ(v->bytes, 200);
    flowd_agg_field_format(FLOWD_AGG_SRC_PREFIX,
                           flowd_table_key(&agg.tables[1], 2), text,
                           sizeof text, &names);
    CHECK(!strcmp(text, "2001:db8:1::/48"));

    /* Table of 4 keys full: new keys go to overflow, totals stay. */
    for (int i = 0; i < 5; i++) {
        char ip[32];
        snprintf(ip, sizeof ip, "10.9.%d.1", i);
        struct flowd_rec r = rec(ip, "10.2.2.9", 1, 2);
        flowd_agg_add(&agg, &r);
    }
    CHECK_EQ(agg.tables[1].n, 4);
    CHECK_EQ(agg.n_overflow[1], 4);
    CHECK_EQ(agg.overflow[1].bytes, 400);
    flowd_agg_clear(&agg);
    CHECK_EQ(agg.tables[1].n, 0);
    flowd_agg_destroy(&agg);
}

static uint16_t
get16(const uint8_t *p)
{
    return (p[0] << 8) | p[1];
}

static uint32_t
get32(const uint8_t *p)
{
    return ((uint32_t) get16(p) << 16) | get16(p + 2);
}

/* Counts data records and checks set framing; returns templates seen. */
static int
walk_ipfix(const struct ipfix_sink *s, uint32_t domain, int *records)
{
    int templates = 0;

    *records = 0;
    for (size_t m = 0; m < s->n; m++) {
        const uint8_t *p = s->msgs[m];
        CHECK_EQ(get16(p), 10);
        CHECK_EQ(get16(p + 2), s->lens[m]);
        CHECK_EQ(get32(p + 12), domain);
        for (size_t off = 16; off < s->lens[m]; ) {
            uint16_t id = get16(p + off), len = get16(p + off + 2);
            if (len < 4 || off + len > s->lens[m]) {
                fprintf(stderr, "bad set length %u\n", len);
                failures++;
                break;
            }
            if (id == 2) {
                templates++;
            } else if (id >= 256) {
                /* Test data: class aggregation records are
                 * 1 + 8 + 8 + 4 + 4 + 8 + 8 + 8. */
                if (id == 256) {
                    *records += (len - 4) / 49;
                }
            }
            off += len;
        }
    }
    return templates;
}

static void
test_interval_and_ipfix(void)
{
    struct flowd_core core;
    struct flowd_rec r = rec("10.0.0.1", "10.0.0.2", 1, 2);

    CHECK_OK(flowd_core_init(&core, 16, 1000, 1000, 24, 64));
    CHECK_OK(flowd_core_add_agg(&core, "hosts=pair_host"));
    CHECK_ERR(flowd_core_add_agg(&core, "hosts=vlan"), "used twice");
    CHECK(flowd_locator_set_topo(&core.loc, parse(topology, NULL)));
    for (int c = 0; c < FLOWD_N_CLASSES; c++) {
        r.class = c;
        r.src_tenant = c % 2;
        flowd_agg_add(&core.agg, &r);
    }
    struct flowd_rec r6 = rec("2001:db8::1", "2001:db8::2", 1, 2);
    flowd_agg_add(&core.agg, &r6);

    struct flowd_interval *iv = flowd_interval_snapshot(&core.agg,
                                                        core.loc.topo,
                                                        0, 60000);
    /* The report's tenant table: classes per tenant and scope. */
    char *html = NULL;
    size_t html_len = 0;
    FILE *mem = open_memstream(&html, &html_len);
    struct flowd_interval *ivs[1] = { iv };
    flowd_output_html(mem, ivs, 1, 10, "test", NULL);
    fclose(mem);
    CHECK(strstr(html, "<tr><td>blue</td><td>leaving tenant</td><td>200</td>"
                 "<td>0</td><td>100</td><td>0</td><td>100</td></tr>"));
    CHECK(strstr(html, "<tr><td>red</td><td>leaving tenant</td><td>0</td>"
                 "<td>100</td><td>0</td><td>100</td><td>0</td></tr>"));
    CHECK(strstr(html, "<svg") && strstr(html, "same_switch"));
    free(html);

    char dir[] = "/tmp/test-flowd.XXXXXX";
    CHECK(mkdtemp(dir) != NULL);
    CHECK_EQ(flowd_interval_save(iv, dir), 0);
    char path[512];
    snprintf(path, sizeof path, "%s/0000000000000.interval", dir);
    char *error;
    struct flowd_interval *back = flowd_interval_load(path, &error);
    CHECK(back != NULL);
    if (!back) {
        fprintf(stderr, "%s\n", error);
        free(error);
    }
    if (back) {
        CHECK_EQ(back->n_aggs, iv->n_aggs);
        CHECK_EQ(back->end_ms, 60000);
        CHECK_EQ(back->n_tenants, 2);
        CHECK(!strcmp(flowd_interval_tenant(back, 1), "red"));
        const struct flowd_interval_agg *h = flowd_interval_find(back,
                                                                 "hosts");
        CHECK(h && h->n_rows == 2);
        CHECK(h && h->vals[0].bytes == 500);
        /* A damaged file whose "tenant" has other keys is not read as
         * the built-in one (the report would read past its keys). */
        struct flowd_interval_agg *t = (struct flowd_interval_agg *)
                                 flowd_interval_find(back, "tenant");
        CHECK(flowd_interval_builtin(back, "tenant") == t);
        t->def.fields[0] = FLOWD_AGG_CLASS;
        t->def.fields[1] = FLOWD_AGG_SCOPE;
        t->def.n_fields = 2;
        t->def.key_len = 2;
        CHECK(flowd_interval_builtin(back, "tenant") == NULL);
        flowd_interval_keep(back, flowd_builtin_names);
        CHECK_EQ(back->n_aggs, 4);
        CHECK(flowd_interval_find(back, "hosts") == NULL);
        CHECK(flowd_interval_find(back, "port_vlan") != NULL);
        flowd_interval_free(back);
    }
    /* Every truncation of the file is refused. */
    size_t len;
    char *data;
    CHECK_EQ(flowd_file_read(path, &data, &len), 0);
    if (data) {
        save_seed("interval", data, len);
    }
    for (size_t n = 0; data && n < len; n += 7) {
        struct flowd_interval *bad = flowd_interval_decode(data, n, &error);
        CHECK(bad == NULL && error != NULL);
        flowd_interval_free(bad);
        free(error);
    }
    free(data);
    unlink(path);
    rmdir(dir);

    /* IPFIX: one default upstream gets all; a rule takes class=core. */
    struct flowd_ipfix_exporter exp = { .domain = 7 };
    CHECK_OK(flowd_ipfix_add_upstream(&exp, "127.0.0.1:9"));
    CHECK_OK(flowd_ipfix_add_upstream(&exp, "[::1]:9,class=core"));
    CHECK_ERR(flowd_ipfix_add_upstream(&exp, "127.0.0.1"),
              "bad IPFIX upstream '127.0.0.1' (HOST:PORT)");
    CHECK_ERR(flowd_ipfix_add_upstream(&exp, "127.0.0.1:9,colour=red"),
              "unknown rule field 'colour'");
    CHECK_ERR(flowd_ipfix_add_upstream(&exp,
                                       "127.0.0.1:9,src_host=10.0.0.0/33"),
              "bad prefix length in rule 'src_host=10.0.0.0/33'");
    static struct ipfix_sink s0, s1;
    int records;
    CHECK(flowd_ipfix_encode(&exp, 0, iv, 1234, ipfix_sink_collect, &s0));
    CHECK(flowd_ipfix_encode(&exp, 1, iv, 1234, ipfix_sink_collect, &s1));
    CHECK(walk_ipfix(&s0, 7, &records) >= 4);
    CHECK_EQ(records, 4);       /* Class rows but core. */
    walk_ipfix(&s1, 7, &records);
    CHECK_EQ(records, 1);
    CHECK_EQ(exp.ups[0].seq, exp.ups[0].n_records);
    /* Template 256 (class, IPv4 variant): enterprise IE 1 of our PEN. */
    const uint8_t *t = s1.msgs[0] + 16;
    CHECK_EQ(get16(t), 2);
    CHECK_EQ(get16(t + 4), 256);
    CHECK_EQ(get16(t + 6), 8);
    CHECK_EQ(get16(t + 8), 0x8001);
    CHECK_EQ(get32(t + 12), FLOWD_IPFIX_PEN);
    CHECK_EQ(get16(t + 16), 1);     /* octetDeltaCount. */
    flowd_ipfix_close(&exp);

    flowd_interval_free(iv);
    flowd_core_destroy(&core);
}

static void
test_plan(void)
{
    struct flowd_plan_params p;
    struct flowd_plan_result r;

    flowd_plan_defaults(&p);
    p.pps = 1e6;
    p.flows = 1000;

    /* One-packet flows at 1:1 are all sampled: f = c * f_all. */
    p.rate = 1;
    p.max_packets = 1;
    CHECK_OK(flowd_plan(&p, &r));
    CHECK_NEAR(r.flows_sampled, 500, 1e-9);

    /* By hand: x = 1, 2 at 1:2; 2^-1.73 = 0.30145196.
     * f = 1000 (0.5 * 0.5 + 0.75 * 0.5 * 0.30145196) = 363.0444. */
    p.rate = 2;
    p.max_packets = 2;
    CHECK_OK(flowd_plan(&p, &r));
    CHECK_NEAR(r.flows_sampled, 363.0444, 1e-3);
    CHECK_NEAR(r.p_sum, 0.650726, 1e-5);
    /* mean = (1 * 0.5 + 2 * 0.15072598) / 0.65072598 = 1.23162742. */
    CHECK_NEAR(r.mean_packets, 1.23162742, 1e-7);

    /* Derived f_all: 1e6 pps * 60 s / mean. */
    p.flows = 0;
    CHECK_OK(flowd_plan(&p, &r));
    CHECK_NEAR(r.flows_all, 6e7 / 1.23162742, 5);
    CHECK_NEAR(r.samples_per_s, 5e5, 1e-6);

    /* 1e10 pps at 1:1000 = 1e7 samples/s: 5 leaves of 2e6, then 1. */
    p.pps = 1e10;
    p.rate = 1000;
    CHECK_OK(flowd_plan(&p, &r));
    CHECK_EQ(r.levels, 2);
    CHECK_NEAR(r.collectors[0], 5, 0);
    CHECK_NEAR(r.collectors[1], 1, 0);

    p.rate = 0.5;
    CHECK_ERR(flowd_plan(&p, &r), "rate >= 1");
}

/* Placement advice on a matrix whose best moves are worked out by hand:
 * A-B 1000 bytes across the core, E-F 100 across edge switch sw0, B-G 50
 * and C-D 30 within a host; at most 3 VMs per host. */
static void
test_advise(void)
{
    static const char text[] =
        "host h0 switch sw0\nhost h1 switch sw0\n"
        "host h2 switch sw1\nhost h3 switch sw1\n"
        "mac 02:00:00:00:00:0a host h0\nmac 02:00:00:00:00:0b host h2\n"
        "mac 02:00:00:00:00:0c host h1\nmac 02:00:00:00:00:0d host h1\n"
        "mac 02:00:00:00:00:0e host h0\nmac 02:00:00:00:00:0f host h1\n"
        "mac 02:00:00:00:00:10 host h2\n"
        "gateway 02:00:00:00:00:fe\n";
    uint8_t mA[6] = { 2, 0, 0, 0, 0, 0xa }, mB[6] = { 2, 0, 0, 0, 0, 0xb };
    uint8_t mC[6] = { 2, 0, 0, 0, 0, 0xc }, mD[6] = { 2, 0, 0, 0, 0, 0xd };
    uint8_t mE[6] = { 2, 0, 0, 0, 0, 0xe }, mF[6] = { 2, 0, 0, 0, 0, 0xf };
    uint8_t mG[6] = { 2, 0, 0, 0, 0, 0x10 }, mGW[6] = { 2, 0, 0, 0, 0, 0xfe };
    uint8_t mX[6] = { 2, 0, 0, 0, 0, 0x99 };

    for (int variant = 0; variant < 2; variant++) {
        struct flowd_topo *t = flowd_topo_create();
        struct flowd_advise adv;
        struct flowd_advise_pair *rank;
        struct flowd_advise_move *moves;
        bool may[4] = { true, true, false, true };   /* Not h2. */
        struct flowd_advise_limits lim = { 5, 3, variant ? may : NULL };

        CHECK_OK(flowd_topo_parse(t, text, strlen(text), "advise"));
        CHECK(flowd_advise_init(&adv, t, 1000));
        flowd_advise_add(&adv, mA, mB, 600);
        flowd_advise_add(&adv, mB, mA, 400);      /* Both directions. */
        flowd_advise_add(&adv, mE, mF, 100);
        flowd_advise_add(&adv, mB, mG, 50);
        flowd_advise_add(&adv, mC, mD, 30);
        flowd_advise_add(&adv, mA, mGW, 7);       /* Not VM pairs. */
        flowd_advise_add(&adv, mA, mX, 5);
        CHECK_EQ(adv.skipped_bytes, 12);

        size_t n = flowd_advise_rank(&adv, &rank);
        CHECK_EQ(n, 2);
        CHECK(n == 2 && rank[0].bytes == 1000 && rank[0].class == FLOWD_CORE
              && rank[1].bytes == 100
              && rank[1].class == FLOWD_SAME_SWITCH);
        free(rank);

        n = flowd_advise_moves(&adv, &lim, &moves);
        if (!variant) {
            /* A joins B on h2 (B would leave G); then h1 is full, so F
             * joins E on h0; then nothing helps. */
            CHECK_EQ(n, 2);
            CHECK(n >= 1 && !memcmp(adv.macs[moves[0].vm], mA, 6)
                  && moves[0].from == 0 && moves[0].to == 2);
            CHECK(n >= 1 && moves[0].before[0] == 80
                  && moves[0].before[1] == 100 && moves[0].before[2] == 1000
                  && moves[0].after[0] == 1080 && moves[0].after[1] == 100
                  && moves[0].after[2] == 0);
            CHECK(n >= 2 && !memcmp(adv.macs[moves[1].vm], mF, 6)
                  && moves[1].from == 1 && moves[1].to == 0
                  && moves[1].after[0] == 1180 && moves[1].after[1] == 0);
        } else {
            /* h2 may not receive: B joins A on h0 (costing B-G), after
             * which the hosts near B and G are full. */
            CHECK_EQ(n, 1);
            CHECK(n >= 1 && !memcmp(adv.macs[moves[0].vm], mB, 6)
                  && moves[0].from == 2 && moves[0].to == 0
                  && moves[0].after[0] == 1030 && moves[0].after[1] == 100
                  && moves[0].after[2] == 50);
        }
        free(moves);
        flowd_advise_destroy(&adv);
        flowd_topo_destroy(t);
    }
}

/* Interface counters from counter samples: one line per interface and
 * direction, octets and errors each from their own field. */
static void
test_if_metrics(void)
{
    struct flowd_sflow_counters c = { .has_if = true };
    struct flowd_metrics m;
    struct in6_addr agent = IN6ADDR_ANY_INIT;
    char *text = NULL;
    size_t len = 0;
    FILE *f;

    CHECK(flowd_metrics_init(&m, 4));
    agent.s6_addr[10] = agent.s6_addr[11] = 0xff;
    agent.s6_addr[12] = 192;
    agent.s6_addr[13] = 0;
    agent.s6_addr[14] = 2;
    agent.s6_addr[15] = 1;
    c.ifc.ifindex = 7;
    c.ifc.in_octets = 1000;
    c.ifc.out_octets = 5000000000ULL;
    c.ifc.in_errors = 3;
    c.ifc.out_errors = 4;
    flowd_metrics_counters(&m, &agent, &c);

    f = open_memstream(&text, &len);
    flowd_metrics_write(f, &m);
    fclose(f);
    CHECK(strstr(text,
                 "l2mt_flowd_if_octets{agent=\"192.0.2.1\",ifindex=\"7\","
                 "direction=\"in\"} 1000\n"));
    CHECK(strstr(text,
                 "l2mt_flowd_if_octets{agent=\"192.0.2.1\",ifindex=\"7\","
                 "direction=\"out\"} 5000000000\n"));
    CHECK(strstr(text,
                 "l2mt_flowd_if_errors{agent=\"192.0.2.1\",ifindex=\"7\","
                 "direction=\"in\"} 3\n"));
    CHECK(strstr(text,
                 "l2mt_flowd_if_errors{agent=\"192.0.2.1\",ifindex=\"7\","
                 "direction=\"out\"} 4\n"));
    free(text);
    flowd_metrics_destroy(&m);
}

int
main(void)
{
    test_topology();
    test_locality();
    test_hash_padded();
    test_aggregation();
    test_sample_table();
    test_interval_and_ipfix();
    test_plan();
    test_advise();
    test_if_metrics();
    return check_report("test-flowd");
}
