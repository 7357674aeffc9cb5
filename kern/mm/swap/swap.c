/*
 * swap.c -- eviction and swap-in (ucore Lab 3's swap.c, global and shared).
 *
 * A user page's life: it is mapped (swap_map: the frame table records the
 * mapping, the policy starts ranking it), maybe shared by fork (one more
 * mapping), then either unmapped for good (swap_unmap: the last mapping
 * takes it out of the policy and frees its slot) or chosen as a victim
 * when the process pool is empty (proc_alloc_page calls the reclaim hook,
 * swap_out).  Eviction replaces every mapping's PTE by the swap entry of
 * a slot and moves the reverse map from the frame to the slot; the page
 * is written only when it is dirty or no slot holds a copy of it.  A
 * fault on a swap entry (swap_in) reads the slot into a new frame, maps
 * it for every page directory on the slot's reverse map and keeps the
 * slot: while no mapping's dirty bit gets set, the slot still holds
 * exactly the page, and a later eviction writes nothing.
 *
 * While a page moves to or from the disk its frame is marked io and sits
 * in the slot's frame field; the disk's wait hook may run other
 * processes meanwhile.  A fault on such a slot waits for the move to end
 * (swap_wait) and is retried; nothing maps a frame under io.
 */
#include <defs.h>
#include <error.h>
#include <string.h>
#include <stdio.h>
#include <pmm.h>
#include <kmalloc.h>
#include <swap_manager.h>
#include <swapfs.h>
#include <frame.h>
#include <swap.h>

#ifndef SWAP_MANAGER
#define SWAP_MANAGER swap_manager_clockpro
#endif
extern const struct swap_manager SWAP_MANAGER;
static const struct swap_manager *const sm = &SWAP_MANAGER;

/* struct swap_slot - a taken slot: the mappings of the page it holds
 * while the page is out (@maps), and the frame holding the page while it
 * is in, or moving (@frame). */
struct swap_slot {
    struct rmap *maps;
    struct Page *frame;
};

bool swap_init_ok;
struct swap_stats swap_stats;
static struct swap_slot *slots;
static size_t nr_swappable;
static int last_error;          /* the last failed eviction's error */
static void (*wait_hook)(void); /* yields the CPU while a page moves */

void swap_set_wait_hook(void (*hook)(void)) { wait_hook = hook; }

/* slots_init - the slot table beside swapfs's bitmap; 0 or -E_NO_MEM. */
static int slots_init(void)
{
    size_t bytes = max_swap_offset * sizeof(struct swap_slot);
    size_t npages = ROUNDUP(bytes, PGSIZE) / PGSIZE;
    struct Page *p = alloc_pages(npages);
    if (p == NULL) {
        return -E_NO_MEM;
    }
    slots = memset(page2kva(p), 0, npages * PGSIZE);
    return 0;
}

/* reclaim - the process pool's reclaim hook: evict one page; a failure
 * is an allocation that fails (its process is killed). */
static bool reclaim(void)
{
    if (swap_out(NULL, 1, 0) == 1) {
        return true;
    }
    swap_stats.oom++;
    return false;
}

void swap_init(void)
{
    int err = swapfs_init();
    if (err == 0 && (err = frame_table_init()) == 0 &&
        (err = slots_init()) == 0) {
        err = sm->init();
    }
    if (err != 0) {
        cprintf("swap is off: %s\n", err == -E_NO_DEV
                                         ? "no swap disk (ide 1)"
                                         : "no memory for its tables");
        return;
    }
    swap_init_ok = true;
    pool_set_reclaim(&proc_pool, reclaim);
    cprintf("swap_manager = %s\n", sm->name);
    cprintf("swap: %lu slots of 4 KiB on ide %d (%lu MiB)\n",
            (unsigned long)swap_slots_total(), SWAP_DEV_NO,
            (unsigned long)(max_swap_offset * PGSIZE >> 20));
}

/* set_accessed - mark one mapping of a page accessed. */
static void set_accessed(pte_t *ptep, const struct rmap *r, void *arg)
{
    (void)r, (void)arg;
    *ptep |= PTE_A;
}

