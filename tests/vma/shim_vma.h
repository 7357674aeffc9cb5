/* shim_vma.h -- the host stand-in for the kernel under kern/mm/vmm/vma.c
 * (shim_vma.c), and under kern/mm/vmm/mm_region.c and vmpool.c
 * (shim_vmpool.c as well). */
#ifndef TESTS_VMA_SHIM_VMA_H
#define TESTS_VMA_SHIM_VMA_H

#include <defs.h>

/* shim_init - @nframes frames of real memory at KERNBASE; exits on failure. */
void shim_init(size_t nframes);

/* shim_pages_in_use - frames allocated and not freed (leak check). */
size_t shim_pages_in_use(void);

/* cprintf counts every message in shim_messages, and prints it unless
 * shim_quiet is set. */
extern bool shim_quiet;
extern unsigned long shim_messages;

/* shim_vmpool_init - real memory at [@base, @base + @len) for the
 * metadata pages of the VMPools under test (shim_vmpool.c); exits on
 * failure. */
void shim_vmpool_init(uintptr_t base, size_t len);

/* shim_unmapped_pages - the pages mm_unmap_range was asked to unmap (by
 * mm_drop_region: the pages of the regions it removed). */
extern size_t shim_unmapped_pages;

/* shim_kmalloc_live - objects kmalloc'd and not kfree'd (the VMPool
 * handles: mm_regions_destroy must release every one). */
extern long shim_kmalloc_live;

#endif /* !TESTS_VMA_SHIM_VMA_H */
