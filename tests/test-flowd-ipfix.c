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

/* The IPFIX collecting process (lib/flowd/flowd-ipfix-in.c): flowd reads its
 * own export back exactly (every key field, both address families), a metering
 * process's flow records, template withdrawal and expiry, sequence-number
 * loss, TCP framing, bad input by reason, and its bounds. */

#include <config.h>

#include <arpa/inet.h>
#include <inttypes.h>
#include <malloc.h>
#include <poll.h>
#include <signal.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "flowd-check.h"
#include "ipfix-sink.h"
#include "flowd/flowd-core.h"
#include "flowd/flowd-interval.h"
#include "flowd/flowd-ipfix-in.h"
#include "flowd/flowd-topo.h"
#include "flowd/ipfix.h"

static const char topology[] =
    "host h1 switch sw1 agent 10.0.0.1 uplink 9\n"
    "host h2 switch sw1 agent 10.0.0.2 uplink 9\n"
    "host h3 switch sw2 agent 10.0.0.3 uplink 9\n"
    "gateway 02:00:00:00:00:fe\n"
    "tenant blue key 100 vlan 10\n"
    "tenant red key 200 vlan 20\n"
    "mac 02:00:00:00:00:01 host h1 tenant blue vlan 10\n"
    "mac 02:00:00:00:00:02 host h2 tenant blue vlan 10\n"
    "mac 02:00:00:00:00:03 host h3 tenant red vlan 20\n";

static const char *const extra_aggs[] = {
    "hosts=pair_host", "bi=biflow", "macs=src_mac,dst_mac,vlan",
    "nets=pair_prefix", "ports=port,proto,src_port,dst_port", NULL,
};

static void
core_init(struct flowd_core *core, bool extra)
{
    struct flowd_topo *t = flowd_topo_create();

    CHECK_OK(flowd_core_init(core, 64, 1000, 1000, 16, 48));
    for (int i = 0; extra && extra_aggs[i]; i++) {
        CHECK_OK(flowd_core_add_agg(core, extra_aggs[i]));
    }
    CHECK_OK(flowd_topo_parse(t, topology, strlen(topology), "topo"));
    flowd_locator_set_topo(&core->loc, t);
}

/* A collector on a core with the test topology, as most cases want it. */
struct fixture {
    struct flowd_core core;
    struct flowd_ipfix_in_collector *c;
    const struct flowd_ipfix_in_stats *st;
};

static void
fixture_init(struct fixture *fx, struct flowd_ipfix_in_config cfg)
{
    char *error;

    core_init(&fx->core, false);
    fx->c = flowd_ipfix_in_create(&fx->core, &cfg, &error);
    if (!fx->c) {
        fprintf(stderr, "flowd_ipfix_in_create: %s\n", error);
        exit(EXIT_FAILURE);
    }
    fx->st = flowd_ipfix_in_get_stats(fx->c);
}

static void
fixture_destroy(struct fixture *fx)
{
    flowd_ipfix_in_destroy(fx->c);
    flowd_core_destroy(&fx->core);
}

static struct flowd_rec
rec(const char *src, const char *dst, int class, uint16_t tenant,
    uint64_t bytes)
{
    struct flowd_rec r;

    memset(&r, 0, sizeof r);
    flowd_parse_ip(src, &r.src_ip);
    flowd_parse_ip(dst, &r.dst_ip);
    flowd_parse_ip(strchr(src, ':') ? "2001:db8::99" : "10.0.0.1",
                   &r.agent);
    r.ip_version = strchr(src, ':') ? 6 : 4;
    r.src_port = 40000 + bytes % 7;
    r.dst_port = 443;
    r.proto = 6;
    r.bytes = bytes;
    r.packets = bytes / 100 + 1;
    r.counted = 1;
    r.time_ms = 5000 + bytes;
    r.class = class;
    r.src_tenant = r.dst_tenant = tenant;
    r.intra = tenant != FLOWD_TOPO_NONE;
    r.vlan = tenant == 0 ? 10 : 20;
    r.input = 3 + class;
    r.src_mac[5] = 1 + class;
    r.dst_mac[5] = 2;
    return r;
}

static const struct sockaddr *
addr(const char *ip, uint16_t port, socklen_t *len)
{
    static struct sockaddr_in sin;

    memset(&sin, 0, sizeof sin);
    sin.sin_family = AF_INET;
    sin.sin_port = htons(port);
    inet_pton(AF_INET, ip, &sin.sin_addr);
    *len = sizeof sin;
    return (const struct sockaddr *) &sin;
}

