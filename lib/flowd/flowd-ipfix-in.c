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

#define _GNU_SOURCE 1           /* accept4() */
#include <config.h>
#include "flowd/flowd-ipfix-in.h"

#include <errno.h>
#include <fixbuf/public.h>
#include <inttypes.h>
#include <netinet/in.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "flowd/flow-agg.h"
#include "flowd/flowd-core.h"
#include "flowd/flowd-topo.h"
#include "flowd/ipfix.h"
#include "l2mt-conf-util.h"

static const char *const error_names[FLOWD_IPFIX_IN_N_ERRORS] = {
    [FLOWD_IPFIX_IN_SHORT_MESSAGE] = "short_message",
    [FLOWD_IPFIX_IN_BAD_VERSION] = "bad_version",
    [FLOWD_IPFIX_IN_BAD_LENGTH] = "bad_length",
    [FLOWD_IPFIX_IN_SET_TRUNCATED] = "set_truncated",
    [FLOWD_IPFIX_IN_BAD_SET_ID] = "bad_set_id",
    [FLOWD_IPFIX_IN_BAD_TEMPLATE] = "bad_template",
    [FLOWD_IPFIX_IN_NO_TEMPLATE] = "no_template",
    [FLOWD_IPFIX_IN_DECODE] = "decode",
    [FLOWD_IPFIX_IN_TEMPLATE_TOO_LARGE] = "template_too_large",
    [FLOWD_IPFIX_IN_UNMATCHED_AGGREGATE] = "unmatched_aggregate",
    [FLOWD_IPFIX_IN_TOO_MANY_DOMAINS] = "too_many_domains",
    [FLOWD_IPFIX_IN_UNKNOWN_ELEMENTS] = "too_many_unknown_elements",
};

const char *
flowd_ipfix_in_error_name(enum flowd_ipfix_in_error e)
{
    return e < FLOWD_IPFIX_IN_N_ERRORS ? error_names[e] : "?";
}

/* The internal template: every element this collector uses, laid out
 * without holes (libfixbuf packs the internal record as the spec says). */
struct fipx_rec {
    fbVarfield_t tenant_name;
    uint64_t octets, packets, l2_octets, orig_flows;
    uint64_t start_ms, end_ms, l2_segment;
    uint32_t start_s, end_s, src4, dst4, exporter4, in_if, out_if;
    uint8_t pad4[4];
    uint8_t src6[16], dst6[16], exporter6[16];
    uint16_t vlan, dot1q_vlan, src_port, dst_port;
    uint8_t src_mac[6], dst_mac[6];
    uint8_t proto, src4_plen, dst4_plen, src6_plen, dst6_plen, class, scope;
    uint8_t direction;
    uint8_t pad4b[4];
};

_Static_assert(sizeof(struct fipx_rec) == 184, "fipx_rec has holes");

static fbInfoElementSpec_t rec_spec[] = {
    { "l2mtTenantName", 0, 0 },
    { "octetDeltaCount", 8, 0 },
    { "packetDeltaCount", 8, 0 },
    { "layer2OctetDeltaCount", 8, 0 },
    { "originalFlowsPresent", 8, 0 },
    { "flowStartMilliseconds", 8, 0 },
    { "flowEndMilliseconds", 8, 0 },
    { "layer2SegmentId", 8, 0 },
    { "flowStartSeconds", 4, 0 },
    { "flowEndSeconds", 4, 0 },
    { "sourceIPv4Address", 4, 0 },
    { "destinationIPv4Address", 4, 0 },
    { "exporterIPv4Address", 4, 0 },
    { "ingressInterface", 4, 0 },
    { "egressInterface", 4, 0 },
    { "paddingOctets", 4, 0 },
    { "sourceIPv6Address", 16, 0 },
    { "destinationIPv6Address", 16, 0 },
    { "exporterIPv6Address", 16, 0 },
    { "vlanId", 2, 0 },
    { "dot1qVlanId", 2, 0 },
    { "sourceTransportPort", 2, 0 },
    { "destinationTransportPort", 2, 0 },
    { "sourceMacAddress", 6, 0 },
    { "destinationMacAddress", 6, 0 },
    { "protocolIdentifier", 1, 0 },
    { "sourceIPv4PrefixLength", 1, 0 },
    { "destinationIPv4PrefixLength", 1, 0 },
    { "sourceIPv6PrefixLength", 1, 0 },
    { "destinationIPv6PrefixLength", 1, 0 },
    { "l2mtLocalityClass", 1, 0 },
    { "l2mtScope", 1, 0 },
    { "flowDirection", 1, 0 },
    { "paddingOctets", 4, 0 },
    FB_IESPEC_NULL
};

/* What only flowd exports (enterprise FLOWD_IPFIX_PEN), for libfixbuf's model.
 */
static fbInfoElement_t l2mt_ies[] = {
    FB_IE_INIT_FULL("l2mtLocalityClass", FLOWD_IPFIX_PEN, 1, 1,
                    FB_IE_IDENTIFIER, 0, 0, FB_UINT_8, NULL),
    FB_IE_INIT_FULL("l2mtScope", FLOWD_IPFIX_PEN, 2, 1,
                    FB_IE_IDENTIFIER, 0, 0, FB_UINT_8, NULL),
    FB_IE_INIT_FULL("l2mtTenantName", FLOWD_IPFIX_PEN, 3, FB_IE_VARLEN,
                    FB_IE_DEFAULT, 0, 0, FB_STRING, NULL),
    FB_IE_NULL
};

#define INTERNAL_TID 0x1000

/* Which elements a template carries. */
enum {
    HAS_SRC4 = 1 << 0, HAS_DST4 = 1 << 1, HAS_SRC6 = 1 << 2,
    HAS_DST6 = 1 << 3, HAS_SRC_MAC = 1 << 4, HAS_DST_MAC = 1 << 5,
    HAS_VLAN = 1 << 6, HAS_DOT1Q = 1 << 7, HAS_PORTS = 1 << 8,
    HAS_IN_IF = 1 << 9, HAS_EXPORTER4 = 1 << 10, HAS_EXPORTER6 = 1 << 11,
    HAS_L2_OCTETS = 1 << 12, HAS_START_MS = 1 << 13, HAS_START_S = 1 << 14,
    HAS_CLASS = 1 << 15, HAS_SCOPE = 1 << 16, HAS_DIRECTION = 1 << 17,
};

/* The elements behind the HAS_* bits, by (enterprise, ID): a template is
 * read once, element by element, instead of being searched by name for
 * each (which cost more than the rest of the template's handling). */
