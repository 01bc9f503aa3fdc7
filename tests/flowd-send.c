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

/* Test helper: sends hand-built sFlow v5 datagrams over UDP.
 *
 * usage: flowd-send ADDR:PORT [OPTION]...
 *   --agent=IPV4 --in=IFINDEX --out=IFINDEX --rate=N --src-mac=MAC
 *   --dst-mac=MAC --vlan=VID --src-ip=IPV4 --dst-ip=IPV4 --proto=N
 *   --sport=N --dport=N --len=BYTES --count=N (datagrams, 1 sample each)
 *   --garbage=N  (also send N malformed datagrams)
 *   --pps=N      at most N datagrams per second (paced)
 *   --vlans=N    datagram i carries VLAN vlan + i % N
 *   --agents=N   datagram i comes from agent + i % N with interface
 *                in + i % N and source index in + i % N (a spoofed flood)
 *
 * usage: flowd-send --history=DIR --intervals=T --vlans=N [--interval=S]
 *   writes T consecutive saved intervals of N VLANs each into DIR (the
 *   daemon's STATE/intervals), ending S seconds (default 60) apart before
 *   now, as the daemon would have saved them.  */

#include <config.h>

#include <arpa/inet.h>
#include <errno.h>
#include <getopt.h>
#include <netdb.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#include "flowd/flowd-core.h"
#include "l2mt-conf-util.h"
#include "flowd/flowd-interval.h"
#include "flowd/flowd-topo.h"
#include "flowd/sflow-encode.h"

static uint32_t
ipv4(const char *s)
{
    struct in_addr a;

    if (inet_pton(AF_INET, s, &a) != 1) {
        fprintf(stderr, "flowd-send: bad IPv4 '%s'\n", s);
        exit(2);
    }
    return ntohl(a.s_addr);
}

static uint64_t
now_us(void)
{
    struct timeval tv;

    gettimeofday(&tv, NULL);
    return (uint64_t) tv.tv_sec * 1000000 + tv.tv_usec;
}

/* Saved intervals, built by the daemon's own per-datagram path from
 * datagrams of 'vlans' VLANs. */
static int
write_history(const char *dir, uint32_t intervals, uint32_t vlans,
              uint32_t seconds)
{
    static struct flowd_sflow_buf buf;
    struct flowd_core core;
    uint8_t src[6] = { 2, 0, 0, 0, 0, 1 }, dst[6] = { 2, 0, 0, 0, 0, 2 };
    uint8_t frame[128];
    struct flowd_topo *t = flowd_topo_create();

    char *error = (t ? flowd_core_init(&core, 1000, 100000, 1000, 24, 64)
                   : l2mt_xstrdup("out of memory"));
    if (error) {
        fprintf(stderr, "flowd-send: %s\n", error);
        free(error);
        return 1;
    }
    flowd_locator_set_topo(&core.loc, t);
    uint64_t step = seconds * 1000ULL;
    uint64_t now = now_us() / 1000;
    uint64_t first = now - now % step - (uint64_t) intervals * step;
    for (uint32_t k = 0; k < intervals; k++) {
        uint64_t start = first + k * step;
        for (uint32_t v = 0; v < vlans; v++) {
            size_t n = flowd_sflow_enc_frame_ipv4(frame, src, dst,
                                                  1 + v % 4094,
                                      0xc0a80001, 0xc0a80002, 6, 1000, 80,
                                      940);
            flowd_sflow_enc_datagram(&buf, 0x7f000001, v, 1);
            flowd_sflow_enc_flow_sample(&buf, v, 1, 1, v, 1, 2, frame, n, 1000,
                                        1 + v % 4094);
            flowd_core_datagram(&core, buf.data, buf.len, start + 1);
        }
        struct flowd_interval *iv = flowd_interval_snapshot(
            &core.agg, core.loc.topo, start, start + step);
        int errnum = iv ? flowd_interval_save(iv, dir) : ENOMEM;
        if (errnum) {
            fprintf(stderr, "flowd-send: %s: %s\n", dir, strerror(errnum));
            return 1;
        }
        flowd_interval_free(iv);
        flowd_agg_clear(&core.agg);
    }
    flowd_core_destroy(&core);
    return 0;
}

