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

/* ARP <-> NDP (RFC 826, RFC 5227 <-> RFC 4861), as specified in
 * Documentation/translation.md.  In short, for IPv4 a.b.c.d and the
 * configured prefix P:
 *
 *   ARP request              <-> NS  src P::spa, target P::tpa, SLLAO sha,
 *                                    dst solicited-node(P::tpa) (broadcast
 *                                    Ethernet dst) or P::tpa (unicast)
 *   ARP probe (spa 0.0.0.0)  <-> DAD NS from ::, no SLLAO
 *   ARP reply                <-> NA  src = target P::spa, dst P::tpa,
 *                                    Ethernet dst tha, TLLAO sha, S=1 O=1
 *   gratuitous ARP           --> unsolicited NA to ff02::1, S=0 O=1
 *   unsolicited NA           --> gratuitous ARP request (RFC 5227
 *                                    announcement: spa = tpa, tha 0) */

#include "nat64-private.h"

#define L2MT_ARPHRD_ETHER 1
#define L2MT_ARPOP_REQUEST 1
#define L2MT_ARPOP_REPLY 2
#define L2MT_ARP_LEN 28

#define L2MT_ND_NS 135
#define L2MT_ND_NA 136
#define L2MT_ND_OPT_SLLAO 1
#define L2MT_ND_OPT_TLLAO 2
#define L2MT_ND_NA_S 0x40
#define L2MT_ND_NA_O 0x20
#define L2MT_ND_HOP_LIMIT 255
#define L2MT_ND_LEN 24          /* NS/NA without options. */

/* ff02::1:ff00:0/104 (solicited-node, without its 13th byte 0xff) and
 * ff02::1 (all nodes). */
static const uint8_t l2mt_snm_prefix[12] = {
    0xff, 0x02, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1
};
static const uint8_t l2mt_all_nodes[16] = {
    0xff, 0x02, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1
};

/* Where a translated NS/NA goes. */
enum l2mt_nd_dst {
    L2MT_DST_SNM,               /* Solicited-node multicast of the target. */
    L2MT_DST_ALL_NODES,         /* ff02::1. */
    L2MT_DST_UNICAST,           /* PREFIX::dst4. */
};

/* The last 32 bits of the solicited-node address (and of its Ethernet
 * address) for an address whose last 32 bits are 'low' (memory order):
 * ff and the low 24 bits. */
static uint32_t
l2mt_snm_low(uint32_t low)
{
    return (low & l2mt_htonl(0x00ffffff)) | l2mt_htonl(0xff000000);
}

static int
l2mt_is_snm(const uint8_t *a, const uint8_t *target)
{
    return (l2mt_get64(a) == l2mt_get64(l2mt_snm_prefix)
            && l2mt_get32(a + 8) == l2mt_get32(l2mt_snm_prefix + 8)
            && l2mt_get32(a + 12) == l2mt_snm_low(l2mt_get32(target + 12)));
}

static int
l2mt_is_all_nodes(const uint8_t *a)
{
    return (l2mt_get64(a) == l2mt_get64(l2mt_all_nodes)
            && l2mt_get64(a + 8) == l2mt_get64(l2mt_all_nodes + 8));
}

static int
l2mt_is_unspec(const uint8_t *a)
{
    return !(l2mt_get64(a) | l2mt_get64(a + 8));
}

/* The ICMPv6 sum of the 'mlen'-byte message at 'm' with the pseudo-header
 * for the addresses at 'addrs' (source and destination, 32 bytes). */
static uint32_t
l2mt_nd_csum(const uint8_t *addrs, const uint8_t *m, uint32_t mlen)
{
    uint32_t s = l2mt_htons(mlen) + l2mt_htons(L2MT_IPPROTO_ICMPV6);

    return (addrs + 32 == m
            ? l2mt_csum_bytes(addrs, 32 + mlen, s)
            : l2mt_csum_bytes(m, mlen, l2mt_csum_bytes(addrs, 32, s)));
}

/* Copies a 6-byte MAC. */
static void
l2mt_put_mac(uint8_t *dst, uint32_t hi, uint16_t lo)
{
    l2mt_put32(dst, hi);
    l2mt_put16(dst + 4, lo);
}

/* The checksum of the NS/NA that l2mt_arp_to_nd() writes, from its fields
 * rather than its bytes: each address is the prefix (its sum is known) or
 * a multicast constant, plus 32 bits.  'src4' 0 means "::". */