static const struct {
    uint32_t ent;
    uint16_t num;
    uint32_t bit;
} has_ies[] = {
    { 0, 8, HAS_SRC4 },         /* sourceIPv4Address */
    { 0, 12, HAS_DST4 },        /* destinationIPv4Address */
    { 0, 27, HAS_SRC6 },        /* sourceIPv6Address */
    { 0, 28, HAS_DST6 },        /* destinationIPv6Address */
    { 0, 56, HAS_SRC_MAC },     /* sourceMacAddress */
    { 0, 80, HAS_DST_MAC },     /* destinationMacAddress */
    { 0, 58, HAS_VLAN },        /* vlanId */
    { 0, 243, HAS_DOT1Q },      /* dot1qVlanId */
    { 0, 7, HAS_PORTS },        /* sourceTransportPort */
    { 0, 10, HAS_IN_IF },       /* ingressInterface */
    { 0, 130, HAS_EXPORTER4 },  /* exporterIPv4Address */
    { 0, 131, HAS_EXPORTER6 },  /* exporterIPv6Address */
    { 0, 352, HAS_L2_OCTETS },  /* layer2OctetDeltaCount */
    { 0, 152, HAS_START_MS },   /* flowStartMilliseconds */
    { 0, 150, HAS_START_S },    /* flowStartSeconds */
    { FLOWD_IPFIX_PEN, 1, HAS_CLASS },        /* l2mtLocalityClass */
    { FLOWD_IPFIX_PEN, 2, HAS_SCOPE },        /* l2mtScope */
    { 0, 61, HAS_DIRECTION },   /* flowDirection */
};

#define IE_ORIGINAL_FLOWS_PRESENT 375

struct fipx_source;

/* What this collector knows of one external template (libfixbuf's
 * template context). */
struct fipx_tmpl {
    struct fipx_source *src;
    struct fipx_tmpl *prev, *next;  /* Source's list, least recent first. */
    uint64_t seen_ms;
    uint32_t domain;
    uint16_t tid;
    bool linked;                /* In the list: still in the session. */
    bool options;
    bool aggregate;             /* Carries originalFlowsPresent. */
    bool too_large;
    uint32_t agg_mask;          /* Local aggregations taking its records. */
    uint32_t has;               /* HAS_*. */
};

struct fipx_seq {
    uint32_t domain;
    uint32_t next;              /* Expected sequence number. */
    bool valid;
};

struct fipx_source {
    struct flowd_ipfix_in_collector *c;
    struct sockaddr_storage addr;
    socklen_t addr_len;
    int fd;                     /* TCP connection, -1 for UDP. */
    fBuf_t *fbuf;               /* Owns the session. */
    fbSession_t *session;
    uint64_t last_ms;
    struct fipx_tmpl *head, *tail;
    uint32_t n_tmpl;
    /* The observation domains taken, each with its sequence state:
     * libfixbuf keeps a template table for each domain a session has seen
     * until the session is freed. */
    struct fipx_seq seqs[FLOWD_IPFIX_IN_MAX_DOMAINS];
    size_t n_seqs;
    bool had_templates;         /* The last message had template sets. */
    uint8_t *buf;               /* TCP: bytes of an incomplete message. */
    size_t len;
};

struct flowd_ipfix_in_collector {
    struct flowd_core *core;
    struct flowd_ipfix_in_config cfg;
    fbInfoModel_t *model;
    guint model_base;           /* Elements of the model we made. */
    /* The internal template, built once and shared by every source's
     * session (libfixbuf counts its references): building it from
     * rec_spec per source cost more than the rest of a new source. */
    fbTemplate_t *rec_tmpl;
    fbSession_t *rec_holder;    /* Holds a reference while no source does. */
    struct fipx_source **srcs;
    size_t n_srcs;
    /* source_free(). */
    struct fipx_source *spare[FLOWD_IPFIX_IN_SPARE_SOURCES];
    size_t n_spare;
    uint64_t now_ms;
    struct flowd_ipfix_in_stats stats;
    /* A UDP message, copied: libfixbuf reads from a buffer it may write
     * to.  Here rather than on the stack of each call (a 64 kB frame that
     * AddressSanitizer poisons and unpoisons for every datagram). */
    uint8_t msg[65536];
};

static uint16_t
get16(const uint8_t *p)
{
    return p[0] << 8 | p[1];
}

static uint32_t
get32(const uint8_t *p)
{
    return (uint32_t) get16(p) << 16 | get16(p + 2);
}

/* Where messages go: the daemon's log, or nowhere (tests, fuzzers). */
static flowd_ipfix_in_log_func *log_hook;

void
flowd_ipfix_in_set_log(flowd_ipfix_in_log_func *hook)
{
    log_hook = hook;
}

static void
fipx_log(bool error, const char *fmt, ...)
{
    if (log_hook) {
        char msg[512];
        va_list args;

        va_start(args, fmt);
        vsnprintf(msg, sizeof msg, fmt, args);
        va_end(args);
        log_hook(error, msg);
    }
}

/* libfixbuf reports through GLib's log; its messages go to ours, quietly. */
static void
glib_log(const gchar *domain, GLogLevelFlags level, const gchar *msg,
         gpointer aux)
{
    (void) aux;
    fipx_log(level & (G_LOG_LEVEL_ERROR | G_LOG_LEVEL_CRITICAL),
             "%s: %s", domain ? domain : "glib", msg);
}

static void
tmpl_unlink(struct fipx_tmpl *t)
{
    struct fipx_source *s = t->src;

    if (t->prev) {
        t->prev->next = t->next;
    } else {
        s->head = t->next;
    }
    if (t->next) {
        t->next->prev = t->prev;
    } else {
        s->tail = t->prev;
    }
    t->prev = t->next = NULL;
    t->linked = false;
    s->n_tmpl--;
}

static void
tmpl_append(struct fipx_tmpl *t)
{
    struct fipx_source *s = t->src;

    t->prev = s->tail;
    t->next = NULL;
    if (s->tail) {
        s->tail->next = t;
    } else {
        s->head = t;
    }
    s->tail = t;
    s->n_tmpl++;
    t->linked = true;
}

/* libfixbuf frees a template (and calls this) once nothing holds it any
 * more, which may be after it left the session. */
static void
tmpl_free(void *t_, void *app)
{
    struct fipx_tmpl *t = t_;

    (void) app;
    if (t->linked) {
        tmpl_unlink(t);
    }
    free(t);
}

static int
cmp_ie(const void *a_, const void *b_)
{
    const uint32_t *a = a_, *b = b_;

    return *a < *b ? -1 : *a > *b;
}

/* Sorted (enterprise, id) codes of 'n' elements. */
static void
sort_codes(uint32_t *codes, size_t n)
{
    qsort(codes, n, sizeof *codes, cmp_ie);
}

/* Which local aggregations take the records of aggregate template 't':
 * those whose own template has exactly its key elements. */
static uint32_t
match_aggs(const struct flowd_agg *agg, fbTemplate_t *t)
{
    uint32_t got[FLOWD_IPFIX_IN_MAX_TEMPLATE_IES];
    size_t n_got = 0;
    uint32_t mask = 0;

    for (uint32_t i = 0; i < fbTemplateCountElements(t); i++) {
        const fbInfoElement_t *ie = fbTemplateGetIndexedIE(t, i);
        if (!ie->ent && (ie->num == 1 || ie->num == 2 || ie->num == 150
                         || ie->num == 151 || ie->num == 152
                         || ie->num == 153 || ie->num == 375)) {
            continue;           /* Counters and times. */
        }
        got[n_got++] = (ie->ent == FLOWD_IPFIX_PEN ? 0x10000 : 0) | ie->num;
    }
    sort_codes(got, n_got);
    for (size_t a = 0; a < agg->n; a++) {
        for (int v = 0; v < FLOWD_IPFIX_N_VARIANTS; v++) {
            struct flowd_ipfix_ie ies[FLOWD_IPFIX_MAX_IES];
            uint32_t want[FLOWD_IPFIX_MAX_IES];
            int n = flowd_ipfix_key_ies(&agg->defs[a], v, ies);

            for (int i = 0; i < n; i++) {
                want[i] = (ies[i].enterprise ? 0x10000 : 0) | ies[i].id;
            }
            sort_codes(want, n);
            if ((size_t) n == n_got && !memcmp(want, got, n * sizeof *got)) {
                mask |= 1u << a;
                break;
            }
        }
    }
    return mask;
}

