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

/* Reads a whole file (at most 64 MB) into a malloc'd, NUL-terminated
 * buffer of '*len' bytes, or returns NULL with a message in 'err'. */
char *flowd_file_read(const char *path, size_t *len, char *err,
                      size_t err_size);

/* Writes 'path' through "PATH.tmp" and rename(), so that a reader never
 * sees half of it: 'write' writes the contents to the stream and returns
 * false on an error of its own.  With 'sync', the data is on disk before
 * the rename (a crash leaves the old file or the new one).  Returns false
 * with a message in 'err' on failure, leaving no temporary file. */
bool flowd_file_write(const char *path, bool (*write)(FILE *, const void *),
                      const void *aux, bool sync, char *err,
                      size_t err_size);

#endif /* flowd-file.h */
