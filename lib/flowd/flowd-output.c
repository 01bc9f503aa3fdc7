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
#include "flowd/flowd-output.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "flowd/flowd-interval.h"
#include "flowd/flowd-rec.h"
#include "flowd/flowd-table.h"

const char *const flowd_builtin_aggs[] = {
    "class=class",
    "tenant=tenant,class,scope",
    "vlan=vlan",
    "port_vlan=port,vlan",      /* All samples: load on each port. */
    NULL,
};

const char *const flowd_builtin_names[] = {
    "class", "tenant", "vlan", "port_vlan", NULL,
};

const char *const flowd_history_names[] = {
    "class", "tenant", "vlan", NULL,
};

const struct flowd_interval_agg *
flowd_interval_builtin(const struct flowd_interval *iv, const char *name)
{
    for (int i = 0; flowd_builtin_aggs[i]; i++) {
        struct flowd_agg_def def;

        if (!strcmp(flowd_builtin_names[i], name)) {
            /* The built-in definitions always parse. */
            char *error = flowd_agg_def_parse(flowd_builtin_aggs[i], &def);
            if (error) {
                free(error);
                return NULL;
            }
            const struct flowd_interval_agg *ia = flowd_interval_find(iv,
                                                                      name);
            return (ia && ia->def.n_fields == def.n_fields
                    && ia->def.key_len == def.key_len
                    && !memcmp(ia->def.fields, def.fields, def.n_fields)
                    ? ia : NULL);
        }
    }
    return NULL;
}

void
flowd_format_key(const struct flowd_agg_def *def, const uint8_t *key,
                 const struct flowd_interval *iv, char *out, size_t size)
{
    struct flowd_agg_names names = { flowd_interval_tenant, iv };
    size_t n = 0;

    out[0] = '\0';
    for (int i = 0; i < def->n_fields && n < size; i++) {
        char v[160];
        flowd_agg_field_format(def->fields[i], key, v, sizeof v, &names);
        n += snprintf(out + n, size - n, "%s%s=%s", i ? "|" : "",
                      flowd_agg_field_name(def->fields[i]), v);
        key += flowd_agg_field_len(def->fields[i]);
    }
}

/* Text of a key field is safe for JSON: names are [A-Za-z0-9_.:-],
 * addresses and numbers have no quotes or backslashes. */
void
flowd_output_json(FILE *f, const struct flowd_interval *iv)
{
    struct flowd_agg_names names = { flowd_interval_tenant, iv };

    fprintf(f, "{\"start_ms\":%" PRIu64 ",\"end_ms\":%" PRIu64
            ",\"aggregations\":[", iv->start_ms, iv->end_ms);
    for (uint32_t a = 0; a < iv->n_aggs; a++) {
        const struct flowd_interval_agg *ia = &iv->aggs[a];
        fprintf(f, "%s\n{\"name\":\"%s\",\"keys\":[", a ? "," : "",
                ia->def.name);
        for (int i = 0; i < ia->def.n_fields; i++) {
            fprintf(f, "%s\"%s\"", i ? "," : "",
                    flowd_agg_field_name(ia->def.fields[i]));
        }
        fprintf(f, "],\"overflow\":{\"samples\":%" PRIu64 ",\"bytes\":%"
                PRIu64 ",\"packets\":%" PRIu64 "},\"rows\":[",
                ia->n_overflow, ia->overflow.bytes, ia->overflow.packets);
        for (uint32_t r = 0; r < ia->n_rows; r++) {
            const uint8_t *key = ia->keys + (size_t) r * ia->def.key_len;
            const struct flowd_agg_val *v = &ia->vals[r];
            fprintf(f, "%s\n {", r ? "," : "");
            for (int i = 0; i < ia->def.n_fields; i++) {
                char text[160];
                flowd_agg_field_format(ia->def.fields[i], key, text,
                                       sizeof text,
                                       &names);
                fprintf(f, "\"%s\":\"%s\",",
                        flowd_agg_field_name(ia->def.fields[i]), text);
                key += flowd_agg_field_len(ia->def.fields[i]);
            }
            fprintf(f, "\"bytes\":%" PRIu64 ",\"packets\":%" PRIu64
                    ",\"samples\":%" PRIu64 ",\"first_ms\":%" PRIu64
                    ",\"last_ms\":%" PRIu64 "}", v->bytes, v->packets,
                    v->samples, v->first_ms, v->last_ms);
        }
        fprintf(f, "]}");
    }
    fprintf(f, "]}\n");
}

