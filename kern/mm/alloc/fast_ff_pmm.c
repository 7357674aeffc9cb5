/*
 * fast_ff_pmm.c -- first-fit placement without walking a list.
 *
 * Linear first-fit (default_pmm.c) keeps its free blocks fully coalesced
 * and hands out the low end of the lowest block of n pages or more.  This
 * manager keeps the same blocks, so it makes the same choice every time,
 * but finds the block without walking the blocks below it.
 *
 * A free block is known by its first page (its head): the head's bit is
 * set in a bitmap over the pages, and the block's length is in the head
 * page's 'property' field, which struct Page leaves to the manager.  Two
 * small bitmaps above the head bitmap mark the words that hold a head and
 * the groups of 32 words that do, so the neighbours of a freed range are
 * a few find-first-set steps away.  A hint, low, says below which page
 * there is no head: the lowest block, which every single-page request
 * takes, is usually found in its first word.
 *
 * Larger requests first try that lowest block, then descend a complete
 * binary tree over the words of the head bitmap (node 1 the root, node
 * i's children 2i and 2i + 1, word w at leaf nr_leaves + w).  Each node
 * holds a bound: no block whose head lies in the node's span is longer.
 * A bound is raised, up the tree, when a block grows past it, and left
 * alone when a block shrinks or merges into another, so taking pages
 * walks no tree and a free walks only as far as the new block outgrows
 * its ancestors' bounds.  The search enters the lowest child whose bound
 * reaches n; a leaf checks its heads in address order; a span that turns
 * out to hold no block that long has its bound lowered on the way back
 * up (to its longest block, or its larger child), so the next search
 * skips it.
 *
 * For W bitmap words: a single-page alloc is O(W / 1024) at worst and
 * usually O(1); a larger one O(log W) plus the bounds it lowers, each
 * lowering paid for by the alloc or merge that left that bound too high;
 * a free O(W / 1024 + log W + n / 32), plus O(n) to reset the freed Page
 * structs (as every manager does).  The tree only grows to cover the
 * highest page handed to init_memmap, so a small machine gets a shallow
 * tree.  Where the free list is short -- small memories, or frees in LIFO
 * or FIFO order -- linear first-fit's walk is cheap and this manager is
 * somewhat slower than it (tests/bench has the numbers); the longer the
 * list, the larger its lead.
 */
#include <pmm.h>
#include <bitmap.h>
#include <string.h>
#include <stdio.h>
#include <fast_ff_pmm.h>

#define WORD_PAGES    BITMAP_WORD_BITS /* pages per head-bitmap word */
#define FF_MAX_PAGES  MAXPA_PAGES /* frames below 4 GiB (high memory too) */
#define FF_MAX_LEAVES 32768       /* 2^k >= FF_MAX_PAGES / 32, and 1024 | it */
#define NO_PAGE       BITMAP_NONE

static_assert(FF_MAX_LEAVES * WORD_PAGES >= FF_MAX_PAGES);

/*
 * block_index - the free blocks of pages [0, nr_leaves * 32), where page p
 * is pages[first + p]: a free block at p is p's bit in head, with its
 * length in that Page's property.  Blocks never overlap or touch.
 * nr_leaves is a power of two.
 */
struct block_index {
    size_t first;        /* page p of the index is pages[first + p] */
    size_t low;          /* no head lies below page low */
    uint32_t *head;      /* bit p set: a free block starts at page p */
    uint32_t *word_map;  /* bit w set: head word w is not zero */
    uint32_t *group_map; /* bit g set: word_map word g is not zero */
    uint32_t *bound;     /* per tree node: >= every block length in it */
    size_t nr_leaves;
};

static uint32_t live_head[FF_MAX_LEAVES];
static uint32_t live_word_map[FF_MAX_LEAVES / 32];
static uint32_t live_group_map[FF_MAX_LEAVES / 1024];
static uint32_t live_bound[2 * FF_MAX_LEAVES];
static struct block_index live = {.head = live_head,
                                  .word_map = live_word_map,
                                  .group_map = live_group_map,
                                  .bound = live_bound,
                                  .nr_leaves = 1};
static size_t nr_free;

/* block_len - the length of the free block whose head is page @p. */
static __always_inline uint32_t block_len(const struct block_index *t, size_t p)
{
    return pages[t->first + p].property;
}

/* raise_bound - make the bounds of page @p's leaf and its ancestors at least
 * @len, stopping at the first one that already is. */
