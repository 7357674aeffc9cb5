/* pool.h -- the two frame pools.  The kernel pool holds direct-mapped
 * frames for kernel data, page directories and the kernel's own page
 * tables; the process pool holds frames for user pages and for the page
 * tables of address spaces, and is where RAM above KMEMSIZE goes.  Each
 * pool is an instance of the configured pmm_manager (pool.c). */
#ifndef KERN_MM_POOL_H
#define KERN_MM_POOL_H

#include <defs.h>
#include <memlayout.h>

struct pmm_manager;
struct pmm_state;

/*
 * struct frame_pool - one pool of physical frames.
 * @name:       "kernel" or "process"
 * @mgr:        the manager that runs the pool
 * @state:      the pool's instance of it (NULL: a manager written the
 *              handout's way, whose one instance is its globals)
 * @first/@end: the frame numbers [first, end) that belong to the pool
 * @nr_managed: frames handed to the manager (usable RAM in the range)
 * @nr_high:    of those, frames above KMEMSIZE (never direct-mapped)
 * @nr_allocs/@nr_frees: successful alloc and free calls, for `pools`
 */
struct frame_pool {
    const char *name;
    const struct pmm_manager *mgr;
    struct pmm_state *state;
    ppn_t first, end;
    size_t nr_managed, nr_high;
    size_t nr_allocs, nr_frees;
};

extern struct frame_pool kernel_pool, proc_pool;

/* Frames below npage_direct may be reached through the direct map (KADDR);
 * from npage_direct up every frame belongs to the process pool. */
extern size_t npage_direct;

/**
 * pool_setup - decide which frames go to which pool and create both pools
 * empty.  @freemem: first free physical address after the Page array;
 * @top: end of usable RAM below 4 GiB.  The pools' manager state is
 * carved from @freemem up; returns the first free address after it.  RAM above
 * KMEMSIZE, when there is any, joins the process pool, and so does a share of
 * the free low memory (its top slice): by default 25% without high memory and
 * none with it; PROC_POOL_LOW_PERCENT (make PROC_LOW_PERCENT=N) sets it for
 * both.
 */
uintptr_t pool_setup(uintptr_t freemem, uint64_t top);

/* pool_add_frames - hand the usable frames [@begin, @end) to their pools
 * (clearing PG_reserved); a range may span the boundary. */
void pool_add_frames(ppn_t begin, ppn_t end);

/* pool_check - make sure the kernel pool can hold the boot page tables,
 * the process pool is not empty and its manager counts every frame it was
 * given; panics otherwise.  Prints the pools' sizes. */
void pool_check(void);

/* page2pool - the pool frame @page belongs to. */
struct frame_pool *page2pool(struct Page *page);

/* pool_alloc - @n contiguous frames from @pool, or NULL (pool unchanged). */
struct Page *pool_alloc(struct frame_pool *pool, size_t n);

/* pool_nr_free - the number of free frames in @pool right now. */
size_t pool_nr_free(struct frame_pool *pool);

/* proc_alloc_page - one frame of the process pool, or NULL.  The frame
 * may be high memory: reach it with kmap, never KADDR. */
struct Page *proc_alloc_page(void);

/* pool_show_free - the free blocks of @pool, one line each, when its
 * manager can list them (the monitor's `free`). */
void pool_show_free(struct frame_pool *pool);

/* print_pools - one summary line per pool (the monitor's `pools`). */
void print_pools(void);

#endif /* !KERN_MM_POOL_H */
