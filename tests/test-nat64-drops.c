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

/* Malformed and untranslatable frames: each drop reason is reached, the
 * frame is left untouched, and nothing outside the buffer is read or
 * written (the runner's guards). */

#include <config.h>
#include "nat64-test.h"
#include <stdio.h>
#include <string.h>

static struct pspec
udp(void)
{
    return pspec(17, 30);
}

static void
v4(struct tframe *f)
{
    struct pspec s = udp();

    mk4(f, &s);
}

static void
v6(struct tframe *f)
{
    struct pspec s = udp();

    mk6(f, &s);
}

static void short_frame(struct tframe *f) { v4(f); f->n = 13; }
static void cut_ip4(struct tframe *f) { v4(f); f->n = f->l3 + 19; }
static void cut_ip6(struct tframe *f) { v6(f); f->n = f->l3 + 39; }
static void cut_vlan(struct tframe *f)
{
    struct pspec s = udp();

    s.ntags = 2;
    mk4(f, &s);
    f->n = 17;
}
static void three_tags(struct tframe *f)
{
    struct pspec s = udp();

    s.ntags = 2;
    mk4(f, &s);
    f->b[20] = 0x81;            /* The ethertype after two tags: 0x8100. */
    f->b[21] = 0x00;
}
static void lldp(struct tframe *f) { v4(f); f->b[12] = 0x88; f->b[13] = 0xcc; }
static void ip4_version(struct tframe *f) { v4(f); f->b[f->l3] = 0x65; }
static void ip4_ihl(struct tframe *f) { v4(f); f->b[f->l3] = 0x44; }
static void ip4_ihl_past(struct tframe *f)
{
    v4(f);
    f->b[f->l3] = 0x4f;
    f->n = f->l3 + 40;
}
static void
ip4_totlen(struct tframe *f, uint16_t tot)
{
    v4(f);
    f->keep_len = true;
    f->b[f->l3 + 2] = tot >> 8;
    f->b[f->l3 + 3] = tot & 0xff;
    tf_end(f);
}
static void ip4_tot_short(struct tframe *f) { ip4_totlen(f, 19); }
static void ip4_tot_long(struct tframe *f) { ip4_totlen(f, 59); }
static void ip4_udp_cut(struct tframe *f) { ip4_totlen(f, 27); }
static void ip4_csum(struct tframe *f) { v4(f); f->b[f->l3 + 11] ^= 1; }
static void
ip4_frag_past_max(struct tframe *f)
{
    struct pspec s = pspec(17, 100);

    /* The last possible offset (8191 x 8) with 100 bytes: past 65535. */
    s.frag = true;
    s.frag_off = 8191;
    mk4(f, &s);
}
static void
ip4_csum_vlan(struct tframe *f)
{
    struct pspec s = udp();

    s.ntags = 1;
    mk4(f, &s);
    f->b[f->l3 + 11] ^= 1;
}
static void
ip4_lsrr(struct tframe *f)
{
    static const uint8_t lsrr[8] = { 131, 7, 4, 1, 2, 3, 4, 0 };

    tf_init(f);
    tf_eth(f, MAC_B, MAC_A, 0, 0x0800);
    tf_ip4(f, 0, 1, 0, 64, 17, IP_A, IP_B, lsrr, 8);
    tf_udp(f, 1, 2);
    tf_end(f);
}
static void
ip4_proto(struct tframe *f, uint8_t proto)
{
    v4(f);
    f->b[f->l3 + 9] = proto;
    f->l4proto = 0;
    tf_end(f);
}
static void ip4_hbh(struct tframe *f) { ip4_proto(f, 0); }
static void ip4_frag_hdr(struct tframe *f) { ip4_proto(f, 44); }
static void ip4_icmpv6(struct tframe *f) { ip4_proto(f, 58); }
static void
ip6_icmpv4(struct tframe *f)
{
    v6(f);
    f->b[f->l3 + 6] = 1;
}
static void ip6_version(struct tframe *f) { v6(f); f->b[f->l3] = 0x40; }
static void
ip6_plen_long(struct tframe *f)
{
    v6(f);
    f->keep_len = true;
    f->b[f->l3 + 5]++;
    tf_end(f);
}
static void
ip6_ext(struct tframe *f, uint8_t nh, uint8_t segs, uint16_t plen)
{
    uint8_t a[16], b[16];

    a6(a, PFX_LL, IP_A);
    a6(b, PFX_LL, IP_B);
    tf_init(f);
    tf_eth(f, MAC_B, MAC_A, 0, 0x86dd);
    tf_ip6(f, 0, nh, 64, a, b);
    tf_ext6(f, 17, 0, 0, segs);
    tf_udp(f, 1, 2);
    tf_end(f);
    if (plen != 0xffff) {
        f->b[f->l3 + 4] = plen >> 8;
        f->b[f->l3 + 5] = plen & 0xff;
    }
}
static void ip6_jumbo(struct tframe *f) { ip6_ext(f, 0, 0, 0); }
static void ip6_ext_cut(struct tframe *f) { ip6_ext(f, 60, 0, 4); }
static void ip6_rh(struct tframe *f) { ip6_ext(f, 43, 2, 0xffff); }
static void ip6_mobility(struct tframe *f) { ip6_ext(f, 135, 0, 0xffff); }
static void
ip6_prefix(struct tframe *f)
{
    v6(f);
    f->b[f->l3 + 8] = 0x20;
}
static void
udp0(struct tframe *f)
{
    v6(f);
    f->b[f->l4 + 6] = f->b[f->l4 + 7] = 0;
}
static void
echo_type(struct tframe *f, int ipv, uint8_t type)
{
    struct pspec s = udp();

    s.proto = 1;
    (ipv == 4 ? mk4 : mk6)(f, &s);
    f->b[f->l4] = type;
    tf_end(f);
}
static void icmp4_type(struct tframe *f) { echo_type(f, 4, 13); }
static void icmp6_type(struct tframe *f) { echo_type(f, 6, 200); }
static void
icmp_csum(struct tframe *f)
{
    echo_type(f, 4, 3);
    f->b[f->l4 + 3] ^= 1;
}
static void
icmp_inner(struct tframe *f)
{
    echo_type(f, 4, 11);        /* Quotes the pattern: not IPv4. */
}
static void
arp_op(struct tframe *f)
{
    tf_init(f);
    tf_eth(f, MAC_BCAST, MAC_A, 0, 0x0806);
    tf_arp(f, 4, MAC_A, IP_A, MAC_B, IP_B);
}
static void
nd(struct tframe *f, uint8_t type, size_t ofs, uint8_t v)
{
    uint8_t a[16], b[16];

    a6(a, PFX_LL, IP_A);
    a6(b, PFX_LL, IP_B);
    tf_init(f);
    tf_eth(f, MAC_B, MAC_A, 0, 0x86dd);
    tf_ip6(f, 0, 58, 255, a, b);
    tf_icmp(f, 58, type, 0, 0);
    tf_mem(f, b, 16);
    tf_u8(f, 1);
    tf_u8(f, 1);
    tf_mem(f, MAC_A, 6);
    if (ofs) {
        f->b[ofs] = v;
    }
    tf_end(f);
}
static void nd_hlim(struct tframe *f) { nd(f, 135, 21, 64); }
static void nd_cut(struct tframe *f) { nd(f, 135, 0, 0); f->n -= 4; }
static void nd_code(struct tframe *f) { nd(f, 135, 55, 1); }
static void nd_csum(struct tframe *f) { nd(f, 135, 0, 0); f->b[60] ^= 1; }
static void nd_opt(struct tframe *f) { nd(f, 135, 79, 0); }
static void nd_ra(struct tframe *f) { nd(f, 134, 0, 0); }

