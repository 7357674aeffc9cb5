/* swap.h -- paging to disk (ucore Lab 3's swap.h, made global).  The
 * layer sits between the page-table layer (pmm) and the address spaces
 * (vmm): it knows page directories, not address spaces.  Its pieces,
 * bottom up: swapfs.c (slots on the swap disk and their bitmap), frame.c
 * (the frame table: who maps each user frame of the process pool), and
 * swap.c (eviction through the replacement policy, swap-in, and the
 * bookkeeping the address spaces call when they map, share and unmap
 * user pages).
 *
 * A page that is swapped out leaves a swap entry in every PTE that mapped
 * it (ucore's encoding, present bit clear):
 *
 *   31                              8 7       3 2 1 0
 *  +--------------------------------+---------+-+-+-+
 *  |  slot (1 .. max_swap_offset)   |    0    |U|W|0|
 *  +--------------------------------+---------+-+-+-+
 *
 * W and U are the mapping's PTE_W and PTE_U when it was evicted (W also
 * for a copy-on-write mapping: the region allows writing).  Slot 0 is
 * never used, so a zero PTE still means "never mapped".
 */
#ifndef KERN_MM_SWAP_SWAP_H
#define KERN_MM_SWAP_SWAP_H

#include <defs.h>
#include <mmu.h>
#include <memlayout.h>

struct mm_struct;
struct Page;

typedef pte_t swap_entry_t;

#define SWAP_SLOT_SHIFT 8
#define SWAP_PERM       (PTE_W | PTE_U)

/* swap_offset - the slot of swap entry @e (ucore's name). */
static inline size_t swap_offset(swap_entry_t e)
{
    return e >> SWAP_SLOT_SHIFT;
}

/* swap_entry - the PTE for a page in @slot mapped with @perm. */
static inline swap_entry_t swap_entry(size_t slot, uint32_t perm)
{
    return (slot << SWAP_SLOT_SHIFT) | (perm & SWAP_PERM);
}

/* pte_is_swap - whether @pte holds a swap entry (not present, not 0). */
static inline bool pte_is_swap(pte_t pte) { return !(pte & PTE_P) && pte != 0; }

/*
 * struct swap_stats - what the swap layer has done since boot (the
 * monitor's `vmstat`, SYS_vmstat).
 * @swap_ins:     pages read back from swap
 * @swap_outs:    pages evicted
 * @writebacks:   evictions that wrote the page (dirty, or no copy in swap)
 * @clean_evicts: evictions that did not (the slot still held the page)
 * @io_errors:    disk reads or writes that failed
 * @oom:          allocations that failed with swap full or a disk error
 */
struct swap_stats {
    unsigned long swap_ins, swap_outs, writebacks, clean_evicts;
    unsigned long io_errors, oom;
};
extern struct swap_stats swap_stats;

/* swap_init_ok - whether swap is on (a swap disk was found, swap_init
 * succeeded). */
extern bool swap_init_ok;

/* swap_init - find the swap disk, set up the slots, the frame table and
 * the policy SWAP= chose, and register eviction as the process pool's
 * reclaim hook.  Prints "swap_manager = NAME" and the slot count, or
 * "swap is off" (no disk or no memory for the tables); the kernel then
 * works as before. */
void swap_init(void);

/* swap_map - record that @pgdir maps the user page @page at @la (a new
 * mapping: zero-fill, exec, fork's copy-on-write share, a copy).  The
 * first mapping makes @page swappable.  Returns 0 or -E_NO_MEM (nothing
 * recorded; the caller unmaps). */
int swap_map(struct Page *page, pde_t *pgdir, uintptr_t la);

/* swap_unmap - forget that @pgdir maps @page at @la, just before the PTE
 * goes; the last mapping takes @page out of the policy and frees the slot
 * holding its copy.  Panics when the mapping was never recorded. */
void swap_unmap(struct Page *page, pde_t *pgdir, uintptr_t la);

/* swap_entry_dup - fork: @to_pgdir's PTE at @la becomes a copy of the
 * swap entry @e, one more sharer of its slot.  0 or -E_NO_MEM. */
int swap_entry_dup(swap_entry_t e, pde_t *to_pgdir, uintptr_t la);

/* swap_entry_drop - the PTE of @pgdir at @la holding @e is being cleared
 * (unmap, exit): the slot loses a sharer and is freed with its last. */
void swap_entry_drop(swap_entry_t e, pde_t *pgdir, uintptr_t la);

/**
 * swap_in - bring the page whose swap entry the PTE of @pgdir at @la holds
 * back into a frame and map it there and for every other page directory
 * sharing the slot (read-only copy-on-write when several do and the page
 * is writable).  Waits, and returns 0 without reading, while another
 * process is moving the same page (the fault is then simply retried).
 * Returns 0, -E_NO_MEM (no frame: swap full or nothing evictable) or
 * -E_SWAP_FAULT (the disk failed; the message names the sector).
 */
int swap_in(pde_t *pgdir, uintptr_t la);

/* swap_out - evict up to @n pages chosen by the policy (ucore's; @mm and
 * @in_tick are passed to the policy).  Returns the number evicted. */
int swap_out(struct mm_struct *mm, int n, int in_tick);

/* swap_reclaimable - frames the process pool could get back by eviction
 * right now (swappable frames, at most the free slots); 0 without swap. */
size_t swap_reclaimable(void);

/* swap_set_wait_hook - register @hook, which lets other processes run
 * while a fault waits for a page another process is moving (the process
 * layer registers it; without one such a wait panics). */
void swap_set_wait_hook(void (*hook)(void));

/* swap_tick_event - the policy's tick, at each reschedule. */
void swap_tick_event(struct mm_struct *mm);

/* swap_init_mm - the policy's init_mm for a new address space. */
int swap_init_mm(struct mm_struct *mm);

/* swap_fail_reason - why the last failed process-pool allocation failed
 * ("swap full", "swap disk error", or "process pool empty" without swap),
 * for the message of the process it kills. */
const char *swap_fail_reason(void);

/* swap_manager_name - the policy's name; swap_policy_check - its own
 * check (0: it passed), for check_swap. */
const char *swap_manager_name(void);
int swap_policy_check(void);

/* swap_slots_free / swap_slots_total - the slot bitmap's counts. */
size_t swap_slots_free(void);
size_t swap_slots_total(void);

/* print_vmstat - the swap counters and slots (the monitor's `vmstat`). */
void print_vmstat(void);

#endif /* !KERN_MM_SWAP_SWAP_H */
