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

/* IPv4 <-> IPv6 header rules (RFC 7915 sections 4.1, 4.5, 5.1, 5.5):
 * every case is a frame before and the exact frame expected after. */

#include <config.h>
#include "nat64-test.h"
#include <stdio.h>
#include <string.h>

/* Runs 's' both ways: IPv4 form -> IPv6 form and back. */
static void
both(const char *name, const struct pspec *s4, const struct pspec *s6)
{
    static struct tframe frags[8];
    struct tframe f4, f6, f4b;
    struct pspec back = *s4;
    size_t nf = 0;
    char n[128];

    mk4(&f4, s4);
    mk6(&f6, s6 ? s6 : s4);
    /* RFC 7915 4: with DF=0, more than 1280 bytes of IPv6 go as
     * fragments (test_df0_fragments()). */
    if (!s4->df && f6.n - f6.l3 > 1280) {
        nf = mk6_frags(frags, 8, &f6, 1280, s4->id);
    }
    snprintf(n, sizeof n, "%s 4->6", name);
    t_run(&(struct tcase) { .name = n, .mode = L2MT_MODE_4TOLL6, .in = &f4,
                            .out = &f6, .want = L2MT_XLATED,
                            .frags = nf ? frags : NULL, .nfrags = nf });

    /* 6->4: DF by size (unless a fragment), ID from the caller. */
    back.id = 0x4321;
    if (!s4->frag) {
        back.df = f4.n - f4.l3 > 1260;
    } else {
        back.df = false;
        back.id = s4->id;
    }
    mk4(&f4b, &back);
    snprintf(n, sizeof n, "%s 6->4", name);
    t_run(&(struct tcase) { .name = n, .mode = L2MT_MODE_LL6TO4, .in = &f6,
                            .out = &f4b, .want = L2MT_XLATED,
                            .ip_id = 0x4321 });
}

static void
test_basic(void)
{
    static const uint8_t protos[] = { 17, 6, 1, 47, 132 };
    static const size_t lens[] = { 0, 1, 18, 1000, 1232, 1233, 1452 };
    size_t i, j;

    for (i = 0; i < sizeof protos; i++) {
        for (j = 0; j < sizeof lens / sizeof lens[0]; j++) {
            struct pspec s = pspec(protos[i], lens[j]);
            char n[64];

            s.tos = (uint8_t) (j * 37);
            s.ttl = (uint8_t) (j * 50 + 1);
            s.reply = j % 2;
            snprintf(n, sizeof n, "proto %d len %zu", protos[i], lens[j]);
            both(n, &s, NULL);
        }
    }
}

static void
test_fields(void)
{
    struct pspec s = pspec(17, 18);

    s.tos = 0xff;
    s.ttl = 0;
    both("tos 0xff ttl 0", &s, NULL);
    s.tos = 0xb8;
    s.ttl = 255;
    both("tos 0xb8 ttl 255", &s, NULL);

    /* DF on input is not carried to IPv6. */
    s = pspec(17, 18);
    s.df = true;
    {
        struct tframe f4, f6;

        mk4(&f4, &s);
        mk6(&f6, &s);
        t_run(&(struct tcase) { .name = "DF=1 small 4->6",
                                .mode = L2MT_MODE_4TOLL6, .in = &f4,
                                .out = &f6, .want = L2MT_XLATED });
    }

    /* A flow label is not carried to IPv4. */
    {
        struct tframe f6, f4;

        s = pspec(6, 30);
        mk6(&f6, &s);
        f6.b[f6.l3 + 1] |= 0x0a;
        f6.b[f6.l3 + 2] = 0xbc;
        f6.b[f6.l3 + 3] = 0xde;
        s.id = 7;
        mk4(&f4, &s);
        t_run(&(struct tcase) { .name = "flow label dropped",
                                .mode = L2MT_MODE_LL6TO4, .in = &f6,
                                .out = &f4, .want = L2MT_XLATED,
                                .ip_id = 7 });
    }
}

static void
test_vlan(void)
{
    int tags;

    for (tags = 1; tags <= 2; tags++) {
        struct pspec s = pspec(17, 40);
        char n[64];

        s.ntags = tags;
        snprintf(n, sizeof n, "%d VLAN tags UDP", tags);
        both(n, &s, NULL);
        s.proto = 1;
        snprintf(n, sizeof n, "%d VLAN tags echo", tags);
        both(n, &s, NULL);
    }
}