static __always_inline void raise_bound(struct block_index *t, size_t p,
                                        uint32_t len)
{
    for (size_t i = t->nr_leaves + p / WORD_PAGES; i > 0 && t->bound[i] < len;
         i /= 2) {
        t->bound[i] = len;
    }
}

/* set_head - make page @p the head of a free block of @len pages. */
static __always_inline void set_head(struct block_index *t, size_t p,
                                     uint32_t len)
{
    size_t w = p / WORD_PAGES;
    if (t->head[w] == 0) {
        bitmap_assign(t->word_map, w, true);
        bitmap_assign(t->group_map, w / 32, true);
    }
    bitmap_assign(t->head, p, true);
    pages[t->first + p].property = len;
    raise_bound(t, p, len);
}

/* clear_head - page @p heads no block any more.  Bounds stay as they are,
 * but for the leaf of a word left without heads, which drops to 0. */
static __always_inline void clear_head(struct block_index *t, size_t p)
{
    size_t w = p / WORD_PAGES;
    bitmap_assign(t->head, p, false);
    pages[t->first + p].property = 0;
    if (t->head[w] == 0) {
        t->bound[t->nr_leaves + w] = 0;
        bitmap_assign(t->word_map, w, false);
        if (t->word_map[w / 32] == 0) {
            bitmap_assign(t->group_map, w / 32, false);
        }
    }
}

/* bits_from - the bits of @x at or above bit @i (i <= 32). */
static __always_inline uint32_t bits_from(uint32_t x, size_t i)
{
    return i < 32 ? x >> i << i : 0;
}

/* bits_below - the bits of @x below bit @i (i <= 32). */
static __always_inline uint32_t bits_below(uint32_t x, size_t i)
{
    return i > 0 ? x << (32 - i) >> (32 - i) : 0;
}

/* next_head - the lowest head at or above page @p, or NO_PAGE. */
static size_t next_head(const struct block_index *t, size_t p)
{
    size_t w = p / WORD_PAGES, g = w / 32, groups = (t->nr_leaves + 31) / 32;
    if (w >= t->nr_leaves) {
        return NO_PAGE;
    }
    uint32_t x = bits_from(t->head[w], p % WORD_PAGES);
    if (x == 0) {
        uint32_t y = bits_from(t->word_map[g], w % 32 + 1);
        if (y == 0) {
            g = g + 1 < groups
                    ? bitmap_find(t->group_map, g + 1, groups - g - 1, true)
                    : NO_PAGE;
            if (g == NO_PAGE) {
                return NO_PAGE;
            }
            y = t->word_map[g];
        }
        w = g * 32 + __builtin_ctz(y);
        x = t->head[w];
    }
    return w * WORD_PAGES + __builtin_ctz(x);
}

/* prev_head - the highest head below page @p, or NO_PAGE. */
static size_t prev_head(const struct block_index *t, size_t p)
{
    if (p <= t->low) {
        return NO_PAGE;
    }
    size_t w = p / WORD_PAGES, g = w / 32;
    uint32_t x = bits_below(t->head[w], p % WORD_PAGES);
    if (x == 0) {
        uint32_t y = bits_below(t->word_map[g], w % 32);
        if (y == 0) {
            g = g > 0 ? bitmap_find_last(t->group_map, 0, g, true) : NO_PAGE;
            if (g == NO_PAGE) {
                return NO_PAGE;
            }
            y = t->word_map[g];
        }
        w = g * 32 + 31 - __builtin_clz(y);
        x = t->head[w];
    }
    return w * WORD_PAGES + 31 - __builtin_clz(x);
}

/* leaf_fit - the lowest head in word @w whose block has at least @n pages;
 * or NO_PAGE, after lowering the word's bound to its longest block. */
static size_t leaf_fit(struct block_index *t, size_t w, size_t n)
{
    uint32_t longest = 0;
    for (uint32_t x = t->head[w]; x != 0; x &= x - 1) {
        size_t p = w * WORD_PAGES + __builtin_ctz(x);
        if (block_len(t, p) >= n) {
            return p;
        }
        longest = MAX(longest, block_len(t, p));
    }
    t->bound[t->nr_leaves + w] = longest;
    return NO_PAGE;
}

/* climb - from node @i, whose bound is now below @n, up to the nearest
 * right sibling (of i or of an ancestor) whose bound reaches n, lowering
 * the bound of every ancestor passed to its larger child's; 0 when the
 * root is passed. */
