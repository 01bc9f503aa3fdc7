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

/* ARP <-> NDP, as specified in Documentation/translation.md: every row
 * both ways, the RFC 4861 7.1 validity checks, round trips. */

#include <config.h>
#include "nat64-test.h"
#include <stdio.h>
#include <string.h>

static const uint8_t ZERO6[6];
static const uint8_t MAC_C[6] = { 0x02, 0, 0, 0, 0, 0x0c };
static const uint8_t UNSPEC[16];
static const uint8_t ALL_NODES[16] = { 0xff, 0x02, [15] = 1 };
static const uint8_t ALL_ROUTERS[16] = { 0xff, 0x02, [15] = 2 };
static const uint8_t ETH_ALL_NODES[6] = { 0x33, 0x33, 0, 0, 0, 1 };

static int ntags;               /* VLAN tags on the frames built. */

static void
ll(uint8_t out[16], uint32_t v4)
{
    a6(out, PFX_LL, v4);
}

static void
snm(uint8_t out[16], uint32_t v4)
{
    static const uint8_t p[13] = { 0xff, 0x02, [11] = 1, [12] = 0xff };

    memcpy(out, p, 13);
    out[13] = v4 >> 16;
    out[14] = v4 >> 8;
    out[15] = v4;
}

static void
snm_mac(uint8_t out[6], uint32_t v4)
{
    out[0] = out[1] = 0x33;
    out[2] = 0xff;
    out[3] = v4 >> 16;
    out[4] = v4 >> 8;
    out[5] = v4;
}

static void
mk_arp(struct tframe *f, const uint8_t eth_dst[6], const uint8_t eth_src[6],
       uint16_t op, const uint8_t sha[6], uint32_t spa, const uint8_t tha[6],
       uint32_t tpa)
{
    tf_init(f);
    tf_eth(f, eth_dst, eth_src, ntags, 0x0806);
    tf_arp(f, op, sha, spa, tha, tpa);
}

/* An NS (type 135) or NA (136); 'opt' is the SLLAO/TLLAO MAC or NULL. */
static void
mk_nd(struct tframe *f, uint8_t type, const uint8_t eth_dst[6],
      const uint8_t eth_src[6], const uint8_t src[16], const uint8_t dst[16],
      uint8_t flags, const uint8_t target[16], const uint8_t *opt)
{
    tf_init(f);
    tf_eth(f, eth_dst, eth_src, ntags, 0x86dd);
    tf_ip6(f, 0, 58, 255, src, dst);
    tf_icmp(f, 58, type, 0, (uint32_t) flags << 24);
    tf_mem(f, target, 16);
    if (opt) {
        tf_u8(f, type == 135 ? 1 : 2);
        tf_u8(f, 1);
        tf_mem(f, opt, 6);
    }
    tf_end(f);
}

static void
run(const char *name, enum l2mt_mode mode, const struct tframe *in,
    const struct tframe *out, enum l2mt_result want)
{
    t_run(&(struct tcase) { .name = name, .mode = mode, .in = in,
                            .out = out, .want = want });
}

static void
a2n(const char *name, const struct tframe *in, const struct tframe *out)
{
    run(name, L2MT_MODE_4TOLL6, in, out, L2MT_XLATED);
}

static void
n2a(const char *name, const struct tframe *in, const struct tframe *out)
{
    run(name, L2MT_MODE_LL6TO4, in, out, L2MT_XLATED);
}