static void
test_prefixes(void)
{
    static const uint8_t wkp[12] = { 0x00, 0x64, 0xff, 0x9b };
    static const uint8_t doc[12] = { 0x20, 0x01, 0x0d, 0xb8, 0x00, 0x64 };
    const uint8_t *pfx[] = { wkp, doc };
    size_t i;

    for (i = 0; i < 2; i++) {
        struct l2mt_cfg cfg;
        struct pspec s = pspec(i ? 6 : 17, 100);
        struct tframe f4, f6, fll;

        l2mt_cfg_init(&cfg, pfx[i], 0);
        s.prefix = pfx[i];
        mk4(&f4, &s);
        mk6(&f6, &s);
        t_run(&(struct tcase) { .name = "prefix 4->6", .cfg = &cfg,
                                .mode = L2MT_MODE_4TOLL6, .in = &f4,
                                .out = &f6, .want = L2MT_XLATED });
        s.id = 0;
        mk4(&f4, &s);
        t_run(&(struct tcase) { .name = "prefix 6->4", .cfg = &cfg,
                                .mode = L2MT_MODE_LL6TO4, .in = &f6,
                                .out = &f4, .want = L2MT_XLATED });
        s.prefix = NULL;
        mk6(&fll, &s);
        t_run(&(struct tcase) { .name = "fe80:: outside prefix", .cfg = &cfg,
                                .mode = L2MT_MODE_LL6TO4, .in = &fll,
                                .want = L2MT_NOT_IN_PREFIX });
    }
}

static void
test_fragments(void)
{
    static const uint8_t protos[] = { 17, 6, 47 };
    size_t i;

    for (i = 0; i < sizeof protos; i++) {
        struct pspec s = pspec(protos[i], 1000);
        char n[64];

        s.frag = true;
        s.id = 0xabcd;
        s.mf = true;
        snprintf(n, sizeof n, "first fragment proto %d", protos[i]);
        both(n, &s, NULL);
        s.frag_off = 126;
        snprintf(n, sizeof n, "middle fragment proto %d", protos[i]);
        both(n, &s, NULL);
        s.mf = false;
        s.frag_off = 8000;      /* Ends below 65535 (test-nat64-drops). */
        snprintf(n, sizeof n, "last fragment proto %d", protos[i]);
        both(n, &s, NULL);
    }

    /* The IPv6 ID's high 16 bits are lost going to IPv4. */
    {
        struct pspec s = pspec(17, 100), s4;
        struct tframe f6, f4;

        s.frag = s.mf = true;
        s.id = 0x5678;
        s.id_hi = 0x1234;
        mk6(&f6, &s);
        s4 = s;
        s4.id_hi = 0;
        mk4(&f4, &s4);
        t_run(&(struct tcase) { .name = "fragment ID low 16 bits",
                                .mode = L2MT_MODE_LL6TO4, .in = &f6,
                                .out = &f4, .want = L2MT_XLATED });
    }
    /* A big fragment gets DF=0 anyway. */
    {
        struct pspec s = pspec(17, 1400);
        struct tframe f6, f4;

        s.frag = s.mf = true;
        mk6(&f6, &s);
        mk4(&f4, &s);
        t_run(&(struct tcase) { .name = "big fragment DF=0",
                                .mode = L2MT_MODE_LL6TO4, .in = &f6,
                                .out = &f4, .want = L2MT_XLATED });
    }
}

#define MAX_FRAGS 64

/* Puts the pseudo-header sum into the TCP/UDP checksum field of 'f', as a
 * sender with checksum offload (csum_partial) leaves it. */
static void
put_pseudo(struct tframe *f, uint8_t proto)
{
    size_t ofs = proto == 6 ? 16 : 6;
    uint16_t p = tf_pseudo(f);

    f->b[f->l4 + ofs] = p >> 8;
    f->b[f->l4 + ofs + 1] = p & 0xff;
}

/* Runs 4->6 on the IPv4 form of 's' and expects the fragments of its
 * IPv6 form that RFC 7915 4 asks for with IPv6 packets of at most
 * 'frag_size' bytes ('cfg': NULL for the default 1280), or the whole
 * packet when 'frag_size' is 0. */
static void
df0_case(const char *name, const struct pspec *s, const struct l2mt_cfg *cfg,
         size_t frag_size, size_t want_n, bool partial)
{
    static struct tframe frags[MAX_FRAGS];
    struct tframe f4, f6;
    size_t n = 0;

    mk4(&f4, s);
    mk6(&f6, s);
    if (frag_size) {
        n = mk6_frags(frags, MAX_FRAGS, &f6, frag_size, s->id);
        t_check(n == want_n, name, "the builders made %zu fragments, not %zu",
                n, want_n);
    }
    if (partial) {
        /* The input holds only the pseudo-header sum; the whole frame
         * keeps it (adjusted), the first fragment gets the real sum. */
        put_pseudo(&f4, s->proto);
        put_pseudo(&f6, s->proto);
    }
    t_run(&(struct tcase) { .name = name, .mode = L2MT_MODE_4TOLL6,
                            .in = &f4, .out = &f6, .want = L2MT_XLATED,
                            .cfg = cfg, .frags = n ? frags : NULL,
                            .nfrags = n, .csum_partial = partial });
}

