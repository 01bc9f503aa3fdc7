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

/* The translator core's prefix rules, l2mt_prefix_check(): every rule
 * refuses what it must (and is reached, so a new reason needs a case),
 * prefixes at the edge of each rule are accepted, and every reason has its
 * own explanation. */

#include <config.h>
#include "nat64-test.h"
#include <stdio.h>
#include <string.h>

#define P(...) { __VA_ARGS__ }

static const struct {
    const char *name;
    uint8_t prefix[12];
    enum l2mt_prefix_error want;
} cases[] = {
    /* Accepted: the default, RFC 6052's well-known prefix, a documentation
     * prefix with every byte but 8 set, and the neighbours of each rule. */
    { "fe80::/96", P(0xfe, 0x80), L2MT_PREFIX_OK },
    { "64:ff9b::/96", P(0, 0x64, 0xff, 0x9b), L2MT_PREFIX_OK },
    { "2001:db8:1:2:3:4::/96",
      P(0x20, 0x01, 0x0d, 0xb8, 0, 1, 0, 2, 0, 3, 0, 4), L2MT_PREFIX_OK },
    { "2001:db8:0:0:ff:ffff::/96 (bits 72-79 may be set)",
      P(0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0xff, 0xff, 0xff),
      L2MT_PREFIX_OK },
    { "fe00::/96 (0xfe, not multicast)", P(0xfe), L2MT_PREFIX_OK },
    { "::1:0:0/96 (neither ::/96 nor ::ffff:0:0/96)",
      P(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1), L2MT_PREFIX_OK },
    { "::ff:0:0/96", P(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff),
      L2MT_PREFIX_OK },
    { "::ff00:0:0/96", P(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff),
      L2MT_PREFIX_OK },
    { "0:0:0:0:1:ffff::/96 (::ffff:0:0/96 one bit higher)",
      P(0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0xff, 0xff), L2MT_PREFIX_OK },
    { "::1:0:0:0/96 (::/96 with bit 79 set)",
      P(0, 0, 0, 0, 0, 0, 0, 0, 0, 1), L2MT_PREFIX_OK },
    { "100::/96 (::/96 with bit 7 set)", P(1), L2MT_PREFIX_OK },

    /* Refused, each rule alone and each with the edges of its range. */
    { "2001:db8::ff00:0:0:0/96 (bits 64-71 all set)",
      P(0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0xff),
      L2MT_PREFIX_BITS_64_71 },
    { "2001:db8::100:0:0:0/96 (bit 71 set)",
      P(0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0x01),
      L2MT_PREFIX_BITS_64_71 },
    { "2001:db8::8000:0:0:0/96 (bit 64 set)",
      P(0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0x80),
      L2MT_PREFIX_BITS_64_71 },
    { "ff02::/96", P(0xff, 0x02), L2MT_PREFIX_MULTICAST },
    { "ff00::/96", P(0xff), L2MT_PREFIX_MULTICAST },
    { "ff0e:1:2:3:0:4::/96",
      P(0xff, 0x0e, 0, 1, 0, 2, 0, 3, 0, 0, 0, 4), L2MT_PREFIX_MULTICAST },
    { "::ffff:0:0/96", P(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff),
      L2MT_PREFIX_IPV4_MAPPED },
    { "::/96", P(0), L2MT_PREFIX_IPV4_COMPAT },

    /* Two rules broken: the first in the list is named. */
    { "ff02::100:0:0:0/96 (multicast, bit 71)",
      P(0xff, 0x02, 0, 0, 0, 0, 0, 0, 0x01), L2MT_PREFIX_BITS_64_71 },
};

int
main(void)
{
    bool seen[L2MT_N_PREFIX_ERRORS] = { false };
    size_t i, j;

    for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        enum l2mt_prefix_error got = l2mt_prefix_check(cases[i].prefix);

        if (t_check(got == cases[i].want, cases[i].name,
                    "got %s (%d), want %s (%d)",
                    l2mt_prefix_error_string(got), (int) got,
                    l2mt_prefix_error_string(cases[i].want),
                    (int) cases[i].want)) {
            seen[cases[i].want] = true;
        }
    }

    for (i = 0; i < L2MT_N_PREFIX_ERRORS; i++) {
        const char *s = l2mt_prefix_error_string(i);

        t_check(seen[i], "every prefix rule is reached",
                "no passing case for \"%s\"", s);
        t_check(s[0] && strcmp(s, "unknown"), "every reason is explained",
                "reason %zu has no string", i);
        for (j = 0; j < i; j++) {
            t_check(strcmp(s, l2mt_prefix_error_string(j)),
                    "every reason is explained differently",
                    "reasons %zu and %zu both say \"%s\"", j, i, s);
        }
    }
    t_check(!strcmp(l2mt_prefix_error_string(L2MT_N_PREFIX_ERRORS),
                    "unknown"), "an out-of-range reason", "not \"unknown\"");
    return t_summary("test-nat64-prefix");
}
