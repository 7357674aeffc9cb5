/*
 * fast_ff_pmm.c -- first-fit placement without walking a long list.
 *
 * Linear first-fit (default_pmm.c) keeps its free blocks fully coalesced
 * and hands out the low end of the lowest block of n pages or more.  This
 * manager keeps the same blocks, so it makes the same choice every time.
 * While the blocks are few it keeps them as linear first-fit does, in a
 * list sorted by address, and walks it; once they are many it keeps them
 * in an index instead and finds the block without walking the blocks
 * below it.  An alloc or free that leaves more than index_above blocks
 * (FAST_FF_INDEX_ABOVE, 64) in the list moves them all into the index;
 * one that leaves fewer than list_below (FAST_FF_LIST_BELOW, 32) in the
 * index moves them back.  A move is O(blocks), and at least 33 allocs and
 * frees lie between two moves, so it costs O(1) per call amortized.
 *
 * An instance covers the frames [base, base + nframes) and numbers them
 * from its base: page p of the instance is base + p.  A free block is
 * known by its first page (its head), whose 'property' field (which
 * struct Page leaves to the manager) holds the block's length; listed, the
 * head's page_link links it in.  Of struct Page the manager uses nothing
 * else: init_memmap takes its frames over (clears their flags and
 * reference counts), but a free neither reads nor resets them, so a page
 * comes back from alloc as it was freed -- unreserved and unmapped, which
 * is all the front end lets free_pages see (buddy_pmm.c does the same).
 *
 * Indexed, a head has its bit set in a bitmap over the pages.  Two small
 * bitmaps above it mark the words that hold a head and the groups of 32
 * words that do, so the neighbours of a freed range are a few
 * find-first-set steps away.  A hint, low, says below which page there is
 * no head: the lowest block, which every single-page request takes, is
 * usually found in its first word.  Larger requests first try that lowest
 * block, then descend a complete binary tree over the words of the head
 * bitmap (node 1 the root, node i's children 2i and 2i + 1, word w at leaf
 * nr_leaves + w).  Each node holds a bound: no block whose head lies in
 * the node's span is longer.  A bound is raised, up the tree, when a block
 * grows past it, and left alone when a block shrinks or merges into
 * another or the blocks move to the list, so taking pages walks no tree
 * and a free walks only as far as the new block outgrows its ancestors'
 * bounds.  The search enters the lowest child whose bound reaches n; a
 * leaf checks its heads in address order; a span that turns out to hold
 * no block that long has its bound lowered on the way back up (to its
 * longest block, or its larger child), so the next search skips it.
 *
 * Cost, for B free blocks and W bitmap words.  Listed (B <= 64): alloc
 * and free walk the list as linear first-fit does, O(B), the same steps.
 * Indexed: a single-page alloc is O(W / 1024) at worst and usually O(1);
 * a larger one O(log W) plus the bounds it lowers, each lowering paid for
 * by the alloc, merge or move that left that bound too high; a free
 * O(W / 1024 + log W + n / 32).  Neither form writes the Page structs
 * of a freed range but the head's.  The trade-off, measured (make bench;
 * lab2.md, Appendix A): on the short lists of small memories or LIFO/FIFO frees
 * the list walk costs about what linear first-fit's does and the index
 * was 0.55-0.75x of it, while past about 100 blocks the index wins by
 * more the longer the list; the thresholds sit between.  The bitmaps and
 * the tree are sized at init from the instance's frames, so a small pool
 * gets a shallow tree.
 *
 * The state of an instance is one block: struct pmm_state, then the
 * index's arrays of 32-bit words -- head (nr_leaves words), word_map (one
 * bit per head word), group_map (one bit per word_map word) and bound
 * (2 * nr_leaves), where nr_leaves is nframes / 32 rounded up to a power
 * of two.
 */
#include <pmm_manager.h>
#include <bitmap.h>
#include <list.h>
#include <string.h>
#include <stdio.h>
#include <fast_ff_pmm.h>
#include <alloc_check.h>

