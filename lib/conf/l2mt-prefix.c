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
#include "l2mt-prefix.h"

#include <arpa/inet.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "nat64.h"

static int prefix_error(char **errp, const char *s, const char *format, ...)
    __attribute__((format(printf, 3, 4)));

/* Parses 's', an IPv6 /96 prefix such as "64:ff9b::/96", into the 12
 * bytes of 'prefix' (network byte order).  Returns 0 on success.  On
 * failure returns EINVAL, leaves 'prefix' unchanged and, if 'errp' is
 * nonnull, stores in '*errp' an error message that the caller must free().
 *
 * This checks the syntax: an IPv6 address, "/96", no bits set after the
 * prefix length.  The rules for the prefix itself (RFC 6052 bits 64 to 71
 * zero; not multicast, IPv4-mapped ::ffff:0:0/96 or IPv4-compatible ::/96)
 * are the translator core's l2mt_prefix_check(), so that the kernel module
 * and Open vSwitch's OpenFlow decoder refuse exactly what this refuses. */
int
l2mt_prefix_parse(const char *s, uint8_t prefix[12], char **errp)
{
    static const uint8_t zeros[4];
    enum l2mt_prefix_error error;
    char addr_s[INET6_ADDRSTRLEN];
    struct in6_addr addr;
    const char *slash;
    size_t addr_len;

    if (errp) {
        *errp = NULL;
    }

    slash = strchr(s, '/');
    if (!slash) {
        return prefix_error(errp, s, "missing prefix length "
                            "(write it as ADDRESS/96, e.g. 64:ff9b::/96)");
    }
    if (strcmp(slash + 1, "96")) {
        return prefix_error(errp, s, "prefix length must be 96 "
                            "(only RFC 6052 /96 prefixes are supported)");
    }

    addr_len = slash - s;
    if (addr_len >= sizeof addr_s) {
        return prefix_error(errp, s, "address too long");
    }
    memcpy(addr_s, s, addr_len);
    addr_s[addr_len] = '\0';
    if (inet_pton(AF_INET6, addr_s, &addr) != 1) {
        return prefix_error(errp, s, "\"%s\" is not an IPv6 address",
                            addr_s);
    }

    if (memcmp(&addr.s6_addr[12], zeros, 4)) {
        return prefix_error(errp, s, "bits after the /96 must be zero");
    }
    /* The rules themselves live in the translator core, which every
     * component (OpenFlow decode, the kernel module) applies too. */
    error = l2mt_prefix_check(addr.s6_addr);
    if (error != L2MT_PREFIX_OK) {
        return prefix_error(errp, s, "%s", l2mt_prefix_error_string(error));
    }

    memcpy(prefix, addr.s6_addr, 12);
    return 0;
}

/* Writes 'prefix' to 's' in the form l2mt_prefix_parse() accepts, e.g.
 * "fe80::/96". */
void
l2mt_prefix_format(const uint8_t prefix[12], char s[L2MT_PREFIX_STRLEN])
{
    struct in6_addr addr;

    memset(&addr, 0, sizeof addr);
    memcpy(addr.s6_addr, prefix, 12);
    inet_ntop(AF_INET6, &addr, s, INET6_ADDRSTRLEN);
    strcat(s, "/96");
}

static int
prefix_error(char **errp, const char *s, const char *format, ...)
{
    if (errp) {
        char reason[128];
        va_list args;
        size_t size;

        va_start(args, format);
        vsnprintf(reason, sizeof reason, format, args);
        va_end(args);

        /* Quote at most 64 bytes of the input: it may be anything. */
        size = strlen(reason) + 96;
        *errp = malloc(size);
        if (*errp) {
            snprintf(*errp, size, "%.64s: %s", s, reason);
        }
    }
    return EINVAL;
}