static void
feed(struct flowd_ipfix_in_collector *c, const char *ip, const uint8_t *m,
     size_t len,
     uint64_t now)
{
    socklen_t alen;
    const struct sockaddr *a = addr(ip, 4739, &alen);

    flowd_ipfix_in_datagram(c, a, alen, m, len, now);
}

/* Every row of every aggregation of 'a' is in 'b' with the same counts. */
static void
check_same(const struct flowd_interval *a, const struct flowd_interval *b)
{
    CHECK_EQ(a->n_aggs, b->n_aggs);
    for (uint32_t i = 0; i < a->n_aggs && i < b->n_aggs; i++) {
        const struct flowd_interval_agg *x = &a->aggs[i], *y = &b->aggs[i];
        uint64_t bytes = 0;

        if (x->n_rows != y->n_rows) {
            fprintf(stderr, "%s: %u rows, read back %u\n", x->def.name,
                    x->n_rows, y->n_rows);
            failures++;
        }
        for (uint32_t r = 0; r < x->n_rows; r++) {
            const uint8_t *k = x->keys + (size_t) r * x->def.key_len;
            bool found = false;
            for (uint32_t q = 0; q < y->n_rows; q++) {
                if (!memcmp(k, y->keys + (size_t) q * y->def.key_len,
                            x->def.key_len)) {
                    found = true;
                    CHECK_EQ(y->vals[q].bytes, x->vals[r].bytes);
                    CHECK_EQ(y->vals[q].packets, x->vals[r].packets);
                    CHECK_EQ(y->vals[q].samples, x->vals[r].samples);
                    CHECK_EQ(y->vals[q].first_ms, x->vals[r].first_ms);
                    CHECK_EQ(y->vals[q].last_ms, x->vals[r].last_ms);
                }
            }
            if (!found) {
                fprintf(stderr, "%s: row %u not read back\n", x->def.name,
                        r);
                failures++;
            }
            bytes += x->vals[r].bytes;
        }
        CHECK(bytes > 0);
    }
}

