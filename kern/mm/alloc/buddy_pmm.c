/*
 * buddy_pmm.c -- a binary buddy allocator.
 *
 * An instance covers the frames [base, base + nframes) and numbers them
 * from its base: page b of the instance is base + b.  Free memory is a set
 * of blocks of 2^k pages, each naturally aligned relative to the base: its
 * page number b is a multiple of 2^k.  Alignment is the instance's, not
 * the physical address's: the kernel pool's base is frame 0, so its blocks
 * are physically aligned too, but the process pool starts wherever the
 * kernel pool ends, and its blocks are aligned relative to that frame.
 * That is enough: what buddy needs of alignment is that a block and its
 * buddy make the block of the next order, and no caller of alloc_pages is
 * promised more than n contiguous frames.  The buddy of the order-k block
 * at b is the order-k block at b ^ 2^k; together they make the aligned
 * block of order k + 1.  Each order has a free list (LIFO), linked through
 * page_link of the block's first page, and order_mask has bit k set while
 * list k is not empty.
 *
 * alloc(n) takes the first block of the smallest non-empty order j with
 * 2^j >= n (one find-first-set on order_mask) and hands the pages past n
 * straight back as the aligned pieces a split would leave (the upper
 * halves) and the rounded-up tail: exactly n pages leave the pool and no
 * tail is lost.  free(base, n) cuts the range into maximal aligned pieces,
 * so it takes back what alloc handed out (or any part of it), and a freed
 * block merges with its buddy for as long as the buddy is a free block of
 * the same order.  Merging on every free keeps the pool fully coalesced
 * (no two free blocks are buddies), so the blocks follow from the set of
 * free pages alone.  init_memmap cuts its region the same way, and
 * adjacent regions merge.
 *
 * Block orders live in the instance, not in struct Page: head_map numbers
 * blocks like an implicit binary tree over span pages, span being nframes
 * rounded up to a power of two (the order-k block at b is node (span + b)
 * >> k, its buddy the sibling node), and has a bit set for every free
 * block; free_map has a bit set for every free page and catches double
 * frees a word at a time.  Of struct Page the manager uses only page_link,
 * of a free block's first page: it takes the frames of init_memmap over
 * (clears their flags and reference counts) but afterwards neither reads
 * nor resets ref and flags, so a page comes back from alloc as it was
 * freed -- unreserved (the front end refuses reserved pages) and with no
 * references (its callers free only unmapped pages).  alloc is O(log span)
 * and free O(log span * log n), plus n / 32 bitmap words each.
 *
 * The state of an instance is one block: struct pmm_state, then head_map
 * (2 * span bits) and free_map (nframes bits), in 32-bit words.
 */
#include <pmm_manager.h>
#include <bitmap.h>
#include <list.h>
#include <string.h>
#include <stdio.h>
#include <buddy_pmm.h>
#include <alloc_check.h>

#define MAX_ORDER 20 /* an instance covers at most 2^20 frames: 4 GiB */
#define NR_ORDERS (MAX_ORDER + 1)
#define NO_PAGE   BITMAP_NONE

static_assert(((size_t)1 << MAX_ORDER) == MAXPA_PAGES);

/* struct pmm_state - an instance over the frames [base, base + nframes),
 * followed in memory by the words of its two maps. */
struct pmm_state {
    struct Page *base; /* page b of the instance is base + b */
    size_t nframes;
    size_t span;        /* nframes rounded up to a power of two */
    unsigned max_order; /* log2(span): no block is larger */
    size_t nr_free;
    uint32_t order_mask; /* bit k set: free_lists[k] is not empty */
    uint32_t *head_map;  /* free blocks, by tree node: 2 * span bits */
    uint32_t *free_map;  /* free pages: nframes bits */
    list_entry_t free_lists[NR_ORDERS];
    uint32_t maps[];
};

/* order_for - the order of the smallest power of two >= @n (n <= 2^31). */
static unsigned order_for(size_t n)
{
    return n <= 1 ? 0 : 32 - __builtin_clz((uint32_t)(n - 1));
}

