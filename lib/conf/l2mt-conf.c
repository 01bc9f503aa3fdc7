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

#include <config.h>
#include "l2mt-conf.h"

#include <arpa/inet.h>
#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "l2mt-conf-util.h"
#include "l2mt-prefix.h"
#include "nat64.h"

/* Most words on one line; more is an error rather than a silent cut. */
#define MAX_WORDS 16

/* Most errors reported for one file: after that, the rest is noise. */
#define MAX_ERRORS 50

#define MAX_DEPTH 8

enum block_kind { B_TOP, B_HOST, B_SFLOW, B_TENANT, B_PROFILE, B_PORT };

/* The most keys a block has (the 'seen' lines of the parser). */
#define MAX_BLOCK_KEYS 32

struct parser {
    const char *file;
    struct l2mt_conf *conf;
    struct l2mt_str errors;
    int n_errors;
    int line;

    /* Open blocks: depth 0 is the top level.  Blocks where none belong
     * are still tracked (as B_TOP) so that their '}' closes them. */
    enum block_kind kind[MAX_DEPTH];
    int block_line[MAX_DEPTH];
    int depth;
    int overflow;               /* Blocks open beyond MAX_DEPTH - 1. */
    size_t idx;                 /* Index of the current top-level block. */

    /* Line of the first occurrence of each key in the innermost block. */
    int seen[3][MAX_BLOCK_KEYS];

    /* Port references, resolved once the whole file is read. */
    char **port_profile;
    char **port_tenant;
    int *port_ref_line;
    int *port_value_line;       /* Line of interface/iface-id/mac. */
};

static void __attribute__((format(printf, 3, 4)))
error_at(struct parser *p, int line, const char *fmt, ...)
{
    va_list args;

    if (++p->n_errors > MAX_ERRORS) {
        return;
    }
    l2mt_str_printf(&p->errors, "%s:%d: ", p->file, line);
    va_start(args, fmt);
    l2mt_str_vprintf(&p->errors, fmt, args);
    va_end(args);
    l2mt_str_printf(&p->errors, "\n");
}

/* Value checkers.  Each returns true if 'word' is valid, otherwise reports
 * an error about 'key' and returns false. */

static bool
parse_uint(struct parser *p, const char *key, const char *word,
           unsigned long long min, unsigned long long max,
           unsigned long long *valuep)
{
    char *end;
    unsigned long long v;

    errno = 0;
    v = word[0] >= '0' && word[0] <= '9' ? strtoull(word, &end, 10) : 0;
    if (word[0] < '0' || word[0] > '9' || *end || errno) {
        error_at(p, p->line, "%s: \"%s\" is not a number", key, word);
        return false;
    }
    if (v < min || v > max) {
        error_at(p, p->line, "%s: %s is out of range %llu..%llu",
                 key, word, min, max);
        return false;
    }
    *valuep = v;
    return true;
}

/* Names end up in ovs-vsctl arguments and flow text: only characters that
 * need no quoting in either are allowed. */
static bool
check_name(struct parser *p, const char *key, const char *word,
           size_t max_len)
{
    const char *s;

    for (s = word; *s; s++) {
        if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z')
              || (*s >= '0' && *s <= '9')
              || *s == '-' || *s == '_' || *s == '.')) {
            error_at(p, p->line, "%s: \"%s\" has a character other than "
                     "letters, digits, '-', '_' and '.'", key, word);
            return false;
        }
    }
    if (strlen(word) > max_len) {
        error_at(p, p->line, "%s: \"%s\" is longer than %zu characters",
                 key, word, max_len);
        return false;
    }
    return true;
}

#define IFNAME_MAX 15
#define NAME_MAX_LEN 63

/* VLAN 4095 is the agent's isolation VLAN of tunnel and service ports
 * (utilities/lib/agent/plan.c): a VM port may never carry it. */
#define VLAN_MAX 4094

static bool
check_ipv4(struct parser *p, const char *key, const char *word)
{
    struct in_addr a;

    if (inet_pton(AF_INET, word, &a) != 1) {
        error_at(p, p->line, "%s: \"%s\" is not an IPv4 address", key, word);
        return false;
    }
    return true;
}

static bool
check_ipv4_cidr(struct parser *p, const char *key, const char *word)
{
    char buf[INET_ADDRSTRLEN];
    const char *slash = strchr(word, '/');
    unsigned long long len;
    struct in_addr a;

    if (!slash || (size_t) (slash - word) >= sizeof buf) {
        error_at(p, p->line, "%s: \"%s\" is not ADDRESS/LENGTH", key, word);
        return false;
    }
    memcpy(buf, word, slash - word);
    buf[slash - word] = '\0';
    if (inet_pton(AF_INET, buf, &a) != 1) {
        error_at(p, p->line, "%s: \"%s\" is not an IPv4 address", key, buf);
        return false;
    }
    return parse_uint(p, key, slash + 1, 1, 32, &len);
}

/* An IPv4 or IPv6 address; its canonical text in '*out'. */
static bool
parse_addr(struct parser *p, const char *key, const char *word, char **out)
{
    char buf[INET6_ADDRSTRLEN];
    struct in6_addr a6;
    struct in_addr a4;

    if (inet_pton(AF_INET, word, &a4) == 1) {
        inet_ntop(AF_INET, &a4, buf, sizeof buf);
    } else if (inet_pton(AF_INET6, word, &a6) == 1) {
        inet_ntop(AF_INET6, &a6, buf, sizeof buf);
    } else {
        error_at(p, p->line, "%s: \"%s\" is not an IPv4 or IPv6 address",
                 key, word);
        return false;
    }
    *out = l2mt_xstrdup(buf);
    return true;
}

/* An IPv6 prefix "ADDR/LEN" without bits set after LEN; canonical text in
 * '*out'. */
static bool
parse_ipv6_prefix(struct parser *p, const char *key, const char *word,
                  char **out)
{
    char buf[INET6_ADDRSTRLEN];
    const char *slash = strchr(word, '/');
    unsigned long long len;
    struct in6_addr a;
    size_t alen = slash ? (size_t) (slash - word) : 0;
    int i;

    if (!slash || alen >= sizeof buf) {
        error_at(p, p->line, "%s: \"%s\" is not an IPv6 prefix ADDR/LEN",
                 key, word);
        return false;
    }
    memcpy(buf, word, alen);
    buf[alen] = '\0';
    if (inet_pton(AF_INET6, buf, &a) != 1) {
        error_at(p, p->line, "%s: \"%s\" is not an IPv6 address", key, buf);
        return false;
    }
    if (!parse_uint(p, key, slash + 1, 0, 128, &len)) {
        return false;
    }
    for (i = len; i < 128; i++) {
        if (a.s6_addr[i / 8] & (0x80 >> (i % 8))) {
            error_at(p, p->line, "%s: %s has bits set after the first %llu",
                     key, word, len);
            return false;
        }
    }
    inet_ntop(AF_INET6, &a, buf, sizeof buf);
    *out = l2mt_xasprintf("%s/%llu", buf, len);
    return true;
}

/* A /96 translation prefix, by the rules every l2mt component applies
 * (lib/l2mt-prefix.c): a prefix the config accepts is one that Open
 * vSwitch's nat64 action, the kernel module and l2mt-xlate accept too. */
