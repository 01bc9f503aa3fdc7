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

/* RFC conformance frames (issue 14) for the translator's users: l2mt-xlate
 * (tests/xlate-conform.sh), the Open vSwitch action (tests/ovs-nat64-*.at)
 * and the kernel module.  The frames come from the independent builders of
 * tests/nat64-test.c, written from the RFC text; the translator is not
 * used here.
 *
 *   conform-frames list
 *       One case a line: NAME MODE OPTIONS IN-HEX WANT, where OPTIONS is
 *       "-" or the MTUs as "mtu6=N,mtu4=N" (or one of them) and WANT is
 *       the expected frame in hex, the expected frames in hex separated
 *       by ',' (IPv6 fragments, RFC 7915 4), or the name of the drop.
 *   conform-frames pcap HEX FILE
 *       Writes the frame HEX as the only record of pcap FILE.
 *   conform-frames dump FILE
 *       Prints every frame of pcap FILE in hex, one a line.
 *   conform-frames match WANT GOT
 *       Exits 0 if frame GOT matches WANT ('x' matches any digit: the
 *       IPv4 ID and header checksum of frames whose ID the caller picks)
 *       and an IPv4 header checksum in GOT is valid; with frames
 *       separated by ',', each of GOT must match the one of WANT in the
 *       same place. */

#include <config.h>
#include "nat64-test.h"
#include <pcap/pcap.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Prints 'f' in hex; with 'wild_id', 'x' for the IPv4 ID and header
 * checksum, which the caller's ID counter decides. */
static void
hex(const struct tframe *f, bool wild_id)
{
    size_t i;

    for (i = 0; i < f->n; i++) {
        if (wild_id && f->ipv == 4
            && (i == f->l3 + 4 || i == f->l3 + 5
                || i == f->l3 + 10 || i == f->l3 + 11)) {
            fputs("xx", stdout);
        } else {
            printf("%02x", f->b[i]);
        }
    }
}

static void
emit_ex(const char *name, const char *mode, const char *opts,
        const struct tframe *in, const struct tframe *want, bool wild_id,
        const char *drop)
{
    printf("%s %s %s ", name, mode, opts);
    hex(in, false);
    putchar(' ');
    if (want) {
        hex(want, wild_id);
    } else {
        fputs(drop, stdout);
    }
    putchar('\n');
}

/* A case whose input becomes the 'n' frames 'want' (fragments). */
static void
emit_frags(const char *name, const char *mode, const char *opts,
           const struct tframe *in, const struct tframe *want, size_t n)
{
    size_t i;

    printf("%s %s %s ", name, mode, opts);
    hex(in, false);
    for (i = 0; i < n; i++) {
        putchar(i ? ',' : ' ');
        hex(&want[i], false);
    }
    putchar('\n');
}

/* RFC 7915 4: the IPv4 form of 's' and the IPv6 fragments of at most
 * 'frag_size' bytes of its IPv6 form (none if 'frag_size' is 0: the whole
 * packet), as case 'name'. */
static void
df0(const char *name, const char *opts, const struct pspec *s,
    size_t frag_size)
{
    static struct tframe frags[8];
    struct tframe f4, f6;
    size_t n = 1;

    mk4(&f4, s);
    mk6(&f6, s);
    if (frag_size) {
        n = mk6_frags(frags, 8, &f6, frag_size, s->id);
    } else {
        frags[0] = f6;
    }
    emit_frags(name, "4toll6", opts, &f4, frags, n);
}

static void
emit(const char *name, const char *mode, const char *opts,
     const struct tframe *in, const struct tframe *want, const char *drop)
{
    emit_ex(name, mode, opts, in, want, false, drop);
}

/* A bare UDP packet from IP_A to IP_B with 'paylen' bytes of payload, as
 * IPv6 in an atomic fragment ('i6') and as the IPv4 packet translating it
 * gives ('i4': ID from the Fragment header, DF 0). */
