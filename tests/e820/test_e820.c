/*
 * test_e820.c -- the kernel's e820 and Page-array set-up (kern/mm/memmap.c:
 * page_init, e820_sanitize; kern/mm/pmm/pool.c: pool_init, the split into
 * the kernel and process pools), compiled unchanged, on crafted BIOS maps.
 *
 * Each case boots a map the way pmm_init does (page_init, then pool_init)
 * and checks either the panic message it must stop with, or every frame
 * against a model that reads the raw map directly: a frame is managed
 * exactly when all of it lies in usable entries, no byte of it in an entry
 * of any other type (reserved wins), and it lies above the Page array and
 * the pools' state.  Then the pools' counts, the sanitized map's shape
 * (sorted, disjoint, not touching, whole frames) and the boot lines.
 *
 * Prints one PASS/FAIL line per case; exits 1 when any failed.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <memmap.h>
#include <pool.h>
#include "shim_e820.h"
#include "../lib/host_panic.h"

#define MiB (1ull << 20)
#define GiB (1ull << 30)

/* Where the kernel image ends (bin/kernel.sym's `end`, give or take). */
#define KERN_END (KERNBASE + 0x131270)

static int failures;

/* ---- building maps ------------------------------------------------------ */

static void add(struct e820map *m, uint64_t addr, uint64_t size, int type)
{
    if (m->nr_map < E820MAX) {
        m->map[m->nr_map].addr = addr;
        m->map[m->nr_map].size = size;
        m->map[m->nr_map].type = type;
        m->nr_map++;
    } else {
        m->nr_dropped++;
    }
}

/* qemu_map - the map QEMU's BIOS gives a PC with @mem bytes of RAM, the
 * last 128 KiB below the top reserved.  QEMU itself puts what is above
 * 3 GiB past 4 GiB; here it stays below (the largest Page array). */
static struct e820map qemu_map(uint64_t mem)
{
    struct e820map m = {0};
    add(&m, 0, 0x9fc00, E820_ARM);
    add(&m, 0x9fc00, 0x400, E820_ARR);
    add(&m, 0xf0000, 0x10000, E820_ARR);
    add(&m, MiB, mem - MiB - 0x20000, E820_ARM);
    add(&m, mem - 0x20000, 0x20000, E820_ARR);
    add(&m, 0xfffc0000, 0x40000, E820_ARR);
    return m;
}

/* ---- the model ---------------------------------------------------------- */

static uint64_t entry_end(const struct e820map *m, int i)
{
    return m->map[i].addr + m->map[i].size;
}

/* model_usable - whether frame @ppn is usable RAM by @m, read directly. */
static bool model_usable(const struct e820map *m, uint64_t ppn)
{
    uint64_t a = ppn * PGSIZE, b = a + PGSIZE, pos = a;
    for (int i = 0; i < m->nr_map; i++) {
        if (m->map[i].type != E820_ARM && m->map[i].size > 0 &&
            m->map[i].addr < b && entry_end(m, i) > a) {
            return false;
        }
    }
    for (bool moved = true; pos < b && moved;) {
        moved = false;
        for (int i = 0; i < m->nr_map; i++) {
            if (m->map[i].type == E820_ARM && m->map[i].addr <= pos &&
                pos < entry_end(m, i)) {
                pos = entry_end(m, i);
                moved = true;
            }
        }
    }
    return pos >= b;
}

/* model_npage - one past the last usable frame below 4 GiB. */
static size_t model_npage(const struct e820map *m)
{
    uint64_t top = 0;
    for (int i = 0; i < m->nr_map; i++) {
        if (m->map[i].type == E820_ARM) {
            top = MAX(top, MIN(entry_end(m, i), 4 * GiB) / PGSIZE);
        }
    }
    while (top > 0 && !model_usable(m, top - 1)) {
        top--;
    }
    return top;
}

/* ---- running the kernel's code ------------------------------------------ */

#define FAIL(...)                                                              \
    __extension__({                                                            \
        printf("      " __VA_ARGS__);                                          \
        printf("\n");                                                          \
        ok = false;                                                            \
    })

/* boot - page_init and pool_init on @m, as pmm_init runs them; true when
 * they returned, false (message in host_panic_msg) when they panicked. */
static void boot_steps(const struct e820map *m, uintptr_t kern_end)
{
    uint64_t top;
    uintptr_t array_end = page_init(m, kern_end, &top);
    pool_init(array_end, top);
}

