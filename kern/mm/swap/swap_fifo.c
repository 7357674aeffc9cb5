/* swap_fifo.c -- first in, first out (ucore Lab 3's swap_fifo): the
 * swappable frames in the order they became swappable, newest at the tail
 * of one list through page->pra_page_link; the victim is the head, the
 * oldest, whatever its accessed bit says. */
#include <assert.h>
#include <defs.h>
#include <error.h>
#include <list.h>
#include <swap_manager.h>

static list_entry_t fifo_queue; /* oldest at the head, newest at the tail */
static bool *fifo_member;       /* per frame: on fifo_queue */

static int fifo_init(void)
{
    if (!frame_marks_new(&fifo_member)) {
        return -E_NO_MEM;
    }
    list_init(&fifo_queue);
    return 0;
}

/* fifo_map_swappable - append @page at the tail; it must not be queued. */
static int fifo_map_swappable(struct mm_struct *mm, uintptr_t addr,
                              struct Page *page, int swap_in)
{
    (void)mm, (void)addr, (void)swap_in;
    size_t i = frame_index(page);
    if (fifo_member[i]) {
        panic("swap_fifo: page %p is already swappable", page);
    }
    fifo_member[i] = true;
    list_add_before(&fifo_queue, &page->pra_page_link);
    return 0;
}

/* fifo_set_unswappable - unlink @page; nothing when it is not queued. */
static int fifo_set_unswappable(struct Page *page)
{
    size_t i = frame_index(page);
    if (fifo_member[i]) {
        fifo_member[i] = false;
        list_del(&page->pra_page_link);
    }
    return 0;
}

/* fifo_swap_out_victim - unlink the oldest page into *@ptr_page. */
static int fifo_swap_out_victim(struct mm_struct *mm, struct Page **ptr_page,
                                int in_tick)
{
    (void)mm, (void)in_tick;
    if (list_empty(&fifo_queue)) {
        return -E_NO_MEM;
    }
    struct Page *page = le2page(list_next(&fifo_queue), pra_page_link);
    fifo_set_unswappable(page);
    *ptr_page = page;
    return 0;
}

/* fifo_check_swap - the queue and the member flags agree: every queued
 * page is marked, once, and as many pages are marked as are queued. */
static int fifo_check_swap(void)
{
    size_t queued = 0, marked = 0;
    for (list_entry_t *le = list_next(&fifo_queue); le != &fifo_queue;
         le = list_next(le)) {
        if (!fifo_member[frame_index(le2page(le, pra_page_link))] ||
            ++queued > frame_nr()) {
            return -E_INVAL;
        }
    }
    for (size_t i = 0; i < frame_nr(); i++) {
        marked += fifo_member[i];
    }
    return marked == queued ? 0 : -E_INVAL;
}

const struct swap_manager swap_manager_fifo = {
    .name = "fifo",
    .init = fifo_init,
    .map_swappable = fifo_map_swappable,
    .set_unswappable = fifo_set_unswappable,
    .swap_out_victim = fifo_swap_out_victim,
    .check_swap = fifo_check_swap,
};
