/*
 * vmm_check.c -- boot self-checks of address spaces, regions and page
 * faults (the VMPool checks are in vmpool_check.c).  Each asserts real
 * properties -- order, lookups at every boundary, fault counts, where
 * frames and page tables come from, how they are reached -- ends with
 * every frame of both pools back, and prints one fixed line.
 */
#include <defs.h>
#include <x86.h>
#include <error.h>
#include <stdio.h>
#include <pmm.h>
#include <pool.h>
#include <kmap.h>
#include <kmalloc.h>
#include <vmm.h>
#include <vmpool.h>
#include <vm_probe.h>
#include <mem_snap.h>
#include <frame_hold.h>
#include <vmm_check.h>

#define NR_CHECK_VMAS 600 /* more than one page of vma_structs */

static uintptr_t vstart(size_t i) { return (2 * i + 1) * PGSIZE; }

/* check_lookups - region i of the set is [vstart(i), +1 page), found at
 * both of its ends and not in the gaps around it. */
static void check_lookups(struct mm_struct *mm, size_t step)
{
    vma_set_check(&mm->vmas);
    for (size_t i = 0, k = 0; i < NR_CHECK_VMAS; i += step, k++) {
        struct vma_struct *v = &mm->vmas.v[k];
        assert(v->vm_start == vstart(i) && v->vm_end == vstart(i) + PGSIZE);
        assert(find_vma(mm, vstart(i)) == v);
        assert(find_vma(mm, vstart(i) + PGSIZE - 1) == v);
        assert(find_vma(mm, vstart(i) - 1) == NULL);
        assert(find_vma(mm, vstart(i) + PGSIZE) == NULL);
    }
    assert(find_vma(mm, 0) == NULL && find_vma(mm, KERNBASE - 1) == NULL);
}

/* check_vma_struct - regions inserted in a scrambled order come out sorted
 * and are found at every boundary; overlaps are refused; removal keeps
 * the order; nothing leaks. */
static void check_vma_struct(void)
{
    struct mem_snap s0 = snap_take();
    struct mm_struct *mm = mm_create();
    assert(mm != NULL);
    for (size_t j = 0; j < NR_CHECK_VMAS; j++) {
        size_t i = j * 7919 % NR_CHECK_VMAS; /* 7919 is prime: a permutation */
        assert(mm_map(mm, vstart(i), PGSIZE, VM_READ) == 0);
    }
    assert(mm->vmas.n == NR_CHECK_VMAS && mm->vmas.store_pages > 1);
    check_lookups(mm, 1);
    assert(mm_map(mm, vstart(3), PGSIZE, VM_READ) == -E_INVAL);
    assert(mm_map(mm, vstart(3) - PGSIZE, 2 * PGSIZE, VM_READ) == -E_INVAL);
    assert(mm_map(mm, vstart(3) + PGSIZE, 2 * PGSIZE, VM_READ) == -E_INVAL);
    assert(mm_map(mm, 0x1001, PGSIZE, VM_READ) == -E_INVAL);
    assert(mm_unmap(mm, vstart(3) + 1) == -E_INVAL);
    for (size_t i = 1; i < NR_CHECK_VMAS; i += 2) {
        assert(mm_unmap(mm, vstart(i)) == 0);
    }
    assert(mm->vmas.n == NR_CHECK_VMAS / 2);
    check_lookups(mm, 2);
    mm_destroy(mm);
    snap_assert("check_vma_struct", &s0);
    cprintf("check_vma_struct() succeeded!\n");
}

/* check_write_fault - a write at 0x100 of a writable region: one fault, one
 * zero-filled frame (and its page table) from the process pool, data
 * read back, kernel-only writable PTE. */
static void check_write_fault(struct mm_struct *mm)
{
    size_t pfree = pool_nr_free(&proc_pool);
    struct vmm_stats st = vmm_stats;
    volatile char *p = (volatile char *)(uintptr_t)0x100;
    int sum = 0;
    for (int i = 0; i < 100; i++) {
        p[i] = i;
        sum += i;
    }
    assert(vmm_stats.faults == st.faults + 1);
    assert(vmm_stats.zero_fill == st.zero_fill + 1);
    for (int i = 0; i < 100; i++) {
        sum -= p[i];
    }
    assert(sum == 0 && p[-1] == 0 && p[100] == 0);
    assert(pool_nr_free(&proc_pool) == pfree - 2);
    pte_t *ptep = get_pte(mm->pgdir, 0, false);
    assert(ptep != NULL && (*ptep & PTE_P) && (*ptep & PTE_W));
    assert(!(*ptep & PTE_U) && page2pool(pte2page(*ptep)) == &proc_pool);
    put_pte(ptep);
}

/* Frames check_pgfault may use: 3 pages, 2 tables, spare. */
#define PGFAULT_FRAMES 8

/* check_pgfault - lazily allocated pages and segmentation faults in an
 * address space with a writable region at 0, a read-only page above it
 * and an execute-only page above that (readable: i386 has no NX).  Only
 * frames filled with junk are free in the process pool meanwhile, so
 * each "reads as zero" sees the zero-fill (and the new page tables). */