static bool boot(const struct e820map *m, uintptr_t kern_end)
{
    shim_output_clear();
    return !HOST_PANICS(boot_steps(m, kern_end));
}

/* check_ram_map - ram_map is sorted, disjoint, not touching, whole
 * frames, no range empty. */
static bool check_ram_map(void)
{
    bool ok = true;
    for (int i = 0; i < ram_map.nr; i++) {
        const struct ram_range *r = &ram_map.range[i];
        if (r->begin % PGSIZE || r->end % PGSIZE || r->begin >= r->end ||
            (i > 0 && ram_map.range[i - 1].end >= r->begin)) {
            FAIL("ram_map range %d [%llx, %llx) is out of shape", i,
                 (unsigned long long)r->begin, (unsigned long long)r->end);
        }
    }
    return ok;
}

/* first_free - the frame after the pools' state, which is carved right
 * after the Page array: kernel pool's, then process pool's. */
static size_t first_free(void)
{
    const struct pmm_manager *m = proc_pool.mgr;
    size_t size = m->pool.state_size(proc_pool.end - proc_pool.first);
    return PPN(PADDR(proc_pool.state)) + ROUNDUP(size, PGSIZE) / PGSIZE;
}

/* check_frames - every frame managed (not reserved) exactly when the
 * model says it is usable and it is above the state; the pools' counts
 * follow, and the pools meet their minimums. */
static bool check_frames(const struct e820map *m)
{
    bool ok = true;
    size_t npage_want = model_npage(m), first = first_free(), n = 0, high = 0;
    if (npage != npage_want) {
        FAIL("npage %zu, want %zu", npage, npage_want);
        return false;
    }
    if (kernel_pool.state != KADDR(ROUNDUP(PADDR(pages + npage), PGSIZE))) {
        FAIL("the kernel pool's state is not right after the Page array");
    }
    for (size_t i = 0; i < npage; i++) {
        bool want = i >= first && model_usable(m, i);
        if (PageReserved(pages + i) == want) {
            FAIL("frame %05zx: %s, want %s", i, want ? "reserved" : "managed",
                 want ? "managed" : "reserved");
            return false;
        }
        n += want;
        high += want && i >= KMEMSIZE / PGSIZE;
    }
    if (kernel_pool.nr_managed + proc_pool.nr_managed != n ||
        proc_pool.nr_high != high) {
        FAIL("pools hold %zu + %zu frames (%zu high), want %zu (%zu high)",
             kernel_pool.nr_managed, proc_pool.nr_managed, proc_pool.nr_high, n,
             high);
    }
    /* Both pools get 512 frames; when RAM is short the kernel pool's
     * minimum wins (it keeps 512 and at most the pools' state more). */
    size_t kfree = pool_nr_free(&kernel_pool);
    if (kfree < 512 || (proc_pool.nr_managed < 512 && kfree > 512 + 4)) {
        FAIL("kernel pool %zu free frames, process pool %zu: want 512 each",
             kfree, proc_pool.nr_managed);
    }
    return ok && check_ram_map();
}

/* expect_pages - @m boots and gives the model's frames; the boot log
 * contains @line (unless NULL). */
static void expect_pages(const char *name, const struct e820map *m,
                         const char *line)
{
    bool ok = true;
    if (!boot(m, KERN_END)) {
        FAIL("panicked: %s", host_panic_msg);
    } else {
        ok = check_frames(m);
        if (line != NULL && strstr(shim_output, line) == NULL) {
            FAIL("no line \"%s\" in:\n%s", line, shim_output);
        }
    }
    printf("%s  %s\n", ok ? "PASS" : "FAIL", name);
    failures += !ok;
}

/* expect_panic - @m with the kernel image ending at @kern_end panics with
 * a message that starts with @msg. */
static void expect_panic(const char *name, const struct e820map *m,
                         uintptr_t kern_end, const char *msg)
{
    bool ok = true;
    if (boot(m, kern_end)) {
        FAIL("booted; want the panic \"%s\"", msg);
    } else if (strncmp(host_panic_msg, msg, strlen(msg)) != 0) {
        FAIL("panic \"%s\", want \"%s...\"", host_panic_msg, msg);
    }
    printf("%s  %s\n", ok ? "PASS" : "FAIL", name);
    failures += !ok;
}

/* ---- the cases ---------------------------------------------------------- */

