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

/* ICMPv4 <-> ICMPv6 (RFC 7915 4.2, 4.3, 5.2, 5.3; RFC 4884): every
 * mapping row both ways, quoted packets, lengths, the 1280-byte limit. */

#include <config.h>
#include "nat64-test.h"
#include <stdio.h>
#include <string.h>

static struct pspec
inner_spec(uint8_t proto, size_t paylen)
{
    struct pspec s = pspec(proto, paylen);

    s.bare = true;
    s.ttl = 3;                  /* Quoted TTLs are not touched. */
    s.id = 0x0777;
    return s;
}

/* Inner packets in both forms: UDP A->B, 100 bytes of payload. */
static void
inners(struct tframe *i4, struct tframe *i6, uint8_t proto, size_t paylen,
       bool df)
{
    struct pspec s = inner_spec(proto, paylen);

    s.df = df;
    mk4(i4, &s);
    mk6(i6, &s);
}

struct row {
    uint8_t type, code;
    uint32_t rest;
    int to_type;                /* -1: dropped. */
    uint8_t to_code;
    uint32_t to_rest;
    enum l2mt_result drop;
};

static void
run_rows(const char *dir, const struct row *rows, size_t n, int from_ipv)
{
    struct tframe i4, i6;
    size_t i;

    inners(&i4, &i6, 17, 100, false);
    for (i = 0; i < n; i++) {
        const struct row *r = &rows[i];
        struct tframe in, out;
        char name[80];

        snprintf(name, sizeof name, "%s type %d code %d rest %#x", dir,
                 r->type, r->code, r->rest);
        mk_err(&in, from_ipv, r->type, r->code, r->rest,
               from_ipv == 4 ? &i4 : &i6, 1000, NULL, 0, 0x1234);
        if (r->to_type >= 0) {
            /* The 6->4 inner ID comes from the caller, like the outer. */
            struct pspec s = inner_spec(17, 100);
            struct tframe i4b;

            s.id = 0x1234;
            mk4(&i4b, &s);
            mk_err(&out, from_ipv == 4 ? 6 : 4, r->to_type, r->to_code,
                   r->to_rest, from_ipv == 4 ? &i6 : &i4b, 1000, NULL, 0,
                   0x1234);
        }
        t_run(&(struct tcase) {
                  .name = name, .in = &in, .out = &out,
                  .mode = from_ipv == 4 ? L2MT_MODE_4TOLL6
                                        : L2MT_MODE_LL6TO4,
                  .want = r->to_type >= 0 ? L2MT_XLATED : r->drop,
                  .ip_id = 0x1234 });
    }
}

#define DROP(T, C, R) { T, C, R, -1, 0, 0, L2MT_ICMP_UNSUPPORTED }

static void
test_map4to6(void)
{
    struct row rows[64];
    size_t n = 0;
    int code, ptr, type;

    /* Destination unreachable, every code. */
    for (code = 0; code <= 15; code++) {
        struct row r = { 3, (uint8_t) code, 0, 1, 0, 0, L2MT_XLATED };

        switch (code) {
        case 0: case 1: case 5: case 6: case 7: case 8: case 11: case 12:
            break;
        case 2:
            r.to_type = 4;
            r.to_code = 1;
            r.to_rest = 6;
            break;
        case 3:
            r.to_code = 4;
            break;
        case 4:
            r.rest = 1400;
            r.to_type = 2;
            r.to_rest = 1420;
            break;
        case 9: case 10: case 13: case 15:
            r.to_code = 1;
            break;
        default:
            r.to_type = -1;
            r.drop = L2MT_ICMP_UNSUPPORTED;
        }
        rows[n++] = r;
    }
    rows[n++] = (struct row) { 3, 16, 0, -1, 0, 0, L2MT_ICMP_UNSUPPORTED };
    /* Fragmentation needed: MTU + 20, never below 1280. */
    rows[n++] = (struct row) { 3, 4, 1000, 2, 0, 1280, 0 };
    rows[n++] = (struct row) { 3, 4, 1260, 2, 0, 1280, 0 };
    rows[n++] = (struct row) { 3, 4, 1261, 2, 0, 1281, 0 };
    rows[n++] = (struct row) { 3, 4, 65535, 2, 0, 65555, 0 };
    rows[n++] = (struct row) { 11, 0, 0, 3, 0, 0, 0 };
    rows[n++] = (struct row) { 11, 1, 0, 3, 1, 0, 0 };
    run_rows("4->6", rows, n, 4);

    /* Parameter problem pointers. */
    n = 0;
    for (ptr = 0; ptr <= 20; ptr++) {
        static const int map[21] = {
            0, 1, 4, 4, -1, -1, -1, -1, 7, 6, -1, -1, 8, 8, 8, 8,
            24, 24, 24, 24, -1
        };
        int c2;

        for (c2 = 0; c2 <= 2; c2 += 2) {
            struct row r = { 12, (uint8_t) c2, (uint32_t) ptr << 24,
                             map[ptr] >= 0 ? 4 : -1, 0,
                             map[ptr] >= 0 ? (uint32_t) map[ptr] : 0,
                             L2MT_ICMP_UNSUPPORTED };

            rows[n++] = r;
        }
    }
    rows[n++] = (struct row) DROP(12, 1, 0);
    run_rows("4->6 pointer", rows, n, 4);

    n = 0;
    for (type = 0; type <= 40; type++) {
        if (type != 0 && type != 3 && type != 8 && type != 11
            && type != 12) {
            rows[n++] = (struct row) DROP((uint8_t) type, 0, 0);
        }
        if (n == sizeof rows / sizeof rows[0]) {
            break;
        }
    }
    run_rows("4->6 unsupported", rows, n, 4);
}

