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

#ifndef L2MT_FLOWD_CHECK_H
#define L2MT_FLOWD_CHECK_H 1

/* Checks shared by the flowd unit tests: they count failures and go on,
 * so that one run reports every broken check. */

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int failures;

#define CHECK(COND)                                                     \
    do {                                                                \
        if (!(COND)) {                                                  \
            fprintf(stderr, "%s:%d: check failed: %s\n",                \
                    __FILE__, __LINE__, #COND);                         \
            failures++;                                                 \
        }                                                               \
    } while (0)

#define CHECK_EQ(A, B)                                                  \
    do {                                                                \
        unsigned long long a_ = (A), b_ = (B);                          \
        if (a_ != b_) {                                                 \
            fprintf(stderr, "%s:%d: %s == %llu, expected %llu\n",       \
                    __FILE__, __LINE__, #A, a_, b_);                    \
            failures++;                                                 \
        }                                                               \
    } while (0)

#define CHECK_NEAR(A, B, TOL)                                           \
    do {                                                                \
        double a_ = (A), b_ = (B);                                      \
        if (fabs(a_ - b_) > (TOL)) {                                    \
            fprintf(stderr, "%s:%d: %s == %.9g, expected %.9g\n",       \
                    __FILE__, __LINE__, #A, a_, b_);                    \
            failures++;                                                 \
        }                                                               \
    } while (0)

/* Checks that EXPR, a function of the error convention, succeeds: returns
 * NULL rather than a malloc'd message. */
#define CHECK_OK(EXPR)                                                  \
    do {                                                                \
        char *e_ = (EXPR);                                              \
        if (e_) {                                                       \
            fprintf(stderr, "%s:%d: %s failed: %s\n",                   \
                    __FILE__, __LINE__, #EXPR, e_);                     \
            failures++;                                                 \
            free(e_);                                                   \
        }                                                               \
    } while (0)

/* Checks that EXPR fails with a message that contains SUBSTR. */
#define CHECK_ERR(EXPR, SUBSTR)                                         \
    do {                                                                \
        char *e_ = (EXPR);                                              \
        if (!e_ || !strstr(e_, SUBSTR)) {                               \
            fprintf(stderr, "%s:%d: %s: \"%s\", expected \"%s\"\n",   \
                    __FILE__, __LINE__, #EXPR, e_ ? e_ : "(success)",  \
                    SUBSTR);                                            \
            failures++;                                                 \
        }                                                               \
        free(e_);                                                       \
    } while (0)

/* With $FLOWD_CORPUS set, good inputs become fuzzing seeds. */
static inline void
save_seed(const char *name, const void *data, size_t len)
{
    const char *dir = getenv("FLOWD_CORPUS");

    if (dir) {
        char path[4096];
        snprintf(path, sizeof path, "%s/%s", dir, name);
        FILE *f = fopen(path, "wb");
        if (f) {
            fwrite(data, 1, len, f);
            fclose(f);
        }
    }
}

/* Test program exit status and summary. */
static inline int
check_report(const char *name)
{
    if (failures) {
        fprintf(stderr, "%s: %d checks failed\n", name, failures);
        return 1;
    }
    printf("%s: all checks passed\n", name);
    return 0;
}

#endif /* flowd-check.h */
