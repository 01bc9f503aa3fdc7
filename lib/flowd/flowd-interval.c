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
#include "flowd/flowd-interval.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "flowd/flowd-file.h"
#include "l2mt-conf-util.h"
#include "flowd/flowd-topo.h"

static const char magic[8] = "L2MTFI01";

void
flowd_interval_free(struct flowd_interval *iv)
{
    if (iv) {
        for (uint32_t i = 0; i < iv->n_aggs; i++) {
            free(iv->aggs[i].keys);
            free(iv->aggs[i].vals);
        }
        free(iv->tenants);
        free(iv);
    }
}

struct flowd_interval *
flowd_interval_snapshot(struct flowd_agg *agg, const struct flowd_topo *topo,
                        uint64_t start_ms, uint64_t end_ms)
{
    struct flowd_interval *iv;

    flowd_agg_rollup(agg);
    iv = calloc(1, sizeof *iv);

    if (!iv) {
        return NULL;
    }
    iv->start_ms = start_ms;
    iv->end_ms = end_ms;
    iv->n_tenants = topo->n_tenants;
    iv->tenants = calloc(topo->n_tenants + 1, sizeof *iv->tenants);
    if (!iv->tenants) {
        goto oom;
    }
    for (size_t i = 0; i < topo->n_tenants; i++) {
        memcpy(iv->tenants[i].name, topo->tenants[i].name,
               sizeof iv->tenants[i].name);
        iv->tenants[i].key = topo->tenants[i].key;
    }
    for (size_t a = 0; a < agg->n; a++) {
        struct flowd_interval_agg *ia = &iv->aggs[iv->n_aggs++];
        const struct flowd_table *t = &agg->tables[a];

        ia->def = agg->defs[a];
        ia->n_rows = t->n;
        ia->keys = malloc((size_t) t->n * ia->def.key_len + 1);
        ia->vals = malloc((size_t) t->n * sizeof *ia->vals + 1);
        if (!ia->keys || !ia->vals) {
            goto oom;
        }
        for (uint32_t i = 0; i < t->n; i++) {
            memcpy(ia->keys + (size_t) i * ia->def.key_len,
                   flowd_table_key(t, i), ia->def.key_len);
            memcpy(&ia->vals[i], flowd_table_val(t, i), sizeof ia->vals[i]);
        }
        ia->overflow = agg->overflow[a];
        ia->n_overflow = agg->n_overflow[a];
    }
    return iv;

oom:
    flowd_interval_free(iv);
    return NULL;
}

void
flowd_interval_keep(struct flowd_interval *iv, const char *const *keep)
{
    uint32_t n = 0;

    for (uint32_t i = 0; i < iv->n_aggs; i++) {
        struct flowd_interval_agg *ia = &iv->aggs[i];
        bool wanted = false;

        for (const char *const *k = keep; *k && !wanted; k++) {
            wanted = !strcmp(ia->def.name, *k);
        }
        if (wanted) {
            iv->aggs[n++] = *ia;
        } else {
            free(ia->keys);
            free(ia->vals);
        }
    }
    iv->n_aggs = n;
}

const struct flowd_interval_agg *
flowd_interval_find(const struct flowd_interval *iv, const char *name)
{
    for (uint32_t i = 0; i < iv->n_aggs; i++) {
        if (!strcmp(iv->aggs[i].def.name, name)) {
            return &iv->aggs[i];
        }
    }
    return NULL;
}

const char *
flowd_interval_tenant(const void *iv_, uint16_t tenant)
{
    const struct flowd_interval *iv = iv_;

    return tenant < iv->n_tenants ? iv->tenants[tenant].name : "-";
}

static bool
put(FILE *f, const void *p, size_t n)
{
    return fwrite(p, 1, n, f) == n;
}

static bool
write_interval(FILE *f, const void *iv_)
{
    const struct flowd_interval *iv = iv_;
    bool ok;

    ok = (put(f, magic, 8) && put(f, &iv->start_ms, 8)
          && put(f, &iv->end_ms, 8) && put(f, &iv->n_tenants, 4)
          && put(f, &iv->n_aggs, 4)
          && put(f, iv->tenants, iv->n_tenants * sizeof *iv->tenants));
    for (uint32_t a = 0; ok && a < iv->n_aggs; a++) {
        const struct flowd_interval_agg *ia = &iv->aggs[a];
        ok = (put(f, &ia->def, sizeof ia->def) && put(f, &ia->n_rows, 4)
              && put(f, &ia->overflow, sizeof ia->overflow)
              && put(f, &ia->n_overflow, 8)
              && put(f, ia->keys, (size_t) ia->n_rows * ia->def.key_len)
              && put(f, ia->vals, (size_t) ia->n_rows * sizeof *ia->vals));
    }
    return ok;
}

