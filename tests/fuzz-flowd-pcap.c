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

/* libFuzzer target for the pcap recording reader, feeding what it yields
 * to the sFlow decoder as the benchmark does. */

#include <config.h>
#include "flowd/flowd-pcap.h"
#include "flowd/sflow.h"

#include <stdlib.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static struct flowd_sflow_datagram *dg;
    struct flowd_pcap pc;
    const uint8_t *payload;
    size_t len;
    uint64_t ts;

    if (!dg) {
        dg = malloc(sizeof *dg);
    }
    if (flowd_pcap_open(&pc, data, size)) {
        while (flowd_pcap_next(&pc, &payload, &len, &ts)) {
            if (payload < data || payload + len > data + size) {
                abort();
            }
            flowd_sflow_decode(payload, len, dg);
        }
    }
    return 0;
}