static void
new_template(fbSession_t *session, uint16_t tid, fbTemplate_t *tmpl,
             void *app, void **ctx, fbTemplateCtxFree_fn *free_fn)
{
    struct fipx_source *s = app;
    struct fipx_tmpl *t = calloc(1, sizeof *t);

    if (!t) {
        return;
    }
    t->src = s;
    t->seen_ms = s->c->now_ms;
    t->domain = fbSessionGetDomain(session);
    t->tid = tid;
    t->options = fbTemplateGetOptionsScope(tmpl) > 0;
    if (fbTemplateCountElements(tmpl) > FLOWD_IPFIX_IN_MAX_TEMPLATE_IES) {
        t->too_large = true;
        s->c->stats.errors[FLOWD_IPFIX_IN_TEMPLATE_TOO_LARGE]++;
    } else if (!t->options) {
        uint32_t n = fbTemplateCountElements(tmpl);
        for (uint32_t i = 0; i < n; i++) {
            const fbInfoElement_t *ie = fbTemplateGetIndexedIE(tmpl, i);
            if (!ie->ent && ie->num == IE_ORIGINAL_FLOWS_PRESENT) {
                t->aggregate = true;
            }
            for (size_t k = 0; k < sizeof has_ies / sizeof *has_ies; k++) {
                if (ie->num == has_ies[k].num && ie->ent == has_ies[k].ent) {
                    t->has |= has_ies[k].bit;
                }
            }
        }
        if (t->aggregate) {
            t->agg_mask = match_aggs(&s->c->core->agg, tmpl);
        }
    }
    tmpl_append(t);
    *ctx = t;
    *free_fn = tmpl_free;
}

/* Removes template 't' from its session; libfixbuf frees 't' then or
 * later (tmpl_free()). */
static void
tmpl_remove(struct fipx_tmpl *t)
{
    struct fipx_source *s = t->src;
    GError *err = NULL;

    tmpl_unlink(t);
    fbSessionSetDomain(s->session, t->domain);
    if (!fbSessionRemoveTemplate(s->session, FALSE, t->tid, &err)) {
        g_clear_error(&err);
    }
}

/* Forgets the templates that left the session (withdrawn, or replaced by
 * a new definition of their ID). */
static void
tmpl_prune(struct fipx_source *s)
{
    for (struct fipx_tmpl *t = s->head, *next; t; t = next) {
        next = t->next;
        fbSessionSetDomain(s->session, t->domain);
        fbTemplate_t *ft = fbSessionGetTemplate(s->session, FALSE, t->tid,
                                                NULL);
        if (!ft || fbTemplateGetContext(ft) != t) {
            tmpl_unlink(t);
        }
    }
}

/* Retires source 'i'.  Its session and buffer are kept for a next source while
 * there are fewer than FLOWD_IPFIX_IN_SPARE_SOURCES spares: a new libfixbuf
 * buffer is 64 kB zeroed, most of what a new exporter costs.  A spare keeps
 * nothing of its source: fbSessionResetExternal() releases every external
 * template (tmpl_free() takes ours out of the list) with its transcoding plan,
 * every domain and sequence number. */
static void
source_free(struct flowd_ipfix_in_collector *c, size_t i)
{
    struct fipx_source *s = c->srcs[i];

    if (s->fd >= 0) {
        close(s->fd);
    }
    free(s->buf);
    s->buf = NULL;
    c->srcs[i] = c->srcs[--c->n_srcs];
    if (c->n_spare < FLOWD_IPFIX_IN_SPARE_SOURCES) {
        fbSessionResetExternal(s->session);
        while (s->head) {
            tmpl_unlink(s->head);   /* Still held by libfixbuf: not ours. */
        }
        c->spare[c->n_spare++] = s;
    } else {
        fBufFree(s->fbuf);      /* Frees the session and its templates. */
        free(s);
    }
}

/* A source with a fresh session and buffer, or NULL. */
static struct fipx_source *
source_alloc(struct flowd_ipfix_in_collector *c)
{
    struct fipx_source *s;
    GError *err = NULL;

    if (c->n_spare) {
        s = c->spare[--c->n_spare];
        fBuf_t *fbuf = s->fbuf;
        fbSession_t *session = s->session;

        memset(s, 0, sizeof *s);
        s->fbuf = fbuf;
        s->session = session;
        return s;
    }
    s = calloc(1, sizeof *s);
    if (!s) {
        return NULL;
    }
    s->session = fbSessionAlloc(c->model);
    if (!fbSessionAddTemplate(s->session, TRUE, INTERNAL_TID, c->rec_tmpl,
                              &err)) {
        fipx_log(true, "internal template: %s", err->message);
        g_clear_error(&err);
        fbSessionFree(s->session);
        free(s);
        return NULL;
    }
    /* The callback's context is the source: a spare keeps it. */
    fbSessionAddNewTemplateCallback(s->session, new_template, s);
    s->fbuf = fBufAllocForCollection(s->session, NULL);
    fBufSetAutomaticMode(s->fbuf, FALSE);
    if (!fBufSetInternalTemplate(s->fbuf, INTERNAL_TID, &err)) {
        fipx_log(true, "internal template: %s", err->message);
        g_clear_error(&err);
        fBufFree(s->fbuf);
        free(s);
        return NULL;
    }
    return s;
}

static struct fipx_source *
source_new(struct flowd_ipfix_in_collector *c, const struct sockaddr *addr,
           socklen_t addr_len, int fd)
{
    struct fipx_source *s = source_alloc(c);

    if (!s) {
        return NULL;
    }
    s->c = c;
    memcpy(&s->addr, addr, addr_len < sizeof s->addr ? addr_len
                                                     : sizeof s->addr);
    s->addr_len = addr_len;
    s->fd = fd;
    s->last_ms = c->now_ms;
    c->srcs[c->n_srcs++] = s;
    return s;
}