static void
test_map6to4(void)
{
    struct row rows[64];
    size_t n = 0;
    uint32_t ptr;
    int type;

    rows[n++] = (struct row) { 1, 0, 0, 3, 1, 0, 0 };
    rows[n++] = (struct row) { 1, 1, 0, 3, 10, 0, 0 };
    rows[n++] = (struct row) { 1, 2, 0, 3, 1, 0, 0 };
    rows[n++] = (struct row) { 1, 3, 0, 3, 1, 0, 0 };
    rows[n++] = (struct row) { 1, 4, 0, 3, 3, 0, 0 };
    rows[n++] = (struct row) DROP(1, 5, 0);
    rows[n++] = (struct row) DROP(1, 6, 0);
    rows[n++] = (struct row) { 2, 0, 1500, 3, 4, 1480, 0 };
    rows[n++] = (struct row) { 2, 0, 1280, 3, 4, 1260, 0 };
    rows[n++] = (struct row) { 2, 0, 70000, 3, 4, 65535, 0 };
    rows[n++] = (struct row) { 2, 0, 10, 3, 4, 0, 0 };
    rows[n++] = (struct row) { 3, 0, 0, 11, 0, 0, 0 };
    rows[n++] = (struct row) { 3, 1, 0, 11, 1, 0, 0 };
    rows[n++] = (struct row) { 4, 1, 0, 3, 2, 0, 0 };
    rows[n++] = (struct row) DROP(4, 2, 0);
    rows[n++] = (struct row) DROP(4, 3, 0);
    run_rows("6->4", rows, n, 6);

    n = 0;
    for (ptr = 0; ptr <= 41; ptr++) {
        int to = (ptr <= 1 ? (int) ptr
                  : ptr == 4 || ptr == 5 ? 2
                  : ptr == 6 ? 9
                  : ptr == 7 ? 8
                  : ptr >= 8 && ptr <= 23 ? 12
                  : ptr >= 24 && ptr <= 39 ? 16
                  : -1);

        rows[n++] = (struct row) { 4, 0, ptr, to >= 0 ? 12 : -1, 0,
                                   to >= 0 ? (uint32_t) to << 24 : 0,
                                   L2MT_ICMP_UNSUPPORTED };
    }
    rows[n++] = (struct row) DROP(4, 0, 0xffffffff);
    run_rows("6->4 pointer", rows, n, 6);

    n = 0;
    for (type = 5; type <= 255 && n < 64; type += 5) {
        if (type != 128 && type != 129 && type != 135) {
            enum l2mt_result d = (type == 133 || type == 134 || type == 137
                                  ? L2MT_ND_UNSUPPORTED
                                  : L2MT_ICMP_UNSUPPORTED);

            rows[n++] = (struct row) { (uint8_t) type, 0, 0, -1, 0, 0, d };
        }
    }
    for (type = 130; type <= 137; type++) {
        if (type != 135 && type != 136) {
            enum l2mt_result d = (type == 133 || type == 134 || type == 137
                                  ? L2MT_ND_UNSUPPORTED
                                  : L2MT_ICMP_UNSUPPORTED);

            rows[n++] = (struct row) { (uint8_t) type, 0, 0, -1, 0, 0, d };
        }
    }
    run_rows("6->4 unsupported", rows, n, 6);
}

/* Fragmentation needed with MTU 0: the RFC 1191 plateau below the quoted
 * packet's total length, plus 20. */
static void
test_plateau(void)
{
    static const struct { size_t paylen; uint32_t mtu6; } cases[] = {
        { 1500 - 28, 1492 + 20 },       /* Total 1500 -> 1492. */
        { 1492 - 28, 1006 + 20 < 1280 ? 1280 : 1026 },
        { 4000, 2002 + 20 },            /* Total 4028 -> 2002. */
        { 10, 1280 },                   /* Total 38 -> 68: floor. */
    };
    size_t i;

    for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        struct tframe i4, i6, in, out;

        inners(&i4, &i6, 17, cases[i].paylen, true);
        mk_err(&in, 4, 3, 4, 0, &i4, 100, NULL, 0, 1);
        mk_err(&out, 6, 2, 0, cases[i].mtu6, &i6, 120, NULL, 0, 1);
        t_run(&(struct tcase) { .name = "MTU 0 plateau", .in = &in,
                                .out = &out, .mode = L2MT_MODE_4TOLL6,
                                .want = L2MT_XLATED });
    }
}

/* RFC 7915 4.2 and 5.2: a Packet Too Big / Fragmentation Needed MTU is
 * the minimum of the advertised MTU +/- 20 and the configured MTUs of the
 * IPv6 side and the IPv4 side (+/- 20); without them (0) it is the
 * advertised one, as checked by test_map4to6() and test_map6to4(). */