static void
test_own_export(void)
{
    struct flowd_core lower, upper;
    static struct ipfix_sink sink;

    core_init(&lower, true);
    core_init(&upper, true);
    struct flowd_rec rs[] = {
        rec("10.1.1.1", "10.2.2.2", FLOWD_SAME_HOST, 0, 1500),
        rec("10.1.1.1", "10.2.2.2", FLOWD_SAME_HOST, 0, 700),
        rec("10.2.2.2", "10.1.1.1", FLOWD_CORE, 1, 64),
        rec("10.9.1.1", "10.3.3.3", FLOWD_INTERNET, FLOWD_TOPO_NONE, 9000),
        rec("2001:db8:1::1", "2001:db8:2::2", FLOWD_SAME_SWITCH, 1, 1280),
    };
    for (size_t i = 0; i < sizeof rs / sizeof *rs; i++) {
        flowd_agg_add(&lower.agg, &rs[i]);
    }
    struct flowd_interval *iv = flowd_interval_snapshot(&lower.agg,
                                                        lower.loc.topo,
                                                        0, 60000);
    struct flowd_ipfix_exporter exp = { .domain = 5 };
    CHECK_OK(flowd_ipfix_add_upstream(&exp, "127.0.0.1:9"));
    CHECK(flowd_ipfix_encode(&exp, 0, iv, 1234, ipfix_sink_collect, &sink));
    CHECK(sink.n >= 1);

    struct flowd_ipfix_in_config cfg = { 16, 64, 1800 };
    char *error;
    struct flowd_ipfix_in_collector *c = flowd_ipfix_in_create(&upper, &cfg,
                                                               &error);
    CHECK(c != NULL);
    free(error);
    for (size_t i = 0; i < sink.n; i++) {
        save_seed(i ? "ipfix-own-1" : "ipfix-own-0", sink.msgs[i],
                  sink.lens[i]);
        feed(c, "127.0.0.1", sink.msgs[i], sink.lens[i], 70000);
    }
    const struct flowd_ipfix_in_stats *st = flowd_ipfix_in_get_stats(c);
    for (int e = 0; e < FLOWD_IPFIX_IN_N_ERRORS; e++) {
        CHECK_EQ(st->errors[e], 0);
    }
    CHECK_EQ(st->flow_records, 0);
    CHECK_EQ(st->aggregate_records, exp.ups[0].n_records);
    CHECK_EQ(st->lost_records, 0);
    struct flowd_interval *back = flowd_interval_snapshot(&upper.agg,
                                                          upper.loc.topo,
                                                          60000, 120000);
    check_same(iv, back);
    flowd_interval_free(back);

    /* The same again, one message with data records left out: they are
     * lost. */
    struct ipfix_sink again;
    again.n = 0;
    CHECK(flowd_ipfix_encode(&exp, 0, iv, 1235, ipfix_sink_collect, &again));
    size_t k = 1;
    while (k + 1 < again.n && ntohl(*(uint32_t *) (again.msgs[k + 1] + 8))
                              == ntohl(*(uint32_t *) (again.msgs[k] + 8))) {
        k++;
    }
    CHECK(k + 1 < again.n);
    uint32_t s1 = ntohl(*(uint32_t *) (again.msgs[k] + 8));
    uint32_t s2 = ntohl(*(uint32_t *) (again.msgs[k + 1] + 8));
    for (size_t i = 0; i < again.n; i++) {
        if (i != k) {
            feed(c, "127.0.0.1", again.msgs[i], again.lens[i], 71000);
        }
    }
    CHECK(s2 > s1);
    CHECK_EQ(st->lost_records, s2 - s1);
    CHECK_EQ(st->domains[0].domain, 5);
    CHECK_EQ(st->domains[0].lost, s2 - s1);

    /* An upper tier without 'hosts' counts those records as unmatched. */
    struct flowd_core plain;
    core_init(&plain, false);
    struct flowd_ipfix_in_collector *pc = flowd_ipfix_in_create(&plain, &cfg,
                                                                &error);
    free(error);
    for (size_t i = 0; i < sink.n; i++) {
        feed(pc, "127.0.0.1", sink.msgs[i], sink.lens[i], 70000);
    }
    CHECK(flowd_ipfix_in_get_stats(pc)
              ->errors[FLOWD_IPFIX_IN_UNMATCHED_AGGREGATE] > 0);
    /* ... but its built-in aggregations are still exact. */
    CHECK_EQ(plain.agg.tables[0].n, lower.agg.tables[0].n);
    flowd_ipfix_in_destroy(pc);
    flowd_core_destroy(&plain);

    /* Every truncation and every one-byte change: no crash, counted. */
    for (size_t i = 0; i < sink.n; i++) {
        for (size_t n = 0; n < sink.lens[i]; n += 3) {
            uint8_t m[FLOWD_IPFIX_MTU];
            memcpy(m, sink.msgs[i], n);
            feed(c, "127.0.0.2", m, n, 72000);
            memcpy(m, sink.msgs[i], sink.lens[i]);
            m[n] ^= 0x5a;
            feed(c, "127.0.0.3", m, sink.lens[i], 72000);
        }
    }
    CHECK(st->errors[FLOWD_IPFIX_IN_SHORT_MESSAGE] > 0);
    CHECK(st->errors[FLOWD_IPFIX_IN_BAD_LENGTH] > 0);
    CHECK(st->errors[FLOWD_IPFIX_IN_BAD_VERSION] > 0);
    CHECK(st->errors[FLOWD_IPFIX_IN_SET_TRUNCATED] > 0);

    flowd_ipfix_in_destroy(c);
    flowd_ipfix_close(&exp);
    flowd_interval_free(iv);
    flowd_core_destroy(&lower);
    flowd_core_destroy(&upper);
}

/* A hand-built message. */
struct msg {
    uint8_t b[2048];
    size_t n;
    size_t set;
};

static void
put8(struct msg *m, uint8_t v)
{
    m->b[m->n++] = v;
}

static void
put16(struct msg *m, uint16_t v)
{
    put8(m, v >> 8);
    put8(m, v);
}

static void
put32(struct msg *m, uint32_t v)
{
    put16(m, v >> 16);
    put16(m, v);
}

static void
put64(struct msg *m, uint64_t v)
{
    put32(m, v >> 32);
    put32(m, v);
}

static void
msg_start(struct msg *m, uint32_t seq, uint32_t domain)
{
    m->n = 0;
    put16(m, 10);
    put16(m, 0);
    put32(m, 1000);
    put32(m, seq);
    put32(m, domain);
}