static size_t climb(struct block_index *t, size_t i, size_t n)
{
    for (; i > 1; i /= 2) {
        if (i % 2 == 0 && t->bound[i + 1] >= n) {
            return i + 1;
        }
        t->bound[i / 2] = MAX(t->bound[i], t->bound[i ^ 1]);
    }
    return 0;
}

/* find_fit - the head of the lowest free block of at least @n pages, or
 * NO_PAGE.  Every node entered has a bound of at least n. */
static size_t find_fit(struct block_index *t, size_t n)
{
    size_t i = t->bound[1] >= n ? 1 : 0;
    while (i != 0) {
        if (i >= t->nr_leaves) {
            size_t p = leaf_fit(t, i - t->nr_leaves, n);
            if (p != NO_PAGE) {
                return p;
            }
        } else if (t->bound[2 * i] >= n || t->bound[2 * i + 1] >= n) {
            i = t->bound[2 * i] >= n ? 2 * i : 2 * i + 1;
            continue;
        } else {
            t->bound[i] = MAX(t->bound[2 * i], t->bound[2 * i + 1]);
        }
        i = climb(t, i, n);
    }
    return NO_PAGE;
}

/* take - cut @n pages from the low end of the free block at @p. */
static void take(struct block_index *t, size_t p, size_t n)
{
    uint32_t len = block_len(t, p);
    if (len > n) {
        set_head(t, p + n, len - n);
    }
    clear_head(t, p);
}

/* overlap - the lowest page of [p, p + n) that a free block holds, given
 * the last head @prev below p and the first @next in [p, p + n]; or
 * NO_PAGE. */
static size_t overlap(const struct block_index *t, size_t p, size_t n,
                      size_t prev, size_t next)
{
    if (prev != NO_PAGE && prev + block_len(t, prev) > p) {
        return p;
    }
    return next < p + n ? next : NO_PAGE;
}

/* give - make [p, p + n) free, merging it with the blocks at @prev and
 * @next (as for overlap) when they touch it; it must overlap no free
 * block. */
static void give(struct block_index *t, size_t p, size_t n, size_t prev,
                 size_t next)
{
    size_t len = n;
    if (next == p + n) {
        len += block_len(t, next);
        clear_head(t, next);
    }
    if (prev != NO_PAGE && prev + block_len(t, prev) == p) {
        len += block_len(t, prev);
        p = prev;
    }
    set_head(t, p, len);
    t->low = MIN(t->low, p);
}

/* rebuild - recompute every bound of @t exactly from its blocks. */
static void rebuild(struct block_index *t)
{
    for (size_t w = 0; w < t->nr_leaves; w++) {
        leaf_fit(t, w, (size_t)-1); /* fits nothing: sets the exact bound */
    }
    for (size_t i = t->nr_leaves - 1; i >= 1; i--) {
        t->bound[i] = MAX(t->bound[2 * i], t->bound[2 * i + 1]);
    }
    t->low = 0;
}

/* tree_cover - grow @t until it covers pages [0, end); words past the old
 * cover hold no heads yet. */
static void tree_cover(struct block_index *t, size_t end)
{
    size_t words = (end + WORD_PAGES - 1) / WORD_PAGES;
    if (words <= t->nr_leaves) {
        return;
    }
    while (t->nr_leaves < words) {
        t->nr_leaves *= 2;
    }
    rebuild(t);
}

static void fast_ff_init(void)
{
    memset(live_head, 0, sizeof(live_head));
    memset(live_word_map, 0, sizeof(live_word_map));
    memset(live_group_map, 0, sizeof(live_group_map));
    live.nr_leaves = 1;
    rebuild(&live);
    nr_free = 0;
}

/* release - hand [base, base + n) back to @t with every Page reset;
 * panics, before changing anything, if a page of it is already free.
 * @fn names the caller. */
static void release(struct block_index *t, const char *fn, struct Page *base,
                    size_t n)
{
    size_t p = base - pages - t->first, cover = t->nr_leaves * WORD_PAGES;
    size_t prev = prev_head(t, p);
    size_t next = bitmap_find(t->head, p, MIN(n + 1, cover - p), true);
    size_t dup = overlap(t, p, n, prev, next);
    if (dup != NO_PAGE) {
        panic("%s: fast_ff_pmm: [%p, +%lu): page %p (ppn %lu) is already "
              "free: double free",
              fn, base, (unsigned long)n, pages + t->first + dup,
              (unsigned long)(t->first + dup));
    }
    for (struct Page *pg = base; pg != base + n; pg++) {
        pg->flags = 0;
        set_page_ref(pg, 0);
    }
    give(t, p, n, prev, next);
}

