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

#include "tenant-map.h"

#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* An interface that belongs to a tenant: by name, or by index when
 * 'ifindex' is nonzero. */
struct tenant_iface {
    char ifname[TENANT_IFNAME_MAX + 1];
    unsigned int ifindex;
    size_t tenant;              /* Index into 'tenants'. */
    unsigned int line;          /* Where it was defined, for errors. */
};

struct tenant_map {
    struct tenant *tenants;
    unsigned int *tenant_lines; /* Where each was defined, for errors. */
    size_t n_tenants, allocated_tenants;

    struct tenant_iface *ifaces;
    size_t n_ifaces, allocated_ifaces;
};

/* The longest word quoted back in an error message. */
#define QUOTE_MAX 40

struct parser {
    const char *file_name;
    unsigned int line;
    char *error;                /* First error, malloc'd. */
};

static void
parse_error(struct parser *p, const char *format, ...)
{
    char msg[256];
    va_list args;

    va_start(args, format);
    vsnprintf(msg, sizeof msg, format, args);
    va_end(args);

    size_t len = strlen(p->file_name) + strlen(msg) + 16;
    p->error = malloc(len);
    if (p->error) {
        snprintf(p->error, len, "%s:%u: %s", p->file_name, p->line, msg);
    }
}

static bool
is_blank(char c)
{
    /* '\r' too, so that files edited on other systems still read. */
    return c == ' ' || c == '\t' || c == '\r';
}

/* Splits 'line' (without its '\n') into at most 'max' words, each a
 * pointer and a length.  Returns the number of words, or -1 after an error
 * for a character no word may hold. */
static int
split_words(struct parser *p, const char *line, size_t len,
            const char **words, size_t *lens, int max)
{
    int n = 0;
    size_t i = 0;

    while (i < len) {
        unsigned char c = line[i];
        if (c == '#') {
            break;
        } else if (is_blank(c)) {
            i++;
            continue;
        } else if (c < 0x21 || c > 0x7e) {
            parse_error(p, "invalid character 0x%02x in column %zu",
                        c, i + 1);
            return -1;
        }

        size_t start = i;
        while (i < len && !is_blank(line[i]) && line[i] != '#') {
            c = line[i];
            if (c < 0x21 || c > 0x7e) {
                parse_error(p, "invalid character 0x%02x in column %zu",
                            c, i + 1);
                return -1;
            }
            i++;
        }
        if (n >= max) {
            parse_error(p, "too many words (a tenant has at most %d "
                        "interfaces)", TENANT_MAX_IFACES);
            return -1;
        }
        words[n] = line + start;
        lens[n] = i - start;
        n++;
    }
    return n;
}

/* Parses the decimal number 'word' ('len' bytes) into '*value' if it is in
 * [min, max]. */
static bool
parse_number(const char *word, size_t len, unsigned long long min,
             unsigned long long max, unsigned long long *value)
{
    unsigned long long v = 0;

    if (!len || len > 10 || (word[0] == '0' && len > 1)) {
        return false;
    }
    for (size_t i = 0; i < len; i++) {
        if (word[i] < '0' || word[i] > '9') {
            return false;
        }
        v = v * 10 + (word[i] - '0');
    }
    if (v < min || v > max) {
        return false;
    }
    *value = v;
    return true;
}

static bool
is_valid_name(const char *word, size_t len)
{
    if (!len || len > TENANT_NAME_MAX
        || !((word[0] >= 'a' && word[0] <= 'z')
             || (word[0] >= 'A' && word[0] <= 'Z'))) {
        return false;
    }
    for (size_t i = 0; i < len; i++) {
        char c = word[i];
        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')
              || (c >= '0' && c <= '9') || c == '_' || c == '.'
              || c == '-')) {
            return false;
        }
    }
    return true;
}

/* The rules of Linux's dev_valid_name(), for the printable ASCII that
 * split_words() lets through. */
static bool
is_valid_ifname(const char *word, size_t len)
{
    if (!len || len > TENANT_IFNAME_MAX
        || (len == 1 && word[0] == '.')
        || (len == 2 && word[0] == '.' && word[1] == '.')) {
        return false;
    }
    return !memchr(word, '/', len) && !memchr(word, ':', len);
}

