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

#ifndef L2MT_FLOWD_PLAN_H
#define L2MT_FLOWD_PLAN_H 1

/* Capacity planning with the seed's model.  Flow sizes x (packets) follow
 * p(x) = c * x^-alpha for x = 1 .. max_packets (c = 0.5, alpha = 1.73 by
 * default).  A flow of x packets is sampled at 1-in-r with probability
 * 1 - (1 - 1/r)^x, so an interval with f_all flows yields
 *     f = sum over x of (1 - (1 - 1/r)^x) p(x) f_all
 * sampled flows.  f_all, when not given, is the interval's packets divided
 * by the mean flow size sum x p(x) / sum p(x). */

#include <stdint.h>

struct flowd_plan_params {
    double pps;                 /* Packets per second, all agents. */
    double rate;                /* Sampling: 1 in 'rate'. */
    double interval;            /* Seconds. */
    double flows;               /* Flows per interval; 0: derive. */
    double c, alpha;
    double max_packets;         /* Largest flow size in the sum. */
    double capacity;            /* Samples/s one collector handles. */
    double fan_in;              /* Collectors one upstream takes. */
};

struct flowd_plan_result {
    double p_sum;               /* sum p(x): how far p is from normalized. */
    double mean_packets;        /* Mean flow size. */
    double samples_per_s;
    double samples_per_interval;
    double flows_all;
    double flows_sampled;       /* f: records per interval at flow level. */
    double sampled_fraction;    /* f / f_all. */
    int levels;                 /* Collector tree levels. */
    double collectors[8];       /* Collectors per level, leaves first. */
};

void flowd_plan_defaults(struct flowd_plan_params *);
/* Returns NULL, or a malloc'd message about a bad parameter for the
 * caller to free. */
char *flowd_plan(const struct flowd_plan_params *, struct flowd_plan_result *)
    __attribute__((warn_unused_result));

#endif /* flowd-plan.h */
