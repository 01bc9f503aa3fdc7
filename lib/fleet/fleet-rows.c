/*
 * Copyright (c) 2026 The l2mt authors.
 * Licensed under the Apache License, Version 2.0.
 */


#include <config.h>

#include "fleet/fleet-rows.h"

#include <string.h>

#include "fleet/l2mt-idl.h"

const struct l2mtrec_host *
fleet_find_host(const struct ovsdb_idl *idl, const char *name)
{
    const struct l2mtrec_host *h;

    L2MTREC_HOST_FOR_EACH (h, idl) {
        if (!strcmp(h->name, name)) {
            return h;
        }
    }
    return NULL;
}

const struct l2mtrec_host_status *
fleet_find_host_status(const struct ovsdb_idl *idl, const char *name)
{
    const struct l2mtrec_host_status *s;

    L2MTREC_HOST_STATUS_FOR_EACH (s, idl) {
        if (!strcmp(s->name, name)) {
            return s;
        }
    }
    return NULL;
}
