#ifndef KERN_MM_BUDDY_PMM_H
#define KERN_MM_BUDDY_PMM_H

#include <pmm.h>

/* buddy_pmm_manager - a binary buddy allocator over naturally aligned
 * power-of-two blocks; a request of n pages takes a block of the next power
 * of two and gives the unused tail straight back, so exactly n pages leave
 * the free pool, and free_pages accepts any allocated range. */
extern const struct pmm_manager buddy_pmm_manager;

#endif /* !KERN_MM_BUDDY_PMM_H */
