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
#include "flowd/flowd-topo.h"

#include <arpa/inet.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "l2mt-conf-util.h"


struct flowd_topo *
flowd_topo_create(void)
{
    struct flowd_topo *t = calloc(1, sizeof *t);

    if (t) {
        t->refs = 1;
        for (int i = 0; i < 4096; i++) {
            t->vlan_tenant[i] = FLOWD_TOPO_NONE;
        }
        if (!flowd_table_init(&t->mac_index, 8, sizeof(uint32_t),
                              FLOWD_TOPO_MAX_MACS)) {
            free(t);
            return NULL;
        }
    }
    return t;
}

struct flowd_topo *
flowd_topo_ref(const struct flowd_topo *t_)
{
    struct flowd_topo *t = (struct flowd_topo *) t_;

    __atomic_add_fetch(&t->refs, 1, __ATOMIC_RELAXED);
    return t;
}

void
flowd_topo_destroy(struct flowd_topo *t)
{
    if (t && !__atomic_sub_fetch(&t->refs, 1, __ATOMIC_ACQ_REL)) {
        free(t->switches);
        free(t->hosts);
        free(t->tenants);
        free(t->agents);
        free(t->uplinks);
        free(t->macs);
        flowd_table_destroy(&t->mac_index);
        free(t);
    }
}

/* Grows '*array' of 'size'-byte items to hold one more; returns the new
 * zeroed item. */
static void *
grow(void *array_, size_t *n, size_t size)
{
    void **array = array_;

    if ((*n & (*n - 1)) == 0 || *n == 0) {
        void *a = realloc(*array, (*n ? *n * 2 : 1) * size);
        if (!a) {
            return NULL;
        }
        *array = a;
    }
    void *item = (char *) *array + *n * size;
    memset(item, 0, size);
    (*n)++;
    return item;
}

bool
flowd_parse_mac(const char *s, uint8_t mac[6])
{
    unsigned int b[6];
    char tail;

    if (sscanf(s, "%2x:%2x:%2x:%2x:%2x:%2x%c", &b[0], &b[1], &b[2], &b[3],
               &b[4], &b[5], &tail) != 6 || strlen(s) != 17) {
        return false;
    }
    for (int i = 0; i < 6; i++) {
        mac[i] = b[i];
    }
    return true;
}

bool
flowd_parse_ip(const char *s, struct in6_addr *a)
{
    struct in_addr v4;

    if (inet_pton(AF_INET, s, &v4) == 1) {
        memset(a, 0, sizeof *a);
        a->s6_addr[10] = a->s6_addr[11] = 0xff;
        memcpy(&a->s6_addr[12], &v4, 4);
        return true;
    }
    return inet_pton(AF_INET6, s, a) == 1;
}

void
flowd_format_mac(const uint8_t m[6], char out[18])
{
    snprintf(out, 18, "%02x:%02x:%02x:%02x:%02x:%02x",
             m[0], m[1], m[2], m[3], m[4], m[5]);
}

void
flowd_format_ip(const struct in6_addr *a, char *out, size_t size)
{
    if (IN6_IS_ADDR_V4MAPPED(a)) {
        inet_ntop(AF_INET, &a->s6_addr[12], out, size);
    } else {
        inet_ntop(AF_INET6, a, out, size);
    }
}

const struct flowd_topo_mac *
flowd_topo_find_mac_h(const struct flowd_topo *t, const uint8_t key[8],
                      uint32_t hash)
{
    const uint32_t *idx =
        flowd_table_find_padded((struct flowd_table *) &t->mac_index,
                                                  key, hash);
    return idx ? &t->macs[*idx] : NULL;
}

const struct flowd_topo_mac *
flowd_topo_find_mac(const struct flowd_topo *t, const uint8_t mac[6])
{
    uint8_t key[8] = { 0 };

    memcpy(key, mac, 6);
    return flowd_topo_find_mac_h(t, key, flowd_hash_padded(key, 8));
}

int
flowd_topo_find_host(const struct flowd_topo *t, const char *name)
{
    for (size_t i = 0; i < t->n_hosts; i++) {
        if (!strcmp(t->hosts[i].name, name)) {
            return i;
        }
    }
    return -1;
}

