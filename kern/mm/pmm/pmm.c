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
#include <pmm_check.h>
#include <pool.h>
#include <kmap.h>
#include <kmalloc.h>

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
    asm volatile(
        "movw %%ax, %%es; movw %%ax, %%ds; movw %%ax, %%ss" ::"a"(KERNEL_DS));
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

/* e820_usable_top - the end of usable RAM below 4 GiB, for pages[];
 * reports the RAM above KMEMSIZE (high memory, which becomes the process
 * pool) and any RAM above 4 GiB, which this kernel cannot address. */
static uint64_t e820_usable_top(void)
{
    const uint64_t limit = (uint64_t)MAXPA_PAGES * PGSIZE;
    uint64_t top = 0, high = 0, ignored = 0;
    for (int i = 0; i < e820->nr_map; i++) {
        uint64_t begin = e820->map[i].addr, end = begin + e820->map[i].size;
        if (e820->map[i].type != E820_ARM) {
            continue;
        }
        if (end > limit) {
            ignored += end - MAX(begin, limit);
            end = limit;
        }
        if (begin >= end) {
            continue;
        }
        if (end > KMEMSIZE) {
            high += end - MAX(begin, (uint64_t)KMEMSIZE);
        }
        top = MAX(top, ROUNDDOWN(end, PGSIZE));
    }
    if (high > 0) {
        cprintf("pmm: %llu MiB of RAM above KMEMSIZE (%u MiB) joins the "
                "process pool as high memory\n",
                high >> 20, KMEMSIZE >> 20);
    }
    if (ignored > 0) {
        cprintf("pmm: ignoring %llu MiB of RAM above 4 GiB (no PAE)\n",
                ignored >> 20);
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

/* page_array_init - place pages[] right after the kernel image, sized for
 * every frame below the top of usable RAM, all marked reserved; returns the
 * first free physical address after it. */
static uintptr_t page_array_init(uint64_t top)
{
    extern char end[];
    if (!e820_usable(0x100000, PADDR(end))) {
        panic("pmm: the kernel image [00100000, %08x) is not in usable RAM "
              "(boot with more memory, e.g. -m 32M)",
              PADDR(end));
    }
    npage = top / PGSIZE;
    pages = (struct Page *)ROUNDUP((uintptr_t)end, PGSIZE);
    uintptr_t array_end = PADDR(pages) + sizeof(struct Page) * npage;
    if (!e820_usable(PADDR(pages), array_end)) {
        panic("pmm: no usable RAM for the Page array at pa [%08x, %08x) "
              "(%lu pages)",
              PADDR(pages), array_end, (unsigned long)npage);
    }
    for (size_t i = 0; i < npage; i++) {
        pages[i] = (struct Page){.flags = 1u << PG_reserved};
    }
    return ROUNDUP(array_end, PGSIZE);
}

/* page_init - build pages[] from the e820 map, split the frames above it
 * between the kernel pool and the process pool, and hand them over. */
static void page_init(void)
{
    if (e820->error != 0) {
        panic("pmm: the BIOS e820 memory probe failed; there is no memory map");
    }
    uint64_t top = e820_usable_top();
    uintptr_t array_end = page_array_init(top);
    uintptr_t freemem = pool_setup(array_end, top);
    if (!e820_usable(array_end, freemem)) {
        panic("pmm: no usable RAM for the frame pools' state at pa [%08x, "
              "%08x)",
              array_end, freemem);
    }
    for (int i = 0; i < e820->nr_map; i++) {
        uint64_t begin = e820->map[i].addr, end = begin + e820->map[i].size;
        if (e820->map[i].type != E820_ARM || end <= freemem || begin >= top) {
            continue;
        }
        begin = ROUNDUP(MAX(begin, (uint64_t)freemem), PGSIZE);
        end = ROUNDDOWN(MIN(end, top), PGSIZE);
        if (begin < end) {
            pool_add_frames(begin / PGSIZE, end / PGSIZE);
        }
    }
    pool_check();
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

/* pmm_init - bring up physical memory: the manager, the Page array, the
 * kernel page directory (direct map and VPT self-map), the GDT, the boot
 * self-checks, and kmalloc on top of the page allocator. */
void pmm_init(void)
{
    cprintf("memory management: %s\n", pmm_manager->name);
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
