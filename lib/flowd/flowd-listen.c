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

#define _GNU_SOURCE 1
#include <config.h>
#include "flowd/flowd-listen.h"

#include <errno.h>
#include <netdb.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>
#include <unistd.h>

#include "flowd/flowd-core.h"
#include "flowd/flowd-ipfix-in.h"
#include "l2mt-conf-util.h"

uint64_t
flowd_wall_ms(void)
{
    struct timeval tv;

    gettimeofday(&tv, NULL);
    return (uint64_t) tv.tv_sec * 1000 + tv.tv_usec / 1000;
}

/* Splits "ADDR:PORT", "[V6]:PORT" or ":PORT". */
static bool
split_hostport(const char *s, char *host, size_t hsize, char *port,
               size_t psize)
{
    const char *colon;

    if (s[0] == '[') {
        const char *close = strchr(s, ']');
        if (!close || close[1] != ':' || (size_t) (close - s - 1) >= hsize) {
            return false;
        }
        memcpy(host, s + 1, close - s - 1);
        host[close - s - 1] = '\0';
        colon = close + 1;
    } else {
        colon = strrchr(s, ':');
        if (!colon || (size_t) (colon - s) >= hsize) {
            return false;
        }
        memcpy(host, s, colon - s);
        host[colon - s] = '\0';
    }
    if (!colon[1] || strlen(colon + 1) >= psize) {
        return false;
    }
    strcpy(port, colon + 1);
    return true;
}

char *
flowd_listen_open(const char *spec, int type, bool reuseport, int *fdp)
{
    char host[256], port[32];
    struct addrinfo hints = { .ai_socktype = type, .ai_flags = AI_PASSIVE };
    struct addrinfo *ai;
    char *msg = NULL;
    int one = 1, error, fd;

    *fdp = -1;
    if (!split_hostport(spec, host, sizeof host, port, sizeof port)) {
        return l2mt_xasprintf("'%s': expected ADDR:PORT or [ADDR]:PORT",
                              spec);
    }
    error = getaddrinfo(*host ? host : NULL, port, &hints, &ai);
    if (error) {
        return l2mt_xasprintf("'%s': %s", spec, gai_strerror(error));
    }
    fd = socket(ai->ai_family, type | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (fd >= 0) {
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
        if (reuseport) {
            /* The kernel spreads datagrams over the workers' sockets by
             * source address and port: one agent, one worker. */
            setsockopt(fd, SOL_SOCKET, SO_REUSEPORT, &one, sizeof one);
        }
        if (ai->ai_family == AF_INET6) {
            setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &one, sizeof one);
        }
        if (type == SOCK_DGRAM) {
            int rcvbuf = 8 << 20;
            setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &rcvbuf, sizeof rcvbuf);
        }
    }
    if (fd < 0 || bind(fd, ai->ai_addr, ai->ai_addrlen)
        || (type == SOCK_STREAM && listen(fd, 16))) {
        msg = l2mt_xasprintf("'%s': %s", spec, strerror(errno));
        if (fd >= 0) {
            close(fd);
        }
        fd = -1;
    }
    freeaddrinfo(ai);
    *fdp = fd;
    return msg;
}

int
flowd_listener_init(struct flowd_listener *l, int fd,
                    struct flowd_ipfix_in_collector *ipfix)
{
    int one = 1;

    memset(l, 0, sizeof *l);
    l->fd = fd;
    l->ipfix = ipfix;
    /* The kernel's receive time of each datagram decides its interval, not
     * the time it is read. */
    if (setsockopt(fd, SOL_SOCKET, SO_TIMESTAMPNS, &one, sizeof one)) {
        return errno;
    }
    l->bufs = malloc(FLOWD_BATCH * sizeof *l->bufs);
    l->names = ipfix ? malloc(sizeof *l->names) : NULL;
    if (!l->bufs || (ipfix && !l->names)) {
        flowd_listener_destroy(l);
        return ENOMEM;
    }
    for (int j = 0; j < FLOWD_BATCH; j++) {
        l->iov[j] = (struct iovec) { l->bufs[j], sizeof l->bufs[j] };
    }
    return 0;
}

void
flowd_listener_destroy(struct flowd_listener *l)
{
    free(l->bufs);
    free(l->names);
    l->bufs = NULL;
    l->names = NULL;
}

bool
flowd_listener_waiting(const struct flowd_listener *l, uint64_t end)
{
    return l->next < l->n && l->ms[l->next] < end;
}

static uint64_t
datagram_ms(struct msghdr *msg)
{
    for (struct cmsghdr *c = CMSG_FIRSTHDR(msg); c; c = CMSG_NXTHDR(msg, c)) {
        if (c->cmsg_level == SOL_SOCKET && c->cmsg_type == SCM_TIMESTAMPNS) {
            struct timespec ts;
            memcpy(&ts, CMSG_DATA(c), sizeof ts);
            return (uint64_t) ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
        }
    }
    return flowd_wall_ms();
}

bool
flowd_listener_receive(struct flowd_core *core, struct flowd_listener *l,
                       uint64_t end, int max_batches)
{
    for (int k = 0; k < max_batches; ) {
        if (l->next == l->n) {
            for (int j = 0; j < FLOWD_BATCH; j++) {
                l->msgs[j].msg_hdr = (struct msghdr) {
                    .msg_name = l->names ? &(*l->names)[j] : NULL,
                    .msg_namelen = l->names ? sizeof (*l->names)[j] : 0,
                    .msg_iov = &l->iov[j], .msg_iovlen = 1,
                    .msg_control = l->ctl[j],
                    .msg_controllen = sizeof l->ctl[j],
                };
            }
            int got = recvmmsg(l->fd, l->msgs, FLOWD_BATCH, MSG_DONTWAIT,
                               NULL);
            if (got <= 0) {
                return false;
            }
            for (int j = 0; j < got; j++) {
                l->ms[j] = datagram_ms(&l->msgs[j].msg_hdr);
            }
            l->n = got;
            l->next = 0;
            k++;
        }
        for (; l->next < l->n; l->next++) {
            int j = l->next;
            if (l->ms[j] >= end) {
                return true;
            }
            if (l->ipfix) {
                flowd_ipfix_in_datagram(l->ipfix,
                                        (struct sockaddr *) &(*l->names)[j],
                              l->msgs[j].msg_hdr.msg_namelen, l->bufs[j],
                              l->msgs[j].msg_len, l->ms[j]);
            } else {
                flowd_core_datagram(core, l->bufs[j], l->msgs[j].msg_len,
                                    l->ms[j]);
            }
        }
    }
    return false;
}