static void
set_start(struct msg *m, uint16_t id)
{
    m->set = m->n;
    put16(m, id);
    put16(m, 0);
}

static void
set_end(struct msg *m)
{
    m->b[m->set + 2] = (m->n - m->set) >> 8;
    m->b[m->set + 3] = m->n - m->set;
}

static size_t
msg_end(struct msg *m)
{
    m->b[2] = m->n >> 8;
    m->b[3] = m->n;
    return m->n;
}

/* Open vSwitch's kind of template: MACs, VLAN, counts. */
static void
put_ovs_template(struct msg *m, uint16_t tid)
{
    set_start(m, 2);
    put16(m, tid);
    put16(m, 6);
    put16(m, 56); put16(m, 6);      /* sourceMacAddress */
    put16(m, 80); put16(m, 6);      /* destinationMacAddress */
    put16(m, 58); put16(m, 2);      /* vlanId */
    put16(m, 10); put16(m, 4);      /* ingressInterface */
    put16(m, 2); put16(m, 8);       /* packetDeltaCount */
    put16(m, 352); put16(m, 8);     /* layer2OctetDeltaCount */
    set_end(m);
}

static void
put_ovs_record(struct msg *m, uint8_t src, uint8_t dst, uint64_t packets,
               uint64_t octets)
{
    static const uint8_t mac[6] = { 2, 0, 0, 0, 0, 0 };

    for (int i = 0; i < 5; i++) {
        put8(m, mac[i]);
    }
    put8(m, src);
    for (int i = 0; i < 5; i++) {
        put8(m, mac[i]);
    }
    put8(m, dst);
    put16(m, 10);
    put32(m, 1);
    put64(m, packets);
    put64(m, octets);
}

static void
test_flows_and_templates(void)
{
    struct fixture fx;
    struct msg m;

    fixture_init(&fx, (struct flowd_ipfix_in_config) { 2, 2, 60 });

    /* Template, an options template and two flows (h1 -> h2, same switch;
     * h1 -> h3, core) from host h1's address. */
    msg_start(&m, 0, 3);
    put_ovs_template(&m, 300);
    set_start(&m, 3);
    put16(&m, 301);
    put16(&m, 2);
    put16(&m, 1);                   /* Scope count. */
    put16(&m, 149); put16(&m, 4);   /* observationDomainId (scope). */
    put16(&m, 41); put16(&m, 8);    /* exportedMessageTotalCount. */
    set_end(&m);
    set_start(&m, 300);
    put_ovs_record(&m, 1, 2, 10, 15000);
    put_ovs_record(&m, 1, 3, 2, 128);
    set_end(&m);
    set_start(&m, 301);
    put32(&m, 3);
    put64(&m, 99);
    set_end(&m);
    save_seed("ipfix-ovs", m.b, m.n);
    feed(fx.c, "10.0.0.1", m.b, msg_end(&m), 1000);
    CHECK_EQ(fx.st->flow_records, 2);
    CHECK_EQ(fx.st->option_records, 1);
    CHECK_EQ(flowd_ipfix_in_n_templates(fx.c), 2);
    uint8_t key = FLOWD_SAME_SWITCH;
    struct flowd_agg_val *v = flowd_table_find(&fx.core.agg.tables[0], &key);
    CHECK(v && v->bytes == 15000 && v->packets == 10 && v->samples == 1);
    key = FLOWD_CORE;
    v = flowd_table_find(&fx.core.agg.tables[0], &key);
    CHECK(v && v->bytes == 128 && v->packets == 2);

    /* Withdrawn: its data is now a data set without a template. */
    msg_start(&m, 3, 3);
    set_start(&m, 2);
    put16(&m, 300);
    put16(&m, 0);
    set_end(&m);
    feed(fx.c, "10.0.0.1", m.b, msg_end(&m), 2000);
    CHECK_EQ(fx.st->templates_withdrawn, 1);
    CHECK_EQ(flowd_ipfix_in_n_templates(fx.c), 1);
    msg_start(&m, 3, 3);
    set_start(&m, 300);
    put_ovs_record(&m, 1, 2, 10, 15000);
    set_end(&m);
    feed(fx.c, "10.0.0.1", m.b, msg_end(&m), 2000);
    CHECK_EQ(fx.st->errors[FLOWD_IPFIX_IN_NO_TEMPLATE], 1);
    CHECK_EQ(fx.st->flow_records, 2);

    /* Sent again, then not refreshed for the lifetime: expired. */
    msg_start(&m, 3, 3);
    put_ovs_template(&m, 300);
    feed(fx.c, "10.0.0.1", m.b, msg_end(&m), 30000);
    CHECK_EQ(flowd_ipfix_in_n_templates(fx.c), 2);
    flowd_ipfix_in_expire(fx.c, 65000); /* 301 (seen at 1 s) is past 60 s. */
    CHECK_EQ(fx.st->templates_expired, 1);
    CHECK_EQ(flowd_ipfix_in_n_templates(fx.c), 1);
    flowd_ipfix_in_expire(fx.c, 95000);
    CHECK_EQ(fx.st->templates_expired, 2);
    CHECK_EQ(flowd_ipfix_in_n_sources(fx.c), 0); /* Idle and empty: gone. */

    /* At most 2 templates per source: the least recent are evicted. */
    msg_start(&m, 0, 3);
    for (uint16_t t = 400; t < 405; t++) {
        put_ovs_template(&m, t);
    }
    feed(fx.c, "10.0.0.1", m.b, msg_end(&m), 100000);
    CHECK_EQ(flowd_ipfix_in_n_templates(fx.c), 2);
    CHECK_EQ(fx.st->templates_evicted, 3);

    /* At most 2 sources: a third evicts the least recently heard. */
    feed(fx.c, "10.0.0.2", m.b, m.n, 100001);
    feed(fx.c, "10.0.0.3", m.b, m.n, 100002);
    CHECK_EQ(flowd_ipfix_in_n_sources(fx.c), 2);
    CHECK_EQ(fx.st->sources_evicted, 1);

    /* Bad set ID; a set running past the end. */
    msg_start(&m, 0, 3);
    set_start(&m, 7);
    put32(&m, 0);
    set_end(&m);
    feed(fx.c, "10.0.0.2", m.b, msg_end(&m), 100003);
    CHECK_EQ(fx.st->errors[FLOWD_IPFIX_IN_BAD_SET_ID], 1);
    msg_start(&m, 0, 3);
    put16(&m, 300);
    put16(&m, 40);
    put32(&m, 0);
    feed(fx.c, "10.0.0.2", m.b, msg_end(&m), 100003);
    CHECK_EQ(fx.st->errors[FLOWD_IPFIX_IN_SET_TRUNCATED], 1);

    fixture_destroy(&fx);
}

