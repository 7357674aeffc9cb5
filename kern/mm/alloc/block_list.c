/*
 * block_list.c -- the sorted, coalesced free list (block_list.h) and
 * list_first_fit_manager, first-fit over it with one instance per pool.
 */
#include <pmm_manager.h>
#include <list.h>
#include <stdio.h>
#include <block_list.h>

/* block_list_init - @area holds no blocks. */
void block_list_init(free_area_t *area)
{
    list_init(&area->free_list);
    area->nr_free = 0;
}

/* block_list_from - the first block of @area whose head is at or above
 * @base, or the list head when there is none. */
static list_entry_t *block_list_from(free_area_t *area, struct Page *base)
{
    list_entry_t *le = list_next(&area->free_list);
    while (le != &area->free_list && le2page(le, page_link) < base) {
        le = list_next(le);
    }
    return le;
}

/* block_list_merge_next - absorb the block after @p into @p when the two
 * touch. */
static void block_list_merge_next(free_area_t *area, struct Page *p)
{
    list_entry_t *le = list_next(&p->page_link);
    if (le == &area->free_list) {
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

/* block_list_overlap - the block, of @prev and @next (the entries of @area
 * on either side of @base's place), that shares a page with
 * [base, base + n), the lower one when both do; NULL when neither does.
 * Only these two can: the blocks are sorted and do not overlap. */
static struct Page *block_list_overlap(free_area_t *area, struct Page *base,
                                       size_t n, list_entry_t *prev,
                                       list_entry_t *next)
{
    if (prev != &area->free_list) {
        struct Page *p = le2page(prev, page_link);
        if (p + p->property > base) {
            return p;
        }
    }
    if (next != &area->free_list && le2page(next, page_link) < base + n) {
        return le2page(next, page_link);
    }
    return NULL;
}

/* block_list_insert - make [base, base + n) free in @area: reset its pages,
 * link it at its address and merge it with the blocks it touches.  Panics
 * before changing anything when a page of it is already free, naming the
 * first such page; @who starts the message ("free_pages: default_pmm"). */
void block_list_insert(free_area_t *area, const char *who, struct Page *base,
                       size_t n)
{
    list_entry_t *next = block_list_from(area, base), *prev = list_prev(next);
    struct Page *hit = block_list_overlap(area, base, n, prev, next);
    if (hit != NULL) {
        panic("%s: [%p, +%lu): page %p is already free (in the free block "
              "%p, +%u): double free",
              who, base, (unsigned long)n, hit > base ? hit : base, hit,
              hit->property);
    }
    for (struct Page *p = base; p != base + n; p++) {
        p->flags = 0;
        p->property = 0;
        set_page_ref(p, 0);
    }
    base->property = n;
    SetPageProperty(base);
    list_add_before(next, &base->page_link);
    block_list_merge_next(area, base);
    if (prev != &area->free_list) {
        block_list_merge_next(area, le2page(prev, page_link));
    }
    area->nr_free += n;
}

/* block_list_take - hand out the first @n pages of the free block at @p
 * (n <= its length); the rest stays in the list as a block of its own. */
void block_list_take(free_area_t *area, struct Page *p, size_t n)
{
    if (p->property > n) {
        struct Page *rest = p + n;
        rest->property = p->property - n;
        SetPageProperty(rest);
        list_add_after(&p->page_link, &rest->page_link);
    }
    list_del(&p->page_link);
    p->property = 0;
    ClearPageProperty(p);
    area->nr_free -= n;
}

/* block_list_show - one line per block of @area, in address order. */
void block_list_show(const free_area_t *area)
{
    const list_entry_t *le = &area->free_list;
    while ((le = list_next(le)) != &area->free_list) {
        struct Page *p = le2page(le, page_link);
        size_t first = p - pages;
        cprintf("  [ppn %05lx, %05lx] %u pages\n", (unsigned long)first,
                (unsigned long)(first + p->property - 1), p->property);
    }
}

/* block_list_check - asserts that @area is sorted and fully coalesced,
 * every head is marked and the lengths add up to nr_free; returns the
 * number of blocks. */
int block_list_check(const free_area_t *area)
{
    int blocks = 0;
    size_t total = 0;
    struct Page *last_end = NULL;
    const list_entry_t *le = &area->free_list;
    while ((le = list_next(le)) != &area->free_list) {
        struct Page *p = le2page(le, page_link);
        assert(PageProperty(p) && p->property > 0);
        assert(last_end == NULL || p > last_end); /* sorted, not touching */
        last_end = p + p->property;
        total += p->property;
        blocks++;
    }
    assert(total == area->nr_free);
    return blocks;
}

struct Page *block_list_first_fit(free_area_t *area, size_t n)
{
    if (n > area->nr_free) {
        return NULL;
    }
    list_entry_t *le = &area->free_list;
    while ((le = list_next(le)) != &area->free_list) {
        struct Page *p = le2page(le, page_link);
        if (p->property >= n) {
            block_list_take(area, p, n);
            return p;
        }
    }
    return NULL;
}

/* The process pool's first-fit when the selected manager keeps its one
 * instance in globals (the handout's way).  Its state is one free_area_t. */
struct pmm_state {
    free_area_t area;
};

static size_t lff_state_size(size_t nframes)
{
    (void)nframes;
    return sizeof(struct pmm_state);
}

static void lff_init(struct pmm_state *st, struct Page *base, size_t nframes)
{
    (void)base, (void)nframes;
    block_list_init(&st->area);
}

static void lff_init_memmap(struct pmm_state *st, struct Page *base, size_t n)
{
    block_list_insert(&st->area, "init_memmap: list_first_fit", base, n);
}

static struct Page *lff_alloc_pages(struct pmm_state *st, size_t n)
{
    return block_list_first_fit(&st->area, n);
}

static void lff_free_pages(struct pmm_state *st, struct Page *base, size_t n)
{
    block_list_insert(&st->area, "free_pages: list_first_fit", base, n);
}

static size_t lff_nr_free_pages(const struct pmm_state *st)
{
    return st->area.nr_free;
}

static void lff_show_free(const struct pmm_state *st)
{
    block_list_show(&st->area);
}

const struct pmm_manager list_first_fit_manager = {
    .name = "list_first_fit_manager",
    .pool =
        {
            .state_size = lff_state_size,
            .init = lff_init,
            .init_memmap = lff_init_memmap,
            .alloc_pages = lff_alloc_pages,
            .free_pages = lff_free_pages,
            .nr_free_pages = lff_nr_free_pages,
            .show_free = lff_show_free,
        },
};
