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
 *   --garbage=N  (also send N malformed datagrams)  */

#include <config.h>

#include <arpa/inet.h>
#include <getopt.h>
#include <netdb.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "flowd-topo.h"
#include "sflow-encode.h"

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
        { NULL, 0, NULL, 0 },
    };
    uint32_t agent = 0x7f000001, in = 1, out = 2, rate = 1, vlan = 0;
    uint32_t src_ip = 0xc0a80001, dst_ip = 0xc0a80002, len = 1000;
    uint32_t count = 1, garbage = 0, seq = 1;
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
        default: return 2;
        }
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

    static struct sflow_buf buf;
    uint8_t frame[128];
    size_t n = sfb_frame_ipv4(frame, src_mac, dst_mac, vlan, src_ip, dst_ip,
                              proto, sport, dport, len > 60 ? len - 60 : 0);
    for (uint32_t i = 0; i < count; i++) {
        sfb_datagram(&buf, agent, seq + i, 1);
        sfb_flow_sample(&buf, seq + i, in, rate, (seq + i) * rate, in, out,
                        frame, n, len, vlan);
        if (send(fd, buf.data, buf.len, 0) < 0) {
            perror("flowd-send");
            return 1;
        }
    }
    for (uint32_t i = 0; i < garbage; i++) {
        sfb_datagram(&buf, agent, i, 1);
        sfb_u32(&buf, 1);
        sfb_u32(&buf, 4000);    /* Sample longer than the datagram. */
        if (send(fd, buf.data, buf.len, 0) < 0) {
            perror("flowd-send");
            return 1;
        }
    }
    freeaddrinfo(ai);
    close(fd);
    return 0;
}
