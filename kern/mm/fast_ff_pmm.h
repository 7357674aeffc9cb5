#ifndef KERN_MM_FAST_FF_PMM_H
#define KERN_MM_FAST_FF_PMM_H

#include <pmm.h>

/* fast_ff_pmm_manager - first-fit placement (the lowest page p such that
 * [p, p + n) is free) found through a run-length summary tree over a free
 * bitmap: alloc in O(log npage + n / 32), free in that plus O(n) to reset
 * the freed Page structs. */
extern const struct pmm_manager fast_ff_pmm_manager;

#endif /* !KERN_MM_FAST_FF_PMM_H */
