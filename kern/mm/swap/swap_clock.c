/* swap_clock.c -- the clock (second chance) algorithm: the swappable
 * frames on a circular list through page->pra_page_link with a hand.  The
 * hand passes a frame whose accessed bit is set, clearing it, and takes
 * the first whose bit is clear.  A new frame goes just behind the hand,
 * so it is the last the hand reaches. */
#include <assert.h>
#include <defs.h>
#include <error.h>
#include <list.h>
#include <swap_manager.h>

static list_entry_t clock_ring; /* the list head, which the hand skips */
static list_entry_t *clock_hand;
static bool *clock_member; /* per frame: on clock_ring */

static int clock_init(void)
{
    if (!frame_marks_new(&clock_member)) {
        return -E_NO_MEM;
    }
    list_init(&clock_ring);
    clock_hand = &clock_ring;
    return 0;
}

/* clock_map_swappable - put @page just behind the hand. */
static int clock_map_swappable(struct mm_struct *mm, uintptr_t addr,
                               struct Page *page, int swap_in)
{
    (void)mm, (void)addr, (void)swap_in;
    size_t i = frame_index(page);
    if (clock_member[i]) {
        panic("swap_clock: page %p is already swappable", page);
    }
    clock_member[i] = true;
    list_add_before(clock_hand, &page->pra_page_link);
    return 0;
}

/* clock_set_unswappable - unlink @page, moving the hand on when it points
 * there; nothing when @page is not on the ring. */
static int clock_set_unswappable(struct Page *page)
{
    size_t i = frame_index(page);
    if (clock_member[i]) {
        clock_member[i] = false;
        if (clock_hand == &page->pra_page_link) {
            clock_hand = list_next(clock_hand);
        }
        list_del(&page->pra_page_link);
    }
    return 0;
}

/* clock_swap_out_victim - sweep from the hand: clear set accessed bits,
 * take the first frame found clear.  Two turns at most. */
static int clock_swap_out_victim(struct mm_struct *mm, struct Page **ptr_page,
                                 int in_tick)
{
    (void)mm, (void)in_tick;
    if (list_empty(&clock_ring)) {
        return -E_NO_MEM;
    }
    for (;;) {
        if (clock_hand != &clock_ring) {
            struct Page *page = le2page(clock_hand, pra_page_link);
            if (!frame_accessed(page, true)) {
                clock_set_unswappable(page);
                *ptr_page = page;
                return 0;
            }
        }
        clock_hand = list_next(clock_hand);
    }
}

/* clock_check_swap - the hand is on the ring (or its head), every page on
 * the ring is marked, and as many pages are marked as are on it. */
static int clock_check_swap(void)
{
    size_t queued = 0, marked = 0;
    bool hand_seen = clock_hand == &clock_ring;
    for (list_entry_t *le = list_next(&clock_ring); le != &clock_ring;
         le = list_next(le)) {
        hand_seen |= le == clock_hand;
        if (!clock_member[frame_index(le2page(le, pra_page_link))] ||
            ++queued > frame_nr()) {
            return -E_INVAL;
        }
    }
    for (size_t i = 0; i < frame_nr(); i++) {
        marked += clock_member[i];
    }
    return hand_seen && marked == queued ? 0 : -E_INVAL;
}

const struct swap_manager swap_manager_clock = {
    .name = "clock",
    .init = clock_init,
    .map_swappable = clock_map_swappable,
    .set_unswappable = clock_set_unswappable,
    .swap_out_victim = clock_swap_out_victim,
    .check_swap = clock_check_swap,
};