static bool
parse_prefix(struct parser *p, const char *word, char **textp,
             uint8_t bytes[12])
{
    char text[L2MT_PREFIX_STRLEN];
    char *error;

    if (l2mt_prefix_parse(word, bytes, &error)) {
        error_at(p, p->line, "prefix: %s",
                 error ? error : "not a valid /96 prefix");
        free(error);
        return false;
    }
    l2mt_prefix_format(bytes, text);
    free(*textp);
    *textp = l2mt_xstrdup(text);
    return true;
}

static bool
parse_bool(struct parser *p, const char *key, const char *word, bool *vp)
{
    if (!strcmp(word, "on") || !strcmp(word, "yes")
        || !strcmp(word, "true")) {
        *vp = true;
    } else if (!strcmp(word, "off") || !strcmp(word, "no")
               || !strcmp(word, "false")) {
        *vp = false;
    } else {
        error_at(p, p->line, "%s: \"%s\" is not on or off", key, word);
        return false;
    }
    return true;
}

static bool
parse_mac(struct parser *p, const char *key, const char *word, char **out)
{
    unsigned int b[6];
    char tail;

    if (strlen(word) != 17
        || sscanf(word, "%2x:%2x:%2x:%2x:%2x:%2x%c",
                  &b[0], &b[1], &b[2], &b[3], &b[4], &b[5], &tail) != 6) {
        error_at(p, p->line, "%s: \"%s\" is not a MAC address "
                 "(xx:xx:xx:xx:xx:xx)", key, word);
        return false;
    }
    *out = l2mt_xasprintf("%02x:%02x:%02x:%02x:%02x:%02x",
                          b[0], b[1], b[2], b[3], b[4], b[5]);
    return true;
}

/* sFlow collector: "A.B.C.D:PORT" or "[IPv6]:PORT". */
static bool
check_target(struct parser *p, const char *word)
{
    char host[INET6_ADDRSTRLEN];
    const char *colon;
    unsigned long long port;
    struct in6_addr a6;
    struct in_addr a4;
    size_t hlen;
    bool ok;

    if (word[0] == '[') {
        const char *close = strchr(word, ']');

        ok = close && close[1] == ':' && (hlen = close - word - 1)
             < sizeof host;
        if (ok) {
            memcpy(host, word + 1, hlen);
            host[hlen] = '\0';
            ok = inet_pton(AF_INET6, host, &a6) == 1;
        }
        colon = ok ? close + 1 : NULL;
    } else {
        colon = strrchr(word, ':');
        ok = colon && (hlen = colon - word) < sizeof host;
        if (ok) {
            memcpy(host, word, hlen);
            host[hlen] = '\0';
            ok = inet_pton(AF_INET, host, &a4) == 1;
        }
    }
    if (!ok) {
        error_at(p, p->line, "target: \"%s\" is not IPv4:PORT or "
                 "[IPv6]:PORT", word);
        return false;
    }
    return parse_uint(p, "target", colon + 1, 1, 65535, &port);
}

/* Trunks: "10,20,30", each a VLAN 0..VLAN_MAX, no repeats. */
static bool
check_trunks(struct parser *p, const char *word)
{
    static const char key[] = "trunks";
    char *copy = l2mt_xstrdup(word);
    char *save, *tok;
    bool ok = word[0] && word[strlen(word) - 1] != ',';
    uint8_t seen[4096 / 8] = { 0 };

    for (tok = strtok_r(copy, ",", &save); ok && tok;
         tok = strtok_r(NULL, ",", &save)) {
        unsigned long long v;

        ok = parse_uint(p, key, tok, 0, VLAN_MAX, &v);
        if (ok && seen[v / 8] & (1u << (v % 8))) {
            error_at(p, p->line, "trunks: VLAN %llu listed twice", v);
            ok = false;
        }
        if (ok) {
            seen[v / 8] |= 1u << (v % 8);
        }
    }
    if (!word[0] || word[strlen(word) - 1] == ',' || strstr(word, ",,")) {
        error_at(p, p->line, "trunks: \"%s\" is not a list like 10,20,30",
                 word);
        ok = false;
    }
    free(copy);
    return ok;
}

static bool
check_qos_config(struct parser *p, const char *word)
{
    const char *eq = strchr(word, '=');
    char *key;
    bool ok;

    if (!eq || eq == word || !eq[1]) {
        error_at(p, p->line, "qos: \"%s\" is not KEY=VALUE", word);
        return false;
    }
    key = l2mt_xstrndup(word, eq - word);
    ok = check_name(p, "qos", key, NAME_MAX_LEN)
         && check_name(p, "qos", eq + 1, NAME_MAX_LEN);
    free(key);
    return ok;
}

/* Keys of each block. */
struct key {
    const char *name;
    int min_args, max_args;     /* Words after the key. */
    bool repeat;                /* May appear more than once. */
};

static const struct key host_keys[] = {
    { "edge-switch", 1, 1, false },
    { "bridge", 1, 1, false },
    { "datapath", 1, 1, false },
    { "tunnel-mode", 1, 1, false },
    { "underlay-interface", 1, 1, false },
    { "underlay-ip", 1, 1, false },
    { "underlay-bridge", 1, 1, false },
    { "inventory", 1, 1, false },
    { "ipsec-psk", 1, 1, false },
    { "ipsec-certificate", 1, 1, false },
    { "ipsec-private-key", 1, 1, false },
    { "ipsec-ca-cert", 1, 1, false },
    { "ipsec-remote-cert", 2, 2, true },
    { "ipsec-remote-name", 2, 2, true },
    { "bfd", 1, 1, false },
    { "bfd-min-rx", 1, 1, false },
    { "bfd-min-tx", 1, 1, false },
    { "bfd-mult", 1, 1, false },
    { NULL, 0, 0, false },
};

static const struct key sflow_keys[] = {
    { "agent", 1, 1, false },
    { "target", 1, 1, true },
    { "sampling", 1, 1, false },
    { "polling", 1, 1, false },
    { "header", 1, 1, false },
    { NULL, 0, 0, false },
};

static const struct key tenant_keys[] = {
    { "name", 1, 1, false },
    { "gre-key", 1, 1, false },
    { "remote", 1, 1, true },
    { "service-v4-port", 1, 1, false },
    { "service-v6-port", 1, 1, false },
    { "prefix", 1, 1, false },
    { "nat64", 1, 1, false },
    { "service-address", 1, 1, true },
    { "ipv6-source", 1, 1, true },
    { "meter-pps", 1, 1, false },
    { "meter-nd-pps", 1, 1, false },
    { "mtu6", 1, 1, false },
    { "mtu4", 1, 1, false },
    { NULL, 0, 0, false },
};

static const struct key profile_keys[] = {
    { "vlan", 1, 1, false },
    { "trunks", 1, 1, false },
    { "ingress-policing-rate", 1, 1, false },
    { "ingress-policing-burst", 1, 1, false },
    { "qos", 1, MAX_WORDS - 2, false },
    { "sflow", 1, 1, false },
    { "nat64", 1, 1, false },
    { "meter-pps", 1, 1, false },
    { "meter-nd-pps", 1, 1, false },
    { NULL, 0, 0, false },
};

static const struct key port_keys[] = {
    { "interface", 1, 1, false },
    { "iface-id", 1, 1, false },
    { "mac", 1, 1, false },
    { "profile", 1, 1, false },
    { "tenant", 1, 1, false },
    { NULL, 0, 0, false },
};

