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

/* bench/xlate: the translator core's cost per frame, in nanoseconds
 * (clock_gettime over many frames) and in instructions (callgrind counting
 * only inside l2mt_translate() and, for "frag", l2mt_frag_count() and
 * l2mt_frag_emit(), divided by the number of input frames). */

#include <config.h>
#include "nat64-test.h"
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define HEADROOM L2MT_MAX_GROWTH
#define IR_CALLS 10000          /* Calls counted under callgrind. */
#define TIME_CALLS 1000000      /* Calls timed, per run. */
#define TIME_REPS 5

struct bcase {
    const char *name;
    enum l2mt_mode mode;
    int target;                 /* Instructions per frame, 0: none. */
    struct tframe f;
    bool frag;                  /* Emit the fragments too (RFC 7915 4). */
};

static struct bcase cases[] = {
    { "udp 64B 4->6", L2MT_MODE_4TOLL6, 150, { .n = 0 }, false },
    { "udp 64B 6->4", L2MT_MODE_LL6TO4, 150, { .n = 0 }, false },
    { "udp 1500B 4->6", L2MT_MODE_4TOLL6, 0, { .n = 0 }, false },
    { "udp 1500B 6->4", L2MT_MODE_LL6TO4, 0, { .n = 0 }, false },
    { "arp->ns", L2MT_MODE_4TOLL6, 300, { .n = 0 }, false },
    { "ns->arp", L2MT_MODE_LL6TO4, 300, { .n = 0 }, false },
    { "frag 1500B 4->6", L2MT_MODE_4TOLL6, 0, { .n = 0 }, true },
};
#define N_CASES (sizeof cases / sizeof cases[0])

static void
build(void)
{
    struct pspec s;
    uint8_t la[16], lb[16], snm[16] = { 0xff, 0x02, [11] = 1, [12] = 0xff };
    uint8_t mac_snm[6] = { 0x33, 0x33, 0xff, 0x00, 0x00, 0x14 };
    static const uint8_t zero[6];

    s = pspec(17, 64 - 14 - 20 - 8);
    mk4(&cases[0].f, &s);
    s.paylen = 64 - 14 - 40 - 8;
    mk6(&cases[1].f, &s);
    /* DF=1, as TCP and path MTU discovery send them: whole, fast path. */
    s.paylen = 1500 - 14 - 20 - 8;
    s.df = true;
    mk4(&cases[2].f, &s);
    s.paylen = 1500 - 14 - 40 - 8;
    mk6(&cases[3].f, &s);
    /* DF=0: translated, then cut into 2 fragments of <= 1280 bytes. */
    s.paylen = 1500 - 14 - 20 - 8;
    s.df = false;
    mk4(&cases[6].f, &s);
    s.df = true;

    tf_eth(&cases[4].f, MAC_BCAST, MAC_A, 0, 0x0806);
    tf_arp(&cases[4].f, 1, MAC_A, IP_A, zero, IP_B);

    a6(la, PFX_LL, IP_A);
    a6(lb, PFX_LL, IP_B);
    memcpy(snm + 13, lb + 13, 3);
    tf_eth(&cases[5].f, mac_snm, MAC_A, 0, 0x86dd);
    tf_ip6(&cases[5].f, 0, 58, 255, la, snm);
    tf_icmp(&cases[5].f, 58, 135, 0, 0);
    tf_mem(&cases[5].f, lb, 16);
    tf_u8(&cases[5].f, 1);
    tf_u8(&cases[5].f, 1);
    tf_mem(&cases[5].f, MAC_A, 6);
    tf_end(&cases[5].f);
}

/* The buffer, and how much of it a translation can change: the headroom
 * and the headers (the payload after them never moves). */
static uint8_t buf[HEADROOM + TF_MAX];
#define RESET_LEN (HEADROOM + 96)

/* Runs 'n' translations of 'c', restoring the frame before each; with
 * 'xlate' false only the restoring, for the baseline. */
static uint32_t
loop(const struct bcase *c, const struct l2mt_cfg *cfg, long n, bool xlate)
{
    static uint8_t saved[RESET_LEN];
    struct l2mt_pkt pkt;
    uint32_t sink = 0;
    long i;

    memset(buf, 0, sizeof buf);
    memcpy(buf + HEADROOM, c->f.b, c->f.n);
    memcpy(saved, buf, RESET_LEN);
    for (i = 0; i < n; i++) {
        memcpy(buf, saved, RESET_LEN);
        memset(&pkt, 0, sizeof pkt);
        pkt.data = buf + HEADROOM;
        pkt.len = pkt.linear = c->f.n;
        pkt.headroom = HEADROOM;
        pkt.ip_id = (uint16_t) i;
        if (xlate) {
            sink += l2mt_translate(cfg, c->mode, &pkt);
            if (c->frag) {
                static uint8_t frag[TF_MAX];
                uint32_t k, nf = l2mt_frag_count(&pkt);

                for (k = 0; k < nf; k++) {
                    sink += l2mt_frag_emit(&pkt, k, frag, sizeof frag);
                }
                __asm__ volatile("" : : "r"(frag) : "memory");
            }
        }
        __asm__ volatile("" : : "r"(pkt.data), "r"(buf) : "memory");
    }
    return sink;
}

