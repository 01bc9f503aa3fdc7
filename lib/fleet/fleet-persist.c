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

#include "fleet/fleet-persist.h"

#include <stdlib.h>

#include "l2mt-conf.h"
#include "l2mt-conf-util.h"
#include "util.h"

int
fleet_persist_save(const char *file, const char *text, char **error)
{
    /* 0600: the config may hold IPsec pre-shared keys. */
    int err = l2mt_write_file(file, text, 0600);

    *error = err ? xasprintf("%s: %s", file, ovs_strerror(err)) : NULL;
    return err;
}

struct l2mt_conf *
fleet_persist_load(const char *file, char **errors)
{
    return l2mt_conf_load(file, errors);
}