/* RFC 7915 4: "If the DF flag is not set and the IPv4 packet will result
 * in an IPv6 packet larger than 1280 bytes, the packet SHOULD be
 * fragmented so the resulting IPv6 packet (with Fragment header added to
 * each fragment) will be less than or equal to 1280 bytes"; 4.1: the
 * Fragment header's identification is the IPv4 ID in the low 16 bits, 0
 * in the high 16; offset and M as for IPv6 fragments; the threshold may
 * be configured (here: mtu6). */
static void
test_df0_fragments(void)
{
    struct l2mt_cfg c1500, c1520, c1519;
    struct pspec s;

    l2mt_cfg_init(&c1500, NULL, 0);
    l2mt_cfg_set_mtu(&c1500, 1500, 0);
    l2mt_cfg_init(&c1520, NULL, 0);
    l2mt_cfg_set_mtu(&c1520, 1520, 0);
    l2mt_cfg_init(&c1519, NULL, 0);
    l2mt_cfg_set_mtu(&c1519, 1519, 0);

    /* 1500-byte IPv4 UDP: 1480 bytes after the IPv6 header, cut 1232 +
     * 248. */
    s = pspec(17, 1472);
    s.id = 0xbeef;
    df0_case("DF=0 UDP 1500 bytes: 2 fragments", &s, NULL, 1280, 2, false);
    df0_case("DF=0 UDP, mtu6 1500", &s, &c1500, 1500, 2, false);
    df0_case("DF=0 UDP, 1520 bytes of IPv6 = mtu6: whole", &s, &c1520, 0, 0,
             false);
    df0_case("DF=0 UDP, mtu6 1519", &s, &c1519, 1519, 2, false);
    df0_case("DF=0 UDP, csum_partial: first fragment's sum complete", &s,
             NULL, 1280, 2, true);
    s.df = true;
    df0_case("DF=1 UDP 1500 bytes: whole", &s, NULL, 0, 0, false);

    /* The boundary: 1280 bytes of IPv6 go whole, 1281 are cut 1232 + 9. */
    s = pspec(17, 1232);
    df0_case("DF=0 UDP, 1280 bytes of IPv6: whole", &s, NULL, 0, 0, false);
    s = pspec(17, 1233);
    df0_case("DF=0 UDP, 1281 bytes of IPv6", &s, NULL, 1280, 2, false);

    /* TCP with two VLAN tags, 3 fragments; ICMP echo (its checksum over
     * the whole message, made before cutting); UDP checksum 0 computed
     * first. */
    s = pspec(6, 3000);
    s.ntags = 2;
    s.tos = 0xb8;
    df0_case("DF=0 TCP, two VLAN tags: 3 fragments", &s, NULL, 1280, 3,
             false);
    df0_case("DF=0 TCP, csum_partial", &s, NULL, 1280, 3, true);
    s = pspec(1, 1400);
    s.id = 0x0102;
    df0_case("DF=0 ICMP echo 1428 bytes", &s, NULL, 1280, 2, false);
    s.df = true;
    df0_case("DF=1 ICMP echo 1428 bytes: whole", &s, NULL, 0, 0, false);
    {
        static struct tframe frags[2];
        struct tframe f4, f6;
        size_t n;

        s = pspec(17, 1472);
        mk4(&f4, &s);
        mk6(&f6, &s);
        f4.b[f4.l4 + 6] = f4.b[f4.l4 + 7] = 0;
        f4.keep_csum = true;
        tf_end(&f4);
        n = mk6_frags(frags, 2, &f6, 1280, s.id);
        t_run(&(struct tcase) { .name = "DF=0 UDP checksum 0: computed, cut",
                                .mode = L2MT_MODE_4TOLL6, .in = &f4,
                                .out = &f6, .want = L2MT_XLATED,
                                .frags = frags, .nfrags = n });
    }

    /* A fragment already (RFC 7915 4.1): the pieces keep its ID, start at
     * its offset, and all but a last fragment's last piece have M = 1. */
    s = pspec(17, 1400);
    s.frag = s.mf = true;
    s.id = 0x7777;
    df0_case("DF=0 first fragment, MF=1: pieces all M=1", &s, NULL, 1280, 2,
             false);
    s = pspec(17, 1400);
    s.frag = true;
    s.frag_off = 100;
    s.id = 0x7778;
    df0_case("DF=0 last fragment at 800: last piece M=0", &s, NULL, 1280, 2,
             false);
    s.mf = true;
    s.df = true;
    df0_case("DF=1 middle fragment: whole", &s, NULL, 0, 0, false);
}

