/*
 * vmm.c -- address spaces.  An mm_struct is a page directory plus a
 * sorted array of regions.  A region promises memory without taking any:
 * its pages come into existence one by one in do_pgfault (pgfault.c), as
 * zeroed frames of the process pool, and leave again in mm_unmap or
 * mm_destroy.  Page tables of an address space also come from the process
 * pool; the page-table layer in pmm.c reaches them through VPT when the
 * address space is loaded and through kmap when it is not.
 */
#include <defs.h>
#include <x86.h>
#include <error.h>
#include <string.h>
#include <stdio.h>
#include <pmm.h>
#include <pool.h>
#include <kmap.h>
#include <kmalloc.h>
#include <vmm.h>
#include <vmpool.h>

struct mm_struct *current_mm;

struct mm_struct *mm_create(void)
{
    if (!kmap_ready()) {
        panic("mm_create: called before kmap_init (the kernel half is not "
              "complete yet)");
    }
    struct mm_struct *mm = kmalloc(sizeof(*mm));
    struct Page *dp = NULL;
    if (mm == NULL || (dp = alloc_page()) == NULL) {
        goto fail;
    }
    mm->pgdir = memset(page2kva(dp), 0, PGSIZE);
    memcpy(&mm->pgdir[PDX(KERNBASE)], &boot_pgdir[PDX(KERNBASE)],
           (NPDEENTRY - PDX(KERNBASE)) * sizeof(pde_t));
    mm->pgdir[PDX(VPT)] = page2pa(dp) | PTE_P | PTE_W;
    vma_set_init(&mm->vmas);
    mm->pools = NULL;
    return mm;

fail:
    kfree(mm);
    return NULL;
}

void mm_switch(struct mm_struct *mm)
{
    lcr3(mm != NULL ? PADDR(mm->pgdir) : boot_cr3);
    current_mm = mm;
}

struct vma_struct *find_vma(struct mm_struct *mm, uintptr_t addr)
{
    return vma_set_find(&mm->vmas, addr);
}

/* range_ok - whether [start, start + len) is a non-empty, page-aligned
 * range below KERNBASE. */
static bool range_ok(uintptr_t start, size_t len)
{
    return PGOFF(start) == 0 && PGOFF(len) == 0 && len != 0 &&
           start < KERNBASE && len <= KERNBASE - start;
}

int mm_add_region(struct mm_struct *mm, uintptr_t start, size_t len,
                  uint32_t flags)
{
    if (!range_ok(start, len)) {
        return -E_INVAL;
    }
    return vma_set_insert(&mm->vmas, start, start + len, flags);
}

int mm_map(struct mm_struct *mm, uintptr_t start, size_t len, uint32_t flags)
{
    if (!range_ok(start, len)) {
        return -E_INVAL;
    }
    uintptr_t pool = vmpool_overlap(mm, start, start + len);
    if (pool != 0) {
        cprintf("mm_map: [%08x, %08x) overlaps the VMPool at %08x (its "
                "addresses are vmpool_alloc's)\n",
                start, start + len, pool);
        return -E_INVAL;
    }
    return mm_add_region(mm, start, len, flags);
}

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

int mm_unmap(struct mm_struct *mm, uintptr_t start)
{
    uintptr_t pool = vmpool_overlap(mm, start, start + 1);
    if (pool != 0) {
        cprintf("mm_unmap: %08x lies in the VMPool at %08x (vmpool_release "
                "gives its regions back)\n",
                start, pool);
        return -E_INVAL;
    }
    return mm_drop_region(mm, start);
}

int mm_drop_region(struct mm_struct *mm, uintptr_t start)
{
    struct vma_struct *vma = find_vma(mm, start);
    if (vma == NULL || vma->vm_start != start) {
        return -E_INVAL;
    }
    uintptr_t end = vma->vm_end;
    unmap_pages(mm, start, end);
    free_empty_tables(mm, start, end);
    return vma_set_remove(&mm->vmas, start);
}

void mm_destroy(struct mm_struct *mm)
{
    if (current_mm == mm) {
        mm_switch(NULL);
    }
    unmap_pages(mm, 0, KERNBASE);
    free_empty_tables(mm, 0, KERNBASE);
    for (size_t i = 0; i < PDX(KERNBASE); i++) {
        if (mm->pgdir[i] & PTE_P) {
            panic("mm_destroy: mm %p: page table %lu survived the teardown", mm,
                  (unsigned long)i);
        }
    }
    vma_set_destroy(&mm->vmas);
    vmpool_free_handles(mm);
    free_page(kva2page(mm->pgdir));
    kfree(mm);
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

/* flags2str - "rwxu"-style string of VM_* flags. */
static const char *flags2str(uint32_t flags)
{
    static char str[5];
    str[0] = (flags & VM_READ) ? 'r' : '-';
    str[1] = (flags & VM_WRITE) ? 'w' : '-';
    str[2] = (flags & VM_EXEC) ? 'x' : '-';
    str[3] = (flags & VM_USER) ? 'u' : 'k';
    str[4] = '\0';
    return str;
}

void print_vma(void)
{
    struct mm_struct *mm = current_mm;
    if (mm == NULL) {
        cprintf("no address space is loaded (boot_pgdir)\n");
        return;
    }
    cprintf("mm %p: pgdir pa %08x, %lu regions, %lu page tables\n", mm,
            PADDR(mm->pgdir), (unsigned long)mm->vmas.n,
            (unsigned long)mm_nr_tables(mm));
    for (size_t i = 0; i < mm->vmas.n; i++) {
        const struct vma_struct *v = &mm->vmas.v[i];
        cprintf("  [%08x, %08x) %s %6lu pages, %lu present\n", v->vm_start,
                v->vm_end, flags2str(v->vm_flags),
                (unsigned long)(v->vm_end - v->vm_start) / PGSIZE,
                (unsigned long)mm_resident(mm, v->vm_start, v->vm_end));
    }
}

void vmm_init(void) { kmap_init(); }
