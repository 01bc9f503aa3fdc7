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

/* libFuzzer target for the saved-interval reader (files a restart loads),
 * followed by everything that renders a loaded interval. */

#include <config.h>
#include "flowd/flowd-interval.h"
#include "flowd/flowd-metrics.h"
#include "flowd/flowd-output.h"
#include "flowd/ipfix.h"

#include <stdio.h>
#include <stdlib.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static bool
discard(void *aux, const uint8_t *msg, size_t len)
{
    (void) aux;
    (void) msg;
    return len > 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *error;
    struct flowd_interval *iv = flowd_interval_decode(data, size, &error);

    free(error);

    if (iv) {
        FILE *null = fopen("/dev/null", "w");
        struct flowd_ipfix_exporter exp = { .n = 1, .domain = 1 };
        struct flowd_interval *ivs[1] = { iv };

        static struct flowd_metrics m;
        static bool m_init;
        if (!m_init) {
            m_init = flowd_metrics_init(&m, 1000);
        }
        flowd_metrics_interval(&m, iv);
        flowd_output_json(null, iv);
        flowd_output_csv(null, iv);
        flowd_output_html(null, ivs, 1, 3, "fuzz", NULL);
        flowd_ipfix_encode(&exp, 0, iv, 0, discard, NULL);
        fclose(null);
        flowd_interval_free(iv);
    }
    return 0;
}