static void
test_ip4_options(void)
{
    static const uint8_t nops[4] = { 1, 1, 1, 0 };
    static const uint8_t rr[8] = { 7, 7, 4, 0, 0, 0, 0, 1 };  /* + EOL. */
    static const uint8_t lsrr_done[8] = { 131, 7, 8, 10, 0, 0, 1, 0 };
    static const uint8_t lsrr[8] = { 131, 7, 4, 10, 0, 0, 1, 0 };
    static const uint8_t ssrr[8] = { 137, 7, 4, 10, 0, 0, 1, 0 };
    static const uint8_t bad_len[4] = { 7, 9, 4, 0 };
    static const uint8_t short_srr[4] = { 131, 2, 1, 0 };
    static const uint8_t cut[4] = { 1, 1, 1, 7 };
    static const struct {
        const char *name;
        const uint8_t *opt;
        size_t len;
        enum l2mt_result want;
    } cases[] = {
        { "options NOP EOL ignored", nops, 4, L2MT_XLATED },
        { "record route ignored", rr, 8, L2MT_XLATED },
        { "expired LSRR ignored", lsrr_done, 8, L2MT_XLATED },
        { "unexpired LSRR", lsrr, 8, L2MT_IPV4_SOURCE_ROUTE },
        { "unexpired SSRR", ssrr, 8, L2MT_IPV4_SOURCE_ROUTE },
        { "option past header", bad_len, 4, L2MT_BAD_IPV4_HEADER },
        { "source route too short", short_srr, 4, L2MT_BAD_IPV4_HEADER },
        { "option cut by the header end", cut, 4, L2MT_BAD_IPV4_HEADER },
    };
    size_t i;

    for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        struct pspec s = pspec(17, 30);
        struct tframe f4, f6;

        tf_init(&f4);
        tf_eth(&f4, MAC_B, MAC_A, 0, 0x0800);
        tf_ip4(&f4, 0, s.id, 0, s.ttl, 17, IP_A, IP_B, cases[i].opt,
               cases[i].len);
        tf_udp(&f4, 4000, 53);
        tf_pattern(&f4, 30, 30);
        tf_end(&f4);
        mk6(&f6, &s);
        t_run(&(struct tcase) { .name = cases[i].name,
                                .mode = L2MT_MODE_4TOLL6, .in = &f4,
                                .out = &f6, .want = cases[i].want });
    }
}

