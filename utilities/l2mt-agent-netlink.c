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
#include "l2mt-agent-netlink.h"

#include <errno.h>
#include <linux/if.h>
#include <stdlib.h>
#include <string.h>
#include <linux/rtnetlink.h>
#include <netlink/netlink.h>
#include <netlink/route/addr.h>
#include <netlink/route/link.h>

#include "l2mt-conf-util.h"
#include "util.h"

static struct nl_sock *
route_socket(void)
{
    struct nl_sock *sk = nl_socket_alloc();

    if (sk && nl_connect(sk, NETLINK_ROUTE)) {
        nl_socket_free(sk);
        sk = NULL;
    }
    return sk;
}

int
agent_nl_link_mac(const char *name, char mac[18])
{
    struct nl_sock *sk = route_socket();
    struct rtnl_link *link = NULL;
    struct nl_addr *addr;
    int error = 0;

    if (!sk) {
        return EPROTO;
    }
    if (rtnl_link_get_kernel(sk, 0, name, &link) < 0) {
        error = ENODEV;
    } else {
        addr = rtnl_link_get_addr(link);
        if (!addr || nl_addr_get_len(addr) != 6) {
            error = EAFNOSUPPORT;
        } else {
            const unsigned char *b = nl_addr_get_binary_addr(addr);

            snprintf(mac, 18, "%02x:%02x:%02x:%02x:%02x:%02x",
                     b[0], b[1], b[2], b[3], b[4], b[5]);
        }
        rtnl_link_put(link);
    }
    nl_socket_free(sk);
    return error;
}

void
agent_nl_link_state(const char *name, const char *cidr, bool *up,
                    bool *has_addr)
{
    struct nl_sock *sk = route_socket();
    struct rtnl_link *link = NULL;
    struct nl_cache *cache = NULL;
    struct nl_object *obj;
    size_t alen = strcspn(cidr, "/");
    int plen = atoi(cidr + alen + (cidr[alen] ? 1 : 0));
    int ifindex;

    *up = *has_addr = false;
    if (!sk) {
        return;
    }
    if (rtnl_link_get_kernel(sk, 0, name, &link) < 0) {
        goto out;
    }
    *up = (rtnl_link_get_flags(link) & IFF_UP) != 0;
    ifindex = rtnl_link_get_ifindex(link);
    rtnl_link_put(link);

    if (rtnl_addr_alloc_cache(sk, &cache) < 0) {
        goto out;
    }
    for (obj = nl_cache_get_first(cache); obj; obj = nl_cache_get_next(obj)) {
        struct rtnl_addr *a = (struct rtnl_addr *) obj;
        struct nl_addr *local = rtnl_addr_get_local(a);
        char buf[64];

        if (rtnl_addr_get_ifindex(a) != ifindex || !local) {
            continue;
        }
        nl_addr2str(local, buf, sizeof buf);
        if (!strncmp(buf, cidr, alen)
            && (buf[alen] == '/' || buf[alen] == '\0')
            && rtnl_addr_get_prefixlen(a) == plen) {
            *has_addr = true;
        }
    }
    nl_cache_free(cache);
out:
    nl_socket_free(sk);
}

struct link_flags {
    int ifindex;
    unsigned int flags;
};

struct agent_nl_monitor {
    struct nl_sock *sk;
    struct link_flags *links;
    size_t n_links;
    bool changed;
    char name[16];
};

/* Up/down as operators mean it: administratively up, carrier present. */
#define LINK_FLAGS (IFF_UP | IFF_LOWER_UP)

static int
link_event(struct nl_msg *msg, void *m_)
{
    struct agent_nl_monitor *m = m_;
    struct nlmsghdr *nlh = nlmsg_hdr(msg);
    struct ifinfomsg *ifi;
    struct nlattr *tb[IFLA_MAX + 1];
    unsigned int flags;
    size_t i;

    if ((nlh->nlmsg_type != RTM_NEWLINK && nlh->nlmsg_type != RTM_DELLINK)
        || nlmsg_parse(nlh, sizeof *ifi, tb, IFLA_MAX, NULL) < 0) {
        return NL_OK;
    }
    ifi = nlmsg_data(nlh);
    flags = nlh->nlmsg_type == RTM_DELLINK ? 0 : ifi->ifi_flags & LINK_FLAGS;
    for (i = 0; i < m->n_links; i++) {
        if (m->links[i].ifindex == ifi->ifi_index) {
            break;
        }
    }
    if (i == m->n_links) {
        m->links = xrealloc(m->links, (m->n_links + 1)
                                 * sizeof *m->links);
        m->links[m->n_links].ifindex = ifi->ifi_index;
        m->links[m->n_links].flags = ~0u;
        m->n_links++;
    }
    if (m->links[i].flags != flags) {
        m->links[i].flags = flags;
        m->changed = true;
        if (tb[IFLA_IFNAME]) {
            snprintf(m->name, sizeof m->name, "%s",
                     (const char *) nla_data(tb[IFLA_IFNAME]));
        }
    }
    return NL_OK;
}

struct agent_nl_monitor *
agent_nl_monitor_create(void)
{
    struct agent_nl_monitor *m = xzalloc(sizeof *m);

    m->sk = nl_socket_alloc();
    if (!m->sk) {
        free(m);
        return NULL;
    }
    nl_socket_disable_seq_check(m->sk);
    nl_socket_modify_cb(m->sk, NL_CB_VALID, NL_CB_CUSTOM, link_event, m);
    if (nl_connect(m->sk, NETLINK_ROUTE)
        || nl_socket_add_membership(m->sk, RTNLGRP_LINK)
        || nl_socket_set_nonblocking(m->sk)) {
        agent_nl_monitor_destroy(m);
        return NULL;
    }
    return m;
}

void
agent_nl_monitor_destroy(struct agent_nl_monitor *m)
{
    if (m) {
        nl_socket_free(m->sk);
        free(m->links);
        free(m);
    }
}

int
agent_nl_monitor_fd(const struct agent_nl_monitor *m)
{
    return nl_socket_get_fd(m->sk);
}

bool
agent_nl_monitor_run(struct agent_nl_monitor *m, char name[16])
{
    int i;

    m->changed = false;
    m->name[0] = '\0';
    for (i = 0; i < 100 && nl_recvmsgs_default(m->sk) >= 0; i++) {
        continue;
    }
    strcpy(name, m->name);
    return m->changed;
}
