#ifndef KERN_MM_DEFAULT_PMM_H
#define KERN_MM_DEFAULT_PMM_H

#include <pmm.h>

extern const struct pmm_manager default_pmm_manager;

#endif /* !KERN_MM_DEFAULT_PMM_H */