/* head_words / free_words - the words of head_map and free_map for an
 * instance over @nframes frames. */
static size_t head_words(size_t nframes)
{
    return (((size_t)2 << order_for(nframes)) + 31) / 32;
}

static size_t free_words(size_t nframes) { return (nframes + 31) / 32; }

static size_t buddy_state_size(size_t nframes)
{
    return sizeof(struct pmm_state) +
           (head_words(nframes) + free_words(nframes)) * sizeof(uint32_t);
}

/* buddy_init - an empty instance over the frames [base, base + nframes),
 * its maps laid out after the header and cleared; panics past 2^20. */
static void buddy_init(struct pmm_state *st, struct Page *base, size_t nframes)
{
    if (nframes > ((size_t)1 << MAX_ORDER)) {
        panic("init: buddy_pmm: %lu frames at %p, more than the 2^%d an "
              "instance can cover",
              (unsigned long)nframes, base, MAX_ORDER);
    }
    size_t words = head_words(nframes) + free_words(nframes);
    memset(st->maps, 0, words * sizeof(uint32_t));
    st->base = base;
    st->nframes = nframes;
    st->max_order = order_for(nframes);
    st->span = (size_t)1 << st->max_order;
    st->nr_free = 0;
    st->order_mask = 0;
    st->head_map = st->maps;
    st->free_map = st->maps + head_words(nframes);
    for (int k = 0; k < NR_ORDERS; k++) {
        list_init(&st->free_lists[k]);
    }
}

/* block_node - the head_map bit of the order-@k block at page @b. */
static size_t block_node(const struct pmm_state *st, size_t b, unsigned k)
{
    return (st->span + b) >> k;
}

/* link_block / unlink_block - make the order-@k block at page @b a free
 * block, or no longer one. */
static __always_inline void link_block(struct pmm_state *st, size_t b,
                                       unsigned k)
{
    bitmap_assign(st->head_map, block_node(st, b, k), true);
    list_add(&st->free_lists[k], &st->base[b].page_link);
    st->order_mask |= 1u << k;
}

static __always_inline void unlink_block(struct pmm_state *st, size_t b,
                                         unsigned k)
{
    bitmap_assign(st->head_map, block_node(st, b, k), false);
    list_del(&st->base[b].page_link);
    if (list_empty(&st->free_lists[k])) {
        st->order_mask &= ~(1u << k);
    }
}

/* free_block - add the order-@k block at page @b to the pool, merging it
 * with its buddy while the buddy is a free block of the same order. */
static void free_block(struct pmm_state *st, size_t b, unsigned k)
{
    for (; k < st->max_order; k++) {
        size_t buddy = b ^ ((size_t)1 << k);
        if (!bitmap_test(st->head_map, block_node(st, buddy, k))) {
            break;
        }
        unlink_block(st, buddy, k);
        b &= ~((size_t)1 << k);
    }
    link_block(st, b, k);
}

/* free_range - add pages [p, p + n) to the pool as maximal aligned blocks:
 * each piece is as large as p's alignment and the pages left allow. */
static void free_range(struct pmm_state *st, size_t p, size_t n)
{
    while (n > 0) {
        unsigned k = MIN(__builtin_ctz((uint32_t)(p | st->span)),
                         31 - __builtin_clz((uint32_t)n));
        free_block(st, p, k);
        p += (size_t)1 << k;
        n -= (size_t)1 << k;
    }
}

/* release - return [base, base + n) to the pool; panics, before changing
 * anything, if it is not in the instance or a page of it is already free.
 * @fn names the function the caller used. */
