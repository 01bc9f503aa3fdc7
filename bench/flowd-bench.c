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

/* Benchmark helper for l2mt-flowd (see bench/flowd.sh):
 *   flowd-bench generate FILE DATAGRAMS [HOSTS VMS TENANTS VLANS]
 *                                         realistic recording (pcap) and
 *                                         FILE.topo, its topology: HOSTS
 *                                         hypervisors (16, at most 4096)
 *                                         with VMS VMs each (32, at most
 *                                         250), TENANTS tenants (8) with
 *                                         VLANS VLANs each (1, at most 30)
 *   flowd-bench run FILE TOPO SECONDS     samples/s decoded + classified +
 *                                         aggregated on this core
 *   flowd-bench replay FILE ADDR:PORT DGRAMS-PER-S
 *                                         sends the recording over UDP */

#define _GNU_SOURCE             /* sendmmsg() */
#include <config.h>

#include <arpa/inet.h>
#include <inttypes.h>
#include <netdb.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "flowd/flowd-core.h"
#include "flowd/flowd-file.h"
#include "flowd/flowd-pcap.h"
#include "flowd/flowd-topo.h"
#include "flowd/sflow-encode.h"

enum { HOSTS_PER_SWITCH = 4, UPLINK = 1000, RATE = 1000, HEADER = 128 };

/* The mix: see generate(). */
static int HOSTS = 16, VMS = 32, TENANTS = 8, VLANS = 1;

static uint64_t rng = 0x2545f4914f6cdd1dULL;

static uint32_t
rnd(uint32_t n)
{
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return (rng >> 11) % n;
}

static void
vm_mac(uint8_t mac[6], int h, int v)
{
    uint8_t m[6] = { 2, 0, 0, h >> 8, h, v };
    memcpy(mac, m, 6);
}

static int
tenant_of(int h, int v)
{
    return (h * VMS + v) % TENANTS;
}

/* Each tenant's VMs spread over its VLANs. */
static uint16_t
vlan_of(int h, int v)
{
    return 100 + tenant_of(h, v) * VLANS + (h * VMS + v) / TENANTS % VLANS;
}

static size_t
frame_ipv6(uint8_t *f, const uint8_t src[6], const uint8_t dst[6],
           uint16_t vlan, int h1, int v1, int h2, int v2, uint16_t sport,
           uint16_t dport)
{
    uint8_t *p = f;

    memcpy(p, dst, 6);
    memcpy(p + 6, src, 6);
    p += 12;
    if (vlan) {
        *p++ = 0x81;
        *p++ = 0;
        *p++ = vlan >> 8;
        *p++ = vlan;
    }
    *p++ = 0x86;
    *p++ = 0xdd;
    memset(p, 0, 40);
    p[0] = 0x60;
    p[5] = 20;
    p[6] = 6;
    p[7] = 64;
    p[8] = 0xfd;
    p[21] = h1 >> 8;
    p[22] = h1;
    p[23] = v1;
    p[24] = 0xfd;
    p[37] = h2 >> 8;
    p[38] = h2;
    p[39] = v2;
    p += 40;
    memset(p, 0, 20);
    p[0] = sport >> 8;
    p[1] = sport;
    p[2] = dport >> 8;
    p[3] = dport;
    p[12] = 0x50;
    p[13] = 0x10;
    return p + 20 - f;
}

static void
counter_sample(struct flowd_sflow_buf *b, uint32_t seq, uint32_t ifindex)
{
    size_t s = flowd_sflow_enc_begin(b, 2);
    flowd_sflow_enc_u32(b, seq);
    flowd_sflow_enc_u32(b, ifindex);
    flowd_sflow_enc_u32(b, 2);
    size_t r = flowd_sflow_enc_begin(b, 1);
    flowd_sflow_enc_u32(b, ifindex);
    flowd_sflow_enc_u32(b, 6);
    flowd_sflow_enc_u64(b, 10000000000ULL);
    flowd_sflow_enc_u32(b, 1);
    flowd_sflow_enc_u32(b, 3);
    flowd_sflow_enc_u64(b, seq * 1000ULL);
    for (int i = 0; i < 6; i++) {
        flowd_sflow_enc_u32(b, seq);
    }
    flowd_sflow_enc_u64(b, seq * 900ULL);
    for (int i = 0; i < 6; i++) {
        flowd_sflow_enc_u32(b, seq);
    }
    flowd_sflow_enc_end(b, r);
    r = flowd_sflow_enc_begin(b, 2);
    for (int i = 0; i < 13; i++) {
        flowd_sflow_enc_u32(b, 0);
    }
    flowd_sflow_enc_end(b, r);
    flowd_sflow_enc_end(b, s);
}

