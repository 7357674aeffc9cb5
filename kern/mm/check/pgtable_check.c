/*
 * pgtable_check.c -- check_pgtable, a boot self-check of the page-table
 * layer under an address space, written so that each of these bugs fails
 * it (each was once planted and went unnoticed, issue 11): a new page
 * table not zeroed, a zero-filled page of a user region without PTE_U, a
 * permission change of a present page on the loaded directory without a
 * TLB flush, a page table in the lowest process-pool frame reached
 * through the direct map, a missing page table skipped from an
 * unaligned address by a whole PTSIZE, and a first write to a read-only
 * region let through.  The process pool is held
 * (frame_hold.c): only frames filled with junk are free, so the check
 * chooses where tables and pages land and what they held before.
 */
#include <defs.h>
#include <x86.h>
#include <error.h>
#include <stdio.h>
#include <pmm.h>
#include <kmap.h>
#include <vmm.h>
#include <vm_probe.h>
#include <mem_snap.h>
#include <frame_hold.h>
#include <vmm_check.h>

#define USER_VA   (4 * PTSIZE)           /* a user region of two pages */
#define RO_VA     (USER_VA + 4 * PGSIZE) /* a read-only page, same table */
#define CROSS_END (8 * PTSIZE + PGSIZE)
#define CROSS_VA  (8 * PTSIZE - 2 * PGSIZE) /* three pages across 8 * PTSIZE */
#define NR_LENT   8 /* frames lent to the check: 2 tables, 3 pages, spare */

/* check_table_lowest - the first table of @mm (not loaded) goes into the
 * lowest process-pool frame, the only one free and full of junk: it is
 * reached through kmap (that frame is not direct-mapped) and reads as
 * zero. */
static void check_table_lowest(struct mm_struct *mm, struct frame_hold *h)
{
    struct Page *low = hold_lowest(h);
    assert(low != NULL && page2ppn(low) == proc_pool.first &&
           proc_pool.first == npage_direct);
    hold_lend_dirty(h, low);
    pte_t *pt = get_pte(mm->pgdir, USER_VA, true);
    assert(pt != NULL && kmap_holds(pt) &&
           pde2page(mm->pgdir[PDX(USER_VA)]) == low);
    for (size_t i = 0; i < NPTEENTRY; i++) {
        assert(pt[i] == 0);
    }
    put_pte(pt);
}

/* page_is_zero - whether the page at @va reads as zero, but for the word
 * at @skip. */
static bool page_is_zero(uintptr_t va, uintptr_t skip)
{
    for (uintptr_t a = va; a < va + PGSIZE; a += sizeof(uint32_t)) {
        if (a != skip && *(volatile uint32_t *)a != 0) {
            return false;
        }
    }
    return true;
}

/* check_user_fill - a write and a read fault in the user region (loaded
 * @mm): each maps a zeroed frame with PTE_U (and PTE_W). */
static void check_user_fill(struct mm_struct *mm)
{
    struct vmm_stats st = vmm_stats;
    *(volatile uint32_t *)(USER_VA + 0x10) = 0x600d;
    assert(page_is_zero(USER_VA, USER_VA + 0x10));
    assert(page_is_zero(USER_VA + PGSIZE, 0));
    assert(vmm_stats.zero_fill == st.zero_fill + 2);
    for (uintptr_t va = USER_VA; va < USER_VA + 2 * PGSIZE; va += PGSIZE) {
        pte_t *ptep = get_pte(mm->pgdir, va, false);
        assert(ptep != NULL);
        assert((*ptep & (PTE_P | PTE_U | PTE_W)) == (PTE_P | PTE_U | PTE_W));
        put_pte(ptep);
    }
}

/* check_perm_change - page_insert of the same page read-only on the
 * loaded directory takes effect at once: the TLB held it writable. */
static void check_perm_change(struct mm_struct *mm)
{
    struct Page *page = get_page(mm->pgdir, USER_VA, NULL);
    assert(page != NULL && page_ref(page) == 1);
    assert(vm_probe_write(USER_VA, 1) == 0); /* cached writable */
    assert(page_insert(mm->pgdir, page, USER_VA, PTE_U) == 0);
    assert(page_ref(page) == 1);
    assert(vm_probe_write(USER_VA, 2) == -E_FAULT);
    uint32_t v = 0;
    assert(vm_probe_read(USER_VA, &v) == 0 && v == 1);
    assert(page_insert(mm->pgdir, page, USER_VA, PTE_U | PTE_W) == 0);
    assert(vm_probe_write(USER_VA, 3) == 0 && page_ref(page) == 1);
}

/* check_readonly_write - a write as the first access to a read-only
 * region is a segmentation fault that maps nothing. */
static void check_readonly_write(struct mm_struct *mm)
{
    struct vmm_stats st = vmm_stats;
    size_t pfree = pool_nr_free(&proc_pool);
    assert(vm_probe_write(RO_VA, 9) == -E_FAULT);
    assert(vmm_stats.segv == st.segv + 1 &&
           vmm_stats.zero_fill == st.zero_fill);
    assert(get_page(mm->pgdir, RO_VA, NULL) == NULL);
    assert(pool_nr_free(&proc_pool) == pfree);
}

/* check_unmap_cross - a region across a 4 MiB boundary, touched only in
 * its last page (its first table never exists), unmaps completely. */
static void check_unmap_cross(struct mm_struct *mm)
{
    assert(mm_map(mm, CROSS_VA, CROSS_END - CROSS_VA, VM_READ | VM_WRITE) == 0);
    size_t pfree = pool_nr_free(&proc_pool);
    assert(vm_probe_write(CROSS_END - PGSIZE, 7) == 0);
    assert(!(mm->pgdir[PDX(CROSS_VA)] & PTE_P));
    assert(pool_nr_free(&proc_pool) == pfree - 2); /* the page, its table */
    assert(mm_unmap(mm, CROSS_VA) == 0);
    assert(mm_resident(mm, CROSS_VA, CROSS_END) == 0);
    assert(!(mm->pgdir[PDX(CROSS_END)] & PTE_P));
    assert(pool_nr_free(&proc_pool) == pfree);
    uint32_t v;
    assert(vm_probe_read(CROSS_END - PGSIZE, &v) == -E_FAULT);
}

void check_pgtable(void)
{
    struct mem_snap s0 = snap_take();
    struct frame_hold h;
    struct mm_struct *mm = mm_create();
    assert(mm != NULL);
    assert(mm_map(mm, USER_VA, 2 * PGSIZE, VM_READ | VM_WRITE | VM_USER) == 0);
    assert(mm_map(mm, RO_VA, PGSIZE, VM_READ | VM_USER) == 0);
    hold_all(&h, &proc_pool);
    check_table_lowest(mm, &h);
    for (int i = 1; i < NR_LENT; i++) {
        hold_lend_dirty(&h, hold_lowest(&h) + i);
    }
    mm_switch(mm);
    check_user_fill(mm);
    check_perm_change(mm);
    check_readonly_write(mm);
    check_unmap_cross(mm);
    mm_switch(NULL);
    mm_destroy(mm);
    hold_release(&h);
    snap_assert("check_pgtable", &s0);
    cprintf("check_pgtable() succeeded!\n");
}
