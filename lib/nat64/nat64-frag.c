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

/* IPv6 fragments of a translated DF=0 IPv4 packet, RFC 7915 4 and 4.1.
 *
 * The translation itself is done in place as for any packet (nat64-4to6.c,
 * nat64-icmp.c): the frame holds one IPv6 packet, with a Fragment header
 * when the IPv4 packet was a fragment already, and its checksums are those
 * of the whole datagram.  This file only cuts it: fragment 'i' is a copy
 * of the L2 and IPv6 headers, a Fragment header and the i-th piece of what
 * follows them.  Stateless, so that every caller (one buffer at a time in
 * user space, one skb at a time in the kernel) drives it its own way. */

#include "nat64-private.h"

#define L2MT_IPPROTO_FRAGMENT 44

/* The frame's layout, as far as cutting it is concerned. */
struct l2mt_frag_layout {
    const uint8_t *h6;          /* IPv6 header. */
    uint32_t l3;                /* Its offset in the frame. */
    uint32_t hlen;              /* 40, or 48 with a Fragment header. */
    uint32_t data;              /* Bytes after 'hlen': to be cut. */
    uint32_t chunk;             /* Bytes of each fragment but the last. */
    uint32_t count;
};

static int
l2mt_frag_layout(const struct l2mt_pkt *pkt, struct l2mt_frag_layout *fl)
{
    uint32_t l3 = pkt->l3_ofs;

    if (!pkt->frag_size || pkt->frag_size < L2MT_IPV6_MIN_MTU
        || pkt->ethertype != L2MT_ETH_P_IPV6 || pkt->linear < pkt->len
        || l3 + 48 > pkt->len) {
        return 0;
    }
    fl->h6 = pkt->data + l3;
    fl->l3 = l3;
    fl->hlen = fl->h6[6] == L2MT_IPPROTO_FRAGMENT ? 48 : 40;
    fl->data = pkt->len - l3 - fl->hlen;
    /* IPv6 header, Fragment header, a multiple of 8 bytes (RFC 8200 4.5).
     * frag_size >= 1280 leaves at least 1232. */
    fl->chunk = (pkt->frag_size - 48u) & ~7u;
    fl->count = (fl->data + fl->chunk - 1) / fl->chunk;
    return 1;
}

uint32_t
l2mt_frag_count(const struct l2mt_pkt *pkt)
{
    struct l2mt_frag_layout fl;

    return l2mt_frag_layout(pkt, &fl) ? fl.count : 0;
}

/* Bytes of data in fragment 'i' (< fl->count). */
static uint32_t
l2mt_frag_piece(const struct l2mt_frag_layout *fl, uint32_t i)
{
    uint32_t off = i * fl->chunk;

    return fl->data - off < fl->chunk ? fl->data - off : fl->chunk;
}

uint32_t
l2mt_frag_len(const struct l2mt_pkt *pkt, uint32_t i)
{
    struct l2mt_frag_layout fl;

    if (!l2mt_frag_layout(pkt, &fl) || i >= fl.count) {
        return 0;
    }
    return fl.l3 + 48 + l2mt_frag_piece(&fl, i);
}

/* The complete TCP/UDP checksum of a frame whose checksum field holds
 * only the pseudo-header sum (csum_partial): what the NIC would have
 * written, computed here because fragments cannot be offloaded. */
static uint16_t
l2mt_frag_csum(const struct l2mt_pkt *pkt, uint8_t proto)
{
    uint32_t l4 = pkt->l4_ofs;
    uint16_t v = ~l2mt_csum_fold(l2mt_csum_bytes(pkt->data + l4,
                                                 pkt->len - l4, 0));

    return v || proto != L2MT_IPPROTO_UDP ? v : 0xffff;
}

uint32_t
l2mt_frag_emit(const struct l2mt_pkt *pkt, uint32_t i, uint8_t *buf,
               uint32_t size)
{
    struct l2mt_frag_layout fl;
    uint32_t off, n, ofs, fh_off = 0;
    const uint8_t *h6;
    uint8_t *o6, nh;
    uint16_t id_hi = 0, id_lo = pkt->frag_id;
    int more;

    if (!l2mt_frag_layout(pkt, &fl) || i >= fl.count) {
        return 0;
    }
    h6 = fl.h6;
    off = i * fl.chunk;
    n = l2mt_frag_piece(&fl, i);
    if (size < fl.l3 + 48 + n) {
        return 0;
    }
    more = i + 1 < fl.count;
    nh = h6[6];
    if (fl.hlen == 48) {
        /* A fragment already (RFC 7915 4.1): its pieces keep its ID and
         * start at its offset; the last keeps its M. */
        nh = h6[40];
        fh_off = l2mt_get_be16(h6 + 42);
        more |= fh_off & L2MT_IP6_MF;
        fh_off &= ~7u;
        id_hi = l2mt_get16(h6 + 44);
        id_lo = l2mt_get16(h6 + 46);
    }
    ofs = fh_off + off;

    l2mt_memcpy(buf, pkt->data, fl.l3 + 40);
    o6 = buf + fl.l3;
    l2mt_put_be16(o6 + 4, 8 + n);
    o6[6] = L2MT_IPPROTO_FRAGMENT;
    o6[40] = nh;
    o6[41] = 0;
    l2mt_put_be16(o6 + 42, ofs | (more ? L2MT_IP6_MF : 0));
    l2mt_put16(o6 + 44, id_hi);
    l2mt_put16(o6 + 46, id_lo);
    l2mt_memcpy(o6 + 48, h6 + fl.hlen + off, n);

    if (pkt->csum_partial && !i && fl.hlen == 40 && pkt->l4_ofs) {
        uint32_t ck_ofs = l2mt_l4_csum_ofs(nh);

        /* l4_ofs + ck_ofs + 2 lies in the first piece (>= 1232 bytes). */
        if (ck_ofs && pkt->l4_ofs + ck_ofs + 2 <= pkt->len) {
            l2mt_put16(buf + pkt->l4_ofs + 8 + ck_ofs,
                       l2mt_frag_csum(pkt, nh));
        }
    }
    return fl.l3 + 48 + n;
}