static int
generate(const char *path, long n)
{
    static struct flowd_sflow_buf dg, samples;
    static const uint16_t sizes[] = { 64, 64, 128, 576, 1500, 1500, 1500,
                                      9000 };
    uint32_t *seq = calloc(HOSTS, sizeof *seq);
    uint32_t *sample_seq = calloc(HOSTS, sizeof *sample_seq);
    char topo_path[4096];
    FILE *f = fopen(path, "wb");

    snprintf(topo_path, sizeof topo_path, "%s.topo", path);
    FILE *t = fopen(topo_path, "w");
    if (!f || !t || !seq || !sample_seq) {
        perror(path);
        return 1;
    }
    for (int h = 0; h < HOSTS; h++) {
        fprintf(t, "host h%d switch sw%d agent 10.%d.%d.1 uplink %d\n", h,
                h / HOSTS_PER_SWITCH, h >> 8, h & 255, UPLINK);
    }
    fprintf(t, "gateway 02:00:00:ff:ff:fe\n");
    for (int i = 0; i < TENANTS; i++) {
        fprintf(t, "tenant t%d key %d", i, 1000 + i);
        for (int k = 0; k < VLANS; k++) {
            fprintf(t, " vlan %d", 100 + i * VLANS + k);
        }
        fprintf(t, "\n");
    }
    fclose(t);

    flowd_pcap_write_header(f);
    uint64_t ts = 1795000000ULL * 1000000;
    long total_samples = 0;
    for (long d = 0; d < n; d++) {
        int agent = rnd(HOSTS);
        uint32_t n_samples = 0;

        flowd_sflow_enc_init(&samples);
        while (samples.len < 1200) {
            /* Skewed sources: low VM numbers talk most. */
            int v = rnd(VMS) * rnd(VMS) / VMS;
            int sh = agent, dh, dv;
            int kind = rnd(100);
            bool transit = rnd(100) < 30;
            uint8_t smac[6], dmac[6];

            if (kind < 60) {        /* Same tenant. */
                do {
                    dh = rnd(HOSTS);
                    dv = rnd(VMS);
                } while (tenant_of(dh, dv) != tenant_of(sh, v));
            } else if (kind < 85) { /* Internet. */
                dh = 0xffff;    /* The gateway's MAC. */
                dv = 0xfe;
            } else {
                dh = rnd(HOSTS);
                dv = rnd(VMS);
            }
            if (transit && dh < HOSTS && dh != agent) {
                /* Sampled again on the destination host's uplink: the
                 * datagram is that host's, but keep it simple and let the
                 * source VM live on another host. */
                sh = (agent + 1 + rnd(HOSTS - 1)) % HOSTS;
                dh = agent;
            }
            vm_mac(smac, sh, v);
            vm_mac(dmac, dh, dv);
            uint16_t vlan = vlan_of(sh, v);
            uint16_t wire = sizes[rnd(8)];
            uint8_t frame[HEADER];
            size_t flen;
            bool uplink = sh != agent;

            if (rnd(10) == 0) {
                flen = frame_ipv6(frame, smac, dmac, uplink ? vlan : 0, sh,
                                  v, dh, dv, 1024 + rnd(60000), 443);
            } else {
                flen = flowd_sflow_enc_frame_ipv4(frame, smac, dmac,
                                                  uplink ? vlan : 0,
                                      0x0a000000 | (sh << 8) | (v + 1),
                                      dh < HOSTS
                                      ? 0x0a000000u | (dh << 8) | (dv + 1)
                                      : 0x08080000u | rnd(65536),
                                      rnd(5) ? 6 : 17, 1024 + rnd(60000),
                                      rnd(3) ? 443 : 53, 0);
            }
            sample_seq[agent]++;
            flowd_sflow_enc_flow_sample(&samples, sample_seq[agent],
                                        uplink ? UPLINK : v + 1, RATE,
                                        sample_seq[agent] * RATE,
                            uplink ? UPLINK : v + 1, uplink ? v + 1 : UPLINK,
                            frame, flen, wire, vlan);
            n_samples++;
        }
        bool counters = d % 10 == 0;
        flowd_sflow_enc_datagram(&dg, 0x0a000001 | (agent << 8), ++seq[agent],
                                 n_samples + counters);
        flowd_sflow_enc_bytes(&dg, samples.data, samples.len);
        if (counters) {
            counter_sample(&dg, seq[agent], 1 + rnd(VMS));
        }
        ts += 100;
        flowd_pcap_write(f, dg.data, dg.len, ts);
        total_samples += n_samples;
    }
    if (fclose(f)) {
        perror(path);
        return 1;
    }
    fprintf(stderr, "%ld datagrams, %ld flow samples (%.1f per datagram)\n",
            n, total_samples, (double) total_samples / n);
    return 0;
}