static void release(struct pmm_state *st, const char *fn, struct Page *base,
                    size_t n)
{
    size_t first = st->base - pages, p = base - st->base;
    if (base < st->base || n > st->nframes || p > st->nframes - n) {
        panic("%s: buddy_pmm: [%p, +%lu) is outside the instance's frames "
              "[ppn %lx, %lx)",
              fn, base, (unsigned long)n, (unsigned long)first,
              (unsigned long)(first + st->nframes));
    }
    size_t dup = bitmap_claim_range(st->free_map, p, n);
    if (dup != NO_PAGE) {
        panic("%s: buddy_pmm: [%p, +%lu): page %p (ppn %lu) is already free: "
              "double free",
              fn, base, (unsigned long)n, st->base + dup,
              (unsigned long)(first + dup));
    }
    free_range(st, p, n);
    st->nr_free += n;
}

/* buddy_init_memmap - take over the reserved frames [base, base + n):
 * their flags and reference counts are cleared, here only. */
static void buddy_init_memmap(struct pmm_state *st, struct Page *base, size_t n)
{
    assert(n > 0);
    release(st, "init_memmap", base, n);
    for (struct Page *p = base; p != base + n; p++) {
        p->flags = 0;
        set_page_ref(p, 0);
    }
}

static struct Page *buddy_alloc_pages(struct pmm_state *st, size_t n)
{
    assert(n > 0);
    if (n > st->nr_free) {
        return NULL;
    }
    unsigned k = order_for(n);
    uint32_t fits = st->order_mask & (~0u << k);
    if (fits == 0) {
        return NULL;
    }
    unsigned j = __builtin_ctz(fits);
    size_t b = le2page(list_next(&st->free_lists[j]), page_link) - st->base;
    unlink_block(st, b, j);
    bitmap_assign_range(st->free_map, b, n, false);
    /* [b + n, b + 2^j) goes back as aligned pieces, each as large as its
     * offset m from b is aligned: none can merge, its buddy is in use. */
    for (size_t m = n; m >> j == 0; m += (size_t)1 << __builtin_ctz(m)) {
        link_block(st, b + m, __builtin_ctz(m));
    }
    st->nr_free -= n;
    return st->base + b;
}

static void buddy_free_pages(struct pmm_state *st, struct Page *base, size_t n)
{
    assert(n > 0);
    release(st, "free_pages", base, n);
}

static size_t buddy_nr_free_pages(const struct pmm_state *st)
{
    return st->nr_free;
}

/* head_order - the order of the free block whose first page is @p. */
static unsigned head_order(const struct pmm_state *st, size_t p)
{
    unsigned k = 0;
    while (!bitmap_test(st->head_map, block_node(st, p, k))) {
        k++;
        assert(k <= st->max_order && p % ((size_t)1 << k) == 0);
    }
    return k;
}

/* next_free - the lowest free page at or above @p, or NO_PAGE. */
static size_t next_free(const struct pmm_state *st, size_t p)
{
    return p < st->nframes ? bitmap_find(st->free_map, p, st->nframes - p, true)
                           : NO_PAGE;
}

/* buddy_show_free - one line per free block, in address order.  Walking
 * up from the lowest free page, each free page met first is the head of
 * its block, since blocks are aligned and never overlap. */
static void buddy_show_free(const struct pmm_state *st)
{
    size_t first = st->base - pages;
    for (size_t p = next_free(st, 0); p != NO_PAGE;) {
        size_t end = p + ((size_t)1 << head_order(st, p));
        cprintf("  [ppn %05lx, %05lx] %u pages\n", (unsigned long)(first + p),
                (unsigned long)(first + end - 1), (unsigned)(end - p));
        p = next_free(st, end);
    }
}

/* check_list - every block on list @k is aligned, inside the instance,
 * marked in head_map, made of free pages and not the buddy of another
 * free block; returns the number of blocks on it. */
static size_t check_list(const struct pmm_state *st, unsigned k)
{
    size_t blocks = 0, size = (size_t)1 << k;
    const list_entry_t *le = &st->free_lists[k];
    while ((le = list_next(le)) != &st->free_lists[k]) {
        size_t b = le2page(le, page_link) - st->base;
        assert(b % size == 0 && b + size <= st->nframes);
        assert(bitmap_test(st->head_map, block_node(st, b, k)));
        assert(k == st->max_order ||
               !bitmap_test(st->head_map, block_node(st, b ^ size, k)));
        assert(bitmap_find(st->free_map, b, size, false) == NO_PAGE);
        blocks++;
    }
    return blocks;
}

