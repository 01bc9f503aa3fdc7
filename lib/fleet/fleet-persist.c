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

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "l2mt-conf.h"
#include "util.h"

int
fleet_persist_save(const char *file, const char *text, char **error)
{
    char *tmp = xasprintf("%s.tmp", file);
    size_t len = strlen(text), done = 0;
    int fd, err = 0;

    fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    if (fd < 0) {
        err = errno;
        *error = xasprintf("%s: %s", tmp, ovs_strerror(err));
        free(tmp);
        return err;
    }
    while (done < len) {
        ssize_t n = write(fd, text + done, len - done);
        if (n < 0) {
            if (errno == EINTR) {
                continue;
            }
            err = errno;
            break;
        }
        done += n;
    }
    if (!err && fsync(fd)) {
        err = errno;
    }
    if (close(fd) && !err) {
        err = errno;
    }
    if (!err && rename(tmp, file)) {
        err = errno;
    }
    if (err) {
        *error = xasprintf("%s: %s", file, ovs_strerror(err));
        unlink(tmp);
    } else {
        *error = NULL;
    }
    free(tmp);
    return err;
}

struct l2mt_conf *
fleet_persist_load(const char *file, char **errors)
{
    return l2mt_conf_load(file, errors);
}