static void
test_mtu_clamp(void)
{
    static const struct {
        uint32_t mtu6, mtu4;    /* Configured, 0: not. */
        uint32_t adv4, want6;   /* 3/4 MTU in, 2/0 MTU out. */
        uint32_t adv6, want4;   /* 2/0 MTU in, 3/4 MTU out. */
    } cases[] = {
        { 0, 0, 8980, 9000, 9000, 8980 },
        { 1500, 0, 8980, 1500, 9000, 1480 },
        { 0, 1400, 8980, 1420, 9000, 1400 },
        { 1500, 1400, 8980, 1420, 9000, 1400 },
        { 1400, 1500, 8980, 1400, 9000, 1380 },
        { 9000, 9000, 1400, 1420, 1300, 1280 },
        { 1280, 1000, 8980, 1280, 9000, 1000 },
        { 65535, 65535, 65535, 65535, 70000, 65515 },
    };
    size_t i;

    for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        struct tframe i4, i6, e4, e6;
        struct l2mt_cfg cfg;
        char name[96];

        l2mt_cfg_init(&cfg, NULL, 0);
        l2mt_cfg_set_mtu(&cfg, cases[i].mtu6, cases[i].mtu4);
        inners(&i4, &i6, 17, 1472, true);

        mk_err(&e4, 4, 3, 4, cases[i].adv4, &i4, 100, NULL, 0, 1);
        mk_err(&e6, 6, 2, 0, cases[i].want6, &i6, 120, NULL, 0, 1);
        snprintf(name, sizeof name, "mtu6=%u mtu4=%u: 3/4 MTU %u -> %u",
                 cases[i].mtu6, cases[i].mtu4, cases[i].adv4,
                 cases[i].want6);
        t_run(&(struct tcase) { .name = name, .in = &e4, .out = &e6,
                                .cfg = &cfg, .mode = L2MT_MODE_4TOLL6,
                                .want = L2MT_XLATED });

        mk_err(&e6, 6, 2, 0, cases[i].adv6, &i6, 120, NULL, 0, 1);
        mk_err(&e4, 4, 3, 4, cases[i].want4, &i4, 100, NULL, 0, 0x0777);
        snprintf(name, sizeof name, "mtu6=%u mtu4=%u: 2/0 MTU %u -> %u",
                 cases[i].mtu6, cases[i].mtu4, cases[i].adv6,
                 cases[i].want4);
        t_run(&(struct tcase) { .name = name, .in = &e6, .out = &e4,
                                .cfg = &cfg, .mode = L2MT_MODE_LL6TO4,
                                .want = L2MT_XLATED, .ip_id = 0x0777 });
    }
}

/* RFC 7915 4.2 and 5.2: the MTU is adjusted "taking into account whether
 * or not the packet in error includes a Fragment Header": a quoted IPv4
 * fragment was (or becomes) an IPv6 packet with one, 28 bytes longer, so
 * 28 rather than 20 goes on (4->6) or off (6->4) the advertised MTU and
 * the configured bounds of the other side.  An atomic fragment counts: its
 * IPv4 form has no Fragment header either. */
static void
test_mtu_frag_header(void)
{
    static const struct {
        uint32_t mtu6, mtu4;
        uint32_t adv4, want6;   /* 3/4 MTU in, 2/0 MTU out. */
        uint32_t adv6, want4;   /* 2/0 MTU in, 3/4 MTU out. */
    } cases[] = {
        { 0, 0, 1400, 1428, 1500, 1472 },
        { 0, 0, 8980, 9008, 9000, 8972 },
        { 1500, 0, 8980, 1500, 9000, 1472 },
        { 0, 1400, 8980, 1428, 9000, 1400 },
        { 9000, 1300, 1400, 1328, 1300, 1272 },
        { 0, 0, 0, 1492 + 28, 70000, 65535 },   /* Plateau below 1500. */
    };
    size_t i;

    for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        struct pspec s = inner_spec(17, 1472);
        struct tframe i4, i6, e4, e6;
        struct l2mt_cfg cfg;
        char name[112];

        l2mt_cfg_init(&cfg, NULL, 0);
        l2mt_cfg_set_mtu(&cfg, cases[i].mtu6, cases[i].mtu4);
        s.frag = s.mf = true;
        s.id = 0x0777;
        mk4(&i4, &s);
        mk6(&i6, &s);

        mk_err(&e4, 4, 3, 4, cases[i].adv4, &i4, 100, NULL, 0, 1);
        mk_err(&e6, 6, 2, 0, cases[i].want6, &i6, 128, NULL, 0, 1);
        snprintf(name, sizeof name, "quoted fragment, mtu6=%u mtu4=%u: "
                 "3/4 MTU %u -> %u", cases[i].mtu6, cases[i].mtu4,
                 cases[i].adv4, cases[i].want6);
        t_run(&(struct tcase) { .name = name, .in = &e4, .out = &e6,
                                .cfg = &cfg, .mode = L2MT_MODE_4TOLL6,
                                .want = L2MT_XLATED });

        mk_err(&e6, 6, 2, 0, cases[i].adv6, &i6, 128, NULL, 0, 1);
        mk_err(&e4, 4, 3, 4, cases[i].want4, &i4, 100, NULL, 0, 0x0777);
        snprintf(name, sizeof name, "quoted fragment, mtu6=%u mtu4=%u: "
                 "2/0 MTU %u -> %u", cases[i].mtu6, cases[i].mtu4,
                 cases[i].adv6, cases[i].want4);
        t_run(&(struct tcase) { .name = name, .in = &e6, .out = &e4,
                                .cfg = &cfg, .mode = L2MT_MODE_LL6TO4,
                                .want = L2MT_XLATED, .ip_id = 0x0777 });
    }
}

