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
/* l2mt-flowd's commands other than the daemon: query (raw samples), plan
 * (sampling and collector sizing) and advise (VM placement). */

#define _GNU_SOURCE 1
#include <config.h>
#include "l2mt-flowd-cmds.h"

#include <dirent.h>
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "flowd/flowd-advise.h"
#include "flowd/flowd-inputs.h"
#include "flowd/flowd-interval.h"
#include "flowd/flowd-output.h"
#include "flowd/flowd-plan.h"
#include "flowd/flowd-store.h"
#include "flowd/flowd-topo.h"
#include "util.h"

#define MAX_INVENTORIES 64

unsigned int
flowd_parse_uint(const char *name, const char *s, unsigned int min,
                 unsigned int max)
{
    char *end;
    unsigned long v;

    errno = 0;
    v = strtoul(s, &end, 10);
    if (!*s || *end || errno || v < min || v > max || *s == '-') {
        ovs_fatal(0, "--%s: '%s' is not a number in %u..%u", name, s, min,
                  max);
    }
    return v;
}

const char *
flowd_option_name(const struct option *opts, int code)
{
    for (const struct option *o = opts; o->name; o++) {
        if (o->val == code) {
            return o->name;
        }
    }
    return "";
}

static double
parse_double(const char *name, const char *s)
{
    char *end;
    double v = strtod(s, &end);

    if (!*s || *end) {
        ovs_fatal(0, "--%s: '%s' is not a number", name, s);
    }
    return v;
}

static uint64_t
parse_time(const char *name, const char *s)
{
    struct tm tm;
    char *end;

    memset(&tm, 0, sizeof tm);
    end = strptime(s, "%Y-%m-%dT%H:%M:%S", &tm);
    if (end && !*end) {
        return (uint64_t) timegm(&tm) * 1000;
    }
    errno = 0;
    double v = strtod(s, &end);
    if (!*s || *end || errno || v < 0) {
        ovs_fatal(0, "--%s: '%s' is neither seconds since the epoch nor "
              "YYYY-MM-DDTHH:MM:SS", name, s);
    }
    return v * 1000;
}

struct query_out {
    long long limit, printed;
};

static void
print_rec(const struct flowd_rec *r, void *aux)
{
    struct query_out *q = aux;

    if (q->limit < 0 || q->printed < q->limit) {
        flowd_rec_csv(stdout, r);
        q->printed++;
    }
}

int
flowd_cmd_query(int argc, char *argv[])
{
    static const struct option opts[] = {
        { "state-dir", required_argument, NULL, 'd' },
        { "from", required_argument, NULL, 'f' },
        { "to", required_argument, NULL, 't' },
        { "limit", required_argument, NULL, 'l' },
        { "help", no_argument, NULL, 'h' },
        { NULL, 0, NULL, 0 },
    };
    const char *state = "/var/lib/l2mt-flowd";
    struct flowd_query q;
    struct query_out out = { -1, 0 };
    char dir[PATH_MAX];
    int c;

    flowd_query_init(&q);
    while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
        switch (c) {
        case 'd': state = optarg; break;
        case 'f': q.from_ms = parse_time("from", optarg); break;
        case 't': q.to_ms = parse_time("to", optarg); break;
        case 'l': out.limit = flowd_parse_uint("limit", optarg, 0, INT_MAX);
            break;
        case 'h': flowd_usage(); return 0;
        default: return 1;
        }
    }
    for (int i = optind; i < argc; i++) {
        char *error = flowd_query_parse(&q, argv[i]);
        if (error) {
            ovs_fatal(0, "%s", error);
        }
    }
    snprintf(dir, sizeof dir, "%s/samples", state);
    flowd_rec_csv(stdout, NULL);
    char *error;
    long long n = flowd_store_query(dir, &q, print_rec, &out, &error);
    if (n < 0) {
        ovs_fatal(0, "%s", error);
    }
    fprintf(stderr, "%lld matching samples\n", n);
    return 0;
}

