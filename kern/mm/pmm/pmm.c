/*
 * pmm.c -- pmm_init and the page-table layer (get_pte / page_insert /
 * page_remove_pte) the rest of the kernel maps memory with.  The Page
 * array is memmap.c's, the frame pools and the alloc_pages front ends are
 * pool.c's; boot self-checks live in kern/mm/check, dumps in pmm_print.c.
 */
#include <defs.h>
#include <x86.h>
#include <mmu.h>
#include <memlayout.h>
#include <error.h>
#include <string.h>
#include <stdio.h>
#include <sync.h>
#include <pmm.h>
#include <pool.h>
#include <kmap.h>
#include <memmap.h>

pde_t *boot_pgdir;
uintptr_t boot_cr3;

/* The e820 map as the boot loader left it (boot/bootasm.S). */
struct e820map *const e820 = (struct e820map *)(E820_PADDR + KERNBASE);

/* boot_alloc_page - a zeroed page for the boot page tables; panics when
 * memory is exhausted (nothing at boot can recover from that). */
static void *boot_alloc_page(void)
{
    struct Page *p = alloc_page();
    if (p == NULL) {
        panic("boot_alloc_page: out of memory");
    }
    return memset(page2kva(p), 0, PGSIZE);
}

/* check_aligned - panic unless @la is page aligned. */
static void check_aligned(const char *fn, uintptr_t la)
{
    if (PGOFF(la) != 0) {
        panic("%s: linear address %08x is not page aligned", fn, la);
    }
}

/* pgdir_loaded - whether @pgdir is the directory in CR3. */
static bool pgdir_loaded(pde_t *pgdir) { return rcr3() == PADDR(pgdir); }

/* pt_new - install a zeroed page table for @la in @pgdir: from the kernel
 * pool for boot_pgdir (the kernel's own tables), from the process pool for
 * an address space.  The PDE gets U/W/P so the PTEs decide the permissions.
 * Returns false when no frame is left. */
static bool pt_new(pde_t *pgdir, uintptr_t la)
{
    if (la >= KERNBASE && pgdir != boot_pgdir) {
        panic("get_pte: no page table for kernel address %08x in pgdir %p: "
              "the kernel half is shared and fixed at boot",
              la, pgdir);
    }
    if (la >= KERNBASE && kmap_ready()) {
        panic("get_pte: no page table for kernel address %08x in boot_pgdir: "
              "after kmap_init address spaces share copies of the kernel "
              "half, which would miss a new table",
              la);
    }
    struct Page *page = pgdir == boot_pgdir ? alloc_page() : proc_alloc_page();
    if (page == NULL) {
        return false;
    }
    set_page_ref(page, 1);
    frame_zero(page);
    pgdir[PDX(la)] = page2pa(page) | PTE_U | PTE_W | PTE_P;
    if (pgdir_loaded(pgdir)) {
        invlpg((void *)(VPT + PDX(la) * PGSIZE));
    }
    return true;
}

/* pt_map - a pointer to the present page table for @la in @pgdir: the
 * direct map for a kernel-pool table, the VPT window when @pgdir is
 * loaded, a kmap slot otherwise (released by put_pte). */
static pte_t *pt_map(pde_t *pgdir, uintptr_t la)
{
    uintptr_t pa = PDE_ADDR(pgdir[PDX(la)]);
    if (PPN(pa) < npage_direct) {
        return KADDR(pa);
    }
    if (pgdir_loaded(pgdir)) {
        return (pte_t *)(VPT + PDX(la) * PGSIZE);
    }
    return kmap(pa2page(pa));
}

/* get_pte - the PTE for linear address @la in @pgdir.  When the page table
 * is missing: with @create, allocate a zeroed one, otherwise return NULL.
 * Also NULL when the allocation fails.  The pointer may lie in a kmap slot
 * (a page table in the process pool of a directory that is not loaded):
 * give it back with put_pte when done. */
pte_t *get_pte(pde_t *pgdir, uintptr_t la, bool create)
{
    pde_t *pdep = &pgdir[PDX(la)];
    if (!(*pdep & PTE_P) && (!create || !pt_new(pgdir, la))) {
        return NULL;
    }
    if (*pdep & PTE_PS) {
        panic("get_pte: pgdir %p maps %08x with a 4 MiB page", pgdir, la);
    }
    return &pt_map(pgdir, la)[PTX(la)];
}

/* put_pte - release a pointer get_pte returned (NULL is fine): a no-op
 * unless it lies in a kmap slot. */
void put_pte(pte_t *ptep)
{
    if (ptep != NULL && kmap_holds(ptep)) {
        kunmap((void *)ROUNDDOWN((uintptr_t)ptep, PGSIZE));
    }
}

