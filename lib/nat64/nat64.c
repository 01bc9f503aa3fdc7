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

/* Configuration, names, Ethernet/VLAN parsing and mode dispatch. */

#include "nat64-private.h"

/* fe80::/96. */
static const uint8_t l2mt_default_prefix[12] = { 0xfe, 0x80 };

void
l2mt_cfg_init(struct l2mt_cfg *cfg, const uint8_t prefix[12], uint32_t flags)
{
    if (!prefix) {
        prefix = l2mt_default_prefix;
    }
    l2mt_memcpy(cfg->prefix, prefix, sizeof cfg->prefix);
    /* Kept folded to 16 bits, in the memory-order representation of
     * nat64-csum.h, so that doubling it cannot overflow. */
    cfg->prefix_csum = l2mt_csum_fold(l2mt_csum_bytes(prefix, 12, 0));
    cfg->flags = flags;
    cfg->mtu6 = 0;
    cfg->mtu4 = 0;
    cfg->frag6 = L2MT_IPV6_MIN_MTU;
}

void
l2mt_cfg_set_mtu(struct l2mt_cfg *cfg, uint32_t mtu6, uint32_t mtu4)
{
    cfg->mtu6 = mtu6;
    cfg->mtu4 = mtu4;
    cfg->frag6 = mtu6 ? mtu6 : L2MT_IPV6_MIN_MTU;
}

const char *
l2mt_mtu_check(uint32_t mtu6, uint32_t mtu4)
{
    if (mtu6 && (mtu6 < L2MT_MTU6_MIN || mtu6 > L2MT_MTU_MAX)) {
        return "mtu6 must be 0 or 1280 to 65535";
    } else if (mtu4 && (mtu4 < L2MT_MTU4_MIN || mtu4 > L2MT_MTU_MAX)) {
        return "mtu4 must be 0 or 68 to 65535";
    }
    return 0;
}

enum l2mt_prefix_error
l2mt_prefix_check(const uint8_t prefix[12])
{
    /* ::ffff:0:0/96 and ::/96 start with 80 zero bits. */
    uint8_t high = 0;
    uint32_t i;

    for (i = 0; i < 10; i++) {
        high |= prefix[i];
    }

    if (prefix[8]) {
        return L2MT_PREFIX_BITS_64_71;
    } else if (prefix[0] == 0xff) {
        return L2MT_PREFIX_MULTICAST;
    } else if (!high && prefix[10] == 0xff && prefix[11] == 0xff) {
        return L2MT_PREFIX_IPV4_MAPPED;
    } else if (!high && !prefix[10] && !prefix[11]) {
        return L2MT_PREFIX_IPV4_COMPAT;
    }
    return L2MT_PREFIX_OK;
}

const char *
l2mt_prefix_error_string(enum l2mt_prefix_error e)
{
    switch (e) {
#define L2MT_PE(ENUM, STRING) case L2MT_PREFIX_##ENUM: return STRING;
        L2MT_PREFIX_ERRORS
#undef L2MT_PE
    case L2MT_N_PREFIX_ERRORS:
    default:
        return "unknown";
    }
}

/* 64-bit one's complement addition: the carry goes back in. */
static inline uint64_t
l2mt_add64(uint64_t s, uint64_t a)
{
    s += a;
    return s + (s < a);
}

uint32_t
l2mt_csum_bytes(const uint8_t *p, uint32_t n, uint32_t sum)
{
    uint64_t s = sum;
    uint32_t i;

    /* Loads first, then adds: the compiler chains them best this way. */
    for (i = 0; i + 32 <= n; i += 32) {
        uint64_t a = l2mt_get64(p + i), b = l2mt_get64(p + i + 8);
        uint64_t c = l2mt_get64(p + i + 16), d = l2mt_get64(p + i + 24);

        s = l2mt_add64(l2mt_add64(l2mt_add64(l2mt_add64(s, a), b), c), d);
    }
    for (; i + 8 <= n; i += 8) {
        s = l2mt_add64(s, l2mt_get64(p + i));
    }
    if (i + 4 <= n) {
        s = l2mt_add64(s, l2mt_get32(p + i));
        i += 4;
    }
    if (i + 2 <= n) {
        s = l2mt_add64(s, l2mt_get16(p + i));
        i += 2;
    }
    if (i < n) {
        uint16_t last = 0;

        l2mt_memcpy(&last, p + i, 1);
        s = l2mt_add64(s, last);
    }
    return l2mt_csum_add((uint32_t) s, (uint32_t) (s >> 32));
}

/* Moves the Ethernet header (addresses and VLAN tags) to start 'growth'
 * bytes before its old start (after, if negative) and writes 'ethertype'.
 * Loads everything before storing, so the ranges may overlap.  Returns the
 * new frame start. */
