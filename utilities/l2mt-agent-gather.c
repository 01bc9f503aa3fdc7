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
#include "l2mt-agent-gather.h"

#include <stdlib.h>
#include <string.h>

#include "l2mt-agent-netlink.h"
#include "l2mt-run.h"
#include "openvswitch/vlog.h"
#include "util.h"

VLOG_DEFINE_THIS_MODULE(agent_gather);

char *
agent_gather_db(const struct agent_ovs *ovs, struct agent_db *state)
{
    struct agent_cmd cmd;
    char *out, *err;
    int rc, t;

    agent_db_init(state);
    agent_db_vsctl_base(ovs, &cmd);
    agent_cmd_add(&cmd, "--format=json");
    for (t = 0; t < OT_N; t++) {
        agent_cmd_add(&cmd, "--");
        agent_cmd_addf(&cmd, "--columns=%s", agent_db_columns[t]);
        agent_cmd_add(&cmd, "list");
        agent_cmd_add(&cmd, agent_db_tables[t]);
    }
    rc = l2mt_run(cmd.argv, NULL, ovs->timeout + 5, &out, NULL, &err);
    agent_cmd_free(&cmd);
    if (rc) {
        free(out);
        if (!err[0]) {
            free(err);
            err = xasprintf("%s exited with status %d", ovs->vsctl, rc);
        }
        return err;
    }
    free(err);
    err = agent_db_parse(out, state);
    free(out);
    return err;
}

void
agent_gather_links(const struct l2mt_conf_host *h, struct agent_links *links)
{
    int error;

    memset(links, 0, sizeof *links);
    if (!h->underlay_bridge) {
        return;
    }
    agent_nl_link_state(h->underlay_bridge, h->underlay_ip,
                        &links->underlay_up, &links->underlay_has_addr);
    error = agent_nl_link_mac(h->underlay_if, links->underlay_mac);
    if (error) {
        VLOG_WARN("cannot read the MAC of underlay interface %s: %s",
                  h->underlay_if, ovs_strerror(error));
        links->underlay_mac[0] = '\0';
    }
}
