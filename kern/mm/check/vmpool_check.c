/*
 * vmpool_check.c -- check_vmpool(): VMPools in one address space, (a) to
 * (e) as in the issue.  Bulk parts mute the per-fault log; the fault
 * counters prove the faults happened.  Every part ends with the pool
 * consistent (vmpool_check_pool) and the frames it used back.
 */
#include <defs.h>
#include <error.h>
#include <stdio.h>
#include <pmm.h>
#include <pool.h>
#include <vmm.h>
#include <vmpool.h>
#include <vm_probe.h>
#include <mem_snap.h>
#include <vmm_check.h>

#define RW   (VM_READ | VM_WRITE)
#define META (VMPOOL_META_PAGES * PGSIZE)

static uint32_t seed = 20240601;

/* rnd - a pseudo-random number in [0, n) (a fixed LCG: runs repeat). */
static uint32_t rnd(uint32_t n)
{
    seed = seed * 1103515245u + 12345u;
    return (seed >> 8) % n;
}

/* touch - write a tag in every page of [r, r + len) after checking that it
 * reads as zero (a fresh zero-filled frame). */
static void touch(uintptr_t r, size_t len)
{
    for (uintptr_t a = r; a < r + len; a += PGSIZE) {
        volatile uint32_t *w = (volatile uint32_t *)a;
        assert(*w == 0);
        *w = a;
    }
}

/* part_a - regions of 1, 2, ... 40 pages (odd byte sizes), placed back to
 * back, touched at their last page, then all released. */
static void part_a(struct mm_struct *mm)
{
    struct vmpool *p = vmpool_create(mm, 0x10000000, 4u << 20, RW);
    assert(p != NULL);
    uintptr_t r[41], want = 0x10000000 + META;
    for (int i = 1; i <= 40; i++) {
        r[i] = vmpool_alloc(p, i * PGSIZE - (i > 1 ? 123 : 0));
        assert(r[i] == want && vmpool_is_legitimate(p, r[i] + i * PGSIZE - 1));
        touch(r[i] + (i - 1) * PGSIZE, PGSIZE);
        want += i * PGSIZE;
    }
    assert(!vmpool_is_legitimate(p, want));
    vmpool_check_pool(p);
    for (int i = 1; i <= 40; i += 2) {
        assert(vmpool_release(p, r[i]) == 0);
    }
    for (int i = 2; i <= 40; i += 2) {
        assert(vmpool_release(p, r[i]) == 0);
    }
    size_t regions, ranges, longest;
    vmpool_counts(p, &regions, &ranges, &longest);
    assert(regions == 0 && ranges == 1 && longest == 1024 - 1);
    assert(mm_resident(mm, 0x10000000 + META, 0x10400000) == 0);
    vmpool_check_pool(p);
    cprintf("check_vmpool: (a) 40 regions of 1..40 pages back to back, "
            "touched and released: 1 free range of %lu pages\n",
            (unsigned long)longest);
}

#define B_ALLOCS 300
#define B_SIZE   (16u << 20)

/* part_b - random sizes, each allocation followed by the release of a
 * random live region half of the time: the survivors fragment the pool. */
static void part_b(struct mm_struct *mm)
{
    struct vmpool *p = vmpool_create(mm, 0x20000000, B_SIZE, RW);
    static uintptr_t live[B_ALLOCS];
    size_t n = 0, regions, ranges, longest;
    assert(p != NULL);
    for (int i = 0; i < B_ALLOCS; i++) {
        uintptr_t r = vmpool_alloc(p, (1 + rnd(16)) * PGSIZE);
        assert(r != 0);
        touch(r, PGSIZE);
        live[n++] = r;
        if (rnd(2) == 0) {
            size_t k = rnd(n);
            assert(vmpool_release(p, live[k]) == 0);
            live[k] = live[--n];
        }
    }
    vmpool_check_pool(p);
    vmpool_counts(p, &regions, &ranges, &longest);
    assert(regions == n);
    cprintf("check_vmpool: (b) %lu allocations: %lu live regions, %lu free "
            "ranges, longest free range %lu of %lu pages\n",
            (unsigned long)B_ALLOCS, (unsigned long)regions,
            (unsigned long)ranges, (unsigned long)longest,
            (unsigned long)(B_SIZE - META) / PGSIZE);
    while (n > 0) {
        assert(vmpool_release(p, live[--n]) == 0);
    }
    vmpool_counts(p, &regions, &ranges, &longest);
    assert(regions == 0 && ranges == 1);
    vmpool_check_pool(p);
}

