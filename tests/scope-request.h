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

#ifndef SCOPE_REQUEST_H
#define SCOPE_REQUEST_H 1

#include <stdbool.h>
#include <stddef.h>

/* How far the scope server has read a client's request. */
struct scope_request {
    bool http;                  /* The first line ends in " HTTP/x.y". */
    bool done;                  /* Enough read: answer now. */
};

struct scope_request scope_request_parse(const char *buf, size_t len);

#endif /* scope-request.h */
