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

#ifndef NAT64_TEST_H
#define NAT64_TEST_H 1

/* Test support for the translator core: frames built field by field, with
 * lengths and checksums filled in by an independent, deliberately plain
 * implementation of RFC 791/8200/768/793/792/4443 rules, and a runner that
 * checks the translator's output byte for byte inside guarded buffers. */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "nat64.h"

#define TF_MAX 9216

/* A frame (or a bare IP packet when 'l3' is 0 and no Ethernet header was
 * added) under construction. */
struct tframe {
    uint8_t b[TF_MAX];
    size_t n;
    size_t l3;          /* Offset of the IP/ARP header. */
    size_t l4;          /* Offset of the L4 header, 0 if none. */
    int ipv;            /* 4, 6, or 0 (ARP or nothing). */
    uint8_t l4proto;    /* 6, 17, 1, 58 or 0: which checksum tf_end fills. */
    bool keep_len;      /* tf_end leaves the IP length fields alone. */
    bool keep_csum;     /* tf_end leaves the L4 checksum alone. */
};

extern const uint8_t MAC_A[6], MAC_B[6], MAC_BCAST[6];

void tf_init(struct tframe *);
void tf_u8(struct tframe *, uint8_t);
void tf_u16(struct tframe *, uint16_t);
void tf_u32(struct tframe *, uint32_t);
void tf_mem(struct tframe *, const void *, size_t);
void tf_pattern(struct tframe *, size_t n, uint8_t seed);
/* An ICMP error's quote: the first 'take' bytes of 'inner', zero-padded
 * to 'len' (RFC 4884's padded original datagram field). */
void tf_quote(struct tframe *, const struct tframe *inner, size_t take,
              size_t len);

/* Ethernet header with 'ntags' VLAN tags (TPID 0x8100, then 0x88a8 outer
 * first when two). */
void tf_eth(struct tframe *, const uint8_t dst[6], const uint8_t src[6],
            int ntags, uint16_t ethertype);
/* IPv4 header; 'opts' (a multiple of 4 bytes) may be NULL. */
void tf_ip4(struct tframe *, uint8_t tos, uint16_t id, uint16_t frag,
            uint8_t ttl, uint8_t proto, uint32_t src, uint32_t dst,
            const uint8_t *opts, size_t optlen);
void tf_ip6(struct tframe *, uint8_t tc, uint8_t nh, uint8_t hlim,
            const uint8_t src[16], const uint8_t dst[16]);
void tf_frag6(struct tframe *, uint8_t nh, uint16_t offset, bool more,
              uint32_t id);
/* A generic extension header (hop-by-hop, routing, destination) of
 * (hdrlen + 1) * 8 bytes. */
void tf_ext6(struct tframe *, uint8_t nh, uint8_t hdrlen, uint8_t b2,
             uint8_t b3);
void tf_udp(struct tframe *, uint16_t sport, uint16_t dport);
void tf_tcp(struct tframe *, uint16_t sport, uint16_t dport);
void tf_icmp(struct tframe *, uint8_t proto, uint8_t type, uint8_t code,
             uint32_t rest);
void tf_arp(struct tframe *, uint16_t op, const uint8_t sha[6], uint32_t spa,
            const uint8_t tha[6], uint32_t tpa);
/* Fills lengths and checksums. */
void tf_end(struct tframe *);

/* Addresses: 'a' for IPv4 a.b.c.d; PREFIX::v4 into 'out'. */
uint32_t ip4(uint8_t a, uint8_t b, uint8_t c, uint8_t d);
void a6(uint8_t out[16], const uint8_t prefix[12], uint32_t v4);
extern const uint8_t PFX_LL[12];

/* The plain checksum: the complement of the 16-bit big-endian word sum. */
uint16_t slow_csum(const uint8_t *, size_t, uint32_t initial);
/* The sum that verifying the checksum of frame 'f''s L4 yields: 0xffff
 * when it is correct. */
uint16_t tf_verify_l4(const struct tframe *);