int
flowd_topo_find_tenant(const struct flowd_topo *t, const char *name)
{
    for (size_t i = 0; i < t->n_tenants; i++) {
        if (!strcmp(t->tenants[i].name, name)) {
            return i;
        }
    }
    return -1;
}

static int
find_switch(const struct flowd_topo *t, const char *name)
{
    for (size_t i = 0; i < t->n_switches; i++) {
        if (!strcmp(t->switches[i], name)) {
            return i;
        }
    }
    return -1;
}

static bool
valid_name(const char *s)
{
    size_t n = strlen(s);

    if (!n || n >= FLOWD_TOPO_NAME_LEN) {
        return false;
    }
    for (; *s; s++) {
        if (!strchr("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
                    "0123456789_.:-", *s)) {
            return false;
        }
    }
    return true;
}

/* Error reporting shared by both parsers. */
struct ctx {
    struct flowd_topo *t;
    const char *name;
    int line;
    char *err;                  /* The first error, malloc'd, or NULL. */
    bool inventory;             /* Parsing an inventory file. */
    uint32_t source;            /* 0 for the topology, then 1, 2, ... */
};

static bool
error(struct ctx *c, const char *fmt, ...)
{
    struct l2mt_str s = { NULL, 0, 0 };
    va_list args;

    if (c->line) {
        l2mt_str_printf(&s, "%s:%d: ", c->name, c->line);
    } else {
        l2mt_str_printf(&s, "%s: ", c->name);
    }
    va_start(args, fmt);
    l2mt_str_vprintf(&s, fmt, args);
    va_end(args);
    if (!c->err) {
        c->err = l2mt_str_steal(&s);
    }
    l2mt_str_free(&s);
    return false;
}

/* The result of a parse that returned 'ok'. */
static char *
ctx_result(struct ctx *c, bool ok)
{
    if (ok) {
        free(c->err);
        return NULL;
    }
    return c->err ? c->err : l2mt_xasprintf("%s: parse error", c->name);
}

static bool
parse_uint(const char *s, unsigned long max, unsigned long *v)
{
    char *end;

    if (*s < '0' || *s > '9') {
        return false;
    }
    errno = 0;
    *v = strtoul(s, &end, 10);
    return !*end && !errno && *v <= max;
}

static int
add_switch(struct ctx *c, const char *name)
{
    int sw = find_switch(c->t, name);

    if (sw >= 0) {
        return sw;
    }
    if (!valid_name(name)) {
        error(c, "bad switch name '%s'", name);
        return -1;
    }
    if (c->t->n_switches >= FLOWD_TOPO_MAX_ITEMS) {
        error(c, "more than %d switches", FLOWD_TOPO_MAX_ITEMS);
        return -1;
    }
    char *slot = grow(&c->t->switches, &c->t->n_switches, FLOWD_TOPO_NAME_LEN);
    if (!slot) {
        error(c, "out of memory");
        return -1;
    }
    strcpy(slot, name);
    return c->t->n_switches - 1;
}

static int
add_host(struct ctx *c, const char *name, int sw)
{
    if (!valid_name(name)) {
        error(c, "bad host name '%s'", name);
        return -1;
    }
    if (c->t->n_hosts >= FLOWD_TOPO_MAX_ITEMS) {
        error(c, "more than %d hosts", FLOWD_TOPO_MAX_ITEMS);
        return -1;
    }
    struct flowd_topo_host *h = grow(&c->t->hosts, &c->t->n_hosts, sizeof *h);
    if (!h) {
        error(c, "out of memory");
        return -1;
    }
    strcpy(h->name, name);
    h->sw = sw;
    return c->t->n_hosts - 1;
}

static int
add_tenant(struct ctx *c, const char *name)
{
    if (!valid_name(name)) {
        error(c, "bad tenant name '%s'", name);
        return -1;
    }
    if (c->t->n_tenants >= FLOWD_TOPO_MAX_ITEMS) {
        error(c, "more than %d tenants", FLOWD_TOPO_MAX_ITEMS);
        return -1;
    }
    struct flowd_topo_tenant *tn = grow(&c->t->tenants, &c->t->n_tenants,
                                        sizeof *tn);
    if (!tn) {
        error(c, "out of memory");
        return -1;
    }
    strcpy(tn->name, name);
    return c->t->n_tenants - 1;
}

