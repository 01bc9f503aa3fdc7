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

#ifndef L2MT_NAT64_COMPAT_H
#define L2MT_NAT64_COMPAT_H 1

/* The only environment the translator core needs: fixed-width integers,
 * size_t, byte order and memory moves.  Everything comes from freestanding
 * headers or compiler builtins, so the same sources build in user space,
 * inside Open vSwitch and inside the Linux kernel. */

#ifdef __KERNEL__
#include <linux/types.h>
#else
#include <stddef.h>
#include <stdint.h>
#endif

#define l2mt_memcpy(DST, SRC, N)  __builtin_memcpy(DST, SRC, N)
#define l2mt_memmove(DST, SRC, N) __builtin_memmove(DST, SRC, N)
#define l2mt_memset(DST, C, N)    __builtin_memset(DST, C, N)

#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
#define l2mt_htons(X) ((uint16_t) (X))
#define l2mt_htonl(X) ((uint32_t) (X))
#else
#define l2mt_htons(X) __builtin_bswap16(X)
#define l2mt_htonl(X) __builtin_bswap32(X)
#endif
#define l2mt_ntohs(X) l2mt_htons(X)
#define l2mt_ntohl(X) l2mt_htonl(X)

#endif /* nat64-compat.h */
