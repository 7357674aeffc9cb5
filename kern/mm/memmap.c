/*
 * memmap.c -- what RAM there is: the BIOS e820 map the boot loader left
 * behind, sanitized into the map of usable RAM the rest of the kernel uses
 * (ram_map), and the Page array (one struct Page per frame below the top
 * of usable RAM) built from it.  The bottom of physical memory management:
 * it allocates nothing and calls nothing above it.  It never reads the
 * boot loader's hand-off itself: pmm_init passes the raw map and the end
 * of the kernel image, so this file compiles unchanged on the host
 * (tests/e820/).
 */
#include <defs.h>
#include <stdio.h>
#include <string.h>
#include <memmap.h>

struct Page *pages;
size_t npage;
size_t npage_direct = KMEMSIZE / PGSIZE; /* set by the pools (pool.c) */
struct ram_map ram_map;

/* No x86 physical address reaches 2^52; clipping there keeps every end
 * and every rounding below 2^64. */
#define PA_LIMIT (1ull << 52)

/* ram_insert - open a slot at @i and put [@begin, @end) there.  The
 * sanitized map never holds more ranges than the raw map has entries
 * (each entry adds at most one range), so a full map is a bug here. */
static void ram_insert(struct ram_map *m, int i, uint64_t begin, uint64_t end)
{
    if (m->nr >= E820MAX) {
        panic("e820_sanitize: more than %d usable ranges", E820MAX);
    }
    memmove(&m->range[i + 1], &m->range[i], (m->nr - i) * sizeof(m->range[0]));
    m->range[i] = (struct ram_range){begin, end};
    m->nr++;
}

/* ram_delete - drop the ranges [@i, @j) of @m. */
static void ram_delete(struct ram_map *m, int i, int j)
{
    memmove(&m->range[i], &m->range[j], (m->nr - j) * sizeof(m->range[0]));
    m->nr -= j - i;
}

/* ram_add - add usable [@begin, @end) to @m, joined with every range it
 * overlaps or touches, so @m stays sorted, disjoint and not touching. */
static void ram_add(struct ram_map *m, uint64_t begin, uint64_t end)
{
    int i = 0, j;
    while (i < m->nr && m->range[i].end < begin) {
        i++;
    }
    for (j = i; j < m->nr && m->range[j].begin <= end; j++) {
        begin = MIN(begin, m->range[j].begin);
        end = MAX(end, m->range[j].end);
    }
    ram_delete(m, i, j);
    ram_insert(m, i, begin, end);
}

/* ram_remove - take [@begin, @end) (reserved by the BIOS) out of @m:
 * ranges inside it go, ranges across one end are cut, a range around it
 * is split in two. */
static void ram_remove(struct ram_map *m, uint64_t begin, uint64_t end)
{
    for (int i = 0; i < m->nr; i++) {
        struct ram_range *r = &m->range[i];
        if (r->end <= begin || r->begin >= end) {
            continue;
        }
        if (r->begin < begin && r->end > end) {
            ram_insert(m, i + 1, end, r->end);
            m->range[i].end = begin;
            return;
        }
        if (r->begin < begin) {
            r->end = begin;
        } else if (r->end > end) {
            r->begin = end;
        } else {
            ram_delete(m, i, i + 1);
            i--;
        }
    }
}

/* ram_align - shrink every range of @m to whole frames, dropping the ones
 * left empty (a frame is usable only if all of it is). */
static void ram_align(struct ram_map *m)
{
    for (int i = 0; i < m->nr; i++) {
        m->range[i].begin = ROUNDUP(m->range[i].begin, PGSIZE);
        m->range[i].end = ROUNDDOWN(m->range[i].end, PGSIZE);
        if (m->range[i].begin >= m->range[i].end) {
            ram_delete(m, i, i + 1);
            i--;
        }
    }
}

/* e820_sanitize - the usable RAM of @raw: its first nr_map (at most
 * E820MAX) entries in any order, zero-length ones ignored, usable entries
 * that overlap or touch joined, every other type (reserved, ACPI, bad)
 * winning over usable where they overlap, the result cut to whole frames.
 * @out gets sorted, disjoint, non-touching, non-empty ranges. */
