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

/* libFuzzer harness shared by tests/fuzz-nat64-4to6.c and -6to4.c.
 *
 * Input: 3 control bytes, then an Ethernet frame.  Control byte 0: bit 0
 * csum_partial, bit 1 L2MT_F_UDP0_DROP, bit 2 prefix 64:ff9b::/96 instead
 * of fe80::/96, bit 3 only part of the frame linear (byte 2 says how
 * much), bit 4 keep the frame's checksums (otherwise the harness fixes
 * the IPv4 header and ICMP/ICMPv6 checksums first, so that mutations get
 * past the checksum checks into the translation), bit 5 MTUs for both
 * sides (l2mt_cfg_set_mtu(): mtu6 = 1280 + 64 * byte 2, mtu4 = 68 + 64 *
 * byte 1; mtu6 is also the fragment size of DF=0 packets, RFC 7915 4);
 * byte 1: headroom (0..L2MT_MAX_GROWTH).
 *
 * The frame lives in a heap block of exactly headroom + linear bytes, so
 * AddressSanitizer catches any access outside [data - headroom, data +
 * linear).  Invariants checked beyond "no crash": a drop leaves the block
 * untouched; a translated frame lies inside the block with sane lengths
 * and headers; translating it back succeeds or drops with a reason; and an
 * IPv4 <-> IPv6 round trip keeps the transport payload; the fragments of
 * a DF=0 packet put back together are the translated packet
 * (check_frags()). */

#include <config.h>
#include "fuzz-nat64.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define L2MT_IPV6_MIN_MTU_FUZZ 1280

#define FAIL(...)                                       \
    do {                                                \
        fprintf(stderr, "invariant: " __VA_ARGS__);     \
        fprintf(stderr, "\n");                          \
        abort();                                        \
    } while (0)

static uint16_t
be16(const uint8_t *p)
{
    return (uint16_t) (p[0] << 8 | p[1]);
}

/* The plain RFC 1071 sum, folded, not complemented. */
static uint16_t
sum16(const uint8_t *p, size_t n)
{
    uint32_t s = 0;
    size_t i;

    for (i = 0; i + 1 < n; i += 2) {
        s += be16(p + i);
    }
    if (n % 2) {
        s += p[n - 1] << 8;
    }
    while (s > 0xffff) {
        s = (s & 0xffff) + (s >> 16);
    }
    return (uint16_t) s;
}

static void
put16(uint8_t *p, uint16_t v)
{
    p[0] = v >> 8;
    p[1] = v & 0xff;
}

/* Sets the IPv4 header checksum and the ICMP or ICMPv6 checksum (of an
 * ICMPv6 message right after the IPv6 header) of frame 'f'. */
static void
fix_checksums(uint8_t *f, size_t n)
{
    size_t l3 = 14, ihl, end;
    uint16_t type;

    if (n < 14) {
        return;
    }
    type = be16(f + 12);
    while ((type == 0x8100 || type == 0x88a8) && l3 + 4 <= n && l3 < 22) {
        type = be16(f + l3 + 2);
        l3 += 4;
    }
    if (type == 0x0800 && l3 + 20 <= n) {
        uint8_t *h = f + l3;

        ihl = (h[0] & 0xf) * 4;
        if (ihl < 20 || l3 + ihl > n) {
            return;
        }
        put16(h + 10, 0);
        put16(h + 10, ~sum16(h, ihl));
        end = l3 + be16(h + 2);
        if (h[9] == 1 && !(be16(h + 6) & 0x3fff) && end <= n
            && end >= l3 + ihl + 4) {
            put16(h + ihl + 2, 0);
            put16(h + ihl + 2, ~sum16(h + ihl, end - l3 - ihl));
        }
    } else if (type == 0x86dd && l3 + 44 <= n && f[l3 + 6] == 58) {
        uint8_t *h = f + l3;
        uint32_t s;

        end = l3 + 40 + be16(h + 4);
        if (end > n || end < l3 + 44) {
            return;
        }
        put16(h + 42, 0);
        s = sum16(h + 8, 32) + (end - l3 - 40) + 58
            + sum16(h + 40, end - l3 - 40);
        while (s > 0xffff) {
            s = (s & 0xffff) + (s >> 16);
        }
        put16(h + 42, (uint16_t) ~s);
    }
}

