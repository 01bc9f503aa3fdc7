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

#include <config.h>
#include "nat64-test.h"
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const uint8_t MAC_A[6] = { 0x02, 0x00, 0x00, 0x00, 0x00, 0x0a };
const uint8_t MAC_B[6] = { 0x02, 0x00, 0x00, 0x00, 0x00, 0x0b };
const uint8_t MAC_BCAST[6] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff };
const uint8_t PFX_LL[12] = { 0xfe, 0x80 };

static int n_cases, n_failed;

void
tf_init(struct tframe *f)
{
    memset(f, 0, sizeof *f);
}

static void
tf_room(const struct tframe *f, size_t n)
{
    if (f->n + n > TF_MAX) {
        fprintf(stderr, "test frame too long\n");
        abort();
    }
}

void
tf_u8(struct tframe *f, uint8_t v)
{
    tf_room(f, 1);
    f->b[f->n++] = v;
}

void
tf_u16(struct tframe *f, uint16_t v)
{
    tf_u8(f, v >> 8);
    tf_u8(f, v & 0xff);
}

void
tf_u32(struct tframe *f, uint32_t v)
{
    tf_u16(f, v >> 16);
    tf_u16(f, v & 0xffff);
}

void
tf_mem(struct tframe *f, const void *p, size_t n)
{
    tf_room(f, n);
    memcpy(f->b + f->n, p, n);
    f->n += n;
}

void
tf_pattern(struct tframe *f, size_t n, uint8_t seed)
{
    size_t i;

    for (i = 0; i < n; i++) {
        tf_u8(f, (uint8_t) (seed + i * 7));
    }
}

void
tf_quote(struct tframe *q, const struct tframe *inner, size_t take,
         size_t len)
{
    tf_init(q);
    tf_mem(q, inner->b, take);
    while (q->n < len) {
        tf_u8(q, 0);
    }
}

void
tf_eth(struct tframe *f, const uint8_t dst[6], const uint8_t src[6],
       int ntags, uint16_t ethertype)
{
    tf_mem(f, dst, 6);
    tf_mem(f, src, 6);
    if (ntags == 2) {
        tf_u16(f, 0x88a8);
        tf_u16(f, 0x0064);      /* S-VLAN 100. */
    }
    if (ntags >= 1) {
        tf_u16(f, 0x8100);
        tf_u16(f, 0x2007);      /* PCP 1, VLAN 7. */
    }
    tf_u16(f, ethertype);
    f->l3 = f->n;
}

void
tf_ip4(struct tframe *f, uint8_t tos, uint16_t id, uint16_t frag,
       uint8_t ttl, uint8_t proto, uint32_t src, uint32_t dst,
       const uint8_t *opts, size_t optlen)
{
    f->l3 = f->n;
    f->ipv = 4;
    tf_u8(f, 0x40 | (uint8_t) ((20 + optlen) / 4));
    tf_u8(f, tos);
    tf_u16(f, 0);               /* Total length: tf_end. */
    tf_u16(f, id);
    tf_u16(f, frag);
    tf_u8(f, ttl);
    tf_u8(f, proto);
    tf_u16(f, 0);               /* Checksum: tf_end. */
    tf_u32(f, src);
    tf_u32(f, dst);
    if (optlen) {
        tf_mem(f, opts, optlen);
    }
}

void
tf_ip6(struct tframe *f, uint8_t tc, uint8_t nh, uint8_t hlim,
       const uint8_t src[16], const uint8_t dst[16])
{
    f->l3 = f->n;
    f->ipv = 6;
    tf_u32(f, 0x60000000u | (uint32_t) tc << 20);
    tf_u16(f, 0);               /* Payload length: tf_end. */
    tf_u8(f, nh);
    tf_u8(f, hlim);
    tf_mem(f, src, 16);
    tf_mem(f, dst, 16);
}

void
tf_frag6(struct tframe *f, uint8_t nh, uint16_t offset, bool more,
         uint32_t id)
{
    tf_u8(f, nh);
    tf_u8(f, 0);
    tf_u16(f, (uint16_t) (offset << 3) | (more ? 1 : 0));
    tf_u32(f, id);
}

void
tf_ext6(struct tframe *f, uint8_t nh, uint8_t hdrlen, uint8_t b2, uint8_t b3)
{
    size_t i;

    tf_u8(f, nh);
    tf_u8(f, hdrlen);
    tf_u8(f, b2);
    tf_u8(f, b3);
    for (i = 4; i < (hdrlen + 1u) * 8; i++) {
        tf_u8(f, i == 4 ? 1 : 0);       /* PadN-ish filler. */
    }
}

