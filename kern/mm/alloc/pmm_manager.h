/* pmm_manager.h -- the contract of a physical page allocator (one file
 * per manager in kern/mm/alloc/, selected with PMM=NAME). */
#ifndef KERN_MM_ALLOC_PMM_MANAGER_H
#define KERN_MM_ALLOC_PMM_MANAGER_H

#include <defs.h>
#include <memmap.h>

/* struct pmm_state - one instance of a manager (its free lists, maps and
 * counters).  Incomplete here: each manager that runs per pool defines it
 * in its own file, and only that file looks inside. */
struct pmm_state;

/*
 * struct pmm_pool_ops - a manager written for this kernel runs any number of
 * instances: each frame pool is one, and a self-check builds private ones.
 * The pool layer sets aside state_size() bytes for each instance at boot
 * (sized from the frames it covers, in direct-mapped memory) and passes
 * them to every call.  Calls come with interrupts off.
 * @state_size:    bytes of state for an instance covering @nframes frames
 * @init:          make @st an empty instance for the frames [@base,
 *                 @base + @nframes); no frame is free yet
 * @init_memmap:   give the instance the @n free frames from @base, each
 *                 PageReserved (the manager takes them over: clears their
 *                 flags and reference counts)
 * @alloc_pages:   @n contiguous frames, or NULL when none fit (state
 *                 unchanged)
 * @free_pages:    take back @n frames from @base (already validated by the
 *                 front end: n > 0, in the pool, not reserved, not
 *                 mapped); must detect a double free it can see and panic
 *                 naming the page
 * @nr_free_pages: frames currently free in @st
 * @show_free:     optional (NULL): print the free blocks, one line each as
 *                 "  [ppn first, ppn last] n pages"
 * @check:         optional (NULL): the manager's self-test on private
 *                 instances in @scratch (state_size(@n) bytes) over the
 *                 frames [@frames, @frames + @n), each PageReserved; it
 *                 panics on failure and leaves no instance behind
 */
struct pmm_pool_ops {
    size_t (*state_size)(size_t nframes);
    void (*init)(struct pmm_state *st, struct Page *base, size_t nframes);
    void (*init_memmap)(struct pmm_state *st, struct Page *base, size_t n);
    struct Page *(*alloc_pages)(struct pmm_state *st, size_t n);
    void (*free_pages)(struct pmm_state *st, struct Page *base, size_t n);
    size_t (*nr_free_pages)(const struct pmm_state *st);
    void (*show_free)(const struct pmm_state *st);
    void (*check)(struct pmm_state *scratch, struct Page *frames, size_t n);
};

/*
 * struct pmm_manager - a physical page allocator, selected at build time
 * (PMM=NAME links kern/mm/alloc/NAME_pmm.c and its NAME_pmm_manager).
 * A manager fills one of two sets of members:
 *
 * - ucore Lab 2's (the handout's): init .. check, with the free list in
 *   the manager's own globals.  Such a manager has exactly one instance;
 *   it runs the kernel pool, the pool alloc_page() and nr_free_pages()
 *   use, so its check() may call them as the handout's does.  The process
 *   pool then runs the kernel's first-fit (list_first_fit_manager).
 *   init_memmap receives PageReserved pages, as the handout asserts.
 * - this kernel's: .pool (struct pmm_pool_ops), one instance per pool.
 *
 * @name is printed in the boot banner either way.
 */
struct pmm_manager {
    const char *name;
    void (*init)(void);
    void (*init_memmap)(struct Page *base, size_t n);
    struct Page *(*alloc_pages)(size_t n);
    void (*free_pages)(struct Page *base, size_t n);
    size_t (*nr_free_pages)(void);
    void (*check)(void);
    struct pmm_pool_ops pool;
};

/* pmm_per_pool - whether @m runs one instance per pool (fills .pool). */
static inline bool pmm_per_pool(const struct pmm_manager *m)
{
    return m->pool.alloc_pages != NULL;
}

#endif /* !KERN_MM_ALLOC_PMM_MANAGER_H */
