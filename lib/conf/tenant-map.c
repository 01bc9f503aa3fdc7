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

    /* A hash index of 'ifaces' by name and index, so that a connection's
     * lookup does not grow with the number of tenants: each slot holds an
     * index into 'ifaces' plus one, 0 if empty; at most half are used. */
    size_t *slots;
    size_t n_slots;             /* A power of 2, or 0. */
};

/* The longest word quoted back in an error message. */
#define QUOTE_MAX 40
#define QUOTE(LEN) ((int) ((LEN) > QUOTE_MAX ? QUOTE_MAX : (LEN)))

/* Where an error is: "FILE:LINE: ", or "FILE: " for line 0. */
struct where {
    const char *file;
    unsigned int line;
};

static int map_error(const struct where *, char **errorp,
                     const char *format, ...)
    __attribute__((format(printf, 3, 4)));

static int
map_error(const struct where *where, char **errorp, const char *format, ...)
{
    char msg[256];
    va_list args;

    va_start(args, format);
    vsnprintf(msg, sizeof msg, format, args);
    va_end(args);

    if (errorp) {
        const char *file = where->file ? where->file : "tenant map";
        size_t len = strlen(file) + strlen(msg) + 16;
        *errorp = malloc(len);
        if (*errorp && where->line) {
            snprintf(*errorp, len, "%s:%u: %s", file, where->line, msg);
        } else if (*errorp) {
            snprintf(*errorp, len, "%s: %s", file, msg);
        }
    }
    return EINVAL;
}