void
tf_udp(struct tframe *f, uint16_t sport, uint16_t dport)
{
    f->l4 = f->n;
    f->l4proto = 17;
    tf_u16(f, sport);
    tf_u16(f, dport);
    tf_u16(f, 0);
    tf_u16(f, 0);
}

void
tf_tcp(struct tframe *f, uint16_t sport, uint16_t dport)
{
    f->l4 = f->n;
    f->l4proto = 6;
    tf_u16(f, sport);
    tf_u16(f, dport);
    tf_u32(f, 0x01020304);      /* Sequence. */
    tf_u32(f, 0x0a0b0c0d);      /* Acknowledgement. */
    tf_u16(f, 0x5018);          /* Data offset 5, ACK PSH. */
    tf_u16(f, 502);             /* Window. */
    tf_u16(f, 0);               /* Checksum. */
    tf_u16(f, 0);               /* Urgent. */
}

void
tf_icmp(struct tframe *f, uint8_t proto, uint8_t type, uint8_t code,
        uint32_t rest)
{
    f->l4 = f->n;
    f->l4proto = proto;
    tf_u8(f, type);
    tf_u8(f, code);
    tf_u16(f, 0);
    tf_u32(f, rest);
}

void
tf_arp(struct tframe *f, uint16_t op, const uint8_t sha[6], uint32_t spa,
       const uint8_t tha[6], uint32_t tpa)
{
    f->l3 = f->n;
    tf_u16(f, 1);
    tf_u16(f, 0x0800);
    tf_u8(f, 6);
    tf_u8(f, 4);
    tf_u16(f, op);
    tf_mem(f, sha, 6);
    tf_u32(f, spa);
    tf_mem(f, tha, 6);
    tf_u32(f, tpa);
}

static void
put16(uint8_t *p, uint16_t v)
{
    p[0] = v >> 8;
    p[1] = v & 0xff;
}

uint16_t
slow_csum(const uint8_t *p, size_t n, uint32_t initial)
{
    uint32_t sum = initial;
    size_t i;

    for (i = 0; i < n; i++) {
        sum += i % 2 ? p[i] : p[i] << 8;
        while (sum > 0xffff) {
            sum = (sum & 0xffff) + (sum >> 16);
        }
    }
    return (uint16_t) ~sum;
}

/* The pseudo-header sum (not complemented) for 'f''s L4 with protocol
 * 'proto', built as bytes the way the RFCs draw it. */
static uint32_t
pseudo_sum(const struct tframe *f, uint8_t proto)
{
    uint8_t ph[40];
    size_t len = f->n - f->l4, n;

    memset(ph, 0, sizeof ph);
    if (f->ipv == 4) {
        memcpy(ph, f->b + f->l3 + 12, 8);
        ph[9] = proto;
        put16(ph + 10, len);
        n = 12;
    } else {
        memcpy(ph, f->b + f->l3 + 8, 32);
        ph[34] = len >> 8;
        ph[35] = len & 0xff;
        ph[39] = proto;
        n = 40;
    }
    return (uint16_t) ~slow_csum(ph, n, 0);
}

static size_t
csum_ofs(uint8_t proto)
{
    return proto == 6 ? 16 : proto == 17 ? 6 : 2;
}

void
tf_end(struct tframe *f)
{
    uint8_t *h = f->b + f->l3;

    if (f->ipv == 4 && !f->keep_len) {
        put16(h + 2, f->n - f->l3);
    } else if (f->ipv == 6 && !f->keep_len) {
        put16(h + 4, f->n - f->l3 - 40);
    }
    if (f->l4proto && !f->keep_csum) {
        uint8_t *l4 = f->b + f->l4;
        size_t ofs = csum_ofs(f->l4proto);
        uint32_t init = f->l4proto == 1 ? 0 : pseudo_sum(f, f->l4proto);
        uint16_t c;

        if (f->l4proto == 17 && !f->keep_len) {
            put16(l4 + 4, f->n - f->l4);
        }
        put16(l4 + ofs, 0);
        c = slow_csum(l4, f->n - f->l4, init);
        if (f->l4proto == 17 && !c) {
            c = 0xffff;
        }
        put16(l4 + ofs, c);
    }
    if (f->ipv == 4) {
        put16(h + 10, 0);
        put16(h + 10, slow_csum(h, (h[0] & 0xf) * 4, 0));
    }
}

uint16_t
tf_verify_l4(const struct tframe *f)
{
    uint32_t init = f->l4proto == 1 ? 0 : pseudo_sum(f, f->l4proto);

    return (uint16_t) ~slow_csum(f->b + f->l4, f->n - f->l4, init);
}