int
flowd_interval_save(const struct flowd_interval *iv, const char *dir)
{
    char path[4096];

    snprintf(path, sizeof path, "%s/%013" PRIu64 ".interval", dir,
             iv->start_ms);
    /* On disk before it counts as saved: recovery trusts what is there. */
    return flowd_file_write(path, write_interval, iv, true);
}

struct reader {
    const uint8_t *p, *end;
};

static bool
get(struct reader *r, void *out, size_t n)
{
    if ((size_t) (r->end - r->p) < n) {
        return false;
    }
    memcpy(out, r->p, n);
    r->p += n;
    return true;
}

static bool
valid_def(struct flowd_agg_def *def)
{
    uint16_t len = 0;

    if (!def->n_fields || def->n_fields > FLOWD_AGG_MAX_FIELDS) {
        return false;
    }
    for (int i = 0; i < def->n_fields; i++) {
        if (def->fields[i] >= FLOWD_AGG_N_FIELDS) {
            return false;
        }
        len += flowd_agg_field_len(def->fields[i]);
    }
    def->name[FLOWD_AGG_NAME_LEN - 1] = '\0';
    return len == def->key_len;
}

struct flowd_interval *
flowd_interval_decode(const void *data, size_t len, char **errp)
{
    struct reader r = { data, (const uint8_t *) data + len };
    struct flowd_interval *iv = calloc(1, sizeof *iv);
    char m[8];
    uint32_t n_aggs;
    const char *why = "truncated";

    *errp = NULL;
    if (!iv) {
        *errp = l2mt_xstrdup("out of memory");
        return NULL;
    }
    if (!get(&r, m, 8) || memcmp(m, magic, 8)) {
        why = "not an interval file";
        goto bad;
    }
    if (!get(&r, &iv->start_ms, 8) || !get(&r, &iv->end_ms, 8)
        || !get(&r, &iv->n_tenants, 4) || !get(&r, &n_aggs, 4)) {
        goto bad;
    }
    if (n_aggs > FLOWD_AGG_MAX || iv->n_tenants > FLOWD_TOPO_MAX_ITEMS) {
        why = "bad counts";
        goto bad;
    }
    iv->tenants = calloc(iv->n_tenants + 1, sizeof *iv->tenants);
    if (!iv->tenants
        || !get(&r, iv->tenants, iv->n_tenants * sizeof *iv->tenants)) {
        goto bad;
    }
    for (uint32_t i = 0; i < iv->n_tenants; i++) {
        iv->tenants[i].name[sizeof iv->tenants[i].name - 1] = '\0';
    }
    for (uint32_t a = 0; a < n_aggs; a++) {
        struct flowd_interval_agg *ia = &iv->aggs[iv->n_aggs];
        if (!get(&r, &ia->def, sizeof ia->def) || !get(&r, &ia->n_rows, 4)
            || !get(&r, &ia->overflow, sizeof ia->overflow)
            || !get(&r, &ia->n_overflow, 8)) {
            goto bad;
        }
        if (!valid_def(&ia->def)) {
            why = "bad aggregation";
            goto bad;
        }
        size_t row = ia->def.key_len + sizeof *ia->vals;
        if (ia->n_rows > (size_t) (r.end - r.p) / row) {
            goto bad;
        }
        iv->n_aggs++;
        ia->keys = malloc((size_t) ia->n_rows * ia->def.key_len + 1);
        ia->vals = malloc((size_t) ia->n_rows * sizeof *ia->vals + 1);
        if (!ia->keys || !ia->vals
            || !get(&r, ia->keys, (size_t) ia->n_rows * ia->def.key_len)
            || !get(&r, ia->vals, (size_t) ia->n_rows * sizeof *ia->vals)) {
            goto bad;
        }
    }
    if (r.p != r.end) {
        why = "trailing bytes";
        goto bad;
    }
    return iv;

bad:
    *errp = l2mt_xstrdup(why);
    flowd_interval_free(iv);
    return NULL;
}

struct flowd_interval *
flowd_interval_load(const char *path, char **errp)
{
    size_t len;
    char *data, *e;
    int error = flowd_file_read(path, &data, &len);

    if (error) {
        *errp = l2mt_xasprintf("%s: %s", path, strerror(error));
        return NULL;
    }
    struct flowd_interval *iv = flowd_interval_decode(data, len, &e);
    if (!iv) {
        *errp = l2mt_xasprintf("%s: %s", path, e);
        free(e);
    }
    free(data);
    return iv;
}
