/* pmm_guard.h -- argument checks shared by every page allocator front end
 * (the kernel's alloc_pages/free_pages and the host harness). */
#ifndef KERN_MM_PMM_GUARD_H
#define KERN_MM_PMM_GUARD_H

#include <memmap.h>

void pmm_guard_alloc(const char *fn, size_t n);
void pmm_guard_free(const char *fn, struct Page *base, size_t n);

#endif /* !KERN_MM_PMM_GUARD_H */
