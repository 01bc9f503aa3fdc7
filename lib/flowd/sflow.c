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
#include "flowd/sflow.h"

#include <string.h>

/* A bounded XDR reader: every read checks the bytes left first. */
struct xdr {
    const uint8_t *p;
    const uint8_t *end;
};

static inline size_t
xdr_left(const struct xdr *x)
{
    return x->end - x->p;
}

static inline uint32_t
xdr_u32(struct xdr *x)
{
    const uint8_t *p = x->p;

    x->p += 4;
    return ((uint32_t) p[0] << 24) | (p[1] << 16) | (p[2] << 8) | p[3];
}

static inline uint64_t
xdr_u64(struct xdr *x)
{
    uint64_t hi = xdr_u32(x);

    return (hi << 32) | xdr_u32(x);
}

static void
ipv4_mapped(struct in6_addr *a, const uint8_t v4[4])
{
    memset(a, 0, sizeof *a);
    a->s6_addr[10] = a->s6_addr[11] = 0xff;
    memcpy(&a->s6_addr[12], v4, 4);
}

const char *
flowd_sflow_error_name(enum flowd_sflow_error error)
{
    switch (error) {
    case FLOWD_SFLOW_OK: return "ok";
    case FLOWD_SFLOW_ERR_SHORT: return "short_datagram";
    case FLOWD_SFLOW_ERR_VERSION: return "bad_version";
    case FLOWD_SFLOW_ERR_AGENT_ADDR: return "bad_agent_address";
    case FLOWD_SFLOW_ERR_SAMPLE_COUNT: return "too_many_samples";
    case FLOWD_SFLOW_ERR_SAMPLE_TRUNC: return "sample_truncated";
    case FLOWD_SFLOW_ERR_SAMPLE_BODY: return "sample_too_short";
    case FLOWD_SFLOW_ERR_RECORD_TRUNC: return "record_truncated";
    case FLOWD_SFLOW_ERR_RECORD_BODY: return "record_too_short";
    case FLOWD_SFLOW_ERR_HEADER_LEN: return "header_length";
    case FLOWD_SFLOW_ERR_SAMPLING_RATE: return "zero_sampling_rate";
    case FLOWD_SFLOW_ERR_TRAILING: return "trailing_bytes";
    case FLOWD_SFLOW_N_ERRORS: break;
    }
    return "unknown";
}

static inline uint16_t
be16(const uint8_t *p)
{
    return (p[0] << 8) | p[1];
}

/* IPv6 extension headers the parser walks through to reach TCP/UDP. */
static bool
ipv6_ext_header(uint8_t nh)
{
    return nh == 0 || nh == 43 || nh == 60;
}

static void
parse_l4(const uint8_t *p, const uint8_t *end, uint8_t proto,
         struct flowd_sflow_packet *pkt)
{
    if ((proto == 6 || proto == 17) && end - p >= 4) {
        pkt->src_port = be16(p);
        pkt->dst_port = be16(p + 2);
        pkt->layers |= FLOWD_SFLOW_L4;
        if (proto == 6 && end - p >= 14) {
            pkt->tcp_flags = p[13];
        }
    }
}

static void
parse_ipv4(const uint8_t *p, const uint8_t *end,
           struct flowd_sflow_packet *pkt)
{
    if (end - p < 20 || p[0] >> 4 != 4) {
        return;
    }
    size_t ihl = (p[0] & 0xf) * 4;
    pkt->ip_version = 4;
    pkt->ip_proto = p[9];
    ipv4_mapped(&pkt->src_ip, p + 12);
    ipv4_mapped(&pkt->dst_ip, p + 16);
    pkt->layers |= FLOWD_SFLOW_L3;

    /* Only the first fragment carries the ports. */
    bool later_fragment = (be16(p + 6) & 0x1fff) != 0;
    if (ihl >= 20 && end - p >= (ptrdiff_t) ihl && !later_fragment) {
        parse_l4(p + ihl, end, pkt->ip_proto, pkt);
    }
}

static void
parse_ipv6(const uint8_t *p, const uint8_t *end,
           struct flowd_sflow_packet *pkt)
{
    if (end - p < 40 || p[0] >> 4 != 6) {
        return;
    }
    uint8_t nh = p[6];
    memcpy(&pkt->src_ip, p + 8, 16);
    memcpy(&pkt->dst_ip, p + 24, 16);
    pkt->ip_version = 6;
    pkt->layers |= FLOWD_SFLOW_L3;
    p += 40;

