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

/* IPv4 -> IPv6 header translation, RFC 7915 section 4. */

#include "nat64-private.h"

#define L2MT_IPOPT_EOL 0
#define L2MT_IPOPT_NOP 1
#define L2MT_IPOPT_LSRR 131
#define L2MT_IPOPT_SSRR 137

/* Scans IPv4 options (RFC 791) for an unexpired source route, which RFC
 * 7915 4.1 says to drop. */
static enum l2mt_result
l2mt_ip4_options(const uint8_t *h, uint32_t hlen)
{
    uint32_t i = 20;

    while (i < hlen) {
        uint8_t type = h[i];
        uint32_t olen;

        if (type == L2MT_IPOPT_EOL) {
            break;
        } else if (type == L2MT_IPOPT_NOP) {
            i++;
            continue;
        }
        if (i + 2 > hlen) {
            return L2MT_BAD_IPV4_HEADER;
        }
        olen = h[i + 1];
        if (olen < 2 || i + olen > hlen) {
            return L2MT_BAD_IPV4_HEADER;
        }
        if (type == L2MT_IPOPT_LSRR || type == L2MT_IPOPT_SSRR) {
            if (olen < 3) {
                return L2MT_BAD_IPV4_HEADER;
            }
            /* The pointer (1-based) is past the route once it expired. */
            if (h[i + 2] <= olen) {
                return L2MT_IPV4_SOURCE_ROUTE;
            }
        }
        i += olen;
    }
    return L2MT_XLATED;
}

/* Parses and checks the outer IPv4 header. */
static enum l2mt_result
l2mt_ip4_check(struct l2mt_ctx *c, struct l2mt_ip4 *ip)
{
    const uint8_t *h = c->p + c->l3;
    enum l2mt_result r;
    uint64_t s;

    r = l2mt_need(c, c->l3 + 20, c->len);
    if (r) {
        return r;
    }
    if ((h[0] >> 4) != 4 || (h[0] & 0xf) < 5) {
        return L2MT_BAD_IPV4_HEADER;
    }
    l2mt_ip4_load(h, ip);
    r = l2mt_need(c, c->l3 + ip->hlen, c->len);
    if (r) {
        return r;
    }
    if (ip->tot_len < ip->hlen) {
        return L2MT_BAD_IPV4_HEADER;
    }
    if (c->l3 + ip->tot_len > c->len) {
        return L2MT_TRUNCATED;
    }
    /* A fragment that would end past the largest datagram (RFC 791: 65535
     * bytes; the "ping of death") has no valid IPv6 form either: its
     * fragments' offsets would not fit the Fragment header. */
    if (((uint32_t) (ip->frag & L2MT_IP4_OFFSET) << 3)
        + ip->tot_len - ip->hlen > 0xffff) {
        return L2MT_BAD_IPV4_HEADER;
    }

    /* IPv6 has no header checksum: dropping is the only way to keep a bad
     * one detectable. */
    s = (uint64_t) l2mt_get32(h) + l2mt_get32(h + 4) + l2mt_get32(h + 8)
        + l2mt_get32(h + 12) + l2mt_get32(h + 16);
    if (ip->hlen > 20) {
        s += l2mt_csum_bytes(h + 20, ip->hlen - 20, 0);
    }
    if (l2mt_csum_fold(l2mt_csum_add((uint32_t) s, (uint32_t) (s >> 32)))
        != 0xffff) {
        return L2MT_BAD_IPV4_CSUM;
    }
    return ip->hlen > 20 ? l2mt_ip4_options(h, ip->hlen) : L2MT_XLATED;
}

/* An untagged, unfragmented TCP or UDP packet without IPv4 options whose
 * checksum field is linear, with enough headroom, that need not be
 * fragmented: anything else takes the general path.  L2MT_FAST_MIN bytes
 * are linear. */