static void
atomic_udp(struct tframe *i4, struct tframe *i6, size_t paylen)
{
    struct pspec s = pspec(17, paylen);

    s.bare = true;
    s.ttl = 3;
    s.id = 0x0777;
    s.id_hi = 0x0102;
    s.frag = true;
    mk6(i6, &s);
    s.frag = false;
    s.id_hi = 0;
    mk4(i4, &s);
}

static int unhex(const char *, uint8_t *, size_t size, size_t *n);

static void
list(void)
{
    static const uint8_t ext[16] = {
        0x20, 0, 0xff, 0, 0, 12, 1, 1, 1, 2, 3, 4, 5, 6, 7, 8
    };
    struct tframe in, want, i4, i6, q;

    /* 1. RFC 6946 4, RFC 7915 5.1.1: ICMPv6 echo in an atomic fragment,
     * 1400 bytes: IPv4 ID = low 16 bits of the Fragment header's ID, DF 0
     * even above 1260 bytes. */
    {
        struct pspec s = pspec(1, 1400);

        s.frag = true;
        s.id = 0x5a5a;
        s.id_hi = 0xabcd;
        mk6(&in, &s);
        s.frag = false;
        s.id_hi = 0;
        mk4(&want, &s);
        emit("atomic-echo", "ll6to4", "-", &in, &want, NULL);
    }

    /* 2. An error in an atomic fragment quoting one. */
    atomic_udp(&i4, &i6, 100);
    mk_err_ex(&in, 6, 1, 4, 0, &i6, i6.n, NULL, 0, 0x1357, true);
    mk_err_ex(&want, 4, 3, 3, 0, &i4, i4.n, NULL, 0, 0x1357, true);
    emit("atomic-error", "ll6to4", "-", &in, &want, NULL);

    /* 3. RFC 6980: an NS in an atomic fragment never becomes ARP. */
    {
        uint8_t la[16], lb[16];

        a6(la, PFX_LL, IP_A);
        a6(lb, PFX_LL, IP_B);
        tf_init(&in);
        tf_eth(&in, MAC_B, MAC_A, 0, 0x86dd);
        tf_ip6(&in, 0, 44, 255, la, lb);
        tf_frag6(&in, 58, 0, false, 5);
        tf_icmp(&in, 58, 135, 0, 0);
        tf_mem(&in, lb, 16);
        tf_end(&in);
        emit("atomic-ns", "ll6to4", "-", &in, NULL, "nd_unsupported");
    }

    /* 4. RFC 4884 4.1, 6->4: 1192 bytes of original datagram (length
     * 149) would be 1164 in IPv4, more than the 1020 that length 255
     * describes: cut to 1020, the extensions follow.  (The quote is an
     * atomic fragment for a known ID; the error itself is not, so its
     * IPv4 ID is the caller's.) */
    atomic_udp(&i4, &i6, 1400);
    mk_err(&in, 6, 3, 1, 149u << 24, &i6, 1192, ext, sizeof ext, 0);
    mk_err(&want, 4, 11, 1, 255 << 16, &i4, 1020, ext, sizeof ext, 0);
    emit_ex("rfc4884-cut", "ll6to4", "-", &in, &want, true, NULL);

    /* 5. RFC 4884 4, 6->4: 64 bytes (length 8) are 36 in IPv4, padded to
     * 128 (length 32). */
    mk_err(&in, 6, 1, 0, 8u << 24, &i6, 64, ext, sizeof ext, 0);
    tf_quote(&q, &i4, 36, 128);
    mk_err(&want, 4, 3, 1, 32 << 16, &q, 128, ext, sizeof ext, 0);
    emit_ex("rfc4884-pad-6to4", "ll6to4", "-", &in, &want, true, NULL);

    /* 6. RFC 4884 4, 4->6: 88 bytes (length 22, short already) are 108 in
     * IPv6, padded to 128 (length 16). */
    {
        struct pspec s = pspec(17, 300);

        s.bare = true;
        s.ttl = 3;
        mk4(&i4, &s);
        mk6(&i6, &s);
    }
    mk_err(&in, 4, 11, 0, 22 << 16, &i4, 88, ext, sizeof ext, 0x4444);
    tf_quote(&q, &i6, 108, 128);
    mk_err(&want, 6, 3, 0, 16u << 24, &q, 128, ext, sizeof ext, 0);
    emit("rfc4884-pad-4to6", "4toll6", "-", &in, &want, NULL);

    /* 7. RFC 7915 4.2 and 5.2: MTUs.  Without options the advertised MTU
     * +/- 20; with them the minimum. */
    {
        struct pspec s = pspec(17, 1472);

        s.bare = true;
        s.ttl = 3;
        s.df = true;
        mk4(&i4, &s);
        mk6(&i6, &s);
    }
    mk_err(&in, 4, 3, 4, 8980, &i4, 100, NULL, 0, 0x5555);
    mk_err(&want, 6, 2, 0, 9000, &i6, 120, NULL, 0, 0);
    emit("mtu-default-4to6", "4toll6", "-", &in, &want, NULL);
    mk_err(&want, 6, 2, 0, 1500, &i6, 120, NULL, 0, 0);
    emit("mtu-4to6", "4toll6", "mtu6=1500,mtu4=1600", &in, &want, NULL);

    /* The quote is an atomic fragment: 28 bytes more than its IPv4 form
     * (case 8). */
    atomic_udp(&i4, &i6, 1472);
    mk_err(&in, 6, 2, 0, 9000, &i6, 128, NULL, 0, 0);
    mk_err(&want, 4, 3, 4, 8972, &i4, 100, NULL, 0, 0);
    emit_ex("mtu-default-6to4", "ll6to4", "-", &in, &want, true, NULL);
    mk_err(&want, 4, 3, 4, 1400, &i4, 100, NULL, 0, 0);
    emit_ex("mtu-6to4", "ll6to4", "mtu6=1500,mtu4=1400", &in, &want, true,
            NULL);

    /* 8. RFC 7915 4.2 and 5.2, "taking into account whether or not the
     * packet in error includes a Fragment Header": the 6->4 quotes above
     * are atomic fragments (mtu-default-6to4: 9000 - 28); a quoted IPv4
     * fragment is 28 bytes longer in IPv6, not 20.  (Quotes without one:
     * +/- 20, test-nat64-icmp's test_mtu_clamp.) */
    {
        struct pspec s = pspec(17, 1472);

        s.bare = true;
        s.ttl = 3;
        s.mf = s.frag = true;
        s.id = 0x2468;
        mk4(&i4, &s);
        mk6(&i6, &s);
        mk_err(&in, 4, 3, 4, 1400, &i4, 100, NULL, 0, 0x5555);
        mk_err(&want, 6, 2, 0, 1428, &i6, 128, NULL, 0, 0);
        emit("mtu-frag-4to6", "4toll6", "-", &in, &want, NULL);
    }

    /* 9. RFC 7915 4 and 4.1: an IPv4 packet with DF=0 that would be more
     * than 1280 bytes of IPv6 (or mtu6) goes as IPv6 fragments of at most
     * that, ID = the IPv4 ID in the low 16 bits; DF=1 goes whole. */
    {
        struct pspec s = pspec(17, 1372);     /* 1400 bytes of IPv4. */

        s.id = 0xbeef;
        df0("frag-udp", "-", &s, 1280);
        df0("frag-udp-mtu6", "mtu6=1400", &s, 1400);
        s.df = true;
        df0("frag-udp-df", "-", &s, 0);
        s = pspec(1, 1400);                   /* Echo, 1428 bytes. */
        s.id = 0x0102;
        df0("frag-echo", "-", &s, 1280);
        s = pspec(17, 1400);                  /* A fragment already. */
        s.frag = s.mf = true;
        s.id = 0x7777;
        df0("frag-of-fragment", "-", &s, 1280);
    }
}

