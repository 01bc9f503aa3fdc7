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

#ifndef FLEET_IMPORT_H
#define FLEET_IMPORT_H 1

/* An l2mt.conf(5) file, parsed and checked by lib/l2mt-conf.c, into the
 * rows of the database (l2mt-ctl import). */

struct l2mt_conf;
struct ovsdb_idl;
struct ovsdb_idl_txn;

/* In 'txn', replaces every Host, Tenant, Profile and VM_Port row of 'idl'
 * by the contents of 'conf': the file is the whole configuration, as it is
 * for an agent that reads it.  Every setting is written with its defaults
 * filled in, so that the export reads the same whatever the defaults
 * become.  VM ports keep where they are bound (their 'host' column) if a
 * host of that name is imported again. */
void fleet_import(const struct l2mt_conf *conf, struct ovsdb_idl *idl,
                  struct ovsdb_idl_txn *txn);

#endif /* fleet-import.h */
