/*
 * default_pmm.c -- first-fit, the allocator of the Lab2 handout.
 *
 * Free memory is a list of blocks sorted by address.  The head page of each
 * block carries PG_property and the block's length in 'property'; the other
 * pages of a free block have neither.  Allocation takes the lowest-addressed
 * block that is large enough and splits off the tail; freeing inserts the
 * block at its address and merges it with both neighbours when they touch.
 * The list itself, shared with best-fit, is kern/mm/block_list.h.  alloc
 * and free are O(number of free blocks).
 */
#include <pmm.h>
#include <block_list.h>
#include <list.h>
#include <string.h>
#include <stdio.h>
#include <default_pmm.h>

static free_area_t free_area;

#define free_list (free_area.free_list)
#define nr_free   (free_area.nr_free)

static void default_init(void) { block_list_init(&free_area); }

static void default_init_memmap(struct Page *base, size_t n)
{
    assert(n > 0);
    block_list_insert(&free_area, "init_memmap: default_pmm", base, n);
}

static struct Page *default_alloc_pages(size_t n)
{
    assert(n > 0);
    if (n > nr_free) {
        return NULL;
    }
    list_entry_t *le = &free_list;
    while ((le = list_next(le)) != &free_list) {
        struct Page *p = le2page(le, page_link);
        if (p->property >= n) {
            block_list_take(&free_area, p, n);
            return p;
        }
    }
    return NULL;
}

/* default_free_pages - give back [base, base + n); block_list_insert
 * panics, before changing anything, if the range overlaps a free block. */
static void default_free_pages(struct Page *base, size_t n)
{
    assert(n > 0);
    block_list_insert(&free_area, "free_pages: default_pmm", base, n);
}

static size_t default_nr_free_pages(void) { return nr_free; }

/* default_show_free - one line per free block, in address order. */
static void default_show_free(void) { block_list_show(&free_area); }

static int check_free_list(void) { return block_list_check(&free_area); }

/* check_placement - on a private free list built from 8 pages, first-fit
 * must pick the lowest block that fits, split it, return NULL when nothing
 * fits, and merge a freed block with both neighbours. */
static void check_placement(struct Page *p0)
{
    default_free_pages(p0, 2);
    default_free_pages(p0 + 3, 1);
    default_free_pages(p0 + 5, 3);
    assert(nr_free == 6 && check_free_list() == 3);
    assert(default_alloc_pages(3) == p0 + 5); /* the only block that fits */
    assert(default_alloc_pages(1) == p0);     /* the lowest block, split */
    assert(p0[1].property == 1 && PageProperty(p0 + 1));
    assert(default_alloc_pages(2) == NULL); /* 2 free, but not together */
    assert(nr_free == 2 && check_free_list() == 2);
    default_free_pages(p0, 1); /* merges with the block after it */
    assert(PageProperty(p0) && p0->property == 2 && check_free_list() == 2);
    default_free_pages(p0 + 2, 1); /* merges with both neighbours */
    assert(p0->property == 4 && check_free_list() == 1);
    default_free_pages(p0 + 5, 3);
    default_free_pages(p0 + 4, 1);
    assert(p0->property == 8 && nr_free == 8 && check_free_list() == 1);
    assert(default_alloc_pages(8) == p0);
    assert(nr_free == 0 && list_empty(&free_list));
    assert(default_alloc_pages(1) == NULL);
}

/* default_check - first-fit's boot self-test; leaves the allocator as it
 * found it (same free pages, same blocks). */
static void default_check(void)
{
    size_t free_before = nr_free;
    int blocks_before = check_free_list();

    struct Page *a = default_alloc_pages(1), *b = default_alloc_pages(1);
    assert(a != NULL && b != NULL && a != b && page_ref(a) == 0);
    assert(nr_free == free_before - 2);
    default_free_pages(a, 1);
    default_free_pages(b, 1);
    assert(nr_free == free_before && check_free_list() == blocks_before);

    struct Page *p0 = default_alloc_pages(8);
    assert(p0 != NULL && !PageProperty(p0));
    free_area_t saved = free_area;
    list_init(&free_list);
    nr_free = 0;
    check_placement(p0);
    free_area = saved;
    default_free_pages(p0, 8);

    assert(default_alloc_pages(nr_free + 1) == NULL);
    assert(nr_free == free_before && check_free_list() == blocks_before);
}

const struct pmm_manager default_pmm_manager = {
    .name = "default_pmm_manager",
    .init = default_init,
    .init_memmap = default_init_memmap,
    .alloc_pages = default_alloc_pages,
    .free_pages = default_free_pages,
    .nr_free_pages = default_nr_free_pages,
    .check = default_check,
    .show_free = default_show_free,
};
