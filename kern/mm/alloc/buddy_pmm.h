#ifndef KERN_MM_BUDDY_PMM_H
#define KERN_MM_BUDDY_PMM_H

#include <pmm.h>

/* buddy_pmm_manager - binary buddy: power-of-two blocks naturally aligned
 * relative to the instance's first frame, the rounded-up tail of a request
 * given straight back (exactly n pages leave the pool), any allocated range
 * freed and merged with its buddies; O(log nframes) per call; panics on a
 * double free.  Of struct Page it uses page_link only (init_memmap clears
 * the flags and references of the frames it takes over): ref and flags
 * come back as they were freed. */
extern const struct pmm_manager buddy_pmm_manager;

#endif /* !KERN_MM_BUDDY_PMM_H */
