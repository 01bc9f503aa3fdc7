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

/* ICMPv4 <-> ICMPv6, RFC 7915 sections 4.2, 4.3, 5.2 and 5.3, with the
 * RFC 4884 length attribute. */

#include "nat64-private.h"

#define L2MT_ICMP_ECHOREPLY 0
#define L2MT_ICMP_UNREACH 3
#define L2MT_ICMP_ECHO 8
#define L2MT_ICMP_TIMXCEED 11
#define L2MT_ICMP_PARAMPROB 12

#define L2MT_ICMP6_UNREACH 1
#define L2MT_ICMP6_PKT_TOO_BIG 2
#define L2MT_ICMP6_TIME_EXCEEDED 3
#define L2MT_ICMP6_PARAM_PROB 4
#define L2MT_ICMP6_ECHO 128
#define L2MT_ICMP6_ECHOREPLY 129

/* RFC 4884 4: extensions need at least this much original datagram. */
#define L2MT_RFC4884_MIN_ORIG 128
/* RFC 4884 4.1: the ICMPv4 length attribute counts 32-bit words in 8
 * bits. */
#define L2MT_RFC4884_MAX_ORIG4 (255 * 4)

/* Rewrites the echo type at 'm' to 'type' and, if the checksum is among the
 * 'n' bytes present, updates it for the type change plus 'pseudo' (the
 * pseudo-header sum added, or its negative when removed). */
static void
l2mt_echo_xlate(uint8_t *m, uint32_t n, uint8_t type, uint32_t pseudo)
{
    if (n >= 4) {
        uint16_t old = l2mt_get16(m);
        uint32_t delta;

        m[0] = type;
        delta = l2mt_csum_add(l2mt_csum_sub(l2mt_get16(m), old), pseudo);
        l2mt_put16(m + 2, l2mt_csum_update(l2mt_get16(m + 2), delta));
    } else {
        m[0] = type;            /* A quote may end anywhere. */
    }
}

static int
l2mt_is_echo4(uint8_t type)
{
    return type == L2MT_ICMP_ECHO || type == L2MT_ICMP_ECHOREPLY;
}

static int
l2mt_is_echo6(uint8_t type)
{
    return type == L2MT_ICMP6_ECHO || type == L2MT_ICMP6_ECHOREPLY;
}

static uint8_t
l2mt_echo4to6(uint8_t type)
{
    return type == L2MT_ICMP_ECHO ? L2MT_ICMP6_ECHO : L2MT_ICMP6_ECHOREPLY;
}

static uint8_t
l2mt_echo6to4(uint8_t type)
{
    return type == L2MT_ICMP6_ECHO ? L2MT_ICMP_ECHO : L2MT_ICMP_ECHOREPLY;
}

/* Moves the Ethernet header for 'growth' and, when 'pad' zero bytes must
 * follow the quoted packet's 'rest' bytes at 'rp' (RFC 4884 padding), moves
 * those bytes 'pad' bytes towards the front.  Returns their new start. */
static uint8_t *
l2mt_err_move(struct l2mt_ctx *c, int32_t growth, uint16_t ethertype,
              uint8_t *rp, uint32_t rest, uint32_t pad)
{
    l2mt_move_l2(c, growth, ethertype);
    if (pad) {
        l2mt_memmove(rp - pad, rp, rest);
        l2mt_memset(rp - pad + rest, 0, pad);
    }
    return rp - pad;
}

/* The original datagram field of an error message with 'avail' bytes after
 * the ICMP header: all of them, unless the RFC 4884 length attribute 'len'
 * (in 'unit' bytes) says where extensions start. */
static enum l2mt_result
l2mt_err_orig(uint32_t avail, uint32_t len, uint32_t unit, uint32_t *orig,
              uint32_t *ext)
{
    *orig = avail;
    *ext = 0;
    if (len) {
        if (len * unit > avail) {
            return L2MT_ICMP_BAD_INNER;
        }
        *orig = len * unit;
        *ext = avail - *orig;
    }
    return L2MT_XLATED;
}

/* ---- IPv4 -> IPv6 ---- */

/* RFC 1191 plateau below 'tot', for routers that report MTU 0. */
static uint32_t
l2mt_plateau(uint32_t tot)
{
    static const uint16_t plateaus[] = {
        65535, 32000, 17914, 8166, 4352, 2002, 1492, 1006, 508, 296, 68
    };
    unsigned int i;

    for (i = 0; i < sizeof plateaus / sizeof plateaus[0]; i++) {
        if (plateaus[i] < tot) {
            return plateaus[i];
        }
    }
    return 68;
}