static double
now(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec + ts.tv_nsec * 1e-9;
}

/* Instructions per call of case 'i', from callgrind; -1 if unavailable. */
static double
count_ir(const char *self, size_t i)
{
    char out[] = "/tmp/bench-xlate-callgrind.XXXXXX";
    char outfile[64], arg[16], line[256];
    double ir = -1;
    int fd, status;
    pid_t pid;
    FILE *f;

    fd = mkstemp(out);
    if (fd < 0) {
        return -1;
    }
    close(fd);
    snprintf(outfile, sizeof outfile, "--callgrind-out-file=%s", out);
    snprintf(arg, sizeof arg, "%zu", i);
    pid = fork();
    if (!pid) {
        if (!freopen("/dev/null", "w", stderr)) {
            _exit(126);
        }
        execlp("valgrind", "valgrind", "--tool=callgrind",
               "--collect-atstart=no", "--toggle-collect=l2mt_translate",
               "--toggle-collect=l2mt_frag_count",
               "--toggle-collect=l2mt_frag_emit",
               outfile, self, "--ir", arg, (char *) NULL);
        _exit(127);
    }
    if (pid > 0 && waitpid(pid, &status, 0) == pid && WIFEXITED(status)
        && !WEXITSTATUS(status) && (f = fopen(out, "r"))) {
        while (fgets(line, sizeof line, f)) {
            if (!strncmp(line, "totals:", 7) || !strncmp(line, "summary:", 8)) {
                ir = strtod(strchr(line, ':') + 1, NULL) / IR_CALLS;
            }
        }
        fclose(f);
    }
    unlink(out);
    return ir;
}

int
main(int argc, char *argv[])
{
    struct l2mt_cfg cfg;
    size_t i;
    int over = 0;

    l2mt_cfg_init(&cfg, NULL, 0);
    build();
    if (argc == 3 && !strcmp(argv[1], "--ir")) {
        i = strtoul(argv[2], NULL, 10);
        return i < N_CASES ? (loop(&cases[i], &cfg, IR_CALLS, true), 0) : 2;
    } else if (argc > 1) {
        fprintf(stderr, "usage: %s\n"
                "Prints the translator core's ns/frame and "
                "instructions/frame.\n", argv[0]);
        return argc == 2 && !strcmp(argv[1], "--help") ? 0 : 2;
    }

    printf("%-16s %6s %10s %12s %8s\n", "case", "bytes", "ns/frame",
           "instr/frame", "target");
    for (i = 0; i < N_CASES; i++) {
        const struct bcase *c = &cases[i];
        double t0, t1, t2, base, cost, ir;
        int rep;
        enum l2mt_result r;
        struct l2mt_pkt pkt;
        char target[16];

        /* It must translate, or the figures mean nothing. */
        memcpy(buf + HEADROOM, c->f.b, c->f.n);
        memset(&pkt, 0, sizeof pkt);
        pkt.data = buf + HEADROOM;
        pkt.len = pkt.linear = c->f.n;
        pkt.headroom = HEADROOM;
        r = l2mt_translate(&cfg, c->mode, &pkt);
        if (r != L2MT_XLATED || !pkt.frag_size != !c->frag) {
            printf("%s: %s%s\n", c->name, l2mt_result_name(r),
                   pkt.frag_size ? ", fragmented" : "");
            return 1;
        }

        /* The best of a few runs: other load only ever adds time. */
        base = cost = 1e9;
        for (rep = 0; rep < TIME_REPS; rep++) {
            t0 = now();
            loop(c, &cfg, TIME_CALLS, false);
            t1 = now();
            loop(c, &cfg, TIME_CALLS, true);
            t2 = now();
            base = t1 - t0 < base ? t1 - t0 : base;
            cost = t2 - t1 < cost ? t2 - t1 : cost;
        }
        ir = count_ir(argv[0], i);
        snprintf(target, sizeof target, c->target ? "<= %d" : "-",
                 c->target);
        printf("%-16s %6zu %10.1f ", c->name, c->f.n,
               (cost - base) / TIME_CALLS * 1e9);
        if (ir < 0) {
            printf("%12s %8s\n", "n/a", target);
        } else {
            printf("%12.1f %8s%s\n", ir, target,
                   c->target && ir > c->target ? "  OVER TARGET" : "");
            over |= c->target && ir > c->target;
        }
    }
    printf("(ns: best of %d runs of %d frames, minus the cost of restoring "
           "the frame; instructions: callgrind, inside l2mt_translate "
           "and l2mt_frag_*, %d frames; frag: a DF=0 frame translated and "
           "emitted as its 2 fragments)\n", TIME_REPS, TIME_CALLS,
           IR_CALLS);
    return over;
}
