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

/* IPv6 -> IPv4 header translation, RFC 7915 section 5. */

#include "nat64-private.h"

#define L2MT_NH_HOPOPTS 0
#define L2MT_NH_ROUTING 43
#define L2MT_NH_FRAGMENT 44
#define L2MT_NH_AH 51
#define L2MT_NH_DSTOPTS 60
#define L2MT_NH_MOBILITY 135
#define L2MT_NH_HIP 139
#define L2MT_NH_SHIM6 140
#define L2MT_NH_EXP1 253
#define L2MT_NH_EXP2 254

/* Bounds the extension header walk. */
#define L2MT_MAX_EXT_HDRS 8

/* Parses the IPv6 header at 'h' and skips its extension headers, given
 * that 'avail' bytes of the packet are present and 'readable' of them may
 * be read.  Does not check the payload length against 'avail'. */
enum l2mt_result
l2mt_ip6_parse(const uint8_t *h, uint32_t avail, uint32_t readable,
               struct l2mt_ip6 *ip)
{
    uint32_t off = 40;
    uint8_t nh;
    int n;

    if (avail < 40) {
        return L2MT_TRUNCATED;
    } else if (readable < 40) {
        return L2MT_NEED_LINEAR;
    } else if ((h[0] >> 4) != 6) {
        return L2MT_BAD_IPV6_HEADER;
    }
    ip->tc = l2mt_get_be16(h) >> 4;
    ip->plen = l2mt_get_be16(h + 4);
    nh = h[6];
    ip->hlim = h[7];
    ip->src = l2mt_get32(h + 20);
    ip->dst = l2mt_get32(h + 36);
    ip->has_frag = 0;
    ip->frag = 0;
    ip->frag_id = 0;

    for (n = 0; n <= L2MT_MAX_EXT_HDRS; n++) {
        uint32_t elen;

        if (nh == L2MT_NH_HOPOPTS || nh == L2MT_NH_ROUTING
            || nh == L2MT_NH_DSTOPTS || nh == L2MT_NH_FRAGMENT) {
            /* RFC 7915 5.1: no extension header after a Fragment header. */
            if (ip->has_frag) {
                return L2MT_IPV6_EXT_HDR;
            } else if (off + 8 > avail) {
                return L2MT_TRUNCATED;
            } else if (off + 8 > readable) {
                return L2MT_NEED_LINEAR;
            }
        }
        if (nh == L2MT_NH_HOPOPTS && off != 40) {
            /* RFC 8200 4.1: only right after the IPv6 header. */
            return L2MT_BAD_IPV6_HEADER;
        }
        switch (nh) {
        case L2MT_NH_HOPOPTS:
        case L2MT_NH_ROUTING:
        case L2MT_NH_DSTOPTS:
            elen = (h[off + 1] + 1) * 8;
            if (off + elen > avail) {
                return L2MT_TRUNCATED;
            }
            /* RFC 7915 5.1: a routing header with segments left. */
            if (nh == L2MT_NH_ROUTING && h[off + 3]) {
                return L2MT_IPV6_ROUTING_HDR;
            }
            nh = h[off];
            off += elen;
            break;

        case L2MT_NH_FRAGMENT:
            ip->has_frag = 1;
            ip->frag = l2mt_get_be16(h + off + 2) & 0xfff9;
            ip->frag_id = l2mt_get16(h + off + 6);
            nh = h[off];
            off += 8;
            break;

        case L2MT_NH_AH:
        case L2MT_NH_MOBILITY:
        case L2MT_NH_HIP:
        case L2MT_NH_SHIM6:
        case L2MT_NH_EXP1:
        case L2MT_NH_EXP2:
            /* Extension headers IPv4 cannot carry. */
            return L2MT_IPV6_EXT_HDR;

        default:
            ip->nh = nh;
            ip->hlen = off;
            return L2MT_XLATED;
        }
    }
    return L2MT_IPV6_EXT_HDR;
}

/* An untagged TCP or UDP packet without extension headers between
 * addresses in the prefix, whose checksum field is linear, or an untagged
 * NS/NA: anything else takes the general path.  L2MT_FAST_MIN bytes are
 * linear. */