void
flowd_output_csv(FILE *f, const struct flowd_interval *iv)
{
    fprintf(f, "start_ms,end_ms,aggregation,key,bytes,packets,samples\n");
    for (uint32_t a = 0; a < iv->n_aggs; a++) {
        const struct flowd_interval_agg *ia = &iv->aggs[a];
        for (uint32_t r = 0; r < ia->n_rows; r++) {
            char key[1024];
            const struct flowd_agg_val *v = &ia->vals[r];
            flowd_format_key(&ia->def, ia->keys + (size_t) r * ia->def.key_len,
                             iv, key, sizeof key);
            fprintf(f, "%" PRIu64 ",%" PRIu64 ",%s,%s,%" PRIu64 ",%" PRIu64
                    ",%" PRIu64 "\n", iv->start_ms, iv->end_ms, ia->def.name,
                    key, v->bytes, v->packets, v->samples);
        }
        if (ia->n_overflow) {
            fprintf(f, "%" PRIu64 ",%" PRIu64 ",%s,overflow,%" PRIu64 ",%"
                    PRIu64 ",%" PRIu64 "\n", iv->start_ms, iv->end_ms,
                    ia->def.name, ia->overflow.bytes, ia->overflow.packets,
                    ia->n_overflow);
        }
    }
}

/* A chart: series names and a bytes matrix [series][interval]. */
struct chart {
    char (*names)[64];
    double *bytes;
    size_t n_series, n_times;
};

typedef char series_name[64];

/* Sums aggregation 'agg' by its field 'field' into chart series.  Linear
 * in the rows of all intervals: series are found by hash, and the matrix
 * is allocated once, when the number of series is known. */
static void
build_chart(struct chart *c, struct flowd_interval *const *ivs, size_t n,
            const char *agg, enum flowd_agg_field field)
{
    size_t n_rows = 0, names_cap = 0;
    struct flowd_table index;

    memset(c, 0, sizeof *c);
    c->n_times = n;
    for (size_t t = 0; t < n; t++) {
        const struct flowd_interval_agg *ia = flowd_interval_builtin(ivs[t],
                                                                     agg);
        n_rows += ia ? ia->n_rows : 0;
    }
    uint32_t *row_series = malloc((n_rows + 1) * sizeof *row_series);
    if (!row_series || !flowd_table_init(&index, sizeof(series_name),
                                         sizeof(uint32_t), n_rows + 1)) {
        free(row_series);
        return;
    }

    /* Pass 1: each row's series, new names appended. */
    size_t k = 0;
    for (size_t t = 0; t < n; t++) {
        const struct flowd_interval_agg *ia = flowd_interval_builtin(ivs[t],
                                                                     agg);
        struct flowd_agg_names names = { flowd_interval_tenant, ivs[t] };
        if (!ia) {
            continue;
        }
        for (uint32_t r = 0; r < ia->n_rows; r++) {
            const uint8_t *key = ia->keys + (size_t) r * ia->def.key_len;
            series_name text;
            bool added;

            memset(text, 0, sizeof text);
            strcpy(text, "?");
            for (int i = 0; i < ia->def.n_fields; i++) {
                if (ia->def.fields[i] == field) {
                    flowd_agg_field_format(field, key, text, sizeof text,
                                           &names);
                }
                key += flowd_agg_field_len(ia->def.fields[i]);
            }
            uint32_t *s = flowd_table_insert(&index, text, &added);
            if (added) {
                if (c->n_series == names_cap) {
                    names_cap = names_cap ? names_cap * 2 : 16;
                    c->names = realloc(c->names, names_cap * sizeof *c->names);
                }
                memcpy(c->names[c->n_series], text, sizeof text);
                *s = c->n_series++;
            }
            row_series[k++] = *s;
        }
    }
    flowd_table_destroy(&index);

    /* Pass 2: the sums. */
    c->bytes = calloc(c->n_series * n + 1, sizeof *c->bytes);
    k = 0;
    for (size_t t = 0; t < n; t++) {
        const struct flowd_interval_agg *ia = flowd_interval_builtin(ivs[t],
                                                                     agg);
        if (!ia) {
            continue;
        }
        for (uint32_t r = 0; r < ia->n_rows; r++) {
            c->bytes[row_series[k++] * n + t] += ia->vals[r].bytes;
        }
    }
    free(row_series);
}

struct series_rank {
    double total;
    size_t index;
};