enum l2mt_result
l2mt_4to6_fast(const struct l2mt_cfg *cfg, struct l2mt_pkt *pkt)
{
    uint8_t *p = pkt->data, *h = p + L2MT_ETH_HLEN, *ck;
    struct l2mt_ip4 ip;
    uint32_t ck_ofs;
    uint64_t s;

    if (h[0] != 0x45 || pkt->headroom < 20) {
        return l2mt_translate_general(cfg, L2MT_MODE_4TOLL6, pkt);
    }
    l2mt_ip4_load(h, &ip);
    ck_ofs = l2mt_l4_csum_ofs(ip.proto);
    ck = h + 20 + ck_ofs;
    if (!ck_ofs || ip.frag & (L2MT_IP4_MF | L2MT_IP4_OFFSET)
        || ip.tot_len < 20 + ck_ofs + 2
        || L2MT_ETH_HLEN + 0u + ip.tot_len > pkt->len
        || L2MT_ETH_HLEN + 22u + ck_ofs > pkt->linear
        || (!l2mt_get16(ck) && ip.proto == L2MT_IPPROTO_UDP)
        || (ip.tot_len + 20u > cfg->frag6 && !(ip.frag & L2MT_IP4_DF))) {
        return l2mt_translate_general(cfg, L2MT_MODE_4TOLL6, pkt);
    }
    s = (uint64_t) l2mt_get32(h) + l2mt_get32(h + 4) + l2mt_get32(h + 8)
        + ip.src + ip.dst;
    if (l2mt_csum_fold(l2mt_csum_add((uint32_t) s, (uint32_t) (s >> 32)))
        != 0xffff) {
        return L2MT_BAD_IPV4_CSUM;
    }

    /* Commit. */
    l2mt_put64(p - 20, l2mt_get64(p));
    l2mt_put32(p - 12, l2mt_get32(p + 8));
    l2mt_put16(p - 8, l2mt_htons(L2MT_ETH_P_IPV6));
    l2mt_ip6_write(cfg, &ip, h - 20, ip.tot_len - 20, ip.proto);
    l2mt_l4_csum(ck, l2mt_prefix2(cfg), ip.proto == L2MT_IPPROTO_UDP,
                 pkt->csum_partial);
    return l2mt_report(pkt, 20, L2MT_ETH_HLEN, 20 + ip.tot_len,
                       L2MT_ETH_HLEN + 40, L2MT_ETH_P_IPV6);
}

enum l2mt_result
l2mt_4to6(struct l2mt_ctx *c)
{
    const struct l2mt_cfg *cfg = c->cfg;
    struct l2mt_ip4 ip;
    enum l2mt_result r;
    uint32_t l4, end, ulen, hlen6, ck_ofs = 0;
    int first, udp0 = 0, partial = c->pkt->csum_partial;
    int32_t growth;
    uint8_t *q;

    r = l2mt_ip4_check(c, &ip);
    if (r) {
        return r;
    }
    l4 = c->l3 + ip.hlen;
    end = c->l3 + ip.tot_len;
    ulen = ip.tot_len - ip.hlen;
    first = !(ip.frag & L2MT_IP4_OFFSET);

    r = l2mt_proto_check(ip.proto, L2MT_IPPROTO_ICMPV6);
    if (r) {
        return r;
    }
    if (ip.proto == L2MT_IPPROTO_ICMP) {
        /* The ICMPv6 checksum covers a pseudo-header with the whole
         * message's length, which only reassembly knows. */
        return (l2mt_ip4_is_frag(&ip) ? L2MT_ICMP_UNSUPPORTED
                : l2mt_icmp4to6(c, &ip));
    }
    if (first) {
        ck_ofs = l2mt_l4_csum_ofs(ip.proto);
    }
    if (ck_ofs) {
        r = l2mt_need(c, l4 + ck_ofs + 2, end);
        if (r) {
            return r;
        }
        if (ip.proto == L2MT_IPPROTO_UDP && !partial
            && !l2mt_get16(c->p + l4 + ck_ofs)) {
            /* RFC 7915 4.5: compute it, or drop by configuration.  A
             * fragment does not hold the whole datagram: drop. */
            if (l2mt_ip4_is_frag(&ip) || cfg->flags & L2MT_F_UDP0_DROP) {
                return L2MT_UDP_ZERO_CSUM;
            }
            r = l2mt_need(c, end, end);
            if (r) {
                return r;
            }
            udp0 = 1;
        }
    }
    hlen6 = l2mt_ip6_hdr_len(&ip);
    growth = (int32_t) hlen6 - ip.hlen;
    if (!l2mt_room(c, growth)) {
        return L2MT_NO_HEADROOM;
    }

    /* Commit: everything needed from the old headers is in 'ip'. */
    q = l2mt_move_l2(c, growth, L2MT_ETH_P_IPV6);
    l2mt_ip6_write(cfg, &ip, q + c->l3, ulen, ip.proto);
    if (udp0) {
        uint8_t *u = c->p + l4;
        uint16_t v;

        l2mt_put16(u + 6, 0);
        v = ~l2mt_csum_fold(l2mt_csum_bytes(u, ulen,
                                            l2mt_pseudo6(cfg, ip.src, ip.dst,
                                                         ulen, ip.proto)));
        l2mt_put16(u + 6, v ? v : 0xffff);
    } else if (ck_ofs) {
        l2mt_l4_csum(c->p + l4 + ck_ofs, l2mt_prefix2(cfg),
                     ip.proto == L2MT_IPPROTO_UDP, partial);
    }
    r = l2mt_done(c, growth, hlen6 + ulen, first ? c->l3 + hlen6 : 0,
                  L2MT_ETH_P_IPV6);
    l2mt_frag_mark(cfg, c->pkt, &ip, hlen6 + ulen);
    return r;
}
