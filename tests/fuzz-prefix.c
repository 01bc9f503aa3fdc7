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

/* libFuzzer target for l2mt_prefix_parse(): any input gives either a prefix
 * that prints and parses back to itself and that the core's
 * l2mt_prefix_check() accepts (what the kernel module and Open vSwitch's
 * OpenFlow decoder apply), or an error message; never a crash, a leak or
 * undefined behavior. */

#include <config.h>

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "l2mt-prefix.h"
#include "nat64.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char s[L2MT_PREFIX_STRLEN];
    uint8_t prefix[12], again[12];
    char *error;
    char *input;

    input = malloc(size + 1);
    if (!input) {
        return 0;
    }
    memcpy(input, data, size);
    input[size] = '\0';

    if (!l2mt_prefix_parse(input, prefix, &error)) {
        if (error) {
            abort();
        }
        l2mt_prefix_format(prefix, s);
        if (strlen(s) >= L2MT_PREFIX_STRLEN
            || l2mt_prefix_check(prefix) != L2MT_PREFIX_OK
            || l2mt_prefix_parse(s, again, NULL)
            || memcmp(prefix, again, sizeof prefix)) {
            abort();
        }
    } else if (!error || !error[0]) {
        abort();
    }
    free(error);
    free(input);
    return 0;
}
