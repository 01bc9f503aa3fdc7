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
}

uint32_t
l2mt_csum_bytes(const uint8_t *p, uint32_t n, uint32_t sum)
{
    uint64_t s = sum;
    uint32_t i;

    for (i = 0; i + 8 <= n; i += 8) {
        uint64_t w = l2mt_get64(p + i);

        s += (w & 0xffffffff) + (w >> 32);
    }
    if (i + 4 <= n) {
        s += l2mt_get32(p + i);
        i += 4;
    }
    if (i + 2 <= n) {
        s += l2mt_get16(p + i);
        i += 2;
    }
    if (i < n) {
        uint16_t last = 0;

        l2mt_memcpy(&last, p + i, 1);
        s += last;
    }
    s = (s & 0xffffffff) + (s >> 32);
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

/* Reports the translated frame: it starts 'growth' bytes before the old
 * start and has 'l3_len' bytes from the L3 header on. */
enum l2mt_result
l2mt_done(struct l2mt_ctx *c, int32_t growth, uint32_t l3_len, uint32_t l4,
          uint16_t ethertype)
{
    struct l2mt_pkt *pkt = c->pkt;
    uint32_t linear = c->linear + growth;

    pkt->data = c->p - growth;
    pkt->len = c->l3 + l3_len;
    pkt->linear = linear < pkt->len ? linear : pkt->len;
    pkt->l3_ofs = c->l3;
    pkt->l4_ofs = l4;
    pkt->ethertype = ethertype;
    return L2MT_XLATED;
}

#define L2MT_ETH_P_8021Q 0x8100
#define L2MT_ETH_P_8021AD 0x88a8
#define L2MT_MAX_VLAN_TAGS 2

enum l2mt_result
l2mt_translate(const struct l2mt_cfg *cfg, enum l2mt_mode mode,
               struct l2mt_pkt *pkt)
{
    struct l2mt_ctx c;
    enum l2mt_result r;
    uint16_t type;
    int i;

    if (mode != L2MT_MODE_4TOLL6 && mode != L2MT_MODE_LL6TO4) {
        return L2MT_PASSED;
    }
    c.cfg = cfg;
    c.pkt = pkt;
    c.p = pkt->data;
    c.len = pkt->len;
    c.linear = pkt->linear < pkt->len ? pkt->linear : pkt->len;
    c.l3 = L2MT_ETH_HLEN;

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
