/*
 * mm_pgtable.c -- the page tables of an address space: unmap a range
 * (frames, TLB entries, and the tables it leaves empty) and count what is
 * mapped.  Page tables of an address space come from the process pool;
 * the page-table layer in pmm.c reaches them through VPT when the address
 * space is loaded and through kmap when it is not, so these work on any
 * address space.
 */
#include <defs.h>
#include <error.h>
#include <pmm.h>
#include <swap.h>
#include <vmm.h>

int mm_insert_page(struct mm_struct *mm, struct Page *page, uintptr_t la,
                   uint32_t perm)
{
    if (page_insert(mm->pgdir, page, la, perm) != 0) {
        free_page(page);
        return -E_NO_MEM;
    }
    if (swap_map(page, mm->pgdir, la) != 0) {
        page_remove(mm->pgdir, la); /* the last reference: frees it */
        return -E_NO_MEM;
    }
    return 0;
}

/* unmap_pte - clear the PTE *@ptep of @mm at @la: a present page loses
 * this mapping (freed with its last), a swapped-out one a sharer of its
 * slot. */
static void unmap_pte(struct mm_struct *mm, uintptr_t la, pte_t *ptep)
{
    if (*ptep & PTE_P) {
        swap_unmap(pte2page(*ptep), mm->pgdir, la);
        page_remove_pte(mm->pgdir, la, ptep);
    } else if (pte_is_swap(*ptep)) {
        swap_entry_drop(*ptep, mm->pgdir, la);
        *ptep = 0;
    }
}

/* unmap_pages - unmap every page of [start, end) in @mm, present or
 * swapped out; absent page tables are skipped a whole 4 MiB at a time. */
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
            unmap_pte(mm, la, p);
        }
        put_pte(ptep);
    }
}

/* table_empty - whether the present page table for @la has no entry at
 * all (a swap entry counts: the table is where its page comes back). */
static bool table_empty(struct mm_struct *mm, uintptr_t la)
{
    pte_t *pt = get_pte(mm->pgdir, ROUNDDOWN(la, PTSIZE), false);
    size_t i = 0;
    while (i < NPTEENTRY && pt[i] == 0) {
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
        } else if (pte_is_swap(pt[i])) {
            u->swapped++;
        }
    }
    put_pte(pt);
}

void mm_usage(struct mm_struct *mm, struct mm_usage *u)
{
    *u = (struct mm_usage){0, 0, 0, 0, 0};
    for (uintptr_t la = 0; la < KERNBASE; la += PTSIZE) {
        if (mm->pgdir[PDX(la)] & PTE_P) {
            usage_table(mm, la, u);
        }
    }
}