/* Checks the headers of a translated frame. */
static void
check_output(enum l2mt_mode mode, const struct l2mt_pkt *pkt)
{
    const uint8_t *f = pkt->data, *h;
    uint32_t l3 = pkt->l3_ofs;

    if (l3 != 14 && l3 != 18 && l3 != 22) {
        FAIL("l3_ofs %u", l3);
    }
    if (pkt->linear < l3 + 20 || be16(f + l3 - 2) != pkt->ethertype) {
        FAIL("ethertype %#x / linear %u", pkt->ethertype, pkt->linear);
    }
    h = f + l3;
    if (pkt->ethertype == 0x86dd && mode == L2MT_MODE_4TOLL6) {
        if (pkt->linear < l3 + 40 || h[0] >> 4 != 6
            || l3 + 40 + be16(h + 4) != pkt->len) {
            FAIL("IPv6 header");
        }
    } else if (pkt->ethertype == 0x0800 && mode == L2MT_MODE_LL6TO4) {
        if (h[0] != 0x45 || l3 + be16(h + 2) != pkt->len
            || sum16(h, 20) != 0xffff) {
            FAIL("IPv4 header");
        }
    } else if (pkt->ethertype == 0x0806 && mode == L2MT_MODE_LL6TO4) {
        if (pkt->len != l3 + 28 || pkt->linear != pkt->len) {
            FAIL("ARP length");
        }
    } else {
        FAIL("ethertype %#x", pkt->ethertype);
    }
    if (pkt->l4_ofs && (pkt->l4_ofs <= l3 || pkt->l4_ofs > pkt->len)) {
        FAIL("l4_ofs %u", pkt->l4_ofs);
    }
}

/* The transport protocol and payload of an IP frame: the last 'ulen'
 * bytes of its IP packet.  Returns the protocol, or -1 if not IP. */
static int
upper(const uint8_t *f, size_t n, const uint8_t **end)
{
    size_t l3 = 14;
    uint16_t type;

    if (n < 14) {
        return -1;
    }
    type = be16(f + 12);
    while ((type == 0x8100 || type == 0x88a8) && l3 + 4 <= n && l3 < 22) {
        type = be16(f + l3 + 2);
        l3 += 4;
    }
    if (type == 0x0800 && l3 + 20 <= n) {
        *end = f + l3 + be16(f + l3 + 2);
        return f[l3 + 9];
    } else if (type == 0x86dd && l3 + 40 <= n) {
        *end = f + l3 + 40 + be16(f + l3 + 4);
        return -2;              /* Caller takes the protocol from IPv4. */
    }
    return -1;
}

static void
check_round_trip(enum l2mt_mode mode, const uint8_t *in, size_t in_len,
                 const struct l2mt_pkt *out)
{
    static uint8_t buf[L2MT_MAX_GROWTH + 70000];
    const uint8_t *v4, *v4_end, *in_end, *back_end;
    struct l2mt_pkt pkt = *out;
    struct l2mt_cfg cfg = fuzz_cfg;
    enum l2mt_result r;
    int proto;
    size_t ulen, skip = 0;

    if (out->linear != out->len || out->len > sizeof buf - L2MT_MAX_GROWTH) {
        return;
    }
    memcpy(buf + L2MT_MAX_GROWTH, out->data, out->len);
    pkt.data = buf + L2MT_MAX_GROWTH;
    pkt.headroom = L2MT_MAX_GROWTH;
    r = l2mt_translate(&cfg, mode == L2MT_MODE_4TOLL6 ? L2MT_MODE_LL6TO4
                                                     : L2MT_MODE_4TOLL6,
                       &pkt);
    if (r == L2MT_PASSED || r == L2MT_NEED_LINEAR || r == L2MT_NO_HEADROOM
        || r >= L2MT_N_RESULTS) {
        FAIL("translating back: %s", l2mt_result_name(r));
    }
    if (r != L2MT_XLATED || out->ethertype == 0x0806
        || pkt.ethertype == 0x0806) {
        return;
    }
    check_output(mode == L2MT_MODE_4TOLL6 ? L2MT_MODE_LL6TO4
                                          : L2MT_MODE_4TOLL6, &pkt);

    /* The IPv4 form tells the protocol and the upper-layer length. */
    v4 = mode == L2MT_MODE_4TOLL6 ? pkt.data : out->data;
    proto = upper(v4, mode == L2MT_MODE_4TOLL6 ? pkt.len : out->len,
                  &v4_end);
    if (proto == 1 || proto < 0) {
        return;                 /* ICMP errors may be cut to 1280 bytes. */
    }
    ulen = v4_end - (v4 + pkt.l3_ofs + 20);
    if (upper(in, in_len, &in_end) == -1
        || upper(pkt.data, pkt.len, &back_end) == -1
        || in_end - in < (long) ulen || back_end - pkt.data < (long) ulen) {
        FAIL("round trip lengths");
    }
    if (pkt.l4_ofs && (proto == 6 || proto == 17)) {
        skip = proto == 6 ? 18 : 8;     /* Up to the checksum field. */
        if (ulen < skip || memcmp(in_end - ulen, back_end - ulen, skip - 2)) {
            FAIL("round trip transport header");
        }
    }
    if (memcmp(in_end - ulen + skip, back_end - ulen + skip, ulen - skip)) {
        FAIL("round trip payload");
    }
}

