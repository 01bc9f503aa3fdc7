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
#include "l2mt-agent-log.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>
#include <time.h>

#include "l2mt-conf-util.h"

static FILE *log_file;
static char *log_name;
static bool verbose;
static bool console = true;
static unsigned int seq;

static const char *const level_names[] = { "ERR", "WARN", "INFO", "DBG" };

int
agent_log_open(const char *file)
{
    if (log_file) {
        fclose(log_file);
        log_file = NULL;
    }
    free(log_name);
    log_name = NULL;
    if (!file) {
        return 0;
    }
    log_file = fopen(file, "a");
    if (!log_file) {
        return errno;
    }
    setvbuf(log_file, NULL, _IOLBF, 0);
    log_name = l2mt_xstrdup(file);
    return 0;
}

/* For log rotation: reopens the same path. */
void
agent_log_reopen(void)
{
    if (log_name) {
        char *name = l2mt_xstrdup(log_name);

        agent_log_open(name);
        free(name);
    }
}

void
agent_log_set_verbose(bool v)
{
    verbose = v;
}

void
agent_log_set_console(bool c)
{
    console = c;
}

void
agent_log(enum agent_log_level level, const char *fmt, ...)
{
    char stamp[64], msg[2048];
    struct timeval tv;
    struct tm tm;
    va_list args;

    if (level == AGENT_DBG && !verbose) {
        return;
    }
    gettimeofday(&tv, NULL);
    gmtime_r(&tv.tv_sec, &tm);
    strftime(stamp, sizeof stamp, "%Y-%m-%dT%H:%M:%S", &tm);
    va_start(args, fmt);
    vsnprintf(msg, sizeof msg, fmt, args);
    va_end(args);
    seq++;
    if (log_file) {
        fprintf(log_file, "%s.%03dZ|%05u|l2mt_agent|%s|%s\n", stamp,
                (int) (tv.tv_usec / 1000), seq, level_names[level], msg);
    }
    if (console && (level <= AGENT_WARN || verbose)) {
        fprintf(stderr, "%s.%03dZ|%05u|l2mt_agent|%s|%s\n", stamp,
                (int) (tv.tv_usec / 1000), seq, level_names[level], msg);
    }
}
