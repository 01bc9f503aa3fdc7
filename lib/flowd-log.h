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

#ifndef L2MT_FLOWD_LOG_H
#define L2MT_FLOWD_LOG_H 1

/* Logging in Open vSwitch's vlog format:
 *     2026-11-21T08:00:00.000Z|00001|module|INFO|message
 * to stderr and, once flog_open() succeeds, to a log file. */

#include <stdbool.h>

enum flog_level { FLOG_ERR, FLOG_WARN, FLOG_INFO, FLOG_DBG };

bool flog_open(const char *path);      /* Reopens on each call (logrotate). */
void flog_set_level(enum flog_level);
void flog_set_console(bool);           /* Also to stderr (default true). */
void flog(enum flog_level, const char *module, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

#endif /* flowd-log.h */
