#ifndef KERN_MM_FAST_FF_PMM_H
#define KERN_MM_FAST_FF_PMM_H

#include <pmm.h>

/* fast_ff_pmm_manager - first-fit placement (the lowest page p such that
 * [p, p + n) is free, exactly as default_pmm_manager places it) found
 * through a bitmap of free-block heads and a tree of block-length bounds,
 * one instance per pool sized from its frames: alloc and free in
 * O(log nframes) amortized, plus O(n) on free to reset the freed Page
 * structs; panics on a double free. */
extern const struct pmm_manager fast_ff_pmm_manager;

#endif /* !KERN_MM_FAST_FF_PMM_H */
