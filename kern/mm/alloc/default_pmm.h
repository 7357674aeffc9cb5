#ifndef KERN_MM_DEFAULT_PMM_H
#define KERN_MM_DEFAULT_PMM_H

#include <pmm_manager.h>

/* default_pmm_manager - linear first-fit, the Lab2 reference: the lowest
 * free block that fits, split from its low end; freed ranges coalesce with
 * both neighbours; O(free blocks) per call; panics on a double free. */
extern const struct pmm_manager default_pmm_manager;

#endif /* !KERN_MM_DEFAULT_PMM_H */
