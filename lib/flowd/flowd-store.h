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

#ifndef L2MT_FLOWD_STORE_H
#define L2MT_FLOWD_STORE_H 1

/* Raw decoded samples in rotating files under one directory, so detail can
 * be searched after the fact.  Disk use is bounded: at most 'max_files'
 * files of about 'file_bytes' each; the oldest file goes first. */

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "flowd/flowd-rec.h"

struct flowd_store {
    char dir[4096];
    uint64_t file_bytes;
    uint32_t max_files;
    FILE *f;
    uint64_t cur_bytes;
    uint64_t n_written, n_rotations, n_deleted, n_errors;
};

/* Returns 0 or an errno value (the caller names 'dir'). */
int flowd_store_open(struct flowd_store *, const char *dir,
                     uint64_t file_bytes, uint32_t max_files)
    __attribute__((warn_unused_result));
void flowd_store_write(struct flowd_store *, const struct flowd_rec *);
void flowd_store_flush(struct flowd_store *);
void flowd_store_close(struct flowd_store *);

/* A query: time range plus optional filters (NULL or -1: any). */
struct flowd_query {
    uint64_t from_ms, to_ms;
    bool has_src_ip, has_dst_ip, has_ip, has_mac, has_src_mac, has_dst_mac;
    struct in6_addr src_ip, dst_ip, ip;   /* 'ip': either end. */
    uint8_t mac[6], src_mac[6], dst_mac[6];
    int vlan, class, tenant_key, counted;
};

void flowd_query_init(struct flowd_query *);
/* Parses "FIELD=VALUE" into 'q'.  Returns NULL, or a malloc'd error
 * message for the caller to free. */
char *flowd_query_parse(struct flowd_query *, const char *)
    __attribute__((warn_unused_result));
bool flowd_query_match(const struct flowd_query *, const struct flowd_rec *);

/* Calls 'cb' for each stored record matching 'q', oldest first; returns
 * the number of matches, or -1 with a malloc'd message in '*errp' for the
 * caller to free. */
long long flowd_store_query(const char *dir, const struct flowd_query *,
                            void (*cb)(const struct flowd_rec *, void *),
                            void *aux, char **errp);

/* Writes 'r' as one CSV line (header with 'r' NULL). */
void flowd_rec_csv(FILE *, const struct flowd_rec *);

#endif /* flowd-store.h */
