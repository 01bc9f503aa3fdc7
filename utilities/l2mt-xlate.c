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

/* l2mt-xlate: runs the translator core over the frames of a capture file,
 * so that users can see what l2mt does to their traffic and tests can
 * drive the core with real captures. */

#include <config.h>

#include <ctype.h>
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <limits.h>
#include <pcap/pcap.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "l2mt-prefix.h"
#include "nat64.h"

#define ETH_HEADER_LEN 14
#define ETH_TYPE_IPV4 0x0800
#define ETH_TYPE_ARP 0x0806
#define ETH_TYPE_IPV6 0x86dd
#define ETH_TYPE_VLAN 0x8100
#define ETH_TYPE_QINQ 0x88a8

/* Snapshot length written to OUT: libpcap's and Wireshark's maximum. */
#define OUT_SNAPLEN 262144

/* What the command line asks for. */
struct xlate_options {
    int mode;                   /* enum l2mt_mode, or MODE_AUTO. */
    struct l2mt_cfg cfg;        /* Prefix and flags for the core. */
    bool keep_dropped;          /* Copy dropped frames to OUT? */
    bool quiet;                 /* Do not print the counts. */
    const char *in_name;        /* Input capture, "-" for stdin. */
    const char *out_name;       /* Output capture, "-" for stdout. */
    const char *in_label;       /* 'in_name' for messages. */
    const char *out_label;      /* 'out_name' for messages. */
};

/* Mode chosen per frame from its ethertype. */
#define MODE_AUTO (-1)

/* What happened to the frames. */
struct xlate_counts {
    uint64_t frames;                     /* Records read from IN. */
    uint64_t short_records;              /* Records with caplen < len. */
    uint64_t fragmented;                 /* Translated into fragments. */
    uint64_t fragments;                  /* Fragments written. */
    uint64_t results[L2MT_N_RESULTS];    /* Core results. */
};

static const char *program_name = "l2mt-xlate";

static void parse_options(int argc, char *argv[], struct xlate_options *);
static int parse_mtu(const char *, uint32_t *mtu);
static void usage(void);
static void fail(const char *format, ...)
    __attribute__((format(printf, 1, 2), noreturn));
static int xlate_file(const struct xlate_options *, struct xlate_counts *);
static void print_counts(FILE *, const struct xlate_counts *);

int
main(int argc, char *argv[])
{
    struct xlate_options opts;
    struct xlate_counts counts;

    parse_options(argc, argv, &opts);
    memset(&counts, 0, sizeof counts);
    if (xlate_file(&opts, &counts)) {
        return 2;
    }
    if (!opts.quiet) {
        /* Keep a pcap on stdout clean. */
        print_counts(strcmp(opts.out_name, "-") ? stdout : stderr, &counts);
    }
    return 0;
}

