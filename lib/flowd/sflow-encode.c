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
#include "flowd/sflow-encode.h"

#include <string.h>

void
flowd_sflow_enc_init(struct flowd_sflow_buf *b)
{
    b->len = 0;
}

void
flowd_sflow_enc_u32(struct flowd_sflow_buf *b, uint32_t v)
{
    if (b->len + 4 <= sizeof b->data) {
        uint8_t *p = &b->data[b->len];
        p[0] = v >> 24;
        p[1] = v >> 16;
        p[2] = v >> 8;
        p[3] = v;
        b->len += 4;
    }
}

void
flowd_sflow_enc_u64(struct flowd_sflow_buf *b, uint64_t v)
{
    flowd_sflow_enc_u32(b, v >> 32);
    flowd_sflow_enc_u32(b, v);
}

void
flowd_sflow_enc_bytes(struct flowd_sflow_buf *b, const void *data, size_t n)
{
    size_t padded = (n + 3) & ~(size_t) 3;

    if (b->len + padded <= sizeof b->data) {
        memcpy(&b->data[b->len], data, n);
        memset(&b->data[b->len + n], 0, padded - n);
        b->len += padded;
    }
}

size_t
flowd_sflow_enc_begin(struct flowd_sflow_buf *b, uint32_t format)
{
    flowd_sflow_enc_u32(b, format);
    size_t ofs = b->len;
    flowd_sflow_enc_u32(b, 0);
    return ofs;
}

void
flowd_sflow_enc_end(struct flowd_sflow_buf *b, size_t ofs)
{
    uint32_t len = b->len - ofs - 4;
    uint8_t *p = &b->data[ofs];

    p[0] = len >> 24;
    p[1] = len >> 16;
    p[2] = len >> 8;
    p[3] = len;
}

void
flowd_sflow_enc_datagram(struct flowd_sflow_buf *b, uint32_t agent,
                         uint32_t seq,
                         uint32_t n_samples)
{
    flowd_sflow_enc_init(b);
    flowd_sflow_enc_u32(b, 5);
    flowd_sflow_enc_u32(b, 1);
    flowd_sflow_enc_u32(b, agent);
    flowd_sflow_enc_u32(b, 0);              /* Sub-agent. */
    flowd_sflow_enc_u32(b, seq);
    flowd_sflow_enc_u32(b, 1000 + seq);     /* Uptime. */
    flowd_sflow_enc_u32(b, n_samples);
}

static uint8_t *
put16(uint8_t *p, uint16_t v)
{
    p[0] = v >> 8;
    p[1] = v;
    return p + 2;
}

static uint8_t *
put32(uint8_t *p, uint32_t v)
{
    p = put16(p, v >> 16);
    return put16(p, v);
}

size_t
flowd_sflow_enc_frame_ipv4(uint8_t *frame, const uint8_t src_mac[6],
               const uint8_t dst_mac[6], uint16_t vlan, uint32_t src_ip,
               uint32_t dst_ip, uint8_t proto, uint16_t src_port,
               uint16_t dst_port, uint16_t payload)
{
    uint8_t *p = frame;
    size_t l4_len = proto == 6 ? 20 : 8;

    memcpy(p, dst_mac, 6);
    memcpy(p + 6, src_mac, 6);
    p += 12;
    if (vlan) {
        p = put16(p, 0x8100);
        p = put16(p, vlan);
    }
    p = put16(p, 0x0800);

    uint8_t *ip = p;
    memset(ip, 0, 20);
    ip[0] = 0x45;
    put16(ip + 2, 20 + l4_len + payload);
    ip[8] = 64;
    ip[9] = proto;
    put32(ip + 12, src_ip);
    put32(ip + 16, dst_ip);
    p += 20;

    memset(p, 0, l4_len);
    put16(p, src_port);
    put16(p + 2, dst_port);
    if (proto == 6) {
        p[12] = 5 << 4;
        p[13] = 0x18;           /* PSH|ACK. */
    } else {
        put16(p + 4, 8 + payload);
    }
    p += l4_len;
    return p - frame;
}

void
flowd_sflow_enc_flow_sample(struct flowd_sflow_buf *b, uint32_t seq,
                            uint32_t ifindex,
                uint32_t rate, uint32_t pool, uint32_t input, uint32_t output,
                const uint8_t *frame, size_t frame_len, uint32_t wire_len,
                uint32_t vlan)
{
    size_t sample = flowd_sflow_enc_begin(b, 1);
    flowd_sflow_enc_u32(b, seq);
    flowd_sflow_enc_u32(b, ifindex); /* Source id type 0, index 'ifindex'. */
    flowd_sflow_enc_u32(b, rate);
    flowd_sflow_enc_u32(b, pool);
    flowd_sflow_enc_u32(b, 0);              /* Drops. */
    flowd_sflow_enc_u32(b, input);
    flowd_sflow_enc_u32(b, output);
    flowd_sflow_enc_u32(b, 2);              /* Records. */

    size_t rec = flowd_sflow_enc_begin(b, 1);
    flowd_sflow_enc_u32(b, 1);              /* Ethernet. */
    flowd_sflow_enc_u32(b, wire_len);
    flowd_sflow_enc_u32(b, 4);              /* FCS stripped. */
    flowd_sflow_enc_u32(b, frame_len);
    flowd_sflow_enc_bytes(b, frame, frame_len);
    flowd_sflow_enc_end(b, rec);

    rec = flowd_sflow_enc_begin(b, 1001);
    flowd_sflow_enc_u32(b, vlan);
    flowd_sflow_enc_u32(b, 0);
    flowd_sflow_enc_u32(b, vlan);
    flowd_sflow_enc_u32(b, 0);
    flowd_sflow_enc_end(b, rec);
    flowd_sflow_enc_end(b, sample);
}