static struct flowd_topo_mac *
add_mac(struct ctx *c, const uint8_t mac[6])
{
    uint8_t key[8] = { 0 };
    bool added;

    memcpy(key, mac, 6);
    if (c->t->n_macs >= FLOWD_TOPO_MAX_MACS) {
        error(c, "more than %d MACs", FLOWD_TOPO_MAX_MACS);
        return NULL;
    }
    uint32_t *idx = flowd_table_insert(&c->t->mac_index, key, &added);
    if (!added) {
        struct flowd_topo_mac *old = &c->t->macs[*idx];

        /* A VM that migrated may still be in the old host's inventory for
         * a while: a later inventory file wins over an earlier one.  Twice
         * in one file, or in the topology file, is a mistake. */
        if (c->inventory && old->source && old->source != c->source) {
            memset(old, 0, sizeof *old);
            memcpy(old->mac, mac, 6);
            old->host = old->tenant = FLOWD_TOPO_NONE;
            old->source = c->source;
            return old;
        }
        error(c, "MAC %02x:%02x:%02x:%02x:%02x:%02x listed twice",
              mac[0], mac[1], mac[2], mac[3], mac[4], mac[5]);
        return NULL;
    }
    *idx = c->t->n_macs;

    struct flowd_topo_mac *m = grow(&c->t->macs, &c->t->n_macs, sizeof *m);
    if (!m) {
        error(c, "out of memory");
        return NULL;
    }
    memcpy(m->mac, mac, 6);
    m->host = m->tenant = FLOWD_TOPO_NONE;
    m->source = c->source;
    return m;
}

#define MAX_WORDS 64

/* "host NAME switch SW [agent ADDR]... [uplink IFINDEX]..." */
static bool
parse_host(struct ctx *c, char **w, int n)
{
    if (n < 4 || n % 2) {
        return error(c, "usage: host NAME switch SWITCH [agent ADDRESS]... "
                     "[uplink IFINDEX]...");
    }
    if (flowd_topo_find_host(c->t, w[1]) >= 0) {
        return error(c, "host '%s' defined twice", w[1]);
    }
    if (strcmp(w[2], "switch")) {
        return error(c, "expected 'switch' after host name, not '%s'", w[2]);
    }
    int sw = add_switch(c, w[3]);
    int host = sw < 0 ? -1 : add_host(c, w[1], sw);
    if (host < 0) {
        return false;
    }
    for (int i = 4; i < n; i += 2) {
        if (!strcmp(w[i], "agent")) {
            struct in6_addr a;
            if (!flowd_parse_ip(w[i + 1], &a)) {
                return error(c, "bad agent address '%s'", w[i + 1]);
            }
            for (size_t j = 0; j < c->t->n_agents; j++) {
                if (!memcmp(&c->t->agents[j].addr, &a, sizeof a)) {
                    return error(c, "agent %s already belongs to host '%s'",
                                 w[i + 1],
                                 c->t->hosts[c->t->agents[j].host].name);
                }
            }
            struct flowd_topo_agent *ag = grow(&c->t->agents, &c->t->n_agents,
                                               sizeof *ag);
            if (!ag) {
                return error(c, "out of memory");
            }
            ag->addr = a;
            ag->host = host;
        } else if (!strcmp(w[i], "uplink")) {
            unsigned long ifindex;
            if (!parse_uint(w[i + 1], 0x3fffffff, &ifindex)) {
                return error(c, "bad uplink ifindex '%s'", w[i + 1]);
            }
            struct flowd_topo_uplink *u = grow(&c->t->uplinks,
                                               &c->t->n_uplinks,
                                               sizeof *u);
            if (!u) {
                return error(c, "out of memory");
            }
            u->host = host;
            u->ifindex = ifindex;
        } else {
            return error(c, "unknown host attribute '%s'", w[i]);
        }
    }
    return true;
}

