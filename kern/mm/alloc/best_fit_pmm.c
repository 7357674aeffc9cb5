/*
 * best_fit_pmm.c -- best-fit: a request takes the smallest free block that
 * can hold it, the lowest-addressed one when several are equally small.
 *
 * Free memory is the list of kern/mm/block_list.h, shared with first-fit:
 * blocks sorted by address and fully coalesced (no two free blocks touch),
 * each head page carrying PG_property and, in the 'property' field this
 * manager owns, the block's length.  Keeping the list in address order
 * serves both rules: the scan meets equally small blocks lowest address
 * first and keeps the first it meets, and the blocks a freed range could
 * merge with are its list neighbours.  A request is cut from the low end of
 * the chosen block.  alloc and free are O(free blocks).
 */
#include <pmm.h>
#include <block_list.h>
#include <list.h>
#include <string.h>
#include <stdio.h>
#include <best_fit_pmm.h>

static free_area_t free_area;

#define free_list (free_area.free_list)
#define nr_free   (free_area.nr_free)

static void best_fit_init(void) { block_list_init(&free_area); }

static void best_fit_init_memmap(struct Page *base, size_t n)
{
    assert(n > 0);
    block_list_insert(&free_area, "init_memmap: best_fit_pmm", base, n);
}

/* best_block - the smallest free block of at least @n pages, the lowest
 * one among equals; NULL when none is large enough. */
static struct Page *best_block(size_t n)
{
    struct Page *best = NULL;
    list_entry_t *le = &free_list;
    while ((le = list_next(le)) != &free_list) {
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

static struct Page *best_fit_alloc_pages(size_t n)
{
    assert(n > 0);
    if (n > nr_free) {
        return NULL;
    }
    struct Page *p = best_block(n);
    if (p != NULL) {
        block_list_take(&free_area, p, n);
    }
    return p;
}

static void best_fit_free_pages(struct Page *base, size_t n)
{
    assert(n > 0);
    block_list_insert(&free_area, "free_pages: best_fit_pmm", base, n);
}

static size_t best_fit_nr_free_pages(void) { return nr_free; }

/* best_fit_show_free - one line per free block, in address order. */
static void best_fit_show_free(void) { block_list_show(&free_area); }

static int check_free_list(void) { return block_list_check(&free_area); }

/* check_placement - on a private free list over 16 pages at @p0 holding
 * blocks of 2, 1, 3, 1 and 5 pages: exact fits win, equal sizes go to the
 * lowest address, a small block beats a lower larger one, the last fit is
 * split, NULL when nothing fits, and frees merge back into one block. */
static void check_placement(struct Page *p0)
{
    static const size_t at[] = {0, 3, 5, 9, 11}, len[] = {2, 1, 3, 1, 5};
    for (size_t i = 0; i < ARRAY_SIZE(at); i++) {
        best_fit_free_pages(p0 + at[i], len[i]);
    }
    assert(nr_free == 12 && check_free_list() == 5);
    assert(best_fit_alloc_pages(1) == p0 + 3); /* exact, lower of two */
    assert(best_fit_alloc_pages(1) == p0 + 9);
    assert(best_fit_alloc_pages(3) == p0 + 5);  /* exact, not the 5 */
    assert(best_fit_alloc_pages(4) == p0 + 11); /* split, 1 page left */
    assert(PageProperty(p0 + 15) && p0[15].property == 1);
    assert(best_fit_alloc_pages(2) == p0);
    assert(best_fit_alloc_pages(2) == NULL && nr_free == 1);
    best_fit_free_pages(p0, 2);
    assert(best_fit_alloc_pages(1) == p0 + 15); /* smaller beats lower */
    best_fit_free_pages(p0 + 3, 1);
    best_fit_free_pages(p0 + 2, 1); /* merges with both neighbours */
    assert(p0->property == 4 && check_free_list() == 1);
    static const size_t rest[] = {5, 9, 4, 11, 8, 10, 15};
    static const size_t rest_len[] = {3, 1, 1, 4, 1, 1, 1};
    for (size_t i = 0; i < ARRAY_SIZE(rest); i++) {
        best_fit_free_pages(p0 + rest[i], rest_len[i]);
    }
    assert(p0->property == 16 && nr_free == 16 && check_free_list() == 1);
    assert(best_fit_alloc_pages(16) == p0);
    assert(nr_free == 0 && list_empty(&free_list));
    assert(best_fit_alloc_pages(1) == NULL);
}

/* best_fit_check - the boot self-test; leaves the allocator as it found it
 * (same free pages, same blocks). */
static void best_fit_check(void)
{
    size_t free_before = nr_free;
    int blocks_before = check_free_list();

    struct Page *a = best_fit_alloc_pages(1), *b = best_fit_alloc_pages(1);
    assert(a != NULL && b != NULL && a != b && page_ref(a) == 0);
    assert(!PageProperty(a) && nr_free == free_before - 2);
    best_fit_free_pages(a, 1);
    best_fit_free_pages(b, 1);
    assert(nr_free == free_before && check_free_list() == blocks_before);

    struct Page *p0 = best_fit_alloc_pages(16);
    if (p0 == NULL) {
        cprintf("best_fit_check: no free 16-page block: placement tests "
                "skipped\n");
    } else {
        free_area_t saved = free_area;
        list_init(&free_list);
        nr_free = 0;
        check_placement(p0);
        free_area = saved;
        best_fit_free_pages(p0, 16);
    }

    assert(best_fit_alloc_pages(nr_free + 1) == NULL);
    assert(nr_free == free_before && check_free_list() == blocks_before);
}

const struct pmm_manager best_fit_pmm_manager = {
    .name = "best_fit_pmm_manager",
    .init = best_fit_init,
    .init_memmap = best_fit_init_memmap,
    .alloc_pages = best_fit_alloc_pages,
    .free_pages = best_fit_free_pages,
    .nr_free_pages = best_fit_nr_free_pages,
    .check = best_fit_check,
    .show_free = best_fit_show_free,
};
