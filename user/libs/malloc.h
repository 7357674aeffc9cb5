/* malloc.h -- a heap over brk (malloc.c): malloc/free (ucore Lab8's
 * names), sbrk, and a consistency check for tests. */
#ifndef USER_LIBS_MALLOC_H
#define USER_LIBS_MALLOC_H

#include <defs.h>

/* sbrk - move the program break by @incr bytes (either way) and return
 * the old break, or (void *)-1 when the kernel refuses (the heap would
 * pass UHEAPTOP or meet another region).  The kernel's break is the
 * byte break rounded up to a page. */
void *sbrk(intptr_t incr);

/* malloc - @size bytes aligned to 8, or NULL when the heap cannot grow.
 * The memory is not zeroed. */
void *malloc(size_t size);

/* free - give back a block malloc returned (NULL: nothing).  A block that
 * is already free, or a pointer malloc did not return, is a user panic.
 * Free memory at the top of the heap goes back to the kernel (brk). */
void free(void *ptr);

/* malloc_check - panic unless the heap is consistent: blocks tile the
 * heap exactly, every header is valid, the free list is sorted, holds
 * exactly the free blocks, no two free blocks touch and none ends the
 * heap.  Returns the number of blocks in use. */
size_t malloc_check(void);

#endif /* !USER_LIBS_MALLOC_H */