/* swappable_on - let the policy rank @page (@swap_in: it was just read
 * back).  Its mappings are marked accessed first: the access that
 * faulted it in is about to happen, and a page the policy saw unused
 * could be the next victim before that access, which then faults it
 * back and evicts another page the same instruction needs (eclock, which
 * prefers clean pages, livelocked cow at PROCMEM=512K that way: a code
 * page and a data page evicting each other).  swappable_off - take it
 * out again. */
static void swappable_on(struct Page *page, int swap_in)
{
    struct frame *f = page2frame(page);
    frame_each_pte(f->maps, set_accessed, NULL);
    f->swappable = 1;
    nr_swappable++;
    sm->map_swappable(NULL, f->maps->la, page, swap_in);
}

static void swappable_off(struct Page *page)
{
    struct frame *f = page2frame(page);
    if (f->swappable) {
        f->swappable = 0;
        nr_swappable--;
        sm->set_unswappable(page);
    }
}

/* slot_release - free @slot and forget any frame it was tied to. */
static void slot_release(size_t slot)
{
    slots[slot].frame = NULL;
    slot_free(slot);
}

int swap_map(struct Page *page, pde_t *pgdir, uintptr_t la)
{
    if (!swap_init_ok) {
        return 0;
    }
    struct frame *f = page2frame(page);
    bool first = f->maps == NULL;
    if (rmap_add(&f->maps, pgdir, la) != 0) {
        return -E_NO_MEM;
    }
    if (first) {
        swappable_on(page, 0);
    }
    return 0;
}

void swap_unmap(struct Page *page, pde_t *pgdir, uintptr_t la)
{
    if (!swap_init_ok) {
        return;
    }
    struct frame *f = page2frame(page);
    if (!rmap_del(&f->maps, pgdir, la)) {
        panic("swap_unmap: page %p (pa %08x) has no mapping at %08x in "
              "pgdir %p",
              page, page2pa(page), la, pgdir);
    }
    if (f->maps == NULL) {
        swappable_off(page);
        if (f->slot != 0) {
            slot_release(f->slot);
            f->slot = 0;
        }
    }
}

int swap_entry_dup(swap_entry_t e, pde_t *to_pgdir, uintptr_t la)
{
    return rmap_add(&slots[swap_offset(e)].maps, to_pgdir, la);
}

void swap_entry_drop(swap_entry_t e, pde_t *pgdir, uintptr_t la)
{
    struct swap_slot *s = &slots[swap_offset(e)];
    if (!rmap_del(&s->maps, pgdir, la)) {
        panic("swap_entry_drop: slot %lu has no mapping at %08x in pgdir %p",
              (unsigned long)swap_offset(e), la, pgdir);
    }
    /* a page on its way in or out: whoever moves it frees the slot */
    if (s->maps == NULL && s->frame == NULL) {
        slot_free(swap_offset(e));
    }
}

size_t swap_reclaimable(void)
{
    return swap_init_ok ? MIN(nr_swappable, swap_slots_free()) : 0;
}

/* steal_slot - free the slot of a resident page that keeps a copy it no
 * longer needs (the page stays; a later eviction writes it again), for
 * a dirty page that has none; false when no page keeps one. */
static bool steal_slot(void)
{
    for (size_t i = 0; i < frame_nr(); i++) {
        struct Page *page = pa2page((proc_pool.first + i) << PGSHIFT);
        struct frame *f = page2frame(page);
        if (f->slot != 0 && !f->io) {
            slot_release(f->slot);
            f->slot = 0;
            return true;
        }
    }
    return false;
}

/* new_slot - a free slot, taking one from a resident page's copy when
 * none is free; 0 when swap is full. */
static size_t new_slot(void)
{
    size_t slot = slot_alloc();
    if (slot == 0 && steal_slot()) {
        slot = slot_alloc();
    }
    return slot;
}

/* to_entry - replace the PTE of one mapping of the page being evicted by
 * the swap entry *@arg, dropping the mapping's reference. */
