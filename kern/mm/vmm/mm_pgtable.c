/*
 * mm_pgtable.c -- the page tables of an address space: unmap a range
 * (frames, TLB entries, and the tables it leaves empty) and count what is
 * mapped.  Page tables of an address space come from the process pool;
 * the page-table layer in pmm.c reaches them through VPT when the address
 * space is loaded and through kmap when it is not, so these work on any
 * address space.
 */
#include <defs.h>
#include <pmm.h>
#include <vmm.h>

/* unmap_pages - unmap every present page of [start, end) in @mm, freeing
 * frames whose last mapping this was; absent page tables are skipped a
 * whole 4 MiB at a time. */
static void unmap_pages(struct mm_struct *mm, uintptr_t start, uintptr_t end)
{
    uintptr_t la = start;
    while (la < end) {
        pte_t *ptep = get_pte(mm->pgdir, la, false);
        if (ptep == NULL) {
            la = ROUNDDOWN(la, PTSIZE) + PTSIZE;
            continue;
        }
        uintptr_t stop = MIN(end, ROUNDDOWN(la, PTSIZE) + PTSIZE);
        for (pte_t *p = ptep; la < stop; la += PGSIZE, p++) {
            page_remove_pte(mm->pgdir, la, p);
        }
        put_pte(ptep);
    }
}

/* table_empty - whether the present page table for @la has no present
 * entry. */
static bool table_empty(struct mm_struct *mm, uintptr_t la)
{
    pte_t *pt = get_pte(mm->pgdir, ROUNDDOWN(la, PTSIZE), false);
    size_t i = 0;
    while (i < NPTEENTRY && !(pt[i] & PTE_P)) {
        i++;
    }
    put_pte(pt);
    return i == NPTEENTRY;
}

/* free_empty_tables - free the page tables covering [start, end) that no
 * longer map anything, and clear their PDEs. */
static void free_empty_tables(struct mm_struct *mm, uintptr_t start,
                              uintptr_t end)
{
    for (uintptr_t la = ROUNDDOWN(start, PTSIZE); la < end; la += PTSIZE) {
        pde_t *pdep = &mm->pgdir[PDX(la)];
        if (!(*pdep & PTE_P) || !table_empty(mm, la)) {
            continue;
        }
        struct Page *pt = pde2page(*pdep);
        if (page_ref(pt) != 1) {
            panic("free_empty_tables: mm %p: page table for %08x (pa %08x) "
                  "has reference count %d, not 1",
                  mm, la, page2pa(pt), page_ref(pt));
        }
        *pdep = 0;
        tlb_invalidate(mm->pgdir, VPT + PDX(la) * PGSIZE);
        page_ref_dec(pt);
        free_page(pt);
    }
}

void mm_unmap_range(struct mm_struct *mm, uintptr_t start, uintptr_t end)
{
    unmap_pages(mm, start, end);
    free_empty_tables(mm, start, end);
}

size_t mm_resident(struct mm_struct *mm, uintptr_t start, uintptr_t end)
{
    size_t n = 0;
    for (uintptr_t la = start; la < end; la += PGSIZE) {
        n += get_page(mm->pgdir, la, NULL) != NULL;
    }
    return n;
}

size_t mm_nr_tables(struct mm_struct *mm)
{
    size_t n = 0;
    for (size_t i = 0; i < PDX(KERNBASE); i++) {
        n += (mm->pgdir[i] & PTE_P) != 0;
    }
    return n;
}

/* usage_table - add to *@u the page table for [la, la + PTSIZE) of @mm
 * (present) and the pages it maps. */
static void usage_table(struct mm_struct *mm, uintptr_t la, struct mm_usage *u)
{
    pte_t *pt = get_pte(mm->pgdir, la, false);
    u->tables++;
    u->high += page2ppn(pde2page(mm->pgdir[PDX(la)])) >= npage_direct;
    for (size_t i = 0; i < NPTEENTRY; i++) {
        if (pt[i] & PTE_P) {
            struct Page *page = pte2page(pt[i]);
            u->pages++;
            u->shared += page_ref(page) > 1;
            u->high += page2ppn(page) >= npage_direct;
        }
    }
    put_pte(pt);
}

void mm_usage(struct mm_struct *mm, struct mm_usage *u)
{
    *u = (struct mm_usage){0, 0, 0, 0};
    for (uintptr_t la = 0; la < KERNBASE; la += PTSIZE) {
        if (mm->pgdir[PDX(la)] & PTE_P) {
            usage_table(mm, la, u);
        }
    }
}
