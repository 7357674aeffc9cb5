/*
 * test_vmpool.c -- kern/mm/vmm/vmpool.c, on the regions and claims of
 * kern/mm/vmm/mm_region.c, all compiled unchanged, against a model on the
 * host.  The model is one owner per page of the pool; its maximal
 * free runs are what the pool's coalesced free ranges must be, so every
 * vmpool_alloc can be predicted exactly: the lowest run that fits (first
 * fit), or 0 when none does or when the metadata is full and the run
 * would have to be split.  After every operation the pool's counts are
 * compared with the model's; the pool's own consistency check and
 * vmpool_is_legitimate are compared every few operations.  Fixed cases
 * cover the refusals (of vmpool_create, and of mm_map / mm_unmap in a
 * pool's range), each kind of coalescing and the exact fit into a full
 * metadata page.
 *
 *   build/vma/test_vmpool [OPS]    ends with "test_vmpool: ... ok"
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <mmu.h>
#include <memlayout.h>
#include "../../libs/error.h" /* <error.h> would be the C library's */
#include <vmm.h>
#include <vmpool.h>
#include "shim_vma.h"

#define POOL_AREA 0x50000000u /* real memory for the metadata pages */
#define AREA_SIZE (64u << 20)
#define FREE      (-1)
#define RW        (VM_READ | VM_WRITE)

