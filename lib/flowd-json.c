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
#include "flowd-json.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define FJSON_MAX_DEPTH 32

struct parser {
    const char *p, *end;
    int line;
    char *err;
    size_t err_size;
    bool failed;
};

static void
fail(struct parser *ps, const char *fmt, ...)
{
    if (!ps->failed) {
        va_list args;
        int n = snprintf(ps->err, ps->err_size, "line %d: ", ps->line);

        va_start(args, fmt);
        if (n >= 0 && (size_t) n < ps->err_size) {
            vsnprintf(ps->err + n, ps->err_size - n, fmt, args);
        }
        va_end(args);
        ps->failed = true;
    }
}

static void
skip_space(struct parser *ps)
{
    while (ps->p < ps->end) {
        char c = *ps->p;
        if (c == '\n') {
            ps->line++;
        } else if (c != ' ' && c != '\t' && c != '\r') {
            break;
        }
        ps->p++;
    }
}

static void
free_members(struct fjson *v)
{
    for (size_t i = 0; i < v->n; i++) {
        free_members(&v->items[i]);
        if (v->keys) {
            free(v->keys[i]);
        }
    }
    free(v->items);
    free(v->keys);
    free(v->string);
}

void
fjson_free(struct fjson *v)
{
    if (v) {
        free_members(v);
        free(v);
    }
}

static void
put_utf8(char *out, size_t *n, unsigned int cp)
{
    if (cp < 0x80) {
        out[(*n)++] = cp;
    } else if (cp < 0x800) {
        out[(*n)++] = 0xc0 | (cp >> 6);
        out[(*n)++] = 0x80 | (cp & 0x3f);
    } else if (cp < 0x10000) {
        out[(*n)++] = 0xe0 | (cp >> 12);
        out[(*n)++] = 0x80 | ((cp >> 6) & 0x3f);
        out[(*n)++] = 0x80 | (cp & 0x3f);
    } else {
        out[(*n)++] = 0xf0 | (cp >> 18);
        out[(*n)++] = 0x80 | ((cp >> 12) & 0x3f);
        out[(*n)++] = 0x80 | ((cp >> 6) & 0x3f);
        out[(*n)++] = 0x80 | (cp & 0x3f);
    }
}

static bool
hex4(struct parser *ps, unsigned int *cp)
{
    *cp = 0;
    if (ps->end - ps->p < 4) {
        return false;
    }
    for (int i = 0; i < 4; i++) {
        char c = *ps->p++;
        *cp <<= 4;
        if (c >= '0' && c <= '9') {
            *cp |= c - '0';
        } else if (c >= 'a' && c <= 'f') {
            *cp |= c - 'a' + 10;
        } else if (c >= 'A' && c <= 'F') {
            *cp |= c - 'A' + 10;
        } else {
            return false;
        }
    }
    return true;
}

/* Parses a string after its opening quote.  The result is never longer than
 * the source, so one allocation of the source's length suffices. */
static char *
parse_string(struct parser *ps)
{
    char *out = NULL;
    size_t n = 0;

    if (memchr(ps->p, '"', ps->end - ps->p)) {
        out = malloc(ps->end - ps->p + 1);
    }

    while (out && ps->p < ps->end) {
        unsigned char c = *ps->p++;
        if (c == '"') {
            out[n] = '\0';
            return out;
        } else if (c < 0x20) {
            fail(ps, "control character in string");
            break;
        } else if (c != '\\') {
            out[n++] = c;
            continue;
        }
        if (ps->p >= ps->end) {
            break;
        }
        c = *ps->p++;
        const char *esc = strchr("\"\\/bfnrt", c);
        if (c && esc) {
            out[n++] = "\"\\/\b\f\n\r\t"[esc - "\"\\/bfnrt"];
        } else if (c == 'u') {
            unsigned int cp, lo;
            if (!hex4(ps, &cp)) {
                fail(ps, "bad \\u escape");
                break;
            }
            if (cp >= 0xd800 && cp < 0xdc00) {
                if (ps->end - ps->p < 2 || ps->p[0] != '\\' || ps->p[1] != 'u'
                    || (ps->p += 2, !hex4(ps, &lo))
                    || lo < 0xdc00 || lo >= 0xe000) {
                    fail(ps, "bad surrogate pair");
                    break;
                }
                cp = 0x10000 + ((cp - 0xd800) << 10) + (lo - 0xdc00);
            } else if (cp >= 0xdc00 && cp < 0xe000) {
                fail(ps, "lone low surrogate");
                break;
            }
            /* 6 or 12 source bytes give at most 4 output bytes. */
            put_utf8(out, &n, cp);
        } else {
            fail(ps, "bad escape '\\%c'", c);
            break;
        }
    }
    fail(ps, "unterminated string");
    free(out);
    return NULL;
}

static bool parse_value(struct parser *, struct fjson *, int depth);

