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

#ifndef L2MT_NAT64_CSUM_H
#define L2MT_NAT64_CSUM_H 1

/* Unaligned loads and stores, and the Internet checksum (RFC 1071) with
 * incremental update (RFC 1624).
 *
 * Checksum sums are kept as 32-bit one's complement sums of packet bytes
 * loaded in host order ("memory order"): the one's complement sum does not
 * depend on byte order as long as loads and stores agree, so no byte swaps
 * are needed.  A 16-bit network-order constant C enters a sum as
 * l2mt_htons(C). */

#include "nat64-compat.h"

static inline uint16_t
l2mt_get16(const void *p)
{
    uint16_t v;
    l2mt_memcpy(&v, p, sizeof v);
    return v;
}

static inline uint32_t
l2mt_get32(const void *p)
{
    uint32_t v;
    l2mt_memcpy(&v, p, sizeof v);
    return v;
}

static inline uint64_t
l2mt_get64(const void *p)
{
    uint64_t v;
    l2mt_memcpy(&v, p, sizeof v);
    return v;
}

static inline void
l2mt_put16(void *p, uint16_t v)
{
    l2mt_memcpy(p, &v, sizeof v);
}

static inline void
l2mt_put32(void *p, uint32_t v)
{
    l2mt_memcpy(p, &v, sizeof v);
}

static inline void
l2mt_put64(void *p, uint64_t v)
{
    l2mt_memcpy(p, &v, sizeof v);
}

/* Network byte order loads and stores. */
static inline uint16_t
l2mt_get_be16(const void *p)
{
    return l2mt_ntohs(l2mt_get16(p));
}

static inline uint32_t
l2mt_get_be32(const void *p)
{
    return l2mt_ntohl(l2mt_get32(p));
}

static inline void
l2mt_put_be16(void *p, uint16_t v)
{
    l2mt_put16(p, l2mt_htons(v));
}

static inline void
l2mt_put_be32(void *p, uint32_t v)
{
    l2mt_put32(p, l2mt_htonl(v));
}

/* One's complement addition of 32-bit partial sums (end-around carry). */
static inline uint32_t
l2mt_csum_add(uint32_t a, uint32_t b)
{
    a += b;
    return a + (a < b);
}

/* One's complement subtraction: adds the one's complement negative. */
static inline uint32_t
l2mt_csum_sub(uint32_t a, uint32_t b)
{
    return l2mt_csum_add(a, ~b);
}

/* Folds a 32-bit partial sum into 16 bits (not complemented).  Adding the
 * sum to itself rotated by 16 bits leaves hi + lo + the end-around carry
 * in the high half. */
static inline uint16_t
l2mt_csum_fold(uint32_t s)
{
    return (uint16_t) ((s + ((s >> 16) | (s << 16))) >> 16);
}

/* RFC 1624 equation 3: HC' = ~(~HC + ~m + m'), with 'delta' = m' - m as a
 * partial sum.  A checksum that was wrong stays wrong by the same amount. */
static inline uint16_t
l2mt_csum_update(uint16_t check, uint32_t delta)
{
    return (uint16_t) ~l2mt_csum_fold(l2mt_csum_add((uint16_t) ~check,
                                                    delta));
}

/* Adds the 'n' bytes at 'p' to the partial sum 'sum'.  An odd last byte
 * counts as if padded with a zero byte. */
uint32_t l2mt_csum_bytes(const uint8_t *p, uint32_t n, uint32_t sum);

#endif /* nat64-csum.h */
