/*
 * fast_ff_pmm.c -- first-fit placement without walking a list.
 *
 * Linear first-fit (default_pmm.c) keeps its free blocks fully coalesced,
 * so for a request of n pages it picks the lowest page p such that
 * [p, p + n) is free.  This manager finds the same p in logarithmic time.
 *
 * The record of truth is a bitmap of free pages, 32 pages to a word.  Two
 * small bitmaps above it mark the words that hold a free page and the
 * groups of 32 words that do, so the lowest free page -- the answer for
 * the single-page requests that dominate -- is three find-first-set steps
 * away.
 *
 * Larger requests descend a complete binary tree over the words (node 1
 * the root, node i's children 2i and 2i + 1, word w at leaf nr_leaves + w)
 * whose nodes summarise their span of pages: the free run touching its low
 * end (pre), the one touching its high end (suf) and the longest free run
 * inside it (best).  The lowest run of n pages lies in the left child if
 * that child's best reaches n, else it is the run crossing the middle if
 * left suf + right pre reaches n, else it lies in the right child.  A
 * change rewrites the words it covers and walks up from them, stopping at
 * the first level where no node changed.
 *
 * For W bitmap words, alloc is O(log W + n / 32) and free O(log W + n),
 * the n being the loop that resets the freed Page structs.  The tree only
 * grows to cover the highest page handed to init_memmap, so a small machine
 * gets a shallow tree.  All state lives here: the manager reads no field of
 * struct Page, and writes only flags and ref, to reset the pages it frees.
 * On a random mix of requests this beats the list by a modest factor at
 * 32768 pages and by a growing one above; when pages are freed in LIFO or
 * FIFO order the list stays a few blocks long and linear first-fit wins.
 */
#include <pmm.h>
#include <string.h>
#include <stdio.h>
#include <fast_ff_pmm.h>

#define WORD_PAGES 32                    /* pages per bitmap word */
#define FF_MAX_PAGES MAXPA_PAGES /* frames below 4 GiB (high memory too) */
#define FF_MAX_LEAVES 32768 /* 2^k >= FF_MAX_PAGES / 32, and 1024 | it */
#define NO_PAGE ((size_t)-1)

static_assert(FF_MAX_LEAVES * WORD_PAGES >= FF_MAX_PAGES);

/* run_summary - the free runs of one node's span, in pages. */
struct run_summary {
    uint32_t pre;  /* free pages at the low end */
    uint32_t suf;  /* free pages at the high end */
    uint32_t best; /* the longest free run */
};

/* run_tree - a free bitmap, its two index bitmaps and its summary tree;
 * nr_leaves is a power of two and the tree covers pages
 * [0, nr_leaves * 32). */
struct run_tree {
    uint32_t *bits;      /* bit i of word w set: page 32 * w + i is free */
    uint32_t *word_map;  /* bit w set: word w has a free page */
    uint32_t *group_map; /* bit g set: word g of word_map is not zero */
    struct run_summary *node;
    size_t nr_leaves;
};

static uint32_t live_bits[FF_MAX_LEAVES];
static uint32_t live_word_map[FF_MAX_LEAVES / 32];
static uint32_t live_group_map[FF_MAX_LEAVES / 1024];
static struct run_summary live_nodes[2 * FF_MAX_LEAVES];
static struct run_tree live = {.bits = live_bits,
                               .word_map = live_word_map,
                               .group_map = live_group_map,
                               .node = live_nodes,
                               .nr_leaves = 1};
static size_t nr_free;

static __always_inline bool bit_test(const uint32_t *map, size_t i)
{
    return (map[i / 32] >> (i % 32)) & 1;
}

static __always_inline void bit_assign(uint32_t *map, size_t i, bool on)
{
    uint32_t bit = 1u << (i % 32);
    map[i / 32] = on ? map[i / 32] | bit : map[i / 32] & ~bit;
}

/* byte_longest[v] - the longest run of set bits in the byte v; filled by
 * fast_ff_init, bit by bit. */
static uint8_t byte_longest[256];

static void fill_byte_longest(void)
{
    for (uint32_t v = 0; v < 256; v++) {
        uint8_t len = 0;
        for (uint32_t x = v; x != 0; x &= x << 1) {
            len++;
        }
        byte_longest[v] = len;
    }
}

