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

/* kernel-probe: the one network tool the busybox guest of the kernel tests
 * lacks.
 *
 *   kernel-probe serve NAME PORT [SECONDS]
 *       answers UDP and TCP on [::]:PORT (IPv4 too) with "NAME IFNAME",
 *       IFNAME being the interface the request came in on, and logs
 *       "IFNAME REQUEST" for each request to stdout.
 *   kernel-probe ask udp|tcp ADDR PORT MESSAGE [TRIES [SIZE]]
 *       sends MESSAGE (one try a second), prints the answer; exit 0 when
 *       one came.  ADDR may carry a scope: fe80::c0a8:64%eth0.  With
 *       SIZE, a UDP MESSAGE is padded with zero bytes to SIZE bytes and
 *       sent over IPv4 with DF=0 (IP_PMTUDISC_DONT); the server logs and
 *       answers it as MESSAGE.
 *   kernel-probe inject IFNAME HEX...
 *       sends each HEX string as one raw Ethernet frame on IFNAME.
 *   kernel-probe capture IFNAME SECONDS
 *       prints each frame that arrives on IFNAME during SECONDS in hex,
 *       one a line (frames IFNAME sends are left out).
 *   kernel-probe nat64-flow DATAPATH PREFIX
 *       asks the kernel datapath to install a flow with nat64:4toll6 and
 *       the raw bytes of PREFIX (an IPv6 address), bypassing every
 *       user-space prefix check; prints "accepted" (exit 0, the flow is
 *       deleted again) or "refused: ERROR" (exit 1).  See
 *       kernel-probe-flow.h. */

#define _GNU_SOURCE 1
#include <arpa/inet.h>
#include <errno.h>
#include <linux/if_packet.h>
#include <net/ethernet.h>
#include <net/if.h>
#include <netdb.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "kernel-probe-flow.h"

#define MSG_MAX 512

static void
die(const char *what)
{
    fprintf(stderr, "kernel-probe: %s: %s\n", what, strerror(errno));
    exit(1);
}

static void
usage(void)
{
    fprintf(stderr,
            "usage: kernel-probe serve NAME PORT [SECONDS]\n"
            "       kernel-probe ask udp|tcp ADDR PORT MESSAGE [TRIES [SIZE]]\n"
            "       kernel-probe inject IFNAME HEX...\n"
            "       kernel-probe capture IFNAME SECONDS\n"
            "       kernel-probe nat64-flow DATAPATH PREFIX\n");
    exit(2);
}

static int
listen_socket(int type, int port)
{
    struct sockaddr_in6 sin6 = {
        .sin6_family = AF_INET6,
        .sin6_port = htons(port),
        .sin6_addr = IN6ADDR_ANY_INIT,
    };
    int on = 1, off = 0;
    int fd;

    fd = socket(AF_INET6, type, 0);
    if (fd < 0
        || setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &on, sizeof on)
        || setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &off, sizeof off)
        || setsockopt(fd, IPPROTO_IPV6, IPV6_RECVPKTINFO, &on, sizeof on)
        || bind(fd, (struct sockaddr *) &sin6, sizeof sin6)
        || (type == SOCK_STREAM && listen(fd, 16))) {
        die("listen");
    }
    return fd;
}

static const char *
ifname_of(unsigned int ifindex, char buf[IF_NAMESIZE])
{
    return ifindex && if_indextoname(ifindex, buf) ? buf : "-";
}

static void
serve_udp(int fd, const char *name)
{
    char req[MSG_MAX], ans[MSG_MAX + IF_NAMESIZE + 2], ifname[IF_NAMESIZE];
    char cbuf[CMSG_SPACE(sizeof(struct in6_pktinfo))];
    struct sockaddr_in6 peer;
    struct iovec iov = { req, sizeof req - 1 };
    struct msghdr msg = {
        .msg_name = &peer, .msg_namelen = sizeof peer,
        .msg_iov = &iov, .msg_iovlen = 1,
        .msg_control = cbuf, .msg_controllen = sizeof cbuf,
    };
    struct in6_pktinfo pi = { .ipi6_ifindex = 0 };
    struct cmsghdr *c;
    ssize_t n;

    n = recvmsg(fd, &msg, 0);
    if (n < 0) {
        return;
    }
    req[n] = '\0';
    for (c = CMSG_FIRSTHDR(&msg); c; c = CMSG_NXTHDR(&msg, c)) {
        if (c->cmsg_level == IPPROTO_IPV6 && c->cmsg_type == IPV6_PKTINFO) {
            memcpy(&pi, CMSG_DATA(c), sizeof pi);
        }
    }
    ifname_of(pi.ipi6_ifindex, ifname);
    printf("%s %s\n", ifname, req);
    fflush(stdout);

    /* Answer from the address and interface the request came to, as a
     * TCP connection would. */
    iov = (struct iovec) { ans, snprintf(ans, sizeof ans, "%s %s", name,
                                         ifname) };
    msg.msg_iov = &iov;
    msg.msg_controllen = sizeof cbuf;
    c = CMSG_FIRSTHDR(&msg);
    c->cmsg_level = IPPROTO_IPV6;
    c->cmsg_type = IPV6_PKTINFO;
    c->cmsg_len = CMSG_LEN(sizeof pi);
    memcpy(CMSG_DATA(c), &pi, sizeof pi);
    sendmsg(fd, &msg, 0);
}

