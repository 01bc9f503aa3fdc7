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
#include "flowd/ipfix.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fixbuf/public.h>
#include <pthread.h>
#include <stddef.h>
#include <netdb.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "flowd/flow-agg.h"
#include "flowd/flowd-interval.h"
#include "flowd/flowd-topo.h"
#include "l2mt-conf-util.h"

/* In libfixbuf (its private.h): so that sequence numbers go on across
 * exports, each of which is a session of its own. */
void fbSessionSetSequence(fbSession_t *, uint32_t);

/* Information elements (IANA "IPFIX Information Elements"). */
enum {
    IE_OCTETS = 1, IE_PACKETS = 2, IE_PROTO = 4, IE_SRC_PORT = 7,
    IE_SRC_V4 = 8, IE_SRC_V4_PLEN = 9, IE_IN_IF = 10, IE_DST_PORT = 11,
    IE_DST_V4 = 12, IE_DST_V4_PLEN = 13, IE_SRC_V6 = 27, IE_DST_V6 = 28,
    IE_SRC_V6_PLEN = 29, IE_DST_V6_PLEN = 30, IE_SRC_MAC = 56,
    IE_VLAN = 58, IE_DST_MAC = 80, IE_EXPORTER_V4 = 130,
    IE_EXPORTER_V6 = 131, IE_START_S = 150, IE_END_S = 151, IE_START_MS = 152,
    IE_END_MS = 153,
    IE_L2_SEGMENT = 351, IE_ORIG_FLOWS = 375,
    /* Enterprise (FLOWD_IPFIX_PEN). */
    EIE_CLASS = 1, EIE_SCOPE = 2, EIE_TENANT_NAME = 3,
};

#define VARLEN FLOWD_IPFIX_VARLEN

#define V_IP6 FLOWD_IPFIX_V_IP6
#define V_AGENT6 FLOWD_IPFIX_V_AGENT6

int
flowd_ipfix_field_ies(enum flowd_agg_field f, int variant,
                      struct flowd_ipfix_ie *out)
{
    bool v6 = variant & V_IP6;
    struct flowd_ipfix_ie *p = out;

#define IE(ID, LEN) (*p++ = (struct flowd_ipfix_ie) { ID, LEN, false })
#define EIE(ID, LEN) (*p++ = (struct flowd_ipfix_ie) { ID, LEN, true })
    switch (f) {
    case FLOWD_AGG_SRC_HOST:
        IE(v6 ? IE_SRC_V6 : IE_SRC_V4, v6 ? 16 : 4);
        break;
    case FLOWD_AGG_DST_HOST:
        IE(v6 ? IE_DST_V6 : IE_DST_V4, v6 ? 16 : 4);
        break;
    case FLOWD_AGG_SRC_PREFIX:
        IE(v6 ? IE_SRC_V6 : IE_SRC_V4, v6 ? 16 : 4);
        IE(v6 ? IE_SRC_V6_PLEN : IE_SRC_V4_PLEN, 1);
        break;
    case FLOWD_AGG_DST_PREFIX:
        IE(v6 ? IE_DST_V6 : IE_DST_V4, v6 ? 16 : 4);
        IE(v6 ? IE_DST_V6_PLEN : IE_DST_V4_PLEN, 1);
        break;
    case FLOWD_AGG_BIFLOW:
        IE(v6 ? IE_SRC_V6 : IE_SRC_V4, v6 ? 16 : 4);
        IE(v6 ? IE_DST_V6 : IE_DST_V4, v6 ? 16 : 4);
        IE(IE_SRC_PORT, 2);
        IE(IE_DST_PORT, 2);
        IE(IE_PROTO, 1);
        break;
    case FLOWD_AGG_SRC_MAC:
        IE(IE_SRC_MAC, 6);
        break;
    case FLOWD_AGG_DST_MAC:
        IE(IE_DST_MAC, 6);
        break;
    case FLOWD_AGG_VLAN:
        IE(IE_VLAN, 2);
        break;
    case FLOWD_AGG_TENANT:
        IE(IE_L2_SEGMENT, 8);
        EIE(EIE_TENANT_NAME, VARLEN);
        break;
    case FLOWD_AGG_CLASS:
        EIE(EIE_CLASS, 1);
        break;
    case FLOWD_AGG_SCOPE:
        EIE(EIE_SCOPE, 1);
        break;
    case FLOWD_AGG_PORT:
        IE(variant & V_AGENT6 ? IE_EXPORTER_V6 : IE_EXPORTER_V4,
           variant & V_AGENT6 ? 16 : 4);
        IE(IE_IN_IF, 4);
        break;
    case FLOWD_AGG_PROTO:
        IE(IE_PROTO, 1);
        break;
    case FLOWD_AGG_SRC_PORT:
        IE(IE_SRC_PORT, 2);
        break;
    case FLOWD_AGG_DST_PORT:
        IE(IE_DST_PORT, 2);
        break;
    case FLOWD_AGG_N_FIELDS:
        break;
    }
#undef IE
#undef EIE
    return p - out;
}