static bool
is_blank(char c)
{
    /* '\r' too, so that files edited on other systems still read. */
    return c == ' ' || c == '\t' || c == '\r';
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

/* A name may not be all digits: those name tenants by ID. */
static bool
is_valid_name(const char *name)
{
    size_t len = strlen(name);

    if (!len || len > TENANT_NAME_MAX || strspn(name, "0123456789") == len) {
        return false;
    }
    return strspn(name, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
                  "0123456789_.-") == len;
}

/* The rules of Linux's dev_valid_name(), for printable ASCII. */
static bool
is_valid_ifname(const char *ifname)
{
    size_t len = strlen(ifname);

    if (!len || len > TENANT_IFNAME_MAX
        || !strcmp(ifname, ".") || !strcmp(ifname, "..")) {
        return false;
    }
    for (size_t i = 0; i < len; i++) {
        if (ifname[i] < 0x21 || ifname[i] > 0x7e || ifname[i] == '/'
            || ifname[i] == ':') {
            return false;
        }
    }
    return true;
}

/* Makes room for one more element in '*array' ('n' of '*allocated' used,
 * each 'size' bytes).  Returns false if out of memory. */
static bool
grow(void **array, size_t *allocated, size_t n, size_t size)
{
    if (n >= *allocated) {
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

/* FNV-1a over the name, then the index. */
static size_t
iface_hash(const char *ifname, unsigned int ifindex)
{
    uint32_t hash = 2166136261u;

    for (; *ifname; ifname++) {
        hash = (hash ^ (unsigned char) *ifname) * 16777619u;
    }
    for (int i = 0; i < 4; i++, ifindex >>= 8) {
        hash = (hash ^ (ifindex & 0xff)) * 16777619u;
    }
    return hash;
}

/* Returns the position plus one in 'map->ifaces' of the interface named
 * 'ifname' (if 'ifindex' is 0) or numbered 'ifindex' (then 'ifname' is
 * ""), or 0 if there is none. */
static size_t
iface_find(const struct tenant_map *map, const char *ifname,
           unsigned int ifindex)
{
    if (!map || !map->n_slots) {
        return 0;
    }
    size_t mask = map->n_slots - 1;
    for (size_t i = iface_hash(ifname, ifindex) & mask; map->slots[i];
         i = (i + 1) & mask) {
        const struct tenant_iface *iface = &map->ifaces[map->slots[i] - 1];
        if (iface->ifindex == ifindex && !strcmp(iface->ifname, ifname)) {
            return map->slots[i];
        }
    }
    return 0;
}

static void
iface_index_insert(struct tenant_map *map, size_t pos)
{
    const struct tenant_iface *iface = &map->ifaces[pos];
    size_t mask = map->n_slots - 1;
    size_t i = iface_hash(iface->ifname, iface->ifindex) & mask;

    while (map->slots[i]) {
        i = (i + 1) & mask;
    }
    map->slots[i] = pos + 1;
}

/* Makes room in the index for one more interface.  Returns false if out of
 * memory. */
static bool
iface_index_reserve(struct tenant_map *map)
{
    if ((map->n_ifaces + 1) * 2 <= map->n_slots) {
        return true;
    }

    size_t n_slots = map->n_slots ? map->n_slots * 2 : 16;
    size_t *slots = calloc(n_slots, sizeof *slots);
    if (!slots) {
        return false;
    }
    free(map->slots);
    map->slots = slots;
    map->n_slots = n_slots;
    for (size_t i = 0; i < map->n_ifaces; i++) {
        iface_index_insert(map, i);
    }
    return true;
}

/* Returns a new, empty tenant map, or NULL if out of memory. */
struct tenant_map *
tenant_map_create(void)
{
    return calloc(1, sizeof(struct tenant_map));
}

/* Adds tenant 'id' named 'name' to 'map', defined at 'file' line 'line'
 * (for messages; 0 if none).  Returns 0, or a positive errno value with
 * "FILE:LINE: message" in '*errorp' (if nonnull; the caller frees it). */
int
tenant_map_add(struct tenant_map *map, const char *file, unsigned int line,
               uint32_t id, const char *name, char **errorp)
{
    const struct where where = { file, line };

    if (!is_valid_name(name)) {
        return map_error(&where, errorp, "invalid tenant name '%.*s' (1 to "
                         "%d of A-Z a-z 0-9 _ . -, not all digits)",
                         QUOTE(strlen(name)), name, TENANT_NAME_MAX);
    }
    for (size_t i = 0; i < map->n_tenants; i++) {
        const struct tenant *t = &map->tenants[i];
        if (t->id == id) {
            return map_error(&where, errorp, "duplicate tenant ID %"PRIu32
                             " (first on line %u)", id,
                             map->tenant_lines[i]);
        } else if (!strcmp(name, t->name)) {
            return map_error(&where, errorp, "duplicate tenant name %s "
                             "(first on line %u)", name,
                             map->tenant_lines[i]);
        }
    }
    if (map->n_tenants >= TENANT_MAP_MAX) {
        return map_error(&where, errorp, "too many tenants (at most %d)",
                         TENANT_MAP_MAX);
    }

    size_t allocated = map->allocated_tenants;
    if (!grow((void **) &map->tenants, &allocated, map->n_tenants,
              sizeof *map->tenants)
        || !grow((void **) &map->tenant_lines, &map->allocated_tenants,
                 map->n_tenants, sizeof *map->tenant_lines)) {
        return ENOMEM;
    }
    struct tenant *t = &map->tenants[map->n_tenants];
    t->id = id;
    strcpy(t->name, name);
    map->tenant_lines[map->n_tenants++] = line;
    return 0;
}

/* Adds an interface to the tenant added last to 'map': by name 'ifname'
 * if 'ifindex' is 0, otherwise by index 'ifindex'.  Returns and reports
 * errors like tenant_map_add(). */
int
tenant_map_add_iface(struct tenant_map *map, const char *file,
                     unsigned int line, const char *ifname,
                     unsigned int ifindex, char **errorp)
{
    const struct where where = { file, line };
    struct tenant_iface iface;
    char what[32];

    memset(&iface, 0, sizeof iface);
    iface.line = line;
    if (ifindex) {
        if (ifindex > INT32_MAX) {
            return map_error(&where, errorp, "invalid interface index '%u' "
                             "(1 to %d)", ifindex, INT32_MAX);
        }
        iface.ifindex = ifindex;
        snprintf(what, sizeof what, "ifindex %u", ifindex);
    } else {
        if (!is_valid_ifname(ifname)) {
            return map_error(&where, errorp, "invalid interface name '%.*s' "
                             "(1 to %d characters, not '/' or ':')",
                             QUOTE(strlen(ifname)), ifname,
                             TENANT_IFNAME_MAX);
        }
        strcpy(iface.ifname, ifname);
        snprintf(what, sizeof what, "iface %s", ifname);
    }

    if (!map->n_tenants) {
        return map_error(&where, errorp, "%s: no tenant to add it to", what);
    }
    iface.tenant = map->n_tenants - 1;
    size_t dup = iface_find(map, iface.ifname, iface.ifindex);
    if (dup) {
        const struct tenant_iface *other = &map->ifaces[dup - 1];
        return map_error(&where, errorp, "%s already belongs to tenant %s "
                         "(line %u)", what, map->tenants[other->tenant].name,
                         other->line);
    } else if (map->n_ifaces >= TENANT_MAP_MAX) {
        return map_error(&where, errorp, "too many interfaces (at most %d)",
                         TENANT_MAP_MAX);
    } else if (!grow((void **) &map->ifaces, &map->allocated_ifaces,
                     map->n_ifaces, sizeof *map->ifaces)
               || !iface_index_reserve(map)) {
        return ENOMEM;
    }
    map->ifaces[map->n_ifaces] = iface;
    iface_index_insert(map, map->n_ifaces++);
    return 0;
}

/* The parser of the tenant map file format. */
struct parser {
    struct where where;
    struct tenant_map *map;
    char **errorp;
};

static bool
word_is(const char *word, size_t len, const char *keyword)
{
    return len == strlen(keyword) && !memcmp(word, keyword, len);
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
        }

        size_t start = i;
        for (; i < len && !is_blank(line[i]) && line[i] != '#'; i++) {
            c = line[i];
            if (c < 0x21 || c > 0x7e) {
                map_error(&p->where, p->errorp, "invalid character 0x%02x "
                          "in column %zu", c, i + 1);
                return -1;
            }
        }
        if (n >= max) {
            map_error(&p->where, p->errorp, "too many words (a tenant has "
                      "at most %d interfaces)", TENANT_MAX_IFACES);
            return -1;
        }
        words[n] = line + start;
        lens[n] = i - start;
        n++;
    }
    return n;
}

/* The longest useful line: "tenant ID NAME" and a word pair per interface
 * a tenant may have. */
#define MAX_WORDS (3 + 2 * TENANT_MAX_IFACES)

/* Parses one line.  Returns 0 or a positive errno value. */
static int
parse_line(struct parser *p, const char *line, size_t len)
{
    const char *words[MAX_WORDS];
    size_t lens[MAX_WORDS];
    int n = split_words(p, line, len, words, lens, MAX_WORDS);
    if (n <= 0) {
        return n ? EINVAL : 0;
    }

    unsigned long long id;
    if (!word_is(words[0], lens[0], "tenant")) {
        return map_error(&p->where, p->errorp, "unknown keyword '%.*s' "
                         "(expected 'tenant')", QUOTE(lens[0]), words[0]);
    } else if (n < 2) {
        return map_error(&p->where, p->errorp, "tenant: missing ID");
    } else if (!parse_number(words[1], lens[1], 0, UINT32_MAX, &id)) {
        return map_error(&p->where, p->errorp, "invalid tenant ID '%.*s' "
                         "(0 to %lu)", QUOTE(lens[1]), words[1],
                         (unsigned long) UINT32_MAX);
    } else if (n < 3) {
        return map_error(&p->where, p->errorp, "tenant %llu: missing name",
                         id);
    }

    char word[TENANT_NAME_MAX + 2];
    snprintf(word, sizeof word, "%.*s", (int) lens[2], words[2]);
    int error = tenant_map_add(p->map, p->where.file, p->where.line, id,
                               word, p->errorp);
    if (error) {
        return error;
    } else if (n == 3) {
        return map_error(&p->where, p->errorp, "tenant %s: no interfaces "
                         "(expected 'iface IFNAME' or 'ifindex N')", word);
    }

    for (int i = 3; i < n; i += 2) {
        bool by_name = word_is(words[i], lens[i], "iface");
        unsigned long long index = 0;

        if (!by_name && !word_is(words[i], lens[i], "ifindex")) {
            return map_error(&p->where, p->errorp, "unknown word '%.*s' "
                             "(expected 'iface' or 'ifindex')",
                             QUOTE(lens[i]), words[i]);
        } else if (i + 1 >= n) {
            return map_error(&p->where, p->errorp, "tenant %s: missing "
                             "interface after '%.*s'", word,
                             (int) lens[i], words[i]);
        } else if (!by_name
                   && !parse_number(words[i + 1], lens[i + 1], 1, INT32_MAX,
                                    &index)) {
            return map_error(&p->where, p->errorp, "invalid interface index "
                             "'%.*s' (1 to %d)", QUOTE(lens[i + 1]),
                             words[i + 1], INT32_MAX);
        }

        char ifname[TENANT_IFNAME_MAX + 2];
        snprintf(ifname, sizeof ifname, "%.*s", (int) lens[i + 1],
                 words[i + 1]);
        error = tenant_map_add_iface(p->map, p->where.file, p->where.line,
                                     ifname, index, p->errorp);
        if (error) {
            return error;
        }
    }
    return 0;
}

/* Parses the 'len' bytes of 'text' as a tenant map file named 'file_name'
 * (used in error messages).  On success stores a new map in '*mapp' and
 * returns 0.  On error stores NULL in '*mapp' and returns a positive errno
 * value; if 'errorp' is nonnull, stores a malloc'd "FILE:LINE: message" in
 * '*errorp' (the caller frees it; NULL if out of memory). */
int
tenant_map_parse(const char *text, size_t len, const char *file_name,
                 struct tenant_map **mapp, char **errorp)
{
    struct parser p = { { file_name, 0 }, tenant_map_create(), errorp };
    int error = p.map ? 0 : ENOMEM;

    *mapp = NULL;
    if (errorp) {
        *errorp = NULL;
    }

    const char *end = text + len;
    while (!error && text < end) {
        const char *nl = memchr(text, '\n', end - text);
        size_t line_len = nl ? nl - text : end - text;

        p.where.line++;
        error = parse_line(&p, text, line_len);
        text += line_len + (nl != NULL);
    }

    if (error) {
        tenant_map_destroy(p.map);
        return error;
    }
    *mapp = p.map;
    return 0;
}

/* Reads and parses the tenant map file 'file_name', like
 * tenant_map_parse(); read errors become "FILE: message". */
int
tenant_map_read(const char *file_name, struct tenant_map **mapp,
                char **errorp)
{
    const struct where where = { file_name, 0 };

    *mapp = NULL;
    if (errorp) {
        *errorp = NULL;
    }

    FILE *stream = fopen(file_name, "r");
    if (!stream) {
        int error = errno;
        map_error(&where, errorp, "%s", strerror(error));
        return error;
    }

    char *text = malloc(TENANT_MAP_MAX_FILE + 1);
    size_t len = text ? fread(text, 1, TENANT_MAP_MAX_FILE + 1, stream) : 0;
    int error = (!text ? ENOMEM
                 : ferror(stream) ? EIO
                 : len > TENANT_MAP_MAX_FILE ? EFBIG
                 : memchr(text, '\0', len) ? EINVAL
                 : 0);
    fclose(stream);

    if (!error) {
        error = tenant_map_parse(text, len, file_name, mapp, errorp);
    } else if (error == EFBIG) {
        map_error(&where, errorp, "larger than %d MiB",
                  TENANT_MAP_MAX_FILE / 1024 / 1024);
    } else if (error == EINVAL) {
        map_error(&where, errorp, "not a text file (contains a NUL byte)");
    } else {
        map_error(&where, errorp, "%s", strerror(error));
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
        free(map->slots);
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
 * 'ifindex' (may be 0) belongs to, or NULL.  If the map has the interface
 * both by name and by index, the entry first in the file wins. */
const struct tenant *
tenant_map_lookup(const struct tenant_map *map, const char *ifname,
                  unsigned int ifindex)
{
    size_t by_name = ifname && ifname[0] ? iface_find(map, ifname, 0) : 0;
    size_t by_index = ifindex ? iface_find(map, "", ifindex) : 0;
    size_t pos = (!by_name ? by_index
                  : !by_index ? by_name
                  : by_name < by_index ? by_name : by_index);

    return pos ? &map->tenants[map->ifaces[pos - 1].tenant] : NULL;
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