struct flowd_ipfix_in_collector *
flowd_ipfix_in_create(struct flowd_core *core,
                      const struct flowd_ipfix_in_config *cfg,
                      char **errp)
{
    struct flowd_ipfix_in_collector *c = calloc(1, sizeof *c);

    *errp = NULL;
    if (!c || !cfg->max_sources || !cfg->max_templates) {
        *errp = l2mt_xstrdup(c ? "bad IPFIX limits" : "out of memory");
        free(c);
        return NULL;
    }
    g_log_set_default_handler(glib_log, NULL);
    c->core = core;
    c->cfg = *cfg;
    c->model = fbInfoModelAlloc();
    fbInfoModelAddElementArray(c->model, l2mt_ies);
    c->model_base = fbInfoModelCountElements(c->model);
    c->rec_holder = fbSessionAlloc(c->model);
    c->rec_tmpl = fbTemplateAlloc(c->model);
    GError *gerr = NULL;
    if (!fbTemplateAppendSpecArray(c->rec_tmpl, rec_spec, UINT32_MAX, &gerr)
        || !fbSessionAddTemplate(c->rec_holder, TRUE, INTERNAL_TID,
                                 c->rec_tmpl, &gerr)) {
        *errp = l2mt_xasprintf("internal template: %s", gerr->message);
        g_clear_error(&gerr);
        fbTemplateFreeUnused(c->rec_tmpl);
        c->rec_tmpl = NULL;
        flowd_ipfix_in_destroy(c);
        return NULL;
    }
    c->srcs = calloc(cfg->max_sources, sizeof *c->srcs);
    if (!c->srcs) {
        *errp = l2mt_xstrdup("out of memory");
        flowd_ipfix_in_destroy(c);
        return NULL;
    }
    return c;
}

void
flowd_ipfix_in_destroy(struct flowd_ipfix_in_collector *c)
{
    if (!c) {
        return;
    }
    while (c->n_srcs) {
        source_free(c, c->n_srcs - 1);
    }
    while (c->n_spare) {
        struct fipx_source *s = c->spare[--c->n_spare];
        fBufFree(s->fbuf);
        free(s);
    }
    free(c->srcs);
    if (c->rec_holder) {
        fbSessionFree(c->rec_holder);   /* And the internal template. */
    }
    if (c->model) {
        fbInfoModelFree(c->model);
    }
    free(c);
}

static struct flowd_ipfix_in_domain_stats *
domain_stats(struct flowd_ipfix_in_collector *c, uint32_t domain)
{
    struct flowd_ipfix_in_stats *st = &c->stats;

    for (size_t i = 0; i < st->n_domains; i++) {
        if (st->domains[i].domain == domain) {
            return &st->domains[i];
        }
    }
    if (st->n_domains < FLOWD_IPFIX_IN_DOMAIN_STATS) {
        st->domains[st->n_domains].domain = domain;
        return &st->domains[st->n_domains++];
    }
    return &st->other;
}

/* The sequence state of observation domain 'domain' of 's': a known one, or a
 * new one while under FLOWD_IPFIX_IN_MAX_DOMAINS, else NULL.  libfixbuf never
 * frees the template table it makes for each domain a session sees, so a
 * source cycling through domain IDs would grow the heap without bound; its new
 * domains are refused instead until the source itself expires. */
static struct fipx_seq *
domain_take(struct fipx_source *s, uint32_t domain)
{
    for (size_t i = 0; i < s->n_seqs; i++) {
        if (s->seqs[i].domain == domain) {
            return &s->seqs[i];
        }
    }
    if (s->n_seqs >= FLOWD_IPFIX_IN_MAX_DOMAINS) {
        return NULL;
    }
    struct fipx_seq *q = &s->seqs[s->n_seqs++];
    memset(q, 0, sizeof *q);
    q->domain = domain;
    return q;
}

/* Template IDs a message defines or withdraws. */
#define MAX_DEFINED 512

struct msg_check {
    uint16_t defined[MAX_DEFINED];
    size_t n_defined;
    uint16_t withdrawn[MAX_DEFINED];    /* 2 or 3: all (options) ones. */
    size_t n_withdrawn;
    bool missing_template;      /* A data set comes before its template. */
};

/* Checks the framing of message 'm' (its header length already matches
 * what was received), notes the template IDs it defines, and takes its
 * template withdrawals out of it (libfixbuf 2.4 would read a withdrawal
 * as an empty template, whose records take no bytes: a data set for it
 * would never end).  Returns -1 if the message is fine. */
static int
check_message(struct fipx_source *s, uint8_t *m, size_t *lenp,
              struct msg_check *mc)
{
    size_t len = *lenp;
    /* Unknown elements this message names (counted as new even if named
     * twice), and how many more the model may take. */
    size_t unknown = 0;
    size_t added = flowd_ipfix_in_n_unknown_elements(s->c);
    size_t unknown_room = (added < FLOWD_IPFIX_IN_MAX_UNKNOWN_IES
                           ? FLOWD_IPFIX_IN_MAX_UNKNOWN_IES - added : 0);

    mc->n_defined = mc->n_withdrawn = 0;
    mc->missing_template = false;
    s->had_templates = false;
    fbSessionSetDomain(s->session, get32(m + 12));
    for (size_t off = 16; off < len; ) {
        if (len - off < 4) {
            return FLOWD_IPFIX_IN_SET_TRUNCATED;
        }
        uint16_t id = get16(m + off), slen = get16(m + off + 2);
        if (slen < 4 || slen > len - off) {
            return FLOWD_IPFIX_IN_SET_TRUNCATED;
        }
        if (id == 2 || id == 3) {
            /* Template records: ID, field count, [scope count,] fields. */
            const uint8_t *p = m + off + 4, *end = m + off + slen;
            bool withdrawals = false;

            s->had_templates = true;
            while (end - p >= 4) {
                uint16_t tid = get16(p), n = get16(p + 2);
                uint32_t bytes = 0;
                uint16_t i;

                p += 4;
                if (n == 0) {
                    s->c->stats.templates_withdrawn++;
                    withdrawals = true;
                    if (mc->n_withdrawn < MAX_DEFINED) {
                        mc->withdrawn[mc->n_withdrawn++] = tid;
                    }
                    continue;
                }
                if (withdrawals || tid < 256) {
                    return FLOWD_IPFIX_IN_BAD_TEMPLATE;
                }
                if (id == 3) {
                    if (end - p < 2 || get16(p) == 0 || get16(p) > n) {
                        return FLOWD_IPFIX_IN_BAD_TEMPLATE; /* Scope count. */
                    }
                    p += 2;
                }
                for (i = 0; i < n && end - p >= 4; i++) {
                    uint16_t flen = get16(p + 2);
                    if (!flen) {
                        /* Zero-length field. */
                        return FLOWD_IPFIX_IN_BAD_TEMPLATE;
                    }
                    /* A known fixed-size element sent as variable-length
                     * or longer than its type: libfixbuf 2.4 has been seen
                     * to crash on such templates (fuzzing). */
                    bool ent = get16(p) & 0x8000;
                    if (!ent || end - p >= 8) {
                        const fbInfoElement_t *ie = fbInfoModelGetElementByID(
                            s->c->model, get16(p) & 0x7fff,
                            ent ? get32(p + 4) : 0);
                        if (ie && !(ie->flags & FB_IE_F_ALIEN)
                            && ie->len != FB_IE_VARLEN && flen > ie->len) {
                            return FLOWD_IPFIX_IN_BAD_TEMPLATE;
                        }
                        /* libfixbuf adds every element its model does not
                         * know to the model, for good: an exporter making
                         * up new ones would grow the heap without bound. */
                        if (!ie && ++unknown > unknown_room) {
                            return FLOWD_IPFIX_IN_UNKNOWN_ELEMENTS;
                        }
                    }
                    bytes += flen == 65535 ? 1 : flen;
                    p += get16(p) & 0x8000 ? 8 : 4;
                }
                /* Truncated, or records that cannot fit in a message. */
                if (i < n || p > end || bytes > 65535 - 20) {
                    return FLOWD_IPFIX_IN_BAD_TEMPLATE;
                }
                /* An ID defined twice in one message: libfixbuf 2.4 may
                 * go on reading the second one's data with the first,
                 * freed, definition. */
                for (size_t k = 0; k < mc->n_defined; k++) {
                    if (mc->defined[k] == tid) {
                        return FLOWD_IPFIX_IN_BAD_TEMPLATE;
                    }
                }
                if (mc->n_defined >= MAX_DEFINED) {
                    return FLOWD_IPFIX_IN_BAD_TEMPLATE;
                }
                mc->defined[mc->n_defined++] = tid;
            }
            if (withdrawals) {
                memmove(m + off, m + off + slen, len - off - slen);
                len -= slen;
                continue;
            }
        } else if (id < 256) {
            return FLOWD_IPFIX_IN_BAD_SET_ID;
        } else {
            bool known = fbSessionGetTemplate(s->session, FALSE, id, NULL);
            for (size_t i = 0; !known && i < mc->n_defined; i++) {
                known = mc->defined[i] == id;
            }
            if (!known) {
                mc->missing_template = true;
            }
        }
        off += slen;
    }
    m[2] = len >> 8;
    m[3] = len;
    *lenp = len;
    return -1;
}