/* A record libfixbuf cannot read (l2mtTenantName, a string, sent with a
 * fixed length) ends its message early; once its template has expired, the
 * next message must not be read with it (libfixbuf went on in the old set
 * with the freed template: SIGFPE in fBufNext(), found by fuzzing). */
static void
test_unread_record_then_expiry(void)
{
    struct fixture fx;
    struct msg m;

    fixture_init(&fx, (struct flowd_ipfix_in_config) { 2, 4, 60 });

    msg_start(&m, 0, 3);
    set_start(&m, 2);
    put16(&m, 500);
    put16(&m, 2);
    put16(&m, 0x8000 | 3); put16(&m, 4);    /* l2mtTenantName, fixed. */
    put32(&m, FLOWD_IPFIX_PEN);
    put16(&m, 2); put16(&m, 8);             /* packetDeltaCount */
    set_end(&m);
    set_start(&m, 500);
    for (int i = 0; i < 3; i++) {
        put32(&m, 0x41424344);
        put64(&m, 1);
    }
    set_end(&m);
    feed(fx.c, "10.0.0.1", m.b, msg_end(&m), 1000);
    CHECK_EQ(fx.st->flow_records, 0);
    CHECK_EQ(fx.st->errors[FLOWD_IPFIX_IN_BAD_TEMPLATE]
             + fx.st->errors[FLOWD_IPFIX_IN_DECODE], 1);

    /* Another template keeps the source; 500 expires. */
    msg_start(&m, 0, 3);
    put_ovs_template(&m, 300);
    feed(fx.c, "10.0.0.1", m.b, msg_end(&m), 40000);
    flowd_ipfix_in_expire(fx.c, 65000);
    CHECK_EQ(fx.st->templates_expired, 1);
    CHECK_EQ(flowd_ipfix_in_n_sources(fx.c), 1);

    /* 500 defined again, as Open vSwitch's kind, with a record. */
    msg_start(&m, 0, 3);
    put_ovs_template(&m, 500);
    set_start(&m, 500);
    put_ovs_record(&m, 1, 2, 10, 15000);
    set_end(&m);
    feed(fx.c, "10.0.0.1", m.b, msg_end(&m), 65000);
    CHECK_EQ(fx.st->flow_records, 1);

    fixture_destroy(&fx);
}