static void
test_ext_headers(void)
{
    struct pspec s = pspec(17, 50);
    uint8_t src[16], dst[16];
    struct tframe f6, f4;
    static const struct {
        const char *name;
        uint8_t hdrs[5];        /* 0 HBH, 60 DST, 43 RT, 51 AH. */
        size_t n;
        uint8_t segs_left;
        enum l2mt_result want;
    } cases[] = {
        { "hop-by-hop skipped", { 0 }, 1, 0, L2MT_XLATED },
        { "HBH DST RT DST skipped", { 0, 60, 43, 60 }, 4, 0, L2MT_XLATED },
        { "routing segments left", { 43 }, 1, 1, L2MT_IPV6_ROUTING_HDR },
        { "hop-by-hop not first", { 60, 0 }, 2, 0, L2MT_BAD_IPV6_HEADER },
        { "AH", { 51 }, 1, 0, L2MT_IPV6_EXT_HDR },
        { "five extension headers", { 60, 60, 60, 60, 60 }, 5, 0,
          L2MT_XLATED },
    };
    size_t i, k;

    a6(src, PFX_LL, IP_A);
    a6(dst, PFX_LL, IP_B);
    s.id = 9;
    mk4(&f4, &s);
    for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        const uint8_t *hdrs = cases[i].hdrs;
        size_t n = cases[i].n;

        tf_init(&f6);
        tf_eth(&f6, MAC_B, MAC_A, 0, 0x86dd);
        tf_ip6(&f6, 0, hdrs[0], 64, src, dst);
        for (k = 0; k < n; k++) {
            uint8_t next = k + 1 < n ? hdrs[k + 1] : 17;

            if (hdrs[k] == 51) {
                tf_ext6(&f6, next, 2, 0, 0);
            } else {
                tf_ext6(&f6, next, (uint8_t) k, 0,
                        hdrs[k] == 43 ? cases[i].segs_left : 0);
            }
        }
        tf_udp(&f6, 4000, 53);
        tf_pattern(&f6, 50, 50);
        tf_end(&f6);
        t_run(&(struct tcase) { .name = cases[i].name,
                                .mode = L2MT_MODE_LL6TO4, .in = &f6,
                                .out = &f4, .want = cases[i].want,
                                .ip_id = 9 });
    }

    /* Nine headers: one too many. */
    tf_init(&f6);
    tf_eth(&f6, MAC_B, MAC_A, 0, 0x86dd);
    tf_ip6(&f6, 0, 60, 64, src, dst);
    for (k = 0; k < 9; k++) {
        tf_ext6(&f6, k < 8 ? 60 : 17, 0, 0, 0);
    }
    tf_udp(&f6, 4000, 53);
    tf_end(&f6);
    t_run(&(struct tcase) { .name = "too many extension headers",
                            .mode = L2MT_MODE_LL6TO4, .in = &f6,
                            .want = L2MT_IPV6_EXT_HDR });

    /* Extension and Fragment headers cut or not linear. */
    {
        static const uint8_t kinds[] = { 60, 44 };
        size_t k2;

        for (k2 = 0; k2 < 2; k2++) {
            tf_init(&f6);
            tf_eth(&f6, MAC_B, MAC_A, 0, 0x86dd);
            tf_ip6(&f6, 0, kinds[k2], 64, src, dst);
            if (kinds[k2] == 44) {
                tf_frag6(&f6, 17, 0, true, 1);
            } else {
                tf_ext6(&f6, 17, 1, 0, 0);
            }
            tf_udp(&f6, 4000, 53);
            tf_pattern(&f6, 100, 1);
            tf_end(&f6);
            t_run(&(struct tcase) { .name = "extension header not linear",
                                    .mode = L2MT_MODE_LL6TO4, .in = &f6,
                                    .linear = f6.l3 + 44,
                                    .want = L2MT_NEED_LINEAR });
            f6.n = f6.l3 + 44;
            t_run(&(struct tcase) { .name = "extension header cut",
                                    .mode = L2MT_MODE_LL6TO4, .in = &f6,
                                    .want = L2MT_TRUNCATED });
        }
        f6.n = f6.l3 + 30;
        t_run(&(struct tcase) { .name = "IPv6 header cut",
                                .mode = L2MT_MODE_LL6TO4, .in = &f6,
                                .want = L2MT_TRUNCATED });
        mk6(&f6, &s);
        t_run(&(struct tcase) { .name = "IPv6 header not linear",
                                .mode = L2MT_MODE_LL6TO4, .in = &f6,
                                .linear = f6.l3 + 30,
                                .want = L2MT_NEED_LINEAR });
        /* Extension headers after a Fragment header. */
        for (k2 = 0; k2 < 2; k2++) {
            tf_init(&f6);
            tf_eth(&f6, MAC_B, MAC_A, 0, 0x86dd);
            tf_ip6(&f6, 0, 44, 64, src, dst);
            tf_frag6(&f6, k2 ? 44 : 0, 0, true, 1);
            if (k2) {
                tf_frag6(&f6, 17, 0, true, 1);
            } else {
                tf_ext6(&f6, 17, 0, 0, 0);
            }
            tf_udp(&f6, 4000, 53);
            tf_end(&f6);
            t_run(&(struct tcase) {
                      .name = k2 ? "two Fragment headers"
                                 : "hop-by-hop after Fragment header",
                      .mode = L2MT_MODE_LL6TO4, .in = &f6,
                      .want = L2MT_IPV6_EXT_HDR });
        }
    }

    /* Extension header after the Fragment header. */
    tf_init(&f6);
    tf_eth(&f6, MAC_B, MAC_A, 0, 0x86dd);
    tf_ip6(&f6, 0, 44, 64, src, dst);
    tf_frag6(&f6, 60, 0, true, 1);
    tf_ext6(&f6, 17, 0, 0, 0);
    tf_udp(&f6, 4000, 53);
    tf_end(&f6);
    t_run(&(struct tcase) { .name = "extension header after fragment",
                            .mode = L2MT_MODE_LL6TO4, .in = &f6,
                            .want = L2MT_IPV6_EXT_HDR });
}