static const char *const block_names[] = {
    [B_TOP] = "top level", [B_HOST] = "host", [B_SFLOW] = "sflow",
    [B_TENANT] = "tenant", [B_PROFILE] = "profile", [B_PORT] = "port",
};

/* Each block's keys fit the parser's 'seen' array (the NULL ends them). */
#define KEYS_FIT(KEYS) \
    _Static_assert(sizeof KEYS / sizeof *KEYS - 1 <= MAX_BLOCK_KEYS, \
                   #KEYS " has more than MAX_BLOCK_KEYS keys")
KEYS_FIT(host_keys);
KEYS_FIT(sflow_keys);
KEYS_FIT(tenant_keys);
KEYS_FIT(profile_keys);
KEYS_FIT(port_keys);

static const struct key *
block_keys(enum block_kind kind)
{
    switch (kind) {
    case B_HOST: return host_keys;
    case B_SFLOW: return sflow_keys;
    case B_TENANT: return tenant_keys;
    case B_PROFILE: return profile_keys;
    case B_PORT: return port_keys;
    case B_TOP: default: return NULL;
    }
}

/* Returns the key table entry for 'word' in the current block after
 * checking its count of arguments and repetition, or NULL after reporting
 * an error. */
static const struct key *
lookup_key(struct parser *p, char **w, int n)
{
    enum block_kind kind = p->kind[p->depth];
    const struct key *keys = block_keys(kind);
    const struct key *k;
    int *seen;

    for (k = keys; k->name; k++) {
        if (!strcmp(k->name, w[0])) {
            break;
        }
    }
    if (!k->name) {
        error_at(p, p->line, "unknown key \"%s\" in %s block", w[0],
                 block_names[kind]);
        return NULL;
    }
    if (n - 1 < k->min_args || n - 1 > k->max_args) {
        error_at(p, p->line, "%s: expected %d value%s, got %d", k->name,
                 k->min_args, k->min_args == 1 ? "" : "s", n - 1);
        return NULL;
    }
    seen = &p->seen[p->depth][k - keys];
    if (*seen && !k->repeat) {
        error_at(p, p->line, "duplicate \"%s\" (first given at line %d)",
                 k->name, *seen);
        return NULL;
    }
    *seen = p->line;
    return k;
}

static void
push_string(char ***arrayp, size_t *np, const char *s)
{
    *arrayp = l2mt_xrealloc(*arrayp, (*np + 1) * sizeof **arrayp);
    (*arrayp)[(*np)++] = l2mt_xstrdup(s);
}

static void
set_string(char **dst, const char *s)
{
    free(*dst);
    *dst = l2mt_xstrdup(s);
}

/* An absolute path without characters that would need quoting. */
static bool
check_path(struct parser *p, const char *key, const char *word)
{
    const char *s;

    for (s = word; *s; s++) {
        if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z')
              || (*s >= '0' && *s <= '9') || strchr("-_./+", *s))) {
            break;
        }
    }
    if (word[0] != '/' || *s) {
        error_at(p, p->line, "%s: \"%s\" is not an absolute path of "
                 "letters, digits and -_./+", key, word);
        return false;
    }
    return true;
}

/* The "ipsec-*" keys of a host; true if 'key' is one. */
static bool
ipsec_key(struct parser *p, struct l2mt_conf_ipsec *ip, const char *key,
          char **w)
{
    if (!strcmp(key, "ipsec-psk")) {
        const char *s;

        /* Goes into ovs-vsctl and ipsec.secrets: base64-like only. */
        for (s = w[0]; *s; s++) {
            if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z')
                  || (*s >= '0' && *s <= '9') || strchr("-_.+/=", *s))) {
                break;
            }
        }
        if (*s || strlen(w[0]) < 16) {
            error_at(p, p->line, "ipsec-psk: use at least 16 characters of "
                     "letters, digits and -_.+/=");
        } else {
            set_string(&ip->psk, w[0]);
        }
    } else if (!strcmp(key, "ipsec-certificate")
               || !strcmp(key, "ipsec-private-key")
               || !strcmp(key, "ipsec-ca-cert")) {
        if (check_path(p, key, w[0])) {
            set_string(!strcmp(key, "ipsec-certificate") ? &ip->certificate
                       : !strcmp(key, "ipsec-private-key") ? &ip->private_key
                       : &ip->ca_cert, w[0]);
        }
    } else if (!strcmp(key, "ipsec-remote-cert")
               || !strcmp(key, "ipsec-remote-name")) {
        bool cert = key[13] == 'c';
        size_t i;

        if (!check_ipv4(p, key, w[0])
            || (cert ? !check_path(p, key, w[1])
                : !check_name(p, key, w[1], NAME_MAX_LEN))) {
            return true;
        }
        for (i = 0; i < ip->n_remotes; i++) {
            if (!strcmp(ip->remotes[i], w[0])) {
                error_at(p, p->line, "%s: remote %s already has a "
                         "certificate or name", key, w[0]);
                return true;
            }
        }
        ip->remotes = l2mt_xrealloc(ip->remotes, (ip->n_remotes + 1)
                                    * sizeof *ip->remotes);
        ip->remote_certs = l2mt_xrealloc(ip->remote_certs,
                                         (ip->n_remotes + 1)
                                         * sizeof *ip->remote_certs);
        ip->remote_names = l2mt_xrealloc(ip->remote_names,
                                         (ip->n_remotes + 1)
                                         * sizeof *ip->remote_names);
        ip->remotes[ip->n_remotes] = l2mt_xstrdup(w[0]);
        ip->remote_certs[ip->n_remotes] = cert ? l2mt_xstrdup(w[1]) : NULL;
        ip->remote_names[ip->n_remotes] = cert ? NULL : l2mt_xstrdup(w[1]);
        ip->n_remotes++;
    } else {
        return false;
    }
    return true;
}

/* "bfd", "bfd-min-rx", "bfd-min-tx", "bfd-mult": true if 'key' is one of
 * them (and sets it).  Bounds are Open vSwitch's (lib/bfd.c), the
 * intervals at most an hour. */
static bool
bfd_key(struct parser *p, struct l2mt_conf_bfd *b, const char *key,
        char **w)
{
    unsigned long long v;

    if (!strcmp(key, "bfd")) {
        if (!strcmp(w[0], "on") || !strcmp(w[0], "off")) {
            b->off = w[0][1] == 'f';
        } else {
            error_at(p, p->line, "bfd: \"%s\" is not on or off", w[0]);
        }
    } else if (!strcmp(key, "bfd-min-rx") || !strcmp(key, "bfd-min-tx")) {
        if (parse_uint(p, key, w[0], 1, 3600000, &v)) {
            *(key[8] == 'r' ? &b->min_rx : &b->min_tx) = v;
        }
    } else if (!strcmp(key, "bfd-mult")) {
        if (parse_uint(p, key, w[0], 1, 255, &v)) {
            b->mult = v;
        }
    } else {
        return false;
    }
    return true;
}

