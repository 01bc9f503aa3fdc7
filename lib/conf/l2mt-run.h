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

#ifndef L2MT_RUN_H
#define L2MT_RUN_H 1

/* Runs a program and collects what it prints: the agent's ovs-vsctl,
 * ovs-ofctl and ip commands, l2mt-flowd's l2mt-ctl.  No shell, no
 * Open vSwitch (the light build's libflowd uses it too). */

#include <stddef.h>

/* Runs argv[0] (looked up in PATH) with 'argv', 'input' (may be NULL) on its
 * stdin, and kills it after 'timeout' seconds.  Stores its stdout in '*out'
 * ('*out_len' bytes, NUL-terminated) and its stderr in '*err' (caller
 * frees; 'out', 'out_len' and 'err' may be NULL to discard).  Returns its
 * exit status, or -1 if it could not run, was killed or timed out ('*err'
 * then says why). */
int l2mt_run(char *const argv[], const char *input, int timeout,
             char **out, size_t *out_len, char **err);

#endif /* l2mt-run.h */