static int
cmp_series_rank(const void *a_, const void *b_)
{
    const struct series_rank *a = a_, *b = b_;

    if (a->total != b->total) {
        return a->total > b->total ? -1 : 1;
    }
    return a->index < b->index ? -1 : a->index > b->index;
}

/* Keeps the 'top' largest series (in their first-seen order) and folds the
 * rest into "other", last.  O(S T + S log S). */
static void
limit_series(struct chart *c, size_t top)
{
    size_t n = c->n_times, n_ranked = 0;

    if (c->n_series <= top + 1) {
        return;
    }
    struct series_rank *rank = malloc(c->n_series * sizeof *rank);
    bool *keep = calloc(c->n_series, sizeof *keep);
    if (!rank || !keep) {
        free(rank);
        free(keep);
        return;
    }
    for (size_t s = 0; s < c->n_series; s++) {
        if (strcmp(c->names[s], "other")) {
            double sum = 0;
            for (size_t t = 0; t < n; t++) {
                sum += c->bytes[s * n + t];
            }
            rank[n_ranked++] = (struct series_rank) { sum, s };
        }
    }
    qsort(rank, n_ranked, sizeof *rank, cmp_series_rank);
    for (size_t i = 0; i < n_ranked && i < top; i++) {
        keep[rank[i].index] = true;
    }

    /* Compacts the kept series in place; the rest sum into 'other'. */
    double *other = calloc(n + 1, sizeof *other);
    size_t out = 0;
    for (size_t s = 0; other && s < c->n_series; s++) {
        if (keep[s]) {
            if (out != s) {
                memcpy(c->names[out], c->names[s], sizeof c->names[out]);
                memcpy(&c->bytes[out * n], &c->bytes[s * n],
                       n * sizeof *c->bytes);
            }
            out++;
        } else {
            for (size_t t = 0; t < n; t++) {
                other[t] += c->bytes[s * n + t];
            }
        }
    }
    if (other) {
        snprintf(c->names[out], sizeof c->names[out], "other");
        memcpy(&c->bytes[out * n], other, n * sizeof *c->bytes);
        c->n_series = out + 1;
    }
    free(other);
    free(rank);
    free(keep);
}

static const char *const colors[] = {
    "#4e79a7", "#f28e2b", "#e15759", "#76b7b2", "#59a14f", "#edc948",
    "#b07aa1", "#ff9da7", "#9c755f", "#bab0ac", "#1f77b4", "#d62728",
};

static void
human_rate(double bps, char *out, size_t size)
{
    const char *units[] = { "bit/s", "kbit/s", "Mbit/s", "Gbit/s", "Tbit/s" };
    int u = 0;

    while (bps >= 1000 && u < 4) {
        bps /= 1000;
        u++;
    }
    snprintf(out, size, "%.3g %s", bps, units[u]);
}

static void
hhmm(uint64_t ms, char *out, size_t size)
{
    time_t t = ms / 1000;
    struct tm tm;

    gmtime_r(&t, &tm);
    strftime(out, size, "%H:%M:%S", &tm);
}

/* A stacked area chart of bit rates, x = interval end. */
static void
svg_chart(FILE *f, const struct chart *c, struct flowd_interval *const *ivs,
          const char *title)
{
    const int W = 900, H = 300, L = 90, R = 170, T = 30, B = 40;
    double max = 0;
    size_t n = c->n_times;

    fprintf(f, "<h2>%s</h2>\n", title);
    if (!n || !c->n_series) {
        fprintf(f, "<p>No data yet.</p>\n");
        return;
    }
    /* Rates: bytes * 8 / interval seconds. */
    double *rate = calloc(c->n_series * n, sizeof *rate);
    for (size_t t = 0; t < n; t++) {
        double secs = (ivs[t]->end_ms - ivs[t]->start_ms) / 1000.0;
        double sum = 0;
        for (size_t s = 0; s < c->n_series; s++) {
            rate[s * n + t] = c->bytes[s * n + t] * 8 / (secs > 0 ? secs : 1);
            sum += rate[s * n + t];
        }
        max = sum > max ? sum : max;
    }
    max = max > 0 ? max * 1.1 : 1;

    fprintf(f, "<svg xmlns='http://www.w3.org/2000/svg' width='%d' "
            "height='%d' font-family='sans-serif' font-size='12'>\n", W, H);
    fprintf(f, "<rect x='%d' y='%d' width='%d' height='%d' fill='#fafafa' "
            "stroke='#999'/>\n", L, T, W - L - R, H - T - B);
#define X(t) (L + (n > 1 ? (double) (t) * (W - L - R) / (n - 1) \
                         : (double) (W - L - R) / 2))
