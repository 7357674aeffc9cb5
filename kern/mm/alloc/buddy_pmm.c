/*
 * buddy_pmm.c -- a binary buddy allocator.
 *
 * Free memory is a set of blocks of 2^k pages (order k <= MAX_ORDER), each
 * naturally aligned: its first page number is a multiple of 2^k.  The
 * buddy of the order-k block at page b is the order-k block at b ^ 2^k;
 * together they make the aligned block of order k + 1.  Each order has a
 * free list (LIFO), linked through page_link of the block's first page,
 * and order_mask has bit k set while list k is not empty.
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
 * Block orders live here, not in struct Page: head_map numbers blocks like
 * an implicit binary tree over BUDDY_SPAN pages (the order-k block at b is
 * node (BUDDY_SPAN + b) >> k, its buddy the sibling node) and has a bit
 * set for every free block; free_map has a bit set for every free page and
 * catches double frees a word at a time.  Of struct Page the manager uses
 * only page_link, of a free block's first page: it neither reads nor
 * resets ref and flags, so a page comes back from alloc as it was freed --
 * unreserved (the front end refuses reserved pages) and with no references
 * (its callers free only unmapped pages).  alloc is O(MAX_ORDER) and free
 * O(MAX_ORDER * log n), plus n / 32 bitmap words each.
 */
#include <pmm.h>
#include <bitmap.h>
#include <list.h>
#include <string.h>
#include <stdio.h>
#include <buddy_pmm.h>

/* Every frame below 4 GiB: the process pool's instance manages high memory
 * above KMEMSIZE too (kern/mm/pool.c). */
#define BUDDY_MAX_PAGES MAXPA_PAGES
#define BUDDY_SPAN      (1u << 20) /* power of two >= that */
#define MAX_ORDER       20 /* the largest aligned block below 4 GiB: 2^20 at 0 */
#define NR_ORDERS       (MAX_ORDER + 1)
#define NO_PAGE         BITMAP_NONE

static_assert(BUDDY_SPAN >= BUDDY_MAX_PAGES);
static_assert((1u << MAX_ORDER) <= BUDDY_MAX_PAGES &&
              (2u << MAX_ORDER) > BUDDY_MAX_PAGES);

static list_entry_t free_lists[NR_ORDERS];
static size_t nr_free;
static uint32_t order_mask; /* bit k set: free_lists[k] is not empty */
static uint32_t head_map[2 * BUDDY_SPAN / 32];  /* free blocks, by tree node */
static uint32_t free_map[BUDDY_MAX_PAGES / 32]; /* free pages */

/* block_node - the head_map bit of the order-@k block at page @b. */
static size_t block_node(size_t b, unsigned k) { return (BUDDY_SPAN + b) >> k; }

/* link_block / unlink_block - make the order-@k block at page @b a free
 * block, or no longer one. */
static __always_inline void link_block(size_t b, unsigned k)
{
    bitmap_assign(head_map, block_node(b, k), true);
    list_add(&free_lists[k], &pages[b].page_link);
    order_mask |= 1u << k;
}

static __always_inline void unlink_block(size_t b, unsigned k)
{
    bitmap_assign(head_map, block_node(b, k), false);
    list_del(&pages[b].page_link);
    if (list_empty(&free_lists[k])) {
        order_mask &= ~(1u << k);
    }
}

/* free_block - add the order-@k block at page @b to the pool, merging it
 * with its buddy while the buddy is a free block of the same order. */
static void free_block(size_t b, unsigned k)
{
    for (; k < MAX_ORDER; k++) {
        size_t buddy = b ^ ((size_t)1 << k);
        if (!bitmap_test(head_map, block_node(buddy, k))) {
            break;
        }
        unlink_block(buddy, k);
        b &= ~((size_t)1 << k);
    }
    link_block(b, k);
}

/* free_range - add pages [p, p + n) to the pool as maximal aligned blocks:
 * each piece is as large as p's alignment, the pages left and MAX_ORDER
 * all allow. */
static void free_range(size_t p, size_t n)
{
    while (n > 0) {
        unsigned k = MIN(__builtin_ctz((uint32_t)p | BUDDY_SPAN),
                         31 - __builtin_clz((uint32_t)n));
        free_block(p, k);
        p += (size_t)1 << k;
        n -= (size_t)1 << k;
    }
}

/* empty_lists - an empty pool (the maps are left alone). */
static void empty_lists(void)
{
    for (int k = 0; k < NR_ORDERS; k++) {
        list_init(&free_lists[k]);
    }
    nr_free = 0;
    order_mask = 0;
}

static void buddy_init(void)
{
    empty_lists();
    memset(head_map, 0, sizeof(head_map));
    memset(free_map, 0, sizeof(free_map));
}

/* release - return [base, base + n) to the pool; panics, before changing
 * anything, if a page of it is already free or it lies past 4 GiB.  @fn
 * names the function the caller used. */