#define C_BASE (0x30400000 - 4 * PGSIZE) /* the pool straddles two tables */
#define C_SIZE (64 * PGSIZE)
#define C_LIVE 64

/* part_c - allocate, touch every page, release the oldest when the pool is
 * full, until 10 times the pool's size went through it; then frames, page
 * tables and regions are back where they started. */
static void part_c(struct mm_struct *mm)
{
    struct vmpool *p = vmpool_create(mm, C_BASE, C_SIZE, RW);
    assert(p != NULL);
    size_t pfree = pool_nr_free(&proc_pool), tables = mm_nr_tables(mm);
    size_t vmas = mm->vmas.n, total = 0, head = 0, tail = 0, held = 0;
    static struct {
        uintptr_t addr;
        size_t len;
    } fifo[C_LIVE];
    unsigned long faults = vmm_stats.zero_fill;
    while (total < 10 * C_SIZE) {
        size_t len = (1 + rnd(8)) * PGSIZE;
        uintptr_t r;
        /* keep the pool at most half full, so first fit rarely fails */
        while (held + len > C_SIZE / 2 || (r = vmpool_alloc(p, len)) == 0) {
            assert(head != tail);
            held -= fifo[head % C_LIVE].len;
            assert(vmpool_release(p, fifo[head++ % C_LIVE].addr) == 0);
        }
        assert(tail - head < C_LIVE);
        fifo[tail % C_LIVE].addr = r;
        fifo[tail++ % C_LIVE].len = len;
        touch(r, len);
        held += len;
        total += len;
    }
    assert(mm_nr_tables(mm) == tables + 1); /* the second table is in use */
    while (head != tail) {
        assert(vmpool_release(p, fifo[head++ % C_LIVE].addr) == 0);
    }
    vmpool_check_pool(p);
    assert(pool_nr_free(&proc_pool) == pfree && mm_nr_tables(mm) == tables);
    assert(mm->vmas.n == vmas);
    assert(vmm_stats.zero_fill - faults == total / PGSIZE);
    cprintf("check_vmpool: (c) %lu KiB through a %lu KiB pool, %lu "
            "zero-fill faults; frames, page tables, regions back\n",
            (unsigned long)total >> 10, (unsigned long)C_SIZE >> 10,
            vmm_stats.zero_fill - faults);
}

#define D_BASE 0x50000000

/* part_d_refusals - the pool's addresses are vmpool_alloc's: mm_map and
 * mm_unmap refuse them (free range, live region @r, metadata), and pools
 * that overlap it, are too small or start in page 0 are refused. */
static void part_d_refusals(struct mm_struct *mm, uintptr_t r)
{
    size_t vmas = mm->vmas.n;
    assert(mm_map(mm, D_BASE + PGSIZE, PGSIZE, RW) == -E_INVAL);
    assert(mm_map(mm, D_BASE - PGSIZE, 2 * PGSIZE, RW) == -E_INVAL);
    assert(mm_unmap(mm, r) == -E_INVAL && mm_unmap(mm, D_BASE) == -E_INVAL);
    assert(mm->vmas.n == vmas);
    assert(vmpool_create(mm, D_BASE + PGSIZE, 2 * PGSIZE, RW) == NULL);
    assert(vmpool_create(mm, 0x50100000, PGSIZE, RW) == NULL);
    assert(vmpool_create(mm, 0, 2 * PGSIZE, RW) == NULL);
}

