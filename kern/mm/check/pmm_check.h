/* pmm_check.h -- the boot self-checks of the physical memory manager. */
#ifndef KERN_MM_PMM_CHECK_H
#define KERN_MM_PMM_CHECK_H

void check_alloc_page(void);
void check_pgdir(void);
void check_boot_pgdir(void);

#endif /* !KERN_MM_PMM_CHECK_H */
