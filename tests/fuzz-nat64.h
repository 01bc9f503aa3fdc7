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

#ifndef FUZZ_NAT64_H
#define FUZZ_NAT64_H 1

#include <stddef.h>
#include <stdint.h>
#include "nat64.h"

/* The configuration of the input being fuzzed. */
extern struct l2mt_cfg fuzz_cfg;

/* Translates one fuzz input in 'mode' and checks the invariants (see
 * fuzz-nat64.c); aborts on a violation. */
int fuzz_one(enum l2mt_mode mode, const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#endif /* fuzz-nat64.h */