static void release(const char *fn, struct Page *base, size_t n)
{
    size_t p = base - pages;
    if (p + n > BUDDY_MAX_PAGES) {
        panic("%s: buddy_pmm: [%p, +%lu) runs past the %lu pages below 4 GiB",
              fn, base, (unsigned long)n, (unsigned long)BUDDY_MAX_PAGES);
    }
    size_t dup = bitmap_claim_range(free_map, p, n);
    if (dup != NO_PAGE) {
        panic("%s: buddy_pmm: [%p, +%lu): page %p (ppn %lu) is already free: "
              "double free",
              fn, base, (unsigned long)n, pages + dup, (unsigned long)dup);
    }
    free_range(p, n);
    nr_free += n;
}

static void buddy_init_memmap(struct Page *base, size_t n)
{
    assert(n > 0);
    release("init_memmap", base, n);
}

static struct Page *buddy_alloc_pages(size_t n)
{
    assert(n > 0);
    if (n > nr_free || n > ((size_t)1 << MAX_ORDER)) {
        return NULL;
    }
    unsigned k = n == 1 ? 0 : 32 - __builtin_clz((uint32_t)(n - 1));
    uint32_t fits = order_mask & (~0u << k);
    if (fits == 0) {
        return NULL;
    }
    unsigned j = __builtin_ctz(fits);
    size_t b = le2page(list_next(&free_lists[j]), page_link) - pages;
    unlink_block(b, j);
    bitmap_assign_range(free_map, b, n, false);
    /* [b + n, b + 2^j) goes back as aligned pieces, each as large as its
     * offset m from b is aligned: none can merge, its buddy is in use. */
    for (size_t m = n; m >> j == 0; m += (size_t)1 << __builtin_ctz(m)) {
        link_block(b + m, __builtin_ctz(m));
    }
    nr_free -= n;
    return pages + b;
}

static void buddy_free_pages(struct Page *base, size_t n)
{
    assert(n > 0);
    release("free_pages", base, n);
}

static size_t buddy_nr_free_pages(void) { return nr_free; }

/* head_order - the order of the free block whose first page is @p. */
static unsigned head_order(size_t p)
{
    unsigned k = 0;
    while (!bitmap_test(head_map, block_node(p, k))) {
        k++;
        assert(k <= MAX_ORDER && p % ((size_t)1 << k) == 0);
    }
    return k;
}

/* buddy_show_free - one line per free block, in address order.  Walking
 * up from the lowest free page, each free page met first is the head of
 * its block, since blocks are aligned and never overlap. */
static void buddy_show_free(void)
{
    size_t p = bitmap_find(free_map, 0, BUDDY_MAX_PAGES, true);
    while (p != NO_PAGE) {
        size_t end = p + ((size_t)1 << head_order(p));
        cprintf("  [ppn %05lx, %05lx] %u pages\n", (unsigned long)p,
                (unsigned long)(end - 1), (unsigned)(end - p));
        p = end < BUDDY_MAX_PAGES
                ? bitmap_find(free_map, end, BUDDY_MAX_PAGES - end, true)
                : NO_PAGE;
    }
}

static int blocks_of(unsigned k)
{
    int count = 0;
    for (list_entry_t *le = list_next(&free_lists[k]); le != &free_lists[k];
         le = list_next(le)) {
        count++;
    }
    return count;
}

/* check_pool - every listed block is aligned, marked in head_map, made of
 * free pages and not the buddy of another free block, order_mask marks
 * the non-empty lists, and the blocks add up to nr_free.  Returns the
 * number of blocks. */
static int check_pool(void)
{
    size_t total = 0;
    int blocks = 0;
    for (unsigned k = 0; k <= MAX_ORDER; k++) {
        list_entry_t *le = &free_lists[k];
        while ((le = list_next(le)) != &free_lists[k]) {
            size_t b = le2page(le, page_link) - pages, size = (size_t)1 << k;
            assert(b % size == 0 && bitmap_test(head_map, block_node(b, k)));
            assert(k == MAX_ORDER ||
                   !bitmap_test(head_map, block_node(b ^ size, k)));
            assert(bitmap_find(free_map, b, size, false) == NO_PAGE);
            total += size;
            blocks++;
        }
        assert(((order_mask >> k) & 1) == !list_empty(&free_lists[k]));
    }
    assert(total == nr_free);
    return blocks;
}

/* check_live_pool - check_pool, and the maps mark nothing but the listed
 * blocks and their pages.  Returns the number of blocks. */
static int check_live_pool(void)
{
    int blocks = check_pool();
    assert(bitmap_count(head_map, ARRAY_SIZE(head_map)) == (size_t)blocks);
    assert(bitmap_count(free_map, ARRAY_SIZE(free_map)) == nr_free);
    return blocks;
}

/* check_split_merge - on a private pool over the 16 pages at @a:
 * adjacent init_memmap regions coalesce, alloc splits the smallest block
 * that fits, NULL when no block is large enough, frees merge back up. */