/* The quoted packet's transport header: TCP/UDP checksums and echo types
 * as far as they are quoted, nothing else. */
static void
test_inner(void)
{
    static const uint8_t protos[] = { 17, 6, 1, 47 };
    static const size_t quotes[] = { 20, 21, 24, 28, 36, 37, 38, 60, 2000 };
    size_t i, j;

    for (i = 0; i < sizeof protos; i++) {
        for (j = 0; j < sizeof quotes / sizeof quotes[0]; j++) {
            struct pspec s = inner_spec(protos[i], 200);
            struct tframe i4, i6, i4b, e4, e6, e4b;
            char name[80];

            mk4(&i4, &s);
            mk6(&i6, &s);
            s.id = 0x1234;
            mk4(&i4b, &s);
            mk_err(&e4, 4, 11, 0, 0, &i4, quotes[j], NULL, 0, 0x1234);
            mk_err(&e6, 6, 3, 0, 0, &i6, quotes[j] + 20, NULL, 0, 0);
            mk_err(&e4b, 4, 11, 0, 0, &i4b, quotes[j], NULL, 0, 0x1234);
            if (protos[i] == 6 && quotes[j] == 37) {
                /* Half a checksum quoted: left as it is. */
                e6.b[e6.n - 1] = e4.b[e4.n - 1];
                tf_end(&e6);
            }
            snprintf(name, sizeof name, "inner proto %d quote %zu 4->6",
                     protos[i], quotes[j]);
            t_run(&(struct tcase) { .name = name, .in = &e4, .out = &e6,
                                    .mode = L2MT_MODE_4TOLL6,
                                    .want = L2MT_XLATED });
            snprintf(name, sizeof name, "inner proto %d quote %zu 6->4",
                     protos[i], quotes[j]);
            t_run(&(struct tcase) { .name = name, .in = &e6, .out = &e4b,
                                    .mode = L2MT_MODE_LL6TO4,
                                    .want = L2MT_XLATED, .ip_id = 0x1234 });
        }
    }

    /* A quoted fragment gets a Fragment header and loses it again. */
    {
        struct pspec s = inner_spec(17, 300);
        struct tframe i4, i6, e4, e6;

        s.frag = s.mf = true;
        s.frag_off = 100;
        mk4(&i4, &s);
        mk6(&i6, &s);
        mk_err(&e4, 4, 3, 3, 0, &i4, 100, NULL, 0, 0x1234);
        mk_err(&e6, 6, 1, 4, 0, &i6, 128, NULL, 0, 0);
        t_run(&(struct tcase) { .name = "quoted fragment 4->6", .in = &e4,
                                .out = &e6, .mode = L2MT_MODE_4TOLL6,
                                .want = L2MT_XLATED });
        t_run(&(struct tcase) { .name = "quoted fragment 6->4", .in = &e6,
                                .out = &e4, .mode = L2MT_MODE_LL6TO4,
                                .want = L2MT_XLATED, .ip_id = 0x1234 });
        t_run(&(struct tcase) { .name = "quoted fragment headroom 48",
                                .in = &e4, .out = &e6, .headroom = 48,
                                .mode = L2MT_MODE_4TOLL6,
                                .want = L2MT_XLATED });
        t_run(&(struct tcase) { .name = "quoted fragment headroom 47",
                                .in = &e4, .headroom = 47,
                                .mode = L2MT_MODE_4TOLL6,
                                .want = L2MT_NO_HEADROOM });
    }
}