/* RFC 7915 4.2 parameter problem pointer, or -1. */
static int
l2mt_ptr4to6(uint8_t p)
{
    return (p <= 1 ? p
            : p <= 3 ? 4
            : p == 8 ? 7
            : p == 9 ? 6
            : p >= 12 && p <= 15 ? 8
            : p >= 16 && p <= 19 ? 24
            : -1);
}

/* Maps ICMPv4 error 'm' to ICMPv6 type '*t6', code '*c6' and bytes 4-7
 * '*w6' (host order).  '*len_out' tells whether the ICMPv6 type has an
 * RFC 4884 length attribute.  The MTU of "fragmentation needed" is filled
 * in later. */
static enum l2mt_result
l2mt_err_map4to6(const uint8_t *m, uint8_t *t6, uint8_t *c6, uint32_t *w6,
                 int *len_out)
{
    uint8_t code = m[1];
    int ptr;

    *w6 = 0;
    *len_out = 0;
    switch (m[0]) {
    case L2MT_ICMP_UNREACH:
        *t6 = L2MT_ICMP6_UNREACH;
        *len_out = 1;
        switch (code) {
        case 0: case 1: case 5: case 6: case 7: case 8: case 11: case 12:
            *c6 = 0;            /* No route to destination. */
            return L2MT_XLATED;
        case 2:                 /* Protocol: unrecognized next header. */
            *t6 = L2MT_ICMP6_PARAM_PROB;
            *c6 = 1;
            *w6 = 6;
            *len_out = 0;
            return L2MT_XLATED;
        case 3:
            *c6 = 4;            /* Port unreachable. */
            return L2MT_XLATED;
        case 4:
            *t6 = L2MT_ICMP6_PKT_TOO_BIG;
            *c6 = 0;
            *len_out = 0;
            return L2MT_XLATED;
        case 9: case 10: case 13: case 15:
            *c6 = 1;            /* Administratively prohibited. */
            return L2MT_XLATED;
        default:
            return L2MT_ICMP_UNSUPPORTED;
        }

    case L2MT_ICMP_TIMXCEED:
        *t6 = L2MT_ICMP6_TIME_EXCEEDED;
        *c6 = code;
        *len_out = 1;
        return L2MT_XLATED;

    case L2MT_ICMP_PARAMPROB:
        ptr = l2mt_ptr4to6(m[4]);
        if ((code != 0 && code != 2) || ptr < 0) {
            return L2MT_ICMP_UNSUPPORTED;
        }
        *t6 = L2MT_ICMP6_PARAM_PROB;
        *c6 = 0;
        *w6 = ptr;
        return L2MT_XLATED;

    default:
        return L2MT_ICMP_UNSUPPORTED;
    }
}

/* Adjusts what the quoted bytes 'l4' ('n' of them) of the inner packet 'in'
 * hold of its transport header: TCP/UDP checksums and echo type. */
static void
l2mt_inner_l4_4to6(const struct l2mt_cfg *cfg, const struct l2mt_ip4 *in,
                   uint8_t *l4, uint32_t n)
{
    uint32_t ofs = l2mt_l4_csum_ofs(in->proto);

    if (in->frag & L2MT_IP4_OFFSET) {
        return;
    }
    if (ofs && n >= ofs + 2
        && (in->proto == L2MT_IPPROTO_TCP || l2mt_get16(l4 + ofs))) {
        l2mt_l4_csum(l4 + ofs, l2mt_prefix2(cfg),
                     in->proto == L2MT_IPPROTO_UDP, 0);
    } else if (in->proto == L2MT_IPPROTO_ICMP && n >= 1) {
        l2mt_echo_xlate(l4, n, l2mt_echo4to6(l4[0]),
                        l2mt_pseudo6(cfg, in->src, in->dst,
                                     in->tot_len - in->hlen,
                                     L2MT_IPPROTO_ICMPV6));
    }
}

