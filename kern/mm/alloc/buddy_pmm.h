#ifndef KERN_MM_BUDDY_PMM_H
#define KERN_MM_BUDDY_PMM_H

#include <pmm_manager.h>

/* A free of n <= BUDDY_CACHE_SIZES pages whose first page is aligned as
 * alloc aligns a block of n pages goes to a cache of blocks of n pages. */
#define BUDDY_CACHE_SIZES 8

/* buddy_pmm_manager - binary buddy: a request of n pages takes the newest
 * cached block of n pages if there is one, else the first n pages of the
 * lowest free run of n rounded up to a power of two, naturally aligned
 * relative to the instance's first frame; the rest stays free (exactly n
 * pages leave the pool).  A cache that fills gives its older half back to
 * the buddy system, and a request the buddy system cannot serve empties
 * every cache into it first, so NULL means no aligned run of free pages is
 * large enough.  Any allocated range can be freed and merges with its
 * buddies; O(n / 32 + log nframes) per call; panics on a double free.  It
 * uses no field of struct Page (init_memmap clears the flags and
 * references of the frames it takes over): ref and flags come back as they
 * were freed. */
extern const struct pmm_manager buddy_pmm_manager;

#endif /* !KERN_MM_BUDDY_PMM_H */
