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

/* The agents' inventory files: Open vSwitch's JSON parser, the schema
 * (Documentation/flowd.md) and how a VM lands in the topology. */

#include <config.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "flowd-check.h"
#include "flowd/flowd-inventory.h"
#include "flowd/flowd-topo.h"
#include "flowd-topo-fixture.h"

static void
expect_inventory_error(const char *json, const char *want)
{
    struct flowd_topo *t = parse(topology, NULL);
    char *err = flowd_inventory_parse(t, json, strlen(json), "inv.json");

    if (!err || !strstr(err, want)) {
        fprintf(stderr, "inventory %s: got '%s', expected '%s'\n",
                err ? "rejected" : "accepted", err ? err : "", want);
        failures++;
    }
    free(err);
    flowd_topo_destroy(t);
}

static void
test_inventory(void)
{
    static const char inv[] =
        "{\"version\": 1, \"host\": \"h4\", \"vms\": [\n"
        " {\"mac\": \"02:00:00:00:00:41\", \"host\": \"h4\",\n"
        "  \"edge_switch\": \"sw2\", \"tenant\": \"green\",\n"
        "  \"tenant_key\": 300, \"vlan\": 30, \"port\": \"vnet0\"},\n"
        " {\"mac\": \"02:00:00:00:00:0a\", \"host\": \"h1\", \"tenant\": "
        "\"blue\", \"vlan\": 10}]}";
    struct flowd_topo *t = parse(topology, NULL);

    save_seed("inventory", inv, strlen(inv));
    CHECK_OK(flowd_inventory_parse(t, inv, strlen(inv), "inv.json"));
    CHECK_EQ(t->n_hosts, 4);
    CHECK_EQ(t->hosts[3].sw, 1);
    CHECK_EQ(t->n_tenants, 3);
    CHECK_EQ(t->tenants[2].key, 300);
    uint8_t m[6] = { 2, 0, 0, 0, 0, 0x41 };
    const struct flowd_topo_mac *tm = flowd_topo_find_mac(t, m);
    CHECK(tm && tm->host == 3 && tm->tenant == 2 && tm->vlan == 30);
    flowd_topo_destroy(t);

    /* The VM moved: the newer inventory (parsed later) wins. */
    static const char moved[] =
        "{\"version\": 1, \"vms\": [{\"mac\": \"02:00:00:00:00:41\","
        " \"host\": \"h2\", \"tenant\": \"green\"}]}";
    t = parse(topology, NULL);
    CHECK_OK(flowd_inventory_parse(t, inv, strlen(inv), "a.json"));
    CHECK_OK(flowd_inventory_parse(t, moved, strlen(moved), "b.json"));
    tm = flowd_topo_find_mac(t, m);
    CHECK(tm && tm->host == 1 && tm->vlan == 0);
    CHECK_EQ(t->n_macs, 4);     /* Replaced, not added. */
    flowd_topo_destroy(t);
    expect_inventory_error("{\"version\":1,\"vms\":[{\"mac\":"
                           "\"02:00:00:00:00:01\",\"host\":\"h1\"},"
                           "{\"mac\":\"02:00:00:00:00:01\","
                           "\"host\":\"h1\"}]}", "listed twice");

    expect_inventory_error("{\"version\": 1, \"vms\": [",
                           "inv.json: bad JSON: line 0, column 23");
    expect_inventory_error("[]", "not a JSON object");
    expect_inventory_error("{\"version\": 2, \"vms\": []}", "must be 1");
    expect_inventory_error("{\"version\": 1}", "missing \"vms\"");
    expect_inventory_error("{\"version\":1,\"vms\":[{\"mac\":\"x\"}]}",
                           "vms[0]: missing or bad \"mac\"");
    expect_inventory_error("{\"version\":1,\"vms\":[{\"mac\":"
                           "\"02:00:00:00:00:01\",\"host\":\"h9\"}]}",
                           "host 'h9' is not in the topology");
    expect_inventory_error("{\"version\":1,\"vms\":[{\"mac\":"
                           "\"02:00:00:00:00:01\",\"host\":\"h1\","
                           "\"edge_switch\":\"sw2\"}]}",
                           "host 'h1' is on switch 'sw1', not 'sw2'");
    expect_inventory_error("{\"version\":1,\"vms\":[{\"mac\":"
                           "\"02:00:00:00:00:01\",\"host\":\"h1\","
                           "\"vlan\":4096}]}", "bad \"vlan\"");
    expect_inventory_error("{\"version\":1,\"vms\":[{\"mac\":"
                           "\"02:00:00:00:00:0e\",\"host\":\"h1\"}]}",
                           "listed twice");
}

/* Bad JSON is an error with its place, never a crash or half a topology. */
static void
test_bad_json(void)
{
    const char *bad[] = { "", "{", "[1,]", "{\"a\" 1}", "01", "\"\\x\"",
                          "[1] x", "tru", "{\"version\":1,}", "'a'",
                          "{\"version\":1,\"vms\":[]} x" };
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        expect_inventory_error(bad[i], "inv.json: bad JSON: ");
    }
    expect_inventory_error("{\"version\": 1,\n\"vms\": [\n{]}",
                           "inv.json: bad JSON: line 2, column 1");

    static const char nul[] = "{\"version\":1,\"vms\":[]}\0{";
    struct flowd_topo *t = parse(topology, NULL);
    CHECK_ERR(flowd_inventory_parse(t, nul, sizeof nul - 1, "inv.json"),
              "NUL byte");
    flowd_topo_destroy(t);

    expect_inventory_error("{\"version\":1,\"vms\":[{\"mac\":"
                           "\"02:00:00:00:00:01\",\"host\":\"h1\","
                           "\"vlan\":1e999}]}", "number outside valid range");
    expect_inventory_error("{\"version\":1,\"vms\":[{\"mac\":"
                           "\"02:00:00:00:00:01\",\"host\":\"h1\","
                           "\"vlan\":1.5}]}", "bad \"vlan\"");
    expect_inventory_error("{\"version\":1,\"vms\":[{\"mac\":"
                           "\"02:00:00:00:00:01\",\"host\":\"h1\","
                           "\"tenant\":\"x\",\"tenant_key\":-1}]}",
                           "bad \"tenant_key\"");

    static char deep[5000];
    memset(deep, '[', sizeof deep - 1);
    expect_inventory_error(deep, "inv.json: bad JSON: ");
}

int
main(void)
{
    test_inventory();
    test_bad_json();
    return check_report("test-flowd-inventory");
}