/* Does frame 'got' (hex) match 'want' (hex, 'x' for any digit), with a
 * valid IPv4 header checksum if it is an untagged IPv4 frame? */
static int match1(const char *want, const char *got);

/* Frames separated by ',' in both. */
static int
match(const char *want, const char *got)
{
    static char w[4 * TF_MAX], g[4 * TF_MAX];
    char *ws, *gs, *wf, *gf;

    if (strlen(want) >= sizeof w || strlen(got) >= sizeof g) {
        return 1;
    }
    strcpy(w, want);
    strcpy(g, got);
    wf = strtok_r(w, ",", &ws);
    gf = strtok_r(g, ",", &gs);
    while (wf && gf) {
        if (match1(wf, gf)) {
            return 1;
        }
        wf = strtok_r(NULL, ",", &ws);
        gf = strtok_r(NULL, ",", &gs);
    }
    return wf || gf;
}

static int
match1(const char *want, const char *got)
{
    static uint8_t b[TF_MAX];
    uint32_t sum = 0;
    size_t n, i;

    if (strlen(want) != strlen(got)) {
        return 1;
    }
    for (i = 0; want[i]; i++) {
        if (want[i] != 'x' && want[i] != got[i]) {
            return 1;
        }
    }
    if (unhex(got, b, sizeof b, &n)) {
        return 1;
    }
    if (n >= 34 && b[12] == 0x08 && b[13] == 0x00) {
        for (i = 14; i < 14 + (b[14] & 0xfu) * 4 && i + 1 < n; i += 2) {
            sum += b[i] << 8 | b[i + 1];
        }
        while (sum >> 16) {
            sum = (sum & 0xffff) + (sum >> 16);
        }
        return sum != 0xffff;
    }
    return 0;
}

