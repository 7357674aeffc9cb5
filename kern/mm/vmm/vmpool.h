/* vmpool.h -- VMPool: a pool of virtual addresses in an address space,
 * handed out as page-rounded regions by first fit.  Allocation touches no
 * frame: pages appear on first access (page fault) and disappear on
 * release.  A pool is named by a handle in kernel memory; its bookkeeping
 * (its allocated regions and free ranges) lives in the first page of the
 * pool itself, so the pool's address space must be the loaded one
 * whenever the pool is used (a handle of another address space panics).
 * fork copies a pool: the metadata page like any page, the handle through
 * its claim's dup (mm_claims_dup). */
#ifndef KERN_MM_VMPOOL_H
#define KERN_MM_VMPOOL_H

#include <defs.h>

struct mm_struct;
struct vmpool;

#define VMPOOL_META_PAGES 1 /* metadata pages at the start of every pool */

/**
 * vmpool_create - register the pool [@base, @base + @size) with VM_*
 * @flags in the loaded address space @mm.  The first VMPOOL_META_PAGES
 * become a kernel-only region holding the metadata (faulted in here);
 * the rest is free.  Returns the pool's handle, which lives until @mm is
 * destroyed, or NULL with a message (unaligned, starting in page 0, too
 * small, not below KERNBASE, overlapping a region or another pool, or out
 * of memory).  Panics when @mm is not loaded.
 */
struct vmpool *vmpool_create(struct mm_struct *mm, uintptr_t base, size_t size,
                             uint32_t flags);

/**
 * vmpool_alloc - a region of @size bytes rounded up to pages, the lowest
 * free range that fits (first fit); no frame is touched.  Returns its
 * address, or 0 with a message when @size is 0, nothing fits, the
 * metadata page is full and the allocation would split a free range (an
 * exact fit needs no new entry), or the address space's region array
 * cannot grow.  Panics when @pool is not a handle of a pool of the loaded
 * address space.
 */
uintptr_t vmpool_alloc(struct vmpool *pool, size_t size);

/**
 * vmpool_release - give back the region starting at @addr: its pages are
 * unmapped and their frames freed, their TLB entries dropped, page tables
 * left empty freed, and the range merged with its free neighbours.
 * Returns 0, or -E_INVAL with a message (the pool unchanged) when @addr is
 * not the start of a live region of @pool.
 */
int vmpool_release(struct vmpool *pool, uintptr_t addr);

/* vmpool_find - the pool of @mm whose range holds @addr, or NULL; @mm
 * need not be loaded (fork, and the system calls' first look). */
struct vmpool *vmpool_find(struct mm_struct *mm, uintptr_t addr);

/* vmpool_region_size - the bytes of the live region of @pool that starts
 * at @addr, or 0 when no region starts there (munmap's check). */
size_t vmpool_region_size(struct vmpool *pool, uintptr_t addr);

/* vmpool_is_legitimate - whether @addr lies in the pool's metadata or in
 * one of its live regions (an access there is a legitimate fault). */
bool vmpool_is_legitimate(struct vmpool *pool, uintptr_t addr);

/* vmpool_counts - the live regions and free ranges of @pool, and the
 * longest free range in pages, in the three (optional) stores. */
void vmpool_counts(struct vmpool *pool, size_t *regions, size_t *ranges,
                   size_t *longest);

/* vmpool_capacity - the entries (regions + free ranges) the metadata of
 * any pool holds. */
size_t vmpool_capacity(void);

/* vmpool_check_pool - panic unless @pool's metadata is consistent: sorted,
 * disjoint, fully coalesced free ranges, regions and free ranges adding up
 * to the pool, and every region registered in the address space. */
void vmpool_check_pool(struct vmpool *pool);

/* print_vmpools - one line per VMPool of @mm (the `vma` command). */
void print_vmpools(struct mm_struct *mm);

/* vmpool_handle_size - the bytes kmalloc'd for one handle (the boot
 * checks use its kmalloc size class once before their leak snapshots). */
size_t vmpool_handle_size(void);

#endif /* !KERN_MM_VMPOOL_H */