static void
parse_options(int argc, char *argv[], struct xlate_options *opts)
{
    enum {
        OPT_PREFIX = UCHAR_MAX + 1,
        OPT_UDP0,
        OPT_KEEP_DROPPED,
        OPT_MTU6,
        OPT_MTU4,
    };
    static const struct option long_options[] = {
        {"prefix", required_argument, NULL, OPT_PREFIX},
        {"udp0", required_argument, NULL, OPT_UDP0},
        {"keep-dropped", no_argument, NULL, OPT_KEEP_DROPPED},
        {"mtu6", required_argument, NULL, OPT_MTU6},
        {"mtu4", required_argument, NULL, OPT_MTU4},
        {"quiet", no_argument, NULL, 'q'},
        {"help", no_argument, NULL, 'h'},
        {"version", no_argument, NULL, 'V'},
        {NULL, 0, NULL, 0},
    };
    uint8_t prefix[12];
    uint32_t flags = 0, mtu6 = 0, mtu4 = 0;
    const char *mode, *bad;
    char *error;

    memset(opts, 0, sizeof *opts);
    if (l2mt_prefix_parse(L2MT_PREFIX_DEFAULT, prefix, NULL)) {
        abort();
    }

    for (;;) {
        int c = getopt_long(argc, argv, "qhV", long_options, NULL);
        if (c == -1) {
            break;
        }

        switch (c) {
        case OPT_PREFIX:
            if (l2mt_prefix_parse(optarg, prefix, &error)) {
                fail("--prefix: %s", error ? error : optarg);
            }
            break;

        case OPT_UDP0:
            if (!strcmp(optarg, "compute")) {
                flags &= ~L2MT_F_UDP0_DROP;
            } else if (!strcmp(optarg, "drop")) {
                flags |= L2MT_F_UDP0_DROP;
            } else {
                fail("--udp0=%s: must be \"compute\" or \"drop\"", optarg);
            }
            break;

        case OPT_MTU6:
        case OPT_MTU4:
            if (parse_mtu(optarg, c == OPT_MTU6 ? &mtu6 : &mtu4)) {
                fail("--mtu%c=%s: not a number", c == OPT_MTU6 ? '6' : '4',
                     optarg);
            }
            break;

        case OPT_KEEP_DROPPED:
            opts->keep_dropped = true;
            break;

        case 'q':
            opts->quiet = true;
            break;

        case 'h':
            usage();
            exit(EXIT_SUCCESS);

        case 'V':
            printf("%s (%s) %s\n", program_name, PACKAGE_NAME,
                   PACKAGE_VERSION);
            exit(EXIT_SUCCESS);

        case '?':
            fprintf(stderr, "Try '%s --help' for more information.\n",
                    program_name);
            exit(2);

        default:
            abort();
        }
    }

    if (argc - optind != 3) {
        fail("need exactly three arguments, MODE IN OUT (try --help)");
    }
    mode = argv[optind];
    opts->in_name = argv[optind + 1];
    opts->out_name = argv[optind + 2];
    opts->in_label = (strcmp(opts->in_name, "-") ? opts->in_name
                      : "(standard input)");
    opts->out_label = (strcmp(opts->out_name, "-") ? opts->out_name
                       : "(standard output)");

    if (!strcmp(mode, "auto")) {
        opts->mode = MODE_AUTO;
    } else {
        opts->mode = l2mt_mode_from_name(mode);
        if (opts->mode < 0) {
            fail("%s: unknown mode (use 4toll6, ll6to4, auto or normal)",
                 mode);
        }
    }
    bad = l2mt_mtu_check(mtu6, mtu4);
    if (bad) {
        fail("--%s", bad);
    }
    l2mt_cfg_init(&opts->cfg, prefix, flags);
    l2mt_cfg_set_mtu(&opts->cfg, mtu6, mtu4);
}

/* Parses decimal 's' into '*mtu'; the range is l2mt_mtu_check()'s. */
static int
parse_mtu(const char *s, uint32_t *mtu)
{
    unsigned long v;
    char *end;

    errno = 0;
    v = strtoul(s, &end, 10);
    if (!isdigit((unsigned char) *s) || *end || errno || v > UINT32_MAX) {
        return -1;
    }
    *mtu = v;
    return 0;
}

static void
usage(void)
{
    printf("%s: translate the Ethernet frames of a capture file between "
           "IPv4 and IPv6\n"
           "usage: %s [OPTIONS] MODE IN OUT\n"
           "where MODE is one of:\n"
           "  4toll6    IPv4 to IPv6 and ARP to NDP\n"
           "  ll6to4    IPv6 to IPv4 and NDP to ARP\n"
           "  auto      IPv4 and ARP frames 4toll6, IPv6 frames ll6to4, "
           "others untouched\n"
           "  normal    every frame untouched\n"
           "IN is a pcap or pcapng file of Ethernet frames, OUT is written "
           "as pcap;\n"
           "\"-\" means standard input or output.\n"
           "\nTranslation options:\n"
           "  --prefix=PREFIX/96      map a.b.c.d to PREFIX::a.b.c.d "
           "(default %s)\n"
           "  --udp0=compute|drop     IPv4 UDP checksum 0: compute it "
           "(default) or drop\n"
           "  --mtu6=N, --mtu4=N      MTUs of the IPv6 and IPv4 sides: "
           "bound the MTU of\n"
           "                          translated Packet Too Big and "
           "Fragmentation Needed\n"
           "                          (default: not bounded); IPv4 DF=0 "
           "packets go as IPv6\n"
           "                          fragments of at most mtu6 bytes "
           "(default 1280)\n"
           "  --keep-dropped          copy dropped frames to OUT "
           "untouched\n"
           "\nOther options:\n"
           "  -q, --quiet             do not print the counts\n"
           "  -h, --help              display this help message\n"
           "  -V, --version           display version information\n",
           program_name, program_name, L2MT_PREFIX_DEFAULT);
}

static void
fail(const char *format, ...)
{
    va_list args;

    fprintf(stderr, "%s: ", program_name);
    va_start(args, format);
    vfprintf(stderr, format, args);
    va_end(args);
    fputc('\n', stderr);
    exit(2);
}

/* Prints an error about 'name' and returns 2. */
static int
file_error(const char *name, const char *format, ...)
    __attribute__((format(printf, 2, 3)));