/* "tenant NAME [key N] [vlan V]..." */
static bool
parse_tenant(struct ctx *c, char **w, int n)
{
    if (n < 2 || n % 2) {
        return error(c, "usage: tenant NAME [key GRE-KEY] [vlan VID]...");
    }
    if (flowd_topo_find_tenant(c->t, w[1]) >= 0) {
        return error(c, "tenant '%s' defined twice", w[1]);
    }
    int tn = add_tenant(c, w[1]);
    if (tn < 0) {
        return false;
    }
    for (int i = 2; i < n; i += 2) {
        unsigned long v;
        if (!strcmp(w[i], "key")) {
            if (!parse_uint(w[i + 1], UINT32_MAX, &v)) {
                return error(c, "bad key '%s'", w[i + 1]);
            }
            c->t->tenants[tn].key = v;
        } else if (!strcmp(w[i], "vlan")) {
            if (!parse_uint(w[i + 1], 4095, &v) || !v) {
                return error(c, "bad VLAN '%s' (1..4095)", w[i + 1]);
            }
            if (c->t->vlan_tenant[v] != FLOWD_TOPO_NONE) {
                return error(c, "VLAN %lu already belongs to tenant '%s'", v,
                             c->t->tenants[c->t->vlan_tenant[v]].name);
            }
            c->t->vlan_tenant[v] = tn;
        } else {
            return error(c, "unknown tenant attribute '%s'", w[i]);
        }
    }
    return true;
}

/* "mac MAC host H [tenant T] [vlan V]" */
static bool
parse_mac_line(struct ctx *c, char **w, int n)
{
    uint8_t mac[6];

    if (n < 2 || n % 2) {
        return error(c, "usage: mac MAC [host H] [tenant T] [vlan V]");
    }
    if (!flowd_parse_mac(w[1], mac)) {
        return error(c, "bad MAC '%s'", w[1]);
    }
    struct flowd_topo_mac *m = add_mac(c, mac);
    if (!m) {
        return false;
    }
    for (int i = 2; i < n; i += 2) {
        unsigned long v;
        int idx;
        if (!strcmp(w[i], "host")) {
            if ((idx = flowd_topo_find_host(c->t, w[i + 1])) < 0) {
                return error(c, "unknown host '%s' (define hosts first)",
                             w[i + 1]);
            }
            m->host = idx;
        } else if (!strcmp(w[i], "tenant")) {
            if ((idx = flowd_topo_find_tenant(c->t, w[i + 1])) < 0) {
                return error(c, "unknown tenant '%s' (define tenants first)",
                             w[i + 1]);
            }
            m->tenant = idx;
        } else if (!strcmp(w[i], "vlan")) {
            if (!parse_uint(w[i + 1], 4095, &v) || !v) {
                return error(c, "bad VLAN '%s' (1..4095)", w[i + 1]);
            }
            m->vlan = v;
        } else {
            return error(c, "unknown mac attribute '%s'", w[i]);
        }
    }
    return true;
}

static bool
parse_line(struct ctx *c, char *line)
{
    char *w[MAX_WORDS];
    int n = 0;
    char *save;

    char *hash = strchr(line, '#');
    if (hash) {
        *hash = '\0';
    }
    for (char *tok = strtok_r(line, " \t\r", &save); tok;
         tok = strtok_r(NULL, " \t\r", &save)) {
        if (n == MAX_WORDS) {
            return error(c, "more than %d words", MAX_WORDS);
        }
        w[n++] = tok;
    }
    if (!n) {
        return true;
    }
    if (!strcmp(w[0], "switch")) {
        if (n != 2) {
            return error(c, "usage: switch NAME");
        }
        if (find_switch(c->t, w[1]) >= 0) {
            return error(c, "switch '%s' defined twice", w[1]);
        }
        return add_switch(c, w[1]) >= 0;
    } else if (!strcmp(w[0], "host")) {
        return parse_host(c, w, n);
    } else if (!strcmp(w[0], "tenant")) {
        return parse_tenant(c, w, n);
    } else if (!strcmp(w[0], "mac")) {
        return parse_mac_line(c, w, n);
    } else if (!strcmp(w[0], "gateway")) {
        if (n < 2) {
            return error(c, "usage: gateway MAC...");
        }
        for (int i = 1; i < n; i++) {
            uint8_t mac[6];
            struct flowd_topo_mac *m;
            if (!flowd_parse_mac(w[i], mac)) {
                return error(c, "bad MAC '%s'", w[i]);
            }
            if (!(m = add_mac(c, mac))) {
                return false;
            }
            m->gateway = true;
        }
        return true;
    }
    return error(c, "unknown keyword '%s' (expected switch, host, tenant, "
                 "mac or gateway)", w[0]);
}

