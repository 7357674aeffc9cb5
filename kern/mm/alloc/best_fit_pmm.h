#ifndef KERN_MM_BEST_FIT_PMM_H
#define KERN_MM_BEST_FIT_PMM_H

#include <pmm_manager.h>

/* best_fit_pmm_manager - the smallest free block that fits (ties go to the
 * lowest address), split from its low end; freed blocks coalesce with both
 * neighbours; O(free blocks) per call; panics on a double free. */
extern const struct pmm_manager best_fit_pmm_manager;

#endif /* !KERN_MM_BEST_FIT_PMM_H */