static bool
word_is(const char *word, size_t len, const char *keyword)
{
    return len == strlen(keyword) && !memcmp(word, keyword, len);
}

/* Makes room for one more element in '*array' ('*n' of '*allocated' used,
 * each 'size' bytes).  Returns false on error. */
static bool
grow(struct parser *p, void **array, size_t *allocated, size_t n,
     size_t size, const char *what)
{
    if (n >= TENANT_MAP_MAX) {
        parse_error(p, "too many %s (at most %d)", what, TENANT_MAP_MAX);
        return false;
    } else if (n >= *allocated) {
        size_t new_allocated = *allocated ? *allocated * 2 : 8;
        void *new_array = realloc(*array, new_allocated * size);
        if (!new_array) {
            return false;
        }
        *array = new_array;
        *allocated = new_allocated;
    }
    return true;
}

static bool
add_iface(struct parser *p, struct tenant_map *map, size_t tenant,
          const char *keyword, const char *word, size_t len)
{
    struct tenant_iface iface;

    memset(&iface, 0, sizeof iface);
    iface.tenant = tenant;
    iface.line = p->line;
    if (word_is(keyword, strlen(keyword), "iface")) {
        if (!is_valid_ifname(word, len)) {
            parse_error(p, "invalid interface name '%.*s' (1 to %d "
                        "characters, not '/' or ':')",
                        (int) (len > QUOTE_MAX ? QUOTE_MAX : len), word,
                        TENANT_IFNAME_MAX);
            return false;
        }
        memcpy(iface.ifname, word, len);
    } else {
        unsigned long long index;
        if (!parse_number(word, len, 1, INT32_MAX, &index)) {
            parse_error(p, "invalid interface index '%.*s' (1 to %d)",
                        (int) (len > QUOTE_MAX ? QUOTE_MAX : len), word,
                        INT32_MAX);
            return false;
        }
        iface.ifindex = index;
    }

    for (size_t i = 0; i < map->n_ifaces; i++) {
        const struct tenant_iface *other = &map->ifaces[i];
        if (other->ifindex == iface.ifindex
            && !strcmp(other->ifname, iface.ifname)) {
            parse_error(p, "%s %.*s already belongs to tenant %s (line %u)",
                        keyword, (int) len, word,
                        map->tenants[other->tenant].name, other->line);
            return false;
        }
    }
    if (!grow(p, (void **) &map->ifaces, &map->allocated_ifaces,
              map->n_ifaces, sizeof *map->ifaces, "interfaces")) {
        return false;
    }
    map->ifaces[map->n_ifaces++] = iface;
    return true;
}

/* The longest useful line: "tenant ID NAME" and a word pair per interface
 * a tenant may have. */
#define MAX_WORDS (3 + 2 * TENANT_MAX_IFACES)