    /* Bounded: a sampled header holds at most a few extension headers. */
    for (int i = 0; i < 8; i++) {
        if (ipv6_ext_header(nh)) {
            if (end - p < 8) {
                pkt->ip_proto = nh;
                return;
            }
            size_t len = (p[1] + 1) * 8;
            nh = p[0];
            if ((size_t) (end - p) < len) {
                pkt->ip_proto = nh;
                return;
            }
            p += len;
        } else if (nh == 44) {
            /* Fragment header: ports only in the first fragment. */
            if (end - p < 8) {
                pkt->ip_proto = nh;
                return;
            }
            bool first = (be16(p + 2) & 0xfff8) == 0;
            nh = p[0];
            p += 8;
            if (!first) {
                pkt->ip_proto = nh;
                return;
            }
        } else {
            break;
        }
    }
    pkt->ip_proto = nh;
    parse_l4(p, end, nh, pkt);
}

void
flowd_sflow_parse_ethernet(const uint8_t *data, size_t len,
                           struct flowd_sflow_packet *pkt)
{
    const uint8_t *p = data;
    const uint8_t *end = data + len;

    memset(pkt, 0, sizeof *pkt);
    if (len < 14) {
        return;
    }
    memcpy(pkt->dst_mac, p, 6);
    memcpy(pkt->src_mac, p + 6, 6);
    uint16_t type = be16(p + 12);
    p += 14;

    /* 802.1ad and 802.1Q tags, at most two: the outer VID is the one the
     * switch forwards on. */
    for (int i = 0; i < 2 && (type == 0x8100 || type == 0x88a8); i++) {
        if (end - p < 4) {
            break;
        }
        if (!pkt->vlan) {
            pkt->vlan = be16(p) & 0xfff;
        }
        type = be16(p + 2);
        p += 4;
    }
    pkt->eth_type = type;
    pkt->layers |= FLOWD_SFLOW_L2;

    if (type == 0x0800) {
        parse_ipv4(p, end, pkt);
    } else if (type == 0x86dd) {
        parse_ipv6(p, end, pkt);
    }
}

/* Flow records inside one flow sample. */
static enum flowd_sflow_error
decode_flow_record(uint32_t format, struct xdr *r, struct flowd_sflow_flow *f,
                   bool *known)
{
    *known = true;
    if (format == 1) {
        /* Raw packet header. */
        if (xdr_left(r) < 16) {
            return FLOWD_SFLOW_ERR_RECORD_BODY;
        }
        f->header_protocol = xdr_u32(r);
        f->frame_length = xdr_u32(r);
        f->stripped = xdr_u32(r);
        f->header_length = xdr_u32(r);
        if (f->header_length > xdr_left(r)) {
            return FLOWD_SFLOW_ERR_HEADER_LEN;
        }
        f->header = r->p;
        f->has_header = true;
        if (f->header_protocol == 1) {
            flowd_sflow_parse_ethernet(f->header, f->header_length, &f->pkt);
        } else {
            memset(&f->pkt, 0, sizeof f->pkt);
        }
    } else if (format == 1001) {
        /* Extended switch. */
        if (xdr_left(r) < 16) {
            return FLOWD_SFLOW_ERR_RECORD_BODY;
        }
        f->in_vlan = xdr_u32(r);
        f->in_priority = xdr_u32(r);
        f->out_vlan = xdr_u32(r);
        f->out_priority = xdr_u32(r);
        f->has_switch = true;
    } else {
        *known = false;
    }
    return FLOWD_SFLOW_OK;
}

