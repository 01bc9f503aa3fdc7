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

#ifndef FLEET_INVENTORY_H
#define FLEET_INVENTORY_H 1

/* The collector's view of the fleet (issue 13): the database's hosts and
 * their edge switches, gateway MACs, tenants and the VM ports it places by
 * MAC, written as l2mt-flowd's topology file (Documentation/flowd.md), so
 * that "l2mt-flowd --db" reads the same truth as the hosts through the same
 * parser as the file. */

struct ds;
struct ovsdb_idl;

/* The external_ids key of L2MT_Global that holds the gateway MACs (blank
 * or comma separated): the collector's "internet". */
#define FLEET_GATEWAYS_KEY "flowd-gateways"

/* Appends the topology text to 'out'.  Hosts without an edge switch are
 * left out (the collector cannot place them), and so is such a host in a
 * VM port's line.  A VM port names its host only once one claimed it
 * (VM_Port.host), its VLAN if its profile has one. */
void fleet_inventory_topology(struct ovsdb_idl *, struct ds *out);

#endif /* fleet-inventory.h */