#define WORD_PAGES BITMAP_WORD_BITS /* pages per head-bitmap word */
#define NO_PAGE    BITMAP_NONE

/*
 * block_index - the free blocks of pages [0, nr_leaves * 32), where page p
 * is base + p: a free block at p is p's bit in head, with its length in
 * that Page's property.  Blocks never overlap or touch.  nr_leaves is a
 * power of two.
 */
struct block_index {
    struct Page *base;   /* page p of the index is base + p */
    size_t low;          /* no head lies below page low */
    uint32_t *head;      /* bit p set: a free block starts at page p */
    uint32_t *word_map;  /* bit w set: head word w is not zero */
    uint32_t *group_map; /* bit g set: word_map word g is not zero */
    uint32_t *bound;     /* per tree node: >= every block length in it */
    size_t nr_leaves;
};

/*
 * struct pmm_state - an instance over the frames [idx.base, idx.base +
 * nframes), followed in memory by the words idx's arrays point into.  Its
 * free blocks are in exactly one of two places: @list while @indexed is
 * false (idx then holds no head), idx while it is true (@list is empty).
 */
struct pmm_state {
    size_t nframes;
    size_t nr_free;
    size_t nr_blocks;   /* free blocks, wherever they are kept */
    size_t index_above; /* build the index when nr_blocks exceeds it */
    size_t list_below;  /* return to the list when nr_blocks falls below */
    bool indexed;
    list_entry_t list; /* the blocks by address, through their heads'
                        * page_link */
    struct block_index idx;
    uint32_t words[];
};

/* leaves_for - the tree's leaves (head-bitmap words) for @nframes frames:
 * enough words for every frame, rounded up to a power of two. */
static size_t leaves_for(size_t nframes)
{
    size_t leaves = 1;
    while (leaves * WORD_PAGES < nframes) {
        leaves *= 2;
    }
    return leaves;
}

/* index_words - the words of head, word_map, group_map and bound for a
 * tree of @leaves leaves, in that order. */
static size_t index_words(size_t leaves)
{
    return leaves + (leaves + 31) / 32 + (leaves + 1023) / 1024 + 2 * leaves;
}

static size_t fast_ff_state_size(size_t nframes)
{
    return sizeof(struct pmm_state) +
           index_words(leaves_for(nframes)) * sizeof(uint32_t);
}

/* fast_ff_init - an instance over the frames [base, base + nframes) with
 * no free block: an empty list, and an empty index laid out in @st's
 * words (no head, every bound 0). */
static void fast_ff_init(struct pmm_state *st, struct Page *base,
                         size_t nframes)
{
    size_t leaves = leaves_for(nframes);
    memset(st->words, 0, index_words(leaves) * sizeof(uint32_t));
    st->nframes = nframes;
    st->nr_free = 0;
    st->nr_blocks = 0;
    st->index_above = FAST_FF_INDEX_ABOVE;
    st->list_below = FAST_FF_LIST_BELOW;
    st->indexed = false;
    list_init(&st->list);
    st->idx.base = base;
    st->idx.low = 0;
    st->idx.nr_leaves = leaves;
    st->idx.head = st->words;
    st->idx.word_map = st->idx.head + leaves;
    st->idx.group_map = st->idx.word_map + (leaves + 31) / 32;
    st->idx.bound = st->idx.group_map + (leaves + 1023) / 1024;
}

/* block_len - the length of the free block whose head is page @p. */
static __always_inline uint32_t block_len(const struct block_index *t, size_t p)
{
    return t->base[p].property;
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
    t->base[p].property = len;
    raise_bound(t, p, len);
}

/* unmark_head - page @p heads no block in the index any more (its Page
 * keeps the length).  Bounds stay as they are, but for the leaf of a word
 * left without heads, which drops to 0. */
