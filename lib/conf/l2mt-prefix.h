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

#ifndef L2MT_PREFIX_H
#define L2MT_PREFIX_H 1

/* Parsing and printing the translator's /96 prefix (RFC 6052) in user
 * space, e.g. "fe80::/96", "64:ff9b::/96", "2001:db8:64::/96". */

#include <stdint.h>

/* The longest string l2mt_prefix_format() writes, with its null. */
#define L2MT_PREFIX_STRLEN 50

/* The prefix used when none is configured. */
#define L2MT_PREFIX_DEFAULT "fe80::/96"

int l2mt_prefix_parse(const char *s, uint8_t prefix[12], char **errp);
void l2mt_prefix_format(const uint8_t prefix[12],
                        char s[L2MT_PREFIX_STRLEN]);

#endif /* l2mt-prefix.h */
