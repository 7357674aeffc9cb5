/*
 * vmm.c -- address spaces.  An mm_struct is a page directory plus a
 * sorted array of regions and the claims of its clients (mm_region.c).
 * A region promises memory without taking any: its pages come into
 * existence one by one in do_pgfault (pgfault.c), as zeroed frames of the
 * process pool, and leave again in mm_unmap or mm_destroy (through
 * mm_unmap_range, mm_pgtable.c).  This file creates, loads and destroys
 * address spaces; it knows nothing of the clients that claim ranges in
 * them (VMPools): mm_destroy releases their claims through the claims'
 * own callbacks.
 */
#include <defs.h>
#include <x86.h>
#include <string.h>
#include <stdio.h>
#include <pmm.h>
#include <kmap.h>
#include <kmalloc.h>
#include <vmm.h>

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
    mm_regions_init(mm);
    mm->mm_count = 0;
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

void mm_destroy(struct mm_struct *mm)
{
    if (current_mm == mm) {
        mm_switch(NULL);
    }
    mm_unmap_range(mm, 0, KERNBASE);
    for (size_t i = 0; i < PDX(KERNBASE); i++) {
        if (mm->pgdir[i] & PTE_P) {
            panic("mm_destroy: mm %p: page table %lu survived the teardown", mm,
                  (unsigned long)i);
        }
    }
    mm_regions_destroy(mm);
    free_page(kva2page(mm->pgdir));
    kfree(mm);
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

void vmm_init(void) { kmap_init(boot_pgdir); }