static __always_inline void unmark_head(struct block_index *t, size_t p)
{
    size_t w = p / WORD_PAGES;
    bitmap_assign(t->head, p, false);
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
 * NO_PAGE.  Every node entered has a bound of at least n.  The child to
 * enter is picked without a branch (the left one unless its bound is
 * below n): which way a search turns is as good as random, and a
 * mispredicted branch at every level cost more than the rest of the
 * descent. */
static size_t find_fit(struct block_index *t, size_t n)
{
    size_t i = t->bound[1] >= n ? 1 : 0;
    while (i != 0) {
        if (i >= t->nr_leaves) {
            size_t p = leaf_fit(t, i - t->nr_leaves, n);
            if (p != NO_PAGE) {
                return p;
            }
        } else {
            uint32_t left = t->bound[2 * i], right = t->bound[2 * i + 1];
            if (left >= n || right >= n) {
                i = 2 * i + (left < n);
                continue;
            }
            t->bound[i] = MAX(left, right);
        }
        i = climb(t, i, n);
    }
    return NO_PAGE;
}

/* index_first_fit - the head of the lowest block of @t with @n pages or
 * more, or NO_PAGE.  The lowest block is tried first: it answers every
 * single-page request, and larger ones whenever free memory is a few
 * large blocks. */
static size_t index_first_fit(struct block_index *t, size_t n)
{
    size_t p = next_head(t, t->low);
    if (p == NO_PAGE) {
        return NO_PAGE;
    }
    t->low = p;
    return block_len(t, p) >= n ? p : find_fit(t, n);
}

/* page_no - the instance's number of the head page whose link is @le. */
static __always_inline size_t page_no(const struct pmm_state *st,
                                      const list_entry_t *le)
{
    return le2page(le, page_link) - st->idx.base;
}

/* list_first_fit - the lowest listed block with @n pages or more, or NULL:
 * linear first-fit's walk. */
static __always_inline struct Page *list_first_fit(const struct pmm_state *st,
                                                   size_t n)
{
    for (const list_entry_t *le = list_next(&st->list); le != &st->list;
         le = list_next(le)) {
        if (le2page(le, page_link)->property >= n) {
            return le2page(le, page_link);
        }
    }
    return NULL;
}

/* list_neighbours - *@next: the first listed block at or above @base,
 * *@prev: the last one below it (NULL when there is none). */
static __always_inline void list_neighbours(const struct pmm_state *st,
                                            const struct Page *base,
                                            struct Page **prev,
                                            struct Page **next)
{
    const list_entry_t *le = &st->list, *after;
    while ((after = list_next(le)) != &st->list &&
           le2page(after, page_link) < base) {
        le = after;
    }
    *prev = le == &st->list ? NULL : le2page(le, page_link);
    *next = after == &st->list ? NULL : le2page(after, page_link);
}

/* index_neighbours - *@prev: the block of @t below page @p (NULL when
 * none), *@next: the first one in [p, p + n] (NULL when none). */
static void index_neighbours(const struct block_index *t, size_t p, size_t n,
                             struct Page **prev, struct Page **next)
{
    size_t before = prev_head(t, p),
           from = bitmap_find(t->head, p,
                              MIN(n + 1, t->nr_leaves * WORD_PAGES - p), true);
    *prev = before == NO_PAGE ? NULL : t->base + before;
    *next = from == NO_PAGE ? NULL : t->base + from;
}

/* add_block - a new free block of @len pages at @pg, which follows the
 * block @after (NULL: pg lies below every block). */
static __always_inline void add_block(struct pmm_state *st, struct Page *pg,
                                      uint32_t len, struct Page *after)
{
    st->nr_blocks++;
    pg->property = len;
    if (st->indexed) {
        size_t p = pg - st->idx.base;
        set_head(&st->idx, p, len);
        st->idx.low = MIN(st->idx.low, p);
    } else {
        list_add_after(after == NULL ? &st->list : &after->page_link,
                       &pg->page_link);
    }
}

/* remove_block - the free block at @pg is gone. */
static __always_inline void remove_block(struct pmm_state *st, struct Page *pg)
{
    st->nr_blocks--;
    if (st->indexed) {
        unmark_head(&st->idx, pg - st->idx.base);
    } else {
        list_del(&pg->page_link);
    }
    pg->property = 0;
}

/* grow_block - the free block at @pg now has @len pages (more). */
static __always_inline void grow_block(struct pmm_state *st, struct Page *pg,
                                       uint32_t len)
{
    pg->property = len;
    if (st->indexed) {
        raise_bound(&st->idx, pg - st->idx.base, len);
    }
}

/* take - cut @n pages from the low end of the free block at @pg. */
static __always_inline void take(struct pmm_state *st, struct Page *pg,
                                 size_t n)
{
    if (pg->property > n) {
        add_block(st, pg + n, pg->property - n, pg);
    }
    remove_block(st, pg);
}

/* find_free - the lowest page of [base, base + n) that a free block holds,
 * or NULL; *@prev gets the last block below base and *@next the first at
 * or above it (NULL when none; indexed, only one in [base, base + n]):
 * the blocks give() merges with.  [base, base + n) must lie in the
 * instance's frames. */
static __always_inline struct Page *find_free(const struct pmm_state *st,
                                              struct Page *base, size_t n,
                                              struct Page **prev,
                                              struct Page **next)
{
    if (st->indexed) {
        index_neighbours(&st->idx, base - st->idx.base, n, prev, next);
    } else {
        list_neighbours(st, base, prev, next);
    }
    if (*prev != NULL && *prev + (*prev)->property > base) {
        return base;
    }
    return *next != NULL && *next < base + n ? *next : NULL;
}

/* give - make [base, base + n) free, merging it with the blocks @prev and
 * @next (as find_free sets them) when they touch it; it must overlap no
 * free block. */
static __always_inline void give(struct pmm_state *st, struct Page *base,
                                 size_t n, struct Page *prev, struct Page *next)
{
    size_t len = n;
    if (next == base + n) {
        len += next->property;
        remove_block(st, next);
    }
    if (prev != NULL && prev + prev->property == base) {
        grow_block(st, prev, prev->property + len);
    } else {
        add_block(st, base, len, prev);
    }
}

/* to_index - move every block from the list into the empty index. */
static void to_index(struct pmm_state *st)
{
    list_entry_t *le;
    st->indexed = true;
    st->idx.low = 0;
    while ((le = list_next(&st->list)) != &st->list) {
        list_del(le);
        set_head(&st->idx, page_no(st, le), le2page(le, page_link)->property);
    }
}

/* to_list - move every block from the index into the empty list.  The
 * tree keeps its bounds (still upper bounds): the searches after the next
 * to_index lower those that are too high, as they do any other. */
static void to_list(struct pmm_state *st)
{
    struct block_index *t = &st->idx;
    for (size_t p = next_head(t, t->low); p != NO_PAGE;
         p = next_head(t, p + block_len(t, p))) {
        list_add_before(&st->list, &t->base[p].page_link);
        unmark_head(t, p);
    }
    st->indexed = false;
}

/* rebalance - after an alloc or free: the index once the list has grown
 * past index_above blocks, the list once the index holds fewer than
 * list_below.  Between two moves at least index_above - list_below + 1
 * allocs and frees change the count, which pays for the O(nr_blocks)
 * move. */
static __always_inline void rebalance(struct pmm_state *st)
{
    if (!st->indexed && st->nr_blocks > st->index_above) {
        to_index(st);
    } else if (st->indexed && st->nr_blocks < st->list_below) {
        to_list(st);
    }
}

/* check_range - panics unless [base, base + n) lies in @st's frames.
 * @fn names the caller. */
static void check_range(const struct pmm_state *st, const char *fn,
                        struct Page *base, size_t n)
{
    const struct Page *first = st->idx.base;
    if (base < first || n > st->nframes || base > first + (st->nframes - n)) {
        panic("%s: fast_ff_pmm: [%p, +%lu) is outside the instance's frames "
              "[ppn %lx, %lx)",
              fn, base, (unsigned long)n, (unsigned long)(first - pages),
              (unsigned long)(first - pages + st->nframes));
    }
}

/* release - hand [base, base + n) back to @st, clearing its Pages' flags
 * and reference counts when @take_over (init_memmap's reserved frames; a
 * freed page has neither: the front end refuses reserved and mapped
 * pages); panics, before changing anything, if it is not in the instance
 * or a page of it is already free.  @fn names the caller. */
static void release(struct pmm_state *st, const char *fn, struct Page *base,
                    size_t n, bool take_over)
{
    struct Page *prev, *next;
    check_range(st, fn, base, n);
    struct Page *dup = find_free(st, base, n, &prev, &next);
    if (dup != NULL) {
        panic("%s: fast_ff_pmm: [%p, +%lu): page %p (ppn %lu) is already "
              "free: double free",
              fn, base, (unsigned long)n, dup, (unsigned long)page2ppn(dup));
    }
    for (struct Page *pg = base; take_over && pg != base + n; pg++) {
        pg->flags = 0;
        set_page_ref(pg, 0);
    }
    give(st, base, n, prev, next);
    st->nr_free += n;
    rebalance(st);
}

/* fast_ff_init_memmap - take over the reserved frames [base, base + n);
 * they merge with free blocks they touch. */
static void fast_ff_init_memmap(struct pmm_state *st, struct Page *base,
                                size_t n)
{
    assert(n > 0);
    release(st, "init_memmap", base, n, true);
}

/* first_fit - the lowest free block of @n pages or more, or NULL: the
 * list walked, or the index searched. */
static __always_inline struct Page *first_fit(struct pmm_state *st, size_t n)
{
    if (!st->indexed) {
        return list_first_fit(st, n);
    }
    size_t p = index_first_fit(&st->idx, n);
    return p == NO_PAGE ? NULL : st->idx.base + p;
}

static struct Page *fast_ff_alloc_pages(struct pmm_state *st, size_t n)
{
    assert(n > 0);
    if (n > st->nr_free) {
        return NULL;
    }
    struct Page *pg = first_fit(st, n);
    if (pg == NULL) {
        return NULL;
    }
    take(st, pg, n);
    st->nr_free -= n;
    rebalance(st);
    return pg;
}

static void fast_ff_free_pages(struct pmm_state *st, struct Page *base,
                               size_t n)
{
    assert(n > 0);
    release(st, "free_pages", base, n, false);
}

static size_t fast_ff_nr_free_pages(const struct pmm_state *st)
{
    return st->nr_free;
}

/* first_block - the head of the lowest free block, or NO_PAGE. */
static size_t first_block(const struct pmm_state *st)
{
    if (st->indexed) {
        return next_head(&st->idx, 0);
    }
    return list_empty(&st->list) ? NO_PAGE : page_no(st, list_next(&st->list));
}

/* next_block - the head of the free block after the one at @p, or
 * NO_PAGE. */
static size_t next_block(const struct pmm_state *st, size_t p)
{
    if (st->indexed) {
        return next_head(&st->idx, p + 1);
    }
    const list_entry_t *le = list_next(&st->idx.base[p].page_link);
    return le == &st->list ? NO_PAGE : page_no(st, le);
}

/* fast_ff_show_free - one line per free block, in address order. */
static void fast_ff_show_free(const struct pmm_state *st)
{
    size_t first = st->idx.base - pages;
    for (size_t p = first_block(st); p != NO_PAGE; p = next_block(st, p)) {
        uint32_t len = block_len(&st->idx, p);
        cprintf("  [ppn %05lx, %05lx] %u pages\n", (unsigned long)(first + p),
                (unsigned long)(first + p + len - 1), len);
    }
}

/* check_maps - the index bitmaps match the heads, and every bound is at
 * least its children's. */
static void check_maps(const struct block_index *t)
{
    for (size_t w = 0; w < t->nr_leaves; w++) {
        assert(bitmap_test(t->word_map, w) == (t->head[w] != 0));
        assert(bitmap_test(t->group_map, w / 32) == (t->word_map[w / 32] != 0));
    }
    for (size_t i = 1; i < t->nr_leaves; i++) {
        assert(t->bound[i] >= MAX(t->bound[2 * i], t->bound[2 * i + 1]));
    }
}

/* check_in_index - the index knows the free block at @p of @len pages:
 * at or above low, under its leaf's bound, found by prev_head. */
static void check_in_index(const struct block_index *t, size_t p, uint32_t len)
{
    assert(p >= t->low && t->bound[t->nr_leaves + p / WORD_PAGES] >= len);
    assert(p + 1 == t->nr_leaves * WORD_PAGES || prev_head(t, p + 1) == p);
}

/* check_index - @st's blocks, in the list or the index, are sorted and
 * neither overlap nor touch, nr_blocks counts them, and the structure not
 * in use is empty; the bitmaps and bounds hold.  Returns the number of
 * free pages. */
static size_t check_index(const struct pmm_state *st)
{
    const struct block_index *t = &st->idx;
    size_t total = 0, end = 0, blocks = 0;
    check_maps(t);
    assert(st->indexed ? list_empty(&st->list)
                       : bitmap_find(t->head, 0, t->nr_leaves * WORD_PAGES,
                                     true) == NO_PAGE);
    for (size_t p = first_block(st); p != NO_PAGE; p = next_block(st, p)) {
        uint32_t len = block_len(t, p);
        assert(len > 0 && (blocks == 0 || p > end));
        if (st->indexed) {
            check_in_index(t, p, len);
        }
        end = p + len;
        total += len;
        blocks++;
    }
    assert(end <= st->nframes && blocks == st->nr_blocks);
    return total;
}

/* naive_first_fit - first-fit by visiting every block in address order:
 * the oracle the list walk and the tree search must agree with. */
static size_t naive_first_fit(const struct pmm_state *st, size_t n)
{
    for (size_t p = first_block(st); p != NO_PAGE; p = next_block(st, p)) {
        if (block_len(&st->idx, p) >= n) {
            return p;
        }
    }
    return NO_PAGE;
}

/* set_modes - make @st index its blocks when it has more than @above and
 * list them when it has fewer than @below (below <= above + 1); the next
 * alloc or free switches. */
static void set_modes(struct pmm_state *st, size_t above, size_t below)
{
    st->index_above = above;
    st->list_below = below;
}

/* expect_take - allocate @n pages from @st as alloc does but without its
 * nr_free shortcut, so the search itself runs; asserts first-fit put them
 * at @want (NO_PAGE: nothing fits), as the naive scan does, and the
 * instance stayed consistent. */
static void expect_take(struct pmm_state *st, size_t n, size_t want)
{
    size_t naive = naive_first_fit(st, n);
    struct Page *pg = first_fit(st, n);
    size_t p = pg == NULL ? NO_PAGE : (size_t)(pg - st->idx.base);
    assert(p == want && p == naive);
    if (pg != NULL) {
        take(st, pg, n);
        st->nr_free -= n;
        rebalance(st);
    }
    assert(check_index(st) == st->nr_free);
}

/* put_back - free @n pages at page @p of @st. */
static void put_back(struct pmm_state *st, size_t p, size_t n)
{
    fast_ff_free_pages(st, st->idx.base + p, n);
}

/* free_in - what a free of [p, p + n) would report as already free: the
 * lowest page of it a free block holds, or NO_PAGE. */
static size_t free_in(const struct pmm_state *st, size_t p, size_t n)
{
    struct Page *prev, *next, *base = st->idx.base;
    struct Page *dup = find_free(st, base + p, n, &prev, &next);
    return dup == NULL ? NO_PAGE : (size_t)(dup - base);
}

/* check_double_free - on an instance over the 64 frames at @arena with
 * blocks [0, 2), [3, 4), [5, 8) and [40, 48), listed (@indexed false) or
 * indexed: the test free_pages panics on finds the first already-free
 * page of a range -- a whole block, a block's tail, a block further in,
 * across a word -- and nothing in a range that only touches blocks. */
static void check_double_free(struct pmm_state *st, struct Page *arena,
                              bool indexed)
{
    fast_ff_init(st, arena, 64);
    set_modes(st, indexed ? 0 : (size_t)-1, 0);
    put_back(st, 0, 2);
    put_back(st, 3, 1);
    put_back(st, 5, 3);
    put_back(st, 40, 8);
    assert(st->indexed == indexed);
    assert(free_in(st, 3, 1) == 3 && free_in(st, 0, 8) == 0);
    assert(free_in(st, 1, 1) == 1 && free_in(st, 6, 30) == 6);
    assert(free_in(st, 2, 3) == 3 && free_in(st, 30, 11) == 40);
    assert(free_in(st, 2, 1) == NO_PAGE && free_in(st, 4, 1) == NO_PAGE);
    assert(free_in(st, 8, 32) == NO_PAGE && free_in(st, 48, 16) == NO_PAGE);
    assert(check_index(st) == 14 && st->nr_free == 14);
}

/* check_placement - first-fit on an instance over the 128 frames at
 * @arena, listed or @indexed: the lowest block wins, blocks split,
 * neighbours merge, blocks cross word and subtree boundaries, NULL when
 * nothing fits, and (indexed) a bound left too high by a shrink is
 * lowered by the search that finds it so. */
static void check_placement(struct pmm_state *st, struct Page *arena,
                            bool indexed)
{
    fast_ff_init(st, arena, 128);
    set_modes(st, indexed ? 0 : (size_t)-1, 0);
    const uint32_t *bound = st->idx.bound;
    assert(st->idx.nr_leaves == 4);
    put_back(st, 0, 2);
    put_back(st, 3, 1);
    put_back(st, 5, 3);
    assert(st->indexed == indexed);
    expect_take(st, 3, 5);             /* the only block that fits */
    expect_take(st, 1, 0);             /* the lowest block, split */
    expect_take(st, 2, NO_PAGE);       /* 1 and 3 are free, not together */
    assert(!indexed || bound[1] == 1); /* lowered by that search */
    put_back(st, 0, 1);                /* merges with page 1 */
    expect_take(st, 2, 0);
    expect_take(st, 1, 3);
    assert(check_index(st) == 0);

    put_back(st, 60, 8); /* crosses the root's middle (page 64) */
    put_back(st, 10, 4);
    expect_take(st, 5, 60);
    expect_take(st, 4, 10);
    expect_take(st, 3, 65);
    expect_take(st, 1, NO_PAGE);

    put_back(st, 0, 128);
    expect_take(st, 129, NO_PAGE);
    expect_take(st, 33, 0); /* spans whole words */
    expect_take(st, 32, 33);
    expect_take(st, 64, NO_PAGE); /* 63 left: every bound says 128 */
    assert(!indexed || bound[1] == 63);
    expect_take(st, 63, 65);
    expect_take(st, 1, NO_PAGE);
}

/* check_switch - on an instance over the 128 frames at @arena that indexes
 * more than 8 blocks and lists fewer than 4: frees and allocs move the
 * blocks into the index and back, placing by first fit on either side. */
static void check_switch(struct pmm_state *st, struct Page *arena)
{
    fast_ff_init(st, arena, 128);
    set_modes(st, 8, 4);
    for (size_t p = 0; p < 18; p += 2) {
        assert(!st->indexed);
        put_back(st, p, 1); /* blocks 0, 2, .., 16 */
    }
    assert(st->indexed && st->nr_blocks == 9);
    put_back(st, 100, 20);
    expect_take(st, 2, 100); /* the index searched past single pages */
    for (size_t p = 1; p < 9; p += 2) {
        put_back(st, p, 1); /* merges blocks: 10 blocks, then 6 */
    }
    assert(st->indexed && st->nr_blocks == 6);
    put_back(st, 9, 1);
    put_back(st, 11, 1); /* [0, 13), 14, 16, [102, 120) */
    assert(st->indexed && st->nr_blocks == 4);
    expect_take(st, 13, 0); /* [0, 13) goes: 3 blocks, listed again */
    assert(!st->indexed && st->nr_blocks == 3);
    expect_take(st, 1, 14);
    expect_take(st, 17, 102);
    expect_take(st, 2, NO_PAGE);
    assert(!st->indexed && check_index(st) == 2);
}

/* check_memmap - on an instance over the @n frames at @frames, init_memmap
 * takes the reserved frames over (flags and reference counts cleared) and
 * two regions handed over side by side become one block. */
static void check_memmap(struct pmm_state *st, struct Page *frames, size_t n)
{
    fast_ff_init(st, frames, n);
    set_page_ref(frames + n - 1, 1);
    fast_ff_init_memmap(st, frames + n / 2, n - n / 2);
    fast_ff_init_memmap(st, frames, n / 2);
    for (size_t i = 0; i < n; i++) {
        assert(frames[i].flags == 0 && page_ref(frames + i) == 0);
    }
    assert(st->nr_free == n && check_index(st) == n);
    assert(block_len(&st->idx, 0) == n && next_block(st, 0) == NO_PAGE);
    assert(fast_ff_alloc_pages(st, n + 1) == NULL);
    assert(fast_ff_alloc_pages(st, n) == frames && st->nr_free == 0);
    assert(fast_ff_alloc_pages(st, 1) == NULL && check_index(st) == 0);
}

/* fast_ff_expect - the block an alloc of @n pages must return: the one
 * the naive scan picks, NULL when it finds none. */
static struct Page *fast_ff_expect(const struct pmm_state *st, size_t n)
{
    size_t p = naive_first_fit(st, n);
    return p == NO_PAGE ? NULL : st->idx.base + p;
}

/* fast_ff_prepare - index more than 6 blocks and list fewer than 3, so
 * that the random workload's 16 blocks move between the two. */
static void fast_ff_prepare(struct pmm_state *st) { set_modes(st, 6, 3); }

/* fast_ff_check_state - check_index, and it counts nr_free pages. */
static void fast_ff_check_state(const struct pmm_state *st)
{
    assert(check_index(st) == st->nr_free);
}

/* fast_ff_check_merged - with all @n frames free, they are one block. */
static void fast_ff_check_merged(const struct pmm_state *st, size_t n)
{
    assert(block_len(&st->idx, 0) == n && check_index(st) == n);
}

/* fast_ff_random - the shared random workload (alloc_check.h) with
 * fast_ff's promises: every alloc agrees with the naive scan, the
 * instance stays consistent, its blocks move between list and index, and
 * it all merges back. */
static const struct alloc_check_ops fast_ff_random = {
    .pool = &fast_ff_pmm_manager.pool,
    .prepare = fast_ff_prepare,
    .expect = fast_ff_expect,
    .check_state = fast_ff_check_state,
    .check_merged = fast_ff_check_merged,
};

/* fast_ff_check - the self-test on private instances over the @n reserved
 * frames at @frames (n >= 128): init_memmap, first-fit against a naive scan
 * on a random workload that switches between list and index, double-free
 * detection and the placement rules in either form, and the switch
 * itself.  Nothing outside the frames and @scratch changes. */
static void fast_ff_check(struct pmm_state *scratch, struct Page *frames,
                          size_t n)
{
    assert(n >= 128);
    check_memmap(scratch, frames, n);
    alloc_check_random(scratch, &fast_ff_random, frames, n);
    for (int indexed = 0; indexed < 2; indexed++) {
        check_double_free(scratch, frames, indexed);
        check_placement(scratch, frames, indexed);
    }
    check_switch(scratch, frames);
}

const struct pmm_manager fast_ff_pmm_manager = {
    .name = "fast_ff_pmm_manager",
    .pool =
        {
            .state_size = fast_ff_state_size,
            .init = fast_ff_init,
            .init_memmap = fast_ff_init_memmap,
            .alloc_pages = fast_ff_alloc_pages,
            .free_pages = fast_ff_free_pages,
            .nr_free_pages = fast_ff_nr_free_pages,
            .show_free = fast_ff_show_free,
            .check = fast_ff_check,
        },
};