/* Applies the withdrawals of a message of domain 'domain'. */
static void
withdraw(struct fipx_source *s, uint32_t domain, const struct msg_check *mc)
{
    for (size_t w = 0; w < mc->n_withdrawn; w++) {
        uint16_t tid = mc->withdrawn[w];

        for (struct fipx_tmpl *t = s->head, *next; t; t = next) {
            next = t->next;
            if (t->domain == domain
                && (t->tid == tid || (tid == 2 && !t->options)
                    || (tid == 3 && t->options))) {
                tmpl_remove(t);
            }
        }
    }
}

/* The tenant of an aggregate record in the local topology. */
static uint16_t
record_tenant(const struct flowd_topo *topo, const struct fipx_rec *r)
{
    if (!topo) {
        return FLOWD_TOPO_NONE;
    }
    if (r->l2_segment) {
        for (size_t i = 0; i < topo->n_tenants; i++) {
            if (topo->tenants[i].key == r->l2_segment) {
                return i;
            }
        }
    }
    if (r->tenant_name.len && r->tenant_name.len < FLOWD_TOPO_NAME_LEN) {
        char name[FLOWD_TOPO_NAME_LEN];
        memcpy(name, r->tenant_name.buf, r->tenant_name.len);
        name[r->tenant_name.len] = '\0';
        int t = flowd_topo_find_tenant(topo, name);
        if (t >= 0) {
            return t;
        }
    }
    return FLOWD_TOPO_NONE;
}

static void
v4_mapped(struct in6_addr *a, uint32_t v4)
{
    memset(a, 0, sizeof *a);
    a->s6_addr[10] = a->s6_addr[11] = 0xff;
    a->s6_addr[12] = v4 >> 24;
    a->s6_addr[13] = v4 >> 16;
    a->s6_addr[14] = v4 >> 8;
    a->s6_addr[15] = v4;
}

static void
source_agent(const struct fipx_source *s, struct in6_addr *a)
{
    if (s->addr.ss_family == AF_INET) {
        const struct sockaddr_in *sin = (const void *) &s->addr;
        v4_mapped(a, ntohl(sin->sin_addr.s_addr));
    } else if (s->addr.ss_family == AF_INET6) {
        *a = ((const struct sockaddr_in6 *) (const void *) &s->addr)
             ->sin6_addr;
    } else {
        memset(a, 0, sizeof *a);
    }
}

static void
record_times(const struct fipx_tmpl *t, const struct fipx_rec *r,
             uint64_t now, uint64_t *first, uint64_t *last)
{
    if (t->has & HAS_START_MS && r->start_ms && r->end_ms >= r->start_ms) {
        *first = r->start_ms;
        *last = r->end_ms;
    } else if (t->has & HAS_START_S && r->start_s && r->end_s >= r->start_s) {
        *first = r->start_s * 1000ULL;
        *last = r->end_s * 1000ULL;
    } else {
        *first = *last = now;
    }
}

/* An aggregate from a lower tier: summed as it is into the aggregations
 * with the same keys. */
static void
take_aggregate(struct flowd_ipfix_in_collector *c, const struct fipx_tmpl *t,
               const struct fipx_rec *r)
{
    struct flowd_agg *agg = &c->core->agg;
    struct flowd_rec rec;
    struct flowd_agg_val val = {
        .bytes = r->octets, .packets = r->packets,
        .samples = r->orig_flows ? r->orig_flows : 1,
    };
    uint8_t key[256];

    c->stats.aggregate_records++;
    if (!t->agg_mask) {
        c->stats.errors[FLOWD_IPFIX_IN_UNMATCHED_AGGREGATE]++;
        return;
    }
    record_times(t, r, c->now_ms, &val.first_ms, &val.last_ms);
    memset(&rec, 0, sizeof rec);
    if (t->has & (HAS_SRC6 | HAS_DST6)) {
        memcpy(&rec.src_ip, r->src6, 16);
        memcpy(&rec.dst_ip, r->dst6, 16);
        rec.ip_version = 6;
    } else {
        v4_mapped(&rec.src_ip, r->src4);
        v4_mapped(&rec.dst_ip, r->dst4);
        rec.ip_version = 4;
    }
    rec.src_port = r->src_port;
    rec.dst_port = r->dst_port;
    rec.proto = r->proto;
    memcpy(rec.src_mac, r->src_mac, 6);
    memcpy(rec.dst_mac, r->dst_mac, 6);
    rec.vlan = r->vlan & 0xfff;
    rec.class = r->class < FLOWD_N_CLASSES ? r->class : FLOWD_UNKNOWN;
    rec.intra = r->scope != 0;
    if (t->has & HAS_EXPORTER6) {
        memcpy(&rec.agent, r->exporter6, 16);
    } else {
        v4_mapped(&rec.agent, r->exporter4);
    }
    rec.input = r->in_if;
    rec.src_tenant = rec.dst_tenant = record_tenant(c->core->loc.topo, r);

    for (size_t i = 0; i < agg->n; i++) {
        if (t->agg_mask & (1u << i)) {
            uint16_t plen = 0;
            for (int f = 0; f < agg->defs[i].n_fields; f++) {
                /* The lower tier's prefix lengths, not ours. */
                enum flowd_agg_field fld = agg->defs[i].fields[f];
                if (fld == FLOWD_AGG_SRC_PREFIX
                    || fld == FLOWD_AGG_DST_PREFIX) {
                    plen = 1;
                }
            }
            flowd_agg_key(agg, &agg->defs[i], &rec, key);
            if (plen) {
                uint8_t *p = key;
                for (int f = 0; f < agg->defs[i].n_fields; f++) {
                    enum flowd_agg_field fld = agg->defs[i].fields[f];
                    if (fld == FLOWD_AGG_SRC_PREFIX
                        || fld == FLOWD_AGG_DST_PREFIX) {
                        bool src = fld == FLOWD_AGG_SRC_PREFIX;
                        bool v6 = rec.ip_version == 6;
                        uint8_t l = (v6 ? (src ? r->src6_plen : r->dst6_plen)
                                     : (src ? r->src4_plen : r->dst4_plen));
                        memcpy(p, src ? &rec.src_ip : &rec.dst_ip, 16);
                        p[16] = l;
                    }
                    p += flowd_agg_field_len(fld);
                }
            }
            flowd_agg_add_row(agg, i, key, &val);
        }
    }
}