char *
flowd_topo_parse(struct flowd_topo *t, const char *text, size_t len,
                 const char *name)
{
    struct ctx c = { t, name, 0, NULL, false, 0 };
    const char *p = text, *end = text + len;

    while (p < end) {
        const char *nl = memchr(p, '\n', end - p);
        size_t n = (nl ? nl : end) - p;
        char line[4096];

        c.line++;
        if (n >= sizeof line) {
            error(&c, "line longer than %zu bytes", sizeof line - 1);
            return ctx_result(&c, false);
        }
        memcpy(line, p, n);
        line[n] = '\0';
        if (strlen(line) != n) {
            error(&c, "NUL byte in line");
            return ctx_result(&c, false);
        }
        if (!parse_line(&c, line)) {
            return ctx_result(&c, false);
        }
        p += n + 1;
    }
    return ctx_result(&c, true);
}

uint32_t
flowd_topo_begin_inventory(struct flowd_topo *t)
{
    return ++t->n_sources;
}

static bool add_vm(struct ctx *, size_t i, const struct flowd_topo_vm *);

char *
flowd_topo_add_vm(struct flowd_topo *t, uint32_t source, const char *name,
                  size_t i,
                  const struct flowd_topo_vm *vm)
{
    struct ctx c = { t, name, 0, NULL, true, source };

    return ctx_result(&c, add_vm(&c, i, vm));
}

static bool
add_vm(struct ctx *c, size_t i, const struct flowd_topo_vm *vm)
{
    struct flowd_topo *t = c->t;
    uint8_t mac[6];

    if (!vm->mac || !flowd_parse_mac(vm->mac, mac)) {
        return error(c, "vms[%zu]: missing or bad \"mac\"", i);
    }
    if (!vm->host) {
        return error(c, "vms[%zu]: missing \"host\"", i);
    }

    int host = flowd_topo_find_host(t, vm->host);
    if (host < 0) {
        if (!vm->edge_switch) {
            return error(c, "vms[%zu]: host '%s' is not in the topology and "
                         "has no \"edge_switch\"", i, vm->host);
        }
        int sw = add_switch(c, vm->edge_switch);
        if (sw < 0 || (host = add_host(c, vm->host, sw)) < 0) {
            return false;
        }
    } else if (vm->edge_switch
               && strcmp(t->switches[t->hosts[host].sw], vm->edge_switch)) {
        return error(c, "vms[%zu]: host '%s' is on switch '%s', not '%s'", i,
                     vm->host, t->switches[t->hosts[host].sw],
                     vm->edge_switch);
    }

    int tenant = -1;
    if (vm->tenant) {
        tenant = flowd_topo_find_tenant(t, vm->tenant);
        if (tenant < 0 && (tenant = add_tenant(c, vm->tenant)) < 0) {
            return false;
        }
        if (vm->has_key) {
            uint32_t *k = &t->tenants[tenant].key;
            if (*k && *k != vm->tenant_key) {
                return error(c, "vms[%zu]: tenant '%s' has key %u, not %u",
                             i, vm->tenant, *k, vm->tenant_key);
            }
            *k = vm->tenant_key;
        }
    }

    struct flowd_topo_mac *m = add_mac(c, mac);
    if (!m) {
        return false;
    }
    m->host = host;
    m->tenant = tenant < 0 ? FLOWD_TOPO_NONE : tenant;
    m->vlan = vm->vlan;
    return true;
}
