/*
 * bench_vma.c -- find_vma lookups per second: the kernel's sorted array
 * with bisection (kern/mm/vmm/vma.c, compiled unchanged) against ucore's
 * baseline, a sorted doubly linked list with a one-entry cache, measured
 * in the same run on the same regions and the same addresses.
 *
 * Regions are one page each with a one-page gap, n of them.  Two access
 * patterns: "random" (uniform over the regions: the cache rarely hits)
 * and "local" (each address looked up 8 times in a row: the cache's best
 * case).  Every lookup of both structures is first checked to return the
 * same region, and both are checked at every boundary: each region found
 * at its first and last byte, nothing below the first region, in any gap
 * (its first and last byte) or past the last region.
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include <mmu.h>
#include <assert.h>
#include <vma.h>
#include "shim_vma.h"

#define REGION_BASE 0x1000u
#define NR_ADDRS    8192
#define MIN_SECONDS 0.25

/* The baseline: ucore's list of vma_structs sorted by address plus the
 * most recently found one. */
struct lnode {
    struct vma_struct vma;
    struct lnode *prev, *next;
};

struct vlist {
    struct lnode head; /* sentinel */
    struct lnode *cache;
};

static void vlist_init(struct vlist *l)
{
    l->head.prev = l->head.next = &l->head;
    l->cache = NULL;
}

/* vlist_insert - ucore's insert_vma_struct: walk to the place, link. */
static void vlist_insert(struct vlist *l, struct lnode *n)
{
    struct lnode *at = &l->head;
    while (at->prev != &l->head && at->prev->vma.vm_start > n->vma.vm_start) {
        at = at->prev; /* regions arrive in order: stops at once */
    }
    n->next = at;
    n->prev = at->prev;
    at->prev->next = n;
    at->prev = n;
}

static struct vma_struct *vlist_find(struct vlist *l, uintptr_t addr)
{
    struct lnode *c = l->cache;
    if (c != NULL && c->vma.vm_start <= addr && addr < c->vma.vm_end) {
        return &c->vma;
    }
    for (struct lnode *n = l->head.next; n != &l->head; n = n->next) {
        if (n->vma.vm_start <= addr && addr < n->vma.vm_end) {
            l->cache = n;
            return &n->vma;
        }
    }
    return NULL;
}

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec + ts.tv_nsec * 1e-9;
}

static uintptr_t region_start(size_t i) { return REGION_BASE + i * 2 * PGSIZE; }

/* make_addrs - NR_ADDRS addresses inside the n regions. */
static void make_addrs(uintptr_t *addrs, size_t n, int local)
{
    for (size_t k = 0; k < NR_ADDRS; k++) {
        size_t i = (size_t)rand() % n;
        uintptr_t a = region_start(i) + (uintptr_t)rand() % PGSIZE;
        for (int r = 0; r < (local ? 8 : 1) && k < NR_ADDRS; r++) {
            addrs[k++] = a;
        }
        k--;
    }
}

/* expect - panic unless @set and @list (unless NULL) both find the region
 * starting at @want for @addr (none when @want is 0). */
static void expect(struct vma_set *set, struct vlist *list, uintptr_t addr,
                   uintptr_t want)
{
    struct vma_struct *a = vma_set_find(set, addr);
    struct vma_struct *b = list != NULL ? vlist_find(list, addr) : a;
    uintptr_t got_a = a != NULL ? a->vm_start : 0;
    uintptr_t got_b = b != NULL ? b->vm_start : 0;
    if (got_a != want || got_b != want) {
        panic("bench_vma: %#lx: array finds %#lx, list %#lx, want %#lx",
              (unsigned long)addr, (unsigned long)got_a, (unsigned long)got_b,
              (unsigned long)want);
    }
}

/* check_bounds - both structures at every boundary of the n regions and
 * of the gaps between them (the list only up to 1000 regions: a miss
 * walks all of it). */
static void check_bounds(struct vma_set *set, struct vlist *list, size_t n)
{
    expect(set, list, 0, 0);
    expect(set, list, REGION_BASE - 1, 0);
    for (size_t i = 0; i < n; i++) {
        uintptr_t s = region_start(i);
        expect(set, list, s, s);
        expect(set, list, s + PGSIZE - 1, s);
        expect(set, list, s + PGSIZE, 0);
        expect(set, list, s + 2 * PGSIZE - 1, 0);
    }
}

static volatile uintptr_t sink;

/* rate - lookups per second of @which (0: array, 1: list) over @addrs. */
static double rate(int which, struct vma_set *set, struct vlist *list,
                   const uintptr_t *addrs)
{
    double t0 = now(), t;
    size_t done = 0;
    uintptr_t acc = 0;
    do {
        for (size_t k = 0; k < NR_ADDRS; k++) {
            struct vma_struct *v = which == 0 ? vma_set_find(set, addrs[k])
                                              : vlist_find(list, addrs[k]);
            acc += v->vm_start;
        }
        done += NR_ADDRS;
        t = now() - t0;
    } while (t < MIN_SECONDS);
    sink = acc;
    return done / t;
}

/* bench_one - build both structures with n regions, check that they agree,
 * and print one row per access pattern. */
static void bench_one(size_t n)
{
    struct vma_set set;
    struct vlist list;
    struct lnode *nodes = calloc(n, sizeof(*nodes));
    static uintptr_t addrs[NR_ADDRS];
    vma_set_init(&set);
    vlist_init(&list);
    for (size_t i = 0; i < n; i++) {
        uintptr_t s = region_start(i);
        if (vma_set_insert(&set, s, s + PGSIZE, VM_READ) != 0) {
            panic("bench_vma: insert %zu failed", i);
        }
        nodes[i].vma = (struct vma_struct){s, s + PGSIZE, VM_READ};
        vlist_insert(&list, &nodes[i]);
    }
    vma_set_check(&set);
    check_bounds(&set, n <= 1000 ? &list : NULL, n);
    for (int local = 0; local <= 1; local++) {
        make_addrs(addrs, n, local);
        for (size_t k = 0; k < NR_ADDRS; k++) {
            struct vma_struct *a = vma_set_find(&set, addrs[k]);
            struct vma_struct *b = vlist_find(&list, addrs[k]);
            if (a == NULL || b == NULL || a->vm_start != b->vm_start) {
                panic("bench_vma: lookups of %#lx disagree",
                      (unsigned long)addrs[k]);
            }
        }
        double ra = rate(0, &set, &list, addrs);
        double rl = rate(1, &set, &list, addrs);
        printf("| %7zu | %-6s | %14.0f | %14.0f | %9.1fx |\n", n,
               local ? "local" : "random", ra, rl, ra / rl);
    }
    vma_set_destroy(&set);
    free(nodes);
}

int main(void)
{
    static const size_t sizes[] = {10, 1000, 100000};
    shim_init(4096); /* 16 MiB: room for 100000 regions, doubled */
    srand(42);
    printf("find_vma lookups per second (-O2 -m32, %d addresses per pass)\n\n",
           NR_ADDRS);
    printf(
        "| regions | access | sorted array   | list + cache   | ratio     |\n");
    printf(
        "|--------:|--------|---------------:|---------------:|----------:|\n");
    for (size_t i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
        bench_one(sizes[i]);
    }
    if (shim_pages_in_use() != 0) {
        panic("bench_vma: %zu frames leaked", shim_pages_in_use());
    }
    return 0;
}
