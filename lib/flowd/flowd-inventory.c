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

#include <config.h>
#include "flowd/flowd-inventory.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "flowd/flowd-topo.h"
#include "l2mt-conf-util.h"
#include "openvswitch/json.h"
#include "openvswitch/shash.h"

static const struct json *
member(const struct json *obj, const char *key)
{
    return shash_find_data(json_object(obj), key);
}

static const char *
member_string(const struct json *obj, const char *key)
{
    const struct json *v = member(obj, key);

    return v && v->type == JSON_STRING ? json_string(v) : NULL;
}

/* An integer 0..'max' (1 and 1.0 alike: JSON does not tell them apart). */
static bool
json_uint(const struct json *v, uint32_t max, uint32_t *out)
{
    if (v->type == JSON_INTEGER) {
        if (json_integer(v) < 0 || json_integer(v) > max) {
            return false;
        }
        *out = json_integer(v);
        return true;
    } else if (v->type == JSON_REAL) {
        double d = json_real(v);

        if (!isfinite(d) || d < 0 || d > max || d != floor(d)) {
            return false;
        }
        *out = d;
        return true;
    }
    return false;
}

static char *
fail(const char *name, const char *msg, size_t i)
{
    return (i == SIZE_MAX
            ? l2mt_xasprintf("%s: %s", name, msg)
            : l2mt_xasprintf("%s: vms[%zu]: %s", name, i, msg));
}

static char *
parse_vm(struct flowd_topo *t, uint32_t source, const struct json *vm,
         size_t i,
         const char *name)
{
    struct flowd_topo_vm v = { .mac = NULL };
    const struct json *x;
    uint32_t n;

    if (vm->type != JSON_OBJECT) {
        return fail(name, "not an object", i);
    }
    v.mac = member_string(vm, "mac");
    v.host = member_string(vm, "host");
    v.edge_switch = member_string(vm, "edge_switch");
    v.tenant = member_string(vm, "tenant");
    if ((x = member(vm, "vlan"))) {
        if (!json_uint(x, 4095, &n)) {
            return fail(name, "bad \"vlan\" (0..4095)", i);
        }
        v.vlan = n;
    }
    if ((x = member(vm, "tenant_key"))) {
        if (!json_uint(x, UINT32_MAX, &v.tenant_key)) {
            return fail(name, "bad \"tenant_key\"", i);
        }
        v.has_key = true;
    }
    return flowd_topo_add_vm(t, source, name, i, &v);
}

char *
flowd_inventory_parse(struct flowd_topo *t, const char *text, size_t len,
                      const char *name)
{
    uint32_t source = flowd_topo_begin_inventory(t);
    struct json_parser *p = json_parser_create(0);
    const struct json *version, *vms;
    struct json *doc;
    char *error = NULL;
    uint32_t v;

    /* The parser stops at a NUL byte; none may hide text behind it. */
    if (memchr(text, '\0', len)) {
        json_parser_abort(p);
        return fail(name, "NUL byte in the file", SIZE_MAX);
    }
    /* The parser stops after the first value: nothing may follow it. */
    size_t used = json_parser_feed(p, text, len);
    while (used < len && strchr(" \t\r\n", text[used])) {
        used++;
    }
    doc = json_parser_finish(p);
    if (doc->type != JSON_STRING && used < len) {
        error = l2mt_xasprintf("%s: bad JSON: text after the document "
                               "(byte %zu)", name, used);
    } else if (doc->type == JSON_STRING) {
        /* Open vSwitch's parser reports errors so, with line and column. */
        error = l2mt_xasprintf("%s: bad JSON: %s", name, json_string(doc));
    } else if (doc->type != JSON_OBJECT) {
        error = fail(name, "not a JSON object", SIZE_MAX);
    } else if (!(version = member(doc, "version"))
               || !json_uint(version, 1, &v) || v != 1) {
        error = fail(name, "\"version\" must be 1", SIZE_MAX);
    } else if (!(vms = member(doc, "vms")) || vms->type != JSON_ARRAY) {
        error = fail(name, "missing \"vms\" array", SIZE_MAX);
    } else {
        const struct json_array *a = json_array(vms);

        for (size_t i = 0; !error && i < a->n; i++) {
            error = parse_vm(t, source, a->elems[i], i, name);
        }
    }
    json_destroy(doc);
    return error;
}
