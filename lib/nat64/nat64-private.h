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

#ifndef L2MT_NAT64_PRIVATE_H
#define L2MT_NAT64_PRIVATE_H 1

/* Internals shared by the translator core's files.  Not an API. */

#include "nat64.h"
#include "nat64-csum.h"

#define L2MT_ETH_HLEN 14
#define L2MT_ETH_P_IP 0x0800
#define L2MT_ETH_P_ARP 0x0806
#define L2MT_ETH_P_IPV6 0x86dd

#define L2MT_IPPROTO_ICMP 1
#define L2MT_IPPROTO_TCP 6
#define L2MT_IPPROTO_UDP 17
#define L2MT_IPPROTO_ICMPV6 58

/* IPv4 DF flag and fragment fields (host order), IPv6 Fragment header M. */
#define L2MT_IP4_DF 0x4000
#define L2MT_IP4_MF 0x2000
#define L2MT_IP4_OFFSET 0x1fff
#define L2MT_IP6_MF 0x0001

/* RFC 7915 5.1: DF is set on translated packets longer than this. */
#define L2MT_DF_THRESHOLD 1260
/* RFC 7915 4.2 / RFC 8200 5: ICMPv6 errors fit in the minimum MTU. */
#define L2MT_IPV6_MIN_MTU 1280

/* The fast paths get frames with at least this many linear bytes: an
 * untagged ARP packet, or the IPv4 and IPv6 headers' fixed fields. */
#define L2MT_FAST_MIN 42

/* One frame being translated.  'linear' is already clamped to 'len'. */
struct l2mt_ctx {
    const struct l2mt_cfg *cfg;
    struct l2mt_pkt *pkt;
    uint8_t *p;                 /* Frame start (pkt->data). */
    uint32_t len;               /* Frame length. */
    uint32_t linear;            /* Readable bytes at 'p'. */
    uint32_t l3;                /* Offset of the L3 header. */
};

/* Fields of an IPv4 header, saved before the header is overwritten. */
struct l2mt_ip4 {
    uint32_t src, dst;          /* Memory order. */
    uint16_t id;                /* Memory order. */
    uint16_t tot_len;           /* Host order. */
    uint16_t frag;              /* Host order: flags and fragment offset. */
    uint8_t tos, ttl, proto;
    uint8_t hlen;               /* Header length in bytes. */
};

/* Fields of an IPv6 header and its extension headers. */
struct l2mt_ip6 {
    uint32_t src, dst;          /* Low 32 bits of the addresses, memory order. */
    uint16_t plen;              /* Payload length, host order. */
    uint16_t hlen;              /* IPv6 header + extension headers, bytes. */
    uint16_t frag;              /* Fragment header offset field (offset << 3
                                 * | M), host order, if 'has_frag'. */
    uint16_t frag_id;           /* Low 16 bits of the fragment ID, memory
                                 * order, if 'has_frag'. */
    uint8_t tc, hlim;
    uint8_t nh;                 /* Upper-layer protocol. */
    uint8_t has_frag;
};

static inline void
l2mt_ctx_init(struct l2mt_ctx *c, const struct l2mt_cfg *cfg,
              struct l2mt_pkt *pkt)
{
    c->cfg = cfg;
    c->pkt = pkt;
    c->p = pkt->data;
    c->len = pkt->len;
    c->linear = pkt->linear < pkt->len ? pkt->linear : pkt->len;
    c->l3 = L2MT_ETH_HLEN;
}

/* Is 'n' bytes from the frame start inside the packet that ends at 'end'
 * (TRUNCATED otherwise) and readable (NEED_LINEAR otherwise)?  Returns
 * L2MT_XLATED when it is. */
static inline enum l2mt_result
l2mt_need(const struct l2mt_ctx *c, uint32_t n, uint32_t end)
{
    return (n > end ? L2MT_TRUNCATED
            : n > c->linear ? L2MT_NEED_LINEAR
            : L2MT_XLATED);
}

/* Growing the frame at the front by 'growth' bytes (negative: shrinking)
 * is possible? */
static inline int
l2mt_room(const struct l2mt_ctx *c, int32_t growth)
{
    return growth <= 0 || (uint32_t) growth <= c->pkt->headroom;
}

/* 2 * prefix: the pseudo-header difference between a packet's IPv6 and
 * IPv4 forms (both addresses carry the prefix). */