static void
test_bad_errors(void)
{
    struct tframe i4, i6, e, x;
    struct pspec s = inner_spec(1, 20);

    inners(&i4, &i6, 17, 100, false);

    mk_err(&e, 4, 3, 3, 0, &i4, 100, NULL, 0, 1);
    e.b[e.n - 1] ^= 1;
    t_run(&(struct tcase) { .name = "bad ICMPv4 error checksum", .in = &e,
                            .mode = L2MT_MODE_4TOLL6,
                            .want = L2MT_ICMP_BAD_CSUM });
    mk_err(&e, 6, 1, 4, 0, &i6, 100, NULL, 0, 1);
    e.b[e.n - 1] ^= 1;
    t_run(&(struct tcase) { .name = "bad ICMPv6 error checksum", .in = &e,
                            .mode = L2MT_MODE_LL6TO4,
                            .want = L2MT_ICMP_BAD_CSUM });

    mk_err(&e, 4, 3, 3, 0, &i4, 100, NULL, 0, 1);
    t_run(&(struct tcase) { .name = "error needs linear data", .in = &e,
                            .linear = e.n - 1, .mode = L2MT_MODE_4TOLL6,
                            .want = L2MT_NEED_LINEAR });
    mk_err(&x, 6, 1, 4, 0, &i6, 100, NULL, 0, 1);
    t_run(&(struct tcase) { .name = "ICMPv6 error needs linear data",
                            .in = &x, .linear = x.n - 1,
                            .mode = L2MT_MODE_LL6TO4,
                            .want = L2MT_NEED_LINEAR });
    s.bare = false;
    mk6(&x, &s);
    t_run(&(struct tcase) { .name = "ICMPv6 echo header not linear",
                            .in = &x, .linear = x.l4 + 7,
                            .mode = L2MT_MODE_LL6TO4,
                            .want = L2MT_NEED_LINEAR });
    mk4(&x, &s);
    t_run(&(struct tcase) { .name = "echo headroom 19", .in = &x,
                            .headroom = 19, .mode = L2MT_MODE_4TOLL6,
                            .want = L2MT_NO_HEADROOM });
    s.bare = true;
    t_run(&(struct tcase) { .name = "error headroom 39", .in = &e,
                            .headroom = 39, .mode = L2MT_MODE_4TOLL6,
                            .want = L2MT_NO_HEADROOM });

    mk_err(&e, 4, 3, 3, 0, &i4, 19, NULL, 0, 1);
    t_run(&(struct tcase) { .name = "quote shorter than IPv4 header",
                            .in = &e, .mode = L2MT_MODE_4TOLL6,
                            .want = L2MT_ICMP_BAD_INNER });
    mk_err(&e, 6, 1, 4, 0, &i6, 39, NULL, 0, 1);
    t_run(&(struct tcase) { .name = "quote shorter than IPv6 header",
                            .in = &e, .mode = L2MT_MODE_LL6TO4,
                            .want = L2MT_ICMP_BAD_INNER });
    mk_err(&e, 4, 3, 3, 0, &i6, 100, NULL, 0, 1);
    t_run(&(struct tcase) { .name = "IPv6 quoted in ICMPv4", .in = &e,
                            .mode = L2MT_MODE_4TOLL6,
                            .want = L2MT_ICMP_BAD_INNER });
    mk_err(&e, 6, 1, 4, 0, &i4, 100, NULL, 0, 1);
    t_run(&(struct tcase) { .name = "IPv4 quoted in ICMPv6", .in = &e,
                            .mode = L2MT_MODE_LL6TO4,
                            .want = L2MT_ICMP_BAD_INNER });

    /* An error about an error. */
    mk_err(&x, 4, 3, 3, 0, &i4, 100, NULL, 0, 1);
    mk_err(&e, 4, 11, 0, 0, &(struct tframe) { .n = 0 }, 0, NULL, 0, 1);
    {
        struct tframe inner_err;

        tf_init(&inner_err);
        tf_mem(&inner_err, x.b + x.l3, x.n - x.l3);
        inner_err.b[2] = 0;
        mk_err(&e, 4, 11, 0, 0, &inner_err, 60, NULL, 0, 1);
        t_run(&(struct tcase) { .name = "ICMPv4 error quoting an error",
                                .in = &e, .mode = L2MT_MODE_4TOLL6,
                                .want = L2MT_ICMP_BAD_INNER });
        mk_err(&x, 6, 1, 4, 0, &i6, 100, NULL, 0, 1);
        tf_init(&inner_err);
        tf_mem(&inner_err, x.b + x.l3, x.n - x.l3);
        mk_err(&e, 6, 3, 0, 0, &inner_err, 100, NULL, 0, 1);
        t_run(&(struct tcase) { .name = "ICMPv6 error quoting an error",
                                .in = &e, .mode = L2MT_MODE_LL6TO4,
                                .want = L2MT_ICMP_BAD_INNER });
    }

    /* Quoted addresses outside the prefix. */
    {
        struct pspec o = inner_spec(17, 10);
        static const uint8_t other[12] = { 0x20, 0x01, 0x0d, 0xb8 };

        o.prefix = other;
        mk6(&x, &o);
        mk_err(&e, 6, 1, 4, 0, &x, 100, NULL, 0, 1);
        t_run(&(struct tcase) { .name = "quote outside the prefix",
                                .in = &e, .mode = L2MT_MODE_LL6TO4,
                                .want = L2MT_NOT_IN_PREFIX });
    }

    /* ICMP fragments cannot get a correct ICMPv6 checksum. */
    s.bare = false;
    s.frag = s.mf = true;
    mk4(&e, &s);
    t_run(&(struct tcase) { .name = "fragmented echo 4->6", .in = &e,
                            .mode = L2MT_MODE_4TOLL6,
                            .want = L2MT_ICMP_UNSUPPORTED });
    mk6(&e, &s);
    t_run(&(struct tcase) { .name = "fragmented echo 6->4", .in = &e,
                            .mode = L2MT_MODE_LL6TO4,
                            .want = L2MT_ICMP_UNSUPPORTED });
    /* Shorter than an ICMP header. */
    s.frag = s.mf = false;
    s.paylen = 0;
    mk4(&e, &s);
    e.n -= 4;
    e.keep_csum = true;
    e.l4proto = 0;
    tf_end(&e);
    t_run(&(struct tcase) { .name = "echo shorter than 8 bytes", .in = &e,
                            .mode = L2MT_MODE_4TOLL6,
                            .want = L2MT_TRUNCATED });
}