static int
file_error(const char *name, const char *format, ...)
{
    va_list args;

    fprintf(stderr, "%s: %s: ", program_name, name);
    va_start(args, format);
    vfprintf(stderr, format, args);
    va_end(args);
    fputc('\n', stderr);
    return 2;
}

/* Returns the ethertype after up to two VLAN tags, or 0 when 'frame' is too
 * short to have one. */
static uint16_t
frame_ethertype(const uint8_t *frame, uint32_t len)
{
    uint32_t ofs;

    for (ofs = 12; ofs + 2 <= len && ofs <= 20; ofs += 4) {
        uint16_t type = (frame[ofs] << 8) | frame[ofs + 1];
        if (type != ETH_TYPE_VLAN && type != ETH_TYPE_QINQ) {
            return type;
        }
    }
    return 0;
}

/* Chooses the mode for 'frame' in "auto" mode.  Frames too short for an
 * ethertype go to the core too, so that they are counted as malformed. */
static enum l2mt_mode
auto_mode(const uint8_t *frame, uint32_t len)
{
    switch (frame_ethertype(frame, len)) {
    case 0:
    case ETH_TYPE_IPV4:
    case ETH_TYPE_ARP:
        return L2MT_MODE_4TOLL6;
    case ETH_TYPE_IPV6:
        return L2MT_MODE_LL6TO4;
    default:
        return L2MT_MODE_NORMAL;
    }
}

/* Opens 'name' for reading ("-" is stdin) with nanosecond timestamps;
 * 'label' names it in error messages. */
static pcap_t *
open_input(const char *name, const char *label)
{
    char errbuf[PCAP_ERRBUF_SIZE];
    FILE *file;
    pcap_t *pcap;

    file = strcmp(name, "-") ? fopen(name, "rb") : stdin;
    if (!file) {
        file_error(label, "%s", strerror(errno));
        return NULL;
    }
    pcap = pcap_fopen_offline_with_tstamp_precision(
        file, PCAP_TSTAMP_PRECISION_NANO, errbuf);
    if (!pcap) {
        file_error(label, "not a pcap or pcapng file (%s)", errbuf);
        if (file != stdin) {
            fclose(file);
        }
        return NULL;
    }
    if (pcap_datalink(pcap) != DLT_EN10MB) {
        int dlt = pcap_datalink(pcap);
        const char *dlt_name = pcap_datalink_val_to_name(dlt);

        file_error(label, "link type %s (%d) is not Ethernet; l2mt-xlate "
                   "translates Ethernet frames only",
                   dlt_name ? dlt_name : "unknown", dlt);
        pcap_close(pcap);
        return NULL;
    }
    return pcap;
}

/* Returns true if files 'a' and 'b' both exist and are the same file. */
static bool
same_file(const char *a, const char *b)
{
    struct stat sa, sb;

    return (strcmp(a, "-") && strcmp(b, "-")
            && !stat(a, &sa) && !stat(b, &sb)
            && sa.st_dev == sb.st_dev && sa.st_ino == sb.st_ino);
}

/* RFC 7915 4: writes the IPv6 fragments of translated 'pkt' (a DF=0 IPv4
 * packet too big for the IPv6 side), each with the input's timestamp.
 * Returns -1 when out of memory. */
static int
write_fragments(pcap_dumper_t *dumper, const struct pcap_pkthdr *in_hdr,
                const struct l2mt_pkt *pkt, struct xlate_counts *counts)
{
    uint32_t n = l2mt_frag_count(pkt), size = pkt->l3_ofs + pkt->frag_size;
    uint8_t *frag = malloc(size);
    uint32_t i;

    if (!frag) {
        return -1;
    }
    counts->fragmented++;
    for (i = 0; i < n; i++) {
        struct pcap_pkthdr h = *in_hdr;

        h.caplen = h.len = l2mt_frag_emit(pkt, i, frag, size);
        pcap_dump((u_char *) dumper, &h, frag);
        counts->fragments++;
    }
    free(frag);
    return 0;
}

/* Translates the frames of opts->in_name into opts->out_name, counting
 * them in 'counts'.  Returns 0 on success, 2 on an I/O error (reported on
 * stderr). */
