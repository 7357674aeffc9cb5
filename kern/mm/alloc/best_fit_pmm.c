/*
 * best_fit_pmm.c -- best-fit: a request takes the smallest free block that
 * can hold it, the lowest-addressed one when several are equally small.
 *
 * Free memory is the list of block_list.c, shared with first-fit:
 * blocks sorted by address and fully coalesced (no two free blocks touch),
 * each head page carrying PG_property and, in the 'property' field this
 * manager owns, the block's length.  Keeping the list in address order
 * serves both rules: the scan meets equally small blocks lowest address
 * first and keeps the first it meets, and the blocks a freed range could
 * merge with are its list neighbours.  A request is cut from the low end of
 * the chosen block.  alloc and free are O(free blocks).
 */
#include <pmm_manager.h>
#include <list.h>
#include <block_list.h>
#include <best_fit_pmm.h>

struct pmm_state {
    free_area_t area;
};

static size_t best_fit_state_size(size_t nframes)
{
    (void)nframes;
    return sizeof(struct pmm_state);
}

static void best_fit_init(struct pmm_state *st, struct Page *base,
                          size_t nframes)
{
    (void)base, (void)nframes;
    block_list_init(&st->area);
}

static void best_fit_init_memmap(struct pmm_state *st, struct Page *base,
                                 size_t n)
{
    assert(n > 0);
    block_list_insert(&st->area, "init_memmap: best_fit_pmm", base, n);
}

/* best_block - the smallest free block of @area of at least @n pages, the
 * lowest one among equals; NULL when none is large enough. */
static struct Page *best_block(free_area_t *area, size_t n)
{
    struct Page *best = NULL;
    list_entry_t *le = &area->free_list;
    while ((le = list_next(le)) != &area->free_list) {
        struct Page *p = le2page(le, page_link);
        if (p->property >= n &&
            (best == NULL || p->property < best->property)) {
            best = p;
            if (p->property == n) {
                break; /* nothing smaller fits; later equals lose the tie */
            }
        }
    }
    return best;
}

static struct Page *best_fit_alloc_pages(struct pmm_state *st, size_t n)
{
    assert(n > 0);
    if (n > st->area.nr_free) {
        return NULL;
    }
    struct Page *p = best_block(&st->area, n);
    if (p != NULL) {
        block_list_take(&st->area, p, n);
    }
    return p;
}

static void best_fit_free_pages(struct pmm_state *st, struct Page *base,
                                size_t n)
{
    assert(n > 0);
    block_list_insert(&st->area, "free_pages: best_fit_pmm", base, n);
}

static size_t best_fit_nr_free_pages(const struct pmm_state *st)
{
    return st->area.nr_free;
}

/* best_fit_show_free - one line per free block, in address order. */
static void best_fit_show_free(const struct pmm_state *st)
{
    block_list_show(&st->area);
}

/* check_placement - on an instance over the 16 frames at @p0 holding
 * blocks of 2, 1, 3, 1 and 5 pages: exact fits win, equal sizes go to the
 * lowest address, a small block beats a lower larger one, the last fit is
 * split, NULL when nothing fits, and frees merge back into one block. */
static void check_placement(struct pmm_state *st, struct Page *p0)
{
    static const size_t at[] = {0, 3, 5, 9, 11}, len[] = {2, 1, 3, 1, 5};
    best_fit_init(st, p0, 16);
    for (size_t i = 0; i < ARRAY_SIZE(at); i++) {
        best_fit_free_pages(st, p0 + at[i], len[i]);
    }
    assert(st->area.nr_free == 12 && block_list_check(&st->area) == 5);
    assert(best_fit_alloc_pages(st, 1) == p0 + 3); /* exact, lower of two */
    assert(best_fit_alloc_pages(st, 1) == p0 + 9);
    assert(best_fit_alloc_pages(st, 3) == p0 + 5);  /* exact, not the 5 */
    assert(best_fit_alloc_pages(st, 4) == p0 + 11); /* split, 1 left */
    assert(PageProperty(p0 + 15) && p0[15].property == 1);
    assert(best_fit_alloc_pages(st, 2) == p0);
    assert(best_fit_alloc_pages(st, 2) == NULL && st->area.nr_free == 1);
    best_fit_free_pages(st, p0, 2);
    assert(best_fit_alloc_pages(st, 1) == p0 + 15); /* smaller beats lower */
    best_fit_free_pages(st, p0 + 3, 1);
    best_fit_free_pages(st, p0 + 2, 1); /* merges with both neighbours */
    assert(p0->property == 4 && block_list_check(&st->area) == 1);
    static const size_t rest[] = {5, 9, 4, 11, 8, 10, 15};
    static const size_t rest_len[] = {3, 1, 1, 4, 1, 1, 1};
    for (size_t i = 0; i < ARRAY_SIZE(rest); i++) {
        best_fit_free_pages(st, p0 + rest[i], rest_len[i]);
    }
    assert(p0->property == 16 && st->area.nr_free == 16);
    assert(block_list_check(&st->area) == 1);
    assert(best_fit_alloc_pages(st, 16) == p0);
    assert(st->area.nr_free == 0 && list_empty(&st->area.free_list));
    assert(best_fit_alloc_pages(st, 1) == NULL);
}

/* best_fit_check - the self-test on private instances over the @n
 * reserved frames at @frames (n >= 16): init_memmap takes them over, the
 * search (not the size test) refuses a request no block holds, then the
 * placement rules. */
static void best_fit_check(struct pmm_state *scratch, struct Page *frames,
                           size_t n)
{
    assert(n >= 16);
    best_fit_init(scratch, frames, n);
    best_fit_init_memmap(scratch, frames + 8, n - 8);
    best_fit_init_memmap(scratch, frames, 4);
    assert(!PageReserved(frames) && PageReserved(frames + 4));
    assert(scratch->area.nr_free == n - 4);
    assert(best_fit_alloc_pages(scratch, n - 7) == NULL); /* searched */
    assert(best_fit_alloc_pages(scratch, 4) == frames);   /* exact fit */
    for (size_t i = 0; i < 16; i++) {
        frames[i].flags = 0;
    }
    check_placement(scratch, frames);
}

const struct pmm_manager best_fit_pmm_manager = {
    .name = "best_fit_pmm_manager",
    .pool =
        {
            .state_size = best_fit_state_size,
            .init = best_fit_init,
            .init_memmap = best_fit_init_memmap,
            .alloc_pages = best_fit_alloc_pages,
            .free_pages = best_fit_free_pages,
            .nr_free_pages = best_fit_nr_free_pages,
            .show_free = best_fit_show_free,
            .check = best_fit_check,
        },
};