static bool
parse_line(struct parser *p, struct tenant_map *map,
           const char *line, size_t len)
{
    const char *words[MAX_WORDS];
    size_t lens[MAX_WORDS];
    int n = split_words(p, line, len, words, lens, MAX_WORDS);
    if (n <= 0) {
        return n == 0;
    }

    if (!word_is(words[0], lens[0], "tenant")) {
        parse_error(p, "unknown keyword '%.*s' (expected 'tenant')",
                    (int) (lens[0] > QUOTE_MAX ? QUOTE_MAX : lens[0]),
                    words[0]);
        return false;
    }

    unsigned long long id;
    if (n < 2) {
        parse_error(p, "tenant: missing ID");
        return false;
    } else if (!parse_number(words[1], lens[1], 0, UINT32_MAX, &id)) {
        parse_error(p, "invalid tenant ID '%.*s' (0 to %lu)",
                    (int) (lens[1] > QUOTE_MAX ? QUOTE_MAX : lens[1]),
                    words[1], (unsigned long) UINT32_MAX);
        return false;
    }

    if (n < 3) {
        parse_error(p, "tenant %llu: missing name", id);
        return false;
    } else if (!is_valid_name(words[2], lens[2])) {
        parse_error(p, "invalid tenant name '%.*s' (1 to %d of A-Z a-z 0-9 "
                    "_ . -, starting with a letter)",
                    (int) (lens[2] > QUOTE_MAX ? QUOTE_MAX : lens[2]),
                    words[2], TENANT_NAME_MAX);
        return false;
    }

    for (size_t i = 0; i < map->n_tenants; i++) {
        const struct tenant *t = &map->tenants[i];
        if (t->id == id) {
            parse_error(p, "duplicate tenant ID %llu (first on line %u)",
                        id, map->tenant_lines[i]);
            return false;
        } else if (word_is(words[2], lens[2], t->name)) {
            parse_error(p, "duplicate tenant name %s (first on line %u)",
                        t->name, map->tenant_lines[i]);
            return false;
        }
    }
    size_t allocated = map->allocated_tenants;
    if (!grow(p, (void **) &map->tenants, &allocated, map->n_tenants,
              sizeof *map->tenants, "tenants")
        || !grow(p, (void **) &map->tenant_lines, &map->allocated_tenants,
                 map->n_tenants, sizeof *map->tenant_lines, "tenants")) {
        return false;
    }
    size_t tenant = map->n_tenants;
    struct tenant *t = &map->tenants[tenant];
    t->id = id;
    memcpy(t->name, words[2], lens[2]);
    t->name[lens[2]] = '\0';
    map->tenant_lines[tenant] = p->line;

    if (n == 3) {
        parse_error(p, "tenant %s: no interfaces (expected 'iface IFNAME' "
                    "or 'ifindex N')", t->name);
        return false;
    }
    for (int i = 3; i < n; i += 2) {
        const char *keyword = (word_is(words[i], lens[i], "iface") ? "iface"
                               : word_is(words[i], lens[i], "ifindex")
                               ? "ifindex" : NULL);
        if (!keyword) {
            parse_error(p, "unknown word '%.*s' (expected 'iface' or "
                        "'ifindex')",
                        (int) (lens[i] > QUOTE_MAX ? QUOTE_MAX : lens[i]),
                        words[i]);
            return false;
        } else if (i + 1 >= n) {
            parse_error(p, "tenant %s: missing interface after '%s'",
                        t->name, keyword);
            return false;
        } else if (!add_iface(p, map, tenant, keyword, words[i + 1],
                              lens[i + 1])) {
            return false;
        }
    }
    map->n_tenants++;
    return true;
}

/* Parses the 'len' bytes of 'text' as a tenant map file named 'file_name'
 * (used in error messages).  On success stores a new map in '*mapp' and
 * returns 0.  On error stores NULL in '*mapp' and returns a positive errno
 * value; if 'errorp' is nonnull, stores a malloc'd "FILE:LINE: message" in
 * '*errorp' (the caller frees it). */
int
tenant_map_parse(const char *text, size_t len, const char *file_name,
                 struct tenant_map **mapp, char **errorp)
{
    struct parser p = { file_name ? file_name : "tenant map", 0, NULL };
    struct tenant_map *map = calloc(1, sizeof *map);
    int error = 0;

    *mapp = NULL;
    if (errorp) {
        *errorp = NULL;
    }
    if (!map) {
        return ENOMEM;
    }

    const char *end = text + len;
    while (text < end) {
        const char *nl = memchr(text, '\n', end - text);
        size_t line_len = nl ? nl - text : end - text;

        p.line++;
        if (!parse_line(&p, map, text, line_len)) {
            error = p.error ? EINVAL : ENOMEM;
            break;
        }
        text += line_len + (nl != NULL);
    }

    if (error) {
        tenant_map_destroy(map);
        if (errorp) {
            *errorp = p.error;
        } else {
            free(p.error);
        }
        return error;
    }
    *mapp = map;
    return 0;
}

static char *
xasprintf_error(const char *file_name, const char *msg)
{
    size_t len = strlen(file_name) + strlen(msg) + 3;
    char *s = malloc(len);
    if (s) {
        snprintf(s, len, "%s: %s", file_name, msg);
    }
    return s;
}

/* Reads and parses the tenant map file 'file_name', like
 * tenant_map_parse(); read errors become "FILE: message". */
