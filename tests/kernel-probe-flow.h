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

#ifndef KERNEL_PROBE_FLOW_H
#define KERNEL_PROBE_FLOW_H 1

/* "kernel-probe nat64-flow DATAPATH PREFIX": asks the kernel datapath
 * DATAPATH (e.g. ovs-system) to install an IPv4 flow whose one action is
 * nat64 mode 4toll6 with the first 12 bytes of IPv6 address PREFIX, as
 * they are.  Prints "accepted" (and deletes the flow again) and returns 0,
 * or prints "refused: ERROR" and returns 1; 2 when it cannot ask. */
int kernel_probe_nat64_flow(const char *dp_name, const char *prefix);

#endif /* kernel-probe-flow.h */