static bool
is_v4(const uint8_t *p)
{
    static const uint8_t prefix[12] = { [10] = 0xff, [11] = 0xff };

    return !memcmp(p, prefix, 12);
}

static int
row_variant(const struct flowd_agg_def *def, const uint8_t *key)
{
    int variant = 0;

    for (int i = 0; i < def->n_fields; i++) {
        enum flowd_agg_field f = def->fields[i];
        if (f == FLOWD_AGG_SRC_HOST || f == FLOWD_AGG_DST_HOST
            || f == FLOWD_AGG_SRC_PREFIX
            || f == FLOWD_AGG_DST_PREFIX || f == FLOWD_AGG_BIFLOW) {
            if (!is_v4(key) || (f == FLOWD_AGG_BIFLOW && !is_v4(key + 16))) {
                variant |= V_IP6;
            }
        } else if (f == FLOWD_AGG_PORT && !is_v4(key)) {
            variant |= V_AGENT6;
        }
        key += flowd_agg_field_len(f);
    }
    return variant;
}

int
flowd_ipfix_key_ies(const struct flowd_agg_def *def, int variant,
                    struct flowd_ipfix_ie *ies)
{
    int n = 0;

    for (int i = 0; i < def->n_fields; i++) {
        n += flowd_ipfix_field_ies(def->fields[i], variant, ies + n);
    }
    return n;
}

static int
template_ies(const struct flowd_agg_def *def, int variant,
             struct flowd_ipfix_ie *ies)
{
    int n = flowd_ipfix_key_ies(def, variant, ies);

    ies[n++] = (struct flowd_ipfix_ie) { IE_OCTETS, 8, false };
    ies[n++] = (struct flowd_ipfix_ie) { IE_PACKETS, 8, false };
    ies[n++] = (struct flowd_ipfix_ie) { IE_START_S, 4, false };
    ies[n++] = (struct flowd_ipfix_ie) { IE_END_S, 4, false };
    /* Also in milliseconds: nfdump reads only these. */
    ies[n++] = (struct flowd_ipfix_ie) { IE_START_MS, 8, false };
    ies[n++] = (struct flowd_ipfix_ie) { IE_END_MS, 8, false };
    /* RFC 7015's count of the original flows in an aggregated one: our
     * samples.  It marks the record as an aggregate for an upper tier. */
    ies[n++] = (struct flowd_ipfix_ie) { IE_ORIG_FLOWS, 8, false };
    return n;
}

static bool
rule_matches(const struct flowd_ipfix_upstream *up,
             const struct flowd_agg_def *def,
             const uint8_t *key, const struct flowd_interval *iv)
{
    struct flowd_agg_names names = { flowd_interval_tenant, iv };
    char text[128];

    if (up->rule == FLOWD_IPFIX_RULE_AGG) {
        return !strcmp(def->name, up->value);
    }
    for (int i = 0; i < def->n_fields; i++) {
        enum flowd_agg_field f = def->fields[i];
        bool same = ((int) f == up->field
                     || (up->field == FLOWD_AGG_SRC_HOST
                         && f == FLOWD_AGG_SRC_PREFIX)
                     || (up->field == FLOWD_AGG_DST_HOST
                         && f == FLOWD_AGG_DST_PREFIX));
        if (same) {
            if (up->rule == FLOWD_IPFIX_RULE_CIDR) {
                for (int b = 0; b < up->plen; b++) {
                    int bit = 0x80 >> (b % 8);
                    if ((key[b / 8] & bit) != (up->net.s6_addr[b / 8] & bit)) {
                        return false;
                    }
                }
                return true;
            }
            flowd_agg_field_format(f, key, text, sizeof text, &names);
            return !strcmp(text, up->value);
        }
        key += flowd_agg_field_len(f);
    }
    return false;
}