static void to_entry(pte_t *ptep, const struct rmap *r, void *arg)
{
    size_t slot = *(size_t *)arg;
    uint32_t perm = (*ptep & PTE_U) | ((*ptep & (PTE_W | PTE_COW)) ? PTE_W : 0);
    page_ref_dec(pte2page(*ptep));
    *ptep = swap_entry(slot, perm);
    tlb_invalidate(r->pgdir, r->la);
}

/* struct remap - what from_entry maps: the frame, and whether several
 * mappings share it (then a writable page is mapped copy-on-write). */
struct remap {
    struct Page *page;
    bool shared;
};

/* from_entry - map the frame of *@arg where one mapping's PTE holds the
 * page's swap entry. */
static void from_entry(pte_t *ptep, const struct rmap *r, void *arg)
{
    struct remap *m = arg;
    uint32_t perm = *ptep & PTE_U;
    if (*ptep & PTE_W) {
        perm |= m->shared ? PTE_COW : PTE_W;
    }
    page_ref_inc(m->page);
    *ptep = page2pa(m->page) | perm | PTE_P;
    tlb_invalidate(r->pgdir, r->la);
}

/* map_back - map @page, which now holds the page of @slot, for every
 * mapping on the slot's reverse map, and move the map to the frame; the
 * slot keeps the copy (state "resident, clean copy"). */
static void map_back(struct Page *page, size_t slot)
{
    struct swap_slot *s = &slots[slot];
    struct frame *f = page2frame(page);
    struct remap m = {page, s->maps != NULL && s->maps->next != NULL};
    frame_each_pte(s->maps, from_entry, &m);
    f->maps = s->maps;
    f->slot = slot;
    s->maps = NULL;
    s->frame = page;
}

/* move_page - read (@write false) or write @page's frame from or to
 * @slot's sectors, the frame pinned (io) and tied to the slot while the
 * disk's wait hook runs other processes; the disk's result. */
static int move_page(struct Page *page, size_t slot, bool write)
{
    struct frame *f = page2frame(page);
    swap_entry_t e = swap_entry(slot, 0);
    slots[slot].frame = page;
    f->io = 1;
    int err = write ? swapfs_write(e, page) : swapfs_read(e, page);
    f->io = 0;
    return err;
}

/* write_out - write @page, just unmapped into @slot, to the disk.  On
 * a disk error the page goes back where it was (no one else touched it:
 * it is under io) and its slot is freed. */
static int write_out(struct Page *page, size_t slot)
{
    int err = move_page(page, slot, true);
    slots[slot].frame = NULL;
    if (err != 0 && slots[slot].maps != NULL) {
        swap_stats.io_errors++;
        map_back(page, slot);
        page2frame(page)->slot = 0;
        slot_release(slot);
        return err;
    }
    return 0;
}

/* evict - move the victim @page out to swap: every mapping gets the swap
 * entry of its slot; the page is written when dirty.  0, or an error with
 * the page still mapped (-E_NO_MEM: swap full; -E_SWAP_FAULT). */
static int evict(struct Page *page)
{
    struct frame *f = page2frame(page);
    bool dirty = frame_dirty(page);
    size_t slot = f->slot;
    if (dirty && slot != 0) {
        slot_release(slot); /* the copy is stale */
        f->slot = 0;
    }
    if (dirty && (slot = new_slot()) == 0) {
        return -E_NO_MEM;
    }
    frame_each_pte(f->maps, to_entry, &slot);
    slots[slot].maps = f->maps;
    slots[slot].frame = NULL;
    f->maps = NULL;
    f->slot = 0;
    int err = dirty ? write_out(page, slot) : 0;
    if (err != 0) {
        return err;
    }
    if (slots[slot].maps == NULL) {
        slot_free(slot); /* every sharer went away during the write */
    }
    /* from here on, faults on the slot read it back (swap_in) */
    swap_stats.swap_outs++;
    dirty ? swap_stats.writebacks++ : swap_stats.clean_evicts++;
    free_page(page);
    return 0;
}

