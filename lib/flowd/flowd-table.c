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
#include "flowd/flowd-table.h"

#include <stdlib.h>
#include <string.h>

#define KEY_OFS FLOWD_TABLE_KEY_OFS_

static inline struct flowd_table_entry_ *
entry(const struct flowd_table *t, uint32_t i)
{
    return (struct flowd_table_entry_ *) (t->entries
                                          + (size_t) i * t->entry_size);
}

static inline uint8_t *
entry_key(const struct flowd_table *t, uint32_t i)
{
    return (uint8_t *) entry(t, i) + KEY_OFS;
}

const void *
flowd_table_key(const struct flowd_table *t, uint32_t i)
{
    return entry_key(t, i);
}

void *
flowd_table_val(const struct flowd_table *t, uint32_t i)
{
    return entry_key(t, i) + ((t->key_len + 7) & ~7);
}

uint32_t
flowd_hash(const void *data, size_t len)
{
    const uint8_t *p = data, *q = p + len / 8 * 8;
    size_t rest = len % 8, k = 0;
    uint64_t last = 0;

    /* The short last word, zero-padded, in 4-, 2- and 1-byte loads. */
    if (rest & 4) {
        uint32_t x;
        memcpy(&x, q, 4);
        last = x;
        k = 4;
    }
    if (rest & 2) {
        uint16_t x;
        memcpy(&x, q + k, 2);
        last |= (uint64_t) x << (k * 8);
        k += 2;
    }
    if (rest & 1) {
        last |= (uint64_t) q[k] << (k * 8);
    }
    return flowd_hash_words_(p, last, len);
}

/* Makes room for 'alloc' entries with at least twice as many buckets. */
static bool
resize(struct flowd_table *t, uint32_t alloc)
{
    uint32_t nb = 16;

    while (nb < alloc * 2 && nb < (1u << 31)) {
        nb <<= 1;
    }
    uint8_t *entries = realloc(t->entries, t->entry_size * alloc);
    if (!entries) {
        return false;
    }
    t->entries = entries;
    t->alloc = alloc;
    if (nb != t->mask + 1 || !t->buckets) {
        uint32_t *buckets = calloc(nb, sizeof *buckets);
        if (!buckets) {
            return false;
        }
        free(t->buckets);
        t->buckets = buckets;
        t->mask = nb - 1;
        for (uint32_t i = 0; i < t->n; i++) {
            struct flowd_table_entry_ *e = entry(t, i);
            e->next = buckets[e->hash & t->mask];
            buckets[e->hash & t->mask] = i + 1;
        }
    }
    return true;
}

bool
flowd_table_init(struct flowd_table *t, size_t key_len, size_t val_len,
                 uint32_t cap)
{
    memset(t, 0, sizeof *t);
    t->key_len = key_len;
    t->val_len = val_len;
    t->entry_size = KEY_OFS + ((key_len + 7) & ~7) + ((val_len + 7) & ~7);
    t->cap = cap ? cap : 1;
    if (!resize(t, t->cap < 64 ? t->cap : 64)) {
        flowd_table_destroy(t);
        return false;
    }
    return true;
}

void
flowd_table_destroy(struct flowd_table *t)
{
    free(t->buckets);
    free(t->entries);
    t->buckets = NULL;
    t->entries = NULL;
}

void
flowd_table_clear(struct flowd_table *t)
{
    memset(t->buckets, 0, (t->mask + 1) * sizeof *t->buckets);
    t->n = 0;
    t->lru_head = t->lru_tail = 0;
}

static void
lru_unlink(struct flowd_table *t, uint32_t i)
{
    struct flowd_table_entry_ *e = entry(t, i);

    if (e->prev_lru) {
        entry(t, e->prev_lru - 1)->next_lru = e->next_lru;
    } else {
        t->lru_head = e->next_lru;
    }
    if (e->next_lru) {
        entry(t, e->next_lru - 1)->prev_lru = e->prev_lru;
    } else {
        t->lru_tail = e->prev_lru;
    }
}

static void
lru_push(struct flowd_table *t, uint32_t i)
{
    struct flowd_table_entry_ *e = entry(t, i);

    e->prev_lru = 0;
    e->next_lru = t->lru_head;
    if (t->lru_head) {
        entry(t, t->lru_head - 1)->prev_lru = i + 1;
    } else {
        t->lru_tail = i + 1;
    }
    t->lru_head = i + 1;
}

/* memcmp() == 0 for short keys, without a library call per probe. */
static inline bool
keys_equal(const uint8_t *a, const uint8_t *b, size_t len)
{
    uint64_t diff = 0;

    for (; len >= 8; a += 8, b += 8, len -= 8) {
        uint64_t x, y;
        memcpy(&x, a, 8);
        memcpy(&y, b, 8);
        diff |= x ^ y;
    }
    for (; len; len--) {
        diff |= *a++ ^ *b++;
    }
    return !diff;
}

