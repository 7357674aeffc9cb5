/*
 * bitmap.h -- sets of small integers as arrays of 32-bit words: bit i of a
 * map is bit i % 32 of word i / 32.  The page allocators and kmalloc keep
 * their per-page records this way.  Freestanding, header-only: the caller
 * owns the words and their bounds; nothing here checks an index.
 */
#ifndef LIBS_BITMAP_H
#define LIBS_BITMAP_H

#include <defs.h>

#define BITMAP_WORD_BITS 32
#define BITMAP_NONE      ((size_t)-1) /* "no such bit" */

/* bitmap_test - whether bit @i of @map is set. */
static __always_inline bool bitmap_test(const uint32_t *map, size_t i)
{
    return (map[i / BITMAP_WORD_BITS] >> (i % BITMAP_WORD_BITS)) & 1;
}

/* bitmap_assign - set bit @i of @map (@on) or clear it. */
static __always_inline void bitmap_assign(uint32_t *map, size_t i, bool on)
{
    uint32_t bit = 1u << (i % BITMAP_WORD_BITS);
    uint32_t *word = &map[i / BITMAP_WORD_BITS];
    *word = on ? *word | bit : *word & ~bit;
}

/* bitmap_range_mask - the bits of word @w that stand for [p, p + n); the
 * range must meet the word (n > 0). */
static __always_inline uint32_t bitmap_range_mask(size_t w, size_t p, size_t n)
{
    uint32_t mask = ~0u;
    if (w == p / BITMAP_WORD_BITS) {
        mask <<= p % BITMAP_WORD_BITS;
    }
    if (w == (p + n - 1) / BITMAP_WORD_BITS) {
        mask &= ~0u >> (BITMAP_WORD_BITS - 1 - (p + n - 1) % BITMAP_WORD_BITS);
    }
    return mask;
}

/* bitmap_assign_range - set (@on) or clear bits [p, p + n) of @map, n > 0. */
static inline void bitmap_assign_range(uint32_t *map, size_t p, size_t n,
                                       bool on)
{
    size_t last = (p + n - 1) / BITMAP_WORD_BITS;
    for (size_t w = p / BITMAP_WORD_BITS; w <= last; w++) {
        uint32_t mask = bitmap_range_mask(w, p, n);
        map[w] = on ? map[w] | mask : map[w] & ~mask;
    }
}

/* bitmap_find - the lowest i in [p, p + n), n > 0, whose bit in @map is
 * @value (set or clear), or BITMAP_NONE. */
static inline size_t bitmap_find(const uint32_t *map, size_t p, size_t n,
                                 bool value)
{
    uint32_t flip = value ? 0 : ~0u;
    size_t w = p / BITMAP_WORD_BITS, last = (p + n - 1) / BITMAP_WORD_BITS;
    uint32_t x = (map[w] ^ flip) & (~0u << (p % BITMAP_WORD_BITS));
    while (x == 0 && w < last) {
        x = map[++w] ^ flip;
    }
    size_t i = w * BITMAP_WORD_BITS + (x != 0 ? __builtin_ctz(x) : 0);
    return x != 0 && i < p + n ? i : BITMAP_NONE;
}

/* bitmap_claim_range - set bits [p, p + n) of @map, n > 0, and return
 * BITMAP_NONE when none of them was set; otherwise leave @map as it was and
 * return the lowest that was.  One pass: each word is tested and set in
 * turn, and on a hit the words already set are cleared again. */
static inline size_t bitmap_claim_range(uint32_t *map, size_t p, size_t n)
{
    size_t first = p / BITMAP_WORD_BITS, last = (p + n - 1) / BITMAP_WORD_BITS;
    for (size_t w = first; w <= last; w++) {
        uint32_t mask = bitmap_range_mask(w, p, n);
        if (map[w] & mask) {
            while (w-- > first) {
                map[w] &= ~bitmap_range_mask(w, p, n);
            }
            return bitmap_find(map, p, n, true);
        }
        map[w] |= mask;
    }
    return BITMAP_NONE;
}

/* bitmap_find_last - the highest i in [p, p + n), n > 0, whose bit in @map
 * is @value, or BITMAP_NONE. */
static inline size_t bitmap_find_last(const uint32_t *map, size_t p, size_t n,
                                      bool value)
{
    uint32_t flip = value ? 0 : ~0u;
    size_t end = p + n - 1;
    size_t w = end / BITMAP_WORD_BITS, first = p / BITMAP_WORD_BITS;
    uint32_t x = (map[w] ^ flip) & (~0u >> (31 - end % BITMAP_WORD_BITS));
    while (x == 0 && w > first) {
        x = map[--w] ^ flip;
    }
    size_t i = w * BITMAP_WORD_BITS + (x != 0 ? 31 - __builtin_clz(x) : 0);
    return x != 0 && i >= p ? i : BITMAP_NONE;
}

/* bitmap_count - the number of set bits in the first @words words. */
static inline size_t bitmap_count(const uint32_t *map, size_t words)
{
    size_t count = 0;
    for (size_t w = 0; w < words; w++) {
        for (uint32_t x = map[w]; x != 0; x &= x - 1) {
            count++;
        }
    }
    return count;
}

#endif /* !LIBS_BITMAP_H */