static char *
load(const char *path, size_t *len, struct flowd_pcap *pc)
{
    char *data;
    int error = flowd_file_read(path, &data, len);

    if (error) {
        fprintf(stderr, "%s: %s\n", path, strerror(error));
        exit(1);
    }
    if (!flowd_pcap_open(pc, data, *len)) {
        fprintf(stderr, "%s: not a pcap recording\n", path);
        exit(1);
    }
    return data;
}

static double
now_s(clockid_t clock)
{
    struct timespec ts;

    clock_gettime(clock, &ts);
    return ts.tv_sec + ts.tv_nsec / 1e9;
}

static int
run(const char *path, const char *topo_path, double seconds)
{
    struct flowd_core core;
    struct flowd_pcap pc;
    size_t len, tlen;
    char *data = load(path, &len, &pc);

    /* Index the datagrams once: the loop below measures the collector,
     * not the file format. */
    size_t n = 0, cap = 1024;
    struct { const uint8_t *p; size_t len; } *dgs = malloc(cap * sizeof *dgs);
    const uint8_t *payload;
    size_t plen;
    uint64_t ts;
    while (flowd_pcap_next(&pc, &payload, &plen, &ts)) {
        if (n == cap) {
            cap *= 2;
            dgs = realloc(dgs, cap * sizeof *dgs);
        }
        dgs[n].p = payload;
        dgs[n++].len = plen;
    }

    char *error = flowd_core_init(&core, 100000, 100000, 100000, 24, 64);
    if (!error) {
        error = flowd_core_add_agg(&core, "pair_host");
    }
    if (!error) {
        error = flowd_core_add_agg(&core, "biflow");
    }
    if (error) {
        fprintf(stderr, "%s\n", error);
        free(error);
        return 1;
    }
    char *text;
    int errnum = flowd_file_read(topo_path, &text, &tlen);
    if (errnum) {
        fprintf(stderr, "%s: %s\n", topo_path, strerror(errnum));
        return 1;
    }
    struct flowd_topo *t = flowd_topo_create();
    error = flowd_topo_parse(t, text, tlen, topo_path);
    if (error) {
        fprintf(stderr, "%s\n", error);
        free(error);
        return 1;
    }
    free(text);
    flowd_locator_set_topo(&core.loc, t);

    double wall0 = now_s(CLOCK_MONOTONIC);
    double cpu0 = now_s(CLOCK_PROCESS_CPUTIME_ID);
    uint64_t passes = 0;
    uint64_t now_ms = 1795000000000ULL;
    do {
        for (size_t i = 0; i < n; i++) {
            flowd_core_datagram(&core, dgs[i].p, dgs[i].len, now_ms + i / 8);
        }
        /* One interval per pass, closed as the daemon closes it: the
         * sample table rolled up into the aggregations. */
        flowd_agg_rollup(&core.agg);
        flowd_agg_clear(&core.agg);
        passes++;
    } while (now_s(CLOCK_MONOTONIC) - wall0 < seconds);
    double wall = now_s(CLOCK_MONOTONIC) - wall0;
    double cpu = now_s(CLOCK_PROCESS_CPUTIME_ID) - cpu0;

    const struct flowd_metrics *m = &core.metrics;
    uint64_t errors = 0;
    for (int e = 0; e < FLOWD_SFLOW_N_ERRORS; e++) {
        errors += m->errors[e];
    }
    printf("flowd_datagrams %" PRIu64 "\n", m->datagrams);
    printf("flowd_flow_samples %" PRIu64 "\n", m->flow_samples);
    printf("flowd_counter_samples %" PRIu64 "\n", m->counter_samples);
    printf("flowd_errors %" PRIu64 "\n", errors);
    printf("flowd_transit %" PRIu64 "\n", m->transit_samples);
    printf("flowd_learned %" PRIu64 "\n", core.loc.n_learned);
    printf("flowd_wall_s %.3f\n", wall);
    printf("flowd_cpu_s %.3f\n", cpu);
    printf("flowd_samples_per_s %.0f\n", m->flow_samples / wall);
    printf("flowd_samples_per_cpu_s %.0f\n", m->flow_samples / cpu);
    flowd_core_destroy(&core);
    free(dgs);
    free(data);
    return errors != 0;
}

/* Sends the 'n' queued datagrams of one socket; returns how many left. */
static uint64_t
flush(int fd, struct mmsghdr *msgs, int *n)
{
    uint64_t sent = 0;

    for (int done = 0; done < *n; ) {
        int k = sendmmsg(fd, msgs + done, *n - done, 0);
        if (k <= 0) {
            break;          /* Counted as not sent, as send() was. */
        }
        done += k;
        sent += k;
    }
    *n = 0;
    return sent;
}

