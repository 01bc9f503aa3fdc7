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

#ifndef L2MT_NAT64_H
#define L2MT_NAT64_H 1

/* The l2mt translator core: stateless IPv4 <-> IPv6 translation of whole
 * Ethernet frames (RFC 7915) with ARP <-> NDP translation, mapping IPv4
 * a.b.c.d to PREFIX::a.b.c.d for a /96 prefix (default fe80::/96).
 *
 * The core is freestanding C: no libc calls, no allocation, no global or
 * static mutable state.  The same files are compiled into user-space tools,
 * the Open vSwitch user-space datapath and the Linux openvswitch module.
 * Callers keep their own counters, indexed by 'enum l2mt_result'.
 *
 * A frame lives in a caller's buffer with 'headroom' writable bytes before
 * it.  Translation rewrites the headers in place and moves the frame start:
 * 4->6 grows the frame at the front (by 20 bytes for a plain packet, more
 * for a Fragment header, an ICMP error's inner header or ARP -> NDP), 6->4
 * shrinks it.  The payload after the rewritten headers is never moved.  An
 * ICMPv6 error may also be shortened at the tail (1280-byte limit). */

#include "nat64-compat.h"

/* The most a frame can grow at the front: outer and inner IPv6 headers
 * plus Fragment headers, or ARP (28 bytes) -> NS/NA with a link-layer
 * address option (72 bytes). */
#define L2MT_MAX_GROWTH 64

enum l2mt_mode {
    L2MT_MODE_NORMAL,           /* Pass every frame untouched. */
    L2MT_MODE_4TOLL6,           /* IPv4 -> IPv6, ARP -> NDP. */
    L2MT_MODE_LL6TO4,           /* IPv6 -> IPv4, NDP -> ARP. */
};

/* Translation results.  L2MT_XLATED and L2MT_PASSED mean the caller sends
 * the frame on; L2MT_NEED_LINEAR means "make the whole frame contiguous and
 * call again" (kernel callers with paged data); everything from
 * L2MT_DROP_FIRST on is a drop, each with its own counter.
 *
 * Keep this list, l2mt_result_name() and the documentation in sync: the
 * names are user-visible (counters in ovs-appctl, l2mt-dpctl, l2mt-xlate). */
#define L2MT_RESULTS                                                    \
    L2MT_R(XLATED,            "translated")                            \
    L2MT_R(PASSED,            "passed")                                \
    L2MT_R(NEED_LINEAR,       "need_linear")                           \
    L2MT_R(NO_HEADROOM,       "no_headroom")                           \
    L2MT_R(TRUNCATED,         "truncated")                             \
    L2MT_R(BAD_ETHERTYPE,     "bad_ethertype")                         \
    L2MT_R(BAD_IPV4_HEADER,   "bad_ipv4_header")                       \
    L2MT_R(BAD_IPV4_CSUM,     "bad_ipv4_checksum")                     \
    L2MT_R(BAD_IPV6_HEADER,   "bad_ipv6_header")                       \
    L2MT_R(IPV4_SOURCE_ROUTE, "ipv4_source_route")                     \
    L2MT_R(IPV6_ROUTING_HDR,  "ipv6_routing_header")                   \
    L2MT_R(IPV6_EXT_HDR,      "ipv6_extension_header")                 \
    L2MT_R(NOT_IN_PREFIX,     "address_not_in_prefix")                 \
    L2MT_R(ICMP_UNSUPPORTED,  "icmp_unsupported")                      \
    L2MT_R(ICMP_BAD_CSUM,     "icmp_bad_checksum")                     \
    L2MT_R(ICMP_BAD_INNER,    "icmp_bad_inner_packet")                 \
    L2MT_R(UDP_ZERO_CSUM,     "udp_zero_checksum")                     \
    L2MT_R(ARP_UNSUPPORTED,   "arp_unsupported")                       \
    L2MT_R(ND_BAD_HOP_LIMIT,  "nd_bad_hop_limit")                      \
    L2MT_R(ND_BAD_CODE,       "nd_bad_code")                           \
    L2MT_R(ND_BAD_CSUM,       "nd_bad_checksum")                       \
    L2MT_R(ND_BAD_OPTION,     "nd_bad_option")                         \
    L2MT_R(ND_UNSUPPORTED,    "nd_unsupported")

