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

#ifndef L2MT_FLOWD_JSON_H
#define L2MT_FLOWD_JSON_H 1

/* A small strict JSON (RFC 8259) reader for the agent's inventory file.
 * Nesting is bounded; errors carry a line number. */

#include <stdbool.h>
#include <stddef.h>

enum fjson_type {
    FJSON_NULL, FJSON_FALSE, FJSON_TRUE, FJSON_NUMBER, FJSON_STRING,
    FJSON_ARRAY, FJSON_OBJECT,
};

struct fjson {
    enum fjson_type type;
    double number;
    char *string;               /* FJSON_STRING: NUL-terminated, UTF-8. */
    size_t n;                   /* Array or object members. */
    struct fjson *items;        /* Array items or object values. */
    char **keys;                /* Object keys. */
};

/* Parses 'len' bytes.  Returns NULL on error, with a message in 'err' that
 * starts with the line number. */
struct fjson *fjson_parse(const char *text, size_t len, char *err,
                          size_t err_size);
void fjson_free(struct fjson *);

/* Member 'key' of object 'obj', NULL if 'obj' is no object or lacks it. */
const struct fjson *fjson_get(const struct fjson *obj, const char *key);

#endif /* flowd-json.h */
