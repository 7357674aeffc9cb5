/* swap_eclock.c -- the enhanced clock (enhanced second chance): the
 * swappable frames on a circular list with a hand, as in swap_clock.c,
 * ranked by the class (accessed, dirty).  The hand first looks for a frame
 * of class (0,0), changing nothing; failing that for one of class (0,1),
 * clearing the accessed bits it passes; then both again, which must find
 * one.  A clean frame costs no write, so it goes before a dirty one that
 * was as long unused. */
#include <assert.h>
#include <defs.h>
#include <error.h>
#include <list.h>
#include <swap_manager.h>

static list_entry_t eclock_ring; /* the list head, which the hand skips */
static list_entry_t *eclock_hand;
static bool *eclock_member; /* per frame: on eclock_ring */
static size_t eclock_nr;    /* frames on eclock_ring */

static int eclock_init(void)
{
    if (!frame_marks_new(&eclock_member)) {
        return -E_NO_MEM;
    }
    list_init(&eclock_ring);
    eclock_hand = &eclock_ring;
    eclock_nr = 0;
    return 0;
}

/* eclock_map_swappable - put @page just behind the hand. */
static int eclock_map_swappable(struct mm_struct *mm, uintptr_t addr,
                               struct Page *page, int swap_in)
{
    (void)mm, (void)addr, (void)swap_in;
    size_t i = frame_index(page);
    if (eclock_member[i]) {
        panic("swap_eclock: page %p is already swappable", page);
    }
    eclock_member[i] = true;
    eclock_nr++;
    list_add_before(eclock_hand, &page->pra_page_link);
    return 0;
}

/* eclock_set_unswappable - unlink @page, moving the hand on when it points
 * there; nothing when @page is not on the ring. */
static int eclock_set_unswappable(struct Page *page)
{
    size_t i = frame_index(page);
    if (eclock_member[i]) {
        eclock_member[i] = false;
        eclock_nr--;
        if (eclock_hand == &page->pra_page_link) {
            eclock_hand = list_next(eclock_hand);
        }
        list_del(&page->pra_page_link);
    }
    return 0;
}

/* eclock_sweep - one turn of the hand.  Without @clear it takes the first
 * frame of class (0,0); with @clear the first whose accessed bit is clear,
 * clearing the set ones it passes.  false when the turn found none. */
static bool eclock_sweep(bool clear, struct Page **ptr_page)
{
    for (size_t k = 0; k < eclock_nr; k++) {
        if (eclock_hand == &eclock_ring) {
            eclock_hand = list_next(eclock_hand);
        }
        struct Page *page = le2page(eclock_hand, pra_page_link);
        if (!frame_accessed(page, clear) && (clear || !frame_dirty(page))) {
            eclock_set_unswappable(page);
            *ptr_page = page;
            return true;
        }
        eclock_hand = list_next(eclock_hand);
    }
    return false;
}

/* eclock_swap_out_victim - (0,0) without clearing, then (0,1) clearing,
 * twice: the second (0,1) turn finds every accessed bit clear. */
static int eclock_swap_out_victim(struct mm_struct *mm, struct Page **ptr_page,
                                  int in_tick)
{
    (void)mm, (void)in_tick;
    if (list_empty(&eclock_ring)) {
        return -E_NO_MEM;
    }
    for (int round = 0; round < 2; round++) {
        if (eclock_sweep(false, ptr_page) || eclock_sweep(true, ptr_page)) {
            return 0;
        }
    }
    panic("swap_eclock: two rounds found no victim");
}

/* eclock_check_swap - the hand is on the ring (or its head), every page on
 * the ring is marked, and as many pages are marked as are on it. */
static int eclock_check_swap(void)
{
    size_t queued = 0, marked = 0;
    bool hand_seen = eclock_hand == &eclock_ring;
    for (list_entry_t *le = list_next(&eclock_ring); le != &eclock_ring;
         le = list_next(le)) {
        hand_seen |= le == eclock_hand;
        if (!eclock_member[frame_index(le2page(le, pra_page_link))] ||
            ++queued > frame_nr()) {
            return -E_INVAL;
        }
    }
    for (size_t i = 0; i < frame_nr(); i++) {
        marked += eclock_member[i];
    }
    return hand_seen && marked == queued && queued == eclock_nr ? 0 : -E_INVAL;
}

const struct swap_manager swap_manager_eclock = {
    .name = "eclock",
    .init = eclock_init,
    .map_swappable = eclock_map_swappable,
    .set_unswappable = eclock_set_unswappable,
    .swap_out_victim = eclock_swap_out_victim,
    .check_swap = eclock_check_swap,
};
