/*
 * Copyright (c) 2026 The l2mt authors.
 * Licensed under the Apache License, Version 2.0.
 */

#include <config.h>
#include "l2mt-agent-xlate-stats.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "agent/plan.h"
#include "l2mt-agent-probe.h"
#include "l2mt-conf.h"
#include "openvswitch/dynamic-string.h"
#include "openvswitch/shash.h"
#include "svec.h"
#include "util.h"

/* One tenant's counts. */
struct xs_tenant {
    struct agent_counter translated;
    struct shash drops;         /* Reason -> struct agent_counter. */
};

struct agent_xlate_stats {
    struct shash tenants;       /* Name -> struct xs_tenant. */
    struct svec order;          /* The config's tenants, in its order. */
};

struct agent_xlate_stats *
agent_xlate_stats_create(void)
{
    struct agent_xlate_stats *xs = xzalloc(sizeof *xs);

    shash_init(&xs->tenants);
    svec_init(&xs->order);
    return xs;
}

void
agent_xlate_stats_destroy(struct agent_xlate_stats *xs)
{
    struct shash_node *node;

    if (!xs) {
        return;
    }
    SHASH_FOR_EACH (node, &xs->tenants) {
        struct xs_tenant *t = node->data;

        shash_destroy_free_data(&t->drops);
        free(t);
    }
    shash_destroy(&xs->tenants);
    svec_destroy(&xs->order);
    free(xs);
}

/* The tenant of one line of nat64/show-ports: by tunnel key if it came
 * from a tunnel, else by its service port. */
static const struct l2mt_conf_tenant *
line_tenant(const struct l2mt_conf *c, const char *port, uint64_t key)
{
    for (size_t i = 0; i < c->n_tenants; i++) {
        const struct l2mt_conf_tenant *t = &c->tenants[i];

        if (key ? key == t->gre_key
                : (!strcmp(port, t->service_v4_port)
                   || (t->service_v6_port
                       && !strcmp(port, t->service_v6_port)))) {
            return t;
        }
    }
    return NULL;
}

void
agent_counter_set(struct agent_counter *c, uint64_t v)
{
    c->total += v >= c->last ? v - c->last : v;
    c->last = v;
}

/* Adds 'v' to the sum of 'name' ("translated" or a drop reason) in 'sums'
 * (name -> uint64_t). */
static void
sum_add(struct shash *sums, const char *name, uint64_t v)
{
    uint64_t *sum = shash_find_data(sums, name);

    if (!sum) {
        sum = xzalloc(sizeof *sum);
        shash_add(sums, name, sum);
    }
    *sum += v;
}

/* Parses one line "PORT (port N)[ tun_id 0xKEY]: translated N passed N
 * [REASON N]..." into 'sums' of its tenant in 'per_tenant' (tenant name
 * -> struct shash of sums).  Lines of no tenant (a VM port) are left. */
static void
parse_line(const struct l2mt_conf *c, char *line, struct shash *per_tenant)
{
    char *paren = strstr(line, " (port ");
    char *close = paren ? strchr(paren, ')') : NULL;
    char *colon = close ? strstr(close, ": ") : NULL;
    unsigned long long key = 0;
    char *save = NULL, *word;

    if (!colon) {
        return;
    }
    if (!strncmp(close, ") tun_id 0x", 11)) {
        key = strtoull(close + 11, NULL, 16);
    }
    *paren = '\0';
    const struct l2mt_conf_tenant *t = line_tenant(c, line + strspn(line,
                                                                    " "),
                                                   key);
    if (!t) {
        return;
    }
    struct shash *sums = shash_find_data(per_tenant, t->name);
    if (!sums) {
        sums = xmalloc(sizeof *sums);
        shash_init(sums);
        shash_add(per_tenant, t->name, sums);
    }
    for (word = strtok_r(colon + 2, " ", &save); word;
         word = strtok_r(NULL, " ", &save)) {
        char *n = strtok_r(NULL, " ", &save);
        unsigned long long v;

        if (!n || !str_to_ullong(n, 10, &v)) {
            break;
        }
        if (strcmp(word, "passed")) {
            sum_add(sums, word, v);
        }
    }
}

static struct xs_tenant *
tenant_get(struct agent_xlate_stats *xs, const char *name)
{
    struct xs_tenant *t = shash_find_data(&xs->tenants, name);

    if (!t) {
        t = xzalloc(sizeof *t);
        shash_init(&t->drops);
        shash_add(&xs->tenants, name, t);
    }
    return t;
}

