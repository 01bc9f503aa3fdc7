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
#include "flowd-file.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

char *
flowd_file_read(const char *path, size_t *len, char *err, size_t err_size)
{
    FILE *f = fopen(path, "rb");
    struct stat st;
    char *buf = NULL;

    if (!f) {
        snprintf(err, err_size, "%s: %s", path, strerror(errno));
        return NULL;
    }
    if (fstat(fileno(f), &st) || st.st_size > (64 << 20)) {
        snprintf(err, err_size, "%s: larger than 64 MB or unreadable", path);
    } else if (!(buf = malloc(st.st_size + 1))) {
        snprintf(err, err_size, "%s: out of memory", path);
    } else {
        *len = fread(buf, 1, st.st_size, f);
        if (ferror(f)) {
            snprintf(err, err_size, "%s: read error", path);
            free(buf);
            buf = NULL;
        } else {
            buf[*len] = '\0';
        }
    }
    fclose(f);
    return buf;
}

bool
flowd_file_write(const char *path, bool (*write)(FILE *, const void *),
                 const void *aux, bool sync, char *err, size_t err_size)
{
    size_t tmp_size = strlen(path) + sizeof ".tmp";
    char *tmp = malloc(tmp_size);
    FILE *f;
    bool ok;

    if (!tmp) {
        snprintf(err, err_size, "%s: out of memory", path);
        return false;
    }
    snprintf(tmp, tmp_size, "%s.tmp", path);
    f = fopen(tmp, "wb");
    if (!f) {
        snprintf(err, err_size, "%s: %s", tmp, strerror(errno));
        free(tmp);
        return false;
    }
    errno = 0;
    ok = write(f, aux) && !ferror(f) && !fflush(f)
         && (!sync || !fsync(fileno(f)));
    if (fclose(f) || !ok || rename(tmp, path)) {
        snprintf(err, err_size, "%s: %s", path,
                 errno ? strerror(errno) : "write error");
        unlink(tmp);
        ok = false;
    }
    free(tmp);
    return ok;
}
