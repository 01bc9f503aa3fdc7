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

#ifndef L2MT_AGENT_RUN_H
#define L2MT_AGENT_RUN_H 1

/* Runs the agent's command lines (ovs-vsctl, ovs-ofctl, ip) without a
 * shell. */

#include "agent/cmd.h"

/* Runs the command with 'input' (may be NULL) on its stdin, kills it after
 * 'timeout' seconds.  Stores its stdout and stderr in '*out' and '*err'
 * (caller frees; either pointer may be NULL to discard).  Returns its exit
 * status, or -1 if it could not run, was killed or timed out ('*err' then
 * says why). */
int agent_cmd_run(const struct agent_cmd *, const char *input,
                  int timeout, char **out, char **err);

#endif /* l2mt-agent-run.h */
