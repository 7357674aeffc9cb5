/*
 * pmm.c -- physical memory: the Page array built from the e820 map, the
 * front end of the selected pmm_manager, and the page-table layer
 * (get_pte / page_insert / page_remove_pte) the rest of the kernel maps
 * memory with.  Boot self-checks live in pmm_check.c, dumps in pmm_print.c.
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
#include <pmm_guard.h>
#include <pmm_check.h>
#include <kmalloc.h>

#ifndef PMM_MANAGER
#define PMM_MANAGER default_pmm_manager
#endif
extern const struct pmm_manager PMM_MANAGER;

const struct pmm_manager *pmm_manager;
struct Page *pages;
size_t npage;
pde_t *boot_pgdir;
uintptr_t boot_cr3;

/* The e820 map as the boot loader left it. */
struct e820map *const e820 = (struct e820map *)(E820_PADDR + KERNBASE);

static struct taskstate ts;

/* The GDT: flat kernel and user segments, and the TSS (filled in later). */
static struct segdesc gdt[] = {
    SEG_NULL,
    [GD_KTEXT >> 3] = SEG(STA_X | STA_R, 0x0, 0xFFFFFFFF, DPL_KERNEL),
    [GD_KDATA >> 3] = SEG(STA_W, 0x0, 0xFFFFFFFF, DPL_KERNEL),
    [GD_UTEXT >> 3] = SEG(STA_X | STA_R, 0x0, 0xFFFFFFFF, DPL_USER),
    [GD_UDATA >> 3] = SEG(STA_W, 0x0, 0xFFFFFFFF, DPL_USER),
    [GD_TSS >> 3] = SEG_NULL,
};

static struct pseudodesc gdt_pd = {sizeof(gdt) - 1, (uintptr_t)gdt};

/* lgdt_reload - load @pd and reload every segment register from it. */
static void lgdt_reload(struct pseudodesc *pd)
{
    lgdt(pd);
    asm volatile("movw %%ax, %%gs; movw %%ax, %%fs" ::"a"(USER_DS));
    asm volatile("movw %%ax, %%es; movw %%ax, %%ds; movw %%ax, %%ss"
                 ::"a"(KERNEL_DS));
    asm volatile("ljmp %0, $1f\n 1:\n" ::"i"(KERNEL_CS));
}

/* gdt_init - install the kernel's GDT and a TSS whose ring-0 stack is the
 * boot stack (the stack a trap from user mode will switch to). */
static void gdt_init(void)
{
    ts.ts_esp0 = (uintptr_t)bootstacktop;
    ts.ts_ss0 = KERNEL_DS;
    gdt[GD_TSS >> 3] = SEGTSS(STS_T32A, (uintptr_t)&ts, sizeof(ts), DPL_KERNEL);
    lgdt_reload(&gdt_pd);
    ltr(GD_TSS);
}

/* alloc_pages - @n contiguous free pages from the manager, or NULL. */
struct Page *alloc_pages(size_t n)
{
    bool intr_flag;
    pmm_guard_alloc("alloc_pages", n);
    local_intr_save(intr_flag);
    struct Page *page = pmm_manager->alloc_pages(n);
    local_intr_restore(intr_flag);
    return page;
}

/* free_pages - give back [base, base + n); panics on a bad range, a
 * reserved page, or a page that is already free. */
void free_pages(struct Page *base, size_t n)
{
    bool intr_flag;
    pmm_guard_free("free_pages", base, n);
    local_intr_save(intr_flag);
    pmm_manager->free_pages(base, n);
    local_intr_restore(intr_flag);
}

/* nr_free_pages - the number of free pages right now. */
size_t nr_free_pages(void)
{
    bool intr_flag;
    local_intr_save(intr_flag);
    size_t n = pmm_manager->nr_free_pages();
    local_intr_restore(intr_flag);
    return n;
}

/* e820_usable_top - the end of usable RAM, for pages[] (capped at
 * KMEMSIZE); reports RAM above the cap, which this kernel ignores. */
static uint64_t e820_usable_top(void)
{
    uint64_t top = 0, ignored = 0;
    for (int i = 0; i < e820->nr_map; i++) {
        uint64_t begin = e820->map[i].addr, end = begin + e820->map[i].size;
        if (e820->map[i].type != E820_ARM) {
            continue;
        }
        if (end > KMEMSIZE) {
            ignored += end - MAX(begin, (uint64_t)KMEMSIZE);
            end = KMEMSIZE;
        }
        top = MAX(top, end);
    }
    if (ignored > 0) {
        cprintf("pmm: ignoring %llu MiB of RAM above KMEMSIZE (%u MiB)\n",
                ignored >> 20, KMEMSIZE >> 20);
    }
    return top;
}

/* e820_usable - whether physical [begin, end) lies in one usable region. */
static bool e820_usable(uint64_t begin, uint64_t end)
{
    for (int i = 0; i < e820->nr_map; i++) {
        uint64_t rb = e820->map[i].addr, re = rb + e820->map[i].size;
        if (e820->map[i].type == E820_ARM && rb <= begin && end <= re) {
            return true;
        }
    }
    return false;
}

#define MIN_FREE_PAGES 512 /* 2 MiB: page tables of the KERNBASE map + checks */

/* page_array_init - place pages[] right after the kernel image, sized for
 * every frame below the top of usable RAM, all marked reserved; returns the
 * first free physical address after it. */
