/* frame.h -- the frame table: one entry per frame of the process pool,
 * saying who maps it while it holds a user page (a reverse map: every
 * page directory and address, several after a copy-on-write fork),
 * which swap slot holds a valid copy of it, and whether it is moving to
 * or from the disk.  The replacement policy sees the same frames through
 * swap_manager.h's frame_* functions, implemented here. */
#ifndef KERN_MM_SWAP_FRAME_H
#define KERN_MM_SWAP_FRAME_H

#include <defs.h>
#include <mmu.h>

struct Page;

/* struct rmap - one mapping of a page: @pgdir maps it at @la. */
struct rmap {
    pde_t *pgdir;
    uintptr_t la;
    struct rmap *next;
};

/*
 * struct frame - one process-pool frame.
 * @maps:      its mappings while it holds a user page, else NULL
 * @slot:      a swap slot holding exactly its contents (0: none); kept
 *             while no mapping is dirty, freed when one is found dirty
 * @io:        a transfer to or from the disk is in progress (pinned:
 *             neither evicted nor mapped by anyone else until it ends)
 * @swappable: the policy ranks it (between map_swappable and the victim
 *             choice or set_unswappable)
 */
struct frame {
    struct rmap *maps;
    uint32_t slot;
    uint8_t io;
    uint8_t swappable;
};

/* frame_table_init - allocate the table for the process pool (kernel
 * pool pages); 0 or -E_NO_MEM. */
int frame_table_init(void);

/* page2frame - @page's entry; panics when @page is not a process-pool
 * frame (a kernel-pool frame never holds a user page). */
struct frame *page2frame(const struct Page *page);

/* rmap_add - push the mapping (@pgdir, @la) on *@list; 0 or -E_NO_MEM. */
int rmap_add(struct rmap **list, pde_t *pgdir, uintptr_t la);

/* rmap_del - remove the mapping (@pgdir, @la) from *@list; false when it
 * is not there. */
bool rmap_del(struct rmap **list, pde_t *pgdir, uintptr_t la);

/* rmap_count - the number of mappings on @list. */
size_t rmap_count(const struct rmap *list);

/* frame_each_pte - call @fn(pte pointer, mapping, @arg) for every mapping
 * of @list (each page table is present while it holds the mapping). */
void frame_each_pte(const struct rmap *list,
                    void (*fn)(pte_t *ptep, const struct rmap *r, void *arg),
                    void *arg);

#endif /* !KERN_MM_SWAP_FRAME_H */