int
tenant_map_read(const char *file_name, struct tenant_map **mapp,
                char **errorp)
{
    *mapp = NULL;
    if (errorp) {
        *errorp = NULL;
    }

    FILE *stream = fopen(file_name, "r");
    if (!stream) {
        int error = errno;
        if (errorp) {
            *errorp = xasprintf_error(file_name, strerror(error));
        }
        return error;
    }

    char *text = malloc(TENANT_MAP_MAX_FILE + 1);
    size_t len = text ? fread(text, 1, TENANT_MAP_MAX_FILE + 1, stream) : 0;
    int error = (!text ? ENOMEM
                 : ferror(stream) ? EIO
                 : len > TENANT_MAP_MAX_FILE ? EFBIG
                 : 0);
    fclose(stream);

    if (error) {
        if (errorp) {
            *errorp = xasprintf_error(file_name,
                                      error == EFBIG
                                      ? "larger than 16 MiB"
                                      : strerror(error));
        }
    } else if (memchr(text, '\0', len)) {
        error = EINVAL;
        if (errorp) {
            *errorp = xasprintf_error(file_name, "not a text file "
                                      "(contains a NUL byte)");
        }
    } else {
        error = tenant_map_parse(text, len, file_name, mapp, errorp);
    }
    free(text);
    return error;
}

void
tenant_map_destroy(struct tenant_map *map)
{
    if (map) {
        free(map->tenants);
        free(map->tenant_lines);
        free(map->ifaces);
        free(map);
    }
}

size_t
tenant_map_count(const struct tenant_map *map)
{
    return map ? map->n_tenants : 0;
}

/* Returns the i'th tenant in file order, or NULL past the end. */
const struct tenant *
tenant_map_at(const struct tenant_map *map, size_t i)
{
    return i < tenant_map_count(map) ? &map->tenants[i] : NULL;
}

/* Returns the tenant whose ID (if 'name_or_id' is all digits) or name is
 * 'name_or_id', or NULL. */
const struct tenant *
tenant_map_find(const struct tenant_map *map, const char *name_or_id)
{
    size_t len = strlen(name_or_id);
    unsigned long long id;
    bool by_id = parse_number(name_or_id, len, 0, UINT32_MAX, &id);

    for (size_t i = 0; i < tenant_map_count(map); i++) {
        const struct tenant *t = &map->tenants[i];
        if (by_id ? t->id == id : !strcmp(t->name, name_or_id)) {
            return t;
        }
    }
    return NULL;
}

/* Returns the tenant that interface 'ifname' (may be NULL) with index
 * 'ifindex' (may be 0) belongs to, or NULL. */
const struct tenant *
tenant_map_lookup(const struct tenant_map *map, const char *ifname,
                  unsigned int ifindex)
{
    for (size_t i = 0; map && i < map->n_ifaces; i++) {
        const struct tenant_iface *iface = &map->ifaces[i];
        if (iface->ifindex
            ? iface->ifindex == ifindex
            : ifname && !strcmp(iface->ifname, ifname)) {
            return &map->tenants[iface->tenant];
        }
    }
    return NULL;
}

/* Returns the map in its file format, one tenant a line in the order read,
 * as a malloc'd string (NULL if out of memory).  Parsing it gives the same
 * map. */
char *
tenant_map_format(const struct tenant_map *map)
{
    /* "tenant 4294967295 NAME" and " ifindex 2147483647" per interface. */
    size_t size = (tenant_map_count(map) * (TENANT_NAME_MAX + 20)
            + (map ? map->n_ifaces : 0) * (TENANT_IFNAME_MAX + 20) + 1);
    char *s = malloc(size);
    size_t len = 0;

    if (!s) {
        return NULL;
    }
    s[0] = '\0';
    for (size_t i = 0; i < tenant_map_count(map); i++) {
        const struct tenant *t = &map->tenants[i];
        len += snprintf(s + len, size - len, "tenant %"PRIu32" %s",
                        t->id, t->name);
        for (size_t j = 0; j < map->n_ifaces; j++) {
            const struct tenant_iface *iface = &map->ifaces[j];
            if (iface->tenant != i) {
                continue;
            }
            len += (iface->ifindex
                    ? snprintf(s + len, size - len, " ifindex %u",
                               iface->ifindex)
                    : snprintf(s + len, size - len, " iface %s",
                               iface->ifname));
        }
        len += snprintf(s + len, size - len, "\n");
    }
    return s;
}