/* One logical packet, to be built in its IPv4 and its IPv6 form. */
struct pspec {
    int ntags;              /* VLAN tags. */
    uint8_t proto;          /* 17, 6, 1 (echo; 58 in IPv6) or another. */
    bool reply;             /* Echo reply rather than request. */
    size_t paylen;          /* Bytes after the L4 header. */
    uint8_t tos, ttl;
    uint16_t id;            /* IPv4 ID / low bits of the fragment ID. */
    uint32_t id_hi;         /* High bits of the IPv6 fragment ID. */
    bool df;                /* IPv4 DF. */
    bool frag;              /* A fragment (IPv6: has a Fragment header). */
    uint16_t frag_off;      /* In 8-byte units; no L4 header if != 0. */
    bool mf;
    uint32_t src, dst;      /* IPv4 addresses. */
    const uint8_t *prefix;  /* NULL: fe80::/96. */
    bool bare;              /* No Ethernet header: a packet to quote. */
};

#define IP_A 0xc0a8000a     /* 192.168.0.10 */
#define IP_B 0xc0a80014     /* 192.168.0.20 */

/* A packet of 'proto' with 'paylen' bytes of payload, TTL 64, ID 0x1234,
 * from IP_A to IP_B, unfragmented, untagged. */
struct pspec pspec(uint8_t proto, size_t paylen);
void mk4(struct tframe *, const struct pspec *);
void mk6(struct tframe *, const struct pspec *);
/* Folded pseudo-header sum of 'f''s L4 (csum_partial's field value). */
uint16_t tf_pseudo(const struct tframe *);

/* Fragment header ID high bits of the atomic fragments mk_err_ex()
 * builds: lost in IPv4. */
#define ATOMIC_ID_HI 0xabcd0000u

/* An ICMP error (IPv4 if 'ipv' is 4, else ICMPv6) from IP_B to IP_A,
 * type 'type', code 'code', bytes 4-7 'rest', quoting the first 'quote'
 * bytes of 'inner' followed by 'extlen' bytes of 'ext'; IPv4 ID 'id'.
 * With 'atomic', an IPv6 error is carried in an atomic fragment (offset
 * 0, M 0, ID ATOMIC_ID_HI | 'id') and an IPv4 one has DF 0 whatever its
 * size (RFC 7915 5.1.1, what translating such a fragment gives). */
void mk_err_ex(struct tframe *, int ipv, uint8_t type, uint8_t code,
               uint32_t rest, const struct tframe *inner, size_t quote,
               const uint8_t *ext, size_t extlen, uint16_t id, bool atomic);
/* mk_err_ex() without 'atomic'. */
void mk_err(struct tframe *, int ipv, uint8_t type, uint8_t code,
            uint32_t rest, const struct tframe *inner, size_t quote,
            const uint8_t *ext, size_t extlen, uint16_t id);

/* The IPv6 fragments of at most 'frag_size' bytes that RFC 7915 4 and 4.1
 * make of the IPv6 packet 'whole' (a frame, built by mk6()): Fragment
 * header with ID 'id' (the IPv4 ID), a packet with a Fragment header
 * already keeps its ID, offset and M.  Returns the number written to 'out'
 * (at most 'max'). */
size_t mk6_frags(struct tframe out[], size_t max, const struct tframe *whole,
                 size_t frag_size, uint16_t id);

struct tcase {
    const char *name;
    enum l2mt_mode mode;
    const struct tframe *in;
    const struct tframe *out;       /* Expected frame when XLATED. */
    enum l2mt_result want;
    uint32_t headroom;              /* 0: L2MT_MAX_GROWTH. */
    uint32_t linear;                /* 0: the whole frame. */
    bool csum_partial;
    uint16_t ip_id;
    const struct l2mt_cfg *cfg;     /* NULL: fe80::/96. */
    bool no_headroom;               /* Exactly zero headroom. */
    const struct tframe *frags;     /* Expected IPv6 fragments of a DF=0
                                     * packet (RFC 7915 4), or NULL: then
                                     * the frame must go whole. */
    size_t nfrags;
};

/* Runs one case; counts it; prints a diagnosis on failure. */
bool t_run(const struct tcase *);
/* Translates 'in' into 'out' ('out' gets the result frame) with ample
 * headroom; returns the result. */
enum l2mt_result t_xlate(enum l2mt_mode, const struct l2mt_cfg *,
                         const struct tframe *in, struct tframe *out,
                         uint16_t ip_id);
/* Records a check made outside t_run. */
bool t_check(bool ok, const char *name, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* Prints the count for this file, returns the exit status. */
int t_summary(const char *file);

#endif /* nat64-test.h */
