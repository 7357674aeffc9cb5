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
 * is written the handout's way (one instance in its globals, pmm.h).
 */
#ifndef KERN_MM_BLOCK_LIST_H
#define KERN_MM_BLOCK_LIST_H

#include <pmm_manager.h>

/* block_list_init - @area holds no blocks. */
void block_list_init(free_area_t *area);

/* block_list_insert - make [base, base + n) free in @area: reset its pages
 * (flags, property, reference count), link it at its address and merge it
 * with the blocks it touches.  Panics before changing anything when a page
 * of it is already free, naming the first such page; @who starts the
 * message ("free_pages: default_pmm"). */
void block_list_insert(free_area_t *area, const char *who, struct Page *base,
                       size_t n);

/* block_list_take - hand out the first @n pages of the free block at @p
 * (n <= its length); the rest stays in the list as a block of its own. */
void block_list_take(free_area_t *area, struct Page *p, size_t n);

/* block_list_first_fit - first-fit: take @n pages from the lowest block
 * that holds them; NULL (nothing changed) when no block does. */
struct Page *block_list_first_fit(free_area_t *area, size_t n);

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