uint8_t *
l2mt_move_l2(struct l2mt_ctx *c, int32_t growth, uint16_t ethertype)
{
    uint8_t *q = c->p - growth;
    uint64_t a = l2mt_get64(c->p);
    uint32_t b = l2mt_get32(c->p + 8);

    if (c->l3 == L2MT_ETH_HLEN) {
        l2mt_put64(q, a);
        l2mt_put32(q + 8, b);
    } else {
        uint32_t t0 = l2mt_get32(c->p + 12);
        uint32_t t1 = c->l3 > 18 ? l2mt_get32(c->p + 16) : 0;

        l2mt_put64(q, a);
        l2mt_put32(q + 8, b);
        l2mt_put32(q + 12, t0);
        if (c->l3 > 18) {
            l2mt_put32(q + 16, t1);
        }
    }
    l2mt_put_be16(q + c->l3 - 2, ethertype);
    return q;
}

#define L2MT_ETH_P_8021Q 0x8100
#define L2MT_ETH_P_8021AD 0x88a8
#define L2MT_MAX_VLAN_TAGS 2

/* Everything the fast paths leave: VLAN tags, ARP, ICMP, fragments,
 * options and extension headers, and every drop. */
enum l2mt_result
l2mt_translate_general(const struct l2mt_cfg *cfg, enum l2mt_mode mode,
                       struct l2mt_pkt *pkt)
{
    struct l2mt_ctx c;
    enum l2mt_result r;
    uint16_t type;
    int i;

    if (mode != L2MT_MODE_4TOLL6 && mode != L2MT_MODE_LL6TO4) {
        return L2MT_PASSED;
    }

    l2mt_ctx_init(&c, cfg, pkt);

    r = l2mt_need(&c, L2MT_ETH_HLEN, c.len);
    if (r) {
        return r;
    }
    type = l2mt_get_be16(c.p + 12);
    for (i = 0; i < L2MT_MAX_VLAN_TAGS
                && (type == L2MT_ETH_P_8021Q || type == L2MT_ETH_P_8021AD);
         i++) {
        r = l2mt_need(&c, c.l3 + 4, c.len);
        if (r) {
            return r;
        }
        type = l2mt_get_be16(c.p + c.l3 + 2);
        c.l3 += 4;
    }

    if (mode == L2MT_MODE_4TOLL6) {
        return (type == L2MT_ETH_P_IP ? l2mt_4to6(&c)
                : type == L2MT_ETH_P_ARP ? l2mt_arp_to_nd(&c)
                : L2MT_BAD_ETHERTYPE);
    } else {
        return type == L2MT_ETH_P_IPV6 ? l2mt_6to4(&c) : L2MT_BAD_ETHERTYPE;
    }
}

enum l2mt_result
l2mt_translate(const struct l2mt_cfg *cfg, enum l2mt_mode mode,
               struct l2mt_pkt *pkt)
{
    /* Untagged TCP and UDP first: the common case, kept short.  The fast
     * paths hand anything else to l2mt_translate_general(). */
    if (pkt->linear >= L2MT_FAST_MIN) {
        uint16_t type = l2mt_get16(pkt->data + 12);

        if (mode == L2MT_MODE_LL6TO4) {
            if (type == l2mt_htons(L2MT_ETH_P_IPV6)) {
                return l2mt_6to4_fast(cfg, pkt);
            }
        } else if (mode == L2MT_MODE_4TOLL6) {
            if (type == l2mt_htons(L2MT_ETH_P_IP)) {
                return l2mt_4to6_fast(cfg, pkt);
            } else if (type == l2mt_htons(L2MT_ETH_P_ARP)) {
                return l2mt_arp_fast(cfg, pkt);
            }
        }
    }
    return l2mt_translate_general(cfg, mode, pkt);
}

/* Switches rather than tables of pointers: pointer tables need
 * relocations, which would put them in writable data. */
const char *
l2mt_result_name(enum l2mt_result r)
{
    switch (r) {
#define L2MT_R(ENUM, NAME) case L2MT_##ENUM: return NAME;
        L2MT_RESULTS
#undef L2MT_R
    case L2MT_N_RESULTS:
    default:
        return "unknown";
    }
}

const char *
l2mt_mode_name(enum l2mt_mode mode)
{
    switch (mode) {
    case L2MT_MODE_NORMAL:
        return "normal";
    case L2MT_MODE_4TOLL6:
        return "4toll6";
    case L2MT_MODE_LL6TO4:
        return "ll6to4";
    default:
        return "unknown";
    }
}

/* Compares NUL-terminated strings (no libc here). */
static int
l2mt_streq(const char *a, const char *b)
{
    while (*a && *a == *b) {
        a++;
        b++;
    }
    return *a == *b;
}

int
l2mt_mode_from_name(const char *name)
{
    int i;

    for (i = L2MT_MODE_NORMAL; i <= L2MT_MODE_LL6TO4; i++) {
        if (l2mt_streq(name, l2mt_mode_name(i))) {
            return i;
        }
    }
    return -1;
}
