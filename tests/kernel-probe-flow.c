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

/* kernel-probe nat64-flow: installs a kernel datapath flow whose action is
 * OVS_ACTION_ATTR_NAT64 with a prefix given as raw bytes, over plain
 * generic netlink.  ovs-dpctl cannot: its parser applies l2mt's prefix
 * rules before anything reaches the kernel, and the kernel module must
 * refuse a bad prefix by itself. */

#include <config.h>
#include "kernel-probe-flow.h"

#include <arpa/inet.h>
#include <errno.h>
#include <linux/genetlink.h>
#include <linux/netlink.h>
#include <linux/openvswitch.h>
#include <net/if.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

/* The l2mt uapi (datapath/patches/0001): not in the build host's
 * <linux/openvswitch.h>. */
#define NAT64_ACTION_ATTR 26
struct nat64_action {
    uint8_t mode;               /* 1: 4toll6. */
    uint8_t pad[3];
    uint8_t prefix[12];
};

/* The flow matches packets from datapath port 65000, which no test has:
 * it is installed and deleted again, never used. */
#define FLOW_IN_PORT 65000

struct msg {
    union {
        struct nlmsghdr nlh;
        char buf[1024];
    };
};

static void *
put(struct msg *m, const void *data, size_t len)
{
    void *p = m->buf + NLMSG_ALIGN(m->nlh.nlmsg_len);

    if (NLMSG_ALIGN(m->nlh.nlmsg_len) + NLA_ALIGN(len) > sizeof m->buf) {
        fprintf(stderr, "kernel-probe: netlink message too long\n");
        exit(2);
    }
    memset(p, 0, NLA_ALIGN(len));
    if (data) {
        memcpy(p, data, len);
    }
    m->nlh.nlmsg_len = NLMSG_ALIGN(m->nlh.nlmsg_len) + len;
    return p;
}

static struct nlattr *
put_attr(struct msg *m, uint16_t type, const void *data, size_t len)
{
    struct nlattr *nla = put(m, NULL, NLA_HDRLEN);

    nla->nla_type = type;
    nla->nla_len = NLA_HDRLEN + len;
    put(m, data, len);
    return nla;
}

/* Starts a nested attribute; end_nest() sets its length. */
static struct nlattr *
start_nest(struct msg *m, uint16_t type)
{
    return put_attr(m, type | NLA_F_NESTED, NULL, 0);
}

static void
end_nest(struct msg *m, struct nlattr *nest)
{
    nest->nla_len = m->buf + m->nlh.nlmsg_len - (char *) nest;
}

static void
start_msg(struct msg *m, uint16_t type, uint16_t flags, uint8_t cmd,
          uint8_t version)
{
    struct genlmsghdr g = { .cmd = cmd, .version = version };

    memset(m, 0, sizeof *m);
    m->nlh.nlmsg_len = NLMSG_HDRLEN;
    m->nlh.nlmsg_type = type;
    m->nlh.nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK | flags;
    put(m, &g, sizeof g);
}

/* Sends 'm' on 'fd' and reads the answer into 'reply'.  Returns 0 or a
 * positive errno (the kernel's answer or a socket error). */
static int
transact(int fd, struct msg *m, struct msg *reply)
{
    static uint32_t seq;
    ssize_t n;

    m->nlh.nlmsg_seq = ++seq;
    if (send(fd, m->buf, m->nlh.nlmsg_len, 0) < 0) {
        return errno;
    }
    for (;;) {
        n = recv(fd, reply->buf, sizeof reply->buf, 0);
        if (n < 0) {
            return errno;
        } else if (n < NLMSG_HDRLEN || reply->nlh.nlmsg_seq != seq) {
            continue;
        } else if (reply->nlh.nlmsg_type == NLMSG_ERROR) {
            const struct nlmsgerr *e = NLMSG_DATA(&reply->nlh);

            return -e->error;
        }
        return 0;
    }
}