static void fast_ff_init_memmap(struct Page *base, size_t n)
{
    assert(n > 0);
    size_t end = (size_t)(base - pages) + n;
    if (end > FF_MAX_PAGES) {
        panic("init_memmap: fast_ff_pmm: [%p, +%lu) ends at ppn %lu, past "
              "the %lu pages below 4 GiB",
              base, (unsigned long)n, (unsigned long)end,
              (unsigned long)FF_MAX_PAGES);
    }
    tree_cover(&live, end);
    release(&live, "init_memmap", base, n);
    nr_free += n;
}

/* first_fit - the head of the lowest block of @t with @n pages or more,
 * or NO_PAGE.  The lowest block is tried first: it answers every
 * single-page request, and larger ones whenever free memory is a few
 * large blocks. */
static size_t first_fit(struct block_index *t, size_t n)
{
    size_t p = next_head(t, t->low);
    if (p == NO_PAGE) {
        return NO_PAGE;
    }
    t->low = p;
    return block_len(t, p) >= n ? p : find_fit(t, n);
}

static struct Page *fast_ff_alloc_pages(size_t n)
{
    assert(n > 0);
    if (n > nr_free) {
        return NULL;
    }
    size_t p = first_fit(&live, n);
    if (p == NO_PAGE) {
        return NULL;
    }
    take(&live, p, n);
    nr_free -= n;
    return pages + p;
}

static void fast_ff_free_pages(struct Page *base, size_t n)
{
    assert(n > 0);
    size_t end = (size_t)(base - pages) + n;
    if (end > live.nr_leaves * WORD_PAGES) {
        panic("free_pages: fast_ff_pmm: [%p, +%lu): ppn %lu was never "
              "handed to init_memmap",
              base, (unsigned long)n, (unsigned long)(end - 1));
    }
    release(&live, "free_pages", base, n);
    nr_free += n;
}

static size_t fast_ff_nr_free_pages(void) { return nr_free; }

/* fast_ff_show_free - one line per free block, in address order. */
static void fast_ff_show_free(void)
{
    for (size_t p = next_head(&live, 0); p != NO_PAGE;) {
        uint32_t len = block_len(&live, p);
        cprintf("  [ppn %05lx, %05lx] %u pages\n", (unsigned long)p,
                (unsigned long)(p + len - 1), len);
        p = next_head(&live, p + len);
    }
}

/* check_index - the index bitmaps match the heads, blocks are sorted and
 * neither overlap nor touch, and every bound holds; returns the number of
 * free pages. */
static size_t check_index(const struct block_index *t)
{
    for (size_t w = 0; w < t->nr_leaves; w++) {
        assert(bitmap_test(t->word_map, w) == (t->head[w] != 0));
        assert(bitmap_test(t->group_map, w / 32) == (t->word_map[w / 32] != 0));
    }
    for (size_t i = 1; i < t->nr_leaves; i++) {
        assert(t->bound[i] >= MAX(t->bound[2 * i], t->bound[2 * i + 1]));
    }
    size_t total = 0, end = 0;
    for (size_t p = next_head(t, 0); p != NO_PAGE; p = next_head(t, p + 1)) {
        uint32_t len = block_len(t, p);
        assert(len > 0 && (total == 0 || p > end));
        assert(t->bound[t->nr_leaves + p / WORD_PAGES] >= len);
        assert(p + 1 == t->nr_leaves * WORD_PAGES || prev_head(t, p + 1) == p);
        end = p + len;
        total += len;
    }
    assert(end <= t->nr_leaves * WORD_PAGES);
    return total;
}

/* naive_first_fit - first-fit by visiting every block in address order:
 * the oracle the tree search must agree with. */
static size_t naive_first_fit(const struct block_index *t, size_t n)
{
    for (size_t p = next_head(t, 0); p != NO_PAGE; p = next_head(t, p + 1)) {
        if (block_len(t, p) >= n) {
            return p;
        }
    }
    return NO_PAGE;
}

/* expect_take - allocate @n pages from @t, asserting first-fit put them at
 * @want (NO_PAGE: nothing fits) and the index stayed consistent. */