/* A bad TCP/UDP/echo checksum stays bad by the same amount. */
static void
test_bad_csum(void)
{
    static const uint8_t protos[] = { 17, 6, 1 };
    size_t i;
    int dir;

    for (i = 0; i < sizeof protos; i++) {
        for (dir = 0; dir < 2; dir++) {
            struct pspec s = pspec(protos[i], 77);
            struct tframe in, out;
            enum l2mt_result r;
            uint16_t before, after;
            char n[64];

            (dir ? mk6 : mk4)(&in, &s);
            in.b[in.n - 1] ^= 0x5a;     /* Corrupt the payload. */
            before = tf_verify_l4(&in);
            r = t_xlate(dir ? L2MT_MODE_LL6TO4 : L2MT_MODE_4TOLL6, NULL, &in,
                        &out, 0);
            out.l4proto = protos[i] == 1 && !dir ? 58 : protos[i];
            out.ipv = dir ? 4 : 6;
            after = r == L2MT_XLATED ? tf_verify_l4(&out) : 0;
            snprintf(n, sizeof n, "bad checksum proto %d %s stays bad",
                     protos[i], dir ? "6->4" : "4->6");
            t_check(r == L2MT_XLATED && before != 0xffff && after == before,
                    n, "result %s, verify sum before %#x after %#x",
                    l2mt_result_name(r), before, after);
        }
    }
}

static void
test_udp_zero(void)
{
    struct pspec s = pspec(17, 300);
    struct tframe f4, f6;
    struct l2mt_cfg drop;

    mk4(&f4, &s);
    mk6(&f6, &s);
    f4.b[f4.l4 + 6] = f4.b[f4.l4 + 7] = 0;
    t_run(&(struct tcase) { .name = "UDP checksum 0 computed",
                            .mode = L2MT_MODE_4TOLL6, .in = &f4,
                            .out = &f6, .want = L2MT_XLATED });
    t_run(&(struct tcase) { .name = "UDP checksum 0 needs linear data",
                            .mode = L2MT_MODE_4TOLL6, .in = &f4,
                            .linear = f4.n - 1, .want = L2MT_NEED_LINEAR });
    l2mt_cfg_init(&drop, NULL, L2MT_F_UDP0_DROP);
    t_run(&(struct tcase) { .name = "UDP checksum 0 dropped by option",
                            .mode = L2MT_MODE_4TOLL6, .in = &f4,
                            .cfg = &drop, .want = L2MT_UDP_ZERO_CSUM });

    s.frag = s.mf = true;
    mk4(&f4, &s);
    f4.b[f4.l4 + 6] = f4.b[f4.l4 + 7] = 0;
    t_run(&(struct tcase) { .name = "UDP checksum 0 in a fragment",
                            .mode = L2MT_MODE_4TOLL6, .in = &f4,
                            .want = L2MT_UDP_ZERO_CSUM });

    s = pspec(17, 20);
    mk6(&f6, &s);
    f6.b[f6.l4 + 6] = f6.b[f6.l4 + 7] = 0;
    t_run(&(struct tcase) { .name = "IPv6 UDP checksum 0",
                            .mode = L2MT_MODE_LL6TO4, .in = &f6,
                            .want = L2MT_UDP_ZERO_CSUM });

    /* A datagram whose checksum comes out as 0 is sent as 0xffff (tf_end
     * does so): find payloads for which that happens in each family, and
     * translate into that family incrementally. */
    {
        int v, found4 = 0, found6 = 0;

        s = pspec(17, 2);
        for (v = 0; v < 65536 && !(found4 && found6); v++) {
            struct tframe g4, g6;

            mk4(&g4, &s);
            mk6(&g6, &s);
            g4.b[g4.n - 2] = g6.b[g6.n - 2] = v >> 8;
            g4.b[g4.n - 1] = g6.b[g6.n - 1] = v & 0xff;
            tf_end(&g4);
            tf_end(&g6);
            if (!found6 && g6.b[g6.l4 + 6] == 0xff
                && g6.b[g6.l4 + 7] == 0xff) {
                found6 = 1;
                t_run(&(struct tcase) { .name = "UDP 4->6 result 0 is 0xffff",
                                        .mode = L2MT_MODE_4TOLL6, .in = &g4,
                                        .out = &g6, .want = L2MT_XLATED });
            }
            if (!found4 && g4.b[g4.l4 + 6] == 0xff
                && g4.b[g4.l4 + 7] == 0xff) {
                found4 = 1;
                t_run(&(struct tcase) { .name = "UDP 6->4 result 0 is 0xffff",
                                        .mode = L2MT_MODE_LL6TO4, .in = &g6,
                                        .out = &g4, .want = L2MT_XLATED,
                                        .ip_id = 0x1234 });
            }
        }
        t_check(found4 && found6, "UDP 0xffff payload search",
                "no payload found");
    }
}