/* A translated Packet Too Big / Fragmentation Needed in the untagged
 * frame 'pkt' advertises no more than the configured MTUs allow (RFC 7915
 * 4.2, 5.2). */
static void
check_mtu(const struct l2mt_cfg *cfg, const struct l2mt_pkt *pkt)
{
    const uint8_t *p = pkt->data;
    uint32_t mtu;

    if (pkt->len < 14 + 48 || pkt->l4_ofs + 8 > pkt->len || !pkt->l4_ofs) {
        return;
    }
    if (be16(p + 12) == 0x86dd && p[20] == 58 && p[pkt->l4_ofs] == 2) {
        mtu = (uint32_t) be16(p + pkt->l4_ofs + 4) << 16
              | be16(p + pkt->l4_ofs + 6);
        /* + 28 when the quoted packet was an IPv4 fragment. */
        if (mtu > L2MT_IPV6_MIN_MTU_FUZZ
            && (mtu > cfg->mtu6 || mtu > cfg->mtu4 + 28)) {
            FAIL("packet too big MTU %u over mtu6 %u / mtu4 %u", mtu,
                 cfg->mtu6, cfg->mtu4);
        }
    } else if (be16(p + 12) == 0x0800 && p[23] == 1
               && p[pkt->l4_ofs] == 3 && p[pkt->l4_ofs + 1] == 4) {
        mtu = be16(p + pkt->l4_ofs + 6);
        if (mtu > cfg->mtu4 || mtu + 20 > cfg->mtu6) {
            FAIL("fragmentation needed MTU %u over mtu4 %u / mtu6 %u", mtu,
                 cfg->mtu4, cfg->mtu6);
        }
    }
}

/* RFC 7915 4: the fragments of 'pkt' (translated 4->6, frag_size set),
 * each emitted into a heap block of exactly its length (ASan sees any
 * overrun): IPv6 with a Fragment header, at most frag_size bytes of IPv6,
 * data of all but the last a multiple of 8, offsets that follow each
 * other, the last one's M that of the packet, the data put back together
 * the packet's; and each translates back to IPv4 or is dropped with a
 * reason. */
static void
check_frags(const struct l2mt_pkt *pkt)
{
    const uint8_t *h6 = pkt->data + pkt->l3_ofs;
    uint32_t l3 = pkt->l3_ofs, n = l2mt_frag_count(pkt), i, pos;
    int had = h6[6] == 44;
    uint32_t hlen = had ? 48 : 40, data = pkt->len - l3 - hlen;
    uint16_t base = had ? be16(h6 + 42) & 0xfff8 : 0;
    int last_m = had && (h6[43] & 1);

    if (pkt->linear < pkt->len) {
        if (n) {
            FAIL("fragments of a frame that is not linear");
        }
        return;
    }
    if (pkt->ethertype != 0x86dd || pkt->len - l3 <= pkt->frag_size || n < 2) {
        FAIL("frag_size %u for a %u-byte IPv6 packet, %u fragments",
             pkt->frag_size, pkt->len - l3, n);
    }
    for (i = 0, pos = 0; i < n; i++) {
        uint32_t flen = l2mt_frag_len(pkt, i), dlen;
        uint8_t *f = malloc(flen), *f6;

        if (flen < l3 + 48 || flen - l3 > pkt->frag_size
            || l2mt_frag_emit(pkt, i, f, flen - 1)
            || l2mt_frag_emit(pkt, i, f, flen) != flen) {
            FAIL("fragment %u: length %u", i, flen);
        }
        f6 = f + l3;
        dlen = flen - l3 - 48;
        if (memcmp(f, pkt->data, l3 - 2) || be16(f + l3 - 2) != 0x86dd
            || f6[6] != 44 || be16(f6 + 4) != dlen + 8
            || memcmp(f6 + 8, h6 + 8, 32) || f6[40] != (had ? h6[40] : h6[6])
            || (be16(f6 + 42) & 0xfff8) != base + pos
            || (be16(f6 + 42) & 1) != (i + 1 < n ? 1 : last_m)
            || (i + 1 < n && dlen % 8)
            || (had ? memcmp(f6 + 44, h6 + 44, 4)
                : be16(f6 + 44) || memcmp(f6 + 46, &pkt->frag_id, 2))) {
            FAIL("fragment %u: headers", i);
        }
        if (memcmp(f6 + 48, h6 + hlen + pos, dlen)
            && !(i == 0 && pkt->csum_partial)) {
            FAIL("fragment %u: data", i);
        }
        pos += dlen;
        {
            struct l2mt_pkt back;
            uint8_t *b = malloc(flen + L2MT_MAX_GROWTH);
            enum l2mt_result r;

            memcpy(b + L2MT_MAX_GROWTH, f, flen);
            memset(&back, 0, sizeof back);
            back.data = b + L2MT_MAX_GROWTH;
            back.len = back.linear = flen;
            back.headroom = L2MT_MAX_GROWTH;
            r = l2mt_translate(&fuzz_cfg, L2MT_MODE_LL6TO4, &back);
            if (r == L2MT_PASSED || r == L2MT_NEED_LINEAR
                || r == L2MT_NO_HEADROOM || r >= L2MT_N_RESULTS) {
                FAIL("fragment %u back: %s", i, l2mt_result_name(r));
            }
            free(b);
        }
        free(f);
    }
    if (pos != data || l2mt_frag_len(pkt, n) || l2mt_frag_emit(pkt, n, NULL, 0)) {
        FAIL("fragments hold %u bytes of %u", pos, data);
    }
}