static void expect_take(struct block_index *t, size_t n, size_t want)
{
    size_t p = first_fit(t, n);
    assert(p == want && p == naive_first_fit(t, n));
    if (p != NO_PAGE) {
        take(t, p, n);
    }
    check_index(t);
}

/* put_back - free @n pages at page @p of @t. */
static void put_back(struct block_index *t, size_t p, size_t n)
{
    release(t, "check", pages + t->first + p, n);
}

/* check_placement - first-fit on a private 128-page index over the pages
 * at @arena: the lowest block wins, blocks split, neighbours merge, blocks
 * cross word and subtree boundaries, NULL when nothing fits, and a bound
 * left too high by a shrink is lowered by the search that finds it so. */
static void check_placement(struct Page *arena)
{
    uint32_t head[4] = {0}, word_map[1] = {0}, group_map[1] = {0}, bound[8];
    struct block_index t = {.first = arena - pages,
                            .head = head,
                            .word_map = word_map,
                            .group_map = group_map,
                            .bound = bound,
                            .nr_leaves = 4};
    rebuild(&t);
    put_back(&t, 0, 2);
    put_back(&t, 3, 1);
    put_back(&t, 5, 3);
    expect_take(&t, 3, 5);       /* the only block that fits */
    expect_take(&t, 1, 0);       /* the lowest block, split */
    expect_take(&t, 2, NO_PAGE); /* 1 and 3 are free, not together */
    assert(bound[1] == 1);       /* lowered by that search */
    put_back(&t, 0, 1);          /* merges with page 1 */
    expect_take(&t, 2, 0);
    expect_take(&t, 1, 3);
    assert(check_index(&t) == 0);

    put_back(&t, 60, 8); /* crosses the root's middle (page 64) */
    put_back(&t, 10, 4);
    expect_take(&t, 5, 60);
    expect_take(&t, 4, 10);
    expect_take(&t, 3, 65);
    expect_take(&t, 1, NO_PAGE);

    put_back(&t, 0, 128);
    expect_take(&t, 129, NO_PAGE);
    expect_take(&t, 33, 0); /* spans whole words */
    expect_take(&t, 32, 33);
    expect_take(&t, 64, NO_PAGE); /* 63 left: every bound says 128 */
    assert(bound[1] == 63);
    expect_take(&t, 63, 65);
    expect_take(&t, 1, NO_PAGE);
}

/* fast_ff_check - the boot self-test: the live index is consistent, the
 * placement rules hold on a private index, live allocations agree with a
 * block-by-block first-fit scan, and the allocator is left as found. */
static void fast_ff_check(void)
{
    static const size_t sizes[] = {1, 1, 2, 3, 8, 33, 256};
    struct Page *got[ARRAY_SIZE(sizes)];
    size_t free_before = nr_free;
    assert(check_index(&live) == nr_free);

    for (size_t i = 0; i < ARRAY_SIZE(sizes); i++) {
        size_t want = naive_first_fit(&live, sizes[i]);
        got[i] = fast_ff_alloc_pages(sizes[i]);
        assert(got[i] == (want == NO_PAGE ? NULL : pages + want));
        assert(got[i] == NULL || page_ref(got[i]) == 0);
    }
    assert(check_index(&live) == nr_free);
    for (size_t i = ARRAY_SIZE(sizes); i-- > 0;) {
        if (got[i] != NULL) {
            fast_ff_free_pages(got[i], sizes[i]);
        }
    }
    assert(nr_free == free_before && check_index(&live) == nr_free);

    struct Page *arena = fast_ff_alloc_pages(128);
    if (arena == NULL) {
        cprintf("fast_ff_check: no free 128-page block: placement tests "
                "skipped\n");
    } else {
        check_placement(arena);
        fast_ff_free_pages(arena, 128);
    }
    assert(fast_ff_alloc_pages(nr_free + 1) == NULL);
    assert(nr_free == free_before && check_index(&live) == nr_free);
}

const struct pmm_manager fast_ff_pmm_manager = {
    .name = "fast_ff_pmm_manager",
    .init = fast_ff_init,
    .init_memmap = fast_ff_init_memmap,
    .alloc_pages = fast_ff_alloc_pages,
    .free_pages = fast_ff_free_pages,
    .nr_free_pages = fast_ff_nr_free_pages,
    .check = fast_ff_check,
    .show_free = fast_ff_show_free,
};