/* check_pool - check_list for every order, order_mask marks the non-empty
 * lists, the blocks add up to nr_free, and the maps mark nothing but the
 * listed blocks and their pages.  Returns the number of blocks. */
static size_t check_pool(const struct pmm_state *st)
{
    size_t blocks = 0, total = 0;
    for (unsigned k = 0; k < NR_ORDERS; k++) {
        size_t listed = check_list(st, k);
        assert(k <= st->max_order || listed == 0);
        assert(((st->order_mask >> k) & 1) == (listed != 0));
        blocks += listed;
        total += listed << k;
    }
    assert(total == st->nr_free);
    assert(bitmap_count(st->head_map, head_words(st->nframes)) == blocks);
    assert(bitmap_count(st->free_map, free_words(st->nframes)) == total);
    return blocks;
}

/* check_memmap - on an instance over @m of the frames at @frames:
 * init_memmap takes the reserved frames over (flags and reference counts
 * cleared), two regions handed over side by side become the maximal
 * aligned blocks of [0, m) (one per bit of m), and a request larger than
 * the largest of them finds nothing even when enough pages are free. */
static void check_memmap(struct pmm_state *st, struct Page *frames, size_t m)
{
    size_t top = (size_t)1 << (31 - __builtin_clz((uint32_t)m));
    size_t blocks = __builtin_popcount((uint32_t)m);
    buddy_init(st, frames, m);
    set_page_ref(frames + m - 1, 1);
    buddy_init_memmap(st, frames + 5, m - 5);
    buddy_init_memmap(st, frames, 5);
    for (size_t i = 0; i < m; i++) {
        assert(frames[i].flags == 0 && page_ref(frames + i) == 0);
    }
    assert(st->nr_free == m && check_pool(st) == blocks);
    assert(check_list(st, st->max_order - (top < m)) == 1);
    assert(buddy_alloc_pages(st, top + 1) == NULL);
    assert(buddy_alloc_pages(st, top) == frames && st->nr_free == m - top);
    assert(check_pool(st) == blocks - 1);
    buddy_free_pages(st, frames, top);
    assert(st->nr_free == m && check_pool(st) == blocks);
}

/* check_split_merge - on an instance over the 16 frames at @a:
 * adjacent init_memmap regions coalesce, alloc splits the smallest block
 * that fits, NULL when no block is large enough, frees merge back up. */
static void check_split_merge(struct pmm_state *st, struct Page *a)
{
    buddy_init(st, a, 16);
    buddy_init_memmap(st, a, 5);
    buddy_init_memmap(st, a + 5, 11);
    assert(st->nr_free == 16 && check_pool(st) == 1 && check_list(st, 4) == 1);
    assert(buddy_alloc_pages(st, 1) == a); /* 16 -> 8 + 4 + 2 + 1 + 1 */
    for (unsigned k = 0; k < 4; k++) {
        assert(check_list(st, k) == 1);
    }
    assert(buddy_alloc_pages(st, 1) == a + 1);
    assert(buddy_alloc_pages(st, 2) == a + 2);
    assert(buddy_alloc_pages(st, 3) == a + 4); /* page a + 7 handed back */
    assert(st->nr_free == 9 && check_list(st, 0) == 1 &&
           check_list(st, 3) == 1);
    assert(buddy_alloc_pages(st, 9) == NULL);
    buddy_free_pages(st, a + 1, 1); /* its buddy a is in use */
    assert(check_list(st, 0) == 2);
    buddy_free_pages(st, a, 1); /* merges with a + 1 */
    assert(check_list(st, 1) == 1 && check_list(st, 0) == 1);
    buddy_free_pages(st, a + 2, 2);
    buddy_free_pages(st, a + 4, 3); /* merges all the way up */
    assert(st->nr_free == 16 && check_pool(st) == 1 && check_list(st, 4) == 1);
}

