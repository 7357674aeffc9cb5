/*
 * block_list.c -- the sorted, coalesced free list (block_list.h) and
 * list_first_fit_manager, first-fit over it with one instance per pool.
 */
#include <pmm_manager.h>
#include <list.h>
#include <stdio.h>
#include <block_list.h>

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