static uintptr_t page_array_init(uint64_t top)
{
    extern char end[];
    npage = top / PGSIZE;
    pages = (struct Page *)ROUNDUP((uintptr_t)end, PGSIZE);
    uintptr_t array_end = PADDR(pages) + sizeof(struct Page) * npage;
    if (!e820_usable(PADDR(pages), array_end)) {
        panic("pmm: no usable RAM for the Page array at pa [%08x, %08x) "
              "(%lu pages)", PADDR(pages), array_end, (unsigned long)npage);
    }
    for (size_t i = 0; i < npage; i++) {
        pages[i] = (struct Page){.flags = 1u << PG_reserved};
    }
    return ROUNDUP(array_end, PGSIZE);
}

/* page_init - build pages[] from the e820 map and give every usable frame
 * above it to the manager. */
static void page_init(void)
{
    if (e820->error != 0) {
        panic("pmm: the BIOS e820 memory probe failed; there is no memory map");
    }
    uintptr_t freemem = page_array_init(e820_usable_top());
    for (int i = 0; i < e820->nr_map; i++) {
        uint64_t begin = e820->map[i].addr, end = begin + e820->map[i].size;
        if (e820->map[i].type != E820_ARM || end <= freemem || begin >= npage * PGSIZE) {
            continue;
        }
        begin = ROUNDUP(MAX(begin, (uint64_t)freemem), PGSIZE);
        end = ROUNDDOWN(MIN(end, (uint64_t)npage * PGSIZE), PGSIZE);
        if (begin < end) {
            struct Page *base = pa2page(begin);
            size_t n = (end - begin) / PGSIZE;
            for (size_t j = 0; j < n; j++) {
                ClearPageReserved(base + j);
            }
            pmm_manager->init_memmap(base, n);
        }
    }
    if (pmm_manager->nr_free_pages() < MIN_FREE_PAGES) {
        panic("pmm: only %lu KiB of RAM free after the kernel; at least %d KiB "
              "are needed (boot with more memory, e.g. -m 32M)",
              (unsigned long)pmm_manager->nr_free_pages() * 4, MIN_FREE_PAGES * 4);
    }
}

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

/* get_pte - the PTE for linear address @la in @pgdir.  When the page table
 * is missing: with @create, allocate a zeroed one (the PDE gets U/W/P so
 * the PTEs decide the permissions), otherwise return NULL.  Also NULL when
 * the allocation fails. */
pte_t *get_pte(pde_t *pgdir, uintptr_t la, bool create)
{
    pde_t *pdep = &pgdir[PDX(la)];
    if (!(*pdep & PTE_P)) {
        struct Page *page;
        if (!create || (page = alloc_page()) == NULL) {
            return NULL;
        }
        set_page_ref(page, 1);
        uintptr_t pa = page2pa(page);
        memset(KADDR(pa), 0, PGSIZE);
        *pdep = pa | PTE_U | PTE_W | PTE_P;
    }
    if (*pdep & PTE_PS) {
        panic("get_pte: pgdir %p maps %08x with a 4 MiB page", pgdir, la);
    }
    return &((pte_t *)KADDR(PDE_ADDR(*pdep)))[PTX(la)];
}

/* get_page - the Page mapped at @la, or NULL; stores the PTE pointer in
 * *ptep_store when that is not NULL. */
struct Page *get_page(pde_t *pgdir, uintptr_t la, pte_t **ptep_store)
{
    pte_t *ptep = get_pte(pgdir, la, false);
    if (ptep_store != NULL) {
        *ptep_store = ptep;
    }
    if (ptep != NULL && (*ptep & PTE_P)) {
        return pte2page(*ptep);
    }
    return NULL;
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
    }
}

/* page_insert - map @page at the page-aligned @la with @perm | PTE_P.  The
 * page gains a reference; whatever was mapped there before is removed
 * (mapping the same page again only updates the permissions).
 * Returns 0, or -E_NO_MEM when a page table could not be allocated. */
int page_insert(pde_t *pgdir, struct Page *page, uintptr_t la, uint32_t perm)
{
    check_aligned("page_insert", la);
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
    *ptep = page2pa(page) | PTE_P | perm;
    tlb_invalidate(pgdir, la);
    return 0;
}

/* tlb_invalidate - drop the TLB entry for @la, if @pgdir is the page
 * directory the CPU is using (other directories are not cached). */
void tlb_invalidate(pde_t *pgdir, uintptr_t la)
{
    if (rcr3() == PADDR(pgdir)) {
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

/* pmm_init - bring up physical memory: the manager, the Page array, the
 * kernel page directory (direct map and VPT self-map), the GDT, the boot
 * self-checks, and kmalloc on top of the page allocator. */
void pmm_init(void)
{
    pmm_manager = &PMM_MANAGER;
    cprintf("memory management: %s\n", pmm_manager->name);
    pmm_manager->init();
    page_init();
    check_alloc_page();

    boot_pgdir = boot_alloc_page();
    boot_cr3 = PADDR(boot_pgdir);
    check_pgdir();

    static_assert(KERNBASE % PTSIZE == 0 && KERNTOP % PTSIZE == 0);
    boot_pgdir[PDX(VPT)] = PADDR(boot_pgdir) | PTE_P | PTE_W;
    boot_map_segment(boot_pgdir, KERNBASE, KMEMSIZE, 0, PTE_W);

    gdt_init(); /* the new GDT lives at a KERNBASE address */
    lcr3(boot_cr3);

    check_boot_pgdir();
    print_pgdir();

    kmalloc_init();
    check_slab();
}
