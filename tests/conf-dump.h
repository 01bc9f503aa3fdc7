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

#ifndef CONF_DUMP_H
#define CONF_DUMP_H 1

#include <stdio.h>

struct l2mt_conf;

/* Prints every setting of 'c' to 'out', defaults filled in, one line per
 * block (hosts, their sflow and ipsec, tenants, profiles, ports). */
void conf_dump(FILE *out, const struct l2mt_conf *c);

#endif /* conf-dump.h */