static void
host_key(struct parser *p, struct l2mt_conf_host *h, const char *key,
         char **w)
{
    if (ipsec_key(p, &h->ipsec, key, w) || bfd_key(p, &h->bfd, key, w)) {
        return;
    }
    if (!strcmp(key, "edge-switch")) {
        if (check_name(p, key, w[0], NAME_MAX_LEN)) {
            set_string(&h->edge_switch, w[0]);
        }
    } else if (!strcmp(key, "bridge") || !strcmp(key, "underlay-bridge")) {
        if (check_name(p, key, w[0], IFNAME_MAX)) {
            set_string(key[0] == 'b' ? &h->bridge : &h->underlay_bridge,
                       w[0]);
        }
    } else if (!strcmp(key, "datapath")) {
        if (strcmp(w[0], "system") && strcmp(w[0], "netdev")) {
            error_at(p, p->line, "datapath: \"%s\" is not system or netdev",
                     w[0]);
        } else {
            set_string(&h->datapath_type, w[0]);
        }
    } else if (!strcmp(key, "tunnel-mode")) {
        if (!strcmp(w[0], "per-tenant")) {
            h->tunnel_mode = L2MT_TUNNEL_PER_TENANT;
        } else if (!strcmp(w[0], "flow")) {
            h->tunnel_mode = L2MT_TUNNEL_FLOW;
        } else {
            error_at(p, p->line, "tunnel-mode: \"%s\" is not per-tenant or "
                     "flow", w[0]);
        }
    } else if (!strcmp(key, "underlay-interface")) {
        if (check_name(p, key, w[0], IFNAME_MAX)) {
            set_string(&h->underlay_if, w[0]);
        }
    } else if (!strcmp(key, "underlay-ip")) {
        if (check_ipv4_cidr(p, key, w[0])) {
            set_string(&h->underlay_ip, w[0]);
        }
    } else if (!strcmp(key, "inventory")) {
        if (w[0][0] != '/') {
            error_at(p, p->line, "inventory: \"%s\" is not an absolute path",
                     w[0]);
        } else {
            set_string(&h->inventory, w[0]);
        }
    }
}

static void
sflow_key(struct parser *p, struct l2mt_conf_sflow *s, const char *key,
          char **w)
{
    unsigned long long v;

    if (!strcmp(key, "agent")) {
        if (check_name(p, key, w[0], IFNAME_MAX)) {
            set_string(&s->agent, w[0]);
        }
    } else if (!strcmp(key, "target")) {
        size_t i;

        for (i = 0; i < s->n_targets; i++) {
            if (!strcmp(s->targets[i], w[0])) {
                error_at(p, p->line, "target: %s listed twice", w[0]);
                return;
            }
        }
        if (check_target(p, w[0])) {
            push_string(&s->targets, &s->n_targets, w[0]);
        }
    } else if (!strcmp(key, "sampling")) {
        if (parse_uint(p, key, w[0], 1, UINT32_MAX, &v)) {
            s->sampling = v;
        }
    } else if (!strcmp(key, "polling")) {
        if (parse_uint(p, key, w[0], 0, 3600, &v)) {
            s->polling = v;
        }
    } else if (!strcmp(key, "header")) {
        if (parse_uint(p, key, w[0], 18, 256, &v)) {
            s->header = v;
        }
    }
}

/* "meter-pps" and "meter-nd-pps": true if 'key' is one (and sets it). */
static bool
meter_key(struct parser *p, struct l2mt_conf_meters *m, const char *key,
          const char *word)
{
    unsigned long long v;

    if (strcmp(key, "meter-pps") && strcmp(key, "meter-nd-pps")) {
        return false;
    }
    /* 0 is no meter; above 10^9 packets/s is none in effect either. */
    if (parse_uint(p, key, word, 0, 1000000000, &v)) {
        *(key[6] == 'n' ? &m->nd_pps : &m->pps) = v;
    }
    return true;
}

static void
tenant_key(struct parser *p, struct l2mt_conf_tenant *t, const char *key,
           char **w)
{
    unsigned long long v;

    if (meter_key(p, &t->meters, key, w[0])) {
        return;
    }

    if (!strcmp(key, "name")) {
        if (check_name(p, key, w[0], NAME_MAX_LEN)) {
            set_string(&t->name, w[0]);
            t->name_line = p->line;
        }
    } else if (!strcmp(key, "gre-key")) {
        /* Key 0 is what a keyless GRE packet carries. */
        if (parse_uint(p, key, w[0], 1, UINT32_MAX, &v)) {
            t->gre_key = v;
            t->gre_key_line = p->line;
        }
    } else if (!strcmp(key, "remote")) {
        size_t i;

        for (i = 0; i < t->n_remotes; i++) {
            if (!strcmp(t->remotes[i], w[0])) {
                error_at(p, p->line, "remote: %s listed twice", w[0]);
                return;
            }
        }
        if (check_ipv4(p, key, w[0])) {
            push_string(&t->remotes, &t->n_remotes, w[0]);
        }
    } else if (!strcmp(key, "service-v4-port")
               || !strcmp(key, "service-v6-port")) {
        if (check_name(p, key, w[0], IFNAME_MAX)) {
            bool v4 = strstr(key, "v4") != NULL;

            set_string(v4 ? &t->service_v4_port : &t->service_v6_port, w[0]);
            *(v4 ? &t->v4_line : &t->v6_line) = p->line;
        }
    } else if (!strcmp(key, "prefix")) {
        parse_prefix(p, w[0], &t->prefix, t->prefix_bytes);
    } else if (!strcmp(key, "nat64")) {
        parse_bool(p, key, w[0], &t->nat64);
    } else if (!strcmp(key, "service-address")
               || !strcmp(key, "ipv6-source")) {
        bool svc = key[0] == 's';
        char ***list = svc ? &t->service_addrs : &t->ipv6_sources;
        size_t *n = svc ? &t->n_service_addrs : &t->n_ipv6_sources;
        char *val = NULL;
        size_t i;

        if (svc ? !parse_addr(p, key, w[0], &val)
            : !parse_ipv6_prefix(p, key, w[0], &val)) {
            return;
        }
        for (i = 0; i < *n; i++) {
            if (!strcmp((*list)[i], val)) {
                error_at(p, p->line, "%s: %s listed twice", key, w[0]);
                free(val);
                return;
            }
        }
        push_string(list, n, val);
        free(val);
    } else if (!strcmp(key, "mtu6") || !strcmp(key, "mtu4")) {
        /* The nat64 action's MTU bounds (RFC 7915 4.2, 5.2). */
        bool v6 = key[3] == '6';

        if (parse_uint(p, key, w[0], v6 ? L2MT_MTU6_MIN : L2MT_MTU4_MIN,
                       L2MT_MTU_MAX, &v)) {
            *(v6 ? &t->mtu6 : &t->mtu4) = v;
        }
    }
}

