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

#ifndef L2MT_SFLOW_ENCODE_H
#define L2MT_SFLOW_ENCODE_H 1

/* An sFlow v5 encoder that writes XDR field by field.  Tests build their
 * datagrams with it (including broken ones), and the benchmark generates
 * its recording with it. */

#include <stddef.h>
#include <stdint.h>

struct flowd_sflow_buf {
    uint8_t data[65536];
    size_t len;
};

void flowd_sflow_enc_init(struct flowd_sflow_buf *);
void flowd_sflow_enc_u32(struct flowd_sflow_buf *, uint32_t);
void flowd_sflow_enc_u64(struct flowd_sflow_buf *, uint64_t);
/* Padded. */
void flowd_sflow_enc_bytes(struct flowd_sflow_buf *, const void *, size_t);

/* Opens a length-prefixed item (sample or record) after writing 'format':
 * returns the offset of its length field for flowd_sflow_enc_end(). */
size_t flowd_sflow_enc_begin(struct flowd_sflow_buf *, uint32_t format);
void flowd_sflow_enc_end(struct flowd_sflow_buf *, size_t length_offset);

/* Datagram header with an IPv4 agent. */
void flowd_sflow_enc_datagram(struct flowd_sflow_buf *, uint32_t agent_ipv4,
                              uint32_t seq,
                              uint32_t n_samples);

/* Builds a Ethernet/[802.1Q]/IPv4/{TCP,UDP} frame into 'frame' (at least 64
 * bytes); returns its length.  'vlan' 0 means untagged. */
size_t flowd_sflow_enc_frame_ipv4(uint8_t *frame, const uint8_t src_mac[6],
                                  const uint8_t dst_mac[6], uint16_t vlan,
                      uint32_t src_ip, uint32_t dst_ip, uint8_t proto,
                      uint16_t src_port, uint16_t dst_port,
                      uint16_t payload);

/* A compact flow sample with a raw header record and an extended switch
 * record. */
void flowd_sflow_enc_flow_sample(struct flowd_sflow_buf *, uint32_t seq,
                                 uint32_t ifindex,
                                 uint32_t rate, uint32_t pool, uint32_t input,
                     uint32_t output, const uint8_t *frame, size_t frame_len,
                     uint32_t wire_len, uint32_t vlan);

#endif /* sflow-encode.h */