static inline uint32_t
l2mt_prefix2(const struct l2mt_cfg *cfg)
{
    return cfg->prefix_csum << 1;
}

/* Does the 16-byte address at 'a' lie in the configured prefix? */
static inline int
l2mt_in_prefix(const struct l2mt_cfg *cfg, const uint8_t *a)
{
    return (l2mt_get64(a) == l2mt_get64(cfg->prefix)
            && l2mt_get32(a + 8) == l2mt_get32(cfg->prefix + 8));
}

/* Do the source and destination addresses at 'a' (32 bytes) both lie in
 * the configured prefix? */
static inline int
l2mt_in_prefix2(const struct l2mt_cfg *cfg, const uint8_t *a)
{
    uint64_t p0 = l2mt_get64(cfg->prefix);
    uint32_t p1 = l2mt_get32(cfg->prefix + 8);

    return !((l2mt_get64(a) ^ p0) | (l2mt_get64(a + 16) ^ p0)
             | (l2mt_get32(a + 8) ^ p1) | (l2mt_get32(a + 24) ^ p1));
}

/* Writes PREFIX::v4 at 'a'. */
static inline void
l2mt_put_addr6(const struct l2mt_cfg *cfg, uint8_t *a, uint32_t v4)
{
    l2mt_put64(a, l2mt_get64(cfg->prefix));
    l2mt_put32(a + 8, l2mt_get32(cfg->prefix + 8));
    l2mt_put32(a + 12, v4);
}

/* Writes PREFIX::src4 and PREFIX::dst4 at 'a' (32 bytes), loading the
 * prefix once. */
static inline void
l2mt_put_addrs6(const struct l2mt_cfg *cfg, uint8_t *a, uint32_t src4,
                uint32_t dst4)
{
    uint64_t p0 = l2mt_get64(cfg->prefix);
    uint32_t p1 = l2mt_get32(cfg->prefix + 8);

    l2mt_put64(a, p0);
    l2mt_put32(a + 8, p1);
    l2mt_put32(a + 12, src4);
    l2mt_put64(a + 16, p0);
    l2mt_put32(a + 24, p1);
    l2mt_put32(a + 28, dst4);
}

/* The IPv6 pseudo-header sum for addresses PREFIX::src4, PREFIX::dst4. */
static inline uint32_t
l2mt_pseudo6(const struct l2mt_cfg *cfg, uint32_t src4, uint32_t dst4,
             uint32_t len, uint8_t nh)
{
    uint64_t s = (uint64_t) l2mt_prefix2(cfg) + src4 + dst4
                 + l2mt_htons((uint16_t) len) + l2mt_htons(len >> 16)
                 + l2mt_htons(nh);
    return l2mt_csum_add((uint32_t) s, (uint32_t) (s >> 32));
}

static inline int
l2mt_ip4_is_frag(const struct l2mt_ip4 *ip)
{
    return (ip->frag & (L2MT_IP4_MF | L2MT_IP4_OFFSET)) != 0;
}

/* IPv6 extension headers (RFC 8200 4, IANA "IPv6 Extension Header Types").
 * As IPv4 protocols they cannot be translated: an IPv6 receiver would
 * parse the payload as that header. */
static inline int
l2mt_is_ext_hdr(uint8_t nh)
{
    switch (nh) {
    case 0: case 43: case 44: case 51: case 60:
    case 135: case 139: case 140: case 253: case 254:
        return 1;
    default:
        return 0;
    }
}

/* Can a packet of IPv4 protocol 'proto' be carried as IPv6 (and back)?
 * Protocol 58 in IPv4 or 1 in IPv6 would turn into the other family's
 * ICMP, so they go as ICMP_UNSUPPORTED; extension headers as
 * IPV6_EXT_HDR. */
static inline enum l2mt_result
l2mt_proto_check(uint8_t proto, uint8_t foreign_icmp)
{
    return (proto == foreign_icmp ? L2MT_ICMP_UNSUPPORTED
            : l2mt_is_ext_hdr(proto) ? L2MT_IPV6_EXT_HDR
            : L2MT_XLATED);
}