static void
test_rows(void)
{
    uint8_t la[16], lb[16], snm_b[16], snm_a[16], mac_snm_b[6], mac_snm_a[6];
    struct tframe arp, nd, arp2;

    ll(la, IP_A);
    ll(lb, IP_B);
    snm(snm_b, IP_B);
    snm(snm_a, IP_A);
    snm_mac(mac_snm_b, IP_B);
    snm_mac(mac_snm_a, IP_A);

    /* Request <-> multicast NS. */
    mk_arp(&arp, MAC_BCAST, MAC_A, 1, MAC_A, IP_A, ZERO6, IP_B);
    mk_nd(&nd, 135, mac_snm_b, MAC_A, la, snm_b, 0, lb, MAC_A);
    a2n("ARP request -> NS", &arp, &nd);
    n2a("NS -> ARP request", &nd, &arp);

    /* The SLLAO, not the Ethernet source, is the sender's address. */
    mk_nd(&nd, 135, mac_snm_b, MAC_C, la, snm_b, 0, lb, MAC_A);
    mk_arp(&arp2, MAC_BCAST, MAC_C, 1, MAC_A, IP_A, ZERO6, IP_B);
    n2a("NS SLLAO is sha", &nd, &arp2);
    mk_arp(&arp, MAC_BCAST, MAC_C, 1, MAC_A, IP_A, ZERO6, IP_B);
    mk_nd(&nd, 135, mac_snm_b, MAC_C, la, snm_b, 0, lb, MAC_A);
    a2n("ARP sha is SLLAO", &arp, &nd);
    mk_nd(&nd, 135, mac_snm_b, MAC_C, la, snm_b, 0, lb, NULL);
    mk_arp(&arp2, MAC_BCAST, MAC_C, 1, MAC_C, IP_A, ZERO6, IP_B);
    n2a("NS without SLLAO: sha is Ethernet source", &nd, &arp2);

    /* Unicast request (NUD) <-> unicast NS. */
    mk_arp(&arp, MAC_B, MAC_A, 1, MAC_A, IP_A, ZERO6, IP_B);
    mk_nd(&nd, 135, MAC_B, MAC_A, la, lb, 0, lb, MAC_A);
    a2n("unicast ARP request -> unicast NS", &arp, &nd);
    n2a("unicast NS -> unicast ARP request", &nd, &arp);

    /* Reply <-> solicited NA. */
    mk_arp(&arp, MAC_A, MAC_B, 2, MAC_B, IP_B, MAC_A, IP_A);
    mk_nd(&nd, 136, MAC_A, MAC_B, lb, la, 0x60, lb, MAC_B);
    a2n("ARP reply -> NA", &arp, &nd);
    n2a("NA -> ARP reply", &nd, &arp);
    mk_arp(&arp, MAC_BCAST, MAC_B, 2, MAC_B, IP_B, MAC_A, IP_A);
    a2n("ARP reply: Ethernet destination is tha", &arp, &nd);
    mk_nd(&nd, 136, MAC_A, MAC_B, lb, la, 0x60, lb, NULL);
    mk_arp(&arp, MAC_A, MAC_B, 2, MAC_B, IP_B, MAC_A, IP_A);
    n2a("NA without TLLAO: sha is Ethernet source", &nd, &arp);
    mk_nd(&nd, 136, MAC_A, MAC_B, lb, la, 0xe0, lb, MAC_C);
    mk_arp(&arp, MAC_A, MAC_B, 2, MAC_C, IP_B, MAC_A, IP_A);
    n2a("NA with R flag, TLLAO is sha", &nd, &arp);

    /* Gratuitous ARP <-> unsolicited NA. */
    mk_arp(&arp, MAC_BCAST, MAC_A, 1, MAC_A, IP_A, ZERO6, IP_A);
    mk_nd(&nd, 136, ETH_ALL_NODES, MAC_A, la, ALL_NODES, 0x20, la, MAC_A);
    a2n("gratuitous ARP request -> unsolicited NA", &arp, &nd);
    n2a("unsolicited NA -> gratuitous ARP request", &nd, &arp);
    mk_arp(&arp2, MAC_BCAST, MAC_A, 2, MAC_A, IP_A, MAC_BCAST, IP_A);
    a2n("gratuitous ARP reply -> unsolicited NA", &arp2, &nd);
    mk_arp(&arp2, MAC_BCAST, MAC_A, 2, MAC_A, IP_A, ZERO6, 0);
    a2n("ARP reply to a probe -> unsolicited NA", &arp2, &nd);

    /* Probe <-> DAD NS. */
    mk_arp(&arp, MAC_BCAST, MAC_A, 1, MAC_A, 0, ZERO6, IP_A);
    mk_nd(&nd, 135, mac_snm_a, MAC_A, UNSPEC, snm_a, 0, la, NULL);
    a2n("ARP probe -> DAD NS", &arp, &nd);
    n2a("DAD NS -> ARP probe", &nd, &arp);
    t_run(&(struct tcase) { .name = "ARP probe headroom 36",
                            .mode = L2MT_MODE_4TOLL6, .in = &arp,
                            .out = &nd, .headroom = 36,
                            .want = L2MT_XLATED });
    t_run(&(struct tcase) { .name = "ARP probe headroom 35",
                            .mode = L2MT_MODE_4TOLL6, .in = &arp,
                            .headroom = 35, .want = L2MT_NO_HEADROOM });

    /* Headroom, linear data, padding. */
    mk_arp(&arp, MAC_BCAST, MAC_A, 1, MAC_A, IP_A, ZERO6, IP_B);
    mk_nd(&nd, 135, mac_snm_b, MAC_A, la, snm_b, 0, lb, MAC_A);
    t_run(&(struct tcase) { .name = "ARP headroom 44",
                            .mode = L2MT_MODE_4TOLL6, .in = &arp,
                            .out = &nd, .headroom = 44,
                            .want = L2MT_XLATED });
    t_run(&(struct tcase) { .name = "ARP headroom 43",
                            .mode = L2MT_MODE_4TOLL6, .in = &arp,
                            .headroom = 43, .want = L2MT_NO_HEADROOM });
    t_run(&(struct tcase) { .name = "ARP not linear",
                            .mode = L2MT_MODE_4TOLL6, .in = &arp,
                            .linear = arp.n - 1,
                            .want = L2MT_NEED_LINEAR });
    t_run(&(struct tcase) { .name = "NS not linear",
                            .mode = L2MT_MODE_LL6TO4, .in = &nd,
                            .linear = nd.n - 1,
                            .want = L2MT_NEED_LINEAR });
    memset(arp.b + arp.n, 0, 60 - arp.n);
    arp.n = 60;
    a2n("padded ARP request -> NS", &arp, &nd);
}

