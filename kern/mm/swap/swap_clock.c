/* TEMPORARY scratch policy for testing the core (replaced by the policy branch). */
#include <defs.h>
#include <list.h>
#include <swap_manager.h>

static list_entry_t ring;
static list_entry_t *hand;

static int c_init(void) { list_init(&ring); hand = &ring; return 0; }
static int c_init_mm(struct mm_struct *mm) { (void)mm; return 0; }
static int c_tick(struct mm_struct *mm) { (void)mm; return 0; }
static int c_map(struct mm_struct *mm, uintptr_t addr, struct Page *page, int swap_in)
{
    (void)mm; (void)addr; (void)swap_in;
    list_add_before(hand == &ring ? &ring : hand, &page->pra_page_link);
    return 0;
}
static int c_unmap(struct Page *page)
{
    if (hand == &page->pra_page_link) hand = list_next(hand);
    list_del(&page->pra_page_link);
    return 0;
}
static int c_victim(struct mm_struct *mm, struct Page **ptr, int in_tick)
{
    (void)mm; (void)in_tick;
    if (list_empty(&ring)) return -1;
    for (;;) {
        if (hand == &ring) hand = list_next(hand);
        struct Page *p = le2page(hand, pra_page_link);
        hand = list_next(hand);
        if (!frame_accessed(p, true)) { c_unmap(p); *ptr = p; return 0; }
    }
}
static int c_check(void) { return 0; }
const struct swap_manager swap_manager_clock = {
    .name = "clock", .init = c_init, .init_mm = c_init_mm, .tick_event = c_tick,
    .map_swappable = c_map, .set_unswappable = c_unmap, .swap_out_victim = c_victim,
    .check_swap = c_check,
};
