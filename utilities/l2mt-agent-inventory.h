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

#ifndef L2MT_AGENT_INVENTORY_H
#define L2MT_AGENT_INVENTORY_H 1

/* The host inventory for the collector (l2mt-flowd): which VM MACs live on
 * this host, behind which edge switch, in which tenant and VLAN.  Schema in
 * Documentation/agent.md. */

#include <stdbool.h>

#include "agent/ovsdb.h"
#include "agent/plan.h"

#define L2MT_INVENTORY_DEFAULT "/run/l2mt/inventory.json"

/* Returns the inventory as JSON text (caller frees). */
char *agent_inventory(const struct agent_ctx *, const struct agent_db *);

/* Writes the inventory to 'path' atomically, unless it already holds the
 * same text ('*wrote' tells).  Returns 0 or an errno value. */
int agent_inventory_write(const struct agent_ctx *, const struct agent_db *,
                          const char *path, bool *wrote);

/* Reads the switch and prints the inventory on stdout.  Returns NULL, or
 * an error message (caller frees). */
char *agent_inventory_print(const struct agent_ctx *);

#endif /* l2mt-agent-inventory.h */