/* A metering process's flow record (Open vSwitch's): classified like an
 * sFlow sample, its counts taken as they are. */
static void
take_flow(struct flowd_ipfix_in_collector *c, const struct fipx_source *s,
          const struct fipx_tmpl *t, const struct fipx_rec *r)
{
    struct flowd_core *core = c->core;
    struct flowd_sflow_flow f;
    struct in6_addr agent;
    struct flowd_rec rec;

    c->stats.flow_records++;
    memset(&f, 0, sizeof f);
    f.sampling_rate = 1;
    f.input = r->in_if;
    f.input_format = t->has & HAS_IN_IF ? 0 : 1;
    f.output = r->out_if;
    f.output_format = 1;
    if (t->has & (HAS_SRC_MAC | HAS_DST_MAC)) {
        f.pkt.layers |= FLOWD_SFLOW_L2;
        memcpy(f.pkt.src_mac, r->src_mac, 6);
        memcpy(f.pkt.dst_mac, r->dst_mac, 6);
    }
    f.pkt.vlan = (t->has & HAS_VLAN ? r->vlan : r->dot1q_vlan) & 0xfff;
    if (t->has & (HAS_SRC6 | HAS_DST6)) {
        f.pkt.layers |= FLOWD_SFLOW_L3;
        f.pkt.ip_version = 6;
        memcpy(&f.pkt.src_ip, r->src6, 16);
        memcpy(&f.pkt.dst_ip, r->dst6, 16);
    } else if (t->has & (HAS_SRC4 | HAS_DST4)) {
        f.pkt.layers |= FLOWD_SFLOW_L3;
        f.pkt.ip_version = 4;
        v4_mapped(&f.pkt.src_ip, r->src4);
        v4_mapped(&f.pkt.dst_ip, r->dst4);
    }
    if (f.pkt.ip_version) {
        f.pkt.ip_proto = r->proto;
        if (t->has & HAS_PORTS) {
            f.pkt.layers |= FLOWD_SFLOW_L4;
            f.pkt.src_port = r->src_port;
            f.pkt.dst_port = r->dst_port;
        }
    }
    if (t->has & HAS_EXPORTER6) {
        memcpy(&agent, r->exporter6, 16);
    } else if (t->has & HAS_EXPORTER4) {
        v4_mapped(&agent, r->exporter4);
    } else {
        source_agent(s, &agent);
    }

    struct flowd_locator *loc = core->shared_loc ? core->shared_loc
                                                 : &core->loc;
    if (core->loc_mutex) {
        pthread_mutex_lock(core->loc_mutex);
    }
    flowd_classify(loc, &agent, flowd_agent_host(loc, &agent), &f,
                   c->now_ms, &rec);
    if (core->loc_mutex) {
        pthread_mutex_unlock(core->loc_mutex);
    }
    /* Frames' bytes where the exporter counts them, else the IP bytes. */
    rec.bytes = t->has & HAS_L2_OCTETS ? r->l2_octets : r->octets;
    rec.packets = r->packets;
    rec.frame_length = r->packets ? (rec.bytes / r->packets > 0xffff
                                     ? 0xffff : rec.bytes / r->packets) : 0;
    /* Open vSwitch observes a packet where it enters the bridge and again
     * where it leaves: the egress record is a second observation, counted
     * only per port, like sFlow's transit copies. */
    if (t->has & HAS_DIRECTION && r->direction == 1) {
        rec.counted = 0;
        c->stats.egress_records++;
    }
    flowd_agg_add(&core->agg, &rec);
}

/* Processes one whole IPFIX message of source 's'; returns false if its
 * framing was bad. */
static bool
process_message(struct flowd_ipfix_in_collector *c, struct fipx_source *s,
                uint8_t *m, size_t len)
{
    struct flowd_ipfix_in_stats *st = &c->stats;
    struct msg_check mc;

    s->last_ms = c->now_ms;
    st->messages++;
    /* Before anything sets the session's domain (which makes its table). */
    struct fipx_seq *q = domain_take(s, get32(m + 12));
    if (!q) {
        st->errors[FLOWD_IPFIX_IN_TOO_MANY_DOMAINS]++;
        s->had_templates = false;
        return false;
    }
    int error = check_message(s, m, &len, &mc);
    if (error >= 0) {
        st->errors[error]++;
        return false;
    }
    bool missing = mc.missing_template;
    if (missing) {
        st->errors[FLOWD_IPFIX_IN_NO_TEMPLATE]++;
    }

    uint32_t domain = get32(m + 12), seq = get32(m + 8);
    uint64_t n_records = 0;
    bool failed = false;
    GError *err = NULL;

    /* libfixbuf 2.4 rewinds its read state only at the end of a message:
     * after a record it could not read (e.g. a varlen element sent with a
     * fixed length), the next fBufSetBuffer() would go on in the old
     * "current" set with the old external template, which may have been
     * freed since (expired, evicted): a crash in fBufNext().  Setting the
     * (null) collector rewinds the buffer, so every message starts clean. */
    fBufSetCollector(s->fbuf, NULL);
    fBufSetBuffer(s->fbuf, m, len);
    for (;;) {
        struct fipx_rec r;
        size_t rlen = sizeof r;
        uint16_t tid;

        fbTemplate_t *tmpl = fBufNextCollectionTemplate(s->fbuf, &tid, &err);
        if (tmpl) {
            memset(&r, 0, sizeof r);
            if (n_records >= len) {
                /* Every record takes a byte at least: libfixbuf is
                 * looping. */
                g_set_error(&err, FB_ERROR_DOMAIN, FB_ERROR_IPFIX,
                            "more records than bytes");
            } else if (fBufNext(s->fbuf, (uint8_t *) &r, &rlen, &err)) {
                struct fipx_tmpl *t = fbTemplateGetContext(tmpl);

                n_records++;
                st->records++;
                if (!t || t->too_large) {
                    continue;
                } else if (t->options) {
                    st->option_records++;
                } else if (t->aggregate) {
                    take_aggregate(c, t, &r);
                } else {
                    take_flow(c, s, t, &r);
                }
                continue;
            }
        }
        if (g_error_matches(err, FB_ERROR_DOMAIN, FB_ERROR_EOM)
            || g_error_matches(err, FB_ERROR_DOMAIN, FB_ERROR_BUFSZ)) {
            g_clear_error(&err);
            break;
        }
        st->errors[err && (err->code == FB_ERROR_TMPL
                           || err->code == FB_ERROR_IPFIX)
                   ? FLOWD_IPFIX_IN_BAD_TEMPLATE : FLOWD_IPFIX_IN_DECODE]++;
        fipx_log(false, "message skipped: %s", err ? err->message : "?");
        g_clear_error(&err);
        failed = true;
        break;
    }

    /* Sequence numbers count the data records sent in the domain
     * (RFC 7011 3.1); where records could not be read, start afresh. */
    struct flowd_ipfix_in_domain_stats *ds = domain_stats(c, domain);
    ds->messages++;
    ds->records += n_records;
    if (q->valid && seq != q->next) {
        uint32_t gap = seq - q->next;
        if (gap < 0x80000000u) {
            st->lost_records += gap;
            ds->lost += gap;
        } else {
            st->out_of_order++;
        }
    }
    q->next = seq + n_records;
    q->valid = !missing && !failed;
    withdraw(s, domain, &mc);
    return true;
}

