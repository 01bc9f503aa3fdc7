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

/* test-conf FILE: parses FILE and prints every setting, defaults filled
 * in, one per line; or the parser's errors on stderr and exit status 1. */

#include <config.h>

#include <stdio.h>
#include <stdlib.h>

#include "conf-dump.h"
#include "l2mt-conf.h"

int
main(int argc, char *argv[])
{
    struct l2mt_conf *conf;
    char *errors;

    if (argc != 2) {
        fprintf(stderr, "usage: %s FILE\n", argv[0]);
        return 2;
    }
    conf = l2mt_conf_load(argv[1], &errors);
    if (!conf) {
        fputs(errors, stderr);
        free(errors);
        return 1;
    }
    conf_dump(stdout, conf);
    l2mt_conf_free(conf);
    return 0;
}
