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

/* libFuzzer target for the sFlow v5 decoder. */

#include <config.h>
#include "flowd/sflow.h"

#include <stdlib.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static struct flowd_sflow_datagram *dg;

    if (!dg) {
        dg = malloc(sizeof *dg);
    }
    if (flowd_sflow_decode(data, size, dg) == FLOWD_SFLOW_OK) {
        /* Touch everything delivered, so ASan sees any bad pointer. */
        unsigned int sum = 0;
        for (uint32_t i = 0; i < dg->n_samples; i++) {
            const struct flowd_sflow_flow *f = &dg->samples[i].flow;
            if (dg->samples[i].type == FLOWD_SFLOW_FLOW && f->has_header) {
                for (uint32_t j = 0; j < f->header_length; j++) {
                    sum += f->header[j];
                }
            }
        }
        if (sum == 0xffffffff) {
            abort();
        }
    } else if (dg->n_samples) {
        abort();                /* A rejected datagram delivered samples. */
    }
    return 0;
}