static void check_split_merge(struct Page *a)
{
    buddy_init_memmap(a, 5);
    buddy_init_memmap(a + 5, 11);
    assert(nr_free == 16 && check_pool() == 1 && blocks_of(4) == 1);
    assert(buddy_alloc_pages(1) == a); /* 16 -> 8 + 4 + 2 + 1 + 1 */
    for (unsigned k = 0; k < 4; k++) {
        assert(blocks_of(k) == 1);
    }
    assert(buddy_alloc_pages(1) == a + 1);
    assert(buddy_alloc_pages(2) == a + 2);
    assert(buddy_alloc_pages(3) == a + 4); /* page a + 7 handed back */
    assert(nr_free == 9 && blocks_of(0) == 1 && blocks_of(3) == 1);
    assert(buddy_alloc_pages(9) == NULL);
    buddy_free_pages(a + 1, 1); /* its buddy a is in use */
    assert(blocks_of(0) == 2);
    buddy_free_pages(a, 1); /* merges with a + 1 */
    assert(blocks_of(1) == 1 && blocks_of(0) == 1);
    buddy_free_pages(a + 2, 2);
    buddy_free_pages(a + 4, 3); /* merges all the way up */
    assert(nr_free == 16 && check_pool() == 1 && blocks_of(4) == 1);
}

/* check_tail - on the same private pool: a request that is not a power of
 * two costs exactly its pages, and any part of an allocation can be freed
 * on its own. */
static void check_tail(struct Page *a)
{
    assert(buddy_alloc_pages(5) == a); /* tail: 1 page at a+5, 2 at a+6 */
    assert(nr_free == 11 && blocks_of(0) == 1 && blocks_of(1) == 1);
    assert(buddy_alloc_pages(2) == a + 6 && buddy_alloc_pages(1) == a + 5);
    assert(nr_free == 8 && check_pool() == 1);
    buddy_free_pages(a, 5); /* as 4 pages at a and 1 at a + 4 */
    assert(blocks_of(2) == 1 && blocks_of(0) == 1);
    buddy_free_pages(a + 5, 1);
    buddy_free_pages(a + 6, 2);
    assert(nr_free == 16 && check_pool() == 1);
    assert(buddy_alloc_pages(8) == a);
    buddy_free_pages(a + 2, 3); /* the middle of that allocation */
    assert(nr_free == 11 && page_ref(a + 2) == 0);
    buddy_free_pages(a, 2);
    buddy_free_pages(a + 5, 3);
    assert(nr_free == 16 && check_pool() == 1 && blocks_of(4) == 1);
    assert(buddy_alloc_pages(16) == a && nr_free == 0);
    assert(buddy_alloc_pages(1) == NULL);
}

/* show_heads - set (@on) or clear the head_map bits of every listed block. */
static void show_heads(bool on)
{
    for (unsigned k = 0; k <= MAX_ORDER; k++) {
        list_entry_t *le = &free_lists[k];
        while ((le = list_next(le)) != &free_lists[k]) {
            size_t b = le2page(le, page_link) - pages;
            bitmap_assign(head_map, block_node(b, k), on);
        }
    }
}

/* check_private - run the split and merge tests on a private pool made of
 * the 16 allocated pages at @a.  The real blocks are set aside and hidden
 * from head_map meanwhile, so no private block can merge with one. */
static void check_private(struct Page *a)
{
    list_entry_t saved[NR_ORDERS];
    size_t saved_free = nr_free;
    uint32_t saved_mask = order_mask;
    show_heads(false);
    memcpy(saved, free_lists, sizeof(saved));
    empty_lists();
    check_split_merge(a);
    check_tail(a);
    memcpy(free_lists, saved, sizeof(saved));
    nr_free = saved_free;
    order_mask = saved_mask;
    show_heads(true);
}

/* buddy_check - the boot self-test; leaves the allocator as it found it. */
static void buddy_check(void)
{
    size_t free_before = nr_free;
    int blocks_before = check_live_pool();
    struct Page *x = buddy_alloc_pages(1), *y = buddy_alloc_pages(1);
    assert(x != NULL && y != NULL && x != y && page_ref(x) == 0);
    assert(nr_free == free_before - 2);
    buddy_free_pages(x, 1);
    buddy_free_pages(y, 1);
    assert(nr_free == free_before && check_live_pool() == blocks_before);

    struct Page *arena = buddy_alloc_pages(16);
    if (arena == NULL) {
        cprintf("buddy_check: no free 16-page block: split and merge tests "
                "skipped\n");
    } else {
        assert((arena - pages) % 16 == 0);
        check_private(arena);
        buddy_free_pages(arena, 16);
    }
    assert(buddy_alloc_pages(nr_free + 1) == NULL);
    assert(nr_free == free_before && check_live_pool() == blocks_before);
}

const struct pmm_manager buddy_pmm_manager = {
    .name = "buddy_pmm_manager",
    .init = buddy_init,
    .init_memmap = buddy_init_memmap,
    .alloc_pages = buddy_alloc_pages,
    .free_pages = buddy_free_pages,
    .nr_free_pages = buddy_nr_free_pages,
    .check = buddy_check,
    .show_free = buddy_show_free,
};