static int
replay(const char *path, const char *target, double rate)
{
    struct flowd_pcap pc;
    size_t len;
    char *data = load(path, &len, &pc);
    char host[256];

    snprintf(host, sizeof host, "%s", target);
    char *colon = strrchr(host, ':');
    if (!colon) {
        fprintf(stderr, "expected ADDR:PORT\n");
        return 1;
    }
    *colon = '\0';
    struct addrinfo hints = { .ai_socktype = SOCK_DGRAM }, *ai;
    if (getaddrinfo(host, colon + 1, &hints, &ai)) {
        fprintf(stderr, "bad address %s\n", target);
        return 1;
    }
    /* One socket (source port) per group of agents, as agents on
     * different hosts send from different addresses: the receiver's
     * SO_REUSEPORT workers see the spread they would see in production. */
    enum { N_SOCKETS = 16 };
    int fds[N_SOCKETS];
    for (int i = 0; i < N_SOCKETS; i++) {
        fds[i] = socket(ai->ai_family, SOCK_DGRAM, 0);
        if (fds[i] < 0 || connect(fds[i], ai->ai_addr, ai->ai_addrlen)) {
            perror("replay");
            return 1;
        }
    }

    /* Paced in ticks of 1 ms: the datagrams due by each tick leave in one
     * sendmmsg() per socket, so that the sender's own CPU (on a machine
     * whose cores the receiver needs too) does not cap the rates. */
    enum { BURST = 64 };
    struct mmsghdr msgs[N_SOCKETS][BURST];
    struct iovec iovs[N_SOCKETS][BURST];
    int n_msgs[N_SOCKETS] = { 0 };
    const uint8_t *payload;
    size_t plen;
    uint64_t ts, sent = 0, queued = 0;
    double start = now_s(CLOCK_MONOTONIC);
    bool more = true;

    memset(msgs, 0, sizeof msgs);
    while (more) {
        double due = (now_s(CLOCK_MONOTONIC) - start) * rate;
        while (queued < due + 1 && (more = flowd_pcap_next(&pc, &payload,
                                                           &plen, &ts))) {
            uint32_t agent = 0;
            if (plen >= 12) {
                memcpy(&agent, payload + 8, 4);     /* IPv4 agent address. */
            }
            int s = (agent * 2654435761u) >> 28;
            iovs[s][n_msgs[s]] = (struct iovec) { (void *) payload, plen };
            msgs[s][n_msgs[s]].msg_hdr.msg_iov = &iovs[s][n_msgs[s]];
            msgs[s][n_msgs[s]].msg_hdr.msg_iovlen = 1;
            queued++;
            if (++n_msgs[s] == BURST) {
                sent += flush(fds[s], msgs[s], &n_msgs[s]);
            }
        }
        for (int s = 0; s < N_SOCKETS; s++) {
            sent += flush(fds[s], msgs[s], &n_msgs[s]);
        }
        if (more) {
            struct timespec tick = { 0, 1000000 };
            nanosleep(&tick, NULL);
        }
    }
    printf("replay_sent %" PRIu64 "\n", sent);
    printf("replay_s %.3f\n", now_s(CLOCK_MONOTONIC) - start);
    for (int i = 0; i < N_SOCKETS; i++) {
        close(fds[i]);
    }
    freeaddrinfo(ai);
    free(data);
    return 0;
}

int
main(int argc, char *argv[])
{
    if ((argc == 4 || argc == 8) && !strcmp(argv[1], "generate")) {
        if (argc == 8) {
            HOSTS = atoi(argv[4]);
            VMS = atoi(argv[5]);
            TENANTS = atoi(argv[6]);
            VLANS = atoi(argv[7]);
            if (HOSTS < 2 || HOSTS > 4096 || VMS < 1 || VMS > 250
                || TENANTS < 1 || VLANS < 1 || VLANS > 30
                || TENANTS * VLANS > 3994) {
                /* 30 VLANs: a topology line has at most 64 words. */
                fprintf(stderr, "flowd-bench: HOSTS 2..4096, VMS 1..250, "
                        "VLANS 1..30, TENANTS x VLANS at most 3994\n");
                return 2;
            }
        }
        return generate(argv[2], atol(argv[3]));
    } else if (argc == 5 && !strcmp(argv[1], "run")) {
        return run(argv[2], argv[3], atof(argv[4]));
    } else if (argc == 5 && !strcmp(argv[1], "replay")) {
        return replay(argv[2], argv[3], atof(argv[4]));
    }
    fprintf(stderr, "usage: flowd-bench generate FILE DATAGRAMS "
            "[HOSTS VMS TENANTS VLANS]\n"
            "       flowd-bench run FILE TOPO SECONDS\n"
            "       flowd-bench replay FILE ADDR:PORT DATAGRAMS-PER-S\n");
    return 2;
}