#define CHECK(cond)                                                            \
    do {                                                                       \
        if (!(cond)) {                                                         \
            fprintf(stderr, "%s:%d: check failed: %s (op %lu)\n", __FILE__,    \
                    __LINE__, #cond, op);                                      \
            exit(1);                                                           \
        }                                                                      \
    } while (0)

static unsigned long op;
static uint32_t seed = 12345;

static uint32_t rnd(uint32_t n)
{
    seed = seed * 1103515245u + 12345u;
    return (seed >> 8) % n;
}

/* struct model - page i of the pool (0: metadata) is owned by the region
 * starting at page owner[i], or FREE. */
struct model {
    uintptr_t base;
    int npages;
    int *owner;
    int regions;
};

static struct mm_struct *new_mm(void)
{
    struct mm_struct *mm = calloc(1, sizeof(*mm));
    CHECK(mm != NULL);
    mm_regions_init(mm);
    current_mm = mm;
    return mm;
}

/* drop_mm - what mm_destroy does on the host (no page tables): the region
 * array goes and the claims are released, freeing the pools' handles. */
static void drop_mm(struct mm_struct *mm)
{
    mm_regions_destroy(mm);
    CHECK(mm->claims == NULL && mm->vmas.n == 0 && shim_kmalloc_live == 0);
    free(mm);
    current_mm = NULL;
}

static void model_init(struct model *m, uintptr_t base, int npages)
{
    m->base = base;
    m->npages = npages;
    m->owner = malloc(npages * sizeof(int));
    CHECK(m->owner != NULL);
    m->owner[0] = 0;
    for (int i = 1; i < npages; i++) {
        m->owner[i] = FREE;
    }
    m->regions = 0;
}

/* runs - the model's maximal free runs: their number, the longest, and
 * the first of at least @len pages (*@at, *@at_len; *@at = -1 if none). */
static int runs(const struct model *m, int len, int *longest, int *at,
                int *at_len)
{
    int n = 0;
    *longest = 0;
    *at = -1;
    for (int i = 1; i < m->npages;) {
        if (m->owner[i] != FREE) {
            i++;
            continue;
        }
        int j = i;
        while (j < m->npages && m->owner[j] == FREE) {
            j++;
        }
        n++;
        *longest = j - i > *longest ? j - i : *longest;
        if (*at < 0 && j - i >= len) {
            *at = i;
            *at_len = j - i;
        }
        i = j;
    }
    return n;
}

static void compare_counts(struct vmpool *p, const struct model *m)
{
    size_t regions, ranges, longest;
    int longest_m, at, at_len;
    int runs_m = runs(m, 1, &longest_m, &at, &at_len);
    vmpool_counts(p, &regions, &ranges, &longest);
    CHECK((int)regions == m->regions && (int)ranges == runs_m);
    CHECK((int)longest == longest_m);
}

/* model_alloc - vmpool_alloc of @len pages, predicted and applied;
 * whether it failed only because the metadata was full. */
static bool model_alloc(struct vmpool *p, struct model *m, int len)
{
    int longest, at, at_len;
    int nruns = runs(m, len, &longest, &at, &at_len);
    bool full = m->regions + nruns >= (int)vmpool_capacity();
    uintptr_t want = 0;
    if (at >= 0 && !(at_len != len && full)) {
        want = m->base + (uintptr_t)at * PGSIZE;
    }
    unsigned long msgs = shim_messages;
    uintptr_t got = vmpool_alloc(p, (size_t)len * PGSIZE - rnd(PGSIZE));
    CHECK(got == want);
    CHECK((got == 0) == (shim_messages > msgs)); /* 0 comes with a message */
    if (got != 0) {
        for (int i = at; i < at + len; i++) {
            m->owner[i] = at;
        }
        m->regions++;
    }
    return at >= 0 && got == 0;
}

/* model_release - release the region at page @start (or, when @start does
 * not begin a region, expect -E_INVAL and no change). */
static void model_release(struct vmpool *p, struct model *m, int start)
{
    bool live = start > 0 && start < m->npages && m->owner[start] == start;
    size_t unmapped = shim_unmapped_pages;
    unsigned long msgs = shim_messages;
    int r = vmpool_release(p, m->base + (uintptr_t)start * PGSIZE);
    CHECK(r == (live ? 0 : -E_INVAL));
    CHECK(live == (shim_messages == msgs));
    if (!live) {
        CHECK(shim_unmapped_pages == unmapped);
        return;
    }
    int i = start;
    for (; i < m->npages && m->owner[i] == start; i++) {
        m->owner[i] = FREE;
    }
    CHECK(shim_unmapped_pages == unmapped + (size_t)(i - start));
    m->regions--;
}

static void compare_legitimate(struct vmpool *p, const struct model *m)
{
    for (int k = 0; k < 16; k++) {
        int i = (int)rnd(m->npages + 2) - 1; /* one page on either side */
        uintptr_t a = m->base + (uintptr_t)i * PGSIZE + rnd(PGSIZE);
        bool want = i >= 0 && i < m->npages && m->owner[i] != FREE;
        CHECK(vmpool_is_legitimate(p, a) == want);
    }
}

/* random_ops - @ops random allocations (of 1..@max_len pages) and
 * releases (of a live region, or of an address that is not one); returns
 * the allocations refused because the metadata page was full. */
static unsigned long random_ops(uintptr_t base, int npages, int max_len,
                                unsigned long ops)
{
    struct mm_struct *mm = new_mm();
    struct vmpool *p = vmpool_create(mm, base, (size_t)npages * PGSIZE, RW);
    struct model m;
    CHECK(p != NULL);
    model_init(&m, base, npages);
    unsigned long full = 0;
    for (unsigned long k = 0; k < ops; k++, op++) {
        int i = 1 + (int)rnd(npages - 1);
        if (rnd(100) < 55) {
            full += model_alloc(p, &m, 1 + (int)rnd(max_len));
        } else if (m.owner[i] != FREE && rnd(8) != 0) {
            model_release(p, &m, m.owner[i]);
        } else {
            model_release(p, &m, i); /* a free page or inside a region */
        }
        compare_counts(p, &m);
        if (k % 64 == 0) {
            vmpool_check_pool(p);
            compare_legitimate(p, &m);
        }
    }
    vmpool_check_pool(p);
    free(m.owner);
    drop_mm(mm);
    return full;
}

/* claim_of - whether [start, end) of @mm intersects exactly the claim
 * [base, base + len). */
static bool claim_of(struct mm_struct *mm, uintptr_t start, uintptr_t end,
                     uintptr_t base, size_t len)
{
    struct mm_claim *c = mm_claim_find(mm, start, end);
    return c != NULL && c->start == base && c->end == base + len;
}

/* map_refusals - mm_map and mm_unmap keep out of the 8-page pool at @b
 * (its metadata page, free range and live region @r), each with a
 * message, and leave the regions as they were; next to it they work. */
static void map_refusals(struct mm_struct *mm, uintptr_t b, uintptr_t r)
{
    size_t vmas = mm->vmas.n, unmapped = shim_unmapped_pages;
    unsigned long msgs = shim_messages;
    CHECK(claim_of(mm, b + 7 * PGSIZE, b + 9 * PGSIZE, b, 8 * PGSIZE));
    CHECK(mm_claim_find(mm, b + 8 * PGSIZE, b + 9 * PGSIZE) == NULL);
    CHECK(mm_claim_find(mm, b - PGSIZE, b) == NULL);
    CHECK(mm_map(mm, b + 7 * PGSIZE, 2 * PGSIZE, RW) == -E_INVAL);
    CHECK(mm_map(mm, b - PGSIZE, 2 * PGSIZE, RW) == -E_INVAL);
    CHECK(mm_unmap(mm, b) == -E_INVAL && mm_unmap(mm, r) == -E_INVAL);
    CHECK(mm_unmap(mm, b + 7 * PGSIZE) == -E_INVAL);
    CHECK(shim_messages == msgs + 5 && mm->vmas.n == vmas);
    CHECK(shim_unmapped_pages == unmapped);
    CHECK(mm_map(mm, b - PGSIZE, PGSIZE, RW) == 0);
    CHECK(mm_unmap(mm, b - PGSIZE) == 0 && mm->vmas.n == vmas);
    CHECK(shim_unmapped_pages == unmapped + 1 && shim_messages == msgs + 5);
}

/* refusals - pools that must not be created, and mm_map's view of pools. */
static void refusals(void)
{
    struct mm_struct *mm = new_mm();
    uintptr_t b = POOL_AREA;
    CHECK(vmpool_create(mm, 0, 4 * PGSIZE, RW) == NULL);
    CHECK(vmpool_create(mm, b + 8, 4 * PGSIZE, RW) == NULL);
    CHECK(vmpool_create(mm, b, PGSIZE, RW) == NULL);
    CHECK(vmpool_create(mm, KERNBASE - PGSIZE, 2 * PGSIZE, RW) == NULL);
    struct vmpool *p = vmpool_create(mm, b, 8 * PGSIZE, RW);
    CHECK(p != NULL);
    uintptr_t r = vmpool_alloc(p, PGSIZE);
    CHECK(r == b + PGSIZE);
    map_refusals(mm, b, r);
    CHECK(vmpool_release(p, r) == 0);
    CHECK(vmpool_create(mm, b + 4 * PGSIZE, 8 * PGSIZE, RW) == NULL);
    CHECK(mm_map(mm, b + 9 * PGSIZE, PGSIZE, RW) == 0);
    CHECK(vmpool_create(mm, b + 8 * PGSIZE, 4 * PGSIZE, RW) == NULL);
    CHECK(vmpool_create(mm, b + 16 * PGSIZE, 4 * PGSIZE, RW) != NULL);
    CHECK(claim_of(mm, b + 19 * PGSIZE, b + 20 * PGSIZE, b + 16 * PGSIZE,
                   4 * PGSIZE));
    CHECK(claim_of(mm, b, b + PGSIZE, b, 8 * PGSIZE));
    CHECK(shim_kmalloc_live == 2); /* two handles, freed by drop_mm */
    CHECK(vmpool_alloc(p, 0) == 0 && vmpool_alloc(p, 8 * PGSIZE) == 0);
    CHECK(vmpool_alloc(p, 7 * PGSIZE) == b + PGSIZE); /* exact fit */
    CHECK(vmpool_alloc(p, 1) == 0);
    vmpool_check_pool(p);
    drop_mm(mm);
}

/* coalescing - a release joins the free range before, after, both or
 * neither. */
static void coalescing(void)
{
    struct mm_struct *mm = new_mm();
    uintptr_t b = POOL_AREA + (1u << 20);
    struct vmpool *p = vmpool_create(mm, b, 8 * PGSIZE, RW);
    struct model m;
    CHECK(p != NULL);
    model_init(&m, b, 8);
    for (int i = 0; i < 7; i++) {
        model_alloc(p, &m, 1); /* pages 1..7 */
    }
    int order[] = {2, 6, 3, 1, 5, 7, 4}; /* none, none, prev, next, ... */
    for (int i = 0; i < 7; i++, op++) {
        model_release(p, &m, order[i]);
        compare_counts(p, &m);
        vmpool_check_pool(p);
    }
    size_t ranges;
    vmpool_counts(p, NULL, &ranges, NULL);
    CHECK(ranges == 1);
    free(m.owner);
    drop_mm(mm);
}

/* full_metadata - one-page regions until the metadata page is full, then
 * the exact fit of the rest, which needs no new entry. */
static void full_metadata(void)
{
    struct mm_struct *mm = new_mm();
    uintptr_t b = POOL_AREA + (2u << 20);
    int cap = (int)vmpool_capacity(), npages = 2 * cap;
    struct vmpool *p = vmpool_create(mm, b, (size_t)npages * PGSIZE, RW);
    CHECK(p != NULL);
    int n = 0;
    while (vmpool_alloc(p, PGSIZE) != 0) {
        n++;
    }
    CHECK(n == cap - 1);
    int left = npages - 1 - n;
    CHECK(vmpool_alloc(p, (size_t)left * PGSIZE) ==
          b + (uintptr_t)cap * PGSIZE);
    size_t regions, ranges;
    vmpool_counts(p, &regions, &ranges, NULL);
    CHECK((int)regions == cap && ranges == 0);
    CHECK(vmpool_release(p, b + 2 * PGSIZE) == 0);
    CHECK(vmpool_alloc(p, PGSIZE) == b + 2 * PGSIZE);
    vmpool_check_pool(p);
    drop_mm(mm);
}

int main(int argc, char **argv)
{
    unsigned long ops = argc > 1 ? strtoul(argv[1], NULL, 10) : 200000;
    shim_init(1024);
    shim_vmpool_init(POOL_AREA, AREA_SIZE);
    shim_quiet = true;
    refusals();
    coalescing();
    full_metadata();
    random_ops(POOL_AREA + (8u << 20), 64, 6, ops);
    unsigned long full = random_ops(POOL_AREA + (16u << 20), 1536, 3, ops);
    CHECK(full > 0 && shim_pages_in_use() == 0);
    printf("test_vmpool: refusals, coalescing, full metadata, %lu random "
           "ops in a 64-page and a 1536-page pool (%lu refused for full "
           "metadata) against the model: ok\n",
           ops, full);
    return 0;
}
