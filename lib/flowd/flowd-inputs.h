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

#ifndef L2MT_FLOWD_INPUTS_H
#define L2MT_FLOWD_INPUTS_H 1

/* What the collector knows of the network: the topology file and the
 * agents' inventories (files, or directories of *.json). */

#include <stddef.h>
#include <stdint.h>

struct flowd_topo;

struct flowd_inputs {
    const char *topology;       /* NULL: none. */
    const char *db;             /* l2mt database remotes (the topology
                                 * from "l2mt-ctl flowd-topology"), or
                                 * NULL. */
    const char **inventory;
    size_t n_inventory;
};

/* The topology and inventories, built whole or not at all: NULL with a
 * malloc'd message in '*errp' (for the caller to free) on the first
 * error. */
struct flowd_topo *flowd_inputs_load(const struct flowd_inputs *, char **errp);

/* Changes when any input file is rewritten, added or removed. */
uint64_t flowd_inputs_signature(const struct flowd_inputs *);

#endif /* flowd-inputs.h */