int
flowd_cmd_plan(int argc, char *argv[])
{
    static const struct option opts[] = {
        { "pps", required_argument, NULL, 'p' },
        { "rate", required_argument, NULL, 'r' },
        { "interval", required_argument, NULL, 'i' },
        { "flows", required_argument, NULL, 'f' },
        { "alpha", required_argument, NULL, 'a' },
        { "c", required_argument, NULL, 'c' },
        { "max-packets", required_argument, NULL, 'm' },
        { "capacity", required_argument, NULL, 'k' },
        { "fan-in", required_argument, NULL, 'n' },
        { "help", no_argument, NULL, 'h' },
        { NULL, 0, NULL, 0 },
    };
    struct flowd_plan_params p;
    struct flowd_plan_result r;
    bool have_pps = false;
    int c;

    flowd_plan_defaults(&p);
    while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
        const char *name = flowd_option_name(opts, c);
        switch (c) {
        case 'p': p.pps = parse_double(name, optarg); have_pps = true;
            break;
        case 'r': p.rate = parse_double(name, optarg); break;
        case 'i': p.interval = parse_double(name, optarg); break;
        case 'f': p.flows = parse_double(name, optarg); break;
        case 'a': p.alpha = parse_double(name, optarg); break;
        case 'c': p.c = parse_double(name, optarg); break;
        case 'm': p.max_packets = parse_double(name, optarg); break;
        case 'k': p.capacity = parse_double(name, optarg); break;
        case 'n': p.fan_in = parse_double(name, optarg); break;
        case 'h': flowd_usage(); return 0;
        default: return 1;
        }
    }
    if (!have_pps) {
        ovs_fatal(0, "plan: --pps is required");
    }
    char *error = flowd_plan(&p, &r);
    if (error) {
        ovs_fatal(0, "plan: %s", error);
    }
    printf("model: p(x) = %g * x^-%g, x = 1..%.0f (sum p = %.6f, mean flow "
           "%.3f packets)\n", p.c, p.alpha, p.max_packets, r.p_sum,
           r.mean_packets);
    printf("samples_per_s %.3f\n", r.samples_per_s);
    printf("samples_per_interval %.3f\n", r.samples_per_interval);
    printf("flows_per_interval %.3f\n", r.flows_all);
    printf("sampled_flows_per_interval %.3f\n", r.flows_sampled);
    printf("sampled_fraction %.6f\n", r.sampled_fraction);
    printf("collector_tree");
    for (int i = 0; i < r.levels; i++) {
        printf(" %.0f", r.collectors[i]);
    }
    printf("  (collectors per level, leaves first: %.3g samples/s each, "
           "fan-in %.0f)\n", p.capacity, p.fan_in);
    return 0;
}

static void
print_classes(const char *label, const uint64_t b[3])
{
    printf("%ssame_host %" PRIu64 ", same_switch %" PRIu64 ", core %" PRIu64
           "\n", label, b[0], b[1], b[2]);
}

