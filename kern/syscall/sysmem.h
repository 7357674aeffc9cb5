/* sysmem.h -- the memory system calls: brk, mmap, munmap (sysmem.c), for
 * the dispatcher's table.  Each takes the five argument registers. */
#ifndef KERN_SYSCALL_SYSMEM_H
#define KERN_SYSCALL_SYSMEM_H

#include <defs.h>

/* sys_brk - brk(uintptr_t *brk_store), ucore's: move the heap's end to
 * *brk_store (rounded up to a page; mm_brk) and store the heap's end
 * afterwards in *brk_store.  A value below the heap's start (0) changes
 * nothing: that is how the break is read.  Returns 0, or -E_INVAL when
 * brk_store is not a writable user word (NULL included).  A refused move
 * (past UHEAPTOP, into another region) is not an error: *brk_store tells. */
int sys_brk(uint32_t arg[]);

/* sys_mmap - mmap(uintptr_t *addr_store, size_t len, uint32_t flags):
 * anonymous memory from the process's VMPool [UMMAP_BASE, UMMAP_TOP),
 * created at the first call; the region's address goes to *addr_store.
 * *addr_store must be 0 on entry (the pool picks the place, first fit).
 * Returns 0; -E_INVAL for a bad addr_store, a non-zero *addr_store, len 0
 * or longer than the pool, a flag other than MMAP_WRITE; -E_NO_MEM when no
 * free range is long enough or memory for the bookkeeping is short. */
int sys_mmap(uint32_t arg[]);

/* sys_munmap - munmap(uintptr_t addr, size_t len): release the whole
 * region mmap gave at @addr, @len being its length (rounded up to pages
 * as mmap did).  Returns 0, or -E_INVAL when @addr is not the start of a
 * live region of the pool or @len does not match it. */
int sys_munmap(uint32_t arg[]);

#endif /* !KERN_SYSCALL_SYSMEM_H */