#define Y(v) (T + (H - T - B) * (1 - (v) / max))
    double *base = calloc(n, sizeof *base);
    for (size_t s = 0; s < c->n_series; s++) {
        fprintf(f, "<path fill='%s' fill-opacity='0.85' stroke='%s' d='",
                colors[s % 12], colors[s % 12]);
        for (size_t t = 0; t < n; t++) {
            fprintf(f, "%c%.1f,%.1f ", t ? 'L' : 'M', X(t),
                    Y(base[t] + rate[s * n + t]));
        }
        if (n == 1) {
            fprintf(f, "L%.1f,%.1f ", X(0) + 4, Y(base[0] + rate[s * n]));
            fprintf(f, "L%.1f,%.1f ", X(0) + 4, Y(base[0]));
        }
        for (size_t t = n; t-- > 0; ) {
            fprintf(f, "L%.1f,%.1f ", X(t), Y(base[t]));
        }
        fprintf(f, "Z'><title>%s</title></path>\n", c->names[s]);
        for (size_t t = 0; t < n; t++) {
            base[t] += rate[s * n + t];
        }
        fprintf(f, "<rect x='%d' y='%zu' width='12' height='12' fill='%s'/>"
                "<text x='%d' y='%zu'>%s</text>\n", W - R + 10, T + s * 18,
                colors[s % 12], W - R + 28, T + s * 18 + 11, c->names[s]);
    }
    for (int g = 0; g <= 4; g++) {
        char label[32];
        double v = max * g / 4;
        human_rate(v, label, sizeof label);
        fprintf(f, "<line x1='%d' x2='%d' y1='%.1f' y2='%.1f' stroke='#ccc'/>"
                "<text x='%d' y='%.1f' text-anchor='end'>%s</text>\n",
                L, W - R, Y(v), Y(v), L - 5, Y(v) + 4, label);
    }
    size_t step = n > 6 ? n / 6 : 1;
    for (size_t t = 0; t < n; t += step) {
        char label[16];
        hhmm(ivs[t]->end_ms, label, sizeof label);
        fprintf(f, "<text x='%.1f' y='%d' text-anchor='middle'>%s</text>\n",
                X(t), H - B + 16, label);
    }
    fprintf(f, "<text x='%d' y='%d' text-anchor='middle'>interval end "
            "(UTC)</text>\n</svg>\n", L + (W - L - R) / 2, H - 6);
#undef X
#undef Y
    free(base);
    free(rate);
}

static void
free_chart(struct chart *c)
{
    free(c->names);
    free(c->bytes);
}

/* The last interval's tenants: bytes by class, intra-tenant apart. */
static void
tenant_table(FILE *f, const struct flowd_interval *iv)
{
    const struct flowd_interval_agg *ia = flowd_interval_builtin(iv, "tenant");

    fprintf(f, "<h2>Tenants in the last interval (bytes)</h2>\n<table>"
            "<tr><th>tenant</th><th>scope</th>");
    for (int c = 0; c < FLOWD_N_CLASSES; c++) {
        fprintf(f, "<th>%s</th>", flowd_class_name(c));
    }
    fprintf(f, "</tr>\n");
    if (!ia) {
        fprintf(f, "</table>\n");
        return;
    }
    /* Sums per tenant (the last slot: unknown) and scope, in one pass;
     * the key layout is tenant(2) class(1) scope(1). */
    size_t n_slots = ((size_t) iv->n_tenants + 1) * 2;
    uint64_t (*sums)[FLOWD_N_CLASSES + 1] = calloc(n_slots, sizeof *sums);
    if (!sums) {
        fprintf(f, "</table>\n");
        return;
    }
    for (uint32_t r = 0; r < ia->n_rows; r++) {
        const uint8_t *k = ia->keys + (size_t) r * ia->def.key_len;
        uint16_t kt;

        memcpy(&kt, k, 2);
        size_t t = kt < iv->n_tenants ? kt : iv->n_tenants;
        if ((kt < iv->n_tenants || kt == 0xffff) && k[2] < FLOWD_N_CLASSES) {
            uint64_t *slot = sums[t * 2 + !!k[3]];
            slot[k[2]] += ia->vals[r].bytes;
            slot[FLOWD_N_CLASSES] = 1;      /* Seen. */
        }
    }
    for (size_t i = 0; i < n_slots; i++) {
        /* Intra-tenant first. */
        const uint64_t *slot = sums[i ^ 1];
        size_t t = i / 2;
        if (!slot[FLOWD_N_CLASSES]) {
            continue;
        }
        fprintf(f, "<tr><td>%s</td><td>%s</td>",
                flowd_interval_tenant(iv, t < iv->n_tenants ? t : 0xffff),
                (i ^ 1) & 1 ? "intra-tenant" : "leaving tenant");
        for (int c = 0; c < FLOWD_N_CLASSES; c++) {
            fprintf(f, "<td>%" PRIu64 "</td>", slot[c]);
        }
        fprintf(f, "</tr>\n");
    }
    free(sums);
    fprintf(f, "</table>\n");
}