int
main(int argc, char *argv[])
{
    static const struct option opts[] = {
        { "agent", 1, NULL, 'a' }, { "in", 1, NULL, 'i' },
        { "out", 1, NULL, 'o' }, { "rate", 1, NULL, 'r' },
        { "src-mac", 1, NULL, 'S' }, { "dst-mac", 1, NULL, 'D' },
        { "vlan", 1, NULL, 'v' }, { "src-ip", 1, NULL, 's' },
        { "dst-ip", 1, NULL, 'd' }, { "proto", 1, NULL, 'p' },
        { "sport", 1, NULL, 'x' }, { "dport", 1, NULL, 'y' },
        { "len", 1, NULL, 'l' }, { "count", 1, NULL, 'c' },
        { "garbage", 1, NULL, 'g' }, { "seq", 1, NULL, 'q' },
        { "pps", 1, NULL, 'P' }, { "vlans", 1, NULL, 'V' },
        { "agents", 1, NULL, 'A' }, { "history", 1, NULL, 'H' },
        { "intervals", 1, NULL, 'I' }, { "interval", 1, NULL, 'T' },
        { NULL, 0, NULL, 0 },
    };
    uint32_t agent = 0x7f000001, in = 1, out = 2, rate = 1, vlan = 0;
    uint32_t src_ip = 0xc0a80001, dst_ip = 0xc0a80002, len = 1000;
    uint32_t count = 1, garbage = 0, seq = 1;
    uint32_t pps = 0, vlans = 1, agents = 1, intervals = 1, seconds = 60;
    const char *history = NULL;
    uint8_t src_mac[6] = { 2, 0, 0, 0, 0, 1 }, dst_mac[6] = { 2, 0, 0, 0, 0, 2 };
    uint16_t sport = 1000, dport = 80;
    uint8_t proto = 6;
    int c;

    while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        switch (c) {
        case 'a': agent = ipv4(optarg); break;
        case 'i': in = atoi(optarg); break;
        case 'o': out = atoi(optarg); break;
        case 'r': rate = atoi(optarg); break;
        case 'S':
        case 'D':
            if (!flowd_parse_mac(optarg, c == 'S' ? src_mac : dst_mac)) {
                fprintf(stderr, "flowd-send: bad MAC '%s'\n", optarg);
                return 2;
            }
            break;
        case 'v': vlan = atoi(optarg); break;
        case 's': src_ip = ipv4(optarg); break;
        case 'd': dst_ip = ipv4(optarg); break;
        case 'p': proto = atoi(optarg); break;
        case 'x': sport = atoi(optarg); break;
        case 'y': dport = atoi(optarg); break;
        case 'l': len = atoi(optarg); break;
        case 'c': count = atoi(optarg); break;
        case 'g': garbage = atoi(optarg); break;
        case 'q': seq = atoi(optarg); break;
        case 'P': pps = atoi(optarg); break;
        case 'V': vlans = atoi(optarg) > 0 ? atoi(optarg) : 1; break;
        case 'A': agents = atoi(optarg) > 0 ? atoi(optarg) : 1; break;
        case 'H': history = optarg; break;
        case 'I': intervals = atoi(optarg); break;
        case 'T': seconds = atoi(optarg) > 0 ? atoi(optarg) : 1; break;
        default: return 2;
        }
    }
    if (history) {
        return write_history(history, intervals, vlans, seconds);
    }
    if (optind != argc - 1) {
        fprintf(stderr, "usage: flowd-send ADDR:PORT [OPTION]...\n");
        return 2;
    }

    char host[256];
    snprintf(host, sizeof host, "%s", argv[optind]);
    char *colon = strrchr(host, ':');
    if (!colon) {
        fprintf(stderr, "flowd-send: expected ADDR:PORT\n");
        return 2;
    }
    *colon = '\0';
    char *h = host;
    if (h[0] == '[') {
        h++;
        h[strlen(h) - 1] = '\0';
    }
    struct addrinfo hints = { .ai_socktype = SOCK_DGRAM }, *ai;
    if (getaddrinfo(h, colon + 1, &hints, &ai)) {
        fprintf(stderr, "flowd-send: bad address '%s'\n", argv[optind]);
        return 2;
    }
    int fd = socket(ai->ai_family, SOCK_DGRAM, 0);
    if (fd < 0 || connect(fd, ai->ai_addr, ai->ai_addrlen)) {
        perror("flowd-send");
        return 1;
    }

    static struct flowd_sflow_buf buf;
    uint8_t frame[128];
    size_t n = flowd_sflow_enc_frame_ipv4(frame, src_mac, dst_mac, vlan,
                                          src_ip, dst_ip,
                              proto, sport, dport, len > 60 ? len - 60 : 0);
    uint64_t t0 = now_us();
    for (uint32_t i = 0; i < count; i++) {
        uint32_t v = vlans > 1 ? (vlan + i % vlans) % 4096 : vlan;
        uint32_t a = i % agents, port = in + a;
        if (vlans > 1) {
            n = flowd_sflow_enc_frame_ipv4(frame, src_mac, dst_mac, v, src_ip,
                                           dst_ip,
                               proto, sport, dport, len > 60 ? len - 60 : 0);
        }
        flowd_sflow_enc_datagram(&buf, agent + a, seq + i, 1);
        flowd_sflow_enc_flow_sample(&buf, seq + i, port, rate,
                                    (seq + i) * rate, port,
                                    out, frame, n, len, v);
        if (pps) {
            /* Paced: datagram i leaves at t0 + i / pps. */
            uint64_t due = t0 + (uint64_t) i * 1000000 / pps;
            uint64_t t = now_us();
            if (due > t + 50) {
                usleep(due - t);
            }
        }
        if (send(fd, buf.data, buf.len, 0) < 0) {
            perror("flowd-send");
            return 1;
        }
    }
    for (uint32_t i = 0; i < garbage; i++) {
        flowd_sflow_enc_datagram(&buf, agent, i, 1);
        flowd_sflow_enc_u32(&buf, 1);
        flowd_sflow_enc_u32(&buf, 4000); /* Sample longer than the datagram. */
        if (send(fd, buf.data, buf.len, 0) < 0) {
            perror("flowd-send");
            return 1;
        }
    }
    freeaddrinfo(ai);
    close(fd);
    return 0;
}
