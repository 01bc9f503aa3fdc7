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

/* Unit tests of the tenant map parser and the scope id lookup. */

#include <config.h>
#include <arpa/inet.h>
#include <errno.h>
#include <net/if.h>
#include <netinet/in.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "l2mt-conf.h"
#include "scope-tenant.h"
#include "tenant-map-conf.h"
#include "tenant-map.h"

static int n_checks, n_failures;

#define CHECK(COND) check(COND, #COND, __LINE__)

static void
check(bool ok, const char *what, int line)
{
    n_checks++;
    if (!ok) {
        n_failures++;
        fprintf(stderr, "%s:%d: check failed: %s\n", __FILE__, line, what);
    }
}

static struct tenant_map *
parse_ok(const char *text)
{
    struct tenant_map *map;
    char *error;
    int retval = tenant_map_parse(text, strlen(text), "t.conf", &map, &error);
    if (retval) {
        fprintf(stderr, "unexpected error: %s\n", error ? error : "?");
    }
    CHECK(!retval && map && !error);
    free(error);
    return map;
}

/* Checks that 'text' is rejected with exactly 'expected'. */
static void
parse_fails(const char *text, size_t len, const char *expected)
{
    struct tenant_map *map = (struct tenant_map *) 1;
    char *error = NULL;
    int retval = tenant_map_parse(text, len, "t.conf", &map, &error);

    CHECK(retval == EINVAL);
    CHECK(map == NULL);
    if (!error || strcmp(error, expected)) {
        fprintf(stderr, "expected error: %s\n     got error: %s\n",
                expected, error ? error : "(none)");
        CHECK(!"error message");
    }
    free(error);
}

#define FAILS(TEXT, EXPECTED) parse_fails(TEXT, strlen(TEXT), EXPECTED)

static void
test_parse(void)
{
    struct tenant_map *map = parse_ok(
        "# tenants of the service VM\n"
        "\n"
        "tenant 1 red iface em1   # comment\n"
        "\ttenant 2 green iface em2 iface em2.100\r\n"
        "tenant 4294967295 blue-3.x ifindex 7 iface e_9\n"
        "tenant 0 Z iface em4\n"
        "tenant 9 9lives ifindex 9");
    CHECK(tenant_map_count(map) == 5);
    CHECK(tenant_map_at(map, 0)->id == 1);
    CHECK(!strcmp(tenant_map_at(map, 0)->name, "red"));
    CHECK(tenant_map_at(map, 2)->id == 4294967295u);
    CHECK(!strcmp(tenant_map_at(map, 3)->name, "Z"));
    CHECK(tenant_map_at(map, 5) == NULL);
    CHECK(tenant_map_find(map, "9lives") == tenant_map_at(map, 4));
    CHECK(tenant_map_find(map, "9") == tenant_map_at(map, 4));

    CHECK(tenant_map_lookup(map, "em1", 99) == tenant_map_at(map, 0));
    CHECK(tenant_map_lookup(map, "em2.100", 0) == tenant_map_at(map, 1));
    CHECK(tenant_map_lookup(map, "anything", 7) == tenant_map_at(map, 2));
    CHECK(tenant_map_lookup(map, NULL, 7) == tenant_map_at(map, 2));
    CHECK(tenant_map_lookup(map, "e_9", 1) == tenant_map_at(map, 2));
    CHECK(tenant_map_lookup(map, "em3", 8) == NULL);
    CHECK(tenant_map_lookup(map, "em", 0) == NULL);
    CHECK(tenant_map_lookup(map, NULL, 0) == NULL);
    CHECK(tenant_map_lookup(NULL, "em1", 1) == NULL);
    /* em1 by name (line 3) comes before index 7 (line 5). */
    CHECK(tenant_map_lookup(map, "em1", 7) == tenant_map_at(map, 0));
    CHECK(tenant_map_lookup(map, "e_9", 7) == tenant_map_at(map, 2));
    CHECK(tenant_map_lookup(map, "", 0) == NULL);

    CHECK(tenant_map_find(map, "green") == tenant_map_at(map, 1));
    CHECK(tenant_map_find(map, "2") == tenant_map_at(map, 1));
    CHECK(tenant_map_find(map, "0") == tenant_map_at(map, 3));
    CHECK(tenant_map_find(map, "3") == NULL);
    CHECK(tenant_map_find(map, "02") == NULL);
    CHECK(tenant_map_find(map, "gree") == NULL);

    char *text = tenant_map_format(map);
    CHECK(text && !strcmp(text,
                          "tenant 1 red iface em1\n"
                          "tenant 2 green iface em2 iface em2.100\n"
                          "tenant 4294967295 blue-3.x ifindex 7 iface e_9\n"
                          "tenant 0 Z iface em4\n"
                          "tenant 9 9lives ifindex 9\n"));
    free(text);
    tenant_map_destroy(map);

    map = parse_ok("");
    CHECK(tenant_map_count(map) == 0);
    CHECK(tenant_map_lookup(map, "em1", 1) == NULL);
    tenant_map_destroy(map);
}