static void
serve_tcp(int lfd, const char *name)
{
    char req[MSG_MAX], ans[MSG_MAX + IF_NAMESIZE + 2], ifname[IF_NAMESIZE];
    struct sockaddr_in6 local;
    socklen_t len = sizeof local;
    struct pollfd pfd;
    ssize_t n;
    int fd;

    fd = accept(lfd, NULL, NULL);
    if (fd < 0) {
        return;
    }
    pfd = (struct pollfd) { .fd = fd, .events = POLLIN };
    if (poll(&pfd, 1, 2000) == 1 && (n = read(fd, req, sizeof req - 1)) > 0
        && !getsockname(fd, (struct sockaddr *) &local, &len)) {
        req[n] = '\0';
        ifname_of(local.sin6_scope_id, ifname);
        printf("%s %s\n", ifname, req);
        fflush(stdout);
        n = snprintf(ans, sizeof ans, "%s %s", name, ifname);
        if (write(fd, ans, n) != n) {
            /* The client gave up; nothing to do. */
        }
    }
    close(fd);
}

static int
serve(const char *name, int port, int seconds)
{
    struct pollfd pfds[2] = {
        { .fd = listen_socket(SOCK_DGRAM, port), .events = POLLIN },
        { .fd = listen_socket(SOCK_STREAM, port), .events = POLLIN },
    };
    time_t end = time(NULL) + seconds;

    while (time(NULL) < end) {
        if (poll(pfds, 2, 1000) > 0) {
            if (pfds[0].revents) {
                serve_udp(pfds[0].fd, name);
            }
            if (pfds[1].revents) {
                serve_tcp(pfds[1].fd, name);
            }
        }
    }
    return 0;
}

/* One request/answer exchange; returns the answer's length or -1. */
#define BIG_MAX 9000

static int
ask_once(const struct addrinfo *ai, const char *message, size_t msg_size,
         char *ans, size_t size)
{
    static char big[BIG_MAX];
    struct pollfd pfd;
    int n = -1;
    int fd;

    fd = socket(ai->ai_family, ai->ai_socktype, 0);
    if (fd < 0) {
        die("socket");
    }
    pfd = (struct pollfd) { .fd = fd, .events = POLLIN };
    if (ai->ai_socktype == SOCK_STREAM) {
        struct timeval tv = { .tv_sec = 1 };

        setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
        if (connect(fd, ai->ai_addr, ai->ai_addrlen)
            || write(fd, message, strlen(message)) < 0) {
            close(fd);
            usleep(500 * 1000);
            return -1;
        }
    } else if (msg_size) {
        int dont = IP_PMTUDISC_DONT;

        memset(big, 0, msg_size);
        memcpy(big, message, strlen(message));
        if ((ai->ai_family == AF_INET
             && setsockopt(fd, IPPROTO_IP, IP_MTU_DISCOVER, &dont,
                           sizeof dont))
            || sendto(fd, big, msg_size, 0, ai->ai_addr,
                      ai->ai_addrlen) < 0) {
            close(fd);
            usleep(500 * 1000);
            return -1;
        }
    } else if (sendto(fd, message, strlen(message), 0, ai->ai_addr,
                      ai->ai_addrlen) < 0) {
        close(fd);
        usleep(500 * 1000);
        return -1;
    }
    if (poll(&pfd, 1, 1000) == 1) {
        n = recv(fd, ans, size - 1, 0);
    }
    close(fd);
    return n > 0 ? n : -1;
}