struct l2mt_cfg fuzz_cfg;

int
fuzz_one(enum l2mt_mode mode, const uint8_t *data, size_t size)
{
    static const uint8_t wkp[12] = { 0x00, 0x64, 0xff, 0x9b };
    uint8_t *block, *copy, *frame;
    uint32_t headroom, len, linear;
    struct l2mt_pkt pkt;
    enum l2mt_result r;

    if (size < 3 || size > 66000) {
        return 0;
    }
    l2mt_cfg_init(&fuzz_cfg, data[0] & 4 ? wkp : NULL,
                  data[0] & 2 ? L2MT_F_UDP0_DROP : 0);
    if (data[0] & 32) {
        l2mt_cfg_set_mtu(&fuzz_cfg, 1280 + 64u * data[2], 68 + 64u * data[1]);
    }
    headroom = data[1] % (L2MT_MAX_GROWTH + 1);
    len = size - 3;
    linear = data[0] & 8 && data[2] < len ? data[2] : len;

    frame = malloc(len + 1);
    memcpy(frame, data + 3, len);
    if (!(data[0] & 16)) {
        fix_checksums(frame, len);
    }
    block = malloc(headroom + linear);
    copy = malloc(headroom + linear);
    memset(block, 0xa5, headroom);
    memcpy(block + headroom, frame, linear);
    memcpy(copy, block, headroom + linear);

    memset(&pkt, 0, sizeof pkt);
    pkt.data = block + headroom;
    pkt.len = len;
    pkt.linear = linear;
    pkt.headroom = headroom;
    pkt.ip_id = (uint16_t) (data[1] << 8 | data[2]);
    pkt.csum_partial = data[0] & 1;
    r = l2mt_translate(&fuzz_cfg, mode, &pkt);

    if (r >= L2MT_N_RESULTS || r == L2MT_PASSED) {
        FAIL("result %d", r);
    } else if (r != L2MT_XLATED) {
        if (memcmp(block, copy, headroom + linear)) {
            FAIL("%s changed the frame", l2mt_result_name(r));
        }
        if (r == L2MT_NEED_LINEAR && linear == len) {
            FAIL("need_linear with everything linear");
        }
        if (r == L2MT_NO_HEADROOM && headroom == L2MT_MAX_GROWTH) {
            FAIL("grows by more than L2MT_MAX_GROWTH");
        }
    } else {
        if (pkt.data < block || pkt.data + pkt.linear > block + headroom
                                                       + linear
            || pkt.linear > pkt.len || pkt.len > len + L2MT_MAX_GROWTH) {
            FAIL("output outside the buffer");
        }
        check_output(mode, &pkt);
        if (data[0] & 32) {
            check_mtu(&fuzz_cfg, &pkt);
        }
        if (pkt.frag_size) {
            if (mode != L2MT_MODE_4TOLL6) {
                FAIL("fragments in mode %d", mode);
            }
            check_frags(&pkt);
        }
        check_round_trip(mode, frame, len, &pkt);
    }
    free(frame);
    free(block);
    free(copy);
    return 0;
}