/* word_longest_run - the longest run of set bits in @x other than ~0: the
 * longest inside one byte, or one crossing a byte boundary k, which is the
 * ones running up from bit k plus those running down from bit k - 1.  No
 * data-dependent branches: this runs on every allocation and free. */
static __always_inline uint32_t word_longest_run(uint32_t x)
{
    uint32_t best =
        MAX(MAX(byte_longest[x & 0xff], byte_longest[(x >> 8) & 0xff]),
            MAX(byte_longest[(x >> 16) & 0xff], byte_longest[x >> 24]));
    for (int k = 8; k < 32; k += 8) {
        uint32_t cross =
            __builtin_ctz(~(x >> k)) + __builtin_clz(~(x << (32 - k)));
        best = MAX(best, cross);
    }
    return best;
}

/* word_first_run - the lowest bit of @x that starts a run of @n set bits;
 * such a run must exist (so n <= 32). */
static uint32_t word_first_run(uint32_t x, size_t n)
{
    uint32_t starts = x; /* bits starting a run of at least len */
    for (uint32_t len = 1; len < n;) {
        uint32_t step = MIN(len, n - len);
        starts &= starts >> step;
        len += step;
    }
    return __builtin_ctz(starts);
}

/* put_summary - store (@pre, @suf, @best) in @s; returns whether that
 * changed it.  Compares without branching: the answer is hard to predict. */
static __always_inline bool put_summary(struct run_summary *s, uint32_t pre,
                                        uint32_t suf, uint32_t best)
{
    uint32_t diff = (s->pre ^ pre) | (s->suf ^ suf) | (s->best ^ best);
    s->pre = pre;
    s->suf = suf;
    s->best = best;
    return diff != 0;
}

/* put_word - store the summary of the word @x in @s; returns whether that
 * changed it. */
static __always_inline bool put_word(struct run_summary *s, uint32_t x)
{
    if (x == ~0u) {
        return put_summary(s, WORD_PAGES, WORD_PAGES, WORD_PAGES);
    }
    return put_summary(s, __builtin_ctz(~x), __builtin_clz(~x),
                       word_longest_run(x));
}

/* put_pair - store in @s the summary of the adjacent spans @l and @r of
 * @half pages each; returns whether that changed it. */
static __always_inline bool put_pair(struct run_summary *s,
                                     const struct run_summary *l,
                                     const struct run_summary *r, uint32_t half)
{
    return put_summary(s, l->pre == half ? half + r->pre : l->pre,
                       r->suf == half ? half + l->suf : r->suf,
                       MAX(MAX(l->best, r->best), l->suf + r->pre));
}

/* put_node - recompute inner node @i of @t from its children, which span
 * @half pages each; returns whether it changed. */
static __always_inline bool put_node(struct run_tree *t, size_t i,
                                     uint32_t half)
{
    return put_pair(&t->node[i], &t->node[2 * i], &t->node[2 * i + 1], half);
}

/* refresh_word - recompute the leaf of word @w and its ancestors, stopping
 * at the first one that did not change (the rest cannot change either). */
static void refresh_word(struct run_tree *t, size_t w)
{
    size_t i = t->nr_leaves + w;
    if (!put_word(&t->node[i], t->bits[w])) {
        return;
    }
    for (uint32_t half = WORD_PAGES; i > 1; half *= 2) {
        i /= 2;
        if (!put_node(t, i, half)) {
            return;
        }
    }
}

/* refresh - recompute the leaves of words [lo, hi] and the nodes above
 * them, one level at a time, stopping at the first level where no node
 * changed. */
static void refresh(struct run_tree *t, size_t lo, size_t hi)
{
    if (lo == hi) {
        refresh_word(t, lo);
        return;
    }
    bool changed = false;
    for (size_t w = lo; w <= hi; w++) {
        changed |= put_word(&t->node[t->nr_leaves + w], t->bits[w]);
    }
    lo += t->nr_leaves;
    hi += t->nr_leaves;
    for (uint32_t half = WORD_PAGES; changed && lo > 1; half *= 2) {
        lo /= 2;
        hi /= 2;
        changed = false;
        for (size_t i = lo; i <= hi; i++) {
            changed |= put_node(t, i, half);
        }
    }
}