static int
unhex(const char *s, uint8_t *b, size_t size, size_t *n)
{
    size_t len = strlen(s), i;

    if (len % 2 || len / 2 > size) {
        return -1;
    }
    for (i = 0; i < len / 2; i++) {
        unsigned int v;

        if (sscanf(s + 2 * i, "%2x", &v) != 1) {
            return -1;
        }
        b[i] = v;
    }
    *n = len / 2;
    return 0;
}

static int
write_pcap(const char *hexs, const char *file)
{
    static uint8_t b[TF_MAX];
    struct pcap_pkthdr h;
    pcap_dumper_t *d;
    pcap_t *p;
    size_t n;

    if (unhex(hexs, b, sizeof b, &n)) {
        fprintf(stderr, "conform-frames: bad hex\n");
        return 2;
    }
    p = pcap_open_dead(DLT_EN10MB, 65535);
    d = p ? pcap_dump_open(p, file) : NULL;
    if (!d) {
        fprintf(stderr, "conform-frames: %s: cannot write\n", file);
        return 2;
    }
    memset(&h, 0, sizeof h);
    h.caplen = h.len = n;
    pcap_dump((u_char *) d, &h, b);
    pcap_dump_close(d);
    pcap_close(p);
    return 0;
}

static int
dump(const char *file)
{
    char err[PCAP_ERRBUF_SIZE];
    struct pcap_pkthdr *h;
    const u_char *data;
    pcap_t *p;
    uint32_t i;

    p = pcap_open_offline(file, err);
    if (!p) {
        fprintf(stderr, "conform-frames: %s\n", err);
        return 2;
    }
    while (pcap_next_ex(p, &h, &data) == 1) {
        for (i = 0; i < h->caplen; i++) {
            printf("%02x", data[i]);
        }
        putchar('\n');
    }
    pcap_close(p);
    return 0;
}

int
main(int argc, char *argv[])
{
    if (argc == 2 && !strcmp(argv[1], "list")) {
        list();
        return 0;
    } else if (argc == 4 && !strcmp(argv[1], "pcap")) {
        return write_pcap(argv[2], argv[3]);
    } else if (argc == 3 && !strcmp(argv[1], "dump")) {
        return dump(argv[2]);
    } else if (argc == 4 && !strcmp(argv[1], "match")) {
        return match(argv[2], argv[3]);
    }
    fprintf(stderr, "usage: conform-frames list | pcap HEX FILE | "
            "dump FILE | match WANT GOT\n");
    return 2;
}