void e820_sanitize(const struct e820map *raw, struct ram_map *out)
{
    int n = MIN(MAX(raw->nr_map, 0), E820MAX);
    out->nr = 0;
    for (int pass = 0; pass < 2; pass++) {
        for (int i = 0; i < n; i++) {
            uint64_t begin = MIN(raw->map[i].addr, PA_LIMIT);
            uint64_t end = begin + MIN(raw->map[i].size, PA_LIMIT - begin);
            bool usable = raw->map[i].type == E820_ARM;
            if (begin == end) {
                continue;
            }
            if (pass == 0 && usable) {
                ram_add(out, begin, end);
            } else if (pass == 1 && !usable) {
                ram_remove(out, begin, end);
            }
        }
    }
    ram_align(out);
}

/* ram_usable_top - the end of usable RAM below 4 GiB, for pages[];
 * reports the RAM above KMEMSIZE (high memory, which becomes the process
 * pool) and any RAM above 4 GiB, which this kernel cannot address. */
static uint64_t ram_usable_top(void)
{
    const uint64_t limit = (uint64_t)MAXPA_PAGES * PGSIZE;
    uint64_t top = 0, high = 0, ignored = 0;
    for (int i = 0; i < ram_map.nr; i++) {
        uint64_t begin = ram_map.range[i].begin, end = ram_map.range[i].end;
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
        top = end;
    }
    if (high > 0) {
        cprintf("pmm: %s of RAM above KMEMSIZE (%u MiB) joins the process "
                "pool as high memory\n",
                mem_size(high).s, KMEMSIZE >> 20);
    }
    if (ignored > 0) {
        cprintf("pmm: ignoring %s of RAM above 4 GiB (no PAE)\n",
                mem_size(ignored).s);
    }
    return top;
}

/* e820_usable - whether physical [begin, end) lies in usable RAM (one
 * range of the sanitized map: adjacent usable entries count as one). */
bool e820_usable(uint64_t begin, uint64_t end)
{
    for (int i = 0; i < ram_map.nr; i++) {
        if (ram_map.range[i].begin <= begin && end <= ram_map.range[i].end) {
            return true;
        }
    }
    return false;
}

size_t ram_frames(ppn_t begin, ppn_t end)
{
    size_t n = 0;
    for (int i = 0; i < ram_map.nr; i++) {
        uint64_t b = MAX(ram_map.range[i].begin / PGSIZE, (uint64_t)begin);
        uint64_t e = MIN(ram_map.range[i].end / PGSIZE, (uint64_t)end);
        n += b < e ? e - b : 0;
    }
    return n;
}

ppn_t ram_frames_below(ppn_t end, size_t n)
{
    for (int i = ram_map.nr - 1; i >= 0 && n > 0; i--) {
        uint64_t b = ram_map.range[i].begin / PGSIZE;
        uint64_t e = MIN(ram_map.range[i].end / PGSIZE, (uint64_t)end);
        if (b >= e) {
            continue;
        }
        if (e - b >= n) {
            return e - n;
        }
        n -= e - b;
        end = b;
    }
    return n > 0 ? 0 : end;
}

/* page_array_init - place pages[] right after the kernel image (which
 * ends at the kernel virtual address @kern_end), sized for every frame
 * below the top of usable RAM, all marked reserved; returns the first
 * free physical address after it. */
static uintptr_t page_array_init(uintptr_t kern_end, uint64_t top)
{
    if (!e820_usable(0x100000, PADDR(kern_end))) {
        panic("pmm: the kernel image [00100000, %08x) is not in usable RAM "
              "(boot with more memory, e.g. -m 32M)",
              PADDR(kern_end));
    }
    npage = top / PGSIZE;
    pages = (struct Page *)ROUNDUP(kern_end, PGSIZE);
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

uintptr_t page_init(const struct e820map *raw, uintptr_t kern_end,
                    uint64_t *top)
{
    if (raw->error != 0) {
        panic("pmm: the BIOS e820 memory probe failed; there is no memory map");
    }
    e820_sanitize(raw, &ram_map);
    *top = ram_usable_top();
    return page_array_init(kern_end, *top);
}
