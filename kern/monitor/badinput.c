/*
 * badinput.c -- each case makes one wrong call into the memory API: the
 * page allocator and page tables, the kmap window, and VMPools.  All but
 * "oom" and "vmpool-release-bad" (which report an error and change
 * nothing) end in a panic whose message names the function, the page,
 * address or pool and the problem; tools/badinput.sh boots the kernel
 * once per case and checks that message.  Handy in class: `K> badinput`.
 */
#include <defs.h>
#include <stdio.h>
#include <string.h>
#include <pmm.h>
#include <pool.h>
#include <kmap.h>
#include <vmm.h>
#include <vmpool.h>
#include <kmalloc.h>
#include <badinput.h>

static struct Page *must_alloc(size_t n)
{
    struct Page *p = alloc_pages(n);
    if (p == NULL) {
        panic("badinput: out of memory");
    }
    return p;
}

static void free_reserved(void) { free_page(pa2page(0)); }

static void double_free(void)
{
    struct Page *p = must_alloc(1);
    free_page(p);
    free_page(p);
}

static void double_free_inside(void)
{
    struct Page *p = must_alloc(4);
    free_pages(p, 4);
    free_pages(p + 2, 1);
}

static void free_zero(void) { free_pages(must_alloc(1), 0); }
static void free_past_end(void) { free_pages(pages + npage - 1, 2); }
static void free_foreign(void) { free_page((struct Page *)0xC0000000); }
static void alloc_zero(void) { alloc_pages(0); }

static void insert_unaligned(void)
{
    page_insert(boot_pgdir, must_alloc(1), 0x1234, PTE_W);
}

static void remove_unaligned(void) { page_remove(boot_pgdir, 0x1234); }
static void kaddr_range(void) { cprintf("%p\n", KADDR(npage * PGSIZE)); }
static void paddr_range(void) { cprintf("%08x\n", PADDR(0x1000)); }
static void pa2page_range(void) { cprintf("%p\n", pa2page(0xFFFFF000)); }

static void kaddr_proc(void)
{
    cprintf("%p\n", KADDR(proc_pool.first * PGSIZE));
}
static void free_straddle(void) { free_pages(pages + proc_pool.first - 1, 2); }
static void kunmap_bad(void) { kunmap((void *)KMAP_BASE); }

static void kmap_twice(void)
{
    struct Page *p = must_alloc(1);
    kmap(p);
    kmap(p);
}

static void kmap_exhaust(void)
{
    struct Page *p = must_alloc(KMAP_SLOTS + 1);
    for (int i = 0; i <= KMAP_SLOTS; i++) {
        kmap(p + i);
    }
}

/* kernel_pt_late - a new kernel-half page table after kmap_init would be
 * missing from every address space's copy of the kernel half. */
static void kernel_pt_late(void)
{
    page_insert(boot_pgdir, must_alloc(1), 0xFC000000, PTE_W);
}

static void vmpool_foreign(void)
{
    vmpool_alloc((struct vmpool *)0x12345000, PGSIZE);
}

/* space_with_pool - a new address space, loaded, with a pool at
 * 0x10000000. */
static struct vmpool *space_with_pool(void)
{
    struct mm_struct *mm = mm_create();
    if (mm == NULL) {
        panic("badinput: out of memory");
    }
    mm_switch(mm);
    return vmpool_create(mm, 0x10000000, 64 * PGSIZE, VM_READ);
}

/* vmpool_other_mm - two address spaces with a pool at the same address:
 * A's handle used while B is loaded would read B's metadata. */
static void vmpool_other_mm(void)
{
    struct vmpool *a = space_with_pool();
    space_with_pool();
    vmpool_alloc(a, PGSIZE);
}

/* vmpool_release_bad - releasing an address that does not start a region
 * fails with a message and leaves the pool as it was. */
static void vmpool_release_bad(void)
{
    struct mm_struct *saved = current_mm;
    struct vmpool *pool = space_with_pool();
    struct mm_struct *mm = current_mm;
    uintptr_t r = vmpool_alloc(pool, 4 * PGSIZE);
    int ret = vmpool_release(pool, r + PGSIZE);
    size_t regions, ranges, longest;
    vmpool_counts(pool, &regions, &ranges, &longest);
    vmpool_check_pool(pool);
    cprintf("badinput vmpool-release-bad: vmpool_release(%08x) = %d, pool "
            "unchanged: %lu regions, %lu free ranges\n",
            r + PGSIZE, ret, (unsigned long)regions, (unsigned long)ranges);
    mm_switch(saved);
    mm_destroy(mm);
}

/* free_mapped - a page still mapped somewhere must not be freed. */
static void free_mapped(void)
{
    struct Page *p = must_alloc(1);
    page_insert(boot_pgdir, p, 0x1000, PTE_W);
    free_page(p);
}

static void kfree_double(void)
{
    void *obj = kmalloc(64);
    kfree(obj);
    kfree(obj);
}

static void kfree_foreign(void) { kfree(page2kva(must_alloc(1))); }
static void kfree_interior(void) { kfree((char *)kmalloc(64) + 8); }

/* oom - too large a request fails cleanly: NULL, and nothing changes. */
static void oom(void)
{
    size_t before = nr_free_pages();
    struct Page *p = alloc_pages(before + 1);
    cprintf("badinput oom: alloc_pages(%lu) = %p, nr_free %lu -> %lu\n",
            (unsigned long)before + 1, p, (unsigned long)before,
            (unsigned long)nr_free_pages());
}

static const struct {
    const char *name;
    void (*run)(void);
} cases[] = {
    {"free-mapped", free_mapped},
    {"kfree-double", kfree_double},
    {"kfree-foreign", kfree_foreign},
    {"kfree-interior", kfree_interior},
    {"free-reserved", free_reserved},
    {"double-free", double_free},
    {"double-free-inside", double_free_inside},
    {"free-zero", free_zero},
    {"free-past-end", free_past_end},
    {"free-foreign", free_foreign},
    {"alloc-zero", alloc_zero},
    {"insert-unaligned", insert_unaligned},
    {"remove-unaligned", remove_unaligned},
    {"kaddr-range", kaddr_range},
    {"paddr-range", paddr_range},
    {"pa2page-range", pa2page_range},
    {"oom", oom},
    {"kaddr-proc", kaddr_proc},
    {"free-straddle", free_straddle},
    {"kunmap-bad", kunmap_bad},
    {"kmap-twice", kmap_twice},
    {"kmap-exhaust", kmap_exhaust},
    {"kernel-pt-late", kernel_pt_late},
    {"vmpool-foreign", vmpool_foreign},
    {"vmpool-other-mm", vmpool_other_mm},
    {"vmpool-release-bad", vmpool_release_bad},
};

int mon_badinput(int argc, char **argv, struct trapframe *tf)
{
    (void)tf;
    for (size_t i = 0; argc == 2 && i < ARRAY_SIZE(cases); i++) {
        if (strcmp(argv[1], cases[i].name) == 0) {
            cases[i].run();
            return 0;
        }
    }
    cprintf("usage: badinput <case>; cases:");
    for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
        cprintf(" %s", cases[i].name);
    }
    cprintf("\n");
    return 0;
}