static int
ask(const char *proto, const char *addr, const char *port,
    const char *message, int tries, size_t msg_size)
{
    struct addrinfo hints = {
        .ai_flags = AI_NUMERICHOST | AI_NUMERICSERV,
        .ai_socktype = !strcmp(proto, "tcp") ? SOCK_STREAM : SOCK_DGRAM,
    };
    struct addrinfo *ai;
    char ans[MSG_MAX];
    int i, n, err;

    err = getaddrinfo(addr, port, &hints, &ai);
    if (err) {
        fprintf(stderr, "kernel-probe: %s: %s\n", addr, gai_strerror(err));
        return 2;
    }
    for (i = 0; i < tries; i++) {
        n = ask_once(ai, message, msg_size, ans, sizeof ans);
        if (n > 0) {
            ans[n] = '\0';
            printf("%s\n", ans);
            freeaddrinfo(ai);
            return 0;
        }
    }
    fprintf(stderr, "kernel-probe: no answer from %s port %s after %d "
            "tries\n", addr, port, tries);
    freeaddrinfo(ai);
    return 1;
}

static int
inject(const char *ifname, char *hexes[], int n)
{
    struct sockaddr_ll sll = {
        .sll_family = AF_PACKET,
        .sll_ifindex = if_nametoindex(ifname),
        .sll_halen = ETH_ALEN,
    };
    unsigned char frame[2048];
    int fd, i;

    fd = socket(AF_PACKET, SOCK_RAW, 0);
    if (fd < 0 || !sll.sll_ifindex) {
        die(ifname);
    }
    for (i = 0; i < n; i++) {
        size_t len = strlen(hexes[i]) / 2, j;

        if (len > sizeof frame || len < ETH_HLEN) {
            fprintf(stderr, "kernel-probe: bad frame %s\n", hexes[i]);
            return 2;
        }
        for (j = 0; j < len; j++) {
            unsigned int byte;

            if (sscanf(hexes[i] + 2 * j, "%2x", &byte) != 1) {
                fprintf(stderr, "kernel-probe: bad hex %s\n", hexes[i]);
                return 2;
            }
            frame[j] = byte;
        }
        if (sendto(fd, frame, len, 0, (struct sockaddr *) &sll,
                   sizeof sll) < 0) {
            die("send");
        }
    }
    close(fd);
    return 0;
}

static int
capture(const char *ifname, int seconds)
{
    struct sockaddr_ll sll = {
        .sll_family = AF_PACKET,
        .sll_protocol = htons(ETH_P_ALL),
        .sll_ifindex = if_nametoindex(ifname),
    };
    time_t end = time(NULL) + seconds;
    unsigned char frame[9216];
    int fd;

    fd = socket(AF_PACKET, SOCK_RAW, htons(ETH_P_ALL));
    if (fd < 0 || !sll.sll_ifindex
        || bind(fd, (struct sockaddr *) &sll, sizeof sll)) {
        die(ifname);
    }
    while (time(NULL) < end) {
        struct pollfd pfd = { .fd = fd, .events = POLLIN };
        struct sockaddr_ll from;
        socklen_t fromlen = sizeof from;
        ssize_t n, i;

        if (poll(&pfd, 1, 200) <= 0) {
            continue;
        }
        n = recvfrom(fd, frame, sizeof frame, 0, (struct sockaddr *) &from,
                     &fromlen);
        if (n < 0) {
            die("recv");
        } else if (from.sll_pkttype == PACKET_OUTGOING) {
            continue;
        }
        for (i = 0; i < n; i++) {
            printf("%02x", frame[i]);
        }
        putchar('\n');
        fflush(stdout);
    }
    close(fd);
    return 0;
}

int
main(int argc, char *argv[])
{
    if (argc >= 4 && !strcmp(argv[1], "serve")) {
        return serve(argv[2], atoi(argv[3]), argc > 4 ? atoi(argv[4]) : 600);
    } else if (argc >= 6 && !strcmp(argv[1], "ask")) {
        size_t msg_size = argc > 7 ? strtoul(argv[7], NULL, 10) : 0;

        if (msg_size > BIG_MAX || (msg_size && msg_size <= strlen(argv[5]))
            || (msg_size && strcmp(argv[2], "udp"))) {
            usage();
        }
        return ask(argv[2], argv[3], argv[4], argv[5],
                   argc > 6 ? atoi(argv[6]) : 3, msg_size);
    } else if (argc >= 4 && !strcmp(argv[1], "inject")) {
        return inject(argv[2], argv + 3, argc - 3);
    } else if (argc == 4 && !strcmp(argv[1], "capture")) {
        return capture(argv[2], atoi(argv[3]));
    } else if (argc == 4 && !strcmp(argv[1], "nat64-flow")) {
        return kernel_probe_nat64_flow(argv[2], argv[3]);
    }
    usage();
    return 2;
}