static enum l2mt_result
l2mt_err4to6(struct l2mt_ctx *c, const struct l2mt_ip4 *ip)
{
    const struct l2mt_cfg *cfg = c->cfg;
    uint32_t l4 = c->l3 + ip->hlen, end = c->l3 + ip->tot_len;
    uint32_t mlen = ip->tot_len - ip->hlen;
    uint8_t *m = c->p + l4, *ih = m + 8, *rp, *m6;
    uint32_t w6, orig, ext, rest, hlen6, orig6, pad, plen6;
    struct l2mt_ip4 in;
    enum l2mt_result r;
    uint8_t t6, c6;
    int len_out;
    int32_t growth;

    r = l2mt_err_map4to6(m, &t6, &c6, &w6, &len_out);
    if (r) {
        return r;
    }
    r = l2mt_need(c, end, end);
    if (r) {
        return r;
    }
    if (l2mt_csum_fold(l2mt_csum_bytes(m, mlen, 0)) != 0xffff) {
        return L2MT_ICMP_BAD_CSUM;
    }

    /* The quoted packet, RFC 7915 4.3: its IPv4 header is translated like
     * an outer one, but without checks that a quote cannot pass. */
    r = l2mt_err_orig(mlen - 8, m[5], 4, &orig, &ext);
    if (r) {
        return r;
    }
    if (orig < 20 || (ih[0] >> 4) != 4 || (ih[0] & 0xf) < 5
        || (ih[0] & 0xf) * 4u > orig) {
        return L2MT_ICMP_BAD_INNER;
    }
    l2mt_ip4_load(ih, &in);
    rest = orig - in.hlen;
    if (in.tot_len < in.hlen
        || l2mt_proto_check(in.proto, L2MT_IPPROTO_ICMPV6)
        || (in.proto == L2MT_IPPROTO_ICMP && !(in.frag & L2MT_IP4_OFFSET)
            && rest && !l2mt_is_echo4(ih[in.hlen]))) {
        /* An error about an error (or about anything but an echo). */
        return L2MT_ICMP_BAD_INNER;
    }
    if (t6 == L2MT_ICMP6_PKT_TOO_BIG) {
        uint32_t mtu = l2mt_get_be16(m + 6);

        /* RFC 7915 4.2: minimum(advertised MTU + 20, MTU of the IPv6 next
         * hop, MTU of the IPv4 next hop + 20), as far as they are
         * configured; never below IPv6's minimum.  "Taking into account
         * whether or not the packet in error includes a Fragment Header":
         * a quoted IPv4 fragment was an IPv6 packet with one, 28 bytes
         * longer than its IPv4 form, not 20. */
        uint32_t delta = l2mt_ip6_hdr_len(&in) - 20;

        mtu = (mtu ? mtu : l2mt_plateau(in.tot_len)) + delta;
        if (cfg->mtu6 && cfg->mtu6 < mtu) {
            mtu = cfg->mtu6;
        }
        if (cfg->mtu4 && cfg->mtu4 + delta < mtu) {
            mtu = cfg->mtu4 + delta;
        }
        w6 = mtu < L2MT_IPV6_MIN_MTU ? L2MT_IPV6_MIN_MTU : mtu;
    }

    hlen6 = l2mt_ip6_hdr_len(&in);
    orig6 = hlen6 + rest;
    pad = 0;
    if (!len_out) {
        ext = 0;                /* No length attribute to describe them. */
    } else if (ext) {
        /* RFC 4884 4: zero-padded to 64 bits and to at least 128 bytes
         * (a field that was short in IPv4 too). */
        pad = (orig6 < L2MT_RFC4884_MIN_ORIG
               ? L2MT_RFC4884_MIN_ORIG - orig6 : (8 - orig6 % 8) % 8);
    }
    if (48 + orig6 + pad + ext > L2MT_IPV6_MIN_MTU) {
        /* Too big: extensions go first, then the quote's tail. */
        ext = pad = 0;
        if (48 + orig6 > L2MT_IPV6_MIN_MTU) {
            rest -= 48 + orig6 - L2MT_IPV6_MIN_MTU;
            orig6 = hlen6 + rest;
        }
    }
    growth = (int32_t) (40 - ip->hlen) + (int32_t) (hlen6 - in.hlen);
    if (ext && growth + (int32_t) pad > L2MT_MAX_GROWTH) {
        /* Padding to 128 bytes would grow the frame past what callers
         * reserve: without the extensions (length 0) the message is
         * compliant.  Decided on the bound, not on this frame's headroom,
         * so that every datapath gives the same result. */
        ext = pad = 0;
    }
    growth += pad;
    plen6 = 8 + orig6 + pad + ext;
    if (!l2mt_room(c, growth)) {
        return L2MT_NO_HEADROOM;
    }

    /* Commit: the outer, ICMP and inner headers are all in locals. */
    rp = l2mt_err_move(c, growth, L2MT_ETH_P_IPV6, ih + in.hlen, rest, pad);
    l2mt_ip6_write(cfg, &in, rp - hlen6, in.tot_len - in.hlen,
                   in.proto == L2MT_IPPROTO_ICMP ? L2MT_IPPROTO_ICMPV6
                   : in.proto);
    l2mt_inner_l4_4to6(cfg, &in, rp, rest);
    m6 = rp - hlen6 - 8;
    m6[0] = t6;
    m6[1] = c6;
    l2mt_put16(m6 + 2, 0);
    l2mt_put_be32(m6 + 4, w6);
    if (ext) {
        m6[4] = (orig6 + pad) / 8;
    }
    l2mt_ip6_write(cfg, ip, m6 - 40, plen6, L2MT_IPPROTO_ICMPV6);
    l2mt_put16(m6 + 2, ~l2mt_csum_fold(
                   l2mt_csum_bytes(m6, plen6,
                                   l2mt_pseudo6(cfg, ip->src, ip->dst, plen6,
                                                L2MT_IPPROTO_ICMPV6))));
    return l2mt_done(c, growth, 40 + plen6, c->l3 + 40, L2MT_ETH_P_IPV6);
}