int
flowd_cmd_advise(int argc, char *argv[])
{
    static const struct option opts[] = {
        { "state-dir", required_argument, NULL, 'd' },
        { "topology", required_argument, NULL, 'T' },
        { "inventory", required_argument, NULL, 'I' },
        { "from", required_argument, NULL, 'f' },
        { "to", required_argument, NULL, 't' },
        { "aggregation", required_argument, NULL, 'a' },
        { "moves", required_argument, NULL, 'm' },
        { "max-vms-per-host", required_argument, NULL, 'v' },
        { "receive-hosts", required_argument, NULL, 'r' },
        { "top", required_argument, NULL, 'n' },
        { "help", no_argument, NULL, 'h' },
        { NULL, 0, NULL, 0 },
    };
    static const char *inventory[MAX_INVENTORIES];
    struct flowd_inputs in = { .inventory = inventory };
    struct flowd_advise_limits lim = { 5, 0, NULL };
    const char *state = "/var/lib/l2mt-flowd", *agg = "vm_pairs";
    const char *receive = NULL;
    uint64_t from = 0, to = UINT64_MAX;
    unsigned int top = 10;
    char dir[PATH_MAX];
    int c;

    while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
        switch (c) {
        case 'd': state = optarg; break;
        case 'T': in.topology = optarg; break;
        case 'I':
            if (in.n_inventory == MAX_INVENTORIES) {
                ovs_fatal(0, "at most %d --inventory", MAX_INVENTORIES);
            }
            inventory[in.n_inventory++] = optarg;
            break;
        case 'f': from = parse_time("from", optarg); break;
        case 't': to = parse_time("to", optarg); break;
        case 'a': agg = optarg; break;
        case 'm': lim.max_moves = flowd_parse_uint("moves", optarg, 0, 10000);
            break;
        case 'v':
            lim.max_vms_per_host = flowd_parse_uint("max-vms-per-host", optarg,
                                                  1, 1000000);
            break;
        case 'r': receive = optarg; break;
        case 'n': top = flowd_parse_uint("top", optarg, 0, 1000000); break;
        case 'h': flowd_usage(); return 0;
        default: return 1;
        }
    }
    if (optind < argc) {
        ovs_fatal(0, "advise: unexpected argument '%s'", argv[optind]);
    }
    if (!in.topology && !in.n_inventory) {
        ovs_fatal(0, "advise: --topology or --inventory is required (where "
                  "the VMs are)");
    }
    char *error;
    struct flowd_topo *t = flowd_inputs_load(&in, &error);
    if (!t) {
        ovs_fatal(0, "%s", error);
    }
    bool *may = NULL;
    if (receive) {
        char *list = strdup(receive), *save;
        may = calloc(t->n_hosts + 1, sizeof *may);
        if (!list || !may) {
            ovs_fatal(0, "out of memory");
        }
        for (char *h = strtok_r(list, ",", &save); h;
             h = strtok_r(NULL, ",", &save)) {
            int i = flowd_topo_find_host(t, h);
            if (i < 0) {
                ovs_fatal(0, "--receive-hosts: no host '%s' in the topology",
                          h);
            }
            may[i] = true;
        }
        free(list);
        lim.may_receive = may;
    }

    struct flowd_advise adv;
    if (!flowd_advise_init(&adv, t, 10000000)) {
        ovs_fatal(0, "out of memory");
    }
    snprintf(dir, sizeof dir, "%s/intervals", state);
    struct dirent **list;
    int n = scandir(dir, &list, NULL, alphasort);
    if (n < 0) {
        ovs_fatal(errno, "%s", dir);
    }
    int used = 0;
    uint64_t first = 0, last = 0;
    for (int i = 0; i < n; i++) {
        const char *name = list[i]->d_name;
        size_t l = strlen(name);

        if (l > 9 && !strcmp(name + l - 9, ".interval")) {
            char *path = xasprintf("%s/%s", dir, name);
            char *load_error;
            struct flowd_interval *iv = flowd_interval_load(path,
                                                            &load_error);

            free(path);
            if (!iv) {
                fprintf(stderr, "l2mt-flowd: %s (skipped)\n", load_error);
                free(load_error);
            } else if (iv->start_ms >= from && iv->end_ms <= to) {
                const struct flowd_interval_agg *ia = flowd_interval_find(iv,
                                                                          agg);
                const struct flowd_agg_def *def = ia ? &ia->def : NULL;
                int s = -1, d = -1;

                if (def) {
                    s = flowd_agg_def_field_offset(def, FLOWD_AGG_SRC_MAC);
                    d = flowd_agg_def_field_offset(def, FLOWD_AGG_DST_MAC);
                }
                if (ia && (s < 0 || d < 0)) {
                    ovs_fatal(0, "advise: aggregation '%s' has no src_mac "
                              "and dst_mac keys", agg);
                }
                for (uint32_t r = 0; ia && r < ia->n_rows; r++) {
                    const uint8_t *k = ia->keys + (size_t) r
                                                  * ia->def.key_len;
                    flowd_advise_add(&adv, k + s, k + d, ia->vals[r].bytes);
                }
                if (ia) {
                    first = used ? first : iv->start_ms;
                    last = iv->end_ms;
                    used++;
                }
            }
            flowd_interval_free(iv);
        }
        free(list[i]);
    }
    free(list);
    if (!used) {
        ovs_fatal(0, "advise: no interval in %s has aggregation '%s' in the "
              "window (run the daemon with --aggregate=%s=src_mac,dst_mac)",
              dir, agg, agg);
    }

    uint64_t totals[3];
    char a[18], b[18];
    printf("window: %d intervals, %" PRIu64 "..%" PRIu64 " ms, aggregation "
           "%s, %zu VMs, %" PRIu32 " pairs\n", used, first, last, agg,
           adv.n_vms, adv.pairs.n);
    flowd_advise_totals(&adv, totals);
    print_classes("bytes: ", totals);
    printf("bytes not between placed VMs: %" PRIu64 "\n", adv.skipped_bytes);

    struct flowd_advise_pair *pairs;
    size_t n_pairs = flowd_advise_rank(&adv, &pairs);
    printf("pairs across an edge switch or the core (%zu):\n", n_pairs);
    for (size_t i = 0; i < n_pairs && i < top; i++) {
        flowd_format_mac(adv.macs[pairs[i].a], a);
        flowd_format_mac(adv.macs[pairs[i].b], b);
        printf("  %s (%s) %s (%s) %s %" PRIu64 "\n", a,
               t->hosts[adv.host[pairs[i].a]].name, b,
               t->hosts[adv.host[pairs[i].b]].name,
               flowd_class_name(pairs[i].class), pairs[i].bytes);
    }
    free(pairs);

    struct flowd_advise_move *moves;
    size_t n_moves = flowd_advise_moves(&adv, &lim, &moves);
    printf("moves (%zu):\n", n_moves);
    for (size_t i = 0; i < n_moves; i++) {
        const struct flowd_advise_move *m = &moves[i];
        flowd_format_mac(adv.macs[m->vm], a);
        printf("  move %s from %s to %s\n", a, t->hosts[m->from].name,
               t->hosts[m->to].name);
        print_classes("    before: ", m->before);
        print_classes("    after:  ", m->after);
    }
    free(moves);
    free(may);
    flowd_advise_destroy(&adv);
    flowd_topo_destroy(t);
    return 0;
}