/* A template (re)defined by the last message is seen now: move it to the
 * end of its source's list. */
static void
refresh_templates(struct fipx_source *s, const uint8_t *m, size_t len)
{
    if (get16(m + 2) < len) {
        len = get16(m + 2);     /* Withdrawals were taken out. */
    }
    fbSessionSetDomain(s->session, get32(m + 12));
    for (size_t off = 16; off + 4 <= len; ) {
        uint16_t id = get16(m + off), slen = get16(m + off + 2);
        if (slen < 4 || slen > len - off) {
            break;
        }
        if (id == 2 || id == 3) {
            const uint8_t *p = m + off + 4, *end = m + off + slen;
            while (end - p >= 4) {
                uint16_t tid = get16(p), n = get16(p + 2);
                p += 4 + (id == 3 && n ? 2 : 0);
                for (uint16_t i = 0; i < n && p + 4 <= end; i++) {
                    p += get16(p) & 0x8000 ? 8 : 4;
                }
                fbTemplate_t *ft = fbSessionGetTemplate(s->session, FALSE,
                                                        tid, NULL);
                struct fipx_tmpl *t = ft ? fbTemplateGetContext(ft) : NULL;
                if (t && t->src == s) {
                    t->seen_ms = s->c->now_ms;
                    tmpl_unlink(t);
                    tmpl_append(t);
                }
            }
        }
        off += slen;
    }
}

static void
message(struct flowd_ipfix_in_collector *c, struct fipx_source *s, uint8_t *m,
        size_t len)
{
    if (process_message(c, s, m, len)) {
        refresh_templates(s, m, len);
    }
    if (s->had_templates) {
        tmpl_prune(s);
    }
    for (struct fipx_tmpl *t = s->head, *next; t; t = next) {
        next = t->next;
        if (t->too_large) {
            tmpl_remove(t);
        }
    }
    while (s->n_tmpl > c->cfg.max_templates && s->head) {
        c->stats.templates_evicted++;
        tmpl_remove(s->head);
    }
}

static bool
same_addr(const struct fipx_source *s, const struct sockaddr *a,
          socklen_t len)
{
    return s->fd < 0 && s->addr_len == len && !memcmp(&s->addr, a, len);
}

void
flowd_ipfix_in_datagram(struct flowd_ipfix_in_collector *c,
                        const struct sockaddr *src,
                        socklen_t src_len, const uint8_t *data, size_t len,
                        uint64_t now_ms)
{
    struct flowd_ipfix_in_stats *st = &c->stats;
    struct fipx_source *s = NULL;

    c->now_ms = now_ms;
    if (len < 16) {
        st->messages++;
        st->errors[FLOWD_IPFIX_IN_SHORT_MESSAGE]++;
        return;
    }
    if (get16(data) != 10) {
        st->messages++;
        st->errors[FLOWD_IPFIX_IN_BAD_VERSION]++;
        return;
    }
    if (get16(data + 2) != len) {
        st->messages++;
        st->errors[FLOWD_IPFIX_IN_BAD_LENGTH]++;
        return;
    }
    if (src_len > sizeof(struct sockaddr_storage)) {
        src_len = sizeof(struct sockaddr_storage);
    }
    for (size_t i = 0; i < c->n_srcs; i++) {
        if (same_addr(c->srcs[i], src, src_len)) {
            s = c->srcs[i];
            break;
        }
    }
    if (!s) {
        if (c->n_srcs >= c->cfg.max_sources) {
            /* Full: the least recently heard UDP exporter goes. */
            size_t lru = SIZE_MAX;
            for (size_t i = 0; i < c->n_srcs; i++) {
                if (c->srcs[i]->fd < 0
                    && (lru == SIZE_MAX
                        || c->srcs[i]->last_ms < c->srcs[lru]->last_ms)) {
                    lru = i;
                }
            }
            if (lru == SIZE_MAX) {
                st->sources_evicted++;  /* All TCP: this one is dropped. */
                return;
            }
            source_free(c, lru);
            st->sources_evicted++;
        }
        s = source_new(c, src, src_len, -1);
        if (!s) {
            return;
        }
    }
    memcpy(c->msg, data, len);
    message(c, s, c->msg, len);
}

void
flowd_ipfix_in_tcp_accept(struct flowd_ipfix_in_collector *c, int fd,
                          uint64_t now_ms)
{
    struct sockaddr_storage ss;
    socklen_t len = sizeof ss;
    int conn = accept4(fd, (struct sockaddr *) &ss, &len,
                       SOCK_NONBLOCK | SOCK_CLOEXEC);

    c->now_ms = now_ms;
    if (conn < 0) {
        return;
    }
    if (c->n_srcs >= c->cfg.max_sources) {
        /* Connections are not evicted for new ones: refused. */
        c->stats.tcp_refused++;
        close(conn);
        return;
    }
    struct fipx_source *s = source_new(c, (struct sockaddr *) &ss, len,
                                       conn);
    if (!s) {
        close(conn);
        return;
    }
    s->buf = malloc(65536);
    if (!s->buf) {
        source_free(c, c->n_srcs - 1);
    }
}

size_t
flowd_ipfix_in_tcp_pollfds(const struct flowd_ipfix_in_collector *c,
                           struct pollfd *pfd,
                           size_t max)
{
    size_t n = 0;

    for (size_t i = 0; i < c->n_srcs && n < max; i++) {
        if (c->srcs[i]->fd >= 0) {
            pfd[n++] = (struct pollfd) { .fd = c->srcs[i]->fd,
                                         .events = POLLIN };
        }
    }
    return n;
}

/* Reads what connection 'i' has; returns false if it was closed. */
static bool
tcp_read(struct flowd_ipfix_in_collector *c, size_t i)
{
    struct fipx_source *s = c->srcs[i];
    ssize_t got = read(s->fd, s->buf + s->len, 65536 - s->len);

    if (got == 0 || (got < 0 && errno != EAGAIN && errno != EINTR)) {
        c->stats.tcp_closed++;
        source_free(c, i);
        return false;
    }
    if (got < 0) {
        return true;
    }
    s->len += got;
    while (s->len >= 4) {
        uint16_t mlen = get16(s->buf + 2);
        if (get16(s->buf) != 10 || mlen < 16) {
            /* A stream out of step cannot be resynchronised. */
            c->stats.messages++;
            c->stats.errors[get16(s->buf) != 10 ? FLOWD_IPFIX_IN_BAD_VERSION
                            : FLOWD_IPFIX_IN_SHORT_MESSAGE]++;
            c->stats.tcp_closed++;
            source_free(c, i);
            return false;
        }
        if (s->len < mlen) {
            break;
        }
        message(c, s, s->buf, mlen);
        memmove(s->buf, s->buf + mlen, s->len - mlen);
        s->len -= mlen;
    }
    return true;
}