/* Returns the id of generic netlink family 'name', or 0. */
static uint16_t
family_id(int fd, const char *name)
{
    struct msg m, reply;
    const struct nlattr *nla;
    size_t ofs;

    start_msg(&m, GENL_ID_CTRL, 0, CTRL_CMD_GETFAMILY, 1);
    put_attr(&m, CTRL_ATTR_FAMILY_NAME, name, strlen(name) + 1);
    m.nlh.nlmsg_flags &= ~NLM_F_ACK;
    if (transact(fd, &m, &reply) || reply.nlh.nlmsg_type != GENL_ID_CTRL) {
        return 0;
    }
    for (ofs = NLMSG_HDRLEN + GENL_HDRLEN;
         ofs + NLA_HDRLEN <= reply.nlh.nlmsg_len;
         ofs += NLA_ALIGN(nla->nla_len)) {
        nla = (const struct nlattr *) (reply.buf + ofs);
        if (nla->nla_len < NLA_HDRLEN) {
            break;
        } else if ((nla->nla_type & NLA_TYPE_MASK) == CTRL_ATTR_FAMILY_ID) {
            uint16_t id;

            memcpy(&id, (const char *) nla + NLA_HDRLEN, sizeof id);
            return id;
        }
    }
    return 0;
}

/* A flow message for the one flow this tool installs: IPv4 from
 * FLOW_IN_PORT, exact match. */
static void
flow_msg(struct msg *m, uint16_t family, uint8_t cmd, uint16_t flags,
         int dp_ifindex)
{
    struct ovs_header h = { .dp_ifindex = dp_ifindex };
    struct ovs_key_ethernet eth = {
        .eth_src = { 0x02, 0, 0, 0, 0xfd, 0xe8 },
        .eth_dst = { 0x02, 0, 0, 0, 0xfd, 0xe9 },
    };
    struct ovs_key_ipv4 ip4 = { .ipv4_ttl = 64 };
    uint32_t in_port = FLOW_IN_PORT;
    uint16_t ethertype = htons(0x0800);
    struct nlattr *key;

    start_msg(m, family, flags, cmd, OVS_FLOW_VERSION);
    put(m, &h, sizeof h);
    key = start_nest(m, OVS_FLOW_ATTR_KEY);
    put_attr(m, OVS_KEY_ATTR_IN_PORT, &in_port, sizeof in_port);
    put_attr(m, OVS_KEY_ATTR_ETHERNET, &eth, sizeof eth);
    put_attr(m, OVS_KEY_ATTR_ETHERTYPE, &ethertype, sizeof ethertype);
    put_attr(m, OVS_KEY_ATTR_IPV4, &ip4, sizeof ip4);
    end_nest(m, key);
}

int
kernel_probe_nat64_flow(const char *dp_name, const char *prefix_s)
{
    struct nat64_action act = { .mode = 1 };
    struct sockaddr_nl sa = { .nl_family = AF_NETLINK };
    struct in6_addr addr;
    struct msg m, reply;
    struct nlattr *actions;
    unsigned int dp_ifindex;
    uint16_t family;
    int fd, error;

    /* inet_pton() only: the bytes go to the kernel as they are, without
     * any of l2mt's prefix rules. */
    if (inet_pton(AF_INET6, prefix_s, &addr) != 1) {
        fprintf(stderr, "kernel-probe: %s is not an IPv6 address\n",
                prefix_s);
        return 2;
    }
    memcpy(act.prefix, addr.s6_addr, sizeof act.prefix);

    dp_ifindex = if_nametoindex(dp_name);
    fd = socket(AF_NETLINK, SOCK_RAW, NETLINK_GENERIC);
    if (!dp_ifindex || fd < 0 || bind(fd, (struct sockaddr *) &sa, sizeof sa)) {
        fprintf(stderr, "kernel-probe: %s: %s\n", dp_name, strerror(errno));
        return 2;
    }
    family = family_id(fd, OVS_FLOW_FAMILY);
    if (!family) {
        fprintf(stderr, "kernel-probe: no %s family\n", OVS_FLOW_FAMILY);
        return 2;
    }

    flow_msg(&m, family, OVS_FLOW_CMD_NEW, NLM_F_CREATE, dp_ifindex);
    actions = start_nest(&m, OVS_FLOW_ATTR_ACTIONS);
    put_attr(&m, NAT64_ACTION_ATTR, &act, sizeof act);
    end_nest(&m, actions);
    error = transact(fd, &m, &reply);
    if (error) {
        printf("refused: %s\n", strerror(error));
        close(fd);
        return 1;
    }

    /* Out of the datapath again before anything can use it.  ovs-vswitchd
     * removes flows it does not know too, so it may have been first. */
    flow_msg(&m, family, OVS_FLOW_CMD_DEL, 0, dp_ifindex);
    error = transact(fd, &m, &reply);
    if (error == ENOENT) {
        error = 0;
    }
    printf("accepted%s%s\n", error ? ", not deleted: " : "",
           error ? strerror(error) : "");
    close(fd);
    return 0;
}