static uint16_t
l2mt_nd_build_csum(const struct l2mt_cfg *cfg, uint8_t type, uint8_t flags,
                   uint8_t opt, uint32_t src4, enum l2mt_nd_dst dst,
                   uint32_t dst4, uint32_t target4, uint32_t sha_hi,
                   uint16_t sha_lo, uint32_t mlen)
{
    uint64_t s = (uint64_t) l2mt_htons(mlen)
                 + l2mt_htons(L2MT_IPPROTO_ICMPV6)
                 + l2mt_htons((uint16_t) (type << 8))
                 + l2mt_htons((uint16_t) (flags << 8))
                 + cfg->prefix_csum + target4;

    if (src4) {
        s += cfg->prefix_csum + (uint64_t) src4;
    }
    if (dst == L2MT_DST_UNICAST) {
        s += cfg->prefix_csum + (uint64_t) dst4;
    } else {
        /* ff02::1 and ff02::1:ff00:0/104 share ff02 and 0001. */
        s += l2mt_htons(0xff02) + l2mt_htons(1)
             + (dst == L2MT_DST_SNM ? l2mt_snm_low(dst4) : 0);
    }
    if (opt) {
        s += l2mt_htons((uint16_t) (opt << 8 | 1)) + (uint64_t) sha_hi
             + sha_lo;
    }
    return ~l2mt_csum_fold(l2mt_csum_add((uint32_t) s, (uint32_t) (s >> 32)));
}

enum l2mt_result
l2mt_arp_to_nd(struct l2mt_ctx *c)
{
    const struct l2mt_cfg *cfg = c->cfg;
    uint8_t *a = c->p + c->l3, *q, *h, *m;
    uint32_t sha_hi, tha_hi, spa, tpa, src4, dst4, target4, mlen;
    uint16_t sha_lo, tha_lo, op;
    enum l2mt_nd_dst dst;
    enum l2mt_result r;
    int unspec = 0, eth_keep = 0, eth_tha = 0;
    uint8_t type, flags = 0, opt;
    int32_t growth;

    r = l2mt_need(c, c->l3 + L2MT_ARP_LEN, c->len);
    if (r) {
        return r;
    }
    op = l2mt_get_be16(a + 6);
    if (l2mt_get_be16(a) != L2MT_ARPHRD_ETHER
        || l2mt_get_be16(a + 2) != L2MT_ETH_P_IP || a[4] != 6 || a[5] != 4
        || (op != L2MT_ARPOP_REQUEST && op != L2MT_ARPOP_REPLY)) {
        return L2MT_ARP_UNSUPPORTED;
    }
    sha_hi = l2mt_get32(a + 8);
    sha_lo = l2mt_get16(a + 12);
    spa = l2mt_get32(a + 14);
    tha_hi = l2mt_get32(a + 18);
    tha_lo = l2mt_get16(a + 22);
    tpa = l2mt_get32(a + 24);

    if (op == L2MT_ARPOP_REQUEST && !spa) {
        /* RFC 5227 probe <-> RFC 4862 DAD: from ::, no SLLAO. */
        if (!tpa) {
            return L2MT_ARP_UNSUPPORTED;
        }
        type = L2MT_ND_NS;
        unspec = 1;
        target4 = dst4 = tpa;
        dst = L2MT_DST_SNM;
        opt = 0;
    } else if (!spa) {
        return L2MT_ARP_UNSUPPORTED;    /* A reply for 0.0.0.0. */
    } else if (spa == tpa || (op == L2MT_ARPOP_REPLY && !tpa)) {
        /* Gratuitous ARP (RFC 5227 announcement), or a reply to a probe:
         * RFC 4861 7.2.4 sends the answer to DAD to all nodes. */
        type = L2MT_ND_NA;
        flags = L2MT_ND_NA_O;
        target4 = dst4 = spa;
        dst = L2MT_DST_ALL_NODES;
        opt = L2MT_ND_OPT_TLLAO;
    } else if (op == L2MT_ARPOP_REQUEST) {
        type = L2MT_ND_NS;
        target4 = dst4 = tpa;
        /* A unicast request (RFC 4861 7.3.3 NUD probe) stays unicast. */
        eth_keep = !(c->p[0] & 1);
        dst = eth_keep ? L2MT_DST_UNICAST : L2MT_DST_SNM;
        opt = L2MT_ND_OPT_SLLAO;
    } else {
        type = L2MT_ND_NA;
        flags = L2MT_ND_NA_S | L2MT_ND_NA_O;
        target4 = spa;
        dst4 = tpa;
        dst = L2MT_DST_UNICAST;
        eth_tha = 1;
        opt = L2MT_ND_OPT_TLLAO;
    }
    src4 = spa;
    mlen = L2MT_ND_LEN + (opt ? 8 : 0);
    growth = 40 + mlen - L2MT_ARP_LEN;
    if (!l2mt_room(c, growth)) {
        return L2MT_NO_HEADROOM;
    }

    /* Commit.  The Ethernet source stays. */
    q = l2mt_move_l2(c, growth, L2MT_ETH_P_IPV6);
    h = q + c->l3;
    m = h + 40;
    if (eth_tha) {
        l2mt_put_mac(q, tha_hi, tha_lo);
    } else if (dst == L2MT_DST_SNM) {
        /* RFC 2464 7: 33:33 and the low 32 bits of the address. */
        l2mt_put16(q, l2mt_htons(0x3333));
        l2mt_put32(q + 2, l2mt_snm_low(tpa));
    } else if (dst == L2MT_DST_ALL_NODES) {
        l2mt_put_mac(q, l2mt_htonl(0x33330000), l2mt_htons(1));
    }   /* Else a unicast request: keep the Ethernet destination. */

    l2mt_put_be32(h, 0x60000000);
    l2mt_put_be16(h + 4, mlen);
    h[6] = L2MT_IPPROTO_ICMPV6;
    h[7] = L2MT_ND_HOP_LIMIT;
    if (unspec) {
        l2mt_memset(h + 8, 0, 16);
    } else {
        l2mt_put_addr6(cfg, h + 8, src4);
    }
    if (dst == L2MT_DST_SNM) {
        l2mt_memcpy(h + 24, l2mt_snm_prefix, 12);
        l2mt_put32(h + 36, l2mt_snm_low(dst4));
    } else if (dst == L2MT_DST_ALL_NODES) {
        l2mt_memcpy(h + 24, l2mt_all_nodes, 16);
    } else {
        l2mt_put_addr6(cfg, h + 24, dst4);
    }

    m[0] = type;
    m[1] = 0;
    l2mt_put16(m + 2, 0);
    l2mt_put32(m + 4, 0);
    m[4] = flags;
    l2mt_put_addr6(cfg, m + 8, target4);
    if (opt) {
        m[24] = opt;
        m[25] = 1;
        l2mt_put_mac(m + 26, sha_hi, sha_lo);
    }
    l2mt_put16(m + 2, l2mt_nd_build_csum(cfg, type, flags, opt, src4, dst,
                                         dst4, target4, sha_hi, sha_lo,
                                         mlen));
    return l2mt_done(c, growth, 40 + mlen, c->l3 + 40, L2MT_ETH_P_IPV6);
}

