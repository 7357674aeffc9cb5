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

/* vmm_check_all - the virtual-memory boot self-checks, in order:
 * check_vma_struct, check_pgfault, check_vmpool, check_mm, then "check_vmm()
 * succeeded.".  Each prints its fixed line and panics on a failed
 * assertion or a leak.  Needs vmm_init and idt_init (they take page
 * faults); leaves no address space loaded. */
void vmm_check_all(void);

/* check_vmpool - VMPools in one address space (vmpool_check.c), destroyed
 * at the end with every frame back; one of vmm_check_all's checks. */
void check_vmpool(void);

#endif /* !KERN_MM_VMM_CHECK_H */
