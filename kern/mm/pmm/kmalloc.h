/* kmalloc.h -- kernel objects of any size on top of the page allocator. */
#ifndef KERN_MM_KMALLOC_H
#define KERN_MM_KMALLOC_H

#include <defs.h>

/* kmalloc_init - set up the size-class caches.  Call once, after pmm_init
 * has handed memory to the page allocator and before the first kmalloc. */
void kmalloc_init(void);

/*
 * kmalloc - allocate an object.
 * @size: bytes wanted
 *
 * Returns memory in the kernel's direct map, aligned to 8 bytes (to its
 * size for the power-of-two sizes up to 1024, to a page above the largest
 * size class), or NULL when @size is 0 or memory is exhausted; a failed
 * call changes nothing.  Not for use in interrupt handlers.
 */
void *kmalloc(size_t size);

/*
 * kfree - give back an object.
 * @ptr: a pointer kmalloc returned and that has not been freed, or NULL
 *
 * kfree(NULL) does nothing.  Panics naming @ptr when it is not the start of
 * an object kmalloc handed out, or when it was already freed.
 */
void kfree(void *ptr);

/* check_slab - kmalloc's boot self-test; panics on failure, prints
 * "check_slab() succeeded!" on success and leaves the page count as found. */
void check_slab(void);

#endif /* !KERN_MM_KMALLOC_H */