enum l2mt_result {
#define L2MT_R(ENUM, NAME) L2MT_##ENUM,
    L2MT_RESULTS
#undef L2MT_R
    L2MT_N_RESULTS
};
#define L2MT_DROP_FIRST L2MT_NO_HEADROOM

static inline int
l2mt_result_is_drop(enum l2mt_result r)
{
    return r >= L2MT_DROP_FIRST;
}

/* Translator configuration.  Fill it with l2mt_cfg_init(); it is read-only
 * afterwards and may be shared between threads. */
struct l2mt_cfg {
    uint8_t prefix[12];         /* The /96 prefix, network byte order. */
    uint32_t prefix_csum;       /* One's complement sum of 'prefix'. */
    uint32_t flags;             /* L2MT_F_*. */
    uint32_t mtu6;              /* IPv6 side's MTU, 0 if not configured. */
    uint32_t mtu4;              /* IPv4 side's MTU, 0 if not configured. */
    uint32_t frag6;             /* IPv6 packets made of DF=0 IPv4 packets are
                                 * at most this long: 'mtu6', else 1280. */
};

/* IPv4 UDP datagrams with checksum 0 are dropped instead of being given a
 * computed checksum (RFC 7915 section 4.5 lets the operator choose). */
#define L2MT_F_UDP0_DROP (1u << 0)

/* One frame to translate.  The caller fills all input fields; on
 * L2MT_XLATED 'data', 'len', 'linear' and the offsets describe the new
 * frame.  On any other result the frame is unchanged. */
struct l2mt_pkt {
    uint8_t *data;              /* In/out: first byte of the Ethernet frame. */
    uint32_t len;               /* In/out: frame length in bytes. */
    uint32_t linear;            /* In/out: bytes contiguous at 'data'
                                 * (== 'len' for user-space callers). */
    uint32_t headroom;          /* In: writable bytes before 'data'. */
    uint16_t ip_id;             /* In: IPv4 ID to use for 6->4 packets without
                                 * a Fragment header (caller's counter). */
    uint16_t l3_ofs;            /* Out: offset of the IP/ARP header. */
    uint16_t l4_ofs;            /* Out: offset of the L4 header, or 0 when the
                                 * packet has none (ARP, later fragments). */
    uint16_t ethertype;         /* Out: new ethertype, host byte order. */
    uint16_t frag_size;         /* Out: 0, or the translated packet must be
                                 * sent as IPv6 fragments of at most this
                                 * many bytes (l2mt_frag_emit()).  Next to
                                 * 'ethertype': both are written with one
                                 * store. */
    uint8_t csum_partial;       /* In: TCP/UDP checksum field holds only the
                                 * pseudo-header sum (checksum offload). */
    uint16_t frag_id;           /* Out: with 'frag_size', the IPv4 ID (memory
                                 * order) for the Fragment headers. */
};

/* Initializes 'cfg' for the /96 'prefix' (12 bytes, network byte order;
 * NULL means fe80::/96) with L2MT_F_* 'flags'. */
void l2mt_cfg_init(struct l2mt_cfg *cfg, const uint8_t prefix[12],
                   uint32_t flags);

/* Configures the MTUs of the IPv6 and the IPv4 side ('mtu6', 'mtu4'; 0:
 * unknown, the default of l2mt_cfg_init()).  ICMP Packet Too Big and
 * Fragmentation Needed messages then advertise the minimum of the
 * translated MTU and these (RFC 7915 4.2 and 5.2), and IPv4 packets with
 * DF=0 are fragmented to IPv6 packets of at most 'mtu6' bytes (1280 when
 * 'mtu6' is 0: RFC 7915 4's "lowest IPv6 MTU").  Callers validate the
 * values: L2MT_MTU6_MIN..L2MT_MTU_MAX and L2MT_MTU4_MIN..L2MT_MTU_MAX. */
void l2mt_cfg_set_mtu(struct l2mt_cfg *cfg, uint32_t mtu6, uint32_t mtu4);

#define L2MT_MTU6_MIN 1280      /* RFC 8200 5. */
#define L2MT_MTU4_MIN 68        /* RFC 791. */
#define L2MT_MTU_MAX 65535

/* Returns NULL if 'mtu6' and 'mtu4' are valid for l2mt_cfg_set_mtu() (each
 * 0 or within its range), otherwise a message such as "mtu6 must be 0 or
 * 1280 to 65535" for the caller's error report. */
const char *l2mt_mtu_check(uint32_t mtu6, uint32_t mtu4);

