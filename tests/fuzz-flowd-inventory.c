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

/* libFuzzer target for the inventory reader: Open vSwitch's JSON parser
 * (built with the fuzzing sanitizers in _ovs-fuzz) and the schema. */

#include <config.h>
#include "flowd/flowd-inventory.h"
#include "flowd/flowd-topo.h"

#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const char base[] = "host h1 switch sw1 agent 10.0.0.1\n"
                               "tenant blue key 100 vlan 10\n";
    struct flowd_topo *t = flowd_topo_create();
    if (flowd_topo_parse(t, base, strlen(base), "base")) {
        abort();
    }
    free(flowd_inventory_parse(t, (const char *) data, size, "fuzz"));
    for (size_t i = 0; i < t->n_macs; i++) {
        if ((t->macs[i].host != FLOWD_TOPO_NONE
             && t->macs[i].host >= t->n_hosts)
            || (t->macs[i].tenant != FLOWD_TOPO_NONE
                && t->macs[i].tenant >= t->n_tenants)) {
            abort();
        }
    }
    flowd_topo_destroy(t);
    return 0;
}