uint32_t
ip4(uint8_t a, uint8_t b, uint8_t c, uint8_t d)
{
    return (uint32_t) a << 24 | (uint32_t) b << 16 | (uint32_t) c << 8 | d;
}

void
a6(uint8_t out[16], const uint8_t prefix[12], uint32_t v4)
{
    memcpy(out, prefix, 12);
    out[12] = v4 >> 24;
    out[13] = v4 >> 16;
    out[14] = v4 >> 8;
    out[15] = v4;
}

uint16_t
tf_pseudo(const struct tframe *f)
{
    return (uint16_t) ~slow_csum(NULL, 0, pseudo_sum(f, f->l4proto));
}

struct pspec
pspec(uint8_t proto, size_t paylen)
{
    struct pspec s;

    memset(&s, 0, sizeof s);
    s.proto = proto;
    s.paylen = paylen;
    s.ttl = 64;
    s.id = 0x1234;
    return s;
}

static void
mk_l4(struct tframe *f, const struct pspec *s, int ipv)
{
    if (s->frag_off) {
        f->l4 = 0;
    } else if (s->proto == 17) {
        tf_udp(f, 4000, 53);
    } else if (s->proto == 6) {
        tf_tcp(f, 40000, 80);
    } else if (s->proto == 1) {
        uint8_t type = ipv == 4 ? (s->reply ? 0 : 8) : (s->reply ? 129 : 128);

        tf_icmp(f, ipv == 4 ? 1 : 58, type, 0, 0x12340001);
    } else {
        f->l4 = f->n;
    }
    tf_pattern(f, s->paylen, (uint8_t) s->paylen);
    tf_end(f);
}

void
mk4(struct tframe *f, const struct pspec *s)
{
    uint16_t frag = (s->df ? 0x4000 : 0) | (s->mf ? 0x2000 : 0) | s->frag_off;

    tf_init(f);
    if (!s->bare) {
        tf_eth(f, MAC_B, MAC_A, s->ntags, 0x0800);
    }
    tf_ip4(f, s->tos, s->id, frag, s->ttl, s->proto,
           s->src ? s->src : IP_A, s->dst ? s->dst : IP_B, NULL, 0);
    mk_l4(f, s, 4);
}

void
mk6(struct tframe *f, const struct pspec *s)
{
    const uint8_t *pfx = s->prefix ? s->prefix : PFX_LL;
    uint8_t proto = s->proto == 1 ? 58 : s->proto;
    uint8_t src[16], dst[16];

    a6(src, pfx, s->src ? s->src : IP_A);
    a6(dst, pfx, s->dst ? s->dst : IP_B);
    tf_init(f);
    if (!s->bare) {
        tf_eth(f, MAC_B, MAC_A, s->ntags, 0x86dd);
    }
    tf_ip6(f, s->tos, s->frag ? 44 : proto, s->ttl, src, dst);
    if (s->frag) {
        tf_frag6(f, proto, s->frag_off, s->mf, s->id_hi << 16 | s->id);
    }
    mk_l4(f, s, 6);
}

/* An ICMP error from B to A quoting 'quote' bytes of 'inner' (A to B),
 * followed by 'extlen' bytes of 'ext'.  With 'atomic', an IPv6 error is
 * carried in an atomic fragment (Fragment header offset 0, M 0, ID
 * ATOMIC_ID_HI | 'id') and an IPv4 one has DF 0 whatever its size (RFC
 * 7915 5.1.1, what translating such a fragment gives). */
void
mk_err_ex(struct tframe *f, int ipv, uint8_t type, uint8_t code,
          uint32_t rest, const struct tframe *inner, size_t quote,
          const uint8_t *ext, size_t extlen, uint16_t id, bool atomic)
{
    quote = quote < inner->n ? quote : inner->n;
    tf_init(f);
    tf_eth(f, MAC_A, MAC_B, 0, ipv == 4 ? 0x0800 : 0x86dd);
    if (ipv == 4) {
        size_t tot = 20 + 8 + quote + extlen;

        tf_ip4(f, 0xc0, id, tot > 1260 && !atomic ? 0x4000 : 0, 64, 1,
               IP_B, IP_A, NULL, 0);
    } else {
        uint8_t src[16], dst[16];

        a6(src, PFX_LL, IP_B);
        a6(dst, PFX_LL, IP_A);
        tf_ip6(f, 0xc0, atomic ? 44 : 58, 64, src, dst);
        if (atomic) {
            tf_frag6(f, 58, 0, false, ATOMIC_ID_HI | id);
        }
    }
    tf_icmp(f, ipv == 4 ? 1 : 58, type, code, rest);
    tf_mem(f, inner->b, quote);
    if (extlen) {
        tf_mem(f, ext, extlen);
    }
    tf_end(f);
}