/* libfixbuf keeps a template table per observation domain for as long as
 * the session lives: one source cycling through new domain IDs grew the
 * heap without bound (issue 17).  Domains past the bound are refused. */
static void
test_domain_bound(void)
{
    struct fixture fx;
    struct msg m;

    fixture_init(&fx, (struct flowd_ipfix_in_config) { 2, 4, 60 });

    /* A legitimate domain with its template first. */
    msg_start(&m, 0, 3);
    put_ovs_template(&m, 300);
    feed(fx.c, "10.0.0.1", m.b, msg_end(&m), 1000);

    for (uint32_t d = 1000; d < 1000 + 4 * FLOWD_IPFIX_IN_MAX_DOMAINS; d++) {
        msg_start(&m, 0, d);
        feed(fx.c, "10.0.0.1", m.b, msg_end(&m), 2000);
    }
    CHECK_EQ(flowd_ipfix_in_n_domains(fx.c), FLOWD_IPFIX_IN_MAX_DOMAINS);
    CHECK_EQ(fx.st->errors[FLOWD_IPFIX_IN_TOO_MANY_DOMAINS],
             3 * FLOWD_IPFIX_IN_MAX_DOMAINS + 1);
    CHECK_EQ(flowd_ipfix_in_n_sources(fx.c), 1);

    /* The known domain still works. */
    msg_start(&m, 0, 3);
    set_start(&m, 300);
    put_ovs_record(&m, 1, 2, 10, 15000);
    set_end(&m);
    feed(fx.c, "10.0.0.1", m.b, msg_end(&m), 3000);
    CHECK_EQ(fx.st->flow_records, 1);

    /* Another source has its own domains. */
    msg_start(&m, 0, 5000);
    feed(fx.c, "10.0.0.2", m.b, msg_end(&m), 3000);
    CHECK_EQ(flowd_ipfix_in_n_domains(fx.c), FLOWD_IPFIX_IN_MAX_DOMAINS + 1);
    CHECK_EQ(fx.st->errors[FLOWD_IPFIX_IN_TOO_MANY_DOMAINS],
             3 * FLOWD_IPFIX_IN_MAX_DOMAINS + 1);

    fixture_destroy(&fx);
}

/* A message of domain 'domain' with (if 'tmpl') Open vSwitch's kind of
 * template 'tid' and one record of it. */
static size_t
ovs_message(struct msg *m, uint32_t seq, uint32_t domain, uint16_t tid,
            bool tmpl)
{
    msg_start(m, seq, domain);
    if (tmpl) {
        put_ovs_template(m, tid);
    }
    set_start(m, tid);
    put_ovs_record(m, 1, 2, 10, 15000);
    set_end(m);
    return msg_end(m);
}

/* A retired source's session is kept for the next source: nothing of the
 * old one may show through it (templates, sequence numbers, domains). */