/* get_page - the Page mapped at @la, or NULL.  With @ptep_store, stores the
 * PTE pointer there and the caller owes a put_pte; without, none. */
struct Page *get_page(pde_t *pgdir, uintptr_t la, pte_t **ptep_store)
{
    pte_t *ptep = get_pte(pgdir, la, false);
    struct Page *page =
        (ptep != NULL && (*ptep & PTE_P)) ? pte2page(*ptep) : NULL;
    if (ptep_store != NULL) {
        *ptep_store = ptep;
    } else {
        put_pte(ptep);
    }
    return page;
}

/* page_remove_pte - unmap the page *@ptep maps at @la: drop its reference
 * (freeing it at zero), clear the PTE and flush the TLB entry. */
void page_remove_pte(pde_t *pgdir, uintptr_t la, pte_t *ptep)
{
    if (!(*ptep & PTE_P)) {
        return;
    }
    struct Page *page = pte2page(*ptep);
    if (page_ref(page) <= 0) {
        panic("page_remove_pte: page %p at %08x has reference count %d", page,
              la, page_ref(page));
    }
    if (page_ref_dec(page) == 0) {
        free_page(page);
    }
    *ptep = 0;
    tlb_invalidate(pgdir, la);
}

/* page_remove - unmap whatever is mapped at the page-aligned @la. */
void page_remove(pde_t *pgdir, uintptr_t la)
{
    check_aligned("page_remove", la);
    pte_t *ptep = get_pte(pgdir, la, false);
    if (ptep != NULL) {
        page_remove_pte(pgdir, la, ptep);
        put_pte(ptep);
    }
}

/* page_insert - map @page at the page-aligned @la with @perm | PTE_P.  The
 * page gains a reference; whatever was mapped there before is removed
 * (mapping the same page again only updates the permissions).
 * Returns 0, or -E_NO_MEM when a page table could not be allocated. */
int page_insert(pde_t *pgdir, struct Page *page, uintptr_t la, uint32_t perm)
{
    check_aligned("page_insert", la);
    uintptr_t pa = page2pa(page); /* panics on a bad page before any change */
    pte_t *ptep = get_pte(pgdir, la, true);
    if (ptep == NULL) {
        return -E_NO_MEM;
    }
    page_ref_inc(page);
    if (*ptep & PTE_P) {
        if (pte2page(*ptep) == page) {
            page_ref_dec(page);
        } else {
            page_remove_pte(pgdir, la, ptep);
        }
    }
    *ptep = pa | PTE_P | perm;
    tlb_invalidate(pgdir, la);
    put_pte(ptep);
    return 0;
}

/* tlb_invalidate - drop the TLB entry for @la, if @pgdir is the page
 * directory the CPU is using (other directories are not cached). */
void tlb_invalidate(pde_t *pgdir, uintptr_t la)
{
    if (pgdir_loaded(pgdir)) {
        invlpg((void *)la);
    }
}

/* boot_map_segment - map [la, la + size) to [pa, pa + size) in @pgdir with
 * @perm; both addresses page aligned. */
static void boot_map_segment(pde_t *pgdir, uintptr_t la, size_t size,
                             uintptr_t pa, uint32_t perm)
{
    assert(PGOFF(la) == 0 && PGOFF(pa) == 0);
    for (size_t off = 0; off < size; off += PGSIZE) {
        pte_t *ptep = get_pte(pgdir, la + off, true);
        if (ptep == NULL) {
            panic("boot_map_segment: out of memory at %08x", la + off);
        }
        *ptep = (pa + off) | PTE_P | perm;
    }
}

/* pmm_init - bring up physical memory: the Page array and the two frame
 * pools, then the kernel's page directory -- the direct map of [KERNBASE,
 * KERNTOP) and the VPT self-map -- loaded into CR3.  Nothing is checked
 * here: kern_init runs the boot self-checks after it. */
void pmm_init(void)
{
    cprintf("memory management: %s\n", pmm_manager->name);
    extern char end[]; /* the end of the kernel image (tools/kernel.ld) */
    uint64_t top;
    uintptr_t array_end = page_init(e820, (uintptr_t)end, &top);
    pool_init(array_end, top);

    boot_pgdir = boot_alloc_page();
    boot_cr3 = PADDR(boot_pgdir);
    static_assert(KERNBASE % PTSIZE == 0 && KERNTOP % PTSIZE == 0);
    boot_pgdir[PDX(VPT)] = PADDR(boot_pgdir) | PTE_P | PTE_W;
    boot_map_segment(boot_pgdir, KERNBASE, KMEMSIZE, 0, PTE_W);
    lcr3(boot_cr3);
}