enum l2mt_result
l2mt_icmp4to6(struct l2mt_ctx *c, const struct l2mt_ip4 *ip)
{
    uint32_t l4 = c->l3 + ip->hlen, mlen = ip->tot_len - ip->hlen;
    enum l2mt_result r;
    int32_t growth;
    uint8_t *m;

    r = l2mt_need(c, l4 + 8, c->l3 + ip->tot_len);
    if (r) {
        return r;
    }
    m = c->p + l4;
    if (!l2mt_is_echo4(m[0])) {
        return l2mt_err4to6(c, ip);
    }

    /* Echo: an incremental update keeps a bad checksum bad. */
    growth = 40 - (int32_t) ip->hlen;
    if (!l2mt_room(c, growth)) {
        return L2MT_NO_HEADROOM;
    }
    l2mt_ip6_write(c->cfg, ip,
                   l2mt_move_l2(c, growth, L2MT_ETH_P_IPV6) + c->l3,
                   mlen, L2MT_IPPROTO_ICMPV6);
    l2mt_echo_xlate(m, mlen, l2mt_echo4to6(m[0]),
                    l2mt_pseudo6(c->cfg, ip->src, ip->dst, mlen,
                                 L2MT_IPPROTO_ICMPV6));
    r = l2mt_done(c, growth, 40 + mlen, c->l3 + 40, L2MT_ETH_P_IPV6);
    /* The checksum covers the whole message: fragments cut after it. */
    l2mt_frag_mark(c->cfg, c->pkt, ip, 40 + mlen);
    return r;
}

/* ---- IPv6 -> IPv4 ---- */

/* RFC 7915 5.2 parameter problem pointer, or -1. */
static int
l2mt_ptr6to4(uint32_t p)
{
    return (p <= 1 ? (int) p
            : p == 4 || p == 5 ? 2
            : p == 6 ? 9
            : p == 7 ? 8
            : p >= 8 && p <= 23 ? 12
            : p >= 24 && p <= 39 ? 16
            : -1);
}

/* Maps ICMPv6 error 'm' to ICMPv4 type '*t4', code '*c4' and bytes 4-7
 * '*w4' (host order); '*len_io' tells whether both types have an RFC 4884
 * length attribute. */
