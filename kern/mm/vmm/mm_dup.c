/*
 * mm_dup.c -- copying an address space for fork: its regions, its claims
 * (each through its owner's dup), then what its page tables map.  The
 * child gets page tables of its own and, by default, the parent's frames
 * copy-on-write (cow_share, cow.c); a kernel built with FORK=eager copies
 * every present page instead (copy_page), for the benchmark (make
 * bench-cow) and as the reference the COW path is measured against.
 */
#include <defs.h>
#include <error.h>
#include <stdio.h>
#include <pmm.h>
#include <kmap.h>
#include <swap.h>
#include <vmm.h>

/* Process-pool frames fork leaves free for the copy-on-write faults that
 * follow it.  Fork itself takes only page tables; without a reserve a fork
 * that takes the last frames turns the parent's next write (to the page
 * that records the child, say) into an out-of-memory kill, where failing
 * the fork with -E_NO_MEM is the honest answer.  64 frames cover a few
 * dozen writes of every process between two forks (fork-bomb needs one or
 * two); they are not reserved for anyone, only kept out of fork's reach.
 * A small pool (a PROCMEM cap) keeps a quarter of its frames instead. */
#define FORK_COW_RESERVE 64

/* fork_reserve - the frames fork must leave free or evictable.  With swap
 * the copy-on-write faults can evict, but page tables cannot be evicted:
 * children forked until page tables fill the pool leave their processes
 * too few frames to run in, and every process faults away the pages the
 * others need (thrashing: forktest's 32 children at PROCMEM=256K did not
 * finish in minutes).  So with swap, half the pool stays free or
 * evictable. */
static size_t fork_reserve(void)
{
    size_t frames = proc_pool.nr_managed - proc_pool.nr_held;
    return swap_init_ok ? frames / 2 : MIN(FORK_COW_RESERVE, frames / 4);
}

#ifdef FORK_EAGER
static const bool fork_eager = true;
#else
static const bool fork_eager = false;
#endif

/* copy_page - map in @to at @la a new process-pool frame holding a copy of
 * the page that the parent's PTE *@src maps, with the same permissions.
 * A page swapped out meanwhile (the allocation may evict it) is shared
 * through its swap entry instead.  Returns 0 or -E_NO_MEM (nothing
 * mapped). */
static int copy_page(struct mm_struct *to, struct mm_struct *from, uintptr_t la,
                     pte_t *src)
{
    struct Page *page = proc_alloc_page();
    if (page == NULL) {
        return -E_NO_MEM;
    }
    pte_t pte = *src;
    if (!(pte & PTE_P)) {
        free_page(page);
        pte_t *dst = get_pte(to->pgdir, la, true);
        int ret = dst != NULL ? cow_share(from->pgdir, to->pgdir, la, src, dst)
                              : -E_NO_MEM;
        put_pte(dst);
        return ret;
    }
    frame_copy(page, pte2page(pte));
    if (mm_insert_page(to, page, la, pte & (PTE_U | PTE_W)) != 0) {
        return -E_NO_MEM;
    }
    vmm_stats.fork_copies++;
    return 0;
}

/* share_table - cow_share every page of [la, stop), present or swapped
 * out, which one present page table @pt of @from covers, into @to: the
 * child's table is looked up (or made) once for the lot.  0 or
 * -E_NO_MEM. */
static int share_table(struct mm_struct *to, struct mm_struct *from,
                       uintptr_t la, uintptr_t stop, pte_t *pt)
{
    pte_t *dst = get_pte(to->pgdir, la, true);
    if (dst == NULL) {
        return -E_NO_MEM;
    }
    int ret = 0;
    for (pte_t *p = pt, *d = dst; la < stop && ret == 0;
         la += PGSIZE, p++, d++) {
        if (*p != 0) {
            ret = cow_share(from->pgdir, to->pgdir, la, p, d);
        }
    }
    put_pte(dst);
    return ret;
}

/* copy_table - copy_page every page of [la, stop), which one present
 * page table @pt of @from covers, into @to (a swapped-out one is shared
 * through its swap entry: FORK=eager is a benchmark of present pages). */
static int copy_table(struct mm_struct *to, struct mm_struct *from,
                      uintptr_t la, uintptr_t stop, pte_t *pt)
{
    int ret = 0;
    for (pte_t *p = pt; la < stop && ret == 0; la += PGSIZE, p++) {
        if (*p != 0) {
            ret = copy_page(to, from, la, p);
        }
    }
    return ret;
}

/* dup_table - give @to every present page of [la, stop), which one page
 * table of @from covers (nothing when it is absent). */
static int dup_table(struct mm_struct *to, struct mm_struct *from, uintptr_t la,
                     uintptr_t stop)
{
    pte_t *pt = get_pte(from->pgdir, la, false);
    if (pt == NULL) {
        return 0;
    }
    int ret = fork_eager ? copy_table(to, from, la, stop, pt)
                         : share_table(to, from, la, stop, pt);
    put_pte(pt);
    return ret;
}

/* dup_range - dup_table every page table that covers [start, end). */
static int dup_range(struct mm_struct *to, struct mm_struct *from,
                     uintptr_t start, uintptr_t end)
{
    for (uintptr_t la = start; la < end;) {
        uintptr_t stop = MIN(end, ROUNDDOWN(la, PTSIZE) + PTSIZE);
        int ret = dup_table(to, from, la, stop);
        if (ret != 0) {
            return ret;
        }
        la = stop;
    }
    return 0;
}

/* dup_mm_state - what @to needs of @from besides regions and pages: the
 * heap's bounds and a copy of every claim (a VMPool's handle; its
 * metadata page is in the pool's range and was shared like any page). */
static int dup_mm_state(struct mm_struct *to, struct mm_struct *from)
{
    to->brk_start = from->brk_start;
    to->brk = from->brk;
    return mm_claims_dup(to, from);
}

int dup_mmap(struct mm_struct *to, struct mm_struct *from)
{
    if (pool_nr_free(&proc_pool) + swap_reclaimable() <
        mm_nr_tables(from) + fork_reserve()) {
        return -E_NO_MEM;
    }
    for (size_t i = 0; i < from->vmas.n; i++) {
        const struct vma_struct *v = &from->vmas.v[i];
        int ret = mm_add_region(to, v->vm_start, v->vm_end - v->vm_start,
                                v->vm_flags);
        if (ret == 0) {
            ret = dup_range(to, from, v->vm_start, v->vm_end);
        }
        if (ret != 0) {
            return ret;
        }
    }
    return dup_mm_state(to, from);
}
