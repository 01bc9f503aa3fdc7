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
#include "flowd/flowd-pcap.h"

#include <string.h>

static uint32_t
rd32(const struct flowd_pcap *pc, const uint8_t *p)
{
    uint32_t v;

    memcpy(&v, p, 4);
    return pc->swapped ? __builtin_bswap32(v) : v;
}

bool
flowd_pcap_open(struct flowd_pcap *pc, const void *data, size_t len)
{
    memset(pc, 0, sizeof *pc);
    pc->p = data;
    pc->end = pc->p + len;
    if (len < 24) {
        return false;
    }
    uint32_t magic;
    memcpy(&magic, pc->p, 4);
    if (magic == 0xd4c3b2a1) {
        pc->swapped = true;
    } else if (magic != 0xa1b2c3d4) {
        return false;           /* Nanosecond and pcapng not supported. */
    }
    if (rd32(pc, pc->p + 20) != 1) {
        return false;           /* LINKTYPE_ETHERNET only. */
    }
    pc->p += 24;
    return true;
}

bool
flowd_pcap_next(struct flowd_pcap *pc, const uint8_t **payload, size_t *len,
                uint64_t *ts_us)
{
    while (pc->end - pc->p >= 16) {
        uint32_t caplen = rd32(pc, pc->p + 8);
        const uint8_t *f = pc->p + 16;

        if (caplen > (size_t) (pc->end - f)) {
            return false;
        }
        *ts_us = (uint64_t) rd32(pc, pc->p) * 1000000 + rd32(pc, pc->p + 4);
        pc->p = f + caplen;

        /* Ethernet, optional 802.1Q, IPv4, UDP. */
        size_t ofs = 12;
        if (caplen >= 18 && f[12] == 0x81 && f[13] == 0x00) {
            ofs += 4;
        }
        if (caplen < ofs + 2 + 20 || f[ofs] != 0x08 || f[ofs + 1] != 0x00) {
            pc->n_skipped++;
            continue;
        }
        const uint8_t *ip = f + ofs + 2;
        size_t ihl = (ip[0] & 0xf) * 4;
        size_t ip_room = caplen - (ofs + 2);
        if ((ip[0] >> 4) != 4 || ihl < 20 || ip[9] != 17
            || ip_room < ihl + 8) {
            pc->n_skipped++;
            continue;
        }
        const uint8_t *udp = ip + ihl;
        size_t ulen = (udp[4] << 8) | udp[5];
        if (ulen < 8 || ulen > ip_room - ihl) {
            pc->n_skipped++;
            continue;
        }
        *payload = udp + 8;
        *len = ulen - 8;
        return true;
    }
    return false;
}

void
flowd_pcap_write_header(FILE *f)
{
    uint32_t h[6] = { 0xa1b2c3d4, 0x00040002, 0, 0, 65535, 1 };

    fwrite(h, 4, 6, f);
}

void
flowd_pcap_write(FILE *f, const void *payload, size_t len, uint64_t ts_us)
{
    static const uint8_t eth[14] = {
        0x02, 0, 0, 0, 0, 2, 0x02, 0, 0, 0, 0, 1, 0x08, 0x00,
    };
    uint8_t ip[20] = { 0x45, 0, 0, 0, 0, 0, 0x40, 0, 64, 17, 0, 0,
                       10, 0, 0, 1, 10, 0, 0, 2 };
    uint8_t udp[8] = { 0x18, 0xc7, 0x18, 0xc7, 0, 0, 0, 0 };
    uint32_t total = 14 + 20 + 8 + len;
    uint32_t rec[4] = { ts_us / 1000000, ts_us % 1000000, total, total };

    ip[2] = (20 + 8 + len) >> 8;
    ip[3] = 20 + 8 + len;
    udp[4] = (8 + len) >> 8;
    udp[5] = 8 + len;
    fwrite(rec, 4, 4, f);
    fwrite(eth, 1, sizeof eth, f);
    fwrite(ip, 1, sizeof ip, f);
    fwrite(udp, 1, sizeof udp, f);
    fwrite(payload, 1, len, f);
}
