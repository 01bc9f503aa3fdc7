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

/* scope-server: tells each client which interface (IPv6 scope id) its
 * request came in on.  The system tests run it in the service namespace,
 * where every tenant reaches the same address fe80::c0a8:64 on an interface
 * of its own: the answer names that interface, so a test sees which tenant
 * landed where.  TCP requests get a minimal HTTP/1.0 answer (so curl works);
 * UDP datagrams get the same line back. */

/* accept4(), ppoll(). */
#define _GNU_SOURCE 1
#include <config.h>

#include <arpa/inet.h>
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <net/if.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#include "scope-request.h"

#define REQUEST_MAX 4096

struct options {
    const char *address;        /* Listening address, IPv6 literal. */
    int port;                   /* 0: let the kernel choose. */
    bool udp;                   /* Also answer UDP datagrams. */
    unsigned long max_requests; /* 0: no limit. */
    int timeout;                /* Seconds a client may take. */
    int lifetime;               /* Seconds before exiting, 0: no limit. */
    const char *port_file;      /* Written once listening. */
};

static volatile sig_atomic_t stop_signal;
static unsigned int log_seq;

/* Logs in Open vSwitch's vlog format, to stderr. */
static void __attribute__((format(printf, 2, 3)))
log_msg(const char *level, const char *format, ...)
{
    struct timespec ts;
    struct tm tm;
    char stamp[32];
    va_list args;

    clock_gettime(CLOCK_REALTIME, &ts);
    gmtime_r(&ts.tv_sec, &tm);
    strftime(stamp, sizeof stamp, "%Y-%m-%dT%H:%M:%S", &tm);
    fprintf(stderr, "%s.%03ldZ|%05u|scope_server|%s|", stamp,
            ts.tv_nsec / 1000000, ++log_seq, level);
    va_start(args, format);
    vfprintf(stderr, format, args);
    va_end(args);
    putc('\n', stderr);
}

static void
on_signal(int signo)
{
    stop_signal = signo;
}

static void
usage(void)
{
    printf("usage: scope-server [OPTIONS]\n"
           "Answers each request with the interface (IPv6 scope id) it came\n"
           "in on and the peer's address, e.g.\n"
           "  iface=t1v4 scope=5 peer=fe80::c0a8:a port=45678\n"
           "TCP requests get a minimal HTTP/1.0 response; UDP datagrams get\n"
           "the line back.\n"
           "\n"
           "  -a, --address=ADDR     listen on IPv6 ADDR (default ::, which\n"
           "                         also takes IPv4)\n"
           "  -p, --port=PORT        TCP (and UDP) port (default 8080; 0: any)\n"
           "  -u, --udp              also answer UDP datagrams on PORT (the UDP\n"
           "                         socket ignores ICMPv6 Packet Too Big:\n"
           "                         IPV6_PMTUDISC_OMIT, one socket serves\n"
           "                         every tenant's interface)\n"
           "  -n, --max-requests=N   exit after N answers (default: no limit)\n"
           "  -t, --timeout=SECS     time a TCP client may take (default 5)\n"
           "  -l, --lifetime=SECS    exit after SECS seconds (default: never)\n"
           "      --port-file=FILE   write the port to FILE once listening\n"
           "  -h, --help             show this help and exit\n"
           "\n"
           "Exits 0 on SIGTERM, SIGINT, at --lifetime or --max-requests.\n");
}

/* Parses a decimal integer in [min, max] or exits with a clear error. */
static long
parse_number(const char *name, const char *s, long min, long max)
{
    char *end;
    long value;

    errno = 0;
    value = strtol(s, &end, 10);
    if (errno || end == s || *end || value < min || value > max) {
        fprintf(stderr, "scope-server: --%s: \"%s\" is not a number "
                "from %ld to %ld\n", name, s, min, max);
        exit(EXIT_FAILURE);
    }
    return value;
}