struct port_row {
    char port[80];
    char vlan[8];
    uint64_t bytes;
};

static int
cmp_port_rows(const void *a_, const void *b_)
{
    const struct port_row *a = a_, *b = b_;
    int c = strcmp(a->port, b->port);

    return c ? c : a->bytes < b->bytes ? 1 : a->bytes > b->bytes ? -1 : 0;
}

/* Top-N VLANs per physical port in the last interval. */
static void
port_table(FILE *f, const struct flowd_interval *iv, size_t top)
{
    const struct flowd_interval_agg *ia = flowd_interval_builtin(iv,
                                                                 "port_vlan");
    struct flowd_agg_names names = { flowd_interval_tenant, iv };

    fprintf(f, "<h2>Top %zu VLANs per port in the last interval</h2>\n"
            "<table><tr><th>agent/ifindex</th><th>VLAN</th><th>bytes</th>"
            "</tr>\n", top);
    if (!ia || !ia->n_rows) {
        fprintf(f, "</table>\n");
        return;
    }
    struct port_row *rows = calloc(ia->n_rows, sizeof *rows);
    for (uint32_t r = 0; r < ia->n_rows; r++) {
        const uint8_t *k = ia->keys + (size_t) r * ia->def.key_len;
        flowd_agg_field_format(FLOWD_AGG_PORT, k, rows[r].port,
                               sizeof rows[r].port, &names);
        flowd_agg_field_format(FLOWD_AGG_VLAN,
                               k + flowd_agg_field_len(FLOWD_AGG_PORT),
                               rows[r].vlan, sizeof rows[r].vlan, &names);
        rows[r].bytes = ia->vals[r].bytes;
    }
    qsort(rows, ia->n_rows, sizeof *rows, cmp_port_rows);
    size_t rank = 0;
    for (uint32_t r = 0; r < ia->n_rows; r++) {
        rank = r && !strcmp(rows[r].port, rows[r - 1].port) ? rank + 1 : 0;
        if (rank < top) {
            fprintf(f, "<tr><td>%s</td><td>%s</td><td>%" PRIu64 "</td></tr>\n",
                    rows[r].port, rows[r].vlan, rows[r].bytes);
        }
    }
    fprintf(f, "</table>\n");
    free(rows);
}

void
flowd_output_html(FILE *f, struct flowd_interval *const *ivs, size_t n,
                  size_t top, const char *title, const char *extra)
{
    struct chart c;

    fprintf(f, "<!DOCTYPE html>\n<html><head><meta charset='utf-8'>"
            "<title>%s</title>\n<style>body{font-family:sans-serif;"
            "margin:20px}table{border-collapse:collapse}td,th{border:1px "
            "solid #ccc;padding:3px 8px;text-align:right}</style></head>"
            "<body>\n<h1>%s</h1>\n<p>%zu intervals.</p>\n", title, title, n);

    build_chart(&c, ivs, n, "class", FLOWD_AGG_CLASS);
    svg_chart(f, &c, ivs, "Traffic by locality class");
    free_chart(&c);

    build_chart(&c, ivs, n, "tenant", FLOWD_AGG_TENANT);
    limit_series(&c, top);
    svg_chart(f, &c, ivs, "Traffic by tenant");
    free_chart(&c);

    build_chart(&c, ivs, n, "vlan", FLOWD_AGG_VLAN);
    limit_series(&c, top);
    svg_chart(f, &c, ivs, "Traffic by VLAN");
    free_chart(&c);

    if (n) {
        tenant_table(f, ivs[n - 1]);
        port_table(f, ivs[n - 1], top);
    }
    if (extra) {
        fputs(extra, f);
    }
    fprintf(f, "</body></html>\n");
}
