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
#include "flowd-log.h"

#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/time.h>
#include <time.h>

static FILE *log_file;
static enum flog_level max_level = FLOG_INFO;
static bool console = true;
static unsigned int seq;

/* The receive and writer threads both log, and SIGHUP reopens the file. */
static pthread_mutex_t mutex = PTHREAD_MUTEX_INITIALIZER;

bool
flog_open(const char *path)
{
    FILE *f = fopen(path, "a");

    if (!f) {
        return false;
    }
    setvbuf(f, NULL, _IOLBF, 0);
    pthread_mutex_lock(&mutex);
    if (log_file) {
        fclose(log_file);
    }
    log_file = f;
    pthread_mutex_unlock(&mutex);
    return true;
}

void
flog_set_level(enum flog_level level)
{
    max_level = level;
}

void
flog_set_console(bool on)
{
    console = on;
}

void
flog(enum flog_level level, const char *module, const char *fmt, ...)
{
    static const char *names[] = { "ERR", "WARN", "INFO", "DBG" };
    char line[1024];
    struct timeval tv;
    struct tm tm;
    va_list args;

    if (level > max_level) {
        return;
    }
    pthread_mutex_lock(&mutex);
    gettimeofday(&tv, NULL);
    gmtime_r(&tv.tv_sec, &tm);
    int n = strftime(line, sizeof line, "%Y-%m-%dT%H:%M:%S", &tm);
    n += snprintf(line + n, sizeof line - n, ".%03ldZ|%05u|%s|%s|",
                  (long) tv.tv_usec / 1000, ++seq, module, names[level]);
    va_start(args, fmt);
    vsnprintf(line + n, sizeof line - n, fmt, args);
    va_end(args);

    if (console) {
        fprintf(stderr, "%s\n", line);
    }
    if (log_file) {
        fprintf(log_file, "%s\n", line);
    }
    pthread_mutex_unlock(&mutex);
}
