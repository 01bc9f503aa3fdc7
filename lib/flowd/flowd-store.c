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
#include "flowd/flowd-store.h"

#include <dirent.h>
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <unistd.h>

#include "flowd/flowd-topo.h"
#include "l2mt-conf-util.h"

static const char magic[8] = "L2MTFR01";

/* Store files are "samples-<first ms, 13 digits>.rec": names sort by time. */
static bool
is_store_file(const char *name, uint64_t *start)
{
    char tail[8];

    return (sscanf(name, "samples-%13" SCNu64 "%7s", start, tail) == 2
            && !strcmp(tail, ".rec") && strlen(name) == 8 + 13 + 4);
}

static int
cmp_names(const void *a, const void *b)
{
    return strcmp(*(char *const *) a, *(char *const *) b);
}

/* Sorted store file names in 'dir'; the caller frees each and the array. */
static char **
list_files(const char *dir, size_t *n)
{
    DIR *d = opendir(dir);
    struct dirent *de;
    char **names = NULL;
    size_t cap = 0;

    *n = 0;
    if (!d) {
        return NULL;
    }
    while ((de = readdir(d))) {
        uint64_t start;
        if (!is_store_file(de->d_name, &start)) {
            continue;
        }
        if (*n == cap) {
            cap = cap ? cap * 2 : 16;
            char **p = realloc(names, cap * sizeof *p);
            if (!p) {
                break;
            }
            names = p;
        }
        names[(*n)++] = strdup(de->d_name);
    }
    closedir(d);
    if (names) {
        qsort(names, *n, sizeof *names, cmp_names);
    }
    return names;
}

static void
free_names(char **names, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        free(names[i]);
    }
    free(names);
}

/* Deletes the oldest files until at most 'keep' remain. */
static void
prune(struct flowd_store *s, uint32_t keep)
{
    size_t n;
    char **names = list_files(s->dir, &n);
    char path[4400];

    for (size_t i = 0; i + keep < n; i++) {
        snprintf(path, sizeof path, "%s/%s", s->dir, names[i]);
        if (!unlink(path)) {
            s->n_deleted++;
        }
    }
    free_names(names, n);
}

static bool
rotate(struct flowd_store *s, uint64_t now_ms)
{
    char path[4400];
    uint32_t size = sizeof(struct flowd_rec);

    if (s->f) {
        fclose(s->f);
        s->f = NULL;
        s->n_rotations++;
    }
    prune(s, s->max_files - 1);
    snprintf(path, sizeof path, "%s/samples-%013" PRIu64 ".rec", s->dir,
             now_ms);
    s->f = fopen(path, "ab");
    if (!s->f) {
        s->n_errors++;
        return false;
    }
    setvbuf(s->f, NULL, _IOFBF, 1 << 16);
    fwrite(magic, 1, 8, s->f);
    fwrite(&size, 1, 4, s->f);
    s->cur_bytes = 12;
    return true;
}

int
flowd_store_open(struct flowd_store *s, const char *dir, uint64_t file_bytes,
                 uint32_t max_files)
{
    memset(s, 0, sizeof *s);
    if (strlen(dir) >= sizeof s->dir) {
        return ENAMETOOLONG;
    }
    if (mkdir(dir, 0755) && errno != EEXIST) {
        return errno;
    }
    strcpy(s->dir, dir);
    s->file_bytes = file_bytes < 4096 ? 4096 : file_bytes;
    s->max_files = max_files < 2 ? 2 : max_files;
    return 0;
}

void
flowd_store_write(struct flowd_store *s, const struct flowd_rec *r)
{
    if ((!s->f || s->cur_bytes + sizeof *r > s->file_bytes)
        && !rotate(s, r->time_ms)) {
        return;
    }
    if (fwrite(r, sizeof *r, 1, s->f) == 1) {
        s->cur_bytes += sizeof *r;
        s->n_written++;
    } else {
        s->n_errors++;
    }
}

void
flowd_store_flush(struct flowd_store *s)
{
    if (s->f) {
        fflush(s->f);
    }
}

void
flowd_store_close(struct flowd_store *s)
{
    if (s->f) {
        fclose(s->f);
        s->f = NULL;
    }
}

void
flowd_query_init(struct flowd_query *q)
{
    memset(q, 0, sizeof *q);
    q->to_ms = UINT64_MAX;
    q->vlan = q->class = q->tenant_key = q->counted = -1;
}