static void
parse_options(int argc, char *argv[], struct options *o)
{
    enum { OPT_PORT_FILE = UCHAR_MAX + 1 };
    static const struct option long_options[] = {
        {"address", required_argument, NULL, 'a'},
        {"port", required_argument, NULL, 'p'},
        {"udp", no_argument, NULL, 'u'},
        {"max-requests", required_argument, NULL, 'n'},
        {"timeout", required_argument, NULL, 't'},
        {"lifetime", required_argument, NULL, 'l'},
        {"port-file", required_argument, NULL, OPT_PORT_FILE},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    int c;

    *o = (struct options) {
        .address = "::", .port = 8080, .timeout = 5,
    };
    while ((c = getopt_long(argc, argv, "a:p:un:t:l:h", long_options,
                            NULL)) != -1) {
        switch (c) {
        case 'a':
            o->address = optarg;
            break;
        case 'p':
            o->port = parse_number("port", optarg, 0, 65535);
            break;
        case 'u':
            o->udp = true;
            break;
        case 'n':
            o->max_requests = parse_number("max-requests", optarg, 1,
                                           LONG_MAX);
            break;
        case 't':
            o->timeout = parse_number("timeout", optarg, 1, 3600);
            break;
        case 'l':
            o->lifetime = parse_number("lifetime", optarg, 1, 86400);
            break;
        case OPT_PORT_FILE:
            o->port_file = optarg;
            break;
        case 'h':
            usage();
            exit(EXIT_SUCCESS);
        default:
            fprintf(stderr, "Try 'scope-server --help' for more "
                    "information.\n");
            exit(EXIT_FAILURE);
        }
    }
    if (optind < argc) {
        fprintf(stderr, "scope-server: unexpected argument \"%s\" "
                "(try --help)\n", argv[optind]);
        exit(EXIT_FAILURE);
    }
}

/* Makes the shared UDP socket ignore ICMPv6 Packet Too Big.  One socket
 * serves every tenant's interface, and Linux applies a PTB that matches an
 * unbound socket to the route of a lookup without interface (oif 0): for
 * the link-local peer fe80::c0a8:a, which every tenant has, that is the
 * first interface's route, so tenant B's PTB would lower the path MTU
 * towards tenant A's peer (Documentation/service.md, "Path MTU").  With
 * IPV6_PMTUDISC_OMIT the socket sends up to the interface MTU, fragments
 * larger datagrams itself and learns nothing from PTBs, which is what a
 * link-local peer needs when the interface MTU is right.  TCP needs
 * nothing: an accepted link-local connection is bound to its interface. */
static bool
ignore_packet_too_big(int fd)
{
    int omit = IPV6_PMTUDISC_OMIT;

    return !setsockopt(fd, IPPROTO_IPV6, IPV6_MTU_DISCOVER, &omit,
                       sizeof omit);
}

/* Opens a socket of 'type' bound to the address and port in 'o'; returns
 * the socket or -1 after logging why.  'sa' receives the bound address. */
static int
open_socket(const struct options *o, int type, struct sockaddr_in6 *sa)
{
    const char *proto = type == SOCK_STREAM ? "tcp" : "udp";
    socklen_t len = sizeof *sa;
    int off = 0, on = 1;
    int fd;

    memset(sa, 0, sizeof *sa);
    sa->sin6_family = AF_INET6;
    sa->sin6_port = htons(o->port);
    if (inet_pton(AF_INET6, o->address, &sa->sin6_addr) != 1) {
        log_msg("ERR", "--address: \"%s\" is not an IPv6 address",
                o->address);
        return -1;
    }
    fd = socket(AF_INET6, type | SOCK_CLOEXEC, 0);
    if (fd < 0) {
        log_msg("ERR", "%s socket: %s", proto, strerror(errno));
        return -1;
    }
    setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &on, sizeof on);
    setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &off, sizeof off);
    if (type == SOCK_DGRAM && !ignore_packet_too_big(fd)) {
        log_msg("ERR", "udp IPV6_MTU_DISCOVER: %s", strerror(errno));
        close(fd);
        return -1;
    }
    if (bind(fd, (struct sockaddr *) sa, sizeof *sa) < 0
        || (type == SOCK_STREAM && listen(fd, 64) < 0)
        || getsockname(fd, (struct sockaddr *) sa, &len) < 0) {
        log_msg("ERR", "%s [%s]:%d: %s", proto, o->address, o->port,
                strerror(errno));
        close(fd);
        return -1;
    }
    return fd;
}

/* Formats the answer for a request from 'peer' received on 'local'. */
static void
describe(const struct sockaddr_in6 *peer, const struct sockaddr_in6 *local,
         char *buf, size_t size)
{
    char name[IF_NAMESIZE] = "-";
    char addr[INET6_ADDRSTRLEN];
    uint32_t scope = peer->sin6_scope_id;

    if (!scope && local) {
        scope = local->sin6_scope_id;
    }
    if (scope && !if_indextoname(scope, name)) {
        strcpy(name, "?");
    }
    if (IN6_IS_ADDR_V4MAPPED(&peer->sin6_addr)) {
        inet_ntop(AF_INET, &peer->sin6_addr.s6_addr[12], addr, sizeof addr);
    } else {
        inet_ntop(AF_INET6, &peer->sin6_addr, addr, sizeof addr);
    }
    snprintf(buf, size, "iface=%s scope=%u peer=%s port=%u\n", name,
             (unsigned int) scope, addr, ntohs(peer->sin6_port));
}

/* Reads the request on 'fd' until scope_request_parse() says it is done,
 * up to REQUEST_MAX bytes, the client's end or the socket timeout.
 * Returns true for an HTTP request. */
static bool
read_request(int fd)
{
    char req[REQUEST_MAX];
    struct scope_request r = { .done = false };
    size_t len = 0;

    while (len < REQUEST_MAX && !r.done) {
        ssize_t n = recv(fd, req + len, REQUEST_MAX - len, 0);
        if (n <= 0) {
            break;
        }
        len += n;
        r = scope_request_parse(req, len);
    }
    return r.http;
}