static void
test_spare_source(void)
{
    struct flowd_core core;
    struct flowd_ipfix_in_config cfg = { 1, 4, 60 };
    char *error = NULL;
    struct msg m;

    core_init(&core, false);
    struct flowd_ipfix_in_collector *c = flowd_ipfix_in_create(&core, &cfg,
                                                               &error);
    const struct flowd_ipfix_in_stats *st = flowd_ipfix_in_get_stats(c);

    feed(c, "10.0.0.1", m.b, ovs_message(&m, 0, 3, 300, true), 1000);
    CHECK_EQ(st->flow_records, 1);
    for (uint32_t d = 100; d < 100 + FLOWD_IPFIX_IN_MAX_DOMAINS - 1; d++) {
        msg_start(&m, 0, d);
        feed(c, "10.0.0.1", m.b, msg_end(&m), 1000);
    }
    CHECK_EQ(flowd_ipfix_in_n_domains(c), FLOWD_IPFIX_IN_MAX_DOMAINS);

    /* Each new exporter evicts the last one, on its session. */
    for (int i = 0; i < 2 * FLOWD_IPFIX_IN_SPARE_SOURCES; i++) {
        char ip[32];

        snprintf(ip, sizeof ip, "10.0.1.%d", i + 1);
        feed(c, ip, m.b, ovs_message(&m, 500, 3, 300, false), 2000 + i);
        CHECK_EQ(flowd_ipfix_in_n_sources(c), 1);
        CHECK_EQ(flowd_ipfix_in_n_templates(c), 0);
        CHECK_EQ(flowd_ipfix_in_n_domains(c), 1);
    }
    CHECK_EQ(st->sources_evicted, 2 * FLOWD_IPFIX_IN_SPARE_SOURCES);
    CHECK_EQ(st->flow_records, 1);
    CHECK_EQ(st->errors[FLOWD_IPFIX_IN_NO_TEMPLATE],
             2 * FLOWD_IPFIX_IN_SPARE_SOURCES);
    CHECK_EQ(st->lost_records, 0);

    /* A spare works like a new session. */
    feed(c, "10.0.1.1", m.b, ovs_message(&m, 7, 3, 300, true), 3000);
    CHECK_EQ(st->flow_records, 2);
    CHECK_EQ(flowd_ipfix_in_n_templates(c), 1);
    CHECK_EQ(st->lost_records, 0);

    flowd_ipfix_in_destroy(c);
    flowd_core_destroy(&core);
}

/* Bytes the heap holds (glibc). */
static size_t
heap_in_use(void)
{
    return mallinfo2().uordblks;
}

/* One step of a hostile stream: exporter 10.0.0.1 defines a new template
 * ID of 16 elements it makes up (libfixbuf adds each to its model),
 * withdraws an older one (and all of a domain now and then), moves on to
 * a new observation domain, and a new (spoofed) exporter defines a
 * template and sends a record. */
static void
hostile_step(struct flowd_ipfix_in_collector *c, uint32_t k)
{
    struct msg m;
    char ip[32];

    msg_start(&m, k, k % 8);
    set_start(&m, 2);
    put16(&m, 256 + k % 60000);
    put16(&m, 16);
    for (int i = 0; i < 16; i++) {
        put16(&m, 0x8000 | ((k * 16 + i) & 0x7fff));
        put16(&m, 4);
        put32(&m, 1000 + (k * 16 + i) / 0x8000);
    }
    set_end(&m);
    feed(c, "10.0.0.1", m.b, msg_end(&m), 1000 + k);

    msg_start(&m, k, k % 8);
    set_start(&m, 2);
    put16(&m, k % 50 ? 256 + (k - 3) % 60000 : 2);
    put16(&m, 0);
    set_end(&m);
    feed(c, "10.0.0.1", m.b, msg_end(&m), 1000 + k);

    msg_start(&m, k, 100000 + k);
    put_ovs_template(&m, 300);
    feed(c, "10.0.0.1", m.b, msg_end(&m), 1000 + k);

    snprintf(ip, sizeof ip, "10.1.%u.%u", k / 256 % 256, k % 256);
    feed(c, ip, m.b, ovs_message(&m, 0, 7, 300 + k % 7, true), 1000 + k);
}

/* A long hostile stream stays within the bounds: sources, templates and
 * domains at their caps after every message, and the heap no larger after
 * twelve rounds than after three (issue 17: never grows without bound). Before
 * FLOWD_IPFIX_IN_MAX_UNKNOWN_IES the made-up elements grew it by about 2 MB a
 * round, for good. */
static void
test_hostile_stream(void)
{
    struct flowd_core core;
    struct flowd_ipfix_in_config cfg = { 8, 16, 3600 };
    char *error = NULL;
    size_t heap3 = 0;
    uint32_t k = 0;

    core_init(&core, false);
    struct flowd_ipfix_in_collector *c = flowd_ipfix_in_create(&core, &cfg,
                                                               &error);
    const struct flowd_ipfix_in_stats *st = flowd_ipfix_in_get_stats(c);

    for (int round = 1; round <= 12; round++) {
        for (int i = 0; i < 2000; i++, k++) {
            hostile_step(c, k);
            if (flowd_ipfix_in_n_sources(c) > cfg.max_sources
                || (flowd_ipfix_in_n_templates(c)
                    > cfg.max_sources * cfg.max_templates)
                || (flowd_ipfix_in_n_domains(c)
                    > cfg.max_sources * FLOWD_IPFIX_IN_MAX_DOMAINS)) {
                CHECK(!"past a bound");
                round = 12;
                break;
            }
        }
        if (round == 3) {
            heap3 = heap_in_use();
        }
    }
    size_t heap12 = heap_in_use();
    printf("hostile stream: %" PRIu32 " steps, heap %zu kB after 3 rounds, "
           "%zu kB after 12\n", k, heap3 / 1024, heap12 / 1024);
    CHECK(heap12 <= heap3 + 64 * 1024);
    CHECK(st->sources_evicted >= k - cfg.max_sources);
    CHECK(st->templates_withdrawn >= k);
    CHECK(st->errors[FLOWD_IPFIX_IN_TOO_MANY_DOMAINS] > 0);
    CHECK(st->errors[FLOWD_IPFIX_IN_UNKNOWN_ELEMENTS] > 0);
    CHECK(st->flow_records == k);

    flowd_ipfix_in_destroy(c);
    flowd_core_destroy(&core);
}

