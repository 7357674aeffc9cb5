/* memmap.h -- the e820 map and the Page array built from it (memmap.c). */
#ifndef KERN_MM_MEMMAP_H
#define KERN_MM_MEMMAP_H

#include <defs.h>
#include <mmu.h>
#include <memlayout.h>
#include <assert.h>
#include <stdio.h>

/* The e820 map as the boot loader left it at E820_PADDR (defined in pmm.c,
 * which hands it to page_init; print_e820 shows it as it is). */
extern struct e820map *const e820;
extern struct Page *pages;  /* the Page array: one per frame */
extern size_t npage;        /* entries in pages[] */
extern size_t npage_direct; /* frames below it are direct-mapped (KADDR);
                               the process pool starts there (pool.c) */

/*
 * struct ram_map - the usable RAM of the e820 map, sanitized
 * (e820_sanitize): whole frames, sorted, disjoint and not touching, none
 * overlapping a range the BIOS reported as anything but usable.  Ranges
 * above 4 GiB are kept (and ignored by the Page array).  Every user of
 * the memory map but print_e820 reads this one.
 */
struct ram_map {
    int nr;
    struct ram_range {
        uint64_t begin, end; /* physical [begin, end) */
    } range[E820MAX];
};
extern struct ram_map ram_map;

/* e820_sanitize - fill @out with the usable RAM of @raw (its nr_map
 * entries, in any order, overlapping or not; zero-length entries ignored;
 * reserved wins an overlap; adjacent usable entries joined). */
void e820_sanitize(const struct e820map *raw, struct ram_map *out);

/* page_init - sanitize @raw into ram_map and build pages[] (npage
 * entries, all PageReserved) right after the kernel image, which ends at
 * kernel virtual address @kern_end; returns the first free physical
 * address after the array, and the end of usable RAM below 4 GiB in
 * *@top.  Panics when the probe failed (@raw->error), or when the kernel
 * image or the array is not in usable RAM. */
uintptr_t page_init(const struct e820map *raw, uintptr_t kern_end,
                    uint64_t *top);

/* e820_usable - whether physical [@begin, @end) lies in usable RAM (one
 * range of ram_map). */
bool e820_usable(uint64_t begin, uint64_t end);

/* ram_frames - how many frames of [@begin, @end) are usable RAM. */
size_t ram_frames(ppn_t begin, ppn_t end);

/* ram_frames_below - the highest frame number p such that [p, @end)
 * holds @n usable frames (0 when fewer than @n lie below @end). */
ppn_t ram_frames_below(ppn_t end, size_t n);

/* mem_size - @bytes as text, in MiB from 1 MiB up (and 0) and in KiB below, so
 * a size that is not zero never prints as 0: cprintf("%s", mem_size(b).s). */
struct mem_size_text {
    char s[24];
};
static inline struct mem_size_text mem_size(uint64_t bytes)
{
    struct mem_size_text t;
    bool mib = bytes >= (1u << 20) || bytes == 0;
    snprintf(t.s, sizeof(t.s), "%llu %s",
             (unsigned long long)(mib ? bytes >> 20 : bytes >> 10),
             mib ? "MiB" : "KiB");
    return t;
}

/* page_in_array - whether @page is an element of pages[] (inside it, and
 * on an element boundary). */
static inline bool page_in_array(const struct Page *page)
{
    uintptr_t off = (uintptr_t)page - (uintptr_t)pages;
    return page >= pages && page < pages + npage &&
           off % sizeof(struct Page) == 0;
}

/* page2ppn - the physical page number of @page; panics if @page is not an
 * element of pages[]. */
static inline ppn_t page2ppn(struct Page *page)
{
    if (!page_in_array(page)) {
        panic("page2ppn: %p is not an element of the Page array [%p, %p)", page,
              pages, pages + npage);
    }
    return page - pages;
}

/* page2pa - the physical address of @page's frame. */
static inline uintptr_t page2pa(struct Page *page)
{
    return page2ppn(page) << PGSHIFT;
}

/* pa2page - the Page of physical address @pa; panics past the last frame. */
static inline struct Page *pa2page(uintptr_t pa)
{
    if (PPN(pa) >= npage) {
        panic("pa2page: pa %08lx is past the last managed frame (npage %lu)",
              (unsigned long)pa, (unsigned long)npage);
    }
    return &pages[PPN(pa)];
}

/* PADDR - the physical address of a kernel virtual address in the direct
 * map [KERNBASE, KERNTOP); panics on any other address. */
#define PADDR(kva) __paddr(__FILE__, __LINE__, (const void *)(kva))
static inline uintptr_t __paddr(const char *file, int line, const void *kva)
{
    uintptr_t a = (uintptr_t)kva;
    if (a < KERNBASE || a >= KERNTOP) {
        __panic(file, line, "PADDR: %p is outside the direct map [%08x, %08x)",
                kva, KERNBASE, KERNTOP);
    }
    return a - KERNBASE;
}

/* KADDR - the direct-map kernel virtual address of physical address @pa;
 * panics when @pa is past the last managed frame, or is a process-pool
 * frame (those are reached with kmap, never through the direct map). */
#define KADDR(pa) __kaddr(__FILE__, __LINE__, (uintptr_t)(pa))
static inline void *__kaddr(const char *file, int line, uintptr_t pa)
{
    if (pa >= KMEMSIZE || PPN(pa) >= npage) {
        __panic(file, line, "KADDR: pa %08lx is outside managed memory",
                (unsigned long)pa);
    }
    if (PPN(pa) >= npage_direct) {
        __panic(file, line,
                "KADDR: pa %08lx is a process-pool frame, not "
                "direct-mapped (use kmap)",
                (unsigned long)pa);
    }
    return (void *)(pa + KERNBASE);
}

static inline void *page2kva(struct Page *page) { return KADDR(page2pa(page)); }

static inline struct Page *kva2page(void *kva) { return pa2page(PADDR(kva)); }

/* pte2page - the Page a present PTE points to. */
static inline struct Page *pte2page(pte_t pte)
{
    if (!(pte & PTE_P)) {
        panic("pte2page: pte %08lx is not present", (unsigned long)pte);
    }
    return pa2page(PTE_ADDR(pte));
}

static inline struct Page *pde2page(pde_t pde)
{
    return pa2page(PDE_ADDR(pde));
}

static inline int page_ref(struct Page *page) { return page->ref; }
static inline void set_page_ref(struct Page *page, int val) { page->ref = val; }
static inline int page_ref_inc(struct Page *page) { return ++page->ref; }
static inline int page_ref_dec(struct Page *page) { return --page->ref; }

#endif /* !KERN_MM_MEMMAP_H */
