/*
 * Copyright (c) 2026 The l2mt authors.
 * Licensed under the Apache License, Version 2.0.
 *
 * The build of programs on Open vSwitch's libraries works: OVS's config.h,
 * headers and archives from the patched tree, and l2mt's lib/ beside them.
 * Exits 0 when a JSON document survives a round trip, the tree's vlog
 * module list knows this program's module and l2mt's prefix parser links.
 */

#include <config.h>

#include <stdio.h>
#include <string.h>

#include "l2mt-prefix.h"
#include "openvswitch/json.h"
#include "openvswitch/vlog.h"
#include "ovsdb-idl.h"
#include "util.h"

VLOG_DEFINE_THIS_MODULE(test_ovs_lib);

int
main(int argc OVS_UNUSED, char *argv[])
{
    set_program_name(argv[0]);

    const char *doc = "{\"tenant\":[7,\"gre7\"]}";
    struct json *json = json_from_string(doc);
    char *text = json_to_string(json, 0);
    int ok = !strcmp(text, doc);
    json_destroy(json);
    free(text);

    ok = ok && vlog_module_from_name("test_ovs_lib") != NULL;

    uint8_t prefix[12];
    char *error = NULL;
    ok = ok && !l2mt_prefix_parse("fe80::/96", prefix, &error);
    free(error);

    printf("%s: l2mt %s on Open vSwitch's libraries\n", ok ? "ok" : "FAIL",
           L2MT_VERSION);
    return ok ? 0 : 1;
}