/* RFC 6946 4, RFC 8200 4.5: an atomic fragment (offset 0, M 0) is a
 * whole datagram.  RFC 7915 5.1.1: IPv4 ID = low 16 bits of the Fragment
 * header's ID, DF 0, MF 0, offset 0.  The caller's ID (0x4321) is not
 * used. */
static void
test_atomic(void)
{
    static const size_t lens[] = { 56, 1400 };
    struct tframe f6, f4, i4, i6, e6, e4;
    size_t i;

    /* Echo request and reply, small and big (DF stays 0 above 1260). */
    for (i = 0; i < 2 * (sizeof lens / sizeof lens[0]); i++) {
        struct pspec s = pspec(1, lens[i / 2]);
        char name[64];

        s.reply = i % 2;
        s.frag = true;
        s.id = 0x5a5a;
        s.id_hi = ATOMIC_ID_HI >> 16;
        mk6(&f6, &s);
        s.frag = false;
        s.id_hi = 0;
        mk4(&f4, &s);
        snprintf(name, sizeof name, "atomic fragment echo%s %zu 6->4",
                 s.reply ? " reply" : "", lens[i / 2]);
        t_run(&(struct tcase) { .name = name, .in = &f6, .out = &f4,
                                .mode = L2MT_MODE_LL6TO4,
                                .want = L2MT_XLATED, .ip_id = 0x4321 });
    }

    /* Errors: port unreachable quoting UDP, and a big packet too big.
     * The quote has no Fragment header: its ID is the caller's, 0x0777
     * as built by inners(). */
    inners(&i4, &i6, 17, 100, false);
    mk_err_ex(&e6, 6, 1, 4, 0, &i6, 148, NULL, 0, 0x1357, true);
    mk_err_ex(&e4, 4, 3, 3, 0, &i4, 128, NULL, 0, 0x1357, true);
    t_run(&(struct tcase) { .name = "atomic fragment error 6->4", .in = &e6,
                            .out = &e4, .mode = L2MT_MODE_LL6TO4,
                            .want = L2MT_XLATED, .ip_id = 0x0777 });
    inners(&i4, &i6, 17, 1400, true);
    mk_err_ex(&e6, 6, 2, 0, 1400, &i6, 1232 - 8, NULL, 0, 0x2468, true);
    mk_err_ex(&e4, 4, 3, 4, 1380, &i4, 1232 - 28, NULL, 0, 0x2468, true);
    t_run(&(struct tcase) { .name = "atomic fragment packet too big 6->4",
                            .in = &e6, .out = &e4,
                            .mode = L2MT_MODE_LL6TO4, .want = L2MT_XLATED,
                            .ip_id = 0x0777 });

    /* A real fragment of an echo is still not translatable. */
    {
        struct pspec s = pspec(1, 56);

        s.frag = s.mf = true;
        mk6(&f6, &s);
        t_run(&(struct tcase) { .name = "first fragment of an echo 6->4",
                                .in = &f6, .mode = L2MT_MODE_LL6TO4,
                                .want = L2MT_ICMP_UNSUPPORTED });
    }
}

/* RFC 4884: the length attribute counts the (padded) original datagram,
 * extensions follow it. */
