/* swap_manager.h -- the contract between the swap layer and a page
 * replacement policy (ucore Lab 3's struct swap_manager).  One file per
 * policy (swap_fifo.c, swap_clock.c, swap_eclock.c, swap_clockpro.c)
 * exports one const table; `make SWAP=NAME` picks it.  The same policy
 * files compile unchanged into the host replay benchmark (make
 * bench-replace), which implements the frame_* functions below over
 * simulated page tables.
 *
 * Replacement is global (Pintos): a policy ranks every swappable user
 * frame of the process pool, whichever address space maps it.  A frame
 * is swappable from map_swappable until it is the victim or leaves
 * through set_unswappable; the policy links it through
 * page->pra_page_link (its only field in struct Page) and keeps any other
 * per-frame state in its own arrays, indexed by frame_index().
 */
#ifndef KERN_MM_SWAP_SWAP_MANAGER_H
#define KERN_MM_SWAP_SWAP_MANAGER_H

#include <defs.h>
#include <string.h>
#include <kmalloc.h>
#include <memlayout.h>

struct mm_struct;

/*
 * struct swap_manager - one replacement policy.  Every function returns 0
 * on success; the swap layer calls them with interrupts on, in process
 * context, never two at once.
 * @name:            its name at boot ("swap_manager = NAME") and in make
 *                   SWAP=NAME
 * @init:            set up the policy's state for frame_nr() frames (may
 *                   kmalloc); -E_NO_MEM fails swap_init (swap stays off)
 * @init_mm:         a new address space @mm (mm_create); global policies
 *                   need nothing per address space (NULL: nothing to do)
 * @tick_event:      called at each reschedule in process context
 *                   (@mm: the address space being left, may be NULL); a
 *                   policy may age its frames here (NULL: nothing to do)
 * @map_swappable:   @page has become swappable: a new user page
 *                   (@swap_in 0) or one just read back from swap
 *                   (@swap_in 1); @mm/@addr name its first mapping (mm
 *                   NULL for mappings the kernel's checks make)
 * @set_unswappable: @page leaves the policy without being a victim: it
 *                   is being freed (unmapped by exit, exec, munmap, brk)
 *                   or pinned.  ucore's takes (mm, addr); this one takes
 *                   the page, because a freed page must leave the
 *                   policy's lists whoever maps it (lab2.md)
 * @swap_out_victim: choose a victim among the swappable frames, remove it
 *                   from the policy and store it in *@ptr_page; nonzero
 *                   when there is none.  @mm is NULL (global) and
 *                   @in_tick 0.  The swap layer may hand the victim back
 *                   with map_swappable(..., 0) when it cannot evict it.
 * @check_swap:      the policy's own check (check_swap, swap_check.c,
 *                   runs it after the common sequence); 0 when it passes
 */
struct swap_manager {
    const char *name;
    int (*init)(void);
    int (*init_mm)(struct mm_struct *mm);
    int (*tick_event)(struct mm_struct *mm);
    int (*map_swappable)(struct mm_struct *mm, uintptr_t addr,
                         struct Page *page, int swap_in);
    int (*set_unswappable)(struct Page *page);
    int (*swap_out_victim)(struct mm_struct *mm, struct Page **ptr_page,
                           int in_tick);
    int (*check_swap)(void);
};

/* What a policy may ask about the frames it ranks (frame.c in the kernel,
 * the replay harness on the host). */

/* frame_nr - the number of frames a policy may be handed; frame_index
 * maps each of them to [0, frame_nr()). */
size_t frame_nr(void);
size_t frame_index(const struct Page *page);

/* frame_marks_new - for a policy's init: a new array of frame_nr() flags,
 * all false, in *@marks, the one there before freed; false, with *@marks
 * as it was, when kmalloc has no room. */
static inline bool frame_marks_new(bool **marks)
{
    bool *m = kmalloc(frame_nr() * sizeof(bool));
    if (m == NULL) {
        return false;
    }
    memset(m, 0, frame_nr() * sizeof(bool));
    kfree(*marks);
    *marks = m;
    return true;
}

/* frame_accessed - whether any mapping of @page has its accessed bit set
 * (PTE_A); with @clear, clear it in every mapping (and the TLB entry). */
bool frame_accessed(struct Page *page, bool clear);

/* frame_dirty - whether evicting @page now would write it: a mapping has
 * its dirty bit set (PTE_D) or swap holds no valid copy of it. */
bool frame_dirty(struct Page *page);

/* frame_key - a number that names @page's contents across eviction and
 * swap-in (its first mapping: address space and virtual page), for
 * policies that remember pages no longer resident; never 0. */
uintptr_t frame_key(const struct Page *page);

#endif /* !KERN_MM_SWAP_SWAP_MANAGER_H */
