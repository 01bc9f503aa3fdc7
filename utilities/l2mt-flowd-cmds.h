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

#ifndef L2MT_FLOWD_CMDS_H
#define L2MT_FLOWD_CMDS_H 1

/* l2mt-flowd query | plan | advise: each takes its own argv (argv[0] is
 * the command's name) and returns the exit status. */
int flowd_cmd_query(int argc, char *argv[]);
int flowd_cmd_plan(int argc, char *argv[]);
int flowd_cmd_advise(int argc, char *argv[]);

/* The value of option --'name', a number in 'min'..'max', or exits. */
unsigned int flowd_parse_uint(const char *name, const char *s,
                              unsigned int min, unsigned int max);

/* The long name of the option whose getopt_long() value is 'code' in
 * 'opts' ("" if none has it). */
struct option;
const char *flowd_option_name(const struct option *opts, int code);

/* l2mt-flowd --help. */
void flowd_usage(void);

#endif /* l2mt-flowd-cmds.h */