static void test_plain_and_unsorted(void)
{
    struct e820map m = qemu_map(128 * MiB), r = {0};
    expect_pages("qemu 128M", &m, "pmm: kernel pool 94 MiB");
    for (int i = m.nr_map - 1; i >= 0; i--) {
        add(&r, m.map[i].addr, m.map[i].size, m.map[i].type);
    }
    expect_pages("unsorted (qemu 128M reversed): the same frames", &r,
                 "pmm: kernel pool 94 MiB");
}

static void test_overlaps(void)
{
    struct e820map m = {0};
    add(&m, 0, 0x9f000, E820_ARM);
    add(&m, 32 * MiB, 96 * MiB, E820_ARM);
    add(&m, MiB, 63 * MiB, E820_ARM); /* overlaps the one above */
    expect_pages("two overlapping usable entries: each frame once", &m, NULL);

    add(&m, 64 * MiB + 100, 100, E820_ARR);      /* inside one frame */
    add(&m, 100 * MiB - 1, 2, E820_ARR);         /* across two frames */
    add(&m, 120 * MiB, 16 * MiB, E820_ARR);      /* over the top */
    add(&m, 40 * MiB, 4 * MiB, 3);               /* ACPI data wins too */
    add(&m, 80 * MiB + 0x800, 0x1000, E820_ARM); /* usable inside usable */
    expect_pages("reserved overlapping usable: reserved wins", &m, NULL);
    if (npage != 120 * MiB / PGSIZE || !PageReserved(pa2page(64 * MiB)) ||
        !PageReserved(pa2page(100 * MiB)) ||
        !PageReserved(pa2page(100 * MiB - PGSIZE))) {
        printf("FAIL  reserved frames at 64M, 100M-4K, 100M and from 120M\n");
        failures++;
    }
}

static void test_zero_length(void)
{
    struct e820map m = qemu_map(64 * MiB);
    add(&m, 32 * MiB, 0, E820_ARR);  /* would split the RAM if counted */
    add(&m, 512 * MiB, 0, E820_ARM); /* would raise the top */
    add(&m, 0, 0, E820_ARM);
    expect_pages("zero-length entries ignored", &m, NULL);
    if (npage != (64 * MiB - 0x20000) / PGSIZE || ram_map.nr != 2) {
        printf("FAIL  zero-length entries changed npage (%zu) or the map "
               "(%d ranges)\n",
               npage, ram_map.nr);
        failures++;
    }
}

static void test_adjacent(void)
{
    /* The kernel image spans the first two entries and the Page array of
     * 2 GiB (10 MiB) several; every boundary is unaligned. */
    struct e820map m = {0};
    uint64_t cuts[] = {
        MiB,         MiB + 0x10200,  2 * MiB + 0x123, 3 * MiB + 0x7ff,
        5 * MiB + 1, 9 * MiB + 0x10, 2 * GiB};
    for (size_t i = 0; i + 1 < ARRAY_SIZE(cuts); i++) {
        add(&m, cuts[i], cuts[i + 1] - cuts[i], E820_ARM);
    }
    add(&m, 0, 0x9f000, E820_ARM);
    expect_pages("adjacent usable entries joined (image, array across them)",
                 &m, "pmm: 1152 MiB of RAM above KMEMSIZE");
}

static void test_more_than_32(void)
{
    /* 64 MiB of RAM with a reserved page every 2 MiB from 4 MiB: 31 holes
     * make 32 ranges (the most 32 entries can make); 40 more entries the
     * boot loader dropped are only counted. */
    struct e820map m = {0};
    add(&m, MiB, 127 * MiB, E820_ARM);
    for (int i = 0; i < 31; i++) {
        add(&m, 4 * MiB + i * 2 * MiB + 0x1800, 0x100, E820_ARR);
    }
    for (int i = 0; i < 40; i++) {
        add(&m, 256 * MiB + i * MiB, MiB, E820_ARM);
    }
    if (m.nr_map != E820MAX || m.nr_dropped != 40) {
        abort();
    }
    expect_pages("32 entries kept, 40 dropped: the kept ones, in 32 ranges", &m,
                 NULL);
    if (ram_map.nr != 32 || npage != 128 * MiB / PGSIZE) {
        printf("FAIL  %d ranges (want 32), npage %zu\n", ram_map.nr, npage);
        failures++;
    }
}