static void
profile_key(struct parser *p, struct l2mt_conf_profile *pr, const char *key,
            char **w, int n)
{
    unsigned long long v;

    if (meter_key(p, &pr->meters, key, w[0])) {
        return;
    }
    if (!strcmp(key, "vlan")) {
        if (parse_uint(p, key, w[0], 0, VLAN_MAX, &v)) {
            pr->vlan = v;
        }
    } else if (!strcmp(key, "trunks")) {
        if (check_trunks(p, w[0])) {
            set_string(&pr->trunks, w[0]);
        }
    } else if (!strcmp(key, "ingress-policing-rate")
               || !strcmp(key, "ingress-policing-burst")) {
        if (parse_uint(p, key, w[0], 0, UINT32_MAX, &v)) {
            *(strstr(key, "rate") ? &pr->policing_rate
              : &pr->policing_burst) = v;
        }
    } else if (!strcmp(key, "qos")) {
        int i;

        if (!check_name(p, key, w[0], NAME_MAX_LEN)) {
            return;
        }
        for (i = 1; i < n; i++) {
            if (!check_qos_config(p, w[i])) {
                return;
            }
        }
        set_string(&pr->qos_type, w[0]);
        for (i = 1; i < n; i++) {
            push_string(&pr->qos_config, &pr->n_qos_config, w[i]);
        }
    } else if (!strcmp(key, "sflow")) {
        bool b;

        if (parse_bool(p, key, w[0], &b)) {
            pr->sflow = b;
        }
    } else if (!strcmp(key, "nat64")) {
        int mode = l2mt_mode_from_name(w[0]);

        if (mode < 0) {
            error_at(p, p->line, "nat64: \"%s\" is not normal, 4toll6 or "
                     "ll6to4", w[0]);
        } else {
            pr->nat64 = mode;
        }
    }
}

static void
port_key(struct parser *p, struct l2mt_conf_port *port, size_t idx,
         const char *key, char **w)
{
    if (!strcmp(key, "interface") || !strcmp(key, "iface-id")
        || !strcmp(key, "mac")) {
        char *value = NULL;

        if (port->value) {
            error_at(p, p->line, "%s: the port already matches by %s "
                     "(give one of interface, iface-id, mac)", key,
                     port->match == L2MT_MATCH_INTERFACE ? "interface"
                     : port->match == L2MT_MATCH_IFACE_ID ? "iface-id"
                     : "mac");
            return;
        }
        if (key[0] == 'm') {
            if (!parse_mac(p, key, w[0], &value)) {
                return;
            }
            port->match = L2MT_MATCH_MAC;
        } else if (key[1] == 'n') {
            if (!check_name(p, key, w[0], IFNAME_MAX)) {
                return;
            }
            port->match = L2MT_MATCH_INTERFACE;
        } else {
            if (!check_name(p, key, w[0], NAME_MAX_LEN * 2)) {
                return;
            }
            port->match = L2MT_MATCH_IFACE_ID;
        }
        port->value = value ? value : l2mt_xstrdup(w[0]);
        p->port_value_line[idx] = p->line;
    } else if (!strcmp(key, "profile")) {
        set_string(&p->port_profile[idx], w[0]);
        p->port_ref_line[idx] = p->line;
    } else if (!strcmp(key, "tenant")) {
        set_string(&p->port_tenant[idx], w[0]);
        p->port_ref_line[idx] = p->line;
    }
}

/* Opens a top-level block "KIND NAME {". */
static void
open_block(struct parser *p, char **w, int n)
{
    struct l2mt_conf *c = p->conf;
    const char *kind = w[0];
    unsigned long long v;
    size_t i;

    if (n != 3) {
        error_at(p, p->line, "expected \"%s NAME {\"", kind);
        goto skip;
    }
    if (!strcmp(kind, "host")) {
        if (!check_name(p, "host", w[1], NAME_MAX_LEN)) {
            goto skip;
        }
        for (i = 0; i < c->n_hosts; i++) {
            if (!strcmp(c->hosts[i].name, w[1])) {
                error_at(p, p->line, "duplicate host %s (first at line %d)",
                         w[1], c->hosts[i].line);
                goto skip;
            }
        }
        c->hosts = l2mt_xrealloc(c->hosts, (c->n_hosts + 1)
                                 * sizeof *c->hosts);
        memset(&c->hosts[c->n_hosts], 0, sizeof *c->hosts);
        c->hosts[c->n_hosts].line = p->line;
        c->hosts[c->n_hosts].name = l2mt_xstrdup(w[1]);
        p->idx = c->n_hosts++;
        p->kind[1] = B_HOST;
    } else if (!strcmp(kind, "tenant")) {
        struct l2mt_conf_tenant *t;

        if (!parse_uint(p, "tenant", w[1], 1, UINT32_MAX, &v)) {
            goto skip;
        }
        for (i = 0; i < c->n_tenants; i++) {
            if (c->tenants[i].id == v) {
                error_at(p, p->line, "duplicate tenant %llu (first at line "
                         "%d)", v, c->tenants[i].line);
                goto skip;
            }
        }
        c->tenants = l2mt_xrealloc(c->tenants, (c->n_tenants + 1)
                                   * sizeof *c->tenants);
        t = &c->tenants[c->n_tenants];
        memset(t, 0, sizeof *t);
        t->line = p->line;
        t->id = v;
        t->gre_key = v;
        t->name_line = t->gre_key_line = p->line;
        t->nat64 = true;
        t->meters.pps = L2MT_CONF_METER_PPS;
        t->meters.nd_pps = L2MT_CONF_METER_ND_PPS;
        t->prefix = l2mt_xstrdup("fe80::/96");
        t->prefix_bytes[0] = 0xfe;
        t->prefix_bytes[1] = 0x80;
        p->idx = c->n_tenants++;
        p->kind[1] = B_TENANT;
    } else if (!strcmp(kind, "profile")) {
        struct l2mt_conf_profile *pr;

        if (!check_name(p, "profile", w[1], NAME_MAX_LEN)) {
            goto skip;
        }
        for (i = 0; i < c->n_profiles; i++) {
            if (!strcmp(c->profiles[i].name, w[1])) {
                error_at(p, p->line, "duplicate profile %s (first at line "
                         "%d)", w[1], c->profiles[i].line);
                goto skip;
            }
        }
        c->profiles = l2mt_xrealloc(c->profiles, (c->n_profiles + 1)
                                    * sizeof *c->profiles);
        pr = &c->profiles[c->n_profiles];
        memset(pr, 0, sizeof *pr);
        pr->line = p->line;
        pr->name = l2mt_xstrdup(w[1]);
        pr->vlan = -1;
        pr->policing_rate = pr->policing_burst = -1;
        pr->sflow = -1;
        pr->nat64 = -1;
        p->idx = c->n_profiles++;
        p->kind[1] = B_PROFILE;
    } else if (!strcmp(kind, "port")) {
        if (!check_name(p, "port", w[1], NAME_MAX_LEN)) {
            goto skip;
        }
        for (i = 0; i < c->n_ports; i++) {
            if (!strcmp(c->ports[i].label, w[1])) {
                error_at(p, p->line, "duplicate port %s (first at line %d)",
                         w[1], c->ports[i].line);
                goto skip;
            }
        }
        i = c->n_ports++;
        c->ports = l2mt_xrealloc(c->ports, c->n_ports * sizeof *c->ports);
        memset(&c->ports[i], 0, sizeof *c->ports);
        c->ports[i].line = p->line;
        c->ports[i].label = l2mt_xstrdup(w[1]);
        p->port_profile = l2mt_xrealloc(p->port_profile,
                                        c->n_ports * sizeof(char *));
        p->port_tenant = l2mt_xrealloc(p->port_tenant,
                                       c->n_ports * sizeof(char *));
        p->port_ref_line = l2mt_xrealloc(p->port_ref_line,
                                         c->n_ports * sizeof(int));
        p->port_value_line = l2mt_xrealloc(p->port_value_line,
                                           c->n_ports * sizeof(int));
        p->port_value_line[i] = 0;
        p->port_profile[i] = p->port_tenant[i] = NULL;
        p->port_ref_line[i] = 0;
        p->idx = i;
        p->kind[1] = B_PORT;
    } else {
        error_at(p, p->line, "unknown block \"%s\" (expected host, tenant, "
                 "profile or port)", kind);
        goto skip;
    }
    p->depth = 1;
    p->block_line[1] = p->line;
    memset(p->seen[1], 0, sizeof p->seen[1]);
    return;

skip:
    /* Parse the block's body anyway, to find its end and its mistakes,
     * but into a throw-away kind. */
    p->depth = 1;
    p->kind[1] = B_TOP;
    p->block_line[1] = p->line;
}