void
mk_err(struct tframe *f, int ipv, uint8_t type, uint8_t code, uint32_t rest,
       const struct tframe *inner, size_t quote, const uint8_t *ext,
       size_t extlen, uint16_t id)
{
    mk_err_ex(f, ipv, type, code, rest, inner, quote, ext, extlen, id,
              false);
}

/* ---- Runner ---- */

#define GUARD 64
#define MAX_HR 256
static uint8_t mem[GUARD + MAX_HR + TF_MAX + GUARD];
static uint8_t snap[sizeof mem];

static void
hexdump(const char *what, const uint8_t *p, size_t n, const uint8_t *ref,
        size_t nref)
{
    size_t i;

    fprintf(stderr, "  %s (%zu bytes):", what, n);
    for (i = 0; i < n; i++) {
        bool diff = ref && (i >= nref || ref[i] != p[i]);

        if (i % 16 == 0) {
            fprintf(stderr, "\n    %04zx:", i);
        }
        fprintf(stderr, diff ? " %02x*" : " %02x ", p[i]);
    }
    fprintf(stderr, "\n");
}

bool
t_check(bool ok, const char *name, const char *fmt, ...)
{
    n_cases++;
    if (!ok) {
        va_list args;

        n_failed++;
        fprintf(stderr, "FAIL %s: ", name);
        va_start(args, fmt);
        vfprintf(stderr, fmt, args);
        va_end(args);
        fprintf(stderr, "\n");
    }
    return ok;
}

static const struct l2mt_cfg *
default_cfg(void)
{
    static struct l2mt_cfg cfg;
    static bool done;

    if (!done) {
        l2mt_cfg_init(&cfg, NULL, 0);
        done = true;
    }
    return &cfg;
}

size_t
mk6_frags(struct tframe out[], size_t max, const struct tframe *whole,
          size_t frag_size, uint16_t id)
{
    const uint8_t *h = whole->b + whole->l3;
    bool had = h[6] == 44;
    size_t hlen = had ? 48 : 40, data = whole->n - whole->l3 - hlen;
    /* RFC 8200 4.5: every fragment's data but the last's a multiple of 8;
     * IPv6 header and Fragment header in each. */
    size_t chunk = (frag_size - 40 - 8) / 8 * 8, off, k = 0;
    uint16_t base = had ? (h[42] << 8 | h[43]) & 0xfff8 : 0;
    bool base_m = had && (h[43] & 1);
    uint32_t fid = had ? (uint32_t) h[44] << 24 | h[45] << 16 | h[46] << 8
                         | h[47] : id;
    uint8_t nh = had ? h[40] : h[6];

    for (off = 0; off < data && k < max; off += chunk, k++) {
        size_t n = data - off < chunk ? data - off : chunk;
        struct tframe *f = &out[k];

        tf_init(f);
        tf_mem(f, whole->b, whole->l3);
        tf_ip6(f, (uint8_t) ((h[0] << 4 | h[1] >> 4) & 0xff), 44, h[7],
               h + 8, h + 24);
        tf_frag6(f, nh, (uint16_t) ((base + off) / 8),
                 off + n < data || base_m, fid);
        tf_mem(f, h + hlen + off, n);
        tf_end(f);
    }
    return k;
}

/* Emits the fragments of translated 'pkt' and compares them with 'want'.
 * Returns why they differ, or NULL. */
static const char *
t_frags(const struct l2mt_pkt *pkt, const struct tframe *want, size_t n)
{
    static uint8_t fb[TF_MAX];
    uint32_t i, len;

    if (l2mt_frag_count(pkt) != n) {
        return "wrong number of fragments";
    }
    for (i = 0; i < n; i++) {
        memset(fb, 0x5a, sizeof fb);
        len = l2mt_frag_emit(pkt, i, fb, sizeof fb);
        if (len != l2mt_frag_len(pkt, i)) {
            return "l2mt_frag_len() differs from what is emitted";
        } else if (len != want[i].n || memcmp(fb, want[i].b, len)) {
            hexdump("fragment", fb, len, want[i].b, want[i].n);
            return "fragment differs";
        } else if (fb[len] != 0x5a) {
            return "wrote past a fragment";
        } else if (l2mt_frag_emit(pkt, i, fb, len - 1)) {
            return "emitted into a buffer too small";
        }
    }
    return l2mt_frag_emit(pkt, n, fb, sizeof fb) ? "emitted too many" : NULL;
}

