/* pmm_print.c -- human-readable dumps of physical memory: the e820 map,
 * where the Page array lies, the free blocks, and the page tables (read
 * through the VPT self-map, ucore's print_pgdir format). */
#include <defs.h>
#include <stdio.h>
#include <pmm.h>
#include <pool.h>
#include <sync.h>

/* print_e820 - the BIOS memory map as the boot loader collected it. */
void print_e820(void)
{
    if (e820->error != 0) {
        cprintf("e820map: the BIOS probe failed (error %d); no map\n",
                e820->error);
        return;
    }
    cprintf("e820map:\n");
    for (int i = 0; i < e820->nr_map; i++) {
        uint64_t begin = e820->map[i].addr, size = e820->map[i].size;
        cprintf("  memory: %08llx, [%08llx, %08llx], type = %d.\n", size, begin,
                begin + size - 1, e820->map[i].type);
    }
    if (e820->nr_dropped > 0) {
        cprintf("e820map: %d more entries did not fit in the %d kept\n",
                e820->nr_dropped, E820MAX);
    }
    if (e820->nr_dropped >= E820_DROP_MAX) {
        cprintf("e820map: the BIOS never ended its list; the boot loader "
                "stopped after %d calls\n",
                E820MAX + E820_DROP_MAX);
    }
}

/* print_memmap - the e820 map (raw and sanitized), the Page array, and
 * what is managed. */
void print_memmap(void)
{
    print_e820();
    cprintf("usable RAM (sanitized, what the kernel uses):\n");
    for (int i = 0; i < ram_map.nr; i++) {
        cprintf("  [%08llx, %08llx)\n", ram_map.range[i].begin,
                ram_map.range[i].end);
    }
    uintptr_t pa = PADDR(pages);
    cprintf("Page array: %lu pages x %u bytes at pa [%08x, %08lx)\n",
            (unsigned long)npage, (unsigned)sizeof(struct Page), pa,
            (unsigned long)(pa + npage * sizeof(struct Page)));
    size_t managed = 0;
    for (size_t i = 0; i < npage; i++) {
        managed += !PageReserved(pages + i);
    }
    cprintf("managed RAM: %lu pages (%lu KiB), %lu free\n",
            (unsigned long)managed, (unsigned long)managed * 4,
            (unsigned long)(nr_free_pages() + pool_nr_free(&proc_pool)));
    print_pools();
}

/* show_pool_free - nr_free of @pool and its free blocks, when its manager
 * can list them. */
static void show_pool_free(struct frame_pool *pool)
{
    cprintf("%s pool (%s): nr_free = %lu\n", pool->name, pool->mgr->name,
            (unsigned long)pool_nr_free(pool));
    pool_show_free(pool);
}

/* print_free_blocks - the free blocks of both frame pools (interrupts off:
 * the managers are not reentrant). */
void print_free_blocks(void)
{
    bool intr_flag;
    local_intr_save(intr_flag);
    show_pool_free(&kernel_pool);
    show_pool_free(&proc_pool);
    local_intr_restore(intr_flag);
}

/* perm2str - "urw"-style string of the U/R/W bits (R is always set). */
static const char *perm2str(uint32_t perm)
{
    static char str[4];
    str[0] = (perm & PTE_U) ? 'u' : '-';
    str[1] = 'r';
    str[2] = (perm & PTE_W) ? 'w' : '-';
    str[3] = '\0';
    return str;
}

/* get_pgtable_items - in table[.., right), find the next run of present
 * entries at or after @start with the same U/W/P bits.  Stores the run as
 * [*left_store, *right_store) and returns its permission bits, or 0 when
 * no present entry remains. */
static uint32_t get_pgtable_items(size_t right, size_t start,
                                  const uintptr_t *table, size_t *left_store,
                                  size_t *right_store)
{
    while (start < right && !(table[start] & PTE_P)) {
        start++;
    }
    if (start >= right) {
        return 0;
    }
    uint32_t perm = table[start] & PTE_USER;
    *left_store = start;
    while (start < right && (table[start] & PTE_USER) == perm) {
        start++;
    }
    *right_store = start;
    return perm;
}

/* print_run - one line of print_pgdir for entries [l, r) of @unit bytes
 * each; 64-bit so that a run ending at 4 GiB does not wrap to 0. */
static void print_run(const char *fmt, size_t l, size_t r, uint64_t unit,
                      uint32_t perm)
{
    cprintf(fmt, (uint64_t)(r - l), l * unit, r * unit, (r - l) * unit,
            perm2str(perm));
}

/* print_pgdir - the current address space: one line per run of PDEs with
 * equal permissions, each followed by its runs of PTEs. */
void print_pgdir(void)
{
    const pde_t *vpd = (const pde_t *)(VPT + PDX(VPT) * PGSIZE);
    const pte_t *vpt = (const pte_t *)VPT;
    size_t left, right = 0, l, r = 0;
    uint32_t perm;
    cprintf("-------------------- BEGIN --------------------\n");
    while ((perm = get_pgtable_items(NPDEENTRY, right, vpd, &left, &right)) !=
           0) {
        print_run("PDE(%03llx) %08llx-%08llx %08llx %s\n", left, right, PTSIZE,
                  perm);
        r = left * NPTEENTRY;
        while ((perm = get_pgtable_items(right * NPTEENTRY, r, vpt, &l, &r)) !=
               0) {
            print_run("  |-- PTE(%05llx) %08llx-%08llx %08llx %s\n", l, r,
                      PGSIZE, perm);
        }
    }
    cprintf("--------------------- END ---------------------\n");
}