static enum l2mt_result
l2mt_err_map6to4(const uint8_t *m, uint8_t *t4, uint8_t *c4, uint32_t *w4,
                 int *len_io)
{
    uint8_t code = m[1];
    int ptr;

    *w4 = 0;
    *len_io = 0;
    switch (m[0]) {
    case L2MT_ICMP6_UNREACH:
        *t4 = L2MT_ICMP_UNREACH;
        *len_io = 1;
        switch (code) {
        case 0: case 2: case 3:
            *c4 = 1;            /* Host unreachable. */
            return L2MT_XLATED;
        case 1:
            *c4 = 10;           /* Host administratively prohibited. */
            return L2MT_XLATED;
        case 4:
            *c4 = 3;            /* Port unreachable. */
            return L2MT_XLATED;
        default:
            return L2MT_ICMP_UNSUPPORTED;
        }

    case L2MT_ICMP6_PKT_TOO_BIG:
        /* RFC 4443 3.2: the code is ignored by receivers. */
        *t4 = L2MT_ICMP_UNREACH;
        *c4 = 4;
        /* The MTU: l2mt_err6to4(), once the quote is parsed. */
        return L2MT_XLATED;

    case L2MT_ICMP6_TIME_EXCEEDED:
        *t4 = L2MT_ICMP_TIMXCEED;
        *c4 = code;
        *len_io = 1;
        return L2MT_XLATED;

    case L2MT_ICMP6_PARAM_PROB:
        if (code == 1) {        /* Unrecognized next header. */
            *t4 = L2MT_ICMP_UNREACH;
            *c4 = 2;
            return L2MT_XLATED;
        }
        ptr = l2mt_ptr6to4(l2mt_get_be32(m + 4));
        if (code != 0 || ptr < 0) {
            return L2MT_ICMP_UNSUPPORTED;
        }
        *t4 = L2MT_ICMP_PARAMPROB;
        *c4 = 0;
        *w4 = (uint32_t) ptr << 24;
        return L2MT_XLATED;

    default:                /* RS, RA, redirect never get here. */
        return L2MT_ICMP_UNSUPPORTED;
    }
}

static void
l2mt_inner_l4_6to4(const struct l2mt_cfg *cfg, const struct l2mt_ip6 *in,
                   uint8_t *l4, uint32_t n, uint32_t ulen)
{
    uint32_t ofs = l2mt_l4_csum_ofs(in->nh);

    if (in->frag & 0xfff8) {
        return;
    }
    if (ofs && n >= ofs + 2
        && (in->nh == L2MT_IPPROTO_TCP || l2mt_get16(l4 + ofs))) {
        l2mt_l4_csum(l4 + ofs, ~l2mt_prefix2(cfg),
                     in->nh == L2MT_IPPROTO_UDP, 0);
    } else if (in->nh == L2MT_IPPROTO_ICMPV6 && n >= 1) {
        l2mt_echo_xlate(l4, n, l2mt_echo6to4(l4[0]),
                        ~l2mt_pseudo6(cfg, in->src, in->dst, ulen,
                                      L2MT_IPPROTO_ICMPV6));
    }
}

