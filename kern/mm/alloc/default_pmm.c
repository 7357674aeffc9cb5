/*
 * default_pmm.c -- first-fit, the allocator of the Lab2 handout, written
 * to run one instance per frame pool.
 *
 * Free memory is a list of blocks sorted by address (block_list.c).  The
 * head page of each block carries PG_property and the block's length in
 * 'property'; the other pages of a free block have neither.  Allocation
 * takes the lowest-addressed block that is large enough and splits off
 * the tail (block_list_first_fit); freeing inserts the block at its
 * address and merges it with both neighbours when they touch.  alloc and
 * free are O(number of free blocks).
 *
 * An instance is one free_area_t.  The handout keeps it in a global, so
 * a manager written its way runs one pool only; this kernel accepts that
 * shape too (pmm.h; tests/fixtures/handout_pmm.c is one).
 */
#include <pmm_manager.h>
#include <list.h>
#include <block_list.h>
#include <default_pmm.h>

struct pmm_state {
    free_area_t area;
};

static size_t default_state_size(size_t nframes)
{
    (void)nframes;
    return sizeof(struct pmm_state);
}

static void default_init(struct pmm_state *st, struct Page *base,
                         size_t nframes)
{
    (void)base, (void)nframes;
    block_list_init(&st->area);
}

static void default_init_memmap(struct pmm_state *st, struct Page *base,
                                size_t n)
{
    assert(n > 0);
    block_list_insert(&st->area, "init_memmap: default_pmm", base, n);
}

static struct Page *default_alloc_pages(struct pmm_state *st, size_t n)
{
    assert(n > 0);
    return block_list_first_fit(&st->area, n);
}

/* default_free_pages - give back [base, base + n); block_list_insert
 * panics, before changing anything, if the range overlaps a free block. */
static void default_free_pages(struct pmm_state *st, struct Page *base,
                               size_t n)
{
    assert(n > 0);
    block_list_insert(&st->area, "free_pages: default_pmm", base, n);
}

static size_t default_nr_free_pages(const struct pmm_state *st)
{
    return st->area.nr_free;
}

/* default_show_free - one line per free block, in address order. */
static void default_show_free(const struct pmm_state *st)
{
    block_list_show(&st->area);
}

/* check_placement - on an instance holding the 8 frames at @p0 as blocks
 * of 2, 1 and 3 pages: first-fit picks the lowest block that fits, splits
 * it, returns NULL when nothing fits, and a freed block merges with both
 * neighbours. */
static void check_placement(struct pmm_state *st, struct Page *p0)
{
    default_init(st, p0, 8);
    default_free_pages(st, p0, 2);
    default_free_pages(st, p0 + 3, 1);
    default_free_pages(st, p0 + 5, 3);
    assert(st->area.nr_free == 6 && block_list_check(&st->area) == 3);
    assert(default_alloc_pages(st, 3) == p0 + 5); /* the only fit */
    assert(default_alloc_pages(st, 1) == p0);     /* the lowest, split */
    assert(p0[1].property == 1 && PageProperty(p0 + 1));
    assert(default_alloc_pages(st, 2) == NULL); /* 2 free, not together */
    assert(st->area.nr_free == 2 && block_list_check(&st->area) == 2);
    default_free_pages(st, p0, 1); /* merges with the block after it */
    assert(PageProperty(p0) && p0->property == 2);
    default_free_pages(st, p0 + 2, 1); /* merges with both neighbours */
    assert(p0->property == 4 && block_list_check(&st->area) == 1);
    default_free_pages(st, p0 + 5, 3);
    default_free_pages(st, p0 + 4, 1);
    assert(p0->property == 8 && st->area.nr_free == 8);
    assert(default_alloc_pages(st, 8) == p0);
    assert(st->area.nr_free == 0 && list_empty(&st->area.free_list));
    assert(default_alloc_pages(st, 1) == NULL);
}

/* check_memmap - init_memmap takes reserved frames over, and a region
 * handed over next to a free block joins it. */
static void check_memmap(struct pmm_state *st, struct Page *p0, size_t n)
{
    default_init(st, p0, n);
    default_init_memmap(st, p0 + n / 2, n - n / 2);
    default_init_memmap(st, p0, n / 2);
    assert(!PageReserved(p0) && !PageReserved(p0 + n - 1));
    assert(st->area.nr_free == n && block_list_check(&st->area) == 1);
    assert(default_alloc_pages(st, n + 1) == NULL); /* more than is free */
    struct Page *a = default_alloc_pages(st, 1),
                *b = default_alloc_pages(st, 1);
    assert(a == p0 && b == p0 + 1 && page_ref(a) == 0 && !PageProperty(a));
    default_free_pages(st, a, 1);
    /* n - 1 pages free, but not together: only the search can refuse it */
    assert(default_alloc_pages(st, n - 1) == NULL);
    assert(default_alloc_pages(st, 2) == p0 + 2); /* a alone is too small */
    default_free_pages(st, b, 1);
    default_free_pages(st, p0 + 2, 2);
    assert(st->area.nr_free == n && block_list_check(&st->area) == 1);
}

/* default_check - first-fit's self-test on private instances over the
 * @n reserved frames at @frames (n >= 8); nothing outside them changes. */
static void default_check(struct pmm_state *scratch, struct Page *frames,
                          size_t n)
{
    assert(n >= 8);
    check_memmap(scratch, frames, n);
    for (size_t i = 0; i < 8; i++) {
        frames[i].flags = 0;
    }
    check_placement(scratch, frames);
}

const struct pmm_manager default_pmm_manager = {
    .name = "default_pmm_manager",
    .pool =
        {
            .state_size = default_state_size,
            .init = default_init,
            .init_memmap = default_init_memmap,
            .alloc_pages = default_alloc_pages,
            .free_pages = default_free_pages,
            .nr_free_pages = default_nr_free_pages,
            .show_free = default_show_free,
            .check = default_check,
        },
};