bool
t_run(const struct tcase *c)
{
    uint32_t hr = c->no_headroom ? 0 : c->headroom ? c->headroom
                                                   : L2MT_MAX_GROWTH;
    uint8_t *data = mem + GUARD + hr;
    const uint8_t *end = mem + sizeof mem;
    uint32_t linear = c->linear ? c->linear : c->in->n;
    struct l2mt_pkt pkt;
    enum l2mt_result r;
    const char *why = NULL;

    memset(mem, 0xa5, sizeof mem);
    memcpy(data, c->in->b, c->in->n);
    memcpy(snap, mem, sizeof mem);
    memset(&pkt, 0, sizeof pkt);
    pkt.data = data;
    pkt.len = c->in->n;
    pkt.linear = linear;
    pkt.headroom = hr;
    pkt.ip_id = c->ip_id;
    pkt.csum_partial = c->csum_partial;

    r = l2mt_translate(c->cfg ? c->cfg : default_cfg(), c->mode, &pkt);

    if (r != c->want) {
        why = "wrong result";
    } else if (memcmp(mem, snap, GUARD)) {
        why = "wrote before the headroom";
    } else if (memcmp(data + linear, snap + (data + linear - mem),
                      end - (data + linear))) {
        why = "wrote past the linear data";
    } else if (r != L2MT_XLATED && memcmp(mem, snap, sizeof mem)) {
        why = "changed the frame without translating it";
    } else if (r == L2MT_XLATED && c->out) {
        uint32_t want_linear;

        if (pkt.data < data - hr || pkt.data + pkt.len > data + c->in->n) {
            why = "output outside the buffer";
        } else if (pkt.len != c->out->n
                   || memcmp(pkt.data, c->out->b, c->out->n)) {
            why = "output differs";
        } else if (pkt.l3_ofs != c->out->l3 || pkt.l4_ofs != c->out->l4) {
            why = "wrong l3_ofs/l4_ofs";
        } else if (pkt.ethertype != (c->out->b[c->out->l3 - 2] << 8
                                     | c->out->b[c->out->l3 - 1])) {
            why = "wrong ethertype";
        }
        want_linear = linear + (uint32_t) (data - pkt.data);
        if (want_linear > pkt.len) {
            want_linear = pkt.len;
        }
        if (!why && pkt.linear != want_linear) {
            why = "wrong linear";
        }
        if (!why && !c->nfrags && pkt.frag_size) {
            why = "fragmented";
        } else if (!why && c->nfrags) {
            why = (!pkt.frag_size ? "not fragmented"
                   : pkt.linear < pkt.len ? NULL
                   : t_frags(&pkt, c->frags, c->nfrags));
        }
    }
    if (!t_check(!why, c->name, "%s (got %s, want %s)", why ? why : "",
                 l2mt_result_name(r), l2mt_result_name(c->want))) {
        hexdump("input", c->in->b, c->in->n, NULL, 0);
        if (r == L2MT_XLATED) {
            hexdump("got", pkt.data, pkt.len, c->out ? c->out->b : NULL,
                    c->out ? c->out->n : 0);
        }
        if (c->out) {
            hexdump("want", c->out->b, c->out->n, NULL, 0);
        }
        return false;
    }
    return true;
}

enum l2mt_result
t_xlate(enum l2mt_mode mode, const struct l2mt_cfg *cfg,
        const struct tframe *in, struct tframe *out, uint16_t ip_id)
{
    static uint8_t buf[L2MT_MAX_GROWTH + TF_MAX];
    struct l2mt_pkt pkt;
    enum l2mt_result r;

    memcpy(buf + L2MT_MAX_GROWTH, in->b, in->n);
    memset(&pkt, 0, sizeof pkt);
    pkt.data = buf + L2MT_MAX_GROWTH;
    pkt.len = pkt.linear = in->n;
    pkt.headroom = L2MT_MAX_GROWTH;
    pkt.ip_id = ip_id;
    r = l2mt_translate(cfg ? cfg : default_cfg(), mode, &pkt);
    tf_init(out);
    if (r == L2MT_XLATED) {
        memcpy(out->b, pkt.data, pkt.len);
        out->n = pkt.len;
        out->l3 = pkt.l3_ofs;
        out->l4 = pkt.l4_ofs;
    }
    return r;
}

int
t_summary(const char *file)
{
    printf("%s: %d cases, %d passed, %d failed\n", file, n_cases,
           n_cases - n_failed, n_failed);
    return n_failed ? 1 : 0;
}