static void
test_parse_errors(void)
{
    FAILS("tenant 1 red iface em1\ntenants 2 x iface em2\n",
          "t.conf:2: unknown keyword 'tenants' (expected 'tenant')");
    FAILS("tenant", "t.conf:1: tenant: missing ID");
    FAILS("tenant x", "t.conf:1: invalid tenant ID 'x' (0 to 4294967295)");
    FAILS("tenant 4294967296 a iface b",
          "t.conf:1: invalid tenant ID '4294967296' (0 to 4294967295)");
    FAILS("tenant 01 a iface b",
          "t.conf:1: invalid tenant ID '01' (0 to 4294967295)");
    FAILS("tenant -1 a iface b",
          "t.conf:1: invalid tenant ID '-1' (0 to 4294967295)");
    FAILS("\n\ntenant 1", "t.conf:3: tenant 1: missing name");
    FAILS("tenant 1 123 iface b",
          "t.conf:1: invalid tenant name '123' (1 to 63 of A-Z a-z 0-9 "
          "_ . -, not all digits)");
    FAILS("tenant 1 a/b iface b",
          "t.conf:1: invalid tenant name 'a/b' (1 to 63 of A-Z a-z 0-9 "
          "_ . -, not all digits)");
    FAILS("tenant 1 a234567890123456789012345678901234567890123456789012345"
          "678901234 iface b",
          "t.conf:1: invalid tenant name "
          "'a234567890123456789012345678901234567890' (1 to 63 of A-Z a-z "
          "0-9 _ . -, not all digits)");
    FAILS("tenant 1 red",
          "t.conf:1: tenant red: no interfaces (expected 'iface IFNAME' "
          "or 'ifindex N')");
    FAILS("tenant 1 red # iface em1",
          "t.conf:1: tenant red: no interfaces (expected 'iface IFNAME' "
          "or 'ifindex N')");
    FAILS("tenant 1 red iface",
          "t.conf:1: tenant red: missing interface after 'iface'");
    FAILS("tenant 1 red iface em1 ifindex",
          "t.conf:1: tenant red: missing interface after 'ifindex'");
    FAILS("tenant 1 red port em1",
          "t.conf:1: unknown word 'port' (expected 'iface' or 'ifindex')");
    FAILS("tenant 1 red iface 0123456789abcdef",
          "t.conf:1: invalid interface name '0123456789abcdef' (1 to 15 "
          "characters, not '/' or ':')");
    FAILS("tenant 1 red iface a:1",
          "t.conf:1: invalid interface name 'a:1' (1 to 15 characters, "
          "not '/' or ':')");
    FAILS("tenant 1 red iface ..",
          "t.conf:1: invalid interface name '..' (1 to 15 characters, "
          "not '/' or ':')");
    FAILS("tenant 1 red ifindex 0",
          "t.conf:1: invalid interface index '0' (1 to 2147483647)");
    FAILS("tenant 1 red ifindex 2147483648",
          "t.conf:1: invalid interface index '2147483648' (1 to 2147483647)");
    FAILS("tenant 1 red iface em1\ntenant 1 blue iface em2",
          "t.conf:2: duplicate tenant ID 1 (first on line 1)");
    FAILS("tenant 1 red iface em1\n#\ntenant 2 red iface em2",
          "t.conf:3: duplicate tenant name red (first on line 1)");
    FAILS("tenant 1 red iface em1\ntenant 2 blue iface em2 iface em1",
          "t.conf:2: iface em1 already belongs to tenant red (line 1)");
    FAILS("tenant 1 red ifindex 3 ifindex 3",
          "t.conf:1: ifindex 3 already belongs to tenant red (line 1)");
    FAILS("tenant 1 r\xc3\xa9 iface em1",
          "t.conf:1: invalid character 0xc3 in column 11");
    FAILS("tenant 1 red\vface em1",
          "t.conf:1: invalid character 0x0b in column 13");
    parse_fails("tenant 1 red iface em1\0", 23,
                "t.conf:1: invalid character 0x00 in column 23");

    /* A long word is quoted shortened. */
    char line[200];
    snprintf(line, sizeof line, "tenant 1 red %0100d", 0);
    FAILS(line, "t.conf:1: unknown word "
          "'0000000000000000000000000000000000000000' "
          "(expected 'iface' or 'ifindex')");

    /* Limits. */
    char *big = malloc(16 * (TENANT_MAX_IFACES + 2) + 32);
    int len = sprintf(big, "tenant 1 red");
    for (int i = 0; i <= TENANT_MAX_IFACES; i++) {
        len += sprintf(big + len, " iface e%d", i);
    }
    FAILS(big, "t.conf:1: too many words (a tenant has at most 64 "
          "interfaces)");
    big[len - strlen(" iface e64")] = '\0';
    tenant_map_destroy(parse_ok(big));
    free(big);

    size_t size = (TENANT_MAP_MAX + 1) * 40;
    big = malloc(size);
    len = 0;
    for (int i = 0; i <= TENANT_MAP_MAX; i++) {
        len += snprintf(big + len, size - len, "tenant %d t%d iface e%d\n",
                        i, i, i);
    }
    FAILS(big, "t.conf:4097: too many tenants (at most 4096)");
    free(big);

    /* No message asked for: still an error, no leak. */
    struct tenant_map *map;
    CHECK(tenant_map_parse("x", 1, NULL, &map, NULL) == EINVAL && !map);
}