static void
test_rfc4884(void)
{
    uint8_t ext[16] = { 0x20, 0, 0, 0, 0, 12, 1, 1, 1, 2, 3, 4, 5, 6, 7, 8 };
    struct tframe i4, i6, e4, e6, e4b, q6, q4;
    struct pspec s = inner_spec(17, 300);

    ext[2] = (uint8_t) ~0;      /* Opaque to the translator anyway. */
    mk4(&i4, &s);
    mk6(&i6, &s);
    s.id = 0x1234;

    /* 4->6: 128 bytes of original datagram (length 32) become 148, padded
     * to 152 (length 19). */
    mk_err(&e4, 4, 11, 0, 32 << 16, &i4, 128, ext, sizeof ext, 0x1234);
    tf_quote(&q6, &i6, 148, 152);
    mk_err(&e6, 6, 3, 0, 19u << 24, &q6, 152, ext, sizeof ext, 0);
    t_run(&(struct tcase) { .name = "RFC 4884 4->6", .in = &e4, .out = &e6,
                            .mode = L2MT_MODE_4TOLL6,
                            .want = L2MT_XLATED });

    /* 6->4: 152 bytes (length 19) become 132 (length 33), no padding;
     * the 4 zero bytes are now part of the quote. */
    mk4(&i4, &s);
    tf_quote(&q4, &i4, 128, 132);
    mk_err(&e4b, 4, 11, 0, 33 << 16, &q4, 132, ext, sizeof ext, 0x1234);
    t_run(&(struct tcase) { .name = "RFC 4884 6->4", .in = &e6, .out = &e4b,
                            .mode = L2MT_MODE_LL6TO4, .want = L2MT_XLATED,
                            .ip_id = 0x1234 });

    /* 6->4 with 128 bytes: 108 are padded to the 128 minimum. */
    mk_err(&e6, 6, 1, 0, 16u << 24, &i6, 128, ext, sizeof ext, 0);
    tf_quote(&q4, &i4, 108, 128);
    mk_err(&e4b, 4, 3, 1, 32 << 16, &q4, 128, ext, sizeof ext, 0x1234);
    t_run(&(struct tcase) { .name = "RFC 4884 6->4 padded to 128",
                            .in = &e6, .out = &e4b,
                            .mode = L2MT_MODE_LL6TO4, .want = L2MT_XLATED,
                            .ip_id = 0x1234 });

    /* RFC 4884 4: with extensions, the field is at least 128 bytes,
     * zero-padded, as far as L2MT_MAX_GROWTH (64) allows; beyond, the
     * extensions are dropped (length 0).  4->6 with 88 bytes (already
     * short in IPv4): 108, padded to 128 (length 16; growth 40 + 20). */
    mk4(&i4, &s);
    mk_err(&e4, 4, 11, 0, 22 << 16, &i4, 88, ext, sizeof ext, 0x1234);
    tf_quote(&q6, &i6, 108, 128);
    mk_err(&e6, 6, 3, 0, 16u << 24, &q6, 128, ext, sizeof ext, 0);
    t_run(&(struct tcase) { .name = "RFC 4884 4->6 short field padded",
                            .in = &e4, .out = &e6,
                            .mode = L2MT_MODE_4TOLL6, .want = L2MT_XLATED });
    /* 80 bytes: padding 100 to 128 would grow the frame by 40 + 28. */
    mk_err(&e4, 4, 11, 0, 20 << 16, &i4, 80, ext, sizeof ext, 0x1234);
    mk_err(&e6, 6, 3, 0, 0, &i6, 100, NULL, 0, 0);
    t_run(&(struct tcase) { .name = "RFC 4884 4->6 too short to pad",
                            .in = &e4, .out = &e6, .headroom = 200,
                            .mode = L2MT_MODE_4TOLL6, .want = L2MT_XLATED });

    /* 6->4 with 64 bytes (short of 128): 44, padded to 128 (length
     * 32; growth -40 + 84). */
    mk_err(&e6, 6, 1, 0, 8u << 24, &i6, 64, ext, sizeof ext, 0);
    tf_quote(&q4, &i4, 44, 128);
    mk_err(&e4b, 4, 3, 1, 32 << 16, &q4, 128, ext, sizeof ext, 0x1234);
    t_run(&(struct tcase) { .name = "RFC 4884 6->4 short field padded",
                            .in = &e6, .out = &e4b,
                            .mode = L2MT_MODE_LL6TO4, .want = L2MT_XLATED,
                            .ip_id = 0x1234 });
    t_run(&(struct tcase) { .name = "RFC 4884 6->4 padded, headroom 43",
                            .in = &e6, .headroom = 43,
                            .mode = L2MT_MODE_LL6TO4,
                            .want = L2MT_NO_HEADROOM });
    /* 40 bytes (the IPv6 header alone): 20, padding to 128 would grow
     * the frame by -40 + 108. */
    mk_err(&e6, 6, 1, 0, 5u << 24, &i6, 40, ext, sizeof ext, 0);
    mk_err(&e4b, 4, 3, 1, 0, &i4, 20, NULL, 0, 0x1234);
    t_run(&(struct tcase) { .name = "RFC 4884 6->4 too short to pad",
                            .in = &e6, .out = &e4b, .headroom = 200,
                            .mode = L2MT_MODE_LL6TO4, .want = L2MT_XLATED,
                            .ip_id = 0x1234 });

    /* RFC 4884 4.1: the ICMPv4 length counts 32-bit words in 8 bits.
     * 1192 bytes (length 149) become 1172, which length 255 (1020
     * bytes) cannot describe: the quote is cut to 1020 bytes, the
     * extensions follow it. */
    {
        struct pspec b = inner_spec(17, 1400);
        struct tframe b4, b6;

        b.id = 0x1234;
        b.df = true;
        mk4(&b4, &b);
        mk6(&b6, &b);
        mk_err(&e6, 6, 3, 1, 149u << 24, &b6, 1192, ext, sizeof ext, 0);
        mk_err(&e4b, 4, 11, 1, 255 << 16, &b4, 1020, ext, sizeof ext,
               0x1234);
        t_run(&(struct tcase) { .name = "RFC 4884 6->4 field over 1020",
                                .in = &e6, .out = &e4b,
                                .mode = L2MT_MODE_LL6TO4,
                                .want = L2MT_XLATED, .ip_id = 0x1234 });
        /* 1040 -> 1020 exactly: length 255, nothing cut. */
        mk_err(&e6, 6, 3, 1, 130u << 24, &b6, 1040, ext, sizeof ext, 0);
        mk_err(&e4b, 4, 11, 1, 255 << 16, &b4, 1020, ext, sizeof ext,
               0x1234);
        t_run(&(struct tcase) { .name = "RFC 4884 6->4 field of 1020",
                                .in = &e6, .out = &e4b,
                                .mode = L2MT_MODE_LL6TO4,
                                .want = L2MT_XLATED, .ip_id = 0x1234 });
    }

    /* A type without a length attribute loses the extensions. */
    mk_err(&e4, 4, 12, 0, 0x00200000, &i4, 128, ext, sizeof ext, 0x1234);
    mk_err(&e6, 6, 4, 0, 0, &i6, 148, NULL, 0, 0);
    t_run(&(struct tcase) { .name = "RFC 4884 extensions dropped",
                            .in = &e4, .out = &e6,
                            .mode = L2MT_MODE_4TOLL6,
                            .want = L2MT_XLATED });

    /* A length beyond the message. */
    mk_err(&e4, 4, 11, 0, 40 << 16, &i4, 128, ext, sizeof ext, 1);
    t_run(&(struct tcase) { .name = "RFC 4884 length too long", .in = &e4,
                            .mode = L2MT_MODE_4TOLL6,
                            .want = L2MT_ICMP_BAD_INNER });
    mk_err(&e6, 6, 1, 0, 30u << 24, &i6, 128, ext, sizeof ext, 0);
    t_run(&(struct tcase) { .name = "RFC 4884 length too long 6->4",
                            .in = &e6, .mode = L2MT_MODE_LL6TO4,
                            .want = L2MT_ICMP_BAD_INNER });
}