/* Whether row 'key' of 'def' goes to upstream 'u'. */
static bool
routed_to(const struct flowd_ipfix_exporter *exp, size_t u,
          const struct flowd_agg_def *def, const uint8_t *key,
          const struct flowd_interval *iv)
{
    for (size_t i = 0; i < exp->n; i++) {
        if (exp->ups[i].rule != FLOWD_IPFIX_RULE_NONE
            && rule_matches(&exp->ups[i], def, key, iv)) {
            return i == u;
        }
    }
    return exp->ups[u].rule == FLOWD_IPFIX_RULE_NONE;
}

/* The export stands on libfixbuf: it writes the templates, message
 * headers, sets and sequence numbers; flowd lays each record out as
 * libfixbuf's internal template says (host byte order, no holes) and
 * hands each message to 'send'. */

static fbInfoElement_t l2mt_ies[] = {
    FB_IE_INIT_FULL("l2mtLocalityClass", FLOWD_IPFIX_PEN, EIE_CLASS, 1,
                    FB_IE_IDENTIFIER, 0, 0, FB_UINT_8, NULL),
    FB_IE_INIT_FULL("l2mtScope", FLOWD_IPFIX_PEN, EIE_SCOPE, 1,
                    FB_IE_IDENTIFIER, 0, 0, FB_UINT_8, NULL),
    FB_IE_INIT_FULL("l2mtTenantName", FLOWD_IPFIX_PEN, EIE_TENANT_NAME,
                    FB_IE_VARLEN, FB_IE_DEFAULT, 0, 0, FB_STRING, NULL),
    FB_IE_NULL
};

static fbInfoModel_t *model;
static pthread_once_t model_once = PTHREAD_ONCE_INIT;

static void
model_init(void)
{
    model = fbInfoModelAlloc();
    fbInfoModelAddElementArray(model, l2mt_ies);
}

/* A template of 'n' elements 'ies' for libfixbuf. */
static fbTemplate_t *
make_template(const struct flowd_ipfix_ie *ies, int n)
{
    fbTemplate_t *t = fbTemplateAlloc(model);

    for (int i = 0; i < n; i++) {
        const fbInfoElement_t *ie = fbInfoModelGetElementByID(
            model, ies[i].id, ies[i].enterprise ? FLOWD_IPFIX_PEN : 0);
        fbInfoElementSpec_t spec = {
            ie ? (char *) ie->ref.name : NULL,
            ies[i].len == VARLEN ? 0 : ies[i].len, 0,
        };
        if (!ie || !fbTemplateAppendSpec(t, &spec, 0, NULL)) {
            fbTemplateFreeUnused(t);
            return NULL;
        }
    }
    return t;
}

/* Record layout: integers in host order at their length. */
static uint8_t *
put_int(uint8_t *p, uint64_t v, int len)
{
    switch (len) {
    case 1: *p = v; break;
    case 2: { uint16_t x = v; memcpy(p, &x, 2); break; }
    case 4: { uint32_t x = v; memcpy(p, &x, 4); break; }
    default: memcpy(p, &v, 8); break;
    }
    return p + len;
}

static uint8_t *
put_addr(uint8_t *p, const uint8_t *k, bool v6)
{
    if (v6) {
        memcpy(p, k, 16);
        return p + 16;
    }
    uint32_t v4 = (uint32_t) k[12] << 24 | k[13] << 16 | k[14] << 8 | k[15];
    return put_int(p, v4, 4);
}