enum l2mt_result
l2mt_arp_fast(const struct l2mt_cfg *cfg, struct l2mt_pkt *pkt)
{
    struct l2mt_ctx c;

    l2mt_ctx_init(&c, cfg, pkt);
    return l2mt_arp_to_nd(&c);
}

/* An NS/NA right after the IPv6 header, whose first 41 bytes are linear
 * and checked. */
enum l2mt_result
l2mt_nd_fast(const struct l2mt_cfg *cfg, struct l2mt_pkt *pkt)
{
    const uint8_t *h = pkt->data + L2MT_ETH_HLEN;
    struct l2mt_ctx c;
    struct l2mt_ip6 ip;

    l2mt_ctx_init(&c, cfg, pkt);
    ip.plen = l2mt_get_be16(h + 4);
    if (L2MT_ETH_HLEN + 40u + ip.plen > c.len) {
        return L2MT_TRUNCATED;
    }
    ip.hlim = h[7];
    ip.src = l2mt_get32(h + 20);
    ip.dst = l2mt_get32(h + 36);
    ip.hlen = 40;
    return l2mt_nd_to_arp(&c, &ip);
}

enum l2mt_result
l2mt_nd_to_arp(struct l2mt_ctx *c, const struct l2mt_ip6 *ip)
{
    const struct l2mt_cfg *cfg = c->cfg;
    const uint8_t *h = c->p + c->l3, *src = h + 8, *dst = h + 24;
    uint32_t l4 = c->l3 + ip->hlen, end = c->l3 + 40 + ip->plen;
    uint32_t mlen = end - l4, o, mac_hi, spa, tpa, tha_hi;
    uint16_t mac_lo, tha_lo, op;
    const uint8_t *m = c->p + l4, *target = m + 8;
    const uint8_t *mac = c->p + 6;      /* Ethernet source by default. */
    enum l2mt_result r;
    int bcast = 0, found = 0;
    uint8_t want;
    uint8_t *a;

    if (mlen < L2MT_ND_LEN) {
        return L2MT_TRUNCATED;
    }
    r = l2mt_need(c, end, end);
    if (r) {
        return r;
    }
    /* RFC 4861 7.1.1 and 7.1.2. */
    if (ip->hlim != L2MT_ND_HOP_LIMIT) {
        return L2MT_ND_BAD_HOP_LIMIT;
    } else if (m[1]) {
        return L2MT_ND_BAD_CODE;
    } else if (l2mt_csum_fold(l2mt_nd_csum(src, m, mlen)) != 0xffff) {
        return L2MT_ND_BAD_CSUM;
    }

    want = m[0] == L2MT_ND_NS ? L2MT_ND_OPT_SLLAO : L2MT_ND_OPT_TLLAO;
    for (o = L2MT_ND_LEN; o < mlen; ) {
        uint32_t olen;

        if (o + 2 > mlen) {
            return L2MT_ND_BAD_OPTION;
        }
        olen = m[o + 1] * 8;
        if (!olen || o + olen > mlen) {
            return L2MT_ND_BAD_OPTION;
        }
        if (m[o] == want) {
            if (olen != 8) {
                return L2MT_ND_BAD_OPTION;      /* Not an Ethernet address. */
            }
            if (!found) {
                mac = m + o + 2;
                found = 1;
            }
        }
        o += olen;
    }
    if (!l2mt_in_prefix(cfg, target)) {
        return L2MT_NOT_IN_PREFIX;
    }
    tpa = l2mt_get32(target + 12);
    tha_hi = 0;
    tha_lo = 0;

    if (m[0] == L2MT_ND_NS) {
        op = L2MT_ARPOP_REQUEST;
        bcast = l2mt_is_snm(dst, target);
        if (l2mt_is_unspec(src)) {
            /* DAD: RFC 4861 7.1.1 forbids an SLLAO; ARP probe. */
            if (found) {
                return L2MT_ND_BAD_OPTION;
            } else if (!bcast) {
                return L2MT_NOT_IN_PREFIX;
            }
            spa = 0;
        } else if (!l2mt_in_prefix(cfg, src)) {
            return L2MT_NOT_IN_PREFIX;
        } else {
            spa = ip->src;
        }
        if (!bcast && !l2mt_in_prefix(cfg, dst)) {
            return L2MT_NOT_IN_PREFIX;
        }
    } else {
        spa = tpa;
        if (!l2mt_in_prefix(cfg, src)) {
            return L2MT_NOT_IN_PREFIX;
        } else if (l2mt_is_all_nodes(dst)) {
            /* RFC 4861 7.1.2: S must be 0 for a multicast destination. */
            if (m[4] & L2MT_ND_NA_S) {
                return L2MT_ND_UNSUPPORTED;
            }
            op = L2MT_ARPOP_REQUEST;            /* RFC 5227 announcement. */
            bcast = 1;
        } else if (l2mt_in_prefix(cfg, dst)) {
            op = L2MT_ARPOP_REPLY;
            tpa = ip->dst;
            tha_hi = l2mt_get32(c->p);
            tha_lo = l2mt_get16(c->p + 4);
        } else {
            return L2MT_NOT_IN_PREFIX;
        }
    }
    mac_hi = l2mt_get32(mac);
    mac_lo = l2mt_get16(mac + 4);

    /* Commit: the ARP packet replaces the IPv6 header in place, so the
     * frame keeps its start and shrinks at the tail. */
    if (bcast) {
        l2mt_put_mac(c->p, 0xffffffff, 0xffff);
    }
    l2mt_put_be16(c->p + c->l3 - 2, L2MT_ETH_P_ARP);
    a = c->p + c->l3;
    /* Ethernet (1), IPv4 (0x0800), lengths 6 and 4, op. */
    l2mt_put_be32(a, L2MT_ARPHRD_ETHER << 16 | L2MT_ETH_P_IP);
    l2mt_put_be32(a + 4, 0x06040000 | op);
    l2mt_put_mac(a + 8, mac_hi, mac_lo);
    l2mt_put32(a + 14, spa);
    l2mt_put_mac(a + 18, tha_hi, tha_lo);
    l2mt_put32(a + 24, tpa);
    return l2mt_done(c, 0, L2MT_ARP_LEN, 0, L2MT_ETH_P_ARP);
}