/* part_d - an 8 KiB pool: the metadata page leaves room for one page. */
static void part_d(struct mm_struct *mm)
{
    struct vmpool *p = vmpool_create(mm, D_BASE, 2 * PGSIZE, RW);
    assert(p != NULL);
    assert(!vmpool_is_legitimate(p, D_BASE - 1));
    assert(!vmpool_is_legitimate(p, D_BASE + 2 * PGSIZE));
    assert(vmpool_is_legitimate(p, D_BASE)); /* the metadata */
    assert(!vmpool_is_legitimate(p, D_BASE + PGSIZE));
    assert(vmpool_alloc(p, 2 * PGSIZE) == 0);
    uintptr_t r = vmpool_alloc(p, 100);
    assert(r == D_BASE + PGSIZE && vmpool_is_legitimate(p, r + PGSIZE - 1));
    assert(vmpool_alloc(p, 1) == 0);
    assert(vm_probe_write(r + 8, 0x5a5a5a5a) == 0);
    assert(vmpool_release(p, r + 8) == -E_INVAL);
    assert(vmpool_release(p, 0x12345000) == -E_INVAL);
    vmpool_check_pool(p);
    assert(vmpool_release(p, r) == 0 && !vmpool_is_legitimate(p, r));
    assert(vmpool_release(p, r) == -E_INVAL);
    uint32_t v = 1;
    assert(vm_probe_read(r + 8, &v) == -E_FAULT && v == 1); /* segfault */
    assert(vmpool_alloc(p, PGSIZE) == r);                   /* reusable */
    assert(vm_probe_read(r + 8, &v) == 0 && v == 0); /* a fresh zero page */
    part_d_refusals(mm, r);
    assert(vmpool_release(p, r) == 0);
    assert(mm_resident(mm, D_BASE + PGSIZE, D_BASE + 2 * PGSIZE) == 0);
    cprintf("check_vmpool: (d) an 8 KiB pool: 1 page after its metadata, "
            "reusable after release\n");
}

/* part_e - pools running out: of addresses, and of metadata entries.
 * One-page regions split the 4 MiB pool's free range until the metadata
 * page is full (n regions + 1 free range); an exact fit of what is left
 * needs no new entry and still succeeds, then the pool is out of
 * addresses too. */
static void part_e(struct mm_struct *mm)
{
    struct vmpool *p = vmpool_create(mm, 0x60000000, 16 * PGSIZE, RW);
    size_t n = 0, regions, ranges, left;
    assert(p != NULL);
    while (vmpool_alloc(p, PGSIZE) != 0) {
        n++;
    }
    assert(n == 16 - VMPOOL_META_PAGES);

    struct vmpool *q = vmpool_create(mm, 0x60400000, 4u << 20, RW);
    assert(q != NULL);
    uintptr_t last = 0, r;
    for (n = 0; (r = vmpool_alloc(q, PGSIZE)) != 0; n++) {
        last = r;
    }
    assert(n == vmpool_capacity() - 1);
    vmpool_counts(q, NULL, NULL, &left);
    assert(left == 1024 - VMPOOL_META_PAGES - n);
    assert(vmpool_alloc(q, left * PGSIZE) == last + PGSIZE); /* exact fit */
    vmpool_counts(q, &regions, &ranges, NULL);
    assert(regions == vmpool_capacity() && ranges == 0);
    assert(vmpool_alloc(q, PGSIZE) == 0);
    assert(vmpool_release(q, last) == 0 && vmpool_alloc(q, PGSIZE) == last);
    vmpool_check_pool(q);
    cprintf("check_vmpool: (e) a 16-page pool runs out after %d regions; a "
            "4 MiB pool's metadata page (%lu entries) is full after %lu "
            "one-page regions, and an exact fit of the last %lu pages still "
            "succeeds\n",
            16 - VMPOOL_META_PAGES, (unsigned long)vmpool_capacity(),
            (unsigned long)n, (unsigned long)left);
}

/* check_vmpool - parts (a) to (e) in one address space, destroyed at the
 * end with every frame back. */
void check_vmpool(void)
{
    struct mem_snap s0 = snap_take();
    struct mm_struct *mm = mm_create();
    assert(mm != NULL);
    mm_switch(mm);
    bool log = vmm_fault_log(false);
    part_a(mm);
    part_b(mm);
    part_c(mm);
    vmm_fault_log(log);
    part_d(mm);
    part_e(mm);
    mm_switch(NULL);
    mm_destroy(mm);
    snap_assert("check_vmpool", &s0);
    cprintf("check_vmpool() succeeded!\n");
}