static uint32_t
lookup(const struct flowd_table *t, const void *key, uint32_t hash)
{
    for (uint32_t i = t->buckets[hash & t->mask]; i; i = entry(t, i - 1)->next) {
        if (entry(t, i - 1)->hash == hash
            && keys_equal(entry_key(t, i - 1), key, t->key_len)) {
            return i;
        }
    }
    return 0;
}

/* lookup() for any key, as an entry or NULL: keys of whole words need
 * no padding. */
static inline struct flowd_table_entry_ *
lookup_any(const struct flowd_table *t, const void *key, uint32_t hash)
{
    if (t->key_len & 7) {
        uint32_t i = lookup(t, key, hash);
        return i ? entry(t, i - 1) : NULL;
    }
    return flowd_table_lookup_padded_(t, key, hash);
}

void *
flowd_table_find_h(struct flowd_table *t, const void *key, uint32_t hash)
{
    struct flowd_table_entry_ *e = lookup_any(t, key, hash);

    return e ? flowd_table_entry_val_(t, e) : NULL;
}

void *
flowd_table_find(struct flowd_table *t, const void *key)
{
    return flowd_table_find_h(t, key, flowd_hash(key, t->key_len));
}

/* Takes entry 'i' out of its bucket chain. */
static void
unchain(struct flowd_table *t, uint32_t i)
{
    uint32_t *link = &t->buckets[entry(t, i)->hash & t->mask];

    while (*link != i + 1) {
        link = &entry(t, *link - 1)->next;
    }
    *link = entry(t, i)->next;
}

void *
flowd_table_insert(struct flowd_table *t, const void *key, bool *added)
{
    return flowd_table_insert_h(t, key, flowd_hash(key, t->key_len), added);
}

void *
flowd_table_insert_h(struct flowd_table *t, const void *key, uint32_t hash,
                     bool *added)
{
    struct flowd_table_entry_ *e = lookup_any(t, key, hash);

    t->clock++;
    if (e) {
        /* Approximate LRU: moving an entry to the head touches two other
         * entries, so only entries that drifted a fair way down move. */
        if (t->clock - e->stamp > t->cap / 8) {
            uint32_t i = ((uint8_t *) e - t->entries) / t->entry_size;

            if (t->lru_head != i + 1) {
                lru_unlink(t, i);
                lru_push(t, i);
                e->stamp = t->clock;
            }
        }
        *added = false;
        return flowd_table_entry_val_(t, e);
    }

    *added = true;
    return flowd_table_insert_new_h(t, key, hash);
}

void *
flowd_table_insert_new_h(struct flowd_table *t, const void *key, uint32_t hash)
{
    uint32_t slot;
    if (t->n == t->alloc && t->alloc < t->cap) {
        uint32_t alloc = t->alloc > t->cap / 2 ? t->cap : t->alloc * 2;
        if (!resize(t, alloc)) {
            t->cap = t->alloc;  /* Out of memory: stop growing. */
        }
    }
    if (t->n < t->alloc) {
        slot = t->n++;
    } else {
        slot = t->lru_tail - 1;
        lru_unlink(t, slot);
        unchain(t, slot);
        t->evictions++;
    }
    struct flowd_table_entry_ *e = entry(t, slot);
    e->hash = hash;
    e->next = t->buckets[hash & t->mask];
    t->buckets[hash & t->mask] = slot + 1;
    uint8_t *k = entry_key(t, slot);
    if (t->key_len & 7) {
        /* Zero-padded (see flowd_table_lookup_padded_()): one word store, not
         * a memset() of a variable length. */
        uint64_t zero = 0;
        memcpy(k + (t->key_len & ~(size_t) 7), &zero, 8);
    }
    memcpy(k, key, t->key_len);
    memset(flowd_table_val(t, slot), 0, t->val_len);
    lru_push(t, slot);
    e->stamp = t->clock;
    return flowd_table_val(t, slot);
}

uint32_t
flowd_table_oldest(const struct flowd_table *t)
{
    return t->lru_tail;
}

uint32_t
flowd_table_newer(const struct flowd_table *t, uint32_t i)
{
    return entry(t, i)->prev_lru;
}

void
flowd_table_prefetch_entry(const struct flowd_table *t, uint32_t hash)
{
    uint32_t i = t->buckets[hash & t->mask];

    if (i) {
        const char *e = (const char *) entry(t, i - 1);
        __builtin_prefetch(e);
        if (t->entry_size > 64) {
            __builtin_prefetch(e + 64);     /* The value, for the update. */
        }
    }
}
