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

#ifndef L2MT_FLOWD_TOPO_FIXTURE_H
#define L2MT_FLOWD_TOPO_FIXTURE_H 1

/* The topology the flowd unit tests (tests/test-flowd.c,
 * tests/test-flowd-inventory.c) start from, and its parser. */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "flowd/flowd-topo.h"

static const char topology[] =
    "# two edge switches, three hosts\n"
    "switch sw1\n"
    "host h1 switch sw1 agent 10.0.0.1 uplink 9\n"
    "host h2 switch sw1 agent 10.0.0.2 agent 2001:db8::2 uplink 9\n"
    "host h3 switch sw2 agent 10.0.0.3 uplink 9   # implies sw2\n"
    "gateway 02:00:00:00:00:fe\n"
    "tenant blue key 100 vlan 10\n"
    "tenant red key 200 vlan 20 vlan 21\n"
    "mac 02:00:00:00:00:0e host h3 tenant red vlan 20\n";

static struct flowd_topo *
parse(const char *text, char **errp)
{
    struct flowd_topo *t = flowd_topo_create();
    char *error = flowd_topo_parse(t, text, strlen(text), "topo.conf");

    if (error) {
        flowd_topo_destroy(t);
        if (errp) {
            *errp = error;
        } else {
            fprintf(stderr, "topo.conf: %s\n", error);
            free(error);
        }
        return NULL;
    }
    if (errp) {
        *errp = NULL;
    }
    return t;
}

#endif /* flowd-topo-fixture.h */
