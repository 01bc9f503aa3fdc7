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

#ifndef L2MT_FLOWD_FILE_H
#define L2MT_FLOWD_FILE_H 1

/* flowd's one whole-file reader and one writer through a temporary file:
 * every file flowd reads whole (topology, inventories, saved intervals)
 * and every file it replaces (saved intervals, JSON, CSV, the report). */

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

/* Reads a whole file (at most 64 MB, EFBIG beyond) into a malloc'd,
 * NUL-terminated '*textp' of '*lenp' bytes.  Returns 0 or an errno value
 * ('*textp' is then NULL); the caller names the file in its message. */
int flowd_file_read(const char *path, char **textp, size_t *lenp)
    __attribute__((warn_unused_result));

/* Writes 'path' through "PATH.tmp" and rename(), so that a reader never
 * sees half of it: 'write' writes the contents to the stream and returns
 * false on an error of its own.  With 'sync', the data is on disk before
 * the rename (a crash leaves the old file or the new one).  Returns 0, or
 * an errno value (EIO if 'write' failed without one), leaving no temporary
 * file; the caller names the file in its message. */
int flowd_file_write(const char *path, bool (*write)(FILE *, const void *),
                     const void *aux, bool sync)
    __attribute__((warn_unused_result));

#endif /* flowd-file.h */