static const struct {
    const char *name;
    enum l2mt_mode mode;
    void (*build)(struct tframe *);
    enum l2mt_result want;
    uint32_t headroom;
} cases[] = {
    { "frame shorter than Ethernet", L2MT_MODE_4TOLL6, short_frame,
      L2MT_TRUNCATED, 0 },
    { "VLAN tag cut", L2MT_MODE_4TOLL6, cut_vlan, L2MT_TRUNCATED, 0 },
    { "IPv4 header cut", L2MT_MODE_4TOLL6, cut_ip4, L2MT_TRUNCATED, 0 },
    { "IPv4 IHL past the frame", L2MT_MODE_4TOLL6, ip4_ihl_past,
      L2MT_TRUNCATED, 0 },
    { "IPv4 total length past the frame", L2MT_MODE_4TOLL6, ip4_tot_long,
      L2MT_TRUNCATED, 0 },
    { "UDP header cut", L2MT_MODE_4TOLL6, ip4_udp_cut, L2MT_TRUNCATED, 0 },
    { "IPv6 header cut", L2MT_MODE_LL6TO4, cut_ip6, L2MT_TRUNCATED, 0 },
    { "IPv6 payload length past the frame", L2MT_MODE_LL6TO4,
      ip6_plen_long, L2MT_TRUNCATED, 0 },
    { "three VLAN tags", L2MT_MODE_4TOLL6, three_tags,
      L2MT_BAD_ETHERTYPE, 0 },
    { "LLDP", L2MT_MODE_4TOLL6, lldp, L2MT_BAD_ETHERTYPE, 0 },
    { "IPv6 in 4toll6", L2MT_MODE_4TOLL6, v6, L2MT_BAD_ETHERTYPE, 0 },
    { "IPv4 in ll6to4", L2MT_MODE_LL6TO4, v4, L2MT_BAD_ETHERTYPE, 0 },
    { "IPv4 version 6", L2MT_MODE_4TOLL6, ip4_version,
      L2MT_BAD_IPV4_HEADER, 0 },
    { "IPv4 IHL 4", L2MT_MODE_4TOLL6, ip4_ihl, L2MT_BAD_IPV4_HEADER, 0 },
    { "IPv4 total length < IHL", L2MT_MODE_4TOLL6, ip4_tot_short,
      L2MT_BAD_IPV4_HEADER, 0 },
    { "IPv4 fragment ending past 65535", L2MT_MODE_4TOLL6, ip4_frag_past_max,
      L2MT_BAD_IPV4_HEADER, 0 },
    { "IPv4 header checksum", L2MT_MODE_4TOLL6, ip4_csum,
      L2MT_BAD_IPV4_CSUM, 0 },
    { "IPv4 header checksum, VLAN", L2MT_MODE_4TOLL6, ip4_csum_vlan,
      L2MT_BAD_IPV4_CSUM, 0 },
    { "IPv6 version 4", L2MT_MODE_LL6TO4, ip6_version,
      L2MT_BAD_IPV6_HEADER, 0 },
    { "jumbogram", L2MT_MODE_LL6TO4, ip6_jumbo, L2MT_BAD_IPV6_HEADER, 0 },
    { "extension header past payload", L2MT_MODE_LL6TO4, ip6_ext_cut,
      L2MT_BAD_IPV6_HEADER, 0 },
    { "IPv4 protocol 0 (hop-by-hop)", L2MT_MODE_4TOLL6, ip4_hbh,
      L2MT_IPV6_EXT_HDR, 0 },
    { "IPv4 protocol 44 (fragment)", L2MT_MODE_4TOLL6, ip4_frag_hdr,
      L2MT_IPV6_EXT_HDR, 0 },
    { "IPv4 protocol 58 (ICMPv6)", L2MT_MODE_4TOLL6, ip4_icmpv6,
      L2MT_ICMP_UNSUPPORTED, 0 },
    { "IPv6 next header 1 (ICMPv4)", L2MT_MODE_LL6TO4, ip6_icmpv4,
      L2MT_ICMP_UNSUPPORTED, 0 },
    { "NS cut short", L2MT_MODE_LL6TO4, nd_cut, L2MT_TRUNCATED, 0 },
    { "IPv4 source route", L2MT_MODE_4TOLL6, ip4_lsrr,
      L2MT_IPV4_SOURCE_ROUTE, 0 },
    { "IPv6 routing header", L2MT_MODE_LL6TO4, ip6_rh,
      L2MT_IPV6_ROUTING_HDR, 0 },
    { "IPv6 mobility header", L2MT_MODE_LL6TO4, ip6_mobility,
      L2MT_IPV6_EXT_HDR, 0 },
    { "IPv6 source outside prefix", L2MT_MODE_LL6TO4, ip6_prefix,
      L2MT_NOT_IN_PREFIX, 0 },
    { "ICMPv4 timestamp", L2MT_MODE_4TOLL6, icmp4_type,
      L2MT_ICMP_UNSUPPORTED, 0 },
    { "ICMPv6 type 200", L2MT_MODE_LL6TO4, icmp6_type,
      L2MT_ICMP_UNSUPPORTED, 0 },
    { "ICMPv4 error checksum", L2MT_MODE_4TOLL6, icmp_csum,
      L2MT_ICMP_BAD_CSUM, 0 },
    { "ICMPv4 error quoting garbage", L2MT_MODE_4TOLL6, icmp_inner,
      L2MT_ICMP_BAD_INNER, 0 },
    { "IPv6 UDP checksum 0", L2MT_MODE_LL6TO4, udp0,
      L2MT_UDP_ZERO_CSUM, 0 },
    { "ARP op 4", L2MT_MODE_4TOLL6, arp_op, L2MT_ARP_UNSUPPORTED, 0 },
    { "NS hop limit 64", L2MT_MODE_LL6TO4, nd_hlim,
      L2MT_ND_BAD_HOP_LIMIT, 0 },
    { "NS code 1", L2MT_MODE_LL6TO4, nd_code, L2MT_ND_BAD_CODE, 0 },
    { "NS checksum", L2MT_MODE_LL6TO4, nd_csum, L2MT_ND_BAD_CSUM, 0 },
    { "NS option length 0", L2MT_MODE_LL6TO4, nd_opt,
      L2MT_ND_BAD_OPTION, 0 },
    { "router advertisement", L2MT_MODE_LL6TO4, nd_ra,
      L2MT_ND_UNSUPPORTED, 0 },
    { "headroom 19", L2MT_MODE_4TOLL6, v4, L2MT_NO_HEADROOM, 19 },
    { "normal mode", L2MT_MODE_NORMAL, v4, L2MT_PASSED, 0 },
    { "invalid mode", (enum l2mt_mode) 7, v4, L2MT_PASSED, 0 },
};

int
main(void)
{
    bool seen[L2MT_N_RESULTS] = { false };
    size_t i;
    int r;

    for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        struct tframe f;

        tf_init(&f);
        cases[i].build(&f);
        if (t_run(&(struct tcase) { .name = cases[i].name,
                                    .mode = cases[i].mode, .in = &f,
                                    .want = cases[i].want,
                                    .headroom = cases[i].headroom })) {
            seen[cases[i].want] = true;
        }
    }
    for (r = L2MT_DROP_FIRST; r < L2MT_N_RESULTS; r++) {
        t_check(seen[r], "every drop reason is reachable",
                "no passing case for %s", l2mt_result_name(r));
    }
    return t_summary("test-nat64-drops");
}
