/*
 * memmap.c -- what RAM there is: the BIOS e820 map the boot loader left
 * behind and the Page array (one struct Page per frame below the top of
 * usable RAM) built from it.  The bottom of physical memory management:
 * it allocates nothing and calls nothing above it.
 */
#include <defs.h>
#include <stdio.h>
#include <memmap.h>

struct Page *pages;
size_t npage;
size_t npage_direct = KMEMSIZE / PGSIZE; /* set by the pools (pool.c) */

/* The e820 map as the boot loader left it. */
struct e820map *const e820 = (struct e820map *)(E820_PADDR + KERNBASE);

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
bool e820_usable(uint64_t begin, uint64_t end)
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

/* page_init - build pages[] from the e820 map, every frame reserved;
 * returns the first free physical address after the array and stores the
 * end of usable RAM below 4 GiB in *@top.  Panics when there is no map. */
uintptr_t page_init(uint64_t *top)
{
    if (e820->error != 0) {
        panic("pmm: the BIOS e820 memory probe failed; there is no memory map");
    }
    *top = e820_usable_top();
    return page_array_init(*top);
}