static void
test_csum_partial(void)
{
    static const uint8_t protos[] = { 17, 6 };
    size_t i;

    for (i = 0; i < sizeof protos; i++) {
        struct pspec s = pspec(protos[i], 64);
        struct tframe f4, f6;

        mk4(&f4, &s);
        mk6(&f6, &s);
        put_pseudo(&f4, protos[i]);
        put_pseudo(&f6, protos[i]);
        t_run(&(struct tcase) { .name = "csum_partial 4->6",
                                .mode = L2MT_MODE_4TOLL6, .in = &f4,
                                .out = &f6, .want = L2MT_XLATED,
                                .csum_partial = true });
        t_run(&(struct tcase) { .name = "csum_partial 6->4",
                                .mode = L2MT_MODE_LL6TO4, .in = &f6,
                                .out = &f4, .want = L2MT_XLATED,
                                .csum_partial = true, .ip_id = 0x1234 });
    }
}

static void
test_linear_headroom(void)
{
    struct pspec s = pspec(17, 500);
    struct tframe f4, f6, f4f, f6f;

    mk4(&f4, &s);
    mk6(&f6, &s);
    t_run(&(struct tcase) { .name = "linear up to the UDP checksum",
                            .mode = L2MT_MODE_4TOLL6, .in = &f4, .out = &f6,
                            .linear = f4.l4 + 8, .want = L2MT_XLATED });
    t_run(&(struct tcase) { .name = "linear one byte short of checksum",
                            .mode = L2MT_MODE_4TOLL6, .in = &f4,
                            .linear = f4.l4 + 7, .want = L2MT_NEED_LINEAR });
    t_run(&(struct tcase) { .name = "linear inside IPv4 header",
                            .mode = L2MT_MODE_4TOLL6, .in = &f4,
                            .linear = f4.l3 + 10, .want = L2MT_NEED_LINEAR });
    t_run(&(struct tcase) { .name = "linear inside Ethernet header",
                            .mode = L2MT_MODE_4TOLL6, .in = &f4,
                            .linear = 10, .want = L2MT_NEED_LINEAR });
    t_run(&(struct tcase) { .name = "6->4 linear up to the checksum",
                            .mode = L2MT_MODE_LL6TO4, .in = &f6,
                            .out = &f4, .linear = f6.l4 + 8,
                            .want = L2MT_XLATED, .ip_id = 0x1234 });
    t_run(&(struct tcase) { .name = "6->4 linear one byte short",
                            .mode = L2MT_MODE_LL6TO4, .in = &f6,
                            .linear = f6.l4 + 7, .want = L2MT_NEED_LINEAR });

    {
        struct pspec t = pspec(6, 100);
        struct tframe t4, t6;

        mk4(&t4, &t);
        mk6(&t6, &t);
        t_run(&(struct tcase) { .name = "TCP 6->4 linear up to checksum",
                                .mode = L2MT_MODE_LL6TO4, .in = &t6,
                                .out = &t4, .linear = t6.l4 + 18,
                                .want = L2MT_XLATED, .ip_id = 0x1234 });
        t_run(&(struct tcase) { .name = "TCP 6->4 linear one byte short",
                                .mode = L2MT_MODE_LL6TO4, .in = &t6,
                                .linear = t6.l4 + 17,
                                .want = L2MT_NEED_LINEAR });
        t_run(&(struct tcase) { .name = "TCP 4->6 linear one byte short",
                                .mode = L2MT_MODE_4TOLL6, .in = &t4,
                                .linear = t4.l4 + 17,
                                .want = L2MT_NEED_LINEAR });
    }
    t_run(&(struct tcase) { .name = "headroom exactly 20",
                            .mode = L2MT_MODE_4TOLL6, .in = &f4, .out = &f6,
                            .headroom = 20, .want = L2MT_XLATED });
    t_run(&(struct tcase) { .name = "headroom 19",
                            .mode = L2MT_MODE_4TOLL6, .in = &f4,
                            .headroom = 19, .want = L2MT_NO_HEADROOM });
    t_run(&(struct tcase) { .name = "no headroom",
                            .mode = L2MT_MODE_4TOLL6, .in = &f4,
                            .no_headroom = true,
                            .want = L2MT_NO_HEADROOM });
    t_run(&(struct tcase) { .name = "6->4 needs no headroom",
                            .mode = L2MT_MODE_LL6TO4, .in = &f6, .out = &f4,
                            .no_headroom = true, .want = L2MT_XLATED,
                            .ip_id = 0x1234 });
    s.frag = s.mf = true;
    mk4(&f4f, &s);
    mk6(&f6f, &s);
    t_run(&(struct tcase) { .name = "fragment headroom exactly 28",
                            .mode = L2MT_MODE_4TOLL6, .in = &f4f,
                            .out = &f6f, .headroom = 28,
                            .want = L2MT_XLATED });
    t_run(&(struct tcase) { .name = "fragment headroom 27",
                            .mode = L2MT_MODE_4TOLL6, .in = &f4f,
                            .headroom = 27, .want = L2MT_NO_HEADROOM });
}