enum l2mt_result
l2mt_6to4_fast(const struct l2mt_cfg *cfg, struct l2mt_pkt *pkt)
{
    uint8_t *p = pkt->data, *h = p + L2MT_ETH_HLEN, *ck;
    struct l2mt_ip6 ip;
    uint32_t ck_ofs;

    ip.nh = h[6];
    ck_ofs = l2mt_l4_csum_ofs(ip.nh);
    if (!ck_ofs) {
        return (ip.nh == L2MT_IPPROTO_ICMPV6
                && pkt->linear >= L2MT_ETH_HLEN + 41 && (h[0] >> 4) == 6
                && (h[40] == 135 || h[40] == 136)
                ? l2mt_nd_fast(cfg, pkt)
                : l2mt_translate_general(cfg, L2MT_MODE_LL6TO4, pkt));
    }
    ip.plen = l2mt_get_be16(h + 4);
    ck = h + 40 + ck_ofs;
    if (L2MT_ETH_HLEN + 42u + ck_ofs > pkt->linear || (h[0] >> 4) != 6
        || ip.plen < ck_ofs + 2 || ip.plen > 0xffff - 20
        || L2MT_ETH_HLEN + 40u + ip.plen > pkt->len
        || !l2mt_in_prefix2(cfg, h + 8)
        || (!l2mt_get16(ck) && ip.nh == L2MT_IPPROTO_UDP)) {
        return l2mt_translate_general(cfg, L2MT_MODE_LL6TO4, pkt);
    }
    ip.tc = l2mt_get_be32(h) >> 20;
    ip.hlim = h[7];
    ip.src = l2mt_get32(h + 20);
    ip.dst = l2mt_get32(h + 36);
    ip.has_frag = 0;

    /* Commit. */
    l2mt_put64(p + 20, l2mt_get64(p));
    l2mt_put32(p + 28, l2mt_get32(p + 8));
    l2mt_put16(p + 32, l2mt_htons(L2MT_ETH_P_IP));
    l2mt_ip4_write(&ip, h + 20, ip.plen, ip.nh, l2mt_htons(pkt->ip_id));
    l2mt_l4_csum(ck, ~l2mt_prefix2(cfg), ip.nh == L2MT_IPPROTO_UDP,
                 pkt->csum_partial);
    return l2mt_report(pkt, -20, L2MT_ETH_HLEN, 20 + ip.plen,
                       L2MT_ETH_HLEN + 20, L2MT_ETH_P_IP);
}

enum l2mt_result
l2mt_6to4(struct l2mt_ctx *c)
{
    const struct l2mt_cfg *cfg = c->cfg;
    uint8_t *h = c->p + c->l3;
    struct l2mt_ip6 ip;
    enum l2mt_result r;
    uint32_t l4, end, ulen, ck_ofs = 0;
    int first, partial = c->pkt->csum_partial;
    int32_t growth;
    uint8_t *q;

    r = l2mt_ip6_parse(h, c->len - c->l3, c->linear - c->l3, &ip);
    if (r) {
        return r;
    }
    if (40u + ip.plen > c->len - c->l3) {
        return L2MT_TRUNCATED;
    } else if (ip.hlen > 40 + ip.plen) {
        /* Extension headers beyond the payload, e.g. a jumbogram's
         * (payload length 0), which IPv4 cannot hold anyway. */
        return L2MT_BAD_IPV6_HEADER;
    }
    l4 = c->l3 + ip.hlen;
    end = c->l3 + 40 + ip.plen;
    ulen = end - l4;
    first = !(ip.frag & 0xfff8);

    if (ip.nh == L2MT_IPPROTO_ICMPV6 && first) {
        r = l2mt_need(c, l4 + 1, end);
        if (r) {
            return r;
        }
        /* ND goes to multicast addresses outside the prefix. */
        switch (c->p[l4]) {
        case 135: case 136:     /* NS, NA: ARP. */
            /* RFC 6980: ND with any Fragment header, even an atomic
             * one, is ignored; it never becomes ARP. */
            return (ip.has_frag ? L2MT_ND_UNSUPPORTED
                    : l2mt_nd_to_arp(c, &ip));
        case 133: case 134: case 137:   /* RS, RA, redirect. */
            return L2MT_ND_UNSUPPORTED;
        }
    }
    if (!l2mt_in_prefix2(cfg, h + 8)) {
        return L2MT_NOT_IN_PREFIX;
    }
    if (20 + ulen > 0xffff) {
        return L2MT_BAD_IPV6_HEADER;
    }
    r = l2mt_proto_check(ip.nh, L2MT_IPPROTO_ICMP);
    if (r) {
        return r;
    }
    if (ip.nh == L2MT_IPPROTO_ICMPV6) {
        /* An atomic fragment (offset 0, M 0; RFC 6946 4, RFC 8200 4.5) is
         * a whole datagram: translated as one, with the Fragment header's
         * ID (l2mt_ip4_write()).  Real fragments cannot get an ICMPv4
         * checksum without reassembly. */
        return (ip.frag ? L2MT_ICMP_UNSUPPORTED : l2mt_icmp6to4(c, &ip));
    }
    if (first) {
        ck_ofs = l2mt_l4_csum_ofs(ip.nh);
    }
    if (ck_ofs) {
        r = l2mt_need(c, l4 + ck_ofs + 2, end);
        if (r) {
            return r;
        }
        /* RFC 8200 8.1: zero is not a valid IPv6 UDP checksum. */
        if (ip.nh == L2MT_IPPROTO_UDP && !partial
            && !l2mt_get16(c->p + l4 + ck_ofs)) {
            return L2MT_UDP_ZERO_CSUM;
        }
    }
    growth = 20 - (int32_t) ip.hlen;

    /* Commit: everything needed from the old headers is in 'ip'. */
    q = l2mt_move_l2(c, growth, L2MT_ETH_P_IP);
    l2mt_ip4_write(&ip, q + c->l3, ulen, ip.nh,
                   l2mt_htons(c->pkt->ip_id));
    if (ck_ofs) {
        l2mt_l4_csum(c->p + l4 + ck_ofs, ~l2mt_prefix2(cfg),
                     ip.nh == L2MT_IPPROTO_UDP, partial);
    }
    return l2mt_done(c, growth, 20 + ulen, first ? c->l3 + 20 : 0,
                     L2MT_ETH_P_IP);
}