static void
test_options(void)
{
    uint8_t la[16], lb[16], snm_b[16], mac_snm_b[6];
    struct tframe nd, arp;

    ll(la, IP_A);
    ll(lb, IP_B);
    snm(snm_b, IP_B);
    snm_mac(mac_snm_b, IP_B);
    mk_arp(&arp, MAC_BCAST, MAC_A, 1, MAC_C, IP_A, ZERO6, IP_B);

    /* A nonce (RFC 3971) before the SLLAO is skipped. */
    tf_init(&nd);
    tf_eth(&nd, mac_snm_b, MAC_A, ntags, 0x86dd);
    tf_ip6(&nd, 0, 58, 255, la, snm_b);
    tf_icmp(&nd, 58, 135, 0, 0);
    tf_mem(&nd, lb, 16);
    tf_u8(&nd, 14);
    tf_u8(&nd, 1);
    tf_pattern(&nd, 6, 1);
    tf_u8(&nd, 1);
    tf_u8(&nd, 1);
    tf_mem(&nd, MAC_C, 6);
    tf_u8(&nd, 1);              /* A second SLLAO is ignored. */
    tf_u8(&nd, 1);
    tf_mem(&nd, MAC_B, 6);
    tf_end(&nd);
    n2a("options: nonce skipped, first SLLAO used", &nd, &arp);

    /* Bad options. */
    {
        static const struct {
            const char *name;
            uint8_t opt[16];
            size_t len;
        } bad[] = {
            { "option length 0", { 1, 0, 1, 2, 3, 4, 5, 6 }, 8 },
            { "option past the message", { 14, 2, 1, 2, 3, 4, 5, 6 }, 8 },
            { "SLLAO of 16 bytes", { 1, 2 }, 16 },
            { "one stray byte", { 1 }, 1 },
        };
        size_t i;

        for (i = 0; i < sizeof bad / sizeof bad[0]; i++) {
            tf_init(&nd);
            tf_eth(&nd, mac_snm_b, MAC_A, ntags, 0x86dd);
            tf_ip6(&nd, 0, 58, 255, la, snm_b);
            tf_icmp(&nd, 58, 135, 0, 0);
            tf_mem(&nd, lb, 16);
            tf_mem(&nd, bad[i].opt, bad[i].len);
            tf_end(&nd);
            run(bad[i].name, L2MT_MODE_LL6TO4, &nd, NULL,
                L2MT_ND_BAD_OPTION);
        }
    }
}

