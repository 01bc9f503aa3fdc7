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

#ifndef L2MT_FLOWD_INVENTORY_H
#define L2MT_FLOWD_INVENTORY_H 1

/* The agents' inventory files (Documentation/flowd.md), JSON written by
 * l2mt-agent with Open vSwitch's json library and read here with the same
 * one: one JSON stack for the schema.  So this is in libflowd-daemon.a, on
 * Open vSwitch's libraries, and not in the light build. */

#include <stdbool.h>
#include <stddef.h>

struct flowd_topo;

/* Adds the VMs of inventory JSON 'text' ('len' bytes, file 'name') to
 * 'topo' (flowd_topo_add_vm()).  Returns NULL, or on error a malloc'd
 * "NAME: message" for the caller to free (Open vSwitch's parser gives the
 * line and column of bad JSON); 'topo' must then be destroyed. */
char *flowd_inventory_parse(struct flowd_topo *, const char *text, size_t len,
                            const char *name)
    __attribute__((warn_unused_result));

#endif /* flowd-inventory.h */