static enum flowd_sflow_error
decode_counter_record(uint32_t format, struct xdr *r,
                      struct flowd_sflow_counters *c,
                      bool *known)
{
    *known = true;
    if (format == 1) {
        struct flowd_sflow_if_counters *i = &c->ifc;

        if (xdr_left(r) < 88) {
            return FLOWD_SFLOW_ERR_RECORD_BODY;
        }
        i->ifindex = xdr_u32(r);
        i->type = xdr_u32(r);
        i->speed = xdr_u64(r);
        i->direction = xdr_u32(r);
        i->status = xdr_u32(r);
        i->in_octets = xdr_u64(r);
        i->in_ucast = xdr_u32(r);
        i->in_mcast = xdr_u32(r);
        i->in_bcast = xdr_u32(r);
        i->in_discards = xdr_u32(r);
        i->in_errors = xdr_u32(r);
        i->in_unknown = xdr_u32(r);
        i->out_octets = xdr_u64(r);
        i->out_ucast = xdr_u32(r);
        i->out_mcast = xdr_u32(r);
        i->out_bcast = xdr_u32(r);
        i->out_discards = xdr_u32(r);
        i->out_errors = xdr_u32(r);
        i->promiscuous = xdr_u32(r);
        c->has_if = true;
    } else if (format == 2) {
        struct flowd_sflow_eth_counters *e = &c->eth;

        if (xdr_left(r) < 52) {
            return FLOWD_SFLOW_ERR_RECORD_BODY;
        }
        e->alignment_errors = xdr_u32(r);
        e->fcs_errors = xdr_u32(r);
        e->single_collisions = xdr_u32(r);
        e->multiple_collisions = xdr_u32(r);
        e->sqe_errors = xdr_u32(r);
        e->deferred = xdr_u32(r);
        e->late_collisions = xdr_u32(r);
        e->excessive_collisions = xdr_u32(r);
        e->mac_tx_errors = xdr_u32(r);
        e->carrier_errors = xdr_u32(r);
        e->too_long = xdr_u32(r);
        e->mac_rx_errors = xdr_u32(r);
        e->symbol_errors = xdr_u32(r);
        c->has_eth = true;
    } else {
        *known = false;
    }
    return FLOWD_SFLOW_OK;
}

/* Walks 'n' records of the sample in 's', calling the decoder for flow or
 * counter records. */
static enum flowd_sflow_error
decode_records(struct xdr *s, struct flowd_sflow_sample *sample,
               struct flowd_sflow_datagram *dg)
{
    if (xdr_left(s) < 4) {
        return FLOWD_SFLOW_ERR_SAMPLE_BODY;
    }
    uint32_t n = xdr_u32(s);

    /* Each record takes at least 8 bytes, which bounds 'n'. */
    if (n > xdr_left(s) / 8) {
        return FLOWD_SFLOW_ERR_RECORD_TRUNC;
    }
    for (uint32_t i = 0; i < n; i++) {
        if (xdr_left(s) < 8) {
            return FLOWD_SFLOW_ERR_RECORD_TRUNC;
        }
        uint32_t format = xdr_u32(s);
        uint32_t len = xdr_u32(s);
        if (len > xdr_left(s) || len % 4) {
            return FLOWD_SFLOW_ERR_RECORD_TRUNC;
        }
        struct xdr r = { s->p, s->p + len };
        enum flowd_sflow_error error;
        bool known;

        if (format >> 12) {
            known = false;      /* Enterprise records. */
            error = FLOWD_SFLOW_OK;
        } else if (sample->type == FLOWD_SFLOW_FLOW) {
            error = decode_flow_record(format, &r, &sample->flow, &known);
        } else {
            error = decode_counter_record(format, &r, &sample->counters,
                                          &known);
        }
        if (error) {
            return error;
        }
        dg->n_unknown_records += !known;
        s->p += len;
    }
    return FLOWD_SFLOW_OK;
}

static enum flowd_sflow_error
decode_flow_sample(struct xdr *s, bool expanded,
                   struct flowd_sflow_sample *sample,
                   struct flowd_sflow_datagram *dg)
{
    struct flowd_sflow_flow *f = &sample->flow;

    memset(f, 0, sizeof *f);
    if (xdr_left(s) < (expanded ? 44 : 32)) {
        return FLOWD_SFLOW_ERR_SAMPLE_BODY;
    }
    f->seq = xdr_u32(s);
    if (expanded) {
        f->source_type = xdr_u32(s);
        f->source_index = xdr_u32(s);
    } else {
        uint32_t id = xdr_u32(s);
        f->source_type = id >> 24;
        f->source_index = id & 0xffffff;
    }
    f->sampling_rate = xdr_u32(s);
    f->sample_pool = xdr_u32(s);
    f->drops = xdr_u32(s);
    if (expanded) {
        f->input_format = xdr_u32(s);
        f->input = xdr_u32(s);
        f->output_format = xdr_u32(s);
        f->output = xdr_u32(s);
    } else {
        uint32_t in = xdr_u32(s);
        uint32_t out = xdr_u32(s);
        f->input_format = in >> 30;
        f->input = in & 0x3fffffff;
        f->output_format = out >> 30;
        f->output = out & 0x3fffffff;
    }
    if (!f->sampling_rate) {
        return FLOWD_SFLOW_ERR_SAMPLING_RATE;
    }
    return decode_records(s, sample, dg);
}