/* The IPsec settings of host 'h' name one of ovs-monitor-ipsec's three
 * modes, completely. */
static void
check_ipsec(struct parser *p, const struct l2mt_conf_host *h, int line)
{
    const struct l2mt_conf_ipsec *ip = &h->ipsec;
    bool certs = ip->certificate || ip->private_key || ip->ca_cert
                 || ip->n_remotes;
    size_t i, n_cert = 0;

    for (i = 0; i < ip->n_remotes; i++) {
        n_cert += ip->remote_certs[i] != NULL;
    }
    if (ip->psk && certs) {
        error_at(p, line, "host %s: ipsec-psk and certificates exclude each "
                 "other", h->name);
    } else if (certs && (!ip->certificate || !ip->private_key)) {
        error_at(p, line, "host %s: IPsec with certificates needs "
                 "ipsec-certificate and ipsec-private-key", h->name);
    } else if (ip->ca_cert && n_cert) {
        error_at(p, line, "host %s: ipsec-ca-cert (CA-signed) takes "
                 "ipsec-remote-name, not ipsec-remote-cert", h->name);
    } else if (certs && !ip->ca_cert && n_cert != ip->n_remotes) {
        error_at(p, line, "host %s: ipsec-remote-name needs ipsec-ca-cert",
                 h->name);
    } else if ((ip->psk || certs) && h->tunnel_mode == L2MT_TUNNEL_FLOW) {
        error_at(p, line, "host %s: IPsec needs tunnel-mode per-tenant "
                 "(ovs-monitor-ipsec keys its tunnels by remote_ip)",
                 h->name);
    } else if ((ip->psk || certs) && !h->underlay_ip) {
        error_at(p, line, "host %s: IPsec needs underlay-ip (the tunnels' "
                 "local_ip)", h->name);
    }
}

/* Checks what a block needs once its '}' is read. */
static void
close_block(struct parser *p)
{
    struct l2mt_conf *c = p->conf;
    enum block_kind kind = p->kind[p->depth];
    int line = p->block_line[p->depth];

    if (kind == B_HOST) {
        struct l2mt_conf_host *h = &c->hosts[p->idx];

        if (!h->bridge) {
            h->bridge = l2mt_xstrdup("br-l2mt");
        }
        if (!h->datapath_type) {
            h->datapath_type = l2mt_xstrdup("system");
        }
        if (h->underlay_bridge && (!h->underlay_if || !h->underlay_ip)) {
            error_at(p, line, "host %s: underlay-bridge needs "
                     "underlay-interface and underlay-ip", h->name);
        }
        if (h->underlay_bridge && !strcmp(h->underlay_bridge, h->bridge)) {
            error_at(p, line, "host %s: underlay-bridge and bridge are both "
                     "%s", h->name, h->bridge);
        }
        check_ipsec(p, h, line);
    } else if (kind == B_SFLOW) {
        struct l2mt_conf_sflow *s = &c->hosts[p->idx].sflow;

        if (!s->n_targets) {
            error_at(p, line, "sflow block without a target");
        }
    } else if (kind == B_TENANT) {
        struct l2mt_conf_tenant *t = &c->tenants[p->idx];

        if (!t->n_remotes) {
            error_at(p, line, "tenant %"PRIu32" has no remote", t->id);
        }
        if (!t->service_v4_port) {
            error_at(p, line, "tenant %"PRIu32" has no service-v4-port",
                     t->id);
        }
        if (!t->name) {
            t->name = l2mt_xasprintf("tenant%"PRIu32, t->id);
        }
        if (!t->n_service_addrs) {
            push_string(&t->service_addrs, &t->n_service_addrs,
                        L2MT_CONF_SERVICE_ADDR);
        }
        if (!t->n_ipv6_sources) {
            push_string(&t->ipv6_sources, &t->n_ipv6_sources, "fe80::/10");
        }
    } else if (kind == B_PORT) {
        struct l2mt_conf_port *port = &c->ports[p->idx];

        if (!port->value) {
            error_at(p, line, "port %s needs one of interface, iface-id or "
                     "mac", port->label);
        }
    }
    p->depth--;
}

static void
parse_line(struct parser *p, char *text)
{
    char *w[MAX_WORDS];
    char *save, *tok, *hash;
    int n = 0;

    hash = strchr(text, '#');
    if (hash) {
        *hash = '\0';
    }
    for (tok = strtok_r(text, " \t\r\v\f", &save); tok;
         tok = strtok_r(NULL, " \t\r\v\f", &save)) {
        if (n == MAX_WORDS) {
            error_at(p, p->line, "more than %d words on one line", MAX_WORDS);
            return;
        }
        w[n++] = tok;
    }
    if (!n) {
        return;
    }

    if (!strcmp(w[0], "}")) {
        if (n > 1) {
            error_at(p, p->line, "unexpected \"%s\" after '}'", w[1]);
        }
        if (p->overflow) {
            p->overflow--;
        } else if (!p->depth) {
            error_at(p, p->line, "'}' without an open block");
        } else {
            close_block(p);
        }
        return;
    }
    if (!strcmp(w[n - 1], "{")) {
        if (p->depth == 0) {
            open_block(p, w, n);
        } else if (p->depth == 1 && p->kind[1] == B_HOST
                   && !strcmp(w[0], "sflow") && n == 2) {
            struct l2mt_conf_sflow *s = &p->conf->hosts[p->idx].sflow;

            if (s->line) {
                error_at(p, p->line, "duplicate sflow block (first at line "
                         "%d)", s->line);
            } else {
                s->line = p->line;
                s->sampling = 64;
                s->polling = 10;
                s->header = 128;
            }
            p->depth = 2;
            p->kind[2] = s->line == p->line ? B_SFLOW : B_TOP;
            p->block_line[2] = p->line;
            memset(p->seen[2], 0, sizeof p->seen[2]);
        } else if (p->depth == MAX_DEPTH - 1) {
            error_at(p, p->line, "blocks nested too deep");
            p->overflow++;
        } else {
            error_at(p, p->line, "unexpected block \"%s\" inside %s block",
                     w[0], block_names[p->kind[p->depth]]);
            p->depth++;
            p->kind[p->depth] = B_TOP;
            p->block_line[p->depth] = p->line;
        }
        return;
    }
    if (p->depth == 0) {
        error_at(p, p->line, "\"%s\" outside a block (expected host, tenant, "
                 "profile or port)", w[0]);
        return;
    }
    if (p->kind[p->depth] == B_TOP || p->overflow) {
        return;                 /* Inside a block already reported. */
    }

    {
        const struct key *k = lookup_key(p, w, n);
        struct l2mt_conf *c = p->conf;

        if (!k) {
            return;
        }
        switch (p->kind[p->depth]) {
        case B_HOST:
            host_key(p, &c->hosts[p->idx], k->name, w + 1);
            break;
        case B_SFLOW:
            sflow_key(p, &c->hosts[p->idx].sflow, k->name, w + 1);
            break;
        case B_TENANT:
            tenant_key(p, &c->tenants[p->idx], k->name, w + 1);
            break;
        case B_PROFILE:
            profile_key(p, &c->profiles[p->idx], k->name, w + 1, n - 1);
            break;
        case B_PORT:
            port_key(p, &c->ports[p->idx], p->idx, k->name, w + 1);
            break;
        case B_TOP:
        default:
            break;
        }
    }
}

