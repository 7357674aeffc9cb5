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
#include <swap.h>
#include <vmm.h>

int cow_share(pde_t *from_pgdir, pde_t *to_pgdir, uintptr_t la, pte_t *src,
              pte_t *dst)
{
    pte_t pte = *src;
    if (*dst != 0) {
        panic("cow_share: %08x is already mapped in the child", la);
    }
    if (pte_is_swap(pte)) {
        int err = swap_entry_dup(pte, to_pgdir, la);
        *dst = err == 0 ? pte : 0;
        return err;
    }
    if (swap_map(pte2page(pte), to_pgdir, la) != 0) {
        return -E_NO_MEM;
    }
    if (pte & PTE_W) {
        pte = (pte & ~PTE_W) | PTE_COW;
        *src = pte;
        tlb_invalidate(from_pgdir, la);
    }
    page_ref_inc(pte2page(pte));
    *dst = pte & (PTE_ADDR(~0u) | PTE_COW | PTE_U | PTE_P);
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
    struct Page *copy = proc_alloc_page(); /* may evict @page: recheck */
    if (copy == NULL) {
        return -E_NO_MEM;
    }
    ptep = get_pte(mm->pgdir, la, false);
    bool same = *ptep == pte;
    put_pte(ptep);
    if (!same) {
        free_page(copy); /* the fault is retried on what is there now */
        return 0;
    }
    frame_copy(copy, page);
    swap_unmap(page, mm->pgdir, la);
    /* the table exists, so page_insert allocates nothing and cannot fail;
     * it drops the shared frame's reference */
    if (page_insert(mm->pgdir, copy, la, (pte & PTE_U) | PTE_W) != 0) {
        panic("cow_fault: page_insert failed on a present page table");
    }
    if (swap_map(copy, mm->pgdir, la) != 0) {
        page_remove(mm->pgdir, la);
        return -E_NO_MEM;
    }
    vmm_stats.cow_copy++;
    return 0;
}