char *
flowd_query_parse(struct flowd_query *q, const char *s)
{
    const char *eq = strchr(s, '=');
    char name[32];

    if (!eq || eq == s || (size_t) (eq - s) >= sizeof name) {
        return l2mt_xasprintf("bad filter '%s' (FIELD=VALUE)", s);
    }
    memcpy(name, s, eq - s);
    name[eq - s] = '\0';
    const char *v = eq + 1;
    char *end;
    long n;

    if (!strcmp(name, "src_host") || !strcmp(name, "dst_host")
        || !strcmp(name, "host")) {
        struct in6_addr *a = name[0] == 's' ? &q->src_ip
                             : name[0] == 'd' ? &q->dst_ip : &q->ip;
        bool *has = name[0] == 's' ? &q->has_src_ip
                    : name[0] == 'd' ? &q->has_dst_ip : &q->has_ip;
        if (!flowd_parse_ip(v, a)) {
            return l2mt_xasprintf("bad address '%s'", v);
        }
        *has = true;
    } else if (!strcmp(name, "src_mac") || !strcmp(name, "dst_mac")
               || !strcmp(name, "mac")) {
        uint8_t *m = name[0] == 's' ? q->src_mac
                     : name[0] == 'd' ? q->dst_mac : q->mac;
        bool *has = name[0] == 's' ? &q->has_src_mac
                    : name[0] == 'd' ? &q->has_dst_mac : &q->has_mac;
        if (!flowd_parse_mac(v, m)) {
            return l2mt_xasprintf("bad MAC '%s'", v);
        }
        *has = true;
    } else if (!strcmp(name, "class")) {
        if ((q->class = flowd_class_from_name(v)) < 0) {
            return l2mt_xasprintf("bad class '%s' (same_host, same_switch, "
                                  "core, internet, unknown)", v);
        }
    } else if (!strcmp(name, "vlan") || !strcmp(name, "tenant_key")
               || !strcmp(name, "counted")) {
        errno = 0;
        n = strtol(v, &end, 10);
        if (!*v || *end || errno || n < 0 || n > INT32_MAX) {
            return l2mt_xasprintf("bad number '%s'", v);
        }
        *(name[0] == 'v' ? &q->vlan : name[0] == 't' ? &q->tenant_key
          : &q->counted) = n;
    } else {
        return l2mt_xasprintf("unknown filter '%s' (src_host, dst_host, "
                              "host, src_mac, dst_mac, mac, vlan, class, "
                              "tenant_key, counted)", name);
    }
    return NULL;
}

bool
flowd_query_match(const struct flowd_query *q, const struct flowd_rec *r)
{
    return (r->time_ms >= q->from_ms && r->time_ms < q->to_ms
            && (!q->has_src_ip || !memcmp(&q->src_ip, &r->src_ip, 16))
            && (!q->has_dst_ip || !memcmp(&q->dst_ip, &r->dst_ip, 16))
            && (!q->has_ip || !memcmp(&q->ip, &r->src_ip, 16)
                || !memcmp(&q->ip, &r->dst_ip, 16))
            && (!q->has_src_mac || !memcmp(q->src_mac, r->src_mac, 6))
            && (!q->has_dst_mac || !memcmp(q->dst_mac, r->dst_mac, 6))
            && (!q->has_mac || !memcmp(q->mac, r->src_mac, 6)
                || !memcmp(q->mac, r->dst_mac, 6))
            && (q->vlan < 0 || q->vlan == r->vlan)
            && (q->class < 0 || q->class == r->class)
            && (q->counted < 0 || q->counted == r->counted)
            && (q->tenant_key < 0
                || (uint32_t) q->tenant_key == r->src_tenant_key
                || (uint32_t) q->tenant_key == r->dst_tenant_key));
}

long long
flowd_store_query(const char *dir, const struct flowd_query *q,
                  void (*cb)(const struct flowd_rec *, void *), void *aux,
                  char **errp)
{
    size_t n;
    char **names = list_files(dir, &n);
    long long matches = 0;
    char path[4400];

    *errp = NULL;
    if (!names && access(dir, R_OK)) {
        *errp = l2mt_xasprintf("%s: %s", dir, strerror(errno));
        return -1;
    }
    for (size_t i = 0; i < n; i++) {
        uint64_t start, next_start = UINT64_MAX;

        is_store_file(names[i], &start);
        if (i + 1 < n) {
            is_store_file(names[i + 1], &next_start);
        }
        /* A file holds records from its start to the next file's start. */
        if (start >= q->to_ms || next_start < q->from_ms) {
            continue;
        }
        snprintf(path, sizeof path, "%s/%s", dir, names[i]);
        FILE *f = fopen(path, "rb");
        char m[8];
        uint32_t size;
        if (!f) {
            continue;           /* Rotated away meanwhile. */
        }
        if (fread(m, 1, 8, f) != 8 || memcmp(m, magic, 8)
            || fread(&size, 1, 4, f) != 4 || size != sizeof(struct flowd_rec)) {
            fclose(f);
            *errp = l2mt_xasprintf("%s: not a sample file of this version",
                                   path);
            free_names(names, n);
            return -1;
        }
        struct flowd_rec r;
        while (fread(&r, sizeof r, 1, f) == 1) {
            if (flowd_query_match(q, &r)) {
                matches++;
                cb(&r, aux);
            }
        }
        fclose(f);
    }
    free_names(names, n);
    return matches;
}

void
flowd_rec_csv(FILE *out, const struct flowd_rec *r)
{
    char agent[64], src[64], dst[64], smac[18], dmac[18];

    if (!r) {
        fputs("time_ms,agent,input,output,vlan,src_mac,dst_mac,src_ip,"
              "dst_ip,proto,src_port,dst_port,bytes,packets,sampling_rate,"
              "class,scope,src_tenant_key,dst_tenant_key,counted\n", out);
        return;
    }
    flowd_format_ip(&r->agent, agent, sizeof agent);
    flowd_format_ip(&r->src_ip, src, sizeof src);
    flowd_format_ip(&r->dst_ip, dst, sizeof dst);
    flowd_format_mac(r->src_mac, smac);
    flowd_format_mac(r->dst_mac, dmac);
    fprintf(out, "%" PRIu64 ",%s,%u,%u,%u,%s,%s,%s,%s,%u,%u,%u,%" PRIu64
            ",%" PRIu64 ",%u,%s,%s,%u,%u,%u\n",
            r->time_ms, agent, r->input, r->output, r->vlan, smac, dmac,
            r->ip_version ? src : "", r->ip_version ? dst : "", r->proto,
            r->src_port, r->dst_port, r->bytes, r->packets, r->sampling_rate,
            flowd_class_name(r->class), r->intra ? "intra" : "leaving",
            r->src_tenant_key, r->dst_tenant_key, r->counted);
}