/* note_word - bring the index bitmaps up to date with word @w. */
static __always_inline void note_word(struct run_tree *t, size_t w)
{
    bit_assign(t->word_map, w, t->bits[w] != 0);
    bit_assign(t->group_map, w / 32, t->word_map[w / 32] != 0);
}

/* rebuild - recompute the index bitmaps and every node of @t from the
 * bitmap. */
static void rebuild(struct run_tree *t)
{
    for (size_t w = 0; w < t->nr_leaves; w++) {
        note_word(t, w);
        put_word(&t->node[t->nr_leaves + w], t->bits[w]);
    }
    uint32_t half = WORD_PAGES;
    for (size_t first = t->nr_leaves / 2; first >= 1; first /= 2, half *= 2) {
        for (size_t i = first; i < 2 * first; i++) {
            put_node(t, i, half);
        }
    }
}

/* range_mask - the bits of word @w that hold pages of [p, p + n). */
static __always_inline uint32_t range_mask(size_t w, size_t p, size_t n)
{
    size_t lo = MAX(p, w * WORD_PAGES);
    size_t hi = MIN(p + n, (w + 1) * WORD_PAGES);
    size_t width = hi - lo;
    uint32_t ones = width == WORD_PAGES ? ~0u : (1u << width) - 1;
    return ones << (lo - w * WORD_PAGES);
}

/* mark_range - record pages [p, p + n) as free (@free) or allocated. */
static void mark_range(struct run_tree *t, size_t p, size_t n, bool free)
{
    size_t lo = p / WORD_PAGES, hi = (p + n - 1) / WORD_PAGES;
    for (size_t w = lo; w <= hi; w++) {
        uint32_t mask = range_mask(w, p, n);
        t->bits[w] = free ? t->bits[w] | mask : t->bits[w] & ~mask;
        note_word(t, w);
    }
    refresh(t, lo, hi);
}

/* first_free_in - the lowest free page of [p, p + n), or NO_PAGE. */
static size_t first_free_in(const struct run_tree *t, size_t p, size_t n)
{
    for (size_t w = p / WORD_PAGES; w <= (p + n - 1) / WORD_PAGES; w++) {
        uint32_t hit = t->bits[w] & range_mask(w, p, n);
        if (hit != 0) {
            return w * WORD_PAGES + __builtin_ctz(hit);
        }
    }
    return NO_PAGE;
}

/* lowest_free - the lowest free page, or NO_PAGE, from the index bitmaps. */
static size_t lowest_free(const struct run_tree *t)
{
    for (size_t g = 0; g * 1024 < t->nr_leaves; g++) {
        if (t->group_map[g] != 0) {
            size_t i = g * 32 + __builtin_ctz(t->group_map[g]);
            size_t w = i * 32 + __builtin_ctz(t->word_map[i]);
            return w * WORD_PAGES + __builtin_ctz(t->bits[w]);
        }
    }
    return NO_PAGE;
}

/* find_first_run - the lowest page p with [p, p + n) free, or NO_PAGE. */
static size_t find_first_run(const struct run_tree *t, size_t n)
{
    if (n == 1) {
        return lowest_free(t);
    }
    if (t->node[1].best < n) {
        return NO_PAGE;
    }
    size_t i = 1, start = 0, half = t->nr_leaves * WORD_PAGES / 2;
    for (; i < t->nr_leaves; half /= 2) {
        const struct run_summary *l = &t->node[2 * i], *r = &t->node[2 * i + 1];
        if (l->best >= n) {
            i = 2 * i;
        } else if (l->suf + r->pre >= n) {
            return start + half - l->suf;
        } else {
            i = 2 * i + 1;
            start += half;
        }
    }
    return start + word_first_run(t->bits[i - t->nr_leaves], n);
}

/* tree_cover - grow @t until it covers pages [0, end), rebuilding every
 * node; words past the old cover are already zero (allocated). */