static void
test_read(const char *dir)
{
    char path[4096];
    struct tenant_map *map;
    char *error;

    snprintf(path, sizeof path, "%s/service-tenant-map-%ld.conf",
             dir, (long) getpid());
    FILE *f = fopen(path, "w");
    CHECK(f != NULL);
    if (!f) {
        return;
    }
    fputs("tenant 7 seven iface em7\ntenant 8 eight bogus\n", f);
    fclose(f);

    CHECK(tenant_map_read(path, &map, &error) == EINVAL && !map);
    char expected[4200];
    snprintf(expected, sizeof expected,
             "%s:2: unknown word 'bogus' (expected 'iface' or 'ifindex')",
             path);
    CHECK(error && !strcmp(error, expected));
    free(error);

    f = fopen(path, "w");
    fputs("tenant 7 seven iface em7\n", f);
    fclose(f);
    CHECK(tenant_map_read(path, &map, &error) == 0 && !error);
    CHECK(tenant_map_find(map, "seven") == tenant_map_lookup(map, "em7", 0));
    tenant_map_destroy(map);

    f = fopen(path, "w");
    fputs("tenant 7 seven iface em7\n\0", f);
    fwrite("\0", 1, 1, f);
    fclose(f);
    CHECK(tenant_map_read(path, &map, &error) == EINVAL && !map);
    snprintf(expected, sizeof expected,
             "%s: not a text file (contains a NUL byte)", path);
    CHECK(error && !strcmp(error, expected));
    free(error);

    unlink(path);
    CHECK(tenant_map_read(path, &map, &error) == ENOENT && !map);
    snprintf(expected, sizeof expected, "%s: %s", path, strerror(ENOENT));
    CHECK(error && !strcmp(error, expected));
    free(error);
}

static void
test_build(void)
{
    struct tenant_map *map = tenant_map_create();
    char *error;

    CHECK(tenant_map_add_iface(map, "api", 0, "em1", 0, &error) == EINVAL);
    CHECK(error && !strcmp(error, "api: iface em1: no tenant to add it to"));
    free(error);
    CHECK(!tenant_map_add(map, "api", 3, 1, "one", NULL));
    CHECK(!tenant_map_add_iface(map, "api", 4, "em1", 0, NULL));
    CHECK(tenant_map_add_iface(map, "api", 5, NULL, 1u << 31, &error)
          == EINVAL);
    CHECK(error && !strcmp(error, "api:5: invalid interface index "
                           "'2147483648' (1 to 2147483647)"));
    free(error);
    CHECK(tenant_map_add_iface(map, "api", 6, "em1", 0, &error) == EINVAL);
    CHECK(error && !strcmp(error, "api:6: iface em1 already belongs to "
                           "tenant one (line 4)"));
    free(error);
    CHECK(tenant_map_lookup(map, "em1", 0) == tenant_map_find(map, "one"));
    tenant_map_destroy(map);
}

