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

#ifndef L2MT_FLOWD_TABLE_H
#define L2MT_FLOWD_TABLE_H 1

/* A hash table of fixed-size keys and values with a hard capacity: when it
 * is full, inserting evicts the least recently used entry and counts it, so
 * memory stays bounded whatever the input.  Entries stay dense: index
 * 0 .. n-1 walks them all. */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

struct flowd_table {
    size_t key_len, val_len, entry_size;
    uint32_t cap, n, mask;
    uint32_t alloc;             /* Entries allocated; grows up to 'cap'. */
    uint32_t *buckets;          /* Entry index + 1; 0 is empty. */
    uint8_t *entries;
    uint32_t lru_head, lru_tail;  /* Most recent at head; index + 1. */
    uint64_t evictions;
    uint32_t clock;             /* Inserts so far, for approximate LRU. */
};

bool flowd_table_init(struct flowd_table *, size_t key_len, size_t val_len,
                      uint32_t cap);
void flowd_table_destroy(struct flowd_table *);
void flowd_table_clear(struct flowd_table *);

void *flowd_table_find(struct flowd_table *, const void *key);
/* Returns the value for 'key', inserting it zeroed (and setting '*added')
 * if it is new.  Marks the entry most recently used. */
void *flowd_table_insert(struct flowd_table *, const void *key, bool *added);

/* The same with the key's flowd_hash() already computed, so that a caller
 * can hash once for several tables or prefetch before looking up. */
void *flowd_table_find_h(struct flowd_table *, const void *key, uint32_t hash);
void *flowd_table_insert_h(struct flowd_table *, const void *key,
                           uint32_t hash,
                           bool *added);

/* Inserts 'key', known to be absent (flowd_table_find_h() just said so). */
void *flowd_table_insert_new_h(struct flowd_table *, const void *key,
                               uint32_t hash);

static inline void
flowd_table_prefetch(const struct flowd_table *t, uint32_t hash)
{
    __builtin_prefetch(&t->buckets[hash & t->mask]);
}

/* Second stage: prefetches the first entry of the bucket (after
 * flowd_table_prefetch() had time to bring the bucket in). */
void flowd_table_prefetch_entry(const struct flowd_table *, uint32_t hash);

const void *flowd_table_key(const struct flowd_table *, uint32_t i);
void *flowd_table_val(const struct flowd_table *, uint32_t i);

/* LRU walk: index + 1 of the oldest entry, or of the entry just newer than
 * entry 'i'; 0 at the end. */
uint32_t flowd_table_oldest(const struct flowd_table *);
uint32_t flowd_table_newer(const struct flowd_table *, uint32_t i);

uint32_t flowd_hash(const void *, size_t);

/* The fast path for keys built in a buffer whose bytes from 'len' up to
 * the next multiple of 8 are zero (and readable): whole 64-bit words are
 * hashed and compared.  flowd_hash_padded(key, len) equals
 * flowd_hash(key, len). */
static inline void *flowd_table_find_padded(struct flowd_table *,
                                            const void *key,
                                            uint32_t hash);
static inline uint32_t flowd_hash_padded(const void *key, size_t len);

/* Internal: an entry's header, then its key and value, 8-byte aligned.
 * Here only so that flowd_table_find_padded(), several times per sample, is
 * inline. */
struct flowd_table_entry_ {
    uint32_t next;              /* Bucket chain, index + 1. */
    uint32_t prev_lru, next_lru;
    uint32_t hash;
    uint32_t stamp;             /* 'clock' when last moved to the head. */
};
#define FLOWD_TABLE_KEY_OFS_ ((sizeof(struct flowd_table_entry_) + 7) & ~7)

/* Internal: the entry for zero-padded 'key', or NULL.  Stored keys are
 * zero-padded too, so whole words compare. */
