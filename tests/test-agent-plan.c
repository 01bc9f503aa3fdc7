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

/* The agent's planner on a recorded switch state, no switch needed:
 *
 *   test-agent-plan [--remove] CONFIG HOST STATE [LINKS]
 *
 * STATE is what the gather step reads from OVSDB (ovs-vsctl --format=json,
 * one "list" of each table a line, see lib/agent/ovsdb.h); LINKS what it
 * reads over rtnetlink, "up", "addr" and "mac=XX:..." words.  Prints the
 * plan: drift, errors, warnings, the ovs-vsctl transaction one command a
 * line, the ip commands, the flows (ports by name and by number, as the
 * switch gets them), the ports left out for lack of a number, the meters.
 * tests/test-agent-plan.sh compares that with tests/agent-plan/. */

#include <config.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "agent/plan.h"
#include "l2mt-conf.h"
#include "l2mt-conf-util.h"
#include "util.h"

static char *
read_text(const char *file)
{
    char *text;
    size_t len;

    if (l2mt_read_file(file, &text, &len)) {
        ovs_fatal(0, "%s: cannot read", file);
    }
    return text;
}

static void
read_links(const char *file, struct agent_links *links)
{
    char *text = read_text(file), *save = NULL, *w;

    for (w = strtok_r(text, " \t\n", &save); w;
         w = strtok_r(NULL, " \t\n", &save)) {
        if (!strcmp(w, "up")) {
            links->underlay_up = true;
        } else if (!strcmp(w, "addr")) {
            links->underlay_has_addr = true;
        } else if (!strncmp(w, "mac=", 4)) {
            ovs_strlcpy(links->underlay_mac, w + 4,
                        sizeof links->underlay_mac);
        } else {
            ovs_fatal(0, "%s: unknown word \"%s\"", file, w);
        }
    }
    free(text);
}

/* Prints 'text' under 'title', or nothing if it is empty. */
static void
section(const char *title, const char *text)
{
    if (text && *text) {
        printf("== %s\n%s", title, text);
    }
}

int
main(int argc, char *argv[])
{
    bool remove = argc > 1 && !strcmp(argv[1], "--remove");
    struct l2mt_str flows = { NULL, 0, 0 }, missing = { NULL, 0, 0 };
    struct l2mt_str numbered = { NULL, 0, 0 }, meters = { NULL, 0, 0 };
    struct agent_ctx ctx = { .ovs = { "ovs-vsctl", "ovs-ofctl", NULL, 10 } };
    struct agent_plan p;
    struct agent_db db;
    char *errors = NULL, *text, *error;
    size_t i;

    set_program_name(argv[0]);
    argv += remove;
    argc -= remove;
    if (argc < 4 || argc > 5) {
        ovs_fatal(0, "usage: %s [--remove] CONFIG HOST STATE [LINKS]",
                  program_name);
    }
    ctx.conf = l2mt_conf_load(argv[1], &errors);
    if (!ctx.conf) {
        ovs_fatal(0, "%s", errors);
    }
    ctx.host = l2mt_conf_find_host(ctx.conf, argv[2]);
    if (!ctx.host) {
        ovs_fatal(0, "%s: no host %s", argv[1], argv[2]);
    }
    text = read_text(argv[3]);
    error = agent_db_parse(text, &db);
    if (error) {
        ovs_fatal(0, "%s: %s", argv[3], error);
    }
    free(text);
    if (argc == 5) {
        read_links(argv[4], &ctx.links);
    }

    agent_plan_init(&p, &ctx);
    agent_plan_vsctl(&p, &ctx, &db, remove);
    section("drift", p.drift.s);
    section("errors", p.errors.s);
    section("warnings", p.warnings.s);
    if (p.n_cmds) {
        /* One command a line: the words after the base, split at "--". */
        bool first = true;

        printf("== vsctl\n");
        for (i = 0; i < p.vsctl.n; i++) {
            const char *w = p.vsctl.argv[i];

            if (!strcmp(w, "--")) {
                printf(first ? "--" : "\n--");
                first = false;
            } else if (!first) {
                printf(" %s", w);
            }
        }
        printf("\n");
    }
    if (p.n_ip) {
        printf("== ip\n");
        for (i = 0; i < p.n_ip; i++) {
            char *line = agent_cmd_to_shell(&p.ip[i]);

            printf("%s\n", line);
            free(line);
        }
    }
    if (!remove) {
        agent_plan_flows(&ctx, &db, true, &flows, &missing);
        section("flows", flows.s);
        l2mt_str_free(&missing);
        agent_plan_flows(&ctx, &db, false, &numbered, &missing);
        section("flows by port number", numbered.s);
        if (missing.len) {
            printf("== no port number\n%s\n", missing.s);
        }
        agent_plan_meters(&ctx, &db, &meters);
        section("meters", meters.s);
    }

    agent_plan_free(&p);
    agent_db_destroy(&db);
    l2mt_str_free(&flows);
    l2mt_str_free(&numbered);
    l2mt_str_free(&missing);
    l2mt_str_free(&meters);
    l2mt_conf_free(CONST_CAST(struct l2mt_conf *, ctx.conf));
    return 0;
}