void
agent_xlate_stats_update(struct agent_xlate_stats *xs,
                         const struct agent_ctx *ctx,
                         const char *show_ports)
{
    struct shash per_tenant = SHASH_INITIALIZER(&per_tenant);
    char *text = xstrdup(show_ports), *line, *save = NULL;
    const struct l2mt_conf *c = ctx->conf;
    struct shash_node *node;

    for (line = strtok_r(text, "\n", &save); line;
         line = strtok_r(NULL, "\n", &save)) {
        parse_line(c, line, &per_tenant);
    }
    free(text);

    /* Every tenant of the config has its series, counted or not. */
    svec_clear(&xs->order);
    for (size_t i = 0; i < c->n_tenants; i++) {
        svec_add(&xs->order, c->tenants[i].name);
        tenant_get(xs, c->tenants[i].name);
    }
    SHASH_FOR_EACH (node, &per_tenant) {
        struct xs_tenant *t = tenant_get(xs, node->name);
        struct shash *sums = node->data;
        struct shash_node *s;

        SHASH_FOR_EACH (s, sums) {
            uint64_t v = *(uint64_t *) s->data;
            struct agent_counter *ctr;

            if (!strcmp(s->name, "translated")) {
                ctr = &t->translated;
            } else {
                ctr = shash_find_data(&t->drops, s->name);
                if (!ctr) {
                    ctr = xzalloc(sizeof *ctr);
                    shash_add(&t->drops, s->name, ctr);
                }
            }
            agent_counter_set(ctr, v);
        }
        shash_destroy_free_data(sums);
        free(sums);
    }
    shash_destroy(&per_tenant);
}

void
agent_xlate_stats_status(const struct agent_xlate_stats *xs, struct ds *s)
{
    for (size_t i = 0; i < xs->order.n; i++) {
        const struct xs_tenant *t = shash_find_data(&xs->tenants,
                                                    xs->order.names[i]);
        const struct shash_node **drops = shash_sort(&t->drops);
        uint64_t dropped = 0;
        size_t j;

        for (j = 0; j < shash_count(&t->drops); j++) {
            dropped += ((const struct agent_counter *) drops[j]->data)->total;
        }
        ds_put_format(s, "translation %s: %"PRIu64" translated, %"PRIu64
                      " dropped", xs->order.names[i], t->translated.total,
                      dropped);
        const char *sep = " (";
        for (j = 0; j < shash_count(&t->drops); j++) {
            const struct agent_counter *ctr = drops[j]->data;

            if (ctr->total) {
                ds_put_format(s, "%s%s %"PRIu64, sep, drops[j]->name,
                              ctr->total);
                sep = ", ";
            }
        }
        ds_put_cstr(s, sep[0] == ',' ? ")\n" : "\n");
        free(drops);
    }
}

void
agent_xlate_stats_metrics(const struct agent_xlate_stats *xs, FILE *out)
{
    size_t i;

    fputs("# HELP l2mt_tenant_translation_frames_total Frames of the tenant "
          "the nat64 action translated (both ways).\n"
          "# TYPE l2mt_tenant_translation_frames_total counter\n", out);
    for (i = 0; i < xs->order.n; i++) {
        const struct xs_tenant *t = shash_find_data(&xs->tenants,
                                                    xs->order.names[i]);

        fputs("l2mt_tenant_translation_frames_total{", out);
        agent_metric_label(out, "tenant", xs->order.names[i], true);
        fprintf(out, "} %"PRIu64"\n", t->translated.total);
    }
    fputs("# HELP l2mt_tenant_translation_drops_total Frames of the tenant "
          "the nat64 action dropped, by reason (the core's names).\n"
          "# TYPE l2mt_tenant_translation_drops_total counter\n", out);
    for (i = 0; i < xs->order.n; i++) {
        const struct xs_tenant *t = shash_find_data(&xs->tenants,
                                                    xs->order.names[i]);
        const struct shash_node **drops = shash_sort(&t->drops);

        for (size_t j = 0; j < shash_count(&t->drops); j++) {
            const struct agent_counter *ctr = drops[j]->data;

            fputs("l2mt_tenant_translation_drops_total{", out);
            agent_metric_label(out, "tenant", xs->order.names[i], true);
            agent_metric_label(out, "reason", drops[j]->name, false);
            fprintf(out, "} %"PRIu64"\n", ctr->total);
        }
        free(drops);
    }
}
