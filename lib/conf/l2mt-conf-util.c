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
#include "l2mt-conf-util.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static void
out_of_memory(void)
{
    fputs("l2mt: out of memory\n", stderr);
    abort();
}

void *
l2mt_xmalloc(size_t n)
{
    void *p = malloc(n ? n : 1);

    if (!p) {
        out_of_memory();
    }
    return p;
}

void *
l2mt_xzalloc(size_t n)
{
    void *p = calloc(1, n ? n : 1);

    if (!p) {
        out_of_memory();
    }
    return p;
}

void *
l2mt_xrealloc(void *p, size_t n)
{
    p = realloc(p, n ? n : 1);
    if (!p) {
        out_of_memory();
    }
    return p;
}

char *
l2mt_xstrdup(const char *s)
{
    return l2mt_xstrndup(s, strlen(s));
}

char *
l2mt_xstrndup(const char *s, size_t n)
{
    char *d = l2mt_xmalloc(n + 1);

    memcpy(d, s, n);
    d[n] = '\0';
    return d;
}

char *
l2mt_xasprintf(const char *fmt, ...)
{
    struct l2mt_str str = { NULL, 0, 0 };
    va_list args;

    va_start(args, fmt);
    l2mt_str_vprintf(&str, fmt, args);
    va_end(args);
    return l2mt_str_steal(&str);
}

static void
str_reserve(struct l2mt_str *str, size_t n)
{
    if (str->len + n + 1 > str->alloc) {
        str->alloc = (str->len + n + 1) * 2;
        str->s = l2mt_xrealloc(str->s, str->alloc);
    }
}

void
l2mt_str_vprintf(struct l2mt_str *str, const char *fmt, va_list args)
{
    va_list copy;
    int n;

    va_copy(copy, args);
    n = vsnprintf(NULL, 0, fmt, copy);
    va_end(copy);
    if (n < 0) {
        return;
    }
    str_reserve(str, n);
    vsnprintf(str->s + str->len, n + 1, fmt, args);
    str->len += n;
}

void
l2mt_str_printf(struct l2mt_str *str, const char *fmt, ...)
{
    va_list args;

    va_start(args, fmt);
    l2mt_str_vprintf(str, fmt, args);
    va_end(args);
}

void
l2mt_str_put(struct l2mt_str *str, const char *s, size_t n)
{
    str_reserve(str, n);
    memcpy(str->s + str->len, s, n);
    str->len += n;
    str->s[str->len] = '\0';
}

const char *
l2mt_str_cstr(struct l2mt_str *str)
{
    str_reserve(str, 0);
    str->s[str->len] = '\0';
    return str->s;
}

char *
l2mt_str_steal(struct l2mt_str *str)
{
    char *s;

    l2mt_str_cstr(str);
    s = str->s;
    str->s = NULL;
    str->len = str->alloc = 0;
    return s;
}

void
l2mt_str_clear(struct l2mt_str *str)
{
    str->len = 0;
    if (str->s) {
        str->s[0] = '\0';
    }
}

void
l2mt_str_free(struct l2mt_str *str)
{
    free(str->s);
    str->s = NULL;
    str->len = str->alloc = 0;
}

int
l2mt_read_file(const char *file, char **textp, size_t *lenp)
{
    struct l2mt_str str = { NULL, 0, 0 };
    char buf[4096];
    FILE *stream;
    size_t n;
    int error;

    stream = fopen(file, "r");
    if (!stream) {
        return errno;
    }
    while ((n = fread(buf, 1, sizeof buf, stream)) > 0) {
        l2mt_str_put(&str, buf, n);
    }
    error = ferror(stream) ? EIO : 0;
    fclose(stream);
    if (error) {
        l2mt_str_free(&str);
        return error;
    }
    *lenp = str.len;
    *textp = l2mt_str_steal(&str);
    return 0;
}

int
l2mt_write_file(const char *file, const char *text, unsigned int mode)
{
    /* The pid in the name: two writers of one file do not share it. */
    char *tmp = l2mt_xasprintf("%s.tmp.%ld", file, (long) getpid());
    size_t len = strlen(text), done = 0;
    int fd, err = 0;

    fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode);
    if (fd < 0) {
        err = errno;
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
        unlink(tmp);
    }
    free(tmp);
    return err;
}