static void check_pgfault(void)
{
    struct mem_snap s0 = snap_take();
    struct mm_struct *mm = mm_create();
    assert(mm != NULL);
    struct frame_hold h;
    hold_all(&h, &proc_pool);
    for (int i = 0; i < PGFAULT_FRAMES; i++) {
        hold_lend_dirty(&h, hold_lowest(&h) + i);
    }
    assert(mm_map(mm, 0, PTSIZE, VM_READ | VM_WRITE) == 0);
    assert(mm_map(mm, PTSIZE, PGSIZE, VM_READ) == 0);
    assert(mm_map(mm, PTSIZE + 2 * PGSIZE, PGSIZE, VM_EXEC) == 0);
    mm_switch(mm);
    check_write_fault(mm);

    struct vmm_stats st = vmm_stats;
    uint32_t v = 1;
    assert(vm_probe_read(PTSIZE, &v) == 0 && v == 0); /* read-only zero page */
    assert(vm_probe_write(PTSIZE, 2) == -E_FAULT);    /* protection fault */
    assert(vm_probe_write(PTSIZE + PGSIZE, 3) == -E_FAULT); /* no region */
    assert(vm_probe_read(PTSIZE, &v) == 0 && v == 0);
    v = 1;
    assert(vm_probe_read(PTSIZE + 2 * PGSIZE, &v) == 0 && v == 0); /* x */
    assert(vm_probe_write(PTSIZE + 2 * PGSIZE, 4) == -E_FAULT);
    assert(vmm_stats.faults == st.faults + 5 && vmm_stats.segv == st.segv + 3);
    assert(vmm_stats.prot_faults == st.prot_faults + 2);
    assert(vmm_stats.zero_fill == st.zero_fill + 2);

    mm_switch(NULL);
    mm_destroy(mm);
    hold_release(&h);
    snap_assert("check_pgfault", &s0);
    cprintf("check_pgfault() succeeded!\n");
}

#define MM_POOL_BASE 0x40000000
#define MM_POOL_SIZE (1u << 20)
#define MM_REGION    (4 * PGSIZE)

/* fill_or_verify - write (@write) or check the word pattern @tag in every
 * page of the region at @r of the loaded address space. */
static void fill_or_verify(uintptr_t r, uint32_t tag, bool write)
{
    for (uintptr_t a = r; a < r + MM_REGION; a += PGSIZE) {
        volatile uint32_t *w = (volatile uint32_t *)a;
        if (write) {
            *w = tag ^ a;
        } else {
            assert(*w == (tag ^ a));
        }
    }
}

/* setup_space - in @mm (loaded here), a pool at MM_POOL_BASE and one
 * region filled with @tag; returns the region. */
static uintptr_t setup_space(struct mm_struct *mm, uint32_t tag)
{
    mm_switch(mm);
    struct vmpool *pool =
        vmpool_create(mm, MM_POOL_BASE, MM_POOL_SIZE, VM_READ | VM_WRITE);
    assert(pool != NULL);
    uintptr_t r = vmpool_alloc(pool, MM_REGION);
    assert(r == MM_POOL_BASE + VMPOOL_META_PAGES * PGSIZE);
    fill_or_verify(r, tag, true);
    return r;
}

/* check_table_placement - @mm's page table for @la is a process-pool frame
 * (high memory when the pool is all high memory, as it is by default on
 * a machine that has some), and so is the frame mapped at @la. */
static void check_table_placement(struct mm_struct *mm, uintptr_t la)
{
    struct Page *pt = pde2page(mm->pgdir[PDX(la)]);
    assert(page2pool(pt) == &proc_pool && page2ppn(pt) >= npage_direct);
    struct Page *frame = get_page(mm->pgdir, la, NULL);
    assert(frame != NULL && page2pool(frame) == &proc_pool);
    if (proc_pool.nr_high > 0 && proc_pool.nr_high == proc_pool.nr_managed) {
        assert(page2pa(pt) >= KMEMSIZE && page2pa(frame) >= KMEMSIZE);
    }
}

/* check_mm - two address spaces with a pool at the same addresses keep
 * their own data across switches; their page tables live in the process
 * pool and are reached through VPT (loaded) or kmap (not loaded). */
static void check_mm(void)
{
    struct mem_snap s0 = snap_take();
    struct mm_struct *a = mm_create(), *b = mm_create();
    assert(a != NULL && b != NULL && a->pgdir != b->pgdir);
    uintptr_t ra = setup_space(a, 0xaaaa0000), rb = setup_space(b, 0xbbbb0000);
    assert(ra == rb);
    for (int round = 0; round < 3; round++) {
        mm_switch(a);
        fill_or_verify(ra, 0xaaaa0000, false);
        mm_switch(b);
        fill_or_verify(rb, 0xbbbb0000, false);
    }
    check_table_placement(a, ra);
    check_table_placement(b, rb);

    pte_t *pa = get_pte(a->pgdir, ra, false),
          *pb = get_pte(b->pgdir, rb, false);
    assert(kmap_holds(pa) && kmap_live() == s0.kmaps + 1); /* a: not loaded */
    assert((uintptr_t)pb >= VPT && (uintptr_t)pb < VPT + PTSIZE); /* b: VPT */
    assert((*pa & PTE_P) && (*pb & PTE_P) && PTE_ADDR(*pa) != PTE_ADDR(*pb));
    put_pte(pa);
    put_pte(pb);

    mm_destroy(a); /* not loaded: its tables are walked through kmap */
    mm_destroy(b); /* loaded: switched out first */
    assert(current_mm == NULL && rcr3() == boot_cr3);
    snap_assert("check_mm", &s0);
    cprintf("check_mm() succeeded!\n");
}

/* settle_kmalloc - kmalloc keeps one empty slab per size class once the
 * class has been used.  Use the classes of mm_struct and of VMPool handles
 * once before the checks, so the snapshot each check starts with already
 * counts those slabs and a first mm_create is not taken for a leak. */
static void settle_kmalloc(void)
{
    kfree(kmalloc(sizeof(struct mm_struct)));
    kfree(kmalloc(vmpool_handle_size()));
}

void vmm_check_all(void)
{
    settle_kmalloc();
    check_vma_struct();
    check_pgfault();
    check_pgtable();
    check_vmpool();
    check_mm();
    cprintf("check_vmm() succeeded.\n");
}
