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

/* libFuzzer target: the scope server's request reader on any bytes, which
 * it must read within their length (ASan) and classify consistently. */

#include <config.h>

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "scope-request.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct scope_request r = scope_request_parse((const char *) data, size);

    /* A plain client is done exactly when its line is. */
    if (!r.http && r.done != (memchr(data, '\n', size) != NULL)) {
        abort();
    }
    /* What a prefix decided, the whole request keeps. */
    struct scope_request half = scope_request_parse((const char *) data,
                                                    size / 2);
    if (half.done && (!r.done || half.http != r.http)) {
        abort();
    }
    return 0;
}