static enum flowd_sflow_error
decode_counter_sample(struct xdr *s, bool expanded,
                      struct flowd_sflow_sample *sample,
                      struct flowd_sflow_datagram *dg)
{
    struct flowd_sflow_counters *c = &sample->counters;

    memset(c, 0, sizeof *c);
    if (xdr_left(s) < (expanded ? 12 : 8)) {
        return FLOWD_SFLOW_ERR_SAMPLE_BODY;
    }
    c->seq = xdr_u32(s);
    if (expanded) {
        c->source_type = xdr_u32(s);
        c->source_index = xdr_u32(s);
    } else {
        uint32_t id = xdr_u32(s);
        c->source_type = id >> 24;
        c->source_index = id & 0xffffff;
    }
    return decode_records(s, sample, dg);
}

static enum flowd_sflow_error
decode_datagram(const void *data, size_t len, struct flowd_sflow_datagram *dg)
{
    struct xdr x = { data, (const uint8_t *) data + len };

    dg->n_samples = 0;
    dg->n_unknown_samples = 0;
    dg->n_unknown_records = 0;
    if (len < 8) {
        return FLOWD_SFLOW_ERR_SHORT;
    }
    if (xdr_u32(&x) != 5) {
        return FLOWD_SFLOW_ERR_VERSION;
    }
    uint32_t addr_type = xdr_u32(&x);
    size_t addr_len = addr_type == 1 ? 4 : addr_type == 2 ? 16 : 0;
    if (!addr_len) {
        return FLOWD_SFLOW_ERR_AGENT_ADDR;
    }
    if (xdr_left(&x) < addr_len + 16) {
        return FLOWD_SFLOW_ERR_SHORT;
    }
    if (addr_len == 4) {
        ipv4_mapped(&dg->agent, x.p);
    } else {
        memcpy(&dg->agent, x.p, 16);
    }
    x.p += addr_len;
    dg->sub_agent = xdr_u32(&x);
    dg->seq = xdr_u32(&x);
    dg->uptime_ms = xdr_u32(&x);
    uint32_t n = xdr_u32(&x);
    if (n > FLOWD_SFLOW_MAX_SAMPLES) {
        return FLOWD_SFLOW_ERR_SAMPLE_COUNT;
    }

    for (uint32_t i = 0; i < n; i++) {
        if (xdr_left(&x) < 8) {
            return FLOWD_SFLOW_ERR_SAMPLE_TRUNC;
        }
        uint32_t format = xdr_u32(&x);
        uint32_t slen = xdr_u32(&x);
        if (slen > xdr_left(&x) || slen % 4) {
            return FLOWD_SFLOW_ERR_SAMPLE_TRUNC;
        }
        struct xdr s = { x.p, x.p + slen };
        struct flowd_sflow_sample *sample = &dg->samples[dg->n_samples];
        enum flowd_sflow_error error = FLOWD_SFLOW_OK;

        x.p += slen;
        switch (format) {
        case 1:
        case 3:
            sample->type = FLOWD_SFLOW_FLOW;
            sample->expanded = format == 3;
            error = decode_flow_sample(&s, sample->expanded, sample, dg);
            break;
        case 2:
        case 4:
            sample->type = FLOWD_SFLOW_COUNTERS;
            sample->expanded = format == 4;
            error = decode_counter_sample(&s, sample->expanded, sample, dg);
            break;
        default:
            dg->n_unknown_samples++;
            continue;
        }
        if (error) {
            return error;
        }
        dg->n_samples++;
    }
    return xdr_left(&x) ? FLOWD_SFLOW_ERR_TRAILING : FLOWD_SFLOW_OK;
}

enum flowd_sflow_error
flowd_sflow_decode(const void *data, size_t len,
                   struct flowd_sflow_datagram *dg)
{
    enum flowd_sflow_error error = decode_datagram(data, len, dg);

    if (error) {
        dg->n_samples = 0;      /* Nothing of a bad datagram is delivered. */
    }
    return error;
}