/* check_tail - on the same instance: a request that is not a power of two
 * costs exactly its pages, and any part of an allocation can be freed on
 * its own. */
static void check_tail(struct pmm_state *st, struct Page *a)
{
    assert(buddy_alloc_pages(st, 5) == a); /* tail: 1 page at a+5, 2 at a+6 */
    assert(st->nr_free == 11 && check_list(st, 0) == 1 &&
           check_list(st, 1) == 1);
    assert(buddy_alloc_pages(st, 2) == a + 6);
    assert(buddy_alloc_pages(st, 1) == a + 5);
    assert(st->nr_free == 8 && check_pool(st) == 1);
    buddy_free_pages(st, a, 5); /* as 4 pages at a and 1 at a + 4 */
    assert(check_list(st, 2) == 1 && check_list(st, 0) == 1);
    buddy_free_pages(st, a + 5, 1);
    buddy_free_pages(st, a + 6, 2);
    assert(st->nr_free == 16 && check_pool(st) == 1);
    assert(buddy_alloc_pages(st, 8) == a);
    buddy_free_pages(st, a + 2, 3); /* the middle of that allocation */
    assert(st->nr_free == 11 && page_ref(a + 2) == 0);
    buddy_free_pages(st, a, 2);
    buddy_free_pages(st, a + 5, 3);
    assert(st->nr_free == 16 && check_pool(st) == 1 && check_list(st, 4) == 1);
    assert(buddy_alloc_pages(st, 16) == a && st->nr_free == 0);
    assert(buddy_alloc_pages(st, 1) == NULL);
}

/* buddy_check_alloc - @blk, just allocated for @n pages, is aligned
 * (relative to the instance's base) to n rounded up to a power of two;
 * that exactly n pages left the pool, alloc_check_random asserts. */
static void buddy_check_alloc(const struct pmm_state *st,
                              const struct Page *blk, size_t n)
{
    assert((size_t)(blk - st->base) % ((size_t)1 << order_for(n)) == 0);
}

/* buddy_check_state - check_pool, for alloc_check_random. */
static void buddy_check_state(const struct pmm_state *st) { check_pool(st); }

/* buddy_check_merged - with all @n frames free, the pool is fully
 * coalesced: one maximal aligned block per bit of n. */
static void buddy_check_merged(const struct pmm_state *st, size_t n)
{
    assert(check_pool(st) == (size_t)__builtin_popcount((uint32_t)n));
}

/* buddy_random - the shared random workload (alloc_check.h) with buddy's
 * promises: aligned blocks, a consistent and fully coalesced pool. */
static const struct alloc_check_ops buddy_random = {
    .pool = &buddy_pmm_manager.pool,
    .check_alloc = buddy_check_alloc,
    .check_state = buddy_check_state,
    .check_merged = buddy_check_merged,
};

/* buddy_check - the self-test on private instances over the @n reserved
 * frames at @frames (n >= 64): init_memmap on a power-of-two and an odd
 * number of frames, a random workload, then split, merge and tails on an
 * instance whose base is 3 frames in, so blocks are aligned only relative
 * to it.  Nothing outside the frames and @scratch changes. */
static void buddy_check(struct pmm_state *scratch, struct Page *frames,
                        size_t n)
{
    assert(n >= 64);
    check_memmap(scratch, frames, n);
    check_memmap(scratch, frames, n * 3 / 4 + 3);
    alloc_check_random(scratch, &buddy_random, frames, n);
    check_split_merge(scratch, frames + 3);
    check_tail(scratch, frames + 3);
}

const struct pmm_manager buddy_pmm_manager = {
    .name = "buddy_pmm_manager",
    .pool =
        {
            .state_size = buddy_state_size,
            .init = buddy_init,
            .init_memmap = buddy_init_memmap,
            .alloc_pages = buddy_alloc_pages,
            .free_pages = buddy_free_pages,
            .nr_free_pages = buddy_nr_free_pages,
            .show_free = buddy_show_free,
            .check = buddy_check,
        },
};
