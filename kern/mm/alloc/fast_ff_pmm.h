#ifndef KERN_MM_FAST_FF_PMM_H
#define KERN_MM_FAST_FF_PMM_H

#include <pmm_manager.h>

/* fast_ff_pmm_manager - first-fit placement (the lowest page p such that
 * [p, p + n) is free, exactly as default_pmm_manager places it), one
 * instance per pool sized from its frames: a few free blocks are walked
 * in an address-sorted list, many are found through a bitmap of
 * free-block heads and a tree of block-length bounds (alloc and free in
 * O(log nframes) amortized).  A free writes only the head page of the
 * block it makes, never the other freed pages' Page structs; panics on a
 * double free. */
extern const struct pmm_manager fast_ff_pmm_manager;

/* An instance keeps its free blocks in an address-sorted list, as
 * default_pmm does, while they are few, and in the index while they are
 * many: an alloc or free that leaves more than FAST_FF_INDEX_ABOVE blocks
 * moves them into the index, one that leaves fewer than
 * FAST_FF_LIST_BELOW moves them back. */
#define FAST_FF_INDEX_ABOVE 64
#define FAST_FF_LIST_BELOW  32

#endif /* !KERN_MM_FAST_FF_PMM_H */