static void tree_cover(struct run_tree *t, size_t end)
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
    fill_byte_longest();
    memset(live_bits, 0, sizeof(live_bits));
    memset(live_word_map, 0, sizeof(live_word_map));
    memset(live_group_map, 0, sizeof(live_group_map));
    live.nr_leaves = 1;
    rebuild(&live);
    nr_free = 0;
}

/* release - hand [base, base + n) back to the live tree with every Page
 * reset; panics if any page of it is already free.  @fn names the caller. */
static void release(const char *fn, struct Page *base, size_t n)
{
    size_t p = base - pages;
    size_t dup = first_free_in(&live, p, n);
    if (dup != NO_PAGE) {
        panic("fast_ff_pmm: %s of [%p, +%lu): page %p (ppn %lu) is already "
              "free: double free",
              fn, base, (unsigned long)n, pages + dup, (unsigned long)dup);
    }
    for (struct Page *pg = base; pg != base + n; pg++) {
        pg->flags = 0;
        set_page_ref(pg, 0);
    }
    mark_range(&live, p, n, true);
    nr_free += n;
}

static void fast_ff_init_memmap(struct Page *base, size_t n)
{
    assert(n > 0);
    size_t end = (size_t)(base - pages) + n;
    if (end > FF_MAX_PAGES) {
        panic("fast_ff_pmm: init_memmap of [%p, +%lu) ends at ppn %lu, past "
              "the %lu pages below 4 GiB",
              base, (unsigned long)n, (unsigned long)end,
              (unsigned long)FF_MAX_PAGES);
    }
    tree_cover(&live, end);
    release("init_memmap", base, n);
}

static struct Page *fast_ff_alloc_pages(size_t n)
{
    assert(n > 0);
    if (n > nr_free) {
        return NULL;
    }
    size_t p = find_first_run(&live, n);
    if (p == NO_PAGE) {
        return NULL;
    }
    mark_range(&live, p, n, false);
    nr_free -= n;
    return pages + p;
}

static void fast_ff_free_pages(struct Page *base, size_t n)
{
    assert(n > 0);
    size_t end = (size_t)(base - pages) + n;
    if (end > live.nr_leaves * WORD_PAGES) {
        panic("fast_ff_pmm: free of [%p, +%lu): ppn %lu was never handed to "
              "init_memmap",
              base, (unsigned long)n, (unsigned long)(end - 1));
    }
    release("free", base, n);
}

static size_t fast_ff_nr_free_pages(void) { return nr_free; }

/* check_tree - every leaf and both index bitmaps match the words and
 * every inner node its children; returns the number of free pages the
 * bitmap holds. */
static size_t check_tree(const struct run_tree *t)
{
    size_t free = 0;
    for (size_t w = 0; w < t->nr_leaves; w++) {
        struct run_summary want = t->node[t->nr_leaves + w];
        assert(!put_word(&want, t->bits[w]));
        assert(bit_test(t->word_map, w) == (t->bits[w] != 0));
        assert(bit_test(t->group_map, w / 32) == (t->word_map[w / 32] != 0));
        for (uint32_t x = t->bits[w]; x != 0; x &= x - 1) {
            free++;
        }
    }
    uint32_t half = WORD_PAGES;
    for (size_t first = t->nr_leaves / 2; first >= 1; first /= 2, half *= 2) {
        for (size_t i = first; i < 2 * first; i++) {
            struct run_summary want = t->node[i];
            assert(
                !put_pair(&want, &t->node[2 * i], &t->node[2 * i + 1], half));
        }
    }
    return free;
}

/* naive_first_fit - first-fit by scanning the bitmap page by page: the
 * oracle the tree descent must agree with. */
static size_t naive_first_fit(const struct run_tree *t, size_t n)
{
    size_t run = 0;
    for (size_t p = 0; p < t->nr_leaves * WORD_PAGES; p++) {
        run = (t->bits[p / WORD_PAGES] >> (p % WORD_PAGES)) & 1 ? run + 1 : 0;
        if (run == n) {
            return p + 1 - n;
        }
    }
    return NO_PAGE;
}

/* expect_take - allocate @n pages from @t, asserting first-fit put them at
 * @want (NO_PAGE: nothing fits) and the tree stayed consistent. */
