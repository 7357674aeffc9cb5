/* kmap.h -- temporary kernel mappings of any frame (process-pool frames,
 * high memory above KMEMSIZE included) through a few fixed slots of the
 * kmap window at KMAP_BASE, shared by every page directory. */
#ifndef KERN_MM_KMAP_H
#define KERN_MM_KMAP_H

#include <defs.h>
#include <mmu.h>

struct Page;

/* kmap_init - build the window's page table in @pgdir (boot_pgdir, which
 * must be loaded); runs at boot before any address space is created (new
 * page directories copy the kernel half, the window included). */
void kmap_init(pde_t *pgdir);

/* kmap_ready - whether kmap_init has run.  From then on address spaces
 * may have copied boot_pgdir's kernel half, so it must not change. */
bool kmap_ready(void);

/**
 * kmap - map the frame of @page at a free slot and return its address.
 * Panics before kmap_init, when every slot is in use, or when the frame is
 * already mapped in a slot (each names the frame: a missing kunmap).
 */
void *kmap(struct Page *page);

/* kunmap - release the slot at @va; panics unless @va is the start of a
 * slot kmap handed out and that is still live. */
void kunmap(void *va);

/* kmap_holds - whether @va lies inside the kmap window. */
bool kmap_holds(const void *va);

/* kmap_live - the number of slots in use right now. */
int kmap_live(void);

/* frame_zero - fill @page's frame with zeros, through the direct map for a
 * kernel-pool frame and through a kmap slot otherwise. */
void frame_zero(struct Page *page);

/* frame_copy - copy the frame of @src into the frame of @dst, both mapped
 * through kmap slots for the copy (any pool, high memory included). */
void frame_copy(struct Page *dst, struct Page *src);

#endif /* !KERN_MM_KMAP_H */