static int
xlate_file(const struct xlate_options *opts, struct xlate_counts *counts)
{
    struct pcap_pkthdr *hdr;
    const u_char *data;
    pcap_dumper_t *dumper = NULL;
    pcap_t *out = NULL;
    pcap_t *in = NULL;
    uint8_t *buf = NULL;
    uint32_t buf_size = 0;
    uint16_t ip_id = 1;
    int error = 2;
    int retval;

    if (same_file(opts->in_name, opts->out_name)) {
        return file_error(opts->out_label, "is also the input file");
    }
    in = open_input(opts->in_name, opts->in_label);
    if (!in) {
        return 2;
    }
    out = pcap_open_dead_with_tstamp_precision(DLT_EN10MB, OUT_SNAPLEN,
                                               PCAP_TSTAMP_PRECISION_NANO);
    dumper = out ? pcap_dump_open(out, opts->out_name) : NULL;
    if (!dumper) {
        file_error(opts->out_label, "%s",
                   out ? pcap_geterr(out) : "out of memory");
        goto exit;
    }

    while ((retval = pcap_next_ex(in, &hdr, &data)) == 1) {
        struct pcap_pkthdr out_hdr = *hdr;
        const u_char *out_data = data;
        enum l2mt_result result;
        struct l2mt_pkt pkt;

        counts->frames++;
        if (hdr->caplen < hdr->len) {
            /* The core needs whole frames. */
            counts->short_records++;
            pcap_dump((u_char *) dumper, &out_hdr, out_data);
            continue;
        }

        if (hdr->caplen + L2MT_MAX_GROWTH > buf_size) {
            buf_size = hdr->caplen + L2MT_MAX_GROWTH;
            free(buf);
            buf = malloc(buf_size);
            if (!buf) {
                file_error(opts->in_label, "out of memory");
                goto exit;
            }
        }

        /* The core works in place, with headroom to grow the frame. */
        memset(&pkt, 0, sizeof pkt);
        pkt.data = buf + L2MT_MAX_GROWTH;
        pkt.len = pkt.linear = hdr->caplen;
        pkt.headroom = L2MT_MAX_GROWTH;
        pkt.ip_id = ip_id++;
        memcpy(pkt.data, data, hdr->caplen);

        result = l2mt_translate(&opts->cfg,
                                (opts->mode == MODE_AUTO
                                 ? auto_mode(pkt.data, pkt.len)
                                 : (enum l2mt_mode) opts->mode),
                                &pkt);
        if ((unsigned int) result >= L2MT_N_RESULTS) {
            file_error(opts->in_label, "frame %"PRIu64": translator returned "
                       "%d", counts->frames, (int) result);
            abort();
        }
        counts->results[result]++;

        if (result == L2MT_XLATED && pkt.frag_size) {
            if (write_fragments(dumper, &out_hdr, &pkt, counts)) {
                file_error(opts->in_label, "out of memory");
                goto exit;
            }
            continue;
        } else if (result == L2MT_XLATED) {
            out_hdr.caplen = out_hdr.len = pkt.len;
            out_data = pkt.data;
        } else if (l2mt_result_is_drop(result) && !opts->keep_dropped) {
            continue;
        }
        pcap_dump((u_char *) dumper, &out_hdr, out_data);
    }
    if (retval == PCAP_ERROR) {
        file_error(opts->in_label, "read error after %"PRIu64" frames: %s",
                   counts->frames, pcap_geterr(in));
        goto exit;
    }

    if (pcap_dump_flush(dumper) || ferror(pcap_dump_file(dumper))) {
        file_error(opts->out_label, "write error: %s", strerror(errno));
        goto exit;
    }
    error = 0;

exit:
    if (dumper) {
        pcap_dump_close(dumper);
        if (error && strcmp(opts->out_name, "-")) {
            /* Leave no half-written capture behind. */
            unlink(opts->out_name);
        }
    }
    if (out) {
        pcap_close(out);
    }
    pcap_close(in);
    free(buf);
    return error;
}

static void
print_counts(FILE *stream, const struct xlate_counts *counts)
{
    int i;

    fprintf(stream, "%-24s %10"PRIu64"\n", "frames", counts->frames);
    for (i = 0; i < L2MT_N_RESULTS; i++) {
        if (counts->results[i]) {
            fprintf(stream, "%-24s %10"PRIu64"\n", l2mt_result_name(i),
                    counts->results[i]);
        }
    }
    if (counts->fragmented) {
        fprintf(stream, "%-24s %10"PRIu64"\n", "fragmented",
                counts->fragmented);
        fprintf(stream, "%-24s %10"PRIu64"\n", "fragments",
                counts->fragments);
    }
    if (counts->short_records) {
        fprintf(stream, "%-24s %10"PRIu64"\n", "capture_truncated",
                counts->short_records);
    }
}
