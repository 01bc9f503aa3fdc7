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

#ifndef L2MT_FLOWD_ADVISE_H
#define L2MT_FLOWD_ADVISE_H 1

/* Placement advice: from the traffic between VMs (a matrix of bytes per
 * pair of MACs) and where the VMs are (topology and inventories), the VM
 * pairs whose traffic crosses the core or an edge switch, and the moves
 * that most reduce it.  A byte across the core costs 2, across an edge
 * switch 1, within a host 0; moves are chosen greedily, best first, each
 * VM at most once, within the operator's limits. */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "flowd/flowd-table.h"

struct flowd_topo;

struct flowd_advise_move {
    uint32_t vm;
    uint16_t from, to;
    uint64_t before[3], after[3];   /* Bytes per class of all pairs:
                                     * same_host, same_switch, core. */
};

struct flowd_advise {
    const struct flowd_topo *topo;
    struct flowd_table vms;          /* MAC (8 bytes) -> uint32_t VM index. */
    uint8_t (*macs)[6];         /* Per VM. */
    uint16_t *host;             /* Per VM: current (then proposed) host. */
    size_t n_vms, vms_cap;
    struct flowd_table pairs; /* (VM a, VM b), a < b -> uint64_t bytes. */
    uint64_t skipped_bytes;     /* Of pairs with an end not placed. */
};

bool flowd_advise_init(struct flowd_advise *, const struct flowd_topo *,
                       uint32_t max_pairs);
void flowd_advise_destroy(struct flowd_advise *);

/* Adds 'bytes' from 'src' to 'dst' (both directions count alike). */
void flowd_advise_add(struct flowd_advise *, const uint8_t src[6],
                      const uint8_t dst[6], uint64_t bytes);

/* Bytes per class (same_host, same_switch, core) with the current hosts. */
void flowd_advise_totals(const struct flowd_advise *, uint64_t out[3]);

struct flowd_advise_pair {
    uint32_t a, b;
    uint64_t bytes;
    uint8_t class;              /* FLOWD_SAME_SWITCH or FLOWD_CORE. */
};

/* Pairs whose traffic crosses an edge switch or the core, most bytes
 * first (core before same_switch at equal bytes); returns how many are in
 * '*out' (malloc()ed). */
size_t flowd_advise_rank(const struct flowd_advise *,
                         struct flowd_advise_pair **out);

struct flowd_advise_limits {
    uint32_t max_moves;
    uint32_t max_vms_per_host;  /* 0: no limit. */
    const bool *may_receive;    /* Per topology host; NULL: every host. */
};

/* Proposes up to 'max_moves' moves, applying each to the hosts; returns
 * how many are in '*out' (malloc()ed). */
size_t flowd_advise_moves(struct flowd_advise *,
                          const struct flowd_advise_limits *,
                          struct flowd_advise_move **out);

/* Writes the HTML report's section: the advice over the first
 * aggregation of 'iv' with src_mac and dst_mac keys (a note if it has
 * none), up to 'top' pairs and 'max_moves' moves, with no limit per host
 * (the operator's limits are for l2mt-flowd advise). */
struct flowd_interval;
void flowd_advise_html(FILE *, const struct flowd_interval *,
                       const struct flowd_topo *, uint32_t max_moves,
                       size_t top);

#endif /* flowd-advise.h */