/* Ethernet padding after the IP packet is not part of it. */
static void
test_padding(void)
{
    struct pspec s = pspec(17, 2);
    struct tframe f4, f6, f4b;

    mk4(&f4, &s);
    mk6(&f6, &s);
    memset(f4.b + f4.n, 0, 60 - f4.n);
    f4.n = 60;
    t_run(&(struct tcase) { .name = "padded IPv4 frame",
                            .mode = L2MT_MODE_4TOLL6, .in = &f4, .out = &f6,
                            .want = L2MT_XLATED });
    memset(f6.b + f6.n, 0xee, 10);
    f6.n += 10;
    mk4(&f4b, &s);
    t_run(&(struct tcase) { .name = "padded IPv6 frame",
                            .mode = L2MT_MODE_LL6TO4, .in = &f6,
                            .out = &f4b, .want = L2MT_XLATED,
                            .ip_id = 0x1234 });
}

/* 4->6->4 gives back the input when the ID and DF agree. */
static void
test_round_trips(void)
{
    static const uint8_t protos[] = { 17, 6, 1, 47 };
    size_t i, j;

    for (i = 0; i < sizeof protos; i++) {
        for (j = 0; j < 6; j++) {
            struct pspec s = pspec(protos[i], j * 291);
            struct tframe f4, f6, back;
            enum l2mt_result r1, r2 = L2MT_N_RESULTS;
            char n[64];

            s.ntags = (int) j % 3;
            s.tos = (uint8_t) (j * 11);
            s.id = (uint16_t) (0x100 * j + 1);
            if (protos[i] != 1 && j == 5) {
                s.frag = s.mf = true;
            }
            mk4(&f4, &s);
            if (!s.frag && f4.n - f4.l3 > 1260) {
                s.df = true;
                mk4(&f4, &s);
            }
            r1 = t_xlate(L2MT_MODE_4TOLL6, NULL, &f4, &f6, 0);
            if (r1 == L2MT_XLATED) {
                r2 = t_xlate(L2MT_MODE_LL6TO4, NULL, &f6, &back, s.id);
            }
            snprintf(n, sizeof n, "round trip proto %d #%zu", protos[i], j);
            t_check(r2 == L2MT_XLATED && back.n == f4.n
                    && !memcmp(back.b, f4.b, f4.n), n, "results %s %s",
                    l2mt_result_name(r1), l2mt_result_name(r2));
        }
    }
}

static void
test_names(void)
{
    int i, j;

    for (i = 0; i < L2MT_N_RESULTS; i++) {
        const char *a = l2mt_result_name(i);

        t_check(strcmp(a, "unknown") != 0, "result name", "%d", i);
        for (j = 0; j < i; j++) {
            t_check(strcmp(a, l2mt_result_name(j)) != 0, "unique names",
                    "%s", a);
        }
    }
    t_check(!strcmp(l2mt_result_name(L2MT_N_RESULTS), "unknown"),
            "out-of-range result name", "not unknown");
    t_check(!strcmp(l2mt_result_name(L2MT_BAD_IPV4_HEADER),
                    "bad_ipv4_header"), "bad_ipv4_header name", "wrong");
    for (i = L2MT_MODE_NORMAL; i <= L2MT_MODE_LL6TO4; i++) {
        t_check(l2mt_mode_from_name(l2mt_mode_name(i)) == i, "mode names",
                "%d", i);
    }
    t_check(l2mt_mode_from_name("4toll") == -1
            && l2mt_mode_from_name("4toll66") == -1
            && l2mt_mode_from_name("") == -1, "unknown mode name", "found");
    t_check(!strcmp(l2mt_mode_name(L2MT_MODE_LL6TO4), "ll6to4"),
            "ll6to4 name", "wrong");
    t_check(!strcmp(l2mt_mode_name((enum l2mt_mode) 7), "unknown"),
            "unknown mode value name", "not unknown");
}

int
main(void)
{
    test_basic();
    test_fields();
    test_vlan();
    test_prefixes();
    test_fragments();
    test_df0_fragments();
    test_ip4_options();
    test_ext_headers();
    test_bad_csum();
    test_udp_zero();
    test_csum_partial();
    test_linear_headroom();
    test_padding();
    test_round_trips();
    test_names();
    return t_summary("test-nat64-ip");
}
