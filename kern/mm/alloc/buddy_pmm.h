#ifndef KERN_MM_BUDDY_PMM_H
#define KERN_MM_BUDDY_PMM_H

#include <pmm_manager.h>

/* buddy_pmm_manager - binary buddy: a request of n pages takes the first n
 * pages of the lowest free run of n rounded up to a power of two,
 * naturally aligned relative to the instance's first frame; the rest stays
 * free (exactly n pages leave the pool), any allocated range can be freed
 * and merges with its buddies; O(n / 32 + log nframes) per call; panics on
 * a double free.  It uses no field of struct Page (init_memmap clears the
 * flags and references of the frames it takes over): ref and flags come
 * back as they were freed. */
extern const struct pmm_manager buddy_pmm_manager;

#endif /* !KERN_MM_BUDDY_PMM_H */