static void expect_take(struct run_tree *t, size_t n, size_t want)
{
    size_t p = find_first_run(t, n);
    assert(p == want && p == naive_first_fit(t, n));
    if (p != NO_PAGE) {
        mark_range(t, p, n, false);
    }
    check_tree(t);
}

/* check_placement - first-fit on a private 128-page tree: the lowest run
 * wins, blocks split, neighbours merge, runs cross word and subtree
 * boundaries, NULL when nothing fits, double frees are seen. */
static void check_placement(void)
{
    uint32_t bits[4] = {0}, word_map[1] = {0}, group_map[1] = {0};
    struct run_summary node[8];
    struct run_tree t = {.bits = bits,
                         .word_map = word_map,
                         .group_map = group_map,
                         .node = node,
                         .nr_leaves = 4};
    rebuild(&t);
    mark_range(&t, 0, 2, true);
    mark_range(&t, 3, 1, true);
    mark_range(&t, 5, 3, true);
    expect_take(&t, 3, 5);       /* the only run that fits */
    expect_take(&t, 1, 0);       /* the lowest run, split */
    expect_take(&t, 2, NO_PAGE); /* 1 and 3 are free, not together */
    mark_range(&t, 0, 1, true);  /* merges with page 1 */
    expect_take(&t, 2, 0);
    expect_take(&t, 1, 3);
    assert(check_tree(&t) == 0);

    mark_range(&t, 60, 8, true); /* crosses the root's middle (page 64) */
    mark_range(&t, 10, 4, true);
    assert(first_free_in(&t, 50, 12) == 60 &&
           first_free_in(&t, 14, 46) == NO_PAGE);
    expect_take(&t, 5, 60);
    expect_take(&t, 4, 10);
    expect_take(&t, 3, 65);
    expect_take(&t, 1, NO_PAGE);

    mark_range(&t, 0, 128, true);
    expect_take(&t, 129, NO_PAGE);
    expect_take(&t, 33, 0); /* spans whole words */
    expect_take(&t, 32, 33);
    expect_take(&t, 63, 65);
    expect_take(&t, 1, NO_PAGE);
}

/* fast_ff_check - the boot self-test: the live tree is consistent, the
 * placement rules hold on a private tree, live allocations agree with a
 * page-by-page first-fit scan, and the allocator is left as found. */
static void fast_ff_check(void)
{
    static const size_t sizes[] = {1, 1, 2, 3, 8, 33, 256};
    struct Page *got[ARRAY_SIZE(sizes)];
    size_t free_before = nr_free;
    assert(check_tree(&live) == nr_free);
    check_placement();

    for (size_t i = 0; i < ARRAY_SIZE(sizes); i++) {
        size_t want = naive_first_fit(&live, sizes[i]);
        got[i] = fast_ff_alloc_pages(sizes[i]);
        assert(got[i] == (want == NO_PAGE ? NULL : pages + want));
        assert(got[i] == NULL || page_ref(got[i]) == 0);
        assert(got[i] == NULL ||
               first_free_in(&live, want, sizes[i]) == NO_PAGE);
    }
    assert(check_tree(&live) == nr_free);
    for (size_t i = ARRAY_SIZE(sizes); i-- > 0;) {
        if (got[i] != NULL) {
            fast_ff_free_pages(got[i], sizes[i]);
        }
    }
    assert(got[0] == NULL ||
           first_free_in(&live, got[0] - pages, 1) == (size_t)(got[0] - pages));
    assert(nr_free == free_before && check_tree(&live) == nr_free);
    assert(fast_ff_alloc_pages(nr_free + 1) == NULL);
    assert(fast_ff_alloc_pages(live.node[1].best + 1) == NULL);
    assert(nr_free == free_before);
}

const struct pmm_manager fast_ff_pmm_manager = {
    .name = "fast_ff_pmm_manager",
    .init = fast_ff_init,
    .init_memmap = fast_ff_init_memmap,
    .alloc_pages = fast_ff_alloc_pages,
    .free_pages = fast_ff_free_pages,
    .nr_free_pages = fast_ff_nr_free_pages,
    .check = fast_ff_check,
};