/* Tenants from l2mt.conf, the agent's configuration. */
static void
test_conf(void)
{
    static const char good[] =
        "tenant 10 {\n"
        "    name acme\n"
        "    gre-key 10\n"
        "    remote 10.0.0.1\n"
        "    service-v4-port em1\n"
        "    service-v6-port em3\n"
        "}\n"
        "tenant 11 {\n"
        "    remote 10.0.0.1\n"
        "    service-v4-port em2\n"
        "}\n";
    struct l2mt_conf *conf;
    struct tenant_map *map;
    char *error;

    conf = l2mt_conf_parse(good, strlen(good), "l2mt.conf", &error);
    CHECK(conf != NULL);
    if (!conf) {
        fprintf(stderr, "%s", error);
        free(error);
        return;
    }
    CHECK(!tenant_map_from_conf(conf, &map, &error) && !error);
    l2mt_conf_free(conf);
    CHECK(tenant_map_count(map) == 2);
    const struct tenant *acme = tenant_map_find(map, "acme");
    CHECK(acme && acme->id == 10);
    CHECK(tenant_map_lookup(map, "em1", 0) == acme);
    CHECK(tenant_map_lookup(map, "em3", 0) == acme);
    const struct tenant *t11 = tenant_map_find(map, "11");
    CHECK(t11 && !strcmp(t11->name, "tenant11"));
    CHECK(tenant_map_lookup(map, "em2", 0) == t11);
    tenant_map_destroy(map);

    /* Two tenants on one service port: the second one's line. */
    static const char shared[] =
        "tenant 10 {\n"
        "    remote 10.0.0.1\n"
        "    service-v4-port em1\n"
        "}\n"
        "tenant 11 {\n"
        "    remote 10.0.0.1\n"
        "    service-v4-port em2\n"
        "    service-v6-port em1\n"
        "}\n";
    conf = l2mt_conf_parse(shared, strlen(shared), "l2mt.conf", &error);
    if (conf) {
        CHECK(tenant_map_from_conf(conf, &map, &error) == EINVAL && !map);
        CHECK(error && !strcmp(error, "l2mt.conf:8: iface em1 already "
                               "belongs to tenant tenant10 (line 3)"));
        l2mt_conf_free(conf);
    } else {
        /* The configuration parser caught it itself. */
        CHECK(error && strstr(error, "l2mt.conf:8: "));
    }
    free(error);

    /* The configuration's own errors, with the last newline cut. */
    char path[64];
    snprintf(path, sizeof path, "/nonexistent/l2mt-%ld.conf",
             (long) getpid());
    CHECK(tenant_map_read_conf(path, &map, &error) == EINVAL && !map);
    CHECK(error && strstr(error, path) && !strchr(error, '\n'));
    free(error);
}

static struct sockaddr_in6
make_sin6(const char *addr, unsigned int scope_id)
{
    struct sockaddr_in6 sin6;

    memset(&sin6, 0, sizeof sin6);
    sin6.sin6_family = AF_INET6;
    sin6.sin6_port = htons(40000);
    CHECK(inet_pton(AF_INET6, addr, &sin6.sin6_addr) == 1);
    sin6.sin6_scope_id = scope_id;
    return sin6;
}

static enum scope_tenant_result
lookup(const struct tenant_map *map, const char *addr, unsigned int scope_id,
       struct scope_tenant *st)
{
    struct sockaddr_in6 sin6 = make_sin6(addr, scope_id);
    return scope_tenant_lookup(map, (struct sockaddr *) &sin6, sizeof sin6,
                               st);
}