static inline struct flowd_table_entry_ *
flowd_table_lookup_padded_(const struct flowd_table *t, const uint8_t *key,
                           uint32_t hash)
{
    size_t n = (t->key_len + 7) / 8;

    for (uint32_t i = t->buckets[hash & t->mask]; i; ) {
        uint8_t *e = t->entries + (size_t) (i - 1) * t->entry_size;
        const uint8_t *k = e + FLOWD_TABLE_KEY_OFS_;
        uint64_t diff = 0;

        if (((struct flowd_table_entry_ *) e)->hash == hash) {
            for (size_t j = 0; j < n; j++) {
                uint64_t x, y;
                memcpy(&x, k + j * 8, 8);
                memcpy(&y, key + j * 8, 8);
                diff |= x ^ y;
            }
            if (!diff) {
                return (struct flowd_table_entry_ *) e;
            }
        }
        i = ((struct flowd_table_entry_ *) e)->next;
    }
    return NULL;
}

/* Internal: the value of entry 'e'. */
static inline void *
flowd_table_entry_val_(const struct flowd_table *t,
                       struct flowd_table_entry_ *e)
{
    return (uint8_t *) e + FLOWD_TABLE_KEY_OFS_ + (t->key_len + 7) / 8 * 8;
}

static inline void *
flowd_table_find_padded(struct flowd_table *t, const void *key, uint32_t hash)
{
    struct flowd_table_entry_ *e = flowd_table_lookup_padded_(t, key, hash);

    return e ? flowd_table_entry_val_(t, e) : NULL;
}

static inline uint64_t
flowd_rotl64_(uint64_t x, int r)
{
    return (x << r) | (x >> (64 - r));
}

static inline uint32_t
flowd_hash_final_(uint64_t h1, uint64_t h2)
{
    uint64_t h = h1 ^ flowd_rotl64_(h2, 17);

    h ^= h >> 33;
    h *= 0xff51afd7ed558ccdULL;
    h ^= h >> 29;
    return h ^ (h >> 32);
}

/* Internal to flowd_hash() and flowd_hash_padded(): the hash of a key of
 * 'len' bytes as its 'len / 8' whole 64-bit words at 'p' followed, if
 * 'len' is not a multiple of 8, by 'last' (the rest, zero-padded).  Two
 * independent multiply lanes keep the dependency chain short, and whole
 * words mean no byte loop and no memcpy() call per key. */
static inline uint32_t
flowd_hash_words_(const uint8_t *p, uint64_t last, size_t len)
{
    uint64_t h1 = 0x9e3779b97f4a7c15ULL ^ len;
    uint64_t h2 = 0xc2b2ae3d27d4eb4fULL;
    size_t n = len / 8, i;

    for (i = 0; i + 2 <= n; i += 2) {
        uint64_t w1, w2;
        memcpy(&w1, p + i * 8, 8);
        memcpy(&w2, p + i * 8 + 8, 8);
        h1 = flowd_rotl64_((h1 ^ w1) * 0xff51afd7ed558ccdULL, 31);
        h2 = flowd_rotl64_((h2 ^ w2) * 0xc4ceb9fe1a85ec53ULL, 29);
    }
    if (i < n) {
        uint64_t w;
        memcpy(&w, p + i * 8, 8);
        h1 = flowd_rotl64_((h1 ^ w) * 0xff51afd7ed558ccdULL, 31);
        if (len % 8) {
            h2 = flowd_rotl64_((h2 ^ last) * 0xc4ceb9fe1a85ec53ULL, 29);
        }
    } else if (len % 8) {
        h1 = flowd_rotl64_((h1 ^ last) * 0xff51afd7ed558ccdULL, 31);
    }
    return flowd_hash_final_(h1, h2);
}

static inline uint32_t
flowd_hash_padded(const void *key, size_t len)
{
    const uint8_t *p = key;
    uint64_t last = 0;

    if (len % 8) {
        memcpy(&last, p + len / 8 * 8, 8);
    }
    return flowd_hash_words_(p, last, len);
}

#endif /* flowd-table.h */