static void
test_drops(void)
{
    uint8_t la[16], lb[16], snm_b[16], snm_a[16], mac_snm_b[6], other[16];
    static const uint8_t doc[12] = { 0x20, 0x01, 0x0d, 0xb8 };
    struct tframe f, g;
    size_t k;

    ll(la, IP_A);
    ll(lb, IP_B);
    snm(snm_b, IP_B);
    snm(snm_a, IP_A);
    snm_mac(mac_snm_b, IP_B);
    a6(other, doc, IP_B);

    /* RFC 4861 7.1.1 / 7.1.2 validity. */
    mk_nd(&f, 135, mac_snm_b, MAC_A, la, snm_b, 0, lb, MAC_A);
    f.b[f.l3 + 7] = 254;
    tf_end(&f);
    run("NS hop limit 254", L2MT_MODE_LL6TO4, &f, NULL,
        L2MT_ND_BAD_HOP_LIMIT);
    mk_nd(&f, 136, MAC_A, MAC_B, lb, la, 0x60, lb, MAC_B);
    f.b[f.l3 + 7] = 1;
    tf_end(&f);
    run("NA hop limit 1", L2MT_MODE_LL6TO4, &f, NULL, L2MT_ND_BAD_HOP_LIMIT);
    mk_nd(&f, 135, mac_snm_b, MAC_A, la, snm_b, 0, lb, MAC_A);
    f.b[f.l4 + 1] = 1;
    tf_end(&f);
    run("NS code 1", L2MT_MODE_LL6TO4, &f, NULL, L2MT_ND_BAD_CODE);
    mk_nd(&f, 136, MAC_A, MAC_B, lb, la, 0x60, lb, MAC_B);
    f.b[f.l4 + 1] = 9;
    tf_end(&f);
    run("NA code 9", L2MT_MODE_LL6TO4, &f, NULL, L2MT_ND_BAD_CODE);
    mk_nd(&f, 135, mac_snm_b, MAC_A, la, snm_b, 0, lb, MAC_A);
    f.b[f.l4 + 3] ^= 0x10;
    run("NS bad checksum", L2MT_MODE_LL6TO4, &f, NULL, L2MT_ND_BAD_CSUM);
    mk_nd(&f, 136, MAC_A, MAC_B, lb, la, 0x60, lb, MAC_B);
    f.b[f.n - 1] ^= 1;
    run("NA bad checksum", L2MT_MODE_LL6TO4, &f, NULL, L2MT_ND_BAD_CSUM);
    mk_nd(&f, 135, mac_snm_b, MAC_A, la, snm_b, 0, lb, NULL);
    f.n -= 1;
    tf_end(&f);
    run("NS shorter than 24 bytes", L2MT_MODE_LL6TO4, &f, NULL,
        L2MT_TRUNCATED);

    /* Addresses. */
    mk_nd(&f, 135, mac_snm_b, MAC_A, la, snm_b, 0, other, MAC_A);
    run("NS target outside prefix", L2MT_MODE_LL6TO4, &f, NULL,
        L2MT_NOT_IN_PREFIX);
    mk_nd(&f, 135, mac_snm_b, MAC_A, other, snm_b, 0, lb, MAC_A);
    run("NS source outside prefix", L2MT_MODE_LL6TO4, &f, NULL,
        L2MT_NOT_IN_PREFIX);
    mk_nd(&f, 135, mac_snm_b, MAC_A, la, snm_a, 0, lb, MAC_A);
    run("NS to another target's solicited-node", L2MT_MODE_LL6TO4, &f,
        NULL, L2MT_NOT_IN_PREFIX);
    mk_nd(&f, 135, mac_snm_b, MAC_A, la, other, 0, lb, MAC_A);
    run("NS to unicast outside prefix", L2MT_MODE_LL6TO4, &f, NULL,
        L2MT_NOT_IN_PREFIX);
    mk_nd(&f, 135, mac_snm_b, MAC_A, UNSPEC, lb, 0, lb, NULL);
    run("DAD NS to unicast", L2MT_MODE_LL6TO4, &f, NULL,
        L2MT_NOT_IN_PREFIX);
    mk_nd(&f, 135, mac_snm_b, MAC_A, UNSPEC, snm_b, 0, lb, MAC_A);
    run("DAD NS with SLLAO", L2MT_MODE_LL6TO4, &f, NULL,
        L2MT_ND_BAD_OPTION);
    mk_nd(&f, 136, MAC_A, MAC_B, other, la, 0x60, lb, MAC_B);
    run("NA source outside prefix", L2MT_MODE_LL6TO4, &f, NULL,
        L2MT_NOT_IN_PREFIX);
    mk_nd(&f, 136, MAC_A, MAC_B, lb, ALL_ROUTERS, 0x20, lb, MAC_B);
    run("NA to all routers", L2MT_MODE_LL6TO4, &f, NULL,
        L2MT_NOT_IN_PREFIX);
    mk_nd(&f, 136, MAC_A, MAC_B, lb, ALL_NODES, 0x60, lb, MAC_B);
    run("multicast NA with S", L2MT_MODE_LL6TO4, &f, NULL,
        L2MT_ND_UNSUPPORTED);
    mk_nd(&f, 133, MAC_A, MAC_B, lb, ALL_ROUTERS, 0, lb, NULL);
    run("router solicitation", L2MT_MODE_LL6TO4, &f, NULL,
        L2MT_ND_UNSUPPORTED);

    /* ARP that is not Ethernet/IPv4 request or reply. */
    {
        static const struct {
            const char *name;
            size_t ofs;
            uint8_t v;
        } bad[] = {
            { "ARP hardware type 6", 1, 6 },
            { "ARP protocol type 0x86dd", 2, 0x86 },
            { "ARP hardware length 8", 4, 8 },
            { "ARP protocol length 16", 5, 16 },
            { "RARP request", 7, 3 },
            { "InARP request", 7, 8 },
        };
        size_t i;

        for (i = 0; i < sizeof bad / sizeof bad[0]; i++) {
            mk_arp(&f, MAC_BCAST, MAC_A, 1, MAC_A, IP_A, ZERO6, IP_B);
            f.b[f.l3 + bad[i].ofs] = bad[i].v;
            run(bad[i].name, L2MT_MODE_4TOLL6, &f, NULL,
                L2MT_ARP_UNSUPPORTED);
        }
    }
    mk_arp(&f, MAC_A, MAC_B, 2, MAC_B, 0, MAC_A, IP_A);
    run("ARP reply from 0.0.0.0", L2MT_MODE_4TOLL6, &f, NULL,
        L2MT_ARP_UNSUPPORTED);
    mk_arp(&f, MAC_BCAST, MAC_A, 1, MAC_A, 0, ZERO6, 0);
    run("ARP probe for 0.0.0.0", L2MT_MODE_4TOLL6, &f, NULL,
        L2MT_ARP_UNSUPPORTED);
    mk_arp(&f, MAC_BCAST, MAC_A, 1, MAC_A, IP_A, ZERO6, IP_B);
    f.n--;
    run("ARP truncated", L2MT_MODE_4TOLL6, &f, NULL, L2MT_TRUNCATED);

    /* RFC 6980: NS/NA with a Fragment header, even an atomic fragment
     * (offset 0, M 0) that is translated as a whole datagram otherwise,
     * never become ARP. */
    for (k = 0; k < 4; k++) {
        static const char *const names[] = {
            "fragmented NS", "NS in an atomic fragment",
            "fragmented NA", "NA in an atomic fragment",
        };

        tf_init(&g);
        tf_eth(&g, mac_snm_b, MAC_A, ntags, 0x86dd);
        tf_ip6(&g, 0, 44, 255, la, lb);
        tf_frag6(&g, 58, 0, !(k % 2), 5);
        tf_icmp(&g, 58, k < 2 ? 135 : 136, 0, k < 2 ? 0 : 0x60000000);
        tf_mem(&g, k < 2 ? lb : la, 16);
        tf_end(&g);
        run(names[k], L2MT_MODE_LL6TO4, &g, NULL, L2MT_ND_UNSUPPORTED);
    }
    /* ARP and IPv6 in the wrong mode. */
    mk_arp(&f, MAC_BCAST, MAC_A, 1, MAC_A, IP_A, ZERO6, IP_B);
    run("ARP in ll6to4", L2MT_MODE_LL6TO4, &f, NULL, L2MT_BAD_ETHERTYPE);
    mk_nd(&f, 135, mac_snm_b, MAC_A, la, snm_b, 0, lb, MAC_A);
    run("NS in 4toll6", L2MT_MODE_4TOLL6, &f, NULL, L2MT_BAD_ETHERTYPE);
    run("NS in normal", L2MT_MODE_NORMAL, &f, NULL, L2MT_PASSED);
}

