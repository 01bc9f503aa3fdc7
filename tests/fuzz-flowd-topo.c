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

/* libFuzzer target for the topology file parser. */

#include <config.h>
#include "flowd/flowd-topo.h"

#include <stdlib.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct flowd_topo *t = flowd_topo_create();
    char *error = flowd_topo_parse(t, (const char *) data, size, "fuzz");
    bool ok = !error;

    free(error);
    if (ok) {
        /* Whatever parsed must be consistent. */
        for (size_t i = 0; i < t->n_hosts; i++) {
            if (t->hosts[i].sw >= t->n_switches) {
                abort();
            }
        }
        for (size_t i = 0; i < t->n_macs; i++) {
            if (flowd_topo_find_mac(t, t->macs[i].mac) != &t->macs[i]) {
                abort();
            }
        }
    }
    flowd_topo_destroy(t);
    return 0;
}
