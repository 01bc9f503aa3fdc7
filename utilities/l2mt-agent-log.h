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

#ifndef L2MT_AGENT_LOG_H
#define L2MT_AGENT_LOG_H 1

/* Logging in Open vSwitch's vlog format:
 * 2026-11-21T08:00:00.000Z|00001|l2mt_agent|INFO|message
 * to a log file (all levels up to INFO, or DBG when verbose) and to stderr
 * (WARN and ERR only, unless verbose). */

#include <stdbool.h>

enum agent_log_level { AGENT_ERR, AGENT_WARN, AGENT_INFO, AGENT_DBG };

/* Opens 'file' for appending (NULL closes it).  Returns 0 or errno. */
int agent_log_open(const char *file);
void agent_log_reopen(void);
void agent_log_set_verbose(bool);
void agent_log_set_console(bool);

void agent_log(enum agent_log_level, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

#define AGENT_ERR(...) agent_log(AGENT_ERR, __VA_ARGS__)
#define AGENT_WARN(...) agent_log(AGENT_WARN, __VA_ARGS__)
#define AGENT_INFO(...) agent_log(AGENT_INFO, __VA_ARGS__)
#define AGENT_DBG(...) agent_log(AGENT_DBG, __VA_ARGS__)

#endif /* l2mt-agent-log.h */