/* ARP -> NDP -> ARP gives back the frame for every row that maps back. */
static void
test_round_trips(void)
{
    static const struct {
        const char *name;
        const uint8_t *eth_dst;
        uint16_t op;
        uint32_t spa, tpa;
        const uint8_t *tha;
    } rows[] = {
        { "request", MAC_BCAST, 1, IP_A, IP_B, ZERO6 },
        { "unicast request", MAC_B, 1, IP_A, IP_B, ZERO6 },
        { "reply", MAC_B, 2, IP_A, IP_B, MAC_B },
        { "gratuitous request", MAC_BCAST, 1, IP_A, IP_A, ZERO6 },
        { "probe", MAC_BCAST, 1, 0, IP_B, ZERO6 },
    };
    size_t i;

    for (i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        struct tframe arp, nd, back;
        enum l2mt_result r1, r2 = L2MT_N_RESULTS;
        char name[64];

        mk_arp(&arp, rows[i].eth_dst, MAC_A, rows[i].op, MAC_A, rows[i].spa,
               rows[i].tha, rows[i].tpa);
        r1 = t_xlate(L2MT_MODE_4TOLL6, NULL, &arp, &nd, 0);
        if (r1 == L2MT_XLATED) {
            r2 = t_xlate(L2MT_MODE_LL6TO4, NULL, &nd, &back, 0);
        }
        snprintf(name, sizeof name, "ARP round trip: %s (%d tags)",
                 rows[i].name, ntags);
        t_check(r2 == L2MT_XLATED && back.n == arp.n
                && !memcmp(back.b, arp.b, arp.n), name, "%s %s",
                l2mt_result_name(r1), l2mt_result_name(r2));
    }
}

int
main(void)
{
    for (ntags = 0; ntags <= 2; ntags++) {
        test_rows();
        test_options();
        test_drops();
        test_round_trips();
    }
    return t_summary("test-nat64-nd");
}
