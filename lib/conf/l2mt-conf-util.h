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

#ifndef L2MT_CONF_UTIL_H
#define L2MT_CONF_UTIL_H 1

/* Small helpers shared by the config parser and the programs that use it:
 * allocation that aborts on exhaustion, a growable string, whole-file
 * reads. */

#include <stdarg.h>
#include <stddef.h>

void *l2mt_xmalloc(size_t);
void *l2mt_xzalloc(size_t);
void *l2mt_xrealloc(void *, size_t);
char *l2mt_xstrdup(const char *);
char *l2mt_xstrndup(const char *, size_t);
char *l2mt_xasprintf(const char *fmt, ...)
    __attribute__((format(printf, 1, 2)));

/* A growable NUL-terminated string.  Zero-initialize before use. */
struct l2mt_str {
    char *s;
    size_t len, alloc;
};

void l2mt_str_printf(struct l2mt_str *, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
void l2mt_str_vprintf(struct l2mt_str *, const char *fmt, va_list)
    __attribute__((format(printf, 2, 0)));
void l2mt_str_put(struct l2mt_str *, const char *, size_t);
const char *l2mt_str_cstr(struct l2mt_str *);
char *l2mt_str_steal(struct l2mt_str *);
void l2mt_str_clear(struct l2mt_str *);
void l2mt_str_free(struct l2mt_str *);

/* Reads all of 'file' into a malloc'd, NUL-terminated '*textp' of '*lenp'
 * bytes.  Returns 0 or an errno value. */
int l2mt_read_file(const char *file, char **textp, size_t *lenp);

/* Replaces 'file' by 'text' atomically: a temporary file in the same
 * directory (created with 'mode', less the umask), flushed to disk, then
 * renamed, so that a crash leaves the old or the new file, never half of
 * one.  Returns 0 or an errno value (the temporary file is then gone). */
int l2mt_write_file(const char *file, const char *text, unsigned int mode);

#endif /* l2mt-conf-util.h */