/* ICMPv6 errors fit in 1280 bytes: the quote's tail goes. */
static void
test_1280(void)
{
    static const size_t quotes[] = { 1212, 1213, 1300, 1472 };
    size_t i;

    for (i = 0; i < sizeof quotes / sizeof quotes[0]; i++) {
        struct pspec s = inner_spec(17, 1472);
        struct tframe i4, i6, e4, e6;
        size_t q6 = quotes[i] + 20 > 1232 ? 1232 : quotes[i] + 20;
        char name[64];

        mk4(&i4, &s);
        mk6(&i6, &s);
        mk_err(&e4, 4, 3, 3, 0, &i4, quotes[i], NULL, 0, 1);
        mk_err(&e6, 6, 1, 4, 0, &i6, q6, NULL, 0, 0);
        snprintf(name, sizeof name, "1280 limit quote %zu", quotes[i]);
        t_run(&(struct tcase) { .name = name, .in = &e4, .out = &e6,
                                .mode = L2MT_MODE_4TOLL6,
                                .want = L2MT_XLATED });
    }

    /* Extensions go before the quote is cut. */
    {
        uint8_t ext[64] = { 0x20 };
        struct pspec s = inner_spec(17, 1472);
        struct tframe i4, i6, e4, e6;

        mk4(&i4, &s);
        mk6(&i6, &s);
        mk_err(&e4, 4, 11, 0, 300 / 4 << 16, &i4, 1200, ext, sizeof ext, 1);
        e4.b[e4.l4 + 5] = 255;          /* 1020 bytes of quote. */
        e4.keep_csum = false;
        tf_end(&e4);
        mk_err(&e6, 6, 3, 0, 0, &i6, 1040, NULL, 0, 0);
        t_run(&(struct tcase) { .name = "1280 limit drops extensions",
                                .in = &e4, .out = &e6,
                                .mode = L2MT_MODE_4TOLL6,
                                .want = L2MT_XLATED });
    }
}

/* Errors survive 4->6->4 up to IDs (the caller's ID is used for both). */
static void
test_round_trips(void)
{
    static const struct { uint8_t type, code; uint32_t rest; } rows[] = {
        { 3, 1, 0 }, { 3, 3, 0 }, { 3, 10, 0 }, { 3, 2, 0 },
        { 3, 4, 1400 }, { 11, 0, 0 }, { 11, 1, 0 }, { 12, 0, 8u << 24 },
        { 12, 0, 16u << 24 }, { 12, 0, 1u << 24 },
    };
    static const uint8_t protos[] = { 17, 6, 1 };
    size_t i, j;

    for (i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        for (j = 0; j < sizeof protos; j++) {
            struct pspec s = inner_spec(protos[j], 50 + i * 100);
            struct tframe i4, e4, e6, back;
            enum l2mt_result r1, r2 = L2MT_N_RESULTS;
            char name[64];

            s.id = 0x55;
            mk4(&i4, &s);
            mk_err(&e4, 4, rows[i].type, rows[i].code, rows[i].rest, &i4,
                   100 + i * 30, NULL, 0, 0x55);
            r1 = t_xlate(L2MT_MODE_4TOLL6, NULL, &e4, &e6, 0);
            if (r1 == L2MT_XLATED) {
                r2 = t_xlate(L2MT_MODE_LL6TO4, NULL, &e6, &back, 0x55);
            }
            snprintf(name, sizeof name, "error round trip %d/%d proto %d",
                     rows[i].type, rows[i].code, protos[j]);
            t_check(r2 == L2MT_XLATED && back.n == e4.n
                    && !memcmp(back.b, e4.b, e4.n), name, "%s %s",
                    l2mt_result_name(r1), l2mt_result_name(r2));
        }
    }
}

int
main(void)
{
    test_map4to6();
    test_map6to4();
    test_plateau();
    test_mtu_clamp();
    test_mtu_frag_header();
    test_inner();
    test_bad_errors();
    test_atomic();
    test_rfc4884();
    test_1280();
    test_round_trips();
    return t_summary("test-nat64-icmp");
}
