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

/* pcap-cmp: compares two captures frame by frame, timestamps included,
 * after clearing the IPv4 fields that translating to IPv6 and back may
 * legitimately change (RFC 7915):
 *
 *   - the Identification field, which IPv6 only carries in a Fragment
 *     header (section 5.1 takes a new one for unfragmented packets),
 *   - the DF flag, which section 5.1 sets from the packet size,
 *   - the header checksum, which follows from those,
 *   - the same three in the IPv4 header quoted by an ICMP error, and the
 *     ICMP checksum that covers them,
 *   - a UDP checksum that was zero in the first capture, since section 4.5
 *     computes one.
 *
 * Usage: pcap-cmp A B.  Exits 0 if equal, 1 if not, 2 on error. */

#include <config.h>

#include <pcap/pcap.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_FRAME 65536

/* Clears the changeable fields of the IPv4 header at 'ip', 'len' bytes
 * available, and returns its header length, or 0 if it is not a valid
 * IPv4 header. */
static size_t
clear_ipv4(uint8_t *ip, size_t len)
{
    size_t ihl;

    if (len < 20 || ip[0] >> 4 != 4) {
        return 0;
    }
    ihl = (ip[0] & 0xf) * 4;
    if (ihl < 20 || ihl > len) {
        return 0;
    }
    ip[4] = ip[5] = 0;          /* Identification. */
    ip[6] &= ~0x40;             /* DF. */
    ip[10] = ip[11] = 0;        /* Header checksum. */
    return ihl;
}

/* Clears what 4->6->4 may change in Ethernet frame 'f' of 'len' bytes.
 * 'udp0' says the first capture's frame had UDP checksum 0. */
static void
normalize(uint8_t *f, size_t len, bool udp0)
{
    uint8_t *ip = f + 14;
    size_t ihl, l4_len;
    uint8_t *l4;

    if (len < 14 || f[12] != 0x08 || f[13] != 0x00) {
        return;
    }
    ihl = clear_ipv4(ip, len - 14);
    if (!ihl || (ip[6] & 0x1f) || ip[7]) {
        return;                 /* Not IPv4, or a later fragment. */
    }
    l4 = ip + ihl;
    l4_len = len - 14 - ihl;

    if (ip[9] == 1 && l4_len >= 8
        && (l4[0] == 3 || l4[0] == 11 || l4[0] == 12)) {
        l4[2] = l4[3] = 0;
        clear_ipv4(l4 + 8, l4_len - 8);
    } else if (ip[9] == 17 && l4_len >= 8 && udp0) {
        l4[6] = l4[7] = 0;
    }
}

/* Returns true if Ethernet frame 'f' of 'len' bytes is IPv4 UDP, first
 * fragment or unfragmented, with checksum 0. */
static bool
is_udp0(const uint8_t *f, size_t len)
{
    size_t ihl;

    if (len < 34 || f[12] != 0x08 || f[13] != 0x00 || f[14] >> 4 != 4
        || f[23] != 17 || (f[20] & 0x1f) || f[21]) {
        return false;
    }
    ihl = (f[14] & 0xf) * 4;
    return len >= 14 + ihl + 8 && !f[14 + ihl + 6] && !f[14 + ihl + 7];
}

static pcap_t *
open_capture(const char *name)
{
    char errbuf[PCAP_ERRBUF_SIZE];
    pcap_t *p;

    p = pcap_open_offline_with_tstamp_precision(
        name, PCAP_TSTAMP_PRECISION_NANO, errbuf);
    if (!p) {
        fprintf(stderr, "pcap-cmp: %s\n", errbuf);
        exit(2);
    }
    return p;
}

int
main(int argc, char *argv[])
{
    static uint8_t a[MAX_FRAME], b[MAX_FRAME];
    unsigned long n = 0, n_diff = 0;
    pcap_t *pa, *pb;

    if (argc != 3) {
        fprintf(stderr, "usage: pcap-cmp A B\n");
        return 2;
    }
    pa = open_capture(argv[1]);
    pb = open_capture(argv[2]);

    for (;;) {
        struct pcap_pkthdr *ha, *hb;
        const u_char *da, *db;
        int ra, rb;
        size_t i;

        ra = pcap_next_ex(pa, &ha, &da);
        rb = pcap_next_ex(pb, &hb, &db);
        if (ra == PCAP_ERROR || rb == PCAP_ERROR) {
            fprintf(stderr, "pcap-cmp: read error: %s\n",
                    pcap_geterr(ra == PCAP_ERROR ? pa : pb));
            return 2;
        }
        if (ra != 1 || rb != 1) {
            if (ra == 1 || rb == 1) {
                printf("%s has more frames than %s (after %lu)\n",
                       argv[ra == 1 ? 1 : 2], argv[ra == 1 ? 2 : 1], n);
                n_diff++;
            }
            break;
        }
        n++;

        if (ha->ts.tv_sec != hb->ts.tv_sec
            || ha->ts.tv_usec != hb->ts.tv_usec) {
            printf("frame %lu: timestamps differ\n", n);
            n_diff++;
            continue;
        }
        if (ha->caplen != hb->caplen || ha->len != hb->len) {
            printf("frame %lu: lengths differ (%u/%u vs %u/%u)\n", n,
                   ha->caplen, ha->len, hb->caplen, hb->len);
            n_diff++;
            continue;
        }
        if (ha->caplen > MAX_FRAME) {
            fprintf(stderr, "pcap-cmp: frame %lu too long\n", n);
            return 2;
        }
        memcpy(a, da, ha->caplen);
        memcpy(b, db, hb->caplen);
        normalize(b, hb->caplen, is_udp0(a, ha->caplen));
        normalize(a, ha->caplen, false);
        for (i = 0; i < ha->caplen; i++) {
            if (a[i] != b[i]) {
                printf("frame %lu: byte %zu differs (%02x vs %02x)\n",
                       n, i, a[i], b[i]);
                n_diff++;
                break;
            }
        }
    }
    pcap_close(pa);
    pcap_close(pb);

    printf("%lu frames compared, %lu differ\n", n, n_diff);
    return n_diff ? 1 : 0;
}
