/* vmm_check.h -- the virtual-memory boot self-checks. */
#ifndef KERN_MM_VMM_CHECK_H
#define KERN_MM_VMM_CHECK_H

#include <defs.h>

/* vmm_check_all - the virtual-memory boot self-checks, in order:
 * check_vma_struct, check_pgfault, check_pgtable, check_vmpool, check_mm,
 * then "check_vmm() succeeded.".  Each prints its fixed line and panics on a
 * failed assertion or a leak.  Needs vmm_init and idt_init (they take page
 * faults); leaves no address space loaded. */
void vmm_check_all(void);

/* check_vmpool - VMPools in one address space (vmpool_check.c), destroyed
 * at the end with every frame back; one of vmm_check_all's checks. */
void check_vmpool(void);

/* check_pgtable - the page-table layer under an address space on dirty
 * frames of a held process pool (pgtable_check.c); one of vmm_check_all's
 * checks. */
void check_pgtable(void);

#endif /* !KERN_MM_VMM_CHECK_H */
