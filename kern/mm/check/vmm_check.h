/* vmm_check.h -- the virtual-memory boot self-checks, and the snapshot of
 * free memory they compare against to prove that nothing leaked. */
#ifndef KERN_MM_VMM_CHECK_H
#define KERN_MM_VMM_CHECK_H

#include <defs.h>

/* struct mem_snap - free frames of both pools and live kmap slots. */
struct mem_snap {
    size_t kernel_free, proc_free;
    int kmaps;
};

/* snap_take - the current free memory. */
struct mem_snap snap_take(void);

/* snap_assert - panic, naming @check, unless free memory is back to @s. */
void snap_assert(const char *check, const struct mem_snap *s);

void check_vma_struct(void);
void check_pgfault(void);
void check_vmpool(void);
void check_mm(void);

#endif /* !KERN_MM_VMM_CHECK_H */