static uint8_t *
put_field(uint8_t *p, enum flowd_agg_field f, int variant, const uint8_t *k,
          const struct flowd_interval *iv)
{
    uint16_t v16;
    uint32_t ifindex;

    switch (f) {
    case FLOWD_AGG_SRC_HOST:
    case FLOWD_AGG_DST_HOST:
    case FLOWD_AGG_SRC_PREFIX:
    case FLOWD_AGG_DST_PREFIX:
        p = put_addr(p, k, variant & V_IP6);
        if (f == FLOWD_AGG_SRC_PREFIX || f == FLOWD_AGG_DST_PREFIX) {
            *p++ = k[16];
        }
        break;
    case FLOWD_AGG_BIFLOW:
        p = put_addr(p, k, variant & V_IP6);
        p = put_addr(p, k + 16, variant & V_IP6);
        memcpy(&v16, k + 32, 2);
        p = put_int(p, v16, 2);
        memcpy(&v16, k + 34, 2);
        p = put_int(p, v16, 2);
        *p++ = k[36];
        break;
    case FLOWD_AGG_SRC_MAC:
    case FLOWD_AGG_DST_MAC:
        memcpy(p, k, 6);
        p += 6;
        break;
    case FLOWD_AGG_VLAN:
    case FLOWD_AGG_SRC_PORT:
    case FLOWD_AGG_DST_PORT:
        memcpy(&v16, k, 2);
        p = put_int(p, v16, 2);
        break;
    case FLOWD_AGG_TENANT: {
        memcpy(&v16, k, 2);
        const char *name = flowd_interval_tenant(iv, v16);
        fbVarfield_t vf = { strlen(name), (uint8_t *) name };
        p = put_int(p, v16 < iv->n_tenants ? iv->tenants[v16].key : 0, 8);
        memcpy(p, &vf, sizeof vf);
        p += sizeof vf;
        break;
    }
    case FLOWD_AGG_CLASS:
    case FLOWD_AGG_SCOPE:
    case FLOWD_AGG_PROTO:
        *p++ = k[0];
        break;
    case FLOWD_AGG_PORT:
        p = put_addr(p, k, variant & V_AGENT6);
        memcpy(&ifindex, k + 16, 4);
        p = put_int(p, ifindex, 4);
        break;
    case FLOWD_AGG_N_FIELDS:
        break;
    }
    return p;
}

/* Largest internal record of 'def'. */
static size_t
max_record_len(const struct flowd_agg_def *def)
{
    return def->key_len * 2 + def->n_fields * 40 + 64;
}

struct encoder {
    struct flowd_ipfix_upstream *up;
    bool (*send)(void *, const uint8_t *, size_t);
    void *aux;
    bool ok;
    bool pending;               /* Something appended since the last emit. */
    fbExporter_t *x;
    fBuf_t *b;
    uint8_t out[FLOWD_IPFIX_MTU];
};

static void
emit(struct encoder *e)
{
    GError *err = NULL;

    if (!e->pending) {
        return;
    }
    e->pending = false;
    if (!fBufEmit(e->b, &err)) {
        g_clear_error(&err);
        e->ok = false;
        e->up->n_errors++;
        return;
    }
    size_t len = fbExporterGetMsgLen(e->x);
    if (len > 16) {
        if (!e->send(e->aux, e->out, len)) {
            e->ok = false;
            e->up->n_errors++;
        }
        e->up->n_messages++;
    }
}

/* Runs 'append' and, if the message is full, emits it and tries once
 * more in a new message. */
#define APPEND(E, CALL)                                                 \
    ({                                                                  \
        GError *err_ = NULL;                                            \
        bool ok_ = (CALL);                                              \
        if (!ok_ && g_error_matches(err_, FB_ERROR_DOMAIN,              \
                                    FB_ERROR_EOM)) {                    \
            g_clear_error(&err_);                                       \
            emit(E);                                                    \
            ok_ = (CALL);                                               \
        }                                                               \
        if (!ok_) {                                                     \
            g_clear_error(&err_);                                       \
        }                                                               \
        ok_;                                                            \
    })

