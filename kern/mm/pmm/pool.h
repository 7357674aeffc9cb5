/* pool.h -- the two frame pools.  The kernel pool holds direct-mapped
 * frames for kernel data, page directories and the kernel's own page
 * tables; the process pool holds frames for user pages and for the page
 * tables of address spaces, and is where RAM above KMEMSIZE goes.  Each
 * pool is an instance of the configured pmm_manager (pool.c). */
#ifndef KERN_MM_POOL_H
#define KERN_MM_POOL_H

#include <defs.h>
#include <memmap.h>
#include <pmm_manager.h>

/* The manager PMM= selected (it runs the kernel pool). */
extern const struct pmm_manager *const pmm_manager;

/* alloc_pages - @n contiguous frames of the kernel pool (direct-mapped),
 * or NULL; panics when n == 0. */
struct Page *alloc_pages(size_t n);

/* free_pages - give back [@base, @base + @n) to the pool it came from;
 * panics on a bad range, a reserved or still-mapped page, a range that
 * straddles the two pools, or a page that is already free. */
void free_pages(struct Page *base, size_t n);

/* nr_free_pages - free frames of the kernel pool right now. */
size_t nr_free_pages(void);

#define alloc_page()    alloc_pages(1)
#define free_page(page) free_pages(page, 1)

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
 * @nr_held:    frames taken out for good by pool_limit
 * @reclaim:    frees a frame of the pool when it is empty (swap's
 *              eviction; NULL: none), false when it cannot
 */
struct frame_pool {
    const char *name;
    const struct pmm_manager *mgr;
    struct pmm_state *state;
    ppn_t first, end;
    size_t nr_managed, nr_high;
    size_t nr_allocs, nr_frees;
    size_t nr_held;
    bool (*reclaim)(void);
};

extern struct frame_pool kernel_pool, proc_pool;

/**
 * pool_init - create the two pools and hand them every usable frame of
 * ram_map above @array_end (the end of the Page array) and below @top (the
 * end of usable RAM below 4 GiB).  RAM above KMEMSIZE, when there is any,
 * joins the process pool, and so does a share of the free low memory (its
 * top slice): by default 25% without high memory and none with it;
 * PROC_POOL_LOW_PERCENT (make PROC_LOW_PERCENT=N) sets it for both.
 * Either way the share is topped up until the process pool has 2 MiB,
 * as long as the kernel pool keeps its own 2 MiB.  The pools' manager
 * state is carved right after the Page array.  Panics when the kernel
 * pool cannot hold the boot page tables or the process pool is empty.
 */
void pool_init(uintptr_t array_end, uint64_t top);

/* page2pool - the pool frame @page belongs to. */
struct frame_pool *page2pool(struct Page *page);

/* pool_alloc - @n contiguous frames from @pool, or NULL (pool unchanged). */
struct Page *pool_alloc(struct frame_pool *pool, size_t n);

/* pool_nr_free - the number of free frames in @pool right now. */
size_t pool_nr_free(struct frame_pool *pool);

/* proc_alloc_page - one frame of the process pool, or NULL.  The frame
 * may be high memory: reach it with kmap, never KADDR.  When the pool is
 * empty its reclaim hook runs (swap: evict a page, possibly waiting for
 * the disk while other processes run) until a frame is free or it fails. */
struct Page *proc_alloc_page(void);

/* pool_limit - take free frames of @pool out for good until at most
 * @frames are free (make PROCMEM=: a small process pool that makes
 * programs swap).  Returns the number of frames taken. */
size_t pool_limit(struct frame_pool *pool, size_t frames);

/* pool_set_reclaim - register @reclaim as @pool's reclaim hook (the swap
 * layer, above this one, at swap_init). */
void pool_set_reclaim(struct frame_pool *pool, bool (*reclaim)(void));

/* pool_show_free - the free blocks of @pool, one line each, when its
 * manager can list them (the monitor's `free`). */
void pool_show_free(struct frame_pool *pool);

/* print_pools - one summary line per pool (the monitor's `pools`). */
void print_pools(void);

#endif /* !KERN_MM_POOL_H */
