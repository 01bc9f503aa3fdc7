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

#ifndef L2MT_AGENT_NETLINK_H
#define L2MT_AGENT_NETLINK_H 1

/* What the agent asks the kernel over rtnetlink (libnl-route-3): link
 * MACs for the inventory and the underlay bridge, the underlay address, and
 * link up/down events that make the daemon re-apply. */

#include <stdbool.h>

/* Stores the MAC of link 'name' as "xx:xx:xx:xx:xx:xx" in 'mac'.  Returns
 * 0 or an errno value. */
int agent_nl_link_mac(const char *name, char mac[18]);

/* Is link 'name' up, and does it have address 'cidr' ("A.B.C.D/LEN")?
 * Both false if there is no such link. */
void agent_nl_link_state(const char *name, const char *cidr, bool *up,
                         bool *has_addr);

struct agent_nl_monitor;

struct agent_nl_monitor *agent_nl_monitor_create(void);
void agent_nl_monitor_destroy(struct agent_nl_monitor *);
int agent_nl_monitor_fd(const struct agent_nl_monitor *);

/* Reads pending events; returns true if a link appeared, disappeared or
 * went up or down, and stores its name in 'name' (the last one). */
bool agent_nl_monitor_run(struct agent_nl_monitor *, char name[16]);

#endif /* l2mt-agent-netlink.h */
