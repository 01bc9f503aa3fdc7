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

#include "scope-request.h"

#include <string.h>

/* Returns the offset of 'needle' in the 'len' bytes at 'buf', or -1.  The
 * bytes need not be NUL-terminated and may contain NULs. */
static long
find(const char *buf, size_t len, const char *needle)
{
    size_t n = strlen(needle);

    for (size_t i = 0; n <= len && i <= len - n; i++) {
        if (!memcmp(buf + i, needle, n)) {
            return i;
        }
    }
    return -1;
}

/* Looks at the first 'len' bytes a client sent.  An HTTP request is done
 * at the blank line that ends its header; anything else at its first
 * newline, so that a plain "nc" or bash /dev/tcp client gets the bare
 * answer line at once. */
struct scope_request
scope_request_parse(const char *buf, size_t len)
{
    struct scope_request r = { .http = false, .done = false };
    long eol = find(buf, len, "\n");
    size_t line = eol < 0 ? len : (size_t) eol;

    r.http = find(buf, line, " HTTP/") >= 0;
    if (r.http) {
        r.done = find(buf, len, "\r\n\r\n") >= 0 || find(buf, len, "\n\n") >= 0;
    } else {
        r.done = eol >= 0;
    }
    return r;
}
