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

/* libFuzzer target for the tenant map parser.  Besides not crashing, a map
 * that parses must read back the same from its own formatted text, find
 * every tenant by name, by ID and by each of its interfaces, and a rejected
 * one must say where. */

#include <config.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tenant-map.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct tenant_map *map;
    char *error;

    if (tenant_map_parse((const char *) data, size, "fuzz.conf", &map,
                         &error)) {
        if (map || !error || strncmp(error, "fuzz.conf:", 10)) {
            abort();
        }
        free(error);
        return 0;
    }
    if (error) {
        abort();
    }

    char *text = tenant_map_format(map);
    struct tenant_map *again;
    if (!text || tenant_map_parse(text, strlen(text), "again", &again, NULL)
        || tenant_map_count(again) != tenant_map_count(map)) {
        abort();
    }
    char *text2 = tenant_map_format(again);
    if (!text2 || strcmp(text, text2)) {
        abort();
    }

    for (size_t i = 0; i < tenant_map_count(map); i++) {
        const struct tenant *t = tenant_map_at(map, i);
        char id[16];

        snprintf(id, sizeof id, "%u", (unsigned int) t->id);
        if (tenant_map_find(map, t->name) != t
            || tenant_map_find(map, id) != t
            || strcmp(tenant_map_at(again, i)->name, t->name)) {
            abort();
        }
    }

    /* Every interface in the formatted map leads to its tenant. */
    char *save = NULL;
    for (char *line = strtok_r(text2, "\n", &save); line;
         line = strtok_r(NULL, "\n", &save)) {
        enum { MAX_WORDS = 3 + 2 * TENANT_MAX_IFACES };
        char *words[MAX_WORDS];
        char *save2 = NULL;
        int n = 0;

        for (char *w = strtok_r(line, " ", &save2); w && n < MAX_WORDS;
             w = strtok_r(NULL, " ", &save2)) {
            words[n++] = w;
        }
        const struct tenant *t = n > 1 ? tenant_map_find(map, words[1]) : 0;
        for (int i = 3; i + 1 < n; i += 2) {
            const struct tenant *found
                = (!strcmp(words[i], "iface")
                   ? tenant_map_lookup(map, words[i + 1], 0)
                   : tenant_map_lookup(map, NULL,
                                       strtoul(words[i + 1], NULL, 10)));
            if (!t || found != t) {
                abort();
            }
        }
    }

    free(text);
    free(text2);
    tenant_map_destroy(again);
    tenant_map_destroy(map);
    return 0;
}
