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

#ifndef L2MT_IPFIX_SINK_H
#define L2MT_IPFIX_SINK_H 1

/* For the flowd unit tests: keeps the messages flowd_ipfix_encode() hands its
 * output callback, so that a test can read the records back. */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include "flowd/ipfix.h"

#define IPFIX_SINK_MAX 64

struct ipfix_sink {
    uint8_t msgs[IPFIX_SINK_MAX][FLOWD_IPFIX_MTU];
    size_t lens[IPFIX_SINK_MAX];
    size_t n;               /* Messages kept; any beyond the 64th are not. */
};

/* flowd_ipfix_encode()'s output callback; 'sink_' is a struct ipfix_sink. */
static inline bool
ipfix_sink_collect(void *sink_, const uint8_t *data, size_t len)
{
    struct ipfix_sink *s = sink_;

    if (s->n < IPFIX_SINK_MAX) {
        memcpy(s->msgs[s->n], data, len);
        s->lens[s->n++] = len;
    }
    return true;
}

#endif /* ipfix-sink.h */