/* If 'name' is one the agent or OpenFlow gives a port of its own, returns
 * what it is, otherwise NULL.  A service or VM port with such a name would
 * be one OpenFlow port in two roles (another tenant's tunnel, the bridge's
 * own port, an OpenFlow keyword). */
static const char *
reserved_name(const char *name)
{
    static const char *const keywords[] = {
        "LOCAL", "IN_PORT", "TABLE", "NORMAL", "FLOOD", "ALL", "CONTROLLER",
        "ANY", "NONE", "UNSET",
    };
    const char *s;
    size_t i;

    for (i = 0; i < sizeof keywords / sizeof *keywords; i++) {
        if (!strcasecmp(name, keywords[i])) {
            return "an OpenFlow port keyword";
        }
    }
    if (!strcmp(name, "l2mt-gre")) {
        return "the flow-mode tunnel port";
    }
    /* gre<KEY> and gre<KEY>-<N>, for any key: a tenant added later must
     * not find its tunnel's name taken. */
    if (!strncmp(name, "gre", 3) && name[3] >= '0' && name[3] <= '9') {
        s = name + 3 + strspn(name + 3, "0123456789");
        if (!*s || (*s == '-' && s[1] && !s[1 + strspn(s + 1,
                                                       "0123456789")])) {
            return "a per-tenant tunnel port name (gre<KEY>, gre<KEY>-<N>)";
        }
    }
    return NULL;
}

/* Which role the hosts give 'name' (a bridge, an underlay port), or NULL. */
static const char *
host_role(const struct l2mt_conf *c, const char *name)
{
    size_t i;

    for (i = 0; i < c->n_hosts; i++) {
        const struct l2mt_conf_host *h = &c->hosts[i];

        if (!strcmp(h->bridge, name)) {
            return "a host's tenant bridge";
        }
        if (h->underlay_bridge && !strcmp(h->underlay_bridge, name)) {
            return "a host's underlay bridge";
        }
        if (h->underlay_if && !strcmp(h->underlay_if, name)) {
            return "a host's underlay interface";
        }
    }
    return NULL;
}

/* A tenant's service port 'name' (given at 'line' as 'key') has no other
 * role. */
static void
check_service_port(struct parser *p, const struct l2mt_conf_tenant *t,
                   const char *key, const char *name, int line)
{
    const char *why = reserved_name(name);

    if (!why) {
        why = host_role(p->conf, name);
    }
    if (why) {
        error_at(p, line, "tenant %"PRIu32": %s %s is %s", t->id, key, name,
                 why);
    }
}

/* Host names that would make the agent's own ports collide. */
static void
check_host_names(struct parser *p, const struct l2mt_conf_host *h)
{
    const char *names[3] = { h->bridge, h->underlay_bridge, h->underlay_if };
    const char *keys[3] = { "bridge", "underlay-bridge",
                            "underlay-interface" };
    size_t i;

    for (i = 0; i < 3; i++) {
        const char *why = names[i] ? reserved_name(names[i]) : NULL;

        if (why) {
            error_at(p, h->line, "host %s: %s %s is %s", h->name, keys[i],
                     names[i], why);
        }
    }
    if (h->underlay_if && !strcmp(h->underlay_if, h->bridge)) {
        error_at(p, h->line, "host %s: underlay-interface and bridge are "
                 "both %s", h->name, h->bridge);
    }
}

/* A VM binding by interface name may not take a port that has a role. */
static void
check_port_binding(struct parser *p, const struct l2mt_conf_port *port,
                   int line)
{
    const struct l2mt_conf_tenant *t;
    const char *why;

    if (!port->value || port->match != L2MT_MATCH_INTERFACE) {
        return;
    }
    t = l2mt_conf_find_tenant_by_port(p->conf, port->value);
    if (t) {
        error_at(p, line, "port %s: interface %s is tenant %"PRIu32"'s "
                 "service port", port->label, port->value, t->id);
        return;
    }
    why = reserved_name(port->value);
    if (!why) {
        why = host_role(p->conf, port->value);
    }
    if (why) {
        error_at(p, line, "port %s: interface %s is %s", port->label,
                 port->value, why);
    }
}

/* Checks across blocks, once everything is read. */
static void
check_all(struct parser *p)
{
    struct l2mt_conf *c = p->conf;
    size_t i, j;

    for (i = 0; i < c->n_hosts; i++) {
        const struct l2mt_conf_ipsec *ip = &c->hosts[i].ipsec;

        check_host_names(p, &c->hosts[i]);
        /* With certificates, every tunnel needs its remote's. */
        for (j = 0; ip->certificate && j < c->n_tenants; j++) {
            const struct l2mt_conf_tenant *t = &c->tenants[j];
            size_t k, m;

            for (k = 0; k < t->n_remotes; k++) {
                for (m = 0; m < ip->n_remotes; m++) {
                    if (!strcmp(ip->remotes[m], t->remotes[k])) {
                        break;
                    }
                }
                if (m == ip->n_remotes) {
                    error_at(p, c->hosts[i].line, "host %s: remote %s of "
                             "tenant %"PRIu32" has no ipsec-remote-%s",
                             c->hosts[i].name, t->remotes[k], t->id,
                             ip->ca_cert ? "name" : "cert");
                }
            }
        }
    }

    for (i = 0; i < c->n_tenants; i++) {
        struct l2mt_conf_tenant *t = &c->tenants[i];

        for (j = 0; j < i; j++) {
            struct l2mt_conf_tenant *u = &c->tenants[j];
            const char *a[2] = { t->service_v4_port, t->service_v6_port };
            const char *b[2] = { u->service_v4_port, u->service_v6_port };
            int a_line[2] = { t->v4_line, t->v6_line };
            int b_line[2] = { u->v4_line, u->v6_line };
            int x, y;

            if (t->gre_key == u->gre_key) {
                error_at(p, t->gre_key_line, "tenant %"PRIu32": GRE key %"
                         PRIu32" is also tenant %"PRIu32"'s (line %d)",
                         t->id, t->gre_key, u->id, u->gre_key_line);
            }
            if (!strcmp(t->name, u->name)) {
                error_at(p, t->name_line, "tenant %"PRIu32": name %s is "
                         "also tenant %"PRIu32"'s (line %d)", t->id, t->name,
                         u->id, u->name_line);
            }
            for (x = 0; x < 2; x++) {
                for (y = 0; y < 2; y++) {
                    if (a[x] && b[y] && !strcmp(a[x], b[y])) {
                        error_at(p, a_line[x], "tenant %"PRIu32": port %s "
                                 "is also tenant %"PRIu32"'s (line %d)",
                                 t->id, a[x], u->id, b_line[y]);
                    }
                }
            }
        }
        if (t->service_v4_port) {
            check_service_port(p, t, "service-v4-port", t->service_v4_port,
                               t->v4_line);
        }
        if (t->service_v6_port) {
            check_service_port(p, t, "service-v6-port", t->service_v6_port,
                               t->v6_line);
        }
        if (t->service_v6_port && t->service_v4_port
            && !strcmp(t->service_v4_port, t->service_v6_port)) {
            error_at(p, t->v6_line, "tenant %"PRIu32": service-v4-port and "
                     "service-v6-port are both %s", t->id,
                     t->service_v4_port);
        }
    }

    for (i = 0; i < c->n_ports; i++) {
        struct l2mt_conf_port *port = &c->ports[i];

        check_port_binding(p, port, p->port_value_line[i]);
        for (j = 0; j < i; j++) {
            struct l2mt_conf_port *q = &c->ports[j];

            if (port->value && q->value && port->match == q->match
                && !strcmp(port->value, q->value)) {
                error_at(p, port->line, "port %s matches the same interface "
                         "as port %s (line %d)", port->label, q->label,
                         q->line);
            }
        }
        if (p->port_profile[i]) {
            for (j = 0; j < c->n_profiles; j++) {
                if (!strcmp(c->profiles[j].name, p->port_profile[i])) {
                    port->profile = &c->profiles[j];
                }
            }
            if (!port->profile) {
                error_at(p, port->line, "port %s: unknown profile \"%s\"",
                         port->label, p->port_profile[i]);
            }
        }
        if (p->port_tenant[i]) {
            for (j = 0; j < c->n_tenants; j++) {
                char id[16];

                snprintf(id, sizeof id, "%"PRIu32, c->tenants[j].id);
                if (!strcmp(id, p->port_tenant[i])
                    || !strcmp(c->tenants[j].name, p->port_tenant[i])) {
                    port->tenant = &c->tenants[j];
                }
            }
            if (!port->tenant) {
                error_at(p, port->line, "port %s: unknown tenant \"%s\"",
                         port->label, p->port_tenant[i]);
            }
        }
    }
}