bool
flowd_ipfix_encode(struct flowd_ipfix_exporter *exp, size_t u,
                   const struct flowd_interval *iv, uint32_t export_time,
                   bool (*send)(void *, const uint8_t *, size_t), void *aux)
{
    static struct encoder e_;
    struct encoder *e = &e_;

    pthread_once(&model_once, model_init);
    memset(e, 0, offsetof(struct encoder, out));
    e->up = &exp->ups[u];
    e->send = send;
    e->aux = aux;
    e->ok = true;
    e->x = fbExporterAllocBuffer(e->out, sizeof e->out);
    fbSession_t *s = fbSessionAlloc(model);
    e->b = fBufAllocForExport(s, e->x);
    fBufSetAutomaticMode(e->b, FALSE);
    fbSessionSetDomain(s, exp->domain);
    fbSessionSetSequence(s, e->up->seq);
    fBufSetExportTime(e->b, export_time);

    for (uint32_t a = 0; a < iv->n_aggs && e->ok; a++) {
        const struct flowd_interval_agg *ia = &iv->aggs[a];
        for (int variant = 0; variant < 4 && e->ok; variant++) {
            uint16_t tid = 256 + a * 4 + variant;
            bool templated = false;

            for (uint32_t r = 0; r < ia->n_rows && e->ok; r++) {
                const uint8_t *key = ia->keys + (size_t) r * ia->def.key_len;
                const struct flowd_agg_val *v = &ia->vals[r];
                uint8_t rec[1024];
                uint8_t *p = rec;

                if (row_variant(&ia->def, key) != variant
                    || !routed_to(exp, u, &ia->def, key, iv)) {
                    continue;
                }
                if (!templated) {
                    struct flowd_ipfix_ie ies[FLOWD_IPFIX_MAX_IES];
                    int n = template_ies(&ia->def, variant, ies);
                    /* One template object each for the internal and the
                     * external side. */
                    fbTemplate_t *ti = make_template(ies, n);
                    fbTemplate_t *tx = make_template(ies, n);
                    GError *err = NULL;
                    bool added = ti && tx
                        && fbSessionAddTemplate(s, TRUE, tid, ti, &err);
                    g_clear_error(&err);
                    if (!added
                        || !APPEND(e, fbSessionAddTemplate(s, FALSE, tid, tx,
                                                           &err_))
                        || !fBufSetInternalTemplate(e->b, tid, &err)
                        || !APPEND(e, fBufSetExportTemplate(e->b, tid,
                                                            &err_))) {
                        g_clear_error(&err);
                        e->ok = false;
                        e->up->n_errors++;
                        break;
                    }
                    e->pending = true;
                    templated = true;
                }
                if (max_record_len(&ia->def) > sizeof rec) {
                    e->ok = false;
                    break;
                }
                for (int i = 0; i < ia->def.n_fields; i++) {
                    p = put_field(p, ia->def.fields[i], variant, key, iv);
                    key += flowd_agg_field_len(ia->def.fields[i]);
                }
                p = put_int(p, v->bytes, 8);
                p = put_int(p, v->packets, 8);
                p = put_int(p, v->first_ms / 1000, 4);
                p = put_int(p, v->last_ms / 1000, 4);
                p = put_int(p, v->first_ms, 8);
                p = put_int(p, v->last_ms, 8);
                p = put_int(p, v->samples, 8);
                if (!APPEND(e, fBufAppend(e->b, rec, p - rec, &err_))) {
                    e->ok = false;
                    e->up->n_errors++;
                    break;
                }
                e->pending = true;
                e->up->seq++;
                /* Read by the metrics on the receive thread. */
                __atomic_fetch_add(&e->up->n_records, 1, __ATOMIC_RELAXED);
            }
        }
    }
    emit(e);
    fBufFree(e->b);             /* Frees the session and the exporter. */
    return e->ok;
}

static bool
send_udp(void *up_, const uint8_t *data, size_t len)
{
    struct flowd_ipfix_upstream *up = up_;

    return send(up->fd, data, len, 0) == (ssize_t) len;
}

bool
flowd_ipfix_export(struct flowd_ipfix_exporter *exp,
                   const struct flowd_interval *iv,
                   uint32_t export_time)
{
    bool ok = true;

    for (size_t u = 0; u < exp->n; u++) {
        ok &= flowd_ipfix_encode(exp, u, iv, export_time, send_udp,
                                 &exp->ups[u]);
    }
    return ok;
}