static void test_above_4g(void)
{
    struct e820map m = qemu_map(3 * GiB);
    add(&m, 4 * GiB, 2 * GiB, E820_ARM);
    expect_pages("usable RAM above 4 GiB is ignored", &m,
                 "pmm: ignoring 2048 MiB of RAM above 4 GiB (no PAE)");
    struct e820map s = {0};
    add(&s, 0, 0x9f000, E820_ARM);
    add(&s, MiB, 5 * GiB - MiB, E820_ARM);
    expect_pages("one entry across 4 GiB: pages[] stops there", &s,
                 "pmm: ignoring 1024 MiB of RAM above 4 GiB (no PAE)");
    if (npage != MAXPA_PAGES) {
        printf("FAIL  npage %zu, want %u\n", npage, MAXPA_PAGES);
        failures++;
    }
}

/* test_panics_map - maps the kernel cannot boot from at all. */
static void test_panics_map(void)
{
    struct e820map m = qemu_map(128 * MiB);
    m.error = 1;
    expect_panic("failed first call (error set)", &m, KERN_END,
                 "pmm: the BIOS e820 memory probe failed; there is no "
                 "memory map");

    struct e820map k = {0};
    add(&k, 0, 0x9f000, E820_ARM);
    add(&k, MiB, 0x20000, E820_ARM);
    add(&k, 2 * MiB, 126 * MiB, E820_ARM);
    expect_panic("usable RAM does not hold the kernel image", &k, KERN_END,
                 "pmm: the kernel image [00100000, 00131270) is not in usable "
                 "RAM");

    struct e820map r = qemu_map(128 * MiB);
    add(&r, MiB + 0x20000, 0x10, E820_ARR);
    expect_panic("a reserved entry inside the kernel image", &r, KERN_END,
                 "pmm: the kernel image [00100000, 00131270) is not in usable "
                 "RAM");

    struct e820map none = {0};
    expect_panic("an empty map", &none, KERN_END,
                 "pmm: the kernel image [00100000, 00131270) is not in usable "
                 "RAM");
}

/* test_panics_room - usable RAM that is there but too little. */
static void test_panics_room(void)
{
    struct e820map a = {0};
    add(&a, MiB, 2 * MiB, E820_ARM);
    add(&a, 4 * MiB, 508 * MiB, E820_ARM);
    expect_panic("usable RAM does not hold the Page array", &a, KERN_END,
                 "pmm: no usable RAM for the Page array at pa [00132000, "
                 "004b2000) (131072 pages)");

    struct e820map t = qemu_map(2 * MiB);
    expect_panic("less than the minimum RAM (-m 2M)", &t, KERN_END,
                 "pmm: only 504 KiB of RAM free after the kernel; at least "
                 "2048 KiB are needed");
}

/* test_edges - sizes around KMEMSIZE (QEMU -m in KiB): the process pool
 * has its minimum however little high memory there is, and the boot log
 * prints sizes that are not zero as not zero. */
static void test_edges(void)
{
    static const struct {
        uint64_t kib;
        const char *line;
    } sizes[] = {
        {5 * 1024, "pmm: kernel pool 2 MiB"},
        {917504 + 8, "pmm: kernel pool 666 MiB"},
        {917504 + 136, "pmm: 8 KiB of RAM above KMEMSIZE (896 MiB)"},
        {917504 + 384, "process pool 2 MiB (ppn [37e40, 38040), 256 KiB high "
                       "memory)"},
        {917504 + 512, "process pool 2 MiB"},
        {918528, "pmm: 896 KiB of RAM above KMEMSIZE (896 MiB)"},
        {920576, "process pool 2 MiB (ppn [38000, 382e0), 2 MiB high memory)"},
        {921600, "process pool 3 MiB (ppn [38000, 383e0), 3 MiB high memory)"},
        {4095 * 1024, "process pool 3198 MiB"},
    };
    for (size_t i = 0; i < ARRAY_SIZE(sizes); i++) {
        char name[64];
        struct e820map m = qemu_map(sizes[i].kib << 10);
        snprintf(name, sizeof(name), "-m %lluK",
                 (unsigned long long)sizes[i].kib);
        expect_pages(name, &m, sizes[i].line);
    }
}

int main(void)
{
    shim_init(64 * MiB); /* the image, pages[] for 4 GiB, the pools' state */
    test_plain_and_unsorted();
    test_overlaps();
    test_zero_length();
    test_adjacent();
    test_more_than_32();
    test_above_4g();
    test_panics_map();
    test_panics_room();
    test_edges();
    printf("%s\n", failures ? "e820: FAILED" : "e820: all cases passed");
    return failures != 0;
}
