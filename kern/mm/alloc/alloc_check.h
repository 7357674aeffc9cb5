/*
 * alloc_check.h -- the random-workload self-check that per-pool managers
 * share.  A manager's .pool.check runs it on a private instance through
 * the manager's own calls; what only that manager promises (where a block
 * lands, how its structures agree, how far frees merge) comes in as hooks.
 * Allocator layer: it calls nothing but the hooks and @pool.
 */
#ifndef KERN_MM_ALLOC_ALLOC_CHECK_H
#define KERN_MM_ALLOC_ALLOC_CHECK_H

#include <pmm_manager.h>

/*
 * struct alloc_check_ops - a manager as alloc_check_random drives it.
 * @pool:         the manager's own calls (its .pool); init, init_memmap,
 *                alloc_pages, free_pages and nr_free_pages are used
 * @prepare:      optional: adjust the fresh instance @st before it gets
 *                its frames (e.g. tunables the workload should cross)
 * @expect:       optional (NULL: any block will do): before an alloc of
 *                @n pages, the block it must return, NULL when it must
 *                find nothing
 * @check_alloc:  optional: assert what the manager promises of @blk, which
 *                alloc_pages has just returned for @n pages
 * @check_state:  assert that @st is consistent (its structures agree with
 *                each other and with its free count); run after every op
 * @check_merged: assert that @st, all its @n frames free again, merged
 *                them back as far as the manager promises
 */
struct alloc_check_ops {
    const struct pmm_pool_ops *pool;
    void (*prepare)(struct pmm_state *st);
    struct Page *(*expect)(const struct pmm_state *st, size_t n);
    void (*check_alloc)(const struct pmm_state *st, const struct Page *blk,
                        size_t n);
    void (*check_state)(const struct pmm_state *st);
    void (*check_merged)(const struct pmm_state *st, size_t n);
};

/**
 * alloc_check_random - make @st an instance over the @n reserved frames at
 * @frames and run 4000 pseudo-random allocs (1..8 pages, one in four up to
 * 64) and frees over 16 slots on it, then free what is left.  Asserts that
 * an alloc takes exactly its pages off the free count or, finding nothing,
 * changes nothing; that no page is handed out twice (a page's reference
 * count is 1 while the workload holds it); the hooks; that some allocs
 * find nothing; and that all @n frames are free at the end.
 * @st:     state_size(@n) bytes, left holding the instance
 * @ops:    the manager and its hooks
 * @frames: the first frame; init_memmap clears the reference counts
 * @n:      frames; few enough that 16 blocks of up to 64 pages fill
 *          them (some refusals are asserted), 256 at boot and on the host
 */
void alloc_check_random(struct pmm_state *st, const struct alloc_check_ops *ops,
                        struct Page *frames, size_t n);

#endif /* !KERN_MM_ALLOC_ALLOC_CHECK_H */