/* The rules for a translation prefix, one place for every component (the
 * config and the tools, the OpenFlow and the datapath action in Open
 * vSwitch, the kernel module).  A /96 prefix must follow RFC 6052 (bits 64
 * to 71 zero, section 2.2) and make addresses that can be the unicast
 * source and destination of translated packets.  The bits after the /96
 * are not part of 'prefix': parsers check them.
 *
 * Keep this list and the documentation in sync: the strings are
 * user-visible (in errors such as "nat64: ff02::/96: multicast prefix
 * (translated addresses must be unicast)"). */
#define L2MT_PREFIX_ERRORS                                              \
    L2MT_PE(OK,          "valid prefix")                                \
    L2MT_PE(BITS_64_71,  "bits 64 to 71 must be zero "                  \
                         "(RFC 6052 section 2.2)")                      \
    L2MT_PE(MULTICAST,   "multicast prefix "                            \
                         "(translated addresses must be unicast)")      \
    L2MT_PE(IPV4_MAPPED, "IPv4-mapped addresses "                       \
                         "are not a translation prefix")                \
    L2MT_PE(IPV4_COMPAT, "IPv4-compatible addresses "                   \
                         "are not a translation prefix")

enum l2mt_prefix_error {
#define L2MT_PE(ENUM, STRING) L2MT_PREFIX_##ENUM,
    L2MT_PREFIX_ERRORS
#undef L2MT_PE
    L2MT_N_PREFIX_ERRORS
};

/* Returns L2MT_PREFIX_OK (0) if the /96 'prefix' (12 bytes, network byte
 * order) may be given to l2mt_cfg_init(), otherwise the first rule it
 * breaks.  Callers check once, where a prefix enters (parse, decode,
 * install), and trust it afterwards. */
enum l2mt_prefix_error l2mt_prefix_check(const uint8_t prefix[12]);

/* Returns the explanation of 'e', e.g. "multicast prefix (translated
 * addresses must be unicast)", or "unknown" for an out-of-range value. */
const char *l2mt_prefix_error_string(enum l2mt_prefix_error e);

/* Translates the frame in 'pkt' according to 'mode'.  Never reads or writes
 * outside [data - headroom, data + linear). */
enum l2mt_result l2mt_translate(const struct l2mt_cfg *cfg,
                                enum l2mt_mode mode, struct l2mt_pkt *pkt);

/* Fragmentation of IPv4 packets with DF=0 (RFC 7915 4 and 4.1).
 *
 * When l2mt_translate() returns L2MT_XLATED in mode 4toll6 with
 * pkt->frag_size != 0, the translated IPv6 packet is longer than
 * cfg->frag6 and the IPv4 one allowed fragmenting: the caller sends the
 * l2mt_frag_count() fragments that l2mt_frag_emit() writes instead of the
 * frame.  Each is an Ethernet frame with the frame's L2 header (VLAN tags
 * included), its IPv6 header and a Fragment header (identification = IPv4
 * ID in the low 16 bits, high 16 bits 0; a packet that was a fragment
 * already keeps its offset, ID and M), at most 'frag_size' bytes of IPv6,
 * every fragment's data but the last a multiple of 8 bytes.  With
 * 'csum_partial' the first fragment gets the complete TCP/UDP checksum.
 * The whole frame must be linear (pkt->linear == pkt->len); the frame
 * itself is not changed, so fragments may be emitted in any order. */
uint32_t l2mt_frag_count(const struct l2mt_pkt *pkt);
/* Length of fragment 'i''s frame (0 when 'i' is out of range). */
uint32_t l2mt_frag_len(const struct l2mt_pkt *pkt, uint32_t i);
/* Writes fragment 'i' into 'buf' ('size' bytes) and returns its length,
 * or 0 if 'i' is out of range, 'size' is too small or the frame is not
 * linear. */
uint32_t l2mt_frag_emit(const struct l2mt_pkt *pkt, uint32_t i, uint8_t *buf,
                        uint32_t size);

/* Returns the user-visible name of 'r', e.g. "bad_ipv4_header", or "unknown"
 * for an out-of-range value. */
const char *l2mt_result_name(enum l2mt_result r);

/* Mode names as used on the command line and in the OpenFlow action:
 * "normal", "4toll6", "ll6to4".  l2mt_mode_from_name() returns -1 for an
 * unknown name. */
const char *l2mt_mode_name(enum l2mt_mode mode);
int l2mt_mode_from_name(const char *name);

#endif /* nat64.h */
