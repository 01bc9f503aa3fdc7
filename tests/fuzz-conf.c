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

/* libFuzzer target for the config parser: any input gives either a
 * configuration or errors, never a crash, a leak or undefined behaviour. */

#include <config.h>

#include <stdint.h>
#include <stdlib.h>

#include "l2mt-conf.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct l2mt_conf *conf;
    char *errors;

    conf = l2mt_conf_parse((const char *) data, size, "fuzz", &errors);
    if (!conf == !errors) {
        abort();                /* Exactly one of them must be set. */
    }
    if (conf && conf->n_hosts) {
        l2mt_conf_find_host(conf, conf->hosts[0].name);
    }
    if (conf && conf->n_tenants) {
        l2mt_conf_find_tenant_by_port(conf,
                                      conf->tenants[0].service_v4_port);
    }
    l2mt_conf_free(conf);
    free(errors);
    return 0;
}
