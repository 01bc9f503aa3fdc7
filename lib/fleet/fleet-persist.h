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

#ifndef FLEET_PERSIST_H
#define FLEET_PERSIST_H 1

/* The last configuration a host applied from the database, kept on the
 * host as an l2mt.conf(5) file: an agent that starts while the database
 * is out of reach starts from it (it is a file like any other: 'l2mt-agent
 * --config' reads it too), and goes on following the database once it is
 * back. */

struct l2mt_conf;

#define FLEET_PERSIST_DEFAULT_FILE "/var/lib/l2mt/fleet-last.conf"

/* Replaces 'file' by 'text' atomically (a temporary file in the same
 * directory, flushed to disk, then renamed), so that a crash leaves the old
 * or the new file, never half of one.  Returns 0, or an errno value with
 * '*error' set to a malloc'd message. */
int fleet_persist_save(const char *file, const char *text, char **error);

/* Reads 'file' back through the file's parser: as l2mt_conf_load(). */
struct l2mt_conf *fleet_persist_load(const char *file, char **errors);

#endif /* fleet-persist.h */