/* Adjusts the TCP or UDP checksum at 'ck' by 'delta'.  With 'partial' the
 * field holds the un-complemented pseudo-header sum (checksum offload);
 * otherwise it is a full checksum, and a UDP result of 0 becomes 0xffff
 * (0 means "no checksum" to IPv4 and is invalid in IPv6). */
static inline __attribute__((__always_inline__)) void
l2mt_l4_csum(uint8_t *ck, uint32_t delta, int udp, int partial)
{
    uint16_t v = l2mt_get16(ck);

    if (partial) {
        v = l2mt_csum_fold(l2mt_csum_add(v, delta));
    } else {
        v = l2mt_csum_update(v, delta);
        if (udp && !v) {
            v = 0xffff;
        }
    }
    l2mt_put16(ck, v);
}

/* Offset of the checksum field in a TCP or UDP header, or 0. */
static inline uint32_t
l2mt_l4_csum_ofs(uint8_t proto)
{
    return (proto == L2MT_IPPROTO_TCP ? 16
            : proto == L2MT_IPPROTO_UDP ? 6
            : 0);
}

/* Header translation, shared by the fast and the general paths. */
static inline void
l2mt_ip4_load(const uint8_t *h, struct l2mt_ip4 *ip)
{
    ip->hlen = (h[0] & 0xf) * 4;
    ip->tos = h[1];
    ip->tot_len = l2mt_get_be16(h + 2);
    ip->id = l2mt_get16(h + 4);
    ip->frag = l2mt_get_be16(h + 6);
    ip->ttl = h[8];
    ip->proto = h[9];
    ip->src = l2mt_get32(h + 12);
    ip->dst = l2mt_get32(h + 16);
}


/* Length of the IPv6 header(s) that replace 'ip': a Fragment header is
 * added only to packets that already are fragments (RFC 7915 4.1). */
static inline uint32_t
l2mt_ip6_hdr_len(const struct l2mt_ip4 *ip)
{
    return l2mt_ip4_is_frag(ip) ? 48 : 40;
}


/* Writes the IPv6 header (and Fragment header) for 'ip' at 'out', for an
 * upper-layer payload of 'ulen' bytes of protocol 'proto'. */
static inline void
l2mt_ip6_write(const struct l2mt_cfg *cfg, const struct l2mt_ip4 *ip,
               uint8_t *out, uint32_t ulen, uint8_t proto)
{
    int frag = l2mt_ip4_is_frag(ip);

    /* Version 6, traffic class = TOS, flow label 0. */
    l2mt_put_be32(out, 0x60000000 | (uint32_t) ip->tos << 20);
    l2mt_put_be16(out + 4, ulen + (frag ? 8 : 0));
    out[6] = frag ? 44 : proto;
    out[7] = ip->ttl;           /* Copied: l2mt is not a router. */
    l2mt_put_addrs6(cfg, out + 8, ip->src, ip->dst);
    if (frag) {
        out[40] = proto;
        out[41] = 0;
        l2mt_put_be16(out + 42, ((ip->frag & L2MT_IP4_OFFSET) << 3)
                                | (ip->frag & L2MT_IP4_MF ? 1 : 0));
        l2mt_put16(out + 44, 0);
        l2mt_put16(out + 46, ip->id);
    }
}


/* Writes the IPv4 header for 'ip' at 'out', for an upper-layer payload of
 * 'ulen' bytes of protocol 'proto', with IPv4 ID 'id' (memory order) unless
 * the packet has a Fragment header. */
static inline void
l2mt_ip4_write(const struct l2mt_ip6 *ip, uint8_t *out, uint32_t ulen,
               uint8_t proto, uint16_t id)
{
    uint32_t tot = 20 + ulen, w0, w1, w2;
    uint16_t frag;
    uint64_t s;

    if (ip->has_frag) {
        frag = (ip->frag >> 3) | (ip->frag & L2MT_IP6_MF ? L2MT_IP4_MF : 0);
        id = ip->frag_id;
    } else {
        /* RFC 7915 5.1: DF lets bigger packets discover the path MTU. */
        frag = tot > L2MT_DF_THRESHOLD ? L2MT_IP4_DF : 0;
    }
    /* The header as three 32-bit words plus the addresses; the checksum
     * from the values, as reading the stored header back would stall. */
    w0 = l2mt_htonl(0x45000000 | (uint32_t) ip->tc << 16 | tot);
    w1 = l2mt_htonl((uint32_t) l2mt_ntohs(id) << 16 | frag);
    w2 = l2mt_htonl((uint32_t) ip->hlim << 24 | (uint32_t) proto << 16);
    s = (uint64_t) w0 + w1 + w2 + ip->src + ip->dst;
    l2mt_put32(out, w0);
    l2mt_put32(out + 4, w1);
    l2mt_put32(out + 8, w2);
    l2mt_put16(out + 10, ~l2mt_csum_fold(l2mt_csum_add((uint32_t) s,
                                                       (uint32_t) (s >> 32))));
    l2mt_put32(out + 12, ip->src);
    l2mt_put32(out + 16, ip->dst);
}

