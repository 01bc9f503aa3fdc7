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

#ifndef L2MT_FLOWD_PCAP_H
#define L2MT_FLOWD_PCAP_H 1

/* Recorded sFlow datagrams as a classic pcap file (Ethernet, IPv4, UDP), so
 * recordings work with tcpdump, tcpreplay and Wireshark too.  The reader
 * walks an in-memory file and yields each UDP payload; anything it cannot
 * use is skipped and counted. */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

struct flowd_pcap {
    const uint8_t *p, *end;
    bool swapped;               /* File written in the other byte order. */
    uint64_t n_skipped;         /* Records that are not IPv4/UDP. */
};

/* Returns false if 'data' is not a pcap file with Ethernet link type. */
bool flowd_pcap_open(struct flowd_pcap *, const void *data, size_t len);
/* Next UDP payload; false at the end or at a truncated record. */
bool flowd_pcap_next(struct flowd_pcap *, const uint8_t **payload,
                     size_t *len, uint64_t *ts_us);

void flowd_pcap_write_header(FILE *);
/* Writes 'payload' as UDP 10.0.0.1:6343 -> 10.0.0.2:6343. */
void flowd_pcap_write(FILE *, const void *payload, size_t len,
                      uint64_t ts_us);

#endif /* flowd-pcap.h */
