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

/* struct kmalloc_usage - what kmalloc has handed out and not had back:
 * objects, and their bytes (size classes and whole pages, as allocated). */
struct kmalloc_usage {
    size_t objects;
    size_t bytes;
};

/* kmalloc_usage - the live objects and bytes right now. */
struct kmalloc_usage kmalloc_usage(void);

/* kmalloc_reclaim - give every empty slab back to the page allocator (the
 * caches keep one each otherwise), so that the free page count says what
 * is in use; for checks that compare it before and after. */
void kmalloc_reclaim(void);

/* check_slab - kmalloc's boot self-test; panics on failure, prints
 * "check_slab() succeeded!" on success and leaves the page count as found. */
void check_slab(void);

#endif /* !KERN_MM_KMALLOC_H */
