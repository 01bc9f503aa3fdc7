/*
 * Copyright (c) 2026 The l2mt authors.
 * Licensed under the Apache License, Version 2.0.
 *
 * The trace's JSON result as text for people: one numbered line a hop,
 * indented details, the verdict last.
 */

#include <config.h>
#include "oam/oam-trace.h"

#include <inttypes.h>
#include <string.h>

#include "openvswitch/dynamic-string.h"
#include "openvswitch/json.h"
#include "openvswitch/shash.h"

static const char *
str(const struct json *obj, const char *name)
{
    const struct json *j = shash_find_data(json_object(obj), name);

    return j && j->type == JSON_STRING ? json_string(j) : NULL;
}

static long long
num(const struct json *obj, const char *name)
{
    const struct json *j = shash_find_data(json_object(obj), name);

    return j && j->type == JSON_INTEGER ? json_integer(j) : -1;
}

static void
put_bridge(const struct json *hop, struct ds *s)
{
    const struct json *out = shash_find_data(json_object(hop), "out");
    const struct json *rule = shash_find_data(json_object(hop), "rule");
    size_t i;

    ds_put_format(s, "%s %s: in_port %s -> ", str(hop, "switch"),
                  str(hop, "bridge"), str(hop, "in_port"));
    if (!json_array(out)->n) {
        ds_put_cstr(s, "drop");
    }
    for (i = 0; i < json_array(out)->n; i++) {
        ds_put_format(s, "%s%s", i ? ", " : "",
                      json_string(json_array(out)->elems[i]));
    }
    ds_put_char(s, '\n');
    if (rule) {
        if (num(rule, "priority") < 0) {
            ds_put_format(s, "       table %lld: no match\n",
                          num(rule, "table"));
        } else {
            ds_put_format(s, "       table %lld, priority %lld, cookie %s "
                          "(%s): %s\n", num(rule, "table"),
                          num(rule, "priority"), str(rule, "cookie"),
                          str(rule, "owner"), str(rule, "match")[0]
                          ? str(rule, "match") : "(matches anything)");
        }
    }
    ds_put_format(s, "       datapath actions: %s\n",
                  str(hop, "datapath_actions")[0]
                  ? str(hop, "datapath_actions") : "drop");
}

static void
put_hop(const struct json *hop, int n, struct ds *s)
{
    const char *kind = str(hop, "hop");
    const char *reason = str(hop, "reason");

    ds_put_format(s, "  %2d. ", n);
    if (!strcmp(kind, "bridge")) {
        put_bridge(hop, s);
    } else if (!strcmp(kind, "gre")) {
        ds_put_format(s, "gre: key %lld, %s -> %s", num(hop, "key"),
                      str(hop, "source"), str(hop, "remote")[0]
                      ? str(hop, "remote") : "this host");
        if (str(hop, "tunnel")) {
            ds_put_format(s, " (tunnel port %s)", str(hop, "tunnel"));
        }
        ds_put_char(s, '\n');
    } else if (!strcmp(kind, "nat64")) {
        ds_put_format(s, "nat64 %s (prefix %s): %s\n", str(hop, "mode"),
                      str(hop, "prefix"), str(hop, "result")
                      ? str(hop, "result") : "?");
        ds_put_format(s, "       before: %s\n", str(hop, "before"));
        if (str(hop, "after")) {
            ds_put_format(s, "       after:  %s\n", str(hop, "after"));
        }
    } else if (!strcmp(kind, "port")) {
        ds_put_format(s, "lands on %s", str(hop, "port"));
        if (str(hop, "role")) {
            ds_put_format(s, " (%s)", str(hop, "role"));
        }
        ds_put_char(s, '\n');
    } else if (!strcmp(kind, "unseen")) {
        ds_put_format(s, "not seen: %s", str(hop, "what"));
        if (str(hop, "why") && str(hop, "why")[0]) {
            ds_put_format(s, " (%s)", str(hop, "why"));
        }
        ds_put_char(s, '\n');
    }
    if (reason) {
        ds_put_format(s, "       DROP: %s\n", reason);
    }
}

static int
put_direction(const char *title, const struct json *d, int n, struct ds *s)
{
    const struct json *hops = shash_find_data(json_object(d), "hops");
    size_t i;

    ds_put_format(s, "%s: %s\n", title, str(d, "packet"));
    for (i = 0; i < json_array(hops)->n; i++) {
        put_hop(json_array(hops)->elems[i], ++n, s);
    }
    ds_put_format(s, "  => %s\n", str(d, "verdict"));
    return n;
}

void
oam_report_text(const struct json *r, struct ds *s)
{
    const struct json *req = shash_find_data(json_object(r), "request");
    const struct json *ans = shash_find_data(json_object(r), "answer");
    int n;

    ds_put_format(s, "tenant %s (id %lld, GRE key %lld) on host %s\n",
                  str(r, "tenant"), num(r, "tenant_id"), num(r, "gre_key"),
                  str(r, "host"));
    n = put_direction("request", req, 0, s);
    if (ans) {
        put_direction("answer", ans, n, s);
    }
    ds_put_format(s, "verdict: %s\n", str(r, "verdict"));
}