static bool
parse_container(struct parser *ps, struct fjson *v, int depth)
{
    bool object = *ps->p++ == '{';
    char close = object ? '}' : ']';
    size_t cap = 0;

    v->type = object ? FJSON_OBJECT : FJSON_ARRAY;
    if (depth >= FJSON_MAX_DEPTH) {
        fail(ps, "nesting deeper than %d", FJSON_MAX_DEPTH);
        return false;
    }
    skip_space(ps);
    if (ps->p < ps->end && *ps->p == close) {
        ps->p++;
        return true;
    }
    for (;;) {
        char *key = NULL;

        skip_space(ps);
        if (object) {
            if (ps->p >= ps->end || *ps->p != '"') {
                fail(ps, "expected object key");
                return false;
            }
            ps->p++;
            key = parse_string(ps);
            if (!key) {
                return false;
            }
            skip_space(ps);
            if (ps->p >= ps->end || *ps->p != ':') {
                free(key);
                fail(ps, "expected ':'");
                return false;
            }
            ps->p++;
        }
        if (v->n == cap) {
            size_t ncap = cap ? cap * 2 : 4;
            struct fjson *items = realloc(v->items, ncap * sizeof *items);
            char **keys = object ? realloc(v->keys, ncap * sizeof *keys)
                                 : NULL;
            if (items) {
                v->items = items;
            }
            if (keys) {
                v->keys = keys;
            }
            if (!items || (object && !keys)) {
                free(key);
                fail(ps, "out of memory");
                return false;
            }
            cap = ncap;
        }
        memset(&v->items[v->n], 0, sizeof v->items[v->n]);
        if (object) {
            v->keys[v->n] = key;
        }
        v->n++;
        if (!parse_value(ps, &v->items[v->n - 1], depth + 1)) {
            return false;
        }
        skip_space(ps);
        if (ps->p < ps->end && *ps->p == ',') {
            ps->p++;
        } else if (ps->p < ps->end && *ps->p == close) {
            ps->p++;
            return true;
        } else {
            fail(ps, "expected ',' or '%c'", close);
            return false;
        }
    }
}

static bool
parse_number(struct parser *ps, struct fjson *v)
{
    const char *s = ps->p;
    char buf[64];
    size_t n = 0;

    if (s < ps->end && *s == '-') {
        s++;
    }
    if (s >= ps->end || *s < '0' || *s > '9' || (*s == '0' && s + 1 < ps->end
                                               && s[1] >= '0' && s[1] <= '9')) {
        fail(ps, "bad number");
        return false;
    }
    while (s < ps->end && strchr("0123456789+-.eE", *s) && *s) {
        s++;
    }
    n = s - ps->p;
    if (n >= sizeof buf) {
        fail(ps, "number too long");
        return false;
    }
    memcpy(buf, ps->p, n);
    buf[n] = '\0';

    char *tail;
    v->type = FJSON_NUMBER;
    v->number = strtod(buf, &tail);
    if (*tail) {
        fail(ps, "bad number '%s'", buf);
        return false;
    }
    ps->p = s;
    return true;
}

static bool
parse_literal(struct parser *ps, const char *word, enum fjson_type type,
              struct fjson *v)
{
    size_t n = strlen(word);

    if ((size_t) (ps->end - ps->p) < n || memcmp(ps->p, word, n)) {
        fail(ps, "unexpected character '%c'", *ps->p);
        return false;
    }
    ps->p += n;
    v->type = type;
    return true;
}

static bool
parse_value(struct parser *ps, struct fjson *v, int depth)
{
    skip_space(ps);
    if (ps->p >= ps->end) {
        fail(ps, "unexpected end of input");
        return false;
    }
    switch (*ps->p) {
    case '{':
    case '[':
        return parse_container(ps, v, depth);
    case '"':
        ps->p++;
        v->type = FJSON_STRING;
        v->string = parse_string(ps);
        return v->string != NULL;
    case 't':
        return parse_literal(ps, "true", FJSON_TRUE, v);
    case 'f':
        return parse_literal(ps, "false", FJSON_FALSE, v);
    case 'n':
        return parse_literal(ps, "null", FJSON_NULL, v);
    default:
        return parse_number(ps, v);
    }
}

struct fjson *
fjson_parse(const char *text, size_t len, char *err, size_t err_size)
{
    struct parser ps = { text, text + len, 1, err, err_size, false };
    struct fjson *v = calloc(1, sizeof *v);

    if (!v) {
        snprintf(err, err_size, "out of memory");
        return NULL;
    }
    if (parse_value(&ps, v, 0)) {
        skip_space(&ps);
        if (ps.p == ps.end) {
            return v;
        }
        fail(&ps, "trailing characters");
    }
    fjson_free(v);
    return NULL;
}

const struct fjson *
fjson_get(const struct fjson *obj, const char *key)
{
    if (obj && obj->type == FJSON_OBJECT) {
        for (size_t i = 0; i < obj->n; i++) {
            if (!strcmp(obj->keys[i], key)) {
                return &obj->items[i];
            }
        }
    }
    return NULL;
}