static void
send_all(int fd, const char *buf, size_t len)
{
    while (len) {
        ssize_t n = send(fd, buf, len, MSG_NOSIGNAL);
        if (n <= 0) {
            log_msg("WARN", "send: %s", n ? strerror(errno) : "closed");
            return;
        }
        buf += n;
        len -= n;
    }
}

static void
answer_tcp(int listen_fd, int timeout)
{
    struct sockaddr_in6 peer, local;
    socklen_t peer_len = sizeof peer, local_len = sizeof local;
    struct timeval tv = { .tv_sec = timeout };
    char body[256], head[256];
    int fd;

    fd = accept4(listen_fd, (struct sockaddr *) &peer, &peer_len,
                 SOCK_CLOEXEC);
    if (fd < 0) {
        log_msg("WARN", "accept: %s", strerror(errno));
        return;
    }
    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
    if (getsockname(fd, (struct sockaddr *) &local, &local_len) < 0) {
        memset(&local, 0, sizeof local);
    }
    describe(&peer, &local, body, sizeof body);
    if (read_request(fd)) {
        int n = snprintf(head, sizeof head,
                         "HTTP/1.0 200 OK\r\n"
                         "Content-Type: text/plain\r\n"
                         "Content-Length: %zu\r\n"
                         "Connection: close\r\n\r\n", strlen(body));
        send_all(fd, head, n);
    }
    send_all(fd, body, strlen(body));
    close(fd);
    log_msg("INFO", "tcp %.*s", (int) strlen(body) - 1, body);
}

static void
answer_udp(int fd)
{
    struct sockaddr_in6 peer;
    socklen_t peer_len = sizeof peer;
    char buf[REQUEST_MAX], body[256];
    ssize_t n;

    n = recvfrom(fd, buf, sizeof buf, MSG_DONTWAIT, (struct sockaddr *) &peer,
                 &peer_len);
    if (n < 0) {
        if (errno != EAGAIN && errno != EWOULDBLOCK) {
            log_msg("WARN", "udp recv: %s", strerror(errno));
        }
        return;
    }
    describe(&peer, NULL, body, sizeof body);
    if (sendto(fd, body, strlen(body), 0, (struct sockaddr *) &peer,
               peer_len) < 0) {
        log_msg("WARN", "udp send: %s", strerror(errno));
    }
    log_msg("INFO", "udp %.*s", (int) strlen(body) - 1, body);
}

static bool
write_port_file(const char *file, int port)
{
    FILE *f = fopen(file, "w");

    if (!f || fprintf(f, "%d\n", port) < 0 || fclose(f)) {
        log_msg("ERR", "%s: %s", file, strerror(errno));
        return false;
    }
    return true;
}

int
main(int argc, char *argv[])
{
    struct pollfd pfd[2] = { { .fd = -1 }, { .fd = -1 } };
    struct sigaction sa = { .sa_handler = on_signal };
    struct sockaddr_in6 bound;
    unsigned long answered = 0;
    struct options o;
    sigset_t block, orig;
    int port;

    parse_options(argc, argv, &o);

    /* Signals are blocked except inside ppoll(), so none is lost between
     * checking 'stop_signal' and sleeping. */
    sigemptyset(&block);
    sigaddset(&block, SIGTERM);
    sigaddset(&block, SIGINT);
    sigaddset(&block, SIGALRM);
    sigprocmask(SIG_BLOCK, &block, &orig);
    sigaction(SIGTERM, &sa, NULL);
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGALRM, &sa, NULL);

    pfd[0].fd = open_socket(&o, SOCK_STREAM, &bound);
    if (pfd[0].fd < 0) {
        return EXIT_FAILURE;
    }
    port = ntohs(bound.sin6_port);
    if (o.udp) {
        struct options udp = o;

        udp.port = port;
        pfd[1].fd = open_socket(&udp, SOCK_DGRAM, &bound);
        if (pfd[1].fd < 0) {
            return EXIT_FAILURE;
        }
    }
    pfd[0].events = pfd[1].events = POLLIN;
    log_msg("INFO", "listening on [%s]:%d (tcp%s)", o.address, port,
            o.udp ? ", udp" : "");
    if (o.port_file && !write_port_file(o.port_file, port)) {
        return EXIT_FAILURE;
    }
    if (o.lifetime) {
        alarm(o.lifetime);
    }

    while (!stop_signal
           && (!o.max_requests || answered < o.max_requests)) {
        int n = ppoll(pfd, 2, NULL, &orig);

        if (n < 0) {
            if (errno != EINTR) {
                log_msg("ERR", "poll: %s", strerror(errno));
                return EXIT_FAILURE;
            }
            continue;
        }
        if (pfd[0].revents) {
            answer_tcp(pfd[0].fd, o.timeout);
            answered++;
        }
        if (pfd[1].revents) {
            answer_udp(pfd[1].fd);
            answered++;
        }
    }
    log_msg("INFO", "exiting after %lu answers (%s)", answered,
            stop_signal == SIGALRM ? "lifetime over"
            : stop_signal ? strsignal(stop_signal) : "max requests");
    return EXIT_SUCCESS;
}