struct l2mt_conf *
l2mt_conf_parse(const char *text, size_t len, const char *file,
                char **errors)
{
    struct parser p;
    const char *s = text, *end = text + len;
    size_t i;

    memset(&p, 0, sizeof p);
    p.file = file;
    p.conf = l2mt_xzalloc(sizeof *p.conf);
    p.conf->file = l2mt_xstrdup(file);
    p.kind[0] = B_TOP;

    while (s < end) {
        const char *nl = memchr(s, '\n', end - s);
        size_t n = nl ? (size_t) (nl - s) : (size_t) (end - s);
        char *line = l2mt_xstrndup(s, n);

        p.line++;
        if (strlen(line) != n) {
            error_at(&p, p.line, "NUL byte in line");
        } else {
            parse_line(&p, line);
        }
        free(line);
        s += n + 1;
    }
    while (p.depth > 0) {
        error_at(&p, p.line ? p.line : 1, "missing '}' for the block opened "
                 "at line %d", p.block_line[p.depth]);
        p.depth--;
    }
    if (!p.n_errors) {
        check_all(&p);
    }
    for (i = 0; i < p.conf->n_ports; i++) {
        free(p.port_profile[i]);
        free(p.port_tenant[i]);
    }
    free(p.port_profile);
    free(p.port_tenant);
    free(p.port_ref_line);
    free(p.port_value_line);

    if (p.n_errors > MAX_ERRORS) {
        l2mt_str_printf(&p.errors, "%s: %d more errors\n", file,
                        p.n_errors - MAX_ERRORS);
    }
    if (p.n_errors) {
        l2mt_conf_free(p.conf);
        *errors = l2mt_str_steal(&p.errors);
        return NULL;
    }
    *errors = NULL;
    return p.conf;
}

struct l2mt_conf *
l2mt_conf_load(const char *file, char **errors)
{
    struct l2mt_conf *conf;
    size_t len;
    char *text;
    int error;

    error = l2mt_read_file(file, &text, &len);
    if (error) {
        *errors = l2mt_xasprintf("%s: cannot read: %s\n", file,
                                 strerror(error));
        return NULL;
    }
    conf = l2mt_conf_parse(text, len, file, errors);
    free(text);
    return conf;
}

static void
free_strings(char **s, size_t n)
{
    size_t i;

    for (i = 0; i < n; i++) {
        free(s[i]);
    }
    free(s);
}

void
l2mt_conf_free(struct l2mt_conf *c)
{
    size_t i, j;

    if (!c) {
        return;
    }
    for (i = 0; i < c->n_hosts; i++) {
        struct l2mt_conf_host *h = &c->hosts[i];

        free(h->name);
        free(h->edge_switch);
        free(h->bridge);
        free(h->datapath_type);
        free(h->underlay_if);
        free(h->underlay_ip);
        free(h->underlay_bridge);
        free(h->inventory);
        free(h->sflow.agent);
        free_strings(h->sflow.targets, h->sflow.n_targets);
        free(h->ipsec.psk);
        free(h->ipsec.certificate);
        free(h->ipsec.private_key);
        free(h->ipsec.ca_cert);
        for (j = 0; j < h->ipsec.n_remotes; j++) {
            free(h->ipsec.remote_certs[j]);
            free(h->ipsec.remote_names[j]);
        }
        free(h->ipsec.remote_certs);
        free(h->ipsec.remote_names);
        free_strings(h->ipsec.remotes, h->ipsec.n_remotes);
    }
    for (i = 0; i < c->n_tenants; i++) {
        struct l2mt_conf_tenant *t = &c->tenants[i];

        free(t->name);
        free_strings(t->remotes, t->n_remotes);
        free(t->service_v4_port);
        free(t->service_v6_port);
        free(t->prefix);
        free_strings(t->service_addrs, t->n_service_addrs);
        free_strings(t->ipv6_sources, t->n_ipv6_sources);
    }
    for (i = 0; i < c->n_profiles; i++) {
        struct l2mt_conf_profile *pr = &c->profiles[i];

        free(pr->name);
        free(pr->trunks);
        free(pr->qos_type);
        free_strings(pr->qos_config, pr->n_qos_config);
    }
    for (i = 0; i < c->n_ports; i++) {
        free(c->ports[i].label);
        free(c->ports[i].value);
    }
    free(c->hosts);
    free(c->tenants);
    free(c->profiles);
    free(c->ports);
    free(c->file);
    free(c);
}

const struct l2mt_conf_host *
l2mt_conf_find_host(const struct l2mt_conf *c, const char *name)
{
    size_t i;

    for (i = 0; i < c->n_hosts; i++) {
        if (!strcmp(c->hosts[i].name, name)) {
            return &c->hosts[i];
        }
    }
    return NULL;
}

const struct l2mt_conf_tenant *
l2mt_conf_find_tenant_by_port(const struct l2mt_conf *c, const char *port)
{
    size_t i;

    for (i = 0; i < c->n_tenants; i++) {
        const struct l2mt_conf_tenant *t = &c->tenants[i];

        if (!strcmp(t->service_v4_port, port)
            || (t->service_v6_port && !strcmp(t->service_v6_port, port))) {
            return t;
        }
    }
    return NULL;
}

const char *
l2mt_tunnel_mode_name(enum l2mt_tunnel_mode mode)
{
    return mode == L2MT_TUNNEL_FLOW ? "flow" : "per-tenant";
}
