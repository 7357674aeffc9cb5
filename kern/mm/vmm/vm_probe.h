/* vm_probe.h -- memory accesses that may fault.  When the page-fault path
 * decides "segmentation fault" and the faulting instruction is one of
 * these probes, the trap handler resumes at the probe's fixup instead of
 * panicking, and the probe returns -E_FAULT (the idea of Linux's exception
 * tables).  The kernel checks use them to observe segmentation faults. */
#ifndef KERN_MM_VM_PROBE_H
#define KERN_MM_VM_PROBE_H

#include <defs.h>

/* vm_probe_write - store @val at @addr; 0, or -E_FAULT on a segfault. */
int vm_probe_write(uintptr_t addr, uint32_t val);

/* vm_probe_read - load *@addr into *@val; 0, or -E_FAULT on a segfault
 * (then *@val is unchanged). */
int vm_probe_read(uintptr_t addr, uint32_t *val);

/* vm_probe_copy - copy @n bytes from @src to @dst (either may be a user
 * address of the loaded address space); 0, or -E_FAULT when an access was
 * a segfault (then a prefix may have been copied). */
int vm_probe_copy(void *dst, const void *src, size_t n);

/* vm_probe_fixup - the address to resume at when the instruction at @eip
 * faulted, or 0 when @eip is not a probe. */
uintptr_t vm_probe_fixup(uintptr_t eip);

#endif /* !KERN_MM_VM_PROBE_H */
