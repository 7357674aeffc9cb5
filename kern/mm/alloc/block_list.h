/*
 * block_list.h -- free memory as a list of blocks sorted by address and
 * fully coalesced (no two blocks touch): the structure under first-fit
 * (default_pmm.c) and best-fit (best_fit_pmm.c), which differ only in the
 * block they choose.  The state is a free_area_t (memlayout.h), one per
 * instance.
 *
 * The head page of a free block carries PG_property and the block's length
 * in 'property' (owned by the manager using the list); the other pages of a
 * free block carry neither.  Sorting by address is what makes coalescing
 * cheap: the blocks a freed range can touch are its list neighbours.
 * Inserting is O(blocks below the new one); taking from a block is O(1).
 *
 * list_first_fit_manager runs the process pool when the selected manager
 * is written the handout's way (one instance in its globals, pmm_manager.h).
 */
#ifndef KERN_MM_BLOCK_LIST_H
#define KERN_MM_BLOCK_LIST_H

#include <pmm_manager.h>
#include <list.h>

/* The calls of every alloc and free are inline: they are the inner loop
 * of first-fit and best-fit (make bench measures them against the rest). */

/* block_list_init - @area holds no blocks. */
static inline void block_list_init(free_area_t *area)
{
    list_init(&area->free_list);
    area->nr_free = 0;
}

/* block_list_from - the first block of @area whose head is at or above
 * @base, or the list head when there is none. */
static inline list_entry_t *block_list_from(free_area_t *area,
                                            struct Page *base)
{
    list_entry_t *le = list_next(&area->free_list);
    while (le != &area->free_list && le2page(le, page_link) < base) {
        le = list_next(le);
    }
    return le;
}

/* block_list_merge_next - absorb the block after @p into @p when the two
 * touch. */
static inline void block_list_merge_next(free_area_t *area, struct Page *p)
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
static inline struct Page *block_list_overlap(free_area_t *area,
                                              struct Page *base, size_t n,
                                              list_entry_t *prev,
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
static inline void block_list_insert(free_area_t *area, const char *who,
                                     struct Page *base, size_t n)
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
static inline void block_list_take(free_area_t *area, struct Page *p, size_t n)
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

/* block_list_first_fit - first-fit: take @n pages from the lowest block
 * that holds them; NULL (nothing changed) when no block does. */
static inline struct Page *block_list_first_fit(free_area_t *area, size_t n)
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

/* block_list_show - one line per block of @area, in address order. */
void block_list_show(const free_area_t *area);

/* block_list_check - asserts that @area is sorted and fully coalesced,
 * every head is marked and the lengths add up to nr_free; returns the
 * number of blocks. */
int block_list_check(const free_area_t *area);

/* list_first_fit_manager - first-fit over this list, one instance per
 * pool (no self-check: default_pmm's covers the same functions). */
extern const struct pmm_manager list_first_fit_manager;

#endif /* !KERN_MM_BLOCK_LIST_H */
