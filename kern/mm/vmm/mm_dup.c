/*
 * mm_dup.c -- copying an address space for fork: its regions, then the
 * pages its page tables map.  Phase 1 copies every present page (an eager
 * copy); copy-on-write replaces dup_page, the one step that decides what
 * the child's page table gets.
 */
#include <defs.h>
#include <error.h>
#include <stdio.h>
#include <pmm.h>
#include <kmap.h>
#include <vmm.h>

/* dup_page - map in @to at @la a new process-pool frame holding a copy of
 * the page that @pte maps in the parent, with the same permissions.
 * Returns 0 or -E_NO_MEM (nothing mapped). */
static int dup_page(struct mm_struct *to, uintptr_t la, pte_t pte)
{
    struct Page *page = proc_alloc_page();
    if (page == NULL) {
        return -E_NO_MEM;
    }
    frame_copy(page, pte2page(pte));
    if (page_insert(to->pgdir, page, la, pte & (PTE_U | PTE_W)) != 0) {
        free_page(page);
        return -E_NO_MEM;
    }
    return 0;
}

/* copy_range - dup_page every present page of [start, end) of @from into
 * @to; absent page tables are skipped 4 MiB at a time. */
static int copy_range(struct mm_struct *to, struct mm_struct *from,
                      uintptr_t start, uintptr_t end)
{
    uintptr_t la = start;
    while (la < end) {
        pte_t *ptep = get_pte(from->pgdir, la, false);
        if (ptep == NULL) {
            la = ROUNDDOWN(la, PTSIZE) + PTSIZE;
            continue;
        }
        pte_t pte = *ptep;
        put_pte(ptep);
        if ((pte & PTE_P) && dup_page(to, la, pte) != 0) {
            return -E_NO_MEM;
        }
        la += PGSIZE;
    }
    return 0;
}

/* dup_mm_state - what @to needs of @from besides regions and pages: the
 * heap's bounds and a copy of every claim (a VMPool's handle; its
 * metadata page is in the pool's range and was copied like any page). */
static int dup_mm_state(struct mm_struct *to, struct mm_struct *from)
{
    to->brk_start = from->brk_start;
    to->brk = from->brk;
    return mm_claims_dup(to, from);
}

int dup_mmap(struct mm_struct *to, struct mm_struct *from)
{
    for (size_t i = 0; i < from->vmas.n; i++) {
        const struct vma_struct *v = &from->vmas.v[i];
        int ret = mm_add_region(to, v->vm_start, v->vm_end - v->vm_start,
                                v->vm_flags);
        if (ret == 0) {
            ret = copy_range(to, from, v->vm_start, v->vm_end);
        }
        if (ret != 0) {
            return ret;
        }
    }
    return dup_mm_state(to, from);
}
