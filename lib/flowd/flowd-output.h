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

#ifndef L2MT_FLOWD_OUTPUT_H
#define L2MT_FLOWD_OUTPUT_H 1

/* What a closed interval becomes for people and tools: JSON and CSV files,
 * and a self-contained HTML report with SVG stacked area charts over the
 * recent intervals.  Reads the built-in aggregations "class", "tenant",
 * "vlan" and "port_vlan" (see flowd_builtin_aggs). */

#include <stddef.h>
#include <stdio.h>

#include "flowd/flow-agg.h"

struct flowd_interval_agg;

struct flowd_interval;

/* The aggregations every daemon runs, for the report and metrics, as
 * --aggregate specifications and by name. */
extern const char *const flowd_builtin_aggs[];
extern const char *const flowd_builtin_names[];
/* The ones the report draws for every interval of its history (the
 * others only for the last). */
extern const char *const flowd_history_names[];

/* Built-in aggregation 'name' of 'iv', or NULL if it is missing or its
 * keys are not the built-in ones (a damaged or foreign interval file). */
const struct flowd_interval_agg *flowd_interval_builtin(
    const struct flowd_interval *, const char *name);

void flowd_output_json(FILE *, const struct flowd_interval *);
void flowd_output_csv(FILE *, const struct flowd_interval *);

/* 'ivs' oldest first; 'top' series per chart before "other"; 'extra'
 * (HTML, may be NULL) is a last section, e.g. flowd_advise_html()'s. */
void flowd_output_html(FILE *, struct flowd_interval *const *ivs, size_t n,
                       size_t top, const char *title, const char *extra);

/* Writes "k1=v1|k2=v2" for row 'key' of 'def'. */
void flowd_format_key(const struct flowd_agg_def *, const uint8_t *key,
                      const struct flowd_interval *, char *out, size_t size);

#endif /* flowd-output.h */