/* Reports a frame that now starts 'growth' bytes earlier and has 'l3_len'
 * bytes from the L3 header at 'l3' on. */
static inline enum l2mt_result
l2mt_report(struct l2mt_pkt *pkt, int32_t growth, uint32_t l3,
            uint32_t l3_len, uint32_t l4, uint16_t ethertype)
{
    uint32_t linear = pkt->linear + growth;

    pkt->data -= growth;
    pkt->len = l3 + l3_len;
    pkt->linear = linear < pkt->len ? linear : pkt->len;
    pkt->l3_ofs = l3;
    pkt->l4_ofs = l4;
    pkt->ethertype = ethertype;
    pkt->frag_size = 0;
    return L2MT_XLATED;
}

/* RFC 7915 4: an IPv4 packet 'ip' with DF=0 whose translation is
 * 'len6' bytes of IPv6 goes as fragments when that exceeds cfg->frag6.
 * Called after l2mt_report(). */
static inline void
l2mt_frag_mark(const struct l2mt_cfg *cfg, struct l2mt_pkt *pkt,
               const struct l2mt_ip4 *ip, uint32_t len6)
{
    if (len6 > cfg->frag6 && !(ip->frag & L2MT_IP4_DF)) {
        pkt->frag_size = cfg->frag6;
        pkt->frag_id = ip->id;
    }
}

/* The general path (nat64.c), where the fast paths hand what they do not
 * handle. */
enum l2mt_result l2mt_translate_general(const struct l2mt_cfg *,
                                        enum l2mt_mode, struct l2mt_pkt *);

/* Frame surgery (nat64.c). */
uint8_t *l2mt_move_l2(struct l2mt_ctx *, int32_t growth, uint16_t ethertype);

static inline enum l2mt_result
l2mt_done(struct l2mt_ctx *c, int32_t growth, uint32_t l3_len, uint32_t l4,
          uint16_t ethertype)
{
    c->pkt->linear = c->linear;
    return l2mt_report(c->pkt, growth, c->l3, l3_len, l4, ethertype);
}

/* IPv4 -> IPv6 (nat64-4to6.c). */
enum l2mt_result l2mt_4to6(struct l2mt_ctx *);
enum l2mt_result l2mt_4to6_fast(const struct l2mt_cfg *, struct l2mt_pkt *);

/* IPv6 -> IPv4 (nat64-6to4.c). */
enum l2mt_result l2mt_6to4(struct l2mt_ctx *);
enum l2mt_result l2mt_ip6_parse(const uint8_t *h, uint32_t avail,
                                uint32_t readable, struct l2mt_ip6 *);
enum l2mt_result l2mt_6to4_fast(const struct l2mt_cfg *, struct l2mt_pkt *);

/* ICMP (nat64-icmp.c).  Called with the outer header parsed and checked. */
enum l2mt_result l2mt_icmp4to6(struct l2mt_ctx *, const struct l2mt_ip4 *);
enum l2mt_result l2mt_icmp6to4(struct l2mt_ctx *, const struct l2mt_ip6 *);

/* ARP <-> NDP (nat64-nd.c). */
enum l2mt_result l2mt_arp_to_nd(struct l2mt_ctx *);
enum l2mt_result l2mt_nd_to_arp(struct l2mt_ctx *, const struct l2mt_ip6 *);
/* Untagged ARP and NS/NA without extension headers, from the fast paths. */
enum l2mt_result l2mt_arp_fast(const struct l2mt_cfg *, struct l2mt_pkt *);
enum l2mt_result l2mt_nd_fast(const struct l2mt_cfg *, struct l2mt_pkt *);

#endif /* nat64-private.h */