static void
test_scope(void)
{
    /* The loopback interface exists in every network namespace. */
    unsigned int lo = if_nametoindex("lo");
    struct scope_tenant st;
    char text[64];

    CHECK(lo != 0);
    snprintf(text, sizeof text, "tenant 5 five iface lo\n"
             "tenant 6 six ifindex %u\n", lo + 1000000);
    struct tenant_map *map = parse_ok(text);

    CHECK(lookup(map, "fe80::c0a8:a", lo, &st) == SCOPE_TENANT_FOUND);
    CHECK(!strcmp(st.ifname, "lo") && st.ifindex == lo);
    CHECK(st.tenant && !strcmp(st.tenant->name, "five"));
    CHECK(lookup(map, "febf:ffff::1", lo, &st) == SCOPE_TENANT_FOUND);

    /* Without a map: the interface only. */
    CHECK(lookup(NULL, "fe80::1", lo, &st) == SCOPE_TENANT_UNMAPPED);
    CHECK(!strcmp(st.ifname, "lo") && !st.tenant);

    /* A scope id that names no interface gives no tenant, even when the
     * map has that index: the interface is gone. */
    CHECK(lookup(map, "fe80::1", lo + 1000000, &st)
          == SCOPE_TENANT_NO_IFACE);
    CHECK(!st.ifname[0] && !st.tenant && st.ifindex == lo + 1000000);

    /* Not link-local: no tenant, never a guess from the interface. */
    static const char *const others[] = {
        "::ffff:192.168.0.10", "::ffff:127.0.0.1", "::1", "2001:db8::1",
        "fd00::c0a8:a", "fec0::1", "ff02::1", "::", "fe00::1",
    };
    for (size_t i = 0; i < sizeof others / sizeof *others; i++) {
        CHECK(lookup(map, others[i], lo, &st) == SCOPE_TENANT_NOT_LINK_LOCAL);
        CHECK(!st.ifname[0] && !st.tenant && !st.ifindex);
    }

    /* Link-local without a scope id. */
    CHECK(lookup(map, "fe80::1", 0, &st) == SCOPE_TENANT_NOT_LINK_LOCAL);

    /* IPv4 and short addresses. */
    struct sockaddr_in sin;
    memset(&sin, 0, sizeof sin);
    sin.sin_family = AF_INET;
    sin.sin_addr.s_addr = htonl(0xc0a8000a);
    CHECK(scope_tenant_lookup(map, (struct sockaddr *) &sin, sizeof sin, &st)
          == SCOPE_TENANT_NOT_LINK_LOCAL && !st.tenant);
    struct sockaddr_in6 sin6 = make_sin6("fe80::1", lo);
    CHECK(scope_tenant_lookup(map, (struct sockaddr *) &sin6, sizeof sin,
                              &st) == SCOPE_TENANT_NOT_LINK_LOCAL);
    CHECK(scope_tenant_lookup(map, NULL, 0, &st)
          == SCOPE_TENANT_NOT_LINK_LOCAL);

    CHECK(!strcmp(scope_tenant_result_to_string(SCOPE_TENANT_FOUND),
                  "tenant"));
    CHECK(!strcmp(scope_tenant_result_to_string(
                      SCOPE_TENANT_NOT_LINK_LOCAL), "not link-local"));
    tenant_map_destroy(map);
}

/* A real accepted connection over loopback: the peer is ::1 or
 * ::ffff:127.0.0.1, so no tenant, and a bad descriptor gives none. */
static void
test_scope_fd(void)
{
    struct scope_tenant st;
    int listener = socket(AF_INET6, SOCK_STREAM, 0);
    struct sockaddr_in6 sin6 = make_sin6("::1", 0);
    socklen_t len = sizeof sin6;

    sin6.sin6_port = 0;
    if (listener < 0
        || bind(listener, (struct sockaddr *) &sin6, sizeof sin6)
        || listen(listener, 1)
        || getsockname(listener, (struct sockaddr *) &sin6, &len)) {
        fprintf(stderr, "no IPv6 loopback, skipping the socket test\n");
        if (listener >= 0) {
            close(listener);
        }
        return;
    }
    int client = socket(AF_INET6, SOCK_STREAM, 0);
    CHECK(!connect(client, (struct sockaddr *) &sin6, sizeof sin6));
    int server = accept(listener, NULL, NULL);
    CHECK(server >= 0);
    CHECK(scope_tenant_lookup_fd(NULL, server, &st)
          == SCOPE_TENANT_NOT_LINK_LOCAL && !st.tenant);
    CHECK(scope_tenant_lookup_fd(NULL, -1, &st)
          == SCOPE_TENANT_NOT_LINK_LOCAL);
    close(server);
    close(client);
    close(listener);
}

int
main(void)
{
    const char *dir = getenv("TMPDIR");

    test_parse();
    test_parse_errors();
    test_read(dir && dir[0] ? dir : "/tmp");
    test_build();
    test_conf();
    test_scope();
    test_scope_fd();

    printf("%d checks, %d failed\n", n_checks, n_failures);
    return n_failures ? 1 : 0;
}
