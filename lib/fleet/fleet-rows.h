/*
 * Copyright (c) 2026 The l2mt authors.
 * Licensed under the Apache License, Version 2.0.
 */

#ifndef FLEET_ROWS_H
#define FLEET_ROWS_H 1

/* Rows of the fleet database (l2mt-db(5)) found by their key, for the
 * library and l2mt-ctl alike. */

struct ovsdb_idl;

/* The Host row named 'name', or NULL. */
const struct l2mtrec_host *fleet_find_host(const struct ovsdb_idl *,
                                           const char *name);

/* The Host_Status row of host 'name', or NULL. */
const struct l2mtrec_host_status *fleet_find_host_status(
    const struct ovsdb_idl *, const char *name);

#endif /* fleet-rows.h */
