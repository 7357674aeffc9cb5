/*
 * default_pmm.c -- first-fit, the allocator of the Lab2 handout.
 *
 * Free memory is a list of blocks sorted by address.  The head page of each
 * block carries PG_property and the block's length in 'property'; the other
 * pages of a free block have neither.  Allocation takes the lowest-addressed
 * block that is large enough and splits off the tail; freeing inserts the
 * block at its address and merges it with both neighbours when they touch.
 * alloc and free are O(number of free blocks).
 */
#include <pmm.h>
#include <list.h>
#include <string.h>
#include <stdio.h>
#include <default_pmm.h>

static free_area_t free_area;

#define free_list (free_area.free_list)
#define nr_free (free_area.nr_free)

static void default_init(void)
{
    list_init(&free_list);
    nr_free = 0;
}

/* make_free_block - turn [base, base + n) into one free block (not linked). */
static void make_free_block(struct Page *base, size_t n)
{
    for (struct Page *p = base; p != base + n; p++) {
        p->flags = 0;
        p->property = 0;
        set_page_ref(p, 0);
    }
    base->property = n;
    SetPageProperty(base);
}

/* first_block_after - the first free block at an address above @base, or
 * the list head when none is. */
static list_entry_t *first_block_after(struct Page *base)
{
    list_entry_t *le = list_next(&free_list);
    while (le != &free_list && le2page(le, page_link) < base) {
        le = list_next(le);
    }
    return le;
}

/* merge_with_next - absorb the block after @p into @p when they touch. */
static void merge_with_next(struct Page *p)
{
    list_entry_t *le = list_next(&p->page_link);
    if (le == &free_list) {
        return;
    }
    struct Page *q = le2page(le, page_link);
    if (p + p->property == q) {
        p->property += q->property;
        q->property = 0;
        ClearPageProperty(q);
        list_del(le);
    }
}

/* insert_block - link the free block @base (n pages) at its address and
 * merge it with its neighbours.  Panics if it overlaps a free block. */
static void insert_block(struct Page *base, size_t n)
{
    list_entry_t *next = first_block_after(base);
    list_entry_t *prev = list_prev(next);
    if (next != &free_list && base + n > le2page(next, page_link)) {
        panic("default_pmm: free of [%p, +%lu) overlaps free block %p: "
              "double free", base, (unsigned long)n, le2page(next, page_link));
    }
    if (prev != &free_list) {
        struct Page *pp = le2page(prev, page_link);
        if (pp + pp->property > base) {
            panic("default_pmm: free of [%p, +%lu) overlaps free block %p: "
                  "double free", base, (unsigned long)n, pp);
        }
    }
    list_add_before(next, &base->page_link);
    merge_with_next(base);
    if (prev != &free_list) {
        merge_with_next(le2page(prev, page_link));
    }
}

static void default_init_memmap(struct Page *base, size_t n)
{
    assert(n > 0);
    make_free_block(base, n);
    insert_block(base, n);
    nr_free += n;
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
        if (p->property < n) {
            continue;
        }
        if (p->property > n) {
            struct Page *rest = p + n;
            rest->property = p->property - n;
            SetPageProperty(rest);
            list_add_after(le, &rest->page_link);
        }
        list_del(le);
        p->property = 0;
        ClearPageProperty(p);
        nr_free -= n;
        return p;
    }
    return NULL;
}

static void default_free_pages(struct Page *base, size_t n)
{
    assert(n > 0);
    for (struct Page *p = base; p != base + n; p++) {
        if (PageProperty(p)) {
            panic("default_pmm: free of [%p, +%lu): page %p is the head of a "
                  "free block: double free", base, (unsigned long)n, p);
        }
    }
    make_free_block(base, n);
    insert_block(base, n);
    nr_free += n;
}

static size_t default_nr_free_pages(void) { return nr_free; }

/* default_show_free - one line per free block, in address order. */
static void default_show_free(void)
{
    list_entry_t *le = &free_list;
    while ((le = list_next(le)) != &free_list) {
        struct Page *p = le2page(le, page_link);
        size_t first = p - pages;
        cprintf("  [ppn %05lx, %05lx] %u pages\n", (unsigned long)first,
                (unsigned long)(first + p->property - 1), p->property);
    }
}

/* check_free_list - the free list is sorted, fully coalesced, every head is
 * marked, and the lengths add up to nr_free; returns the number of blocks. */
static int check_free_list(void)
{
    int blocks = 0;
    size_t total = 0;
    struct Page *last_end = NULL;
    list_entry_t *le = &free_list;
    while ((le = list_next(le)) != &free_list) {
        struct Page *p = le2page(le, page_link);
        assert(PageProperty(p) && p->property > 0);
        assert(last_end == NULL || p > last_end); /* sorted, not touching */
        last_end = p + p->property;
        total += p->property;
        blocks++;
    }
    assert(total == nr_free);
    return blocks;
}

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
    assert(default_alloc_pages(2) == NULL);   /* 2 free, but not together */
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