static enum l2mt_result
l2mt_err6to4(struct l2mt_ctx *c, const struct l2mt_ip6 *ip)
{
    const struct l2mt_cfg *cfg = c->cfg;
    uint32_t l4 = c->l3 + ip->hlen, end = c->l3 + 40 + ip->plen;
    uint32_t mlen = end - l4;
    uint8_t *m = c->p + l4, *ih = m + 8, *rp, *m4;
    uint32_t w4, orig, ext, rest, iulen, orig4, pad, cut, plen4;
    uint16_t id = l2mt_htons(c->pkt->ip_id);
    struct l2mt_ip6 in;
    enum l2mt_result r;
    uint8_t t4, c4;
    int len_io;
    int32_t growth;

    r = l2mt_err_map6to4(m, &t4, &c4, &w4, &len_io);
    if (r) {
        return r;
    }
    r = l2mt_need(c, end, end);
    if (r) {
        return r;
    }
    if (l2mt_csum_fold(l2mt_csum_bytes(m, mlen,
                                       l2mt_pseudo6(cfg, ip->src, ip->dst,
                                                    mlen,
                                                    L2MT_IPPROTO_ICMPV6)))
        != 0xffff) {
        return L2MT_ICMP_BAD_CSUM;
    }

    r = l2mt_err_orig(mlen - 8, len_io ? m[4] : 0, 8, &orig, &ext);
    if (r) {
        return r;
    }
    if (l2mt_ip6_parse(ih, orig, orig, &in)) {
        return L2MT_ICMP_BAD_INNER;
    }
    if (!l2mt_in_prefix2(cfg, ih + 8)) {
        return L2MT_NOT_IN_PREFIX;
    }
    rest = orig - in.hlen;
    if (in.hlen > 40 + in.plen || 20 + in.plen - (in.hlen - 40) > 0xffff
        || in.nh == L2MT_IPPROTO_ICMP
        || (in.nh == L2MT_IPPROTO_ICMPV6 && !(in.frag & 0xfff8) && rest
            && !l2mt_is_echo6(ih[in.hlen]))) {
        return L2MT_ICMP_BAD_INNER;
    }
    iulen = in.plen - (in.hlen - 40);
    if (t4 == L2MT_ICMP_UNREACH && c4 == 4) {
        /* RFC 7915 5.2: minimum(advertised MTU - 20, MTU of the IPv4 next
         * hop, MTU of the IPv6 next hop - 20), as far as configured,
         * "taking into account whether or not the packet in error
         * includes a Fragment Header": then the IPv4 form is 28 bytes
         * shorter, not 20. */
        uint32_t mtu = l2mt_get_be32(m + 4), delta = in.has_frag ? 28 : 20;

        w4 = mtu > 0xffff + delta ? 0xffff : mtu < delta ? 0 : mtu - delta;
        if (cfg->mtu4 && cfg->mtu4 < w4) {
            w4 = cfg->mtu4;
        }
        if (cfg->mtu6 > delta && cfg->mtu6 - delta < w4) {
            w4 = cfg->mtu6 - delta;
        }
    }

    orig4 = 20 + rest;          /* A multiple of 4: 'orig' is of 8. */
    pad = cut = 0;
    if (!len_io) {
        ext = 0;
    } else if (ext && orig4 < L2MT_RFC4884_MIN_ORIG) {
        /* RFC 4884 4: zero-padded to 128 bytes. */
        pad = L2MT_RFC4884_MIN_ORIG - orig4;
    } else if (ext && orig4 > L2MT_RFC4884_MAX_ORIG4) {
        /* RFC 4884 4.1: the length must describe the field, and 8 bits of
         * words cannot count past 1020 bytes.  The quote's tail goes and
         * the extensions move up (they carry what the quote does not,
         * e.g. MPLS labels); a longer length would wrap. */
        cut = orig4 - L2MT_RFC4884_MAX_ORIG4;
        rest -= cut;
        orig4 = L2MT_RFC4884_MAX_ORIG4;
    }
    growth = (20 - (int32_t) ip->hlen) + (20 - (int32_t) in.hlen);
    if (ext && growth + (int32_t) pad > L2MT_MAX_GROWTH) {
        /* As in l2mt_err4to6(). */
        ext = pad = 0;
    }
    growth += pad;
    plen4 = 8 + orig4 + pad + ext;
    if (!l2mt_room(c, growth)) {
        return L2MT_NO_HEADROOM;
    }

    /* Commit. */
    rp = l2mt_err_move(c, growth, L2MT_ETH_P_IP, ih + in.hlen, rest, pad);
    if (cut && ext) {
        l2mt_memmove(rp + rest, ih + orig, ext);
    }
    l2mt_ip4_write(&in, rp - 20, iulen,
                   in.nh == L2MT_IPPROTO_ICMPV6 ? L2MT_IPPROTO_ICMP : in.nh,
                   id);
    l2mt_inner_l4_6to4(cfg, &in, rp, rest, iulen);
    m4 = rp - 28;
    m4[0] = t4;
    m4[1] = c4;
    l2mt_put16(m4 + 2, 0);
    l2mt_put_be32(m4 + 4, w4);
    if (ext) {
        m4[5] = (orig4 + pad) / 4;
    }
    l2mt_ip4_write(ip, m4 - 20, plen4, L2MT_IPPROTO_ICMP, id);
    l2mt_put16(m4 + 2, ~l2mt_csum_fold(l2mt_csum_bytes(m4, plen4, 0)));
    return l2mt_done(c, growth, 20 + plen4, c->l3 + 20, L2MT_ETH_P_IP);
}

enum l2mt_result
l2mt_icmp6to4(struct l2mt_ctx *c, const struct l2mt_ip6 *ip)
{
    uint32_t l4 = c->l3 + ip->hlen, end = c->l3 + 40 + ip->plen;
    uint32_t mlen = end - l4;
    enum l2mt_result r;
    int32_t growth;
    uint8_t *m;

    r = l2mt_need(c, l4 + 8, end);
    if (r) {
        return r;
    }
    m = c->p + l4;
    if (!l2mt_is_echo6(m[0])) {
        return l2mt_err6to4(c, ip);
    }

    growth = 20 - (int32_t) ip->hlen;
    l2mt_ip4_write(ip, l2mt_move_l2(c, growth, L2MT_ETH_P_IP) + c->l3, mlen,
                   L2MT_IPPROTO_ICMP, l2mt_htons(c->pkt->ip_id));
    l2mt_echo_xlate(m, mlen, l2mt_echo6to4(m[0]),
                    ~l2mt_pseudo6(c->cfg, ip->src, ip->dst, mlen,
                                  L2MT_IPPROTO_ICMPV6));
    return l2mt_done(c, growth, 20 + mlen, c->l3 + 20, L2MT_ETH_P_IP);
}