void
flowd_ipfix_in_tcp_run(struct flowd_ipfix_in_collector *c,
                       const struct pollfd *pfd, size_t n,
                       uint64_t now_ms)
{
    c->now_ms = now_ms;
    for (size_t k = 0; k < n; k++) {
        if (!(pfd[k].revents & (POLLIN | POLLHUP | POLLERR))) {
            continue;
        }
        for (size_t i = 0; i < c->n_srcs; i++) {
            if (c->srcs[i]->fd == pfd[k].fd) {
                tcp_read(c, i);
                break;
            }
        }
    }
}

void
flowd_ipfix_in_expire(struct flowd_ipfix_in_collector *c, uint64_t now_ms)
{
    uint64_t life = c->cfg.template_lifetime * 1000ULL;

    c->now_ms = now_ms;
    for (size_t i = 0; i < c->n_srcs; ) {
        struct fipx_source *s = c->srcs[i];

        if (s->fd >= 0) {
            i++;                /* TCP templates live as long as it does. */
            continue;
        }
        while (s->head && now_ms - s->head->seen_ms > life) {
            c->stats.templates_expired++;
            tmpl_remove(s->head);
        }
        if (!s->head && now_ms - s->last_ms > life) {
            source_free(c, i);
        } else {
            i++;
        }
    }
}

const struct flowd_ipfix_in_stats *
flowd_ipfix_in_get_stats(const struct flowd_ipfix_in_collector *c)
{
    return &c->stats;
}

size_t
flowd_ipfix_in_n_sources(const struct flowd_ipfix_in_collector *c)
{
    return c->n_srcs;
}

/* The templates and the observation domains that 'c' keeps over all its
 * sources. */
static void
count_kept(const struct flowd_ipfix_in_collector *c, size_t *n_templates,
           size_t *n_domains)
{
    *n_templates = *n_domains = 0;
    for (size_t i = 0; i < c->n_srcs; i++) {
        *n_templates += c->srcs[i]->n_tmpl;
        *n_domains += c->srcs[i]->n_seqs;
    }
}

size_t
flowd_ipfix_in_n_templates(const struct flowd_ipfix_in_collector *c)
{
    size_t n_templates, n_domains;

    count_kept(c, &n_templates, &n_domains);
    return n_templates;
}

size_t
flowd_ipfix_in_n_domains(const struct flowd_ipfix_in_collector *c)
{
    size_t n_templates, n_domains;

    count_kept(c, &n_templates, &n_domains);
    return n_domains;
}

/* Elements named by templates that libfixbuf added to the model (at most
 * FLOWD_IPFIX_IN_MAX_UNKNOWN_IES, for the collector's life). */
size_t
flowd_ipfix_in_n_unknown_elements(const struct flowd_ipfix_in_collector *c)
{
    return fbInfoModelCountElements(c->model) - c->model_base;
}

void
flowd_ipfix_in_write_metrics(FILE *f, const struct flowd_ipfix_in_collector *c)
{
    const struct flowd_ipfix_in_stats *st = &c->stats;

    fprintf(f, "# TYPE l2mt_flowd_ipfix_messages_total counter\n"
            "l2mt_flowd_ipfix_messages_total %" PRIu64 "\n"
            "# TYPE l2mt_flowd_ipfix_records_received_total counter\n"
            "l2mt_flowd_ipfix_records_received_total{kind=\"aggregate\"} %"
            PRIu64 "\n"
            "l2mt_flowd_ipfix_records_received_total{kind=\"flow\"} %"
            PRIu64 "\n"
            "l2mt_flowd_ipfix_records_received_total{kind=\"options\"} %"
            PRIu64 "\n", st->messages, st->aggregate_records,
            st->flow_records, st->option_records);
    fprintf(f, "# TYPE l2mt_flowd_ipfix_egress_records_total counter\n"
            "l2mt_flowd_ipfix_egress_records_total %" PRIu64 "\n",
            st->egress_records);
    fprintf(f, "# TYPE l2mt_flowd_ipfix_errors_total counter\n");
    for (int e = 0; e < FLOWD_IPFIX_IN_N_ERRORS; e++) {
        fprintf(f, "l2mt_flowd_ipfix_errors_total{reason=\"%s\"} %" PRIu64
                "\n", flowd_ipfix_in_error_name(e), st->errors[e]);
    }
    fprintf(f, "# TYPE l2mt_flowd_ipfix_lost_records_total counter\n");
    for (size_t i = 0; i < st->n_domains; i++) {
        fprintf(f, "l2mt_flowd_ipfix_lost_records_total{domain=\"%" PRIu32
                "\"} %" PRIu64 "\n", st->domains[i].domain,
                st->domains[i].lost);
    }
    fprintf(f, "l2mt_flowd_ipfix_lost_records_total{domain=\"other\"} %"
            PRIu64 "\n", st->other.lost);
    fprintf(f, "# TYPE l2mt_flowd_ipfix_out_of_order_messages_total counter\n"
            "l2mt_flowd_ipfix_out_of_order_messages_total %" PRIu64 "\n"
            "# TYPE l2mt_flowd_ipfix_sources gauge\n"
            "l2mt_flowd_ipfix_sources %zu\n"
            "# TYPE l2mt_flowd_ipfix_sources_capacity gauge\n"
            "l2mt_flowd_ipfix_sources_capacity %" PRIu32 "\n"
            "# TYPE l2mt_flowd_ipfix_source_evictions_total counter\n"
            "l2mt_flowd_ipfix_source_evictions_total %" PRIu64 "\n"
            "# TYPE l2mt_flowd_ipfix_templates gauge\n"
            "l2mt_flowd_ipfix_templates %zu\n"
            "# TYPE l2mt_flowd_ipfix_unknown_elements gauge\n"
            "l2mt_flowd_ipfix_unknown_elements %zu\n"
            "# TYPE l2mt_flowd_ipfix_template_evictions_total counter\n"
            "l2mt_flowd_ipfix_template_evictions_total %" PRIu64 "\n"
            "# TYPE l2mt_flowd_ipfix_templates_expired_total counter\n"
            "l2mt_flowd_ipfix_templates_expired_total %" PRIu64 "\n"
            "# TYPE l2mt_flowd_ipfix_templates_withdrawn_total counter\n"
            "l2mt_flowd_ipfix_templates_withdrawn_total %" PRIu64 "\n"
            "# TYPE l2mt_flowd_ipfix_tcp_refused_total counter\n"
            "l2mt_flowd_ipfix_tcp_refused_total %" PRIu64 "\n",
            st->out_of_order, flowd_ipfix_in_n_sources(c), c->cfg.max_sources,
            st->sources_evicted, flowd_ipfix_in_n_templates(c),
            flowd_ipfix_in_n_unknown_elements(c), st->templates_evicted,
            st->templates_expired, st->templates_withdrawn, st->tcp_refused);
}
