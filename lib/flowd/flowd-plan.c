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

#include <config.h>
#include "flowd/flowd-plan.h"

#include <math.h>
#include <string.h>

#include "l2mt-conf-util.h"

void
flowd_plan_defaults(struct flowd_plan_params *p)
{
    memset(p, 0, sizeof *p);
    p->rate = 1000;
    p->interval = 60;
    p->c = 0.5;
    p->alpha = 1.73;
    p->max_packets = 1e6;
    p->capacity = 2e6;
    p->fan_in = 16;
}

char *
flowd_plan(const struct flowd_plan_params *p, struct flowd_plan_result *r)
{
    memset(r, 0, sizeof *r);
    if (!(p->pps >= 0) || !(p->rate >= 1) || !(p->interval > 0)
        || !(p->flows >= 0) || !(p->c > 0) || !(p->alpha > 0)
        || !(p->max_packets >= 1) || p->max_packets > 1e9
        || !(p->capacity > 0) || !(p->fan_in >= 2)) {
        return l2mt_xstrdup("parameters: pps >= 0, rate >= 1, interval > 0, "
                            "flows >= 0, c > 0, alpha > 0, "
                            "1 <= max-packets <= 1e9, capacity > 0, "
                            "fan-in >= 2");
    }

    double sum_p = 0, sum_xp = 0, sum_wp = 0;
    double keep = 1 - 1 / p->rate;      /* Probability a packet is skipped. */
    uint64_t max = p->max_packets;
    for (uint64_t x = 1; x <= max; x++) {
        double px = p->c * pow(x, -p->alpha);
        sum_p += px;
        sum_xp += x * px;
        sum_wp += (1 - pow(keep, x)) * px;
    }
    r->p_sum = sum_p;
    r->mean_packets = sum_xp / sum_p;
    r->samples_per_s = p->pps / p->rate;
    r->samples_per_interval = r->samples_per_s * p->interval;
    r->flows_all = p->flows > 0 ? p->flows
                                : p->pps * p->interval / r->mean_packets;
    r->flows_sampled = sum_wp * r->flows_all;
    r->sampled_fraction = r->flows_all ? r->flows_sampled / r->flows_all : 0;

    double n = ceil(r->samples_per_s / p->capacity);
    r->collectors[0] = n < 1 ? 1 : n;
    r->levels = 1;
    while (r->collectors[r->levels - 1] > 1 && r->levels < 8) {
        r->collectors[r->levels] = ceil(r->collectors[r->levels - 1]
                                        / p->fan_in);
        r->levels++;
    }
    return NULL;
}