static char *
parse_rule(struct flowd_ipfix_upstream *up, const char *rule)
{
    const char *eq = strchr(rule, '=');
    char name[32];

    if (!eq || eq == rule || (size_t) (eq - rule) >= sizeof name
        || strlen(eq + 1) >= sizeof up->value || !eq[1]) {
        return l2mt_xasprintf("bad rule '%s' (FIELD=VALUE)", rule);
    }
    memcpy(name, rule, eq - rule);
    name[eq - rule] = '\0';
    strcpy(up->value, eq + 1);

    if (!strcmp(name, "agg")) {
        up->rule = FLOWD_IPFIX_RULE_AGG;
        up->field = -1;
        return NULL;
    }
    if (!strcmp(name, "src_host") || !strcmp(name, "dst_host")) {
        char addr[64];
        const char *slash = strchr(up->value, '/');
        size_t n = slash ? (size_t) (slash - up->value) : strlen(up->value);
        long plen = -1;

        memcpy(addr, up->value, n);
        addr[n] = '\0';
        if (!flowd_parse_ip(addr, &up->net)) {
            return l2mt_xasprintf("bad address in rule '%s'", rule);
        }
        bool v4 = IN6_IS_ADDR_V4MAPPED(&up->net);
        plen = slash ? strtol(slash + 1, NULL, 10) : (v4 ? 32 : 128);
        if (plen < 0 || plen > (v4 ? 32 : 128)) {
            return l2mt_xasprintf("bad prefix length in rule '%s'", rule);
        }
        up->plen = v4 ? 96 + plen : plen;
        up->rule = FLOWD_IPFIX_RULE_CIDR;
        up->field = name[0] == 's' ? FLOWD_AGG_SRC_HOST : FLOWD_AGG_DST_HOST;
        return NULL;
    }
    static const struct {
        const char *name;
        enum flowd_agg_field field;
    } text_fields[] = {
        { "tenant", FLOWD_AGG_TENANT }, { "vlan", FLOWD_AGG_VLAN },
        { "class", FLOWD_AGG_CLASS }, { "scope", FLOWD_AGG_SCOPE },
        { "proto", FLOWD_AGG_PROTO },
    };
    for (size_t i = 0; i < sizeof text_fields / sizeof *text_fields; i++) {
        if (!strcmp(name, text_fields[i].name)) {
            up->rule = FLOWD_IPFIX_RULE_TEXT;
            up->field = text_fields[i].field;
            return NULL;
        }
    }
    return l2mt_xasprintf("unknown rule field '%s' (agg, tenant, vlan, "
                          "class, scope, proto, src_host, dst_host)", name);
}

char *
flowd_ipfix_add_upstream(struct flowd_ipfix_exporter *exp, const char *spec)
{
    char host[256], port[32];
    const char *comma = strchr(spec, ',');
    size_t n = comma ? (size_t) (comma - spec) : strlen(spec);

    if (exp->n >= FLOWD_IPFIX_MAX_UPSTREAMS) {
        return l2mt_xasprintf("more than %d IPFIX upstreams",
                              FLOWD_IPFIX_MAX_UPSTREAMS);
    }
    struct flowd_ipfix_upstream *up = &exp->ups[exp->n];
    memset(up, 0, sizeof *up);
    snprintf(up->spec, sizeof up->spec, "%s", spec);
    if (comma) {
        char *error = parse_rule(up, comma + 1);
        if (error) {
            return error;
        }
    }

    /* HOST:PORT or [V6]:PORT. */
    const char *colon = NULL;
    const char *h = spec;
    size_t hlen = 0;
    if (spec[0] == '[') {
        const char *close = memchr(spec, ']', n);
        if (close && close + 1 < spec + n && close[1] == ':') {
            h = spec + 1;
            hlen = close - h;
            colon = close + 1;
        }
    } else {
        for (size_t i = n; i-- > 0; ) {
            if (spec[i] == ':') {
                colon = spec + i;
                break;
            }
        }
        hlen = colon ? (size_t) (colon - spec) : 0;
    }
    if (!colon || !hlen || hlen >= sizeof host
        || (size_t) (spec + n - colon - 1) >= sizeof port
        || spec + n == colon + 1) {
        return l2mt_xasprintf("bad IPFIX upstream '%s' (HOST:PORT)", spec);
    }
    memcpy(host, h, hlen);
    host[hlen] = '\0';
    memcpy(port, colon + 1, spec + n - colon - 1);
    port[spec + n - colon - 1] = '\0';

    struct addrinfo hints = { .ai_socktype = SOCK_DGRAM }, *ai;
    int error = getaddrinfo(host, port, &hints, &ai);
    if (error) {
        return l2mt_xasprintf("%s: %s", spec, gai_strerror(error));
    }
    up->fd = socket(ai->ai_family, SOCK_DGRAM, 0);
    if (up->fd < 0 || connect(up->fd, ai->ai_addr, ai->ai_addrlen)) {
        char *msg = l2mt_xasprintf("%s: %s", spec, strerror(errno));
        if (up->fd >= 0) {
            close(up->fd);
        }
        freeaddrinfo(ai);
        return msg;
    }
    memcpy(&up->addr, ai->ai_addr, ai->ai_addrlen);
    up->addr_len = ai->ai_addrlen;
    freeaddrinfo(ai);
    exp->n++;
    return NULL;
}

void
flowd_ipfix_close(struct flowd_ipfix_exporter *exp)
{
    for (size_t i = 0; i < exp->n; i++) {
        close(exp->ups[i].fd);
    }
    exp->n = 0;
}
