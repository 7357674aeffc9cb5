/*
 * cow.c -- copy-on-write, both halves.  Fork (mm_dup.c) maps every present
 * user page of the parent into the child with cow_share: the same frame,
 * one more reference, and a writable page turned read-only and PTE_COW in
 * both page tables.  The first write to such a page faults (protection,
 * write) and do_pgfault (pgfault.c) hands it to cow_fault: while another
 * address space still maps the frame, the writer gets a copy; when the
 * writer is the last one, it takes the frame over -- the PTE becomes
 * writable again and nothing is copied.  exec and exit need nothing
 * special: unmapping drops a reference and frees the frame at zero.
 */
#include <defs.h>
#include <error.h>
#include <pmm.h>
#include <kmap.h>
#include <vmm.h>

int cow_share(struct mm_struct *to, struct mm_struct *from, uintptr_t la,
              pte_t *ptep)
{
    pte_t pte = *ptep;
    bool cow = (pte & (PTE_W | PTE_COW)) != 0;
    uint32_t perm = (pte & PTE_U) | (cow ? PTE_COW : 0);
    if (page_insert(to->pgdir, pte2page(pte), la, perm) != 0) {
        return -E_NO_MEM;
    }
    if (pte & PTE_W) {
        *ptep = (pte & ~PTE_W) | PTE_COW;
        tlb_invalidate(from->pgdir, la);
    }
    return 0;
}

bool cow_pending(struct mm_struct *mm, uintptr_t addr)
{
    pte_t *ptep = get_pte(mm->pgdir, ROUNDDOWN(addr, PGSIZE), false);
    bool cow = ptep != NULL && (*ptep & (PTE_P | PTE_COW)) == (PTE_P | PTE_COW);
    put_pte(ptep);
    return cow;
}

int cow_fault(struct mm_struct *mm, uintptr_t addr)
{
    uintptr_t la = ROUNDDOWN(addr, PGSIZE);
    pte_t *ptep = get_pte(mm->pgdir, la, false);
    pte_t pte = *ptep;
    struct Page *page = pte2page(pte);
    if (page_ref(page) == 1) {
        *ptep = (pte & ~PTE_COW) | PTE_W;
        put_pte(ptep);
        tlb_invalidate(mm->pgdir, la);
        vmm_stats.cow_reuse++;
        return 0;
    }
    put_pte(ptep);
    struct Page *copy = proc_alloc_page();
    if (copy == NULL) {
        return -E_NO_MEM;
    }
    frame_copy(copy, page);
    /* the table exists, so page_insert allocates nothing and cannot fail;
     * it drops the shared frame's reference */
    if (page_insert(mm->pgdir, copy, la, (pte & PTE_U) | PTE_W) != 0) {
        panic("cow_fault: page_insert failed on a present page table");
    }
    vmm_stats.cow_copy++;
    return 0;
}
