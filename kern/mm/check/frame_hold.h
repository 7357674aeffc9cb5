/* frame_hold.h -- take every free frame of a pool out for the length of a
 * boot check, then lend chosen ones back, filled with junk: the check
 * decides exactly which frames the next allocations can get, and what
 * they hold before anyone zeroes them (frame_hold.c). */
#ifndef KERN_MM_CHECK_FRAME_HOLD_H
#define KERN_MM_CHECK_FRAME_HOLD_H

#include <defs.h>
#include <pmm.h>

#define HOLD_CHUNKS 128 /* power-of-two chunks: a few per free run */
#define HOLD_LENT   16

/* The junk a lent frame is filled with: no valid PTE is this word. */
#define HOLD_JUNK 0xa5

/**
 * struct frame_hold - the free frames of @pool, taken.
 * @chunks: what the pool gave, as (@base[i], @n[i]) runs
 * @lent:   frames given back to the pool since (hold_lend_dirty)
 */
struct frame_hold {
    struct frame_pool *pool;
    int nchunks, nlent;
    struct Page *base[HOLD_CHUNKS];
    size_t n[HOLD_CHUNKS];
    struct Page *lent[HOLD_LENT];
};

/* hold_all - take every free frame of @pool into @h (the pool is empty
 * afterwards); undone by hold_release. */
void hold_all(struct frame_hold *h, struct frame_pool *pool);

/* hold_lowest - the lowest frame @h holds (NULL when it holds none). */
struct Page *hold_lowest(const struct frame_hold *h);

/* hold_lend_dirty - fill the held, not yet lent frame @page with
 * HOLD_JUNK and give it back to the pool; panics when @h does not hold
 * it. */
void hold_lend_dirty(struct frame_hold *h, struct Page *page);

/* hold_release - give back every frame @h holds that was not lent (lent
 * frames are the pool's again already, or their borrowers'). */
void hold_release(struct frame_hold *h);

#endif /* !KERN_MM_CHECK_FRAME_HOLD_H */