int swap_out(struct mm_struct *mm, int n, int in_tick)
{
    int done = 0;
    for (; done < n; done++) {
        struct Page *page;
        if (nr_swappable == 0 || sm->swap_out_victim(mm, &page, in_tick) != 0) {
            last_error = -E_NO_MEM;
            break;
        }
        struct frame *f = page2frame(page);
        if (!f->swappable || f->io || f->maps == NULL) {
            panic("swap_out: %s chose page %p (pa %08x), which it was not "
                  "ranking",
                  sm->name, page, page2pa(page));
        }
        f->swappable = 0;
        nr_swappable--;
        int err = evict(page);
        if (err != 0) {
            last_error = err;
            swappable_on(page, 0);
            break;
        }
    }
    return done;
}

/* swap_wait - wait until @slot's page is no longer moving. */
static void swap_wait(size_t slot)
{
    while (slots[slot].frame != NULL && page2frame(slots[slot].frame)->io) {
        if (wait_hook == NULL) {
            panic("swap_wait: slot %lu is moving and nothing can wait",
                  (unsigned long)slot);
        }
        wait_hook();
    }
}

/* pte_holds - whether the PTE of @pgdir at @la is still @e. */
static bool pte_holds(pde_t *pgdir, uintptr_t la, pte_t e)
{
    pte_t *ptep = get_pte(pgdir, la, false);
    bool same = ptep != NULL && *ptep == e;
    put_pte(ptep);
    return same;
}

/* read_in - read @slot's page into the free frame @page and map it for
 * its sharers; the frame is freed again on a disk error or when every
 * sharer went away during the read. */
static int read_in(struct Page *page, size_t slot)
{
    int err = move_page(page, slot, false);
    if (err != 0 || slots[slot].maps == NULL) {
        swap_stats.io_errors += err != 0;
        slots[slot].frame = NULL;
        if (slots[slot].maps == NULL) {
            slot_free(slot);
        }
        free_page(page);
        return err;
    }
    map_back(page, slot);
    swappable_on(page, 1);
    swap_stats.swap_ins++;
    return 0;
}

int swap_in(pde_t *pgdir, uintptr_t la)
{
    la = ROUNDDOWN(la, PGSIZE);
    pte_t *ptep = get_pte(pgdir, la, false);
    pte_t e = ptep != NULL ? *ptep : 0;
    put_pte(ptep);
    if (!pte_is_swap(e)) {
        return 0; /* brought in meanwhile */
    }
    size_t slot = swap_offset(e);
    if (slots[slot].frame != NULL) {
        swap_wait(slot);
        return 0;
    }
    struct Page *page = proc_alloc_page(); /* may evict, and wait */
    if (page == NULL) {
        return last_error != 0 ? last_error : -E_NO_MEM;
    }
    if (!pte_holds(pgdir, la, e) || slots[slot].frame != NULL) {
        free_page(page); /* someone else moved it while we waited */
        return 0;
    }
    return read_in(page, slot);
}

const char *swap_manager_name(void) { return sm->name; }

int swap_policy_check(void) { return sm->check_swap(); }

const char *swap_fail_reason(void)
{
    if (!swap_init_ok) {
        return "process pool empty";
    }
    return last_error == -E_SWAP_FAULT ? "swap disk error" : "swap full";
}

void swap_tick_event(struct mm_struct *mm)
{
    if (swap_init_ok && sm->tick_event != NULL) {
        sm->tick_event(mm);
    }
}

int swap_init_mm(struct mm_struct *mm)
{
    return swap_init_ok && sm->init_mm != NULL ? sm->init_mm(mm) : 0;
}

void print_vmstat(void)
{
    if (!swap_init_ok) {
        cprintf("swap is off\n");
        return;
    }
    cprintf("swap (%s): %lu swap-ins, %lu swap-outs (%lu written back, %lu "
            "clean), %lu disk errors, %lu failed allocations\n",
            sm->name, swap_stats.swap_ins, swap_stats.swap_outs,
            swap_stats.writebacks, swap_stats.clean_evicts,
            swap_stats.io_errors, swap_stats.oom);
    cprintf("swap slots: %lu of %lu in use; %lu frames swappable, %lu of "
            "%lu process-pool frames free\n",
            (unsigned long)(swap_slots_total() - swap_slots_free()),
            (unsigned long)swap_slots_total(), (unsigned long)nr_swappable,
            (unsigned long)pool_nr_free(&proc_pool),
            (unsigned long)proc_pool.nr_managed);
}