/* Delivers what 'c' has on its connections. */
static void
tcp_turn(struct flowd_ipfix_in_collector *c, uint64_t now)
{
    struct pollfd pfd[8];
    size_t n = flowd_ipfix_in_tcp_pollfds(c, pfd, 8);

    poll(pfd, n, 1000);
    flowd_ipfix_in_tcp_run(c, pfd, n, now);
}

static void
test_tcp(void)
{
    struct fixture fx;
    struct sockaddr_in sin = { .sin_family = AF_INET };
    socklen_t len = sizeof sin;
    struct msg m;

    signal(SIGPIPE, SIG_IGN);   /* A closed connection is a check. */
    fixture_init(&fx, (struct flowd_ipfix_in_config) { 1, 8, 60 });
    int lfd = socket(AF_INET, SOCK_STREAM, 0);
    sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    CHECK(!bind(lfd, (struct sockaddr *) &sin, sizeof sin));
    CHECK(!listen(lfd, 4));
    CHECK(!getsockname(lfd, (struct sockaddr *) &sin, &len));
    int a = socket(AF_INET, SOCK_STREAM, 0);
    CHECK(!connect(a, (struct sockaddr *) &sin, sizeof sin));
    flowd_ipfix_in_tcp_accept(fx.c, lfd, 1000);
    CHECK_EQ(flowd_ipfix_in_n_sources(fx.c), 1);

    /* Two messages written in four pieces that cut both. */
    msg_start(&m, 0, 9);
    put_ovs_template(&m, 300);
    set_start(&m, 300);
    put_ovs_record(&m, 1, 2, 10, 15000);
    set_end(&m);
    size_t first = msg_end(&m);
    uint8_t stream[4096];
    memcpy(stream, m.b, first);
    msg_start(&m, 1, 9);
    set_start(&m, 300);
    put_ovs_record(&m, 1, 3, 2, 128);
    set_end(&m);
    size_t second = msg_end(&m);
    memcpy(stream + first, m.b, second);
    size_t cuts[] = { 0, 7, 30, first + 20, first + second };
    for (int i = 0; i < 4; i++) {
        CHECK(write(a, stream + cuts[i], cuts[i + 1] - cuts[i])
              == (ssize_t) (cuts[i + 1] - cuts[i]));
        tcp_turn(fx.c, 1000);
    }
    CHECK_EQ(fx.st->flow_records, 2);
    CHECK_EQ(fx.st->lost_records, 0);

    /* One source at most: a second connection is refused. */
    int b = socket(AF_INET, SOCK_STREAM, 0);
    CHECK(!connect(b, (struct sockaddr *) &sin, sizeof sin));
    flowd_ipfix_in_tcp_accept(fx.c, lfd, 1000);
    CHECK_EQ(fx.st->tcp_refused, 1);

    /* Out of step: closed. */
    CHECK(write(a, "\x00\x09\x00\x10", 4) == 4);
    tcp_turn(fx.c, 1000);
    CHECK_EQ(fx.st->errors[FLOWD_IPFIX_IN_BAD_VERSION], 1);
    CHECK_EQ(flowd_ipfix_in_n_sources(fx.c), 0);
    close(a);
    close(b);
    close(lfd);
    fixture_destroy(&fx);
}

int
main(void)
{
    test_tcp();
    test_own_export();
    test_flows_and_templates();
    test_unread_record_then_expiry();
    test_domain_bound();
    test_spare_source();
    test_hostile_stream();
    return check_report("test-flowd-ipfix");
}
