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
#include "flowd/flowd-file.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

int
flowd_file_read(const char *path, char **textp, size_t *lenp)
{
    FILE *f = fopen(path, "rb");
    struct stat st;
    char *buf = NULL;
    int error = 0;

    *textp = NULL;
    *lenp = 0;
    if (!f) {
        return errno;
    }
    if (fstat(fileno(f), &st)) {
        error = errno;
    } else if (st.st_size > (64 << 20)) {
        error = EFBIG;
    } else if (!(buf = malloc(st.st_size + 1))) {
        error = ENOMEM;
    } else {
        size_t len = fread(buf, 1, st.st_size, f);
        if (ferror(f)) {
            error = EIO;
            free(buf);
        } else {
            buf[len] = '\0';
            *textp = buf;
            *lenp = len;
        }
    }
    fclose(f);
    return error;
}

int
flowd_file_write(const char *path, bool (*write)(FILE *, const void *),
                 const void *aux, bool sync)
{
    size_t tmp_size = strlen(path) + sizeof ".tmp";
    char *tmp = malloc(tmp_size);
    int error = 0;
    FILE *f;

    if (!tmp) {
        return ENOMEM;
    }
    snprintf(tmp, tmp_size, "%s.tmp", path);
    f = fopen(tmp, "wb");
    if (!f) {
        error = errno;
        free(tmp);
        return error;
    }
    errno = 0;
    bool ok = write(f, aux) && !ferror(f) && !fflush(f)
              && (!sync || !fsync(fileno(f)));
    if (!ok) {
        /* 'write' may fail without an errno of its own. */
        error = errno ? errno : EIO;
    }
    if (fclose(f) && !error) {
        error = errno ? errno : EIO;
    }
    if (!error && rename(tmp, path)) {
        error = errno;
    }
    if (error) {
        unlink(tmp);
    }
    free(tmp);
    return error;
}
